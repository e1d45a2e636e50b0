//! Checks the risks and contradictions of `risks.toml`: each one's id,
//! kind, severity, texts and sources, the condition that flags it (which
//! may read any question or decision) and the topics it is told with.
//! They read every part of the rule base, so they are checked last, and
//! only against a rule base without errors.

use super::{IdStyle, Parsed, Scope, Validator, sp};
use crate::Source;
use crate::condition::Condition;
use crate::diagnostic::Diagnostic;
use crate::ids::{RuleId, TopicId};
use crate::load::{self, RuleBaseFiles};
use crate::raw::{self, RawRisk};
use crate::risk::{Risk, RiskKind, Severity};
use crate::source::{SourceFile, Span, Text};
use crate::topic::Topic;
use std::collections::BTreeMap;
use std::sync::Arc;
use toml::Spanned;

impl Validator {
    /// The risks file, if any: checked only when the rest has no errors,
    /// since against a broken rule base each earlier mistake would come
    /// back as a dozen here.
    pub(super) fn risks_file(
        &mut self,
        files: &RuleBaseFiles,
        parsed: Option<Parsed<raw::RisksFile>>,
        scope: &Scope<'_>,
        topics: &[Topic],
        registry: &[Source],
    ) -> Vec<Risk> {
        match (&files.risks, parsed) {
            (Some(_), Some(Err(d))) => {
                self.error(*d);
                Vec::new()
            }
            (Some(file), Some(_)) if self.diags.has_errors() => {
                self.diags.push(
                    Diagnostic::warning(format!(
                        "`{}` was not checked: the errors above come first",
                        load::RISKS_FILE
                    ))
                    .in_file(file.name())
                    .help("fix them, then check again"),
                );
                Vec::new()
            }
            (Some(file), Some(Ok(parsed))) => {
                let mut seen: BTreeMap<String, Span> = BTreeMap::new();
                let mut out = Vec::new();
                for entry in &parsed.risks {
                    out.extend(self.risk(file, entry, &mut seen, scope, topics, registry));
                }
                out
            }
            _ => Vec::new(),
        }
    }

    /// One risk; `seen` holds the ids of the risks before it.
    fn risk(
        &mut self,
        file: &Arc<SourceFile>,
        entry: &Spanned<RawRisk>,
        seen: &mut BTreeMap<String, Span>,
        scope: &Scope<'_>,
        topics: &[Topic],
        registry: &[Source],
    ) -> Option<Risk> {
        let span = sp(file, entry);
        let raw = entry.get_ref();
        let id = raw.id.get_ref();
        let mut ok = self.check_id(file, &raw.id, "risk", IdStyle::Kebab);
        if let Some(first) = seen.get(id) {
            let first = first.clone();
            self.duplicate("risk", id, &sp(file, &raw.id), &first);
            ok = false;
        } else {
            seen.insert(id.clone(), sp(file, &raw.id));
        }
        let what = format!("risk `{id}`");
        let title = self.text(&raw.title, "title", &what, &span);
        let rationale = self.text(&raw.rationale, "rationale", &what, &span);
        let mitigation = self.text(&raw.mitigation, "mitigation", &what, &span);
        let sources = self.cited(file, &raw.sources, &what, &span, registry);
        let kind = match &raw.kind {
            Some(k) => self.keyword(file, k, "risk kind", &RiskKind::ALL),
            None => Some(RiskKind::Risk),
        };
        let severity = self.severity(file, raw, &what, &span);
        let when = self.risk_condition(file, raw, &what, &span, scope);
        let on = self.risk_topics(file, raw, topics);
        let reviewed = raw.reviewed.as_ref().and_then(|r| self.reviewed(file, r));
        let evidence = raw.evidence.as_ref().and_then(|e| self.evidence(file, e));
        let texts = !(title.is_empty() || rationale.is_empty() || mitigation.is_empty());
        let (true, true, false, Some(kind), Some(severity), Some(when), Some(on)) =
            (ok, texts, sources.is_empty(), kind, severity, when, on)
        else {
            return None;
        };
        Some(Risk {
            id: RuleId::new(id.as_str()),
            kind,
            severity,
            title: title.into(),
            when,
            rationale: rationale.into(),
            mitigation: mitigation.into(),
            sources,
            topics: on,
            reviewed: reviewed.map(Text::from),
            evidence,
            span,
        })
    }

    /// A risk's severity, which it must have.
    fn severity(
        &mut self,
        file: &Arc<SourceFile>,
        raw: &RawRisk,
        what: &str,
        span: &Span,
    ) -> Option<Severity> {
        match &raw.severity {
            Some(k) => self.keyword(file, k, "severity", &Severity::ALL),
            None => {
                self.error(
                    Diagnostic::error(format!("{what} has no `severity`"))
                        .at(span, "defined here")
                        .help("add `severity = \"high\"`, `\"medium\"` or `\"low\"`"),
                );
                None
            }
        }
    }

    /// The condition that flags a risk, which it must have.
    fn risk_condition(
        &mut self,
        file: &Arc<SourceFile>,
        raw: &RawRisk,
        what: &str,
        span: &Span,
        scope: &Scope<'_>,
    ) -> Option<Condition> {
        match &raw.when {
            Some(c) => self.condition(file, c, scope),
            None => {
                self.error(
                    Diagnostic::error(format!("{what} has no condition"))
                        .at(span, "defined here")
                        .help("a risk flags a combination of answers: add `when`"),
                );
                None
            }
        }
    }

    /// The topics whose records carry a risk; `None` once an unknown topic
    /// is reported.
    fn risk_topics(
        &mut self,
        file: &Arc<SourceFile>,
        raw: &RawRisk,
        topics: &[Topic],
    ) -> Option<Vec<TopicId>> {
        let mut ok = true;
        let mut on = Vec::new();
        for topic in &raw.topics {
            let name = topic.get_ref();
            if topics.iter().any(|t| t.id.as_str() == name) {
                on.push(TopicId::new(name.as_str()));
            } else {
                self.error(
                    Diagnostic::error(format!("unknown topic `{name}`"))
                        .at(&sp(file, topic), "no such topic")
                        .suggest(name, topics.iter().map(|t| t.id.as_str())),
                );
                ok = false;
            }
        }
        ok.then_some(on)
    }
}
