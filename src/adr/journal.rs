//! Changes that span several records: all of them, or none, even when the
//! process is killed halfway.
//!
//! Superseding or linking edits two records; renumbering edits and renames
//! several. Each file is replaced atomically, but a run killed between two
//! renames would leave a link on one side only. So before the first rename,
//! the whole change (every file's new text, with a digest of the text it
//! replaces, and every rename) is written to a journal file in the directory,
//! atomically; after the last rename the journal is removed. The next run
//! that opens the directory finds a journal only if a run died in between,
//! and completes it (see [`recover`]), under the directory's lock, before it
//! reads anything. A file that someone changed by hand since is left as it is.

use crate::fsio;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The journal's file name in the ADR directory.
pub const JOURNAL: &str = ".tradeoff-journal.json";

/// The prefix of the temporary files records are staged in.
pub const TEMP_PREFIX: &str = ".tradeoff-record-";

/// One file's new text.
#[derive(Debug, Clone)]
pub struct Change {
    pub path: PathBuf,
    /// The text it replaces; `None` for a new file, which must not exist.
    pub before: Option<String>,
    pub after: String,
}

/// A rename within the directory.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Rename {
    pub from: String,
    pub to: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct Journal {
    writes: Vec<Write>,
    #[serde(default)]
    renames: Vec<Rename>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Write {
    file: String,
    /// sha256 of the text replaced; `None` for a new file.
    before: Option<String>,
    after: String,
}

fn digest(text: &[u8]) -> String {
    format!("{:x}", Sha256::digest(text))
}

fn file_name(path: &Path) -> io::Result<String> {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| io::Error::other(format!("`{}` names no file", path.display())))
}

/// Applies `changes` then `renames` in `dir`, journaled when there is more
/// than one step. The caller holds the directory's write lock.
pub fn apply(dir: &Path, changes: &[Change], renames: &[Rename]) -> io::Result<()> {
    let journaled = changes.len() + renames.len() > 1;
    if journaled {
        let journal = Journal {
            writes: changes
                .iter()
                .map(|c| {
                    Ok(Write {
                        file: file_name(&c.path)?,
                        before: c.before.as_deref().map(|b| digest(b.as_bytes())),
                        after: c.after.clone(),
                    })
                })
                .collect::<io::Result<_>>()?,
            renames: renames.to_vec(),
        };
        let text = serde_json::to_string(&journal).map_err(io::Error::other)?;
        fsio::replace(&dir.join(JOURNAL), &text)?;
    }
    let mut staged = Vec::with_capacity(changes.len());
    for change in changes {
        staged.push(fsio::stage_with_prefix(
            &change.path,
            &change.after,
            TEMP_PREFIX,
        )?);
    }
    for (temp, change) in staged.into_iter().zip(changes) {
        let done = if change.before.is_some() {
            temp.persist(&change.path)
        } else {
            temp.persist_noclobber(&change.path)
        };
        done.map_err(|e| e.error)?;
    }
    for rename in renames {
        rename_free(dir, rename)?;
    }
    if journaled {
        fs::remove_file(dir.join(JOURNAL))?;
    }
    Ok(())
}

/// Renames `from` to `to` in `dir`, never over an existing file.
fn rename_free(dir: &Path, rename: &Rename) -> io::Result<()> {
    let to = dir.join(&rename.to);
    if fs::symlink_metadata(&to).is_ok() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("`{}` already exists", to.display()),
        ));
    }
    fs::rename(dir.join(&rename.from), to)
}

/// Completes the change a killed run left in `dir`'s journal, if any. The
/// caller holds the write lock. Returns what was done, one line per file,
/// for the user to see.
pub fn recover(dir: &Path) -> io::Result<Vec<String>> {
    let path = dir.join(JOURNAL);
    let text = match fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut notes = Vec::new();
    match serde_json::from_str::<Journal>(&text) {
        Ok(journal) => {
            for write in &journal.writes {
                notes.extend(redo_write(dir, write)?);
            }
            for rename in &journal.renames {
                if dir.join(&rename.from).exists() && !dir.join(&rename.to).exists() {
                    rename_free(dir, rename)?;
                    notes.push(format!(
                        "completed an interrupted edit: renamed {} to {}",
                        rename.from, rename.to
                    ));
                }
            }
        }
        Err(e) => notes.push(format!(
            "an interrupted edit's journal cannot be read ({e}); it was removed"
        )),
    }
    fs::remove_file(&path)?;
    Ok(notes)
}

fn redo_write(dir: &Path, write: &Write) -> io::Result<Option<String>> {
    let target = dir.join(&write.file);
    let current = match fs::read(&target) {
        Ok(bytes) => Some(bytes),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(e),
    };
    if current.as_deref() == Some(write.after.as_bytes()) {
        return Ok(None);
    }
    let untouched = match (&current, &write.before) {
        (None, None) => true,
        (Some(bytes), Some(before)) => &digest(bytes) == before,
        _ => false,
    };
    if !untouched {
        return Ok(Some(format!(
            "an interrupted edit of {} was not completed: the file changed since",
            write.file
        )));
    }
    let staged = fsio::stage_with_prefix(&target, &write.after, TEMP_PREFIX)?;
    staged.persist(&target).map_err(|e| e.error)?;
    Ok(Some(format!(
        "completed an interrupted edit of {}",
        write.file
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_journal_left_by_a_killed_run_is_completed() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let a = dir.path().join("0001-a.md");
        let b = dir.path().join("0002-b.md");
        fs::write(&a, "a0")?;
        fs::write(&b, "b0")?;
        // The run wrote its journal and the first file, then died.
        let journal = Journal {
            writes: vec![
                Write {
                    file: "0001-a.md".into(),
                    before: Some(digest(b"a0")),
                    after: "a1".into(),
                },
                Write {
                    file: "0002-b.md".into(),
                    before: Some(digest(b"b0")),
                    after: "b1".into(),
                },
                Write {
                    file: "0003-c.md".into(),
                    before: None,
                    after: "c1".into(),
                },
            ],
            renames: Vec::new(),
        };
        fs::write(dir.path().join(JOURNAL), serde_json::to_string(&journal)?)?;
        fs::write(&a, "a1")?;
        let notes = recover(dir.path())?;
        assert_eq!(fs::read_to_string(&b)?, "b1");
        assert_eq!(fs::read_to_string(dir.path().join("0003-c.md"))?, "c1");
        assert_eq!(notes.len(), 2, "{notes:?}");
        assert!(!dir.path().join(JOURNAL).exists());
        Ok(())
    }

    #[test]
    fn a_file_changed_by_hand_since_is_left_alone() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let a = dir.path().join("0001-a.md");
        fs::write(&a, "edited by hand")?;
        let journal = Journal {
            writes: vec![Write {
                file: "0001-a.md".into(),
                before: Some(digest(b"a0")),
                after: "a1".into(),
            }],
            renames: Vec::new(),
        };
        fs::write(dir.path().join(JOURNAL), serde_json::to_string(&journal)?)?;
        let notes = recover(dir.path())?;
        assert_eq!(fs::read_to_string(&a)?, "edited by hand");
        assert!(notes[0].contains("changed since"), "{notes:?}");
        Ok(())
    }

    #[test]
    fn applies_every_change_and_leaves_no_journal() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let a = dir.path().join("0001-a.md");
        fs::write(&a, "a0")?;
        apply(
            dir.path(),
            &[
                Change {
                    path: a.clone(),
                    before: Some("a0".into()),
                    after: "a1".into(),
                },
                Change {
                    path: dir.path().join("0002-b.md"),
                    before: None,
                    after: "b".into(),
                },
            ],
            &[Rename {
                from: "0001-a.md".into(),
                to: "0003-a.md".into(),
            }],
        )?;
        assert_eq!(fs::read_to_string(dir.path().join("0003-a.md"))?, "a1");
        let names: Vec<String> = fs::read_dir(dir.path())?
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
        Ok(())
    }
}
