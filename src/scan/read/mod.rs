//! Reading the files a detector cares about, each with a real parser.
//!
//! A file is chosen by its name first, so the many files no detector cares
//! about cost one name match and are never opened. Chosen files are read
//! whole, up to the size limit, and parsed by what they are: YAML through
//! `saphyr` (which keeps line numbers), JSON through `serde_json`, TOML
//! through `toml`, XML through `roxmltree`, HCL through `hcl-edit`. Only
//! line-oriented formats with no parser at hand (`go.mod`, `Gemfile`,
//! `requirements.txt`, Gradle scripts) are read line by line. A file that
//! does not parse (a Helm template, say) is listed as unread, never guessed.

mod manifest;
mod records;
mod terraform;
mod yaml;

use super::walk::WalkedFile;
use super::{Deployable, Detectors, Evidence, Limits, Scan};

/// Directories of examples and documentation: what is there illustrates
/// the code, it is not the system, so none of it counts as evidence.
const ILLUSTRATION_DIRS: &[&str] = &[
    "example", "examples", "sample", "samples", "doc", "docs", "website",
];

/// Directories of tests: their files name what the system uses, but what
/// they deploy is not part of the system.
const TEST_DIRS: &[&str] = &[
    "test",
    "tests",
    "testdata",
    "testing",
    "fixtures",
    "e2e",
    "spec",
    "__tests__",
];

/// What a file is, by its name.
#[derive(Debug, Default)]
struct Kinds {
    manifest: Option<super::detectors::ManifestFormat>,
    compose: bool,
    yaml: bool,
    json: bool,
    terraform: bool,
    record: bool,
}

impl Kinds {
    fn of(detectors: &Detectors, relative: &str, name: &str) -> Self {
        let extension = name.rsplit_once('.').map_or("", |(_, e)| e);
        let manifest = detectors.manifest(name);
        Self {
            manifest,
            compose: detectors.is_compose(name),
            yaml: matches!(extension, "yaml" | "yml"),
            json: extension == "json" && manifest.is_none(),
            terraform: extension == "tf",
            record: records::is_record(detectors, relative, name),
        }
    }

    fn any(&self) -> bool {
        self.manifest.is_some()
            || self.compose
            || self.yaml
            || self.json
            || self.terraform
            || self.record
    }
}

/// Reads one walked file into the scan, if any detector cares about it.
pub fn file(detectors: &Detectors, limits: &Limits, file: &WalkedFile, scan: &mut Scan) {
    let relative = file.relative.as_str();
    let name = file.name();
    if in_dirs(relative, ILLUSTRATION_DIRS) {
        // Decision records often live under `docs/`: they alone are read there.
        if records::is_record(detectors, relative, name)
            && let Some(text) = read_text(file, limits, scan)
        {
            records::read(&Input::new(detectors, relative, &text, false), scan);
        }
        return;
    }
    let deployed = !in_dirs(relative, TEST_DIRS) && !in_hidden_dir(relative);
    if deployed && is_dockerfile(name) {
        scan.deployables.dockerfiles.push(Deployable {
            name: parent_name(relative),
            evidence: Evidence::new(relative, 1, "Dockerfile"),
        });
    }
    let rules = detectors.file_rules(relative);
    let kinds = Kinds::of(detectors, relative, name);
    if rules.is_empty() && !kinds.any() {
        return;
    }
    let Some(text) = read_text(file, limits, scan) else {
        return;
    };
    for (tech, rule) in rules {
        if let Some(evidence) = file_rule_evidence(relative, &text, rule.line.as_deref()) {
            scan.add(tech, evidence);
        }
    }
    let input = Input::new(detectors, relative, &text, deployed);
    if let Some(format) = kinds.manifest {
        manifest::read(&input, format, scan);
    }
    if kinds.compose {
        yaml::compose(&input, scan);
    } else if kinds.yaml {
        yaml::documents(&input, scan);
    }
    if kinds.json {
        yaml::json(&input, scan);
    }
    if kinds.terraform {
        terraform::read(&input, scan);
    }
    if kinds.record {
        records::read(&input, scan);
    }
}

/// One file's text, with what the readers need to know about it.
struct Input<'a> {
    detectors: &'a Detectors,
    relative: &'a str,
    text: &'a str,
    /// Outside test directories: what it deploys is part of the system.
    deployed: bool,
}

impl<'a> Input<'a> {
    fn new(detectors: &'a Detectors, relative: &'a str, text: &'a str, deployed: bool) -> Self {
        Self {
            detectors,
            relative,
            text,
            deployed,
        }
    }

    fn evidence(&self, line: usize, text: impl Into<String>) -> Evidence {
        Evidence::new(self.relative, line, text)
    }

    fn unread(&self, scan: &mut Scan, why: impl Into<String>) {
        scan.unread.push(self.evidence(1, why));
    }
}

fn read_text(file: &WalkedFile, limits: &Limits, scan: &mut Scan) -> Option<String> {
    let size = std::fs::metadata(&file.path).map(|m| m.len()).unwrap_or(0);
    if size > limits.max_file_bytes {
        scan.unread.push(Evidence::new(
            &file.relative,
            1,
            format!("larger than {} bytes: not read", limits.max_file_bytes),
        ));
        return None;
    }
    match std::fs::read_to_string(&file.path) {
        Ok(text) => Some(text),
        Err(e) => {
            scan.unread
                .push(Evidence::new(&file.relative, 1, e.to_string()));
            None
        }
    }
}

/// The evidence a file rule gives: the file itself, or its first line
/// starting with `line` (after indentation).
fn file_rule_evidence(relative: &str, text: &str, line: Option<&str>) -> Option<Evidence> {
    let Some(start) = line else {
        return Some(Evidence::new(relative, 1, "file"));
    };
    text.lines()
        .enumerate()
        .find(|(_, l)| l.trim_start().starts_with(start))
        .map(|(i, l)| Evidence::new(relative, i + 1, l.trim()))
}

fn is_dockerfile(name: &str) -> bool {
    name == "Dockerfile" || name.starts_with("Dockerfile.") || name.ends_with(".Dockerfile")
}

/// Whether any directory of a relative path is one of `dirs`.
fn in_dirs(relative: &str, dirs: &[&str]) -> bool {
    let mut parts: Vec<&str> = relative.split('/').collect();
    parts.pop();
    parts.iter().any(|p| dirs.contains(p))
}

/// Whether a file sits in a hidden directory: development containers
/// (`.devcontainer`), CI and editor settings build and run the code, they
/// are not part of what is deployed.
fn in_hidden_dir(relative: &str) -> bool {
    let mut parts: Vec<&str> = relative.split('/').collect();
    parts.pop();
    parts.iter().any(|p| p.starts_with('.'))
}

/// The directory holding a file: `src/cart/Dockerfile` is `src/cart`, a
/// file at the top is `.`.
fn parent_name(relative: &str) -> String {
    relative
        .rsplit_once('/')
        .map_or(".", |(dir, _)| dir)
        .to_owned()
}

/// The 1-based line of the first occurrence of `needle`, or 1.
fn line_of(text: &str, needle: &str) -> usize {
    text.find(needle)
        .map_or(1, |at| text[..at].matches('\n').count() + 1)
}

/// The 1-based line of a byte offset.
fn line_at(text: &str, offset: usize) -> usize {
    text.get(..offset)
        .map_or(1, |before| before.matches('\n').count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_one_based() {
        assert_eq!(line_of("a\nb\nc", "c"), 3);
        assert_eq!(line_of("a", "z"), 1);
        assert_eq!(line_at("a\nb", 2), 2);
    }

    #[test]
    fn test_and_example_directories_are_told_apart() {
        assert!(in_dirs("docs/adr/x.md", ILLUSTRATION_DIRS));
        assert!(!in_dirs("docs", ILLUSTRATION_DIRS));
        assert!(in_dirs("src/tests/Dockerfile", TEST_DIRS));
        assert_eq!(parent_name("src/cart/Dockerfile"), "src/cart");
        assert_eq!(parent_name("Dockerfile"), ".");
        assert!(in_hidden_dir(".devcontainer/Dockerfile"));
        assert!(!in_hidden_dir(".Dockerfile"));
    }
}
