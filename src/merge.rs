//! Team sessions: several people's answers combined into one answers file.
//!
//! Each person fills in an answers file (often only the part they know).
//! [`merge`] lines them up question by question: where everyone who
//! answered agrees the answer is taken as is; where they disagree, the
//! majority answer is taken, a tie going to the answer of the earliest file
//! (the lead's, by convention), and the question is marked open. [`assess`]
//! then asks whether each disagreement matters: it evaluates the merged
//! answers with each dissenting answer substituted and names the topics whose
//! winner would change. [`to_toml`] writes the merged answers file, with the
//! open questions listed in `open` (which `decide` accepts) and explained in
//! a comment above each entry.
//!
//! Who takes part is recorded in MADR 4's terms: the first file's person
//! makes the decision unless told otherwise, everyone else is consulted, and
//! the decision records list both.

use crate::answers::{AnswerSet, Given, People};
use crate::decide::evaluate_answers;
use crate::eval::Verdict;
use crate::ids::{QuestionId, TopicId};
use crate::rulebase::{RuleBase, Topic};
use crate::value::Answer;
use serde::Serialize;
use std::collections::BTreeMap;

/// One person's answers.
#[derive(Debug)]
pub struct Contributor {
    /// The file's `author`, else the file's stem.
    pub name: String,
    pub file: String,
    pub answers: AnswerSet,
}

#[derive(Debug, Serialize)]
pub struct Merge {
    pub people: Vec<Person>,
    /// Questions someone answered on which everyone who answered agrees.
    pub agreed: usize,
    pub disagreements: Vec<Disagreement>,
    pub roles: People,
    /// Why the impact of the disagreements could not be evaluated, if so.
    pub impact_error: Option<String>,
    /// The merged answers, open ones included.
    pub answers: BTreeMap<QuestionId, Answer>,
    pub open: Vec<QuestionId>,
    #[serde(skip)]
    pub merged: AnswerSet,
}

#[derive(Debug, Serialize)]
pub struct Person {
    pub name: String,
    pub file: String,
}

/// A question the people answered differently.
#[derive(Debug, Serialize)]
pub struct Disagreement {
    pub question: QuestionId,
    /// Each person's answer, in file order.
    pub answers: Vec<PersonAnswer>,
    /// The answer taken: the majority's, a tie going to the earliest file.
    pub merged: Answer,
    /// How many people gave the merged answer, of how many answered.
    pub votes: usize,
    pub answered: usize,
    /// The other answers given, each with its impact.
    pub alternatives: Vec<Alternative>,
}

#[derive(Debug, Serialize)]
pub struct PersonAnswer {
    pub person: String,
    /// `None` if they gave none.
    pub answer: Option<Answer>,
}

#[derive(Debug, Serialize)]
pub struct Alternative {
    pub answer: Answer,
    pub people: Vec<String>,
    /// Topics whose verdict would change with this answer instead of the merged one.
    pub changes: Vec<VerdictShift>,
    /// Why this answer could not be evaluated (a question it opens needs an answer).
    pub error: Option<String>,
}

/// A topic's verdict under the merged answers, and under another answer.
#[derive(Debug, PartialEq, Serialize)]
pub struct VerdictShift {
    pub topic: TopicId,
    pub from: Verdict,
    pub to: Verdict,
}

/// Lines the answers up; `decision_makers` overrides the default (the first person).
pub fn merge(rb: &RuleBase, people: &[Contributor], decision_makers: &[String]) -> Merge {
    let mut merged = AnswerSet {
        title: people.iter().find_map(|p| p.answers.title.clone()),
        ..AnswerSet::default()
    };
    for person in people {
        for topic in &person.answers.topics {
            if !merged.topics.contains(topic) {
                merged.topics.push(topic.clone());
            }
        }
    }
    let mut agreed = 0;
    let mut disagreements = Vec::new();
    for question in rb.questions() {
        let Some((taken, disagreement)) = line_up(&question.id, people) else {
            continue;
        };
        merged.entries.insert(question.id.clone(), taken);
        match disagreement {
            None => agreed += 1,
            Some(d) => {
                merged.open.push(question.id.clone());
                disagreements.push(d);
            }
        }
    }
    let roles = roles(people, decision_makers);
    merged.people = roles.clone();
    Merge {
        people: people
            .iter()
            .map(|p| Person {
                name: p.name.clone(),
                file: p.file.clone(),
            })
            .collect(),
        agreed,
        disagreements,
        roles,
        impact_error: None,
        answers: merged.answers(),
        open: merged.open.clone(),
        merged,
    }
}

/// Everyone's answer to one question: the answer taken (the first with the
/// most votes: ties go to the earliest file) and, unless everyone who
/// answered agrees, the disagreement. `None` when nobody answered.
fn line_up(question: &QuestionId, people: &[Contributor]) -> Option<(Given, Option<Disagreement>)> {
    let given: Vec<(&Contributor, Option<&Given>)> = people
        .iter()
        .map(|p| (p, p.answers.entries.get(question)))
        .collect();
    // Distinct answers in the order first given, with who gave them.
    let mut distinct: Vec<(&Given, Vec<String>)> = Vec::new();
    for (person, g) in &given {
        let Some(g) = g else { continue };
        match distinct.iter_mut().find(|(d, _)| d.answer == g.answer) {
            Some((_, names)) => names.push(person.name.clone()),
            None => distinct.push((g, vec![person.name.clone()])),
        }
    }
    let best = distinct
        .iter()
        .enumerate()
        .max_by(|(i, a), (j, b)| a.1.len().cmp(&b.1.len()).then_with(|| j.cmp(i)))
        .map(|(i, _)| i)?;
    let (taken, votes) = distinct.remove(best);
    if distinct.is_empty() {
        return Some((taken.clone(), None));
    }
    let disagreement = Disagreement {
        question: question.clone(),
        answers: given
            .iter()
            .map(|(p, g)| PersonAnswer {
                person: p.name.clone(),
                answer: g.map(|g| g.answer.clone()),
            })
            .collect(),
        merged: taken.answer.clone(),
        votes: votes.len(),
        answered: given.iter().filter(|(_, g)| g.is_some()).count(),
        alternatives: distinct
            .into_iter()
            .map(|(g, names)| Alternative {
                answer: g.answer.clone(),
                people: names,
                changes: Vec::new(),
                error: None,
            })
            .collect(),
    };
    Some((taken.clone(), Some(disagreement)))
}

/// Decision-makers (given, else the first person), everyone else consulted,
/// and whoever the files list as informed.
fn roles(people: &[Contributor], decision_makers: &[String]) -> People {
    /// Adds `name` to `list` unless it is blank or already has a role.
    fn add(list: &mut Vec<String>, name: &str, taken: &[&Vec<String>]) {
        let name = name.trim();
        let known = |l: &Vec<String>| l.iter().any(|n| n == name);
        if !name.is_empty() && !known(list) && !taken.iter().any(|l| known(l)) {
            list.push(name.to_owned());
        }
    }
    let mut makers = Vec::new();
    let given = if decision_makers.is_empty() {
        people.first().map(|p| p.name.clone()).into_iter().collect()
    } else {
        decision_makers.to_vec()
    };
    for name in &given {
        add(&mut makers, name, &[]);
    }
    let mut consulted = Vec::new();
    let names = people
        .iter()
        .map(|p| &p.name)
        .chain(people.iter().flat_map(|p| &p.answers.people.consulted));
    for name in names {
        add(&mut consulted, name, &[&makers]);
    }
    let mut informed = Vec::new();
    for name in people.iter().flat_map(|p| &p.answers.people.informed) {
        add(&mut informed, name, &[&makers, &consulted]);
    }
    People {
        decision_makers: makers,
        consulted,
        informed,
    }
}

/// Evaluates the merged answers with each dissenting answer in turn and
/// records which topics' verdicts it would change.
pub fn assess(rb: &RuleBase, merge: &mut Merge, topics: &[&Topic]) {
    let base = match verdicts(rb, &merge.merged, topics) {
        Ok(w) => w,
        Err(e) => {
            merge.impact_error = Some(e);
            return;
        }
    };
    for d in &mut merge.disagreements {
        for alt in &mut d.alternatives {
            let mut set = merge.merged.clone();
            if let Some(entry) = set.entries.get_mut(&d.question) {
                entry.answer = alt.answer.clone();
            }
            match verdicts(rb, &set, topics) {
                Ok(now) => {
                    alt.changes = base
                        .iter()
                        .zip(now)
                        .filter(|((_, a), (_, b))| a != b)
                        .map(|((topic, from), (_, to))| VerdictShift {
                            topic: topic.clone(),
                            from: from.clone(),
                            to,
                        })
                        .collect();
                }
                Err(e) => alt.error = Some(e),
            }
        }
    }
}

/// Each topic's verdict for these answers, or why they cannot be evaluated.
fn verdicts(
    rb: &RuleBase,
    set: &AnswerSet,
    topics: &[&Topic],
) -> Result<Vec<(TopicId, Verdict)>, String> {
    let decided = evaluate_answers(rb, set, topics).map_err(|e| {
        let missing: Vec<String> = e
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.message.clone())
            .collect();
        missing.join("; ")
    })?;
    Ok(decided
        .evaluation
        .topics
        .into_iter()
        .map(|t| (t.topic, t.verdict))
        .collect())
}

/// The merged answers file: metadata, `open`, and every answer in asking
/// order, each open one under a comment with everyone's answer and its impact.
pub fn to_toml(rb: &RuleBase, merge: &Merge) -> String {
    let mut out = String::new();
    let from: Vec<String> = merge
        .people
        .iter()
        .map(|p| format!("{} ({})", p.file, p.name))
        .collect();
    out.push_str(&comment(&format!(
        "Answers merged by `tradeoff merge` from {}.",
        from.join(", ")
    )));
    out.push_str(
        "# Where answers differ, the majority's is taken, a tie going to the earliest file;\n\
         # each such question is listed in `open` and explained above its answer.\n\
         # Decide with: tradeoff decide --answers THIS_FILE\n\n",
    );
    let string = |s: &str| toml::Value::String(s.to_owned()).to_string();
    let list = |items: &[String]| {
        let items: Vec<String> = items.iter().map(|s| string(s)).collect();
        format!("[{}]", items.join(", "))
    };
    if let Some(title) = &merge.merged.title {
        out.push_str(&format!("title = {}\n", string(title)));
    }
    if !merge.merged.topics.is_empty() {
        let topics: Vec<String> = merge
            .merged
            .topics
            .iter()
            .map(ToString::to_string)
            .collect();
        out.push_str(&format!("topics = {}\n", list(&topics)));
    }
    let roles = &merge.roles;
    out.push_str(&format!(
        "decision-makers = {}\n",
        list(&roles.decision_makers)
    ));
    out.push_str(&format!("consulted = {}\n", list(&roles.consulted)));
    if !roles.informed.is_empty() {
        out.push_str(&format!("informed = {}\n", list(&roles.informed)));
    }
    let open: Vec<String> = merge.merged.open.iter().map(ToString::to_string).collect();
    out.push_str(&format!("open = {}\n\n[answers]\n", list(&open)));
    let by_question: BTreeMap<&QuestionId, &Disagreement> = merge
        .disagreements
        .iter()
        .map(|d| (&d.question, d))
        .collect();
    for question in rb.questions() {
        let Some(given) = merge.merged.entries.get(&question.id) else {
            continue;
        };
        if let Some(d) = by_question.get(&question.id) {
            for line in open_comment(rb, merge, d) {
                out.push_str(&comment(&line));
            }
        }
        out.push_str(&format!("{} = {}\n", question.id, given.answer.to_toml()));
    }
    out
}

/// One TOML comment line holding `text`. Names and answers come from the
/// people's files: a line break in one would end the comment and let the
/// rest be read as keys, so every control character is written escaped
/// (`\n`, `\u{1b}`), and the comment stays one line.
fn comment(text: &str) -> String {
    let mut line = String::from("# ");
    for c in text.chars() {
        if c.is_control() {
            line.extend(c.escape_default());
        } else {
            line.push(c);
        }
    }
    line.push('\n');
    line
}

/// The comment above an open question: who said what, and what it would change.
pub fn open_comment(rb: &RuleBase, merge: &Merge, d: &Disagreement) -> Vec<String> {
    let said: Vec<String> = d
        .answers
        .iter()
        .filter_map(|pa| {
            pa.answer
                .as_ref()
                .map(|a| format!("{} {}", pa.person, a.to_toml()))
        })
        .collect();
    let mut lines = vec![format!(
        "OPEN: {}; took {} ({}).",
        said.join(", "),
        d.merged.to_toml(),
        policy(d)
    )];
    for alt in &d.alternatives {
        lines.push(format!(
            "  with {} ({}): {}",
            alt.answer.to_toml(),
            alt.people.join(", "),
            impact_text(rb, merge, alt)
        ));
    }
    lines
}

/// How the merged answer was chosen: `majority, 2 of 3` or `tie, earliest file`.
pub fn policy(d: &Disagreement) -> String {
    let tied = d.alternatives.iter().any(|a| a.people.len() == d.votes);
    if tied {
        format!(
            "tie at {} of {}, the earliest file's answer",
            d.votes, d.answered
        )
    } else {
        format!("majority, {} of {}", d.votes, d.answered)
    }
}

/// What an alternative answer would change, in words.
pub fn impact_text(rb: &RuleBase, merge: &Merge, alt: &Alternative) -> String {
    if merge.impact_error.is_some() {
        return "impact not evaluated".to_owned();
    }
    if let Some(error) = &alt.error {
        return format!("cannot be evaluated ({error})");
    }
    if alt.changes.is_empty() {
        return "would change no recommendation".to_owned();
    }
    let changes: Vec<String> = alt
        .changes
        .iter()
        .map(|c| {
            let name = |v: &Verdict| match rb.topic(c.topic.as_str()) {
                Some(topic) => crate::words::verdict_words(topic, v),
                None => format!("{v:?}"),
            };
            format!("{}: {} → {}", c.topic, name(&c.from), name(&c.to))
        })
        .collect();
    format!("would change {}", changes.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::OptionId;
    use crate::rulebase::testing::RuleBaseBuilder;
    use crate::source::SourceFile;

    fn setup(files: &[(&str, &str)]) -> (RuleBase, Vec<Contributor>) {
        let rb = RuleBaseBuilder::new()
            .number("load")
            .single("mode", &["a", "b"])
            .topic("t", |t| {
                t.options(&["x", "y"])
                    .rule(
                        "big-load-wants-y",
                        r#"{ q = "load", gt = 100 }"#,
                        &[("y", 2)],
                    )
                    .always("x-by-default", &[("x", 1)])
            })
            .build();
        let people = files
            .iter()
            .map(|(name, text)| Contributor {
                name: (*name).to_owned(),
                file: format!("{name}.toml"),
                answers: AnswerSet::parse(&rb, &SourceFile::new(format!("{name}.toml"), *text))
                    .unwrap(),
            })
            .collect();
        (rb, people)
    }

    #[test]
    fn majority_wins_and_a_tie_goes_to_the_earliest_file() {
        let (rb, people) = setup(&[
            ("lead", "[answers]\nload = 10\nmode = \"a\"\n"),
            ("dev", "[answers]\nload = 500\nmode = \"b\"\n"),
            ("ops", "[answers]\nload = 500\n"),
        ]);
        let merged = merge(&rb, &people, &[]);
        let taken = |q: &str| merged.answers[&QuestionId::new(q)].to_string();
        assert_eq!(taken("load"), "500", "two of three");
        assert_eq!(taken("mode"), "a", "one against one: the lead's");
        assert_eq!(
            merged.open,
            [QuestionId::new("load"), QuestionId::new("mode")]
        );
        assert_eq!(policy(&merged.disagreements[0]), "majority, 2 of 3");
        assert_eq!(
            policy(&merged.disagreements[1]),
            "tie at 1 of 2, the earliest file's answer"
        );
        assert_eq!(merged.roles.decision_makers, ["lead"]);
        assert_eq!(merged.roles.consulted, ["dev", "ops"]);
    }

    #[test]
    fn only_disagreements_that_flip_a_winner_name_a_change() {
        let (rb, people) = setup(&[
            ("lead", "[answers]\nload = 10\nmode = \"a\"\n"),
            ("dev", "[answers]\nload = 500\nmode = \"b\"\n"),
        ]);
        let mut merged = merge(&rb, &people, &["dev".to_owned()]);
        let topics: Vec<&Topic> = rb.topics().iter().collect();
        assess(&rb, &mut merged, &topics);
        assert_eq!(merged.impact_error, None);
        let load = &merged.disagreements[0].alternatives[0];
        assert_eq!(
            load.changes,
            [VerdictShift {
                topic: TopicId::new("t"),
                from: Verdict::Winner(OptionId::new("x")),
                to: Verdict::Winner(OptionId::new("y")),
            }]
        );
        assert!(merged.disagreements[1].alternatives[0].changes.is_empty());
        assert_eq!(merged.roles.decision_makers, ["dev"]);
        assert_eq!(merged.roles.consulted, ["lead"]);
        let text = to_toml(&rb, &merged);
        assert!(text.contains("open = [\"load\", \"mode\"]\n"), "{text}");
        assert!(
            text.contains("#   with 500 (dev): would change t: X → Y\nload = 10\n"),
            "{text}"
        );
        // The merged file reads back as an answers file.
        let back = AnswerSet::parse(&rb, &SourceFile::new("merged.toml", text)).unwrap();
        assert_eq!(back.open, merged.open);
        assert_eq!(back.people, merged.roles);
    }
}
