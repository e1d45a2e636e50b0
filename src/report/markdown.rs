//! The Markdown report: the terminal report's content for pull requests,
//! wikis and CI summaries (GitHub-flavoured tables).

use super::{DecisionRun, answers_text, option_name, reason_weight, signed};
use crate::eval::{Status, TopicOutcome, Verdict};
use crate::rulebase::Topic;
use std::fmt::Write as _;

pub fn render(decision: &DecisionRun<'_>) -> String {
    let mut out = String::new();
    if let Some(title) = &decision.answers.title {
        let _ = writeln!(out, "# {}\n", escape(title));
    }
    for (topic, outcome) in decision.topics() {
        render_topic(&mut out, decision, topic, outcome);
    }
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
    let _ = writeln!(
        out,
        "<sub>tradeoff {} · rule base `{}` ({})</sub>",
        env!("CARGO_PKG_VERSION"),
        decision.rb.short_fingerprint(),
        decision.rb.origin()
    );
    out
}

/// The verdict in bold, with its confidence; then a plan's options, or a
/// staged topic's triggers and end state, one per line.
fn recommendation(out: &mut String, topic: &Topic, outcome: &TopicOutcome) {
    if outcome.verdict == Verdict::NoOption {
        let _ = writeln!(
            out,
            "**No option survives the knock-out rules**: the constraints conflict.\n"
        );
        return;
    }
    let lines = super::verdict_lines(topic, outcome);
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
    recommendation(out, topic, outcome);
    let context = super::context_lines(decision, topic, outcome);
    if !context.is_empty() {
        for line in context {
            let _ = writeln!(out, "- {}", escape(&line));
        }
        out.push('\n');
    }
    if !outcome.reasons.is_empty() {
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
                super::tip_text(tip, true, None),
                escape(&super::becomes_words(topic, &outcome.verdict, &tip.becomes))
            );
        }
        out.push('\n');
    }
    if !outcome.unknowns.is_empty() {
        let ids: Vec<String> = outcome.unknowns.iter().map(|q| format!("`{q}`")).collect();
        let _ = writeln!(out, "**Unknown:** {}\n", ids.join(", "));
    }
    let defaulted = decision.defaulted_for(topic);
    if !defaulted.is_empty() {
        let items: Vec<String> = defaulted
            .iter()
            .filter_map(|q| {
                decision
                    .resolution
                    .facts
                    .get(q)
                    .map(|a| format!("`{q} = {a}`"))
            })
            .collect();
        let _ = writeln!(out, "**Assumed by default:** {}\n", items.join(", "));
    }
}

/// Escapes characters that would break a table cell or inline Markdown.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '|' | '*' | '_' | '`' | '<' | '>' | '[' | ']') {
            out.push('\\');
        }
        out.push(if c == '\n' { ' ' } else { c });
    }
    out
}
