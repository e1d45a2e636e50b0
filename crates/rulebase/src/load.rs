//! Reading the rule base's files: built in, or from a directory.
//!
//! A rule base is `questions.toml`, an optional `sources.toml` and one file
//! per topic under `topics/`. This module only finds and reads the files and
//! turns TOML syntax errors into diagnostics; `validate` gives them meaning.

use crate::diagnostic::Diagnostic;
use crate::source::{SourceFile, Span};
use serde::de::DeserializeOwned;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub const QUESTIONS_FILE: &str = "questions.toml";
pub const SOURCES_FILE: &str = "sources.toml";
pub const RISKS_FILE: &str = "risks.toml";
pub const TOPICS_DIR: &str = "topics";
/// The patterns `tradeoff scan` reads, kept beside the rules but no part of
/// the rule base: neither loaded nor fingerprinted, nor reported as ignored.
pub const DETECTORS_FILE: &str = "detectors.toml";

/// The files of one rule base, by role.
#[derive(Debug)]
pub struct RuleBaseFiles {
    pub questions: Option<Arc<SourceFile>>,
    pub sources: Option<Arc<SourceFile>>,
    pub topics: Vec<Arc<SourceFile>>,
    pub risks: Option<Arc<SourceFile>>,
    /// Every file with its path relative to the rule base root, for the fingerprint.
    pub all: Vec<(String, Arc<SourceFile>)>,
    /// Files found that have no role (reported as warnings).
    pub ignored: Vec<String>,
}

/// A rule base directory or file that cannot be read. The reason is the
/// source error, which `{:#}` (the CLI's error printing) appends once.
#[derive(Debug, thiserror::Error)]
#[error("cannot read rule base `{}`", path.display())]
pub struct ReadError {
    pub path: PathBuf,
    #[source]
    pub source: std::io::Error,
}

impl RuleBaseFiles {
    /// A rule base from text in memory: `(path relative to the root, text)`.
    pub fn from_memory(files: &[(&str, &str)]) -> Self {
        Self::classify(
            files
                .iter()
                .map(|(rel, text)| (rel.to_string(), SourceFile::new(*rel, *text)))
                .collect(),
        )
    }

    /// Reads a rule base from a directory laid out as `rules/` is.
    ///
    /// A symbolic link is followed only while it stays inside the directory:
    /// a pack is often someone else's, and a link to `~/.netrc` would
    /// otherwise be read and quoted, line by line, in the error snippets.
    pub fn read_dir(dir: &Path) -> Result<Self, ReadError> {
        let found = toml_files_within(dir)?;
        let mut files = Vec::new();
        for path in found {
            let text = read_text(&path)?;
            let rel = path
                .strip_prefix(dir)
                .unwrap_or(&path)
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            files.push((rel, SourceFile::new(path.display().to_string(), text)));
        }
        Ok(Self::classify(files))
    }

    pub fn classify(all: Vec<(String, Arc<SourceFile>)>) -> Self {
        let mut out = Self {
            questions: None,
            sources: None,
            topics: Vec::new(),
            risks: None,
            all: Vec::new(),
            ignored: Vec::new(),
        };
        for (rel, file) in &all {
            match rel.as_str() {
                QUESTIONS_FILE => out.questions = Some(Arc::clone(file)),
                SOURCES_FILE => out.sources = Some(Arc::clone(file)),
                RISKS_FILE => out.risks = Some(Arc::clone(file)),
                DETECTORS_FILE => {}
                other
                    if other.starts_with("topics/") && !other["topics/".len()..].contains('/') =>
                {
                    out.topics.push(Arc::clone(file))
                }
                other => out.ignored.push(other.to_owned()),
            }
        }
        out.all = all
            .into_iter()
            .filter(|(rel, _)| rel != DETECTORS_FILE)
            .collect();
        out
    }
}

fn read_error(path: &Path) -> impl FnOnce(std::io::Error) -> ReadError + use<> {
    let path = path.to_path_buf();
    move |source| ReadError { path, source }
}

/// The text of one rule file, at most [`crate::source::MAX_INPUT_BYTES`].
fn read_text(path: &Path) -> Result<String, ReadError> {
    crate::source::read_capped(path).map_err(read_error(path))
}

/// Every `.toml` file under `dir`, sorted, following only the symbolic
/// links whose target stays inside `dir` (each directory visited once, so
/// a link to a parent cannot loop).
pub fn toml_files_within(dir: &Path) -> Result<Vec<PathBuf>, ReadError> {
    let root = dir.canonicalize().map_err(read_error(dir))?;
    let mut visited = std::collections::HashSet::new();
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        let real = current.canonicalize().map_err(read_error(&current))?;
        if !visited.insert(real) {
            continue;
        }
        for entry in std::fs::read_dir(&current).map_err(read_error(&current))? {
            let path = entry.map_err(read_error(&current))?.path();
            stays_within(&root, &path)?;
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "toml") {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}

/// An error if `path` is a symbolic link whose target lies outside `root`
/// (or cannot be resolved). The message names the link, never the target.
pub fn stays_within(root: &Path, path: &Path) -> Result<(), ReadError> {
    let is_link = std::fs::symlink_metadata(path)
        .map_err(read_error(path))?
        .file_type()
        .is_symlink();
    if !is_link {
        return Ok(());
    }
    let inside = path
        .canonicalize()
        .is_ok_and(|target| target.starts_with(root));
    if inside {
        return Ok(());
    }
    Err(ReadError {
        path: path.to_path_buf(),
        source: std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            "a symbolic link that leads outside the rule base is not followed",
        ),
    })
}

/// The `.toml` entries directly in a directory, sorted by path: a pack's
/// scenarios, or the scenario files of a directory `rules test` is given.
pub fn toml_entries(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    found.sort();
    Ok(found)
}

/// Parses one TOML file into its raw shape, or a diagnostic at the error.
pub fn parse<T: DeserializeOwned>(file: &Arc<SourceFile>) -> Result<T, Box<Diagnostic>> {
    toml::from_str(file.text()).map_err(|e| {
        let span = e.span().map(|range| Span::new(file, range));
        let (message, help) = explain_toml_error(e.message(), span.as_ref());
        let mut diagnostic = Diagnostic::error(message.clone());
        diagnostic = match &span {
            Some(span) => diagnostic.at(span, short_label(&message)),
            None => diagnostic.in_file(file.name()),
        };
        for h in help {
            diagnostic = diagnostic.help(h);
        }
        Box::new(diagnostic)
    })
}

/// A TOML or serde error message in the words of the file format, with
/// help: "did you mean" for a misspelt key or kind, the key a duplicate is
/// about, and "a list" or "a whole number" for serde's "a sequence" and "i64".
pub fn explain_toml_error(message: &str, span: Option<&Span>) -> (String, Vec<String>) {
    let mut message = message.trim().to_owned();
    for (serde, ours) in [
        ("expected i64", "expected a whole number"),
        ("expected f64", "expected a number"),
        ("expected a sequence", "expected a list"),
        ("expected a map", "expected a table"),
    ] {
        message = message.replace(serde, ours);
    }
    let mut help = Vec::new();
    if let Some(number) = too_large_integer(&message) {
        message = format!("the number `{number}` is too large");
        help.push("whole numbers in tradeoff's files lie between -9223372036854775808 and 9223372036854775807".to_owned());
    }
    if message == "recursion limit" || message.starts_with("cannot recurse further") {
        message = "tables or conditions nest too deeply".to_owned();
        help.push("combine tests in one `all` or `any` list instead of nesting them".to_owned());
    }
    if message == "duplicate key"
        && let Some(key) = span
            .map(|s| s.text().trim().trim_matches('"'))
            .filter(|k| !k.is_empty())
    {
        message = format!("duplicate key `{key}`");
        help.push("a key may appear once in a table: keep one of them".to_owned());
    }
    if message.starts_with("unknown field") || message.starts_with("unknown variant") {
        // "unknown field `x`, expected one of `a`, `b`": suggest among a, b.
        let quoted: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
        if let Some((wrong, candidates)) = quoted.split_first()
            && let Some(best) = crate::diagnostic::did_you_mean(wrong, candidates.iter().copied())
        {
            help.push(format!("did you mean `{best}`?"));
        }
    }
    (message, help)
}

/// The integer of serde's "integer `N` as i128" and "u64 value was too
/// large" messages, which speak of Rust's types rather than the file's.
fn too_large_integer(message: &str) -> Option<String> {
    if message.contains("u64 value was too large") {
        return Some(
            message
                .split('`')
                .nth(1)
                .filter(|n| n.bytes().all(|b| b.is_ascii_digit() || b == b'-'))
                .unwrap_or("…")
                .to_owned(),
        );
    }
    let rest = message.strip_prefix("invalid type: integer `")?;
    let (number, after) = rest.split_once('`')?;
    after.starts_with(" as i128").then(|| number.to_owned())
}

/// The first clause of a TOML error message, to sit under the caret.
fn short_label(message: &str) -> String {
    message
        .split([',', '\n'])
        .next()
        .unwrap_or(message)
        .trim()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::raw::QuestionsFile;

    #[test]
    fn the_scanner_s_detectors_are_neither_rules_nor_ignored() {
        let files = RuleBaseFiles::from_memory(&[
            ("questions.toml", ""),
            ("detectors.toml", "[[tech]]"),
            ("notes.toml", ""),
        ]);
        let all: Vec<&str> = files.all.iter().map(|(rel, _)| rel.as_str()).collect();
        assert_eq!(all, ["questions.toml", "notes.toml"]);
        assert_eq!(files.ignored, ["notes.toml"]);
    }

    #[test]
    fn integers_past_64_bits_are_said_in_the_file_format_s_words() {
        let (message, help) = explain_toml_error(
            "invalid type: integer `18446744073709551616` as i128, expected any valid TOML value",
            None,
        );
        assert_eq!(message, "the number `18446744073709551616` is too large");
        assert!(help[0].contains("9223372036854775807"), "{help:?}");
        let (message, _) = explain_toml_error("u64 value was too large", None);
        assert_eq!(message, "the number `…` is too large");
    }

    #[test]
    fn serde_words_become_the_file_format_s() {
        let (message, help) = explain_toml_error(
            "unknown field `rationle`, expected one of `id`, `rationale`\n",
            None,
        );
        assert_eq!(
            message,
            "unknown field `rationle`, expected one of `id`, `rationale`"
        );
        assert_eq!(help, ["did you mean `rationale`?"]);
        let (message, _) = explain_toml_error("invalid type: string \"a\", expected i64", None);
        assert_eq!(
            message,
            "invalid type: string \"a\", expected a whole number"
        );
        let file = SourceFile::new("a.toml", "a = 1\na = 2\n");
        let (message, help) = explain_toml_error("duplicate key", Some(&Span::new(&file, 6..7)));
        assert_eq!(message, "duplicate key `a`");
        assert_eq!(help.len(), 1);
    }

    #[test]
    fn syntax_errors_carry_a_position() {
        let file = SourceFile::new("q.toml", "[[question]]\nid = \"x\"\nkind = \"integer\"\n");
        let err = parse::<QuestionsFile>(&file).err();
        let loc = err
            .as_ref()
            .and_then(|d| d.location())
            .map(|l| l.to_string());
        assert_eq!(loc.as_deref(), Some("q.toml:3:8"));
        let message = err.map(|e| e.message).unwrap_or_default();
        assert!(message.contains("unknown variant `integer`"), "{message}");
    }
}
