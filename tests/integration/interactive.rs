//! Interactive sessions in a real pseudo-terminal (rexpect): arrow keys,
//! Enter, a number rejected at the prompt, the review screen, Ctrl-C and
//! resume, and a mentor session.

#![cfg(unix)]

use crate::support::Scratch;
use rexpect::process::WaitStatus;
use rexpect::session::PtySession;
use std::path::Path;
use std::process::Command;

const DOWN: &str = "\x1b[B";
const ENTER: &str = "\r";

/// Every caching answer but consistency, peak traffic and hot keys.
const PARTIAL: &str = "[answers]\nops_maturity = \"medium\"\nstaleness_tolerance = \"seconds\"\nread_write_ratio = \"read_heavy\"\n\
latency_p99_ms = 200\nsource_latency = \"moderate\"\nwrite_latency_critical = false\n";

fn spawn(dir: &Path, args: &str) -> PtySession {
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg(format!(
            "stty cols 120 rows 50; exec {} {args}",
            env!("CARGO_BIN_EXE_tradeoff")
        ))
        .current_dir(dir)
        .env("TERM", "xterm-256color")
        .env("NO_COLOR", "1")
        .env("RUST_BACKTRACE", "0")
        .env("ADR_DATE", "2026-11-21")
        .env_remove("TRADEOFF_RULES");
    rexpect::session::spawn_command(command, Some(15_000)).unwrap()
}

fn send(p: &mut PtySession, keys: &str) {
    p.send(keys).unwrap();
    p.flush().unwrap();
}

fn exit_code(p: &PtySession) -> i32 {
    match p.process().wait().unwrap() {
        WaitStatus::Exited(_, code) => code,
        other => panic!("unexpected end: {other:?}"),
    }
}

#[test]
fn a_whole_session_from_questions_to_saved_answers() {
    let s = Scratch::new();
    s.write("partial.toml", PARTIAL);
    let mut p = spawn(s.path(), "ask --topic caching --answers partial.toml");
    p.exp_string("A title for this decision").unwrap();
    p.send_line("Checkout cache").unwrap();
    p.exp_string("[1/3] Consistency: Consistency").unwrap();
    p.exp_string("What must a read see after a write?").unwrap();
    send(&mut p, DOWN);
    send(&mut p, DOWN);
    send(&mut p, ENTER);
    p.exp_string("[2/3] Traffic: Peak traffic").unwrap();
    p.send_line("lots").unwrap();
    p.exp_string("`lots` is not a number").unwrap();
    p.send_line("5000").unwrap();
    p.exp_string("[3/3] Traffic: Hot keys").unwrap();
    send(&mut p, ENTER); // the default, No
    p.exp_string("Your answers:").unwrap();
    p.exp_string("Review your answers").unwrap();
    send(&mut p, ENTER);
    p.exp_string("Caching strategy (caching)").unwrap();
    p.exp_string("Cache-aside: confidence").unwrap();
    p.exp_string("Write decision records").unwrap();
    send(&mut p, ENTER); // No
    p.exp_string("Save the answers").unwrap();
    send(&mut p, ENTER); // Yes, to answers.toml
    p.exp_string("saved answers.toml").unwrap();
    p.exp_eof().unwrap();
    assert_eq!(exit_code(&p), 0);
    let saved = s.read("answers.toml");
    for line in [
        "title = \"Checkout cache\"",
        "topics = [\"caching\"]",
        "consistency = \"eventual\"",
        "peak_rps = 5000",
        "hot_keys = false",
        "ops_maturity = \"medium\"",
    ] {
        assert!(saved.contains(line), "{line} not in:\n{saved}");
    }
    assert!(
        !s.path().join(".tradeoff-session.toml").exists(),
        "the finished session is removed"
    );
    // The saved answers replay the same decision.
    crate::support::Tradeoff::new(&[
        "decide",
        "--answers",
        s.path().join("answers.toml").to_str().unwrap(),
    ])
    .run()
    .success()
    .stdout_has("Caching strategy (caching)");
}

#[test]
fn ctrl_c_restores_the_terminal_and_resume_loses_nothing() {
    let s = Scratch::new();
    s.write("partial.toml", PARTIAL);
    let mut p = spawn(s.path(), "ask --topic caching --answers partial.toml");
    p.exp_string("A title for this decision").unwrap();
    p.send_line("").unwrap();
    p.exp_string("[1/3] Consistency").unwrap();
    send(&mut p, ENTER); // strong
    p.exp_string("[2/3] Traffic: Peak traffic").unwrap();
    p.send_line("800").unwrap();
    p.exp_string("[3/3] Traffic: Hot keys").unwrap();
    p.send_control('c').unwrap();
    let rest = p.exp_eof().unwrap();
    assert!(
        rest.contains("interrupted") && rest.contains("tradeoff ask --resume"),
        "{rest:?}"
    );
    assert!(
        rest.contains("\x1b[?25h"),
        "the cursor is shown again: {rest:?}"
    );
    assert_eq!(exit_code(&p), 130);
    let session = s.read(".tradeoff-session.toml");
    assert!(
        session.contains("consistency = \"strong\"") && session.contains("peak_rps = 800"),
        "{session}"
    );

    let mut p = spawn(s.path(), "ask --resume");
    p.exp_string("[1/1] Traffic: Hot keys").unwrap();
    send(&mut p, ENTER);
    p.exp_string("Review your answers").unwrap();
    send(&mut p, ENTER);
    p.exp_string("Caching strategy (caching)").unwrap();
    p.exp_string("Write decision records").unwrap();
    send(&mut p, ENTER);
    p.exp_string("Save the answers").unwrap();
    send(&mut p, &format!("{DOWN}{DOWN}{ENTER}")); // No
    p.exp_eof().unwrap();
    assert_eq!(exit_code(&p), 0);
}

#[test]
fn a_mentor_session_and_its_summary() {
    let s = Scratch::new();
    s.write("complete.toml", &format!("title = \"Profile service\"\n{PARTIAL}consistency = \"read_your_writes\"\npeak_rps = 3000\n"));
    let mut p = spawn(
        s.path(),
        "mentor --topic caching --answers complete.toml --summary summary.md",
    );
    p.exp_string("Mentor mode").unwrap();
    p.exp_string("[1/1] Traffic: Hot keys").unwrap();
    p.exp_string("Why it matters: Skewed access").unwrap();
    send(&mut p, ENTER);
    p.exp_string("Review your answers").unwrap();
    send(&mut p, ENTER);
    p.exp_string("Which option do you expect to win?").unwrap();
    send(&mut p, ENTER); // No cache
    p.exp_string("Why?").unwrap();
    p.send_line("the source is fast enough").unwrap();
    p.exp_string("You predicted No cache: tradeoff chose Cache-aside instead")
        .unwrap();
    p.exp_string("The rules that decided it:").unwrap();
    p.exp_string("What would have changed the outcome:")
        .unwrap();
    p.exp_string("wrote summary.md").unwrap();
    p.exp_string("Write decision records").unwrap();
    send(&mut p, ENTER);
    p.exp_string("Save the answers").unwrap();
    send(&mut p, &format!("{DOWN}{DOWN}{ENTER}"));
    p.exp_eof().unwrap();
    assert_eq!(exit_code(&p), 0);
    insta::assert_snapshot!(s.read("summary.md"));
}
