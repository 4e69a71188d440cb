//! FZ3: change detection on two arbitrary versions of a file never panics, and agrees with
//! itself: a version compared with itself has no changed item; every changed key is an
//! item of one of the two versions. The input is split at its first 0xFF byte (never in
//! UTF-8) into the old and the new text.
#![no_main]

use cargo_parseltongue::changes::{changed_items, shape::shapes};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (old, new) = match data.iter().position(|&b| b == 0xFF) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &data[..0]),
    };
    let (Ok(old), Ok(new)) = (std::str::from_utf8(old), std::str::from_utf8(new)) else {
        return;
    };
    if let Some(same) = changed_items(old, old) {
        assert!(same.is_empty(), "a version differs from itself: {same:?}");
    }
    let Some(changed) = changed_items(old, new) else {
        return;
    };
    let keys = |text: &str| -> Vec<String> {
        shapes(text)
            .unwrap_or_default()
            .into_iter()
            .map(|s| s.key)
            .collect()
    };
    let (before, after) = (keys(old), keys(new));
    for (key, _) in &changed {
        assert!(
            before.contains(key) || after.contains(key),
            "{key} is in neither version"
        );
    }
});
