//! The rule base compiled into the binary.
//!
//! `build.rs` validates `rules/` when tradeoff is built (an invalid built-in
//! rule base fails the build with the usual diagnostics) and embeds both the
//! TOML files, for explanations and `rules export`, and a snapshot of the
//! validated rule base, so that loading it costs no parsing at run time.

use crate::diagnostic::{DataError, Diagnostic};
use crate::rulebase::load::RuleBaseFiles;
use crate::rulebase::{RuleBase, snapshot};
use crate::source::SourceFile;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));
}

static SNAPSHOT: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/builtin_rules.bin"));

/// The built-in files, named `rules/...` as in the repository.
pub fn files() -> RuleBaseFiles {
    RuleBaseFiles::classify(
        embedded::FILES
            .iter()
            .map(|(rel, text)| {
                (
                    rel.to_string(),
                    SourceFile::from_static(format!("rules/{rel}"), text),
                )
            })
            .collect(),
    )
}

/// The fingerprint of the built-in rule base, as decision records cite it.
pub fn fingerprint() -> &'static str {
    embedded::FINGERPRINT
}

/// The rule base compiled into the binary.
pub fn rule_base() -> Result<RuleBase, DataError> {
    match snapshot::decode(SNAPSHOT, files(), "rules") {
        Ok(rb) => Ok(rb.with_fingerprint(embedded::FINGERPRINT)),
        // Not expected: the snapshot is made from these very files. Say so
        // and fall back to validating them.
        Err(e) => RuleBase::from_files(files(), "rules").map_err(|mut err| {
            err.diagnostics.push(Diagnostic::warning(e.to_string()));
            err
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_has_questions_and_topics() {
        let files = files();
        assert!(files.questions.is_some());
        assert!(files.topics.len() >= 3, "{:?}", files.topics.len());
        assert!(files.ignored.is_empty(), "{:?}", files.ignored);
    }

    #[test]
    fn the_snapshot_decodes_to_what_validation_builds() {
        let from_snapshot = crate::builtin::rule_base().unwrap();
        let validated = RuleBase::from_files(files(), "rules").unwrap();
        // Spans print their file name and range; the rest prints field by field.
        let parts = |rb: &RuleBase| {
            format!(
                "{:?}{:?}{:?}{:?}",
                rb.questions(),
                rb.topics(),
                rb.sources(),
                rb.risks()
            )
            .replace(char::is_whitespace, "")
        };
        assert_eq!(parts(&from_snapshot).len(), parts(&validated).len());
        assert!(parts(&from_snapshot) == parts(&validated));
        assert_eq!(from_snapshot.fingerprint(), validated.fingerprint());
        // What assembling works out: the evaluation order, the gates and
        // each topic's reads.
        let assembled = |rb: &RuleBase| {
            let topics: Vec<_> = rb.topics().iter().collect();
            let waves: Vec<Vec<&str>> = rb
                .decision_waves(&topics)
                .iter()
                .map(|wave| wave.iter().map(|t| t.id.as_str()).collect())
                .collect();
            let gates: Vec<&[usize]> = (0..rb.slot_count() as u32)
                .map(|slot| rb.gated_by(slot))
                .collect();
            let index: Vec<_> = topics.iter().map(|t| rb.topic_index(t)).collect();
            format!("{waves:?}{gates:?}{index:?}")
        };
        assert_eq!(assembled(&from_snapshot), assembled(&validated));
    }

    #[test]
    fn a_snapshot_of_another_format_or_damaged_is_refused() {
        let mut other = SNAPSHOT.to_vec();
        other[0] = other[0].wrapping_add(1);
        let refused = snapshot::decode(other.leak(), files(), "rules").err();
        assert!(matches!(
            refused,
            Some(snapshot::SnapshotError::OtherFormat(_))
        ));
        let truncated = &SNAPSHOT[..SNAPSHOT.len() / 2];
        let refused = snapshot::decode(truncated, files(), "rules").err();
        assert!(matches!(refused, Some(snapshot::SnapshotError::Damaged(_))));
        let mut longer = SNAPSHOT.to_vec();
        longer.push(0);
        let refused = snapshot::decode(longer.leak(), files(), "rules").err();
        assert!(matches!(refused, Some(snapshot::SnapshotError::Damaged(_))));
    }
}
