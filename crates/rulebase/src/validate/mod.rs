//! Validation: from raw TOML shapes to a checked rule base.
//!
//! One pass over every file collects every problem, each at its exact
//! position: unknown question, option, choice or source ids (with "did you
//! mean"), comparisons that do not fit a question's kind, duplicate ids,
//! missing text, rules without rationale or sources. A file with a syntax
//! error is skipped after its one error is reported, and the other files are
//! still checked, so a user fixes the whole rule base in one round.
//!
//! Each part of a rule base is checked by a module of its own (`sources`,
//! `questions`, `conditions`, `topics`, `rules`, `profiles`, `risks`; a
//! pack laid over a rule base by `layer`), as methods of one `Validator`:
//! the checks share the diagnostics found so far and the ids already
//! defined. This module runs them in order and holds what they share.

use super::load::{self, RuleBaseFiles};
use super::question::Question;
use super::raw;
use super::risk::Risk;
use super::topic::Topic;
use super::{Source, decision_order};
use crate::diagnostic::{DataError, Diagnostic, Diagnostics};
use crate::source::{SourceFile, Span, Text};
use std::collections::BTreeMap;
use std::sync::Arc;
use toml::Spanned;

mod conditions;
mod decisions;
pub(crate) mod layer;
mod profiles;
mod questions;
mod risks;
mod rules;
mod sources;
mod topics;

pub use decisions::UNDECLARED_CHOICE;
pub use sources::is_inline_citation;

/// The largest number of points one rule may give or take from one option.
/// Keeping single rules small is how the rule base honours "no single answer
/// decides alone": only a knock-out (`exclude`) can, and it must say why.
pub const MAX_POINTS: i64 = 5;

/// The code of the warning about a file that has no role in a rule base.
pub const IGNORED_FILE: &str = "ignored-file";

pub struct Checked {
    pub questions: Vec<Question>,
    pub topics: Vec<Topic>,
    pub sources: Vec<Source>,
    pub risks: Vec<Risk>,
    pub warnings: Vec<Diagnostic>,
}

pub fn validate(files: &RuleBaseFiles, root: &str) -> Result<Checked, DataError> {
    let mut v = Validator::default();
    for ignored in &files.ignored {
        v.diags.push(
            Diagnostic::warning(format!("ignored `{ignored}`: not a rule base file"))
                .code(IGNORED_FILE)
                .in_file(root)
                .help("a rule base holds `questions.toml`, `sources.toml` and `topics/*.toml`"),
        );
    }
    let parsed = parse_all(files);
    // A questionnaire or source list that does not parse would make every
    // rule that reads it look wrong: report its own error, not hundreds of
    // "unknown question" errors after it.
    let questions_parse = matches!(parsed.questions, Some(Ok(_)));
    v.unchecked_sources = matches!(parsed.sources, Some(Err(_)));
    if v.unchecked_sources {
        v.diags.push(
            Diagnostic::warning("the rules' sources were not checked: `sources.toml` has errors")
                .in_file(root)
                .help("fix `sources.toml` first, then check again"),
        );
    }
    let sources = match (&files.sources, parsed.sources) {
        (Some(file), Some(raw)) => v.sources(file, raw),
        _ => Vec::new(),
    };
    let questions = match (&files.questions, parsed.questions) {
        (Some(file), Some(raw)) => v.questions(file, raw),
        _ => {
            v.error(no_questions(root));
            Vec::new()
        }
    };
    v.report_unchecked_topics(files, root, questions_parse);
    let decisions = topics::decision_questions(files, &parsed.topics);
    v.topics_broken = parsed.topics.iter().any(Result::is_err);
    let topics = if questions_parse {
        v.topics(files, parsed.topics, &questions, &decisions, &sources)
    } else {
        // Only the topic files' own syntax errors are worth reporting.
        for d in parsed.topics.into_iter().filter_map(Result::err) {
            v.error(*d);
        }
        Vec::new()
    };
    let scope = Scope {
        questions: &questions,
        later: &[],
        decisions: &decisions,
        own_topic: None,
    };
    let risks = v.risks_file(files, parsed.risks, &scope, &topics, &sources);
    let warnings = v.diags.finish()?;
    Ok(Checked {
        questions,
        topics,
        sources,
        risks,
        warnings,
    })
}

fn no_questions(root: &str) -> Diagnostic {
    Diagnostic::error(format!("the rule base has no `{}`", load::QUESTIONS_FILE))
        .in_file(root)
        .help("start from the built-in rule base: `tradeoff rules export DIR`")
}

type Parsed<T> = Result<T, Box<Diagnostic>>;

/// Every file parsed from TOML, before any validation.
struct ParsedFiles {
    questions: Option<Parsed<raw::QuestionsFile>>,
    sources: Option<Parsed<raw::SourcesFile>>,
    topics: Vec<Parsed<raw::TopicFile>>,
    risks: Option<Parsed<raw::RisksFile>>,
}

/// Parses the files on two threads: TOML parsing is most of the cost of
/// loading, and the files are independent. Validation then runs in order.
fn parse_all(files: &RuleBaseFiles) -> ParsedFiles {
    // Give the second thread about half of the text, largest topic files first.
    let own_start = files.questions.as_ref().map_or(0, |f| f.text().len())
        + files.sources.as_ref().map_or(0, |f| f.text().len());
    let sizes: Vec<usize> = files.topics.iter().map(|f| f.text().len()).collect();
    let to_worker = crate::parallel::split_in_two(&sizes, own_start);
    let parse_topics = |worker: bool| -> Vec<(usize, Parsed<raw::TopicFile>)> {
        files
            .topics
            .iter()
            .enumerate()
            .filter(|(i, _)| to_worker[*i] == worker)
            .map(|(i, f)| (i, load::parse(f)))
            .collect()
    };
    let (local, remote, questions, sources, risks) = std::thread::scope(|scope| {
        let handle = scope.spawn(|| parse_topics(true));
        let questions = files.questions.as_ref().map(load::parse);
        let sources = files.sources.as_ref().map(load::parse);
        let risks = files.risks.as_ref().map(load::parse);
        let local = parse_topics(false);
        // A panicking parser thread would be a bug; fall back to parsing here.
        let remote = handle.join().unwrap_or_else(|_| parse_topics(true));
        (local, remote, questions, sources, risks)
    });
    let mut topics: Vec<(usize, Parsed<raw::TopicFile>)> =
        local.into_iter().chain(remote).collect();
    topics.sort_by_key(|(i, _)| *i);
    ParsedFiles {
        questions,
        sources,
        topics: topics.into_iter().map(|(_, t)| t).collect(),
        risks,
    }
}

fn sp<T>(file: &Arc<SourceFile>, spanned: &Spanned<T>) -> Span {
    Span::new(file, spanned.span())
}

#[derive(Default)]
struct Validator {
    diags: Diagnostics,
    rule_ids: BTreeMap<String, Span>,
    topic_ids: BTreeMap<String, Span>,
    /// Validating a rule pack (`layer`): rules may carry `override`.
    in_pack: bool,
    /// `sources.toml` did not parse: rules may cite any id.
    unchecked_sources: bool,
    /// A topic file did not parse: a decision of an unknown topic may be its.
    topics_broken: bool,
}

/// What a condition may read.
struct Scope<'a> {
    questions: &'a [Question],
    /// Questions defined after the one whose `when` is checked (not readable).
    later: &'a [String],
    /// Other topics' decisions, as single-choice questions over their
    /// options (`decision:<topic>`); empty where decisions cannot be read.
    decisions: &'a [Question],
    /// The topic whose rules are checked: it cannot read its own decision.
    own_topic: Option<&'a str>,
}

impl Validator {
    fn error(&mut self, diagnostic: Diagnostic) {
        self.diags.push(diagnostic);
    }

    /// Reports a problem that leaves nothing to build: `None`, for `?` and
    /// `return`.
    fn rejected<T>(&mut self, diagnostic: Diagnostic) -> Option<T> {
        self.error(diagnostic);
        None
    }

    /// A file's parsed contents, or `None` once its syntax error is reported.
    fn parsed<T>(&mut self, parsed: Parsed<T>) -> Option<T> {
        parsed.map_err(|d| self.error(*d)).ok()
    }

    /// A required, non-blank text field; reports it missing at `owner`.
    fn text(
        &mut self,
        field: &Option<Spanned<String>>,
        key: &str,
        what: &str,
        owner: &Span,
    ) -> String {
        match field {
            Some(value) if !value.get_ref().trim().is_empty() => value.get_ref().trim().to_owned(),
            _ => {
                self.error(
                    Diagnostic::error(format!("{what} has no `{key}`"))
                        .at(owner, format!("`{key}` missing here"))
                        .help(format!("add `{key} = \"...\"`")),
                );
                String::new()
            }
        }
    }

    fn check_id(
        &mut self,
        file: &Arc<SourceFile>,
        id: &Spanned<String>,
        what: &str,
        style: IdStyle,
    ) -> bool {
        let text = id.get_ref();
        if style.accepts(text) {
            return true;
        }
        self.error(
            Diagnostic::error(format!("invalid {what} id `{text}`"))
                .at(&sp(file, id), style.expected())
                .help(format!("for example `{}`", style.example())),
        );
        false
    }

    fn duplicate(&mut self, what: &str, id: &str, here: &Span, first: &Span) {
        self.error(
            Diagnostic::error(format!("duplicate {what} id `{id}`"))
                .at(here, "defined again here")
                .note(format!("first defined at {}", first.location())),
        );
    }

    /// One of a fixed set of words, or a diagnostic listing them.
    fn keyword<T: Copy>(
        &mut self,
        file: &Arc<SourceFile>,
        word: &Spanned<String>,
        what: &str,
        all: &[(&'static str, T)],
    ) -> Option<T> {
        let found = all
            .iter()
            .find(|(k, _)| k == word.get_ref())
            .map(|(_, v)| *v);
        if found.is_none() {
            let expected: Vec<String> = all.iter().map(|(k, _)| format!("`{k}`")).collect();
            self.error(
                Diagnostic::error(format!("unknown {what} `{}`", word.get_ref()))
                    .at(&sp(file, word), format!("expected {}", or_list(&expected)))
                    .suggest(word.get_ref(), all.iter().map(|(k, _)| *k)),
            );
        }
        found
    }

    /// Linked decisions must form no cycle: each topic is decided before
    /// the topics that read its decision.
    fn acyclic(&mut self, topics: &[Topic]) {
        if let Err(cycle) = decision_order(topics) {
            let (topic, rule) = &cycle[0];
            let path: Vec<String> = cycle.iter().map(|(t, _)| format!("`{t}`")).collect();
            let d = Diagnostic::error(format!(
                "linked decisions form a cycle: {} -> `{topic}`",
                path.join(" -> ")
            ))
            .help("a topic's decision may only be read by topics it does not depend on");
            self.error(match rule {
                Some(span) => d.at(span, "reads a decision that depends on this topic"),
                None => d,
            });
        }
    }
}

#[derive(Clone, Copy)]
enum IdStyle {
    /// `team_size`: questions and choices, which are keys in answers files.
    Snake,
    /// `cache-aside`: topics, options and rules.
    Kebab,
    /// `S1`, `C20`, `fowler-2015`.
    Source,
}

impl IdStyle {
    fn accepts(self, id: &str) -> bool {
        let mut chars = id.chars();
        let Some(first) = chars.next() else {
            return false;
        };
        match self {
            IdStyle::Snake => {
                first.is_ascii_lowercase()
                    && id
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            }
            IdStyle::Kebab => {
                first.is_ascii_lowercase()
                    && !id.ends_with('-')
                    && !id.contains("--")
                    && id
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            }
            IdStyle::Source => {
                first.is_ascii_alphanumeric()
                    && id
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
            }
        }
    }

    fn expected(self) -> &'static str {
        match self {
            IdStyle::Snake => "expected lowercase letters, digits and `_`",
            IdStyle::Kebab => "expected lowercase words joined by `-`",
            IdStyle::Source => "expected letters, digits, `-`, `_` or `.`",
        }
    }

    fn example(self) -> &'static str {
        match self {
            IdStyle::Snake => "team_size",
            IdStyle::Kebab => "cache-aside",
            IdStyle::Source => "S1",
        }
    }
}

/// "`a`, `b` or `c`".
fn or_list(items: &[String]) -> String {
    joined(items, "or")
}

/// "`a`, `b` and `c`".
fn and_list(items: &[String]) -> String {
    joined(items, "and")
}

fn joined(items: &[String], last: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., tail] => format!("{} {last} {tail}", init.join(", ")),
    }
}

/// A text field as the rule base keeps it: trimmed.
fn trimmed(field: &Spanned<String>) -> Text {
    Text::from(field.get_ref().trim().to_owned())
}

/// An optional text field, trimmed.
fn optional_text(field: Option<&Spanned<String>>) -> Option<Text> {
    field.map(trimmed)
}
