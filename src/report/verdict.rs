//! Verdicts in words, shared by every renderer: a winner, a tie with the
//! tie-break that orders it, a plan of options to adopt and consider, a
//! topic that does not apply and why, a staged topic's next step, and what
//! a tipping point would bring.

use super::{level_text, option_name, signed};
use crate::eval::{Adoption, NextStep, TippingPoint, TopicOutcome, Verdict};
use crate::ids::{OptionId, QuestionId};
use crate::rulebase::{Attribute, RuleBase, Topic};
use crate::words::{and_list, verdict_words};

/// What a tipping point would bring, from `now`, in words: `Cache-aside
/// would win`, `A and B would tie`, `Circuit breaker: consider → adopt`,
/// `the topic would not apply`.
pub fn becomes_words(topic: &Topic, now: &Verdict, becomes: &Verdict) -> String {
    match becomes {
        Verdict::Winner(w) if *now == Verdict::NotApplicable => {
            format!("the topic would apply, {} leading", option_name(topic, w))
        }
        Verdict::Winner(w) => format!("{} would win", option_name(topic, w)),
        Verdict::Tie(tied) => {
            let names: Vec<&str> = tied.iter().map(|o| option_name(topic, o)).collect();
            format!("{} would tie", and_list(&names))
        }
        Verdict::Plan { .. } => plan_moves(topic, now, becomes).join(", "),
        Verdict::NoOption => "no option would survive".to_owned(),
        Verdict::NotApplicable => "the topic would not apply".to_owned(),
    }
}

/// The options a plan change moves, as `Circuit breaker: consider → adopt`.
pub fn plan_moves(topic: &Topic, now: &Verdict, becomes: &Verdict) -> Vec<String> {
    topic
        .options
        .iter()
        .filter_map(|o| {
            let to = becomes.adoption(&o.id)?;
            let from = now.adoption(&o.id);
            (from != Some(to)).then(|| match from {
                Some(from) => format!("{}: {} → {}", o.name, from.words(), to.words()),
                None => format!("{}: {}", o.name, to.words()),
            })
        })
        .collect()
}

/// One sentence on how firm the verdict is: for a winner, its lead; for a
/// tie, how it was ordered; for a plan, how far the nearest option is from
/// changing its place.
pub fn confidence_sentence(topic: &Topic, outcome: &TopicOutcome) -> String {
    let c = &outcome.confidence;
    let mut s = format!("confidence {}", level_text(c.level));
    match (&outcome.verdict, &c.runner_up, c.margin) {
        (Verdict::Tie(tied), _, _) => {
            let first = tied.first().map_or("", |o| option_name(topic, o));
            s.push_str(&format!(
                "; the tie-break ({}) lists {first} first",
                tie_break_words(topic)
            ));
        }
        (Verdict::Plan { .. }, _, Some(margin)) => {
            s.push_str(&format!(
                ", the nearest option is {margin} {} from being adopted or dropped",
                points(margin)
            ));
        }
        (Verdict::Plan { .. }, _, None) => {}
        (_, Some(runner), Some(margin)) => {
            s.push_str(&format!(
                ", leads {} by {margin} {}",
                option_name(topic, runner),
                points(margin)
            ));
        }
        _ if outcome.winner.is_some() => s.push_str(", every other option is ruled out"),
        _ => {}
    }
    if c.could_flip {
        s.push_str("; unknown answers could change the verdict");
    } else if c.unknown_swing > 0 {
        s.push_str(&format!(
            "; unknown answers could move up to {} points",
            c.unknown_swing
        ));
    }
    s
}

fn points(n: i32) -> &'static str {
    if n == 1 { "point" } else { "points" }
}

/// The topic's tie-break in words: "simpler, then cheaper".
fn tie_break_words(topic: &Topic) -> String {
    let words: Vec<&str> = topic
        .tie_break
        .iter()
        .map(|a| match a {
            Attribute::OperationalSimplicity => "simpler",
            Attribute::Cost => "cheaper",
            Attribute::TimeToMarket => "faster to deliver",
            Attribute::Latency => "faster",
            Attribute::Scalability => "more scalable",
            Attribute::Consistency => "more consistent",
            Attribute::Availability => "more available",
            Attribute::TeamFamiliarity => "more familiar",
        })
        .collect();
    if words.is_empty() {
        "the topic's order".to_owned()
    } else {
        format!("{} first, then the topic's order", words.join(" and "))
    }
}

/// The line after the verdict's headline: its confidence, or for a topic
/// that does not apply, why.
pub fn verdict_detail(topic: &Topic, outcome: &TopicOutcome) -> String {
    match outcome.verdict {
        Verdict::NotApplicable => {
            let mut s = not_applicable_reason(topic, outcome);
            if outcome.requested {
                s.push_str("; ranked anyway, as asked");
            }
            s
        }
        Verdict::NoOption => "the constraints conflict".to_owned(),
        _ => confidence_sentence(topic, outcome),
    }
}

/// Why a topic does not apply: its own reason, and the answers behind it.
pub fn not_applicable_reason(topic: &Topic, outcome: &TopicOutcome) -> String {
    let because = outcome
        .not_applicable_because
        .as_deref()
        .map(super::answers_text)
        .unwrap_or_default();
    match (&topic.applies_because, because.is_empty()) {
        (Some(why), true) => why.to_string(),
        (Some(why), false) => format!("{why} ({because})"),
        (None, false) => format!("because {because}"),
        (None, true) => "its condition does not hold".to_owned(),
    }
}

/// A plan, one line per option: its place, name, score and the rule that
/// weighs most in it.
pub fn plan_lines(topic: &Topic, outcome: &TopicOutcome) -> Vec<String> {
    outcome
        .plan
        .iter()
        .map(|item| {
            let name = option_name(topic, &item.option);
            let why = match (item.baseline, item.reasons.first()) {
                (_, Some(r)) if !r.excluded.is_empty() => format!("ruled out by {}", r.rule),
                (true, _) if item.adoption == Adoption::Adopt => "baseline".to_owned(),
                (_, Some(r)) => format!("{} {}", signed(r.points), r.rule),
                (_, None) => "no rule calls for it".to_owned(),
            };
            format!(
                "{:<10} {name} ({}; {why})",
                item.adoption.words(),
                signed(item.score)
            )
        })
        .collect()
}

/// A verdict as every renderer lays it out: a headline, the detail that
/// follows it (the confidence, or why a topic does not apply), and the
/// lines under it (a plan's options; a staged topic's triggers and end
/// state).
pub struct VerdictLines {
    pub headline: String,
    pub detail: String,
    pub more: Vec<String>,
}

/// The verdict of one topic, laid out: for a staged topic its next step
/// first and the end state as context; for a plan its options; otherwise
/// the winner, the tie or why the topic does not apply.
pub fn verdict_lines(rb: &RuleBase, topic: &Topic, outcome: &TopicOutcome) -> VerdictLines {
    if let Some(next) = &outcome.next {
        return next_step_lines(rb, topic, outcome, next);
    }
    let headline = match &outcome.verdict {
        Verdict::Plan { .. } => format!("plan: {}", verdict_words(topic, &outcome.verdict)),
        verdict => verdict_words(topic, verdict),
    };
    VerdictLines {
        headline,
        detail: verdict_detail(topic, outcome),
        more: plan_lines(topic, outcome),
    }
}

/// A staged topic's next step: the step, what would trigger the step after
/// it, and the end state with the confidence of that verdict.
fn next_step_lines(
    rb: &RuleBase,
    topic: &Topic,
    outcome: &TopicOutcome,
    next: &NextStep,
) -> VerdictLines {
    let name = |o: &OptionId| option_name(topic, o).to_owned();
    let headline = if !next.tied.is_empty() {
        let names: Vec<&str> = next.tied.iter().map(|o| option_name(topic, o)).collect();
        format!("Next step: a tie between {}", and_list(&names))
    } else if next.stay {
        format!(
            "Next step: stay on {} and improve what runs",
            name(&next.next_step)
        )
    } else {
        match &next.current {
            Some(current) => format!(
                "Next step: {} (from {})",
                name(&next.next_step),
                name(current)
            ),
            None => format!("Next step: {}", name(&next.next_step)),
        }
    };
    let mut more: Vec<String> = next
        .then
        .iter()
        .map(|tip| {
            let tip = if next.from_today {
                as_today(rb, tip)
            } else {
                tip.clone()
            };
            format!(
                "Then: {} when {}",
                then_words(topic, next, &tip.becomes),
                super::tip_text(&tip, false, Some(rb))
            )
        })
        .collect();
    let confidence = confidence_sentence(topic, outcome);
    let detail = match &next.end_state {
        Some(end) => {
            more.push(format!(
                "End state in two years: {} ({confidence})",
                name(end)
            ));
            String::new()
        }
        None => confidence,
    };
    if next.asks_today && !next.from_today {
        more.push(
            "(today's sizes not given: the next step is read from the projections)".to_owned(),
        );
    }
    VerdictLines {
        headline,
        detail,
        more,
    }
}

/// A trigger read from today's answers, named by today's questions: the
/// change to a two-year size is a change to today's size ("Largest table
/// today", not "in two years").
fn as_today(rb: &RuleBase, tip: &TippingPoint) -> TippingPoint {
    let today = |id: &QuestionId| -> QuestionId {
        rb.questions()
            .iter()
            .find(|q| q.now_of.as_ref() == Some(id))
            .map_or_else(|| id.clone(), |q| q.id.clone())
    };
    let mut tip = tip.clone();
    tip.question = today(&tip.question);
    if let Some(and) = &mut tip.and {
        and.question = today(&and.question);
    }
    tip
}

/// The step a trigger leads to: a later step, or a later step level with
/// the next one (a tie).
fn then_words(topic: &Topic, next: &NextStep, becomes: &Verdict) -> String {
    let Verdict::Tie(tied) = becomes else {
        return becomes
            .leader()
            .map(|o| option_name(topic, o).to_owned())
            .unwrap_or_default();
    };
    let step = |o: &&OptionId| topic.option(o.as_str()).and_then(|o| o.stage);
    let now = step(&&next.next_step);
    let (later, level): (Vec<&OptionId>, Vec<&OptionId>) = tied.iter().partition(|o| step(o) > now);
    let names = |ids: &[&OptionId]| -> String {
        let n: Vec<&str> = ids.iter().map(|o| option_name(topic, o)).collect();
        and_list(&n)
    };
    format!("{}, level with {},", names(&later), names(&level))
}
