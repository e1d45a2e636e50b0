//! `never-wins`: options no answers can make the winner.
//!
//! Only what can be proved is reported, with the proof in the message. The
//! evaluator ranks standing options by score, then by id, and an option
//! ruled out by a knock-out never wins. So option A never wins when:
//!
//! - a rule that fires under every answer rules A out; or
//! - another option B *dominates* A: every rule that can fire gives B at
//!   least the points it gives A, every rule that rules B out also rules A
//!   out, and B also wins a tie (its id sorts first, or a rule that always
//!   fires gives B more than A). Then whenever A stands, B stands with at
//!   least A's score and ranks above it.
//!
//! Rules that can never fire are left out of the comparison: they never
//! change a score. Rules whose reach could not be told count as possibly
//! firing, which can only make a proof fail, never make a wrong one.

use super::Lint;
use super::reach::Reach;
use crate::diagnostic::Diagnostic;
use crate::ids::RuleId;
use crate::rulebase::{Rule, RuleBase, Topic, TopicOption};
use crate::words::signed;
use std::collections::BTreeMap;

pub fn lint(rb: &RuleBase, reaches: &BTreeMap<RuleId, Reach>, out: &mut Vec<Diagnostic>) {
    for topic in rb.topics() {
        let reach = |rule: &Rule| reaches.get(&rule.id).copied().unwrap_or(Reach::Untold);
        let live: Vec<(&Rule, Reach)> = topic
            .rules
            .iter()
            .map(|r| (r, reach(r)))
            .filter(|(_, reach)| *reach != Reach::Never)
            .collect();
        for option in &topic.options {
            // A plan adopts each option by its own score, not by rank:
            // being ranked below another never keeps an option out of it.
            let ranked = topic.plan_thresholds().is_none();
            if let Some(d) = knocked_out(option, &live)
                .or_else(|| ranked.then(|| dominated(topic, option, &live)).flatten())
            {
                out.push(d);
            }
        }
    }
}

fn never_wins(option: &TopicOption) -> Diagnostic {
    Diagnostic::warning(format!("option `{}` can never win", option.id))
        .code(Lint::NeverWins.code())
}

/// Ruled out by a rule that fires whatever the answers.
fn knocked_out(option: &TopicOption, live: &[(&Rule, Reach)]) -> Option<Diagnostic> {
    let (rule, _) = live
        .iter()
        .find(|(r, reach)| *reach == Reach::Always && r.exclude.contains(&option.id))?;
    let condition = rule.when.as_ref().map_or_else(
        || "it has no condition".to_owned(),
        |w| format!("`{w}` always holds"),
    );
    Some(
        never_wins(option)
            .at(
                &option.span,
                format!("ruled out by `{}` under every answer", rule.id),
            )
            .note(format!(
                "rule `{}` (at {}) fires whatever the answers: {condition}",
                rule.id,
                rule.span.location()
            ))
            .help("make the knock-out's condition depend on the answers, or remove the option"),
    )
}

/// Always ranked below another option that stands whenever it does.
fn dominated(topic: &Topic, option: &TopicOption, live: &[(&Rule, Reach)]) -> Option<Diagnostic> {
    let a = &option.id;
    topic
        .options
        .iter()
        .filter(|other| &other.id != a)
        .find_map(|other| {
            let b = &other.id;
            let at_least = live.iter().all(|(rule, _)| {
                rule.points_for(b) >= rule.points_for(a)
                    && (!rule.exclude.contains(b) || rule.exclude.contains(a))
            });
            if !at_least {
                return None;
            }
            let strictly_below = live.iter().find(|(rule, reach)| {
                *reach == Reach::Always && rule.points_for(b) > rule.points_for(a)
            });
            // Without a rule that always separates them, only the option
            // that sorts later by id is reported, so that two options that
            // always score alike give one warning, not two. (An option that
            // sorts first and only ever ties is not reported.)
            if strictly_below.is_none() && b > a {
                return None;
            }
            let tie = match strictly_below {
                None => format!(
                    "at best it ties with `{b}`, and a tie is reported as a tie, never as a win"
                ),
                Some((rule, _)) => format!(
                    "rule `{}` fires whatever the answers and gives `{b}` {} against {} for `{a}`, so they never tie",
                    rule.id,
                    signed(rule.points_for(b)),
                    signed(rule.points_for(a))
                ),
            };
            Some(
                never_wins(option)
                    .at(&option.span, format!("always ranked below `{b}`"))
                    .note(format!(
                        "every rule that can fire gives `{b}` at least the points it gives `{a}`, \
                         and every rule that rules out `{b}` rules out `{a}` too"
                    ))
                    .note(tie)
                    .help(format!(
                        "give `{a}` a rule in which it scores over `{b}`, or remove the option"
                    )),
            )
        })
}
