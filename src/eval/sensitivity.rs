//! Sensitivity: what single answer change would change the decision.
//!
//! For each question a topic reads, the analysis tries the other answers
//! that matter (every other choice, the other yes/no, each choice toggled in
//! a list, and numbers just either side of every threshold the topic's rules
//! use) and re-scores the topic. Changes that move the winner are tipping
//! points: they tell a tech lead what to double-check before committing and
//! what, if it changes later, means the decision should be revisited.
//! Trying an answer re-applies the questionnaire, so questions gated by the
//! changed one appear or disappear as they would in a session.

use super::condition::{Truth, truth};
use super::facts::{Lookup, Overlay};
use super::{Facts, Tally};
use crate::ids::{ChoiceId, OptionId, QuestionId, RuleId};
use crate::rulebase::{Op, Question, QuestionKind, RuleBase, Topic};
use crate::value::{Answer, Value, format_number};
use serde::Serialize;
use std::collections::BTreeSet;

#[derive(Debug, Clone, Serialize)]
pub struct TippingPoint {
    pub question: QuestionId,
    /// The answer in effect now.
    pub now: Answer,
    /// The change, in words: `above 10000`, `= eventual`, `includes ad_hoc`.
    pub change: String,
    /// The answer tried.
    pub to: Answer,
    /// The option that would win instead.
    pub winner: OptionId,
    /// Rules that would fire, or stop firing, with that answer.
    pub rules: Vec<RuleId>,
}

pub(super) fn tipping_points(
    rb: &RuleBase,
    facts: &Facts,
    topic: &Topic,
    winner: Option<&OptionId>,
    truths: &[Truth],
) -> Vec<TippingPoint> {
    let relevant_questions = rb.relevant_questions(&[topic]);
    let relevant: BTreeSet<&QuestionId> = relevant_questions.iter().map(|q| &q.id).collect();
    let mut out = Vec::new();
    for question in relevant_questions {
        let Some(now) = facts.get(&question.id) else {
            continue; // does not apply: it would not be asked
        };
        let mut found: Vec<(Candidate, OptionId, Vec<RuleId>)> = Vec::new();
        // A question that gates others changes which questions apply: re-derive
        // the facts. Any other question only changes its own answer: overlay it.
        let gates = rb.gates(&question.id);
        for candidate in candidates(question, now, topic) {
            let new_truths: Vec<Truth> = if gates {
                let changed =
                    facts.with_answer(rb, &question.id, candidate.answer.clone(), &relevant);
                rule_truths(topic, &changed)
            } else {
                let overlay = Overlay {
                    base: facts,
                    question: &question.id,
                    answer: &candidate.answer,
                };
                rule_truths(topic, &overlay)
            };
            let tally = Tally::new(topic, &new_truths);
            let Some(new_winner) = tally.winner(topic) else {
                continue;
            };
            if Some(new_winner) == winner {
                continue;
            }
            let rules = topic
                .rules
                .iter()
                .zip(truths.iter().zip(&new_truths))
                .filter(|(_, (before, after))| {
                    (**before == Truth::True) != (**after == Truth::True)
                })
                .map(|(r, _)| r.id.clone())
                .collect();
            found.push((candidate, new_winner.clone(), rules));
        }
        // For numbers keep only the smallest change each way per new winner:
        // "above 5000" says more than "above 5000, above 10000, above 50000".
        if let Some(current) = now.known().and_then(Value::as_number) {
            found.sort_by(|a, b| distance(&a.0, current).total_cmp(&distance(&b.0, current)));
            let mut seen: BTreeSet<(OptionId, bool)> = BTreeSet::new();
            found.retain(|(c, w, _)| seen.insert((w.clone(), c.number.unwrap_or(0.0) > current)));
        }
        out.extend(
            found
                .into_iter()
                .map(|(candidate, winner, rules)| TippingPoint {
                    question: question.id.clone(),
                    now: now.clone(),
                    change: candidate.change,
                    to: candidate.answer,
                    winner,
                    rules,
                }),
        );
    }
    out
}

fn rule_truths<L: Lookup>(topic: &Topic, facts: &L) -> Vec<Truth> {
    topic
        .rules
        .iter()
        .map(|r| r.when.as_ref().map_or(Truth::True, |w| truth(w, facts)))
        .collect()
}

struct Candidate {
    answer: Answer,
    change: String,
    number: Option<f64>,
}

fn distance(candidate: &Candidate, current: f64) -> f64 {
    candidate.number.map_or(f64::MAX, |n| (n - current).abs())
}

/// The answers worth trying instead of `now`.
fn candidates(question: &Question, now: &Answer, topic: &Topic) -> Vec<Candidate> {
    let known = |value: Value, change: String| Candidate {
        number: value.as_number(),
        answer: Answer::Known(value),
        change,
    };
    let current = now.known();
    match &question.kind {
        QuestionKind::Single(choices) => choices
            .iter()
            .filter(|c| current != Some(&Value::Choice(c.id.clone())))
            .map(|c| known(Value::Choice(c.id.clone()), format!("= {}", c.id)))
            .collect(),
        QuestionKind::Bool => [true, false]
            .into_iter()
            .filter(|b| current != Some(&Value::Bool(*b)))
            .map(|b| known(Value::Bool(b), if b { "yes".into() } else { "no".into() }))
            .collect(),
        QuestionKind::Multi(choices) => {
            let chosen: BTreeSet<ChoiceId> = match current {
                Some(Value::Choices(cs)) => cs.clone(),
                _ => BTreeSet::new(),
            };
            choices
                .iter()
                .map(|c| {
                    let mut next = chosen.clone();
                    let change = if next.remove(&c.id) {
                        format!("without {}", c.id)
                    } else {
                        next.insert(c.id.clone());
                        format!("includes {}", c.id)
                    };
                    known(Value::Choices(next), change)
                })
                .collect()
        }
        QuestionKind::Number(spec) => {
            let step = |c: f64| {
                if spec.integer {
                    1.0
                } else {
                    (c.abs() * 0.001).max(0.001)
                }
            };
            let mut seen: Vec<f64> = Vec::new();
            let mut out = Vec::new();
            let thresholds = topic
                .rules
                .iter()
                .filter_map(|r| r.when.as_ref())
                .flat_map(|w| w.tests())
                .filter(|t| t.question == question.id);
            for test in thresholds {
                let pairs: Vec<(f64, String)> = match &test.op {
                    Op::Gt(c) | Op::Lte(c) => vec![
                        (c + step(*c), format!("above {}", format_number(*c))),
                        (*c, format!("at most {}", format_number(*c))),
                    ],
                    Op::Gte(c) | Op::Lt(c) => vec![
                        (*c, format!("at least {}", format_number(*c))),
                        (c - step(*c), format!("below {}", format_number(*c))),
                    ],
                    Op::Eq(Value::Number(c)) | Op::Ne(Value::Number(c)) => vec![
                        (*c, format!("exactly {}", format_number(*c))),
                        (c + step(*c), format!("above {}", format_number(*c))),
                        (c - step(*c), format!("below {}", format_number(*c))),
                    ],
                    _ => Vec::new(),
                };
                for (n, change) in pairs {
                    let in_bounds =
                        spec.min.is_none_or(|min| n >= min) && spec.max.is_none_or(|max| n <= max);
                    let now = current.and_then(Value::as_number);
                    if in_bounds && now != Some(n) && !seen.contains(&n) {
                        seen.push(n);
                        // With a known value, say where the tried value lies
                        // from it ("at most 2" from 4), not which threshold
                        // produced it: another threshold may be the one crossed.
                        let up = change.starts_with("above") || change.starts_with("at least");
                        let down = change.starts_with("below") || change.starts_with("at most");
                        let change = match now {
                            Some(now) if (n > now && up) || (n < now && down) => change,
                            Some(now) if n > now => format!("at least {}", format_number(n)),
                            Some(_) => format!("at most {}", format_number(n)),
                            None => change,
                        };
                        out.push(known(Value::Number(n), change));
                    }
                }
            }
            out
        }
        QuestionKind::Text => Vec::new(),
    }
}
