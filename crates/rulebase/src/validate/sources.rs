//! Checks the cited sources: the registry in `sources.toml`, and each
//! `sources` list of a rule, a risk or a profile against it.

use super::{IdStyle, Parsed, Validator, optional_text, sp};
use crate::Source;
use crate::diagnostic::Diagnostic;
use crate::ids::SourceId;
use crate::raw;
use crate::source::{SourceFile, Span};
use std::sync::Arc;
use toml::Spanned;

/// A source entry written out in full rather than as a registry id.
pub fn is_inline_citation(text: &str) -> bool {
    text.contains("://") || text.contains(' ')
}

impl Validator {
    pub(super) fn sources(
        &mut self,
        file: &Arc<SourceFile>,
        parsed: Parsed<raw::SourcesFile>,
    ) -> Vec<Source> {
        let Some(parsed) = self.parsed(parsed) else {
            return Vec::new();
        };
        let mut out: Vec<Source> = Vec::new();
        for entry in &parsed.sources {
            let span = sp(file, entry);
            let raw = entry.get_ref();
            if !self.check_id(file, &raw.id, "source", IdStyle::Source) {
                continue;
            }
            if let Some(first) = out.iter().find(|s| s.id.as_str() == raw.id.get_ref()) {
                let first = first.span.clone();
                self.duplicate("source", raw.id.get_ref(), &sp(file, &raw.id), &first);
                continue;
            }
            let title = self.text(
                &raw.title,
                "title",
                &format!("source `{}`", raw.id.get_ref()),
                &span,
            );
            out.push(Source {
                id: SourceId::new(raw.id.get_ref().as_str()),
                title: title.into(),
                url: optional_text(raw.url.as_ref()),
                span,
            });
        }
        out
    }

    /// A `sources` list: registry ids or full citations, at least one.
    pub(super) fn cited(
        &mut self,
        file: &Arc<SourceFile>,
        sources: &Option<Spanned<Vec<Spanned<String>>>>,
        what: &str,
        span: &Span,
        registry: &[Source],
    ) -> Vec<SourceId> {
        let list = match sources {
            Some(list) if !list.get_ref().is_empty() => list.get_ref(),
            _ => {
                self.error(
                    Diagnostic::error(format!("{what} has no `sources`"))
                        .at(span, "every heuristic cites where it comes from")
                        .help("add `sources = [\"S1\"]` (an id from sources.toml) or a citation with a URL"),
                );
                return Vec::new();
            }
        };
        let mut out = Vec::new();
        for entry in list {
            let text = entry.get_ref().trim();
            if self.unchecked_sources
                || is_inline_citation(text)
                || registry.iter().any(|s| s.id.as_str() == text)
            {
                out.push(SourceId::new(text));
            } else {
                self.error(
                    Diagnostic::error(format!("unknown source `{text}`"))
                        .at(&sp(file, entry), "not in sources.toml")
                        .suggest(text, registry.iter().map(|s| s.id.as_str()))
                        .help("cite an id from sources.toml, or write the citation in full with its URL"),
                );
            }
        }
        out
    }
}
