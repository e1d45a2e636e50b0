//! Asking one question, by its kind: a menu for choices and yes/no,
//! checkboxes for a multiple choice, a line of text for numbers and text.
//!
//! What the prompt starts on, and so what Enter alone records, is never an
//! answer the user did not give: a previous answer, the question's default
//! (marked "(default)", and kept as *assumed*), "Don't know" where the
//! question allows it, or nothing at all. "Why does this matter?" is the `?`
//! key, which keeps what is checked; in mentor mode, where the help is
//! shown with every question, it is not offered again.

use super::prompter::{Menu, Picked, PromptError, Prompter};
use crate::rulebase::{Choice, Question, QuestionKind};
use crate::value::{Answer, UNKNOWN, Value};

const DONT_KNOW: &str = "Don't know";
const DEFAULT_MARK: &str = " (default)";

/// What asking a question came to.
#[derive(Debug, Clone, PartialEq)]
pub enum Asked {
    /// The user's answer (`Answer::Unknown` for "Don't know").
    Answer(Answer),
    /// The question's default, kept without choosing it: left to the
    /// default, and reported as assumed.
    Assumed,
}

/// What the session has for a question when it is asked.
#[derive(Debug, Clone, Copy)]
pub enum Current<'a> {
    /// Nothing: it is asked for the first time.
    None,
    /// An answer, to keep or change.
    Answer(&'a Answer),
    /// Its default, kept earlier without choosing it.
    Assumed,
}

impl Current<'_> {
    /// What keeping the prompt's starting point records, for a starting
    /// point that is `answer`.
    fn kept(&self, question: &Question, answer: Answer) -> Asked {
        match self {
            Current::Answer(given) if **given == answer => Asked::Answer(answer),
            _ if question.default.as_ref() == Some(&answer) => Asked::Assumed,
            _ => Asked::Answer(answer),
        }
    }

    /// The answer the prompt starts on.
    fn start<'q>(&'q self, question: &'q Question) -> Option<&'q Answer> {
        match self {
            Current::Answer(given) => Some(given),
            Current::None | Current::Assumed => question.default.as_ref(),
        }
    }
}

/// Asks one question, with its position in the session.
pub fn ask(
    p: &mut dyn Prompter,
    q: &Question,
    current: Current<'_>,
    position: usize,
    total: usize,
    mentor: bool,
) -> Result<Asked, PromptError> {
    let section = q
        .section
        .as_deref()
        .map(|s| format!("{s}: "))
        .unwrap_or_default();
    p.say(&format!("\n[{position}/{total}] {section}{}", q.label));
    if mentor {
        p.say(&why_it_matters(q));
    }
    loop {
        // `None`: the user asked why the question matters.
        let asked = match &q.kind {
            QuestionKind::Single(choices) => ask_single(p, q, choices, current, mentor)?,
            QuestionKind::Bool => ask_bool(p, q, current, mentor)?,
            QuestionKind::Multi(choices) => ask_multi(p, q, choices, current, mentor)?,
            QuestionKind::Number(_) | QuestionKind::Text => ask_text(p, q, current, mentor)?,
        };
        match asked {
            Some(asked) => return Ok(asked),
            None => p.say(&why_it_matters(q)),
        }
    }
}

fn why_it_matters(q: &Question) -> String {
    format!("Why it matters: {}", q.help.replace('\n', " "))
}

/// The items of a one-answer menu, each with the answer it stands for:
/// "Don't know" first when there is no default to start on, else last.
fn one_of(
    q: &Question,
    answers: Vec<(String, Answer)>,
    start: Option<&Answer>,
) -> Vec<(String, Answer)> {
    let mut items: Vec<(String, Answer)> = answers
        .into_iter()
        .map(|(label, answer)| {
            if q.default.as_ref() == Some(&answer) {
                (format!("{label}{DEFAULT_MARK}"), answer)
            } else {
                (label, answer)
            }
        })
        .collect();
    if q.allow_unknown {
        let unknown = (DONT_KNOW.to_owned(), Answer::Unknown);
        if start.is_none() {
            items.insert(0, unknown);
        } else {
            items.push(unknown);
        }
    }
    items
}

/// A menu of answers: the one chosen, the one kept, or `None` for help.
fn menu_of(
    p: &mut dyn Prompter,
    q: &Question,
    items: &[(String, Answer)],
    current: Current<'_>,
    mentor: bool,
) -> Result<Option<Asked>, PromptError> {
    let start = current.start(q);
    let cursor = match start {
        Some(answer) => items.iter().position(|(_, a)| a == answer),
        // No default: "Don't know" if it is offered (it comes first), else nothing.
        None => q.allow_unknown.then_some(0),
    };
    let labels: Vec<String> = items.iter().map(|(label, _)| label.clone()).collect();
    let menu = Menu {
        prompt: &q.prompt,
        items: &labels,
        cursor,
        help: !mentor,
        filter: false,
    };
    Ok(match p.select(&menu)? {
        Picked::Help => None,
        Picked::Chosen(i) => items.get(i).map(|(_, a)| Asked::Answer(a.clone())),
        Picked::Kept(i) => items.get(i).map(|(_, a)| current.kept(q, a.clone())),
    })
}

fn ask_single(
    p: &mut dyn Prompter,
    q: &Question,
    choices: &[Choice],
    current: Current<'_>,
    mentor: bool,
) -> Result<Option<Asked>, PromptError> {
    let answers = choices
        .iter()
        .map(|c| {
            (
                c.label.to_string(),
                Answer::Known(Value::Choice(c.id.clone())),
            )
        })
        .collect();
    let items = one_of(q, answers, current.start(q));
    menu_of(p, q, &items, current, mentor)
}

fn ask_bool(
    p: &mut dyn Prompter,
    q: &Question,
    current: Current<'_>,
    mentor: bool,
) -> Result<Option<Asked>, PromptError> {
    let answers = vec![
        ("Yes".to_owned(), Answer::Known(Value::Bool(true))),
        ("No".to_owned(), Answer::Known(Value::Bool(false))),
    ];
    let items = one_of(q, answers, current.start(q));
    menu_of(p, q, &items, current, mentor)
}

/// Any of the choices, then "Don't know" where allowed (which wins over
/// the others). Nothing checked is confirmed as "none of these".
fn ask_multi(
    p: &mut dyn Prompter,
    q: &Question,
    choices: &[Choice],
    current: Current<'_>,
    mentor: bool,
) -> Result<Option<Asked>, PromptError> {
    let mut labels: Vec<String> = choices.iter().map(|c| c.label.to_string()).collect();
    if q.allow_unknown {
        labels.push(DONT_KNOW.to_owned());
    }
    let start = current.start(q);
    let mut checked = vec![false; labels.len()];
    match start {
        Some(Answer::Known(Value::Choices(cs))) => {
            for (i, c) in choices.iter().enumerate() {
                checked[i] = cs.contains(&c.id);
            }
        }
        Some(Answer::Unknown) => {
            if let Some(last) = checked.last_mut().filter(|_| q.allow_unknown) {
                *last = true;
            }
        }
        _ => {}
    }
    let menu = Menu {
        prompt: &q.prompt,
        items: &labels,
        cursor: Some(0),
        help: !mentor,
        filter: false,
    };
    loop {
        let picks = p.multi_select(&menu, &checked)?;
        if picks.help {
            checked = (0..labels.len())
                .map(|i| picks.items.contains(&i))
                .collect();
            p.say(&why_it_matters(q));
            continue;
        }
        if !picks.touched
            && let Some(start) = start
        {
            return Ok(Some(current.kept(q, start.clone())));
        }
        if q.allow_unknown && picks.items.contains(&choices.len()) {
            return Ok(Some(Asked::Answer(Answer::Unknown)));
        }
        if picks.items.is_empty() {
            match confirm_none(p, q)? {
                Nothing::NoneOfThese => {}
                Nothing::DontKnow => return Ok(Some(Asked::Answer(Answer::Unknown))),
                Nothing::Back => {
                    checked = vec![false; labels.len()];
                    continue;
                }
            }
        }
        let chosen = picks
            .items
            .iter()
            .filter_map(|&i| choices.get(i))
            .map(|c| c.id.clone())
            .collect();
        return Ok(Some(Asked::Answer(Answer::Known(Value::Choices(chosen)))));
    }
}

/// What an empty multiple choice means, as the user confirms it.
enum Nothing {
    /// None of the choices: the answer is the empty list.
    NoneOfThese,
    DontKnow,
    /// Back to the checkboxes.
    Back,
}

/// Nothing was checked: is that the answer? "Don't know" is offered first
/// where the question allows it; otherwise the user must say.
fn confirm_none(p: &mut dyn Prompter, q: &Question) -> Result<Nothing, PromptError> {
    let mut items = vec![
        (Nothing::NoneOfThese, "None of these"),
        (Nothing::Back, "Go back and check some"),
    ];
    if q.allow_unknown {
        items.insert(0, (Nothing::DontKnow, DONT_KNOW));
    }
    let labels: Vec<String> = items.iter().map(|(_, l)| (*l).to_owned()).collect();
    let menu = Menu {
        cursor: q.allow_unknown.then_some(0),
        ..Menu::new("Nothing is checked. Is that the answer?", &labels, 0)
    };
    loop {
        if let Some(i) = p.select(&menu)?.item()
            && i < items.len()
        {
            return Ok(items.swap_remove(i).0);
        }
    }
}

/// A number or a text, checked as it is typed. The default, or `unknown`
/// where the question allows it, is a placeholder that Enter keeps.
fn ask_text(
    p: &mut dyn Prompter,
    q: &Question,
    current: Current<'_>,
    mentor: bool,
) -> Result<Option<Asked>, PromptError> {
    let unknown = if q.allow_unknown {
        format!("; `{UNKNOWN}` if you don't know")
    } else {
        String::new()
    };
    let help = if mentor {
        ""
    } else {
        "; `?` for why it matters"
    };
    p.say(&q.prompt);
    p.say(&format!("({}{unknown}{help})", q.expectation()));
    let start = current
        .start(q)
        .cloned()
        .or_else(|| q.allow_unknown.then_some(Answer::Unknown));
    let placeholder = start.as_ref().map(|a| match a {
        Answer::Known(Value::Text(t)) => t.clone(),
        other => other.to_string(),
    });
    let validate = |text: &str| -> Result<(), String> {
        if text.trim() == "?" {
            return Ok(());
        }
        q.parse_text(text).map(|_| ()).map_err(|e| {
            let mut message = e.message;
            for h in e.help {
                message.push_str(&format!("; {h}"));
            }
            message
        })
    };
    let prompt = match &placeholder {
        Some(text) => format!("{} [{text}]", q.label),
        None => q.label.to_string(),
    };
    Ok(match p.input(&prompt, placeholder.as_deref(), &validate)? {
        None => start.map(|answer| current.kept(q, answer)),
        Some(text) if text.trim() == "?" => None,
        Some(text) => q.parse_text(&text).ok().map(Asked::Answer),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::{Reply, Scripted};

    fn clients() -> (crate::rulebase::RuleBase, &'static str) {
        (crate::builtin::rule_base().unwrap(), "clients")
    }

    #[test]
    fn nothing_checked_is_confirmed_and_help_keeps_the_checks() {
        let (rb, id) = clients();
        let q = rb.question(id).unwrap();
        // Two boxes checked are the answer.
        let mut p = Scripted::new(vec![Reply::Check(vec!["Web browsers", "Mobile apps"])]);
        let asked = ask(&mut p, q, Current::None, 1, 1, false).unwrap();
        let Asked::Answer(Answer::Known(Value::Choices(chosen))) = asked else {
            panic!("{asked:?}");
        };
        assert_eq!(chosen.len(), 2);
        // Enter with nothing checked asks; "go back" returns to the boxes.
        let mut p = Scripted::new(vec![
            Reply::Check(vec![]),
            Reply::Default, // nothing is pre-selected at the confirmation
            Reply::Pick("Go back"),
            Reply::Check(vec![]),
            Reply::Pick("None of these"),
        ]);
        let asked = ask(&mut p, q, Current::None, 1, 1, false).unwrap();
        assert_eq!(
            asked,
            Asked::Answer(Answer::Known(Value::Choices(Default::default())))
        );
        assert!(p.transcript.contains(&"! nothing chosen".to_owned()));
        assert_eq!(
            p.transcript
                .iter()
                .filter(|t| t.starts_with("? Nothing is checked"))
                .count(),
            2
        );
    }

    #[test]
    fn the_help_key_keeps_what_is_checked() {
        let (rb, id) = clients();
        let q = rb.question(id).unwrap();
        let checked: std::collections::BTreeSet<crate::ids::ChoiceId> =
            ["mobile", "browser"].into_iter().map(Into::into).collect();
        let given = Answer::Known(Value::Choices(checked));
        // `?` on a previous answer: the help, and the same boxes checked.
        let mut p = Scripted::new(vec![Reply::Help, Reply::Default]);
        let asked = ask(&mut p, q, Current::Answer(&given), 1, 1, false).unwrap();
        assert!(
            p.transcript
                .iter()
                .any(|t| t.starts_with("Why it matters:"))
        );
        assert_eq!(asked, Asked::Answer(given));
    }
}
