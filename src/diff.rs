//! Diffs: what changes between two evaluations of the same decisions, and why.
//!
//! Two runs are compared: two answer sets under one rule base (`tradeoff diff
//! A.toml B.toml`), or one answer set under two rule bases (`tradeoff diff
//! --rules OLD --rules NEW --answers FILE`). Everything here is read from the
//! public [`Evaluation`] of each side (the winner, the ranking's scores and
//! contributions, each rule's status), never re-scored, so any component the
//! evaluation adds to a score shows up in a diff without changes here.
//!
//! A recommendation "changes" when a topic's winner differs. The causes are
//! the answers in effect that differ and the rules reading them whose outcome
//! changed (started or stopped firing, or became undetermined), and for two
//! rule bases the rules added, removed or edited whose effect on the scores
//! differs. [`FiringDelta`] is the one comparison of fired rules, shared with
//! `adr review`.

use crate::eval::Facts;
use crate::eval::{Evaluation, Level, RuleStatus, TopicOutcome, Verdict};
use crate::ids::{OptionId, QuestionId, RuleId, TopicId};
use crate::rulebase::{Rule, RuleBase, Topic};
use crate::value::Answer;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Rules that started and stopped firing between two runs, each sorted by id.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct FiringDelta {
    pub started: Vec<String>,
    pub stopped: Vec<String>,
}

impl FiringDelta {
    /// Compares the ids of the rules that fired before with those firing after.
    pub fn between<'a>(
        before: impl IntoIterator<Item = &'a str>,
        after: impl IntoIterator<Item = &'a str>,
    ) -> Self {
        let before: BTreeSet<&str> = before.into_iter().collect();
        let after: BTreeSet<&str> = after.into_iter().collect();
        Self {
            started: after.difference(&before).map(|s| (*s).to_owned()).collect(),
            stopped: before.difference(&after).map(|s| (*s).to_owned()).collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.started.is_empty() && self.stopped.is_empty()
    }
}

/// One side of a comparison: a rule base, the facts evaluated, the result.
pub struct Side<'a> {
    pub rb: &'a RuleBase,
    pub facts: &'a Facts,
    pub evaluation: &'a Evaluation,
}

/// What is being compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Two answer sets, one rule base.
    Answers,
    /// One answer set, two rule bases.
    Rules,
}

#[derive(Debug, Serialize)]
pub struct Diff {
    pub mode: Mode,
    /// What the old side is: an answers file, or a rule base's origin.
    pub before: String,
    pub after: String,
    /// How many topics' winners change.
    pub changed: usize,
    /// Answers in effect that differ (defaults included), in asking order.
    pub answers: Vec<AnswerChange>,
    /// Rule definitions added, removed or edited (two rule bases only).
    pub rules: Vec<RuleChange>,
    pub topics: Vec<TopicDiff>,
}

#[derive(Debug, Serialize)]
pub struct AnswerChange {
    pub question: QuestionId,
    /// `None`: unanswered, or the question does not apply on that side.
    pub before: Option<Answer>,
    pub after: Option<Answer>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleChangeKind {
    Added,
    Removed,
    Changed,
}

#[derive(Debug, Serialize)]
pub struct RuleChange {
    pub rule: RuleId,
    pub topic: TopicId,
    pub change: RuleChangeKind,
    /// Changed: its points or knock-outs differ.
    pub points: bool,
    /// Changed: its condition differs.
    pub condition: bool,
}

#[derive(Debug, Serialize)]
pub struct TopicDiff {
    pub topic: TopicId,
    pub title: String,
    /// Whether the verdict changes: another winner, a tie made or broken,
    /// a plan changed, or the topic coming to apply or not.
    pub changed: bool,
    /// `None` when the topic does not exist on that side.
    pub before: Option<Standing>,
    pub after: Option<Standing>,
    /// Every option's score on both sides (`None`: ruled out or absent),
    /// in the new ranking's order.
    pub scores: Vec<ScoreChange>,
    pub started_firing: Vec<RuleId>,
    pub stopped_firing: Vec<RuleId>,
    /// Rules whose outcome changed only to or from undetermined.
    pub undetermined: Vec<RuleId>,
    /// The differing answers read by rules of this topic whose outcome changed.
    pub causes: Vec<Cause>,
    /// Rule definition changes (two rule bases) that moved this topic's scores.
    pub rule_changes: Vec<RuleId>,
}

#[derive(Debug, Serialize)]
pub struct Standing {
    /// What the topic came to on this side.
    pub verdict: Verdict,
    pub winner: Option<OptionId>,
    pub score: Option<i32>,
    pub confidence: Level,
    pub margin: Option<i32>,
}

#[derive(Debug, Serialize)]
pub struct ScoreChange {
    pub option: OptionId,
    pub before: Option<i32>,
    pub after: Option<i32>,
}

/// A differing answer and the rules it switched in one topic.
#[derive(Debug, Serialize)]
pub struct Cause {
    pub question: QuestionId,
    pub rules: Vec<RuleId>,
}

/// Compares two runs over the topics both evaluated (and those only one did).
pub fn compare(mode: Mode, before: &Side<'_>, after: &Side<'_>, labels: (String, String)) -> Diff {
    let answers = answer_changes(before, after);
    let differing: BTreeSet<&QuestionId> = answers.iter().map(|a| &a.question).collect();
    let rules = if mode == Mode::Rules {
        rule_changes(before.rb, after.rb)
    } else {
        Vec::new()
    };
    let changed_rules: BTreeSet<&RuleId> = rules.iter().map(|r| &r.rule).collect();
    let mut ids: Vec<&TopicId> = after.evaluation.topics.iter().map(|t| &t.topic).collect();
    for t in &before.evaluation.topics {
        if !ids.contains(&&t.topic) {
            ids.push(&t.topic);
        }
    }
    let topics: Vec<TopicDiff> = ids
        .into_iter()
        .map(|id| {
            let old = find(before, id);
            let new = find(after, id);
            topic_diff(id, old, new, &differing, &changed_rules)
        })
        .collect();
    Diff {
        mode,
        before: labels.0,
        after: labels.1,
        changed: topics.iter().filter(|t| t.changed).count(),
        answers,
        rules,
        topics,
    }
}

fn find<'a>(side: &Side<'a>, id: &TopicId) -> Option<(&'a Topic, &'a TopicOutcome)> {
    let outcome = side.evaluation.topics.iter().find(|t| &t.topic == id)?;
    Some((side.rb.topic(id.as_str())?, outcome))
}

/// Answers in effect on either side that differ, in the new questionnaire's
/// order, then questions only the old one has.
fn answer_changes(before: &Side<'_>, after: &Side<'_>) -> Vec<AnswerChange> {
    let mut ids: Vec<&QuestionId> = after.rb.questions().iter().map(|q| &q.id).collect();
    for q in before.rb.questions() {
        if after.rb.question(q.id.as_str()).is_none() {
            ids.push(&q.id);
        }
    }
    ids.into_iter()
        .filter_map(|id| {
            let old = before.facts.get(id);
            let new = after.facts.get(id);
            (old != new).then(|| AnswerChange {
                question: id.clone(),
                before: old.cloned(),
                after: new.cloned(),
            })
        })
        .collect()
}

/// A rule's whole effect on the scores as the evaluation recorded it:
/// points per option and the options it ruled out.
type Effect = (BTreeMap<OptionId, i32>, BTreeSet<OptionId>);

fn effects(outcome: &TopicOutcome) -> BTreeMap<&RuleId, Effect> {
    let mut out: BTreeMap<&RuleId, Effect> = BTreeMap::new();
    for ranked in &outcome.ranking {
        for c in &ranked.contributions {
            *out.entry(&c.rule)
                .or_default()
                .0
                .entry(ranked.option.clone())
                .or_default() += c.points;
        }
        for rule in &ranked.excluded_by {
            out.entry(rule).or_default().1.insert(ranked.option.clone());
        }
    }
    out
}

fn fired(outcome: &TopicOutcome) -> Vec<&str> {
    outcome.fired().into_iter().map(RuleId::as_str).collect()
}

fn verdict(outcome: &TopicOutcome) -> Standing {
    Standing {
        score: outcome
            .winner
            .as_ref()
            .and_then(|w| outcome.ranked(w))
            .map(|r| r.score),
        winner: outcome.winner.clone(),
        verdict: outcome.verdict.clone(),
        confidence: outcome.confidence.level,
        margin: outcome.confidence.margin,
    }
}

fn standing_score(outcome: &TopicOutcome, option: &OptionId) -> Option<i32> {
    outcome
        .ranked(option)
        .filter(|r| r.excluded_by.is_empty())
        .map(|r| r.score)
}

fn topic_diff(
    id: &TopicId,
    old: Option<(&Topic, &TopicOutcome)>,
    new: Option<(&Topic, &TopicOutcome)>,
    differing: &BTreeSet<&QuestionId>,
    changed_rules: &BTreeSet<&RuleId>,
) -> TopicDiff {
    let title = new
        .or(old)
        .map_or_else(|| id.to_string(), |(t, _)| t.title.to_string());
    let mut diff = TopicDiff {
        topic: id.clone(),
        title,
        changed: old.map(|(_, o)| &o.verdict) != new.map(|(_, o)| &o.verdict),
        before: old.map(|(_, o)| verdict(o)),
        after: new.map(|(_, o)| verdict(o)),
        scores: Vec::new(),
        started_firing: Vec::new(),
        stopped_firing: Vec::new(),
        undetermined: Vec::new(),
        causes: Vec::new(),
        rule_changes: Vec::new(),
    };
    let (Some((old_topic, old_out)), Some((new_topic, new_out))) = (old, new) else {
        return diff;
    };
    diff.scores = score_changes(old_out, new_out);
    let delta = FiringDelta::between(fired(old_out), fired(new_out));
    let ids = |ids: &[String]| ids.iter().map(|s| RuleId::new(s.as_str())).collect();
    diff.started_firing = ids(&delta.started);
    diff.stopped_firing = ids(&delta.stopped);
    diff.undetermined = undetermined_changes(old_out, new_out, &delta);
    let switched: Vec<&RuleId> = diff
        .started_firing
        .iter()
        .chain(&diff.stopped_firing)
        .chain(&diff.undetermined)
        .collect();
    diff.causes = causes([old_topic, new_topic], &switched, differing);
    diff.rule_changes = moved_scores([old_topic, new_topic], [old_out, new_out], changed_rules);
    diff
}

/// Every option's standing score on both sides, in the new ranking's order,
/// then options only the old side has.
fn score_changes(old: &TopicOutcome, new: &TopicOutcome) -> Vec<ScoreChange> {
    let mut options: Vec<&OptionId> = new.ranking.iter().map(|r| &r.option).collect();
    for r in &old.ranking {
        if !options.contains(&&r.option) {
            options.push(&r.option);
        }
    }
    options
        .into_iter()
        .map(|o| ScoreChange {
            option: o.clone(),
            before: standing_score(old, o),
            after: standing_score(new, o),
        })
        .collect()
}

/// Rules whose outcome changed only to or from undetermined (not those that
/// started or stopped firing), sorted.
fn undetermined_changes(
    old: &TopicOutcome,
    new: &TopicOutcome,
    delta: &FiringDelta,
) -> Vec<RuleId> {
    let status = |o: &TopicOutcome, id: &RuleId| o.rule(id).map(|r| r.status);
    let undetermined = |s: Option<RuleStatus>| s == Some(RuleStatus::Undetermined);
    let mut out = Vec::new();
    for rule in &new.rules {
        let (was, is) = (status(old, &rule.rule), Some(rule.status));
        if undetermined(was) != undetermined(is) && !delta.started.contains(&rule.rule.to_string())
        {
            out.push(rule.rule.clone());
        }
    }
    for rule in &old.rules {
        if undetermined(Some(rule.status))
            && status(new, &rule.rule).is_none_or(|s| s != RuleStatus::Undetermined)
            && !out.contains(&rule.rule)
            && !delta.stopped.contains(&rule.rule.to_string())
        {
            out.push(rule.rule.clone());
        }
    }
    out.sort();
    out
}

/// The differing answers read by the rules whose outcome switched, on
/// either side's definition, in the order the answers differ (asking order).
fn causes(
    topics: [&Topic; 2],
    switched: &[&RuleId],
    differing: &BTreeSet<&QuestionId>,
) -> Vec<Cause> {
    let reads = |topic: &Topic, id: &RuleId| -> Vec<QuestionId> {
        topic
            .rules
            .iter()
            .find(|r| &r.id == id)
            .and_then(|r| r.when.as_ref())
            .map(|w| w.questions().into_iter().cloned().collect())
            .unwrap_or_default()
    };
    let mut causes: BTreeMap<&QuestionId, BTreeSet<RuleId>> = BTreeMap::new();
    for rule in switched {
        let mut read = reads(topics[1], rule);
        read.extend(reads(topics[0], rule));
        for q in read {
            if let Some(q) = differing.get(&q) {
                causes.entry(q).or_default().insert((*rule).clone());
            }
        }
    }
    differing
        .iter()
        .filter_map(|q| {
            causes.remove(q).map(|rules| Cause {
                question: (*q).clone(),
                rules: rules.into_iter().collect(),
            })
        })
        .collect()
}

/// The rule definition changes, among this topic's rules (old or new),
/// whose effect on the scores differs between the two sides.
fn moved_scores(
    topics: [&Topic; 2],
    outcomes: [&TopicOutcome; 2],
    changed_rules: &BTreeSet<&RuleId>,
) -> Vec<RuleId> {
    let (old_fx, new_fx) = (effects(outcomes[0]), effects(outcomes[1]));
    let none = Effect::default();
    changed_rules
        .iter()
        .filter(|r| {
            let in_topic = topics[0]
                .rules
                .iter()
                .chain(&topics[1].rules)
                .any(|x| &&x.id == *r);
            in_topic && old_fx.get(**r).unwrap_or(&none) != new_fx.get(**r).unwrap_or(&none)
        })
        .map(|r| (*r).clone())
        .collect()
}

/// Rules added, removed or edited (points, knock-outs or condition), by topic
/// then id. Wording, rationale and sources do not count: they move no score.
fn rule_changes(old: &RuleBase, new: &RuleBase) -> Vec<RuleChange> {
    let (old_all, new_all) = (rules_by_id(old), rules_by_id(new));
    let mut out = Vec::new();
    for (id, (topic, b)) in &new_all {
        let change = |change, points, condition| RuleChange {
            rule: (*id).clone(),
            topic: (*topic).clone(),
            change,
            points,
            condition,
        };
        match old_all.get(id) {
            None => out.push(change(RuleChangeKind::Added, false, false)),
            Some((_, a)) => {
                let points = a.score != b.score || a.exclude != b.exclude;
                let condition = a.when.as_ref().map(ToString::to_string)
                    != b.when.as_ref().map(ToString::to_string);
                if points || condition {
                    out.push(change(RuleChangeKind::Changed, points, condition));
                }
            }
        }
    }
    for (id, (topic, _)) in &old_all {
        if !new_all.contains_key(id) {
            out.push(RuleChange {
                rule: (*id).clone(),
                topic: (*topic).clone(),
                change: RuleChangeKind::Removed,
                points: false,
                condition: false,
            });
        }
    }
    out.sort_by(|a, b| a.topic.cmp(&b.topic).then_with(|| a.rule.cmp(&b.rule)));
    out
}

fn rules_by_id(rb: &RuleBase) -> BTreeMap<&RuleId, (&TopicId, &Rule)> {
    rb.topics()
        .iter()
        .flat_map(|t| t.rules.iter().map(move |r| (&r.id, (&t.id, r))))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn firing_delta_is_sorted_and_ignores_rules_firing_on_both_sides() {
        let delta = FiringDelta::between(["b", "keep", "a"], ["keep", "z", "c"]);
        assert_eq!(delta.started, ["c", "z"]);
        assert_eq!(delta.stopped, ["a", "b"]);
        assert!(FiringDelta::between(["x"], ["x"]).is_empty());
    }
}
