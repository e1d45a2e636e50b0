//! What `decide` prints for people: the summary that ends a run, `--summary`
//! and `--quiet`, suggested commands that run as printed, labels rather
//! than ids, counts in the right number, one clear error without answers,
//! and `--from-adr`.

use crate::support::{Scratch, Tradeoff};

#[test]
fn a_run_over_several_topics_ends_with_a_summary_and_one_topic_does_not() {
    let run = Tradeoff::new(&["decide", "--answers", "examples/payments-ledger.toml"])
        .run()
        .success();
    let summary = run.stdout.split("\nSummary: 18 decisions\n").nth(1);
    let summary = summary.unwrap_or_else(|| panic!("no summary:\n{}", run.stdout));
    assert!(summary.contains("  Caching strategy → No cache: confidence medium"));
    // The risks, with the high one's mitigation, after the verdicts.
    let risks = summary.split("Risks: 1 high\n").nth(1).unwrap();
    assert!(
        risks.starts_with("  [high] No data loss allowed"),
        "{risks}"
    );
    assert!(risks.contains("Mitigation: State the RPO"), "{risks}");
    let one = Tradeoff::new(&[
        "decide",
        "--answers",
        "examples/payments-ledger.toml",
        "--topic",
        "caching",
    ])
    .run()
    .success();
    assert!(!one.stdout.contains("Summary:"), "{}", one.stdout);
}

#[test]
fn summary_prints_only_the_block_and_quiet_prints_nothing() {
    let full = Tradeoff::new(&["decide", "--answers", "examples/catalogue.toml"])
        .run()
        .success()
        .stdout;
    let only = Tradeoff::new(&[
        "decide",
        "--answers",
        "examples/catalogue.toml",
        "--summary",
    ])
    .run()
    .success()
    .stdout;
    assert!(!only.contains('╭'), "no tables:\n{only}");
    let block = &full[full.find("Summary:").unwrap()..];
    assert!(only.ends_with(block), "the same block:\n{only}");
    let markdown = Tradeoff::new(&[
        "decide",
        "--answers",
        "examples/catalogue.toml",
        "--summary",
        "--format",
        "markdown",
    ])
    .run()
    .success()
    .stdout;
    assert!(
        markdown.contains("## Summary\n\n| Topic | Verdict |"),
        "{markdown}"
    );
    assert!(!markdown.contains("```mermaid"), "{markdown}");
    Tradeoff::new(&[
        "decide",
        "-a",
        "examples/catalogue.toml",
        "--summary",
        "-f",
        "json",
    ])
    .run()
    .code(2)
    .stderr_has("`--summary` is for `--format table` or `markdown`");
    // Quiet: not a word, even the warning about an answer to a question
    // that does not apply, but the records are written.
    let scratch = Scratch::new();
    let records = scratch.path().join("records");
    let args = [
        "decide",
        "--answers",
        "examples/catalogue.toml",
        "--topic",
        "caching",
        "--set",
        "write_loss_tolerable=true",
        "--adr",
        records.to_str().unwrap(),
    ];
    Tradeoff::new(&args)
        .run()
        .success()
        .stderr_has("ignored the answer to `write_loss_tolerable`");
    std::fs::remove_dir_all(&records).unwrap();
    let mut quiet_args = args.to_vec();
    quiet_args.push("--quiet");
    let quiet = Tradeoff::new(&quiet_args).run().success();
    assert_eq!((quiet.stdout.as_str(), quiet.stderr.as_str()), ("", ""));
    assert_eq!(scratch.names("records").len(), 1);
}

#[test]
fn the_command_for_the_other_tipping_points_runs_as_printed() {
    let run = Tradeoff::new(&[
        "decide",
        "--answers",
        "examples/catalogue.toml",
        "--set",
        "team_size=12",
        "--weight",
        "latency=2",
    ])
    .env("COLUMNS", "200")
    .run()
    .success();
    let line = run
        .stdout
        .lines()
        .find(|l| l.contains(" more: `tradeoff explain"))
        .unwrap_or_else(|| panic!("no hint:\n{}", run.stdout));
    let command = line.split('`').nth(1).unwrap();
    assert!(
        command.starts_with(
            "tradeoff explain --answers examples/catalogue.toml --set team_size=12 --weight latency=2 --topic "
        ),
        "{command}"
    );
    let args: Vec<&str> = command.split_whitespace().skip(1).collect();
    let explained = Tradeoff::new(&args).run().success();
    assert!(explained.stdout.contains("What would change the winner"));
}

#[test]
fn people_read_labels_and_counts_in_the_right_number() {
    let scratch = Scratch::new();
    scratch.write(
        "one-team.toml",
        "[answers]\nteam_size = 4\nteam_count = 1\nops_maturity = \"medium\"\n\
         team_experience = []\ncloud = \"aws\"\nbudget = \"moderate\"\ngrowth = \"steady\"\n\
         traffic_shape = \"steady\"\nservice_count = 1\ncodebase_pain = \"none\"\n\
         domain_boundaries = \"clear\"\n",
    );
    let run = Tradeoff::new(&[
        "decide",
        "--answers",
        "one-team.toml",
        "--topic",
        "architecture",
    ])
    .dir(scratch.path())
    .run();
    let text = format!("{}{}", run.stdout, run.stderr);
    for wrong in ["1 teams", "1 services", "(now [", "now []"] {
        assert!(!text.contains(wrong), "{wrong}:\n{text}");
    }
    // A multiple choice reads by its labels.
    let run = Tradeoff::new(&[
        "decide",
        "--answers",
        "examples/payments-ledger.toml",
        "--topic",
        "api-style",
    ])
    .run()
    .success();
    assert!(
        run.stdout
            .contains("Clients: also Third-party developers (now Other internal services)"),
        "{}",
        run.stdout
    );
}

#[test]
fn decide_without_answers_gives_one_error_that_says_where_answers_come_from() {
    let run = Tradeoff::new(&["decide"]).run().code(2);
    assert_eq!(run.stderr.matches("error").count(), 1, "{}", run.stderr);
    for help in [
        "`tradeoff decide` needs answers: 43 questions the 18 topics need have no answer",
        "`tradeoff decide --answers FILE`",
        "`tradeoff questions --format toml > answers.toml`",
        "`tradeoff ask`",
    ] {
        assert!(run.stderr.contains(help), "{help}:\n{}", run.stderr);
    }
    Tradeoff::new(&["explain", "--topic", "caching"])
        .run()
        .code(2)
        .stderr_has("`tradeoff explain --answers FILE --topic caching`")
        .stderr_has("`tradeoff questions --topic caching --format toml > answers.toml`");
}

#[test]
fn a_record_is_re_run_from_the_answers_it_keeps() {
    let scratch = Scratch::new();
    let records = scratch.path().join("records");
    Tradeoff::new(&[
        "decide",
        "--answers",
        "examples/catalogue.toml",
        "--topic",
        "caching",
        "--topic",
        "cache-technology",
        "--adr",
        records.to_str().unwrap(),
    ])
    .run()
    .success();
    let names = scratch.names("records");
    let technology = records.join(&names[1]);
    let original = Tradeoff::new(&[
        "decide",
        "--answers",
        "examples/catalogue.toml",
        "--topic",
        "cache-technology",
    ])
    .run()
    .success();
    // The record's topic, title, answers and the linked caching decision: the same verdict.
    let again = Tradeoff::new(&["decide", "--from-adr", technology.to_str().unwrap()])
        .run()
        .success();
    let verdict = |text: &str| {
        text.lines()
            .find(|l| l.starts_with("→ "))
            .map(str::to_owned)
            .unwrap_or_default()
    };
    assert_eq!(verdict(&again.stdout), verdict(&original.stdout));
    assert!(
        again
            .stdout
            .starts_with("Product catalogue for a high-traffic retailer\n")
    );
    // `--set` applies over the record; an answers file cannot come with it.
    let changed = Tradeoff::new(&[
        "decide",
        "--from-adr",
        technology.to_str().unwrap(),
        "--set",
        "hot_keys=no",
        "--format",
        "json",
    ])
    .run()
    .success();
    assert!(
        changed.stdout.contains("\"hot_keys\""),
        "{}",
        changed.stdout
    );
    Tradeoff::new(&[
        "decide",
        "--from-adr",
        technology.to_str().unwrap(),
        "--answers",
        "examples/catalogue.toml",
    ])
    .run()
    .code(2);
    // A record tradeoff did not write has nothing to re-run.
    scratch.write("plain.md", "# 1. Use PostgreSQL\n\nJust prose.\n");
    Tradeoff::new(&["decide", "--from-adr", "plain.md"])
        .dir(scratch.path())
        .run()
        .code(2)
        .stderr_has("has no tradeoff data block");
}
