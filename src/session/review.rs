//! The review screen: every answer on one screen before the verdict.
//!
//! Answers are grouped by section, each section's answers flowing on as few
//! lines as the width allows, so that a whole questionnaire fits about 50
//! rows; defaults kept without choosing are marked "(assumed)". Answers
//! that contradict each other (a risk of the rule base's *contradiction*
//! kind, such as eventual consistency with no tolerance for staleness) are
//! flagged at once, with the mitigation. From here the user accepts, changes
//! any answer (the list filters as one types), or starts over, which is
//! confirmed, and can keep the answers given before the session.

use super::prompter::{Menu, PromptError, Prompter, choose};
use super::question::{Current, ask};
use super::{Store, collect, drop_inapplicable, settle_one};
use crate::eval::{Truth, condition};
use crate::rulebase::{Question, RiskKind, RuleBase, Topic};
use crate::words;

/// What the user chose on the review screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Review {
    Accept,
    StartOver,
}

/// Shows every answer on one screen; lets the user change any of them
/// (newly applicable questions are then asked) before the verdict.
pub fn review(
    rb: &RuleBase,
    topics: &[&Topic],
    store: &mut Store,
    p: &mut dyn Prompter,
    mentor: bool,
) -> Result<Review, PromptError> {
    loop {
        let shown: Vec<&Question> = rb
            .relevant_questions(topics)
            .into_iter()
            .filter(|q| store.settled(&q.id))
            .collect();
        p.say(&screen(&shown, store, p.width()));
        for warning in contradictions(rb, topics, store, p.width()) {
            p.say(&warning);
        }
        let items = vec![
            "Looks right: show the verdict".to_owned(),
            "Change an answer".to_owned(),
            "Start over".to_owned(),
        ];
        match choose(p, "Review your answers", &items, 0)? {
            0 => return Ok(Review::Accept),
            1 => change_one(rb, topics, store, p, mentor, &shown)?,
            _ => {
                if start_over(store, p)? {
                    return Ok(Review::StartOver);
                }
            }
        }
    }
}

/// The answers, by section: `Section — Label: value · Label: value`,
/// wrapped with the lines after the first indented under it.
fn screen(shown: &[&Question], store: &Store, width: usize) -> String {
    let mut out = format!("\nYour answers ({}):\n", counts(shown, store));
    let mut sections: Vec<(&str, Vec<String>)> = Vec::new();
    for q in shown {
        let section = q.section.as_deref().unwrap_or("Other");
        let item = format!("{}: {}", q.label, value(q, store));
        match sections.iter_mut().find(|(s, _)| *s == section) {
            Some((_, items)) => items.push(item),
            None => sections.push((section, vec![item])),
        }
    }
    for (section, items) in sections {
        let options = textwrap::Options::new(width.saturating_sub(1).max(30))
            .initial_indent("  ")
            .subsequent_indent("      ")
            .break_words(false);
        let text = format!("{section} — {}", items.join(" · "));
        for line in textwrap::wrap(&text, options) {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

/// `14 answers, 3 assumed, 1 unknown`.
fn counts(shown: &[&Question], store: &Store) -> String {
    let assumed = shown
        .iter()
        .filter(|q| store.assumed.contains(&q.id))
        .count();
    let unknown = shown
        .iter()
        .filter_map(|q| store.answers.entries.get(&q.id))
        .filter(|g| matches!(g.answer, crate::value::Answer::Unknown))
        .count();
    let mut text = words::count(shown.len(), "answer", "answers");
    if assumed > 0 {
        text.push_str(&format!(", {assumed} assumed"));
    }
    if unknown > 0 {
        text.push_str(&format!(", {unknown} unknown"));
    }
    text
}

/// An answer in brief, or the default with "(assumed)".
fn value(q: &Question, store: &Store) -> String {
    match (store.answers.entries.get(&q.id), &q.default) {
        (Some(given), _) => words::brief_answer(q, &given.answer),
        // A no-break space: the mark never goes to a line of its own.
        (None, Some(default)) => format!("{}\u{a0}(assumed)", words::brief_answer(q, default)),
        (None, None) => "unanswered".to_owned(),
    }
}

/// The contradictions among the answers, each as a warning with what
/// raised it and the mitigation.
fn contradictions(rb: &RuleBase, topics: &[&Topic], store: &Store, width: usize) -> Vec<String> {
    let Ok(resolution) = crate::decide::resolve(rb, &store.answers, topics) else {
        return Vec::new();
    };
    let options = |first: &'static str| {
        textwrap::Options::new(width.saturating_sub(1).max(30))
            .initial_indent(first)
            .subsequent_indent("    ")
            .break_words(false)
    };
    rb.risks()
        .iter()
        .filter(|r| r.kind == RiskKind::Contradiction)
        .filter(|r| r.topics.is_empty() || topics.iter().any(|t| r.topics.contains(&t.id)))
        .filter_map(|risk| {
            let trace = condition::trace(&risk.when, &resolution.facts);
            (trace.truth == Truth::True).then(|| {
                let because: Vec<String> = trace.decisive().iter().map(|t| t.says()).collect();
                let text = format!(
                    "These answers contradict each other: {} ({}). Mitigation: {}",
                    risk.title,
                    because.join(", "),
                    risk.mitigation
                );
                textwrap::fill(&text, options("! "))
            })
        })
        .collect()
}

/// Lets the user pick an answer (typing filters the list) and answer that
/// question again; then asks what the change opens.
fn change_one(
    rb: &RuleBase,
    topics: &[&Topic],
    store: &mut Store,
    p: &mut dyn Prompter,
    mentor: bool,
    shown: &[&Question],
) -> Result<(), PromptError> {
    let labels: Vec<String> = shown
        .iter()
        .map(|q| format!("{}: {}", q.label, value(q, store)))
        .collect();
    let menu = Menu {
        filter: true,
        ..Menu::new("Which answer? (type to filter)", &labels, 0)
    };
    let Some(pick) = p.select(&menu)?.item() else {
        return Ok(());
    };
    let Some(q) = shown.get(pick).copied() else {
        return Ok(());
    };
    let previous = store.answers.entries.get(&q.id).map(|g| g.answer.clone());
    let current = match &previous {
        Some(answer) => Current::Answer(answer),
        None => Current::Assumed,
    };
    let asked = ask(p, q, current, pick + 1, shown.len(), mentor)?;
    settle_one(store, q, asked);
    // A changed gate may drop questions or call for new ones.
    drop_inapplicable(rb, store);
    store.save(rb)?;
    collect(rb, topics, store, p, mentor)
}

/// Confirms starting over, and clears what the user chose to forget:
/// `false` if the user went back.
fn start_over(store: &mut Store, p: &mut dyn Prompter) -> Result<bool, PromptError> {
    let before = store.given_before();
    let mut items = vec!["No, go back to the answers".to_owned()];
    if before > 0 {
        items.push(format!(
            "Yes, but keep the {} given before the session",
            words::count(before, "answer", "answers")
        ));
    }
    items.push("Yes, forget every answer".to_owned());
    let pick = choose(p, "Start over: ask every question again?", &items, 0)?;
    if pick == 0 {
        return Ok(false);
    }
    let keep_before = before > 0 && pick == 1;
    store.assumed.clear();
    store
        .answers
        .entries
        .retain(|_, g| keep_before && !matches!(g.origin, crate::answers::Origin::Prompt));
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::AnswerSet;
    use crate::session::{Reply, Scripted};
    use crate::source::SourceFile;

    /// A store holding an example's answers as given before the session.
    fn example(rb: &RuleBase, name: &str) -> Store {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(name);
        let text = std::fs::read_to_string(&path).unwrap();
        let answers = AnswerSet::parse(rb, &SourceFile::new(name, text)).unwrap();
        Store::new(std::env::temp_dir().join("unused-session.toml"), answers)
    }

    #[test]
    fn every_answer_of_a_whole_questionnaire_fits_fifty_rows_at_80_columns() {
        let rb = crate::builtin::rule_base().unwrap();
        let topics: Vec<&Topic> = rb.topics().iter().collect();
        let mut store = example(&rb, "examples/payments-ledger.toml");
        store.assume(&crate::ids::QuestionId::new("hot_keys"));
        let shown: Vec<&Question> = rb
            .relevant_questions(&topics)
            .into_iter()
            .filter(|q| store.settled(&q.id))
            .collect();
        assert!(shown.len() > 40, "{}", shown.len());
        let text = screen(&shown, &store, 80);
        assert!(
            text.lines().count() <= 50,
            "{}:\n{text}",
            text.lines().count()
        );
        assert!(text.lines().all(|l| l.chars().count() <= 80), "{text}");
        assert!(text.contains("Hot keys: no\u{a0}(assumed)"), "{text}");
        // Wrapped lines are indented under their section's first line.
        assert!(
            text.contains("\n  Team and operations — Team size: 12 engineers"),
            "{text}"
        );
        assert!(
            text.lines()
                .any(|l| l.starts_with("      ") && !l.starts_with("       ")),
            "{text}"
        );
    }

    #[test]
    fn contradictions_are_flagged_on_the_review_screen_with_the_mitigation() {
        let rb = crate::builtin::rule_base().unwrap();
        let topics: Vec<&Topic> = rb.topics().iter().collect();
        let mut store = example(&rb, "examples/payments-ledger.toml");
        store.set(
            &crate::ids::QuestionId::new("consistency"),
            crate::value::Answer::Known(crate::value::Value::Choice("strong".into())),
        );
        store.set(
            &crate::ids::QuestionId::new("always_writable"),
            crate::value::Answer::Known(crate::value::Value::Bool(true)),
        );
        let warnings = contradictions(&rb, &topics, &store, 80);
        assert_eq!(warnings.len(), 1, "{warnings:#?}");
        assert!(warnings[0].starts_with("! These answers contradict each other: Strong"));
        assert!(warnings[0].contains("Mitigation: Split the data by invariant"));
        let mut p = Scripted::new(vec![Reply::Pick("Looks right")]);
        review(&rb, &topics, &mut store, &mut p, false).unwrap();
        assert!(
            p.transcript
                .iter()
                .any(|t| t.starts_with("! These answers contradict")),
            "{:#?}",
            p.transcript
        );
    }

    #[test]
    fn starting_over_is_confirmed_and_can_keep_the_answers_given_before() {
        let rb = crate::builtin::rule_base().unwrap();
        let topics: Vec<&Topic> = vec![rb.topic("caching").unwrap()];
        let mut store = example(&rb, "examples/payments-ledger.toml");
        let before = store.answers.entries.len();
        let hot_keys = crate::ids::QuestionId::new("hot_keys");
        store.set(
            &hot_keys,
            crate::value::Answer::Known(crate::value::Value::Bool(true)),
        );
        // Going back changes nothing.
        let mut p = Scripted::new(vec![
            Reply::Pick("Start over"),
            Reply::Default,
            Reply::Pick("Looks right"),
        ]);
        assert_eq!(
            review(&rb, &topics, &mut store, &mut p, false).unwrap(),
            Review::Accept
        );
        assert!(store.answers.entries.contains_key(&hot_keys));
        let mut p = Scripted::new(vec![Reply::Pick("Start over"), Reply::Pick("but keep")]);
        assert_eq!(
            review(&rb, &topics, &mut store, &mut p, false).unwrap(),
            Review::StartOver
        );
        assert!(!store.answers.entries.contains_key(&hot_keys));
        assert_eq!(
            store.answers.entries.len(),
            before,
            "the file's answers are kept"
        );
    }
}
