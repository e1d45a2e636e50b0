//! tradeoff: a command-line advisor for system-design decisions.
//!
//! The library is layered so that dependencies point one way:
//!
//! 1. [`source`], [`diagnostic`], [`ids`], [`value`], [`parallel`]: positions, errors,
//!    names, values, work split over two threads.
//! 2. [`rulebase`]: loading and validating the questionnaire, topics and rules.
//! 3. [`answers`]: reading answers files and `--set` flags against the questionnaire.
//! 4. [`eval`]: the pure, deterministic evaluation with its trace.
//!    [`lint`]: warnings about a validated rule base (`rules check`), proved with the evaluator.
//! 5. [`diff`], [`merge`]: comparing evaluations, and combining several people's answers.
//! 6. [`report`]: renderers (table, Markdown, JSON, explanation, ADR) of what evaluation recorded.
//! 7. [`cli`]: the command line, the only layer that touches the terminal and files.
//!
//! `fuzzing` (hidden from the docs) drives any bytes through those layers
//! for the fuzz targets in `fuzz/`, their corpus replay and property tests.

pub use tradeoff_rulebase as rulebase;
pub use tradeoff_rulebase::{diagnostic, ids, parallel, source, value};

pub mod adr;
pub mod answers;
pub mod builtin;
pub mod cli;
pub mod decide;
pub mod diff;
pub mod eval;
pub mod fsio;
#[doc(hidden)]
pub mod fuzzing;
pub mod lint;
pub mod merge;
pub mod policy;
pub mod priorities;
pub mod report;
pub mod scenario;
pub mod session;
pub mod words;
