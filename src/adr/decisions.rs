//! The records `decide --adr` writes, one per decision, never two.
//!
//! A decision is identified by its topic and the system it is for (the
//! answers file's title), as the record's data block holds them. Writing a
//! decision that a live record (not superseded, rejected or deprecated)
//! already holds writes nothing when the verdict is the same, whatever the
//! rule base or the wording of the answers: a new version of tradeoff or of
//! the rule base in CI must not duplicate every record. When the verdict
//! changed, the new record supersedes the old one, in both files, as one
//! change. All of this happens under the directory's write lock, so ten
//! identical runs at once write one record.

use super::block::{Block, Header};
use super::edit::{self, Successor};
use super::journal::Change;
use super::lock::Access;
use super::record::Record;
use super::repo::{self, Entry, OpError, Repo};
use std::io;
use std::path::{Path, PathBuf};

/// What writing a record did (the simple form, for callers that only need
/// the path).
#[derive(Debug, PartialEq, Eq)]
pub enum Written {
    Created(PathBuf),
    /// An existing record already holds this decision.
    Unchanged(PathBuf),
}

/// What writing one decision does, or would do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    /// A new record.
    Create,
    /// This live record already holds the same verdict.
    Unchanged(String),
    /// A new record superseding these live records, whose verdict differs.
    Supersede(Vec<String>),
}

/// What was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub path: PathBuf,
    pub plan: Plan,
}

/// The live records that decide the same topic for the same system, with
/// their data blocks.
pub fn on_record<'r>(repo: &'r Repo, block: &Block) -> Vec<(&'r Entry, Header)> {
    repo.entries
        .iter()
        .filter(|e| e.parsed.as_ref().is_ok_and(Record::is_live))
        .filter_map(|e| match Block::header(&e.original) {
            Some(b) if b.topic == block.topic && b.title == block.title => Some((e, b)),
            _ => None,
        })
        .collect()
}

/// What writing the decision in `block` would do in `repo`.
pub fn plan(repo: &Repo, block: &Block) -> Plan {
    let same = on_record(repo, block);
    if let Some((entry, _)) = same.iter().find(|(_, b)| b.chosen == block.chosen) {
        return Plan::Unchanged(entry.name.clone());
    }
    if same.is_empty() {
        Plan::Create
    } else {
        Plan::Supersede(same.iter().map(|(e, _)| e.name.clone()).collect())
    }
}

/// Writes the decision in `block` into `repo` (open for writing) as its
/// plan says. `render` gets the record's number (0 in a log4brains
/// directory, whose names carry a date).
pub fn write<E: From<OpError>>(
    repo: &Repo,
    title: &str,
    date: &str,
    block: &Block,
    render: impl FnOnce(u32) -> Result<String, E>,
) -> Result<Outcome, E> {
    let plan = plan(repo, block);
    if let Plan::Unchanged(name) = &plan {
        return Ok(Outcome {
            path: repo.dir.join(name),
            plan,
        });
    }
    let (name, number) = repo::new_name(repo, title, date)?;
    let text = render(number.unwrap_or(0))?;
    let path = repo.dir.join(&name);
    let mut changes = Vec::new();
    let mut after = text.clone();
    if let Plan::Supersede(old) = &plan {
        let mut new = Record::parse(&name, &text).map_err(|m| OpError::Malformed {
            name: name.clone(),
            why: format!("{} (as the template makes it)", m.0),
        })?;
        changes = supersede_all(repo, &mut new, old)?;
        after = edit::restore_line_endings(&text, &new.text);
    }
    changes.push(Change {
        path: path.clone(),
        before: None,
        after,
    });
    repo::apply(repo, &changes)?;
    Ok(Outcome { path, plan })
}

/// Marks each of `old` superseded by `new`, and links `new` to them.
fn supersede_all(repo: &Repo, new: &mut Record, old: &[String]) -> Result<Vec<Change>, OpError> {
    let (supersedes, superseded_by) = repo.supersede_verbs();
    let mut changes = Vec::new();
    for name in old {
        let entry = repo.find(name)?;
        let record = repo::parsed(entry)?;
        let label = new.label();
        let text = edit::mark_superseded(
            record,
            &Successor {
                verb: superseded_by,
                label: &label,
                file: &new.name,
                number: new.number,
            },
        );
        changes.push(repo::edit_of(entry, &text));
        new.text = edit::add_link(new, supersedes, &record.label(), &entry.name);
    }
    Ok(changes)
}

/// Writes a record unless the decision is already on record, superseding a
/// record of the same decision whose verdict changed: [`write`] for callers
/// outside the command line, which only need the path.
pub fn write_decision<E: From<io::Error>>(
    dir: &Path,
    title: &str,
    block: &Block,
    render: impl FnOnce(u32) -> Result<String, E>,
) -> Result<Written, E> {
    let repo = Repo::open(dir, Access::Write)?;
    let date = jiff::Zoned::now().date().to_string();
    let mut failed = None;
    let outcome = write(&repo, title, &date, block, |n| {
        render(n).map_err(|e| {
            failed = Some(e);
            OpError::Usage(String::new())
        })
    });
    match (outcome, failed) {
        (_, Some(e)) => Err(e),
        (Ok(o), None) if matches!(o.plan, Plan::Unchanged(_)) => Ok(Written::Unchanged(o.path)),
        (Ok(o), None) => Ok(Written::Created(o.path)),
        (Err(e), None) => Err(io::Error::other(e.to_string()).into()),
    }
}
