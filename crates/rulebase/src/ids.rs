//! Identifier newtypes.
//!
//! Questions, topics, options, rules, choices and sources are all named by
//! strings in the TOML files. Wrapping each kind in its own type means the
//! compiler refuses to look up a rule by a question id, and signatures say
//! what they take. All ids order by their text so every map keyed by them
//! iterates deterministically.
//!
//! An id is a shared string (`Arc<str>`): evaluation copies ids into every
//! outcome, trace and reason, and a copy is then a counter increment, not
//! an allocation; equal ids shared from one place compare by pointer first.

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use std::borrow::Borrow;
use std::fmt;
use std::sync::Arc;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(transparent)]
        pub struct $name(Arc<str>);

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_str(SharedStr).map(Self)
            }
        }

        impl $name {
            pub fn new(id: impl Into<Arc<str>>) -> Self {
                Self(id.into())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl From<&str> for $name {
            fn from(id: &str) -> Self {
                Self(Arc::from(id))
            }
        }
    };
}

/// Reads an id's text straight into its shared string: one allocation,
/// where going through `String` (serde's way to an `Arc<str>`) takes two.
struct SharedStr;

impl Visitor<'_> for SharedStr {
    type Value = Arc<str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Arc<str>, E> {
        Ok(Arc::from(text))
    }
}

id_type!(
    /// A question of the questionnaire, e.g. `team_size`.
    QuestionId
);
id_type!(
    /// A decision topic, e.g. `data-store`.
    TopicId
);
id_type!(
    /// An option of one topic, e.g. `relational`.
    OptionId
);
id_type!(
    /// A rule, unique across the whole rule base, e.g. `relational-is-the-default`.
    RuleId
);
id_type!(
    /// A choice of a single- or multiple-choice question, e.g. `read_heavy`.
    ChoiceId
);
id_type!(
    /// A cited source, e.g. `S1` or `C20`.
    SourceId
);

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn ids_order_by_text_and_look_up_by_str() {
        let mut map = BTreeMap::new();
        map.insert(OptionId::new("rest"), 1);
        map.insert(OptionId::new("graphql"), 2);
        assert_eq!(map.keys().next().map(OptionId::as_str), Some("graphql"));
        assert_eq!(map.get("rest"), Some(&1));
    }
}
