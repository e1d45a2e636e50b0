//! The ADR lifecycle against the formats teams already use: adr-tools'
//! expected outputs byte for byte, MADR records, safety on disk, drift review.

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
fn adr_tools_init_and_new_are_byte_for_byte() {
    let s = Scratch::new();
    adr(s.path(), &["init", "--format", "nygard"])
        .success()
        .stdout_has("doc/adr/0001-record-architecture-decisions.md");
    assert_eq!(
        s.read("doc/adr/0001-record-architecture-decisions.md"),
        "# 1. Record architecture decisions\n\nDate: 1992-01-12\n\n## Status\n\nAccepted\n\n## Context\n\nWe need to record the architectural decisions made on this project.\n\n## Decision\n\nWe will use Architecture Decision Records, as [described by Michael Nygard](http://thinkrelevance.com/blog/2011/11/15/documenting-architecture-decisions).\n\n## Consequences\n\nSee Michael Nygard's article, linked above. For a lightweight ADR toolset, see Nat Pryce's [adr-tools](https://github.com/npryce/adr-tools).\n"
    );
    for (title, file) in [
        ("Something About Node.JS", "0002-something-about-node-js.md"),
        ("Slash/Slash/Slash/", "0003-slash-slash-slash.md"),
        ("-Bar-", "0004-bar.md"),
    ] {
        adr(s.path(), &["new", "--", title])
            .success()
            .stdout_has(file);
    }
    assert_eq!(
        s.read("doc/adr/0004-bar.md"),
        "# 4. -Bar-\n\nDate: 1992-01-12\n\n## Status\n\nAccepted\n\n## Context\n\nThe issue motivating this decision, and any context that influences or constrains the decision.\n\n## Decision\n\nThe change that we're proposing or have agreed to implement.\n\n## Consequences\n\nWhat becomes easier or more difficult to do and any risks introduced by the change that will need to be mitigated.\n"
    );
}

#[test]
fn superseding_and_linking_match_adr_tools() {
    let s = Scratch::new();
    std::fs::create_dir_all(s.path().join("doc/adr")).unwrap();
    adr(s.path(), &["new", "First", "Record"]).success();
    adr(s.path(), &["new", "Second", "Record"]).success();
    adr(s.path(), &["new", "-s", "1", "-s", "2", "Third", "Record"]).success();
    // adr-tools' spelling, which its repositories and readers rely on.
    assert!(s.read("doc/adr/0001-first-record.md").starts_with(
        "# 1. First Record\n\nDate: 1992-01-12\n\n## Status\n\nSuperceded by [3. Third Record](0003-third-record.md)\n\n## Context\n"
    ));
    assert!(s.read("doc/adr/0003-third-record.md").starts_with(
        "# 3. Third Record\n\nDate: 1992-01-12\n\n## Status\n\nAccepted\n\nSupercedes [1. First Record](0001-first-record.md)\n\nSupercedes [2. Second Record](0002-second-record.md)\n\n## Context\n"
    ));
    adr(s.path(), &["new", "Fourth", "Record"]).success();
    adr(s.path(), &["link", "4", "Amends", "3", "Amended by"]).success();
    assert!(s.read("doc/adr/0003-third-record.md").contains("Supercedes [2. Second Record](0002-second-record.md)\n\nAmended by [4. Fourth Record](0004-fourth-record.md)\n\n## Context"));
    assert!(s.read("doc/adr/0004-fourth-record.md").contains(
        "## Status\n\nAccepted\n\nAmends [3. Third Record](0003-third-record.md)\n\n## Context"
    ));
    let graph = adr(s.path(), &["graph"]).success().stdout;
    assert!(
        graph.contains("  _4 -> _3 [label=\"Amends\", weight=0]\n")
            && !graph.contains("Amended by"),
        "{graph}"
    );
    let mermaid = adr(s.path(), &["graph", "--format", "mermaid"])
        .success()
        .stdout;
    assert!(
        mermaid.starts_with("flowchart TD\n") && mermaid.contains("adr3 -->|\"Supercedes\"| adr1"),
        "{mermaid}"
    );
    let toc = adr(s.path(), &["toc", "-p", "adr/"]).success().stdout;
    assert!(
        toc.starts_with(
            "# Architecture Decision Records\n\n* [1. First Record](adr/0001-first-record.md)\n"
        ),
        "{toc}"
    );
}

#[test]
fn the_adr_tools_spelling_is_kept_where_a_repository_uses_it() {
    let s = Scratch::new();
    s.write(
        "doc/adr/0001-old.md",
        "# 1. Old\n\nDate: 1992-01-12\n\n## Status\n\nSuperceded by [2. Older](0002-older.md)\n\n## Context\n\nx\n",
    );
    s.write("doc/adr/0002-older.md", "# 2. Older\n\nDate: 1992-01-12\n\n## Status\n\nAccepted\n\nSupercedes [1. Old](0001-old.md)\n\n## Context\n\nx\n");
    adr(s.path(), &["new", "-s", "2", "Newest"]).success();
    assert!(
        s.read("doc/adr/0002-older.md")
            .contains("Superceded by [3. Newest](0003-newest.md)")
    );
    assert!(
        s.read("doc/adr/0003-newest.md")
            .contains("Supercedes [2. Older](0002-older.md)")
    );
}

#[test]
fn madr_records_have_front_matter_and_supersede_in_both_files() {
    let s = Scratch::new();
    adr(s.path(), &["init"])
        .success()
        .stdout_has("docs/decisions/0000-use-markdown-architectural-decision-records.md");
    adr(s.path(), &["new", "Use", "PostgreSQL"])
        .success()
        .stdout_has("docs/decisions/0001-use-postgresql.md");
    adr(s.path(), &["new", "Use", "CockroachDB"]).success();
    let new = s.read("docs/decisions/0001-use-postgresql.md");
    assert!(new.starts_with("---\nstatus: proposed\ndate: 1992-01-12\n---\n\n# Use PostgreSQL\n\n## Context and Problem Statement\n"));
    adr(s.path(), &["status", "1", "accepted"]).success();
    adr(s.path(), &["supersede", "1", "2"]).success();
    let old = s.read("docs/decisions/0001-use-postgresql.md");
    assert!(
        old.starts_with("---\nstatus: superseded by ADR-0002\n"),
        "{old}"
    );
    assert!(
        old.contains(
            "## More Information\n\n* Superseded by [2. Use CockroachDB](0002-use-cockroachdb.md)\n"
        ),
        "{old}"
    );
    assert!(
        s.read("docs/decisions/0002-use-cockroachdb.md")
            .contains("* Supersedes [1. Use PostgreSQL](0001-use-postgresql.md)")
    );
    let list = adr(s.path(), &["list", "--format", "json"])
        .success()
        .stdout;
    let json: serde_json::Value = serde_json::from_str(&list).unwrap();
    assert_eq!(json[1]["status"], "superseded by ADR-0002");
    assert_eq!(json[1]["format"], "madr");
    adr(s.path(), &["status", "1", "acepted"])
        .code(2)
        .stderr_has("did you mean `accepted`?");
}

#[test]
fn madr_2_records_are_read_and_edited() {
    let s = Scratch::new();
    s.write("docs/decisions/0001-use-x.md", "# Use X\n\n* Status: accepted\n* Deciders: Ann\n* Date: 2019-05-01\n\n## Context and Problem Statement\n\nWhy.\n");
    let list = adr(s.path(), &["list"]).success().stdout;
    assert!(
        list.contains("accepted") && list.contains("2019-05-01") && list.contains("Use X"),
        "{list}"
    );
    adr(s.path(), &["status", "1", "deprecated"]).success();
    assert!(
        s.read("docs/decisions/0001-use-x.md")
            .contains("* Status: deprecated\n* Deciders: Ann\n")
    );
}

#[test]
fn concurrent_new_records_never_share_a_number() {
    let s = Scratch::new();
    std::fs::create_dir_all(s.path().join("doc/adr")).unwrap();
    let children: Vec<_> = (0..8)
        .map(|i| {
            std::process::Command::new(env!("CARGO_BIN_EXE_tradeoff"))
                .args(["adr", "new", &format!("Parallel {i}")])
                .current_dir(s.path())
                .env("VISUAL", "")
                .env("EDITOR", "")
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    let numbers: std::collections::BTreeSet<String> = s
        .names("doc/adr")
        .iter()
        .map(|n| n[..4].to_owned())
        .collect();
    assert_eq!(numbers.len(), 8, "{:?}", s.names("doc/adr"));
}

#[test]
fn check_finds_collisions_and_renumber_repairs_them() {
    let s = Scratch::new();
    s.write(
        "doc/adr/0001-a.md",
        "# 1. A\n\nDate: 2020-01-01\n\n## Status\n\nAccepted\n\n## Context\n",
    );
    s.write(
        "doc/adr/0002-b.md",
        "# 2. B\n\nDate: 2020-01-02\n\n## Status\n\nAccepted\n\n## Context\n",
    );
    s.write("doc/adr/0002-c.md", "# 2. C\n\nDate: 2020-01-03\n\n## Status\n\nAccepted\n\nAmends [2. B](0002-b.md)\n\n## Context\n");
    s.write("doc/adr/0003-d.md", "# 3. D\n\nDate: 2020-01-04\n\n## Status\n\nAccepted\n\nAmends [2. C](0002-c.md)\n\nRefines [9. Gone](0009-gone.md)\n\n## Context\n");
    s.write("doc/adr/README.md", "notes\n");
    s.write("doc/adr/0004-broken.md", "no title at all\n");
    let check = adr(s.path(), &["check"]).code(1).stdout;
    for needle in [
        "number 2 is used by 0002-b.md and 0002-c.md",
        "broken link",
        "0009-gone.md",
        "README.md",
        "0004-broken.md: cannot be read",
    ] {
        assert!(check.contains(needle), "check lacks {needle:?}:\n{check}");
    }
    // A malformed record stops the repair and is never rewritten.
    adr(s.path(), &["renumber"])
        .code(1)
        .stderr_has("0004-broken.md");
    assert_eq!(s.read("doc/adr/0004-broken.md"), "no title at all\n");
    std::fs::remove_file(s.path().join("doc/adr/0004-broken.md")).unwrap();
    adr(s.path(), &["renumber", "--dry-run"])
        .success()
        .stdout_has("would rename 0002-c.md -> 0004-c.md");
    assert!(s.path().join("doc/adr/0002-c.md").exists());
    adr(s.path(), &["renumber"])
        .success()
        .stdout_has("renamed 0002-c.md -> 0004-c.md");
    assert!(s.read("doc/adr/0004-c.md").starts_with("# 4. C\n"));
    assert!(
        s.read("doc/adr/0003-d.md")
            .contains("Amends [4. C](0004-c.md)")
    );
    let after = adr(s.path(), &["check"]).stdout;
    assert!(!after.contains("is used by"), "{after}");
}

#[test]
fn templates_are_strict_and_adr_template_is_honoured() {
    let s = Scratch::new();
    std::fs::create_dir_all(s.path().join("docs/decisions")).unwrap();
    let good = s.write(
        "tpl.md",
        "# {{ number4 }}: {{ title }}\n\nStatus: {{ status }}, {{ date }}\n",
    );
    adr(
        s.path(),
        &["new", "--template", good.to_str().unwrap(), "Use", "X"],
    )
    .success();
    assert_eq!(
        s.read("docs/decisions/0001-use-x.md"),
        "# 0001: Use X\n\nStatus: proposed, 1992-01-12\n"
    );
    let bad = s.write("bad.md", "# {{ titel }}\n");
    Tradeoff::new(&["adr", "new", "Use", "Y"])
        .dir(s.path())
        .env("ADR_TEMPLATE", bad.to_str().unwrap())
        .env("VISUAL", "")
        .run()
        .code(65)
        .stderr_has("titel");
    assert_eq!(
        s.names("docs/decisions").len(),
        1,
        "nothing is written for a broken template"
    );
    // adr-tools style placeholders, from the project's templates directory
    let t = Scratch::new();
    t.write(
        "docs/decisions/templates/template.md",
        "# NUMBER. TITLE\n\nDATE STATUS\n",
    );
    adr(t.path(), &["new", "Use", "Z"]).success();
    assert_eq!(
        t.read("docs/decisions/0001-use-z.md"),
        "# 1. Use Z\n\n1992-01-12 proposed\n"
    );
}

#[test]
fn visual_then_editor_open_the_new_record() {
    let s = Scratch::new();
    std::fs::create_dir_all(s.path().join("doc/adr")).unwrap();
    let marker = s.path().join("edited");
    Tradeoff::new(&["adr", "new", "Edit", "me"])
        .dir(s.path())
        .env("VISUAL", &format!("echo >> {} ", marker.display()))
        .env("EDITOR", "false")
        .run()
        .success();
    let edited = std::fs::read_to_string(&marker).unwrap();
    assert!(edited.contains("0001-edit-me.md"), "{edited}");
}

#[test]
fn decide_writes_into_adr_tools_repositories_in_their_format() {
    let s = Scratch::new();
    adr(s.path(), &["init", "--format", "nygard"]).success();
    let answers = crate::support::repo().join("examples/saas-startup.toml");
    Tradeoff::new(&[
        "decide",
        "-a",
        answers.to_str().unwrap(),
        "--topic",
        "caching",
        "--adr",
    ])
    .dir(s.path())
    .run()
    .success()
    .stderr_has("created doc/adr/0002-caching-strategy-no-cache-for-invoicing-saas-for-small-businesses-seed-stage.md");
    let record = s.read("doc/adr/0002-caching-strategy-no-cache-for-invoicing-saas-for-small-businesses-seed-stage.md");
    assert!(record.starts_with("# 2. Caching strategy: No cache, for Invoicing SaaS for small businesses (seed stage)\n\nDate: 2026-11-21\n\n## Status\n\nProposed\n\n## Context\n"), "{record}");
    assert!(
        record.contains("## Decision\n\nWe will not add a cache. It comes out best")
            && record.contains("<!-- tradeoff")
    );
    adr(s.path(), &["check"]).success();
}

#[test]
fn review_reports_drift_and_the_rules_behind_it() {
    let s = Scratch::new();
    let answers = crate::support::repo().join("examples/saas-startup.toml");
    let rules = s.path().join("rules");
    Tradeoff::new(&["rules", "export", rules.to_str().unwrap()])
        .run()
        .success();
    Tradeoff::new(&[
        "decide",
        "-a",
        answers.to_str().unwrap(),
        "--topic",
        "caching",
        "--topic",
        "api-style",
        "--adr",
        "docs/decisions",
    ])
    .dir(s.path())
    .run()
    .success();
    let review = Tradeoff::new(&["adr", "review"])
        .dir(s.path())
        .run()
        .success()
        .stdout;
    assert!(
        review.contains("holds") && review.contains("still none (same rule base)"),
        "{review}"
    );
    // The rule base changes: measuring before caching no longer counts.
    let caching = rules.join("topics/caching.toml");
    let text = std::fs::read_to_string(&caching)
        .unwrap()
        .replace("score = { none = 2 }", "score = { none = -4 }");
    std::fs::write(&caching, text).unwrap();
    let run = Tradeoff::new(&["--rules", rules.to_str().unwrap(), "adr", "review"])
        .dir(s.path())
        .run()
        .code(1);
    assert!(
        run.stdout.contains("CHANGED")
            && run
                .stdout
                .contains("recorded none, now cache-aside (rule base changed)")
            && run
                .stdout
                .contains("re-weighted measure-before-caching: none +2 -> none -4 (moves none -6)"),
        "{}",
        run.stdout
    );
    // A rule renamed away is reported as such.
    let text = std::fs::read_to_string(&caching).unwrap().replace(
        "id = \"cheap-reads-at-low-load\"",
        "id = \"cheap-reads-at-modest-load\"",
    );
    std::fs::write(&caching, text).unwrap();
    let run = Tradeoff::new(&[
        "--rules",
        rules.to_str().unwrap(),
        "adr",
        "review",
        "--format",
        "json",
    ])
    .dir(s.path())
    .run()
    .code(1);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let caching = json
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["topic"] == "caching")
        .unwrap();
    assert!(
        caching["stopped_firing"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r == "cheap-reads-at-low-load"),
        "{caching}"
    );
    let changes = caching["rule_changes"].as_array().unwrap();
    let kind = |rule: &str| {
        changes
            .iter()
            .find(|c| c["rule"] == rule)
            .map(|c| c["change"].as_str().unwrap().to_owned())
    };
    assert_eq!(kind("cheap-reads-at-low-load").as_deref(), Some("removed"));
    assert_eq!(kind("cheap-reads-at-modest-load").as_deref(), Some("added"));
    assert_eq!(
        kind("measure-before-caching").as_deref(),
        Some("reweighted")
    );
    let reweighted = changes
        .iter()
        .find(|c| c["change"] == "reweighted")
        .unwrap();
    assert_eq!(reweighted["effect"]["none"], -6, "{caching}");
}

#[test]
fn adr_commands_outside_a_repository_explain_what_they_looked_for() {
    let s = Scratch::new();
    adr(s.path(), &["list"])
        .code(66)
        .stderr_has("looked for .adr-dir, doc/adr and docs/decisions");
}

/// The example template of docs/adr-templates.md, so the documented example
/// is the one tested.
fn documented_template() -> String {
    let docs =
        std::fs::read_to_string(crate::support::repo().join("docs/adr-templates.md")).unwrap();
    let start = docs.find("```jinja\n").unwrap() + "```jinja\n".len();
    let end = start + docs[start..].find("\n```\n").unwrap();
    format!("{}\n", &docs[start..end])
}

/// `decide --adr` in `dir`, for the caching topic of the SaaS example.
fn decide_adr(dir: &Path, extra: &[&str]) -> crate::support::Run {
    let answers = crate::support::repo().join("examples/saas-startup.toml");
    let mut args = vec![
        "decide",
        "-a",
        answers.to_str().unwrap(),
        "-t",
        "caching",
        "--adr",
    ];
    args.extend_from_slice(extra);
    args.extend_from_slice(&["--adr-title", "{decision}"]);
    Tradeoff::new(&args).dir(dir).run()
}

#[test]
fn decide_writes_records_in_a_teams_own_template() {
    let s = Scratch::new();
    adr(s.path(), &["init"]).success();
    s.write("mine.md.j2", &documented_template());
    decide_adr(s.path(), &["--adr-template", "mine.md.j2"])
        .success()
        .stderr_has("created docs/decisions/0001-caching-strategy-no-cache.md");
    let record = s.read("docs/decisions/0001-caching-strategy-no-cache.md");
    assert!(
        record.starts_with(
            "# Caching strategy: No cache\n\nDate: 2026-11-21\nStatus: proposed\n\n## Decision\n\n\
             In the context of caching strategy for Invoicing SaaS for small businesses (seed stage), we decided for No cache, because "
        ),
        "{record}"
    );
    assert!(record.contains("\n## Alternatives\n\n* "), "{record}");
    assert!(record.ends_with("-->\n"), "{record}");
    // The block is kept: the decision is known to be on record, and reviewable.
    decide_adr(s.path(), &["--adr-template", "mine.md.j2"])
        .success()
        .stderr_has("unchanged docs/decisions/0001-caching-strategy-no-cache.md");
    adr(s.path(), &["review"]).success().stdout_has("holds");
    adr(s.path(), &["check"]).success();
}

#[test]
fn a_template_in_the_adr_directory_is_used_for_decide_only() {
    let s = Scratch::new();
    adr(s.path(), &["init", "--format", "nygard"]).success();
    s.write(
        "doc/adr/templates/decide.md",
        "# {{ number }}. {{ title }}\n\nDate: {{ date }}\n\n## Status\n\nProposed\n\n## Context\n\n{{ topic.problem }}\n\n## Decision\n\nWe will use {{ chosen.name | md }}.\n\n## Consequences\n\n{% for text in chosen.good %}\n* {{ text | md }}\n{% endfor %}\n\n{{ block }}\n",
    );
    decide_adr(s.path(), &[]).success();
    let record = s.read("doc/adr/0002-caching-strategy-no-cache.md");
    assert!(
        record.starts_with("# 2. Caching strategy: No cache\n\nDate: 2026-11-21\n\n## Status\n\nProposed\n\n## Context\n\n"),
        "{record}"
    );
    assert!(
        record.contains("## Decision\n\nWe will use No cache.\n\n## Consequences\n\n* "),
        "{record}"
    );
    // `adr new` keeps adr-tools' template, not decide's.
    adr(s.path(), &["new", "Use", "X"]).success();
    assert!(
        s.read("doc/adr/0003-use-x.md")
            .contains("The issue motivating this decision")
    );
}

#[test]
fn a_template_that_does_not_render_is_invalid_data_and_writes_nothing() {
    let s = Scratch::new();
    adr(s.path(), &["init"]).success();
    let cases = [
        (
            "# {{ title }}\n\n{% if risks %}\n{{ titel }}\n{% endif %}\n",
            [
                "bad.md:4:4",
                "`titel` is not a variable of this template",
                "did you mean `title`?",
            ],
        ),
        (
            "# {{ title }\n",
            [
                "bad.md:1:12",
                "syntax error: unexpected `}`, expected end of variable block",
                "bad.md",
            ],
        ),
        (
            "# {{ title }}\n\n{{ chosen.nmae }}\n",
            ["bad.md:3:4", "`chosen.nmae` is undefined", "bad.md"],
        ),
    ];
    for (text, expected) in cases {
        s.write("bad.md", text);
        let run = decide_adr(s.path(), &["--adr-template", "bad.md"]).code(65);
        for needle in expected {
            assert!(
                run.stderr.contains(needle),
                "{needle:?} not in:\n{}",
                run.stderr
            );
        }
        assert_eq!(
            s.names("docs/decisions"),
            ["0000-use-markdown-architectural-decision-records.md"]
        );
    }
    std::fs::write(s.path().join("bad.md"), b"# \xff{{ title }}\n").unwrap();
    decide_adr(s.path(), &["--adr-template", "bad.md"])
        .code(65)
        .stderr_has("the template `bad.md` is not UTF-8 text");
    decide_adr(s.path(), &["--adr-template", "missing.md"]).code(66);
    Tradeoff::new(&[
        "decide",
        "-a",
        "examples/saas-startup.toml",
        "--adr-template",
        "x.md",
    ])
    .run()
    .code(2);
}

#[test]
fn a_template_without_the_block_works_with_a_warning() {
    let s = Scratch::new();
    s.write("short.md", "# {{ title }}\n");
    decide_adr(s.path(), &["docs/decisions", "--adr-template", "short.md"])
        .success()
        .stderr_has("warning: `short.md` leaves out `{{ block }}`");
    assert_eq!(
        s.read("docs/decisions/0001-caching-strategy-no-cache.md"),
        "# Caching strategy: No cache\n"
    );
}
