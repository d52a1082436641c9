//! Baselines: written from the current findings, then only new findings are reported,
//! however the old ones move around in the file.

mod cli_common;
use cli_common::*;

/// A second, different reply-rate failure.
const NEW_PROBLEM: &str = "另收到依申请公开100件,答复80件,答复率为95%。\n";

#[test]
fn only_new_findings_are_reported() {
    let d = tmp();
    write(d.path(), &[("r/a.txt", BAD_RATE), ("r/b.txt", BAD_RATE)]);
    let (code, _, err) = run_in(d.path(), &["baseline", "--output", "base.json", "r"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("wrote 4 finding(s) from 2 file(s) to base.json"),
        "{err}"
    );
    let text = std::fs::read_to_string(d.path().join("base.json")).expect("written");
    let v: serde_json::Value = serde_json::from_str(&text).expect("json");
    assert_eq!(v["version"], 1);
    assert_eq!(v["findings"][0]["file"], "r/a.txt");
    assert!(
        !text.contains("\"line\""),
        "positions are not part of the key"
    );

    let (code, v, _) = json(d.path(), &["--baseline", "base.json", "r"]);
    assert_eq!(found(&v), Vec::<String>::new());
    assert_eq!(v["summary"]["baselined"], 4);
    assert_eq!(code, 0);

    // Old findings moved down by an inserted line are still old; a new one is new.
    let moved = BAD_RATE.replacen("\n", "\n（本报告经修订）\n", 1) + NEW_PROBLEM;
    write(d.path(), &[("r/a.txt", &moved)]);
    let (code, v, _) = json(d.path(), &["--baseline", "base.json", "r"]);
    assert_eq!(found(&v), ["a.txt:ogi/reply-rate"]);
    let msg = v["files"][0]["findings"][0]["message"]
        .as_str()
        .unwrap_or("");
    assert!(msg.contains("80/100"), "{msg}");
    assert_eq!(code, 1);
}

#[test]
fn a_baseline_excuses_as_many_findings_as_it_holds() {
    let d = tmp();
    write(d.path(), &[("a.txt", BAD_RATE)]);
    run_in(d.path(), &["baseline", "--output", "base.json", "a.txt"]);
    // The same failing sentence twice: the baseline held one.
    let twice = BAD_RATE.replace(
        "某区人民政府办公室",
        "收到群众咨询共计497件,回复处理450件,回复率为100%。\n某区人民政府办公室",
    );
    write(d.path(), &[("a.txt", &twice)]);
    let (_, v, _) = json(d.path(), &["--baseline", "base.json", "a.txt"]);
    assert_eq!(found(&v), ["a.txt:ogi/reply-rate"]);
}

#[test]
fn the_baseline_works_from_another_working_directory() {
    let d = tmp();
    write(d.path(), &[("r/a.txt", BAD_RATE)]);
    let (code, _, err) = run_in(d.path(), &["baseline", "--output", "audit/base.json", "r"]);
    assert_eq!(code, 0, "{err}");
    let sub = d.path().join("r");
    let (code, v, _) = json(&sub, &["--baseline", "../audit/base.json", "a.txt"]);
    assert_eq!(found(&v), Vec::<String>::new());
    assert_eq!(code, 0);
}

#[test]
fn a_broken_baseline_is_a_run_error() {
    let d = tmp();
    write(
        d.path(),
        &[("a.txt", BAD_RATE), ("base.json", "{\"findings\": 3}")],
    );
    let (code, _, err) = run_in(d.path(), &["check", "--baseline", "base.json", "a.txt"]);
    assert_eq!(code, 2);
    assert!(err.contains("is not a reportlint baseline"), "{err}");
}
