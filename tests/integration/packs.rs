//! Rule packs as a team uses them: the example pack in `examples/pack-acme`
//! layered with `--rules-pack`, `--rules` and `TRADEOFF_RULES_PACK`; its
//! scenarios under `rules test`; provenance in `rules show`, `rules list`,
//! JSON and ADRs; and each mistake a pack can make, with its exact message.

use crate::support::{Scratch, Tradeoff};

const PACK: &str = "examples/pack-acme";

/// Telemetry at volume: built in, the wide-column case.
const TELEMETRY: &str = r#"title = "Fleet telemetry"
topics = ["data-store"]

[answers]
team_size = 15
ops_maturity = "high"
team_experience = ["relational", "wide_column", "kafka"]
cloud = "aws"
lock_in_ok = true
data_relationships = "independent"
query_patterns = ["key_lookup", "range_scan"]
access_patterns_known = true
transactions = "none"
schema_stability = "stable"
write_pattern = "append_only"
data_size_gb = 40000
max_record_kb = 1
consistency = "eventual"
staleness_tolerance = "seconds"
peak_rps = 60000
read_write_ratio = "write_heavy"
"#;

fn json(args: &[&str]) -> serde_json::Value {
    let run = Tradeoff::new(args).run().success();
    serde_json::from_str(&run.stdout).unwrap()
}

#[test]
fn decide_with_the_example_pack_rules_out_self_run_cassandra() {
    let scratch = Scratch::new();
    let answers = scratch.write("telemetry.toml", TELEMETRY);
    let answers = answers.to_str().unwrap();

    let builtin = json(&["decide", "--answers", answers, "--format", "json"]);
    assert_eq!(builtin["topics"][0]["winner"], "wide-column");
    assert!(builtin["rule_base"].get("packs").is_none(), "{builtin}");

    let run = Tradeoff::new(&["--rules-pack", PACK, "decide", "--answers", answers])
        .run()
        .success()
        .stdout_has("→ Managed key-value store")
        .stdout_has("rule base: rules + acme-platform@1.2");
    assert!(
        run.stdout.contains("acme-no-self-run-cassandra"),
        "{}",
        run.stdout
    );

    let layered = json(&[
        "--rules-pack",
        PACK,
        "decide",
        "--answers",
        answers,
        "--format",
        "json",
    ]);
    assert_eq!(layered["topics"][0]["winner"], "key-value");
    assert_eq!(layered["rule_base"]["origin"], "rules + acme-platform@1.2");
    assert_eq!(
        layered["rule_base"]["packs"],
        serde_json::json!([{"name": "acme-platform", "version": "1.2", "dir": PACK}])
    );
    assert_ne!(
        layered["rule_base"]["fingerprint"],
        builtin["rule_base"]["fingerprint"]
    );

    // `--rules PACK` (the manifest extends the built-in base) and the
    // environment variable give the same rule base.
    let via_rules = json(&[
        "--rules",
        PACK,
        "decide",
        "--answers",
        answers,
        "--format",
        "json",
    ]);
    assert_eq!(via_rules["rule_base"], layered["rule_base"]);
    let run = Tradeoff::new(&["decide", "--answers", answers, "--format", "json"])
        .env("TRADEOFF_RULES_PACK", PACK)
        .run()
        .success();
    let via_env: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(via_env["rule_base"], layered["rule_base"]);
}

#[test]
fn rules_test_runs_the_packs_scenarios() {
    let run = Tradeoff::new(&["rules", "test", PACK]).run().success();
    assert_eq!(
        run.stdout,
        "\
ok      examples/pack-acme/scenarios/orders-service-events.toml
ok      examples/pack-acme/scenarios/payout-jobs.toml
ok      examples/pack-acme/scenarios/telemetry-off-the-road.toml
ok      examples/pack-acme/scenarios/telemetry-on-the-paved-road.toml

4 passed, 0 failed

coverage of pack `acme-platform@1.2` (its options that win a scenario, its rules that fire in one):
  data-store  rules 2/2
  messaging   rules 2/2
"
    );
    // The same, with the pack already layered by the flags: not layered twice.
    Tradeoff::new(&["--rules-pack", PACK, "rules", "test", PACK])
        .run()
        .success()
        .stdout_has("4 passed, 0 failed");
    Tradeoff::new(&["--rules", PACK, "rules", "test"])
        .run()
        .success()
        .stdout_has("4 passed, 0 failed");
}

#[test]
fn a_failing_pack_scenario_says_what_was_expected_what_won_and_why() {
    let scratch = Scratch::new();
    copy_pack(&scratch);
    let scenario = std::fs::read_to_string(format!("{PACK}/scenarios/payout-jobs.toml")).unwrap();
    scratch.write(
        "pack/scenarios/payout-jobs.toml",
        &scenario.replace(
            "tie = [\"none\", \"managed-queue\"]",
            "winner = \"redis-streams\"",
        ),
    );
    let run = Tradeoff::new(&["rules", "test", "pack"])
        .dir(scratch.path())
        .run()
        .code(1)
        .stderr_has("error: 1 of 4 scenarios failed");
    let failure = "\
FAILED  pack/scenarios/payout-jobs.toml
error: `messaging`: expected `redis-streams` to win, but `none`, `managed-queue` tied at 4
  --> pack/scenarios/payout-jobs.toml:28:10
   |
28 | winner = \"redis-streams\"
   |          ^^^^^^^^^^^^^^^ expected verdict
   |
   = note: `none` +4: +2 low-rate-tasks-fit-a-job-table, +2 no-broker-until-the-work-needs-one
   = note: `managed-queue` +4: +2 commands-want-queue-semantics, +2 managed-queues-on-a-major-cloud
   = note: `redis-streams` +3: -2 acme-lesson-redis-job-queues, +2 redis-already-in-production, +2 tolerated-loss-lets-redis-serve and 1 more
   = help: `tradeoff explain --topic messaging` shows every rule's part
";
    assert!(run.stdout.contains(failure), "{}", run.stdout);
}

#[test]
fn rules_show_and_list_name_the_pack_behind_a_rule() {
    let run = Tradeoff::new(&["--rules-pack", PACK, "rules", "show", "team-runs-kafka"])
        .run()
        .success();
    let head: Vec<&str> = run.stdout.lines().take(7).collect();
    assert_eq!(
        head,
        [
            "team-runs-kafka",
            "The platform team runs Kafka for every onboarded service, or the team runs it well itself",
            "",
            "topic:     Messaging and events (messaging)",
            "defined:   examples/pack-acme/topics/messaging.toml:9:1",
            "overrides: the rule at rules/topics/messaging.toml:531:1 (overridden by pack acme-platform@1.2)",
            "when:      any(platform_onboarded = yes, team_experience includes kafka)",
        ]
    );
    Tradeoff::new(&["--rules-pack", PACK, "rules", "show", "small-team-new-to-logs"])
        .run()
        .success()
        .stdout_has("disabled:  by pack acme-platform@1.2 at examples/pack-acme/pack.toml:16:12; it never fires");
    Tradeoff::new(&[
        "--rules-pack",
        PACK,
        "rules",
        "show",
        "acme-approved-postgresql",
    ])
    .run()
    .success()
    .stdout_has("pack:      acme-platform@1.2 (examples/pack-acme)");
    // Without the pack, the built-in rule is shown as it is.
    let run = Tradeoff::new(&["rules", "show", "team-runs-kafka"])
        .run()
        .success();
    assert!(!run.stdout.contains("overrid"), "{}", run.stdout);

    let run = Tradeoff::new(&[
        "--rules-pack",
        PACK,
        "rules",
        "list",
        "--topic",
        "messaging",
    ])
    .run()
    .success();
    for mark in [
        "+2 event-log  [overridden by pack acme-platform]",
        "-2 redis-streams, advice  [from pack acme-platform]",
        "-2 event-log  [disabled by pack acme-platform]",
    ] {
        assert!(run.stdout.contains(mark), "{mark}:\n{}", run.stdout);
    }
    let listing = json(&[
        "--rules-pack",
        PACK,
        "rules",
        "list",
        "--topic",
        "messaging",
        "--format",
        "json",
    ]);
    let kafka = listing
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "team-runs-kafka")
        .unwrap();
    assert_eq!(
        kafka["pack"],
        serde_json::json!({
            "name": "acme-platform",
            "change": "overridden",
            "at": "rules/topics/messaging.toml:531:1"
        })
    );
}

#[test]
fn records_name_the_packs_and_review_notices_a_missing_one() {
    let scratch = Scratch::new();
    let answers = scratch.write("telemetry.toml", TELEMETRY);
    let pack = support_path(PACK);
    Tradeoff::new(&[
        "--rules-pack",
        &pack,
        "decide",
        "--answers",
        answers.to_str().unwrap(),
        "--adr",
        "decisions",
    ])
    .dir(scratch.path())
    .run()
    .success();
    let names = scratch.names("decisions");
    assert_eq!(names.len(), 1, "{names:?}");
    let record = scratch.read(&format!("decisions/{}", names[0]));
    assert!(
        record.contains("packs = [\"acme-platform@1.2\"]"),
        "{record}"
    );
    assert!(record.contains("(rules + acme-platform@1.2)"), "{record}");

    Tradeoff::new(&["adr", "review", "--dir", "decisions"])
        .dir(scratch.path())
        .run()
        .stdout_has(
            "made with `acme-platform@1.2`, reviewed with no rule packs: pass each with `--rules-pack DIR` to review as made",
        );
}

fn support_path(rel: &str) -> String {
    crate::support::repo().join(rel).display().to_string()
}

/// Copies the example pack to `pack/` in the scratch directory.
fn copy_pack(scratch: &Scratch) {
    for sub in ["", "topics", "scenarios"] {
        let dir = crate::support::repo().join(PACK).join(sub);
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() {
                let name = path.file_name().unwrap().to_str().unwrap();
                let rel = if sub.is_empty() {
                    format!("pack/{name}")
                } else {
                    format!("pack/{sub}/{name}")
                };
                scratch.write(&rel, &std::fs::read_to_string(&path).unwrap());
            }
        }
    }
}

/// A pack with one topic file, in `pack/` of a scratch directory.
fn pack_with(manifest_extra: &str, topic: &str) -> Scratch {
    let scratch = Scratch::new();
    scratch.write(
        "pack/pack.toml",
        &format!("[pack]\nname = \"acme\"\nextends = \"builtin\"\n{manifest_extra}"),
    );
    if !topic.is_empty() {
        scratch.write("pack/topics/messaging.toml", topic);
    }
    scratch
}

fn check_fails(scratch: &Scratch) -> String {
    Tradeoff::new(&["--rules-pack", "pack", "rules", "check"])
        .dir(scratch.path())
        .run()
        .code(65)
        .stderr
}

#[test]
fn overriding_a_rule_that_does_not_exist_is_an_error() {
    let scratch = pack_with(
        "",
        r#"[topic]
id = "messaging"

[[rule]]
id = "team-run-kafka"
override = true
summary = "Kafka is the platform's"
score = { event-log = 2 }
rationale = "The platform team runs it."
sources = ["S1"]
"#,
    );
    assert_eq!(
        check_fails(&scratch),
        "\
error: cannot override unknown rule `team-run-kafka`
 --> pack/topics/messaging.toml:5:6
  |
5 | id = \"team-run-kafka\"
  |      ^^^^^^^^^^^^^^^^ no such rule in the rule base
  |
  = help: did you mean `team-runs-kafka`?
  = help: to add a rule of the pack's own, remove `override = true`

error: found 1 problem
"
    );
}

#[test]
fn redefining_a_rule_without_override_names_both_places() {
    let scratch = pack_with(
        "",
        r#"[topic]
id = "messaging"

[[rule]]
id = "team-runs-kafka"
summary = "Kafka is the platform's"
score = { event-log = 2 }
rationale = "The platform team runs it."
sources = ["S1"]
"#,
    );
    assert_eq!(
        check_fails(&scratch),
        "\
error: duplicate rule id `team-runs-kafka`
 --> pack/topics/messaging.toml:5:6
  |
5 | id = \"team-runs-kafka\"
  |      ^^^^^^^^^^^^^^^^^ defined again here
  |
  = note: first defined at rules/topics/messaging.toml:531:1

error: found 1 problem
"
    );
}

#[test]
fn disabling_an_unknown_rule_is_an_error() {
    let scratch = pack_with("disable = [\"small-team-new-to-log\"]\n", "");
    assert_eq!(
        check_fails(&scratch),
        "\
error: cannot disable unknown rule `small-team-new-to-log`
 --> pack/pack.toml:4:12
  |
4 | disable = [\"small-team-new-to-log\"]
  |            ^^^^^^^^^^^^^^^^^^^^^^^ no such rule in the rule base
  |
  = help: did you mean `small-team-new-to-logs`?
  = help: `tradeoff rules list` lists the rules of the rule base the pack extends

error: found 1 problem
"
    );
}

#[test]
fn a_pack_rule_is_checked_against_the_base_questions_and_options() {
    let scratch = pack_with(
        "",
        r#"[topic]
id = "messaging"

[[rule]]
id = "acme-kafka"
summary = "Kafka is the platform's"
when = { q = "platfrom", eq = true }
score = { event-logs = 2 }
rationale = "The platform team runs it."
sources = ["S1"]
"#,
    );
    let stderr = check_fails(&scratch);
    assert!(
        stderr.contains("error: unknown option `event-logs` in topic `messaging`"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `event-log`?"), "{stderr}");
    assert!(
        stderr.starts_with(
            "error: unknown question `platfrom`\n --> pack/topics/messaging.toml:7:14\n"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains(" --> pack/topics/messaging.toml:8:11"),
        "{stderr}"
    );
    assert!(stderr.ends_with("error: found 2 problems\n"), "{stderr}");
}

#[test]
fn a_pack_that_cannot_be_read_exits_66() {
    Tradeoff::new(&["--rules-pack", "examples", "rules", "check"])
        .run()
        .code(66)
        .stderr_has(
            "error: cannot read rule base `examples`: not a rule pack: it has no `pack.toml`",
        );
    Tradeoff::new(&["rules", "test", "examples/pack-none"])
        .run()
        .code(66);
}

/// A file that is not TOML but reads as a syntax error quoting its first line.
const SECRET: &str = "machine example.com login me password hunter2\n";

#[cfg(unix)]
#[test]
fn a_link_out_of_the_pack_is_refused_without_quoting_its_target() {
    let scratch = pack_with("", "");
    scratch.write("netrc", SECRET);
    std::fs::create_dir_all(scratch.path().join("pack/topics")).unwrap();
    std::os::unix::fs::symlink(
        scratch.path().join("netrc"),
        scratch.path().join("pack/topics/leak.toml"),
    )
    .unwrap();
    let run = Tradeoff::new(&["--rules-pack", "pack", "rules", "check"])
        .dir(scratch.path())
        .run()
        .code(66)
        .stderr_has("leak.toml")
        .stderr_has("a symbolic link that leads outside the rule base is not followed");
    assert!(!run.stderr.contains("hunter2"), "{}", run.stderr);
    assert!(!run.stderr.contains("netrc"), "{}", run.stderr);

    // A link to a scenario outside is refused the same way.
    std::fs::remove_file(scratch.path().join("pack/topics/leak.toml")).unwrap();
    std::fs::create_dir_all(scratch.path().join("pack/scenarios")).unwrap();
    std::os::unix::fs::symlink(
        scratch.path().join("netrc"),
        scratch.path().join("pack/scenarios/leak.toml"),
    )
    .unwrap();
    let run = Tradeoff::new(&["rules", "test", "pack"])
        .dir(scratch.path())
        .run()
        .code(66);
    assert!(!run.stderr.contains("hunter2"), "{}", run.stderr);
}

#[cfg(unix)]
#[test]
fn a_link_that_stays_inside_the_pack_is_followed() {
    let scratch = Scratch::new();
    copy_pack(&scratch);
    std::fs::rename(
        scratch.path().join("pack/topics"),
        scratch.path().join("pack/shared"),
    )
    .unwrap();
    std::os::unix::fs::symlink("shared", scratch.path().join("pack/topics")).unwrap();
    // A link back to the pack itself must not loop.
    std::os::unix::fs::symlink("..", scratch.path().join("pack/shared/loop")).unwrap();
    Tradeoff::new(&["--rules-pack", "pack", "rules", "check"])
        .dir(scratch.path())
        .run()
        .success();
}

#[test]
fn a_rule_file_past_the_size_limit_is_refused_before_it_is_read() {
    let scratch = pack_with("", "");
    let path = scratch.path().join("pack/topics/huge.toml");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(17 * 1024 * 1024).unwrap();
    Tradeoff::new(&["--rules-pack", "pack", "rules", "check"])
        .dir(scratch.path())
        .run()
        .code(65)
        .stderr_has("huge.toml` is larger than 16 MiB");
}

#[test]
fn the_example_pack_passes_its_own_strictest_check() {
    Tradeoff::new(&["--rules-pack", PACK, "rules", "check", "--deny-warnings"])
        .run()
        .success();
}

#[test]
fn a_pack_that_does_not_layer_is_reported_as_json_when_asked() {
    let scratch = pack_with("disable = [\"nope-rule\"]\n", "");
    for args in [
        &["rules", "check", "pack", "--error-format", "json"][..],
        &[
            "--rules-pack",
            "pack",
            "rules",
            "check",
            "--error-format",
            "json",
        ][..],
    ] {
        let run = Tradeoff::new(args).dir(scratch.path()).run().code(65);
        let first: serde_json::Value =
            serde_json::from_str(run.stdout.lines().next().unwrap_or("")).unwrap();
        assert_eq!(
            first["message"], "cannot disable unknown rule `nope-rule`",
            "{args:?}"
        );
        assert!(!run.stderr.contains("-->"), "{args:?}: {}", run.stderr);
    }
}
