//! An ADR directory and the lifecycle operations on it.
//!
//! A [`Repo`] is the directory read under its lock ([`super::lock`]): a
//! reader holds a shared lock while it reads, a writer an exclusive one from
//! the first read to the last rename, so an edit is always planned on what
//! is on disk. Operations plan their edits in memory first (a malformed
//! record stops the operation before anything is written and is never
//! rewritten), then hand every changed file to [`super::journal`], which
//! writes them all or, after a crash, lets the next run finish the job. A
//! record that cannot be read (not UTF-8, unreadable) is listed as such and
//! the rest go on.

use super::edit::{self, Successor};
use super::journal::{self, Change};
use super::lock::{Access, DirLock};
use super::record::{Format, Malformed, Record};
use super::template::{self, Vars};
use super::{dated_file_name, file_name, is_dated, is_record_name, leading_number};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// One record file of the directory, parsed or not.
#[derive(Debug)]
pub struct Entry {
    pub path: PathBuf,
    pub name: String,
    pub parsed: Result<Record, Malformed>,
    /// The file's text (decoded lossily if it is not UTF-8).
    pub original: String,
}

#[derive(Debug)]
pub struct Repo {
    pub dir: PathBuf,
    /// The records, in number order (log4brains' dated ones by date).
    pub entries: Vec<Entry>,
    /// Other `*.md` files in the directory (README.md, index.md, ...).
    pub others: Vec<String>,
    /// The directory is log4brains': records are named by date.
    pub log4brains: bool,
    /// What opening the directory did: an interrupted edit completed.
    pub notes: Vec<String>,
    _lock: Option<DirLock>,
}

/// What went wrong with an operation.
#[derive(Debug, thiserror::Error)]
pub enum OpError {
    #[error("{0}")]
    Io(#[from] io::Error),
    /// An I/O error on a file the user should hear about by name.
    #[error("`{}`: {error}", path.display())]
    File { path: PathBuf, error: io::Error },
    #[error("{0}")]
    Usage(String),
    #[error("`{name}` cannot be read as a decision record: {why}; it was left untouched")]
    Malformed { name: String, why: String },
    #[error(transparent)]
    Template(#[from] template::TemplateError),
}

pub const STATUSES: [&str; 6] = [
    "draft",
    "proposed",
    "accepted",
    "rejected",
    "deprecated",
    "superseded",
];

/// The layout new records get.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    Nygard,
    Madr,
    /// MADR 2, as log4brains writes it: metadata bullets, `## Links`.
    Madr2,
}

impl Repo {
    /// The directory for reading (shared lock), or for changing it
    /// (exclusive lock; the directory is created). Either way an edit a
    /// killed run left half done is completed first.
    pub fn open(dir: &Path, access: Access) -> io::Result<Self> {
        let mut notes = Vec::new();
        if access == Access::Write {
            fs::create_dir_all(dir)?;
        }
        let lock = if dir.is_dir() {
            let unfinished = dir.join(journal::JOURNAL).exists()
                || crate::fsio::has_temps(dir, crate::fsio::TEMP_PREFIX);
            if access == Access::Write || unfinished {
                let lock = DirLock::acquire(dir, Access::Write)?;
                notes = journal::recover(dir)?;
                // Under the exclusive lock no writer is staging: every
                // temporary file left here (a record, the journal) is stale.
                crate::fsio::remove_stale_temps(dir, crate::fsio::TEMP_PREFIX);
                remove_number_locks(dir);
                if access == Access::Write {
                    lock
                } else {
                    drop(lock);
                    DirLock::acquire(dir, Access::Read)?
                }
            } else {
                DirLock::acquire(dir, Access::Read)?
            }
        } else {
            None
        };
        let (entries, others) = read_entries(dir)?;
        let dated = entries.iter().filter(|e| is_dated(&e.name)).count();
        Ok(Self {
            dir: dir.to_path_buf(),
            log4brains: (dated > 0 && dated * 2 >= entries.len())
                || (entries.is_empty() && super::dir::is_log4brains_dir(dir)),
            entries,
            others,
            notes,
            _lock: lock,
        })
    }

    pub fn records(&self) -> impl Iterator<Item = &Record> {
        self.entries.iter().filter_map(|e| e.parsed.as_ref().ok())
    }

    /// The layout most of the records use; `None` for an empty directory.
    pub fn layout(&self) -> Option<Layout> {
        let count = |f: Format| self.records().filter(|r| r.format == f).count();
        let (nygard, madr, madr2) = (
            count(Format::Nygard),
            count(Format::Madr),
            count(Format::Madr2),
        );
        if self.log4brains {
            return Some(Layout::Madr2);
        }
        match (nygard, madr, madr2) {
            (0, 0, 0) => None,
            (n, m, m2) if n > m && n > m2 => Some(Layout::Nygard),
            (_, m, m2) if m2 > m => Some(Layout::Madr2),
            _ => Some(Layout::Madr),
        }
    }

    /// adr-tools spells "Supercedes", and its repositories rely on it; keep
    /// that spelling in Nygard repositories and wherever a repository uses
    /// it, unless it already uses the right one.
    pub fn supersede_verbs(&self) -> (&'static str, &'static str) {
        let uses = |words: [&str; 2]| {
            self.entries
                .iter()
                .any(|e| words.iter().any(|w| e.original.contains(w)))
        };
        let misspelt = uses(["Supercedes [", "Superceded by ["]);
        let right = uses(["Supersedes [", "Superseded by ["]);
        let adr_tools = self.layout() == Some(Layout::Nygard);
        if misspelt || (adr_tools && !right) {
            ("Supercedes", "Superceded by")
        } else {
            ("Supersedes", "Superseded by")
        }
    }

    /// A record by number (numerically: `7`, `0007`), file name, or, as
    /// adr-tools finds them, part of its file name (`-s postgres`).
    pub fn find(&self, reference: &str) -> Result<&Entry, OpError> {
        let reference = reference.trim();
        let by_number = reference.parse::<u32>().ok().map(|n| {
            self.entries
                .iter()
                .filter(|e| !is_dated(&e.name) && leading_number(&e.name) == Some(n))
                .collect::<Vec<_>>()
        });
        let exact = || {
            self.entries
                .iter()
                .filter(|e| e.name == reference || e.name.trim_end_matches(".md") == reference)
                .collect::<Vec<_>>()
        };
        let partial = || {
            self.entries
                .iter()
                .filter(|e| !reference.is_empty() && e.name.contains(reference))
                .collect::<Vec<_>>()
        };
        let numeric = by_number.is_some();
        let matches = by_number
            .filter(|m| !m.is_empty())
            .or_else(|| Some(exact()).filter(|m| !m.is_empty()))
            .unwrap_or_else(partial);
        match matches.as_slice() {
            [one] => Ok(one),
            [] => Err(OpError::Usage(format!(
                "no decision record `{reference}` in {}",
                self.dir.display()
            ))),
            several => Err(OpError::Usage(format!(
                "`{reference}` matches {} records ({}); name the file{}",
                several.len(),
                several
                    .iter()
                    .map(|e| e.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                if numeric {
                    ", or run `tradeoff adr renumber`"
                } else {
                    ""
                }
            ))),
        }
    }
}

/// The sort key of a record file: numbered records by number, then
/// log4brains' by date, then the rest, each by name.
fn order(name: &str) -> (u8, u32, String) {
    match (is_dated(name), leading_number(name)) {
        (false, Some(n)) => (0, n, name.to_owned()),
        (true, _) => (1, 0, name.to_owned()),
        (false, None) => (2, 0, name.to_owned()),
    }
}

/// The record files (read, one failure each at most) and the other
/// Markdown files of `dir`.
fn read_entries(dir: &Path) -> io::Result<(Vec<Entry>, Vec<String>)> {
    let mut entries = Vec::new();
    let mut others = Vec::new();
    if !dir.is_dir() {
        return Ok((entries, others));
    }
    let mut names: Vec<String> = fs::read_dir(dir)?
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| !t.is_dir()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md") && !n.starts_with('.'))
        .collect();
    names.sort_by_cached_key(|n| order(n));
    let (records, rest): (Vec<String>, Vec<String>) =
        names.into_iter().partition(|n| is_record_name(n));
    others.extend(rest);
    // Reading and parsing a thousand records is most of what `adr list`
    // does: two threads halve it.
    entries.extend(crate::parallel::on_two_threads(
        &records,
        |_| 1,
        64,
        |name| read_entry(dir, name),
    ));
    Ok((entries, others))
}

/// One record file, read and parsed; a file that is not UTF-8 text or
/// cannot be read is an entry that says so.
fn read_entry(dir: &Path, name: &str) -> Entry {
    let path = dir.join(name);
    let (original, parsed) = match fs::read(&path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => {
                let parsed = Record::parse(name, &text);
                (text, parsed)
            }
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
                let why = format!("it is not UTF-8 text (byte {at} is not)");
                (text, Err(Malformed(why)))
            }
        },
        Err(e) => (
            String::new(),
            Err(Malformed(format!("it cannot be read: {e}"))),
        ),
    };
    Entry {
        path,
        name: name.to_owned(),
        parsed,
        original,
    }
}

/// Lock files (`.0003.lock`) that earlier versions created to reserve a
/// number, which a killed run left behind; the directory lock replaced them.
fn remove_number_locks(dir: &Path) {
    let Ok(list) = fs::read_dir(dir) else { return };
    for entry in list.filter_map(Result::ok) {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let stem = name.strip_prefix('.').and_then(|n| n.strip_suffix(".lock"));
        if stem.is_some_and(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit())) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

pub(crate) fn parsed(entry: &Entry) -> Result<&Record, OpError> {
    entry.parsed.as_ref().map_err(|m| OpError::Malformed {
        name: entry.name.clone(),
        why: m.0.clone(),
    })
}

/// A change to an existing record: its new text, with its line endings.
pub(crate) fn edit_of(entry: &Entry, text: &str) -> Change {
    Change {
        path: entry.path.clone(),
        before: Some(entry.original.clone()),
        after: edit::restore_line_endings(&entry.original, text),
    }
}

/// Applies the changes in the repository's directory; an I/O error names the file.
pub(crate) fn apply(repo: &Repo, changes: &[Change]) -> Result<(), OpError> {
    journal::apply(&repo.dir, changes, &[]).map_err(|error| OpError::File {
        path: repo.dir.clone(),
        error,
    })
}

/// Options for a new record.
pub struct NewRecord<'a> {
    pub title: &'a str,
    pub date: &'a str,
    pub status: Option<&'a str>,
    pub layout: Layout,
    /// A user template: (name, text).
    pub template: Option<(String, String)>,
    pub supersede: &'a [String],
    /// `TARGET:LINK:REVERSE`, as adr-tools' `-l`.
    pub links: &'a [String],
}

/// Creates a record (never overwriting), with its supersessions and links,
/// as one journaled change. `repo` is open for writing.
pub fn new_record(repo: &Repo, options: &NewRecord<'_>) -> Result<PathBuf, OpError> {
    let title = super::one_line(options.title);
    let supersede: Vec<&Entry> = options
        .supersede
        .iter()
        .map(|r| repo.find(r))
        .collect::<Result<_, _>>()?;
    let links = link_targets(repo, options.links)?;
    for entry in supersede.iter().chain(links.iter().map(|(e, _, _)| e)) {
        parsed(entry)?;
    }
    let (name, number) = new_name(repo, &title, options.date)?;
    let text = render_new(options, &title, number.unwrap_or(0))?;
    let mut changes = Vec::new();
    let mut after = text.clone();
    if !supersede.is_empty() || !links.is_empty() {
        let mut new = Record::parse(&name, &text).map_err(|m| OpError::Malformed {
            name: name.clone(),
            why: format!("{} (as the template makes it)", m.0),
        })?;
        changes = link_new_record(repo, &mut new, &supersede, &links)?;
        after = edit::restore_line_endings(&text, &new.text);
    }
    let path = repo.dir.join(&name);
    changes.push(Change {
        path: path.clone(),
        before: None,
        after,
    });
    apply(repo, &changes)?;
    Ok(path)
}

/// The new record's file name and number: the next number, or, in a
/// log4brains directory, the date and a free suffix.
pub(crate) fn new_name(
    repo: &Repo,
    title: &str,
    date: &str,
) -> Result<(String, Option<u32>), OpError> {
    if repo.log4brains {
        let base = dated_file_name(date, title);
        let stem = base.trim_end_matches(".md");
        let name = (1..)
            .map(|i| match i {
                1 => base.clone(),
                i => format!("{stem}-{i}.md"),
            })
            .find(|n| !repo.dir.join(n).exists())
            .unwrap_or(base);
        return Ok((name, None));
    }
    let number = super::next_number(&repo.dir)?;
    Ok((file_name(number, title), Some(number)))
}

/// The new record's text, from the user's template or the layout's own.
fn render_new(options: &NewRecord<'_>, title: &str, number: u32) -> Result<String, OpError> {
    let status = options.status.map_or_else(
        || match options.layout {
            Layout::Nygard => "Accepted".to_owned(),
            _ => "proposed".to_owned(),
        },
        |s| display_status(s, options.layout),
    );
    let (name, source) = match &options.template {
        Some((name, text)) => (name.as_str(), text.as_str()),
        None => match options.layout {
            Layout::Nygard => ("built-in", template::NYGARD),
            Layout::Madr => ("built-in", template::MADR),
            Layout::Madr2 => ("built-in", template::MADR2),
        },
    };
    // Markdown would read `<b>` in a title as HTML, and Mermaid drop it.
    let title = &title.replace('<', "\\<").replace('>', "\\>");
    let vars = Vars {
        number,
        title: title.clone(),
        date: options.date.to_owned(),
        status,
    };
    let text = template::render(name, source, &vars)?;
    // A template without placeholders (log4brains' `template.md`) gets the
    // title in its first heading, as log4brains fills it.
    if options.template.is_some() && !template::has_placeholders(source) {
        return Ok(edit::set_title(&text, title));
    }
    Ok(text)
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

/// Links the new record (edited in place) to the records it supersedes and
/// links to; returns the edits of those records.
fn link_new_record(
    repo: &Repo,
    new: &mut Record,
    supersede: &[&Entry],
    links: &[(&Entry, &str, &str)],
) -> Result<Vec<Change>, OpError> {
    let (supersedes, superseded_by) = repo.supersede_verbs();
    let mut changes = Vec::new();
    for old in supersede {
        let old_record = parsed(old)?;
        let label = new.label();
        let text = edit::mark_superseded(
            old_record,
            &Successor {
                verb: superseded_by,
                label: &label,
                file: &new.name,
                number: new.number,
            },
        );
        changes.push(edit_of(old, &text));
        new.text = edit::add_link(new, supersedes, &old_record.label(), &old.name);
    }
    for (target, link, reverse) in links {
        let target_record = parsed(target)?;
        new.text = edit::add_link(new, link, &target_record.label(), &target.name);
        let text = edit::add_link(target_record, reverse, &new.label(), &new.name);
        changes.push(edit_of(target, &text));
    }
    Ok(changes)
}

/// How a status is written: `Accepted` in Nygard records, `accepted` elsewhere.
fn display_status(status: &str, layout: Layout) -> String {
    match layout {
        Layout::Nygard => {
            let mut chars = status.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect())
                .unwrap_or_default()
        }
        _ => status.to_lowercase(),
    }
}

fn layout_of(record: &Record) -> Layout {
    match record.format {
        Format::Nygard => Layout::Nygard,
        Format::Madr => Layout::Madr,
        Format::Madr2 => Layout::Madr2,
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
    let text = edit::set_status(rec, &display_status(&status, layout_of(rec)));
    apply(repo, &[edit_of(entry, &text)])?;
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
    let s_text = edit::add_link(sr, kind, &tr.label(), &t.name);
    let t_text = edit::add_link(tr, reverse, &sr.label(), &s.name);
    apply(repo, &[edit_of(s, &s_text), edit_of(t, &t_text)])
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
    let label = nr.label();
    let o_text = edit::mark_superseded(
        or,
        &Successor {
            verb: superseded_by,
            label: &label,
            file: &n.name,
            number: nr.number,
        },
    );
    let n_text = edit::add_link(nr, supersedes, &or.label(), &o.name);
    apply(repo, &[edit_of(o, &o_text), edit_of(n, &n_text)])
}

/// adr-tools' `upgrade-repository`: dates written `DD/MM/YYYY` by early
/// adr-tools become ISO `YYYY-MM-DD`. Returns the files changed.
pub fn upgrade(repo: &Repo) -> Result<Vec<String>, OpError> {
    let mut changes = Vec::new();
    let mut names = Vec::new();
    for entry in &repo.entries {
        let text = upgrade_dates(&entry.original);
        if text != entry.original && entry.parsed.is_ok() {
            changes.push(Change {
                path: entry.path.clone(),
                before: Some(entry.original.clone()),
                after: text,
            });
            names.push(entry.name.clone());
        }
    }
    apply(repo, &changes)?;
    Ok(names)
}

fn upgrade_dates(text: &str) -> String {
    text.split_inclusive('\n')
        .map(|line| {
            let Some(date) = line.strip_prefix("Date: ") else {
                return line.to_owned();
            };
            let (value, end) = date.split_at(date.trim_end().len());
            let parts: Vec<&str> = value.split('/').collect();
            match parts.as_slice() {
                [d, m, y]
                    if d.len() == 2
                        && m.len() == 2
                        && y.len() == 4
                        && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit())) =>
                {
                    format!("Date: {y}-{m}-{d}{end}")
                }
                _ => line.to_owned(),
            }
        })
        .collect()
}

/// The first record of a new directory, adr-tools' or MADR's.
pub fn init(repo: &Repo, layout: Layout, date: &str) -> Result<PathBuf, OpError> {
    if !repo.entries.is_empty() {
        return Err(OpError::Usage(format!(
            "{} already holds decision records; nothing was written",
            repo.dir.display()
        )));
    }
    let (number, title, text) = match layout {
        Layout::Nygard => (1, "Record architecture decisions", template::NYGARD_INIT),
        _ => (
            0,
            "Use Markdown Architectural Decision Records",
            template::MADR_INIT,
        ),
    };
    let path = repo.dir.join(file_name(number, title));
    let body = text.replacen("DATE", date, 1);
    apply(
        repo,
        &[Change {
            path: path.clone(),
            before: None,
            after: body,
        }],
    )?;
    Ok(path)
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
            Ok(r) if r.number.is_some() => r.label(),
            Ok(r) => r.title.clone(),
            Err(_) => entry.name.clone(),
        };
        out.push_str(&format!(
            "* [{}]({prefix}{})\n",
            crate::report::markdown::escape(&title),
            entry.name
        ));
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
            dot_escape(&r.label())
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
                    dot_escape(&link.kind)
                ));
            }
        }
    }
    out.push_str("}\n");
    out
}

fn dot_escape(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"")
}

/// The same graph as a Mermaid flowchart, for Markdown that renders Mermaid.
/// Labels are entity-escaped, since Mermaid's sanitiser drops raw HTML.
pub fn graph_mermaid(repo: &Repo) -> String {
    let mut out = String::from("flowchart TD\n");
    let mut previous: Option<u32> = None;
    for r in repo.records() {
        let Some(n) = r.number else { continue };
        out.push_str(&format!("  adr{n}[\"{}\"]\n", mermaid_escape(&r.label())));
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
                    "  adr{n} -->|\"{}\"| adr{t}\n",
                    mermaid_escape(&link.kind)
                ));
            }
        }
    }
    out
}

/// Text for a quoted Mermaid label: quotes, angle brackets, `&` and `|` as
/// Mermaid's `#code;` entities, control characters as spaces.
pub fn mermaid_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '|' => out.push_str("#124;"),
            '#' => out.push_str("#35;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upgrades_old_adr_tools_dates() {
        assert_eq!(
            upgrade_dates("# 2. X\n\nDate: 12/01/1992\n\nDate: 1992-01-12\n"),
            "# 2. X\n\nDate: 1992-01-12\n\nDate: 1992-01-12\n"
        );
    }

    #[test]
    fn mermaid_labels_are_escaped() {
        assert_eq!(
            mermaid_escape("Use <b>\"X\"</b> & Y | #1"),
            "Use #lt;b#gt;#quot;X#quot;#lt;/b#gt; #amp; Y #124; #35;1"
        );
    }

    #[test]
    fn records_sort_by_number_past_9999_and_unreadable_ones_are_listed() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        fs::write(dir.path().join("10000-b.md"), "# 10000. B\n")?;
        fs::write(dir.path().join("9999-a.md"), "# 9999. A\n")?;
        fs::write(dir.path().join("0002-bad.md"), b"# 2. \xff\n")?;
        let repo = Repo::open(dir.path(), Access::Read)?;
        let names: Vec<&str> = repo.entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["0002-bad.md", "9999-a.md", "10000-b.md"]);
        assert!(
            repo.entries[0]
                .parsed
                .as_ref()
                .is_err_and(|m| m.0.contains("not UTF-8"))
        );
        assert_eq!(repo.records().count(), 2);
        Ok(())
    }

    #[test]
    fn references_are_numbers_names_or_parts_of_names() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        for name in [
            "0001-use-postgres.md",
            "0010-use-redis.md",
            "0011-use-redis-streams.md",
        ] {
            fs::write(dir.path().join(name), "# T\n")?;
        }
        let repo = Repo::open(dir.path(), Access::Read)?;
        let find = |r: &str| {
            repo.find(r)
                .map(|e| e.name.clone())
                .map_err(|e| e.to_string())
        };
        assert_eq!(find("1"), Ok("0001-use-postgres.md".to_owned()));
        assert_eq!(find("0010"), Ok("0010-use-redis.md".to_owned()));
        assert_eq!(find("postgres"), Ok("0001-use-postgres.md".to_owned()));
        assert_eq!(find("0010-use-redis"), Ok("0010-use-redis.md".to_owned()));
        assert!(find("redis").is_err_and(|e| e.contains("matches 2 records")));
        assert!(find("mongo").is_err());
        Ok(())
    }
}
