//! Human output: each finding as a miette diagnostic with the report snippet, a label
//! on every operand, help and notes.

use std::fmt::{self, Write as _};
use std::sync::Arc;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
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
    source: &'a IndexedSource,
    help: Option<String>,
}

/// A named source text with its line starts, so a snippet is cut from the lines around
/// a label instead of from a scan of the whole file.
///
/// miette's `SourceCode for str` walks the text from byte 0 for every label: with many
/// findings in a long report, that walk was over 90% of a whole-pack run (see
/// docs/performance.md). This gives byte-identical snippets: it hands miette's own
/// `read_span` the text from the start of the first context line, then shifts line
/// numbers and offsets back.
struct IndexedSource {
    name: String,
    text: Arc<str>,
    /// Byte offset of every line start (0 first); `None` when the text holds a `\r`,
    /// whose line counting (`\r\n` once, a lone `\r` too) is left to miette's own walk.
    line_starts: Option<Vec<usize>>,
}

impl IndexedSource {
    fn new(name: String, text: Arc<str>) -> Self {
        let line_starts = (!text.contains('\r')).then(|| {
            std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        });
        IndexedSource {
            name,
            text,
            line_starts,
        }
    }

    /// Where to start reading for a span at `offset` with `before` context lines: the
    /// start of the first context line and the number of lines above it. Starting there
    /// leaves miette's walk with exactly the lines it keeps.
    fn base(&self, offset: usize, before: usize) -> (usize, usize) {
        let Some(starts) = &self.line_starts else {
            return (0, 0);
        };
        // Lines whose terminating newline lies before `offset` (miette's count).
        let line = starts.partition_point(|&s| s <= offset).saturating_sub(1);
        match line.checked_sub(before) {
            Some(first) => (starts.get(first).copied().unwrap_or(0), first),
            None => (0, 0),
        }
    }
}

/// The column of byte `at` in characters (as `inspect`, concise and JSON output count
/// them: `1:6`, not `1:16`, for the sixth character of a Chinese line); miette counts
/// bytes (`bytes`, kept when `at` is not a character boundary).
fn char_column(text: &str, at: usize, bytes: usize) -> usize {
    let Some(before) = text.get(..at) else {
        return bytes;
    };
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    before[line_start..].chars().count()
}

impl SourceCode for IndexedSource {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        // An empty span ends "one byte before" its offset in miette's walk, which
        // starting at the offset would change: it keeps the whole-text walk.
        let (base, lines_above) = if span.is_empty() {
            (0, 0)
        } else {
            self.base(span.offset(), context_lines_before)
        };
        let rest = self.text.get(base..).ok_or(MietteError::OutOfBounds)?;
        let shifted = SourceSpan::new(span.offset().saturating_sub(base).into(), span.len());
        let inner = rest.read_span(&shifted, context_lines_before, context_lines_after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            SourceSpan::new((inner.span().offset() + base).into(), inner.span().len()),
            inner.line() + lines_above,
            char_column(&self.text, inner.span().offset() + base, inner.column()),
            inner.line_count() + lines_above,
        )))
    }
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
            Some(self.source)
        }
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.finding.labels.is_empty() {
            return None;
        }
        Some(Box::new(
            self.finding
                .labels
                .iter()
                .take(MAX_LABELS)
                .enumerate()
                .map(|(i, l)| {
                    let span = (l.start, l.end - l.start);
                    if i == 0 {
                        LabeledSpan::new_primary_with_span(Some(l.text.clone()), span)
                    } else {
                        LabeledSpan::new_with_span(Some(l.text.clone()), span)
                    }
                }),
        ))
    }
}

/// Labels drawn per finding: a finding that labels hundreds of places (damaged text all
/// through a page) stays readable; every label is still in the machine formats.
const MAX_LABELS: usize = 12;

fn help_text(f: &Finding) -> Option<String> {
    let mut parts: Vec<String> = f.notes.clone();
    if f.labels.len() > MAX_LABELS {
        parts.push(format!(
            "{} more place(s) not shown here; `--format json` lists them all",
            f.labels.len() - MAX_LABELS
        ));
    }
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
    let source = IndexedSource::new(path.clone(), text);
    for f in &report.findings {
        let d = FindingDiagnostic {
            finding: f,
            source: &source,
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
    let mut line = format!(
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
    );
    // Only runs with waivers or a baseline mention them, so the usual line stays short.
    if s.waived > 0 || s.stale_waivers > 0 {
        line += &format!(
            "; {} waived ({} stale waiver(s))",
            s.waived, s.stale_waivers
        );
    }
    if s.baselined > 0 {
        line += &format!("; {} in the baseline", s.baselined);
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What miette's own `SourceCode for str` gives, as comparable parts.
    fn parts(c: &dyn SpanContents<'_>) -> (Vec<u8>, usize, usize, usize, usize, usize) {
        (
            c.data().to_vec(),
            c.span().offset(),
            c.span().len(),
            c.line(),
            c.column(),
            c.line_count(),
        )
    }

    #[test]
    fn indexed_source_reads_the_same_spans_as_a_whole_text_walk() {
        let texts = [
            "第一行\n第二行有数字497件\n\n第四行。\n最后一行",
            "\n\n开头是空行\n中间\n结尾\n",
            "一行\r\n二行\r\n三行\r四行",
            "单独一行",
        ];
        for text in texts {
            let src = IndexedSource::new("f.txt".into(), Arc::from(text));
            let bounds: Vec<usize> = (0..=text.len())
                .filter(|&i| text.is_char_boundary(i))
                .collect();
            for &start in &bounds {
                for &end in bounds.iter().filter(|&&e| e >= start) {
                    for ctx in 0..3 {
                        let span = SourceSpan::new(start.into(), end - start);
                        let want = text.read_span(&span, ctx, ctx);
                        let got = src.read_span(&span, ctx, ctx);
                        match (want, got) {
                            (Ok(w), Ok(g)) => {
                                // The same snippet; the column counted in characters.
                                let mut want = parts(&*w);
                                let at = w.span().offset();
                                want.4 = char_column(text, at, want.4);
                                assert_eq!(want, parts(&*g), "{text:?} {start}..{end} ctx {ctx}");
                                assert_eq!(g.name(), Some("f.txt"));
                            }
                            (Err(_), Err(_)) => {}
                            (w, g) => panic!(
                                "{text:?} {start}..{end} ctx {ctx}: {:?} vs {:?}",
                                w.is_ok(),
                                g.is_ok()
                            ),
                        }
                    }
                }
            }
        }
    }
}
