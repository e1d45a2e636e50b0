//! Priorities, policy, linked decisions and tipping points, end to end:
//! the binary on the examples, asserting exact figures and sentences.

use crate::support::{Scratch, Tradeoff, repo};
use serde_json::Value;

fn json(args: &[&str]) -> Value {
    let run = Tradeoff::new(args).run().success();
    serde_json::from_str(&run.stdout).unwrap()
}

fn topic<'a>(doc: &'a Value, id: &str) -> &'a Value {
    doc["topics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == id)
        .unwrap()
}

#[test]
fn priorities_tilt_a_close_call_and_say_how_much() {
    let args = [
        "decide",
        "-a",
        "examples/saas-startup.toml",
        "-t",
        "caching",
        "-f",
        "json",
    ];
    let plain = json(&args);
    assert_eq!(topic(&plain, "caching")["winner"], "none");
    let mut tilted = args.to_vec();
    tilted.extend(["--optimize", "performance"]);
    let doc = json(&tilted);
    let caching = topic(&doc, "caching");
    assert_eq!(caching["winner"], "cache-aside");
    assert_eq!(
        caching["swayed"]["without_priorities"],
        serde_json::json!({"winner": "none"})
    );
    let first = &caching["ranking"][0];
    assert_eq!(
        first["breakdown"],
        serde_json::json!({"requirements": 3, "priorities": 3, "policy": 0})
    );
    let latency = caching["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "priority:caching:latency")
        .unwrap();
    assert_eq!(latency["origin"], "priority");
    assert_eq!(latency["status"], "fired");
    assert!(
        latency["rationale"]
            .as_str()
            .unwrap()
            .starts_with("You weighted low latency at 2."),
        "{latency}"
    );
    // The same in words, under the table.
    Tradeoff::new(&[
        "decide",
        "-a",
        "examples/saas-startup.toml",
        "-t",
        "caching",
        "--optimize",
        "performance",
    ])
    .run()
    .success()
    .stdout_has("  Score of Cache-aside: requirements +3, priorities +3.\n")
    .stdout_has("  Your priorities decided this: without them, No cache would win.\n");
    // Explicit weights win over the preset.
    let doc = json(&[
        "decide",
        "-a",
        "examples/saas-startup.toml",
        "-t",
        "caching",
        "-f",
        "json",
        "--optimize",
        "performance",
        "--weight",
        "latency=0",
        "--weight",
        "scalability=0",
    ]);
    assert_eq!(topic(&doc, "caching")["winner"], "none");
}

#[test]
fn bad_weights_are_usage_errors_with_a_suggestion() {
    Tradeoff::new(&[
        "decide",
        "-a",
        "examples/saas-startup.toml",
        "--weight",
        "latncy=2",
    ])
    .run()
    .code(2)
    .stderr_has("error: unknown quality attribute `latncy`\n  help: did you mean `latency`?");
    Tradeoff::new(&[
        "decide",
        "-a",
        "examples/saas-startup.toml",
        "--weight",
        "cost=7",
    ])
    .run()
    .code(2)
    .stderr_has("invalid weight `7` for `cost`: expected a whole number from 0 to 3");
}

#[test]
fn a_policy_is_traced_and_named_where_it_decides() {
    let args = [
        "decide",
        "-a",
        "examples/saas-startup.toml",
        "-t",
        "cache-technology",
        "--optimize",
        "performance",
    ];
    let mut with = args.to_vec();
    with.extend(["--policy", "examples/policy-radar.toml"]);
    // Without the policy, Memcached and Redis tie: the tie is reported, and
    // the declared tie-break (simpler and cheaper) lists Memcached first.
    Tradeoff::new(&args)
        .run()
        .success()
        .stdout_has("→ tie: Memcached and Redis: confidence low; the tie-break");
    Tradeoff::new(&with)
        .run()
        .success()
        .stdout_has("→ Redis:")
        .stdout_has(
            "  Policy `Acme platform radar 2026-Q4` decided this: without it, Memcached and Redis would tie.\n",
        );
    // Forbidden options are knocked out by the policy, by name.
    let mut json_args = vec![
        "decide",
        "-a",
        "examples/catalogue.toml",
        "-t",
        "data-store",
        "-f",
        "json",
    ];
    json_args.extend(["--policy", "examples/policy-radar.toml"]);
    let doc = json(&json_args);
    let ranking = topic(&doc, "data-store")["ranking"]
        .as_array()
        .unwrap()
        .clone();
    let wide = ranking
        .iter()
        .find(|r| r["option"] == "wide-column")
        .unwrap();
    assert_eq!(
        wide["excluded_by"],
        serde_json::json!(["policy:data-store:wide-column"])
    );
    let relational = ranking
        .iter()
        .find(|r| r["option"] == "relational")
        .unwrap();
    assert_eq!(relational["breakdown"]["policy"], 2);
}

#[test]
fn policy_mistakes_are_reported_at_their_line_and_column() {
    let scratch = Scratch::new();
    let path = scratch.write(
        "policy.toml",
        r#"[policy]
name = "Radar"

[[technology]]
topic = "data-stor"
option = "relational"
ring = "adopt"

[[technology]]
topic = "data-store"
option = "documnt"
ring = "hold"

[[technology]]
topic = "messaging"
option = "event-log"
ring = "keep"
"#,
    );
    let run = Tradeoff::new(&[
        "decide",
        "-a",
        "examples/saas-startup.toml",
        "--policy",
        path.to_str().unwrap(),
    ])
    .run()
    .code(65);
    for needle in [
        "error: unknown topic `data-stor`",
        "policy.toml:5:9",
        "help: did you mean `data-store`?",
        "error: unknown option `documnt` in topic `data-store`",
        "policy.toml:11:10",
        "help: did you mean `document`?",
        "error: unknown ring `keep`",
        "expected `adopt`, `trial`, `assess` or `hold`",
    ] {
        assert!(
            run.stderr.contains(needle),
            "missing {needle:?} in:\n{}",
            run.stderr
        );
    }
}

#[test]
fn linked_decisions_show_which_upstream_winner_they_read() {
    Tradeoff::new(&["decide", "-a", "examples/payments-ledger.toml", "-t", "messaging", "-t", "cqrs-es"])
        .run()
        .success()
        .stdout_has("→ Partitioned event log (Kafka, Kinesis, Pulsar):")
        .stdout_has(
            "  Linked: cqrs-es = Event sourcing with projections (event-sourcing-needs-a-durable-log)\n",
        );
    // Without the upstream topic in the run, the link has nothing to read.
    let doc = json(&[
        "decide",
        "-a",
        "examples/payments-ledger.toml",
        "-t",
        "messaging",
        "-f",
        "json",
    ]);
    assert_eq!(topic(&doc, "messaging")["linked"], serde_json::json!([]));
    let doc = json(&[
        "decide",
        "-a",
        "examples/payments-ledger.toml",
        "-t",
        "cqrs-es",
        "-t",
        "messaging",
        "-f",
        "json",
    ]);
    assert_eq!(
        topic(&doc, "messaging")["linked"],
        serde_json::json!([{
            "topic": "cqrs-es",
            "decision": ["event-sourcing"],
            "rules": ["event-sourcing-needs-a-durable-log"]
        }])
    );
}

#[test]
fn tipping_points_name_thresholds_and_pairs() {
    Tradeoff::new(&[
        "decide",
        "-a",
        "examples/saas-startup.toml",
        "-t",
        "caching",
    ])
    .run()
    .success()
    .stdout_has(
        "  Would change if:\n    Peak traffic: at least 1000 requests/s (now 50 requests/s): Cache-aside would win\n",
    );
    // No single answer moves this one: pairs say how settled it is, and a
    // pair that only brings a tie says so.
    let scratch = Scratch::new();
    let scenario =
        std::fs::read_to_string(repo().join("tests/scenarios/iot-telemetry.toml")).unwrap();
    let answers = scenario.split("\n[expect").next().unwrap();
    scratch.write("iot.toml", answers);
    let path = scratch.path().join("iot.toml");
    let run = Tradeoff::new(&["explain", "-a", path.to_str().unwrap(), "-t", "data-store"])
        .run()
        .success();
    assert!(
        run.stdout.contains(
            "Operational maturity: Low (now High) and Data relationships: Many entities that \
             reference each other and are queried across those links (now Independent records, \
             each looked up by its key): Relational database (PostgreSQL, MySQL) and Wide-column \
             store (Cassandra, ScyllaDB) would tie"
        ),
        "{}",
        run.stdout
    );
    let doc = json(&[
        "decide",
        "-a",
        path.to_str().unwrap(),
        "-t",
        "data-store",
        "-f",
        "json",
    ]);
    let tip = &topic(&doc, "data-store")["tipping_points"][0];
    assert_eq!(tip["question"], "ops_maturity");
    assert_eq!(tip["to"], "low");
    assert_eq!(tip["and"]["question"], "data_relationships");
    assert_eq!(tip["and"]["to"], "relational");
    assert_eq!(
        tip["becomes"],
        serde_json::json!({"tie": ["relational", "wide-column"]})
    );
}

#[test]
fn records_say_what_to_revisit_and_carry_the_risks() {
    let scratch = Scratch::new();
    Tradeoff::new(&[
        "decide",
        "-a",
        "examples/payments-ledger.toml",
        "-t",
        "availability",
        "--adr",
        scratch.path().join("adr").to_str().unwrap(),
    ])
    .run()
    .success();
    let names = scratch.names("adr");
    let record = scratch.read(&format!("adr/{}", names[0]));
    assert!(
        record.contains("Revisit this decision if any of these changes:"),
        "{record}"
    );
    assert!(record.contains("Risks (1 high):"), "{record}");
    assert!(
        record.contains("`zero-rpo-with-active-passive`"),
        "{record}"
    );
}

#[test]
fn review_re_applies_recorded_priorities_and_linked_decisions() {
    let scratch = Scratch::new();
    let dir = scratch.path().join("adr");
    Tradeoff::new(&[
        "decide",
        "-a",
        "examples/payments-ledger.toml",
        "--optimize",
        "performance",
        "--adr",
        dir.to_str().unwrap(),
    ])
    .run()
    .success();
    let messaging = scratch
        .names("adr")
        .into_iter()
        .find(|n| n.contains("messaging"))
        .unwrap();
    let record = scratch.read(&format!("adr/{messaging}"));
    assert!(
        record.contains("priorities = [\"latency=2\", \"scalability=1\"]"),
        "{record}"
    );
    assert!(
        record.contains(
            "[decisions]\n\"architecture\" = \"monolith\"\n\"cqrs-es\" = \"event-sourcing\"\n"
        ),
        "{record}"
    );
    // Every record holds when reviewed: the priorities and the upstream
    // decisions are re-applied as they were.
    let records = scratch.names("adr").len();
    Tradeoff::new(&["adr", "--dir", dir.to_str().unwrap(), "review"])
        .run()
        .success()
        .stdout_has(&format!(
            "{records} records reviewed: {records} hold, 0 changed"
        ));
}

#[test]
fn risks_are_readable_like_rules() {
    Tradeoff::new(&["rules", "show", "zero-rpo-with-active-passive"])
        .run()
        .success()
        .stdout_has("severity:  high\n")
        .stdout_has("when:      all(rpo_minutes < 1, decision:availability = active-passive)\n")
        .stdout_has("\nMitigation\n");
    Tradeoff::new(&["rules", "show", "zero-rpo-with-active-passve"])
        .run()
        .code(2)
        .stderr_has("did you mean `zero-rpo-with-active-passive`?");
    Tradeoff::new(&["rules", "docs"])
        .run()
        .success()
        .stdout_has("## Risks and contradictions\n\n### `")
        .stdout_has("  - Profile (for priorities): cost +2, time_to_market +2,");
}

#[test]
fn scenarios_assert_the_exact_risks() {
    Tradeoff::new(&[
        "rules",
        "test",
        "tests/scenarios/risks-payments-ledger.toml",
    ])
    .run()
    .success();
    let scratch = Scratch::new();
    let text = std::fs::read_to_string(
        crate::support::repo().join("tests/scenarios/risks-payments-ledger.toml"),
    )
    .unwrap();
    let path = scratch.write(
        "none.toml",
        &text.replace("risks = [\"zero-rpo-with-active-passive\"]", "risks = []"),
    );
    Tradeoff::new(&["rules", "test", path.to_str().unwrap()])
        .run()
        .code(1)
        .stdout_has(
            "error: expected no risks, but the answers raise `zero-rpo-with-active-passive`",
        );
}
