//! The bad-input catalogue: what agencies upload and rule authors half-write. Each
//! class asserts the exact outcome (a file error `kind`, a rule load error, or a
//! decoded text and its encoding) and, for reports, that a good report in the same
//! batch is still checked. Large inputs are generated at test time in temp dirs.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use encoding_rs::{BIG5, GB18030};
use reportlint::document::Document;
use reportlint::engine::{check_file, check_paths, check_text, collect_files, CheckOptions};
use reportlint::findings::{FileReport, Summary};
use reportlint::fold::Folded;
use reportlint::limits::Limits;
use reportlint::render::json;
use reportlint::rules::{self, RuleLoadErrors, RuleSet};
use reportlint::source::InputEncoding;

const CONTROL: &str = "000_control.txt";

fn seed_text() -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/reports");
    let seed = std::fs::read_dir(&dir)
        .expect("examples/reports")
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("002"))
        })
        .expect("seed 002");
    std::fs::read_to_string(seed).expect("seed is UTF-8")
}

fn builtin() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| rules::load(&rules::builtin_sources()).expect("built-in rules load"))
}

/// A temp dir holding a good report (`000_control.txt`) and `files`.
fn batch_dir(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join(CONTROL), seed_text()).expect("write control");
    for (name, bytes) in files {
        std::fs::write(dir.path().join(name), bytes).expect("write input");
    }
    dir
}

fn run(dir: &Path, limits: Limits) -> Vec<FileReport> {
    let opts = CheckOptions {
        limits,
        ..CheckOptions::default()
    };
    check_paths(&[dir.to_path_buf()], builtin(), &opts)
}

fn entry<'a>(reports: &'a [FileReport], name: &str) -> &'a FileReport {
    reports
        .iter()
        .find(|r| r.path.file_name().is_some_and(|n| n == name))
        .unwrap_or_else(|| panic!("no entry for {name}: {reports:#?}"))
}

fn kind(r: &FileReport) -> Option<&'static str> {
    r.error.as_ref().map(|e| e.kind)
}

/// The good report in the batch was checked as usual (it has known findings).
fn assert_control_checked(reports: &[FileReport]) {
    let c = entry(reports, CONTROL);
    assert_eq!(kind(c), None, "{:?}", c.error);
    let rules: Vec<&str> = c.findings.iter().map(|f| f.rule.as_str()).collect();
    assert!(
        rules.contains(&"ogi/fees-section"),
        "control lost its findings: {rules:?}"
    );
}

/// Check one bad input beside the control; returns its entry.
fn check_one(name: &str, bytes: &[u8]) -> FileReport {
    let dir = batch_dir(&[(name, bytes)]);
    let reports = run(dir.path(), Limits::default());
    assert_eq!(reports.len(), 2, "{reports:#?}");
    assert_control_checked(&reports);
    entry(&reports, name).clone()
}

fn assert_decoded(r: &FileReport, encoding: &str) {
    assert_eq!(kind(r), None, "{:?}", r.error);
    assert_eq!(r.encoding, Some(encoding));
}

const REPORT_GB: &str =
    "2019年政府信息公开工作年度报告\n一、总体情况\n本年度共收到申请十件，办结十件。\n";
const REPORT_BIG5: &str =
    "2016年政府信息公開年度工作報告\n一、總體情況\n本年度共收到申請十件，辦結十件。\n";

// 1
#[test]
fn empty_file() {
    assert_eq!(kind(&check_one("empty.txt", b"")), Some("empty"));
}

// 2
#[test]
fn only_whitespace() {
    let ws = " \t\r\n\u{3000}\u{3000}\n\n".as_bytes();
    assert_eq!(kind(&check_one("blank.txt", ws)), Some("empty"));
}

// 3
#[test]
fn binary_file() {
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend((0u8..=255).cycle().take(4096));
    let r = check_one("image.txt", &png);
    assert_eq!(kind(&r), Some("binary"));
    assert!(r.error.unwrap().message.contains("offset 8"));
}

// 4
#[test]
fn truncated_utf8() {
    let mut bytes = REPORT_GB.repeat(4).into_bytes();
    bytes.extend_from_slice(&"报".as_bytes()[..2]);
    let r = check_one("cut.txt", &bytes);
    assert_decoded(&r, "UTF-8");
    assert!(r.source.unwrap().ends_with('\u{FFFD}'));
}

// 5
#[test]
fn truncated_gb18030() {
    let mut bytes = GB18030.encode(&REPORT_GB.repeat(4)).0.into_owned();
    bytes.push(0x81); // a lead byte with nothing after it
    let r = check_one("cut-gb.txt", &bytes);
    assert_decoded(&r, "GB18030");
    assert!(r.source.unwrap().contains("政府信息公开工作年度报告"));
}

// 6
#[test]
fn truncated_big5() {
    let mut bytes = BIG5.encode(&REPORT_BIG5.repeat(4)).0.into_owned();
    bytes.push(0xA4);
    let r = check_one("cut-big5.txt", &bytes);
    assert_decoded(&r, "Big5");
    assert!(r.source.unwrap().contains("政府信息公開年度工作報告"));
}

// 7
#[test]
fn mixed_encodings() {
    // Half UTF-8, half GBK: one encoding wins, the rest is replacement characters,
    // and the file is still checked rather than refused.
    let mut bytes = REPORT_GB.repeat(3).into_bytes();
    bytes.extend_from_slice(&GB18030.encode(&REPORT_GB.repeat(3)).0);
    let r = check_one("mixed.txt", &bytes);
    assert_eq!(kind(&r), None, "{:?}", r.error);
    assert!(matches!(r.encoding, Some("UTF-8") | Some("GB18030")));
    assert!(r.source.unwrap().contains("政府信息公开工作年度报告"));
}

// 8
#[test]
fn bom_with_the_wrong_encoding() {
    // A UTF-8 BOM in front of GBK bytes: the BOM is believed, the damage shows as U+FFFD.
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(&GB18030.encode(REPORT_GB).0);
    let r = check_one("bom-gbk.txt", &bytes);
    assert_decoded(&r, "UTF-8");
    assert!(r.source.unwrap().contains('\u{FFFD}'));
    // A UTF-16LE BOM in front of UTF-8 with an odd byte count.
    let mut bytes = b"\xFF\xFE".to_vec();
    bytes.extend_from_slice(b"2019 annual report, odd length.");
    let r = check_one("bom-utf16.txt", &bytes);
    assert_decoded(&r, "UTF-16LE");
}

// 9
#[test]
fn file_of_100_mb_is_refused_by_size() {
    let dir = batch_dir(&[]);
    let big = dir.path().join("big.txt");
    // Sparse: 100 MB on paper, nothing on disk, and never read.
    std::fs::File::create(&big)
        .and_then(|f| f.set_len(100 * 1024 * 1024))
        .expect("sparse file");
    let reports = run(dir.path(), Limits::default());
    assert_control_checked(&reports);
    let r = entry(&reports, "big.txt");
    assert_eq!(kind(r), Some("too-large"));
    let msg = &r.error.as_ref().unwrap().message;
    assert!(
        msg.contains("104857600 bytes") && msg.contains("limit of 67108864 bytes"),
        "{msg}"
    );
}

// 10
#[test]
fn a_million_lines() {
    let text = "正文，共1件。\n".repeat(1_000_000);
    let r = check_one("lines.txt", text.as_bytes());
    assert_decoded(&r, "UTF-8");
}

// 11
#[test]
fn one_line_of_10_mb() {
    let text = "2019年报告，".to_string() + &"公开".repeat(10 * 1024 * 1024 / 6);
    assert!(text.len() >= 10 * 1024 * 1024 - 16);
    let r = check_one("long-line.txt", text.as_bytes());
    assert_decoded(&r, "UTF-8");
}

// 12
#[test]
fn file_disappears_mid_run() {
    let dir = batch_dir(&[("gone.txt", REPORT_GB.as_bytes())]);
    let files = collect_files(&[dir.path().to_path_buf()]);
    std::fs::remove_file(dir.path().join("gone.txt")).expect("remove");
    let reports: Vec<FileReport> = files
        .into_iter()
        .map(|f| check_file(&f.expect("listed"), builtin(), &CheckOptions::default()))
        .collect();
    assert_control_checked(&reports);
    assert_eq!(kind(entry(&reports, "gone.txt")), Some("not-found"));
}

// 13
/// Run the binary on `dir` as JSON, as a user who cannot read a 0000 file.
///
/// chmod 000 does not stop root, so as root (CI) the binary runs as `nobody` through
/// util-linux `setpriv`; without it the test fails rather than passing untested.
#[cfg(unix)]
fn check_json_unprivileged(dir: &Path) -> (Option<i32>, serde_json::Value, String) {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    // A file we just created is owned by our effective uid: no libc needed to ask.
    let root = std::fs::metadata(dir).expect("stat").uid() == 0;
    let bin = Path::new(env!("CARGO_BIN_EXE_reportlint"));
    let bin_dir = tempfile::tempdir().expect("temp dir");
    let mut cmd = if root {
        // The build tree may sit under a folder `nobody` cannot enter: a link (or a
        // copy) in a fresh 0755 folder can always be run.
        let own = bin_dir.path().join("reportlint");
        if std::fs::hard_link(bin, &own).is_err() {
            std::fs::copy(bin, &own).expect("copy the binary");
        }
        let mode = |p: &Path, m| {
            std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).expect("chmod")
        };
        mode(bin_dir.path(), 0o755);
        mode(&own, 0o755);
        let mut c = std::process::Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(own);
        c
    } else {
        std::process::Command::new(bin)
    };
    let out = cmd
        .args(["check", "--format", "json", "--isolated", "."])
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| {
            panic!("running as root, so setpriv (util-linux) is needed to drop privileges: {e}")
        });
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let v = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("no JSON ({e}); root: {root}; stderr: {stderr}"));
    (out.status.code(), v, stderr)
}

#[cfg(unix)]
#[test]
fn file_without_read_permission() {
    use std::os::unix::fs::PermissionsExt;
    let dir = batch_dir(&[("locked.txt", REPORT_GB.as_bytes())]);
    let mode = |name: &str, m| {
        let p = dir.path().join(name);
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).expect("chmod")
    };
    // Everything readable and traversable by anyone but the one file.
    mode("", 0o755);
    mode(CONTROL, 0o644);
    mode("locked.txt", 0o000);
    let (code, v, stderr) = check_json_unprivileged(dir.path());
    assert_eq!(code, Some(1), "{stderr}");
    let files = v["files"].as_array().expect("files");
    let by_name = |name: &str| {
        files
            .iter()
            .find(|f| f["path"].as_str().is_some_and(|p| p.ends_with(name)))
            .unwrap_or_else(|| panic!("no entry for {name}: {v:#}"))
    };
    assert_eq!(by_name("locked.txt")["error"]["kind"], "permission-denied");
    let control = by_name(CONTROL);
    assert!(control["error"].is_null(), "{control:#}");
    let rules: Vec<&str> = control["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    assert!(rules.contains(&"ogi/fees-section"), "{rules:?}");
    assert_eq!(v["summary"]["errors"], 1);
}

// 14
#[cfg(unix)]
#[test]
fn directory_symlink_loop() {
    let dir = batch_dir(&[]);
    let sub = dir.path().join("sub");
    std::fs::create_dir(&sub).expect("mkdir");
    std::fs::write(sub.join("r.txt"), REPORT_GB).expect("write");
    // Two links back up: walked naively, 2^64 paths.
    std::os::unix::fs::symlink(dir.path(), sub.join("up")).expect("symlink");
    std::os::unix::fs::symlink(&sub, sub.join("self")).expect("symlink");
    let reports = run(dir.path(), Limits::default());
    assert_control_checked(&reports);
    let loops: Vec<_> = reports
        .iter()
        .filter(|r| kind(r) == Some("symlink-loop"))
        .collect();
    // The walker (ripgrep's `ignore`) reports a loop where it meets one; how many of the
    // two links it meets before cutting the walk is its business.
    assert!(!loops.is_empty(), "{reports:#?}");
    // Each real file checked once.
    assert_eq!(reports.len(), 2 + loops.len(), "{reports:#?}");
    assert_eq!(kind(entry(&reports, "r.txt")), None);
}

// 15
#[cfg(unix)]
#[test]
fn non_utf8_file_names() {
    use std::os::unix::ffi::OsStrExt;
    let dir = batch_dir(&[]);
    let name = std::ffi::OsStr::from_bytes(b"\xB1\xA8\xB8\xE6.txt"); // 报告 in GBK
    std::fs::write(dir.path().join(name), REPORT_GB).expect("write");
    let reports = run(dir.path(), Limits::default());
    assert_control_checked(&reports);
    assert!(reports.iter().all(|r| r.error.is_none()), "{reports:#?}");
    // One such name must not turn the whole JSON output into an error.
    let out = json::render(&reports, &Summary::of(&reports));
    let v: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    let paths: Vec<_> = v["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| f["path"].as_str().expect("path").to_string())
        .collect();
    assert!(
        paths
            .iter()
            .any(|p| p.ends_with("\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}.txt")),
        "{paths:?}"
    );
}

// 16
#[test]
fn ten_thousand_headings() {
    // Arabic heading numbers stop at 999 (a 4-digit "number." is a figure), so cycle.
    let text: String = (0..10_000)
        .map(|i| format!("{}. 标题{i}\n正文。\n", i % 999 + 1))
        .collect();
    let folded = Folded::new(&text);
    let doc = Document::parse(&folded);
    assert!(
        doc.sections.len() > 10_000,
        "{} sections",
        doc.sections.len()
    );
    assert_decoded(&check_one("headings.txt", text.as_bytes()), "UTF-8");
}

// 17
#[test]
fn a_number_with_400_digits() {
    let text = format!(
        "{REPORT_GB}共收到申请{}件，办结10件，办结率为100%。\n",
        "9".repeat(400)
    );
    let folded = Folded::new(&text);
    let doc = Document::parse(&folded);
    let big = doc
        .numbers
        .iter()
        .find(|n| n.at.text.len() >= 400)
        .expect("the number is read");
    assert!(big.value > 1e300, "{}", big.value);
    let r = check_one("digits.txt", text.as_bytes());
    assert_decoded(&r, "UTF-8");
    let reports = [r];
    let out = json::render(&reports, &Summary::of(&reports));
    serde_json::from_str::<serde_json::Value>(&out).expect("valid JSON");
}

// 18
#[test]
fn impossible_dates() {
    let text = "2017年13月45日发布。2018年2月30日。二〇一八年一月二十三日印发。\n";
    let folded = Folded::new(text);
    let doc = Document::parse(&folded);
    let dates: Vec<_> = doc.dates.iter().map(|d| (d.year, d.month, d.day)).collect();
    assert_eq!(dates, vec![(2018, 1, 23)]);
    assert_decoded(&check_one("dates.txt", text.as_bytes()), "UTF-8");
}

// 19
#[cfg(unix)]
#[test]
fn a_fifo_is_not_a_file() {
    let dir = batch_dir(&[]);
    let fifo = dir.path().join("pipe.txt");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        return; // no mkfifo on this system
    }
    // Opening a FIFO for reading would block forever: it must be refused unopened.
    let reports = run(dir.path(), Limits::default());
    assert_control_checked(&reports);
    assert_eq!(kind(entry(&reports, "pipe.txt")), Some("not-a-file"));
}

// 20
#[test]
fn findings_per_file_are_capped() {
    let dir = batch_dir(&[]);
    let limits = Limits {
        max_findings: 1,
        ..Limits::default()
    };
    let reports = run(dir.path(), limits);
    let c = entry(&reports, CONTROL);
    assert_eq!(c.findings.len(), 1);
    let t = c.truncated.expect("truncation recorded");
    assert_eq!(t.limit, 1);
    assert!(t.total > 1);
    let out = json::render(&reports, &Summary::of(&reports));
    assert!(out.contains("\"truncated\""), "{out}");
    // Under the limit nothing is recorded, and the JSON shape is unchanged.
    let reports = run(dir.path(), Limits::default());
    assert!(entry(&reports, CONTROL).truncated.is_none());
    assert!(!json::render(&reports, &Summary::of(&reports)).contains("truncated"));
}

// --- rule files -------------------------------------------------------------------

fn load_rule(check: &str) -> Result<RuleSet, RuleLoadErrors> {
    load_rule_with(check, &Limits::default())
}

fn load_rule_with(check: &str, limits: &Limits) -> Result<RuleSet, RuleLoadErrors> {
    let text = format!("[[rule]]\nid = \"r\"\nmessage = \"m\"\ncheck = '''{check}'''\n");
    rules::load_with(
        &[("t".into(), vec![("t.toml".into(), Arc::from(text))])],
        &[],
        limits,
    )
}

fn load_error(check: &str) -> String {
    let e = load_rule(check).expect_err("the rule must not load");
    assert_eq!(e.errors.len(), 1, "{:?}", e.errors);
    e.errors[0].message.clone()
}

/// Run `set` (whose rule is `t/r`) plus the built-in pack on the control report.
fn outcome(set: RuleSet, text: &str) -> FileReport {
    let mut all = builtin().clone();
    let pack = all.packs.len();
    all.packs.extend(set.packs);
    all.rules.extend(set.rules.into_iter().map(|mut r| {
        r.pack += pack;
        r
    }));
    check_text(PathBuf::from("r.txt"), text, "UTF-8", &all)
}

// 21
#[test]
fn expression_nested_10_000_levels() {
    for deep in [
        "(".repeat(10_000) + "true" + &")".repeat(10_000),
        "not ".repeat(10_000) + "true",
        "true".to_string() + &" and true".repeat(10_000),
        "let a = 1; ".repeat(10_000) + "true",
    ] {
        assert_eq!(
            load_error(&deep),
            "syntax error: expression nested more than 64 levels deep"
        );
    }
    // The limit is configurable, and the error names it.
    let limits = Limits {
        max_expr_depth: 8,
        ..Limits::default()
    };
    let e =
        load_rule_with(&("(".repeat(9) + "true" + &")".repeat(9)), &limits).expect_err("too deep");
    assert_eq!(
        e.errors[0].message,
        "syntax error: expression nested more than 8 levels deep"
    );
}

// 22
#[test]
fn expression_at_the_depth_limit_evaluates_on_a_small_stack() {
    // Just under the default limit, on a thread with a 2 MiB stack (rayon's default):
    // parse, check, evaluate and drop must all fit.
    let check = "(".repeat(30) + "report.year + 1" + &" + 1".repeat(30) + &")".repeat(30) + " > 0";
    let handle = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || {
            let set = load_rule(&check).unwrap_or_else(|e| panic!("{:?}", e.errors));
            let r = outcome(set, &seed_text());
            assert!(
                r.findings.iter().all(|f| f.rule != "t/r"),
                "{:?}",
                r.findings
            );
            assert!(!r.not_applicable.iter().any(|x| x == "t/r"));
        })
        .expect("thread");
    handle.join().expect("no stack overflow");
}

// 22b
#[test]
fn definitions_chained_20_000_deep() {
    // Found while hardening: `[let]` ordering recursed once per link and overflowed
    // the main thread's stack at about 20,000 links.
    let n = 20_000;
    let mut text = String::from("[let]\n");
    for i in 0..n {
        text += &format!("a{i} = 'a{} + 1'\n", i + 1);
    }
    text += &format!("a{n} = '1'\n[[rule]]\nid = \"r\"\nmessage = \"m\"\ncheck = 'a0 > 1'\n");
    let e = rules::load(&[("t".into(), vec![("t.toml".into(), Arc::from(text))])])
        .expect_err("too deep");
    assert!(
        e.errors.iter().any(|e| e
            .message
            .ends_with("nests more than 64 levels deep through the definitions it uses")),
        "{:?}",
        e.errors.iter().map(|e| &e.message).collect::<Vec<_>>()
    );
}

// 22c
#[test]
fn definitions_and_rule_at_the_depth_limit_evaluate_on_a_small_stack() {
    // The worst a pack can do within the limits: a rule at the limit using a chain of
    // definitions at the limit, evaluated on a 2 MiB stack.
    let mut text = String::from("[let]\n");
    for i in 0..30 {
        text += &format!("d{i} = 'd{} + 1'\n", i + 1); // 2 levels a link: 60 in all
    }
    let body = "(".repeat(30) + "d0 + 1" + &" + 1".repeat(30) + &")".repeat(30);
    text += &format!(
        "d30 = 'report.year'\n[[rule]]\nid = \"r\"\nmessage = \"m\"\ncheck = '{body} > 0'\n"
    );
    let handle = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || {
            let set = rules::load(&[("t".into(), vec![("t.toml".into(), Arc::from(text))])])
                .unwrap_or_else(|e| panic!("{:?}", e.errors));
            let r = outcome(set, &seed_text());
            assert!(
                r.findings.iter().all(|f| f.rule != "t/r"),
                "{:?}",
                r.findings
            );
            assert!(!r.not_applicable.iter().any(|x| x == "t/r"));
        })
        .expect("thread");
    handle.join().expect("no stack overflow");
}

// 23
#[test]
fn regex_of_1_mb() {
    let pattern = "a".repeat(1024 * 1024 + 1);
    let msg = load_error(&format!("exists(matches(/{pattern}/))"));
    assert_eq!(
        msg,
        "regex too large: the pattern is 1048577 bytes, over the limit of 1048576 bytes"
    );
    // A short pattern whose compiled form is huge.
    let msg = load_error(r"exists(matches(/(\w{100}){100}/))");
    assert_eq!(
        msg,
        "regex too large: its compiled form exceeds the limit of 1048576 bytes"
    );
}

// 24
#[test]
fn division_by_zero() {
    // By a literal zero: a load error at the zero.
    assert_eq!(load_error("report.year / 0 > 1"), "division by zero");
    // By a zero known only on the report: not applicable, never infinite or a panic.
    let set = load_rule("report.year / (report.year - report.year) > 1").expect("loads");
    let r = outcome(set, &seed_text());
    assert!(
        r.not_applicable.iter().any(|x| x == "t/r"),
        "{:?}",
        r.not_applicable
    );
    assert!(
        r.findings.iter().any(|f| f.rule == "ogi/fees-section"),
        "the rest still runs"
    );
}

// 25
#[test]
fn comparison_with_a_missing_value_is_not_applicable() {
    let set = load_rule("report.published > date(2000, 1, 1)").expect("loads");
    let r = outcome(set, "没有日期也没有年份的一段文字。\n");
    assert!(r.not_applicable.iter().any(|x| x == "t/r"), "{r:#?}");
    assert!(r.findings.iter().all(|f| f.rule != "t/r"));
}

// 26
#[test]
fn duplicate_rule_ids_across_packs() {
    // A user pack named like a built-in one, redefining one of its rules.
    let mut sources = rules::builtin_sources();
    let text = "[[rule]]\nid = \"fees-section\"\nmessage = \"m\"\ncheck = 'true'\n";
    sources.push((
        "ogi".into(),
        vec![("my/ogi/x.toml".into(), Arc::from(text))],
    ));
    let e = rules::load(&sources).expect_err("duplicate");
    let msgs: Vec<_> = e.errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(msgs, vec!["duplicate rule id `ogi/fees-section`"]);
    assert!(e.errors[0]
        .help
        .as_deref()
        .unwrap_or("")
        .contains("<built-in>/ogi/"));
    // The same id in differently named packs is no clash: ids are `pack/id`.
    let mut sources = rules::builtin_sources();
    sources.push(("mine".into(), vec![("mine/x.toml".into(), Arc::from(text))]));
    assert!(rules::load(&sources).is_ok());
}

// 27
#[test]
fn garbage_rule_files() {
    for (text, start) in [
        ("\u{0}\u{1}binary", "invalid rule file"),
        ("[[rule]]\nid = 5\n", "invalid rule file"),
        (
            "[[rule]]\nid = \"x\"\nmessage = \"{\"\ncheck = 'true'\n",
            "unclosed `{` in message",
        ),
        (
            "[[rule]]\nid = \"x\"\nmessage = \"m\"\ncheck = '((('\n",
            "syntax error",
        ),
        (
            "[[rule]]\nid = \"x\"\nmessage = \"m\"\ncheck = 'matches(/(/)'\n",
            "invalid regex",
        ),
    ] {
        let e =
            rules::load(&[("t".into(), vec![("t.toml".into(), Arc::from(text))])]).expect_err(text);
        assert!(
            e.errors[0].message.starts_with(start),
            "{text}: {:?}",
            e.errors
        );
    }
}

// 28: the same classes through the binary, as JSON: kinds in the output contract.
#[test]
fn cli_json_reports_each_kind_and_the_rest_of_the_batch() {
    let limit = seed_text().len() + 10;
    let large = vec![b'x'; limit + 1];
    let dir = batch_dir(&[
        ("a-empty.txt", b""),
        ("b-binary.txt", b"\x7fELF\0\0\0\0"),
        ("c-large.txt", &large),
    ]);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_reportlint"))
        .args(["check", "--format", "json", "--max-file-size"])
        .arg(limit.to_string())
        .arg(dir.path())
        .arg(dir.path().join("d-missing.txt"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let files = v["files"].as_array().expect("files");
    let kinds: Vec<(String, serde_json::Value)> = files
        .iter()
        .map(|f| {
            let path = f["path"].as_str().unwrap_or("");
            let name = path.rsplit(['/', '\\']).next().unwrap_or("");
            (name.to_string(), f["error"]["kind"].clone())
        })
        .collect();
    let expected: Vec<(String, serde_json::Value)> = [
        (CONTROL, serde_json::Value::Null),
        ("a-empty.txt", "empty".into()),
        ("b-binary.txt", "binary".into()),
        ("c-large.txt", "too-large".into()),
        ("d-missing.txt", "not-found".into()),
    ]
    .into_iter()
    .map(|(n, k)| (n.to_string(), k))
    .collect();
    assert_eq!(kinds, expected);
    assert_eq!(v["summary"]["errors"], 4);
    assert!(!files[0]["findings"]
        .as_array()
        .expect("findings")
        .is_empty());
    let msg = files[3]["error"]["message"].as_str().unwrap_or("");
    assert!(msg.contains(&format!("limit of {limit} bytes")), "{msg}");
}

// 29
#[test]
fn unknown_encoding_in_config() {
    let dir = batch_dir(&[("reportlint.toml", b"[input]\nencoding = \"gbkk\"\n")]);
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_reportlint"))
            .args(["check", "--format", "json"])
            .args(args)
            .arg(".")
            .current_dir(dir.path())
            .output()
            .expect("runs");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    // A run error, not a file error: nothing is checked with a guess.
    let (code, stdout, stderr) = run(&[]);
    assert_eq!(code, Some(2), "{stderr}");
    assert_eq!(stdout, "");
    assert!(stderr.contains("unknown encoding `gbkk`"), "{stderr}");
    assert!(stderr.contains("did you mean `gbk`?"), "{stderr}");
    // Like any mistake in the file, it is reported even when a flag overrides the key.
    let (code, stdout, stderr) = run(&["--encoding", "utf-8"]);
    assert_eq!((code, stdout.as_str()), (Some(2), ""), "{stderr}");
    assert!(stderr.contains("unknown encoding `gbkk`"), "{stderr}");
}

// 30
#[test]
fn file_invalid_in_the_declared_encoding() {
    // GBK bytes in a batch declared UTF-8: no detection, the damage is shown as U+FFFD,
    // the file is checked, and so is the rest of the batch.
    let gbk = GB18030.encode(&REPORT_GB.repeat(4)).0.into_owned();
    let dir = batch_dir(&[("gbk.txt", &gbk)]);
    let opts = CheckOptions {
        encoding: InputEncoding::parse("utf-8").expect("a label"),
        ..CheckOptions::default()
    };
    let reports = check_paths(&[dir.path().to_path_buf()], builtin(), &opts);
    assert_control_checked(&reports);
    let r = entry(&reports, "gbk.txt");
    assert_decoded(r, "UTF-8");
    let text = r.source.clone().expect("decoded");
    assert!(text.contains('\u{FFFD}'), "{text}");
    assert!(text.starts_with("2019"), "{text}");
    // Undeclared, the same file is detected and read as written.
    let r = check_one("gbk.txt", &gbk);
    assert_decoded(&r, "GB18030");
}
