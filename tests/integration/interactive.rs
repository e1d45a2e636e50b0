//! Interactive sessions in a real pseudo-terminal (rexpect): arrow keys,
//! Enter, a number rejected at the prompt, the review screen, Ctrl-C and
//! resume, a mentor session, and what a session must never do: record an
//! answer nobody gave, panic in a tiny terminal, or leave the terminal raw.

#![cfg(unix)]

use crate::support::Scratch;
use rexpect::process::WaitStatus;
use rexpect::session::PtySession;
use std::path::{Path, PathBuf};
use std::process::Command;

const DOWN: &str = "\x1b[B";
const ENTER: &str = "\r";

/// Every caching answer but consistency, peak traffic and hot keys.
const PARTIAL: &str = "[answers]\nops_maturity = \"medium\"\nstaleness_tolerance = \"seconds\"\nread_write_ratio = \"read_heavy\"\n\
latency_p99_ms = 200\nsource_latency = \"moderate\"\nwrite_latency_critical = false\n";

/// Runs `tradeoff ARGS` in a terminal of this size, in `dir`, with the
/// session kept under `dir/state`; `then` runs in the same shell after it.
fn spawn_in(dir: &Path, args: &str, (cols, rows): (u16, u16), then: &str) -> PtySession {
    let tradeoff = env!("CARGO_BIN_EXE_tradeoff");
    let script = if then.is_empty() {
        format!("stty cols {cols} rows {rows}; exec {tradeoff} {args}")
    } else {
        format!(
            "stty cols {cols} rows {rows}; echo shell=$$; stty -a | grep icanon; \
             {tradeoff} {args}; {then}"
        )
    };
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg(script)
        .current_dir(dir)
        .env("TERM", "xterm-256color")
        .env("NO_COLOR", "1")
        .env("RUST_BACKTRACE", "0")
        .env("ADR_DATE", "2026-11-21")
        .env("XDG_STATE_HOME", dir.join("state"))
        .env_remove("TRADEOFF_RULES");
    rexpect::session::spawn_command(command, Some(15_000)).unwrap()
}

fn spawn(dir: &Path, args: &str) -> PtySession {
    spawn_in(dir, args, (120, 50), "")
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

/// The session files kept for the scratch directory.
fn sessions(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir.join("state/tradeoff/sessions"))
        .map(|entries| entries.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default()
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
    // Nothing is pre-selected: three steps down is the third answer.
    send(&mut p, DOWN);
    send(&mut p, DOWN);
    send(&mut p, DOWN);
    send(&mut p, ENTER);
    p.exp_string("[2/3] Traffic: Peak traffic").unwrap();
    p.send_line("lots").unwrap();
    p.exp_string("`lots` is not a number").unwrap();
    p.send_line("5000").unwrap();
    p.exp_string("[3/3] Traffic: Hot keys").unwrap();
    p.exp_string("No (default)").unwrap();
    send(&mut p, ENTER); // the default, kept: assumed
    p.exp_string("Your answers (9 answers, 1 assumed)").unwrap();
    p.exp_string("(assumed)").unwrap();
    p.exp_string("Review your answers").unwrap();
    // Change one, found by typing.
    send(&mut p, &format!("{DOWN}{ENTER}"));
    p.exp_string("Which answer?").unwrap();
    send(&mut p, "peak");
    p.exp_string("filter: peak").unwrap();
    send(&mut p, ENTER);
    p.exp_string("Peak traffic at the edge [5000]").unwrap();
    p.send_line("6000").unwrap();
    p.exp_string("Review your answers").unwrap();
    send(&mut p, ENTER);
    p.exp_string("Caching strategy (caching)").unwrap();
    p.exp_string("Cache-aside: confidence").unwrap();
    p.exp_string("Assumed by default: Hot keys (no)").unwrap();
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
        "peak_rps = 6000",
        "# hot_keys = false",
        "ops_maturity = \"medium\"",
    ] {
        assert!(saved.contains(line), "{line} not in:\n{saved}");
    }
    assert!(
        sessions(s.path()).is_empty(),
        "the finished session is removed"
    );
    assert!(!s.path().join(".tradeoff-session.toml").exists());
    // The saved answers replay the same decision, the default still assumed.
    crate::support::Tradeoff::new(&["decide", "--answers", "answers.toml"])
        .dir(s.path())
        .run()
        .success()
        .stdout_has("Caching strategy (caching)")
        .stdout_has("Assumed by default: Hot keys (no)");
}

/// Presses Enter at every question of a caching session. Where a question
/// has no default, Enter chooses nothing and the user then moves to the
/// first answer: the only answers recorded are those, `unknown` where the
/// question allows it, and the defaults, commented out and reported as
/// assumed.
#[test]
fn pressing_enter_through_a_session_records_only_what_the_user_chose() {
    let s = Scratch::new();
    let mut p = spawn(s.path(), "ask --topic caching");
    p.exp_string("A title for this decision").unwrap();
    send(&mut p, ENTER);
    let mut chosen = 0;
    p.exp_string("[1/9]").unwrap();
    for position in 1..=9 {
        let next = if position < 9 {
            format!("[{}/9]", position + 1)
        } else {
            "Your answers".to_owned()
        };
        send(&mut p, ENTER);
        let (_, matched) = p
            .exp_any(vec![
                rexpect::ReadUntil::String("nothing is chosen yet".to_owned()),
                rexpect::ReadUntil::String(next.clone()),
            ])
            .unwrap();
        if matched.contains("nothing") {
            chosen += 1;
            send(&mut p, &format!("{DOWN}{ENTER}"));
            p.exp_string(&next).unwrap();
        }
    }
    assert_eq!(chosen, 5, "the questions without a default");
    p.exp_string("Review your answers").unwrap();
    send(&mut p, ENTER);
    p.exp_string("Assumed by default: Hot keys (no), Write path is the bottleneck")
        .unwrap();
    p.exp_string("Write decision records").unwrap();
    send(&mut p, ENTER);
    p.exp_string("Save the answers").unwrap();
    send(&mut p, ENTER);
    p.exp_eof().unwrap();
    assert_eq!(exit_code(&p), 0);
    let saved = s.read("answers.toml");
    let answered: Vec<&str> = saved
        .split("[answers]\n")
        .nth(1)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#'))
        .collect();
    assert_eq!(
        answered,
        [
            "ops_maturity = \"low\"",
            "consistency = \"strong\"",
            "staleness_tolerance = \"none\"",
            "peak_rps = \"unknown\"",
            "read_write_ratio = \"write_heavy\"",
            "latency_p99_ms = \"unknown\"",
            "source_latency = \"cheap\"",
        ],
        "{saved}"
    );
    assert!(saved.contains("# hot_keys = false\n# write_latency_critical = false\n"));
}

#[test]
fn ctrl_c_restores_the_terminal_and_resume_loses_nothing() {
    let s = Scratch::new();
    s.write("partial.toml", PARTIAL);
    let mut p = spawn(s.path(), "ask --topic caching --answers partial.toml");
    p.exp_string("A title for this decision").unwrap();
    p.send_line("").unwrap();
    p.exp_string("[1/3] Consistency").unwrap();
    send(&mut p, &format!("{DOWN}{ENTER}")); // strong
    p.exp_string("[2/3] Traffic: Peak traffic").unwrap();
    p.send_line("800").unwrap();
    p.exp_string("[3/3] Traffic: Hot keys").unwrap();
    p.send_control('c').unwrap();
    let rest = p.exp_eof().unwrap();
    assert!(
        rest.contains("interrupted: your answers so far are saved in")
            && rest.contains("tradeoff ask --resume"),
        "{rest:?}"
    );
    assert!(
        rest.contains("\x1b[?25h"),
        "the cursor is shown again: {rest:?}"
    );
    assert_eq!(exit_code(&p), 130);
    let files = sessions(s.path());
    assert_eq!(files.len(), 1, "{files:?}");
    let session = std::fs::read_to_string(&files[0]).unwrap();
    assert!(
        session.contains("consistency = \"strong\"") && session.contains("peak_rps = 800"),
        "{session}"
    );

    // Resuming says what it kept, and counts on from where it stopped.
    let mut p = spawn(s.path(), "ask --resume");
    p.exp_string("Resumed: 2 answers from the session kept, and 6 given before it.")
        .unwrap();
    p.exp_string("[3/3] Traffic: Hot keys").unwrap();
    send(&mut p, ENTER);
    p.exp_string("Review your answers").unwrap();
    send(&mut p, ENTER);
    p.exp_string("Caching strategy (caching)").unwrap();
    p.exp_string("Write decision records").unwrap();
    send(&mut p, ENTER);
    p.exp_string("Save the answers").unwrap();
    send(&mut p, &format!("{DOWN}{DOWN}{ENTER}")); // No
    // Not saved: the session is kept rather than lost, unless the user says.
    p.exp_string("The answers are not saved anywhere else. Keep them?")
        .unwrap();
    send(&mut p, ENTER);
    p.exp_string("`tradeoff ask --resume` comes back to them")
        .unwrap();
    p.exp_eof().unwrap();
    assert_eq!(exit_code(&p), 0);
    assert_eq!(sessions(s.path()).len(), 1);
}

#[test]
fn ctrl_c_before_any_answer_says_nothing_was_saved() {
    let s = Scratch::new();
    let mut p = spawn(s.path(), "ask");
    p.exp_string("Which decisions are you making?").unwrap();
    p.send_control('c').unwrap();
    let rest = p.exp_eof().unwrap();
    assert!(rest.contains("interrupted: nothing was saved"), "{rest:?}");
    assert!(!rest.contains("--resume"), "{rest:?}");
    assert_eq!(exit_code(&p), 130);
    crate::support::Tradeoff::new(&["ask", "--resume"])
        .dir(s.path())
        .run()
        .code(2);
}

#[test]
fn a_mentor_session_and_its_summary() {
    let s = Scratch::new();
    s.write(
        "complete.toml",
        &format!(
            "title = \"Profile service\"\n{PARTIAL}consistency = \"read_your_writes\"\npeak_rps = 3000\n\
             team_experience = [\"redis\"]\nbudget = \"moderate\"\napp_instances = 4\n\
             cache_features = []\n"
        ),
    );
    let mut p = spawn(
        s.path(),
        "mentor --topic caching --topic cache-technology --answers complete.toml --summary summary.md",
    );
    p.exp_string("Mentor mode").unwrap();
    p.exp_string("Traffic: Hot keys").unwrap();
    p.exp_string("Why it matters: Skewed access").unwrap();
    // The help is on screen: the menu does not offer it again (the keys'
    // line ends there). Needles are ASCII: rexpect reads bytes as Latin-1.
    p.exp_string("enter choose\r\n").unwrap();
    send(&mut p, ENTER);
    p.exp_string("Review your answers").unwrap();
    send(&mut p, ENTER);
    p.exp_string("Which option do you expect to win?").unwrap();
    send(&mut p, &format!("{DOWN}{ENTER}")); // No cache
    p.exp_string("Why?").unwrap();
    p.send_line("the source is fast enough").unwrap();
    p.exp_string(
        "You predicted No cache: tradeoff finds a tie: Cache-aside and Write-through cache; \
         your choice is ranked 3 of 5, 1 point",
    )
    .unwrap();
    p.exp_string("The rules that decided it:").unwrap();
    // A pause before the next prediction.
    p.exp_string("Enter for the next topic: Cache technology")
        .unwrap();
    send(&mut p, ENTER);
    p.exp_string("Which option do you expect to win?").unwrap();
    send(&mut p, &format!("{DOWN}{DOWN}{ENTER}")); // Redis
    p.exp_string("Why?").unwrap();
    p.send_line("the team runs it").unwrap();
    p.exp_string("Write decision records").unwrap();
    send(&mut p, ENTER);
    p.exp_string("Save the answers").unwrap();
    send(&mut p, ENTER); // to answers.toml
    p.exp_string("wrote summary.md").unwrap();
    p.exp_eof().unwrap();
    assert_eq!(exit_code(&p), 0);
    insta::assert_snapshot!(s.read("summary.md"));
}

#[test]
fn a_terminal_two_rows_high_gets_plain_prompts_not_a_panic() {
    let s = Scratch::new();
    s.write(
        "complete.toml",
        &format!("title = \"Tiny\"\n{PARTIAL}consistency = \"eventual\"\npeak_rps = 100\n"),
    );
    let mut p = spawn_in(
        s.path(),
        "ask --topic caching --answers complete.toml",
        (80, 2),
        "",
    );
    p.exp_string("1) Yes").unwrap();
    p.exp_string("number (enter: 2, ?: why)").unwrap();
    p.send_line("").unwrap(); // hot keys: the default, kept
    p.exp_string("Review your answers").unwrap();
    p.send_line("").unwrap();
    p.exp_string("Write decision records").unwrap();
    p.send_line("").unwrap();
    p.exp_string("Save the answers").unwrap();
    p.send_line("1").unwrap();
    let rest = p.exp_eof().unwrap();
    assert!(!rest.contains("panicked"), "{rest}");
    assert_eq!(exit_code(&p), 0);
    assert!(s.read("answers.toml").contains("# hot_keys = false"));
}

#[test]
fn with_standard_error_redirected_the_refusal_names_standard_error() {
    let s = Scratch::new();
    let mut p = spawn_in(
        s.path(),
        "ask --topic caching 2>err.txt",
        (80, 24),
        "echo code=$?",
    );
    p.exp_string("code=2").unwrap();
    p.exp_eof().unwrap();
    let err = s.read("err.txt");
    assert!(
        err.contains("`tradeoff ask` needs a terminal, and standard error is not one"),
        "{err}"
    );
    assert!(!err.contains("standard input is not"), "{err}");
}

/// The process the shell started, under the shell's own pid.
#[cfg(target_os = "linux")]
fn child_of(pid: i32) -> String {
    for _ in 0..50 {
        let children =
            std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/children")).unwrap_or_default();
        if let Some(child) = children.split_whitespace().next() {
            return child.to_owned();
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    panic!("no child of {pid}");
}

/// SIGTERM or SIGHUP while a menu waits for a key: the terminal's settings
/// come back (no raw mode left behind), and the exit status says which.
#[cfg(target_os = "linux")]
#[test]
fn sigterm_and_sighup_during_a_prompt_restore_the_terminal() {
    for (signal, code) in [("TERM", 143), ("HUP", 129)] {
        let s = Scratch::new();
        s.write("partial.toml", PARTIAL);
        // The terminal's local modes before the session, and after it.
        let mut p = spawn_in(
            s.path(),
            "ask --topic caching --answers partial.toml",
            (120, 50),
            "echo code=$?; stty -a | grep icanon",
        );
        let (_, shell) = p.exp_regex("shell=[0-9]+").unwrap();
        let shell: i32 = shell.trim_start_matches("shell=").parse().unwrap();
        let (_, before) = p.exp_regex("[^\n]*icanon[^\n]*").unwrap();
        p.exp_string("A title for this decision").unwrap();
        p.send_line("").unwrap();
        p.exp_string("[1/3] Consistency").unwrap();
        p.exp_string("no default: move to an answer").unwrap();
        let tradeoff = child_of(shell);
        let killed = Command::new("kill")
            .args([&format!("-{signal}"), &tradeoff])
            .status()
            .unwrap();
        assert!(killed.success());
        p.exp_string(&format!("code={code}")).unwrap();
        let after = p.exp_eof().unwrap();
        assert_eq!(
            after.trim(),
            before.trim(),
            "{signal}: the terminal is left changed"
        );
        assert!(after.contains("isig icanon"), "{after}");
    }
}

#[test]
fn control_characters_in_a_rule_base_reach_the_session_as_pictures() {
    let s = Scratch::new();
    let rules = s.path().join("rules");
    crate::support::Tradeoff::new(&["rules", "export", rules.to_str().unwrap()])
        .run()
        .success();
    let questions = rules.join("questions.toml");
    let text = std::fs::read_to_string(&questions).unwrap().replace(
        "label = \"Operational maturity\"",
        "label = \"Operational maturity \\u001b]0;pwned\\u0007\"",
    );
    std::fs::write(&questions, text).unwrap();
    let mut p = spawn(
        s.path(),
        &format!("--rules {} ask --topic caching", rules.display()),
    );
    p.exp_string("A title for this decision").unwrap();
    send(&mut p, "\r");
    // The ESC of the title-setting sequence shows as its picture, never raw
    // (rexpect reads bytes as Latin-1: the picture is three bytes).
    p.exp_string("Operational maturity").unwrap();
    let between = p.exp_string("]0;pwned").unwrap();
    assert!(!between.contains('\u{1b}'), "{between:?}");
    assert!(between.contains("\u{e2}\u{90}\u{9b}"), "{between:?}");
    send(&mut p, "\x03");
    let _ = p.exp_eof();
}
