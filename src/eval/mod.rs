//! Evaluation: scoring a topic's options from facts, with the full trace.
//!
//! [`evaluate`] is a pure, deterministic function of a validated rule base
//! and the facts: no I/O, no clock, ordered maps only. It returns, for each
//! topic, its [`Verdict`] (a winner, a tie, a plan of options to adopt and
//! consider, no option standing, or not applicable), the ranking, a
//! confidence, the reasons that weigh most, every rule's outcome with its
//! condition trace (fired, nearly fired, undetermined by an unknown answer,
//! not fired), the tipping points (the answer changes that would change
//! the verdict) and, for a staged topic, the next step from what runs
//! today. Ties are reported as ties and ordered by the topic's declared
//! tie-break, never by id. Report writers render this; they never re-score.

pub mod condition;
pub mod facts;
mod next_step;
mod plan;
mod sensitivity;
mod verdict;

pub use condition::{TestTrace, Trace, TraceNode, Truth};
pub use facts::{DerivedFacts, Facts};
pub use next_step::NextStep;
pub use plan::PlanItem;
pub use sensitivity::{AnswerChange, TippingPoint};
pub use verdict::{Adoption, Status, Verdict};

use crate::ids::{OptionId, QuestionId, RuleId, TopicId};
use crate::rulebase::{
    DECISION_PREFIX, DecisionKind, RiskKind, Rule, RuleBase, RuleOrigin, Severity, Topic,
    TopicOption,
};
use crate::value::{Answer, Value};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use verdict::VerdictCode;

/// A lead of at least this many points is a clear decision.
pub const HIGH_MARGIN: i32 = 5;
/// A lead of at least this many points is a decision worth a second look.
pub const MEDIUM_MARGIN: i32 = 2;
/// A plan whose every option is at least this many points from changing
/// its place is a clear plan (two points: worth a second look).
pub const HIGH_PLAN_MARGIN: i32 = 3;
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

/// A linked decision: another topic's decision that this topic's rules
/// read (its winner, or the options its plan adopts).
#[derive(Debug, Serialize)]
pub struct Linked {
    pub topic: TopicId,
    /// The option it decided, or the options its plan adopts.
    pub decision: Vec<OptionId>,
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

/// The verdict there would have been without the user's priorities or
/// without the policy, where that differs: what they changed.
#[derive(Debug, Default, Serialize)]
pub struct Swayed {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub without_priorities: Option<Verdict>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub without_policy: Option<Verdict>,
}

/// How a topic decides, as reports name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Choosing {
    /// One option wins.
    One,
    /// The options make a plan: each adopted, considered or not needed.
    Combination,
}

impl Choosing {
    pub fn of(topic: &Topic) -> Self {
        match topic.kind {
            DecisionKind::One => Choosing::One,
            DecisionKind::Combination(_) => Choosing::Combination,
        }
    }
}

/// Everything evaluation found about one topic.
#[derive(Debug, Serialize)]
pub struct TopicOutcome {
    pub topic: TopicId,
    pub choice: Choosing,
    pub status: Status,
    /// What the topic came to.
    pub verdict: Verdict,
    /// The leading option of a one-winner topic that applies: the winner,
    /// or the first of a tie in tie-break order (what linked topics read).
    pub winner: Option<OptionId>,
    /// The options sharing the top score, in tie-break order, for a tie.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tied: Vec<OptionId>,
    /// A combination topic's plan: every option, adopted, considered or
    /// not needed, in the topic's order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub plan: Vec<PlanItem>,
    /// Why the topic does not apply: the answers and decisions behind it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_applicable_because: Option<Vec<TestTrace>>,
    /// Whether the topic was asked for by name: a topic that does not
    /// apply is then ranked and analysed anyway.
    #[serde(skip)]
    pub requested: bool,
    /// A staged topic's next step from what runs today.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<NextStep>,
    /// Options best first (ties in tie-break order); ruled-out options last.
    pub ranking: Vec<Ranked>,
    pub confidence: Confidence,
    /// The rules that weigh most for the winner, strongest first.
    pub reasons: Vec<Reason>,
    /// Every rule of the topic, in file order.
    pub rules: Vec<RuleOutcome>,
    /// Questions this topic reads that were answered "don't know".
    pub unknowns: Vec<QuestionId>,
    /// Answer changes that would change the verdict.
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
    /// 1 for the winner; tied options share their rank; ruled-out options
    /// rank after all others.
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
/// topics whose decisions it reads), then flags the risks; outcomes come
/// back in the order asked.
pub fn evaluate(rb: &RuleBase, facts: &Facts, topics: &[&Topic]) -> Evaluation {
    evaluate_requested(rb, facts, topics, false)
}

/// [`evaluate`], for topics asked for by name when `requested`: a topic
/// that does not apply is then ranked and analysed anyway, with a note.
pub fn evaluate_requested(
    rb: &RuleBase,
    facts: &Facts,
    topics: &[&Topic],
    requested: bool,
) -> Evaluation {
    let mut decided = facts.clone();
    let mut outcomes: Vec<TopicOutcome> = Vec::with_capacity(topics.len());
    let tries = sensitivity::Tries::new(rb);
    for level in rb.decision_waves(topics) {
        let done = evaluate_level(rb, &decided, &tries, &level, requested);
        for outcome in &done {
            decided.decide(&outcome.topic, &outcome.verdict);
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
    requested: bool,
) -> Vec<TopicOutcome> {
    let slots = facts::Slots::new(rb, facts);
    on_two_threads(topics, RULES_WORTH_A_THREAD, |t| {
        evaluate_with(rb, &slots, tries, t, requested)
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

/// A topic's verdict and scores, without explanations: what [`score`] returns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Scored {
    pub topic: TopicId,
    pub verdict: Verdict,
    /// Points per option, in the topic's option order, and whether it is ruled out.
    pub scores: Vec<(OptionId, i32, bool)>,
}

/// The fast path of evaluation: every condition's truth and the tally, for
/// every topic in linked-decision order, with no trace, reasons or
/// sensitivity. It reaches exactly the verdicts [`evaluate`] does; tools
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
            let applies = sensitivity::applies(topic, &&slots);
            let (verdict, scores) = sensitivity::scores(topic, &truths, applies);
            Scored {
                topic: topic.id.clone(),
                verdict,
                scores,
            }
        });
        for s in &done {
            decided.decide(&s.topic, &s.verdict);
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

/// Evaluates one topic alone, with its sensitivity analysis, as a topic
/// asked for by name.
pub fn evaluate_topic(rb: &RuleBase, facts: &Facts, topic: &Topic) -> TopicOutcome {
    let tries = sensitivity::Tries::new(rb);
    evaluate_with(rb, &facts::Slots::new(rb, facts), &tries, topic, true)
}

fn evaluate_with(
    rb: &RuleBase,
    slots: &facts::Slots<'_>,
    tries: &sensitivity::Tries,
    topic: &Topic,
    requested: bool,
) -> TopicOutcome {
    let scored = score_topic(topic, slots);
    let analysed = scored.applies || requested;
    let tipping_points = if analysed {
        sensitivity::tipping_points(rb, slots, tries, topic, scored.code, &scored.truths)
    } else {
        Vec::new()
    };
    let next = (scored.applies && topic.is_staged())
        .then(|| next_step::next_step(rb, slots.facts, topic, &scored.verdict, &tipping_points))
        .flatten();
    let mut outcome = explain_topic(rb, slots, topic, scored, requested);
    outcome.tipping_points = tipping_points;
    outcome.next = next;
    outcome
}

/// A topic's rules read and its options scored: what every verdict and
/// explanation starts from.
struct ScoredTopic<'t> {
    rules: Vec<RuleOutcome>,
    truths: Vec<Truth>,
    applies: bool,
    not_applicable_because: Option<Vec<TestTrace>>,
    tally: Tally<'t>,
    code: VerdictCode,
    verdict: Verdict,
}

fn score_topic<'t>(topic: &'t Topic, slots: &facts::Slots<'_>) -> ScoredTopic<'t> {
    let rules: Vec<RuleOutcome> = topic
        .rules
        .iter()
        .map(|rule| rule_outcome(rule, slots))
        .collect();
    let truths: Vec<Truth> = rules.iter().map(|r| status_truth(r.status)).collect();
    let (applies, not_applicable_because) = applicability(topic, slots);
    let tally = Tally::new(topic, &truths);
    let code = tally.code(topic, applies);
    ScoredTopic {
        verdict: code.verdict(topic),
        rules,
        truths,
        applies,
        not_applicable_because,
        tally,
        code,
    }
}

/// Whether the topic applies, and when it does not, the answers and
/// decisions that say so. An `applies_when` waiting on a "don't know"
/// leaves the topic applying: it is not set aside on an unknown.
fn applicability(topic: &Topic, slots: &facts::Slots<'_>) -> (bool, Option<Vec<TestTrace>>) {
    let Some(when) = &topic.applies_when else {
        return (true, None);
    };
    let trace = condition::trace(when, &slots);
    match trace.truth {
        Truth::False => (
            false,
            Some(trace.needed(true).into_iter().cloned().collect()),
        ),
        _ => (true, None),
    }
}

/// The full outcome of a scored topic, but for its tipping points and
/// next step.
fn explain_topic(
    rb: &RuleBase,
    slots: &facts::Slots<'_>,
    topic: &Topic,
    scored: ScoredTopic<'_>,
    requested: bool,
) -> TopicOutcome {
    let facts = slots.facts;
    let ranking = scored.tally.ranking(topic);
    let leader = ranking
        .first()
        .filter(|r| r.excluded_by.is_empty())
        .map(|r| r.option.clone());
    let one = topic.plan_thresholds().is_none();
    let confidence = if one {
        confidence(
            topic,
            &scored.tally,
            &scored.truths,
            leader.as_ref(),
            &ranking,
        )
    } else {
        plan::confidence(
            topic,
            &scored.tally.points_by_position(topic),
            &scored.truths,
        )
    };
    let reasons = if one {
        reasons(
            topic,
            &scored.rules,
            &scored.tally,
            leader.as_ref(),
            confidence.runner_up.as_ref(),
        )
    } else {
        Vec::new()
    };
    let plan = if one {
        Vec::new()
    } else {
        plan::items(
            topic,
            &scored.rules,
            &scored.tally.points_by_position(topic),
        )
    };
    let unknowns = rb
        .topic_index(topic)
        .reads
        .iter()
        .filter(|q| facts.get(q) == Some(&Answer::Unknown))
        .cloned()
        .collect();
    let swayed = swayed(rb, topic, &scored.truths, &scored.verdict, scored.applies);
    let advice = topic
        .rules
        .iter()
        .zip(&scored.rules)
        .filter(|(rule, o)| rule.advice.is_some() && o.status == RuleStatus::Fired)
        .map(|(rule, _)| rule.id.clone())
        .collect();
    TopicOutcome {
        advice,
        topic: topic.id.clone(),
        choice: Choosing::of(topic),
        status: scored.verdict.status(),
        winner: if one && scored.applies { leader } else { None },
        tied: match &scored.verdict {
            Verdict::Tie(tied) => tied.clone(),
            _ => Vec::new(),
        },
        plan,
        not_applicable_because: scored.not_applicable_because,
        requested,
        next: None,
        ranking,
        confidence,
        reasons,
        linked: linked(topic, &scored.rules, facts),
        rules: scored.rules,
        unknowns,
        tipping_points: Vec::new(),
        swayed,
        verdict: scored.verdict,
    }
}

/// What the user's priorities and the policy changed about the verdict.
fn swayed(
    rb: &RuleBase,
    topic: &Topic,
    truths: &[Truth],
    verdict: &Verdict,
    applies: bool,
) -> Swayed {
    let without = |origin| {
        if !applies {
            return None;
        }
        sensitivity::verdict_without(rb, topic, truths, origin).filter(|v| v != verdict)
    };
    Swayed {
        without_priorities: without(RuleOrigin::Priority),
        without_policy: without(RuleOrigin::Policy),
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
            let decision: Vec<OptionId> = match facts.get(q) {
                Some(Answer::Known(Value::Choice(winner))) => vec![OptionId::new(winner.as_str())],
                Some(Answer::Known(Value::Choices(adopted))) => {
                    adopted.iter().map(|o| OptionId::new(o.as_str())).collect()
                }
                _ => continue,
            };
            match out.iter_mut().find(|l| l.topic.as_str() == upstream) {
                Some(l) => l.rules.push(rule.id.clone()),
                None => out.push(Linked {
                    topic: TopicId::new(upstream),
                    decision,
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

    /// Options in ranking order: standing options by score, then
    /// ruled-out options by score; equal scores in the topic's tie-break
    /// order (the higher tie-break key, then the topic's order).
    fn order(&self, topic: &'t Topic) -> Vec<&'t OptionId> {
        let mut options: Vec<(usize, &TopicOption)> = topic.options.iter().enumerate().collect();
        options.sort_by_key(|(i, o)| {
            (
                self.excluded(&o.id),
                -self.score(&o.id),
                -topic.tie_break_key(o),
                *i,
            )
        });
        options.into_iter().map(|(_, o)| &o.id).collect()
    }

    /// Points and knock-out counts by option position.
    fn points_by_position(&self, topic: &Topic) -> (Vec<i32>, Vec<u32>) {
        topic
            .options
            .iter()
            .map(|o| {
                let knocked = self.excluded_by.get(&o.id).map_or(0, Vec::len);
                (
                    self.score(&o.id),
                    u32::try_from(knocked).unwrap_or(u32::MAX),
                )
            })
            .unzip()
    }

    /// The topic's verdict from this tally.
    fn code(&self, topic: &Topic, applies: bool) -> VerdictCode {
        let (points, excluded) = self.points_by_position(topic);
        VerdictCode::of(topic, &points, &excluded, applies)
    }

    fn ranking(&self, topic: &'t Topic) -> Vec<Ranked> {
        let order = self.order(topic);
        let mut ranks: Vec<usize> = Vec::with_capacity(order.len());
        for (i, option) in order.iter().enumerate() {
            let shares = i > 0
                && !self.excluded(option)
                && !self.excluded(order[i - 1])
                && self.score(option) == self.score(order[i - 1]);
            ranks.push(if shares { ranks[i - 1] } else { i + 1 });
        }
        order
            .into_iter()
            .zip(ranks)
            .map(|(option, rank)| Ranked {
                option: option.clone(),
                rank,
                score: self.score(option),
                breakdown: self.breakdown.get(option).copied().unwrap_or_default(),
                excluded_by: self.excluded_by.get(option).cloned().unwrap_or_default(),
                contributions: self.contributions.get(option).cloned().unwrap_or_default(),
            })
            .collect()
    }
}

/// The topic's rules that wait on "don't know" answers: what they could
/// still do is how far a verdict could move.
pub(super) fn undetermined_rules<'t>(topic: &'t Topic, truths: &[Truth]) -> Vec<&'t Rule> {
    topic
        .rules
        .iter()
        .zip(truths)
        .filter(|(_, t)| **t == Truth::Unknown)
        .map(|(r, _)| r)
        .collect()
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
    let undetermined = undetermined_rules(topic, truths);
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
            out.decide(&o.topic, &o.verdict);
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
    fn a_tie_is_reported_and_ordered_by_the_tie_break_not_by_id() {
        let o = outcome(num(10.0), "a");
        // zeta and alpha both score 2: neither has a profile, so the
        // topic's own order decides which comes first, not the ids.
        assert_eq!(o.status, Status::Tie);
        let tie = vec![OptionId::new("zeta"), OptionId::new("alpha")];
        assert_eq!(o.verdict, Verdict::Tie(tie.clone()));
        assert_eq!(o.tied, tie);
        let order: Vec<(&str, usize)> = o
            .ranking
            .iter()
            .map(|r| (r.option.as_str(), r.rank))
            .collect();
        assert_eq!(order, [("zeta", 1), ("alpha", 1), ("mid", 3)]);
        assert_eq!(o.winner.as_ref().map(OptionId::as_str), Some("zeta"));
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
            .map(|t| {
                let leader = t.becomes.leader().map_or("", OptionId::as_str);
                (t.question.as_str(), t.change.as_str(), leader)
            })
            .collect();
        assert!(tips.contains(&("load", "above 100", "mid")), "{tips:?}");
        // mode a stops ruling alpha out: it ties with zeta, which the
        // topic's order puts first.
        assert!(tips.contains(&("mode", "= a", "zeta")), "{tips:?}");
        let tie = o
            .tipping_points
            .iter()
            .find(|t| t.question.as_str() == "mode");
        assert_eq!(
            tie.map(|t| &t.becomes),
            Some(&Verdict::Tie(vec![
                OptionId::new("zeta"),
                OptionId::new("alpha")
            ]))
        );
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
        assert_eq!(down.linked[0].decision, [OptionId::new("mid")]);
        // a load answer that changes t's winner changes down's too
        let tip = down
            .tipping_points
            .iter()
            .find(|t| t.question.as_str() == "load")
            .expect("load tips down through t");
        assert_eq!(tip.becomes, Verdict::Winner(OptionId::new("y")));
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
            down.swayed.without_priorities,
            Some(Verdict::Winner(OptionId::new("y")))
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
