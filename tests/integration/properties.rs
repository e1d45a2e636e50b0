//! Property tests over the built-in rule base.
//!
//! Answer sets are generated from the questionnaire itself: per question, by
//! its kind (a choice, a subset of choices, a number within its bounds, and
//! whole when it must be, often one the rules compare with, a boolean, a
//! text), sometimes left out, sometimes `unknown` where the question allows
//! it. For any of them, in process and so fast enough for many cases:
//!
//! - the whole `decide` pipeline (resolution, evaluation with its tipping
//!   points, and every renderer) never panics and gives the same bytes twice;
//! - the order in which the rule files are read does not change a byte;
//! - the answers recorded in the JSON report, fed back as an answers file,
//!   reproduce the JSON byte for byte; and the JSON parses and re-serialises
//!   to the same bytes, with no key given twice.
//!
//! Cases are few by default so `cargo test` stays fast on two cores;
//! `PROPTEST_CASES=1000 cargo test --test integration properties` runs more.

use proptest::prelude::*;
use proptest::test_runner::Config;
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use std::collections::BTreeMap;
use std::sync::Arc;
use tradeoff::fuzzing;
use tradeoff::rulebase::load::RuleBaseFiles;
use tradeoff::rulebase::{CondNode, Condition, Op, QuestionKind, RuleBase};
use tradeoff::source::SourceFile;

/// `PROPTEST_CASES`, else a count that keeps the suite fast.
fn config(default_cases: u32) -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(default_cases);
    Config {
        cases,
        // A failing case is printed with its answers file; no files are
        // left in the repository.
        failure_persistence: None,
        ..Config::default()
    }
}

fn rb() -> &'static RuleBase {
    fuzzing::builtin().unwrap_or_else(|e| panic!("{}", e.render(false)))
}

// ----- answer generation ---------------------------------------------------

/// What to do with one question; the seed picks the value.
#[derive(Clone, Debug)]
struct Plan {
    mode: u8,
    seed: u64,
}

#[derive(Clone, Debug)]
struct Case {
    /// Leave out questions that have no default too (resolution must then
    /// fail cleanly, naming them).
    omit_required: bool,
    title: Option<String>,
    /// `None`: every topic; else these topics (by position), in this order.
    /// Mostly a few: every topic in every case would make the suite slow.
    topics: Option<Vec<usize>>,
    plans: Vec<Plan>,
}

fn case() -> impl Strategy<Value = Case> {
    let n = rb().questions().len();
    (
        prop::bool::weighted(0.1),
        prop::option::of(prop_oneof![
            Just("Invoicing SaaS".to_owned()),
            Just("quotes \" and \\ backslashes".to_owned()),
            Just("línea — ünïcode ✓ | pipes | `ticks` <html>".to_owned()),
            Just(String::new()),
            "[ -~]{0,40}",
        ]),
        prop::option::weighted(0.85, prop::collection::vec(0..rb().topics().len(), 1..4)),
        prop::collection::vec(
            (0u8..10, any::<u64>()).prop_map(|(mode, seed)| Plan { mode, seed }),
            n,
        ),
    )
        .prop_map(|(omit_required, title, topics, plans)| Case {
            omit_required,
            title,
            topics,
            plans,
        })
}

/// The numbers the rules and questions compare each question with.
fn thresholds(rb: &RuleBase) -> BTreeMap<String, Vec<f64>> {
    fn walk(c: &Condition, out: &mut BTreeMap<String, Vec<f64>>) {
        match &c.node {
            CondNode::All(cs) | CondNode::Any(cs) => cs.iter().for_each(|c| walk(c, out)),
            CondNode::Not(c) => walk(c, out),
            CondNode::Test(t) => {
                let n = match &t.op {
                    Op::Gt(n) | Op::Gte(n) | Op::Lt(n) | Op::Lte(n) => Some(*n),
                    Op::Eq(v) | Op::Ne(v) => v.as_number(),
                    _ => None,
                };
                if let Some(n) = n {
                    out.entry(t.question.to_string()).or_default().push(n);
                }
            }
        }
    }
    let mut out = BTreeMap::new();
    let conditions = rb
        .topics()
        .iter()
        .flat_map(|t| t.rules.iter().filter_map(|r| r.when.as_ref()))
        .chain(rb.questions().iter().filter_map(|q| q.when.as_ref()));
    for c in conditions {
        walk(c, &mut out);
    }
    out
}

/// A value for a number question: a bound, a threshold or its neighbour, or
/// anywhere in range; whole when the question wants whole numbers.
fn number(spec: &tradeoff::rulebase::NumberSpec, near: &[f64], seed: u64) -> Option<toml::Value> {
    let min = spec.min.unwrap_or(-1e6).max(-1e12);
    let max = spec.max.unwrap_or(min.max(0.0) + 1e7).min(1e12);
    let pick = seed >> 8;
    let raw = match seed % 4 {
        0 => [min, max][(pick % 2) as usize],
        1 | 2 if !near.is_empty() => {
            let t = near[(pick as usize / 3) % near.len()];
            let step = if spec.integer { 1.0 } else { 0.25 };
            t + [-step, 0.0, step][(pick % 3) as usize]
        }
        _ => min + (max - min) * ((pick % 10_001) as f64 / 10_000.0),
    };
    let mut n = raw.clamp(min, max);
    if spec.integer {
        n = n.ceil();
        if n > max {
            return None;
        }
    } else {
        n = (n * 100.0).round() / 100.0;
    }
    let n = n.clamp(min, max);
    Some(if n.fract() == 0.0 && n.abs() < 9e15 {
        toml::Value::Integer(n as i64)
    } else {
        toml::Value::Float(n)
    })
}

const TEXTS: &[&str] = &[
    "",
    "plain",
    "unknown",
    "quote \" backslash \\ newline \n tab \t",
    "ünïcode — ✓ 日本",
    "| a | b |\n---\n<!-- -->",
];

/// The answers file a case stands for.
fn answers_file(case: &Case) -> String {
    let rb = rb();
    let near = thresholds(rb);
    let mut answers = toml::Table::new();
    for (q, plan) in rb.questions().iter().zip(&case.plans) {
        let omit = plan.mode < 2 && (q.default.is_some() || case.omit_required);
        if omit {
            continue;
        }
        if plan.mode == 2 && q.allow_unknown {
            answers.insert(q.id.to_string(), "unknown".into());
            continue;
        }
        let s = plan.seed;
        let value = match &q.kind {
            QuestionKind::Single(cs) => {
                Some(cs[(s % cs.len() as u64) as usize].id.to_string().into())
            }
            QuestionKind::Multi(cs) => Some(toml::Value::Array(
                cs.iter()
                    .enumerate()
                    .filter(|(i, _)| s >> (i % 64) & 1 == 1)
                    .map(|(_, c)| c.id.to_string().into())
                    .collect(),
            )),
            QuestionKind::Number(spec) => {
                number(spec, near.get(q.id.as_str()).map_or(&[], Vec::as_slice), s)
            }
            QuestionKind::Bool => Some((s & 1 == 1).into()),
            QuestionKind::Text => Some(TEXTS[(s % TEXTS.len() as u64) as usize].into()),
        };
        if let Some(value) = value {
            answers.insert(q.id.to_string(), value);
        }
    }
    let mut file = toml::Table::new();
    if let Some(title) = &case.title {
        file.insert("title".into(), title.clone().into());
    }
    if let Some(picked) = &case.topics {
        // Repeats are allowed: `decide` takes each topic once.
        let topics: Vec<toml::Value> = picked
            .iter()
            .map(|&i| rb.topics()[i].id.to_string().into())
            .collect();
        file.insert("topics".into(), toml::Value::Array(topics));
    }
    file.insert("answers".into(), toml::Value::Table(answers));
    toml::to_string(&file).unwrap()
}

// ----- JSON helpers -----------------------------------------------------------

fn json(rb: &RuleBase, answers: &str) -> Result<String, String> {
    fuzzing::decide_json(rb, answers)
}

/// The answers file a JSON report records: its title, its topics in order
/// and every answer in effect, as values.
fn answers_from_json(json: &str) -> String {
    let doc: serde_json::Value = serde_json::from_str(json).unwrap();
    let mut file = toml::Table::new();
    if let Some(title) = doc["title"].as_str() {
        file.insert("title".into(), title.into());
    }
    let topics = doc["topics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| toml::Value::from(t["id"].as_str().unwrap()))
        .collect();
    file.insert("topics".into(), toml::Value::Array(topics));
    let mut answers = toml::Table::new();
    for (id, info) in doc["answers"].as_object().unwrap() {
        answers.insert(id.clone(), to_toml(&info["value"]));
    }
    file.insert("answers".into(), toml::Value::Table(answers));
    toml::to_string(&file).unwrap()
}

fn to_toml(v: &serde_json::Value) -> toml::Value {
    match v {
        serde_json::Value::String(s) => s.as_str().into(),
        serde_json::Value::Bool(b) => (*b).into(),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => i.into(),
            None => n.as_f64().unwrap().into(),
        },
        serde_json::Value::Array(items) => toml::Value::Array(items.iter().map(to_toml).collect()),
        other => panic!("an answer cannot be {other}"),
    }
}

/// A JSON value that keeps its keys in document order, and every key even
/// when one is repeated: what a lossless re-serialisation needs.
#[derive(Debug)]
enum Ordered {
    Null,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    String(String),
    Array(Vec<Ordered>),
    Object(Vec<(String, Ordered)>),
}

impl<'de> Deserialize<'de> for Ordered {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Ordered;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("JSON")
            }
            fn visit_unit<E>(self) -> Result<Ordered, E> {
                Ok(Ordered::Null)
            }
            fn visit_bool<E>(self, b: bool) -> Result<Ordered, E> {
                Ok(Ordered::Bool(b))
            }
            fn visit_i64<E>(self, n: i64) -> Result<Ordered, E> {
                Ok(Ordered::Int(n))
            }
            fn visit_u64<E>(self, n: u64) -> Result<Ordered, E> {
                Ok(Ordered::Uint(n))
            }
            fn visit_f64<E>(self, n: f64) -> Result<Ordered, E> {
                Ok(Ordered::Float(n))
            }
            fn visit_str<E>(self, s: &str) -> Result<Ordered, E> {
                Ok(Ordered::String(s.to_owned()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Ordered, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Ordered::Array(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Ordered, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(Ordered::Object(entries))
            }
        }
        d.deserialize_any(V)
    }
}

impl Serialize for Ordered {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Ordered::Null => s.serialize_unit(),
            Ordered::Bool(b) => s.serialize_bool(*b),
            Ordered::Int(n) => s.serialize_i64(*n),
            Ordered::Uint(n) => s.serialize_u64(*n),
            Ordered::Float(n) => s.serialize_f64(*n),
            Ordered::String(v) => s.serialize_str(v),
            Ordered::Array(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Ordered::Object(entries) => {
                let mut map = s.serialize_map(Some(entries.len()))?;
                for (k, v) in entries {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

impl Ordered {
    /// The path of the first object that names a key twice.
    fn repeated_key(&self, path: &str) -> Option<String> {
        match self {
            Ordered::Array(items) => items
                .iter()
                .enumerate()
                .find_map(|(i, v)| v.repeated_key(&format!("{path}[{i}]"))),
            Ordered::Object(entries) => {
                let mut seen = std::collections::BTreeSet::new();
                for (k, v) in entries {
                    if !seen.insert(k) {
                        return Some(format!("{path}.{k}"));
                    }
                    if let Some(p) = v.repeated_key(&format!("{path}.{k}")) {
                        return Some(p);
                    }
                }
                None
            }
            _ => None,
        }
    }
}

/// The JSON report without the answers' origins and positions, which
/// differ between an answer taken by default and the same answer given.
fn without_origins(json: &str) -> serde_json::Value {
    let mut doc: serde_json::Value = serde_json::from_str(json).unwrap();
    for info in doc["answers"].as_object_mut().unwrap().values_mut() {
        let info = info.as_object_mut().unwrap();
        info.remove("origin");
        info.remove("at");
    }
    doc
}

// ----- the properties -----------------------------------------------------------

proptest! {
    #![proptest_config(config(24))]

    /// Any answers valid under the questionnaire: every rendering of the
    /// decision, or the diagnostics, come out the same twice, and never panic.
    #[test]
    fn decide_never_panics_and_is_deterministic(case in case()) {
        let answers = answers_file(&case);
        let first = fuzzing::decide(rb(), &answers);
        let second = fuzzing::decide(rb(), &answers);
        prop_assert_eq!(&first, &second, "answers:\n{}", answers);
        if !case.omit_required {
            prop_assert!(first.is_ok(), "answers:\n{}\n{}", answers, first.unwrap_err());
        }
    }

    /// The answers a JSON report records reproduce it, byte for byte; and
    /// the JSON re-serialises to itself with no key given twice.
    #[test]
    fn json_round_trips(case in case()) {
        let case = Case { omit_required: false, ..case };
        let given = answers_file(&case);
        let first = json(rb(), &given).map_err(|e| TestCaseError::fail(format!("{given}\n{e}")))?;
        let recorded = answers_from_json(&first);
        let second = json(rb(), &recorded).map_err(|e| TestCaseError::fail(format!("{recorded}\n{e}")))?;
        // Defaults taken become answers given: only their origin may change.
        prop_assert_eq!(without_origins(&first), without_origins(&second), "answers:\n{}", given);
        // From then on, a fixed point: the same answers file, the same bytes.
        prop_assert_eq!(&answers_from_json(&second), &recorded);
        let third = json(rb(), &recorded).unwrap();
        prop_assert_eq!(&second, &third);
        for text in [&first, &second] {
            let parsed: Ordered = serde_json::from_str(text).unwrap();
            prop_assert_eq!(parsed.repeated_key("$"), None);
            let again = serde_json::to_string_pretty(&parsed).unwrap() + "\n";
            prop_assert_eq!(&again, text);
        }
    }
}

/// The built-in files, named as the built-in rule base names them.
fn builtin_files() -> Vec<(String, Arc<SourceFile>)> {
    rb().files()
        .iter()
        .map(|(rel, f)| (rel.clone(), SourceFile::new(f.name(), f.text())))
        .collect()
}

proptest! {
    // Each case validates the whole rule base from its TOML, unoptimised:
    // a few cases, each deciding several answer sets.
    #![proptest_config(config(4))]

    /// Reading the rule files in any order gives the same rule base: every
    /// rendering identical to the built-in one's.
    #[test]
    fn rule_file_order_does_not_change_results(
        files in Just(builtin_files()).prop_shuffle(),
        cases in prop::collection::vec(case(), 3),
    ) {
        let order: Vec<&str> = files.iter().map(|(rel, _)| rel.as_str()).collect();
        let shuffled = RuleBase::from_files(RuleBaseFiles::classify(files.clone()), "rules")
            .unwrap_or_else(|e| panic!("{}", e.render(false)));
        prop_assert_eq!(shuffled.fingerprint(), rb().fingerprint());
        for case in &cases {
            let answers = answers_file(case);
            prop_assert_eq!(
                fuzzing::decide(&shuffled, &answers),
                fuzzing::decide(rb(), &answers),
                "order: {:?}\nanswers:\n{}", order, answers
            );
        }
    }
}

#[test]
fn the_generator_reaches_every_kind_of_answer() {
    // A guard on the generator itself: with these seeds it must produce
    // omitted, unknown, and known answers, or the properties test little.
    let n = rb().questions().len();
    let plans = |mode| {
        (0..n)
            .map(|i| Plan {
                mode,
                seed: i as u64 * 7919,
            })
            .collect()
    };
    let base = Case {
        omit_required: false,
        title: None,
        topics: None,
        plans: plans(5),
    };
    let all = answers_file(&base);
    let unknowns = answers_file(&Case {
        plans: plans(2),
        ..base.clone()
    });
    let omitted = answers_file(&Case {
        plans: plans(0),
        ..base.clone()
    });
    assert!(all.lines().count() > n, "{all}");
    assert!(unknowns.contains("= \"unknown\""), "{unknowns}");
    assert!(omitted.lines().count() < all.lines().count(), "{omitted}");
    assert!(fuzzing::decide(rb(), &all).is_ok());
}
