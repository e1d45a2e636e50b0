//! Priorities: how much the user cares about each quality attribute.
//!
//! Requirements (the answers) decide most of a verdict; priorities tilt the
//! close calls. A preset (`--optimize cost`) or explicit weights
//! (`--weight latency=2`) weight the eight quality attributes 0..=3, and each
//! weighted attribute becomes one rule per topic that gives every option
//! weight × its profile rating. Being rules, priorities are traced like
//! requirements: every point names the attribute, the ratings and why.

use crate::ids::{RuleId, SourceId};
use crate::rulebase::{Attribute, Rule, RuleBase, RuleOrigin, Topic};
use serde::Serialize;
use std::collections::BTreeSet;
use std::fmt::Write as _;

/// The largest weight: 3 × a rating of 2 is 6 points, a little more than
/// one strong rule, so priorities decide close calls, not clear ones.
pub const MAX_WEIGHT: u8 = 3;

/// Named sets of weights for common goals.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Preset {
    /// Low cost first, then operational simplicity.
    Cost,
    /// Time to market first, then what the team already knows.
    SpeedToMarket,
    /// Availability first, then consistency.
    Resilience,
    /// Latency first, then throughput and scalability.
    Performance,
}

impl Preset {
    pub fn weights(self) -> [(Attribute, u8); 2] {
        match self {
            Preset::Cost => [(Attribute::Cost, 2), (Attribute::OperationalSimplicity, 1)],
            Preset::SpeedToMarket => [
                (Attribute::TimeToMarket, 2),
                (Attribute::TeamFamiliarity, 1),
            ],
            Preset::Resilience => [(Attribute::Availability, 2), (Attribute::Consistency, 1)],
            Preset::Performance => [(Attribute::Latency, 2), (Attribute::Scalability, 1)],
        }
    }
}

/// A weight per attribute, 0 (indifferent) to [`MAX_WEIGHT`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Weights([u8; 8]);

impl Weights {
    /// Presets first, in order (a later one raises, never lowers, a weight),
    /// then explicit `attribute=weight` settings, which win.
    pub fn build(presets: &[Preset], explicit: &[String]) -> Result<Weights, String> {
        let mut w = Weights::default();
        for preset in presets {
            for (a, n) in preset.weights() {
                w.0[a.index()] = w.0[a.index()].max(n);
            }
        }
        for setting in explicit {
            let (a, n) = parse_setting(setting)?;
            w.0[a.index()] = n;
        }
        Ok(w)
    }

    pub fn get(&self, a: Attribute) -> u8 {
        self.0[a.index()]
    }

    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|w| *w == 0)
    }

    /// The non-zero weights, in attribute order.
    pub fn iter(&self) -> impl Iterator<Item = (Attribute, u8)> + '_ {
        Attribute::ALL
            .into_iter()
            .map(|a| (a, self.get(a)))
            .filter(|(_, w)| *w > 0)
    }

    /// `cost=2, operational_simplicity=1`, for records and reports.
    pub fn describe(&self) -> String {
        self.iter()
            .map(|(a, w)| format!("{a}={w}"))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The rules these weights add: one per weighted attribute per topic
    /// whose options have profiles.
    pub fn rules(&self, rb: &RuleBase) -> Vec<Rule> {
        let mut out = Vec::new();
        for topic in rb.topics() {
            for (attribute, weight) in self.iter() {
                if let Some(rule) = priority_rule(topic, attribute, weight) {
                    out.push(rule);
                }
            }
        }
        out
    }
}

fn parse_setting(setting: &str) -> Result<(Attribute, u8), String> {
    let attributes = || {
        Attribute::ALL
            .iter()
            .map(|a| format!("`{a}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let Some((key, value)) = setting.split_once('=') else {
        return Err(format!(
            "invalid weight `{setting}`: expected ATTRIBUTE=WEIGHT, e.g. `latency=2`"
        ));
    };
    let Some(attribute) = Attribute::parse(key) else {
        let mut message = format!("unknown quality attribute `{}`", key.trim());
        if let Some(best) = crate::diagnostic::did_you_mean(
            &key.trim().replace('-', "_"),
            Attribute::ALL.iter().map(|a| a.key()),
        ) {
            let _ = write!(message, "\n  help: did you mean `{best}`?");
        }
        let _ = write!(message, "\n  help: attributes are {}", attributes());
        return Err(message);
    };
    match value.trim().parse::<u8>() {
        Ok(n) if n <= MAX_WEIGHT => Ok((attribute, n)),
        _ => Err(format!(
            "invalid weight `{}` for `{attribute}`: expected a whole number from 0 to {MAX_WEIGHT}",
            value.trim()
        )),
    }
}

fn priority_rule(topic: &Topic, attribute: Attribute, weight: u8) -> Option<Rule> {
    let weight = i32::from(weight);
    let score: Vec<_> = topic
        .options
        .iter()
        .filter_map(|o| {
            let rating = o.profile.as_ref()?.rating(attribute);
            (rating != 0).then(|| (o.id.clone(), weight * rating))
        })
        .collect();
    if score.is_empty() {
        return None;
    }
    let mut rationale = format!(
        "You weighted {} at {weight}. Each option's rating on it (-2 to 2, relative to the \
         other options of this topic) is multiplied by the weight:",
        attribute.label()
    );
    let mut sources: BTreeSet<SourceId> = BTreeSet::new();
    for o in &topic.options {
        let Some(profile) = &o.profile else { continue };
        let _ = write!(
            rationale,
            " {} {:+} ({});",
            o.id,
            profile.rating(attribute),
            profile.why.trim_end_matches('.')
        );
        sources.extend(profile.sources.iter().cloned());
    }
    rationale.pop();
    rationale.push('.');
    Some(Rule {
        id: RuleId::new(format!("priority:{}:{attribute}", topic.id).as_str()),
        topic: topic.id.clone(),
        summary: format!("Your priorities weigh {} ×{weight}", attribute.label()).into(),
        when: None,
        score,
        exclude: Vec::new(),
        advice: None,
        rationale: rationale.into(),
        sources: sources.into_iter().collect(),
        reviewed: None,
        evidence: None,
        origin: RuleOrigin::Priority,
        span: topic.span.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_combine_by_maximum_and_explicit_weights_win() {
        let w = Weights::build(&[Preset::Cost, Preset::Performance], &["cost=0".into()]).unwrap();
        assert_eq!(
            w.describe(),
            "operational_simplicity=1, latency=2, scalability=1"
        );
        assert!(Weights::build(&[], &[]).unwrap().is_empty());
    }

    #[test]
    fn bad_settings_say_what_was_expected() {
        let e = Weights::build(&[], &["latncy=2".into()]).unwrap_err();
        assert!(e.contains("unknown quality attribute `latncy`"), "{e}");
        assert!(e.contains("did you mean `latency`?"), "{e}");
        let e = Weights::build(&[], &["latency=9".into()]).unwrap_err();
        assert!(e.contains("from 0 to 3"), "{e}");
        let e = Weights::build(&[], &["latency".into()]).unwrap_err();
        assert!(e.contains("ATTRIBUTE=WEIGHT"), "{e}");
        assert_eq!(
            Weights::build(&[], &["time-to-market=3".into()])
                .unwrap()
                .describe(),
            "time_to_market=3"
        );
    }
}
