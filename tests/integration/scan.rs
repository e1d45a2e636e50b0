//! `tradeoff scan`: answers inferred from fixture repositories, each with
//! its evidence, checked against the questionnaire.

use crate::support::{Tradeoff, repo};
use serde_json::Value;

const FIXTURES: &str = "tests/fixtures/scan";

fn scan_json(fixture: &str) -> Value {
    let path = format!("{FIXTURES}/{fixture}");
    let run = Tradeoff::new(&["scan", &path, "--format", "json"])
        .run()
        .success();
    serde_json::from_str(&run.stdout).unwrap()
}

fn answer<'a>(scan: &'a Value, question: &str) -> Option<&'a Value> {
    scan["inferred"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["question"] == question)
        .map(|i| &i["value"])
}

fn evidence_files(scan: &Value) -> Vec<String> {
    scan["found"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["evidence"].as_array().unwrap())
        .map(|e| e["file"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn a_compose_repository_gives_an_answers_file_with_evidence() {
    let run = Tradeoff::new(&["scan", "tests/fixtures/scan/shop"])
        .run()
        .success();
    let out = &run.stdout;
    assert!(
        out.contains("# PostgreSQL: docker-compose.yml:10: image postgres:16\n"),
        "{out}"
    );
    assert!(
        out.contains("current_store = \"relational\" # inferred\n"),
        "{out}"
    );
    assert!(
        out.contains("team_experience = [\"relational\", \"redis\", \"kafka\"] # inferred\n"),
        "{out}"
    );
    assert!(out.contains("service_count = 2 # inferred\n"), "{out}");
    assert!(
        out.contains("#   OpenAPI (REST): api/openapi.yaml:1: openapi 3.0.3\n"),
        "{out}"
    );
    assert!(
        out.contains(
            "docs/adr/0002-use-postgresql-for-orders.md: Use PostgreSQL for orders [data-store]"
        ),
        "{out}"
    );
}

#[test]
fn the_answers_file_is_one_decide_reads() {
    let dir = tempfile::tempdir().unwrap();
    let run = Tradeoff::new(&["scan", "tests/fixtures/scan/platform"])
        .run()
        .success();
    let file = dir.path().join("scan.toml");
    std::fs::write(&file, &run.stdout).unwrap();
    // Every inferred answer reads; what decide still misses is only what
    // no file can say (team size, budget).
    let run = Tradeoff::new(&["decide", "--answers", file.to_str().unwrap()]).run();
    let errors: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("error"))
        .collect();
    assert!(!errors.is_empty());
    for error in errors {
        assert!(
            error.starts_with("error: missing answer to") || error.starts_with("error: found "),
            "{}",
            run.stderr
        );
        for inferred in ["`team_experience`", "`cloud`", "`service_count`"] {
            assert!(!error.contains(inferred), "{error}");
        }
    }
}

#[test]
fn kubernetes_terraform_and_every_manifest_format() {
    let scan = scan_json("platform");
    assert_eq!(answer(&scan, "cloud").unwrap(), "aws");
    assert_eq!(answer(&scan, "service_count").unwrap(), 2);
    assert_eq!(
        answer(&scan, "current_architecture").unwrap(),
        "microservices"
    );
    assert_eq!(answer(&scan, "current_compute").unwrap(), "autoscaling");
    assert_eq!(answer(&scan, "polyglot").unwrap(), true);
    let experience = answer(&scan, "team_experience").unwrap();
    for choice in [
        "relational",
        "wide_column",
        "redis",
        "graphql",
        "grpc",
        "kafka",
        "managed_queue",
        "kubernetes",
    ] {
        assert!(
            experience.as_array().unwrap().iter().any(|c| c == choice),
            "{choice}: {experience}"
        );
    }
    let languages: Vec<&str> = scan["languages"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(languages, ["C#", "Go", "Java", "Python", "Ruby", "Rust"]);
}

#[test]
fn disagreeing_stores_are_left_to_the_person() {
    let scan = scan_json("platform");
    assert!(answer(&scan, "current_store").is_none());
    let undecided = &scan["undecided"][0];
    assert_eq!(undecided["question"], "current_store");
    let choices: Vec<&str> = undecided["because"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["choice"].as_str().unwrap())
        .collect();
    assert!(
        choices.contains(&"relational") && choices.contains(&"wide_column"),
        "{choices:?}"
    );
}

#[test]
fn ignored_templated_and_test_files_do_not_count() {
    let scan = scan_json("platform");
    let files = evidence_files(&scan);
    assert!(
        !files.iter().any(|f| f.starts_with("generated/")),
        "{files:?}"
    );
    let compose = scan["deployables"]["compose"].as_array().unwrap();
    assert!(
        compose.is_empty(),
        "a test's compose service is not deployed: {compose:?}"
    );
    let unread = scan["unread"].as_array().unwrap();
    assert_eq!(unread.len(), 1);
    assert_eq!(unread[0]["file"], "chart/templates/search.yaml");
}

#[test]
fn decision_records_and_their_topics() {
    let scan = scan_json("platform");
    let records = scan["records"].as_array().unwrap();
    assert_eq!(records.len(), 2);
    assert_eq!(records[0]["title"], "Split orders into microservices");
    assert_eq!(records[0]["topics"], serde_json::json!(["architecture"]));
    assert_eq!(records[0]["by_tradeoff"], false);
    assert_eq!(
        records[1]["topics"],
        serde_json::json!(["cache-technology"])
    );
    assert_eq!(records[1]["by_tradeoff"], true);
}

#[test]
fn functions_and_cloudformation() {
    let scan = scan_json("functions");
    assert_eq!(answer(&scan, "current_architecture").unwrap(), "serverless");
    assert_eq!(answer(&scan, "current_compute").unwrap(), "serverless");
    assert_eq!(answer(&scan, "current_store").unwrap(), "key_value");
    assert_eq!(answer(&scan, "cloud").unwrap(), "aws");
    let files = evidence_files(&scan);
    assert!(
        files.contains(&"queue.template.json".to_owned()),
        "{files:?}"
    );
}

/// Every detector in the data file is found in some fixture.
#[test]
fn the_fixtures_exercise_every_detector() {
    let detectors: toml::Table =
        toml::from_str(&std::fs::read_to_string(repo().join("rules/detectors.toml")).unwrap())
            .unwrap();
    let mut found = std::collections::BTreeSet::new();
    for fixture in ["shop", "platform", "functions", "catalogue"] {
        for f in scan_json(fixture)["found"].as_array().unwrap() {
            found.insert(f["id"].as_str().unwrap().to_owned());
        }
    }
    for tech in detectors["tech"].as_array().unwrap() {
        let id = tech["id"].as_str().unwrap();
        assert!(found.contains(id), "no fixture finds `{id}`");
    }
}

#[test]
fn a_missing_directory_is_an_input_error() {
    Tradeoff::new(&["scan", "tests/fixtures/scan/no-such-repo"])
        .run()
        .code(66)
        .stderr_has("not a directory");
}
