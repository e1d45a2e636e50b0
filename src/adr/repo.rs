//! An ADR directory and the lifecycle operations on it.
//!
//! Operations plan their edits in memory first (a malformed record stops the
//! operation before anything is written and is never rewritten), then write
//! every changed file through a temporary file and a rename; when an edit
//! spans two files (supersede, link) and the second write fails, the first is
//! restored, so the pair changes together or not at all.

use super::record::{self, Format, Malformed, Record};
use super::template::{self, Vars};
use super::{file_name, leading_number};
use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// One `NNNN-*.md` file of the directory, parsed or not.
#[derive(Debug)]
pub struct Entry {
    pub path: PathBuf,
    pub name: String,
    pub parsed: Result<Record, Malformed>,
    pub original: String,
}

#[derive(Debug)]
pub struct Repo {
    pub dir: PathBuf,
    pub entries: Vec<Entry>,
    /// Other `*.md` files in the directory (README.md, index.md, ...).
    pub others: Vec<String>,
}

/// What went wrong with an operation.
#[derive(Debug, thiserror::Error)]
pub enum OpError {
    #[error("{0}")]
    Io(#[from] io::Error),
    #[error("{0}")]
    Usage(String),
    #[error("`{name}` cannot be read as a decision record: {why}; it was left untouched")]
    Malformed { name: String, why: String },
    #[error(transparent)]
    Template(#[from] template::TemplateError),
}

pub const STATUSES: [&str; 5] = [
    "proposed",
    "accepted",
    "rejected",
    "deprecated",
    "superseded",
];

impl Repo {
    pub fn open(dir: &Path) -> io::Result<Self> {
        let mut entries = Vec::new();
        let mut others = Vec::new();
        if dir.is_dir() {
            let mut names: Vec<String> = fs::read_dir(dir)?
                .filter_map(Result::ok)
                .filter(|e| e.path().is_file())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".md"))
                .collect();
            names.sort();
            for name in names {
                if leading_number(&name).is_none() {
                    others.push(name);
                    continue;
                }
                let path = dir.join(&name);
                let original = fs::read_to_string(&path)?;
                let parsed = Record::parse(&name, &original);
                entries.push(Entry {
                    path,
                    name,
                    parsed,
                    original,
                });
            }
        }
        Ok(Self {
            dir: dir.to_path_buf(),
            entries,
            others,
        })
    }

    pub fn records(&self) -> impl Iterator<Item = &Record> {
        self.entries.iter().filter_map(|e| e.parsed.as_ref().ok())
    }

    /// The format most of the records use; `None` for an empty directory.
    pub fn format(&self) -> Option<Format> {
        let nygard = self
            .records()
            .filter(|r| r.format == Format::Nygard)
            .count();
        let madr = self.records().count() - nygard;
        match (nygard, madr) {
            (0, 0) => None,
            (n, m) if n > m => Some(Format::Nygard),
            _ => Some(Format::Madr),
        }
    }

    /// adr-tools spells "Supercedes"; keep that spelling where the repository uses it.
    pub fn supersede_verbs(&self) -> (&'static str, &'static str) {
        let misspelt = self
            .entries
            .iter()
            .any(|e| e.original.contains("Supercedes [") || e.original.contains("Superceded by ["));
        if misspelt {
            ("Supercedes", "Superceded by")
        } else {
            ("Supersedes", "Superseded by")
        }
    }

    /// A record by number (numerically: `7`, `0007`) or file name.
    pub fn find(&self, reference: &str) -> Result<&Entry, OpError> {
        let by_number = reference.trim().parse::<u32>().ok();
        let matches: Vec<&Entry> = self
            .entries
            .iter()
            .filter(|e| match by_number {
                Some(n) => leading_number(&e.name) == Some(n),
                None => e.name == reference || e.name.trim_end_matches(".md") == reference,
            })
            .collect();
        match matches.as_slice() {
            [one] => Ok(one),
            [] => Err(OpError::Usage(format!(
                "no decision record `{reference}` in {}",
                self.dir.display()
            ))),
            several => Err(OpError::Usage(format!(
                "`{reference}` matches {} records ({}); name the file, or run `tradeoff adr renumber`",
                several.len(),
                several
                    .iter()
                    .map(|e| e.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
        }
    }
}

fn parsed(entry: &Entry) -> Result<&Record, OpError> {
    entry.parsed.as_ref().map_err(|m| OpError::Malformed {
        name: entry.name.clone(),
        why: m.0.clone(),
    })
}

/// Writes every file or none: temporary files first, then renames, restoring
/// earlier files if a later rename fails.
pub fn write_all(changes: &[(PathBuf, String, String)]) -> io::Result<()> {
    let mut staged = Vec::new();
    for (path, _original, text) in changes {
        staged.push((crate::fsio::stage(path, text)?, path));
    }
    let mut done: Vec<usize> = Vec::new();
    for (i, (temp, path)) in staged.into_iter().enumerate() {
        if let Err(e) = temp.persist(path) {
            for j in done {
                let (path, original, _) = &changes[j];
                let _ = fs::write(path, original);
            }
            return Err(e.error);
        }
        done.push(i);
    }
    Ok(())
}

/// Options for a new record.
pub struct NewRecord<'a> {
    pub title: &'a str,
    pub date: &'a str,
    pub status: Option<&'a str>,
    pub format: Format,
    /// A user template: (name, text).
    pub template: Option<(String, String)>,
    pub supersede: &'a [String],
    /// `TARGET:LINK:REVERSE`, as adr-tools' `-l`.
    pub links: &'a [String],
}

/// Creates a record (never overwriting), then applies supersede and links.
pub fn new_record(repo: &Repo, options: &NewRecord<'_>) -> Result<PathBuf, OpError> {
    // Resolve references before writing anything.
    let supersede: Vec<&Entry> = options
        .supersede
        .iter()
        .map(|r| repo.find(r))
        .collect::<Result<_, _>>()?;
    let links = link_targets(repo, options.links)?;
    for entry in supersede.iter().chain(links.iter().map(|(e, _, _)| e)) {
        parsed(entry)?;
    }
    let path = create_from_template(repo, options)?;
    if supersede.is_empty() && links.is_empty() {
        return Ok(path);
    }
    link_new_record(repo, &path, &supersede, &links)?;
    Ok(path)
}

/// `TARGET:LINK:REVERSE` specs as (target record, link, reverse link).
fn link_targets<'r, 's>(
    repo: &'r Repo,
    specs: &'s [String],
) -> Result<Vec<(&'r Entry, &'s str, &'s str)>, OpError> {
    let mut links = Vec::new();
    for spec in specs {
        let parts: Vec<&str> = spec.splitn(3, ':').collect();
        let [target, link, reverse] = parts.as_slice() else {
            return Err(OpError::Usage(format!(
                "`--link {spec}` is not TARGET:LINK:REVERSE"
            )));
        };
        links.push((repo.find(target)?, *link, *reverse));
    }
    Ok(links)
}

/// Writes the new record from the user's template or the format's own,
/// under the next free number; a template error surfaces before a file exists.
fn create_from_template(repo: &Repo, options: &NewRecord<'_>) -> Result<PathBuf, OpError> {
    let status = options.status.map_or_else(
        || match options.format {
            Format::Nygard => "Accepted".to_owned(),
            _ => "proposed".to_owned(),
        },
        |s| display_status(s, options.format),
    );
    let (name, source) = match &options.template {
        Some((name, text)) => (name.as_str(), text.as_str()),
        None => match options.format {
            Format::Nygard => ("built-in", template::NYGARD),
            _ => ("built-in", template::MADR),
        },
    };
    super::create_with(&repo.dir, options.title, |number| {
        let vars = Vars {
            number,
            title: options.title.to_owned(),
            date: options.date.to_owned(),
            status: status.clone(),
        };
        template::render(name, source, &vars).map_err(OpError::from)
    })
}

/// Marks the superseded records and links the targets, editing the new
/// record at `path` and each of them together.
fn link_new_record(
    repo: &Repo,
    path: &Path,
    supersede: &[&Entry],
    links: &[(&Entry, &str, &str)],
) -> Result<(), OpError> {
    let fresh = Repo::open(&repo.dir)?;
    let new_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let new_entry = fresh.find(&new_name)?;
    let mut new_record = parsed(new_entry)?.clone();
    let (supersedes, superseded_by) = repo.supersede_verbs();
    let mut changes = Vec::new();
    for old in supersede {
        let old_record = parsed(old)?;
        let text = record::mark_superseded(
            old_record,
            superseded_by,
            &new_record.label(),
            &new_name,
            new_record.number.unwrap_or(0),
        );
        changes.push((
            old.path.clone(),
            old.original.clone(),
            record::restore_line_endings(&old.original, &text),
        ));
        new_record.text = record::add_link(&new_record, supersedes, &old_record.label(), &old.name);
    }
    for (target, link, reverse) in links {
        let target_record = parsed(target)?;
        new_record.text = record::add_link(&new_record, link, &target_record.label(), &target.name);
        let text = record::add_link(target_record, reverse, &new_record.label(), &new_name);
        changes.push((
            target.path.clone(),
            target.original.clone(),
            record::restore_line_endings(&target.original, &text),
        ));
    }
    changes.push((
        new_entry.path.clone(),
        new_entry.original.clone(),
        new_record.text.clone(),
    ));
    Ok(write_all(&changes)?)
}

/// How a status is written: `Accepted` in Nygard records, `accepted` in MADR.
fn display_status(status: &str, format: Format) -> String {
    match format {
        Format::Nygard => {
            let mut chars = status.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect())
                .unwrap_or_default()
        }
        _ => status.to_lowercase(),
    }
}

pub fn check_status(status: &str) -> Result<String, OpError> {
    let lower = status.to_lowercase();
    if STATUSES.contains(&lower.as_str()) {
        return Ok(lower);
    }
    let mut message = format!(
        "unknown status `{status}`: expected one of {}",
        STATUSES.join(", ")
    );
    if let Some(best) = crate::diagnostic::did_you_mean(status, STATUSES) {
        message.push_str(&format!("\n  help: did you mean `{best}`?"));
    }
    Err(OpError::Usage(message))
}

pub fn set_status(repo: &Repo, reference: &str, status: &str) -> Result<PathBuf, OpError> {
    let status = check_status(status)?;
    let entry = repo.find(reference)?;
    let rec = parsed(entry)?;
    let text = record::set_status(rec, &display_status(&status, rec.format));
    write_all(&[(
        entry.path.clone(),
        entry.original.clone(),
        record::restore_line_endings(&entry.original, &text),
    )])?;
    Ok(entry.path.clone())
}

pub fn link(
    repo: &Repo,
    source: &str,
    kind: &str,
    target: &str,
    reverse: &str,
) -> Result<(), OpError> {
    let (s, t) = (repo.find(source)?, repo.find(target)?);
    let (sr, tr) = (parsed(s)?, parsed(t)?);
    let s_text = record::add_link(sr, kind, &tr.label(), &t.name);
    let t_text = record::add_link(tr, reverse, &sr.label(), &s.name);
    write_all(&[
        (
            s.path.clone(),
            s.original.clone(),
            record::restore_line_endings(&s.original, &s_text),
        ),
        (
            t.path.clone(),
            t.original.clone(),
            record::restore_line_endings(&t.original, &t_text),
        ),
    ])?;
    Ok(())
}

pub fn supersede(repo: &Repo, old: &str, new: &str) -> Result<(), OpError> {
    let (o, n) = (repo.find(old)?, repo.find(new)?);
    if o.name == n.name {
        return Err(OpError::Usage(
            "a record cannot supersede itself".to_owned(),
        ));
    }
    let (or, nr) = (parsed(o)?, parsed(n)?);
    let (supersedes, superseded_by) = repo.supersede_verbs();
    let o_text = record::mark_superseded(
        or,
        superseded_by,
        &nr.label(),
        &n.name,
        nr.number.unwrap_or(0),
    );
    let n_text = record::add_link(nr, supersedes, &or.label(), &o.name);
    write_all(&[
        (
            o.path.clone(),
            o.original.clone(),
            record::restore_line_endings(&o.original, &o_text),
        ),
        (
            n.path.clone(),
            n.original.clone(),
            record::restore_line_endings(&n.original, &n_text),
        ),
    ])?;
    Ok(())
}

/// adr-tools' `generate toc`.
pub fn toc(repo: &Repo, intro: Option<&str>, outro: Option<&str>, prefix: &str) -> String {
    let mut out = String::from("# Architecture Decision Records\n\n");
    if let Some(intro) = intro {
        out.push_str(intro.trim_end_matches('\n'));
        out.push_str("\n\n");
    }
    for entry in &repo.entries {
        let title = match &entry.parsed {
            Ok(r) => r.label(),
            Err(_) => entry.name.clone(),
        };
        out.push_str(&format!("* [{title}]({prefix}{})\n", entry.name));
    }
    if let Some(outro) = outro {
        out.push('\n');
        out.push_str(outro.trim_end_matches('\n'));
        out.push('\n');
    }
    out
}

/// adr-tools' `generate graph` (Graphviz), byte for byte.
pub fn graph_dot(repo: &Repo, prefix: &str, extension: &str) -> String {
    let mut out = String::from("digraph {\n  node [shape=plaintext];\n  subgraph {\n");
    for r in repo.records() {
        let Some(n) = r.number else { continue };
        let stem = r.name.trim_end_matches(".md");
        out.push_str(&format!(
            "    _{n} [label=\"{}\"; URL=\"{prefix}{stem}{extension}\"];\n",
            r.label().replace('"', "\\\"")
        ));
        if n > 1 {
            out.push_str(&format!(
                "    _{} -> _{n} [style=\"dotted\", weight=1];\n",
                n - 1
            ));
        }
    }
    out.push_str("  }\n");
    for r in repo.records() {
        let Some(n) = r.number else { continue };
        for link in r.links.iter().filter(|l| !l.is_reverse()) {
            if let Some(t) = link.target_number {
                out.push_str(&format!(
                    "  _{n} -> _{t} [label=\"{}\", weight=0]\n",
                    link.kind
                ));
            }
        }
    }
    out.push_str("}\n");
    out
}

/// The same graph as a Mermaid flowchart, for Markdown that renders Mermaid.
pub fn graph_mermaid(repo: &Repo) -> String {
    let mut out = String::from("flowchart TD\n");
    let mut previous: Option<u32> = None;
    for r in repo.records() {
        let Some(n) = r.number else { continue };
        out.push_str(&format!(
            "  adr{n}[\"{}\"]\n",
            r.label().replace('"', "#quot;")
        ));
        if let Some(p) = previous {
            out.push_str(&format!("  adr{p} -.-> adr{n}\n"));
        }
        previous = Some(n);
    }
    for r in repo.records() {
        let Some(n) = r.number else { continue };
        for link in r.links.iter().filter(|l| !l.is_reverse()) {
            if let Some(t) = link.target_number {
                out.push_str(&format!(
                    "  adr{n} -->|{}| adr{t}\n",
                    link.kind.replace('|', "/")
                ));
            }
        }
    }
    out
}

/// A problem found by `adr check`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    pub file: String,
    pub error: bool,
    pub message: String,
}

/// Finds what breaks readers or history: duplicate numbers, broken links,
/// superseded records without a successor, unreadable records, and files
/// that Structurizr or Backstage would reject.
pub fn check(repo: &Repo) -> Vec<Problem> {
    let mut by_number: BTreeMap<u32, Vec<&str>> = BTreeMap::new();
    for e in &repo.entries {
        if let Some(n) = leading_number(&e.name) {
            by_number.entry(n).or_default().push(&e.name);
        }
    }
    let mut out = Vec::new();
    for (n, names) in &by_number {
        if names.len() > 1 {
            out.push(problem(
                names[1],
                true,
                format!(
                    "number {n} is used by {}: run `tradeoff adr renumber`",
                    names.join(" and ")
                ),
            ));
        }
    }
    let names: Vec<&str> = repo.entries.iter().map(|e| e.name.as_str()).collect();
    for e in &repo.entries {
        out.extend(entry_problems(e, &names, &by_number));
    }
    for other in &repo.others {
        out.push(problem(
            other,
            false,
            "Structurizr's importer reads every *.md in the directory and fails on a file without a number; keep it elsewhere or exclude it".to_owned(),
        ));
    }
    out
}

fn problem(file: &str, error: bool, message: String) -> Problem {
    Problem {
        file: file.to_owned(),
        error,
        message,
    }
}

/// One record's problems: its name, whether it reads, its links, its
/// successor if superseded, and a quoted MADR status.
fn entry_problems(e: &Entry, names: &[&str], by_number: &BTreeMap<u32, Vec<&str>>) -> Vec<Problem> {
    let mut out = Vec::new();
    let digits = e.name.chars().take_while(char::is_ascii_digit).count();
    if digits == 8 {
        out.push(problem(&e.name, true, "a date prefix (log4brains style): Structurizr reads the first four digits as the id, so records collide".to_owned()));
    } else if digits != 4 || !e.name[digits..].starts_with('-') {
        out.push(problem(&e.name, true, "not named NNNN-title.md: Structurizr and Backstage expect exactly four digits and a dash".to_owned()));
    }
    let rec = match &e.parsed {
        Ok(r) => r,
        Err(m) => {
            out.push(problem(&e.name, true, format!("cannot be read: {}", m.0)));
            return out;
        }
    };
    for link in &rec.links {
        if !link.target.contains('/')
            && !link.target.contains("://")
            && !names.contains(&link.target.as_str())
        {
            out.push(problem(
                &e.name,
                true,
                format!(
                    "broken link: `{} [{}]({})` points at no record",
                    link.kind, link.label, link.target
                ),
            ));
        }
    }
    if rec.status_word().as_deref() == Some("superseded") && !has_successor(rec, names, by_number) {
        out.push(problem(
            &e.name,
            true,
            "superseded, but no existing record supersedes it".to_owned(),
        ));
    }
    if rec.format == Format::Madr
        && e.original
            .lines()
            .any(|l| l.starts_with("status: \"") || l.starts_with("status: '"))
    {
        out.push(problem(
            &e.name,
            false,
            "quoted status: Structurizr keeps the quotes as part of the status".to_owned(),
        ));
    }
    out
}

/// A superseded record names an existing successor: by a link, or by a
/// status such as `Superseded by ADR-0012`.
fn has_successor(rec: &Record, names: &[&str], by_number: &BTreeMap<u32, Vec<&str>>) -> bool {
    rec.links
        .iter()
        .any(|l| l.is_superseded_by() && names.contains(&l.target.as_str()))
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
            .is_some_and(|n| by_number.contains_key(&n))
}

/// A file renamed by `renumber`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Move {
    pub from: String,
    pub to: String,
}

/// Gives every record that shares a number with an earlier one (by date, then
/// name) the next free number, and rewrites the links that point at it.
pub fn renumber(repo: &Repo, dry_run: bool) -> Result<Vec<Move>, OpError> {
    for e in &repo.entries {
        parsed(e)?;
    }
    let moves = planned_moves(repo);
    if dry_run || moves.is_empty() {
        return Ok(moves.into_iter().map(|(m, _)| m).collect());
    }
    write_all(&renumbered_texts(repo, &moves)?)?;
    for (m, _) in &moves {
        let to = repo.dir.join(&m.to);
        if to.exists() {
            return Err(OpError::Usage(format!("`{}` already exists", m.to)));
        }
        fs::rename(repo.dir.join(&m.from), to)?;
    }
    Ok(moves.into_iter().map(|(m, _)| m).collect())
}

/// The renames that give each later record of a shared number the next
/// free number, with that number.
fn planned_moves(repo: &Repo) -> Vec<(Move, u32)> {
    let mut groups: BTreeMap<u32, Vec<&Entry>> = BTreeMap::new();
    for e in &repo.entries {
        if let Some(n) = leading_number(&e.name) {
            groups.entry(n).or_default().push(e);
        }
    }
    let mut next = groups.keys().max().map_or(1, |m| m + 1);
    let mut moves: Vec<(Move, u32)> = Vec::new();
    for entries in groups.values_mut().filter(|g| g.len() > 1) {
        entries.sort_by(|a, b| {
            let date = |e: &Entry| {
                e.parsed
                    .as_ref()
                    .ok()
                    .and_then(|r| r.date.clone())
                    .unwrap_or_default()
            };
            date(a).cmp(&date(b)).then_with(|| a.name.cmp(&b.name))
        });
        for e in entries.iter().skip(1) {
            let digits = e.name.chars().take_while(char::is_ascii_digit).count();
            let rest = e.name[digits..].trim_start_matches('-');
            let to = format!("{next:04}-{rest}");
            moves.push((
                Move {
                    from: e.name.clone(),
                    to,
                },
                next,
            ));
            next += 1;
        }
    }
    moves
}

/// New texts for every record the moves change: retargeted links,
/// renumbered titles, as (path, original, new text).
fn renumbered_texts(
    repo: &Repo,
    moves: &[(Move, u32)],
) -> Result<Vec<(PathBuf, String, String)>, OpError> {
    let mut changes = Vec::new();
    for e in &repo.entries {
        let mut rec = parsed(e)?.clone();
        if let Some((_, n)) = moves.iter().find(|(m, _)| m.from == e.name) {
            rec.text = record::renumber_title(&rec, *n);
        }
        for (m, n) in moves {
            let title = repo
                .entries
                .iter()
                .find(|x| x.name == m.from)
                .and_then(|x| x.parsed.as_ref().ok())
                .map_or_else(String::new, |r| r.title.clone());
            rec.text = record::retarget_links(&rec.text, &m.from, &m.to, &format!("{n}. {title}"));
        }
        if rec.text != e.original.replace("\r\n", "\n") {
            changes.push((
                e.path.clone(),
                e.original.clone(),
                record::restore_line_endings(&e.original, &rec.text),
            ));
        }
    }
    Ok(changes)
}

/// The first record of a new directory, adr-tools' or MADR's.
pub fn init(dir: &Path, format: Format, date: &str) -> Result<PathBuf, OpError> {
    let repo = Repo::open(dir)?;
    if !repo.entries.is_empty() {
        return Err(OpError::Usage(format!(
            "{} already holds decision records; nothing was written",
            dir.display()
        )));
    }
    let (number, title, text) = match format {
        Format::Nygard => (1, "Record architecture decisions", template::NYGARD_INIT),
        _ => (
            0,
            "Use Markdown Architectural Decision Records",
            template::MADR_INIT,
        ),
    };
    fs::create_dir_all(dir)?;
    let path = dir.join(file_name(number, title));
    let body = text.replacen("DATE", date, 1);
    crate::fsio::create_new(&path, &body)?;
    Ok(path)
}
