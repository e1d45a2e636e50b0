//! `tradeoff ask` (and `tradeoff mentor`, and plain `tradeoff`): the
//! interactive session at the terminal.
//!
//! Prompts are drawn on standard error (menus by [`super::menu`], lines of
//! text by dialoguer), verdicts go to standard output. Without a terminal on
//! standard input or standard error the session refuses at once, naming
//! which, the answers that are missing and the command that takes a file
//! instead; it never waits on input that cannot come. The session file is
//! kept under the user's state directory ([`session::location`]). Ctrl-C,
//! SIGTERM and SIGHUP restore the terminal ([`super::signals`]); Ctrl-C says
//! truthfully whether anything was saved.
//!
//! The session itself (`session::run`) is terminal-free; this module gives it
//! a terminal, the options from the command line, and the decision records'
//! writer, and turns the ways it can stop into exit codes.

use super::args::{Cli, SessionArgs};
use super::commands::write_records;
use super::commands::{Input, adr_date, load_input, select_topics};
use super::output::{emit, table_width, terminal_safe, warnings};
use super::{Failure, Interrupted, menu};
use crate::answers::AnswerSet;
use crate::decide::missing_answers;
use crate::diagnostic::Diagnostic;
use crate::ids::TopicId;
use crate::report::table::TableOptions;
use crate::rulebase::RuleBase;
use crate::session::{self, Checked, Menu, Picked, PromptError, Prompter, SessionError};
use anyhow::Result;
use console::Term;
use dialoguer::theme::{ColorfulTheme, SimpleTheme, Theme};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

struct Terminal {
    term: Term,
    /// dialoguer's look, for lines of text.
    theme: Box<dyn Theme>,
    /// The menus' look.
    look: menu::Look,
}

impl Terminal {
    fn new() -> Self {
        let color = console::colors_enabled_stderr();
        let theme: Box<dyn Theme> = if color {
            Box::new(ColorfulTheme::default())
        } else {
            Box::new(SimpleTheme)
        };
        Self {
            term: Term::stderr(),
            theme,
            look: menu::Look::new(color),
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

/// A menu's prompt and items with control characters from the rule base or
/// the answers shown as their pictures, as every other output shows them.
fn safe_items(menu: &Menu<'_>) -> (String, Vec<String>) {
    (
        terminal_safe(menu.prompt).into_owned(),
        menu.items
            .iter()
            .map(|item| terminal_safe(item).into_owned())
            .collect(),
    )
}

impl Prompter for Terminal {
    fn select(&mut self, menu: &Menu<'_>) -> Result<Picked, PromptError> {
        let (prompt, items) = safe_items(menu);
        let safe = Menu {
            prompt: &prompt,
            items: &items,
            ..*menu
        };
        menu::select(&self.term, &self.look, &safe)
    }

    fn multi_select(&mut self, menu: &Menu<'_>, checked: &[bool]) -> Result<Checked, PromptError> {
        let (prompt, items) = safe_items(menu);
        let safe = Menu {
            prompt: &prompt,
            items: &items,
            ..*menu
        };
        menu::multi_select(&self.term, &self.look, &safe, checked)
    }

    /// A line of text (dialoguer). The default is not text to edit: the
    /// caller shows it in the prompt, and an empty line keeps it.
    fn input(
        &mut self,
        prompt: &str,
        default: Option<&str>,
        validate: &dyn Fn(&str) -> Result<(), String>,
    ) -> Result<Option<String>, PromptError> {
        let prompt = &*terminal_safe(prompt);
        let text = dialoguer::Input::<String>::with_theme(&*self.theme)
            .with_prompt(prompt)
            .report(false)
            .allow_empty(true)
            .validate_with(|text: &String| {
                if text.is_empty() && default.is_some() {
                    Ok(())
                } else {
                    validate(text)
                }
            })
            .interact_text_on(&self.term)
            .map_err(prompt_error)?;
        let kept = text.is_empty() && default.is_some();
        let shown = terminal_safe(if kept { default.unwrap_or("") } else { &text });
        let _ = self.term.write_line(&format!(
            "{} {prompt} · {shown}",
            console::style("✔").green().for_stderr()
        ));
        Ok(if kept { None } else { Some(text) })
    }

    fn say(&mut self, text: &str) {
        let text = terminal_safe(text);
        let width = self.width();
        for paragraph in text.split('\n') {
            if paragraph.is_empty() {
                let _ = self.term.write_line("");
                continue;
            }
            for line in textwrap::wrap(paragraph, width) {
                let _ = self.term.write_line(&line);
            }
        }
    }

    fn show(&mut self, text: &str) -> std::io::Result<()> {
        emit(text)
    }

    fn warn(&mut self, diagnostics: &[Diagnostic]) {
        warnings(diagnostics);
    }

    fn width(&self) -> usize {
        usize::from(self.term.size().1).saturating_sub(1).max(20)
    }
}

pub fn run(cli: &Cli, args: &SessionArgs, mentor: bool) -> Result<()> {
    let Input {
        rb,
        answers: mut prefill,
        ..
    } = load_input(cli, &args.input)?;
    if let Some(stream) = not_a_terminal_stream() {
        return Err(not_a_terminal(stream, &rb, &prefill, &args.topics));
    }
    let cwd = std::env::current_dir().unwrap_or_default();
    let named = args.session.is_some();
    let session_path = args
        .session
        .clone()
        .unwrap_or_else(|| session::location::default_path(&cwd, &|name| std::env::var(name).ok()));
    let hint_path = session_path.clone();
    super::signals::install(Box::new(move || interrupted(&hint_path, named)));
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
    drop_irrelevant_inferences(&rb, &args.topics, &mut prefill)?;
    let mut p = Terminal::new();
    let result = session::inferred::confirm(&rb, &mut prefill, &mut p)
        .map_err(SessionError::Prompt)
        .and_then(|()| session::run(&rb, &options, prefill, &mut p, &mut write_records));
    let _ = p.term.show_cursor();
    result.map_err(|e| stopped(e, &session_path, named))
}

/// With `--topic`, inferences for questions those topics do not read are
/// not worth the person's time to confirm.
fn drop_irrelevant_inferences(
    rb: &RuleBase,
    topics: &[String],
    answers: &mut AnswerSet,
) -> Result<()> {
    if topics.is_empty() {
        return Ok(());
    }
    let selected = select_topics(rb, topics, &[])?;
    let questions: Vec<String> = rb
        .relevant_questions(&selected)
        .iter()
        .map(|q| q.id.to_string())
        .collect();
    answers.entries.retain(|id, given| {
        !matches!(given.origin, crate::answers::Origin::Inferred(_))
            || questions.contains(&id.to_string())
    });
    Ok(())
}

/// Why the session stopped, as the error that gives it its exit code.
fn stopped(error: SessionError<anyhow::Error>, session: &Path, named: bool) -> anyhow::Error {
    match error {
        SessionError::Prompt(PromptError::Interrupted) => {
            Interrupted(interrupted(session, named)).into()
        }
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

/// What an interruption leaves: the saved session and how to continue it,
/// or nothing at all. `named`: the session file was given with `--session`.
fn interrupted(path: &Path, named: bool) -> String {
    if !path.exists() {
        return "nothing was saved".to_owned();
    }
    let flag = if named {
        format!(" --session {}", path.display())
    } else {
        String::new()
    };
    format!(
        "your answers so far are saved in {}; continue with `tradeoff ask --resume{flag}` \
         (from this directory)",
        path.display()
    )
}

/// The stream a session needs as a terminal and does not have: standard
/// input, where the keys come from, or standard error, where the prompts
/// are drawn.
fn not_a_terminal_stream() -> Option<&'static str> {
    if !std::io::stdin().is_terminal() {
        Some("standard input")
    } else if !Term::stderr().is_term() {
        Some("standard error")
    } else {
        None
    }
}

/// The error for a session without a terminal: which stream is not one,
/// what is missing, and how to decide without one.
fn not_a_terminal(
    stream: &str,
    rb: &RuleBase,
    prefill: &AnswerSet,
    topic_ids: &[String],
) -> anyhow::Error {
    let topics = select_topics(rb, topic_ids, &prefill.topics).unwrap_or_default();
    let missing: Vec<String> = missing_answers(rb, prefill, &topics)
        .iter()
        .map(ToString::to_string)
        .collect();
    let mut message = format!("`tradeoff ask` needs a terminal, and {stream} is not one");
    if stream == "standard error" {
        message.push_str(
            "\n  help: the questions are drawn on standard error: run it without `2>` redirecting it",
        );
    }
    message.push_str("\n  help: decide from a file instead: `tradeoff decide --answers FILE`");
    if missing.is_empty() {
        message.push_str(" (the answers given are complete)");
    } else {
        message.push_str(&format!(
            "\n  help: {} missing: {}",
            crate::words::count(missing.len(), "answer is", "answers are"),
            missing.join(", ")
        ));
        message.push_str(
            "\n  help: `tradeoff questions --format toml > answers.toml` writes a file to fill in",
        );
    }
    Failure::Usage(message).into()
}
