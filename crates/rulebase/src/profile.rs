//! Quality attributes and the options' profiles over them.
//!
//! Requirements decide most of a verdict; priorities decide close calls.
//! Each option rates itself on eight quality attributes, -2..=2 relative to
//! the other options of its topic (higher is better for the user: `cost = 2`
//! is the cheapest). A user's priorities weight the attributes, and
//! evaluation turns weight × rating into points traced like any rule.

use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::fmt;

/// The quality attributes a user can weigh. Keys are snake_case in TOML;
/// kebab-case is accepted on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Attribute {
    Cost,
    TimeToMarket,
    OperationalSimplicity,
    Latency,
    Scalability,
    Consistency,
    Availability,
    TeamFamiliarity,
}

impl Attribute {
    pub const ALL: [Attribute; 8] = [
        Attribute::Cost,
        Attribute::TimeToMarket,
        Attribute::OperationalSimplicity,
        Attribute::Latency,
        Attribute::Scalability,
        Attribute::Consistency,
        Attribute::Availability,
        Attribute::TeamFamiliarity,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Attribute::Cost => "cost",
            Attribute::TimeToMarket => "time_to_market",
            Attribute::OperationalSimplicity => "operational_simplicity",
            Attribute::Latency => "latency",
            Attribute::Scalability => "scalability",
            Attribute::Consistency => "consistency",
            Attribute::Availability => "availability",
            Attribute::TeamFamiliarity => "team_familiarity",
        }
    }

    /// What a rating of +2 means, for help texts and reports.
    pub fn label(self) -> &'static str {
        match self {
            Attribute::Cost => "low cost",
            Attribute::TimeToMarket => "time to market",
            Attribute::OperationalSimplicity => "operational simplicity",
            Attribute::Latency => "low latency",
            Attribute::Scalability => "throughput and scalability",
            Attribute::Consistency => "consistency",
            Attribute::Availability => "availability",
            Attribute::TeamFamiliarity => "team familiarity",
        }
    }

    /// Reads `time_to_market` or `time-to-market`.
    pub fn parse(key: &str) -> Option<Attribute> {
        let key = key.trim().replace('-', "_");
        Attribute::ALL.into_iter().find(|a| a.key() == key)
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Attribute {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// Lowest and highest rating.
pub const RATING_RANGE: std::ops::RangeInclusive<i64> = -2..=2;

/// An option's ratings, with why and where they come from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    /// By [`Attribute::index`].
    pub ratings: [i8; 8],
    #[serde(borrow)]
    pub why: Cow<'static, str>,
    pub sources: Vec<crate::ids::SourceId>,
}

impl Profile {
    pub fn rating(&self, attribute: Attribute) -> i32 {
        i32::from(self.ratings[attribute.index()])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_and_accept_kebab_case() {
        for a in Attribute::ALL {
            assert_eq!(Attribute::parse(a.key()), Some(a));
            assert_eq!(Attribute::parse(&a.key().replace('_', "-")), Some(a));
            assert_eq!(Attribute::ALL[a.index()], a);
        }
        assert_eq!(Attribute::parse("speed"), None);
    }
}
