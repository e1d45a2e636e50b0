//! Diagnostics: what went wrong in an input file, where, and how to fix it.
//!
//! Loading and validation never stop at the first problem: they collect
//! [`Diagnostic`]s and fail once with a [`DataError`] holding all of them.
//! Each diagnostic names the file, line and column, shows the line with a
//! caret under the offending text, and carries "help" lines (the fix, or a
//! "did you mean"). Rendering uses annotate-snippets, the renderer rustc uses,
//! so the output looks like the compiler errors engineers already read.
//!
//! Message style (after cedar and just): lowercase, user input in backticks,
//! no trailing period.

use crate::source::{Location, Span};
use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiagnosticLevel {
    Error,
    Warning,
}

/// One problem found in an input.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    pub severity: DiagnosticLevel,
    /// A stable kebab-case name for the kind of problem (`never-fires`),
    /// shown as `warning[never-fires]` and usable to allow it.
    pub code: Option<&'static str>,
    pub message: String,
    /// Where the problem is, with a short label under the caret.
    pub span: Option<(Span, String)>,
    /// A file-level position when there is no span to underline
    /// (a missing answer is "in" the file but at no particular text).
    pub file: Option<String>,
    pub help: Vec<String>,
    pub notes: Vec<String>,
    /// The replacement a "did you mean" proposes, for editors to apply.
    pub suggestion: Option<String>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Self::new(DiagnosticLevel::Error, message)
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Self::new(DiagnosticLevel::Warning, message)
    }

    fn new(severity: DiagnosticLevel, message: impl Into<String>) -> Self {
        Self {
            severity,
            code: None,
            message: message.into(),
            span: None,
            file: None,
            help: Vec::new(),
            notes: Vec::new(),
            suggestion: None,
        }
    }

    /// Names the kind of problem with a stable kebab-case code.
    pub fn code(mut self, code: &'static str) -> Self {
        self.code = Some(code);
        self
    }

    /// Points the diagnostic at a span, with a label under the caret.
    pub fn at(mut self, span: &Span, label: impl Into<String>) -> Self {
        self.span = Some((span.clone(), label.into()));
        self
    }

    /// Names the file when no span fits.
    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help.push(help.into());
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// Adds "did you mean" when a close candidate exists.
    pub fn suggest<'a>(self, wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Self {
        match did_you_mean(wrong, candidates) {
            Some(best) => {
                let mut with = self.help(format!("did you mean `{best}`?"));
                with.suggestion = Some(best.to_owned());
                with
            }
            None => self,
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == DiagnosticLevel::Error
    }

    pub fn location(&self) -> Option<Location> {
        self.span.as_ref().map(|(span, _)| span.location())
    }

    /// Renders the diagnostic as rustc does, with or without colour.
    pub fn render(&self, styled: bool) -> String {
        let level = match self.severity {
            DiagnosticLevel::Error => Level::ERROR,
            DiagnosticLevel::Warning => Level::WARNING,
        };
        let mut title = level.primary_title(self.message.as_str());
        if let Some(code) = self.code {
            title = title.id(code);
        }
        let mut group: Group<'_> = Group::with_title(title);
        if let Some((span, label)) = &self.span {
            group = group.element(excerpt(span, label));
        } else if let Some(file) = &self.file {
            group = group.element(Origin::path(file.as_str()));
        }
        // As rustc: what is so (notes), then what to do about it (help).
        for note in &self.notes {
            group = group.element(Level::NOTE.message(note.as_str()));
        }
        for help in &self.help {
            group = group.element(Level::HELP.message(help.as_str()));
        }
        let renderer = if styled {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        renderer.render(&[group])
    }
}

/// The lines a span touches, annotated: only those lines are handed to the
/// renderer, so rendering costs the size of the excerpt, not of the file.
fn excerpt<'a>(span: &'a Span, label: &'a str) -> Snippet<'a, annotate_snippets::Annotation<'a>> {
    let text = span.file.text();
    let (first_line, lines) = span.file.lines_around(&span.range);
    let start = span.range.start.clamp(lines.start, lines.end) - lines.start;
    let end = span.range.end.clamp(lines.start, lines.end) - lines.start;
    Snippet::source(text.get(lines).unwrap_or(""))
        .line_start(first_line)
        .path(span.file.name())
        .annotation(
            AnnotationKind::Primary
                .span(start..end.max(start))
                .label(label),
        )
}

/// The closest candidate to a misspelt id, if any is close enough.
pub fn did_you_mean<'a>(
    wrong: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let wrong_lower = wrong.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&wrong_lower, &c.to_lowercase()), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

/// An option id that is not one of a topic's: `message` at `at`, with the
/// closest of the topic's `options` suggested and all of them listed.
pub fn unknown_option<'a>(
    message: String,
    at: &Span,
    topic: &str,
    name: &str,
    options: impl Iterator<Item = &'a str> + Clone,
) -> Diagnostic {
    let listed: Vec<String> = options.clone().map(|o| format!("`{o}`")).collect();
    Diagnostic::error(message)
        .at(at, "no such option")
        .suggest(name, options)
        .help(format!("options of `{topic}`: {}", listed.join(", ")))
}

/// A file that is not UTF-8 text: named, with the position of the first
/// byte that is not, since a TOML parser cannot point at it.
pub fn not_utf8(name: &str, bytes: &[u8], what: &str) -> Diagnostic {
    let mut d = Diagnostic::error(format!("`{name}` is not UTF-8 text")).in_file(name);
    if let Err(e) = std::str::from_utf8(bytes) {
        let valid = &bytes[..e.valid_up_to()];
        let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
        let line_start = valid.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
        let column = String::from_utf8_lossy(&valid[line_start..])
            .chars()
            .count()
            + 1;
        d = d.note(format!(
            "the first byte that is not UTF-8 is at line {line}, column {column}"
        ));
    }
    d.help(format!("{what} are TOML, which must be UTF-8"))
}

/// An input file past [`MAX_INPUT_BYTES`](crate::source::MAX_INPUT_BYTES),
/// refused before it is read whole.
pub fn too_large(name: &str, what: &str) -> Diagnostic {
    let mib = crate::source::MAX_INPUT_BYTES / (1024 * 1024);
    Diagnostic::error(format!("`{name}` is larger than {mib} MiB"))
        .in_file(name)
        .note(format!(
            "{what} are read whole, and are limited to {mib} MiB"
        ))
        .help("is this the file you meant? split it, or name a smaller one")
}

/// How many diagnostics a human is shown at most: past a screenful, more
/// of them help no one, and a hostile file can hold a million.
pub const MAX_SHOWN: usize = 50;

/// Invalid input data: a rule base, an answers file or a scenario that does
/// not validate. Holds every problem found, warnings included.
#[derive(Debug)]
pub struct DataError {
    pub diagnostics: Vec<Diagnostic>,
}

impl DataError {
    pub fn new(diagnostics: Vec<Diagnostic>) -> Self {
        Self { diagnostics }
    }

    pub fn single(diagnostic: Diagnostic) -> Self {
        Self::new(vec![diagnostic])
    }

    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// The first [`MAX_SHOWN`] diagnostics, a line counting the rest, then
    /// a one-line summary of them all.
    pub fn render(&self, styled: bool) -> String {
        let mut out = String::new();
        for diagnostic in self.diagnostics.iter().take(MAX_SHOWN) {
            out.push_str(&diagnostic.render(styled));
            out.push_str("\n\n");
        }
        if let Some(hidden) = self.diagnostics.len().checked_sub(MAX_SHOWN)
            && hidden > 0
        {
            out.push_str(&format!("... and {hidden} more not shown\n\n"));
        }
        let errors = self.error_count();
        out.push_str(&format!(
            "error: found {errors} problem{}",
            if errors == 1 { "" } else { "s" }
        ));
        out
    }
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

impl std::error::Error for DataError {}

/// Collects diagnostics during a validation pass.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub fn extend(&mut self, diagnostics: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(diagnostics);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// `Err` with everything collected if any error was found, else the
    /// warnings (possibly none). Diagnostics come out in file order, those
    /// without a position last.
    pub fn finish(mut self) -> Result<Vec<Diagnostic>, DataError> {
        self.items.sort_by_cached_key(position);
        if self.has_errors() {
            Err(DataError::new(self.items))
        } else {
            Ok(self.items)
        }
    }
}

/// Sort key: spanned diagnostics by file and offset, then the others.
fn position(d: &Diagnostic) -> (bool, String, usize) {
    match &d.span {
        Some((span, _)) => (false, span.file.name().to_owned(), span.range.start),
        None => (true, String::new(), 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    #[test]
    fn renders_file_line_column_caret_and_help() {
        let file = SourceFile::new(
            "rules/x.toml",
            "[[rule]]\nwhen = { q = \"tem_size\", gt = 5 }\n",
        );
        let start = file.text().find("\"tem_size\"").unwrap_or_default();
        let span = Span::new(&file, start..start + 10);
        let text = Diagnostic::error("unknown question `tem_size`")
            .at(&span, "no such question")
            .suggest("tem_size", ["team_size", "peak_rps"])
            .render(false);
        assert!(
            text.contains("error: unknown question `tem_size`"),
            "{text}"
        );
        assert!(text.contains("--> rules/x.toml:2:14"), "{text}");
        assert!(text.contains("^^^^^^^^^^ no such question"), "{text}");
        assert!(text.contains("help: did you mean `team_size`?"), "{text}");
    }

    #[test]
    fn file_level_diagnostic_names_the_file() {
        let text = Diagnostic::error("missing answer for `team_size`")
            .in_file("answers.toml")
            .render(false);
        assert!(text.contains("answers.toml"), "{text}");
    }

    #[test]
    fn rendering_shows_the_first_fifty_and_counts_the_rest() {
        let file = SourceFile::new("a.toml", "x = 1\n".repeat(60));
        let diagnostics = (0..60)
            .map(|i| {
                Diagnostic::error(format!("bad {i}"))
                    .at(&Span::new(&file, i * 6..i * 6 + 1), "here")
            })
            .collect();
        let text = DataError::new(diagnostics).render(false);
        assert!(text.contains("error: bad 49"), "{text}");
        assert!(!text.contains("error: bad 50"), "{text}");
        assert!(text.contains("... and 10 more not shown"), "{text}");
        assert!(text.ends_with("error: found 60 problems"), "{text}");
        assert!(text.contains("a.toml:50:1"), "{text}");
    }

    #[test]
    fn not_utf8_names_the_first_bad_byte() {
        let text = Diagnostic::render(
            &not_utf8("a.toml", b"x = 1\nyz\xff", "answers files"),
            false,
        );
        assert!(text.contains("error: `a.toml` is not UTF-8 text"), "{text}");
        assert!(text.contains("line 2, column 3"), "{text}");
        assert!(text.contains("help: answers files are TOML"), "{text}");
    }

    #[test]
    fn did_you_mean_needs_a_close_match() {
        assert_eq!(
            did_you_mean("strng", ["strong", "eventual"]),
            Some("strong")
        );
        assert_eq!(did_you_mean("zzz", ["strong", "eventual"]), None);
    }

    #[test]
    fn finish_fails_only_on_errors() {
        let mut d = Diagnostics::default();
        d.push(Diagnostic::warning("w"));
        assert!(d.finish().is_ok());
        let mut d = Diagnostics::default();
        d.push(Diagnostic::error("e"));
        let err = d.finish().err().map(|e| e.error_count());
        assert_eq!(err, Some(1));
    }
}
