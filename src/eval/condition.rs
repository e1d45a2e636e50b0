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
use crate::rulebase::compiled::CompiledOutcome;
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
        CondNode::Test(test) => match test.compiled.outcome(facts.test_code(test)) {
            CompiledOutcome::Known(known) => Truth::from_bool(known),
            CompiledOutcome::Unknown => Truth::Unknown,
            CompiledOutcome::Compare => test_truth(test, facts.test_answer(test)),
        },
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
    use crate::rulebase::{CompiledTest, EncodedAnswer};
    use crate::source::SourceFile;
    use std::collections::BTreeMap;

    fn test(q: &str, op: Op) -> Condition {
        let file = SourceFile::new("t.toml", "");
        Condition {
            node: CondNode::Test(Test {
                question: QuestionId::new(q),
                op,
                slot: Test::NO_SLOT,
                compiled: CompiledTest::Slow,
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

    /// Every answer a slot might hold, of its kind and of others: none,
    /// "don't know", each choice (and sets of them), a choice not in the
    /// list, numbers either side of the slot's thresholds, yes and no.
    fn answers_for(rb: &crate::rulebase::RuleBase, slot: u32) -> Vec<Option<Answer>> {
        use crate::rulebase::QuestionKind;
        let mut ids: Vec<String> = match rb.questions().get(slot as usize) {
            Some(q) => match &q.kind {
                QuestionKind::Single(c) | QuestionKind::Multi(c) => {
                    c.iter().map(|c| c.id.to_string()).collect()
                }
                _ => Vec::new(),
            },
            None => rb.topics()[slot as usize - rb.questions().len()]
                .options
                .iter()
                .map(|o| o.id.to_string())
                .collect(),
        };
        ids.push("not-a-choice".to_owned());
        let mut values: Vec<Value> = ids
            .iter()
            .map(|c| Value::Choice(c.as_str().into()))
            .collect();
        for mask in 0u32..(1 << ids.len().min(6)) {
            let set = (0..ids.len().min(6))
                .filter(|b| mask >> b & 1 == 1)
                .map(|b| ChoiceId::new(ids[b].as_str()))
                .collect();
            values.push(Value::Choices(set));
        }
        for n in [
            -1.0,
            0.0,
            1.0,
            2.5,
            10.0,
            100.0,
            1000.0,
            5000.0,
            1e6,
            f64::NAN,
        ] {
            values.push(Value::Number(n));
        }
        values.extend([
            Value::Bool(true),
            Value::Bool(false),
            Value::Text("x".into()),
        ]);
        let mut out = vec![None, Some(Answer::Unknown)];
        out.extend(values.into_iter().map(|v| Some(Answer::Known(v))));
        out
    }

    #[test]
    fn compiled_tests_agree_with_comparing_values() {
        let rb = crate::builtin::rule_base().unwrap();
        let mut tests: Vec<&Test> = Vec::new();
        for topic in rb.topics() {
            for rule in &topic.rules {
                if let Some(when) = &rule.when {
                    tests.extend(when.tests());
                }
            }
        }
        for q in rb.questions() {
            if let Some(when) = &q.when {
                tests.extend(when.tests());
            }
        }
        assert!(tests.len() > 500, "{} tests", tests.len());
        let mut compared = 0;
        let mut slots: Vec<u32> = tests.iter().map(|t| t.slot).collect();
        slots.sort_unstable();
        slots.dedup();
        for test in &tests {
            // The built-in rule base is all choices, numbers and yes/no:
            // every test compiles.
            assert_ne!(test.compiled, CompiledTest::Slow, "{test} is not compiled");
        }
        for slot in slots {
            let shape = rb.shape(slot);
            let answers = answers_for(&rb, slot);
            // Every operator with every value on the slot.
            let mut ops = vec![Op::Answered(true), Op::Answered(false)];
            for answer in answers.iter().flatten() {
                if let Answer::Known(v) = answer {
                    if let Value::Choice(c) = v {
                        ops.push(Op::In(vec![c.clone(), ChoiceId::new("other")]));
                        ops.push(Op::Contains(c.clone()));
                    }
                    if let Value::Number(n) = *v {
                        ops.extend([Op::Gt(n), Op::Gte(n), Op::Lt(n), Op::Lte(n)]);
                    }
                    ops.push(Op::Ne(v.clone()));
                    ops.push(Op::Eq(v.clone()));
                }
            }
            for op in ops {
                let compiled = shape.compile(&op);
                let probe = Test {
                    question: QuestionId::new("q"),
                    op,
                    slot,
                    compiled,
                };
                for answer in &answers {
                    let code = shape.encode(answer.as_ref());
                    let slow = test_truth(&probe, answer.as_ref());
                    let fast = match compiled.outcome(code) {
                        CompiledOutcome::Known(known) => Some(Truth::from_bool(known)),
                        CompiledOutcome::Unknown => Some(Truth::Unknown),
                        CompiledOutcome::Compare => None,
                    };
                    if let Some(fast) = fast {
                        assert_eq!(fast, slow, "{probe} on {answer:?} ({code:?}, {fast:?})");
                        compared += 1;
                    }
                }
            }
        }
        assert!(compared > 30_000, "{compared} compared");
    }

    #[test]
    fn valid_answers_are_encoded() {
        let rb = crate::builtin::rule_base().unwrap();
        let shape = rb.shape(0);
        assert_eq!(shape.encode(None), EncodedAnswer::Absent);
        assert_eq!(shape.encode(Some(&Answer::Unknown)), EncodedAnswer::Unknown);
        for q in rb.questions() {
            let slot = rb.slot(&q.id).unwrap() as u32;
            if let Some(default) = &q.default {
                assert_ne!(
                    rb.shape(slot).encode(Some(default)),
                    EncodedAnswer::Opaque,
                    "{}",
                    q.id
                );
            }
        }
    }
}
