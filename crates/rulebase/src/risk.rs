//! Risks and contradictions: answer combinations to flag, whatever wins.
//!
//! Rules score options; risks judge the requirements themselves. A
//! contradiction is a set of answers that cannot all hold (strong
//! consistency across regions at single-digit-millisecond latency); a risk is
//! a combination that can hold but often ends badly (a team of three running
//! many services). Each carries a severity and a mitigation, and may read
//! other topics' decisions like any rule.

use crate::condition::Condition;
use crate::ids::{RuleId, SourceId, TopicId};
use crate::source::Span;
use crate::source::Text;
use crate::topic::Evidence;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    High,
    Medium,
    Low,
}

impl Severity {
    pub const ALL: [(&'static str, Severity); 3] = [
        ("high", Severity::High),
        ("medium", Severity::Medium),
        ("low", Severity::Low),
    ];
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RiskKind {
    /// The answers cannot all hold: one of them has to give.
    Contradiction,
    /// The answers can hold, at a high risk.
    Risk,
}

impl RiskKind {
    pub const ALL: [(&'static str, RiskKind); 2] = [
        ("contradiction", RiskKind::Contradiction),
        ("risk", RiskKind::Risk),
    ];
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Risk {
    pub id: RuleId,
    pub kind: RiskKind,
    pub severity: Severity,
    #[serde(borrow)]
    pub title: Cow<'static, str>,
    pub when: Condition,
    #[serde(borrow)]
    pub rationale: Cow<'static, str>,
    #[serde(borrow)]
    pub mitigation: Cow<'static, str>,
    pub sources: Vec<SourceId>,
    /// Topics whose records carry this flag; empty means every topic.
    pub topics: Vec<TopicId>,
    pub reviewed: Option<Text>,
    pub evidence: Option<Evidence>,
    #[serde(with = "crate::snapshot::span")]
    pub span: Span,
}
