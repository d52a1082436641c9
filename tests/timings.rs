//! `check --timings`: a per-rule time table on stderr, the output itself unchanged.

use std::process::Command;

fn run(extra: &[&str]) -> (Option<i32>, Vec<u8>, String) {
    let root = env!("CARGO_MANIFEST_DIR");
    let out = Command::new(env!("CARGO_BIN_EXE_reportlint"))
        .arg("check")
        .args(["--format", "concise", "--quiet"])
        .args(extra)
        .arg(format!("{root}/examples/reports"))
        .output()
        .unwrap();
    (
        out.status.code(),
        out.stdout,
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn timings_list_every_selected_rule_on_stderr_and_change_nothing_else() {
    let rules = "ogi/fees-section,ogi/reply-rate,ogi/publication-year";
    let (code, plain, err) = run(&["--select", rules]);
    assert!(err.is_empty(), "{err}");
    let (timed_code, timed, table) = run(&["--select", rules, "--timings"]);
    assert_eq!(code, timed_code);
    assert_eq!(plain, timed, "--timings must not change the output");
    let lines: Vec<&str> = table.lines().collect();
    assert!(lines[0].starts_with("rule"), "{table}");
    for id in rules.split(',') {
        assert_eq!(
            lines.iter().filter(|l| l.starts_with(id)).count(),
            1,
            "{id} in\n{table}"
        );
    }
    // Three rules, a header and the total: nothing from rules that were not selected.
    assert_eq!(lines.len(), 5, "{table}");
    assert!(lines[4].starts_with("total"), "{table}");
}
