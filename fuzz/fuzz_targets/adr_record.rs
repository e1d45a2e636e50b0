//! A decision record, parsed, then edited as every `adr` command edits one
//! (status, links, supersession, renumbering, retitling), each result parsed
//! again. Must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = tradeoff::fuzzing::adr_record(data);
});
