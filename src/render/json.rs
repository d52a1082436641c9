//! JSON output: the contract machines depend on (see DESIGN.md).

use std::time::Duration;

use serde::Serialize;

use crate::findings::{FileReport, Summary};

/// Version of the JSON output shape; bumped on incompatible changes.
pub const JSON_VERSION: u32 = 1;

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    files: &'a [FileReport],
    summary: SummaryOut<'a>,
}

/// The summary as printed: the [`Summary`] fields, plus totals and timing (fields are
/// only ever added here, never renamed or removed).
#[derive(Serialize)]
struct SummaryOut<'a> {
    #[serde(flatten)]
    summary: &'a Summary,
    /// All findings.
    findings: usize,
    /// Findings by severity.
    by_severity: BySeverity,
    /// Wall-clock time of the run, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    elapsed_ms: Option<u64>,
}

#[derive(Serialize)]
struct BySeverity {
    error: usize,
    warning: usize,
    info: usize,
}

/// The whole run as one JSON document.
pub fn render(reports: &[FileReport], summary: &Summary) -> String {
    render_timed(reports, summary, None)
}

/// The whole run as one JSON document, with the run's elapsed time in the summary.
pub fn render_timed(
    reports: &[FileReport],
    summary: &Summary,
    elapsed: Option<Duration>,
) -> String {
    let out = Output {
        version: JSON_VERSION,
        files: reports,
        summary: SummaryOut {
            summary,
            findings: summary.findings(),
            by_severity: BySeverity {
                error: summary.error_findings,
                warning: summary.warning_findings,
                info: summary.info_findings,
            },
            elapsed_ms: elapsed.map(|d| d.as_millis() as u64),
        },
    };
    serde_json::to_string_pretty(&out).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}
