// Shared by the `outputs_*` tests: not a test of its own.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;

pub const SAMPLE: &str = "examples/reports/002_89ac4cf4ed34e821.txt";

/// Run the binary from the crate root; returns (exit code, stdout, stderr).
pub fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_reportlint"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .expect("run reportlint");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).expect("utf-8 stdout"),
        String::from_utf8(out.stderr).expect("utf-8 stderr"),
    )
}

/// The sample's findings as JSON (the reference every format is compared with).
pub fn json_findings() -> Vec<serde_json::Value> {
    let (code, out, _) = run(&["check", SAMPLE, "--format", "json"]);
    assert_eq!(code, 1, "the sample has findings");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let findings = v["files"][0]["findings"].as_array().unwrap().clone();
    assert!(!findings.is_empty());
    findings
}

pub fn sample_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(SAMPLE)
}
