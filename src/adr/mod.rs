//! Decision records on disk: naming, numbering and safe writing.
//!
//! Names follow adr-tools so existing repositories and readers (Structurizr,
//! Backstage) accept them: `NNNN-slug.md`, at least four digits, the next
//! number after the largest numeric prefix in the directory. A log4brains
//! directory names records by date instead, `YYYYMMDD-slug.md`, as
//! log4brains does, and those names are kept. Every change to a directory
//! is made under an OS lock on it ([`lock`]), so two writers never take the
//! same number, never lose each other's links, and never write the same
//! decision twice; a change that spans files is journaled ([`journal`]), so
//! a killed run is completed by the next one.

pub mod block;
pub mod check;
pub mod decisions;
pub mod dir;
pub mod edit;
pub mod journal;
pub mod links;
pub mod lock;
pub mod record;
pub mod renumber;
pub mod repo;
pub mod review;
pub mod template;

pub use decisions::{Written, write_decision};

use std::fs;
use std::io;
use std::path::Path;

/// The longest slug a file name gets, in bytes: long titles are cut at a
/// word boundary so that the name stays well under file systems' 255-byte
/// limit.
pub const MAX_SLUG: usize = 100;

/// The slug of a title without any letter or digit (`???`, an emoji).
pub const FALLBACK_SLUG: &str = "decision";

/// The adr-tools slug: runs of non-alphanumerics become one `-`, lowercase,
/// no leading or trailing `-`. Letters outside ASCII are transliterated
/// first (`Stratégie` → `strategie`, `缓存` → `huan-cun`), so no title gives
/// an empty slug; a long one is cut at a dash, to [`MAX_SLUG`] bytes.
pub fn slug(title: &str) -> String {
    let ascii = if title.is_ascii() {
        title.to_owned()
    } else {
        deunicode::deunicode(title)
    };
    let mut out = String::with_capacity(ascii.len());
    let mut dash = false;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
            dash = false;
        } else if !dash {
            out.push('-');
            dash = true;
        }
    }
    let mut slug = out.trim_matches('-').to_owned();
    if slug.len() > MAX_SLUG {
        let cut = slug[..=MAX_SLUG].rfind('-').unwrap_or(MAX_SLUG);
        slug.truncate(cut);
    }
    if slug.is_empty() {
        FALLBACK_SLUG.to_owned()
    } else {
        slug
    }
}

/// A title as one line: newlines, tabs and other control characters become
/// spaces, runs of spaces one, so a title reads back as it was given.
pub fn one_line(title: &str) -> String {
    title
        .split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The digits a file name starts with.
fn leading_digits(name: &str) -> &str {
    let end = name
        .char_indices()
        .find(|(_, c)| !c.is_ascii_digit())
        .map_or(name.len(), |(i, _)| i);
    &name[..end]
}

/// A log4brains name: eight digits that read as a date, then `-`.
pub fn is_dated(name: &str) -> bool {
    let digits = leading_digits(name);
    if digits.len() != 8 || !name[8..].starts_with('-') {
        return false;
    }
    let number = |r: std::ops::Range<usize>| digits[r].parse::<u32>().unwrap_or(0);
    (1970..=2199).contains(&number(0..4))
        && (1..=12).contains(&number(4..6))
        && (1..=31).contains(&number(6..8))
}

/// The number a file name starts with, if any: `0012-x.md` → 12. A number
/// too large for a record number is none.
pub fn leading_number(name: &str) -> Option<u32> {
    leading_digits(name).parse().ok()
}

/// Whether a directory entry is a record: a Markdown file whose name starts
/// with a number or a date.
pub fn is_record_name(name: &str) -> bool {
    name.ends_with(".md") && !leading_digits(name).is_empty()
}

/// One more than the largest leading number among the directory's entries
/// (as adr-tools counts: every entry, gaps not filled, log4brains dates
/// aside); 1 when there is none. A number past `u32::MAX` is an error,
/// never a wrap.
pub fn next_number(dir: &Path) -> io::Result<u32> {
    let mut max = 0u32;
    if dir.exists() {
        for entry in fs::read_dir(dir)? {
            let name = entry?.file_name();
            let name = name.to_string_lossy();
            if is_dated(&name) || name.starts_with('.') {
                continue;
            }
            let digits = leading_digits(&name);
            if digits.is_empty() {
                continue;
            }
            let n = digits.parse::<u32>().map_err(|_| too_large(&name))?;
            max = max.max(n);
        }
    }
    max.checked_add(1)
        .ok_or_else(|| too_large(&max.to_string()))
}

fn too_large(name: &str) -> io::Error {
    io::Error::other(format!(
        "`{name}` has a record number too large to follow (the largest is {})",
        u32::MAX
    ))
}

/// `NNNN-slug.md`: four digits at least, more from 10000 on.
pub fn file_name(number: u32, title: &str) -> String {
    format!("{number:04}-{}.md", slug(title))
}

/// log4brains' `YYYYMMDD-slug.md` for the date `YYYY-MM-DD` (today when
/// `date` is not one).
pub fn dated_file_name(date: &str, title: &str) -> String {
    let digits: String = date.chars().filter(char::is_ascii_digit).collect();
    let stamp = if digits.len() == 8 && is_dated(&format!("{digits}-")) {
        digits
    } else {
        jiff::Zoned::now().date().strftime("%Y%m%d").to_string()
    };
    format!("{stamp}-{}.md", slug(title))
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
    fn slugs_are_never_empty_or_too_long() {
        assert_eq!(slug("Stratégie de cache"), "strategie-de-cache");
        assert_eq!(slug("Использовать кэш"), "ispol-zovat-kesh");
        assert!(!slug("使用缓存").is_empty());
        assert_eq!(slug(""), FALLBACK_SLUG);
        assert_eq!(slug("???"), FALLBACK_SLUG);
        let long = slug(&"word ".repeat(60));
        assert!(long.len() <= MAX_SLUG && long.ends_with("word"), "{long}");
        assert_eq!(one_line("Use X\nand\tY  now"), "Use X and Y now");
    }

    #[test]
    fn numbering_counts_every_entry_and_avoids_octal() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        assert_eq!(next_number(dir.path())?, 1);
        fs::write(dir.path().join("0008-a.md"), "")?;
        fs::write(dir.path().join("0009-b.png"), "")?;
        fs::write(dir.path().join("README.md"), "")?;
        fs::write(dir.path().join("20230101-dated.md"), "")?;
        assert_eq!(next_number(dir.path())?, 10);
        assert_eq!(file_name(10, "Ninth Decision"), "0010-ninth-decision.md");
        Ok(())
    }

    #[test]
    fn numbers_grow_past_four_digits_and_never_wrap() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        fs::write(dir.path().join("9999-a.md"), "")?;
        assert_eq!(next_number(dir.path())?, 10000);
        assert_eq!(file_name(10000, "B"), "10000-b.md");
        fs::write(dir.path().join("4294967295-max.md"), "")?;
        assert!(next_number(dir.path()).is_err());
        fs::remove_file(dir.path().join("4294967295-max.md"))?;
        fs::write(dir.path().join("99999999999-huge.md"), "")?;
        assert!(next_number(dir.path()).is_err());
        Ok(())
    }

    #[test]
    fn dated_names_are_log4brains_ids() {
        assert!(is_dated("20201103-use-lunr.md"));
        assert!(!is_dated("0003-x.md"));
        assert!(!is_dated("12345678-x.md"));
        assert_eq!(dated_file_name("1992-01-12", "Use X"), "19920112-use-x.md");
    }
}
