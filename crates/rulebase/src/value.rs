//! Answer values.
//!
//! A [`Value`] is a typed answer to one question; an [`Answer`] adds "don't
//! know". The same types hold answers from a file, from `--set`, from a
//! question's default and, in conditions, the constants rules compare with,
//! so there is one notion of equality and one way to print a value.

use crate::ids::ChoiceId;
use serde::{Serialize, Serializer};
use std::collections::BTreeSet;
use std::fmt;

/// A typed answer value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// The chosen choice of a single-choice question.
    Choice(ChoiceId),
    /// The chosen choices of a multiple-choice question (possibly none).
    Choices(BTreeSet<ChoiceId>),
    Number(f64),
    Bool(bool),
    Text(String),
}

impl Value {
    /// The value as it would be written in an answers file.
    pub fn to_toml(&self) -> toml::Value {
        match self {
            Value::Choice(c) => toml::Value::String(c.to_string()),
            Value::Choices(cs) => toml::Value::Array(
                cs.iter()
                    .map(|c| toml::Value::String(c.to_string()))
                    .collect(),
            ),
            Value::Number(n) => match as_integer(*n) {
                Some(i) => toml::Value::Integer(i),
                None => toml::Value::Float(*n),
            },
            Value::Bool(b) => toml::Value::Boolean(*b),
            Value::Text(t) => toml::Value::String(t.clone()),
        }
    }

    pub fn as_number(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(*n),
            _ => None,
        }
    }
}

/// Ids and numbers as a user would type them: `read_heavy`, `[a, b]`, `5000`, `yes`.
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Choice(c) => write!(f, "{c}"),
            Value::Choices(cs) => {
                let items: Vec<&str> = cs.iter().map(ChoiceId::as_str).collect();
                write!(f, "[{}]", items.join(", "))
            }
            Value::Number(n) => f.write_str(&format_number(*n)),
            Value::Bool(true) => f.write_str("yes"),
            Value::Bool(false) => f.write_str("no"),
            Value::Text(t) => write!(f, "{t:?}"),
        }
    }
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Choice(c) => c.serialize(serializer),
            Value::Choices(cs) => cs.serialize(serializer),
            Value::Number(n) => match as_integer(*n) {
                Some(i) => serializer.serialize_i64(i),
                None => serializer.serialize_f64(*n),
            },
            Value::Bool(b) => serializer.serialize_bool(*b),
            Value::Text(t) => serializer.serialize_str(t),
        }
    }
}

/// An answer: a value, or "don't know".
#[derive(Clone, Debug, PartialEq)]
pub enum Answer {
    Known(Value),
    Unknown,
}

/// The word that means "don't know" in answers files, `--set` and prompts.
pub const UNKNOWN: &str = "unknown";

impl Answer {
    pub fn known(&self) -> Option<&Value> {
        match self {
            Answer::Known(v) => Some(v),
            Answer::Unknown => None,
        }
    }

    pub fn to_toml(&self) -> toml::Value {
        match self {
            Answer::Known(v) => v.to_toml(),
            Answer::Unknown => toml::Value::String(UNKNOWN.to_owned()),
        }
    }
}

impl fmt::Display for Answer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Answer::Known(v) => v.fmt(f),
            Answer::Unknown => f.write_str(UNKNOWN),
        }
    }
}

impl Serialize for Answer {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Answer::Known(v) => v.serialize(serializer),
            Answer::Unknown => serializer.serialize_str(UNKNOWN),
        }
    }
}

/// Integral values within f64's exact range, as integers.
fn as_integer(n: f64) -> Option<i64> {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
    (n.fract() == 0.0 && n.abs() < EXACT).then_some(n as i64)
}

/// `5000`, `0.5`, `99.95`: integers without a fraction, others in shortest form.
pub fn format_number(n: f64) -> String {
    match as_integer(n) {
        Some(i) => i.to_string(),
        None => n.to_string(),
    }
}

/// `20,000` and `1,500,000` for readers; small and fractional numbers as is.
pub fn group_thousands(n: f64) -> String {
    match as_integer(n) {
        Some(i) if i.abs() >= 10_000 => {
            let digits = i.abs().to_string();
            let mut out = String::new();
            for (k, c) in digits.chars().enumerate() {
                if k > 0 && (digits.len() - k) % 3 == 0 {
                    out.push(',');
                }
                out.push(c);
            }
            if i < 0 { format!("-{out}") } else { out }
        }
        _ => format_number(n),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_without_spurious_fraction() {
        assert_eq!(format_number(5000.0), "5000");
        assert_eq!(format_number(99.95), "99.95");
        assert_eq!(format_number(-2.0), "-2");
        assert_eq!(group_thousands(20000.0), "20,000");
        assert_eq!(group_thousands(1_500_000.0), "1,500,000");
        assert_eq!(group_thousands(1500.0), "1500");
    }

    #[test]
    fn values_round_trip_to_toml_and_json() {
        let v = Value::Choices(
            [ChoiceId::new("b"), ChoiceId::new("a")]
                .into_iter()
                .collect(),
        );
        assert_eq!(v.to_string(), "[a, b]");
        assert_eq!(v.to_toml().to_string(), r#"["a", "b"]"#);
        assert_eq!(
            serde_json::to_string(&Value::Number(3.0)).ok().as_deref(),
            Some("3")
        );
        assert_eq!(
            serde_json::to_string(&Answer::Unknown).ok().as_deref(),
            Some("\"unknown\"")
        );
    }
}
