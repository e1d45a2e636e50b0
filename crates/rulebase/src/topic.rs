//! Decision topics, their options and their rules.
//!
//! A topic is one fork in a design (the primary data store, the API style):
//! a problem statement, the options on the table with their known good and
//! bad consequences, and the rules that score those options from answers.

use crate::condition::Condition;
use crate::ids::{OptionId, QuestionId, RuleId, SourceId, TopicId};
use crate::profile::{Attribute, Profile};
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
    /// Whether one option wins, or the options make a plan.
    pub kind: DecisionKind,
    /// The topic is decided only when this holds (over answers and other
    /// topics' decisions); otherwise it does not apply.
    pub applies_when: Option<Condition>,
    /// Why the topic does not apply, in a line, when `applies_when` fails.
    pub applies_because: Option<Text>,
    /// The profile attributes whose ratings, added up, order tied options:
    /// the simpler and cheaper step first.
    pub tie_break: Vec<Attribute>,
    /// A staged topic's question saying what runs today: its choices that
    /// are option ids name the option in place.
    pub current: Option<QuestionId>,
    pub options: Vec<TopicOption>,
    pub rules: Vec<Rule>,
    #[serde(with = "crate::snapshot::span")]
    pub span: Span,
}

/// How a topic decides: one option wins, or each option is judged on its
/// own (adopt, consider, not needed) because real systems combine them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DecisionKind {
    One,
    Combination(PlanThresholds),
}

/// A combination topic's thresholds: an option is adopted from `adopt_at`
/// points, considered from `consider_at`, and not needed below.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanThresholds {
    pub adopt_at: i32,
    pub consider_at: i32,
}

impl PlanThresholds {
    pub const DEFAULT: PlanThresholds = PlanThresholds {
        adopt_at: 3,
        consider_at: 1,
    };
}

/// The attributes a tie is broken on when a topic names none.
pub const DEFAULT_TIE_BREAK: [Attribute; 2] = [Attribute::OperationalSimplicity, Attribute::Cost];

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
    /// In a combination: adopted unless a rule rules it out.
    pub baseline: bool,
    /// In a combination: the group of alternatives it belongs to, of which
    /// a plan adopts at most one.
    pub group: Option<Text>,
    /// In a staged topic: the step this option is, counted from 1;
    /// alternatives at the same step share it.
    pub stage: Option<u32>,
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
    /// The plan thresholds of a combination topic.
    pub fn plan_thresholds(&self) -> Option<PlanThresholds> {
        match self.kind {
            DecisionKind::One => None,
            DecisionKind::Combination(t) => Some(t),
        }
    }

    /// Whether the options are steps taken one after another.
    pub fn is_staged(&self) -> bool {
        self.current.is_some()
    }

    /// The option's tie-break key: its ratings on the tie-break attributes,
    /// added up (higher comes first among tied options).
    pub fn tie_break_key(&self, option: &TopicOption) -> i32 {
        option
            .profile
            .as_ref()
            .map_or(0, |p| self.tie_break.iter().map(|a| p.rating(*a)).sum())
    }

    /// Every condition the topic holds: its rules' and its `applies_when`.
    pub fn conditions(&self) -> impl Iterator<Item = &Condition> {
        self.rules
            .iter()
            .filter_map(|r| r.when.as_ref())
            .chain(&self.applies_when)
    }

    /// [`Self::conditions`], to change in place.
    pub fn conditions_mut(&mut self) -> impl Iterator<Item = &mut Condition> {
        self.rules
            .iter_mut()
            .filter_map(|r| r.when.as_mut())
            .chain(&mut self.applies_when)
    }

    pub fn option(&self, id: &str) -> Option<&TopicOption> {
        self.options.iter().find(|o| o.id.as_str() == id)
    }

    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id.as_str() == id)
    }

    /// The questions this topic's rules and its `applies_when` read.
    pub fn questions(&self) -> BTreeSet<&QuestionId> {
        self.rules
            .iter()
            .filter_map(|r| r.when.as_ref())
            .chain(&self.applies_when)
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
