//! Architecture Decision Records in MADR 4 layout, written from the trace.
//!
//! The record follows MADR 4.0.0: front matter (status, date), Context and
//! Problem Statement (the problem and the answers that bear on it), Decision
//! Drivers (the rules that weighed most), Considered Options, Decision Outcome
//! ("Chosen option: ..., because ..."), Consequences, Pros and Cons of the
//! Options, More Information (what would change it, sources). It ends with a
//! hidden block, an HTML comment invisible in rendered Markdown, that records
//! the answers and the rule-base fingerprint so the decision can be re-run
//! and checked for drift later. Status is written unquoted, as Structurizr
//! needs (see shared notes on ADR compatibility).

use super::markdown::escape;
use super::{Decision, confidence_sentence, option_name, signed, uncapitalize};
use crate::adr::block::Block;
use crate::answers::{Origin, People};
use crate::eval::{RuleStatus, TopicOutcome};
use crate::ids::{OptionId, SourceId};
use crate::rulebase::{Rule, Topic};
use crate::value::Answer;
use std::fmt::Write as _;

/// How many fired rules the Decision Drivers section lists.
const MAX_DRIVERS: usize = 5;

/// The record's title: the topic's decision line for the chosen option.
pub fn title(topic: &Topic, outcome: &TopicOutcome) -> Option<String> {
    let winner = outcome.winner.as_ref()?;
    let option = topic.option(winner.as_str())?;
    Some(topic.decision_title(option))
}

/// Renders the record for one topic; `None` when no option survived.
pub fn render(
    decision: &Decision<'_>,
    topic: &Topic,
    outcome: &TopicOutcome,
    date: &str,
) -> Option<String> {
    let winner = outcome.winner.as_ref()?;
    let rb = decision.rb;
    let mut out = String::new();
    let _ = writeln!(out, "---\nstatus: proposed\ndate: {date}");
    let people = &decision.answers.people;
    for (key, names) in [
        ("decision-makers", &people.decision_makers),
        ("consulted", &people.consulted),
        ("informed", &people.informed),
    ] {
        if !names.is_empty() {
            let _ = writeln!(out, "{key}: {}", yaml_scalar(&names.join(", ")));
        }
    }
    let _ = writeln!(out, "---\n");
    let _ = writeln!(out, "# {}\n", title(topic, outcome)?);

    // Context and Problem Statement
    let _ = writeln!(out, "## Context and Problem Statement\n");
    let _ = writeln!(out, "{}\n", topic.problem);
    if let Some(title) = &decision.answers.title {
        let _ = writeln!(out, "This decision is for {}.", escape(title));
    }
    let answers = decision.answers_for(topic);
    if !answers.is_empty() {
        let _ = writeln!(out, "The answers that bear on it:\n");
        let _ = writeln!(out, "| Question | Answer |\n|---|---|");
        for (question, answer) in answers {
            let mut text = escape(&question.describe(answer));
            if decision.resolution.defaulted.contains(&question.id) {
                text.push_str(" (assumed by default)");
            }
            let _ = writeln!(out, "| {} | {text} |", escape(&question.label));
        }
        out.push('\n');
    }

    // Decision Drivers
    let drivers = drivers(topic, outcome);
    if !drivers.is_empty() {
        let _ = writeln!(out, "## Decision Drivers\n");
        for rule in drivers {
            let _ = writeln!(out, "* {} (`{}`)", escape(&rule.summary), rule.id);
        }
        out.push('\n');
    }

    // Considered Options
    let _ = writeln!(out, "## Considered Options\n");
    for ranked in &outcome.ranking {
        let _ = writeln!(out, "* {}", escape(option_name(topic, &ranked.option)));
    }
    out.push('\n');

    // Decision Outcome
    let _ = writeln!(out, "## Decision Outcome\n");
    let name = option_name(topic, winner);
    let because: Vec<String> = outcome
        .reasons
        .iter()
        .filter_map(|r| rb.rule(r.rule.as_str()))
        .map(|(_, rule)| uncapitalize(rule.summary.trim_end_matches('.')))
        .collect();
    let because = match because.as_slice() {
        [] => "it comes out best (see below)".to_owned(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{}; and {last}", rest.join("; ")),
    };
    let _ = write!(
        out,
        "Chosen option: \"{}\", because {}.",
        escape(name),
        escape(&because)
    );
    let winner_score = outcome.ranked(winner).map_or(0, |r| r.score);
    match outcome
        .confidence
        .runner_up
        .as_ref()
        .and_then(|r| outcome.ranked(r))
    {
        Some(runner) => {
            let _ = writeln!(
                out,
                " It scores {} against {} for \"{}\" ({}).\n",
                signed(winner_score),
                signed(runner.score),
                escape(option_name(topic, &runner.option)),
                confidence_sentence(topic, outcome)
            );
        }
        None => {
            let _ = writeln!(out, " ({}).\n", confidence_sentence(topic, outcome));
        }
    }
    if let Some(option) = topic.option(winner.as_str())
        && !(option.good.is_empty() && option.bad.is_empty())
    {
        let _ = writeln!(out, "### Consequences\n");
        for good in &option.good {
            let _ = writeln!(out, "* Good, because {}", escape(good));
        }
        for bad in &option.bad {
            let _ = writeln!(out, "* Bad, because {}", escape(bad));
        }
        out.push('\n');
    }
    let _ = writeln!(out, "### Confirmation\n");
    let _ = writeln!(
        out,
        "Re-run `tradeoff decide --topic {}` with the answers recorded at the end of this file. \
         A different verdict means the context or the rule base has changed and this decision needs revisiting.\n",
        topic.id
    );

    // Pros and Cons
    let _ = writeln!(out, "## Pros and Cons of the Options\n");
    let count = outcome.ranking.len();
    for ranked in &outcome.ranking {
        let Some(option) = topic.option(ranked.option.as_str()) else {
            continue;
        };
        let _ = writeln!(out, "### {}\n", escape(&option.name));
        if ranked.excluded_by.is_empty() {
            let _ = writeln!(
                out,
                "{} Scored {} (ranked {} of {count}).\n",
                escape(&option.summary),
                signed(ranked.score),
                ranked.rank
            );
        } else {
            let why: Vec<String> = ranked
                .excluded_by
                .iter()
                .filter_map(|id| rb.rule(id.as_str()))
                .map(|(_, rule)| format!("{} (`{}`)", escape(&rule.summary), rule.id))
                .collect();
            let _ = writeln!(
                out,
                "{} Ruled out: {}.\n",
                escape(&option.summary),
                why.join("; ")
            );
        }
        for good in &option.good {
            let _ = writeln!(out, "* Good, because {}", escape(good));
        }
        for neutral in &option.neutral {
            let _ = writeln!(out, "* Neutral, because {}", escape(neutral));
        }
        for bad in &option.bad {
            let _ = writeln!(out, "* Bad, because {}", escape(bad));
        }
        if !(option.good.is_empty() && option.neutral.is_empty() && option.bad.is_empty()) {
            out.push('\n');
        }
    }

    // More Information
    let _ = writeln!(out, "## More Information\n");
    let advice = super::advice(decision, outcome);
    if !advice.is_empty() {
        let _ = writeln!(out, "Whatever the choice, also:\n");
        for (rule, text) in advice {
            let _ = writeln!(out, "* {} (`{rule}`)", escape(text));
        }
        out.push('\n');
    }
    context_and_risks(&mut out, decision, topic, outcome);
    if !outcome.tipping_points.is_empty() {
        let _ = writeln!(out, "Revisit this decision if any of these changes:\n");
        for tip in &outcome.tipping_points {
            let _ = writeln!(
                out,
                "* {}: {} would win.",
                super::tip_text(tip, true, Some(rb)),
                escape(option_name(topic, &tip.winner))
            );
        }
        out.push('\n');
    }
    if !outcome.unknowns.is_empty() {
        let ids: Vec<String> = outcome.unknowns.iter().map(|q| format!("`{q}`")).collect();
        let _ = writeln!(
            out,
            "Unknown when decided, worth finding out: {}.\n",
            ids.join(", ")
        );
    }
    let open = open_questions(decision, topic);
    if !open.is_empty() {
        let _ = writeln!(
            out,
            "Open questions, on which the people consulted disagreed: {}.\n",
            open.join(", ")
        );
    }
    let sources = cited_sources(topic, outcome);
    if !sources.is_empty() {
        let _ = writeln!(out, "Sources of the rules that fired:\n");
        for id in sources {
            let info = super::json::source_info(rb, id);
            match info.url {
                Some(url) => {
                    let _ = writeln!(out, "* [{id}] {}, <{url}>", escape(info.title));
                }
                None => {
                    let _ = writeln!(out, "* {}", escape(info.title));
                }
            }
        }
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "Generated by tradeoff {} with rule base `{}`{}. \
         `tradeoff explain --topic {}` shows every rule, fired or not.\n",
        env!("CARGO_PKG_VERSION"),
        rb.short_fingerprint(),
        with_packs(rb),
        topic.id
    );
    out.push_str(&data_block(decision, topic, outcome, winner).render());
    Some(out)
}

/// The record in Nygard's layout, as adr-tools repositories keep them:
/// `# N. Title`, `Date:`, Status, Context, Decision, Consequences.
pub fn render_nygard(
    decision: &Decision<'_>,
    topic: &Topic,
    outcome: &TopicOutcome,
    date: &str,
    number: u32,
) -> Option<String> {
    let winner = outcome.winner.as_ref()?;
    let rb = decision.rb;
    let option = topic.option(winner.as_str())?;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {number}. {}\n\nDate: {date}\n\n## Status\n\nProposed\n",
        title(topic, outcome)?
    );
    let _ = writeln!(out, "## Context\n\n{}\n", topic.problem);
    if let Some(title) = &decision.answers.title {
        let _ = writeln!(
            out,
            "This decision is for {}. The answers that bear on it:\n",
            escape(title)
        );
    } else {
        let _ = writeln!(out, "The answers that bear on it:\n");
    }
    for (question, answer) in decision.answers_for(topic) {
        let assumed = if decision.resolution.defaulted.contains(&question.id) {
            " (assumed by default)"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "* {}: {}{assumed}",
            escape(&question.label),
            escape(&question.describe(answer))
        );
    }
    if let Some(line) = people_line(&decision.answers.people) {
        let _ = writeln!(out, "\n{line}");
    }
    let _ = writeln!(out, "\n## Decision\n");
    let because: Vec<String> = outcome
        .reasons
        .iter()
        .filter_map(|r| rb.rule(r.rule.as_str()))
        .map(|(_, rule)| format!("* {} (`{}`)", escape(&rule.summary), rule.id))
        .collect();
    let _ = writeln!(
        out,
        "We will use {}. It comes out best ({}), because:\n",
        escape(&option.name),
        confidence_sentence(topic, outcome)
    );
    for line in &because {
        let _ = writeln!(out, "{line}");
    }
    let advice = super::advice(decision, outcome);
    if !advice.is_empty() {
        let _ = writeln!(out, "\nWhatever the choice, also:\n");
        for (rule, text) in advice {
            let _ = writeln!(out, "* {} (`{rule}`)", escape(text));
        }
    }
    let others: Vec<String> = outcome
        .ranking
        .iter()
        .filter(|r| &r.option != winner)
        .map(|r| {
            if r.excluded_by.is_empty() {
                format!(
                    "{} ({})",
                    escape(option_name(topic, &r.option)),
                    signed(r.score)
                )
            } else {
                format!("{} (ruled out)", escape(option_name(topic, &r.option)))
            }
        })
        .collect();
    let _ = writeln!(out, "\nAlso considered: {}.\n", others.join(", "));
    let _ = writeln!(out, "## Consequences\n");
    for good in &option.good {
        let _ = writeln!(out, "* Easier: {}", escape(good));
    }
    for bad in &option.bad {
        let _ = writeln!(out, "* Harder: {}", escape(bad));
    }
    out.push('\n');
    context_and_risks(&mut out, decision, topic, outcome);
    if out.ends_with("\n\n") {
        out.pop();
    }
    if !outcome.tipping_points.is_empty() {
        let _ = writeln!(out, "\nRevisit this decision if any of these changes:\n");
        for tip in &outcome.tipping_points {
            let _ = writeln!(
                out,
                "* {}: {} would win.",
                super::tip_text(tip, true, None),
                escape(option_name(topic, &tip.winner))
            );
        }
    }
    let _ = writeln!(
        out,
        "\nGenerated by tradeoff {} with rule base `{}`{}; `tradeoff explain --topic {}` shows every rule.\n",
        env!("CARGO_PKG_VERSION"),
        rb.short_fingerprint(),
        with_packs(rb),
        topic.id
    );
    out.push_str(&data_block(decision, topic, outcome, winner).render());
    Some(out)
}

/// A YAML plain scalar if it is safe as one, else a double-quoted string.
fn yaml_scalar(text: &str) -> String {
    let plain = !text.is_empty()
        && !text.contains(": ")
        && !text.contains(" #")
        && !text.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@`".contains(c))
        && !text.ends_with(':')
        && !text.chars().any(char::is_control);
    if plain {
        text.to_owned()
    } else {
        serde_json::to_string(text).unwrap_or_default()
    }
}

/// Who decided, in one line for layouts without front matter (Nygard).
fn people_line(people: &People) -> Option<String> {
    let parts: Vec<String> = [
        ("Decision-makers", &people.decision_makers),
        ("Consulted", &people.consulted),
        ("Informed", &people.informed),
    ]
    .into_iter()
    .filter(|(_, names)| !names.is_empty())
    .map(|(label, names)| format!("{label}: {}.", escape(&names.join(", "))))
    .collect();
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// The answers file's open questions that this topic reads, as `code`.
fn open_questions(decision: &Decision<'_>, topic: &Topic) -> Vec<String> {
    let relevant = decision.rb.relevant_questions(&[topic]);
    decision
        .answers
        .open
        .iter()
        .filter(|q| relevant.iter().any(|r| &r.id == *q))
        .map(|q| format!("`{q}`"))
        .collect()
}

/// Fired rules that moved the scores most: knock-outs first, then by the
/// spread of points they gave, then file order.
fn drivers<'t>(topic: &'t Topic, outcome: &TopicOutcome) -> Vec<&'t Rule> {
    let mut fired: Vec<(usize, &Rule)> = topic
        .rules
        .iter()
        .zip(&outcome.rules)
        .enumerate()
        .filter(|(_, (_, o))| o.status == RuleStatus::Fired)
        .map(|(i, (r, _))| (i, r))
        .collect();
    let spread = |r: &Rule| {
        let points: Vec<i32> = r
            .score
            .iter()
            .map(|(_, p)| *p)
            .chain(std::iter::once(0))
            .collect();
        points.iter().max().unwrap_or(&0) - points.iter().min().unwrap_or(&0)
    };
    fired.sort_by(|(ia, a), (ib, b)| {
        a.exclude
            .is_empty()
            .cmp(&b.exclude.is_empty())
            .then_with(|| spread(b).cmp(&spread(a)))
            .then_with(|| ia.cmp(ib))
    });
    fired
        .into_iter()
        .map(|(_, r)| r)
        .take(MAX_DRIVERS)
        .collect()
}

/// ` (rules + acme-platform@1.2)` when packs are in use, else nothing, so
/// records made without packs read as they always have.
fn with_packs(rb: &crate::rulebase::RuleBase) -> String {
    if rb.packs().is_empty() {
        String::new()
    } else {
        format!(" ({})", rb.origin())
    }
}

fn cited_sources<'t>(topic: &'t Topic, outcome: &TopicOutcome) -> Vec<&'t SourceId> {
    let mut out: Vec<&SourceId> = Vec::new();
    for (rule, o) in topic.rules.iter().zip(&outcome.rules) {
        if o.status == RuleStatus::Fired {
            for source in &rule.sources {
                if !out.contains(&source) {
                    out.push(source);
                }
            }
        }
    }
    out
}

/// Priorities, policy and linked decisions behind the outcome, and the
/// risks flagged for this topic with their mitigations.
fn context_and_risks(
    out: &mut String,
    decision: &Decision<'_>,
    topic: &Topic,
    outcome: &TopicOutcome,
) {
    let context = super::context_lines(decision, topic, outcome);
    if !context.is_empty() {
        for line in context {
            let _ = writeln!(out, "* {}", escape(&line));
        }
        out.push('\n');
    }
    let risks = super::risks_for(decision, topic);
    if !risks.is_empty() {
        let _ = writeln!(out, "Risks ({}):\n", super::risk_summary(&risks));
        for (flag, risk) in risks {
            let _ = writeln!(
                out,
                "* **{}** {} (`{}`: {}). Mitigation: {}",
                flag.severity,
                escape(&risk.title),
                risk.id,
                escape(&super::answers_text(&flag.answers)),
                escape(&risk.mitigation)
            );
        }
        out.push('\n');
    }
}

/// The data block of a record: the given answers (not defaults) to the
/// questions this topic depends on, and what the decision was made with.
fn data_block(
    decision: &Decision<'_>,
    topic: &Topic,
    outcome: &TopicOutcome,
    chosen: &OptionId,
) -> Block {
    let answers = decision
        .answers_for(topic)
        .into_iter()
        .filter(|(q, _)| {
            decision
                .answers
                .entries
                .get(&q.id)
                .is_some_and(|g| !matches!(g.origin, Origin::Default))
        })
        .map(|(q, a): (_, &Answer)| (q.id.to_string(), a.to_toml()))
        .collect();
    Block {
        schema: 1,
        tradeoff: env!("CARGO_PKG_VERSION").to_owned(),
        topic: topic.id.clone(),
        chosen: chosen.clone(),
        rule_base: decision.rb.fingerprint().to_owned(),
        packs: decision.rb.packs().iter().map(|p| p.label()).collect(),
        title: decision.answers.title.clone(),
        priorities: decision
            .rb
            .context()
            .priorities
            .iter()
            .map(|(a, w)| format!("{a}={w}"))
            .collect(),
        policy: decision.rb.context().policy.clone(),
        decisions: topic
            .linked_topics()
            .into_iter()
            .filter_map(|t| {
                let o = decision
                    .evaluation
                    .topics
                    .iter()
                    .find(|o| o.topic.as_str() == t)?;
                Some((t.to_owned(), o.winner.as_ref()?.to_string()))
            })
            .collect(),
        fired: outcome
            .fired()
            .into_iter()
            .map(ToString::to_string)
            .collect(),
        answers,
    }
}
