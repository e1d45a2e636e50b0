//! The Markdown report: the terminal report's content for pull requests,
//! wikis and CI summaries (GitHub-flavoured tables), with a bar chart of
//! each topic's scores that GitHub draws (Mermaid) above its table, which
//! stays as the fallback. After several topics, a summary.
//!
//! Every verdict, under a table and in the summary, is laid out from the
//! same verdict lines the terminal uses.

use super::table::Extras;
use super::{DecisionRun, answers_text, option_name, reason_weight, signed};
use crate::eval::{Status, TopicOutcome, Verdict};
use crate::rulebase::{RuleBase, Topic};
use std::fmt::Write as _;

/// The whole report, with no extras.
pub fn render(decision: &DecisionRun<'_>) -> String {
    render_with(decision, &Extras::default())
}

/// The whole report: each topic, the risks and, after several topics, the
/// summary; or only the summary.
pub fn render_with(decision: &DecisionRun<'_>, extras: &Extras<'_>) -> String {
    let mut out = String::new();
    if let Some(title) = &decision.answers.title {
        let _ = writeln!(out, "# {}\n", escape(title));
    }
    if extras.summary_only {
        summary(&mut out, decision);
        footer(&mut out, decision);
        return out;
    }
    for (topic, outcome) in decision.topics() {
        render_topic(&mut out, decision, topic, outcome);
    }
    risks(&mut out, decision);
    if decision.evaluation.topics.len() > 1 {
        summary(&mut out, decision);
    }
    footer(&mut out, decision);
    out
}

/// The verdict on one topic in a summary cell: the headline in bold with
/// its detail (how firmly it leads, or what it is), or that nothing survives.
fn verdict(rb: &RuleBase, topic: &Topic, outcome: &TopicOutcome) -> String {
    if outcome.verdict == Verdict::NoOption {
        return "**none**: no option survives the knock-out rules; the constraints conflict"
            .to_owned();
    }
    let lines = super::verdict_lines(rb, topic, outcome);
    if lines.detail.is_empty() {
        format!("**{}**", escape(&lines.headline))
    } else {
        format!(
            "**{}** ({})",
            escape(&lines.headline),
            escape(&lines.detail)
        )
    }
}

/// The verdict in bold, with its confidence; then a plan's options, or a
/// staged topic's triggers and end state, one per line.
fn recommendation(out: &mut String, rb: &RuleBase, topic: &Topic, outcome: &TopicOutcome) {
    if outcome.verdict == Verdict::NoOption {
        let _ = writeln!(
            out,
            "**No option survives the knock-out rules**: the constraints conflict.\n"
        );
        return;
    }
    let lines = super::verdict_lines(rb, topic, outcome);
    let headline = match (&outcome.verdict, &outcome.next) {
        (Verdict::Winner(w), None) => escape(option_name(topic, w)),
        _ => escape(&lines.headline),
    };
    if lines.detail.is_empty() {
        let _ = writeln!(out, "**Recommendation: {headline}**.\n");
    } else {
        let _ = writeln!(
            out,
            "**Recommendation: {headline}** ({}).\n",
            escape(&lines.detail)
        );
    }
    for line in &lines.more {
        let _ = writeln!(out, "- {}", escape(line));
    }
    if !lines.more.is_empty() {
        out.push('\n');
    }
}

/// The summary: a table of each topic's verdict, the risks by severity
/// and the unknown answers worth finding out.
fn summary(out: &mut String, decision: &DecisionRun<'_>) {
    let _ = writeln!(out, "## Summary\n\n| Topic | Verdict |\n|---|---|");
    for (topic, outcome) in decision.topics() {
        let _ = writeln!(
            out,
            "| {} | {} |",
            escape(&topic.title),
            verdict(decision.rb, topic, outcome)
        );
    }
    out.push('\n');
    let risks = super::risk_rows(decision);
    if !risks.is_empty() {
        let items: Vec<String> = risks
            .iter()
            .map(|(flag, risk)| format!("{} ({})", escape(&risk.title), flag.severity))
            .collect();
        let _ = writeln!(out, "**Risks:** {}\n", items.join("; "));
    }
    let mut unknowns: Vec<String> = Vec::new();
    for (_, outcome) in decision.topics() {
        for id in &outcome.unknowns {
            let text = question_text(decision, id);
            if !unknowns.contains(&text) {
                unknowns.push(text);
            }
        }
    }
    if !unknowns.is_empty() {
        let _ = writeln!(
            out,
            "**Worth finding out before committing:** {}\n",
            unknowns.join(", ")
        );
    }
}

/// A question by its label, with its id as code: `Peak traffic (\`peak_rps\`)`.
fn question_text(decision: &DecisionRun<'_>, id: &crate::ids::QuestionId) -> String {
    match decision.rb.question(id.as_str()) {
        Some(q) => format!("{} (`{id}`)", escape(&q.label)),
        None => format!("`{id}`"),
    }
}

fn footer(out: &mut String, decision: &DecisionRun<'_>) {
    let _ = writeln!(
        out,
        "<sub>tradeoff {} · rule base `{}` ({})</sub>",
        env!("CARGO_PKG_VERSION"),
        decision.rb.short_fingerprint(),
        decision.rb.origin()
    );
}

/// The risks the answers raise, most severe first, with their mitigation.
fn risks(out: &mut String, decision: &DecisionRun<'_>) {
    let risks = super::risk_rows(decision);
    if !risks.is_empty() {
        let _ = writeln!(out, "## Risks ({})\n", super::risk_summary(&risks));
        for (flag, risk) in risks {
            let _ = writeln!(
                out,
                "- **{}** {} (`{}`: {}). Mitigation: {}",
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

fn render_topic(
    out: &mut String,
    decision: &DecisionRun<'_>,
    topic: &Topic,
    outcome: &TopicOutcome,
) {
    let _ = writeln!(out, "## {} (`{}`)\n", escape(&topic.title), topic.id);
    if outcome.status == Status::NotApplicable && !outcome.requested {
        let _ = writeln!(
            out,
            "**Not applicable**: {}.\n",
            escape(&super::not_applicable_reason(topic, outcome))
        );
        return;
    }
    let _ = writeln!(out, "{}\n", escape(&topic.problem));
    if let Some(chart) = super::chart::mermaid(topic, outcome) {
        let _ = writeln!(out, "{chart}");
    }
    ranking(out, topic, outcome);
    recommendation(out, decision.rb, topic, outcome);
    let context = super::context_lines(decision, topic, outcome);
    if !context.is_empty() {
        for line in context {
            let _ = writeln!(out, "- {}", escape(&line));
        }
        out.push('\n');
    }
    reasons(out, decision, outcome);
    let advice = super::advice(decision, outcome);
    if !advice.is_empty() {
        let _ = writeln!(out, "**Also**\n");
        for (rule, text) in advice {
            let _ = writeln!(out, "- {} (`{rule}`)", escape(text));
        }
        out.push('\n');
    }
    if !outcome.tipping_points.is_empty() {
        let _ = writeln!(out, "**Would change if**\n");
        for tip in &outcome.tipping_points {
            let _ = writeln!(
                out,
                "- {}: {}",
                super::tip_markdown(tip, decision.rb),
                escape(&super::becomes_words(topic, &outcome.verdict, &tip.becomes))
            );
        }
        out.push('\n');
    }
    unknowns_and_defaults(out, decision, topic, outcome);
}

/// The ranking as a table: the table that stands in for the chart where
/// Mermaid is not drawn.
fn ranking(out: &mut String, topic: &Topic, outcome: &TopicOutcome) {
    let _ = writeln!(out, "| # | Option | Score | Main factors |");
    let _ = writeln!(out, "|---:|---|---:|---|");
    for ranked in &outcome.ranking {
        let name = escape(option_name(topic, &ranked.option));
        let winner = outcome.winner.as_ref() == Some(&ranked.option);
        if ranked.excluded_by.is_empty() {
            let factors: Vec<String> = ranked
                .contributions
                .iter()
                .map(|c| format!("{} `{}`", signed(c.points), c.rule))
                .collect();
            let name = if winner { format!("**{name}**") } else { name };
            let _ = writeln!(
                out,
                "| {} | {name} | {} | {} |",
                ranked.rank,
                signed(ranked.score),
                factors.join(", ")
            );
        } else {
            let ids: Vec<String> = ranked
                .excluded_by
                .iter()
                .map(|r| format!("`{r}`"))
                .collect();
            let _ = writeln!(
                out,
                "| – | ~~{name}~~ | out | ruled out by {} |",
                ids.join(", ")
            );
        }
    }
    out.push('\n');
}

/// "Why": the rules that weigh most, with the answers behind them.
fn reasons(out: &mut String, decision: &DecisionRun<'_>, outcome: &TopicOutcome) {
    if outcome.reasons.is_empty() {
        return;
    }
    let _ = writeln!(out, "**Why**\n");
    for reason in &outcome.reasons {
        let Some((_, rule)) = decision.rb.rule(reason.rule.as_str()) else {
            continue;
        };
        let weight = reason_weight(rule, reason);
        let because = answers_text(&reason.answers);
        let because = if because.is_empty() {
            "always applies".to_owned()
        } else {
            because
        };
        let _ = writeln!(
            out,
            "- **{weight}** {} (`{}`: {})",
            escape(&rule.summary),
            rule.id,
            escape(&because)
        );
    }
    out.push('\n');
}

/// The unknown answers and those the topic took by default, by label.
fn unknowns_and_defaults(
    out: &mut String,
    decision: &DecisionRun<'_>,
    topic: &Topic,
    outcome: &TopicOutcome,
) {
    if !outcome.unknowns.is_empty() {
        let questions: Vec<String> = outcome
            .unknowns
            .iter()
            .map(|q| question_text(decision, q))
            .collect();
        let _ = writeln!(out, "**Unknown:** {}\n", questions.join(", "));
    }
    let defaulted = decision.defaulted_for(topic);
    if !defaulted.is_empty() {
        let items: Vec<String> = defaulted
            .iter()
            .filter_map(|q| {
                let answer = decision.resolution.facts.get(q)?;
                let text = decision.rb.question(q.as_str()).map_or_else(
                    || answer.to_string(),
                    |question| crate::words::brief_answer(question, answer),
                );
                Some(format!("{}: {}", question_text(decision, q), escape(&text)))
            })
            .collect();
        let _ = writeln!(out, "**Assumed by default:** {}\n", items.join(", "));
    }
}

/// Escapes characters that would break a table cell or inline Markdown,
/// and shows control characters as their pictures (`␛`): a record is read
/// in terminals too.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '|' | '*' | '_' | '`' | '<' | '>' | '[' | ']') {
            out.push('\\');
        }
        out.push(match c {
            '\n' => ' ',
            c => crate::words::control_picture(c),
        });
    }
    out
}
