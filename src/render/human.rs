//! Human output: each finding as a miette diagnostic with the report snippet, a label
//! on every operand, help and notes.

use std::fmt::{self, Write as _};
use std::sync::Arc;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode,
};

use crate::findings::{FileReport, Finding, Summary};
use crate::rules::Severity;

/// How to draw.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// Use colour.
    pub color: bool,
    /// Wrap at this many columns.
    pub width: usize,
}

struct FindingDiagnostic<'a> {
    finding: &'a Finding,
    source: NamedSource<Arc<str>>,
    help: Option<String>,
}

impl fmt::Debug for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)
    }
}

impl fmt::Display for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)
    }
}

impl std::error::Error for FindingDiagnostic<'_> {}

impl Diagnostic for FindingDiagnostic<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(&self.finding.rule))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        if self.finding.labels.is_empty() {
            None
        } else {
            Some(&self.source)
        }
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.finding.labels.is_empty() {
            return None;
        }
        Some(Box::new(self.finding.labels.iter().enumerate().map(
            |(i, l)| {
                let span = (l.start, l.end - l.start);
                if i == 0 {
                    LabeledSpan::new_primary_with_span(Some(l.text.clone()), span)
                } else {
                    LabeledSpan::new_with_span(Some(l.text.clone()), span)
                }
            },
        )))
    }
}

fn help_text(f: &Finding) -> Option<String> {
    let mut parts: Vec<String> = f.notes.clone();
    if let Some(h) = &f.help {
        parts.push(h.clone());
    }
    if let Some(r) = &f.reference {
        parts.push(format!("reference: {r}"));
    }
    (!parts.is_empty()).then(|| parts.join("\n"))
}

/// Render one file's findings (or its error).
pub fn render_file(report: &FileReport, style: Style) -> String {
    let mut out = String::new();
    let path = report.path.display().to_string();
    if let Some(e) = &report.error {
        let _ = writeln!(out, "{path}: error[{}]: {}", e.kind, e.message);
        return out;
    }
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(style.width);
    let text: Arc<str> = report.source.clone().unwrap_or_else(|| Arc::from(""));
    for f in &report.findings {
        let d = FindingDiagnostic {
            finding: f,
            source: NamedSource::new(path.clone(), text.clone()),
            help: help_text(f),
        };
        if f.labels.is_empty() {
            let _ = writeln!(out, "{path}:");
        }
        let _ = handler.render_report(&mut out, &d);
        out.push('\n');
    }
    if let Some(t) = report.truncated {
        let _ = writeln!(
            out,
            "{path}: {} more finding(s) not shown: over the limit of {} per file (--max-findings)\n",
            t.total.saturating_sub(t.limit),
            t.limit
        );
    }
    out
}

/// One line per finding: `path:line:col: rule [severity] message`.
pub fn render_concise(reports: &[FileReport]) -> String {
    let mut out = String::new();
    for r in reports {
        let path = r.path.display();
        if let Some(e) = &r.error {
            let _ = writeln!(out, "{path}:1:1: error[{}] {}", e.kind, e.message);
        }
        for f in &r.findings {
            let (line, col) = f
                .labels
                .first()
                .map(|l| (l.line, l.column))
                .unwrap_or((1, 1));
            let _ = writeln!(
                out,
                "{path}:{line}:{col}: {} [{}] {}",
                f.rule, f.severity, f.message
            );
        }
    }
    out
}

/// The one-line summary of a run.
pub fn render_summary(s: &Summary, elapsed: std::time::Duration) -> String {
    format!(
        "{} file(s) checked in {:.2}s: {} finding(s) ({} error, {} warning, {} info) in {} file(s); {} not applicable; {} file(s) could not be checked",
        s.files,
        elapsed.as_secs_f64(),
        s.findings(),
        s.error_findings,
        s.warning_findings,
        s.info_findings,
        s.files_with_findings,
        s.not_applicable,
        s.errors
    )
}
