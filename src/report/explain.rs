//! The explanation: the whole trace of one topic, for engineers who want to
//! check the reasoning, and for mentors walking a learner through it.
//!
//! It shows the ranking with every point accounted for, then every rule:
//! those that fired with the answers behind them, those one answer away
//! (near misses), those waiting on an unknown answer, and those that did not
//! fire, each with its condition evaluated test by test, its rationale,
//! sources and position in the rule base. It ends with the tipping points.

use super::{DecisionRun, option_name, signed, write_wrapped};
use crate::eval::{RuleOutcome, RuleStatus, TopicOutcome, Trace, TraceNode, Truth};
use crate::rulebase::{Rule, Topic};
use console::Style;
use std::fmt::Write as _;

/// How wide the prose is, indent included.
const WIDTH: usize = 88;
/// The indent of a rule's lines under its id.
const RULE_INDENT: &str = "    ";

struct Styles {
    heading: Style,
    dim: Style,
}

impl Styles {
    fn new(color: bool) -> Self {
        let base = Style::new().force_styling(color);
        Self {
            heading: base.clone().bold(),
            dim: base.dim(),
        }
    }
}

pub fn render(decision: &DecisionRun<'_>, color: bool) -> String {
    let mut out = String::new();
    for (i, (topic, outcome)) in decision.topics().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        render_topic(&mut out, decision, topic, outcome, color);
    }
    out
}

fn render_topic(
    out: &mut String,
    decision: &DecisionRun<'_>,
    topic: &Topic,
    outcome: &TopicOutcome,
    color: bool,
) {
    let styles = Styles::new(color);
    let _ = writeln!(
        out,
        "{} {}",
        styles.heading.apply_to(&topic.title),
        styles.dim.apply_to(format!("({})", topic.id))
    );
    write_wrapped(out, &topic.problem, WIDTH, "");

    let _ = writeln!(out, "\n{}", styles.heading.apply_to("Ranking"));
    ranking(out, topic, outcome);
    let lines = super::verdict_lines(decision.rb, topic, outcome);
    if lines.detail.is_empty() {
        let _ = writeln!(out, "\nVerdict: {}", lines.headline);
    } else {
        let _ = writeln!(out, "\nVerdict: {} ({})", lines.headline, lines.detail);
    }
    for line in &lines.more {
        let _ = writeln!(out, "  {line}");
    }
    for group in &RULE_GROUPS {
        rule_group(out, decision, (topic, outcome), group, &styles);
    }
    tipping_points(out, decision.rb, (topic, outcome), &styles);
    let defaulted = decision.defaulted_for(topic);
    if !defaulted.is_empty() {
        let items: Vec<String> = defaulted
            .iter()
            .filter_map(|q| {
                decision
                    .resolution
                    .facts
                    .get(q)
                    .map(|a| format!("{q} = {a}"))
            })
            .collect();
        let _ = writeln!(out, "\nAssumed by default: {}", items.join(", "));
    }
}

/// Every option with its score as the sum of the rules that scored it, or
/// the rules that ruled it out.
fn ranking(out: &mut String, topic: &Topic, outcome: &TopicOutcome) {
    let name_width = outcome
        .ranking
        .iter()
        .map(|r| option_name(topic, &r.option).chars().count())
        .max()
        .unwrap_or(0);
    for ranked in &outcome.ranking {
        let name = option_name(topic, &ranked.option);
        if ranked.excluded_by.is_empty() {
            let parts: Vec<String> = ranked
                .contributions
                .iter()
                .map(|c| format!("{} {}", signed(c.points), c.rule))
                .collect();
            let sum = if parts.is_empty() {
                "no rule scored it".to_owned()
            } else {
                parts.join(" ")
            };
            let _ = writeln!(
                out,
                "  {:>2}  {name:<name_width$}  {:>4}  = {sum}",
                ranked.rank,
                signed(ranked.score)
            );
        } else {
            let ids: Vec<&str> = ranked.excluded_by.iter().map(|r| r.as_str()).collect();
            let _ = writeln!(
                out,
                "   –  {name:<name_width$}   out  ruled out by {}",
                ids.join(", ")
            );
        }
    }
}

/// The groups the rules are shown in, in order: status, title, and what
/// the group holds.
const RULE_GROUPS: [(RuleStatus, &str, &str); 4] = [
    (
        RuleStatus::Fired,
        "Fired",
        "the rules that scored the options",
    ),
    (
        RuleStatus::NearMiss,
        "Nearly fired",
        "one answer away from firing",
    ),
    (
        RuleStatus::Undetermined,
        "Undetermined",
        "waiting on answers given as unknown",
    ),
    (
        RuleStatus::NotFired,
        "Not fired",
        "conditions that did not hold",
    ),
];

/// The rules of one status under a heading with their count, or nothing
/// when there are none.
fn rule_group(
    out: &mut String,
    decision: &DecisionRun<'_>,
    (topic, outcome): (&Topic, &TopicOutcome),
    &(status, title, what): &(RuleStatus, &str, &str),
    styles: &Styles,
) {
    let rules: Vec<(&Rule, &RuleOutcome)> = topic
        .rules
        .iter()
        .zip(&outcome.rules)
        .filter(|(_, o)| o.status == status)
        .collect();
    if rules.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\n{} {}",
        styles
            .heading
            .apply_to(format!("{title} ({})", rules.len())),
        styles.dim.apply_to(format!("- {what}"))
    );
    for (rule, rule_outcome) in rules {
        render_rule(out, decision, topic, rule, rule_outcome, &styles.dim);
    }
}

/// Every answer change that would change the verdict, with the rules that
/// would switch.
fn tipping_points(
    out: &mut String,
    rb: &crate::rulebase::RuleBase,
    (topic, outcome): (&Topic, &TopicOutcome),
    styles: &Styles,
) {
    if outcome.tipping_points.is_empty() {
        if outcome.winner.is_some() {
            let _ = writeln!(out, "\nNo single answer change would change the winner.");
        }
        return;
    }
    let heading = match outcome.verdict {
        crate::eval::Verdict::Winner(_) => "What would change the winner",
        _ => "What would change the verdict",
    };
    let _ = writeln!(out, "\n{}", styles.heading.apply_to(heading));
    for tip in &outcome.tipping_points {
        let _ = writeln!(
            out,
            "  {}: {}",
            super::tip_text(tip, false, Some(rb)),
            super::becomes_words(topic, &outcome.verdict, &tip.becomes)
        );
        if !tip.rules.is_empty() {
            let ids: Vec<&str> = tip.rules.iter().map(|r| r.as_str()).collect();
            let _ = writeln!(
                out,
                "      {}",
                styles
                    .dim
                    .apply_to(format!("rules that switch: {}", ids.join(", ")))
            );
        }
    }
}

fn render_rule(
    out: &mut String,
    decision: &DecisionRun<'_>,
    topic: &Topic,
    rule: &Rule,
    outcome: &RuleOutcome,
    dim: &Style,
) {
    let mark = match outcome.status {
        RuleStatus::Fired => "✓",
        RuleStatus::NearMiss => "~",
        RuleStatus::Undetermined => "?",
        RuleStatus::NotFired => "✗",
    };
    let _ = writeln!(
        out,
        "\n  {mark} {}  {}",
        rule.id,
        dim.apply_to(rule.span.location().to_string())
    );
    write_wrapped(out, &rule.summary, WIDTH - RULE_INDENT.len(), RULE_INDENT);
    let mut effects: Vec<String> = rule
        .score
        .iter()
        .map(|(o, p)| format!("{} {}", option_name(topic, o), signed(*p)))
        .collect();
    effects.extend(
        rule.exclude
            .iter()
            .map(|o| format!("rules out {}", option_name(topic, o))),
    );
    let verb = if outcome.status == RuleStatus::Fired {
        "effect"
    } else {
        "would give"
    };
    let _ = writeln!(out, "    {verb}: {}", effects.join(", "));
    match (&outcome.trace, outcome.status) {
        (None, _) => {
            let _ = writeln!(out, "    condition: always applies");
        }
        (Some(trace), _) => {
            let _ = writeln!(out, "    condition:");
            render_trace(out, trace, 3);
        }
    }
    if outcome.status == RuleStatus::NearMiss {
        for test in &outcome.missing {
            let now = test
                .actual
                .as_ref()
                .map_or_else(|| "unanswered".to_owned(), ToString::to_string);
            let _ = writeln!(out, "    missing: {} (now {now})", test.test());
        }
    }
    let _ = writeln!(out, "    {}", dim.apply_to("rationale:"));
    write_wrapped(out, &rule.rationale, WIDTH - RULE_INDENT.len(), RULE_INDENT);
    for source in &rule.sources {
        let info = super::json::source_info(decision.rb, source);
        let text = match info.url {
            Some(url) if info.title != source.as_str() => {
                format!("[{source}] {}, {url}", info.title)
            }
            _ => format!("[{source}] {}", info.title),
        };
        let _ = writeln!(out, "    source: {text}");
    }
    let provenance = super::provenance(rule);
    if !provenance.is_empty() {
        let _ = writeln!(out, "    {}", dim.apply_to(provenance.join(" · ")));
    }
}

fn render_trace(out: &mut String, trace: &Trace, depth: usize) {
    let mark = match trace.truth {
        Truth::True => "✓",
        Truth::False => "✗",
        Truth::Unknown => "?",
    };
    let indent = "  ".repeat(depth);
    match &trace.node {
        TraceNode::All { of } | TraceNode::Any { of } => {
            let word = if matches!(trace.node, TraceNode::All { .. }) {
                "all of"
            } else {
                "any of"
            };
            let _ = writeln!(out, "{indent}{mark} {word}");
            for child in of {
                render_trace(out, child, depth + 1);
            }
        }
        TraceNode::Not { of } => {
            let _ = writeln!(out, "{indent}{mark} not");
            render_trace(out, of, depth + 1);
        }
        TraceNode::Test(test) => {
            let now = test
                .actual
                .as_ref()
                .map_or_else(|| "unanswered".to_owned(), ToString::to_string);
            let _ = writeln!(out, "{indent}{mark} {}  (answer: {now})", test.test());
        }
    }
}
