//! One integration test binary (one link step on two cores): the CLI run as
//! a user runs it, golden scenarios, snapshots of every output format, and
//! the commands the documentation shows.

// Test code: a failed assumption is a test failure, so unwrapping is the point.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod adr;
mod adr_compat;
mod adr_hardening;
mod adr_markdown;
mod adr_verdicts;
mod analysis;
mod cli;
mod docs;
mod files;
mod fuzz_corpus;
mod hostile;
mod interactive;
mod lint;
mod malformed;
mod packs;
mod properties;
mod reference;
mod report;
mod risks;
mod scan;
mod scenarios;
mod snapshots;
mod support;
mod team;
mod tipping;
