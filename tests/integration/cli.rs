//! The binary as users run it: the README commands, every kind of bad
//! input with its exit code, ADR writing, stdin and broken pipes.

use crate::support::{Scratch, Tradeoff, repo};

const SAAS: &str = "examples/saas-startup.toml";

#[test]
fn decide_prints_a_ranked_table_per_topic() {
    let run = Tradeoff::new(&["decide", "--answers", SAAS])
        .run()
        .success();
    for heading in [
        "Primary data store (data-store)",
        "Caching strategy (caching)",
        "API style (api-style)",
    ] {
        assert!(
            run.stdout.contains(heading),
            "missing {heading}:\n{}",
            run.stdout
        );
    }
    assert!(
        run.stdout
            .contains("→ Relational database (PostgreSQL, MySQL): confidence high")
    );
    assert!(
        run.stdout
            .contains("relational-data-wants-joins · data_relationships = relational")
    );
    assert!(
        !run.stdout.contains('\u{1b}'),
        "colour escape codes with NO_COLOR"
    );
}

#[test]
fn tables_fit_the_terminal_and_lose_no_factor() {
    let wide = Tradeoff::new(&["decide", "--answers", "examples/payments-ledger.toml"])
        .env("COLUMNS", "400")
        .run()
        .success()
        .stdout;
    // What the table cells hold, whatever the wrapping: every non-space
    // character inside the frames, in order, but the score bars (shorter on a
    // narrow terminal) and the commas between factors (one to a line there).
    let cells = |report: &str| -> String {
        report
            .lines()
            .filter(|line| line.starts_with('│'))
            .flat_map(|line| line.split(['│', '┆']))
            .flat_map(|cell| {
                cell.chars().filter(|c| {
                    !c.is_whitespace() && *c != ',' && !('\u{2580}'..='\u{259f}').contains(c)
                })
            })
            .collect()
    };
    for width in [40usize, 52, 64, 80, 100, 132] {
        let report = Tradeoff::new(&["decide", "--answers", "examples/payments-ledger.toml"])
            .env("COLUMNS", &width.to_string())
            .run()
            .success()
            .stdout;
        for line in report
            .lines()
            .filter(|l| l.starts_with(['╭', '│', '╞', '╰']))
        {
            assert!(line.chars().count() <= width, "{width}: {line}");
        }
        // Wrapping moves text between lines of a row, never drops it: the
        // rows of a wrapped table hold the same characters, row by row, as
        // the table drawn wide.
        assert_eq!(
            sorted_chars(&cells(&report)),
            sorted_chars(&cells(&wide)),
            "{width}"
        );
    }
}

fn sorted_chars(text: &str) -> Vec<char> {
    let mut chars: Vec<char> = text.chars().collect();
    chars.sort_unstable();
    chars
}

#[test]
fn examples_each_produce_their_winners() {
    let cases = [
        ("examples/saas-startup.toml", ["relational", "none", "rest"]),
        (
            "examples/catalogue.toml",
            ["document", "cache-aside", "graphql"],
        ),
        (
            "examples/payments-ledger.toml",
            ["relational", "none", "grpc"],
        ),
    ];
    for (file, winners) in cases {
        let run = Tradeoff::new(&["decide", "--answers", file, "--format", "json"])
            .run()
            .success();
        let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        let got: Vec<&str> = ["data-store", "caching", "api-style"]
            .iter()
            .map(|id| {
                let topic = json["topics"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|t| t["id"] == *id)
                    .unwrap();
                topic["winner"].as_str().unwrap_or("none")
            })
            .collect();
        assert_eq!(got, winners, "{file}");
    }
}

#[test]
fn topic_selection_and_set_overrides() {
    let run = Tradeoff::new(&[
        "decide",
        "-a",
        SAAS,
        "--topic",
        "caching",
        "--set",
        "peak_rps=5000",
        "--set",
        "source_latency=expensive",
    ])
    .run()
    .success();
    assert!(!run.stdout.contains("Primary data store"));
    assert!(run.stdout.contains("→ Cache-aside"), "{}", run.stdout);
}

#[test]
fn answers_can_come_from_stdin_or_flags_alone() {
    let text = std::fs::read_to_string(repo().join(SAAS)).unwrap();
    Tradeoff::new(&["decide", "--answers", "-", "--topic", "api-style"])
        .stdin(&text)
        .run()
        .success()
        .stdout_has("→ REST over HTTP");
    Tradeoff::new(&[
        "decide",
        "--topic",
        "api-style",
        "--set",
        "clients=internal_services",
        "--set",
        "caller_waits=deferred",
        "--set",
        "team_size=4",
        "--set",
        "ops_maturity=medium",
        "--set",
        "team_experience=",
        "--set",
        "peak_rps=unknown",
        "--set",
        "latency_p99_ms=2000",
    ])
    .run()
    .success()
    .stdout_has("→ Asynchronous messaging");
}

#[test]
fn malformed_toml_is_a_data_error_with_position() {
    let scratch = Scratch::new();
    let path = scratch.write("bad.toml", "[answers]\nteam_size = = 5\n");
    Tradeoff::new(&["decide", "--answers", path.to_str().unwrap()])
        .run()
        .code(65)
        .stderr_has("bad.toml:2:13")
        .stderr_has("^");
}

#[test]
fn every_bad_answer_is_reported_at_once() {
    let scratch = Scratch::new();
    let path = scratch.write(
        "answers.toml",
        "[answers]\ntem_size = 5\nconsistency = \"strng\"\npeak_rps = \"lots\"\nlatency_p99_ms = 0\nclients = \"browser\"\n",
    );
    let run = Tradeoff::new(&["decide", "--answers", path.to_str().unwrap()])
        .run()
        .code(65);
    for needle in [
        "unknown question `tem_size`",
        "did you mean `team_size`?",
        "`consistency` has no choice `strng`",
        "did you mean `strong`?",
        "`peak_rps` expects a number from 0 to 100000000, found the string `lots`",
        "`0` is out of range for `latency_p99_ms`",
        "`clients` expects a list of",
        "answers.toml:2:1",
        "found 5 problems",
    ] {
        assert!(
            run.stderr.contains(needle),
            "missing {needle:?} in:\n{}",
            run.stderr
        );
    }
    assert!(run.stdout.is_empty());
}

#[test]
fn missing_required_answers_are_all_named() {
    let scratch = Scratch::new();
    let path = scratch.write("partial.toml", "[answers]\nteam_size = 4\n");
    let run = Tradeoff::new(&[
        "decide",
        "--answers",
        path.to_str().unwrap(),
        "--topic",
        "api-style",
    ])
    .run()
    .code(65);
    for id in [
        "ops_maturity",
        "team_experience",
        "clients",
        "caller_waits",
        "peak_rps",
        "latency_p99_ms",
    ] {
        assert!(
            run.stderr.contains(&format!("missing answer to `{id}`")),
            "{id} not reported:\n{}",
            run.stderr
        );
    }
    assert!(run.stderr.contains("--set peak_rps=VALUE"));
    assert!(run.stderr.contains("answer `unknown`"));
}

#[test]
fn answers_outside_the_answers_table_get_a_hint() {
    let scratch = Scratch::new();
    let path = scratch.write("flat.toml", "team_size = 4\n");
    Tradeoff::new(&["decide", "--answers", path.to_str().unwrap()])
        .run()
        .code(65)
        .stderr_has("move `team_size` below `[answers]`");
}

#[test]
fn answers_to_questions_that_do_not_apply_are_ignored_with_a_warning() {
    Tradeoff::new(&[
        "decide",
        "-a",
        SAAS,
        "--topic",
        "caching",
        "--set",
        "write_loss_tolerable=yes",
    ])
    .run()
    .success()
    .stderr_has("ignored the answer to `write_loss_tolerable`")
    .stderr_has("asked only when write_latency_critical = yes");
}

#[test]
fn bad_set_flags_point_at_the_flag() {
    Tradeoff::new(&["decide", "-a", SAAS, "--set", "peak_rps=fast"])
        .run()
        .code(65)
        .stderr_has("`fast` is not a number")
        .stderr_has("--> --set:1:10");
    Tradeoff::new(&["decide", "-a", SAAS, "--set", "peak_rps"])
        .run()
        .code(65)
        .stderr_has("is not ID=VALUE");
}

#[test]
fn unknown_topic_is_a_usage_error_with_a_suggestion() {
    Tradeoff::new(&["decide", "-a", SAAS, "--topic", "cachng"])
        .run()
        .code(2)
        .stderr_has("unknown topic `cachng`")
        .stderr_has("did you mean `caching`?");
}

#[test]
fn unreadable_inputs_exit_66() {
    Tradeoff::new(&["decide", "--answers", "does-not-exist.toml"])
        .run()
        .code(66)
        .stderr_has("cannot read `does-not-exist.toml`: no such file");
    Tradeoff::new(&["decide", "--answers", "examples"])
        .run()
        .code(66)
        .stderr_has("cannot read `examples`");
    Tradeoff::new(&["--rules", "no-such-dir", "topics"])
        .run()
        .code(66)
        .stderr_has("no-such-dir");
    let scratch = Scratch::new();
    let path = scratch.path().join("latin1.toml");
    std::fs::write(&path, b"[answers]\nteam_size = 4 # \xe9\n").unwrap();
    Tradeoff::new(&["decide", "--answers", path.to_str().unwrap()])
        .run()
        .code(65)
        .stderr_has("is not UTF-8");
}

#[test]
fn no_backtrace_or_panic_on_any_error() {
    let run = Tradeoff::new(&["decide", "--answers", "examples"])
        .env("RUST_BACKTRACE", "1")
        .run();
    assert!(
        !run.stderr.contains("panicked") && !run.stderr.contains("stack backtrace"),
        "{}",
        run.stderr
    );
}

#[test]
fn json_output_is_the_whole_result() {
    let run = Tradeoff::new(&["decide", "-a", SAAS, "--format", "json"])
        .run()
        .success();
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["schema"], 1);
    assert!(
        json["rule_base"]["fingerprint"]
            .as_str()
            .unwrap()
            .starts_with("sha256:")
    );
    assert_eq!(json["answers"]["team_size"]["value"], 5);
    assert_eq!(json["answers"]["team_size"]["origin"], "file");
    assert_eq!(json["answers"]["always_writable"]["origin"], "default");
    let store = json["topics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "data-store")
        .unwrap();
    let rules = store["rules"].as_array().unwrap();
    let joins = rules
        .iter()
        .find(|r| r["id"] == "relational-data-wants-joins")
        .unwrap();
    assert_eq!(joins["status"], "fired");
    assert_eq!(joins["sources"][0]["id"], "S1");
    assert!(
        joins["at"]
            .as_str()
            .unwrap()
            .starts_with("rules/topics/data-store.toml:")
    );
    assert_eq!(joins["condition"]["kind"], "test");
    // every point of every score is traced to a rule
    for ranked in store["ranking"].as_array().unwrap() {
        let sum: i64 = ranked["contributions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["points"].as_i64().unwrap())
            .sum();
        assert_eq!(sum, ranked["score"].as_i64().unwrap(), "{ranked}");
    }
}

#[test]
fn adr_records_are_written_once_and_complete() {
    let scratch = Scratch::new();
    let adr_dir = scratch.path().join("docs/decisions");
    let adr = adr_dir.to_str().unwrap();
    let three = [
        "--topic",
        "data-store",
        "--topic",
        "caching",
        "--topic",
        "api-style",
    ];
    let decide = [
        &[
            "decide",
            "-a",
            SAAS,
            "--adr",
            adr,
            "--adr-title",
            "{decision}",
        ][..],
        &three[..],
    ]
    .concat();
    let run = Tradeoff::new(&decide).run().success();
    assert_eq!(run.stderr.matches("created ").count(), 3, "{}", run.stderr);
    let names = scratch.names("docs/decisions");
    assert_eq!(
        names,
        [
            "0001-primary-data-store-relational-database-postgresql-mysql.md",
            "0002-caching-strategy-no-cache.md",
            "0003-api-style-rest-over-http.md",
        ]
    );
    let record = scratch
        .read("docs/decisions/0001-primary-data-store-relational-database-postgresql-mysql.md");
    assert!(record.starts_with("---\nstatus: proposed\ndate: 2026-11-21\n---\n\n# Primary data store: Relational database (PostgreSQL, MySQL)\n"));
    for section in [
        "## Context and Problem Statement",
        "## Decision Drivers",
        "## Considered Options",
        "## Decision Outcome",
        "Chosen option: \"Relational database (PostgreSQL, MySQL)\", because",
        "### Consequences",
        "## Pros and Cons of the Options",
        "## More Information",
        "<!-- tradeoff",
        "[answers]",
        "team_size = 5",
    ] {
        assert!(
            record.contains(section),
            "record lacks {section:?}:\n{record}"
        );
    }
    // the same decision again changes nothing
    let again = Tradeoff::new(&decide).run().success();
    assert_eq!(
        again.stderr.matches("unchanged ").count(),
        3,
        "{}",
        again.stderr
    );
    assert_eq!(scratch.names("docs/decisions").len(), 3);
    // a different decision takes the next number
    Tradeoff::new(&[
        "decide",
        "-a",
        SAAS,
        "--topic",
        "caching",
        "--set",
        "peak_rps=9000",
        "--set",
        "source_latency=expensive",
        "--adr",
        adr,
        "--adr-title",
        "{decision}",
    ])
    .run()
    .success()
    .stderr_has("0004-caching-strategy-cache-aside.md");
    let leftovers: Vec<String> = scratch
        .names("docs/decisions")
        .into_iter()
        .filter(|n| !n.ends_with(".md"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[test]
fn adr_directory_that_cannot_be_created_exits_73() {
    let scratch = Scratch::new();
    let blocker = scratch.write("file-not-dir", "x");
    let target = blocker.join("adr");
    Tradeoff::new(&["decide", "-a", SAAS, "--adr", target.to_str().unwrap()])
        .run()
        .code(73)
        .stderr_has("cannot write");
}

#[test]
fn broken_pipe_is_not_an_error() {
    use std::io::Read as _;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_tradeoff"))
        .args(["decide", "-a", SAAS, "--format", "json"])
        .current_dir(repo())
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 16];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout); // like `| head -c 16`
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn explain_shows_the_whole_trace() {
    let run = Tradeoff::new(&["explain", "-a", SAAS, "--topic", "caching"])
        .run()
        .success();
    for needle in [
        "Ranking",
        "Fired (",
        "Nearly fired (",
        "Not fired (",
        "✓ cheap-reads-at-low-load  rules/topics/caching.toml:",
        "✓ source_latency = cheap  (answer: cheap)",
        "rationale:",
        "source: [S6] Azure Architecture Center: Caching guidance, https://",
        "What would change the winner",
    ] {
        assert!(
            run.stdout.contains(needle),
            "explain lacks {needle:?}:\n{}",
            run.stdout
        );
    }
    Tradeoff::new(&["explain", "-a", SAAS])
        .run()
        .code(2)
        .stderr_has("--topic");
}

#[test]
fn questions_template_is_a_valid_answers_file_once_filled() {
    let run = Tradeoff::new(&["questions", "--topic", "caching", "--format", "toml"])
        .run()
        .success();
    let parsed: toml::Table = toml::from_str(&run.stdout).unwrap();
    assert_eq!(parsed["topics"].as_array().unwrap().len(), 1);
    assert!(run.stdout.contains("# peak_rps = "));
    assert!(run.stdout.contains("hot_keys = false"));
    // the template with its blanks filled is accepted as is
    let filled = run
        .stdout
        .replace("# ops_maturity = ", "ops_maturity = \"medium\"")
        .replace("# consistency = ", "consistency = \"eventual\"")
        .replace(
            "# staleness_tolerance = ",
            "staleness_tolerance = \"minutes\"",
        )
        .replace("# peak_rps = ", "peak_rps = 100")
        .replace("# read_write_ratio = ", "read_write_ratio = \"read_heavy\"")
        .replace("# latency_p99_ms = ", "latency_p99_ms = 200")
        .replace("# source_latency = ", "source_latency = \"moderate\"");
    Tradeoff::new(&["decide", "--answers", "-"])
        .stdin(&filled)
        .run()
        .success()
        .stdout_has("Caching strategy");
}

#[test]
fn questions_and_topics_list_the_rule_base() {
    Tradeoff::new(&["questions"])
        .run()
        .success()
        .stdout_has("team_size  (whole number of engineers, 1 to 100000)");
    let run = Tradeoff::new(&["questions", "--format", "json"])
        .run()
        .success();
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert!(
        json.as_array()
            .unwrap()
            .iter()
            .any(|q| q["id"] == "consistency" && q["kind"] == "single")
    );
    Tradeoff::new(&["topics"])
        .run()
        .success()
        .stdout_has("data-store")
        .stdout_has("options: rest, grpc, graphql");
}

#[test]
fn colour_follows_the_flag() {
    let run = Tradeoff::new(&["decide", "-a", SAAS, "--color", "always"])
        .run()
        .success();
    assert!(
        run.stdout.contains('\u{1b}'),
        "no escape codes with --color always"
    );
    let run = Tradeoff::new(&["decide", "-a", SAAS, "--color", "never"])
        .env_remove("NO_COLOR")
        .run()
        .success();
    assert!(!run.stdout.contains('\u{1b}'));
}

#[test]
fn a_user_rule_base_is_exported_checked_and_used() {
    let scratch = Scratch::new();
    let dir = scratch.path().join("rules");
    let dir_s = dir.to_str().unwrap();
    Tradeoff::new(&["rules", "export", dir_s])
        .run()
        .success()
        .stderr_has("exported");
    // never overwrite
    Tradeoff::new(&["rules", "export", dir_s])
        .run()
        .code(73)
        .stderr_has("never overwritten");
    let builtin = Tradeoff::new(&["rules", "check"]).run().success();
    let exported = Tradeoff::new(&["--rules", dir_s, "rules", "check"])
        .run()
        .success();
    let fingerprint = |s: &str| s.split("fingerprint ").nth(1).map(str::to_owned);
    assert_eq!(fingerprint(&builtin.stdout), fingerprint(&exported.stdout));
    // edit a rule: the user's rule base now decides differently
    let caching = dir.join("topics/caching.toml");
    let text = std::fs::read_to_string(&caching)
        .unwrap()
        .replace("score = { none = 2 }", "score = { none = -5 }");
    std::fs::write(&caching, text).unwrap();
    Tradeoff::new(&["--rules", dir_s, "decide", "-a", SAAS, "--topic", "caching"])
        .run()
        .success()
        .stdout_has("→ Cache-aside");
    // break it: every problem is reported with its position
    let text = std::fs::read_to_string(&caching)
        .unwrap()
        .replace("q = \"hot_keys\"", "q = \"hot_key\"")
        .replace("sources = [\"S1\", \"S24\"]", "sources = []");
    std::fs::write(&caching, text).unwrap();
    let run = Tradeoff::new(&["--rules", dir_s, "decide", "-a", SAAS])
        .run()
        .code(65);
    assert!(
        run.stderr.contains("unknown question `hot_key`")
            && run.stderr.contains("did you mean `hot_keys`?"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("has no `sources`"), "{}", run.stderr);
    assert!(
        run.stderr.contains("topics/caching.toml:"),
        "{}",
        run.stderr
    );
}

#[test]
fn rules_are_documented_from_the_command_line() {
    Tradeoff::new(&["rules", "list", "--topic", "caching"])
        .run()
        .success()
        .stdout_has("measure-before-caching")
        .stdout_has("+2 none");
    let run = Tradeoff::new(&["rules", "show", "cheap-reads-at-low-load"])
        .run()
        .success();
    for needle in [
        "topic:     Caching strategy (caching)",
        "when:      all(source_latency = cheap, peak_rps < 1000)",
        "Rationale",
        "[S6]",
        "Questions it reads",
        "peak_rps",
    ] {
        assert!(
            run.stdout.contains(needle),
            "rules show lacks {needle:?}:\n{}",
            run.stdout
        );
    }
    Tradeoff::new(&["rules", "show", "cheap-reads"])
        .run()
        .code(2)
        .stderr_has("did you mean `cheap-reads-at-low-load`?");
    let json: serde_json::Value = serde_json::from_str(
        &Tradeoff::new(&["rules", "list", "--format", "json"])
            .run()
            .success()
            .stdout,
    )
    .unwrap();
    assert!(
        json.as_array()
            .unwrap()
            .iter()
            .all(|r| !r["sources"].as_array().unwrap().is_empty() && r["rationale"] != "")
    );
    let scratch = Scratch::new();
    let out = scratch.path().join("docs/knowledge.md");
    Tradeoff::new(&["rules", "docs", "--output", out.to_str().unwrap()])
        .run()
        .success();
    let docs = scratch.read("docs/knowledge.md");
    assert!(docs.starts_with("# The tradeoff knowledge base"));
    assert!(docs.contains("#### `cheap-reads-at-low-load`") && docs.contains("## Sources"));
}

#[test]
fn rules_test_runs_scenarios_and_reports_coverage() {
    let run = Tradeoff::new(&["rules", "test"]).run().success();
    assert!(run.stdout.contains(" passed, 0 failed"), "{}", run.stdout);
    assert!(
        run.stdout.contains("coverage (options that win a scenario"),
        "{}",
        run.stdout
    );
    let scratch = Scratch::new();
    let bad = scratch.write(
        "bad.toml",
        "[answers]\nops_maturity = \"low\"\nconsistency = \"strong\"\nstaleness_tolerance = \"none\"\n\
         read_write_ratio = \"balanced\"\npeak_rps = 10\nlatency_p99_ms = 500\nsource_latency = \"cheap\"\n\
         [expect.caching]\nwinner = \"write-behind\"\n",
    );
    Tradeoff::new(&["rules", "test", bad.to_str().unwrap()])
        .run()
        .code(1)
        .stdout_has("FAILED")
        .stdout_has("expected `write-behind` to win")
        .stderr_has("1 of 1 scenario failed");
}

#[test]
fn ask_without_a_terminal_refuses_at_once_and_names_what_is_missing() {
    let run = Tradeoff::new(&["ask", "--topic", "caching", "--set", "ops_maturity=medium"])
        .run()
        .code(2);
    assert!(
        run.stderr.contains("`tradeoff ask` needs a terminal"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("tradeoff decide --answers FILE"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("6 answers are missing: consistency, staleness_tolerance, peak_rps"),
        "{}",
        run.stderr
    );
    // plain `tradeoff` is an interactive session too
    Tradeoff::new(&[])
        .run()
        .code(2)
        .stderr_has("needs a terminal");
}
