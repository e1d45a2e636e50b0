//! Architecture Decision Records written from the trace: the record's
//! variables, and the layouts that render them.
//!
//! A record is a minijinja template rendered with one [`RecordContext`]: the
//! decision's facts (topic, answers, options, reasons, risks, sources) as
//! data, plus the few sentences that are awkward to build in a template. The
//! two built-in layouts are such templates, kept beside this file and
//! embedded in the binary: `templates/madr.md.j2` follows MADR 4.0.0 (front
//! matter with the status written unquoted, as Structurizr reads it; Context
//! and Problem Statement, Decision Drivers, Considered Options, Decision
//! Outcome, Pros and Cons of the Options, More Information), and
//! `templates/nygard.md.j2` follows Michael Nygard's layout as adr-tools
//! repositories keep it (`# N. Title`, `Date:`, Status, Context, Decision,
//! Consequences). A team's own layout ([`RecordTemplate::new`]) gets the same
//! variables and the same strictness, so what the built-in layouts can say,
//! it can too; docs/adr-templates.md lists the variables.
//!
//! Text in the context is plain, as written in the rule base and the answers;
//! the templates escape it for Markdown with the `md` filter. The exceptions,
//! already Markdown, are named so: `tipping_points[].change` and
//! `change_short` (they hold code spans), and `block`, the data block every
//! record ends with ([`crate::adr::block`]), which lets `adr review` re-run
//! the decision.

mod prose;
mod verdict;

pub use verdict::{RecordNext, RecordPlan, RecordPlanItem, no_record_reason};

use super::markdown::escape;
use super::{DecisionRun, confidence_sentence, option_name, uncapitalize};
use crate::adr::block::{Block, LinkedDecision};
use crate::adr::repo::Layout;
use crate::adr::template::{self, TemplateError};
use crate::answers::{Origin, People};
use crate::eval::{Ranked, RuleStatus, TopicOutcome, Verdict};
use crate::ids::{OptionId, SourceId};
use crate::rulebase::{Rule, RuleBase, Topic};
use crate::value::Answer;
use minijinja::{Environment, Value};
use serde::Serialize;

/// How many fired rules the Decision Drivers section lists.
const MAX_DRIVERS: usize = 5;

/// The built-in MADR 4 layout.
const MADR_TEMPLATE: &str = include_str!("templates/madr.md.j2");
/// The built-in Nygard (adr-tools) layout.
const NYGARD_TEMPLATE: &str = include_str!("templates/nygard.md.j2");
/// The built-in MADR 2 layout, as log4brains reads it.
const MADR2_TEMPLATE: &str = include_str!("templates/madr2.md.j2");

/// The top-level variables of [`RecordContext`]: all a template may read.
pub const VARIABLES: [&str; 31] = [
    "number",
    "date",
    "title",
    "project",
    "topic",
    "people",
    "answers",
    "drivers",
    "options",
    "chart",
    "chosen",
    "decision",
    "runner_up",
    "verdict",
    "plan",
    "tied",
    "next",
    "reasons",
    "because",
    "confidence",
    "advice",
    "influences",
    "risks",
    "risk_summary",
    "tipping_points",
    "unknowns",
    "open_questions",
    "sources",
    "tradeoff_version",
    "rule_base",
    "block",
];

/// The record's title: the topic's decision line for the chosen option.
pub fn title(topic: &Topic, outcome: &TopicOutcome) -> Option<String> {
    if let Some(line) = verdict::decision_line(topic, outcome) {
        return Some(line);
    }
    let winner = outcome.winner.as_ref()?;
    let option = topic.option(winner.as_str())?;
    Some(topic.decision_title(option))
}

/// How a record's title is made, unless `decide --adr-title` says otherwise:
/// the decision line and the system it is for, so that the records of two
/// systems in one directory do not share titles.
pub const DEFAULT_TITLE: &str = "{decision}, for {system}";

/// A title from `format`'s placeholders: `{decision}` (the topic's decision
/// line), `{topic}`, `{choice}` and `{system}` (the answers' title). Without
/// a system, a format that names one falls back to the decision line.
fn titled(format: &str, decision: &str, topic: &str, choice: &str, system: Option<&str>) -> String {
    let format = match system {
        None if format.contains("{system}") => "{decision}",
        _ => format,
    };
    let text = format
        .replace("{decision}", decision)
        .replace("{topic}", topic)
        .replace("{choice}", choice)
        .replace("{system}", system.unwrap_or_default());
    // A heading ends without punctuation (markdownlint's MD026).
    crate::adr::one_line(&text)
        .trim_end_matches(['.', ',', ';', ':', '!'])
        .to_owned()
}

/// The record for one topic in the built-in MADR layout; `None` when no
/// option survived.
pub fn render(
    decision: &DecisionRun<'_>,
    topic: &Topic,
    outcome: &TopicOutcome,
    date: &str,
) -> Result<Option<String>, TemplateError> {
    render_builtin(Layout::Madr, decision, topic, outcome, date, 0)
}

/// The record for one topic in Nygard's layout, numbered `number`; `None`
/// when no option survived.
pub fn render_nygard(
    decision: &DecisionRun<'_>,
    topic: &Topic,
    outcome: &TopicOutcome,
    date: &str,
    number: u32,
) -> Result<Option<String>, TemplateError> {
    render_builtin(Layout::Nygard, decision, topic, outcome, date, number)
}

fn render_builtin(
    layout: Layout,
    decision: &DecisionRun<'_>,
    topic: &Topic,
    outcome: &TopicOutcome,
    date: &str,
    number: u32,
) -> Result<Option<String>, TemplateError> {
    let Some(context) = RecordContext::new(decision, topic, outcome, date, number) else {
        return Ok(None);
    };
    RecordTemplate::builtin(layout)?.render(&context).map(Some)
}

/// A record layout ready to render: a built-in one or a team's own.
pub struct RecordTemplate {
    env: Environment<'static>,
    name: String,
    text: String,
}

impl RecordTemplate {
    /// The built-in layout for records in `layout`.
    pub fn builtin(layout: Layout) -> Result<Self, TemplateError> {
        match layout {
            Layout::Nygard => Self::new("nygard.md.j2", NYGARD_TEMPLATE),
            Layout::Madr => Self::new("madr.md.j2", MADR_TEMPLATE),
            Layout::Madr2 => Self::new("madr2.md.j2", MADR2_TEMPLATE),
        }
    }

    /// The layout in the file `name`, whose text is `text`: compiled, with
    /// its syntax and top-level variables checked before any record is made.
    pub fn new(name: &str, text: &str) -> Result<Self, TemplateError> {
        let mut env =
            template::environment(true).map_err(|e| TemplateError::new(name, text, &e))?;
        env.add_filter("md", |text: Value| markdown_text(&text.to_string()));
        env.add_filter("yaml", |text: Value| yaml_scalar(&text.to_string()));
        env.add_filter("signed", super::signed);
        template::compile(&mut env, name, text, &VARIABLES)?;
        Ok(Self {
            env,
            name: name.to_owned(),
            text: text.to_owned(),
        })
    }

    /// The template's file name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The record, or the first undefined variable or failing filter.
    pub fn render(&self, context: &RecordContext) -> Result<String, TemplateError> {
        self.env
            .get_template(&self.name)
            .and_then(|t| template::render_bounded(&t, minijinja::value::Serde(context)))
            .map_err(|e| TemplateError::new(&self.name, &self.text, &e))
    }
}

/// Everything a record template can show about one topic's decision. Every
/// field is always present (absent values are `none`, empty lists empty), so
/// the strict templates can test any of them.
#[derive(Debug, Clone, Serialize)]
pub struct RecordContext {
    /// The record's number in its directory (Nygard's title shows it).
    pub number: u32,
    /// The record's date, `YYYY-MM-DD` (or `ADR_DATE`).
    pub date: String,
    /// The topic's decision line for the chosen option: "Use PostgreSQL".
    pub title: String,
    /// The answers file's `title`, what the decision is for.
    pub project: Option<String>,
    pub topic: RecordTopic,
    /// Who decides, was consulted and is informed: only the roles with names.
    pub people: Vec<RecordPeople>,
    /// The answers to the questions this topic reads, in asking order.
    pub answers: Vec<RecordAnswer>,
    /// The fired rules that moved the scores most, knock-outs first.
    pub drivers: Vec<RecordRule>,
    /// Every option, in ranking order.
    pub options: Vec<RecordOption>,
    /// The scores as a Mermaid bar chart, which GitHub and GitLab draw (the
    /// options' list stays as the fallback); `none` with fewer than two
    /// options standing.
    pub chart: Option<String>,
    pub chosen: RecordOption,
    /// The decision as a sentence: "We will use a relational database
    /// (PostgreSQL or MySQL)."
    pub decision: String,
    /// The closest standing alternative, if any.
    pub runner_up: Option<RecordOption>,
    /// What the verdict is: `winner`, `tie` or `plan`.
    pub verdict: &'static str,
    /// A combination topic's plan: what to adopt, consider, and not needed.
    pub plan: Option<RecordPlan>,
    /// A tie's options in tie-break order (`chosen` is the first); empty
    /// otherwise.
    pub tied: Vec<RecordOption>,
    /// A staged topic's next step from what runs today.
    pub next: Option<RecordNext>,
    /// The rules that made the chosen option win by giving it points (not
    /// those that only took points from others).
    pub reasons: Vec<RecordRule>,
    /// The reasons as one clause to follow "because".
    pub because: String,
    /// How firmly the chosen option leads, in words.
    pub confidence: String,
    /// What to do whatever the choice: fired rules' advice.
    pub advice: Vec<RecordAdvice>,
    /// What priorities, policy and linked decisions did, one sentence each.
    pub influences: Vec<String>,
    /// Risks flagged for this topic, most severe first.
    pub risks: Vec<RecordRisk>,
    /// The risks counted by severity: "1 high, 2 medium".
    pub risk_summary: String,
    /// Changes in the answers that would make another option win.
    pub tipping_points: Vec<RecordTip>,
    /// The questions answered "unknown" that matter here.
    pub unknowns: Vec<RecordQuestion>,
    /// The questions on which the people consulted disagreed.
    pub open_questions: Vec<RecordQuestion>,
    /// The sources of the rules that fired.
    pub sources: Vec<RecordSource>,
    pub tradeoff_version: String,
    pub rule_base: RecordRuleBase,
    /// The data block, an HTML comment: keep it so `adr review` can re-run
    /// the decision and `decide --adr` knows it is on record.
    pub block: String,
    #[serde(skip)]
    data: Block,
    /// The topic's decision line, which titles are made from.
    #[serde(skip)]
    decision_line: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct RecordTopic {
    pub id: String,
    pub title: String,
    /// The problem, as the rule base words it (Markdown).
    pub problem: String,
}

/// One role of the people involved.
#[derive(Debug, Clone, Serialize)]
pub struct RecordPeople {
    /// `decision-makers`, `consulted` or `informed`.
    pub role: &'static str,
    pub names: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RecordAnswer {
    /// The question's id.
    pub id: String,
    /// The question's short label: "Team size".
    pub question: String,
    /// The answer in words.
    pub value: String,
    /// The question was not answered and took its default.
    pub assumed: bool,
}

/// A question, by id and by its label.
#[derive(Debug, Clone, Serialize)]
pub struct RecordQuestion {
    pub id: String,
    /// The question's short label: "Team size".
    pub question: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct RecordRule {
    pub id: String,
    pub summary: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct RecordOption {
    pub id: String,
    pub name: String,
    pub summary: String,
    /// 1 for the chosen option; ruled-out options rank last.
    pub rank: usize,
    pub score: i32,
    /// The knock-out rules that ruled it out; empty if it stands.
    pub ruled_out_by: Vec<RecordRule>,
    pub good: Vec<String>,
    pub neutral: Vec<String>,
    pub bad: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RecordAdvice {
    /// The rule that gives it.
    pub rule: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct RecordRisk {
    pub id: String,
    /// `high`, `medium` or `low`.
    pub severity: String,
    pub title: String,
    /// The answers that raised it: "team_size = 2, ...".
    pub answers: String,
    pub mitigation: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct RecordTip {
    /// The change, Markdown, questions by label and id: "Team size (`team_size`) at least 9 (now 4)".
    pub change: String,
    /// The change, Markdown, questions by label only: "Team size at least 9 (now 4)".
    pub change_short: String,
    /// What the verdict would become then, in words: "Cache-aside would win".
    pub becomes: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct RecordSource {
    pub id: String,
    pub title: String,
    pub url: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RecordRuleBase {
    /// `sha256:` and the digest of every file of the rule base.
    pub fingerprint: String,
    /// Its first 12 hex digits.
    pub short_fingerprint: String,
    /// The rule packs in use, as `name@version`; empty without packs.
    pub packs: Vec<String>,
    /// The rule base and its packs: "rules + acme-platform@1.2".
    pub origin: String,
}

impl RecordContext {
    /// The context of the record for one topic; `None` when no option survived.
    pub fn new(
        decision: &DecisionRun<'_>,
        topic: &Topic,
        outcome: &TopicOutcome,
        date: &str,
        number: u32,
    ) -> Option<Self> {
        let rb = decision.rb;
        let winner = verdict::lead(outcome)?;
        let decision_line = title(topic, outcome)?;
        let options: Vec<RecordOption> = outcome
            .ranking
            .iter()
            .map(|ranked| RecordOption::new(rb, topic, ranked))
            .collect();
        let find = |id: &OptionId| options.iter().find(|o| o.id == id.as_str()).cloned();
        let chosen = find(winner)?;
        let runner_up = outcome.confidence.runner_up.as_ref().and_then(find);
        let tied = verdict::tied(outcome, &options);
        let data = data_block(decision, topic, outcome, winner);
        let (risks, risk_summary) = risks(decision, topic);
        Some(Self {
            number,
            date: date.to_owned(),
            title: titled(
                DEFAULT_TITLE,
                &decision_line,
                &topic.title,
                &chosen.name,
                decision.answers.title.as_deref(),
            ),
            decision_line,
            project: decision.answers.title.clone(),
            topic: RecordTopic {
                id: topic.id.to_string(),
                title: topic.title.to_string(),
                problem: topic.problem.to_string(),
            },
            people: people(&decision.answers.people),
            answers: answers(decision, topic),
            drivers: drivers(topic, outcome)
                .into_iter()
                .map(RecordRule::new)
                .collect(),
            options,
            chart: super::chart::mermaid(topic, outcome).map(|c| c.trim_end().to_owned()),
            decision: verdict::decision_sentence(topic, outcome)
                .unwrap_or_else(|| prose::decision_sentence(&chosen.name, &topic_texts(topic))),
            verdict: match outcome.verdict {
                Verdict::Plan { .. } => "plan",
                Verdict::Tie(_) => "tie",
                _ => "winner",
            },
            plan: verdict::plan(rb, topic, outcome),
            tied,
            next: verdict::next(rb, topic, outcome),
            chosen,
            runner_up,
            reasons: reasons(rb, outcome),
            because: because(rb, outcome),
            confidence: confidence_sentence(topic, outcome),
            advice: super::advice(decision, outcome)
                .into_iter()
                .map(|(rule, text)| RecordAdvice {
                    rule: rule.to_owned(),
                    text: text.to_owned(),
                })
                .collect(),
            influences: super::context_lines(decision, topic, outcome),
            risks,
            risk_summary,
            tipping_points: tipping_points(rb, topic, outcome),
            unknowns: outcome
                .unknowns
                .iter()
                .map(|q| RecordQuestion::new(rb, q.as_str()))
                .collect(),
            open_questions: open_questions(decision, topic),
            sources: sources(rb, topic, outcome),
            tradeoff_version: env!("CARGO_PKG_VERSION").to_owned(),
            rule_base: RecordRuleBase::new(rb),
            block: data.render().trim_end().to_owned(),
            data,
        })
    }

    /// The data block the record ends with, as data.
    pub fn data_block(&self) -> &Block {
        &self.data
    }

    /// Titles the record after `format` (see [`DEFAULT_TITLE`]).
    pub fn retitle(&mut self, format: &str) {
        self.title = titled(
            format,
            &self.decision_line,
            &self.topic.title,
            &self.chosen.name,
            self.project.as_deref(),
        );
    }
}

impl RecordRule {
    fn new(rule: &Rule) -> Self {
        Self {
            id: rule.id.to_string(),
            summary: rule.summary.to_string(),
        }
    }
}

impl RecordOption {
    fn new(rb: &RuleBase, topic: &Topic, ranked: &Ranked) -> Self {
        let option = topic.option(ranked.option.as_str());
        let texts = |pick| option_texts(option, pick);
        Self {
            id: ranked.option.to_string(),
            name: option_name(topic, &ranked.option).to_owned(),
            summary: option.map_or_else(String::new, |o| o.summary.to_string()),
            rank: ranked.rank,
            score: ranked.score,
            ruled_out_by: ranked
                .excluded_by
                .iter()
                .filter_map(|id| rb.rule(id.as_str()))
                .map(|(_, rule)| RecordRule::new(rule))
                .collect(),
            good: texts(|o| &o.good),
            neutral: texts(|o| &o.neutral),
            bad: texts(|o| &o.bad),
        }
    }
}

impl RecordRuleBase {
    fn new(rb: &RuleBase) -> Self {
        Self {
            fingerprint: rb.fingerprint().to_owned(),
            short_fingerprint: rb.short_fingerprint().to_owned(),
            packs: rb.packs().iter().map(|p| p.label()).collect(),
            origin: rb.origin().to_owned(),
        }
    }
}

/// The roles that have names, in RACI order.
fn people(people: &People) -> Vec<RecordPeople> {
    [
        ("decision-makers", &people.decision_makers),
        ("consulted", &people.consulted),
        ("informed", &people.informed),
    ]
    .into_iter()
    .filter(|(_, names)| !names.is_empty())
    .map(|(role, names)| RecordPeople {
        role,
        names: names.clone(),
    })
    .collect()
}

fn answers(decision: &DecisionRun<'_>, topic: &Topic) -> Vec<RecordAnswer> {
    decision
        .answers_for(topic)
        .into_iter()
        .map(|(question, answer)| RecordAnswer {
            id: question.id.to_string(),
            question: question.label.to_string(),
            value: match decision
                .answers
                .entries
                .get(&question.id)
                .map(|g| &g.origin)
            {
                Some(Origin::Inferred(inferred)) => {
                    format!("{} ({})", question.describe(answer), inferred.note())
                }
                _ => question.describe(answer),
            },
            assumed: decision.resolution.defaulted.contains(&question.id),
        })
        .collect()
}

/// One list of an option's texts (its good, neutral or bad points); empty
/// for an option the topic does not know.
fn option_texts(
    option: Option<&crate::rulebase::TopicOption>,
    pick: fn(&crate::rulebase::TopicOption) -> &Vec<crate::source::Text>,
) -> Vec<String> {
    option.map_or_else(Vec::new, |o| {
        pick(o).iter().map(ToString::to_string).collect()
    })
}

/// A rule's summary as a clause to follow "because": "data is read often".
fn clause(rule: &Rule) -> String {
    uncapitalize(rule.summary.trim_end_matches('.'))
}

/// The rules that gave the chosen option points: what made it win, not the
/// penalties other options took.
fn winning_rules<'r>(rb: &'r RuleBase, outcome: &TopicOutcome) -> Vec<&'r Rule> {
    outcome
        .reasons
        .iter()
        .filter(|r| r.points > 0)
        .filter_map(|r| rb.rule(r.rule.as_str()))
        .map(|(_, rule)| rule)
        .collect()
}

fn reasons(rb: &RuleBase, outcome: &TopicOutcome) -> Vec<RecordRule> {
    winning_rules(rb, outcome)
        .into_iter()
        .map(RecordRule::new)
        .collect()
}

/// The reasons as one clause: "data is read often; and ...".
fn because(rb: &RuleBase, outcome: &TopicOutcome) -> String {
    let clauses: Vec<String> = winning_rules(rb, outcome).into_iter().map(clause).collect();
    prose::because(&clauses)
}

/// Everything the topic says in words, to tell names from common nouns.
fn topic_texts(topic: &Topic) -> String {
    let mut texts = vec![topic.problem.to_string()];
    for option in &topic.options {
        texts.push(option.summary.to_string());
        for text in option.good.iter().chain(&option.bad).chain(&option.neutral) {
            texts.push(text.to_string());
        }
    }
    for rule in &topic.rules {
        texts.push(rule.summary.to_string());
        texts.push(rule.rationale.to_string());
    }
    texts.join("\n")
}

impl RecordQuestion {
    fn new(rb: &RuleBase, id: &str) -> Self {
        Self {
            id: id.to_owned(),
            question: rb
                .question(id)
                .map_or_else(|| id.to_owned(), |q| q.label.to_string()),
        }
    }
}

/// The risks flagged for this topic, and their count by severity.
fn risks(decision: &DecisionRun<'_>, topic: &Topic) -> (Vec<RecordRisk>, String) {
    let flagged = super::risks_for(decision, topic);
    let summary = super::risk_summary(&flagged);
    let risks = flagged
        .into_iter()
        .map(|(flag, risk)| RecordRisk {
            id: risk.id.to_string(),
            severity: flag.severity.to_string(),
            title: risk.title.to_string(),
            answers: super::answers_text(&flag.answers),
            mitigation: risk.mitigation.to_string(),
        })
        .collect();
    (risks, summary)
}

fn tipping_points(rb: &RuleBase, topic: &Topic, outcome: &TopicOutcome) -> Vec<RecordTip> {
    outcome
        .tipping_points
        .iter()
        .map(|tip| RecordTip {
            change: super::tip_text(tip, true, Some(rb)),
            change_short: tip_by_label(rb, tip),
            becomes: super::becomes_words(topic, &outcome.verdict, &tip.becomes),
        })
        .collect()
}

fn sources(rb: &RuleBase, topic: &Topic, outcome: &TopicOutcome) -> Vec<RecordSource> {
    cited_sources(topic, outcome)
        .into_iter()
        .map(|id| {
            let info = super::json::source_info(rb, id);
            RecordSource {
                id: id.to_string(),
                title: info.title.to_owned(),
                url: info.url.map(ToOwned::to_owned),
            }
        })
        .collect()
}

/// A YAML plain scalar if it is safe as one, else a double-quoted string.
fn yaml_scalar(text: &str) -> String {
    let plain = !text.is_empty()
        && !text.contains(": ")
        && !text.contains(" #")
        && !text.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@`".contains(c))
        && !text.ends_with(':')
        && !text.chars().any(char::is_control);
    if plain {
        text.to_owned()
    } else {
        serde_json::to_string(text).unwrap_or_default()
    }
}

/// The answers file's open questions that this topic reads.
fn open_questions(decision: &DecisionRun<'_>, topic: &Topic) -> Vec<RecordQuestion> {
    let relevant = decision.rb.relevant_questions(&[topic]);
    decision
        .answers
        .open
        .iter()
        .filter(|q| relevant.iter().any(|r| &r.id == *q))
        .map(|q| RecordQuestion::new(decision.rb, q.as_str()))
        .collect()
}

/// A tipping point in words, questions by label: "Team size at least 9 (now 4)".
fn tip_by_label(rb: &RuleBase, tip: &crate::eval::TippingPoint) -> String {
    let one = |q: &crate::ids::QuestionId, change: &str, now: &Answer| {
        let label = rb
            .question(q.as_str())
            .map_or_else(|| q.to_string(), |q| q.label.to_string());
        format!(
            "{} {} (now {})",
            escape(&label),
            escape(change),
            escape(&now.to_string())
        )
    };
    let mut text = one(&tip.question, &tip.change, &tip.now);
    if let Some(and) = &tip.and {
        text.push_str(" and ");
        text.push_str(&one(&and.question, &and.change, &and.now));
    }
    text
}

/// Text escaped for Markdown, with bare web addresses made autolinks
/// (`<https://...>`), as Markdown linters and renderers expect them.
fn markdown_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut rest = text;
    while let Some(at) = ["https://", "http://"]
        .iter()
        .filter_map(|p| rest.find(p))
        .min()
    {
        out.push_str(&escape(&rest[..at]));
        let url = &rest[at..];
        let end = url
            .find(|c: char| c.is_whitespace() || c == '<' || c == '>')
            .unwrap_or(url.len());
        let link = url[..end].trim_end_matches(['.', ',', ';', ':', ')', '!', '?']);
        out.push('<');
        out.push_str(link);
        out.push('>');
        rest = &url[link.len()..];
    }
    out.push_str(&escape(rest));
    out
}

/// Fired rules that moved the scores most: knock-outs first, then by the
/// spread of points they gave, then file order.
fn drivers<'t>(topic: &'t Topic, outcome: &TopicOutcome) -> Vec<&'t Rule> {
    let mut fired: Vec<(usize, &Rule)> = topic
        .rules
        .iter()
        .zip(&outcome.rules)
        .enumerate()
        .filter(|(_, (_, o))| o.status == RuleStatus::Fired)
        .map(|(i, (r, _))| (i, r))
        .collect();
    let spread = |r: &Rule| {
        let points: Vec<i32> = r
            .score
            .iter()
            .map(|(_, p)| *p)
            .chain(std::iter::once(0))
            .collect();
        points.iter().max().unwrap_or(&0) - points.iter().min().unwrap_or(&0)
    };
    fired.sort_by(|(ia, a), (ib, b)| {
        a.exclude
            .is_empty()
            .cmp(&b.exclude.is_empty())
            .then_with(|| spread(b).cmp(&spread(a)))
            .then_with(|| ia.cmp(ib))
    });
    fired
        .into_iter()
        .map(|(_, r)| r)
        .take(MAX_DRIVERS)
        .collect()
}

fn cited_sources<'t>(topic: &'t Topic, outcome: &TopicOutcome) -> Vec<&'t SourceId> {
    let mut out: Vec<&SourceId> = Vec::new();
    for (rule, o) in topic.rules.iter().zip(&outcome.rules) {
        if o.status == RuleStatus::Fired {
            for source in &rule.sources {
                if !out.contains(&source) {
                    out.push(source);
                }
            }
        }
    }
    out
}

/// The data block of a record: the given answers (not defaults) to the
/// questions this topic depends on, and what the decision was made with.
fn data_block(
    decision: &DecisionRun<'_>,
    topic: &Topic,
    outcome: &TopicOutcome,
    chosen: &OptionId,
) -> Block {
    let answers = decision
        .answers_for(topic)
        .into_iter()
        .filter(|(q, _)| {
            decision
                .answers
                .entries
                .get(&q.id)
                .is_some_and(|g| !matches!(g.origin, Origin::Default))
        })
        .map(|(q, a): (_, &Answer)| (q.id.to_string(), a.to_toml()))
        .collect();
    let (adopt, consider, tied) = match &outcome.verdict {
        Verdict::Plan { adopt, consider } => (adopt.clone(), consider.clone(), Vec::new()),
        Verdict::Tie(tied) => (Vec::new(), Vec::new(), tied.clone()),
        _ => Default::default(),
    };
    Block {
        schema: 1,
        tradeoff: env!("CARGO_PKG_VERSION").to_owned(),
        topic: topic.id.clone(),
        chosen: chosen.clone(),
        adopt,
        consider,
        tied,
        rule_base: decision.rb.fingerprint().to_owned(),
        packs: decision.rb.packs().iter().map(|p| p.label()).collect(),
        title: decision.answers.title.clone(),
        priorities: decision
            .rb
            .context()
            .priorities
            .iter()
            .map(|(a, w)| format!("{a}={w}"))
            .collect(),
        policy: decision.rb.context().policy.clone(),
        decisions: topic
            .linked_topics()
            .into_iter()
            .filter_map(|t| {
                let o = decision
                    .evaluation
                    .topics
                    .iter()
                    .find(|o| o.topic.as_str() == t)?;
                let decided = match &o.verdict {
                    Verdict::Plan { adopt, .. } => LinkedDecision::Adopted(adopt.clone()),
                    _ => LinkedDecision::Winner(o.winner.clone()?),
                };
                Some((t.to_owned(), decided))
            })
            .collect(),
        fired: outcome
            .fired()
            .into_iter()
            .map(ToString::to_string)
            .collect(),
        effects: outcome
            .fired()
            .into_iter()
            .filter_map(|id| topic.rule(id.as_str()))
            .map(|rule| (rule.id.to_string(), effect(rule)))
            .collect(),
        answers,
    }
}

/// What a rule does to its topic's options, as a record keeps it.
pub fn effect(rule: &Rule) -> crate::adr::block::Effect {
    crate::adr::block::Effect {
        points: rule
            .score
            .iter()
            .filter(|(_, p)| *p != 0)
            .map(|(o, p)| (o.to_string(), *p))
            .collect(),
        excludes: rule.exclude.iter().map(ToString::to_string).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::AnswerSet;
    use crate::decide::resolve;
    use crate::eval::evaluate;
    use crate::source::SourceFile;

    /// The caching record of the SaaS example, in `template`.
    fn render_example(template: &RecordTemplate) -> (RecordContext, String) {
        let rb = crate::builtin::rule_base().unwrap();
        let file = SourceFile::new("a.toml", include_str!("../../examples/saas-startup.toml"));
        let answers = AnswerSet::parse(&rb, &file).unwrap();
        let topics = rb
            .select_topics(&[crate::ids::TopicId::new("caching")])
            .unwrap();
        let resolution = resolve(&rb, &answers, &topics).unwrap();
        let evaluation = evaluate(&rb, &resolution.facts, &topics);
        let decision = DecisionRun {
            rb: &rb,
            answers: &answers,
            resolution: &resolution,
            evaluation: &evaluation,
        };
        let (topic, outcome) = decision.topics().next().unwrap();
        let context = RecordContext::new(&decision, topic, outcome, "2026-01-02", 7).unwrap();
        let text = template.render(&context).unwrap();
        (context, text)
    }

    #[test]
    fn the_variables_are_the_contexts_fields() {
        let (context, _) = render_example(&RecordTemplate::builtin(Layout::Madr).unwrap());
        let serde_json::Value::Object(fields) = serde_json::to_value(&context).unwrap() else {
            panic!("the context is not a map");
        };
        let mut names: Vec<&str> = fields.keys().map(String::as_str).collect();
        let mut variables = VARIABLES.to_vec();
        names.sort_unstable();
        variables.sort_unstable();
        assert_eq!(names, variables);
    }

    #[test]
    fn built_in_layouts_end_with_the_data_block() {
        for layout in [Layout::Madr, Layout::Nygard, Layout::Madr2] {
            let (context, text) = render_example(&RecordTemplate::builtin(layout).unwrap());
            let block = Block::find(&text).unwrap().unwrap();
            assert_eq!(&block, context.data_block());
            assert!(text.ends_with("-->\n"), "{text}");
        }
    }

    #[test]
    fn filters_escape_quote_and_sign() {
        let template = RecordTemplate::new(
            "t.md",
            "{{ \"a|b*c\" | md }} {{ \"x: y\" | yaml }} {{ 3 | signed }} {{ -2 | signed }}\n",
        )
        .unwrap();
        let (_, text) = render_example(&template);
        assert_eq!(text, "a\\|b\\*c \"x: y\" +3 -2\n");
    }
}
