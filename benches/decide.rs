//! Speed benchmark: `cargo bench --bench decide`.
//!
//! Measures what a user feels, `tradeoff decide` end to end as a process
//! (spawn, load and validate the built-in rule base, read the answers,
//! evaluate with sensitivity analysis, render, exit), and where the time
//! goes inside, phase by phase. The budget: under 5 ms wall time
//! per `decide`, as measured here. For scale it also times what any
//! process costs here: `/bin/true` and `tradeoff --version` (start-up, no
//! work), in turn with the `decide` runs so that all see the same machine.
//! It reports; it does not fail on timing, so it never flakes in CI.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use tradeoff::answers::AnswerSet;
use tradeoff::decide::resolve;
use tradeoff::eval::evaluate;
use tradeoff::report::{self, DecisionRun, table::TableOptions};
use tradeoff::source::SourceFile;

const BUDGET_MS: f64 = 5.0;
const PROCESS_RUNS: usize = 200;
const PHASE_RUNS: u32 = 200;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let binary = env!("CARGO_BIN_EXE_tradeoff");
    let examples = [
        "examples/saas-startup.toml",
        "examples/catalogue.toml",
        "examples/payments-ledger.toml",
    ];
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!(
        "tradeoff decide, end to end ({PROCESS_RUNS} runs each, {cores} cores, budget {BUDGET_MS} ms)\n"
    );
    // Every command as a process: a bare process and start-up for scale,
    // then `decide` on each example, as a table (the default, which the
    // budget is for) and as JSON.
    let mut commands: Vec<(String, &str, Vec<&str>)> = vec![
        ("/bin/true (any process)".into(), "/bin/true", vec![]),
        (
            "tradeoff --version (start-up)".into(),
            binary,
            vec!["--version"],
        ),
    ];
    for example in examples {
        for format in ["table", "json"] {
            commands.push((
                format!("{} ({format})", example.trim_start_matches("examples/")),
                binary,
                vec!["decide", "--answers", example, "--format", format],
            ));
        }
    }
    // Round robin: a shared machine's speed drifts from minute to minute, and
    // timing each command in turn, run after run, lets all of them see the
    // same machine, so their medians compare.
    let mut times: Vec<Vec<Duration>> = vec![Vec::with_capacity(PROCESS_RUNS); commands.len()];
    for i in 0..PROCESS_RUNS + 10 {
        for (c, (name, program, args)) in commands.iter().enumerate() {
            let start = Instant::now();
            let status = Command::new(program)
                .args(args)
                .current_dir(root)
                .env("NO_COLOR", "1")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
            let elapsed = start.elapsed();
            match status {
                Ok(s) if s.success() => {}
                // No /bin/true here: only the scale line goes.
                _ if c == 0 => continue,
                other => {
                    eprintln!("{name}: failed: {other:?}");
                    std::process::exit(1);
                }
            }
            if i >= 10 {
                times[c].push(elapsed);
            }
        }
    }
    println!(
        "{:<34} {:>8} {:>8} {:>8} {:>8} {:>12}",
        "command", "min", "median", "p95", "max", "over /bin/true"
    );
    let bare = if times[0].is_empty() {
        0.0
    } else {
        Stats::of(&mut times[0].clone()).median
    };
    let mut worst_median = 0.0_f64;
    let mut worst_json = 0.0_f64;
    for ((name, _, args), times) in commands.iter().zip(&mut times) {
        if times.is_empty() {
            continue;
        }
        let stats = Stats::of(times);
        if args.contains(&"table") {
            worst_median = worst_median.max(stats.median);
        } else if args.contains(&"json") {
            worst_json = worst_json.max(stats.median);
        }
        println!(
            "{name:<34} {:>7.2}ms {:>7.2}ms {:>7.2}ms {:>7.2}ms {:>10.2}ms",
            stats.min,
            stats.median,
            stats.p95,
            stats.max,
            stats.median - bare
        );
    }
    let verdict = if worst_median < BUDGET_MS {
        "within"
    } else {
        "OVER"
    };
    println!(
        "\nworst median {worst_median:.2} ms for the table (the default): {verdict} the {BUDGET_MS} ms budget; JSON {worst_json:.2} ms\n"
    );

    println!("in process, per phase (mean of {PHASE_RUNS}, catalogue example)\n");
    let text = std::fs::read_to_string(root.join("examples/catalogue.toml")).unwrap_or_default();
    let rb = phase("load + validate built-in rule base", || {
        tradeoff::builtin::rule_base().ok()
    });
    let Some(rb) = rb else {
        eprintln!("the built-in rule base does not load");
        std::process::exit(1);
    };
    let file = SourceFile::new("catalogue.toml", text);
    let answers = phase("parse + check answers", || {
        AnswerSet::parse(&rb, &file).ok()
    });
    let Some(answers) = answers else {
        eprintln!("the example does not parse");
        std::process::exit(1);
    };
    let topics: Vec<_> = rb.topics().iter().collect();
    let resolution = phase("resolve (conditions, defaults)", || {
        resolve(&rb, &answers, &topics).ok()
    });
    let Some(resolution) = resolution else {
        eprintln!("the example does not resolve");
        std::process::exit(1);
    };
    let evaluation = phase("evaluate all topics + sensitivity", || {
        evaluate(&rb, &resolution.facts, &topics)
    });
    let decision = DecisionRun {
        rb: &rb,
        answers: &answers,
        resolution: &resolution,
        evaluation: &evaluation,
    };
    let options = TableOptions {
        color: false,
        width: 100,
    };
    phase("render table", || {
        report::table::render(&decision, &options)
    });
    phase("render json", || report::json::render(&decision).ok());
    phase("render explain (one topic per run)", || {
        report::explain::render(&decision, false)
    });
}

struct Stats {
    min: f64,
    median: f64,
    p95: f64,
    max: f64,
}

impl Stats {
    fn of(times: &mut [Duration]) -> Self {
        times.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let at = |q: f64| ms(times[((times.len() - 1) as f64 * q).round() as usize]);
        Self {
            min: at(0.0),
            median: at(0.5),
            p95: at(0.95),
            max: at(1.0),
        }
    }
}

fn phase<T>(name: &str, mut f: impl FnMut() -> T) -> T {
    let mut last = f();
    let start = Instant::now();
    for _ in 0..PHASE_RUNS {
        last = std::hint::black_box(f());
    }
    let mean = start.elapsed() / PHASE_RUNS;
    println!("  {name:<40} {:>9.1} µs", mean.as_secs_f64() * 1e6);
    last
}
