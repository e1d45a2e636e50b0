//! Golden scenarios: every file under `tests/scenarios/` states answers and
//! the verdicts they must produce (winner, rules that must and must not
//! fire). All are run, and every failure is reported with its line.

use crate::support::repo;
use std::sync::Arc;
use tradeoff::scenario::{Scenario, Suite, TopicCoverage, suite};
use tradeoff::source::SourceFile;

/// Every scenario file of the built-in rule base, read and named as in the
/// repository.
fn scenario_files() -> Vec<Arc<SourceFile>> {
    let files =
        suite::find_files(&[repo().join(suite::DEFAULT_DIR)]).unwrap_or_else(|e| panic!("{e}"));
    files
        .iter()
        .map(|path| {
            let name = path.strip_prefix(repo()).unwrap_or(path).display();
            let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{name}: {e}"));
            SourceFile::new(name.to_string(), text)
        })
        .collect()
}

/// The suite `tradeoff rules test` runs: every scenario passes, every
/// option wins in one and every rule fires in one.
#[test]
fn every_scenario_gets_its_expected_verdicts() {
    let rb = tradeoff::builtin::rule_base().unwrap_or_else(|e| panic!("{e}"));
    let files = scenario_files();
    let suite = Suite::run(&rb, &files);
    let report = suite.render(&rb, None, false);
    println!("{report}");
    assert_eq!(suite.failed(), 0, "scenario failures:\n\n{report}");
    assert!(
        suite
            .coverage(&rb, None)
            .iter()
            .all(TopicCoverage::complete),
        "coverage gaps:\n{report}"
    );
    // The size the built-in rule base keeps: a suite of forty scenarios or
    // more over fifteen topics or more, each with three options and ten rules.
    assert!(
        files.len() >= 40,
        "expected at least forty scenarios, found {}",
        files.len()
    );
    assert!(rb.topics().len() >= 15, "expected at least fifteen topics");
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

#[test]
fn a_real_teams_choice_is_counted_apart_from_the_expectation() {
    let rb = tradeoff::builtin::rule_base().unwrap_or_else(|e| panic!("{e}"));
    let answers = "[answers]\nconsistency = \"strong\"\nstaleness_tolerance = \"none\"\n\
         read_write_ratio = \"balanced\"\nsource_latency = \"cheap\"\npeak_rps = 100\n\
         ops_maturity = \"low\"\nlatency_p99_ms = 300\n";
    // tradeoff says no cache; the team chose cache-aside: the scenario
    // passes (it guards tradeoff's verdict), and the disagreement counts.
    let disagreeing = SourceFile::new(
        "team.toml",
        format!("{answers}[expect.caching]\nwinner = \"none\"\nteam_chose = \"cache-aside\"\n"),
    );
    let agreeing = SourceFile::new(
        "same.toml",
        format!("{answers}[expect.caching]\nwinner = \"none\"\nteam_chose = \"none\"\n"),
    );
    let run = Suite::run(&rb, &[disagreeing, agreeing]);
    assert_eq!(run.failed(), 0);
    let report = run.render(&rb, None, false);
    assert!(
        report.contains(
            "real decisions: tradeoff agrees with the team's choice in 1 of 2 verdicts (50 %), \
             and has it in its top two in 1 (50 %)\n  by topic: caching 1/2\n"
        ),
        "{report}"
    );
    let typo = SourceFile::new(
        "typo.toml",
        format!("{answers}[expect.caching]\nwinner = \"none\"\nteam_chose = \"cache-asid\"\n"),
    );
    let err = Scenario::parse(&rb, &typo)
        .err()
        .unwrap_or_else(|| panic!("a typo accepted"));
    let text = err.render(false);
    assert!(text.contains("did you mean `cache-aside`?"), "{text}");
}
