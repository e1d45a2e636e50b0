//! The next step of a staged topic, from what runs today.
//!
//! Scaling a database, the compute tier or availability, and growing an
//! architecture, are paths taken a step at a time: the destination two
//! years out is rarely what to do on Monday. A staged topic's options are
//! steps (`stage`), it names the question of what runs today (`current`),
//! and questions of today's sizes stand for its projections (`now_of`).
//! The topic is then also decided on today's values: that verdict is the
//! next step (staying on the current option when the evidence says so),
//! its tipping points towards a later step are the triggers for the step
//! after it, and the verdict on the projections is the end state.

use super::facts::Slots;
use super::verdict::Verdict;
use super::{TippingPoint, score_topic, sensitivity};
use crate::eval::Facts;
use crate::ids::OptionId;
use crate::rulebase::{RuleBase, Topic};
use crate::value::{Answer, Value};
use serde::Serialize;

/// At most this many triggers are named for the step after the next.
pub const MAX_TRIGGERS: usize = 3;

#[derive(Debug, Serialize)]
pub struct NextStep {
    /// What runs today, when it is one of the options.
    pub current: Option<OptionId>,
    /// The step to take now (the first in tie-break order of a tie).
    pub next_step: OptionId,
    /// The steps tied for the next one, when they tie.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tied: Vec<OptionId>,
    /// Whether the next step is to stay on what runs and improve it.
    pub stay: bool,
    /// The answer changes that would make a later step the next one: the
    /// triggers for the step after it.
    pub then: Vec<TippingPoint>,
    /// Where the projections lead, when that is not the next step.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_state: Option<OptionId>,
    /// Whether today's values were given; without them the next step is
    /// read from the projections.
    pub from_today: bool,
    /// Whether the topic reads projections that have a question of
    /// today's value (so that leaving them unanswered is worth saying).
    pub asks_today: bool,
}

/// The next step of a staged topic whose verdict on the projections is
/// `projected`, with those tipping points; none when it decides nothing.
pub(super) fn next_step(
    rb: &RuleBase,
    facts: &Facts,
    topic: &Topic,
    projected: &Verdict,
    projected_tips: &[TippingPoint],
) -> Option<NextStep> {
    let today = today_facts(rb, facts, topic);
    let (verdict, tips) = match &today {
        Some(today) => decide_today(rb, today, topic),
        None => (projected.clone(), projected_tips.to_vec()),
    };
    let next_step = verdict.leader()?.clone();
    let after = stage(topic, &next_step);
    // A trigger is a change in the system's situation: what runs today
    // changing is the step itself, not a trigger for it.
    let then: Vec<TippingPoint> = tips
        .into_iter()
        .filter(|t| t.and.is_none() && Some(&t.question) != topic.current.as_ref())
        .filter(|t| reaches_later_step(topic, &t.becomes, after))
        .take(MAX_TRIGGERS)
        .collect();
    let current = current_option(facts, topic);
    Some(NextStep {
        stay: current.as_ref() == Some(&next_step),
        current,
        end_state: projected.leader().filter(|e| **e != next_step).cloned(),
        tied: match &verdict {
            Verdict::Tie(tied) => tied.clone(),
            _ => Vec::new(),
        },
        next_step,
        then,
        from_today: today.is_some(),
        asks_today: asks_today(rb, topic),
    })
}

/// The topic decided on today's values, with its tipping points.
fn decide_today(rb: &RuleBase, today: &Facts, topic: &Topic) -> (Verdict, Vec<TippingPoint>) {
    let slots = Slots::new(rb, today);
    let scored = score_topic(topic, &slots);
    // A fresh record of what topics decide under each change: the ones of
    // the main run were tried on the projections.
    let tries = sensitivity::Tries::new(rb);
    let tips = sensitivity::tipping_points(rb, &slots, &tries, topic, scored.code, &scored.truths);
    (scored.verdict, tips)
}

/// The facts with each projection the topic reads replaced by today's
/// value, where one is given; none when none is.
fn today_facts(rb: &RuleBase, facts: &Facts, topic: &Topic) -> Option<Facts> {
    let reads = &rb.topic_index(topic).reads;
    let mut today: Option<Facts> = None;
    for question in rb.questions() {
        let Some(projection) = question.now_of.as_ref().filter(|p| reads.contains(*p)) else {
            continue;
        };
        if let Some(answer @ Answer::Known(_)) = facts.get(&question.id) {
            today
                .get_or_insert_with(|| facts.clone())
                .set(projection, answer.clone());
        }
    }
    today
}

/// Whether any projection the topic reads has a question of today's value.
fn asks_today(rb: &RuleBase, topic: &Topic) -> bool {
    let reads = &rb.topic_index(topic).reads;
    rb.questions()
        .iter()
        .any(|q| q.now_of.as_ref().is_some_and(|p| reads.contains(p)))
}

/// The option that runs today: the answer to the topic's `current`
/// question, when that names an option (`read_replicas` names
/// `read-replicas`).
pub fn current_option(facts: &Facts, topic: &Topic) -> Option<OptionId> {
    let Some(Answer::Known(Value::Choice(choice))) = facts.get(topic.current.as_ref()?) else {
        return None;
    };
    let wanted = choice.as_str().replace('_', "-");
    topic
        .options
        .iter()
        .find(|o| o.id.as_str() == wanted)
        .map(|o| o.id.clone())
}

/// Whether a verdict puts a step later than `after` first, or level with
/// the first: a tie with a later step is where the path turns too.
fn reaches_later_step(topic: &Topic, verdict: &Verdict, after: Option<u32>) -> bool {
    let leading: &[OptionId] = match verdict {
        Verdict::Winner(w) => std::slice::from_ref(w),
        Verdict::Tie(tied) => tied,
        _ => &[],
    };
    leading
        .iter()
        .filter_map(|o| stage(topic, o))
        .any(|s| after.is_some_and(|a| s > a))
}

fn stage(topic: &Topic, option: &OptionId) -> Option<u32> {
    topic.option(option.as_str())?.stage
}
