//! Writing to the terminal: reports to stdout, diagnostics to stderr.
//!
//! Reports are rendered to a string first and written in one go; a reader
//! that goes away (`tradeoff decide ... | head`) surfaces as a broken-pipe
//! error that `main` treats as success, never as a panic. Any other failure
//! to write says that it was standard output that failed (exit 74).

use crate::diagnostic::{DataError, Diagnostic};
use crate::rulebase::LoadError;
use std::io::{self, Write as _};
use std::sync::atomic::{AtomicBool, Ordering};

/// Writes a report to standard output; an error says it was standard output.
pub fn emit(text: &str) -> io::Result<()> {
    let mut stdout = io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(stdout_error)
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
        let _ = writeln!(io::stderr().lock(), "{text}");
    }
}

pub fn warnings(diagnostics: &[Diagnostic]) {
    if quiet() {
        return;
    }
    let styled = console::colors_enabled_stderr();
    let mut stderr = io::stderr().lock();
    for d in diagnostics {
        let _ = writeln!(stderr, "{}\n", d.render(styled));
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
            let _ = writeln!(stderr, "{}", data.render(styled));
        }
        None => {
            let prefix = console::style("error:").red().bold().for_stderr();
            let _ = writeln!(stderr, "{prefix} {error:#}");
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
