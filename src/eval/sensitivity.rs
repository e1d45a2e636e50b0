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

use super::Facts;
use super::condition::{Truth, truth};
use super::facts::Overlay;
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
    let board = Board::new(topic, truths);
    let reads: Vec<BTreeSet<&QuestionId>> = topic
        .rules
        .iter()
        .map(|r| r.when.as_ref().map(|w| w.questions()).unwrap_or_default())
        .collect();
    let mut out = Vec::new();
    for question in relevant_questions {
        let Some(now) = facts.get(&question.id) else {
            continue; // does not apply: it would not be asked
        };
        let mut found: Vec<(Candidate, OptionId, Vec<RuleId>)> = Vec::new();
        for candidate in candidates(question, now, topic) {
            let overlay = Overlay::changed(rb, facts, &question.id, &candidate.answer, &relevant);
            // Only rules that read a changed question can change.
            let mut flipped = Vec::new();
            for (i, rule) in topic.rules.iter().enumerate() {
                if !overlay.changes.iter().any(|(q, _)| reads[i].contains(q)) {
                    continue;
                }
                let after = rule
                    .when
                    .as_ref()
                    .map_or(Truth::True, |w| truth(w, &overlay));
                if (truths[i] == Truth::True) != (after == Truth::True) {
                    flipped.push((i, after == Truth::True));
                }
            }
            if flipped.is_empty() {
                continue;
            }
            let Some(new_winner) = board.winner_after(topic, &flipped) else {
                continue;
            };
            if Some(&topic.options[new_winner].id) == winner {
                continue;
            }
            let rules = flipped
                .iter()
                .map(|(i, _)| topic.rules[*i].id.clone())
                .collect();
            found.push((candidate, topic.options[new_winner].id.clone(), rules));
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

/// Points and knock-outs per option, by position, for scoring changes by
/// difference. The ordering matches the full evaluation: standing options
/// first, then by score, then by option id.
/// One rule's effects by option position: points, and knock-outs.
type Effects = (Vec<(usize, i32)>, Vec<usize>);

struct Board {
    points: Vec<i32>,
    excluded: Vec<u32>,
    /// Per rule: (option position, points) and excluded positions.
    effects: Vec<Effects>,
}

impl Board {
    fn new(topic: &Topic, truths: &[Truth]) -> Self {
        let position = |id: &OptionId| topic.options.iter().position(|o| &o.id == id);
        let effects: Vec<Effects> = topic
            .rules
            .iter()
            .map(|r| {
                (
                    r.score
                        .iter()
                        .filter_map(|(o, p)| position(o).map(|i| (i, *p)))
                        .collect(),
                    r.exclude.iter().filter_map(position).collect(),
                )
            })
            .collect();
        let mut board = Board {
            points: vec![0; topic.options.len()],
            excluded: vec![0; topic.options.len()],
            effects,
        };
        let fired: Vec<(usize, bool)> = truths
            .iter()
            .enumerate()
            .filter(|(_, t)| **t == Truth::True)
            .map(|(i, _)| (i, true))
            .collect();
        let (points, excluded) = board.apply(&fired);
        board.points = points;
        board.excluded = excluded;
        board
    }

    /// Points and exclusions after rules start (`true`) or stop firing.
    fn apply(&self, flipped: &[(usize, bool)]) -> (Vec<i32>, Vec<u32>) {
        let mut points = self.points.clone();
        let mut excluded = self.excluded.clone();
        for &(rule, fires) in flipped {
            let (score, exclude) = &self.effects[rule];
            for &(o, p) in score {
                points[o] += if fires { p } else { -p };
            }
            for &o in exclude {
                if fires {
                    excluded[o] += 1;
                } else {
                    excluded[o] = excluded[o].saturating_sub(1);
                }
            }
        }
        (points, excluded)
    }

    fn winner_after(&self, topic: &Topic, flipped: &[(usize, bool)]) -> Option<usize> {
        let (points, excluded) = self.apply(flipped);
        (0..topic.options.len())
            .filter(|&i| excluded[i] == 0)
            .min_by(|&a, &b| {
                points[b]
                    .cmp(&points[a])
                    .then_with(|| topic.options[a].id.cmp(&topic.options[b].id))
            })
    }
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
