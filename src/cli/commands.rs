//! The commands: each loads what it needs, calls the pure layers, and hands
//! the result to a renderer.

use super::Failure;
use super::args::{
    AnswerArgs, Cli, Command, DecideArgs, DecideFormat, ExplainArgs, ExplainFormat, ListFormat,
    QuestionsArgs, QuestionsFormat, RulesCommand, TopicsArgs,
};
use super::output::{emit, status, table_width, warnings};
use crate::adr;
use crate::answers::AnswerSet;
use crate::decide::{Decided, evaluate_answers};
use crate::diagnostic::{DataError, not_utf8};
use crate::ids::TopicId;
use crate::policy::Policy;
use crate::priorities::Weights;
use crate::report::{self, DecisionRun, catalog, table::TableOptions};
use crate::rulebase::{RuleBase, Topic};
use crate::scenario::{Suite, TopicCoverage, suite};
use crate::source::SourceFile;
use anyhow::Result;
use std::io::{self, Read as _};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub fn run(cli: &Cli) -> Result<()> {
    let Some(command) = &cli.command else {
        return super::ask::run(cli, &super::args::AskArgs::default(), false);
    };
    match command {
        Command::Ask(args) => super::ask::run(cli, args, args.mentor),
        Command::Mentor(args) => super::ask::run(cli, args, true),
        Command::Decide(args) => decide(cli, args),
        Command::Explain(args) => explain(cli, args),
        Command::Questions(args) => questions(cli, args),
        Command::Topics(args) => topics(cli, args),
        Command::Diff(args) => super::team::diff(cli, args),
        Command::Merge(args) => super::team::merge(cli, args),
        Command::Scan(args) => super::scan::run(cli, args),
        Command::Adr(args) => super::adr::run(args, || load_rule_base(cli)),
        Command::Rules(RulesCommand::Check(args)) => super::check::run(cli, args),
        Command::Rules(RulesCommand::List { topics, format }) => rules_list(cli, topics, *format),
        Command::Rules(RulesCommand::Show { id }) => rules_show(cli, id),
        Command::Rules(RulesCommand::Docs { output }) => rules_docs(cli, output.as_deref()),
        Command::Rules(RulesCommand::Export { dir }) => rules_export(cli, dir),
        Command::Rules(RulesCommand::Test {
            paths,
            require_coverage,
        }) => rules_test(cli, paths, *require_coverage),
    }
}

pub(super) fn load_rule_base(cli: &Cli) -> Result<RuleBase> {
    let rb = open_rule_base(&cli.rules, &super::packs::pack_dirs(cli))?;
    warnings(rb.warnings());
    Ok(rb)
}

/// The rule base in `dirs` (`--rules`), or the built-in one when there is
/// none, with `packs` layered over it; load-time warnings stay in it,
/// unprinted.
pub(super) fn open_rule_base(dirs: &[PathBuf], packs: &[PathBuf]) -> Result<RuleBase> {
    let base = match dirs {
        [] => None,
        [dir] => Some(dir.as_path()),
        [..] => {
            return Err(Failure::Usage(
                "`--rules` is given more than once; only `tradeoff diff` compares two rule bases"
                    .into(),
            )
            .into());
        }
    };
    super::packs::open(base, packs)
}

/// Reads an input file, or standard input for `-`, naming it for diagnostics.
pub(super) fn read_input(path: &Path) -> Result<Arc<SourceFile>> {
    if path == Path::new("-") {
        let mut text = String::new();
        io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Failure::NoInput {
                path: "<stdin>".into(),
                reason: e.to_string(),
            })?;
        return Ok(SourceFile::new("<stdin>", text));
    }
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| Failure::NoInput {
        path: name.clone(),
        reason: io_reason(&e),
    })?;
    let text = String::from_utf8(bytes)
        .map_err(|e| DataError::single(not_utf8(&name, e.as_bytes(), "answers files")))?;
    Ok(SourceFile::new(name, text))
}

pub(super) fn io_reason(error: &io::Error) -> String {
    match error.kind() {
        io::ErrorKind::NotFound => "no such file".to_owned(),
        io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        io::ErrorKind::IsADirectory => "it is a directory".to_owned(),
        _ => error.to_string(),
    }
}

/// The rule base with the user's priorities and policy added as rules.
pub(super) fn with_context(rb: RuleBase, input: &AnswerArgs) -> Result<RuleBase> {
    let weights = Weights::build(&input.optimize, &input.weights).map_err(Failure::Usage)?;
    let mut extra = weights.rules(&rb);
    let mut context = crate::rulebase::Context {
        priorities: weights.iter().collect(),
        policy: None,
    };
    if let Some(path) = &input.policy {
        let policy = Policy::parse(&read_input(path)?, &rb)?;
        extra.extend(policy.rules);
        context.policy = Some(policy.name);
    }
    Ok(if extra.is_empty() && context.policy.is_none() {
        rb
    } else {
        rb.with_rules(extra, context)
    })
}

pub(super) fn load_answers(rb: &RuleBase, input: &AnswerArgs) -> Result<AnswerSet> {
    let mut set = match &input.answers {
        Some(path) => AnswerSet::parse(rb, &read_input(path)?)?,
        None => AnswerSet::default(),
    };
    set.apply_flags(rb, &input.set)?;
    Ok(set)
}

pub(super) fn select_topics<'a>(
    rb: &'a RuleBase,
    ids: &[String],
    fallback: &[TopicId],
) -> Result<Vec<&'a Topic>> {
    let ids: Vec<TopicId> = if ids.is_empty() {
        fallback.to_vec()
    } else {
        ids.iter().map(|s| TopicId::new(s.as_str())).collect()
    };
    Ok(rb.select_topics(&ids).map_err(Failure::Usage)?)
}

/// The answers given on the command line, and what they decide for the
/// chosen topics.
struct Run {
    answers: AnswerSet,
    decided: Decided,
}

impl Run {
    fn new(rb: &RuleBase, input: &AnswerArgs, topic_ids: &[String]) -> Result<Self> {
        let answers = load_answers(rb, input)?;
        let topics = select_topics(rb, topic_ids, &answers.topics)?;
        let decided = evaluate_answers(rb, &answers, &topics)?;
        warnings(&decided.resolution.warnings);
        Ok(Self { answers, decided })
    }

    fn decision<'a>(&'a self, rb: &'a RuleBase) -> DecisionRun<'a> {
        DecisionRun {
            rb,
            answers: &self.answers,
            resolution: &self.decided.resolution,
            evaluation: &self.decided.evaluation,
        }
    }
}

fn decide(cli: &Cli, args: &DecideArgs) -> Result<()> {
    let rb = with_context(load_rule_base(cli)?, &args.input)?;
    let run = Run::new(&rb, &args.input, &args.topics)?;
    let decision = run.decision(&rb);
    if let Some(dir) = &args.adr {
        let dir = match dir {
            Some(dir) => dir.clone(),
            None => {
                let cwd = std::env::current_dir().unwrap_or_default();
                adr::dir::find(&cwd).map_or_else(|| cwd.join("docs/decisions"), |f| f.dir)
            }
        };
        super::adr::write_decisions(&decision, &dir, args.adr_template.as_deref())?;
    }
    let text = match args.format {
        DecideFormat::Table => report::table::render(
            &decision,
            &TableOptions {
                color: console::colors_enabled(),
                width: table_width(),
            },
        ),
        DecideFormat::Markdown => report::markdown::render(&decision),
        DecideFormat::Json => report::json::render(&decision)?,
    };
    emit(&text)?;
    Ok(())
}

/// Writes the decision's records into `dir` in the directory's layout.
pub(super) fn write_records(decision: &DecisionRun<'_>, dir: &Path) -> Result<()> {
    super::adr::write_decisions(decision, dir, None)
}

/// `ADR_DATE` (as adr-tools honours it), else today's local date.
pub(super) fn adr_date() -> String {
    std::env::var("ADR_DATE")
        .ok()
        .filter(|d| !d.trim().is_empty())
        .unwrap_or_else(|| jiff::Zoned::now().date().to_string())
}

fn explain(cli: &Cli, args: &ExplainArgs) -> Result<()> {
    let rb = with_context(load_rule_base(cli)?, &args.input)?;
    let run = Run::new(&rb, &args.input, std::slice::from_ref(&args.topic))?;
    let decision = run.decision(&rb);
    let text = match args.format {
        ExplainFormat::Text => report::explain::render(&decision, console::colors_enabled()),
        ExplainFormat::Json => report::json::render(&decision)?,
    };
    emit(&text)?;
    Ok(())
}

fn questions(cli: &Cli, args: &QuestionsArgs) -> Result<()> {
    let rb = load_rule_base(cli)?;
    let topics = select_topics(&rb, &args.topics, &[])?;
    let questions = if args.topics.is_empty() {
        rb.questions().iter().collect()
    } else {
        rb.relevant_questions(&topics)
    };
    let text = match args.format {
        QuestionsFormat::Text => catalog::questions_text(&rb, &questions),
        QuestionsFormat::Markdown => catalog::questions_markdown(&rb, &questions),
        QuestionsFormat::Json => catalog::questions_json(&rb, &questions)?,
        QuestionsFormat::Toml => catalog::answers_template(&questions, &topics),
    };
    emit(&text)?;
    Ok(())
}

fn topics(cli: &Cli, args: &TopicsArgs) -> Result<()> {
    let rb = load_rule_base(cli)?;
    let text = match args.format {
        ListFormat::Text => catalog::topics_text(&rb),
        ListFormat::Json => catalog::topics_json(&rb)?,
    };
    emit(&text)?;
    Ok(())
}

fn rules_list(cli: &Cli, topic_ids: &[String], format: ListFormat) -> Result<()> {
    let rb = load_rule_base(cli)?;
    let topics = select_topics(&rb, topic_ids, &[])?;
    let text = match format {
        ListFormat::Text => catalog::rules_list(&rb, &topics),
        ListFormat::Json => catalog::rules_json(&rb, &topics)?,
    };
    emit(&text)?;
    Ok(())
}

fn rules_show(cli: &Cli, id: &str) -> Result<()> {
    let rb = load_rule_base(cli)?;
    let disabled = rb.disabled_rules().iter().find(|r| r.id.as_str() == id);
    let found = rb
        .rule(id)
        .or_else(|| disabled.and_then(|r| Some((rb.topic(r.topic.as_str())?, r))));
    if found.is_none()
        && let Some(risk) = rb.risks().iter().find(|r| r.id.as_str() == id)
    {
        emit(&catalog::risk_show(&rb, risk))?;
        return Ok(());
    }
    let Some((topic, rule)) = found else {
        let all = rb
            .topics()
            .iter()
            .flat_map(|t| t.rules.iter().map(|r| r.id.as_str()))
            .chain(rb.risks().iter().map(|r| r.id.as_str()));
        let mut message = format!("unknown rule `{id}`");
        if let Some(best) = crate::diagnostic::did_you_mean(id, all) {
            message.push_str(&format!("\n  help: did you mean `{best}`?"));
        }
        message.push_str("\n  help: `tradeoff rules list` lists them");
        return Err(Failure::Usage(message).into());
    };
    emit(&catalog::rule_show(&rb, topic, rule))?;
    Ok(())
}

fn rules_docs(cli: &Cli, output: Option<&Path>) -> Result<()> {
    let rb = load_rule_base(cli)?;
    let text = catalog::docs(&rb);
    match output {
        None => emit(&text)?,
        Some(path) => {
            crate::fsio::replace(path, &text).map_err(|e| Failure::CantCreate {
                path: path.display().to_string(),
                reason: io_reason(&e),
            })?;
            status(&format!("wrote {}", path.display()));
        }
    }
    Ok(())
}

fn rules_test(cli: &Cli, paths: &[PathBuf], require_coverage: bool) -> Result<()> {
    let pack = super::packs::pack_test(cli, paths, || load_rule_base(cli))?;
    let (rb, pack, paths) = match pack {
        Some(test) => (test.rb, Some(test.pack), test.scenarios),
        None => (load_rule_base(cli)?, None, paths.to_vec()),
    };
    let paths = if paths.is_empty() {
        vec![PathBuf::from(suite::DEFAULT_DIR)]
    } else {
        paths
    };
    let files = suite::find_files(&paths).map_err(|e| match e {
        suite::FindError::Unreadable { path, error } => Failure::NoInput {
            path: path.display().to_string(),
            reason: io_reason(&error),
        },
        suite::FindError::Empty { paths } => Failure::NoInput {
            path: suite::list_paths(&paths),
            reason: "no scenario files (*.toml) found".to_owned(),
        },
    })?;
    let sources = files
        .iter()
        .map(|path| read_input(path))
        .collect::<Result<Vec<_>>>()?;
    let suite = Suite::run(&rb, &sources);
    emit(&suite.render(&rb, pack, console::colors_enabled()))?;
    if suite.failed() > 0 {
        return Err(Failure::Check(format!(
            "{} of {} scenarios failed",
            suite.failed(),
            files.len()
        ))
        .into());
    }
    if require_coverage
        && !suite
            .coverage(&rb, pack)
            .iter()
            .all(TopicCoverage::complete)
    {
        return Err(Failure::Check("coverage is incomplete: see the list above".to_owned()).into());
    }
    Ok(())
}

fn rules_export(cli: &Cli, dir: &Path) -> Result<()> {
    let rb = load_rule_base(cli)?;
    let existing: Vec<String> = rb
        .files()
        .iter()
        .map(|(rel, _)| dir.join(rel))
        .filter(|p| p.exists())
        .map(|p| p.display().to_string())
        .collect();
    if !existing.is_empty() {
        return Err(Failure::CantCreate {
            path: dir.display().to_string(),
            reason: format!(
                "these files already exist and are never overwritten: {}",
                existing.join(", ")
            ),
        }
        .into());
    }
    for (rel, file) in rb.files() {
        let target = dir.join(rel);
        crate::fsio::create_new(&target, file.text()).map_err(|e| Failure::CantCreate {
            path: target.display().to_string(),
            reason: io_reason(&e),
        })?;
    }
    status(&format!(
        "exported {} files to {}; use them with `tradeoff --rules {} ...`",
        rb.files().len(),
        dir.display(),
        dir.display()
    ));
    if !rb.packs().is_empty() {
        status(
            "rule packs are not exported: they stay in their own directories, for `--rules-pack`",
        );
    }
    Ok(())
}
