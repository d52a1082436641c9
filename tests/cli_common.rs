// Shared by config.rs, waivers.rs, baseline.rs and batch.rs: not a test of its own.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// A 2017 report covering every Art. 32 topic but fees: failures of `ogi/fees-section`
/// and `ogi/reply-rate` (450/497 is not 100%).
pub const BAD_RATE: &str = "2017年度某区政府信息公开工作年度报告\n一、概述\n收到群众咨询共计497件,回复处理450件,回复率为100%。\n二、主动公开政府信息情况\n全年主动公开信息120条。\n三、依申请公开政府信息情况\n本年度未收到政府信息公开申请。\n四、行政复议和行政诉讼情况\n本年度未发生行政复议和行政诉讼。\n五、存在的主要问题及改进措施\n部分栏目更新不及时，公开内容不够全面。下一步将完善目录，加强培训。\n某区人民政府办公室\n2018年1月23日\n";

/// The same report with a right rate: only `ogi/fees-section` fails.
pub const GOOD: &str = "2017年度某区政府信息公开工作年度报告\n一、概述\n收到群众咨询共计400件,回复处理400件,回复率为100%。\n二、主动公开政府信息情况\n全年主动公开信息120条。\n三、依申请公开政府信息情况\n本年度未收到政府信息公开申请。\n四、行政复议和行政诉讼情况\n本年度未发生行政复议和行政诉讼。\n五、存在的主要问题及改进措施\n部分栏目更新不及时，公开内容不够全面。下一步将完善目录，加强培训。\n某区人民政府办公室\n2018年1月23日\n";

/// Run the binary in `dir` with no inherited CI/NO_COLOR influence; returns
/// (exit code, stdout, stderr).
pub fn run_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_reportlint"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run reportlint");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Write files (creating folders) under `dir`.
pub fn write(dir: &Path, files: &[(&str, &str)]) {
    for (name, text) in files {
        let p = dir.join(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(p, text).expect("write");
    }
}

/// The JSON output of a run.
pub fn json(dir: &Path, args: &[&str]) -> (i32, serde_json::Value, String) {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let (code, out, err) = run_in(dir, &all);
    let v = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}\n{err}"));
    (code, v, err)
}

/// Rule ids of every finding, in output order, as `file:rule`.
pub fn found(v: &serde_json::Value) -> Vec<String> {
    let mut out = Vec::new();
    for f in v["files"].as_array().expect("files") {
        let path = f["path"].as_str().unwrap_or("").replace('\\', "/");
        let name = path.rsplit('/').next().unwrap_or("").to_string();
        for x in f["findings"].as_array().expect("findings") {
            out.push(format!("{name}:{}", x["rule"].as_str().unwrap_or("")));
        }
    }
    out
}

pub fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().expect("tempdir")
}

pub fn p(dir: &Path, name: &str) -> PathBuf {
    dir.join(name)
}
