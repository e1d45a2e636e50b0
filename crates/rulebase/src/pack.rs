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

use super::load::{ReadError, RuleBaseFiles, toml_entries};
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
            return Err(fail("not a rule pack: it has no `pack.toml`"));
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
/// A link that leads out of the pack is refused, as for its rule files.
pub fn scenario_files(dir: &Path) -> Result<Vec<PathBuf>, ReadError> {
    let root = dir.canonicalize().map_err(|source| ReadError {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut out = Vec::new();
    for sub in SCENARIO_DIRS {
        let path = dir.join(sub);
        if !path.is_dir() {
            continue;
        }
        let found = toml_entries(&path).map_err(|source| ReadError {
            path: path.clone(),
            source,
        })?;
        for found in found {
            crate::load::stays_within(&root, &found)?;
            if found.is_file() {
                out.push(found);
            }
        }
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
pub enum PackChange {
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
    pub change: PackChange,
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
            risks,
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
            risks,
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
    pub fn provenance(&self, rule: &str) -> Option<(&PackInfo, &PackChange)> {
        let p = self.layers.rules.get(rule)?;
        Some((self.layers.pack(p)?, &p.change))
    }

    /// The rules packs disabled, as they were before.
    pub fn disabled_rules(&self) -> &[Rule] {
        &self.layers.disabled
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{RuleBaseBuilder, RuleBuilder};

    /// A topic `store` whose two rules read `team_size`.
    fn base_rules() -> RuleBaseBuilder {
        RuleBaseBuilder::new()
            .number("team_size")
            .topic("store", |t| {
                t.option("sql", |o| o.name("SQL"))
                    .option("nosql", |o| o.name("NoSQL"))
                    .rule(
                        "small-team-keeps-sql",
                        r#"{ q = "team_size", lt = 10 }"#,
                        &[("sql", 2)],
                    )
                    .rule(
                        "big-team-tries-nosql",
                        r#"{ q = "team_size", gte = 10 }"#,
                        &[("nosql", 1)],
                    )
            })
            .origin("base")
    }

    fn base() -> RuleBase {
        base_rules().build()
    }

    /// The pack `acme` of these files, with [`MANIFEST`].
    fn pack(files: RuleBaseBuilder) -> PackFiles {
        files.pack_files("acme", MANIFEST)
    }

    /// The pack `acme` of a manifest alone.
    fn manifest_only(manifest: &str) -> PackFiles {
        RuleBaseBuilder::new().pack_files("acme", manifest)
    }

    const MANIFEST: &str = "[pack]\nname = \"acme\"\nversion = \"1.2\"\nextends = \"builtin\"\n";

    /// The rendered errors of a pack that must not layer.
    fn errors(pack: &PackFiles) -> Vec<String> {
        match base().layer(pack) {
            Ok(_) => panic!("the pack layered"),
            Err(e) => e
                .diagnostics
                .iter()
                .filter(|d| d.is_error())
                .map(|d| d.render(false))
                .collect(),
        }
    }

    #[test]
    fn a_pack_adds_options_and_rules_that_read_the_base() {
        let files = RuleBaseBuilder::new().extend_topic("store", |t| {
            t.option("graph", |o| o.name("Graph")).rule(
                "acme-likes-graphs",
                r#"{ q = "team_size", gte = 3 }"#,
                &[("graph", 2), ("sql", -1)],
            )
        });
        let rb = base().layer(&pack(files)).unwrap();
        let store = rb.topic("store").unwrap();
        let ids: Vec<&str> = store.options.iter().map(|o| o.id.as_str()).collect();
        assert_eq!(ids, ["sql", "nosql", "graph"]);
        assert_eq!(store.rules.len(), 3);
        assert_eq!(rb.origin(), "base + acme@1.2");
        let (info, change) = rb.provenance("acme-likes-graphs").unwrap();
        assert_eq!((info.name.as_str(), change), ("acme", &PackChange::Added));
        assert_eq!(
            info.options,
            [(TopicId::new("store"), OptionId::new("graph"))]
        );
    }

    #[test]
    fn a_pack_adds_a_topic_and_a_question_gated_by_the_base() {
        let files = RuleBaseBuilder::new()
            .question("uses_queues", |q| {
                q.boolean().when(r#"{ q = "team_size", gte = 2 }"#)
            })
            .source("ACME", |s| s.title("Acme radar"))
            .topic("queue", |t| {
                t.options(&["kafka", "sqs"])
                    .rule_with("queues-want-kafka", |r| {
                        r.when(r#"{ q = "uses_queues", eq = true }"#)
                            .score(&[("kafka", 2)])
                            .sources(&["ACME"])
                    })
            })
            .file("scenarios/ignored.toml", "not = \"a rule file\"");
        let rb = base().layer(&pack(files)).unwrap();
        let queue = rb.topic("queue").unwrap();
        let asked: Vec<&str> = rb
            .relevant_questions(&[queue])
            .iter()
            .map(|q| q.id.as_str())
            .collect();
        assert_eq!(asked, ["team_size", "uses_queues"]);
        assert!(rb.warnings().is_empty(), "{:?}", rb.warnings());
        let info = &rb.packs()[0];
        assert_eq!(info.topics, [TopicId::new("queue")]);
        assert_eq!(info.questions, [QuestionId::new("uses_queues")]);
    }

    #[test]
    fn override_replaces_the_rule_in_place_and_remembers_where_it_was() {
        let files = RuleBaseBuilder::new().extend_topic("store", |t| {
            t.rule_with("small-team-keeps-sql", |r| {
                r.overrides()
                    .summary("Every team keeps SQL at Acme")
                    .score(&[("sql", 3)])
            })
        });
        let rb = base().layer(&pack(files)).unwrap();
        let store = rb.topic("store").unwrap();
        assert_eq!(store.rules[0].id.as_str(), "small-team-keeps-sql");
        assert_eq!(store.rules[0].summary, "Every team keeps SQL at Acme");
        assert_eq!(store.rules.len(), 2);
        let replaced = base()
            .rule("small-team-keeps-sql")
            .unwrap()
            .1
            .span
            .location();
        assert_eq!(replaced.to_string(), "topics/store.toml:17:1");
        let (_, change) = rb.provenance("small-team-keeps-sql").unwrap();
        assert_eq!(change, &PackChange::Overridden { replaced });
    }

    #[test]
    fn a_rule_disabled_twice_is_an_error() {
        let manifest =
            format!("{MANIFEST}disable = [\"big-team-tries-nosql\", \"big-team-tries-nosql\"]\n");
        let errors = errors(&manifest_only(&manifest));
        assert!(
            errors
                .iter()
                .any(|e| e.contains("rule `big-team-tries-nosql` is listed twice in `disable`")),
            "{errors:?}"
        );
    }

    #[test]
    fn disable_removes_a_rule_and_keeps_it_for_show() {
        let manifest = format!("{MANIFEST}disable = [\"big-team-tries-nosql\"]\n");
        let rb = base().layer(&manifest_only(&manifest)).unwrap();
        assert!(rb.rule("big-team-tries-nosql").is_none());
        assert_eq!(rb.disabled_rules().len(), 1);
        let (_, change) = rb.provenance("big-team-tries-nosql").unwrap();
        assert_eq!(
            change.clone(),
            PackChange::Disabled {
                at: Location {
                    file: Arc::from("acme/pack.toml"),
                    line: 5,
                    column: 12
                }
            }
        );
    }

    #[test]
    fn the_fingerprint_covers_the_packs() {
        let plain = base();
        let layered = base().layer(&manifest_only(MANIFEST)).unwrap();
        assert_ne!(plain.fingerprint(), layered.fingerprint());
        let again = base().layer(&manifest_only(MANIFEST)).unwrap();
        assert_eq!(layered.fingerprint(), again.fingerprint());
    }

    #[test]
    fn override_of_a_missing_rule_suggests_the_closest() {
        let files = RuleBaseBuilder::new().extend_topic("store", |t| {
            t.rule_with("small-team-keep-sql", |r| {
                r.overrides().score(&[("sql", 3)])
            })
        });
        let errors = errors(&pack(files));
        assert_eq!(
            errors,
            ["error: cannot override unknown rule `small-team-keep-sql`
 --> acme/topics/store.toml:5:6
  |
5 | id = \"small-team-keep-sql\"
  |      ^^^^^^^^^^^^^^^^^^^^^ no such rule in the rule base
  |
  = help: did you mean `small-team-keeps-sql`?
  = help: to add a rule of the pack's own, remove `override = true`"]
        );
    }

    #[test]
    fn a_duplicate_without_override_names_both_places() {
        let files = RuleBaseBuilder::new().extend_topic("store", |t| {
            t.always("big-team-tries-nosql", &[("nosql", 3)])
        });
        let errors = errors(&pack(files));
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].contains("duplicate rule id `big-team-tries-nosql`"),
            "{}",
            errors[0]
        );
        assert!(
            errors[0].contains("--> acme/topics/store.toml:5:6"),
            "{}",
            errors[0]
        );
        assert!(
            errors[0].contains("first defined at topics/store.toml:25:1"),
            "{}",
            errors[0]
        );
    }

    #[test]
    fn disable_of_an_unknown_rule_suggests_the_closest() {
        let manifest = format!("{MANIFEST}disable = [\"big-teams-try-nosql\"]\n");
        let errors = errors(&manifest_only(&manifest));
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].contains("cannot disable unknown rule `big-teams-try-nosql`"));
        assert!(
            errors[0].contains("--> acme/pack.toml:5:12"),
            "{}",
            errors[0]
        );
        assert!(errors[0].contains("did you mean `big-team-tries-nosql`?"));
    }

    #[test]
    fn a_pack_cannot_retitle_a_topic_or_override_across_topics() {
        let files = RuleBaseBuilder::new()
            .extend_topic("store", |t| t.title("Our store"))
            .topic("queue", |t| {
                t.options(&["a", "b"])
                    .rule_with("small-team-keeps-sql", |r| r.overrides().score(&[("a", 1)]))
            });
        let text = errors(&pack(files)).join("\n");
        assert!(
            text.contains("cannot override rule `small-team-keeps-sql` in topic `queue`: it belongs to topic `store`"),
            "{text}"
        );
        assert!(
            text.contains("topic `store` is already defined; a pack cannot change its `title`"),
            "{text}"
        );
    }

    #[test]
    fn override_outside_a_pack_is_an_error() {
        let err = base_rules()
            .topic("store", |t| {
                t.rule_with("big-team-tries-nosql", RuleBuilder::overrides)
            })
            .try_build()
            .err()
            .unwrap();
        assert!(
            err.render(false)
                .contains("`override` only applies to a rule in a rule pack"),
            "{}",
            err.render(false)
        );
    }

    #[test]
    fn the_manifest_names_the_only_base() {
        let errors = errors(&manifest_only(
            "[pack]\nname = \"acme\"\nextends = \"platform\"\n",
        ));
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].contains("unknown base `platform`"),
            "{}",
            errors[0]
        );
    }
}
