//! Command-line arguments (clap derive).

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// A command-line advisor for system-design decisions.
///
/// Answer questions about your system (in an answers file, or with --set);
/// tradeoff scores the options of each decision topic with a rule base of
/// sourced heuristics, explains every point, says what would change the
/// verdict, and writes Architecture Decision Records.
#[derive(Debug, Parser)]
#[command(name = "tradeoff", version, max_term_width = 100)]
pub struct Cli {
    /// Use the rule base in DIR instead of the built-in one (see `tradeoff rules export`);
    /// `diff` takes it twice, old then new
    #[arg(long, global = true, value_name = "DIR", env = "TRADEOFF_RULES")]
    pub rules: Vec<PathBuf>,

    /// Layer the rule pack in DIR over the rule base (repeatable, applied in order);
    /// default: TRADEOFF_RULES_PACK, a list of directories as in PATH
    #[arg(long = "rules-pack", global = true, value_name = "DIR")]
    pub rules_pack: Vec<PathBuf>,

    /// When to use colours: auto follows the terminal and NO_COLOR
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
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
    Ask(AskArgs),
    /// A guided session: why each question matters, predict each verdict, compare
    Mentor(AskArgs),
    /// Rank the options of each topic from an answers file, and write ADRs
    Decide(DecideArgs),
    /// Show the whole trace of one topic: every rule, fired or not, and why
    Explain(ExplainArgs),
    /// Show the questionnaire, or print an answers file to fill in
    Questions(QuestionsArgs),
    /// List the decision topics
    Topics(TopicsArgs),
    /// Work with the rule base itself
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Manage decision records (adr-tools and MADR compatible)
    Adr(AdrArgs),
    /// Compare two answers files, or two rule bases, and say which recommendations change and why
    Diff(DiffArgs),
    /// Combine several people's answers files: disagreements, their impact, a merged file
    Merge(MergeArgs),
    /// Infer answers from a repository's files, each with its evidence, for a person to confirm
    Scan(super::scan::ScanArgs),
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
        #[arg(required = true, num_args = 1..)]
        title: Vec<String>,
        /// Mark record N superseded by the new one (repeatable)
        #[arg(long, short = 's', value_name = "N")]
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
    /// List the records: number, status, date, title
    List {
        #[arg(long, short = 'f', value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Set a record's status: proposed, accepted, rejected, deprecated or superseded
    Status { id: String, status: String },
    /// Mark OLD superseded by NEW, editing both records
    Supersede { old: String, new: String },
    /// Link SOURCE to TARGET (e.g. 3 Amends 1 "Amended by"), editing both
    Link {
        source: String,
        link: String,
        target: String,
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
        #[arg(long, short = 'f', value_enum, default_value_t = GraphFormat::Dot)]
        format: GraphFormat,
        /// Prefix for each node's URL (DOT)
        #[arg(short = 'p', long)]
        prefix: Option<String>,
        /// Extension of each node's URL (DOT)
        #[arg(short = 'e', long = "extension", default_value = ".html")]
        extension: String,
    },
    /// Find duplicate numbers, broken links, orphaned supersessions and files readers reject
    Check {
        #[arg(long, short = 'f', value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Give records that share a number the next free numbers, fixing links to them
    Renumber {
        /// Show what would change without changing anything
        #[arg(long)]
        dry_run: bool,
    },
    /// Re-evaluate every record tradeoff wrote under today's rule base and report drift
    Review {
        #[arg(long, short = 'f', value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
}

#[derive(Debug, Args, Default)]
pub struct AskArgs {
    #[command(flatten)]
    pub input: AnswerArgs,

    /// Decide only this topic (repeatable); default: choose at the start
    #[arg(long = "topic", short = 't', value_name = "ID")]
    pub topics: Vec<String>,

    /// Mentor mode (the same as `tradeoff mentor`)
    #[arg(long)]
    pub mentor: bool,

    /// Continue the unfinished session
    #[arg(long)]
    pub resume: bool,

    /// Where the session is saved as it goes [default: .tradeoff-session.toml]
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

    /// Also write one decision record per topic, into DIR or the repository's ADR directory
    #[arg(long, value_name = "DIR", num_args = 0..=1)]
    pub adr: Option<Option<PathBuf>>,

    /// Write the records with this minijinja template (see docs/adr-templates.md)
    /// [default: DIR/templates/decide.md if there is one, else the built-in layout]
    #[arg(long, value_name = "FILE", requires = "adr")]
    pub adr_template: Option<PathBuf>,
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
