//! Reports: renderers of what evaluation recorded.
//!
//! Every renderer reads one [`DecisionRun`] (the rule base, the answers, how they
//! were resolved and the evaluation) and produces text. None of them
//! scores anything: rankings, reasons, near misses and tipping points all come
//! from the evaluation, so the terminal table, the Markdown, the JSON and the
//! ADR can never disagree.

pub mod adr;
pub mod catalog;
pub mod chart;
pub mod diagnostics;
pub mod diff;
pub mod explain;
pub mod json;
pub mod markdown;
pub mod mentor;
pub mod merge;
pub mod table;
mod verdict;

pub use crate::words::{and_list, option_name, verdict_words};
pub use verdict::{
    VerdictLines, becomes_words, confidence_sentence, not_applicable_reason, plan_lines,
    plan_moves, verdict_detail, verdict_lines,
};

use crate::answers::AnswerSet;
use crate::decide::Resolution;
use crate::eval::{Evaluation, Flag, Reason, TestTrace, TippingPoint, TopicOutcome};
use crate::ids::{OptionId, QuestionId};
use crate::rulebase::{Question, Risk, Rule, RuleBase, Severity, Topic};
use crate::value::{Answer, Value};
use std::borrow::Cow;

/// Everything a report needs about one run of `decide`.
pub struct DecisionRun<'a> {
    pub rb: &'a RuleBase,
    pub answers: &'a AnswerSet,
    pub resolution: &'a Resolution,
    pub evaluation: &'a Evaluation,
}

impl<'a> DecisionRun<'a> {
    /// Each evaluated topic with its definition.
    pub fn topics(&self) -> impl Iterator<Item = (&'a Topic, &'a TopicOutcome)> + '_ {
        self.evaluation.topics.iter().filter_map(|outcome| {
            self.rb
                .topic(outcome.topic.as_str())
                .map(|topic| (topic, outcome))
        })
    }

    /// Questions the topic reads that took their default.
    pub fn defaulted_for(&self, topic: &Topic) -> Vec<&'a QuestionId> {
        let read = &self.rb.topic_index(topic).reads;
        self.resolution
            .defaulted
            .iter()
            .filter(|q| read.contains(*q))
            .collect()
    }

    /// The answers in effect for the questions a topic depends on, in asking order.
    pub fn answers_for(&self, topic: &Topic) -> Vec<(&'a Question, &'a Answer)> {
        self.rb
            .relevant_questions(&[topic])
            .into_iter()
            .filter_map(|q| self.resolution.facts.get(&q.id).map(|a| (q, a)))
            .collect()
    }
}

/// Writes `text` into `out` in lines of at most `width` columns, each line
/// after `indent` (which the width does not count) and ending in `\n`.
///
/// It breaks prose as a reader expects: between words only (a rule id, or
/// a word longer than a line, stands whole on a line of its own), each line
/// filled before the next starts. Runs of whitespace, line breaks included,
/// read as one space, so text written over several lines in TOML flows as
/// one paragraph; a no-break space is kept and never broken at. Empty text
/// writes nothing.
pub(crate) fn write_wrapped(out: &mut String, text: &str, width: usize, indent: &str) {
    wrap_into(
        out,
        text,
        width + textwrap::core::display_width(indent),
        indent,
        indent,
    );
}

/// `text` with its words separated by one space each and no space around
/// them, borrowed when it is so already (as rule-base prose almost always
/// is). Only ASCII whitespace separates words: a no-break space stays.
fn single_spaced(text: &str) -> Cow<'_, str> {
    let mut previous = b' ';
    let spaced = text.bytes().all(|byte| {
        let fine = match byte {
            b' ' => previous != b' ',
            _ => !byte.is_ascii_whitespace(),
        };
        previous = byte;
        fine
    }) && previous != b' ';
    if spaced {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.split_ascii_whitespace().collect::<Vec<_>>().join(" "))
    }
}

/// Writes `text` into `out` wrapped to `width` columns in all, as a
/// hanging paragraph: the first line after `first` (a bullet, a number),
/// the others after `rest`, so that wrapped lines line up under the text.
/// Words are never broken, as in [`write_wrapped`].
pub(crate) fn write_hanging(out: &mut String, text: &str, width: usize, first: &str, rest: &str) {
    wrap_into(out, text, width.max(20), first, rest);
}

/// Fills lines of `width` columns in all (indents included) with the words
/// of `text`, the first after `first`, the others after `rest`.
fn wrap_into(out: &mut String, text: &str, width: usize, first: &str, rest: &str) {
    let text = single_spaced(text);
    if text.is_empty() {
        return;
    }
    let options = textwrap::Options::new(width)
        .initial_indent(first)
        .subsequent_indent(rest)
        .break_words(false)
        .word_separator(textwrap::WordSeparator::AsciiSpace)
        .word_splitter(textwrap::WordSplitter::NoHyphenation)
        .wrap_algorithm(textwrap::WrapAlgorithm::FirstFit);
    for line in textwrap::wrap(&text, options) {
        out.push_str(&line);
        out.push('\n');
    }
}

/// A tipping point's change(s) in words. For people (`labels`), questions
/// and answers go by their labels: `Peak traffic: at least 1000 requests/s
/// (now 50 requests/s)`, `Clients: also Mobile app (now Web)`; in Markdown,
/// ids are code and text is escaped (`Peak traffic (\`peak_rps\`) at least
/// 1000 (now 50)`); otherwise ids: `peak_rps at least 1000 (now 50)`. A pair
/// joins its two changes with "and".
pub fn tip_text(tip: &TippingPoint, markdown: bool, labels: Option<&RuleBase>) -> String {
    let one = |q: &QuestionId, change: &str, now: &Answer, to: &Answer| {
        let question = labels.and_then(|rb| rb.question(q.as_str()));
        let now_text = now.to_string();
        match (markdown, question) {
            (true, Some(question)) => format!(
                "{} (`{q}`) {} (now {})",
                markdown::escape(&question.label),
                markdown::escape(change),
                markdown::escape(&now_text)
            ),
            (true, None) => format!(
                "`{q}` {} (now {})",
                markdown::escape(change),
                markdown::escape(&now_text)
            ),
            (false, Some(question)) => labelled_change(question, change, now, to),
            (false, None) => format!("{q} {change} (now {now_text})"),
        }
    };
    let mut text = one(&tip.question, &tip.change, &tip.now, &tip.to);
    if let Some(and) = &tip.and {
        text.push_str(" and ");
        text.push_str(&one(&and.question, &and.change, &and.now, &and.to));
    }
    text
}

/// One answer change for people: the question's label, the new answer in
/// its labels (for a multiple choice, what is added or taken away; for a
/// number, the threshold in words with its unit) and the answer now.
fn labelled_change(question: &Question, change: &str, now: &Answer, to: &Answer) -> String {
    let (to, now) = change_in_labels(question, change, now, to);
    format!("{}: {to} (now {now})", question.label)
}

/// A tipping point for people, in Markdown: `Peak traffic (\`peak_rps\`):
/// at least 1000 requests/s (now 50 requests/s)`, answers by their labels.
pub fn tip_markdown(tip: &TippingPoint, rb: &RuleBase) -> String {
    let one =
        |q: &QuestionId, change: &str, now: &Answer, to: &Answer| match rb.question(q.as_str()) {
            Some(question) => {
                let (to, now) = change_in_labels(question, change, now, to);
                format!(
                    "{} (`{q}`): {} (now {})",
                    markdown::escape(&question.label),
                    markdown::escape(&to),
                    markdown::escape(&now)
                )
            }
            None => tip_text(tip, true, None),
        };
    let mut text = one(&tip.question, &tip.change, &tip.now, &tip.to);
    if let Some(and) = &tip.and {
        text.push_str(" and ");
        text.push_str(&one(&and.question, &and.change, &and.now, &and.to));
    }
    text
}

/// The answer tried and the answer now, in the question's labels.
fn change_in_labels(
    question: &Question,
    change: &str,
    now: &Answer,
    to: &Answer,
) -> (String, String) {
    let now_text = crate::words::brief_answer(question, now);
    let to_text = match (now, to) {
        (_, Answer::Known(Value::Number(_))) => {
            match question.number_spec().and_then(|s| s.unit.as_deref()) {
                Some(unit) => format!("{change} {unit}"),
                None => change.to_owned(),
            }
        }
        (Answer::Known(Value::Choices(before)), Answer::Known(Value::Choices(after))) => {
            let name = |c: &crate::ids::ChoiceId| {
                question.choice(c.as_str()).map_or_else(
                    || c.to_string(),
                    |c| crate::words::brief(&c.label).to_owned(),
                )
            };
            let added: Vec<String> = after.difference(before).map(name).collect();
            let removed: Vec<String> = before.difference(after).map(name).collect();
            match (added.is_empty(), removed.is_empty()) {
                (false, _) => format!("also {}", added.join(", ")),
                (true, false) => format!("without {}", removed.join(", ")),
                (true, true) => crate::words::brief_answer(question, to),
            }
        }
        _ => crate::words::brief_answer(question, to),
    };
    (to_text, now_text)
}

/// What the user's priorities, the policy and linked decisions did to a
/// topic, one sentence each, for the table, Markdown and records.
pub fn context_lines(
    decision: &DecisionRun<'_>,
    topic: &Topic,
    outcome: &TopicOutcome,
) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(winner) = outcome.winner.as_ref().and_then(|w| outcome.ranked(w)) {
        let b = winner.breakdown;
        if b.priorities != 0 || b.policy != 0 {
            let mut parts = vec![format!("requirements {}", signed(b.requirements))];
            if b.priorities != 0 {
                parts.push(format!("priorities {}", signed(b.priorities)));
            }
            if b.policy != 0 {
                parts.push(format!("policy {}", signed(b.policy)));
            }
            out.push(format!(
                "Score of {}: {}.",
                option_name(topic, &winner.option),
                parts.join(", ")
            ));
        }
    }
    if let Some(w) = &outcome.swayed.without_priorities {
        out.push(format!(
            "Your priorities decided this: without them, {}.",
            becomes_words(topic, &outcome.verdict, w)
        ));
    }
    if let Some(w) = &outcome.swayed.without_policy {
        let names: Vec<String> = policies_fired(decision, outcome);
        out.push(format!(
            "{} decided this: without it, {}.",
            names.join(", "),
            becomes_words(topic, &outcome.verdict, w)
        ));
    }
    for link in &outcome.linked {
        let upstream = match decision.rb.topic(link.topic.as_str()) {
            Some(t) => link
                .decision
                .iter()
                .map(|o| option_name(t, o))
                .collect::<Vec<_>>()
                .join(", "),
            None => link
                .decision
                .iter()
                .map(OptionId::as_str)
                .collect::<Vec<_>>()
                .join(", "),
        };
        let ids: Vec<&str> = link.rules.iter().map(|r| r.as_str()).collect();
        out.push(format!(
            "Linked: {} = {} ({})",
            link.topic,
            upstream,
            ids.join(", ")
        ));
    }
    out
}

/// The names of the policies whose rules fired in a topic.
fn policies_fired(decision: &DecisionRun<'_>, outcome: &TopicOutcome) -> Vec<String> {
    let mut names: Vec<String> = outcome
        .fired()
        .into_iter()
        .filter_map(|id| decision.rb.rule(id.as_str()))
        .filter(|(_, r)| r.origin == crate::rulebase::RuleOrigin::Policy)
        .filter_map(|(_, r)| r.summary.split_once(':').map(|(name, _)| name.to_owned()))
        .collect();
    names.dedup();
    names
}

/// The flagged risks with their definitions, most severe first.
pub fn risk_rows<'a>(decision: &DecisionRun<'a>) -> Vec<(&'a Flag, &'a Risk)> {
    decision
        .evaluation
        .risks
        .iter()
        .filter_map(|f| {
            decision
                .rb
                .risks()
                .iter()
                .find(|r| r.id == f.risk)
                .map(|r| (f, r))
        })
        .collect()
}

/// The flags that concern one topic's record.
pub fn risks_for<'a>(decision: &DecisionRun<'a>, topic: &Topic) -> Vec<(&'a Flag, &'a Risk)> {
    risk_rows(decision)
        .into_iter()
        .filter(|(_, r)| r.topics.is_empty() || r.topics.contains(&topic.id))
        .collect()
}

/// "1 high, 2 medium".
pub fn risk_summary(rows: &[(&Flag, &Risk)]) -> String {
    [Severity::High, Severity::Medium, Severity::Low]
        .into_iter()
        .filter_map(|s| {
            let n = rows.iter().filter(|(f, _)| f.severity == s).count();
            (n > 0).then(|| format!("{n} {s}"))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The advice of the rules that fired, as (rule id, text).
pub fn advice<'a>(decision: &DecisionRun<'a>, outcome: &TopicOutcome) -> Vec<(&'a str, &'a str)> {
    outcome
        .advice
        .iter()
        .filter_map(|id| decision.rb.rule(id.as_str()))
        .filter_map(|(_, rule)| rule.advice.as_deref().map(|a| (rule.id.as_str(), a)))
        .collect()
}

/// A rule's sources as Markdown: `[S1](url)` links, or the citation itself.
pub fn source_links(rb: &RuleBase, rule: &Rule) -> Vec<String> {
    rule.sources
        .iter()
        .map(|s| {
            let info = json::source_info(rb, s);
            match info.url {
                Some(url) => format!("[{}]({url})", markdown::escape(s.as_str())),
                None => markdown::escape(info.title),
            }
        })
        .collect()
}

/// How a rule is supported and when it was checked: `evidence: ...`, `reviewed ...`.
pub fn provenance(rule: &Rule) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(evidence) = rule.evidence {
        out.push(format!("evidence: {evidence}"));
    }
    if let Some(reviewed) = &rule.reviewed {
        out.push(format!("reviewed {reviewed}"));
    }
    out
}

/// The answers behind a rule, deduplicated, in order: `a = 1, b includes x`.
pub fn answers_text(tests: &[TestTrace]) -> String {
    let mut seen: Vec<String> = Vec::new();
    for test in tests {
        let says = test.says();
        if !seen.contains(&says) {
            seen.push(says);
        }
    }
    seen.join(", ")
}

pub use crate::words::{level_text, signed};

/// A reason's effect in a few characters: `+3` given to the winner, `-3 grpc`
/// when the rule only lowered an alternative, `k.o.` for a knock-out.
pub fn reason_weight(rule: &Rule, reason: &Reason) -> String {
    if !reason.excluded.is_empty() {
        return "k.o.".to_owned();
    }
    if reason.points != 0 {
        return signed(reason.points);
    }
    rule.score
        .iter()
        .min_by_key(|(_, p)| *p)
        .map_or_else(|| signed(0), |(o, p)| format!("{} {o}", signed(*p)))
}

/// Lowercases a sentence's first letter to embed it after "because", unless
/// the first word is an acronym or a name ("REST", "DynamoDB", "gRPC").
pub fn uncapitalize(text: &str) -> String {
    let first_word = text.split_whitespace().next().unwrap_or("");
    let capitals = first_word.chars().filter(|c| c.is_uppercase()).count();
    let starts_upper = first_word.chars().next().is_some_and(char::is_uppercase);
    if starts_upper && capitals == 1 {
        let mut chars = text.chars();
        chars
            .next()
            .map(|c| c.to_lowercase().chain(chars).collect())
            .unwrap_or_default()
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uncapitalize_keeps_acronyms() {
        assert_eq!(uncapitalize("Data read often"), "data read often");
        assert_eq!(uncapitalize("REST is the baseline"), "REST is the baseline");
        assert_eq!(uncapitalize("gRPC wins"), "gRPC wins");
        assert_eq!(uncapitalize("A tight target"), "a tight target");
        assert_eq!(uncapitalize("DynamoDB limits"), "DynamoDB limits");
    }

    fn wrapped(text: &str, width: usize, indent: &str) -> String {
        let mut out = String::new();
        write_wrapped(&mut out, text, width, indent);
        out
    }

    #[test]
    fn wraps_between_words_within_the_width() {
        assert_eq!(wrapped("aaa bbb ccc", 7, ""), "aaa bbb\nccc\n");
        assert_eq!(wrapped("aaa bbb ccc", 7, "  "), "  aaa bbb\n  ccc\n");
        assert_eq!(wrapped("  ", 7, "  "), "");
        assert_eq!(wrapped("", 7, ""), "");
        // A word longer than a line stands whole on a line of its own, and
        // hyphens are no place to break.
        assert_eq!(
            wrapped("x averyveryverylongword x", 5, ""),
            "x\naveryveryverylongword\nx\n"
        );
        assert_eq!(wrapped("one-two three", 8, ""), "one-two\nthree\n");
        // Line breaks and runs of spaces in the text read as one space; a
        // no-break space holds its words together.
        assert_eq!(wrapped(" aaa\n  bbb\tccc ", 11, "# "), "# aaa bbb ccc\n");
        assert_eq!(wrapped("aaa bbb\u{a0}ccc", 5, ""), "aaa\nbbb\u{a0}ccc\n");
    }

    #[test]
    fn signed_points() {
        assert_eq!(signed(3), "+3");
        assert_eq!(signed(-2), "-2");
        assert_eq!(signed(0), "0");
    }
}
