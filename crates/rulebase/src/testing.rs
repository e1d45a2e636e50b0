//! Small rule bases for tests, declared in a few lines.
//!
//! A unit test about the evaluator, the lints or the packs needs a rule base
//! of two questions and one topic, not the built-in one. Writing its TOML by
//! hand buries the two facts a test is about (a threshold, a score) in
//! thirty lines of labels and prompts that every test repeats. A
//! [`RuleBaseBuilder`] declares only what the test is about and fills in the
//! rest; it then writes the files' TOML and loads them through the real
//! loader, so a fixture is validated exactly as a rule base on disk is.
//!
//! ```
//! use tradeoff_rulebase::testing::RuleBaseBuilder;
//!
//! let rb = RuleBaseBuilder::new()
//!     .number("load")
//!     .single("mode", &["a", "b"])
//!     .topic("t", |t| {
//!         t.options(&["zeta", "alpha", "mid"])
//!             .always("base", &[("zeta", 2), ("alpha", 2)])
//!             .rule("big-load", r#"{ q = "load", gt = 100 }"#, &[("mid", 5)])
//!     })
//!     .build();
//! assert_eq!(rb.topic("t").map(|t| t.rules.len()), Some(2));
//! ```
//!
//! Every item is declared by its id with a closure that sets what the test
//! needs (`question`, `topic`, `option`, `rule_with`, `risk_with`, `source`),
//! or by a shortcut for the common case (`number`, `single`, `options`,
//! `rule`, `always`, `risk`, ...). Declaring an id again refines the earlier
//! declaration in place, so a test can take a shared fixture and change the
//! one thing it is about. A rule can also be built as a value
//! (`RuleBuilder::new(id)`) and handed to a topic with `rules`, for tests
//! that compose lists of rules. What has no typed setter is set as TOML with
//! `field(key, value)`, and a default left out with `without(key)`.
//!
//! Compiled for this crate's tests and, with the `testing` feature, for the
//! tests of crates that depend on it; never into a release build.

use crate::RuleBase;
use crate::diagnostic::DataError;
use crate::load::{QUESTIONS_FILE, RISKS_FILE, RuleBaseFiles, SOURCES_FILE, TOPICS_DIR};
use crate::pack::{MANIFEST_FILE, PackFiles};
use crate::profile::Attribute;

/// The source a rule, risk or profile cites unless a test names another.
pub const SOURCE: &str = "Someone, a source, https://example.com";

/// A rule base declared item by item; see the module documentation.
#[derive(Clone, Debug)]
pub struct RuleBaseBuilder {
    questions: Vec<QuestionBuilder>,
    sources: Vec<SourceBuilder>,
    topics: Vec<TopicBuilder>,
    risks: Vec<RiskBuilder>,
    /// Files given as they are: `(path relative to the root, text)`.
    files: Vec<(String, String)>,
    origin: String,
}

impl Default for RuleBaseBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl RuleBaseBuilder {
    /// An empty rule base whose origin is `test`.
    pub fn new() -> Self {
        Self {
            questions: Vec::new(),
            sources: Vec::new(),
            topics: Vec::new(),
            risks: Vec::new(),
            files: Vec::new(),
            origin: "test".to_owned(),
        }
    }

    /// Declares the question `id` (or refines the one declared before).
    pub fn question(
        mut self,
        id: &str,
        f: impl FnOnce(QuestionBuilder) -> QuestionBuilder,
    ) -> Self {
        declare(&mut self.questions, id, f);
        self
    }

    /// A question answered with a number.
    pub fn number(self, id: &str) -> Self {
        self.question(id, QuestionBuilder::number)
    }

    /// A yes-or-no question.
    pub fn boolean(self, id: &str) -> Self {
        self.question(id, QuestionBuilder::boolean)
    }

    /// A question answered with free text.
    pub fn text(self, id: &str) -> Self {
        self.question(id, QuestionBuilder::text)
    }

    /// A question answered with one of these choices.
    pub fn single(self, id: &str, choices: &[&str]) -> Self {
        self.question(id, |q| q.single(choices))
    }

    /// A question answered with any number of these choices.
    pub fn multi(self, id: &str, choices: &[&str]) -> Self {
        self.question(id, |q| q.multi(choices))
    }

    /// Declares the source `id`, in `sources.toml`.
    pub fn source(mut self, id: &str, f: impl FnOnce(SourceBuilder) -> SourceBuilder) -> Self {
        declare(&mut self.sources, id, f);
        self
    }

    /// Declares the topic `id`, in `topics/<id>.toml` (or adds to the one
    /// declared before).
    pub fn topic(mut self, id: &str, f: impl FnOnce(TopicBuilder) -> TopicBuilder) -> Self {
        declare(&mut self.topics, id, f);
        self
    }

    /// For a rule pack: options and rules added to the topic `id` of the rule
    /// base below, in a file that names the topic by its id alone.
    pub fn extend_topic(self, id: &str, f: impl FnOnce(TopicBuilder) -> TopicBuilder) -> Self {
        self.topic(id, |t| {
            f(TopicBuilder {
                extension: true,
                ..t
            })
        })
    }

    /// Declares the risk `id`, in `risks.toml`.
    pub fn risk_with(mut self, id: &str, f: impl FnOnce(RiskBuilder) -> RiskBuilder) -> Self {
        declare(&mut self.risks, id, f);
        self
    }

    /// A risk raised when `when` holds, about these topics.
    pub fn risk(self, id: &str, when: &str, topics: &[&str]) -> Self {
        self.risk_with(id, |r| r.when(when).topics(topics))
    }

    /// A file taken as it is, beside the declared ones: one that must not
    /// parse, or one the loader is to ignore.
    pub fn file(mut self, path: &str, text: &str) -> Self {
        self.files.push((path.to_owned(), text.to_owned()));
        self
    }

    /// What [`RuleBase::origin`] says; `test` unless set.
    pub fn origin(mut self, origin: &str) -> Self {
        origin.clone_into(&mut self.origin);
        self
    }

    /// The files as the loader would read them: `(path, TOML)`, questions
    /// first, then sources, topics in declaration order, risks, and the
    /// files given as they are.
    pub fn texts(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut add = |path: &str, tables: Vec<String>| {
            if !tables.is_empty() {
                out.push((path.to_owned(), tables.join("\n")));
            }
        };
        add(
            QUESTIONS_FILE,
            self.questions.iter().map(QuestionBuilder::render).collect(),
        );
        add(
            SOURCES_FILE,
            self.sources.iter().map(SourceBuilder::render).collect(),
        );
        for topic in &self.topics {
            add(
                &format!("{TOPICS_DIR}/{}.toml", topic.table.id()),
                vec![topic.render()],
            );
        }
        add(
            RISKS_FILE,
            self.risks.iter().map(RiskBuilder::render).collect(),
        );
        out.extend(self.files.iter().cloned());
        out
    }

    /// The files, in memory, for [`RuleBase::from_files`].
    pub fn files(&self) -> RuleBaseFiles {
        let texts = self.texts();
        RuleBaseFiles::from_memory(&borrowed(&texts))
    }

    /// The rule base, or the diagnostics of loading it.
    pub fn try_build(&self) -> Result<RuleBase, DataError> {
        RuleBase::from_files(self.files(), &self.origin)
    }

    /// The rule base. A fixture that does not load is a broken test: this
    /// panics with the diagnostics and the TOML that caused them.
    #[allow(
        clippy::panic,
        reason = "a test fixture that does not load fails its test"
    )]
    pub fn build(&self) -> RuleBase {
        match self.try_build() {
            Ok(rb) => rb,
            Err(e) => {
                let files: Vec<String> = self
                    .texts()
                    .into_iter()
                    .map(|(path, text)| format!("--- {path}\n{text}"))
                    .collect();
                panic!("{}\n{}", e.render(false), files.join("\n"))
            }
        }
    }

    /// These files as the rule pack in directory `dir`, with this manifest
    /// (`pack.toml`).
    pub fn pack_files(&self, dir: &str, manifest: &str) -> PackFiles {
        let mut texts = self.texts();
        texts.insert(0, (MANIFEST_FILE.to_owned(), manifest.to_owned()));
        PackFiles::from_memory(dir, &borrowed(&texts))
    }
}

/// One `[[question]]`. Without a kind (`number`, `boolean`, `text`,
/// `single`, `multi`) it does not load.
#[derive(Clone, Debug)]
pub struct QuestionBuilder {
    table: Table,
}

impl QuestionBuilder {
    const KEYS: &[&str] = &[
        "label",
        "prompt",
        "help",
        "section",
        "kind",
        "choices",
        "unit",
        "min",
        "max",
        "integer",
        "default",
        "allow_unknown",
        "when",
    ];

    pub fn number(self) -> Self {
        self.field("kind", &quote("number"))
    }

    pub fn boolean(self) -> Self {
        self.field("kind", &quote("bool"))
    }

    pub fn text(self) -> Self {
        self.field("kind", &quote("text"))
    }

    /// One of these choices, each labelled after its id.
    pub fn single(self, choices: &[&str]) -> Self {
        self.field("kind", &quote("single"))
            .field("choices", &choice_list(choices))
    }

    /// Any number of these choices, each labelled after its id.
    pub fn multi(self, choices: &[&str]) -> Self {
        self.field("kind", &quote("multi"))
            .field("choices", &choice_list(choices))
    }

    pub fn label(self, label: &str) -> Self {
        self.field("label", &quote(label))
    }

    pub fn prompt(self, prompt: &str) -> Self {
        self.field("prompt", &quote(prompt))
    }

    pub fn help(self, help: &str) -> Self {
        self.field("help", &quote(help))
    }

    /// The heading the question is asked under.
    pub fn section(self, section: &str) -> Self {
        self.field("section", &quote(section))
    }

    /// What a number counts.
    pub fn unit(self, unit: &str) -> Self {
        self.field("unit", &quote(unit))
    }

    pub fn min(self, min: f64) -> Self {
        self.field("min", &toml_number(min))
    }

    pub fn max(self, max: f64) -> Self {
        self.field("max", &toml_number(max))
    }

    /// Whole numbers only.
    pub fn integer(self) -> Self {
        self.field("integer", "true")
    }

    /// `unknown` is an answer.
    pub fn allow_unknown(self) -> Self {
        self.field("allow_unknown", "true")
    }

    /// The default answer, as TOML: `4`, `false`, `"unknown"`, `["web"]`.
    pub fn default_answer(self, toml: &str) -> Self {
        self.field("default", toml)
    }

    /// Asked only when this condition (TOML) holds.
    pub fn when(self, condition: &str) -> Self {
        self.field("when", condition)
    }

    fn render(&self) -> String {
        let label = sentence(self.table.id());
        let prompt = format!("{label}?");
        let defaults = [
            ("label", quote(&label)),
            ("prompt", quote(&prompt)),
            ("help", quote("h")),
        ];
        self.table.render("[[question]]", Self::KEYS, &defaults)
    }
}

/// One `[[source]]`, titled after its id unless given a title.
#[derive(Clone, Debug)]
pub struct SourceBuilder {
    table: Table,
}

impl SourceBuilder {
    pub fn title(self, title: &str) -> Self {
        self.field("title", &quote(title))
    }

    pub fn url(self, url: &str) -> Self {
        self.field("url", &quote(url))
    }

    fn render(&self) -> String {
        let defaults = [("title", quote(self.table.id()))];
        self.table
            .render("[[source]]", &["title", "url"], &defaults)
    }
}

/// One topic's file: the `[topic]` table, its options and its rules.
#[derive(Clone, Debug)]
pub struct TopicBuilder {
    table: Table,
    /// In a pack, a topic of the base: only the id is written, not the
    /// title and problem a new topic needs.
    extension: bool,
    options: Vec<OptionBuilder>,
    rules: Vec<RuleBuilder>,
}

impl TopicBuilder {
    const KEYS: &[&str] = &["title", "problem", "decision", "order", "choice"];

    pub fn title(self, title: &str) -> Self {
        self.field("title", &quote(title))
    }

    pub fn problem(self, problem: &str) -> Self {
        self.field("problem", &quote(problem))
    }

    /// Where the topic stands in listings.
    pub fn order(self, order: i64) -> Self {
        self.field("order", &order.to_string())
    }

    /// A topic whose options make a plan (adopt, consider, not needed)
    /// rather than one winner.
    pub fn combination(self) -> Self {
        self.field("choice", &quote("combination"))
    }

    /// The topic is decided only when `when` (TOML) holds.
    pub fn applies_when(self, when: &str) -> Self {
        self.field("applies_when", when)
    }

    /// Declares the option `id` (or refines the one declared before).
    pub fn option(mut self, id: &str, f: impl FnOnce(OptionBuilder) -> OptionBuilder) -> Self {
        declare(&mut self.options, id, f);
        self
    }

    /// Options named after their ids.
    pub fn options(self, ids: &[&str]) -> Self {
        ids.iter().fold(self, |t, id| t.option(id, |o| o))
    }

    /// Declares the rule `id` (or refines the one declared before).
    pub fn rule_with(mut self, id: &str, f: impl FnOnce(RuleBuilder) -> RuleBuilder) -> Self {
        declare(&mut self.rules, id, f);
        self
    }

    /// A rule that scores options when `when` (TOML) holds.
    pub fn rule(self, id: &str, when: &str, score: &[(&str, i64)]) -> Self {
        self.rule_with(id, |r| r.when(when).score(score))
    }

    /// A rule without `when`: it scores options whatever the answers.
    pub fn always(self, id: &str, score: &[(&str, i64)]) -> Self {
        self.rule_with(id, |r| r.score(score))
    }

    /// Rules declared apart (with [`RuleBuilder::new`]), in this order;
    /// each replaces a rule declared before under its id.
    pub fn rules(mut self, rules: impl IntoIterator<Item = RuleBuilder>) -> Self {
        for rule in rules {
            declare(&mut self.rules, &rule.table.id.clone(), |_| rule);
        }
        self
    }

    fn render(&self) -> String {
        let defaults = match self.extension {
            true => Vec::new(),
            false => vec![
                ("title", quote(&sentence(self.table.id()))),
                ("problem", quote("Which?")),
                ("choice", quote("one")),
            ],
        };
        let mut tables = vec![self.table.render("[topic]", Self::KEYS, &defaults)];
        tables.extend(self.options.iter().map(OptionBuilder::render));
        tables.extend(self.rules.iter().map(RuleBuilder::render));
        tables.join("\n")
    }
}

/// One `[[option]]`, named after its id unless given a name.
#[derive(Clone, Debug)]
pub struct OptionBuilder {
    table: Table,
}

impl OptionBuilder {
    const KEYS: &[&str] = &[
        "name",
        "summary",
        "good",
        "bad",
        "neutral",
        "profile",
        "profile_why",
        "profile_sources",
    ];

    pub fn name(self, name: &str) -> Self {
        self.field("name", &quote(name))
    }

    pub fn summary(self, summary: &str) -> Self {
        self.field("summary", &quote(summary))
    }

    /// What speaks for the option.
    pub fn good(self, points: &[&str]) -> Self {
        self.field("good", &string_list(points))
    }

    /// What speaks against the option.
    pub fn bad(self, points: &[&str]) -> Self {
        self.field("bad", &string_list(points))
    }

    /// Ratings on the quality attributes by key (`cost`, `latency`, ...),
    /// 0 for those not given, with why, citing [`SOURCE`].
    pub fn profile(self, ratings: &[(&str, i64)], why: &str) -> Self {
        let rating = |key: &str| ratings.iter().find(|(k, _)| *k == key).map_or(0, |r| r.1);
        let all: Vec<(&str, i64)> = Attribute::ALL
            .iter()
            .map(|a| (a.key(), rating(a.key())))
            .collect();
        self.field("profile", &inline_table(&all))
            .field("profile_why", &quote(why))
            .field("profile_sources", &string_list(&[SOURCE]))
    }

    fn render(&self) -> String {
        let name = capitalized(self.table.id());
        let defaults = [
            ("name", quote(&name)),
            ("summary", quote(&format!("{name}."))),
        ];
        self.table.render("[[option]]", Self::KEYS, &defaults)
    }
}

/// One `[[rule]]`: summarised after its id, citing [`SOURCE`].
#[derive(Clone, Debug)]
pub struct RuleBuilder {
    table: Table,
}

impl RuleBuilder {
    const KEYS: &[&str] = &[
        "override",
        "summary",
        "when",
        "score",
        "exclude",
        "advice",
        "rationale",
        "sources",
        "reviewed",
        "evidence",
    ];

    /// Fires when this condition (TOML) holds.
    pub fn when(self, condition: &str) -> Self {
        self.field("when", condition)
    }

    /// Points to options when it fires.
    pub fn score(self, points: &[(&str, i64)]) -> Self {
        self.field("score", &inline_table(points))
    }

    /// Options it rules out when it fires.
    pub fn exclude(self, options: &[&str]) -> Self {
        self.field("exclude", &string_list(options))
    }

    pub fn summary(self, summary: &str) -> Self {
        self.field("summary", &quote(summary))
    }

    pub fn advice(self, advice: &str) -> Self {
        self.field("advice", &quote(advice))
    }

    /// The rationale, instead of a placeholder.
    pub fn rationale(self, rationale: &str) -> Self {
        self.field("rationale", &quote(rationale))
    }

    /// Source ids or inline citations, instead of [`SOURCE`].
    pub fn sources(self, sources: &[&str]) -> Self {
        self.field("sources", &string_list(sources))
    }

    /// The review date, a TOML date: `2026-01-01`.
    pub fn reviewed(self, date: &str) -> Self {
        self.field("reviewed", date)
    }

    /// The evidence grade: `default`, `known`, ...
    pub fn evidence(self, grade: &str) -> Self {
        self.field("evidence", &quote(grade))
    }

    /// In a rule pack: replaces the base's rule with this id.
    pub fn overrides(self) -> Self {
        self.field("override", "true")
    }

    fn render(&self) -> String {
        let defaults = [
            ("summary", quote(&sentence(self.table.id()))),
            ("rationale", quote("r")),
            ("sources", string_list(&[SOURCE])),
        ];
        self.table.render("[[rule]]", Self::KEYS, &defaults)
    }
}

/// One `[[risk]]`: a medium risk titled after its id, citing [`SOURCE`].
#[derive(Clone, Debug)]
pub struct RiskBuilder {
    table: Table,
}

impl RiskBuilder {
    const KEYS: &[&str] = &[
        "kind",
        "severity",
        "title",
        "when",
        "rationale",
        "mitigation",
        "sources",
        "topics",
        "reviewed",
        "evidence",
    ];

    /// Raised when this condition (TOML) holds.
    pub fn when(self, condition: &str) -> Self {
        self.field("when", condition)
    }

    /// The topics whose reports show it.
    pub fn topics(self, topics: &[&str]) -> Self {
        self.field("topics", &string_list(topics))
    }

    /// `risk`, or another kind.
    pub fn kind(self, kind: &str) -> Self {
        self.field("kind", &quote(kind))
    }

    pub fn severity(self, severity: &str) -> Self {
        self.field("severity", &quote(severity))
    }

    pub fn title(self, title: &str) -> Self {
        self.field("title", &quote(title))
    }

    /// Source ids or inline citations, instead of [`SOURCE`].
    pub fn sources(self, sources: &[&str]) -> Self {
        self.field("sources", &string_list(sources))
    }

    fn render(&self) -> String {
        let defaults = [
            ("kind", quote("risk")),
            ("severity", quote("medium")),
            ("title", quote(&sentence(self.table.id()))),
            ("rationale", quote("r")),
            ("mitigation", quote("m")),
            ("sources", string_list(&[SOURCE])),
        ];
        self.table.render("[[risk]]", Self::KEYS, &defaults)
    }
}

/// `new`, `field` and `without`, and what `declare` needs, for every item
/// builder.
macro_rules! declared_item {
    ($($builder:ident $({ $($extra:ident: $value:expr),* })?),*) => {$(
        impl $builder {
            /// The item `id`, with nothing set but what every one has.
            pub fn new(id: &str) -> Self {
                Self { table: Table::new(id) $($(, $extra: $value)*)? }
            }

            /// Sets `key` to a value given as TOML (`"text"`, `3`, `["a"]`,
            /// `{ q = "x", eq = true }`), for what has no setter of its own.
            pub fn field(mut self, key: &str, toml: &str) -> Self {
                self.table.set(key, Some(toml));
                self
            }

            /// Leaves `key` out, default or not: a required key left out
            /// makes the rule base fail to load.
            pub fn without(mut self, key: &str) -> Self {
                self.table.set(key, None);
                self
            }
        }

        impl Declared for $builder {
            fn new(id: &str) -> Self {
                Self::new(id)
            }

            fn id(&self) -> &str {
                self.table.id()
            }
        }
    )*};
}

declared_item!(
    QuestionBuilder,
    SourceBuilder,
    TopicBuilder {
        extension: false,
        options: Vec::new(),
        rules: Vec::new()
    },
    OptionBuilder,
    RuleBuilder,
    RiskBuilder
);

/// An item declared by id: a question, topic, option, rule, risk or source.
trait Declared: Sized {
    fn new(id: &str) -> Self;
    fn id(&self) -> &str;
}

/// Applies `f` to the item `id`: the one declared before, in its place, or
/// a new one at the end.
fn declare<T: Declared>(items: &mut Vec<T>, id: &str, f: impl FnOnce(T) -> T) {
    match items.iter().position(|item| item.id() == id) {
        Some(i) => {
            let item = items.remove(i);
            items.insert(i, f(item));
        }
        None => items.push(f(T::new(id))),
    }
}

/// One TOML table: its id, and the other keys as set, each with its value
/// as TOML text, or `None` where the key is to be left out.
#[derive(Clone, Debug)]
struct Table {
    id: String,
    fields: Vec<(String, Option<String>)>,
}

impl Table {
    fn new(id: &str) -> Self {
        Self {
            id: id.to_owned(),
            fields: Vec::new(),
        }
    }

    fn id(&self) -> &str {
        &self.id
    }

    fn set(&mut self, key: &str, value: Option<&str>) {
        let value = value.map(str::to_owned);
        match self.fields.iter_mut().find(|(k, _)| k == key) {
            Some(field) => field.1 = value,
            None => self.fields.push((key.to_owned(), value)),
        }
    }

    /// `header`, the id, then `key = value` lines: the known keys in the
    /// file format's order (a default where a key is not set), then any
    /// other key in the order set.
    fn render(&self, header: &str, keys: &[&str], defaults: &[(&str, String)]) -> String {
        let set = |key: &str| self.fields.iter().find(|(k, _)| k == key).map(|f| &f.1);
        let default = |key: &str| defaults.iter().find(|(k, _)| *k == key).map(|d| &d.1);
        let known = keys.iter().filter_map(|&key| match set(key) {
            Some(value) => value.as_ref().map(|v| (key, v)),
            None => default(key).map(|v| (key, v)),
        });
        let other = self
            .fields
            .iter()
            .filter(|(k, _)| !keys.contains(&k.as_str()));
        let other = other.filter_map(|(k, v)| v.as_ref().map(|v| (k.as_str(), v)));
        let mut out = format!("{header}\nid = {}\n", quote(&self.id));
        for (key, value) in known.chain(other) {
            out.push_str(&format!("{key} = {value}\n"));
        }
        out
    }
}

fn borrowed(texts: &[(String, String)]) -> Vec<(&str, &str)> {
    texts
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect()
}

/// A TOML string.
fn quote(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

/// A number as TOML: whole numbers without a fraction.
fn toml_number(n: f64) -> String {
    match n.fract() == 0.0 && n.abs() < 1e15 {
        true => format!("{}", n as i64),
        false => format!("{n:?}"),
    }
}

fn string_list(items: &[&str]) -> String {
    let items: Vec<String> = items.iter().map(|s| quote(s)).collect();
    format!("[{}]", items.join(", "))
}

/// `{ a = 1, b = -2 }`
fn inline_table(entries: &[(&str, i64)]) -> String {
    let entries: Vec<String> = entries.iter().map(|(k, v)| format!("{k} = {v}")).collect();
    format!("{{ {} }}", entries.join(", "))
}

/// `[{ id = "a", label = "A" }, ...]`
fn choice_list(ids: &[&str]) -> String {
    let choices: Vec<String> = ids
        .iter()
        .map(|id| {
            format!(
                "{{ id = {}, label = {} }}",
                quote(id),
                quote(&capitalized(id))
            )
        })
        .collect();
    format!("[{}]", choices.join(", "))
}

/// `sql` → `Sql`.
fn capitalized(id: &str) -> String {
    let mut chars = id.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// `big-load_wins` → `Big load wins`.
fn sentence(id: &str) -> String {
    capitalized(&id.replace(['-', '_'], " "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_declared_rule_base_loads_with_the_defaults_filled_in() {
        let builder = RuleBaseBuilder::new()
            .question("team_size", |q| q.number().min(1.0).max(100.0).integer())
            .single("mode", &["a", "b"])
            .topic("t", |t| {
                t.options(&["x", "y"])
                    .rule(
                        "big-team-wants-y",
                        r#"{ q = "team_size", gt = 10 }"#,
                        &[("y", 2)],
                    )
                    .rule_with("mode-b-rules-out-x", |r| {
                        r.when(r#"{ q = "mode", eq = "b" }"#).exclude(&["x"])
                    })
            })
            .risk(
                "x-in-mode-a",
                r#"{ all = [{ decision = "t", eq = "x" }, { q = "mode", eq = "a" }] }"#,
                &["t"],
            );
        let rb = builder.build();
        let q = rb.question("team_size").unwrap();
        assert_eq!(
            (q.label.as_ref(), q.prompt.as_ref()),
            ("Team size", "Team size?")
        );
        let t = rb.topic("t").unwrap();
        assert_eq!(t.title, "T");
        assert_eq!(t.options[1].name, "Y");
        assert_eq!(t.rules[0].summary, "Big team wants y");
        assert_eq!(rb.risks().len(), 1);
        let paths: Vec<String> = builder.texts().into_iter().map(|(p, _)| p).collect();
        assert_eq!(paths, ["questions.toml", "topics/t.toml", "risks.toml"]);
    }

    #[test]
    fn declaring_an_id_again_refines_it_in_place() {
        let builder = RuleBaseBuilder::new()
            .number("load")
            .boolean("hot")
            .question("load", |q| q.allow_unknown().label("Peak load"))
            .topic("t", |t| t.options(&["a", "b"]).always("base", &[("a", 1)]))
            .topic("t", |t| {
                t.rule_with("base", |r| r.without("sources").sources(&["S1"]))
            });
        let texts = builder.texts();
        assert!(
            texts[0].1.starts_with(
                "[[question]]\nid = \"load\"\nlabel = \"Peak load\"\nprompt = \"Load?\"\n\
             help = \"h\"\nkind = \"number\"\nallow_unknown = true\n\n[[question]]\nid = \"hot\"\n"
            ),
            "{}",
            texts[0].1
        );
        assert!(
            texts[1].1.ends_with("sources = [\"S1\"]\n"),
            "{}",
            texts[1].1
        );
        assert_eq!(builder.texts().len(), 2);
    }

    #[test]
    fn a_rule_base_that_does_not_load_says_why() {
        let err = RuleBaseBuilder::new()
            .number("load")
            .topic("t", |t| t.options(&["a", "b"]).always("r", &[("c", 1)]))
            .try_build()
            .err()
            .unwrap();
        assert!(
            err.render(false).contains("unknown option `c`"),
            "{}",
            err.render(false)
        );
    }

    #[test]
    fn an_extended_topic_is_written_by_its_id_alone() {
        let pack = RuleBaseBuilder::new()
            .extend_topic("store", |t| t.always("acme", &[("sql", 1)]))
            .pack_files("acme", "[pack]\nname = \"acme\"\n");
        assert_eq!(
            pack.rules.topics[0]
                .text()
                .lines()
                .take(3)
                .collect::<Vec<_>>(),
            ["[topic]", "id = \"store\"", ""]
        );
        assert_eq!(pack.manifest.name(), "acme/pack.toml");
    }
}
