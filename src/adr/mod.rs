//! Decision records on disk: naming, numbering and safe writing.
//!
//! Names follow adr-tools so existing repositories and readers (Structurizr,
//! Backstage, log4brains) accept them: `NNNN-slug.md`, four digits, the next
//! number after the largest numeric prefix in the directory. A record is
//! written to a temporary file in the same directory and then linked into
//! place only if the name is still free, so a crash never leaves half a
//! record and two writers never take the same number: the loser retries
//! with the next one.

pub mod block;
pub mod dir;
pub mod record;
pub mod repo;
pub mod review;
pub mod template;

use block::Block;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// How many numbers to try when other writers keep taking them.
const MAX_ATTEMPTS: u32 = 100;

/// The adr-tools slug: runs of non-alphanumerics become one `-`, lowercase,
/// no leading or trailing `-`.
pub fn slug(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    let mut dash = false;
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
            dash = false;
        } else if !dash {
            out.push('-');
            dash = true;
        }
    }
    out.trim_matches('-').to_owned()
}

/// The number a file name starts with, if any: `0012-x.md` → 12.
pub fn leading_number(name: &str) -> Option<u32> {
    let digits: String = name.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// One more than the largest leading number among the directory's entries
/// (as adr-tools counts: every entry, gaps not filled); 1 when there is none.
pub fn next_number(dir: &Path) -> io::Result<u32> {
    let mut max = 0;
    if dir.exists() {
        for entry in fs::read_dir(dir)? {
            if let Some(n) = leading_number(&entry?.file_name().to_string_lossy()) {
                max = max.max(n);
            }
        }
    }
    Ok(max + 1)
}

pub fn file_name(number: u32, title: &str) -> String {
    format!("{number:04}-{}.md", slug(title))
}

/// What writing a record did.
#[derive(Debug, PartialEq, Eq)]
pub enum Written {
    Created(PathBuf),
    /// An existing record already holds this exact decision.
    Unchanged(PathBuf),
}

/// Creates a new record under the next free number, never overwriting.
pub fn create(dir: &Path, title: &str, content: &str) -> io::Result<PathBuf> {
    create_with(dir, title, |_| Ok::<_, io::Error>(content.to_owned()))
}

/// Like [`create`], for content that shows its own number (a Nygard title):
/// `render` is called again with each number tried. When it fails, nothing
/// is written and its error is returned.
///
/// Two writers with different titles would pick the same number and both
/// succeed in creating their (differently named) files, so the number itself
/// is reserved first: a `.NNNN.lock` file created exclusively. The writer
/// that creates it owns the number; the others move on to the next one.
pub fn create_with<E: From<io::Error>>(
    dir: &Path,
    title: &str,
    render: impl Fn(u32) -> Result<String, E>,
) -> Result<PathBuf, E> {
    fs::create_dir_all(dir)?;
    let mut number = next_number(dir)?;
    for _ in 0..MAX_ATTEMPTS {
        let Some(_lock) = NumberLock::take(dir, number)? else {
            number = next_number(dir)?.max(number + 1);
            continue;
        };
        // Re-check under the lock: a record may have landed meanwhile.
        if fs::read_dir(dir)?.filter_map(Result::ok).any(|e| {
            e.file_name().to_string_lossy().ends_with(".md")
                && leading_number(&e.file_name().to_string_lossy()) == Some(number)
        }) {
            number = next_number(dir)?.max(number + 1);
            continue;
        }
        let path = dir.join(file_name(number, title));
        let temp = crate::fsio::stage(&path, &render(number)?)?;
        match temp.persist_noclobber(&path) {
            Ok(_) => return Ok(path),
            Err(e) if e.error.kind() == io::ErrorKind::AlreadyExists => {
                number = next_number(dir)?.max(number + 1);
            }
            Err(e) => return Err(e.error.into()),
        }
    }
    Err(io::Error::other(format!(
        "no free record number after {MAX_ATTEMPTS} attempts"
    ))
    .into())
}

/// An exclusive claim on a record number, released when dropped.
struct NumberLock(PathBuf);

impl NumberLock {
    /// A lock older than this was left by a crashed writer.
    const STALE: std::time::Duration = std::time::Duration::from_secs(60);

    fn take(dir: &Path, number: u32) -> io::Result<Option<Self>> {
        let path = dir.join(format!(".{number:04}.lock"));
        for _ in 0..2 {
            match fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(_) => return Ok(Some(Self(path))),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                    let stale = fs::metadata(&path)
                        .and_then(|m| m.modified())
                        .ok()
                        .and_then(|t| t.elapsed().ok())
                        .is_some_and(|age| age > Self::STALE);
                    if !stale {
                        return Ok(None);
                    }
                    let _ = fs::remove_file(&path);
                }
                Err(e) => return Err(e),
            }
        }
        Ok(None)
    }
}

impl Drop for NumberLock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.0);
    }
}

/// Writes a record unless one with the same decision (topic, choice, answers
/// and rule base, as its data `block` holds them) is already in the
/// directory. `render` gets the number.
pub fn write_decision<E: From<io::Error>>(
    dir: &Path,
    title: &str,
    block: &Block,
    render: impl Fn(u32) -> Result<String, E>,
) -> Result<Written, E> {
    if let Some(existing) = find_same(dir, block)? {
        return Ok(Written::Unchanged(existing));
    }
    create_with(dir, title, render).map(Written::Created)
}

/// A record in `dir` whose hidden block records the same decision.
fn find_same(dir: &Path, block: &Block) -> io::Result<Option<PathBuf>> {
    if !dir.is_dir() {
        return Ok(None);
    }
    let mut names: Vec<PathBuf> = fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    names.sort();
    for path in names {
        let Ok(text) = fs::read_to_string(&path) else {
            continue;
        };
        if let Some(Ok(other)) = Block::find(&text)
            && same_decision(&other, block)
        {
            return Ok(Some(path));
        }
    }
    Ok(None)
}

fn same_decision(a: &Block, b: &Block) -> bool {
    a.topic == b.topic
        && a.chosen == b.chosen
        && a.rule_base == b.rule_base
        && a.answers == b.answers
        && a.title == b.title
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_match_adr_tools_vectors() {
        assert_eq!(slug("Something About Node.JS"), "something-about-node-js");
        assert_eq!(slug("Slash/Slash/Slash/"), "slash-slash-slash");
        assert_eq!(slug("-Bar-"), "bar");
        assert_eq!(
            slug("Record architecture decisions"),
            "record-architecture-decisions"
        );
    }

    #[test]
    fn numbering_counts_every_entry_and_avoids_octal() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        assert_eq!(next_number(dir.path())?, 1);
        fs::write(dir.path().join("0008-a.md"), "")?;
        fs::write(dir.path().join("0009-b.png"), "")?;
        fs::write(dir.path().join("README.md"), "")?;
        assert_eq!(next_number(dir.path())?, 10);
        assert_eq!(file_name(10, "Ninth Decision"), "0010-ninth-decision.md");
        Ok(())
    }

    #[test]
    fn create_never_overwrites_and_leaves_no_temp_files() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let first = create(dir.path(), "Use X", "one")?;
        let second = create(dir.path(), "Use X", "two")?;
        assert_eq!(
            first.file_name().and_then(|n| n.to_str()),
            Some("0001-use-x.md")
        );
        assert_eq!(
            second.file_name().and_then(|n| n.to_str()),
            Some("0002-use-x.md")
        );
        assert_eq!(fs::read_to_string(first)?, "one");
        let leftovers: Vec<_> = fs::read_dir(dir.path())?
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty());
        Ok(())
    }

    #[test]
    fn concurrent_writers_take_distinct_numbers() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().to_path_buf();
        let handles: Vec<_> = (0..8)
            .map(|i| {
                let path = path.clone();
                std::thread::spawn(move || create(&path, "Same title", &format!("writer {i}")))
            })
            .collect();
        let mut names = Vec::new();
        for handle in handles {
            let written = handle
                .join()
                .map_err(|_| io::Error::other("writer panicked"))??;
            names.push(written);
        }
        names.sort();
        names.dedup();
        assert_eq!(names.len(), 8);
        Ok(())
    }
}
