//! Confirming answers inferred from the repository (`ask --scan`).
//!
//! An inference is a guess from files that may be stale or only serve the
//! tests, so a session never takes one as fact: before the questions, each
//! is shown with the file and line it rests on ("Found PostgreSQL
//! (docker-compose.yml:10). Right?"). A confirmed inference is kept and
//! marked confirmed, so the report and the decision record say so; a
//! rejected one is dropped, and the question is asked like any other. For a
//! many-choice question each choice is confirmed on its own.

use super::prompter::{PromptError, Prompter, choose};
use crate::answers::{AnswerSet, Inferred, Origin};
use crate::ids::QuestionId;
use crate::rulebase::{Question, RuleBase};
use crate::value::{Answer, Value};

const YES: &str = "Yes";
const NO: &str = "No, ask me";

/// Asks about every unconfirmed inference in `answers`; keeps what the
/// person confirms and drops the rest.
pub fn confirm(
    rb: &RuleBase,
    answers: &mut AnswerSet,
    p: &mut dyn Prompter,
) -> Result<(), PromptError> {
    // In the questionnaire's order, as the questions would be asked.
    let pending: Vec<QuestionId> = rb
        .questions()
        .iter()
        .map(|q| &q.id)
        .filter(|id| {
            answers
                .entries
                .get(*id)
                .is_some_and(|g| matches!(&g.origin, Origin::Inferred(i) if !i.confirmed))
        })
        .cloned()
        .collect();
    if pending.is_empty() {
        return Ok(());
    }
    p.say(&format!(
        "Found in the repository: {} answers to check.",
        pending.len()
    ));
    for id in pending {
        let Some(question) = rb.question(id.as_str()) else {
            continue;
        };
        let Some(given) = answers.entries.get_mut(&id) else {
            continue;
        };
        let Origin::Inferred(inferred) = &given.origin else {
            continue;
        };
        match confirm_one(p, question, &given.answer, inferred)? {
            Some(answer) => {
                // Only what was confirmed stays as the answer's evidence.
                let kept = answer.to_toml();
                let because = inferred
                    .because
                    .iter()
                    .filter(|b| match (&b.choice, &kept) {
                        (Some(choice), toml::Value::Array(values)) => {
                            values.iter().any(|v| v.as_str() == Some(choice))
                        }
                        _ => true,
                    })
                    .cloned()
                    .collect();
                given.answer = answer;
                given.origin = Origin::Inferred(Inferred {
                    because,
                    confirmed: true,
                });
            }
            None => {
                answers.entries.remove(&id);
            }
        }
    }
    Ok(())
}

/// The answer as confirmed (for many choices, the choices confirmed), or
/// `None` when nothing was.
fn confirm_one(
    p: &mut dyn Prompter,
    question: &Question,
    answer: &Answer,
    inferred: &Inferred,
) -> Result<Option<Answer>, PromptError> {
    let Answer::Known(Value::Choices(choices)) = answer else {
        let found = found_for(inferred, None);
        let kept = right(p, &found, &question.label, &question.describe(answer))?;
        return Ok(kept.then(|| answer.clone()));
    };
    let mut kept = choices.clone();
    // In the question's order of choices, as its menu lists them.
    for choice in question
        .choices()
        .iter()
        .filter(|c| choices.contains(&c.id))
    {
        let found = found_for(inferred, Some(choice.id.as_str()));
        if !right(p, &found, &question.label, &choice.label)? {
            kept.remove(&choice.id);
        }
    }
    Ok((!kept.is_empty()).then_some(Answer::Known(Value::Choices(kept))))
}

/// What was found for one choice (or for the whole answer).
fn found_for(inferred: &Inferred, choice: Option<&str>) -> String {
    let parts: Vec<&str> = inferred
        .because
        .iter()
        .filter(|b| choice.is_none() || b.choice.as_deref() == choice)
        .map(|b| b.found.as_str())
        .collect();
    parts.join(", ")
}

/// "Found PostgreSQL (docker-compose.yml:10). Right? Current data store: A relational database".
fn right(p: &mut dyn Prompter, found: &str, label: &str, value: &str) -> Result<bool, PromptError> {
    let prompt = format!("Found {found}. Right? {label}: {value}");
    let items = [YES.to_owned(), NO.to_owned()];
    Ok(choose(p, &prompt, &items, 0)? == 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::{Given, InferredFrom};
    use crate::session::{Reply, Scripted};

    fn inferred(parts: &[(Option<&str>, &str)]) -> Origin {
        Origin::Inferred(Inferred {
            because: parts
                .iter()
                .map(|(choice, found)| InferredFrom {
                    choice: choice.map(str::to_owned),
                    found: (*found).to_owned(),
                })
                .collect(),
            confirmed: false,
        })
    }

    fn answers(rb: &RuleBase) -> AnswerSet {
        let mut set = AnswerSet::default();
        let store = rb.question("current_store").unwrap();
        set.entries.insert(
            store.id.clone(),
            Given {
                answer: store.check_toml(&"relational".into()).unwrap(),
                origin: inferred(&[(None, "PostgreSQL (docker-compose.yml:10)")]),
            },
        );
        let experience = rb.question("team_experience").unwrap();
        set.entries.insert(
            experience.id.clone(),
            Given {
                answer: experience
                    .check_toml(&toml::Value::Array(vec![
                        "relational".into(),
                        "redis".into(),
                    ]))
                    .unwrap(),
                origin: inferred(&[
                    (Some("relational"), "PostgreSQL (docker-compose.yml:10)"),
                    (Some("redis"), "Redis (docker-compose.yml:14)"),
                ]),
            },
        );
        set
    }

    #[test]
    fn confirmed_inferences_are_kept_and_marked_rejected_ones_dropped() {
        let rb = crate::builtin::rule_base().unwrap();
        let mut set = answers(&rb);
        // team_experience first (questionnaire order): relational yes, redis no;
        // then current_store: no.
        let mut p = Scripted::new(vec![Reply::Pick(YES), Reply::Pick(NO), Reply::Pick(NO)]);
        confirm(&rb, &mut set, &mut p).unwrap();
        assert!(!set.entries.contains_key("current_store"));
        let experience = &set.entries["team_experience"];
        assert_eq!(
            experience.answer.to_toml(),
            toml::Value::Array(vec!["relational".into()])
        );
        let Origin::Inferred(inferred) = &experience.origin else {
            panic!("not inferred: {:?}", experience.origin);
        };
        assert!(inferred.confirmed);
        assert_eq!(
            inferred.note(),
            "inferred from PostgreSQL (docker-compose.yml:10), confirmed"
        );
    }

    #[test]
    fn every_prompt_names_what_was_found_and_where() {
        let rb = crate::builtin::rule_base().unwrap();
        let mut set = answers(&rb);
        let mut p = Scripted::new(vec![Reply::Default, Reply::Default, Reply::Default]);
        confirm(&rb, &mut set, &mut p).unwrap();
        let asked = p.transcript.join("\n");
        assert!(
            asked.contains("Found Redis (docker-compose.yml:14). Right?"),
            "{asked}"
        );
        assert!(
            asked.contains("Found PostgreSQL (docker-compose.yml:10). Right?"),
            "{asked}"
        );
        assert_eq!(set.entries.len(), 2);
    }
}
