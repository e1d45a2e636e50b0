//! A scenario suite: every scenario file in a set of paths, run against one
//! rule base, with what the whole suite covers.
//!
//! `tradeoff rules test` and the project's own test of `tests/scenarios/`
//! run the same suite, so the command a rule author runs and the test that
//! guards the built-in rule base cannot drift apart. The suite finds the
//! files ([`find_files`]), runs each one that the caller has read
//! ([`Suite::run`]), gathers which options won and which rules fired
//! ([`Coverage`]), narrowed to one rule pack when a pack is under test, and
//! renders the report `rules test` prints ([`Suite::render`]). Reading the
//! files is left to the caller, which knows how to name them and how to
//! report a file that cannot be read.

use super::Scenario;
use crate::diagnostic::{DataError, Diagnostic};
use crate::eval::{Evaluation, Verdict};
use crate::ids::{OptionId, RuleId, TopicId};
use crate::rulebase::RuleBase;
use crate::rulebase::load::toml_entries;
use crate::rulebase::pack::PackInfo;
use crate::source::SourceFile;
use std::collections::BTreeSet;
use std::io;
use std::path::PathBuf;
use std::sync::Arc;

/// Where a rule base keeps its scenarios, by convention.
pub const DEFAULT_DIR: &str = "tests/scenarios";

/// Why no scenario files could be listed.
#[derive(Debug, thiserror::Error)]
pub enum FindError {
    /// A directory that cannot be listed.
    #[error("cannot read `{}`: {error}", path.display())]
    Unreadable { path: PathBuf, error: io::Error },
    /// The paths hold no scenario file at all.
    #[error("no scenario files (*.toml) found in {}", list_paths(paths))]
    Empty { paths: Vec<PathBuf> },
}

/// The paths, as one comma-separated list.
pub fn list_paths(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The scenario files `paths` name: each directory's `*.toml` files in name
/// order, and every other path as given.
pub fn find_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, FindError> {
    let mut files = Vec::new();
    for path in paths {
        if !path.is_dir() {
            files.push(path.clone());
            continue;
        }
        let found = toml_entries(path).map_err(|error| FindError::Unreadable {
            path: path.clone(),
            error,
        })?;
        files.extend(found);
    }
    if files.is_empty() {
        return Err(FindError::Empty {
            paths: paths.to_vec(),
        });
    }
    Ok(files)
}

/// How one scenario file fared.
#[derive(Debug)]
pub enum ScenarioResult {
    /// Every expectation held.
    Passed,
    /// The scenario ran; these expectations did not hold, one diagnostic each.
    Failed(Vec<Diagnostic>),
    /// The file is not a valid scenario, or its answers do not resolve.
    Invalid(DataError),
}

/// A suite that has run: each file's verdict, in order, and the coverage of
/// the scenarios that ran.
#[derive(Debug, Default)]
pub struct Suite {
    pub results: Vec<(String, ScenarioResult)>,
    pub coverage: Coverage,
    /// How the verdicts compare with real teams' choices, where named.
    pub agreement: super::agreement::Tally,
}

impl Suite {
    /// Parses and runs every scenario file against the rule base.
    pub fn run(rb: &RuleBase, files: &[Arc<SourceFile>]) -> Self {
        let mut suite = Suite::default();
        for file in files {
            let verdict = match Scenario::parse(rb, file).and_then(|s| s.run(rb)) {
                Ok(outcome) => {
                    suite.coverage.add(&outcome.evaluation);
                    for (topic, agreement) in &outcome.agreements {
                        suite.agreement.add(topic, *agreement);
                    }
                    if outcome.failures.is_empty() {
                        ScenarioResult::Passed
                    } else {
                        ScenarioResult::Failed(outcome.failures)
                    }
                }
                Err(e) => ScenarioResult::Invalid(e),
            };
            suite.results.push((file.name().to_owned(), verdict));
        }
        suite
    }

    pub fn passed(&self) -> usize {
        self.results
            .iter()
            .filter(|(_, v)| matches!(v, ScenarioResult::Passed))
            .count()
    }

    /// Scenarios that failed or are invalid.
    pub fn failed(&self) -> usize {
        self.results.len() - self.passed()
    }

    /// Coverage per topic: of the whole rule base, or of what the pack at
    /// this index in `rb.packs()` contributes.
    pub fn coverage(&self, rb: &RuleBase, pack: Option<usize>) -> Vec<TopicCoverage> {
        let all = self.coverage.report(rb);
        match pack.and_then(|p| rb.packs().get(p)) {
            Some(info) => pack_coverage(rb, info, all),
            None => all,
        }
    }

    /// The report `rules test` prints: each file's result with its failures,
    /// the counts, and the coverage (of the pack at `pack`, if given).
    pub fn render(&self, rb: &RuleBase, pack: Option<usize>, styled: bool) -> String {
        let mut out = String::new();
        for (name, result) in &self.results {
            render_result(&mut out, name, result, styled);
        }
        let heading = match pack.and_then(|p| rb.packs().get(p)) {
            Some(info) => format!(
                "coverage of pack `{}` (its options that win a scenario, its rules that fire in one)",
                info.label()
            ),
            None => "coverage (options that win a scenario, rules that fire in one)".to_owned(),
        };
        out.push_str(&format!(
            "\n{} passed, {} failed\n",
            self.passed(),
            self.failed()
        ));
        if let Some(line) = self.agreement.render() {
            out.push_str(&format!("{line}\n"));
        }
        out.push_str(&format!("\n{heading}:\n"));
        // A pack that adds no options to a topic has none to cover there.
        render_coverage(&mut out, &self.coverage(rb, pack), pack.is_some());
        out
    }
}

fn render_result(out: &mut String, name: &str, result: &ScenarioResult, styled: bool) {
    match result {
        ScenarioResult::Passed => out.push_str(&format!("ok      {name}\n")),
        ScenarioResult::Failed(failures) => {
            out.push_str(&format!("FAILED  {name}\n"));
            for failure in failures {
                out.push_str(&failure.render(styled));
                out.push_str("\n\n");
            }
        }
        ScenarioResult::Invalid(e) => {
            out.push_str(&format!("INVALID {name}\n{}\n\n", e.render(styled)));
        }
    }
}

/// One line per topic, then the options that never win and the rules that
/// never fire. `hide_empty_options` leaves out the option count of a topic
/// with no options to cover.
fn render_coverage(out: &mut String, report: &[TopicCoverage], hide_empty_options: bool) {
    let width = report
        .iter()
        .map(|t| t.topic.as_str().len())
        .max()
        .unwrap_or(0);
    for topic in report {
        let options = if hide_empty_options && topic.options == 0 {
            String::new()
        } else {
            format!(
                "options {}/{}  ",
                topic.options - topic.never_won.len(),
                topic.options
            )
        };
        out.push_str(&format!(
            "  {:<width$}  {options}rules {}/{}\n",
            topic.topic.as_str(),
            topic.rules - topic.never_fired.len(),
            topic.rules
        ));
        let mut never = |what: &str, ids: Vec<&str>| {
            if !ids.is_empty() {
                out.push_str(&format!("  {:<width$}    {what}: {}\n", "", ids.join(", ")));
            }
        };
        never(
            "never wins",
            topic.never_won.iter().map(|o| o.as_str()).collect(),
        );
        never(
            "never fires",
            topic.never_fired.iter().map(|r| r.as_str()).collect(),
        );
    }
}

/// Which options won and which rules fired across a set of scenarios.
#[derive(Debug, Default)]
pub struct Coverage {
    won: BTreeSet<(TopicId, OptionId)>,
    fired: BTreeSet<RuleId>,
    evaluated: BTreeSet<TopicId>,
}

/// Coverage of one topic.
#[derive(Debug, serde::Serialize)]
pub struct TopicCoverage {
    pub topic: TopicId,
    pub options: usize,
    pub rules: usize,
    pub never_won: Vec<OptionId>,
    pub never_fired: Vec<RuleId>,
}

impl Coverage {
    pub fn add(&mut self, evaluation: &Evaluation) {
        for outcome in &evaluation.topics {
            self.evaluated.insert(outcome.topic.clone());
            // An option wins outright, or a plan adopts it; a tie is no win.
            let won: &[OptionId] = match &outcome.verdict {
                Verdict::Winner(w) => std::slice::from_ref(w),
                Verdict::Plan { adopt, .. } => adopt,
                _ => &[],
            };
            for option in won {
                self.won.insert((outcome.topic.clone(), option.clone()));
            }
            self.fired.extend(outcome.fired().into_iter().cloned());
        }
    }

    /// Per topic, in rule-base order: what no scenario reached.
    pub fn report(&self, rb: &RuleBase) -> Vec<TopicCoverage> {
        rb.topics()
            .iter()
            .map(|topic| TopicCoverage {
                topic: topic.id.clone(),
                options: topic.options.len(),
                rules: topic.rules.len(),
                never_won: topic
                    .options
                    .iter()
                    .filter(|o| !self.won.contains(&(topic.id.clone(), o.id.clone())))
                    .map(|o| o.id.clone())
                    .collect(),
                never_fired: topic
                    .rules
                    .iter()
                    .filter(|r| !self.fired.contains(&r.id))
                    .map(|r| r.id.clone())
                    .collect(),
            })
            .collect()
    }
}

impl TopicCoverage {
    pub fn complete(&self) -> bool {
        self.never_won.is_empty() && self.never_fired.is_empty()
    }
}

/// Coverage narrowed to what one pack contributes: the options it adds and
/// the rules it adds or overrides, in the topics it touches.
fn pack_coverage(rb: &RuleBase, info: &PackInfo, all: Vec<TopicCoverage>) -> Vec<TopicCoverage> {
    all.into_iter()
        .filter_map(|mut topic| {
            let adds = |o: &OptionId| {
                info.options
                    .iter()
                    .any(|(t, x)| t == &topic.topic && x == o)
            };
            let in_topic: Vec<RuleId> = rb
                .topic(topic.topic.as_str())
                .map(|t| {
                    t.rules
                        .iter()
                        .filter(|r| info.rules.contains(&r.id))
                        .map(|r| r.id.clone())
                        .collect()
                })
                .unwrap_or_default();
            let option_count = info
                .options
                .iter()
                .filter(|(t, _)| t == &topic.topic)
                .count();
            if option_count == 0 && in_topic.is_empty() {
                return None;
            }
            let never_won: Vec<OptionId> = topic
                .never_won
                .iter()
                .filter(|o| adds(o))
                .cloned()
                .collect();
            topic.never_won = never_won;
            topic.never_fired.retain(|r| in_topic.contains(r));
            topic.options = option_count;
            topic.rules = in_topic.len();
            Some(topic)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const FAILING: &str = "[answers]\nops_maturity = \"low\"\nconsistency = \"strong\"\n\
        staleness_tolerance = \"none\"\nread_write_ratio = \"balanced\"\npeak_rps = 10\n\
        latency_p99_ms = 500\nsource_latency = \"cheap\"\n[expect.caching]\nwinner = \"write-behind\"\n";

    #[test]
    fn a_suite_reports_each_file_the_counts_and_the_coverage() {
        let rb = crate::builtin::rule_base().unwrap();
        let passing = FAILING.replace("write-behind", "none");
        let files = [
            SourceFile::new("pass.toml", passing),
            SourceFile::new("fail.toml", FAILING),
            SourceFile::new("invalid.toml", "[expect.cachng]\nwinner = \"none\"\n"),
        ];
        let suite = Suite::run(&rb, &files);
        assert_eq!((suite.passed(), suite.failed()), (1, 2));
        let text = suite.render(&rb, None, false);
        assert!(
            text.starts_with("ok      pass.toml\nFAILED  fail.toml\n"),
            "{text}"
        );
        assert!(text.contains("expected `write-behind` to win"), "{text}");
        assert!(text.contains("INVALID invalid.toml\n"), "{text}");
        assert!(
            text.contains("\n1 passed, 2 failed\n\ncoverage (options"),
            "{text}"
        );
        assert!(text.contains("    never wins: "), "{text}");
        assert!(suite.coverage(&rb, None).iter().any(|t| !t.complete()));
    }

    #[test]
    fn no_scenario_files_is_an_error_naming_the_paths() -> Result<(), io::Error> {
        let dir = tempfile::tempdir()?;
        std::fs::write(dir.path().join("notes.txt"), "not a scenario")?;
        let err = find_files(&[dir.path().to_path_buf()]).err();
        assert!(matches!(err, Some(FindError::Empty { paths }) if paths.len() == 1));
        std::fs::write(dir.path().join("b.toml"), "")?;
        std::fs::write(dir.path().join("a.toml"), "")?;
        let found = find_files(&[dir.path().to_path_buf(), "other.toml".into()]);
        let names: Vec<String> = found
            .unwrap_or_default()
            .iter()
            .map(|p| {
                p.file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        assert_eq!(names, ["a.toml", "b.toml", "other.toml"]);
        Ok(())
    }
}
