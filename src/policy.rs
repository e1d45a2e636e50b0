//! Organisation policy: a technology radar, or required and forbidden
//! technologies, applied to the options of the decision topics.
//!
//! A policy file names options by topic and gives each a radar ring
//! (`adopt`, `trial`, `assess`, `hold`) or a status (`required`,
//! `forbidden`). Rings add or take points; statuses knock options out. Each
//! entry becomes a rule of its topic, so its effect is traced, named in the
//! reports, and visible when it changed the winner.
//!
//! ```toml
//! [policy]
//! name = "Acme platform radar 2026-Q4"
//!
//! [[technology]]
//! topic = "data-store"
//! option = "document"
//! ring = "hold"
//! reason = "no MongoDB expertise on call"
//! ```

use crate::diagnostic::{DataError, Diagnostic, Diagnostics, unknown_option};
use crate::ids::{OptionId, RuleId, SourceId};
use crate::rulebase::{Rule, RuleBase, RuleOrigin, Topic, TopicOption};
use crate::source::{SourceFile, Span};
use serde::Deserialize;
use std::sync::Arc;
use toml::Spanned;

/// Points per radar ring: adopting is encouraged, holding is discouraged
/// strongly enough to lose a close call but not a clear one.
pub const RINGS: [(&str, i32); 4] = [("adopt", 2), ("trial", 0), ("assess", -1), ("hold", -3)];
pub const STATUSES: [&str; 2] = ["required", "forbidden"];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicyFile {
    policy: Spanned<RawPolicy>,
    #[serde(default)]
    technology: Vec<Spanned<RawEntry>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    name: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    topic: Spanned<String>,
    option: Spanned<String>,
    ring: Option<Spanned<String>>,
    status: Option<Spanned<String>>,
    reason: Option<Spanned<String>>,
}

/// A checked policy: its name and the rules it adds.
#[derive(Debug)]
pub struct Policy {
    pub name: String,
    pub file: String,
    pub rules: Vec<Rule>,
}

impl Policy {
    /// Reads and checks a policy file against the rule base; every problem
    /// is reported at once, at its line and column.
    pub fn parse(file: &Arc<SourceFile>, rb: &RuleBase) -> Result<Policy, DataError> {
        let raw: RawPolicyFile =
            crate::rulebase::load::parse(file).map_err(|d| DataError::single(*d))?;
        let mut diags = Diagnostics::default();
        let name = match &raw.policy.get_ref().name {
            Some(n) if !n.get_ref().trim().is_empty() => n.get_ref().trim().to_owned(),
            _ => {
                diags.push(
                    Diagnostic::error("the policy has no `name`")
                        .at(&Span::new(file, raw.policy.span()), "`name` missing here")
                        .help("add `name = \"...\"`: reports name the policy wherever it changed a result"),
                );
                String::new()
            }
        };
        let mut rules: Vec<Rule> = Vec::new();
        for entry in &raw.technology {
            if let Some(rule) = entry_rule(file, entry, rb, &name, &rules, &mut diags) {
                rules.push(rule);
            }
        }
        diags.finish()?;
        Ok(Policy {
            name,
            file: file.name().to_owned(),
            rules,
        })
    }
}

fn entry_rule(
    file: &Arc<SourceFile>,
    entry: &Spanned<RawEntry>,
    rb: &RuleBase,
    name: &str,
    earlier: &[Rule],
    diags: &mut Diagnostics,
) -> Option<Rule> {
    let span = Span::new(file, entry.span());
    let raw = entry.get_ref();
    let (topic, option) = entry_option(file, raw, rb, diags)?;
    let (topic_id, option_id) = (raw.topic.get_ref(), raw.option.get_ref());
    let id = RuleId::new(format!("policy:{topic_id}:{option_id}").as_str());
    if earlier.iter().any(|r| r.id == id) {
        diags.push(
            Diagnostic::error(format!(
                "`{option_id}` of `{topic_id}` appears twice in the policy"
            ))
            .at(&span, "second entry")
            .help("keep one entry per option"),
        );
        return None;
    }
    let reason = raw.reason.as_ref().map(|r| r.get_ref().trim().to_owned());
    let effect = match (&raw.ring, &raw.status) {
        (Some(ring), None) => ring_effect(file, ring, option, diags)?,
        (None, Some(status)) => status_effect(file, status, &span, topic, option, earlier, diags)?,
        (Some(_), Some(status)) => {
            diags.push(
                Diagnostic::error("an entry has both `ring` and `status`")
                    .at(&Span::new(file, status.span()), "second verdict")
                    .help(
                        "a radar ring weighs an option; a status requires or forbids it: pick one",
                    ),
            );
            return None;
        }
        (None, None) => {
            diags.push(
                Diagnostic::error(format!("the entry for `{option_id}` has no `ring` or `status`"))
                    .at(&span, "nothing to apply")
                    .help("add `ring = \"adopt\"` (adopt, trial, assess, hold) or `status = \"forbidden\"` (required, forbidden)"),
            );
            return None;
        }
    };
    let location = span.location();
    let summary = format!("Policy `{name}`: `{option_id}` {}", effect.verdict);
    Some(Rule {
        id,
        topic: topic.id.clone(),
        summary: summary.into(),
        when: None,
        score: effect.score,
        exclude: effect.exclude,
        advice: None,
        rationale: reason
            .unwrap_or_else(|| format!("Organisation policy `{name}`."))
            .into(),
        sources: vec![SourceId::new(
            format!("policy {name} ({location})").as_str(),
        )],
        reviewed: None,
        evidence: None,
        origin: RuleOrigin::Policy,
        span,
    })
}

/// The topic and the option an entry names, or why not.
fn entry_option<'a>(
    file: &Arc<SourceFile>,
    raw: &RawEntry,
    rb: &'a RuleBase,
    diags: &mut Diagnostics,
) -> Option<(&'a Topic, &'a TopicOption)> {
    let at = |s: &Spanned<String>| Span::new(file, s.span());
    let topic_id = raw.topic.get_ref();
    let Some(topic) = rb.topic(topic_id) else {
        diags.push(
            Diagnostic::error(format!("unknown topic `{topic_id}`"))
                .at(&at(&raw.topic), "no such topic")
                .suggest(topic_id, rb.topics().iter().map(|t| t.id.as_str())),
        );
        return None;
    };
    let option_id = raw.option.get_ref();
    let Some(option) = topic.option(option_id) else {
        diags.push(unknown_option(
            format!("unknown option `{option_id}` in topic `{topic_id}`"),
            &at(&raw.option),
            topic_id,
            option_id,
            topic.options.iter().map(|o| o.id.as_str()),
        ));
        return None;
    };
    Some((topic, option))
}

/// What an entry does to its option: in words, as points, as knock-outs.
struct Effect {
    verdict: String,
    score: Vec<(OptionId, i32)>,
    exclude: Vec<OptionId>,
}

/// A radar ring: points for the option.
fn ring_effect(
    file: &Arc<SourceFile>,
    ring: &Spanned<String>,
    option: &TopicOption,
    diags: &mut Diagnostics,
) -> Option<Effect> {
    let Some((word, points)) = RINGS.iter().find(|(w, _)| w == ring.get_ref()) else {
        diags.push(
            Diagnostic::error(format!("unknown ring `{}`", ring.get_ref()))
                .at(
                    &Span::new(file, ring.span()),
                    "expected `adopt`, `trial`, `assess` or `hold`",
                )
                .suggest(ring.get_ref(), RINGS.iter().map(|(w, _)| *w)),
        );
        return None;
    };
    let score = if *points == 0 {
        Vec::new()
    } else {
        vec![(option.id.clone(), *points)]
    };
    Some(Effect {
        verdict: format!("is in the `{word}` ring ({points:+} points)"),
        score,
        exclude: Vec::new(),
    })
}

/// A status: `forbidden` knocks the option out, `required` every other one
/// (one required option per topic).
fn status_effect(
    file: &Arc<SourceFile>,
    status: &Spanned<String>,
    span: &Span,
    topic: &Topic,
    option: &TopicOption,
    earlier: &[Rule],
    diags: &mut Diagnostics,
) -> Option<Effect> {
    match status.get_ref().as_str() {
        "forbidden" => Some(Effect {
            verdict: "is forbidden".to_owned(),
            score: Vec::new(),
            exclude: vec![option.id.clone()],
        }),
        "required" => {
            if let Some(other) = earlier
                .iter()
                .find(|r| r.topic == topic.id && r.exclude.len() + 1 == topic.options.len())
            {
                diags.push(
                    Diagnostic::error(format!("two options of `{}` are required", topic.id))
                        .at(span, "second requirement")
                        .note(format!("also required: `{}`", other.id))
                        .help("a topic can have one required option"),
                );
                return None;
            }
            let others: Vec<OptionId> = topic
                .options
                .iter()
                .filter(|o| o.id != option.id)
                .map(|o| o.id.clone())
                .collect();
            Some(Effect {
                verdict: "is required".to_owned(),
                score: Vec::new(),
                exclude: others,
            })
        }
        other => {
            diags.push(
                Diagnostic::error(format!("unknown status `{other}`"))
                    .at(
                        &Span::new(file, status.span()),
                        "expected `required` or `forbidden`",
                    )
                    .suggest(other, STATUSES),
            );
            None
        }
    }
}
