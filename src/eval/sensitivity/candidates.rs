//! Candidates: the answers tried instead of the one in effect.
//!
//! What is worth trying depends on the kind of question: every other
//! choice, the other yes/no, each choice of a list toggled, and for a
//! number the values just either side of every threshold the rules test
//! it against (anything between two thresholds decides alike). Each
//! candidate carries its answer encoded for the compiled tests, and how
//! the change reads, put in words only for the few that tip the decision.

use crate::eval::facts::TriedAnswer;
use crate::ids::ChoiceId;
use crate::rulebase::{Code, Op, Question, QuestionKind, Shape};
use crate::value::{Answer, Value, format_number};
use std::collections::BTreeSet;

#[derive(Clone)]
pub(super) struct Candidate {
    pub(super) answer: Answer,
    /// The answer, encoded for compiled tests.
    pub(super) code: Code,
    pub(super) change: Wording,
    pub(super) number: Option<f64>,
}

/// How a candidate change reads, put in words only for the few that turn
/// out to be tipping points.
#[derive(Clone)]
pub(super) enum Wording {
    /// `= postgres`
    Choice(ChoiceId),
    Yes,
    No,
    /// `without kafka` / `includes kafka`
    Without(ChoiceId),
    Includes(ChoiceId),
    /// `above 10000`, `at most 3`: the words and the number.
    Number(&'static str, f64),
}

impl Wording {
    pub(super) fn text(&self) -> String {
        match self {
            Wording::Choice(c) => format!("= {c}"),
            Wording::Yes => "yes".into(),
            Wording::No => "no".into(),
            Wording::Without(c) => format!("without {c}"),
            Wording::Includes(c) => format!("includes {c}"),
            Wording::Number(words, n) => format!("{words} {}", format_number(*n)),
        }
    }
}

impl Candidate {
    /// The candidate as the answer to the question at `slot`.
    pub(super) fn tried_at(&self, slot: u32) -> TriedAnswer<'_> {
        TriedAnswer {
            slot,
            answer: &self.answer,
            code: self.code,
        }
    }
}

pub(super) fn distance(candidate: &Candidate, current: f64) -> f64 {
    candidate.number.map_or(f64::MAX, |n| (n - current).abs())
}

/// The answers worth trying instead of `now`; `thresholds` are the
/// numeric tests on the question in the topics concerned.
pub(super) fn candidates<'o>(
    question: &Question,
    now: &Answer,
    thresholds: impl Iterator<Item = &'o Op>,
) -> Vec<Candidate> {
    let shape = Shape::of_question(&question.kind);
    let known = |value: Value, change: Wording| {
        let answer = Answer::Known(value);
        Candidate {
            number: answer.known().and_then(Value::as_number),
            code: shape.encode(Some(&answer)),
            answer,
            change,
        }
    };
    let current = now.known();
    match &question.kind {
        QuestionKind::Single(choices) => choices
            .iter()
            .filter(|c| !matches!(current, Some(Value::Choice(now)) if *now == c.id))
            .map(|c| known(Value::Choice(c.id.clone()), Wording::Choice(c.id.clone())))
            .collect(),
        QuestionKind::Bool => [true, false]
            .into_iter()
            .filter(|b| current != Some(&Value::Bool(*b)))
            .map(|b| known(Value::Bool(b), if b { Wording::Yes } else { Wording::No }))
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
                        Wording::Without(c.id.clone())
                    } else {
                        next.insert(c.id.clone());
                        Wording::Includes(c.id.clone())
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
            for op in thresholds {
                let pairs: &[(f64, &'static str)] = match op {
                    Op::Gt(c) | Op::Lte(c) => &[(c + step(*c), "above"), (*c, "at most")],
                    Op::Gte(c) | Op::Lt(c) => &[(*c, "at least"), (c - step(*c), "below")],
                    Op::Eq(Value::Number(c)) | Op::Ne(Value::Number(c)) => &[
                        (*c, "exactly"),
                        (c + step(*c), "above"),
                        (c - step(*c), "below"),
                    ],
                    _ => &[],
                };
                let threshold = match op {
                    Op::Gt(c) | Op::Lte(c) | Op::Gte(c) | Op::Lt(c) => *c,
                    Op::Eq(Value::Number(c)) | Op::Ne(Value::Number(c)) => *c,
                    _ => continue,
                };
                for &(n, words) in pairs {
                    let in_bounds =
                        spec.min.is_none_or(|min| n >= min) && spec.max.is_none_or(|max| n <= max);
                    let now = current.and_then(Value::as_number);
                    if in_bounds && now != Some(n) && !seen.contains(&n) {
                        seen.push(n);
                        // With a known value, say where the tried value lies
                        // from it ("at most 2" from 4), not which threshold
                        // produced it: another threshold may be the one crossed.
                        let up = words == "above" || words == "at least";
                        let down = words == "below" || words == "at most";
                        let change = match now {
                            Some(now) if (n > now && up) || (n < now && down) => {
                                Wording::Number(words, threshold)
                            }
                            Some(now) if n > now => Wording::Number("at least", n),
                            Some(_) => Wording::Number("at most", n),
                            None => Wording::Number(words, threshold),
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

/// The candidates worth pairing: all of them for choices, and for numbers
/// the nearest candidate below and above the current value.
pub(super) fn nearest<'c>(candidates: &'c [Candidate], now: &Answer) -> Vec<&'c Candidate> {
    let Some(current) = now.known().and_then(Value::as_number) else {
        return candidates.iter().collect();
    };
    let below = candidates
        .iter()
        .filter(|c| c.number.is_some_and(|n| n < current))
        .max_by(|a, b| distance(b, current).total_cmp(&distance(a, current)));
    let above = candidates
        .iter()
        .filter(|c| c.number.is_some_and(|n| n > current))
        .min_by(|a, b| distance(a, current).total_cmp(&distance(b, current)));
    below.into_iter().chain(above).collect()
}
