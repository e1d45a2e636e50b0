//! Checks conditions: the `all` / `any` / `not` tree of a `when`, and each
//! test in it against the question or decision it reads, its operator and
//! the value it compares with.

use super::{Scope, Validator, sp};
use crate::DECISION_PREFIX;
use crate::compiled::CompiledTest;
use crate::condition::{CondNode, Condition, Op, Test};
use crate::diagnostic::{Diagnostic, unknown_option};
use crate::ids::ChoiceId;
use crate::question::{Question, QuestionKind, ValueError};
use crate::raw::RawCond;
use crate::source::{SourceFile, Span};
use crate::value::{Answer, UNKNOWN, Value};
use std::sync::Arc;
use toml::Spanned;

/// A test's operators, by name, with the value each compares with.
type Operators<'a> = [(&'static str, &'a Spanned<toml::Value>)];

impl Validator {
    pub(super) fn condition(
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
            [head] => self.headed(file, raw, head, span, &ops, scope),
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

    /// A condition with one head: `all`, `any`, `not`, or a test (`q`,
    /// `decision`), which alone may carry operators.
    fn headed(
        &mut self,
        file: &Arc<SourceFile>,
        raw: &RawCond,
        head: &str,
        span: Span,
        ops: &Operators<'_>,
        scope: &Scope<'_>,
    ) -> Option<Condition> {
        if head != "q"
            && head != "decision"
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
        match head {
            "all" | "any" => self.combined(file, raw, head, span, scope),
            "not" => {
                let inner = raw.not.as_deref()?;
                let inner = self.condition(file, inner, scope)?;
                Some(Condition {
                    node: CondNode::Not(Box::new(inner)),
                    span,
                })
            }
            _ => self.test(file, raw, &span, ops, scope),
        }
    }

    /// `all` or `any`, over at least one condition.
    fn combined(
        &mut self,
        file: &Arc<SourceFile>,
        raw: &RawCond,
        head: &str,
        span: Span,
        scope: &Scope<'_>,
    ) -> Option<Condition> {
        let children = if head == "all" { &raw.all } else { &raw.any };
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
        let node = if head == "all" {
            CondNode::All(lowered)
        } else {
            CondNode::Any(lowered)
        };
        Some(Condition { node, span })
    }

    fn test(
        &mut self,
        file: &Arc<SourceFile>,
        raw: &RawCond,
        span: &Span,
        ops: &Operators<'_>,
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
                compiled: CompiledTest::Slow,
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
                self.error(unknown_option(
                    format!("topic `{topic}` has no option `{name}`"),
                    &sp(file, value),
                    topic,
                    name,
                    ids(),
                ));
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
        if let Some(does) = misapplied(name, &question.kind) {
            return self.rejected(wrong_kind(question, name, does, &at));
        }
        match name {
            "eq" | "ne" => self.equality(question, name, value, &at),
            "gt" | "gte" | "lt" | "lte" => self.comparison(question, name, value, &at),
            "in" => self.one_of(question, value, &at),
            "contains" => self.contains(question, value, &at),
            _ => match value.get_ref() {
                toml::Value::Boolean(b) => Some(Op::Answered(*b)),
                _ => self.rejected(
                    Diagnostic::error("`answered` takes `true` or `false`")
                        .at(&at, "not a boolean"),
                ),
            },
        }
    }

    /// `eq` or `ne`: one value of the question's kind (not a multiple choice).
    fn equality(
        &mut self,
        question: &Question,
        name: &str,
        value: &Spanned<toml::Value>,
        at: &Span,
    ) -> Option<Op> {
        match question.check_toml(value.get_ref()) {
            Ok(Answer::Known(v)) => Some(if name == "eq" { Op::Eq(v) } else { Op::Ne(v) }),
            Ok(Answer::Unknown) => self.rejected(
                Diagnostic::error(format!("rules cannot compare with `{UNKNOWN}`"))
                    .at(at, "here")
                    .help("test `answered = false` to act on a missing or unknown answer"),
            ),
            Err(e) => self.value_error(at, e),
        }
    }

    /// `gt`, `gte`, `lt` or `lte`: a finite number, on a number question.
    fn comparison(
        &mut self,
        question: &Question,
        name: &str,
        value: &Spanned<toml::Value>,
        at: &Span,
    ) -> Option<Op> {
        let n = match value.get_ref() {
            toml::Value::Integer(i) => *i as f64,
            toml::Value::Float(f) => *f,
            other => {
                return self.rejected(
                    Diagnostic::error(format!(
                        "`{name}` needs a number, found {}",
                        crate::question::describe_toml(other)
                    ))
                    .at(at, "not a number"),
                );
            }
        };
        if !n.is_finite() {
            return self.rejected(
                Diagnostic::error(format!("`{name}` needs a finite number, found `{n}`"))
                    .at(at, "no answer compares with this")
                    .help(format!(
                        "`{}` expects {}",
                        question.id,
                        question.expectation()
                    )),
            );
        }
        Some(match name {
            "gt" => Op::Gt(n),
            "gte" => Op::Gte(n),
            "lt" => Op::Lt(n),
            _ => Op::Lte(n),
        })
    }

    /// `in`: a list of choices, of a single-choice question.
    fn one_of(
        &mut self,
        question: &Question,
        value: &Spanned<toml::Value>,
        at: &Span,
    ) -> Option<Op> {
        let toml::Value::Array(items) = value.get_ref() else {
            return self.rejected(
                Diagnostic::error("`in` needs a list of choices")
                    .at(at, "not a list")
                    .help("for example `in = [\"a\", \"b\"]`"),
            );
        };
        if items.is_empty() {
            return self.rejected(
                Diagnostic::error("`in` needs at least one choice").at(at, "empty list"),
            );
        }
        let mut choices = Vec::new();
        for item in items {
            match question.check_toml(item) {
                Ok(Answer::Known(Value::Choice(c))) => choices.push(c),
                Ok(_) => return None,
                Err(e) => return self.value_error(at, e),
            }
        }
        Some(Op::In(choices))
    }

    /// `contains`: one choice of a multiple-choice question.
    fn contains(
        &mut self,
        question: &Question,
        value: &Spanned<toml::Value>,
        at: &Span,
    ) -> Option<Op> {
        let toml::Value::String(s) = value.get_ref() else {
            return self.rejected(
                Diagnostic::error("`contains` needs one choice id")
                    .at(at, "not a string")
                    .help("to test several choices, combine tests with `any` or `all`"),
            );
        };
        if question.choice(s).is_none() {
            return self.rejected(
                Diagnostic::error(format!("`{}` has no choice `{s}`", question.id))
                    .at(at, "no such choice")
                    .suggest(s, question.choices().iter().map(|c| c.id.as_str())),
            );
        }
        Some(Op::Contains(ChoiceId::new(s.as_str())))
    }

    /// Reports a compared value that does not fit the question.
    fn value_error<T>(&mut self, at: &Span, e: ValueError) -> Option<T> {
        let d = Diagnostic::error(e.message).at(at, "does not fit the question");
        self.rejected(e.help.into_iter().fold(d, Diagnostic::help))
    }
}

/// What the operator `name` does, if it does not apply to questions of this
/// kind: `answered` applies to every kind, the others to some.
fn misapplied(name: &str, kind: &QuestionKind) -> Option<&'static str> {
    let (applies, does) = match name {
        "eq" | "ne" => (
            !matches!(kind, QuestionKind::Multi(_)),
            "compares one value",
        ),
        "gt" | "gte" | "lt" | "lte" => {
            (matches!(kind, QuestionKind::Number(_)), "compares numbers")
        }
        "in" => (
            matches!(kind, QuestionKind::Single(_)),
            "lists choices of a single-choice question",
        ),
        "contains" => (
            matches!(kind, QuestionKind::Multi(_)),
            "looks inside a multiple-choice answer",
        ),
        _ => (true, ""),
    };
    (!applies).then_some(does)
}

/// `name` on a question of a kind it does not apply to.
fn wrong_kind(question: &Question, name: &str, expected: &str, at: &Span) -> Diagnostic {
    let kind = question.kind_name();
    Diagnostic::error(format!(
        "`{name}` does not apply to `{}`, a `{kind}` question",
        question.id
    ))
    .at(at, format!("`{name}` {expected}"))
    .help(operator_help(question))
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
