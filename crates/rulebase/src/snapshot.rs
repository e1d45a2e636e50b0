//! A compact binary snapshot of a validated rule base.
//!
//! The built-in rule base is validated when tradeoff is built (`build.rs`
//! runs the same validator over `rules/` and fails the build on any problem)
//! and embedded as this snapshot, so an installed binary starts without
//! parsing a few hundred kilobytes of TOML: decoding is a fraction of a
//! millisecond. Spans are stored as (file index, byte range) into the
//! embedded source files, so explanations and positions are unchanged.
//! It is the rule base as assembled: tests keep the slots the rule base
//! numbered them with (see `RuleBase::slot`), and the evaluation order, the
//! questionnaire's gates and each topic's reads (`index`) are stored, so
//! loading looks no id up and works nothing out again. Its strings are kept
//! apart, together, and embedded with `include_str!`, so the compiler has
//! checked them as UTF-8 and loading borrows them, neither checking nor
//! copying.
//! A rule base loaded with `--rules DIR` is parsed and validated as before.

use super::code::{Cmp, Fast};
use super::condition::{CondNode, Condition, Op, Test};
use super::index::TopicIndex;
use super::profile::Profile;
use super::question::{Choice, NumberSpec, Question, QuestionKind};
use super::risk::{Risk, RiskKind, Severity};
use super::topic::{Evidence, Rule, RuleOrigin, Topic, TopicOption};
use super::validate::Checked;
use super::{Derived, RuleBase, Source};
use crate::ids::{ChoiceId, OptionId, QuestionId, RuleId, SourceId, TopicId};
use crate::source::{SourceFile, Span, Text};
use crate::value::{Answer, Value};
use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

const MAGIC: &[u8; 8] = b"TRDOFF09";

/// A snapshot that does not decode: a build and its data disagree.
#[derive(Debug, thiserror::Error)]
#[error("the built-in rule base snapshot is damaged: {0}")]
pub struct SnapshotError(String);

pub struct Writer<'a> {
    buf: Vec<u8>,
    /// Every string, one after the other: kept apart from the rest and
    /// embedded as a `&str`, so that loading borrows them unchecked.
    text: String,
    files: &'a [Arc<SourceFile>],
    /// Ids written so far, by their number in the snapshot.
    ids: HashMap<String, u32>,
}

pub struct Reader<'a> {
    bytes: &'static [u8],
    /// The snapshot's strings, checked once.
    text: &'static str,
    pos: usize,
    files: &'a [Arc<SourceFile>],
    /// Ids decoded so far, by their number in the snapshot.
    ids: Vec<Arc<str>>,
}

type R<T> = Result<T, SnapshotError>;

trait Codec: Sized {
    fn put(&self, w: &mut Writer<'_>);
    fn get(r: &mut Reader<'_>) -> R<Self>;
}

impl Writer<'_> {
    fn bytes(&mut self, b: &[u8]) {
        self.buf.extend_from_slice(b);
    }

    /// A string: its length, then its bytes.
    fn str(&mut self, text: &str) {
        self.text.len().put(self);
        text.len().put(self);
        self.text.push_str(text);
    }

    /// See [`Reader::id`].
    fn id(&mut self, id: &str) {
        match self.ids.get(id) {
            Some(&number) => number.put(self),
            None => {
                let number = self.ids.len() as u32;
                self.ids.insert(id.to_owned(), number);
                number.put(self);
                self.str(id);
            }
        }
    }
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> R<&'static [u8]> {
        let end = self.pos.checked_add(n).filter(|e| *e <= self.bytes.len());
        let end = end.ok_or_else(|| SnapshotError(format!("truncated at byte {}", self.pos)))?;
        let out = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(out)
    }

    fn array<const N: usize>(&mut self) -> R<[u8; N]> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }
}

impl Codec for u8 {
    fn put(&self, w: &mut Writer<'_>) {
        w.bytes(&[*self]);
    }
    fn get(r: &mut Reader<'_>) -> R<Self> {
        Ok(r.array::<1>()?[0])
    }
}

impl Codec for u32 {
    fn put(&self, w: &mut Writer<'_>) {
        w.bytes(&self.to_le_bytes());
    }
    fn get(r: &mut Reader<'_>) -> R<Self> {
        Ok(u32::from_le_bytes(r.array()?))
    }
}

impl Codec for i64 {
    fn put(&self, w: &mut Writer<'_>) {
        w.bytes(&self.to_le_bytes());
    }
    fn get(r: &mut Reader<'_>) -> R<Self> {
        Ok(i64::from_le_bytes(r.array()?))
    }
}

impl Codec for u64 {
    fn put(&self, w: &mut Writer<'_>) {
        w.bytes(&self.to_le_bytes());
    }
    fn get(r: &mut Reader<'_>) -> R<Self> {
        Ok(u64::from_le_bytes(r.array()?))
    }
}

impl Codec for i32 {
    fn put(&self, w: &mut Writer<'_>) {
        w.bytes(&self.to_le_bytes());
    }
    fn get(r: &mut Reader<'_>) -> R<Self> {
        Ok(i32::from_le_bytes(r.array()?))
    }
}

impl Codec for f64 {
    fn put(&self, w: &mut Writer<'_>) {
        w.bytes(&self.to_bits().to_le_bytes());
    }
    fn get(r: &mut Reader<'_>) -> R<Self> {
        Ok(f64::from_bits(u64::from_le_bytes(r.array()?)))
    }
}

impl Codec for bool {
    fn put(&self, w: &mut Writer<'_>) {
        u8::from(*self).put(w);
    }
    fn get(r: &mut Reader<'_>) -> R<Self> {
        Ok(u8::get(r)? != 0)
    }
}

impl Codec for usize {
    fn put(&self, w: &mut Writer<'_>) {
        (*self as u32).put(w);
    }
    fn get(r: &mut Reader<'_>) -> R<Self> {
        Ok(u32::get(r)? as usize)
    }
}

impl Reader<'_> {
    /// A string, as text borrowed from the snapshot.
    fn str(&mut self) -> R<&'static str> {
        let start = usize::get(self)?;
        let len = usize::get(self)?;
        let text = self.text;
        start
            .checked_add(len)
            .and_then(|end| text.get(start..end))
            .ok_or_else(|| SnapshotError(format!("a string is out of bounds at byte {}", self.pos)))
    }

    /// An id: its number, followed by its text the first time. The many
    /// copies of an id (every test of a question, every rule of a topic)
    /// decode to one shared string.
    fn id(&mut self) -> R<Arc<str>> {
        let number = usize::get(self)?;
        if let Some(shared) = self.ids.get(number) {
            return Ok(Arc::clone(shared));
        }
        if number != self.ids.len() {
            return Err(SnapshotError(format!(
                "id {number} used before it is defined"
            )));
        }
        let shared: Arc<str> = Arc::from(self.str()?);
        self.ids.push(Arc::clone(&shared));
        Ok(shared)
    }
}

impl Codec for String {
    fn put(&self, w: &mut Writer<'_>) {
        w.str(self);
    }
    fn get(r: &mut Reader<'_>) -> R<Self> {
        r.str().map(str::to_owned)
    }
}

/// Text is borrowed from the snapshot, which is compiled into the binary.
impl Codec for Text {
    fn put(&self, w: &mut Writer<'_>) {
        w.str(self);
    }
    fn get(r: &mut Reader<'_>) -> R<Self> {
        r.str().map(Cow::Borrowed)
    }
}

impl Codec for BTreeSet<QuestionId> {
    fn put(&self, w: &mut Writer<'_>) {
        self.len().put(w);
        for id in self {
            id.put(w);
        }
    }
    fn get(r: &mut Reader<'_>) -> R<Self> {
        Ok(Vec::<QuestionId>::get(r)?.into_iter().collect())
    }
}

impl Codec for TopicIndex {
    fn put(&self, w: &mut Writer<'_>) {
        self.reads.put(w);
        self.relevant.put(w);
        self.upstream.put(w);
        self.starts.put(w);
        self.readers.put(w);
        self.effects.put(w);
        self.numeric.put(w);
    }
    fn get(r: &mut Reader<'_>) -> R<Self> {
        Ok(TopicIndex {
            reads: Codec::get(r)?,
            relevant: Codec::get(r)?,
            upstream: Codec::get(r)?,
            starts: Codec::get(r)?,
            readers: Codec::get(r)?,
            effects: Codec::get(r)?,
            numeric: Codec::get(r)?,
        })
    }
}

impl<T: Codec> Codec for Option<T> {
    fn put(&self, w: &mut Writer<'_>) {
        match self {
            Some(v) => {
                true.put(w);
                v.put(w);
            }
            None => false.put(w),
        }
    }
    fn get(r: &mut Reader<'_>) -> R<Self> {
        Ok(if bool::get(r)? {
            Some(T::get(r)?)
        } else {
            None
        })
    }
}

impl<T: Codec> Codec for Vec<T> {
    fn put(&self, w: &mut Writer<'_>) {
        self.len().put(w);
        for item in self {
            item.put(w);
        }
    }
    fn get(r: &mut Reader<'_>) -> R<Self> {
        let len = usize::get(r)?;
        // Every item takes at least a byte: a damaged length cannot make
        // this reserve more than the snapshot's size.
        let mut out = Vec::with_capacity(len.min(r.bytes.len() - r.pos));
        for _ in 0..len {
            out.push(T::get(r)?);
        }
        Ok(out)
    }
}

impl<T: Codec> Codec for Box<T> {
    fn put(&self, w: &mut Writer<'_>) {
        (**self).put(w);
    }
    fn get(r: &mut Reader<'_>) -> R<Self> {
        Ok(Box::new(T::get(r)?))
    }
}

impl<A: Codec, B: Codec> Codec for (A, B) {
    fn put(&self, w: &mut Writer<'_>) {
        self.0.put(w);
        self.1.put(w);
    }
    fn get(r: &mut Reader<'_>) -> R<Self> {
        Ok((A::get(r)?, B::get(r)?))
    }
}

impl<A: Codec, B: Codec, C: Codec> Codec for (A, B, C) {
    fn put(&self, w: &mut Writer<'_>) {
        self.0.put(w);
        self.1.put(w);
        self.2.put(w);
    }
    fn get(r: &mut Reader<'_>) -> R<Self> {
        Ok((A::get(r)?, B::get(r)?, C::get(r)?))
    }
}

macro_rules! id_codec {
    ($($t:ty),*) => {$(
        impl Codec for $t {
            fn put(&self, w: &mut Writer<'_>) {
                w.id(self.as_str());
            }
            fn get(r: &mut Reader<'_>) -> R<Self> {
                Ok(<$t>::new(r.id()?))
            }
        }
    )*};
}
id_codec!(QuestionId, TopicId, OptionId, RuleId, ChoiceId, SourceId);

impl Codec for Span {
    fn put(&self, w: &mut Writer<'_>) {
        let index = w
            .files
            .iter()
            .position(|f| Arc::ptr_eq(f, &self.file))
            .unwrap_or(usize::MAX);
        index.put(w);
        self.range.start.put(w);
        self.range.end.put(w);
    }
    fn get(r: &mut Reader<'_>) -> R<Self> {
        let index = usize::get(r)?;
        let (start, end) = (usize::get(r)?, usize::get(r)?);
        let file = r
            .files
            .get(index)
            .ok_or_else(|| SnapshotError(format!("no source file {index}")))?;
        Ok(Span::new(file, start..end))
    }
}

impl Codec for Value {
    fn put(&self, w: &mut Writer<'_>) {
        match self {
            Value::Choice(c) => {
                0u8.put(w);
                c.put(w);
            }
            Value::Choices(cs) => {
                1u8.put(w);
                cs.iter().cloned().collect::<Vec<_>>().put(w);
            }
            Value::Number(n) => {
                2u8.put(w);
                n.put(w);
            }
            Value::Bool(b) => {
                3u8.put(w);
                b.put(w);
            }
            Value::Text(t) => {
                4u8.put(w);
                t.put(w);
            }
        }
    }
    fn get(r: &mut Reader<'_>) -> R<Self> {
        Ok(match u8::get(r)? {
            0 => Value::Choice(ChoiceId::get(r)?),
            1 => Value::Choices(
                Vec::<ChoiceId>::get(r)?
                    .into_iter()
                    .collect::<BTreeSet<_>>(),
            ),
            2 => Value::Number(f64::get(r)?),
            3 => Value::Bool(bool::get(r)?),
            4 => Value::Text(String::get(r)?),
            t => return Err(SnapshotError(format!("unknown value tag {t}"))),
        })
    }
}

impl Codec for Answer {
    fn put(&self, w: &mut Writer<'_>) {
        match self {
            Answer::Known(v) => {
                0u8.put(w);
                v.put(w);
            }
            Answer::Unknown => 1u8.put(w),
        }
    }
    fn get(r: &mut Reader<'_>) -> R<Self> {
        Ok(match u8::get(r)? {
            0 => Answer::Known(Value::get(r)?),
            _ => Answer::Unknown,
        })
    }
}

impl Codec for Op {
    fn put(&self, w: &mut Writer<'_>) {
        match self {
            Op::Eq(v) => (0u8, v.clone()).put(w),
            Op::Ne(v) => (1u8, v.clone()).put(w),
            Op::Gt(n) => (2u8, *n).put(w),
            Op::Gte(n) => (3u8, *n).put(w),
            Op::Lt(n) => (4u8, *n).put(w),
            Op::Lte(n) => (5u8, *n).put(w),
            Op::In(cs) => (6u8, cs.clone()).put(w),
            Op::Contains(c) => (7u8, c.clone()).put(w),
            Op::Answered(b) => (8u8, *b).put(w),
        }
    }
    fn get(r: &mut Reader<'_>) -> R<Self> {
        Ok(match u8::get(r)? {
            0 => Op::Eq(Value::get(r)?),
            1 => Op::Ne(Value::get(r)?),
            2 => Op::Gt(f64::get(r)?),
            3 => Op::Gte(f64::get(r)?),
            4 => Op::Lt(f64::get(r)?),
            5 => Op::Lte(f64::get(r)?),
            6 => Op::In(Vec::get(r)?),
            7 => Op::Contains(ChoiceId::get(r)?),
            8 => Op::Answered(bool::get(r)?),
            t => return Err(SnapshotError(format!("unknown operator tag {t}"))),
        })
    }
}

impl Codec for Fast {
    fn put(&self, w: &mut Writer<'_>) {
        match *self {
            Fast::Choice { mask, negate } => (0u8, mask, negate).put(w),
            Fast::Has(bit) => (1u8, bit).put(w),
            Fast::Choices { mask, negate } => (2u8, mask, negate).put(w),
            Fast::NumberEq { value, negate } => (3u8, value, negate).put(w),
            Fast::Number { cmp, value } => {
                let cmp = match cmp {
                    Cmp::Gt => 0u8,
                    Cmp::Gte => 1,
                    Cmp::Lt => 2,
                    Cmp::Lte => 3,
                };
                (4u8, cmp, value).put(w);
            }
            Fast::Bool { value, negate } => (5u8, value, negate).put(w),
            Fast::Answered(want) => (6u8, want).put(w),
            Fast::Slow => 7u8.put(w),
        }
    }
    fn get(r: &mut Reader<'_>) -> R<Self> {
        Ok(match u8::get(r)? {
            0 => Fast::Choice {
                mask: u64::get(r)?,
                negate: bool::get(r)?,
            },
            1 => Fast::Has(u64::get(r)?),
            2 => Fast::Choices {
                mask: u64::get(r)?,
                negate: bool::get(r)?,
            },
            3 => Fast::NumberEq {
                value: f64::get(r)?,
                negate: bool::get(r)?,
            },
            4 => {
                let cmp = match u8::get(r)? {
                    0 => Cmp::Gt,
                    1 => Cmp::Gte,
                    2 => Cmp::Lt,
                    3 => Cmp::Lte,
                    t => return Err(SnapshotError(format!("unknown comparison tag {t}"))),
                };
                Fast::Number {
                    cmp,
                    value: f64::get(r)?,
                }
            }
            5 => Fast::Bool {
                value: bool::get(r)?,
                negate: bool::get(r)?,
            },
            6 => Fast::Answered(bool::get(r)?),
            7 => Fast::Slow,
            t => return Err(SnapshotError(format!("unknown compiled test tag {t}"))),
        })
    }
}

impl Codec for Condition {
    fn put(&self, w: &mut Writer<'_>) {
        match &self.node {
            CondNode::All(c) => {
                0u8.put(w);
                c.put(w);
            }
            CondNode::Any(c) => {
                1u8.put(w);
                c.put(w);
            }
            CondNode::Not(c) => {
                2u8.put(w);
                c.put(w);
            }
            CondNode::Test(t) => {
                3u8.put(w);
                t.question.put(w);
                t.op.put(w);
                t.slot.put(w);
                t.fast.put(w);
            }
        }
        self.span.put(w);
    }
    fn get(r: &mut Reader<'_>) -> R<Self> {
        let node = match u8::get(r)? {
            0 => CondNode::All(Vec::get(r)?),
            1 => CondNode::Any(Vec::get(r)?),
            2 => CondNode::Not(Box::get(r)?),
            3 => CondNode::Test(Test {
                question: QuestionId::get(r)?,
                op: Op::get(r)?,
                slot: u32::get(r)?,
                fast: Fast::get(r)?,
            }),
            t => return Err(SnapshotError(format!("unknown condition tag {t}"))),
        };
        Ok(Condition {
            node,
            span: Span::get(r)?,
        })
    }
}

impl Codec for Choice {
    fn put(&self, w: &mut Writer<'_>) {
        self.id.put(w);
        self.label.put(w);
        self.help.put(w);
    }
    fn get(r: &mut Reader<'_>) -> R<Self> {
        Ok(Choice {
            id: ChoiceId::get(r)?,
            label: Text::get(r)?,
            help: Option::get(r)?,
        })
    }
}

impl Codec for QuestionKind {
    fn put(&self, w: &mut Writer<'_>) {
        match self {
            QuestionKind::Single(c) => {
                0u8.put(w);
                c.put(w);
            }
            QuestionKind::Multi(c) => {
                1u8.put(w);
                c.put(w);
            }
            QuestionKind::Number(s) => {
                2u8.put(w);
                s.unit.put(w);
                s.min.put(w);
                s.max.put(w);
                s.integer.put(w);
            }
            QuestionKind::Bool => 3u8.put(w),
            QuestionKind::Text => 4u8.put(w),
        }
    }
    fn get(r: &mut Reader<'_>) -> R<Self> {
        Ok(match u8::get(r)? {
            0 => QuestionKind::Single(Vec::get(r)?),
            1 => QuestionKind::Multi(Vec::get(r)?),
            2 => QuestionKind::Number(NumberSpec {
                unit: Option::get(r)?,
                min: Option::get(r)?,
                max: Option::get(r)?,
                integer: bool::get(r)?,
            }),
            3 => QuestionKind::Bool,
            4 => QuestionKind::Text,
            t => return Err(SnapshotError(format!("unknown question kind {t}"))),
        })
    }
}

impl Codec for Question {
    fn put(&self, w: &mut Writer<'_>) {
        self.id.put(w);
        self.label.put(w);
        self.prompt.put(w);
        self.help.put(w);
        self.section.put(w);
        self.kind.put(w);
        self.default.put(w);
        self.allow_unknown.put(w);
        self.when.put(w);
        self.span.put(w);
    }
    fn get(r: &mut Reader<'_>) -> R<Self> {
        Ok(Question {
            id: QuestionId::get(r)?,
            label: Text::get(r)?,
            prompt: Text::get(r)?,
            help: Text::get(r)?,
            section: Option::get(r)?,
            kind: QuestionKind::get(r)?,
            default: Option::get(r)?,
            allow_unknown: bool::get(r)?,
            when: Option::get(r)?,
            span: Span::get(r)?,
        })
    }
}

impl Codec for Evidence {
    fn put(&self, w: &mut Writer<'_>) {
        let index = Evidence::ALL
            .iter()
            .position(|(_, e)| e == self)
            .unwrap_or(0);
        index.put(w);
    }
    fn get(r: &mut Reader<'_>) -> R<Self> {
        let index = usize::get(r)?;
        Evidence::ALL
            .get(index)
            .map(|(_, e)| *e)
            .ok_or_else(|| SnapshotError(format!("unknown evidence {index}")))
    }
}

/// Enums with an `ALL` table of (keyword, value) are stored by position.
macro_rules! keyword_codec {
    ($($t:ty),*) => {$(
        impl Codec for $t {
            fn put(&self, w: &mut Writer<'_>) {
                let index = <$t>::ALL.iter().position(|(_, e)| e == self).unwrap_or(0);
                index.put(w);
            }
            fn get(r: &mut Reader<'_>) -> R<Self> {
                let index = usize::get(r)?;
                <$t>::ALL
                    .get(index)
                    .map(|(_, e)| *e)
                    .ok_or_else(|| SnapshotError(format!("unknown {} {index}", stringify!($t))))
            }
        }
    )*};
}
keyword_codec!(Severity, RiskKind);

impl Codec for Profile {
    fn put(&self, w: &mut Writer<'_>) {
        for rating in self.ratings {
            (rating as u8).put(w);
        }
        self.why.put(w);
        self.sources.put(w);
    }
    fn get(r: &mut Reader<'_>) -> R<Self> {
        let mut ratings = [0i8; 8];
        for rating in &mut ratings {
            *rating = u8::get(r)? as i8;
        }
        Ok(Profile {
            ratings,
            why: Text::get(r)?,
            sources: Vec::get(r)?,
        })
    }
}

impl Codec for Risk {
    fn put(&self, w: &mut Writer<'_>) {
        self.id.put(w);
        self.kind.put(w);
        self.severity.put(w);
        self.title.put(w);
        self.when.put(w);
        self.rationale.put(w);
        self.mitigation.put(w);
        self.sources.put(w);
        self.topics.put(w);
        self.reviewed.put(w);
        self.evidence.put(w);
        self.span.put(w);
    }
    fn get(r: &mut Reader<'_>) -> R<Self> {
        Ok(Risk {
            id: RuleId::get(r)?,
            kind: RiskKind::get(r)?,
            severity: Severity::get(r)?,
            title: Text::get(r)?,
            when: Condition::get(r)?,
            rationale: Text::get(r)?,
            mitigation: Text::get(r)?,
            sources: Vec::get(r)?,
            topics: Vec::get(r)?,
            reviewed: Option::get(r)?,
            evidence: Option::get(r)?,
            span: Span::get(r)?,
        })
    }
}

impl Codec for TopicOption {
    fn put(&self, w: &mut Writer<'_>) {
        self.id.put(w);
        self.name.put(w);
        self.summary.put(w);
        self.good.put(w);
        self.bad.put(w);
        self.neutral.put(w);
        self.profile.put(w);
        self.span.put(w);
    }
    fn get(r: &mut Reader<'_>) -> R<Self> {
        Ok(TopicOption {
            id: OptionId::get(r)?,
            name: Text::get(r)?,
            summary: Text::get(r)?,
            good: Vec::get(r)?,
            bad: Vec::get(r)?,
            neutral: Vec::get(r)?,
            profile: Option::get(r)?,
            span: Span::get(r)?,
        })
    }
}

impl Codec for Rule {
    fn put(&self, w: &mut Writer<'_>) {
        self.id.put(w);
        self.topic.put(w);
        self.summary.put(w);
        self.when.put(w);
        self.score.put(w);
        self.exclude.put(w);
        self.advice.put(w);
        self.rationale.put(w);
        self.sources.put(w);
        self.reviewed.put(w);
        self.evidence.put(w);
        self.span.put(w);
    }
    fn get(r: &mut Reader<'_>) -> R<Self> {
        Ok(Rule {
            id: RuleId::get(r)?,
            topic: TopicId::get(r)?,
            summary: Text::get(r)?,
            when: Option::get(r)?,
            score: Vec::get(r)?,
            exclude: Vec::get(r)?,
            advice: Option::get(r)?,
            rationale: Text::get(r)?,
            sources: Vec::get(r)?,
            reviewed: Option::get(r)?,
            evidence: Option::get(r)?,
            origin: RuleOrigin::Requirement,
            span: Span::get(r)?,
        })
    }
}

impl Codec for Topic {
    fn put(&self, w: &mut Writer<'_>) {
        self.id.put(w);
        self.title.put(w);
        self.problem.put(w);
        self.decision.put(w);
        self.order.put(w);
        self.options.put(w);
        self.rules.put(w);
        self.span.put(w);
    }
    fn get(r: &mut Reader<'_>) -> R<Self> {
        Ok(Topic {
            id: TopicId::get(r)?,
            title: Text::get(r)?,
            problem: Text::get(r)?,
            decision: Text::get(r)?,
            order: i64::get(r)?,
            options: Vec::get(r)?,
            rules: Vec::get(r)?,
            span: Span::get(r)?,
        })
    }
}

impl Codec for Source {
    fn put(&self, w: &mut Writer<'_>) {
        self.id.put(w);
        self.title.put(w);
        self.url.put(w);
        self.span.put(w);
    }
    fn get(r: &mut Reader<'_>) -> R<Self> {
        Ok(Source {
            id: SourceId::get(r)?,
            title: Text::get(r)?,
            url: Option::get(r)?,
            span: Span::get(r)?,
        })
    }
}

/// A snapshot: its structure, and its strings apart, so that the binary
/// embeds them as a `&str` (`include_str!`) and loading checks nothing.
pub struct Encoded {
    pub bytes: Vec<u8>,
    pub text: String,
}

/// Encodes a validated rule base; `files` is the table spans index into.
pub fn encode(rb: &RuleBase, files: &[Arc<SourceFile>]) -> Encoded {
    let mut w = Writer {
        buf: Vec::new(),
        text: String::new(),
        files,
        ids: HashMap::new(),
    };
    rb.questions.put(&mut w);
    rb.topics.put(&mut w);
    rb.sources.put(&mut w);
    rb.risks.put(&mut w);
    let derived = rb.derived();
    derived.decision_order.put(&mut w);
    derived.waves.put(&mut w);
    derived.gated_by.put(&mut w);
    derived.index.put(&mut w);
    derived.questions_by_id.put(&mut w);
    derived.rules_by_id.put(&mut w);
    let mut bytes = MAGIC.to_vec();
    bytes.extend_from_slice(&w.buf);
    Encoded {
        bytes,
        text: w.text,
    }
}

/// Decodes a snapshot made by [`encode`] over the same files: the
/// validated parts, and what assembling them worked out.
pub fn decode(
    bytes: &'static [u8],
    text: &'static str,
    files: &[Arc<SourceFile>],
) -> Result<(Checked, Derived), SnapshotError> {
    let mut r = Reader {
        bytes,
        text,
        pos: 0,
        files,
        ids: Vec::new(),
    };
    if r.take(MAGIC.len())? != MAGIC {
        return Err(SnapshotError("wrong header".into()));
    }
    let checked = Checked {
        questions: Vec::get(&mut r)?,
        topics: Vec::get(&mut r)?,
        sources: Vec::get(&mut r)?,
        risks: Vec::get(&mut r)?,
        warnings: Vec::new(),
    };
    let derived = Derived {
        decision_order: Vec::get(&mut r)?,
        waves: Vec::get(&mut r)?,
        gated_by: Vec::get(&mut r)?,
        index: Vec::get(&mut r)?,
        questions_by_id: Vec::get(&mut r)?,
        rules_by_id: Vec::get(&mut r)?,
    };
    if r.pos != bytes.len() {
        return Err(SnapshotError(format!(
            "{} bytes left over",
            bytes.len() - r.pos
        )));
    }
    // Positions must fit the parts they index.
    let topics = checked.topics.len();
    let slots = checked.questions.len() + topics;
    if derived.decision_order.len() != topics
        || derived.waves.len() != topics
        || derived.index.len() != topics
        || derived.gated_by.len() != slots
    {
        return Err(SnapshotError("the assembled parts do not fit".into()));
    }
    Ok((checked, derived))
}
