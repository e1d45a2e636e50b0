//! What the program says about itself: `--help` and `--version`, shell
//! completions and the manual page, and what happens when standard output
//! cannot take them.

use crate::support::{Scratch, Tradeoff};
use std::process::{Command, Stdio};

fn fingerprint() -> String {
    let check = Tradeoff::new(&["rules", "check"]).run().success().stdout;
    check
        .split("fingerprint ")
        .nth(1)
        .unwrap_or("")
        .trim()
        .trim_end_matches(')')
        .to_owned()
}

#[test]
fn the_version_names_the_rule_base_fingerprint_records_cite() {
    let short = fingerprint();
    assert_eq!(short.len(), 12, "{short}");
    let run = Tradeoff::new(&["-V"]).run().success();
    assert_eq!(
        run.stdout,
        format!(
            "tradeoff {} (rule base {short})\n",
            env!("CARGO_PKG_VERSION")
        )
    );
    let run = Tradeoff::new(&["--version"]).run().success();
    assert!(
        run.stdout
            .contains(&format!("rule base: built-in, sha256:{short}")),
        "{}",
        run.stdout
    );
}

/// Runs tradeoff with standard output on `/dev/full`, where every write fails.
#[cfg(target_os = "linux")]
fn into_a_full_disk(args: &[&str]) -> (i32, String) {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_tradeoff"))
        .args(args)
        .current_dir(crate::support::repo())
        .env("NO_COLOR", "1")
        .env_remove("TRADEOFF_RULES")
        .stdin(Stdio::null())
        .stdout(full)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[cfg(target_os = "linux")]
#[test]
fn a_failed_write_to_standard_output_says_so_even_for_help_and_version() {
    for args in [
        &["--help"][..],
        &["--version"],
        &["decide", "--help"],
        &["topics"],
        &["decide", "--answers", "examples/saas-startup.toml"],
    ] {
        let (code, stderr) = into_a_full_disk(args);
        assert_eq!(code, 74, "{args:?}: {stderr}");
        assert!(
            stderr.starts_with("error: cannot write to standard output: "),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn plain_tradeoff_takes_the_options_of_ask() {
    // Without a terminal the session refuses, but the options were accepted.
    Tradeoff::new(&["--resume"])
        .run()
        .code(2)
        .stderr_has("`tradeoff ask` needs a terminal");
    Tradeoff::new(&["--topic", "caching", "--set", "peak_rps=10"])
        .run()
        .code(2)
        .stderr_has("`tradeoff ask` needs a terminal");
    // Before another command they would be lost: an error says where they go.
    Tradeoff::new(&["--answers", "examples/saas-startup.toml", "decide"])
        .run()
        .code(2)
        .stderr_has("`--answers` goes after the command: `tradeoff decide --answers ...`");
    // Global options go anywhere.
    Tradeoff::new(&["--color", "never", "topics"])
        .run()
        .success();
}

#[test]
fn help_shows_global_options_apart_and_an_example_for_each_main_command() {
    for command in [
        "ask",
        "mentor",
        "decide",
        "explain",
        "questions",
        "topics",
        "rules",
        "adr",
        "diff",
        "merge",
        "completions",
        "man",
    ] {
        let help = Tradeoff::new(&[command, "--help"]).run().success().stdout;
        assert!(help.contains("\nExamples:\n  "), "{command}:\n{help}");
        let (own, global) = help
            .split_once("Global options:")
            .unwrap_or_else(|| panic!("{command}: no global section:\n{help}"));
        assert!(!own.contains("--rules-pack"), "{command}: {own}");
        assert!(global.contains("--rules-pack"), "{command}");
    }
    let mentor = Tradeoff::new(&["mentor", "--help"]).run().success().stdout;
    assert!(!mentor.contains("--mentor"), "{mentor}");
    let ask = Tradeoff::new(&["ask", "--help"]).run().success().stdout;
    assert!(ask.contains("--mentor"), "{ask}");
}

/// Every positional argument of every command, by its command's path.
fn positionals(command: &str, help_of: &mut Vec<(String, String)>) {
    let args: Vec<&str> = command.split_whitespace().collect();
    let mut with_help = args.clone();
    with_help.push("--help");
    let help = Tradeoff::new(&with_help).run().success().stdout;
    help_of.push((command.to_owned(), help.clone()));
    if let Some(list) = help.split("Commands:\n").nth(1) {
        for line in list.lines().take_while(|l| !l.trim().is_empty()) {
            let Some(name) = line.split_whitespace().next() else {
                continue;
            };
            if name != "help" && line.starts_with("  ") && !line.starts_with("   ") {
                positionals(&format!("{command} {name}"), help_of);
            }
        }
    }
}

#[test]
fn every_positional_argument_is_described() {
    let mut helps = Vec::new();
    for top in ["rules", "adr", "diff", "merge", "completions"] {
        positionals(top, &mut helps);
    }
    for (command, help) in helps {
        let Some(section) = help.split("Arguments:\n").nth(1) else {
            continue;
        };
        let section = section.split("\n\n").next().unwrap_or("");
        let names = section
            .lines()
            .filter(|l| l.trim_start().starts_with(['<', '[']));
        for line in names {
            assert!(
                line.trim_start()
                    .split_once(['>', ']'])
                    .is_some_and(|(_, rest)| !rest.trim().is_empty()),
                "`tradeoff {command}`: an argument without a description: {line:?}\n{help}"
            );
        }
    }
}

#[test]
fn bash_sources_the_completions_and_they_offer_topic_ids() {
    let script = Tradeoff::new(&["completions", "bash"])
        .run()
        .success()
        .stdout;
    let scratch = Scratch::new();
    let path = scratch.write("tradeoff.bash", &script);
    // Source the script, then complete `tradeoff decide --topic cach<TAB>`.
    let probe = format!(
        "set -e; source {}; COMP_WORDS=(tradeoff decide --topic cach); COMP_CWORD=3; \
         COMP_LINE='tradeoff decide --topic cach'; COMP_POINT=${{#COMP_LINE}}; \
         _tradeoff tradeoff cach --topic; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        path.display()
    );
    let out = Command::new("bash")
        .args(["--norc", "--noprofile", "-c", &probe])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        stdout.lines().collect::<Vec<_>>(),
        ["caching", "cache-technology"],
        "{stdout}"
    );
}

/// Checks a completion script's syntax with its shell's own parser, where
/// that shell is installed.
fn syntax_check(shell: &str, check: &[&str], file: &str) {
    if Command::new(shell).arg("--version").output().is_err() {
        eprintln!("{shell} is not installed: its completions are not checked");
        return;
    }
    let script = Tradeoff::new(&["completions", shell])
        .run()
        .success()
        .stdout;
    let scratch = Scratch::new();
    let path = scratch.write(file, &script);
    let out = Command::new(shell).args(check).arg(&path).output().unwrap();
    assert!(
        out.status.success(),
        "{shell}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn zsh_and_fish_completions_parse() {
    syntax_check("zsh", &["-n"], "_tradeoff");
    syntax_check("fish", &["--no-execute"], "tradeoff.fish");
}

#[test]
fn the_man_page_renders() {
    let page = Tradeoff::new(&["man"]).run().success().stdout;
    assert!(page.starts_with(".ie"), "{}", &page[..80.min(page.len())]);
    if Command::new("man").arg("--version").output().is_err() {
        eprintln!("man is not installed: the page is not rendered");
        return;
    }
    let scratch = Scratch::new();
    let path = scratch.write("tradeoff.1", &page);
    let out = Command::new("man")
        .args(["-l", "-P", "cat"])
        .arg(&path)
        .env("MANWIDTH", "80")
        .env("MAN_KEEP_FORMATTING", "0")
        .output()
        .unwrap();
    // Without a terminal, man shows bold as overstrikes: `x\x08x`.
    let raw = String::from_utf8_lossy(&out.stdout);
    let mut text = String::new();
    for c in raw.chars() {
        if c == '\u{8}' {
            text.pop();
        } else {
            text.push(c);
        }
    }
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for expected in [
        "tradeoff - A command-line advisor",
        "tradeoff decide",
        "--from-adr",
        "tradeoff rules check",
        "EXAMPLES",
    ] {
        assert!(text.contains(expected), "{expected} not in:\n{text}");
    }
}
