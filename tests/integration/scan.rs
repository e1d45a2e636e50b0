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

/// `ask --scan` in a real terminal: each inference is shown with its
/// evidence; a rejected one is asked like any other and never reaches the
/// decision record, a confirmed one is recorded as inferred and confirmed.
#[cfg(unix)]
#[test]
fn ask_scan_shows_each_inference_for_confirmation_and_drops_rejected_ones() {
    use std::process::Command;
    const DOWN: &str = "\x1b[B";
    const ENTER: &str = "\r";
    let s = crate::support::Scratch::new();
    let example = std::fs::read_to_string(repo().join("examples/saas-startup.toml")).unwrap();
    let given: String = example
        .lines()
        .filter(|l| !l.starts_with("team_experience"))
        .map(|l| format!("{l}\n"))
        .collect();
    s.write("given.toml", &given);
    let shop = repo().join("tests/fixtures/scan/shop");
    let script = format!(
        "stty cols 120 rows 50; exec {} ask --topic data-store --answers given.toml --scan {}",
        env!("CARGO_BIN_EXE_tradeoff"),
        shop.display()
    );
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg(script)
        .current_dir(s.path())
        .env("TERM", "xterm-256color")
        .env("NO_COLOR", "1")
        .env("ADR_DATE", "2026-11-21")
        .env("XDG_STATE_HOME", s.path().join("state"))
        .env_remove("TRADEOFF_RULES");
    let mut p = rexpect::session::spawn_command(command, Some(15_000)).unwrap();
    let keys = |p: &mut rexpect::session::PtySession, expect: &str, keys: &str| {
        p.exp_string(expect).unwrap();
        p.send(keys).unwrap();
        p.flush().unwrap();
    };
    p.exp_string("Found in the repository: 2 answers to check.")
        .unwrap();
    keys(
        &mut p,
        "Found PostgreSQL (docker-compose.yml:10). Right? Team experience",
        ENTER,
    );
    keys(
        &mut p,
        "Found Redis (docker-compose.yml:14). Right? Team experience: Redis",
        &format!("{DOWN}{ENTER}"),
    );
    keys(
        &mut p,
        "Found Kafka (worker/requirements.txt:3). Right?",
        ENTER,
    );
    keys(
        &mut p,
        "Found PostgreSQL (docker-compose.yml:10). Right? Primary store today",
        &format!("{DOWN}{ENTER}"),
    );
    // Rejected: asked like any other question.
    keys(&mut p, "[1/4] Data: Primary store today", ENTER);
    keys(&mut p, "[2/4]", ENTER);
    keys(&mut p, "[3/4]", ENTER);
    keys(&mut p, "[4/4]", ENTER);
    keys(&mut p, "Review your answers", ENTER);
    keys(&mut p, "Write decision records", &format!("{DOWN}{ENTER}"));
    keys(&mut p, "Into which directory?", ENTER);
    keys(&mut p, "Save the answers", ENTER);
    p.exp_string("saved answers.toml").unwrap();
    p.exp_eof().unwrap();
    let saved = s.read("answers.toml");
    assert!(
        saved.contains("team_experience = [\"kafka\", \"relational\"]"),
        "{saved}"
    );
    assert!(!saved.contains("current_store = \"relational\""), "{saved}");
    let dir = s.path().join("docs/decisions");
    let record = std::fs::read_dir(&dir)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let record = std::fs::read_to_string(record).unwrap();
    assert!(
        record.contains("(inferred from PostgreSQL (docker-compose.yml:10), Kafka (worker/requirements.txt:3), confirmed)"),
        "{record}"
    );
    assert!(
        !record.contains("Redis (docker-compose.yml:14)"),
        "{record}"
    );
    assert!(
        !record.contains("| Primary store today | A relational database"),
        "{record}"
    );
}

/// `decide --scan`: inferences fill what the file leaves open, the file
/// wins where it answers, and the report says which answers were inferred.
#[test]
fn decide_scan_marks_inferred_answers_in_the_report() {
    let run = Tradeoff::new(&[
        "decide",
        "--answers",
        "examples/saas-startup.toml",
        "--scan",
        "tests/fixtures/scan/shop",
        "--topic",
        "data-store",
        "--format",
        "json",
    ])
    .run()
    .success();
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    let store = &report["answers"]["current_store"];
    assert_eq!(store["value"], "relational");
    assert_eq!(store["origin"], "inferred");
    assert_eq!(store["inferred"]["confirmed"], false);
    assert_eq!(
        store["inferred"]["from"],
        serde_json::json!(["PostgreSQL (docker-compose.yml:10)"])
    );
    // The file answers team_experience: the file wins.
    let experience = &report["answers"]["team_experience"];
    assert_eq!(experience["origin"], "file");
    assert!(experience.get("inferred").is_none());
    assert!(!run.stderr.contains("ignored the answer"), "{}", run.stderr);
}

#[test]
fn decide_scan_records_say_the_answer_was_not_confirmed() {
    let s = crate::support::Scratch::new();
    let answers = repo().join("examples/saas-startup.toml");
    let shop = repo().join("tests/fixtures/scan/shop");
    Tradeoff::new(&[
        "decide",
        "--answers",
        answers.to_str().unwrap(),
        "--scan",
        shop.to_str().unwrap(),
        "--topic",
        "data-store",
        "--adr",
        "records",
    ])
    .dir(s.path())
    .run()
    .success();
    let record = std::fs::read_dir(s.path().join("records"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "md"))
        .unwrap();
    let record = std::fs::read_to_string(record).unwrap();
    assert!(
        record.contains("A relational database (inferred from PostgreSQL (docker-compose.yml:10), not confirmed)"),
        "{record}"
    );
}

/// A rule pack's `detectors.toml` adds technologies to the scanner, and the
/// pack loader takes the file as the scanner's, not as an ignored one.
#[test]
fn a_rule_pack_extends_the_detectors() {
    let s = crate::support::Scratch::new();
    let pack = s.path().join("pack");
    let source = repo().join("examples/pack-acme");
    std::fs::create_dir_all(&pack).unwrap();
    for entry in std::fs::read_dir(&source).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), pack.join(entry.file_name())).unwrap();
        }
    }
    std::fs::write(
        pack.join("detectors.toml"),
        "[[tech]]\nid = \"acme-db\"\nname = \"Acme DB\"\nrole = \"store\"\n\
         answers = { current_db_scaling = \"distributed_sql\" }\nimages = [\"postgres\"]\n",
    )
    .unwrap();
    let run = Tradeoff::new(&[
        "--rules-pack",
        pack.to_str().unwrap(),
        "scan",
        "tests/fixtures/scan/shop",
    ])
    .run()
    .success();
    assert!(
        run.stdout
            .contains("# Acme DB: docker-compose.yml:10: image postgres:16\ncurrent_db_scaling = \"distributed_sql\" # inferred"),
        "{}",
        run.stdout
    );
    assert!(!run.stderr.contains("detectors.toml"), "{}", run.stderr);
}
