//! Conditions: structured predicates over answers.
//!
//! A condition is a tree of `all` / `any` / `not` nodes over tests that
//! compare one question's answer with a constant. Rules use them to decide
//! whether they fire; questions use them to decide whether they are asked.
//! Every node keeps its [`Span`] so explanations and errors can point at the
//! exact line. This module only describes conditions; evaluating them over
//! answers is the evaluator's job (`eval::condition`).

use super::compiled::CompiledTest;
use crate::ids::{ChoiceId, QuestionId};
use crate::source::Span;
use crate::value::{Value, format_number};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;

#[derive(Debug, Serialize, Deserialize)]
pub struct Condition {
    pub node: CondNode,
    #[serde(with = "crate::snapshot::span")]
    pub span: Span,
}

#[derive(Debug, Serialize, Deserialize)]
pub enum CondNode {
    All(Vec<Condition>),
    Any(Vec<Condition>),
    Not(Box<Condition>),
    Test(Test),
}

/// One comparison of a question's answer with a constant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Test {
    pub question: QuestionId,
    pub op: Op,
    /// The question's slot in the rule base (its position, or after the
    /// questions the topic position of a decision), set when the rule base
    /// is assembled, so evaluation finds an answer by index, not by name.
    pub slot: u32,
    /// The test compiled against the slot's choices, set with the slot.
    pub compiled: CompiledTest,
}

impl Test {
    /// The slot of a test not (yet) in an assembled rule base.
    pub const NO_SLOT: u32 = u32::MAX;
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Op {
    Eq(#[serde(with = "crate::snapshot::StoredValue")] Value),
    Ne(#[serde(with = "crate::snapshot::StoredValue")] Value),
    Gt(f64),
    Gte(f64),
    Lt(f64),
    Lte(f64),
    /// The single choice is one of these.
    In(Vec<ChoiceId>),
    /// The multiple choice includes this choice.
    Contains(ChoiceId),
    /// The question has a known answer (`true`) or has none (`false`).
    Answered(bool),
}

impl Op {
    /// The operator's key in TOML.
    pub fn key(&self) -> &'static str {
        match self {
            Op::Eq(_) => "eq",
            Op::Ne(_) => "ne",
            Op::Gt(_) => "gt",
            Op::Gte(_) => "gte",
            Op::Lt(_) => "lt",
            Op::Lte(_) => "lte",
            Op::In(_) => "in",
            Op::Contains(_) => "contains",
            Op::Answered(_) => "answered",
        }
    }
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Op::Eq(v) => write!(f, "= {v}"),
            Op::Ne(v) => write!(f, "≠ {v}"),
            Op::Gt(n) => write!(f, "> {}", format_number(*n)),
            Op::Gte(n) => write!(f, "≥ {}", format_number(*n)),
            Op::Lt(n) => write!(f, "< {}", format_number(*n)),
            Op::Lte(n) => write!(f, "≤ {}", format_number(*n)),
            Op::In(cs) => {
                let ids: Vec<&str> = cs.iter().map(ChoiceId::as_str).collect();
                write!(f, "in [{}]", ids.join(", "))
            }
            Op::Contains(c) => write!(f, "includes {c}"),
            Op::Answered(true) => f.write_str("is answered"),
            Op::Answered(false) => f.write_str("is not answered"),
        }
    }
}

impl fmt::Display for Test {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.question, self.op)
    }
}

impl Condition {
    /// Every test in the tree, depth first, in source order.
    pub fn tests(&self) -> Vec<&Test> {
        let mut out = Vec::new();
        self.collect_tests(&mut out);
        out
    }

    pub(crate) fn collect_tests<'a>(&'a self, out: &mut Vec<&'a Test>) {
        match &self.node {
            CondNode::All(children) | CondNode::Any(children) => {
                for child in children {
                    child.collect_tests(out);
                }
            }
            CondNode::Not(inner) => inner.collect_tests(out),
            CondNode::Test(test) => out.push(test),
        }
    }

    /// Whether any test reads a question for which `f` holds; allocates
    /// nothing, for the hot path of sensitivity analysis.
    pub fn reads_any(&self, f: &impl Fn(&QuestionId) -> bool) -> bool {
        match &self.node {
            CondNode::All(children) | CondNode::Any(children) => {
                children.iter().any(|c| c.reads_any(f))
            }
            CondNode::Not(inner) => inner.reads_any(f),
            CondNode::Test(test) => f(&test.question),
        }
    }

    /// Sets every test's slot and compiled form.
    pub(crate) fn assign_slots(&mut self, slot: &impl Fn(&Test) -> (u32, CompiledTest)) {
        match &mut self.node {
            CondNode::All(children) | CondNode::Any(children) => {
                for c in children {
                    c.assign_slots(slot);
                }
            }
            CondNode::Not(inner) => inner.assign_slots(slot),
            CondNode::Test(test) => (test.slot, test.compiled) = slot(test),
        }
    }

    /// The questions the condition reads.
    pub fn questions(&self) -> BTreeSet<&QuestionId> {
        self.tests().into_iter().map(|t| &t.question).collect()
    }
}

/// Renders a condition on one line: `all(team_size > 20, not(consistency = strong))`.
impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let join = |f: &mut fmt::Formatter<'_>, name: &str, children: &[Condition]| {
            write!(f, "{name}(")?;
            for (i, child) in children.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                write!(f, "{child}")?;
            }
            f.write_str(")")
        };
        match &self.node {
            CondNode::All(children) => join(f, "all", children),
            CondNode::Any(children) => join(f, "any", children),
            CondNode::Not(inner) => write!(f, "not({inner})"),
            CondNode::Test(test) => write!(f, "{test}"),
        }
    }
}
