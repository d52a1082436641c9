//! The whole pipeline on arbitrary bytes with the built-in pack: decode, fold, parse,
//! evaluate every rule, render JSON. Every label must be a valid span of the text.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use reportlint::engine::check_text;
use reportlint::findings::Summary;
use reportlint::render::json;
use reportlint::rules::{self, RuleSet};
use reportlint::source;

fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| match rules::load(&rules::builtin_sources()) {
        Ok(set) => set,
        Err(e) => panic!("the built-in pack does not load: {e:?}"),
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(src) = source::decode(Path::new("fuzz.txt"), data, source::DEFAULT_MAX_BYTES) else {
        return;
    };
    let report = check_text(PathBuf::from("fuzz.txt"), &src.text, src.encoding, rules());
    for f in &report.findings {
        for l in &f.labels {
            assert!(l.start <= l.end && src.text.get(l.start..l.end).is_some());
        }
    }
    let reports = [report];
    let _ = json::render(&reports, &Summary::of(&reports));
});
