//! Trying answers: re-deciding one topic, and the topics upstream of it,
//! under a few changed answers.
//!
//! Every tipping point, single or pair, is found by trying answers, and
//! tries run by the thousand. So a try re-reads only the rules that read a
//! changed answer (or a changed upstream decision), scores the options by
//! difference from the topic's current tally, and reuses its buffers from
//! one try to the next; and an upstream decision under a single change is
//! read from that upstream topic's own analysis where it was tried.

use super::board::{Board, Flip, Tally};
use super::pairs::{Alone, UpstreamDecision};
use super::{DecidedUnder, SingleChange, Tries};
use crate::eval::condition::{Truth, truth};
use crate::eval::facts::{ChangedAnswer, ChangedDecision, Overlay, Slots, TriedAnswer};
use crate::ids::{ChoiceId, OptionId, QuestionId, RuleId};
use crate::rulebase::index::TopicIndex;
use crate::rulebase::{RuleBase, Topic};
use crate::value::{Answer, Value};
use std::cell::RefCell;

/// What trying some answers does to one topic.
pub(super) struct Probe<'a> {
    pub(super) slots: &'a Slots<'a>,
    pub(super) topic: &'a Topic,
    index: &'a TopicIndex,
    /// Upstream topics, in evaluation order.
    upstream: Vec<Upstream<'a>>,
    /// By question position: whether it matters to the topic or upstream.
    pub(super) relevant: Vec<bool>,
    pub(super) board: Board<'a>,
    pub(super) truths: &'a [Truth],
    pub(super) scratch: RefCell<Scratch<'a>>,
    tries: &'a Tries,
}

impl<'a> Probe<'a> {
    /// A probe of `topic`, whose rules' outcomes now are `truths`, with
    /// room for the records of `singles` single changes.
    pub(super) fn new(
        rb: &'a RuleBase,
        slots: &'a Slots<'a>,
        tries: &'a Tries,
        topic: &'a Topic,
        truths: &'a [Truth],
        relevant: Vec<bool>,
        singles: usize,
    ) -> Self {
        let index = rb.topic_index(topic);
        Probe {
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
                decided: Vec::with_capacity(singles),
                ..Scratch::default()
            }),
            tries,
        }
    }

    /// What the topic decides under each single change tried so far,
    /// taken out of the probe.
    pub(super) fn take_decided(&self) -> Vec<DecidedUnder> {
        std::mem::take(&mut self.scratch.borrow_mut().decided)
    }

    /// The new winner under these answers, if it is not `winner`.
    pub(super) fn try_answers(
        &self,
        answers: &[TriedAnswer<'a>],
        winner: Option<&OptionId>,
    ) -> Option<NewWinner> {
        self.run(answers, winner, None)
    }

    /// What a tipping point names: the topic's rules that change outcome,
    /// then the keys of the upstream decisions that change.
    pub(super) fn rules_behind<'k>(
        &self,
        flipped: &[Flip],
        decisions: impl Iterator<Item = &'k QuestionId>,
    ) -> Vec<RuleId> {
        flipped
            .iter()
            .map(|f| self.topic.rules[f.rule].id.clone())
            .chain(decisions.map(|q| RuleId::new(q.as_str())))
            .collect()
    }

    pub(super) fn run(
        &self,
        answers: &[TriedAnswer<'a>],
        winner: Option<&OptionId>,
        alone: Option<&mut Alone>,
    ) -> Option<NewWinner> {
        self.run_with(answers, winner, alone, 0, &[])
    }

    /// [`Self::run`], for changes whose upstream decisions before the place
    /// `from` are known (`before`, in evaluation order).
    pub(super) fn run_with(
        &self,
        answers: &[TriedAnswer<'a>],
        winner: Option<&OptionId>,
        mut alone: Option<&mut Alone>,
        from: usize,
        before: &[&UpstreamDecision],
    ) -> Option<NewWinner> {
        let mut guard = self.scratch.borrow_mut();
        let scratch = &mut *guard;
        let buffer = std::mem::take(&mut scratch.changes);
        let mut overlay = Overlay::changed_all(self.slots, answers, &self.relevant, buffer);
        overlay
            .decisions
            .extend(before.iter().map(|d| d.decision.clone()));
        // One change, not recorded for pairs: what the upstream topics
        // decide under it is known from their own analysis, and what this
        // topic decides is recorded for the topics downstream.
        let single = match (answers, &alone) {
            ([tried], None) => SingleChange::of(tried),
            _ => None,
        };
        let lookup = single.map(|change| (self.tries, change));
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
            self.record_alone(alone, scratch, &overlay);
        }
        let changed = self.winner_change(scratch, winner);
        if let Some(change) = single {
            scratch.decided.push(DecidedUnder {
                change,
                winner: changed,
            });
        }
        let found = match changed {
            WinnerChange::To(w) => Some(NewWinner {
                winner: self.topic.options[w].id.clone(),
                rules: self
                    .rules_behind(&scratch.flipped, overlay.decisions.iter().map(|d| &d.key)),
            }),
            WinnerChange::Kept | WinnerChange::NoneStanding => None,
        };
        scratch.changes = overlay.into_buffer();
        found
    }

    /// What the change tried does to the topic itself, and the upstream
    /// decisions it changes, into `alone`.
    fn record_alone(&self, alone: &mut Alone, scratch: &Scratch<'_>, overlay: &Overlay<'_>) {
        alone.record(&scratch.readers, !scratch.flipped.is_empty());
        alone.flipped.clone_from(&scratch.flipped);
        alone.decisions = overlay
            .decisions
            .iter()
            .map(|decision| UpstreamDecision {
                place: self
                    .upstream
                    .iter()
                    .position(|u| u.slot == decision.slot)
                    .unwrap_or(usize::MAX),
                decision: decision.clone(),
            })
            .collect();
    }

    /// What becomes of `winner` with the rules flipped in `scratch`.
    fn winner_change(&self, scratch: &mut Scratch<'_>, winner: Option<&OptionId>) -> WinnerChange {
        if scratch.flipped.is_empty() {
            return WinnerChange::Kept;
        }
        let after = self
            .board
            .winner_after(self.topic, &scratch.flipped, &mut scratch.tally);
        let id = after.map(|w| &self.topic.options[w].id);
        WinnerChange::new(after, id != winner)
    }
}

/// A new winner some changes bring, and what brings it: the topic's rules
/// that change outcome, then the keys of the upstream decisions that
/// change (`decision:<topic>`).
pub(super) struct NewWinner {
    pub(super) winner: OptionId,
    pub(super) rules: Vec<RuleId>,
}

/// What becomes of a topic's winner under a change.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum WinnerChange {
    /// The winner stays.
    Kept,
    /// The option at this position wins instead.
    To(usize),
    /// Every option is ruled out.
    NoneStanding,
}

impl WinnerChange {
    /// From the winning position after a change (none when every option
    /// is ruled out), if that is a different outcome from now.
    fn new(after: Option<usize>, differs: bool) -> Self {
        match after {
            _ if !differs => WinnerChange::Kept,
            Some(position) => WinnerChange::To(position),
            None => WinnerChange::NoneStanding,
        }
    }
}

/// Buffers a probe reuses from one try to the next: tries run by the
/// thousand, and each would otherwise allocate half a dozen times.
#[derive(Default)]
pub(super) struct Scratch<'a> {
    /// The changes of the last overlay, for the next.
    changes: Vec<ChangedAnswer<'a>>,
    /// What the topic decides under each single change tried: see
    /// [`Tries::decided`].
    decided: Vec<DecidedUnder>,
    readers: Vec<usize>,
    flipped: Vec<Flip>,
    pub(super) tally: Tally,
}

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
    single: Option<(&Tries, SingleChange)>,
) {
    for u in upstream {
        // What the topic decides under this one change, if its own
        // analysis tried it; else what re-reading its rules tells.
        let known = single.and_then(|(tries, change)| tries.decided(u.position, change));
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
                return WinnerChange::Kept;
            }
            let winner = u
                .board
                .winner_after(u.topic, &scratch.flipped, &mut scratch.tally);
            let after = winner.and_then(|i| u.as_answers.get(i));
            WinnerChange::new(winner, after != overlay.base.at(u.slot))
        });
        let winner = match changed {
            WinnerChange::Kept => continue,
            WinnerChange::To(i) => u.as_answers.get(i).cloned(),
            WinnerChange::NoneStanding => None,
        };
        let code = overlay.base.encode(u.slot, winner.as_ref());
        overlay.decisions.push(ChangedDecision {
            slot: u.slot,
            key: u.key.clone(),
            winner,
            code,
        });
    }
}

/// The rules of a topic reading any changed question or decision, in rule
/// order, into `out`: a changed answer re-evaluates only its readers.
fn readers_of_changes(index: &TopicIndex, overlay: &Overlay<'_>, out: &mut Vec<usize>) {
    out.clear();
    // One changed answer, the common case: its readers are already in order.
    if let ([change], []) = (overlay.changes.as_slice(), overlay.decisions.as_slice()) {
        out.extend(index.readers_of(change.slot).iter().map(|&r| r as usize));
        return;
    }
    let slots = overlay
        .changes
        .iter()
        .map(|c| c.slot)
        .chain(overlay.decisions.iter().map(|d| d.slot));
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

/// The rules among `readers` whose outcome under `overlay` differs from
/// `truths`, into `flipped`, with whether they now fire.
pub(super) fn reread(
    topic: &Topic,
    truths: &[Truth],
    readers: &[usize],
    overlay: &Overlay<'_>,
    flipped: &mut Vec<Flip>,
) {
    flipped.clear();
    for &rule in readers {
        let after = topic.rules[rule]
            .when
            .as_ref()
            .map_or(Truth::True, |w| truth(w, overlay));
        if (truths[rule] == Truth::True) != (after == Truth::True) {
            flipped.push(Flip {
                rule,
                fires: after == Truth::True,
            });
        }
    }
}
