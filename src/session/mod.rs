//! Interactive sessions: the question flow, the review screen and mentor
//! predictions, and the whole session around them ([`run`]), independent of
//! any terminal: every prompt and every verdict goes through a [`Prompter`].
//!
//! Only what matters is asked: the questions the chosen topics' rules read,
//! and the questions that gate them, in questionnaire order; a conditional
//! question appears only once its condition holds over the answers so far.
//! Answers already given (an answers file, `--set`, a resumed session) are not
//! asked again. Every answer is stored and saved before the next question.
//! Values are checked by the same checker as answers files.

mod flow;
pub mod prompter;
pub mod store;

pub use flow::{Options, SessionError, run};
pub use prompter::{PromptError, Prompter, Reply, Scripted};
pub use store::Store;

use crate::answers::Origin;
use crate::eval::{Facts, Truth, condition::truth};
use crate::ids::{OptionId, QuestionId};
use crate::rulebase::{Choice, Question, QuestionKind, RuleBase, Topic};
use crate::value::{Answer, UNKNOWN, Value};
use std::collections::{BTreeMap, BTreeSet};

const DONT_KNOW: &str = "Don't know";
const WHY: &str = "Why does this matter?";

/// The questions still to ask, in order: relevant, applicable, unanswered.
/// Returns (position of the next one, how many apply in all).
fn next_question<'a>(
    rb: &'a RuleBase,
    topics: &[&Topic],
    store: &Store,
) -> Option<(&'a Question, usize, usize)> {
    let relevant_questions = rb.relevant_questions(topics);
    let relevant: BTreeSet<&QuestionId> = relevant_questions.iter().map(|q| &q.id).collect();
    let given: BTreeMap<QuestionId, Answer> = store.answers.answers();
    let facts = Facts::derive(rb, &given, &relevant).facts;
    // Progress counts what this session asks: questions answered before it
    // started (an answers file, `--set`, a resumed session) are not counted.
    let asked: Vec<&Question> = relevant_questions
        .into_iter()
        .filter(|q| {
            q.when
                .as_ref()
                .is_none_or(|w| truth(w, &facts) != Truth::False)
        })
        .filter(|q| {
            store
                .answers
                .entries
                .get(&q.id)
                .is_none_or(|g| matches!(g.origin, Origin::Prompt))
        })
        .collect();
    let total = asked.len();
    asked
        .iter()
        .position(|q| !store.answers.entries.contains_key(&q.id))
        .map(|i| (asked[i], i + 1, total))
}

/// Asks every question that matters and is not answered yet, saving each answer.
pub fn collect(
    rb: &RuleBase,
    topics: &[&Topic],
    store: &mut Store,
    p: &mut dyn Prompter,
    mentor: bool,
) -> Result<(), PromptError> {
    while let Some((question, position, total)) = next_question(rb, topics, store) {
        let answer = ask(
            p,
            question,
            store.answers.entries.get(&question.id).map(|g| &g.answer),
            position,
            total,
            mentor,
        )?;
        store.set(&question.id, answer);
        store.save(rb)?;
    }
    Ok(())
}

/// Asks one question. `current` (a previous answer) or the default is pre-selected.
pub fn ask(
    p: &mut dyn Prompter,
    q: &Question,
    current: Option<&Answer>,
    position: usize,
    total: usize,
    mentor: bool,
) -> Result<Answer, PromptError> {
    let section = q
        .section
        .as_deref()
        .map(|s| format!("{s}: "))
        .unwrap_or_default();
    p.say(&format!("\n[{position}/{total}] {section}{}", q.label));
    if mentor {
        p.say(&format!("Why it matters: {}", q.help.replace('\n', " ")));
    }
    let current = current.or(q.default.as_ref());
    loop {
        // `None`: the user asked why the question matters.
        let answer = match &q.kind {
            QuestionKind::Single(choices) => ask_single(p, q, choices, current)?,
            QuestionKind::Bool => ask_bool(p, q, current)?,
            QuestionKind::Multi(choices) => ask_multi(p, q, choices, current)?,
            QuestionKind::Number(_) | QuestionKind::Text => ask_text(p, q, current)?,
        };
        match answer {
            Some(answer) => return Ok(answer),
            None => p.say(&format!("Why it matters: {}", q.help.replace('\n', " "))),
        }
    }
}

/// One choice, then "Don't know" where allowed, then "Why does this matter?".
fn ask_single(
    p: &mut dyn Prompter,
    q: &Question,
    choices: &[Choice],
    current: Option<&Answer>,
) -> Result<Option<Answer>, PromptError> {
    let mut items: Vec<String> = choices.iter().map(|c| c.label.to_string()).collect();
    let unknown = q.allow_unknown.then(|| push(&mut items, DONT_KNOW));
    let why = push(&mut items, WHY);
    let default = match current {
        Some(Answer::Known(Value::Choice(c))) => {
            choices.iter().position(|x| &x.id == c).unwrap_or(0)
        }
        Some(Answer::Unknown) => unknown.unwrap_or(0),
        _ => 0,
    };
    let pick = p.select(&q.prompt, &items, default)?;
    Ok(if pick == why {
        None
    } else if Some(pick) == unknown {
        Some(Answer::Unknown)
    } else {
        Some(Answer::Known(Value::Choice(choices[pick].id.clone())))
    })
}

/// Yes or No, then "Don't know" where allowed, then "Why does this matter?".
fn ask_bool(
    p: &mut dyn Prompter,
    q: &Question,
    current: Option<&Answer>,
) -> Result<Option<Answer>, PromptError> {
    let mut items = vec!["Yes".to_owned(), "No".to_owned()];
    let unknown = q.allow_unknown.then(|| push(&mut items, DONT_KNOW));
    let why = push(&mut items, WHY);
    let default = match current {
        Some(Answer::Known(Value::Bool(false))) => 1,
        Some(Answer::Unknown) => unknown.unwrap_or(0),
        _ => 0,
    };
    let pick = p.select(&q.prompt, &items, default)?;
    Ok(match pick {
        0 => Some(Answer::Known(Value::Bool(true))),
        1 => Some(Answer::Known(Value::Bool(false))),
        _ if pick == why => None,
        _ => Some(Answer::Unknown),
    })
}

/// Any of the choices; "Don't know" or "Why does this matter?" checked
/// take precedence over them.
fn ask_multi(
    p: &mut dyn Prompter,
    q: &Question,
    choices: &[Choice],
    current: Option<&Answer>,
) -> Result<Option<Answer>, PromptError> {
    let mut items: Vec<String> = choices.iter().map(|c| c.label.to_string()).collect();
    let unknown = q.allow_unknown.then(|| push(&mut items, DONT_KNOW));
    let why = push(&mut items, WHY);
    let mut defaults = vec![false; items.len()];
    match current {
        Some(Answer::Known(Value::Choices(cs))) => {
            for (i, c) in choices.iter().enumerate() {
                defaults[i] = cs.contains(&c.id);
            }
        }
        Some(Answer::Unknown) => {
            if let Some(u) = unknown {
                defaults[u] = true;
            }
        }
        _ => {}
    }
    let picks = p.multi_select(
        &format!("{} (space to choose, enter to confirm)", q.prompt),
        &items,
        &defaults,
    )?;
    Ok(if picks.contains(&why) {
        None
    } else if unknown.is_some_and(|u| picks.contains(&u)) {
        Some(Answer::Unknown)
    } else {
        Some(Answer::Known(Value::Choices(
            picks
                .iter()
                .filter_map(|&i| choices.get(i))
                .map(|c| c.id.clone())
                .collect(),
        )))
    })
}

/// A number or a text, checked as it is typed; `?` asks why it matters.
fn ask_text(
    p: &mut dyn Prompter,
    q: &Question,
    current: Option<&Answer>,
) -> Result<Option<Answer>, PromptError> {
    let unknown = if q.allow_unknown {
        format!(", `{UNKNOWN}` if you don't know")
    } else {
        String::new()
    };
    let hint = format!("{}{unknown}; `?` for why it matters", q.expectation());
    let prompt = format!("{} ({hint})", q.prompt);
    let initial = current.map(|a| match a {
        Answer::Known(Value::Text(t)) => t.clone(),
        other => other.to_string(),
    });
    let validate = |text: &str| -> Result<(), String> {
        if text.trim() == "?" {
            return Ok(());
        }
        q.parse_text(text).map(|_| ()).map_err(|e| {
            let mut message = e.message;
            for h in e.help {
                message.push_str(&format!("; {h}"));
            }
            message
        })
    };
    let text = p.input(&prompt, initial.as_deref().unwrap_or(""), &validate)?;
    Ok(if text.trim() == "?" {
        None
    } else {
        q.parse_text(&text).ok()
    })
}

fn push(items: &mut Vec<String>, item: &str) -> usize {
    items.push(item.to_owned());
    items.len() - 1
}

/// What the user chose on the review screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewChoice {
    Accept,
    StartOver,
}

/// Shows every answer on one screen; lets the user change any of them
/// (newly applicable questions are then asked) before the verdict.
pub fn review(
    rb: &RuleBase,
    topics: &[&Topic],
    store: &mut Store,
    p: &mut dyn Prompter,
    mentor: bool,
) -> Result<ReviewChoice, PromptError> {
    loop {
        let asked: Vec<&Question> = rb
            .relevant_questions(topics)
            .into_iter()
            .filter(|q| store.answers.entries.contains_key(&q.id))
            .collect();
        let mut screen = String::from("\nYour answers:\n");
        for q in &asked {
            if let Some(given) = store.answers.entries.get(&q.id) {
                screen.push_str(&format!(
                    "  {:<32} {}\n",
                    q.label,
                    q.describe(&given.answer)
                ));
            }
        }
        p.say(&screen);
        let items = vec![
            "Looks right: show the verdict".to_owned(),
            "Change an answer".to_owned(),
            "Start over".to_owned(),
        ];
        match p.select("Review your answers", &items, 0)? {
            0 => return Ok(ReviewChoice::Accept),
            1 => {
                let labels: Vec<String> = asked
                    .iter()
                    .map(|q| {
                        let value = store
                            .answers
                            .entries
                            .get(&q.id)
                            .map(|g| q.describe(&g.answer))
                            .unwrap_or_default();
                        format!("{}: {value}", q.label)
                    })
                    .collect();
                let pick = p.select("Which answer?", &labels, 0)?;
                let q = asked[pick];
                let current = store.answers.entries.get(&q.id).map(|g| g.answer.clone());
                let answer = ask(p, q, current.as_ref(), pick + 1, asked.len(), mentor)?;
                store.set(&q.id, answer);
                // A changed gate may drop questions or call for new ones.
                drop_inapplicable(rb, store);
                store.save(rb)?;
                collect(rb, topics, store, p, mentor)?;
            }
            _ => return Ok(ReviewChoice::StartOver),
        }
    }
}

/// Removes answers to questions whose condition no longer holds.
fn drop_inapplicable(rb: &RuleBase, store: &mut Store) {
    let given = store.answers.answers();
    let dropped = Facts::derive(rb, &given, &BTreeSet::new()).dropped;
    for q in dropped {
        store.answers.entries.remove(&q);
    }
}

/// A learner's prediction for one topic.
#[derive(Debug, Clone)]
pub struct Prediction {
    pub option: OptionId,
    pub why: String,
}

/// Asks the learner to predict the winner and say why.
pub fn predict(p: &mut dyn Prompter, topic: &Topic) -> Result<Prediction, PromptError> {
    p.say(&format!(
        "\n{}: {}",
        topic.title,
        topic.problem.replace('\n', " ")
    ));
    let items: Vec<String> = topic.options.iter().map(|o| o.name.to_string()).collect();
    let pick = p.select("Which option do you expect to win?", &items, 0)?;
    let why = p.input("Why? (one sentence)", "", &|t: &str| {
        if t.trim().is_empty() {
            Err("say why, in a few words".to_owned())
        } else {
            Ok(())
        }
    })?;
    Ok(Prediction {
        option: topic.options[pick].id.clone(),
        why: why.trim().to_owned(),
    })
}

/// Lets the user pick topics (at least one).
pub fn choose_topics<'a>(
    rb: &'a RuleBase,
    p: &mut dyn Prompter,
) -> Result<Vec<&'a Topic>, PromptError> {
    let items: Vec<String> = rb
        .topics()
        .iter()
        .map(|t| format!("{} ({})", t.title, t.id))
        .collect();
    loop {
        let picks = p.multi_select(
            "Which decisions are you making? (space to choose, enter to confirm)",
            &items,
            &vec![false; items.len()],
        )?;
        if !picks.is_empty() {
            return Ok(picks.into_iter().map(|i| &rb.topics()[i]).collect());
        }
        p.say("Choose at least one topic.");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::AnswerSet;
    use crate::rulebase::load::RuleBaseFiles;

    const QUESTIONS: &str = r#"
[[question]]
id = "writes_hot"
label = "Writes hot"
prompt = "Are writes the bottleneck?"
help = "Write-behind helps only then."
kind = "bool"
default = false

[[question]]
id = "loss_ok"
label = "Loss ok"
prompt = "Could recent writes be lost?"
help = "Write-behind can lose them."
kind = "bool"
when = { q = "writes_hot", eq = true }

[[question]]
id = "rps"
label = "Peak traffic"
prompt = "Peak requests per second?"
help = "Load decides."
kind = "number"
min = 0
allow_unknown = true

[[question]]
id = "mode"
label = "Mode"
prompt = "Which mode?"
help = "Modes differ."
kind = "single"
choices = [{ id = "a", label = "Mode A" }, { id = "b", label = "Mode B" }]

[[question]]
id = "unrelated"
label = "Unrelated"
prompt = "Never read by a rule"
help = "h"
kind = "text"
"#;

    const TOPIC: &str = r#"
[topic]
id = "t"
title = "T"
problem = "Which?"
[[option]]
id = "x"
name = "X"
summary = "s"
[[option]]
id = "y"
name = "Y"
summary = "s"
[[rule]]
id = "r1"
summary = "s"
when.all = [{ q = "loss_ok", eq = true }, { q = "rps", gt = 100 }, { q = "mode", eq = "a" }]
score = { x = 2 }
rationale = "r"
sources = ["A source, https://example.com"]
"#;

    pub(super) fn setup() -> (RuleBase, tempfile::TempDir) {
        let rb = RuleBase::from_files(
            RuleBaseFiles::from_memory(&[("questions.toml", QUESTIONS), ("topics/t.toml", TOPIC)]),
            "t",
        )
        .unwrap();
        (rb, tempfile::tempdir().unwrap())
    }

    fn store(dir: &tempfile::TempDir) -> Store {
        Store::new(
            dir.path().join("session.toml"),
            AnswerSet {
                topics: vec!["t".into()],
                ..AnswerSet::default()
            },
        )
    }

    #[test]
    fn asks_only_what_matters_in_order_and_follows_conditions() {
        let (rb, dir) = setup();
        let topics: Vec<&Topic> = rb.topics().iter().collect();
        let mut s = store(&dir);
        let mut p = Scripted::new(vec![
            Reply::Pick("Yes"),  // writes_hot: opens loss_ok
            Reply::Pick("No"),   // loss_ok
            Reply::Type("lots"), // rps: rejected at the prompt
            Reply::Type("5k"),   // accepted
            Reply::Pick("Mode B"),
        ]);
        collect(&rb, &topics, &mut s, &mut p, false).unwrap();
        let prompts: Vec<&String> = p
            .transcript
            .iter()
            .filter(|t| t.starts_with("? "))
            .collect();
        assert_eq!(prompts.len(), 5, "{:#?}", p.transcript);
        assert!(
            p.transcript.iter().any(|t| t.contains("[1/3] Writes hot")),
            "{:#?}",
            p.transcript
        );
        assert!(
            p.transcript.iter().any(|t| t.contains("[2/4] Loss ok")),
            "gate opened: {:#?}",
            p.transcript
        );
        assert!(
            p.transcript
                .iter()
                .any(|t| t.starts_with("! `lots` is not a number")),
            "{:#?}",
            p.transcript
        );
        assert!(
            !p.transcript.iter().any(|t| t.contains("Never read")),
            "unrelated question asked"
        );
        let saved = std::fs::read_to_string(dir.path().join("session.toml")).unwrap();
        assert!(
            saved.contains("rps = 5000")
                && saved.contains("mode = \"b\"")
                && saved.contains("loss_ok = false"),
            "{saved}"
        );
    }

    #[test]
    fn prefilled_answers_are_not_asked_and_closed_gates_skip() {
        let (rb, dir) = setup();
        let topics: Vec<&Topic> = rb.topics().iter().collect();
        let mut s = store(&dir);
        s.set(&"rps".into(), Answer::Known(Value::Number(10.0)));
        let mut p = Scripted::new(vec![Reply::Default, Reply::Pick("Mode A")]);
        collect(&rb, &topics, &mut s, &mut p, false).unwrap();
        // writes_hot defaults to no, so loss_ok is never asked; rps was given.
        assert_eq!(
            p.transcript.iter().filter(|t| t.starts_with("? ")).count(),
            2,
            "{:#?}",
            p.transcript
        );
        assert_eq!(
            s.answers.entries[&QuestionId::new("writes_hot")].answer,
            Answer::Known(Value::Bool(false))
        );
    }

    #[test]
    fn help_and_dont_know_are_one_choice_away() {
        let (rb, dir) = setup();
        let topics: Vec<&Topic> = rb.topics().iter().collect();
        let mut s = store(&dir);
        let mut p = Scripted::new(vec![
            Reply::Pick(WHY),
            Reply::Default,
            Reply::Type("?"),
            Reply::Type("unknown"),
            Reply::Pick("Mode A"),
        ]);
        collect(&rb, &topics, &mut s, &mut p, false).unwrap();
        assert!(
            p.transcript
                .iter()
                .any(|t| t == "Why it matters: Write-behind helps only then."),
            "{:#?}",
            p.transcript
        );
        assert!(
            p.transcript
                .iter()
                .any(|t| t == "Why it matters: Load decides."),
            "{:#?}",
            p.transcript
        );
        assert_eq!(
            s.answers.entries[&QuestionId::new("rps")].answer,
            Answer::Unknown
        );
    }

    #[test]
    fn an_interruption_keeps_every_answer_given() {
        let (rb, dir) = setup();
        let topics: Vec<&Topic> = rb.topics().iter().collect();
        let mut s = store(&dir);
        let mut p = Scripted::new(vec![
            Reply::Pick("No"),
            Reply::Type("300"),
            Reply::Interrupt,
        ]);
        assert!(matches!(
            collect(&rb, &topics, &mut s, &mut p, false),
            Err(PromptError::Interrupted)
        ));
        let resumed = Store::load(&rb, &dir.path().join("session.toml")).unwrap();
        assert_eq!(resumed.answers.entries.len(), 2);
        let mut s = resumed;
        let mut p = Scripted::new(vec![Reply::Pick("Mode A")]);
        collect(&rb, &topics, &mut s, &mut p, false).unwrap();
        assert!(
            p.transcript.iter().any(|t| t.contains("[1/1] Mode")),
            "resumes at the first unanswered: {:#?}",
            p.transcript
        );
    }

    #[test]
    fn review_changes_an_answer_and_asks_what_it_opens() {
        let (rb, dir) = setup();
        let topics: Vec<&Topic> = rb.topics().iter().collect();
        let mut s = store(&dir);
        let mut p = Scripted::new(vec![
            Reply::Pick("No"),
            Reply::Type("300"),
            Reply::Pick("Mode A"),
        ]);
        collect(&rb, &topics, &mut s, &mut p, false).unwrap();
        let mut p = Scripted::new(vec![
            Reply::Pick("Change an answer"),
            Reply::Pick("Writes hot"),
            Reply::Pick("Yes"),
            Reply::Pick("Yes"), // loss_ok, newly applicable
            Reply::Pick("Looks right"),
        ]);
        assert_eq!(
            review(&rb, &topics, &mut s, &mut p, false).unwrap(),
            ReviewChoice::Accept
        );
        assert_eq!(
            s.answers.entries[&QuestionId::new("loss_ok")].answer,
            Answer::Known(Value::Bool(true))
        );
        // and back: closing the gate drops the answer it opened
        let mut p = Scripted::new(vec![
            Reply::Pick("Change an answer"),
            Reply::Pick("Writes hot"),
            Reply::Pick("No"),
            Reply::Pick("Looks right"),
        ]);
        review(&rb, &topics, &mut s, &mut p, false).unwrap();
        assert!(!s.answers.entries.contains_key(&QuestionId::new("loss_ok")));
    }

    #[test]
    fn mentor_mode_shows_why_each_question_matters() {
        let (rb, dir) = setup();
        let topics: Vec<&Topic> = rb.topics().iter().collect();
        let mut s = store(&dir);
        let mut p = Scripted::new(vec![
            Reply::Pick("No"),
            Reply::Type("300"),
            Reply::Pick("Mode A"),
            Reply::Pick("Y"),
            Reply::Type(""),
        ]);
        collect(&rb, &topics, &mut s, &mut p, true).unwrap();
        assert!(
            p.transcript
                .iter()
                .any(|t| t == "Why it matters: Modes differ.")
        );
        // a prediction needs a reason
        let mut p = Scripted::new(vec![
            Reply::Pick("Y"),
            Reply::Type(""),
            Reply::Type("Y is simpler"),
        ]);
        let prediction = predict(&mut p, topics[0]).unwrap();
        assert_eq!(
            (prediction.option.as_str(), prediction.why.as_str()),
            ("y", "Y is simpler")
        );
    }
}
