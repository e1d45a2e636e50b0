//! The detectors: what names a technology in a repository, read from data.
//!
//! Which image, package, resource type or file means "PostgreSQL runs here"
//! changes far more often than the code that reads compose files or package
//! manifests, so it lives in `rules/detectors.toml` (compiled into the
//! binary) and this module only turns that file into matchers. Each pattern
//! is an exact name or a prefix ending in `*`; file patterns are globs.

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use std::collections::BTreeMap;

/// The detectors built into the binary.
pub const BUILTIN: &str = include_str!("../../rules/detectors.toml");

/// A technology and the names that reveal it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tech {
    pub id: String,
    pub name: String,
    pub role: Role,
    /// Question id to the choice this technology's presence suggests.
    #[serde(default)]
    pub answers: BTreeMap<String, String>,
    /// Its one-choice answers count only when nothing else answers.
    #[serde(default)]
    pub secondary: bool,
    /// Its one-choice answers need declared infrastructure, not only a
    /// dependency.
    #[serde(default)]
    pub declared_only: bool,
    /// Its one-choice answers count only when none of these is found.
    #[serde(default)]
    pub unless: Vec<String>,
    #[serde(default)]
    images: Vec<Pattern>,
    #[serde(default)]
    packages: Vec<Pattern>,
    #[serde(default)]
    terraform: Vec<Pattern>,
    #[serde(default)]
    cloudformation: Vec<Pattern>,
    #[serde(default)]
    kinds: Vec<String>,
    #[serde(default)]
    keys: Vec<String>,
    #[serde(default)]
    files: Vec<FileRule>,
}

/// What a technology is, for grouping the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Store,
    Cache,
    Messaging,
    Api,
    Platform,
    Compute,
    Cloud,
    Managed,
    /// Runs beside the services to watch or route them: collectors,
    /// tracing, dashboards, proxies.
    Operations,
}

/// A file whose presence (and, with `line`, a line starting so) is evidence.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileRule {
    glob: String,
    pub line: Option<String>,
}

/// A name, or a prefix when it ends in `*`.
#[derive(Debug, Deserialize)]
#[serde(from = "String")]
struct Pattern(String);

impl From<String> for Pattern {
    fn from(s: String) -> Self {
        Pattern(s)
    }
}

impl Pattern {
    fn matches(&self, name: &str) -> bool {
        match self.0.strip_suffix('*') {
            Some(prefix) => name.starts_with(prefix),
            None => name == self.0,
        }
    }

    /// A Go module path also names its sub-packages and major versions:
    /// `github.com/jackc/pgx` matches `github.com/jackc/pgx/v5`.
    fn matches_package(&self, name: &str) -> bool {
        self.matches(name)
            || (self.0.contains('/')
                && !self.0.ends_with('*')
                && name
                    .strip_prefix(self.0.as_str())
                    .is_some_and(|rest| rest.starts_with('/')))
    }
}

/// A detectors file as written. A rule pack's file may hold only some of
/// it (a few `[[tech]]` tables); what it holds adds to the built-in file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDetectors {
    #[serde(default)]
    tech: Vec<Tech>,
    #[serde(default)]
    manifests: BTreeMap<String, ManifestFormat>,
    #[serde(default)]
    compose: ComposeRule,
    #[serde(default)]
    adr: AdrRule,
}

impl RawDetectors {
    /// Adds a later layer: a technology with an id already known replaces
    /// it, any other is added; names, directories and words add up.
    fn layer(&mut self, over: RawDetectors) {
        for tech in over.tech {
            match self.tech.iter_mut().find(|t| t.id == tech.id) {
                Some(known) => *known = tech,
                None => self.tech.push(tech),
            }
        }
        self.manifests.extend(over.manifests);
        self.compose.files.extend(over.compose.files);
        self.adr.dirs.extend(over.adr.dirs);
        for (topic, words) in over.adr.topics {
            self.adr.topics.entry(topic).or_default().extend(words);
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ComposeRule {
    files: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct AdrRule {
    #[serde(default)]
    dirs: Vec<String>,
    #[serde(default)]
    topics: BTreeMap<String, Vec<String>>,
}

/// The package-manifest formats the scanner can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ManifestFormat {
    Npm,
    Go,
    Cargo,
    Python,
    Requirements,
    Maven,
    Gradle,
    Bundler,
    Nuget,
}

impl ManifestFormat {
    /// The language a manifest of this format builds.
    pub fn language(self) -> &'static str {
        match self {
            ManifestFormat::Npm => "JavaScript",
            ManifestFormat::Go => "Go",
            ManifestFormat::Cargo => "Rust",
            ManifestFormat::Python | ManifestFormat::Requirements => "Python",
            ManifestFormat::Maven | ManifestFormat::Gradle => "Java",
            ManifestFormat::Bundler => "Ruby",
            ManifestFormat::Nuget => "C#",
        }
    }
}

/// The detectors, compiled for matching.
#[derive(Debug)]
pub struct Detectors {
    pub techs: Vec<Tech>,
    manifest_names: GlobSet,
    manifest_formats: Vec<ManifestFormat>,
    compose_names: GlobSet,
    /// Every tech's file globs, and for each glob its (tech, rule) index.
    tech_files: GlobSet,
    tech_file_owner: Vec<(usize, usize)>,
    pub adr_dirs: Vec<String>,
    pub adr_topics: BTreeMap<String, Vec<String>>,
}

/// A detectors file that does not read.
#[derive(Debug, thiserror::Error)]
pub enum DetectorsError {
    #[error("invalid detectors file: {0}")]
    Toml(#[from] toml::de::Error),
    #[error("invalid glob in the detectors file: {0}")]
    Glob(#[from] globset::Error),
}

impl Detectors {
    /// The detectors compiled into the binary.
    pub fn builtin() -> Result<Self, DetectorsError> {
        Self::parse(BUILTIN)
    }

    /// Detectors from the text of a detectors file.
    pub fn parse(text: &str) -> Result<Self, DetectorsError> {
        Self::compile(toml::from_str(text)?)
    }

    /// The built-in detectors with rule packs' detectors files over them,
    /// in order.
    pub fn layered(packs: &[&str]) -> Result<Self, DetectorsError> {
        let mut raw: RawDetectors = toml::from_str(BUILTIN)?;
        for text in packs {
            raw.layer(toml::from_str(text)?);
        }
        Self::compile(raw)
    }

    fn compile(raw: RawDetectors) -> Result<Self, DetectorsError> {
        let mut manifest_names = GlobSetBuilder::new();
        let mut manifest_formats = Vec::new();
        for (name, format) in &raw.manifests {
            manifest_names.add(Glob::new(name)?);
            manifest_formats.push(*format);
        }
        let mut compose_names = GlobSetBuilder::new();
        for name in &raw.compose.files {
            compose_names.add(Glob::new(name)?);
        }
        let mut tech_files = GlobSetBuilder::new();
        let mut tech_file_owner = Vec::new();
        for (t, tech) in raw.tech.iter().enumerate() {
            for (r, rule) in tech.files.iter().enumerate() {
                tech_files.add(Glob::new(&rule.glob)?);
                tech_file_owner.push((t, r));
            }
        }
        Ok(Self {
            techs: raw.tech,
            manifest_names: manifest_names.build()?,
            manifest_formats,
            compose_names: compose_names.build()?,
            tech_files: tech_files.build()?,
            tech_file_owner,
            adr_dirs: raw.adr.dirs,
            adr_topics: raw.adr.topics,
        })
    }

    /// The manifest format of a file, by its name.
    pub fn manifest(&self, file_name: &str) -> Option<ManifestFormat> {
        let found = self.manifest_names.matches(file_name);
        found.first().map(|&i| self.manifest_formats[i])
    }

    pub fn is_compose(&self, file_name: &str) -> bool {
        self.compose_names.is_match(file_name)
    }

    /// The index of a technology by id.
    pub fn index(&self, id: &str) -> Option<usize> {
        self.techs.iter().position(|t| t.id == id)
    }

    /// The (tech, file rule) pairs whose glob matches a relative path.
    pub fn file_rules(&self, path: &str) -> Vec<(usize, &FileRule)> {
        self.tech_files
            .matches(path)
            .into_iter()
            .map(|i| {
                let (t, r) = self.tech_file_owner[i];
                (t, &self.techs[t].files[r])
            })
            .collect()
    }

    pub fn by_image(&self, image_name: &str) -> Vec<usize> {
        self.indices(|t| t.images.iter().any(|p| p.matches(image_name)))
    }

    pub fn by_package(&self, package: &str) -> Vec<usize> {
        self.indices(|t| t.packages.iter().any(|p| p.matches_package(package)))
    }

    pub fn by_terraform(&self, resource_type: &str) -> Vec<usize> {
        self.indices(|t| t.terraform.iter().any(|p| p.matches(resource_type)))
    }

    pub fn by_cloudformation(&self, resource_type: &str) -> Vec<usize> {
        self.indices(|t| t.cloudformation.iter().any(|p| p.matches(resource_type)))
    }

    pub fn by_kind(&self, kind: &str) -> Vec<usize> {
        self.indices(|t| t.kinds.iter().any(|k| k == kind))
    }

    pub fn by_key(&self, key: &str) -> Vec<usize> {
        self.indices(|t| t.keys.iter().any(|k| k == key))
    }

    /// Every top-level document key some technology looks for.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.techs
            .iter()
            .flat_map(|t| t.keys.iter().map(String::as_str))
    }

    fn indices(&self, keep: impl Fn(&Tech) -> bool) -> Vec<usize> {
        self.techs
            .iter()
            .enumerate()
            .filter(|(_, t)| keep(t))
            .map(|(i, _)| i)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rulebase::QuestionKind;

    #[test]
    fn every_answer_is_one_the_questionnaire_can_hold() {
        let rb = crate::builtin::rule_base().unwrap();
        let detectors = Detectors::builtin().unwrap();
        for tech in &detectors.techs {
            for (question, choice) in &tech.answers {
                let q = rb
                    .question(question)
                    .unwrap_or_else(|| panic!("{}: no question `{question}`", tech.id));
                assert!(
                    matches!(q.kind, QuestionKind::Single(_) | QuestionKind::Multi(_)),
                    "{}: `{question}` is not a choice",
                    tech.id
                );
                let value = match q.kind {
                    QuestionKind::Multi(_) => toml::Value::Array(vec![choice.as_str().into()]),
                    _ => choice.as_str().into(),
                };
                q.check_toml(&value).unwrap_or_else(|e| {
                    panic!("{}: {question} = {choice}: {}", tech.id, e.message)
                });
            }
        }
        for tech in &detectors.techs {
            for other in &tech.unless {
                assert!(
                    detectors.techs.iter().any(|t| &t.id == other),
                    "{}: unless `{other}`",
                    tech.id
                );
            }
        }
        for topic in detectors.adr_topics.keys() {
            assert!(rb.topic(topic).is_some(), "no topic `{topic}`");
        }
    }

    #[test]
    fn ids_are_unique_and_every_tech_can_be_found() {
        let detectors = Detectors::builtin().unwrap();
        let mut ids: Vec<&str> = detectors.techs.iter().map(|t| t.id.as_str()).collect();
        ids.sort_unstable();
        let before = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), before);
        for tech in &detectors.techs {
            let signals = tech.images.len()
                + tech.packages.len()
                + tech.terraform.len()
                + tech.cloudformation.len()
                + tech.kinds.len()
                + tech.keys.len()
                + tech.files.len();
            assert!(signals > 0, "{} has nothing to find it by", tech.id);
        }
    }

    #[test]
    fn patterns_match_names_prefixes_and_go_sub_paths() {
        let d = Detectors::builtin().unwrap();
        let ids = |found: Vec<usize>| -> Vec<&str> {
            found.into_iter().map(|i| d.techs[i].id.as_str()).collect()
        };
        assert_eq!(ids(d.by_image("postgres")), ["postgresql"]);
        assert_eq!(ids(d.by_package("github.com/jackc/pgx/v5")), ["postgresql"]);
        assert!(ids(d.by_package("github.com/jackc/pgxpool")).is_empty());
        assert_eq!(
            ids(d.by_terraform("aws_dynamodb_table")),
            ["dynamodb", "aws"]
        );
        assert_eq!(ids(d.by_kind("HorizontalPodAutoscaler")), ["autoscaler"]);
        assert_eq!(d.manifest("package.json"), Some(ManifestFormat::Npm));
        assert_eq!(d.manifest("Shop.csproj"), Some(ManifestFormat::Nuget));
        assert!(d.is_compose("docker-compose.prod.yml"));
        assert_eq!(d.file_rules("api/shop.proto").len(), 1);
    }

    #[test]
    fn a_pack_adds_technologies_and_replaces_known_ones() {
        let pack = r#"
[[tech]]
id = "tidb"
name = "TiDB"
role = "store"
answers = { current_store = "relational", current_db_scaling = "distributed_sql" }
images = ["tidb"]

[[tech]]
id = "redis"
name = "Redis (our fork)"
role = "cache"
images = ["acme-redis"]
"#;
        let d = Detectors::layered(&[pack]).unwrap();
        let names = |found: Vec<usize>| -> Vec<&str> {
            found
                .into_iter()
                .map(|i| d.techs[i].name.as_str())
                .collect()
        };
        assert_eq!(names(d.by_image("tidb")), ["TiDB"]);
        assert_eq!(names(d.by_image("acme-redis")), ["Redis (our fork)"]);
        assert!(d.by_image("redis").is_empty());
        assert_eq!(d.manifest("go.mod"), Some(ManifestFormat::Go));
    }

    #[test]
    fn a_bad_detectors_file_is_an_error_not_a_panic() {
        assert!(Detectors::parse("tech = 1").is_err());
        let bad_glob = BUILTIN.replace("\"**/*.proto\"", "\"[\"");
        assert!(matches!(
            Detectors::parse(&bad_glob),
            Err(DetectorsError::Glob(_))
        ));
    }
}
