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
//! Instead of `winner`: `tie = [...]` expects the options tied at the top,
//! `adopt = [...]` (with `consider = [...]`) a combination topic's plan,
//! `not_applicable = true` a topic that does not apply, and `no_winner =
//! true` every option ruled out. A staged topic can also expect its
//! `next_step`, `end_state` and a `trigger` of the step after (see
//! [`expected`]).
//!
//! Scenarios are how the rule base is tested: they pin the winner and the
//! reasons, so a rule change that flips a verdict or silences a rule fails
//! with the line of the expectation it broke. Topics without expectations
//! are not evaluated; `topics` can list more to evaluate. A directory of
//! them runs as a [`Suite`], which also reports what the scenarios cover.

pub mod agreement;
mod expected;
pub mod suite;

pub use expected::{ExpectedStep, ExpectedVerdict};
pub use suite::{Coverage, Suite, TopicCoverage};

use crate::answers::{AnswerSet, RawAnswers};
use crate::decide::evaluate_answers;
use crate::diagnostic::{DataError, Diagnostic, Diagnostics};
use crate::eval::{Evaluation, Level, RuleStatus, TopicOutcome, Verdict};
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
    tie: Option<Spanned<Vec<Spanned<String>>>>,
    adopt: Option<Spanned<Vec<Spanned<String>>>>,
    consider: Option<Spanned<Vec<Spanned<String>>>>,
    not_applicable: Option<Spanned<bool>>,
    next_step: Option<Spanned<String>>,
    end_state: Option<Spanned<String>>,
    trigger: Option<Spanned<String>>,
    #[serde(default)]
    fired: Vec<Spanned<String>>,
    #[serde(default)]
    not_fired: Vec<Spanned<String>>,
    confidence: Option<Spanned<String>>,
    /// What the real team chose: one option (a staged topic's next step).
    team_chose: Option<Spanned<String>>,
    /// What the real team adopted, for a plan.
    team_adopted: Option<Spanned<Vec<Spanned<String>>>>,
}

/// The verdict a scenario expects for one topic.
#[derive(Debug)]
pub struct Expectation {
    pub topic: TopicId,
    /// What the topic must come to, and where that was written.
    pub verdict: Option<(ExpectedVerdict, Span)>,
    /// A staged topic's next step, end state and trigger.
    pub step: ExpectedStep,
    pub fired: Vec<(RuleId, Span)>,
    pub not_fired: Vec<(RuleId, Span)>,
    pub confidence: Option<(Level, Span)>,
    /// What the real team chose, for scenarios built from real decisions.
    pub team: Option<agreement::TeamChoice>,
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
    /// How each verdict compares with the real team's choice, where the
    /// scenario names it, by topic.
    pub agreements: Vec<(TopicId, agreement::Agreement)>,
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
        let mut agreements = Vec::new();
        for expectation in &self.expectations {
            if let Some(outcome) = evaluation
                .topics
                .iter()
                .find(|o| o.topic == expectation.topic)
            {
                expectation.check(outcome, &mut failures);
                agreements.extend(
                    expectation
                        .team
                        .as_ref()
                        .map(|t| (expectation.topic.clone(), t.compare(outcome))),
                );
            }
        }
        if let Some((want, span)) = &self.risks {
            failures.extend(risks_failure(&evaluation, want, span));
        }
        Ok(ScenarioOutcome {
            evaluation,
            failures,
            agreements,
        })
    }
}

impl Expectation {
    /// One failure for each part of the expectation the topic's outcome breaks.
    fn check(&self, outcome: &TopicOutcome, failures: &mut Vec<Diagnostic>) {
        failures.extend(self.verdict_failure(outcome));
        self.step.check(outcome, self.topic.as_str(), failures);
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

    /// The failure when the topic came to something else than expected.
    fn verdict_failure(&self, outcome: &TopicOutcome) -> Option<Diagnostic> {
        let (want, span) = self.verdict.as_ref()?;
        if want.holds(&outcome.verdict) {
            return None;
        }
        let topic = &self.topic;
        let mut d = Diagnostic::error(format!(
            "`{topic}`: expected {}, but {}",
            expected_words(want),
            got_words(outcome)
        ))
        .at(span, "expected verdict");
        if let ExpectedVerdict::Winner(want) = want {
            for option in options_to_compare(outcome, want) {
                d = d.note(top_reasons(outcome, option));
            }
        }
        Some(d.help(format!(
            "`tradeoff explain --topic {topic}` shows every rule's part"
        )))
    }
}

/// The options a failed winner expectation is explained by: whatever
/// leads (every tied option, in a tie), then the expected one, each once.
fn options_to_compare<'a>(outcome: &'a TopicOutcome, want: &'a OptionId) -> Vec<&'a OptionId> {
    let mut shown: Vec<&OptionId> = match &outcome.verdict {
        Verdict::Tie(tied) => tied.iter().collect(),
        verdict => verdict.leader().into_iter().collect(),
    };
    if !shown.contains(&want) {
        shown.push(want);
    }
    shown
}

/// An expected verdict in words, for a failure.
fn expected_words(want: &ExpectedVerdict) -> String {
    let list = |ids: &mut dyn Iterator<Item = &OptionId>| {
        let names: Vec<String> = ids.map(|i| format!("`{i}`")).collect();
        if names.is_empty() {
            "none".to_owned()
        } else {
            names.join(", ")
        }
    };
    match want {
        ExpectedVerdict::Winner(w) => format!("`{w}` to win"),
        ExpectedVerdict::Tie(t) => format!("a tie of {}", list(&mut t.iter())),
        ExpectedVerdict::Plan { adopt, consider } => match consider {
            Some(c) => format!(
                "a plan adopting {} and considering {}",
                list(&mut adopt.iter()),
                list(&mut c.iter())
            ),
            None => format!("a plan adopting {}", list(&mut adopt.iter())),
        },
        ExpectedVerdict::NotApplicable => "the topic not to apply".to_owned(),
        ExpectedVerdict::NoOption => "every option to be ruled out".to_owned(),
    }
}

/// What the topic came to, in words, for a failure.
fn got_words(outcome: &TopicOutcome) -> String {
    let score = |o: &OptionId| outcome.ranked(o).map_or(0, |r| r.score);
    let list = |ids: &[OptionId]| {
        let names: Vec<String> = ids.iter().map(|i| format!("`{i}`")).collect();
        if names.is_empty() {
            "none".to_owned()
        } else {
            names.join(", ")
        }
    };
    match &outcome.verdict {
        Verdict::Winner(w) => {
            let against = outcome
                .confidence
                .runner_up
                .as_ref()
                .map_or(String::new(), |r| {
                    format!(" ({} against {} for `{r}`)", score(w), score(r))
                });
            format!("`{w}` won{against}")
        }
        Verdict::Tie(t) => format!("{} tied at {}", list(t), t.first().map_or(0, score)),
        Verdict::Plan { adopt, consider } => format!(
            "the plan adopts {} and considers {}",
            list(adopt),
            list(consider)
        ),
        Verdict::NotApplicable => "the topic does not apply".to_owned(),
        Verdict::NoOption => "every option was ruled out".to_owned(),
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
    let verdict = expected::verdict(file, topic, raw, &span, diags);
    let step = expected::step(rb, file, topic, raw, diags);
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
        verdict,
        step,
        fired,
        not_fired,
        confidence,
        team: team_choice(file, topic, raw, diags),
        span,
    }
}

/// What the real team chose, as the scenario names it: `team_chose` or
/// `team_adopted` (for a plan), each option checked against the topic.
fn team_choice(
    file: &Arc<SourceFile>,
    topic: &Topic,
    raw: &RawExpectation,
    diags: &mut Diagnostics,
) -> Option<agreement::TeamChoice> {
    let mut option = |entry: &Spanned<String>| -> Option<OptionId> {
        if topic.option(entry.get_ref()).is_some() {
            return Some(OptionId::new(entry.get_ref().as_str()));
        }
        diags.push(
            Diagnostic::error(format!(
                "unknown option `{}` in topic `{}`",
                entry.get_ref(),
                topic.id
            ))
            .at(
                &Span::new(file, entry.span()),
                "no such option in this topic",
            )
            .suggest(entry.get_ref(), topic.options.iter().map(|o| o.id.as_str())),
        );
        None
    };
    match (&raw.team_chose, &raw.team_adopted) {
        (Some(one), None) => option(one).map(agreement::TeamChoice::One),
        (None, Some(set)) => {
            let ids: Option<_> = set.get_ref().iter().map(&mut option).collect();
            ids.map(agreement::TeamChoice::Adopted)
        }
        (Some(one), Some(_)) => {
            diags.push(
                Diagnostic::error("`team_chose` and `team_adopted` cannot both be given")
                    .at(&Span::new(file, one.span()), "one of the two")
                    .help("`team_adopted = [...]` for a plan, `team_chose = \"OPTION\"` otherwise"),
            );
            None
        }
        (None, None) => None,
    }
}
