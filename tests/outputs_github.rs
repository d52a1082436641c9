mod outputs_common;
use outputs_common::*;

#[test]
fn github_annotations_carry_rule_and_position() {
    let (code, out, _) = run(&["check", SAMPLE, "--format", "github"]);
    assert_eq!(code, 1);
    let findings = json_findings();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), findings.len());
    for (line, f) in lines.iter().zip(&findings) {
        let label = &f["labels"][0];
        let command = match f["severity"].as_str().unwrap() {
            "info" => "notice",
            other => other,
        };
        let prefix = format!(
            "::{command} file=examples/reports/002_89ac4cf4ed34e821.txt,line={},",
            label["line"]
        );
        assert!(line.starts_with(&prefix), "{line}");
        assert!(
            line.contains(&format!(",col={},", label["column"])),
            "{line}"
        );
        assert!(
            line.contains(&format!(",title={}::", f["rule"].as_str().unwrap())),
            "{line}"
        );
        assert!(findings.iter().any(|f| f["rule"] == "ogi/fees-section"));
        assert!(line.contains(f["message"].as_str().unwrap()), "{line}");
    }
}

#[test]
fn github_escapes_messages_and_properties() {
    use reportlint::render::github::{escape_data, escape_property};
    assert_eq!(escape_data("100%\nnext"), "100%25%0Anext");
    assert_eq!(escape_property("a,b:c"), "a%2Cb%3Ac");
}
