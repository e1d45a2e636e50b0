//! Evaluation: scoring a topic's options from facts, with the full trace.
//!
//! [`evaluate`] is a pure, deterministic function of a validated rule base
//! and the facts: no I/O, no clock, ordered maps only, ties broken by option
//! id. It returns, for each topic, the ranking, a confidence, the reasons
//! that weigh most, every rule's outcome with its condition trace (fired,
//! nearly fired, undetermined by an unknown answer, not fired) and the
//! tipping points: the single answer changes that would change the winner.
//! Report writers render this; they never re-score.

pub mod condition;
pub mod facts;
mod sensitivity;

pub use condition::{TestTrace, Trace, TraceNode, Truth};
pub use facts::{DerivedFacts, Facts};
pub use sensitivity::{AnswerChange, TippingPoint};

use crate::ids::{OptionId, QuestionId, RuleId, TopicId};
use crate::rulebase::{DECISION_PREFIX, RiskKind, Rule, RuleBase, RuleOrigin, Severity, Topic};
use crate::value::{Answer, Value};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// A lead of at least this many points is a clear decision.
pub const HIGH_MARGIN: i32 = 5;
/// A lead of at least this many points is a decision worth a second look.
pub const MEDIUM_MARGIN: i32 = 2;
/// How many reasons a summary gives for a verdict.
pub const MAX_REASONS: usize = 3;
/// Topics of one wave are evaluated on two threads from this many rules
/// on. Starting a thread costs 50-300 µs, about what evaluating 100 rules
/// with their sensitivity analysis takes (`cargo bench --bench decide`
/// times the evaluation phase): the built-in rule base (some 400 rules, in
/// three waves) runs faster on one thread.
const RULES_WORTH_A_THREAD: usize = 1_000;

#[derive(Debug, Serialize)]
pub struct Evaluation {
    pub topics: Vec<TopicOutcome>,
    /// Risks and contradictions the answers (and decisions) raise, most
    /// severe first.
    pub risks: Vec<Flag>,
}

/// A risk or contradiction whose condition holds.
#[derive(Debug, Serialize)]
pub struct Flag {
    pub risk: RuleId,
    pub kind: RiskKind,
    pub severity: Severity,
    /// The answers (and decisions) behind it.
    pub answers: Vec<TestTrace>,
}

/// A linked decision: another topic's winner that this topic's rules read.
#[derive(Debug, Serialize)]
pub struct Linked {
    pub topic: TopicId,
    pub winner: OptionId,
    /// The rules that read it and fired.
    pub rules: Vec<RuleId>,
}

/// Where an option's points came from.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Breakdown {
    pub requirements: i32,
    pub priorities: i32,
    pub policy: i32,
}

/// The winner there would have been without the user's priorities or
/// without the policy, where that differs: what they changed.
#[derive(Debug, Default, Serialize)]
pub struct Swayed {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub without_priorities: Option<OptionId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub without_policy: Option<OptionId>,
}

/// Everything evaluation found about one topic.
#[derive(Debug, Serialize)]
pub struct TopicOutcome {
    pub topic: TopicId,
    /// The best option, unless every option was ruled out.
    pub winner: Option<OptionId>,
    /// Options best first; ruled-out options last.
    pub ranking: Vec<Ranked>,
    pub confidence: Confidence,
    /// The rules that weigh most for the winner, strongest first.
    pub reasons: Vec<Reason>,
    /// Every rule of the topic, in file order.
    pub rules: Vec<RuleOutcome>,
    /// Questions this topic reads that were answered "don't know".
    pub unknowns: Vec<QuestionId>,
    /// Single answer changes that would change the winner.
    pub tipping_points: Vec<TippingPoint>,
    /// Rules with advice that fired: what to do whatever wins.
    pub advice: Vec<RuleId>,
    /// Other topics' decisions that this topic's rules read and that fired.
    pub linked: Vec<Linked>,
    /// What priorities and policy changed about the winner.
    pub swayed: Swayed,
}

#[derive(Debug, Serialize)]
pub struct Ranked {
    pub option: OptionId,
    /// 1 for the winner; ruled-out options rank after all others.
    pub rank: usize,
    pub score: i32,
    /// The score by origin: requirements, priorities, policy.
    pub breakdown: Breakdown,
    /// The knock-out rules that ruled this option out, if any.
    pub excluded_by: Vec<RuleId>,
    /// Every point of the score, by rule, in rule order.
    pub contributions: Vec<Contribution>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Contribution {
    pub rule: RuleId,
    pub points: i32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleStatus {
    /// The condition held: the rule's effects apply.
    Fired,
    /// The condition failed on exactly one test.
    NearMiss,
    /// The condition depends on an answer given as "don't know".
    Undetermined,
    NotFired,
}

#[derive(Debug, Serialize)]
pub struct RuleOutcome {
    pub rule: RuleId,
    pub status: RuleStatus,
    /// Fired: the answers that made it fire.
    pub matched: Vec<TestTrace>,
    /// Near miss: the one test that failed. Undetermined: the unknown tests.
    pub missing: Vec<TestTrace>,
    /// The whole condition, evaluated; absent for rules that always apply.
    pub trace: Option<Trace>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Low,
    Medium,
    High,
}

/// How firmly the winner leads.
#[derive(Debug, Serialize)]
pub struct Confidence {
    pub level: Level,
    /// Points between the winner and the runner-up.
    pub margin: Option<i32>,
    pub runner_up: Option<OptionId>,
    /// The most points that rules waiting on unknown answers could still
    /// move against the winner.
    pub unknown_swing: i32,
    /// Whether unknown answers alone could change the winner.
    pub could_flip: bool,
}

/// A rule that weighs for the winner: it raised the winner, lowered the
/// alternatives, or ruled out an option that would have won.
#[derive(Debug, Serialize)]
pub struct Reason {
    pub rule: RuleId,
    /// Points the rule gave the winner.
    pub points: i32,
    /// Points it put between the winner and the runner-up.
    pub lead: i32,
    /// Options it ruled out that would otherwise have matched or beaten the winner.
    pub excluded: Vec<OptionId>,
    /// The answers behind it.
    pub answers: Vec<TestTrace>,
}

/// Evaluates the topics in the order linked decisions need (each after the
/// topics whose winners it reads), then flags the risks; outcomes come back
/// in the order asked.
pub fn evaluate(rb: &RuleBase, facts: &Facts, topics: &[&Topic]) -> Evaluation {
    let mut decided = facts.clone();
    let mut outcomes: Vec<TopicOutcome> = Vec::with_capacity(topics.len());
    let tries = sensitivity::Tries::new(rb);
    for level in rb.decision_waves(topics) {
        let done = evaluate_level(rb, &decided, &tries, &level);
        for outcome in &done {
            decided.decide(&outcome.topic, outcome.winner.as_ref());
        }
        outcomes.extend(done);
    }
    outcomes.sort_by_key(|o| topics.iter().position(|t| t.id == o.topic));
    let risks = flags(rb, &decided, topics);
    Evaluation {
        topics: outcomes,
        risks,
    }
}

/// Evaluates independent topics, on two threads when there is work for
/// both: evaluation with its sensitivity analysis is most of a run's time.
fn evaluate_level(
    rb: &RuleBase,
    facts: &Facts,
    tries: &sensitivity::Tries,
    topics: &[&Topic],
) -> Vec<TopicOutcome> {
    let slots = facts::Slots::new(rb, facts);
    on_two_threads(topics, RULES_WORTH_A_THREAD, |t| {
        evaluate_with(rb, &slots, tries, t)
    })
}

/// `f` over the topics, in their order, split over two threads (about
/// half of the rules each) when there are at least `min_rules` rules.
fn on_two_threads<T: Send>(
    topics: &[&Topic],
    min_rules: usize,
    f: impl Fn(&Topic) -> T + Sync,
) -> Vec<T> {
    crate::parallel::on_two_threads(topics, |t| t.rules.len(), min_rules, |t| f(t))
}

/// A topic's winner and scores, without explanations: what [`score`] returns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Scored {
    pub topic: TopicId,
    pub winner: Option<OptionId>,
    /// Points per option, in the topic's option order, and whether it is ruled out.
    pub scores: Vec<(OptionId, i32, bool)>,
}

/// The fast path of evaluation: every condition's truth and the tally, for
/// every topic in linked-decision order, with no trace, reasons or
/// sensitivity. It decides exactly the winners [`evaluate`] does; tools
/// that re-evaluate many answer sets (merge impact, brute-force checks of
/// the tipping points, benchmarks at scale) use it.
pub fn score(rb: &RuleBase, facts: &Facts, topics: &[&Topic]) -> Vec<Scored> {
    let mut decided = facts.clone();
    let mut out: Vec<Scored> = Vec::with_capacity(topics.len());
    for level in rb.decision_waves(topics) {
        let slots = facts::Slots::new(rb, &decided);
        let done = on_two_threads(&level, 4000, |topic| {
            let truths: Vec<Truth> = topic
                .rules
                .iter()
                .map(|r| {
                    r.when
                        .as_ref()
                        .map_or(Truth::True, |w| condition::truth(w, &&slots))
                })
                .collect();
            let (winner, scores) = sensitivity::scores(topic, &truths);
            Scored {
                topic: topic.id.clone(),
                winner,
                scores,
            }
        });
        for s in &done {
            decided.decide(&s.topic, s.winner.as_ref());
        }
        out.extend(done);
    }
    out.sort_by_key(|o| topics.iter().position(|t| t.id == o.topic));
    out
}

/// The risks whose conditions hold, for the topics evaluated: a risk tied
/// to topics shows when one of them is evaluated; an untied one always.
fn flags(rb: &RuleBase, facts: &Facts, topics: &[&Topic]) -> Vec<Flag> {
    let mut out: Vec<Flag> = rb
        .risks()
        .iter()
        .filter(|r| {
            r.topics.is_empty() || r.topics.iter().any(|t| topics.iter().any(|x| &x.id == t))
        })
        .filter_map(|risk| {
            let trace = condition::trace(&risk.when, facts);
            (trace.truth == Truth::True).then(|| Flag {
                risk: risk.id.clone(),
                kind: risk.kind,
                severity: risk.severity,
                answers: trace.decisive().into_iter().cloned().collect(),
            })
        })
        .collect();
    out.sort_by_key(|f| f.severity);
    out
}

/// Evaluates one topic alone, with its sensitivity analysis.
pub fn evaluate_topic(rb: &RuleBase, facts: &Facts, topic: &Topic) -> TopicOutcome {
    let tries = sensitivity::Tries::new(rb);
    evaluate_with(rb, &facts::Slots::new(rb, facts), &tries, topic)
}

fn evaluate_with(
    rb: &RuleBase,
    slots: &facts::Slots<'_>,
    tries: &sensitivity::Tries,
    topic: &Topic,
) -> TopicOutcome {
    let facts = slots.facts;
    let rules: Vec<RuleOutcome> = topic
        .rules
        .iter()
        .map(|rule| rule_outcome(rule, slots))
        .collect();
    let truths: Vec<Truth> = rules.iter().map(|r| status_truth(r.status)).collect();
    let tally = Tally::new(topic, &truths);
    let ranking = tally.ranking(topic);
    let winner = ranking
        .first()
        .filter(|r| r.excluded_by.is_empty())
        .map(|r| r.option.clone());
    let confidence = confidence(topic, &tally, &truths, winner.as_ref(), &ranking);
    let reasons = reasons(
        topic,
        &rules,
        &tally,
        winner.as_ref(),
        confidence.runner_up.as_ref(),
    );
    let unknowns = rb
        .topic_index(topic)
        .reads
        .iter()
        .filter(|q| facts.get(q) == Some(&Answer::Unknown))
        .cloned()
        .collect();
    let tipping_points =
        sensitivity::tipping_points(rb, slots, tries, topic, winner.as_ref(), &truths);
    let linked = linked(topic, &rules, facts);
    let swayed = Swayed {
        without_priorities: sensitivity::winner_without(rb, topic, &truths, RuleOrigin::Priority)
            .filter(|w| Some(w) != winner.as_ref()),
        without_policy: sensitivity::winner_without(rb, topic, &truths, RuleOrigin::Policy)
            .filter(|w| Some(w) != winner.as_ref()),
    };
    let advice = topic
        .rules
        .iter()
        .zip(&rules)
        .filter(|(rule, o)| rule.advice.is_some() && o.status == RuleStatus::Fired)
        .map(|(rule, _)| rule.id.clone())
        .collect();
    TopicOutcome {
        advice,
        topic: topic.id.clone(),
        winner,
        ranking,
        confidence,
        reasons,
        rules,
        unknowns,
        tipping_points,
        linked,
        swayed,
    }
}

/// The upstream decisions this topic's fired rules read.
fn linked(topic: &Topic, outcomes: &[RuleOutcome], facts: &Facts) -> Vec<Linked> {
    let mut out: Vec<Linked> = Vec::new();
    for (rule, outcome) in topic.rules.iter().zip(outcomes) {
        if outcome.status != RuleStatus::Fired {
            continue;
        }
        let Some(when) = &rule.when else { continue };
        for q in when.questions() {
            let Some(upstream) = q.as_str().strip_prefix(DECISION_PREFIX) else {
                continue;
            };
            let Some(Answer::Known(Value::Choice(winner))) = facts.get(q) else {
                continue;
            };
            match out.iter_mut().find(|l| l.topic.as_str() == upstream) {
                Some(l) => l.rules.push(rule.id.clone()),
                None => out.push(Linked {
                    topic: TopicId::new(upstream),
                    winner: OptionId::new(winner.as_str()),
                    rules: vec![rule.id.clone()],
                }),
            }
        }
    }
    out
}

fn rule_outcome(rule: &Rule, facts: &facts::Slots<'_>) -> RuleOutcome {
    let Some(when) = &rule.when else {
        return RuleOutcome {
            rule: rule.id.clone(),
            status: RuleStatus::Fired,
            matched: Vec::new(),
            missing: Vec::new(),
            trace: None,
        };
    };
    let trace = condition::trace(when, &facts);
    let (status, matched, missing) = match trace.truth {
        Truth::True => (RuleStatus::Fired, trace.decisive(), Vec::new()),
        Truth::Unknown => (RuleStatus::Undetermined, Vec::new(), trace.decisive()),
        Truth::False => {
            let needed = trace.needed(true);
            if needed.len() == 1 {
                (RuleStatus::NearMiss, Vec::new(), needed)
            } else {
                (RuleStatus::NotFired, Vec::new(), Vec::new())
            }
        }
    };
    let own = |tests: Vec<&TestTrace>| tests.into_iter().cloned().collect();
    RuleOutcome {
        rule: rule.id.clone(),
        status,
        matched: own(matched),
        missing: own(missing),
        trace: Some(trace),
    }
}

fn status_truth(status: RuleStatus) -> Truth {
    match status {
        RuleStatus::Fired => Truth::True,
        RuleStatus::Undetermined => Truth::Unknown,
        RuleStatus::NearMiss | RuleStatus::NotFired => Truth::False,
    }
}

/// Points and knock-outs per option from the rules that fired. Shared by the
/// full evaluation and the sensitivity analysis so both score alike.
struct Tally<'t> {
    points: BTreeMap<&'t OptionId, i32>,
    breakdown: BTreeMap<&'t OptionId, Breakdown>,
    contributions: BTreeMap<&'t OptionId, Vec<Contribution>>,
    excluded_by: BTreeMap<&'t OptionId, Vec<RuleId>>,
}

impl<'t> Tally<'t> {
    /// `truths[i]` is the outcome of `topic.rules[i]`.
    fn new(topic: &'t Topic, truths: &[Truth]) -> Self {
        let mut tally = Tally {
            points: topic.options.iter().map(|o| (&o.id, 0)).collect(),
            breakdown: BTreeMap::new(),
            contributions: BTreeMap::new(),
            excluded_by: BTreeMap::new(),
        };
        for (rule, truth) in topic.rules.iter().zip(truths) {
            if *truth != Truth::True {
                continue;
            }
            for (option, points) in &rule.score {
                if let Some(total) = tally.points.get_mut(option) {
                    *total += points;
                }
                if let Some(o) = topic.option(option.as_str()) {
                    let b = tally.breakdown.entry(&o.id).or_default();
                    match rule.origin {
                        RuleOrigin::Requirement => b.requirements += points,
                        RuleOrigin::Priority => b.priorities += points,
                        RuleOrigin::Policy => b.policy += points,
                    }
                    tally
                        .contributions
                        .entry(&o.id)
                        .or_default()
                        .push(Contribution {
                            rule: rule.id.clone(),
                            points: *points,
                        });
                }
            }
            for option in &rule.exclude {
                if let Some(o) = topic.option(option.as_str()) {
                    tally
                        .excluded_by
                        .entry(&o.id)
                        .or_default()
                        .push(rule.id.clone());
                }
            }
        }
        tally
    }

    fn score(&self, option: &OptionId) -> i32 {
        self.points.get(option).copied().unwrap_or(0)
    }

    fn excluded(&self, option: &OptionId) -> bool {
        self.excluded_by.contains_key(option)
    }

    /// Options in ranking order: standing options by score then id, then
    /// ruled-out options by score then id.
    fn order(&self, topic: &'t Topic) -> Vec<&'t OptionId> {
        let mut ids: Vec<&OptionId> = topic.options.iter().map(|o| &o.id).collect();
        ids.sort_by(|a, b| {
            self.excluded(a)
                .cmp(&self.excluded(b))
                .then_with(|| self.score(b).cmp(&self.score(a)))
                .then_with(|| a.cmp(b))
        });
        ids
    }

    fn ranking(&self, topic: &'t Topic) -> Vec<Ranked> {
        self.order(topic)
            .into_iter()
            .enumerate()
            .map(|(i, option)| Ranked {
                option: option.clone(),
                rank: i + 1,
                score: self.score(option),
                breakdown: self.breakdown.get(option).copied().unwrap_or_default(),
                excluded_by: self.excluded_by.get(option).cloned().unwrap_or_default(),
                contributions: self.contributions.get(option).cloned().unwrap_or_default(),
            })
            .collect()
    }
}

fn confidence(
    topic: &Topic,
    tally: &Tally<'_>,
    truths: &[Truth],
    winner: Option<&OptionId>,
    ranking: &[Ranked],
) -> Confidence {
    let Some(winner) = winner else {
        return Confidence {
            level: Level::Low,
            margin: None,
            runner_up: None,
            unknown_swing: 0,
            could_flip: false,
        };
    };
    let standing: Vec<&Ranked> = ranking
        .iter()
        .filter(|r| r.excluded_by.is_empty())
        .collect();
    let runner_up = standing.get(1).map(|r| r.option.clone());
    let margin = standing.get(1).map(|r| tally.score(winner) - r.score);
    // What the rules waiting on "don't know" answers could still do: for each
    // challenger, the points they could add to it over the winner.
    let undetermined: Vec<&Rule> = topic
        .rules
        .iter()
        .zip(truths)
        .filter(|(_, t)| **t == Truth::Unknown)
        .map(|(r, _)| r)
        .collect();
    let mut could_flip = undetermined.iter().any(|r| r.exclude.contains(winner));
    let mut unknown_swing = 0;
    for challenger in standing.iter().skip(1) {
        let swing: i32 = undetermined
            .iter()
            .map(|r| (r.points_for(&challenger.option) - r.points_for(winner)).max(0))
            .sum();
        unknown_swing = unknown_swing.max(swing);
        let lead = tally.score(winner) - challenger.score;
        if swing > 0 && swing >= lead {
            could_flip = true;
        }
    }
    let level = if could_flip {
        Level::Low
    } else {
        match margin {
            None => Level::High,
            Some(m) if m >= HIGH_MARGIN => Level::High,
            Some(m) if m >= MEDIUM_MARGIN => Level::Medium,
            Some(_) => Level::Low,
        }
    };
    Confidence {
        level,
        margin,
        runner_up,
        unknown_swing,
        could_flip,
    }
}

fn reasons(
    topic: &Topic,
    outcomes: &[RuleOutcome],
    tally: &Tally<'_>,
    winner: Option<&OptionId>,
    runner_up: Option<&OptionId>,
) -> Vec<Reason> {
    let Some(winner) = winner else {
        return Vec::new();
    };
    let winner_score = tally.score(winner);
    let others: Vec<&OptionId> = topic
        .options
        .iter()
        .map(|o| &o.id)
        .filter(|o| *o != winner && !tally.excluded(o))
        .collect();
    // (sort key, file order, reason). The key is the rule's advantage over
    // the field: its points for the winner against the mean of its points
    // for every other standing option, scaled to stay in integers.
    let mut out: Vec<(i64, usize, Reason)> = Vec::new();
    for (index, (rule, outcome)) in topic.rules.iter().zip(outcomes).enumerate() {
        if outcome.status != RuleStatus::Fired {
            continue;
        }
        let excluded: Vec<OptionId> = rule
            .exclude
            .iter()
            .filter(|o| tally.score(o) >= winner_score)
            .cloned()
            .collect();
        let points = rule.points_for(winner);
        let others_total: i64 = others.iter().map(|o| i64::from(rule.points_for(o))).sum();
        let field = i64::from(points) * others.len().max(1) as i64 - others_total;
        if field > 0 || !excluded.is_empty() {
            let key = if excluded.is_empty() { field } else { i64::MAX };
            out.push((
                key,
                index,
                Reason {
                    rule: rule.id.clone(),
                    points,
                    lead: points - runner_up.map_or(0, |r| rule.points_for(r)),
                    excluded,
                    answers: outcome.matched.clone(),
                },
            ));
        }
    }
    out.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then_with(|| b.2.lead.cmp(&a.2.lead))
            .then_with(|| a.1.cmp(&b.1))
    });
    out.into_iter()
        .map(|(_, _, r)| r)
        .take(MAX_REASONS)
        .collect()
}

impl Evaluation {
    /// The facts with every evaluated topic's decision recorded, as linked
    /// topics read them: re-evaluating one topic over these gives the same
    /// outcome as in the whole run.
    pub fn decided(&self, facts: &Facts) -> Facts {
        let mut out = facts.clone();
        for o in &self.topics {
            out.decide(&o.topic, o.winner.as_ref());
        }
        out
    }
}

impl TopicOutcome {
    pub fn rule(&self, id: &RuleId) -> Option<&RuleOutcome> {
        self.rules.iter().find(|r| &r.rule == id)
    }

    pub fn ranked(&self, option: &OptionId) -> Option<&Ranked> {
        self.ranking.iter().find(|r| &r.option == option)
    }

    pub fn with_status(&self, status: RuleStatus) -> impl Iterator<Item = &RuleOutcome> {
        self.rules.iter().filter(move |r| r.status == status)
    }

    /// Ids of the rules that fired, in file order.
    pub fn fired(&self) -> BTreeSet<&RuleId> {
        self.with_status(RuleStatus::Fired)
            .map(|r| &r.rule)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rulebase::load::RuleBaseFiles;
    use crate::value::Value;

    const QUESTIONS: &str = r#"
[[question]]
id = "load"
label = "Load"
prompt = "Load?"
help = "h"
kind = "number"
allow_unknown = true

[[question]]
id = "mode"
label = "Mode"
prompt = "Mode?"
help = "h"
kind = "single"
choices = [{ id = "a", label = "A" }, { id = "b", label = "B" }]
"#;

    const TOPIC: &str = r#"
[topic]
id = "t"
title = "T"
problem = "Which?"

[[option]]
id = "zeta"
name = "Zeta"
summary = "z"

[[option]]
id = "alpha"
name = "Alpha"
summary = "a"

[[option]]
id = "mid"
name = "Mid"
summary = "m"

[[rule]]
id = "base"
summary = "Zeta and alpha start level"
score = { zeta = 2, alpha = 2 }
rationale = "r"
sources = ["Someone, a source, https://example.com"]

[[rule]]
id = "big-load"
summary = "Big load favours mid"
when = { q = "load", gt = 100 }
score = { mid = 5 }
rationale = "r"
sources = ["Someone, a source, https://example.com"]

[[rule]]
id = "mode-b-rules-out-alpha"
summary = "Mode b rules alpha out"
when = { q = "mode", eq = "b" }
exclude = ["alpha"]
rationale = "r"
sources = ["Someone, a source, https://example.com"]

[[rule]]
id = "both"
summary = "Mode a with big load"
when.all = [{ q = "mode", eq = "a" }, { q = "load", gt = 1000 }]
score = { zeta = 1 }
rationale = "r"
sources = ["Someone, a source, https://example.com"]
"#;

    fn rule_base() -> RuleBase {
        let files =
            RuleBaseFiles::from_memory(&[("questions.toml", QUESTIONS), ("topics/t.toml", TOPIC)]);
        RuleBase::from_files(files, "test").unwrap()
    }

    fn facts(load: Answer, mode: &str) -> Facts {
        let mut map = std::collections::BTreeMap::new();
        map.insert(QuestionId::new("load"), load);
        map.insert(
            QuestionId::new("mode"),
            Answer::Known(Value::Choice(mode.into())),
        );
        Facts::from_map(map)
    }

    fn outcome(load: Answer, mode: &str) -> TopicOutcome {
        let rb = rule_base();
        let topic = rb.topic("t").unwrap();
        evaluate_topic(&rb, &facts(load, mode), topic)
    }

    fn num(n: f64) -> Answer {
        Answer::Known(Value::Number(n))
    }

    #[test]
    fn ties_are_broken_by_option_id_and_flagged_low() {
        let o = outcome(num(10.0), "a");
        let order: Vec<&str> = o.ranking.iter().map(|r| r.option.as_str()).collect();
        assert_eq!(order, ["alpha", "zeta", "mid"]);
        assert_eq!(o.winner.as_ref().map(OptionId::as_str), Some("alpha"));
        assert_eq!(o.confidence.margin, Some(0));
        assert_eq!(o.confidence.level, Level::Low);
    }

    #[test]
    fn knock_outs_rank_last_and_count_as_reasons() {
        let o = outcome(num(10.0), "b");
        let last = o.ranking.last().unwrap();
        assert_eq!(last.option.as_str(), "alpha");
        assert_eq!(last.excluded_by, [RuleId::new("mode-b-rules-out-alpha")]);
        assert_eq!(o.winner.as_ref().map(OptionId::as_str), Some("zeta"));
        assert_eq!(o.reasons[0].rule.as_str(), "mode-b-rules-out-alpha");
        assert_eq!(o.reasons[0].excluded, [OptionId::new("alpha")]);
    }

    #[test]
    fn scores_are_the_sum_of_contributions() {
        let o = outcome(num(5000.0), "a");
        for ranked in &o.ranking {
            let sum: i32 = ranked.contributions.iter().map(|c| c.points).sum();
            assert_eq!(sum, ranked.score, "{}", ranked.option);
        }
        assert_eq!(o.winner.as_ref().map(OptionId::as_str), Some("mid"));
        assert_eq!(o.fired().len(), 3);
    }

    #[test]
    fn unknown_answers_leave_rules_undetermined_and_lower_confidence() {
        let o = outcome(Answer::Unknown, "b");
        assert_eq!(o.winner.as_ref().map(OptionId::as_str), Some("zeta"));
        let big = o.rule(&RuleId::new("big-load")).unwrap();
        assert_eq!(big.status, RuleStatus::Undetermined);
        assert_eq!(big.missing[0].says(), "load = unknown");
        // mid could gain 5 against a lead of 2: the winner is not safe
        assert!(o.confidence.could_flip);
        assert_eq!(o.confidence.unknown_swing, 5);
        assert_eq!(o.confidence.level, Level::Low);
        assert_eq!(o.unknowns, [QuestionId::new("load")]);
    }

    #[test]
    fn near_misses_name_the_one_failing_test() {
        let o = outcome(num(500.0), "a");
        let both = o.rule(&RuleId::new("both")).unwrap();
        assert_eq!(both.status, RuleStatus::NearMiss);
        assert_eq!(both.missing.len(), 1);
        assert_eq!(both.missing[0].test(), "load > 1000");
    }

    #[test]
    fn tipping_points_find_the_smallest_change_each_way() {
        let o = outcome(num(10.0), "b");
        // zeta wins (alpha ruled out); above 100, mid would.
        let tips: Vec<(&str, &str, &str)> = o
            .tipping_points
            .iter()
            .map(|t| (t.question.as_str(), t.change.as_str(), t.winner.as_str()))
            .collect();
        assert!(tips.contains(&("load", "above 100", "mid")), "{tips:?}");
        assert!(tips.contains(&("mode", "= a", "alpha")), "{tips:?}");
        let above: Vec<_> = o
            .tipping_points
            .iter()
            .filter(|t| t.question.as_str() == "load")
            .collect();
        assert_eq!(above.len(), 1, "only the nearest threshold: {above:?}");
        assert_eq!(above[0].rules, [RuleId::new("big-load")]);
    }

    const LINKED: &str = r#"
[topic]
id = "down"
title = "Down"
problem = "Which?"

[[option]]
id = "x"
name = "X"
summary = "x"
profile = { cost = 2, time_to_market = 0, operational_simplicity = 0, latency = -1, scalability = 0, consistency = 0, availability = 0, team_familiarity = 0 }
profile_why = "X is cheap."
profile_sources = ["Someone, a source, https://example.com"]

[[option]]
id = "y"
name = "Y"
summary = "y"
profile = { cost = -1, time_to_market = 0, operational_simplicity = 0, latency = 2, scalability = 0, consistency = 0, availability = 0, team_familiarity = 0 }
profile_why = "Y is fast."
profile_sources = ["Someone, a source, https://example.com"]

[[rule]]
id = "y-base"
summary = "Y leads by default"
score = { y = 1 }
rationale = "r"
sources = ["Someone, a source, https://example.com"]

[[rule]]
id = "mid-upstream-favours-x"
summary = "When t decides mid, x fits"
when = { decision = "t", eq = "mid" }
score = { x = 3 }
rationale = "r"
sources = ["Someone, a source, https://example.com"]
"#;

    const RISKS: &str = r#"
[[risk]]
id = "mid-in-mode-a"
kind = "risk"
severity = "medium"
title = "Mid in mode a"
when.all = [{ decision = "t", eq = "mid" }, { q = "mode", eq = "a" }]
rationale = "r"
mitigation = "m"
sources = ["Someone, a source, https://example.com"]
topics = ["down"]
"#;

    fn linked_base() -> RuleBase {
        let files = RuleBaseFiles::from_memory(&[
            ("questions.toml", QUESTIONS),
            ("topics/t.toml", TOPIC),
            ("topics/down.toml", LINKED),
            ("risks.toml", RISKS),
        ]);
        RuleBase::from_files(files, "test").unwrap()
    }

    #[test]
    fn linked_decisions_read_the_upstream_winner_and_tip_through_it() {
        let rb = linked_base();
        let topics: Vec<&Topic> = vec![rb.topic("down").unwrap(), rb.topic("t").unwrap()];
        // load 5000 in mode a: t decides mid, so down's link fires
        let e = evaluate(&rb, &facts(num(5000.0), "a"), &topics);
        assert_eq!(e.topics[0].topic.as_str(), "down", "asked order kept");
        let down = &e.topics[0];
        assert_eq!(down.winner.as_ref().map(OptionId::as_str), Some("x"));
        assert_eq!(down.linked.len(), 1);
        assert_eq!(down.linked[0].topic.as_str(), "t");
        assert_eq!(down.linked[0].winner.as_str(), "mid");
        // a load answer that changes t's winner changes down's too
        let tip = down
            .tipping_points
            .iter()
            .find(|t| t.question.as_str() == "load")
            .expect("load tips down through t");
        assert_eq!(tip.winner.as_str(), "y");
        assert!(
            tip.rules.iter().any(|r| r.as_str() == "decision:t"),
            "{tip:?}"
        );
        // the risk reads the decision and an answer
        assert_eq!(e.risks.len(), 1);
        assert_eq!(e.risks[0].risk.as_str(), "mid-in-mode-a");
        assert_eq!(e.risks[0].severity, Severity::Medium);
        // low load: t does not decide mid, nothing linked, no risk
        let e = evaluate(&rb, &facts(num(10.0), "a"), &topics);
        assert!(e.topics[0].linked.is_empty());
        assert!(e.risks.is_empty());
    }

    #[test]
    fn priorities_are_rules_whose_points_are_traced_and_named() {
        let rb = linked_base();
        let weights = crate::priorities::Weights::build(&[], &["cost=2".into()]).unwrap();
        let extra = weights.rules(&rb);
        let rb = rb.with_rules(extra, crate::rulebase::Context::default());
        let topics: Vec<&Topic> = vec![rb.topic("t").unwrap(), rb.topic("down").unwrap()];
        let e = evaluate(&rb, &facts(num(10.0), "a"), &topics);
        let down = &e.topics[1];
        // y-base gives y 1; cost ×2 gives x +4, y -2
        assert_eq!(down.winner.as_ref().map(OptionId::as_str), Some("x"));
        let x = down.ranked(&OptionId::new("x")).unwrap();
        assert_eq!(
            x.breakdown,
            Breakdown {
                requirements: 0,
                priorities: 4,
                policy: 0
            }
        );
        assert_eq!(x.contributions[0].rule.as_str(), "priority:down:cost");
        assert_eq!(
            down.swayed
                .without_priorities
                .as_ref()
                .map(OptionId::as_str),
            Some("y")
        );
        let (_, rule) = rb.rule("priority:down:cost").unwrap();
        assert!(
            rule.rationale.contains("x +2 (X is cheap)"),
            "{}",
            rule.rationale
        );
    }

    #[test]
    fn a_cycle_of_linked_decisions_is_an_error_at_the_condition() {
        let back = TOPIC.replace(
            "when = { q = \"load\", gt = 100 }",
            "when = { decision = \"down\", eq = \"x\" }",
        );
        let files = RuleBaseFiles::from_memory(&[
            ("questions.toml", QUESTIONS),
            ("topics/t.toml", &back),
            ("topics/down.toml", LINKED),
        ]);
        let e = RuleBase::from_files(files, "test")
            .unwrap_err()
            .render(false);
        assert!(e.contains("linked decisions form a cycle"), "{e}");
        let own = LINKED.replace("decision = \"t\"", "decision = \"down\"");
        let files = RuleBaseFiles::from_memory(&[
            ("questions.toml", QUESTIONS),
            ("topics/t.toml", TOPIC),
            ("topics/down.toml", &own),
        ]);
        let e = RuleBase::from_files(files, "test")
            .unwrap_err()
            .render(false);
        assert!(
            e.contains("topic `down` cannot read its own decision"),
            "{e}"
        );
        let typo = LINKED.replace("decision = \"t\"", "decision = \"tt\"");
        let files = RuleBaseFiles::from_memory(&[
            ("questions.toml", QUESTIONS),
            ("topics/t.toml", TOPIC),
            ("topics/down.toml", &typo),
        ]);
        let e = RuleBase::from_files(files, "test")
            .unwrap_err()
            .render(false);
        assert!(e.contains("unknown topic `tt`"), "{e}");
    }

    #[test]
    fn evaluation_is_deterministic() {
        let a = serde_json::to_string(&outcome(num(500.0), "a")).unwrap();
        let b = serde_json::to_string(&outcome(num(500.0), "a")).unwrap();
        assert_eq!(a, b);
    }
}
