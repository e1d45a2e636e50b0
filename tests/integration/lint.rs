//! `tradeoff rules check` on the fixture rule bases under `tests/lint/`:
//! the exact warnings and errors, for people and as JSON Lines, and the exit
//! codes (0 with warnings, 1 with `--deny-warnings`, 65 with errors).

use crate::support::Tradeoff;

const WARNINGS: &str = "tests/lint/warnings";
const ERRORS: &str = "tests/lint/errors";

/// Every code the warnings fixture produces (`never-fires` twice).
const FIXTURE_CODES: [&str; 8] = [
    "contradicting-rules",
    "duplicate-rule",
    "impossible-test",
    "missing-evidence",
    "missing-review-date",
    "never-fires",
    "never-wins",
    "unread-question",
];

#[test]
fn the_builtin_rule_base_passes_with_warnings_denied() {
    let run = Tradeoff::new(&["rules", "check", "--deny-warnings"])
        .run()
        .success();
    assert_eq!(run.stderr, "");
    assert!(
        run.stdout.starts_with("ok: rule base `rules` has "),
        "{}",
        run.stdout
    );
    let json = Tradeoff::new(&[
        "rules",
        "check",
        "--error-format",
        "json",
        "--deny-warnings",
    ])
    .run()
    .success()
    .stdout;
    let lines: Vec<&str> = json.lines().collect();
    assert_eq!(lines.len(), 1, "{json}");
    assert!(
        lines[0].starts_with(
            r#"{"type":"summary","rule_base":"rules","errors":0,"warnings":0,"fingerprint":"sha256:"#
        ),
        "{json}"
    );
}

#[test]
fn every_warning_with_its_code_caret_and_help() {
    let run = Tradeoff::new(&["rules", "check", WARNINGS]).run().success();
    assert!(
        run.stdout
            .starts_with("ok: rule base `tests/lint/warnings` has 4 questions, 1 topic, 7 rules"),
        "{}",
        run.stdout
    );
    insta::assert_snapshot!(run.stderr);
}

#[test]
fn every_warning_as_json_lines() {
    let run = Tradeoff::new(&["rules", "check", WARNINGS, "--error-format", "json"])
        .run()
        .success();
    assert_eq!(run.stderr, "");
    let mut codes: Vec<String> = Vec::new();
    for line in run.stdout.lines() {
        let json: serde_json::Value = serde_json::from_str(line).unwrap();
        if json["type"] == "diagnostic" {
            assert_eq!(json["severity"], "warning");
            codes.push(json["code"].as_str().unwrap().to_owned());
        }
    }
    assert_eq!(codes.len(), 9);
    codes.sort();
    codes.dedup();
    assert_eq!(codes, FIXTURE_CODES);
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn deny_warnings_fails_and_allow_silences_by_code() {
    Tradeoff::new(&["rules", "check", WARNINGS, "--deny-warnings"])
        .run()
        .code(1)
        .stderr_has(
            "error: 9 warnings in rule base `tests/lint/warnings`, denied by --deny-warnings",
        );
    let mut args = vec!["rules", "check", WARNINGS, "--deny-warnings"];
    for code in FIXTURE_CODES {
        args.extend(["--allow", code]);
    }
    let run = Tradeoff::new(&args).run().success();
    assert_eq!(run.stderr, "");
    // Only the allowed code goes.
    let run = Tradeoff::new(&["rules", "check", WARNINGS, "-A", "never-fires"])
        .run()
        .success();
    assert!(!run.stderr.contains("[never-fires]"), "{}", run.stderr);
    assert!(run.stderr.contains("warning[never-wins]"), "{}", run.stderr);
    assert!(
        run.stderr.ends_with("warning: found 7 warnings\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_unknown_lint_code_is_a_usage_error_with_a_suggestion() {
    let run = Tradeoff::new(&["rules", "check", "--allow", "unread-questions"])
        .run()
        .code(2);
    assert!(
        run.stderr.starts_with(
            "error: unknown lint `unread-questions` in `--allow`\n  help: did you mean `unread-question`?\n"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn errors_exit_65_with_every_problem() {
    let run = Tradeoff::new(&["rules", "check", ERRORS]).run().code(65);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        r#"error: unknown question `team_sise`
  --> tests/lint/errors/topics/queue.toml:20:14
   |
20 | when = { q = "team_sise", lt = 5 }
   |              ^^^^^^^^^^^ no such question
   |
   = help: did you mean `team_size`?

warning[ignored-file]: ignored `notes.toml`: not a rule base file
--> tests/lint/errors
 = help: a rule base holds `questions.toml`, `sources.toml` and `topics/*.toml`

error: found 1 problem
"#
    );
}

#[test]
fn errors_as_json_lines_then_a_summary() {
    let run = Tradeoff::new(&["rules", "check", ERRORS, "--error-format", "json"])
        .run()
        .code(65);
    let expected = [
        r#"{"type":"diagnostic","severity":"error","code":null,"message":"unknown question `team_sise`","file":"tests/lint/errors/topics/queue.toml","line":20,"column":14,"end_line":20,"end_column":25,"label":"no such question","help":["did you mean `team_size`?"],"notes":[],"suggestion":"team_size"}"#,
        r#"{"type":"diagnostic","severity":"warning","code":"ignored-file","message":"ignored `notes.toml`: not a rule base file","file":"tests/lint/errors","line":null,"column":null,"end_line":null,"end_column":null,"label":null,"help":["a rule base holds `questions.toml`, `sources.toml` and `topics/*.toml`"],"notes":[],"suggestion":null}"#,
        r#"{"type":"summary","rule_base":"tests/lint/errors","errors":1,"warnings":1,"fingerprint":null}"#,
    ];
    assert_eq!(run.stdout.lines().collect::<Vec<_>>(), expected);
    assert_eq!(
        run.stderr,
        "error: rule base `tests/lint/errors` has 1 error\n"
    );
    // Allowed warnings go from the errors' report too.
    let run = Tradeoff::new(&[
        "rules",
        "check",
        ERRORS,
        "--error-format",
        "json",
        "--allow",
        "ignored-file",
    ])
    .run()
    .code(65);
    assert_eq!(run.stdout.lines().count(), 2, "{}", run.stdout);
}

#[test]
fn dir_takes_the_place_of_the_rules_option() {
    let positional = Tradeoff::new(&["rules", "check", WARNINGS]).run().success();
    let option = Tradeoff::new(&["--rules", WARNINGS, "rules", "check"])
        .run()
        .success();
    assert_eq!(positional.stdout, option.stdout);
    assert_eq!(positional.stderr, option.stderr);
    // DIR wins over --rules and TRADEOFF_RULES.
    Tradeoff::new(&["rules", "check", "rules"])
        .env("TRADEOFF_RULES", WARNINGS)
        .run()
        .success()
        .stdout_has("ok: rule base `rules` has 91 questions");
    Tradeoff::new(&["rules", "check", "tests/lint/no-such-dir"])
        .run()
        .code(66)
        .stderr_has("cannot read rule base `tests/lint/no-such-dir`");
}
