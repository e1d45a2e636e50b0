//! Rule packs: a team's own rules, layered over a rule base.
//!
//! Teams keep what they know apart from the built-in knowledge base: their
//! approved technologies, their lessons learned. A pack is a directory laid
//! out as `rules/` is, plus a manifest:
//!
//! ```text
//! pack.toml           [pack] name, version, extends = "builtin", disable = [...]
//! questions.toml      optional: questions to add
//! sources.toml        optional: sources to add
//! topics/*.toml       new topics, or options and rules added to existing ones
//! scenarios/*.toml    scenarios that `tradeoff rules test DIR` runs
//! ```
//!
//! Layering ([`RuleBase::layer`]) checks the pack against everything below it
//! with the rule base's own validator (`validate::layer`), so a pack's rule
//! may read a built-in question and score a built-in option. What a pack does
//! beyond adding is explicit: `override = true` on a rule replaces the base's
//! rule with that id, `disable` in the manifest removes base rules. Every
//! change is recorded ([`Layers`]) so the rule base can say which packs are
//! in use, and which rules they added, replaced or removed; the fingerprint
//! covers the packs' files, so a decision record knows the packs it was made
//! with.

use super::load::{ReadError, RuleBaseFiles};
use super::{Rule, RuleBase, validate};
use crate::diagnostic::DataError;
use crate::ids::{OptionId, QuestionId, RuleId, TopicId};
use crate::source::{Location, SourceFile};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use toml::Spanned;

/// The manifest that makes a directory a rule pack.
pub const MANIFEST_FILE: &str = "pack.toml";
/// Where a pack keeps its scenarios, for `tradeoff rules test DIR`.
pub const SCENARIO_DIRS: [&str; 2] = ["scenarios", "tests"];
/// The only base a manifest's `extends` may name.
pub const BUILTIN: &str = "builtin";

/// `pack.toml` as serde reads it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawManifest {
    pub pack: Spanned<RawPack>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPack {
    pub name: Spanned<String>,
    pub version: Option<Spanned<String>>,
    pub description: Option<Spanned<String>>,
    pub extends: Option<Spanned<String>>,
    #[serde(default)]
    pub disable: Vec<Spanned<String>>,
}

/// The files of one pack, read but not yet checked.
#[derive(Debug)]
pub struct PackFiles {
    /// The directory, as the user named it.
    pub dir: String,
    pub manifest: Arc<SourceFile>,
    /// Its rule files (questions, sources, topics), without scenarios.
    pub rules: RuleBaseFiles,
}

impl PackFiles {
    /// Whether a directory is a rule pack: it has a `pack.toml`.
    pub fn is_pack(dir: &Path) -> bool {
        dir.join(MANIFEST_FILE).is_file()
    }

    /// Reads a pack directory: the manifest and its rule files.
    pub fn read(dir: &Path) -> Result<Self, ReadError> {
        let fail = |reason: &str| ReadError {
            path: dir.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, reason.to_owned()),
        };
        if !dir.is_dir() {
            return Err(fail("not a directory"));
        }
        if !Self::is_pack(dir) {
            return Err(fail(
                "not a rule pack: it has no `pack.toml` (see `tradeoff rules export` for a whole rule base)",
            ));
        }
        let found = RuleBaseFiles::read_dir(dir)?;
        let mut manifest = None;
        let mut rules = Vec::new();
        for (rel, file) in found.all {
            if rel == MANIFEST_FILE {
                manifest = Some(file);
            } else if !is_scenario(&rel) {
                rules.push((rel, file));
            }
        }
        let manifest = manifest.ok_or_else(|| fail("its `pack.toml` cannot be read"))?;
        Ok(Self {
            dir: dir.display().to_string(),
            manifest,
            rules: RuleBaseFiles::classify(rules),
        })
    }

    /// A pack from text in memory, `pack.toml` among the files (for tests).
    pub fn from_memory(dir: &str, files: &[(&str, &str)]) -> Self {
        let name = |rel: &str| format!("{dir}/{rel}");
        let manifest = files
            .iter()
            .find(|(rel, _)| *rel == MANIFEST_FILE)
            .map_or("", |(_, text)| *text);
        Self {
            dir: dir.to_owned(),
            manifest: SourceFile::new(name(MANIFEST_FILE), manifest),
            rules: RuleBaseFiles::classify(
                files
                    .iter()
                    .filter(|(rel, _)| *rel != MANIFEST_FILE && !is_scenario(rel))
                    .map(|(rel, text)| (rel.to_string(), SourceFile::new(name(rel), *text)))
                    .collect(),
            ),
        }
    }
}

fn is_scenario(rel: &str) -> bool {
    SCENARIO_DIRS
        .iter()
        .any(|d| rel.strip_prefix(d).is_some_and(|r| r.starts_with('/')))
}

/// The scenario files a pack ships, sorted: `scenarios/*.toml`, `tests/*.toml`.
pub fn scenario_files(dir: &Path) -> Result<Vec<PathBuf>, ReadError> {
    let mut out = Vec::new();
    for sub in SCENARIO_DIRS {
        let path = dir.join(sub);
        if !path.is_dir() {
            continue;
        }
        let entries = std::fs::read_dir(&path).map_err(|source| ReadError {
            path: path.clone(),
            source,
        })?;
        let mut found: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "toml"))
            .collect();
        found.sort();
        out.extend(found);
    }
    Ok(out)
}

/// One pack in use, and what it contributed.
#[derive(Debug, Clone)]
pub struct PackInfo {
    pub name: String,
    pub version: Option<String>,
    pub description: Option<String>,
    pub dir: String,
    /// Where its name is written, for messages that point at the pack.
    pub at: Location,
    /// Topics it defines.
    pub topics: Vec<TopicId>,
    /// Options it adds, to its own topics or to others.
    pub options: Vec<(TopicId, OptionId)>,
    /// Rules it adds or overrides.
    pub rules: Vec<RuleId>,
    pub questions: Vec<QuestionId>,
    pub disabled: Vec<RuleId>,
}

impl PackInfo {
    /// `name@version`, or the name alone: how reports name the pack.
    pub fn label(&self) -> String {
        match &self.version {
            Some(v) => format!("{}@{v}", self.name),
            None => self.name.clone(),
        }
    }
}

/// How a pack changed a rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// The pack defines the rule.
    Added,
    /// The pack's rule replaces one defined at this location.
    Overridden { replaced: Location },
    /// The pack removed the rule, at this entry of its `disable` list.
    Disabled { at: Location },
}

/// The latest change a pack made to a rule.
#[derive(Debug, Clone)]
pub struct Provenance {
    /// Index into [`Layers::packs`].
    pub pack: usize,
    pub change: Change,
}

/// The packs layered over the base, in order, and what they changed.
#[derive(Debug, Default)]
pub struct Layers {
    pub packs: Vec<PackInfo>,
    pub rules: BTreeMap<RuleId, Provenance>,
    /// Rules a pack disabled, whole, for `rules show` and `rules list`.
    pub disabled: Vec<Rule>,
    /// The packs' files, named `packs/N/...` for the fingerprint.
    pub files: Vec<(String, Arc<SourceFile>)>,
}

impl Layers {
    pub fn pack(&self, provenance: &Provenance) -> Option<&PackInfo> {
        self.packs.get(provenance.pack)
    }
}

impl RuleBase {
    /// This rule base with a pack layered over it. The pack is validated
    /// against everything below it; every problem is reported at the pack's
    /// file, line and column.
    pub fn layer(self, pack: &PackFiles) -> Result<RuleBase, DataError> {
        let RuleBase {
            questions,
            topics,
            sources,
            files,
            warnings,
            origin,
            mut layers,
            ..
        } = self;
        let below = validate::Checked {
            questions,
            topics,
            sources,
            warnings,
        };
        let layered = validate::layer::layer(below, pack, &layers)?;
        let index = layers.packs.len();
        for rule in layered.removed {
            layers.disabled.retain(|r| r.id != rule.id);
            layers.disabled.push(rule);
        }
        for (id, change) in layered.changes {
            layers.rules.insert(
                id,
                Provenance {
                    pack: index,
                    change,
                },
            );
        }
        layers.files.push((
            format!("packs/{index}/{MANIFEST_FILE}"),
            Arc::clone(&pack.manifest),
        ));
        for (rel, file) in &pack.rules.all {
            layers
                .files
                .push((format!("packs/{index}/{rel}"), Arc::clone(file)));
        }
        let origin = format!("{origin} + {}", layered.info.label());
        layers.packs.push(layered.info);
        let mut rb = RuleBase::assemble(layered.checked, RuleBaseFiles::classify(files), &origin);
        rb.layers = layers;
        Ok(rb)
    }

    /// The packs layered over the base, in order.
    pub fn packs(&self) -> &[PackInfo] {
        &self.layers.packs
    }

    /// Which pack added, overrode or disabled a rule, if any.
    pub fn provenance(&self, rule: &str) -> Option<(&PackInfo, &Change)> {
        let p = self.layers.rules.get(rule)?;
        Some((self.layers.pack(p)?, &p.change))
    }

    /// The rules packs disabled, as they were before.
    pub fn disabled_rules(&self) -> &[Rule] {
        &self.layers.disabled
    }
}
