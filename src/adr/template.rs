//! Record templates: adr-tools' own, MADR 4's, or the user's, and the
//! minijinja set-up every record template renders with.
//!
//! A user template for `adr new` is found as adr-tools finds it (`--template
//! FILE`, then `ADR_TEMPLATE`, then `templates/template.md` in the ADR
//! directory). A template with `{{` or `{%` is rendered by minijinja with
//! strict undefined variables, so a typo is an error that names the line
//! instead of a silent blank; any other template uses adr-tools'
//! placeholders `NUMBER`, `TITLE`, `DATE` and `STATUS`, substituted in one
//! pass (so a title that contains `DATE` is not mangled, unlike adr-tools'
//! sed).
//!
//! The layouts `decide --adr` writes (the built-in MADR and Nygard ones, and
//! a team's own) use the same [`environment`] and the same [`TemplateError`],
//! so every template fails the same way: with the file, the line and what
//! was wrong. Rendering is bounded ([`render_bounded`]): a template that
//! loops too long or writes too much stops with an error instead of
//! hanging `adr new` or filling the disk.

use minijinja::{Environment, ErrorKind, UndefinedBehavior, context};
use std::ops::Range;

/// adr-tools' `template.md`, byte for byte.
pub const NYGARD: &str = "# NUMBER. TITLE\n\nDate: DATE\n\n## Status\n\nSTATUS\n\n## Context\n\nThe issue motivating this decision, and any context that influences or constrains the decision.\n\n## Decision\n\nThe change that we're proposing or have agreed to implement.\n\n## Consequences\n\nWhat becomes easier or more difficult to do and any risks introduced by the change that will need to be mitigated.\n";

/// adr-tools' first record (`adr init`), byte for byte.
pub const NYGARD_INIT: &str = "# 1. Record architecture decisions\n\nDate: DATE\n\n## Status\n\nAccepted\n\n## Context\n\nWe need to record the architectural decisions made on this project.\n\n## Decision\n\nWe will use Architecture Decision Records, as [described by Michael Nygard](http://thinkrelevance.com/blog/2011/11/15/documenting-architecture-decisions).\n\n## Consequences\n\nSee Michael Nygard's article, linked above. For a lightweight ADR toolset, see Nat Pryce's [adr-tools](https://github.com/npryce/adr-tools).\n";

/// MADR 4's mandatory sections plus Consequences, with its placeholders.
pub const MADR: &str = "---\nstatus: STATUS\ndate: DATE\n---\n\n# TITLE\n\n## Context and Problem Statement\n\n{Describe the context and problem statement, e.g., in free form using two to three sentences or in the form of an illustrative story. You may want to articulate the problem in form of a question and add links to collaboration boards or issue management systems.}\n\n## Considered Options\n\n* {title of option 1}\n* {title of option 2}\n\n## Decision Outcome\n\nChosen option: \"{title of option 1}\", because {justification. e.g., only option, which meets k.o. criterion decision driver | which resolves force {force} | … | comes out best (see below)}.\n\n### Consequences\n\n* Good, because {positive consequence, e.g., improvement of one or more desired qualities, …}\n* Bad, because {negative consequence, e.g., compromising one or more desired qualities, …}\n";

/// The first record of a MADR directory (number 0000, as MADR numbers).
pub const MADR_INIT: &str = "---\nstatus: accepted\ndate: DATE\n---\n\n# Use Markdown Architectural Decision Records\n\n## Context and Problem Statement\n\nWe want to record the architectural decisions made in this project, so that people joining later understand what was decided, why, and what else was considered. Which format should the records follow?\n\n## Considered Options\n\n* MADR 4.0.0, the Markdown Architectural Decision Records\n* Michael Nygard's template, the first incarnation of the term \"ADR\"\n* Formless records, with no conventions for structure\n\n## Decision Outcome\n\nChosen option: \"MADR 4.0.0\", because it makes implicit assumptions explicit, captures any decision in a lean structure that fits our way of working, and is read by the tools we use (log4brains, Structurizr, Backstage). Decisions made with tradeoff also record the answers and rule base behind them, so they can be re-evaluated later with `tradeoff adr review`.\n\n### Consequences\n\n* Good, because every decision has the same sections: context, options, outcome, consequences\n* Bad, because writing a record takes a few minutes for each decision\n\n## More Information\n\nSee <https://adr.github.io/madr/>.\n";

/// MADR 2's layout as log4brains keeps it: metadata bullets under the title.
pub const MADR2: &str = "# TITLE\n\n- Status: STATUS\n- Date: DATE\n\n## Context and Problem Statement\n\n{What is the problem, in two or three sentences, or as a question?}\n\n## Considered Options\n\n- {first option}\n- {second option}\n\n## Decision Outcome\n\nChosen option: \"{first option}\", because {why it was chosen}.\n\n## Links\n";

/// How many steps (minijinja's fuel) rendering one record may take: ample
/// for any layout, far too few for a runaway loop, which would otherwise
/// hang `adr new` while it grows without bound.
pub const FUEL: u64 = 5_000_000;

/// The largest record a template may produce: records are a few kilobytes.
pub const MAX_OUTPUT: usize = 1 << 20;

/// What an `adr new` template may use.
#[derive(Debug, Clone)]
pub struct Vars {
    pub number: u32,
    pub title: String,
    pub date: String,
    pub status: String,
}

/// The variables of an `adr new` template.
const VARIABLES: [&str; 6] = ["number", "number4", "title", "date", "status", "slug"];

/// A template that does not compile or render: which file, where in it, and what is wrong.
#[derive(Debug, thiserror::Error)]
#[error("template `{name}`{}: {message}", at.as_ref().map(|p| format!(", line {}", p.line)).unwrap_or_default())]
pub struct TemplateError {
    /// The template's file name.
    pub name: String,
    /// What is wrong, e.g. ``syntax error: unexpected `}`, expected end of variable block``.
    pub message: String,
    /// Where in the template, when known.
    pub at: Option<Box<Place>>,
    /// How to fix it: the variables there are, a close name.
    pub help: Vec<String>,
}

/// Where in a template a problem is.
#[derive(Debug)]
pub struct Place {
    /// The template's text, to show the line at fault.
    pub text: String,
    /// The line at fault, 1-based.
    pub line: usize,
    /// The bytes at fault in `text`, when known.
    pub range: Option<Range<usize>>,
}

impl TemplateError {
    /// A minijinja error as a template error of the file `name` with this `text`.
    pub fn new(name: &str, text: &str, error: &minijinja::Error) -> Self {
        let range = error.range().filter(|r| r.end <= text.len());
        let at = range.as_ref().and_then(|r| text.get(r.clone()));
        let message = Self::bounded_message(error).unwrap_or_else(|| {
            match (error.kind(), error.detail(), at) {
                (ErrorKind::UndefinedError, _, Some(at)) => {
                    format!("`{}` is undefined", at.trim())
                }
                (kind, Some(detail), _) => format!("{kind}: {detail}"),
                (kind, None, _) => kind.to_string(),
            }
        });
        Self {
            name: name.to_owned(),
            message,
            at: error.line().map(|line| {
                Box::new(Place {
                    text: text.to_owned(),
                    line,
                    range,
                })
            }),
            help: Vec::new(),
        }
    }

    /// A template that ran out of fuel or wrote too much, said plainly.
    fn bounded_message(error: &minijinja::Error) -> Option<String> {
        match error.kind() {
            ErrorKind::OutOfFuel => Some(format!(
                "rendering took more than {FUEL} steps, the limit for one record (a loop that runs away?)"
            )),
            ErrorKind::WriteFailure => Some(format!(
                "the record would be larger than {} MiB, the limit for one record",
                MAX_OUTPUT >> 20
            )),
            _ => None,
        }
    }

    fn help(mut self, help: String) -> Self {
        self.help.push(help);
        self
    }
}

/// The environment every record template renders in: undefined variables
/// are errors (also in `if`), which name the variable in release builds too
/// (minijinja keeps that debug information only in debug builds by
/// default), nothing is HTML-escaped (records are Markdown), and the
/// template's final newline is kept. With `trim_blocks`, a line holding only
/// a block tag (`{% if %}`, `{% for %}`, ...) leaves nothing in the output,
/// as Jinja's `trim_blocks` and `lstrip_blocks` do: the layouts `decide
/// --adr` writes are written that way, `adr new` templates are not.
pub fn environment(trim_blocks: bool) -> Result<Environment<'static>, minijinja::Error> {
    let mut env = Environment::new();
    env.set_fuel(Some(FUEL));
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_debug(true);
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
    env.set_syntax(
        minijinja::syntax::SyntaxConfig::builder()
            .keep_trailing_newline(true)
            .trim_blocks(trim_blocks)
            .lstrip_blocks(trim_blocks)
            .build()?,
    );
    Ok(env)
}

/// Adds the template `name` to `env`, then checks that every variable it
/// reads at the top level is one of `variables` (or a minijinja global such
/// as `range`), so a misspelt name is found even in a branch this record
/// does not take. Attributes (`chosen.name`) are checked as they render.
pub fn compile(
    env: &mut Environment<'static>,
    name: &str,
    text: &str,
    variables: &[&str],
) -> Result<(), TemplateError> {
    env.add_template_owned(name.to_owned(), text.to_owned())
        .map_err(|e| TemplateError::new(name, text, &e))?;
    let template = env
        .get_template(name)
        .map_err(|e| TemplateError::new(name, text, &e))?;
    let mut unknown: Vec<String> = template
        .undeclared_variables(false)
        .into_iter()
        .filter(|v| !variables.contains(&v.as_str()) && env.globals().all(|(g, _)| g != v))
        .collect();
    unknown.sort();
    let Some(first) = unknown.first() else {
        return Ok(());
    };
    let at = find_variable(text, first).map(|range| {
        Box::new(Place {
            text: text.to_owned(),
            line: text[..range.start].matches('\n').count() + 1,
            range: Some(range),
        })
    });
    let mut error = TemplateError {
        name: name.to_owned(),
        message: format!("`{first}` is not a variable of this template"),
        at,
        help: Vec::new(),
    };
    if let Some(close) = crate::diagnostic::did_you_mean(first, variables.iter().copied()) {
        error = error.help(format!("did you mean `{close}`?"));
    }
    Err(error.help(format!("the variables are: {}", variables.join(", "))))
}

/// Where `name` is first read in a tag (`{{ name }}`, `{% if name %}`):
/// the first occurrence as a whole word between a tag's delimiters.
fn find_variable(text: &str, name: &str) -> Option<Range<usize>> {
    let word = |c: char| c.is_alphanumeric() || c == '_';
    text.match_indices(name)
        .map(|(at, _)| at)
        .find(|&at| {
            let before = text[..at].chars().next_back();
            let after = text[at + name.len()..].chars().next();
            let in_tag = {
                let open = text[..at].rfind("{{").max(text[..at].rfind("{%"));
                let close = text[..at].rfind("}}").max(text[..at].rfind("%}"));
                open.is_some() && open > close
            };
            in_tag && !before.is_some_and(|c| word(c) || c == '.') && !after.is_some_and(word)
        })
        .map(|at| at..at + name.len())
}

/// Renders `template` within [`FUEL`] (set on the [`environment`]) and
/// [`MAX_OUTPUT`] bytes.
pub fn render_bounded(
    template: &minijinja::Template<'_, '_>,
    context: impl Into<minijinja::Value>,
) -> Result<String, minijinja::Error> {
    let mut out = Capped(Vec::new());
    template.render_captured_to(context, &mut out)?;
    String::from_utf8(out.0)
        .map_err(|e| minijinja::Error::new(ErrorKind::InvalidOperation, e.to_string()))
}

/// A buffer that refuses to grow past [`MAX_OUTPUT`].
struct Capped(Vec<u8>);

impl std::io::Write for Capped {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.0.len() + buf.len() > MAX_OUTPUT {
            return Err(std::io::Error::other("the output limit was reached"));
        }
        self.0.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Whether a template fills anything in: minijinja tags or adr-tools'
/// placeholders. One without (log4brains' `template.md`) gets the title in
/// its first heading instead.
pub fn has_placeholders(source: &str) -> bool {
    source.contains("{{")
        || source.contains("{%")
        || ["NUMBER", "TITLE", "DATE", "STATUS"]
            .iter()
            .any(|p| source.contains(p))
}

/// Renders an `adr new` template's text with the record's variables.
pub fn render(name: &str, source: &str, vars: &Vars) -> Result<String, TemplateError> {
    if !(source.contains("{{") || source.contains("{%")) {
        return Ok(substitute(source, vars));
    }
    let mut env = environment(false).map_err(|e| TemplateError::new(name, source, &e))?;
    compile(&mut env, name, source, &VARIABLES)?;
    env.get_template(name)
        .and_then(|t| {
            render_bounded(
                &t,
                context! {
                    number => vars.number,
                    number4 => format!("{:04}", vars.number),
                    title => vars.title.clone(),
                    date => vars.date.clone(),
                    status => vars.status.clone(),
                    slug => super::slug(&vars.title),
                },
            )
        })
        .map_err(|e| TemplateError::new(name, source, &e))
}

/// adr-tools placeholders, once each per line, without rescanning what was inserted.
fn substitute(source: &str, vars: &Vars) -> String {
    let number = vars.number.to_string();
    let tokens: [(&str, &str); 4] = [
        ("NUMBER", &number),
        ("TITLE", &vars.title),
        ("DATE", &vars.date),
        ("STATUS", &vars.status),
    ];
    let mut out = String::with_capacity(source.len() + 64);
    for line in source.split_inclusive('\n') {
        let mut used = [false; 4];
        let mut rest = line;
        loop {
            let next = tokens
                .iter()
                .enumerate()
                .filter(|(i, _)| !used[*i])
                .filter_map(|(i, (token, _))| rest.find(token).map(|at| (at, i)))
                .min();
            let Some((at, i)) = next else {
                out.push_str(rest);
                break;
            };
            out.push_str(&rest[..at]);
            out.push_str(tokens[i].1);
            used[i] = true;
            rest = &rest[at + tokens[i].0.len()..];
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(title: &str) -> Vars {
        Vars {
            number: 12,
            title: title.to_owned(),
            date: "1992-01-12".to_owned(),
            status: "Accepted".to_owned(),
        }
    }

    #[test]
    fn adr_tools_template_renders_as_adr_tools_does() {
        let out = render(
            "template.md",
            NYGARD,
            &vars("Use STATUS codes and DATE stamps"),
        )
        .unwrap();
        assert!(out.starts_with("# 12. Use STATUS codes and DATE stamps\n\nDate: 1992-01-12\n\n## Status\n\nAccepted\n\n## Context\n"));
    }

    #[test]
    fn jinja_templates_are_strict() {
        let out = render("mine.md", "# {{ number4 }} {{ title }}\n", &vars("X")).unwrap();
        assert_eq!(out, "# 0012 X\n");
        let err = render("mine.md", "# {{ titel }}\n", &vars("X"))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("mine.md") && err.contains("titel"), "{err}");
    }

    #[test]
    fn runaway_templates_stop_with_a_clear_error() {
        let nested =
            "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}";
        let err = render("loop.md", nested, &vars("X"))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("loop.md") && err.contains("steps"), "{err}");
        let wide = "{% for a in range(100000) %}{{ title }}{% endfor %}";
        let err = render("wide.md", wide, &vars(&"long title ".repeat(10)))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            err.contains("wide.md") && err.contains("larger than 1 MiB"),
            "{err}"
        );
    }
}
