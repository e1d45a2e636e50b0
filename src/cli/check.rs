//! `tradeoff rules check [DIR]`: every problem of a rule base in one pass.
//!
//! Loading reports the errors (and the load-time warnings); once the rule
//! base validates, the lints (`crate::lint`) add their warnings. Both go out
//! together in file order, for people (rendered with carets, on stderr, the
//! verdict on stdout) or as JSON Lines on stdout for editors and CI. Errors
//! exit 65 as for any invalid data; warnings alone exit 0, or 1 with
//! `--deny-warnings`. The rule base is opened as every other command opens
//! it (`open_rule_base`); DIR only takes the place of `--rules DIR`.

use super::Failure;
use super::args::{CheckArgs, Cli, ErrorFormat};
use super::commands::open_rule_base;
use super::output::{emit, status, warnings};
use crate::diagnostic::{DataError, Diagnostic};
use crate::lint::{self, Lint};
use crate::report::diagnostics::{self, Summary};
use crate::rulebase::LoadError;
use anyhow::Result;
use std::collections::BTreeSet;

pub fn run(cli: &Cli, args: &CheckArgs) -> Result<()> {
    let allowed = allowed(&args.allow)?;
    let dirs = match &args.dir {
        Some(dir) => vec![dir.clone()],
        None => cli.rules.clone(),
    };
    let keep = |d: &Diagnostic| d.code.is_none_or(|c| !allowed.contains(c));
    let rb = match open_rule_base(&dirs, &super::packs::pack_dirs(cli)) {
        Ok(rb) => rb,
        Err(error) => {
            // A base that does not validate is a `LoadError`; a pack that
            // does not layer over it, a bare `DataError`: both are reported.
            let data = match error.downcast_ref::<LoadError>() {
                Some(LoadError::Invalid(data)) => data,
                _ => match error.downcast_ref::<DataError>() {
                    Some(data) => data,
                    None => return Err(error),
                },
            };
            let kept: Vec<Diagnostic> = data
                .diagnostics
                .iter()
                .filter(|d| keep(d))
                .cloned()
                .collect();
            let invalid = DataError::new(kept);
            if args.error_format == ErrorFormat::Human {
                return Err(invalid.into());
            }
            let origin = dirs
                .first()
                .map_or_else(|| "rules".to_owned(), |d| d.display().to_string());
            let errors = invalid.error_count();
            print_json(&invalid.diagnostics, &origin, errors, None)?;
            return Err(Failure::Invalid(format!(
                "rule base `{origin}` has {errors} error{}",
                plural(errors)
            ))
            .into());
        }
    };
    let mut found: Vec<Diagnostic> = rb.warnings().to_vec();
    found.extend(lint::check(&rb));
    found.retain(|d| keep(d));
    lint::sort(&mut found);
    let count = found.len();
    match args.error_format {
        ErrorFormat::Human => {
            warnings(&found);
            if count > 0 {
                let prefix = console::style("warning:").yellow().bold().for_stderr();
                status(&format!("{prefix} found {count} warning{}", plural(count)));
            }
        }
        ErrorFormat::Json => print_json(&found, rb.origin(), 0, Some(rb.fingerprint()))?,
    }
    if args.deny_warnings && count > 0 {
        return Err(Failure::Check(format!(
            "{count} warning{} in rule base `{}`, denied by --deny-warnings",
            plural(count),
            rb.origin()
        ))
        .into());
    }
    if args.error_format == ErrorFormat::Human {
        let rules: usize = rb.topics().iter().map(|t| t.rules.len()).sum();
        emit(&format!(
            "ok: rule base `{}` has {}, {}, {}, {} and {} (fingerprint {})\n",
            rb.origin(),
            crate::words::count(rb.questions().len(), "question", "questions"),
            crate::words::count(rb.topics().len(), "topic", "topics"),
            crate::words::count(rules, "rule", "rules"),
            crate::words::count(rb.risks().len(), "risk", "risks"),
            crate::words::count(rb.sources().len(), "source", "sources"),
            rb.short_fingerprint()
        ))?;
    }
    Ok(())
}

/// The codes of `--allow`, each checked against the known lints.
fn allowed(codes: &[String]) -> Result<BTreeSet<&'static str>, Failure> {
    codes
        .iter()
        .map(|code| {
            Lint::from_code(code).map(Lint::code).ok_or_else(|| {
                let known = Lint::ALL.iter().map(|l| l.code());
                let mut message = format!("unknown lint `{code}` in `--allow`");
                if let Some(best) = crate::diagnostic::did_you_mean(code, known.clone()) {
                    message.push_str(&format!("\n  help: did you mean `{best}`?"));
                }
                let list: Vec<&str> = known.collect();
                message.push_str(&format!("\n  help: the lints are {}", list.join(", ")));
                Failure::Usage(message)
            })
        })
        .collect()
}

fn print_json(
    found: &[Diagnostic],
    origin: &str,
    errors: usize,
    fingerprint: Option<&str>,
) -> Result<()> {
    let mut out = String::new();
    for d in found {
        out.push_str(&diagnostics::line(d)?);
    }
    out.push_str(&diagnostics::summary(&Summary {
        kind: "summary",
        rule_base: origin,
        errors,
        warnings: found.len() - errors,
        fingerprint,
    })?);
    emit(&out)?;
    Ok(())
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
