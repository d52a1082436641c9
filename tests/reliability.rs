//! Determinism (the same JSON whatever the thread count) and read-only behaviour (no
//! report or rule file is ever written or touched; output files appear atomically).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

fn reports_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/reports")
}

/// A batch mixing real reports with bad inputs, so error entries are ordered too.
fn mixed_batch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for e in std::fs::read_dir(reports_dir())
        .expect("examples")
        .flatten()
    {
        std::fs::copy(e.path(), dir.path().join(e.file_name())).expect("copy");
    }
    std::fs::write(dir.path().join("empty.txt"), b"").expect("write");
    std::fs::write(dir.path().join("binary.txt"), b"\0\x01\x02").expect("write");
    let sub = dir.path().join("sub");
    std::fs::create_dir(&sub).expect("mkdir");
    std::fs::write(
        sub.join("a.txt"),
        "2019年政府信息公开工作年度报告\n一、总体情况\n",
    )
    .expect("write");
    dir
}

/// `check --format json` with `args`; the elapsed time is the only field allowed to differ.
fn json(dir: &Path, args: &[&str], env: Option<(&str, &str)>) -> String {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_reportlint"));
    cmd.args(["check", "--format", "json"]).args(args).arg(dir);
    if let Some((k, v)) = env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("runs");
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    text.lines()
        .filter(|l| !l.trim_start().starts_with("\"elapsed_ms\""))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn json_is_byte_identical_for_any_thread_count() {
    let dir = mixed_batch();
    let one = json(dir.path(), &["--threads", "1"], None);
    assert!(one.contains("\"kind\": \"binary\""), "{one}");
    assert!(one.contains("ogi/fees-section"));
    for n in ["2", "4", "16"] {
        assert_eq!(
            one,
            json(dir.path(), &["--threads", n], None),
            "--threads {n}"
        );
    }
    // rayon's own environment variable, when --threads is not given.
    assert_eq!(one, json(dir.path(), &[], Some(("RAYON_NUM_THREADS", "1"))));
    assert_eq!(one, json(dir.path(), &[], Some(("RAYON_NUM_THREADS", "2"))));
}

/// A run with fewer files than threads spreads each file's rules over the threads
/// (a pre-commit hook checks one file): the output must not show it.
#[test]
fn one_file_gives_the_same_json_with_its_rules_spread_over_threads() {
    for report in std::fs::read_dir(reports_dir())
        .expect("examples")
        .flatten()
    {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::copy(report.path(), dir.path().join(report.file_name())).expect("copy");
        let one = json(dir.path(), &["--threads", "1"], None);
        assert!(one.contains("\"rule\""), "{one}");
        for n in ["2", "3", "8"] {
            assert_eq!(
                one,
                json(dir.path(), &["--threads", n], None),
                "{:?} with --threads {n}",
                report.path()
            );
        }
    }
}

/// Contents and modification time of every file under `dir`.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>, SystemTime)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let meta = std::fs::metadata(&p).expect("metadata");
                let bytes = std::fs::read(&p).expect("read");
                out.push((p, bytes, meta.modified().expect("mtime")));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn reports_and_rules_are_never_written() {
    let reports = mixed_batch();
    let rules = tempfile::tempdir().expect("temp dir");
    let pack = rules.path().join("mine");
    std::fs::create_dir(&pack).expect("mkdir");
    std::fs::write(
        pack.join("r.toml"),
        "[[rule]]\nid = \"has-title\"\nmessage = \"no title\"\ncheck = 'exists(report.title)'\n",
    )
    .expect("write");
    let out_dir = tempfile::tempdir().expect("temp dir");
    let before = (snapshot(reports.path()), snapshot(rules.path()));
    let out_file = out_dir.path().join("result.json");
    for format in ["json", "sarif", "human"] {
        let status = Command::new(env!("CARGO_BIN_EXE_reportlint"))
            .args(["check", "--format", format, "--rules"])
            .arg(rules.path())
            .arg("--output")
            .arg(&out_file)
            .arg(reports.path())
            .status()
            .expect("runs");
        assert_eq!(status.code(), Some(1));
    }
    let status = Command::new(env!("CARGO_BIN_EXE_reportlint"))
        .args(["test", "--rules"])
        .arg(rules.path())
        .status()
        .expect("runs");
    assert!(status.code().is_some());
    assert_eq!(before, (snapshot(reports.path()), snapshot(rules.path())));
    // Only the output file, no temporary left behind.
    let names: Vec<_> = std::fs::read_dir(out_dir.path())
        .expect("read dir")
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("result.json")]);
}
