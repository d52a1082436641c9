//! Tables and input formats end to end, over the fixtures in tests/fixtures/tables/
//! (written by gen.py: one report per case, rendered as txt, md, html and docx).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use reportlint::document::{CellKind, Document};
use reportlint::engine::{check_file, CheckOptions};
use reportlint::findings::FileReport;
use reportlint::input;
use reportlint::render::human::{render_file, Style};
use reportlint::rules::{builtin_sources, load, RuleSet};

const FORMATS: [&str; 4] = ["txt", "md", "html", "docx"];
const TABLE_RULES: [&str; 12] = [
    "ogi/t3-balance",
    "ogi/t3-results",
    "ogi/t3-row",
    "ogi/t3-shape",
    "ogi/t4-sum",
    "ogi/t4-shape",
    "ogi/text-vs-t3-received",
    "ogi/text-vs-t4-review",
    "ogi/text-vs-t3-handled",
    "ogi/text-vs-t3-carried",
    "ogi/text-vs-t4-litigation",
    "ogi/t2-shape",
];

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/tables")
        .join(name)
}

fn rules() -> &'static RuleSet {
    // Loaded once: compiling every rule's regexes dominates a debug test run.
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| load(&builtin_sources()).expect("built-in rules load"))
}

fn check(name: &str) -> FileReport {
    let r = check_file(&fixture(name), rules(), &CheckOptions::default());
    assert!(r.error.is_none(), "{name}: {:?}", r.error);
    r
}

/// What must not depend on the format: rule, message and label texts, in order.
/// A finding as (rule, message, label texts).
type Essential = (String, String, Vec<String>);

fn essence(r: &FileReport) -> (Vec<Essential>, Vec<String>) {
    let mut f: Vec<_> = r
        .findings
        .iter()
        .map(|f| {
            (
                f.rule.clone(),
                f.message.clone(),
                f.labels.iter().map(|l| l.text.clone()).collect(),
            )
        })
        .collect();
    f.sort();
    let mut na = r.not_applicable.clone();
    na.sort();
    (f, na)
}

fn table_findings(r: &FileReport) -> Vec<(&str, &str)> {
    r.findings
        .iter()
        .filter(|f| TABLE_RULES.contains(&f.rule.as_str()))
        .map(|f| (f.rule.as_str(), f.message.as_str()))
        .collect()
}

#[test]
fn every_format_gives_the_same_findings() {
    for case in ["r2019-ok", "r2019-bad", "r2021-ok", "r2021-bad"] {
        let md = essence(&check(&format!("{case}.md")));
        for ext in FORMATS {
            let other = essence(&check(&format!("{case}.{ext}")));
            assert_eq!(other, md, "{case}.{ext} differs from {case}.md");
        }
    }
}

#[test]
fn consistent_tables_pass_and_are_assessed() {
    for case in ["r2019-ok", "r2021-ok"] {
        for ext in FORMATS {
            let r = check(&format!("{case}.{ext}"));
            assert_eq!(table_findings(&r), vec![], "{case}.{ext}");
            for rule in TABLE_RULES {
                // Blank, "/" and "-" cells read as 0, so nothing is left unassessed.
                assert!(
                    !r.not_applicable.iter().any(|n| n == rule),
                    "{case}.{ext}: {rule} not applicable"
                );
            }
        }
    }
}

#[test]
fn seeded_inconsistencies_2019() {
    let r = check("r2019-bad.md");
    let got = table_findings(&r);
    let want = [
        ("ogi/t3-balance", "表三“申请人情况/自然人”列：(七)总计 + 四、结转下年度 reported 55, computed 一、本年新收 + 二、上年结转 = 54"),
        ("ogi/t3-results", "表三“申请人情况/自然人”列：(七)总计 reported 53, computed (一)至(六)各项之和 = 52"),
        ("ogi/t3-row", "表三“三、本年度办理结果/(七)总计”行：总计 reported 84, computed 各类申请人之和 = 85"),
        ("ogi/t4-sum", "表四第1组（行政复议/结果维持…）：总计 reported 8, computed 维持 + 纠正 + 其他 + 尚未审结 = 7"),
        ("ogi/text-vs-t3-received", "正文所述新收申请82件与表三“本年新收”总计83不一致"),
        ("ogi/text-vs-t4-review", "正文所述行政复议7件与表四行政复议总计8不一致"),
    ];
    assert_eq!(got, want);
    // Every cell of a failing identity is labelled with its value, blanks and dashes too.
    let res = r
        .findings
        .iter()
        .find(|f| f.rule == "ogi/t3-results")
        .unwrap();
    let labels: Vec<&str> = res.labels.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(
        labels.len(),
        1 + 19,
        "(七)总计 and the 19 outcome leaves of 2019"
    );
    assert!(labels.contains(&"(七)总计·自然人 = 53"));
    assert!(labels.contains(&"5.属于三类内部事务信息·自然人 = 空(0)"));
    assert!(labels.contains(&"(二)部分公开(区分处理的,只计这一情形,不计其他情形)·自然人 = -(0)"));
    assert!(
        labels.contains(&"2.其他法律行政法规禁止公开·自然人 = ２"),
        "full-width digits as written"
    );
}

#[test]
fn seeded_inconsistencies_2021() {
    let r = check("r2021-bad.html");
    let rules: Vec<&str> = table_findings(&r).iter().map(|f| f.0).collect();
    assert_eq!(
        rules,
        ["ogi/t3-results", "ogi/t3-row", "ogi/text-vs-t4-review"]
    );
    let row = r.findings.iter().find(|f| f.rule == "ogi/t3-row").unwrap();
    assert!(row
        .message
        .contains("(四)无法提供/1.本机关不掌握相关政府信息"));
    assert!(row
        .message
        .contains("reported 4, computed 各类申请人之和 = 5"));
}

#[test]
fn flattened_tables_are_recovered() {
    // Headers lost, rows as a label followed by numbers, 表四 as one line of 15 numbers.
    for (flat, full) in [
        ("r2019-ok-flat.txt", "r2019-ok.txt"),
        ("r2019-bad-flat.txt", "r2019-bad.txt"),
    ] {
        let rules_of = |r: &FileReport| {
            let mut v: Vec<String> = table_findings(r).iter().map(|f| f.0.to_string()).collect();
            v.sort();
            v
        };
        let (a, b) = (check(flat), check(full));
        assert_eq!(rules_of(&a), rules_of(&b), "{flat}");
        for rule in TABLE_RULES.iter().filter(|r| !r.contains("shape")) {
            assert!(
                !a.not_applicable.iter().any(|n| n == rule),
                "{flat}: {rule}"
            );
        }
    }
}

#[test]
fn html_labels_point_into_the_html_source() {
    let path = fixture("r2019-bad.html");
    let html = std::fs::read_to_string(&path).unwrap();
    let r = check("r2019-bad.html");
    let t4 = r.findings.iter().find(|f| f.rule == "ogi/t4-sum").unwrap();
    let total = t4
        .labels
        .iter()
        .find(|l| l.text == "第1行·总计 = 8")
        .unwrap();
    assert_eq!(&html[total.start..total.end], "8");
    assert!(html[..total.start].ends_with("<td>"));
    let said = r
        .findings
        .iter()
        .find(|f| f.rule == "ogi/text-vs-t3-received")
        .unwrap();
    let n = said.labels.iter().find(|l| l.text == "m.n = 82").unwrap();
    assert_eq!(&html[n.start..n.end], "82");
    // The script's "收到申请999件" and the nav are not report text.
    assert!(!said.message.contains("999"));
}

#[test]
fn cells_blank_dash_full_width_and_decimal() {
    let input = input::read(&fixture("r2021-ok.docx"), 1 << 26).unwrap();
    let doc = Document::parse(&input.fold());
    let fee = doc
        .tables
        .iter()
        .find(|t| {
            t.caption
                .as_ref()
                .is_some_and(|c| c.text.contains("第二十条第(八)项"))
        })
        .unwrap();
    assert_eq!(fee.columns[0].label, "本年收费金额(单位:万元)");
    assert_eq!(fee.rows[0].cells[0].value, Some(96171.6));
    let t3 = doc
        .tables
        .iter()
        .find(|t| t.rows.len() == 25)
        .expect("表三 with 25 rows in 2021");
    assert_eq!(t3.columns.len(), 7);
    assert_eq!(t3.columns[1].label, "申请人情况/法人或其他组织/商业企业");
    let kinds: Vec<CellKind> = t3
        .rows
        .iter()
        .flat_map(|r| r.cells.iter().map(|c| c.kind))
        .collect();
    for k in [CellKind::Blank, CellKind::Dash, CellKind::Number] {
        assert!(kinds.contains(&k), "{k:?}");
    }
    let new = &t3.rows[0];
    assert_eq!(new.label, "一、本年新收政府信息公开申请数量");
    // "１２" in the source, folded to 12.
    assert!(t3
        .rows
        .iter()
        .flat_map(|r| &r.cells)
        .any(|c| &*c.at.text == "12" && c.value == Some(12.0)));
    // Thousands separators.
    let permits = doc
        .tables
        .iter()
        .find(|t| {
            t.caption
                .as_ref()
                .is_some_and(|c| c.text.contains("第二十条第(五)项"))
        })
        .unwrap();
    assert_eq!(permits.rows[0].cells[0].value, Some(1062.0));
}

#[test]
fn a_damaged_docx_is_a_file_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.docx");
    std::fs::write(&path, b"PK\x03\x04 this is not really a zip").unwrap();
    let r = check_file(&path, rules(), &CheckOptions::default());
    let e = r.error.expect("an error entry");
    assert_eq!(e.kind, "format");
    assert!(e.message.contains("not a zip archive"), "{}", e.message);
}

#[test]
fn html_table_diagnostic_snapshot() {
    let mut r = check("r2019-bad.html");
    r.findings
        .retain(|f| f.rule == "ogi/t4-sum" || f.rule == "ogi/t3-row");
    r.path = PathBuf::from("r2019-bad.html");
    let out = render_file(
        &r,
        Style {
            color: false,
            width: 120,
        },
    );
    insta::assert_snapshot!(out);
}
