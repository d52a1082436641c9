//! The three mission rules end to end, on the real seed reports and on modified copies.

mod seed_common;
use seed_common::*;

use std::path::PathBuf;
use std::process::Command;

use reportlint::engine::{check_file, check_text, CheckOptions};
use reportlint::findings::FileReport;
use reportlint::render::human::{render_file, Style};
use reportlint::rules::{builtin_sources, load, RuleSet};

fn rules() -> RuleSet {
    let mut set = load(&builtin_sources()).expect("built-in rules load");
    set.rules.retain(|r| {
        ["ogi/fees-section", "ogi/reply-rate", "ogi/publication-year"].contains(&r.id.as_str())
    });
    set
}

fn check(name: &str, text: &str) -> FileReport {
    check_text(PathBuf::from(name), text, "UTF-8", &rules())
}

fn fails(r: &FileReport, rule: &str) -> bool {
    r.findings.iter().any(|f| f.rule == rule)
}

fn not_applicable(r: &FileReport, rule: &str) -> bool {
    r.not_applicable.iter().any(|x| x == rule)
}

fn passes(r: &FileReport, rule: &str) -> bool {
    !fails(r, rule) && !not_applicable(r, rule)
}

fn label_texts(r: &FileReport, rule: &str, text: &str) -> Vec<String> {
    r.findings
        .iter()
        .filter(|f| f.rule == rule)
        .flat_map(|f| f.labels.iter().map(|l| text[l.start..l.end].to_string()))
        .collect()
}

#[test]
fn fees_section_on_the_seeds() {
    for (s, expect_fail) in [("000", true), ("002", true), ("003", false)] {
        let r = check(s, &seed_text(s));
        assert_eq!(
            fails(&r, "ogi/fees-section"),
            expect_fail,
            "seed {s}: {:?}",
            r.findings
        );
        if !expect_fail {
            assert!(passes(&r, "ogi/fees-section"), "seed {s} passes");
        }
    }
}

#[test]
fn reply_rate_is_silent_on_correct_rates_and_na_without_rates() {
    let r = check("002", &seed_text("002"));
    assert!(
        passes(&r, "ogi/reply-rate"),
        "{:?} / {:?}",
        r.findings,
        r.not_applicable
    );
    let r = check("000", &seed_text("000"));
    assert!(not_applicable(&r, "ogi/reply-rate"));
}

#[test]
fn publication_year_on_the_seeds() {
    assert!(passes(
        &check("000", &seed_text("000")),
        "ogi/publication-year"
    ));
    assert!(passes(
        &check("002", &seed_text("002")),
        "ogi/publication-year"
    ));
    assert!(not_applicable(
        &check("003", &seed_text("003")),
        "ogi/publication-year"
    ));
}

#[test]
fn wrong_reply_count_fails_with_every_operand_labelled() {
    let text = seed_text("002").replace("回复处理497件", "回复处理450件");
    let r = check("002", &text);
    assert!(fails(&r, "ogi/reply-rate"));
    let labels = label_texts(&r, "ogi/reply-rate", &text);
    for want in ["497", "450", "100%"] {
        assert!(
            labels.iter().any(|l| l == want),
            "label on {want}: {labels:?}"
        );
    }
    let f = r
        .findings
        .iter()
        .find(|f| f.rule == "ogi/reply-rate")
        .expect("finding");
    assert!(
        f.message.contains("100%") && f.message.contains("450") && f.message.contains("497"),
        "{}",
        f.message
    );
}

#[test]
fn late_publication_fails() {
    let text = seed_text("002").replace("2018年1月23日", "2019年1月23日");
    let r = check("002", &text);
    assert!(fails(&r, "ogi/publication-year"));
    let labels = label_texts(&r, "ogi/publication-year", &text);
    assert!(labels.iter().any(|l| l == "2019年1月23日"), "{labels:?}");
}

#[test]
fn missing_fees_heading_fails() {
    // 003 states its fees twice: a heading (line 21) and a sentence under it (line 22).
    // Either is enough; without both the rule fails. The preface's list of parts
    // (line 3) and 价格和收费 in the body are not fee statements.
    let text = seed_text("003");
    let heading = text
        .lines()
        .find(|l| l.contains("收費及減免的情況"))
        .expect("heading line");
    let statement = text
        .lines()
        .find(|l| l.contains("沒有發生政府信息公開的收費"))
        .expect("statement line");
    let r = check("003", &text.replace(heading, "其他事項"));
    assert!(
        !fails(&r, "ogi/fees-section"),
        "the sentence alone satisfies it"
    );
    let r = check(
        "003",
        &text.replace(heading, "其他事項").replace(statement, "無。"),
    );
    assert!(fails(&r, "ogi/fees-section"));
}

fn summary(r: &FileReport) -> Vec<(String, String)> {
    let mut v: Vec<_> = r
        .findings
        .iter()
        .map(|f| (f.rule.clone(), f.message.clone()))
        .collect();
    v.sort();
    v
}

#[test]
fn legacy_encodings_give_the_same_findings() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cases = [
        ("002", encoding_rs::GB18030, "GB18030"),
        ("000", encoding_rs::BIG5, "Big5"),
    ];
    for (s, enc, name) in cases {
        let text = seed_text(s);
        let (bytes, _, _) = enc.encode(&text);
        let path = dir.path().join(format!("{s}.txt"));
        std::fs::write(&path, &bytes).expect("write");
        let original = check_file(&seed(s), &rules(), &CheckOptions::default());
        let encoded = check_file(&path, &rules(), &CheckOptions::default());
        assert_eq!(encoded.error, None);
        assert_eq!(encoded.encoding, Some(name), "{s} detected as {name}");
        assert_eq!(summary(&encoded), summary(&original), "{s} in {name}");
        assert!(!original.findings.is_empty());
    }
}

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_reportlint"))
}

#[test]
fn misspelt_function_exits_2_and_underlines_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pack = dir.path().join("mine");
    std::fs::create_dir(&pack).expect("mkdir");
    std::fs::write(
        pack.join("bad.toml"),
        "[[rule]]\nid = \"x\"\nmessage = \"m\"\ncheck = 'exsits(section(/收费/))'\n",
    )
    .expect("write");
    let out = bin()
        .args(["check", "--rules"])
        .arg(&pack)
        .arg(seed("002"))
        .env("NO_COLOR", "1")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("unknown function `exsits`"), "{err}");
    assert!(err.contains("did you mean `exists`?"), "{err}");
    // The underline sits under the misspelling: same column as `exsits` on the line above.
    let lines: Vec<&str> = err.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains("check = 'exsits"))
        .expect("snippet line");
    let col = lines[at].find("exsits").expect("col");
    let under = lines[at + 1];
    let col_chars = lines[at][..col].chars().count();
    let marker: String = under.chars().skip(col_chars).take(6).collect();
    assert!(
        marker.chars().all(|c| c == '─' || c == '┬'),
        "underline {marker:?} in\n{err}"
    );
}

#[test]
fn a_binary_file_gets_its_own_entry_and_the_rest_is_checked() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("a_binary.txt"),
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
    )
    .expect("write");
    std::fs::copy(seed("002"), dir.path().join("b_report.txt")).expect("copy");
    let out = bin()
        .args(["check", "--format", "json"])
        .arg(dir.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let files = json["files"].as_array().expect("files");
    assert_eq!(files.len(), 2);
    assert_eq!(files[0]["error"]["kind"], "binary");
    assert!(files[0]["findings"]
        .as_array()
        .is_some_and(|f| f.is_empty()));
    assert!(files[1]["error"].is_null());
    let rules: Vec<&str> = files[1]["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    assert!(rules.contains(&"ogi/fees-section"), "{rules:?}");
    let label = &files[1]["findings"][0]["labels"][0];
    for key in ["start", "end", "line", "column", "text"] {
        assert!(!label[key].is_null(), "label has {key}");
    }
    assert!(json["files"][1]["not_applicable"].is_array());
    assert!(json["summary"].is_object());
    assert_eq!(json["version"], 1);
}

#[test]
fn clean_file_exits_0() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path().join("ok.txt");
    std::fs::write(&p, "2012年某区政府信息公开工作年度报告\n一、政府信息公开的收费及减免情况\n未收取费用。\n2013年1月20日\n").expect("write");
    let out = bin()
        .args([
            "check",
            "--select",
            "ogi/fees-section,ogi/reply-rate,ogi/publication-year",
        ])
        .arg(&p)
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn human_output_snapshot() {
    let text = seed_text("002").replace("回复处理497件", "回复处理450件");
    let r = check("002_modified.txt", &text);
    let out = render_file(
        &r,
        Style {
            color: false,
            width: 100,
        },
    );
    insta::assert_snapshot!(out);
}
