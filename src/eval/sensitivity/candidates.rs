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
use crate::rulebase::{
    AnswerDomain, Choice, EncodedAnswer, NumberSpec, Op, Question, QuestionKind,
};
use crate::value::{Answer, Value, format_number};
use std::collections::BTreeSet;

/// An answer worth trying instead of the one in effect.
#[derive(Clone)]
pub(super) struct Candidate {
    pub(super) answer: Answer,
    /// The answer, encoded for compiled tests.
    pub(super) code: EncodedAnswer,
    pub(super) change: Wording,
    /// The number tried, for a number question.
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
    /// A known value to try, encoded against the question's shape.
    fn known(shape: AnswerDomain<'_>, value: Value, change: Wording) -> Self {
        let answer = Answer::Known(value);
        Candidate {
            number: answer.known().and_then(Value::as_number),
            code: shape.encode(Some(&answer)),
            answer,
            change,
        }
    }

    /// The candidate as the answer to the question at `slot`.
    pub(super) fn tried_at(&self, slot: u32) -> TriedAnswer<'_> {
        TriedAnswer {
            slot,
            answer: &self.answer,
            code: self.code,
        }
    }
}

/// How far a number candidate lies from the current value; the farthest
/// possible for any other candidate.
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
    let shape = AnswerDomain::of_question(&question.kind);
    let current = now.known();
    match &question.kind {
        QuestionKind::Single(choices) => other_choices(shape, choices, current),
        QuestionKind::Bool => other_yes_no(shape, current),
        QuestionKind::Multi(choices) => each_choice_toggled(shape, choices, current),
        QuestionKind::Number(spec) => numbers_at_thresholds(shape, spec, current, thresholds),
        QuestionKind::Text => Vec::new(),
    }
}

/// A single choice: every choice but the current one.
fn other_choices(
    shape: AnswerDomain<'_>,
    choices: &[Choice],
    current: Option<&Value>,
) -> Vec<Candidate> {
    choices
        .iter()
        .filter(|c| !matches!(current, Some(Value::Choice(now)) if *now == c.id))
        .map(|c| {
            let value = Value::Choice(c.id.clone());
            Candidate::known(shape, value, Wording::Choice(c.id.clone()))
        })
        .collect()
}

/// Yes or no: whichever is not the current answer (both when there is
/// none).
fn other_yes_no(shape: AnswerDomain<'_>, current: Option<&Value>) -> Vec<Candidate> {
    [true, false]
        .into_iter()
        .filter(|b| current != Some(&Value::Bool(*b)))
        .map(|b| {
            let change = if b { Wording::Yes } else { Wording::No };
            Candidate::known(shape, Value::Bool(b), change)
        })
        .collect()
}

/// A multiple choice: the current set with each choice added or removed.
fn each_choice_toggled(
    shape: AnswerDomain<'_>,
    choices: &[Choice],
    current: Option<&Value>,
) -> Vec<Candidate> {
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
            Candidate::known(shape, Value::Choices(next), change)
        })
        .collect()
}

/// A number: the values just either side of each threshold (and at it,
/// for an equality test), within the question's bounds, each once, the
/// current value left out.
fn numbers_at_thresholds<'o>(
    shape: AnswerDomain<'_>,
    spec: &NumberSpec,
    current: Option<&Value>,
    thresholds: impl Iterator<Item = &'o Op>,
) -> Vec<Candidate> {
    let now = current.and_then(Value::as_number);
    let mut seen: Vec<f64> = Vec::new();
    let mut out = Vec::new();
    for op in thresholds {
        let Some(threshold) = threshold_of(op) else {
            continue;
        };
        for (n, words) in around_threshold(op, spec).into_iter().flatten() {
            let in_bounds =
                spec.min.is_none_or(|min| n >= min) && spec.max.is_none_or(|max| n <= max);
            if in_bounds && now != Some(n) && !seen.contains(&n) {
                seen.push(n);
                let change = number_wording(n, words, threshold, now);
                out.push(Candidate::known(shape, Value::Number(n), change));
            }
        }
    }
    out
}

/// The number a numeric test compares with; none for other tests.
fn threshold_of(op: &Op) -> Option<f64> {
    match op {
        Op::Gt(c) | Op::Lte(c) | Op::Gte(c) | Op::Lt(c) => Some(*c),
        Op::Eq(Value::Number(c)) | Op::Ne(Value::Number(c)) => Some(*c),
        _ => None,
    }
}

/// The values that fall on either side of a numeric test (two, or three
/// for an equality), with how each reads against the threshold.
fn around_threshold(op: &Op, spec: &NumberSpec) -> [Option<(f64, &'static str)>; 3] {
    let step = |c: f64| {
        if spec.integer {
            1.0
        } else {
            (c.abs() * 0.001).max(0.001)
        }
    };
    match op {
        Op::Gt(c) | Op::Lte(c) => [Some((c + step(*c), "above")), Some((*c, "at most")), None],
        Op::Gte(c) | Op::Lt(c) => [Some((*c, "at least")), Some((c - step(*c), "below")), None],
        Op::Eq(Value::Number(c)) | Op::Ne(Value::Number(c)) => [
            Some((*c, "exactly")),
            Some((c + step(*c), "above")),
            Some((c - step(*c), "below")),
        ],
        _ => [None; 3],
    }
}

/// How trying `n` reads. With a known value, it says where the tried value
/// lies from it ("at most 2" from 4), not which threshold produced it:
/// another threshold may be the one crossed.
fn number_wording(n: f64, words: &'static str, threshold: f64, now: Option<f64>) -> Wording {
    let up = words == "above" || words == "at least";
    let down = words == "below" || words == "at most";
    match now {
        Some(now) if (n > now && up) || (n < now && down) => Wording::Number(words, threshold),
        Some(now) if n > now => Wording::Number("at least", n),
        Some(_) => Wording::Number("at most", n),
        None => Wording::Number(words, threshold),
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
