//! `unread-question`: questions that nothing reads.
//!
//! A question no rule's condition and no other question's `when` reads is
//! asked for nothing: `tradeoff ask` never asks it (only the questions the
//! chosen topics read are asked), and an answer to it changes no verdict.
//! Usually a rule that should read it was renamed or removed. A question of
//! today's value (`now_of`) is read through its projection by the staged
//! topics that read that projection: their next step is decided on it.

use super::Lint;
use crate::diagnostic::Diagnostic;
use crate::ids::QuestionId;
use crate::rulebase::RuleBase;
use std::collections::BTreeSet;

pub fn lint(rb: &RuleBase, out: &mut Vec<Diagnostic>) {
    let read: BTreeSet<&QuestionId> = rb.topics().iter().flat_map(|t| t.questions()).collect();
    let read_by_staged: BTreeSet<&QuestionId> = rb
        .topics()
        .iter()
        .filter(|t| t.is_staged())
        .flat_map(|t| t.questions())
        .collect();
    for question in rb.questions() {
        let today_of_read = question
            .now_of
            .as_ref()
            .is_some_and(|p| read_by_staged.contains(p));
        if read.contains(&question.id) || rb.gates(&question.id) || today_of_read {
            continue;
        }
        out.push(
            Diagnostic::warning(format!("question `{}` is never read", question.id))
                .code(Lint::UnreadQuestion.code())
                .at(&question.span, "no rule and no question's `when` reads it")
                .help("test it in a rule's `when`, or remove the question"),
        );
    }
}
