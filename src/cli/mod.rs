//! The command line: arguments, commands, and the edge of the program.
//!
//! This layer reads the user's input files and standard input, owns the
//! terminal and standard output, and decides exit codes; the library below
//! touches files only where that is its job (the crate documentation lists
//! where). Exit codes (documented in the README) tell bad data apart from a
//! crash:
//!
//! | code | meaning |
//! |---|---|
//! | 0 | success (also when the reader of our output goes away: broken pipe) |
//! | 1 | a check failed (`rules test`, `rules check --deny-warnings`), `diff` found a changed recommendation, or an unexpected failure |
//! | 2 | bad command line (unknown flag, unknown topic) |
//! | 65 | invalid data: rule base, answers file, policy, record template or `--set` value |
//! | 66 | an input file or directory cannot be read |
//! | 73 | an output file cannot be created |
//! | 74 | standard output cannot be written (a full disk, a closed terminal) |
//! | 130 | interrupted |

mod adr;
mod args;
mod ask;
mod check;
mod commands;
mod examples;
mod menu;
mod output;
mod packs;
mod record;
mod reference;
mod signals;
mod team;

pub use args::Cli;

use crate::diagnostic::DataError;
use crate::rulebase::LoadError;
use clap::{CommandFactory as _, FromArgMatches as _};
use std::io::Write as _;
use std::process::ExitCode;

/// The user pressed Ctrl-C; the message says how to continue.
#[derive(Debug, thiserror::Error)]
#[error("interrupted: {0}")]
pub struct Interrupted(pub String);

pub const EXIT_INTERRUPTED: u8 = 130;

/// Errors that carry their own exit code.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// The command line asks for something that does not exist.
    #[error("{0}")]
    Usage(String),
    /// An input cannot be read.
    #[error("cannot read `{path}`: {reason}")]
    NoInput { path: String, reason: String },
    /// An output cannot be created.
    #[error("cannot write `{path}`: {reason}")]
    CantCreate { path: String, reason: String },
    /// A check the user asked for failed (scenarios, coverage).
    #[error("{0}")]
    Check(String),
    /// Invalid data whose problems were already printed (as JSON): a summary.
    #[error("{0}")]
    Invalid(String),
}

/// Ends the program with this exit code once the output is complete, with
/// no error message: `diff` exits 1 when recommendations change, as
/// `diff(1)` and `git diff --exit-code` do.
#[derive(Debug, thiserror::Error)]
#[error("exit status {0}")]
pub struct Exit(pub u8);

pub const EXIT_FAILURE: u8 = 1;
pub const EXIT_USAGE: u8 = 2;
pub const EXIT_DATA: u8 = 65;
pub const EXIT_NO_INPUT: u8 = 66;
pub const EXIT_CANT_CREATE: u8 = 73;
pub const EXIT_IO: u8 = 74;

/// Runs the program with the process's arguments.
pub fn main() -> ExitCode {
    let cli = match parse() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    cli.apply_color();
    let result = commands::run(&cli);
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) if error.is::<Exit>() => ExitCode::from(exit_code(&error)),
        Err(error) => {
            output::print_error(&error);
            ExitCode::from(exit_code(&error))
        }
    }
}

/// The command line with the version that names the rule base; or, when
/// clap answered it (`--help`, `--version`, a usage error), the exit code.
fn parse() -> Result<Cli, ExitCode> {
    let command = Cli::command()
        .version(reference::version())
        .long_version(reference::long_version());
    match command.try_get_matches().and_then(|matches| {
        session_options_before_a_command(&matches)?;
        Cli::from_arg_matches(&matches)
    }) {
        Ok(cli) => Ok(cli),
        Err(error) => Err(answered(&error)),
    }
}

/// `tradeoff --answers FILE decide` would lose the file: the options of
/// plain `tradeoff` (a session) belong after the command they are meant for.
fn session_options_before_a_command(matches: &clap::ArgMatches) -> Result<(), clap::Error> {
    let Some((name, _)) = matches.subcommand() else {
        return Ok(());
    };
    let command = Cli::command();
    let misplaced: Vec<String> = command
        .get_arguments()
        .filter(|arg| !arg.is_global_set())
        .filter(|arg| {
            matches.value_source(arg.get_id().as_str())
                == Some(clap::parser::ValueSource::CommandLine)
        })
        .filter_map(|arg| arg.get_long().map(|long| format!("--{long}")))
        .collect();
    match misplaced.first() {
        None => Ok(()),
        Some(first) => Err(Cli::command().error(
            clap::error::ErrorKind::ArgumentConflict,
            format!(
                "`{}` {} after the command: `tradeoff {name} {first} ...`",
                misplaced.join("`, `"),
                if misplaced.len() == 1 { "goes" } else { "go" }
            ),
        )),
    }
}

/// Prints what clap made of the command line. Help and the version go to
/// standard output, and a failure to write them is an error (74), as for
/// any other output; usage errors go to standard error (2).
fn answered(error: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if !matches!(
        error.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
    ) {
        error.exit();
    }
    let written = error.print().and_then(|()| std::io::stdout().flush());
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            output::print_error(&output::stdout_error(e).into());
            ExitCode::from(EXIT_IO)
        }
    }
}

/// The exit code for an error, from the first cause that names one.
pub fn exit_code(error: &anyhow::Error) -> u8 {
    for cause in error.chain() {
        if output::is_stdout_error(cause) {
            return EXIT_IO;
        }
        if let Some(Exit(code)) = cause.downcast_ref::<Exit>() {
            return *code;
        }
        if cause.is::<Interrupted>() {
            return EXIT_INTERRUPTED;
        }
        if cause.is::<DataError>() {
            return EXIT_DATA;
        }
        if let Some(load) = cause.downcast_ref::<LoadError>() {
            return match load {
                LoadError::Read(_) => EXIT_NO_INPUT,
                LoadError::Invalid(_) => EXIT_DATA,
            };
        }
        if let Some(failure) = cause.downcast_ref::<Failure>() {
            return match failure {
                Failure::Usage(_) => EXIT_USAGE,
                Failure::NoInput { .. } => EXIT_NO_INPUT,
                Failure::CantCreate { .. } => EXIT_CANT_CREATE,
                Failure::Check(_) => EXIT_FAILURE,
                Failure::Invalid(_) => EXIT_DATA,
            };
        }
    }
    EXIT_FAILURE
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
