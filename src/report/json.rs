//! The JSON report: the whole evaluation for scripts and other tools.
//!
//! It joins what evaluation recorded with the rule base's text (summaries,
//! rationales, sources, positions) so a consumer needs nothing else. The
//! document carries a `schema` number, bumped on any incompatible change.

use super::DecisionRun;
use crate::answers::Origin;
use crate::eval::{
    Adoption, Breakdown, Choosing, Confidence, Contribution, Linked, NextStep, Reason, RuleStatus,
    Status, Swayed, TestTrace, TippingPoint, Trace,
};
use crate::ids::{OptionId, QuestionId, RuleId, SourceId, TopicId};
use crate::rulebase::{Evidence, RiskKind, RuleBase, RuleOrigin, Severity};
use crate::source::Location;
use crate::value::Answer;
use serde::Serialize;
use std::collections::BTreeMap;

/// Version of the JSON layout.
pub const SCHEMA: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    schema: u32,
    tradeoff: &'static str,
    rule_base: RuleBaseInfo<'a>,
    title: Option<&'a str>,
    answers: BTreeMap<&'a QuestionId, AnswerInfo<'a>>,
    topics: Vec<TopicInfo<'a>>,
    /// Risks and contradictions raised, most severe first.
    risks: Vec<RiskInfo<'a>>,
}

#[derive(Serialize)]
struct RiskInfo<'a> {
    id: &'a RuleId,
    kind: RiskKind,
    severity: Severity,
    title: &'a str,
    mitigation: &'a str,
    rationale: &'a str,
    answers: &'a [TestTrace],
    topics: &'a [TopicId],
    sources: Vec<SourceInfo<'a>>,
    at: Location,
}

#[derive(Serialize)]
struct RuleBaseInfo<'a> {
    origin: &'a str,
    fingerprint: &'a str,
    /// The rule packs layered over the base, in order (absent when none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    packs: Vec<PackInfo<'a>>,
}

#[derive(Serialize)]
struct PackInfo<'a> {
    name: &'a str,
    version: Option<&'a str>,
    dir: &'a str,
}

#[derive(Serialize)]
struct AnswerInfo<'a> {
    value: &'a Answer,
    /// `file`, `flag`, `default`, `prompt`, `record`, or `inferred` (from
    /// the repository, `--scan`).
    origin: &'static str,
    at: Option<Location>,
    /// For an inferred answer: what it rests on and whether a person
    /// confirmed it.
    #[serde(skip_serializing_if = "Option::is_none")]
    inferred: Option<InferredInfo>,
}

#[derive(Serialize)]
struct InferredInfo {
    from: Vec<String>,
    confirmed: bool,
}

#[derive(Serialize)]
struct TopicInfo<'a> {
    id: &'a TopicId,
    title: &'a str,
    /// `one` or `combination`.
    choice: Choosing,
    /// `decided`, `tie`, `not_applicable` or `no_option`.
    status: Status,
    winner: Option<&'a OptionId>,
    #[serde(skip_serializing_if = "<[OptionId]>::is_empty")]
    tied: &'a [OptionId],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    plan: Vec<PlanInfo<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    not_applicable_because: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next: Option<&'a NextStep>,
    confidence: &'a Confidence,
    ranking: Vec<RankedInfo<'a>>,
    reasons: Vec<ReasonInfo<'a>>,
    unknowns: &'a [QuestionId],
    tipping_points: &'a [TippingPoint],
    linked: &'a [Linked],
    swayed: &'a Swayed,
    advice: Vec<AdviceInfo<'a>>,
    rules: Vec<RuleInfo<'a>>,
}

/// One option of a plan: `verdict` is `adopt`, `consider` or `not_needed`.
#[derive(Serialize)]
struct PlanInfo<'a> {
    option: &'a OptionId,
    name: &'a str,
    verdict: Adoption,
    score: i32,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    baseline: bool,
    reasons: Vec<ReasonInfo<'a>>,
}

#[derive(Serialize)]
struct AdviceInfo<'a> {
    rule: &'a str,
    advice: &'a str,
}

#[derive(Serialize)]
struct RankedInfo<'a> {
    rank: usize,
    option: &'a OptionId,
    name: &'a str,
    score: i32,
    breakdown: Breakdown,
    excluded_by: &'a [RuleId],
    contributions: &'a [Contribution],
}

#[derive(Serialize)]
struct ReasonInfo<'a> {
    rule: &'a RuleId,
    summary: &'a str,
    points: i32,
    lead: i32,
    excluded: &'a [OptionId],
    answers: &'a [TestTrace],
}

#[derive(Serialize)]
struct RuleInfo<'a> {
    id: &'a RuleId,
    status: RuleStatus,
    origin: RuleOrigin,
    summary: &'a str,
    score: BTreeMap<&'a OptionId, i32>,
    exclude: &'a [OptionId],
    advice: Option<&'a str>,
    matched: &'a [TestTrace],
    missing: &'a [TestTrace],
    condition: Option<&'a Trace>,
    /// Rationale and resolved sources for the rules that fired (they explain
    /// the scores); for the others, `tradeoff rules show ID` has them.
    #[serde(skip_serializing_if = "Option::is_none")]
    rationale: Option<&'a str>,
    sources: Vec<SourceRef<'a>>,
    evidence: Option<Evidence>,
    reviewed: Option<&'a str>,
    at: Location,
}

/// A source in full, or by id.
#[derive(Serialize)]
#[serde(untagged)]
enum SourceRef<'a> {
    Full(SourceInfo<'a>),
    Id(&'a SourceId),
}

#[derive(Serialize)]
pub struct SourceInfo<'a> {
    pub id: &'a SourceId,
    pub title: &'a str,
    pub url: Option<&'a str>,
}

/// A rule's source, resolved through the registry (inline citations stand alone).
pub fn source_info<'a>(rb: &'a RuleBase, id: &'a SourceId) -> SourceInfo<'a> {
    match rb.source(id) {
        Some(s) => SourceInfo {
            id,
            title: &s.title,
            url: s.url.as_deref(),
        },
        None => SourceInfo {
            id,
            title: id.as_str(),
            url: None,
        },
    }
}

pub fn render(decision: &DecisionRun<'_>) -> Result<String, serde_json::Error> {
    let rb = decision.rb;
    let answers = decision
        .resolution
        .facts
        .iter()
        .map(|(id, value)| {
            let given = decision.answers.entries.get(id);
            let (origin, at) = match given.map(|g| &g.origin) {
                Some(Origin::File(span)) => ("file", Some(span.location())),
                Some(Origin::Inferred(_)) => ("inferred", None),
                Some(Origin::Flag) => ("flag", None),
                Some(Origin::Prompt) => ("prompt", None),
                Some(Origin::Record) => ("record", None),
                Some(Origin::Default) | None => ("default", None),
            };
            let inferred = match given.map(|g| &g.origin) {
                Some(Origin::Inferred(inferred)) => Some(InferredInfo {
                    from: inferred.because.iter().map(|b| b.found.clone()).collect(),
                    confirmed: inferred.confirmed,
                }),
                _ => None,
            };
            (
                id,
                AnswerInfo {
                    value,
                    origin,
                    at,
                    inferred,
                },
            )
        })
        .collect();
    let topics = decision
        .topics()
        .map(|(topic, outcome)| TopicInfo {
            id: &topic.id,
            title: &topic.title,
            choice: outcome.choice,
            status: outcome.status,
            winner: outcome.winner.as_ref(),
            tied: &outcome.tied,
            plan: outcome
                .plan
                .iter()
                .map(|item| PlanInfo {
                    option: &item.option,
                    name: super::option_name(topic, &item.option),
                    verdict: item.adoption,
                    score: item.score,
                    baseline: item.baseline,
                    reasons: item
                        .reasons
                        .iter()
                        .filter_map(|r| reason_info(rb, r))
                        .collect(),
                })
                .collect(),
            not_applicable_because: (outcome.status == Status::NotApplicable)
                .then(|| super::not_applicable_reason(topic, outcome)),
            next: outcome.next.as_ref(),
            confidence: &outcome.confidence,
            ranking: outcome
                .ranking
                .iter()
                .map(|r| RankedInfo {
                    rank: r.rank,
                    option: &r.option,
                    name: super::option_name(topic, &r.option),
                    score: r.score,
                    breakdown: r.breakdown,
                    excluded_by: &r.excluded_by,
                    contributions: &r.contributions,
                })
                .collect(),
            reasons: outcome
                .reasons
                .iter()
                .filter_map(|r| reason_info(rb, r))
                .collect(),
            unknowns: &outcome.unknowns,
            tipping_points: &outcome.tipping_points,
            linked: &outcome.linked,
            swayed: &outcome.swayed,
            advice: super::advice(decision, outcome)
                .into_iter()
                .map(|(rule, advice)| AdviceInfo { rule, advice })
                .collect(),
            rules: topic
                .rules
                .iter()
                .zip(&outcome.rules)
                .map(|(rule, o)| RuleInfo {
                    id: &rule.id,
                    status: o.status,
                    origin: rule.origin,
                    summary: &rule.summary,
                    score: rule.score.iter().map(|(o, p)| (o, *p)).collect(),
                    exclude: &rule.exclude,
                    advice: rule.advice.as_deref(),
                    matched: &o.matched,
                    missing: &o.missing,
                    condition: o.trace.as_ref(),
                    rationale: (o.status == RuleStatus::Fired).then_some(rule.rationale.as_ref()),
                    sources: rule
                        .sources
                        .iter()
                        .map(|s| {
                            if o.status == RuleStatus::Fired {
                                SourceRef::Full(source_info(rb, s))
                            } else {
                                SourceRef::Id(s)
                            }
                        })
                        .collect(),
                    evidence: rule.evidence,
                    reviewed: rule.reviewed.as_deref(),
                    at: rule.span.location(),
                })
                .collect(),
        })
        .collect();
    let document = Document {
        schema: SCHEMA,
        tradeoff: env!("CARGO_PKG_VERSION"),
        rule_base: RuleBaseInfo {
            origin: rb.origin(),
            fingerprint: rb.fingerprint(),
            packs: rb
                .packs()
                .iter()
                .map(|p| PackInfo {
                    name: &p.name,
                    version: p.version.as_deref(),
                    dir: &p.dir,
                })
                .collect(),
        },
        title: decision.answers.title.as_deref(),
        answers,
        topics,
        risks: super::risk_rows(decision)
            .into_iter()
            .map(|(flag, risk)| RiskInfo {
                id: &risk.id,
                kind: risk.kind,
                severity: risk.severity,
                title: &risk.title,
                mitigation: &risk.mitigation,
                rationale: &risk.rationale,
                answers: &flag.answers,
                topics: &risk.topics,
                sources: risk.sources.iter().map(|s| source_info(rb, s)).collect(),
                at: risk.span.location(),
            })
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&document)?;
    text.push('\n');
    Ok(text)
}

fn reason_info<'a>(rb: &'a RuleBase, reason: &'a Reason) -> Option<ReasonInfo<'a>> {
    let (_, rule) = rb.rule(reason.rule.as_str())?;
    Some(ReasonInfo {
        rule: &reason.rule,
        summary: &rule.summary,
        points: reason.points,
        lead: reason.lead,
        excluded: &reason.excluded,
        answers: &reason.answers,
    })
}
