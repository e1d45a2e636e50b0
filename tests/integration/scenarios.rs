//! Golden scenarios: every file under `tests/scenarios/` states answers and
//! the verdicts they must produce (winner, rules that must and must not
//! fire). All are run, and every failure is reported with its line.

use crate::support::repo;
use tradeoff::scenario::{Coverage, Scenario};
use tradeoff::source::SourceFile;

fn scenario_files() -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(repo().join("tests/scenarios"))
        .unwrap_or_else(|e| panic!("tests/scenarios: {e}"))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_scenario_gets_its_expected_verdicts() {
    let rb = tradeoff::builtin::rule_base().unwrap_or_else(|e| panic!("{e}"));
    let files = scenario_files();
    assert!(
        files.len() >= 9,
        "expected the scenario suite, found {} files",
        files.len()
    );
    let mut report = String::new();
    let mut coverage = Coverage::default();
    for path in &files {
        let name = path
            .strip_prefix(repo())
            .unwrap_or(path)
            .display()
            .to_string();
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{name}: {e}"));
        let file = SourceFile::new(name.clone(), text);
        let outcome = Scenario::parse(&rb, &file).and_then(|s| s.run(&rb));
        match outcome {
            Ok(outcome) => {
                coverage.add(&outcome.evaluation);
                for failure in outcome.failures {
                    report.push_str(&failure.render(false));
                    report.push_str("\n\n");
                }
            }
            Err(e) => report.push_str(&format!("{}\n\n", e.render(false))),
        }
    }
    assert!(report.is_empty(), "scenario failures:\n\n{report}");
    // Coverage, as issue 4 asks: every option wins somewhere, every rule fires somewhere.
    let mut summary = String::new();
    let mut gaps = String::new();
    for topic in coverage.report(&rb) {
        summary.push_str(&format!(
            "{:<20} options {}/{}  rules {}/{}\n",
            topic.topic.as_str(),
            topic.options - topic.never_won.len(),
            topic.options,
            topic.rules - topic.never_fired.len(),
            topic.rules
        ));
        if !topic.complete() {
            gaps.push_str(&format!(
                "{}: never wins {:?}, never fires {:?}\n",
                topic.topic, topic.never_won, topic.never_fired
            ));
        }
    }
    println!("{} scenarios\n{summary}", files.len());
    assert!(gaps.is_empty(), "coverage gaps:\n{gaps}\n{summary}");
    assert!(
        files.len() >= 40,
        "issue 4 asks for at least forty scenarios"
    );
    assert!(
        rb.topics().len() >= 15,
        "issue 4 asks for at least fifteen topics"
    );
    for topic in rb.topics() {
        assert!(
            topic.options.len() >= 3 && topic.rules.len() >= 10,
            "{} is below 3 options / 10 rules",
            topic.id
        );
    }
}

#[test]
fn a_wrong_expectation_fails_at_its_line() {
    let rb = tradeoff::builtin::rule_base().unwrap_or_else(|e| panic!("{e}"));
    let file = SourceFile::new(
        "wrong.toml",
        "[answers]\nconsistency = \"strong\"\nstaleness_tolerance = \"none\"\nread_write_ratio = \"balanced\"\n\
         source_latency = \"cheap\"\npeak_rps = 100\nops_maturity = \"low\"\nlatency_p99_ms = 300\n\
         [expect.caching]\nwinner = \"cache-aside\"\nfired = [\"hot-keys-need-a-cache-and-stampede-control\"]\n",
    );
    let outcome = Scenario::parse(&rb, &file)
        .and_then(|s| s.run(&rb))
        .unwrap_or_else(|e| panic!("{e}"));
    let rendered: Vec<String> = outcome.failures.iter().map(|f| f.render(false)).collect();
    assert_eq!(rendered.len(), 2, "{rendered:#?}");
    assert!(
        rendered[0].contains("expected `cache-aside` to win, but `none` won"),
        "{}",
        rendered[0]
    );
    assert!(rendered[0].contains("wrong.toml:10:10"), "{}", rendered[0]);
    assert!(
        rendered[1].contains("expected `hot-keys-need-a-cache-and-stampede-control` to fire"),
        "{}",
        rendered[1]
    );
}

#[test]
fn scenario_ids_are_checked() {
    let rb = tradeoff::builtin::rule_base().unwrap_or_else(|e| panic!("{e}"));
    let file = SourceFile::new(
        "typo.toml",
        "[answers]\n[expect.cachng]\nno_winner = true\n[expect.api-style]\nwinner = \"rst\"\nfired = [\"measure-before-caching\"]\n",
    );
    let err = Scenario::parse(&rb, &file)
        .err()
        .unwrap_or_else(|| panic!("typos accepted"));
    let text = err.render(false);
    assert!(
        text.contains("unknown topic `cachng`") && text.contains("did you mean `caching`?"),
        "{text}"
    );
    assert!(
        text.contains("unknown option `rst`") && text.contains("did you mean `rest`?"),
        "{text}"
    );
    assert!(
        text.contains("`measure-before-caching` belongs to topic `caching`"),
        "{text}"
    );
}
