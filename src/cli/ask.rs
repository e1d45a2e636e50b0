//! `tradeoff ask` (and `tradeoff mentor`, and plain `tradeoff`): the
//! interactive session at the terminal.
//!
//! Prompts are drawn on standard error (dialoguer), verdicts go to standard
//! output. Without a terminal the session refuses at once, naming the
//! answers that are missing and the command that takes a file instead; it
//! never waits on input that cannot come. Ctrl-C restores the cursor and
//! exits with 130; every answer given so far is already in the session file.

use super::args::{AskArgs, Cli};
use super::commands::{load_answers, load_rule_base, select_topics, with_context, write_records};
use super::output::{emit, status, table_width};
use super::{Failure, Interrupted};
use crate::answers::AnswerSet;
use crate::decide::{Decided, evaluate_answers, resolve};
use crate::ids::TopicId;
use crate::report::{self, Decision, table::TableOptions};
use crate::rulebase::{RuleBase, Topic};
use crate::session::{self, PromptError, Prompter, Review, Store, store};
use anyhow::Result;
use console::Term;
use dialoguer::theme::{ColorfulTheme, SimpleTheme, Theme};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// Where an unfinished session is kept unless `--session` says otherwise.
pub const SESSION_FILE: &str = ".tradeoff-session.toml";

struct Terminal {
    term: Term,
    theme: Box<dyn Theme>,
}

impl Terminal {
    fn new() -> Self {
        let theme: Box<dyn Theme> = if console::colors_enabled_stderr() {
            Box::new(ColorfulTheme::default())
        } else {
            Box::new(SimpleTheme)
        };
        Self {
            term: Term::stderr(),
            theme,
        }
    }
}

fn prompt_error(e: dialoguer::Error) -> PromptError {
    let dialoguer::Error::IO(io) = e;
    if io.kind() == std::io::ErrorKind::Interrupted {
        PromptError::Interrupted
    } else {
        PromptError::Io(io)
    }
}

impl Prompter for Terminal {
    fn select(
        &mut self,
        prompt: &str,
        items: &[String],
        default: usize,
    ) -> Result<usize, PromptError> {
        dialoguer::Select::with_theme(&*self.theme)
            .with_prompt(prompt)
            .items(items)
            .default(default)
            .interact_on(&self.term)
            .map_err(prompt_error)
    }

    fn multi_select(
        &mut self,
        prompt: &str,
        items: &[String],
        defaults: &[bool],
    ) -> Result<Vec<usize>, PromptError> {
        dialoguer::MultiSelect::with_theme(&*self.theme)
            .with_prompt(prompt)
            .items(items)
            .defaults(defaults)
            .interact_on(&self.term)
            .map_err(prompt_error)
    }

    fn input(
        &mut self,
        prompt: &str,
        initial: &str,
        validate: &dyn Fn(&str) -> Result<(), String>,
    ) -> Result<String, PromptError> {
        dialoguer::Input::<String>::with_theme(&*self.theme)
            .with_prompt(prompt)
            .with_initial_text(initial)
            .allow_empty(true)
            .validate_with(|text: &String| validate(text))
            .interact_text_on(&self.term)
            .map_err(prompt_error)
    }

    fn say(&mut self, text: &str) {
        let _ = self.term.write_line(text);
    }
}

pub fn run(cli: &Cli, args: &AskArgs, mentor: bool) -> Result<()> {
    let rb = with_context(load_rule_base(cli)?, &args.input)?;
    let prefill = load_answers(&rb, &args.input)?;
    if !std::io::stdin().is_terminal() || !Term::stderr().is_term() {
        return Err(not_a_terminal(&rb, &prefill, &args.topics));
    }
    let session_path = args
        .session
        .clone()
        .unwrap_or_else(|| PathBuf::from(SESSION_FILE));
    install_interrupt_handler(&session_path);
    let mut p = Terminal::new();
    let result = session(&rb, args, mentor, prefill, &session_path, &mut p);
    let _ = p.term.show_cursor();
    match result {
        Err(e)
            if e.downcast_ref::<PromptError>()
                .is_some_and(|p| matches!(p, PromptError::Interrupted)) =>
        {
            Err(Interrupted(resume_hint(&session_path)).into())
        }
        other => other,
    }
}

fn resume_hint(path: &Path) -> String {
    let flag = if path == Path::new(SESSION_FILE) {
        String::new()
    } else {
        format!(" --session {}", path.display())
    };
    format!(
        "your answers so far are saved in {}; continue with `tradeoff ask --resume{flag}`",
        path.display()
    )
}

/// Ctrl-C outside a prompt: restore the cursor and leave with 130.
fn install_interrupt_handler(path: &Path) {
    let hint = resume_hint(path);
    let _ = ctrlc::set_handler(move || {
        let term = Term::stderr();
        if term.is_term() {
            let _ = term.show_cursor();
        }
        eprintln!("\ninterrupted: {hint}");
        std::process::exit(130);
    });
}

fn session(
    rb: &RuleBase,
    args: &AskArgs,
    mentor: bool,
    prefill: AnswerSet,
    path: &Path,
    p: &mut Terminal,
) -> Result<()> {
    let mut fresh = false;
    let mut store = if args.resume {
        Store::load(rb, path).map_err(|e| match e {
            store::LoadError::Read(io) => anyhow::Error::from(Failure::NoInput {
                path: path.display().to_string(),
                reason: format!("{io}; there is no unfinished session to resume"),
            }),
            store::LoadError::Invalid(d) => d.into(),
        })?
    } else if path.exists() {
        let items = vec![
            "Resume it".to_owned(),
            "Start a new session (the saved one is replaced)".to_owned(),
        ];
        let pick = p.select(
            &format!(
                "An unfinished session is saved in {}. Resume it?",
                path.display()
            ),
            &items,
            0,
        )?;
        match (pick, Store::load(rb, path)) {
            (0, Ok(store)) => store,
            _ => {
                fresh = true;
                Store::new(path.to_path_buf(), prefill)
            }
        }
    } else {
        fresh = true;
        Store::new(path.to_path_buf(), prefill)
    };

    let topics: Vec<&Topic> = if !args.topics.is_empty() {
        select_topics(rb, &args.topics, &[])?
    } else if !store.topics().is_empty() {
        select_topics(rb, &[], store.topics())?
    } else {
        session::choose_topics(rb, p)?
    };
    store.answers.topics = topics
        .iter()
        .map(|t| t.id.clone())
        .collect::<Vec<TopicId>>();
    // Asked once, when a session starts; a resumed one keeps its choice.
    if fresh && store.answers.title.is_none() {
        let title = p.input("A title for this decision (enter to skip)", "", &|_| Ok(()))?;
        store.answers.title = Some(title.trim().to_owned()).filter(|t| !t.is_empty());
    }
    store.save(rb)?;
    if mentor {
        p.say("Mentor mode: each question says why it matters; before each verdict you predict the winner and say why.");
    }

    loop {
        session::collect(rb, &topics, &mut store, p, mentor)?;
        match session::review(rb, &topics, &mut store, p, mentor)? {
            Review::Accept => break,
            Review::StartOver => {
                store.answers.entries.clear();
                store.save(rb)?;
            }
        }
    }

    let Decided {
        resolution,
        evaluation,
    } = evaluate_answers(rb, &store.answers, &topics)?;
    super::output::warnings(&resolution.warnings);
    let decision = Decision {
        rb,
        answers: &store.answers,
        resolution: &resolution,
        evaluation: &evaluation,
    };
    let options = TableOptions {
        color: console::colors_enabled(),
        width: table_width(),
    };
    if mentor {
        let mut records = Vec::new();
        let decided = evaluation.decided(&resolution.facts);
        for (topic, outcome) in decision.topics() {
            let prediction = session::predict(p, topic)?;
            let single = crate::eval::Evaluation {
                topics: vec![crate::eval::evaluate_topic(rb, &decided, topic)],
                risks: Vec::new(),
            };
            let one = Decision {
                rb,
                answers: &store.answers,
                resolution: &resolution,
                evaluation: &single,
            };
            emit(&format!("\n{}", report::table::render(&one, &options)))?;
            let (text, record) =
                report::mentor::reveal(rb, topic, outcome, &prediction.option, &prediction.why);
            emit(&format!("\n{text}"))?;
            records.push(record);
        }
        let date = super::commands::adr_date();
        let summary = report::mentor::summary(rb, store.answers.title.as_deref(), &date, &records);
        let target = match &args.summary {
            Some(path) => Some(path.clone()),
            None => offer_path(
                p,
                "Save a summary of the session for the mentor?",
                "mentor-summary.md",
            )?,
        };
        if let Some(target) = target {
            store::write_atomically(&target, &summary).map_err(|e| Failure::CantCreate {
                path: target.display().to_string(),
                reason: e.to_string(),
            })?;
            status(&format!("wrote {}", target.display()));
        }
    } else {
        emit(&report::table::render(&decision, &options))?;
    }

    let adr_items = vec!["No".to_owned(), "Yes".to_owned()];
    if p.select(
        "Write decision records (ADRs) for these decisions?",
        &adr_items,
        0,
    )? == 1
    {
        let cwd = std::env::current_dir().unwrap_or_default();
        let default = crate::adr::dir::find(&cwd).map_or_else(
            || PathBuf::from("docs/decisions"),
            |f| crate::adr::dir::relative(&f.dir, &cwd),
        );
        let dir = p.input(
            "Into which directory?",
            &default.display().to_string(),
            &|t: &str| {
                if t.trim().is_empty() {
                    Err("a directory, e.g. docs/decisions".to_owned())
                } else {
                    Ok(())
                }
            },
        )?;
        write_records(&decision, Path::new(dir.trim()))?;
    }
    if let Some(target) = offer_path(
        p,
        "Save the answers, to replay with `tradeoff decide --answers`?",
        "answers.toml",
    )? {
        store::write_atomically(&target, &store::to_toml(rb, &store.answers)).map_err(|e| {
            Failure::CantCreate {
                path: target.display().to_string(),
                reason: e.to_string(),
            }
        })?;
        status(&format!(
            "saved {}; replay with `tradeoff decide --answers {}`",
            target.display(),
            target.display()
        ));
    }
    store.remove();
    Ok(())
}

/// Offers to save to `default`, another path, or not at all; never
/// overwrites an existing file without asking.
fn offer_path(
    p: &mut dyn Prompter,
    question: &str,
    default: &str,
) -> Result<Option<PathBuf>, PromptError> {
    let items = vec![
        format!("Yes, to {default}"),
        "Yes, somewhere else".to_owned(),
        "No".to_owned(),
    ];
    let mut path = match p.select(question, &items, 0)? {
        0 => PathBuf::from(default),
        1 => PathBuf::from(
            p.input("File name", default, &|t: &str| {
                if t.trim().is_empty() {
                    Err("a file name".into())
                } else {
                    Ok(())
                }
            })?
            .trim(),
        ),
        _ => return Ok(None),
    };
    while path.exists() {
        let items = vec![
            "Replace it".to_owned(),
            "Choose another name".to_owned(),
            "Don't save".to_owned(),
        ];
        match p.select(&format!("{} already exists", path.display()), &items, 1)? {
            0 => break,
            1 => {
                path = PathBuf::from(
                    p.input("File name", &path.display().to_string(), &|_| Ok(()))?
                        .trim(),
                )
            }
            _ => return Ok(None),
        }
    }
    Ok(Some(path))
}

/// The error for a session without a terminal: what is missing, and how to
/// decide without one.
fn not_a_terminal(rb: &RuleBase, prefill: &AnswerSet, topic_ids: &[String]) -> anyhow::Error {
    let topics = select_topics(rb, topic_ids, &prefill.topics).unwrap_or_default();
    let missing: Vec<String> = match resolve(rb, prefill, &topics) {
        Ok(_) => Vec::new(),
        Err(e) => e
            .diagnostics
            .iter()
            .filter(|d| d.message.starts_with("missing answer to"))
            .filter_map(|d| d.message.split('`').nth(1).map(str::to_owned))
            .collect(),
    };
    let mut message = "`tradeoff ask` needs a terminal, and standard input is not one".to_owned();
    message.push_str("\n  help: decide from a file instead: `tradeoff decide --answers FILE`");
    if missing.is_empty() {
        message.push_str(" (the answers given are complete)");
    } else {
        message.push_str(&format!(
            "\n  help: these answers are missing: {}",
            missing.join(", ")
        ));
        message.push_str(
            "\n  help: `tradeoff questions --format toml > answers.toml` writes a file to fill in",
        );
    }
    Failure::Usage(message).into()
}
