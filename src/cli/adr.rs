//! `tradeoff adr ...`: decision records over their life, in the
//! repositories teams already have (adr-tools, MADR and log4brains layouts),
//! and the records `decide --adr` writes into them.
//!
//! Where adr-tools has the same command (`new`, `list`, `link`, `generate
//! toc|graph`, `upgrade-repository`), tradeoff behaves as adr-tools does on
//! the same input: the directory it picks, the files it writes, what it
//! prints and in what order, so that scripts written for adr-tools keep
//! working.

use super::args::{AdrArgs, AdrCommand, AdrFormatArg, AdrListFormat, GraphFormat, ListFormat};
use super::output::{emit, status};
use super::{EXIT_USAGE, Exit, Failure};
use crate::adr::check::{self as records_check};
use crate::adr::decisions::{self, Plan};
use crate::adr::lock::Access;
use crate::adr::renumber;
use crate::adr::repo::{self, Layout, NewRecord, OpError, Repo};
use crate::adr::template::{Place, TemplateError};
use crate::adr::{dir, review};
use crate::diagnostic::{DataError, Diagnostic};
use crate::report::DecisionRun;
use crate::report::adr::{RecordContext, RecordTemplate};
use crate::rulebase::RuleBase;
use crate::source::{SourceFile, Span};
use crate::words::count;
use anyhow::Result;
use std::path::{Path, PathBuf};

/// Where a team keeps its own layout for the records `decide --adr` writes,
/// in the ADR directory (beside adr-tools' `templates/template.md`, which is
/// `adr new`'s).
const DECIDE_TEMPLATE: &str = "templates/decide.md";

/// adr-tools' directory, used when a repository has none yet.
const ADR_TOOLS_DIR: &str = "doc/adr";
/// MADR's directory.
const MADR_DIR: &str = "docs/decisions";

pub fn run(args: &AdrArgs, rules: impl Fn() -> Result<RuleBase> + Sync) -> Result<()> {
    let cwd = std::env::current_dir().map_err(|e| Failure::NoInput {
        path: ".".into(),
        reason: e.to_string(),
    })?;
    match &args.command {
        AdrCommand::Init {
            dir: target,
            format,
        } => init(args, &cwd, target.as_deref(), *format),
        AdrCommand::New {
            title,
            supersede,
            link,
            status: record_status,
            template,
            format,
        } => new(
            args,
            &cwd,
            &NewFlags {
                title,
                supersede,
                link,
                status: record_status.as_deref(),
                template: template.as_deref(),
                format: *format,
            },
        ),
        AdrCommand::List { format } => list(args, &cwd, *format),
        AdrCommand::Status { id, status: new } => set_status(args, &cwd, id, new),
        AdrCommand::Supersede { old, new } => supersede(args, &cwd, old, new),
        AdrCommand::Link {
            source,
            link,
            target,
            reverse,
        } => {
            let repo = open(&read_dir(args, &cwd)?, Access::Write)?;
            repo::link(&repo, source, link, target, reverse).map_err(op_error)
        }
        AdrCommand::Toc {
            intro,
            outro,
            prefix,
        } => toc(
            args,
            &cwd,
            intro.as_deref(),
            outro.as_deref(),
            prefix.as_deref(),
        ),
        AdrCommand::Graph {
            format,
            prefix,
            extension,
        } => graph(args, &cwd, *format, prefix.as_deref(), extension),
        AdrCommand::Check { format, fix } => check(args, &cwd, *format, *fix),
        AdrCommand::Renumber { dry_run } => renumber(args, &cwd, *dry_run),
        AdrCommand::Review { format } => review(args, &cwd, *format, rules),
        AdrCommand::UpgradeRepository => {
            let repo = open(&read_dir(args, &cwd)?, Access::Write)?;
            repo::upgrade(&repo).map_err(op_error)?;
            Ok(())
        }
    }
}

impl From<AdrFormatArg> for Layout {
    fn from(f: AdrFormatArg) -> Self {
        match f {
            AdrFormatArg::Madr => Layout::Madr,
            AdrFormatArg::Nygard => Layout::Nygard,
        }
    }
}

/// The ADR directory, and whether it was found through log4brains' configuration.
struct AdrDir {
    path: PathBuf,
    log4brains: bool,
    /// What pointed at it (`.adr-dir`, ...), `None` for `--dir` or a default.
    via: Option<String>,
}

/// The directory found for `args`: `--dir`, else by walking up from `cwd`
/// as adr-tools does; `None` when there is none. A discovered directory
/// outside the repository is refused.
fn find_dir(args: &AdrArgs, cwd: &Path) -> Result<Option<AdrDir>> {
    if let Some(dir) = &args.dir {
        return Ok(Some(AdrDir {
            path: cwd.join(dir),
            log4brains: false,
            via: None,
        }));
    }
    let found = dir::find(cwd).map_err(|outside| Failure::NoInput {
        path: outside.via.clone(),
        reason: outside.to_string(),
    })?;
    Ok(found.map(|f| AdrDir {
        path: f.dir,
        log4brains: f.log4brains,
        via: Some(f.via),
    }))
}

/// The directory of a command that needs records to be there.
fn read_dir(args: &AdrArgs, cwd: &Path) -> Result<PathBuf> {
    match find_dir(args, cwd)? {
        Some(dir) => Ok(dir.path),
        None => Err(Failure::NoInput {
            path: cwd.display().to_string(),
            reason: "no decision records found: looked for .adr-dir, doc/adr and docs/decisions here and in every parent; \
                     run `tradeoff adr init` or pass --dir DIR"
                .to_owned(),
        }
        .into()),
    }
}

/// The directory `decide --adr` writes into when not given one: the
/// repository's, else MADR's `docs/decisions`.
pub(super) fn decide_dir(cwd: &Path) -> Result<PathBuf> {
    let found = dir::find(cwd).map_err(|outside| Failure::NoInput {
        path: outside.via.clone(),
        reason: outside.to_string(),
    })?;
    Ok(found.map_or_else(|| cwd.join(MADR_DIR), |f| f.dir))
}

/// The directory for reading or writing, under its lock; a directory named by
/// log4brains' configuration is log4brains' even before it holds a record.
fn open(dir: &Path, access: Access) -> Result<Repo> {
    let repo = Repo::open(dir, access).map_err(|e| {
        let (path, reason) = (dir.display().to_string(), super::commands::io_reason(&e));
        match access {
            Access::Read => Failure::NoInput { path, reason },
            Access::Write => Failure::CantCreate { path, reason },
        }
    })?;
    for note in &repo.notes {
        status(note);
    }
    Ok(repo)
}

/// The flags of `adr new`.
struct NewFlags<'a> {
    title: &'a [String],
    supersede: &'a [String],
    link: &'a [String],
    status: Option<&'a str>,
    template: Option<&'a Path>,
    format: Option<AdrFormatArg>,
}

/// `adr new`: an empty record from a template, opened in the editor; the
/// path is printed after the editor closes, as adr-tools does, so that
/// `adr new ... | xargs` gets the finished record.
fn new(args: &AdrArgs, cwd: &Path, flags: &NewFlags<'_>) -> Result<()> {
    let title = crate::adr::one_line(&flags.title.join(" "));
    if title.is_empty() {
        // adr-tools' message, which scripts may look for.
        status("ERROR: no title given");
        return Err(Exit(EXIT_USAGE).into());
    }
    let found = find_dir(args, cwd)?;
    let asked: Option<Layout> = flags.format.map(Into::into);
    let path = match &found {
        Some(dir) => dir.path.clone(),
        None if asked == Some(Layout::Madr) => cwd.join(MADR_DIR),
        None => cwd.join(ADR_TOOLS_DIR),
    };
    let mut repo = open(&path, Access::Write)?;
    repo.log4brains |= found.as_ref().is_some_and(|d| d.log4brains);
    let layout = repo
        .layout()
        .or(asked)
        .unwrap_or_else(|| default_layout(found.as_ref(), &repo));
    let template = load_template(flags.template, &path, repo.log4brains)?;
    let date = super::commands::adr_date();
    let created = repo::new_record(
        &repo,
        &NewRecord {
            title: &title,
            date: &date,
            status: flags.status,
            layout,
            template,
            supersede: flags.supersede,
            links: flags.link,
        },
    )
    .map_err(op_error)?;
    drop(repo);
    let shown = dir::relative(&created, cwd);
    open_editor(&shown);
    emit(&format!("{}\n", shown.display()))?;
    Ok(())
}

/// The layout of a directory without records: adr-tools' where adr-tools
/// pointed (`.adr-dir`, `doc/adr`, or nothing found), log4brains' where it
/// did, MADR's elsewhere.
fn default_layout(found: Option<&AdrDir>, repo: &Repo) -> Layout {
    if repo.log4brains {
        return Layout::Madr2;
    }
    match found {
        None => Layout::Nygard,
        Some(dir) if dir.path.ends_with(ADR_TOOLS_DIR) => Layout::Nygard,
        Some(AdrDir { via: Some(via), .. }) if via.ends_with(".adr-dir") => Layout::Nygard,
        Some(_) => Layout::Madr,
    }
}

/// `adr list`: a table, JSON, or adr-tools' paths.
fn list(args: &AdrArgs, cwd: &Path, format: AdrListFormat) -> Result<()> {
    let found = find_dir(args, cwd)?;
    if format == AdrListFormat::Paths && !found.as_ref().is_some_and(|d| d.path.is_dir()) {
        // adr-tools' message, for scripts written against it.
        let shown = found.map_or_else(
            || PathBuf::from(ADR_TOOLS_DIR),
            |d| dir::relative(&d.path, cwd),
        );
        status(&format!("The {} directory does not exist", shown.display()));
        return Err(Exit(super::EXIT_NO_INPUT).into());
    }
    let dir = match found {
        Some(dir) => dir.path,
        None => read_dir(args, cwd)?,
    };
    let repo = open(&dir, Access::Read)?;
    let text = match format {
        AdrListFormat::Text => list_text(&repo),
        AdrListFormat::Json => {
            let records: Vec<_> = repo.records().collect();
            serde_json::to_string_pretty(&records)? + "\n"
        }
        AdrListFormat::Paths => repo
            .entries
            .iter()
            .map(|e| format!("{}\n", dir::relative(&e.path, cwd).display()))
            .collect(),
    };
    emit(&text)?;
    Ok(())
}

/// `adr status ID STATUS`.
fn set_status(args: &AdrArgs, cwd: &Path, id: &str, new: &str) -> Result<()> {
    let repo = open(&read_dir(args, cwd)?, Access::Write)?;
    let path = repo::set_status(&repo, id, new).map_err(op_error)?;
    status(&format!("{}: {new}", dir::relative(&path, cwd).display()));
    Ok(())
}

/// `adr supersede OLD NEW`.
fn supersede(args: &AdrArgs, cwd: &Path, old: &str, new: &str) -> Result<()> {
    let repo = open(&read_dir(args, cwd)?, Access::Write)?;
    repo::supersede(&repo, old, new).map_err(op_error)?;
    status(&format!("{new} supersedes {old}"));
    Ok(())
}

/// `adr toc`: adr-tools' table of contents, with an optional intro and outro.
fn toc(
    args: &AdrArgs,
    cwd: &Path,
    intro: Option<&Path>,
    outro: Option<&Path>,
    prefix: Option<&str>,
) -> Result<()> {
    let repo = open(&read_dir(args, cwd)?, Access::Read)?;
    let read = |p: Option<&Path>| p.map(read_file).transpose();
    let text = repo::toc(
        &repo,
        read(intro)?.as_deref(),
        read(outro)?.as_deref(),
        prefix.unwrap_or(""),
    );
    emit(&text)?;
    Ok(())
}

/// `adr graph`: the links between records, as Graphviz DOT or Mermaid.
fn graph(
    args: &AdrArgs,
    cwd: &Path,
    format: GraphFormat,
    prefix: Option<&str>,
    extension: &str,
) -> Result<()> {
    let repo = open(&read_dir(args, cwd)?, Access::Read)?;
    let text = match format {
        GraphFormat::Dot => repo::graph_dot(&repo, prefix.unwrap_or(""), extension),
        GraphFormat::Mermaid => repo::graph_mermaid(&repo),
    };
    emit(&text)?;
    Ok(())
}

/// `adr check`'s report for CI: the directory, the counts and each problem.
#[derive(serde::Serialize)]
struct CheckReport<'a> {
    dir: String,
    records: usize,
    errors: usize,
    warnings: usize,
    fixed: &'a [String],
    problems: &'a [records_check::Problem],
}

/// `adr check`: the directory's problems; exits 1 when any is an error.
fn check(args: &AdrArgs, cwd: &Path, format: ListFormat, fix: bool) -> Result<()> {
    let dir = read_dir(args, cwd)?;
    let fixed = if fix {
        let repo = open(&dir, Access::Write)?;
        records_check::fix(&repo).map_err(op_error)?
    } else {
        Vec::new()
    };
    let repo = open(&dir, Access::Read)?;
    let problems = records_check::check(&repo);
    let errors = problems.iter().filter(|p| p.error).count();
    let report = CheckReport {
        dir: dir::relative(&repo.dir, cwd).display().to_string(),
        records: repo.entries.len(),
        errors,
        warnings: problems.len() - errors,
        fixed: &fixed,
        problems: &problems,
    };
    let text = match format {
        ListFormat::Json => serde_json::to_string_pretty(&report)? + "\n",
        ListFormat::Text => check_text(&report),
    };
    emit(&text)?;
    if errors > 0 {
        return Err(Failure::Check(format!("{errors} problems in the decision records")).into());
    }
    Ok(())
}

fn check_text(report: &CheckReport<'_>) -> String {
    let mut out = String::new();
    for line in report.fixed {
        out.push_str(&format!("fixed: {line}\n"));
    }
    for p in report.problems {
        let level = if p.error { "error" } else { "warning" };
        let line = p.line.map(|l| format!(":{l}")).unwrap_or_default();
        out.push_str(&format!("{level}: {}{line}: {}\n", p.file, p.message));
    }
    out.push_str(&format!(
        "{} checked in {}: {}, {}\n",
        count(report.records, "record", "records"),
        report.dir,
        count(report.errors, "error", "errors"),
        count(report.warnings, "warning", "warnings")
    ));
    out
}

/// `adr renumber`: records that share a number get the next free ones.
fn renumber(args: &AdrArgs, cwd: &Path, dry_run: bool) -> Result<()> {
    let access = if dry_run { Access::Read } else { Access::Write };
    let repo = open(&read_dir(args, cwd)?, access)?;
    let moves = renumber::renumber(&repo, dry_run).map_err(op_error)?;
    let verb = if dry_run { "would rename" } else { "renamed" };
    let mut out = String::new();
    for m in &moves {
        out.push_str(&format!("{verb} {} -> {}\n", m.from, m.to));
    }
    if moves.is_empty() {
        out.push_str("no duplicate numbers\n");
    }
    emit(&out)?;
    Ok(())
}

/// `adr review`: re-runs every record tradeoff wrote; exits 1 on drift.
fn review(
    args: &AdrArgs,
    cwd: &Path,
    format: ListFormat,
    rules: impl Fn() -> Result<RuleBase> + Sync,
) -> Result<()> {
    let rb = rules()?;
    let repo = open(&read_dir(args, cwd)?, Access::Read)?;
    let reviews = review::review(&rb, &repo, &|| rules().ok());
    let text = match format {
        ListFormat::Json => serde_json::to_string_pretty(&reviews)? + "\n",
        ListFormat::Text => review::render(&reviews),
    };
    emit(&text)?;
    let drift = reviews
        .iter()
        .filter(|r| r.verdict != review::Drift::Holds)
        .count();
    if drift > 0 {
        return Err(Failure::Check(format!(
            "{} no longer {} as recorded",
            count(drift, "decision", "decisions"),
            if drift == 1 { "holds" } else { "hold" }
        ))
        .into());
    }
    Ok(())
}

fn op_error(e: OpError) -> anyhow::Error {
    match e {
        OpError::Usage(m) => Failure::Usage(m).into(),
        OpError::Malformed { .. } => Failure::Check(e.to_string()).into(),
        OpError::Template(t) => template_error(&t),
        OpError::File { path, error } => Failure::CantCreate {
            path: path.display().to_string(),
            reason: super::commands::io_reason(&error),
        }
        .into(),
        OpError::Io(io) => Failure::CantCreate {
            path: "decision records".into(),
            reason: io.to_string(),
        }
        .into(),
    }
}

/// A template that does not compile or render: invalid data (exit 65),
/// shown as the compiler shows errors, at the file, line and column.
fn template_error(e: &TemplateError) -> anyhow::Error {
    let message = format!("the template `{}` cannot be used: {}", e.name, e.message);
    let mut diagnostic = match e.at.as_deref() {
        Some(Place {
            text,
            range: Some(range),
            ..
        }) => {
            let file = SourceFile::new(e.name.as_str(), text.as_str());
            Diagnostic::error(message).at(&Span::new(&file, range.clone()), "here")
        }
        Some(Place { line, .. }) => Diagnostic::error(message)
            .in_file(e.name.as_str())
            .note(format!("at line {line}")),
        None => Diagnostic::error(message).in_file(e.name.as_str()),
    };
    for help in &e.help {
        diagnostic = diagnostic.help(help.as_str());
    }
    DataError::single(diagnostic).into()
}

/// `adr init [DIR]`: the first record. Without DIR, a directory the
/// repository already has is used (never a second one beside it).
fn init(
    args: &AdrArgs,
    cwd: &Path,
    target: Option<&Path>,
    format: Option<AdrFormatArg>,
) -> Result<()> {
    let found = match target.or(args.dir.as_deref()) {
        Some(_) => None,
        None => find_dir(args, cwd)?,
    };
    let asked: Option<Layout> = format.map(Into::into);
    let layout = asked.unwrap_or(match &found {
        Some(dir) if dir.path.ends_with(ADR_TOOLS_DIR) => Layout::Nygard,
        _ => Layout::Madr,
    });
    let default = match layout {
        Layout::Nygard => ADR_TOOLS_DIR,
        _ => MADR_DIR,
    };
    let dir = target
        .map(Path::to_path_buf)
        .or_else(|| args.dir.clone())
        .or_else(|| found.as_ref().map(|f| f.path.clone()))
        .unwrap_or_else(|| PathBuf::from(default));
    let absolute = cwd.join(&dir);
    let repo = open(&absolute, Access::Write)?;
    let date = super::commands::adr_date();
    let path = repo::init(&repo, layout, &date).map_err(op_error)?;
    // Like `adr init DIR`, remember a non-default directory in `.adr-dir`;
    // never rewrite one that exists.
    let is_default = found.is_some()
        || [ADR_TOOLS_DIR, MADR_DIR]
            .iter()
            .any(|d| dir == Path::new(d));
    let marker = cwd.join(".adr-dir");
    if !is_default && !marker.exists() {
        crate::fsio::create_new(&marker, &format!("{}\n", dir.display())).map_err(|e| {
            Failure::CantCreate {
                path: marker.display().to_string(),
                reason: super::commands::io_reason(&e),
            }
        })?;
    }
    emit(&format!("{}\n", dir::relative(&path, cwd).display()))?;
    Ok(())
}

/// The template of `adr new`: `--template`, `ADR_TEMPLATE`, the directory's
/// `templates/template.md` (adr-tools'), or, in a log4brains directory,
/// its `template.md`.
fn load_template(
    flag: Option<&Path>,
    dir: &Path,
    log4brains: bool,
) -> Result<Option<(String, String)>> {
    let env = std::env::var("ADR_TEMPLATE")
        .ok()
        .filter(|t| !t.is_empty())
        .map(PathBuf::from);
    let project = dir.join("templates/template.md");
    let log4brains_template = dir.join("template.md");
    let path = match (flag, env) {
        (Some(p), _) => Some(p.to_path_buf()),
        (None, Some(p)) => Some(p),
        (None, None) if project.is_file() => Some(project),
        (None, None) if log4brains && log4brains_template.is_file() => Some(log4brains_template),
        _ => None,
    };
    let Some(path) = path else {
        return Ok(None);
    };
    let text = read_template(&path)?;
    Ok(Some((path.display().to_string(), text)))
}

/// A file the user named, or a clear error (exit 66).
fn read_file(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| {
        Failure::NoInput {
            path: path.display().to_string(),
            reason: e.to_string(),
        }
        .into()
    })
}

/// A template's text: a file that cannot be read exits 66, one that is not
/// UTF-8 text or larger than the input limit is invalid data (65).
fn read_template(path: &Path) -> Result<String> {
    let read = std::fs::File::open(path).and_then(crate::source::read_bytes_capped);
    let bytes = match read {
        Err(e) if e.kind() == std::io::ErrorKind::FileTooLarge => {
            let name = path.display().to_string();
            return Err(DataError::single(crate::diagnostic::too_large(&name, "templates")).into());
        }
        read => read.map_err(|e| Failure::NoInput {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?,
    };
    String::from_utf8(bytes).map_err(|_| {
        let name = path.display().to_string();
        DataError::single(
            Diagnostic::error(format!("the template `{name}` is not UTF-8 text"))
                .in_file(name)
                .help("templates are read as UTF-8 text"),
        )
        .into()
    })
}

/// How `decide --adr` writes its records.
#[derive(Debug, Default)]
pub(super) struct RecordOptions<'a> {
    /// `--adr-template FILE`.
    pub template: Option<&'a Path>,
    /// `--adr-title FORMAT`.
    pub title: Option<&'a str>,
    /// `--dry-run`: say what would be written, write nothing.
    pub dry_run: bool,
}

/// One topic's part in `decide --adr`: its record, or why it has none.
enum Planned {
    Record(Box<RecordContext>),
    /// A topic with no record: its id and why, in a few words.
    NoRecord(String, String),
}

/// Writes one record per decided topic into `dir`, in the template's layout,
/// else the directory's `templates/decide.md`, else the built-in layout of
/// the records already there (MADR for a new directory). Every record is
/// rendered before the first is written, so a template that fails leaves
/// no record behind; a decision already on record is not written again,
/// and one whose verdict changed supersedes its old record.
pub(super) fn write_decisions(
    decision: &DecisionRun<'_>,
    dir: &Path,
    options: &RecordOptions<'_>,
) -> Result<()> {
    let cwd = std::env::current_dir().unwrap_or_default();
    let access = if options.dry_run {
        Access::Read
    } else {
        Access::Write
    };
    let repo = open(dir, access)?;
    let layout = repo.layout().unwrap_or(Layout::Madr);
    let template = record_template(options.template, dir, layout, &cwd)?;
    let planned = plan_records(decision, &repo, &template, options.title)?;
    let mut predicted = crate::adr::next_number(dir).unwrap_or(1);
    for plan in planned {
        match plan {
            Planned::Record(context) if options.dry_run => {
                dry_run_one(&repo, &context, &mut predicted, &cwd);
            }
            Planned::Record(context) => write_one(&repo, &template, &context, &cwd)?,
            Planned::NoRecord(topic, why) => status(&format!("no record for `{topic}`: {why}")),
        }
    }
    Ok(())
}

/// Each topic's record, rendered once (numbered from the next free number)
/// so that a template error stops `decide` before anything is written.
fn plan_records(
    decision: &DecisionRun<'_>,
    repo: &Repo,
    template: &RecordTemplate,
    title: Option<&str>,
) -> Result<Vec<Planned>> {
    let date = super::commands::adr_date();
    let first = crate::adr::next_number(&repo.dir).unwrap_or(1);
    let mut planned = Vec::new();
    let mut warned = false;
    let mut number = first;
    for (topic, outcome) in decision.topics() {
        let Some(mut context) = RecordContext::new(decision, topic, outcome, &date, number) else {
            planned.push(Planned::NoRecord(
                topic.id.to_string(),
                crate::report::adr::no_record_reason(topic, outcome),
            ));
            continue;
        };
        number += 1;
        if let Some(format) = title {
            context.retitle(format);
        }
        let text = template.render(&context).map_err(|e| template_error(&e))?;
        if !warned && !matches!(crate::adr::block::Block::find(&text), Some(Ok(_))) {
            status(&format!(
                "warning: `{}` leaves out `{{{{ block }}}}`: `tradeoff adr review` cannot re-run its records, \
                 and `decide --adr` cannot tell that a decision is already on record",
                template.name()
            ));
            warned = true;
        }
        planned.push(Planned::Record(Box::new(context)));
    }
    Ok(planned)
}

/// The layout `decide --adr` writes with: `--adr-template FILE`, else the
/// ADR directory's `templates/decide.md`, else the built-in one for `layout`.
fn record_template(
    flag: Option<&Path>,
    dir: &Path,
    layout: Layout,
    cwd: &Path,
) -> Result<RecordTemplate> {
    let project = dir.join(DECIDE_TEMPLATE);
    let path = match flag {
        Some(path) => path.to_path_buf(),
        None if project.is_file() => project,
        None => return RecordTemplate::builtin(layout).map_err(|e| template_error(&e)),
    };
    let text = read_template(&path)?;
    let name = dir::relative(&path, cwd).display().to_string();
    RecordTemplate::new(&name, &text).map_err(|e| template_error(&e))
}

/// Writes one record, unless its decision is already on record.
fn write_one(
    repo: &Repo,
    template: &RecordTemplate,
    context: &RecordContext,
    cwd: &Path,
) -> Result<()> {
    let written = decisions::write(
        repo,
        &context.title,
        &context.date,
        context.data_block(),
        |number| {
            let mut numbered = context.clone();
            numbered.number = number;
            template.render(&numbered).map_err(OpError::from)
        },
    )
    .map_err(op_error)?;
    let shown = dir::relative(&written.path, cwd);
    match &written.plan {
        Plan::Create => status(&format!("created {}", shown.display())),
        Plan::Unchanged(_) => status(&format!(
            "unchanged {} (already records this decision)",
            shown.display()
        )),
        Plan::Supersede(old) => status(&format!(
            "created {}, superseding {} (the verdict changed)",
            shown.display(),
            old.join(", ")
        )),
    }
    Ok(())
}

/// What `decide --adr --dry-run` would do for one record.
fn dry_run_one(repo: &Repo, context: &RecordContext, predicted: &mut u32, cwd: &Path) {
    let plan = decisions::plan(repo, context.data_block());
    let new_name = || {
        if repo.log4brains {
            crate::adr::dated_file_name(&context.date, &context.title)
        } else {
            crate::adr::file_name(*predicted, &context.title)
        }
    };
    let shown = |name: &str| {
        dir::relative(&repo.dir.join(name), cwd)
            .display()
            .to_string()
    };
    let line = match &plan {
        Plan::Create => format!("would create {}", shown(&new_name())),
        Plan::Unchanged(name) => format!(
            "would leave {} unchanged (already records this decision)",
            shown(name)
        ),
        Plan::Supersede(old) => format!(
            "would create {}, superseding {} (the verdict changed)",
            shown(&new_name()),
            old.join(", ")
        ),
    };
    if !matches!(plan, Plan::Unchanged(_)) {
        *predicted += 1;
    }
    status(&line);
}

/// `VISUAL`, then `EDITOR`, as adr-tools runs them, on the path as printed;
/// a failing editor is reported, not fatal.
fn open_editor(path: &Path) {
    let editor = ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .find(|e| !e.trim().is_empty());
    if let Some(editor) = editor {
        let ran = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("{editor} \"$1\""))
            .arg("sh")
            .arg(path)
            .status();
        if !ran.is_ok_and(|s| s.success()) {
            status(&format!(
                "warning: the editor `{editor}` did not finish cleanly"
            ));
        }
    }
}

fn list_text(repo: &Repo) -> String {
    let mut out = String::new();
    for entry in &repo.entries {
        match &entry.parsed {
            Ok(r) => out.push_str(&format!(
                "{:>4}  {:<12} {:<10}  {}\n",
                r.number.map_or_else(|| "-".to_owned(), |n| n.to_string()),
                r.status_word().unwrap_or_else(|| "-".to_owned()),
                r.date.as_deref().unwrap_or("-"),
                r.title
            )),
            Err(m) => out.push_str(&format!(
                "{:>4}  unreadable: {} ({})\n",
                "?", entry.name, m.0
            )),
        }
    }
    out
}
