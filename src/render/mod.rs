//! Renderers: findings for people (miette) and for machines (JSON, SARIF, GitHub
//! workflow commands, CSV, JUnit XML) and an HTML audit report for the people who
//! read an audit.

use std::path::Path;

use crate::findings::Label;
use crate::span::LineCursor;

pub mod csv;
pub mod github;
pub mod html;
pub mod human;
pub mod json;
pub mod junit;
pub mod output;
pub mod sarif;
pub mod statistics;

/// Output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Annotated snippets for people.
    Human,
    /// One line per finding: `path:line:col: rule [severity] message`.
    Concise,
    /// One JSON document (the output contract).
    Json,
    /// SARIF 2.1.0 (code scanning, IDEs).
    Sarif,
    /// GitHub Actions workflow commands (`::error file=…::…`).
    Github,
    /// CSV: `path,line,column,rule,severity,message`.
    Csv,
    /// JUnit XML: one testsuite per file, one testcase per rule.
    Junit,
    /// One self-contained HTML page: scorecard, chart, reports with findings marked.
    Html,
}

impl Format {
    /// Whether the output is meant for machines (nothing else may be mixed into it).
    pub fn is_machine(self) -> bool {
        !matches!(self, Format::Human | Format::Concise)
    }
}

/// The rule id machine formats use for a file that could not be checked (rule ids
/// always contain a `/`, so it cannot collide with one).
pub const FILE_ERROR_RULE: &str = "file-error";

/// A path as machine formats print it: relative to the working directory when it is
/// under it, with forward slashes.
pub fn display_path(path: &Path) -> String {
    let rel = if path.is_absolute() {
        std::env::current_dir()
            .ok()
            .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
            .unwrap_or_else(|| path.to_path_buf())
    } else {
        path.to_path_buf()
    };
    let s = rel.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

/// Where a label stands, counted in Unicode code points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    /// 1-based line of the first character.
    pub start_line: usize,
    /// 1-based column (code points) of the first character.
    pub start_column: usize,
    /// 1-based line of the end.
    pub end_line: usize,
    /// 1-based column (code points) just past the last character (exclusive, as SARIF
    /// wants it).
    pub end_column: usize,
    /// Code points before the first character.
    pub char_offset: usize,
    /// Code points covered.
    pub char_length: usize,
}

/// Computes [`Region`]s of labels in one file's text.
///
/// Labels are located in the order asked with one cursor, so a file with hundreds
/// of labels is walked about once, not once per label.
pub struct Locator<'a> {
    text: Option<&'a str>,
    cursor: Option<std::cell::RefCell<LineCursor<'a>>>,
}

impl<'a> Locator<'a> {
    /// A locator over a file's decoded text (`None` when it was not kept).
    pub fn new(text: Option<&'a str>) -> Self {
        Locator {
            text,
            cursor: text.map(|t| std::cell::RefCell::new(LineCursor::new(t))),
        }
    }

    /// The region of a label.
    pub fn region(&self, label: &Label) -> Region {
        match (self.text, &self.cursor) {
            (Some(text), Some(cursor)) => {
                let start = label.start.min(text.len());
                let end = label.end.clamp(start, text.len());
                let mut cursor = cursor.borrow_mut();
                let (s, e) = (cursor.locate(start), cursor.locate(end));
                Region {
                    start_line: s.line,
                    start_column: s.column,
                    end_line: e.line,
                    end_column: e.column,
                    char_offset: s.char_offset,
                    // Bytes when the label does not fall on character boundaries.
                    char_length: text
                        .get(start..end)
                        .map_or(end - start, |_| e.char_offset - s.char_offset),
                }
            }
            _ => {
                let len = label.end.saturating_sub(label.start);
                Region {
                    start_line: label.line,
                    start_column: label.column,
                    end_line: label.line,
                    end_column: label.column + len,
                    char_offset: label.start,
                    char_length: len,
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_counts_code_points() {
        let text = "标题\n二〇一七年 报告\n";
        let start = text.find("报告").unwrap();
        let label = Label {
            start,
            end: start + "报告".len(),
            line: 2,
            column: 7,
            text: "x".into(),
        };
        let r = Locator::new(Some(text)).region(&label);
        assert_eq!(
            r,
            Region {
                start_line: 2,
                start_column: 7,
                end_line: 2,
                end_column: 9,
                char_offset: 9,
                char_length: 2,
            }
        );
    }

    #[test]
    fn paths_use_forward_slashes() {
        assert_eq!(display_path(Path::new("./a/b.txt")), "a/b.txt");
        assert_eq!(display_path(Path::new("a\\b.txt")), "a/b.txt");
    }
}
