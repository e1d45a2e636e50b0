//! `tradeoff ask` (and `tradeoff mentor`, and plain `tradeoff`): the
//! interactive session at the terminal.
//!
//! Prompts are drawn on standard error (dialoguer), verdicts go to standard
//! output. Without a terminal the session refuses at once, naming the
//! answers that are missing and the command that takes a file instead; it
//! never waits on input that cannot come. Ctrl-C restores the cursor and
//! exits with 130; every answer given so far is already in the session file.
//!
//! The session itself (`session::run`) is terminal-free; this module gives it
//! a terminal, the options from the command line, and the decision records'
//! writer, and turns the ways it can stop into exit codes.

use super::args::{AskArgs, Cli};
use super::commands::write_records;
use super::commands::{adr_date, load_answers, load_rule_base, select_topics, with_context};
use super::output::{emit, table_width, warnings};
use super::{Failure, Interrupted};
use crate::answers::AnswerSet;
use crate::decide::resolve;
use crate::diagnostic::Diagnostic;
use crate::ids::TopicId;
use crate::report::table::TableOptions;
use crate::rulebase::RuleBase;
use crate::session::{self, PromptError, Prompter, SessionError};
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

    fn show(&mut self, text: &str) -> std::io::Result<()> {
        emit(text)
    }

    fn warn(&mut self, diagnostics: &[Diagnostic]) {
        warnings(diagnostics);
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
    let cwd = std::env::current_dir().unwrap_or_default();
    let records_dir = crate::adr::dir::find(&cwd).ok().flatten().map_or_else(
        || PathBuf::from("docs/decisions"),
        |f| crate::adr::dir::relative(&f.dir, &cwd),
    );
    let topics: Vec<TopicId> = args
        .topics
        .iter()
        .map(|t| TopicId::new(t.as_str()))
        .collect();
    let date = adr_date();
    let options = session::Options {
        session: &session_path,
        resume: args.resume,
        topics: &topics,
        mentor,
        summary: args.summary.as_deref(),
        date: &date,
        table: TableOptions {
            color: console::colors_enabled(),
            width: table_width(),
        },
        records_dir: &records_dir,
        dir: &cwd,
    };
    let mut p = Terminal::new();
    let result = session::run(&rb, &options, prefill, &mut p, &mut write_records);
    let _ = p.term.show_cursor();
    result.map_err(|e| stopped(e, &session_path))
}

/// Why the session stopped, as the error that gives it its exit code.
fn stopped(error: SessionError<anyhow::Error>, session: &Path) -> anyhow::Error {
    match error {
        SessionError::Prompt(PromptError::Interrupted) => Interrupted(resume_hint(session)).into(),
        SessionError::Prompt(e) => e.into(),
        SessionError::NothingToResume { path, error } => Failure::NoInput {
            path: path.display().to_string(),
            reason: format!("{error}; there is no unfinished session to resume"),
        }
        .into(),
        SessionError::Invalid(e) => e.into(),
        SessionError::Topics(message) => Failure::Usage(message).into(),
        SessionError::Io(e) => e.into(),
        SessionError::CantWrite { path, error } => Failure::CantCreate {
            path: path.display().to_string(),
            reason: error.to_string(),
        }
        .into(),
        SessionError::Records(e) => e,
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
