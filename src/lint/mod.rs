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
//! - `questions`: `unread-question`.

mod options;
mod questions;
pub mod reach;
mod rules;

use crate::diagnostic::Diagnostic;
use crate::rulebase::RuleBase;

/// Every kind of warning `rules check` reports, by stable code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Lint {
    NeverFires,
    ImpossibleTest,
    NeverAsked,
    NeverWins,
    DuplicateRule,
    ContradictingRules,
    UnreadQuestion,
    MissingReviewDate,
    MissingEvidence,
    /// Found while loading: a file in the directory that has no role.
    IgnoredFile,
}

impl Lint {
    pub const ALL: [Lint; 10] = [
        Lint::NeverFires,
        Lint::ImpossibleTest,
        Lint::NeverAsked,
        Lint::NeverWins,
        Lint::DuplicateRule,
        Lint::ContradictingRules,
        Lint::UnreadQuestion,
        Lint::MissingReviewDate,
        Lint::MissingEvidence,
        Lint::IgnoredFile,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Lint::NeverFires => "never-fires",
            Lint::ImpossibleTest => "impossible-test",
            Lint::NeverAsked => "never-asked",
            Lint::NeverWins => "never-wins",
            Lint::DuplicateRule => "duplicate-rule",
            Lint::ContradictingRules => "contradicting-rules",
            Lint::UnreadQuestion => "unread-question",
            Lint::MissingReviewDate => "missing-review-date",
            Lint::MissingEvidence => "missing-evidence",
            Lint::IgnoredFile => crate::rulebase::IGNORED_FILE,
        }
    }

    /// What the lint finds, in one line.
    pub fn summary(self) -> &'static str {
        match self {
            Lint::NeverFires => "a rule whose condition no answers satisfy",
            Lint::ImpossibleTest => {
                "a test that can never hold inside a condition that otherwise can"
            }
            Lint::NeverAsked => "a question whose `when` no answers satisfy",
            Lint::NeverWins => "an option that provably never wins",
            Lint::DuplicateRule => "two rules with the same condition and effects",
            Lint::ContradictingRules => {
                "two rules with the same condition and opposite points for an option"
            }
            Lint::UnreadQuestion => "a question no rule and no `when` reads",
            Lint::MissingReviewDate => "a rule without `reviewed`",
            Lint::MissingEvidence => "a rule without `evidence`",
            Lint::IgnoredFile => "a file in the rule base directory that is not a rule base file",
        }
    }

    pub fn from_code(code: &str) -> Option<Lint> {
        Lint::ALL.into_iter().find(|l| l.code() == code)
    }
}

/// Every lint over a validated rule base, in file order (then by code).
pub fn check(rb: &RuleBase) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let reaches = reach::lint(rb, &mut out);
    options::lint(rb, &reaches, &mut out);
    rules::lint(rb, &mut out);
    questions::lint(rb, &mut out);
    sort(&mut out);
    out
}

/// File order: by file name and offset, file-level diagnostics after the
/// spanned ones of their file, then by code and message.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| key(a).cmp(&key(b)));
}

fn key(d: &Diagnostic) -> (String, bool, usize, &'static str, &str) {
    match &d.span {
        Some((span, _)) => (
            span.file.name().to_owned(),
            false,
            span.range.start,
            d.code.unwrap_or(""),
            &d.message,
        ),
        None => (
            d.file.clone().unwrap_or_default(),
            true,
            0,
            d.code.unwrap_or(""),
            &d.message,
        ),
    }
}

#[cfg(test)]
mod tests;
