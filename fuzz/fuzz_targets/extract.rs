//! FZ1: per-file extraction never panics or aborts, is deterministic, and its facts
//! round-trip through serde (the facts cache stores them as JSON).
#![no_main]

use cargo_parseltongue::parse::{self, facts::FileFacts};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.len() > 4096 {
        return;
    }
    let bytes = data.to_vec();
    // Production parses on the big-stack pool; so does the fuzzer.
    let (first, second) = parse::on_parser_pool(|| {
        (
            parse::parse_bytes(Ok(bytes.clone()), "src/fuzz.rs"),
            parse::parse_bytes(Ok(bytes), "src/fuzz.rs"),
        )
    });
    assert_eq!(first, second, "extraction is deterministic");
    if let Ok(facts) = first {
        let json = serde_json::to_vec(&facts).unwrap();
        let back: FileFacts = serde_json::from_slice(&json).unwrap();
        assert_eq!(back, facts, "facts round-trip");
    }
});
