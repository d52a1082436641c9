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
        summary: summary_out(summary, elapsed),
    };
    serde_json::to_string_pretty(&out).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

fn summary_out(summary: &Summary, elapsed: Option<Duration>) -> SummaryOut<'_> {
    SummaryOut {
        summary,
        findings: summary.findings(),
        by_severity: BySeverity {
            error: summary.error_findings,
            warning: summary.warning_findings,
            info: summary.info_findings,
        },
        elapsed_ms: elapsed.map(|d| d.as_millis() as u64),
    }
}

/// The same document as [`render_timed`], written a file at a time so a run's reports
/// need not all be held at once: [`Stream::start`], then [`Stream::file`] for each
/// report in order, then [`Stream::finish`]. The bytes are those of `render_timed`
/// (a test checks it): each piece is serde_json's pretty form indented to its depth,
/// which is safe because JSON strings never hold a raw newline.
#[derive(Debug, Default)]
pub struct Stream {
    files: usize,
}

impl Stream {
    /// The document's opening, up to the files list.
    pub fn start() -> String {
        format!("{{\n  \"version\": {JSON_VERSION},\n  \"files\": [")
    }

    /// One file's entry (with the separator before it).
    pub fn file(&mut self, report: &FileReport) -> String {
        let entry = Stream::entry(report);
        format!("{}{entry}", self.separator())
    }

    /// One file's entry without its separator (can be built on any thread).
    pub fn entry(report: &FileReport) -> String {
        let body = serde_json::to_string_pretty(report)
            .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
        format!("    {}", body.replace('\n', "\n    "))
    }

    /// What goes before the next entry.
    pub fn separator(&mut self) -> &'static str {
        self.files += 1;
        if self.files == 1 {
            "\n"
        } else {
            ",\n"
        }
    }

    /// The end of the files list, the summary and the document's close.
    pub fn finish(&self, summary: &Summary, elapsed: Option<Duration>) -> String {
        let s = serde_json::to_string_pretty(&summary_out(summary, elapsed))
            .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
        let close = if self.files == 0 { "]" } else { "\n  ]" };
        format!("{close},\n  \"summary\": {}\n}}", s.replace('\n', "\n  "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::findings::{FileError, Label};

    fn report(path: &str, findings: usize) -> FileReport {
        let finding = crate::findings::Finding {
            rule: "p/r".into(),
            severity: crate::rules::Severity::Warning,
            message: "多行\n消息 \"引号\"".into(),
            labels: vec![Label {
                start: 0,
                end: 3,
                line: 1,
                column: 1,
                text: "标签".into(),
            }],
            title: "t".into(),
            help: None,
            notes: vec!["n".into()],
            reference: None,
        };
        FileReport {
            path: path.into(),
            findings: vec![finding; findings],
            not_applicable: vec!["p/x".into()],
            error: None,
            source: None,
            encoding: None,
            waived: Vec::new(),
            truncated: None,
        }
    }

    #[test]
    fn streamed_document_equals_the_whole_document() {
        let failed = FileReport::failed(
            "bad.txt".into(),
            FileError {
                kind: "empty",
                message: "bad.txt is empty".into(),
            },
        );
        let runs = [
            vec![],
            vec![report("a.txt", 0)],
            vec![report("a.txt", 2), failed, report("c.txt", 1)],
        ];
        for reports in runs {
            let summary = Summary::of(&reports);
            let elapsed = Some(Duration::from_millis(12));
            let mut stream = Stream::default();
            let mut out = Stream::start();
            for r in &reports {
                out += &stream.file(r);
            }
            out += &stream.finish(&summary, elapsed);
            assert_eq!(out, render_timed(&reports, &summary, elapsed));
        }
    }
}
