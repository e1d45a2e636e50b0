//! The terminal report: one ranked table per topic, the verdict with its
//! confidence, the reasons that weigh most, and what would change it.
//!
//! comfy-table lays out and draws the ranking tables: it fits them to the
//! width the caller passes, wrapping the cells that do not fit, so that a
//! narrow terminal gets a narrower table rather than broken lines.

use super::{DecisionRun, answers_text, option_name, reason_weight, signed};
use crate::eval::{Ranked, Status, TopicOutcome};
use crate::rulebase::Topic;
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Attribute, Cell, CellAlignment, Color, ContentArrangement, Table, TableStyle};
use console::Style;
use std::fmt::Write as _;

/// How many tipping points the summary shows (explain shows all).
const MAX_TIPPING_POINTS: usize = 3;
/// How many contributions the "main factors" column lists per option.
const MAX_FACTORS: usize = 3;
/// The frame of the ranking tables: condensed UTF-8 lines, rounded corners.
const TABLE_STYLE: TableStyle = UTF8_FULL_CONDENSED.with_rounded_corners();
const HEADER: [&str; 4] = ["#", "Option", "Score", "Main factors"];
/// The winner's colour in the table, the standard green that `console`
/// gives the verdict line below it.
const WINNER_COLOR: Color = Color::DarkGreen;

#[derive(Clone, Copy, Debug)]
pub struct TableOptions {
    pub color: bool,
    /// Total width available for the table, in columns.
    pub width: u16,
}

struct Styles {
    heading: Style,
    dim: Style,
    winner: Style,
}

impl Styles {
    fn new(color: bool) -> Self {
        let base = Style::new().force_styling(color);
        Self {
            heading: base.clone().bold(),
            dim: base.clone().dim(),
            winner: base.green().bold(),
        }
    }
}

pub fn render(decision: &DecisionRun<'_>, options: &TableOptions) -> String {
    let styles = Styles::new(options.color);
    let mut out = String::new();
    if let Some(title) = &decision.answers.title {
        let _ = writeln!(out, "{}\n", styles.heading.apply_to(title));
    }
    for (i, (topic, outcome)) in decision.topics().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        render_topic(&mut out, decision, topic, outcome, options, &styles);
    }
    risks(&mut out, decision, &styles);
    if !decision.rb.packs().is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            styles
                .dim
                .apply_to(format!("rule base: {}", decision.rb.origin()))
        );
    }
    out
}

/// The risks the answers raise, each with what raised it and its mitigation.
fn risks(out: &mut String, decision: &DecisionRun<'_>, styles: &Styles) {
    let risks = super::risk_rows(decision);
    if risks.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\n{}",
        styles
            .heading
            .apply_to(format!("Risks: {}", super::risk_summary(&risks)))
    );
    for (flag, risk) in risks {
        let _ = writeln!(
            out,
            "  [{}] {} ({})\n    {}\n    {}",
            flag.severity,
            risk.title,
            risk.id,
            styles
                .dim
                .apply_to(format!("because {}", super::answers_text(&flag.answers))),
            format_args!("Mitigation: {}", risk.mitigation)
        );
    }
}

fn render_topic(
    out: &mut String,
    decision: &DecisionRun<'_>,
    topic: &Topic,
    outcome: &TopicOutcome,
    options: &TableOptions,
    styles: &Styles,
) {
    let _ = writeln!(
        out,
        "{} {}",
        styles.heading.apply_to(&topic.title),
        styles.dim.apply_to(format!("({})", topic.id))
    );
    if outcome.status == Status::NotApplicable && !outcome.requested {
        // A topic that does not apply is a line, not a ranking.
        let _ = writeln!(
            out,
            "→ not applicable: {}",
            super::not_applicable_reason(topic, outcome)
        );
        return;
    }
    // Line by line into the report: no joined copy of the table.
    for line in ranking_table(topic, outcome, options).lines() {
        out.push_str(&line);
        out.push('\n');
    }
    verdict(out, topic, outcome, styles);
    reasons(out, decision, outcome, styles);
    let advice = super::advice(decision, outcome);
    if !advice.is_empty() {
        let _ = writeln!(out, "  Also:");
        for (rule, text) in advice {
            let _ = writeln!(
                out,
                "    - {text} {}",
                styles.dim.apply_to(format!("({rule})"))
            );
        }
    }
    for line in super::context_lines(decision, topic, outcome) {
        let _ = writeln!(out, "  {line}");
    }
    tipping_points(out, topic, outcome, styles);
    unknowns_and_defaults(out, decision, topic, outcome);
}

/// The lines under the table: the verdict and how sure it is (for a topic
/// that does not apply, why), then a plan's options or a staged topic's
/// triggers and end state.
fn verdict(out: &mut String, topic: &Topic, outcome: &TopicOutcome, styles: &Styles) {
    let lines = super::verdict_lines(topic, outcome);
    let headline = styles.winner.apply_to(&lines.headline);
    if lines.detail.is_empty() {
        let _ = writeln!(out, "→ {headline}");
    } else {
        let _ = writeln!(out, "→ {headline}: {}", lines.detail);
    }
    for line in &lines.more {
        let _ = writeln!(out, "  {line}");
    }
}

/// "Why": the rules that weigh most for the verdict, each with its weight,
/// id and the answers that made it fire.
fn reasons(out: &mut String, decision: &DecisionRun<'_>, outcome: &TopicOutcome, styles: &Styles) {
    if outcome.reasons.is_empty() {
        return;
    }
    let _ = writeln!(out, "  Why:");
    for (i, reason) in outcome.reasons.iter().enumerate() {
        let Some((_, rule)) = decision.rb.rule(reason.rule.as_str()) else {
            continue;
        };
        let _ = writeln!(out, "    {}. {}", i + 1, rule.summary);
        let because = answers_text(&reason.answers);
        let because = if because.is_empty() {
            "always applies".to_owned()
        } else {
            because
        };
        let detail = format!("{} · {} · {because}", reason_weight(rule, reason), rule.id);
        let _ = writeln!(out, "       {}", styles.dim.apply_to(detail));
    }
}

/// "Would change if": the first few answer changes that would change the
/// winner, and where to find the rest.
fn tipping_points(out: &mut String, topic: &Topic, outcome: &TopicOutcome, styles: &Styles) {
    if outcome.tipping_points.is_empty() {
        return;
    }
    let _ = writeln!(out, "  Would change if:");
    for tip in outcome.tipping_points.iter().take(MAX_TIPPING_POINTS) {
        let _ = writeln!(
            out,
            "    {}: {}",
            super::tip_text(tip, false, None),
            super::becomes_words(topic, &outcome.verdict, &tip.becomes)
        );
    }
    let more = outcome
        .tipping_points
        .len()
        .saturating_sub(MAX_TIPPING_POINTS);
    if more > 0 {
        let _ = writeln!(
            out,
            "    {}",
            styles.dim.apply_to(format!(
                "and {more} more: tradeoff explain --topic {}",
                topic.id
            ))
        );
    }
}

/// The answers still unknown, and those the topic took by default.
fn unknowns_and_defaults(
    out: &mut String,
    decision: &DecisionRun<'_>,
    topic: &Topic,
    outcome: &TopicOutcome,
) {
    if !outcome.unknowns.is_empty() {
        let ids: Vec<&str> = outcome.unknowns.iter().map(|q| q.as_str()).collect();
        let _ = writeln!(
            out,
            "  Unknown: {} (worth finding out before committing)",
            ids.join(", ")
        );
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
                    .map(|a| format!("{q} = {a}"))
            })
            .collect();
        let _ = writeln!(out, "  Assumed by default: {}", items.join(", "));
    }
}

/// The ranking of one topic as a table fitted to `options.width`: rank,
/// option, score and the factors that weigh most. comfy-table wraps the
/// option names and factors between words when the table would be wider.
fn ranking_table(topic: &Topic, outcome: &TopicOutcome, options: &TableOptions) -> Table {
    let mut table = Table::new();
    // No terminal is asked about: the caller passes the width, and colour
    // is the caller's choice too (left to itself, comfy-table would style a
    // terminal's cells under NO_COLOR, which its colour library reads only
    // for colours, not for bold or dim).
    table
        .load_style(TABLE_STYLE)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(options.width)
        .force_no_tty()
        .set_header(HEADER);
    if options.color {
        table.enforce_styling().style_text_only();
    }
    for ranked in &outcome.ranking {
        table.add_row(ranking_row(topic, outcome, ranked, options.color));
    }
    table
}

/// One ranked option's cells. With colour, the winner's name and score are
/// green and bold, and the names of options ruled out are dim.
fn ranking_row(topic: &Topic, outcome: &TopicOutcome, ranked: &Ranked, color: bool) -> [Cell; 4] {
    let out = !ranked.excluded_by.is_empty();
    let (rank, score) = if out {
        ("–".to_owned(), "out".to_owned())
    } else {
        (ranked.rank.to_string(), signed(ranked.score))
    };
    let mut name = Cell::new(option_name(topic, &ranked.option));
    let mut score = Cell::new(score).set_alignment(CellAlignment::Right);
    if color && outcome.winner.as_ref() == Some(&ranked.option) {
        name = name.fg(WINNER_COLOR).add_attribute(Attribute::Bold);
        score = score.fg(WINNER_COLOR).add_attribute(Attribute::Bold);
    } else if color && out {
        name = name.add_attribute(Attribute::Dim);
    }
    [
        Cell::new(rank).set_alignment(CellAlignment::Right),
        name,
        score,
        Cell::new(factors(ranked)),
    ]
}

/// The "Main factors" cell: the rules that ruled an option out, or its
/// largest contributions (`+3 rule-id`) and how many more there are.
fn factors(ranked: &Ranked) -> String {
    if !ranked.excluded_by.is_empty() {
        let ids: Vec<&str> = ranked.excluded_by.iter().map(|r| r.as_str()).collect();
        return format!("ruled out by {}", ids.join(", "));
    }
    let mut contributions: Vec<_> = ranked.contributions.iter().collect();
    contributions.sort_by_key(|c| std::cmp::Reverse(c.points.abs()));
    let mut shown: Vec<String> = contributions
        .iter()
        .take(MAX_FACTORS)
        .map(|c| format!("{} {}", signed(c.points), c.rule))
        .collect();
    let rest = contributions.len().saturating_sub(MAX_FACTORS);
    if rest > 0 {
        shown.push(format!("… {rest} more"));
    }
    shown.join(", ")
}
