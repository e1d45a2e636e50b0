//! Editing decision records as text: status, links, supersession, headings.
//!
//! Each edit returns the record's new text and changes only the lines it
//! must, where the record's layout keeps what it changes: the Status section
//! of a Nygard record, the front matter of a MADR one (both, for front
//! matter over a Nygard body), the bullets of a MADR 2 one. Callers restore
//! CRLF line endings with [`restore_line_endings`].

use super::record::{Format, Record, parse_link, split_number, strip_bullet};

/// Text with a record's line endings restored.
pub fn restore_line_endings(original: &str, edited: &str) -> String {
    if original.contains("\r\n") {
        edited.replace('\n', "\r\n")
    } else {
        edited.to_owned()
    }
}

/// Sets the status, keeping every other line: in the front matter if the
/// record has one, in the Status section of a Nygard body, in the bullet of
/// a MADR 2 record.
pub fn set_status(record: &Record, status: &str) -> String {
    let mut text = record.text.clone();
    if record.front_matter || record.format == Format::Madr {
        text = set_front_matter(&text, "status", &status.to_lowercase());
    }
    match record.format {
        Format::Madr => text,
        Format::Madr2 => set_bullet(&text, "Status", status),
        Format::Nygard => replace_nygard_status(&text, Some(status)),
    }
}

/// Sets a `* Key: value` bullet's value (the first one, whatever its marker).
fn set_bullet(text: &str, key: &str, value: &str) -> String {
    let prefix = format!("{}:", key.to_lowercase());
    let mut done = false;
    let mut out: Vec<String> = text
        .lines()
        .map(|l| {
            let item = strip_bullet(l);
            if !done && item.len() != l.len() && item.to_lowercase().starts_with(&prefix) {
                done = true;
                let marker = &l[..l.len() - item.len()];
                let comment = item.find("<!--").map_or("", |i| &item[i..]);
                let gap = if comment.is_empty() { "" } else { " " };
                format!("{marker}{key}: {value}{gap}{comment}")
            } else {
                l.to_owned()
            }
        })
        .collect();
    if text.ends_with('\n') {
        out.push(String::new());
    }
    out.join("\n")
}

/// Replaces the first plain (non-link) line of the Status section, or, when
/// `replacement` is `None`, removes it (collapsing the blank lines around it).
fn replace_nygard_status(text: &str, replacement: Option<&str>) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let Some(start) = lines.iter().position(|l| l.trim_end() == "## Status") else {
        return text.to_owned();
    };
    let end = lines[start + 1..]
        .iter()
        .position(|l| l.starts_with("## "))
        .map_or(lines.len(), |i| start + 1 + i);
    let target = (start + 1..end).find(|&i| {
        let l = lines[i].trim();
        !l.is_empty() && parse_link(l).is_none()
    });
    match (target, replacement) {
        (Some(i), Some(new)) => lines[i] = new.to_owned(),
        (Some(i), None) => {
            lines.remove(i);
            if i < lines.len()
                && lines[i].trim().is_empty()
                && i > 0
                && lines[i - 1].trim().is_empty()
            {
                lines.remove(i);
            }
        }
        (None, Some(new)) => {
            lines.insert(start + 1, String::new());
            lines.insert(start + 2, new.to_owned());
            if start + 3 < lines.len() && !lines[start + 3].trim().is_empty() {
                lines.insert(start + 3, String::new());
            }
        }
        (None, None) => {}
    }
    let mut out = lines.join("\n");
    if text.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// Sets a top-level key of the front matter, adding the front matter or the
/// key when missing.
pub fn set_front_matter(text: &str, key: &str, value: &str) -> String {
    let Some(rest) = text.strip_prefix("---\n") else {
        return format!("---\n{key}: {value}\n---\n\n{text}");
    };
    let end = if rest.starts_with("---") {
        0
    } else {
        rest.find("\n---").map_or(rest.len(), |i| i + 1)
    };
    let (front, after) = rest.split_at(end);
    let mut found = false;
    let mut lines: Vec<String> = front
        .lines()
        .map(|l| match l.split_once(':') {
            Some((k, _)) if k.trim_end() == key && !found => {
                found = true;
                format!("{key}: {value}")
            }
            _ => l.to_owned(),
        })
        .collect();
    if !found {
        lines.insert(0, format!("{key}: {value}"));
    }
    format!("---\n{}\n{}", lines.join("\n"), after)
}

/// Adds a link line where the record's format keeps links.
pub fn add_link(record: &Record, kind: &str, label: &str, target: &str) -> String {
    let line = format!("{kind} [{label}]({target})");
    match record.format {
        Format::Nygard => {
            insert_in_section(&record.text, "## Status", &format!("{line}\n\n"), false)
        }
        Format::Madr => insert_in_section(
            &record.text,
            "## More Information",
            &format!("* {line}\n"),
            true,
        ),
        Format::Madr2 => {
            let marker = bullet_marker(&record.text);
            insert_in_section(&record.text, "## Links", &format!("{marker}{line}\n"), true)
        }
    }
}

/// The list marker a record uses (`- ` in log4brains records, else `* `).
fn bullet_marker(text: &str) -> &'static str {
    let dashes = text.lines().filter(|l| l.starts_with("- ")).count();
    let stars = text.lines().filter(|l| l.starts_with("* ")).count();
    if dashes > stars { "- " } else { "* " }
}

/// Inserts `chunk` at the end of a section (before the next `## ` heading or
/// the hidden tradeoff block); creates the section if `create` and it is missing.
fn insert_in_section(text: &str, heading: &str, chunk: &str, create: bool) -> String {
    let block = text.find("<!-- tradeoff").unwrap_or(text.len());
    let heading_at = text
        .match_indices(heading)
        .find(|(i, _)| {
            (*i == 0 || text[..*i].ends_with('\n'))
                && text[i + heading.len()..].starts_with(['\n', ' '])
        })
        .map(|(i, _)| i);
    match heading_at {
        Some(start) => insert_at_section_end(text, start, heading, chunk, block),
        None if create => {
            let (head, tail) = text.split_at(block);
            let head = head.trim_end_matches('\n');
            let tail = if tail.is_empty() {
                String::new()
            } else {
                format!("\n{tail}")
            };
            format!(
                "{head}\n\n{heading}\n\n{}\n{tail}",
                chunk.trim_end_matches('\n')
            )
        }
        None => text.to_owned(),
    }
}

fn insert_at_section_end(
    text: &str,
    start: usize,
    heading: &str,
    chunk: &str,
    block: usize,
) -> String {
    let after = start + heading.len();
    let next = text[after..]
        .find("\n## ")
        .map(|i| after + i + 1)
        .unwrap_or(block.max(after));
    let (head, tail) = text.split_at(next);
    let is_item = chunk.starts_with("* ") || chunk.starts_with("- ");
    if tail.is_empty() || tail.starts_with("<!--") {
        let trimmed = head.trim_end_matches('\n');
        let last = trimmed.lines().last().unwrap_or_default();
        let sep = if is_item && (last.starts_with("* ") || last.starts_with("- ")) {
            "\n"
        } else {
            "\n\n"
        };
        return format!(
            "{trimmed}{sep}{}{}{tail}",
            chunk.trim_end_matches('\n'),
            if tail.is_empty() { "\n" } else { "\n\n" }
        );
    }
    let head_trim = head.trim_end_matches('\n');
    let list = is_item
        && head_trim
            .lines()
            .last()
            .is_some_and(|l| l.starts_with("* ") || l.starts_with("- "));
    let sep = if list { "\n" } else { "\n\n" };
    let chunk = chunk.trim_end_matches('\n');
    format!("{head_trim}{sep}{chunk}\n\n{tail}")
}

/// The record that supersedes another, as the superseded one names it.
pub struct Successor<'a> {
    /// The link verb: `Superseded by` or adr-tools' `Superceded by`.
    pub verb: &'a str,
    /// The link label: `5. Use Y`, or a log4brains id.
    pub label: &'a str,
    /// The file name.
    pub file: &'a str,
    /// Its number; `None` for a log4brains record.
    pub number: Option<u32>,
}

/// Marks a record superseded: the status becomes the link in Nygard records,
/// `superseded by ADR-NNNN` in front matter, and log4brains' `superseded by
/// [id](file)` in MADR 2 bullets; the link is added where the format keeps links.
pub fn mark_superseded(record: &Record, by: &Successor<'_>) -> String {
    let status = match by.number {
        Some(n) => format!("superseded by ADR-{n:04}"),
        None => format!("superseded by [{}]({})", by.label, by.file),
    };
    let mut edited = record.clone();
    if record.front_matter || record.format == Format::Madr {
        edited.text = set_front_matter(&edited.text, "status", &status);
    }
    match record.format {
        // As adr-tools: append the link to the Status section, then drop the
        // plain status line (whatever it says), collapsing the blank lines.
        Format::Nygard => {
            replace_nygard_status(&add_link(&edited, by.verb, by.label, by.file), None)
        }
        Format::Madr => add_link(&edited, by.verb, by.label, by.file),
        Format::Madr2 => {
            let status = match by.number {
                Some(n) => format!("superseded by [ADR-{n:04}]({})", by.file),
                None => status,
            };
            edited.text = set_bullet(&edited.text, "Status", &status);
            if by.number.is_none() {
                // log4brains keeps the successor in the status alone.
                return edited.text;
            }
            add_link(&edited, by.verb, by.label, by.file)
        }
    }
}

/// Sets the number in the title (`# 7. Title` → `# 12. Title`), in any
/// layout whose title carries one.
pub fn renumber_heading(record: &Record, number: u32) -> String {
    if record.heading_number.is_none() {
        return record.text.clone();
    }
    map_first_heading(&record.text, |heading| {
        let (_, title) = split_number(heading);
        format!("{number}. {title}")
    })
}

/// Replaces the first `# ` heading's text.
pub fn set_title(text: &str, title: &str) -> String {
    map_first_heading(text, |_| title.to_owned())
}

fn map_first_heading(text: &str, new: impl Fn(&str) -> String) -> String {
    let mut done = false;
    let mut out: Vec<String> = Vec::new();
    for line in text.lines() {
        if !done && line.starts_with("# ") {
            done = true;
            out.push(format!("# {}", new(line[2..].trim())));
        } else {
            out.push(line.to_owned());
        }
    }
    let mut out = out.join("\n");
    if !done {
        out = format!("# {}\n\n{out}", new(""));
    }
    if text.ends_with('\n') || !done {
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const NYGARD: &str = "# 2. Second Record\n\nDate: 1992-01-12\n\n## Status\n\nAccepted\n\n## Context\n\nThe issue.\n";

    fn by<'a>(verb: &'a str, label: &'a str, file: &'a str, number: Option<u32>) -> Successor<'a> {
        Successor {
            verb,
            label,
            file,
            number,
        }
    }

    #[test]
    fn adds_links_exactly_as_adr_tools() {
        let r = Record::parse(
            "0003-third-record.md",
            &NYGARD.replace("2. Second", "3. Third"),
        )
        .unwrap();
        let once = add_link(&r, "Amends", "1. First Record", "0001-first-record.md");
        let r2 = Record::parse("0003-third-record.md", &once).unwrap();
        let twice = add_link(
            &r2,
            "Clarifies",
            "2. Second Record",
            "0002-second-record.md",
        );
        assert_eq!(
            twice,
            "# 3. Third Record\n\nDate: 1992-01-12\n\n## Status\n\nAccepted\n\nAmends [1. First Record](0001-first-record.md)\n\nClarifies [2. Second Record](0002-second-record.md)\n\n## Context\n\nThe issue.\n"
        );
    }

    #[test]
    fn superseding_replaces_the_status_line_as_adr_tools() {
        let r = Record::parse(
            "0001-first-record.md",
            &NYGARD.replace("2. Second", "1. First"),
        )
        .unwrap();
        let text = mark_superseded(
            &r,
            &by(
                "Superceded by",
                "2. Second Record",
                "0002-second-record.md",
                Some(2),
            ),
        );
        assert!(
            text.contains(
                "## Status\n\nSuperceded by [2. Second Record](0002-second-record.md)\n\n## Context"
            ),
            "{text}"
        );
        let again = Record::parse("0001-first-record.md", &text).unwrap();
        assert_eq!(again.status_word().as_deref(), Some("superseded"));
    }

    #[test]
    fn parses_and_edits_madr_front_matter() {
        let madr = "---\nstatus: accepted\ndate: 2026-01-02\n---\n\n# Use X\n\n## Context and Problem Statement\n\nWhy.\n";
        let r = Record::parse("0004-use-x.md", madr).unwrap();
        let text = mark_superseded(
            &r,
            &by("Superseded by", "5. Use Y", "0005-use-y.md", Some(5)),
        );
        assert!(
            text.starts_with("---\nstatus: superseded by ADR-0005\ndate: 2026-01-02\n---\n"),
            "{text}"
        );
        assert!(
            text.contains("## More Information\n\n* Superseded by [5. Use Y](0005-use-y.md)\n"),
            "{text}"
        );
    }

    #[test]
    fn front_matter_over_nygard_changes_status_in_both_places() {
        let text = "---\nstatus: accepted\n---\n\n# 4. Use X\n\nDate: 2020-02-03\n\n## Status\n\nAccepted\n\n## Context\n";
        let r = Record::parse("0004-use-x.md", text).unwrap();
        let edited = set_status(&r, "Deprecated");
        assert!(
            edited.starts_with("---\nstatus: deprecated\n---\n"),
            "{edited}"
        );
        assert!(edited.contains("## Status\n\nDeprecated\n"), "{edited}");
        let superseded = mark_superseded(
            &r,
            &by("Superseded by", "5. Use Y", "0005-use-y.md", Some(5)),
        );
        assert!(superseded.starts_with("---\nstatus: superseded by ADR-0005\n"));
        assert!(superseded.contains("## Status\n\nSuperseded by [5. Use Y](0005-use-y.md)\n"));
    }

    #[test]
    fn links_go_before_the_hidden_block() {
        let madr = "---\nstatus: proposed\n---\n\n# T\n\n## More Information\n\nSources.\n\n<!-- tradeoff\nschema = 1\n-->\n";
        let r = Record::parse("0001-t.md", madr).unwrap();
        let text = add_link(&r, "Amends", "2. U", "0002-u.md");
        assert!(
            text.contains("Sources.\n\n* Amends [2. U](0002-u.md)\n\n<!-- tradeoff"),
            "{text}"
        );
    }

    #[test]
    fn madr2_status_bullets_are_edited_in_place() {
        let madr2 = "# Use Z\n\n- Status: accepted <!-- optional -->\n- Date: 2019-05-01\n\n## Context and Problem Statement\n\nx\n\n## Links\n\n- Refines [a](20190101-a.md)\n";
        let r = Record::parse("20190501-use-z.md", madr2).unwrap();
        assert!(set_status(&r, "deprecated").contains("- Status: deprecated <!-- optional -->\n"));
        let text = mark_superseded(
            &r,
            &by("Superseded by", "20200101-w", "20200101-w.md", None),
        );
        assert!(text.contains("- Status: superseded by [20200101-w](20200101-w.md)"));
        let r = Record::parse("20190501-use-z.md", madr2).unwrap();
        let linked = add_link(&r, "Amends", "20190101-a", "20190101-a.md");
        assert!(
            linked
                .ends_with("- Refines [a](20190101-a.md)\n- Amends [20190101-a](20190101-a.md)\n"),
            "{linked}"
        );
    }

    #[test]
    fn crlf_is_kept() {
        let crlf = NYGARD.replace('\n', "\r\n");
        let r = Record::parse("0002-second-record.md", &crlf).unwrap();
        let edited = restore_line_endings(&crlf, &set_status(&r, "Deprecated"));
        assert!(
            edited.contains("## Status\r\n\r\nDeprecated\r\n"),
            "{edited:?}"
        );
    }

    #[test]
    fn headings_are_renumbered_in_any_layout() {
        let r = Record::parse("0007-a.md", "# 7. A\n\n## Status\n\nAccepted\n").unwrap();
        assert!(renumber_heading(&r, 12).starts_with("# 12. A\n"));
        let fm = "---\nstatus: accepted\n---\n\n# 7. A\n\n## Context and Problem Statement\n";
        let r = Record::parse("0007-a.md", fm).unwrap();
        assert!(renumber_heading(&r, 12).contains("\n# 12. A\n"));
        assert_eq!(set_title("# x\n\nbody\n", "New"), "# New\n\nbody\n");
    }
}
