//! Speed at scale: `cargo bench --bench scale`.
//!
//! Generates synthetic rule bases of 1,000, 10,000 and 100,000 rules (a
//! fixed-seed generator: the same bases on every run) and measures, in
//! process, loading and validating them from TOML, scoring every topic
//! (truth of every condition and the tally: what decides the winners), and
//! the full evaluation (every rule's trace, reasons, confidence and the
//! tipping-point analysis). Then the built-in rule base: load and validate
//! from its TOML (what `--rules DIR` costs) and from the embedded snapshot
//! (what every run costs), and the peak memory of a fresh process running
//! the whole `decide` pipeline. Last, as a user runs them: `tradeoff
//! --rules DIR decide` and `rules check` as processes on bases of 10,000
//! and 100,000 rules written to disk (and 10,000 rules in one topic, where
//! any all-pairs step over a topic's rules would show), with wall time and
//! peak memory. Targets: 10,000 rules evaluated in under 1 ms, the built-in
//! base loaded and validated in under 2 ms, under 20 MB peak memory; as
//! processes, 10,000 rules decided in under 1 s and checked in under 5 s,
//! 100,000 decided in under 15 s and 1.5 GB. It reports; it never fails on
//! timing.

use std::fmt::Write as _;
use std::time::{Duration, Instant};
use tradeoff::answers::AnswerSet;
use tradeoff::decide::{Decided, evaluate_answers};
use tradeoff::eval::{Facts, evaluate, score};
use tradeoff::report::{self, DecisionRun, table::TableOptions};
use tradeoff::rulebase::RuleBase;
use tradeoff::rulebase::load::RuleBaseFiles;
use tradeoff::source::SourceFile;

const TOPICS: usize = 20;
const OPTIONS: usize = 5;

fn main() {
    if std::env::args().any(|a| a == "--child-decide") {
        child_decide();
        return;
    }
    println!("synthetic rule bases ({TOPICS} topics of {OPTIONS} options, 40 questions)\n");
    println!(
        "{:>8} {:>12} {:>12} {:>14} {:>14}",
        "rules", "toml KB", "load+check", "score (all)", "full evaluate"
    );
    for rules in [1_000, 10_000, 100_000] {
        let (questions, topics) = synthetic(rules);
        let mut files: Vec<(String, String)> = vec![("questions.toml".into(), questions)];
        for (i, t) in topics.into_iter().enumerate() {
            files.push((format!("topics/t{i:02}.toml"), t));
        }
        let kb: usize = files.iter().map(|(_, t)| t.len()).sum::<usize>() / 1024;
        let refs: Vec<(&str, &str)> = files
            .iter()
            .map(|(n, t)| (n.as_str(), t.as_str()))
            .collect();
        let runs = if rules >= 100_000 { 3 } else { 10 };
        let (load, rb) = time(runs, || {
            RuleBase::from_files(RuleBaseFiles::from_memory(&refs), "synthetic").ok()
        });
        let Some(rb) = rb else {
            eprintln!("the synthetic rule base of {rules} rules does not validate");
            std::process::exit(1);
        };
        let facts = answers(&rb);
        let topics: Vec<_> = rb.topics().iter().collect();
        let (scored, _) = time(runs * 20, || score(&rb, &facts, &topics));
        let (full, _) = time(if rules >= 100_000 { 1 } else { runs }, || {
            evaluate(&rb, &facts, &topics)
        });
        println!(
            "{rules:>8} {kb:>12} {:>10.2}ms {:>12.3}ms {:>12.2}ms",
            ms(load),
            ms(scored),
            ms(full)
        );
    }

    println!("\nbuilt-in rule base");
    let (toml, _) = time(50, || {
        let files: Vec<(String, String)> =
            std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/topics"))
                .into_iter()
                .flatten()
                .flatten()
                .filter_map(|e| {
                    let name = format!("topics/{}", e.file_name().to_string_lossy());
                    std::fs::read_to_string(e.path()).ok().map(|t| (name, t))
                })
                .collect();
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/rules");
        let mut all: Vec<(String, String)> = ["questions.toml", "sources.toml", "risks.toml"]
            .iter()
            .filter_map(|n| {
                std::fs::read_to_string(format!("{root}/{n}"))
                    .ok()
                    .map(|t| (n.to_string(), t))
            })
            .collect();
        all.extend(files);
        let refs: Vec<(&str, &str)> = all.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
        RuleBase::from_files(RuleBaseFiles::from_memory(&refs), "rules").ok()
    });
    let (snapshot, rb) = time(200, || tradeoff::builtin::rule_base().ok());
    println!(
        "  load + validate from TOML (--rules rules)  {:>8.2} ms",
        ms(toml)
    );
    println!(
        "  load from the embedded snapshot            {:>8.2} ms",
        ms(snapshot)
    );
    if let Some(rb) = rb {
        let facts = answers(&rb);
        let topics: Vec<_> = rb.topics().iter().collect();
        let (scored, _) = time(1000, || score(&rb, &facts, &topics));
        let (full, _) = time(200, || evaluate(&rb, &facts, &topics));
        let rules: usize = rb.topics().iter().map(|t| t.rules.len()).sum();
        println!(
            "  score all 16 topics ({rules} rules)          {:>8.3} ms",
            ms(scored)
        );
        println!(
            "  full evaluate incl. tipping points         {:>8.2} ms",
            ms(full)
        );
    }

    let exe = std::env::current_exe().ok();
    let peak = exe.and_then(|exe| {
        let out = std::process::Command::new(exe)
            .arg("--child-decide")
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .ok()?;
        String::from_utf8(out.stdout).ok()
    });
    match peak {
        Some(p) if !p.trim().is_empty() => {
            println!("  peak memory, fresh process, decide pipeline {}", p.trim())
        }
        _ => println!("  peak memory: not measured (no /proc on this system)"),
    }
    processes();
}

/// `decide` and `rules check` end to end, as processes, on synthetic bases
/// written to a temporary directory.
fn processes() {
    println!("\nas processes: tradeoff --rules DIR (wall time, peak memory)");
    println!(
        "{:>8} {:>7} {:>22} {:>22}",
        "rules", "topics", "decide", "rules check"
    );
    for (rules, topics) in [(10_000, TOPICS), (100_000, TOPICS), (10_000, 1)] {
        let Ok(dir) = tempfile::tempdir() else {
            eprintln!("cannot create a temporary directory");
            return;
        };
        if let Err(e) = write_base(dir.path(), rules, topics) {
            eprintln!("cannot write the synthetic rule base: {e}");
            return;
        }
        let rules_dir = dir.path().join("rules");
        let answers = dir.path().join("answers.toml");
        let base = ["--rules", &rules_dir.display().to_string()].map(String::from);
        let decide = run_measured(
            &base,
            &["decide", "--answers", &answers.display().to_string()],
        );
        let check = run_measured(&base, &["rules", "check"]);
        println!("{rules:>8} {topics:>7} {decide:>22} {check:>22}");
    }
}

/// A synthetic base under `dir/rules`, and `dir/answers.toml` answering
/// every question.
fn write_base(dir: &std::path::Path, rules: usize, topics: usize) -> std::io::Result<()> {
    let (questions, topic_files) = synthetic_in(rules, topics);
    let root = dir.join("rules");
    std::fs::create_dir_all(root.join("topics"))?;
    std::fs::write(root.join("questions.toml"), questions)?;
    for (i, text) in topic_files.iter().enumerate() {
        std::fs::write(root.join(format!("topics/t{i:02}.toml")), text)?;
    }
    let mut answers = String::from("[answers]\n");
    for i in 0..10 {
        let _ = writeln!(
            answers,
            "s{i} = \"{}\"\nn{i} = {}\nb{i} = {}\nm{i} = [\"w\"]",
            ["a", "b", "c", "d"][i % 4],
            i * 100,
            i % 2 == 0
        );
    }
    std::fs::write(dir.join("answers.toml"), answers)
}

/// Runs the release binary once, output discarded; its wall time and peak
/// resident memory (`VmHWM`, read while it runs), or why it failed.
fn run_measured(base: &[String], args: &[&str]) -> String {
    let started = Instant::now();
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_tradeoff"))
        .args(base)
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    let Ok(mut child) = child else {
        return "cannot start".into();
    };
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak_kb = 0.0_f64;
    let status = loop {
        if let Ok(text) = std::fs::read_to_string(&status_file) {
            peak_kb = peak_kb.max(vm_hwm_kb(&text));
        }
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(_) => return "lost".into(),
        }
    };
    let secs = started.elapsed().as_secs_f64();
    let code = status.code().unwrap_or(-1);
    let flag = if code == 0 { "" } else { " (failed)" };
    format!("{secs:.2} s {:.0} MB{flag}", peak_kb / 1024.0)
}

/// The `VmHWM` line of a `/proc/PID/status`, in kB (0 when absent).
fn vm_hwm_kb(status: &str) -> f64 {
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0.0)
}

/// Runs load, answers, evaluation and both renderers for every example,
/// then prints this process's peak resident memory (Linux `VmHWM`).
fn child_decide() {
    let Ok(rb) = tradeoff::builtin::rule_base() else {
        return;
    };
    for example in [
        "examples/saas-startup.toml",
        "examples/catalogue.toml",
        "examples/payments-ledger.toml",
    ] {
        let text = std::fs::read_to_string(example).unwrap_or_default();
        let file = SourceFile::new(example, text);
        let Ok(answers) = AnswerSet::parse(&rb, &file) else {
            return;
        };
        let topics: Vec<_> = rb.topics().iter().collect();
        let Ok(Decided {
            resolution,
            evaluation,
        }) = evaluate_answers(&rb, &answers, &topics)
        else {
            return;
        };
        let decision = DecisionRun {
            rb: &rb,
            answers: &answers,
            resolution: &resolution,
            evaluation: &evaluation,
        };
        let table = report::table::render(
            &decision,
            &TableOptions {
                color: false,
                width: 100,
            },
        );
        let json = report::json::render(&decision).unwrap_or_default();
        std::hint::black_box((table, json));
    }
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    if let Some(line) = status.lines().find(|l| l.starts_with("VmHWM:")) {
        let kb: f64 = line
            .split_whitespace()
            .nth(1)
            .and_then(|n| n.parse().ok())
            .unwrap_or(0.0);
        println!("{:.1} MB", kb / 1024.0);
    }
}

/// Mean time of `runs` calls, and the last result.
fn time<T>(runs: u32, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut last = f(); // warm up
    let start = Instant::now();
    for _ in 0..runs {
        last = std::hint::black_box(f());
    }
    (start.elapsed() / runs.max(1), last)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// A fixed answer to every question: the first choice, the middle number, yes.
fn answers(rb: &RuleBase) -> Facts {
    use tradeoff::rulebase::QuestionKind;
    use tradeoff::value::{Answer, Value};
    let mut map = std::collections::BTreeMap::new();
    for (i, q) in rb.questions().iter().enumerate() {
        let value = match &q.kind {
            QuestionKind::Single(c) => Value::Choice(c[i % c.len()].id.clone()),
            QuestionKind::Multi(c) => {
                Value::Choices(c.iter().take(1 + i % 2).map(|c| c.id.clone()).collect())
            }
            QuestionKind::Number(spec) => {
                Value::Number(spec.max.unwrap_or(1000.0) * ((i % 7) as f64) / 7.0)
            }
            QuestionKind::Bool => Value::Bool(i % 2 == 0),
            QuestionKind::Text => continue,
        };
        map.insert(q.id.clone(), Answer::Known(value));
    }
    Facts::from_map(map)
}

/// xorshift64*: deterministic and dependency-free.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// A questionnaire of 40 questions (single, number, bool, multi) and
/// `TOPICS` topic files holding `rules` rules between them.
fn synthetic(rules: usize) -> (String, Vec<String>) {
    synthetic_in(rules, TOPICS)
}

/// [`synthetic`], the rules spread over `topic_count` topics.
fn synthetic_in(rules: usize, topic_count: usize) -> (String, Vec<String>) {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut q = String::new();
    for i in 0..10 {
        let _ = write!(
            q,
            "[[question]]\nid = \"s{i}\"\nlabel = \"S{i}\"\nprompt = \"?\"\nhelp = \"h\"\nkind = \"single\"\n\
             choices = [{{ id = \"a\", label = \"A\" }}, {{ id = \"b\", label = \"B\" }}, {{ id = \"c\", label = \"C\" }}, {{ id = \"d\", label = \"D\" }}]\n\n\
             [[question]]\nid = \"n{i}\"\nlabel = \"N{i}\"\nprompt = \"?\"\nhelp = \"h\"\nkind = \"number\"\nmin = 0\nmax = 1000\n\n\
             [[question]]\nid = \"b{i}\"\nlabel = \"B{i}\"\nprompt = \"?\"\nhelp = \"h\"\nkind = \"bool\"\n\n\
             [[question]]\nid = \"m{i}\"\nlabel = \"M{i}\"\nprompt = \"?\"\nhelp = \"h\"\nkind = \"multi\"\n\
             choices = [{{ id = \"w\", label = \"W\" }}, {{ id = \"x\", label = \"X\" }}, {{ id = \"y\", label = \"Y\" }}]\n\n"
        );
    }
    let per_topic = rules / topic_count;
    let mut topics = Vec::new();
    for t in 0..topic_count {
        let mut s = format!("[topic]\nid = \"t{t}\"\ntitle = \"T{t}\"\nproblem = \"Which?\"\n\n");
        for o in 0..OPTIONS {
            let _ = write!(
                s,
                "[[option]]\nid = \"o{o}\"\nname = \"O{o}\"\nsummary = \"o\"\n\n"
            );
        }
        for r in 0..per_topic {
            let tests: Vec<String> = (0..1 + rng.below(3))
                .map(|_| {
                    let k = rng.below(10);
                    match rng.below(4) {
                        0 => format!(
                            "{{ q = \"s{k}\", eq = \"{}\" }}",
                            ["a", "b", "c", "d"][rng.below(4)]
                        ),
                        1 => format!("{{ q = \"n{k}\", gt = {} }}", rng.below(1000)),
                        2 => format!("{{ q = \"b{k}\", eq = {} }}", rng.below(2) == 0),
                        _ => format!(
                            "{{ q = \"m{k}\", contains = \"{}\" }}",
                            ["w", "x", "y"][rng.below(3)]
                        ),
                    }
                })
                .collect();
            let (a, b) = (rng.below(OPTIONS), (rng.below(OPTIONS - 1) + 1) % OPTIONS);
            let p = 1 + rng.below(5) as i64;
            let _ = write!(
                s,
                "[[rule]]\nid = \"t{t}-r{r}\"\nsummary = \"s\"\nwhen.all = [{}]\nscore = {{ o{a} = {p}, o{} = -{} }}\n\
                 rationale = \"r\"\nsources = [\"Synthetic https://example.com\"]\n\n",
                tests.join(", "),
                if b == a { (a + 1) % OPTIONS } else { b },
                1 + rng.below(3)
            );
        }
        topics.push(s);
    }
    (q, topics)
}
