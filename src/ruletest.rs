//! Rule tests: the `[[rule.test]]` examples beside each rule, run by `reportlint test`.

use std::fmt::Write as _;
use std::path::PathBuf;

use crate::document::Document;
use crate::eval::{Ctx, Outcome};
use crate::fold::Folded;
use crate::rules::{Expectation, Rule, RuleSet};

/// The result of one rule test.
#[derive(Debug, Clone)]
pub struct TestResult {
    /// The rule.
    pub rule: String,
    /// 1-based number of the test among the rule's tests.
    pub index: usize,
    /// What was expected.
    pub expect: Expectation,
    /// What happened (None when it matched the expectation).
    pub failure: Option<String>,
}

/// Run every test of every rule in `set`.
pub fn run_tests(set: &RuleSet) -> Vec<TestResult> {
    let mut out = Vec::new();
    for rule in &set.rules {
        for (i, t) in rule.tests.iter().enumerate() {
            let outcome = evaluate_one(set, rule, &t.report);
            let got = match &outcome {
                Outcome::Pass => Expectation::Pass,
                Outcome::NotApplicable => Expectation::NotApplicable,
                Outcome::Fail(_) => Expectation::Fail,
            };
            let mut failure = None;
            if got != t.expect {
                let detail = match &outcome {
                    Outcome::Fail(vs) => format!(
                        ": {}",
                        vs.iter()
                            .map(|v| v.message.as_str())
                            .collect::<Vec<_>>()
                            .join("; ")
                    ),
                    _ => String::new(),
                };
                failure = Some(format!(
                    "expected {}, got {}{detail}",
                    name(t.expect),
                    name(got)
                ));
            } else if let Outcome::Fail(vs) = &outcome {
                let covered: Vec<&str> = vs
                    .iter()
                    .flat_map(|v| v.evidence.iter())
                    .filter_map(|e| t.report.get(e.span.start..e.span.end))
                    .collect();
                let missing: Vec<&String> = t
                    .labels
                    .iter()
                    .filter(|l| !covered.contains(&l.as_str()))
                    .collect();
                if !missing.is_empty() {
                    failure = Some(format!(
                        "no label covers {missing:?}; labels cover {covered:?}"
                    ));
                }
            }
            out.push(TestResult {
                rule: rule.id.clone(),
                index: i + 1,
                expect: t.expect,
                failure,
            });
        }
    }
    out
}

fn evaluate_one(set: &RuleSet, rule: &Rule, report: &str) -> Outcome {
    let folded = Folded::new(report);
    let doc = Document::parse(&folded);
    let ctx = Ctx::new(&doc, &folded, report);
    ctx.evaluate(rule, &set.packs[rule.pack], rule.pack)
}

fn name(e: Expectation) -> &'static str {
    match e {
        Expectation::Fail => "fail",
        Expectation::Pass => "pass",
        Expectation::NotApplicable => "not-applicable",
    }
}

/// Rules lacking a failing or a passing example.
pub fn coverage_gaps(set: &RuleSet) -> Vec<String> {
    set.rules
        .iter()
        .filter_map(|r| {
            let has = |e| r.tests.iter().any(|t| t.expect == e);
            let mut gaps = Vec::new();
            if !has(Expectation::Fail) {
                gaps.push("no failing example");
            }
            if !has(Expectation::Pass) {
                gaps.push("no passing example");
            }
            (!gaps.is_empty()).then(|| format!("{}: {}", r.id, gaps.join(", ")))
        })
        .collect()
}

/// A report of a test run for people.
pub fn render(results: &[TestResult], gaps: &[String], files: &[PathBuf]) -> String {
    let _ = files;
    let mut out = String::new();
    for r in results {
        match &r.failure {
            None => {
                let _ = writeln!(out, "ok     {} #{} ({})", r.rule, r.index, name(r.expect));
            }
            Some(f) => {
                let _ = writeln!(out, "FAILED {} #{}: {f}", r.rule, r.index);
            }
        }
    }
    for g in gaps {
        let _ = writeln!(out, "COVERAGE {g}");
    }
    let failed = results.iter().filter(|r| r.failure.is_some()).count();
    let _ = writeln!(out, "{} passed, {} failed", results.len() - failed, failed);
    out
}
