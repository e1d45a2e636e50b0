//! Scenarios: answers with the verdicts they must produce.
//!
//! A scenario file is an answers file plus expectations per topic:
//!
//! ```toml
//! title = "Seed-stage invoicing SaaS"
//! [answers]
//! team_size = 5
//! # ...
//! [expect.data-store]
//! winner = "relational"
//! fired = ["relational-data-wants-joins"]     # must fire
//! not_fired = ["strong-consistency-favours-cp"] # must not fire
//! confidence = "high"                          # optional
//! ```
//!
//! `no_winner = true` instead of `winner` expects every option ruled out.
//!
//! Scenarios are how the rule base is tested: they pin the winner and the
//! reasons, so a rule change that flips a verdict or silences a rule fails
//! with the line of the expectation it broke. Topics without expectations
//! are not evaluated; `topics` can list more to evaluate. A directory of
//! them runs as a [`Suite`], which also reports what the scenarios cover.

pub mod suite;

pub use suite::{Coverage, Suite, TopicCoverage};

use crate::answers::{AnswerSet, RawAnswers};
use crate::decide::evaluate_answers;
use crate::diagnostic::{DataError, Diagnostic, Diagnostics};
use crate::eval::{Evaluation, Level, RuleStatus, TopicOutcome};
use crate::ids::{OptionId, RuleId, TopicId};
use crate::rulebase::{RuleBase, Topic};
use crate::source::{SourceFile, Span};
use crate::words::{level_from_text, level_text, signed};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::Arc;
use toml::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScenario {
    title: Option<Spanned<String>>,
    topics: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    answers: BTreeMap<Spanned<String>, Spanned<toml::Value>>,
    #[serde(default)]
    expect: BTreeMap<Spanned<String>, Spanned<RawExpectation>>,
    /// The exact risks and contradictions the answers must raise.
    risks: Option<Spanned<Vec<Spanned<String>>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExpectation {
    winner: Option<Spanned<String>>,
    no_winner: Option<Spanned<bool>>,
    #[serde(default)]
    fired: Vec<Spanned<String>>,
    #[serde(default)]
    not_fired: Vec<Spanned<String>>,
    confidence: Option<Spanned<String>>,
}

/// The verdict a scenario expects for one topic.
#[derive(Debug)]
pub struct Expectation {
    pub topic: TopicId,
    /// `None` when the scenario expects every option ruled out (`no_winner`).
    pub winner: Option<(OptionId, Span)>,
    pub fired: Vec<(RuleId, Span)>,
    pub not_fired: Vec<(RuleId, Span)>,
    pub confidence: Option<(Level, Span)>,
    pub span: Span,
}

#[derive(Debug)]
pub struct Scenario {
    pub file: Arc<SourceFile>,
    pub answers: AnswerSet,
    pub expectations: Vec<Expectation>,
    /// `risks = [...]`: exactly these flags, and where that was written.
    pub risks: Option<(Vec<RuleId>, Span)>,
}

/// The outcome of running one scenario.
#[derive(Debug)]
pub struct ScenarioOutcome {
    pub evaluation: Evaluation,
    /// One diagnostic per unmet expectation, at its line.
    pub failures: Vec<Diagnostic>,
}

impl Scenario {
    /// Parses and checks a scenario file against the rule base.
    pub fn parse(rb: &RuleBase, file: &Arc<SourceFile>) -> Result<Self, DataError> {
        let raw: RawScenario = toml::from_str(file.text()).map_err(|e| {
            let d = Diagnostic::error(e.message().trim().to_owned());
            DataError::single(match e.span() {
                Some(range) => d.at(&Span::new(file, range), "here"),
                None => d.in_file(file.name()),
            })
        })?;
        let answers = AnswerSet::from_raw(
            rb,
            file,
            RawAnswers::new(&raw.title, &raw.topics, &raw.answers),
        )?;
        let mut diags = Diagnostics::default();
        let mut expectations = Vec::new();
        for (topic_key, entry) in &raw.expect {
            let span = Span::new(file, entry.span());
            let Some(topic) = rb.topic(topic_key.get_ref()) else {
                diags.push(
                    Diagnostic::error(format!("unknown topic `{}`", topic_key.get_ref()))
                        .at(&Span::new(file, topic_key.span()), "no such topic")
                        .suggest(
                            topic_key.get_ref(),
                            rb.topics().iter().map(|t| t.id.as_str()),
                        ),
                );
                continue;
            };
            expectations.push(expectation(
                rb,
                file,
                topic,
                entry.get_ref(),
                span,
                &mut diags,
            ));
        }
        let risks = raw.risks.as_ref().map(|list| {
            let mut ids = Vec::new();
            for id in list.get_ref() {
                let name = id.get_ref();
                if rb.risks().iter().any(|r| r.id.as_str() == name) {
                    ids.push(RuleId::new(name.as_str()));
                } else {
                    diags.push(
                        Diagnostic::error(format!("unknown risk `{name}`"))
                            .at(&Span::new(file, id.span()), "no such risk")
                            .suggest(name, rb.risks().iter().map(|r| r.id.as_str())),
                    );
                }
            }
            ids.sort();
            (ids, Span::new(file, list.span()))
        });
        if expectations.is_empty() && risks.is_none() && !diags.has_errors() {
            diags.push(
                Diagnostic::error("the scenario expects nothing")
                    .in_file(file.name())
                    .help("add `[expect.TOPIC]` with `winner = \"...\"` and `fired = [...]`"),
            );
        }
        diags.finish()?;
        Ok(Self {
            file: Arc::clone(file),
            answers,
            expectations,
            risks,
        })
    }

    /// Evaluates the scenario and compares the verdicts with its expectations.
    pub fn run(&self, rb: &RuleBase) -> Result<ScenarioOutcome, DataError> {
        let mut ids: Vec<TopicId> = self.answers.topics.clone();
        for e in &self.expectations {
            if !ids.contains(&e.topic) {
                ids.push(e.topic.clone());
            }
        }
        let topics: Vec<&Topic> = if ids.is_empty() {
            rb.topics().iter().collect() // only `risks`: judge the whole design
        } else {
            ids.iter().filter_map(|id| rb.topic(id.as_str())).collect()
        };
        let evaluation = evaluate_answers(rb, &self.answers, &topics)?.evaluation;
        let mut failures = Vec::new();
        for expectation in &self.expectations {
            if let Some(outcome) = evaluation
                .topics
                .iter()
                .find(|o| o.topic == expectation.topic)
            {
                expectation.check(outcome, &mut failures);
            }
        }
        if let Some((want, span)) = &self.risks {
            failures.extend(risks_failure(&evaluation, want, span));
        }
        Ok(ScenarioOutcome {
            evaluation,
            failures,
        })
    }
}

impl Expectation {
    /// One failure for each part of the expectation the topic's outcome breaks.
    fn check(&self, outcome: &TopicOutcome, failures: &mut Vec<Diagnostic>) {
        failures.extend(self.winner_failure(outcome));
        let fired = outcome.fired();
        for (rule, span) in &self.fired {
            if !fired.contains(rule) {
                let why = match outcome.rule(rule).map(|r| r.status) {
                    Some(RuleStatus::NearMiss) => "it nearly fired (one condition away)",
                    Some(RuleStatus::Undetermined) => "it waits on an unknown answer",
                    _ => "its condition did not hold",
                };
                failures.push(
                    Diagnostic::error(format!(
                        "`{}`: expected `{rule}` to fire, but {why}",
                        self.topic
                    ))
                    .at(span, "expected to fire"),
                );
            }
        }
        for (rule, span) in &self.not_fired {
            if fired.contains(rule) {
                failures.push(
                    Diagnostic::error(format!(
                        "`{}`: expected `{rule}` not to fire, but it fired",
                        self.topic
                    ))
                    .at(span, "expected not to fire"),
                );
            }
        }
        if let Some((level, span)) = &self.confidence
            && *level != outcome.confidence.level
        {
            failures.push(
                Diagnostic::error(format!(
                    "`{}`: expected {} confidence, got {}",
                    self.topic,
                    level_text(*level),
                    level_text(outcome.confidence.level)
                ))
                .at(span, "expected confidence"),
            );
        }
    }

    /// The failure when another option won, or none did, than expected.
    fn winner_failure(&self, outcome: &TopicOutcome) -> Option<Diagnostic> {
        let topic = &self.topic;
        let score = |o: &OptionId| outcome.ranked(o).map_or(0, |r| r.score);
        match (&self.winner, &outcome.winner) {
            (Some((want, span)), Some(got)) if want != got => Some(
                Diagnostic::error(format!(
                    "`{topic}`: expected `{want}` to win, but `{got}` won ({} against {})",
                    score(got),
                    score(want)
                ))
                .at(span, "expected winner")
                .note(top_reasons(outcome, got))
                .note(top_reasons(outcome, want))
                .help(format!(
                    "`tradeoff explain --topic {topic}` shows every rule's part"
                )),
            ),
            (Some((want, span)), None) => Some(
                Diagnostic::error(format!(
                    "`{topic}`: expected `{want}` to win, but every option was ruled out"
                ))
                .at(span, "expected winner"),
            ),
            (None, Some(got)) => Some(
                Diagnostic::error(format!(
                    "`{topic}`: expected every option to be ruled out, but `{got}` won"
                ))
                .at(&self.span, "expectation"),
            ),
            _ => None,
        }
    }
}

/// The failure when the answers raise other risks than `risks = [...]` lists.
fn risks_failure(evaluation: &Evaluation, want: &[RuleId], span: &Span) -> Option<Diagnostic> {
    let mut got: Vec<RuleId> = evaluation.risks.iter().map(|f| f.risk.clone()).collect();
    got.sort();
    if got == want {
        return None;
    }
    let list = |ids: &[RuleId]| match ids {
        [] => "none".to_owned(),
        _ => ids
            .iter()
            .map(|i| format!("`{i}`"))
            .collect::<Vec<_>>()
            .join(", "),
    };
    let missing: Vec<RuleId> = want.iter().filter(|w| !got.contains(w)).cloned().collect();
    let extra: Vec<RuleId> = got.iter().filter(|g| !want.contains(g)).cloned().collect();
    Some(
        Diagnostic::error(match want {
            [] => format!("expected no risks, but the answers raise {}", list(&got)),
            _ => format!(
                "expected the risks {}, but the answers raise {}",
                list(want),
                list(&got)
            ),
        })
        .at(span, "expected risks")
        .note(format!(
            "not raised: {}; raised besides: {}",
            list(&missing),
            list(&extra)
        ))
        .help("`tradeoff rules show RISK` shows a risk's condition"),
    )
}

/// How many of an option's weightiest rules a failure names.
const TOP_REASONS: usize = 3;

/// `` `document` +6: +3 rule-a, +2 rule-b, +1 rule-c `` : an option's score
/// and the rules that weigh most in it (largest first, ties by rule id), or
/// the knock-outs that ruled it out.
fn top_reasons(outcome: &TopicOutcome, option: &OptionId) -> String {
    let Some(ranked) = outcome.ranked(option) else {
        return format!("`{option}`: not evaluated");
    };
    if !ranked.excluded_by.is_empty() {
        let rules: Vec<&str> = ranked.excluded_by.iter().map(|r| r.as_str()).collect();
        return format!("`{option}` is ruled out by {}", rules.join(", "));
    }
    let mut parts: Vec<&crate::eval::Contribution> = ranked.contributions.iter().collect();
    parts.sort_by(|a, b| {
        b.points
            .abs()
            .cmp(&a.points.abs())
            .then_with(|| a.rule.cmp(&b.rule))
    });
    let shown: Vec<String> = parts
        .iter()
        .take(TOP_REASONS)
        .map(|c| format!("{} {}", signed(c.points), c.rule))
        .collect();
    let more = parts.len().saturating_sub(TOP_REASONS);
    format!(
        "`{option}` {}: {}{}",
        signed(ranked.score),
        if shown.is_empty() {
            "no rule scores it".to_owned()
        } else {
            shown.join(", ")
        },
        if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        }
    )
}

fn expectation(
    rb: &RuleBase,
    file: &Arc<SourceFile>,
    topic: &Topic,
    raw: &RawExpectation,
    span: Span,
    diags: &mut Diagnostics,
) -> Expectation {
    let mut winner = None;
    let no_winner = raw.no_winner.as_ref().is_some_and(|n| *n.get_ref());
    match &raw.winner {
        Some(w) if no_winner => diags.push(
            Diagnostic::error("`winner` and `no_winner = true` contradict each other")
                .at(&Span::new(file, w.span()), "remove one"),
        ),
        None if no_winner => {}
        Some(w) => match topic.option(w.get_ref()) {
            Some(o) => winner = Some((o.id.clone(), Span::new(file, w.span()))),
            None => diags.push(
                Diagnostic::error(format!("unknown option `{}` in topic `{}`", w.get_ref(), topic.id))
                    .at(&Span::new(file, w.span()), "no such option")
                    .suggest(w.get_ref(), topic.options.iter().map(|o| o.id.as_str())),
            ),
        },
        None => diags.push(
            Diagnostic::error(format!("the expectation for `{}` has no `winner`", topic.id))
                .at(&span, "expectation")
                .help("add `winner = \"OPTION\"`, or `no_winner = true` if every option must be ruled out"),
        ),
    }
    let mut rules = |list: &[Spanned<String>]| -> Vec<(RuleId, Span)> {
        let mut out = Vec::new();
        for entry in list {
            let at = Span::new(file, entry.span());
            match topic.rule(entry.get_ref()) {
                Some(rule) => out.push((rule.id.clone(), at)),
                None => {
                    let elsewhere = rb.rule(entry.get_ref()).map(|(t, _)| t.id.to_string());
                    let mut d = Diagnostic::error(format!(
                        "unknown rule `{}` in topic `{}`",
                        entry.get_ref(),
                        topic.id
                    ))
                    .at(&at, "no such rule in this topic")
                    .suggest(entry.get_ref(), topic.rules.iter().map(|r| r.id.as_str()));
                    if let Some(other) = elsewhere {
                        d = d.help(format!("`{}` belongs to topic `{other}`", entry.get_ref()));
                    }
                    diags.push(d);
                }
            }
        }
        out
    };
    let fired = rules(&raw.fired);
    let not_fired = rules(&raw.not_fired);
    let confidence = raw.confidence.as_ref().and_then(|c| {
        let level = level_from_text(c.get_ref());
        if level.is_none() {
            diags.push(
                Diagnostic::error(format!("unknown confidence `{}`", c.get_ref())).at(
                    &Span::new(file, c.span()),
                    "expected `high`, `medium` or `low`",
                ),
            );
        }
        level.map(|l| (l, Span::new(file, c.span())))
    });
    Expectation {
        topic: topic.id.clone(),
        winner,
        fired,
        not_fired,
        confidence,
        span,
    }
}
