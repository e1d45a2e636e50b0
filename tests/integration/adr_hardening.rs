//! Decision records under concurrent writers, killed runs and hostile
//! input: no lost link, no duplicate record, no stale lock or temporary
//! file, and one bad record never stops the rest.

use crate::support::{Scratch, Tradeoff};
use std::path::Path;
use std::process::{Child, Command, Stdio};

fn spawn(dir: &Path, args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_tradeoff"))
        .args(args)
        .current_dir(dir)
        .env("ADR_DATE", "1992-01-12")
        .env("VISUAL", "")
        .env("EDITOR", "")
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

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

/// Files in the ADR directory that are not records: locks, journals, temporaries.
fn leftovers(s: &Scratch, sub: &str) -> Vec<String> {
    s.names(sub)
        .into_iter()
        .filter(|n| !n.ends_with(".md") || n.starts_with('.'))
        .collect()
}

fn wait_all(children: Vec<Child>) {
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
}

#[test]
fn parallel_links_and_supersessions_lose_nothing() {
    let s = Scratch::new();
    adr(s.path(), &["new", "First"]).success();
    adr(s.path(), &["new", "Second"]).success();
    for i in 0..20 {
        adr(s.path(), &["new", &format!("Linker {i}")]).success();
    }
    // 20 records link record 1 at once: 20 reverse links in it.
    let children = (3..23)
        .map(|n| {
            spawn(
                s.path(),
                &["adr", "link", &n.to_string(), "Amends", "1", "Amended by"],
            )
        })
        .collect();
    wait_all(children);
    let first = s.read("doc/adr/0001-first.md");
    assert_eq!(first.matches("Amended by [").count(), 20, "{first}");
    // 10 new records supersede record 2 at once: 10 successors in it.
    let children = (0..10)
        .map(|i| {
            spawn(
                s.path(),
                &["adr", "new", "-s", "2", &format!("Successor {i}")],
            )
        })
        .collect();
    wait_all(children);
    let second = s.read("doc/adr/0002-second.md");
    assert_eq!(second.matches("Superceded by [").count(), 10, "{second}");
    let numbers: std::collections::BTreeSet<String> = s
        .names("doc/adr")
        .iter()
        .map(|n| n[..4].to_owned())
        .collect();
    assert_eq!(numbers.len(), 32, "{:?}", s.names("doc/adr"));
    assert_eq!(leftovers(&s, "doc/adr"), Vec::<String>::new());
    adr(s.path(), &["check"]).success();
}

#[test]
fn parallel_identical_decisions_write_one_record() {
    let s = Scratch::new();
    let answers = crate::support::repo().join("examples/saas-startup.toml");
    let answers = answers.to_str().unwrap();
    let args = [
        "decide",
        "-a",
        answers,
        "-t",
        "caching",
        "--adr",
        "docs/decisions",
    ];
    let children = (0..10).map(|_| spawn(s.path(), &args)).collect();
    wait_all(children);
    assert_eq!(
        s.names("docs/decisions").len(),
        1,
        "{:?}",
        s.names("docs/decisions")
    );
}

#[test]
fn killed_writers_leave_no_one_sided_link_and_no_stale_file() {
    let s = Scratch::new();
    adr(s.path(), &["new", "Target"]).success();
    for i in 0..12 {
        adr(s.path(), &["new", &format!("Source {i}")]).success();
    }
    let mut children: Vec<Child> = (2..14)
        .map(|n| {
            spawn(
                s.path(),
                &["adr", "link", &n.to_string(), "Amends", "1", "Amended by"],
            )
        })
        .collect();
    for (i, child) in children.iter_mut().enumerate() {
        if i % 2 == 0 {
            let _ = child.kill();
        }
    }
    for mut child in children {
        let _ = child.wait();
    }
    // The next run completes any edit a killed one left half done.
    adr(s.path(), &["list"]).success();
    let check = adr(s.path(), &["check"]).success().stdout;
    assert!(!check.contains("one-sided"), "{check}");
    assert_eq!(leftovers(&s, "doc/adr"), Vec::<String>::new());
}

#[test]
fn a_journal_left_by_a_killed_run_is_completed_by_the_next() {
    let s = Scratch::new();
    adr(s.path(), &["new", "A"]).success();
    adr(s.path(), &["new", "B"]).success();
    let a = s.read("doc/adr/0001-a.md");
    let linked = a.replace(
        "Accepted\n\n",
        "Accepted\n\nAmended by [2. B](0002-b.md)\n\n",
    );
    // A run that wrote its journal and record 1, then died before record 2.
    let journal = serde_json::json!({
        "writes": [
            {"file": "0001-a.md", "before": null, "after": linked},
            {"file": "0002-b.md",
             "before": format!("{:x}", sha2_digest(&s.read("doc/adr/0002-b.md"))),
             "after": s.read("doc/adr/0002-b.md").replace("Accepted\n\n", "Accepted\n\nAmends [1. A](0001-a.md)\n\n")},
        ]
    });
    std::fs::write(s.path().join("doc/adr/0001-a.md"), &linked).unwrap();
    s.write("doc/adr/.tradeoff-journal.json", &journal.to_string());
    s.write("doc/adr/.tradeoff-record-abc123.tmp", "half a record");
    s.write("doc/adr/.0003.lock", "");
    adr(s.path(), &["list"])
        .success()
        .stderr_has("completed an interrupted edit of 0002-b.md");
    assert!(
        s.read("doc/adr/0002-b.md")
            .contains("Amends [1. A](0001-a.md)")
    );
    assert_eq!(leftovers(&s, "doc/adr"), Vec::<String>::new());
}

fn sha2_digest(text: &str) -> impl std::fmt::LowerHex {
    use sha2::Digest as _;
    sha2::Sha256::digest(text.as_bytes())
}

#[test]
fn one_sided_links_are_found_and_repaired() {
    let s = Scratch::new();
    adr(s.path(), &["new", "A"]).success();
    adr(s.path(), &["new", "B"]).success();
    let b = s.read("doc/adr/0002-b.md");
    s.write(
        "doc/adr/0002-b.md",
        &b.replace("Accepted\n\n", "Accepted\n\nAmends [1. A](0001-a.md)\n\n"),
    );
    adr(s.path(), &["check"])
        .success()
        .stdout_has("warning: 0002-b.md: links 0001-a.md (Amends), which has no link back");
    adr(s.path(), &["check", "--fix"])
        .success()
        .stdout_has("fixed: 0001-a.md: added `Amended by` 0002-b.md");
    assert!(
        s.read("doc/adr/0001-a.md")
            .contains("Amended by [2. B](0002-b.md)")
    );
    let after = adr(s.path(), &["check"]).success().stdout;
    assert!(after.contains("0 errors, 0 warnings"), "{after}");
}

#[test]
fn one_unreadable_record_is_reported_and_the_rest_go_on() {
    let s = Scratch::new();
    adr(s.path(), &["new", "Good"]).success();
    std::fs::write(s.path().join("doc/adr/0002-bad.md"), b"# 2. Bad \xff\xfe\n").unwrap();
    adr(s.path(), &["new", "Later"]).success();
    let list = adr(s.path(), &["list"]).success().stdout;
    assert!(
        list.contains("Good") && list.contains("unreadable: 0002-bad.md") && list.contains("Later"),
        "{list}"
    );
    adr(s.path(), &["toc"])
        .success()
        .stdout_has("0003-later.md");
    adr(s.path(), &["check"])
        .code(1)
        .stdout_has("error: 0002-bad.md: cannot be read: it is not UTF-8 text");
    adr(s.path(), &["link", "3", "Amends", "1", "Amended by"]).success();
    adr(s.path(), &["status", "2", "rejected"])
        .code(1)
        .stderr_has("0002-bad.md");
}

#[test]
fn an_adr_dir_outside_the_repository_is_refused_unless_given() {
    let s = Scratch::new();
    std::fs::create_dir_all(s.path().join("repo/.git")).unwrap();
    s.write("repo/.adr-dir", "../../outside\n");
    let repo = s.path().join("repo");
    adr(&repo, &["new", "Escape"])
        .code(66)
        .stderr_has("outside the repository");
    adr(&repo, &["list"]).code(66);
    assert!(!s.path().join("outside").exists());
    let outside = s.path().join("elsewhere");
    Tradeoff::new(&["adr", "--dir", outside.to_str().unwrap(), "new", "Given"])
        .dir(&repo)
        .env("VISUAL", "")
        .env("EDITOR", "")
        .run()
        .success();
    assert!(outside.join("0001-given.md").exists());
}

#[test]
fn hostile_titles_make_sound_file_names() {
    let s = Scratch::new();
    let long = "word ".repeat(60);
    adr(s.path(), &["new", &long]).success();
    adr(s.path(), &["new", "Use X\nand Y"]).success();
    adr(s.path(), &["new", "Использовать кэш"]).success();
    adr(s.path(), &["new", "???"]).success();
    adr(s.path(), &["new", ""])
        .code(2)
        .stderr_has("ERROR: no title given");
    let names = s.names("doc/adr");
    assert!(
        names.iter().all(|n| n.len() < 120 && !n.contains("-.md")),
        "{names:?}"
    );
    assert!(
        names.contains(&"0002-use-x-and-y.md".to_owned()),
        "{names:?}"
    );
    assert!(
        names.contains(&"0003-ispol-zovat-kesh.md".to_owned()),
        "{names:?}"
    );
    assert!(names.contains(&"0004-decision.md".to_owned()), "{names:?}");
    let list = adr(s.path(), &["list", "--format", "json"])
        .success()
        .stdout;
    assert!(list.contains("\"title\": \"Use X and Y\""), "{list}");
}

#[test]
fn record_numbers_past_9999_sort_numerically_and_continue() {
    let s = Scratch::new();
    s.write(
        "doc/adr/9999-a.md",
        "# 9999. A\n\nDate: 2020-01-01\n\n## Status\n\nAccepted\n",
    );
    adr(s.path(), &["new", "B"])
        .success()
        .stdout_has("doc/adr/10000-b.md");
    adr(s.path(), &["new", "C"])
        .success()
        .stdout_has("doc/adr/10001-c.md");
    let paths = adr(s.path(), &["list", "--format", "paths"])
        .success()
        .stdout;
    assert_eq!(
        paths,
        "doc/adr/9999-a.md\ndoc/adr/10000-b.md\ndoc/adr/10001-c.md\n"
    );
    s.write("doc/adr/4294967295-last.md", "# Last\n");
    adr(s.path(), &["new", "D"])
        .code(73)
        .stderr_has("too large");
}

#[test]
fn runaway_templates_stop_with_a_clear_error() {
    let s = Scratch::new();
    s.write(
        "doc/adr/templates/template.md",
        "{% for a in range(100000) %}{% for b in range(100000) %}{{ title }}{% endfor %}{% endfor %}\n",
    );
    adr(s.path(), &["new", "Loop"])
        .code(65)
        .stderr_has("larger than 1 MiB");
    s.write(
        "doc/adr/templates/template.md",
        "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}\n",
    );
    adr(s.path(), &["new", "Loop"]).code(65).stderr_has("steps");
    assert!(s.names("doc/adr").iter().all(|n| !n.ends_with(".md")));
    let answers = crate::support::repo().join("examples/saas-startup.toml");
    s.write(
        "loop.j2",
        "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}\n",
    );
    Tradeoff::new(&[
        "decide",
        "-a",
        answers.to_str().unwrap(),
        "-t",
        "caching",
        "--adr",
        "out",
        "--adr-template",
        "loop.j2",
    ])
    .dir(s.path())
    .run()
    .code(65)
    .stderr_has("steps");
}
