//! The verdict a scenario expects of a topic, and of a staged topic its
//! next step: read from the scenario's keys, checked against the topic,
//! and compared with what evaluation found.
//!
//! One of these says what the topic comes to:
//!
//! ```toml
//! winner = "relational"              # one option wins
//! tie = ["rest", "grpc"]             # these share the top score
//! adopt = ["timeouts-and-retries"]   # a plan: exactly these adopted
//! consider = ["circuit-breaker"]     #   and, when given, exactly these considered
//! not_applicable = true              # the topic does not apply
//! no_winner = true                   # every option is ruled out
//! ```
//!
//! A staged topic may add `next_step = "OPTION"`, `end_state = "OPTION"`
//! and `trigger = "QUESTION"` (a question one of the triggers for the step
//! after the next reads).

use super::RawExpectation;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::eval::{TopicOutcome, Verdict};
use crate::ids::{OptionId, QuestionId};
use crate::rulebase::{RuleBase, Topic};
use crate::source::{SourceFile, Span};
use std::collections::BTreeSet;
use std::sync::Arc;
use toml::Spanned;

/// What a scenario expects a topic to come to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExpectedVerdict {
    Winner(OptionId),
    /// The options tied at the top, in any order.
    Tie(BTreeSet<OptionId>),
    /// The adopted options, and the considered ones when given.
    Plan {
        adopt: BTreeSet<OptionId>,
        consider: Option<BTreeSet<OptionId>>,
    },
    NotApplicable,
    NoOption,
}

/// A staged topic's expected next step.
#[derive(Debug)]
pub struct ExpectedStep {
    pub next_step: Option<(OptionId, Span)>,
    pub end_state: Option<(OptionId, Span)>,
    pub trigger: Option<(QuestionId, Span)>,
}

/// Reads what the expectation says the topic comes to.
pub(super) fn verdict(
    file: &Arc<SourceFile>,
    topic: &Topic,
    raw: &RawExpectation,
    span: &Span,
    diags: &mut Diagnostics,
) -> Option<(ExpectedVerdict, Span)> {
    let at = |s: std::ops::Range<usize>| Span::new(file, s);
    let mut forms: Vec<(ExpectedVerdict, Span)> = Vec::new();
    let option =
        |name: &Spanned<String>, diags: &mut Diagnostics| known_option(file, topic, name, diags);
    if let Some(w) = &raw.winner
        && let Some(o) = option(w, diags)
    {
        forms.push((ExpectedVerdict::Winner(o), at(w.span())));
    }
    if let Some(flag) = raw.no_winner.as_ref().filter(|n| *n.get_ref()) {
        forms.push((ExpectedVerdict::NoOption, at(flag.span())));
    }
    if let Some(flag) = raw.not_applicable.as_ref().filter(|n| *n.get_ref()) {
        forms.push((ExpectedVerdict::NotApplicable, at(flag.span())));
    }
    if let Some(list) = &raw.tie {
        let tied: BTreeSet<OptionId> = list
            .get_ref()
            .iter()
            .filter_map(|o| option(o, diags))
            .collect();
        forms.push((ExpectedVerdict::Tie(tied), at(list.span())));
    }
    if let Some(list) = &raw.adopt {
        let adopt = list
            .get_ref()
            .iter()
            .filter_map(|o| option(o, diags))
            .collect();
        let consider = raw.consider.as_ref().map(|c| {
            c.get_ref()
                .iter()
                .filter_map(|o| option(o, diags))
                .collect()
        });
        forms.push((ExpectedVerdict::Plan { adopt, consider }, at(list.span())));
    } else if let Some(c) = &raw.consider {
        diags.push(
            Diagnostic::error("`consider` goes with `adopt`")
                .at(&at(c.span()), "a plan needs its adopted options")
                .help("add `adopt = [...]` (it may be empty)"),
        );
    }
    one_form(topic, forms, span, diags)
}

/// The single form an expectation must take, checked against the topic's
/// way of deciding.
fn one_form(
    topic: &Topic,
    forms: Vec<(ExpectedVerdict, Span)>,
    span: &Span,
    diags: &mut Diagnostics,
) -> Option<(ExpectedVerdict, Span)> {
    if forms.len() > 1 {
        diags.push(
            Diagnostic::error(format!(
                "the expectation for `{}` says more than one verdict",
                topic.id
            ))
            .at(&forms[1].1, "a second verdict")
            .help("keep one of `winner`, `tie`, `adopt`, `not_applicable` and `no_winner`"),
        );
        return None;
    }
    let Some((expected, at)) = forms.into_iter().next() else {
        let help = if topic.plan_thresholds().is_some() {
            "add `adopt = [...]` (and `consider = [...]`), or `not_applicable = true`"
        } else {
            "add `winner = \"OPTION\"`, `tie = [...]`, `not_applicable = true`, or `no_winner = true`"
        };
        diags.push(
            Diagnostic::error(format!("the expectation for `{}` has no verdict", topic.id))
                .at(span, "expectation")
                .help(help),
        );
        return None;
    };
    let plan = topic.plan_thresholds().is_some();
    let fits = match expected {
        ExpectedVerdict::Winner(_) | ExpectedVerdict::Tie(_) => !plan,
        ExpectedVerdict::Plan { .. } => plan,
        _ => true,
    };
    if !fits {
        let why = if plan {
            "this topic makes a plan: expect `adopt = [...]`"
        } else {
            "this topic picks one option: expect `winner` or `tie`"
        };
        diags.push(
            Diagnostic::error(format!("`{}` does not decide that way", topic.id)).at(&at, why),
        );
        return None;
    }
    Some((expected, at))
}

/// A staged topic's expected next step, end state and trigger.
pub(super) fn step(
    rb: &RuleBase,
    file: &Arc<SourceFile>,
    topic: &Topic,
    raw: &RawExpectation,
    diags: &mut Diagnostics,
) -> ExpectedStep {
    let at = |s: std::ops::Range<usize>| Span::new(file, s);
    let keys = [&raw.next_step, &raw.end_state, &raw.trigger];
    if !topic.is_staged()
        && let Some(key) = keys.into_iter().flatten().next()
    {
        diags.push(
            Diagnostic::error(format!("`{}` is not a staged topic", topic.id))
                .at(&at(key.span()), "it has no next step"),
        );
    }
    let mut option =
        |o: &Spanned<String>| known_option(file, topic, o, diags).map(|id| (id, at(o.span())));
    let next_step = raw.next_step.as_ref().and_then(&mut option);
    let end_state = raw.end_state.as_ref().and_then(&mut option);
    let trigger = raw.trigger.as_ref().and_then(|q| {
        let found = rb.question(q.get_ref()).map(|q| q.id.clone());
        if found.is_none() {
            diags.push(
                Diagnostic::error(format!("unknown question `{}`", q.get_ref()))
                    .at(&at(q.span()), "no such question")
                    .suggest(q.get_ref(), rb.questions().iter().map(|q| q.id.as_str())),
            );
        }
        found.map(|id| (id, at(q.span())))
    });
    ExpectedStep {
        next_step,
        end_state,
        trigger,
    }
}

fn known_option(
    file: &Arc<SourceFile>,
    topic: &Topic,
    name: &Spanned<String>,
    diags: &mut Diagnostics,
) -> Option<OptionId> {
    let found = topic.option(name.get_ref()).map(|o| o.id.clone());
    if found.is_none() {
        diags.push(
            Diagnostic::error(format!(
                "unknown option `{}` in topic `{}`",
                name.get_ref(),
                topic.id
            ))
            .at(&Span::new(file, name.span()), "no such option")
            .suggest(name.get_ref(), topic.options.iter().map(|o| o.id.as_str())),
        );
    }
    found
}

impl ExpectedVerdict {
    /// Whether the topic came to this.
    pub fn holds(&self, verdict: &Verdict) -> bool {
        let set = |ids: &[OptionId]| ids.iter().cloned().collect::<BTreeSet<_>>();
        match (self, verdict) {
            (ExpectedVerdict::Winner(w), Verdict::Winner(got)) => w == got,
            (ExpectedVerdict::Tie(want), Verdict::Tie(got)) => *want == set(got),
            (
                ExpectedVerdict::Plan { adopt, consider },
                Verdict::Plan {
                    adopt: got_adopt,
                    consider: got_consider,
                },
            ) => {
                *adopt == set(got_adopt)
                    && consider.as_ref().is_none_or(|c| *c == set(got_consider))
            }
            (ExpectedVerdict::NotApplicable, Verdict::NotApplicable)
            | (ExpectedVerdict::NoOption, Verdict::NoOption) => true,
            _ => false,
        }
    }
}

impl ExpectedStep {
    /// One failure per part of the step the outcome breaks.
    pub fn check(&self, outcome: &TopicOutcome, topic: &str, failures: &mut Vec<Diagnostic>) {
        let next = outcome.next.as_ref();
        if let Some((want, span)) = &self.next_step {
            let got = next.map(|n| &n.next_step);
            if got != Some(want) {
                failures.push(
                    Diagnostic::error(format!(
                        "`{topic}`: expected the next step `{want}`, got {}",
                        got.map_or("none".to_owned(), |g| format!("`{g}`"))
                    ))
                    .at(span, "expected next step"),
                );
            }
        }
        if let Some((want, span)) = &self.end_state {
            let got = next.map(|n| n.end_state.as_ref().unwrap_or(&n.next_step));
            if got != Some(want) {
                failures.push(
                    Diagnostic::error(format!(
                        "`{topic}`: expected the end state `{want}`, got {}",
                        got.map_or("none".to_owned(), |g| format!("`{g}`"))
                    ))
                    .at(span, "expected end state"),
                );
            }
        }
        if let Some((want, span)) = &self.trigger {
            let found = next.is_some_and(|n| n.then.iter().any(|t| &t.question == want));
            if !found {
                failures.push(
                    Diagnostic::error(format!(
                        "`{topic}`: expected `{want}` among the triggers of the step after the next"
                    ))
                    .at(span, "expected trigger"),
                );
            }
        }
    }
}
