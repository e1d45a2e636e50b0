//! How points, confidence levels and verdicts read in text.
//!
//! Reports, scenario failures, merges and lint warnings all print points,
//! confidence levels and verdicts; they print them the same way because they
//! share these few words. The module sits just above the evaluator, whose
//! [`Level`] and [`Verdict`] it names, and below everything that prints.

use crate::eval::{Level, Verdict};
use crate::ids::OptionId;
use crate::rulebase::Topic;

/// An option's name, or its id when the topic does not know it.
pub fn option_name<'t>(topic: &'t Topic, id: &'t OptionId) -> &'t str {
    topic
        .option(id.as_str())
        .map_or(id.as_str(), |o| o.name.as_ref())
}

/// Signed points: `+3`, `-2`, `0`.
pub fn signed(points: i32) -> String {
    if points > 0 {
        format!("+{points}")
    } else {
        points.to_string()
    }
}

/// Every confidence level with its word, as scenario files and reports spell it.
const LEVELS: [(Level, &str); 3] = [
    (Level::High, "high"),
    (Level::Medium, "medium"),
    (Level::Low, "low"),
];

/// A confidence level in one word: `high`, `medium`, `low`.
pub fn level_text(level: Level) -> &'static str {
    LEVELS
        .iter()
        .find(|(l, _)| *l == level)
        .map_or("", |(_, word)| word)
}

/// The confidence level a word names, if any.
pub fn level_from_text(word: &str) -> Option<Level> {
    LEVELS.iter().find(|(_, w)| *w == word).map(|(l, _)| *l)
}

/// Names joined as a sentence lists them: `A`, `A and B`, `A, B and C`.
pub fn and_list(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// A verdict in a few words: the winner's name, `tie: A and B`, a plan's
/// `adopt A, B; consider C`, `no option`, or `not applicable`.
pub fn verdict_words(topic: &Topic, verdict: &Verdict) -> String {
    let names = |ids: &[OptionId]| -> Vec<String> {
        ids.iter()
            .map(|o| option_name(topic, o).to_owned())
            .collect()
    };
    match verdict {
        Verdict::Winner(w) => option_name(topic, w).to_owned(),
        Verdict::Tie(tied) => {
            let n = names(tied);
            let refs: Vec<&str> = n.iter().map(String::as_str).collect();
            format!("tie: {}", and_list(&refs))
        }
        Verdict::Plan { adopt, consider } => {
            let mut parts = Vec::new();
            if !adopt.is_empty() {
                parts.push(format!("adopt {}", names(adopt).join(", ")));
            }
            if !consider.is_empty() {
                parts.push(format!("consider {}", names(consider).join(", ")));
            }
            if parts.is_empty() {
                "nothing needed".to_owned()
            } else {
                parts.join("; ")
            }
        }
        Verdict::NoOption => "no option survives the knock-out rules".to_owned(),
        Verdict::NotApplicable => "not applicable".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_carry_their_sign_and_levels_read_back() {
        assert_eq!(
            (signed(3), signed(-2), signed(0)),
            ("+3".into(), "-2".into(), "0".into())
        );
        for (level, word) in LEVELS {
            assert_eq!(level_text(level), word);
            assert_eq!(level_from_text(word), Some(level));
        }
        assert_eq!(level_from_text("certain"), None);
    }
}
