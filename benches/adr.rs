//! Speed of the `adr` commands on a large repository: `cargo bench --bench adr`.
//!
//! Builds a directory of 1,000 decision records as `decide --adr` writes
//! them (the MADR layout with its data block, 16 topics over many systems,
//! some superseded, links between them), then times `tradeoff adr list`,
//! `toc`, `check` and `review` end to end as processes, each 20 times in
//! turn, against a budget of 50 ms each. It reports; it never fails on
//! timing, so it cannot flake in CI.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const RECORDS: usize = 1000;
const RUNS: usize = 20;
const BUDGET_MS: f64 = 50.0;

fn main() {
    let binary = env!("CARGO_BIN_EXE_tradeoff");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let Ok(scratch) = tempfile::tempdir() else {
        eprintln!("cannot create a temporary directory");
        return;
    };
    let dir = scratch.path();
    if let Err(e) = build_repository(binary, root, dir) {
        eprintln!("cannot build the repository: {e}");
        return;
    }
    let count = std::fs::read_dir(dir.join("docs/decisions")).map_or(0, Iterator::count);
    println!("tradeoff adr, {count} records, {RUNS} runs each (budget {BUDGET_MS} ms)\n");
    let commands: [&[&str]; 4] = [
        &["adr", "list"],
        &["adr", "toc"],
        &["adr", "check"],
        &["adr", "review"],
    ];
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); commands.len()];
    for _ in 0..RUNS {
        for (i, args) in commands.iter().enumerate() {
            let start = Instant::now();
            let ran = Command::new(binary)
                .args(*args)
                .current_dir(dir)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
            times[i].push(start.elapsed());
            if ran.is_err() {
                eprintln!("cannot run {args:?}");
                return;
            }
        }
    }
    println!(
        "{:<16} {:>9} {:>9} {:>9}",
        "command", "min ms", "median", "max"
    );
    for (args, mut t) in commands.iter().zip(times) {
        t.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let median = ms(t[t.len() / 2]);
        println!(
            "{:<16} {:>9.1} {:>9.1} {:>9.1}  {}",
            args.join(" "),
            ms(t[0]),
            median,
            ms(t[t.len() - 1]),
            if median <= BUDGET_MS {
                "within budget"
            } else {
                "OVER BUDGET"
            }
        );
    }
}

/// 1,000 records: `decide --adr` over the examples, each under many system
/// names, then copies renumbered to reach the count.
fn build_repository(binary: &str, root: &Path, dir: &Path) -> std::io::Result<()> {
    let records = dir.join("docs/decisions");
    std::fs::create_dir_all(&records)?;
    let examples = ["saas-startup", "catalogue", "payments-ledger"];
    let mut made = 0;
    'systems: for system in 0.. {
        for example in examples {
            let source = std::fs::read_to_string(root.join(format!("examples/{example}.toml")))?;
            let title = source
                .lines()
                .find(|l| l.starts_with("title"))
                .unwrap_or_default();
            let answers = dir.join("answers.toml");
            std::fs::write(
                &answers,
                source.replacen(
                    title,
                    &format!("title = \"System {system} ({example})\""),
                    1,
                ),
            )?;
            Command::new(binary)
                .args(["decide", "--answers"])
                .arg(&answers)
                .arg("--adr")
                .arg(&records)
                .current_dir(dir)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()?;
            made = std::fs::read_dir(&records)?.count();
            if made >= RECORDS {
                break 'systems;
            }
        }
    }
    let _ = made;
    Ok(())
}
