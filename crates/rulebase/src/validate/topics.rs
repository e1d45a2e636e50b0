//! Checks the topics: each topic's id and texts, its options (with their
//! profiles) and its rules, and that linked decisions form no cycle. Each
//! topic's decision is also made a question here, so that rules and risks
//! can read it like an answer.

use super::{IdStyle, Parsed, Scope, Validator, sp, trimmed};
use crate::diagnostic::Diagnostic;
use crate::ids::{ChoiceId, OptionId, QuestionId, TopicId};
use crate::load::{self, RuleBaseFiles};
use crate::question::{Choice, Migration, Question, QuestionKind};
use crate::raw;
use crate::source::{SourceFile, Span, Text};
use crate::topic::{Rule, Topic, TopicOption};
use crate::{DECISION_PREFIX, Source};
use std::sync::Arc;
use toml::Spanned;

impl Validator {
    /// Reports a rule base without topic files, or whose topic files
    /// cannot be checked for want of a usable questionnaire.
    pub(super) fn report_unchecked_topics(
        &mut self,
        files: &RuleBaseFiles,
        root: &str,
        questions_parse: bool,
    ) {
        if files.topics.is_empty() {
            self.error(
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
            self.diags.push(
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
    }

    /// Every topic file, checked against the questions, decisions and
    /// sources, in the rule base's order.
    pub(super) fn topics(
        &mut self,
        files: &RuleBaseFiles,
        parsed: Vec<Parsed<raw::TopicFile>>,
        questions: &[Question],
        decisions: &[Question],
        sources: &[Source],
    ) -> Vec<Topic> {
        let mut topics = Vec::new();
        for (file, raw) in files.topics.iter().zip(parsed) {
            if let Some(topic) = self.topic(file, raw, questions, decisions, sources) {
                topics.push(topic);
            }
        }
        topics.sort_by(|a, b| a.order.cmp(&b.order).then_with(|| a.id.cmp(&b.id)));
        self.acyclic(&topics);
        topics
    }

    pub(super) fn topic(
        &mut self,
        file: &Arc<SourceFile>,
        parsed: Parsed<raw::TopicFile>,
        questions: &[Question],
        decisions: &[Question],
        sources: &[Source],
    ) -> Option<Topic> {
        let parsed = self.parsed(parsed)?;
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
        let combination = raw
            .choice
            .as_ref()
            .is_some_and(|c| c.get_ref() == "combination");
        let options = self.options(file, &parsed.options, id, &span, sources, combination);
        let scope = Scope {
            questions,
            later: &[],
            decisions,
            own_topic: Some(id.as_str()),
        };
        let how = self.how_decided(file, raw, &span, &options, &scope);
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
            kind: how.kind,
            applies_when: how.applies_when,
            applies_because: how.applies_because,
            tie_break: how.tie_break,
            current: how.current,
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
        combination: bool,
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
            if let Some(option) = self.option(file, entry, &out, registry, combination) {
                out.push(option);
            }
        }
        out
    }

    /// One option, checked against the options defined before it.
    pub(super) fn option(
        &mut self,
        file: &Arc<SourceFile>,
        entry: &Spanned<raw::RawOption>,
        earlier: &[TopicOption],
        registry: &[Source],
        combination: bool,
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
        let role = self.option_role(file, option, combination);
        Some(TopicOption {
            id: OptionId::new(id.as_str()),
            name: (self.text(&option.name, "name", &what, &span)).into(),
            summary: (self.text(&option.summary, "summary", &what, &span)).into(),
            good: list(&option.good),
            bad: list(&option.bad),
            neutral: list(&option.neutral),
            profile: self.profile(file, option, &what, &span, registry),
            baseline: role.baseline,
            group: role.group,
            stage: role.stage,
            span,
        })
    }
}

/// The decisions of validated topics, as [`decision_questions`] makes them.
pub(super) fn decision_questions_of(topics: &[Topic]) -> Vec<Question> {
    topics
        .iter()
        .map(|t| Question {
            id: crate::decision_key(&t.id),
            label: (format!("{} (decision)", t.title)).into(),
            prompt: Text::default(),
            help: Text::default(),
            section: None,
            kind: decision_kind(
                t.plan_thresholds().is_some(),
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
            now_of: None,
            migration: Migration::default(),
            span: t.span.clone(),
        })
        .collect()
}

/// A decision read as an answer: one option, or the set a plan adopts.
fn decision_kind(combination: bool, choices: Vec<Choice>) -> QuestionKind {
    if combination {
        QuestionKind::Multi(choices)
    } else {
        QuestionKind::Single(choices)
    }
}

/// Each topic's decision as a single-choice question over its options (a
/// multiple choice of the adopted options, for a combination), so
/// rules and risks can test it (`decision = "architecture"`) with the same
/// operators and checks as an answer. Built from the parsed files, before
/// the topics are validated, so any topic may read any other.
pub(super) fn decision_questions(
    files: &RuleBaseFiles,
    parsed: &[Parsed<raw::TopicFile>],
) -> Vec<Question> {
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
                kind: decision_kind(
                    topic
                        .choice
                        .as_ref()
                        .is_some_and(|c| c.get_ref() == "combination"),
                    choices,
                ),
                default: None,
                allow_unknown: false,
                when: None,
                now_of: None,
                migration: Migration::default(),
                span: sp(file, &parsed.topic),
            })
        })
        .collect()
}
