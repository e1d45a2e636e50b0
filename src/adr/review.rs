//! Drift review: do the decisions on record still hold?
//!
//! Every record tradeoff wrote carries its answers, the rules that fired and
//! the rule-base fingerprint. Review re-runs each under today's rule base and
//! reports whether the verdict holds, what changed it (rules that started or
//! stopped firing, rules that no longer exist), or why it cannot be re-run
//! (a topic or question gone, a new question that needs an answer).

use super::block::Block;
use super::repo::Repo;
use crate::answers::{AnswerSet, Given, Origin};
use crate::decide::resolve;
use crate::diff::FiringDelta;
use crate::eval::{TopicOutcome, evaluate_topic};
use crate::ids::{QuestionId, RuleId};
use crate::rulebase::RuleBase;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Drift {
    /// The same option still wins.
    Holds,
    /// Another option would win today.
    Changed,
    /// The record cannot be re-evaluated as it stands.
    CannotEvaluate,
}

#[derive(Debug, Serialize)]
pub struct RecordReview {
    pub file: String,
    pub topic: String,
    pub recorded: String,
    pub now: Option<String>,
    pub verdict: Drift,
    pub same_rule_base: bool,
    pub started_firing: Vec<String>,
    pub stopped_firing: Vec<String>,
    pub notes: Vec<String>,
}

/// Reviews every record with a tradeoff block (records without one are
/// skipped); `reload` gives a fresh copy of the rule base for
/// records made with priorities, which are re-applied as they were.
pub fn review(
    rb: &RuleBase,
    repo: &Repo,
    reload: &dyn Fn() -> Option<RuleBase>,
) -> Vec<RecordReview> {
    let mut out = Vec::new();
    for entry in &repo.entries {
        let Some(block) = Block::find(&entry.original) else {
            continue;
        };
        let block = match block {
            Ok(block) => block,
            Err(e) => {
                out.push(RecordReview {
                    file: entry.name.clone(),
                    topic: String::new(),
                    recorded: String::new(),
                    now: None,
                    verdict: Drift::CannotEvaluate,
                    same_rule_base: false,
                    started_firing: Vec::new(),
                    stopped_firing: Vec::new(),
                    notes: vec![format!("the tradeoff block cannot be read: {e}")],
                });
                continue;
            }
        };
        out.push(review_with_context(rb, reload, &entry.name, &block));
    }
    out
}

/// Re-applies the record's priorities (a fresh rule base with their rules)
/// before reviewing it; a record made under a policy is reviewed without
/// it, with a note, since the policy file is not part of the record.
fn review_with_context(
    rb: &RuleBase,
    reload: &dyn Fn() -> Option<RuleBase>,
    file: &str,
    block: &Block,
) -> RecordReview {
    if block.priorities.is_empty() {
        return review_one(rb, file, block);
    }
    let weights = crate::priorities::Weights::build(&[], &block.priorities);
    match (weights, reload()) {
        (Ok(weights), Some(base)) => {
            let extra = weights.rules(&base);
            let context = crate::rulebase::Context {
                priorities: weights.iter().collect(),
                policy: None,
            };
            review_one(&base.with_rules(extra, context), file, block)
        }
        (Err(e), _) => {
            let mut review = review_one(rb, file, block);
            review
                .notes
                .push(format!("the recorded priorities are not valid: {e}"));
            review
        }
        (Ok(_), None) => review_one(rb, file, block),
    }
}

fn review_one(rb: &RuleBase, file: &str, block: &Block) -> RecordReview {
    let mut review = RecordReview {
        file: file.to_owned(),
        topic: block.topic.to_string(),
        recorded: block.chosen.to_string(),
        now: None,
        verdict: Drift::CannotEvaluate,
        same_rule_base: block.rule_base == rb.fingerprint(),
        started_firing: Vec::new(),
        stopped_firing: Vec::new(),
        notes: Vec::new(),
    };
    review.notes.extend(packs_note(rb, block));
    let Some(topic) = rb.topic(block.topic.as_str()) else {
        review.notes.push(format!(
            "topic `{}` no longer exists in the rule base",
            block.topic
        ));
        return review;
    };
    let set = recorded_answers(rb, block, &mut review.notes);
    let resolution = match resolve(rb, &set, &[topic]) {
        Ok(r) => r,
        Err(e) => {
            for d in e.diagnostics.iter().filter(|d| d.is_error()) {
                review.notes.push(d.message.clone());
            }
            return review;
        }
    };
    let mut facts = resolution.facts.clone();
    for (upstream, winner) in &block.decisions {
        facts.decide_winner(
            &crate::ids::TopicId::new(upstream.as_str()),
            Some(&crate::ids::OptionId::new(winner.as_str())),
        );
    }
    let outcome = evaluate_topic(rb, &facts, topic);
    if let Some(policy) = &block.policy {
        review.notes.push(format!(
            "made under policy `{policy}`, which the review does not re-apply"
        ));
    }
    judge(&mut review, rb, block, &outcome);
    review
}

/// A note when the record was made with other rule packs than the review's.
fn packs_note(rb: &RuleBase, block: &Block) -> Option<String> {
    let packs: Vec<String> = rb.packs().iter().map(|p| p.label()).collect();
    if block.packs == packs {
        return None;
    }
    let list = |packs: &[String]| match packs {
        [] => "no rule packs".to_owned(),
        _ => packs
            .iter()
            .map(|p| format!("`{p}`"))
            .collect::<Vec<_>>()
            .join(", "),
    };
    Some(format!(
        "made with {}, reviewed with {}: pass each with `--rules-pack DIR` to review as made",
        list(&block.packs),
        list(&packs)
    ))
}

/// The recorded answers that still fit the questionnaire; a note for each
/// that does not.
fn recorded_answers(rb: &RuleBase, block: &Block, notes: &mut Vec<String>) -> AnswerSet {
    let mut set = AnswerSet {
        title: block.title.clone(),
        ..AnswerSet::default()
    };
    for (id, value) in &block.answers {
        let Some(question) = rb.question(id) else {
            notes.push(format!(
                "question `{id}` no longer exists; its answer was ignored"
            ));
            continue;
        };
        match question.check_toml(value) {
            Ok(answer) => {
                set.entries.insert(
                    QuestionId::new(id.as_str()),
                    Given {
                        answer,
                        origin: Origin::Record,
                    },
                );
            }
            Err(e) => notes.push(format!(
                "the recorded answer to `{id}` is no longer valid: {}",
                e.message
            )),
        }
    }
    set
}

/// The verdict: today's winner against the recorded one, and the rules
/// that started or stopped firing since.
fn judge(review: &mut RecordReview, rb: &RuleBase, block: &Block, outcome: &TopicOutcome) {
    let not_policy = |id: &&str| !id.starts_with("policy:");
    let delta = FiringDelta::between(
        block.fired.iter().map(String::as_str).filter(not_policy),
        outcome.fired().into_iter().map(RuleId::as_str),
    );
    review.started_firing = delta.started;
    review.stopped_firing = delta.stopped;
    for gone in &review.stopped_firing {
        if rb.rule(gone).is_none() {
            review.notes.push(format!(
                "rule `{gone}` no longer exists (removed or renamed)"
            ));
        }
    }
    match &outcome.winner {
        Some(winner) => {
            review.now = Some(winner.to_string());
            review.verdict = if winner == &block.chosen {
                Drift::Holds
            } else {
                Drift::Changed
            };
        }
        None => {
            review.verdict = Drift::Changed;
            review
                .notes
                .push("every option is now ruled out".to_owned());
        }
    }
}

/// The review as text, one record per paragraph.
pub fn render(reviews: &[RecordReview]) -> String {
    let mut out = String::new();
    for r in reviews {
        let base = if r.same_rule_base {
            "same rule base"
        } else {
            "rule base changed"
        };
        match r.verdict {
            Drift::Holds => out.push_str(&format!(
                "holds    {}  {}: still {} ({base})\n",
                r.file, r.topic, r.recorded
            )),
            Drift::Changed => out.push_str(&format!(
                "CHANGED  {}  {}: recorded {}, now {} ({base})\n",
                r.file,
                r.topic,
                r.recorded,
                r.now.as_deref().unwrap_or("no option")
            )),
            Drift::CannotEvaluate => out.push_str(&format!(
                "CANNOT   {}  {}: cannot be re-evaluated\n",
                r.file, r.topic
            )),
        }
        if r.verdict != Drift::Holds || !r.started_firing.is_empty() || !r.stopped_firing.is_empty()
        {
            if !r.started_firing.is_empty() {
                out.push_str(&format!(
                    "         rules now firing: {}\n",
                    r.started_firing.join(", ")
                ));
            }
            if !r.stopped_firing.is_empty() {
                out.push_str(&format!(
                    "         rules no longer firing: {}\n",
                    r.stopped_firing.join(", ")
                ));
            }
        }
        for note in &r.notes {
            out.push_str(&format!("         {note}\n"));
        }
    }
    let changed = reviews
        .iter()
        .filter(|r| r.verdict == Drift::Changed)
        .count();
    let cannot = reviews
        .iter()
        .filter(|r| r.verdict == Drift::CannotEvaluate)
        .count();
    out.push_str(&format!(
        "\n{} records reviewed: {} hold, {changed} changed, {cannot} cannot be re-evaluated\n",
        reviews.len(),
        reviews.len() - changed - cannot
    ));
    out
}
