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
use crate::rulebase::{Rule, RuleBase};
use crate::words::signed;

pub fn lint(rb: &RuleBase, out: &mut Vec<Diagnostic>) {
    for topic in rb.topics() {
        for (i, rule) in topic.rules.iter().enumerate() {
            for first in &topic.rules[..i] {
                // Cheap tests first: the effects, then the questions read.
                let Some(d) = same_condition(first, rule) else {
                    continue;
                };
                let same = match (&first.when, &rule.when) {
                    (None, None) => true,
                    (Some(a), Some(b)) => {
                        a.questions() == b.questions() && reach::equivalent(rb, a, b)
                    }
                    _ => false,
                };
                if same {
                    out.push(d);
                    break;
                }
            }
        }
        for rule in &topic.rules {
            provenance(rule, out);
        }
    }
}

/// The warning if two rules with one condition would be duplicates or a
/// contradiction.
fn same_condition(first: &Rule, second: &Rule) -> Option<Diagnostic> {
    let same_effect = first.score == second.score
        && first.exclude == second.exclude
        && (!first.score.is_empty() || !first.exclude.is_empty() || first.advice == second.advice);
    if same_effect {
        return Some(
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
            .help("remove one of them: together they count the same evidence twice"),
        );
    }
    let (option, a, b) = first.score.iter().find_map(|(option, a)| {
        let b = second.points_for(option);
        (a.signum() * b.signum() < 0).then_some((option, *a, b))
    })?;
    Some(
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
        .help("merge them into one rule with the net effect, or make their conditions differ"),
    )
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
