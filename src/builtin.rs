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
use std::sync::Arc;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));
}

static SNAPSHOT: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/builtin_rules.bin"));
/// The snapshot's strings: text the compiler has checked, borrowed as is.
static SNAPSHOT_TEXT: &str = include_str!(concat!(env!("OUT_DIR"), "/builtin_rules.txt"));

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
    let files = files();
    let table: Vec<Arc<SourceFile>> = files.all.iter().map(|(_, f)| Arc::clone(f)).collect();
    match snapshot::decode(SNAPSHOT, SNAPSHOT_TEXT, &table) {
        Ok((checked, derived)) => {
            Ok(
                RuleBase::assemble_with(checked, Some(derived), files, "rules")
                    .with_fingerprint(embedded::FINGERPRINT),
            )
        }
        // Not expected: the snapshot is made from these very files. Say so
        // and fall back to validating them.
        Err(e) => RuleBase::from_files(files, "rules").map_err(|mut err| {
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
        let strip = |rb: &RuleBase| {
            format!("{:?}{:?}{:?}", rb.questions(), rb.topics(), rb.sources())
                .replace(char::is_whitespace, "")
        };
        assert_eq!(strip(&from_snapshot).len(), strip(&validated).len());
        assert!(strip(&from_snapshot) == strip(&validated));
        assert_eq!(from_snapshot.fingerprint(), validated.fingerprint());
        // What assembling works out: stored in the snapshot, worked out here.
        let derived = |rb: &RuleBase| format!("{:?}", rb.derived());
        assert_eq!(derived(&from_snapshot), derived(&validated));
    }

    #[test]
    fn an_id_order_that_does_not_fit_is_not_trusted() {
        let files = files();
        let table: Vec<Arc<SourceFile>> = files.all.iter().map(|(_, f)| Arc::clone(f)).collect();
        let (checked, mut derived) = snapshot::decode(SNAPSHOT, SNAPSHOT_TEXT, &table).unwrap();
        // One rule listed twice and another not at all; questions out of order.
        let first = derived.rules_by_id[0];
        derived.rules_by_id.pop();
        derived.rules_by_id.push(first);
        derived.questions_by_id.reverse();
        let rb = RuleBase::assemble_with(checked, Some(derived), files, "rules");
        for topic in rb.topics() {
            for rule in &topic.rules {
                let found = rb.rule(rule.id.as_str()).map(|(_, r)| &r.id);
                assert_eq!(found, Some(&rule.id));
            }
        }
        for question in rb.questions() {
            let found = rb.question(question.id.as_str()).map(|q| &q.id);
            assert_eq!(found, Some(&question.id));
        }
    }
}
