//! Baselines: the findings a project has already accepted, so later runs report only
//! new ones (`reportlint baseline --output FILE`, then `check --baseline FILE`).
//!
//! A finding is keyed by rule, file and a fingerprint of its *text* — the rule id, the
//! message and the report text under each label — never by line or byte position, so
//! editing other parts of a report does not make old findings look new. Keys are a
//! multiset: three identical findings in the baseline excuse three, not a fourth.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use miette::Diagnostic;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::findings::{FileReport, Finding};

/// Version of the baseline file's shape.
pub const BASELINE_VERSION: u32 = 1;

/// Why a baseline could not be read or written.
#[derive(Debug, Error, Diagnostic)]
#[non_exhaustive]
pub enum BaselineError {
    /// The file could not be read or written.
    #[error("cannot use the baseline {path}: {source}")]
    #[diagnostic(code(reportlint::baseline::io))]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// The file is not a baseline.
    #[error("{path} is not a reportlint baseline: {message}")]
    #[diagnostic(
        code(reportlint::baseline::invalid),
        help("write one with `reportlint baseline --output FILE PATH...`")
    )]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What the JSON parser said.
        message: String,
    },
}

/// One accepted finding.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Entry {
    /// Full rule id.
    pub rule: String,
    /// The file, relative to the baseline's folder when it lies under it.
    pub file: String,
    /// Fingerprint of the finding's text.
    pub fingerprint: String,
    /// The message, for people reading the file (not used to match).
    pub message: String,
}

#[derive(Serialize, Deserialize)]
struct FileJson {
    version: u32,
    findings: Vec<Entry>,
}

/// A loaded baseline.
#[derive(Debug, Clone, Default)]
pub struct Baseline {
    counts: HashMap<(String, String, String), usize>,
    base: Option<PathBuf>,
}

/// The fingerprint of a finding: SHA-256 over the rule, the message and the text each
/// label covers, first 16 hex digits.
pub fn fingerprint(f: &Finding, source: Option<&str>) -> String {
    let mut text = format!("{}\u{0}{}", f.rule, f.message);
    for l in &f.labels {
        text.push('\u{0}');
        text.push_str(source.and_then(|s| s.get(l.start..l.end)).unwrap_or(""));
    }
    let mut hex = crate::waivers::sha256_hex(text.as_bytes());
    hex.truncate(16);
    hex
}

fn base_of(baseline_path: &Path) -> Option<PathBuf> {
    let parent = baseline_path.parent()?;
    let parent = if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
    };
    parent.canonicalize().ok()
}

/// How a report's path is written in a baseline: relative to the baseline's folder
/// (with `..` when it lies elsewhere), so the baseline works from any working
/// directory; as given when it cannot be resolved; always with `/`.
fn file_key(base: Option<&Path>, path: &Path) -> String {
    let rel = base.and_then(|b| path.canonicalize().ok().map(|p| relative(b, &p)));
    let p = rel.unwrap_or_else(|| path.strip_prefix(".").unwrap_or(path).to_path_buf());
    p.to_string_lossy().replace('\\', "/")
}

/// `to` relative to the folder `from` (both absolute and canonical).
fn relative(from: &Path, to: &Path) -> PathBuf {
    let from: Vec<_> = from.components().collect();
    let to: Vec<_> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..from.len() {
        out.push("..");
    }
    for c in to.iter().skip(common) {
        out.push(c);
    }
    out
}

/// The baseline file for a run's findings (sorted, so it diffs well).
pub fn render(reports: &[FileReport], baseline_path: &Path) -> String {
    let base = base_of(baseline_path);
    let mut findings: Vec<Entry> = reports
        .iter()
        .flat_map(|r| {
            let file = file_key(base.as_deref(), &r.path);
            r.findings.iter().map(move |f| Entry {
                rule: f.rule.clone(),
                file: file.clone(),
                fingerprint: fingerprint(f, r.source.as_deref()),
                message: f.message.clone(),
            })
        })
        .collect();
    findings.sort();
    let out = FileJson {
        version: BASELINE_VERSION,
        findings,
    };
    serde_json::to_string_pretty(&out).unwrap_or_default() + "\n"
}

/// Read a baseline file.
pub fn load(path: &Path) -> Result<Baseline, BaselineError> {
    let text = std::fs::read_to_string(path).map_err(|source| BaselineError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let parsed: FileJson = serde_json::from_str(&text).map_err(|e| BaselineError::Invalid {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    if parsed.version != BASELINE_VERSION {
        return Err(BaselineError::Invalid {
            path: path.to_path_buf(),
            message: format!("unsupported version {}", parsed.version),
        });
    }
    let mut counts = HashMap::new();
    for e in parsed.findings {
        *counts.entry((e.rule, e.file, e.fingerprint)).or_insert(0) += 1;
    }
    Ok(Baseline {
        counts,
        base: base_of(path),
    })
}

impl Baseline {
    /// Drop the findings the baseline holds; returns how many were dropped.
    pub fn apply(&self, reports: &mut [FileReport]) -> usize {
        let mut left = self.counts.clone();
        let mut dropped = 0;
        for r in reports.iter_mut() {
            let file = file_key(self.base.as_deref(), &r.path);
            let source = r.source.clone();
            r.findings.retain(|f| {
                let key = (
                    f.rule.clone(),
                    file.clone(),
                    fingerprint(f, source.as_deref()),
                );
                match left.get_mut(&key) {
                    Some(n) if *n > 0 => {
                        *n -= 1;
                        dropped += 1;
                        false
                    }
                    _ => true,
                }
            });
        }
        dropped
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::findings::Label;
    use crate::rules::Severity;

    fn finding(start: usize, line: usize) -> Finding {
        Finding {
            rule: "p/r".into(),
            severity: Severity::Error,
            message: "m".into(),
            labels: vec![Label {
                start,
                end: start + 2,
                line,
                column: 1,
                text: "x".into(),
            }],
            title: "t".into(),
            help: None,
            notes: vec![],
            reference: None,
        }
    }

    #[test]
    fn relative_paths_climb_with_dots() {
        assert_eq!(
            relative(Path::new("/a/audit"), Path::new("/a/r/x.txt")),
            PathBuf::from("../r/x.txt")
        );
        assert_eq!(
            relative(Path::new("/a"), Path::new("/a/r/x.txt")),
            PathBuf::from("r/x.txt")
        );
    }

    #[test]
    fn fingerprints_ignore_position_but_not_text() {
        let a = fingerprint(&finding(0, 1), Some("12 and 34\n12"));
        let moved = fingerprint(&finding(10, 2), Some("12 and 34\n12"));
        let other = fingerprint(&finding(7, 1), Some("12 and 34\n12"));
        assert_eq!(a, moved);
        assert_ne!(a, other);
        assert_eq!(a.len(), 16);
    }
}
