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
    /// Use the rule base in DIR instead of the built-in one (see `tradeoff rules export`)
    #[arg(long, global = true, value_name = "DIR", env = "TRADEOFF_RULES")]
    pub rules: Option<PathBuf>,

    /// When to use colours: auto follows the terminal and NO_COLOR
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
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
}

/// Where answers come from: a file and `--set` flags.
#[derive(Debug, Args)]
pub struct AnswerArgs {
    /// The answers file (TOML); `-` reads standard input
    #[arg(long, short = 'a', value_name = "FILE")]
    pub answers: Option<PathBuf>,

    /// Set or override one answer, e.g. --set team_size=8 (repeatable)
    #[arg(long = "set", value_name = "ID=VALUE")]
    pub set: Vec<String>,
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

    /// Also write one decision record (MADR) per topic into DIR
    #[arg(long, value_name = "DIR")]
    pub adr: Option<PathBuf>,
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
    /// Validate the rule base (the built-in one, or --rules DIR) and summarise it
    Check,
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
        /// Scenario files or directories of them [default: tests/scenarios]
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
