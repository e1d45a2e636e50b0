//! Tipping points checked against brute force.
//!
//! For many random answer sets valid under the built-in questionnaire, every
//! tipping point the sensitivity analysis reports is applied to the answers
//! and the whole rule base re-scored from scratch (the questionnaire
//! re-applied, linked decisions re-decided): the reported winner must be
//! the one that wins. Conversely, every other choice of every single-choice
//! and yes/no question a topic depends on is tried: if it changes the
//! winner, it must have been reported. `TIPPING_CASES` raises the count.

use std::collections::{BTreeMap, BTreeSet};
use tradeoff::eval::{Facts, Status, TippingPoint, Verdict, evaluate, score};
use tradeoff::ids::QuestionId;
use tradeoff::rulebase::{QuestionKind, RuleBase, Topic};
use tradeoff::value::{Answer, Value};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Numbers rules compare a question with, to land near thresholds.
fn thresholds(rb: &RuleBase, q: &QuestionId) -> Vec<f64> {
    let mut out = Vec::new();
    for topic in rb.topics() {
        for rule in &topic.rules {
            let Some(when) = &rule.when else { continue };
            for test in when.tests() {
                if &test.question == q {
                    use tradeoff::rulebase::Op;
                    if let Op::Gt(c) | Op::Gte(c) | Op::Lt(c) | Op::Lte(c) = test.op {
                        out.push(c);
                    }
                }
            }
        }
    }
    out
}

fn random_answers(rb: &RuleBase, rng: &mut Rng) -> BTreeMap<QuestionId, Answer> {
    let mut given = BTreeMap::new();
    for q in rb.questions() {
        if rng.below(10) == 0 {
            continue; // unanswered: its default, if any
        }
        if q.allow_unknown && rng.below(12) == 0 {
            given.insert(q.id.clone(), Answer::Unknown);
            continue;
        }
        let value = match &q.kind {
            QuestionKind::Single(c) => Value::Choice(c[rng.below(c.len())].id.clone()),
            QuestionKind::Multi(c) => Value::Choices(
                c.iter()
                    .filter(|_| rng.below(3) == 0)
                    .map(|c| c.id.clone())
                    .collect(),
            ),
            QuestionKind::Bool => Value::Bool(rng.below(2) == 0),
            QuestionKind::Number(spec) => {
                let near = thresholds(rb, &q.id);
                let mut n = if near.is_empty() || rng.below(4) == 0 {
                    let (lo, hi) = (spec.min.unwrap_or(0.0), spec.max.unwrap_or(100_000.0));
                    lo + (hi - lo) * (rng.below(1000) as f64 / 1000.0)
                } else {
                    near[rng.below(near.len())] * [0.5, 1.0, 1.5, 2.0][rng.below(4)]
                };
                if spec.integer {
                    n = n.round();
                }
                n = n
                    .max(spec.min.unwrap_or(f64::MIN))
                    .min(spec.max.unwrap_or(f64::MAX));
                Value::Number(n)
            }
            QuestionKind::Text => continue,
        };
        given.insert(q.id.clone(), Answer::Known(value));
    }
    given
}

fn winners(rb: &RuleBase, given: &BTreeMap<QuestionId, Answer>, topics: &[&Topic]) -> Vec<Verdict> {
    let relevant: BTreeSet<&QuestionId> = rb
        .relevant_questions(topics)
        .into_iter()
        .map(|q| &q.id)
        .collect();
    let facts = Facts::derive(rb, given, &relevant).facts;
    score(rb, &facts, topics)
        .into_iter()
        .map(|s| s.verdict)
        .collect()
}

fn apply(given: &BTreeMap<QuestionId, Answer>, tip: &TippingPoint) -> BTreeMap<QuestionId, Answer> {
    let mut changed = given.clone();
    changed.insert(tip.question.clone(), tip.to.clone());
    if let Some(and) = &tip.and {
        changed.insert(and.question.clone(), and.to.clone());
    }
    changed
}

#[test]
fn tipping_points_agree_with_brute_force_re_evaluation() {
    let rb = tradeoff::builtin::rule_base().unwrap();
    let topics: Vec<&Topic> = rb.topics().iter().collect();
    let relevant: BTreeSet<&QuestionId> = rb
        .relevant_questions(&topics)
        .into_iter()
        .map(|q| &q.id)
        .collect();
    let cases: u64 = std::env::var("TIPPING_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10);
    let mut checked = (0usize, 0usize, 0usize); // tips, pairs, converse probes
    for seed in 1..=cases {
        let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
        let sampled = random_answers(&rb, &mut rng);
        // Answers as a session would hold them: defaults applied, gated-out dropped.
        let given: BTreeMap<QuestionId, Answer> = Facts::derive(&rb, &sampled, &relevant)
            .facts
            .answers()
            .clone();
        let facts = Facts::derive(&rb, &given, &relevant).facts;
        let evaluation = evaluate(&rb, &facts, &topics);
        let now = winners(&rb, &given, &topics);
        for (i, outcome) in evaluation.topics.iter().enumerate() {
            assert_eq!(
                now[i], outcome.verdict,
                "seed {seed}: score and evaluate disagree on `{}`",
                outcome.topic
            );
            for tip in &outcome.tipping_points {
                let after = winners(&rb, &apply(&given, tip), &topics);
                assert_eq!(
                    after[i], tip.becomes,
                    "seed {seed}, topic `{}`: {tip:?}",
                    outcome.topic
                );
                if tip.and.is_some() {
                    checked.1 += 1;
                } else {
                    checked.0 += 1;
                }
            }
            // The converse, for choices and yes/no: what flips is reported.
            if outcome.tipping_points.iter().any(|t| t.and.is_some()) {
                continue; // no single change flips this topic: pairs stand in
            }
            if outcome.status == Status::NotApplicable && !outcome.requested {
                continue; // not analysed: it does not apply
            }
            let topic = topics[i];
            for q in rb.relevant_questions(&[topic]) {
                let Some(current) = facts.get(&q.id) else {
                    continue;
                };
                let alternatives: Vec<Value> = match &q.kind {
                    QuestionKind::Single(c) => {
                        c.iter().map(|c| Value::Choice(c.id.clone())).collect()
                    }
                    QuestionKind::Bool => vec![Value::Bool(true), Value::Bool(false)],
                    _ => continue,
                };
                for value in alternatives {
                    let to = Answer::Known(value);
                    if &to == current {
                        continue;
                    }
                    let mut changed = given.clone();
                    changed.insert(q.id.clone(), to.clone());
                    let after = winners(&rb, &changed, &topics);
                    checked.2 += 1;
                    if after[i] != now[i] {
                        assert!(
                            outcome
                                .tipping_points
                                .iter()
                                .any(|t| t.question == q.id && t.to == to && t.and.is_none()),
                            "seed {seed}, topic `{}`: `{}` -> {to} makes {:?} win, not reported in {:?}",
                            outcome.topic,
                            q.id,
                            after[i],
                            outcome.tipping_points
                        );
                    }
                }
            }
        }
    }
    assert!(
        checked.0 > 50,
        "too few tipping points exercised: {checked:?}"
    );
    eprintln!(
        "checked {} single tipping points, {} pairs, {} converse probes",
        checked.0, checked.1, checked.2
    );
}
