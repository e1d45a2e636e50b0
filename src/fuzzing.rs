//! Entry points for robustness testing: the fuzz targets in `fuzz/`, the
//! replay of their kept corpus in `cargo test`, and the property tests.
//!
//! Each entry point takes arbitrary bytes and drives them through the same
//! path a user's input takes (load, validate, resolve, evaluate, render every
//! report and every diagnostic), so a crash the fuzzer finds is a crash a
//! user could meet, and a corpus file that once crashed keeps guarding CI.
//! None of them may panic, whatever the input: that is the property.
//!
//! They return what they rendered (the reports, or the diagnostics), so a
//! regression test can assert on the outcome and not only on "no panic".
//! Bytes that are not UTF-8 are replaced (U+FFFD) so that mutated inputs
//! keep reaching the parsers; the readers' own UTF-8 check is covered by
//! `tests/malformed`.

use crate::answers::AnswerSet;
use crate::builtin;
use crate::decide::evaluate_answers;
use crate::diagnostic::DataError;
use crate::report::{self, DecisionRun, table::TableOptions};
use crate::rulebase::RuleBase;
use crate::rulebase::load::{QUESTIONS_FILE, RuleBaseFiles, SOURCES_FILE};
use crate::source::SourceFile;
use std::sync::{Arc, OnceLock};

/// The answers the rule-base target evaluates a rule base that validates with.
const SAMPLE_ANSWERS: &str = include_str!("../examples/saas-startup.toml");
/// The built-in topic kept beside a fuzzed `questions.toml` or `sources.toml`,
/// so that cross-file checks run (a small one: every execution parses it).
const COMPANION_TOPIC: &str = "topics/session-state.toml";

/// One decision record: `data` as the text of `0007-fuzz.md`, parsed, then
/// put through every edit the `adr` commands make (status, a link, a
/// supersession, a new number, a new title), each edit parsed again. Returns
/// the edited texts, or why the record was refused.
pub fn adr_record(data: &[u8]) -> Result<String, String> {
    use crate::adr::edit;
    use crate::adr::record::Record;
    let text = String::from_utf8_lossy(data);
    let record = Record::parse("0007-fuzz.md", &text).map_err(|e| format!("{e:?}"))?;
    let successor = edit::Successor {
        verb: "Superseded by",
        label: "8. Use Y",
        file: "0008-use-y.md",
        number: Some(8),
    };
    let edited = [
        edit::set_status(&record, "Accepted"),
        edit::add_link(
            &record,
            "Amends",
            "1. Record decisions",
            "0001-record-decisions.md",
        ),
        edit::mark_superseded(&record, &successor),
        edit::renumber_heading(&record, 10_000),
        edit::set_title(&text, "A new title"),
        edit::set_front_matter(&text, "status", "accepted"),
    ];
    for (i, after) in edited.iter().enumerate() {
        Record::parse("0007-fuzz.md", after).map_err(|e| format!("edit {i}: {e:?}"))?;
    }
    Ok(edited.concat())
}

/// The built-in rule base, loaded once per process.
pub fn builtin() -> Result<&'static RuleBase, &'static DataError> {
    static BUILTIN: OnceLock<Result<RuleBase, DataError>> = OnceLock::new();
    BUILTIN.get_or_init(crate::builtin::rule_base).as_ref()
}

/// One rule-base file: the first line of `data` is its path relative to the
/// rule base root (`questions.toml`, `sources.toml`, `topics/ID.toml`, or
/// anything else), the rest its text. The file replaces the built-in one at
/// that path; a topic file stands alone beside the built-in questionnaire and
/// sources. When the result validates, it is evaluated with a sample answers
/// file and every report is rendered.
pub fn rule_base_file(data: &[u8]) -> Result<String, String> {
    let text = String::from_utf8_lossy(data);
    let (path, body) = text.split_once('\n').unwrap_or(("topics/fuzz.toml", &text));
    let path = path.trim();
    let builtin_files = builtin::files();
    let keep = |rel: &str| -> bool {
        if rel == path {
            return false;
        }
        match rel {
            QUESTIONS_FILE | SOURCES_FILE => true,
            // A fuzzed topic is checked alone: parsing fifteen others per run
            // would only slow the fuzzer down.
            _ => !path.starts_with("topics/") && rel == COMPANION_TOPIC,
        }
    };
    let mut files: Vec<(String, Arc<SourceFile>)> = builtin_files
        .all
        .iter()
        .filter(|(rel, _)| keep(rel))
        .map(|(rel, file)| (rel.clone(), Arc::clone(file)))
        .collect();
    files.push((path.to_owned(), SourceFile::new(path, body)));
    let rb = RuleBase::from_files(RuleBaseFiles::classify(files), "fuzz").map_err(render_error)?;
    let mut out = warnings(&rb);
    out.push_str(&decide(&rb, SAMPLE_ANSWERS)?);
    Ok(out)
}

/// An answers file, parsed and resolved against the built-in questionnaire,
/// then evaluated and rendered in every format.
pub fn answers_file(data: &[u8]) -> Result<String, String> {
    let rb = builtin().map_err(|e| e.render(false))?;
    decide(rb, &String::from_utf8_lossy(data))
}

/// `tradeoff decide` in process: answers text in, every rendering out (table,
/// Markdown, JSON, explanation, MADR and Nygard records, each topic), or the
/// rendered diagnostics.
pub fn decide(rb: &RuleBase, answers: &str) -> Result<String, String> {
    with_decision(rb, answers, render_all)
}

/// `tradeoff decide --format json` in process.
pub fn decide_json(rb: &RuleBase, answers: &str) -> Result<String, String> {
    with_decision(rb, answers, |decision, _| {
        report::json::render(decision).map_err(|e| e.to_string())
    })
}

/// Parses and resolves the answers as `decide` does, evaluates the topics
/// they select and hands the decision (and the resolution's warnings,
/// rendered) to `f`.
fn with_decision<T>(
    rb: &RuleBase,
    answers: &str,
    f: impl FnOnce(&DecisionRun<'_>, String) -> Result<T, String>,
) -> Result<T, String> {
    let file = SourceFile::new("answers.toml", answers);
    let set = AnswerSet::parse(rb, &file).map_err(render_error)?;
    let topics = rb.select_topics(&set.topics)?;
    let decided = evaluate_answers(rb, &set, &topics).map_err(render_error)?;
    let decision = DecisionRun {
        rb,
        answers: &set,
        resolution: &decided.resolution,
        evaluation: &decided.evaluation,
    };
    let warnings = decided
        .resolution
        .warnings
        .iter()
        .map(|w| w.render(false) + "\n")
        .collect();
    f(&decision, warnings)
}

fn render_all(decision: &DecisionRun<'_>, warnings: String) -> Result<String, String> {
    let mut out = warnings;
    for color in [false, true] {
        let options = TableOptions { color, width: 100 };
        out.push_str(&report::table::render(decision, &options));
        out.push_str(&report::explain::render(decision, color));
    }
    out.push_str(&report::table::render(
        decision,
        &TableOptions {
            color: false,
            width: 40,
        },
    ));
    out.push_str(&report::markdown::render(decision));
    out.push_str(&report::json::render(decision).map_err(|e| e.to_string())?);
    for (number, (topic, outcome)) in (1u32..).zip(decision.topics()) {
        for record in [
            report::adr::render(decision, topic, outcome, "2026-01-01"),
            report::adr::render_nygard(decision, topic, outcome, "2026-01-01", number),
        ] {
            out.push_str(&record.map_err(|e| e.to_string())?.unwrap_or_default());
        }
    }
    Ok(out)
}

fn warnings(rb: &RuleBase) -> String {
    rb.warnings()
        .iter()
        .map(|w| w.render(false) + "\n")
        .collect()
}

/// Diagnostics rendered both plain and styled, as the terminal shows them.
fn render_error(e: DataError) -> String {
    let _styled = e.render(true);
    e.render(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_answers_decide_under_the_builtin_rule_base() {
        let out = answers_file(SAMPLE_ANSWERS.as_bytes()).unwrap();
        assert!(out.contains("Caching strategy (caching)"), "{out}");
        assert!(out.contains("\"schema\": 1"), "{out}");
    }

    #[test]
    fn a_builtin_file_fed_back_validates_and_decides() {
        let files = builtin::files();
        let (rel, file) = files
            .all
            .iter()
            .find(|(rel, _)| rel == "topics/api-style.toml")
            .unwrap();
        // (A topic with linked decisions needs its upstream topics beside it.)
        let input = format!("{rel}\n{}", file.text());
        let out = rule_base_file(input.as_bytes()).unwrap();
        assert!(out.contains("API style (api-style)"), "{out}");
    }

    #[test]
    fn garbage_is_a_diagnostic_not_a_panic() {
        for input in [
            &b""[..],
            b"\n",
            b"questions.toml\n[[question]",
            b"sources.toml\n\xff\xfe",
            b"topics/x.toml\n[topic]\nid = 3",
            b"README.md\nhello",
        ] {
            let _ = rule_base_file(input);
            let _ = answers_file(input);
        }
        let err = answers_file(b"[answers]\nteam_sise = 3\n").unwrap_err();
        assert!(err.contains("did you mean `team_size`?"), "{err}");
    }
}
