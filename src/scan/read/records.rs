//! Earlier decision records, and the topics they decide.
//!
//! A repository with a decision-record directory has decided things
//! already; `decide --adr` should supersede those records rather than write
//! duplicates. A record tradeoff wrote names its topic in its data block;
//! any other is matched to topics by the words of its title, which is a
//! guess and reported as one.

use super::Input;
use crate::adr::block::Block;
use crate::scan::{Record, Scan};

/// Whether a file is a numbered Markdown record in a decision directory
/// (`docs/adr/0002-use-postgresql.md`).
pub(super) fn is_record(detectors: &crate::scan::Detectors, relative: &str, name: &str) -> bool {
    let Some(dir) = relative.strip_suffix(name).map(|d| d.trim_end_matches('/')) else {
        return false;
    };
    name.ends_with(".md")
        && name.starts_with(|c: char| c.is_ascii_digit())
        && detectors
            .adr_dirs
            .iter()
            .any(|d| dir == d || dir.ends_with(&format!("/{d}")))
}

pub(super) fn read(input: &Input<'_>, scan: &mut Scan) {
    let title = title(input.text, input.relative);
    let (topics, by_tradeoff) = match Block::find(input.text) {
        Some(Ok(block)) => (vec![block.topic.as_str().to_owned()], true),
        _ => (topics_of(input, &title), false),
    };
    scan.records.push(Record {
        file: input.relative.to_owned(),
        title,
        topics,
        by_tradeoff,
    });
}

/// The first heading, without a leading record number (`# 2. Use X`).
fn title(text: &str, relative: &str) -> String {
    let heading = text
        .lines()
        .find_map(|l| l.strip_prefix("# "))
        .map(str::trim)
        .unwrap_or(relative);
    let after_digits = heading.trim_start_matches(|c: char| c.is_ascii_digit());
    match after_digits.strip_prefix(['.', ':']) {
        Some(rest) if after_digits.len() < heading.len() && !rest.trim().is_empty() => {
            rest.trim().to_owned()
        }
        _ => heading.to_owned(),
    }
}

fn topics_of(input: &Input<'_>, title: &str) -> Vec<String> {
    let lower = title.to_lowercase();
    input
        .detectors
        .adr_topics
        .iter()
        .filter(|(_, words)| words.iter().any(|w| lower.contains(w.as_str())))
        .map(|(topic, _)| topic.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_lose_their_numbers() {
        assert_eq!(title("# 2. Use PostgreSQL\n", "x.md"), "Use PostgreSQL");
        assert_eq!(
            title("no heading", "docs/adr/0001-x.md"),
            "docs/adr/0001-x.md"
        );
        assert_eq!(title("# 2024 plan\n", "x.md"), "2024 plan");
    }
}
