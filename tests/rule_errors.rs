//! Every class of rule-file error, as `reportlint rules check DIR` renders it: one
//! fixture pack per class under tests/fixtures/bad_rules/, one snapshot each. The
//! snapshots are what a rule author reads, so a change in wording or span shows here.

use std::path::Path;
use std::process::Command;

const FIXTURES: &str = "tests/fixtures/bad_rules";

/// `reportlint rules check` on one fixture pack: (exit code, stdout, stderr).
fn rules_check(case: &str) -> (i32, String, String) {
    let dir = format!("{FIXTURES}/{case}");
    assert!(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(&dir).is_dir(),
        "no fixture {dir}"
    );
    let out = Command::new(env!("CARGO_BIN_EXE_reportlint"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["rules", "check", &dir])
        .env("NO_COLOR", "1")
        .output()
        .expect("run reportlint");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).expect("utf-8 stdout"),
        String::from_utf8(out.stderr).expect("utf-8 stderr"),
    )
}

/// The case must be refused with exit 2, print nothing on stdout, and render as the
/// snapshot shows; `expect` are fragments the rendering must contain whatever the
/// snapshot says (the point of the case).
fn case(name: &str, expect: &[&str]) {
    let (code, stdout, stderr) = rules_check(name);
    assert_eq!(code, 2, "{name}: exit code\n{stderr}");
    assert_eq!(stdout, "", "{name}: nothing on stdout");
    for e in expect {
        assert!(stderr.contains(e), "{name}: expected {e:?} in\n{stderr}");
    }
    insta::assert_snapshot!(name, stderr);
}

#[test]
fn broken_toml() {
    case("broken_toml", &["invalid rule file", "rules.toml:3:19"]);
}

#[test]
fn unknown_key() {
    case(
        "unknown_key",
        &["unknown field `sevrity`", "rules.toml:3:1"],
    );
}

#[test]
fn missing_key() {
    case(
        "missing_key",
        &[
            "missing field `check`",
            "a [[rule]] needs `id`, `message` and `check`",
        ],
    );
}

#[test]
fn dsl_syntax_error() {
    case(
        "syntax_error",
        &[
            "5 error(s)",
            "a bracket is left open: expected `)`",
            "rules.toml:4:34",
            "`=` is not an operator: write `==` to compare",
            "expected `:`",
            "a regex is left open",
            "a string is left open",
        ],
    );
}

#[test]
fn type_error() {
    case(
        "type_error",
        &[
            "2 error(s)",
            "cannot order text against number",
            "cannot compare number with text",
        ],
    );
}

#[test]
fn unknown_name_with_did_you_mean() {
    case(
        "unknown_name",
        &[
            "unknown function `exsits`",
            "did you mean `exists`?",
            "unknown name `reprot`",
            "did you mean `report`?",
        ],
    );
}

#[test]
fn unknown_member() {
    case(
        "unknown_member",
        &["report has no member `yaer`", "did you mean `year`?"],
    );
}

#[test]
fn bad_regex_points_inside_it() {
    // Column 32 is the `(` that is never closed, inside the regex.
    case(
        "bad_regex",
        &["invalid regex: unclosed group", "rules.toml:4:32"],
    );
}

#[test]
fn duplicate_rule_id() {
    case(
        "duplicate_id",
        &[
            "duplicate rule id `duplicate_id/fees-section`",
            "b.toml:2:6",
            "a.toml",
        ],
    );
}

#[test]
fn pack_let_cycle() {
    case(
        "let_cycle",
        &["1 error(s)", "deadline → last_day → deadline"],
    );
}

#[test]
fn literal_division_by_zero() {
    case("division_by_zero", &["division by zero"]);
}

#[test]
fn bad_message_placeholder() {
    case(
        "bad_placeholder",
        &[
            "the regex has no group named `rat`",
            "did you mean `rate`?",
            "unclosed `{` in message",
        ],
    );
}

#[test]
fn bad_severity() {
    case("bad_severity", &["unknown severity `fatal`"]);
}

#[test]
fn test_with_unknown_expect() {
    case(
        "unknown_expect",
        &["unknown variant `fails`", "rules.toml:7:10"],
    );
}

#[test]
fn every_fixture_has_a_case() {
    // A fixture without a test above would never be looked at.
    let src = include_str!("rule_errors.rs");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURES);
    for e in std::fs::read_dir(dir).expect("fixtures").flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        assert!(
            src.contains(&format!("case(\"{name}\""))
                || src.contains(&format!("case(\n        \"{name}\"")),
            "fixture {name} has no test"
        );
    }
}
