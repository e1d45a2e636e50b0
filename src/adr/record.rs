//! Reading decision records as text.
//!
//! Three layouts are read: Nygard (as adr-tools writes it: `# N. Title`,
//! `Date:`, a `## Status` section whose link lines point at siblings), MADR
//! 3/4 (YAML front matter with `status` and `date`, a numberless H1, links
//! under `## More Information`), and MADR 2 as log4brains keeps it (`*
//! Status:` / `- Date:` bullets after the H1, links under `## Links`).
//! Front matter over a Nygard body (a team that added `status` and `date`
//! keys to adr-tools' records) is read as Nygard with front matter: the
//! title without its number, the status and date from either place. Both
//! spellings of "supersede" are understood everywhere. A record that cannot
//! be parsed is refused rather than guessed at; [`super::edit`] changes
//! only the lines an edit must.

use super::{is_dated, leading_number};

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Nygard,
    Madr,
    /// MADR 2 (and log4brains): metadata as bullets after the title.
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
    /// The number of the sibling record it names, if it names one.
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

    /// The file name of the sibling record the link names: `0003-x.md`
    /// for `0003-x.md`, `./0003-x.md` or `0003-x.md#context`; `None` for a
    /// link into another directory or to a web page.
    pub fn sibling(&self) -> Option<&str> {
        sibling_name(&self.target)
    }
}

/// The sibling file a link target names, if it names one in the same directory.
pub fn sibling_name(target: &str) -> Option<&str> {
    let target = target.split(['#', '?']).next().unwrap_or(target);
    let target = target.strip_prefix("./").unwrap_or(target);
    (!target.is_empty() && !target.contains('/') && !target.contains(':')).then_some(target)
}

#[derive(Clone, Debug, serde::Serialize)]
pub struct Record {
    pub name: String,
    /// The number in the file name; `None` for a log4brains name
    /// (`YYYYMMDD-slug.md`), whose whole stem is its id.
    pub number: Option<u32>,
    pub title: String,
    /// The number the title starts with (`# 7. Title`), if it has one.
    pub heading_number: Option<u32>,
    pub status: Option<String>,
    pub date: Option<String>,
    pub links: Vec<Link>,
    pub format: Format,
    /// The record starts with YAML front matter.
    pub front_matter: bool,
    #[serde(skip)]
    pub text: String,
}

/// Why a record cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed(pub String);

/// What the front matter, the bullets and the body say, before they are
/// weighed against each other.
struct Parts<'a> {
    front: Option<&'a str>,
    body: &'a str,
    bullets: Vec<(String, String)>,
    outline: Outline<'a>,
}

/// What one pass over a record's lines finds: its title, its `## `
/// sections and its first `Date:` line. Records can be long (a data block,
/// long tables), and a repository holds a thousand of them: every other
/// question is answered from here rather than by another scan.
#[derive(Default)]
struct Outline<'a> {
    title: Option<&'a str>,
    /// Each `## ` heading (trailing comment and spaces removed), where its
    /// section's text starts, and where it ends.
    sections: Vec<(&'a str, usize, usize)>,
    date: Option<&'a str>,
}

impl<'a> Outline<'a> {
    fn of(body: &'a str) -> Self {
        let mut outline = Outline::default();
        let mut at = 0;
        for line in body.split_inclusive('\n') {
            let start = at;
            at += line.len();
            let line = line.trim_end_matches('\n');
            if line.starts_with("<!-- tradeoff") {
                break;
            }
            if outline.title.is_none() && line.starts_with("# ") {
                outline.title = Some(line);
            } else if line.starts_with("## ") {
                if let Some(last) = outline.sections.last_mut() {
                    last.2 = start;
                }
                outline
                    .sections
                    .push((strip_comment(line).trim_end(), at, body.len()));
            } else if outline.date.is_none()
                && let Some(date) = line.strip_prefix("Date: ")
            {
                outline.date = Some(date.trim());
            }
        }
        outline
    }

    fn section(&self, body: &'a str, heading: &str) -> Option<&'a str> {
        self.sections
            .iter()
            .find(|(h, _, _)| *h == heading)
            .and_then(|&(_, start, end)| body.get(start.min(end)..end))
    }
}

impl Record {
    pub fn parse(name: &str, original: &str) -> Result<Self, Malformed> {
        let text = if original.contains('\r') {
            original.replace("\r\n", "\n")
        } else {
            original.to_owned()
        };
        let (front, body) = split_front_matter(&text)?;
        let outline = Outline::of(body);
        let derived;
        let title_line = match outline.title {
            Some(line) => line,
            // log4brains titles a record without a heading from its name.
            None if is_dated(name) => {
                derived = format!("# {}", title_from_name(name));
                &derived
            }
            None => {
                return Err(Malformed(
                    "no title: the record has no `# ` heading".to_owned(),
                ));
            }
        };
        let (heading_number, title) = split_number(title_line[2..].trim());
        let parts = Parts {
            front,
            body,
            bullets: madr2_bullets(body),
            outline,
        };
        let format = parts.format();
        let mut links = parts.status_links();
        links.extend(parts.section_links(format));
        let status = parts.status(format).or_else(|| {
            links
                .iter()
                .find(|l| l.is_superseded_by())
                .map(|l| format!("{} {}", l.kind, l.label))
        });
        Ok(Record {
            name: name.to_owned(),
            number: if is_dated(name) {
                None
            } else {
                leading_number(name)
            },
            title: title.to_owned(),
            heading_number,
            status,
            date: parts.date(),
            links,
            format,
            front_matter: front.is_some(),
            text,
        })
    }

    /// The status word alone, lowercase: `accepted`, `superseded`, ...
    pub fn status_word(&self) -> Option<String> {
        let status = self.status.as_ref()?;
        let word = status
            .split(|c: char| c.is_whitespace() || c == ',' || c == '.')
            .next()?
            .to_lowercase();
        Some(if word == "superceded" {
            "superseded".to_owned()
        } else {
            word
        })
    }

    /// Whether the decision still stands: not superseded, rejected or deprecated.
    pub fn is_live(&self) -> bool {
        !matches!(
            self.status_word().as_deref(),
            Some("superseded" | "rejected" | "deprecated")
        )
    }

    /// `3. Title`, the label links use; a log4brains record is labelled by
    /// its id, the file name without `.md`, as log4brains labels links.
    pub fn label(&self) -> String {
        match self.number {
            Some(n) => format!("{n}. {}", self.title),
            None if is_dated(&self.name) => self.name.trim_end_matches(".md").to_owned(),
            None => self.title.clone(),
        }
    }
}

impl Parts<'_> {
    /// MADR 2 shares MADR's headings; its metadata bullets tell it apart. Front
    /// matter over a body with a `## Status` section is a Nygard record.
    fn format(&self) -> Format {
        let nygard_status = self.outline.section(self.body, "## Status").is_some();
        match self.front {
            Some(_) if nygard_status => Format::Nygard,
            Some(_) => Format::Madr,
            None if !self.bullets.is_empty() => Format::Madr2,
            None if self
                .outline
                .section(self.body, "## Context and Problem Statement")
                .is_some() =>
            {
                Format::Madr
            }
            None => Format::Nygard,
        }
    }

    fn bullet(&self, key: &str) -> Option<String> {
        self.bullets
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    }

    /// The front matter's status, else the bullet's, else the Status section's.
    fn status(&self, format: Format) -> Option<String> {
        self.front
            .and_then(|fm| yaml(fm, "status"))
            .or_else(|| self.bullet("status"))
            .or_else(|| match format {
                Format::Nygard => self
                    .outline
                    .section(self.body, "## Status")
                    .and_then(nygard_status),
                _ => None,
            })
    }

    /// The front matter's date, else the bullet's, else the body's `Date:` line.
    fn date(&self) -> Option<String> {
        self.front
            .and_then(|fm| yaml(fm, "date"))
            .or_else(|| self.bullet("date"))
            .or_else(|| self.outline.date.map(str::to_owned))
            .filter(|d| !d.is_empty())
    }

    /// The link a status holds: `superseded by [ADR-0005](0005-x.md)`, in
    /// front matter (MADR 3) or a bullet (MADR 2, log4brains).
    fn status_links(&self) -> Vec<Link> {
        let status = self
            .front
            .and_then(|fm| yaml(fm, "status"))
            .or_else(|| self.bullet("status"));
        let Some(status) = status else {
            return Vec::new();
        };
        let lower = status.to_lowercase();
        let Some(rest) = ["superseded by ", "superceded by "]
            .iter()
            .find_map(|p| lower.starts_with(p).then(|| &status[p.len()..]))
        else {
            return Vec::new();
        };
        parse_link(&format!("Superseded by {}", rest.trim()))
            .into_iter()
            .collect()
    }
}

impl Parts<'_> {
    /// The links listed in the sections where the format keeps them.
    fn section_links(&self, format: Format) -> Vec<Link> {
        let link_sections: &[&str] = match format {
            Format::Nygard => &["## Status"],
            Format::Madr => &["## More Information", "## Links"],
            Format::Madr2 => &["## Links", "## More Information"],
        };
        link_sections
            .iter()
            .filter_map(|heading| self.outline.section(self.body, heading))
            .flat_map(|section| section.lines().filter_map(|l| parse_link(strip_bullet(l))))
            .collect()
    }
}

/// `20201028-adr-without-title.md` → "Adr without title", as log4brains
/// titles a record that has no heading.
fn title_from_name(name: &str) -> String {
    let slug = name.trim_end_matches(".md");
    let slug = slug.split_once('-').map_or(slug, |(_, rest)| rest);
    let words = slug.replace('-', " ");
    let mut chars = words.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The front matter (without its `---` lines) and the body after it.
pub fn split_front_matter(text: &str) -> Result<(Option<&str>, &str), Malformed> {
    let Some(rest) = text.strip_prefix("---\n") else {
        return Ok((None, text));
    };
    if let Some(body) = rest.strip_prefix("---\n") {
        return Ok((Some(""), body));
    }
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

/// A top-level `key: value` of simple YAML front matter, unquoted.
pub fn yaml(front: &str, key: &str) -> Option<String> {
    front.lines().find_map(|line| {
        let (k, v) = line.split_once(':')?;
        (k.trim_end() == key)
            .then(|| v.trim().trim_matches(['"', '\'']).to_owned())
            .filter(|v| !v.is_empty())
    })
}

/// `* Status: accepted` bullets between the title and the first section (MADR 2).
fn madr2_bullets(body: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let titled = body
        .lines()
        .take_while(|l| !l.starts_with("## "))
        .any(|l| l.starts_with("# "));
    let lines = body
        .lines()
        .skip_while(|l| titled && !l.starts_with("# "))
        .skip(usize::from(titled));
    for line in lines {
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
                out.push((key, strip_comment(v).trim().to_owned()));
            }
        }
    }
    out
}

/// Text before an HTML comment (`accepted <!-- optional -->` → `accepted `).
fn strip_comment(text: &str) -> &str {
    text.find("<!--").map_or(text, |i| &text[..i])
}

pub fn strip_bullet(line: &str) -> &str {
    let t = line.trim_start();
    t.strip_prefix("* ")
        .or_else(|| t.strip_prefix("- "))
        .unwrap_or(line)
}

/// `7. Title` → (Some(7), "Title"); a title without a number is kept whole.
pub fn split_number(heading: &str) -> (Option<u32>, &str) {
    let digits = heading.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && heading[digits..].starts_with(". ") {
        (
            heading[..digits].parse().ok(),
            heading[digits + 2..].trim_start(),
        )
    } else {
        (None, heading)
    }
}

/// The first plain (non-link) line of a Status section.
fn nygard_status(section: &str) -> Option<String> {
    section
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
        target_number: sibling_name(target)
            .filter(|n| !is_dated(n))
            .and_then(leading_number),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    pub const NYGARD: &str = "# 2. Second Record\n\nDate: 1992-01-12\n\n## Status\n\nAccepted\n\n## Context\n\nThe issue.\n";

    #[test]
    fn parses_nygard_records() {
        let r = Record::parse("0002-second-record.md", NYGARD).unwrap();
        assert_eq!(
            (r.number, r.title.as_str(), r.format),
            (Some(2), "Second Record", Format::Nygard)
        );
        assert_eq!(r.heading_number, Some(2));
        assert_eq!(r.status.as_deref(), Some("Accepted"));
        assert_eq!(r.date.as_deref(), Some("1992-01-12"));
    }

    #[test]
    fn front_matter_over_a_nygard_body_reads_as_nygard() {
        let text = "---\nstatus: accepted\n---\n\n# 37. Use X\n\nDate: 2020-02-03\n\n## Status\n\nAccepted\n\nAmends [36. W](0036-w.md)\n\n## Context\n";
        let r = Record::parse("0037-use-x.md", text).unwrap();
        assert_eq!(
            (r.title.as_str(), r.heading_number, r.format, r.front_matter),
            ("Use X", Some(37), Format::Nygard, true)
        );
        assert_eq!(r.date.as_deref(), Some("2020-02-03"));
        assert_eq!(r.label(), "37. Use X");
        assert_eq!(r.links.len(), 1);
    }

    #[test]
    fn a_log4brains_record_without_a_heading_is_titled_from_its_name() {
        let r = Record::parse("20201028-adr-without-title.md", "- Status: accepted\n").unwrap();
        assert_eq!(r.title, "Adr without title");
        assert_eq!(
            (r.format, r.status.as_deref()),
            (Format::Madr2, Some("accepted"))
        );
    }

    #[test]
    fn malformed_records_are_refused() {
        assert!(Record::parse("0001-x.md", "no heading here\n").is_err());
        assert!(Record::parse("0001-x.md", "---\nstatus: accepted\n# T\n").is_err());
    }

    #[test]
    fn parses_madr2_bullets_and_both_spellings() {
        let madr2 = "# Use Z\n\n* Status: superseded by [ADR-0009](0009-use-w.md)\n* Date: 2019-05-01\n\n## Context and Problem Statement\n";
        let r = Record::parse("0003-use-z.md", madr2).unwrap();
        assert_eq!(r.format, Format::Madr2);
        assert_eq!(r.status_word().as_deref(), Some("superseded"));
        assert!(r.links[0].is_superseded_by());
        assert_eq!(r.links[0].target_number, Some(9));
        let madr2 = "# Use Z\n\n* Status: accepted\n* Date: 2019-05-01\n\nTechnical Story: x\n\n## Context\n\n## Links\n\n* Supercedes [ADR-0001](0001-a.md)\n";
        let r = Record::parse("0003-use-z.md", madr2).unwrap();
        assert_eq!(
            (r.format, r.status.as_deref(), r.date.as_deref()),
            (Format::Madr2, Some("accepted"), Some("2019-05-01"))
        );
        assert!(r.links[0].is_supersedes());
    }

    #[test]
    fn madr_2_superseded_status_names_its_successor() {
        let text = "# B\n\n* Status: superseded by [0002-c](0002-c.md)\n\n## Context and Problem Statement\n";
        let r = Record::parse("0001-b.md", text).unwrap();
        assert_eq!(r.links.len(), 1);
        assert_eq!(r.links[0].sibling(), Some("0002-c.md"));
    }

    #[test]
    fn log4brains_records_are_labelled_by_their_id() {
        let text = "# Use Lunr\n\n- Status: accepted <!-- optional -->\n- Date: 2020-11-03\n\n## Context and Problem Statement\n";
        let r = Record::parse("20201103-use-lunr.md", text).unwrap();
        assert_eq!((r.number, r.format), (None, Format::Madr2));
        assert_eq!(r.status.as_deref(), Some("accepted"));
        assert_eq!(r.label(), "20201103-use-lunr");
    }

    #[test]
    fn links_name_siblings_however_written() {
        let l = parse_link("Amends [1. A](./0001-a.md#context)").unwrap();
        assert_eq!((l.sibling(), l.target_number), (Some("0001-a.md"), Some(1)));
        let l = parse_link("Amends [1. A](https://x.org/0001-a.md)").unwrap();
        assert_eq!((l.sibling(), l.target_number), (None, None));
    }
}
