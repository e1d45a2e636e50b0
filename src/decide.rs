//! Deciding: answers resolved against the questionnaire, then evaluated.
//!
//! Every way from answers to verdicts runs the same two steps: `tradeoff
//! decide` and `explain`, the interactive session, `diff`, the impact of a
//! disagreement in `merge`, and every scenario of `rules test`. [`resolve`]
//! applies the questionnaire to the answers for the chosen topics (a
//! question whose condition does not hold is dropped with a warning, an
//! unanswered one takes its default, and every answer still missing is named
//! at once); [`evaluate_answers`] then evaluates the facts it yields.
//!
//! Resolving lives here, above both the reading of answers ([`crate::answers`])
//! and the evaluator whose [`Facts::derive`] it runs, so that reading answers
//! does not depend on evaluation.

use crate::answers::{AnswerSet, Origin};
use crate::diagnostic::{DataError, Diagnostic, Diagnostics};
use crate::eval::{DerivedFacts, Evaluation, Facts, evaluate};
use crate::ids::QuestionId;
use crate::rulebase::{Question, RuleBase, Topic};
use crate::value::UNKNOWN;
use std::collections::BTreeSet;

/// Answers resolved and evaluated for a set of topics.
#[derive(Debug)]
pub struct Decided {
    pub resolution: Resolution,
    pub evaluation: Evaluation,
}

/// Resolves the answers for these topics and evaluates them: the whole way
/// from answers to verdicts. The resolution's warnings are left for the
/// caller to show.
pub fn evaluate_answers(
    rb: &RuleBase,
    answers: &AnswerSet,
    topics: &[&Topic],
) -> Result<Decided, DataError> {
    let resolution = resolve(rb, answers, topics)?;
    let evaluation = evaluate(rb, &resolution.facts, topics);
    Ok(Decided {
        resolution,
        evaluation,
    })
}

/// Answers resolved for a set of topics: the facts evaluation reads, and
/// what resolving had to assume.
#[derive(Debug)]
pub struct Resolution {
    pub facts: Facts,
    /// Questions that took their default because no answer was given.
    pub defaulted: Vec<QuestionId>,
    pub warnings: Vec<Diagnostic>,
}

/// Applies the questionnaire to the answers for these topics.
pub fn resolve(rb: &RuleBase, set: &AnswerSet, topics: &[&Topic]) -> Result<Resolution, DataError> {
    let relevant_questions = rb.relevant_questions(topics);
    let relevant: BTreeSet<&QuestionId> = relevant_questions.iter().map(|q| &q.id).collect();
    let DerivedFacts {
        facts,
        defaulted,
        missing,
        dropped,
    } = Facts::derive(rb, &set.answers(), &relevant);
    let file = set.file.as_deref().unwrap_or("the command line");
    let mut diags = Diagnostics::default();
    for id in &missing {
        let Some(question) = rb.question(id.as_str()) else {
            continue;
        };
        diags.push(missing_answer(question, file));
    }
    for id in &dropped {
        let Some(question) = rb.question(id.as_str()) else {
            continue;
        };
        let condition = question
            .when
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default();
        let mut d = Diagnostic::warning(format!(
            "ignored the answer to `{id}`: the question does not apply"
        ))
        .note(format!("`{id}` is asked only when {condition}"));
        d = match set.entries.get(id).map(|g| &g.origin) {
            Some(Origin::File(span)) => d.at(span, "ignored"),
            _ => d.in_file(file),
        };
        diags.push(d);
    }
    let warnings = diags.finish()?;
    Ok(Resolution {
        facts,
        defaulted,
        warnings,
    })
}

/// The questions these topics need that the answers leave unanswered (no
/// answer and no default), in questionnaire order. A run given no answers
/// at all reports them as one error rather than one each (the command line
/// says where answers come from); a session without a terminal names them.
pub fn missing_answers(rb: &RuleBase, set: &AnswerSet, topics: &[&Topic]) -> Vec<QuestionId> {
    let relevant_questions = rb.relevant_questions(topics);
    let relevant: BTreeSet<&QuestionId> = relevant_questions.iter().map(|q| &q.id).collect();
    let missing = Facts::derive(rb, &set.answers(), &relevant).missing;
    relevant_questions
        .iter()
        .filter(|q| missing.contains(&q.id))
        .map(|q| q.id.clone())
        .collect()
}

fn missing_answer(question: &Question, file: &str) -> Diagnostic {
    let mut d = Diagnostic::error(format!(
        "missing answer to `{}`: {}",
        question.id, question.prompt
    ))
    .in_file(file)
    .help(format!(
        "add `{} = ...` under `[answers]` ({}), or pass `--set {}=VALUE`",
        question.id,
        question.expectation(),
        question.id
    ));
    if question.allow_unknown {
        d = d.help(format!(
            "if nobody knows yet, answer `{UNKNOWN}`: confidence will show it"
        ));
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::tests::setup;
    use crate::source::SourceFile;

    #[test]
    fn defaults_fill_in_and_gated_questions_wait_for_their_gate() {
        let (rb, set) = setup("[answers]\nteam = 4\n");
        let set = set.unwrap();
        let topics: Vec<&Topic> = rb.topics().iter().collect();
        let r = resolve(&rb, &set, &topics).unwrap();
        assert_eq!(r.defaulted, [QuestionId::new("writes_hot")]);
        // loss_ok is asked only when writes_hot: with the default `false` it is not missing
        assert_eq!(r.facts.get(&QuestionId::new("loss_ok")), None);
        assert!(r.warnings.is_empty());
    }

    #[test]
    fn answers_to_questions_that_do_not_apply_are_dropped_with_a_warning() {
        let (rb, set) = setup("[answers]\nteam = 4\nloss_ok = true\n");
        let topics: Vec<&Topic> = rb.topics().iter().collect();
        let r = resolve(&rb, &set.unwrap(), &topics).unwrap();
        assert_eq!(r.facts.get(&QuestionId::new("loss_ok")), None);
        assert_eq!(r.warnings.len(), 1);
        assert_eq!(
            r.warnings[0].location().map(|l| l.to_string()).as_deref(),
            Some("a.toml:3:11")
        );
    }

    #[test]
    fn a_gate_that_opens_makes_its_question_required() {
        let (rb, set) = setup("[answers]\nteam = 4\nwrites_hot = true\n");
        let topics: Vec<&Topic> = rb.topics().iter().collect();
        let err = resolve(&rb, &set.unwrap(), &topics).err().unwrap();
        assert_eq!(err.error_count(), 1);
        assert!(
            err.diagnostics[0]
                .message
                .contains("missing answer to `loss_ok`")
        );
    }

    #[test]
    fn missing_answers_are_named_in_questionnaire_order() {
        let (rb, set) = setup("[answers]\nwrites_hot = true\n");
        let set = set.unwrap();
        let topics: Vec<&Topic> = rb.topics().iter().collect();
        let missing = missing_answers(&rb, &set, &topics);
        assert_eq!(
            missing,
            [QuestionId::new("loss_ok"), QuestionId::new("team")]
        );
        let err = resolve(&rb, &set, &topics).err().unwrap();
        assert_eq!(err.error_count(), missing.len());
    }

    #[test]
    fn evaluate_answers_evaluates_the_resolved_facts_or_names_what_is_missing() {
        let (rb, set) = setup("[answers]\nteam = 4\nwrites_hot = true\nloss_ok = true\n");
        let topics: Vec<&Topic> = rb.topics().iter().collect();
        let decided = evaluate_answers(&rb, &set.unwrap(), &topics).unwrap();
        assert_eq!(decided.resolution.defaulted, Vec::<QuestionId>::new());
        let outcome = &decided.evaluation.topics[0];
        assert_eq!(outcome.winner.as_ref().map(|w| w.as_str()), Some("a"));
        assert!(outcome.fired().iter().any(|r| r.as_str() == "r"));
        let set = AnswerSet::parse(
            &rb,
            &SourceFile::new("b.toml", "[answers]\nwrites_hot = true\n"),
        );
        let err = evaluate_answers(&rb, &set.unwrap(), &topics).err().unwrap();
        assert_eq!(err.error_count(), 2, "team and loss_ok, together");
    }
}
