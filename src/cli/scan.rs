//! `tradeoff scan [DIR]`: the answers a repository suggests, with evidence.
//!
//! The scan itself lives in [`crate::scan`]; this is only its edge: the
//! arguments, the rule base the inferences are checked against, and
//! standard output.

use super::Failure;
use super::args::{Cli, ListFormat};
use super::commands::load_rule_base;
use super::output::emit;
use crate::answers::{AnswerSet, Given, Inferred, InferredFrom, Origin};
use crate::rulebase::RuleBase;
use crate::scan::{self, Detectors, Inference, Limits};
use anyhow::Result;
use clap::Args;
use std::path::{Path, PathBuf};

/// `tradeoff scan [DIR] [--format json]`.
#[derive(Debug, Args)]
pub struct ScanArgs {
    /// The repository to read
    #[arg(value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,

    /// Output format: an answers file with evidence as comments, or JSON
    #[arg(long, short = 'f', value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

/// Scans a directory; one that cannot be scanned is an input error.
fn scan_dir(dir: &Path, detectors: &Detectors) -> Result<scan::Scan> {
    scan::scan(dir, detectors, &Limits::default()).map_err(|e| {
        Failure::NoInput {
            path: dir.display().to_string(),
            reason: e.to_string(),
        }
        .into()
    })
}

/// The built-in detectors, with the `detectors.toml` of each rule pack in
/// use (`--rules-pack`, or `--rules` naming a pack) over them.
fn detectors(cli: &Cli) -> Result<Detectors> {
    let mut dirs: Vec<PathBuf> = cli.rules.to_vec();
    dirs.extend(super::packs::pack_dirs(cli));
    let mut texts = Vec::new();
    for dir in dirs {
        let path = dir.join(crate::rulebase::load::DETECTORS_FILE);
        if path.is_file() {
            let text = std::fs::read_to_string(&path).map_err(|e| Failure::NoInput {
                path: path.display().to_string(),
                reason: e.to_string(),
            })?;
            texts.push(text);
        }
    }
    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
    Ok(Detectors::layered(&texts)?)
}

pub fn run(cli: &Cli, args: &ScanArgs) -> Result<()> {
    let rb = load_rule_base(cli)?;
    let detectors = detectors(cli)?;
    let found = scan_dir(&args.dir, &detectors)?;
    let inferred = scan::infer(&rb, &detectors, &found);
    let text = match args.format {
        ListFormat::Text => scan::output::answers_file(&found, &detectors, &inferred),
        ListFormat::Json => {
            serde_json::to_string_pretty(&scan::output::json(&found, &detectors, &inferred))? + "\n"
        }
    };
    emit(&text)?;
    Ok(())
}

/// `--scan DIR`: the answers a scan infers, for the questions the answers
/// file and `--set` leave open, each marked inferred and not yet confirmed.
pub(super) fn prefill(cli: &Cli, rb: &RuleBase, dir: &Path, answers: &mut AnswerSet) -> Result<()> {
    let detectors = detectors(cli)?;
    let found = scan_dir(dir, &detectors)?;
    for inference in scan::infer(rb, &detectors, &found).answers {
        let Some(question) = rb.question(&inference.question) else {
            continue;
        };
        if answers.entries.contains_key(&question.id) {
            continue;
        }
        let Ok(answer) = question.check_toml(&inference.value) else {
            continue;
        };
        answers.entries.insert(
            question.id.clone(),
            Given {
                answer,
                origin: Origin::Inferred(inferred_from(&inference)),
            },
        );
    }
    Ok(())
}

/// Each finding with its best piece of evidence: `PostgreSQL (docker-compose.yml:10)`.
fn inferred_from(inference: &Inference) -> Inferred {
    Inferred {
        because: inference
            .because
            .iter()
            .map(|b| InferredFrom {
                choice: b.choice.clone(),
                // Declared infrastructure is the better pointer: it names
                // what runs, a dependency only what the code can talk to.
                found: match b
                    .evidence
                    .iter()
                    .find(|e| !e.is_dependency())
                    .or(b.evidence.first())
                {
                    Some(e) => format!("{} ({})", b.found, e.location()),
                    None => b.found.clone(),
                },
            })
            .collect(),
        confirmed: false,
    }
}
