//! Answers: reading answers files and `--set` flags, and resolving them.
//!
//! An answers file is TOML:
//!
//! ```toml
//! title = "Invoicing SaaS"        # optional: names the decision in reports
//! topics = ["data-store"]         # optional: the topics to decide by default
//!
//! [answers]
//! team_size = 6
//! consistency = "strong"
//! peak_rps = "unknown"            # "don't know", where the question allows it
//! ```
//!
//! A file may also say who answered and who takes part in the decision
//! (`author`, and MADR 4's `decision-makers`, `consulted`, `informed`,
//! which decision records list), and which answers are still open questions
//! (`open`, written by `tradeoff merge` where people disagreed). None of
//! these change the evaluation.
//!
//! Every value is checked against its question's kind with the same checker
//! the questionnaire uses everywhere, and every problem is reported at once
//! with its line and column. `--set ID=VALUE` flags override the file.
//!
//! Answers files outlive the questionnaire they were written for. An answer
//! under an id no longer asked goes to the questions that replaced it
//! (`replaces` in the rule base, with `migrate` for values that read
//! differently), and a single choice given to a question that now takes
//! several (`was_single`) becomes a list; each such reading is applied with a warning that
//! names the old key and the new one, so the file can be brought up to date.
//! An answer to a question still asked that another one split from is
//! carried over when resolving (`decide::resolve`), after `--set` flags.
//!
//! This module only reads and checks answers, each against its own question.
//! Applying the questionnaire as a whole (conditions, defaults, what is still
//! missing for the chosen topics) needs the evaluator's logic, so it happens a
//! layer up, in `decide::resolve`.

use crate::diagnostic::{DataError, Diagnostic, Diagnostics};
use crate::ids::{QuestionId, TopicId};
use crate::rulebase::{Question, QuestionKind, RuleBase};
use crate::source::{SourceFile, Span};
use crate::value::{Answer, UNKNOWN};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::Arc;
use toml::Spanned;

/// Where an answer came from.
#[derive(Clone, Debug)]
pub enum Origin {
    File(Span),
    Flag,
    Default,
    Prompt,
    /// From a decision record's hidden block.
    Record,
    /// Inferred from the repository's files (`--scan`).
    Inferred(Inferred),
}

/// An answer inferred from a repository: what it rests on, and whether a
/// person confirmed it. Reports say so, since an inference is a guess.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Inferred {
    /// What was found, where, and (for a many-choice question) the choice
    /// it supports: `PostgreSQL (docker-compose.yml:10)`.
    pub because: Vec<InferredFrom>,
    /// A person confirmed it (`ask --scan`); `decide --scan` takes it unconfirmed.
    pub confirmed: bool,
}

/// One finding behind an inferred answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InferredFrom {
    pub choice: Option<String>,
    /// What was found and where: `PostgreSQL (docker-compose.yml:10)`.
    pub found: String,
}

impl Inferred {
    /// "inferred from PostgreSQL (docker-compose.yml:10), confirmed".
    pub fn note(&self) -> String {
        let mut found: Vec<&str> = Vec::new();
        for part in &self.because {
            if !found.contains(&part.found.as_str()) {
                found.push(&part.found);
            }
        }
        let state = if self.confirmed {
            "confirmed"
        } else {
            "not confirmed"
        };
        format!("inferred from {}, {state}", found.join(", "))
    }
}

#[derive(Clone, Debug)]
pub struct Given {
    pub answer: Answer,
    pub origin: Origin,
}

/// Answers as given, each checked against its question.
#[derive(Clone, Debug, Default)]
pub struct AnswerSet {
    pub title: Option<String>,
    pub topics: Vec<TopicId>,
    pub entries: BTreeMap<QuestionId, Given>,
    /// The file the answers came from, for messages about missing answers.
    pub file: Option<String>,
    /// Who gave these answers (`author`), for `tradeoff merge`.
    pub author: Option<String>,
    /// Who takes part in the decision, for decision records.
    pub people: People,
    /// Questions whose answer is still disputed (`open`), in file order.
    pub open: Vec<QuestionId>,
    /// Old answers read the new way, each naming what to change.
    pub warnings: Vec<Diagnostic>,
}

/// Who takes part in a decision, as MADR 4's front matter names them.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct People {
    /// Everyone who makes the decision.
    #[serde(rename = "decision-makers")]
    pub decision_makers: Vec<String>,
    /// Those whose opinions are sought (two-way communication).
    pub consulted: Vec<String>,
    /// Those kept up to date on progress (one-way communication).
    pub informed: Vec<String>,
}

impl People {
    pub fn is_empty(&self) -> bool {
        self.decision_makers.is_empty() && self.consulted.is_empty() && self.informed.is_empty()
    }
}

/// The shape of an answers file. Unknown top-level keys are not refused by
/// serde, which would stop at the first: [`unknown_top_level_keys`] reports
/// every one of them, along with the file's other errors.
#[derive(Debug, Deserialize)]
struct RawAnswersFile {
    title: Option<Spanned<String>>,
    topics: Option<Vec<Spanned<String>>>,
    author: Option<String>,
    #[serde(rename = "decision-makers", default)]
    decision_makers: Vec<String>,
    #[serde(default)]
    consulted: Vec<String>,
    #[serde(default)]
    informed: Vec<String>,
    #[serde(default)]
    open: Vec<Spanned<String>>,
    #[serde(default)]
    answers: BTreeMap<Spanned<String>, Spanned<toml::Value>>,
}

/// The parts an answers file and a scenario file share.
pub struct RawAnswers<'a> {
    pub title: Option<&'a Spanned<String>>,
    pub topics: Option<&'a [Spanned<String>]>,
    pub answers: &'a BTreeMap<Spanned<String>, Spanned<toml::Value>>,
}

impl<'a> RawAnswers<'a> {
    /// The shared parts, from the fields of either file as serde reads them.
    pub fn new(
        title: &'a Option<Spanned<String>>,
        topics: &'a Option<Vec<Spanned<String>>>,
        answers: &'a BTreeMap<Spanned<String>, Spanned<toml::Value>>,
    ) -> Self {
        Self {
            title: title.as_ref(),
            topics: topics.as_deref(),
            answers,
        }
    }
}

impl AnswerSet {
    /// Parses and checks an answers file.
    pub fn parse(rb: &RuleBase, file: &Arc<SourceFile>) -> Result<Self, DataError> {
        let mut unknown = unknown_top_level_keys(rb, file);
        let checked = toml::from_str(file.text())
            .map_err(|e| toml_error(rb, file, &e))
            .and_then(|raw| Self::checked(rb, file, raw));
        match checked {
            Ok(set) if unknown.is_empty() => Ok(set),
            Ok(_) => Err(DataError::new(unknown)),
            Err(e) => {
                unknown.extend(e.diagnostics);
                Err(DataError::new(unknown))
            }
        }
    }

    /// The answers file's parts checked against the rule base.
    fn checked(
        rb: &RuleBase,
        file: &Arc<SourceFile>,
        raw: RawAnswersFile,
    ) -> Result<Self, DataError> {
        // `open` names questions; check them with the answers, report all at once.
        let mut open = Vec::new();
        let mut open_problems = Vec::new();
        for id in &raw.open {
            match rb.question(id.get_ref()) {
                Some(q) if !open.contains(&q.id) => open.push(q.id.clone()),
                Some(_) => {}
                None => open_problems.push(unknown_question(
                    rb,
                    id.get_ref(),
                    &Span::new(file, id.span()),
                )),
            }
        }
        let parsed = Self::from_raw(
            rb,
            file,
            RawAnswers::new(&raw.title, &raw.topics, &raw.answers),
        );
        let mut set = match parsed {
            Err(mut e) => {
                e.diagnostics.extend(open_problems);
                return Err(e);
            }
            Ok(_) if !open_problems.is_empty() => return Err(DataError::new(open_problems)),
            Ok(set) => set,
        };
        set.author = raw
            .author
            .map(|a| a.trim().to_owned())
            .filter(|a| !a.is_empty());
        set.people = People {
            decision_makers: distinct_names(raw.decision_makers),
            consulted: distinct_names(raw.consulted),
            informed: distinct_names(raw.informed),
        };
        set.open = open;
        Ok(set)
    }

    pub fn from_raw(
        rb: &RuleBase,
        file: &Arc<SourceFile>,
        raw: RawAnswers<'_>,
    ) -> Result<Self, DataError> {
        let mut diags = Diagnostics::default();
        let mut set = AnswerSet {
            title: raw.title.map(|t| t.get_ref().trim().to_owned()),
            file: Some(file.name().to_owned()),
            ..AnswerSet::default()
        };
        for topic in raw.topics.unwrap_or_default() {
            let id = topic.get_ref();
            if rb.topic(id).is_some() {
                set.topics.push(TopicId::new(id.as_str()));
            } else {
                diags.push(
                    Diagnostic::error(format!("unknown topic `{id}`"))
                        .at(&Span::new(file, topic.span()), "no such topic")
                        .suggest(id, rb.topics().iter().map(|t| t.id.as_str())),
                );
            }
        }
        let mut retired = Vec::new();
        let mut unknown = Vec::new();
        for (key, value) in raw.answers {
            let id = key.get_ref();
            let Some(question) = rb.question(id) else {
                if rb.replacements(id).next().is_some() {
                    retired.push((id.as_str(), value));
                } else {
                    unknown.push((key.span(), id.as_str()));
                }
                continue;
            };
            let span = Span::new(file, value.span());
            let (value, listed) = if question.migration.was_single {
                as_list(question, value.get_ref())
            } else {
                (value.get_ref().clone(), false)
            };
            match question.check_toml(&value) {
                Ok(answer) => {
                    if listed {
                        set.warnings.push(listed_warning(question, &answer, &span));
                    }
                    set.entries.insert(
                        question.id.clone(),
                        Given {
                            answer,
                            origin: Origin::File(span),
                        },
                    );
                }
                Err(e) => {
                    let mut d = Diagnostic::error(e.message).at(&span, "invalid answer");
                    for help in e.help {
                        d = d.help(help);
                    }
                    diags.push(d);
                }
            }
        }
        for (old, value) in retired {
            set.take_over(rb, old, value.get_ref(), &Span::new(file, value.span()));
        }
        diags.extend(unknown_questions(rb, file, unknown));
        diags.finish()?;
        Ok(set)
    }

    /// Hands the answer to `old`, a question no longer asked, to the
    /// questions that replaced it and are not answered themselves, and
    /// says what it was read as.
    fn take_over(&mut self, rb: &RuleBase, old: &str, value: &toml::Value, span: &Span) {
        let mut read_as = Vec::new();
        let mut unread = Vec::new();
        for question in rb.replacements(old) {
            if self.entries.contains_key(&question.id) {
                continue;
            }
            let answer = match question.migration.value(value) {
                Some(answer) => Ok(answer.clone()),
                None => question.check_toml(&as_list(question, value).0),
            };
            match answer {
                Ok(answer) => {
                    read_as.push(format!("`{} = {}`", question.id, answer.to_toml()));
                    let origin = Origin::File(span.clone());
                    self.entries
                        .insert(question.id.clone(), Given { answer, origin });
                }
                Err(_) => unread.push(format!("`{}`", question.id)),
            }
        }
        let mut d = Diagnostic::warning(format!("`{old}` is no longer asked")).at(span, "old key");
        if !read_as.is_empty() {
            d = d.note(format!("read as {}", read_as.join(" and ")));
        }
        if !unread.is_empty() {
            d = d.help(format!(
                "answer {} yourself: `{old} = {value}` does not say",
                unread.join(" and ")
            ));
        }
        self.warnings.push(d.help(format!(
            "replace `{old}` with the new answers (the migrations are listed in docs/answers.md)"
        )));
    }

    /// Applies `ID=VALUE` flags over the answers, checking each.
    pub fn apply_flags(&mut self, rb: &RuleBase, flags: &[String]) -> Result<(), DataError> {
        let mut diags = Diagnostics::default();
        for flag in flags {
            let file = SourceFile::new("--set", flag.as_str());
            let Some((id, text)) = flag.split_once('=') else {
                diags.push(
                    Diagnostic::error(format!("`--set {flag}` is not ID=VALUE"))
                        .at(&Span::new(&file, 0..flag.len()), "missing `=`")
                        .help("for example `--set team_size=8`"),
                );
                continue;
            };
            let id = id.trim();
            let Some(question) = rb.question(id) else {
                diags.push(unknown_question(rb, id, &Span::new(&file, 0..id.len())));
                continue;
            };
            match question.parse_text(text) {
                Ok(answer) => {
                    self.entries.insert(
                        question.id.clone(),
                        Given {
                            answer,
                            origin: Origin::Flag,
                        },
                    );
                }
                Err(e) => {
                    let value_start = flag.len() - text.len();
                    let mut d = Diagnostic::error(e.message)
                        .at(&Span::new(&file, value_start..flag.len()), "invalid answer");
                    for help in e.help {
                        d = d.help(help);
                    }
                    diags.push(d);
                }
            }
        }
        diags.finish()?;
        Ok(())
    }

    pub fn answers(&self) -> BTreeMap<QuestionId, Answer> {
        self.entries
            .iter()
            .map(|(q, g)| (q.clone(), g.answer.clone()))
            .collect()
    }
}

/// Names trimmed, empty ones dropped, each kept once in first-seen order
/// (a set remembers those seen: a list of 100,000 names stays linear).
fn distinct_names(names: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    names
        .into_iter()
        .map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty() && seen.insert(n.clone()))
        .collect()
}

/// An error for each unknown question id, in file order. Only the ones a
/// person is shown ([`MAX_SHOWN`](crate::diagnostic::MAX_SHOWN)) get a "did
/// you mean": matching costs far more than the error, and a file of 50,000
/// unknown keys must still be answered in a moment.
fn unknown_questions(
    rb: &RuleBase,
    file: &Arc<SourceFile>,
    mut unknown: Vec<(std::ops::Range<usize>, &str)>,
) -> Vec<Diagnostic> {
    unknown.sort_by_key(|(span, _)| span.start);
    unknown
        .into_iter()
        .enumerate()
        .map(|(i, (span, id))| {
            let span = Span::new(file, span);
            if i < crate::diagnostic::MAX_SHOWN {
                unknown_question(rb, id, &span)
            } else {
                no_such_question(id, &span)
            }
        })
        .collect()
}

fn unknown_question(rb: &RuleBase, id: &str, span: &Span) -> Diagnostic {
    let new: Vec<String> = rb.replacements(id).map(|q| format!("`{}`", q.id)).collect();
    let d = Diagnostic::error(format!("unknown question `{id}`")).at(span, "no such question");
    if new.is_empty() {
        return d
            .suggest(id, rb.questions().iter().map(|q| q.id.as_str()))
            .help("`tradeoff questions` lists the questions and their ids");
    }
    d.help(format!(
        "`{id}` is no longer asked: answer {} instead",
        new.join(" and ")
    ))
}

/// A single choice given to a question that takes several, as the list of
/// that one choice (`"none"` as the empty list, where `none` is not a
/// choice); whether it was read so.
fn as_list(question: &Question, value: &toml::Value) -> (toml::Value, bool) {
    match (&question.kind, value) {
        (QuestionKind::Multi(_), toml::Value::String(s)) if s != UNKNOWN => {
            let items = if s == "none" && question.choice("none").is_none() {
                Vec::new()
            } else {
                vec![value.clone()]
            };
            (toml::Value::Array(items), true)
        }
        _ => (value.clone(), false),
    }
}

fn listed_warning(question: &Question, answer: &Answer, span: &Span) -> Diagnostic {
    let id = &question.id;
    Diagnostic::warning(format!("`{id}` now takes a list of choices"))
        .at(span, "a single choice")
        .help(format!("write `{id} = {}`", answer.to_toml()))
}

/// [`unknown_question`] without the search for a close id.
fn no_such_question(id: &str, span: &Span) -> Diagnostic {
    Diagnostic::error(format!("unknown question `{id}`"))
        .at(span, "no such question")
        .help("`tradeoff questions` lists the questions and their ids")
}

/// The keys an answers file may have at its top level, in the order its
/// errors list them.
const TOP_LEVEL_KEYS: [&str; 8] = [
    "title",
    "topics",
    "author",
    "decision-makers",
    "consulted",
    "informed",
    "open",
    "answers",
];

/// An error for every unknown top-level key of an answers file, in file
/// order (none if the file does not parse: its syntax error comes first).
fn unknown_top_level_keys(rb: &RuleBase, file: &Arc<SourceFile>) -> Vec<Diagnostic> {
    let Ok(table) = toml::de::DeTable::parse(file.text()) else {
        return Vec::new();
    };
    let mut keys: Vec<(std::ops::Range<usize>, String)> = table
        .get_ref()
        .keys()
        .filter(|k| !TOP_LEVEL_KEYS.contains(&k.get_ref().as_ref()))
        .map(|k| (k.span(), k.get_ref().to_string()))
        .collect();
    keys.sort_by_key(|(span, _)| span.start);
    let expected: Vec<String> = TOP_LEVEL_KEYS.iter().map(|k| format!("`{k}`")).collect();
    keys.into_iter()
        .map(|(span, key)| {
            let message = format!(
                "unknown field `{key}`, expected one of {}",
                expected.join(", ")
            );
            key_error(rb, &message, &Span::new(file, span))
        })
        .collect()
}

/// An error at a top-level key, with help when it is an answer outside
/// `[answers]`.
fn key_error(rb: &RuleBase, message: &str, span: &Span) -> Diagnostic {
    let (message, help) = crate::rulebase::load::explain_toml_error(message, Some(span));
    let key = span.text().trim().trim_matches('"').to_owned();
    let d = Diagnostic::error(message.clone()).at(span, "here");
    if message.starts_with("unknown field") && rb.question(&key).is_some() {
        // Not a misspelt top-level key: an answer in the wrong place.
        return d.help(format!(
            "answers go under the `[answers]` table: move `{key}` below `[answers]`"
        ));
    }
    help.into_iter().fold(d, Diagnostic::help)
}

/// A TOML error in an answers file, at its position.
fn toml_error(rb: &RuleBase, file: &Arc<SourceFile>, error: &toml::de::Error) -> DataError {
    let span = error.span().map(|range| Span::new(file, range));
    match &span {
        Some(span) => DataError::single(key_error(rb, error.message(), span)),
        None => {
            let (message, help) = crate::rulebase::load::explain_toml_error(error.message(), None);
            let d = Diagnostic::error(message).in_file(file.name());
            DataError::single(help.into_iter().fold(d, Diagnostic::help))
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::rulebase::testing::RuleBaseBuilder;
    use crate::value::Value;

    /// A rule base of three questions (one gated) and one topic, with these answers parsed.
    pub(crate) fn setup(answers: &str) -> (RuleBase, Result<AnswerSet, DataError>) {
        let rb = RuleBaseBuilder::new()
            .question("writes_hot", |q| q.boolean().default_answer("false"))
            .question("loss_ok", |q| {
                q.boolean().when(r#"{ q = "writes_hot", eq = true }"#)
            })
            .number("team")
            .topic("t", |t| {
                t.options(&["a", "b"]).rule(
                    "r",
                    r#"{ all = [{ q = "loss_ok", eq = true }, { q = "team", gt = 3 }] }"#,
                    &[("a", 1)],
                )
            })
            .build();
        let set = AnswerSet::parse(&rb, &SourceFile::new("a.toml", answers));
        (rb, set)
    }

    #[test]
    fn people_and_open_questions_are_read_and_checked() {
        let (_, set) = setup(
            "author = \" ana \"\ndecision-makers = [\"ana\", \"ana\"]\nconsulted = [\"bo\"]\n\
             open = [\"team\"]\n[answers]\nteam = 4\n",
        );
        let set = set.unwrap();
        assert_eq!(set.author.as_deref(), Some("ana"));
        assert_eq!(set.people.decision_makers, ["ana"]);
        assert_eq!(set.people.consulted, ["bo"]);
        assert_eq!(set.open, [QuestionId::new("team")]);
        let (_, set) = setup("open = [\"tema\"]\n[answers]\nteam = \"x\"\n");
        let err = set.err().unwrap();
        assert_eq!(
            err.error_count(),
            2,
            "the bad answer and the bad open id, together"
        );
    }

    #[test]
    fn flags_override_the_file() {
        let (rb, set) = setup("[answers]\nteam = 4\n");
        let mut set = set.unwrap();
        set.apply_flags(&rb, &["team=9".to_owned()]).unwrap();
        assert_eq!(
            set.entries[&QuestionId::new("team")].answer,
            Answer::Known(Value::Number(9.0))
        );
        assert!(set.apply_flags(&rb, &["tema=9".to_owned()]).is_err());
    }

    /// `kinds` replaces the retired `loss_ok`, mapping its values; `tags`
    /// became multiple choice.
    fn migrated(answers: &str) -> (RuleBase, Result<AnswerSet, DataError>) {
        let rb = RuleBaseBuilder::new()
            .question("kinds", |q| {
                q.multi(&["critical", "best_effort"])
                    .field("replaces", r#"["loss_ok"]"#)
                    .field("migrate", r#"[{ from = true, to = ["best_effort"] }]"#)
            })
            .question("tags", |q| q.multi(&["x", "y"]).field("was_single", "true"))
            .topic("t", |t| {
                t.options(&["a", "b"]).rule(
                    "r",
                    r#"{ all = [{ q = "kinds", contains = "critical" }, { q = "tags", contains = "x" }] }"#,
                    &[("a", 1)],
                )
            })
            .build();
        let set = AnswerSet::parse(&rb, &SourceFile::new("a.toml", answers));
        (rb, set)
    }

    #[test]
    fn retired_answers_are_taken_over_with_a_warning() {
        let (_, set) = migrated("[answers]\nloss_ok = true\ntags = \"none\"\n");
        let set = set.unwrap();
        let kinds = &set.entries[&QuestionId::new("kinds")].answer;
        assert_eq!(kinds.to_toml().to_string(), r#"["best_effort"]"#);
        assert_eq!(
            set.entries[&QuestionId::new("tags")]
                .answer
                .to_toml()
                .to_string(),
            "[]"
        );
        let messages: Vec<&str> = set.warnings.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "`tags` now takes a list of choices",
                "`loss_ok` is no longer asked"
            ]
        );
        // An unmapped value that fits is read as it stands; the new id wins.
        let (_, set) = migrated("[answers]\nloss_ok = true\nkinds = [\"critical\"]\n");
        let set = set.unwrap();
        let kinds = &set.entries[&QuestionId::new("kinds")].answer;
        assert_eq!(kinds.to_toml().to_string(), r#"["critical"]"#);
    }

    #[test]
    fn a_retired_id_given_by_flag_names_its_replacement() {
        let (rb, set) = migrated("[answers]\n");
        let err = set.unwrap().apply_flags(&rb, &["loss_ok=true".to_owned()]);
        let text = format!("{:?}", err.err());
        assert!(text.contains("answer `kinds` instead"), "{text}");
    }

    #[test]
    fn a_migration_to_a_value_the_question_rejects_fails_to_load() {
        let err = RuleBaseBuilder::new()
            .question("kinds", |q| {
                q.multi(&["critical"])
                    .field("replaces", r#"["kinds"]"#)
                    .field("migrate", r#"[{ from = true, to = ["nope"] }]"#)
            })
            .try_build()
            .err();
        let text = format!("{:?}", err);
        assert!(text.contains("cannot replace itself"), "{text}");
        assert!(text.contains("invalid migration"), "{text}");
    }
}
