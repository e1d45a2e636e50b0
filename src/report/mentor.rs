//! Mentor mode: revealing a verdict against a learner's prediction, and the
//! Markdown summary a mentor keeps of the session: predictions against
//! verdicts, the learner's reasons, each topic's full ranking, the answers
//! (to re-run the session), the heuristics that came up, and what to
//! discuss, with commands that run as printed.

use super::markdown::escape;
use super::{DecisionRun, answers_text, confidence_sentence, option_name, signed, write_wrapped};
use crate::eval::TopicOutcome;
use crate::ids::{OptionId, RuleId, TopicId};
use crate::rulebase::{RuleBase, Topic};
use std::fmt::Write as _;

/// What one topic of a mentor session came to.
#[derive(Debug, Clone)]
pub struct Prediction {
    pub topic: TopicId,
    pub predicted: OptionId,
    pub why: String,
    pub winner: Option<OptionId>,
    /// The rules that decided it (the reasons), then those that spoke for the prediction.
    pub rules: Vec<RuleId>,
    /// The whole ranking: each option with its score, `None` if ruled out.
    pub ranking: Vec<(OptionId, Option<i32>)>,
}

/// What the summary of a mentor session is made of.
pub struct Session<'a> {
    pub title: Option<&'a str>,
    pub date: &'a str,
    pub records: &'a [Prediction],
    /// The answers as an answers file.
    pub answers_toml: &'a str,
    /// Where the answers were saved, if they were.
    pub answers_file: Option<&'a str>,
}

impl Prediction {
    pub fn hit(&self) -> bool {
        self.winner.as_ref() == Some(&self.predicted)
    }
}

/// The walk-through after a prediction: verdict, comparison, the rules that
/// decided it with their sources, and what would have changed the outcome.
pub fn reveal(
    rb: &RuleBase,
    topic: &Topic,
    outcome: &TopicOutcome,
    predicted: &OptionId,
    why: &str,
) -> (String, Prediction) {
    let mut out = String::new();
    let mut rules = Vec::new();
    comparison(&mut out, topic, outcome, predicted);
    let _ = writeln!(out, "Your reason: \"{why}\"\n");
    deciding_rules(&mut out, &mut rules, rb, outcome);
    if outcome.winner.as_ref() != Some(predicted) {
        spoke_for(&mut out, &mut rules, rb, topic, outcome, predicted);
    }
    if !outcome.tipping_points.is_empty() {
        let _ = writeln!(out, "\nWhat would have changed the outcome:");
        for tip in outcome.tipping_points.iter().take(5) {
            let _ = writeln!(
                out,
                "  - {}: {}",
                super::tip_text(tip, false, Some(rb)),
                super::becomes_words(topic, &outcome.verdict, &tip.becomes)
            );
        }
    }
    let record = Prediction {
        topic: topic.id.clone(),
        predicted: predicted.clone(),
        why: why.to_owned(),
        winner: outcome.winner.clone(),
        rules,
        ranking: outcome
            .ranking
            .iter()
            .map(|r| {
                (
                    r.option.clone(),
                    r.excluded_by.is_empty().then_some(r.score),
                )
            })
            .collect(),
    };
    (out, record)
}

/// The first line of the walk-through: the prediction against the verdict,
/// and how far behind a missed prediction came.
fn comparison(out: &mut String, topic: &Topic, outcome: &TopicOutcome, predicted: &OptionId) {
    let predicted_name = option_name(topic, predicted);
    match &outcome.winner {
        Some(winner) if winner == predicted => {
            let _ = writeln!(
                out,
                "You predicted {predicted_name}, and so does tradeoff ({}).",
                confidence_sentence(topic, outcome)
            );
        }
        Some(winner) => {
            let _ = writeln!(
                out,
                "You predicted {predicted_name}: tradeoff chose {} instead; your choice is {}.",
                option_name(topic, winner),
                behind(outcome, predicted, winner)
            );
        }
        None => {
            let _ = writeln!(
                out,
                "You predicted {predicted_name}; every option was ruled out by a hard constraint."
            );
        }
    }
}

/// Where the predicted option ended up against the winner.
fn behind(outcome: &TopicOutcome, predicted: &OptionId, winner: &OptionId) -> String {
    match (outcome.ranked(predicted), outcome.ranked(winner)) {
        (Some(p), _) if !p.excluded_by.is_empty() => format!(
            "ruled out by {}",
            p.excluded_by
                .iter()
                .map(|r| format!("`{r}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        (Some(p), Some(w)) => format!(
            "ranked {} of {}, {} points behind",
            p.rank,
            outcome.ranking.len(),
            w.score - p.score
        ),
        _ => "not ranked".to_owned(),
    }
}

/// The rules that decided the verdict, each with the answers behind it, its
/// rationale and its sources; their ids go to `rules`.
fn deciding_rules(
    out: &mut String,
    rules: &mut Vec<RuleId>,
    rb: &RuleBase,
    outcome: &TopicOutcome,
) {
    if outcome.reasons.is_empty() {
        return;
    }
    let _ = writeln!(out, "The rules that decided it:");
    for reason in &outcome.reasons {
        let Some((_, rule)) = rb.rule(reason.rule.as_str()) else {
            continue;
        };
        rules.push(rule.id.clone());
        let because = answers_text(&reason.answers);
        let because = if because.is_empty() {
            "always applies".to_owned()
        } else {
            format!("because {because}")
        };
        let _ = writeln!(out, "  - {} ({}, {because})", rule.summary, rule.id);
        write_wrapped(out, &rule.rationale, 76, "      ");
        for source in &rule.sources {
            let info = super::json::source_info(rb, source);
            let _ = writeln!(
                out,
                "      source: {}{}",
                info.title,
                info.url.map(|u| format!(", {u}")).unwrap_or_default()
            );
        }
    }
}

/// The strongest rules that spoke for a missed prediction; their ids go to
/// `rules`.
fn spoke_for(
    out: &mut String,
    rules: &mut Vec<RuleId>,
    rb: &RuleBase,
    topic: &Topic,
    outcome: &TopicOutcome,
    predicted: &OptionId,
) {
    let Some(ranked) = outcome.ranked(predicted) else {
        return;
    };
    let mut for_it: Vec<_> = ranked
        .contributions
        .iter()
        .filter(|c| c.points > 0)
        .collect();
    for_it.sort_by_key(|c| std::cmp::Reverse(c.points));
    if for_it.is_empty() {
        return;
    }
    let _ = writeln!(out, "\nWhat spoke for {}:", option_name(topic, predicted));
    for c in for_it.iter().take(3) {
        if let Some((_, rule)) = rb.rule(c.rule.as_str()) {
            rules.push(rule.id.clone());
            let _ = writeln!(
                out,
                "  - {} {} ({})",
                signed(c.points),
                rule.summary,
                rule.id
            );
        }
    }
}

/// The mentor's summary: predictions against verdicts, the learner's
/// reasons, the rankings, the answers, and the heuristics that came up.
pub fn summary(decision: &DecisionRun<'_>, session: &Session<'_>) -> String {
    let rb = decision.rb;
    let records = session.records;
    let mut out = String::from("# Mentor session");
    if let Some(title) = session.title {
        let _ = write!(out, ": {}", escape(title));
    }
    let hits = records.iter().filter(|r| r.hit()).count();
    let _ = writeln!(
        out,
        "\n\n{}. The learner predicted {hits} of {}.\n",
        session.date,
        crate::words::count(records.len(), "verdict", "verdicts")
    );
    let _ = writeln!(
        out,
        "| Topic | Predicted | tradeoff | Match |\n|---|---|---|---|"
    );
    for r in records {
        let Some(topic) = rb.topic(r.topic.as_str()) else {
            continue;
        };
        let winner = r
            .winner
            .as_ref()
            .map_or("none (all ruled out)", |w| option_name(topic, w));
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            escape(&topic.title),
            escape(option_name(topic, &r.predicted)),
            escape(winner),
            if r.hit() { "yes" } else { "no" }
        );
    }
    let _ = writeln!(out, "\n## The learner's reasons\n");
    for r in records {
        let Some(topic) = rb.topic(r.topic.as_str()) else {
            continue;
        };
        let _ = writeln!(
            out,
            "- **{}**: \"{}\"",
            escape(&topic.title),
            escape(&r.why)
        );
    }
    rankings(&mut out, rb, records);
    answers(&mut out, decision, session);
    heuristics(&mut out, rb, records);
    to_discuss(&mut out, rb, records, session.answers_file);
    out
}

/// Each topic's whole ranking, as the learner saw it.
fn rankings(out: &mut String, rb: &RuleBase, records: &[Prediction]) {
    let _ = writeln!(out, "\n## The rankings");
    for r in records {
        let Some(topic) = rb.topic(r.topic.as_str()) else {
            continue;
        };
        let _ = writeln!(
            out,
            "\n### {}\n\n| # | Option | Score |\n|---:|---|---:|",
            escape(&topic.title)
        );
        let mut rank = 0;
        for (option, score) in &r.ranking {
            let name = escape(option_name(topic, option));
            match score {
                Some(score) => {
                    rank += 1;
                    let _ = writeln!(out, "| {rank} | {name} | {} |", signed(*score));
                }
                None => {
                    let _ = writeln!(out, "| – | ~~{name}~~ | out |");
                }
            }
        }
    }
}

/// The answers the verdicts rest on, by label, with the defaults the
/// session assumed; and, unless they were saved, the answers file itself.
fn answers(out: &mut String, decision: &DecisionRun<'_>, session: &Session<'_>) {
    let _ = writeln!(out, "\n## The answers\n");
    let mut seen = Vec::new();
    for (topic, _) in decision.topics() {
        for (question, answer) in decision.answers_for(topic) {
            if seen.contains(&&question.id) {
                continue;
            }
            seen.push(&question.id);
            let assumed = if decision.resolution.defaulted.contains(&question.id) {
                " (assumed: the default)"
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "- {}: {}{assumed}",
                escape(&question.label),
                escape(&crate::words::answer(question, answer))
            );
        }
    }
    match session.answers_file {
        Some(file) => {
            let _ = writeln!(out, "\nSaved as `{file}`.");
        }
        None => {
            let _ = writeln!(
                out,
                "\nAs an answers file (save it as `answers.toml` to re-run the session):\n\n\
                 ```toml\n{}```",
                session.answers_toml
            );
        }
    }
}

/// Every rule that came up in the session, once, with its sources.
fn heuristics(out: &mut String, rb: &RuleBase, records: &[Prediction]) {
    let _ = writeln!(out, "\n## Heuristics that came up\n");
    let mut seen: Vec<&RuleId> = Vec::new();
    for r in records {
        for id in &r.rules {
            if seen.contains(&id) {
                continue;
            }
            seen.push(id);
            let Some((_, rule)) = rb.rule(id.as_str()) else {
                continue;
            };
            let sources = super::source_links(rb, rule);
            let _ = writeln!(
                out,
                "- `{id}`: {} ({})",
                escape(&rule.summary),
                sources.join(", ")
            );
        }
    }
}

/// The topics the learner missed, as questions for the mentor to discuss,
/// each with the command that shows every rule, on the session's answers.
fn to_discuss(out: &mut String, rb: &RuleBase, records: &[Prediction], answers_file: Option<&str>) {
    let file = answers_file.unwrap_or("answers.toml");
    let misses: Vec<&Prediction> = records.iter().filter(|r| !r.hit()).collect();
    if !misses.is_empty() {
        let _ = writeln!(out, "\n## To discuss\n");
        for r in misses {
            let Some(topic) = rb.topic(r.topic.as_str()) else {
                continue;
            };
            let _ = writeln!(
                out,
                "- {}: why does tradeoff prefer {} to {}? `tradeoff explain --answers {file} --topic {}` shows every rule.",
                escape(&topic.title),
                escape(
                    r.winner
                        .as_ref()
                        .map_or("nothing", |w| option_name(topic, w))
                ),
                escape(option_name(topic, &r.predicted)),
                topic.id
            );
        }
    }
}
