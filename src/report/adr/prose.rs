//! The sentences of a decision record, made from the evaluation.
//!
//! Option names are noun phrases written for tables ("No cache",
//! "Relational database (PostgreSQL, MySQL)", "Redis"); a record needs
//! sentences ("We will not add a cache.", "We will use a relational database
//! (PostgreSQL or MySQL).", "We will use Redis."). The rules here are plain
//! English ones: a leading "No" negates, a list in parentheses reads as
//! alternatives, a common noun is lowercased and takes "a" or "an" when it
//! is singular and countable, a name keeps its capital and takes no article.
//! Whether a capitalised word is a name is read from the topic's own texts:
//! a word the rule base writes in lower case is a common noun ("monolith"),
//! one it only ever capitalises mid-sentence is a name ("Redis"). Every
//! sentence a record says about the verdict is made here, so that new kinds
//! of verdict (ties, plans) have one place to be worded.

/// "We will use a relational database (PostgreSQL or MySQL)." for an option
/// named "Relational database (PostgreSQL, MySQL)"; `texts` are the topic's
/// texts, to tell names from common nouns.
pub fn decision_sentence(name: &str, texts: &str) -> String {
    let name = crate::adr::one_line(name);
    let (head, aside) = match name.rsplit_once(" (") {
        Some((head, rest)) if rest.ends_with(')') => {
            (head.to_owned(), Some(alternatives(&rest[..rest.len() - 1])))
        }
        _ => (name.clone(), None),
    };
    let aside = aside.map(|a| format!(" ({a})")).unwrap_or_default();
    if let Some(thing) = head.strip_prefix("No ").filter(|t| !t.is_empty()) {
        return format!("We will not add {}{aside}.", noun_phrase(thing, texts));
    }
    format!("We will use {}{aside}.", noun_phrase(&head, texts))
}

/// "PostgreSQL, MySQL" → "PostgreSQL or MySQL"; "a, b, c" → "a, b or c".
fn alternatives(list: &str) -> String {
    match list.rsplit_once(", ") {
        Some((rest, last)) if !rest.contains(" or ") && !list.contains(" and ") => {
            format!("{rest} or {last}")
        }
        _ => list.to_owned(),
    }
}

/// The phrase as it reads inside a sentence: lowercased where it is a
/// common noun, with "a" or "an" where it needs one.
fn noun_phrase(phrase: &str, texts: &str) -> String {
    let mut words = phrase.splitn(2, ' ');
    let first = words.next().unwrap_or_default();
    let rest = words.next().map(|r| format!(" {r}")).unwrap_or_default();
    let keep = keeps_capital(first, texts);
    let first_shown = if keep {
        first.to_owned()
    } else {
        first.to_lowercase()
    };
    let shown = format!("{first_shown}{rest}");
    if keep && !is_acronym(first) {
        return shown;
    }
    match article(&shown, first) {
        Some(a) => format!("{a} {shown}"),
        None => shown,
    }
}

/// All capitals or a capital after the first letter: `REST`, `GraphQL`.
fn is_acronym(word: &str) -> bool {
    word.chars().skip(1).any(char::is_uppercase)
}

/// Whether the first word of a name keeps its capital: an acronym, or a
/// name as the topic's texts write it (capitalised mid-sentence, never in
/// lower case).
fn keeps_capital(word: &str, texts: &str) -> bool {
    if is_acronym(word) {
        return true;
    }
    if !word.starts_with(char::is_uppercase) {
        return false;
    }
    let lower = word.to_lowercase();
    let mut named = false;
    for (at, token) in tokens(texts) {
        if token == lower {
            return false;
        }
        if token == word && !starts_sentence(&texts[..at]) {
            named = true;
        }
    }
    named
}

/// The words of a text (letters, digits and hyphens), with where each starts.
fn tokens(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let word = |c: char| c.is_alphanumeric() || c == '-';
    text.char_indices()
        .filter(move |&(i, c)| word(c) && !text[..i].ends_with(word))
        .map(move |(i, _)| {
            let end = text[i..]
                .find(|c: char| !word(c))
                .map_or(text.len(), |e| i + e);
            (i, &text[i..end])
        })
}

/// Whether a word after `before` starts a sentence.
fn starts_sentence(before: &str) -> bool {
    let trimmed = before.trim_end();
    trimmed.is_empty() || trimmed.ends_with(['.', '?', '!', ':', '"']) || before.ends_with('\n')
}

/// "a" or "an" for a singular countable phrase, none for a plural, a mass
/// noun, a single hyphenated word ("cache-aside") or one starting with a
/// number or determiner.
fn article(phrase: &str, first: &str) -> Option<&'static str> {
    const STOPS: [&str; 12] = [
        " with ", " over ", " in ", " into ", " on ", " for ", " as ", " of ", " across ",
        " behind ", " and ", " per ",
    ];
    let head = STOPS
        .iter()
        .filter_map(|s| phrase.find(s))
        .min()
        .map_or(phrase, |i| &phrase[..i]);
    let first_lower = first.to_lowercase();
    let determiners = [
        "one", "two", "three", "a", "an", "the", "each", "every", "some", "no",
    ];
    if determiners.contains(&first_lower.as_str()) {
        return None;
    }
    if !head.contains(' ') && head.contains('-') {
        return None;
    }
    let last = head.rsplit(' ').next().unwrap_or(head).to_lowercase();
    let plural = last.ends_with('s') && !last.ends_with("ss") && !last.ends_with("us");
    let mass = ["ing", "ncy", "ity", "ness", "ware"]
        .iter()
        .any(|s| last.ends_with(s));
    if plural || mass || (!head.contains(' ') && is_acronym(first)) {
        return None;
    }
    Some(if sounds_like_vowel(first) { "an" } else { "a" })
}

/// Whether a word is said starting with a vowel sound: `an API`, `an
/// orchestrated saga`, `a unique key`.
fn sounds_like_vowel(word: &str) -> bool {
    let lower = word.to_lowercase();
    if is_acronym(word) || word.chars().all(|c| c.is_uppercase()) {
        return lower.starts_with(['a', 'e', 'f', 'h', 'i', 'l', 'm', 'n', 'o', 'r', 's', 'x']);
    }
    lower.starts_with(['a', 'e', 'i', 'o', 'u'])
        && !["uni", "use", "usu", "one", "eu"]
            .iter()
            .any(|p| lower.starts_with(p))
}

/// The reasons as one clause to follow "because": "data is read often; and
/// ...", or, when only penalties to other options made it win, a clause
/// that says so without listing them as reasons.
pub fn because(clauses: &[String]) -> String {
    match clauses {
        [] => "it has the fewest drawbacks (see the options below)".to_owned(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{}; and {last}", rest.join("; ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXTS: &str = "Serve reads from the system of record. A shared Redis or Memcached tier. \
        Jobs pushed to Redis lists. One codebase; a monolith is simplest. Split into microservices. \
        Sessions live in Redis.";

    #[test]
    fn options_read_as_decisions() {
        let cases = [
            ("No cache", "We will not add a cache."),
            ("No broker", "We will not add a broker."),
            (
                "Relational database (PostgreSQL, MySQL)",
                "We will use a relational database (PostgreSQL or MySQL).",
            ),
            (
                "Managed cloud queue (SQS, Pub/Sub, Service Bus)",
                "We will use a managed cloud queue (SQS, Pub/Sub or Service Bus).",
            ),
            ("Redis", "We will use Redis."),
            (
                "Redis as a queue (lists, streams)",
                "We will use Redis as a queue (lists or streams).",
            ),
            ("Monolith", "We will use a monolith."),
            ("Microservices", "We will use microservices."),
            ("Cache-aside", "We will use cache-aside."),
            ("REST over HTTP", "We will use REST over HTTP."),
            ("gRPC", "We will use gRPC."),
            ("API gateway", "We will use an API gateway."),
            ("Orchestrated saga", "We will use an orchestrated saga."),
            (
                "Asynchronous messaging",
                "We will use asynchronous messaging.",
            ),
            (
                "Timeouts and retries with backoff",
                "We will use timeouts and retries with backoff.",
            ),
            ("One bigger server", "We will use one bigger server."),
            (
                "Load shedding and back pressure",
                "We will use load shedding and back pressure.",
            ),
            (
                "Two-level cache (local in front of shared)",
                "We will use a two-level cache (local in front of shared).",
            ),
            ("Pooled multi-tenancy", "We will use pooled multi-tenancy."),
        ];
        for (name, sentence) in cases {
            assert_eq!(decision_sentence(name, TEXTS), sentence, "{name}");
        }
    }

    #[test]
    fn penalties_alone_are_not_reasons() {
        assert_eq!(
            because(&[]),
            "it has the fewest drawbacks (see the options below)"
        );
        assert_eq!(because(&["a".into(), "b".into()]), "a; and b");
    }
}
