//! Mentor mode: revealing a verdict against a learner's prediction, and the
//! Markdown summary a mentor keeps of the session: predictions against
//! verdicts, the learner's reasons, each topic's full ranking, the answers
//! (to re-run the session), the heuristics that came up, and what to
//! discuss, with commands that run as printed.

use super::markdown::escape;
use super::{DecisionRun, answers_text, confidence_sentence, option_name, signed, write_hanging};
use crate::eval::{Adoption, Reason, TopicOutcome, Verdict};
use crate::ids::{OptionId, RuleId, TopicId};
use crate::rulebase::{RuleBase, Topic};
use crate::words::{and_list, verdict_words};
use std::collections::BTreeSet;
use std::fmt::Write as _;

/// What one topic of a mentor session came to.
#[derive(Debug, Clone)]
pub struct Prediction {
    pub topic: TopicId,
    /// The option predicted to win, or for a combination topic the options
    /// predicted to be adopted.
    pub predicted: Vec<OptionId>,
    pub why: String,
    pub verdict: Verdict,
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
    /// The prediction matches the verdict: the winner; one of the tied
    /// options; exactly the options a plan adopts.
    pub fn hit(&self) -> bool {
        hit(&self.verdict, &self.predicted)
    }
}

fn hit(verdict: &Verdict, predicted: &[OptionId]) -> bool {
    fn set(ids: &[OptionId]) -> BTreeSet<&OptionId> {
        ids.iter().collect()
    }
    match (verdict, predicted) {
        (Verdict::Winner(w), [p]) => w == p,
        (Verdict::Tie(tied), [p]) => tied.contains(p),
        (Verdict::Plan { adopt, .. }, _) => set(adopt) == set(predicted),
        _ => false,
    }
}

/// The walk-through after a prediction: verdict, comparison, the rules that
/// decided it with their sources, and what would have changed the outcome.
pub fn reveal(
    rb: &RuleBase,
    topic: &Topic,
    outcome: &TopicOutcome,
    predicted: &[OptionId],
    why: &str,
    width: usize,
) -> (String, Prediction) {
    let mut out = String::new();
    let mut rules = Vec::new();
    let mut head = String::new();
    match (&outcome.verdict, predicted) {
        (Verdict::Plan { .. }, _) => plan_comparison(&mut head, topic, outcome, predicted),
        (_, [one]) => comparison(&mut head, topic, outcome, one),
        _ => {}
    }
    for line in head.lines() {
        write_hanging(&mut out, line, width, "", "  ");
    }
    let _ = writeln!(out, "Your reason: \"{why}\"\n");
    if let Verdict::Plan { .. } = outcome.verdict {
        plan_rules(&mut out, &mut rules, rb, topic, outcome, width);
    } else {
        deciding_rules(&mut out, &mut rules, rb, outcome, width);
    }
    if let [one] = predicted
        && !hit(&outcome.verdict, predicted)
        && !matches!(outcome.verdict, Verdict::Plan { .. })
    {
        spoke_for(&mut out, &mut rules, rb, topic, outcome, one);
    }
    if !outcome.tipping_points.is_empty() {
        let _ = writeln!(out, "\nWhat would have changed the outcome:");
        for tip in outcome.tipping_points.iter().take(5) {
            let line = format!(
                "{}: {}",
                super::tip_text(tip, false, Some(rb)),
                super::becomes_words(topic, &outcome.verdict, &tip.becomes)
            );
            write_hanging(&mut out, &line, width, "  - ", "    ");
        }
    }
    let record = Prediction {
        topic: topic.id.clone(),
        predicted: predicted.to_vec(),
        why: why.to_owned(),
        verdict: outcome.verdict.clone(),
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

/// The first line of the walk-through for one predicted option: the
/// prediction against the verdict, and how far behind a miss came.
fn comparison(out: &mut String, topic: &Topic, outcome: &TopicOutcome, predicted: &OptionId) {
    let predicted_name = option_name(topic, predicted);
    match &outcome.verdict {
        Verdict::Winner(winner) if winner == predicted => {
            let _ = writeln!(
                out,
                "You predicted {predicted_name}, and so does tradeoff ({}).",
                confidence_sentence(topic, outcome)
            );
        }
        Verdict::Tie(tied) if tied.contains(predicted) => {
            let _ = writeln!(
                out,
                "You predicted {predicted_name}: tradeoff finds a {}; yours is one of them.",
                verdict_words(topic, &outcome.verdict)
            );
        }
        Verdict::Winner(winner) => {
            let _ = writeln!(
                out,
                "You predicted {predicted_name}: tradeoff chose {} instead; your choice is {}.",
                option_name(topic, winner),
                behind(outcome, predicted, winner)
            );
        }
        Verdict::Tie(tied) => {
            let _ = writeln!(
                out,
                "You predicted {predicted_name}: tradeoff finds a {}; your choice is {}.",
                verdict_words(topic, &outcome.verdict),
                behind(outcome, predicted, &tied[0])
            );
        }
        _ => {
            let _ = writeln!(
                out,
                "You predicted {predicted_name}; tradeoff: {}.",
                verdict_words(topic, &outcome.verdict)
            );
        }
    }
}

/// The first lines for a predicted set: what matched, what the plan adopts
/// that the learner left out, and what the learner adopted that it does not.
fn plan_comparison(
    out: &mut String,
    topic: &Topic,
    outcome: &TopicOutcome,
    predicted: &[OptionId],
) {
    let Verdict::Plan { adopt, .. } = &outcome.verdict else {
        return;
    };
    let names = |ids: Vec<&OptionId>| -> String {
        let names: Vec<&str> = ids.into_iter().map(|o| option_name(topic, o)).collect();
        if names.is_empty() {
            "nothing".to_owned()
        } else {
            and_list(&names)
        }
    };
    let _ = writeln!(
        out,
        "You predicted: adopt {}. tradeoff: {}.",
        names(predicted.iter().collect()),
        verdict_words(topic, &outcome.verdict)
    );
    let missed: Vec<&OptionId> = adopt.iter().filter(|o| !predicted.contains(o)).collect();
    let extra: Vec<&OptionId> = predicted.iter().filter(|o| !adopt.contains(o)).collect();
    if missed.is_empty() && extra.is_empty() {
        let _ = writeln!(out, "The same set.");
        return;
    }
    if !missed.is_empty() {
        let _ = writeln!(out, "Adopted, and not in your set: {}.", names(missed));
    }
    for option in extra {
        let place = outcome
            .plan
            .iter()
            .find(|item| &item.option == option)
            .map_or("not ranked", |item| item.adoption.words());
        let _ = writeln!(
            out,
            "In your set, but {place}: {}.",
            option_name(topic, option)
        );
    }
}

/// Each option the plan adopts, with the rules that raised it, their
/// rationale and sources; their ids go to `rules`.
fn plan_rules(
    out: &mut String,
    rules: &mut Vec<RuleId>,
    rb: &RuleBase,
    topic: &Topic,
    outcome: &TopicOutcome,
    width: usize,
) {
    for item in outcome
        .plan
        .iter()
        .filter(|item| item.adoption == Adoption::Adopt)
    {
        let _ = writeln!(out, "Why {} is adopted:", option_name(topic, &item.option));
        for reason in &item.reasons {
            explain_rule(out, rules, rb, reason, width);
        }
    }
}

/// The verdict as a phrase that fits in a sentence: "Cache-aside and
/// Write-through cache (a tie)", "adopt Timeouts and retries".
fn verdict_phrase(topic: &Topic, verdict: &Verdict) -> String {
    match verdict {
        Verdict::Tie(tied) => {
            let names: Vec<&str> = tied.iter().map(|o| option_name(topic, o)).collect();
            format!("{} (a tie)", and_list(&names))
        }
        verdict => verdict_words(topic, verdict),
    }
}

/// The prediction in words: the option, or for a plan "adopt A and B".
fn predicted_words(topic: &Topic, r: &Prediction) -> String {
    let names: Vec<&str> = r.predicted.iter().map(|o| option_name(topic, o)).collect();
    match (&r.verdict, names.as_slice()) {
        (Verdict::Plan { .. }, []) => "adopt nothing".to_owned(),
        (Verdict::Plan { .. }, names) => format!("adopt {}", and_list(names)),
        (_, names) => and_list(names),
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
            "ranked {} of {}, {} behind",
            p.rank,
            outcome.ranking.len(),
            crate::words::count(
                usize::try_from(w.score - p.score).unwrap_or_default(),
                "point",
                "points"
            )
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
    width: usize,
) {
    if outcome.reasons.is_empty() {
        return;
    }
    let _ = writeln!(out, "The rules that decided it:");
    for reason in &outcome.reasons {
        explain_rule(out, rules, rb, reason, width);
    }
}

/// One rule behind a verdict: its summary, the answers behind it, its
/// rationale and sources; its id goes to `rules`.
fn explain_rule(
    out: &mut String,
    rules: &mut Vec<RuleId>,
    rb: &RuleBase,
    reason: &Reason,
    width: usize,
) {
    let Some((_, rule)) = rb.rule(reason.rule.as_str()) else {
        return;
    };
    rules.push(rule.id.clone());
    let because = answers_text(&reason.answers);
    let because = if because.is_empty() {
        "always applies".to_owned()
    } else {
        format!("because {because}")
    };
    let head = format!("{} ({}, {because})", rule.summary, rule.id);
    write_hanging(out, &head, width, "  - ", "    ");
    write_hanging(out, &rule.rationale, width, "      ", "      ");
    for source in &rule.sources {
        let info = super::json::source_info(rb, source);
        let line = format!(
            "source: {}{}",
            info.title,
            info.url.map(|u| format!(", {u}")).unwrap_or_default()
        );
        write_hanging(out, &line, width, "      ", "        ");
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
        let verdict = match &r.verdict {
            Verdict::NoOption => "none (all ruled out)".to_owned(),
            verdict => verdict_phrase(topic, verdict),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            escape(&topic.title),
            escape(&predicted_words(topic, r)),
            escape(&verdict),
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
                escape(&verdict_phrase(topic, &r.verdict)),
                escape(&predicted_words(topic, r)),
                topic.id
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::AnswerSet;
    use crate::source::SourceFile;
    use std::sync::Arc;

    fn ids(ids: &[&str]) -> Vec<OptionId> {
        ids.iter().map(|id| OptionId::new(*id)).collect()
    }

    #[test]
    fn a_prediction_hits_the_winner_a_tied_option_or_exactly_the_adopted_set() {
        let winner = Verdict::Winner(OptionId::new("a"));
        assert!(hit(&winner, &ids(&["a"])));
        assert!(!hit(&winner, &ids(&["b"])));
        let tie = Verdict::Tie(ids(&["a", "b"]));
        assert!(hit(&tie, &ids(&["b"])));
        assert!(!hit(&tie, &ids(&["c"])));
        let plan = Verdict::Plan {
            adopt: ids(&["a", "b"]),
            consider: ids(&["c"]),
        };
        assert!(hit(&plan, &ids(&["b", "a"])), "order does not matter");
        assert!(!hit(&plan, &ids(&["a"])), "a missing option misses");
        assert!(
            !hit(&plan, &ids(&["a", "b", "c"])),
            "a considered one is not adopted"
        );
        let nothing = Verdict::Plan {
            adopt: Vec::new(),
            consider: Vec::new(),
        };
        assert!(hit(&nothing, &[]), "predicting nothing needed can hit");
    }

    #[test]
    fn a_predicted_set_is_compared_option_by_option_with_the_plan() {
        let rb = crate::builtin::rule_base().unwrap();
        let text = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/payments-ledger.toml"),
        )
        .unwrap();
        let file = Arc::new(SourceFile::new("payments-ledger.toml".to_owned(), text));
        let answers = AnswerSet::parse(&rb, &file).unwrap();
        let topic = rb.topic("resilience").unwrap();
        let decided = crate::decide::evaluate_answers(&rb, &answers, &[topic]).unwrap();
        let outcome = &decided.evaluation.topics[0];
        let (text, record) = reveal(
            &rb,
            topic,
            outcome,
            &ids(&["timeouts-and-retries", "circuit-breaker"]),
            "breakers stop cascades",
            1000,
        );
        assert!(
            text.starts_with(
                "You predicted: adopt Timeouts and retries with backoff and Circuit breaker. \
                 tradeoff: adopt Timeouts and retries with backoff.\n\
                 In your set, but not needed: Circuit breaker.\n"
            ),
            "{text}"
        );
        assert!(
            text.contains("Why Timeouts and retries with backoff is adopted:\n  - "),
            "{text}"
        );
        assert!(!record.hit());
        let (text, record) = reveal(
            &rb,
            topic,
            outcome,
            &ids(&["timeouts-and-retries"]),
            "every call needs a timeout",
            1000,
        );
        assert!(text.contains("The same set."), "{text}");
        assert!(record.hit());
    }
}
