//! Source files and positions.
//!
//! Every TOML file tradeoff reads (rule base, answers, scenarios) is kept in
//! memory as a [`SourceFile`], shared by `Arc`, so that a [`Span`] can point
//! back at the exact text long after parsing: validation errors show a caret
//! under it, and explanations cite `file:line:column` for a rule or an answer.

use serde::Serialize;
use std::borrow::Cow;
use std::fmt;
use std::io::Read;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

/// Text of a rule base: owned for files read at run time; for the
/// built-in rule base, borrowed from the binary where the snapshot can.
/// The fields it borrows spell the type out, `Cow<'static, str>` with
/// `#[serde(borrow)]`, the one spelling serde's derive borrows into; text in
/// an `Option` or a list is decoded owned.
pub type Text = Cow<'static, str>;

/// The largest input file read: an answers file, a policy, a template or a
/// rule file. Every one is read whole into memory, so without a bound a path
/// such as `/dev/zero` would read until memory runs out.
pub const MAX_INPUT_BYTES: u64 = 16 * 1024 * 1024;

/// Reads at most [`MAX_INPUT_BYTES`] of `reader`; past the limit, an error
/// of kind `FileTooLarge`.
pub fn read_bytes_capped(reader: impl Read) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader.take(MAX_INPUT_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(std::io::Error::new(
            std::io::ErrorKind::FileTooLarge,
            format!("larger than {} MiB", MAX_INPUT_BYTES / (1024 * 1024)),
        ));
    }
    Ok(bytes)
}

/// [`read_bytes_capped`] as UTF-8 text; not UTF-8, an error of kind
/// `InvalidData`.
pub fn read_text_capped(reader: impl Read) -> std::io::Result<String> {
    let bytes = read_bytes_capped(reader)?;
    String::from_utf8(bytes).map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
}

/// [`read_text_capped`] of the file at `path`.
pub fn read_capped(path: &std::path::Path) -> std::io::Result<String> {
    read_text_capped(std::fs::File::open(path)?)
}

/// The text of one input file and the name it is shown under.
#[derive(Debug)]
pub struct SourceFile {
    name: Arc<str>,
    /// Borrowed for the files compiled into the binary, owned for files read.
    text: Cow<'static, str>,
    /// Byte offset of each line's start, built on first use.
    line_starts: OnceLock<Vec<usize>>,
}

impl PartialEq for SourceFile {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name && self.text == other.text
    }
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Arc<Self> {
        Self::with_text(name.into(), Cow::Owned(text.into()))
    }

    /// A file compiled into the binary: its text is borrowed, not copied.
    pub fn from_static(name: impl Into<String>, text: &'static str) -> Arc<Self> {
        Self::with_text(name.into(), Cow::Borrowed(text))
    }

    fn with_text(name: String, text: Cow<'static, str>) -> Arc<Self> {
        Arc::new(Self {
            name: Arc::from(name),
            text,
            line_starts: OnceLock::new(),
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// Byte offset of each line's start, built once for the file: every
    /// position asked for afterwards is a binary search, so thousands of
    /// errors in a large file cost no more than one pass over it.
    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        })
    }

    /// 1-based line number of a byte offset (clamped to the text).
    fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        self.line_starts().partition_point(|&start| start <= offset)
    }

    /// 1-based line and column (in characters) of a byte offset. A byte
    /// order mark opening the file is not a column.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let line = self.line_of(offset);
        let mut line_start = self.line_starts()[line - 1];
        if line_start == 0 && self.text.starts_with(BOM) {
            line_start = offset.min(BOM.len_utf8());
        }
        let column = self.text[line_start..offset].chars().count() + 1;
        (line, column)
    }

    /// The whole lines a byte range touches: their 1-based first line
    /// number and their byte range. A diagnostic shows these lines only,
    /// rather than handing the whole file to the renderer each time.
    pub fn lines_around(&self, range: &Range<usize>) -> (usize, Range<usize>) {
        let starts = self.line_starts();
        let first = self.line_of(range.start);
        let last = self.line_of(range.end.max(range.start));
        let start = starts[first - 1];
        let end = starts.get(last).copied().unwrap_or(self.text.len());
        (first, start..end)
    }
}

/// The byte order mark some editors write at the start of a UTF-8 file.
const BOM: char = '\u{feff}';

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// A byte range in a source file.
#[derive(Clone)]
pub struct Span {
    pub file: Arc<SourceFile>,
    pub range: Range<usize>,
}

impl fmt::Debug for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}@{}..{}",
            self.file.name(),
            self.range.start,
            self.range.end
        )
    }
}

impl Span {
    pub fn new(file: &Arc<SourceFile>, range: Range<usize>) -> Self {
        Self {
            file: Arc::clone(file),
            range,
        }
    }

    pub fn location(&self) -> Location {
        self.location_of(self.range.start)
    }

    /// Where the span ends: the position just after its last character.
    pub fn end_location(&self) -> Location {
        self.location_of(self.range.end)
    }

    fn location_of(&self, offset: usize) -> Location {
        let (line, column) = self.file.line_col(offset);
        Location {
            file: Arc::clone(&self.file.name),
            line,
            column,
        }
    }

    /// The source text the span covers.
    pub fn text(&self) -> &str {
        self.file.text().get(self.range.clone()).unwrap_or("")
    }
}

/// A human-facing position, written `file:line:column` (in JSON too, as
/// compilers and editors expect).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// Shared with the source file: traces hold many locations.
    pub file: Arc<str>,
    pub line: usize,
    pub column: usize,
}

impl Serialize for Span {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.location())
    }
}

impl Serialize for Location {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reading_stops_past_the_size_limit() {
        let zeros = std::io::repeat(0);
        let err = super::read_text_capped(zeros).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::FileTooLarge);
        let ok = super::read_text_capped(&b"a = 1\n"[..]).unwrap();
        assert_eq!(ok, "a = 1\n");
        let bad = super::read_text_capped(&b"\xff"[..]).unwrap_err();
        assert_eq!(bad.kind(), std::io::ErrorKind::InvalidData);
    }

    #[test]
    fn a_byte_order_mark_is_not_a_column() {
        let file = SourceFile::new("a.toml", "\u{feff}a = 1\nb = 2");
        assert_eq!(file.line_col(3), (1, 1));
        assert_eq!(file.line_col(0), (1, 1));
        assert_eq!(file.line_col(7), (1, 5));
        assert_eq!(file.line_col(file.text().find('b').unwrap()), (2, 1));
    }

    #[test]
    fn lines_around_a_range_are_whole_lines() {
        let file = SourceFile::new("a.toml", "one\ntwo\nthree\nfour");
        assert_eq!(file.lines_around(&(5..6)), (2, 4..8));
        assert_eq!(file.lines_around(&(5..10)), (2, 4..14));
        assert_eq!(file.lines_around(&(15..19)), (4, 14..18));
        assert_eq!(file.lines_around(&(18..18)), (4, 14..18));
    }

    #[test]
    fn line_col_is_one_based_and_counts_characters() {
        let file = SourceFile::new("a.toml", "x = 1\ny = \"é\" z\n");
        assert_eq!(file.line_col(0), (1, 1));
        assert_eq!(file.line_col(6), (2, 1));
        // the `z` after a two-byte character is column 9, not 10
        let z = file.text().find('z').unwrap_or_default();
        assert_eq!(file.line_col(z), (2, 9));
    }

    #[test]
    fn offsets_past_the_end_or_inside_a_character_are_clamped() {
        let file = SourceFile::new("a.toml", "é");
        assert_eq!(file.line_col(1), (1, 1));
        assert_eq!(file.line_col(99), (1, 2));
    }

    #[test]
    fn span_location_and_text() {
        let file = SourceFile::new("r.toml", "a\nbc = 2\n");
        let span = Span::new(&file, 2..4);
        assert_eq!(span.location().to_string(), "r.toml:2:1");
        assert_eq!(span.end_location().to_string(), "r.toml:2:3");
        assert_eq!(span.text(), "bc");
    }
}
