//! A compact binary snapshot of a validated rule base.
//!
//! The built-in rule base is validated when tradeoff is built (`build.rs`
//! runs the same validator over `rules/` and fails the build on any problem)
//! and embedded as this snapshot, so an installed binary starts without
//! parsing a few hundred kilobytes of TOML. The rule-base types derive
//! serde's traits and the snapshot is their `postcard` encoding, after one
//! format byte that a build refuses unless it is its own.
//!
//! It holds the validated parts with each test's slot and compiled form (see
//! `RuleBase::slot` and `code`); loading assembles the rest as validation
//! does. Spans are stored as (file, byte range), the file being its position
//! among the rule base's files, so decoded spans point at the embedded
//! source files and explanations cite the same positions. The few types
//! whose own `Serialize` is a report's form (`Span`, `Value`, `Answer`) are
//! stored through the helpers here, named with `#[serde(with = ...)]` on
//! the fields that hold them.
//!
//! A rule base loaded with `--rules DIR` is parsed and validated as before.

use super::load::RuleBaseFiles;
use super::validate::Checked;
use super::{Question, Risk, RuleBase, Source, Topic};
use crate::ids::ChoiceId;
use crate::source::{SourceFile, Span};
use crate::value::{Answer, Value};
use serde::de::Error as _;
use serde::ser::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::cell::RefCell;
use std::collections::BTreeSet;
use std::sync::Arc;

/// The first byte of a snapshot: the layout of what follows. Change it with
/// any change to the stored types, so that a build never reads another's.
const FORMAT: u8 = 11;

/// A snapshot this build cannot read: made by another, or damaged.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error("the built-in rule base snapshot is in format {0}; this build reads format {FORMAT}")]
    OtherFormat(u8),
    #[error("the built-in rule base snapshot is damaged: {0}")]
    Damaged(String),
}

/// What a snapshot holds, in order.
type Parts = (Vec<Question>, Vec<Topic>, Vec<Source>, Vec<Risk>);

/// Encodes a validated rule base; its spans must lie in its own files.
pub fn encode(rb: &RuleBase) -> Result<Vec<u8>, postcard::Error> {
    let parts = (&rb.questions, &rb.topics, &rb.sources, &rb.risks);
    with_files(&rb.files, || postcard::to_extend(&parts, vec![FORMAT]))
}

/// Decodes a snapshot made by [`encode`] from a rule base of these files,
/// and assembles it.
pub fn decode(
    bytes: &'static [u8],
    files: RuleBaseFiles,
    origin: &str,
) -> Result<RuleBase, SnapshotError> {
    let Some((&format, stored)) = bytes.split_first() else {
        return Err(SnapshotError::Damaged("it is empty".into()));
    };
    if format != FORMAT {
        return Err(SnapshotError::OtherFormat(format));
    }
    let decoded = with_files(&files.all, || postcard::take_from_bytes::<Parts>(stored));
    let ((questions, topics, sources, risks), rest) =
        decoded.map_err(|e| SnapshotError::Damaged(e.to_string()))?;
    if !rest.is_empty() {
        let left = rest.len();
        return Err(SnapshotError::Damaged(format!("{left} bytes left over")));
    }
    let checked = Checked {
        questions,
        topics,
        sources,
        risks,
        warnings: Vec::new(),
    };
    Ok(RuleBase::assemble_slotted(checked, files, origin))
}

thread_local! {
    /// The files spans are numbered against while a snapshot is encoded or
    /// decoded: serde's derives pass no context to a field's helper.
    static FILES: RefCell<Vec<Arc<SourceFile>>> = const { RefCell::new(Vec::new()) };
}

/// Runs `f` with spans numbered against these files.
fn with_files<T>(files: &[(String, Arc<SourceFile>)], f: impl FnOnce() -> T) -> T {
    FILES.set(files.iter().map(|(_, file)| Arc::clone(file)).collect());
    let out = f();
    FILES.take();
    out
}

/// A [`Span`] as stored: its file's position among the rule base's files,
/// and its byte range. (Its own `Serialize` writes `file:line:column`.)
pub(crate) mod span {
    use super::*;

    pub fn serialize<S: Serializer>(span: &Span, serializer: S) -> Result<S::Ok, S::Error> {
        let file = FILES.with_borrow(|files| files.iter().position(|f| Arc::ptr_eq(f, &span.file)));
        let file = file.ok_or_else(|| {
            S::Error::custom(format_args!(
                "`{}` is not a rule base file",
                span.file.name()
            ))
        })?;
        (file, span.range.start, span.range.end).serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Span, D::Error> {
        let (file, start, end) = <(usize, usize, usize)>::deserialize(deserializer)?;
        let span = FILES.with_borrow(|files| files.get(file).map(|f| Span::new(f, start..end)));
        span.ok_or_else(|| D::Error::custom(format_args!("no rule base file {file}")))
    }
}

/// A [`Value`] as stored, by kind. (Its own `Serialize` is the bare value
/// JSON reports print, which does not say which kind it is.)
#[derive(Serialize, Deserialize)]
#[serde(remote = "Value")]
pub(crate) enum StoredValue {
    Choice(ChoiceId),
    Choices(BTreeSet<ChoiceId>),
    Number(f64),
    Bool(bool),
    Text(String),
}

/// An [`Answer`] as stored (see [`StoredValue`]).
#[derive(Serialize, Deserialize)]
#[serde(remote = "Answer")]
pub(crate) enum StoredAnswer {
    Known(#[serde(with = "StoredValue")] Value),
    Unknown,
}

/// A question's default as stored (see [`StoredAnswer`]).
pub(crate) mod optional_answer {
    use super::*;

    #[derive(Serialize)]
    struct Borrowed<'a>(#[serde(with = "StoredAnswer")] &'a Answer);

    #[derive(Deserialize)]
    struct Owned(#[serde(with = "StoredAnswer")] Answer);

    pub fn serialize<S: Serializer>(
        answer: &Option<Answer>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        answer.as_ref().map(Borrowed).serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Answer>, D::Error> {
        Ok(Option::<Owned>::deserialize(deserializer)?.map(|Owned(answer)| answer))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{RuleBaseBuilder, TopicBuilder};
    use std::borrow::Cow;

    /// A rule base with every kind of question, default and compared value,
    /// a source, a profile, a linked decision and a risk.
    fn rules() -> RuleBaseBuilder {
        RuleBaseBuilder::new()
            .question("team", |q| {
                q.number()
                    .section("People")
                    .unit("engineers")
                    .min(1.0)
                    .integer()
                    .default_answer("4")
            })
            .question("clients", |q| {
                q.multi(&["web", "mobile"])
                    .field(
                        "choices",
                        r#"[{ id = "web", label = "Web", help = "Browsers" }, { id = "mobile", label = "Mobile" }]"#,
                    )
                    .default_answer(r#"["web"]"#)
            })
            .question("shape", |q| {
                q.single(&["rows", "documents"])
                    .allow_unknown()
                    .default_answer(r#""unknown""#)
            })
            .question("legacy", |q| q.boolean().default_answer("true"))
            .question("name", |q| {
                q.text().default_answer(r#""ledger""#).when(
                    r#"{ all = [{ q = "team", gt = 2 }, { not = { q = "legacy", eq = false } }] }"#,
                )
            })
            .source("S1", |s| s.title("A book").url("https://example.com"))
            .topic("store", store)
            .topic("cache", |t| {
                t.order(2).options(&["none", "redis"]).rule_with(
                    "documents-need-no-cache",
                    |r| {
                        r.when(r#"{ decision = "store", eq = "documents" }"#)
                            .score(&[("none", 1)])
                            .sources(&["S1"])
                    },
                )
            })
            .risk_with("big-team-documents", |r| {
                r.when(r#"{ all = [{ q = "team", gte = 20 }, { decision = "store", ne = "sql" }] }"#)
                    .topics(&["store"])
                    .sources(&["S1"])
            })
    }

    fn store(t: TopicBuilder) -> TopicBuilder {
        t.option("sql", |o| {
            o.name("SQL")
                .good(&["Joins"])
                .bad(&["Schema changes"])
                .profile(
                    &[
                        ("cost", 1),
                        ("time_to_market", 1),
                        ("operational_simplicity", 1),
                        ("consistency", 2),
                        ("team_familiarity", 2),
                    ],
                    "Well known.",
                )
                .field("profile_sources", r#"["S1"]"#)
        })
        .options(&["documents"])
        .rule_with("rows-keep-sql", |r| {
            r.when(r#"{ any = [{ q = "shape", in = ["rows"] }, { q = "name", eq = "ledger" }] }"#)
                .score(&[("sql", 2), ("documents", -1)])
                .advice("Index the foreign keys.")
                .sources(&["S1"])
                .reviewed("2026-01-02")
                .evidence("known")
        })
        .rule_with("mobile-and-unknown-shape", |r| {
            r.when(
                r#"{ all = [{ q = "clients", contains = "mobile" }, { q = "shape", answered = false }, { q = "team", lte = 3.5 }] }"#,
            )
            .exclude(&["sql"])
        })
    }

    fn files() -> RuleBaseFiles {
        rules().files()
    }

    fn parts(rb: &RuleBase) -> String {
        format!(
            "{:?}{:?}{:?}{:?}",
            rb.questions, rb.topics, rb.sources, rb.risks
        )
    }

    #[test]
    fn a_rule_base_decodes_to_what_was_encoded() {
        let rb = RuleBase::from_files(files(), "test").unwrap();
        let bytes: &'static [u8] = encode(&rb).unwrap().leak();
        let decoded = decode(bytes, files(), "test").unwrap();
        assert_eq!(parts(&decoded), parts(&rb));
        let location = |rb: &RuleBase| {
            let rule = rb.rule("mobile-and-unknown-shape").map(|(_, r)| r);
            rule.map(|r| r.span.location().to_string())
        };
        assert_eq!(location(&decoded), location(&rb));
        assert!(location(&rb).is_some());
        // Every kind of default and of compared value is in there.
        for kind in [
            "Number(4.0)",
            "Choices({",
            "Unknown",
            "Bool(true)",
            "Text(\"ledger\")",
        ] {
            assert!(parts(&rb).contains(kind), "{kind}");
        }
        // Direct text fields borrow from the snapshot.
        assert!(matches!(decoded.questions[0].label, Cow::Borrowed("Team")));
    }

    #[test]
    fn a_span_outside_the_rule_base_files_is_not_encoded() {
        let mut rb = RuleBase::from_files(files(), "test").unwrap();
        let elsewhere = SourceFile::new("elsewhere.toml", "x = 1");
        rb.sources[0].span = Span::new(&elsewhere, 0..1);
        assert!(encode(&rb).is_err());
    }
}
