//! Every Markdown link in a record's text, wherever it is.
//!
//! adr-tools keeps links in the Status section and MADR under More
//! Information, but people link records from anywhere in the text: "see
//! [the caching decision](./0004-cache.md)", a full URL to the file in the
//! repository, a reference definition at the bottom. `adr check` looks at
//! all of them, and `adr renumber` rewrites all of them. Links in code
//! (fenced blocks, inline code spans) and in HTML comments are examples, not
//! links, and are skipped; so are images.

use std::ops::Range;

/// One link in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MdLink {
    pub label: String,
    /// The target as written, without `<...>` or a title.
    pub target: String,
    /// 1-based line.
    pub line: usize,
    /// Where the label is in the text (empty for a reference definition's).
    pub label_range: Range<usize>,
    /// Where the target is in the text.
    pub target_range: Range<usize>,
}

/// The links of `text`, in order.
pub fn scan(text: &str) -> Vec<MdLink> {
    let mut out = Vec::new();
    let mut fence: Option<&str> = None;
    let mut in_comment = false;
    let mut offset = 0;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        let start = offset;
        offset += line.len();
        let trimmed = line.trim_start();
        if let Some(marker) = fence {
            if trimmed.starts_with(marker) {
                fence = None;
            }
            continue;
        }
        if !in_comment && (trimmed.starts_with("```") || trimmed.starts_with("~~~")) {
            fence = Some(&trimmed[..3]);
            continue;
        }
        // Most lines hold no link and open no comment: skip them cheaply.
        if !in_comment && !line.contains('[') && !line.contains("<!--") {
            continue;
        }
        let spans = visible_spans(line, &mut in_comment);
        if let Some(def) = reference_definition(line) {
            out.push(MdLink {
                line: index + 1,
                label: def.0,
                target: line[def.1.clone()].to_owned(),
                label_range: start..start,
                target_range: start + def.1.start..start + def.1.end,
            });
            continue;
        }
        for span in spans {
            inline_links(line, span, start, index + 1, &mut out);
        }
    }
    out
}

/// The parts of a line outside HTML comments and code spans, updating
/// whether a comment is still open at the end of it.
fn visible_spans(line: &str, in_comment: &mut bool) -> Vec<Range<usize>> {
    let mut spans = Vec::new();
    let mut at = 0;
    while at < line.len() {
        if *in_comment {
            match line[at..].find("-->") {
                Some(end) => {
                    at += end + 3;
                    *in_comment = false;
                }
                None => return spans,
            }
            continue;
        }
        let comment = line[at..].find("<!--").map(|i| at + i);
        let code = line[at..].find('`').map(|i| at + i);
        match (comment, code) {
            (Some(c), k) if k.is_none_or(|k| c < k) => {
                spans.push(at..c);
                at = c + 4;
                *in_comment = true;
            }
            (_, Some(k)) => {
                spans.push(at..k);
                let ticks = line[k..].chars().take_while(|&c| c == '`').count();
                let fence = "`".repeat(ticks);
                at = line[k + ticks..]
                    .find(&fence)
                    .map_or(line.len(), |end| k + ticks + end + ticks);
            }
            _ => {
                spans.push(at..line.len());
                at = line.len();
            }
        }
    }
    spans
}

/// `[label]: target` at the start of a line: the label and the target's range.
fn reference_definition(line: &str) -> Option<(String, Range<usize>)> {
    let indent = line.len() - line.trim_start().len();
    if indent > 3 || !line[indent..].starts_with('[') {
        return None;
    }
    let close = line[indent..].find("]:")? + indent;
    let label = line[indent + 1..close].to_owned();
    let after = close + 2;
    let rest = &line[after..];
    let lead = rest.len() - rest.trim_start().len();
    let target_start = after + lead;
    let target_len = line[target_start..]
        .find(char::is_whitespace)
        .unwrap_or(line.len() - target_start);
    let (target_start, target_len) = unwrap_angle(line, target_start, target_len);
    (target_len > 0).then_some((label, target_start..target_start + target_len))
}

/// `<target>` → target.
fn unwrap_angle(line: &str, start: usize, len: usize) -> (usize, usize) {
    let t = &line[start..start + len];
    if t.len() >= 2 && t.starts_with('<') && t.ends_with('>') {
        (start + 1, len - 2)
    } else {
        (start, len)
    }
}

/// `[label](target "title")` links in `line[span]`.
fn inline_links(line: &str, span: Range<usize>, base: usize, number: usize, out: &mut Vec<MdLink>) {
    let mut at = span.start;
    while let Some(open) = line[at..span.end].find('[').map(|i| at + i) {
        at = open + 1;
        let Some(close) = matching_bracket(&line[..span.end], open) else {
            continue;
        };
        if !line[close + 1..span.end].starts_with('(') || line[..open].ends_with('!') {
            continue;
        }
        let target_start = close + 2;
        let Some(end) = line[target_start..span.end]
            .find(')')
            .map(|i| target_start + i)
        else {
            continue;
        };
        let inner = &line[target_start..end];
        let len = if inner.starts_with('<') {
            inner.find('>').map_or(inner.len(), |i| i + 1)
        } else {
            inner.find(char::is_whitespace).unwrap_or(inner.len())
        };
        let (t_start, t_len) = unwrap_angle(line, target_start, len);
        if t_len > 0 {
            out.push(MdLink {
                label: line[open + 1..close].to_owned(),
                target: line[t_start..t_start + t_len].to_owned(),
                line: number,
                label_range: base + open + 1..base + close,
                target_range: base + t_start..base + t_start + t_len,
            });
        }
        at = end + 1;
    }
}

/// The `]` that closes the `[` at `open`, allowing nested brackets.
fn matching_bracket(text: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in text[open..].char_indices() {
        match c {
            '[' => depth += 1,
            ']' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(open + i);
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_links_anywhere_but_in_code_and_comments() {
        let text = "# T\n\nSee [the cache](./0004-cache.md) and [web](https://x.org/a \"t\").\n\
                    `[not](0001-a.md)` <!-- [nor](0002-b.md) -->\n```\n[no](0003-c.md)\n```\n\
                    ![image](pic.png)\n[ref]: <0005-e.md>\n* Amends [[1] A](0006-f.md)\n";
        let links = scan(text);
        let targets: Vec<&str> = links.iter().map(|l| l.target.as_str()).collect();
        assert_eq!(
            targets,
            [
                "./0004-cache.md",
                "https://x.org/a",
                "0005-e.md",
                "0006-f.md"
            ]
        );
        assert_eq!(links[0].line, 3);
        assert_eq!(&text[links[0].target_range.clone()], "./0004-cache.md");
        assert_eq!(&text[links[3].label_range.clone()], "[1] A");
    }

    #[test]
    fn comments_spanning_lines_hide_their_links() {
        let text = "<!-- example:\n- Refined by [xxx](yyyymmdd-xxx.md)\n-->\n[a](0001-a.md)\n";
        let targets: Vec<String> = scan(text).into_iter().map(|l| l.target).collect();
        assert_eq!(targets, ["0001-a.md"]);
    }
}
