//! Questions of the questionnaire and the checking of answer values.
//!
//! A question's kind decides which values it accepts. [`Question::check_toml`]
//! and [`Question::parse_text`] are the only two ways a value becomes an
//! [`Answer`]: answers files and defaults go through the first, `--set` and
//! terminal prompts through the second, so a value valid in one place is
//! valid in all.

use crate::condition::Condition;
use crate::ids::{ChoiceId, QuestionId};
use crate::source::{Span, Text};
use crate::value::{Answer, UNKNOWN, Value, format_number, group_thousands};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::BTreeSet;

#[derive(Debug, Serialize, Deserialize)]
pub struct Question {
    pub id: QuestionId,
    /// A short name for tables and ADRs: "Team size".
    #[serde(borrow)]
    pub label: Cow<'static, str>,
    /// The question as asked: "How many engineers will build and run this?"
    #[serde(borrow)]
    pub prompt: Cow<'static, str>,
    /// Why the question matters, in practice.
    #[serde(borrow)]
    pub help: Cow<'static, str>,
    pub section: Option<Text>,
    pub kind: QuestionKind,
    #[serde(with = "crate::snapshot::optional_answer")]
    pub default: Option<Answer>,
    pub allow_unknown: bool,
    /// Asked only when this holds (over earlier questions).
    pub when: Option<Condition>,
    /// This question holds the current value of the one named, which
    /// holds the projection: a staged topic takes its next step from
    /// today's values.
    pub now_of: Option<QuestionId>,
    /// What this question took over from questions renamed or split.
    pub migration: Migration,
    #[serde(with = "crate::snapshot::span")]
    pub span: Span,
}

/// How answers to renamed or split questions carry over to this one, so
/// answers files written for an earlier questionnaire keep working.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Migration {
    /// Question ids whose answer this question takes when it has none of
    /// its own: an id no longer asked (renamed), or one still asked that
    /// used to mean this as well (split).
    pub replaces: Vec<QuestionId>,
    /// Old answers that read differently here (`true` becomes a list).
    pub values: Vec<ValueMigration>,
    /// A multiple-choice question that used to take one choice: a single
    /// choice given to it is read as the list of that choice.
    pub was_single: bool,
}

/// One old answer and what it means as an answer to the new question.
#[derive(Debug, Serialize, Deserialize)]
pub struct ValueMigration {
    /// The old value as TOML writes it: `true`, `"coupling"`.
    pub from: String,
    #[serde(with = "crate::snapshot::StoredAnswer")]
    pub to: Answer,
}

impl Migration {
    /// The answer an old value stands for, when the question maps it.
    pub fn value(&self, old: &toml::Value) -> Option<&Answer> {
        let old = old.to_string();
        self.values.iter().find(|m| m.from == old).map(|m| &m.to)
    }
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(bound(deserialize = "'de: 'static"))]
pub enum QuestionKind {
    Single(Vec<Choice>),
    Multi(Vec<Choice>),
    Number(NumberSpec),
    Bool,
    Text,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Choice {
    pub id: ChoiceId,
    #[serde(borrow)]
    pub label: Cow<'static, str>,
    pub help: Option<Text>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct NumberSpec {
    pub unit: Option<Text>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub integer: bool,
}

/// Why a value does not fit a question; the caller adds the position.
#[derive(Debug, PartialEq)]
pub struct ValueError {
    pub message: String,
    pub help: Vec<String>,
}

impl ValueError {
    fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            help: Vec::new(),
        }
    }

    fn help(mut self, help: impl Into<String>) -> Self {
        self.help.push(help.into());
        self
    }
}

impl Question {
    pub fn kind_name(&self) -> &'static str {
        self.kind.name()
    }

    pub fn choices(&self) -> &[Choice] {
        match &self.kind {
            QuestionKind::Single(c) | QuestionKind::Multi(c) => c,
            _ => &[],
        }
    }

    pub fn choice(&self, id: &str) -> Option<&Choice> {
        self.choices().iter().find(|c| c.id.as_str() == id)
    }

    pub fn number_spec(&self) -> Option<&NumberSpec> {
        match &self.kind {
            QuestionKind::Number(spec) => Some(spec),
            _ => None,
        }
    }

    /// What the question expects, for error messages and templates.
    pub fn expectation(&self) -> String {
        match &self.kind {
            QuestionKind::Single(choices) => format!("one of {}", choice_list(choices)),
            QuestionKind::Multi(choices) => format!("a list of {}", choice_list(choices)),
            QuestionKind::Number(spec) => {
                let what = if spec.integer {
                    "a whole number"
                } else {
                    "a number"
                };
                match (spec.min, spec.max) {
                    (Some(min), Some(max)) => {
                        format!(
                            "{what} from {} to {}",
                            format_number(min),
                            format_number(max)
                        )
                    }
                    (Some(min), None) => format!("{what} of at least {}", format_number(min)),
                    (None, Some(max)) => format!("{what} of at most {}", format_number(max)),
                    (None, None) => what.to_owned(),
                }
            }
            QuestionKind::Bool => "`true` or `false`".to_owned(),
            QuestionKind::Text => "a string".to_owned(),
        }
    }

    /// Checks a value from a TOML file.
    pub fn check_toml(&self, value: &toml::Value) -> Result<Answer, ValueError> {
        if let toml::Value::String(s) = value
            && s == UNKNOWN
            && (self.allow_unknown || !matches!(self.kind, QuestionKind::Text))
        {
            return self.unknown();
        }
        let value = match (&self.kind, value) {
            (QuestionKind::Single(_), toml::Value::String(s)) => self.check_choice(s)?,
            (QuestionKind::Multi(_), toml::Value::Array(items)) => {
                let mut chosen = BTreeSet::new();
                for item in items {
                    let toml::Value::String(s) = item else {
                        return Err(self.mismatch(item));
                    };
                    let Value::Choice(c) = self.check_choice(s)? else {
                        continue;
                    };
                    if !chosen.insert(c) {
                        return Err(ValueError::new(format!("choice `{s}` is listed twice")));
                    }
                }
                Value::Choices(chosen)
            }
            (QuestionKind::Number(_), toml::Value::Integer(i)) => self.check_number(*i as f64)?,
            (QuestionKind::Number(_), toml::Value::Float(f)) => self.check_number(*f)?,
            (QuestionKind::Bool, toml::Value::Boolean(b)) => Value::Bool(*b),
            (QuestionKind::Text, toml::Value::String(s)) => Value::Text(s.clone()),
            (_, other) => return Err(self.mismatch(other)),
        };
        Ok(Answer::Known(value))
    }

    /// Parses a value typed on the command line or at a prompt.
    pub fn parse_text(&self, text: &str) -> Result<Answer, ValueError> {
        let text = text.trim();
        if text == UNKNOWN && (self.allow_unknown || !matches!(self.kind, QuestionKind::Text)) {
            return self.unknown();
        }
        let value = match &self.kind {
            QuestionKind::Single(_) => self.check_choice(text)?,
            QuestionKind::Multi(_) => {
                let mut chosen = BTreeSet::new();
                for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                    // A choice given twice is an error, as it is in a file.
                    if let Value::Choice(c) = self.check_choice(part)?
                        && !chosen.insert(c)
                    {
                        return Err(ValueError::new(format!("choice `{part}` is listed twice")));
                    }
                }
                Value::Choices(chosen)
            }
            QuestionKind::Number(_) => {
                let n = parse_number(text).ok_or_else(|| {
                    ValueError::new(format!("`{text}` is not a number")).help(format!(
                        "`{}` expects {}",
                        self.id,
                        self.expectation()
                    ))
                })?;
                self.check_number(n)?
            }
            QuestionKind::Bool => match text.to_ascii_lowercase().as_str() {
                "yes" | "y" | "true" => Value::Bool(true),
                "no" | "n" | "false" => Value::Bool(false),
                _ => {
                    return Err(ValueError::new(format!("`{text}` is not yes or no"))
                        .help("answer `yes`, `no`, `true` or `false`"));
                }
            },
            QuestionKind::Text => Value::Text(text.to_owned()),
        };
        Ok(Answer::Known(value))
    }

    /// Whether an answer, made for another question, is one this question
    /// accepts as it stands: the same kind, a choice it has, a number in
    /// its range.
    pub fn accepts(&self, answer: &Answer) -> bool {
        let value = match answer {
            Answer::Unknown => return self.allow_unknown,
            Answer::Known(value) => value,
        };
        match (&self.kind, value) {
            (QuestionKind::Single(_), Value::Choice(c)) => self.choice(c.as_str()).is_some(),
            (QuestionKind::Multi(_), Value::Choices(cs)) => {
                cs.iter().all(|c| self.choice(c.as_str()).is_some())
            }
            (QuestionKind::Number(_), Value::Number(n)) => self.check_number(*n).is_ok(),
            (QuestionKind::Bool, Value::Bool(_)) | (QuestionKind::Text, Value::Text(_)) => true,
            _ => false,
        }
    }

    fn unknown(&self) -> Result<Answer, ValueError> {
        if self.allow_unknown {
            Ok(Answer::Unknown)
        } else {
            Err(
                ValueError::new(format!("`{}` does not accept `{UNKNOWN}`", self.id))
                    .help(format!("answer with {}", self.expectation())),
            )
        }
    }

    fn check_choice(&self, id: &str) -> Result<Value, ValueError> {
        if self.choice(id).is_some() {
            return Ok(Value::Choice(ChoiceId::new(id)));
        }
        let mut err = ValueError::new(format!("`{}` has no choice `{id}`", self.id));
        if let Some(best) =
            crate::diagnostic::did_you_mean(id, self.choices().iter().map(|c| c.id.as_str()))
        {
            err = err.help(format!("did you mean `{best}`?"));
        }
        Err(err.help(format!("expected {}", self.expectation())))
    }

    fn check_number(&self, n: f64) -> Result<Value, ValueError> {
        let spec = self
            .number_spec()
            .ok_or_else(|| ValueError::new("not a number question"))?;
        let out_of_range =
            spec.min.is_some_and(|min| n < min) || spec.max.is_some_and(|max| n > max);
        if !n.is_finite() || out_of_range {
            return Err(ValueError::new(format!(
                "`{}` is out of range for `{}`",
                format_number(n),
                self.id
            ))
            .help(format!("expected {}", self.expectation())));
        }
        if spec.integer && n.fract() != 0.0 {
            return Err(ValueError::new(format!(
                "`{}` expects a whole number, found `{}`",
                self.id,
                format_number(n)
            )));
        }
        Ok(Value::Number(n))
    }

    fn mismatch(&self, found: &toml::Value) -> ValueError {
        ValueError::new(format!(
            "`{}` expects {}, found {}",
            self.id,
            self.expectation(),
            describe_toml(found)
        ))
        .help(format!("for example `{} = {}`", self.id, self.example()))
    }

    /// A valid value, written as TOML, for "for example" hints.
    fn example(&self) -> String {
        let first = self.choices().first().map_or("choice", |c| c.id.as_str());
        match &self.kind {
            QuestionKind::Single(_) => format!("\"{first}\""),
            QuestionKind::Multi(_) => format!("[\"{first}\"]"),
            QuestionKind::Number(spec) => format_number(spec.min.unwrap_or(0.0).max(1.0)),
            QuestionKind::Bool => "true".to_owned(),
            QuestionKind::Text => "\"...\"".to_owned(),
        }
    }

    /// A value as a reader would say it: choice labels and units.
    pub fn describe(&self, answer: &Answer) -> String {
        let value = match answer {
            Answer::Unknown => return "unknown".to_owned(),
            Answer::Known(v) => v,
        };
        match value {
            Value::Choice(c) => self
                .choice(c.as_str())
                .map_or_else(|| c.to_string(), |c| c.label.to_string()),
            Value::Choices(cs) if cs.is_empty() => "none".to_owned(),
            Value::Choices(cs) => cs
                .iter()
                .map(|c| {
                    self.choice(c.as_str())
                        .map_or_else(|| c.to_string(), |c| c.label.to_string())
                })
                .collect::<Vec<_>>()
                .join(", "),
            Value::Number(n) => match self.number_spec().and_then(|s| s.unit.as_deref()) {
                Some(unit) => format!("{} {unit}", group_thousands(*n)),
                None => group_thousands(*n),
            },
            Value::Bool(true) => "yes".to_owned(),
            Value::Bool(false) => "no".to_owned(),
            Value::Text(t) => t.clone(),
        }
    }
}

impl QuestionKind {
    pub fn name(&self) -> &'static str {
        match self {
            QuestionKind::Single(_) => "single",
            QuestionKind::Multi(_) => "multi",
            QuestionKind::Number(_) => "number",
            QuestionKind::Bool => "bool",
            QuestionKind::Text => "text",
        }
    }
}

fn choice_list(choices: &[Choice]) -> String {
    let ids: Vec<String> = choices.iter().map(|c| format!("`{}`", c.id)).collect();
    ids.join(", ")
}

/// Describes a TOML value's type for "found ..." messages.
pub fn describe_toml(value: &toml::Value) -> String {
    match value {
        toml::Value::String(s) => format!("the string `{s}`"),
        toml::Value::Integer(i) => format!("the number `{i}`"),
        toml::Value::Float(f) => format!("the number `{f}`"),
        toml::Value::Boolean(b) => format!("`{b}`"),
        toml::Value::Datetime(d) => format!("the date `{d}`"),
        toml::Value::Array(_) => "a list".to_owned(),
        toml::Value::Table(_) => "a table".to_owned(),
    }
}

/// `5000`, `5_000`, `5,000`, `5k`, `2.5M`.
fn parse_number(text: &str) -> Option<f64> {
    let cleaned: String = text.chars().filter(|c| *c != '_' && *c != ',').collect();
    let (digits, factor) = match cleaned.chars().last() {
        Some('k' | 'K') => (&cleaned[..cleaned.len() - 1], 1e3),
        Some('M') => (&cleaned[..cleaned.len() - 1], 1e6),
        _ => (cleaned.as_str(), 1.0),
    };
    digits
        .trim()
        .parse::<f64>()
        .ok()
        .map(|n| n * factor)
        .filter(|n| n.is_finite())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::source::SourceFile;

    pub(crate) fn question(id: &str, kind: QuestionKind) -> Question {
        let file = SourceFile::new("q.toml", "");
        Question {
            id: QuestionId::new(id),
            label: id.to_owned().into(),
            prompt: Text::default(),
            help: Text::default(),
            section: None,
            kind,
            default: None,
            allow_unknown: false,
            when: None,
            now_of: None,
            migration: Migration::default(),
            span: Span::new(&file, 0..0),
        }
    }

    pub(crate) fn choices(ids: &[&str]) -> Vec<Choice> {
        ids.iter()
            .map(|id| Choice {
                id: ChoiceId::new(*id),
                label: id.to_uppercase().into(),
                help: None,
            })
            .collect()
    }

    #[test]
    fn single_choice_suggests_the_closest_id() {
        let q = question(
            "consistency",
            QuestionKind::Single(choices(&["strong", "eventual"])),
        );
        let err = q.check_toml(&toml::Value::String("strng".into())).err();
        let err = err.map(|e| (e.message, e.help));
        assert_eq!(
            err,
            Some((
                "`consistency` has no choice `strng`".to_owned(),
                vec![
                    "did you mean `strong`?".to_owned(),
                    "expected one of `strong`, `eventual`".to_owned()
                ]
            ))
        );
    }

    #[test]
    fn numbers_respect_bounds_and_integrality() {
        let spec = NumberSpec {
            unit: Some("engineers".into()),
            min: Some(1.0),
            max: Some(100.0),
            integer: true,
        };
        let q = question("team_size", QuestionKind::Number(spec));
        assert!(q.check_toml(&toml::Value::Integer(0)).is_err());
        assert!(q.check_toml(&toml::Value::Float(2.5)).is_err());
        assert_eq!(
            q.check_toml(&toml::Value::Integer(8)),
            Ok(Answer::Known(Value::Number(8.0)))
        );
        assert!(q.check_toml(&toml::Value::String("8".into())).is_err());
        assert_eq!(
            q.describe(&Answer::Known(Value::Number(8.0))),
            "8 engineers"
        );
    }

    #[test]
    fn text_parsing_accepts_suffixes_lists_and_yes_no() {
        let q = question("peak_rps", QuestionKind::Number(NumberSpec::default()));
        assert_eq!(
            q.parse_text("2.5k"),
            Ok(Answer::Known(Value::Number(2500.0)))
        );
        assert_eq!(
            q.parse_text("1_000"),
            Ok(Answer::Known(Value::Number(1000.0)))
        );
        assert!(q.parse_text("lots").is_err());
        let q = question("clients", QuestionKind::Multi(choices(&["web", "mobile"])));
        let both: BTreeSet<ChoiceId> = ["web", "mobile"].into_iter().map(ChoiceId::new).collect();
        assert_eq!(
            q.parse_text("web, mobile"),
            Ok(Answer::Known(Value::Choices(both)))
        );
        assert_eq!(
            q.parse_text(""),
            Ok(Answer::Known(Value::Choices(BTreeSet::new())))
        );
        let twice = q.parse_text("web, mobile, web").unwrap_err();
        assert_eq!(twice.message, "choice `web` is listed twice");
        let q = question("streaming", QuestionKind::Bool);
        assert_eq!(q.parse_text("Yes"), Ok(Answer::Known(Value::Bool(true))));
    }

    #[test]
    fn unknown_only_where_allowed() {
        let mut q = question("peak_rps", QuestionKind::Number(NumberSpec::default()));
        assert!(q.parse_text("unknown").is_err());
        q.allow_unknown = true;
        assert_eq!(q.parse_text("unknown"), Ok(Answer::Unknown));
        assert_eq!(
            q.check_toml(&toml::Value::String("unknown".into())),
            Ok(Answer::Unknown)
        );
    }

    #[test]
    fn duplicate_choices_in_a_list_are_rejected() {
        let q = question("clients", QuestionKind::Multi(choices(&["web"])));
        let list = toml::Value::Array(vec!["web".into(), "web".into()]);
        assert!(q.check_toml(&list).is_err());
    }
}
