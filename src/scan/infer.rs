//! From findings to answers the questionnaire can hold.
//!
//! A finding ("an image named postgres") becomes an answer only through a
//! question that exists and a choice it offers: every inference is checked
//! against the rule base with the same checker an answers file goes
//! through, and one that does not fit is dropped rather than invented.
//! Each keeps the evidence it rests on, so that a person can confirm or
//! reject it.

use super::{Deployable, Evidence, Scan};
use crate::rulebase::RuleBase;
use crate::rulebase::question::{Question, QuestionKind};
use serde::Serialize;
use std::collections::BTreeMap;

/// One answer inferred from the repository.
#[derive(Debug, Clone, Serialize)]
pub struct Inference {
    pub question: String,
    pub value: toml::Value,
    /// Why: what was found, and where.
    pub because: Vec<Because>,
}

/// What supports an inferred answer (or, for a many-choice question, one of
/// its choices).
#[derive(Debug, Clone, Serialize)]
pub struct Because {
    /// The choice this supports, for many-choice questions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub choice: Option<String>,
    /// What was found: "PostgreSQL", "12 Kubernetes workloads".
    pub found: String,
    pub evidence: Vec<Evidence>,
}

/// A one-choice question the findings disagree on: left to the person,
/// with what each choice rests on.
#[derive(Debug, Clone, Serialize)]
pub struct Undecided {
    pub question: String,
    pub because: Vec<Because>,
}

/// What a scan supports: answers, and the questions it could not settle.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Inferred {
    pub answers: Vec<Inference>,
    pub undecided: Vec<Undecided>,
}

/// The inferences a scan supports, in questionnaire order.
pub fn infer(rb: &RuleBase, detectors: &super::Detectors, scan: &Scan) -> Inferred {
    let mut found: Vec<Inference> = Vec::new();
    let mut undecided = Vec::new();
    for (question, candidates) in candidates(detectors, scan) {
        let Some(q) = rb.question(&question) else {
            continue;
        };
        match from_candidates(q, &candidates) {
            Some(inference) => found.push(inference),
            None if matches!(q.kind, QuestionKind::Single(_)) => undecided.push(Undecided {
                question: question.clone(),
                because: candidates.iter().map(|c| because(c, true)).collect(),
            }),
            None => {}
        }
    }
    found.extend(structure(scan, detectors));
    found.retain(|i| {
        rb.question(&i.question)
            .is_some_and(|q| q.check_toml(&i.value).is_ok())
    });
    let order: BTreeMap<&str, usize> = rb
        .questions()
        .iter()
        .enumerate()
        .map(|(i, q)| (q.id.as_str(), i))
        .collect();
    found.sort_by_key(|i| order.get(i.question.as_str()).copied());
    undecided.retain(|u| !found.iter().any(|i| i.question == u.question));
    undecided.sort_by_key(|u| order.get(u.question.as_str()).copied());
    Inferred {
        answers: found,
        undecided,
    }
}

/// A choice a technology suggests for a question.
struct Candidate<'a> {
    choice: &'a str,
    name: &'a str,
    secondary: bool,
    declared_only: bool,
    evidence: &'a [Evidence],
}

impl Candidate<'_> {
    /// Some of its evidence declares infrastructure, not only a dependency.
    fn declared(&self) -> bool {
        self.evidence.iter().any(|e| !e.is_dependency())
    }
}

fn candidates<'a>(
    detectors: &'a super::Detectors,
    scan: &'a Scan,
) -> BTreeMap<String, Vec<Candidate<'a>>> {
    let mut by_question: BTreeMap<String, Vec<Candidate<'a>>> = BTreeMap::new();
    for (&index, evidence) in &scan.found {
        let tech = &detectors.techs[index];
        for (question, choice) in &tech.answers {
            by_question
                .entry(question.clone())
                .or_default()
                .push(Candidate {
                    choice,
                    name: &tech.name,
                    secondary: tech.secondary,
                    declared_only: tech.declared_only,
                    evidence,
                });
        }
    }
    by_question
}

fn from_candidates(q: &Question, candidates: &[Candidate<'_>]) -> Option<Inference> {
    match &q.kind {
        QuestionKind::Multi(choices) => {
            let order = |c: &str| choices.iter().position(|x| x.id.as_str() == c);
            let mut because: Vec<Because> = candidates.iter().map(|c| because(c, true)).collect();
            because.sort_by_key(|b| b.choice.as_deref().and_then(order));
            let mut values: Vec<String> = because.iter().filter_map(|b| b.choice.clone()).collect();
            values.dedup();
            let value = toml::Value::Array(values.into_iter().map(toml::Value::String).collect());
            Some(Inference {
                question: q.id.as_str().to_owned(),
                value,
                because,
            })
        }
        QuestionKind::Single(_) => single(q, candidates),
        _ => None,
    }
}

/// A one-choice answer, when the evidence agrees on one choice. Declared
/// infrastructure (a compose service, a Terraform resource) outweighs a
/// dependency: a repository with the SDKs of three clouds but Terraform for
/// one runs on that one. Where declarations disagree too, the person is
/// asked: the question is listed as undecided.
fn single(q: &Question, candidates: &[Candidate<'_>]) -> Option<Inference> {
    let usable: Vec<&Candidate<'_>> = candidates
        .iter()
        .filter(|c| !c.declared_only || c.declared())
        .collect();
    let primary = usable.iter().any(|c| !c.secondary);
    let kept: Vec<&Candidate<'_>> = usable
        .into_iter()
        .filter(|c| !primary || !c.secondary)
        .collect();
    let declared: Vec<&Candidate<'_>> = kept.iter().copied().filter(|c| c.declared()).collect();
    let agreed = |list: &[&Candidate<'_>]| -> Option<String> {
        let first = list.first()?.choice;
        list.iter()
            .all(|c| c.choice == first)
            .then(|| first.to_owned())
    };
    let best = agreed(&kept).or_else(|| agreed(&declared))?;
    Some(Inference {
        question: q.id.as_str().to_owned(),
        value: toml::Value::String(best.clone()),
        because: kept
            .iter()
            .filter(|c| c.choice == best)
            .map(|c| because(c, false))
            .collect(),
    })
}

fn because(c: &Candidate<'_>, with_choice: bool) -> Because {
    Because {
        choice: with_choice.then(|| c.choice.to_owned()),
        found: c.name.to_owned(),
        evidence: c.evidence.to_vec(),
    }
}

/// What the shape of the repository says: how many services it deploys,
/// so one deployable or many, and in how many languages.
fn structure(scan: &Scan, detectors: &super::Detectors) -> Vec<Inference> {
    let Some((what, deployables)) = largest_deployables(scan) else {
        return Vec::new();
    };
    let count = deployables.len();
    let found = if count == 1 {
        format!("1 {}", what.0)
    } else {
        format!("{count} {}", what.1)
    };
    let evidence: Vec<Evidence> = deployables.iter().map(|d| d.evidence.clone()).collect();
    let because = vec![Because {
        choice: None,
        found,
        evidence,
    }];
    let functions_only = scan.deployables.kubernetes.is_empty()
        && scan.deployables.compose.is_empty()
        && scan.found.keys().any(|&t| {
            detectors.techs[t]
                .answers
                .get("current_compute")
                .map(String::as_str)
                == Some("serverless")
        });
    let architecture = match count {
        _ if functions_only => "serverless",
        1 => "monolith",
        _ => "microservices",
    };
    let mut out = vec![
        inference(
            "service_count",
            toml::Value::Integer(count as i64),
            &because,
        ),
        inference(
            "current_architecture",
            toml::Value::String(architecture.to_owned()),
            &because,
        ),
    ];
    if count > 1 {
        out.push(polyglot(scan));
    }
    out
}

fn inference(question: &str, value: toml::Value, because: &[Because]) -> Inference {
    Inference {
        question: question.to_owned(),
        value,
        because: because.to_vec(),
    }
}

/// Several services in two or more languages.
fn polyglot(scan: &Scan) -> Inference {
    let because = scan
        .languages
        .iter()
        .map(|(language, evidence)| Because {
            choice: None,
            found: (*language).to_owned(),
            evidence: evidence.clone(),
        })
        .collect();
    Inference {
        question: "polyglot".to_owned(),
        value: toml::Value::Boolean(scan.languages.len() > 1),
        because,
    }
}

/// The kind of file that shows the most deployables (they overlap, so the
/// largest count is taken, never the sum), with singular and plural names.
fn largest_deployables(scan: &Scan) -> Option<((&'static str, &'static str), Vec<&Deployable>)> {
    let d = &scan.deployables;
    let kinds = [
        (
            ("Kubernetes workload", "Kubernetes workloads"),
            &d.kubernetes,
        ),
        (
            ("compose service built here", "compose services built here"),
            &d.compose,
        ),
        (
            (
                "directory with a Dockerfile",
                "directories with a Dockerfile",
            ),
            &d.dockerfiles,
        ),
        (
            (
                "application manifest at the top",
                "application manifests at the top",
            ),
            &d.root_manifests,
        ),
    ];
    let mut best: Option<((&str, &str), Vec<&Deployable>)> = None;
    for (names, list) in kinds {
        let mut unique: Vec<&Deployable> = Vec::new();
        for deployable in list {
            if !unique.iter().any(|u| u.name == deployable.name) {
                unique.push(deployable);
            }
        }
        if unique.len() > best.as_ref().map_or(0, |b| b.1.len()) {
            best = Some((names, unique));
        }
    }
    best
}
