//! Snapshots of every rendering: the terminal table, Markdown, JSON, the
//! explanation, a decision record and the diagnostics. A change in any output
//! shows up as a reviewable diff (`cargo insta review`).
//! The rule-base fingerprint and the version are redacted so that editing a
//! rule's wording does not churn every snapshot; the scores still do.

use crate::support::{Scratch, Tradeoff};

fn redact(text: &str) -> String {
    let fingerprint = Tradeoff::new(&["rules", "check"]).run().success().stdout;
    let short = fingerprint
        .split("fingerprint ")
        .nth(1)
        .unwrap_or("")
        .trim()
        .trim_end_matches(')')
        .to_owned();
    let mut out = text.replace(env!("CARGO_PKG_VERSION"), "[version]");
    if let Some(start) = out.find("sha256:") {
        let end = out[start..].find('"').map_or(out.len(), |e| start + e);
        out.replace_range(start..end, "sha256:[fingerprint]");
    }
    if !short.is_empty() {
        out = out.replace(&short, "[fingerprint]");
    }
    out
}

#[test]
fn table_report() {
    let run = Tradeoff::new(&["decide", "--answers", "examples/saas-startup.toml"])
        .run()
        .success();
    insta::assert_snapshot!(run.stdout);
}

/// The terminal report as it comes out in an 80-column and a 160-column
/// terminal: tables fitted, prose wrapped with a hanging indent, bars, and
/// the summary at the end.
#[test]
fn table_report_at_80_and_160_columns() {
    for width in ["80", "160"] {
        let run = Tradeoff::new(&["decide", "--answers", "examples/payments-ledger.toml"])
            .env("COLUMNS", width)
            .run()
            .success();
        insta::assert_snapshot!(format!("table_report_{width}"), run.stdout);
    }
}

/// `--summary`: only the block that sums a run up, at 80 and 160 columns.
#[test]
fn summary_at_80_and_160_columns() {
    for width in ["80", "160"] {
        let run = Tradeoff::new(&[
            "decide",
            "--answers",
            "examples/payments-ledger.toml",
            "--summary",
        ])
        .env("COLUMNS", width)
        .run()
        .success();
        insta::assert_snapshot!(format!("summary_{width}"), run.stdout);
    }
}

#[test]
fn markdown_report() {
    let run = Tradeoff::new(&[
        "decide",
        "--answers",
        "examples/catalogue.toml",
        "--format",
        "markdown",
    ])
    .run()
    .success();
    insta::assert_snapshot!(redact(&run.stdout));
}

#[test]
fn json_report() {
    let run = Tradeoff::new(&[
        "decide",
        "-a",
        "examples/payments-ledger.toml",
        "--topic",
        "api-style",
        "--format",
        "json",
    ])
    .run()
    .success();
    insta::assert_snapshot!(redact(&run.stdout));
}

#[test]
fn explanation() {
    let run = Tradeoff::new(&[
        "explain",
        "-a",
        "examples/payments-ledger.toml",
        "--topic",
        "api-style",
    ])
    .run()
    .success();
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn decision_record() {
    let scratch = Scratch::new();
    let dir = scratch.path().join("adr");
    Tradeoff::new(&[
        "decide",
        "-a",
        "examples/catalogue.toml",
        "--topic",
        "caching",
        "--adr",
        dir.to_str().unwrap(),
    ])
    .run()
    .success();
    let name = &scratch.names("adr")[0];
    assert!(
        name.starts_with("0001-caching-strategy-cache-aside-for-"),
        "{name}"
    );
    let record = scratch.read(&format!("adr/{name}"));
    insta::assert_snapshot!(redact(&record));
}

#[test]
fn answer_diagnostics() {
    let scratch = Scratch::new();
    scratch.write(
        "answers.toml",
        "title = \"typos\"\n\n[answers]\nteam_sise = 5\nconsistency = \"eventually\"\nhot_keys = \"yes\"\n",
    );
    let run = Tradeoff::new(&["decide", "--answers", "answers.toml"])
        .dir(scratch.path())
        .run()
        .code(65);
    insta::assert_snapshot!(run.stderr);
}

#[test]
fn rule_base_diagnostics() {
    let scratch = Scratch::new();
    scratch.write(
        "rules/questions.toml",
        r#"[[question]]
id = "load"
label = "Load"
prompt = "How much load?"
help = "Load decides."
kind = "single"
choices = [{ id = "low", label = "Low" }, { id = "high", label = "High" }]

[[question]]
id = "Team Size"
label = "Team"
prompt = "How big?"
kind = "number"
choices = [{ id = "x", label = "X" }]
"#,
    );
    scratch.write(
        "rules/topics/t.toml",
        r#"[topic]
id = "t"
title = "T"
problem = "Which?"

[[option]]
id = "a"
name = "A"
summary = "a"

[[option]]
id = "b"
name = "B"
summary = "b"

[[rule]]
id = "r1"
summary = "s"
when = { q = "lod", eq = "high" }
score = { a = 2 }
rationale = "r"
sources = ["Someone, a talk, https://example.com"]

[[rule]]
id = "r1"
summary = "dup"
when.all = [{ q = "load", gt = 3 }, { q = "load", eq = "hihg" }]
score = { c = 9 }
"#,
    );
    let run = Tradeoff::new(&["--rules", "rules", "rules", "check"])
        .dir(scratch.path())
        .run()
        .code(65);
    insta::assert_snapshot!(run.stderr);
}
