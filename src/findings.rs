//! Findings: what a run found in each file, in the shape every renderer reads.

use std::path::PathBuf;

use serde::Serialize;

use crate::eval::{Outcome, Violation};
use crate::rules::{Rule, Severity};
use crate::span::{LineCursor, SharedStr, Span};

/// A labelled span of a report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Label {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// 1-based line of `start`.
    pub line: usize,
    /// 1-based column (in characters) of `start`.
    pub column: usize,
    /// What the label says.
    pub text: String,
}

impl Label {
    /// The span it covers.
    pub fn span(&self) -> Span {
        Span::new(self.start, self.end)
    }
}

/// One violation of one rule in one report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// Full rule id (`ogi/fees-section`).
    pub rule: String,
    /// How serious.
    pub severity: Severity,
    /// The rule's message, filled in.
    pub message: String,
    /// Labelled spans of the report.
    pub labels: Vec<Label>,
    /// The rule's title.
    pub title: String,
    /// How to fix it.
    pub help: Option<String>,
    /// Computed values that explain it.
    pub notes: Vec<String>,
    /// The article or standard.
    pub reference: Option<String>,
}

impl Finding {
    /// The finding for one violation of `rule` in `text`.
    pub fn new(rule: &Rule, v: Violation, lines: &mut LineCursor) -> Finding {
        let labels = v
            .evidence
            .into_iter()
            .map(|e| {
                let (line, column) = lines.line_col(e.span.start);
                Label {
                    start: e.span.start,
                    end: e.span.end,
                    line,
                    column,
                    text: e.label,
                }
            })
            .collect();
        Finding {
            rule: rule.id.clone(),
            severity: rule.severity,
            message: v.message,
            labels,
            title: rule.title.clone(),
            help: rule.help.clone(),
            notes: v.notes,
            reference: rule.reference.clone(),
        }
    }
}

/// Why a file could not be checked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileError {
    /// A stable kind: `io`, `not-found`, `permission-denied`, `not-a-file`, `empty`,
    /// `binary`, `too-large`, `symlink-loop`, `format` (a damaged .docx).
    pub kind: &'static str,
    /// A sentence for people.
    pub message: String,
}

/// Findings dropped because a file had more than the limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Truncated {
    /// The limit in force (`--max-findings`): how many were kept.
    pub limit: usize,
    /// How many findings the file had in all.
    pub total: usize,
}

/// Paths as text, non-UTF-8 bytes replaced: serde refuses non-UTF-8 paths, and one
/// such file name must not turn the whole run's JSON into an error.
fn path_lossy<S: serde::Serializer>(path: &std::path::Path, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&path.to_string_lossy())
}

/// A finding silenced by a waiver, with the waiver's reason.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Waived {
    /// The finding.
    #[serde(flatten)]
    pub finding: Finding,
    /// Why it was waived (the waiver's `reason`).
    pub reason: String,
    /// Where the waiver is written (`waivers.toml:12`).
    pub waiver: String,
}

/// What a run found in one file.
#[derive(Debug, Clone, Serialize)]
pub struct FileReport {
    /// The file.
    #[serde(serialize_with = "path_lossy")]
    pub path: PathBuf,
    /// Findings, in rule order then position.
    pub findings: Vec<Finding>,
    /// Rules that could not be assessed on this file.
    pub not_applicable: Vec<String>,
    /// Why the file could not be checked, if it could not.
    pub error: Option<FileError>,
    /// Findings silenced by waivers (listed with `--show-waived`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub waived: Vec<Waived>,
    /// Set when findings were dropped over the per-file limit (absent otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub truncated: Option<Truncated>,
    /// The decoded text (for renderers that show snippets).
    #[serde(skip)]
    pub source: Option<SharedStr>,
    /// The encoding it was decoded from (`"GB18030"`, `"Big5"`, … or the declared
    /// `[input] encoding`); absent for a file that could not be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding: Option<&'static str>,
}

impl FileReport {
    /// Collect rule outcomes into a report.
    pub fn from_outcomes<'r>(
        path: PathBuf,
        text: impl Into<SharedStr>,
        encoding: &'static str,
        outcomes: impl IntoIterator<Item = (&'r Rule, Outcome)>,
    ) -> FileReport {
        let text = text.into();
        // Indexed only when a finding needs a line number: most outcomes are passes.
        let mut failed = Vec::new();
        let mut findings = Vec::new();
        let mut not_applicable = Vec::new();
        for (rule, outcome) in outcomes {
            match outcome {
                Outcome::Pass => {}
                Outcome::NotApplicable => not_applicable.push(rule.id.clone()),
                Outcome::Fail(vs) => failed.push((rule, vs)),
            }
        }
        if !failed.is_empty() {
            let mut lines = LineCursor::new(&text);
            for (rule, vs) in failed {
                findings.extend(vs.into_iter().map(|v| Finding::new(rule, v, &mut lines)));
            }
        }
        FileReport {
            path,
            findings,
            not_applicable,
            error: None,
            waived: Vec::new(),
            truncated: None,
            source: Some(text),
            encoding: Some(encoding),
        }
    }

    /// Keep the first `limit` findings (rule order, then position) and record how
    /// many there were, so a pathological file cannot flood the output.
    pub fn truncate_findings(&mut self, limit: usize) {
        let total = self.findings.len();
        if total > limit {
            self.findings.truncate(limit);
            self.truncated = Some(Truncated { limit, total });
        }
    }

    /// A report for a file that could not be checked.
    pub fn failed(path: PathBuf, error: FileError) -> FileReport {
        FileReport {
            path,
            findings: Vec::new(),
            not_applicable: Vec::new(),
            error: Some(error),
            waived: Vec::new(),
            truncated: None,
            source: None,
            encoding: None,
        }
    }
}

/// Counts over a whole run.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Summary {
    /// Files looked at.
    pub files: usize,
    /// Files with at least one finding.
    pub files_with_findings: usize,
    /// Files that could not be checked.
    pub errors: usize,
    /// Findings of severity error.
    pub error_findings: usize,
    /// Findings of severity warning.
    pub warning_findings: usize,
    /// Findings of severity info.
    pub info_findings: usize,
    /// (rule, file) pairs that were not applicable.
    pub not_applicable: usize,
    /// Findings silenced by waivers.
    pub waived: usize,
    /// Findings left out because the baseline holds them.
    pub baselined: usize,
    /// Waivers that matched nothing (or have expired).
    pub stale_waivers: usize,
}

impl Summary {
    /// Count a run's reports.
    pub fn of(reports: &[FileReport]) -> Summary {
        let mut s = Summary {
            files: reports.len(),
            ..Summary::default()
        };
        for r in reports {
            if r.error.is_some() {
                s.errors += 1;
            }
            if !r.findings.is_empty() {
                s.files_with_findings += 1;
            }
            s.not_applicable += r.not_applicable.len();
            s.waived += r.waived.len();
            for f in &r.findings {
                match f.severity {
                    Severity::Error => s.error_findings += 1,
                    Severity::Warning => s.warning_findings += 1,
                    Severity::Info => s.info_findings += 1,
                }
            }
        }
        s
    }

    /// Add another part of the run (a run checked and printed in batches).
    pub fn add(&mut self, other: &Summary) {
        self.files += other.files;
        self.files_with_findings += other.files_with_findings;
        self.errors += other.errors;
        self.error_findings += other.error_findings;
        self.warning_findings += other.warning_findings;
        self.info_findings += other.info_findings;
        self.not_applicable += other.not_applicable;
        self.waived += other.waived;
        self.baselined += other.baselined;
        self.stale_waivers += other.stale_waivers;
    }

    /// Total findings.
    pub fn findings(&self) -> usize {
        self.error_findings + self.warning_findings + self.info_findings
    }
}
