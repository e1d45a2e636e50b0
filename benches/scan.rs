//! Scanning a large repository: `cargo bench --bench scan`.
//!
//! Generates a synthetic repository of just over 100,000 files in a temporary
//! directory (the same tree on every run): 500 services, each with its
//! source files, a package manifest, a Dockerfile, a Kubernetes manifest,
//! configuration YAML and a protobuf schema, plus a `node_modules` tree and
//! an ignored build directory that the walk must skip. Then it times
//! `tradeoff scan`'s work in process (walk, read, parse, infer, render),
//! three runs after one warm-up. Target: under 2 s. It reports; it never
//! fails on timing.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};
use tradeoff::scan::{self, Detectors, Limits};

const SERVICES: usize = 500;
const SOURCES_PER_SERVICE: usize = 188;
const SKIPPED_FILES: usize = 6_000;

fn main() {
    let dir = match tempfile::tempdir() {
        Ok(dir) => dir,
        Err(e) => fail(&format!("cannot make a temporary directory: {e}")),
    };
    let files =
        generate(dir.path()).unwrap_or_else(|e| fail(&format!("cannot write the tree: {e}")));
    println!("synthetic repository: {files} files ({SERVICES} services)\n");
    let rb = tradeoff::builtin::rule_base().unwrap_or_else(|_| fail("no built-in rule base"));
    let detectors = Detectors::builtin().unwrap_or_else(|e| fail(&e.to_string()));
    let run = || {
        let found = scan::scan(dir.path(), &detectors, &Limits::default())
            .unwrap_or_else(|e| fail(&e.to_string()));
        let inferred = scan::infer(&rb, &detectors, &found);
        let text = scan::output::answers_file(&found, &detectors, &inferred);
        (found.files, text.len())
    };
    let _ = run();
    let mut times: Vec<Duration> = Vec::new();
    let mut seen = 0;
    for _ in 0..3 {
        let start = Instant::now();
        let (walked, _) = run();
        times.push(start.elapsed());
        seen = walked;
    }
    times.sort();
    let mut report = String::new();
    let _ = writeln!(report, "files read or skipped by name: {seen}");
    let _ = writeln!(
        report,
        "scan (walk, read, parse, infer, render): min {:.0} ms, median {:.0} ms, max {:.0} ms",
        ms(times[0]),
        ms(times[1]),
        ms(times[2])
    );
    let verdict = if times[1] < Duration::from_secs(2) {
        "within"
    } else {
        "OVER"
    };
    let _ = writeln!(report, "target: under 2000 ms; median {verdict} budget");
    print!("{report}");
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn fail(message: &str) -> ! {
    eprintln!("{message}");
    std::process::exit(1)
}

/// Writes the tree; returns how many files it holds.
fn generate(root: &Path) -> std::io::Result<usize> {
    let mut count = 0;
    fs::write(root.join(".gitignore"), "build/\n")?;
    count += 1;
    for s in 0..SERVICES {
        let service = root.join(format!("services/svc{s:03}"));
        fs::create_dir_all(service.join("src"))?;
        fs::write(
            service.join("package.json"),
            format!(
                "{{\"name\": \"svc{s}\", \"dependencies\": {{\"pg\": \"8\", \"kafkajs\": \"2\"}}}}\n"
            ),
        )?;
        fs::write(service.join("Dockerfile"), "FROM node:20\n")?;
        fs::write(
            service.join("deployment.yaml"),
            format!(
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: svc{s}\nspec:\n  template:\n    spec:\n      containers:\n        - image: shop/svc{s}:1\n"
            ),
        )?;
        fs::write(service.join("config.yaml"), "log_level: info\nport: 8080\n")?;
        fs::write(
            service.join("api.proto"),
            "syntax = \"proto3\";\nservice Api {}\n",
        )?;
        count += 5;
        for f in 0..SOURCES_PER_SERVICE - 5 {
            fs::write(
                service.join(format!("src/m{f:03}.js")),
                format!("export const m{f} = {f};\n"),
            )?;
            count += 1;
        }
    }
    for (tree, n) in [
        ("node_modules/pg/lib", SKIPPED_FILES / 2),
        ("build/out", SKIPPED_FILES / 2),
    ] {
        let dir = root.join(tree);
        fs::create_dir_all(&dir)?;
        for f in 0..n {
            fs::write(dir.join(format!("f{f}.yaml")), "kind: Deployment\n")?;
            count += 1;
        }
    }
    Ok(count)
}
