//! Checks the cited sources: the registry in `sources.toml`, and each
//! `sources` list of a rule, a risk or a profile against it.
//!
//! A registry URL is written out as a link by `rules docs` and the reports,
//! so only web addresses (`http`, `https`) are accepted: a `javascript:`,
//! `data:` or `file:` link in a shared rule pack would run or open something
//! on the reader's machine.

use super::{IdStyle, Parsed, Validator, optional_text, sp};
use crate::Source;
use crate::diagnostic::Diagnostic;
use crate::ids::SourceId;
use crate::raw;
use crate::source::{SourceFile, Span, Text};
use std::sync::Arc;
use toml::Spanned;

/// Whether `url` is an `http` or `https` address (the scheme in any case).
pub fn is_web_url(url: &str) -> bool {
    let Some((scheme, rest)) = url.split_once("://") else {
        return false;
    };
    (scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https"))
        && !rest.is_empty()
}

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
                url: self.web_url(file, raw.url.as_ref()),
                span,
            });
        }
        out
    }

    /// A source's URL if it is a web address; an error at it otherwise.
    fn web_url(&mut self, file: &Arc<SourceFile>, url: Option<&Spanned<String>>) -> Option<Text> {
        let entry = url?;
        if is_web_url(entry.get_ref().trim()) {
            return optional_text(Some(entry));
        }
        self.error(
            Diagnostic::error("a source URL must start with `http://` or `https://`")
                .at(&sp(file, entry), "not a web address")
                .help("link to the page on the web; other schemes (`file:`, `data:`, `javascript:`) are refused"),
        );
        None
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

#[cfg(test)]
mod tests {
    use super::is_web_url;

    #[test]
    fn only_http_and_https_urls_are_web_urls() {
        assert!(is_web_url("https://example.com/a"));
        assert!(is_web_url("HTTP://example.com"));
        for bad in [
            "javascript:alert(1)",
            "data:text/html,<b>x</b>",
            "file:///etc/passwd",
            "ftp://example.com",
            "https://",
            "example.com",
        ] {
            assert!(!is_web_url(bad), "{bad}");
        }
    }
}
