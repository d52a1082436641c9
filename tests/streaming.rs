//! Human, concise, JSON, CSV and GitHub output to stdout are printed batch by batch as files are
//! checked (flat memory on large runs). The bytes, the summary and the exit code must be
//! the same as when the whole run is rendered at once (`--output FILE` renders at once).

use std::path::Path;
use std::process::Command;

/// More files than one batch (128), mixing every sample with files that cannot be read.
fn corpus(dir: &Path) {
    let samples: Vec<_> =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/reports"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
    assert!(!samples.is_empty());
    for i in 0..140 {
        let to = dir.join(format!("r{i:04}.txt"));
        if i % 50 == 7 {
            std::fs::write(&to, "").unwrap();
        } else {
            std::fs::copy(&samples[i % samples.len()], &to).unwrap();
        }
    }
}

fn run(args: &[&str]) -> (i32, Vec<u8>, String) {
    // A few rules with many findings keep the debug-build test quick.
    let out = Command::new(env!("CARGO_BIN_EXE_reportlint"))
        .args(args)
        .args([
            "--select",
            "ogi/fees-section,ogi/damaged-text,ogi/numbering",
        ])
        .env("NO_COLOR", "1")
        .output()
        .expect("run reportlint");
    (
        out.status.code().unwrap_or(-1),
        out.stdout,
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// The output without JSON's `elapsed_ms` line (the only part that differs run to run).
fn without_timing(out: &[u8]) -> Vec<u8> {
    String::from_utf8_lossy(out)
        .lines()
        .filter(|l| !l.trim_start().starts_with("\"elapsed_ms\""))
        .collect::<Vec<_>>()
        .join("\n")
        .into_bytes()
}

/// The summary line without its timing.
fn summary(stderr: &str) -> String {
    let line = stderr.lines().last().unwrap_or_default();
    let (head, tail) = line.split_once(" in ").unwrap_or((line, ""));
    let tail = tail.split_once(": ").map_or("", |(_, t)| t);
    format!("{head}: {tail}")
}

#[test]
fn streamed_output_equals_the_output_rendered_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let reports = dir.path().join("reports");
    std::fs::create_dir(&reports).unwrap();
    corpus(&reports);
    let reports = reports.to_str().unwrap();
    for format in ["human", "concise", "json", "csv", "github"] {
        let file = dir.path().join(format!("out.{format}"));
        let (code_streamed, streamed, err_streamed) = run(&["check", "--format", format, reports]);
        let (code_at_once, _, err_at_once) = run(&[
            "check",
            "--format",
            format,
            "--output",
            file.to_str().unwrap(),
            reports,
        ]);
        let at_once = std::fs::read(&file).unwrap();
        assert!(!streamed.is_empty());
        assert!(
            without_timing(&streamed) == without_timing(&at_once),
            "{format}: streamed output differs"
        );
        if format == "json" {
            let v: serde_json::Value = serde_json::from_slice(&streamed).unwrap();
            assert_eq!(v["summary"]["files"], 140);
            assert_eq!(v["summary"]["errors"], 3);
            assert_eq!(v["files"].as_array().map(Vec::len), Some(140));
            continue;
        }
        assert_eq!(code_streamed, 1);
        assert_eq!(code_streamed, code_at_once);
        assert_eq!(summary(&err_streamed), summary(&err_at_once));
        assert!(summary(&err_streamed).starts_with("140 file(s) checked"));
        assert!(summary(&err_streamed).ends_with("3 file(s) could not be checked"));
    }
}
