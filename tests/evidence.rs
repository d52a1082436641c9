//! What a failing rule points at comes from evaluating it again, explained. A
//! quantifier outside every other keeps its first verdict when no element decided it
//! (`any` false, `all` true): these rules check that the elements that did decide
//! one are still walked and labelled, and that the undecided one labels nothing.

mod cli_common;
use cli_common::*;

const REPORT: &str =
    "2017年度某区政府信息公开年度报告\n一、概述\n工作正常。\n这一行是坏的。\n另一行也坏了。\n";

const PACK: &str = r#"
[[rule]]
id = "any-undecided"
severity = "error"
check = 'exists(section(/无此节/)) or any l in report.lines: contains(l, /不存在的词/)'
message = "无"

[[rule]]
id = "all-decided"
severity = "error"
check = 'exists(section(/无此节/)) or all l in report.lines: not contains(l, /坏/)'
message = "坏"

[[rule]]
id = "any-decided-then-negated"
severity = "error"
check = 'not (any l in report.lines: contains(l, /坏/))'
message = "有坏"
"#;

fn labels(v: &serde_json::Value, rule: &str) -> Vec<String> {
    let findings = v["files"][0]["findings"].as_array().expect("findings");
    let f = findings
        .iter()
        .find(|f| f["rule"] == rule)
        .unwrap_or_else(|| panic!("no finding of {rule}: {v}"));
    f["labels"]
        .as_array()
        .expect("labels")
        .iter()
        .map(|l| l["text"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn decided_quantifiers_label_their_elements_when_explained() {
    let d = tmp();
    write(d.path(), &[("a.txt", REPORT), ("packs/p/rules.toml", PACK)]);
    let (code, v, err) = json(d.path(), &["--no-builtin", "--rules", "packs", "a.txt"]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(labels(&v, "p/any-undecided"), Vec::<String>::new());
    assert_eq!(labels(&v, "p/all-decided"), ["坏", "坏"]);
    assert_eq!(labels(&v, "p/any-decided-then-negated"), ["坏"]);
}
