//! Reachability: which conditions can hold, which always hold, and why not.
//!
//! A condition reads a handful of questions. Every answer to a question
//! behaves like one of a few representatives as far as the tests on it go:
//! each choice of a single choice; each subset of the choices the tests name
//! for a multiple choice; for a number, each constant the tests compare with
//! and one value in every gap between them (within `min`, `max` and
//! `integer`); `unknown` where allowed. Trying every combination of
//! representatives, through the questionnaire's own `when` logic
//! (`Facts::derive`) and the evaluator's own three-valued `truth`, decides
//! exactly whether a condition can hold and whether it always does. So a
//! warning is never a guess: "can never fire" means no answers make it fire.
//! Past [`MAX_CASES`] combinations the answer is [`Reach::Untold`] and no
//! lint fires.

use crate::diagnostic::Diagnostic;
use crate::eval::condition::truth;
use crate::eval::{Facts, Truth};
use crate::ids::{ChoiceId, QuestionId, RuleId, TopicId};
use crate::rulebase::{
    CondNode, Condition, DECISION_PREFIX, Op, Question, QuestionKind, RuleBase, Test,
};
use crate::source::Span;
use crate::value::{Answer, Value, format_number};
use std::collections::{BTreeMap, BTreeSet};

use super::Lint;

/// The most answer combinations tried for one question; beyond it, a lint
/// cannot tell cheaply and stays silent.
pub const MAX_CASES: usize = 4096;

/// Whether a condition can hold, over every answer the questionnaire allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reach {
    /// No answers make it hold.
    Never,
    /// Some answers make it hold, some do not.
    Sometimes,
    /// Every answer makes it hold, `unknown`s included.
    Always,
    /// Too many combinations to try.
    Untold,
}

/// How the questionnaire's `when` conditions are applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Gates {
    /// As in a real run: a question whose `when` fails has no answer.
    Apply,
    /// Each gated question may independently have an answer or none: more
    /// than the questionnaire allows, so what never holds here never holds.
    Loose,
}

/// The decisions a topic can come to, as linked topics read them: each
/// option for a topic that picks one; for a plan, each option adopted alone
/// and all of them together (enough to satisfy any `contains` test, and to
/// tell an `eq` on a single option from one on several).
fn decision_answers(topic: &crate::rulebase::Topic) -> Vec<Option<Answer>> {
    let one = |o: &crate::rulebase::TopicOption| ChoiceId::new(o.id.as_str());
    if topic.plan_thresholds().is_none() {
        return topic
            .options
            .iter()
            .map(|o| Some(Answer::Known(Value::Choice(one(o)))))
            .collect();
    }
    let mut out: Vec<Option<Answer>> = topic
        .options
        .iter()
        .map(|o| Some(Answer::Known(Value::Choices(BTreeSet::from([one(o)])))))
        .collect();
    out.push(Some(Answer::Known(Value::Choices(
        topic.options.iter().map(one).collect(),
    ))));
    out.push(Some(Answer::Known(Value::Choices(BTreeSet::new()))));
    out
}

/// The representatives of every question some conditions depend on.
struct Space<'rb> {
    rb: &'rb RuleBase,
    gates: Gates,
    /// Questions in asking order, each with its representative answers
    /// (`None`: no answer, only under [`Gates::Loose`]), then the other
    /// topics' verdicts the conditions read (`decision:<topic>`): each of
    /// that topic's options, or none when every option is ruled out.
    dims: Vec<(QuestionId, Vec<Option<Answer>>)>,
}

impl<'rb> Space<'rb> {
    /// `None` when the combinations exceed [`MAX_CASES`].
    fn new(rb: &'rb RuleBase, conditions: &[&Condition], gates: Gates) -> Option<Self> {
        let mut tests: Vec<&Test> = conditions.iter().flat_map(|c| c.tests()).collect();
        let mut involved: BTreeSet<&QuestionId> = tests.iter().map(|t| &t.question).collect();
        // Gates of gates: a gate is always defined before what it gates, so
        // one backwards walk over the questionnaire collects them all.
        for question in rb.questions().iter().rev() {
            if involved.contains(&question.id)
                && let Some(when) = &question.when
            {
                tests.extend(when.tests());
                involved.extend(when.questions());
            }
        }
        let mut dims = Vec::new();
        let mut cases: usize = 1;
        for question in rb.questions() {
            if !involved.contains(&question.id) {
                continue;
            }
            let on_it: Vec<&Test> = tests
                .iter()
                .copied()
                .filter(|t| t.question == question.id)
                .collect();
            let mut answers: Vec<Option<Answer>> = representatives(question, &on_it)?
                .into_iter()
                .map(Some)
                .collect();
            if gates == Gates::Loose && question.when.is_some() {
                answers.push(None);
            }
            cases = cases.checked_mul(answers.len().max(1))?;
            if cases > MAX_CASES {
                return None;
            }
            dims.push((question.id.clone(), answers));
        }
        for id in &involved {
            let Some(topic) = id
                .as_str()
                .strip_prefix(DECISION_PREFIX)
                .and_then(|t| rb.topic(t))
            else {
                continue;
            };
            let mut answers: Vec<Option<Answer>> = decision_answers(topic);
            answers.push(None);
            cases = cases.checked_mul(answers.len())?;
            if cases > MAX_CASES {
                return None;
            }
            dims.push(((*id).clone(), answers));
        }
        Some(Self { rb, gates, dims })
    }

    /// Calls `f` with the facts of every combination until it returns false.
    fn each(&self, mut f: impl FnMut(&Facts) -> bool) {
        let mut at = vec![0usize; self.dims.len()];
        loop {
            let given: BTreeMap<QuestionId, Answer> = self
                .dims
                .iter()
                .zip(&at)
                .filter_map(|((q, answers), &i)| {
                    answers.get(i)?.as_ref().map(|a| (q.clone(), a.clone()))
                })
                .collect();
            let facts = match self.gates {
                Gates::Apply => {
                    // Deriving keeps questions only; verdicts go back in.
                    let mut facts = Facts::derive(self.rb, &given, &BTreeSet::new()).facts;
                    for (id, answer) in &given {
                        if let Some(topic) = id.as_str().strip_prefix(DECISION_PREFIX) {
                            facts.decide_answer(&TopicId::new(topic), Some(answer.clone()));
                        }
                    }
                    facts
                }
                Gates::Loose => Facts::from_map(given),
            };
            if !f(&facts) {
                return;
            }
            // The next combination, odometer style.
            let mut dim = 0;
            loop {
                let Some((_, answers)) = self.dims.get(dim) else {
                    return;
                };
                at[dim] += 1;
                if at[dim] < answers.len() {
                    break;
                }
                at[dim] = 0;
                dim += 1;
            }
        }
    }
}

/// Answers standing for every answer to `question` as far as `tests` go.
/// `None` when a multiple choice names too many choices to try their subsets.
fn representatives(question: &Question, tests: &[&Test]) -> Option<Vec<Answer>> {
    let mut out: Vec<Answer> = match &question.kind {
        QuestionKind::Single(choices) => choices
            .iter()
            .map(|c| Answer::Known(Value::Choice(c.id.clone())))
            .collect(),
        QuestionKind::Multi(_) => {
            let named: BTreeSet<&ChoiceId> = tests
                .iter()
                .filter_map(|t| match &t.op {
                    Op::Contains(c) => Some(c),
                    _ => None,
                })
                .collect();
            let named: Vec<&ChoiceId> = named.into_iter().collect();
            if named.len() > 10 {
                return None;
            }
            (0u32..1 << named.len())
                .map(|mask| {
                    let set = named
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| mask & (1 << i) != 0)
                        .map(|(_, c)| (*c).clone())
                        .collect();
                    Answer::Known(Value::Choices(set))
                })
                .collect()
        }
        QuestionKind::Number(spec) => {
            let constants: Vec<f64> = tests
                .iter()
                .filter_map(|t| match &t.op {
                    Op::Gt(n) | Op::Gte(n) | Op::Lt(n) | Op::Lte(n) => Some(*n),
                    Op::Eq(Value::Number(n)) | Op::Ne(Value::Number(n)) => Some(*n),
                    _ => None,
                })
                .collect();
            numbers(spec.min, spec.max, spec.integer, &constants)
                .into_iter()
                .map(|n| Answer::Known(Value::Number(n)))
                .collect()
        }
        QuestionKind::Bool => vec![
            Answer::Known(Value::Bool(true)),
            Answer::Known(Value::Bool(false)),
        ],
        QuestionKind::Text => {
            let mut texts: Vec<String> = tests
                .iter()
                .filter_map(|t| match &t.op {
                    Op::Eq(Value::Text(s)) | Op::Ne(Value::Text(s)) => Some(s.clone()),
                    _ => None,
                })
                .collect();
            texts.sort();
            texts.dedup();
            // Longer than every constant, so equal to none of them.
            let other = texts.iter().map(String::len).max().unwrap_or(0);
            texts.push("x".repeat(other + 1));
            texts
                .into_iter()
                .map(|s| Answer::Known(Value::Text(s)))
                .collect()
        }
    };
    if question.allow_unknown {
        out.push(Answer::Unknown);
    }
    Some(out)
}

/// A value in every region the constants cut the allowed range into: each
/// constant, one value between each two, one below and one above.
fn numbers(min: Option<f64>, max: Option<f64>, integer: bool, constants: &[f64]) -> Vec<f64> {
    let mut marks: Vec<f64> = constants
        .iter()
        .copied()
        .chain(min)
        .chain(max)
        .filter(|n| n.is_finite())
        .collect();
    marks.sort_by(f64::total_cmp);
    marks.dedup();
    let mut out = Vec::new();
    match (marks.first(), marks.last()) {
        (Some(&first), Some(&last)) => {
            out.push(if integer {
                first.ceil() - 1.0
            } else {
                first - 1.0
            });
            out.push(if integer {
                last.floor() + 1.0
            } else {
                last + 1.0
            });
        }
        _ => out.push(0.0),
    }
    for pair in marks.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let between = if integer {
            a.floor() + 1.0
        } else {
            (a + b) / 2.0
        };
        if between > a && between < b {
            out.push(between);
        }
    }
    out.extend(&marks);
    out.retain(|&n| {
        min.is_none_or(|m| n >= m) && max.is_none_or(|m| n <= m) && (!integer || n.fract() == 0.0)
    });
    out.sort_by(f64::total_cmp);
    out.dedup();
    out
}

/// `all` over several conditions, in the evaluator's three-valued logic.
fn truth_of(conditions: &[&Condition], facts: &Facts) -> Truth {
    let mut out = Truth::True;
    for c in conditions {
        match truth(c, facts) {
            Truth::False => return Truth::False,
            Truth::Unknown => out = Truth::Unknown,
            Truth::True => {}
        }
    }
    out
}

/// Whether all of `conditions` can hold together.
fn reach_with(rb: &RuleBase, conditions: &[&Condition], gates: Gates) -> Reach {
    let Some(space) = Space::new(rb, conditions, gates) else {
        return Reach::Untold;
    };
    let (mut some, mut every) = (false, true);
    space.each(|facts| {
        if truth_of(conditions, facts) == Truth::True {
            some = true;
        } else {
            every = false;
        }
        // Go on until it has both held and failed once.
        !some || every
    });
    match (some, every) {
        (false, _) => Reach::Never,
        (true, true) => Reach::Always,
        (true, false) => Reach::Sometimes,
    }
}

/// Whether a question with this `when` is ever asked: it is unless the
/// condition is false for every answer (an `unknown` gate still asks).
/// True when that cannot be told.
pub fn ever_asked(rb: &RuleBase, when: &Condition) -> bool {
    let Some(space) = Space::new(rb, &[when], Gates::Apply) else {
        return true;
    };
    let mut asked = false;
    space.each(|facts| {
        asked = truth(when, facts) != Truth::False;
        !asked
    });
    asked
}

/// Whether a condition can hold in a real run (the questionnaire applied).
pub fn reach(rb: &RuleBase, condition: &Condition) -> Reach {
    reach_with(rb, &[condition], Gates::Apply)
}

/// Whether two conditions hold for exactly the same answers (`unknown`s
/// included); false when that cannot be told.
pub fn equivalent(rb: &RuleBase, a: &Condition, b: &Condition) -> bool {
    let Some(space) = Space::new(rb, &[a, b], Gates::Apply) else {
        return false;
    };
    let mut same = true;
    space.each(|facts| {
        same = truth(a, facts) == truth(b, facts);
        same
    });
    same
}

/// Whether one test can hold at all, whatever else is answered.
fn test_possible(rb: &RuleBase, node: &Condition) -> bool {
    reach_with(rb, &[node], Gates::Loose) != Reach::Never
}

/// Every test node of a condition, with its span.
fn test_nodes(condition: &Condition) -> Vec<(&Condition, &Test)> {
    let mut out = Vec::new();
    let mut stack = vec![condition];
    while let Some(c) = stack.pop() {
        match &c.node {
            CondNode::All(children) | CondNode::Any(children) => {
                stack.extend(children.iter().rev());
            }
            CondNode::Not(inner) => stack.push(inner),
            CondNode::Test(test) => out.push((c, test)),
        }
    }
    out
}

/// The parts that must all hold: nested `all`s flattened.
fn conjuncts(condition: &Condition) -> Vec<&Condition> {
    match &condition.node {
        CondNode::All(children) => children.iter().flat_map(conjuncts).collect(),
        _ => vec![condition],
    }
}

/// Why one test never holds, in terms of its question.
fn why_test_never_holds(rb: &RuleBase, test: &Test) -> String {
    let Some(question) = rb.question(test.question.as_str()) else {
        return format!("no answer to `{}` satisfies it", test.question);
    };
    let id = &question.id;
    match (&question.kind, &test.op) {
        (QuestionKind::Number(spec), _) => {
            let whole = if spec.integer {
                "a whole number"
            } else {
                "a number"
            };
            match (spec.min, spec.max) {
                (Some(lo), Some(hi)) => format!(
                    "`{id}` is {whole} from {} to {}",
                    format_number(lo),
                    format_number(hi)
                ),
                (Some(lo), None) => format!("`{id}` is {whole} of at least {}", format_number(lo)),
                (None, Some(hi)) => format!("`{id}` is {whole} of at most {}", format_number(hi)),
                (None, None) => format!("no answer to `{id}` satisfies it"),
            }
        }
        (_, Op::Answered(false)) => format!(
            "`{id}` is always asked and does not allow `unknown`, so it always has an answer"
        ),
        _ => format!("no answer to `{id}` satisfies it"),
    }
}

/// Why a condition that never holds never holds: where to point, what to
/// say under the caret, and notes.
struct Because {
    span: Span,
    label: String,
    notes: Vec<String>,
}

fn explain_never(rb: &RuleBase, condition: &Condition) -> Because {
    let parts = conjuncts(condition);
    // One part that can never hold on its own.
    for part in &parts {
        if reach_with(rb, &[part], Gates::Loose) != Reach::Never {
            continue;
        }
        if let CondNode::Test(test) = &part.node {
            return Because {
                span: part.span.clone(),
                label: format!("`{test}` can never hold"),
                notes: vec![why_test_never_holds(rb, test)],
            };
        }
        return Because {
            span: part.span.clone(),
            label: format!("`{part}` can never hold"),
            notes: Vec::new(),
        };
    }
    // Two parts that contradict each other.
    for (i, first) in parts.iter().enumerate() {
        for second in &parts[i + 1..] {
            if reach_with(rb, &[first, second], Gates::Loose) == Reach::Never {
                return Because {
                    span: second.span.clone(),
                    label: format!("contradicts `{first}`"),
                    notes: vec![format!(
                        "`{first}` (at {}) and `{second}` cannot both hold",
                        first.span.location()
                    )],
                };
            }
        }
    }
    if reach_with(rb, &[condition], Gates::Loose) == Reach::Never {
        return Because {
            span: condition.span.clone(),
            label: "contradicts itself".to_owned(),
            notes: vec!["no answers make every part of it hold".to_owned()],
        };
    }
    // It could hold, but not with the questionnaire's `when`s.
    let gated: Vec<&Question> = condition
        .questions()
        .into_iter()
        .filter_map(|q| rb.question(q.as_str()))
        .filter(|q| q.when.is_some())
        .collect();
    let notes = gated
        .iter()
        .filter_map(|q| {
            q.when.as_ref().map(|when| {
                format!(
                    "`{}` is asked only when {when} (at {})",
                    q.id,
                    q.span.location()
                )
            })
        })
        .collect();
    Because {
        span: condition.span.clone(),
        label: "never holds under the questionnaire's `when` conditions".to_owned(),
        notes,
    }
}

/// `never-fires`, `impossible-test` and `never-asked`; returns each rule's
/// reach for the lints that build on it.
pub fn lint(rb: &RuleBase, out: &mut Vec<Diagnostic>) -> BTreeMap<RuleId, Reach> {
    let mut reaches = BTreeMap::new();
    for question in rb.questions() {
        let Some(when) = &question.when else { continue };
        if !ever_asked(rb, when) {
            out.push(never_holds(
                rb,
                when,
                Lint::NeverAsked,
                format!("question `{}` is never asked", question.id),
                "fix its `when` so some answers satisfy it; rules reading it never see an answer",
            ));
        } else {
            impossible_tests(rb, when, out);
        }
    }
    for topic in rb.topics() {
        for rule in &topic.rules {
            let Some(when) = &rule.when else {
                reaches.insert(rule.id.clone(), Reach::Always);
                continue;
            };
            let found = reach(rb, when);
            reaches.insert(rule.id.clone(), found);
            if found == Reach::Never {
                out.push(never_holds(
                    rb,
                    when,
                    Lint::NeverFires,
                    format!("rule `{}` can never fire", rule.id),
                    "fix the condition so some answers satisfy it, or remove the rule",
                ));
            } else {
                impossible_tests(rb, when, out);
            }
        }
    }
    reaches
}

/// The warning `message` of `lint`, about a condition that never holds:
/// pointed at why (see [`explain_never`]).
fn never_holds(
    rb: &RuleBase,
    condition: &Condition,
    lint: Lint,
    message: String,
    help: &str,
) -> Diagnostic {
    let because = explain_never(rb, condition);
    let warning = Diagnostic::warning(message)
        .code(lint.code())
        .at(&because.span, because.label);
    because
        .notes
        .into_iter()
        .fold(warning, Diagnostic::note)
        .help(help)
}

/// Tests that can never hold inside a condition that otherwise can: dead
/// branches of an `any`, or vacuous ones under a `not`.
fn impossible_tests(rb: &RuleBase, condition: &Condition, out: &mut Vec<Diagnostic>) {
    for (node, test) in test_nodes(condition) {
        if !test_possible(rb, node) {
            out.push(
                Diagnostic::warning(format!("the test `{test}` can never hold"))
                    .code(Lint::ImpossibleTest.code())
                    .at(&node.span, "never holds")
                    .note(why_test_never_holds(rb, test))
                    .help("fix the test, or remove it"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_cover_every_region_within_bounds() {
        // gt 10 on 1..=100, whole numbers: below, at and above the constant.
        assert_eq!(
            numbers(Some(1.0), Some(100.0), true, &[10.0]),
            vec![1.0, 2.0, 10.0, 11.0, 100.0]
        );
        // A constant outside the range leaves only values inside it.
        assert_eq!(
            numbers(Some(1.0), Some(100.0), true, &[500.0]),
            vec![1.0, 2.0, 100.0]
        );
        // Real numbers get midpoints; no bounds at all: below and above.
        assert_eq!(
            numbers(None, None, false, &[2.0, 4.0]),
            vec![1.0, 2.0, 3.0, 4.0, 5.0]
        );
        assert_eq!(numbers(None, None, false, &[]), vec![0.0]);
        // No whole number lies between 2.2 and 2.8.
        assert_eq!(numbers(None, None, true, &[2.2, 2.8]), vec![2.0, 3.0]);
    }
}
