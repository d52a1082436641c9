//! reportlint's SARIF output validated against the published SARIF 2.1.0 JSON schema
//! (vendored in `tests/schemas/`, see its README), with format assertions on, so URIs
//! and other `format`s are checked too.

mod outputs_common;
use outputs_common::*;

use reportlint::findings::{FileError, FileReport, Finding, Label};
use reportlint::rules::Severity;

const SCHEMA_ID: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// Validate `sarif` (a SARIF log as text); the error lists every violation.
fn validate(sarif: &str) -> Result<(), String> {
    let schema_text = include_str!("schemas/sarif-schema-2.1.0.json");
    let schema: serde_json::Value = serde_json::from_str(schema_text).expect("schema is JSON");
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler.enable_format_assertions();
    compiler
        .add_resource(SCHEMA_ID, schema)
        .expect("schema resource");
    let index = compiler
        .compile(SCHEMA_ID, &mut schemas)
        .expect("schema compiles");
    let instance: serde_json::Value = serde_json::from_str(sarif).map_err(|e| e.to_string())?;
    schemas
        .validate(&instance, index)
        .map_err(|e| format!("{e:#}"))
}

#[test]
fn the_validator_rejects_an_invalid_log() {
    // Guards the test itself: a schema that accepted anything would pass every log.
    assert!(validate(r#"{"version": "2.1.0", "runs": []}"#).is_ok());
    assert!(validate(r#"{"version": "2.0.0", "runs": []}"#).is_err());
    let bad_region = r#"{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}},
        "results": [{"message": {"text": "m"}, "locations": [{"physicalLocation":
        {"artifactLocation": {"uri": "a"}, "region": {"startLine": 0}}}]}]}]}"#;
    assert!(validate(bad_region).is_err());
    let bad_uri = r#"{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}},
        "results": [{"message": {"text": "m"}, "locations": [{"physicalLocation":
        {"artifactLocation": {"uri": "a b\\c"}}}]}]}]}"#;
    assert!(validate(bad_uri).is_err(), "format assertions are on");
}

#[test]
fn the_sample_reports_give_a_valid_log() {
    let (code, out, _) = run(&["check", "examples/reports/", "--format", "sarif"]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(!v["runs"][0]["results"].as_array().unwrap().is_empty());
    if let Err(e) = validate(&out) {
        panic!("SARIF output does not match the schema:\n{e}");
    }
}

#[test]
fn regions_carry_the_labels_byte_offsets() {
    let (_, out, _) = run(&["check", SAMPLE, "--format", "sarif"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let results = v["runs"][0]["results"].as_array().unwrap();
    let expected = json_findings();
    assert_eq!(results.len(), expected.len());
    for (r, f) in results.iter().zip(&expected) {
        let region = &r["locations"][0]["physicalLocation"]["region"];
        let label = &f["labels"][0];
        let start = label["start"].as_u64().unwrap();
        assert_eq!(region["byteOffset"].as_u64(), Some(start));
        assert_eq!(
            region["byteLength"].as_u64(),
            Some(label["end"].as_u64().unwrap() - start)
        );
        for (rel, l) in r["relatedLocations"]
            .as_array()
            .map(|a| a.as_slice())
            .unwrap_or(&[])
            .iter()
            .zip(f["labels"].as_array().unwrap().iter().skip(1))
        {
            assert_eq!(rel["physicalLocation"]["region"]["byteOffset"], l["start"]);
        }
    }
}

#[test]
fn unreadable_files_and_odd_names_give_a_valid_log() {
    let dir = tempfile::tempdir().unwrap();
    let odd = dir.path().join("报告 #1 [草稿]%.txt");
    std::fs::copy(sample_path(), &odd).unwrap();
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "").unwrap();
    let (code, out, _) = run(&[
        "check",
        odd.to_str().unwrap(),
        empty.to_str().unwrap(),
        "no/such/file.txt",
        "--format",
        "sarif",
    ]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let notes = &v["runs"][0]["invocations"][0]["toolExecutionNotifications"];
    assert_eq!(notes.as_array().unwrap().len(), 2);
    if let Err(e) = validate(&out) {
        panic!("SARIF output does not match the schema:\n{e}");
    }
}

#[test]
fn multi_label_findings_without_rules_give_a_valid_log() {
    let text = "收到申请12件\n办结10件，回复率为100%\n";
    let a = text.find("12").unwrap();
    let b = text.find("100%").unwrap();
    let label = |start: usize, len: usize, line, column, t: &str| Label {
        start,
        end: start + len,
        line,
        column,
        text: t.into(),
    };
    let finding = |labels| Finding {
        rule: "x/rate".into(),
        severity: Severity::Warning,
        message: "100% ≠ 10/12".into(),
        labels,
        title: "t".into(),
        help: Some("h".into()),
        notes: vec!["10 / 12 = 83.33%".into()],
        reference: None,
    };
    let mut report = FileReport::failed(
        "dir/a b.txt".into(),
        FileError {
            kind: "io",
            message: String::new(),
        },
    );
    report.error = None;
    report.source = Some(reportlint::span::SharedStr::from(text));
    report.findings.push(finding(vec![
        label(b, 4, 2, 11, "rate = 100%"),
        label(a, 2, 1, 5, "received = 12"),
    ]));
    report.findings.push(finding(Vec::new()));
    let out = reportlint::render::sarif::render(&[report], &[]);
    if let Err(e) = validate(&out) {
        panic!("SARIF output does not match the schema:\n{e}");
    }
}
