//! Checks an option's profile: its ratings on every quality attribute,
//! each in range, with why they are so and where that comes from.

use super::{Validator, and_list, sp};
use crate::Source;
use crate::diagnostic::Diagnostic;
use crate::profile::{Attribute, Profile, RATING_RANGE};
use crate::raw;
use crate::source::{SourceFile, Span};
use std::collections::BTreeMap;
use std::sync::Arc;
use toml::Spanned;

/// A profile as written: a rating by attribute key.
type Ratings = Spanned<BTreeMap<Spanned<String>, Spanned<i64>>>;

impl Validator {
    /// An option's profile: every attribute rated in range, with why and sources.
    pub(super) fn profile(
        &mut self,
        file: &Arc<SourceFile>,
        option: &raw::RawOption,
        what: &str,
        span: &Span,
        registry: &[Source],
    ) -> Option<Profile> {
        let Some(table) = &option.profile else {
            for (key, present) in [
                ("profile_why", option.profile_why.is_some()),
                ("profile_sources", option.profile_sources.is_some()),
            ] {
                if present {
                    self.error(
                        Diagnostic::error(format!("{what} has `{key}` but no `profile`"))
                            .at(span, "defined here")
                            .help(profile_help()),
                    );
                }
            }
            return None;
        };
        let ratings = self.ratings(file, table, what);
        let why = self.text(&option.profile_why, "profile_why", what, span);
        let sources = self.cited(file, &option.profile_sources, what, span, registry);
        let ratings = ratings?;
        if why.is_empty() || sources.is_empty() {
            return None;
        }
        Some(Profile {
            ratings,
            why: why.into(),
            sources,
        })
    }

    /// Every attribute rated once, in range, by [`Attribute::index`];
    /// `None` once a mistake is reported.
    fn ratings(&mut self, file: &Arc<SourceFile>, table: &Ratings, what: &str) -> Option<[i8; 8]> {
        let at = sp(file, table);
        let mut ratings: [Option<i8>; 8] = [None; 8];
        let mut ok = true;
        for (key, value) in table.get_ref() {
            let Some(attribute) = Attribute::parse(key.get_ref()) else {
                self.error(
                    Diagnostic::error(format!("unknown quality attribute `{}`", key.get_ref()))
                        .at(&sp(file, key), "not an attribute")
                        .suggest(key.get_ref(), Attribute::ALL.iter().map(|a| a.key())),
                );
                ok = false;
                continue;
            };
            let rating = *value.get_ref();
            if !RATING_RANGE.contains(&rating) {
                self.error(
                    Diagnostic::error(format!(
                        "a rating must be between {} and {}",
                        RATING_RANGE.start(),
                        RATING_RANGE.end()
                    ))
                    .at(&sp(file, value), "out of range")
                    .help("0 is typical among the topic's options; +2 clearly the best of them"),
                );
                ok = false;
                continue;
            }
            ratings[attribute.index()] = i8::try_from(rating).ok();
        }
        let missing: Vec<String> = Attribute::ALL
            .iter()
            .filter(|a| ratings[a.index()].is_none())
            .map(|a| format!("`{}`", a.key()))
            .collect();
        if ok && !missing.is_empty() {
            self.error(
                Diagnostic::error(format!(
                    "the profile of {what} lacks {}",
                    and_list(&missing)
                ))
                .at(&at, "incomplete profile")
                .help("rate all eight attributes; 0 means typical among the topic's options"),
            );
            ok = false;
        }
        if !ok {
            return None;
        }
        let mut out = [0i8; 8];
        for (slot, rating) in out.iter_mut().zip(ratings) {
            *slot = rating.unwrap_or(0);
        }
        Some(out)
    }
}

fn profile_help() -> String {
    format!(
        "add `profile = {{ {} }}` (each -2..2)",
        Attribute::ALL
            .iter()
            .map(|a| format!("{} = 0", a.key()))
            .collect::<Vec<_>>()
            .join(", ")
    )
}
