//! The rule base described: the questionnaire (for reading, or as an
//! answers-file template to fill in) and the list of topics.

use super::markdown::escape;
use super::write_wrapped;
use crate::rulebase::pack::PackChange;
use crate::rulebase::{Question, QuestionKind, Risk, Rule, RuleBase, Topic, TopicOption};
use crate::value::{UNKNOWN, format_number};
use crate::words::count;
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
        write_wrapped(&mut out, &question.help, 80, "    | ");
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
        write_wrapped(&mut out, &question.prompt, 76, "# ");
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
            "{:<width$}  {} · {} · options: {}",
            "",
            count(topic.rules.len(), "rule", "rules"),
            count(
                rb.relevant_questions(&[topic]).len(),
                "question",
                "questions"
            ),
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

/// A rule's effects in one line: `+3 relational, -1 document, rules out graph, advice`.
pub fn effects_text(rule: &crate::rulebase::Rule) -> String {
    let mut parts: Vec<String> = rule
        .score
        .iter()
        .map(|(o, p)| format!("{} {}", super::signed(*p), o))
        .collect();
    parts.extend(rule.exclude.iter().map(|o| format!("rules out {o}")));
    if rule.advice.is_some() {
        parts.push("advice".to_owned());
    }
    parts.join(", ")
}

/// How a rule stands with the packs in use, in a few words, if a pack touched it.
pub fn pack_mark(rb: &RuleBase, rule: &str) -> Option<String> {
    let (pack, change) = rb.provenance(rule)?;
    Some(match change {
        PackChange::Added => format!("from pack {}", pack.name),
        PackChange::Overridden { .. } => format!("overridden by pack {}", pack.name),
        PackChange::Disabled { .. } => format!("disabled by pack {}", pack.name),
    })
}

/// `tradeoff rules list`: every rule with its effect and summary, by topic;
/// rules packs added, overrode or disabled are marked.
pub fn rules_list(rb: &RuleBase, topics: &[&Topic]) -> String {
    let mut out = String::new();
    for (i, topic) in topics.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let _ = writeln!(
            out,
            "{} ({}): {}",
            topic.title,
            topic.id,
            count(topic.rules.len(), "rule", "rules")
        );
        let disabled: Vec<&crate::rulebase::Rule> = rb
            .disabled_rules()
            .iter()
            .filter(|r| r.topic == topic.id)
            .collect();
        let width = topic
            .rules
            .iter()
            .chain(disabled.iter().copied())
            .map(|r| r.id.as_str().len())
            .max()
            .unwrap_or(0);
        for rule in topic.rules.iter().chain(disabled.iter().copied()) {
            let _ = writeln!(out, "  {:<width$}  {}", rule.id.as_str(), rule.summary);
            let effects = effects_text(rule);
            match pack_mark(rb, rule.id.as_str()) {
                Some(mark) => {
                    let _ = writeln!(out, "  {:<width$}  {effects}  [{mark}]", "");
                }
                None => {
                    let _ = writeln!(out, "  {:<width$}  {effects}", "");
                }
            }
        }
    }
    out
}

#[derive(Serialize)]
struct RuleListing<'a> {
    id: &'a str,
    topic: &'a str,
    summary: &'a str,
    score: Vec<(&'a str, i32)>,
    exclude: Vec<&'a str>,
    advice: Option<&'a str>,
    when: Option<String>,
    questions: Vec<&'a str>,
    rationale: &'a str,
    sources: Vec<super::json::SourceInfo<'a>>,
    evidence: Option<crate::rulebase::Evidence>,
    reviewed: Option<&'a str>,
    at: crate::source::Location,
    /// Set when a pack added, overrode or disabled the rule.
    #[serde(skip_serializing_if = "Option::is_none")]
    pack: Option<PackListing<'a>>,
}

#[derive(Serialize)]
struct PackListing<'a> {
    name: &'a str,
    /// `added`, `overridden` or `disabled`.
    change: &'static str,
    /// The overridden rule's position, or the `disable` entry's.
    #[serde(skip_serializing_if = "Option::is_none")]
    at: Option<&'a crate::source::Location>,
}

fn listing<'a>(
    rb: &'a RuleBase,
    topic: &'a Topic,
    rule: &'a crate::rulebase::Rule,
) -> RuleListing<'a> {
    RuleListing {
        id: rule.id.as_str(),
        topic: topic.id.as_str(),
        summary: &rule.summary,
        score: rule.score.iter().map(|(o, p)| (o.as_str(), *p)).collect(),
        exclude: rule.exclude.iter().map(|o| o.as_str()).collect(),
        advice: rule.advice.as_deref(),
        when: rule.when.as_ref().map(ToString::to_string),
        questions: rule
            .when
            .as_ref()
            .map(|w| w.questions().into_iter().map(|q| q.as_str()).collect())
            .unwrap_or_default(),
        rationale: &rule.rationale,
        sources: rule
            .sources
            .iter()
            .map(|s| super::json::source_info(rb, s))
            .collect(),
        evidence: rule.evidence,
        reviewed: rule.reviewed.as_deref(),
        at: rule.span.location(),
        pack: rb
            .provenance(rule.id.as_str())
            .map(|(pack, change)| PackListing {
                name: &pack.name,
                change: match change {
                    PackChange::Added => "added",
                    PackChange::Overridden { .. } => "overridden",
                    PackChange::Disabled { .. } => "disabled",
                },
                at: match change {
                    PackChange::Added => None,
                    PackChange::Overridden { replaced: at } | PackChange::Disabled { at } => {
                        Some(at)
                    }
                },
            }),
    }
}

pub fn rules_json(rb: &RuleBase, topics: &[&Topic]) -> Result<String, serde_json::Error> {
    let all: Vec<RuleListing<'_>> = topics
        .iter()
        .flat_map(|t| {
            let disabled = rb.disabled_rules().iter().filter(|r| r.topic == t.id);
            t.rules
                .iter()
                .chain(disabled)
                .map(move |r| listing(rb, t, r))
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&all)?;
    text.push('\n');
    Ok(text)
}

/// `tradeoff rules show ID`: one rule, whole, like `ruff rule`.
pub fn rule_show(rb: &RuleBase, topic: &Topic, rule: &crate::rulebase::Rule) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", rule.id);
    let _ = writeln!(out, "{}\n", rule.summary);
    let _ = writeln!(out, "topic:     {} ({})", topic.title, topic.id);
    let _ = writeln!(out, "defined:   {}", rule.span.location());
    match rb.provenance(rule.id.as_str()) {
        Some((pack, PackChange::Added)) => {
            let _ = writeln!(out, "pack:      {} ({})", pack.label(), pack.dir);
        }
        Some((pack, PackChange::Overridden { replaced })) => {
            let _ = writeln!(
                out,
                "overrides: the rule at {replaced} (overridden by pack {})",
                pack.label()
            );
        }
        Some((pack, PackChange::Disabled { at })) => {
            let _ = writeln!(
                out,
                "disabled:  by pack {} at {at}; it never fires",
                pack.label()
            );
        }
        None => {}
    }
    let _ = writeln!(
        out,
        "when:      {}",
        rule.when
            .as_ref()
            .map_or_else(|| "always (a baseline)".to_owned(), ToString::to_string)
    );
    let mut effects: Vec<String> = rule
        .score
        .iter()
        .map(|(o, p)| format!("{} {}", super::signed(*p), super::option_name(topic, o)))
        .collect();
    effects.extend(rule.exclude.iter().map(|o| {
        format!(
            "rules out {} (a hard constraint)",
            super::option_name(topic, o)
        )
    }));
    if !effects.is_empty() {
        let _ = writeln!(out, "effect:    {}", effects.join(", "));
    }
    if let Some(advice) = &rule.advice {
        let _ = writeln!(out, "advice:    {advice}");
    }
    provenance(&mut out, rule.evidence, rule.reviewed.as_deref());
    paragraph(&mut out, "Rationale", &rule.rationale);
    sources(&mut out, rb, &rule.sources);
    if let Some(when) = &rule.when {
        let _ = writeln!(out, "\nQuestions it reads");
        for id in when.questions() {
            if let Some(q) = rb.question(id.as_str()) {
                let _ = writeln!(out, "  {}  {}", q.id, q.prompt);
            }
        }
    }
    out
}

/// `tradeoff rules show` for a risk or contradiction.
pub fn risk_show(rb: &RuleBase, risk: &crate::rulebase::Risk) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", risk.id);
    let _ = writeln!(out, "{}\n", risk.title);
    let kind = match risk.kind {
        crate::rulebase::RiskKind::Contradiction => "contradiction (the answers cannot all hold)",
        crate::rulebase::RiskKind::Risk => "risk (the answers can hold, at a high risk)",
    };
    let _ = writeln!(out, "kind:      {kind}");
    let _ = writeln!(out, "severity:  {}", risk.severity);
    let _ = writeln!(out, "defined:   {}", risk.span.location());
    let _ = writeln!(out, "when:      {}", risk.when);
    if !risk.topics.is_empty() {
        let topics: Vec<&str> = risk.topics.iter().map(|t| t.as_str()).collect();
        let _ = writeln!(out, "records:   {}", topics.join(", "));
    }
    provenance(&mut out, risk.evidence, risk.reviewed.as_deref());
    paragraph(&mut out, "Mitigation", &risk.mitigation);
    paragraph(&mut out, "Rationale", &risk.rationale);
    sources(&mut out, rb, &risk.sources);
    out
}

/// The evidence and review lines of `rules show`.
fn provenance(
    out: &mut String,
    evidence: Option<crate::rulebase::Evidence>,
    reviewed: Option<&str>,
) {
    if let Some(evidence) = evidence {
        let _ = writeln!(out, "evidence:  {evidence}");
    }
    if let Some(reviewed) = reviewed {
        let _ = writeln!(out, "reviewed:  {reviewed}");
    }
}

/// A headed paragraph of `rules show`, wrapped and indented.
fn paragraph(out: &mut String, heading: &str, text: &str) {
    let _ = writeln!(out, "\n{heading}");
    write_wrapped(out, text, 80, "  ");
}

/// The sources of `rules show`: a registered source with its id and
/// address, a citation written out in full as it stands.
fn sources(out: &mut String, rb: &RuleBase, ids: &[crate::ids::SourceId]) {
    let _ = writeln!(out, "\nSources");
    for source in ids {
        let info = super::json::source_info(rb, source);
        match info.url {
            Some(url) => {
                let _ = writeln!(out, "  [{source}] {}\n      {url}", info.title);
            }
            None => {
                let _ = writeln!(out, "  {}", info.title);
            }
        }
    }
}

/// `tradeoff rules docs`: the whole knowledge base as one Markdown document.
pub fn docs(rb: &RuleBase) -> String {
    let rules: usize = rb.topics().iter().map(|t| t.rules.len()).sum();
    let mut out = String::from("# The tradeoff knowledge base\n\n");
    let _ = writeln!(
        out,
        "{}, {}, {}, {}. Rule base `{}`.\n\
         Generated by `tradeoff rules docs`; edit the TOML under `rules/`, not this file.\n",
        count(rb.topics().len(), "decision topic", "decision topics"),
        count(rules, "rule", "rules"),
        count(rb.questions().len(), "question", "questions"),
        count(rb.sources().len(), "source", "sources"),
        rb.short_fingerprint()
    );
    let _ = writeln!(out, "## Topics\n");
    for topic in rb.topics() {
        let _ = writeln!(
            out,
            "- [{}](#{}) (`{}`): {}, {}",
            escape(&topic.title),
            anchor(&topic.title),
            topic.id,
            count(topic.options.len(), "option", "options"),
            count(topic.rules.len(), "rule", "rules")
        );
    }
    for topic in rb.topics() {
        docs_topic(&mut out, rb, topic);
    }
    if !rb.risks().is_empty() {
        let _ = writeln!(out, "## Risks and contradictions\n");
        for risk in rb.risks() {
            docs_risk(&mut out, rb, risk);
        }
    }
    let _ = writeln!(out, "## Sources\n");
    for source in rb.sources() {
        match &source.url {
            Some(url) => {
                let _ = writeln!(
                    out,
                    "- **{}**: {}, <{url}>",
                    source.id,
                    escape(&source.title)
                );
            }
            None => {
                let _ = writeln!(out, "- **{}**: {}", source.id, escape(&source.title));
            }
        }
    }
    out
}

/// One topic of `rules docs`: its problem, the questions it reads, its
/// options and its rules.
fn docs_topic(out: &mut String, rb: &RuleBase, topic: &Topic) {
    let _ = writeln!(out, "\n## {}\n", escape(&topic.title));
    let _ = writeln!(out, "`{}`. {}\n", topic.id, escape(&topic.problem));
    let questions: Vec<String> = rb
        .relevant_questions(&[topic])
        .iter()
        .map(|q| format!("`{}`", q.id))
        .collect();
    let _ = writeln!(out, "Questions it reads: {}.\n", questions.join(", "));
    let _ = writeln!(out, "### Options\n");
    for option in &topic.options {
        docs_option(out, option);
    }
    let _ = writeln!(out, "\n### Rules\n");
    for rule in &topic.rules {
        docs_rule(out, rb, rule);
    }
}

/// One option of `rules docs`: its summary, its good, neutral and bad
/// points and its profile for priorities.
fn docs_option(out: &mut String, option: &TopicOption) {
    let _ = writeln!(
        out,
        "- **{}** (`{}`): {}",
        escape(&option.name),
        option.id,
        escape(&option.summary)
    );
    for good in &option.good {
        let _ = writeln!(out, "  - Good, because {}", escape(good));
    }
    for neutral in &option.neutral {
        let _ = writeln!(out, "  - Neutral, because {}", escape(neutral));
    }
    for bad in &option.bad {
        let _ = writeln!(out, "  - Bad, because {}", escape(bad));
    }
    if let Some(profile) = &option.profile {
        let ratings: Vec<String> = crate::rulebase::Attribute::ALL
            .iter()
            .map(|a| format!("{a} {}", super::signed(profile.rating(*a))))
            .collect();
        let sources: Vec<String> = profile.sources.iter().map(|s| escape(s.as_str())).collect();
        let _ = writeln!(
            out,
            "  - Profile (for priorities): {}. {} ({})",
            ratings.join(", "),
            escape(&profile.why),
            sources.join(", ")
        );
    }
}

/// One rule of `rules docs`: when it fires, what it does, where it comes
/// from and why.
fn docs_rule(out: &mut String, rb: &RuleBase, rule: &Rule) {
    let _ = writeln!(out, "#### `{}`\n", rule.id);
    let _ = writeln!(out, "{}\n", escape(&rule.summary));
    let when = rule
        .when
        .as_ref()
        .map_or_else(|| "always (a baseline)".to_owned(), |w| format!("`{w}`"));
    let _ = writeln!(out, "- When: {when}");
    let effects = effects_text(rule);
    if !effects.is_empty() {
        let _ = writeln!(out, "- Effect: {}", escape(&effects));
    }
    if let Some(advice) = &rule.advice {
        let _ = writeln!(out, "- Advice: {}", escape(advice));
    }
    let provenance = super::provenance(rule);
    if !provenance.is_empty() {
        let _ = writeln!(out, "- {}", provenance.join("; "));
    }
    let sources = super::source_links(rb, rule);
    let _ = writeln!(out, "- Sources: {}\n", sources.join(", "));
    let _ = writeln!(out, "{}\n", escape(&rule.rationale));
}

/// One risk or contradiction of `rules docs`.
fn docs_risk(out: &mut String, rb: &RuleBase, risk: &Risk) {
    let _ = writeln!(out, "### `{}`\n", risk.id);
    let _ = writeln!(out, "{}\n", escape(&risk.title));
    let kind = match risk.kind {
        crate::rulebase::RiskKind::Contradiction => "contradiction",
        crate::rulebase::RiskKind::Risk => "risk",
    };
    let _ = writeln!(out, "- {kind}, severity {}", risk.severity);
    let _ = writeln!(out, "- When: `{}`", risk.when);
    let _ = writeln!(out, "- Mitigation: {}", escape(&risk.mitigation));
    let sources: Vec<String> = risk
        .sources
        .iter()
        .map(|s| {
            let info = super::json::source_info(rb, s);
            match info.url {
                Some(url) => format!("[{}]({url})", escape(s.as_str())),
                None => escape(info.title),
            }
        })
        .collect();
    let _ = writeln!(out, "- Sources: {}\n", sources.join(", "));
    let _ = writeln!(out, "{}\n", escape(&risk.rationale));
}

/// GitHub's heading anchor: lowercase, spaces to dashes, punctuation dropped.
fn anchor(title: &str) -> String {
    title
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}
