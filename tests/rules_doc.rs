//! docs/rules.md is generated from the built-in pack; it must not drift from it.

use std::process::Command;

#[test]
fn docs_rules_md_is_current() {
    let out = Command::new(env!("CARGO_BIN_EXE_reportlint"))
        .args(["rules", "list", "--format", "markdown"])
        .output()
        .expect("run reportlint");
    assert!(out.status.success());
    let generated = String::from_utf8(out.stdout).expect("utf-8");
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rules.md");
    let committed = std::fs::read_to_string(path).expect("docs/rules.md");
    assert!(
        generated == committed,
        "docs/rules.md is out of date: run `cargo run -q -- rules list --format markdown > docs/rules.md`"
    );
}
