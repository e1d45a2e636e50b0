//! Prompts, behind a trait: the terminal implementation lives at the CLI
//! edge (dialoguer); [`Scripted`] replays answers for tests of the flow.

use crate::diagnostic::Diagnostic;
use std::collections::VecDeque;
use std::io;

/// Why a prompt returned no answer.
#[derive(Debug, thiserror::Error)]
pub enum PromptError {
    /// The user pressed Ctrl-C.
    #[error("interrupted")]
    Interrupted,
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// What the session needs from a terminal.
pub trait Prompter {
    /// One of `items`; `default` is pre-selected.
    fn select(
        &mut self,
        prompt: &str,
        items: &[String],
        default: usize,
    ) -> Result<usize, PromptError>;
    /// Any of `items`; `defaults` are pre-checked.
    fn multi_select(
        &mut self,
        prompt: &str,
        items: &[String],
        defaults: &[bool],
    ) -> Result<Vec<usize>, PromptError>;
    /// A line of text, re-asked until `validate` accepts it.
    fn input(
        &mut self,
        prompt: &str,
        initial: &str,
        validate: &dyn Fn(&str) -> Result<(), String>,
    ) -> Result<String, PromptError>;
    /// Tells the user something (on the prompt stream).
    fn say(&mut self, text: &str);
    /// Shows a verdict, apart from the prompts (at a terminal, on standard
    /// output, so that it can be kept).
    fn show(&mut self, text: &str) -> io::Result<()>;
    /// Shows the warnings about the answers (on the prompt stream).
    fn warn(&mut self, warnings: &[Diagnostic]);
}

/// One scripted reply.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// Pick the item whose text contains this.
    Pick(&'static str),
    /// Check exactly the items whose texts contain these.
    Check(Vec<&'static str>),
    /// Type this line.
    Type(&'static str),
    /// Accept what is pre-selected or pre-filled.
    Default,
    /// Press Ctrl-C.
    Interrupt,
}

/// Replays scripted replies and records what was shown, for tests.
#[derive(Debug, Default)]
pub struct Scripted {
    pub replies: VecDeque<Reply>,
    /// Every prompt and message, in order: prompts start with `? `, an
    /// answer the prompt rejected with `! `.
    pub transcript: Vec<String>,
    /// Every verdict shown, in order.
    pub shown: Vec<String>,
}

impl Scripted {
    pub fn new(replies: Vec<Reply>) -> Self {
        Self {
            replies: replies.into(),
            ..Self::default()
        }
    }

    fn next(&mut self, prompt: &str) -> Result<Reply, PromptError> {
        self.transcript.push(format!("? {prompt}"));
        match self.replies.pop_front() {
            Some(Reply::Interrupt) | None => Err(PromptError::Interrupted),
            Some(reply) => Ok(reply),
        }
    }
}

fn find(items: &[String], needle: &str) -> Result<usize, PromptError> {
    items
        .iter()
        .position(|i| i.contains(needle))
        .ok_or_else(|| {
            PromptError::Io(std::io::Error::other(format!(
                "no item {needle:?} in {items:?}"
            )))
        })
}

impl Prompter for Scripted {
    fn select(
        &mut self,
        prompt: &str,
        items: &[String],
        default: usize,
    ) -> Result<usize, PromptError> {
        match self.next(prompt)? {
            Reply::Pick(needle) => find(items, needle),
            Reply::Default => Ok(default),
            other => Err(PromptError::Io(std::io::Error::other(format!(
                "{other:?} at a select"
            )))),
        }
    }

    fn multi_select(
        &mut self,
        prompt: &str,
        items: &[String],
        defaults: &[bool],
    ) -> Result<Vec<usize>, PromptError> {
        match self.next(prompt)? {
            Reply::Check(needles) => needles.iter().map(|n| find(items, n)).collect(),
            Reply::Default => Ok(defaults
                .iter()
                .enumerate()
                .filter(|(_, d)| **d)
                .map(|(i, _)| i)
                .collect()),
            other => Err(PromptError::Io(std::io::Error::other(format!(
                "{other:?} at a multi-select"
            )))),
        }
    }

    fn input(
        &mut self,
        prompt: &str,
        initial: &str,
        validate: &dyn Fn(&str) -> Result<(), String>,
    ) -> Result<String, PromptError> {
        loop {
            let text = match self.next(prompt)? {
                Reply::Type(text) => text.to_owned(),
                Reply::Default => initial.to_owned(),
                other => {
                    return Err(PromptError::Io(std::io::Error::other(format!(
                        "{other:?} at an input"
                    ))));
                }
            };
            match validate(&text) {
                Ok(()) => return Ok(text),
                Err(e) => self.transcript.push(format!("! {e}")),
            }
        }
    }

    fn say(&mut self, text: &str) {
        self.transcript.push(text.to_owned());
    }

    fn show(&mut self, text: &str) -> io::Result<()> {
        self.shown.push(text.to_owned());
        Ok(())
    }

    fn warn(&mut self, warnings: &[Diagnostic]) {
        for w in warnings {
            self.transcript.push(w.render(false));
        }
    }
}
