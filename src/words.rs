//! How points, confidence levels, counts, answers and verdicts read in text.
//!
//! Reports, scenario failures, merges, lint warnings and the interactive
//! session all print points, confidence levels, counts of things, answers and
//! verdicts; they print them the same way because they share these few words:
//! `1 team` and `2 teams`, never `1 teams`. The module sits just above the
//! evaluator, whose [`Level`] and [`Verdict`] it names, and below everything
//! that prints.

/// The character shown for `c`: itself, unless it is a control character
/// other than line feed and tab, which is shown as its Unicode picture (ESC
/// as `␛`, DEL as `␡`; a C1 control as `�`). Text from a rule base or an
/// answers file reaches terminals and Markdown readers through this.
pub fn control_picture(c: char) -> char {
    match c {
        '\n' | '\t' => c,
        '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
        '\u{7f}' => '\u{2421}',
        c if c.is_control() => '\u{fffd}',
        c => c,
    }
}

use crate::eval::{Level, Verdict};
use crate::ids::OptionId;
use crate::rulebase::{Question, Topic};
use crate::value::{Answer, Value};
use std::borrow::Cow;

/// An option's name, or its id when the topic does not know it.
pub fn option_name<'t>(topic: &'t Topic, id: &'t OptionId) -> &'t str {
    topic
        .option(id.as_str())
        .map_or(id.as_str(), |o| o.name.as_ref())
}

/// A count with its noun: `1 problem`, `3 problems`, `0 problems`.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A unit for exactly one of it: `teams` becomes `team`, `dependencies`
/// `dependency`, `processes` `process`. Symbols and compound units stay as
/// they are (`ms`, `GB`, `%`, `requests/s`): only a lower-case English word
/// in the plural has a singular.
pub fn singular(unit: &str) -> Cow<'_, str> {
    let word = unit.len() > 2 && unit.bytes().all(|b| b.is_ascii_lowercase());
    if !word {
        return Cow::Borrowed(unit);
    }
    if let Some(stem) = unit.strip_suffix("ies") {
        return Cow::Owned(format!("{stem}y"));
    }
    for ending in ["sses", "shes", "ches", "xes"] {
        if let Some(stem) = unit.strip_suffix(ending) {
            return Cow::Owned(format!("{stem}{}", &ending[..ending.len() - 2]));
        }
    }
    match unit.strip_suffix('s') {
        Some(stem) if !stem.ends_with('s') => Cow::Borrowed(stem),
        _ => Cow::Borrowed(unit),
    }
}

/// A choice's label without its explanation: up to its first colon
/// (`Cheap` for `Cheap: an indexed lookup, a few milliseconds`) or its first
/// parenthesis (`A relational database` for `A relational database
/// (PostgreSQL, MySQL)`), where a line has room for the name only.
pub fn brief(label: &str) -> &str {
    let name = label.split_once(": ").map_or(label, |(name, _)| name);
    match name.split_once(" (") {
        Some((short, _)) if !short.is_empty() => short,
        _ => name,
    }
}

/// An answer in brief, as [`answer`] with each choice's [`brief`] label:
/// for lists and one-line summaries.
pub fn brief_answer(question: &Question, given: &Answer) -> String {
    let label = |c: &crate::ids::ChoiceId| {
        question
            .choice(c.as_str())
            .map_or_else(|| c.to_string(), |c| brief(&c.label).to_owned())
    };
    match given {
        Answer::Known(Value::Choice(c)) => label(c),
        Answer::Known(Value::Choices(cs)) if !cs.is_empty() => {
            cs.iter().map(label).collect::<Vec<_>>().join(", ")
        }
        _ => answer(question, given),
    }
}

/// An answer as a person reads it: choice labels rather than ids, `yes` and
/// `no`, a number with its unit, in the singular for exactly one
/// (`1 team`, `4 teams`), and `none` for an empty multiple choice.
pub fn answer(question: &Question, answer: &Answer) -> String {
    let text = question.describe(answer);
    let unit = question.number_spec().and_then(|s| s.unit.as_deref());
    match (answer, unit) {
        (Answer::Known(Value::Number(n)), Some(unit)) if *n == 1.0 => {
            match text.strip_suffix(unit) {
                Some(number) => format!("{number}{}", singular(unit)),
                None => text,
            }
        }
        _ => text,
    }
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
    fn counts_and_units_agree_with_their_number() {
        assert_eq!(count(1, "problem", "problems"), "1 problem");
        assert_eq!(count(0, "problem", "problems"), "0 problems");
        assert_eq!(count(2, "decision", "decisions"), "2 decisions");
        for (plural, one) in [
            ("teams", "team"),
            ("services", "service"),
            ("dependencies", "dependency"),
            ("processes", "process"),
            ("engineers", "engineer"),
            ("minutes", "minute"),
            ("ms", "ms"),
            ("GB", "GB"),
            ("%", "%"),
            ("requests/s", "requests/s"),
        ] {
            assert_eq!(singular(plural), one, "{plural}");
        }
    }

    #[test]
    fn a_brief_label_is_the_name_without_its_explanation() {
        assert_eq!(
            brief("Cheap: an indexed lookup, a few milliseconds"),
            "Cheap"
        );
        assert_eq!(
            brief("A relational database (PostgreSQL, MySQL)"),
            "A relational database"
        );
        assert_eq!(brief("Minutes"), "Minutes");
    }

    #[test]
    fn answers_read_with_labels_and_units_in_the_right_number() {
        let rb = crate::builtin::rule_base().unwrap();
        let one = Answer::Known(Value::Number(1.0));
        let many = Answer::Known(Value::Number(3.0));
        for (id, expected) in [
            ("team_count", "1 team"),
            ("service_count", "1 service"),
            ("sync_dependencies", "1 dependency"),
        ] {
            let q = rb.question(id).unwrap();
            assert_eq!(answer(q, &one), expected);
            assert!(answer(q, &many).ends_with('s'), "{}", answer(q, &many));
        }
        let clients = rb.question("clients").unwrap();
        let none = Answer::Known(Value::Choices(Default::default()));
        assert_eq!(answer(clients, &none), "none");
    }

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
