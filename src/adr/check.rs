//! `adr check`: what breaks the records' readers, their history, or the
//! decisions themselves, and nothing else.
//!
//! Errors are what a reviewer would want fixed before merging: two records
//! with one number (merged branches), a link to a record that is not there
//! (in a link section or anywhere in the text, written `./0004-x.md` or as
//! a full URL into this repository), a title whose number disagrees with
//! the file name, a superseded record without a successor, a record that
//! cannot be read, and two live records deciding the same topic for the
//! same system. Warnings name what only some tools mind: a link on one side
//! only, and files that Structurizr's or Backstage's importers would really
//! reject, following their documented behaviour: Structurizr's adr-tools
//! importer reads every `*.md` of a directory and needs a four-digit number
//! on each, while its MADR importer and Backstage only read files named
//! `NNNN-*.md` and skip the rest, so a README beside MADR records is fine.
//! log4brains' date names are its own convention and are not reported.

use super::edit::{self, Successor};
use super::links::{self, MdLink};
use super::record::{Record, sibling_name};
use super::repo::{self, Entry, Layout, OpError, Repo};
use super::{dir, is_dated, leading_number};
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

/// A problem found by `adr check`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    pub file: String,
    /// The line, 1-based, where one applies.
    pub line: Option<usize>,
    /// What kind of problem: `duplicate-number`, `broken-link`, ...
    pub code: &'static str,
    pub error: bool,
    pub message: String,
}

fn problem(file: &str, code: &'static str, error: bool, message: String) -> Problem {
    Problem {
        file: file.to_owned(),
        line: None,
        code,
        error,
        message,
    }
}

/// Everything `adr check` finds in `repo`.
pub fn check(repo: &Repo) -> Vec<Problem> {
    let names: HashSet<&str> = repo
        .entries
        .iter()
        .map(|e| e.name.as_str())
        .chain(repo.others.iter().map(String::as_str))
        .collect();
    let git = GitRepository::of(&repo.dir);
    let numbers: HashSet<u32> = names
        .iter()
        .filter(|n| !is_dated(n))
        .filter_map(|n| leading_number(n))
        .collect();
    let known = Known {
        names: &names,
        numbers: &numbers,
        git: git.as_ref(),
    };
    let mut out = duplicate_numbers(repo);
    for e in &repo.entries {
        out.extend(naming(repo, e));
        match &e.parsed {
            Ok(record) => {
                out.extend(record_problems(repo, e, record, &known));
            }
            Err(m) => out.push(problem(
                &e.name,
                "unreadable",
                true,
                format!("cannot be read: {}", m.0),
            )),
        }
    }
    out.extend(one_sided_links(repo));
    out.extend(conflicts(repo));
    if repo.layout() == Some(Layout::Nygard) {
        for other in &repo.others {
            out.push(problem(
                other,
                "stray-file",
                false,
                "Structurizr's adr-tools importer reads every *.md in the directory and fails on a file without a number; keep it elsewhere or exclude it".to_owned(),
            ));
        }
    }
    out
}

/// What the directory holds, for the per-record checks.
struct Known<'a> {
    names: &'a HashSet<&'a str>,
    numbers: &'a HashSet<u32>,
    git: Option<&'a GitRepository>,
}

fn duplicate_numbers(repo: &Repo) -> Vec<Problem> {
    let mut by_number: BTreeMap<u32, Vec<&str>> = BTreeMap::new();
    for e in repo.entries.iter().filter(|e| !is_dated(&e.name)) {
        if let Some(n) = leading_number(&e.name) {
            by_number.entry(n).or_default().push(&e.name);
        }
    }
    by_number
        .iter()
        .filter(|(_, names)| names.len() > 1)
        .map(|(n, names)| {
            problem(
                names[1],
                "duplicate-number",
                true,
                format!(
                    "number {n} is used by {}: run `tradeoff adr renumber`",
                    names.join(" and ")
                ),
            )
        })
        .collect()
}

/// File names Structurizr and Backstage cannot read, in a numbered directory.
fn naming(repo: &Repo, e: &Entry) -> Option<Problem> {
    if repo.log4brains {
        return None;
    }
    let digits = e.name.chars().take_while(char::is_ascii_digit).count();
    let message = if is_dated(&e.name) {
        "a date prefix (log4brains style) among numbered records: Structurizr reads the first four digits as the number, so such records collide"
    } else if digits == 4 && e.name[digits..].starts_with('-') {
        return None;
    } else if digits > 4 && e.name[digits..].starts_with('-') {
        "numbers past 9999: Structurizr's and Backstage's importers read exactly four digits, and skip or misread this record"
    } else {
        "not named NNNN-title.md: Structurizr's and Backstage's importers expect four digits and a dash, and skip or misread this record"
    };
    Some(problem(&e.name, "file-name", false, message.to_owned()))
}

/// One readable record's problems: its title's number, its links, its
/// successor if superseded.
fn record_problems(repo: &Repo, e: &Entry, rec: &Record, known: &Known<'_>) -> Vec<Problem> {
    let mut out = Vec::new();
    if let (Some(n), Some(h)) = (rec.number, rec.heading_number)
        && n != h
    {
        out.push(problem(
            &e.name,
            "heading-number",
            true,
            format!("the title says {h} but the file name says {n}: `tradeoff adr check --fix` sets the title's number"),
        ));
    }
    // The data block at the end holds no links, only TOML.
    let text = e
        .original
        .find("<!-- tradeoff")
        .map_or(e.original.as_str(), |end| &e.original[..end]);
    for link in links::scan(text) {
        if let Some(why) = broken(repo, &link, known.names, known.git) {
            out.push(Problem {
                line: Some(link.line),
                ..problem(
                    &e.name,
                    "broken-link",
                    true,
                    format!("broken link: [{}]({}) {why}", link.label, link.target),
                )
            });
        }
    }
    if rec.status_word().as_deref() == Some("superseded") && !has_successor(rec, known) {
        out.push(problem(
            &e.name,
            "no-successor",
            true,
            "superseded, but no existing record supersedes it".to_owned(),
        ));
    }
    out
}

/// Why a link to a record is broken, if it is: a relative `.md` target
/// that does not exist, or a URL into this repository's `.md` files that
/// names none. Links elsewhere (other sites, site-root paths, directories,
/// other files) are not checked.
fn broken(
    repo: &Repo,
    link: &MdLink,
    names: &HashSet<&str>,
    git: Option<&GitRepository>,
) -> Option<String> {
    let target = link.target.split(['#', '?']).next().unwrap_or_default();
    let markdown = target.to_lowercase().ends_with(".md");
    if target.contains("://") && markdown {
        let git = git?;
        let found = git.resolve_url(target)?;
        return (!found).then(|| "points at no file in this repository".to_owned());
    }
    if target.is_empty() || target.starts_with('/') || target.contains(':') || !markdown {
        return None;
    }
    let target = percent_decode(target);
    if let Some(name) = sibling_name(&target) {
        return (!names.contains(name)).then(|| "points at no record".to_owned());
    }
    let path = dir::normalize(&repo.dir.join(&target));
    (!path.exists()).then(|| "points at no file".to_owned())
}

/// `%20` and friends, as a browser reads a link.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).and_then(|b| hex(*b)),
            bytes.get(i + 2).and_then(|b| hex(*b)),
        ) {
            (b'%', Some(hi), Some(lo)) => {
                out.push((hi * 16 + lo) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A superseded record names an existing successor: by a link, or by a
/// status such as `Superseded by ADR-0012`.
fn has_successor(rec: &Record, known: &Known<'_>) -> bool {
    rec.links
        .iter()
        .any(|l| l.is_superseded_by() && l.sibling().is_some_and(|n| known.names.contains(n)))
        || rec
            .status
            .as_deref()
            .and_then(|s| {
                s.to_lowercase().split("adr-").nth(1).map(|n| {
                    n.chars()
                        .take_while(char::is_ascii_digit)
                        .collect::<String>()
                })
            })
            .and_then(|n| n.parse::<u32>().ok())
            .is_some_and(|n| known.numbers.contains(&n))
}

/// Link verbs whose other side tradeoff and adr-tools always write, with
/// that other side.
pub const PAIRS: [(&str, &str); 6] = [
    ("Supersedes", "Superseded by"),
    ("Supercedes", "Superceded by"),
    ("Amends", "Amended by"),
    ("Clarifies", "Clarified by"),
    ("Extends", "Extended by"),
    ("Refines", "Refined by"),
];

/// The verb the other side of a link uses, for the verbs in [`PAIRS`].
pub fn reverse_verb(kind: &str) -> Option<&'static str> {
    PAIRS.iter().find_map(|(f, r)| {
        if f.eq_ignore_ascii_case(kind) {
            Some(*r)
        } else if r.eq_ignore_ascii_case(kind) {
            Some(*f)
        } else {
            None
        }
    })
}

/// A one-sided link: `from` links `to` with `kind`, and `to` has no link back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OneSided {
    pub from: String,
    pub to: String,
    pub kind: String,
}

/// Links of the paired kinds whose target does not link back: what a run
/// killed between its two writes left, before edits were journaled.
pub fn find_one_sided(repo: &Repo) -> Vec<OneSided> {
    let by_name: std::collections::HashMap<&str, &Entry> =
        repo.entries.iter().map(|e| (e.name.as_str(), e)).collect();
    let mut out = Vec::new();
    for entry in &repo.entries {
        let Ok(record) = &entry.parsed else { continue };
        for link in &record.links {
            let Some(to) = link.sibling() else { continue };
            // A successor need not link back: MADR and log4brains records
            // name it in the superseded record's status alone.
            if reverse_verb(&link.kind).is_none() || link.is_superseded_by() || to == entry.name {
                continue;
            }
            let Some(Ok(target)) = by_name.get(to).map(|e| e.parsed.as_ref()) else {
                continue;
            };
            let back = target
                .links
                .iter()
                .any(|l| l.sibling() == Some(&entry.name))
                || (link.is_supersedes() && target.status_word().as_deref() == Some("superseded"));
            if !back {
                out.push(OneSided {
                    from: entry.name.clone(),
                    to: to.to_owned(),
                    kind: link.kind.clone(),
                });
            }
        }
    }
    out
}

fn one_sided_links(repo: &Repo) -> Vec<Problem> {
    find_one_sided(repo)
        .into_iter()
        .map(|o| {
            problem(
                &o.from,
                "one-sided-link",
                false,
                format!(
                    "links {} ({}), which has no link back: `tradeoff adr check --fix` adds it",
                    o.to, o.kind
                ),
            )
        })
        .collect()
}

/// Two live records that decide the same topic for the same system: the
/// generated ones by their data blocks, a hand-written one by a title on the
/// same subject (`Caching strategy: ...`) as generated ones of one system.
fn conflicts(repo: &Repo) -> Vec<Problem> {
    let mut generated: Generated<'_> = BTreeMap::new();
    let mut hand_written = Vec::new();
    for entry in &repo.entries {
        let Ok(record) = &entry.parsed else { continue };
        if !record.is_live() {
            continue;
        }
        match super::block::Block::header(&entry.original) {
            Some(block) => generated
                .entry((block.title.clone(), block.topic.to_string()))
                .or_default()
                .push((entry, block.chosen.to_string())),
            _ => hand_written.push((entry, record)),
        }
    }
    let mut out = Vec::new();
    for ((_, topic), records) in &generated {
        for pair in records.windows(2) {
            let ((first, a), (second, b)) = (&pair[0], &pair[1]);
            let message = if a == b {
                format!(
                    "records the same decision as {} (`{topic}`: {a}); supersede or remove one",
                    first.name
                )
            } else {
                format!(
                    "decides `{topic}` as {} does, differently ({b}, not {a}); supersede one with `tradeoff adr supersede`",
                    first.name
                )
            };
            out.push(problem(&second.name, "conflicting-records", true, message));
        }
    }
    out.extend(hand_written_conflicts(&generated, &hand_written));
    out
}

type Generated<'e> = BTreeMap<(Option<String>, String), Vec<(&'e Entry, String)>>;

fn hand_written_conflicts(
    generated: &Generated<'_>,
    hand_written: &[(&Entry, &Record)],
) -> Vec<Problem> {
    let systems: HashSet<&Option<String>> = generated.keys().map(|(s, _)| s).collect();
    if systems.len() != 1 {
        return Vec::new();
    }
    let subject = |title: &str| title.split_once(": ").map(|(s, _)| s.trim().to_lowercase());
    let mut out = Vec::new();
    for records in generated.values() {
        for (entry, _) in records {
            let Some(Ok(record)) = Some(&entry.parsed) else {
                continue;
            };
            let Some(topic) = subject(&record.title) else {
                continue;
            };
            for (other, other_record) in hand_written {
                if subject(&other_record.title).as_deref() == Some(topic.as_str()) {
                    out.push(problem(
                        &entry.name,
                        "conflicting-records",
                        true,
                        format!(
                            "decides the same as {} (\"{}\"), which is still {}; supersede one with `tradeoff adr supersede`",
                            other.name,
                            other_record.title,
                            other_record.status_word().unwrap_or_else(|| "live".to_owned())
                        ),
                    ));
                }
            }
        }
    }
    out
}

/// Repairs what can be repaired without a decision: a title's number that
/// disagrees with the file name, and links whose other side is missing.
/// Returns what was done, one line each.
pub fn fix(repo: &Repo) -> Result<Vec<String>, OpError> {
    let mut edited: BTreeMap<String, Record> = BTreeMap::new();
    let mut done = Vec::new();
    for entry in &repo.entries {
        let Ok(record) = &entry.parsed else { continue };
        if let (Some(n), Some(h)) = (record.number, record.heading_number)
            && n != h
        {
            let mut fixed = record.clone();
            fixed.text = edit::renumber_heading(record, n);
            edited.insert(entry.name.clone(), fixed);
            done.push(format!("{}: title number {h} set to {n}", entry.name));
        }
    }
    for one in find_one_sided(repo) {
        let from = repo::parsed(repo.find(&one.from)?)?;
        let target = match edited.remove(&one.to) {
            Some(record) => record,
            None => repo::parsed(repo.find(&one.to)?)?.clone(),
        };
        let reverse = reverse_verb(&one.kind).unwrap_or("Linked from");
        let mut fixed = target.clone();
        let label = from.label();
        fixed.text = if reverse.to_lowercase().starts_with("supers") && reverse.ends_with(" by") {
            edit::mark_superseded(
                &target,
                &Successor {
                    verb: reverse,
                    label: &label,
                    file: &one.from,
                    number: from.number,
                },
            )
        } else {
            edit::add_link(&target, reverse, &label, &one.from)
        };
        done.push(format!("{}: added `{reverse}` {}", one.to, one.from));
        edited.insert(one.to.clone(), fixed);
    }
    let changes: Vec<_> = edited
        .iter()
        .map(|(name, record)| {
            repo.find(name)
                .map(|entry| repo::edit_of(entry, &record.text))
        })
        .collect::<Result<_, _>>()?;
    repo::apply(repo, &changes)?;
    Ok(done)
}

/// The git repository that holds the ADR directory: its root, and the
/// `host/owner/name` of its remotes, to tell a URL into it from any other.
struct GitRepository {
    root: PathBuf,
    remotes: Vec<String>,
}

impl GitRepository {
    fn of(dir: &Path) -> Option<Self> {
        let absolute = std::path::absolute(dir).ok()?;
        let root = absolute.ancestors().find(|p| p.join(".git").exists())?;
        let config = git_config(&root.join(".git"))?;
        let remotes = config
            .lines()
            .filter_map(|l| l.trim().strip_prefix("url"))
            .filter_map(|l| l.trim_start().strip_prefix('='))
            .filter_map(|url| remote_key(url.trim()))
            .collect();
        Some(Self {
            root: root.to_path_buf(),
            remotes,
        })
    }

    /// Whether a URL into this repository names an existing file; `None`
    /// for a URL elsewhere.
    fn resolve_url(&self, url: &str) -> Option<bool> {
        let rest = url.split_once("://")?.1;
        let lower = rest.to_lowercase();
        let remote = self.remotes.iter().find(|r| {
            lower
                .strip_prefix(r.as_str())
                .is_some_and(|t| t.starts_with('/'))
        })?;
        let tail = rest[remote.len() + 1..].trim_start_matches("-/");
        let (kind, rest) = tail.split_once('/')?;
        if !matches!(kind, "blob" | "tree" | "raw" | "edit") {
            return None;
        }
        let segments: Vec<&str> = rest.split('/').collect();
        // The branch may itself contain slashes: any split that names a file will do.
        Some((1..segments.len()).any(|i| {
            let path = percent_decode(&segments[i..].join("/"));
            self.root.join(path).exists()
        }))
    }
}

/// The text of a repository's config, for a `.git` directory or a worktree's `.git` file.
fn git_config(git: &Path) -> Option<String> {
    if git.is_dir() {
        return std::fs::read_to_string(git.join("config")).ok();
    }
    let pointer = std::fs::read_to_string(git).ok()?;
    let gitdir = PathBuf::from(pointer.strip_prefix("gitdir:")?.trim());
    let gitdir = git.parent().map_or(gitdir.clone(), |p| p.join(&gitdir));
    let common = std::fs::read_to_string(gitdir.join("commondir"))
        .map(|c| gitdir.join(c.trim()))
        .unwrap_or(gitdir);
    std::fs::read_to_string(common.join("config")).ok()
}

/// `git@github.com:org/repo.git`, `https://github.com/org/repo` → `github.com/org/repo`.
fn remote_key(url: &str) -> Option<String> {
    let rest = match url.split_once("://") {
        Some((_, rest)) => rest.to_owned(),
        None => url.replacen(':', "/", 1),
    };
    let rest = rest.rsplit_once('@').map_or(rest.as_str(), |(_, r)| r);
    let key = rest.trim_end_matches('/').trim_end_matches(".git");
    key.contains('/').then(|| key.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remotes_and_urls_compare_by_host_owner_and_name() {
        assert_eq!(
            remote_key("git@github.com:Org/Repo.git").as_deref(),
            Some("github.com/org/repo")
        );
        assert_eq!(
            remote_key("https://user@gitlab.com/org/repo/").as_deref(),
            Some("gitlab.com/org/repo")
        );
        assert_eq!(percent_decode("a%20b.md"), "a b.md");
        assert_eq!(reverse_verb("amended by"), Some("Amends"));
        assert_eq!(reverse_verb("Relates to"), None);
    }
}
