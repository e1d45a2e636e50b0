//! The data block: the machine-readable part of a record tradeoff writes.
//!
//! Every record `decide --adr` writes ends with an HTML comment, invisible
//! in rendered Markdown, that holds TOML: the topic, the chosen option, the
//! answers, the rules that fired and the rule-base fingerprint. `adr review`
//! reads it back to re-run the decision and report drift, and `decide --adr`
//! reads it to tell a decision already on record from a new one. The block
//! is part of the record format, so it lives here with the other record
//! readers; the reports only fill it in.

use crate::ids::{OptionId, TopicId};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;

const BLOCK_START: &str = "<!-- tradeoff";
const BLOCK_END: &str = "-->";

/// The hidden record of how a decision was made: enough to re-run it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Block {
    pub schema: u32,
    pub tradeoff: String,
    pub topic: TopicId,
    /// The option decided: the winner, a plan's first adopted option, or
    /// the first of a tie in tie-break order.
    pub chosen: OptionId,
    /// A combination topic's plan: the options adopted.
    #[serde(default)]
    pub adopt: Vec<OptionId>,
    /// A combination topic's plan: the options to consider.
    #[serde(default)]
    pub consider: Vec<OptionId>,
    /// A tie: the tied options in tie-break order.
    #[serde(default)]
    pub tied: Vec<OptionId>,
    pub rule_base: String,
    /// The rule packs in use, as `name@version`, in layering order.
    #[serde(default)]
    pub packs: Vec<String>,
    pub title: Option<String>,
    /// The user's priorities, as `attribute=weight`.
    #[serde(default)]
    pub priorities: Vec<String>,
    /// The policy applied, by name.
    #[serde(default)]
    pub policy: Option<String>,
    /// The decisions of linked topics this topic read, by topic.
    #[serde(default)]
    pub decisions: BTreeMap<String, LinkedDecision>,
    /// The rules that fired when the decision was made.
    #[serde(default)]
    pub fired: Vec<String>,
    /// What each fired rule did then: its points by option and the options
    /// it ruled out, so that a review can name a rule re-weighted since.
    #[serde(default)]
    pub effects: BTreeMap<String, Effect>,
    #[serde(default)]
    pub answers: BTreeMap<String, toml::Value>,
}

/// The decision a block records, without how it was made.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Header {
    pub topic: TopicId,
    pub chosen: OptionId,
    /// The system the decision is for (the answers' title).
    pub title: Option<String>,
}

/// A linked topic's decision: its winner, or the options its plan adopts.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum LinkedDecision {
    Winner(OptionId),
    Adopted(Vec<OptionId>),
}

impl LinkedDecision {
    /// The decision as another topic's conditions read it.
    pub fn as_answer(&self) -> crate::value::Answer {
        use crate::value::{Answer, Value};
        let choice = |o: &OptionId| crate::ids::ChoiceId::new(o.as_str());
        Answer::Known(match self {
            LinkedDecision::Winner(o) => Value::Choice(choice(o)),
            LinkedDecision::Adopted(set) => Value::Choices(set.iter().map(choice).collect()),
        })
    }

    fn toml(&self) -> String {
        match self {
            LinkedDecision::Winner(o) => toml_string(o.as_str()),
            LinkedDecision::Adopted(set) => {
                let ids: Vec<String> = set.iter().map(|o| toml_string(o.as_str())).collect();
                format!("[{}]", ids.join(", "))
            }
        }
    }
}

/// What one rule does to a topic's options.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
pub struct Effect {
    /// Points by option id (options it leaves alone are absent).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub points: BTreeMap<String, i32>,
    /// The options it rules out.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub excludes: Vec<String>,
}

impl Effect {
    /// The effect in words: `none +2, cache-aside -1, rules out write-behind`.
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = self
            .points
            .iter()
            .map(|(option, points)| format!("{option} {points:+}"))
            .collect();
        if !self.excludes.is_empty() {
            parts.push(format!("rules out {}", self.excludes.join(", ")));
        }
        if parts.is_empty() {
            "no points".to_owned()
        } else {
            parts.join(", ")
        }
    }
}

impl Block {
    /// The verdict the block records: a plan, a tie, or one winner.
    pub fn verdict(&self) -> crate::eval::Verdict {
        use crate::eval::Verdict;
        if !self.adopt.is_empty() || !self.consider.is_empty() {
            Verdict::Plan {
                adopt: self.adopt.clone(),
                consider: self.consider.clone(),
            }
        } else if self.tied.len() > 1 {
            Verdict::Tie(self.tied.clone())
        } else {
            Verdict::Winner(self.chosen.clone())
        }
    }

    /// The block as an HTML comment holding TOML. Strings escape `>` so no
    /// answer can close the comment early.
    pub fn render(&self) -> String {
        let mut out = format!("{BLOCK_START}\n");
        out.push_str("# How this decision was made; read by tradeoff to re-run it. Do not edit.\n");
        let _ = writeln!(out, "schema = {}", self.schema);
        let _ = writeln!(out, "tradeoff = {}", toml_string(&self.tradeoff));
        let _ = writeln!(out, "topic = {}", toml_string(self.topic.as_str()));
        let _ = writeln!(out, "chosen = {}", toml_string(self.chosen.as_str()));
        for (key, ids) in [
            ("adopt", &self.adopt),
            ("consider", &self.consider),
            ("tied", &self.tied),
        ] {
            if !ids.is_empty() {
                let ids: Vec<String> = ids.iter().map(|o| toml_string(o.as_str())).collect();
                let _ = writeln!(out, "{key} = [{}]", ids.join(", "));
            }
        }
        let _ = writeln!(out, "rule_base = {}", toml_string(&self.rule_base));
        if !self.packs.is_empty() {
            let packs: Vec<String> = self.packs.iter().map(|p| toml_string(p)).collect();
            let _ = writeln!(out, "packs = [{}]", packs.join(", "));
        }
        if let Some(title) = &self.title {
            let _ = writeln!(out, "title = {}", toml_string(title));
        }
        if !self.priorities.is_empty() {
            let p: Vec<String> = self.priorities.iter().map(|p| toml_string(p)).collect();
            let _ = writeln!(out, "priorities = [{}]", p.join(", "));
        }
        if let Some(policy) = &self.policy {
            let _ = writeln!(out, "policy = {}", toml_string(policy));
        }
        let fired: Vec<String> = self.fired.iter().map(|f| toml_string(f)).collect();
        let _ = writeln!(out, "fired = [{}]", fired.join(", "));
        if !self.effects.is_empty() {
            out.push_str("\n[effects]\n");
            for (rule, effect) in &self.effects {
                let _ = writeln!(out, "{} = {}", toml_string(rule), effect_toml(effect));
            }
        }
        if !self.decisions.is_empty() {
            out.push_str("\n[decisions]\n");
            for (topic, decided) in &self.decisions {
                let _ = writeln!(out, "{} = {}", toml_string(topic), decided.toml());
            }
        }
        out.push_str("\n[answers]\n");
        for (id, value) in &self.answers {
            let _ = writeln!(out, "{id} = {}", toml_value(value));
        }
        out.push_str(BLOCK_END);
        out.push('\n');
        out
    }

    /// What decision a record holds (topic, system, chosen option), read
    /// from the top of its block only: cheap enough to ask of a thousand
    /// records. `None` if there is no readable block.
    pub fn header(markdown: &str) -> Option<Header> {
        let start = markdown.find(BLOCK_START)?;
        let body = &markdown[start + BLOCK_START.len()..];
        let end = body.find(BLOCK_END)?;
        let head = &body[..body[..end].find("\n[").unwrap_or(end)];
        toml::from_str(head).ok()
    }

    /// Finds and parses the block in a record. `None` if there is none.
    pub fn find(markdown: &str) -> Option<Result<Self, String>> {
        let start = markdown.find(BLOCK_START)?;
        let body = &markdown[start + BLOCK_START.len()..];
        let Some(end) = body.find(BLOCK_END) else {
            return Some(Err("the tradeoff block is not closed with `-->`".to_owned()));
        };
        Some(toml::from_str(&body[..end]).map_err(|e| e.message().to_owned()))
    }
}

/// A TOML basic string with `>` escaped.
fn toml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '>' => out.push_str("\\u003E"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `{ points = { none = 2 }, excludes = ["x"] }`.
fn effect_toml(effect: &Effect) -> String {
    let mut parts = Vec::new();
    if !effect.points.is_empty() {
        let points: Vec<String> = effect
            .points
            .iter()
            .map(|(o, p)| format!("{} = {p}", toml_string(o)))
            .collect();
        parts.push(format!("points = {{ {} }}", points.join(", ")));
    }
    if !effect.excludes.is_empty() {
        let excludes: Vec<String> = effect.excludes.iter().map(|o| toml_string(o)).collect();
        parts.push(format!("excludes = [{}]", excludes.join(", ")));
    }
    format!("{{ {} }}", parts.join(", "))
}

fn toml_value(value: &toml::Value) -> String {
    match value {
        toml::Value::String(s) => toml_string(s),
        toml::Value::Array(items) => {
            let items: Vec<String> = items.iter().map(toml_value).collect();
            format!("[{}]", items.join(", "))
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_round_trips_and_cannot_close_the_comment() {
        let block = Block {
            schema: 1,
            tradeoff: "0.1.0".into(),
            topic: TopicId::new("caching"),
            chosen: OptionId::new("none"),
            adopt: vec![OptionId::new("none"), OptionId::new("cache-aside")],
            consider: vec![OptionId::new("read-through")],
            tied: Vec::new(),
            rule_base: "sha256:abc".into(),
            packs: vec!["acme-platform@1.2".into()],
            title: Some("a --> b \"quoted\"".into()),
            priorities: vec!["latency=2".into()],
            policy: Some("Radar --> 2026".into()),
            decisions: [
                (
                    "architecture".to_owned(),
                    LinkedDecision::Winner(OptionId::new("monolith")),
                ),
                (
                    "edge".to_owned(),
                    LinkedDecision::Adopted(vec![
                        OptionId::new("api-gateway"),
                        OptionId::new("backend-for-frontend"),
                    ]),
                ),
            ]
            .into_iter()
            .collect(),
            fired: vec!["rule-a".into()],
            effects: [(
                "rule-a".to_owned(),
                Effect {
                    points: [("none".to_owned(), 2), ("cache-aside".to_owned(), -1)]
                        .into_iter()
                        .collect(),
                    excludes: vec!["write-behind".into()],
                },
            )]
            .into_iter()
            .collect(),
            answers: [
                ("notes".to_owned(), toml::Value::String("x --> y".into())),
                ("peak_rps".to_owned(), toml::Value::Float(1e20)),
                ("clients".to_owned(), toml::Value::Array(vec!["web".into()])),
            ]
            .into_iter()
            .collect(),
        };
        let text = block.render();
        assert_eq!(text.matches("-->").count(), 1, "{text}");
        let parsed = Block::find(&format!("# Title\n\n{text}"));
        assert_eq!(parsed, Some(Ok(block.clone())));
        assert_eq!(
            Block::header(&text),
            Some(Header {
                topic: block.topic,
                chosen: block.chosen,
                title: block.title,
            })
        );
    }

    #[test]
    fn records_without_a_block_have_none() {
        assert_eq!(Block::find("# Just a record\n"), None);
        assert!(matches!(
            Block::find("<!-- tradeoff\nschema = 1\n"),
            Some(Err(_))
        ));
    }
}
