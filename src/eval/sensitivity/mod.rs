//! Sensitivity: what single answer change would change the decision.
//!
//! For each question a topic reads, the analysis tries the other answers
//! that matter (every other choice, the other yes/no, each choice toggled in
//! a list, and numbers just either side of every threshold the topic's rules
//! use) and re-scores the topic. Changes that move the winner are tipping
//! points: they tell a tech lead what to double-check before committing and
//! what, if it changes later, means the decision should be revisited.
//! Trying an answer re-applies the questionnaire, so questions gated by the
//! changed one appear or disappear as they would in a session, and
//! re-decides the topics whose decisions this one reads (linked decisions),
//! so an answer that changes an upstream winner counts here too.
//! When no single change moves the winner, pairs of changes are tried: the
//! decision is then robust, and the pairs say how robust.
//!
//! This module finds the single changes that tip a topic and keeps what an
//! evaluation shares between its topics ([`Tries`]). The answers tried are
//! in [`candidates`], how a try re-decides the topic in [`probe`], the
//! scoring by difference it uses in [`board`], and the pairs in [`pairs`].

mod board;
mod candidates;
mod pairs;
mod probe;

pub(super) use board::{scores, verdict_without};
pub(super) use probe::applies;

use super::condition::Truth;
use super::facts::{Slots, TriedAnswer};
use super::verdict::{Verdict, VerdictCode};
use crate::ids::{QuestionId, RuleId};
use crate::rulebase::{Question, QuestionKind, RuleBase, Topic};
use crate::value::{Answer, Value};
use candidates::{Candidate, candidates, distance};
use probe::{NewVerdict, Probe, VerdictChange};
use serde::Serialize;
use std::borrow::Cow;
use std::collections::BTreeSet;
use std::sync::OnceLock;

#[derive(Debug, Clone, Serialize)]
pub struct TippingPoint {
    pub question: QuestionId,
    /// The answer in effect now.
    pub now: Answer,
    /// The change, in words: `above 10000`, `= eventual`, `includes ad_hoc`.
    pub change: String,
    /// The answer tried.
    pub to: Answer,
    /// For a pair: the second change, needed together with the first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub and: Option<AnswerChange>,
    /// What the topic would come to instead: another winner, a tie, another
    /// plan, or not applying (or applying again).
    pub becomes: Verdict,
    /// Rules that would fire, or stop firing, with that answer; and linked
    /// decisions that would change (`decision:<topic>`).
    pub rules: Vec<RuleId>,
}

/// One answer changed.
#[derive(Debug, Clone, Serialize)]
pub struct AnswerChange {
    pub question: QuestionId,
    pub now: Answer,
    pub change: String,
    pub to: Answer,
}

/// The tipping points of `topic`, whose rules' outcomes are `truths` and
/// whose verdict is `now`: the single answer changes that change the
/// verdict or, when none does, the first pairs of changes that do.
pub(super) fn tipping_points(
    rb: &RuleBase,
    slots: &Slots<'_>,
    tries: &Tries,
    topic: &Topic,
    now: VerdictCode,
    truths: &[Truth],
) -> Vec<TippingPoint> {
    tipping_points_with(rb, slots, tries, topic, now, truths, true)
}

/// The answers worth trying instead of each question's, where they do not
/// depend on the topic (for every kind of question but numbers, whose
/// candidates sit at the thresholds of the topics concerned): made once per
/// evaluation rather than once per topic reading the question. The
/// questions' answers are the same in every wave of an evaluation.
pub(super) struct Tries {
    by_slot: Vec<OnceLock<Vec<Candidate>>>,
    /// By topic position, once its analysis is done: what it decides under
    /// each single change it tried, by slot and encoded answer. A topic
    /// downstream trying the same change reads its upstream decision here
    /// instead of re-deciding it: what a topic decides under a change
    /// depends on nothing else (its rules read only questions relevant to
    /// it, which every downstream analysis includes with their gates, and
    /// its own upstream decisions). Linked topics are analysed in waves,
    /// upstream first, so the answers are in before they are asked.
    decided: Vec<OnceLock<Vec<DecidedUnder>>>,
}

impl Tries {
    pub(super) fn new(rb: &RuleBase) -> Self {
        Tries {
            by_slot: rb.questions().iter().map(|_| OnceLock::new()).collect(),
            decided: rb.topics().iter().map(|_| OnceLock::new()).collect(),
        }
    }

    /// What the topic at `position` decides under one change, if its
    /// analysis tried it.
    fn decided(&self, position: usize, change: SingleChange) -> Option<VerdictChange> {
        let tried = self.decided.get(position)?.get()?;
        let i = tried.binary_search_by(|d| d.change.cmp(&change)).ok()?;
        Some(tried[i].verdict)
    }

    /// Records what `topic` decides under each single change its analysis
    /// tried, for the topics downstream.
    fn record(&self, rb: &RuleBase, topic: &Topic, mut decided: Vec<DecidedUnder>) {
        // By the fields, in the order `SingleChange` compares them: a
        // tuple key sorts faster than the derived order.
        decided.sort_unstable_by_key(|d| (d.change.slot, d.change.answer));
        let position = rb.topics().iter().position(|t| t.id == topic.id);
        if let Some(cell) = position.and_then(|p| self.decided.get(p)) {
            let _ = cell.set(decided);
        }
    }

    /// The candidates for `question` (at `slot`, answered `now`), or
    /// `None` for a number.
    fn of(&self, question: &Question, slot: u32, now: &Answer) -> Option<&[Candidate]> {
        if matches!(question.kind, QuestionKind::Number(_)) {
            return None;
        }
        let cell = self.by_slot.get(slot as usize)?;
        Some(cell.get_or_init(|| candidates(question, now, std::iter::empty())))
    }
}

/// One answer changed, as the records of what topics decide under it are
/// keyed: the question's slot and the answer tried, as [`EncodedAnswer::key`] gives
/// it (an opaque answer has no key and is not recorded).
///
/// [`EncodedAnswer::key`]: crate::rulebase::EncodedAnswer::key
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct SingleChange {
    slot: u32,
    answer: (u8, u64),
}

impl SingleChange {
    /// The change an answer tried makes; none for an opaque answer.
    fn of(tried: &TriedAnswer<'_>) -> Option<Self> {
        let answer = tried.code.key()?;
        Some(SingleChange {
            slot: tried.slot,
            answer,
        })
    }
}

/// What a topic decides under one single change.
#[derive(Clone, Copy)]
struct DecidedUnder {
    change: SingleChange,
    verdict: VerdictChange,
}

/// `prune`: skip the pairs that provably cannot move the winner, and work
/// out from the single changes those whose effects simply add up (see
/// [`pairs::Alone::together`]); off only to check that this changes
/// nothing.
fn tipping_points_with(
    rb: &RuleBase,
    slots: &Slots<'_>,
    tries: &Tries,
    topic: &Topic,
    now: VerdictCode,
    truths: &[Truth],
    prune: bool,
) -> Vec<TippingPoint> {
    let index = rb.topic_index(topic);
    let mut scope: Vec<&Topic> = index.upstream.iter().map(|&u| &rb.topics()[u]).collect();
    scope.push(topic);
    let positions = rb.relevant_positions(&scope);
    let mut relevant = vec![false; rb.questions().len()];
    for &p in &positions {
        if let Some(r) = relevant.get_mut(p) {
            *r = true;
        }
    }
    let tried = questions_to_try(rb, slots, tries, &scope, &positions);
    // One record per single change: kept for the whole run.
    let singles = tried.iter().map(|t| t.candidates.len()).sum();
    let probe = Probe::new(rb, slots, tries, topic, truths, relevant, singles);
    let mut out = Vec::new();
    for asked in &tried {
        single_changes(&probe, asked, now, &mut out);
    }
    tries.record(rb, topic, probe.take_decided());
    if out.is_empty() {
        // Pruning reasons about rules alone: a topic that may stop applying
        // (itself or upstream) is tried pair by pair.
        let prune = prune && scope.iter().all(|t| t.applies_when.is_none());
        out = pairs::pairs(&probe, &tried, now, prune);
    }
    out
}

/// A question the analysis changes, with the answers it tries instead.
struct QuestionCandidates<'a> {
    slot: u32,
    question: &'a Question,
    /// The answer in effect.
    now: &'a Answer,
    candidates: Cow<'a, [Candidate]>,
}

/// Every answer worth trying, per question at `positions` (those the
/// topics in `scope` read, with their gates) that is answered: an absent
/// question would not be asked.
fn questions_to_try<'a>(
    rb: &'a RuleBase,
    slots: &Slots<'a>,
    tries: &'a Tries,
    scope: &[&Topic],
    positions: &[usize],
) -> Vec<QuestionCandidates<'a>> {
    positions
        .iter()
        .filter_map(|&p| {
            let question = rb.questions().get(p)?;
            let slot = p as u32;
            let now = slots.at(slot)?;
            let candidates = match tries.of(question, slot, now) {
                Some(shared) => Cow::Borrowed(shared),
                None => {
                    let thresholds = scope
                        .iter()
                        .flat_map(|t| rb.topic_index(t).thresholds(slot));
                    Cow::Owned(candidates(question, now, thresholds))
                }
            };
            Some(QuestionCandidates {
                slot,
                question,
                now,
                candidates,
            })
        })
        .collect()
}

/// The tipping points among the answers tried for one question, into
/// `out`. For a number only the smallest change each way per new winner is
/// kept: "above 5000" says more than "above 5000, above 10000, above
/// 50000".
fn single_changes<'a>(
    probe: &Probe<'a>,
    asked: &'a QuestionCandidates<'a>,
    now: VerdictCode,
    out: &mut Vec<TippingPoint>,
) {
    let mut found: Vec<(&Candidate, NewVerdict)> = Vec::new();
    for candidate in asked.candidates.iter() {
        if let Some(new) = probe.try_answers(&[candidate.tried_at(asked.slot)], now) {
            found.push((candidate, new));
        }
    }
    if let Some(current) = asked.now.known().and_then(Value::as_number) {
        found.sort_by(|a, b| distance(a.0, current).total_cmp(&distance(b.0, current)));
        let mut seen: BTreeSet<(VerdictCode, bool)> = BTreeSet::new();
        found.retain(|(c, new)| seen.insert((new.code, c.number.unwrap_or(0.0) > current)));
    }
    out.extend(found.into_iter().map(|(candidate, new)| TippingPoint {
        question: asked.question.id.clone(),
        now: asked.now.clone(),
        change: candidate.change.text(),
        to: candidate.answer.clone(),
        and: None,
        becomes: new.code.verdict(probe.topic),
        rules: new.rules,
    }));
}
