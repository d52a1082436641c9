//! Waivers: an auditor's decisions, kept outside the reports, that a finding is
//! accepted. Each names a rule (id or prefix), the files it covers — a glob, or the
//! SHA-256 of the file's bytes so the waiver dies when the file changes — a reason
//! (required) and optionally an expiry date. Rules with `waivable = false` cannot be
//! waived. Waived findings are counted and can be listed; waivers that match nothing,
//! or have expired, are reported as stale.
//!
//! ```toml
//! [[waiver]]
//! rule = "ogi/fees-section"
//! file = "2017/*.txt"
//! reason = "收费部分在附件中，已人工核对"
//! expires = 2027-06-30
//! ```

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use globset::{Glob, GlobMatcher};
use miette::{Diagnostic, NamedSource, SourceSpan};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use thiserror::Error;
use toml::Spanned;

use crate::config::matches_prefix;
use crate::findings::{FileReport, Waived};
use crate::rules::RuleSet;
use crate::span::{LineIndex, Span};

/// A mistake in the waiver file, pointing at the exact characters.
#[derive(Debug, Error, Diagnostic)]
#[error("{message}")]
#[diagnostic(code(reportlint::waivers::invalid))]
pub struct WaiverSpanError {
    /// What is wrong.
    pub message: String,
    /// The waiver file.
    #[source_code]
    pub src: NamedSource<Arc<str>>,
    /// Where.
    #[label("here")]
    pub span: SourceSpan,
    /// How to fix it.
    #[help]
    pub help: Option<String>,
}

/// Why the waiver file could not be used.
#[derive(Debug, Error, Diagnostic)]
#[non_exhaustive]
pub enum WaiverError {
    /// The file could not be read.
    #[error("cannot read the waiver file {path}: {source}")]
    #[diagnostic(code(reportlint::waivers::io))]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// Mistakes inside the file, all of them.
    #[error("{} error(s) in the waiver file {}", errors.len(), path.display())]
    #[diagnostic(code(reportlint::waivers::errors))]
    Invalid {
        /// The file.
        path: PathBuf,
        /// Each mistake.
        #[related]
        errors: Vec<WaiverSpanError>,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileToml {
    #[serde(default)]
    waiver: Vec<Spanned<WaiverToml>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WaiverToml {
    rule: Spanned<String>,
    file: Option<Spanned<String>>,
    sha256: Option<Spanned<String>>,
    reason: Option<Spanned<String>>,
    expires: Option<Spanned<toml::Value>>,
}

/// A calendar date (year, month, day), comparable.
pub type Date = (i32, u32, u32);

/// One waiver.
#[derive(Debug, Clone)]
pub struct Waiver {
    /// Rule id or prefix.
    pub rule: String,
    /// The file glob, as written.
    pub file: Option<String>,
    glob: Option<GlobMatcher>,
    /// The SHA-256 of the file's bytes, lowercase hex.
    pub sha256: Option<String>,
    /// Why.
    pub reason: String,
    /// Last day it applies.
    pub expires: Option<Date>,
    /// `file:line` where it is written.
    pub location: String,
    span: Span,
    rule_span: Span,
}

/// A loaded waiver file.
#[derive(Debug, Clone)]
pub struct Waivers {
    /// The file.
    pub path: PathBuf,
    text: Arc<str>,
    /// The waivers, in file order.
    pub list: Vec<Waiver>,
    base: Option<PathBuf>,
}

/// A waiver that did not silence anything, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Stale {
    /// `file:line` where it is written.
    pub location: String,
    /// The rule it names.
    pub rule: String,
    /// Why it is stale.
    pub why: String,
}

impl std::fmt::Display for Stale {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: waiver for `{}` is stale: {}",
            self.location, self.rule, self.why
        )
    }
}

fn parse_date(s: &str) -> Option<Date> {
    let mut it = s.trim().splitn(3, '-');
    let y: i32 = it.next()?.parse().ok()?;
    let m: u32 = it.next()?.parse().ok()?;
    let d: u32 = it.next()?.get(..2)?.parse().ok()?;
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then_some((y, m, d))
}

/// Today's date in UTC (waivers expire at the end of their `expires` day).
pub fn today() -> Date {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    civil_from_days(i64::try_from(secs / 86_400).unwrap_or(0))
}

/// Days since 1970-01-01 → (year, month, day) (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> Date {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (
        i32::try_from(y).unwrap_or(i32::MAX),
        u32::try_from(m).unwrap_or(1),
        u32::try_from(d).unwrap_or(1),
    )
}

/// The SHA-256 of `bytes` as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

struct Errors<'a> {
    path: &'a Path,
    text: &'a Arc<str>,
    errors: Vec<WaiverSpanError>,
}

impl Errors<'_> {
    fn push(&mut self, span: Span, message: String, help: Option<String>) {
        self.errors.push(WaiverSpanError {
            message,
            src: NamedSource::new(self.path.display().to_string(), self.text.clone()),
            span: span.into(),
            help,
        });
    }
}

fn span_of<T>(s: &Spanned<T>) -> Span {
    Span::new(s.span().start, s.span().end)
}

/// Read and parse a waiver file.
pub fn load(path: &Path) -> Result<Waivers, WaiverError> {
    let text = std::fs::read_to_string(path).map_err(|source| WaiverError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    parse(path, &text)
}

/// Parse waiver text; `path` is where it came from. A `file` glob matches a report's
/// path as given, its path relative to the waiver file's folder, or its file name.
pub fn parse(path: &Path, text: &str) -> Result<Waivers, WaiverError> {
    let text: Arc<str> = Arc::from(text);
    let mut errs = Errors {
        path,
        text: &text,
        errors: Vec::new(),
    };
    let raw: FileToml = match toml::from_str(&text) {
        Ok(r) => r,
        Err(e) => {
            errs.push(
                e.span().map(Span::from).unwrap_or_default(),
                format!("invalid waiver file: {}", e.message()),
                Some("each `[[waiver]]` takes rule, file or sha256, reason, expires".into()),
            );
            return Err(WaiverError::Invalid {
                path: path.to_path_buf(),
                errors: errs.errors,
            });
        }
    };
    let lines = LineIndex::new(&text);
    let mut list = Vec::new();
    for w in raw.waiver {
        let span = span_of(&w);
        let w = w.into_inner();
        let (line, _) = lines.line_col(&text, span.start);
        let reason = match &w.reason {
            Some(r) if !r.get_ref().trim().is_empty() => r.get_ref().clone(),
            Some(r) => {
                errs.push(span_of(r), "the reason is empty".into(), None);
                String::new()
            }
            None => {
                errs.push(
                    span,
                    "a waiver needs a `reason`".into(),
                    Some("say why the finding is accepted, e.g. reason = \"已人工核对\"".into()),
                );
                String::new()
            }
        };
        if w.file.is_none() && w.sha256.is_none() {
            errs.push(
                span,
                "a waiver needs a `file` glob or a `sha256` content hash".into(),
                Some("write file = \"**\" to waive the rule in every file".into()),
            );
        }
        let glob = w.file.as_ref().and_then(|f| match Glob::new(f.get_ref()) {
            Ok(g) => Some(g.compile_matcher()),
            Err(e) => {
                errs.push(
                    span_of(f),
                    format!("invalid glob `{}`: {}", f.get_ref(), e.kind()),
                    None,
                );
                None
            }
        });
        if let Some(h) = &w.sha256 {
            let ok = h.get_ref().len() == 64 && h.get_ref().chars().all(|c| c.is_ascii_hexdigit());
            if !ok {
                errs.push(
                    span_of(h),
                    "`sha256` must be 64 hexadecimal digits".into(),
                    Some("compute it with `sha256sum FILE`".into()),
                );
            }
        }
        let expires = w.expires.as_ref().and_then(|e| {
            let d = match e.get_ref() {
                toml::Value::String(s) => parse_date(s),
                toml::Value::Datetime(d) => parse_date(&d.to_string()),
                _ => None,
            };
            if d.is_none() {
                errs.push(
                    span_of(e),
                    "`expires` must be a date like 2027-06-30".into(),
                    None,
                );
            }
            d
        });
        list.push(Waiver {
            rule: w.rule.get_ref().clone(),
            rule_span: span_of(&w.rule),
            file: w.file.map(Spanned::into_inner),
            glob,
            sha256: w.sha256.map(|h| h.into_inner().to_ascii_lowercase()),
            reason,
            expires,
            location: format!("{}:{line}", path.display()),
            span,
        });
    }
    if !errs.errors.is_empty() {
        return Err(WaiverError::Invalid {
            path: path.to_path_buf(),
            errors: errs.errors,
        });
    }
    let base = path
        .parent()
        .map(|p| {
            if p.as_os_str().is_empty() {
                Path::new(".")
            } else {
                p
            }
        })
        .and_then(|d| d.canonicalize().ok());
    Ok(Waivers {
        path: path.to_path_buf(),
        text,
        list,
        base,
    })
}

impl Waivers {
    /// A waiver naming exactly a rule marked `waivable = false` is an error: the rule's
    /// author has said its findings may not be silenced.
    pub fn check_rules(&self, set: &RuleSet) -> Result<(), WaiverError> {
        let mut errs = Errors {
            path: &self.path,
            text: &self.text,
            errors: Vec::new(),
        };
        for w in &self.list {
            if set.rules.iter().any(|r| r.id == w.rule && !r.waivable) {
                errs.push(
                    w.rule_span,
                    format!("`{}` cannot be waived", w.rule),
                    Some("the rule is marked `waivable = false`: fix the report instead".into()),
                );
            }
        }
        if errs.errors.is_empty() {
            Ok(())
        } else {
            Err(WaiverError::Invalid {
                path: self.path.clone(),
                errors: errs.errors,
            })
        }
    }

    fn covers_file(&self, w: &Waiver, path: &Path, hash: &mut Option<Option<String>>) -> bool {
        let glob_ok = w.glob.as_ref().is_none_or(|g| {
            let given = path.strip_prefix(".").unwrap_or(path);
            g.is_match(given)
                || path.file_name().is_some_and(|n| g.is_match(n))
                || self.base.as_ref().is_some_and(|b| {
                    path.canonicalize()
                        .ok()
                        .and_then(|p| p.strip_prefix(b).ok().map(|r| g.is_match(r)))
                        .unwrap_or(false)
                })
        });
        let hash_ok = w.sha256.as_ref().is_none_or(|want| {
            // Hashed lazily, once per file, and only when a hash waiver is in play.
            let got = hash.get_or_insert_with(|| std::fs::read(path).ok().map(|b| sha256_hex(&b)));
            got.as_deref() == Some(want.as_str())
        });
        glob_ok && hash_ok
    }

    /// Move waived findings into each report's `waived` list; returns the waivers that
    /// silenced nothing (and the expired ones, which silence nothing by definition).
    pub fn apply(&self, reports: &mut [FileReport], set: &RuleSet, today: Date) -> Vec<Stale> {
        let mut used = self.unused();
        self.apply_counting(reports, set, today, &mut used);
        self.stale(&used, today)
    }

    /// A fresh count of how many findings each waiver silenced, for
    /// [`Waivers::apply_counting`] over a run checked in batches.
    pub fn unused(&self) -> Vec<usize> {
        vec![0; self.list.len()]
    }

    /// Apply the waivers to one batch of reports, adding to `used` (from
    /// [`Waivers::unused`]) how many findings each silenced; [`Waivers::stale`] at the end
    /// of the run names the waivers that silenced nothing.
    pub fn apply_counting(
        &self,
        reports: &mut [FileReport],
        set: &RuleSet,
        today: Date,
        used: &mut [usize],
    ) {
        let waivable: HashMap<&str, bool> = set
            .rules
            .iter()
            .map(|r| (r.id.as_str(), r.waivable))
            .collect();
        for report in reports.iter_mut() {
            if report.findings.is_empty() {
                continue;
            }
            let mut hash = None;
            let applicable: Vec<usize> = self
                .list
                .iter()
                .enumerate()
                .filter(|(_, w)| w.expires.is_none_or(|e| e >= today))
                .filter(|(_, w)| self.covers_file(w, &report.path, &mut hash))
                .map(|(i, _)| i)
                .collect();
            if applicable.is_empty() {
                continue;
            }
            let findings = std::mem::take(&mut report.findings);
            for f in findings {
                let hit = applicable.iter().copied().find(|&i| {
                    waivable.get(f.rule.as_str()).copied().unwrap_or(true)
                        && self
                            .list
                            .get(i)
                            .is_some_and(|w| matches_prefix(&f.rule, &w.rule))
                });
                match hit.and_then(|i| self.list.get(i).map(|w| (i, w))) {
                    Some((i, w)) => {
                        if let Some(u) = used.get_mut(i) {
                            *u += 1;
                        }
                        report.waived.push(Waived {
                            finding: f,
                            reason: w.reason.clone(),
                            waiver: w.location.clone(),
                        });
                    }
                    None => report.findings.push(f),
                }
            }
        }
    }

    /// The waivers that silenced nothing in a run (by `used`), and the expired ones.
    pub fn stale(&self, used: &[usize], today: Date) -> Vec<Stale> {
        self.list
            .iter()
            .zip(used.iter().copied())
            .filter(|(_, n)| *n == 0)
            .map(|(w, _)| Stale {
                location: w.location.clone(),
                rule: w.rule.clone(),
                why: match w.expires {
                    Some(e) if e < today => {
                        format!("it expired on {:04}-{:02}-{:02}", e.0, e.1, e.2)
                    }
                    _ => "it matched no finding".into(),
                },
            })
            .collect()
    }

    /// The byte range of waiver `i` in the file (for tools that point at it).
    pub fn span(&self, i: usize) -> Option<Span> {
        self.list.get(i).map(|w| w.span)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_723), (2024, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(parse_date("2027-06-30"), Some((2027, 6, 30)));
        assert_eq!(parse_date("2027-13-30"), None);
    }

    #[test]
    fn reason_and_target_are_required() {
        let text = "[[waiver]]\nrule = \"ogi/x\"\n";
        match parse(Path::new("w.toml"), text) {
            Err(WaiverError::Invalid { errors, .. }) => {
                let msgs: Vec<_> = errors.iter().map(|e| e.message.as_str()).collect();
                assert_eq!(
                    msgs,
                    [
                        "a waiver needs a `reason`",
                        "a waiver needs a `file` glob or a `sha256` content hash"
                    ]
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn bad_values_point_at_the_value() {
        let text = "[[waiver]]\nrule = \"ogi/x\"\nsha256 = \"abc\"\nreason = \"r\"\nexpires = \"soon\"\nfle = \"x\"\n";
        match parse(Path::new("w.toml"), text) {
            Err(WaiverError::Invalid { errors, .. }) => {
                let s = errors[0].span;
                assert!(
                    errors[0].message.contains("unknown field `fle`"),
                    "{errors:?}"
                );
                assert_eq!(&text[s.offset()..s.offset() + s.len()], "fle");
            }
            other => panic!("{other:?}"),
        }
        let text =
            "[[waiver]]\nrule = \"ogi/x\"\nsha256 = \"abc\"\nreason = \"r\"\nexpires = \"soon\"\n";
        match parse(Path::new("w.toml"), text) {
            Err(WaiverError::Invalid { errors, .. }) => {
                let covered: Vec<_> = errors
                    .iter()
                    .map(|e| &text[e.span.offset()..e.span.offset() + e.span.len()])
                    .collect();
                assert_eq!(covered, ["\"abc\"", "\"soon\""]);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn toml_dates_and_strings_both_work() {
        let text = "[[waiver]]\nrule = \"a\"\nfile = \"*\"\nreason = \"r\"\nexpires = 2027-06-30\n[[waiver]]\nrule = \"b\"\nfile = \"*\"\nreason = \"r\"\nexpires = \"2026-01-02\"\n";
        let w = parse(Path::new("w.toml"), text).expect("valid");
        assert_eq!(w.list[0].expires, Some((2027, 6, 30)));
        assert_eq!(w.list[1].expires, Some((2026, 1, 2)));
        assert_eq!(w.list[1].location, "w.toml:6");
    }
}
