//! What a topic comes to: one winner, a tie, a plan, no option standing,
//! or nothing at all because the topic does not apply.
//!
//! A verdict is computed from the points and knock-outs of a topic's
//! options (and whether the topic applies), the same way in the full
//! evaluation and in every try of the sensitivity analysis, so the two can
//! never disagree. The sensitivity analysis compares verdicts in a compact,
//! copyable form ([`VerdictCode`]) thousands of times per run; reports read
//! the full form ([`Verdict`]).
//!
//! Ties are never broken silently: a tie is its own verdict, and where an
//! order is needed (the ranking, the decision a linked topic reads) the
//! topic's declared tie-break orders the tied options: the higher sum of
//! their ratings on the tie-break attributes (by default operational
//! simplicity and cost: the simpler, cheaper and more reversible step)
//! first, then the topic's own order of options.

use crate::ids::{ChoiceId, OptionId};
use crate::rulebase::{PlanThresholds, Topic};
use crate::value::{Answer, Value};
use serde::Serialize;
use std::collections::BTreeSet;

/// What a topic came to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// One option leads.
    Winner(OptionId),
    /// Several options share the top score, in tie-break order.
    Tie(Vec<OptionId>),
    /// A combination topic's plan: the options adopted and those to
    /// consider, in the topic's order; the others are not needed.
    Plan {
        adopt: Vec<OptionId>,
        consider: Vec<OptionId>,
    },
    /// Every option is ruled out.
    NoOption,
    /// The topic does not apply to this system.
    NotApplicable,
}

/// The verdict's kind, for reports and JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Decided,
    Tie,
    NotApplicable,
    NoOption,
}

/// What a plan says of one option.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Adoption {
    Adopt,
    Consider,
    NotNeeded,
}

impl Adoption {
    /// How the adoption reads in a sentence.
    pub fn words(self) -> &'static str {
        match self {
            Adoption::Adopt => "adopt",
            Adoption::Consider => "consider",
            Adoption::NotNeeded => "not needed",
        }
    }
}

impl Verdict {
    pub fn status(&self) -> Status {
        match self {
            Verdict::Winner(_) | Verdict::Plan { .. } => Status::Decided,
            Verdict::Tie(_) => Status::Tie,
            Verdict::NoOption => Status::NoOption,
            Verdict::NotApplicable => Status::NotApplicable,
        }
    }

    /// The option a linked topic reads as this topic's decision: the winner,
    /// or the first of a tie in tie-break order.
    pub fn leader(&self) -> Option<&OptionId> {
        match self {
            Verdict::Winner(w) => Some(w),
            Verdict::Tie(tied) => tied.first(),
            _ => None,
        }
    }

    /// What a plan says of an option; `None` for a verdict that is no plan.
    pub fn adoption(&self, option: &OptionId) -> Option<Adoption> {
        match self {
            Verdict::Plan { adopt, consider } => Some(if adopt.contains(option) {
                Adoption::Adopt
            } else if consider.contains(option) {
                Adoption::Consider
            } else {
                Adoption::NotNeeded
            }),
            _ => None,
        }
    }

    /// The decision as linked topics read it: one option, or the set a plan
    /// adopts; none when the topic decided nothing.
    pub fn as_answer(&self) -> Option<Answer> {
        match self {
            Verdict::Plan { adopt, .. } => Some(Answer::Known(Value::Choices(
                adopt
                    .iter()
                    .map(|o| ChoiceId::new(o.as_str()))
                    .collect::<BTreeSet<_>>(),
            ))),
            _ => self
                .leader()
                .map(|o| Answer::Known(Value::Choice(ChoiceId::new(o.as_str())))),
        }
    }
}

/// A verdict in a form that compares and copies cheaply: the positions of
/// the options concerned as bit sets. Options past the 64th are not told
/// apart (no topic comes near).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum VerdictCode {
    /// The options sharing the top score: one bit for a clear winner.
    Top(u64),
    Plan {
        adopt: u64,
        consider: u64,
    },
    NoOption,
    NotApplicable,
}

impl VerdictCode {
    /// The verdict of a topic from its options' points and knock-out counts
    /// (by position), and whether it applies.
    pub fn of(topic: &Topic, points: &[i32], excluded: &[u32], applies: bool) -> Self {
        if !applies {
            return VerdictCode::NotApplicable;
        }
        match topic.plan_thresholds() {
            Some(thresholds) => plan_code(topic, points, excluded, thresholds),
            None => top_code(points, excluded),
        }
    }

    /// The code of a full verdict of `topic`.
    #[cfg(test)]
    pub fn from_verdict(topic: &Topic, verdict: &Verdict) -> Self {
        let mask = |ids: &[OptionId]| {
            ids.iter()
                .filter_map(|id| topic.options.iter().position(|o| &o.id == id))
                .fold(0, |mask, i| mask | bit(i))
        };
        match verdict {
            Verdict::Winner(w) => VerdictCode::Top(mask(std::slice::from_ref(w))),
            Verdict::Tie(tied) => VerdictCode::Top(mask(tied)),
            Verdict::Plan { adopt, consider } => VerdictCode::Plan {
                adopt: mask(adopt),
                consider: mask(consider),
            },
            Verdict::NoOption => VerdictCode::NoOption,
            Verdict::NotApplicable => VerdictCode::NotApplicable,
        }
    }

    /// The full verdict, with the tied options in tie-break order.
    pub fn verdict(self, topic: &Topic) -> Verdict {
        let ids = |mask: u64| -> Vec<OptionId> {
            positions(mask)
                .map(|i| topic.options[i].id.clone())
                .collect()
        };
        match self {
            VerdictCode::Top(mask) if mask.count_ones() == 1 => {
                Verdict::Winner(topic.options[mask.trailing_zeros() as usize].id.clone())
            }
            VerdictCode::Top(mask) => Verdict::Tie(
                tie_order(topic, positions(mask).collect())
                    .into_iter()
                    .map(|i| topic.options[i].id.clone())
                    .collect(),
            ),
            VerdictCode::Plan { adopt, consider } => Verdict::Plan {
                adopt: ids(adopt),
                consider: ids(consider),
            },
            VerdictCode::NoOption => Verdict::NoOption,
            VerdictCode::NotApplicable => Verdict::NotApplicable,
        }
    }

    /// The position of the option a linked topic reads (see
    /// [`Verdict::leader`]), for one-winner topics.
    pub fn leader(self, topic: &Topic) -> Option<usize> {
        match self {
            VerdictCode::Top(mask) => tie_order(topic, positions(mask).collect()).first().copied(),
            _ => None,
        }
    }
}

/// The positions set in a mask, ascending.
fn positions(mask: u64) -> impl Iterator<Item = usize> {
    (0..64).filter(move |i| mask >> i & 1 == 1)
}

fn bit(position: usize) -> u64 {
    if position < 64 { 1 << position } else { 0 }
}

/// The standing options with the top score.
fn top_code(points: &[i32], excluded: &[u32]) -> VerdictCode {
    let standing = || (0..points.len()).filter(|&i| excluded[i] == 0);
    let Some(best) = standing().map(|i| points[i]).max() else {
        return VerdictCode::NoOption;
    };
    VerdictCode::Top(
        standing()
            .filter(|&i| points[i] == best)
            .fold(0, |mask, i| mask | bit(i)),
    )
}

fn plan_code(
    topic: &Topic,
    points: &[i32],
    excluded: &[u32],
    thresholds: PlanThresholds,
) -> VerdictCode {
    let (mut adopt, mut consider) = (0, 0);
    for (i, placed) in plan_adoptions(topic, points, excluded, thresholds)
        .into_iter()
        .enumerate()
    {
        match placed.adoption {
            Adoption::Adopt => adopt |= bit(i),
            Adoption::Consider => consider |= bit(i),
            Adoption::NotNeeded => {}
        }
    }
    VerdictCode::Plan { adopt, consider }
}

/// Where a plan puts one option, and the alternative of its group that
/// took its place when it would have been adopted too.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Placed {
    pub adoption: Adoption,
    /// The position of the option adopted instead, for an alternative left
    /// to consider.
    pub instead_of: Option<usize>,
}

/// Every option's place in the plan, by position. Each is judged on its
/// own score; then of the options of one group (alternatives to each
/// other) only the best adopted stays adopted (the higher score first,
/// then the tie-break); the others are left to consider, but a baseline,
/// the default of its group, is then not needed.
pub fn plan_adoptions(
    topic: &Topic,
    points: &[i32],
    excluded: &[u32],
    thresholds: PlanThresholds,
) -> Vec<Placed> {
    let mut out: Vec<Placed> = topic
        .options
        .iter()
        .enumerate()
        .map(|(i, o)| Placed {
            adoption: adoption(o.baseline, points[i], excluded[i] > 0, thresholds),
            instead_of: None,
        })
        .collect();
    for (i, option) in topic.options.iter().enumerate() {
        let Some(group) = &option.group else { continue };
        let rivals: Vec<usize> = (0..topic.options.len())
            .filter(|&j| topic.options[j].group.as_ref() == Some(group))
            .filter(|&j| out[j].adoption == Adoption::Adopt)
            .collect();
        let best = rivals
            .iter()
            .copied()
            .min_by_key(|&j| (-points[j], -topic.tie_break_key(&topic.options[j]), j));
        if let Some(best) = best.filter(|&b| b != i && rivals.contains(&i)) {
            // A baseline is the default until an alternative is adopted
            // instead: then it is not needed. Any other alternative stays
            // worth considering.
            let adoption = if option.baseline {
                Adoption::NotNeeded
            } else {
                Adoption::Consider
            };
            out[i] = Placed {
                adoption,
                instead_of: Some(best),
            };
        }
    }
    out
}

/// What a plan makes of one option: ruled out means not needed, a baseline
/// is adopted, and otherwise its score meets a threshold or not.
pub fn adoption(
    baseline: bool,
    score: i32,
    ruled_out: bool,
    thresholds: PlanThresholds,
) -> Adoption {
    if ruled_out {
        Adoption::NotNeeded
    } else if baseline || score >= thresholds.adopt_at {
        Adoption::Adopt
    } else if score >= thresholds.consider_at {
        Adoption::Consider
    } else {
        Adoption::NotNeeded
    }
}

/// How many points an option's score would have to move for it to be
/// adopted, or to stop being adopted; `None` for a baseline or ruled-out
/// option, which points alone do not move. (Between considered and not
/// needed is a soft line: a plan is as settled as what it adopts.)
pub fn distance_to_change(
    baseline: bool,
    score: i32,
    ruled_out: bool,
    thresholds: PlanThresholds,
) -> Option<i32> {
    if baseline || ruled_out {
        return None;
    }
    let adopt_at = thresholds.adopt_at;
    Some(if score >= adopt_at {
        score - adopt_at + 1
    } else {
        adopt_at - score
    })
}

/// Positions of tied options in tie-break order: the higher tie-break key
/// first, then the topic's order of options.
pub fn tie_order(topic: &Topic, mut tied: Vec<usize>) -> Vec<usize> {
    tied.sort_by_key(|&i| (-topic.tie_break_key(&topic.options[i]), i));
    tied
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: PlanThresholds = PlanThresholds {
        adopt_at: 3,
        consider_at: 1,
    };

    #[test]
    fn a_plan_judges_each_option_on_its_own_score() {
        assert_eq!(adoption(false, 3, false, T), Adoption::Adopt);
        assert_eq!(adoption(false, 2, false, T), Adoption::Consider);
        assert_eq!(adoption(false, 1, false, T), Adoption::Consider);
        assert_eq!(adoption(false, 0, false, T), Adoption::NotNeeded);
        assert_eq!(adoption(true, -5, false, T), Adoption::Adopt, "a baseline");
        assert_eq!(adoption(true, 9, true, T), Adoption::NotNeeded, "ruled out");
    }

    #[test]
    fn distance_to_change_counts_points_to_the_adopt_threshold() {
        assert_eq!(distance_to_change(false, 3, false, T), Some(1));
        assert_eq!(distance_to_change(false, 6, false, T), Some(4));
        assert_eq!(distance_to_change(false, 2, false, T), Some(1));
        assert_eq!(distance_to_change(false, 1, false, T), Some(2));
        assert_eq!(distance_to_change(false, -2, false, T), Some(5));
        assert_eq!(distance_to_change(true, 0, false, T), None);
    }

    #[test]
    fn the_top_is_every_standing_option_with_the_best_score() {
        assert_eq!(
            top_code(&[2, 5, 5, 9], &[0, 0, 0, 1]),
            VerdictCode::Top(0b0110)
        );
        assert_eq!(top_code(&[2, 5], &[1, 1]), VerdictCode::NoOption);
        assert_eq!(top_code(&[7, 5], &[0, 0]), VerdictCode::Top(0b01));
    }
}
