//! `tradeoff scan`: what a repository already says about the system it runs.
//!
//! A repository names much of what the questionnaire asks: compose files
//! name the database, Kubernetes manifests count the services and show
//! autoscalers, Terraform names the cloud, package manifests name the
//! clients in use, schema files show the API styles, and a decision-record
//! directory holds earlier decisions. Asking all of that from scratch wastes
//! the person's time; taking it as fact would be worse, since a file can be
//! stale or a test fixture. So scanning only ever produces *inferences*,
//! each with the file and line it rests on, for a person to confirm.
//!
//! The work is split so that each part can be tested alone: [`walk`] finds
//! the files within bounds, [`detectors`] holds the patterns (data, from
//! `rules/detectors.toml`), [`read`] reads each kind of file with a real
//! parser into findings, [`infer`] turns findings into answers the
//! questionnaire can hold, and [`output`] prints them as an answers file or
//! JSON. Nothing is written and nothing leaves the machine.

pub mod detectors;
pub mod infer;
pub mod output;
pub mod read;
pub mod walk;

use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

pub use detectors::Detectors;
pub use infer::{Inference, Inferred, Undecided, infer};
pub use walk::Limits;

/// Where a finding comes from: a file (relative to the scanned directory,
/// with `/` separators), a line (1-based) and what that line says.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Evidence {
    pub file: String,
    pub line: usize,
    pub text: String,
}

impl Evidence {
    pub fn new(file: &str, line: usize, text: impl Into<String>) -> Self {
        Self {
            file: file.to_owned(),
            line,
            text: text.into(),
        }
    }

    /// Whether this is a dependency in a package manifest (readers word
    /// such evidence `dependency NAME`): code that can talk to a service,
    /// weaker than infrastructure that declares one.
    pub fn is_dependency(&self) -> bool {
        self.text.starts_with("dependency ")
    }

    /// `file:line`, as editors and terminals link it.
    pub fn location(&self) -> String {
        format!("{}:{}", self.file, self.line)
    }
}

impl fmt::Display for Evidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.text)
    }
}

/// Something deployed on its own: a Kubernetes workload, a compose service
/// built from source, or a directory with a Dockerfile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deployable {
    pub name: String,
    pub evidence: Evidence,
}

/// The deployables each kind of file shows. They overlap (one service has a
/// Dockerfile, a compose entry and a Deployment), so they are kept apart and
/// the largest count is taken, never the sum.
#[derive(Debug, Default, Serialize)]
pub struct Deployables {
    pub kubernetes: Vec<Deployable>,
    pub compose: Vec<Deployable>,
    pub dockerfiles: Vec<Deployable>,
    /// A package manifest at the top of the directory: one application.
    pub root_manifests: Vec<Deployable>,
}

/// An earlier decision record found in the repository.
#[derive(Debug, Clone, Serialize)]
pub struct Record {
    pub file: String,
    pub title: String,
    /// Topics of this rule base it decides (from its data block when
    /// tradeoff wrote it, else from words in its title).
    pub topics: Vec<String>,
    /// Written by `tradeoff decide --adr`.
    pub by_tradeoff: bool,
}

/// Everything a scan found, before any inference.
#[derive(Debug, Default)]
pub struct Scan {
    /// Files looked at, after skipping ignored and vendored trees.
    pub files: usize,
    /// Per technology (by index into the detectors), its evidence.
    pub found: BTreeMap<usize, Vec<Evidence>>,
    pub deployables: Deployables,
    /// Languages built, by the manifests that build them.
    pub languages: BTreeMap<&'static str, Vec<Evidence>>,
    pub records: Vec<Record>,
    /// Files that could not be read or parsed (templated YAML, too large).
    pub unread: Vec<Evidence>,
}

impl Scan {
    pub fn add(&mut self, tech: usize, evidence: Evidence) {
        let list = self.found.entry(tech).or_default();
        if !list.contains(&evidence) {
            list.push(evidence);
        }
    }
}

/// A directory that cannot be scanned.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    #[error("cannot scan `{}`: not a directory", .0.display())]
    NotADirectory(std::path::PathBuf),
    #[error(transparent)]
    Detectors(#[from] detectors::DetectorsError),
}

/// Scans a directory: walks it within the limits and reads every file a
/// detector cares about.
pub fn scan(dir: &Path, detectors: &Detectors, limits: &Limits) -> Result<Scan, ScanError> {
    if !dir.is_dir() {
        return Err(ScanError::NotADirectory(dir.to_path_buf()));
    }
    let mut scan = Scan::default();
    for file in walk::files(dir) {
        scan.files += 1;
        read::file(detectors, limits, &file, &mut scan);
    }
    for list in scan.found.values_mut() {
        list.sort();
    }
    scan.records.sort_by(|a, b| a.file.cmp(&b.file));
    Ok(scan)
}
