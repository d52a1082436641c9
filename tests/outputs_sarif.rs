mod outputs_common;
use outputs_common::*;

#[test]
fn sarif_is_valid_and_points_at_the_label() {
    let (code, out, _) = run(&["check", SAMPLE, "--format", "sarif"]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    assert_eq!(
        v["$schema"],
        "https://json.schemastore.org/sarif-2.1.0.json"
    );
    assert_eq!(v["version"], "2.1.0");
    let runs = v["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "reportlint");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    let rules = driver["rules"].as_array().unwrap();
    let fees = rules
        .iter()
        .find(|r| r["id"] == "ogi/fees-section")
        .expect("fees rule described");
    assert!(fees["shortDescription"]["text"].as_str().unwrap().len() > 3);
    assert!(fees["help"]["text"]
        .as_str()
        .unwrap()
        .contains("第三十二条"));
    assert_eq!(fees["defaultConfiguration"]["level"], "error");

    let text = std::fs::read_to_string(sample_path()).unwrap();
    let expected = json_findings();
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), expected.len());
    for (r, f) in results.iter().zip(&expected) {
        assert_eq!(r["ruleId"], f["rule"]);
        let level = match f["severity"].as_str().unwrap() {
            "info" => "note",
            other => other,
        };
        assert_eq!(r["level"], level);
        assert_eq!(r["message"]["text"], f["message"]);
        let idx = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[idx]["id"], f["rule"]);
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(
            loc["artifactLocation"]["uri"],
            "examples/reports/002_89ac4cf4ed34e821.txt"
        );
        let region = &loc["region"];
        let label = &f["labels"][0];
        assert_eq!(region["startLine"], label["line"]);
        assert_eq!(region["startColumn"], label["column"]);
        // The region's code points are exactly the label's bytes.
        let (start, end) = (
            label["start"].as_u64().unwrap() as usize,
            label["end"].as_u64().unwrap() as usize,
        );
        let off = region["charOffset"].as_u64().unwrap() as usize;
        let len = region["charLength"].as_u64().unwrap() as usize;
        let by_chars: String = text.chars().skip(off).take(len).collect();
        assert_eq!(by_chars, text[start..end]);
        assert!(!by_chars.is_empty());
        let newlines = text[start..end].matches('\n').count() as u64;
        assert_eq!(
            region["endLine"].as_u64().unwrap(),
            label["line"].as_u64().unwrap() + newlines
        );
        if newlines == 0 {
            assert_eq!(
                region["endColumn"].as_u64().unwrap(),
                label["column"].as_u64().unwrap() + len as u64
            );
        }
    }
    assert!(run["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap()
        .is_empty());
}

#[test]
fn unreadable_files_become_notifications() {
    let (code, out, _) = run(&["check", SAMPLE, "no/such/file.txt", "--format", "sarif"]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let notes = v["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0]["level"], "error");
    assert_eq!(
        notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "no/such/file.txt"
    );
    assert!(notes[0]["message"]["text"]
        .as_str()
        .unwrap()
        .contains("no/such/file.txt"));
}

/// A synthetic report with two labels, one of them on a later line after CJK text.
fn two_label_report() -> reportlint::findings::FileReport {
    use reportlint::findings::{FileReport, Finding, Label};
    use reportlint::rules::Severity;
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
    let finding = Finding {
        rule: "x/rate".into(),
        severity: Severity::Info,
        message: "100% ≠ 10/12, \"rate\"".into(),
        labels: vec![
            label(b, 4, 2, 11, "rate = 100%"),
            label(a, 2, 1, 5, "received = 12"),
        ],
        title: "t".into(),
        help: None,
        notes: vec![],
        reference: None,
    };
    let mut r = FileReport::failed(
        "dir/a b.txt".into(),
        reportlint::findings::FileError {
            kind: "io",
            message: String::new(),
        },
    );
    r.error = None;
    r.source = Some(reportlint::span::SharedStr::from(text));
    r.findings.push(finding);
    r
}

#[test]
fn secondary_labels_are_related_locations() {
    let out = reportlint::render::sarif::render(&[two_label_report()], &[]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let r = &v["runs"][0]["results"][0];
    assert_eq!(r["level"], "note");
    assert_eq!(r["ruleId"], "x/rate");
    let loc = &r["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "dir/a%20b.txt");
    assert_eq!(loc["region"]["startLine"], 2);
    assert_eq!(loc["region"]["startColumn"], 11);
    assert_eq!(loc["region"]["endColumn"], 15);
    assert_eq!(loc["region"]["charOffset"], 18);
    assert_eq!(loc["region"]["charLength"], 4);
    let rel = r["relatedLocations"].as_array().unwrap();
    assert_eq!(rel.len(), 1);
    assert_eq!(rel[0]["message"]["text"], "received = 12");
    assert_eq!(rel[0]["physicalLocation"]["region"]["startLine"], 1);
    assert_eq!(rel[0]["physicalLocation"]["region"]["startColumn"], 5);
    assert_eq!(rel[0]["physicalLocation"]["region"]["charOffset"], 4);
}

#[test]
fn other_formats_handle_the_synthetic_report() {
    let report = two_label_report();
    let gh = reportlint::render::github::render(std::slice::from_ref(&report));
    assert_eq!(
        gh,
        "::notice file=dir/a b.txt,line=2,endLine=2,col=11,endColumn=14,title=x/rate::100%25 ≠ 10/12, \"rate\"%0A  1:5: received = 12\n"
    );
    let csv = reportlint::render::csv::render(std::slice::from_ref(&report));
    assert_eq!(
        csv,
        "path,line,column,rule,severity,message\r\ndir/a b.txt,2,11,x/rate,info,\"100% ≠ 10/12, \"\"rate\"\"\"\r\n"
    );
}

/// The log is spliced together from one serialised skeleton and each result
/// serialised on its own (a tree of a large batch's results took ten times the
/// memory of its text): the splice must be exactly the pretty JSON of the whole.
#[test]
fn spliced_log_is_the_pretty_json_of_the_whole() {
    let mut other = two_label_report();
    other.path = "dir/other.txt".into();
    let clean = {
        let mut r = two_label_report();
        r.findings.clear();
        r
    };
    let failed = reportlint::findings::FileReport::failed(
        "gone.txt".into(),
        reportlint::findings::FileError {
            kind: "not-found",
            message: "gone".into(),
        },
    );
    let batches = [
        vec![],
        vec![clean.clone()],
        vec![failed.clone()],
        vec![two_label_report(), clean, failed, other],
    ];
    for reports in batches {
        let out = reportlint::render::sarif::render(&reports, &[]);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(out, serde_json::to_string_pretty(&v).unwrap());
        let results = v["runs"][0]["results"].as_array().unwrap();
        let expected: usize = reports.iter().map(|r| r.findings.len()).sum();
        assert_eq!(results.len(), expected);
    }
}
