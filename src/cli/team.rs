//! `tradeoff diff` and `tradeoff merge`: the commands that compare runs and
//! combine people's answers. They load and resolve as `decide` does, hand
//! the evaluations to the pure `diff` and `merge` modules, and print.

use super::args::{Cli, DecideFormat, DiffArgs, ListFormat, MergeArgs};
use super::commands::{io_reason, load_rule_base, read_input, select_topics};
use super::output::{emit, status, warnings};
use super::{Exit, Failure};
use crate::answers::AnswerSet;
use crate::decide::{Decided, evaluate_answers};
use crate::diff::{self, Mode, Side};
use crate::ids::TopicId;
use crate::merge::{self, Contributor};
use crate::report;
use crate::rulebase::{RuleBase, Topic};
use anyhow::Result;
use std::path::{Path, PathBuf};

const DIFF_USAGE: &str = "`tradeoff diff` compares two answers files (`tradeoff diff A.toml B.toml`) \
     or one answers file under two rule bases (`tradeoff diff --rules OLD --rules NEW --answers FILE`)";

/// What `diff` compares: one rule base, or two (`before` is then the old
/// one), the two answers files (one file twice, for two rule bases), and
/// the labels of the rule bases.
struct Comparison {
    before_rb: Option<RuleBase>,
    after_rb: RuleBase,
    mode: Mode,
    files: [PathBuf; 2],
    rule_labels: Option<(String, String)>,
}

/// The comparison the arguments ask for.
fn comparison(cli: &Cli, args: &DiffArgs) -> Result<Comparison> {
    match (args.files.as_slice(), &args.answers) {
        ([a, b], None) => {
            if cli.rules.len() > 1 {
                return Err(Failure::Usage(format!(
                    "`--rules` is given twice with two answers files\n  help: {DIFF_USAGE}"
                ))
                .into());
            }
            Ok(Comparison {
                before_rb: None,
                after_rb: load_rule_base(cli)?,
                mode: Mode::Answers,
                files: [a.clone(), b.clone()],
                rule_labels: None,
            })
        }
        ([], Some(answers)) => {
            let (old, new, labels) = rule_bases(cli)?;
            Ok(Comparison {
                before_rb: Some(old),
                after_rb: new,
                mode: Mode::Rules,
                files: [answers.clone(), answers.clone()],
                rule_labels: Some(labels),
            })
        }
        _ => Err(Failure::Usage(format!(
            "expected two answers files, or `--answers FILE`\n  help: {DIFF_USAGE}"
        ))
        .into()),
    }
}

/// The old and the new rule base of `--rules [OLD] NEW`, with their labels;
/// their load-time warnings are shown.
fn rule_bases(cli: &Cli) -> Result<(RuleBase, RuleBase, (String, String))> {
    let (old, new, labels) = match cli.rules.as_slice() {
        [new] => (
            crate::builtin::rule_base()?,
            RuleBase::from_dir(new)?,
            ("built-in".to_owned(), new.display().to_string()),
        ),
        [old, new] => (
            RuleBase::from_dir(old)?,
            RuleBase::from_dir(new)?,
            (old.display().to_string(), new.display().to_string()),
        ),
        _ => {
            return Err(Failure::Usage(format!(
                "comparing rule bases needs `--rules NEW` (against the built-in rule base) \
                 or `--rules OLD --rules NEW`\n  help: {DIFF_USAGE}"
            ))
            .into());
        }
    };
    warnings(old.warnings());
    warnings(new.warnings());
    Ok((old, new, labels))
}

pub(super) fn diff(cli: &Cli, args: &DiffArgs) -> Result<()> {
    let Comparison {
        before_rb,
        after_rb,
        mode,
        files,
        rule_labels,
    } = comparison(cli, args)?;
    let before_rb_ref = before_rb.as_ref().unwrap_or(&after_rb);
    // One file for two rule bases is read once (it may be standard input).
    let stdin = Path::new("-");
    if matches!(mode, Mode::Answers) && files[0] == stdin && files[1] == stdin {
        return Err(Failure::Usage(
            "`diff - -`: standard input can be read only once; name a file for one side".into(),
        )
        .into());
    }
    let first = read_input(&files[0])?;
    let second = match mode {
        Mode::Rules => std::sync::Arc::clone(&first),
        Mode::Answers => read_input(&files[1])?,
    };
    let before_set = AnswerSet::parse(before_rb_ref, &first)?;
    let after_set = AnswerSet::parse(&after_rb, &second)?;
    // Topics: --topic, else the files' `topics` (together), else all.
    let mut ids: Vec<String> = args.topics.clone();
    if ids.is_empty() {
        for t in before_set.topics.iter().chain(&after_set.topics) {
            if !ids.iter().any(|i| i == t.as_str()) {
                ids.push(t.to_string());
            }
        }
    }
    // A topic must exist in at least one rule base; suggest the closest if not.
    for id in &ids {
        if before_rb_ref.topic(id).is_none() && after_rb.topic(id).is_none() {
            select_topics(&after_rb, std::slice::from_ref(id), &[])?;
        }
    }
    let before = run(before_rb_ref, &before_set, &ids)?;
    let after = run(&after_rb, &after_set, &ids)?;
    let labels = rule_labels.unwrap_or_else(|| {
        (
            files[0].display().to_string(),
            files[1].display().to_string(),
        )
    });
    let result = diff::compare(
        mode,
        &Side {
            rb: before_rb_ref,
            facts: &before.resolution.facts,
            evaluation: &before.evaluation,
        },
        &Side {
            rb: &after_rb,
            facts: &after.resolution.facts,
            evaluation: &after.evaluation,
        },
        labels,
    );
    let bases = report::diff::Bases {
        before: before_rb_ref,
        after: &after_rb,
    };
    let text = match args.format {
        DecideFormat::Table => report::diff::text(&result, &bases),
        DecideFormat::Markdown => report::diff::markdown(&result, &bases),
        DecideFormat::Json => report::diff::json(&result)?,
    };
    emit(&text)?;
    if result.changed > 0 {
        return Err(Exit(1).into());
    }
    Ok(())
}

/// Resolves and evaluates one side. With two rule bases, a topic only one of
/// them has is evaluated on that side only.
fn run(rb: &RuleBase, set: &AnswerSet, ids: &[String]) -> Result<Decided> {
    let topics: Vec<&Topic> = if ids.is_empty() {
        rb.topics().iter().collect()
    } else {
        ids.iter().filter_map(|id| rb.topic(id)).collect()
    };
    let decided = evaluate_answers(rb, set, &topics)?;
    warnings(&decided.resolution.warnings);
    Ok(decided)
}

pub(super) fn merge(cli: &Cli, args: &MergeArgs) -> Result<()> {
    let rb = load_rule_base(cli)?;
    let mut people: Vec<Contributor> = Vec::new();
    let mut problems = Vec::new();
    for path in &args.files {
        let file = read_input(path)?;
        match AnswerSet::parse(&rb, &file) {
            Ok(answers) => {
                let name = answers.author.clone().unwrap_or_else(|| stem(path));
                if let Some(other) = people.iter().find(|p| p.name == name) {
                    return Err(Failure::Usage(format!(
                        "`{}` and `{}` both name the person `{name}`\n  help: add `author = \"...\"` to one of them",
                        other.file,
                        file.name()
                    ))
                    .into());
                }
                people.push(Contributor {
                    name,
                    file: file.name().to_owned(),
                    answers,
                });
            }
            Err(e) => problems.extend(e.diagnostics),
        }
    }
    if !problems.is_empty() {
        return Err(crate::diagnostic::DataError::new(problems).into());
    }
    // Refuse to overwrite before doing any work.
    if let Some(out) = &args.output
        && out.exists()
        && !args.force
    {
        return Err(Failure::CantCreate {
            path: out.display().to_string(),
            reason: "it already exists; pass `--force` to replace it".to_owned(),
        }
        .into());
    }
    let mut merged = merge::merge(&rb, &people, &args.decision_makers);
    let fallback: Vec<TopicId> = merged.merged.topics.clone();
    let topics = select_topics(&rb, &args.topics, &fallback)?;
    merge::assess(&rb, &mut merged, &topics);
    let text = match args.format {
        ListFormat::Text => report::merge::text(&rb, &merged),
        ListFormat::Json => report::merge::json(&merged)?,
    };
    emit(&text)?;
    match &args.output {
        Some(path) => {
            write(path, &merge::to_toml(&rb, &merged), args.force)?;
            status(&format!(
                "wrote {} ({} open question{})",
                path.display(),
                merged.open.len(),
                if merged.open.len() == 1 { "" } else { "s" }
            ));
        }
        None => status("the merged answers were not written: pass `-o FILE` to write them"),
    }
    Ok(())
}

fn stem(path: &Path) -> String {
    path.file_stem().map_or_else(
        || path.display().to_string(),
        |s| s.to_string_lossy().into_owned(),
    )
}

fn write(path: &Path, text: &str, force: bool) -> Result<()> {
    let written = if force {
        crate::fsio::replace(path, text)
    } else {
        crate::fsio::create_new(path, text)
    };
    written.map_err(|e| {
        let reason = if e.kind() == std::io::ErrorKind::AlreadyExists {
            "it already exists; pass `--force` to replace it".to_owned()
        } else {
            io_reason(&e)
        };
        Failure::CantCreate {
            path: path.display().to_string(),
            reason,
        }
    })?;
    Ok(())
}
