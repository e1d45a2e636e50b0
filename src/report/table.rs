//! The terminal report: one ranked table per topic, the verdict with its
//! confidence, the reasons that weigh most, and what would change it.

use super::grid::{self, Align, GridCell, text_width};
use super::{Decision, answers_text, confidence_sentence, option_name, reason_weight, signed};
use crate::eval::TopicOutcome;
use crate::rulebase::Topic;
use console::Style;
use std::fmt::Write as _;

/// How many tipping points the summary shows (explain shows all).
const MAX_TIPPING_POINTS: usize = 3;
/// How many contributions the "main factors" column lists per option.
const MAX_FACTORS: usize = 3;

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

pub fn render(decision: &Decision<'_>, options: &TableOptions) -> String {
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
    let risks = super::risk_rows(decision);
    if !risks.is_empty() {
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

fn render_topic(
    out: &mut String,
    decision: &Decision<'_>,
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
    ranking_table(out, topic, outcome, options, styles);
    out.push('\n');

    match &outcome.winner {
        Some(winner) => {
            let _ = writeln!(
                out,
                "→ {}: {}",
                styles.winner.apply_to(option_name(topic, winner)),
                confidence_sentence(topic, outcome)
            );
        }
        None => {
            let _ = writeln!(
                out,
                "→ no option survives the knock-out rules: the constraints conflict"
            );
        }
    }

    if !outcome.reasons.is_empty() {
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
    if !outcome.tipping_points.is_empty() {
        let _ = writeln!(out, "  Would change if:");
        for tip in outcome.tipping_points.iter().take(MAX_TIPPING_POINTS) {
            let _ = writeln!(
                out,
                "    {}: {} would win",
                super::tip_text(tip, false, None),
                option_name(topic, &tip.winner)
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

/// Room the borders and padding of a four-column table take: five rules
/// and a space either side of each cell.
const TABLE_CHROME: usize = 13;
/// The narrowest the "Main factors" column gets while option names can
/// still be wrapped to make room for it.
const MIN_FACTORS_WIDTH: usize = 24;
/// The narrowest an option name is wrapped to.
const MIN_NAME_WIDTH: usize = 12;
const HEADER: [&str; 4] = ["#", "Option", "Score", "Main factors"];
const ALIGNS: [Align; 4] = [Align::Right, Align::Left, Align::Right, Align::Left];

fn ranking_table(
    out: &mut String,
    topic: &Topic,
    outcome: &TopicOutcome,
    options: &TableOptions,
    styles: &Styles,
) {
    let rows: Vec<Row<'_>> = outcome
        .ranking
        .iter()
        .map(|ranked| Row::new(topic, outcome, ranked))
        .collect();
    let (name_width, factors_width) = layout(&rows, usize::from(options.width));

    let wrapped: Vec<(String, String)> = rows
        .iter()
        .map(|row| {
            let words: Vec<&str> = row.name.split(' ').collect();
            (
                grid::wrap(&words, name_width),
                grid::wrap(&row.factors, factors_width),
            )
        })
        .collect();
    let cells: Vec<Vec<GridCell<'_>>> = rows
        .iter()
        .zip(&wrapped)
        .map(|(row, (name, factors))| {
            let style = if !options.color {
                None
            } else if row.winner {
                Some(&styles.winner)
            } else if row.out {
                Some(&styles.dim)
            } else {
                None
            };
            vec![
                GridCell::plain(&row.rank),
                GridCell { text: name, style },
                GridCell {
                    text: &row.score,
                    style: style.filter(|_| row.winner),
                },
                GridCell::plain(factors),
            ]
        })
        .collect();
    grid::draw(out, &HEADER, &cells, &ALIGNS);
}

/// How wide the option names and the factors may be in `width` columns.
///
/// The rank and the score keep their natural width, and so do the names
/// when they can. The factors take what the names leave, wrapped between
/// factors. When that is narrower than the longest factor, the names are
/// wrapped between words instead (down to [`MIN_NAME_WIDTH`]), so that each
/// factor stays on one line. A terminal narrower even than that shares
/// what there is between the two.
fn layout(rows: &[Row<'_>], width: usize) -> (usize, usize) {
    let fixed = widest(HEADER[0], rows.iter().map(|r| r.rank.as_str()))
        + widest(HEADER[2], rows.iter().map(|r| r.score.as_str()));
    let room = width.saturating_sub(TABLE_CHROME + fixed);
    let names = widest(HEADER[1], rows.iter().map(|r| r.name));
    let factor = widest(
        HEADER[3],
        rows.iter()
            .flat_map(|r| r.factors.iter().map(String::as_str)),
    )
    .max(MIN_FACTORS_WIDTH);
    let name_width = if names + factor <= room {
        names
    } else if room >= MIN_NAME_WIDTH + MIN_FACTORS_WIDTH {
        room.saturating_sub(factor).max(MIN_NAME_WIDTH)
    } else {
        // A very narrow terminal: share out what there is.
        (room * 2 / 5).max(1)
    };
    (name_width, room.saturating_sub(name_width).max(1))
}

/// The display width of a column: its widest cell or its title.
fn widest<'r>(title: &str, cells: impl Iterator<Item = &'r str>) -> usize {
    cells.map(text_width).fold(text_width(title), usize::max)
}

/// One ranked option, as the table shows it.
struct Row<'a> {
    rank: String,
    name: &'a str,
    score: String,
    /// The factors, each whole ("+3 rule-id,") with the comma that
    /// separates it from the next, so that lines break between factors.
    factors: Vec<String>,
    winner: bool,
    out: bool,
}

impl<'a> Row<'a> {
    fn new(topic: &'a Topic, outcome: &TopicOutcome, ranked: &'a crate::eval::Ranked) -> Self {
        let out = !ranked.excluded_by.is_empty();
        let mut factors: Vec<String> = if out {
            std::iter::once("ruled out by".to_owned())
                .chain(ranked.excluded_by.iter().map(|r| r.as_str().to_owned()))
                .collect()
        } else {
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
            shown
        };
        // Commas between factors (or between the rules after "ruled out by").
        let first = usize::from(out);
        let last = factors.len().saturating_sub(1);
        for factor in factors.iter_mut().take(last).skip(first) {
            factor.push(',');
        }
        Self {
            rank: if out {
                "–".to_owned()
            } else {
                ranked.rank.to_string()
            },
            name: option_name(topic, &ranked.option),
            score: if out {
                "out".to_owned()
            } else {
                signed(ranked.score)
            },
            factors,
            winner: outcome.winner.as_ref() == Some(&ranked.option),
            out,
        }
    }
}
