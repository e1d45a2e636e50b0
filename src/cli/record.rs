//! `--from-adr FILE`: the answers a decision record keeps, as input.
//!
//! Every record `decide --adr` writes keeps, in its hidden data block, the
//! topic, the title, the answers, the priorities and the decisions of the
//! linked topics it read. Reading them back lets `tradeoff decide
//! --from-adr FILE` re-run a decision exactly as the record's reader finds
//! it, which is the command a record's confirmation section can print.
//! `adr review` re-runs every record at once; this re-runs one, in full.

use super::Failure;
use super::commands::read_input;
use crate::adr::block::Block;
use crate::answers::{AnswerSet, Given, Origin};
use crate::diagnostic::{DataError, Diagnostic};
use crate::ids::{QuestionId, TopicId};
use crate::rulebase::RuleBase;
use anyhow::Result;
use std::path::Path;

/// What a record keeps of how its decision was made.
pub struct Recorded {
    pub answers: AnswerSet,
    /// The user's priorities, as `attribute=weight`.
    pub priorities: Vec<String>,
    /// The decisions of the linked topics the topic read.
    pub decisions: Vec<(TopicId, crate::value::Answer)>,
    /// Warnings: answers the rule base no longer takes, a policy not re-applied.
    pub warnings: Vec<Diagnostic>,
}

/// Reads the record at `path`: its answers, checked against today's
/// questionnaire, with the record's topic and title.
pub fn read(rb: &RuleBase, path: &Path) -> Result<Recorded> {
    let source = read_input(path)?;
    let name = path.display().to_string();
    let block = match Block::find(source.text()) {
        Some(Ok(block)) => block,
        Some(Err(reason)) => {
            return Err(DataError::single(
                Diagnostic::error(format!(
                    "the record's tradeoff block cannot be read: {reason}"
                ))
                .in_file(name),
            )
            .into());
        }
        None => {
            return Err(Failure::Usage(format!(
                "`{name}` has no tradeoff data block: only records that `tradeoff decide --adr` \
                 wrote can be re-run\n  help: `tradeoff adr list` lists the records"
            ))
            .into());
        }
    };
    let mut warnings = Vec::new();
    let mut answers = AnswerSet {
        title: block.title.clone(),
        topics: vec![block.topic.clone()],
        file: Some(name.clone()),
        ..AnswerSet::default()
    };
    for (id, value) in &block.answers {
        let Some(question) = rb.question(id) else {
            warnings.push(
                Diagnostic::warning(format!(
                    "the record answers `{id}`, which the rule base no longer asks"
                ))
                .in_file(&name),
            );
            continue;
        };
        match question.check_toml(value) {
            Ok(answer) => {
                answers.entries.insert(
                    QuestionId::new(id.as_str()),
                    Given {
                        answer,
                        origin: Origin::Record,
                    },
                );
            }
            Err(e) => warnings.push(
                Diagnostic::warning(format!(
                    "the recorded answer to `{id}` is no longer valid: {}",
                    e.message
                ))
                .in_file(&name),
            ),
        }
    }
    if let Some(policy) = &block.policy {
        warnings.push(
            Diagnostic::warning(format!("the decision was made under policy `{policy}`"))
                .in_file(&name)
                .help("pass the policy file with `--policy FILE` to apply it again"),
        );
    }
    let decisions = block
        .decisions
        .iter()
        .map(|(topic, decided)| (TopicId::new(topic.as_str()), decided.as_answer()))
        .collect();
    Ok(Recorded {
        answers,
        priorities: block.priorities,
        decisions,
        warnings,
    })
}
