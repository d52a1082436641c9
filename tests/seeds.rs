//! The whole built-in pack on the five seed reports: what EXPECTED.md says a good checker
//! finds, what it must not flag, and the full rendered output of each seed as a snapshot.

mod seed_common;
use seed_common::*;

use std::path::PathBuf;

use reportlint::engine::{check_file, CheckOptions};
use reportlint::findings::FileReport;
use reportlint::render::human::{render_file, Style};
use reportlint::rules::{builtin_sources, load};

fn check(prefix: &str) -> FileReport {
    let rules = load(&builtin_sources()).expect("built-in rules load");
    let opts = CheckOptions::default();
    // A stable, relative path so snapshots do not depend on the checkout.
    let mut r = check_file(&seed(prefix), &rules, &opts);
    r.path = PathBuf::from(r.path.file_name().expect("file name"));
    r
}

fn rules_failing(r: &FileReport) -> Vec<&str> {
    r.findings.iter().map(|f| f.rule.as_str()).collect()
}

/// The texts of the labels of `rule`'s findings, as the source wrote them.
fn labels(r: &FileReport, rule: &str) -> Vec<String> {
    let src = r.source.as_deref().unwrap_or("");
    r.findings
        .iter()
        .filter(|f| f.rule == rule)
        .flat_map(|f| f.labels.iter())
        .map(|l| src[l.start..l.end].to_string())
        .collect()
}

fn rendered(r: &FileReport) -> String {
    render_file(
        r,
        Style {
            color: false,
            width: 120,
        },
    )
}

#[test]
fn seed_000_lacks_fees_applications_and_review() {
    let r = check("000");
    let failing = rules_failing(&r);
    for rule in [
        "ogi/fees-section",
        "ogi/art32-applications",
        "ogi/art32-review",
    ] {
        assert!(failing.contains(&rule), "{rule} should fail: {failing:?}");
    }
    for rule in [
        "ogi/reply-rate",
        "ogi/publication-year",
        "ogi/not-annual-report",
    ] {
        assert!(!failing.contains(&rule), "{rule} should not fail");
    }
    assert!(r.not_applicable.iter().any(|n| n == "ogi/reply-rate"));
    insta::assert_snapshot!("seed_000", rendered(&r));
}

#[test]
fn seed_001_flags_the_one_wrong_sum_and_the_damaged_text() {
    let r = check("001");
    let sums = r
        .findings
        .iter()
        .filter(|f| f.rule == "ogi/sum-parts")
        .count();
    assert_eq!(sums, 1, "only 12261 ≠ 9547 + 2617; the other sums add up");
    let l = labels(&r, "ogi/sum-parts");
    for n in ["12261", "9547", "2617"] {
        assert!(l.iter().any(|x| x == n), "{n} in {l:?}");
    }
    let damaged = labels(&r, "ogi/damaged-text");
    assert!(damaged.iter().any(|x| x == "發(fā)"), "{:?}", &damaged[..3]);
    assert!(
        damaged.iter().any(|x| x.contains('?')),
        "the ?h in 評價?h政府"
    );
    // One page holding three reports and no year in its title: not an annual report,
    // so no structural rule fires.
    let failing = rules_failing(&r);
    assert!(failing.contains(&"ogi/not-annual-report"));
    assert!(!failing.iter().any(|f| f.starts_with("ogi/art32")
        || f.starts_with("ogi/statutory")
        || *f == "ogi/numbering"));
    insta::assert_snapshot!("seed_001", rendered(&r));
}

#[test]
fn seed_002_numbering_gaps_and_empty_attachment_but_right_rates_and_sums() {
    let r = check("002");
    let failing = rules_failing(&r);
    for rule in [
        "ogi/fees-section",
        "ogi/art32-review",
        "ogi/empty-attachment",
    ] {
        assert!(failing.contains(&rule), "{rule} should fail: {failing:?}");
    }
    let numbering = labels(&r, "ogi/numbering");
    assert!(
        numbering.iter().any(|l| l.starts_with("(三)")),
        "{numbering:?}"
    );
    assert!(
        numbering.iter().any(|l| l.starts_with("二、")),
        "{numbering:?}"
    );
    // 497/497 = 100%, 41/41 = 100%, 6 + 14 + 21 = 41, 1709 + 32 = 1741 are right.
    for rule in [
        "ogi/reply-rate",
        "ogi/share-rate",
        "ogi/sum-parts",
        "ogi/publication-year",
    ] {
        assert!(!failing.contains(&rule), "{rule} must not fail on 002");
    }
    insta::assert_snapshot!("seed_002", rendered(&r));
}

#[test]
fn seed_003_has_its_fees_section_but_not_its_seven_parts() {
    let r = check("003");
    let failing = rules_failing(&r);
    assert!(!failing.contains(&"ogi/fees-section"));
    assert!(failing.contains(&"ogi/declared-parts"));
    // 25477 / 27786 = 91.7% and 25477 + 2064 + 42 + 48 + 155 = 27786 are right.
    for rule in ["ogi/reply-rate", "ogi/share-rate", "ogi/sum-parts"] {
        assert!(!failing.contains(&rule), "{rule} must not fail on 003");
    }
    assert!(r.not_applicable.iter().any(|n| n == "ogi/publication-year"));
    insta::assert_snapshot!("seed_003", rendered(&r));
}

#[test]
fn seed_004_is_not_an_annual_report_and_has_placeholders() {
    let r = check("004");
    let failing = rules_failing(&r);
    assert_eq!(
        failing
            .iter()
            .filter(|f| **f == "ogi/not-annual-report")
            .count(),
        1
    );
    for structural in ["ogi/fees-section", "ogi/numbering", "ogi/art32-review"] {
        assert!(!failing.contains(&structural), "{structural} fired on 004");
    }
    let p = labels(&r, "ogi/placeholder");
    for want in ["××", "20XX年", "201x年", "20xx年", "AA市", "**年"] {
        assert!(p.iter().any(|l| l == want), "{want} not in {p:?}");
    }
    assert!(labels(&r, "ogi/damaged-text").iter().any(|l| l == "代*制"));
    insta::assert_snapshot!("seed_004", rendered(&r));
}
