//! A batch of 1,000 generated reports with a few broken files among them: every good
//! file is still checked, each broken one gets its own entry, the order is the same on
//! every run, ignore files and globs apply, and no progress bar reaches a pipe.

mod cli_common;
use cli_common::*;

use std::path::Path;

const N: usize = 1000;

/// Every seventh report states a reply rate that does not match its counts.
fn report(i: usize) -> String {
    let received = 100 + i;
    let handled = if i % 7 == 0 { received - 50 } else { received };
    format!(
        "2019年度某区第{i}街道政府信息公开工作年度报告\n一、总体情况\n收到群众咨询共计{received}件,回复处理{handled}件,回复率为100%。\n二、主动公开政府信息情况\n全年主动公开信息120条。\n三、收到和处理政府信息公开申请情况\n本年度未收到政府信息公开申请。\n四、政府信息公开行政复议、行政诉讼情况\n本年度未发生行政复议和行政诉讼。\n五、存在的主要问题及改进情况\n部分栏目更新不及时，公开内容不够全面。下一步将完善目录，加强培训。\n六、其他需要报告的事项\n无。\n某区人民政府办公室\n2020年1月23日\n"
    )
}

fn generate(dir: &Path) {
    for i in 0..N {
        // Folders of 100, names that sort differently as strings and as numbers.
        let name = format!("{:02}/r{}.txt", i / 100, i);
        write(dir, &[(&name, &report(i))]);
    }
    std::fs::write(
        dir.join("03/binary.txt"),
        b"\x7fELF\x02\x01\x01\x00\x00\x00garbage\x00\x00",
    )
    .expect("write");
    std::fs::write(dir.join("05/empty.txt"), b"").expect("write");
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.join("gone.txt"), dir.join("07/dangling.txt")).expect("symlink");
    // Ignored: by .gitignore, by .reportlintignore, hidden.
    write(
        dir,
        &[
            (".gitignore", "drafts/\n"),
            ("drafts/x.txt", &report(0)),
            ("09/.reportlintignore", "*.bak\n"),
            ("09/old.bak", &report(0)),
            (".hidden/x.txt", &report(0)),
        ],
    );
}

fn without_timing(mut v: serde_json::Value) -> serde_json::Value {
    if let Some(s) = v["summary"].as_object_mut() {
        s.remove("elapsed_ms");
    }
    v
}

#[test]
fn a_thousand_files_with_broken_ones() {
    let d = tmp();
    generate(d.path());
    let (code, v, err) = json(d.path(), &["--isolated", "."]);
    assert_eq!(code, 1, "{err}");
    assert!(
        !err.contains("checking ["),
        "no progress bar in a pipe: {err}"
    );
    let files = v["files"].as_array().expect("files");
    let broken = if cfg!(unix) { 3 } else { 2 };
    assert_eq!(files.len(), N + broken);
    assert_eq!(v["summary"]["files"], N + broken);
    assert_eq!(v["summary"]["errors"], broken);

    // Each broken file has its own entry with its kind; nothing else failed.
    let errors: Vec<(String, String)> = files
        .iter()
        .filter(|f| !f["error"].is_null())
        .map(|f| {
            (
                f["path"].as_str().unwrap_or("").replace('\\', "/"),
                f["error"]["kind"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let mut want = vec![
        ("./03/binary.txt".to_string(), "binary".to_string()),
        ("./05/empty.txt".to_string(), "empty".to_string()),
    ];
    if cfg!(unix) {
        want.push(("./07/dangling.txt".to_string(), "not-found".to_string()));
    }
    assert_eq!(errors, want);

    // Exactly the generated bad reports have findings.
    let bad: Vec<String> = (0..N)
        .filter(|i| i % 7 == 0)
        .map(|i| format!("r{i}.txt:ogi/reply-rate"))
        .collect();
    let mut got = found(&v);
    got.sort();
    let mut bad_sorted = bad.clone();
    bad_sorted.sort();
    assert_eq!(got, bad_sorted);

    // Deterministic: sorted by path, and the same document on a second run.
    let paths: Vec<&str> = files.iter().filter_map(|f| f["path"].as_str()).collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
    assert!(!paths
        .iter()
        .any(|p| p.contains("drafts") || p.contains(".bak") || p.contains(".hidden")));
    let (_, again, _) = json(d.path(), &["--isolated", "."]);
    assert_eq!(without_timing(v), without_timing(again));
}

#[test]
fn include_and_exclude_narrow_the_walk() {
    let d = tmp();
    write(
        d.path(),
        &[
            ("a/1.txt", &report(1)),
            ("a/2.md", &report(7)),
            ("b/3.txt", &report(14)),
        ],
    );
    let (_, v, _) = json(
        d.path(),
        &["--isolated", "--include", "*.txt", "--exclude", "b", "."],
    );
    let paths: Vec<&str> = v["files"]
        .as_array()
        .expect("files")
        .iter()
        .filter_map(|f| f["path"].as_str())
        .collect();
    assert_eq!(paths, ["./a/1.txt"]);
    // From the config file too; the command line's --include replaces it.
    write(d.path(), &[("reportlint.toml", "include = [\"*.md\"]\n")]);
    let (_, v, _) = json(d.path(), &["."]);
    assert_eq!(v["files"][0]["path"], "./a/2.md");
    assert_eq!(v["summary"]["files"], 1);
    let (_, v, _) = json(d.path(), &["--include", "*.txt", "."]);
    assert_eq!(v["summary"]["files"], 2);
}

#[test]
fn the_summary_line_counts_everything() {
    let d = tmp();
    write(d.path(), &[("a.txt", &report(0)), ("b.txt", &report(1))]);
    std::fs::write(d.path().join("c.txt"), b"").expect("write");
    let (code, _, err) = run_in(
        d.path(),
        &["check", "--isolated", "--format", "concise", "."],
    );
    assert_eq!(code, 1);
    let line = err.lines().last().unwrap_or("");
    assert!(line.starts_with("3 file(s) checked in "), "{line}");
    assert!(
        line.contains(": 1 finding(s) (1 error, 0 warning, 0 info) in 1 file(s); "),
        "{line}"
    );
    assert!(
        line.contains(" not applicable; 1 file(s) could not be checked"),
        "{line}"
    );
}
