//! Records of verdicts that are not one winner: a combination topic's plan,
//! a tie, a topic that does not apply; and `adr review` over them.

use crate::support::{Scratch, Tradeoff, repo};

/// Writes the records of `topics` for the answers in `answers` (a path in
/// the repository) into `docs/decisions` of a scratch directory.
fn records(answers: &str, topics: &[&str]) -> (Scratch, crate::support::Run) {
    let s = Scratch::new();
    let answers = repo().join(answers);
    let mut args = vec!["decide", "-a", answers.to_str().unwrap()];
    for topic in topics {
        args.extend(["--topic", topic]);
    }
    args.extend(["--adr", "docs/decisions"]);
    let run = Tradeoff::new(&args).dir(s.path()).run().success();
    (s, run)
}

fn only_record(s: &Scratch) -> String {
    let names = s.names("docs/decisions");
    assert_eq!(names.len(), 1, "{names:?}");
    s.read(&format!("docs/decisions/{}", names[0]))
}

#[test]
fn a_plan_is_recorded_as_what_to_adopt_and_why_the_rest_is_not_needed() {
    let (s, _) = records("examples/payments-ledger.toml", &["resilience"]);
    let record = only_record(&s);
    assert!(
        record.contains(
            "# Resilience and traffic control: adopt Timeouts and retries with backoff, for "
        ),
        "{record}"
    );
    assert!(
        record.contains(
            "## Decision Outcome\n\nWe will adopt Timeouts and retries with backoff.\n\n"
        ),
        "{record}"
    );
    assert!(
        record.contains(
            "* Not needed: \"Circuit breaker\" (-3), because dependencies with rare transient \
             errors need retries, not breakers"
        ),
        "{record}"
    );
    assert!(
        record.contains("chosen = \"timeouts-and-retries\"\nadopt = [\"timeouts-and-retries\"]\n"),
        "{record}"
    );
    Tradeoff::new(&["adr", "review"])
        .dir(s.path())
        .run()
        .success()
        .stdout_has("resilience: still adopt timeouts-and-retries (same rule base)");
}

#[test]
fn review_reports_a_plan_that_changed() {
    let (s, _) = records("examples/payments-ledger.toml", &["resilience"]);
    let name = s.names("docs/decisions").remove(0);
    let path = format!("docs/decisions/{name}");
    let record = s.read(&path);
    // The dependency turns out to be flaky: the plan now adopts a breaker.
    let edited = record.replace(
        "dependency_reliability = \"reliable\"",
        "dependency_reliability = \"flaky\"",
    );
    assert_ne!(edited, record, "the record keeps the answer");
    s.write(&path, &edited);
    Tradeoff::new(&["adr", "review"])
        .dir(s.path())
        .run()
        .code(1)
        .stdout_has(
            "resilience: recorded adopt timeouts-and-retries, now adopt timeouts-and-retries, circuit-breaker",
        );
}

#[test]
fn a_tie_is_recorded_as_a_tie_for_the_team_to_settle() {
    // The scenario's answers: with the peak unknown, two options tie.
    let scenario = std::fs::read_to_string(
        repo().join("tests/scenarios/startup-explosive-growth-compute.toml"),
    )
    .unwrap();
    let answers = scenario.split("\n[expect").next().unwrap();
    let s = Scratch::new();
    s.write("answers.toml", answers);
    Tradeoff::new(&[
        "decide",
        "-a",
        "answers.toml",
        "--topic",
        "compute-scaling",
        "--adr",
        "docs/decisions",
    ])
    .dir(s.path())
    .run()
    .success();
    let record = only_record(&s);
    assert!(record.contains("(a tie)"), "{record}");
    assert!(
        record.contains("No option leads: ") && record.contains("the team chooses between them"),
        "{record}"
    );
    assert!(
        record.contains("tied = [\"horizontal\", \"autoscaling\"]"),
        "{record}"
    );
    Tradeoff::new(&["adr", "review"])
        .dir(s.path())
        .run()
        .success()
        .stdout_has("compute-scaling: still tie: horizontal, autoscaling (same rule base)");
}

#[test]
fn a_topic_that_does_not_apply_gets_one_line_and_no_record() {
    let (s, run) = records(
        "examples/saas-startup.toml",
        &["caching", "cache-technology"],
    );
    let names = s.names("docs/decisions");
    assert_eq!(names.len(), 1, "{names:?}");
    assert!(names[0].contains("caching-strategy"), "{names:?}");
    let line = run
        .stderr
        .lines()
        .find(|l| l.starts_with("no record for `cache-technology`: it does not apply ("))
        .unwrap_or_else(|| panic!("{}", run.stderr));
    assert!(!line.is_empty());
}
