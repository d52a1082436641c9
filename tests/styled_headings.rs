//! A Word document's heading styles and HTML's `<h1>`…`<h6>` make headings of
//! paragraphs whatever their shape: the same text as plain text has no such heading
//! (it is too long for a bare one).

use std::path::Path;
use std::process::Command;

fn section_titles(file: &str) -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/headings")
        .join(file);
    let out = Command::new(env!("CARGO_BIN_EXE_reportlint"))
        .args(["inspect", "--format", "json"])
        .arg(&path)
        .output()
        .expect("run reportlint");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    v["sections"]
        .as_array()
        .expect("sections")
        .iter()
        .map(|s| s["title"].as_str().unwrap_or("").to_string())
        .collect()
}

const STYLED: &str = "工作中存在的主要问题和今后努力的方向以及需要说明的其他事项和附件";

#[test]
fn a_heading_style_makes_a_section() {
    let docx = section_titles("styled-headings.docx");
    assert_eq!(docx, ["主动公开政府信息情况", STYLED]);
    let html = section_titles("styled-headings.html");
    assert_eq!(html, ["主动公开政府信息情况", STYLED]);
    let txt = section_titles("styled-headings.txt");
    assert_eq!(
        txt,
        ["主动公开政府信息情况"],
        "too long for a bare heading in text"
    );
}

#[test]
fn rules_see_the_styled_section() {
    // problems-substance judges the 问题 section: a finding only where it is a section.
    let run = |file: &str| {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/headings")
            .join(file);
        let out = Command::new(env!("CARGO_BIN_EXE_reportlint"))
            .args([
                "check",
                "--isolated",
                "--format",
                "concise",
                "--select",
                "ogi/problems-substance",
            ])
            .arg(&path)
            .output()
            .expect("run reportlint");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert!(run("styled-headings.docx").contains("ogi/problems-substance"));
    assert!(run("styled-headings.html").contains("ogi/problems-substance"));
    assert!(!run("styled-headings.txt").contains("ogi/problems-substance"));
}
