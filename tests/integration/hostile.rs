//! Hostile and oversized input: files built to make error reporting or
//! parsing slow, and the limits that keep every run short and bounded.
//! The time limits are loose (a debug build on a busy machine), far below
//! what the quadratic versions took.

use crate::support::{Scratch, Tradeoff};
use std::time::{Duration, Instant};

/// Far above what these inputs take now, far below what they took when
/// each error re-read the whole file.
const LIMIT: Duration = Duration::from_secs(20);

fn answers_with_unknown_keys(count: usize, before: &str) -> String {
    let mut text = before.to_owned();
    text.push_str("[answers]\n");
    for i in 0..count {
        text.push_str(&format!("nope_{i} = 1\n"));
    }
    text
}

#[track_caller]
fn quick(args: &[&str], scratch: &Scratch) -> crate::support::Run {
    let started = Instant::now();
    let run = Tradeoff::new(args).dir(scratch.path()).run();
    let took = started.elapsed();
    assert!(took < LIMIT, "took {took:?}: {args:?}");
    run
}

#[test]
fn fifty_thousand_unknown_keys_are_reported_quickly_and_capped() {
    let scratch = Scratch::new();
    scratch.write("a.toml", &answers_with_unknown_keys(50_000, ""));
    let run = quick(&["decide", "--answers", "a.toml"], &scratch)
        .code(65)
        .stderr_has("unknown question `nope_0`")
        .stderr_has("... and 49950 more not shown")
        .stderr_has("error: found 50000 problems");
    assert_eq!(run.stderr.matches("error: unknown question").count(), 50);
}

#[test]
fn errors_after_megabytes_of_comments_are_reported_quickly() {
    let scratch = Scratch::new();
    let comments = format!("# {}\n", "x".repeat(98)).repeat(100_000);
    scratch.write("a.toml", &answers_with_unknown_keys(1_000, &comments));
    quick(&["decide", "--answers", "a.toml"], &scratch)
        .code(65)
        .stderr_has("a.toml:100002:1")
        .stderr_has("error: found 1000 problems");
}

#[test]
fn a_hundred_thousand_consulted_names_are_read_quickly() {
    let scratch = Scratch::new();
    let names: Vec<String> = (0..100_000)
        .map(|i| format!("\"p{}\"", i % 50_000))
        .collect();
    scratch.write(
        "a.toml",
        &format!("consulted = [{}]\n[answers]\n", names.join(",")),
    );
    // Read and de-duplicated: what stops the run is the missing answers.
    quick(&["decide", "--answers", "a.toml"], &scratch)
        .code(65)
        .stderr_has("missing answer");
}

#[test]
fn twenty_thousand_duplicate_policy_entries_are_reported_quickly() {
    let scratch = Scratch::new();
    let entry = "[[technology]]\ntopic = \"data-store\"\noption = \"document\"\nring = \"hold\"\n";
    scratch.write(
        "p.toml",
        &format!("[policy]\nname = \"radar\"\n{}", entry.repeat(20_000)),
    );
    quick(&["decide", "--policy", "p.toml"], &scratch)
        .code(65)
        .stderr_has("appears twice in the policy")
        .stderr_has("... and 19949 more not shown");
}
