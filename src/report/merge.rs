//! Renders the disagreement report of `tradeoff merge`: per question where
//! people disagree, everyone's answer, the answer taken and whether the
//! others would change any recommendation.

use crate::merge::{Merge, impact_text, policy};
use crate::rulebase::RuleBase;
use std::fmt::Write as _;

pub fn text(rb: &RuleBase, merge: &Merge) -> String {
    let mut out = String::new();
    let people: Vec<String> = merge
        .people
        .iter()
        .map(|p| format!("{} ({})", p.name, p.file))
        .collect();
    let _ = writeln!(
        out,
        "Merging {} answers files: {}",
        people.len(),
        people.join(", ")
    );
    let n = merge.disagreements.len();
    let _ = writeln!(
        out,
        "{} agreed, {n} {}{}",
        crate::words::count(merge.agreed, "question", "questions"),
        if n == 1 { "disagrees" } else { "disagree" },
        if n == 0 { "." } else { ":" }
    );
    disagreements(&mut out, rb, merge);
    if let Some(error) = &merge.impact_error {
        let _ = writeln!(
            out,
            "\nThe impact of the disagreements was not evaluated: {error}"
        );
    }
    let matters = merge
        .disagreements
        .iter()
        .filter(|d| d.alternatives.iter().any(|a| !a.changes.is_empty()))
        .count();
    if n > 0 && merge.impact_error.is_none() {
        let _ = writeln!(
            out,
            "\n{matters} of {} would change a recommendation.",
            crate::words::count(n, "disagreement", "disagreements")
        );
    }
    roles(&mut out, merge);
    out
}

/// Each disagreement: everyone's answer, the answer taken, and what the
/// other answers would change.
fn disagreements(out: &mut String, rb: &RuleBase, merge: &Merge) {
    let width = merge
        .people
        .iter()
        .map(|p| p.name.chars().count())
        .max()
        .unwrap_or(0)
        .max("merged".len());
    for d in &merge.disagreements {
        let _ = writeln!(out, "\n{} (open question)", d.question);
        for pa in &d.answers {
            let name = &pa.person;
            let answer = pa
                .answer
                .as_ref()
                .map_or_else(|| "(no answer)".to_owned(), ToString::to_string);
            let _ = writeln!(out, "  {name:<width$}  {answer}");
        }
        let _ = writeln!(out, "  {:<width$}  {} ({})", "merged", d.merged, policy(d));
        for alt in &d.alternatives {
            let _ = writeln!(
                out,
                "  with {} ({}): {}",
                alt.answer,
                alt.people.join(", "),
                impact_text(rb, merge, alt)
            );
        }
    }
}

/// Who decides, who is consulted, who is informed.
fn roles(out: &mut String, merge: &Merge) {
    let roles = &merge.roles;
    let list = |names: &[String]| {
        if names.is_empty() {
            "nobody".to_owned()
        } else {
            names.join(", ")
        }
    };
    let _ = write!(
        out,
        "\nDecision-makers: {}. Consulted: {}.",
        list(&roles.decision_makers),
        list(&roles.consulted)
    );
    if !roles.informed.is_empty() {
        let _ = write!(out, " Informed: {}.", roles.informed.join(", "));
    }
    out.push('\n');
}

pub fn json(merge: &Merge) -> serde_json::Result<String> {
    let mut text = serde_json::to_string_pretty(merge)?;
    text.push('\n');
    Ok(text)
}
