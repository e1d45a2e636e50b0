//! Pairs: two answer changes tried together, for a topic that no single
//! change moves.
//!
//! A decision no single change moves is robust; the pairs that do move it
//! say how robust. Pairs grow with the square of the candidates, so what
//! each candidate does alone is worked out once ([`Alone`]), and from two
//! of those the search tells which pairs cannot move the winner (skipped),
//! which add up without interacting (scored from their effects alone) and
//! which must be tried. The pairs found are exactly those of trying every
//! one; a unit test below checks it on the examples and every scenario.

use super::board::Flip;
use super::candidates::{Candidate, nearest};
use super::probe::{NewVerdict, Probe, reread};
use super::{AnswerChange, QuestionCandidates, TippingPoint};
use crate::eval::facts::{ChangedDecision, Overlay, TriedAnswer};
use crate::eval::verdict::VerdictCode;
use crate::rulebase::RuleBase;

/// At most this many pairs are reported per topic: they are shown only when
/// no single change moves the winner, as a measure of how settled it is.
pub const MAX_PAIRS: usize = 5;

/// At most this many pairs are tried per topic. Pairs grow with the square
/// of the candidates; the budget keeps a large rule base fast, and the
/// search order (questionnaire order, nearest thresholds first) makes what
/// is found within it deterministic.
pub const MAX_PAIR_TRIALS: usize = 4_000;

/// What one answer change does on its own, topic by topic (the upstream
/// topics in evaluation order, then the topic itself): the rules it makes
/// re-read, and whether any of them changes outcome; and, for the topic
/// itself, which rules change outcome and the upstream decisions it changes.
#[derive(Default)]
pub(super) struct Alone {
    reads: Vec<Vec<usize>>,
    flips: Vec<bool>,
    /// The topic's rules that change outcome, in rule order.
    pub(super) flipped: Vec<Flip>,
    /// The upstream decisions it changes.
    pub(super) decisions: Vec<UpstreamDecision>,
}

/// An upstream decision one change makes alone.
pub(super) struct UpstreamDecision {
    /// The upstream topic's place in evaluation order.
    pub(super) place: usize,
    pub(super) decision: ChangedDecision,
}

/// What trying two changes together comes to, from what each does alone.
enum Together {
    /// They cannot move the winner: each topic sees one change's effects or
    /// the other's, and decides as it did under that one alone.
    Inert,
    /// The topic's rules change outcome as under either change alone, but
    /// for those that read both changes (in rule order), which are re-read.
    Added { shared: Vec<usize> },
    /// They interact from the upstream topic at place `from` on (in
    /// evaluation order; the topic itself after them): only trying them
    /// tells. The upstream topics before it decide as under one change
    /// alone, by the argument of [`Alone::together`].
    Unknown { from: usize },
}

impl Alone {
    /// What the change does to the next topic in evaluation order: the
    /// rules it makes re-read, and whether any of them changes outcome.
    pub(super) fn record(&mut self, readers: &[usize], flips: bool) {
        self.reads.push(readers.to_vec());
        self.flips.push(flips);
    }

    /// Two changes that no single change moves the winner with, together.
    ///
    /// When their questions gate nothing in common (`apart`), and in every
    /// upstream topic no rule reads what both change and no two rules
    /// change outcome one under each, every upstream rule reads one change
    /// or the other (or neither) and comes out as under that change alone,
    /// topic by topic in evaluation order; so each upstream topic decides
    /// as under one change alone. Then in the topic itself, a rule that
    /// reads one change only comes out as under that change alone, and
    /// only the rules reading both need re-reading. When there are none,
    /// and only one change has rules changing outcome, the topic decides as
    /// under that change alone: it keeps its winner. When an upstream topic
    /// fails the test, the ones before it still decide as under one change
    /// alone.
    fn together(&self, other: &Alone, apart: bool) -> Together {
        let topics = self.reads.len();
        if !apart || topics == 0 || topics != other.reads.len() {
            return Together::Unknown { from: 0 };
        }
        let last = topics - 1;
        let interacting = (0..last).find(|&t| {
            self.flips[t] && other.flips[t] || !common(&self.reads[t], &other.reads[t]).is_empty()
        });
        if let Some(from) = interacting {
            return Together::Unknown { from };
        }
        let shared = common(&self.reads[last], &other.reads[last]);
        if shared.is_empty() && !(self.flips[last] && other.flips[last]) {
            return Together::Inert;
        }
        Together::Added { shared }
    }
}

/// The items two ascending lists have in common.
fn common(a: &[usize], b: &[usize]) -> Vec<usize> {
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    while let (Some(x), Some(y)) = (a.get(i), b.get(j)) {
        match x.cmp(y) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push(*x);
                i += 1;
                j += 1;
            }
        }
    }
    out
}

/// The questions a question's answer can reach through the questionnaire:
/// itself and those gated by it, directly or through others, ascending.
fn gate_reach(rb: &RuleBase, slot: u32) -> Vec<u32> {
    let mut out = vec![slot];
    let mut next = 0;
    while let Some(&s) = out.get(next) {
        next += 1;
        for &p in rb.gated_by(s) {
            let p = p as u32;
            if !out.contains(&p) {
                out.push(p);
            }
        }
    }
    out.sort_unstable();
    out
}

/// The upstream decisions two changes make alone, at places before
/// `before`, in evaluation order.
fn decisions_alone([a, b]: [&Alone; 2], before: usize) -> Vec<&UpstreamDecision> {
    let mut out: Vec<&UpstreamDecision> = a
        .decisions
        .iter()
        .chain(&b.decisions)
        .filter(|d| d.place < before)
        .collect();
    out.sort_by_key(|d| d.place);
    out
}

impl<'a> Probe<'a> {
    /// [`Self::try_answers`] for two changes that interact from the
    /// upstream topic at place `from` on (see [`Together::Unknown`]): the
    /// topics before it take their decisions from the changes alone.
    fn try_from(
        &self,
        answers: [TriedAnswer<'a>; 2],
        [a, b]: [&Alone; 2],
        from: usize,
        now: VerdictCode,
    ) -> Option<NewVerdict> {
        let before = decisions_alone([a, b], from);
        self.run_with(&answers, now, None, from, &before)
    }

    /// What one answer changes on its own, for [`Alone::together`].
    fn alone(&self, answer: TriedAnswer<'a>) -> Alone {
        let mut alone = Alone::default();
        // Singles were all tried before pairs: none moves the verdict.
        let _ = self.run(&[answer], VerdictCode::NoOption, Some(&mut alone));
        alone
    }

    /// The new winner under two changes whose effects add up (see
    /// [`Alone::together`]), if it is not `winner`: only the `shared`
    /// rules, which read both, are re-read.
    fn combined(
        &self,
        answers: [TriedAnswer<'a>; 2],
        [a, b]: [&Alone; 2],
        shared: &[usize],
        now: VerdictCode,
    ) -> Option<NewVerdict> {
        let decisions = decisions_alone([a, b], usize::MAX);
        let mut flipped: Vec<Flip> = a
            .flipped
            .iter()
            .chain(&b.flipped)
            .filter(|f| shared.binary_search(&f.rule).is_err())
            .copied()
            .collect();
        if !shared.is_empty() {
            let mut overlay =
                Overlay::changed_all(self.slots, &answers, &self.relevant, Vec::new());
            overlay.decisions = decisions.iter().map(|d| d.decision.clone()).collect();
            let mut reread_shared = Vec::new();
            reread(
                self.topic,
                self.truths,
                shared,
                &overlay,
                &mut reread_shared,
            );
            flipped.extend(reread_shared);
        }
        flipped.sort_unstable_by_key(|f| f.rule);
        let mut guard = self.scratch.borrow_mut();
        // Pairs are pruned only where no topic in scope may stop applying.
        let code = self
            .board
            .verdict_after(self.topic, &flipped, &mut guard.tally, true);
        if code == now {
            return None;
        }
        let rules = self.rules_behind(&flipped, decisions.iter().map(|d| &d.decision.key));
        Some(NewVerdict { code, rules })
    }
}

/// A question as the pair search sees it.
struct PairSide<'a> {
    asked: &'a QuestionCandidates<'a>,
    /// Its candidates, numbers at their nearest threshold each way, each
    /// with what it does alone.
    candidates: Vec<Paired<'a>>,
    /// The questions its answer reaches through the questionnaire.
    reach: Vec<u32>,
}

/// A candidate, with what it does alone.
struct Paired<'a> {
    candidate: &'a Candidate,
    alone: Alone,
}

/// Two answers changed together, for a topic no single change moves; the
/// first [`MAX_PAIRS`] found in questionnaire order.
pub(super) fn pairs<'a>(
    probe: &Probe<'a>,
    tried: &'a [QuestionCandidates<'a>],
    now: VerdictCode,
    prune: bool,
) -> Vec<TippingPoint> {
    let mut out = Vec::new();
    let mut trials = 0usize;
    let sides = pair_sides(probe, tried);
    for (i, side_a) in sides.iter().enumerate() {
        for side_b in &sides[i + 1..] {
            let apart = side_a
                .reach
                .iter()
                .all(|s| side_b.reach.binary_search(s).is_err());
            // One pair per pair of questions is enough to show it.
            'pair: for a in &side_a.candidates {
                for b in &side_b.candidates {
                    trials += 1;
                    if trials > MAX_PAIR_TRIALS {
                        return out;
                    }
                    let pair = [(side_a.asked, a), (side_b.asked, b)];
                    let Some(new) = try_pair(probe, pair, apart, now, prune) else {
                        continue;
                    };
                    out.push(pair_tipping_point(probe, pair, new));
                    if out.len() == MAX_PAIRS {
                        return out;
                    }
                    break 'pair;
                }
            }
        }
    }
    out
}

/// The questions tried as the pair search sees them. For pairs, numbers
/// are tried at their nearest threshold each way. Each candidate's effect
/// alone is worked out once, so that pairs that provably cannot move the
/// winner are skipped (and still counted: the pairs found are exactly
/// those of trying every one).
fn pair_sides<'a>(probe: &Probe<'a>, tried: &'a [QuestionCandidates<'a>]) -> Vec<PairSide<'a>> {
    tried
        .iter()
        .map(|asked| PairSide {
            asked,
            candidates: nearest(&asked.candidates, asked.now)
                .into_iter()
                .map(|candidate| Paired {
                    candidate,
                    alone: probe.alone(candidate.tried_at(asked.slot)),
                })
                .collect(),
            reach: gate_reach(probe.slots.rb, asked.slot),
        })
        .collect()
}

/// The new winner under a candidate for each of two questions, if it is
/// not `winner`; `apart` when the questions gate nothing in common. With
/// `prune`, what the two do alone tells, where it can, without a try.
fn try_pair<'a>(
    probe: &Probe<'a>,
    [(qa, a), (qb, b)]: [(&QuestionCandidates<'a>, &Paired<'a>); 2],
    apart: bool,
    now: VerdictCode,
    prune: bool,
) -> Option<NewVerdict> {
    // Most pairs are inert: the answers are put together only for a try.
    let answers = || [a.candidate.tried_at(qa.slot), b.candidate.tried_at(qb.slot)];
    let alone = [&a.alone, &b.alone];
    match a.alone.together(&b.alone, apart) {
        Together::Inert if prune => None,
        Together::Added { shared } if prune => probe.combined(answers(), alone, &shared, now),
        Together::Unknown { from } if prune && from > 0 => {
            probe.try_from(answers(), alone, from, now)
        }
        _ => probe.try_answers(&answers(), now),
    }
}

/// The tipping point of two changes together.
fn pair_tipping_point(
    probe: &Probe<'_>,
    [(qa, a), (qb, b)]: [(&QuestionCandidates<'_>, &Paired<'_>); 2],
    new: NewVerdict,
) -> TippingPoint {
    TippingPoint {
        question: qa.question.id.clone(),
        now: qa.now.clone(),
        change: a.candidate.change.text(),
        to: a.candidate.answer.clone(),
        and: Some(AnswerChange {
            question: qb.question.id.clone(),
            now: qb.now.clone(),
            change: b.candidate.change.text(),
            to: b.candidate.answer.clone(),
        }),
        becomes: new.code.verdict(probe.topic),
        rules: new.rules,
    }
}

#[cfg(test)]
mod tests {
    use super::super::{TippingPoint, Tries, tipping_points_with};
    use crate::answers::AnswerSet;
    use crate::decide::resolve;
    use crate::eval::condition::Truth;
    use crate::eval::facts::Slots;
    use crate::rulebase::{RuleBase, Topic};
    use crate::source::SourceFile;

    /// Skipping the pairs that cannot move the winner, and adding up the
    /// effects of those that do not interact, finds exactly the pairs that
    /// trying every one finds, on the examples and every scenario.
    #[test]
    fn pruned_pairs_are_the_pairs_of_trying_every_one() {
        // Also: what the evaluation finds, reading upstream decisions under
        // single changes from the upstream analyses, is what a topic finds
        // alone.
        let rb = crate::builtin::rule_base().unwrap();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut with_pairs = 0;
        // The examples, on every topic, and the answers of every scenario
        // (what precedes its expectations) on the topics it expects.
        let mut sets: Vec<(String, String, Option<Vec<String>>)> =
            ["saas-startup", "catalogue", "payments-ledger"]
                .iter()
                .map(|e| {
                    let path = root.join(format!("examples/{e}.toml"));
                    (e.to_string(), std::fs::read_to_string(path).unwrap(), None)
                })
                .collect();
        for entry in std::fs::read_dir(root.join("tests/scenarios")).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let table: toml::Table = toml::from_str(&text).unwrap();
            let expected = table
                .get("expect")
                .and_then(|e| e.as_table())
                .map(|e| e.keys().cloned().collect());
            let answers = text.split("\n[expect").next().unwrap_or("").to_owned();
            sets.push((path.display().to_string(), answers, expected));
        }
        sets.sort();
        let mut parsed = 0;
        for (example, text, expected) in sets {
            let Ok(answers) = AnswerSet::parse(&rb, &SourceFile::new(&example, text)) else {
                continue;
            };
            let topics: Vec<&Topic> = rb
                .topics()
                .iter()
                .filter(|t| {
                    expected
                        .as_ref()
                        .is_none_or(|e| e.iter().any(|x| x.as_str() == t.id.as_str()))
                })
                .collect();
            let Ok(resolution) = resolve(&rb, &answers, &topics) else {
                continue;
            };
            parsed += 1;
            let evaluation = crate::eval::evaluate(&rb, &resolution.facts, &topics);
            // Tipping points are found with the upstream decisions known.
            let mut facts = resolution.facts.clone();
            for outcome in &evaluation.topics {
                facts.decide(&outcome.topic, &outcome.verdict);
            }
            let slots = Slots::new(&rb, &facts);
            for (topic, outcome) in topics.iter().zip(&evaluation.topics) {
                if outcome.status == crate::eval::Status::NotApplicable {
                    continue; // not analysed: it does not apply
                }
                let truths: Vec<Truth> = outcome
                    .rules
                    .iter()
                    .map(|r| crate::eval::status_truth(r.status))
                    .collect();
                let now = crate::eval::verdict::VerdictCode::from_verdict(topic, &outcome.verdict);
                let run = |prune| {
                    let tips = tipping_points_with(
                        &rb,
                        &slots,
                        &Tries::new(&rb),
                        topic,
                        now,
                        &truths,
                        prune,
                    );
                    serde_json::to_string(&tips).unwrap()
                };
                let pruned = run(true);
                assert_eq!(pruned, run(false), "{example}: {}", topic.id);
                // The evaluation reads upstream decisions under single
                // changes from the upstream topics' own analysis; here each
                // topic re-decided them itself.
                let shared = serde_json::to_string(&outcome.tipping_points).unwrap();
                assert_eq!(shared, pruned, "{example}: {} (shared)", topic.id);
                if pruned.contains("\"and\"") {
                    with_pairs += 1;
                }
            }
        }
        assert!(parsed > 100, "only {parsed} answer sets");
        // A change into a tie tips a topic too, so single changes tip more
        // topics than they did when ties were settled by a name.
        assert!(with_pairs >= 10, "only {with_pairs} topics tipped by pairs");
    }

    /// A bool question, a rule and a topic of two options, as TOML.
    fn question(id: &str) -> String {
        format!(
            "[[question]]\nid = \"{id}\"\nlabel = \"{id}\"\nprompt = \"{id}?\"\nhelp = \"h\"\nkind = \"bool\"\n"
        )
    }

    fn rule(id: &str, when: &str, score: &str) -> String {
        format!(
            "[[rule]]\nid = \"{id}\"\nsummary = \"{id}\"\n{when}score = {{ {score} }}\nrationale = \"r\"\nsources = [\"Someone, a source, https://example.com\"]\n"
        )
    }

    fn topic(id: &str, options: &[&str], rules: String) -> String {
        let mut text = format!("[topic]\nid = \"{id}\"\ntitle = \"{id}\"\nproblem = \"?\"\n");
        for o in options {
            text += &format!("[[option]]\nid = \"{o}\"\nname = \"{o}\"\nsummary = \"{o}\"\n");
        }
        text + &rules
    }

    /// The tipping points of topic `down`, with the pairs pruned and not,
    /// every question answered no.
    fn tips_of_down(questions: &str, topics: &[(&str, String)]) -> [Vec<TippingPoint>; 2] {
        use crate::rulebase::load::RuleBaseFiles;
        let mut files = vec![("questions.toml".to_owned(), questions.to_owned())];
        files.extend(
            topics
                .iter()
                .map(|(id, t)| (format!("topics/{id}.toml"), t.clone())),
        );
        let refs: Vec<(&str, &str)> = files
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect();
        let rb = RuleBase::from_files(RuleBaseFiles::from_memory(&refs), "test").unwrap();
        let mut text = "[answers]\n".to_owned();
        for q in rb.questions() {
            text += &format!("{} = false\n", q.id);
        }
        let answers = AnswerSet::parse(&rb, &SourceFile::new("a.toml", text)).unwrap();
        let topics: Vec<&Topic> = rb.topics().iter().collect();
        let resolution = resolve(&rb, &answers, &topics).unwrap();
        let evaluation = crate::eval::evaluate(&rb, &resolution.facts, &topics);
        let mut facts = resolution.facts.clone();
        for outcome in &evaluation.topics {
            facts.decide(&outcome.topic, &outcome.verdict);
        }
        let slots = Slots::new(&rb, &facts);
        let down = rb.topic("down").unwrap();
        let outcome = evaluation
            .topics
            .iter()
            .find(|o| o.topic.as_str() == "down")
            .unwrap();
        let truths: Vec<Truth> = outcome
            .rules
            .iter()
            .map(|r| crate::eval::status_truth(r.status))
            .collect();
        [true, false].map(|prune| {
            tipping_points_with(
                &rb,
                &slots,
                &Tries::new(&rb),
                down,
                crate::eval::verdict::VerdictCode::from_verdict(down, &outcome.verdict),
                &truths,
                prune,
            )
        })
    }

    /// The tipping points are one pair, q1 and q2 together, making `q`
    /// win, with these rules and decisions behind it.
    fn assert_one_pair_q1_q2(tips: &[TippingPoint], rules: &[&str]) {
        assert_eq!(tips.len(), 1, "{tips:?}");
        let tip = &tips[0];
        assert_eq!(tip.question.as_str(), "q1");
        assert_eq!(tip.and.as_ref().map(|c| c.question.as_str()), Some("q2"));
        assert_eq!(tip.becomes, crate::eval::Verdict::Winner("q".into()));
        let behind: Vec<&str> = tip.rules.iter().map(|r| r.as_str()).collect();
        assert_eq!(behind, rules);
    }

    /// Two changes that each tip an upstream topic half way, together
    /// change its winner and so the topic downstream: adding up their
    /// effects on the downstream topic alone would miss it.
    #[test]
    fn pairs_that_together_move_an_upstream_decision_are_tried() {
        // up: x leads by one; q1 or q2 alone ties it (x leads the tie by
        // the topic's order, so down reads x still), both put y ahead.
        // down follows up's decision.
        let up = topic(
            "up",
            &["x", "y"],
            rule("x-base", "", "x = 1")
                + &rule("q1-y", "when = { q = \"q1\", eq = true }\n", "y = 1")
                + &rule("q2-y", "when = { q = \"q2\", eq = true }\n", "y = 1"),
        );
        let down = topic(
            "down",
            &["p", "q"],
            rule("p-base", "", "p = 1")
                + &rule(
                    "up-y-q",
                    "when = { decision = \"up\", eq = \"y\" }\n",
                    "q = 2",
                ),
        );
        let questions = question("q1") + &question("q2");
        for tips in tips_of_down(&questions, &[("up", up), ("down", down)]) {
            assert_one_pair_q1_q2(&tips, &["up-y-q", "decision:up"]);
        }
    }

    /// Two changes that interact only in the second of two upstream
    /// topics: the first decides as under one change alone, the second
    /// must be re-decided with both, and differently from either alone.
    #[test]
    fn pairs_interacting_past_the_first_upstream_topic_are_tried() {
        // first: q1 alone puts y ahead. second: q1 alone puts y ahead, q2
        // alone changes nothing it decides, both put z ahead. down needs
        // first = y and second = z to move (either alone leaves p ahead:
        // not even a tie).
        let first = topic(
            "first",
            &["x", "y"],
            rule("first-x", "", "x = 1")
                + &rule("first-q1", "when = { q = \"q1\", eq = true }\n", "y = 2"),
        );
        let second = topic(
            "second",
            &["x", "y", "z"],
            rule("second-x", "", "x = 2")
                + &rule("second-q1", "when = { q = \"q1\", eq = true }\n", "y = 3")
                + &rule("second-q2", "when = { q = \"q2\", eq = true }\n", "x = -1")
                + &rule(
                    "second-both",
                    "when.all = [{ q = \"q1\", eq = true }, { q = \"q2\", eq = true }]\n",
                    "z = 5",
                ),
        );
        let down = topic(
            "down",
            &["p", "q"],
            rule("p-base", "", "p = 2")
                + &rule(
                    "first-y",
                    "when = { decision = \"first\", eq = \"y\" }\n",
                    "q = 1",
                )
                + &rule(
                    "second-z",
                    "when = { decision = \"second\", eq = \"z\" }\n",
                    "q = 2",
                ),
        );
        let questions = question("q1") + &question("q2");
        let topics = [("first", first), ("second", second), ("down", down)];
        for tips in tips_of_down(&questions, &topics) {
            let rules = ["first-y", "second-z", "decision:first", "decision:second"];
            assert_one_pair_q1_q2(&tips, &rules);
        }
    }
}
