mod outputs_common;
use outputs_common::*;

#[test]
fn csv_has_header_and_a_row_per_finding() {
    let (code, out, _) = run(&["check", SAMPLE, "--format", "csv"]);
    assert_eq!(code, 1);
    let findings = json_findings();
    let rows: Vec<&str> = out.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(rows[0], "path,line,column,rule,severity,message");
    assert_eq!(rows.len(), findings.len() + 1);
    let f = &findings[0];
    assert_eq!(
        rows[1],
        format!(
            "examples/reports/002_89ac4cf4ed34e821.txt,{},{},{},{},{}",
            f["labels"][0]["line"],
            f["labels"][0]["column"],
            f["rule"].as_str().unwrap(),
            f["severity"].as_str().unwrap(),
            f["message"].as_str().unwrap()
        )
    );
}

#[test]
fn junit_has_a_suite_per_file_and_a_failure_per_failing_rule() {
    let (code, out, _) = run(&["check", SAMPLE, "--format", "junit"]);
    assert_eq!(code, 1);
    assert!(out.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites"));
    assert!(out.trim_end().ends_with("</testsuites>"));
    assert_eq!(out.matches("<testsuite ").count(), 1);
    assert!(out.contains("<testsuite name=\"examples/reports/002_89ac4cf4ed34e821.txt\""));
    let (_, rules, _) = run(&["rules", "list", "--format", "json"]);
    let rules: serde_json::Value = serde_json::from_str(&rules).unwrap();
    let n = rules.as_array().unwrap().len();
    assert_eq!(out.matches("<testcase ").count(), n);
    let failing = json_findings()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    assert!(out.contains(&format!("tests=\"{n}\" failures=\"{failing}\"")));
    let case = out
        .split("<testcase ")
        .find(|c| c.starts_with("name=\"ogi/fees-section\""))
        .expect("a testcase for the failing rule");
    assert!(case
        .contains("<failure message=\"缺少“政府信息公开的收费及减免情况”部分\" type=\"error\">"));
    assert!(case.contains("002_89ac4cf4ed34e821.txt:1:1:"));
    // Balanced elements (a cheap well-formedness check).
    assert_eq!(
        out.matches("<testsuite ").count(),
        out.matches("</testsuite>").count()
    );
    assert_eq!(
        out.matches("<failure ").count(),
        out.matches("</failure>").count()
    );
}
