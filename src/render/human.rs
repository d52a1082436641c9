//! Human output: each finding as a miette diagnostic with the report snippet, a label
//! on every operand, help and notes.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt::{self, Write as _};

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};

use crate::findings::{FileReport, Finding, Summary};
use crate::rules::Severity;
use crate::span::SharedStr;

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

/// A named source text with its line starts, so a snippet is cut by a binary search
/// instead of a scan of the whole file.
///
/// miette's `SourceCode for str` walks the text from byte 0 for every label, and it
/// merges a finding's labels into one span that it re-reads per label: with many
/// findings in a long report, that walk was over 90% of a whole-pack run, and still a
/// quarter of it once the walk started at the first context line (see
/// docs/performance.md). The cut is byte-identical to miette's walk (a unit test
/// compares them over every span of several texts).
struct IndexedSource {
    name: String,
    text: SharedStr,
    /// Byte offset of every line start (0 first); `None` when the text holds a `\r`,
    /// whose line counting (`\r\n` once, a lone `\r` too) is left to miette's own walk.
    line_starts: Option<Vec<usize>>,
}

impl IndexedSource {
    fn new(name: String, text: SharedStr) -> Self {
        let line_starts = (memchr::memchr(b'\r', text.as_bytes()).is_none())
            .then(|| crate::span::line_starts(&text));
        IndexedSource {
            name,
            text,
            line_starts,
        }
    }

    /// The snippet miette's whole-text walk (`context_info` in its `source_impls.rs`)
    /// would cut for `span`, computed from the line starts instead of walked: that walk
    /// also crosses every byte inside the span, and miette merges all the labels of a
    /// finding into one span from the first to the last, re-read at each label, so a
    /// finding with labels across a long report cost a walk of the report per label.
    ///
    /// `None` when the text holds a `\r` or the span starts past the end.
    fn snippet(
        &self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Option<Result<Snippet, MietteError>> {
        let starts = self.line_starts.as_ref()?;
        let len = self.text.len();
        let (offset, last) = (
            span.offset(),
            (span.offset() + span.len()).saturating_sub(1),
        );
        if offset > len {
            return None;
        }
        // Newlines before the span start: the line it is on.
        let line = starts.partition_point(|&s| s <= offset) - 1;
        // The walk stops after the byte `last` with no context after, else after the
        // (after + 1)-th newline past `last` (a newline at `last` itself not counted).
        let end = if after == 0 {
            (last + 1).min(len)
        } else {
            let past = starts.partition_point(|&s| s <= last + 1);
            starts.get(past + after).copied().unwrap_or(len)
        };
        if end < last {
            return Some(Err(MietteError::OutOfBounds));
        }
        let first_line = line.saturating_sub(before);
        let (first, column) = if before == 0 {
            (offset, offset.min(len) - starts[line])
        } else {
            (starts[first_line], 0)
        };
        let line_count = starts.partition_point(|&s| s <= end) - 1;
        Some(Ok(Snippet {
            bytes: first..end,
            line: first_line,
            column,
            line_count,
        }))
    }
}

/// What miette's walk cuts for a span: the bytes, the line of the first (0-based), the
/// byte column of the span start (0 with context lines), the newlines before the end.
struct Snippet {
    bytes: std::ops::Range<usize>,
    line: usize,
    column: usize,
    line_count: usize,
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
        let Some(cut) = self.snippet(span, context_lines_before, context_lines_after) else {
            // A `\r` counts lines its own way: miette's walk of the whole text.
            let inner = self
                .text
                .read_span(span, context_lines_before, context_lines_after)?;
            return Ok(Box::new(MietteSpanContents::new_named(
                self.name.clone(),
                inner.data(),
                *inner.span(),
                inner.line(),
                char_column(&self.text, inner.span().offset(), inner.column()),
                inner.line_count(),
            )));
        };
        let cut = cut?;
        let first = cut.bytes.start;
        let data = self
            .text
            .as_bytes()
            .get(cut.bytes.clone())
            .ok_or(MietteError::OutOfBounds)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            data,
            SourceSpan::new(first.into(), cut.bytes.len()),
            cut.line,
            char_column(&self.text, first, cut.column),
            cut.line_count,
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

/// The help under a finding as miette's `render_footer` writes it: `textwrap::fill`
/// with its options (width less 2, `  help: ` then eight spaces of indent, words
/// broken). A line at a time, each remembered: `fill` wraps the lines of a text one by
/// one, with the first indent on the first only and the same width for both indents,
/// so the pieces join to the same text; and a rule's help, the same under every
/// finding, was wrapped anew each time (a tenth of a human-output run, Chinese text
/// being one long word to the wrapper).
fn help_block(help: &str, first_indent: &str, width: usize) -> String {
    thread_local! {
        static WRAPPED: RefCell<HashMap<(String, String, usize), String>> =
            RefCell::new(HashMap::new());
    }
    const REST_INDENT: &str = "        ";
    let mut out = String::new();
    for (i, line) in help.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let indent = if i == 0 { first_indent } else { REST_INDENT };
        WRAPPED.with(|cache| {
            let mut cache = cache.borrow_mut();
            // Notes differ from finding to finding: forgetting everything now and then
            // keeps memory flat over any run, and costs a rule's help one wrap more.
            if cache.len() >= 256 {
                cache.clear();
            }
            let key = (line.to_string(), indent.to_string(), width);
            let wrapped = cache.entry(key).or_insert_with(|| {
                let opts = textwrap::Options::new(width.saturating_sub(2))
                    .initial_indent(indent)
                    .subsequent_indent(REST_INDENT)
                    .break_words(true);
                textwrap::fill(line, opts)
            });
            out.push_str(wrapped);
        });
    }
    out
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
    let help_indent = theme.styles.help.style("  help: ").to_string();
    let handler = GraphicalReportHandler::new_themed(theme).with_width(style.width);
    let text = report.source.clone().unwrap_or_default();
    let source = IndexedSource::new(path.clone(), text);
    for f in &report.findings {
        let d = FindingDiagnostic {
            finding: f,
            source: &source,
            help: None,
        };
        if f.labels.is_empty() {
            let _ = writeln!(out, "{path}:");
        }
        let _ = handler.render_report(&mut out, &d);
        // The help is the last part of miette's rendering (nothing related, no
        // footer): written here as miette writes it, wrapped a line at a time.
        if let Some(help) = help_text(f) {
            let _ = writeln!(out, "{}", help_block(&help, &help_indent, style.width));
        }
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

    /// The help written after miette's rendering is what miette writes itself, for
    /// helps of one line and of several (notes, a long rule help, an empty line, a
    /// reference), with and without colour, and again from the remembered lines.
    #[test]
    fn help_block_is_what_miette_writes() {
        let long = "转载、转码或拼音标注会损坏文字：出现替换字符、汉字后夹注拼音“发(fā)布”、以“?”加字母（“评价?h政府”）、“??”或“*”代替的字。应以原始发布稿核对并改正。单个“?”夹在汉字之间可能是正常的问号，不报。";
        let helps = [
            "short".to_string(),
            long.to_string(),
            format!("100% ≠ 450/497 = 90.5%\n{long}\nreference: 《条例》第三十二条"),
            format!("note one\n\n{long} words with spaces to break between them at the edge"),
            "trailing spaces   \nnext".to_string(),
        ];
        for theme in [GraphicalTheme::unicode_nocolor(), GraphicalTheme::unicode()] {
            let indent = theme.styles.help.style("  help: ").to_string();
            let handler = GraphicalReportHandler::new_themed(theme).with_width(100);
            for help in &helps {
                let finding = Finding {
                    rule: "x/y".into(),
                    severity: Severity::Warning,
                    message: "m".into(),
                    labels: vec![],
                    title: "t".into(),
                    help: None,
                    notes: vec![],
                    reference: None,
                };
                let source = IndexedSource::new("f.txt".into(), SharedStr::from(""));
                let render = |help: Option<String>| {
                    let mut out = String::new();
                    let d = FindingDiagnostic {
                        finding: &finding,
                        source: &source,
                        help,
                    };
                    handler.render_report(&mut out, &d).unwrap();
                    out
                };
                let by_miette = render(Some(help.clone()));
                for _ in 0..2 {
                    let ours = render(None) + &help_block(help, &indent, 100) + "\n";
                    assert_eq!(ours, by_miette, "{help:?}");
                }
            }
        }
    }

    #[test]
    fn indexed_source_reads_the_same_spans_as_a_whole_text_walk() {
        let texts = [
            "第一行\n第二行有数字497件\n\n第四行。\n最后一行",
            "\n\n开头是空行\n中间\n结尾\n",
            "一行\r\n二行\r\n三行\r四行",
            "单独一行",
            "末尾换行\n\n\n",
            "\n",
            "",
            "a\nb\nc\nd\ne\nf\ng",
        ];
        for text in texts {
            let src = IndexedSource::new("f.txt".into(), SharedStr::from(text));
            let bounds: Vec<usize> = (0..=text.len())
                .filter(|&i| text.is_char_boundary(i))
                .collect();
            for &start in &bounds {
                for &end in bounds.iter().filter(|&&e| e >= start) {
                    for (before, after) in (0..4).flat_map(|b| (0..4).map(move |a| (b, a))) {
                        let ctx = (before, after);
                        let span = SourceSpan::new(start.into(), end - start);
                        let want = text.read_span(&span, before, after);
                        let got = src.read_span(&span, before, after);
                        match (want, got) {
                            (Ok(w), Ok(g)) => {
                                // The same snippet; the column counted in characters.
                                let mut want = parts(&*w);
                                let at = w.span().offset();
                                want.4 = char_column(text, at, want.4);
                                assert_eq!(want, parts(&*g), "{text:?} {start}..{end} ctx {ctx:?}");
                                assert_eq!(g.name(), Some("f.txt"));
                            }
                            (Err(_), Err(_)) => {}
                            (w, g) => panic!(
                                "{text:?} {start}..{end} ctx {ctx:?}: {:?} vs {:?}",
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
