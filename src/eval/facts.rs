//! Facts: the answers evaluation sees, after the questionnaire's own logic.
//!
//! Given answers go through the questionnaire in asking order: an answer to a
//! question whose `when` does not hold is dropped (it would not have been
//! asked), an applicable question nobody answered takes its default when it
//! matters to the chosen topics, and one with no default is reported missing.
//! The result is a plain map that the evaluator reads and nothing else.

use super::condition::{Truth, truth};
use crate::ids::QuestionId;
use crate::rulebase::{RuleBase, Test};
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
}

/// Facts indexed by slot (see [`RuleBase::slot`]): what the hot paths of
/// evaluation read, an array index per test instead of a search by name.
pub struct Slots<'a> {
    pub facts: &'a Facts,
    by_slot: Vec<Option<&'a Answer>>,
}

impl<'a> Slots<'a> {
    pub fn new(rb: &RuleBase, facts: &'a Facts) -> Self {
        let mut by_slot = vec![None; rb.slot_count()];
        for (id, answer) in facts.iter() {
            if let Some(s) = rb.slot(id) {
                by_slot[s] = Some(answer);
            }
        }
        Slots { facts, by_slot }
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
}

/// Facts with a few answers replaced or hidden, without copying them:
/// what sensitivity analysis evaluates a changed answer against.
pub struct Overlay<'a> {
    pub base: &'a Slots<'a>,
    /// `Some` sets an answer; `None` hides a question that no longer applies.
    pub changes: Vec<(&'a QuestionId, Option<&'a Answer>)>,
    /// Decisions of linked topics that the changed answers change.
    pub decisions: Vec<(QuestionId, Option<Answer>)>,
}

impl Lookup for Overlay<'_> {
    fn answer(&self, question: &QuestionId) -> Option<&Answer> {
        if let Some((_, answer)) = self.decisions.iter().find(|(q, _)| q == question) {
            return answer.as_ref();
        }
        match self.changes.iter().find(|(q, _)| *q == question) {
            Some((_, answer)) => *answer,
            None => self.base.facts.get(question),
        }
    }

    fn test_answer(&self, test: &Test) -> Option<&Answer> {
        // Changes are few; names compare only when lengths match.
        if !self.decisions.is_empty()
            && let Some((_, answer)) = self.decisions.iter().find(|(q, _)| *q == test.question)
        {
            return answer.as_ref();
        }
        match self.changes.iter().find(|(q, _)| **q == test.question) {
            Some((_, answer)) => *answer,
            None => self.base.test_answer(test),
        }
    }
}

impl<'a> Overlay<'a> {
    /// The facts with these answers changed, re-applying the
    /// questionnaire's conditions: questions gated by them disappear or
    /// appear (with their default, when relevant) as in a real session.
    pub fn changed_all(
        rb: &'a RuleBase,
        base: &'a Slots<'a>,
        answers: &[(&'a QuestionId, &'a Answer)],
        relevant: &BTreeSet<&QuestionId>,
    ) -> Self {
        let mut overlay = Overlay {
            base,
            changes: answers.iter().map(|(q, a)| (*q, Some(*a))).collect(),
            decisions: Vec::new(),
        };
        if !answers.iter().any(|(q, _)| rb.gates(q)) {
            return overlay;
        }
        for gated in rb.questions().iter().filter(|q| q.when.is_some()) {
            let Some(when) = &gated.when else { continue };
            // A gate no change reaches (directly, or through a question
            // hidden or defaulted above) leaves its question as it was.
            if !when.reads_any(&|q| overlay.changes.iter().any(|(c, _)| *c == q)) {
                continue;
            }
            let applies = truth(when, &overlay) != Truth::False;
            if answers.iter().any(|(q, _)| *q == &gated.id) {
                if !applies {
                    // The other change gates this one out: not a real pair.
                    overlay.changes.retain(|(q, _)| *q != &gated.id);
                    overlay.changes.push((&gated.id, None));
                }
                continue;
            }
            let present = overlay.answer(&gated.id).is_some();
            if present && !applies {
                overlay.changes.push((&gated.id, None));
            } else if !present
                && applies
                && relevant.contains(&gated.id)
                && let Some(default) = &gated.default
            {
                overlay.changes.push((&gated.id, Some(default)));
            }
        }
        overlay
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
}

/// Answers in effect: known values and "don't know"s. A question absent
/// from the map is unanswered or does not apply.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Facts {
    answers: BTreeMap<QuestionId, Answer>,
}

/// What deriving facts found besides the facts.
#[derive(Debug, Default)]
pub struct Derived {
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
    /// to `decision:<topic>`.
    pub fn decide(&mut self, topic: &crate::ids::TopicId, winner: Option<&crate::ids::OptionId>) {
        let key = QuestionId::new(format!("{}{topic}", crate::rulebase::DECISION_PREFIX).as_str());
        match winner {
            Some(w) => {
                self.answers.insert(
                    key,
                    Answer::Known(crate::value::Value::Choice(crate::ids::ChoiceId::new(
                        w.as_str(),
                    ))),
                );
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
    ) -> Derived {
        let mut out = Derived::default();
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
