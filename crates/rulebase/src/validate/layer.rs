//! Validation of a rule pack laid over a validated rule base.
//!
//! A pack is checked by the same [`Validator`] as a whole rule base, but
//! against what lies below it: its questions may gate on the base's, its rules
//! may read the base's questions, cite its sources and score its options, and
//! every id it defines is checked against the base's ids. Anything beyond
//! adding is explicit: a topic file naming an existing topic adds options and
//! rules to it; `override = true` replaces a rule; the manifest's `disable`
//! removes rules. Each mistake is reported at the pack's file, line and
//! column, with the base's location in a note, all in one pass.

use super::topics::decision_questions_of;
use super::{Checked, IdStyle, Scope, Validator, sp};
use crate::diagnostic::{DataError, Diagnostic};
use crate::ids::{RuleId, TopicId};
use crate::pack::{BUILTIN, Layers, PackChange, PackFiles, PackInfo, RawManifest};
use crate::raw::{self, RawRule};
use crate::source::{SourceFile, Span};
use crate::{Question, Risk, Rule, Source, Topic, load};
use std::sync::Arc;
use toml::Spanned;

/// A rule base with one more pack over it.
pub(crate) struct Layered {
    pub checked: Checked,
    pub info: PackInfo,
    /// What the pack did to each rule it touched.
    pub changes: Vec<(RuleId, PackChange)>,
    /// The rules it disabled, as they were.
    pub removed: Vec<Rule>,
}

pub(crate) fn layer(
    below: Checked,
    pack: &PackFiles,
    layers: &Layers,
) -> Result<Layered, DataError> {
    let Checked {
        questions,
        topics,
        sources,
        risks,
        warnings,
    } = below;
    let mut v = Validator {
        in_pack: true,
        ..Validator::default()
    };
    v.diags.extend(warnings);
    for topic in &topics {
        v.topic_ids.insert(topic.id.to_string(), topic.span.clone());
        for rule in &topic.rules {
            v.rule_ids.insert(rule.id.to_string(), rule.span.clone());
        }
    }
    let manifest = manifest(&mut v, pack, layers);
    if manifest.twice {
        // Everything else would be reported again as a duplicate of itself.
        return Err(std::mem::take(&mut v.diags)
            .finish()
            .err()
            .unwrap_or_else(|| DataError::new(Vec::new())));
    }
    for ignored in &pack.rules.ignored {
        v.diags.push(
            Diagnostic::warning(format!("ignored `{ignored}`: not a rule pack file"))
                .in_file(pack.dir.as_str())
                .help("a pack holds `pack.toml`, `questions.toml`, `sources.toml`, `topics/*.toml` and `scenarios/*.toml`"),
        );
    }
    let mut layering = Layering {
        v,
        questions,
        topics,
        sources,
        info: manifest.info,
        changes: Vec::new(),
    };
    layering.add_sources(pack);
    layering.add_questions(pack);
    for file in &pack.rules.topics {
        layering.add_topic_file(file);
    }
    let removed = layering.disable(pack, &manifest.disable, layers);
    layering.finish(risks, removed)
}

/// A pack being laid over the parts below it, with what it has added,
/// replaced and reported so far.
struct Layering {
    v: Validator,
    questions: Vec<Question>,
    topics: Vec<Topic>,
    sources: Vec<Source>,
    info: PackInfo,
    /// What the pack did to each rule it touched.
    changes: Vec<(RuleId, PackChange)>,
}

impl Layering {
    /// The pack's sources; one already below is reported, not added.
    fn add_sources(&mut self, pack: &PackFiles) {
        let Some(file) = &pack.rules.sources else {
            return;
        };
        let parsed = load::parse::<raw::SourcesFile>(file).map(|mut parsed| {
            parsed.sources.retain(|entry| {
                let id = &entry.get_ref().id;
                let first = self.sources.iter().find(|s| s.id.as_str() == id.get_ref());
                if let Some(first) = first {
                    self.v
                        .duplicate("source", id.get_ref(), &sp(file, id), &first.span);
                }
                first.is_none()
            });
            parsed
        });
        let added = self.v.sources(file, parsed);
        self.sources.extend(added);
    }

    /// The pack's questions, which may gate on the questions below.
    fn add_questions(&mut self, pack: &PackFiles) {
        let Some(file) = &pack.rules.questions else {
            return;
        };
        match load::parse::<raw::QuestionsFile>(file) {
            Err(d) => self.v.error(*d),
            Ok(parsed) => {
                let ids: Vec<String> = parsed
                    .questions
                    .iter()
                    .map(|q| q.get_ref().id.get_ref().clone())
                    .collect();
                for (index, entry) in parsed.questions.iter().enumerate() {
                    let earlier = &self.questions;
                    if let Some(question) = self.v.question(file, entry, earlier, &ids[index..]) {
                        self.info.questions.push(question.id.clone());
                        self.questions.push(question);
                    }
                }
            }
        }
    }

    /// One topic file of the pack: more of a topic below, or a topic of
    /// the pack's own.
    fn add_topic_file(&mut self, file: &Arc<SourceFile>) {
        let Some(parsed) = self.v.parsed(load::parse::<raw::TopicFile>(file)) else {
            return;
        };
        let id = parsed.topic.get_ref().id.get_ref();
        match self.topics.iter().position(|t| t.id.as_str() == id) {
            Some(index) => {
                let changes = self.extend_topic(file, &parsed, index);
                self.changes.extend(changes);
            }
            None => self.add_topic(file, parsed),
        }
    }

    /// A topic of the pack's own: no rule of it can override one below.
    fn add_topic(&mut self, file: &Arc<SourceFile>, mut parsed: raw::TopicFile) {
        let topic_id = TopicId::new(parsed.topic.get_ref().id.get_ref().as_str());
        parsed.rules.retain(|entry| {
            let overriding = is_override(entry.get_ref());
            if overriding {
                override_target(&mut self.v, file, entry, &topic_id, &self.topics);
            }
            !overriding
        });
        let decisions = decision_questions_of(&self.topics);
        let (questions, sources) = (&self.questions, &self.sources);
        let Some(topic) = self
            .v
            .topic(file, Ok(parsed), questions, &decisions, sources)
        else {
            return;
        };
        self.info.topics.push(topic.id.clone());
        for option in &topic.options {
            self.info
                .options
                .push((topic.id.clone(), option.id.clone()));
        }
        for rule in &topic.rules {
            self.info.rules.push(rule.id.clone());
            self.changes.push((rule.id.clone(), PackChange::Added));
        }
        self.topics.push(topic);
    }

    /// Options and rules the pack adds to `topics[index]`, a topic defined
    /// below it. Returns what it did to each rule.
    fn extend_topic(
        &mut self,
        file: &Arc<SourceFile>,
        parsed: &raw::TopicFile,
        index: usize,
    ) -> Vec<(RuleId, PackChange)> {
        self.report_restated(file, parsed, index);
        let topic_id = self.topics[index].id.clone();
        for entry in &parsed.options {
            let earlier = &self.topics[index].options;
            let combination = self.topics[index].plan_thresholds().is_some();
            if let Some(option) = self
                .v
                .option(file, entry, earlier, &self.sources, combination)
            {
                self.info
                    .options
                    .push((topic_id.clone(), option.id.clone()));
                self.topics[index].options.push(option);
            }
        }
        let decisions: Vec<Question> = decision_questions_of(&self.topics)
            .into_iter()
            .filter(|q| !q.id.as_str().ends_with(&format!(":{topic_id}")))
            .collect();
        let scope = Scope {
            questions: &self.questions,
            later: &[],
            decisions: &decisions,
            own_topic: Some(topic_id.as_str()),
        };
        let (v, topics, sources) = (&mut self.v, &mut self.topics, &self.sources);
        let mut changes = Vec::new();
        for entry in &parsed.rules {
            if !is_override(entry.get_ref()) {
                let options = &topics[index].options;
                if let Some(rule) = v.rule(file, entry, &topic_id, options, &scope, sources) {
                    self.info.rules.push(rule.id.clone());
                    changes.push((rule.id.clone(), PackChange::Added));
                    topics[index].rules.push(rule);
                }
                continue;
            }
            let Some(position) = override_target(v, file, entry, &topic_id, topics) else {
                continue;
            };
            // The pack's rule takes the id over: not a duplicate.
            v.rule_ids.remove(entry.get_ref().id.get_ref());
            let options = &topics[index].options;
            if let Some(rule) = v.rule(file, entry, &topic_id, options, &scope, sources) {
                let replaced = std::mem::replace(&mut topics[index].rules[position], rule);
                self.info.rules.push(replaced.id.clone());
                changes.push((
                    replaced.id,
                    PackChange::Overridden {
                        replaced: replaced.span.location(),
                    },
                ));
            }
        }
        changes
    }

    /// Reports what a pack restates of a topic defined below it: only its
    /// id may be given, to add to it.
    fn report_restated(&mut self, file: &Arc<SourceFile>, parsed: &raw::TopicFile, index: usize) {
        let raw = parsed.topic.get_ref();
        let restated: Vec<String> = [
            ("title", raw.title.is_some()),
            ("problem", raw.problem.is_some()),
            ("decision", raw.decision.is_some()),
            ("order", raw.order.is_some()),
            ("choice", raw.choice.is_some()),
            ("adopt_at", raw.adopt_at.is_some()),
            ("consider_at", raw.consider_at.is_some()),
            ("applies_when", raw.applies_when.is_some()),
            ("applies_because", raw.applies_because.is_some()),
            ("tie_break", raw.tie_break.is_some()),
            ("current", raw.current.is_some()),
        ]
        .into_iter()
        .filter(|(_, present)| *present)
        .map(|(key, _)| format!("`{key}`"))
        .collect();
        let topic_id = &self.topics[index].id;
        if !restated.is_empty() {
            self.v.error(
                Diagnostic::error(format!(
                    "topic `{topic_id}` is already defined; a pack cannot change its {}",
                    restated.join(", ")
                ))
                .at(&sp(file, &raw.id), "defined again here")
                .note(format!(
                    "first defined at {}",
                    self.topics[index].span.location()
                ))
                .help(format!(
                    "to add options and rules to `{topic_id}`, give only its `id` under `[topic]`; \
                     for a topic of your own, choose a new id"
                )),
            );
        }
    }

    /// Removes the rules the manifest's `disable` names, and returns them.
    fn disable(
        &mut self,
        pack: &PackFiles,
        disable: &[Spanned<String>],
        layers: &Layers,
    ) -> Vec<Rule> {
        let mut removed = Vec::new();
        let mut seen: std::collections::HashMap<&str, Span> = std::collections::HashMap::new();
        for entry in disable {
            let id = entry.get_ref();
            let at = Span::new(&pack.manifest, entry.span());
            if let Some(first) = seen.get(id.as_str()) {
                // Listed twice is a mistake, as a duplicate anywhere else is.
                self.v.error(
                    Diagnostic::error(format!("rule `{id}` is listed twice in `disable`"))
                        .at(&at, "listed again here")
                        .note(format!("first listed at {}", first.location()))
                        .help("list each rule once"),
                );
                continue;
            }
            seen.insert(id.as_str(), at.clone());
            if let Some((_, change)) = self.changes.iter().find(|(r, _)| r.as_str() == id) {
                let what = match change {
                    PackChange::Added => "defines it: delete the rule instead",
                    _ => "also overrides it: do one or the other",
                };
                self.v.error(
                    Diagnostic::error(format!("cannot disable rule `{id}`: this pack {what}"))
                        .at(&at, "disabled here"),
                );
                continue;
            }
            let found = self.topics.iter().enumerate().find_map(|(t, topic)| {
                topic
                    .rules
                    .iter()
                    .position(|r| r.id.as_str() == id)
                    .map(|r| (t, r))
            });
            match found {
                Some((t, r)) => {
                    let rule = self.topics[t].rules.remove(r);
                    self.info.disabled.push(rule.id.clone());
                    let change = PackChange::Disabled { at: at.location() };
                    self.changes.push((rule.id.clone(), change));
                    removed.push(rule);
                }
                None => {
                    let d = unknown_rule_to_disable(id, &at, &self.topics, layers);
                    self.v.error(d);
                }
            }
        }
        removed
    }

    /// Warns of topics left without rules, then checks the whole as a
    /// rule base.
    fn finish(mut self, risks: Vec<Risk>, removed: Vec<Rule>) -> Result<Layered, DataError> {
        for topic in &self.topics {
            if topic.rules.is_empty() {
                self.v.diags.push(
                    Diagnostic::warning(format!(
                        "topic `{}` has no rules left once pack `{}` is applied",
                        topic.id, self.info.name
                    ))
                    .at(&topic.span, "every option scores 0"),
                );
            }
        }
        self.topics
            .sort_by(|a, b| a.order.cmp(&b.order).then_with(|| a.id.cmp(&b.id)));
        self.v.acyclic(&self.topics);
        let warnings = self.v.diags.finish()?;
        Ok(Layered {
            checked: Checked {
                questions: self.questions,
                topics: self.topics,
                sources: self.sources,
                risks,
                warnings,
            },
            info: self.info,
            changes: self.changes,
            removed,
        })
    }
}

/// `disable` naming a rule that is not there: unknown, or disabled already
/// by a pack below.
fn unknown_rule_to_disable(id: &str, at: &Span, topics: &[Topic], layers: &Layers) -> Diagnostic {
    let d = Diagnostic::error(format!("cannot disable unknown rule `{id}`"))
        .at(at, "no such rule in the rule base");
    if let Some(earlier) = layers.disabled.iter().find(|r| r.id.as_str() == id) {
        let by = layers
            .rules
            .get(&earlier.id)
            .and_then(|p| layers.pack(p))
            .map_or_else(String::new, |p| format!(" by pack `{}`", p.name));
        d.note(format!("it is already disabled{by}"))
    } else {
        d.suggest(id, all_rules(topics))
            .help("`tradeoff rules list` lists the rules of the rule base the pack extends")
    }
}

/// The manifest's contents, checked.
struct Manifest {
    info: PackInfo,
    disable: Vec<Spanned<String>>,
    /// The same pack is already layered.
    twice: bool,
}

fn manifest(v: &mut Validator, pack: &PackFiles, layers: &Layers) -> Manifest {
    let file = &pack.manifest;
    let mut info = PackInfo {
        name: String::new(),
        version: None,
        description: None,
        dir: pack.dir.clone(),
        at: Span::new(file, 0..0).location(),
        topics: Vec::new(),
        options: Vec::new(),
        rules: Vec::new(),
        questions: Vec::new(),
        disabled: Vec::new(),
    };
    let raw = match load::parse::<RawManifest>(file) {
        Ok(raw) => raw.pack.into_inner(),
        Err(d) => {
            v.error(*d);
            return Manifest {
                info,
                disable: Vec::new(),
                twice: false,
            };
        }
    };
    let name = raw.name.get_ref();
    info.at = sp(file, &raw.name).location();
    let earlier = layers.packs.iter().find(|p| &p.name == name);
    if v.check_id(file, &raw.name, "pack", IdStyle::Kebab)
        && let Some(earlier) = earlier
    {
        v.error(
            Diagnostic::error(format!("pack `{name}` is layered twice"))
                .at(&sp(file, &raw.name), "layered again here")
                .note(format!(
                    "first layered from `{}` ({})",
                    earlier.dir, earlier.at
                ))
                .help("give each pack once, with `--rules-pack DIR` or `--rules DIR`"),
        );
    }
    info.name = name.clone();
    info.version = raw
        .version
        .as_ref()
        .map(|v| v.get_ref().trim().to_owned())
        .filter(|v| !v.is_empty());
    info.description = raw
        .description
        .as_ref()
        .map(|d| d.get_ref().trim().to_owned());
    if let Some(extends) = &raw.extends
        && extends.get_ref() != BUILTIN
    {
        v.error(
            Diagnostic::error(format!("unknown base `{}`", extends.get_ref()))
                .at(&sp(file, extends), format!("expected `{BUILTIN}`"))
                .help(
                    "a pack extends the built-in rule base; to layer packs over each other, \
                     give each with `--rules-pack DIR`, in order",
                ),
        );
    }
    Manifest {
        info,
        disable: raw.disable,
        twice: earlier.is_some(),
    }
}

fn is_override(rule: &RawRule) -> bool {
    rule.override_rule.as_ref().is_some_and(|o| *o.get_ref())
}

/// The position, in topic `topic`, of the rule an `override = true` rule
/// replaces; reports the mistake when there is no such rule there.
fn override_target(
    v: &mut Validator,
    file: &Arc<SourceFile>,
    entry: &Spanned<RawRule>,
    topic: &TopicId,
    topics: &[Topic],
) -> Option<usize> {
    let raw = entry.get_ref();
    let id = raw.id.get_ref();
    let at = sp(file, &raw.id);
    for other in topics {
        let Some(position) = other.rules.iter().position(|r| r.id.as_str() == id) else {
            continue;
        };
        if &other.id == topic {
            return Some(position);
        }
        v.error(
            Diagnostic::error(format!(
                "cannot override rule `{id}` in topic `{topic}`: it belongs to topic `{}`",
                other.id
            ))
            .at(&at, "overrides a rule of another topic")
            .note(format!(
                "`{id}` is defined at {}",
                other.rules[position].span.location()
            ))
            .help(format!(
                "override it in a file with `[topic] id = \"{}\"`",
                other.id
            )),
        );
        return None;
    }
    v.error(
        Diagnostic::error(format!("cannot override unknown rule `{id}`"))
            .at(&at, "no such rule in the rule base")
            .suggest(id, all_rules(topics))
            .help("to add a rule of the pack's own, remove `override = true`"),
    );
    None
}

fn all_rules(topics: &[Topic]) -> impl Iterator<Item = &str> {
    topics
        .iter()
        .flat_map(|t| t.rules.iter().map(|r| r.id.as_str()))
}
