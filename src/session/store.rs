//! The session file: every answer, saved the moment it is given.
//!
//! It is an ordinary answers file (title, topics, `[answers]`), so an
//! interrupted session can be resumed with `tradeoff ask --resume` and a
//! finished one replayed with `tradeoff decide --answers`. Comments divide
//! the answers by where they came from, and `--resume` reads them back:
//!
//! ```toml
//! [answers]
//! # Given before the session:
//! ops_maturity = "medium"
//! # Answered in the session:
//! consistency = "strong"
//! # Not chosen: defaults that tradeoff assumes, and reports as assumed:
//! # hot_keys = false
//! ```
//!
//! A default the user kept without choosing it is written commented out:
//! left unanswered, the question takes its default when the answers are
//! evaluated, and every report lists it as assumed. Each save writes a
//! temporary file and renames it over the old one: a crash or a closed
//! terminal never leaves half a file.

use crate::answers::{AnswerSet, Given, Origin};
use crate::diagnostic::DataError;
use crate::ids::{QuestionId, TopicId};
use crate::rulebase::RuleBase;
use crate::source::SourceFile;
use crate::value::Answer;
use std::collections::BTreeSet;
use std::io;
use std::path::{Path, PathBuf};

const GIVEN_BEFORE: &str = "# Given before the session:";
const ANSWERED: &str = "# Answered in the session:";
const NOT_CHOSEN: &str = "# Not chosen: defaults that tradeoff assumes, and reports as assumed:";

pub struct Store {
    pub path: PathBuf,
    /// The answers given: before the session (an answers file, `--set`, a
    /// record) and in it (`Origin::Prompt`).
    pub answers: AnswerSet,
    /// Questions asked whose default the user kept without choosing it.
    pub assumed: BTreeSet<QuestionId>,
}

impl Store {
    pub fn new(path: PathBuf, answers: AnswerSet) -> Self {
        Self {
            path,
            answers,
            assumed: BTreeSet::new(),
        }
    }

    /// Loads a saved session, with which answers the session gave and which
    /// defaults it kept.
    pub fn load(rb: &RuleBase, path: &Path) -> Result<Self, SessionFileError> {
        let text = std::fs::read_to_string(path).map_err(SessionFileError::Read)?;
        let file = SourceFile::new(path.display().to_string(), text);
        let mut answers = AnswerSet::parse(rb, &file).map_err(SessionFileError::Invalid)?;
        let text = file.text();
        if let Some(start) = text.find(ANSWERED) {
            for given in answers.entries.values_mut() {
                if matches!(&given.origin, Origin::File(span) if span.range.start > start) {
                    given.origin = Origin::Prompt;
                }
            }
        }
        let assumed = text
            .find(NOT_CHOSEN)
            .map(|start| commented_ids(rb, &text[start..]))
            .unwrap_or_default();
        Ok(Self {
            path: path.to_path_buf(),
            answers,
            assumed,
        })
    }

    /// The user's answer to a question.
    pub fn set(&mut self, question: &QuestionId, answer: Answer) {
        self.assumed.remove(question);
        self.answers.entries.insert(
            question.clone(),
            Given {
                answer,
                origin: Origin::Prompt,
            },
        );
    }

    /// The user kept the question's default without choosing it.
    pub fn assume(&mut self, question: &QuestionId) {
        self.answers.entries.remove(question);
        self.assumed.insert(question.clone());
    }

    /// Forgets whatever the session has for a question.
    pub fn forget(&mut self, question: &QuestionId) {
        self.answers.entries.remove(question);
        self.assumed.remove(question);
    }

    /// Whether the question has been dealt with: answered, or its default kept.
    pub fn settled(&self, question: &QuestionId) -> bool {
        self.answers.entries.contains_key(question) || self.assumed.contains(question)
    }

    /// Whether the session asked this question (rather than taking its
    /// answer from before the session).
    pub fn asked(&self, question: &QuestionId) -> bool {
        self.assumed.contains(question)
            || self
                .answers
                .entries
                .get(question)
                .is_some_and(|g| matches!(g.origin, Origin::Prompt))
    }

    /// How many answers were given before the session.
    pub fn given_before(&self) -> usize {
        self.answers
            .entries
            .values()
            .filter(|g| !matches!(g.origin, Origin::Prompt))
            .count()
    }

    pub fn topics(&self) -> &[TopicId] {
        &self.answers.topics
    }

    /// Writes the session atomically, creating its directory if need be.
    pub fn save(&self, rb: &RuleBase) -> io::Result<()> {
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        write_atomically(&self.path, &to_toml(rb, &self.answers, &self.assumed))
    }

    pub fn remove(&self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// The question ids in `# id = value` lines of `text`.
fn commented_ids(rb: &RuleBase, text: &str) -> BTreeSet<QuestionId> {
    text.lines()
        .filter_map(|line| line.strip_prefix("# "))
        .filter_map(|line| line.split_once(" = "))
        .filter_map(|(id, _)| rb.question(id.trim()).map(|q| q.id.clone()))
        .collect()
}

#[derive(Debug, thiserror::Error)]
pub enum SessionFileError {
    #[error("cannot read the session: {0}")]
    Read(io::Error),
    #[error(transparent)]
    Invalid(DataError),
}

/// An answers file for these answers, in questionnaire order within each
/// group: those given before the session, those answered in it, and the
/// defaults kept without choosing, commented out.
pub fn to_toml(rb: &RuleBase, answers: &AnswerSet, assumed: &BTreeSet<QuestionId>) -> String {
    let mut out = String::from(
        "# Answers saved by `tradeoff ask`. Replay with: tradeoff decide --answers THIS_FILE\n",
    );
    if let Some(title) = &answers.title {
        out.push_str(&format!("title = {}\n", toml::Value::String(title.clone())));
    }
    let topics: Vec<String> = answers.topics.iter().map(|t| format!("\"{t}\"")).collect();
    out.push_str(&format!("topics = [{}]\n\n[answers]\n", topics.join(", ")));
    for (heading, in_session) in [(GIVEN_BEFORE, false), (ANSWERED, true)] {
        let lines: Vec<String> = rb
            .questions()
            .iter()
            .filter_map(|q| answers.entries.get(&q.id).map(|g| (q, g)))
            .filter(|(_, g)| matches!(g.origin, Origin::Prompt) == in_session)
            .map(|(q, g)| format!("{} = {}\n", q.id, g.answer.to_toml()))
            .collect();
        if !lines.is_empty() {
            out.push_str(heading);
            out.push('\n');
            out.extend(lines);
        }
    }
    let kept: Vec<String> = rb
        .questions()
        .iter()
        .filter(|q| assumed.contains(&q.id))
        .filter_map(|q| {
            q.default
                .as_ref()
                .map(|d| format!("# {} = {}\n", q.id, d.to_toml()))
        })
        .collect();
    if !kept.is_empty() {
        out.push_str(NOT_CHOSEN);
        out.push('\n');
        out.extend(kept);
    }
    out
}

/// A temporary file in the same directory, renamed over the target.
pub fn write_atomically(path: &Path, text: &str) -> io::Result<()> {
    crate::fsio::replace(path, text)
}
