//! The records tradeoff writes pass markdownlint's default rules, but for
//! MD013 (line length): records hold whole sentences, rule summaries, web
//! addresses and table rows as written, one per line, so that a change to a
//! sentence is a one-line diff; MADR's own repository disables MD013 for the
//! same reason. The check runs markdownlint-cli2 through `npx` when Node is
//! there, and says it was skipped otherwise.

use crate::support::{Scratch, Tradeoff};
use std::path::Path;
use std::process::Command;

/// Every layout tradeoff writes, for the examples and a hostile title.
fn write_records(s: &Scratch) {
    let examples = ["saas-startup", "catalogue", "payments-ledger"];
    let saas =
        std::fs::read_to_string(crate::support::repo().join("examples/saas-startup.toml")).unwrap();
    let title = saas.lines().find(|l| l.starts_with("title")).unwrap();
    s.write(
        "hostile.toml",
        &saas.replace(
            title,
            "title = \"Use <b>bold</b> & `code` | pipes *now* [x](y) https://example.com/a_b.\"",
        ),
    );
    for layout in ["madr", "nygard", "log4brains"] {
        let dir = s.path().join(layout);
        std::fs::create_dir_all(&dir).unwrap();
        let adr = |args: &[&str]| {
            let mut all = vec!["adr"];
            all.extend_from_slice(args);
            Tradeoff::new(&all)
                .dir(&dir)
                .env("VISUAL", "")
                .env("EDITOR", "")
                .run()
                .success();
        };
        match layout {
            "log4brains" => {
                std::fs::create_dir_all(dir.join("docs/adr")).unwrap();
                std::fs::write(
                    dir.join(".log4brains.yml"),
                    "project:\n  adrFolder: ./docs/adr\n",
                )
                .unwrap();
            }
            format => adr(&["init", "--format", format]),
        }
        let mut answers: Vec<String> = examples
            .iter()
            .map(|e| {
                crate::support::repo()
                    .join(format!("examples/{e}.toml"))
                    .display()
                    .to_string()
            })
            .collect();
        answers.push(s.path().join("hostile.toml").display().to_string());
        for file in &answers {
            Tradeoff::new(&["decide", "-a", file, "--adr"])
                .dir(&dir)
                .run()
                .success();
        }
        adr(&["new", "Use <b>X</b> | `Y`"]);
        adr(&["new", "-s", "use-b-x-b-y", "Use Z"]);
    }
}

#[test]
fn records_pass_markdownlint() {
    let s = Scratch::new();
    write_records(&s);
    let has_npx = Command::new("npx")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_npx {
        eprintln!("notice: npx is not available; markdownlint-cli2 was not run on the records");
        return;
    }
    std::fs::write(
        s.path().join(".markdownlint-cli2.jsonc"),
        "{ \"config\": { \"MD013\": false } }\n",
    )
    .unwrap();
    let run = Command::new("npx")
        .args(["--yes", "markdownlint-cli2", "**/*.md"])
        .current_dir(s.path())
        .output()
        .unwrap();
    let out = format!(
        "{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    if !out.contains("Summary:") {
        eprintln!(
            "notice: markdownlint-cli2 could not be run ({out}); the records were not linted"
        );
        return;
    }
    assert!(run.status.success(), "markdownlint found problems:\n{out}");
    assert!(count_records(s.path()) > 60, "{out}");
}

fn count_records(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| {
                    let p = e.path();
                    if p.is_dir() {
                        count_records(&p)
                    } else {
                        usize::from(p.extension().is_some_and(|x| x == "md"))
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}
