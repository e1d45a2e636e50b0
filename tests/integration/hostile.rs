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

/// A rule base of one topic holding `rules` rules over 40 yes/no questions.
fn one_topic_base(scratch: &Scratch, rules: usize) {
    let mut questions = String::new();
    for i in 0..40 {
        questions.push_str(&format!(
            "[[question]]\nid = \"b{i}\"\nlabel = \"B{i}\"\nprompt = \"?\"\nhelp = \"h\"\nkind = \"bool\"\n\n"
        ));
    }
    scratch.write("rules/questions.toml", &questions);
    let mut topic = String::from(
        "[topic]\nid = \"t\"\ntitle = \"T\"\nproblem = \"Which?\"\nchoice = \"one\"\n\n",
    );
    for o in 0..3 {
        topic.push_str(&format!(
            "[[option]]\nid = \"o{o}\"\nname = \"O{o}\"\nsummary = \"o\"\n\n"
        ));
    }
    for r in 0..rules {
        topic.push_str(&format!(
            "[[rule]]\nid = \"r{r}\"\nsummary = \"s\"\nwhen.all = [{{ q = \"b{}\", eq = true }}, {{ q = \"b{}\", eq = {} }}]\n\
             score = {{ o{} = {} }}\nrationale = \"r\"\nsources = [\"Synthetic https://example.com\"]\n\n",
            r % 40,
            (r / 40) % 40,
            r % 2 == 0,
            r % 3,
            if r % 5 == 0 { -1 } else { 1 }
        ));
    }
    scratch.write("rules/topics/t.toml", &topic);
}

#[test]
fn checking_thousands_of_rules_in_one_topic_is_not_all_pairs() {
    let scratch = Scratch::new();
    one_topic_base(&scratch, 4_000);
    let run = quick(&["--rules", "rules", "rules", "check"], &scratch);
    assert!(run.stderr.contains("duplicates rule"), "{}", run.stderr);
}

#[test]
fn stdin_that_is_not_utf8_is_a_data_error_with_its_position() {
    let run = Tradeoff::new(&["decide", "--answers", "-"])
        .stdin_bytes(b"[answers]\nteam_size = \"\xff\"\n")
        .run()
        .code(65)
        .stderr_has("`<stdin>` is not UTF-8 text");
    assert!(run.stderr.contains("line 2, column 14"), "{}", run.stderr);
}

#[test]
fn diff_cannot_read_stdin_twice() {
    Tradeoff::new(&["diff", "-", "-"])
        .stdin("[answers]\n")
        .run()
        .code(2)
        .stderr_has("standard input can be read only once");
}

#[cfg(unix)]
#[test]
fn an_endless_answers_file_is_refused_at_the_size_limit() {
    Tradeoff::new(&["decide", "--answers", "/dev/zero"])
        .run()
        .code(65)
        .stderr_has("`/dev/zero` is larger than 16 MiB");
    Tradeoff::new(&["decide", "--policy", "/dev/zero"])
        .run()
        .code(65)
        .stderr_has("is larger than 16 MiB");
}

#[cfg(unix)]
#[test]
fn an_endless_template_is_refused_at_the_size_limit() {
    let scratch = Scratch::new();
    let answers = crate::support::repo().join("examples/saas-startup.toml");
    Tradeoff::new(&[
        "decide",
        "-a",
        answers.to_str().unwrap(),
        "-t",
        "caching",
        "--adr",
        "--adr-template",
        "/dev/zero",
    ])
    .dir(scratch.path())
    .run()
    .code(65)
    .stderr_has("`/dev/zero` is larger than 16 MiB");
}

/// An OSC sequence that retitles a terminal window, and a screen clear.
const HOSTILE: &str = "\u{1b}]0;owned\u{7}\u{1b}[2J";

#[test]
fn control_sequences_in_a_pack_reach_no_terminal_raw() {
    let scratch = Scratch::new();
    let escaped = "\\u001b]0;owned\\u0007\\u001b[2J";
    scratch.write(
        "pack/pack.toml",
        &format!("[pack]\nname = \"acme\"\nversion = \"1{escaped}\"\nextends = \"builtin\"\n"),
    );
    scratch.write(
        "pack/topics/messaging.toml",
        &format!(
            "[topic]\nid = \"messaging\"\n\n[[rule]]\nid = \"acme-kafka\"\nsummary = \"Kafka{escaped}\"\n\
             when = {{ q = \"team_size\", gt = 0 }}\nscore = {{ event-log = 1 }}\nadvice = \"run it{escaped}\"\n\
             rationale = \"why{escaped}\"\nsources = [\"Acme wiki https://example.com\"]\n"
        ),
    );
    for args in [
        &["--rules-pack", "pack", "rules", "show", "acme-kafka"][..],
        &["--rules-pack", "pack", "rules", "docs"][..],
    ] {
        let run = Tradeoff::new(args).dir(scratch.path()).run().success();
        assert!(!run.stdout.contains('\u{1b}'), "{args:?}: {}", run.stdout);
        assert!(!run.stdout.contains('\u{7}'), "{args:?}: {}", run.stdout);
        assert!(run.stdout.contains("]0;owned"), "{args:?}: {}", run.stdout);
    }
}

#[test]
fn an_argument_echoed_in_an_error_reaches_no_terminal_raw() {
    let run = Tradeoff::new(&["decide", "--topic", HOSTILE]).run();
    assert_ne!(run.code, 0);
    assert!(!run.stderr.contains('\u{1b}'), "{}", run.stderr);
    assert!(run.stderr.contains('␛'), "{}", run.stderr);
}

#[test]
fn a_failed_export_leaves_nothing_behind() {
    let scratch = Scratch::new();
    // `out/topics` is a file: the topic files cannot be written.
    scratch.write("out/topics", "in the way");
    Tradeoff::new(&["rules", "export", "out/new"])
        .dir(scratch.path())
        .run()
        .success();
    let run = Tradeoff::new(&["rules", "export", "out"])
        .dir(scratch.path())
        .run();
    assert_ne!(run.code, 0, "{}", run.stderr);
    let mut left: Vec<String> = std::fs::read_dir(scratch.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["new", "topics"], "{}", run.stderr);
}
