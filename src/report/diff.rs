//! Renders a [`Diff`]: the terminal text, Markdown for pull requests and CI
//! summaries, and JSON. Text and Markdown share one outline (headline, then
//! labelled lines per changed topic) so they always say the same thing.

use super::markdown::escape;
use super::{level_text, signed};
use crate::diff::{Diff, Mode, RuleChange, RuleChangeKind, Standing, TopicDiff};
use crate::eval::Verdict;
use crate::ids::{OptionId, RuleId};
use crate::rulebase::{Rule, RuleBase};
use crate::value::Answer;
use std::fmt::Write as _;

/// The two rule bases compared (the same one twice for two answer sets).
pub struct Bases<'a> {
    pub before: &'a RuleBase,
    pub after: &'a RuleBase,
}

/// One changed topic, ready to print.
struct Section {
    headline: String,
    lines: Vec<(&'static str, Vec<String>)>,
}

pub fn text(diff: &Diff, bases: &Bases<'_>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", intro(diff));
    if !diff.answers.is_empty() {
        let _ = writeln!(out, "\nAnswers that differ:");
        for a in &diff.answers {
            let _ = writeln!(
                out,
                "  {:<24} {}",
                a.question.as_str(),
                answer_change(&a.before, &a.after)
            );
        }
    }
    if !diff.rules.is_empty() {
        let _ = writeln!(out, "\nRules that differ:");
        for r in &diff.rules {
            let _ = writeln!(
                out,
                "  {:<8} {}",
                kind(r.change),
                rule_change(r, bases, false)
            );
        }
    }
    let _ = writeln!(out, "\n{}", count_line(diff));
    for section in sections(diff, bases, false) {
        let _ = writeln!(out, "\n{}", section.headline);
        for (label, items) in section.lines {
            for (i, item) in items.iter().enumerate() {
                let label = if i == 0 { label } else { "" };
                let _ = writeln!(out, "  {label:<17} {item}");
            }
        }
    }
    if let Some(line) = unchanged(diff) {
        let _ = writeln!(out, "\n{line}");
    }
    out
}

pub fn markdown(diff: &Diff, bases: &Bases<'_>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", escape(&intro(diff)));
    if !diff.answers.is_empty() {
        let _ = writeln!(
            out,
            "## Answers that differ\n\n| Question | Before | After |\n|---|---|---|"
        );
        for a in &diff.answers {
            let _ = writeln!(
                out,
                "| `{}` | {} | {} |",
                a.question,
                escape(&answer_text(&a.before)),
                escape(&answer_text(&a.after))
            );
        }
        out.push('\n');
    }
    if !diff.rules.is_empty() {
        let _ = writeln!(out, "## Rules that differ\n");
        for r in &diff.rules {
            let _ = writeln!(out, "- {} {}", kind(r.change), rule_change(r, bases, true));
        }
        out.push('\n');
    }
    let _ = writeln!(out, "**{}**\n", count_line(diff).trim_end_matches(':'));
    for section in sections(diff, bases, true) {
        let _ = writeln!(out, "## {}\n", section.headline);
        for (label, items) in section.lines {
            match items.as_slice() {
                [one] => {
                    let _ = writeln!(out, "- {label}: {one}");
                }
                _ => {
                    let _ = writeln!(out, "- {label}:");
                    for item in items {
                        let _ = writeln!(out, "  - {item}");
                    }
                }
            }
        }
        out.push('\n');
    }
    if let Some(line) = unchanged(diff) {
        let _ = writeln!(out, "{}", escape(&line));
    }
    out
}

pub fn json(diff: &Diff) -> serde_json::Result<String> {
    let mut text = serde_json::to_string_pretty(diff)?;
    text.push('\n');
    Ok(text)
}

fn intro(diff: &Diff) -> String {
    match diff.mode {
        Mode::Answers => format!("Comparing answers {} → {}", diff.before, diff.after),
        Mode::Rules => format!("Comparing rule bases {} → {}", diff.before, diff.after),
    }
}

fn count_line(diff: &Diff) -> String {
    let total = diff.topics.len();
    match diff.changed {
        0 => format!(
            "No recommendation changes ({} compared).",
            crate::words::count(total, "topic", "topics")
        ),
        1 => format!(
            "1 of {} changes:",
            crate::words::count(total, "recommendation", "recommendations")
        ),
        n => format!("{n} of {total} recommendations change:"),
    }
}

fn unchanged(diff: &Diff) -> Option<String> {
    let same: Vec<&str> = diff
        .topics
        .iter()
        .filter(|t| !t.changed)
        .map(|t| t.topic.as_str())
        .collect();
    (!same.is_empty()).then(|| format!("Unchanged ({}): {}", same.len(), same.join(", ")))
}

fn sections(diff: &Diff, bases: &Bases<'_>, md: bool) -> Vec<Section> {
    diff.topics
        .iter()
        .filter(|t| t.changed)
        .map(|t| section(diff, bases, md, t))
        .collect()
}

/// One changed topic: the headline, then its lines: scores, confidence,
/// rules that started or stopped firing, the answers that caused it, and
/// the rule changes.
fn section(diff: &Diff, bases: &Bases<'_>, md: bool, t: &TopicDiff) -> Section {
    let code = |s: &str| if md { format!("`{s}`") } else { s.to_owned() };
    let name = |rb: &RuleBase, v: &Option<Standing>| match v {
        None => "(topic absent)".to_owned(),
        Some(v) => match rb.topic(t.topic.as_str()) {
            Some(topic) if !matches!(v.verdict, Verdict::Winner(_) | Verdict::NoOption) => {
                super::verdict_words(topic, &v.verdict)
            }
            _ => option_label(rb, t, v.winner.as_ref()),
        },
    };
    let headline = format!(
        "{} ({}): {} → {}",
        t.title,
        code(t.topic.as_str()),
        name(bases.before, &t.before),
        name(bases.after, &t.after)
    );
    let mut lines: Vec<(&'static str, Vec<String>)> = Vec::new();
    let scores: Vec<String> = t
        .scores
        .iter()
        .filter(|s| s.before != s.after)
        .map(|s| {
            format!(
                "{} {} → {}",
                code(s.option.as_str()),
                score(s.before),
                score(s.after)
            )
        })
        .collect();
    if !scores.is_empty() {
        lines.push(("scores", vec![scores.join(", ")]));
    }
    if let (Some(b), Some(a)) = (&t.before, &t.after) {
        lines.push((
            "confidence",
            vec![format!("{} → {}", confidence(b), confidence(a))],
        ));
    }
    let effects = |ids: &[RuleId], rb: &RuleBase| -> Vec<String> {
        ids.iter()
            .map(|id| match rb.rule(id.as_str()) {
                Some((_, rule)) => format!("{} ({})", code(id.as_str()), effect(rule)),
                None => code(id.as_str()),
            })
            .collect()
    };
    if !t.started_firing.is_empty() {
        lines.push(("now firing", effects(&t.started_firing, bases.after)));
    }
    if !t.stopped_firing.is_empty() {
        lines.push(("no longer firing", effects(&t.stopped_firing, bases.before)));
    }
    if !t.undetermined.is_empty() {
        let ids: Vec<String> = t.undetermined.iter().map(|r| code(r.as_str())).collect();
        lines.push(("undetermined now", vec![ids.join(", ")]));
    }
    let because = causes(diff, t, &code);
    if !because.is_empty() {
        lines.push(("because", because));
    }
    if !t.rule_changes.is_empty() {
        let moved: Vec<String> = t
            .rule_changes
            .iter()
            .filter_map(|id| diff.rules.iter().find(|r| &r.rule == id))
            .map(|r| format!("{} {}", kind(r.change), rule_change(r, bases, md)))
            .collect();
        lines.push(("rule changes", moved));
    }
    Section { headline, lines }
}

/// The answers that changed the topic, each with the rules that read it.
fn causes(diff: &Diff, t: &TopicDiff, code: &dyn Fn(&str) -> String) -> Vec<String> {
    t.causes
        .iter()
        .map(|c| {
            let change = diff
                .answers
                .iter()
                .find(|a| a.question == c.question)
                .map(|a| answer_change(&a.before, &a.after))
                .unwrap_or_default();
            let rules: Vec<String> = c.rules.iter().map(|r| code(r.as_str())).collect();
            format!(
                "{} {change} (read by {})",
                code(c.question.as_str()),
                rules.join(", ")
            )
        })
        .collect()
}

fn option_label(rb: &RuleBase, t: &TopicDiff, option: Option<&OptionId>) -> String {
    match option {
        None => "no option (all ruled out)".to_owned(),
        Some(o) => rb
            .topic(t.topic.as_str())
            .and_then(|topic| topic.option(o.as_str()))
            .map_or_else(|| o.to_string(), |opt| opt.name.to_string()),
    }
}

fn score(s: Option<i32>) -> String {
    s.map_or_else(|| "ruled out".to_owned(), signed)
}

fn confidence(v: &Standing) -> String {
    match v.margin {
        Some(m) => format!("{} (lead {m})", level_text(v.confidence)),
        None => level_text(v.confidence).to_owned(),
    }
}

/// A rule's effect in a few words: `+3 none, -1 cache-aside`, `rules out x`.
fn effect(rule: &Rule) -> String {
    let mut parts: Vec<String> = rule
        .score
        .iter()
        .map(|(o, p)| format!("{} {o}", signed(*p)))
        .collect();
    if !rule.exclude.is_empty() {
        let ids: Vec<&str> = rule.exclude.iter().map(OptionId::as_str).collect();
        parts.push(format!("rules out {}", ids.join(", ")));
    }
    if parts.is_empty() {
        "no points".to_owned()
    } else {
        parts.join(", ")
    }
}

fn kind(k: RuleChangeKind) -> &'static str {
    match k {
        RuleChangeKind::Added => "added",
        RuleChangeKind::Removed => "removed",
        RuleChangeKind::Changed => "changed",
    }
}

/// `id (topic): points +3 none → +1 none; condition a → b`.
fn rule_change(r: &RuleChange, bases: &Bases<'_>, md: bool) -> String {
    let code = |s: &str| if md { format!("`{s}`") } else { s.to_owned() };
    let old = bases.before.rule(r.rule.as_str()).map(|(_, rule)| rule);
    let new = bases.after.rule(r.rule.as_str()).map(|(_, rule)| rule);
    let mut what: Vec<String> = Vec::new();
    if let (Some(old), Some(new)) = (old, new) {
        if r.points {
            what.push(format!("points {} → {}", effect(old), effect(new)));
        }
        if r.condition {
            let when = |rule: &Rule| {
                rule.when
                    .as_ref()
                    .map_or_else(|| "always".to_owned(), ToString::to_string)
            };
            what.push(format!(
                "condition {} → {}",
                code(&when(old)),
                code(&when(new))
            ));
        }
    }
    let head = format!("{} ({})", code(r.rule.as_str()), r.topic);
    if what.is_empty() {
        head
    } else {
        format!("{head}: {}", what.join("; "))
    }
}

fn answer_text(a: &Option<Answer>) -> String {
    a.as_ref()
        .map_or_else(|| "(none)".to_owned(), ToString::to_string)
}

fn answer_change(before: &Option<Answer>, after: &Option<Answer>) -> String {
    format!("{} → {}", answer_text(before), answer_text(after))
}
