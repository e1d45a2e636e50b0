//! One rule-base file (first line: its path, such as `questions.toml`,
//! `sources.toml` or `topics/x.toml`; then its text) in place of the built-in
//! one, loaded and validated; a rule base that validates is evaluated and
//! rendered. Must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = tradeoff::fuzzing::rule_base_file(data);
});
