//! The session file: every answer, saved the moment it is given.
//!
//! It is an ordinary answers file (title, topics, `[answers]` in asking
//! order), so an interrupted session can be resumed with `tradeoff ask
//! --resume` and a finished one replayed with `tradeoff decide --answers`.
//! Each save writes a temporary file and renames it over the old one: a
//! crash or a closed terminal never leaves half a file.

use crate::answers::{AnswerSet, Given, Origin};
use crate::diagnostic::DataError;
use crate::ids::{QuestionId, TopicId};
use crate::rulebase::RuleBase;
use crate::source::SourceFile;
use crate::value::Answer;
use std::io;
use std::path::{Path, PathBuf};

pub struct Store {
    pub path: PathBuf,
    pub answers: AnswerSet,
}

impl Store {
    pub fn new(path: PathBuf, answers: AnswerSet) -> Self {
        Self { path, answers }
    }

    /// Loads a saved session.
    pub fn load(rb: &RuleBase, path: &Path) -> Result<Self, SessionFileError> {
        let text = std::fs::read_to_string(path).map_err(SessionFileError::Read)?;
        let file = SourceFile::new(path.display().to_string(), text);
        let answers = AnswerSet::parse(rb, &file).map_err(SessionFileError::Invalid)?;
        Ok(Self {
            path: path.to_path_buf(),
            answers,
        })
    }

    pub fn set(&mut self, question: &QuestionId, answer: Answer) {
        self.answers.entries.insert(
            question.clone(),
            Given {
                answer,
                origin: Origin::Prompt,
            },
        );
    }

    pub fn topics(&self) -> &[TopicId] {
        &self.answers.topics
    }

    /// Writes the session atomically.
    pub fn save(&self, rb: &RuleBase) -> io::Result<()> {
        write_atomically(&self.path, &to_toml(rb, &self.answers))
    }

    pub fn remove(&self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SessionFileError {
    #[error("cannot read the session: {0}")]
    Read(io::Error),
    #[error(transparent)]
    Invalid(DataError),
}

/// An answers file for these answers, in questionnaire order.
pub fn to_toml(rb: &RuleBase, answers: &AnswerSet) -> String {
    let mut out = String::from(
        "# Answers saved by `tradeoff ask`. Replay with: tradeoff decide --answers THIS_FILE\n",
    );
    if let Some(title) = &answers.title {
        out.push_str(&format!("title = {}\n", toml::Value::String(title.clone())));
    }
    let topics: Vec<String> = answers.topics.iter().map(|t| format!("\"{t}\"")).collect();
    out.push_str(&format!("topics = [{}]\n\n[answers]\n", topics.join(", ")));
    for question in rb.questions() {
        if let Some(given) = answers.entries.get(&question.id) {
            out.push_str(&format!("{} = {}\n", question.id, given.answer.to_toml()));
        }
    }
    out
}

/// A temporary file in the same directory, renamed over the target.
pub fn write_atomically(path: &Path, text: &str) -> io::Result<()> {
    crate::fsio::replace(path, text)
}
