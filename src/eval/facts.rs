//! Facts: the answers evaluation sees, after the questionnaire's own logic.
//!
//! Given answers go through the questionnaire in asking order: an answer to a
//! question whose `when` does not hold is dropped (it would not have been
//! asked), an applicable question nobody answered takes its default when it
//! matters to the chosen topics, and one with no default is reported missing.
//! The result is a plain map that the evaluator reads and nothing else.

use super::condition::{Truth, truth};
use crate::ids::QuestionId;
use crate::rulebase::{EncodedAnswer, RuleBase, Test};
use crate::value::Answer;
use std::collections::{BTreeMap, BTreeSet};

/// Where conditions read answers from: the facts, or the facts with one
/// answer changed (an overlay, so sensitivity analysis copies nothing).
pub trait Lookup {
    fn answer(&self, question: &QuestionId) -> Option<&Answer>;

    /// The answer a test reads; by slot where the lookup has them.
    fn test_answer(&self, test: &Test) -> Option<&Answer> {
        self.answer(&test.question)
    }

    /// The answer a test reads, encoded for its compiled form
    /// ([`crate::rulebase::compiled`]), where the lookup has codes.
    fn test_code(&self, _test: &Test) -> EncodedAnswer {
        EncodedAnswer::Opaque
    }
}

/// Facts indexed by slot (see [`RuleBase::slot`]): what the hot paths of
/// evaluation read, an array index per test instead of a search by name.
pub struct Slots<'a> {
    pub rb: &'a RuleBase,
    pub facts: &'a Facts,
    by_slot: Vec<Option<&'a Answer>>,
    codes: Vec<EncodedAnswer>,
}

impl<'a> Slots<'a> {
    pub fn new(rb: &'a RuleBase, facts: &'a Facts) -> Self {
        let mut by_slot = vec![None; rb.slot_count()];
        for (id, answer) in facts.iter() {
            if let Some(s) = rb.slot(id) {
                by_slot[s] = Some(answer);
            }
        }
        let codes = (0..by_slot.len() as u32)
            .map(|s| rb.shape(s).encode(by_slot[s as usize]))
            .collect();
        Slots {
            rb,
            facts,
            by_slot,
            codes,
        }
    }

    /// The answer in a slot.
    pub fn at(&self, slot: u32) -> Option<&'a Answer> {
        self.by_slot.get(slot as usize).copied().flatten()
    }

    /// The answer in a slot, encoded.
    pub fn code_at(&self, slot: u32) -> EncodedAnswer {
        self.codes
            .get(slot as usize)
            .copied()
            .unwrap_or(EncodedAnswer::Opaque)
    }

    /// An answer to a slot, encoded.
    pub fn encode(&self, slot: u32, answer: Option<&Answer>) -> EncodedAnswer {
        self.rb.shape(slot).encode(answer)
    }
}

impl Lookup for Slots<'_> {
    fn answer(&self, question: &QuestionId) -> Option<&Answer> {
        self.facts.get(question)
    }

    fn test_answer(&self, test: &Test) -> Option<&Answer> {
        match self.by_slot.get(test.slot as usize) {
            Some(answer) => *answer,
            None => self.facts.get(&test.question),
        }
    }

    fn test_code(&self, test: &Test) -> EncodedAnswer {
        self.code_at(test.slot)
    }
}

/// Facts with a few answers replaced or hidden, without copying them:
/// what sensitivity analysis evaluates a changed answer against. Changes
/// are kept by slot, so a test finds its answer by comparing numbers.
pub struct Overlay<'a> {
    pub base: &'a Slots<'a>,
    pub changes: Vec<ChangedAnswer<'a>>,
    /// Decisions of linked topics that the changed answers change.
    pub decisions: Vec<ChangedDecision>,
}

/// An answer tried in place of the one in effect.
#[derive(Clone, Copy)]
pub struct TriedAnswer<'a> {
    /// The question's slot (its position in the questionnaire).
    pub slot: u32,
    pub answer: &'a Answer,
    /// The answer, encoded for compiled tests.
    pub code: EncodedAnswer,
}

/// An answer an overlay changes.
#[derive(Clone, Copy)]
pub struct ChangedAnswer<'a> {
    pub slot: u32,
    /// `Some` sets an answer; `None` hides a question that no longer
    /// applies.
    pub answer: Option<&'a Answer>,
    /// The answer, encoded for compiled tests.
    pub code: EncodedAnswer,
}

/// A linked topic's decision that changed answers change, as the topics
/// downstream read it.
#[derive(Clone)]
pub struct ChangedDecision {
    pub slot: u32,
    /// `decision:<topic>`.
    pub key: QuestionId,
    /// The new winner as an answer; `None` when every option is ruled out.
    pub winner: Option<Answer>,
    /// The new winner, encoded for compiled tests.
    pub code: EncodedAnswer,
}

impl<'a> Overlay<'a> {
    /// The answer in a slot, with the changes.
    pub fn at(&self, slot: u32) -> Option<&Answer> {
        if let Some(decision) = self.decisions.iter().find(|d| d.slot == slot) {
            return decision.winner.as_ref();
        }
        match self.changes.iter().find(|c| c.slot == slot) {
            Some(change) => change.answer,
            None => self.base.at(slot),
        }
    }

    /// The answer in a slot, with the changes, encoded.
    pub fn code_at(&self, slot: u32) -> EncodedAnswer {
        if let Some(decision) = self.decisions.iter().find(|d| d.slot == slot) {
            return decision.code;
        }
        match self.changes.iter().find(|c| c.slot == slot) {
            Some(change) => change.code,
            None => self.base.code_at(slot),
        }
    }

    /// Sets (or, with `None`, hides) the answer in a slot.
    fn change(&mut self, slot: u32, answer: Option<&'a Answer>) {
        let code = self.base.encode(slot, answer);
        self.changes.push(ChangedAnswer { slot, answer, code });
    }
}

impl Lookup for Overlay<'_> {
    fn answer(&self, question: &QuestionId) -> Option<&Answer> {
        match self.base.rb.slot(question) {
            Some(slot) => self.at(slot as u32),
            None => self.base.facts.get(question),
        }
    }

    fn test_answer(&self, test: &Test) -> Option<&Answer> {
        if test.slot == Test::NO_SLOT {
            return self.answer(&test.question);
        }
        self.at(test.slot)
    }

    fn test_code(&self, test: &Test) -> EncodedAnswer {
        if test.slot == Test::NO_SLOT {
            return EncodedAnswer::Opaque;
        }
        self.code_at(test.slot)
    }
}

impl<'a> Overlay<'a> {
    /// The facts with these answers changed, re-applying the
    /// questionnaire's conditions: questions gated by them disappear or
    /// appear (with their default, when relevant, by position) as in a
    /// real session. The changes are kept in `buffer`
    /// (emptied first; see [`Overlay::into_buffer`]): sensitivity analysis
    /// makes thousands of overlays.
    pub fn changed_all(
        base: &'a Slots<'a>,
        answers: &[TriedAnswer<'a>],
        relevant: &[bool],
        buffer: Vec<ChangedAnswer<'a>>,
    ) -> Self {
        let rb = base.rb;
        let mut changes = buffer;
        changes.clear();
        let mut overlay = Overlay {
            base,
            changes,
            decisions: Vec::new(),
        };
        overlay
            .changes
            .extend(answers.iter().map(|a| ChangedAnswer {
                slot: a.slot,
                answer: Some(a.answer),
                code: a.code,
            }));
        if !answers.iter().any(|a| rb.gates_at(a.slot as usize)) {
            return overlay;
        }
        // The questions whose `when` reads a changed answer, in asking
        // order; a question hidden or defaulted adds the ones it gates
        // (always later: a gate is defined before what it gates).
        let mut pending: Vec<usize> = Vec::new();
        let add = |pending: &mut Vec<usize>, slot: u32, after: Option<usize>| {
            for &p in rb.gated_by(slot) {
                if after.is_some_and(|a| p <= a) {
                    continue;
                }
                if let Err(i) = pending.binary_search(&p) {
                    pending.insert(i, p);
                }
            }
        };
        for a in answers {
            add(&mut pending, a.slot, None);
        }
        let mut next = 0;
        while let Some(&position) = pending.get(next) {
            next += 1;
            let gated = &rb.questions()[position];
            let Some(when) = &gated.when else { continue };
            let slot = position as u32;
            let applies = truth(when, &overlay) != Truth::False;
            if answers.iter().any(|a| a.slot == slot) {
                if !applies {
                    // The other change gates this one out: not a real pair.
                    overlay.changes.retain(|c| c.slot != slot);
                    overlay.change(slot, None);
                }
                continue;
            }
            let present = overlay.at(slot).is_some();
            if present && !applies {
                overlay.change(slot, None);
                add(&mut pending, slot, Some(position));
            } else if !present
                && applies
                && relevant.get(position).copied().unwrap_or(false)
                && let Some(default) = &gated.default
            {
                overlay.change(slot, Some(default));
                add(&mut pending, slot, Some(position));
            }
        }
        overlay
    }
}

impl<'a> Overlay<'a> {
    /// The buffer the changes were kept in, for the next overlay.
    pub fn into_buffer(self) -> Vec<ChangedAnswer<'a>> {
        self.changes
    }
}

impl Lookup for Facts {
    fn answer(&self, question: &QuestionId) -> Option<&Answer> {
        self.get(question)
    }
}

impl Lookup for &Slots<'_> {
    fn answer(&self, question: &QuestionId) -> Option<&Answer> {
        (*self).answer(question)
    }

    fn test_answer(&self, test: &Test) -> Option<&Answer> {
        (*self).test_answer(test)
    }

    fn test_code(&self, test: &Test) -> EncodedAnswer {
        (*self).test_code(test)
    }
}

/// Answers in effect: known values and "don't know"s. A question absent
/// from the map is unanswered or does not apply.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Facts {
    answers: BTreeMap<QuestionId, Answer>,
}

/// What deriving facts found besides the facts.
#[derive(Debug, Default)]
pub struct DerivedFacts {
    pub facts: Facts,
    /// Applicable, relevant questions that took their default.
    pub defaulted: Vec<QuestionId>,
    /// Applicable, relevant questions with neither an answer nor a default.
    pub missing: Vec<QuestionId>,
    /// Answers given to questions whose condition does not hold.
    pub dropped: Vec<QuestionId>,
}

impl Facts {
    /// Records a topic's decision, which linked topics read as the answer
    /// to `decision:<topic>`: its leading option, or the set its plan
    /// adopts; nothing when it decided nothing.
    pub fn decide(&mut self, topic: &crate::ids::TopicId, verdict: &super::Verdict) {
        self.decide_answer(topic, verdict.as_answer());
    }

    /// Records a decision given as its winning option (a decision record's
    /// stored verdict, say).
    pub fn decide_winner(
        &mut self,
        topic: &crate::ids::TopicId,
        winner: Option<&crate::ids::OptionId>,
    ) {
        let answer = winner.map(|w| {
            Answer::Known(crate::value::Value::Choice(crate::ids::ChoiceId::new(
                w.as_str(),
            )))
        });
        self.decide_answer(topic, answer);
    }

    /// Sets one answer, as given: for decisions worked out on other values
    /// (a staged topic's next step, on today's sizes).
    pub fn set(&mut self, question: &QuestionId, answer: Answer) {
        self.answers.insert(question.clone(), answer);
    }

    /// Records a decision as the answer linked topics read.
    pub fn decide_answer(&mut self, topic: &crate::ids::TopicId, answer: Option<Answer>) {
        let key = crate::rulebase::decision_key(topic);
        match answer {
            Some(answer) => {
                self.answers.insert(key, answer);
            }
            None => {
                self.answers.remove(&key);
            }
        }
    }

    /// Facts straight from a map, without applying the questionnaire; for tests
    /// of the evaluator itself.
    pub fn from_map(answers: BTreeMap<QuestionId, Answer>) -> Self {
        Self { answers }
    }

    pub fn get(&self, question: &QuestionId) -> Option<&Answer> {
        self.answers.get(question)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&QuestionId, &Answer)> {
        self.answers.iter()
    }

    pub fn answers(&self) -> &BTreeMap<QuestionId, Answer> {
        &self.answers
    }

    /// Applies the questionnaire to given answers. Only `relevant` questions
    /// take defaults or count as missing; others keep what was given.
    pub fn derive(
        rb: &RuleBase,
        given: &BTreeMap<QuestionId, Answer>,
        relevant: &BTreeSet<&QuestionId>,
    ) -> DerivedFacts {
        let mut out = DerivedFacts::default();
        for question in rb.questions() {
            let applies = question
                .when
                .as_ref()
                .is_none_or(|when| truth(when, &out.facts) != Truth::False);
            match (given.get(&question.id), applies) {
                (Some(answer), true) => {
                    out.facts
                        .answers
                        .insert(question.id.clone(), answer.clone());
                }
                (Some(_), false) => out.dropped.push(question.id.clone()),
                (None, true) if relevant.contains(&question.id) => match &question.default {
                    Some(default) => {
                        out.facts
                            .answers
                            .insert(question.id.clone(), default.clone());
                        out.defaulted.push(question.id.clone());
                    }
                    None => out.missing.push(question.id.clone()),
                },
                (None, _) => {}
            }
        }
        out
    }
}
