//! A whole session, from the session file to the saved answers.
//!
//! `tradeoff ask` (and `mentor`) opens or resumes the session file (saying
//! how many answers it kept), settles the topics and a title, asks every
//! question that matters, shows the review screen until the user accepts,
//! shows the verdict (in mentor mode, one topic at a time after the
//! learner's prediction, pausing after each), offers decision records,
//! offers to save the answers (in mentor mode, then the summary), and removes
//! the session file, unless the user kept it rather than save the answers.
//! All of it goes through a [`Prompter`], so the scripted prompter drives the
//! same flow a terminal does. Decision records are written by the caller
//! (`write_records`), which knows where and how.

use super::prompter::{choose, line};
use super::store::{self, Store};
use super::{PromptError, Prompter, Review, choose_topics, collect, predict, review};
use crate::answers::AnswerSet;
use crate::decide::{Decided, evaluate_answers};
use crate::diagnostic::DataError;
use crate::eval::{Evaluation, evaluate_topic};
use crate::ids::TopicId;
use crate::report::table::{Extras, TableOptions};
use crate::report::{self, DecisionRun};
use crate::rulebase::{RuleBase, Topic};
use std::io;
use std::path::{Path, PathBuf};

/// How a session runs: what the command line said, and what it found.
pub struct Options<'a> {
    /// The session file, where every answer is saved as it is given.
    pub session: &'a Path,
    /// Continue the saved session without asking.
    pub resume: bool,
    /// The topics to decide; empty to take the saved session's, or ask.
    pub topics: &'a [TopicId],
    /// Mentor mode: say why each question matters, and ask for predictions.
    pub mentor: bool,
    /// Where to write the mentor summary; `None` to offer a place.
    pub summary: Option<&'a Path>,
    /// The date the mentor summary carries.
    pub date: &'a str,
    /// How the verdict table is drawn.
    pub table: TableOptions,
    /// The directory offered for decision records.
    pub records_dir: &'a Path,
    /// The directory that file names the user types are relative to.
    pub dir: &'a Path,
}

/// Why a session stopped before the end. `E` is the error of the caller's
/// `write_records`.
#[derive(Debug, thiserror::Error)]
pub enum SessionError<E> {
    /// A prompt failed, or the user pressed Ctrl-C.
    #[error(transparent)]
    Prompt(#[from] PromptError),
    /// `resume` was asked for, and there is no session file to read.
    #[error("cannot read `{}`: {error}; there is no unfinished session to resume", path.display())]
    NothingToResume { path: PathBuf, error: io::Error },
    /// The saved session is not a valid answers file, or the answers do not
    /// resolve.
    #[error(transparent)]
    Invalid(#[from] DataError),
    /// A topic asked for does not exist (the message names the closest).
    #[error("{0}")]
    Topics(String),
    /// Saving the session or showing the verdict failed.
    #[error(transparent)]
    Io(#[from] io::Error),
    /// A file the user asked for (the answers, the summary) cannot be written.
    #[error("cannot write `{}`: {error}", path.display())]
    CantWrite { path: PathBuf, error: io::Error },
    /// Writing the decision records failed.
    #[error("{0}")]
    Records(E),
}

/// Runs a whole session. `prefill` holds the answers given up front (a
/// file, `--set`); `write_records` writes the decision records into the
/// directory the user chose.
pub fn run<E>(
    rb: &RuleBase,
    options: &Options<'_>,
    prefill: AnswerSet,
    p: &mut dyn Prompter,
    write_records: &mut dyn FnMut(&DecisionRun<'_>, &Path) -> Result<(), E>,
) -> Result<(), SessionError<E>> {
    let (mut store, fresh) = open(rb, options, prefill, p)?;
    let topics = topics(rb, options, &store, p)?;
    start(rb, options, &mut store, &topics, fresh, p)?;
    settle(rb, &topics, &mut store, p, options.mentor)?;
    let decided = evaluate_answers(rb, &store.answers, &topics)?;
    p.warn(&decided.resolution.warnings);
    let decision = DecisionRun {
        rb,
        answers: &store.answers,
        resolution: &decided.resolution,
        evaluation: &decided.evaluation,
    };
    let records = if options.mentor {
        mentor_verdicts(options, &decision, &decided, p)?
    } else {
        let report = report::table::render_with(&decision, &options.table, &Extras::default());
        p.show(&report)?;
        Vec::new()
    };
    offer_records(options, &decision, p, write_records)?;
    let saved = offer_answers(rb, options, &store, p)?;
    if options.mentor {
        mentor_summary(options, &decision, &store, &records, saved.as_deref(), p)?;
    }
    if saved.is_some() || !keep_session(&store, p)? {
        store.remove();
    }
    Ok(())
}

/// The session to continue (with `false`), or a new one (with `true`).
fn open<E>(
    rb: &RuleBase,
    options: &Options<'_>,
    prefill: AnswerSet,
    p: &mut dyn Prompter,
) -> Result<(Store, bool), SessionError<E>> {
    let path = options.session;
    if options.resume {
        let store = Store::load(rb, path).map_err(|e| match e {
            store::SessionFileError::Read(error) => SessionError::NothingToResume {
                path: path.to_path_buf(),
                error,
            },
            store::SessionFileError::Invalid(d) => SessionError::Invalid(d),
        })?;
        say_resumed(&store, p);
        return Ok((store, false));
    }
    if path.exists() {
        let items = vec![
            "Resume it".to_owned(),
            "Start a new session (the saved one is deleted)".to_owned(),
        ];
        let prompt = format!(
            "An unfinished session is saved in {}. Resume it?",
            path.display()
        );
        match (choose(p, &prompt, &items, 0)?, Store::load(rb, path)) {
            (0, Ok(store)) => {
                say_resumed(&store, p);
                return Ok((store, false));
            }
            _ => {
                let _ = std::fs::remove_file(path);
            }
        }
    }
    Ok((Store::new(path.to_path_buf(), prefill), true))
}

/// How much a resumed session kept.
fn say_resumed(store: &Store, p: &mut dyn Prompter) {
    let before = store.given_before();
    let answered = store.answers.entries.len() - before + store.assumed.len();
    let mut text = format!(
        "Resumed: {} from the session kept",
        crate::words::count(answered, "answer", "answers")
    );
    if before > 0 {
        text.push_str(&format!(", and {} given before it", before));
    }
    text.push('.');
    p.say(&text);
}

/// The topics asked for, else the saved session's, else the user's choice.
fn topics<'a, E>(
    rb: &'a RuleBase,
    options: &Options<'_>,
    store: &Store,
    p: &mut dyn Prompter,
) -> Result<Vec<&'a Topic>, SessionError<E>> {
    if !options.topics.is_empty() {
        return rb
            .select_topics(options.topics)
            .map_err(SessionError::Topics);
    }
    if !store.topics().is_empty() {
        return rb
            .select_topics(store.topics())
            .map_err(SessionError::Topics);
    }
    Ok(choose_topics(rb, p)?)
}

/// Records the topics, asks a new session for its title, and saves.
fn start<E>(
    rb: &RuleBase,
    options: &Options<'_>,
    store: &mut Store,
    topics: &[&Topic],
    fresh: bool,
    p: &mut dyn Prompter,
) -> Result<(), SessionError<E>> {
    store.answers.topics = topics.iter().map(|t| t.id.clone()).collect();
    // Asked once, when a session starts; a resumed one keeps its choice.
    if fresh && store.answers.title.is_none() {
        let title = p
            .input("A title for this decision (Enter to skip)", None, &|_| {
                Ok(())
            })?
            .unwrap_or_default();
        store.answers.title = Some(title.trim().to_owned()).filter(|t| !t.is_empty());
    }
    store.save(rb)?;
    if options.mentor {
        p.say("Mentor mode: each question says why it matters; before each verdict you predict the winner and say why.");
    }
    Ok(())
}

/// Asks and reviews until the user accepts the answers.
fn settle<E>(
    rb: &RuleBase,
    topics: &[&Topic],
    store: &mut Store,
    p: &mut dyn Prompter,
    mentor: bool,
) -> Result<(), SessionError<E>> {
    loop {
        collect(rb, topics, store, p, mentor)?;
        match review(rb, topics, store, p, mentor)? {
            Review::Accept => return Ok(()),
            Review::StartOver => store.save(rb)?,
        }
    }
}

/// Mentor mode: per topic, the learner's prediction, then the verdict and
/// how the prediction fared, and a pause before the next topic.
fn mentor_verdicts<E>(
    options: &Options<'_>,
    decision: &DecisionRun<'_>,
    decided: &Decided,
    p: &mut dyn Prompter,
) -> Result<Vec<report::mentor::Prediction>, SessionError<E>> {
    let rb = decision.rb;
    let facts = decided.evaluation.decided(&decided.resolution.facts);
    let topics: Vec<_> = decision.topics().collect();
    let mut records = Vec::new();
    for (i, (topic, outcome)) in topics.iter().enumerate() {
        if outcome.status == crate::eval::Status::NotApplicable && !outcome.requested {
            // Nothing to predict: say why, as the report does.
            p.say(&format!(
                "\n{}: not applicable: {}",
                topic.title,
                report::not_applicable_reason(topic, outcome)
            ));
            continue;
        }
        let prediction = predict(p, topic)?;
        let single = Evaluation {
            topics: vec![evaluate_topic(rb, &facts, topic)],
            risks: Vec::new(),
        };
        let one = DecisionRun {
            evaluation: &single,
            ..*decision
        };
        p.show(&format!(
            "\n{}",
            report::table::render(&one, &options.table)
        ))?;
        let (text, record) = report::mentor::reveal(
            rb,
            topic,
            outcome,
            &prediction.options,
            &prediction.why,
            usize::from(options.table.width),
        );
        p.show(&format!("\n{text}"))?;
        records.push(record);
        if let Some((next, _)) = topics.get(i + 1) {
            let prompt = format!("Enter for the next topic: {}", next.title);
            p.input(&prompt, Some(""), &|_| Ok(()))?;
        }
    }
    Ok(records)
}

/// The mentor's summary, written where asked or where the user says.
fn mentor_summary<E>(
    options: &Options<'_>,
    decision: &DecisionRun<'_>,
    store: &Store,
    records: &[report::mentor::Prediction],
    answers_file: Option<&Path>,
    p: &mut dyn Prompter,
) -> Result<(), SessionError<E>> {
    let answers_file = answers_file.map(|f| f.display().to_string());
    let session = report::mentor::Session {
        title: decision.answers.title.as_deref(),
        date: options.date,
        records,
        answers_toml: &store::to_toml(decision.rb, &store.answers, &store.assumed),
        answers_file: answers_file.as_deref(),
    };
    let summary = report::mentor::summary(decision, &session);
    let target = match options.summary {
        Some(path) => Some(path.to_path_buf()),
        None => offer_path(
            p,
            options.dir,
            "Save a summary of the session for the mentor?",
            "mentor-summary.md",
        )?,
    };
    if let Some(target) = target {
        write(options.dir, &target, &summary)?;
        p.say(&format!("wrote {}", target.display()));
    }
    Ok(())
}

/// Offers decision records, and has `write_records` write them into the
/// directory the user names.
fn offer_records<E>(
    options: &Options<'_>,
    decision: &DecisionRun<'_>,
    p: &mut dyn Prompter,
    write_records: &mut dyn FnMut(&DecisionRun<'_>, &Path) -> Result<(), E>,
) -> Result<(), SessionError<E>> {
    p.say("");
    let items = vec!["No".to_owned(), "Yes".to_owned()];
    let prompt = "Write decision records (ADRs) for these decisions?";
    if choose(p, prompt, &items, 0)? != 1 {
        return Ok(());
    }
    let offered = options.records_dir.display().to_string();
    let dir = line(p, "Into which directory?", &offered, &|t: &str| {
        if t.trim().is_empty() {
            Err("a directory, e.g. docs/decisions".to_owned())
        } else {
            Ok(())
        }
    })?;
    write_records(decision, Path::new(dir.trim())).map_err(SessionError::Records)
}

/// Offers to save the answers, to replay with `tradeoff decide`; the file
/// written, if any.
fn offer_answers<E>(
    rb: &RuleBase,
    options: &Options<'_>,
    store: &Store,
    p: &mut dyn Prompter,
) -> Result<Option<PathBuf>, SessionError<E>> {
    let offered = offer_path(
        p,
        options.dir,
        "Save the answers, to replay with `tradeoff decide --answers`?",
        "answers.toml",
    )?;
    if let Some(target) = &offered {
        write(
            options.dir,
            target,
            &store::to_toml(rb, &store.answers, &store.assumed),
        )?;
        p.say(&format!(
            "saved {0}; replay with `tradeoff decide --answers {0}`, \
             or see a topic whole with `tradeoff explain --answers {0} --topic ID`",
            target.display()
        ));
    }
    Ok(offered)
}

/// The answers were not saved: keep them in the session file (to come
/// back with `--resume`), or let them go? `true` to keep.
fn keep_session(store: &Store, p: &mut dyn Prompter) -> Result<bool, PromptError> {
    let items = vec![
        format!("Keep them in {}", store.path.display()),
        "Discard them".to_owned(),
    ];
    let keep = choose(
        p,
        "The answers are not saved anywhere else. Keep them?",
        &items,
        0,
    )? == 0;
    if keep {
        p.say("kept; `tradeoff ask --resume` comes back to them");
    }
    Ok(keep)
}

/// Writes `target` (relative to `dir`) atomically.
fn write<E>(dir: &Path, target: &Path, text: &str) -> Result<(), SessionError<E>> {
    store::write_atomically(&dir.join(target), text).map_err(|error| SessionError::CantWrite {
        path: target.to_path_buf(),
        error,
    })
}

/// Offers to save to `default`, another path, or not at all; never
/// overwrites an existing file (relative to `dir`) without asking.
fn offer_path(
    p: &mut dyn Prompter,
    dir: &Path,
    question: &str,
    default: &str,
) -> Result<Option<PathBuf>, PromptError> {
    let items = vec![
        format!("Yes, to {default}"),
        "Yes, somewhere else".to_owned(),
        "No".to_owned(),
    ];
    let not_empty = |t: &str| {
        if t.trim().is_empty() {
            Err("a file name".to_owned())
        } else {
            Ok(())
        }
    };
    let mut path = match choose(p, question, &items, 0)? {
        0 => PathBuf::from(default),
        1 => PathBuf::from(line(p, "File name", default, &not_empty)?.trim()),
        _ => return Ok(None),
    };
    while dir.join(&path).exists() {
        let items = vec![
            "Replace it".to_owned(),
            "Choose another name".to_owned(),
            "Don't save".to_owned(),
        ];
        let prompt = format!("{} already exists", path.display());
        match choose(p, &prompt, &items, 1)? {
            0 => break,
            1 => {
                let name = p.input("File name", None, &not_empty)?.unwrap_or_default();
                path = PathBuf::from(name.trim());
            }
            _ => return Ok(None),
        }
    }
    Ok(Some(path))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::Reply;
    use crate::session::Scripted;
    use crate::session::tests::setup;
    use tempfile::TempDir;

    const DATE: &str = "2026-01-02";

    fn options<'a>(dir: &'a TempDir, session: &'a Path, topics: &'a [TopicId]) -> Options<'a> {
        Options {
            session,
            resume: false,
            topics,
            mentor: false,
            summary: None,
            date: DATE,
            table: TableOptions {
                color: false,
                width: 100,
            },
            records_dir: Path::new("docs/decisions"),
            dir: dir.path(),
        }
    }

    /// Writes each topic's record as `tradeoff decide --adr` does, into
    /// `dir` (relative to `base`), and notes where.
    fn records<'a>(
        base: &'a Path,
        written: &'a mut Vec<PathBuf>,
    ) -> impl FnMut(&DecisionRun<'_>, &Path) -> Result<(), String> + 'a {
        move |decision, dir| {
            for (topic, outcome) in decision.topics() {
                let context = report::adr::RecordContext::new(decision, topic, outcome, DATE, 0)
                    .ok_or("no winner")?;
                let render = |_| {
                    report::adr::render(decision, topic, outcome, DATE)
                        .map_err(|e| std::io::Error::other(e.to_string()))
                        .map(Option::unwrap_or_default)
                };
                let done = crate::adr::write_decision(
                    &base.join(dir),
                    &context.title,
                    context.data_block(),
                    render,
                );
                match done.map_err(|e| e.to_string())? {
                    crate::adr::Written::Created(path) => written.push(path),
                    crate::adr::Written::Unchanged(path) => written.push(path),
                }
            }
            Ok(())
        }
    }

    fn read(dir: &TempDir, name: &str) -> String {
        std::fs::read_to_string(dir.path().join(name)).unwrap_or_default()
    }

    #[test]
    fn a_whole_session_asks_shows_the_verdict_records_and_saves() {
        let (rb, dir) = setup();
        let session = dir.path().join("session.toml");
        let options = options(&dir, &session, &[]);
        let mut p = Scripted::new(vec![
            Reply::Check(vec!["T (t)"]),
            Reply::Type("Cache choice"),
            Reply::Pick("Yes"), // writes_hot: opens loss_ok
            Reply::Pick("Yes"), // loss_ok
            Reply::Type("500"),
            Reply::Pick("Mode A"),
            Reply::Pick("Looks right"),
            Reply::Pick("Yes"), // decision records
            Reply::Default,     // into docs/decisions
            Reply::Default,     // save the answers to answers.toml
        ]);
        let mut written = Vec::new();
        run(
            &rb,
            &options,
            AnswerSet::default(),
            &mut p,
            &mut records(dir.path(), &mut written),
        )
        .unwrap();
        let prompts: Vec<&str> = p
            .transcript
            .iter()
            .filter_map(|t| t.strip_prefix("? "))
            .collect();
        assert_eq!(prompts.len(), 10, "{prompts:#?}");
        assert!(prompts[0].starts_with("Which decisions are you making?"));
        assert!(prompts[1].starts_with("A title for this decision"));
        assert_eq!(prompts[6], "Review your answers");
        assert_eq!(p.shown.len(), 1, "one verdict table");
        assert!(p.shown[0].contains("Cache choice"), "{}", p.shown[0]);
        assert!(
            p.shown[0].contains("→ X: confidence medium, leads Y by 2 points"),
            "{}",
            p.shown[0]
        );
        // recorded: one decision record for the topic, in the offered directory
        assert_eq!(written.len(), 1, "{written:?}");
        assert!(written[0].starts_with(dir.path().join("docs/decisions")));
        let record = std::fs::read_to_string(&written[0]).unwrap();
        assert!(
            record.contains("Cache choice") || record.contains('X'),
            "{record}"
        );
        // saved: the answers, to replay; the session file is gone
        let saved = read(&dir, "answers.toml");
        for line in [
            "title = \"Cache choice\"",
            "topics = [\"t\"]",
            "writes_hot = true",
            "loss_ok = true",
            "rps = 500",
            "mode = \"a\"",
        ] {
            assert!(saved.contains(line), "{line} not in:\n{saved}");
        }
        assert!(p.transcript.iter().any(|t| t.starts_with(
            "saved answers.toml; replay with `tradeoff decide --answers answers.toml`"
        )));
        assert!(!session.exists(), "the finished session is removed");
    }

    #[test]
    fn a_saved_session_is_offered_and_resumed_where_it_stopped() {
        let (rb, dir) = setup();
        let session = dir.path().join("session.toml");
        std::fs::write(
            &session,
            "title = \"Kept\"\ntopics = [\"t\"]\n[answers]\nwrites_hot = false\nrps = 50\n",
        )
        .unwrap();
        let options = options(&dir, &session, &[]);
        let mut p = Scripted::new(vec![
            Reply::Pick("Resume it"),
            Reply::Pick("Mode B"),
            Reply::Pick("Looks right"),
            Reply::Pick("No"),      // no records
            Reply::Pick("No"),      // do not save the answers
            Reply::Pick("Discard"), // nor keep them
        ]);
        let mut write = |_: &DecisionRun<'_>, _: &Path| -> Result<(), String> {
            Err("no records were asked for".to_owned())
        };
        run(&rb, &options, AnswerSet::default(), &mut p, &mut write).unwrap();
        assert!(
            p.transcript.iter().any(|t| t.contains("[1/1] Mode")),
            "only the unanswered question: {:#?}",
            p.transcript
        );
        assert!(
            p.transcript
                .iter()
                .any(|t| t == "Resumed: 0 answers from the session kept, and 2 given before it."),
            "{:#?}",
            p.transcript
        );
        assert!(
            !p.transcript.iter().any(|t| t.contains("A title")),
            "a resumed session keeps its title"
        );
        assert!(p.shown[0].contains("Kept"), "{}", p.shown[0]);
        assert!(!dir.path().join("answers.toml").exists());
        assert!(!session.exists());
    }

    #[test]
    fn an_interrupted_session_keeps_its_answers_and_resume_needs_a_file() {
        let (rb, dir) = setup();
        let session = dir.path().join("session.toml");
        let topics = [TopicId::new("t")];
        let options = options(&dir, &session, &topics);
        let mut p = Scripted::new(vec![Reply::Type(""), Reply::Pick("No"), Reply::Interrupt]);
        let mut write = |_: &DecisionRun<'_>, _: &Path| Ok::<(), String>(());
        let stopped = run(&rb, &options, AnswerSet::default(), &mut p, &mut write);
        assert!(matches!(
            stopped,
            Err(SessionError::Prompt(PromptError::Interrupted))
        ));
        assert!(read(&dir, "session.toml").contains("writes_hot = false"));

        let missing = dir.path().join("none.toml");
        let resume = Options {
            resume: true,
            ..self::options(&dir, &missing, &[])
        };
        let stopped = run(&rb, &resume, AnswerSet::default(), &mut p, &mut write);
        assert!(matches!(stopped, Err(SessionError::NothingToResume { .. })));
    }

    #[test]
    fn an_unknown_topic_stops_the_session_before_any_question() {
        let (rb, dir) = setup();
        let session = dir.path().join("session.toml");
        let topics = [TopicId::new("tt")];
        let mut p = Scripted::new(Vec::new());
        let mut write = |_: &DecisionRun<'_>, _: &Path| Ok::<(), String>(());
        let stopped = run(
            &rb,
            &options(&dir, &session, &topics),
            AnswerSet::default(),
            &mut p,
            &mut write,
        );
        assert!(matches!(stopped, Err(SessionError::Topics(m)) if m.contains("`tt`")));
        assert!(p.transcript.is_empty());
    }

    #[test]
    fn a_mentor_session_predicts_reveals_and_writes_the_summary() {
        let (rb, dir) = setup();
        let session = dir.path().join("session.toml");
        std::fs::write(dir.path().join("answers.toml"), "taken").unwrap();
        let topics = [TopicId::new("t")];
        let options = Options {
            mentor: true,
            ..options(&dir, &session, &topics)
        };
        let mut p = Scripted::new(vec![
            Reply::Type("Mentored"),
            Reply::Pick("No"),
            Reply::Type("20"),
            Reply::Pick("Mode B"),
            Reply::Pick("Start over"),
            Reply::Pick("Yes, forget every answer"),
            Reply::Pick("Yes"), // writes hot
            Reply::Pick("Yes"), // loss ok
            Reply::Type("300"),
            Reply::Pick("Mode A"),
            Reply::Pick("Looks right"),
            Reply::Pick("Y"), // the prediction: X wins
            Reply::Type("Y is simpler"),
            Reply::Pick("No"), // no records
            Reply::Default,    // the answers, to answers.toml: it exists
            Reply::Pick("Choose another name"),
            Reply::Type("kept.toml"),
            Reply::Default, // the summary, to mentor-summary.md
        ]);
        let mut write = |_: &DecisionRun<'_>, _: &Path| Ok::<(), String>(());
        run(&rb, &options, AnswerSet::default(), &mut p, &mut write).unwrap();
        assert!(p.transcript[0].starts_with("? A title"));
        assert!(p.transcript.iter().any(|t| t.starts_with("Mentor mode:")));
        assert!(
            p.transcript
                .iter()
                .any(|t| t == "Why it matters: Modes differ.")
        );
        assert_eq!(p.shown.len(), 2, "the topic's table, then the reveal");
        assert!(p.shown[1].contains("You predicted Y"), "{}", p.shown[1]);
        let summary = read(&dir, "mentor-summary.md");
        assert!(
            summary.starts_with("# Mentor session: Mentored"),
            "{summary}"
        );
        assert!(summary.contains(DATE), "{summary}");
        for part in [
            "## The rankings",
            "| 1 | X | +2 |",
            "## The answers",
            "- Mode: Mode A",
            "Saved as `kept.toml`.",
            "`tradeoff explain --answers kept.toml --topic t`",
        ] {
            assert!(summary.contains(part), "{part} not in:\n{summary}");
        }
        assert_eq!(
            read(&dir, "answers.toml"),
            "taken",
            "never overwritten unasked"
        );
        let kept = read(&dir, "kept.toml");
        assert!(
            kept.contains("rps = 300") && kept.contains("mode = \"a\""),
            "the answers after starting over: {kept}"
        );
    }
}
