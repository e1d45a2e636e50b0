//! How often tradeoff agrees with what real teams chose.
//!
//! A scenario built from a real, documented decision keeps two things apart:
//! what tradeoff says today (`winner`, `adopt`, `next_step`: the regression
//! guard, which must hold) and what the team really chose (`team_chose =
//! "OPTION"`, or `team_adopted = [...]` for a plan). Where the two differ the
//! scenario still passes, and the disagreement is counted, not hidden: `rules
//! test` reports the agreement over every scenario that names the team's
//! choice, as the share of verdicts that match it and the share that have it
//! in their top two, and the same per topic, so that a rule author sees
//! where the knowledge disagrees with real teams most.

use crate::eval::{TopicOutcome, Verdict};
use crate::ids::{OptionId, TopicId};
use crate::words::count;
use std::collections::{BTreeMap, BTreeSet};

/// What the real team chose for one topic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TeamChoice {
    /// One option: the winner, or for a staged topic the next step.
    One(OptionId),
    /// A combination topic's plan: the options adopted.
    Adopted(BTreeSet<OptionId>),
}

/// How one verdict compares with the team's choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Agreement {
    /// For one option: the team's; for a plan: exactly the team's set.
    pub agrees: bool,
    /// For one option: among the top two; `None` for a plan.
    pub top_two: Option<bool>,
}

impl TeamChoice {
    /// Compares the team's choice with what the topic came to. A staged
    /// topic is compared by its next step; a tie never agrees (the team
    /// chose), but a tied option is in the top two.
    pub fn compare(&self, outcome: &TopicOutcome) -> Agreement {
        match self {
            TeamChoice::One(chosen) => {
                let picked = match &outcome.next {
                    Some(next) if next.tied.is_empty() => Some(&next.next_step),
                    Some(_) => None,
                    None => match &outcome.verdict {
                        Verdict::Winner(w) => Some(w),
                        _ => None,
                    },
                };
                Agreement {
                    agrees: picked == Some(chosen),
                    top_two: Some(in_top_two(outcome, chosen)),
                }
            }
            TeamChoice::Adopted(set) => {
                let adopted: BTreeSet<&OptionId> = match &outcome.verdict {
                    Verdict::Plan { adopt, .. } => adopt.iter().collect(),
                    _ => BTreeSet::new(),
                };
                Agreement {
                    agrees: adopted == set.iter().collect(),
                    top_two: None,
                }
            }
        }
    }
}

/// Whether the option is the next step, or ranked first or second among
/// the options still standing.
fn in_top_two(outcome: &TopicOutcome, option: &OptionId) -> bool {
    if let Some(next) = &outcome.next
        && (&next.next_step == option || next.tied.contains(option))
    {
        return true;
    }
    outcome
        .ranking
        .iter()
        .filter(|r| r.excluded_by.is_empty())
        .take(2)
        .any(|r| &r.option == option)
}

/// The agreement over a suite: one-option verdicts and plans counted apart,
/// in all and per topic.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    pub all: Count,
    pub by_topic: BTreeMap<TopicId, Count>,
}

/// Agreements counted over some verdicts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Count {
    pub one: usize,
    pub one_agrees: usize,
    pub one_top_two: usize,
    pub plans: usize,
    pub plans_agree: usize,
}

impl Count {
    fn add(&mut self, agreement: Agreement) {
        match agreement.top_two {
            Some(top_two) => {
                self.one += 1;
                self.one_agrees += usize::from(agreement.agrees);
                self.one_top_two += usize::from(top_two);
            }
            None => {
                self.plans += 1;
                self.plans_agree += usize::from(agreement.agrees);
            }
        }
    }

    /// One topic's share, as `agrees/verdicts`, plans apart.
    fn brief(&self) -> String {
        let mut parts = Vec::new();
        if self.one > 0 {
            parts.push(format!("{}/{}", self.one_agrees, self.one));
        }
        if self.plans > 0 {
            parts.push(format!(
                "{}/{}",
                self.plans_agree,
                count(self.plans, "plan", "plans")
            ));
        }
        parts.join(", ")
    }
}

impl Tally {
    pub fn add(&mut self, topic: &TopicId, agreement: Agreement) {
        self.all.add(agreement);
        self.by_topic
            .entry(topic.clone())
            .or_default()
            .add(agreement);
    }

    /// The report's lines, or `None` when no scenario named a team's choice.
    pub fn render(&self) -> Option<String> {
        let all = &self.all;
        if all.one + all.plans == 0 {
            return None;
        }
        let mut line = format!(
            "real decisions: tradeoff agrees with the team's choice in {} of {} verdicts ({}), \
             and has it in its top two in {} ({})",
            all.one_agrees,
            all.one,
            percent(all.one_agrees, all.one),
            all.one_top_two,
            percent(all.one_top_two, all.one)
        );
        if all.plans > 0 {
            line.push_str(&format!(
                "; it adopts exactly the team's set in {} of {}",
                all.plans_agree,
                count(all.plans, "plan", "plans")
            ));
        }
        let topics: Vec<String> = self
            .by_topic
            .iter()
            .map(|(topic, share)| format!("{topic} {}", share.brief()))
            .collect();
        line.push_str(&format!("\n  by topic: {}", topics.join(" · ")));
        Some(line)
    }
}

fn percent(part: usize, whole: usize) -> String {
    if whole == 0 {
        return "-".to_owned();
    }
    format!("{} %", (part * 100 + whole / 2) / whole)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tally_counts_verdicts_and_plans_apart_in_all_and_per_topic() {
        let db = TopicId::new("db-scaling");
        let resilience = TopicId::new("resilience");
        let mut tally = Tally::default();
        tally.add(
            &db,
            Agreement {
                agrees: true,
                top_two: Some(true),
            },
        );
        tally.add(
            &db,
            Agreement {
                agrees: false,
                top_two: Some(true),
            },
        );
        tally.add(
            &db,
            Agreement {
                agrees: false,
                top_two: Some(false),
            },
        );
        tally.add(
            &resilience,
            Agreement {
                agrees: true,
                top_two: None,
            },
        );
        assert_eq!(
            tally.render().unwrap(),
            "real decisions: tradeoff agrees with the team's choice in 1 of 3 verdicts (33 %), \
             and has it in its top two in 2 (67 %); it adopts exactly the team's set in 1 of 1 plan\n  \
             by topic: db-scaling 1/3 · resilience 1/1 plan"
        );
        assert_eq!(Tally::default().render(), None);
    }
}
