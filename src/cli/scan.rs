//! `tradeoff scan [DIR]`: the answers a repository suggests, with evidence.
//!
//! The scan itself lives in [`crate::scan`]; this is only its edge: the
//! arguments, the rule base the inferences are checked against, and
//! standard output.

use super::Failure;
use super::args::{Cli, ListFormat};
use super::commands::load_rule_base;
use super::output::emit;
use crate::scan::{self, Detectors, Limits};
use anyhow::Result;
use clap::Args;
use std::path::PathBuf;

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

pub fn run(cli: &Cli, args: &ScanArgs) -> Result<()> {
    let rb = load_rule_base(cli)?;
    let detectors = Detectors::builtin()?;
    let found =
        scan::scan(&args.dir, &detectors, &Limits::default()).map_err(|e| Failure::NoInput {
            path: args.dir.display().to_string(),
            reason: e.to_string(),
        })?;
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
