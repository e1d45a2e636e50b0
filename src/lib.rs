//! tradeoff: a command-line advisor for system-design decisions.
//!
//! The library is layered so that dependencies point one way, each module
//! using only those listed before it (tests aside):
//!
//! 1. [`source`], [`diagnostic`], [`ids`], [`value`], [`parallel`]: positions, errors,
//!    names, values, work split over two threads. [`fsio`]: writing a file
//!    so that it is never left half-written.
//! 2. [`rulebase`]: loading and validating the questionnaire, topics and rules;
//!    [`builtin`]: the rule base compiled into the binary.
//! 3. [`answers`]: reading answers files and `--set` flags, each answer checked
//!    against its question. [`policy`], [`priorities`]: an organisation's
//!    policy and the user's priorities, turned into rules.
//! 4. [`eval`]: the pure, deterministic evaluation with its trace.
//!    [`words`]: how points and confidence levels read, for everything that prints them.
//!    [`lint`]: warnings about a validated rule base (`rules check`), proved with the evaluator.
//! 5. [`decide`]: answers resolved against the questionnaire and evaluated, the
//!    one way from answers to verdicts.
//! 6. [`diff`], [`merge`], [`scenario`]: comparing evaluations, combining several
//!    people's answers, and the scenarios that test a rule base.
//! 7. [`report`]: renderers (table, Markdown, JSON, explanation, ADR) of what evaluation recorded.
//! 8. [`adr`]: decision records on disk; [`session`]: the interactive session,
//!    behind a prompter; [`scan`]: answers inferred from a repository's files,
//!    each with its evidence.
//! 9. [`cli`]: the command line: arguments, the terminal, and exit codes.
//!
//! Evaluation, lints, diffs, merges and reports are pure: they take values and
//! return values or diagnostics. Files are touched where that is the module's
//! job, and nowhere else: the rule base crate reads rule base and pack
//! directories; [`fsio`] writes files atomically for every writer; [`scenario`]
//! lists a directory of scenario files; [`session`] saves the session file as
//! each answer is given, and the answers and the mentor's summary when asked;
//! [`adr`] reads and writes the decision records' directory; [`scan`] reads
//! the repository it is pointed at, and nothing outside it. [`cli`] reads
//! every other input (answers and policy files, standard input) and owns the
//! terminal, standard output and the exit codes.
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
pub mod scan;
pub mod scenario;
pub mod session;
pub mod words;
