//! SARIF 2.1.0 output (GitHub code scanning, IDEs, audit dashboards).
//!
//! Columns and character offsets count Unicode code points; the run says so with
//! `columnKind: "unicodeCodePoints"`. Regions also carry `byteOffset`/`byteLength`, the
//! label's byte range in the decoded text (the offsets of the JSON output). URIs are paths relative to the working
//! directory, with forward slashes, percent-encoded (non-ASCII names included).

use rayon::prelude::*;
use serde_json::{json, Value};

use crate::findings::{FileReport, Label};
use crate::rules::{Rule, Severity};

use super::{display_path, Locator, Region};

/// The SARIF schema this output follows.
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// SARIF's name for a severity.
pub fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn help_text(rule: &Rule) -> String {
    let mut parts = Vec::new();
    if let Some(h) = &rule.help {
        parts.push(h.clone());
    }
    if let Some(r) = &rule.reference {
        parts.push(format!("reference: {r}"));
    }
    if parts.is_empty() {
        parts.push(rule.title.clone());
    }
    parts.join("\n")
}

fn region_json(r: Region) -> Value {
    json!({
        "startLine": r.start_line,
        "startColumn": r.start_column,
        "endLine": r.end_line,
        "endColumn": r.end_column,
        "charOffset": r.char_offset,
        "charLength": r.char_length,
    })
}

/// A path as a URI reference (RFC 3986): everything but unreserved characters, `/`
/// and a few safe sub-delimiters is percent-encoded as UTF-8 (so `报告.txt` becomes
/// `%E6%8A%A5%E5%91%8A.txt`, and `:` never looks like a scheme).
fn uri_escape(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        let keep = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'-' | b'.'
                    | b'_'
                    | b'~'
                    | b'/'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
                    | b'@'
            );
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn physical(uri: &str, locator: &Locator, label: Option<&Label>) -> Value {
    let mut p = json!({ "artifactLocation": { "uri": uri } });
    if let Some(l) = label {
        let mut region = region_json(locator.region(l));
        region["byteOffset"] = json!(l.start);
        region["byteLength"] = json!(l.end.saturating_sub(l.start));
        p["region"] = region;
    }
    p
}

/// The whole run as one SARIF log. `rules` are the rules that were run.
pub fn render(reports: &[FileReport], rules: &[Rule]) -> String {
    let driver_rules: Vec<Value> = rules
        .iter()
        .map(|r| {
            let mut v = json!({
                "id": r.id,
                "name": r.id,
                "shortDescription": { "text": r.title },
                "help": { "text": help_text(r) },
                "defaultConfiguration": { "level": level(r.severity) },
            });
            if let Some(reference) = &r.reference {
                v["properties"] = json!({ "reference": reference });
            }
            v
        })
        .collect();
    let notifications: Vec<Value> = reports
        .iter()
        .filter_map(|report| {
            let e = report.error.as_ref()?;
            let uri = uri_escape(&display_path(&report.path));
            Some(json!({
                "level": "error",
                "message": { "text": e.message },
                "descriptor": { "id": e.kind },
                "locations": [{ "physicalLocation": { "artifactLocation": { "uri": uri } } }],
            }))
        })
        .collect();
    // Results are serialised one by one and spliced into the log: a tree of every
    // result of a large batch took ten times the memory of the text it printed
    // (2.7 GiB for 2,000 damaged reports). The placeholder cannot occur by chance:
    // inside any JSON string its quotes would be escaped.
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "reportlint",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": driver_rules,
                }
            },
            "columnKind": "unicodeCodePoints",
            "invocations": [{
                "executionSuccessful": true,
                "toolExecutionNotifications": notifications,
            }],
            "results": RESULTS_PLACEHOLDER,
        }],
    });
    let skeleton = serde_json::to_string_pretty(&log).unwrap_or_default();
    let marker = format!(
        "\"results\": {}",
        serde_json::to_string(RESULTS_PLACEHOLDER).unwrap_or_default()
    );
    let Some(at) = skeleton.find(&marker) else {
        return skeleton;
    };
    let mut out = skeleton[..at].to_string();
    out.push_str("\"results\": ");
    let mut first = true;
    // Files in parallel, a slice at a time, so no more than a slice's text waits
    // beside the output.
    for slice in reports.chunks(64) {
        let parts: Vec<String> = slice
            .par_iter()
            .map(|report| report_results(report, rules))
            .collect();
        for part in parts.into_iter().filter(|c| !c.is_empty()) {
            out.push_str(if first { "[\n" } else { ",\n" });
            out.push_str(&part);
            first = false;
        }
    }
    out.push_str(if first { "[]" } else { "\n      ]" });
    out.push_str(&skeleton[at + marker.len()..]);
    out
}

/// Stands for the results array in the serialised log until they are spliced in.
const RESULTS_PLACEHOLDER: &str = "\u{0}reportlint results\u{0}";

/// How deep a result stands in the pretty-printed log (log → runs → run → results).
const RESULT_INDENT: &str = "        ";

/// One file's results, pretty-printed at their depth in the log and joined by commas
/// (empty when it has none).
fn report_results(report: &FileReport, rules: &[Rule]) -> String {
    if report.error.is_some() {
        return String::new();
    }
    let uri = uri_escape(&display_path(&report.path));
    let locator = Locator::new(report.source.as_deref());
    let mut out = String::new();
    for f in &report.findings {
        let primary = f.labels.first();
        let mut location = json!({ "physicalLocation": physical(&uri, &locator, primary) });
        if let Some(l) = primary {
            location["message"] = json!({ "text": l.text });
        }
        let mut result = json!({
            "ruleId": f.rule,
            "level": level(f.severity),
            "message": { "text": f.message },
            "locations": [location],
        });
        if let Some(i) = rules.iter().position(|r| r.id == f.rule) {
            result["ruleIndex"] = json!(i);
        }
        if f.labels.len() > 1 {
            result["relatedLocations"] = f.labels[1..]
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    json!({
                        "id": i + 1,
                        "physicalLocation": physical(&uri, &locator, Some(l)),
                        "message": { "text": l.text },
                    })
                })
                .collect();
        }
        if !f.notes.is_empty() {
            result["properties"] = json!({ "notes": f.notes });
        }
        if !out.is_empty() {
            out.push_str(",\n");
        }
        // Strings escape their line breaks, so every line break here is structure.
        let text = serde_json::to_string_pretty(&result).unwrap_or_default();
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                out.push('\n');
            }
            out.push_str(RESULT_INDENT);
            out.push_str(line);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_escape_spaces_and_percent() {
        assert_eq!(
            uri_escape("a b/报告%.txt"),
            "a%20b/%E6%8A%A5%E5%91%8A%25.txt"
        );
        assert_eq!(uri_escape("c:d#e?f"), "c%3Ad%23e%3Ff");
    }
}
