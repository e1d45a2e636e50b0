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
            None if matches!(q.kind, QuestionKind::Single(_)) => {
                let usable = usable(&candidates);
                if usable.iter().any(|c| c.choice != usable[0].choice) {
                    undecided.push(Undecided {
                        question: question.clone(),
                        because: usable.iter().map(|c| because(c, true)).collect(),
                    });
                }
            }
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
    /// Another technology it yields to was found.
    overruled: bool,
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
        let overruled = tech.unless.iter().any(|other| {
            detectors
                .index(other)
                .is_some_and(|i| scan.found.contains_key(&i))
        });
        for (question, choice) in &tech.answers {
            by_question
                .entry(question.clone())
                .or_default()
                .push(Candidate {
                    choice,
                    name: &tech.name,
                    secondary: tech.secondary,
                    declared_only: tech.declared_only,
                    overruled,
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
    let usable = usable(candidates);
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

/// The candidates that may answer a one-choice question: not overruled by
/// another technology found, and declared where they must be.
fn usable<'c, 'a>(candidates: &'c [Candidate<'a>]) -> Vec<&'c Candidate<'a>> {
    candidates
        .iter()
        .filter(|c| !c.overruled && (!c.declared_only || c.declared()))
        .collect()
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
    let found = |id: &str| {
        detectors
            .index(id)
            .is_some_and(|i| scan.found.contains_key(&i))
    };
    // Kubernetes is in use but no workload could be read (a cluster in
    // Terraform, templated Helm charts): the services are deployed from
    // elsewhere or from templates, and any count would be a guess.
    if found("kubernetes") && scan.deployables.kubernetes.is_empty() {
        return Vec::new();
    }
    let Some((what, deployables)) = largest_deployables(scan) else {
        return Vec::new();
    };
    let count = deployables.len();
    let because = vec![Because {
        choice: None,
        found: match count {
            1 => format!("1 {}", what.0),
            _ => format!("{count} {}", what.1),
        },
        evidence: deployables.iter().map(|d| d.evidence.clone()).collect(),
    }];
    // Functions beside containers are helpers, not the system.
    let functions_only = found("functions")
        && scan.deployables.kubernetes.is_empty()
        && scan.deployables.compose.is_empty();
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
        inference("current_architecture", architecture.into(), &because),
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
fn largest_deployables(scan: &Scan) -> Option<((&'static str, &'static str), Vec<Deployable>)> {
    let d = &scan.deployables;
    // A Dockerfile builds a service of this repository when code is built
    // beside it: a package manifest in its directory or below. One that
    // only packages a tool or a downloaded binary is not a service.
    let manifests: Vec<&str> = scan
        .languages
        .values()
        .flatten()
        .map(|e| e.file.as_str())
        .collect();
    let builds_code = |dir: &str| {
        dir == "."
            || manifests.iter().any(|m| {
                m.strip_prefix(dir)
                    .is_some_and(|rest| rest.starts_with('/'))
            })
    };
    let dockerfiles: Vec<Deployable> = d
        .dockerfiles
        .iter()
        .filter(|f| builds_code(&f.name))
        .cloned()
        .collect();
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
            &dockerfiles,
        ),
        (
            (
                "application manifest at the top",
                "application manifests at the top",
            ),
            &d.root_manifests,
        ),
    ];
    let mut best: Option<((&str, &str), Vec<Deployable>)> = None;
    for (names, list) in kinds {
        let mut unique: Vec<Deployable> = Vec::new();
        for deployable in list {
            if !unique.iter().any(|u| u.name == deployable.name) {
                unique.push(deployable.clone());
            }
        }
        if unique.len() > best.as_ref().map_or(0, |b| b.1.len()) {
            best = Some((names, unique));
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::{Detectors, Limits, scan};
    use std::fs;

    /// Scans a repository made of `(path, text)` files; the inferred
    /// answers by question, and the undecided questions.
    fn infer_files(files: &[(&str, &str)]) -> (BTreeMap<String, toml::Value>, Vec<String>) {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let path = dir.path().join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        }
        let rb = crate::builtin::rule_base().unwrap();
        let detectors = Detectors::builtin().unwrap();
        let found = scan(dir.path(), &detectors, &Limits::default()).unwrap();
        let inferred = infer(&rb, &detectors, &found);
        (
            inferred
                .answers
                .into_iter()
                .map(|i| (i.question, i.value))
                .collect(),
            inferred.undecided.into_iter().map(|u| u.question).collect(),
        )
    }

    #[test]
    fn a_cloud_sdk_alone_does_not_settle_the_cloud() {
        let (answers, _) = infer_files(&[(
            "package.json",
            r#"{"dependencies": {"@aws-sdk/client-s3": "3"}}"#,
        )]);
        assert!(!answers.contains_key("cloud"), "{answers:?}");
        let (answers, _) = infer_files(&[
            (
                "package.json",
                r#"{"dependencies": {"@azure/storage-blob": "12"}}"#,
            ),
            (
                "infra/main.tf",
                "resource \"aws_s3_bucket\" \"files\" {\n}\n",
            ),
        ]);
        assert_eq!(answers["cloud"].as_str(), Some("aws"));
    }

    #[test]
    fn declared_stores_that_disagree_are_undecided() {
        let compose = "services:\n  a:\n    image: postgres:16\n  b:\n    image: mongo:7\n";
        let (answers, undecided) = infer_files(&[("docker-compose.yml", compose)]);
        assert!(!answers.contains_key("current_store"));
        assert_eq!(undecided, ["current_store"]);
        // A dependency does not outvote a declared database.
        let (answers, _) = infer_files(&[
            (
                "docker-compose.yml",
                "services:\n  a:\n    image: postgres:16\n",
            ),
            ("package.json", r#"{"dependencies": {"mongodb": "6"}}"#),
        ]);
        assert_eq!(answers["current_store"].as_str(), Some("relational"));
    }

    #[test]
    fn replicas_of_one_build_are_one_service() {
        let compose = "services:\n  leader:\n    build: .\n  follower:\n    build: .\n";
        let (answers, _) = infer_files(&[("docker-compose.yml", compose)]);
        assert_eq!(answers["service_count"].as_integer(), Some(1));
        assert_eq!(answers["current_architecture"].as_str(), Some("monolith"));
    }

    #[test]
    fn a_dockerfile_without_code_beside_it_is_not_a_service() {
        let (answers, _) = infer_files(&[
            ("Gemfile", "gem \"rails\"\n"),
            ("Dockerfile", "FROM ruby\n"),
            ("tools/proxy/Dockerfile", "FROM nginx\n"),
            (".devcontainer/Dockerfile", "FROM ruby\n"),
        ]);
        assert_eq!(answers["service_count"].as_integer(), Some(1));
    }

    #[test]
    fn helper_functions_beside_a_cluster_are_not_the_compute() {
        let tf = "resource \"aws_eks_cluster\" \"main\" {\n}\nresource \"aws_lambda_function\" \"drill\" {\n}\n";
        let (answers, undecided) = infer_files(&[("main.tf", tf)]);
        assert!(!answers.contains_key("current_compute"), "{answers:?}");
        assert!(
            !answers.contains_key("service_count"),
            "workloads unseen: {answers:?}"
        );
        assert!(undecided.is_empty());
    }
}
