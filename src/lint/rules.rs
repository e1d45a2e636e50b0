//! Lints on rules as written: `duplicate-rule`, `contradicting-rules`,
//! `missing-review-date` and `missing-evidence`.
//!
//! Two rules with the same condition fire together, always. With the same
//! effects they count one piece of evidence twice; with opposite points for
//! an option they cancel out, and a reader cannot tell which one the author
//! meant. Conditions are the same when they read the same questions and
//! hold for exactly the same answers (`reach::equivalent`), however written:
//! `in = ["a"]` is `eq = "a"`, the parts of an `all` may come in any order.
//!
//! Validation already requires a rationale and sources; a review date and
//! an evidence grade are optional in a user's rule base (the built-in one
//! carries both), so their absence is a warning here.

use super::{Lint, reach};
use crate::diagnostic::Diagnostic;
use crate::ids::{OptionId, QuestionId};
use crate::rulebase::{Rule, RuleBase};
use crate::words::signed;
use std::collections::{BTreeSet, HashMap};

/// Rules are compared only with the earlier rules of their topic that read
/// the same questions (the conditions cannot be equivalent otherwise), so
/// a topic of 10,000 rules costs the pairs within each group, not all
/// 50 million pairs; and a warning is written only for a pair that is one.
pub fn lint(rb: &RuleBase, out: &mut Vec<Diagnostic>) {
    for topic in rb.topics() {
        let mut by_questions: HashMap<Option<BTreeSet<&QuestionId>>, Vec<&Rule>> = HashMap::new();
        for rule in &topic.rules {
            let earlier = by_questions
                .entry(rule.when.as_ref().map(|w| w.questions()))
                .or_default();
            if let Some(d) = earlier
                .iter()
                .find_map(|first| same_condition_warning(rb, first, rule))
            {
                out.push(d);
            }
            earlier.push(rule);
        }
        for rule in &topic.rules {
            provenance(rule, out);
        }
    }
}

/// How two rules' effects relate, when their conditions are the same.
enum Clash<'a> {
    /// The same effects: one piece of evidence counted twice.
    Duplicate,
    /// Opposite points for an option.
    Contradiction(&'a OptionId, i32, i32),
}

/// The warning if `second` has `first`'s condition and the two duplicate or
/// contradict each other. Effects are compared first: they are cheap.
fn same_condition_warning(rb: &RuleBase, first: &Rule, second: &Rule) -> Option<Diagnostic> {
    let clash = clash(first, second)?;
    let same = match (&first.when, &second.when) {
        (None, None) => true,
        (Some(a), Some(b)) => a.questions() == b.questions() && reach::equivalent(rb, a, b),
        _ => false,
    };
    same.then(|| match clash {
        Clash::Duplicate => duplicate(first, second),
        Clash::Contradiction(option, a, b) => contradiction(first, second, option, a, b),
    })
}

fn clash<'a>(first: &'a Rule, second: &Rule) -> Option<Clash<'a>> {
    let same_effect = first.score == second.score
        && first.exclude == second.exclude
        && (!first.score.is_empty() || !first.exclude.is_empty() || first.advice == second.advice);
    if same_effect {
        return Some(Clash::Duplicate);
    }
    first.score.iter().find_map(|(option, a)| {
        let b = second.points_for(option);
        (a.signum() * b.signum() < 0).then_some(Clash::Contradiction(option, *a, b))
    })
}

fn duplicate(first: &Rule, second: &Rule) -> Diagnostic {
    Diagnostic::warning(format!(
        "rule `{}` duplicates rule `{}`",
        second.id, first.id
    ))
    .code(Lint::DuplicateRule.code())
    .at(
        &second.span,
        format!("same condition and effects as `{}`", first.id),
    )
    .note(format!("`{}` is at {}", first.id, first.span.location()))
    .help("remove one of them: together they count the same evidence twice")
}

fn contradiction(first: &Rule, second: &Rule, option: &OptionId, a: i32, b: i32) -> Diagnostic {
    Diagnostic::warning(format!(
        "rules `{}` and `{}` contradict each other",
        first.id, second.id
    ))
    .code(Lint::ContradictingRules.code())
    .at(
        &second.span,
        format!(
            "same condition as `{}`, opposite points for `{option}`",
            first.id
        ),
    )
    .note(format!(
        "`{}` (at {}) gives `{option}` {}, `{}` gives it {}",
        first.id,
        first.span.location(),
        signed(a),
        second.id,
        signed(b)
    ))
    .help("merge them into one rule with the net effect, or make their conditions differ")
}

fn provenance(rule: &Rule, out: &mut Vec<Diagnostic>) {
    if rule.reviewed.is_none() {
        out.push(
            Diagnostic::warning(format!("rule `{}` has no review date", rule.id))
                .code(Lint::MissingReviewDate.code())
                .at(&rule.span, "no `reviewed`")
                .help("check the rule against its sources, then add `reviewed = YYYY-MM-DD`"),
        );
    }
    if rule.evidence.is_none() {
        out.push(
            Diagnostic::warning(format!("rule `{}` has no evidence grade", rule.id))
                .code(Lint::MissingEvidence.code())
                .at(&rule.span, "no `evidence`")
                .help(
                    "add `evidence = \"verified\"`, `\"secondary\"`, `\"known\"` or `\"default\"` (a weight to calibrate)",
                ),
        );
    }
}
