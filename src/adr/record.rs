//! Reading and editing decision records as text.
//!
//! Three layouts are read: Nygard (as adr-tools writes it: `# N. Title`,
//! `Date:`, a `## Status` section whose link lines point at siblings), MADR
//! 3/4 (YAML front matter with `status` and `date`, a numberless H1, links
//! under `## More Information`), and MADR 2 (`* Status:` / `* Date:` bullets
//! after the H1, links under `## Links`). Both spellings of "supersede" are
//! understood everywhere. Edits change only the lines they must, keep CRLF
//! files in CRLF, and refuse a record they cannot parse rather than guess.

use super::leading_number;

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Nygard,
    Madr,
    /// MADR 2: metadata as bullets after the title.
    Madr2,
}

/// A link from one record to another: `Amends [3. Third](0003-third.md)`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Link {
    /// The verb: `Supersedes`, `Amended by`, ...
    pub kind: String,
    pub label: String,
    /// The target as written (a sibling file name, usually).
    pub target: String,
    pub target_number: Option<u32>,
}

impl Link {
    /// Reverse links end in " by" (`Superseded by`), as adr-tools treats them.
    pub fn is_reverse(&self) -> bool {
        self.kind.ends_with(" by")
    }

    pub fn is_superseded_by(&self) -> bool {
        let k = self.kind.to_lowercase();
        k == "superseded by" || k == "superceded by"
    }

    pub fn is_supersedes(&self) -> bool {
        let k = self.kind.to_lowercase();
        k == "supersedes" || k == "supercedes"
    }
}

#[derive(Clone, Debug, serde::Serialize)]
pub struct Record {
    pub name: String,
    pub number: Option<u32>,
    pub title: String,
    pub status: Option<String>,
    pub date: Option<String>,
    pub links: Vec<Link>,
    pub format: Format,
    #[serde(skip)]
    pub text: String,
}

/// Why a record cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed(pub String);

/// A record's status and date, where its format keeps them, and the
/// link a MADR status line holds (`superseded by [...](...)`).
fn status_and_date(
    format: Format,
    front: Option<&str>,
    body: &str,
    bullets: &[(String, String)],
) -> (Option<String>, Option<String>, Vec<Link>) {
    let bullet = |key: &str| {
        bullets
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    };
    match format {
        Format::Madr => {
            let fm = front.unwrap_or_default();
            let status = yaml(fm, "status");
            let mut links = Vec::new();
            if let Some(s) = &status
                && let Some(link) = parse_link(&format!(
                    "Superseded by {}",
                    s.trim_start_matches("superseded by ").trim()
                ))
                && s.to_lowercase().starts_with("superseded by [")
            {
                links.push(link);
            }
            (status, yaml(fm, "date"), links)
        }
        Format::Madr2 => (bullet("status"), bullet("date"), Vec::new()),
        Format::Nygard => {
            let date = body
                .lines()
                .find_map(|l| l.strip_prefix("Date: "))
                .map(|d| d.trim().to_owned());
            (nygard_status(body), date, Vec::new())
        }
    }
}

/// The links listed in the sections where the format keeps them.
fn section_links(format: Format, body: &str) -> Vec<Link> {
    let link_sections: &[&str] = match format {
        Format::Nygard => &["## Status"],
        Format::Madr => &["## More Information", "## Links"],
        Format::Madr2 => &["## Links", "## More Information"],
    };
    link_sections
        .iter()
        .filter_map(|heading| section(body, heading))
        .flat_map(|section| section.lines().filter_map(|l| parse_link(strip_bullet(l))))
        .collect()
}

impl Record {
    pub fn parse(name: &str, original: &str) -> Result<Self, Malformed> {
        let text = original.replace("\r\n", "\n");
        let (front, body) = split_front_matter(&text)?;
        let mut lines = body.lines();
        let title_line = lines
            .by_ref()
            .find(|l| l.starts_with("# "))
            .ok_or_else(|| Malformed("no title: the record has no `# ` heading".to_owned()))?;
        let heading = title_line[2..].trim();
        let bullets = madr2_bullets(body);
        // MADR 2 shares MADR's headings; its metadata bullets tell it apart.
        let format = if front.is_some() {
            Format::Madr
        } else if !bullets.is_empty() {
            Format::Madr2
        } else if body.contains("\n## Context and Problem Statement") {
            Format::Madr
        } else {
            Format::Nygard
        };
        let title = match format {
            Format::Nygard => strip_number(heading).to_owned(),
            _ => heading.to_owned(),
        };
        let (status, date, mut links) = status_and_date(format, front, body, &bullets);
        links.extend(section_links(format, body));
        let status = status.or_else(|| {
            links
                .iter()
                .find(|l| l.is_superseded_by())
                .map(|l| format!("{} {}", l.kind, l.label))
        });
        Ok(Record {
            name: name.to_owned(),
            number: leading_number(name),
            title,
            status,
            date,
            links,
            format,
            text,
        })
    }

    /// The status word alone, lowercase: `accepted`, `superseded`, ...
    pub fn status_word(&self) -> Option<String> {
        let status = self.status.as_ref()?;
        let word = status.split_whitespace().next()?.to_lowercase();
        Some(if word == "superceded" {
            "superseded".to_owned()
        } else {
            word
        })
    }

    /// `3. Title`, the label links use.
    pub fn label(&self) -> String {
        match self.number {
            Some(n) => format!("{n}. {}", self.title),
            None => self.title.clone(),
        }
    }
}

fn split_front_matter(text: &str) -> Result<(Option<&str>, &str), Malformed> {
    let Some(rest) = text.strip_prefix("---\n") else {
        return Ok((None, text));
    };
    match rest
        .find("\n---\n")
        .map(|i| (i, i + 5))
        .or_else(|| rest.strip_suffix("\n---").map(|r| (r.len(), rest.len())))
    {
        Some((end, body_start)) => Ok((Some(&rest[..end]), &rest[body_start..])),
        None => Err(Malformed(
            "the front matter opened with `---` is never closed".to_owned(),
        )),
    }
}

fn yaml(front: &str, key: &str) -> Option<String> {
    front.lines().find_map(|line| {
        let (k, v) = line.split_once(':')?;
        (k.trim() == key)
            .then(|| v.trim().trim_matches(['"', '\'']).to_owned())
            .filter(|v| !v.is_empty())
    })
}

/// `* Status: accepted` bullets between the title and the first section (MADR 2).
fn madr2_bullets(body: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for line in body.lines().skip_while(|l| !l.starts_with("# ")).skip(1) {
        if line.starts_with("## ") {
            break;
        }
        let item = strip_bullet(line);
        if item.len() != line.len()
            && let Some((k, v)) = item.split_once(':')
        {
            let key = k.trim().to_lowercase();
            if matches!(
                key.as_str(),
                "status" | "date" | "deciders" | "tags" | "technical story"
            ) {
                out.push((key, v.trim().to_owned()));
            }
        }
    }
    out
}

fn strip_bullet(line: &str) -> &str {
    let t = line.trim_start();
    t.strip_prefix("* ")
        .or_else(|| t.strip_prefix("- "))
        .unwrap_or(line)
}

fn strip_number(heading: &str) -> &str {
    let digits = heading.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && heading[digits..].starts_with(". ") {
        &heading[digits + 2..]
    } else {
        heading
    }
}

/// The lines of a `## Heading` section, up to the next `## ` heading.
fn section<'a>(body: &'a str, heading: &str) -> Option<&'a str> {
    let start = body.lines().position(|l| l.trim_end() == heading)?;
    let offset: usize = body.lines().take(start + 1).map(|l| l.len() + 1).sum();
    let rest = body.get(offset.min(body.len())..)?;
    let end = rest.find("\n## ").map_or(rest.len(), |i| i + 1);
    let end = if rest.starts_with("## ") { 0 } else { end };
    Some(&rest[..end])
}

fn nygard_status(body: &str) -> Option<String> {
    section(body, "## Status")?
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && parse_link(l).is_none())
        .map(str::to_owned)
}

/// `Verb [label](target)`, as adr-tools writes links.
pub fn parse_link(line: &str) -> Option<Link> {
    let line = line.trim();
    let open = line.find(" [")?;
    let kind = line[..open].trim();
    let rest = &line[open + 2..];
    let close = rest.find("](")?;
    let label = &rest[..close];
    let target = rest[close + 2..].strip_suffix(')')?;
    if kind.is_empty() || target.contains(' ') {
        return None;
    }
    Some(Link {
        kind: kind.to_owned(),
        label: label.to_owned(),
        target: target.to_owned(),
        target_number: (!target.contains('/'))
            .then(|| leading_number(target))
            .flatten(),
    })
}

// ----- edits -------------------------------------------------------------

/// Text with a record's line endings restored.
pub fn restore_line_endings(original: &str, edited: &str) -> String {
    if original.contains("\r\n") {
        edited.replace('\n', "\r\n")
    } else {
        edited.to_owned()
    }
}

/// Sets the status, keeping every other line.
pub fn set_status(record: &Record, status: &str) -> String {
    let text = &record.text;
    match record.format {
        Format::Madr => set_front_matter(text, "status", status),
        Format::Madr2 => {
            text.lines()
                .map(|l| {
                    let item = strip_bullet(l);
                    if item.len() != l.len() && item.to_lowercase().starts_with("status:") {
                        let marker = &l[..l.len() - item.len()];
                        format!("{marker}Status: {status}")
                    } else {
                        l.to_owned()
                    }
                })
                .collect::<Vec<_>>()
                .join("\n")
                + if text.ends_with('\n') { "\n" } else { "" }
        }
        Format::Nygard => replace_nygard_status(text, Some(status)),
    }
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

fn set_front_matter(text: &str, key: &str, value: &str) -> String {
    let Some(rest) = text.strip_prefix("---\n") else {
        return format!("---\n{key}: {value}\n---\n\n{text}");
    };
    let end = rest.find("\n---").map_or(rest.len(), |i| i + 1);
    let (front, after) = rest.split_at(end);
    let mut found = false;
    let mut lines: Vec<String> = front
        .lines()
        .map(|l| match l.split_once(':') {
            Some((k, _)) if k.trim() == key && !found => {
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
        Format::Madr2 => insert_in_section(&record.text, "## Links", &format!("* {line}\n"), true),
    }
}

/// Inserts `chunk` at the end of a section (before the next `## ` heading or
/// the hidden tradeoff block); creates the section if `create` and it is missing.
fn insert_in_section(text: &str, heading: &str, chunk: &str, create: bool) -> String {
    let block = text.find("<!-- tradeoff").unwrap_or(text.len());
    let heading_at = text
        .match_indices(heading)
        .find(|(i, _)| {
            (*i == 0 || text[..*i].ends_with('\n')) && text[i + heading.len()..].starts_with('\n')
        })
        .map(|(i, _)| i);
    match heading_at {
        Some(start) => {
            let after = start + heading.len();
            let next = text[after..]
                .find("\n## ")
                .map(|i| after + i + 1)
                .unwrap_or(block.max(after));
            let (head, tail) = text.split_at(next);
            if tail.is_empty() || tail.starts_with("<!--") {
                let trimmed = head.trim_end_matches('\n');
                let sep = if chunk.starts_with("* ")
                    && trimmed.ends_with(')')
                    && !trimmed.ends_with(heading)
                {
                    "\n"
                } else {
                    "\n\n"
                };
                format!(
                    "{trimmed}{sep}{}{}{tail}",
                    chunk.trim_end_matches('\n'),
                    if tail.is_empty() { "\n" } else { "\n\n" }
                )
            } else {
                let head_trim = head.trim_end_matches('\n');
                let list = chunk.starts_with("* ")
                    && head_trim
                        .lines()
                        .last()
                        .is_some_and(|l| l.starts_with("* "));
                let sep = if list { "\n" } else { "\n\n" };
                let chunk = chunk.trim_end_matches('\n');
                format!("{head_trim}{sep}{chunk}\n\n{tail}")
            }
        }
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

/// Marks a record superseded by `by` (label, file): the status becomes the
/// link in Nygard records, `superseded by ADR-NNNN` in MADR front matter.
pub fn mark_superseded(
    record: &Record,
    verb: &str,
    label: &str,
    target: &str,
    number: u32,
) -> String {
    match record.format {
        // As adr-tools: append the link to the Status section, then drop the
        // plain status line (whatever it says), collapsing the blank lines.
        Format::Nygard => replace_nygard_status(&add_link(record, verb, label, target), None),
        Format::Madr => {
            let status = set_front_matter(
                &record.text,
                "status",
                &format!("superseded by ADR-{number:04}"),
            );
            let edited = Record {
                text: status,
                ..record.clone()
            };
            add_link(&edited, verb, label, target)
        }
        Format::Madr2 => {
            let edited = Record {
                text: set_status(
                    record,
                    &format!("superseded by [ADR-{number:04}]({target})"),
                ),
                ..record.clone()
            };
            add_link(&edited, verb, label, target)
        }
    }
}

/// Rewrites links to `old` so they point at `new` with the new label.
pub fn retarget_links(text: &str, old: &str, new: &str, new_label: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        match parse_link(strip_bullet(line.trim_end_matches('\n'))) {
            Some(link) if link.target == old => {
                let end = if line.ends_with('\n') { "\n" } else { "" };
                let prefix = &line[..line.len() - line.trim_start().len()];
                let bullet = if strip_bullet(line.trim_start()).len() != line.trim_start().len() {
                    &line.trim_start()[..2]
                } else {
                    ""
                };
                out.push_str(&format!(
                    "{prefix}{bullet}{} [{new_label}]({new}){end}",
                    link.kind
                ));
            }
            _ => out.push_str(line),
        }
    }
    out
}

/// Sets the number in a Nygard H1 (`# 7. Title` → `# 12. Title`).
pub fn renumber_title(record: &Record, number: u32) -> String {
    if record.format != Format::Nygard {
        return record.text.clone();
    }
    let mut done = false;
    let mut out: Vec<String> = Vec::new();
    for line in record.text.lines() {
        if !done && line.starts_with("# ") {
            done = true;
            out.push(format!("# {number}. {}", strip_number(line[2..].trim())));
        } else {
            out.push(line.to_owned());
        }
    }
    let mut text = out.join("\n");
    if record.text.ends_with('\n') {
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    const NYGARD: &str = "# 2. Second Record\n\nDate: 1992-01-12\n\n## Status\n\nAccepted\n\n## Context\n\nThe issue.\n";

    #[test]
    fn parses_nygard_records() {
        let r = Record::parse("0002-second-record.md", NYGARD).unwrap();
        assert_eq!(
            (r.number, r.title.as_str(), r.format),
            (Some(2), "Second Record", Format::Nygard)
        );
        assert_eq!(r.status.as_deref(), Some("Accepted"));
        assert_eq!(r.date.as_deref(), Some("1992-01-12"));
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
        let parsed = Record::parse("0003-third-record.md", &twice).unwrap();
        assert_eq!(parsed.links.len(), 2);
        assert_eq!(parsed.links[0].target_number, Some(1));
        assert_eq!(parsed.status.as_deref(), Some("Accepted"));
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
            "Superceded by",
            "2. Second Record",
            "0002-second-record.md",
            2,
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
        assert_eq!(
            (r.format, r.title.as_str(), r.status.as_deref()),
            (Format::Madr, "Use X", Some("accepted"))
        );
        let text = mark_superseded(&r, "Superseded by", "5. Use Y", "0005-use-y.md", 5);
        assert!(
            text.starts_with("---\nstatus: superseded by ADR-0005\ndate: 2026-01-02\n---\n"),
            "{text}"
        );
        assert!(
            text.contains("## More Information\n\n* Superseded by [5. Use Y](0005-use-y.md)\n"),
            "{text}"
        );
        let r = Record::parse("0004-use-x.md", &text).unwrap();
        assert_eq!(r.links.len(), 1);
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
    fn parses_madr2_bullets_and_both_spellings() {
        let madr2 = "# Use Z\n\n* Status: superseded by [ADR-0009](0009-use-w.md)\n* Date: 2019-05-01\n\n## Context and Problem Statement\n";
        let r = Record::parse("0003-use-z.md", madr2).unwrap();
        assert_eq!(r.format, Format::Madr2);
        assert_eq!(r.status_word().as_deref(), Some("superseded"));
        let madr2 = "# Use Z\n\n* Status: accepted\n* Date: 2019-05-01\n\nTechnical Story: x\n\n## Context\n\n## Links\n\n* Supercedes [ADR-0001](0001-a.md)\n";
        let r = Record::parse("0003-use-z.md", madr2).unwrap();
        assert_eq!(
            (r.format, r.status.as_deref(), r.date.as_deref()),
            (Format::Madr2, Some("accepted"), Some("2019-05-01"))
        );
        assert!(r.links[0].is_supersedes());
        assert!(set_status(&r, "deprecated").contains("* Status: deprecated\n"));
    }

    #[test]
    fn malformed_records_are_refused() {
        assert!(Record::parse("0001-x.md", "no heading here\n").is_err());
        assert!(Record::parse("0001-x.md", "---\nstatus: accepted\n# T\n").is_err());
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
    fn retargets_links_and_renumbers_titles() {
        let text = "## Status\n\nAmends [7. A](0007-a.md)\n\n* Supersedes [7. A](0007-a.md)\n";
        let out = retarget_links(text, "0007-a.md", "0012-a.md", "12. A");
        assert_eq!(
            out,
            "## Status\n\nAmends [12. A](0012-a.md)\n\n* Supersedes [12. A](0012-a.md)\n"
        );
        let r = Record::parse("0007-a.md", "# 7. A\n\n## Status\n\nAccepted\n").unwrap();
        assert!(renumber_title(&r, 12).starts_with("# 12. A\n"));
    }
}
