//! Validation: from raw TOML shapes to a checked rule base.
//!
//! One pass over every file collects every problem, each at its exact
//! position: unknown question, option, choice or source ids (with "did you
//! mean"), comparisons that do not fit a question's kind, duplicate ids,
//! missing text, rules without rationale or sources. A file with a syntax
//! error is skipped after its one error is reported, and the other files are
//! still checked, so a user fixes the whole rule base in one round.

use super::code::Fast;
use super::condition::{CondNode, Condition, Op, Test};
use super::load::{self, RuleBaseFiles};
use super::profile::{Attribute, Profile, RATING_RANGE};
use super::question::{Choice, NumberSpec, Question, QuestionKind};
use super::raw::{self, RawCond, RawKind};
use super::risk::{Risk, RiskKind, Severity};
use super::topic::{Evidence, Rule, RuleOrigin, Topic, TopicOption};
use super::{DECISION_PREFIX, Source};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::ids::{ChoiceId, OptionId, QuestionId, RuleId, SourceId, TopicId};
use crate::source::{SourceFile, Span, Text};
use crate::value::{Answer, UNKNOWN};
use std::collections::BTreeMap;
use std::sync::Arc;
use toml::Spanned;

/// The largest number of points one rule may give or take from one option.
/// Keeping single rules small is how the rule base honours "no single answer
/// decides alone": only a knock-out (`exclude`) can, and it must say why.
pub const MAX_POINTS: i64 = 5;

pub(crate) mod layer;
/// The code of the warning about a file that has no role in a rule base.
pub const IGNORED_FILE: &str = "ignored-file";

pub struct Checked {
    pub questions: Vec<Question>,
    pub topics: Vec<Topic>,
    pub sources: Vec<Source>,
    pub risks: Vec<Risk>,
    pub warnings: Vec<Diagnostic>,
}

pub fn validate(
    files: &RuleBaseFiles,
    root: &str,
) -> Result<Checked, crate::diagnostic::DataError> {
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
            v.diags.push(
                Diagnostic::error(format!("the rule base has no `{}`", load::QUESTIONS_FILE))
                    .in_file(root)
                    .help("start from the built-in rule base: `tradeoff rules export DIR`"),
            );
            Vec::new()
        }
    };
    if files.topics.is_empty() {
        v.diags.push(
            Diagnostic::error(format!(
                "the rule base has no topics under `{}/`",
                load::TOPICS_DIR
            ))
            .in_file(root)
            .help(format!(
                "add one file per decision, `{}/ID.toml`; `tradeoff rules export DIR` shows the layout",
                load::TOPICS_DIR
            )),
        );
    }
    if !questions_parse && !files.topics.is_empty() {
        v.diags.push(
            Diagnostic::warning(format!(
                "the topics were not checked: they read `{}`, which cannot be used",
                load::QUESTIONS_FILE
            ))
            .in_file(root)
            .help(format!(
                "fix `{}` first, then check again",
                load::QUESTIONS_FILE
            )),
        );
    }
    let decisions = decision_questions(files, &parsed.topics);
    v.topics_broken = parsed.topics.iter().any(Result::is_err);
    let mut topics = Vec::new();
    for (file, raw) in files.topics.iter().zip(parsed.topics) {
        if !questions_parse {
            // Only the topic files' own syntax errors are worth reporting.
            if let Err(d) = raw {
                v.error(*d);
            }
            continue;
        }
        if let Some(topic) = v.topic(file, raw, &questions, &decisions, &sources) {
            topics.push(topic);
        }
    }
    topics.sort_by(|a, b| a.order.cmp(&b.order).then_with(|| a.id.cmp(&b.id)));
    v.acyclic(&topics);
    // Risks read every part of the rule base: checked against a broken one,
    // each earlier mistake would come back as a dozen here.
    let risks = match (&files.risks, parsed.risks) {
        (Some(_), Some(Err(d))) => {
            v.error(*d);
            Vec::new()
        }
        (Some(file), Some(_)) if v.diags.has_errors() => {
            v.diags.push(
                Diagnostic::warning(format!(
                    "`{}` was not checked: the errors above come first",
                    load::RISKS_FILE
                ))
                .in_file(file.name())
                .help("fix them, then check again"),
            );
            Vec::new()
        }
        (Some(file), Some(raw)) => v.risks(file, raw, &questions, &decisions, &topics, &sources),
        _ => Vec::new(),
    };
    let warnings = v.diags.finish()?;
    Ok(Checked {
        questions,
        topics,
        sources,
        risks,
        warnings,
    })
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

/// The decisions of validated topics, as [`decision_questions`] makes them.
pub(crate) fn decision_questions_of(topics: &[Topic]) -> Vec<Question> {
    topics
        .iter()
        .map(|t| Question {
            id: super::decision_key(&t.id),
            label: (format!("{} (decision)", t.title)).into(),
            prompt: Text::default(),
            help: Text::default(),
            section: None,
            kind: QuestionKind::Single(
                t.options
                    .iter()
                    .map(|o| Choice {
                        id: ChoiceId::new(o.id.as_str()),
                        label: o.name.clone(),
                        help: None,
                    })
                    .collect(),
            ),
            default: None,
            allow_unknown: false,
            when: None,
            span: t.span.clone(),
        })
        .collect()
}

/// Each topic's decision as a single-choice question over its options, so
/// rules and risks can test it (`decision = "architecture"`) with the same
/// operators and checks as an answer. Built from the parsed files, before
/// the topics are validated, so any topic may read any other.
fn decision_questions(files: &RuleBaseFiles, parsed: &[Parsed<raw::TopicFile>]) -> Vec<Question> {
    files
        .topics
        .iter()
        .zip(parsed)
        .filter_map(|(file, parsed)| {
            let parsed = parsed.as_ref().ok()?;
            let topic = parsed.topic.get_ref();
            let id = topic.id.get_ref();
            let title = topic
                .title
                .as_ref()
                .map_or_else(|| id.clone(), |t| t.get_ref().clone());
            let choices = parsed
                .options
                .iter()
                .map(|o| Choice {
                    id: ChoiceId::new(o.get_ref().id.get_ref().as_str()),
                    label: o
                        .get_ref()
                        .name
                        .as_ref()
                        .map_or_else(Text::default, |n| n.get_ref().clone().into()),
                    help: None,
                })
                .collect();
            Some(Question {
                id: QuestionId::new(format!("{DECISION_PREFIX}{id}").as_str()),
                label: (format!("{title} (decision)")).into(),
                prompt: Text::default(),
                help: Text::default(),
                section: None,
                kind: QuestionKind::Single(choices),
                default: None,
                allow_unknown: false,
                when: None,
                span: sp(file, &parsed.topic),
            })
        })
        .collect()
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

    // ----- sources -------------------------------------------------------

    fn sources(&mut self, file: &Arc<SourceFile>, parsed: Parsed<raw::SourcesFile>) -> Vec<Source> {
        let parsed: raw::SourcesFile = match parsed {
            Ok(parsed) => parsed,
            Err(d) => {
                self.error(*d);
                return Vec::new();
            }
        };
        let mut out: Vec<Source> = Vec::new();
        for entry in &parsed.sources {
            let span = sp(file, entry);
            let raw = entry.get_ref();
            if !self.check_id(file, &raw.id, "source", IdStyle::Source) {
                continue;
            }
            if let Some(first) = out.iter().find(|s| s.id.as_str() == raw.id.get_ref()) {
                let first = first.span.clone();
                self.duplicate("source", raw.id.get_ref(), &sp(file, &raw.id), &first);
                continue;
            }
            let title = self.text(
                &raw.title,
                "title",
                &format!("source `{}`", raw.id.get_ref()),
                &span,
            );
            out.push(Source {
                id: SourceId::new(raw.id.get_ref().as_str()),
                title: title.into(),
                url: optional_text(raw.url.as_ref()),
                span,
            });
        }
        out
    }

    // ----- questions -----------------------------------------------------

    fn questions(
        &mut self,
        file: &Arc<SourceFile>,
        parsed: Parsed<raw::QuestionsFile>,
    ) -> Vec<Question> {
        let parsed: raw::QuestionsFile = match parsed {
            Ok(parsed) => parsed,
            Err(d) => {
                self.error(*d);
                return Vec::new();
            }
        };
        let all_ids: Vec<String> = parsed
            .questions
            .iter()
            .map(|q| q.get_ref().id.get_ref().clone())
            .collect();
        let mut out: Vec<Question> = Vec::new();
        for (index, entry) in parsed.questions.iter().enumerate() {
            if let Some(question) = self.question(file, entry, &out, &all_ids[index..]) {
                out.push(question);
            }
        }
        out
    }

    fn question(
        &mut self,
        file: &Arc<SourceFile>,
        entry: &Spanned<raw::RawQuestion>,
        earlier: &[Question],
        later: &[String],
    ) -> Option<Question> {
        let span = sp(file, entry);
        let raw = entry.get_ref();
        let id = raw.id.get_ref();
        let id_ok = self.check_id(file, &raw.id, "question", IdStyle::Snake);
        if let Some(first) = earlier.iter().find(|q| q.id.as_str() == id) {
            let first = first.span.clone();
            self.duplicate("question", id, &sp(file, &raw.id), &first);
            return None;
        }
        let what = format!("question `{id}`");
        let label = self.text(&raw.label, "label", &what, &span);
        let prompt = self.text(&raw.prompt, "prompt", &what, &span);
        let help = self.text(&raw.help, "help", &what, &span);
        let kind = self.question_kind(file, raw, &span);
        let scope = Scope {
            questions: earlier,
            later,
            decisions: &[],
            own_topic: None,
        };
        let when = raw
            .when
            .as_ref()
            .and_then(|c| self.condition(file, c, &scope));
        let mut question = Question {
            id: QuestionId::new(id.as_str()),
            label: label.into(),
            prompt: prompt.into(),
            help: help.into(),
            section: optional_text(raw.section.as_ref()),
            kind: kind?,
            default: None,
            allow_unknown: raw.allow_unknown,
            when,
            span,
        };
        if let Some(default) = &raw.default {
            match question.check_toml(default.get_ref()) {
                Ok(answer) => question.default = Some(answer),
                Err(e) => {
                    let mut d = Diagnostic::error(format!("invalid default: {}", e.message))
                        .at(&sp(file, default), "does not fit the question");
                    for h in e.help {
                        d = d.help(h);
                    }
                    self.error(d);
                }
            }
        }
        id_ok.then_some(question)
    }

    fn question_kind(
        &mut self,
        file: &Arc<SourceFile>,
        raw: &raw::RawQuestion,
        span: &Span,
    ) -> Option<QuestionKind> {
        let kind = *raw.kind.get_ref();
        let id = raw.id.get_ref();
        let is_number = kind == RawKind::Number;
        for (key, present) in [
            ("unit", raw.unit.as_ref().map(|s| s.span())),
            ("min", raw.min.as_ref().map(|s| s.span())),
            ("max", raw.max.as_ref().map(|s| s.span())),
            ("integer", raw.integer.as_ref().map(|s| s.span())),
        ] {
            if let (Some(range), false) = (present, is_number) {
                self.error(
                    Diagnostic::error(format!("`{key}` only applies to number questions")).at(
                        &Span::new(file, range),
                        format!("`{id}` is a `{}` question", kind_name(kind)),
                    ),
                );
            }
        }
        let has_choices = matches!(kind, RawKind::Single | RawKind::Multi);
        if !has_choices && let Some(first) = raw.choices.first() {
            self.error(
                Diagnostic::error("`choices` only apply to `single` and `multi` questions").at(
                    &sp(file, first),
                    format!("`{id}` is a `{}` question", kind_name(kind)),
                ),
            );
        }
        Some(match kind {
            RawKind::Single | RawKind::Multi => {
                let choices = self.choices(file, raw, span)?;
                if kind == RawKind::Single {
                    QuestionKind::Single(choices)
                } else {
                    QuestionKind::Multi(choices)
                }
            }
            RawKind::Number => {
                for bound in [&raw.min, &raw.max].into_iter().flatten() {
                    if !bound.get_ref().is_finite() {
                        self.error(
                            Diagnostic::error(format!(
                                "a bound must be a finite number, found `{}`",
                                bound.get_ref()
                            ))
                            .at(&sp(file, bound), "not a finite number")
                            .help("leave `min` or `max` out for no bound"),
                        );
                    }
                }
                let finite = |b: &Option<Spanned<f64>>| {
                    b.as_ref().map(|m| *m.get_ref()).filter(|m| m.is_finite())
                };
                let min = finite(&raw.min);
                let max = finite(&raw.max);
                if let (Some(lo), Some(hi), Some(at)) = (min, max, raw.max.as_ref())
                    && lo > hi
                {
                    self.error(Diagnostic::error("`max` is below `min`").at(&sp(file, at), "here"));
                }
                QuestionKind::Number(NumberSpec {
                    unit: optional_text(raw.unit.as_ref()),
                    min,
                    max,
                    integer: raw.integer.as_ref().is_some_and(|i| *i.get_ref()),
                })
            }
            RawKind::Bool => QuestionKind::Bool,
            RawKind::Text => QuestionKind::Text,
        })
    }

    fn choices(
        &mut self,
        file: &Arc<SourceFile>,
        raw: &raw::RawQuestion,
        span: &Span,
    ) -> Option<Vec<Choice>> {
        let minimum = if *raw.kind.get_ref() == RawKind::Single {
            2
        } else {
            1
        };
        if raw.choices.len() < minimum {
            self.error(
                Diagnostic::error(format!(
                    "question `{}` needs at least {minimum} choice{}",
                    raw.id.get_ref(),
                    if minimum == 1 { "" } else { "s" }
                ))
                .at(span, "defined here")
                .help("add `choices = [{ id = \"...\", label = \"...\" }, ...]`"),
            );
            return None;
        }
        let mut out: Vec<(Choice, Span)> = Vec::new();
        for entry in &raw.choices {
            let span = sp(file, entry);
            let choice = entry.get_ref();
            let id = choice.id.get_ref();
            if !self.check_id(file, &choice.id, "choice", IdStyle::Snake) {
                continue;
            }
            if id == UNKNOWN {
                self.error(
                    Diagnostic::error(format!("`{UNKNOWN}` is reserved for \"don't know\""))
                        .at(&sp(file, &choice.id), "cannot be a choice id")
                        .help("set `allow_unknown = true` on the question instead"),
                );
                continue;
            }
            if let Some((_, first)) = out.iter().find(|(c, _)| c.id.as_str() == id) {
                let first = first.clone();
                self.duplicate("choice", id, &sp(file, &choice.id), &first);
                continue;
            }
            let label = self.text(&choice.label, "label", &format!("choice `{id}`"), &span);
            out.push((
                Choice {
                    id: ChoiceId::new(id.as_str()),
                    label: label.into(),
                    help: optional_text(choice.help.as_ref()),
                },
                span,
            ));
        }
        Some(out.into_iter().map(|(c, _)| c).collect())
    }

    // ----- conditions ----------------------------------------------------

    fn condition(
        &mut self,
        file: &Arc<SourceFile>,
        entry: &Spanned<RawCond>,
        scope: &Scope<'_>,
    ) -> Option<Condition> {
        let span = sp(file, entry);
        let raw = entry.get_ref();
        let heads: Vec<&str> = [
            ("all", raw.all.is_some()),
            ("any", raw.any.is_some()),
            ("not", raw.not.is_some()),
            ("q", raw.q.is_some()),
            ("decision", raw.decision.is_some()),
        ]
        .into_iter()
        .filter_map(|(k, set)| set.then_some(k))
        .collect();
        let ops = operators(raw);
        match heads.as_slice() {
            [] => {
                let mut d = Diagnostic::error("empty condition")
                    .at(&span, "expected `all`, `any`, `not` or `q`");
                if let Some((name, _)) = ops.first() {
                    d = d.help(format!(
                        "`{name}` compares a question's answer: add `q = \"question_id\"`"
                    ));
                }
                self.error(d);
                None
            }
            [head] => {
                if *head != "q"
                    && *head != "decision"
                    && let Some((name, value)) = ops.first()
                {
                    self.error(
                        Diagnostic::error(format!(
                            "`{name}` belongs to a test on a question, not to `{head}`"
                        ))
                        .at(&sp(file, value), "unexpected here")
                        .help(format!(
                            "move it into its own `{{ q = \"...\", {name} = ... }}`"
                        )),
                    );
                    return None;
                }
                match *head {
                    "all" | "any" => {
                        let children = if *head == "all" { &raw.all } else { &raw.any };
                        let children = children.as_deref().unwrap_or_default();
                        if children.is_empty() {
                            self.error(
                                Diagnostic::error(format!("`{head}` needs at least one condition"))
                                    .at(&span, "empty list"),
                            );
                            return None;
                        }
                        let lowered: Vec<Option<Condition>> = children
                            .iter()
                            .map(|c| self.condition(file, c, scope))
                            .collect();
                        let lowered: Option<Vec<Condition>> = lowered.into_iter().collect();
                        let lowered = lowered?;
                        let node = if *head == "all" {
                            CondNode::All(lowered)
                        } else {
                            CondNode::Any(lowered)
                        };
                        Some(Condition { node, span })
                    }
                    "not" => {
                        let inner = raw.not.as_deref()?;
                        let inner = self.condition(file, inner, scope)?;
                        Some(Condition {
                            node: CondNode::Not(Box::new(inner)),
                            span,
                        })
                    }
                    _ => self.test(file, raw, &span, &ops, scope),
                }
            }
            several => {
                self.error(
                    Diagnostic::error(format!(
                        "a condition takes one of `all`, `any`, `not` or `q`, found {}",
                        several
                            .iter()
                            .map(|h| format!("`{h}`"))
                            .collect::<Vec<_>>()
                            .join(" and ")
                    ))
                    .at(&span, "ambiguous condition")
                    .help("combine them explicitly: `all = [ ..., ... ]`"),
                );
                None
            }
        }
    }

    fn test(
        &mut self,
        file: &Arc<SourceFile>,
        raw: &RawCond,
        span: &Span,
        ops: &[(&'static str, &Spanned<toml::Value>)],
        scope: &Scope<'_>,
    ) -> Option<Condition> {
        let question = match (&raw.q, &raw.decision) {
            (Some(q), _) => self.asked(file, q, scope)?,
            (None, Some(topic)) => self.decided(file, topic, scope)?,
            (None, None) => return None,
        };
        let id = question.id.as_str();
        let (name, value) = match ops {
            [] => {
                self.error(
                    Diagnostic::error(format!("the test on `{id}` has no operator"))
                        .at(span, "nothing to compare")
                        .help(operator_help(question)),
                );
                return None;
            }
            [single] => *single,
            [_, second, ..] => {
                self.error(
                    Diagnostic::error(format!("the test on `{id}` has more than one operator"))
                        .at(&sp(file, second.1), "second operator")
                        .help("use one operator per test and combine tests with `all` or `any`"),
                );
                return None;
            }
        };
        if let Some(topic) = question.id.as_str().strip_prefix(DECISION_PREFIX)
            && !self.options_exist(file, topic, question, value)
        {
            return None;
        }
        let op = self.operator(file, question, name, value)?;
        Some(Condition {
            node: CondNode::Test(Test {
                question: question.id.clone(),
                op,
                slot: Test::NO_SLOT,
                fast: Fast::Slow,
            }),
            span: span.clone(),
        })
    }

    /// Whether every option a decision test names is one of the topic's.
    fn options_exist(
        &mut self,
        file: &Arc<SourceFile>,
        topic: &str,
        question: &Question,
        value: &Spanned<toml::Value>,
    ) -> bool {
        let QuestionKind::Single(options) = &question.kind else {
            return true;
        };
        let names: Vec<&str> = match value.get_ref() {
            toml::Value::String(s) => vec![s.as_str()],
            toml::Value::Array(items) => items.iter().filter_map(toml::Value::as_str).collect(),
            _ => return true, // the operator reports the wrong type
        };
        let ids = || options.iter().map(|o| o.id.as_str());
        let mut ok = true;
        for name in names {
            if !ids().any(|o| o == name) {
                self.error(
                    Diagnostic::error(format!("topic `{topic}` has no option `{name}`"))
                        .at(&sp(file, value), "no such option")
                        .suggest(name, ids())
                        .help(format!(
                            "options of `{topic}`: {}",
                            ids()
                                .map(|o| format!("`{o}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )),
                );
                ok = false;
            }
        }
        ok
    }

    /// The question a test reads, or a diagnostic.
    fn asked<'s>(
        &mut self,
        file: &Arc<SourceFile>,
        q: &Spanned<String>,
        scope: &Scope<'s>,
    ) -> Option<&'s Question> {
        let q_span = sp(file, q);
        let id = q.get_ref();
        if let Some(question) = scope.questions.iter().find(|x| x.id.as_str() == id) {
            return Some(question);
        }
        if scope.later.iter().any(|later| later == id) {
            self.error(
                Diagnostic::error(format!("`{id}` is not asked before this question"))
                    .at(&q_span, "defined later, or is this question itself")
                    .help("a question's `when` can only read questions defined above it"),
            );
        } else {
            self.error(
                Diagnostic::error(format!("unknown question `{id}`"))
                    .at(&q_span, "no such question")
                    .suggest(id, scope.questions.iter().map(|x| x.id.as_str())),
            );
        }
        None
    }

    /// The decision a test reads, as a single-choice question over the
    /// topic's options, or a diagnostic.
    fn decided<'s>(
        &mut self,
        file: &Arc<SourceFile>,
        topic: &Spanned<String>,
        scope: &Scope<'s>,
    ) -> Option<&'s Question> {
        let at = sp(file, topic);
        let id = topic.get_ref();
        if scope.own_topic == Some(id.as_str()) {
            self.error(
                Diagnostic::error(format!("topic `{id}` cannot read its own decision"))
                    .at(&at, "this topic")
                    .help("a linked decision reads another topic's winner"),
            );
            return None;
        }
        if scope.own_topic.is_none() && scope.decisions.is_empty() {
            self.error(
                Diagnostic::error("only rules and risks can read a decision")
                    .at(&at, "not available here")
                    .help("a question is asked before any topic is decided"),
            );
            return None;
        }
        let key = format!("{DECISION_PREFIX}{id}");
        if let Some(question) = scope.decisions.iter().find(|x| x.id.as_str() == key) {
            return Some(question);
        }
        if self.topics_broken {
            return None; // likely the topic whose file has a syntax error, reported already
        }
        let known = scope
            .decisions
            .iter()
            .filter_map(|x| x.id.as_str().strip_prefix(DECISION_PREFIX));
        self.error(
            Diagnostic::error(format!("unknown topic `{id}`"))
                .at(&at, "no such topic")
                .suggest(id, known),
        );
        None
    }

    fn operator(
        &mut self,
        file: &Arc<SourceFile>,
        question: &Question,
        name: &str,
        value: &Spanned<toml::Value>,
    ) -> Option<Op> {
        let at = sp(file, value);
        let kind = question.kind_name();
        let wrong_kind = |expected: &str| {
            Diagnostic::error(format!(
                "`{name}` does not apply to `{}`, a `{kind}` question",
                question.id
            ))
            .at(&at, format!("`{name}` {expected}"))
            .help(operator_help(question))
        };
        match name {
            "eq" | "ne" => {
                if matches!(question.kind, QuestionKind::Multi(_)) {
                    self.error(wrong_kind("compares one value"));
                    return None;
                }
                match question.check_toml(value.get_ref()) {
                    Ok(Answer::Known(v)) => Some(if name == "eq" { Op::Eq(v) } else { Op::Ne(v) }),
                    Ok(Answer::Unknown) => {
                        self.error(
                            Diagnostic::error(format!("rules cannot compare with `{UNKNOWN}`"))
                                .at(&at, "here")
                                .help(
                                    "test `answered = false` to act on a missing or unknown answer",
                                ),
                        );
                        None
                    }
                    Err(e) => {
                        self.value_error(&at, e);
                        None
                    }
                }
            }
            "gt" | "gte" | "lt" | "lte" => {
                if !matches!(question.kind, QuestionKind::Number(_)) {
                    self.error(wrong_kind("compares numbers"));
                    return None;
                }
                let n = match value.get_ref() {
                    toml::Value::Integer(i) => *i as f64,
                    toml::Value::Float(f) => *f,
                    other => {
                        self.error(
                            Diagnostic::error(format!(
                                "`{name}` needs a number, found {}",
                                super::question::describe_toml(other)
                            ))
                            .at(&at, "not a number"),
                        );
                        return None;
                    }
                };
                if !n.is_finite() {
                    self.error(
                        Diagnostic::error(format!("`{name}` needs a finite number, found `{n}`"))
                            .at(&at, "no answer compares with this")
                            .help(format!(
                                "`{}` expects {}",
                                question.id,
                                question.expectation()
                            )),
                    );
                    return None;
                }
                Some(match name {
                    "gt" => Op::Gt(n),
                    "gte" => Op::Gte(n),
                    "lt" => Op::Lt(n),
                    _ => Op::Lte(n),
                })
            }
            "in" => {
                if !matches!(question.kind, QuestionKind::Single(_)) {
                    self.error(wrong_kind("lists choices of a single-choice question"));
                    return None;
                }
                let toml::Value::Array(items) = value.get_ref() else {
                    self.error(
                        Diagnostic::error("`in` needs a list of choices")
                            .at(&at, "not a list")
                            .help("for example `in = [\"a\", \"b\"]`"),
                    );
                    return None;
                };
                if items.is_empty() {
                    self.error(
                        Diagnostic::error("`in` needs at least one choice").at(&at, "empty list"),
                    );
                    return None;
                }
                let mut choices = Vec::new();
                for item in items {
                    match question.check_toml(item) {
                        Ok(Answer::Known(crate::value::Value::Choice(c))) => choices.push(c),
                        Ok(_) => return None,
                        Err(e) => {
                            self.value_error(&at, e);
                            return None;
                        }
                    }
                }
                Some(Op::In(choices))
            }
            "contains" => {
                if !matches!(question.kind, QuestionKind::Multi(_)) {
                    self.error(wrong_kind("looks inside a multiple-choice answer"));
                    return None;
                }
                let toml::Value::String(s) = value.get_ref() else {
                    self.error(
                        Diagnostic::error("`contains` needs one choice id")
                            .at(&at, "not a string")
                            .help("to test several choices, combine tests with `any` or `all`"),
                    );
                    return None;
                };
                if question.choice(s).is_none() {
                    self.error(
                        Diagnostic::error(format!("`{}` has no choice `{s}`", question.id))
                            .at(&at, "no such choice")
                            .suggest(s, question.choices().iter().map(|c| c.id.as_str())),
                    );
                    return None;
                }
                Some(Op::Contains(ChoiceId::new(s.as_str())))
            }
            _ => match value.get_ref() {
                toml::Value::Boolean(b) => Some(Op::Answered(*b)),
                _ => {
                    self.error(
                        Diagnostic::error("`answered` takes `true` or `false`")
                            .at(&at, "not a boolean"),
                    );
                    None
                }
            },
        }
    }

    fn value_error(&mut self, at: &Span, e: super::question::ValueError) {
        let mut d = Diagnostic::error(e.message).at(at, "does not fit the question");
        for h in e.help {
            d = d.help(h);
        }
        self.error(d);
    }

    // ----- topics and rules ----------------------------------------------

    fn topic(
        &mut self,
        file: &Arc<SourceFile>,
        parsed: Parsed<raw::TopicFile>,
        questions: &[Question],
        decisions: &[Question],
        sources: &[Source],
    ) -> Option<Topic> {
        let parsed: raw::TopicFile = match parsed {
            Ok(parsed) => parsed,
            Err(d) => {
                self.error(*d);
                return None;
            }
        };
        let span = sp(file, &parsed.topic);
        let raw = parsed.topic.get_ref();
        let id = raw.id.get_ref();
        let id_ok = self.check_id(file, &raw.id, "topic", IdStyle::Kebab);
        if let Some(first) = self.topic_ids.get(id) {
            let first = first.clone();
            self.duplicate("topic", id, &sp(file, &raw.id), &first);
            return None;
        }
        self.topic_ids.insert(id.clone(), sp(file, &raw.id));
        let what = format!("topic `{id}`");
        let title = self.text(&raw.title, "title", &what, &span);
        let problem = self.text(&raw.problem, "problem", &what, &span);
        let decision = match &raw.decision {
            Some(d) => d.get_ref().trim().to_owned(),
            None => format!("{title}: {{option}}"),
        };
        let options = self.options(file, &parsed.options, id, &span, sources);
        let scope = Scope {
            questions,
            later: &[],
            decisions,
            own_topic: Some(id.as_str()),
        };
        let topic_id = TopicId::new(id.as_str());
        let rules: Vec<Rule> = parsed
            .rules
            .iter()
            .filter_map(|r| self.rule(file, r, &topic_id, &options, &scope, sources))
            .collect();
        if parsed.rules.is_empty() {
            self.error(
                Diagnostic::error(format!("topic `{id}` has no rules")).at(&span, "defined here"),
            );
        }
        id_ok.then(|| Topic {
            id: topic_id,
            title: title.into(),
            problem: problem.into(),
            decision: decision.into(),
            order: raw.order.as_ref().map_or(i64::MAX, |o| *o.get_ref()),
            options,
            rules,
            span,
        })
    }

    fn options(
        &mut self,
        file: &Arc<SourceFile>,
        raw: &[Spanned<raw::RawOption>],
        topic: &str,
        topic_span: &Span,
        registry: &[Source],
    ) -> Vec<TopicOption> {
        if raw.len() < 2 {
            self.error(
                Diagnostic::error(format!("topic `{topic}` needs at least two options"))
                    .at(topic_span, "defined here")
                    .help("add `[[option]]` tables: a decision needs alternatives"),
            );
        }
        let mut out: Vec<TopicOption> = Vec::new();
        for entry in raw {
            if let Some(option) = self.option(file, entry, &out, registry) {
                out.push(option);
            }
        }
        out
    }

    /// One option, checked against the options defined before it.
    fn option(
        &mut self,
        file: &Arc<SourceFile>,
        entry: &Spanned<raw::RawOption>,
        earlier: &[TopicOption],
        registry: &[Source],
    ) -> Option<TopicOption> {
        let span = sp(file, entry);
        let option = entry.get_ref();
        let id = option.id.get_ref();
        if !self.check_id(file, &option.id, "option", IdStyle::Kebab) {
            return None;
        }
        if let Some(first) = earlier.iter().find(|o| o.id.as_str() == id) {
            let first = first.span.clone();
            self.duplicate("option", id, &sp(file, &option.id), &first);
            return None;
        }
        let what = format!("option `{id}`");
        let list = |items: &[Spanned<String>]| items.iter().map(trimmed).collect();
        Some(TopicOption {
            id: OptionId::new(id.as_str()),
            name: (self.text(&option.name, "name", &what, &span)).into(),
            summary: (self.text(&option.summary, "summary", &what, &span)).into(),
            good: list(&option.good),
            bad: list(&option.bad),
            neutral: list(&option.neutral),
            profile: self.profile(file, option, &what, &span, registry),
            span,
        })
    }

    fn rule(
        &mut self,
        file: &Arc<SourceFile>,
        entry: &Spanned<raw::RawRule>,
        topic: &TopicId,
        options: &[TopicOption],
        scope: &Scope<'_>,
        sources: &[Source],
    ) -> Option<Rule> {
        let span = sp(file, entry);
        let raw = entry.get_ref();
        let id = raw.id.get_ref();
        let mut ok = self.check_id(file, &raw.id, "rule", IdStyle::Kebab);
        if let Some(first) = self.rule_ids.get(id) {
            // Report, then keep checking the rule so its other problems show too.
            let first = first.clone();
            self.duplicate("rule", id, &sp(file, &raw.id), &first);
            ok = false;
        } else {
            self.rule_ids.insert(id.clone(), sp(file, &raw.id));
        }
        if let (Some(flag), false) = (&raw.override_rule, self.in_pack) {
            self.error(
                Diagnostic::error("`override` only applies to a rule in a rule pack")
                    .at(&sp(file, flag), "not in a pack")
                    .help("a rule base defines its rules; a pack (a directory with `pack.toml`) overrides them"),
            );
            ok = false;
        }
        let what = format!("rule `{id}`");
        let summary = self.text(&raw.summary, "summary", &what, &span);
        let rationale = self.text(&raw.rationale, "rationale", &what, &span);
        let sources = self.cited(file, &raw.sources, &what, &span, sources);
        let option_ids = || options.iter().map(|o| o.id.as_str());
        let mut score = Vec::new();
        for (option, points) in &raw.score {
            let name = option.get_ref();
            if !options.iter().any(|o| o.id.as_str() == name) {
                self.error(
                    Diagnostic::error(format!("unknown option `{name}` in topic `{topic}`"))
                        .at(&sp(file, option), "no such option")
                        .suggest(name, option_ids())
                        .help(format!(
                            "options of `{topic}`: {}",
                            option_ids()
                                .map(|o| format!("`{o}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )),
                );
                ok = false;
                continue;
            }
            let p = *points.get_ref();
            if p == 0 || p.abs() > MAX_POINTS {
                self.error(
                    Diagnostic::error(format!("points must be between -{MAX_POINTS} and {MAX_POINTS}, and not 0"))
                        .at(&sp(file, points), "out of range")
                        .help("to rule an option out whatever else holds, use `exclude` and say why in `summary`"),
                );
                ok = false;
                continue;
            }
            score.push((OptionId::new(name.as_str()), p as i32));
        }
        score.sort_by_key(|(o, _)| options.iter().position(|x| &x.id == o));
        let mut exclude = Vec::new();
        for option in &raw.exclude {
            let name = option.get_ref();
            if !options.iter().any(|o| o.id.as_str() == name) {
                self.error(
                    Diagnostic::error(format!("unknown option `{name}` in topic `{topic}`"))
                        .at(&sp(file, option), "no such option")
                        .suggest(name, option_ids()),
                );
                ok = false;
            } else if !exclude.iter().any(|o: &OptionId| o.as_str() == name) {
                exclude.push(OptionId::new(name.as_str()));
            }
        }
        let advice = raw.advice.as_ref().map(|a| a.get_ref().trim().to_owned());
        if let Some(empty) = raw
            .advice
            .as_ref()
            .filter(|a| a.get_ref().trim().is_empty())
        {
            self.error(
                Diagnostic::error(format!("rule `{id}` has empty `advice`"))
                    .at(&sp(file, empty), "empty")
                    .help("write the advice, or leave `advice` out"),
            );
            ok = false;
        }
        if raw.score.is_empty() && raw.exclude.is_empty() && advice.is_none() {
            self.error(
                Diagnostic::error(format!("rule `{id}` has no effect"))
                    .at(&span, "defined here")
                    .help("add `score = { option = points }`, `exclude = [\"option\"]` or `advice = \"...\"`"),
            );
            ok = false;
        }
        if !raw.exclude.is_empty() && raw.when.is_none() {
            self.error(
                Diagnostic::error(format!("knock-out rule `{id}` has no condition"))
                    .at(&span, "excludes options unconditionally")
                    .help("a knock-out applies to a situation: add `when`; or remove the option from the topic"),
            );
            ok = false;
        }
        let when = match &raw.when {
            Some(c) => match self.condition(file, c, scope) {
                Some(c) => Some(c),
                None => {
                    ok = false;
                    None
                }
            },
            None => None,
        };
        let reviewed = raw.reviewed.as_ref().and_then(|r| self.reviewed(file, r));
        let evidence = raw.evidence.as_ref().and_then(|e| self.evidence(file, e));
        ok.then(|| Rule {
            id: RuleId::new(id.as_str()),
            topic: topic.clone(),
            summary: summary.into(),
            when,
            score,
            exclude,
            advice: advice.map(Text::from),
            rationale: rationale.into(),
            sources,
            reviewed: reviewed.map(Text::from),
            evidence,
            origin: RuleOrigin::Requirement,
            span,
        })
    }

    /// A `sources` list: registry ids or full citations, at least one.
    fn cited(
        &mut self,
        file: &Arc<SourceFile>,
        sources: &Option<Spanned<Vec<Spanned<String>>>>,
        what: &str,
        span: &Span,
        registry: &[Source],
    ) -> Vec<SourceId> {
        let list = match sources {
            Some(list) if !list.get_ref().is_empty() => list.get_ref(),
            _ => {
                self.error(
                    Diagnostic::error(format!("{what} has no `sources`"))
                        .at(span, "every heuristic cites where it comes from")
                        .help("add `sources = [\"S1\"]` (an id from sources.toml) or a citation with a URL"),
                );
                return Vec::new();
            }
        };
        let mut out = Vec::new();
        for entry in list {
            let text = entry.get_ref().trim();
            if self.unchecked_sources
                || is_inline_citation(text)
                || registry.iter().any(|s| s.id.as_str() == text)
            {
                out.push(SourceId::new(text));
            } else {
                self.error(
                    Diagnostic::error(format!("unknown source `{text}`"))
                        .at(&sp(file, entry), "not in sources.toml")
                        .suggest(text, registry.iter().map(|s| s.id.as_str()))
                        .help("cite an id from sources.toml, or write the citation in full with its URL"),
                );
            }
        }
        out
    }

    fn evidence(&mut self, file: &Arc<SourceFile>, e: &Spanned<String>) -> Option<Evidence> {
        self.keyword(file, e, "evidence", &Evidence::ALL)
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

    /// An option's profile: every attribute rated in range, with why and sources.
    fn profile(
        &mut self,
        file: &Arc<SourceFile>,
        option: &raw::RawOption,
        what: &str,
        span: &Span,
        registry: &[Source],
    ) -> Option<Profile> {
        let Some(table) = &option.profile else {
            for (key, present) in [
                ("profile_why", option.profile_why.is_some()),
                ("profile_sources", option.profile_sources.is_some()),
            ] {
                if present {
                    self.error(
                        Diagnostic::error(format!("{what} has `{key}` but no `profile`"))
                            .at(span, "defined here")
                            .help(profile_help()),
                    );
                }
            }
            return None;
        };
        let at = sp(file, table);
        let mut ratings: [Option<i8>; 8] = [None; 8];
        let mut ok = true;
        for (key, value) in table.get_ref() {
            let Some(attribute) = Attribute::parse(key.get_ref()) else {
                self.error(
                    Diagnostic::error(format!("unknown quality attribute `{}`", key.get_ref()))
                        .at(&sp(file, key), "not an attribute")
                        .suggest(key.get_ref(), Attribute::ALL.iter().map(|a| a.key())),
                );
                ok = false;
                continue;
            };
            let rating = *value.get_ref();
            if !RATING_RANGE.contains(&rating) {
                self.error(
                    Diagnostic::error(format!(
                        "a rating must be between {} and {}",
                        RATING_RANGE.start(),
                        RATING_RANGE.end()
                    ))
                    .at(&sp(file, value), "out of range")
                    .help("0 is typical among the topic's options; +2 clearly the best of them"),
                );
                ok = false;
                continue;
            }
            ratings[attribute.index()] = i8::try_from(rating).ok();
        }
        let missing: Vec<String> = Attribute::ALL
            .iter()
            .filter(|a| ratings[a.index()].is_none())
            .map(|a| format!("`{}`", a.key()))
            .collect();
        if ok && !missing.is_empty() {
            self.error(
                Diagnostic::error(format!(
                    "the profile of {what} lacks {}",
                    and_list(&missing)
                ))
                .at(&at, "incomplete profile")
                .help("rate all eight attributes; 0 means typical among the topic's options"),
            );
            ok = false;
        }
        let why = self.text(&option.profile_why, "profile_why", what, span);
        let sources = self.cited(file, &option.profile_sources, what, span, registry);
        if !ok || why.is_empty() || sources.is_empty() {
            return None;
        }
        let mut out = [0i8; 8];
        for (slot, rating) in out.iter_mut().zip(ratings) {
            *slot = rating.unwrap_or(0);
        }
        Some(Profile {
            ratings: out,
            why: why.into(),
            sources,
        })
    }

    /// Linked decisions must form no cycle: each topic is decided before
    /// the topics that read its decision.
    fn acyclic(&mut self, topics: &[Topic]) {
        if let Err(cycle) = super::decision_order(topics) {
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

    fn risks(
        &mut self,
        file: &Arc<SourceFile>,
        parsed: Parsed<raw::RisksFile>,
        questions: &[Question],
        decisions: &[Question],
        topics: &[Topic],
        registry: &[Source],
    ) -> Vec<Risk> {
        let parsed = match parsed {
            Ok(parsed) => parsed,
            Err(d) => {
                self.error(*d);
                return Vec::new();
            }
        };
        let scope = Scope {
            questions,
            later: &[],
            decisions,
            own_topic: None,
        };
        let mut seen: BTreeMap<String, Span> = BTreeMap::new();
        let mut out = Vec::new();
        for entry in &parsed.risks {
            let span = sp(file, entry);
            let raw = entry.get_ref();
            let id = raw.id.get_ref();
            let mut ok = self.check_id(file, &raw.id, "risk", IdStyle::Kebab);
            if let Some(first) = seen.get(id) {
                let first = first.clone();
                self.duplicate("risk", id, &sp(file, &raw.id), &first);
                ok = false;
            } else {
                seen.insert(id.clone(), sp(file, &raw.id));
            }
            let what = format!("risk `{id}`");
            let title = self.text(&raw.title, "title", &what, &span);
            let rationale = self.text(&raw.rationale, "rationale", &what, &span);
            let mitigation = self.text(&raw.mitigation, "mitigation", &what, &span);
            let sources = self.cited(file, &raw.sources, &what, &span, registry);
            let kind = match &raw.kind {
                Some(k) => self.keyword(file, k, "risk kind", &RiskKind::ALL),
                None => Some(RiskKind::Risk),
            };
            let severity = match &raw.severity {
                Some(k) => self.keyword(file, k, "severity", &Severity::ALL),
                None => {
                    self.error(
                        Diagnostic::error(format!("{what} has no `severity`"))
                            .at(&span, "defined here")
                            .help("add `severity = \"high\"`, `\"medium\"` or `\"low\"`"),
                    );
                    None
                }
            };
            let when = match &raw.when {
                Some(c) => self.condition(file, c, &scope),
                None => {
                    self.error(
                        Diagnostic::error(format!("{what} has no condition"))
                            .at(&span, "defined here")
                            .help("a risk flags a combination of answers: add `when`"),
                    );
                    None
                }
            };
            let mut on = Vec::new();
            for topic in &raw.topics {
                let name = topic.get_ref();
                if topics.iter().any(|t| t.id.as_str() == name) {
                    on.push(TopicId::new(name.as_str()));
                } else {
                    self.error(
                        Diagnostic::error(format!("unknown topic `{name}`"))
                            .at(&sp(file, topic), "no such topic")
                            .suggest(name, topics.iter().map(|t| t.id.as_str())),
                    );
                    ok = false;
                }
            }
            let reviewed = raw.reviewed.as_ref().and_then(|r| self.reviewed(file, r));
            let evidence = raw.evidence.as_ref().and_then(|e| self.evidence(file, e));
            if let (true, Some(kind), Some(severity), Some(when), false, false) = (
                ok,
                kind,
                severity,
                when,
                title.is_empty() || rationale.is_empty() || mitigation.is_empty(),
                sources.is_empty(),
            ) {
                out.push(Risk {
                    id: RuleId::new(id.as_str()),
                    kind,
                    severity,
                    title: title.into(),
                    when,
                    rationale: rationale.into(),
                    mitigation: mitigation.into(),
                    sources,
                    topics: on,
                    reviewed: reviewed.map(Text::from),
                    evidence,
                    span,
                });
            }
        }
        out
    }

    fn reviewed(&mut self, file: &Arc<SourceFile>, value: &Spanned<toml::Value>) -> Option<String> {
        let text = match value.get_ref() {
            toml::Value::String(s) => s.clone(),
            toml::Value::Datetime(d) if d.time.is_none() && d.offset.is_none() => d.to_string(),
            _ => String::new(),
        };
        if text.parse::<jiff::civil::Date>().is_ok() && text.len() == 10 {
            Some(text)
        } else {
            self.error(
                Diagnostic::error("`reviewed` must be a date")
                    .at(&sp(file, value), "expected YYYY-MM-DD")
                    .help("for example `reviewed = 2026-11-21`"),
            );
            None
        }
    }
}

/// A source entry written out in full rather than as a registry id.
pub fn is_inline_citation(text: &str) -> bool {
    text.contains("://") || text.contains(' ')
}

fn operators(raw: &RawCond) -> Vec<(&'static str, &Spanned<toml::Value>)> {
    [
        ("eq", &raw.eq),
        ("ne", &raw.ne),
        ("gt", &raw.gt),
        ("gte", &raw.gte),
        ("lt", &raw.lt),
        ("lte", &raw.lte),
        ("in", &raw.in_),
        ("contains", &raw.contains),
        ("answered", &raw.answered),
    ]
    .into_iter()
    .filter_map(|(name, value)| value.as_ref().map(|v| (name, v)))
    .collect()
}

fn operator_help(question: &Question) -> String {
    let ops = match question.kind {
        QuestionKind::Single(_) => "`eq`, `ne`, `in` or `answered`",
        QuestionKind::Multi(_) => "`contains` or `answered`",
        QuestionKind::Number(_) => "`eq`, `ne`, `gt`, `gte`, `lt`, `lte` or `answered`",
        QuestionKind::Bool | QuestionKind::Text => "`eq`, `ne` or `answered`",
    };
    format!(
        "`{}` is a `{}` question: use {ops}",
        question.id,
        question.kind_name()
    )
}

fn kind_name(kind: RawKind) -> &'static str {
    match kind {
        RawKind::Single => "single",
        RawKind::Multi => "multi",
        RawKind::Number => "number",
        RawKind::Bool => "bool",
        RawKind::Text => "text",
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

fn profile_help() -> String {
    format!(
        "add `profile = {{ {} }}` (each -2..2)",
        Attribute::ALL
            .iter()
            .map(|a| format!("{} = 0", a.key()))
            .collect::<Vec<_>>()
            .join(", ")
    )
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
