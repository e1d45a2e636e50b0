//! What `tradeoff scan` prints: an answers file, or the same as JSON.
//!
//! The answers file is one `decide --answers` reads as it is, so a person
//! can edit it and go on; every answer in it carries its evidence as
//! comments above it and an `# inferred` mark beside it, so nothing in it
//! passes for a fact. What no question can hold (API descriptions, earlier
//! decision records) follows as comments, and in full in the JSON.

use super::detectors::{Detectors, Role};
use super::{Evidence, Inference, Inferred, Record, Scan, Undecided};
use serde::Serialize;
use std::collections::BTreeSet;
use std::fmt::Write as _;

/// Evidence lines shown per finding before "and N more".
const SHOWN: usize = 3;

/// The answers file, with evidence as comments.
pub fn answers_file(scan: &Scan, detectors: &Detectors, inferred: &Inferred) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Inferred by `tradeoff scan` from {} files. Each answer is a guess from the",
        scan.files
    );
    out.push_str("# lines named above it: check it before relying on it, or let\n");
    out.push_str("# `tradeoff ask --scan` ask you to confirm each one.\n\n");
    out.push_str("[answers]\n");
    if inferred.answers.is_empty() {
        out.push_str("# Nothing could be inferred.\n");
    }
    for inference in &inferred.answers {
        for because in &inference.because {
            let found = match &because.choice {
                Some(choice) => format!("{} ({choice})", because.found),
                None => because.found.clone(),
            };
            evidence_lines(&mut out, "# ", &found, &because.evidence);
        }
        let _ = writeln!(
            out,
            "{} = {} # inferred\n",
            inference.question, inference.value
        );
    }
    undecided(&mut out, &inferred.undecided);
    also_found(&mut out, scan, detectors, &inferred.answers);
    records(&mut out, &scan.records);
    if !scan.unread.is_empty() {
        let _ = writeln!(
            out,
            "# Not read: {} (templates, invalid or too large); `--format json` lists them.",
            match scan.unread.len() {
                1 => "1 file".to_owned(),
                n => format!("{n} files"),
            }
        );
    }
    out.trim_end().to_owned() + "\n"
}

fn evidence_lines(out: &mut String, prefix: &str, found: &str, evidence: &[Evidence]) {
    for e in evidence.iter().take(SHOWN) {
        let _ = writeln!(out, "{prefix}{found}: {e}");
    }
    if evidence.len() > SHOWN {
        let _ = writeln!(out, "{prefix}{found}: and {} more", evidence.len() - SHOWN);
    }
}

/// Questions the findings disagree on, each choice with what it rests on.
fn undecided(out: &mut String, undecided: &[Undecided]) {
    for question in undecided {
        let _ = writeln!(
            out,
            "# Not inferred: the files disagree on `{}`; answer it yourself.",
            question.question
        );
        for because in &question.because {
            let choice = because.choice.as_deref().unwrap_or("?");
            let found = format!("{} ({choice})", because.found);
            evidence_lines(out, "#   ", &found, &because.evidence);
        }
        out.push('\n');
    }
}

/// Technologies found that no inferred answer rests on.
fn also_found(out: &mut String, scan: &Scan, detectors: &Detectors, inferred: &[Inference]) {
    let used: BTreeSet<&str> = inferred
        .iter()
        .flat_map(|i| i.because.iter().map(|b| b.found.as_str()))
        .collect();
    let unused: Vec<(usize, &Vec<Evidence>)> = scan
        .found
        .iter()
        .filter(|(t, _)| !used.contains(detectors.techs[**t].name.as_str()))
        .map(|(t, e)| (*t, e))
        .collect();
    if unused.is_empty() {
        return;
    }
    out.push_str("# Also found (no answer rests on these):\n");
    for (tech, evidence) in unused {
        evidence_lines(out, "#   ", &detectors.techs[tech].name, evidence);
    }
    out.push('\n');
}

fn records(out: &mut String, records: &[Record]) {
    if records.is_empty() {
        return;
    }
    out.push_str("# Decision records already here (`decide --adr` can supersede them):\n");
    for record in records {
        let topics = if record.topics.is_empty() {
            String::new()
        } else {
            format!(" [{}]", record.topics.join(", "))
        };
        let _ = writeln!(out, "#   {}: {}{topics}", record.file, record.title);
    }
    out.push('\n');
}

/// A technology found, for the JSON.
#[derive(Serialize)]
struct Found<'a> {
    id: &'a str,
    name: &'a str,
    role: Role,
    evidence: &'a [Evidence],
}

#[derive(Serialize)]
struct ScanJson<'a> {
    files: usize,
    inferred: &'a [Inference],
    undecided: &'a [Undecided],
    found: Vec<Found<'a>>,
    deployables: &'a super::Deployables,
    languages: &'a std::collections::BTreeMap<&'static str, Vec<Evidence>>,
    records: &'a [Record],
    unread: &'a [Evidence],
}

/// The same as data.
pub fn json(scan: &Scan, detectors: &Detectors, inferred: &Inferred) -> serde_json::Value {
    let found = scan
        .found
        .iter()
        .map(|(&t, evidence)| {
            let tech = &detectors.techs[t];
            Found {
                id: &tech.id,
                name: &tech.name,
                role: tech.role,
                evidence,
            }
        })
        .collect();
    serde_json::to_value(ScanJson {
        files: scan.files,
        inferred: &inferred.answers,
        undecided: &inferred.undecided,
        found,
        deployables: &scan.deployables,
        languages: &scan.languages,
        records: &scan.records,
        unread: &scan.unread,
    })
    .unwrap_or(serde_json::Value::Null)
}
