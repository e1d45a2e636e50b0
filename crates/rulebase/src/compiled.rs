//! Tests compiled against the rule base's choice lists, and answers encoded
//! the same way, so that evaluation's hot path compares small numbers.
//!
//! Sensitivity analysis evaluates conditions by the thousand in every run.
//! Ids are shared strings and a multiple choice is an ordered set, so a
//! test compared strings or walked a tree. Here a single choice becomes its
//! position among the question's choices (for a decision, the option's
//! position in its topic), a multiple choice a bit set of positions, and a
//! test ([`CompiledTest`]) a mask or a number to compare with. What does not fit
//! (text, a position past 63, a choice not in the list) stays
//! [`EncodedAnswer::Opaque`] or [`CompiledTest::Slow`], and the evaluator compares the
//! values themselves. Either way the outcome is the same; a unit test
//! checks it over every kind of test and answer.

use super::condition::Op;
use super::question::{Choice, QuestionKind};
use super::topic::TopicOption;
use crate::value::{Answer, Value};
use serde::{Deserialize, Serialize};

/// An answer, encoded against its slot's [`AnswerDomain`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum EncodedAnswer {
    /// No answer: unanswered, or the question does not apply.
    Absent,
    /// "Don't know".
    Unknown,
    /// A single choice (or decision), by position.
    Choice(u8),
    /// A multiple choice, one bit per position.
    Choices(u64),
    Number(f64),
    Bool(bool),
    /// Anything else: a test reads the answer itself.
    Opaque,
}

impl EncodedAnswer {
    /// The code as a map key; `None` for an opaque answer, which only its
    /// value tells apart.
    pub fn key(self) -> Option<(u8, u64)> {
        Some(match self {
            EncodedAnswer::Absent => (0, 0),
            EncodedAnswer::Unknown => (1, 0),
            EncodedAnswer::Choice(p) => (2, u64::from(p)),
            EncodedAnswer::Choices(set) => (3, set),
            EncodedAnswer::Number(n) => (4, n.to_bits()),
            EncodedAnswer::Bool(b) => (5, u64::from(b)),
            EncodedAnswer::Opaque => return None,
        })
    }
}

/// A test, compiled against its slot's [`AnswerDomain`]. `negate` turns `eq` into
/// `ne`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum CompiledTest {
    /// `eq`, `ne` or `in` on a single choice: the position is in `mask`.
    Choice { mask: u64, negate: bool },
    /// `contains` on a multiple choice: the set has this bit (none for a
    /// choice not in the list).
    Has(u64),
    /// `eq` or `ne` on a multiple choice: the set is exactly `mask`.
    Choices { mask: u64, negate: bool },
    /// `eq` or `ne` on a number.
    NumberEq { value: f64, negate: bool },
    /// `gt`, `gte`, `lt`, `lte`.
    Number { cmp: Cmp, value: f64 },
    /// `eq` or `ne` on yes/no.
    Bool { value: bool, negate: bool },
    /// `answered`.
    Answered(bool),
    /// Not compiled: compare the values.
    Slow,
}

/// What a compiled test says of an encoded answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompiledOutcome {
    Known(bool),
    /// The answer is "don't know".
    Unknown,
    /// Only comparing the values can tell.
    Compare,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Cmp {
    Gt,
    Gte,
    Lt,
    Lte,
}

/// What answers to a slot look like.
#[derive(Clone, Copy)]
pub enum AnswerDomain<'a> {
    Single(&'a [Choice]),
    Multi(&'a [Choice]),
    /// A topic's decision: one of its options.
    Decision(&'a [TopicOption]),
    /// A combination topic's decision: the set of options its plan adopts.
    DecisionSet(&'a [TopicOption]),
    Number,
    Bool,
    /// Text, or a slot the rule base does not know.
    Other,
}

impl<'a> AnswerDomain<'a> {
    pub fn of_question(kind: &'a QuestionKind) -> Self {
        match kind {
            QuestionKind::Single(c) => AnswerDomain::Single(c),
            QuestionKind::Multi(c) => AnswerDomain::Multi(c),
            QuestionKind::Number(_) => AnswerDomain::Number,
            QuestionKind::Bool => AnswerDomain::Bool,
            QuestionKind::Text => AnswerDomain::Other,
        }
    }

    /// A choice's (or option's) position, if it has a bit.
    fn position(self, id: &str) -> Option<u8> {
        let found = match self {
            AnswerDomain::Single(c) | AnswerDomain::Multi(c) => {
                c.iter().position(|c| c.id.as_str() == id)
            }
            AnswerDomain::Decision(o) | AnswerDomain::DecisionSet(o) => {
                o.iter().position(|o| o.id.as_str() == id)
            }
            _ => None,
        }?;
        u8::try_from(found).ok().filter(|&p| p < 64)
    }

    /// A choice's bit: none for a choice not in the list. `None` when the
    /// list is too long for every position to have one (no answer could
    /// then be told apart from a missing choice).
    fn bit(self, id: &str) -> Option<u64> {
        let len = match self {
            AnswerDomain::Single(c) | AnswerDomain::Multi(c) => c.len(),
            AnswerDomain::Decision(o) | AnswerDomain::DecisionSet(o) => o.len(),
            _ => return None,
        };
        if len > 64 {
            return None;
        }
        Some(self.position(id).map_or(0, |p| 1 << p))
    }

    /// Encodes an answer to this slot.
    pub fn encode(self, answer: Option<&Answer>) -> EncodedAnswer {
        let value = match answer {
            None => return EncodedAnswer::Absent,
            Some(Answer::Unknown) => return EncodedAnswer::Unknown,
            Some(Answer::Known(value)) => value,
        };
        match (self, value) {
            (AnswerDomain::Single(_) | AnswerDomain::Decision(_), Value::Choice(c)) => self
                .position(c.as_str())
                .map_or(EncodedAnswer::Opaque, EncodedAnswer::Choice),
            (AnswerDomain::Multi(_) | AnswerDomain::DecisionSet(_), Value::Choices(set)) => {
                let mut mask = 0u64;
                for c in set {
                    match self.position(c.as_str()) {
                        Some(p) => mask |= 1 << p,
                        None => return EncodedAnswer::Opaque,
                    }
                }
                EncodedAnswer::Choices(mask)
            }
            (AnswerDomain::Number, Value::Number(n)) => EncodedAnswer::Number(*n),
            (AnswerDomain::Bool, Value::Bool(b)) => EncodedAnswer::Bool(*b),
            _ => EncodedAnswer::Opaque,
        }
    }

    /// Compiles a test on this slot.
    pub fn compile(self, op: &Op) -> CompiledTest {
        let single = matches!(self, AnswerDomain::Single(_) | AnswerDomain::Decision(_));
        // `eq`, or with `negate` `ne`, by the slot's kind of answer.
        let equal = |value: &Value, negate| match (self, value) {
            (AnswerDomain::Single(_) | AnswerDomain::Decision(_), Value::Choice(c)) => self
                .bit(c.as_str())
                .map(|mask| CompiledTest::Choice { mask, negate }),
            (AnswerDomain::Multi(_) | AnswerDomain::DecisionSet(_), Value::Choices(set)) => set
                .iter()
                .try_fold(0u64, |mask, c| {
                    Some(mask | self.bit(c.as_str()).filter(|&b| b != 0)?)
                })
                .map(|mask| CompiledTest::Choices { mask, negate }),
            (AnswerDomain::Number, Value::Number(n)) => {
                Some(CompiledTest::NumberEq { value: *n, negate })
            }
            (AnswerDomain::Bool, Value::Bool(b)) => Some(CompiledTest::Bool { value: *b, negate }),
            _ => None,
        };
        let number = |cmp, value| {
            matches!(self, AnswerDomain::Number).then_some(CompiledTest::Number { cmp, value })
        };
        let compiled = match op {
            Op::Answered(want) => Some(CompiledTest::Answered(*want)),
            Op::Eq(v) => equal(v, false),
            Op::Ne(v) => equal(v, true),
            Op::In(cs) if single => cs
                .iter()
                .try_fold(0u64, |mask, c| Some(mask | self.bit(c.as_str())?))
                .map(|mask| CompiledTest::Choice {
                    mask,
                    negate: false,
                }),
            Op::Contains(c)
                if matches!(self, AnswerDomain::Multi(_) | AnswerDomain::DecisionSet(_)) =>
            {
                self.bit(c.as_str()).map(CompiledTest::Has)
            }
            Op::Gt(n) => number(Cmp::Gt, *n),
            Op::Gte(n) => number(Cmp::Gte, *n),
            Op::Lt(n) => number(Cmp::Lt, *n),
            Op::Lte(n) => number(Cmp::Lte, *n),
            _ => None,
        };
        compiled.unwrap_or(CompiledTest::Slow)
    }
}

impl CompiledTest {
    /// The test's outcome on an encoded answer.
    #[inline]
    pub fn outcome(self, code: EncodedAnswer) -> CompiledOutcome {
        let known = match (self, code) {
            (CompiledTest::Slow, _) | (_, EncodedAnswer::Opaque) => {
                return CompiledOutcome::Compare;
            }
            // Only `answered = false` holds for no answer; on "don't know"
            // whether it is answered is known, anything else is not.
            (CompiledTest::Answered(want), EncodedAnswer::Absent | EncodedAnswer::Unknown) => !want,
            (CompiledTest::Answered(want), _) => want,
            (_, EncodedAnswer::Absent) => false,
            (_, EncodedAnswer::Unknown) => return CompiledOutcome::Unknown,
            (CompiledTest::Choice { mask, negate }, EncodedAnswer::Choice(p)) => {
                (mask >> p & 1 == 1) != negate
            }
            (CompiledTest::Has(bit), EncodedAnswer::Choices(set)) => set & bit != 0,
            (CompiledTest::Choices { mask, negate }, EncodedAnswer::Choices(set)) => {
                (set == mask) != negate
            }
            (CompiledTest::NumberEq { value, negate }, EncodedAnswer::Number(n)) => {
                (n == value) != negate
            }
            (CompiledTest::Number { cmp, value }, EncodedAnswer::Number(n)) => match cmp {
                Cmp::Gt => n > value,
                Cmp::Gte => n >= value,
                Cmp::Lt => n < value,
                Cmp::Lte => n <= value,
            },
            (CompiledTest::Bool { value, negate }, EncodedAnswer::Bool(b)) => {
                (b == value) != negate
            }
            // An answer of another kind than the slot's is encoded opaque;
            // should one reach here, the values tell.
            _ => return CompiledOutcome::Compare,
        };
        CompiledOutcome::Known(known)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::ChoiceId;
    use std::borrow::Cow;

    fn choices(n: usize) -> Vec<Choice> {
        (0..n)
            .map(|i| Choice {
                id: ChoiceId::new(format!("c{i}")),
                label: Cow::Borrowed("C"),
                help: None,
            })
            .collect()
    }

    fn choice(id: &str) -> Value {
        Value::Choice(ChoiceId::new(id))
    }

    #[test]
    fn choices_are_positions_and_tests_masks() {
        let list = choices(4);
        let shape = AnswerDomain::Single(&list);
        assert_eq!(
            shape.encode(Some(&Answer::Known(choice("c2")))),
            EncodedAnswer::Choice(2)
        );
        assert_eq!(
            shape.compile(&Op::In(vec![ChoiceId::new("c0"), ChoiceId::new("c3")])),
            CompiledTest::Choice {
                mask: 0b1001,
                negate: false
            }
        );
        // A choice not in the list matches no answer, and is no answer's code.
        assert_eq!(
            shape.compile(&Op::Eq(choice("nope"))),
            CompiledTest::Choice {
                mask: 0,
                negate: false
            }
        );
        assert_eq!(
            shape.encode(Some(&Answer::Known(choice("nope")))),
            EncodedAnswer::Opaque
        );
        let multi = AnswerDomain::Multi(&list);
        let set = Value::Choices([ChoiceId::new("c1"), ChoiceId::new("c3")].into());
        assert_eq!(
            multi.encode(Some(&Answer::Known(set))),
            EncodedAnswer::Choices(0b1010)
        );
        assert_eq!(
            multi.compile(&Op::Contains(ChoiceId::new("c1"))),
            CompiledTest::Has(0b10)
        );
    }

    #[test]
    fn what_does_not_fit_is_left_to_the_values() {
        // More choices than bits: every test compares values.
        let list = choices(70);
        let shape = AnswerDomain::Single(&list);
        assert_eq!(shape.compile(&Op::Eq(choice("c3"))), CompiledTest::Slow);
        assert_eq!(
            shape.encode(Some(&Answer::Known(choice("c65")))),
            EncodedAnswer::Opaque
        );
        assert_eq!(
            shape.compile(&Op::Answered(true)),
            CompiledTest::Answered(true)
        );
        // Text, and a value of another kind than the slot's.
        let text = Answer::Known(Value::Text("x".into()));
        assert_eq!(
            AnswerDomain::Other.encode(Some(&text)),
            EncodedAnswer::Opaque
        );
        assert_eq!(
            AnswerDomain::Other.compile(&Op::Eq(Value::Text("x".into()))),
            CompiledTest::Slow
        );
        assert_eq!(
            AnswerDomain::Number.compile(&Op::Eq(Value::Bool(true))),
            CompiledTest::Slow
        );
        assert_eq!(
            AnswerDomain::Number.encode(Some(&Answer::Known(Value::Bool(true)))),
            EncodedAnswer::Opaque
        );
        assert_eq!(
            CompiledTest::Slow.outcome(EncodedAnswer::Number(1.0)),
            CompiledOutcome::Compare
        );
        assert_eq!(
            CompiledTest::Answered(true).outcome(EncodedAnswer::Opaque),
            CompiledOutcome::Compare
        );
    }
}
