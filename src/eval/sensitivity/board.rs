//! Scoring by difference: a topic's points and knock-outs per option, from
//! which the verdict after a few rules change outcome is worked out without
//! re-tallying every rule.
//!
//! The sensitivity analysis scores thousands of tries per topic; each
//! changes a handful of rules. The verdict comes from the same function
//! as the full evaluation's ([`VerdictCode::of`]).

use crate::eval::condition::Truth;
use crate::eval::verdict::{Verdict, VerdictCode};
use crate::ids::OptionId;
use crate::rulebase::index::{Effects, TopicIndex};
use crate::rulebase::{RuleBase, RuleOrigin, Topic};

/// Points and knock-out counts per option position, being worked on.
#[derive(Default)]
pub(super) struct Tally {
    points: Vec<i32>,
    excluded: Vec<u32>,
}

/// A rule whose outcome a change flips: it now fires, or no longer does.
#[derive(Clone, Copy)]
pub(super) struct Flip {
    /// The rule's position in its topic.
    pub(super) rule: usize,
    pub(super) fires: bool,
}

/// Points and knock-outs per option, by position, for scoring changes by
/// difference.
pub(super) struct Board<'a> {
    points: Vec<i32>,
    excluded: Vec<u32>,
    /// Per rule: (option position, points) and excluded positions.
    effects: &'a [Effects],
}

impl<'a> Board<'a> {
    pub(super) fn new(topic: &Topic, index: &'a TopicIndex, truths: &[Truth]) -> Self {
        let mut board = Board {
            points: vec![0; topic.options.len()],
            excluded: vec![0; topic.options.len()],
            effects: &index.effects,
        };
        let fired: Vec<Flip> = truths
            .iter()
            .enumerate()
            .filter(|(_, t)| **t == Truth::True)
            .map(|(rule, _)| Flip { rule, fires: true })
            .collect();
        let mut tally = Tally::default();
        board.apply(&fired, &mut tally);
        board.points = tally.points;
        board.excluded = tally.excluded;
        board
    }

    /// Points and exclusions after rules start or stop firing, into
    /// `tally`.
    fn apply(&self, flipped: &[Flip], tally: &mut Tally) {
        tally.points.clear();
        tally.points.extend_from_slice(&self.points);
        tally.excluded.clear();
        tally.excluded.extend_from_slice(&self.excluded);
        for &Flip { rule, fires } in flipped {
            let Some((score, exclude)) = self.effects.get(rule) else {
                continue;
            };
            for &(o, p) in score {
                tally.points[o] += if fires { p } else { -p };
            }
            for &o in exclude {
                if fires {
                    tally.excluded[o] += 1;
                } else {
                    tally.excluded[o] = tally.excluded[o].saturating_sub(1);
                }
            }
        }
    }

    /// The topic's verdict after `flipped` rules change outcome, applying
    /// or not, as the full evaluation would reach it.
    pub(super) fn verdict_after(
        &self,
        topic: &Topic,
        flipped: &[Flip],
        tally: &mut Tally,
        applies: bool,
    ) -> VerdictCode {
        self.apply(flipped, tally);
        VerdictCode::of(topic, &tally.points, &tally.excluded, applies)
    }
}

/// A topic's verdict and its options' points and knock-outs, from the
/// truths of its rules and whether it applies: a straight tally, no
/// allocation per rule.
pub(in crate::eval) fn scores(
    topic: &Topic,
    truths: &[Truth],
    applies: bool,
) -> (Verdict, Vec<(OptionId, i32, bool)>) {
    let n = topic.options.len();
    let mut points = vec![0; n];
    let mut excluded = vec![0u32; n];
    let position = |id: &OptionId| topic.options.iter().position(|o| &o.id == id);
    for (rule, truth) in topic.rules.iter().zip(truths) {
        if *truth != Truth::True {
            continue;
        }
        for (o, p) in &rule.score {
            if let Some(i) = position(o) {
                points[i] += p;
            }
        }
        for o in &rule.exclude {
            if let Some(i) = position(o) {
                excluded[i] += 1;
            }
        }
    }
    let verdict = VerdictCode::of(topic, &points, &excluded, applies).verdict(topic);
    let scores = topic
        .options
        .iter()
        .enumerate()
        .map(|(i, o)| (o.id.clone(), points[i], excluded[i] > 0))
        .collect();
    (verdict, scores)
}

/// The verdict with every fired rule of one origin switched off; none
/// when no rule of that origin fired.
pub(in crate::eval) fn verdict_without(
    rb: &RuleBase,
    topic: &Topic,
    truths: &[Truth],
    origin: RuleOrigin,
) -> Option<Verdict> {
    let off: Vec<Flip> = topic
        .rules
        .iter()
        .zip(truths)
        .enumerate()
        .filter(|(_, (r, t))| r.origin == origin && **t == Truth::True)
        .map(|(rule, _)| Flip { rule, fires: false })
        .collect();
    if off.is_empty() {
        return None;
    }
    let board = Board::new(topic, rb.topic_index(topic), truths);
    let code = board.verdict_after(topic, &off, &mut Tally::default(), true);
    Some(code.verdict(topic))
}
