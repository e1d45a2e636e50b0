//! Checks the questionnaire: each question's id, texts and kind, its
//! choices or number bounds, its default, and the `when` that gates it on
//! the questions before it.

use super::{IdStyle, Parsed, Scope, Validator, optional_text, sp};
use crate::diagnostic::Diagnostic;
use crate::ids::{ChoiceId, QuestionId};
use crate::question::{Choice, Migration, NumberSpec, Question, QuestionKind, ValueMigration};
use crate::raw::{self, RawKind};
use crate::source::{SourceFile, Span};
use crate::value::UNKNOWN;
use std::sync::Arc;
use toml::Spanned;

impl Validator {
    pub(super) fn questions(
        &mut self,
        file: &Arc<SourceFile>,
        parsed: Parsed<raw::QuestionsFile>,
    ) -> Vec<Question> {
        let Some(parsed) = self.parsed(parsed) else {
            return Vec::new();
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
        for entry in &parsed.questions {
            self.now_of(file, entry.get_ref(), &mut out);
        }
        out
    }

    /// Links a question of today's value to the question of the projection
    /// it stands for: both numbers, both yes/no, or both single choices with
    /// the same choices, and never a chain.
    fn now_of(&mut self, file: &Arc<SourceFile>, raw: &raw::RawQuestion, out: &mut [Question]) {
        let Some(target) = &raw.now_of else { return };
        let id = raw.id.get_ref();
        let name = target.get_ref();
        let at = sp(file, target);
        let Some(projected) = out.iter().find(|q| q.id.as_str() == name) else {
            let d = Diagnostic::error(format!("unknown question `{name}` in `now_of`"))
                .at(&at, "no such question")
                .suggest(name, out.iter().map(|q| q.id.as_str()));
            self.error(d);
            return;
        };
        let fits = match (&projected.kind, out.iter().find(|q| q.id.as_str() == id)) {
            (_, None) => return,
            (QuestionKind::Number(_), Some(q)) => matches!(q.kind, QuestionKind::Number(_)),
            (QuestionKind::Bool, Some(q)) => matches!(q.kind, QuestionKind::Bool),
            (QuestionKind::Single(a), Some(q)) => match &q.kind {
                QuestionKind::Single(b) => a.iter().map(|c| &c.id).eq(b.iter().map(|c| &c.id)),
                _ => false,
            },
            _ => false,
        };
        let chained = projected.now_of.is_some() || name == id;
        if !fits || chained {
            let why = if chained {
                "a question of today's value must name the projection itself"
            } else {
                "both must be numbers, both yes/no, or single choices with the same choices"
            };
            let d = Diagnostic::error(format!("`{id}` cannot hold today's value of `{name}`"))
                .at(&at, why);
            self.error(d);
            return;
        }
        let projected = projected.id.clone();
        if let Some(q) = out.iter_mut().find(|q| q.id.as_str() == id) {
            q.now_of = Some(projected);
        }
    }

    pub(super) fn question(
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
            now_of: None,
            migration: Migration::default(),
            span,
        };
        question.migration = self.migration(file, raw, &question);
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

    /// Checks what a question took over from renamed or split ones: ids in
    /// snake case other than its own, and old answers that map to answers
    /// this question accepts.
    fn migration(
        &mut self,
        file: &Arc<SourceFile>,
        raw: &raw::RawQuestion,
        question: &Question,
    ) -> Migration {
        let mut migration = Migration::default();
        if let Some(was_single) = &raw.was_single {
            if *was_single.get_ref() && !matches!(question.kind, QuestionKind::Multi(_)) {
                self.error(
                    Diagnostic::error(format!(
                        "`was_single` applies to multiple-choice questions; `{}` is not one",
                        question.id
                    ))
                    .at(&sp(file, was_single), "not a `multi` question"),
                );
            }
            migration.was_single = *was_single.get_ref();
        }
        for old in &raw.replaces {
            if !self.check_id(file, old, "question", IdStyle::Snake) {
                continue;
            }
            if old.get_ref() == question.id.as_str() {
                self.error(
                    Diagnostic::error(format!("`{}` cannot replace itself", question.id))
                        .at(&sp(file, old), "its own id"),
                );
                continue;
            }
            migration
                .replaces
                .push(QuestionId::new(old.get_ref().as_str()));
        }
        for entry in &raw.migrate {
            let entry = entry.get_ref();
            match question.check_toml(entry.to.get_ref()) {
                Ok(to) => migration.values.push(ValueMigration {
                    from: entry.from.get_ref().to_string(),
                    to,
                }),
                Err(e) => {
                    let d = Diagnostic::error(format!("invalid migration: {}", e.message))
                        .at(&sp(file, &entry.to), "does not fit the question");
                    self.error(e.help.into_iter().fold(d, Diagnostic::help));
                }
            }
        }
        migration
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
