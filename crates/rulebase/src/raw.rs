//! The rule base's TOML files as serde reads them, before validation.
//!
//! These types mirror the file format one to one and keep a span on every
//! value that validation may need to point at. Only structural problems
//! (malformed TOML, an unknown key, a string where a list belongs) are
//! caught here, by serde; everything that needs to look across files
//! (unknown ids, kinds, duplicates, missing rationale) is `validate`'s job,
//! so text fields that must be present are still `Option` here: their
//! absence is reported with every other problem instead of stopping the file.
//!
//! Conditions are one struct with every possible key rather than an enum:
//! untagged enums lose spans and collapse errors into one vague message
//! (toml-rs/toml #535, #748), while `deny_unknown_fields` on a struct turns a
//! typo into "unknown field `gtt`, expected one of ..." at the right column.

use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

type S<T> = Spanned<T>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionsFile {
    #[serde(default, rename = "question")]
    pub questions: Vec<S<RawQuestion>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawQuestion {
    pub id: S<String>,
    pub label: Option<S<String>>,
    pub prompt: Option<S<String>>,
    pub help: Option<S<String>>,
    pub section: Option<S<String>>,
    pub kind: S<RawKind>,
    #[serde(default)]
    pub choices: Vec<S<RawChoice>>,
    pub unit: Option<S<String>>,
    pub min: Option<S<f64>>,
    pub max: Option<S<f64>>,
    pub integer: Option<S<bool>>,
    pub default: Option<S<toml::Value>>,
    #[serde(default)]
    pub allow_unknown: bool,
    pub when: Option<S<RawCond>>,
    /// This question is the current value of the one named, which holds
    /// the projection (sizes now and in two years).
    pub now_of: Option<S<String>>,
    /// Question ids, old or still asked, whose answers this question takes
    /// over when it is not answered itself (a renamed or split question).
    #[serde(default)]
    pub replaces: Vec<S<String>>,
    /// How an old answer (to a replaced id) reads as an answer to this one.
    #[serde(default)]
    pub migrate: Vec<S<RawValueMigration>>,
    /// A multiple-choice question that used to take one choice: old
    /// answers giving one choice (or `"none"`) are read as a list.
    #[serde(default)]
    pub was_single: Option<S<bool>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawValueMigration {
    pub from: S<toml::Value>,
    pub to: S<toml::Value>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RawKind {
    Single,
    Multi,
    Number,
    Bool,
    Text,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawChoice {
    pub id: S<String>,
    pub label: Option<S<String>>,
    pub help: Option<S<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCond {
    pub all: Option<Vec<S<RawCond>>>,
    pub any: Option<Vec<S<RawCond>>>,
    pub not: Option<Box<S<RawCond>>>,
    pub q: Option<S<String>>,
    /// Another topic's decision (its winner in this run), tested like a question.
    pub decision: Option<S<String>>,
    pub eq: Option<S<toml::Value>>,
    pub ne: Option<S<toml::Value>>,
    pub gt: Option<S<toml::Value>>,
    pub gte: Option<S<toml::Value>>,
    pub lt: Option<S<toml::Value>>,
    pub lte: Option<S<toml::Value>>,
    #[serde(rename = "in")]
    pub in_: Option<S<toml::Value>>,
    pub contains: Option<S<toml::Value>>,
    pub answered: Option<S<toml::Value>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourcesFile {
    #[serde(default, rename = "source")]
    pub sources: Vec<S<RawSource>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    pub id: S<String>,
    pub title: Option<S<String>>,
    pub url: Option<S<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TopicFile {
    pub topic: S<RawTopic>,
    #[serde(default, rename = "option")]
    pub options: Vec<S<RawOption>>,
    #[serde(default, rename = "rule")]
    pub rules: Vec<S<RawRule>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTopic {
    pub id: S<String>,
    pub title: Option<S<String>>,
    pub problem: Option<S<String>>,
    pub decision: Option<S<String>>,
    pub order: Option<S<i64>>,
    /// `one` (one option wins) or `combination` (a plan of options).
    pub choice: Option<S<String>>,
    /// A combination's thresholds: adopt from this score, consider from
    /// `consider_at`.
    pub adopt_at: Option<S<i64>>,
    pub consider_at: Option<S<i64>>,
    /// The topic is decided only when this holds.
    pub applies_when: Option<S<RawCond>>,
    /// Why the topic does not apply when `applies_when` fails, in a line.
    pub applies_because: Option<S<String>>,
    /// The profile attributes whose ratings order tied options.
    pub tie_break: Option<S<Vec<S<String>>>>,
    /// A staged topic's question: what runs today.
    pub current: Option<S<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOption {
    pub id: S<String>,
    pub name: Option<S<String>>,
    pub summary: Option<S<String>>,
    #[serde(default)]
    pub good: Vec<S<String>>,
    #[serde(default)]
    pub bad: Vec<S<String>>,
    #[serde(default)]
    pub neutral: Vec<S<String>>,
    /// Ratings on the quality attributes, -2..=2 relative to the topic's
    /// other options; what the user's priorities multiply.
    pub profile: Option<S<BTreeMap<S<String>, S<i64>>>>,
    pub profile_why: Option<S<String>>,
    pub profile_sources: Option<S<Vec<S<String>>>>,
    /// In a combination: adopted unless a rule rules it out.
    pub baseline: Option<S<bool>>,
    /// In a staged topic: the step this option is (alternatives share one).
    pub stage: Option<S<i64>>,
    /// In a combination: options of one group are alternatives, and at
    /// most one of them is adopted.
    pub group: Option<S<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRule {
    pub id: S<String>,
    pub summary: Option<S<String>>,
    pub when: Option<S<RawCond>>,
    #[serde(default)]
    pub score: BTreeMap<S<String>, S<i64>>,
    #[serde(default)]
    pub exclude: Vec<S<String>>,
    pub advice: Option<S<String>>,
    pub rationale: Option<S<String>>,
    pub sources: Option<S<Vec<S<String>>>>,
    pub reviewed: Option<S<toml::Value>>,
    pub evidence: Option<S<String>>,
    /// In a rule pack: this rule replaces the base's rule with the same id.
    #[serde(rename = "override")]
    pub override_rule: Option<S<bool>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RisksFile {
    #[serde(default, rename = "risk")]
    pub risks: Vec<S<RawRisk>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRisk {
    pub id: S<String>,
    pub kind: Option<S<String>>,
    pub severity: Option<S<String>>,
    pub title: Option<S<String>>,
    pub when: Option<S<RawCond>>,
    pub rationale: Option<S<String>>,
    pub mitigation: Option<S<String>>,
    pub sources: Option<S<Vec<S<String>>>>,
    #[serde(default)]
    pub topics: Vec<S<String>>,
    pub reviewed: Option<S<toml::Value>>,
    pub evidence: Option<S<String>>,
}
