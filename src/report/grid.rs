//! Drawing the ranking tables, and wrapping their cells.
//!
//! `decide` draws one small table per topic and must finish within a few
//! milliseconds. comfy-table, which drew them before, spent a quarter of a
//! whole run's instructions on sixteen tables: measuring, splitting and
//! re-padding every line with an allocation each. The table module settles
//! the widths itself (it knows which breaks read well: between factors,
//! then words, then after hyphens), so all that is left is to pad and frame,
//! which this does straight into the output. The frame is comfy-table's
//! `UTF8_FULL_CONDENSED` preset with rounded corners, and a unit test holds
//! the two drawings of the same cells equal.

use console::Style;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// How a column's cells sit in its width.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// One cell: its lines (split on `\n`) and how to style them.
#[derive(Debug)]
pub struct GridCell<'a> {
    pub text: &'a str,
    pub style: Option<&'a Style>,
}

impl<'a> GridCell<'a> {
    pub fn plain(text: &'a str) -> Self {
        Self { text, style: None }
    }
}

/// The display width of one line of text.
pub fn text_width(text: &str) -> usize {
    if text.is_ascii() {
        text.len()
    } else {
        text.width()
    }
}

/// The widest line of a cell.
fn cell_width(text: &str) -> usize {
    text.split('\n').map(text_width).max().unwrap_or(0)
}

/// Joins `pieces` with spaces into lines at most `width` columns wide,
/// breaking only between pieces where it can. A piece wider than a line is
/// broken between its words, a word wider than a line after its hyphens,
/// and what is still too wide where the line ends.
pub fn wrap<S: AsRef<str>>(pieces: &[S], width: usize) -> String {
    let mut text = String::new();
    let mut line = 0;
    for piece in pieces {
        place(&mut text, &mut line, piece.as_ref(), width.max(1));
    }
    text
}

/// Puts one piece after the `line` columns already on the last line.
fn place(text: &mut String, line: &mut usize, piece: &str, width: usize) {
    let piece_width = text_width(piece);
    if *line > 0 && *line + 1 + piece_width <= width {
        text.push(' ');
        text.push_str(piece);
        *line += 1 + piece_width;
        return;
    }
    if piece_width <= width {
        if *line > 0 {
            text.push('\n');
        }
        text.push_str(piece);
        *line = piece_width;
        return;
    }
    if piece.contains(' ') {
        for word in piece.split(' ') {
            place(text, line, word, width);
        }
        return;
    }
    // A word wider than a line: break it after its hyphens (rule ids are
    // kebab-case), and a part still too wide where the line ends.
    if *line > 0 {
        text.push('\n');
        *line = 0;
    }
    for part in piece.split_inclusive('-') {
        let part_width = text_width(part);
        if *line > 0 && *line + part_width > width {
            text.push('\n');
            *line = 0;
        }
        for ch in part.chars() {
            let char_width = ch.width().unwrap_or(0);
            if *line + char_width > width && *line > 0 {
                text.push('\n');
                *line = 0;
            }
            text.push(ch);
            *line += char_width;
        }
    }
}

/// Draws `header` and `rows` (each as wide as `aligns`) into `out`, every
/// column as wide as its widest line, each line followed by `\n`.
pub fn draw(out: &mut String, header: &[&str], rows: &[Vec<GridCell<'_>>], aligns: &[Align]) {
    let mut widths: Vec<usize> = header.iter().map(|h| cell_width(h)).collect();
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell_width(cell.text));
        }
    }

    rule(out, &widths, ['╭', '─', '┬', '╮']);
    let header: Vec<GridCell<'_>> = header.iter().map(|h| GridCell::plain(h)).collect();
    let left = vec![Align::Left; widths.len()];
    line_group(out, &header, &widths, &left);
    rule(out, &widths, ['╞', '═', '╪', '╡']);
    for row in rows {
        line_group(out, row, &widths, aligns);
    }
    rule(out, &widths, ['╰', '─', '┴', '╯']);
    // The last line carries no newline, as comfy-table's did.
    out.pop();
}

/// Appends `n` spaces.
fn pad(out: &mut String, n: usize) {
    const SPACES: &str = "                                                                ";
    let mut left = n;
    while left > 0 {
        let now = left.min(SPACES.len());
        out.push_str(&SPACES[..now]);
        left -= now;
    }
}

/// A horizontal rule: left corner, fill, column joint, right corner.
fn rule(out: &mut String, widths: &[usize], [left, fill, joint, right]: [char; 4]) {
    out.push(left);
    for (i, width) in widths.iter().enumerate() {
        if i > 0 {
            out.push(joint);
        }
        out.extend(std::iter::repeat_n(fill, width + 2));
    }
    out.push(right);
    out.push('\n');
}

/// The lines of one row: as many as its tallest cell.
fn line_group(out: &mut String, row: &[GridCell<'_>], widths: &[usize], aligns: &[Align]) {
    let height = row
        .iter()
        .map(|cell| cell.text.split('\n').count())
        .max()
        .unwrap_or(1);
    let mut lines: Vec<std::str::Split<'_, char>> =
        row.iter().map(|cell| cell.text.split('\n')).collect();
    for _ in 0..height {
        out.push('│');
        for (i, ((cell, parts), (&width, &align))) in row
            .iter()
            .zip(lines.iter_mut())
            .zip(widths.iter().zip(aligns))
            .enumerate()
        {
            if i > 0 {
                out.push('┆');
            }
            let text = parts.next().unwrap_or("");
            let gap = width - text_width(text);
            let (before, after) = match align {
                Align::Left => (1, gap + 1),
                Align::Right => (gap + 1, 1),
            };
            pad(out, before);
            match cell.style {
                Some(style) if !text.is_empty() => {
                    use std::fmt::Write as _;
                    let _ = write!(out, "{}", style.apply_to(text));
                }
                _ => out.push_str(text),
            }
            pad(out, after);
        }
        out.push_str("│\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use comfy_table::presets::UTF8_FULL_CONDENSED;
    use comfy_table::{Cell, CellAlignment, ContentArrangement, Table};

    /// comfy-table's drawing of the same cells, for comparison.
    fn comfy(header: &[&str], rows: &[Vec<&str>], aligns: &[Align]) -> String {
        let mut table = Table::new();
        table
            .load_style(UTF8_FULL_CONDENSED.with_rounded_corners())
            .set_content_arrangement(ContentArrangement::Disabled)
            .force_no_tty()
            .set_header(header.to_vec());
        for row in rows {
            table.add_row(row.iter().zip(aligns).map(|(text, align)| {
                Cell::new(text).set_alignment(match align {
                    Align::Left => CellAlignment::Left,
                    Align::Right => CellAlignment::Right,
                })
            }));
        }
        table.to_string()
    }

    fn ours(header: &[&str], rows: &[Vec<&str>], aligns: &[Align]) -> String {
        let rows: Vec<Vec<GridCell<'_>>> = rows
            .iter()
            .map(|row| row.iter().map(|t| GridCell::plain(t)).collect())
            .collect();
        let mut out = String::new();
        draw(&mut out, header, &rows, aligns);
        out
    }

    #[test]
    fn draws_what_comfy_table_draws() {
        let aligns = [Align::Right, Align::Left, Align::Right, Align::Left];
        let header = ["#", "Option", "Score", "Main factors"];
        let cases: Vec<Vec<Vec<&str>>> = vec![
            vec![],
            vec![vec!["1", "Monolith", "+2", "+2 start-with-a-monolith"]],
            vec![
                vec![
                    "1",
                    "Microservices",
                    "+8",
                    "+3 independent-team-deploys,\n+2 release-contention, … 1 more",
                ],
                vec!["2", "Serverless functions", "0", ""],
                vec!["–", "Événements", "out", "ruled out by a, b"],
                vec!["10", "Wide 漢字 name", "-12", "x\ny\nz"],
            ],
        ];
        for rows in &cases {
            assert_eq!(
                ours(&header, rows, &aligns),
                comfy(&header, rows, &aligns),
                "{rows:?}"
            );
        }
    }

    #[test]
    fn wraps_between_pieces_then_words_then_characters() {
        let factors = [
            "+3 independent-deploys,",
            "+2 release-contention,",
            "… 1 more",
        ];
        assert_eq!(
            wrap(&factors, 50),
            "+3 independent-deploys, +2 release-contention,\n… 1 more"
        );
        assert_eq!(
            wrap(&factors, 23),
            "+3 independent-deploys,\n+2 release-contention,\n… 1 more"
        );
        assert_eq!(
            wrap(&["ruled out by a-rule, b-rule"], 16),
            "ruled out by\na-rule, b-rule"
        );
        assert_eq!(wrap(&["abcdefgh"], 3), "abc\ndef\ngh");
        assert_eq!(
            wrap(&["+3", "flexible-schema-fits-documents,"], 16),
            "+3\nflexible-schema-\nfits-documents,"
        );
        assert_eq!(wrap(&["ab-cdefgh-i"], 4), "ab-\ncdef\ngh-i");
        assert_eq!(wrap(&["ab", "漢字漢字"], 4), "ab\n漢字\n漢字");
        assert_eq!(wrap::<&str>(&[], 10), "");
    }

    #[test]
    fn wrapping_keeps_every_character_and_the_width() {
        let pieces = [
            "+3 independent-team-deploys-favour-services,",
            "-2 x,",
            "ruled out by search-engine-is-not-a-system-of-record,",
            "… 4 more",
        ];
        let joined = pieces.join(" ");
        for width in 1..70 {
            let text = wrap(&pieces, width);
            for line in text.split('\n') {
                assert!(text_width(line) <= width, "{width}: {line:?}");
            }
            let flat: String = text.chars().filter(|c| !c.is_whitespace()).collect();
            let want: String = joined.chars().filter(|c| !c.is_whitespace()).collect();
            assert_eq!(flat, want, "{width}");
        }
    }

    #[test]
    fn styles_only_the_text_of_a_styled_cell() {
        let green = Style::new().green().force_styling(true);
        let rows = vec![vec![
            GridCell::plain("1"),
            GridCell {
                text: "Monolith",
                style: Some(&green),
            },
        ]];
        let mut out = String::new();
        draw(
            &mut out,
            &["#", "Option"],
            &rows,
            &[Align::Right, Align::Left],
        );
        assert!(out.contains("│ 1 ┆ \u{1b}[32mMonolith\u{1b}[0m │"), "{out}");
    }
}
