//! The lints over small rule bases built in memory, one situation each, and
//! over the built-in rule base (which must pass, and on which every verdict
//! of `reach` is checked against evaluating random answers).

use super::reach::{Reach, reach};
use super::*;
use crate::eval::condition::truth;
use crate::eval::{Facts, Truth};
use crate::ids::QuestionId;
use crate::rulebase::testing::{RuleBaseBuilder, RuleBuilder};
use crate::rulebase::{QuestionKind, RuleBase};
use crate::value::{Answer, Value};
use std::collections::{BTreeMap, BTreeSet};

/// A bounded whole number, a choice, a yes-or-no asked only for eventual
/// consistency, and a load that may be unknown.
fn questions() -> RuleBaseBuilder {
    RuleBaseBuilder::new()
        .question("team_size", |q| q.number().min(1.0).max(100.0).integer())
        .single("consistency", &["strong", "eventual"])
        .question("loss_ok", |q| {
            q.boolean()
                .when(r#"{ q = "consistency", eq = "eventual" }"#)
        })
        .question("peak_rps", |q| q.number().min(0.0).allow_unknown())
}

/// The questions, and topic `t` of options `a` and `b` whose first rule
/// reads every question, so that none is unread unless a test says so.
fn base() -> RuleBaseBuilder {
    questions().topic("t", |t| {
        t.options(&["a", "b"]).rules([rule(
            "reads-all",
            Some(
                r#"{ any = [{ q = "team_size", gt = 5 }, { q = "loss_ok", eq = true }, { q = "peak_rps", gt = 100 }] }"#,
            ),
        )
        .score(&[("b", 3)])])
    })
}

/// A rule with the given condition (TOML after `when`, or none), reviewed
/// and graded so that no provenance lint fires; its effect is the test's.
fn rule(id: &str, when: Option<&str>) -> RuleBuilder {
    let rule = RuleBuilder::new(id)
        .reviewed("2026-01-01")
        .evidence("default");
    match when {
        Some(when) => rule.when(when),
        None => rule,
    }
}

/// A rule that gives `a` a point when `when` holds.
fn scoring_a(id: &str, when: &str) -> RuleBuilder {
    rule(id, Some(when)).score(&[("a", 1)])
}

/// The base with these rules added to topic `t`.
fn rule_base(rules: &[RuleBuilder]) -> RuleBase {
    base().topic("t", |t| t.rules(rules.to_vec())).build()
}

/// `code: message` of every warning.
fn found(rules: &[RuleBuilder]) -> Vec<String> {
    check(&rule_base(rules))
        .iter()
        .map(|d| format!("{}: {}", d.code.unwrap_or("-"), d.message))
        .collect()
}

fn labels(rules: &[RuleBuilder]) -> Vec<String> {
    check(&rule_base(rules))
        .iter()
        .map(|d| {
            let label = d.span.as_ref().map(|(_, l)| l.as_str()).unwrap_or("");
            format!("{label} | {}", d.notes.join(" | "))
        })
        .collect()
}

#[test]
fn a_clean_rule_base_has_no_warnings() {
    assert_eq!(
        found(&[rule("r", None).score(&[("a", 1)])]),
        Vec::<String>::new()
    );
}

#[test]
fn a_bound_outside_the_range_never_fires() {
    let rules = [scoring_a("r", r#"{ q = "team_size", gt = 500 }"#)];
    assert_eq!(found(&rules), ["never-fires: rule `r` can never fire"]);
    assert_eq!(
        labels(&rules),
        ["`team_size > 500` can never hold | `team_size` is a whole number from 1 to 100"]
    );
    let below = [scoring_a("r", r#"{ q = "peak_rps", lt = 0 }"#)];
    assert_eq!(found(&below), ["never-fires: rule `r` can never fire"]);
}

#[test]
fn bounds_at_the_edge_of_the_range_are_fine() {
    for when in [
        r#"{ q = "team_size", gte = 100 }"#,
        r#"{ q = "team_size", gt = 99.5 }"#,
        r#"{ q = "team_size", lte = 1 }"#,
        r#"{ q = "peak_rps", lte = 0 }"#,
    ] {
        assert_eq!(
            found(&[scoring_a("r", when)]),
            Vec::<String>::new(),
            "{when}"
        );
    }
    // Above 99.5 a whole number of at most 100 is 100; above 100 there is none.
    let none = [scoring_a("r", r#"{ q = "team_size", gt = 100 }"#)];
    assert_eq!(found(&none), ["never-fires: rule `r` can never fire"]);
}

/// Topic `t` with `rules`, beside an upstream topic `u` whose options `x`
/// and `y` each win under one consistency answer.
fn linked_rule_base(rules: &[RuleBuilder]) -> RuleBase {
    base()
        .topic("t", |t| t.rules(rules.to_vec()))
        .topic("u", |t| {
            t.options(&["x", "y"]).rules([
                rule("ux", Some(r#"{ q = "consistency", eq = "strong" }"#)).score(&[("x", 1)]),
                rule("uy", Some(r#"{ q = "consistency", eq = "eventual" }"#)).score(&[("y", 1)]),
            ])
        })
        .build()
}

#[test]
fn a_rule_reading_another_topics_verdict_can_fire() {
    let reads = [scoring_a("r", r#"{ decision = "u", eq = "x" }"#)];
    let warnings: Vec<String> = check(&linked_rule_base(&reads))
        .iter()
        .map(|d| d.message.clone())
        .collect();
    assert_eq!(warnings, Vec::<String>::new());
    // A topic has one verdict: two different ones at once never hold.
    let both = [scoring_a(
        "r",
        r#"{ all = [{ decision = "u", eq = "x" }, { decision = "u", eq = "y" }] }"#,
    )];
    let warnings: Vec<String> = check(&linked_rule_base(&both))
        .iter()
        .map(|d| d.message.clone())
        .collect();
    assert_eq!(warnings, ["rule `r` can never fire"]);
}

#[test]
fn self_contradicting_conditions_never_fire() {
    for (when, label) in [
        (
            r#"{ all = [{ q = "consistency", eq = "strong" }, { q = "consistency", eq = "eventual" }] }"#,
            "contradicts `consistency = strong`",
        ),
        (
            r#"{ all = [{ q = "team_size", gt = 10 }, { q = "team_size", lt = 5 }] }"#,
            "contradicts `team_size > 10`",
        ),
        (
            r#"{ all = [{ q = "team_size", gt = 10 }, { not = { q = "team_size", gt = 10 } }] }"#,
            "contradicts `team_size > 10`",
        ),
    ] {
        let rules = [scoring_a("r", when)];
        assert_eq!(
            found(&rules),
            ["never-fires: rule `r` can never fire"],
            "{when}"
        );
        assert!(
            labels(&rules)[0].starts_with(label),
            "{when}: {:?}",
            labels(&rules)
        );
    }
}

#[test]
fn a_rule_needing_a_question_that_is_not_asked_then_never_fires() {
    let rules = [scoring_a(
        "r",
        r#"{ all = [{ q = "consistency", eq = "strong" }, { q = "loss_ok", eq = true }] }"#,
    )];
    assert_eq!(found(&rules), ["never-fires: rule `r` can never fire"]);
    assert!(
        labels(&rules)[0].contains("`loss_ok` is asked only when consistency = eventual"),
        "{:?}",
        labels(&rules)
    );
    // Where `loss_ok` is asked, the same test is fine.
    let fine = [scoring_a(
        "r",
        r#"{ all = [{ q = "consistency", eq = "eventual" }, { q = "loss_ok", eq = true }] }"#,
    )];
    assert_eq!(found(&fine), Vec::<String>::new());
}

#[test]
fn answered_false_holds_only_where_an_answer_can_be_missing() {
    let always_asked = [scoring_a("r", r#"{ q = "team_size", answered = false }"#)];
    assert_eq!(
        found(&always_asked),
        ["never-fires: rule `r` can never fire"]
    );
    // `unknown` allowed, or a question that is not always asked: it can hold.
    for q in ["peak_rps", "loss_ok"] {
        let when = format!(r#"{{ q = "{q}", answered = false }}"#);
        assert_eq!(found(&[scoring_a("r", &when)]), Vec::<String>::new(), "{q}");
    }
}

#[test]
fn a_dead_branch_is_an_impossible_test() {
    let rules = [scoring_a(
        "r",
        r#"{ any = [{ q = "team_size", gt = 500 }, { q = "consistency", eq = "strong" }] }"#,
    )];
    assert_eq!(
        found(&rules),
        ["impossible-test: the test `team_size > 500` can never hold"]
    );
}

#[test]
fn a_question_whose_when_never_holds_is_never_asked() {
    let rb = base()
        .question("never", |q| {
            q.boolean().when(r#"{ q = "team_size", gt = 1000 }"#)
        })
        .topic("t", |t| {
            t.rules([scoring_a("r", r#"{ q = "never", answered = false }"#)])
        })
        .build();
    let codes: Vec<&str> = check(&rb).iter().filter_map(|d| d.code).collect();
    assert_eq!(codes, ["never-asked"]);
}

#[test]
fn a_gate_answered_unknown_still_asks() {
    // `peak_rps > 1e12` never holds, but `peak_rps = unknown` leaves the gate
    // undetermined, and an undetermined gate asks the question.
    let rb = base()
        .question("peak_rps", |q| q.max(1e9))
        .question("huge", |q| {
            q.boolean().when(r#"{ q = "peak_rps", gt = 1e12 }"#)
        })
        .topic("t", |t| {
            t.rules([scoring_a("r", r#"{ q = "huge", answered = true }"#)])
        })
        .build();
    let codes: Vec<&str> = check(&rb).iter().filter_map(|d| d.code).collect();
    assert_eq!(codes, ["impossible-test"]);
}

#[test]
fn an_option_ruled_out_under_every_answer_never_wins() {
    let rules = [rule(
        "ko",
        Some(r#"{ any = [{ q = "team_size", gt = 5 }, { q = "team_size", lte = 5 }] }"#),
    )
    .exclude(&["a"])];
    assert_eq!(found(&rules), ["never-wins: option `a` can never win"]);
    assert!(labels(&rules)[0].starts_with("ruled out by `ko` under every answer"));
}

#[test]
fn a_dominated_option_never_wins_only_when_it_also_loses_ties() {
    // `b` is never above `a`: b sorts after a and wins no tie. No proof.
    let tie = rule("r", Some(r#"{ q = "team_size", gt = 5 }"#)).score(&[("b", 1)]);
    let strict = [tie.clone(), rule("base", None).score(&[("b", 1)])];
    assert_eq!(found(&[tie]), Vec::<String>::new());
    // `a` never above `b`, and `a` sorts first: `a` still wins when r does not fire.
    // With a baseline giving `b` a point, `a` never catches up.
    assert_eq!(found(&strict), ["never-wins: option `a` can never win"]);
    assert!(
        labels(&strict)[0].contains("rule `base` fires whatever the answers"),
        "{:?}",
        labels(&strict)
    );
    // A rule that favours `a` but can never fire proves nothing for `a`.
    let dead = [
        &strict[..],
        &[rule("dead", Some(r#"{ q = "team_size", gt = 500 }"#)).score(&[("a", 5)])],
    ]
    .concat();
    assert_eq!(
        found(&dead),
        [
            "never-wins: option `a` can never win",
            "never-fires: rule `dead` can never fire"
        ]
    );
    // A live rule that favours `a` breaks the proof.
    let live = [
        &strict[..],
        &[rule("live", Some(r#"{ q = "team_size", gt = 50 }"#)).score(&[("a", 5)])],
    ]
    .concat();
    assert_eq!(found(&live), Vec::<String>::new());
}

#[test]
fn a_plan_adopts_by_score_so_ranking_below_another_is_no_warning() {
    let strict = [rule("base", None).score(&[("b", 1)])];
    assert_eq!(found(&strict), ["never-wins: option `a` can never win"]);
    let plan = base()
        .topic("t", |t| t.combination().rules(strict.to_vec()))
        .build();
    let codes: Vec<&str> = check(&plan).iter().filter_map(|d| d.code).collect();
    assert!(!codes.contains(&"never-wins"), "{codes:?}");
}

#[test]
fn a_knock_out_of_the_dominating_option_breaks_the_proof() {
    let rules = [
        rule("base", None).score(&[("b", 1)]),
        rule("ko", Some(r#"{ q = "team_size", gt = 50 }"#)).exclude(&["b"]),
    ];
    assert_eq!(found(&rules), Vec::<String>::new());
}

#[test]
fn duplicate_and_contradicting_rules() {
    let first = rule(
        "first",
        Some(
            r#"{ all = [{ q = "team_size", gt = 5 }, { q = "consistency", in = ["strong", "eventual"] }] }"#,
        ),
    )
    .score(&[("a", 1)]);
    let same = rule(
        "same",
        Some(
            r#"{ all = [{ q = "consistency", in = ["eventual", "strong"] }, { q = "team_size", gt = 5 }] }"#,
        ),
    )
    .score(&[("a", 1)]);
    let opposite = rule(
        "opposite",
        Some(
            r#"{ all = [{ q = "team_size", gt = 5 }, { q = "consistency", in = ["strong", "eventual"] }] }"#,
        ),
    )
    .score(&[("a", -2), ("b", 1)]);
    assert_eq!(
        found(&[first.clone(), same, opposite]),
        [
            "duplicate-rule: rule `same` duplicates rule `first`",
            "contradicting-rules: rules `first` and `opposite` contradict each other",
        ]
    );
    // A different condition: neither.
    let other = rule("other", Some(r#"{ q = "team_size", gt = 6 }"#)).score(&[("a", -1)]);
    assert_eq!(found(&[first, other]), Vec::<String>::new());
}

#[test]
fn unread_questions_and_missing_provenance() {
    let rb = questions()
        .topic("t", |t| {
            t.options(&["a", "b"])
                .rule("r", r#"{ q = "loss_ok", eq = true }"#, &[("b", 1)])
        })
        .build();
    let got: Vec<String> = check(&rb)
        .iter()
        .map(|d| format!("{}: {}", d.code.unwrap_or("-"), d.message))
        .collect();
    // `consistency` is read by `loss_ok`'s `when`, so only the other two are unread.
    assert_eq!(
        got,
        [
            "unread-question: question `team_size` is never read",
            "unread-question: question `peak_rps` is never read",
            "missing-evidence: rule `r` has no evidence grade",
            "missing-review-date: rule `r` has no review date",
        ]
    );
}

#[test]
fn the_builtin_rule_base_has_no_warnings() {
    let rb = crate::builtin::rule_base().unwrap();
    let found: Vec<String> = check(&rb).iter().map(|d| d.render(false)).collect();
    assert!(found.is_empty(), "{}", found.join("\n\n"));
}

/// A small deterministic generator (xorshift), so the test needs no crate.
struct Random(u64);

impl Random {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

/// Random answers to every question, leaning on the constants rules use.
fn random_answers(rb: &RuleBase, random: &mut Random) -> BTreeMap<QuestionId, Answer> {
    let constants: Vec<f64> = rb
        .topics()
        .iter()
        .flat_map(|t| &t.rules)
        .filter_map(|r| r.when.as_ref())
        .flat_map(|w| w.tests())
        .filter_map(|t| match &t.op {
            crate::rulebase::Op::Gt(n)
            | crate::rulebase::Op::Gte(n)
            | crate::rulebase::Op::Lt(n)
            | crate::rulebase::Op::Lte(n) => Some(*n),
            _ => None,
        })
        .collect();
    let mut out = BTreeMap::new();
    for q in rb.questions() {
        if q.allow_unknown && random.below(8) == 0 {
            out.insert(q.id.clone(), Answer::Unknown);
            continue;
        }
        let value = match &q.kind {
            QuestionKind::Single(cs) => Value::Choice(cs[random.below(cs.len())].id.clone()),
            QuestionKind::Multi(cs) => Value::Choices(
                cs.iter()
                    .filter(|_| random.below(2) == 0)
                    .map(|c| c.id.clone())
                    .collect::<BTreeSet<_>>(),
            ),
            QuestionKind::Number(spec) => {
                let base = constants[random.below(constants.len())];
                let n = base + [-1.0, 0.0, 1.0][random.below(3)];
                let n = n
                    .max(spec.min.unwrap_or(f64::MIN))
                    .min(spec.max.unwrap_or(f64::MAX));
                Value::Number(if spec.integer { n.round() } else { n })
            }
            QuestionKind::Bool => Value::Bool(random.below(2) == 0),
            QuestionKind::Text => Value::Text("t".into()),
        };
        out.insert(q.id.clone(), Answer::Known(value));
    }
    out
}

#[test]
fn reach_agrees_with_evaluating_random_answers() {
    let rb = crate::builtin::rule_base().unwrap();
    let rules: Vec<_> = rb.topics().iter().flat_map(|t| &t.rules).collect();
    let reaches: Vec<Reach> = rules
        .iter()
        .map(|r| r.when.as_ref().map_or(Reach::Always, |w| reach(&rb, w)))
        .collect();
    let mut random = Random(0x9e37_79b9_7f4a_7c15);
    let (mut fired, mut missed) = (vec![false; rules.len()], vec![false; rules.len()]);
    for _ in 0..300 {
        let given = random_answers(&rb, &mut random);
        let facts = Facts::derive(&rb, &given, &BTreeSet::new()).facts;
        for (i, rule) in rules.iter().enumerate() {
            let holds = rule
                .when
                .as_ref()
                .is_none_or(|w| truth(w, &facts) == Truth::True);
            if holds {
                fired[i] = true;
            } else {
                missed[i] = true;
            }
        }
    }
    for (i, rule) in rules.iter().enumerate() {
        // Sound: what random answers make happen, reach never denies.
        if fired[i] {
            assert_ne!(reaches[i], Reach::Never, "{} fired", rule.id);
        }
        if missed[i] {
            assert_ne!(reaches[i], Reach::Always, "{} did not fire", rule.id);
        }
    }
    // And the sample is not vacuous: most rules were seen both ways.
    let both = fired
        .iter()
        .zip(&missed)
        .filter(|(f, m)| **f && **m)
        .count();
    assert!(both > rules.len() / 2, "{both} of {}", rules.len());
}

#[test]
fn every_lint_has_its_own_kebab_case_code_and_a_summary() {
    let codes: BTreeSet<&str> = Lint::ALL.iter().map(|l| l.code()).collect();
    assert_eq!(codes.len(), Lint::ALL.len(), "codes repeat: {codes:?}");
    for &lint in Lint::ALL {
        let code = lint.code();
        assert!(
            code.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
            "{code}"
        );
        assert_eq!(Lint::from_code(code), Some(lint));
        assert!(!lint.summary().is_empty(), "{code}");
    }
    assert_eq!(Lint::from_code("never-fire"), None);
}

#[test]
fn a_bound_the_rationale_includes_is_left_out_by_gt() {
    let said = |text: &str, when: &str| {
        found(&[rule("r", Some(when)).score(&[("a", 1)]).rationale(text)])
            .into_iter()
            .filter(|f| f.starts_with("rationale-range"))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        said(
            "Loads of 100 or more per second.",
            r#"{ q = "peak_rps", gt = 100 }"#
        ),
        [
            "rationale-range: `peak_rps gt 100` leaves out 100, which the rationale includes (\"100 or more\")"
        ]
    );
    assert_eq!(
        said(
            "At least 10,000 a second.",
            r#"{ q = "peak_rps", gt = 10000 }"#
        )
        .len(),
        1
    );
    assert_eq!(
        said("Teams of ten or fewer.", r#"{ q = "team_size", lt = 10 }"#).len(),
        1
    );
    // The inclusive operator, another phrasing, or another number: silent.
    assert!(said("Loads of 100 or more.", r#"{ q = "peak_rps", gte = 100 }"#).is_empty());
    assert!(said("Loads above 100.", r#"{ q = "peak_rps", gt = 100 }"#).is_empty());
    assert!(said("Loads of 2100 or more.", r#"{ q = "peak_rps", gt = 100 }"#).is_empty());
}
