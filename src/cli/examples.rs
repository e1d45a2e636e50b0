//! The examples at the foot of each command's `--help`: a command or two a
//! newcomer can copy, each of which runs as printed from a clone of the
//! repository (the examples/ files ship with it).

pub const MAIN: &str = "\
Examples:
  tradeoff                                        # an interactive session
  tradeoff decide --answers examples/saas-startup.toml
  tradeoff questions --format toml > answers.toml # a questionnaire to fill in
  tradeoff help decide                            # every option of a command";

pub const ASK: &str = "\
Examples:
  tradeoff ask --topic caching --topic cache-technology
  tradeoff ask --answers examples/saas-startup.toml --set peak_rps=5000
  tradeoff ask --resume                           # continue where you stopped";

pub const MENTOR: &str = "\
Examples:
  tradeoff mentor --topic caching --summary caching-session.md";

pub const DECIDE: &str = "\
Examples:
  tradeoff decide --answers examples/saas-startup.toml --summary
  tradeoff decide --answers examples/saas-startup.toml --topic caching --set peak_rps=5000
  tradeoff decide --answers examples/catalogue.toml --format markdown > decision.md
  tradeoff decide --answers examples/catalogue.toml --topic caching --adr docs/decisions
  tradeoff decide --from-adr docs/decisions/0001-caching-strategy-cache-aside.md";

pub const EXPLAIN: &str = "\
Examples:
  tradeoff explain --answers examples/saas-startup.toml --topic caching";

pub const QUESTIONS: &str = "\
Examples:
  tradeoff questions --topic caching
  tradeoff questions --format toml > answers.toml";

pub const TOPICS: &str = "\
Examples:
  tradeoff topics
  tradeoff topics --format json";

pub const RULES: &str = "\
Examples:
  tradeoff rules list --topic caching
  tradeoff rules show cache-aside-is-the-default-pattern
  tradeoff rules export my-rules && tradeoff --rules my-rules rules check";

pub const ADR: &str = "\
Examples:
  tradeoff adr init
  tradeoff adr new Use PostgreSQL for billing
  tradeoff adr review                             # do the recorded decisions still hold?";

pub const DIFF: &str = "\
Examples:
  tradeoff diff examples/saas-startup.toml examples/catalogue.toml
  tradeoff diff --rules my-rules --answers examples/saas-startup.toml";

pub const MERGE: &str = "\
Examples:
  tradeoff merge lead.toml backend.toml ops.toml -o merged.toml";

pub const COMPLETIONS: &str = "\
Examples:
  source <(tradeoff completions bash)             # bash, for this shell
  tradeoff completions zsh > ~/.zfunc/_tradeoff   # zsh, with ~/.zfunc in $fpath
  tradeoff completions fish > ~/.config/fish/completions/tradeoff.fish";

pub const MAN: &str = "\
Examples:
  tradeoff man | man -l -
  tradeoff man > ~/.local/share/man/man1/tradeoff.1";
