//! docs/tutorial.md, run for real: its files are written to a fresh folder and its
//! commands are run there with the built binary, in the order the tutorial gives them.
//! Each command's exit code and output must be what the tutorial shows, so the
//! tutorial cannot drift from the tool.
//!
//! Markup read from the tutorial (ordinary Markdown to a reader):
//! - ```` ```toml file=PATH ```` / ```` ```text file=PATH ````: write the block to PATH;
//!   ```` append=PATH ```` appends it instead;
//! - ```` ```console exit=N ````: the first line is `$ reportlint ARGS…`, the rest is
//!   its standard output (with ` stderr`: its standard error), compared exactly after
//!   trimming trailing spaces. Each console block runs one command.

use std::path::Path;
use std::process::Command;

const TUTORIAL: &str = include_str!("../docs/tutorial.md");

mod markdown_common;
use markdown_common::blocks;

/// The value of `key=…` in an info string.
fn attr<'a>(info: &'a str, key: &str) -> Option<&'a str> {
    info.split_whitespace()
        .find_map(|w| w.strip_prefix(key)?.strip_prefix('='))
}

fn normalise(s: &str) -> String {
    let lines: Vec<&str> = s.lines().map(str::trim_end).collect();
    lines.join("\n").trim_end().to_string()
}

fn write(dir: &Path, rel: &str, text: &str, append: bool) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
    let mut all = if append {
        std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("append to missing {rel}"))
    } else {
        String::new()
    };
    all.push_str(text);
    std::fs::write(path, all).expect("write");
}

#[test]
fn the_tutorial_runs_as_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut commands = 0;
    let mut files = 0;
    for b in blocks(TUTORIAL) {
        let at = format!("docs/tutorial.md:{}", b.line);
        if let Some(rel) = attr(&b.info, "file") {
            write(dir.path(), rel, &b.text, false);
            files += 1;
        } else if let Some(rel) = attr(&b.info, "append") {
            write(dir.path(), rel, &b.text, true);
        } else if b.info.starts_with("console") {
            let want_code: i32 = attr(&b.info, "exit")
                .unwrap_or_else(|| panic!("{at}: console block without exit=N"))
                .parse()
                .expect("exit code");
            let (first, expected) = b.text.split_once('\n').unwrap_or((&b.text, ""));
            let args: Vec<&str> = first
                .strip_prefix("$ reportlint ")
                .unwrap_or_else(|| panic!("{at}: expected `$ reportlint …`"))
                .split_whitespace()
                .collect();
            let out = Command::new(env!("CARGO_BIN_EXE_reportlint"))
                .current_dir(dir.path())
                .args(&args)
                .env("NO_COLOR", "1")
                .output()
                .expect("run reportlint");
            let stdout = String::from_utf8_lossy(&out.stdout);
            let stderr = String::from_utf8_lossy(&out.stderr);
            let shown = if b.info.split_whitespace().any(|w| w == "stderr") {
                &stderr
            } else {
                &stdout
            };
            assert_eq!(
                out.status.code(),
                Some(want_code),
                "{at}: exit code of `{first}`\nstdout:\n{stdout}\nstderr:\n{stderr}"
            );
            assert_eq!(
                normalise(shown),
                normalise(expected),
                "{at}: output of `{first}` differs from the tutorial"
            );
            commands += 1;
        }
    }
    // The steps the tutorial promises.
    assert!(files >= 2, "the tutorial writes a rule file and a report");
    for step in [
        "$ reportlint rules check",
        "$ reportlint test",
        "--coverage",
        "$ reportlint rules explain",
        "$ reportlint check --rules",
        "$ reportlint inspect",
    ] {
        assert!(
            TUTORIAL.contains(step),
            "the tutorial lost its `{step}` step"
        );
    }
    assert!(commands >= 6, "only {commands} commands");
}
