//! docs/dsl.md cannot drift from the language: every ```dsl line in it is an
//! expression that must hold on the doc's sample report (the ```text sample block), every
//! ```toml block holding rules must load and pass its own `[[rule.test]]` examples, and
//! every built-in function and member must appear in some example.

use std::sync::Arc;

use reportlint::document::Document;
use reportlint::dsl::types::{members, Type, FUNCTIONS};
use reportlint::eval::{Ctx, Outcome};
use reportlint::fold::Folded;
use reportlint::rules::{load, Expectation, RuleSet};
use reportlint::ruletest::run_tests;

const DOC: &str = include_str!("../docs/dsl.md");

mod markdown_common;
use markdown_common::{blocks, Block};

/// The expressions of a ```dsl block: one per unindented line, indented lines continue
/// it; blank lines and lines starting with `#` are skipped.
fn expressions(b: &Block) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> = Vec::new();
    for (i, line) in b.text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        match out.last_mut() {
            Some((_, e)) if line.starts_with(' ') => {
                e.push('\n');
                e.push_str(line);
            }
            _ => out.push((b.line + 1 + i, line.to_string())),
        }
    }
    out
}

fn load_one(name: &str, toml: &str) -> Result<RuleSet, String> {
    load(&[("doc".into(), vec![(name.to_string(), Arc::from(toml))])]).map_err(|e| {
        let msgs: Vec<String> = e
            .errors
            .iter()
            .map(|e| format!("{} ({:?})", e.message, e.help))
            .collect();
        format!("{name}: does not load: {msgs:?}")
    })
}

fn sample() -> String {
    blocks(DOC)
        .into_iter()
        .find(|b| b.info == "text sample")
        .expect("docs/dsl.md has a ```text sample block")
        .text
}

#[test]
fn every_dsl_example_holds_on_the_sample_report() {
    let report = sample();
    let folded = Folded::new(&report);
    let doc = Document::parse(&folded);
    let ctx = Ctx::new(&doc, &folded, &report);
    let mut failures = Vec::new();
    let mut n = 0;
    for b in blocks(DOC).iter().filter(|b| b.info == "dsl") {
        for (line, expr) in expressions(b) {
            n += 1;
            let toml = format!("[[rule]]\nid = \"e\"\nmessage = \"m\"\ncheck = '''\n{expr}\n'''\n");
            let set = match load_one(&format!("docs/dsl.md:{line}"), &toml) {
                Ok(set) => set,
                Err(e) => {
                    failures.push(format!("{e}: `{expr}`"));
                    continue;
                }
            };
            let outcome = ctx.evaluate(&set.rules[0], &set.packs[0], 0);
            if outcome != Outcome::Pass {
                let why = match &outcome {
                    Outcome::Fail(v) => format!("fails: {:?}", v[0].notes),
                    _ => "not applicable (some value is none)".into(),
                };
                failures.push(format!("docs/dsl.md:{line}: `{expr}` {why}"));
            }
        }
    }
    assert!(n > 50, "only {n} examples found");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_rule_example_loads_and_passes_its_tests() {
    let mut n = 0;
    for b in blocks(DOC).iter().filter(|b| b.info == "toml") {
        if !b.text.contains("[[rule]]") {
            continue;
        }
        let set =
            load_one(&format!("docs/dsl.md:{}", b.line), &b.text).unwrap_or_else(|e| panic!("{e}"));
        for r in &set.rules {
            assert!(
                !r.tests.is_empty(),
                "docs/dsl.md:{}: {} has no test",
                b.line,
                r.id
            );
        }
        let results = run_tests(&set);
        let failed: Vec<String> = results
            .iter()
            .filter_map(|r| {
                r.failure
                    .as_ref()
                    .map(|f| format!("{} #{}: {f}", r.rule, r.index))
            })
            .collect();
        assert!(failed.is_empty(), "docs/dsl.md:{}: {failed:#?}", b.line);
        if let Some(claimed) = claimed_message(b) {
            assert_eq!(
                first_failing_message(&set),
                claimed,
                "docs/dsl.md:{}",
                b.line
            );
        }
        n += 1;
    }
    assert!(n >= 3, "only {n} rule examples");
}

/// The message the prose after a rule block says its first failing example gives
/// ("the message reads `…`").
fn claimed_message(b: &Block) -> Option<String> {
    let start = DOC.lines().skip(b.line).position(|l| l == "```")? + b.line + 1;
    let after: String = DOC
        .lines()
        .skip(start)
        .take_while(|l| !l.starts_with("```"))
        .collect::<Vec<_>>()
        .join(" ");
    let rest = after.split_once("the message reads `")?.1;
    Some(rest.split_once('`')?.0.to_string())
}

fn first_failing_message(set: &RuleSet) -> String {
    let rule = &set.rules[0];
    let t = rule
        .tests
        .iter()
        .find(|t| t.expect == Expectation::Fail)
        .expect("a failing example");
    let folded = Folded::new(&t.report);
    let doc = Document::parse(&folded);
    match Ctx::new(&doc, &folded, &t.report).evaluate(rule, &set.packs[0], 0) {
        Outcome::Fail(v) => v[0].message.clone(),
        other => panic!("{other:?}"),
    }
}

fn example_text() -> String {
    blocks(DOC)
        .into_iter()
        .filter(|b| b.info == "dsl" || b.info == "toml")
        .map(|b| b.text)
        .collect()
}

#[test]
fn every_function_and_member_has_an_example() {
    let ex = example_text();
    let mut missing = Vec::new();
    for f in FUNCTIONS {
        if !ex.contains(&format!("{}(", f.name)) {
            missing.push(format!("no example calls `{}`", f.name));
        }
    }
    let types = [
        Type::Report,
        Type::Section,
        Type::Paragraph,
        Type::Number,
        Type::Date,
        Type::Match(None),
        Type::Text,
    ];
    for t in types {
        for (m, _) in members(&t) {
            if !DOC.contains(&format!("| `{}` |", m.name)) {
                missing.push(format!("{t}.{} has no row in a member table", m.name));
            }
            if !ex.contains(&format!(".{}", m.name)) {
                missing.push(format!("no example uses `.{}` ({t})", m.name));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "docs/dsl.md is behind src/dsl/types.rs:\n{}",
        missing.join("\n")
    );
}

#[test]
fn every_construct_has_an_example() {
    let ex = example_text();
    for token in [
        "all ", "any ", "none ", " where ", " for ", "let ", "if ", " then ", " else ", " => ",
        " and ", " or ", "not ", " within ", "≈", "~=", "==", "!=", "<=", ">=", " < ", " > ",
        " + ", " - ", " * ", " / ", "-1", "[0]", "[-1]", "%", "\"", "/i", "true", "false",
        ".count()", "{{",
    ] {
        assert!(ex.contains(token), "no example uses `{token}`");
    }
}
