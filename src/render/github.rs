//! GitHub Actions workflow commands: one `::error …::message` line per finding, which
//! GitHub turns into annotations on the pull request.

use std::fmt::Write as _;

use crate::findings::FileReport;
use crate::rules::Severity;

use super::{display_path, Locator, FILE_ERROR_RULE};

/// Escape a command's message (`%`, `\r`, `\n`).
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a command property's value (as data, plus `:` and `,`).
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn command(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

/// Every finding (and every file that could not be checked) as a workflow command.
pub fn render(reports: &[FileReport]) -> String {
    let mut out = String::new();
    for report in reports {
        let file = escape_property(&display_path(&report.path));
        if let Some(e) = &report.error {
            let _ = writeln!(
                out,
                "::error file={file},title={}::{}",
                escape_property(&format!("{FILE_ERROR_RULE} ({})", e.kind)),
                escape_data(&e.message)
            );
            continue;
        }
        let locator = Locator::new(report.source.as_deref());
        for f in &report.findings {
            let mut props = format!("file={file}");
            if let Some(l) = f.labels.first() {
                let r = locator.region(l);
                let _ = write!(props, ",line={},endLine={}", r.start_line, r.end_line);
                // GitHub uses columns only on single-line annotations; its end column
                // is the last character's (inclusive).
                if r.start_line == r.end_line {
                    let end = r.end_column.saturating_sub(1).max(r.start_column);
                    let _ = write!(props, ",col={},endColumn={end}", r.start_column);
                }
            }
            let _ = write!(props, ",title={}", escape_property(&f.rule));
            let mut message = f.message.clone();
            for l in f.labels.iter().skip(1) {
                let r = locator.region(l);
                let _ = write!(
                    message,
                    "\n  {}:{}: {}",
                    r.start_line, r.start_column, l.text
                );
            }
            let _ = writeln!(
                out,
                "::{} {props}::{}",
                command(f.severity),
                escape_data(&message)
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_per_workflow_command_rules() {
        assert_eq!(escape_data("50% a\r\nb"), "50%25 a%0D%0Ab");
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
    }
}
