//! What a team moving from adr-tools, MADR or log4brains relies on: the
//! directory tradeoff picks, the files it writes and what it prints, the
//! records it reads, and no false alarm from `adr check` on records those
//! tools wrote. Each case is a minimal record written for this project.

use crate::support::{Scratch, Tradeoff};
use std::path::Path;

fn adr(dir: &Path, args: &[&str]) -> crate::support::Run {
    let mut all = vec!["adr"];
    all.extend_from_slice(args);
    Tradeoff::new(&all)
        .dir(dir)
        .env("ADR_DATE", "1992-01-12")
        .env("VISUAL", "")
        .env("EDITOR", "")
        .run()
}

#[test]
fn without_a_directory_new_writes_adr_tools_records_in_doc_adr() {
    let s = Scratch::new();
    adr(s.path(), &["new", "The", "First", "Decision"])
        .success()
        .stdout_has("doc/adr/0001-the-first-decision.md");
    let record = s.read("doc/adr/0001-the-first-decision.md");
    assert!(
        record.starts_with(
            "# 1. The First Decision\n\nDate: 1992-01-12\n\n## Status\n\nAccepted\n\n## Context\n"
        ),
        "{record}"
    );
    // MADR when asked for it.
    let t = Scratch::new();
    adr(t.path(), &["new", "--format", "madr", "Use", "X"])
        .success()
        .stdout_has("docs/decisions/0001-use-x.md");
}

#[test]
fn paths_are_listed_relative_to_where_the_command_runs() {
    let s = Scratch::new();
    adr(s.path(), &["init", "--format", "nygard", "decisions-log"])
        .success()
        .stdout_has("decisions-log/0001-record-architecture-decisions.md");
    std::fs::create_dir_all(s.path().join("deeper")).unwrap();
    adr(&s.path().join("deeper"), &["new", "From", "below"])
        .success()
        .stdout_has("../decisions-log/0002-from-below.md");
    let paths = adr(&s.path().join("deeper"), &["list", "--format", "paths"])
        .success()
        .stdout;
    assert_eq!(
        paths,
        "../decisions-log/0001-record-architecture-decisions.md\n../decisions-log/0002-from-below.md\n"
    );
    let t = Scratch::new();
    let run = adr(t.path(), &["list", "--format", "paths"]).code(66);
    assert_eq!(run.stderr, "The doc/adr directory does not exist\n");
}

#[test]
fn the_editor_gets_the_printed_path_and_the_path_follows_it() {
    let s = Scratch::new();
    let run = Tradeoff::new(&["adr", "new", "Edited"])
        .dir(s.path())
        .env("VISUAL", "echo VISUAL")
        .env("EDITOR", "echo EDITOR")
        .run()
        .success();
    assert_eq!(
        run.stdout,
        "VISUAL doc/adr/0001-edited.md\ndoc/adr/0001-edited.md\n"
    );
}

#[test]
fn references_may_be_parts_of_file_names() {
    let s = Scratch::new();
    adr(s.path(), &["new", "Use", "Postgres"]).success();
    adr(s.path(), &["new", "Use", "Redis"]).success();
    adr(
        s.path(),
        &[
            "new",
            "-s",
            "postgres",
            "-l",
            "redis:Amends:Amended by",
            "Use",
            "Both",
        ],
    )
    .success();
    let both = s.read("doc/adr/0003-use-both.md");
    assert!(
        both.contains("Supercedes [1. Use Postgres](0001-use-postgres.md)")
            && both.contains("Amends [2. Use Redis](0002-use-redis.md)"),
        "{both}"
    );
    adr(
        s.path(),
        &["link", "both", "Clarifies", "0002", "Clarified by"],
    )
    .success();
    adr(s.path(), &["link", "use", "Clarifies", "2", "Clarified by"])
        .code(2)
        .stderr_has("matches 3 records");
}

#[test]
fn upgrade_repository_makes_old_dates_iso() {
    let s = Scratch::new();
    s.write(
        "doc/adr/0001-old.md",
        "# 1. Old\n\nDate: 12/01/1992\n\n## Status\n\nAccepted\n",
    );
    adr(s.path(), &["upgrade-repository"]).success();
    assert!(s.read("doc/adr/0001-old.md").contains("Date: 1992-01-12\n"));
}

#[test]
fn init_uses_the_directory_the_repository_has() {
    let s = Scratch::new();
    adr(s.path(), &["new", "First"]).success();
    adr(s.path(), &["init"])
        .code(2)
        .stderr_has("already holds decision records");
    assert!(!s.path().join("docs/decisions").exists());
}

#[test]
fn log4brains_directories_get_dated_names_and_their_layout() {
    let s = Scratch::new();
    s.write(
        ".log4brains.yml",
        "project:\n  name: x\n  adrFolder: ./docs/adr\n",
    );
    s.write(
        "docs/adr/20200924-use-markdown.md",
        "# Use Markdown\n\n- Status: accepted\n- Date: 2020-09-24\n\n## Context and Problem Statement\n\nx\n",
    );
    s.write(
        "docs/adr/template.md",
        "# [short title]\n\n- Status: [draft | proposed] <!-- optional -->\n\n## Context and Problem Statement\n\n[why]\n\n## Links <!-- optional -->\n",
    );
    s.write("docs/adr/index.md", "# Index\n");
    adr(s.path(), &["new", "Use", "Lunr"])
        .success()
        .stdout_has("docs/adr/19920112-use-lunr.md");
    let new = s.read("docs/adr/19920112-use-lunr.md");
    assert!(
        new.starts_with("# Use Lunr\n\n- Status: [draft | proposed]"),
        "{new}"
    );
    adr(s.path(), &["new", "Use", "Lunr"])
        .success()
        .stdout_has("docs/adr/19920112-use-lunr-2.md");
    adr(s.path(), &["supersede", "20200924", "19920112-use-lunr-2"]).success();
    let old = s.read("docs/adr/20200924-use-markdown.md");
    assert!(
        old.contains("- Status: superseded by [19920112-use-lunr-2](19920112-use-lunr-2.md)"),
        "{old}"
    );
    let check = adr(s.path(), &["check"]).success().stdout;
    assert!(check.contains("0 errors, 0 warnings"), "{check}");
    adr(s.path(), &["renumber", "--dry-run"])
        .success()
        .stdout_has("no duplicate numbers");
    let answers = crate::support::repo().join("examples/saas-startup.toml");
    Tradeoff::new(&[
        "decide",
        "-a",
        answers.to_str().unwrap(),
        "-t",
        "caching",
        "--adr",
    ])
    .dir(s.path())
    .env("ADR_DATE", "2026-03-04")
    .run()
    .success()
    .stderr_has("created docs/adr/20260304-caching-strategy-no-cache");
}

#[test]
fn front_matter_over_a_nygard_body_reads_and_edits_as_one_record() {
    let s = Scratch::new();
    s.write(
        "doc/adr/0036-a.md",
        "# 36. A\n\nDate: 2020-01-01\n\n## Status\n\nAccepted\n\n## Context\n\nx\n",
    );
    s.write(
        "doc/adr/0037-use-x.md",
        "---\nstatus: accepted\n---\n\n# 37. Use X\n\nDate: 2020-02-03\n\n## Status\n\nAccepted\n\n## Context\n\nx\n",
    );
    let toc = adr(s.path(), &["toc"]).success().stdout;
    assert!(toc.contains("* [37. Use X](0037-use-x.md)"), "{toc}");
    let list = adr(s.path(), &["list"]).success().stdout;
    assert!(
        list.contains("  37  accepted     2020-02-03  Use X"),
        "{list}"
    );
    adr(s.path(), &["status", "37", "deprecated"]).success();
    let record = s.read("doc/adr/0037-use-x.md");
    assert!(
        record.starts_with("---\nstatus: deprecated\n---\n")
            && record.contains("## Status\n\nDeprecated\n"),
        "{record}"
    );
}

/// Records as other tools and people write them, which `adr check` must
/// accept: each was once a false alarm.
#[test]
fn check_raises_no_false_alarm_on_records_other_tools_write() {
    let s = Scratch::new();
    s.write("docs/decisions/README.md", "# Decisions\n");
    s.write(
        "docs/decisions/0001-a.md",
        "---\nstatus: \"superseded by [ADR-0002](0002-b.md)\"\n---\n\n# A\n\n## Context and Problem Statement\n\nSee [B](./0002-b.md#decision-outcome) and [the old one](0000-x.md).\n",
    );
    s.write(
        "docs/decisions/0002-b.md",
        "# B\n\n* Status: superseded by [0003-c](0003-c.md)\n\n## Context and Problem Statement\n\n`[not a link](0009-missing.md)`\n\n```md\n[nor this](0009-missing.md)\n```\n",
    );
    s.write(
        "docs/decisions/0003-c.md",
        "---\nstatus: accepted\n---\n\n# C\n\n## Context and Problem Statement\n\nSupersedes [B](0002-b.md).\n",
    );
    s.write(
        "docs/decisions/0000-x.md",
        "# X\n\n## Context and Problem Statement\n\nx\n",
    );
    let check = adr(s.path(), &["check"]).success().stdout;
    assert!(check.contains("0 errors, 0 warnings"), "{check}");
}

#[test]
fn check_finds_what_breaks_history() {
    let s = Scratch::new();
    s.write("doc/adr/0001-a.md", "# 1. A\n\nDate: 2020-01-01\n\n## Status\n\nAccepted\n\n## Context\n\nSee [C](./0003-c.md) and [gone](0009-gone.md).\n");
    s.write(
        "doc/adr/0002-b.md",
        "# 7. B\n\nDate: 2020-01-02\n\n## Status\n\nAccepted\n\n## Context\n\nx\n",
    );
    let run = adr(s.path(), &["check", "--format", "json"]).code(1);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let codes: Vec<&str> = json["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        ["broken-link", "broken-link", "heading-number"],
        "{json}"
    );
    assert_eq!(json["problems"][0]["line"], 11);
    assert_eq!(json["errors"], 3);
    adr(s.path(), &["check", "--fix"]).code(1);
    assert!(s.read("doc/adr/0002-b.md").starts_with("# 2. B\n"));
}

#[test]
fn check_finds_two_live_records_deciding_one_topic() {
    let s = Scratch::new();
    let answers = crate::support::repo().join("examples/saas-startup.toml");
    let decide = |extra: &[&str]| {
        let mut args = vec![
            "decide",
            "-a",
            answers.to_str().unwrap(),
            "-t",
            "caching",
            "--adr",
            "docs/decisions",
        ];
        args.extend_from_slice(extra);
        Tradeoff::new(&args).dir(s.path()).run().success()
    };
    decide(&[]);
    // A hand-written record on the same subject, still accepted.
    s.write(
        "docs/decisions/0002-caching-strategy-redis-everywhere.md",
        "---\nstatus: accepted\n---\n\n# Caching strategy: Redis everywhere\n\n## Context and Problem Statement\n\nx\n",
    );
    adr(s.path(), &["check"])
        .code(1)
        .stdout_has("decides the same as 0002-caching-strategy-redis-everywhere.md");
    std::fs::remove_file(
        s.path()
            .join("docs/decisions/0002-caching-strategy-redis-everywhere.md"),
    )
    .unwrap();
    // Two generated records of one decision, copied by a merge.
    let name = s.names("docs/decisions")[0].clone();
    let text = s.read(&format!("docs/decisions/{name}"));
    s.write("docs/decisions/0002-copy.md", &text);
    adr(s.path(), &["check"])
        .code(1)
        .stdout_has("records the same decision as");
}

#[test]
fn renumber_follows_links_anywhere_and_keeps_hand_written_labels() {
    let s = Scratch::new();
    s.write(
        "doc/adr/0001-a.md",
        "# 1. A\n\nDate: 2020-01-01\n\n## Status\n\nAccepted\n\n## Context\n\nx\n",
    );
    s.write("doc/adr/0001-b.md", "---\nstatus: accepted\n---\n\n# 1. B\n\nDate: 2020-01-02\n\n## Status\n\nAccepted\n\n## Context\n\nx\n");
    s.write(
        "doc/adr/0002-c.md",
        "# 2. C\n\nDate: 2020-01-03\n\n## Status\n\nAccepted\n\nAmends [1. B](0001-b.md)\n\n## Context\n\nAs [the B decision](./0001-b.md#context) says, and [1. A](0001-a.md).\n\n[b]: 0001-b.md\n",
    );
    adr(s.path(), &["renumber"])
        .success()
        .stdout_has("renamed 0001-b.md -> 0003-b.md");
    let c = s.read("doc/adr/0002-c.md");
    assert!(c.contains("Amends [3. B](0003-b.md)"), "{c}");
    assert!(
        c.contains("As [the B decision](./0003-b.md#context) says, and [1. A](0001-a.md)."),
        "{c}"
    );
    assert!(c.contains("[b]: 0003-b.md"), "{c}");
    let b = s.read("doc/adr/0003-b.md");
    assert!(
        b.starts_with("---\nstatus: accepted\n---\n\n# 3. B\n"),
        "{b}"
    );
    let check = adr(s.path(), &["check"]).success().stdout;
    assert!(check.contains("0 errors"), "{check}");
}

#[test]
fn decide_dry_run_writes_nothing_and_a_changed_verdict_supersedes() {
    let s = Scratch::new();
    let answers = crate::support::repo().join("examples/saas-startup.toml");
    let a = answers.to_str().unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec![
            "decide",
            "-a",
            a,
            "-t",
            "caching",
            "--adr",
            "docs/decisions",
        ];
        args.extend_from_slice(extra);
        Tradeoff::new(&args).dir(s.path()).run().success()
    };
    run(&["--dry-run"])
        .stderr_has("would create docs/decisions/0001-caching-strategy-no-cache-for-");
    assert!(!s.path().join("docs/decisions").exists() || s.names("docs/decisions").is_empty());
    run(&[]);
    run(&["--dry-run"]).stderr_has("would leave docs/decisions/0001-");
    // The verdict changes: the new record supersedes the old one, no duplicate.
    run(&[
        "--set",
        "peak_rps=9000",
        "--set",
        "source_latency=expensive",
        "--dry-run",
    ])
    .stderr_has("would create docs/decisions/0002-caching-strategy-cache-aside");
    run(&[
        "--set",
        "peak_rps=9000",
        "--set",
        "source_latency=expensive",
    ])
    .stderr_has("superseding 0001-");
    let names = s.names("docs/decisions");
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(
        s.read(&format!("docs/decisions/{}", names[0]))
            .starts_with("---\nstatus: superseded by ADR-0002\n")
    );
    adr(s.path(), &["check"]).success();
}

#[test]
fn a_new_rule_base_with_the_same_verdict_writes_no_duplicate() {
    let s = Scratch::new();
    let answers = crate::support::repo().join("examples/saas-startup.toml");
    let rules = s.path().join("rules");
    Tradeoff::new(&["rules", "export", rules.to_str().unwrap()])
        .run()
        .success();
    let decide = |extra: &[&str]| {
        let mut args = vec![
            "decide",
            "-a",
            answers.to_str().unwrap(),
            "-t",
            "caching",
            "--adr",
            "docs/decisions",
        ];
        args.extend_from_slice(extra);
        Tradeoff::new(&args).dir(s.path()).run().success()
    };
    decide(&[]);
    let caching = rules.join("topics/caching.toml");
    let text = std::fs::read_to_string(&caching)
        .unwrap()
        .replace("score = { none = 2 }", "score = { none = 3 }");
    std::fs::write(&caching, text).unwrap();
    decide(&["--rules", rules.to_str().unwrap()]).stderr_has("unchanged");
    assert_eq!(s.names("docs/decisions").len(), 1);
}

/// The `tradeoff` steps of the README's CI recipe, in order.
fn ci_recipe() -> Vec<Vec<String>> {
    let readme = std::fs::read_to_string(crate::support::repo().join("README.md")).unwrap();
    let start = readme.find("## Decision records in CI").unwrap();
    let block = &readme[start..];
    let block = &block[block.find("```yaml\n").unwrap()..];
    let block = &block[..8 + block[8..].find("```").unwrap()];
    block
        .lines()
        .filter_map(|l| l.trim().strip_prefix("- run: tradeoff "))
        .map(|l| l.split_whitespace().map(str::to_owned).collect())
        .collect()
}

#[test]
fn the_readme_ci_recipe_guards_records_end_to_end() {
    let s = Scratch::new();
    let example = crate::support::repo().join("examples/saas-startup.toml");
    s.write(
        "examples/saas-startup.toml",
        &std::fs::read_to_string(example).unwrap(),
    );
    let steps = ci_recipe();
    assert_eq!(steps.len(), 4, "{steps:?}");
    let run = |args: &[String], rules: Option<&Path>| {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let mut t = Tradeoff::new(&args).dir(s.path());
        if let Some(rules) = rules {
            t = t.env("TRADEOFF_RULES", rules.to_str().unwrap());
        }
        t.run()
    };
    // The first run writes the records; every step passes.
    adr(s.path(), &["init"]).success();
    for step in &steps {
        run(step, None).success();
    }
    let written = s.names("docs/decisions").len();
    // Run again: nothing new.
    for step in &steps {
        run(step, None).success();
    }
    assert_eq!(s.names("docs/decisions").len(), written);
    // The rule base changes: review fails and names the change...
    let rules = s.path().join("rules");
    Tradeoff::new(&["rules", "export", rules.to_str().unwrap()])
        .run()
        .success();
    let caching = rules.join("topics/caching.toml");
    let text = std::fs::read_to_string(&caching)
        .unwrap()
        .replace("score = { none = 2 }", "score = { none = -4 }");
    std::fs::write(&caching, text).unwrap();
    let review = steps.last().unwrap();
    run(review, Some(&rules))
        .code(1)
        .stdout_has("re-weighted measure-before-caching");
    // ...and the scheduled run supersedes the record: one new record for
    // caching, and one for cache technology, which applies now that a cache
    // is chosen; every step passes again.
    for step in &steps {
        run(step, Some(&rules)).success();
    }
    let names = s.names("docs/decisions");
    assert_eq!(names.len(), written + 2, "{names:?}");
    assert!(
        names.iter().any(|n| n.contains("cache-technology")),
        "{names:?}"
    );
    // A hand-written record that contradicts a live one fails the check.
    s.write(
        "docs/decisions/0100-caching-strategy-redis-everywhere.md",
        "---\nstatus: accepted\n---\n\n# Caching strategy: Redis everywhere\n\n## Context and Problem Statement\n\nx\n",
    );
    run(&steps[2], Some(&rules))
        .code(1)
        .stdout_has("conflicting-records");
}
