//! Scoring by difference: a topic's points and knock-outs per option, from
//! which the winner after a few rules change outcome is worked out without
//! re-tallying every rule.
//!
//! The sensitivity analysis scores thousands of tries per topic; each
//! changes a handful of rules. The order is the full evaluation's:
//! standing options first, then by score, then by option id.

use crate::eval::condition::Truth;
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
/// difference. The ordering matches the full evaluation: standing options
/// first, then by score, then by option id.
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

    pub(super) fn winner_after(
        &self,
        topic: &Topic,
        flipped: &[Flip],
        tally: &mut Tally,
    ) -> Option<usize> {
        self.apply(flipped, tally);
        best(topic, &tally.points, &tally.excluded)
    }
}

/// The winning position: standing options first, then the most points,
/// then the option id, as the full evaluation ranks them.
fn best(topic: &Topic, points: &[i32], excluded: &[u32]) -> Option<usize> {
    (0..topic.options.len())
        .filter(|&i| excluded[i] == 0)
        .min_by(|&a, &b| {
            points[b]
                .cmp(&points[a])
                .then_with(|| topic.options[a].id.cmp(&topic.options[b].id))
        })
}

/// A topic's winner and its options' points and knock-outs, from the
/// truths of its rules: a straight tally, no allocation per rule.
pub(in crate::eval) fn scores(
    topic: &Topic,
    truths: &[Truth],
) -> (Option<OptionId>, Vec<(OptionId, i32, bool)>) {
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
    let winner = best(topic, &points, &excluded).map(|i| topic.options[i].id.clone());
    let scores = topic
        .options
        .iter()
        .enumerate()
        .map(|(i, o)| (o.id.clone(), points[i], excluded[i] > 0))
        .collect();
    (winner, scores)
}

/// The winner with every fired rule of one origin switched off.
pub(in crate::eval) fn winner_without(
    rb: &RuleBase,
    topic: &Topic,
    truths: &[Truth],
    origin: RuleOrigin,
) -> Option<OptionId> {
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
    board
        .winner_after(topic, &off, &mut Tally::default())
        .map(|i| topic.options[i].id.clone())
}
