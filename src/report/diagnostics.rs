//! Diagnostics as JSON Lines, for editors and CI.
//!
//! One JSON object per line, as `cargo --message-format json` prints them:
//! a consumer reads line by line and acts on each problem as it comes, and
//! a `"type"` field tells diagnostics from the closing summary. Positions
//! are 1-based, columns count characters, and the end is the position just
//! after the underlined text (as editors' ranges are).

use crate::diagnostic::{Diagnostic, DiagnosticLevel};
use serde::Serialize;

#[derive(Serialize)]
struct Line<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    severity: &'static str,
    code: Option<&'static str>,
    message: &'a str,
    file: Option<&'a str>,
    line: Option<usize>,
    column: Option<usize>,
    end_line: Option<usize>,
    end_column: Option<usize>,
    /// The text under the caret in the human output.
    label: Option<&'a str>,
    help: &'a [String],
    notes: &'a [String],
    /// What "did you mean" proposes, to put in place of the underlined text.
    suggestion: Option<&'a str>,
}

/// One diagnostic as one line of JSON (with its newline).
pub fn line(d: &Diagnostic) -> serde_json::Result<String> {
    let (start, end) = match &d.span {
        Some((span, _)) => (Some(span.location()), Some(span.end_location())),
        None => (None, None),
    };
    let file = match &d.span {
        Some((span, _)) => Some(span.file.name()),
        None => d.file.as_deref(),
    };
    let line = Line {
        kind: "diagnostic",
        severity: match d.severity {
            DiagnosticLevel::Error => "error",
            DiagnosticLevel::Warning => "warning",
        },
        code: d.code,
        message: &d.message,
        file,
        line: start.as_ref().map(|l| l.line),
        column: start.as_ref().map(|l| l.column),
        end_line: end.as_ref().map(|l| l.line),
        end_column: end.as_ref().map(|l| l.column),
        label: d.span.as_ref().map(|(_, label)| label.as_str()),
        help: &d.help,
        notes: &d.notes,
        suggestion: d.suggestion.as_deref(),
    };
    Ok(serde_json::to_string(&line)? + "\n")
}

/// The last line: what was checked and how many problems it has.
#[derive(Serialize)]
pub struct Summary<'a> {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub rule_base: &'a str,
    pub errors: usize,
    pub warnings: usize,
    /// Absent when the rule base did not load.
    pub fingerprint: Option<&'a str>,
}

pub fn summary(summary: &Summary<'_>) -> serde_json::Result<String> {
    Ok(serde_json::to_string(summary)? + "\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{SourceFile, Span};

    #[test]
    fn a_spanned_diagnostic_has_its_range_help_and_suggestion() {
        let file = SourceFile::new("t.toml", "a = 1\nwhen = { q = \"tem\" }\n");
        let start = file.text().find("\"tem\"").unwrap_or_default();
        let d = Diagnostic::error("unknown question `tem`")
            .at(&Span::new(&file, start..start + 5), "no such question")
            .suggest("tem", ["team"]);
        assert_eq!(
            line(&d).unwrap(),
            concat!(
                r#"{"type":"diagnostic","severity":"error","code":null,"message":"unknown question `tem`","#,
                r#""file":"t.toml","line":2,"column":14,"end_line":2,"end_column":19,"#,
                r#""label":"no such question","help":["did you mean `team`?"],"notes":[],"suggestion":"team"}"#,
                "\n"
            )
        );
    }

    #[test]
    fn a_file_level_warning_has_no_position() {
        let d = Diagnostic::warning("ignored `x`")
            .code("ignored-file")
            .in_file("rules");
        let json: serde_json::Value = serde_json::from_str(&line(&d).unwrap()).unwrap();
        assert_eq!(json["code"], "ignored-file");
        assert_eq!(json["file"], "rules");
        assert!(json["line"].is_null() && json["end_column"].is_null());
    }
}
