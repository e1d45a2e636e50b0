//! The documentation's commands, run as a reader would run them.
//!
//! A reader copies commands from README.md, docs/*.md and benches/README.md,
//! so each one must work, and each shown output must be what tradeoff prints.
//! The conventions the documents follow, and this test enforces:
//!
//! - A ```` ```sh ```` block holds commands only, one per line (an optional
//!   `$ ` prompt is dropped). Outputs go in ```` ```text ```` blocks.
//! - A line that starts with `tradeoff` is run with the built binary, after
//!   any leading `NAME=VALUE` words, which set environment variables. It runs
//!   in a scratch directory holding a copy of the repository's examples and
//!   test inputs ([`INPUTS`]), so commands that write files (`merge -o`,
//!   `rules export`, `adr init`) leave the repository alone. The documents'
//!   blocks run in order in one scratch directory per document, so a later
//!   block may use what an earlier one wrote.
//! - It must exit 0, unless a trailing comment states otherwise:
//!   `# exit N` (the rest of the comment is free text) expects exit N, and
//!   `# needs a terminal` expects an interactive session's refusal without
//!   one (exit 2, "needs a terminal"), which shows its arguments parsed.
//!   Any other trailing comment is free text.
//! - Any other line (cargo, rustup, the release steps) must be one of
//!   [`KNOWN`], exactly: they build or install, so this test does not run
//!   them, but a new one has to be added here, where a reviewer sees it.
//! - Shell syntax outside quotes (pipes, redirects, `;`, `&`, `$`,
//!   backticks, globs) is refused: the test runs no shell.
//! - A ```` ```text ```` block whose first line is `$ tradeoff ...` is a
//!   transcript: the command runs (in a fresh scratch directory, at the
//!   tests' usual width of 100 columns) and every line shown after it must
//!   be one it prints, in the order printed on standard output or on
//!   standard error; a line of `...` stands for any number of lines left
//!   out.
//!
//! Every relative link between these documents must lead to a file that
//! exists and, with a `#fragment`, to one of its headings.

use crate::support::{Scratch, Tradeoff, repo};
use std::path::{Path, PathBuf};

/// What each scratch directory holds: the inputs the documents' commands read.
const INPUTS: &[&str] = &[
    "examples",
    "tests/diff",
    "tests/fixtures/scan",
    "tests/lint",
    "tests/merge",
    "tests/scenarios",
];

/// The lines the documents may show that are not `tradeoff` commands: the
/// two commands, installing, the release build and its checks, benchmarks,
/// the longer test runs, snapshots and fuzzing.
const KNOWN: &[&str] = &[
    "cargo run --release -- decide --answers examples/saas-startup.toml",
    "cargo test",
    "cargo install --path .",
    "cargo build --release",
    "cargo build --release --target x86_64-unknown-linux-musl",
    "rustup target add x86_64-unknown-linux-musl",
    r#"RUSTFLAGS="-C target-feature=+crt-static" cargo build --release --target x86_64-unknown-linux-gnu"#,
    "ldd target/x86_64-unknown-linux-gnu/release/tradeoff",
    "strip target/x86_64-unknown-linux-gnu/release/tradeoff",
    "cargo bench --bench decide",
    "cargo bench --bench scale",
    "cargo bench --bench adr",
    "cargo bench --bench scan",
    "TIPPING_CASES=200 cargo test tipping",
    "PROPTEST_CASES=2000 cargo test --test integration properties",
    "UPDATE_EXPECT=1 cargo test --test integration malformed",
    "cargo insta review",
    "cargo install cargo-fuzz",
    "cd fuzz",
    "cargo fuzz run answers --sanitizer none -- -max_total_time=600",
    "cargo fuzz run rule_base --sanitizer none -- -max_total_time=600",
    "cargo fuzz run adr_record --sanitizer none -- -max_total_time=600",
    "cargo fuzz cmin answers --sanitizer none -- -use_counters=0",
];

/// The documents whose commands are checked.
fn documents() -> Vec<PathBuf> {
    let root = repo();
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root.join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    docs.insert(0, root.join("README.md"));
    docs.push(root.join("benches/README.md"));
    docs
}

/// A document's path as the repository names it, for messages.
fn named(path: impl AsRef<Path>) -> String {
    let path = path.as_ref();
    let root = repo();
    path.strip_prefix(&root)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// A fenced block: its info string, and its lines with their line numbers.
struct Block {
    info: String,
    lines: Vec<(usize, String)>,
}

/// The fenced blocks of a Markdown text. A fence may be indented (in a
/// list item); its lines then lose that indentation, and keep the rest.
fn blocks(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut open: Option<(usize, Block)> = None;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        match (&mut open, trimmed.strip_prefix("```")) {
            (None, Some(info)) => {
                let info = info.trim().to_owned();
                open = Some((
                    indent,
                    Block {
                        info,
                        lines: Vec::new(),
                    },
                ));
            }
            (Some(_), Some(_)) => out.extend(open.take().map(|(_, block)| block)),
            (Some((fence, block)), None) => {
                let content = line.get(indent.min(*fence)..).unwrap_or("");
                block.lines.push((i + 1, content.to_owned()));
            }
            (None, None) => {}
        }
    }
    assert!(open.is_none(), "a fenced block is never closed");
    out
}

/// One line of a `sh` block, parsed.
#[derive(Debug)]
enum Step {
    Run {
        env: Vec<(String, String)>,
        args: Vec<String>,
        expect: Expect,
    },
    Known,
}

#[derive(Debug, PartialEq)]
enum Expect {
    Exit(i32),
    NoTerminal,
}

/// Splits a command line into the command and its trailing comment, and
/// the command into words, honouring single and double quotes. Refuses
/// shell syntax outside quotes.
fn words(line: &str) -> Result<(Vec<String>, String), String> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut quote: Option<char> = None;
    for (at, c) in line.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.get_or_insert_with(String::new).push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                word.get_or_insert_with(String::new);
            }
            (None, '#') if word.is_none() => {
                return Ok((words, line[at + 1..].trim().to_owned()));
            }
            (None, c) if c.is_whitespace() => words.extend(word.take()),
            (None, '|' | '<' | '>' | ';' | '&' | '$' | '`' | '*' | '?' | '\\') => {
                return Err(format!("shell syntax `{c}`"));
            }
            (None, c) => word.get_or_insert_with(String::new).push(c),
        }
    }
    if quote.is_some() {
        return Err("an unclosed quote".to_owned());
    }
    words.extend(word);
    Ok((words, String::new()))
}

fn is_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(name, _)| {
        !name.is_empty() && name.chars().all(|c| c.is_ascii_uppercase() || c == '_')
    })
}

/// What a trailing comment says about the outcome.
fn expectation(comment: &str) -> Result<Expect, String> {
    if comment.starts_with("needs a terminal") {
        return Ok(Expect::NoTerminal);
    }
    let Some(rest) = comment.strip_prefix("exit ") else {
        return Ok(Expect::Exit(0));
    };
    let code: String = rest.chars().take_while(char::is_ascii_digit).collect();
    code.parse()
        .map(Expect::Exit)
        .map_err(|_| format!("`# exit` without a code: {comment:?}"))
}

fn step(line: &str) -> Result<Step, String> {
    let line = line.strip_prefix("$ ").unwrap_or(line);
    let (words, comment) = words(line)?;
    let command_at = words.iter().take_while(|w| is_assignment(w)).count();
    match words.get(command_at).map(String::as_str) {
        Some("tradeoff") => Ok(Step::Run {
            env: words[..command_at]
                .iter()
                .filter_map(|w| w.split_once('='))
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect(),
            args: words[command_at + 1..].to_vec(),
            expect: expectation(&comment)?,
        }),
        _ => {
            let command = line.split(" #").next().unwrap_or(line).trim();
            if KNOWN.contains(&command) {
                Ok(Step::Known)
            } else {
                Err(format!(
                    "`{command}` is neither a tradeoff command nor one of KNOWN"
                ))
            }
        }
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

/// A scratch directory with the inputs the documents' commands read.
fn workspace() -> Scratch {
    let scratch = Scratch::new();
    for input in INPUTS {
        copy_dir(&repo().join(input), &scratch.path().join(input));
    }
    scratch
}

/// The binary, run as the documents' reader runs it: no editor, no policy,
/// no template, nothing on standard input.
fn tradeoff(args: &[String], env: &[(String, String)], dir: &Path) -> crate::support::Run {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut run = Tradeoff::new(&args)
        .dir(dir)
        .env_remove("VISUAL")
        .env_remove("EDITOR")
        .env_remove("ADR_TEMPLATE")
        .env_remove("TRADEOFF_POLICY");
    for (key, value) in env {
        run = run.env(key, value);
    }
    run.run()
}

/// Runs one document's `sh` blocks; returns how many commands ran.
fn run_commands(doc: &Path, text: &str) -> usize {
    let scratch = workspace();
    let mut ran = 0;
    for block in blocks(text).iter().filter(|b| b.info == "sh") {
        for (number, line) in block.lines.iter().filter(|(_, l)| !l.trim().is_empty()) {
            let at = format!("{}:{number}: `{line}`", named(doc));
            match step(line.trim()).unwrap_or_else(|e| panic!("{at}: {e}")) {
                Step::Known => {}
                Step::Run { env, args, expect } => {
                    let run = tradeoff(&args, &env, scratch.path());
                    let outcome = match expect {
                        Expect::Exit(code) => run.code == code,
                        Expect::NoTerminal => {
                            run.code == 2 && run.stderr.contains("needs a terminal")
                        }
                    };
                    assert!(
                        outcome && !run.stderr.contains("panicked"),
                        "{at}: expected {expect:?}, got exit {}\nstdout:\n{}\nstderr:\n{}",
                        run.code,
                        run.stdout,
                        run.stderr
                    );
                    ran += 1;
                }
            }
        }
    }
    ran
}

/// An output stream read in order: a transcript's lines may come from
/// standard output or standard error, each in the order printed.
struct Stream<'a> {
    lines: Vec<&'a str>,
    next: usize,
}

impl<'a> Stream<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            lines: text.lines().map(str::trim_end).collect(),
            next: 0,
        }
    }

    /// Moves past the next line equal to `line`, if there is one.
    fn find(&mut self, line: &str) -> bool {
        let found = self.lines[self.next..]
            .iter()
            .position(|l| *l == line.trim_end());
        if let Some(at) = found {
            self.next += at + 1;
        }
        found.is_some()
    }
}

/// Checks one document's transcripts; returns how many it checked.
fn check_transcripts(doc: &Path, text: &str) -> usize {
    let mut checked = 0;
    for block in blocks(text).iter().filter(|b| b.info == "text") {
        let Some(((number, first), output)) = block.lines.split_first() else {
            continue;
        };
        let Some(command) = first.strip_prefix("$ tradeoff") else {
            continue;
        };
        let at = format!("{}:{number}: `{first}`", named(doc));
        let (args, _) = words(command).unwrap_or_else(|e| panic!("{at}: {e}"));
        let scratch = workspace();
        let run = tradeoff(&args, &[], scratch.path());
        let mut streams = [Stream::new(&run.stdout), Stream::new(&run.stderr)];
        for (n, expected) in output.iter().filter(|(_, l)| l != "...") {
            assert!(
                streams.iter_mut().any(|s| s.find(expected)),
                "{}:{n}: this line of the transcript at {at} is not in what it prints (in order):\n{expected}\n\nstdout:\n{}\nstderr:\n{}",
                named(doc),
                run.stdout,
                run.stderr
            );
        }
        checked += 1;
    }
    checked
}

#[test]
fn every_command_in_the_documentation_runs_as_documented() {
    let mut ran = 0;
    for doc in documents() {
        let text = std::fs::read_to_string(&doc).unwrap();
        for block in blocks(&text) {
            assert!(
                !["bash", "shell", "console", "shell-session"].contains(&block.info.as_str()),
                "{}: write commands in `sh` blocks and outputs in `text` blocks, not `{}`",
                named(doc),
                block.info
            );
        }
        ran += run_commands(&doc, &text);
    }
    assert!(ran >= 40, "only {ran} documented commands ran");
}

#[test]
fn every_transcript_in_the_documentation_is_what_tradeoff_prints() {
    let checked: usize = documents()
        .iter()
        .map(|doc| check_transcripts(doc, &std::fs::read_to_string(doc).unwrap()))
        .sum();
    assert!(checked >= 4, "only {checked} transcripts checked");
}

#[test]
fn the_readme_shows_the_two_commands() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let commands: Vec<String> = blocks(&readme)
        .into_iter()
        .filter(|b| b.info == "sh")
        .flat_map(|b| b.lines)
        .map(|(_, line)| line.split(" #").next().unwrap_or("").trim().to_owned())
        .collect();
    for command in [
        "cargo run --release -- decide --answers examples/saas-startup.toml",
        "cargo test",
    ] {
        assert!(
            commands.iter().any(|c| c == command),
            "README.md does not show `{command}`"
        );
    }
}

/// GitHub's anchor for a heading: lower case, punctuation dropped, spaces
/// as hyphens.
fn anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '-' || *c == '_' || *c == ' ')
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// The anchors of a Markdown file's headings (outside fenced blocks).
fn anchors(text: &str) -> Vec<String> {
    let mut fenced = false;
    let mut out = Vec::new();
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        } else if !fenced && line.starts_with('#') {
            out.push(anchor(line.trim_start_matches('#')));
        }
    }
    out
}

/// The targets of a text's inline links, `[text](target)`.
fn links(text: &str) -> Vec<&str> {
    text.match_indices("](")
        .filter_map(|(at, _)| {
            let rest = &text[at + 2..];
            rest.find(')').map(|end| &rest[..end])
        })
        .collect()
}

#[test]
fn every_link_between_the_documents_leads_somewhere() {
    for doc in documents() {
        let text = std::fs::read_to_string(&doc).unwrap();
        let dir = doc.parent().unwrap();
        for link in links(&text).into_iter().filter(|l| !l.contains("://")) {
            let (path, fragment) = link.split_once('#').unwrap_or((link, ""));
            let target = if path.is_empty() {
                doc.clone()
            } else {
                dir.join(path)
            };
            assert!(
                target.exists(),
                "{}: link to {link}: no such file",
                named(doc)
            );
            if !fragment.is_empty() {
                let headings = anchors(&std::fs::read_to_string(&target).unwrap());
                assert!(
                    headings.iter().any(|h| h == fragment),
                    "{}: link to {link}: no such heading in {} (headings: {headings:?})",
                    named(doc),
                    named(&target)
                );
            }
        }
    }
}

#[test]
fn command_lines_are_read_as_documented() {
    let Step::Run { env, args, expect } =
        step("$ TRADEOFF_RULES_PACK=examples/pack-acme tradeoff adr link 3 Amends 1 \"Amended by\"   # exit 1: why")
            .unwrap()
    else {
        panic!("not run");
    };
    assert_eq!(
        env,
        [(
            "TRADEOFF_RULES_PACK".to_owned(),
            "examples/pack-acme".to_owned()
        )]
    );
    assert_eq!(args, ["adr", "link", "3", "Amends", "1", "Amended by"]);
    assert_eq!(expect, Expect::Exit(1));
    let Step::Run { expect, .. } = step("tradeoff   # needs a terminal").unwrap() else {
        panic!("not run");
    };
    assert_eq!(expect, Expect::NoTerminal);
    assert!(matches!(
        step("cargo test   # the whole test suite"),
        Ok(Step::Known)
    ));
    for refused in [
        "tradeoff questions --format toml > answers.toml",
        "tradeoff decide --answers - < answers.toml",
        "tradeoff topics | head",
        "tradeoff decide --answers $FILE",
        "tradeoff decide --answers \"unclosed",
        "cargo test --release",
        "rm -rf target",
    ] {
        assert!(step(refused).is_err(), "{refused}");
    }
}
