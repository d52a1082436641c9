//! The HTML audit report: a snapshot of a small report's page, and structural checks
//! on real runs (well-formed, self-contained, hostile text inert, every link lands).
//! `tests/html_chromium.sh` renders it in a real browser.

mod outputs_common;
use outputs_common::*;

use std::collections::HashSet;
use std::sync::Arc;

use reportlint::findings::{FileError, FileReport, Finding, Label};
use reportlint::render::html::{self, Lang};
use reportlint::rules::Severity;

const HOSTILE: &str = "tests/fixtures/html/hostile.txt";

fn label(text: &str, needle: &str, what: &str) -> Label {
    let start = text.find(needle).expect("needle in text");
    let before = &text[..start];
    Label {
        start,
        end: start + needle.len(),
        line: before.matches('\n').count() + 1,
        column: before.rsplit('\n').next().unwrap_or("").chars().count() + 1,
        text: what.into(),
    }
}

fn finding(rule: &str, severity: Severity, message: &str, labels: Vec<Label>) -> Finding {
    Finding {
        rule: rule.into(),
        severity,
        message: message.into(),
        labels,
        title: format!("{rule} title"),
        help: Some("写明即可。".into()),
        notes: vec![],
        reference: Some("第三十二条".into()),
    }
}

/// Three files: one with overlapping, multi-line and label-less findings in hostile
/// text, one clean, one unreadable.
fn small_run() -> Vec<FileReport> {
    let text = "2017年<script>alert(1)</script>报告\r\n收到申请12件，办结10件，回复率为100%。\r\n\r\n三、其他\n";
    let mut rate = finding(
        "x/reply-rate",
        Severity::Error,
        "所述比率100%与10/12不一致",
        vec![
            label(text, "100%", "m.rate = 100%"),
            label(text, "10件", "m.handled = 10"),
            label(text, "12件", "m.received = 12"),
        ],
    );
    rate.notes.push("10 / 12 = 83.33%".into());
    let title = finding(
        "x/title",
        Severity::Warning,
        "标题含有<script>",
        vec![label(text, "<script>alert(1)</script>报告\r\n收到", "here")],
    );
    let fees = finding("x/fees", Severity::Info, "缺少收费部分", vec![]);
    let mut marked =
        FileReport::from_outcomes("reports/a <b>.txt".into(), Arc::from(text), "UTF-8", []);
    marked.findings = vec![title, rate, fees];
    marked.not_applicable = vec!["x/na".into()];
    let clean =
        FileReport::from_outcomes("reports/clean.txt".into(), Arc::from("ok\n"), "GB18030", []);
    let broken = FileReport::failed(
        "reports/broken.txt".into(),
        FileError {
            kind: "binary",
            message: "reports/broken.txt: not text".into(),
        },
    );
    vec![marked, clean, broken]
}

/// The page from `<body>` on (the head is the fixed stylesheet, checked below).
fn body(page: &str) -> &str {
    &page[page.find("<body>").expect("a body")..]
}

#[test]
fn small_report_snapshot() {
    let page = html::render(&small_run(), &[], Lang::Zh);
    insta::assert_snapshot!(body(&page));
}

#[test]
fn small_report_snapshot_in_english() {
    let page = html::render(&small_run(), &[], Lang::En);
    let b = body(&page);
    assert!(page.contains("<html lang=\"en\">"));
    for words in [
        "Findings by report",
        "Failures by rule",
        "Rules failed by the most reports",
        "could not be checked",
        "Findings without a place in the text",
    ] {
        assert!(b.contains(words), "{words}");
    }
    // No Chinese of our own: every CJK character comes from the report or its findings.
    let zh = html::render(&small_run(), &[], Lang::Zh);
    let cjk = |s: &str| {
        s.chars()
            .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
            .count()
    };
    assert!(cjk(body(&zh)) > cjk(b));
    assert!(!b.contains("各报告问题统计"));
}

/// Tags opened and closed in order (HTML void elements and `/>` aside), script and
/// style bodies skipped; returns the first problem.
fn check_well_formed(page: &str) -> Result<(), String> {
    const VOID: [&str; 4] = ["meta", "br", "img", "input"];
    let mut stack: Vec<String> = Vec::new();
    let mut rest = page;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        if rest.starts_with("!DOCTYPE") {
            continue;
        }
        let end = rest.find('>').ok_or("unclosed tag")?;
        let tag = &rest[..end];
        if tag.contains('<') {
            return Err(format!("`<` inside a tag: {tag}"));
        }
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if name.is_empty() {
            return Err(format!(
                "raw `<` in text before: {}",
                &tag[..tag.len().min(20)]
            ));
        }
        if let Some(closing) = tag.strip_prefix('/') {
            let closing = closing.trim();
            match stack.pop() {
                Some(open) if open == closing => {}
                other => return Err(format!("`</{closing}>` closes {other:?}")),
            }
        } else if !(tag.ends_with('/') || VOID.contains(&name.as_str())) {
            if name == "script" || name == "style" {
                let close = format!("</{name}>");
                let at = rest.find(&close).ok_or("unclosed raw text element")?;
                rest = &rest[at + close.len()..];
                continue;
            }
            stack.push(name);
        }
        rest = &rest[end + 1..];
    }
    if stack.is_empty() {
        Ok(())
    } else {
        Err(format!("unclosed: {stack:?}"))
    }
}

/// Values of `attr="…"` in the page.
fn attr_values<'a>(page: &'a str, attr: &str) -> Vec<&'a str> {
    let key = format!(" {attr}=\"");
    page.match_indices(&key)
        .filter_map(|(i, _)| {
            let v = &page[i + key.len()..];
            v.find('"').map(|e| &v[..e])
        })
        .collect()
}

fn check_structure(page: &str) {
    if let Err(e) = check_well_formed(page) {
        panic!("not well-formed: {e}");
    }
    // Self-contained: nothing is loaded, and the policy forbids loading anything.
    assert!(page.contains("<meta charset=\"utf-8\">"));
    assert!(page.contains("content=\"default-src 'none';"));
    assert!(attr_values(page, "src").is_empty());
    assert!(!page.contains("url(") && !page.contains("@import"));
    assert_eq!(page.matches("<script").count(), 1, "only our own script");
    assert_eq!(page.matches("<script>").count(), 1);
    // Every in-page link lands on an element.
    let ids: HashSet<&str> = attr_values(page, "id").into_iter().collect();
    let hrefs = attr_values(page, "href");
    assert!(!hrefs.is_empty());
    for h in hrefs {
        let target = h
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("external link {h}"));
        assert!(ids.contains(target), "link to missing #{target}");
    }
    assert!(ids.contains("scorecard-files") && ids.contains("scorecard-rules"));
}

#[test]
fn small_report_is_well_formed_and_self_contained() {
    for lang in [Lang::Zh, Lang::En] {
        let page = html::render(&small_run(), &[], lang);
        check_structure(&page);
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(page.contains("reports/a &lt;b&gt;.txt"));
        // Three files in the scorecard, two sections (the clean file has none).
        assert_eq!(page.matches("<details class=\"report\"").count(), 2);
        assert!(page.contains("<a href=\"#file-0\">") && page.contains("<a href=\"#file-2\">"));
        assert!(!page.contains("href=\"#file-1\""));
        // The multi-line label is marked on both lines, with no CR left in the text.
        assert!(page.contains("id=\"file-0-L1\"") && page.contains("id=\"file-0-L2\""));
        assert!(!page.contains('\r'));
    }
}

#[test]
fn the_cli_writes_an_html_report_of_the_samples() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("audit.html");
    let (code, stdout, _) = run(&[
        "check",
        "examples/reports/",
        HOSTILE,
        "--format",
        "html",
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    assert!(stdout.is_empty());
    let page = std::fs::read_to_string(&out).unwrap();
    check_structure(&page);
    assert!(page.contains("<html lang=\"zh-CN\">"));
    assert!(page.contains("各规则未通过情况"));
    // Six files in the per-report scorecard, each of the JSON output's findings marked.
    let files = &page[page.find("id=\"scorecard-files\"").unwrap()..];
    let files = &files[..files.find("</table>").unwrap()];
    assert_eq!(files.matches("<tr><td class=\"n\">").count(), 6);
    let (_, json, _) = run(&["check", "examples/reports/", HOSTILE, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    for (i, f) in v["files"].as_array().unwrap().iter().enumerate() {
        for (n, finding) in f["findings"].as_array().unwrap().iter().enumerate() {
            let id = format!("id=\"file-{i}-f{}\"", n + 1);
            let at = page.find(&id).unwrap_or_else(|| panic!("no note {id}"));
            let msg = finding["message"].as_str().unwrap();
            let mut escaped = msg
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;");
            escaped = escaped.replace('"', "&quot;").replace('\'', "&#39;");
            assert!(page[at..].contains(&escaped), "message of {id}");
        }
    }
    // The bar chart shows the most-failed rules.
    assert!(page.contains("<svg class=\"chart\" id=\"chart-rules\""));
    assert!(page.matches("<rect class=\"bar\"").count() >= 3);
    // The hostile report's markup is text.
    assert!(!page.contains("<img"));
    assert!(page.contains("&lt;img src=x onerror=&quot;document.title=&#39;PWNED&#39;&quot;&gt;"));

    let (code, _, _) = run(&[
        "check",
        SAMPLE,
        "--format",
        "html",
        "--lang",
        "en",
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    let page = std::fs::read_to_string(&out).unwrap();
    assert!(page.contains("<html lang=\"en\">") && page.contains("Failures by rule"));
}
