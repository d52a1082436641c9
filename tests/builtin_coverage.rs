//! Every built-in rule has a failing and a passing example, and all of them pass:
//! `reportlint test --coverage` as CI runs it (issue 3, item 6).

use std::process::Command;

#[test]
fn builtin_rules_pass_their_tests_with_coverage() {
    let out = Command::new(env!("CARGO_BIN_EXE_reportlint"))
        .args(["test", "--coverage"])
        .output()
        .expect("run reportlint");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(!stdout.contains("COVERAGE"), "{stdout}");
    assert!(!stdout.contains("FAILED"), "{stdout}");
    // Each rule shows up with at least a fail and a pass example.
    let set = reportlint::rules::load(&reportlint::rules::builtin_sources()).expect("loads");
    for r in &set.rules {
        for kind in ["(fail)", "(pass)"] {
            assert!(
                stdout
                    .lines()
                    .any(|l| l.starts_with(&format!("ok     {} #", r.id)) && l.ends_with(kind)),
                "{} has no {kind} example that passes",
                r.id
            );
        }
    }
}

#[test]
fn coverage_fails_on_a_rule_without_a_failing_example() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pack = dir.path().join("p");
    std::fs::create_dir(&pack).expect("mkdir");
    std::fs::write(
        pack.join("r.toml"),
        "[[rule]]\nid = \"r\"\nmessage = \"m\"\ncheck = 'true'\n\n[[rule.test]]\nexpect = \"pass\"\nreport = \"标题\"\n",
    )
    .expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_reportlint"))
        .args(["test", "--no-builtin", "--coverage", "--rules"])
        .arg(&pack)
        .output()
        .expect("run reportlint");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("COVERAGE p/r: no failing example"),
        "{stdout}"
    );
}
