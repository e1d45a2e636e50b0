//! How points and confidence levels read in text.
//!
//! Reports, scenario failures and lint warnings all print points and
//! confidence levels; they print them the same way because they share these
//! few words. The module sits just above the evaluator, whose [`Level`] it
//! names, and below everything that prints.

use crate::eval::Level;

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
