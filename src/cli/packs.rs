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
use crate::scenario::TopicCoverage;
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

/// Coverage narrowed to what one pack contributes: the options it adds and
/// the rules it adds or overrides, in the topics it touches.
pub(super) fn pack_coverage(
    rb: &RuleBase,
    pack: usize,
    all: Vec<TopicCoverage>,
) -> Vec<TopicCoverage> {
    let Some(info) = rb.packs().get(pack) else {
        return all;
    };
    all.into_iter()
        .filter_map(|mut topic| {
            let options = |o: &crate::ids::OptionId| {
                info.options
                    .iter()
                    .any(|(t, x)| t == &topic.topic && x == o)
            };
            let in_topic: Vec<_> = rb
                .topic(topic.topic.as_str())
                .map(|t| {
                    t.rules
                        .iter()
                        .filter(|r| info.rules.contains(&r.id))
                        .map(|r| r.id.clone())
                        .collect()
                })
                .unwrap_or_default();
            let option_count = info
                .options
                .iter()
                .filter(|(t, _)| t == &topic.topic)
                .count();
            if option_count == 0 && in_topic.is_empty() {
                return None;
            }
            let never_won: Vec<_> = topic
                .never_won
                .iter()
                .filter(|o| options(o))
                .cloned()
                .collect();
            topic.never_won = never_won;
            topic.never_fired.retain(|r| in_topic.contains(r));
            topic.options = option_count;
            topic.rules = in_topic.len();
            Some(topic)
        })
        .collect()
}
