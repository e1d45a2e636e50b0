//! `tradeoff diff` and `tradeoff merge` on the scenario files under
//! `tests/diff/` and `tests/merge/`: exact reports, exact merged files,
//! exit codes, and the decision record that lists who decided.

use crate::support::{Scratch, Tradeoff, repo};

fn in_dir(sub: &str, args: &[&str]) -> Tradeoff {
    Tradeoff::new(args).dir(&repo().join(sub))
}

const MORE_TRAFFIC: &str = "\
Comparing answers base.toml → more-traffic.toml

Answers that differ:
  peak_rps                 50 → 5000
  source_latency           cheap → expensive

2 of 3 recommendations change:

Caching strategy (caching): No cache → Cache-aside
  scores            cache-aside +3 → +5, read-through 0 → +2, none +5 → 0
  confidence        medium (lead 2) → medium (lead 3)
  now firing        expensive-reads-pay-for-a-cache (-2 none, +2 cache-aside, +2 read-through)
  no longer firing  cheap-reads-at-low-load (+3 none)
  because           peak_rps 50 → 5000 (read by cheap-reads-at-low-load)
                    source_latency cheap → expensive (read by cheap-reads-at-low-load, expensive-reads-pay-for-a-cache)

Scaling the compute tier (compute-scaling): Fixed pool of stateless instances → Autoscaling group
  scores            autoscaling +2 → +6, horizontal +5 → +4, serverless +1 → -2, vertical +1 → -3
  confidence        medium (lead 3) → medium (lead 2)
  now firing        daily-cycles-suit-autoscaling (+2 autoscaling)
                    high-peak-outgrows-one-server (-2 vertical, +1 horizontal, +1 autoscaling)
                    sustained-volume-makes-functions-dear (-3 serverless)
  no longer firing  modest-load-fits-one-app-server (+2 vertical)
                    small-cycles-fit-a-redundant-pair (+2 horizontal, -1 autoscaling)
  because           peak_rps 50 → 5000 (read by daily-cycles-suit-autoscaling, high-peak-outgrows-one-server, modest-load-fits-one-app-server, small-cycles-fit-a-redundant-pair, sustained-volume-makes-functions-dear)

Unchanged (1): data-store
";

#[test]
fn diff_of_two_answer_sets_names_the_changes_and_their_causes() {
    let run = in_dir("tests/diff", &["diff", "base.toml", "more-traffic.toml"])
        .run()
        .code(1);
    assert_eq!(run.stdout, MORE_TRAFFIC);
    assert_eq!(run.stderr, "", "exit 1 for a change prints no error");
}

#[test]
fn diff_without_a_changed_recommendation_exits_zero() {
    let run = in_dir("tests/diff", &["diff", "base.toml", "bigger-team.toml"])
        .run()
        .success();
    assert_eq!(
        run.stdout,
        "Comparing answers base.toml → bigger-team.toml\n\n\
         Answers that differ:\n  team_size                5 → 6\n\n\
         No recommendation changes (3 topics compared).\n\n\
         Unchanged (3): caching, compute-scaling, data-store\n"
    );
}

#[test]
fn diff_as_json_and_markdown() {
    let run = in_dir(
        "tests/diff",
        &[
            "diff",
            "base.toml",
            "more-traffic.toml",
            "--topic",
            "caching",
            "-f",
            "json",
        ],
    )
    .run()
    .code(1);
    insta::assert_snapshot!(run.stdout);
    let run = in_dir(
        "tests/diff",
        &["diff", "base.toml", "more-traffic.toml", "-f", "markdown"],
    )
    .run()
    .code(1);
    assert!(run.stdout.starts_with(
        "# Comparing answers base.toml → more-traffic.toml\n\n## Answers that differ\n\n\
         | Question | Before | After |\n|---|---|---|\n| `peak_rps` | 50 | 5000 |\n"
    ));
    assert!(run.stdout.contains(
        "**2 of 3 recommendations change**\n\n## Caching strategy (`caching`): No cache → Cache-aside\n\n\
         - scores: `cache-aside` +3 → +5, `read-through` 0 → +2, `none` +5 → 0\n"
    ));
    assert!(run.stdout.ends_with("Unchanged (1): data-store\n"));
}

/// Exports the built-in rule base into `dir` and edits one rule's points
/// and adds one rule to the caching topic.
fn edited_rule_base(scratch: &Scratch, dir: &str) -> String {
    Tradeoff::new(&["rules", "export", dir])
        .dir(scratch.path())
        .run()
        .success();
    let path = format!("{dir}/topics/caching.toml");
    let mut text = scratch.read(&path);
    let at = text.find("id = \"cheap-reads-at-low-load\"").unwrap();
    let score = at + text[at..].find("score = { none = 3 }").unwrap();
    text.replace_range(
        score..score + "score = { none = 3 }".len(),
        "score = { none = 1 }",
    );
    text.push_str(
        "\n[[rule]]\nid = \"any-traffic-wants-a-cache\"\nsummary = \"A test rule\"\n\
         when = { q = \"peak_rps\", gt = 10 }\nscore = { cache-aside = 1 }\n\
         rationale = \"For the test.\"\nsources = [\"S1\"]\n",
    );
    scratch.write(&path, &text);
    path
}

#[test]
fn diff_of_two_rule_bases_names_the_rules_that_moved_the_scores() {
    let scratch = Scratch::new();
    scratch.write(
        "answers.toml",
        &std::fs::read_to_string(repo().join("tests/diff/base.toml")).unwrap(),
    );
    Tradeoff::new(&["rules", "export", "old"])
        .dir(scratch.path())
        .run()
        .success();
    edited_rule_base(&scratch, "new");
    let expected = "\
Comparing rule bases old → new

Rules that differ:
  added    any-traffic-wants-a-cache (caching)
  changed  cheap-reads-at-low-load (caching): points +3 none → +1 none

1 of 3 recommendations changes:

Caching strategy (caching): No cache → Cache-aside
  scores            cache-aside +3 → +4, none +5 → +3
  confidence        medium (lead 2) → low (lead 1)
  now firing        any-traffic-wants-a-cache (+1 cache-aside)
  rule changes      added any-traffic-wants-a-cache (caching)
                    changed cheap-reads-at-low-load (caching): points +3 none → +1 none

Unchanged (2): compute-scaling, data-store
";
    let run = Tradeoff::new(&[
        "diff",
        "--rules",
        "old",
        "--rules",
        "new",
        "--answers",
        "answers.toml",
    ])
    .dir(scratch.path())
    .run()
    .code(1);
    assert_eq!(run.stdout, expected);
    // One `--rules`: the built-in rule base against it.
    let run = Tradeoff::new(&["diff", "--rules", "new", "-a", "answers.toml"])
        .dir(scratch.path())
        .run()
        .code(1);
    assert_eq!(
        run.stdout,
        expected.replace(
            "Comparing rule bases old → new",
            "Comparing rule bases built-in → new"
        )
    );
    // The same rule base twice: nothing differs.
    Tradeoff::new(&[
        "diff",
        "--rules",
        "old",
        "--rules",
        "old",
        "-a",
        "answers.toml",
    ])
    .dir(scratch.path())
    .run()
    .success()
    .stdout_has("No recommendation changes (3 topics compared).");
}

#[test]
fn diff_rejects_bad_command_lines_and_bad_files() {
    in_dir("tests/diff", &["diff", "base.toml"])
        .run()
        .code(2)
        .stderr_has("expected two answers files, or `--answers FILE`");
    in_dir(
        "tests/diff",
        &[
            "diff",
            "--rules",
            "a",
            "--rules",
            "b",
            "base.toml",
            "bigger-team.toml",
        ],
    )
    .run()
    .code(2)
    .stderr_has("`--rules` is given twice with two answers files");
    in_dir("tests/diff", &["diff", "--answers", "base.toml"])
        .run()
        .code(2)
        .stderr_has("comparing rule bases needs `--rules NEW`");
    in_dir("tests/diff", &["diff", "base.toml", "missing.toml"])
        .run()
        .code(66)
        .stderr_has("cannot read `missing.toml`: no such file");
    in_dir(
        "tests/diff",
        &["diff", "base.toml", "more-traffic.toml", "-t", "cachng"],
    )
    .run()
    .code(2)
    .stderr_has("did you mean `caching`?");
    let scratch = Scratch::new();
    scratch.write("a.toml", "[answers]\npeak_rps = \"lots\"\n");
    scratch.write("b.toml", "[answers]\n");
    Tradeoff::new(&["diff", "a.toml", "b.toml"])
        .dir(scratch.path())
        .run()
        .code(65)
        .stderr_has("--> a.toml:2:12");
}

const MERGE_REPORT: &str = "\
Merging 3 answers files: lead (lead.toml), bea (backend.toml), ops (ops.toml)
20 questions agreed, 3 disagree:

team_size (open question)
  lead    5
  bea     6
  ops     5
  merged  5 (majority, 2 of 3)
  with 6 (bea): would change no recommendation

ops_maturity (open question)
  lead    medium
  bea     (no answer)
  ops     high
  merged  medium (tie at 1 of 2, the earliest file's answer)
  with high (ops): would change no recommendation

peak_rps (open question)
  lead    50
  bea     50
  ops     5000
  merged  50 (majority, 2 of 3)
  with 5000 (ops): would change caching: No cache → Cache-aside; compute-scaling: Fixed pool of stateless instances → Autoscaling group

1 of 3 disagreements would change a recommendation.

Decision-makers: lead. Consulted: bea, ops. Informed: finance.
";

const MERGED_FILE: &str = r#"# Answers merged by `tradeoff merge` from lead.toml (lead), backend.toml (bea), ops.toml (ops).
# Where answers differ, the majority's is taken, a tie going to the earliest file;
# each such question is listed in `open` and explained above its answer.
# Decide with: tradeoff decide --answers THIS_FILE

title = "Invoicing SaaS for small businesses (seed stage)"
topics = ["caching", "compute-scaling", "data-store"]
decision-makers = ["lead"]
consulted = ["bea", "ops"]
informed = ["finance"]
open = ["team_size", "ops_maturity", "peak_rps"]

[answers]
# OPEN: lead 5, bea 6, ops 5; took 5 (majority, 2 of 3).
#   with 6 (bea): would change no recommendation
team_size = 5
# OPEN: lead "medium", ops "high"; took "medium" (tie at 1 of 2, the earliest file's answer).
#   with "high" (ops): would change no recommendation
ops_maturity = "medium"
team_experience = ["redis", "relational"]
cloud = "aws"
lock_in_ok = true
budget = "tight"
growth = "steady"
traffic_shape = "daily_cycle"
data_relationships = "relational"
query_patterns = ["ad_hoc", "aggregates", "key_lookup"]
access_patterns_known = false
transactions = "multi_entity"
schema_stability = "evolving"
write_pattern = "mixed"
data_size_gb = 50
consistency = "strong"
staleness_tolerance = "seconds"
# OPEN: lead 50, bea 50, ops 5000; took 50 (majority, 2 of 3).
#   with 5000 (ops): would change caching: No cache → Cache-aside; compute-scaling: Fixed pool of stateless instances → Autoscaling group
peak_rps = 50
read_write_ratio = "read_mostly"
latency_p99_ms = 500
source_latency = "cheap"
availability_slo = 99.9
stateless_app = true
"#;

/// Copies the three people's files into a scratch directory.
fn team() -> Scratch {
    let scratch = Scratch::new();
    for name in ["lead.toml", "backend.toml", "ops.toml"] {
        let text = std::fs::read_to_string(repo().join("tests/merge").join(name)).unwrap();
        scratch.write(name, &text);
    }
    scratch
}

const PEOPLE: [&str; 4] = ["merge", "lead.toml", "backend.toml", "ops.toml"];

#[test]
fn merge_reports_disagreements_and_writes_the_merged_file() {
    let scratch = team();
    let mut args = PEOPLE.to_vec();
    args.extend(["-o", "merged.toml"]);
    let run = Tradeoff::new(&args).dir(scratch.path()).run().success();
    assert_eq!(run.stdout, MERGE_REPORT);
    assert_eq!(run.stderr, "wrote merged.toml (3 open questions)\n");
    assert_eq!(scratch.read("merged.toml"), MERGED_FILE);
    // `decide` reads the merged file, `open` and the people included.
    Tradeoff::new(&["decide", "-a", "merged.toml", "-t", "caching"])
        .dir(scratch.path())
        .run()
        .success()
        .stdout_has("→ No cache");
    // Never overwritten without --force; replaced with it.
    Tradeoff::new(&args)
        .dir(scratch.path())
        .run()
        .code(73)
        .stderr_has("cannot write `merged.toml`: it already exists; pass `--force` to replace it");
    args.extend(["--force", "--decision-makers", "ops,bea"]);
    Tradeoff::new(&args).dir(scratch.path()).run().success();
    assert!(
        scratch
            .read("merged.toml")
            .contains("decision-makers = [\"ops\", \"bea\"]\nconsulted = [\"lead\"]\n")
    );
}

#[test]
fn merge_without_output_only_reports_and_json_lists_everything() {
    let scratch = team();
    let run = Tradeoff::new(&PEOPLE).dir(scratch.path()).run().success();
    assert_eq!(run.stdout, MERGE_REPORT);
    assert_eq!(
        run.stderr,
        "the merged answers were not written: pass `-o FILE` to write them\n"
    );
    assert_eq!(scratch.names(""), ["backend.toml", "lead.toml", "ops.toml"]);
    let mut args = PEOPLE.to_vec();
    args.extend(["-f", "json", "--topic", "caching"]);
    let run = Tradeoff::new(&args).dir(scratch.path()).run().success();
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        json["open"],
        serde_json::json!(["team_size", "ops_maturity", "peak_rps"])
    );
    let peak = &json["disagreements"][2];
    assert_eq!(peak["question"], "peak_rps");
    assert_eq!(peak["merged"], 50);
    assert_eq!(
        peak["alternatives"],
        serde_json::json!([{
            "answer": 5000,
            "people": ["ops"],
            "changes": [{ "topic": "caching", "from": { "winner": "none" }, "to": { "winner": "cache-aside" } }],
            "error": null
        }])
    );
    assert_eq!(
        json["roles"]["decision-makers"],
        serde_json::json!(["lead"])
    );
}

#[test]
fn merge_rejects_unreadable_and_invalid_files() {
    let scratch = team();
    Tradeoff::new(&["merge", "lead.toml", "nobody.toml"])
        .dir(scratch.path())
        .run()
        .code(66)
        .stderr_has("cannot read `nobody.toml`: no such file");
    // A value of the wrong kind for its question, and an unknown question:
    // both reported, each with its position.
    scratch.write(
        "wrong.toml",
        "[answers]\nteam_size = \"five\"\npeak_rsp = 10\n",
    );
    let run = Tradeoff::new(&["merge", "lead.toml", "wrong.toml"])
        .dir(scratch.path())
        .run()
        .code(65)
        .stderr_has("error: `team_size` expects a whole number from 1 to")
        .stderr_has("--> wrong.toml:2:13")
        .stderr_has("error: unknown question `peak_rsp`")
        .stderr_has("did you mean `peak_rps`?");
    assert!(run.stderr.contains("found 2 problems"), "{}", run.stderr);
    scratch.write("open.toml", "open = [\"team_sise\"]\n[answers]\n");
    Tradeoff::new(&["merge", "lead.toml", "open.toml"])
        .dir(scratch.path())
        .run()
        .code(65)
        .stderr_has("--> open.toml:1:9")
        .stderr_has("did you mean `team_size`?");
    scratch.write("again.toml", "author = \"lead\"\n[answers]\n");
    Tradeoff::new(&["merge", "lead.toml", "again.toml"])
        .dir(scratch.path())
        .run()
        .code(2)
        .stderr_has("`lead.toml` and `again.toml` both name the person `lead`");
    Tradeoff::new(&["merge", "lead.toml"])
        .dir(scratch.path())
        .run()
        .code(2);
}

#[test]
fn decision_records_list_decision_makers_and_consulted() {
    let scratch = team();
    let mut args = PEOPLE.to_vec();
    args.extend(["-o", "merged.toml"]);
    Tradeoff::new(&args).dir(scratch.path()).run().success();
    Tradeoff::new(&[
        "decide",
        "-a",
        "merged.toml",
        "-t",
        "caching",
        "--adr",
        "adr",
    ])
    .dir(scratch.path())
    .run()
    .success();
    let name = &scratch.names("adr")[0];
    assert!(name.starts_with("0001-caching-strategy-no-cache"), "{name}");
    let record = scratch.read(&format!("adr/{name}"));
    let head: String = record.lines().take(8).collect::<Vec<_>>().join("\n");
    insta::assert_snapshot!(head);
    assert!(record.contains(
        "Open questions, on which the people consulted disagreed: Operational maturity, Peak traffic at the edge."
    ));
    // Nygard's layout, in an adr-tools repository: one line in the context.
    Tradeoff::new(&["adr", "init", "doc/adr", "--format", "nygard"])
        .dir(scratch.path())
        .run()
        .success();
    Tradeoff::new(&[
        "decide",
        "-a",
        "merged.toml",
        "-t",
        "caching",
        "--adr",
        "doc/adr",
    ])
    .dir(scratch.path())
    .run()
    .success();
    let name = &scratch.names("doc/adr")[1];
    assert!(name.starts_with("0002-caching-strategy-no-cache"), "{name}");
    let nygard = scratch.read(&format!("doc/adr/{name}"));
    assert!(
        nygard.contains(
            "\nDecision-makers: lead. Consulted: bea, ops. Informed: finance.\n\n## Decision\n"
        ),
        "{nygard}"
    );
}

#[test]
fn merge_escapes_names_so_the_merged_file_holds_only_the_answers() {
    let scratch = team();
    let backend = scratch.read("backend.toml").replace(
        "author = \"bea\"",
        "author = \"bea\\nteam_size = 999\\n[injected]\\nx = 1\\r\\u001b]8;;x\\u0007\"",
    );
    scratch.write("backend.toml", &backend);
    let mut args = PEOPLE.to_vec();
    args.extend(["-o", "merged.toml"]);
    Tradeoff::new(&args).dir(scratch.path()).run().success();
    let injected = scratch.read("merged.toml");
    let parsed: toml::Table = toml::from_str(&injected).unwrap();
    assert!(!parsed.contains_key("injected"), "{injected}");
    // The same answers as a merge of the clean files, and nothing more.
    let clean = team();
    Tradeoff::new(&args).dir(clean.path()).run().success();
    let expected: toml::Table = toml::from_str(&clean.read("merged.toml")).unwrap();
    assert_eq!(parsed["answers"], expected["answers"], "{injected}");
    let keys = |t: &toml::Table| t.keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&parsed), keys(&expected));
    assert!(
        injected.contains("bea\\nteam_size = 999\\n[injected]"),
        "{injected}"
    );
    assert!(!injected.contains('\u{1b}'), "{injected}");
}
