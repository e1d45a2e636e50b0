//! `adr renumber`: records that share a number (two branches merged, each
//! with its own 0007) get the next free numbers, and everything that named
//! them follows.
//!
//! Of the records sharing a number, the earliest (by date, then name) keeps
//! it. Each later one is renamed; its title's number changes with it (in any
//! layout whose title carries one, front matter or not); and every link to
//! it, anywhere in any record's text (`0007-x.md`, `./0007-x.md`, a full URL
//! ending in the file name), points at the new name. A label that was the
//! generated one (`7. Title`, `0007-x`, `ADR-0007`) follows the number; one
//! written by hand is kept. log4brains' dated names are ids, never numbers:
//! they are left alone. The edits and renames are one journaled change.

use super::edit;
use super::journal::{self, Rename};
use super::links;
use super::record::sibling_name;
use super::repo::{self, Entry, OpError, Repo};
use super::{is_dated, leading_number};
use std::collections::BTreeMap;

/// A file renamed by `renumber`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Move {
    pub from: String,
    pub to: String,
    /// The number it had, and the one it gets.
    pub old: u32,
    pub new: u32,
}

/// Renames the later records of each shared number (nothing with
/// `dry_run`), returning the renames.
pub fn renumber(repo: &Repo, dry_run: bool) -> Result<Vec<Move>, OpError> {
    for e in &repo.entries {
        repo::parsed(e)?;
    }
    let moves = planned_moves(repo);
    if dry_run || moves.is_empty() {
        return Ok(moves);
    }
    for m in &moves {
        if repo.dir.join(&m.to).exists() {
            return Err(OpError::Usage(format!("`{}` already exists", m.to)));
        }
    }
    let changes = renumbered_texts(repo, &moves)?;
    let renames: Vec<Rename> = moves
        .iter()
        .map(|m| Rename {
            from: m.from.clone(),
            to: m.to.clone(),
        })
        .collect();
    journal::apply(&repo.dir, &changes, &renames).map_err(|error| OpError::File {
        path: repo.dir.clone(),
        error,
    })?;
    Ok(moves)
}

/// The renames that give each later record of a shared number the next
/// free number.
fn planned_moves(repo: &Repo) -> Vec<Move> {
    let mut groups: BTreeMap<u32, Vec<&Entry>> = BTreeMap::new();
    for e in repo.entries.iter().filter(|e| !is_dated(&e.name)) {
        if let Some(n) = leading_number(&e.name) {
            groups.entry(n).or_default().push(e);
        }
    }
    let mut next = groups.keys().max().map_or(1, |m| m.saturating_add(1));
    let mut moves = Vec::new();
    for (&old, entries) in groups.iter_mut().filter(|(_, g)| g.len() > 1) {
        entries.sort_by_cached_key(|e| {
            let date = e
                .parsed
                .as_ref()
                .ok()
                .and_then(|r| r.date.clone())
                .unwrap_or_default();
            (date, e.name.clone())
        });
        for e in entries.iter().skip(1) {
            let digits = e.name.chars().take_while(char::is_ascii_digit).count();
            let rest = e.name[digits..].trim_start_matches('-');
            moves.push(Move {
                from: e.name.clone(),
                to: format!("{next:04}-{rest}"),
                old,
                new: next,
            });
            next = next.saturating_add(1);
        }
    }
    moves
}

/// New texts for every record the moves change.
fn renumbered_texts(repo: &Repo, moves: &[Move]) -> Result<Vec<journal::Change>, OpError> {
    let mut changes = Vec::new();
    for e in &repo.entries {
        let mut record = repo::parsed(e)?.clone();
        if let Some(m) = moves.iter().find(|m| m.from == e.name) {
            record.text = edit::renumber_heading(&record, m.new);
        }
        let text = retarget(repo, &record.text, moves);
        if text != e.original.replace("\r\n", "\n") {
            changes.push(repo::edit_of(e, &text));
        }
    }
    Ok(changes)
}

/// `text` with every link to a moved record pointing at its new name.
pub fn retarget(repo: &Repo, text: &str, moves: &[Move]) -> String {
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    for link in links::scan(text) {
        let target = link.target.split(['#', '?']).next().unwrap_or_default();
        let name = sibling_name(target).or_else(|| {
            target
                .contains("://")
                .then(|| target.rsplit('/').next())
                .flatten()
        });
        let Some(m) = name.and_then(|n| moves.iter().find(|m| m.from == n)) else {
            continue;
        };
        let at = link.target_range.start + link.target.find(m.from.as_str()).unwrap_or_default();
        edits.push((at..at + m.from.len(), m.to.clone()));
        if let Some(label) = new_label(repo, &link.label, m) {
            edits.push((link.label_range.clone(), label));
        }
    }
    edits.sort_by_key(|(range, _)| std::cmp::Reverse(range.start));
    let mut out = text.to_owned();
    for (range, new) in edits {
        out.replace_range(range, &new);
    }
    out
}

/// The label a link to a moved record gets: the generated labels follow
/// the number, hand-written ones stay.
fn new_label(repo: &Repo, label: &str, m: &Move) -> Option<String> {
    let title = repo
        .entries
        .iter()
        .find(|e| e.name == m.from)
        .and_then(|e| e.parsed.as_ref().ok())
        .map(|r| r.title.clone())?;
    let (old_stem, new_stem) = (m.from.trim_end_matches(".md"), m.to.trim_end_matches(".md"));
    let generated = [
        (format!("{}. {title}", m.old), format!("{}. {title}", m.new)),
        (old_stem.to_owned(), new_stem.to_owned()),
        (format!("ADR-{:04}", m.old), format!("ADR-{:04}", m.new)),
        (format!("ADR {}", m.old), format!("ADR {}", m.new)),
    ];
    generated
        .into_iter()
        .find(|(old, _)| old == label)
        .map(|(_, new)| new)
}
