//! Which rule base a run uses: the base (built in, or `--rules DIR`) and the
//! rule packs layered over it (`--rules-pack DIR`, or `TRADEOFF_RULES_PACK`).
//!
//! `commands::load_rule_base` stays the one place that turns flags into a
//! rule base; this module holds what it needs to know about packs: that a
//! `--rules DIR` holding a `pack.toml` is a pack over the built-in base, that
//! packs apply in order, and which of a pack's scenarios `rules test DIR`
//! runs.

use super::Failure;
use super::args::Cli;
use crate::rulebase::RuleBase;
use crate::rulebase::pack::{PackFiles, scenario_files};
use anyhow::Result;
use std::path::{Path, PathBuf};

/// Packs to layer, by directory: PATH-style, `:`-separated (`;` on Windows).
pub const PACKS_ENV: &str = "TRADEOFF_RULES_PACK";

/// The pack directories: `--rules-pack` flags in order, else `TRADEOFF_RULES_PACK`.
pub(super) fn pack_dirs(cli: &Cli) -> Vec<PathBuf> {
    if !cli.rules_pack.is_empty() {
        return cli.rules_pack.clone();
    }
    std::env::var_os(PACKS_ENV)
        .map(|v| {
            std::env::split_paths(&v)
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        })
        .unwrap_or_default()
}

/// The base (built in, a rule base directory, or a pack over the built-in
/// base) with `packs` layered over it, in order.
pub(super) fn open(base: Option<&Path>, packs: &[PathBuf]) -> Result<RuleBase> {
    let mut rb = match base {
        None => crate::builtin::rule_base()?,
        Some(dir) if PackFiles::is_pack(dir) => crate::builtin::rule_base()?.layer(&read(dir)?)?,
        Some(dir) => RuleBase::from_dir(dir)?,
    };
    for dir in packs {
        rb = rb.layer(&read(dir)?)?;
    }
    Ok(rb)
}

fn read(dir: &Path) -> Result<PackFiles> {
    Ok(PackFiles::read(dir).map_err(crate::rulebase::LoadError::from)?)
}

/// What `rules test` runs when it is given a pack.
pub(super) struct PackTest {
    pub rb: RuleBase,
    /// Index of the pack under test in `rb.packs()`.
    pub pack: usize,
    pub scenarios: Vec<PathBuf>,
}

/// If `paths` name a pack (or, with no paths, `--rules` names one), the rule
/// base with that pack on top and the pack's scenarios, plus any other paths.
/// `None` when no pack is involved. A pack already layered by the flags is
/// not layered twice.
pub(super) fn pack_test(
    cli: &Cli,
    paths: &[PathBuf],
    load: impl FnOnce() -> Result<RuleBase>,
) -> Result<Option<PackTest>> {
    let packs: Vec<&PathBuf> = paths.iter().filter(|p| PackFiles::is_pack(p)).collect();
    let dir = match (packs.as_slice(), paths.is_empty(), cli.rules.as_slice()) {
        ([], true, [base]) if PackFiles::is_pack(base) => base.clone(),
        ([], _, _) => return Ok(None),
        ([dir], _, _) => (*dir).clone(),
        (more, _, _) => {
            return Err(Failure::Usage(format!(
                "`rules test` takes one rule pack at a time; got {}",
                more.iter()
                    .map(|p| format!("`{}`", p.display()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
            .into());
        }
    };
    let mut rb = load()?;
    let files = read(&dir)?;
    let pack = match rb.packs().iter().position(|p| same_dir(&p.dir, &dir)) {
        Some(index) => index,
        None => {
            rb = rb.layer(&files)?;
            rb.packs().len() - 1
        }
    };
    let mut scenarios = scenario_files(&dir).map_err(crate::rulebase::LoadError::from)?;
    if scenarios.is_empty() {
        return Err(Failure::NoInput {
            path: dir.display().to_string(),
            reason: "the pack has no scenarios: add `scenarios/*.toml`".to_owned(),
        }
        .into());
    }
    scenarios.extend(paths.iter().filter(|p| **p != dir).cloned());
    Ok(Some(PackTest {
        rb,
        pack,
        scenarios,
    }))
}

fn same_dir(a: &str, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => Path::new(a) == b,
    }
}
