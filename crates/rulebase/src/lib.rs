//! The rule base: questionnaire, topics, rules and sources, validated.
//!
//! Loading goes files → raw TOML shapes (`raw`, `load`) → checked types
//! (`validate`). A [`RuleBase`] can only be built through validation, so the
//! evaluator and the reports may rely on every id resolving and every
//! comparison fitting its question. The rule base is either the one compiled
//! into the binary or a directory given with `--rules`.

pub mod compiled;
pub mod condition;
pub mod diagnostic;
pub mod ids;
pub mod index;
pub mod load;
pub mod pack;
pub mod parallel;
pub mod profile;
pub mod question;
pub mod raw;
pub mod risk;
pub mod snapshot;
pub mod source;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod topic;
#[doc(hidden)]
pub mod validate;
pub mod value;

pub use compiled::{AnswerDomain, CompiledTest, EncodedAnswer};
pub use condition::{CondNode, Condition, Op, Test};
pub use profile::{Attribute, Profile};
pub use question::{Choice, Migration, NumberSpec, Question, QuestionKind, ValueMigration};
pub use risk::{Risk, RiskKind, Severity};
pub use topic::{
    DEFAULT_TIE_BREAK, DecisionKind, Evidence, PlanThresholds, Rule, RuleOrigin, Topic, TopicOption,
};
pub use validate::{IGNORED_FILE, MAX_POINTS, is_inline_citation};

use crate::diagnostic::{DataError, Diagnostic};
use crate::ids::{QuestionId, RuleId, SourceId, TopicId};
use crate::source::{SourceFile, Span, Text};
use load::{ReadError, RuleBaseFiles};
use sha2::{Digest, Sha256};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

/// How a condition names another topic's decision: `decision:<topic>` is
/// read like a single-choice question whose answer is the topic's winner.
pub const DECISION_PREFIX: &str = "decision:";

/// The pseudo-question under which a topic's decision is read.
pub fn decision_key(topic: &TopicId) -> QuestionId {
    QuestionId::new(format!("{DECISION_PREFIX}{topic}"))
}

/// What a run adds to the rule base besides its files: the user's
/// priorities (weights per attribute) and the policy applied, recorded so a
/// decision record can say, and `adr review` re-apply, what shaped it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Context {
    pub priorities: Vec<(Attribute, u8)>,
    pub policy: Option<String>,
}

/// A cited reference: a paper, a post, documentation, a real case.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct Source {
    pub id: SourceId,
    #[serde(borrow)]
    pub title: Cow<'static, str>,
    pub url: Option<Text>,
    #[serde(with = "crate::snapshot::span")]
    pub span: Span,
}

/// Why a rule base could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error(transparent)]
    Read(ReadError),
    #[error(transparent)]
    Invalid(#[from] DataError),
}

/// A file that is there but not usable text (not UTF-8, or past the size
/// limit) is invalid data, said as for an answers file, not "cannot read".
impl From<ReadError> for LoadError {
    fn from(e: ReadError) -> Self {
        let name = e.path.display().to_string();
        match e.source.kind() {
            std::io::ErrorKind::InvalidData => {
                let bytes = std::fs::read(&e.path).unwrap_or_default();
                let d = crate::diagnostic::not_utf8(&name, &bytes, "rule base files");
                Self::Invalid(DataError::single(d))
            }
            std::io::ErrorKind::FileTooLarge => Self::Invalid(DataError::single(
                crate::diagnostic::too_large(&name, "rule base files"),
            )),
            _ => Self::Read(e),
        }
    }
}

#[derive(Debug)]
pub struct RuleBase {
    questions: Vec<Question>,
    topics: Vec<Topic>,
    sources: Vec<Source>,
    risks: Vec<Risk>,
    /// Topic positions in evaluation order: each after the topics whose
    /// decisions its rules read.
    decision_order: Vec<usize>,
    /// Per topic position, its wave: 0 reads no decision, otherwise one more
    /// than the highest wave among the topics it reads.
    waves: Vec<usize>,
    question_index: BTreeMap<QuestionId, usize>,
    /// Per slot, the positions of the questions whose `when` reads it.
    gated_by: Vec<Vec<usize>>,
    rule_index: BTreeMap<RuleId, (usize, usize)>,
    files: Vec<(String, Arc<SourceFile>)>,
    fingerprint: std::sync::OnceLock<String>,
    warnings: Vec<Diagnostic>,
    origin: String,
    /// Rule packs layered over the base (`pack`), with what they changed.
    layers: pack::Layers,
    /// What the run added: the user's priorities and policy.
    context: Context,
    /// What each topic's rules read, by topic position.
    index: Vec<index::TopicIndex>,
}

impl RuleBase {
    /// A rule base read from a directory laid out as `rules/` is.
    pub fn from_dir(dir: &Path) -> Result<Self, LoadError> {
        if !dir.is_dir() {
            let reason = if dir.exists() {
                "not a directory"
            } else {
                "no such directory"
            };
            return Err(ReadError {
                path: dir.to_path_buf(),
                source: std::io::Error::new(std::io::ErrorKind::NotFound, reason),
            }
            .into());
        }
        let files = RuleBaseFiles::read_dir(dir)?;
        Ok(Self::from_files(files, &dir.display().to_string())?)
    }

    pub fn from_files(files: RuleBaseFiles, origin: &str) -> Result<Self, DataError> {
        let checked = validate::validate(&files, origin)?;
        Ok(Self::assemble(checked, files, origin))
    }

    /// A rule base from validated parts: numbers and compiles its tests,
    /// then assembles it.
    pub(crate) fn assemble(
        mut checked: validate::Checked,
        files: RuleBaseFiles,
        origin: &str,
    ) -> Self {
        assign_slots(&mut checked);
        let mut rb = Self::assemble_slotted(checked, files, origin);
        rb.compile_tests();
        rb
    }

    /// What answers to a slot look like, for encoding them and compiling
    /// the tests that read them.
    pub fn shape(&self, slot: u32) -> AnswerDomain<'_> {
        let slot = slot as usize;
        match self.questions.get(slot) {
            Some(q) => AnswerDomain::of_question(&q.kind),
            None => self
                .topics
                .get(slot - self.questions.len())
                .map_or(AnswerDomain::Other, |t| match t.kind {
                    DecisionKind::One => AnswerDomain::Decision(&t.options),
                    DecisionKind::Combination(_) => AnswerDomain::DecisionSet(&t.options),
                }),
        }
    }

    /// Compiles every test against its slot's shape (see [`code`]).
    fn compile_tests(&mut self) {
        for i in 0..self.questions.len() {
            let mut when = self.questions[i].when.take();
            if let Some(w) = &mut when {
                self.compile(w, |t| t.slot);
            }
            self.questions[i].when = when;
        }
        for t in 0..self.topics.len() {
            for r in 0..self.topics[t].rules.len() {
                let mut when = self.topics[t].rules[r].when.take();
                if let Some(w) = &mut when {
                    self.compile(w, |t| t.slot);
                }
                self.topics[t].rules[r].when = when;
            }
            let mut applies = self.topics[t].applies_when.take();
            if let Some(w) = &mut applies {
                self.compile(w, |t| t.slot);
            }
            self.topics[t].applies_when = applies;
        }
        let mut risks = std::mem::take(&mut self.risks);
        for r in &mut risks {
            self.compile(&mut r.when, |t| t.slot);
        }
        self.risks = risks;
    }

    /// Sets one condition's slots (by `slot`) and compiles its tests.
    fn compile(&self, when: &mut Condition, slot: impl Fn(&Test) -> u32) {
        when.assign_slots(&|test| {
            let slot = slot(test);
            let fast = match slot {
                Test::NO_SLOT => CompiledTest::Slow,
                slot => self.shape(slot).compile(&test.op),
            };
            (slot, fast)
        });
    }

    /// [`Self::assemble`] for parts whose tests have their slots and
    /// compiled forms already: a snapshot stores them.
    pub(crate) fn assemble_slotted(
        checked: validate::Checked,
        files: RuleBaseFiles,
        origin: &str,
    ) -> Self {
        // Validation rejects cycles; a snapshot was validated when built.
        let decision_order =
            decision_order(&checked.topics).unwrap_or_else(|_| (0..checked.topics.len()).collect());
        let question_index = checked
            .questions
            .iter()
            .enumerate()
            .map(|(i, q)| (q.id.clone(), i))
            .collect();
        let rule_index = checked
            .topics
            .iter()
            .enumerate()
            .flat_map(|(t, topic)| {
                topic
                    .rules
                    .iter()
                    .enumerate()
                    .map(move |(r, rule)| (rule.id.clone(), (t, r)))
            })
            .collect();
        let mut rb = Self {
            waves: waves(&checked.topics, &decision_order),
            decision_order,
            gated_by: Vec::new(),
            risks: checked.risks,
            questions: checked.questions,
            topics: checked.topics,
            sources: checked.sources,
            question_index,
            rule_index,
            files: files.all,
            fingerprint: std::sync::OnceLock::new(),
            warnings: checked.warnings,
            origin: origin.to_owned(),
            layers: pack::Layers::default(),
            context: Context::default(),
            index: Vec::new(),
        };
        rb.reindex();
        rb
    }

    /// Works out what each topic's rules read (see [`index`]), and which
    /// questions each answer gates.
    fn reindex(&mut self) {
        let mut gated_by: Vec<Vec<usize>> = vec![Vec::new(); self.slot_count()];
        for (position, question) in self.questions.iter().enumerate() {
            let Some(when) = &question.when else { continue };
            for test in when.tests() {
                let slot = match test.slot {
                    Test::NO_SLOT => self.slot(&test.question),
                    s => Some(s as usize),
                };
                if let Some(readers) = slot.and_then(|s| gated_by.get_mut(s))
                    && !readers.contains(&position)
                {
                    readers.push(position);
                }
            }
        }
        self.gated_by = gated_by;
        let index = index::build(
            &self.questions,
            &self.topics,
            &self.decision_order,
            self.slot_count(),
            &|q| self.slot(q),
        );
        self.index = index;
    }

    /// What a topic's rules read; empty for a topic of another rule base.
    pub fn topic_index(&self, topic: &Topic) -> &index::TopicIndex {
        static NONE: index::TopicIndex = index::TopicIndex::EMPTY;
        self.topic_position(topic)
            .and_then(|t| self.index.get(t))
            .unwrap_or(&NONE)
    }

    /// The position of one of this rule base's topics.
    pub fn topic_position(&self, topic: &Topic) -> Option<usize> {
        self.topics
            .iter()
            .position(|t| std::ptr::eq(t, topic))
            .or_else(|| self.topics.iter().position(|t| t.id == topic.id))
    }

    pub fn questions(&self) -> &[Question] {
        &self.questions
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        self.question_index.get(id).map(|&i| &self.questions[i])
    }

    /// The questions that take over answers given to `old`, a question
    /// renamed, split or no longer asked, in asking order.
    pub fn replacements<'a>(&'a self, old: &'a str) -> impl Iterator<Item = &'a Question> + 'a {
        self.questions
            .iter()
            .filter(move |q| q.migration.replaces.iter().any(|r| r.as_str() == old))
    }

    /// Whether other questions are asked depending on this one's answer.
    pub fn gates(&self, question: &QuestionId) -> bool {
        self.question_position(question.as_str())
            .is_some_and(|p| self.gates_at(p))
    }

    /// Whether the question at this position gates others.
    pub fn gates_at(&self, position: usize) -> bool {
        position < self.questions.len() && !self.gated_by(position as u32).is_empty()
    }

    /// Positions of the questions whose `when` reads this slot, ascending.
    pub fn gated_by(&self, slot: u32) -> &[usize] {
        self.gated_by.get(slot as usize).map_or(&[], Vec::as_slice)
    }

    /// Position of a question in the questionnaire (its asking order).
    pub fn question_position(&self, id: &str) -> Option<usize> {
        self.question_index.get(id).copied()
    }

    pub fn topics(&self) -> &[Topic] {
        &self.topics
    }

    pub fn topic(&self, id: &str) -> Option<&Topic> {
        self.topics.iter().find(|t| t.id.as_str() == id)
    }

    pub fn rule(&self, id: &str) -> Option<(&Topic, &Rule)> {
        self.rule_index
            .get(id)
            .map(|&(t, r)| (&self.topics[t], &self.topics[t].rules[r]))
    }

    /// The priorities and policy this rule base was given for the run.
    pub fn context(&self) -> &Context {
        &self.context
    }

    pub fn risks(&self) -> &[Risk] {
        &self.risks
    }

    /// How many answer slots evaluation needs: one per question, then one per
    /// topic's decision.
    pub fn slot_count(&self) -> usize {
        self.questions.len() + self.topics.len()
    }

    /// The slot of a question or a `decision:<topic>`.
    pub fn slot(&self, id: &QuestionId) -> Option<usize> {
        if let Some(&i) = self.question_index.get(id.as_str()) {
            return Some(i);
        }
        let topic = id.as_str().strip_prefix(DECISION_PREFIX)?;
        self.topics
            .iter()
            .position(|t| t.id.as_str() == topic)
            .map(|i| self.questions.len() + i)
    }

    /// This rule base with rules added to its topics: the user's priorities
    /// and policy, made rules so that they are traced like any other.
    /// Rules naming an unknown topic are dropped (callers build them from
    /// this rule base's own topics).
    pub fn with_rules(mut self, extra: Vec<Rule>, context: Context) -> Self {
        self.context = context;
        let slots: BTreeMap<QuestionId, u32> = (0..self.questions.len())
            .map(|i| self.questions[i].id.clone())
            .chain(self.topics.iter().map(|t| decision_key(&t.id)))
            .filter_map(|q| self.slot(&q).map(|s| (q, s as u32)))
            .collect();
        for mut rule in extra {
            let Some(t) = self.topics.iter().position(|t| t.id == rule.topic) else {
                continue;
            };
            if let Some(when) = &mut rule.when {
                self.compile(when, |t| {
                    slots.get(&t.question).copied().unwrap_or(Test::NO_SLOT)
                });
            }
            self.rule_index
                .insert(rule.id.clone(), (t, self.topics[t].rules.len()));
            self.topics[t].rules.push(rule);
        }
        self.reindex();
        self
    }

    /// Topics in the order linked decisions need: a topic comes after every
    /// topic whose decision it reads; otherwise in the rule base's order.
    pub fn in_decision_order<'a>(&'a self, topics: &[&'a Topic]) -> Vec<&'a Topic> {
        self.decision_order
            .iter()
            .map(|&i| &self.topics[i])
            .filter(|t| topics.iter().any(|x| x.id == t.id))
            .collect()
    }

    /// The topics grouped in waves of evaluation order: a topic reads only
    /// decisions of earlier waves, so the topics of one wave are independent.
    pub fn decision_waves<'a>(&'a self, topics: &[&'a Topic]) -> Vec<Vec<&'a Topic>> {
        let mut out: Vec<Vec<&Topic>> = Vec::new();
        for &i in &self.decision_order {
            let topic = &self.topics[i];
            if !topics.iter().any(|t| t.id == topic.id) {
                continue;
            }
            let wave = self.waves.get(i).copied().unwrap_or(0);
            if out.len() <= wave {
                out.resize_with(wave + 1, Vec::new);
            }
            out[wave].push(topic);
        }
        out.retain(|w| !w.is_empty());
        out
    }

    pub fn sources(&self) -> &[Source] {
        &self.sources
    }

    pub fn source(&self, id: &SourceId) -> Option<&Source> {
        self.sources.iter().find(|s| &s.id == id)
    }

    /// The files the rule base was read from, with paths relative to its root.
    pub fn files(&self) -> &[(String, Arc<SourceFile>)] {
        &self.files
    }

    /// Where the rule base came from: `rules` (built in) or a directory, then
    /// ` + name@version` for each pack layered over it.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// Problems worth telling that did not stop loading.
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    /// `sha256:` and the hex digest of every file's path and text (line
    /// endings normalised), packs' files included, so a decision record can
    /// tell whether the rule base it was made with is the one in use now.
    /// Computed on first use: only records and JSON need it.
    pub fn fingerprint(&self) -> &str {
        self.fingerprint
            .get_or_init(|| fingerprint(self.files.iter().chain(&self.layers.files)))
    }

    /// Records the fingerprint worked out when the binary was built, for
    /// the built-in rule base: hashing its 400 kB costs more than the rest
    /// of a run.
    pub fn with_fingerprint(self, fingerprint: &str) -> Self {
        if self.layers.files.is_empty() {
            let _ = self.fingerprint.set(fingerprint.to_owned());
        }
        self
    }

    /// The first 12 hex digits of the fingerprint, for display.
    pub fn short_fingerprint(&self) -> &str {
        let hex = self.fingerprint().trim_start_matches("sha256:");
        &hex[..hex.len().min(12)]
    }

    /// The questions that matter for these topics, in asking order: those
    /// their rules read, and those that gate them through `when`.
    pub fn relevant_questions(&self, topics: &[&Topic]) -> Vec<&Question> {
        self.relevant_positions(topics)
            .into_iter()
            .filter_map(|i| self.questions.get(i))
            .collect()
    }

    /// The positions of [`Self::relevant_questions`], ascending.
    pub fn relevant_positions(&self, topics: &[&Topic]) -> Vec<usize> {
        let mut all: Vec<usize> = topics
            .iter()
            .flat_map(|t| self.topic_index(t).relevant.iter().copied())
            .collect();
        if topics.len() > 1 {
            all.sort_unstable();
            all.dedup();
        }
        all
    }

    /// Resolves topic ids, suggesting the closest on a typo.
    pub fn select_topics(&self, ids: &[TopicId]) -> Result<Vec<&Topic>, String> {
        if ids.is_empty() {
            return Ok(self.topics.iter().collect());
        }
        let mut out: Vec<&Topic> = Vec::new();
        for id in ids {
            let Some(topic) = self.topic(id.as_str()) else {
                let mut message = format!("unknown topic `{id}`");
                if let Some(best) = crate::diagnostic::did_you_mean(
                    id.as_str(),
                    self.topics.iter().map(|t| t.id.as_str()),
                ) {
                    message.push_str(&format!("\n  help: did you mean `{best}`?"));
                }
                message.push_str("\n  help: `tradeoff topics` lists them");
                return Err(message);
            };
            if !out.iter().any(|t| t.id == topic.id) {
                out.push(topic);
            }
        }
        Ok(out)
    }
}

/// A topological order of the topics by the decisions their rules read,
/// stable with respect to the given order; or the cycle found, as the
/// topics along it with the span of a condition that closes each step.
pub(crate) fn decision_order(topics: &[Topic]) -> Result<Vec<usize>, Vec<(TopicId, Option<Span>)>> {
    let position = |id: &str| topics.iter().position(|t| t.id.as_str() == id);
    // reads[i]: (topic position read, the condition span reading it)
    let reads: Vec<Vec<(usize, Span)>> = topics
        .iter()
        .map(|t| {
            let mut out: Vec<(usize, Span)> = Vec::new();
            for when in t.conditions() {
                for test in when.tests() {
                    let q = &test.question;
                    if let Some(p) = q.as_str().strip_prefix(DECISION_PREFIX).and_then(position)
                        && !out.iter().any(|(x, _)| *x == p)
                    {
                        out.push((p, when.span.clone()));
                    }
                }
            }
            out
        })
        .collect();
    let mut order = Vec::with_capacity(topics.len());
    let mut placed = vec![false; topics.len()];
    while order.len() < topics.len() {
        let next =
            (0..topics.len()).find(|&i| !placed[i] && reads[i].iter().all(|(p, _)| placed[*p]));
        match next {
            Some(i) => {
                placed[i] = true;
                order.push(i);
            }
            None => {
                // Every unplaced topic waits on another: walk until a repeat.
                let mut path: Vec<usize> = Vec::new();
                let mut at = (0..topics.len()).find(|&i| !placed[i]).unwrap_or(0);
                while !path.contains(&at) {
                    path.push(at);
                    at = reads[at]
                        .iter()
                        .find(|(p, _)| !placed[*p])
                        .map_or(at, |(p, _)| *p);
                }
                let start = path.iter().position(|&p| p == at).unwrap_or(0);
                let cycle = path[start..]
                    .iter()
                    .enumerate()
                    .map(|(k, &i)| {
                        let next = path[start..].get(k + 1).copied().unwrap_or(at);
                        let span = reads[i]
                            .iter()
                            .find(|(p, _)| *p == next)
                            .map(|(_, s)| s.clone());
                        (topics[i].id.clone(), span)
                    })
                    .collect();
                return Err(cycle);
            }
        }
    }
    Ok(order)
}

/// Numbers every question (by position) and every topic's decision (after
/// the questions, by topic position), and writes each test's slot.
pub(crate) fn assign_slots(checked: &mut validate::Checked) {
    let questions: BTreeMap<QuestionId, u32> = checked
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| (q.id.clone(), i as u32))
        .collect();
    let n = checked.questions.len() as u32;
    let decisions: BTreeMap<String, u32> = checked
        .topics
        .iter()
        .enumerate()
        .map(|(i, t)| (format!("{DECISION_PREFIX}{}", t.id), n + i as u32))
        .collect();
    let slot = |test: &Test| {
        let slot = questions
            .get(&test.question)
            .or_else(|| decisions.get(test.question.as_str()))
            .copied()
            .unwrap_or(Test::NO_SLOT);
        (slot, CompiledTest::Slow)
    };
    for q in &mut checked.questions {
        if let Some(when) = &mut q.when {
            when.assign_slots(&slot);
        }
    }
    for t in &mut checked.topics {
        for when in t.conditions_mut() {
            when.assign_slots(&slot);
        }
    }
    for r in &mut checked.risks {
        r.when.assign_slots(&slot);
    }
}

fn waves(topics: &[Topic], order: &[usize]) -> Vec<usize> {
    let mut waves = vec![0; topics.len()];
    for &i in order {
        let mut wave = 0;
        for when in topics[i].conditions() {
            for test in when.tests() {
                let read = test.question.as_str().strip_prefix(DECISION_PREFIX);
                if let Some(p) = read.and_then(|id| topics.iter().position(|t| t.id.as_str() == id))
                {
                    wave = wave.max(waves[p] + 1);
                }
            }
        }
        waves[i] = wave;
    }
    waves
}

/// The fingerprint of these files (see [`RuleBase::fingerprint`]).
pub fn fingerprint<'a>(files: impl Iterator<Item = &'a (String, Arc<SourceFile>)>) -> String {
    let mut sorted: Vec<&(String, Arc<SourceFile>)> = files.collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    let mut hasher = Sha256::new();
    for (path, file) in sorted {
        let text = file.text().replace("\r\n", "\n");
        hasher.update(path.as_bytes());
        hasher.update([0]);
        hasher.update((text.len() as u64).to_le_bytes());
        hasher.update(text.as_bytes());
    }
    let digest = hasher.finalize();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}
