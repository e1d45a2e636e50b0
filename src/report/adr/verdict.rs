//! What a record says a topic came to when the verdict is not one winner.
//!
//! A combination topic decides a set: the record lists what is adopted,
//! what to consider and why the rest is not needed, each with the rules
//! behind it. A tie is recorded as a tie, for the team to settle, with the
//! tie-break order printed as an order, never as a choice. A staged topic
//! names the next step from what runs today. Topics that do not apply, and
//! plans that need nothing, get no record at all.

use super::super::verdict_lines;
use super::RecordOption;
use super::prose;
use crate::eval::{Adoption, TopicOutcome, Verdict};
use crate::ids::OptionId;
use crate::rulebase::{RuleBase, Topic};
use crate::words::{and_list, option_name};
use serde::Serialize;

/// A combination topic's plan, as a record shows it.
#[derive(Debug, Clone, Serialize)]
pub struct RecordPlan {
    pub adopt: Vec<RecordPlanItem>,
    pub consider: Vec<RecordPlanItem>,
    pub not_needed: Vec<RecordPlanItem>,
}

/// One option of a plan and why it is where it is.
#[derive(Debug, Clone, Serialize)]
pub struct RecordPlanItem {
    pub id: String,
    pub name: String,
    pub score: i32,
    /// The rules behind its place, as one clause to follow "because".
    pub because: String,
    /// For an option left to consider because an alternative of its group
    /// is adopted: that alternative's name.
    pub instead_of: Option<String>,
    /// What the option makes easier and harder, as the rule base words it.
    pub good: Vec<String>,
    pub bad: Vec<String>,
}

/// A staged topic's next step, as the verdict lays it out.
#[derive(Debug, Clone, Serialize)]
pub struct RecordNext {
    /// "Next step: Scale up (from One primary)"; empty when the verdict
    /// already says it (a tie with nothing running today).
    pub headline: String,
    /// The triggers for the steps after it and the end state.
    pub lines: Vec<String>,
}

/// The option a record leads with, or `None` when the topic gets no record:
/// the winner; the first tied option in tie-break order; a plan's first
/// adopted option.
pub fn lead(outcome: &TopicOutcome) -> Option<&OptionId> {
    match &outcome.verdict {
        Verdict::Winner(winner) => Some(winner),
        Verdict::Tie(tied) => tied.first(),
        Verdict::Plan { adopt, .. } => adopt.first(),
        Verdict::NoOption | Verdict::NotApplicable => None,
    }
}

/// Why a topic gets no record, in a few words after "no record for `id`".
pub fn no_record_reason(topic: &Topic, outcome: &TopicOutcome) -> String {
    match &outcome.verdict {
        Verdict::NotApplicable => format!(
            "it does not apply ({})",
            super::super::not_applicable_reason(topic, outcome)
        ),
        Verdict::Plan { .. } => "the plan adopts nothing".to_owned(),
        _ => "no option survives the knock-out rules".to_owned(),
    }
}

/// The decision line records are titled from, when it is not one winner's:
/// "Resilience and traffic control: adopt Timeouts and retries and Circuit
/// breaker"; "Caching strategy: Cache-aside or Read-through cache (a tie)".
pub fn decision_line(topic: &Topic, outcome: &TopicOutcome) -> Option<String> {
    match &outcome.verdict {
        Verdict::Plan { adopt, .. } => Some(format!(
            "{}: adopt {}",
            topic.title,
            and_list(&names(topic, adopt))
        )),
        Verdict::Tie(tied) => Some(format!(
            "{}: {} (a tie)",
            topic.title,
            names(topic, tied).join(" or ")
        )),
        _ => None,
    }
}

/// The decision as a sentence, for a plan or a tie.
pub fn decision_sentence(topic: &Topic, outcome: &TopicOutcome) -> Option<String> {
    match &outcome.verdict {
        Verdict::Plan { adopt, consider } => {
            let mut sentence = format!("We will adopt {}", and_list(&names(topic, adopt)));
            if !consider.is_empty() {
                sentence.push_str(&format!(
                    ", and consider {}",
                    and_list(&names(topic, consider))
                ));
            }
            sentence.push('.');
            Some(sentence)
        }
        Verdict::Tie(tied) => Some(format!(
            "{} score the same: the team chooses between them",
            and_list(&names(topic, tied))
        )),
        _ => None,
    }
}

/// The plan of a combination topic, item by item with its reasons.
pub fn plan(rb: &RuleBase, topic: &Topic, outcome: &TopicOutcome) -> Option<RecordPlan> {
    if !matches!(outcome.verdict, Verdict::Plan { .. }) {
        return None;
    }
    let items = |adoption: Adoption| -> Vec<RecordPlanItem> {
        outcome
            .plan
            .iter()
            .filter(|item| item.adoption == adoption)
            .map(|item| RecordPlanItem {
                good: super::option_texts(topic.option(item.option.as_str()), |o| &o.good),
                bad: super::option_texts(topic.option(item.option.as_str()), |o| &o.bad),
                id: item.option.to_string(),
                name: option_name(topic, &item.option).to_owned(),
                score: item.score,
                because: plan_because(rb, &item.reasons, adoption),
                instead_of: item
                    .instead_of
                    .as_ref()
                    .map(|o| option_name(topic, o).to_owned()),
            })
            .collect()
    };
    Some(RecordPlan {
        adopt: items(Adoption::Adopt),
        consider: items(Adoption::Consider),
        not_needed: items(Adoption::NotNeeded),
    })
}

/// The tied options, in tie-break order.
pub fn tied(outcome: &TopicOutcome, options: &[RecordOption]) -> Vec<RecordOption> {
    let Verdict::Tie(tied) = &outcome.verdict else {
        return Vec::new();
    };
    tied.iter()
        .filter_map(|id| options.iter().find(|o| o.id == id.as_str()).cloned())
        .collect()
}

/// A staged topic's next step and what follows it.
pub fn next(rb: &RuleBase, topic: &Topic, outcome: &TopicOutcome) -> Option<RecordNext> {
    let next = outcome.next.as_ref()?;
    let only_the_verdict = next.current.is_none()
        && next.tied.is_empty()
        && next.then.is_empty()
        && outcome.winner.as_ref() == Some(&next.next_step);
    if only_the_verdict {
        // Nothing runs today and nothing follows: the verdict says it all.
        return None;
    }
    let lines = verdict_lines(rb, topic, outcome);
    let headline = if next.current.is_none() && matches!(outcome.verdict, Verdict::Tie(_)) {
        // The tie is the decision already; only the steps after it are new.
        String::new()
    } else if lines.detail.is_empty() {
        lines.headline
    } else {
        format!("{} ({})", lines.headline, lines.detail)
    };
    Some(RecordNext {
        headline,
        lines: lines.more,
    })
}

/// The reasons of one plan item as a clause: the rules' summaries, or, with
/// none, what its place means.
fn plan_because(rb: &RuleBase, reasons: &[crate::eval::Reason], adoption: Adoption) -> String {
    let clauses: Vec<String> = reasons
        .iter()
        .filter_map(|r| rb.rule(r.rule.as_str()))
        .map(|(_, rule)| super::clause(rule))
        .collect();
    if clauses.is_empty() {
        return match adoption {
            Adoption::Adopt => "every system of this kind needs it".to_owned(),
            Adoption::Consider => "it could help, but nothing here calls for it yet".to_owned(),
            Adoption::NotNeeded => "nothing in the answers calls for it".to_owned(),
        };
    }
    prose::because(&clauses)
}

fn names<'t>(topic: &'t Topic, ids: &'t [OptionId]) -> Vec<&'t str> {
    ids.iter().map(|o| option_name(topic, o)).collect()
}
