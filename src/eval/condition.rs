//! Evaluating conditions, with a trace of every test.
//!
//! Conditions are evaluated in three-valued (Kleene) logic: a test on a
//! question answered "don't know" is `Unknown`, `all` is false as soon as one
//! part is false, `any` true as soon as one part is true. So a rule that
//! fires, fires whatever the unknown answers turn out to be, and a rule left
//! `Unknown` is exactly one the missing knowledge could still switch on.
//!
//! The [`Trace`] keeps every node's outcome and each test's actual answer;
//! explanations render it, and it answers two questions about a rule: which
//! answers made it fire ([`Trace::decisive`]) and how far it was from firing
//! ([`Trace::needed`]).

use super::facts::Lookup;
use crate::ids::QuestionId;
use crate::rulebase::{CondNode, Condition, Op, Test};
use crate::source::Span;
use crate::value::{Answer, Value};
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Truth {
    True,
    False,
    Unknown,
}

impl Truth {
    fn from_bool(b: bool) -> Self {
        if b { Truth::True } else { Truth::False }
    }

    fn not(self) -> Self {
        match self {
            Truth::True => Truth::False,
            Truth::False => Truth::True,
            Truth::Unknown => Truth::Unknown,
        }
    }
}

/// The outcome of one condition node and its children.
#[derive(Clone, Debug, Serialize)]
pub struct Trace {
    pub truth: Truth,
    #[serde(flatten)]
    pub node: TraceNode,
    /// Where the node is written; serialized as `file:line:col`, resolved
    /// only then (most traces are never printed).
    pub at: Span,
}

#[derive(Clone, Debug, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum TraceNode {
    All { of: Vec<Trace> },
    Any { of: Vec<Trace> },
    Not { of: Box<Trace> },
    Test(TestTrace),
}

/// One test: what it compared, and the answer it found. Its words (the
/// test as written, the answer as it bears on the test) are put together
/// when a report asks for them: most traces are never printed.
#[derive(Clone, Debug)]
pub struct TestTrace {
    pub question: QuestionId,
    op: Op,
    /// The answer in effect; absent when unanswered or not applicable.
    pub actual: Option<Answer>,
    truth: Truth,
}

impl TestTrace {
    /// The test as written: `team_size > 20`.
    pub fn test(&self) -> String {
        format!("{} {}", self.question, self.op)
    }

    /// The answer as it bears on the test, in words: `consistency = strong`,
    /// `team_experience includes relational`, `clients does not include browser`.
    pub fn says(&self) -> String {
        let q = &self.question;
        match (&self.op, &self.actual) {
            (_, None) => format!("{q} unanswered"),
            (_, Some(Answer::Unknown)) => format!("{q} = unknown"),
            (Op::Contains(choice), Some(_)) if self.truth == Truth::True => {
                format!("{q} includes {choice}")
            }
            (Op::Contains(choice), Some(_)) => format!("{q} does not include {choice}"),
            (_, Some(answer)) => format!("{q} = {answer}"),
        }
    }
}

/// Serialized with its words, as `{question, test, actual, says}`.
impl Serialize for TestTrace {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("TestTrace", 4)?;
        s.serialize_field("question", &self.question)?;
        s.serialize_field("test", &self.test())?;
        s.serialize_field("actual", &self.actual)?;
        s.serialize_field("says", &self.says())?;
        s.end()
    }
}

/// `all` in Kleene logic: false beats unknown beats true.
fn all_of(truths: impl Iterator<Item = Truth>) -> Truth {
    truths.fold(Truth::True, |acc, t| match (acc, t) {
        (Truth::False, _) | (_, Truth::False) => Truth::False,
        (Truth::Unknown, _) | (_, Truth::Unknown) => Truth::Unknown,
        _ => Truth::True,
    })
}

/// `any` in Kleene logic: true beats unknown beats false.
fn any_of(truths: impl Iterator<Item = Truth>) -> Truth {
    all_of(truths.map(Truth::not)).not()
}

/// Evaluates a condition without recording anything: the fast path for
/// sensitivity analysis, which re-scores a topic many times.
/// `all` and `any` stop at the first child that settles them (false for
/// `all`, true for `any`), as Kleene logic allows.
pub fn truth<L: Lookup>(condition: &Condition, facts: &L) -> Truth {
    match &condition.node {
        CondNode::All(children) => {
            let mut out = Truth::True;
            for c in children {
                match truth(c, facts) {
                    Truth::False => return Truth::False,
                    Truth::Unknown => out = Truth::Unknown,
                    Truth::True => {}
                }
            }
            out
        }
        CondNode::Any(children) => {
            let mut out = Truth::False;
            for c in children {
                match truth(c, facts) {
                    Truth::True => return Truth::True,
                    Truth::Unknown => out = Truth::Unknown,
                    Truth::False => {}
                }
            }
            out
        }
        CondNode::Not(inner) => truth(inner, facts).not(),
        CondNode::Test(test) => test_truth(test, facts.test_answer(test)),
    }
}

/// Evaluates a condition over facts, recording every node.
pub fn trace<L: Lookup>(condition: &Condition, facts: &L) -> Trace {
    let at = condition.span.clone();
    let (truth, node) = match &condition.node {
        CondNode::All(children) => {
            let of: Vec<Trace> = children.iter().map(|c| trace(c, facts)).collect();
            (all_of(of.iter().map(|t| t.truth)), TraceNode::All { of })
        }
        CondNode::Any(children) => {
            let of: Vec<Trace> = children.iter().map(|c| trace(c, facts)).collect();
            (any_of(of.iter().map(|t| t.truth)), TraceNode::Any { of })
        }
        CondNode::Not(inner) => {
            let inner = trace(inner, facts);
            (
                inner.truth.not(),
                TraceNode::Not {
                    of: Box::new(inner),
                },
            )
        }
        CondNode::Test(test) => {
            let actual = facts.test_answer(test).cloned();
            let truth = test_truth(test, actual.as_ref());
            (
                truth,
                TraceNode::Test(TestTrace {
                    question: test.question.clone(),
                    op: test.op.clone(),
                    actual,
                    truth,
                }),
            )
        }
    };
    Trace { truth, node, at }
}

/// One test against one answer. A test on an unanswered question is false
/// (only `answered = false` holds); on "don't know" it is unknown.
pub fn test_truth(test: &Test, actual: Option<&Answer>) -> Truth {
    let value = match actual {
        None => return Truth::from_bool(test.op == Op::Answered(false)),
        Some(Answer::Unknown) => {
            return match test.op {
                Op::Answered(want) => Truth::from_bool(!want),
                _ => Truth::Unknown,
            };
        }
        Some(Answer::Known(value)) => value,
    };
    let number = value.as_number();
    match &test.op {
        Op::Eq(expected) => Truth::from_bool(value == expected),
        Op::Ne(expected) => Truth::from_bool(value != expected),
        Op::Gt(c) => Truth::from_bool(number.is_some_and(|n| n > *c)),
        Op::Gte(c) => Truth::from_bool(number.is_some_and(|n| n >= *c)),
        Op::Lt(c) => Truth::from_bool(number.is_some_and(|n| n < *c)),
        Op::Lte(c) => Truth::from_bool(number.is_some_and(|n| n <= *c)),
        Op::In(choices) => {
            Truth::from_bool(matches!(value, Value::Choice(v) if choices.contains(v)))
        }
        // A scan, not the set's search: the sets are a handful of ids, and
        // equality of shared ids is a pointer or length check before any
        // byte is compared, where the search orders them byte by byte.
        Op::Contains(choice) => {
            Truth::from_bool(matches!(value, Value::Choices(vs) if vs.iter().any(|v| v == choice)))
        }
        Op::Answered(want) => Truth::from_bool(*want),
    }
}

impl Trace {
    /// The tests whose outcome decided this node's outcome: for a rule that
    /// fired, the answers behind it.
    pub fn decisive(&self) -> Vec<&TestTrace> {
        let mut out = Vec::new();
        self.collect_decisive(&mut out);
        out
    }

    fn collect_decisive<'a>(&'a self, out: &mut Vec<&'a TestTrace>) {
        match &self.node {
            TraceNode::Test(test) => out.push(test),
            TraceNode::Not { of } => of.collect_decisive(out),
            TraceNode::All { of } | TraceNode::Any { of } => {
                let all_count = matches!(self.node, TraceNode::All { .. })
                    && self.truth == Truth::True
                    || matches!(self.node, TraceNode::Any { .. }) && self.truth == Truth::False;
                for child in of {
                    if all_count || child.truth == self.truth {
                        child.collect_decisive(out);
                    }
                }
            }
        }
    }

    /// The fewest tests whose outcome must change for this node to become
    /// `want`. A rule that did not fire with one test needed came close.
    pub fn needed(&self, want: bool) -> Vec<&TestTrace> {
        match &self.node {
            TraceNode::Test(test) => {
                if self.truth == Truth::from_bool(want) {
                    Vec::new()
                } else {
                    vec![test]
                }
            }
            TraceNode::Not { of } => of.needed(!want),
            TraceNode::All { of } | TraceNode::Any { of } => {
                // `all` becomes true (and `any` false) only when every part does;
                // the other way round, one part is enough: take the cheapest.
                let every = matches!(self.node, TraceNode::All { .. }) == want;
                if every {
                    of.iter().flat_map(|c| c.needed(want)).collect()
                } else {
                    of.iter()
                        .map(|c| c.needed(want))
                        .min_by_key(Vec::len)
                        .unwrap_or_default()
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::Facts;
    use crate::ids::ChoiceId;
    use crate::source::SourceFile;
    use std::collections::BTreeMap;

    fn test(q: &str, op: Op) -> Condition {
        let file = SourceFile::new("t.toml", "");
        Condition {
            node: CondNode::Test(Test {
                question: QuestionId::new(q),
                op,
                slot: Test::NO_SLOT,
            }),
            span: Span::new(&file, 0..0),
        }
    }

    fn node(node: CondNode) -> Condition {
        let file = SourceFile::new("t.toml", "");
        Condition {
            node,
            span: Span::new(&file, 0..0),
        }
    }

    fn facts(pairs: &[(&str, Answer)]) -> Facts {
        Facts::from_map(
            pairs
                .iter()
                .map(|(q, a)| (QuestionId::new(*q), a.clone()))
                .collect::<BTreeMap<_, _>>(),
        )
    }

    fn num(n: f64) -> Answer {
        Answer::Known(Value::Number(n))
    }

    #[test]
    fn kleene_logic_over_unknown_answers() {
        let big = test("rps", Op::Gt(1000.0));
        let strong = test(
            "consistency",
            Op::Eq(Value::Choice(ChoiceId::new("strong"))),
        );
        let f = facts(&[
            ("rps", Answer::Unknown),
            (
                "consistency",
                Answer::Known(Value::Choice(ChoiceId::new("eventual"))),
            ),
        ]);
        // unknown AND false = false; unknown OR false = unknown; NOT unknown = unknown
        assert_eq!(
            trace(&node(CondNode::All(vec![big, strong])), &f).truth,
            Truth::False
        );
        let big = test("rps", Op::Gt(1000.0));
        let strong = test(
            "consistency",
            Op::Eq(Value::Choice(ChoiceId::new("strong"))),
        );
        assert_eq!(
            trace(&node(CondNode::Any(vec![big, strong])), &f).truth,
            Truth::Unknown
        );
        let big = test("rps", Op::Gt(1000.0));
        assert_eq!(
            trace(&node(CondNode::Not(Box::new(big))), &f).truth,
            Truth::Unknown
        );
    }

    #[test]
    fn unanswered_tests_are_false_except_answered_false() {
        let f = facts(&[]);
        assert_eq!(trace(&test("rps", Op::Gt(1.0)), &f).truth, Truth::False);
        assert_eq!(
            trace(&test("rps", Op::Ne(Value::Number(1.0))), &f).truth,
            Truth::False
        );
        assert_eq!(
            trace(&test("rps", Op::Answered(false)), &f).truth,
            Truth::True
        );
        let f = facts(&[("rps", Answer::Unknown)]);
        assert_eq!(
            trace(&test("rps", Op::Answered(true)), &f).truth,
            Truth::False
        );
    }

    #[test]
    fn needed_finds_the_one_missing_test() {
        let cond = node(CondNode::All(vec![
            test("rps", Op::Gt(1000.0)),
            test("team", Op::Lt(10.0)),
            node(CondNode::Not(Box::new(test("team", Op::Lt(3.0))))),
        ]));
        let f = facts(&[("rps", num(50.0)), ("team", num(5.0))]);
        let t = trace(&cond, &f);
        assert_eq!(t.truth, Truth::False);
        let needed: Vec<String> = t.needed(true).iter().map(|x| x.test()).collect();
        assert_eq!(needed, vec!["rps > 1000"]);
    }

    #[test]
    fn decisive_names_the_answers_behind_the_outcome() {
        let cond = node(CondNode::Any(vec![
            test("rps", Op::Gt(1000.0)),
            test("team", Op::Lt(10.0)),
        ]));
        let f = facts(&[("rps", num(50.0)), ("team", num(5.0))]);
        let t = trace(&cond, &f);
        assert_eq!(t.truth, Truth::True);
        let decisive: Vec<&str> = t.decisive().iter().map(|x| x.question.as_str()).collect();
        assert_eq!(decisive, vec!["team"]);
    }
}
