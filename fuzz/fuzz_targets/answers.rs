//! An answers file, parsed and resolved against the built-in questionnaire,
//! then evaluated and rendered in every format. Must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = tradeoff::fuzzing::answers_file(data);
});
