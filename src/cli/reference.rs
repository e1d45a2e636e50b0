//! What the program says about itself: its version (with the fingerprint of
//! the built-in rule base, as decision records cite it), shell completion
//! scripts (clap_complete) and the manual page (clap_mangen), all made from
//! the same clap definition as the parser, so they cannot drift from it.
//!
//! Completion scripts are static, but they know the built-in topic and rule
//! ids: `--topic <TAB>` offers the topics, `rules show <TAB>` the rules and
//! risks. They are added to the command used for the script only, so the
//! parser still reports an unknown id with its own "did you mean".

use super::args::Cli;
use crate::rulebase::RuleBase;
use clap::CommandFactory as _;
use clap::builder::PossibleValue;
use std::io;

/// `0.1.0 (rule base 1a2b3c4d5e6f)`: `-V`.
pub fn version() -> String {
    let fingerprint = crate::builtin::fingerprint();
    let hex = fingerprint.trim_start_matches("sha256:");
    let short = hex.get(..12).unwrap_or(hex);
    format!("{} (rule base {short})", env!("CARGO_PKG_VERSION"))
}

/// The version and the whole fingerprint: `--version`.
pub fn long_version() -> String {
    format!(
        "{}\nrule base: built-in, {}",
        env!("CARGO_PKG_VERSION"),
        crate::builtin::fingerprint()
    )
}

/// Writes the completion script for `shell`.
pub fn completions(shell: clap_complete::Shell, out: &mut dyn io::Write) {
    let mut command = Cli::command();
    if let Ok(rb) = crate::builtin::rule_base() {
        command = with_ids(command, &rb);
    }
    clap_complete::generate(shell, &mut command, "tradeoff", out);
}

/// Writes the manual page, in roff: the program's synopsis and options,
/// then every command with its own synopsis and options, then examples.
pub fn man(out: &mut dyn io::Write) -> io::Result<()> {
    let mut command = Cli::command().version(version()).long_version(version());
    command.build();
    let main = clap_mangen::Man::new(command.clone());
    let mut page = Vec::new();
    main.render_title(&mut page)?;
    main.render_name_section(&mut page)?;
    main.render_synopsis_section(&mut page)?;
    main.render_description_section(&mut page)?;
    main.render_options_section(&mut page)?;
    page.extend_from_slice(b".SH COMMANDS\n");
    for sub in leaves(&command) {
        command_section(&mut page, sub)?;
    }
    let mut examples = clap_mangen::roff::Roff::new();
    examples.control("SH", ["EXAMPLES"]).control("nf", []);
    for line in super::examples::MAIN.lines().skip(1) {
        examples.text([clap_mangen::roff::roman(line.trim_start())]);
    }
    examples.control("fi", []);
    examples.to_writer(&mut page)?;
    main.render_version_section(&mut page)?;
    out.write_all(&page)
}

/// The commands that run something (`decide`, `rules check`), in order.
fn leaves(command: &clap::Command) -> Vec<&clap::Command> {
    command
        .get_subcommands()
        .filter(|c| c.get_name() != "help")
        .flat_map(|c| {
            if c.has_subcommands() {
                leaves(c)
            } else {
                vec![c]
            }
        })
        .collect()
}

/// One command: its name as a subsection, its synopsis, what it does and
/// its options, without the global options every command repeats.
fn command_section(page: &mut Vec<u8>, sub: &clap::Command) -> io::Result<()> {
    let name = sub.get_bin_name().unwrap_or_else(|| sub.get_name());
    let mut heading = clap_mangen::roff::Roff::new();
    heading.control("SS", [name]);
    heading.to_writer(page)?;
    let sub = sub.clone().mut_args(|arg| match arg.get_help_heading() {
        Some(super::args::GLOBAL) => arg.hide(true),
        _ => arg,
    });
    let man = clap_mangen::Man::new(sub);
    let mut body = Vec::new();
    man.render_synopsis_section(&mut body)?;
    man.render_description_section(&mut body)?;
    man.render_options_section(&mut body)?;
    let body = String::from_utf8_lossy(&body);
    // The sections' own headings would end the COMMANDS section: each
    // becomes a paragraph break.
    for line in body.lines() {
        let line = if line.starts_with(".SH") { ".PP" } else { line };
        page.extend_from_slice(line.as_bytes());
        page.push(b'\n');
    }
    Ok(())
}

/// The command with the rule base's topic ids offered for every `--topic`,
/// and its rule and risk ids for `rules show`.
fn with_ids(command: clap::Command, rb: &RuleBase) -> clap::Command {
    let topics: Vec<PossibleValue> = rb
        .topics()
        .iter()
        .map(|t| PossibleValue::new(t.id.to_string()).help(t.title.to_string()))
        .collect();
    let rules: Vec<PossibleValue> = rb
        .topics()
        .iter()
        .flat_map(|t| t.rules.iter().map(|r| r.id.to_string()))
        .chain(rb.risks().iter().map(|r| r.id.to_string()))
        .map(PossibleValue::new)
        .collect();
    let command = offer(command, "topic", &topics);
    command.mut_subcommand("rules", |rules_command| {
        rules_command.mut_subcommand("show", |show| {
            show.mut_arg("id", |arg| {
                arg.value_parser(clap::builder::PossibleValuesParser::new(rules.clone()))
            })
        })
    })
}

/// Offers `values` for every option `--{long}` of this command and of every
/// subcommand under it.
fn offer(mut command: clap::Command, long: &str, values: &[PossibleValue]) -> clap::Command {
    let ids: Vec<clap::Id> = command
        .get_arguments()
        .filter(|a| a.get_long() == Some(long))
        .map(|a| a.get_id().clone())
        .collect();
    for id in ids {
        command = command.mut_arg(id, |arg| {
            arg.value_parser(clap::builder::PossibleValuesParser::new(values.to_vec()))
        });
    }
    let names: Vec<String> = command
        .get_subcommands()
        .map(|c| c.get_name().to_owned())
        .collect();
    for name in names {
        command = command.mut_subcommand(name, |sub| offer(sub, long, values));
    }
    command
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_names_the_built_in_rule_base() {
        let fingerprint = crate::builtin::fingerprint();
        assert!(fingerprint.starts_with("sha256:"), "{fingerprint}");
        assert!(version().contains(&fingerprint[7..19]), "{}", version());
        assert!(long_version().ends_with(fingerprint), "{}", long_version());
    }

    #[test]
    fn completions_offer_topic_and_rule_ids() {
        let mut script = Vec::new();
        completions(clap_complete::Shell::Bash, &mut script);
        let script = String::from_utf8(script).unwrap();
        assert!(script.contains("cache-technology"), "topics offered");
        assert!(
            script.contains("cache-aside-is-the-default-pattern"),
            "rules offered"
        );
    }

    #[test]
    fn the_man_page_covers_every_command() {
        let mut page = Vec::new();
        man(&mut page).unwrap();
        let page = String::from_utf8(page).unwrap();
        assert!(page.starts_with(".ie"), "roff: {}", &page[..40]);
        for command in ["ask", "decide", "completions"] {
            assert!(page.contains(command), "{command}");
        }
    }
}
