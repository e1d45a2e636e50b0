//! What each topic's rules read, worked out once per rule base.
//!
//! Evaluation asks the same questions of a topic many times over: which
//! questions its rules read (for "don't know" answers and explanations),
//! which questions matter to it once the questionnaire's gates are counted,
//! which topics' decisions it depends on, and, in sensitivity analysis,
//! which rules a changed answer can affect. None of that depends on the
//! answers, so it is computed when the rule base is assembled (and again
//! when a run adds rules), not on every call.

use super::{DECISION_PREFIX, Op, Question, Test, Topic};
use crate::ids::QuestionId;
use crate::value::Value;
use std::collections::BTreeSet;

/// One topic's reads.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TopicIndex {
    /// The questions, and `decision:<topic>` pseudo-questions, its rules read.
    pub reads: BTreeSet<QuestionId>,
    /// Positions of the questions that matter to it: those its rules read
    /// and those that gate them through `when`, in asking order.
    pub relevant: Vec<usize>,
    /// Positions of the topics whose decisions it reads, directly or
    /// through others, in evaluation order.
    pub upstream: Vec<usize>,
    /// Rules reading each slot (see [`super::RuleBase::slot`]): the rule
    /// positions `readers[starts[s]..starts[s + 1]]`, ascending.
    pub(crate) starts: Vec<u32>,
    pub(crate) readers: Vec<u32>,
    /// Per rule, its points and knock-outs by option position.
    pub effects: Vec<Effects>,
    /// The tests comparing numbers, with their slot, in rule order: the
    /// thresholds sensitivity analysis tries either side of.
    pub(crate) numeric: Vec<(u32, Op)>,
}

/// One rule's effects by option position: points, and knock-outs.
pub type Effects = (Vec<(usize, i32)>, Vec<usize>);

impl TopicIndex {
    /// The index of a topic with no rules.
    pub const EMPTY: TopicIndex = TopicIndex {
        reads: BTreeSet::new(),
        relevant: Vec::new(),
        upstream: Vec::new(),
        starts: Vec::new(),
        readers: Vec::new(),
        effects: Vec::new(),
        numeric: Vec::new(),
    };

    /// The numeric tests on a slot, in rule order.
    pub fn thresholds(&self, slot: u32) -> impl Iterator<Item = &Op> {
        self.numeric
            .iter()
            .filter(move |(s, _)| *s == slot)
            .map(|(_, op)| op)
    }

    /// The rules that read a slot, in rule order.
    pub fn readers_of(&self, slot: u32) -> &[u32] {
        let s = slot as usize;
        match (self.starts.get(s), self.starts.get(s + 1)) {
            (Some(&a), Some(&b)) => &self.readers[a as usize..b as usize],
            _ => &[],
        }
    }
}

/// The index of every topic, by topic position. `order` is the evaluation
/// order of the topics; `slot` numbers questions and decisions.
pub(super) fn build(
    questions: &[Question],
    topics: &[Topic],
    order: &[usize],
    slot_count: usize,
    slot: &impl Fn(&QuestionId) -> Option<usize>,
) -> Vec<TopicIndex> {
    let position = |id: &str| topics.iter().position(|t| t.id.as_str() == id);
    let mut tests: Vec<&Test> = Vec::new();
    let mut out: Vec<TopicIndex> = topics
        .iter()
        .map(|topic| topic_reads(topic, questions, slot_count, slot, &mut tests))
        .collect();
    // Upstream topics: the decisions read, closed over what they read.
    let direct: Vec<Vec<usize>> = out
        .iter()
        .map(|ix| {
            ix.reads
                .iter()
                .filter_map(|q| q.as_str().strip_prefix(DECISION_PREFIX).and_then(position))
                .collect()
        })
        .collect();
    for (t, ix) in out.iter_mut().enumerate() {
        let mut wanted = vec![false; topics.len()];
        let mut stack = direct[t].clone();
        while let Some(u) = stack.pop() {
            if !wanted[u] {
                wanted[u] = true;
                stack.extend(&direct[u]);
            }
        }
        ix.upstream = order.iter().copied().filter(|&u| wanted[u]).collect();
    }
    out
}

/// One topic's index, but for its upstream topics, which [`build`] works
/// out once every topic's reads are known. `tests` is a buffer to reuse.
fn topic_reads<'a>(
    topic: &'a Topic,
    questions: &'a [Question],
    slot_count: usize,
    slot: &impl Fn(&QuestionId) -> Option<usize>,
    tests: &mut Vec<&'a Test>,
) -> TopicIndex {
    let mut by_slot: Vec<(u32, u32)> = Vec::new();
    let mut numeric: Vec<(u32, Op)> = Vec::new();
    let mut reads: BTreeSet<QuestionId> = BTreeSet::new();
    let mut read_slots = vec![false; slot_count];
    for (r, rule) in topic.rules.iter().enumerate() {
        let Some(when) = &rule.when else { continue };
        tests.clear();
        when.collect_tests(tests);
        for test in tests.iter() {
            match slot_of(test, slot) {
                Some(s) => {
                    by_slot.push((s as u32, r as u32));
                    if is_numeric(&test.op) {
                        numeric.push((s as u32, test.op.clone()));
                    }
                    if !read_slots[s] {
                        read_slots[s] = true;
                        reads.insert(test.question.clone());
                    }
                }
                None => {
                    reads.insert(test.question.clone());
                }
            }
        }
    }
    if let Some(applies) = &topic.applies_when {
        tests.clear();
        applies.collect_tests(tests);
        for test in tests.iter() {
            if let Some(s) = slot_of(test, slot) {
                if is_numeric(&test.op) {
                    numeric.push((s as u32, test.op.clone()));
                }
                read_slots[s] = true;
            }
            reads.insert(test.question.clone());
        }
    }
    if topic.is_staged() {
        staged_questions(topic, questions, slot, &mut read_slots);
    }
    by_slot.sort_unstable();
    by_slot.dedup();
    let mut starts = vec![0u32; slot_count + 1];
    for &(s, _) in &by_slot {
        starts[s as usize + 1] += 1;
    }
    for s in 0..slot_count {
        starts[s + 1] += starts[s];
    }
    TopicIndex {
        relevant: relevant(questions, read_slots, slot, tests),
        upstream: Vec::new(),
        starts,
        readers: by_slot.into_iter().map(|(_, r)| r).collect(),
        effects: effects(topic),
        numeric,
        reads,
    }
}

/// A staged topic also needs what runs today and today's value of each
/// projection it reads: its next step is decided from them.
fn staged_questions(
    topic: &Topic,
    questions: &[Question],
    slot: &impl Fn(&QuestionId) -> Option<usize>,
    wanted: &mut [bool],
) {
    let read: Vec<bool> = wanted.to_vec();
    let today = questions.iter().filter(|q| {
        let projection = q.now_of.as_ref().and_then(slot);
        projection.is_some_and(|p| read.get(p) == Some(&true))
    });
    for id in topic.current.iter().chain(today.map(|q| &q.id)) {
        if let Some(w) = slot(id).and_then(|s| wanted.get_mut(s)) {
            *w = true;
        }
    }
}

/// Positions of the questions read (`wanted`, by slot) and of those gating
/// them, ascending.
fn relevant<'a>(
    questions: &'a [Question],
    mut wanted: Vec<bool>,
    slot: &impl Fn(&QuestionId) -> Option<usize>,
    tests: &mut Vec<&'a Test>,
) -> Vec<usize> {
    // A gate is always defined before the question it gates, so walking the
    // questionnaire backwards reaches every gate after its dependents.
    for (i, question) in questions.iter().enumerate().rev() {
        if wanted.get(i) == Some(&true)
            && let Some(when) = &question.when
        {
            tests.clear();
            when.collect_tests(tests);
            for test in tests.iter() {
                if let Some(w) = slot_of(test, slot).and_then(|s| wanted.get_mut(s)) {
                    *w = true;
                }
            }
        }
    }
    (0..questions.len()).filter(|&i| wanted[i]).collect()
}

/// A test's slot: assigned when the rule base was assembled, else looked up.
fn slot_of(test: &Test, slot: &impl Fn(&QuestionId) -> Option<usize>) -> Option<usize> {
    if test.slot == Test::NO_SLOT {
        slot(&test.question)
    } else {
        Some(test.slot as usize)
    }
}

fn is_numeric(op: &Op) -> bool {
    matches!(
        op,
        Op::Gt(_)
            | Op::Gte(_)
            | Op::Lt(_)
            | Op::Lte(_)
            | Op::Eq(Value::Number(_))
            | Op::Ne(Value::Number(_))
    )
}

fn effects(topic: &Topic) -> Vec<Effects> {
    let position = |id: &crate::ids::OptionId| topic.options.iter().position(|o| &o.id == id);
    topic
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
        .collect()
}
