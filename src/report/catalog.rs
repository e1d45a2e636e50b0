//! The rule base described: the questionnaire (for reading, or as an
//! answers-file template to fill in) and the list of topics.

use super::explain::wrap;
use super::markdown::escape;
use crate::rulebase::{Question, QuestionKind, RuleBase, Topic};
use crate::value::{UNKNOWN, format_number};
use serde::Serialize;
use std::fmt::Write as _;

/// The topics (ids) whose rules read each question.
fn readers<'a>(rb: &'a RuleBase, question: &Question) -> Vec<&'a str> {
    rb.topics()
        .iter()
        .filter(|t| t.questions().contains(&question.id))
        .map(|t| t.id.as_str())
        .collect()
}

fn kind_text(question: &Question) -> String {
    match &question.kind {
        QuestionKind::Single(_) => "one choice".to_owned(),
        QuestionKind::Multi(_) => "any number of choices".to_owned(),
        QuestionKind::Number(spec) => {
            let mut s = if spec.integer {
                "whole number"
            } else {
                "number"
            }
            .to_owned();
            if let Some(unit) = &spec.unit {
                s.push_str(&format!(" of {unit}"));
            }
            match (spec.min, spec.max) {
                (Some(lo), Some(hi)) => {
                    s.push_str(&format!(", {} to {}", format_number(lo), format_number(hi)))
                }
                (Some(lo), None) => s.push_str(&format!(", at least {}", format_number(lo))),
                (None, Some(hi)) => s.push_str(&format!(", at most {}", format_number(hi))),
                (None, None) => {}
            }
            s
        }
        QuestionKind::Bool => "yes or no".to_owned(),
        QuestionKind::Text => "text".to_owned(),
    }
}

/// The questionnaire for reading in a terminal.
pub fn questions_text(rb: &RuleBase, questions: &[&Question]) -> String {
    let mut out = String::new();
    let mut section: Option<&str> = None;
    for question in questions {
        let this = question.section.as_deref().unwrap_or("Other");
        if section != Some(this) {
            let _ = writeln!(out, "{}{this}\n", if section.is_some() { "\n" } else { "" });
            section = Some(this);
        }
        let _ = writeln!(out, "  {}  ({})", question.id, kind_text(question));
        let _ = writeln!(out, "    {}", question.prompt);
        for choice in question.choices() {
            let _ = writeln!(out, "      {:<20} {}", choice.id.as_str(), choice.label);
        }
        for line in wrap(&question.help, 80) {
            let _ = writeln!(out, "    | {line}");
        }
        let mut facts = Vec::new();
        if let Some(default) = &question.default {
            facts.push(format!("default: {default}"));
        }
        if question.allow_unknown {
            facts.push(format!("accepts `{UNKNOWN}`"));
        }
        if let Some(when) = &question.when {
            facts.push(format!("asked only when {when}"));
        }
        let read = readers(rb, question);
        if !read.is_empty() {
            facts.push(format!("read by {}", read.join(", ")));
        }
        if !facts.is_empty() {
            let _ = writeln!(out, "    {}", facts.join(" · "));
        }
        out.push('\n');
    }
    out
}

/// The questionnaire as Markdown, for docs and wikis.
pub fn questions_markdown(rb: &RuleBase, questions: &[&Question]) -> String {
    let mut out = String::from("# Questionnaire\n");
    let mut section: Option<&str> = None;
    for question in questions {
        let this = question.section.as_deref().unwrap_or("Other");
        if section != Some(this) {
            let _ = writeln!(out, "\n## {this}");
            section = Some(this);
        }
        let _ = writeln!(
            out,
            "\n### `{}`: {}\n",
            question.id,
            escape(&question.label)
        );
        let _ = writeln!(out, "{}\n", escape(&question.prompt));
        let _ = writeln!(
            out,
            "*{}*. {}\n",
            kind_text(question),
            escape(&question.help)
        );
        for choice in question.choices() {
            let _ = writeln!(out, "- `{}`: {}", choice.id, escape(&choice.label));
        }
        if !question.choices().is_empty() {
            out.push('\n');
        }
        if let Some(default) = &question.default {
            let _ = writeln!(out, "Default: `{default}`.  ");
        }
        if question.allow_unknown {
            let _ = writeln!(out, "Accepts `{UNKNOWN}`.  ");
        }
        if let Some(when) = &question.when {
            let _ = writeln!(out, "Asked only when `{when}`.  ");
        }
        let read = readers(rb, question);
        if !read.is_empty() {
            let _ = writeln!(
                out,
                "Read by: {}.",
                read.iter()
                    .map(|t| format!("`{t}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
    }
    out
}

#[derive(Serialize)]
struct QuestionInfo<'a> {
    id: &'a str,
    section: Option<&'a str>,
    label: &'a str,
    prompt: &'a str,
    help: &'a str,
    kind: &'static str,
    choices: Vec<ChoiceInfo<'a>>,
    unit: Option<&'a str>,
    min: Option<f64>,
    max: Option<f64>,
    integer: bool,
    default: Option<String>,
    allow_unknown: bool,
    when: Option<String>,
    read_by: Vec<&'a str>,
}

#[derive(Serialize)]
struct ChoiceInfo<'a> {
    id: &'a str,
    label: &'a str,
}

pub fn questions_json(rb: &RuleBase, questions: &[&Question]) -> Result<String, serde_json::Error> {
    let infos: Vec<QuestionInfo<'_>> = questions
        .iter()
        .map(|q| {
            let spec = q.number_spec();
            QuestionInfo {
                id: q.id.as_str(),
                section: q.section.as_deref(),
                label: &q.label,
                prompt: &q.prompt,
                help: &q.help,
                kind: q.kind_name(),
                choices: q
                    .choices()
                    .iter()
                    .map(|c| ChoiceInfo {
                        id: c.id.as_str(),
                        label: &c.label,
                    })
                    .collect(),
                unit: spec.and_then(|s| s.unit.as_deref()),
                min: spec.and_then(|s| s.min),
                max: spec.and_then(|s| s.max),
                integer: spec.is_some_and(|s| s.integer),
                default: q.default.as_ref().map(ToString::to_string),
                allow_unknown: q.allow_unknown,
                when: q.when.as_ref().map(ToString::to_string),
                read_by: readers(rb, q),
            }
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&infos)?;
    text.push('\n');
    Ok(text)
}

/// An answers file to fill in: every question as a comment with its choices,
/// defaults written out, required answers left commented for the user.
pub fn answers_template(questions: &[&Question], topics: &[&Topic]) -> String {
    let mut out = String::new();
    out.push_str("# Answers for tradeoff. Fill in the commented lines, then run:\n");
    out.push_str("#   tradeoff decide --answers THIS_FILE\n");
    out.push_str(&format!(
        "# Where a question accepts it, `\"{UNKNOWN}\"` means \"don't know\": the report shows\n"
    ));
    out.push_str("# which decisions it could change.\n\n");
    out.push_str("title = \"What is being decided, and for which system\"\n");
    let ids: Vec<String> = topics.iter().map(|t| format!("\"{}\"", t.id)).collect();
    let _ = writeln!(out, "topics = [{}]\n", ids.join(", "));
    out.push_str("[answers]\n");
    let mut section: Option<&str> = None;
    for question in questions {
        let this = question.section.as_deref().unwrap_or("Other");
        if section != Some(this) {
            let _ = writeln!(out, "\n# ----- {this} -----");
            section = Some(this);
        }
        out.push('\n');
        for line in wrap(&question.prompt, 76) {
            let _ = writeln!(out, "# {line}");
        }
        let _ = writeln!(
            out,
            "# {}{}.",
            question.expectation(),
            if question.allow_unknown {
                ", or \"unknown\""
            } else {
                ""
            }
        );
        for choice in question.choices() {
            let _ = writeln!(
                out,
                "#   {:<18} {}",
                format!("\"{}\"", choice.id),
                choice.label
            );
        }
        if let Some(when) = &question.when {
            let _ = writeln!(out, "# Asked only when {when}.");
        }
        match &question.default {
            Some(default) => {
                let _ = writeln!(out, "{} = {}", question.id, default.to_toml());
            }
            None => {
                let _ = writeln!(out, "# {} = ", question.id);
            }
        }
    }
    out
}

pub fn topics_text(rb: &RuleBase) -> String {
    let mut out = String::new();
    let width = rb
        .topics()
        .iter()
        .map(|t| t.id.as_str().len())
        .max()
        .unwrap_or(0);
    for topic in rb.topics() {
        let options: Vec<&str> = topic.options.iter().map(|o| o.id.as_str()).collect();
        let _ = writeln!(out, "{:<width$}  {}", topic.id.as_str(), topic.title);
        let _ = writeln!(
            out,
            "{:<width$}  {} rules · {} questions · options: {}",
            "",
            topic.rules.len(),
            rb.relevant_questions(&[topic]).len(),
            options.join(", ")
        );
    }
    out
}

#[derive(Serialize)]
struct TopicInfo<'a> {
    id: &'a str,
    title: &'a str,
    problem: &'a str,
    options: Vec<OptionInfo<'a>>,
    rules: usize,
    questions: Vec<&'a str>,
}

#[derive(Serialize)]
struct OptionInfo<'a> {
    id: &'a str,
    name: &'a str,
    summary: &'a str,
}

pub fn topics_json(rb: &RuleBase) -> Result<String, serde_json::Error> {
    let infos: Vec<TopicInfo<'_>> = rb
        .topics()
        .iter()
        .map(|t| TopicInfo {
            id: t.id.as_str(),
            title: &t.title,
            problem: &t.problem,
            options: t
                .options
                .iter()
                .map(|o| OptionInfo {
                    id: o.id.as_str(),
                    name: &o.name,
                    summary: &o.summary,
                })
                .collect(),
            rules: t.rules.len(),
            questions: rb
                .relevant_questions(&[t])
                .iter()
                .map(|q| q.id.as_str())
                .collect(),
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&infos)?;
    text.push('\n');
    Ok(text)
}
