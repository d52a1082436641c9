//! Waivers: applied (by glob and by content hash), counted and listed, stale and
//! expired ones reported, rules marked `waivable = false` never waived.

mod cli_common;
use cli_common::*;

use std::path::Path;

fn waivers(dir: &Path, text: &str) {
    write(dir, &[("audit/waivers.toml", text)]);
}

fn sha256(path: &Path) -> String {
    reportlint::waivers::sha256_hex(&std::fs::read(path).expect("read"))
}

#[test]
fn a_glob_waiver_silences_counts_and_lists() {
    let d = tmp();
    write(
        d.path(),
        &[("r/2017/a.txt", BAD_RATE), ("r/2018/b.txt", BAD_RATE)],
    );
    waivers(
        d.path(),
        "[[waiver]]\nrule = \"ogi/fees-section\"\nfile = \"r/2017/*.txt\"\nreason = \"收费部分在附件中，已人工核对\"\n",
    );
    let args = ["--waivers", "audit/waivers.toml", "r"];
    let (code, v, _) = json(d.path(), &args);
    assert_eq!(
        found(&v),
        [
            "a.txt:ogi/reply-rate",
            "b.txt:ogi/fees-section",
            "b.txt:ogi/reply-rate"
        ]
    );
    assert_eq!(code, 1);
    assert_eq!(v["summary"]["waived"], 1);
    assert_eq!(v["summary"]["stale_waivers"], 0);
    // Not listed unless asked for.
    assert!(v["files"][0].get("waived").is_none());
    let (_, v, _) = json(
        d.path(),
        &["--show-waived", "--waivers", "audit/waivers.toml", "r"],
    );
    let w = &v["files"][0]["waived"][0];
    assert_eq!(w["rule"], "ogi/fees-section");
    assert_eq!(w["reason"], "收费部分在附件中，已人工核对");
    assert!(w["waiver"]
        .as_str()
        .unwrap_or("")
        .ends_with("waivers.toml:1"));
    // People see them with --show-waived, and the count in the summary line.
    let (_, out, err) = run_in(
        d.path(),
        &[
            "check",
            "--format",
            "concise",
            "--show-waived",
            "--waivers",
            "audit/waivers.toml",
            "r",
        ],
    );
    assert!(
        out.contains("waived: r/2017/a.txt:1:1: ogi/fees-section [error]"),
        "{out}"
    );
    assert!(err.contains("; 1 waived (0 stale waiver(s))"), "{err}");
}

#[test]
fn a_hash_waiver_dies_when_the_file_changes() {
    let d = tmp();
    write(d.path(), &[("a.txt", BAD_RATE)]);
    let hash = sha256(&d.path().join("a.txt"));
    waivers(
        d.path(),
        &format!("[[waiver]]\nrule = \"ogi/\"\nsha256 = \"{hash}\"\nreason = \"accepted as published\"\n"),
    );
    let (code, v, _) = json(d.path(), &["--waivers", "audit/waivers.toml", "a.txt"]);
    assert_eq!(found(&v), Vec::<String>::new());
    assert_eq!(v["summary"]["waived"], 2);
    assert_eq!(code, 0);
    write(d.path(), &[("a.txt", &format!("{BAD_RATE}\n附：修订稿\n"))]);
    let (code, v, err) = json(d.path(), &["--waivers", "audit/waivers.toml", "a.txt"]);
    assert_eq!(
        found(&v),
        ["a.txt:ogi/fees-section", "a.txt:ogi/reply-rate"]
    );
    assert_eq!(v["summary"]["stale_waivers"], 1);
    assert!(
        err.contains("waivers.toml:1: waiver for `ogi/` is stale: it matched no finding"),
        "{err}"
    );
    assert_eq!(code, 1);
}

#[test]
fn expired_and_unmatched_waivers_are_stale() {
    let d = tmp();
    write(d.path(), &[("a.txt", BAD_RATE)]);
    waivers(
        d.path(),
        "[[waiver]]\nrule = \"ogi/fees-section\"\nfile = \"*.txt\"\nreason = \"old decision\"\nexpires = 2001-01-31\n\n[[waiver]]\nrule = \"ogi/sum-parts\"\nfile = \"**\"\nreason = \"nothing to waive\"\n\n[[waiver]]\nrule = \"ogi/reply-rate\"\nfile = \"**\"\nreason = \"still valid\"\nexpires = 2999-12-31\n",
    );
    let (_, v, err) = json(d.path(), &["--waivers", "audit/waivers.toml", "a.txt"]);
    assert_eq!(found(&v), ["a.txt:ogi/fees-section"]);
    assert_eq!(v["summary"]["waived"], 1);
    assert_eq!(v["summary"]["stale_waivers"], 2);
    assert!(
        err.contains(
            "waivers.toml:1: waiver for `ogi/fees-section` is stale: it expired on 2001-01-31"
        ),
        "{err}"
    );
    assert!(
        err.contains("waivers.toml:7: waiver for `ogi/sum-parts` is stale: it matched no finding"),
        "{err}"
    );
}

const PACK: &str = r#"
[[rule]]
id = "fees"
severity = "error"
waivable = false
check = 'exists(section(/收费|减免/))'
message = "缺少收费及减免情况"

[[rule]]
id = "fees-again"
severity = "warning"
check = 'exists(section(/收费|减免/))'
message = "缺少收费及减免情况（再次）"
"#;

#[test]
fn rules_marked_not_waivable_cannot_be_waived() {
    let d = tmp();
    write(
        d.path(),
        &[("a.txt", BAD_RATE), ("packs/p/rules.toml", PACK)],
    );
    let base = [
        "--no-builtin",
        "--rules",
        "packs",
        "--waivers",
        "audit/waivers.toml",
        "a.txt",
    ];
    // Named exactly: an error before any report is read.
    waivers(
        d.path(),
        "[[waiver]]\nrule = \"p/fees\"\nfile = \"**\"\nreason = \"r\"\n",
    );
    let mut args = vec!["check"];
    args.extend_from_slice(&base);
    let (code, _, err) = run_in(d.path(), &args);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("`p/fees` cannot be waived"), "{err}");
    assert!(err.contains("waivers.toml:2:8"), "{err}");
    // By prefix: the waivable rule is waived, the other stays.
    waivers(
        d.path(),
        "[[waiver]]\nrule = \"p/\"\nfile = \"**\"\nreason = \"r\"\n",
    );
    let (code, v, _) = json(d.path(), &base);
    assert_eq!(found(&v), ["a.txt:p/fees"]);
    assert_eq!(v["summary"]["waived"], 1);
    assert_eq!(code, 1);
}

#[test]
fn a_waiver_needs_a_reason() {
    let d = tmp();
    write(d.path(), &[("a.txt", BAD_RATE)]);
    waivers(
        d.path(),
        "[[waiver]]\nrule = \"ogi/fees-section\"\nfile = \"**\"\nreason = \"  \"\n",
    );
    let (code, _, err) = run_in(
        d.path(),
        &["check", "--waivers", "audit/waivers.toml", "a.txt"],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("the reason is empty"), "{err}");
}

#[test]
fn the_config_names_the_waiver_file() {
    let d = tmp();
    write(
        d.path(),
        &[
            ("a.txt", BAD_RATE),
            ("reportlint.toml", "waivers = \"audit/waivers.toml\"\n"),
        ],
    );
    waivers(
        d.path(),
        "[[waiver]]\nrule = \"ogi/reply-rate\"\nfile = \"a.txt\"\nreason = \"r\"\n",
    );
    let sub = d.path().join("audit");
    let (_, v, _) = json(&sub, &["../a.txt"]);
    assert_eq!(found(&v), ["a.txt:ogi/fees-section"]);
    assert_eq!(v["summary"]["waived"], 1);
}
