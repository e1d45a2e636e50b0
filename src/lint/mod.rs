//! Lints: warnings about a rule base that loads but does not say what its
//! author meant.
//!
//! Validation (`rulebase::validate`) rejects what cannot be evaluated: an
//! unknown id, a comparison that does not fit its question. A rule base can
//! pass it and still hold rules that can never fire, options that can never
//! win, questions nothing reads, rules that repeat or cancel each other.
//! `tradeoff rules check` runs these lints after validation, over the
//! validated rule base only (with its spans), and reports each finding as a
//! warning with a stable kebab-case code ([`Lint`]) that `--allow` accepts.
//!
//! The lints are sound: a warning states something that holds for every
//! possible answers file, and says why. Where a lint cannot tell cheaply it
//! stays silent. One family per file, as ruff keeps its rules:
//!
//! - `reach`: conditions that can never hold (`never-fires`,
//!   `impossible-test`, `never-asked`), and those that always do;
//! - `options`: `never-wins`;
//! - `rules`: `duplicate-rule`, `contradicting-rules`, `missing-review-date`,
//!   `missing-evidence`;
//! - `questions`: `unread-question`;
//! - `ranges`: `rationale-range` (a bound the rationale includes and the
//!   condition leaves out; read from the text, so it checks only the
//!   phrasings it knows).

mod options;
mod questions;
mod ranges;
pub mod reach;
mod rules;

use crate::diagnostic::Diagnostic;
use crate::rulebase::RuleBase;

/// Declares [`Lint`] from one table: each variant with its stable code and
/// its one-line summary, in the order `ALL` lists them.
macro_rules! lints {
    ($($(#[$doc:meta])* $variant:ident => $code:expr, $summary:expr;)+) => {
        /// Every kind of warning `rules check` reports, by stable code.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
        pub enum Lint {
            $($(#[$doc])* $variant,)+
        }

        impl Lint {
            /// Every lint, in declaration order.
            pub const ALL: &[Lint] = &[$(Lint::$variant),+];

            /// The stable kebab-case code that `--allow` accepts.
            pub fn code(self) -> &'static str {
                match self {
                    $(Lint::$variant => $code,)+
                }
            }

            /// What the lint finds, in one line.
            pub fn summary(self) -> &'static str {
                match self {
                    $(Lint::$variant => $summary,)+
                }
            }
        }
    };
}

lints! {
    NeverFires => "never-fires", "a rule whose condition no answers satisfy";
    ImpossibleTest => "impossible-test",
        "a test that can never hold inside a condition that otherwise can";
    NeverAsked => "never-asked", "a question whose `when` no answers satisfy";
    NeverWins => "never-wins", "an option that provably never wins";
    DuplicateRule => "duplicate-rule", "two rules with the same condition and effects";
    ContradictingRules => "contradicting-rules",
        "two rules with the same condition and opposite points for an option";
    UnreadQuestion => "unread-question", "a question no rule and no `when` reads";
    MissingReviewDate => "missing-review-date", "a rule without `reviewed`";
    MissingEvidence => "missing-evidence", "a rule without `evidence`";
    RationaleRange => "rationale-range",
        "a `gt` or `lt` bound that the rule's rationale says is included (\"10,000 or more\")";
    /// Found while loading: a file in the directory that has no role.
    IgnoredFile => crate::rulebase::IGNORED_FILE,
        "a file in the rule base directory that is not a rule base file";
}

impl Lint {
    pub fn from_code(code: &str) -> Option<Lint> {
        Lint::ALL.iter().copied().find(|l| l.code() == code)
    }
}

/// Every lint over a validated rule base, in file order (then by code).
pub fn check(rb: &RuleBase) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let reaches = reach::lint(rb, &mut out);
    options::lint(rb, &reaches, &mut out);
    rules::lint(rb, &mut out);
    questions::lint(rb, &mut out);
    ranges::lint(rb, &mut out);
    sort(&mut out);
    out
}

/// File order: by file name and offset, file-level diagnostics after the
/// spanned ones of their file, then by code and message.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| key(a).cmp(&key(b)));
}

fn key(d: &Diagnostic) -> (&str, bool, usize, &'static str, &str) {
    match &d.span {
        Some((span, _)) => (
            span.file.name(),
            false,
            span.range.start,
            d.code.unwrap_or(""),
            &d.message,
        ),
        None => (
            d.file.as_deref().unwrap_or_default(),
            true,
            0,
            d.code.unwrap_or(""),
            &d.message,
        ),
    }
}

#[cfg(test)]
mod tests;
