//! Checks how a topic decides: one winner or a plan of options (with the
//! plan's thresholds and baseline options), when the topic applies at all,
//! how ties are ordered, and, for a staged topic, what runs today and the
//! step each option is.
//!
//! These declarations change what a verdict is, so a mistake in them is an
//! error at its position, never a silent fallback; only a topic that does
//! not say how it decides gets a warning (it decides one winner, as every
//! topic did before plans existed).

use super::{Scope, Validator, sp, trimmed};
use crate::diagnostic::Diagnostic;
use crate::ids::QuestionId;
use crate::profile::Attribute;
use crate::question::{Question, QuestionKind};
use crate::raw;
use crate::source::{SourceFile, Span};
use crate::topic::{DEFAULT_TIE_BREAK, DecisionKind, PlanThresholds, TopicOption};
use std::sync::Arc;
use toml::Spanned;

/// The code of the warning about a topic that does not declare `choice`.
pub const UNDECLARED_CHOICE: &str = "undeclared-choice";

/// How one topic decides, as checked.
pub(super) struct HowDecided {
    pub kind: DecisionKind,
    pub applies_when: Option<crate::condition::Condition>,
    pub applies_because: Option<crate::source::Text>,
    pub tie_break: Vec<Attribute>,
    pub current: Option<QuestionId>,
}

impl Validator {
    /// The topic's declarations about how it decides, checked against its
    /// options (already checked) and the questionnaire.
    pub(super) fn how_decided(
        &mut self,
        file: &Arc<SourceFile>,
        topic: &raw::RawTopic,
        span: &Span,
        options: &[TopicOption],
        scope: &Scope<'_>,
    ) -> HowDecided {
        let kind = self.decision_kind(file, topic, span);
        HowDecided {
            kind,
            applies_when: topic
                .applies_when
                .as_ref()
                .and_then(|c| self.condition(file, c, scope)),
            applies_because: topic.applies_because.as_ref().map(|t| trimmed(t)),
            tie_break: self.tie_break(file, topic.tie_break.as_ref()),
            current: self.current(file, topic, span, options, scope.questions),
        }
    }

    fn decision_kind(
        &mut self,
        file: &Arc<SourceFile>,
        topic: &raw::RawTopic,
        span: &Span,
    ) -> DecisionKind {
        let id = topic.id.get_ref();
        let combination = match &topic.choice {
            None => {
                self.diags.push(
                    Diagnostic::warning(format!("topic `{id}` does not declare `choice`"))
                        .code(UNDECLARED_CHOICE)
                        .at(span, "decides one winner")
                        .help("add `choice = \"one\"`, or `choice = \"combination\"` when real systems combine the options"),
                );
                false
            }
            Some(word) => {
                let all = [("one", false), ("combination", true)];
                self.keyword(file, word, "choice", &all).unwrap_or(false)
            }
        };
        if !combination {
            for key in [&topic.adopt_at, &topic.consider_at].into_iter().flatten() {
                self.error(
                    Diagnostic::error(format!(
                        "topic `{id}` chooses one option: a threshold is for a plan"
                    ))
                    .at(&sp(file, key), "only with `choice = \"combination\"`"),
                );
            }
            return DecisionKind::One;
        }
        DecisionKind::Combination(self.thresholds(file, topic, span))
    }

    fn thresholds(
        &mut self,
        file: &Arc<SourceFile>,
        topic: &raw::RawTopic,
        span: &Span,
    ) -> PlanThresholds {
        let value = |v: &Option<Spanned<i64>>, default: i32| {
            v.as_ref()
                .map_or(default, |v| i32::try_from(*v.get_ref()).unwrap_or(default))
        };
        let defaults = PlanThresholds::DEFAULT;
        let thresholds = PlanThresholds {
            adopt_at: value(&topic.adopt_at, defaults.adopt_at),
            consider_at: value(&topic.consider_at, defaults.consider_at),
        };
        if thresholds.adopt_at <= thresholds.consider_at {
            let at = topic
                .adopt_at
                .as_ref()
                .map_or_else(|| span.clone(), |a| sp(file, a));
            self.error(
                Diagnostic::error(format!(
                    "`adopt_at` ({}) must be above `consider_at` ({})",
                    thresholds.adopt_at, thresholds.consider_at
                ))
                .at(&at, "adopting must take more points than considering"),
            );
        }
        thresholds
    }

    fn tie_break(
        &mut self,
        file: &Arc<SourceFile>,
        raw: Option<&Spanned<Vec<Spanned<String>>>>,
    ) -> Vec<Attribute> {
        let Some(list) = raw else {
            return DEFAULT_TIE_BREAK.to_vec();
        };
        let all: Vec<(&'static str, Attribute)> =
            Attribute::ALL.iter().map(|a| (a.key(), *a)).collect();
        list.get_ref()
            .iter()
            .filter_map(|key| self.keyword(file, key, "attribute", &all))
            .collect()
    }

    /// A staged topic's question of what runs today: a single choice whose
    /// choices name the topic's options; and every option then has a step.
    fn current(
        &mut self,
        file: &Arc<SourceFile>,
        topic: &raw::RawTopic,
        span: &Span,
        options: &[TopicOption],
        questions: &[Question],
    ) -> Option<QuestionId> {
        let id = topic.id.get_ref();
        let Some(name) = &topic.current else {
            if let Some(staged) = options.iter().find(|o| o.stage.is_some()) {
                self.error(
                    Diagnostic::error(format!("option `{}` has a `stage`, but topic `{id}` names no `current` question", staged.id))
                        .at(&staged.span, "a step of what?")
                        .help("add `current = \"QUESTION\"`: the single-choice question of what runs today"),
                );
            }
            return None;
        };
        let at = sp(file, name);
        let Some(question) = questions.iter().find(|q| q.id.as_str() == name.get_ref()) else {
            self.error(
                Diagnostic::error(format!("unknown question `{}`", name.get_ref()))
                    .at(&at, "no such question")
                    .suggest(name.get_ref(), questions.iter().map(|q| q.id.as_str())),
            );
            return None;
        };
        let names_an_option = match &question.kind {
            QuestionKind::Single(choices) => choices.iter().any(|c| {
                let named = c.id.as_str().replace('_', "-");
                options.iter().any(|o| o.id.as_str() == named)
            }),
            _ => false,
        };
        if !names_an_option {
            self.error(
                Diagnostic::error(format!("`{}` cannot say which option of `{id}` runs today", question.id))
                    .at(&at, "expected a single-choice question whose choices name the options")
                    .help("give the question a choice per option, named as the option (`read_replicas` for `read-replicas`)"),
            );
            return None;
        }
        for option in options.iter().filter(|o| o.stage.is_none()) {
            self.error(
                Diagnostic::error(format!(
                    "option `{}` of staged topic `{id}` has no `stage`",
                    option.id
                ))
                .at(&option.span, "which step is it?")
                .help("add `stage = N`: 1 for the first step; alternatives share a step"),
            );
        }
        let _ = span;
        Some(question.id.clone())
    }

    /// An option's `baseline`, `group` and `stage`, checked against the topic.
    pub(super) fn option_role(
        &mut self,
        file: &Arc<SourceFile>,
        option: &raw::RawOption,
        combination: bool,
    ) -> OptionRole {
        let baseline = option.baseline.as_ref().is_some_and(|b| *b.get_ref());
        let spans = [
            ("baseline", option.baseline.as_ref().map(|b| b.span())),
            ("group", option.group.as_ref().map(|g| g.span())),
        ];
        for (key, span) in spans {
            if let (Some(span), false) = (span, combination) {
                self.error(
                    Diagnostic::error(format!("`{key}` is for options of a combination topic"))
                        .at(
                            &crate::source::Span::new(file, span),
                            "this topic picks one option",
                        )
                        .help("remove it, or declare `choice = \"combination\"`"),
                );
            }
        }
        let stage = option.stage.as_ref().and_then(|s| {
            let step = u32::try_from(*s.get_ref()).ok().filter(|&n| n >= 1);
            if step.is_none() {
                self.error(
                    Diagnostic::error(format!("invalid stage `{}`", s.get_ref()))
                        .at(&sp(file, s), "expected a whole number from 1"),
                );
            }
            step
        });
        OptionRole {
            baseline,
            group: option.group.as_ref().map(|g| trimmed(g)),
            stage,
        }
    }
}

/// What an option is in its topic's way of deciding.
pub(super) struct OptionRole {
    pub baseline: bool,
    pub group: Option<crate::source::Text>,
    pub stage: Option<u32>,
}
