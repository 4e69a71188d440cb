//! FZ4: the cfg and manifest layer on arbitrary text never panics: a cfg predicate parses
//! or is refused, and evaluates under any assignment (`not(p)` is the negation of `p`); a
//! TOML document's `[patch]`/`[replace]` paths stay under the manifest directory's
//! normalisation, and its `[lints]` (own or inherited) are read whatever their shape; a
//! configuration built from the text as `--cfg` values and features is an error or a value.
#![no_main]

use cargo_parseltongue::cfg::{CfgExpr, Configuration, FeatureRequest};
use libfuzzer_sys::fuzz_target;
use std::collections::BTreeMap;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Some(pred) = CfgExpr::parse(text) {
        let odd = |k: &str, v: Option<&str>| (k.len() + v.map_or(0, str::len)) % 2 == 1;
        let negated = CfgExpr::parse(&format!("not({text})"));
        if let Some(n) = negated {
            assert_eq!(n.eval(&odd), !pred.eval(&odd), "not() of {text:?}");
        }
        let _ = pred.eval(&|_, _| true);
    }
    let values: Vec<String> = text.lines().map(str::to_string).collect();
    let mut packages = BTreeMap::new();
    packages.insert(
        "p".to_string(),
        values
            .iter()
            .map(|v| (v.clone(), values.clone()))
            .collect::<BTreeMap<String, Vec<String>>>(),
    );
    let request = FeatureRequest {
        features: values.clone(),
        ..FeatureRequest::default()
    };
    let _ = Configuration::new(text, &values, &packages, &request);
    if let Ok(table) = text.parse::<toml::Table>() {
        for (_, dir) in cargo_parseltongue::manifest_patches::patched_paths(&table, Path::new("/w"))
        {
            assert!(dir.is_absolute(), "{dir:?}");
        }
        let _ = cargo_parseltongue::manifest_lints::lints_of(&table, Some(&table));
    }
});
