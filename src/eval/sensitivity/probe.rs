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
use crate::eval::facts::{ChangedAnswer, ChangedDecision, Lookup, Overlay, Slots, TriedAnswer};
use crate::eval::verdict::VerdictCode;
use crate::ids::{ChoiceId, QuestionId, RuleId};
use crate::rulebase::index::TopicIndex;
use crate::rulebase::{RuleBase, Topic};
use crate::value::{Answer, Value};
use std::cell::RefCell;

/// Whether a topic applies where `facts` hold: its `applies_when` holds
/// or waits on a "don't know" (a topic is not set aside on an unknown).
pub(in crate::eval) fn applies(topic: &Topic, facts: &impl Lookup) -> bool {
    topic
        .applies_when
        .as_ref()
        .is_none_or(|w| truth(w, facts) != Truth::False)
}

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
    /// Whether the topic applies now.
    applies: bool,
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
            applies: applies(topic, slots),
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

    /// The new verdict under these answers, if it is not `now`.
    pub(super) fn try_answers(
        &self,
        answers: &[TriedAnswer<'a>],
        now: VerdictCode,
    ) -> Option<NewVerdict> {
        self.run(answers, now, None)
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
        now: VerdictCode,
        alone: Option<&mut Alone>,
    ) -> Option<NewVerdict> {
        self.run_with(answers, now, alone, 0, &[])
    }

    /// [`Self::run`], for changes whose upstream decisions before the place
    /// `from` are known (`before`, in evaluation order).
    pub(super) fn run_with(
        &self,
        answers: &[TriedAnswer<'a>],
        now: VerdictCode,
        mut alone: Option<&mut Alone>,
        from: usize,
        before: &[&UpstreamDecision],
    ) -> Option<NewVerdict> {
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
        let changed = self.verdict_change(scratch, &overlay, now);
        if let Some(change) = single {
            scratch.decided.push(DecidedUnder {
                change,
                verdict: changed,
            });
        }
        let found = match changed {
            VerdictChange::To(code) => Some(NewVerdict {
                code,
                rules: self
                    .rules_behind(&scratch.flipped, overlay.decisions.iter().map(|d| &d.key)),
            }),
            VerdictChange::Kept => None,
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

    /// What becomes of the verdict `now` with the rules flipped in
    /// `scratch` and the answers of `overlay`.
    fn verdict_change(
        &self,
        scratch: &mut Scratch<'_>,
        overlay: &Overlay<'_>,
        now: VerdictCode,
    ) -> VerdictChange {
        let applies = self.topic.applies_when.is_none() || applies(self.topic, overlay);
        if scratch.flipped.is_empty() && applies == self.applies {
            return VerdictChange::Kept;
        }
        let after =
            self.board
                .verdict_after(self.topic, &scratch.flipped, &mut scratch.tally, applies);
        VerdictChange::new(after, now)
    }
}

/// A new verdict some changes bring, and what brings it: the topic's rules
/// that change outcome, then the keys of the upstream decisions that
/// change (`decision:<topic>`).
pub(super) struct NewVerdict {
    pub(super) code: VerdictCode,
    pub(super) rules: Vec<RuleId>,
}

/// What becomes of a topic's verdict under a change.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum VerdictChange {
    /// The verdict stays.
    Kept,
    /// The topic comes to this instead.
    To(VerdictCode),
}

impl VerdictChange {
    fn new(after: VerdictCode, now: VerdictCode) -> Self {
        if after == now {
            VerdictChange::Kept
        } else {
            VerdictChange::To(after)
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
    /// Whether it applies now.
    applies: bool,
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
            applies: applies(topic, facts),
        }
    }

    /// The decision downstream topics read under a verdict: an option
    /// (made once), the set a plan adopts, or none.
    fn answer(&self, code: VerdictCode) -> Option<Answer> {
        match code {
            VerdictCode::Top(_) => code
                .leader(self.topic)
                .and_then(|i| self.as_answers.get(i))
                .cloned(),
            _ => code.verdict(self.topic).as_answer(),
        }
    }

    /// What the topic comes to after `flipped` rules change outcome under
    /// `overlay`, or `Kept` when no flip and no change of applicability.
    fn redecided(&self, overlay: &Overlay<'_>, scratch: &mut Scratch<'_>) -> VerdictChange {
        let applies = self.topic.applies_when.is_none() || applies(self.topic, overlay);
        if scratch.flipped.is_empty() && applies == self.applies {
            return VerdictChange::Kept;
        }
        let code =
            self.board
                .verdict_after(self.topic, &scratch.flipped, &mut scratch.tally, applies);
        VerdictChange::To(code)
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
            u.redecided(overlay, scratch)
        });
        let VerdictChange::To(code) = changed else {
            continue;
        };
        let winner = u.answer(code);
        if winner.as_ref() == overlay.base.at(u.slot) {
            continue;
        }
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
