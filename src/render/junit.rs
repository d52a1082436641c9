//! JUnit XML: one `<testsuite>` per file, one `<testcase>` per rule run on it. A rule
//! with findings is a `<failure>`; a rule that could not be assessed is `<skipped>`; a
//! file that could not be checked is one `<error>` testcase.

use std::fmt::Write as _;

use crate::findings::FileReport;
use crate::rules::Rule;

use super::{display_path, FILE_ERROR_RULE};

/// Escape text for XML content and attribute values; characters XML 1.0 cannot hold
/// are dropped.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// The whole run as a JUnit XML document. `rules` are the rules that were run.
pub fn render(reports: &[FileReport], rules: &[Rule]) -> String {
    let mut suites = String::new();
    let (mut all_tests, mut all_failures, mut all_errors, mut all_skipped) = (0, 0, 0, 0);
    for report in reports {
        let path = display_path(&report.path);
        let name = escape(&path);
        let mut cases = String::new();
        let (mut tests, mut failures, mut errors, mut skipped) = (0, 0, 0, 0);
        if let Some(e) = &report.error {
            tests += 1;
            errors += 1;
            let _ = writeln!(
                cases,
                "    <testcase name=\"{FILE_ERROR_RULE}\" classname=\"{name}\">\n      <error message=\"{}\" type=\"{}\"/>\n    </testcase>",
                escape(&e.message),
                escape(e.kind)
            );
        } else {
            for rule in rules {
                tests += 1;
                let id = escape(&rule.id);
                let found: Vec<_> = report
                    .findings
                    .iter()
                    .filter(|f| f.rule == rule.id)
                    .collect();
                if let Some(first) = found.first() {
                    failures += 1;
                    let mut body = String::new();
                    for f in &found {
                        let (line, col) = f
                            .labels
                            .first()
                            .map(|l| (l.line, l.column))
                            .unwrap_or((1, 1));
                        let _ =
                            writeln!(body, "{path}:{line}:{col}: [{}] {}", f.severity, f.message);
                        for l in &f.labels {
                            let _ = writeln!(body, "  {}:{}: {}", l.line, l.column, l.text);
                        }
                    }
                    let _ = writeln!(
                        cases,
                        "    <testcase name=\"{id}\" classname=\"{name}\">\n      <failure message=\"{}\" type=\"{}\">{}</failure>\n    </testcase>",
                        escape(&first.message),
                        first.severity,
                        escape(&body)
                    );
                } else if report.not_applicable.iter().any(|r| r == &rule.id) {
                    skipped += 1;
                    let _ = writeln!(
                        cases,
                        "    <testcase name=\"{id}\" classname=\"{name}\">\n      <skipped message=\"not applicable\"/>\n    </testcase>"
                    );
                } else {
                    let _ = writeln!(cases, "    <testcase name=\"{id}\" classname=\"{name}\"/>");
                }
            }
        }
        let _ = write!(
            suites,
            "  <testsuite name=\"{name}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\">\n{cases}  </testsuite>\n"
        );
        all_tests += tests;
        all_failures += failures;
        all_errors += errors;
        all_skipped += skipped;
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"reportlint\" tests=\"{all_tests}\" failures=\"{all_failures}\" errors=\"{all_errors}\" skipped=\"{all_skipped}\">\n{suites}</testsuites>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_control_characters() {
        assert_eq!(escape("a<b>&\"'\u{1}"), "a&lt;b&gt;&amp;&quot;&apos;");
    }
}
