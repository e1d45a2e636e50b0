//! Decision topics, their options and their rules.
//!
//! A topic is one fork in a design (the primary data store, the API style):
//! a problem statement, the options on the table with their known good and
//! bad consequences, and the rules that score those options from answers.

use crate::condition::Condition;
use crate::ids::{OptionId, QuestionId, RuleId, SourceId, TopicId};
use crate::profile::Profile;
use crate::source::{Span, Text};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::BTreeSet;
use std::fmt;

#[derive(Debug, Serialize, Deserialize)]
pub struct Topic {
    pub id: TopicId,
    #[serde(borrow)]
    pub title: Cow<'static, str>,
    /// The problem, as a question or two sentences (MADR's "Context and Problem Statement").
    #[serde(borrow)]
    pub problem: Cow<'static, str>,
    /// Title of the decision record; `{option}` stands for the chosen option's name.
    #[serde(borrow)]
    pub decision: Cow<'static, str>,
    pub order: i64,
    pub options: Vec<TopicOption>,
    pub rules: Vec<Rule>,
    #[serde(with = "crate::snapshot::span")]
    pub span: Span,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct TopicOption {
    pub id: OptionId,
    #[serde(borrow)]
    pub name: Cow<'static, str>,
    #[serde(borrow)]
    pub summary: Cow<'static, str>,
    pub good: Vec<Text>,
    pub bad: Vec<Text>,
    pub neutral: Vec<Text>,
    /// Ratings on the quality attributes, for the user's priorities.
    pub profile: Option<Profile>,
    #[serde(with = "crate::snapshot::span")]
    pub span: Span,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Rule {
    pub id: RuleId,
    pub topic: TopicId,
    /// One line that names the situation and its consequence.
    #[serde(borrow)]
    pub summary: Cow<'static, str>,
    /// Fires when this holds; a rule without a condition always fires (a baseline).
    pub when: Option<Condition>,
    /// Points given to (or taken from) options, in option order.
    pub score: Vec<(OptionId, i32)>,
    /// Options this rule rules out: a knock-out, for hard constraints only.
    pub exclude: Vec<OptionId>,
    /// Advice that applies whatever wins ("put a connection pooler in front"),
    /// shown with the verdict when the rule fires.
    pub advice: Option<Text>,
    #[serde(borrow)]
    pub rationale: Cow<'static, str>,
    pub sources: Vec<SourceId>,
    /// The date (YYYY-MM-DD) someone last checked the rule against its sources.
    pub reviewed: Option<Text>,
    pub evidence: Option<Evidence>,
    /// Where the rule comes from: the rule base, or the user's priorities or policy.
    pub origin: RuleOrigin,
    #[serde(with = "crate::snapshot::span")]
    pub span: Span,
}

/// What a rule's points stand for. Rule-base rules weigh requirements; the
/// user's priorities and organisation policy become rules too, so every
/// point of a score is traced the same way, and reports can say how much of
/// a score came from each.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleOrigin {
    #[default]
    Requirement,
    Priority,
    Policy,
}

/// How well a rule's claim is supported.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Evidence {
    /// Read from the primary source.
    Verified,
    /// Known through a secondary write-up of the primary source.
    Secondary,
    /// Well-known fact from primary documentation.
    Known,
    /// An advisor default drawn from several sources: a weight to calibrate.
    Default,
}

impl Evidence {
    pub const ALL: [(&'static str, Evidence); 4] = [
        ("verified", Evidence::Verified),
        ("secondary", Evidence::Secondary),
        ("known", Evidence::Known),
        ("default", Evidence::Default),
    ];
}

impl fmt::Display for Evidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Evidence::Verified => "verified against the primary source",
            Evidence::Secondary => "from a secondary write-up of the source",
            Evidence::Known => "well-known fact from primary documentation",
            Evidence::Default => "advisor default, to calibrate",
        })
    }
}

impl Topic {
    pub fn option(&self, id: &str) -> Option<&TopicOption> {
        self.options.iter().find(|o| o.id.as_str() == id)
    }

    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id.as_str() == id)
    }

    /// The questions this topic's rules read.
    pub fn questions(&self) -> BTreeSet<&QuestionId> {
        self.rules
            .iter()
            .filter_map(|r| r.when.as_ref())
            .flat_map(Condition::questions)
            .collect()
    }

    /// The topics whose decisions this topic's rules read.
    pub fn linked_topics(&self) -> BTreeSet<&str> {
        self.questions()
            .into_iter()
            .filter_map(|q| q.as_str().strip_prefix(super::DECISION_PREFIX))
            .collect()
    }

    /// The record title for a chosen option.
    pub fn decision_title(&self, option: &TopicOption) -> String {
        self.decision.replace("{option}", &option.name)
    }
}

impl Rule {
    pub fn points_for(&self, option: &OptionId) -> i32 {
        self.score
            .iter()
            .find(|(o, _)| o == option)
            .map_or(0, |(_, p)| *p)
    }
}
