//! `tradeoff adr ...`: decision records over their life, in the
//! repositories teams already have (adr-tools and MADR layouts), and the
//! records `decide --adr` writes into them.

use super::Failure;
use super::args::{AdrArgs, AdrCommand, AdrFormatArg, GraphFormat, ListFormat};
use super::output::{emit, status};
use crate::adr::record::Format;
use crate::adr::repo::{self, NewRecord, OpError, Repo};
use crate::adr::template::{Place, TemplateError};
use crate::adr::{self, Written, dir, review};
use crate::diagnostic::{DataError, Diagnostic};
use crate::report::DecisionRun;
use crate::report::adr::{RecordContext, RecordTemplate};
use crate::rulebase::RuleBase;
use crate::source::{SourceFile, Span};
use anyhow::Result;
use std::path::{Path, PathBuf};

/// Where a team keeps its own layout for the records `decide --adr` writes,
/// in the ADR directory (beside adr-tools' `templates/template.md`, which is
/// `adr new`'s).
const DECIDE_TEMPLATE: &str = "templates/decide.md";

pub fn run(args: &AdrArgs, rules: impl Fn() -> Result<RuleBase>) -> Result<()> {
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
            let repo = open(&adr_dir(args, &cwd, false)?)?;
            repo::link(&repo, source, link, target, reverse).map_err(op_error)?;
            Ok(())
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
        AdrCommand::Check { format } => check(args, &cwd, *format),
        AdrCommand::Renumber { dry_run } => renumber(args, &cwd, *dry_run),
        AdrCommand::Review { format } => review(args, &cwd, *format, rules),
    }
}

impl From<AdrFormatArg> for Format {
    fn from(f: AdrFormatArg) -> Self {
        match f {
            AdrFormatArg::Madr => Format::Madr,
            AdrFormatArg::Nygard => Format::Nygard,
        }
    }
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

/// `adr new`: an empty record from a template, opened in the editor.
fn new(args: &AdrArgs, cwd: &Path, flags: &NewFlags<'_>) -> Result<()> {
    let dir = adr_dir(args, cwd, true)?;
    let repo = open(&dir)?;
    let format = repo.format().unwrap_or_else(|| match flags.format {
        Some(f) => f.into(),
        None => default_format(&dir),
    });
    let template = load_template(flags.template, &dir)?;
    let title = flags.title.join(" ");
    let date = super::commands::adr_date();
    let path = repo::new_record(
        &repo,
        &NewRecord {
            title: &title,
            date: &date,
            status: flags.status,
            format,
            template,
            supersede: flags.supersede,
            links: flags.link,
        },
    )
    .map_err(op_error)?;
    emit(&format!("{}\n", dir::relative(&path, cwd).display()))?;
    open_editor(&path);
    Ok(())
}

/// `adr list`: number, status, date and title of every record.
fn list(args: &AdrArgs, cwd: &Path, format: ListFormat) -> Result<()> {
    let repo = open(&adr_dir(args, cwd, false)?)?;
    let text = match format {
        ListFormat::Text => list_text(&repo),
        ListFormat::Json => {
            let records: Vec<_> = repo.records().collect();
            serde_json::to_string_pretty(&records)? + "\n"
        }
    };
    emit(&text)?;
    Ok(())
}

/// `adr status ID STATUS`.
fn set_status(args: &AdrArgs, cwd: &Path, id: &str, new: &str) -> Result<()> {
    let repo = open(&adr_dir(args, cwd, false)?)?;
    let path = repo::set_status(&repo, id, new).map_err(op_error)?;
    status(&format!("{}: {new}", dir::relative(&path, cwd).display()));
    Ok(())
}

/// `adr supersede OLD NEW`.
fn supersede(args: &AdrArgs, cwd: &Path, old: &str, new: &str) -> Result<()> {
    let repo = open(&adr_dir(args, cwd, false)?)?;
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
    let repo = open(&adr_dir(args, cwd, false)?)?;
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
    let repo = open(&adr_dir(args, cwd, false)?)?;
    let text = match format {
        GraphFormat::Dot => repo::graph_dot(&repo, prefix.unwrap_or(""), extension),
        GraphFormat::Mermaid => repo::graph_mermaid(&repo),
    };
    emit(&text)?;
    Ok(())
}

/// `adr check`: the directory's problems; exits 1 when any is an error.
fn check(args: &AdrArgs, cwd: &Path, format: ListFormat) -> Result<()> {
    let repo = open(&adr_dir(args, cwd, false)?)?;
    let problems = repo::check(&repo);
    let errors = problems.iter().filter(|p| p.error).count();
    let text = match format {
        ListFormat::Json => serde_json::to_string_pretty(&problems)? + "\n",
        ListFormat::Text => {
            let mut out = String::new();
            for p in &problems {
                let level = if p.error { "error" } else { "warning" };
                out.push_str(&format!("{level}: {}: {}\n", p.file, p.message));
            }
            out.push_str(&format!(
                "{} records checked in {}: {errors} errors, {} warnings\n",
                repo.entries.len(),
                dir::relative(&repo.dir, cwd).display(),
                problems.len() - errors
            ));
            out
        }
    };
    emit(&text)?;
    if errors > 0 {
        return Err(Failure::Check(format!("{errors} problems in the decision records")).into());
    }
    Ok(())
}

/// `adr renumber`: records that share a number get the next free ones.
fn renumber(args: &AdrArgs, cwd: &Path, dry_run: bool) -> Result<()> {
    let repo = open(&adr_dir(args, cwd, false)?)?;
    let moves = repo::renumber(&repo, dry_run).map_err(op_error)?;
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
    rules: impl Fn() -> Result<RuleBase>,
) -> Result<()> {
    let rb = rules()?;
    let repo = open(&adr_dir(args, cwd, false)?)?;
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
        return Err(Failure::Check(format!("{drift} decisions no longer hold as recorded")).into());
    }
    Ok(())
}

/// `doc/adr` is adr-tools' directory: records there are Nygard's; elsewhere MADR.
fn default_format(dir: &Path) -> Format {
    if dir.ends_with("doc/adr") {
        Format::Nygard
    } else {
        Format::Madr
    }
}

/// The ADR directory: `--dir`, else found by walking up, else (when creating)
/// MADR's default `docs/decisions`.
fn adr_dir(args: &AdrArgs, cwd: &Path, creating: bool) -> Result<PathBuf> {
    if let Some(dir) = &args.dir {
        return Ok(dir.clone());
    }
    if let Some(found) = dir::find(cwd) {
        return Ok(found.dir);
    }
    if creating {
        return Ok(cwd.join("docs/decisions"));
    }
    Err(Failure::NoInput {
        path: cwd.display().to_string(),
        reason: "no decision records found: looked for .adr-dir, doc/adr and docs/decisions here and in every parent; \
                 run `tradeoff adr init` or pass --dir DIR"
            .to_owned(),
    }
    .into())
}

fn open(dir: &Path) -> Result<Repo> {
    Repo::open(dir).map_err(|e| {
        Failure::NoInput {
            path: dir.display().to_string(),
            reason: e.to_string(),
        }
        .into()
    })
}

fn op_error(e: OpError) -> anyhow::Error {
    match e {
        OpError::Usage(m) => Failure::Usage(m).into(),
        OpError::Malformed { .. } => Failure::Check(e.to_string()).into(),
        OpError::Template(t) => template_error(&t),
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

fn init(
    args: &AdrArgs,
    cwd: &Path,
    target: Option<&Path>,
    format: Option<AdrFormatArg>,
) -> Result<()> {
    let format: Format = format.map_or(Format::Madr, Into::into);
    let default = match format {
        Format::Nygard => "doc/adr",
        _ => "docs/decisions",
    };
    let dir = target
        .map(Path::to_path_buf)
        .or_else(|| args.dir.clone())
        .unwrap_or_else(|| PathBuf::from(default));
    let absolute = cwd.join(&dir);
    let date = super::commands::adr_date();
    let path = repo::init(&absolute, format, &date).map_err(op_error)?;
    // Like `adr init DIR`, remember a non-default directory in `.adr-dir`;
    // never rewrite one that exists.
    let is_default = ["doc/adr", "docs/decisions"]
        .iter()
        .any(|d| dir == Path::new(d));
    let marker = cwd.join(".adr-dir");
    if !is_default && !marker.exists() {
        std::fs::write(&marker, format!("{}\n", dir.display())).map_err(|e| {
            Failure::CantCreate {
                path: marker.display().to_string(),
                reason: e.to_string(),
            }
        })?;
    }
    emit(&format!("{}\n", dir::relative(&path, cwd).display()))?;
    Ok(())
}

fn load_template(flag: Option<&Path>, dir: &Path) -> Result<Option<(String, String)>> {
    let env = std::env::var("ADR_TEMPLATE")
        .ok()
        .filter(|t| !t.is_empty())
        .map(PathBuf::from);
    let project = dir.join("templates/template.md");
    let path = match (flag, env) {
        (Some(p), _) => Some(p.to_path_buf()),
        (None, Some(p)) => Some(p),
        (None, None) if project.is_file() => Some(project),
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
/// UTF-8 text is invalid data (65).
fn read_template(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| Failure::NoInput {
        path: path.display().to_string(),
        reason: e.to_string(),
    })?;
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

/// One topic's part in `decide --adr`: its record, or why it has none.
enum Planned {
    Record(Box<RecordContext>),
    NoSurvivor(String),
}

/// Writes one record per decided topic into `dir`, in `template`'s layout,
/// else the directory's `templates/decide.md`, else the built-in layout of
/// the records already there (MADR for a new directory). Every record is
/// rendered before the first is written, so a template that fails leaves
/// no record behind; a decision already on record is not written again.
pub(super) fn write_decisions(
    decision: &DecisionRun<'_>,
    dir: &Path,
    template: Option<&Path>,
) -> Result<()> {
    let cwd = std::env::current_dir().unwrap_or_default();
    let format = Repo::open(dir)
        .ok()
        .and_then(|r| r.format())
        .unwrap_or(Format::Madr);
    let template = record_template(template, dir, format, &cwd)?;
    for plan in plan_records(decision, dir, &template)? {
        match plan {
            Planned::Record(context) => write_one(dir, &template, &context, &cwd)?,
            Planned::NoSurvivor(topic) => status(&format!(
                "no record for `{topic}`: no option survives the knock-out rules"
            )),
        }
    }
    Ok(())
}

/// Each topic's record, rendered once (numbered from the next free number)
/// so that a template error stops `decide` before anything is written.
fn plan_records(
    decision: &DecisionRun<'_>,
    dir: &Path,
    template: &RecordTemplate,
) -> Result<Vec<Planned>> {
    let date = super::commands::adr_date();
    let first = adr::next_number(dir).unwrap_or(1);
    let mut planned = Vec::new();
    let mut warned = false;
    for (number, (topic, outcome)) in (first..).zip(decision.topics()) {
        let Some(context) = RecordContext::new(decision, topic, outcome, &date, number) else {
            planned.push(Planned::NoSurvivor(topic.id.to_string()));
            continue;
        };
        let text = template.render(&context).map_err(|e| template_error(&e))?;
        if !warned && !matches!(adr::block::Block::find(&text), Some(Ok(_))) {
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
/// ADR directory's `templates/decide.md`, else the built-in one for `format`.
fn record_template(
    flag: Option<&Path>,
    dir: &Path,
    format: Format,
    cwd: &Path,
) -> Result<RecordTemplate> {
    let project = dir.join(DECIDE_TEMPLATE);
    let path = match flag {
        Some(path) => path.to_path_buf(),
        None if project.is_file() => project,
        None => return RecordTemplate::builtin(format).map_err(|e| template_error(&e)),
    };
    let text = read_template(&path)?;
    let name = dir::relative(&path, cwd).display().to_string();
    RecordTemplate::new(&name, &text).map_err(|e| template_error(&e))
}

/// Writes one record, unless its decision is already on record.
fn write_one(
    dir: &Path,
    template: &RecordTemplate,
    context: &RecordContext,
    cwd: &Path,
) -> Result<()> {
    let written = adr::write_decision(dir, &context.title, context.data_block(), |number| {
        let mut numbered = context.clone();
        numbered.number = number;
        template.render(&numbered).map_err(OpError::from)
    })
    .map_err(|e| match e {
        OpError::Io(io) => Failure::CantCreate {
            path: dir.display().to_string(),
            reason: super::commands::io_reason(&io),
        }
        .into(),
        other => op_error(other),
    })?;
    match written {
        Written::Created(path) => {
            status(&format!("created {}", dir::relative(&path, cwd).display()))
        }
        Written::Unchanged(path) => status(&format!(
            "unchanged {} (already records this decision)",
            dir::relative(&path, cwd).display()
        )),
    }
    Ok(())
}

/// `VISUAL`, then `EDITOR`, as adr-tools runs them; a failing editor is reported, not fatal.
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
