//! CSV output: `path,line,column,rule,severity,message`, one row per finding,
//! quoted per RFC 4180 (CRLF line ends).

use crate::findings::FileReport;

use super::{display_path, FILE_ERROR_RULE};

/// The header row.
pub const HEADER: &str = "path,line,column,rule,severity,message";

/// Quote a field when it needs it (comma, quote, CR or LF), doubling quotes.
pub fn field(s: &str) -> String {
    if s.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn row(out: &mut String, cells: [&str; 6]) {
    let cells: Vec<String> = cells.iter().map(|c| field(c)).collect();
    out.push_str(&cells.join(","));
    out.push_str("\r\n");
}

/// Every finding as a row; a file that could not be checked is a row with rule
/// `file-error`, severity `error`, line 1, column 1.
pub fn render(reports: &[FileReport]) -> String {
    format!("{HEADER}\r\n{}", rows(reports))
}

/// The rows of [`render`] without the header, for output printed batch by batch.
pub fn rows(reports: &[FileReport]) -> String {
    let mut out = String::new();
    for report in reports {
        let path = display_path(&report.path);
        if let Some(e) = &report.error {
            row(
                &mut out,
                [&path, "1", "1", FILE_ERROR_RULE, "error", &e.message],
            );
        }
        for f in &report.findings {
            let (line, col) = f
                .labels
                .first()
                .map(|l| (l.line, l.column))
                .unwrap_or((1, 1));
            row(
                &mut out,
                [
                    &path,
                    &line.to_string(),
                    &col.to_string(),
                    &f.rule,
                    f.severity.as_str(),
                    &f.message,
                ],
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_per_rfc_4180() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("a\nb"), "\"a\nb\"");
    }
}
