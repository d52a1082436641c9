mod outputs_common;
use outputs_common::*;

#[test]
fn output_flag_writes_the_file_and_nothing_to_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.sarif");
    let (code, out, _) = run(&[
        "check",
        SAMPLE,
        "--format",
        "sarif",
        "--output",
        path.to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    assert!(out.is_empty());
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(v["runs"][0]["results"][0]["ruleId"], "ogi/fees-section");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn json_summary_has_totals_and_timing() {
    let (_, out, _) = run(&["check", SAMPLE, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let s = &v["summary"];
    assert_eq!(s["files"], 1);
    assert_eq!(s["errors"], 0);
    let findings = v["files"][0]["findings"].as_array().unwrap();
    let count = |sev: &str| findings.iter().filter(|f| f["severity"] == sev).count();
    assert!(count("error") >= 1);
    assert_eq!(s["error_findings"], count("error"));
    assert_eq!(s["findings"], findings.len());
    assert_eq!(s["by_severity"]["error"], count("error"));
    assert_eq!(s["by_severity"]["warning"], count("warning"));
    assert_eq!(s["by_severity"]["info"], count("info"));
    let na = v["files"][0]["not_applicable"].as_array().unwrap().len();
    assert_eq!(s["not_applicable"], na);
    assert!(s["elapsed_ms"].is_u64());
}

#[test]
fn statistics_count_rules_and_files() {
    let (_, out, _) = run(&["check", SAMPLE, "--format", "concise", "--statistics"]);
    let table = out
        .split("\n\n")
        .nth(1)
        .expect("statistics after the output");
    let row = table
        .lines()
        .find(|l| l.starts_with("ogi/fees-section"))
        .expect("a row for the failing rule");
    let n = json_findings()
        .iter()
        .filter(|f| f["rule"] == "ogi/fees-section")
        .count()
        .to_string();
    assert_eq!(
        row.split_whitespace().collect::<Vec<_>>(),
        ["ogi/fees-section", n.as_str(), "1"]
    );
    assert!(out.contains("examples/reports/002_89ac4cf4ed34e821.txt"));
    // Machine formats keep stdout clean: statistics go to stderr.
    let (_, out, err) = run(&["check", SAMPLE, "--format", "csv", "--statistics"]);
    assert!(!out.contains("findings"));
    assert!(err.contains("ogi/fees-section"));
}
