//! The commands: each loads what it needs, calls the pure layers, and hands
//! the result to a renderer.

use super::Failure;
use super::args::{
    AnswerArgs, Cli, Command, DecideArgs, DecideFormat, ExplainArgs, ExplainFormat, ListFormat,
    QuestionsArgs, QuestionsFormat, RulesCommand, TopicsArgs,
};
use super::output::{emit, status, table_width, warnings};
use crate::answers::AnswerSet;
use crate::decide::{Decided, missing_answers, resolve};
use crate::diagnostic::{DataError, not_utf8, too_large};
use crate::eval::evaluate;
use crate::ids::{QuestionId, TopicId};
use crate::policy::Policy;
use crate::priorities::Weights;
use crate::report::table::{Extras, TableOptions};
use crate::report::{self, DecisionRun, catalog};
use crate::rulebase::{RuleBase, Topic};
use crate::scenario::{Suite, TopicCoverage, suite};
use crate::source::{SourceFile, read_bytes_capped};
use anyhow::Result;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub fn run(cli: &Cli) -> Result<()> {
    let Some(command) = &cli.command else {
        return super::ask::run(cli, &cli.ask.session, cli.ask.mentor);
    };
    match command {
        Command::Ask(args) => super::ask::run(cli, &args.session, args.mentor),
        Command::Mentor(args) => super::ask::run(cli, args, true),
        Command::Completions { shell } => {
            let mut script = Vec::new();
            super::reference::completions(*shell, &mut script);
            emit(&String::from_utf8_lossy(&script))?;
            Ok(())
        }
        Command::Man => {
            let mut page = Vec::new();
            super::reference::man(&mut page)?;
            emit(&String::from_utf8_lossy(&page))?;
            Ok(())
        }
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

/// Reads an input file, or standard input for `-`, naming it for
/// diagnostics. At most [`crate::source::MAX_INPUT_BYTES`] are read (a path such as
/// `/dev/zero` would otherwise read until memory runs out); text that is
/// not UTF-8 is an error at its first bad byte, from a file or from stdin.
pub(super) fn read_input(path: &Path) -> Result<Arc<SourceFile>> {
    let (name, read) = if path == Path::new("-") {
        ("<stdin>".to_owned(), read_bytes_capped(io::stdin().lock()))
    } else {
        let name = path.display().to_string();
        let read = std::fs::File::open(path).and_then(read_bytes_capped);
        (name, read)
    };
    let bytes = match read {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::FileTooLarge => {
            return Err(
                DataError::single(too_large(&name, "answers, policy and template files")).into(),
            );
        }
        Err(e) => {
            return Err(Failure::NoInput {
                path: name,
                reason: io_reason(&e),
            }
            .into());
        }
    };
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
/// `weights` are the `--weight` flags, or those a record kept.
pub(super) fn with_context(
    rb: RuleBase,
    input: &AnswerArgs,
    weights: &[String],
) -> Result<RuleBase> {
    let weights = Weights::build(&input.optimize, weights).map_err(Failure::Usage)?;
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

/// What a run works from: the rule base with the user's context, the
/// answers, and the decisions of linked topics a record kept.
pub(super) struct Input {
    pub rb: RuleBase,
    pub answers: AnswerSet,
    pub decisions: Vec<(TopicId, crate::value::Answer)>,
}

/// Loads the rule base and the answers from an answers file or a decision
/// record, with `--set` over them. A record's priorities apply unless the
/// command line gives its own.
pub(super) fn load_input(cli: &Cli, input: &AnswerArgs) -> Result<Input> {
    let base = load_rule_base(cli)?;
    let recorded = input
        .from_adr
        .as_deref()
        .map(|path| super::record::read(&base, path))
        .transpose()?;
    let weights = match &recorded {
        Some(r) if input.weights.is_empty() && input.optimize.is_empty() => &r.priorities,
        _ => &input.weights,
    };
    let rb = with_context(base, input, weights)?;
    let (mut answers, decisions) = match recorded {
        Some(recorded) => {
            warnings(&recorded.warnings);
            (recorded.answers, recorded.decisions)
        }
        None => match &input.answers {
            Some(path) => (AnswerSet::parse(&rb, &read_input(path)?)?, Vec::new()),
            None => (AnswerSet::default(), Vec::new()),
        },
    };
    answers.apply_flags(&rb, &input.set)?;
    if let Some(dir) = &input.scan {
        super::scan::prefill(cli, &rb, dir, &mut answers)?;
    }
    Ok(Input {
        rb,
        answers,
        decisions,
    })
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
    /// Evaluates the answers for the topics asked for (else the answers'
    /// own, else all). `command` names the command for the error given when
    /// no answers came at all.
    fn new(input: &Input, args: &AnswerArgs, topic_ids: &[String], command: &str) -> Result<Self> {
        let rb = &input.rb;
        let answers = input.answers.clone();
        let topics = select_topics(rb, topic_ids, &answers.topics)?;
        if args.answers.is_none() && args.from_adr.is_none() {
            let missing = missing_answers(rb, &answers, &topics);
            if !missing.is_empty() {
                return Err(no_answers(command, topic_ids, &missing, topics.len()));
            }
        }
        let mut resolution = resolve(rb, &answers, &topics)?;
        for (topic, decided) in &input.decisions {
            resolution.facts.decide_answer(topic, Some(decided.clone()));
        }
        let evaluation = evaluate(rb, &resolution.facts, &topics);
        warnings(&resolution.warnings);
        Ok(Self {
            answers,
            decided: Decided {
                resolution,
                evaluation,
            },
        })
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

/// The one error for a run without answers: rather than one "missing
/// answer" per question, where answers come from.
fn no_answers(
    command: &str,
    topic_ids: &[String],
    missing: &[QuestionId],
    topics: usize,
) -> anyhow::Error {
    let topic_flags: String = topic_ids.iter().map(|t| format!(" --topic {t}")).collect();
    let unanswered = crate::words::count(missing.len(), "question", "questions");
    let needed_by = if topics == 1 {
        "the topic needs".to_owned()
    } else {
        format!("the {topics} topics need")
    };
    Failure::Usage(format!(
        "`tradeoff {command}` needs answers: {unanswered} {needed_by} have no answer and no default\n  \
         help: give them in a file: `tradeoff {command} --answers FILE{topic_flags}`\n  \
         help: print one to fill in: `tradeoff questions{topic_flags} --format toml > answers.toml`\n  \
         help: or answer them at the terminal: `tradeoff ask{topic_flags}`"
    ))
    .into()
}

fn decide(cli: &Cli, args: &DecideArgs) -> Result<()> {
    if args.quiet {
        super::output::set_quiet();
    }
    if args.summary && args.format == DecideFormat::Json {
        return Err(Failure::Usage(
            "`--summary` is for `--format table` or `markdown`: the JSON holds every verdict, \
             risk and unknown already"
                .to_owned(),
        )
        .into());
    }
    let input = load_input(cli, &args.input)?;
    let run = Run::new(&input, &args.input, &args.topics, "decide")?;
    let rb = &input.rb;
    let decision = run.decision(rb);
    if let Some(dir) = &args.adr {
        let dir = match dir {
            Some(dir) => dir.clone(),
            None => super::adr::decide_dir(&std::env::current_dir().unwrap_or_default())?,
        };
        let options = super::adr::RecordOptions {
            template: args.adr_template.as_deref(),
            title: args.adr_title.as_deref(),
            dry_run: args.dry_run,
        };
        super::adr::write_decisions(&decision, &dir, &options)?;
    }
    if args.quiet {
        return Ok(());
    }
    let answers_args = answers_args(cli, &args.input);
    let extras = Extras {
        answers_args: answers_args.as_deref(),
        summary_only: args.summary,
    };
    let text = match args.format {
        DecideFormat::Table => report::table::render_with(
            &decision,
            &TableOptions {
                color: console::colors_enabled(),
                width: table_width(),
            },
            &extras,
        ),
        DecideFormat::Markdown => report::markdown::render_with(&decision, &extras),
        DecideFormat::Json => report::json::render(&decision)?,
    };
    emit(&text)?;
    // The process ends next, and the operating system takes its memory back
    // at once: freeing the rule base and the evaluation piece by piece would
    // add about a twentieth to the command's time.
    std::mem::forget(run);
    std::mem::forget(input);
    Ok(())
}

/// The options that give another command the answers this one read (the
/// rule base, the answers, `--set`, priorities and policy), as shell words,
/// so that the commands a report suggests run as printed. `None` for answers
/// read from standard input, which a second command cannot read again.
pub(super) fn answers_args(cli: &Cli, input: &AnswerArgs) -> Option<String> {
    let mut words: Vec<String> = Vec::new();
    let mut push = |flag: &str, value: &str| {
        words.push(flag.to_owned());
        words.push(shell_word(value));
    };
    for dir in &cli.rules {
        push("--rules", &dir.display().to_string());
    }
    for dir in &cli.rules_pack {
        push("--rules-pack", &dir.display().to_string());
    }
    match (&input.answers, &input.from_adr) {
        (Some(path), _) if path == Path::new("-") => return None,
        (Some(path), _) => push("--answers", &path.display().to_string()),
        (None, Some(path)) => push("--from-adr", &path.display().to_string()),
        (None, None) => {}
    }
    for set in &input.set {
        push("--set", set);
    }
    for goal in &input.optimize {
        if let Some(value) = clap::ValueEnum::to_possible_value(goal) {
            push("--optimize", value.get_name());
        }
    }
    for weight in &input.weights {
        push("--weight", weight);
    }
    if let Some(path) = &input.policy {
        push("--policy", &path.display().to_string());
    }
    Some(words.join(" "))
}

/// A word as a POSIX shell reads it back: as it is when it holds nothing
/// the shell treats specially, else in single quotes.
fn shell_word(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_@%+=:,./-".contains(c));
    if plain {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// Writes the decision's records into `dir` in the directory's layout.
pub(super) fn write_records(decision: &DecisionRun<'_>, dir: &Path) -> Result<()> {
    super::adr::write_decisions(decision, dir, &super::adr::RecordOptions::default())
}

/// `ADR_DATE` (as adr-tools honours it), else today's local date.
pub(super) fn adr_date() -> String {
    std::env::var("ADR_DATE")
        .ok()
        .filter(|d| !d.trim().is_empty())
        .unwrap_or_else(|| jiff::Zoned::now().date().to_string())
}

fn explain(cli: &Cli, args: &ExplainArgs) -> Result<()> {
    let input = load_input(cli, &args.input)?;
    let run = Run::new(
        &input,
        &args.input,
        std::slice::from_ref(&args.topic),
        "explain",
    )?;
    let decision = run.decision(&input.rb);
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
            "{} of {} failed",
            suite.failed(),
            crate::words::count(files.len(), "scenario", "scenarios")
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

/// Writes every file under `dir`; if one cannot be written, removes the
/// files and the directories this call created, so that a failed export
/// leaves nothing partial behind.
fn write_all_or_nothing(dir: &Path, files: &[(String, Arc<SourceFile>)]) -> Result<()> {
    let mut new_dirs: Vec<PathBuf> = Vec::new();
    let mut written: Vec<PathBuf> = Vec::new();
    for (rel, file) in files {
        let target = dir.join(rel);
        let missing = target
            .ancestors()
            .skip(1)
            .take_while(|d| !d.as_os_str().is_empty() && !d.exists())
            .map(Path::to_path_buf);
        new_dirs.extend(missing);
        if let Err(e) = crate::fsio::create_new(&target, file.text()) {
            undo(&written, &new_dirs);
            return Err(Failure::CantCreate {
                path: target.display().to_string(),
                reason: io_reason(&e),
            }
            .into());
        }
        written.push(target);
    }
    Ok(())
}

/// Removes `files`, then `dirs` deepest first, as far as they are empty.
fn undo(files: &[PathBuf], dirs: &[PathBuf]) {
    for file in files.iter().rev() {
        let _ = std::fs::remove_file(file);
    }
    let mut dirs = dirs.to_vec();
    dirs.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
    dirs.dedup();
    for d in dirs {
        let _ = std::fs::remove_dir(d);
    }
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
    write_all_or_nothing(dir, rb.files())?;
    status(&format!(
        "exported {} to {}; use them with `tradeoff --rules {} ...`",
        crate::words::count(rb.files().len(), "file", "files"),
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
