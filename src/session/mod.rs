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
//!
//! The session never invents an answer. A menu starts on the question's
//! default, marked as such, or on "Don't know" where the question allows
//! it, or on nothing at all; Enter on a default keeps it *as assumed*: the
//! answer is left to the default, which every report then lists as assumed.
//! An empty multiple choice is confirmed ("none of these") rather than taken
//! silently.

mod flow;
pub mod location;
pub mod prompter;
mod question;
mod review;
pub mod store;

pub use flow::{Options, SessionError, run};
pub use prompter::{Checked, Menu, Picked, PromptError, Prompter, Reply, Scripted};
pub use question::{Asked, Current, ask};
pub use review::{Review, review};
pub use store::Store;

use crate::eval::{Facts, Truth, condition::truth};
use crate::ids::{OptionId, QuestionId};
use crate::rulebase::{Question, RuleBase, Topic};
use std::collections::{BTreeMap, BTreeSet};

/// The questions still to ask, in order: relevant, applicable, unsettled.
/// Returns (the next one, its position, how many this session asks).
fn next_question<'a>(
    rb: &'a RuleBase,
    topics: &[&Topic],
    store: &Store,
) -> Option<(&'a Question, usize, usize)> {
    let relevant_questions = rb.relevant_questions(topics);
    let relevant: BTreeSet<&QuestionId> = relevant_questions.iter().map(|q| &q.id).collect();
    let given: BTreeMap<QuestionId, crate::value::Answer> = store.answers.answers();
    let facts = Facts::derive(rb, &given, &relevant).facts;
    // Progress counts what this session asks, a resumed one included:
    // questions answered before it started (an answers file, `--set`) are
    // not counted.
    let asked: Vec<&Question> = relevant_questions
        .into_iter()
        .filter(|q| {
            q.when
                .as_ref()
                .is_none_or(|w| truth(w, &facts) != Truth::False)
        })
        .filter(|q| !store.settled(&q.id) || store.asked(&q.id))
        .collect();
    let total = asked.len();
    asked
        .iter()
        .position(|q| !store.settled(&q.id))
        .map(|i| (asked[i], i + 1, total))
}

/// Asks every question that matters and is not settled yet, saving each answer.
pub fn collect(
    rb: &RuleBase,
    topics: &[&Topic],
    store: &mut Store,
    p: &mut dyn Prompter,
    mentor: bool,
) -> Result<(), PromptError> {
    while let Some((question, position, total)) = next_question(rb, topics, store) {
        let asked = ask(p, question, Current::None, position, total, mentor)?;
        settle_one(store, question, asked);
        store.save(rb)?;
    }
    Ok(())
}

/// Records what asking a question came to.
fn settle_one(store: &mut Store, question: &Question, asked: Asked) {
    match asked {
        Asked::Answer(answer) => store.set(&question.id, answer),
        Asked::Assumed => store.assume(&question.id),
    }
}

/// Removes answers to questions whose condition no longer holds.
fn drop_inapplicable(rb: &RuleBase, store: &mut Store) {
    let given = store.answers.answers();
    let dropped = Facts::derive(rb, &given, &BTreeSet::new()).dropped;
    for q in dropped {
        store.forget(&q);
    }
    let assumed: Vec<QuestionId> = store.assumed.iter().cloned().collect();
    let facts = Facts::derive(rb, &store.answers.answers(), &BTreeSet::new()).facts;
    for id in assumed {
        let closed = rb
            .question(id.as_str())
            .and_then(|q| q.when.as_ref())
            .is_some_and(|w| truth(w, &facts) == Truth::False);
        if closed {
            store.forget(&id);
        }
    }
}

/// A learner's prediction for one topic: the winner, or for a combination
/// topic the set of options its plan adopts.
#[derive(Debug, Clone)]
pub struct Prediction {
    pub options: Vec<OptionId>,
    pub why: String,
}

/// Asks the learner to predict the winner (or, for a combination topic,
/// the options the plan adopts) and say why. Nothing is pre-selected: the
/// prediction is the learner's own.
pub fn predict(p: &mut dyn Prompter, topic: &Topic) -> Result<Prediction, PromptError> {
    p.say(&format!(
        "\n{}: {}",
        topic.title,
        topic.problem.replace('\n', " ")
    ));
    let options = if topic.plan_thresholds().is_some() {
        predict_set(p, topic)?
    } else {
        vec![predict_one(p, topic)?]
    };
    let why = p
        .input("Why? (one sentence)", None, &|t: &str| {
            if t.trim().is_empty() {
                Err("say why, in a few words".to_owned())
            } else {
                Ok(())
            }
        })?
        .unwrap_or_default();
    Ok(Prediction {
        options,
        why: why.trim().to_owned(),
    })
}

/// The one option the learner expects to win.
fn predict_one(p: &mut dyn Prompter, topic: &Topic) -> Result<OptionId, PromptError> {
    let items: Vec<String> = topic.options.iter().map(|o| o.name.to_string()).collect();
    let menu = Menu {
        cursor: None,
        ..Menu::new("Which option do you expect to win?", &items, 0)
    };
    loop {
        if let Some(i) = p.select(&menu)?.item() {
            return Ok(topic.options[i].id.clone());
        }
    }
}

/// The options the learner expects the plan to adopt (none is an answer).
fn predict_set(p: &mut dyn Prompter, topic: &Topic) -> Result<Vec<OptionId>, PromptError> {
    let items: Vec<String> = topic.options.iter().map(|o| o.name.to_string()).collect();
    let menu = Menu::new(
        "Which options do you expect tradeoff to adopt? (space to check, Enter to confirm)",
        &items,
        0,
    );
    let checked = p.multi_select(&menu, &vec![false; items.len()])?;
    Ok(checked
        .items
        .iter()
        .filter_map(|&i| topic.options.get(i))
        .map(|o| o.id.clone())
        .collect())
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
    let menu = Menu::new("Which decisions are you making?", &items, 0);
    loop {
        let picks = p.multi_select(&menu, &vec![false; items.len()])?;
        if !picks.items.is_empty() {
            return Ok(picks.items.into_iter().map(|i| &rb.topics()[i]).collect());
        }
        p.say("Choose at least one topic: space checks it, enter goes on.");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::AnswerSet;
    use crate::rulebase::load::RuleBaseFiles;
    use crate::value::{Answer, Value};

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

    fn prompts(p: &Scripted) -> usize {
        p.transcript.iter().filter(|t| t.starts_with("? ")).count()
    }

    fn said(p: &Scripted, text: &str) -> bool {
        p.transcript.iter().any(|t| t.contains(text))
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
        assert_eq!(prompts(&p), 4, "{:#?}", p.transcript);
        assert!(said(&p, "[1/3] Writes hot"), "{:#?}", p.transcript);
        assert!(
            said(&p, "[2/4] Loss ok"),
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
        assert!(!said(&p, "Never read"), "unrelated question asked");
        let saved = std::fs::read_to_string(dir.path().join("session.toml")).unwrap();
        assert!(
            saved.contains("rps = 5000")
                && saved.contains("mode = \"b\"")
                && saved.contains("loss_ok = false"),
            "{saved}"
        );
    }

    #[test]
    fn a_default_kept_is_assumed_not_answered_and_closed_gates_skip() {
        let (rb, dir) = setup();
        let topics: Vec<&Topic> = rb.topics().iter().collect();
        let mut s = store(&dir);
        s.set(&"rps".into(), Answer::Known(Value::Number(10.0)));
        let mut p = Scripted::new(vec![Reply::Default, Reply::Pick("Mode A")]);
        collect(&rb, &topics, &mut s, &mut p, false).unwrap();
        // writes_hot defaults to no, so loss_ok is never asked.
        assert_eq!(prompts(&p), 2, "{:#?}", p.transcript);
        let writes_hot = QuestionId::new("writes_hot");
        assert!(!s.answers.entries.contains_key(&writes_hot));
        assert!(s.assumed.contains(&writes_hot));
        let saved = std::fs::read_to_string(dir.path().join("session.toml")).unwrap();
        assert!(saved.contains("# writes_hot = false"), "{saved}");
        // Evaluated, the default is taken and reported as assumed.
        let decided = crate::decide::evaluate_answers(&rb, &s.answers, &topics).unwrap();
        assert_eq!(decided.resolution.defaulted, [writes_hot]);
    }

    #[test]
    fn pressing_enter_through_records_no_answer_the_user_did_not_give() {
        let (rb, dir) = setup();
        let topics: Vec<&Topic> = rb.topics().iter().collect();
        let mut s = store(&dir);
        let mut p = Scripted::new(vec![
            Reply::Default,        // writes_hot: its default, kept: assumed
            Reply::Default,        // rps: `unknown`, the placeholder
            Reply::Default,        // mode has no default: Enter chooses nothing
            Reply::Default,        // nor again
            Reply::Pick("Mode A"), // until the user moves to an answer
        ]);
        collect(&rb, &topics, &mut s, &mut p, false).unwrap();
        assert_eq!(
            p.transcript
                .iter()
                .filter(|t| *t == "! nothing chosen")
                .count(),
            2
        );
        let given: Vec<(&str, String)> = s
            .answers
            .entries
            .iter()
            .map(|(q, g)| (q.as_str(), g.answer.to_string()))
            .collect();
        assert_eq!(
            given,
            [("mode", "a".to_owned()), ("rps", "unknown".to_owned())]
        );
        assert_eq!(
            s.assumed.iter().map(|q| q.as_str()).collect::<Vec<_>>(),
            ["writes_hot"]
        );
    }

    #[test]
    fn help_is_a_key_and_dont_know_comes_first_without_a_default() {
        let (rb, dir) = setup();
        let topics: Vec<&Topic> = rb.topics().iter().collect();
        let mut s = store(&dir);
        let mut p = Scripted::new(vec![
            Reply::Help,
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
        // The default is marked in the menu.
        let q = rb.question("writes_hot").unwrap();
        let mut p = Scripted::new(vec![Reply::Pick("No (default)")]);
        let asked = ask(&mut p, q, Current::None, 1, 1, false).unwrap();
        assert_eq!(asked, Asked::Answer(Answer::Known(Value::Bool(false))));
    }

    #[test]
    fn an_interruption_keeps_every_answer_and_resuming_counts_on() {
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
        assert_eq!(
            resumed.given_before(),
            0,
            "both were answered in the session"
        );
        let mut s = resumed;
        let mut p = Scripted::new(vec![Reply::Pick("Mode A")]);
        collect(&rb, &topics, &mut s, &mut p, false).unwrap();
        assert!(
            said(&p, "[3/3] Mode"),
            "resumes at the first unanswered, counting on: {:#?}",
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
            Review::Accept
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
    fn mentor_mode_shows_why_each_question_matters_and_offers_no_help_key() {
        let (rb, dir) = setup();
        let topics: Vec<&Topic> = rb.topics().iter().collect();
        let mut s = store(&dir);
        let mut p = Scripted::new(vec![
            Reply::Pick("No"),
            Reply::Type("300"),
            Reply::Help, // not offered: the help is on screen already
        ]);
        assert!(collect(&rb, &topics, &mut s, &mut p, true).is_err());
        assert!(
            p.transcript
                .iter()
                .any(|t| t == "Why it matters: Modes differ.")
        );
        assert!(
            !p.transcript.iter().any(|t| t.contains("`?` for why")),
            "{:#?}",
            p.transcript
        );
        // a prediction needs a reason, and nothing is pre-selected
        let mut p = Scripted::new(vec![
            Reply::Default,
            Reply::Pick("Y"),
            Reply::Type(""),
            Reply::Type("Y is simpler"),
        ]);
        let prediction = predict(&mut p, topics[0]).unwrap();
        assert_eq!(
            (prediction.options, prediction.why.as_str()),
            (vec![OptionId::new("y")], "Y is simpler")
        );
    }

    #[test]
    fn for_a_combination_topic_the_learner_predicts_the_set() {
        let plan_topic = TOPIC
            .replace("id = \"t\"", "id = \"p\"\nchoice = \"combination\"")
            .replace("title = \"T\"", "title = \"P\"");
        let rb = RuleBase::from_files(
            RuleBaseFiles::from_memory(&[
                ("questions.toml", QUESTIONS),
                ("topics/p.toml", plan_topic.as_str()),
            ]),
            "p",
        )
        .unwrap();
        let topic = rb.topic("p").unwrap();
        let mut p = Scripted::new(vec![Reply::Check(vec!["X", "Y"]), Reply::Type("both")]);
        let prediction = predict(&mut p, topic).unwrap();
        assert_eq!(
            prediction.options,
            vec![OptionId::new("x"), OptionId::new("y")]
        );
        assert!(
            p.transcript
                .iter()
                .any(|t| t.contains("Which options do you expect tradeoff to adopt?")),
            "{:?}",
            p.transcript
        );
    }
}
