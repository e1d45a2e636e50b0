//! Pictures of the scores, for readers who would rather look than read: a
//! bar beside each score in the terminal table, and a bar chart in Markdown
//! (Mermaid, which GitHub and GitLab draw; the table beside it is the
//! fallback wherever Mermaid is not drawn).
//!
//! Bars are scaled per topic to the largest score in absolute value, from
//! zero: a full bar is the strongest case in the topic, an empty one a
//! score of 0. Options ruled out get no bar: their score does not count.

use super::option_name;
use crate::eval::TopicOutcome;
use crate::rulebase::Topic;
use std::fmt::Write as _;

/// Eighths of a cell, for the tip of a bar: `▏` is one eighth, `▉` seven.
const EIGHTHS: [char; 8] = [' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
const FULL: char = '█';
/// A negative score's bar, lighter so that it never reads as a positive one.
const NEGATIVE: char = '░';

/// The largest score in absolute value among the options still in the
/// running (at least 1, so that a topic of zeros draws empty bars).
pub fn scale(outcome: &TopicOutcome) -> i32 {
    outcome
        .ranking
        .iter()
        .filter(|r| r.excluded_by.is_empty())
        .map(|r| r.score.abs())
        .max()
        .unwrap_or(0)
        .max(1)
}

/// A bar for `score` where `scale` fills `width` cells: solid blocks to an
/// eighth of a cell for a positive score, a light shade in whole cells for a
/// negative one, nothing for 0.
pub fn bar(score: i32, scale: i32, width: usize) -> String {
    let scale = i64::from(scale.max(1));
    let magnitude = i64::from(score).abs().min(scale);
    let cells = i64::try_from(width).unwrap_or(0);
    if score < 0 {
        let n = (magnitude * cells + scale / 2) / scale;
        return NEGATIVE
            .to_string()
            .repeat(usize::try_from(n.max(1)).unwrap_or(0));
    }
    let eighths = (magnitude * cells * 8 + scale / 2) / scale;
    let full = usize::try_from(eighths / 8).unwrap_or(0);
    let tip = usize::try_from(eighths % 8).unwrap_or(0);
    let mut out = FULL.to_string().repeat(full);
    if tip > 0 {
        out.push(EIGHTHS[tip]);
    }
    out
}

/// A Mermaid bar chart of the options still in the running, in ranking
/// order, as a fenced block; `None` when fewer than two are left to compare.
pub fn mermaid(topic: &Topic, outcome: &TopicOutcome) -> Option<String> {
    let ranked: Vec<_> = outcome
        .ranking
        .iter()
        .filter(|r| r.excluded_by.is_empty())
        .collect();
    if ranked.len() < 2 {
        return None;
    }
    let names: Vec<String> = ranked
        .iter()
        .map(|r| quoted(option_name(topic, &r.option)))
        .collect();
    let scores: Vec<String> = ranked.iter().map(|r| r.score.to_string()).collect();
    let low = ranked.iter().map(|r| r.score).min().unwrap_or(0).min(0);
    let high = ranked.iter().map(|r| r.score).max().unwrap_or(0).max(1);
    let mut out = String::from("```mermaid\nxychart-beta\n");
    let _ = writeln!(out, "    title {}", quoted(&topic.title));
    let _ = writeln!(out, "    x-axis [{}]", names.join(", "));
    let _ = writeln!(out, "    y-axis \"Score\" {low} --> {high}");
    let _ = writeln!(out, "    bar [{}]", scores.join(", "));
    out.push_str("```\n");
    Some(out)
}

/// A Mermaid string: in double quotes, which it cannot escape, so a double
/// quote inside becomes a single one.
fn quoted(text: &str) -> String {
    let text: String = text
        .chars()
        .map(|c| match c {
            '"' => '\'',
            '\n' | '\r' => ' ',
            c => c,
        })
        .collect();
    format!("\"{text}\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_strongest_score_to_an_eighth_of_a_cell() {
        assert_eq!(bar(8, 8, 8), "████████");
        assert_eq!(bar(4, 8, 8), "████");
        assert_eq!(bar(3, 8, 4), "█▌");
        assert_eq!(bar(1, 5, 8), "█▋");
        assert_eq!(bar(0, 5, 8), "");
        assert_eq!(bar(-4, 8, 8), "░░░░");
        // A small negative score still shows, and nothing overflows.
        assert_eq!(bar(-1, 100, 8), "░");
        assert_eq!(bar(12, 8, 8), "████████");
    }

    #[test]
    fn mermaid_strings_cannot_be_closed_early() {
        assert_eq!(quoted("A \"quoted\"\nname"), "\"A 'quoted' name\"");
    }
}
