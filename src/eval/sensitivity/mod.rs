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

use super::condition::{Truth, truth};
use super::facts::{Overlay, Slots};
use crate::ids::{ChoiceId, OptionId, QuestionId, RuleId};
use crate::rulebase::index::{Effects, TopicIndex};
use crate::rulebase::{Code, Op, Question, QuestionKind, RuleBase, RuleOrigin, Shape, Topic};
use crate::value::{Answer, Value, format_number};
use serde::Serialize;
use std::borrow::Cow;
use std::cell::RefCell;
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
    pub and: Option<Change>,
    /// The option that would win instead.
    pub winner: OptionId,
    /// Rules that would fire, or stop firing, with that answer; and linked
    /// decisions that would change (`decision:<topic>`).
    pub rules: Vec<RuleId>,
}

/// One answer changed.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub question: QuestionId,
    pub now: Answer,
    pub change: String,
    pub to: Answer,
}

/// At most this many pairs are reported per topic: they are shown only when
/// no single change moves the winner, as a measure of how settled it is.
pub const MAX_PAIRS: usize = 5;

/// At most this many pairs are tried per topic. Pairs grow with the square
/// of the candidates; the budget keeps a large rule base fast, and the
/// search order (questionnaire order, nearest thresholds first) makes what
/// is found within it deterministic.
pub const MAX_PAIR_TRIALS: usize = 4_000;

/// An upstream topic, ready to be re-decided by difference.
struct Upstream<'a> {
    topic: &'a Topic,
    /// Its position among the rule base's topics.
    position: usize,
    index: &'a TopicIndex,
    /// Its decision's slot and `decision:<topic>` key.
    slot: u32,
    key: QuestionId,
    /// Each option as the answer to `decision:<topic>`, made once.
    as_answers: Vec<Answer>,
    truths: Vec<Truth>,
    board: Board<'a>,
}

/// The rules of a topic reading any changed question or decision, in rule
/// order, into `out`: a changed answer re-evaluates only its readers.
fn readers_of_changes(index: &TopicIndex, overlay: &Overlay<'_>, out: &mut Vec<usize>) {
    out.clear();
    // One changed answer, the common case: its readers are already in order.
    if let ([(slot, _, _)], []) = (overlay.changes.as_slice(), overlay.decisions.as_slice()) {
        out.extend(index.readers_of(*slot).iter().map(|&r| r as usize));
        return;
    }
    let slots = overlay
        .changes
        .iter()
        .map(|c| c.0)
        .chain(overlay.decisions.iter().map(|d| d.0));
    let mut lists = 0;
    for slot in slots {
        let readers = index.readers_of(slot);
        if !readers.is_empty() {
            lists += 1;
            out.extend(readers.iter().map(|&r| r as usize));
        }
    }
    // Each list is in order; only a merge of several needs sorting.
    if lists > 1 {
        out.sort_unstable();
        out.dedup();
    }
}

/// Buffers a probe reuses from one try to the next: tries run by the
/// thousand, and each would otherwise allocate half a dozen times.
#[derive(Default)]
struct Scratch<'a> {
    /// The changes of the last overlay, for the next.
    changes: Vec<(u32, Option<&'a Answer>, Code)>,
    /// What the topic decides under each single change tried: see
    /// [`Tries::decided`].
    decided: Vec<Decided>,
    readers: Vec<usize>,
    flipped: Vec<(usize, bool)>,
    tally: Tally,
}

/// What one answer change does on its own, topic by topic (the upstream
/// topics in evaluation order, then the topic itself): the rules it makes
/// re-read, and whether any of them changes outcome; and, for the topic
/// itself, which rules change outcome and the upstream decisions it changes.
#[derive(Default)]
struct Alone {
    reads: Vec<Vec<usize>>,
    flips: Vec<bool>,
    /// The topic's rules that change outcome, in rule order, and whether
    /// they now fire.
    flipped: Vec<(usize, bool)>,
    /// The upstream decisions it changes, with the upstream topic's place
    /// in evaluation order: slot, `decision:<topic>` key and new winner.
    decisions: Vec<AloneDecision>,
}

/// An upstream decision one change makes: the topic's place in evaluation
/// order, its slot, `decision:<topic>` key and new winner, encoded.
type AloneDecision = (usize, u32, QuestionId, Option<Answer>, Code);

/// What trying two changes together comes to, from what each does alone.
enum Together {
    /// They cannot move the winner: each topic sees one change's effects or
    /// the other's, and decides as it did under that one alone.
    Inert,
    /// The topic's rules change outcome as under either change alone, but
    /// for those that read both changes (in rule order), which are re-read.
    Added { shared: Vec<usize> },
    /// They interact from the upstream topic at place `from` on (in
    /// evaluation order; the topic itself after them): only trying them
    /// tells. The upstream topics before it decide as under one change
    /// alone, by the argument of [`Alone::together`].
    Unknown { from: usize },
}

impl Alone {
    fn record(&mut self, readers: &[usize], flips: bool) {
        self.reads.push(readers.to_vec());
        self.flips.push(flips);
    }

    /// Two changes that no single change moves the winner with, together.
    ///
    /// When their questions gate nothing in common (`apart`), and in every
    /// upstream topic no rule reads what both change and no two rules
    /// change outcome one under each, every upstream rule reads one change
    /// or the other (or neither) and comes out as under that change alone,
    /// topic by topic in evaluation order; so each upstream topic decides
    /// as under one change alone. Then in the topic itself, a rule that
    /// reads one change only comes out as under that change alone, and
    /// only the rules reading both need re-reading. When there are none,
    /// and only one change has rules changing outcome, the topic decides as
    /// under that change alone: it keeps its winner. When an upstream topic
    /// fails the test, the ones before it still decide as under one change
    /// alone.
    fn together(&self, other: &Alone, apart: bool) -> Together {
        let topics = self.reads.len();
        if !apart || topics == 0 || topics != other.reads.len() {
            return Together::Unknown { from: 0 };
        }
        let last = topics - 1;
        let interacting = (0..last).find(|&t| {
            self.flips[t] && other.flips[t] || !common(&self.reads[t], &other.reads[t]).is_empty()
        });
        if let Some(from) = interacting {
            return Together::Unknown { from };
        }
        let shared = common(&self.reads[last], &other.reads[last]);
        if shared.is_empty() && !(self.flips[last] && other.flips[last]) {
            return Together::Inert;
        }
        Together::Added { shared }
    }
}

/// The items two ascending lists have in common.
fn common(a: &[usize], b: &[usize]) -> Vec<usize> {
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    while let (Some(x), Some(y)) = (a.get(i), b.get(j)) {
        match x.cmp(y) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push(*x);
                i += 1;
                j += 1;
            }
        }
    }
    out
}

/// The questions a question's answer can reach through the questionnaire:
/// itself and those gated by it, directly or through others, ascending.
fn gate_reach(rb: &RuleBase, slot: u32) -> Vec<u32> {
    let mut out = vec![slot];
    let mut next = 0;
    while let Some(&s) = out.get(next) {
        next += 1;
        for &p in rb.gated_by(s) {
            let p = p as u32;
            if !out.contains(&p) {
                out.push(p);
            }
        }
    }
    out.sort_unstable();
    out
}

/// Points and knock-out counts per option position, being worked on.
#[derive(Default)]
struct Tally {
    points: Vec<i32>,
    excluded: Vec<u32>,
}

impl<'a> Upstream<'a> {
    fn new(rb: &'a RuleBase, position: usize, facts: &Slots<'_>) -> Self {
        let topic = &rb.topics()[position];
        let index = rb.topic_index(topic);
        let truths: Vec<Truth> = topic
            .rules
            .iter()
            .map(|r| r.when.as_ref().map_or(Truth::True, |w| truth(w, facts)))
            .collect();
        Upstream {
            topic,
            position,
            index,
            slot: (rb.questions().len() + position) as u32,
            key: crate::rulebase::decision_key(&topic.id),
            as_answers: topic
                .options
                .iter()
                .map(|o| Answer::Known(Value::Choice(ChoiceId::new(o.id.as_str()))))
                .collect(),
            board: Board::new(topic, index, &truths),
            truths,
        }
    }
}

/// Re-decides the upstream topics under `overlay`, in order, recording the
/// decisions that change so downstream rules read them. Only the rules that
/// read a changed answer are re-evaluated.
fn redecide(
    upstream: &[Upstream<'_>],
    overlay: &mut Overlay<'_>,
    scratch: &mut Scratch<'_>,
    mut alone: Option<&mut Alone>,
    single: Option<(&Tries, u32, (u8, u64))>,
) {
    for u in upstream {
        // What the topic decides under this one change, if its own
        // analysis tried it; else what re-reading its rules tells.
        let known = single.and_then(|(tries, slot, key)| tries.decided(u.position, slot, key));
        let changed = known.unwrap_or_else(|| {
            readers_of_changes(u.index, overlay, &mut scratch.readers);
            reread(
                u.topic,
                &u.truths,
                &scratch.readers,
                overlay,
                &mut scratch.flipped,
            );
            if let Some(alone) = alone.as_deref_mut() {
                alone.record(&scratch.readers, !scratch.flipped.is_empty());
            }
            if scratch.flipped.is_empty() {
                return None;
            }
            let winner = u
                .board
                .winner_after(u.topic, &scratch.flipped, &mut scratch.tally);
            let after = winner.and_then(|i| u.as_answers.get(i));
            (after != overlay.base.at(u.slot)).then_some(winner)
        });
        if let Some(winner) = changed {
            let after = winner.and_then(|i| u.as_answers.get(i).cloned());
            let code = overlay.base.encode(u.slot, after.as_ref());
            overlay.decisions.push((u.slot, u.key.clone(), after, code));
        }
    }
}

/// The rules among `readers` whose outcome under `overlay` differs from
/// `truths`, into `flipped`, with whether they now fire.
fn reread(
    topic: &Topic,
    truths: &[Truth],
    readers: &[usize],
    overlay: &Overlay<'_>,
    flipped: &mut Vec<(usize, bool)>,
) {
    flipped.clear();
    for &i in readers {
        let after = topic.rules[i]
            .when
            .as_ref()
            .map_or(Truth::True, |w| truth(w, overlay));
        if (truths[i] == Truth::True) != (after == Truth::True) {
            flipped.push((i, after == Truth::True));
        }
    }
}

/// The upstream decisions two changes make alone, at places before
/// `before`, in evaluation order.
fn decisions_alone([a, b]: [&Alone; 2], before: usize) -> Vec<&AloneDecision> {
    let mut out: Vec<&AloneDecision> = a
        .decisions
        .iter()
        .chain(&b.decisions)
        .filter(|d| d.0 < before)
        .collect();
    out.sort_by_key(|d| d.0);
    out
}

/// An upstream decision as an overlay holds it.
fn as_overlaid(
    (_, slot, key, answer, code): &AloneDecision,
) -> (u32, QuestionId, Option<Answer>, Code) {
    (*slot, key.clone(), answer.clone(), *code)
}

/// What trying some answers does to one topic.
struct Probe<'a> {
    slots: &'a Slots<'a>,
    topic: &'a Topic,
    index: &'a TopicIndex,
    /// Upstream topics, in evaluation order.
    upstream: Vec<Upstream<'a>>,
    /// By question position: whether it matters to the topic or upstream.
    relevant: Vec<bool>,
    board: Board<'a>,
    truths: &'a [Truth],
    scratch: RefCell<Scratch<'a>>,
    tries: &'a Tries,
}

impl<'a> Probe<'a> {
    /// The new winner and the rules (and decisions) behind it, if it
    /// changes. Answers are given by question position.
    fn try_answers(
        &self,
        answers: &[(u32, &'a Answer, Code)],
        winner: Option<&OptionId>,
    ) -> Option<(OptionId, Vec<RuleId>)> {
        self.run(answers, winner, None)
    }

    /// [`Self::try_answers`] for two changes that interact from the
    /// upstream topic at place `from` on (see [`Together::Unknown`]): the
    /// topics before it take their decisions from the changes alone.
    fn try_from(
        &self,
        answers: [(u32, &'a Answer, Code); 2],
        [a, b]: [&Alone; 2],
        from: usize,
        winner: Option<&OptionId>,
    ) -> Option<(OptionId, Vec<RuleId>)> {
        let before = decisions_alone([a, b], from);
        self.run_with(&answers, winner, None, from, &before)
    }

    /// What one answer changes on its own, for [`Alone::together`].
    fn alone(&self, answer: (u32, &'a Answer, Code)) -> Alone {
        let mut alone = Alone::default();
        // Singles were all tried before pairs: none moves the winner.
        let _ = self.run(&[answer], None, Some(&mut alone));
        alone
    }

    /// The new winner and the rules (and decisions) behind it, if it
    /// changes, for two changes whose effects add up (see
    /// [`Alone::together`]): only the `shared` rules, which read both, are
    /// re-read.
    fn combined(
        &self,
        answers: [(u32, &'a Answer, Code); 2],
        [a, b]: [&Alone; 2],
        shared: &[usize],
        winner: Option<&OptionId>,
    ) -> Option<(OptionId, Vec<RuleId>)> {
        let decisions = decisions_alone([a, b], usize::MAX);
        let mut flipped: Vec<(usize, bool)> = a
            .flipped
            .iter()
            .chain(&b.flipped)
            .filter(|(rule, _)| shared.binary_search(rule).is_err())
            .copied()
            .collect();
        if !shared.is_empty() {
            let mut overlay =
                Overlay::changed_all(self.slots, &answers, &self.relevant, Vec::new());
            overlay.decisions = decisions.iter().map(|d| as_overlaid(d)).collect();
            let mut reread_shared = Vec::new();
            reread(
                self.topic,
                self.truths,
                shared,
                &overlay,
                &mut reread_shared,
            );
            flipped.extend(reread_shared);
        }
        flipped.sort_unstable_by_key(|(rule, _)| *rule);
        let mut guard = self.scratch.borrow_mut();
        let new_winner = self
            .board
            .winner_after(self.topic, &flipped, &mut guard.tally)
            .map(|w| &self.topic.options[w].id)
            .filter(|w| Some(*w) != winner)?;
        let rules = self.rules_behind(&flipped, decisions.iter().map(|d| &d.2));
        Some((new_winner.clone(), rules))
    }

    /// What a tipping point names: the topic's rules that change outcome,
    /// then the keys of the upstream decisions that change.
    fn rules_behind<'k>(
        &self,
        flipped: &[(usize, bool)],
        decisions: impl Iterator<Item = &'k QuestionId>,
    ) -> Vec<RuleId> {
        flipped
            .iter()
            .map(|(i, _)| self.topic.rules[*i].id.clone())
            .chain(decisions.map(|q| RuleId::new(q.as_str())))
            .collect()
    }

    fn run(
        &self,
        answers: &[(u32, &'a Answer, Code)],
        winner: Option<&OptionId>,
        alone: Option<&mut Alone>,
    ) -> Option<(OptionId, Vec<RuleId>)> {
        self.run_with(answers, winner, alone, 0, &[])
    }

    /// [`Self::run`], for changes whose upstream decisions before the place
    /// `from` are known (`before`, in evaluation order).
    fn run_with(
        &self,
        answers: &[(u32, &'a Answer, Code)],
        winner: Option<&OptionId>,
        mut alone: Option<&mut Alone>,
        from: usize,
        before: &[&AloneDecision],
    ) -> Option<(OptionId, Vec<RuleId>)> {
        let mut guard = self.scratch.borrow_mut();
        let scratch = &mut *guard;
        let buffer = std::mem::take(&mut scratch.changes);
        let mut overlay = Overlay::changed_all(self.slots, answers, &self.relevant, buffer);
        overlay
            .decisions
            .extend(before.iter().map(|d| as_overlaid(d)));
        // One change, not recorded for pairs: what the upstream topics
        // decide under it is known from their own analysis, and what this
        // topic decides is recorded for the topics downstream.
        let single = match (answers, &alone) {
            ([(slot, _, code)], None) => code.key().map(|key| (*slot, key)),
            _ => None,
        };
        let lookup = single.map(|(slot, key)| (self.tries, slot, key));
        redecide(
            self.upstream.get(from..).unwrap_or_default(),
            &mut overlay,
            scratch,
            alone.as_deref_mut(),
            lookup,
        );
        readers_of_changes(self.index, &overlay, &mut scratch.readers);
        reread(
            self.topic,
            self.truths,
            &scratch.readers,
            &overlay,
            &mut scratch.flipped,
        );
        if let Some(alone) = alone {
            alone.record(&scratch.readers, !scratch.flipped.is_empty());
            alone.flipped.clone_from(&scratch.flipped);
            alone.decisions = overlay
                .decisions
                .iter()
                .map(|(slot, key, answer, code)| {
                    let place = self.upstream.iter().position(|u| u.slot == *slot);
                    (
                        place.unwrap_or(usize::MAX),
                        *slot,
                        key.clone(),
                        answer.clone(),
                        *code,
                    )
                })
                .collect();
        }
        // The new winner's position (none: every option ruled out), if
        // the winner changes.
        let changed = if scratch.flipped.is_empty() {
            None
        } else {
            let after = self
                .board
                .winner_after(self.topic, &scratch.flipped, &mut scratch.tally);
            let id = after.map(|w| &self.topic.options[w].id);
            (id != winner).then_some(after)
        };
        if let Some((slot, key)) = single {
            scratch.decided.push((slot, key, changed));
        }
        let new_winner = changed.flatten().map(|w| &self.topic.options[w].id);
        let found = new_winner.map(|new_winner| {
            let decisions = overlay.decisions.iter().map(|d| &d.1);
            (
                new_winner.clone(),
                self.rules_behind(&scratch.flipped, decisions),
            )
        });
        scratch.changes = overlay.into_buffer();
        found
    }
}

pub(super) fn tipping_points(
    rb: &RuleBase,
    slots: &Slots<'_>,
    tries: &Tries,
    topic: &Topic,
    winner: Option<&OptionId>,
    truths: &[Truth],
) -> Vec<TippingPoint> {
    tipping_points_with(rb, slots, tries, topic, winner, truths, true)
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
    decided: Vec<OnceLock<Vec<Decided>>>,
}

/// A single change (slot, encoded answer) and the winner it brings, by
/// position, if the winner changes (`None` inside: every option ruled out).
type Decided = (u32, (u8, u64), Option<Option<usize>>);

impl Tries {
    pub(super) fn new(rb: &RuleBase) -> Self {
        Tries {
            by_slot: rb.questions().iter().map(|_| OnceLock::new()).collect(),
            decided: rb.topics().iter().map(|_| OnceLock::new()).collect(),
        }
    }

    /// What the topic at `position` decides under one change, if its
    /// analysis tried it: `Some(None)` when the winner stays.
    fn decided(&self, position: usize, slot: u32, key: (u8, u64)) -> Option<Option<Option<usize>>> {
        let tried = self.decided.get(position)?.get()?;
        let i = tried
            .binary_search_by(|(s, k, _)| (*s, *k).cmp(&(slot, key)))
            .ok()?;
        Some(tried[i].2)
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

/// `prune`: skip the pairs that provably cannot move the winner, and work
/// out from the single changes those whose effects simply add up (see
/// [`Alone::together`]); off only to check that this changes nothing.
fn tipping_points_with(
    rb: &RuleBase,
    slots: &Slots<'_>,
    tries: &Tries,
    topic: &Topic,
    winner: Option<&OptionId>,
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
    // Every answer worth trying, per question.
    let tried: Vec<(u32, &Question, &Answer, Cow<'_, [Candidate]>)> = positions
        .iter()
        .filter_map(|&p| {
            let q = rb.questions().get(p)?;
            let slot = p as u32;
            let now = slots.at(slot)?; // absent: it would not be asked
            let candidates = match tries.of(q, slot, now) {
                Some(shared) => Cow::Borrowed(shared),
                None => {
                    let thresholds = scope
                        .iter()
                        .flat_map(|t| rb.topic_index(t).thresholds(slot));
                    Cow::Owned(candidates(q, now, thresholds))
                }
            };
            Some((slot, q, now, candidates))
        })
        .collect();
    let probe = Probe {
        slots,
        topic,
        index,
        relevant,
        upstream: index
            .upstream
            .iter()
            .map(|&u| Upstream::new(rb, u, slots))
            .collect(),
        board: Board::new(topic, index, truths),
        truths,
        scratch: RefCell::new(Scratch {
            // One record per single change: kept for the whole run.
            decided: Vec::with_capacity(tried.iter().map(|t| t.3.len()).sum()),
            ..Scratch::default()
        }),
        tries,
    };
    let mut out = Vec::new();
    for (slot, question, now, candidates) in &tried {
        let mut found: Vec<(&Candidate, OptionId, Vec<RuleId>)> = Vec::new();
        for candidate in candidates.iter() {
            if let Some((w, rules)) =
                probe.try_answers(&[(*slot, &candidate.answer, candidate.code)], winner)
            {
                found.push((candidate, w, rules));
            }
        }
        // For numbers keep only the smallest change each way per new winner:
        // "above 5000" says more than "above 5000, above 10000, above 50000".
        if let Some(current) = now.known().and_then(Value::as_number) {
            found.sort_by(|a, b| distance(a.0, current).total_cmp(&distance(b.0, current)));
            let mut seen: BTreeSet<(OptionId, bool)> = BTreeSet::new();
            found.retain(|(c, w, _)| seen.insert((w.clone(), c.number.unwrap_or(0.0) > current)));
        }
        out.extend(
            found
                .into_iter()
                .map(|(candidate, winner, rules)| TippingPoint {
                    question: question.id.clone(),
                    now: (*now).clone(),
                    change: candidate.change.text(),
                    to: candidate.answer.clone(),
                    and: None,
                    winner,
                    rules,
                }),
        );
    }
    let mut decided = std::mem::take(&mut probe.scratch.borrow_mut().decided);
    decided.sort_unstable_by_key(|(slot, key, _)| (*slot, *key));
    if let Some(cell) = rb
        .topics()
        .iter()
        .position(|t| t.id == topic.id)
        .and_then(|p| tries.decided.get(p))
    {
        let _ = cell.set(decided);
    }
    if out.is_empty() {
        out = pairs(&probe, &tried, winner, prune);
    }
    out
}

/// Two answers changed together, for a topic no single change moves; the
/// first [`MAX_PAIRS`] found in questionnaire order.
fn pairs<'a>(
    probe: &Probe<'a>,
    tried: &'a [(u32, &'a Question, &'a Answer, Cow<'a, [Candidate]>)],
    winner: Option<&OptionId>,
    prune: bool,
) -> Vec<TippingPoint> {
    let mut out = Vec::new();
    let mut trials = 0usize;
    // For pairs, numbers are tried at their nearest threshold each way.
    // Each candidate's effect alone is worked out once, so that pairs that
    // provably cannot move the winner are skipped (and still counted: the
    // pairs found are exactly those of trying every one).
    type Nearest<'c> = Vec<(&'c Candidate, Alone)>;
    let tried: Vec<(u32, &Question, &Answer, Nearest<'_>, Vec<u32>)> = tried
        .iter()
        .map(|(s, q, now, cands)| {
            let near = nearest(cands, now)
                .into_iter()
                .map(|c| (c, probe.alone((*s, &c.answer, c.code))))
                .collect();
            (*s, *q, *now, near, gate_reach(probe.slots.rb, *s))
        })
        .collect();
    for (i, (sa, qa, now_a, cands_a, reach_a)) in tried.iter().enumerate() {
        for (sb, qb, now_b, cands_b, reach_b) in &tried[i + 1..] {
            let apart = reach_a.iter().all(|s| reach_b.binary_search(s).is_err());
            for (a, alone_a) in cands_a {
                for (b, alone_b) in cands_b {
                    trials += 1;
                    if trials > MAX_PAIR_TRIALS {
                        return out;
                    }
                    let found = match alone_a.together(alone_b, apart) {
                        Together::Inert if prune => None,
                        Together::Added { shared } if prune => probe.combined(
                            [(*sa, &a.answer, a.code), (*sb, &b.answer, b.code)],
                            [alone_a, alone_b],
                            &shared,
                            winner,
                        ),
                        Together::Unknown { from } if prune && from > 0 => probe.try_from(
                            [(*sa, &a.answer, a.code), (*sb, &b.answer, b.code)],
                            [alone_a, alone_b],
                            from,
                            winner,
                        ),
                        _ => probe.try_answers(
                            &[(*sa, &a.answer, a.code), (*sb, &b.answer, b.code)],
                            winner,
                        ),
                    };
                    let Some((w, rules)) = found else {
                        continue;
                    };
                    out.push(TippingPoint {
                        question: qa.id.clone(),
                        now: (*now_a).clone(),
                        change: a.change.text(),
                        to: a.answer.clone(),
                        and: Some(Change {
                            question: qb.id.clone(),
                            now: (*now_b).clone(),
                            change: b.change.text(),
                            to: b.answer.clone(),
                        }),
                        winner: w,
                        rules,
                    });
                    if out.len() == MAX_PAIRS {
                        return out;
                    }
                    // One pair per pair of questions is enough to show it.
                    break;
                }
                if out.last().is_some_and(|t| {
                    t.question == qa.id && t.and.as_ref().is_some_and(|c| c.question == qb.id)
                }) {
                    break;
                }
            }
        }
    }
    out
}

/// A topic's winner and its options' points and knock-outs, from the
/// truths of its rules: a straight tally, no allocation per rule.
pub(super) fn scores(
    topic: &Topic,
    truths: &[Truth],
) -> (Option<OptionId>, Vec<(OptionId, i32, bool)>) {
    let n = topic.options.len();
    let mut points = vec![0; n];
    let mut excluded = vec![0u32; n];
    let position = |id: &OptionId| topic.options.iter().position(|o| &o.id == id);
    for (rule, truth) in topic.rules.iter().zip(truths) {
        if *truth != Truth::True {
            continue;
        }
        for (o, p) in &rule.score {
            if let Some(i) = position(o) {
                points[i] += p;
            }
        }
        for o in &rule.exclude {
            if let Some(i) = position(o) {
                excluded[i] += 1;
            }
        }
    }
    let winner = best(topic, &points, &excluded).map(|i| topic.options[i].id.clone());
    let scores = topic
        .options
        .iter()
        .enumerate()
        .map(|(i, o)| (o.id.clone(), points[i], excluded[i] > 0))
        .collect();
    (winner, scores)
}

/// The winning position: standing options first, then the most points,
/// then the option id, as the full evaluation ranks them.
fn best(topic: &Topic, points: &[i32], excluded: &[u32]) -> Option<usize> {
    (0..topic.options.len())
        .filter(|&i| excluded[i] == 0)
        .min_by(|&a, &b| {
            points[b]
                .cmp(&points[a])
                .then_with(|| topic.options[a].id.cmp(&topic.options[b].id))
        })
}

/// The winner with every fired rule of one origin switched off.
pub(super) fn winner_without(
    rb: &RuleBase,
    topic: &Topic,
    truths: &[Truth],
    origin: RuleOrigin,
) -> Option<OptionId> {
    let off: Vec<(usize, bool)> = topic
        .rules
        .iter()
        .zip(truths)
        .enumerate()
        .filter(|(_, (r, t))| r.origin == origin && **t == Truth::True)
        .map(|(i, _)| (i, false))
        .collect();
    if off.is_empty() {
        return None;
    }
    let board = Board::new(topic, rb.topic_index(topic), truths);
    board
        .winner_after(topic, &off, &mut Tally::default())
        .map(|i| topic.options[i].id.clone())
}

/// Points and knock-outs per option, by position, for scoring changes by
/// difference. The ordering matches the full evaluation: standing options
/// first, then by score, then by option id.
struct Board<'a> {
    points: Vec<i32>,
    excluded: Vec<u32>,
    /// Per rule: (option position, points) and excluded positions.
    effects: &'a [Effects],
}

impl<'a> Board<'a> {
    fn new(topic: &Topic, index: &'a TopicIndex, truths: &[Truth]) -> Self {
        let mut board = Board {
            points: vec![0; topic.options.len()],
            excluded: vec![0; topic.options.len()],
            effects: &index.effects,
        };
        let fired: Vec<(usize, bool)> = truths
            .iter()
            .enumerate()
            .filter(|(_, t)| **t == Truth::True)
            .map(|(i, _)| (i, true))
            .collect();
        let mut tally = Tally::default();
        board.apply(&fired, &mut tally);
        board.points = tally.points;
        board.excluded = tally.excluded;
        board
    }

    /// Points and exclusions after rules start (`true`) or stop firing,
    /// into `tally`.
    fn apply(&self, flipped: &[(usize, bool)], tally: &mut Tally) {
        tally.points.clear();
        tally.points.extend_from_slice(&self.points);
        tally.excluded.clear();
        tally.excluded.extend_from_slice(&self.excluded);
        for &(rule, fires) in flipped {
            let Some((score, exclude)) = self.effects.get(rule) else {
                continue;
            };
            for &(o, p) in score {
                tally.points[o] += if fires { p } else { -p };
            }
            for &o in exclude {
                if fires {
                    tally.excluded[o] += 1;
                } else {
                    tally.excluded[o] = tally.excluded[o].saturating_sub(1);
                }
            }
        }
    }

    fn winner_after(
        &self,
        topic: &Topic,
        flipped: &[(usize, bool)],
        tally: &mut Tally,
    ) -> Option<usize> {
        self.apply(flipped, tally);
        best(topic, &tally.points, &tally.excluded)
    }
}

/// The candidates worth pairing: all of them for choices, and for numbers
/// the nearest candidate below and above the current value.
fn nearest<'c>(candidates: &'c [Candidate], now: &Answer) -> Vec<&'c Candidate> {
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

#[derive(Clone)]
struct Candidate {
    answer: Answer,
    /// The answer, encoded for compiled tests.
    code: Code,
    change: Wording,
    number: Option<f64>,
}

/// How a candidate change reads, put in words only for the few that turn
/// out to be tipping points.
#[derive(Clone)]
enum Wording {
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
    fn text(&self) -> String {
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

fn distance(candidate: &Candidate, current: f64) -> f64 {
    candidate.number.map_or(f64::MAX, |n| (n - current).abs())
}

/// The answers worth trying instead of `now`; `thresholds` are the
/// numeric tests on the question in the topics concerned.
fn candidates<'o>(
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::{AnswerSet, resolve};
    use crate::source::SourceFile;

    /// Skipping the pairs that cannot move the winner, and adding up the
    /// effects of those that do not interact, finds exactly the pairs that
    /// trying every one finds, on the examples and every scenario.
    #[test]
    fn pruned_pairs_are_the_pairs_of_trying_every_one() {
        // Also: what the evaluation finds, reading upstream decisions under
        // single changes from the upstream analyses, is what a topic finds
        // alone.
        let rb = crate::builtin::rule_base().unwrap();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut with_pairs = 0;
        // The examples, on every topic, and the answers of every scenario
        // (what precedes its expectations) on the topics it expects.
        let mut sets: Vec<(String, String, Option<Vec<String>>)> =
            ["saas-startup", "catalogue", "payments-ledger"]
                .iter()
                .map(|e| {
                    let path = root.join(format!("examples/{e}.toml"));
                    (e.to_string(), std::fs::read_to_string(path).unwrap(), None)
                })
                .collect();
        for entry in std::fs::read_dir(root.join("tests/scenarios")).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let table: toml::Table = toml::from_str(&text).unwrap();
            let expected = table
                .get("expect")
                .and_then(|e| e.as_table())
                .map(|e| e.keys().cloned().collect());
            let answers = text.split("\n[expect").next().unwrap_or("").to_owned();
            sets.push((path.display().to_string(), answers, expected));
        }
        sets.sort();
        let mut parsed = 0;
        for (example, text, expected) in sets {
            let Ok(answers) = AnswerSet::parse(&rb, &SourceFile::new(&example, text)) else {
                continue;
            };
            let topics: Vec<&Topic> = rb
                .topics()
                .iter()
                .filter(|t| {
                    expected
                        .as_ref()
                        .is_none_or(|e| e.iter().any(|x| x.as_str() == t.id.as_str()))
                })
                .collect();
            let Ok(resolution) = resolve(&rb, &answers, &topics) else {
                continue;
            };
            parsed += 1;
            let evaluation = super::super::evaluate(&rb, &resolution.facts, &topics);
            // Tipping points are found with the upstream decisions known.
            let mut facts = resolution.facts.clone();
            for outcome in &evaluation.topics {
                facts.decide(&outcome.topic, outcome.winner.as_ref());
            }
            let slots = Slots::new(&rb, &facts);
            for (topic, outcome) in topics.iter().zip(&evaluation.topics) {
                let truths: Vec<Truth> = outcome
                    .rules
                    .iter()
                    .map(|r| super::super::status_truth(r.status))
                    .collect();
                let winner = outcome.winner.as_ref();
                let run = |prune| {
                    let tips = tipping_points_with(
                        &rb,
                        &slots,
                        &Tries::new(&rb),
                        topic,
                        winner,
                        &truths,
                        prune,
                    );
                    serde_json::to_string(&tips).unwrap()
                };
                let pruned = run(true);
                assert_eq!(pruned, run(false), "{example}: {}", topic.id);
                // The evaluation reads upstream decisions under single
                // changes from the upstream topics' own analysis; here each
                // topic re-decided them itself.
                let shared = serde_json::to_string(&outcome.tipping_points).unwrap();
                assert_eq!(shared, pruned, "{example}: {} (shared)", topic.id);
                if pruned.contains("\"and\"") {
                    with_pairs += 1;
                }
            }
        }
        assert!(parsed > 100, "only {parsed} answer sets");
        assert!(with_pairs >= 15, "only {with_pairs} topics tipped by pairs");
    }

    /// A bool question, a rule and a topic of two options, as TOML.
    fn question(id: &str) -> String {
        format!(
            "[[question]]\nid = \"{id}\"\nlabel = \"{id}\"\nprompt = \"{id}?\"\nhelp = \"h\"\nkind = \"bool\"\n"
        )
    }

    fn rule(id: &str, when: &str, score: &str) -> String {
        format!(
            "[[rule]]\nid = \"{id}\"\nsummary = \"{id}\"\n{when}score = {{ {score} }}\nrationale = \"r\"\nsources = [\"Someone, a source, https://example.com\"]\n"
        )
    }

    fn topic(id: &str, options: &[&str], rules: String) -> String {
        let mut text = format!("[topic]\nid = \"{id}\"\ntitle = \"{id}\"\nproblem = \"?\"\n");
        for o in options {
            text += &format!("[[option]]\nid = \"{o}\"\nname = \"{o}\"\nsummary = \"{o}\"\n");
        }
        text + &rules
    }

    /// The tipping points of topic `down`, with the pairs pruned and not,
    /// every question answered no.
    fn tips_of_down(questions: &str, topics: &[(&str, String)]) -> [Vec<TippingPoint>; 2] {
        use crate::rulebase::load::RuleBaseFiles;
        let mut files = vec![("questions.toml".to_owned(), questions.to_owned())];
        files.extend(
            topics
                .iter()
                .map(|(id, t)| (format!("topics/{id}.toml"), t.clone())),
        );
        let refs: Vec<(&str, &str)> = files
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect();
        let rb = RuleBase::from_files(RuleBaseFiles::from_memory(&refs), "test").unwrap();
        let mut text = "[answers]\n".to_owned();
        for q in rb.questions() {
            text += &format!("{} = false\n", q.id);
        }
        let answers = AnswerSet::parse(&rb, &SourceFile::new("a.toml", text)).unwrap();
        let topics: Vec<&Topic> = rb.topics().iter().collect();
        let resolution = resolve(&rb, &answers, &topics).unwrap();
        let evaluation = super::super::evaluate(&rb, &resolution.facts, &topics);
        let mut facts = resolution.facts.clone();
        for outcome in &evaluation.topics {
            facts.decide(&outcome.topic, outcome.winner.as_ref());
        }
        let slots = Slots::new(&rb, &facts);
        let down = rb.topic("down").unwrap();
        let outcome = evaluation
            .topics
            .iter()
            .find(|o| o.topic.as_str() == "down")
            .unwrap();
        let truths: Vec<Truth> = outcome
            .rules
            .iter()
            .map(|r| super::super::status_truth(r.status))
            .collect();
        [true, false].map(|prune| {
            tipping_points_with(
                &rb,
                &slots,
                &Tries::new(&rb),
                down,
                outcome.winner.as_ref(),
                &truths,
                prune,
            )
        })
    }

    /// The tipping points are one pair, q1 and q2 together, making `q`
    /// win, with these rules and decisions behind it.
    fn assert_one_pair_q1_q2(tips: &[TippingPoint], rules: &[&str]) {
        assert_eq!(tips.len(), 1, "{tips:?}");
        let tip = &tips[0];
        assert_eq!(tip.question.as_str(), "q1");
        assert_eq!(tip.and.as_ref().map(|c| c.question.as_str()), Some("q2"));
        assert_eq!(tip.winner.as_str(), "q");
        let behind: Vec<&str> = tip.rules.iter().map(|r| r.as_str()).collect();
        assert_eq!(behind, rules);
    }

    /// Two changes that each tip an upstream topic half way, together
    /// change its winner and so the topic downstream: adding up their
    /// effects on the downstream topic alone would miss it.
    #[test]
    fn pairs_that_together_move_an_upstream_decision_are_tried() {
        // up: x leads by one; q1 or q2 alone ties it (x wins the tie by
        // id), both put y ahead. down follows up's decision.
        let up = topic(
            "up",
            &["x", "y"],
            rule("x-base", "", "x = 1")
                + &rule("q1-y", "when = { q = \"q1\", eq = true }\n", "y = 1")
                + &rule("q2-y", "when = { q = \"q2\", eq = true }\n", "y = 1"),
        );
        let down = topic(
            "down",
            &["p", "q"],
            rule("p-base", "", "p = 1")
                + &rule(
                    "up-y-q",
                    "when = { decision = \"up\", eq = \"y\" }\n",
                    "q = 2",
                ),
        );
        let questions = question("q1") + &question("q2");
        for tips in tips_of_down(&questions, &[("up", up), ("down", down)]) {
            assert_one_pair_q1_q2(&tips, &["up-y-q", "decision:up"]);
        }
    }

    /// Two changes that interact only in the second of two upstream
    /// topics: the first decides as under one change alone, the second
    /// must be re-decided with both, and differently from either alone.
    #[test]
    fn pairs_interacting_past_the_first_upstream_topic_are_tried() {
        // first: q1 alone puts y ahead. second: q1 alone puts y ahead, q2
        // alone changes nothing it decides, both put z ahead. down needs
        // first = y and second = z.
        let first = topic(
            "first",
            &["x", "y"],
            rule("first-x", "", "x = 1")
                + &rule("first-q1", "when = { q = \"q1\", eq = true }\n", "y = 2"),
        );
        let second = topic(
            "second",
            &["x", "y", "z"],
            rule("second-x", "", "x = 2")
                + &rule("second-q1", "when = { q = \"q1\", eq = true }\n", "y = 3")
                + &rule("second-q2", "when = { q = \"q2\", eq = true }\n", "x = -1")
                + &rule(
                    "second-both",
                    "when.all = [{ q = \"q1\", eq = true }, { q = \"q2\", eq = true }]\n",
                    "z = 5",
                ),
        );
        let down = topic(
            "down",
            &["p", "q"],
            rule("p-base", "", "p = 1")
                + &rule(
                    "first-y",
                    "when = { decision = \"first\", eq = \"y\" }\n",
                    "q = 1",
                )
                + &rule(
                    "second-z",
                    "when = { decision = \"second\", eq = \"z\" }\n",
                    "q = 1",
                ),
        );
        let questions = question("q1") + &question("q2");
        let topics = [("first", first), ("second", second), ("down", down)];
        for tips in tips_of_down(&questions, &topics) {
            let rules = ["first-y", "second-z", "decision:first", "decision:second"];
            assert_one_pair_q1_q2(&tips, &rules);
        }
    }
}
