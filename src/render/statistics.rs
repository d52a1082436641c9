//! `--statistics`: a per-rule table (rule, findings, files) and per-file counts.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::findings::FileReport;

/// The statistics tables as text.
pub fn render(reports: &[FileReport]) -> String {
    // rule -> (findings, files)
    let mut by_rule: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for r in reports {
        let mut seen: Vec<&str> = Vec::new();
        for f in &r.findings {
            let e = by_rule.entry(f.rule.as_str()).or_default();
            e.0 += 1;
            if !seen.contains(&f.rule.as_str()) {
                seen.push(f.rule.as_str());
                e.1 += 1;
            }
        }
    }
    let mut rows: Vec<_> = by_rule.into_iter().collect();
    rows.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(b.0)));
    let width = rows
        .iter()
        .map(|(id, _)| id.chars().count())
        .chain(["rule".len()])
        .max()
        .unwrap_or(4);
    let mut out = String::new();
    let _ = writeln!(out, "{:<width$}  {:>8}  {:>6}", "rule", "findings", "files");
    for (id, (findings, files)) in &rows {
        let _ = writeln!(out, "{id:<width$}  {findings:>8}  {files:>6}");
    }
    out.push('\n');
    let paths: Vec<String> = reports
        .iter()
        .map(|r| r.path.display().to_string())
        .collect();
    let pw = paths
        .iter()
        .map(|p| p.chars().count())
        .chain(["file".len()])
        .max()
        .unwrap_or(4);
    let _ = writeln!(
        out,
        "{:<pw$}  {:>8}  {:>5}  {:>7}  {:>4}  {:>14}",
        "file", "findings", "error", "warning", "info", "not applicable"
    );
    for (r, path) in reports.iter().zip(&paths) {
        if let Some(e) = &r.error {
            let _ = writeln!(out, "{path:<pw$}  could not be checked ({})", e.kind);
            continue;
        }
        let count = |s| r.findings.iter().filter(|f| f.severity == s).count();
        use crate::rules::Severity::*;
        let _ = writeln!(
            out,
            "{path:<pw$}  {:>8}  {:>5}  {:>7}  {:>4}  {:>14}",
            r.findings.len(),
            count(Error),
            count(Warning),
            count(Info),
            r.not_applicable.len()
        );
    }
    out
}
