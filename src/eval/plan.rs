//! A combination topic's plan: each option judged on its own score.
//!
//! Resilience mechanisms, consistency patterns and edge components are not
//! rivals: real systems combine them. A combination topic says, for every
//! option, whether to adopt it, consider it, or leave it out, from its own
//! score against the thresholds the topic declares, with the rules behind
//! each. Confidence is how far the nearest option is from changing its
//! place in the plan.

use super::verdict::{self, Adoption};
use super::{
    Confidence, HIGH_PLAN_MARGIN, Level, MAX_REASONS, Reason, RuleOutcome, RuleStatus, Truth,
};
use crate::ids::OptionId;
use crate::rulebase::{PlanThresholds, Rule, Topic, TopicOption};
use serde::Serialize;

/// One option of a plan.
#[derive(Debug, Serialize)]
pub struct PlanItem {
    pub option: OptionId,
    /// Adopt, consider, or not needed.
    #[serde(rename = "verdict")]
    pub adoption: Adoption,
    pub score: i32,
    /// Adopted unless a rule rules it out.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub baseline: bool,
    /// For an option left to consider because an alternative of its group
    /// is adopted: that alternative.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instead_of: Option<OptionId>,
    /// The rules behind its place: for an option adopted or considered,
    /// those that raised it; for one not needed, those that ruled it out
    /// or lowered it; strongest first.
    pub reasons: Vec<Reason>,
}

/// The plan's items, in the topic's order of options, from the options'
/// points and knock-out counts by position (whether or not the topic
/// applies: a topic asked for by name shows its plan anyway).
pub(super) fn items(
    topic: &Topic,
    rules: &[RuleOutcome],
    (points, excluded): &(Vec<i32>, Vec<u32>),
) -> Vec<PlanItem> {
    let Some(thresholds) = topic.plan_thresholds() else {
        return Vec::new();
    };
    verdict::plan_adoptions(topic, points, excluded, thresholds)
        .into_iter()
        .zip(&topic.options)
        .enumerate()
        .map(|(i, (placed, option))| PlanItem {
            option: option.id.clone(),
            adoption: placed.adoption,
            score: points[i],
            baseline: option.baseline,
            instead_of: placed.instead_of.map(|j| topic.options[j].id.clone()),
            reasons: item_reasons(topic, rules, option, placed.adoption),
        })
        .collect()
}

/// The fired rules behind one option's place in the plan.
fn item_reasons(
    topic: &Topic,
    outcomes: &[RuleOutcome],
    option: &TopicOption,
    adoption: Adoption,
) -> Vec<Reason> {
    let wanted = adoption != Adoption::NotNeeded;
    let mut out: Vec<(i64, usize, Reason)> = topic
        .rules
        .iter()
        .zip(outcomes)
        .enumerate()
        .filter(|(_, (_, o))| o.status == RuleStatus::Fired)
        .filter_map(|(index, (rule, outcome))| {
            let reason = reason(rule, outcome, &option.id);
            let key = if !reason.excluded.is_empty() {
                i64::MAX
            } else if wanted {
                i64::from(reason.points)
            } else {
                -i64::from(reason.points)
            };
            (key > 0).then_some((key, index, reason))
        })
        .collect();
    out.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    out.into_iter()
        .map(|(_, _, r)| r)
        .take(MAX_REASONS)
        .collect()
}

fn reason(rule: &Rule, outcome: &RuleOutcome, option: &OptionId) -> Reason {
    let points = rule.points_for(option);
    Reason {
        rule: rule.id.clone(),
        points,
        lead: points,
        excluded: rule
            .exclude
            .iter()
            .filter(|o| *o == option)
            .cloned()
            .collect(),
        answers: outcome.matched.clone(),
    }
}

/// How settled a plan is: the fewest points any option's score would
/// have to move to be adopted or to stop being adopted (a baseline or
/// ruled-out option does not move on points), and whether rules waiting on
/// "don't know" answers could move one that far.
pub(super) fn confidence(
    topic: &Topic,
    (points, excluded): &(Vec<i32>, Vec<u32>),
    truths: &[Truth],
) -> Confidence {
    let thresholds = topic.plan_thresholds().unwrap_or(PlanThresholds::DEFAULT);
    let undetermined = super::undetermined_rules(topic, truths);
    let (mut margin, mut unknown_swing, mut could_flip) = (None::<i32>, 0, false);
    for (i, option) in topic.options.iter().enumerate() {
        let ruled_out = excluded[i] > 0;
        let swing: i32 = undetermined
            .iter()
            .map(|r| r.points_for(&option.id).abs())
            .sum();
        let knock_out = undetermined.iter().any(|r| r.exclude.contains(&option.id));
        let Some(distance) =
            verdict::distance_to_change(option.baseline, points[i], ruled_out, thresholds)
        else {
            could_flip |= knock_out;
            continue;
        };
        margin = Some(margin.map_or(distance, |m| m.min(distance)));
        unknown_swing = unknown_swing.max(swing);
        could_flip |= knock_out || (swing > 0 && swing >= distance);
    }
    let level = match margin {
        _ if could_flip => Level::Low,
        None => Level::High,
        Some(m) if m >= HIGH_PLAN_MARGIN => Level::High,
        Some(m) if m >= 2 => Level::Medium,
        Some(_) => Level::Low,
    };
    Confidence {
        level,
        margin,
        runner_up: None,
        unknown_swing,
        could_flip,
    }
}
