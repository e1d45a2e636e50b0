//! The terminal report: one ranked table per topic, the verdict with its
//! confidence, the reasons that weigh most, and what would change it; and,
//! after several topics, one block that sums them up.
//!
//! comfy-table lays out and draws the ranking tables: it fits them to the
//! width the caller passes, wrapping the cells that do not fit, so that a
//! narrow terminal gets a narrower table rather than broken lines. The prose
//! under each table wraps at the same width with a hanging indent
//! (textwrap). Each score has a bar beside it ([`super::chart`]).
//!
//! Every verdict line, under a table and in the summary, comes from one
//! function, [`verdict_line`].

use super::{DecisionRun, answers_text, option_name, reason_weight, signed};
use super::{chart, write_hanging};
use crate::eval::{Ranked, Status, TopicOutcome};
use crate::rulebase::{RuleBase, Severity, Topic};
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{
    Attribute, Cell, CellAlignment, Color, ColumnConstraint, ContentArrangement, Table, TableStyle,
    Width,
};
use console::Style;
use std::fmt::Write as _;

/// How many tipping points the report shows under a table (explain shows all).
const MAX_TIPPING_POINTS: usize = 3;
/// How many contributions the "main factors" column lists per option.
const MAX_FACTORS: usize = 3;
/// The frame of the ranking tables: condensed UTF-8 lines, rounded corners.
const TABLE_STYLE: TableStyle = UTF8_FULL_CONDENSED.with_rounded_corners();
const HEADER: [&str; 4] = ["#", "Option", "Score", "Main factors"];
/// The winner's colour in the table, the standard green that `console`
/// gives the verdict line below it.
const WINNER_COLOR: Color = Color::DarkGreen;
/// The Option column is never narrower than this (or its longest name),
/// so that a narrow terminal squeezes the factors, not the names.
const OPTION_MIN_WIDTH: u16 = 22;
/// Below this width, factors go one to a line and bars are shorter.
const NARROW: u16 = 120;

#[derive(Clone, Copy, Debug)]
pub struct TableOptions {
    pub color: bool,
    /// Total width available for the table, in columns.
    pub width: u16,
}

/// What the report says beyond the tables, and how it points at the next
/// command.
#[derive(Clone, Copy, Debug, Default)]
pub struct Extras<'a> {
    /// The options that give another command this run's answers (for
    /// example `--answers team.toml --set peak_rps=900`), so that the
    /// commands the report suggests run as printed; `None` when the answers
    /// are in no file (yet).
    pub answers_args: Option<&'a str>,
    /// Only the summary block, for every run (not only several topics).
    pub summary_only: bool,
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

/// The whole report, with no extras.
pub fn render(decision: &DecisionRun<'_>, options: &TableOptions) -> String {
    render_with(decision, options, &Extras::default())
}

/// The whole report: each topic in detail, the risks, and, after several
/// topics, the summary; or only the summary.
pub fn render_with(
    decision: &DecisionRun<'_>,
    options: &TableOptions,
    extras: &Extras<'_>,
) -> String {
    let styles = Styles::new(options.color);
    let mut out = String::new();
    if let Some(title) = &decision.answers.title {
        let _ = writeln!(out, "{}\n", styles.heading.apply_to(title));
    }
    if extras.summary_only {
        summary(&mut out, decision, options, &styles);
        return out;
    }
    for (i, (topic, outcome)) in decision.topics().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        render_topic(
            &mut out,
            decision,
            (topic, outcome),
            options,
            extras,
            &styles,
        );
    }
    risks(&mut out, decision, options, &styles);
    if !decision.rb.packs().is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            styles
                .dim
                .apply_to(format!("rule base: {}", decision.rb.origin()))
        );
    }
    if decision.evaluation.topics.len() > 1 {
        out.push('\n');
        summary(&mut out, decision, options, &styles);
    }
    out
}

/// The verdict on one topic, in one line, for the terminal: the winner
/// and how firmly it leads, a tie, a plan or a next step, or that nothing
/// survives. The line under each table, each topic's line in the summary,
/// and the explanation's verdict.
pub fn verdict(rb: &RuleBase, topic: &Topic, outcome: &TopicOutcome, color: bool) -> String {
    verdict_line(rb, topic, outcome, &Styles::new(color))
}

fn verdict_line(rb: &RuleBase, topic: &Topic, outcome: &TopicOutcome, styles: &Styles) -> String {
    headline(&super::verdict_lines(rb, topic, outcome), styles)
}

/// The verdict's headline, in the winner's colour, and its detail.
fn headline(lines: &super::VerdictLines, styles: &Styles) -> String {
    let headline = styles.winner.apply_to(&lines.headline);
    if lines.detail.is_empty() {
        headline.to_string()
    } else {
        format!("{headline}: {}", lines.detail)
    }
}

/// The block that sums a run up: each topic's verdict, the risks (high
/// first, with their mitigation) and the unknown answers worth finding out.
fn summary(out: &mut String, decision: &DecisionRun<'_>, options: &TableOptions, styles: &Styles) {
    let width = usize::from(options.width);
    let topics: Vec<_> = decision.topics().collect();
    let _ = writeln!(
        out,
        "{}",
        styles.heading.apply_to(format!(
            "Summary: {}",
            crate::words::count(topics.len(), "decision", "decisions")
        ))
    );
    for (topic, outcome) in &topics {
        let line = format!(
            "{} → {}",
            topic.title,
            verdict_line(decision.rb, topic, outcome, styles)
        );
        write_hanging(out, &line, width, "  ", "      ");
    }
    let risks = super::risk_rows(decision);
    if !risks.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            styles
                .heading
                .apply_to(format!("Risks: {}", super::risk_summary(&risks)))
        );
        for (flag, risk) in risks {
            let head = format!("[{}] {} ({})", flag.severity, risk.title, risk.id);
            write_hanging(out, &head, width, "  ", "      ");
            if flag.severity == Severity::High {
                let mitigation = format!("Mitigation: {}", risk.mitigation);
                write_hanging(out, &mitigation, width, "      ", "      ");
            }
        }
    }
    let unknowns = unknowns(decision);
    if !unknowns.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            styles
                .heading
                .apply_to("Worth finding out before committing:")
        );
        for (label, topics) in unknowns {
            let line = format!("{label}: for {}", topics.join(", "));
            write_hanging(out, &line, width, "  ", "      ");
        }
    }
}

/// The unknown answers the topics read, each by its label with the titles
/// of the topics that read it, in the order they first come up.
fn unknowns<'a>(decision: &DecisionRun<'a>) -> Vec<(&'a str, Vec<&'a str>)> {
    let mut out: Vec<(&str, Vec<&str>)> = Vec::new();
    for (topic, outcome) in decision.topics() {
        for id in &outcome.unknowns {
            let label = decision
                .rb
                .question(id.as_str())
                .map_or(id.as_str(), |q| q.label.as_ref());
            match out.iter_mut().find(|(l, _)| *l == label) {
                Some((_, topics)) => topics.push(&topic.title),
                None => out.push((label, vec![&topic.title])),
            }
        }
    }
    out
}

/// The risks the answers raise, each with what raised it and its mitigation.
fn risks(out: &mut String, decision: &DecisionRun<'_>, options: &TableOptions, styles: &Styles) {
    let risks = super::risk_rows(decision);
    if risks.is_empty() {
        return;
    }
    let width = usize::from(options.width);
    let _ = writeln!(
        out,
        "\n{}",
        styles
            .heading
            .apply_to(format!("Risks: {}", super::risk_summary(&risks)))
    );
    for (flag, risk) in risks {
        let head = format!("[{}] {} ({})", flag.severity, risk.title, risk.id);
        write_hanging(out, &head, width, "  ", "    ");
        let because = format!("because {}", super::answers_text(&flag.answers));
        let mut dim = String::new();
        write_hanging(&mut dim, &because, width, "    ", "    ");
        for line in dim.lines() {
            let _ = writeln!(out, "{}", styles.dim.apply_to(line));
        }
        let mitigation = format!("Mitigation: {}", risk.mitigation);
        write_hanging(out, &mitigation, width, "    ", "    ");
    }
}

fn render_topic(
    out: &mut String,
    decision: &DecisionRun<'_>,
    (topic, outcome): (&Topic, &TopicOutcome),
    options: &TableOptions,
    extras: &Extras<'_>,
    styles: &Styles,
) {
    let width = usize::from(options.width);
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
    // The lines under the verdict: a plan's options, or a staged topic's
    // triggers and end state, one per line.
    let lines = super::verdict_lines(decision.rb, topic, outcome);
    write_hanging(
        out,
        &format!("→ {}", headline(&lines, styles)),
        width,
        "",
        "  ",
    );
    for line in &lines.more {
        write_hanging(out, line, width, "  ", "    ");
    }
    reasons(out, decision, outcome, width, styles);
    let advice = super::advice(decision, outcome);
    if !advice.is_empty() {
        let _ = writeln!(out, "  Also:");
        for (rule, text) in advice {
            let line = format!("{text} {}", styles.dim.apply_to(format!("({rule})")));
            write_hanging(out, &line, width, "    - ", "      ");
        }
    }
    for line in super::context_lines(decision, topic, outcome) {
        write_hanging(out, &line, width, "  ", "    ");
    }
    tipping_points(out, decision, (topic, outcome), width, extras, styles);
    unknowns_and_defaults(out, decision, topic, outcome, width);
}

/// "Why": the rules that weigh most for the verdict, each with its weight,
/// id and the answers that made it fire.
fn reasons(
    out: &mut String,
    decision: &DecisionRun<'_>,
    outcome: &TopicOutcome,
    width: usize,
    styles: &Styles,
) {
    if outcome.reasons.is_empty() {
        return;
    }
    let _ = writeln!(out, "  Why:");
    for (i, reason) in outcome.reasons.iter().enumerate() {
        let Some((_, rule)) = decision.rb.rule(reason.rule.as_str()) else {
            continue;
        };
        write_hanging(
            out,
            &rule.summary,
            width,
            &format!("    {}. ", i + 1),
            "       ",
        );
        let because = answers_text(&reason.answers);
        let because = if because.is_empty() {
            "always applies".to_owned()
        } else {
            because
        };
        let detail = format!("{} · {} · {because}", reason_weight(rule, reason), rule.id);
        let mut dim = String::new();
        write_hanging(&mut dim, &detail, width, "       ", "         ");
        for line in dim.lines() {
            let _ = writeln!(out, "{}", styles.dim.apply_to(line));
        }
    }
}

/// "Would change if": the first few answer changes that would change the
/// winner, and the command that lists the rest.
fn tipping_points(
    out: &mut String,
    decision: &DecisionRun<'_>,
    (topic, outcome): (&Topic, &TopicOutcome),
    width: usize,
    extras: &Extras<'_>,
    styles: &Styles,
) {
    if outcome.tipping_points.is_empty() {
        return;
    }
    let _ = writeln!(out, "  Would change if:");
    for tip in outcome.tipping_points.iter().take(MAX_TIPPING_POINTS) {
        let line = format!(
            "{}: {}",
            super::tip_text(tip, false, Some(decision.rb)),
            super::becomes_words(topic, &outcome.verdict, &tip.becomes)
        );
        write_hanging(out, &line, width, "    ", "      ");
    }
    let more = outcome
        .tipping_points
        .len()
        .saturating_sub(MAX_TIPPING_POINTS);
    if more > 0 {
        let (more, command) = match extras.answers_args {
            Some(args) => (
                format!("and {more} more"),
                format!("tradeoff explain {args} --topic {}", topic.id),
            ),
            None => (
                format!("and {more} more, once the answers are saved"),
                format!("tradeoff explain --answers FILE --topic {}", topic.id),
            ),
        };
        // The command stays whole on one line, to copy as printed.
        let line = format!("    {more}: `{command}`");
        let text = if console::measure_text_width(&line) <= width {
            line
        } else {
            format!("    {more}:\n      {command}")
        };
        for text in text.lines() {
            let _ = writeln!(out, "{}", styles.dim.apply_to(text));
        }
    }
}

/// The answers still unknown, and those the topic took by default, by
/// their labels.
fn unknowns_and_defaults(
    out: &mut String,
    decision: &DecisionRun<'_>,
    topic: &Topic,
    outcome: &TopicOutcome,
    width: usize,
) {
    let label = |id: &crate::ids::QuestionId| {
        decision
            .rb
            .question(id.as_str())
            .map_or_else(|| id.to_string(), |q| q.label.to_string())
    };
    if !outcome.unknowns.is_empty() {
        let labels: Vec<String> = outcome.unknowns.iter().map(label).collect();
        let line = format!(
            "Unknown: {} (worth finding out before committing)",
            labels.join(", ")
        );
        write_hanging(out, &line, width, "  ", "    ");
    }
    let defaulted = decision.defaulted_for(topic);
    if !defaulted.is_empty() {
        let items: Vec<String> = defaulted
            .iter()
            .filter_map(|q| {
                let answer = decision.resolution.facts.get(q)?;
                let text = decision.rb.question(q.as_str()).map_or_else(
                    || answer.to_string(),
                    |q| crate::words::brief_answer(q, answer),
                );
                Some(format!("{} ({text})", label(q)))
            })
            .collect();
        let line = format!("Assumed by default: {}", items.join(", "));
        write_hanging(out, &line, width, "  ", "    ");
    }
}

/// The ranking of one topic as a table fitted to `options.width`: rank,
/// option, score with its bar, and the factors that weigh most.
/// comfy-table wraps the factors between words when the table would be
/// wider; the Option column keeps a minimum width.
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
    let layout = Layout::new(topic, outcome, options);
    for ranked in &outcome.ranking {
        table.add_row(ranking_row(topic, outcome, ranked, &layout));
    }
    if let Some(column) = table.column_mut(1) {
        // The width comfy-table keeps counts the cell's padding, one each side.
        column.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(
            layout.option_width + 2,
        )));
    }
    table
}

/// How one topic's table is laid out at the width given.
struct Layout {
    color: bool,
    /// The widest score as text (`+14`), so that bars line up.
    score_width: usize,
    /// The score that fills a bar, and how many cells a bar has.
    scale: i32,
    bar_width: usize,
    /// Whether factors go one to a line.
    narrow: bool,
    option_width: u16,
}

impl Layout {
    fn new(topic: &Topic, outcome: &TopicOutcome, options: &TableOptions) -> Self {
        let narrow = options.width < NARROW;
        let longest = outcome
            .ranking
            .iter()
            .map(|r| console::measure_text_width(option_name(topic, &r.option)))
            .max()
            .unwrap_or(0);
        Self {
            color: options.color,
            score_width: outcome
                .ranking
                .iter()
                .map(|r| signed(r.score).len())
                .max()
                .unwrap_or(1),
            scale: chart::scale(outcome),
            bar_width: if narrow { 6 } else { 10 },
            narrow,
            option_width: u16::try_from(longest)
                .unwrap_or(OPTION_MIN_WIDTH)
                .min(OPTION_MIN_WIDTH),
        }
    }
}

/// One ranked option's cells. With colour, the winner's name and score are
/// green and bold, and the names of options ruled out are dim.
fn ranking_row(
    topic: &Topic,
    outcome: &TopicOutcome,
    ranked: &Ranked,
    layout: &Layout,
) -> [Cell; 4] {
    let out = !ranked.excluded_by.is_empty();
    let (rank, score) = if out {
        (
            "–".to_owned(),
            format!("{:>w$}", "out", w = layout.score_width),
        )
    } else {
        let bar = chart::bar(ranked.score, layout.scale, layout.bar_width);
        let number = format!("{:>w$}", signed(ranked.score), w = layout.score_width);
        (
            ranked.rank.to_string(),
            format!("{number} {bar}").trim_end().to_owned(),
        )
    };
    let mut name = Cell::new(option_name(topic, &ranked.option));
    let mut score = Cell::new(score);
    if layout.color && outcome.winner.as_ref() == Some(&ranked.option) {
        name = name.fg(WINNER_COLOR).add_attribute(Attribute::Bold);
        score = score.fg(WINNER_COLOR).add_attribute(Attribute::Bold);
    } else if layout.color && out {
        name = name.add_attribute(Attribute::Dim);
    }
    [
        Cell::new(rank).set_alignment(CellAlignment::Right),
        name,
        score,
        Cell::new(factors(ranked, layout.narrow)),
    ]
}

/// The "Main factors" cell: the rules that ruled an option out, or its
/// largest contributions (`+3 rule-id`) and how many more there are; one
/// to a line on a narrow terminal, where a list would break mid-id.
fn factors(ranked: &Ranked, narrow: bool) -> String {
    let separator = if narrow { "\n" } else { ", " };
    if !ranked.excluded_by.is_empty() {
        let ids: Vec<&str> = ranked.excluded_by.iter().map(|r| r.as_str()).collect();
        return format!(
            "ruled out by{}{}",
            if narrow { "\n" } else { " " },
            ids.join(separator)
        );
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
    shown.join(separator)
}
