//! Drift review: do the decisions on record still hold?
//!
//! Every record tradeoff wrote carries its answers, the rules that fired
//! with what each did (points by option, knock-outs), and the rule-base
//! fingerprint. Review re-runs each under today's rule base and reports
//! whether the verdict holds, the rule changes behind a changed one (rules
//! added or now firing, removed or no longer firing, re-weighted, each with
//! its effect on the options), or why it cannot be re-run (a topic or
//! question gone, a new question that needs an answer).

use super::block::{Block, Effect};
use super::repo::Repo;
use crate::answers::{AnswerSet, Given, Origin};
use crate::decide::resolve;
use crate::diff::FiringDelta;
use crate::eval::{Truth, Verdict, condition, facts::Slots, score};
use crate::ids::{QuestionId, RuleId};
use crate::rulebase::RuleBase;
use serde::Serialize;
use std::collections::BTreeSet;

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
    /// The rule changes since the record was made, with their effect.
    pub rule_changes: Vec<RuleChange>,
    pub notes: Vec<String>,
}

/// How a rule changed between the record and today, for this decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// Fires now and did not then: a new rule, or one whose condition changed.
    Added,
    /// Fired then and is no longer in the rule base.
    Removed,
    /// Fired then and still exists, but no longer fires on these answers.
    StoppedFiring,
    /// Fires as it did, with other points or knock-outs.
    Reweighted,
}

/// One rule change and what it did to the options' scores.
#[derive(Debug, Clone, Serialize)]
pub struct RuleChange {
    pub rule: String,
    pub change: ChangeKind,
    /// What it did when the record was made (`None` if it did not fire, or
    /// the record does not say).
    pub before: Option<Effect>,
    /// What it does today (`None` if it does not fire).
    pub after: Option<Effect>,
    /// Today's points minus the record's, by option: how it moved the scores.
    pub effect: std::collections::BTreeMap<String, i32>,
}

/// Reviews every live record with a tradeoff block (records without one,
/// and superseded, rejected or deprecated ones, are skipped); `reload` gives a fresh copy of the rule base for
/// records made with priorities, which are re-applied as they were.
pub fn review(
    rb: &RuleBase,
    repo: &Repo,
    reload: &(dyn Fn() -> Option<RuleBase> + Sync),
) -> Vec<RecordReview> {
    let generated: Vec<_> = repo
        .entries
        .iter()
        .filter(|e| e.original.contains("<!-- tradeoff"))
        // A superseded, rejected or deprecated decision is history, not drift.
        .filter(|e| e.parsed.as_ref().is_ok_and(super::record::Record::is_live))
        .collect();
    crate::parallel::on_two_threads(
        &generated,
        |_| 1,
        32,
        |entry| review_entry(rb, reload, entry),
    )
    .into_iter()
    .flatten()
    .collect()
}

/// One record's review; `None` for a record without a data block.
fn review_entry(
    rb: &RuleBase,
    reload: &(dyn Fn() -> Option<RuleBase> + Sync),
    entry: &super::repo::Entry,
) -> Option<RecordReview> {
    match Block::find(&entry.original)? {
        Ok(block) => Some(review_with_context(rb, reload, &entry.name, &block)),
        Err(e) => Some(RecordReview {
            file: entry.name.clone(),
            topic: String::new(),
            recorded: String::new(),
            now: None,
            verdict: Drift::CannotEvaluate,
            same_rule_base: false,
            started_firing: Vec::new(),
            stopped_firing: Vec::new(),
            rule_changes: Vec::new(),
            notes: vec![format!("the tradeoff block cannot be read: {e}")],
        }),
    }
}

/// Re-applies the record's priorities (a fresh rule base with their rules)
/// before reviewing it; a record made under a policy is reviewed without
/// it, with a note, since the policy file is not part of the record.
fn review_with_context(
    rb: &RuleBase,
    reload: &(dyn Fn() -> Option<RuleBase> + Sync),
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
        recorded: verdict_text(&block.verdict()),
        now: None,
        verdict: Drift::CannotEvaluate,
        same_rule_base: block.rule_base == rb.fingerprint(),
        started_firing: Vec::new(),
        stopped_firing: Vec::new(),
        rule_changes: Vec::new(),
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
    for (upstream, decided) in &block.decisions {
        facts.decide_answer(
            &crate::ids::TopicId::new(upstream.as_str()),
            Some(decided.as_answer()),
        );
    }
    let outcome = Today::of(rb, &facts, topic);
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
/// What today's rule base decides on the recorded answers: the winner and
/// the rules that fire. RecordReview needs no trace, reasons or tipping points,
/// so it takes evaluation's fast path, which decides the same winners: a
/// thousand records are re-run in a few milliseconds.
struct Today<'r> {
    verdict: Verdict,
    fired: BTreeSet<&'r RuleId>,
}

impl<'r> Today<'r> {
    fn of(rb: &RuleBase, facts: &crate::eval::Facts, topic: &'r crate::rulebase::Topic) -> Self {
        let slots = Slots::new(rb, facts);
        let fired = topic
            .rules
            .iter()
            .filter(|r| {
                r.when
                    .as_ref()
                    .is_none_or(|w| condition::truth(w, &&slots) == Truth::True)
            })
            .map(|r| &r.id)
            .collect();
        let verdict = score(rb, facts, &[topic])
            .into_iter()
            .next()
            .map_or(Verdict::NoOption, |s| s.verdict);
        Self { verdict, fired }
    }

    fn fired(&self) -> BTreeSet<&'r RuleId> {
        self.fired.clone()
    }
}

fn judge(review: &mut RecordReview, rb: &RuleBase, block: &Block, outcome: &Today<'_>) {
    let not_policy = |id: &&str| !id.starts_with("policy:");
    let delta = FiringDelta::between(
        block.fired.iter().map(String::as_str).filter(not_policy),
        outcome.fired().into_iter().map(RuleId::as_str),
    );
    review.started_firing = delta.started;
    review.stopped_firing = delta.stopped;
    review.rule_changes = rule_changes(rb, block, outcome);
    if block.effects.is_empty() && !block.fired.is_empty() && !review.same_rule_base {
        review.notes.push(
            "the record does not hold what each rule did (an older tradeoff wrote it): re-weighted rules cannot be named"
                .to_owned(),
        );
    }
    let recorded = block.verdict();
    match &outcome.verdict {
        Verdict::NoOption => {
            review.verdict = Drift::Changed;
            review
                .notes
                .push("every option is now ruled out".to_owned());
        }
        Verdict::NotApplicable => {
            review.verdict = Drift::Changed;
            review
                .notes
                .push("the topic no longer applies to these answers".to_owned());
        }
        today => {
            review.now = Some(verdict_text(today));
            review.verdict = if same_verdict(&recorded, today) {
                Drift::Holds
            } else {
                Drift::Changed
            };
        }
    }
}

/// A verdict by option ids, as a review prints it: `cache-aside`,
/// `tie: a, b`, `adopt a, b; consider c`.
pub fn verdict_text(verdict: &Verdict) -> String {
    let ids = |set: &[crate::ids::OptionId]| -> String {
        set.iter()
            .map(crate::ids::OptionId::as_str)
            .collect::<Vec<_>>()
            .join(", ")
    };
    match verdict {
        Verdict::Winner(w) => w.to_string(),
        Verdict::Tie(tied) => format!("tie: {}", ids(tied)),
        Verdict::Plan { adopt, consider } if consider.is_empty() => format!("adopt {}", ids(adopt)),
        Verdict::Plan { adopt, consider } => {
            format!("adopt {}; consider {}", ids(adopt), ids(consider))
        }
        Verdict::NoOption => "none".to_owned(),
        Verdict::NotApplicable => "not applicable".to_owned(),
    }
}

/// Two verdicts are the same decision: the same winner, the same tied
/// options, or the same options adopted and considered, in any order.
fn same_verdict(a: &Verdict, b: &Verdict) -> bool {
    fn set(ids: &[crate::ids::OptionId]) -> BTreeSet<&crate::ids::OptionId> {
        ids.iter().collect()
    }
    match (a, b) {
        (Verdict::Tie(x), Verdict::Tie(y)) => set(x) == set(y),
        (
            Verdict::Plan {
                adopt: a1,
                consider: c1,
            },
            Verdict::Plan {
                adopt: a2,
                consider: c2,
            },
        ) => set(a1) == set(a2) && set(c1) == set(c2),
        _ => a == b,
    }
}

/// The rule changes between the record and today: what fires now with
/// other points, what fires now and did not, what no longer fires.
fn rule_changes(rb: &RuleBase, block: &Block, outcome: &Today<'_>) -> Vec<RuleChange> {
    let now: Vec<&RuleId> = outcome
        .fired()
        .into_iter()
        .filter(|id| !id.as_str().starts_with("policy:"))
        .collect();
    let today = |id: &str| {
        rb.rule(id)
            .map(|(_, rule)| crate::report::adr::effect(rule))
    };
    let mut changes = Vec::new();
    for id in &now {
        let after = today(id.as_str());
        let recorded = block.fired.iter().any(|f| f == id.as_str());
        let before = block.effects.get(id.as_str()).cloned();
        let kind = match (&before, recorded) {
            (_, false) => ChangeKind::Added,
            (Some(b), true) if after.as_ref() != Some(b) => ChangeKind::Reweighted,
            _ => continue,
        };
        changes.push(change(
            id.as_str(),
            kind,
            before.filter(|_| recorded),
            after,
        ));
    }
    for id in block.fired.iter().filter(|f| !f.starts_with("policy:")) {
        if now.iter().any(|n| n.as_str() == id) {
            continue;
        }
        let kind = if rb.rule(id).is_some() {
            ChangeKind::StoppedFiring
        } else {
            ChangeKind::Removed
        };
        changes.push(change(id, kind, block.effects.get(id).cloned(), None));
    }
    changes
}

fn change(
    rule: &str,
    kind: ChangeKind,
    before: Option<Effect>,
    after: Option<Effect>,
) -> RuleChange {
    let mut effect = std::collections::BTreeMap::new();
    for (option, points) in after.iter().flat_map(|e| &e.points) {
        *effect.entry(option.clone()).or_insert(0) += points;
    }
    for (option, points) in before.iter().flat_map(|e| &e.points) {
        *effect.entry(option.clone()).or_insert(0) -= points;
    }
    effect.retain(|_, delta| *delta != 0);
    RuleChange {
        rule: rule.to_owned(),
        change: kind,
        before,
        after,
        effect,
    }
}

impl RuleChange {
    /// One line: `re-weighted measure-before-caching: none +2 -> -4 (none -6)`.
    pub fn describe(&self) -> String {
        let shown =
            |e: &Option<Effect>| e.as_ref().map_or_else(|| "-".to_owned(), Effect::describe);
        let what = match self.change {
            ChangeKind::Added => format!("now fires {}: {}", self.rule, shown(&self.after)),
            ChangeKind::Removed => {
                format!("removed {}: it gave {}", self.rule, shown(&self.before))
            }
            ChangeKind::StoppedFiring => {
                format!(
                    "no longer fires {}: it gave {}",
                    self.rule,
                    shown(&self.before)
                )
            }
            ChangeKind::Reweighted => format!(
                "re-weighted {}: {} -> {}",
                self.rule,
                shown(&self.before),
                shown(&self.after)
            ),
        };
        if self.change != ChangeKind::Reweighted || self.effect.is_empty() {
            return what;
        }
        let moved: Vec<String> = self
            .effect
            .iter()
            .map(|(o, d)| format!("{o} {d:+}"))
            .collect();
        format!("{what} (moves {})", moved.join(", "))
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
        for c in &r.rule_changes {
            out.push_str(&format!("         {}\n", c.describe()));
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
