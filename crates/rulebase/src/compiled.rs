//! Tests compiled against the rule base's choice lists, and answers encoded
//! the same way, so that evaluation's hot path compares small numbers.
//!
//! Sensitivity analysis evaluates conditions by the thousand in every run.
//! Ids are shared strings and a multiple choice is an ordered set, so a
//! test compared strings or walked a tree. Here a single choice becomes its
//! position among the question's choices (for a decision, the option's
//! position in its topic), a multiple choice a bit set of positions, and a
//! test ([`Fast`]) a mask or a number to compare with. What does not fit
//! (text, a position past 63, a choice not in the list) stays
//! [`Code::Opaque`] or [`Fast::Slow`], and the evaluator compares the
//! values themselves. Either way the outcome is the same; a unit test
//! checks it over every kind of test and answer.

use super::condition::Op;
use super::question::{Choice, QuestionKind};
use super::topic::TopicOption;
use crate::value::{Answer, Value};

/// An answer, encoded against its slot's [`Shape`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Code {
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

impl Code {
    /// The code as a map key; `None` for an opaque answer, which only its
    /// value tells apart.
    pub fn key(self) -> Option<(u8, u64)> {
        Some(match self {
            Code::Absent => (0, 0),
            Code::Unknown => (1, 0),
            Code::Choice(p) => (2, u64::from(p)),
            Code::Choices(set) => (3, set),
            Code::Number(n) => (4, n.to_bits()),
            Code::Bool(b) => (5, u64::from(b)),
            Code::Opaque => return None,
        })
    }
}

/// A test, compiled against its slot's [`Shape`]. `negate` turns `eq` into
/// `ne`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Fast {
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
pub enum Outcome {
    Known(bool),
    /// The answer is "don't know".
    Unknown,
    /// Only comparing the values can tell.
    Compare,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmp {
    Gt,
    Gte,
    Lt,
    Lte,
}

/// What answers to a slot look like.
#[derive(Clone, Copy)]
pub enum Shape<'a> {
    Single(&'a [Choice]),
    Multi(&'a [Choice]),
    /// A topic's decision: one of its options.
    Decision(&'a [TopicOption]),
    Number,
    Bool,
    /// Text, or a slot the rule base does not know.
    Other,
}

impl<'a> Shape<'a> {
    pub fn of_question(kind: &'a QuestionKind) -> Self {
        match kind {
            QuestionKind::Single(c) => Shape::Single(c),
            QuestionKind::Multi(c) => Shape::Multi(c),
            QuestionKind::Number(_) => Shape::Number,
            QuestionKind::Bool => Shape::Bool,
            QuestionKind::Text => Shape::Other,
        }
    }

    /// A choice's (or option's) position, if it has a bit.
    fn position(self, id: &str) -> Option<u8> {
        let found = match self {
            Shape::Single(c) | Shape::Multi(c) => c.iter().position(|c| c.id.as_str() == id),
            Shape::Decision(o) => o.iter().position(|o| o.id.as_str() == id),
            _ => None,
        }?;
        u8::try_from(found).ok().filter(|&p| p < 64)
    }

    /// A choice's bit: none for a choice not in the list. `None` when the
    /// list is too long for every position to have one (no answer could
    /// then be told apart from a missing choice).
    fn bit(self, id: &str) -> Option<u64> {
        let len = match self {
            Shape::Single(c) | Shape::Multi(c) => c.len(),
            Shape::Decision(o) => o.len(),
            _ => return None,
        };
        if len > 64 {
            return None;
        }
        Some(self.position(id).map_or(0, |p| 1 << p))
    }

    /// Encodes an answer to this slot.
    pub fn encode(self, answer: Option<&Answer>) -> Code {
        let value = match answer {
            None => return Code::Absent,
            Some(Answer::Unknown) => return Code::Unknown,
            Some(Answer::Known(value)) => value,
        };
        match (self, value) {
            (Shape::Single(_) | Shape::Decision(_), Value::Choice(c)) => {
                self.position(c.as_str()).map_or(Code::Opaque, Code::Choice)
            }
            (Shape::Multi(_), Value::Choices(set)) => {
                let mut mask = 0u64;
                for c in set {
                    match self.position(c.as_str()) {
                        Some(p) => mask |= 1 << p,
                        None => return Code::Opaque,
                    }
                }
                Code::Choices(mask)
            }
            (Shape::Number, Value::Number(n)) => Code::Number(*n),
            (Shape::Bool, Value::Bool(b)) => Code::Bool(*b),
            _ => Code::Opaque,
        }
    }

    /// Compiles a test on this slot.
    pub fn compile(self, op: &Op) -> Fast {
        let single = matches!(self, Shape::Single(_) | Shape::Decision(_));
        // `eq`, or with `negate` `ne`, by the slot's kind of answer.
        let equal = |value: &Value, negate| match (self, value) {
            (Shape::Single(_) | Shape::Decision(_), Value::Choice(c)) => self
                .bit(c.as_str())
                .map(|mask| Fast::Choice { mask, negate }),
            (Shape::Multi(_), Value::Choices(set)) => set
                .iter()
                .try_fold(0u64, |mask, c| {
                    Some(mask | self.bit(c.as_str()).filter(|&b| b != 0)?)
                })
                .map(|mask| Fast::Choices { mask, negate }),
            (Shape::Number, Value::Number(n)) => Some(Fast::NumberEq { value: *n, negate }),
            (Shape::Bool, Value::Bool(b)) => Some(Fast::Bool { value: *b, negate }),
            _ => None,
        };
        let number =
            |cmp, value| matches!(self, Shape::Number).then_some(Fast::Number { cmp, value });
        let compiled = match op {
            Op::Answered(want) => Some(Fast::Answered(*want)),
            Op::Eq(v) => equal(v, false),
            Op::Ne(v) => equal(v, true),
            Op::In(cs) if single => cs
                .iter()
                .try_fold(0u64, |mask, c| Some(mask | self.bit(c.as_str())?))
                .map(|mask| Fast::Choice {
                    mask,
                    negate: false,
                }),
            Op::Contains(c) if matches!(self, Shape::Multi(_)) => {
                self.bit(c.as_str()).map(Fast::Has)
            }
            Op::Gt(n) => number(Cmp::Gt, *n),
            Op::Gte(n) => number(Cmp::Gte, *n),
            Op::Lt(n) => number(Cmp::Lt, *n),
            Op::Lte(n) => number(Cmp::Lte, *n),
            _ => None,
        };
        compiled.unwrap_or(Fast::Slow)
    }
}

impl Fast {
    /// The test's outcome on an encoded answer.
    #[inline]
    pub fn outcome(self, code: Code) -> Outcome {
        let known = match (self, code) {
            (Fast::Slow, _) | (_, Code::Opaque) => return Outcome::Compare,
            // Only `answered = false` holds for no answer; on "don't know"
            // whether it is answered is known, anything else is not.
            (Fast::Answered(want), Code::Absent | Code::Unknown) => !want,
            (Fast::Answered(want), _) => want,
            (_, Code::Absent) => false,
            (_, Code::Unknown) => return Outcome::Unknown,
            (Fast::Choice { mask, negate }, Code::Choice(p)) => (mask >> p & 1 == 1) != negate,
            (Fast::Has(bit), Code::Choices(set)) => set & bit != 0,
            (Fast::Choices { mask, negate }, Code::Choices(set)) => (set == mask) != negate,
            (Fast::NumberEq { value, negate }, Code::Number(n)) => (n == value) != negate,
            (Fast::Number { cmp, value }, Code::Number(n)) => match cmp {
                Cmp::Gt => n > value,
                Cmp::Gte => n >= value,
                Cmp::Lt => n < value,
                Cmp::Lte => n <= value,
            },
            (Fast::Bool { value, negate }, Code::Bool(b)) => (b == value) != negate,
            // An answer of another kind than the slot's is encoded opaque;
            // should one reach here, the values tell.
            _ => return Outcome::Compare,
        };
        Outcome::Known(known)
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
        let shape = Shape::Single(&list);
        assert_eq!(
            shape.encode(Some(&Answer::Known(choice("c2")))),
            Code::Choice(2)
        );
        assert_eq!(
            shape.compile(&Op::In(vec![ChoiceId::new("c0"), ChoiceId::new("c3")])),
            Fast::Choice {
                mask: 0b1001,
                negate: false
            }
        );
        // A choice not in the list matches no answer, and is no answer's code.
        assert_eq!(
            shape.compile(&Op::Eq(choice("nope"))),
            Fast::Choice {
                mask: 0,
                negate: false
            }
        );
        assert_eq!(
            shape.encode(Some(&Answer::Known(choice("nope")))),
            Code::Opaque
        );
        let multi = Shape::Multi(&list);
        let set = Value::Choices([ChoiceId::new("c1"), ChoiceId::new("c3")].into());
        assert_eq!(
            multi.encode(Some(&Answer::Known(set))),
            Code::Choices(0b1010)
        );
        assert_eq!(
            multi.compile(&Op::Contains(ChoiceId::new("c1"))),
            Fast::Has(0b10)
        );
    }

    #[test]
    fn what_does_not_fit_is_left_to_the_values() {
        // More choices than bits: every test compares values.
        let list = choices(70);
        let shape = Shape::Single(&list);
        assert_eq!(shape.compile(&Op::Eq(choice("c3"))), Fast::Slow);
        assert_eq!(
            shape.encode(Some(&Answer::Known(choice("c65")))),
            Code::Opaque
        );
        assert_eq!(shape.compile(&Op::Answered(true)), Fast::Answered(true));
        // Text, and a value of another kind than the slot's.
        let text = Answer::Known(Value::Text("x".into()));
        assert_eq!(Shape::Other.encode(Some(&text)), Code::Opaque);
        assert_eq!(
            Shape::Other.compile(&Op::Eq(Value::Text("x".into()))),
            Fast::Slow
        );
        assert_eq!(
            Shape::Number.compile(&Op::Eq(Value::Bool(true))),
            Fast::Slow
        );
        assert_eq!(
            Shape::Number.encode(Some(&Answer::Known(Value::Bool(true)))),
            Code::Opaque
        );
        assert_eq!(Fast::Slow.outcome(Code::Number(1.0)), Outcome::Compare);
        assert_eq!(Fast::Answered(true).outcome(Code::Opaque), Outcome::Compare);
    }
}
