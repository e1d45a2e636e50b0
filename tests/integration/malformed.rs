//! Malformed inputs and the exact errors they must produce.
//!
//! `tests/malformed/` holds one case per mistake a user can make, with the
//! whole expected standard error and exit code (see its README for the
//! layout). Every case is run through the real binary, colours off, and
//! compared byte for byte; all mismatches are reported together.
//! `UPDATE_EXPECT=1 cargo test --test integration malformed` rewrites the
//! expectations from what the binary prints now: review the diff.

use crate::support::{Tradeoff, repo};
use std::path::{Path, PathBuf};

const ANSWERS_ARGS: &str = "decide --answers FILE";
const RULES_ARGS: &str = "--rules rules rules check";
/// Suffix of a file whose text goes before the built-in file's.
const PREPEND: &str = ".prepend";
/// Suffix of an empty file that deletes the built-in file or folder.
const DELETE: &str = ".delete";

fn dir() -> PathBuf {
    repo().join("tests/malformed")
}

fn sorted(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    entries
}

/// The arguments in `path` (whitespace-separated, `FILE` standing for the
/// case's input), or the default.
fn args(path: &Path, default: &str, file: &str) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|_| default.to_owned());
    text.split_whitespace()
        .map(|a| {
            if a == "FILE" {
                file.to_owned()
            } else {
                a.to_owned()
            }
        })
        .collect()
}

/// Compares (or, with `UPDATE_EXPECT`, rewrites) one expectation.
fn check(expected: &Path, code: i32, stderr: &str, failures: &mut Vec<String>) {
    let actual = format!("exit: {code}\n{stderr}");
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(expected, &actual).unwrap();
        return;
    }
    let want = std::fs::read_to_string(expected).unwrap_or_default();
    if want != actual {
        failures.push(format!(
            "{}\n--- expected\n{want}\n--- actual\n{actual}",
            expected.strip_prefix(repo()).unwrap_or(expected).display()
        ));
    }
}

fn report(failures: &[String], cases: usize) {
    assert!(
        failures.is_empty(),
        "{} of {cases} cases differ (UPDATE_EXPECT=1 to accept):\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn malformed_answers_produce_their_exact_errors() {
    let cases_dir = dir().join("answers");
    let mut failures = Vec::new();
    let mut cases = 0;
    for expected in sorted(&cases_dir) {
        if expected.extension().is_none_or(|e| e != "stderr") {
            continue;
        }
        cases += 1;
        let name = expected.file_stem().unwrap().to_string_lossy().into_owned();
        let input = format!("{name}.toml");
        let args = args(
            &cases_dir.join(format!("{name}.args")),
            ANSWERS_ARGS,
            &input,
        );
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = Tradeoff::new(&args).dir(&cases_dir).run();
        check(&expected, run.code, &run.stderr, &mut failures);
    }
    assert!(cases >= 25, "only {cases} answers cases");
    report(&failures, cases);
}

/// Copies `from` into `to`, recursively.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for path in sorted(from) {
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

/// Lays a case's files over a rule base: replacing, prepending, deleting.
fn overlay(case: &Path, base: &Path, rules: &Path) {
    for path in sorted(case) {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            overlay(&path, &base.join(&name), &rules.join(&name));
        } else if let Some(target) = name.strip_suffix(PREPEND) {
            let mut text = std::fs::read(&path).unwrap();
            text.extend(std::fs::read(base.join(target)).unwrap());
            std::fs::write(rules.join(target), text).unwrap();
        } else if let Some(target) = name.strip_suffix(DELETE) {
            let target = rules.join(target);
            if target.is_dir() {
                std::fs::remove_dir_all(target).unwrap();
            } else {
                std::fs::remove_file(target).unwrap();
            }
        } else if name != "args" && name != "expected.stderr" {
            std::fs::create_dir_all(rules).unwrap();
            std::fs::copy(&path, rules.join(&name)).unwrap();
        }
    }
}

#[test]
fn malformed_rule_bases_produce_their_exact_errors() {
    let cases_dir = dir().join("rules");
    let builtin = repo().join("rules");
    let mut failures = Vec::new();
    let mut cases = 0;
    for case in sorted(&cases_dir) {
        if !case.is_dir() {
            continue;
        }
        cases += 1;
        // The built-in rule base, changed by the case, in `rules/` under a
        // fresh directory: diagnostics name `rules/...` as for the built-in.
        let scratch = tempfile::tempdir().unwrap();
        let rules = scratch.path().join("rules");
        copy_dir(&builtin, &rules);
        overlay(&case, &builtin, &rules);
        let args = args(&case.join("args"), RULES_ARGS, "");
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = Tradeoff::new(&args).dir(scratch.path()).run();
        check(
            &case.join("expected.stderr"),
            run.code,
            &run.stderr,
            &mut failures,
        );
    }
    assert!(cases >= 25, "only {cases} rule-base cases");
    report(&failures, cases);
}
