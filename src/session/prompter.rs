//! Prompts, behind a trait: the terminal implementation lives at the CLI
//! edge; [`Scripted`] replays answers for tests of the flow.
//!
//! A prompt tells apart what the user chose from what was already there:
//! Enter on the item a menu starts on, or on an empty line that has a
//! default, *keeps* it ([`Picked::Kept`], `None` from [`Prompter::input`]).
//! The session records a question's default kept that way as assumed, never
//! as the user's answer. A menu may start on nothing at all, and then Enter
//! alone chooses nothing.

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

/// A menu to choose from.
#[derive(Debug, Clone, Copy)]
pub struct Menu<'a> {
    pub prompt: &'a str,
    pub items: &'a [String],
    /// The item the cursor starts on; `None`: none, and Enter alone chooses
    /// nothing until the user moves to an item.
    pub cursor: Option<usize>,
    /// `?` asks why the question matters.
    pub help: bool,
    /// Typing filters the items (for long lists).
    pub filter: bool,
}

impl<'a> Menu<'a> {
    /// A plain menu that starts on `cursor`.
    pub fn new(prompt: &'a str, items: &'a [String], cursor: usize) -> Self {
        Self {
            prompt,
            items,
            cursor: Some(cursor),
            help: false,
            filter: false,
        }
    }
}

/// What the user did at a menu.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Picked {
    /// Moved to this item and chose it.
    Chosen(usize),
    /// Pressed Enter on the item the menu started on, without moving.
    Kept(usize),
    /// Pressed `?`: why does this matter?
    Help,
}

impl Picked {
    /// The item, chosen or kept; `None` for help.
    pub fn item(self) -> Option<usize> {
        match self {
            Picked::Chosen(i) | Picked::Kept(i) => Some(i),
            Picked::Help => None,
        }
    }
}

/// What the user did at a menu of checkboxes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    /// The items checked, in order.
    pub items: Vec<usize>,
    /// Whether the user changed any checkbox.
    pub touched: bool,
    /// The user pressed `?` (the checks are kept, to ask again).
    pub help: bool,
}

/// What the session needs from a terminal.
pub trait Prompter {
    /// One of the menu's items, or help.
    fn select(&mut self, menu: &Menu<'_>) -> Result<Picked, PromptError>;
    /// Any of the menu's items; `checked` are checked at the start.
    fn multi_select(&mut self, menu: &Menu<'_>, checked: &[bool]) -> Result<Checked, PromptError>;
    /// A line of text, re-asked until `validate` accepts it. With a
    /// `default` (shown as a placeholder, never as editable text), Enter on
    /// an empty line keeps it: `None`.
    fn input(
        &mut self,
        prompt: &str,
        default: Option<&str>,
        validate: &dyn Fn(&str) -> Result<(), String>,
    ) -> Result<Option<String>, PromptError>;
    /// Tells the user something (on the prompt stream).
    fn say(&mut self, text: &str);
    /// Shows a verdict, apart from the prompts (at a terminal, on standard
    /// output, so that it can be kept).
    fn show(&mut self, text: &str) -> io::Result<()>;
    /// Shows the warnings about the answers (on the prompt stream).
    fn warn(&mut self, warnings: &[Diagnostic]);
    /// How many columns the prompt stream has, to wrap what is said.
    fn width(&self) -> usize {
        80
    }
}

/// A plain menu: the item chosen or kept (help is not offered).
pub fn choose(
    p: &mut dyn Prompter,
    prompt: &str,
    items: &[String],
    cursor: usize,
) -> Result<usize, PromptError> {
    loop {
        if let Some(i) = p.select(&Menu::new(prompt, items, cursor))?.item() {
            return Ok(i);
        }
    }
}

/// A line of text where Enter keeps `default`: the text either way.
pub fn line(
    p: &mut dyn Prompter,
    prompt: &str,
    default: &str,
    validate: &dyn Fn(&str) -> Result<(), String>,
) -> Result<String, PromptError> {
    Ok(p.input(prompt, Some(default), validate)?
        .unwrap_or_else(|| default.to_owned()))
}

/// One scripted reply.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// Move to the item whose text contains this, and choose it.
    Pick(&'static str),
    /// Check exactly the items whose texts contain these.
    Check(Vec<&'static str>),
    /// Type this line.
    Type(&'static str),
    /// Press Enter: keep what the menu starts on, or the default. On a menu
    /// that starts on nothing, or an input without a default, Enter does
    /// nothing and the next reply is read.
    Default,
    /// Press `?`.
    Help,
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

    fn next(&mut self) -> Result<Reply, PromptError> {
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
        .ok_or_else(|| unexpected(format!("no item {needle:?} in {items:?}")))
}

fn unexpected(message: String) -> PromptError {
    PromptError::Io(std::io::Error::other(message))
}

impl Prompter for Scripted {
    fn select(&mut self, menu: &Menu<'_>) -> Result<Picked, PromptError> {
        self.transcript.push(format!("? {}", menu.prompt));
        loop {
            match self.next()? {
                Reply::Pick(needle) => return Ok(Picked::Chosen(find(menu.items, needle)?)),
                Reply::Default => match menu.cursor {
                    Some(i) => return Ok(Picked::Kept(i)),
                    None => self.transcript.push("! nothing chosen".to_owned()),
                },
                Reply::Help if menu.help => return Ok(Picked::Help),
                other => return Err(unexpected(format!("{other:?} at a select"))),
            }
        }
    }

    fn multi_select(&mut self, menu: &Menu<'_>, checked: &[bool]) -> Result<Checked, PromptError> {
        self.transcript.push(format!("? {}", menu.prompt));
        let given: Vec<usize> = (0..checked.len()).filter(|&i| checked[i]).collect();
        match self.next()? {
            Reply::Check(needles) => {
                let items = needles
                    .iter()
                    .map(|n| find(menu.items, n))
                    .collect::<Result<Vec<_>, _>>()?;
                let touched = items != given;
                Ok(Checked {
                    items,
                    touched,
                    help: false,
                })
            }
            Reply::Default => Ok(Checked {
                items: given,
                touched: false,
                help: false,
            }),
            Reply::Help if menu.help => Ok(Checked {
                items: given,
                touched: false,
                help: true,
            }),
            other => Err(unexpected(format!("{other:?} at a multi-select"))),
        }
    }

    fn input(
        &mut self,
        prompt: &str,
        default: Option<&str>,
        validate: &dyn Fn(&str) -> Result<(), String>,
    ) -> Result<Option<String>, PromptError> {
        self.transcript.push(format!("? {prompt}"));
        loop {
            let text = match self.next()? {
                Reply::Type(text) => text.to_owned(),
                Reply::Default => String::new(),
                other => return Err(unexpected(format!("{other:?} at an input"))),
            };
            if text.is_empty() && default.is_some() {
                return Ok(None);
            }
            match validate(&text) {
                Ok(()) => return Ok(Some(text)),
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
