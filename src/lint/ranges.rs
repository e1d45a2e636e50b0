//! `rationale-range`: a numeric test that leaves out the bound its rationale
//! includes.
//!
//! A rationale that says "10,000 requests per second or more" includes
//! 10,000; a condition `gt = 10000` does not, so an answer of exactly the
//! round number the author wrote down falls outside the rule. Round numbers
//! are what people answer, so the gap matters. The lint reads the rule's
//! summary and rationale for the number of each `gt` or `lt` test followed
//! by "or more" (or preceded by "at least"), or followed by "or fewer" /
//! "or less" (or preceded by "at most"), and suggests `gte` or `lte`. It
//! only reads those phrasings: a rationale that says "above 10,000" agrees
//! with `gt`, and one silent about the number is not checked.

use super::Lint;
use crate::diagnostic::Diagnostic;
use crate::rulebase::{CondNode, Condition, Op, RuleBase, Test};
use crate::value::{format_number, group_thousands};

pub fn lint(rb: &RuleBase, out: &mut Vec<Diagnostic>) {
    for topic in rb.topics() {
        for rule in &topic.rules {
            let Some(when) = &rule.when else { continue };
            let text = words(&format!("{} {}", rule.summary, rule.rationale));
            for_each_test(when, &mut |test, condition| {
                if let Some(d) = mismatch(test, &text) {
                    out.push(
                        d.at(&condition.span, "the rationale includes this bound")
                            .note(format!("in rule `{}`", rule.id)),
                    );
                }
            });
        }
    }
}

/// The warning when the text includes the bound the test leaves out.
fn mismatch(test: &Test, text: &str) -> Option<Diagnostic> {
    let (n, strict, fix, after, before): (f64, &str, &str, &[&str], &str) = match test.op {
        Op::Gt(n) => (n, "gt", "gte", &["or more"], "at least"),
        Op::Lt(n) => (n, "lt", "lte", &["or fewer", "or less"], "at most"),
        _ => return None,
    };
    let said = spellings(n).into_iter().find_map(|number| {
        after
            .iter()
            .map(|a| format!("{number} {a}"))
            .chain(std::iter::once(format!("{before} {number}")))
            .find(|p| contains_phrase(text, p))
    })?;
    let bound = format_number(n);
    Some(
        Diagnostic::warning(format!(
            "`{} {strict} {bound}` leaves out {bound}, which the rationale includes (\"{said}\")",
            test.question
        ))
        .code(Lint::RationaleRange.code())
        .help(format!("use `{fix} = {bound}`")),
    )
}

/// The ways a rationale writes a number: `10000`, `10,000`, and a few
/// words for round ones.
fn spellings(n: f64) -> Vec<String> {
    let mut out = vec![format_number(n), group_thousands(n)];
    if (1_000.0..10_000.0).contains(&n) && n.fract() == 0.0 {
        let s = format_number(n);
        out.push(format!("{},{}", &s[..1], &s[1..]));
    }
    let word = match n as i64 {
        _ if n.fract() != 0.0 => None,
        2 => Some("two"),
        3 => Some("three"),
        5 => Some("five"),
        10 => Some("ten"),
        20 => Some("twenty"),
        50 => Some("fifty"),
        100 => Some("a hundred"),
        1_000 => Some("a thousand"),
        _ => None,
    };
    out.extend(word.map(str::to_owned));
    out.dedup();
    out
}

/// Whether `phrase` occurs in `text` between word boundaries (so `100 or
/// more` is not found in `2100 or more`).
fn contains_phrase(text: &str, phrase: &str) -> bool {
    text.match_indices(phrase).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + phrase.len()..].chars().next();
        !before.is_some_and(|c| c.is_alphanumeric() || c == ',' || c == '.')
            && !after.is_some_and(char::is_alphanumeric)
    })
}

/// Lower case, with every run of white space one space.
fn words(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn for_each_test<'a>(condition: &'a Condition, f: &mut impl FnMut(&'a Test, &'a Condition)) {
    match &condition.node {
        CondNode::All(parts) | CondNode::Any(parts) => {
            for part in parts {
                for_each_test(part, f);
            }
        }
        CondNode::Not(inner) => for_each_test(inner, f),
        CondNode::Test(test) => f(test, condition),
    }
}
