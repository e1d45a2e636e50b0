//! Writing to the terminal: reports to stdout, diagnostics to stderr.
//!
//! Reports are rendered to a string first and written in one go; a reader
//! that goes away (`tradeoff decide ... | head`) surfaces as a broken-pipe
//! error that `main` treats as success, never as a panic. Any other failure
//! to write says that it was standard output that failed (exit 74).
//!
//! Text from rule bases, packs, answers and policies, and arguments echoed
//! in errors, may hold terminal control sequences: an OSC sequence can
//! retitle the window, write a link, or worse. Everything written to the
//! terminal passes through [`terminal_safe`], which shows control characters
//! as their Unicode pictures (`␛`), as the diagnostics already do, and keeps
//! only the colour sequences tradeoff writes itself.

use crate::diagnostic::{DataError, Diagnostic};
use crate::rulebase::LoadError;
use std::borrow::Cow;
use std::io::{self, Write as _};
use std::sync::atomic::{AtomicBool, Ordering};

/// Writes a report to standard output; an error says it was standard output.
pub fn emit(text: &str) -> io::Result<()> {
    let mut stdout = io::stdout().lock();
    stdout
        .write_all(terminal_safe(text).as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(stdout_error)
}

/// `text` with every control character but line feed and tab shown as its
/// Unicode picture (ESC as `␛`, DEL as `␡`, C1 controls as `�`), except
/// colour sequences (`ESC [ digits and ; m`), which only tradeoff's own
/// styling writes and which can do nothing but colour.
pub fn terminal_safe(text: &str) -> Cow<'_, str> {
    if !text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if let Some(len) = colour_sequence_len(rest) {
            out.push_str(&rest[..len]);
            rest = &rest[len..];
            continue;
        }
        out.push(crate::words::control_picture(c));
        rest = &rest[c.len_utf8()..];
    }
    Cow::Owned(out)
}

/// The length of an SGR colour sequence at the start of `text`, if any.
fn colour_sequence_len(text: &str) -> Option<usize> {
    let params = text.strip_prefix("\u{1b}[")?;
    let digits = params
        .bytes()
        .take_while(|b| b.is_ascii_digit() || *b == b';')
        .count();
    (params.as_bytes().get(digits) == Some(&b'm')).then_some(2 + digits + 1)
}

/// Standard output could not be written.
#[derive(Debug, thiserror::Error)]
#[error("cannot write to standard output: {0}")]
pub struct StdoutError(io::Error);

/// The error as one that names standard output, of the same kind, so that a
/// broken pipe is still seen as one.
pub fn stdout_error(error: io::Error) -> io::Error {
    if error.get_ref().is_some_and(|e| e.is::<StdoutError>()) {
        return error;
    }
    io::Error::new(error.kind(), StdoutError(error))
}

/// Whether this cause is a failure to write standard output.
pub fn is_stdout_error(cause: &(dyn std::error::Error + 'static)) -> bool {
    cause.is::<StdoutError>()
        || cause
            .downcast_ref::<io::Error>()
            .and_then(io::Error::get_ref)
            .is_some_and(|e| e.is::<StdoutError>())
}

/// `--quiet`: no status lines and no warnings, only errors.
static QUIET: AtomicBool = AtomicBool::new(false);

/// From now on, print only errors.
pub fn set_quiet() {
    QUIET.store(true, Ordering::Relaxed);
}

fn quiet() -> bool {
    QUIET.load(Ordering::Relaxed)
}

/// A status line on stderr (created files and the like).
pub fn status(text: &str) {
    if !quiet() {
        let _ = writeln!(io::stderr().lock(), "{}", terminal_safe(text));
    }
}

pub fn warnings(diagnostics: &[Diagnostic]) {
    if quiet() {
        return;
    }
    let styled = console::colors_enabled_stderr();
    let mut stderr = io::stderr().lock();
    for d in diagnostics {
        let _ = writeln!(stderr, "{}\n", terminal_safe(&d.render(styled)));
    }
}

/// Prints an error: data errors as rendered diagnostics, others as one line
/// with their causes.
pub fn print_error(error: &anyhow::Error) {
    let styled = console::colors_enabled_stderr();
    let data = error.chain().find_map(|cause| {
        cause
            .downcast_ref::<DataError>()
            .or_else(|| match cause.downcast_ref::<LoadError>() {
                Some(LoadError::Invalid(d)) => Some(d),
                _ => None,
            })
    });
    let mut stderr = io::stderr().lock();
    match data {
        Some(data) => {
            let _ = writeln!(stderr, "{}", terminal_safe(&data.render(styled)));
        }
        None => {
            let prefix = console::style("error:").red().bold().for_stderr();
            let message = format!("{error:#}");
            let _ = writeln!(stderr, "{prefix} {}", terminal_safe(&message));
        }
    }
}

/// Width for tables: the terminal's, else `COLUMNS`, else 100.
pub fn table_width() -> u16 {
    if let Some((_, cols)) = console::Term::stdout().size_checked()
        && cols >= 40
    {
        return cols;
    }
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|c| *c >= 40)
        .unwrap_or(100)
}

#[cfg(test)]
mod tests {
    use super::terminal_safe;

    #[test]
    fn control_characters_are_shown_as_pictures_and_colours_kept() {
        assert_eq!(
            terminal_safe("a\u{1b}]0;owned\u{7}b\u{1b}[2Jc\rd\u{7f}\u{9b}e"),
            "a␛]0;owned␇b␛[2Jc␍d␡\u{fffd}e"
        );
        assert_eq!(
            terminal_safe("\u{1b}[1;31mred\u{1b}[0m\n\tok"),
            "\u{1b}[1;31mred\u{1b}[0m\n\tok"
        );
        assert!(matches!(
            terminal_safe("plain"),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
