//! The fuzzers' kept corpus, replayed on every `cargo test`.
//!
//! `fuzz/corpus/<target>/` holds the inputs cargo-fuzz found that reach new
//! code (minimised), and any input that once crashed. Each is fed through
//! the same entry point as its fuzz target (`tradeoff::fuzzing`), so a
//! regression in the loaders, the answers parser, the evaluator or a
//! renderer that the fuzzer once covered fails here, with no nightly and no
//! fuzzer installed. Every file is run; the failures are listed together.

use crate::support::repo;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;

fn corpus(target: &str) -> Vec<PathBuf> {
    let dir = repo().join("fuzz/corpus").join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// Runs every file of a target's corpus; returns how many there were.
fn replay(target: &str, entry: fn(&[u8]) -> Result<String, String>) -> usize {
    let files = corpus(target);
    let mut panics = Vec::new();
    for path in &files {
        let data = std::fs::read(path).unwrap();
        if catch_unwind(AssertUnwindSafe(|| entry(&data))).is_err() {
            panics.push(
                path.strip_prefix(repo())
                    .unwrap_or(path)
                    .display()
                    .to_string(),
            );
        }
    }
    assert!(
        panics.is_empty(),
        "{} corpus inputs panic:\n{}",
        panics.len(),
        panics.join("\n")
    );
    files.len()
}

#[test]
fn the_answers_corpus_never_panics() {
    let n = replay("answers", tradeoff::fuzzing::answers_file);
    assert!(n >= 10, "only {n} files in fuzz/corpus/answers");
}

#[test]
fn the_rule_base_corpus_never_panics() {
    let n = replay("rule_base", tradeoff::fuzzing::rule_base_file);
    assert!(n >= 10, "only {n} files in fuzz/corpus/rule_base");
}

#[test]
fn the_adr_record_corpus_never_panics() {
    let n = replay("adr_record", tradeoff::fuzzing::adr_record);
    assert!(n >= 10, "only {n} files in fuzz/corpus/adr_record");
}
