//! Inputs the fuzzers found (fuzz/regressions/<target>/), replayed through the same
//! entry points as the fuzz targets, each within a time bound: every one of them was
//! a hang (libFuzzer timeout) before its fix.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reportlint::dsl::{base_globals, parse_expr, Checker};
use reportlint::rules;

fn inputs(target: &str) -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/regressions")
        .join(target);
    let mut out: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("regressions folder")
        .flatten()
        .map(|e| {
            let bytes = std::fs::read(e.path()).expect("read");
            (
                e.file_name().to_string_lossy().into_owned(),
                String::from_utf8_lossy(&bytes).into_owned(),
            )
        })
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no regression inputs for {target}");
    out
}

/// Debug builds are ~20× slower than the fuzzers' release builds; a hang took minutes.
const BOUND: Duration = Duration::from_secs(20);

#[test]
fn dsl_regressions_parse_in_bounded_time() {
    for (name, text) in inputs("dsl") {
        let start = Instant::now();
        if let Ok(mut e) = parse_expr(&text) {
            let globals = base_globals();
            let _ = Checker::new(&globals).check(&mut e);
        }
        assert!(start.elapsed() < BOUND, "{name}: {:?}", start.elapsed());
    }
}

#[test]
fn rules_loader_regressions_load_in_bounded_time() {
    for (name, text) in inputs("rules_loader") {
        let start = Instant::now();
        let source = (
            "fz".to_string(),
            vec![("fz.toml".to_string(), Arc::from(text.as_str()))],
        );
        let _ = rules::load(std::slice::from_ref(&source));
        assert!(start.elapsed() < BOUND, "{name}: {:?}", start.elapsed());
    }
}
