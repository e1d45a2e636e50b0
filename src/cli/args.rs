//! Command-line arguments (clap derive).
//!
//! Options that every command takes (`--rules`, `--rules-pack`, `--color`)
//! are global and shown under their own heading, once. Plain `tradeoff` is
//! `tradeoff ask`, so it takes `ask`'s options too (`tradeoff --resume`).

use super::examples;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// The heading the global options are listed under in every `--help`.
pub(super) const GLOBAL: &str = "Global options";

/// A command-line advisor for system-design decisions.
///
/// Answer questions about your system (in an answers file, or with --set);
/// tradeoff scores the options of each decision topic with a rule base of
/// sourced heuristics, explains every point, says what would change the
/// verdict, and writes Architecture Decision Records.
#[derive(Debug, Parser)]
#[command(
    name = "tradeoff",
    version,
    max_term_width = 100,
    after_help = examples::MAIN
)]
pub struct Cli {
    /// Without a command, the options of `tradeoff ask`.
    #[command(
        flatten,
        next_help_heading = "Options of the session (`tradeoff` alone is `tradeoff ask`)"
    )]
    pub ask: AskArgs,

    /// Use the rule base in DIR instead of the built-in one (see `tradeoff rules export`);
    /// `diff` takes it twice, old then new
    #[arg(
        long,
        global = true,
        value_name = "DIR",
        env = "TRADEOFF_RULES",
        help_heading = GLOBAL
    )]
    pub rules: Vec<PathBuf>,

    /// Layer the rule pack in DIR over the rule base (repeatable, applied in order);
    /// default: TRADEOFF_RULES_PACK, a list of directories as in PATH
    #[arg(long = "rules-pack", global = true, value_name = "DIR", help_heading = GLOBAL)]
    pub rules_pack: Vec<PathBuf>,

    /// When to use colours: auto follows the terminal and NO_COLOR
    #[arg(
        long,
        global = true,
        value_enum,
        default_value_t = ColorChoice::Auto,
        value_name = "WHEN",
        help_heading = GLOBAL
    )]
    pub color: ColorChoice,

    /// What to do [default: ask, an interactive session]
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Answer the questions at the terminal, see the verdict, save answers and ADRs
    #[command(after_help = examples::ASK)]
    Ask(AskArgs),
    /// A guided session: why each question matters, predict each verdict, compare
    #[command(after_help = examples::MENTOR)]
    Mentor(SessionArgs),
    /// Rank the options of each topic from an answers file, and write ADRs
    #[command(after_help = examples::DECIDE)]
    Decide(DecideArgs),
    /// Show the whole trace of one topic: every rule, fired or not, and why
    #[command(after_help = examples::EXPLAIN)]
    Explain(ExplainArgs),
    /// Show the questionnaire, or print an answers file to fill in
    #[command(after_help = examples::QUESTIONS)]
    Questions(QuestionsArgs),
    /// List the decision topics
    #[command(after_help = examples::TOPICS)]
    Topics(TopicsArgs),
    /// Work with the rule base itself
    #[command(subcommand, after_help = examples::RULES)]
    Rules(RulesCommand),
    /// Manage decision records (adr-tools and MADR compatible)
    #[command(after_help = examples::ADR)]
    Adr(AdrArgs),
    /// Compare two answers files, or two rule bases, and say which recommendations change and why
    #[command(after_help = examples::DIFF)]
    Diff(DiffArgs),
    /// Combine several people's answers files: disagreements, their impact, a merged file
    #[command(after_help = examples::MERGE)]
    Merge(MergeArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish)
    #[command(after_help = examples::COMPLETIONS)]
    Completions {
        /// The shell to complete for
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), for `man -l -` or a man directory
    #[command(after_help = examples::MAN)]
    Man,
}

/// `tradeoff diff A.toml B.toml`, or `tradeoff diff --rules OLD --rules NEW --answers FILE`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// Two answers files to compare, old then new, under one rule base
    #[arg(value_name = "FILE", num_args = 0..=2)]
    pub files: Vec<PathBuf>,

    /// Compare two rule bases on this answers file: `--rules OLD --rules NEW`, or
    /// `--rules NEW` against the built-in rule base
    #[arg(long, short = 'a', value_name = "FILE")]
    pub answers: Option<PathBuf>,

    /// Compare only this topic (repeatable); default: the files' `topics`, else all
    #[arg(long = "topic", short = 't', value_name = "ID")]
    pub topics: Vec<String>,

    /// Output format
    #[arg(long, short = 'f', value_enum, default_value_t = DecideFormat::Table)]
    pub format: DecideFormat,
}

/// `tradeoff merge lead.toml backend.toml ops.toml -o merged.toml`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The answers files, the decision-maker's first (ties go to earlier files)
    #[arg(value_name = "FILE", num_args = 2.., required = true)]
    pub files: Vec<PathBuf>,

    /// Write the merged answers file to FILE (atomically)
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Replace FILE if it exists
    #[arg(long)]
    pub force: bool,

    /// Who makes the decision, e.g. --decision-makers alice,bob [default: the first file's person]
    #[arg(long, value_name = "NAME,...", value_delimiter = ',')]
    pub decision_makers: Vec<String>,

    /// Judge the disagreements' impact on these topics only (repeatable);
    /// default: the files' `topics`, else all
    #[arg(long = "topic", short = 't', value_name = "ID")]
    pub topics: Vec<String>,

    /// Format of the disagreement report
    #[arg(long, short = 'f', value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

#[derive(Debug, Args)]
pub struct AdrArgs {
    /// The ADR directory [default: found as adr-tools finds it, or docs/decisions]
    #[arg(long, global = true, value_name = "DIR")]
    pub dir: Option<PathBuf>,

    #[command(subcommand)]
    pub command: AdrCommand,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum AdrFormatArg {
    Madr,
    Nygard,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    Dot,
    Mermaid,
}

#[derive(Debug, Subcommand)]
pub enum AdrCommand {
    /// Create the ADR directory and its first record
    Init {
        /// The directory [default: docs/decisions, or doc/adr with --format nygard]
        dir: Option<PathBuf>,
        /// Layout of the records
        #[arg(long, value_enum)]
        format: Option<AdrFormatArg>,
    },
    /// Create an empty record for a decision made without the questionnaire
    New {
        /// The title, e.g. Use PostgreSQL for billing
        #[arg(num_args = 0..)]
        title: Vec<String>,
        /// Mark record REF superseded by the new one: a number or part of a file name (repeatable)
        #[arg(long, short = 's', value_name = "REF")]
        supersede: Vec<String>,
        /// Link to another record, as TARGET:LINK:REVERSE, e.g. 3:Amends:Amended by (repeatable)
        #[arg(long, short = 'l', value_name = "TARGET:LINK:REVERSE")]
        link: Vec<String>,
        /// Status [default: Accepted (Nygard, as adr-tools) or proposed (MADR)]
        #[arg(long)]
        status: Option<String>,
        /// Template file [default: $ADR_TEMPLATE, then DIR/templates/template.md]
        #[arg(long, value_name = "FILE")]
        template: Option<PathBuf>,
        /// Layout for a directory that has no records yet
        #[arg(long, value_enum)]
        format: Option<AdrFormatArg>,
    },
    /// List the records: number, status, date, title (or their paths, as adr-tools lists them)
    List {
        /// text: a table; paths: one path per line, as adr-tools prints them for scripts
        #[arg(long, short = 'f', value_enum, default_value_t = AdrListFormat::Text)]
        format: AdrListFormat,
    },
    /// Set a record's status: proposed, accepted, rejected, deprecated or superseded
    Status {
        /// The record: its number (3, 0003) or file name
        id: String,
        /// The new status, e.g. accepted
        status: String,
    },
    /// Mark OLD superseded by NEW, editing both records
    Supersede {
        /// The record that no longer holds: its number or file name
        old: String,
        /// The record that replaces it: its number or file name
        new: String,
    },
    /// Link SOURCE to TARGET (e.g. 3 Amends 1 "Amended by"), editing both
    Link {
        /// The record the link starts from: its number or file name
        source: String,
        /// How SOURCE reads the link, e.g. Amends
        link: String,
        /// The record the link points to: its number or file name
        target: String,
        /// How TARGET reads it back, e.g. "Amended by"
        reverse: String,
    },
    /// Print a table of contents in adr-tools' format
    Toc {
        /// A file to put before the list
        #[arg(short = 'i', long)]
        intro: Option<PathBuf>,
        /// A file to put after the list
        #[arg(short = 'o', long)]
        outro: Option<PathBuf>,
        /// Prefix for each link
        #[arg(short = 'p', long)]
        prefix: Option<String>,
    },
    /// Print the links between records as Graphviz DOT or Mermaid
    Graph {
        /// Output format
        #[arg(long, short = 'f', value_enum, default_value_t = GraphFormat::Dot)]
        format: GraphFormat,
        /// Prefix for each node's URL (DOT)
        #[arg(short = 'p', long)]
        prefix: Option<String>,
        /// Extension of each node's URL (DOT)
        #[arg(short = 'e', long = "extension", default_value = ".html")]
        extension: String,
    },
    /// Find duplicate numbers, broken links, conflicting and orphaned records, and files readers reject
    Check {
        /// Output format
        #[arg(long, short = 'f', value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
        /// Repair what needs no decision first: title numbers, links missing their other side
        #[arg(long)]
        fix: bool,
    },
    /// Give records that share a number the next free numbers, fixing links to them
    Renumber {
        /// Show what would change without changing anything
        #[arg(long)]
        dry_run: bool,
    },
    /// Re-evaluate every record tradeoff wrote under today's rule base and report drift
    Review {
        /// Output format
        #[arg(long, short = 'f', value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Bring records up to date with adr-tools' current conventions (dates as YYYY-MM-DD)
    UpgradeRepository,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum AdrListFormat {
    Text,
    Json,
    Paths,
}

/// `tradeoff ask`: a session, in mentor mode or not.
#[derive(Debug, Args, Default)]
pub struct AskArgs {
    #[command(flatten)]
    pub session: SessionArgs,

    /// Mentor mode (the same as `tradeoff mentor`)
    #[arg(long)]
    pub mentor: bool,
}

/// What `ask` and `mentor` share.
#[derive(Debug, Args, Default)]
pub struct SessionArgs {
    #[command(flatten)]
    pub input: AnswerArgs,

    /// Decide only this topic (repeatable); default: choose at the start
    #[arg(long = "topic", short = 't', value_name = "ID")]
    pub topics: Vec<String>,

    /// Continue the unfinished session
    #[arg(long)]
    pub resume: bool,

    /// Where the session is saved as it goes
    /// [default: a file for this directory under $XDG_STATE_HOME/tradeoff/sessions]
    #[arg(long, value_name = "FILE")]
    pub session: Option<PathBuf>,

    /// Mentor mode: write the session summary to FILE
    #[arg(long, value_name = "FILE")]
    pub summary: Option<PathBuf>,
}

/// Where answers come from: a file and `--set` flags.
#[derive(Debug, Args, Default)]
pub struct AnswerArgs {
    /// The answers file (TOML); `-` reads standard input
    #[arg(long, short = 'a', value_name = "FILE")]
    pub answers: Option<PathBuf>,

    /// Take the answers, topic and priorities a decision record keeps (one that
    /// `decide --adr` wrote), to re-run or revisit its decision
    #[arg(long, value_name = "FILE", conflicts_with = "answers")]
    pub from_adr: Option<PathBuf>,

    /// Set or override one answer, e.g. --set team_size=8 (repeatable)
    #[arg(long = "set", value_name = "ID=VALUE")]
    pub set: Vec<String>,

    /// Weigh quality attributes by a preset goal (repeatable); priorities tilt close calls
    #[arg(long, value_enum, value_name = "GOAL")]
    pub optimize: Vec<crate::priorities::Preset>,

    /// Weigh one quality attribute 0-3, e.g. --weight latency=2 (repeatable; wins over --optimize)
    #[arg(long = "weight", value_name = "ATTRIBUTE=N")]
    pub weights: Vec<String>,

    /// Apply an organisation policy: radar rings or required/forbidden technologies
    #[arg(long, value_name = "FILE", env = "TRADEOFF_POLICY")]
    pub policy: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct DecideArgs {
    #[command(flatten)]
    pub input: AnswerArgs,

    /// Decide only this topic (repeatable); default: the file's `topics`, else all
    #[arg(long = "topic", short = 't', value_name = "ID")]
    pub topics: Vec<String>,

    /// Output format
    #[arg(long, short = 'f', value_enum, default_value_t = DecideFormat::Table)]
    pub format: DecideFormat,

    /// Print only the summary: each topic's verdict, the risks, the unknowns
    /// worth finding out (table and markdown)
    #[arg(long, conflicts_with = "quiet")]
    pub summary: bool,

    /// Print nothing but errors: for scripts that want the exit status or the records
    #[arg(long, short = 'q')]
    pub quiet: bool,

    /// Also write one decision record per topic, into DIR or the repository's ADR directory
    #[arg(long, value_name = "DIR", num_args = 0..=1)]
    pub adr: Option<Option<PathBuf>>,

    /// Write the records with this minijinja template (see docs/adr-templates.md)
    /// [default: DIR/templates/decide.md if there is one, else the built-in layout]
    #[arg(long, value_name = "FILE", requires = "adr")]
    pub adr_template: Option<PathBuf>,

    /// The records' titles, from {decision} ("Caching strategy: No cache"), {topic}, {choice}
    /// and {system} (the answers' title) [default: "{decision}, for {system}", or
    /// "{decision}" when the answers have no title]
    #[arg(long, value_name = "FORMAT", requires = "adr")]
    pub adr_title: Option<String>,

    /// With --adr: show which records would be created, left unchanged or superseded,
    /// and write nothing
    #[arg(long, requires = "adr")]
    pub dry_run: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DecideFormat {
    Table,
    Markdown,
    Json,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    #[command(flatten)]
    pub input: AnswerArgs,

    /// The topic to explain
    #[arg(long, short = 't', value_name = "ID")]
    pub topic: String,

    /// Output format
    #[arg(long, short = 'f', value_enum, default_value_t = ExplainFormat::Text)]
    pub format: ExplainFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExplainFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct QuestionsArgs {
    /// Only the questions these topics need (repeatable)
    #[arg(long = "topic", short = 't', value_name = "ID")]
    pub topics: Vec<String>,

    /// Output format; `toml` prints an answers file to fill in
    #[arg(long, short = 'f', value_enum, default_value_t = QuestionsFormat::Text)]
    pub format: QuestionsFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum QuestionsFormat {
    Text,
    Markdown,
    Json,
    Toml,
}

#[derive(Debug, Args)]
pub struct TopicsArgs {
    /// Output format
    #[arg(long, short = 'f', value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Validate and lint a rule base: every error and warning, with file, line and a fix
    Check(CheckArgs),
    /// List the rules, with their effects, by topic
    List {
        /// Only these topics (repeatable)
        #[arg(long = "topic", short = 't', value_name = "ID")]
        topics: Vec<String>,
        /// Output format
        #[arg(long, short = 'f', value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Show one rule whole: condition, effect, rationale, sources, questions it reads
    Show {
        /// The rule's id
        id: String,
    },
    /// Write the whole knowledge base as one Markdown catalogue
    Docs {
        /// Write to FILE (atomically) instead of standard output
        #[arg(long, short = 'o', value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Run scenario files (answers with expected verdicts) and report coverage
    Test {
        /// Scenario files, directories of them, or a rule pack (runs its scenarios/ over
        /// the rule base with the pack layered on) [default: tests/scenarios, or the pack
        /// given with --rules]
        paths: Vec<PathBuf>,
        /// Fail unless every option wins and every rule fires in some scenario
        #[arg(long)]
        require_coverage: bool,
    },
    /// Copy the rule base into DIR, to read, change and load with --rules DIR
    Export {
        /// Where to write it (created if missing; existing files are never overwritten)
        dir: PathBuf,
    },
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The rule base to check [default: --rules DIR, else the built-in one]
    pub dir: Option<PathBuf>,

    /// How to print problems: for people, or one JSON object per line for editors and CI
    #[arg(long, value_enum, default_value_t = ErrorFormat::Human, value_name = "FORMAT")]
    pub error_format: ErrorFormat,

    /// Exit with 1 when there are warnings
    #[arg(long)]
    pub deny_warnings: bool,

    /// Do not report this warning, by code, e.g. --allow unread-question (repeatable)
    #[arg(long, short = 'A', value_name = "CODE")]
    pub allow: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ErrorFormat {
    Human,
    Json,
}

impl Cli {
    /// Applies `--color` (NO_COLOR and CLICOLOR are honoured by `auto`).
    pub fn apply_color(&self) {
        match self.color {
            ColorChoice::Always => {
                console::set_colors_enabled(true);
                console::set_colors_enabled_stderr(true);
            }
            ColorChoice::Never => {
                console::set_colors_enabled(false);
                console::set_colors_enabled_stderr(false);
            }
            ColorChoice::Auto => {}
        }
    }
}
