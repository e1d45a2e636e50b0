//! Checks the rules of a topic: each rule's id (unique across the rule
//! base), texts and sources, the options it scores or knocks out, its
//! advice, its condition, and when and how well it was last checked.

use super::{IdStyle, MAX_POINTS, Scope, Validator, sp};
use crate::Source;
use crate::diagnostic::{Diagnostic, unknown_option};
use crate::ids::{OptionId, RuleId, TopicId};
use crate::raw::{self, RawRule};
use crate::source::{SourceFile, Span, Text};
use crate::topic::{Evidence, Rule, RuleOrigin, TopicOption};
use std::sync::Arc;
use toml::Spanned;

impl Validator {
    pub(super) fn rule(
        &mut self,
        file: &Arc<SourceFile>,
        entry: &Spanned<raw::RawRule>,
        topic: &TopicId,
        options: &[TopicOption],
        scope: &Scope<'_>,
        sources: &[Source],
    ) -> Option<Rule> {
        let span = sp(file, entry);
        let raw = entry.get_ref();
        let id = raw.id.get_ref();
        let mut ok = self.rule_id(file, raw);
        let what = format!("rule `{id}`");
        let summary = self.text(&raw.summary, "summary", &what, &span);
        let rationale = self.text(&raw.rationale, "rationale", &what, &span);
        let sources = self.cited(file, &raw.sources, &what, &span, sources);
        let score = self.score(file, raw, topic, options);
        let exclude = self.exclude(file, raw, topic, options);
        ok &= self.has_effect(file, raw, &span);
        let when = match &raw.when {
            Some(c) => match self.condition(file, c, scope) {
                Some(c) => Some(c),
                None => {
                    ok = false;
                    None
                }
            },
            None => None,
        };
        let reviewed = raw.reviewed.as_ref().and_then(|r| self.reviewed(file, r));
        let evidence = raw.evidence.as_ref().and_then(|e| self.evidence(file, e));
        let advice = raw.advice.as_ref().map(|a| a.get_ref().trim().to_owned());
        let (true, Some(score), Some(exclude)) = (ok, score, exclude) else {
            return None;
        };
        Some(Rule {
            id: RuleId::new(id.as_str()),
            topic: topic.clone(),
            summary: summary.into(),
            when,
            score,
            exclude,
            advice: advice.map(Text::from),
            rationale: rationale.into(),
            sources,
            reviewed: reviewed.map(Text::from),
            evidence,
            origin: RuleOrigin::Requirement,
            span,
        })
    }

    /// Whether a rule's id is well formed, new, and without an `override`
    /// outside a pack. A duplicate is reported, then the rule is still
    /// checked so that its other problems show too.
    fn rule_id(&mut self, file: &Arc<SourceFile>, raw: &RawRule) -> bool {
        let id = raw.id.get_ref();
        let mut ok = self.check_id(file, &raw.id, "rule", IdStyle::Kebab);
        if let Some(first) = self.rule_ids.get(id) {
            let first = first.clone();
            self.duplicate("rule", id, &sp(file, &raw.id), &first);
            ok = false;
        } else {
            self.rule_ids.insert(id.clone(), sp(file, &raw.id));
        }
        if let (Some(flag), false) = (&raw.override_rule, self.in_pack) {
            self.error(
                Diagnostic::error("`override` only applies to a rule in a rule pack")
                    .at(&sp(file, flag), "not in a pack")
                    .help("a rule base defines its rules; a pack (a directory with `pack.toml`) overrides them"),
            );
            ok = false;
        }
        ok
    }

    /// A rule's points by option, in option order; `None` once an unknown
    /// option or points out of range are reported.
    fn score(
        &mut self,
        file: &Arc<SourceFile>,
        raw: &RawRule,
        topic: &TopicId,
        options: &[TopicOption],
    ) -> Option<Vec<(OptionId, i32)>> {
        let option_ids = || options.iter().map(|o| o.id.as_str());
        let mut ok = true;
        let mut score = Vec::new();
        for (option, points) in &raw.score {
            let name = option.get_ref();
            if !options.iter().any(|o| o.id.as_str() == name) {
                self.error(unknown_option(
                    format!("unknown option `{name}` in topic `{topic}`"),
                    &sp(file, option),
                    topic.as_str(),
                    name,
                    option_ids(),
                ));
                ok = false;
                continue;
            }
            let p = *points.get_ref();
            if p == 0 || p.abs() > MAX_POINTS {
                self.error(
                    Diagnostic::error(format!("points must be between -{MAX_POINTS} and {MAX_POINTS}, and not 0"))
                        .at(&sp(file, points), "out of range")
                        .help("to rule an option out whatever else holds, use `exclude` and say why in `summary`"),
                );
                ok = false;
                continue;
            }
            score.push((OptionId::new(name.as_str()), p as i32));
        }
        score.sort_by_key(|(o, _)| options.iter().position(|x| &x.id == o));
        ok.then_some(score)
    }

    /// The options a rule knocks out, each once; `None` once an unknown
    /// option is reported.
    fn exclude(
        &mut self,
        file: &Arc<SourceFile>,
        raw: &RawRule,
        topic: &TopicId,
        options: &[TopicOption],
    ) -> Option<Vec<OptionId>> {
        let option_ids = || options.iter().map(|o| o.id.as_str());
        let mut ok = true;
        let mut exclude = Vec::new();
        for option in &raw.exclude {
            let name = option.get_ref();
            if !options.iter().any(|o| o.id.as_str() == name) {
                self.error(
                    Diagnostic::error(format!("unknown option `{name}` in topic `{topic}`"))
                        .at(&sp(file, option), "no such option")
                        .suggest(name, option_ids()),
                );
                ok = false;
            } else if !exclude.iter().any(|o: &OptionId| o.as_str() == name) {
                exclude.push(OptionId::new(name.as_str()));
            }
        }
        ok.then_some(exclude)
    }

    /// Whether a rule does something: advice, if given, is not empty; it
    /// scores, knocks out or advises; and a knock-out has a condition.
    fn has_effect(&mut self, file: &Arc<SourceFile>, raw: &RawRule, span: &Span) -> bool {
        let id = raw.id.get_ref();
        let mut ok = true;
        if let Some(empty) = raw
            .advice
            .as_ref()
            .filter(|a| a.get_ref().trim().is_empty())
        {
            self.error(
                Diagnostic::error(format!("rule `{id}` has empty `advice`"))
                    .at(&sp(file, empty), "empty")
                    .help("write the advice, or leave `advice` out"),
            );
            ok = false;
        }
        if raw.score.is_empty() && raw.exclude.is_empty() && raw.advice.is_none() {
            self.error(
                Diagnostic::error(format!("rule `{id}` has no effect"))
                    .at(span, "defined here")
                    .help("add `score = { option = points }`, `exclude = [\"option\"]` or `advice = \"...\"`"),
            );
            ok = false;
        }
        if !raw.exclude.is_empty() && raw.when.is_none() {
            self.error(
                Diagnostic::error(format!("knock-out rule `{id}` has no condition"))
                    .at(span, "excludes options unconditionally")
                    .help("a knock-out applies to a situation: add `when`; or remove the option from the topic"),
            );
            ok = false;
        }
        ok
    }

    pub(super) fn evidence(
        &mut self,
        file: &Arc<SourceFile>,
        e: &Spanned<String>,
    ) -> Option<Evidence> {
        self.keyword(file, e, "evidence", &Evidence::ALL)
    }

    pub(super) fn reviewed(
        &mut self,
        file: &Arc<SourceFile>,
        value: &Spanned<toml::Value>,
    ) -> Option<String> {
        let text = match value.get_ref() {
            toml::Value::String(s) => s.clone(),
            toml::Value::Datetime(d) if d.time.is_none() && d.offset.is_none() => d.to_string(),
            _ => String::new(),
        };
        if text.parse::<jiff::civil::Date>().is_ok() && text.len() == 10 {
            Some(text)
        } else {
            self.error(
                Diagnostic::error("`reviewed` must be a date")
                    .at(&sp(file, value), "expected YYYY-MM-DD")
                    .help("for example `reviewed = 2026-11-21`"),
            );
            None
        }
    }
}
