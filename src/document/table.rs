//! Tables: rows and columns found in the folded text, with header labels, row-label
//! paths and cells that carry their spans and parsed numbers.
//!
//! Every input format arrives here as lines (HTML and DOCX tables are extracted as
//! `| a | b |` rows, one per `<tr>`/`<w:tr>`, spanned cells written as empty cells), so
//! one recogniser serves them all. A table row is a line that splits into cells:
//!
//! - a pipe row `| a | b |` (markdown; `|---|` separator lines are skipped);
//! - cells separated by tabs, or by runs of two or more spaces;
//! - a label followed by at least three numbers separated by single spaces (tables
//!   flattened by PDF extraction: `1.属于国家秘密 0 0 0 0 0 0 0`).
//!
//! A run of such lines is a table when one row holds at least two numbers, and there
//! are two rows or one row of four or more numbers (a flattened one-line table); rows
//! delimited by pipes or tabs need only two rows and one number. Rows
//! before the first row holding a number are the header. Rows are right-aligned (the
//! data cells end each row); the data columns are those from which every data row holds
//! only numbers or blanks (`""`, `/`, `-`, `—`, `无`, `不适用`); cells left of them are row
//! labels. A column's label joins its header cells top to bottom (`申请人情况/法人或其他
//! 组织/商业企业`), an empty header cell under-spanned by a group heading taking the group's
//! text from its left. A row's label joins its label cells with those of the rows it is
//! nested in, by numbering (`三、本年度办理结果/(三)不予公开/1.属于国家秘密`): so a label
//! written once over a rowspan, or omitted in a flattened table, is still found.
//! A table whose rows do not all hold a cell in every data column is marked uncertain.

use std::ops::Range;

use super::headings;
use super::parse::text_ref;
use super::{NumberingStyle, TextRef};
use crate::fold::Folded;

/// What a cell holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellKind {
    /// A number.
    Number,
    /// Nothing (an empty cell, or a cell the row does not have).
    Blank,
    /// A placeholder for nothing: `/`, `-`, `—`, `无`, `不适用`.
    Dash,
    /// Other text.
    Text,
}

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// The cell's trimmed text and position (an empty range where it is blank).
    pub at: TextRef,
    /// What it holds.
    pub kind: CellKind,
    /// Its number, for a number cell (`96171.6`, `1,062`, `251000元`).
    pub value: Option<f64>,
    /// Half the unit of the last stated digit (0.5 for integers).
    pub precision: f64,
}

/// A data column.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// The header path, joined with `/` (empty when the table has no header).
    pub label: String,
    /// The header cells making up the label, top to bottom.
    pub header: Vec<TextRef>,
}

/// A data row.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The label path, joined with `/`.
    pub label: String,
    /// This row's own label cells.
    pub labels: Vec<TextRef>,
    /// One cell per data column.
    pub cells: Vec<Cell>,
    /// The whole line.
    pub at: TextRef,
}

/// A table.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The nearest non-empty line before the table, if any.
    pub caption: Option<TextRef>,
    /// Index of the innermost section holding the table.
    pub section: usize,
    /// The data columns.
    pub columns: Vec<Column>,
    /// The data rows (header rows excluded).
    pub rows: Vec<Row>,
    /// The table's extent.
    pub at: TextRef,
    /// Its shape had to be guessed: some row lacks cells for some data columns.
    pub uncertain: bool,
}

/// A line split into cells (folded byte ranges, trimmed; empty ranges for empty cells).
#[derive(Debug)]
struct RawRow {
    line: Range<usize>,
    cells: Vec<Range<usize>>,
    /// A markdown `|---|` line: part of the table, no content.
    separator: bool,
    /// Cells delimited by pipes or tabs (not guessed from spaces).
    explicit: bool,
}

/// Find the tables of a folded text. Returns them with `section` 0 (the parser fills it
/// in) and the folded ranges of every line that belongs to a table.
pub(crate) fn find(folded: &Folded) -> (Vec<Table>, Vec<Range<usize>>) {
    let text = folded.text.as_str();
    let mut tables = Vec::new();
    let mut table_lines = Vec::new();
    let mut block: Vec<RawRow> = Vec::new();
    let mut last_other: Option<Range<usize>> = None;
    let mut caption: Option<Range<usize>> = None;
    let flush = |block: &mut Vec<RawRow>,
                 caption: &Option<Range<usize>>,
                 tables: &mut Vec<Table>,
                 table_lines: &mut Vec<Range<usize>>| {
        if let Some(t) = build(folded, block, caption.clone()) {
            table_lines.extend(block.iter().map(|r| r.line.clone()));
            tables.push(t);
        }
        block.clear();
    };
    for (abs, raw) in crate::span::lines(text) {
        // Tabs are cell separators: leading and trailing ones are empty cells.
        let keep_tabs = |c: char| c.is_whitespace() && c != '\t';
        let lead = raw.len() - raw.trim_start_matches(keep_tabs).len();
        let line = raw.trim_matches(keep_tabs);
        if line.is_empty() {
            // A blank line ends a table; it does not change the caption.
            let old = std::mem::take(&mut block);
            let mut b = old;
            flush(&mut b, &caption, &mut tables, &mut table_lines);
            continue;
        }
        let range = abs + lead..abs + lead + line.len();
        match split(text, range.clone()) {
            Some(row) => {
                if block.is_empty() {
                    caption = last_other.clone();
                }
                block.push(row);
            }
            None => {
                flush(&mut block, &caption, &mut tables, &mut table_lines);
                last_other = Some(range);
            }
        }
    }
    flush(&mut block, &caption, &mut tables, &mut table_lines);
    (tables, table_lines)
}

/// Split one trimmed line (folded range `line`) into cells, if it is a table row.
fn split(text: &str, line: Range<usize>) -> Option<RawRow> {
    let s = text.get(line.clone())?;
    let base = line.start;
    let trimmed = |r: Range<usize>| -> Range<usize> {
        let piece = text.get(r.clone()).unwrap_or("");
        let lead = piece.len() - piece.trim_start().len();
        let body = piece.trim();
        r.start + lead..r.start + lead + body.len()
    };
    if s.starts_with('|') {
        let separator = s.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '));
        let mut cells = Vec::new();
        let mut from = base + 1;
        for (i, _) in s.match_indices('|').skip(1) {
            cells.push(trimmed(from..base + i));
            from = base + i + 1;
        }
        if from < line.end {
            // No closing pipe: the rest is the last cell.
            cells.push(trimmed(from..line.end));
        }
        return Some(RawRow {
            line,
            cells,
            separator,
            explicit: true,
        });
    }
    let mut cells: Vec<Range<usize>> = Vec::new();
    let explicit = memchr::memchr(b'\t', s.as_bytes()).is_some();
    if explicit {
        let mut from = base;
        for (i, _) in s.match_indices('\t') {
            cells.push(trimmed(from..base + i));
            from = base + i + 1;
        }
        cells.push(trimmed(from..line.end));
    } else {
        // Runs of two or more spaces, found by a vectorised search: every line of a
        // report is tried as a row, and most hold none.
        let bytes = s.as_bytes();
        let mut from = 0;
        for i in memchr::memmem::find_iter(bytes, b"  ") {
            if i < from {
                // Inside the run just split at.
                continue;
            }
            let run = bytes
                .get(i..)
                .map_or(0, |r| r.iter().take_while(|&&b| b == b' ').count());
            cells.push(base + from..base + i);
            from = i + run;
        }
        cells.push(base + from..line.end);
    }
    // A last cell ending in single-space-separated numbers: split them off.
    if let Some(last) = cells.pop() {
        let piece = text.get(last.clone()).unwrap_or("");
        // Most lines are prose: look at the last character, then at the last three
        // words, before splitting them all.
        let ends_in_numbers = piece.trim_end().ends_with(may_end_number_cell)
            && piece
                .rsplit(' ')
                .filter(|t| !t.is_empty())
                .take(3)
                .filter(|t| matches!(classify(t).0, CellKind::Number | CellKind::Dash))
                .count()
                == 3;
        let tokens: Vec<(usize, &str)> = if !ends_in_numbers {
            Vec::new()
        } else {
            piece
                .split(' ')
                .scan(0usize, |at, tok| {
                    let here = *at;
                    *at += tok.len() + 1;
                    Some((here, tok))
                })
                .filter(|(_, t)| !t.is_empty())
                .collect()
        };
        let numeric = tokens
            .iter()
            .rev()
            .take_while(|(_, t)| matches!(classify(t).0, CellKind::Number | CellKind::Dash))
            .count();
        if numeric >= 3 && tokens.len() > 1 {
            let first_num = tokens.len() - numeric;
            // The label, split where a numbered label starts ("(三)不予公开 1.属于…").
            let mut label: Option<Range<usize>> = None;
            for (at, t) in tokens.iter().take(first_num) {
                let r = last.start + at..last.start + at + t.len();
                label = match label {
                    Some(l) if headings::numbered(t).is_some() => {
                        cells.push(l);
                        Some(r)
                    }
                    Some(l) => Some(l.start..r.end),
                    None => Some(r),
                };
            }
            cells.extend(label);
            for (at, t) in tokens.iter().skip(first_num) {
                cells.push(last.start + at..last.start + at + t.len());
            }
        } else {
            cells.push(last);
        }
    }
    let numbers = cells
        .iter()
        .filter(|r| classify(text.get((*r).clone()).unwrap_or("")).0 == CellKind::Number)
        .count();
    // Two cells of prose are not a row; a row has numbers or is a header of short cells.
    let short = cells
        .iter()
        .skip(1)
        .all(|r| text.get(r.clone()).is_some_and(|c| c.chars().count() <= 30));
    (cells.len() >= 2 && (numbers > 0 || short)).then_some(RawRow {
        line,
        cells,
        separator: false,
        explicit,
    })
}

/// Whether a cell ending in `c` may be a number or a dash (see [`classify`]): a digit,
/// a separator, a unit or the end of a dash. Never false for such a cell.
fn may_end_number_cell(c: char) -> bool {
    c.is_ascii_digit()
        || matches!(
            c,
            ',' | '.'
                | '元'
                | '万'
                | '亿'
                | '件'
                | '条'
                | '个'
                | '项'
                | '/'
                | '-'
                | '—'
                | '–'
                | '无'
                | '用'
                | '\\'
        )
}

/// What a cell's text holds: its kind, value and precision.
fn classify(cell: &str) -> (CellKind, Option<f64>, f64) {
    let c = cell.trim();
    if c.is_empty() {
        return (CellKind::Blank, None, 0.0);
    }
    if matches!(
        c,
        "/" | "-" | "—" | "–" | "——" | "--" | "无" | "不适用" | "\\"
    ) {
        return (CellKind::Dash, None, 0.0);
    }
    // A number, optionally signed, with thousands separators, then at most a short unit.
    // Most cells are labels: those not starting like a number are text at once.
    if !c.starts_with(|ch: char| ch.is_ascii_digit() || ch == '-' || ch == '+') {
        return (CellKind::Text, None, 0.0);
    }
    let digits_end = c
        .char_indices()
        .find(|&(i, ch)| {
            !(ch.is_ascii_digit() || ch == ',' || ch == '.' || (i == 0 && (ch == '-' || ch == '+')))
        })
        .map_or(c.len(), |(i, _)| i);
    let (num, unit) = c.split_at(digits_end);
    let unit_ok = unit.is_empty()
        || (unit.chars().count() <= 2
            && unit
                .chars()
                .all(|ch| matches!(ch, '元' | '万' | '亿' | '件' | '条' | '个' | '项')));
    let bare = num.trim_start_matches(['-', '+']);
    if !unit_ok || bare.is_empty() || !bare.starts_with(|ch: char| ch.is_ascii_digit()) {
        return (CellKind::Text, None, 0.0);
    }
    let plain: std::borrow::Cow<str> = if num.contains(',') {
        num.chars()
            .filter(|&ch| ch != ',')
            .collect::<String>()
            .into()
    } else {
        num.into()
    };
    match plain.parse::<f64>() {
        Ok(v) if v.is_finite() => {
            let decimals = plain.split_once('.').map_or(0, |(_, d)| d.len());
            let precision = 0.5 * 10f64.powi(-(decimals.min(12) as i32));
            (CellKind::Number, Some(v), precision)
        }
        _ => (CellKind::Text, None, 0.0),
    }
}

/// Numbering rank of a row label (unnumbered labels nest under everything).
fn label_rank(label: &str) -> u8 {
    match headings::numbered(label).map(|h| h.marker.style) {
        Some(NumberingStyle::Part) => 0,
        Some(NumberingStyle::Chinese) => 1,
        Some(NumberingStyle::ChineseParen) => 2,
        Some(NumberingStyle::Arabic) => 3,
        Some(NumberingStyle::ArabicParen) => 4,
        Some(NumberingStyle::Circled) => 5,
        None => 6,
    }
}

/// Build a table from a run of rows, if it is one.
fn build(folded: &Folded, block: &[RawRow], caption: Option<Range<usize>>) -> Option<Table> {
    let text = folded.text.as_str();
    let rows: Vec<&RawRow> = block.iter().filter(|r| !r.separator).collect();
    let kinds: Vec<Vec<(CellKind, Option<f64>, f64)>> = rows
        .iter()
        .map(|r| {
            r.cells
                .iter()
                .map(|c| classify(text.get(c.clone()).unwrap_or("")))
                .collect()
        })
        .collect();
    let numbers = |k: &Vec<(CellKind, Option<f64>, f64)>| {
        k.iter().filter(|c| c.0 == CellKind::Number).count()
    };
    let most = kinds.iter().map(numbers).max().unwrap_or(0);
    // Rows delimited by pipes or tabs need only one number (`| 行政许可 | 1,062 |`
    // under its header); rows guessed from spaces need two, or four on a lone line.
    let explicit = rows.iter().all(|r| r.explicit);
    let enough = if explicit && rows.len() >= 2 {
        most >= 1
    } else {
        most >= 2 && (rows.len() >= 2 || most >= 4)
    };
    if !enough {
        return None;
    }
    let first_data = kinds.iter().position(|k| numbers(k) > 0)?;
    let width = rows.iter().map(|r| r.cells.len()).max()?;
    // Right-align: the data cells end every row.
    let pad = |n: usize| width - n;
    // Data columns start where every data row holds only numbers or blanks.
    let mut data_start = 0;
    for k in kinds.iter().skip(first_data) {
        let p = pad(k.len());
        let from_end = k.iter().rev().take_while(|c| c.0 != CellKind::Text).count();
        // Padding is blank: a row of numbers only does not push the data columns right.
        if from_end < k.len() {
            data_start = data_start.max(p + k.len() - from_end);
        }
    }
    // A leading column with no number in any data row and no header text is an empty
    // label column (a colspan written as an empty cell), not data.
    while data_start < width {
        let c = data_start;
        let has_number = kinds.iter().skip(first_data).any(|k| {
            c.checked_sub(pad(k.len()))
                .and_then(|i| k.get(i))
                .is_some_and(|x| x.0 == CellKind::Number)
        });
        let has_header = rows.iter().take(first_data).any(|r| {
            c.checked_sub(pad(r.cells.len()))
                .and_then(|i| r.cells.get(i))
                .is_some_and(|x| !x.is_empty())
        });
        if has_number || has_header {
            break;
        }
        data_start += 1;
    }
    if data_start >= width {
        return None;
    }
    let ndata = width - data_start;

    // Column labels from the header rows.
    let header: Vec<Vec<Option<TextRef>>> = rows
        .iter()
        .take(first_data)
        .map(|r| {
            let p = pad(r.cells.len());
            (data_start..width)
                .map(|c| {
                    c.checked_sub(p)
                        .and_then(|i| r.cells.get(i))
                        .filter(|range| !range.is_empty())
                        .map(|range| text_ref(folded, range.clone()))
                })
                .collect()
        })
        .collect();
    let mut filled = header.clone();
    for (h, row) in filled.iter_mut().enumerate() {
        for c in 1..row.len() {
            let empty = row.get(c).is_some_and(Option::is_none);
            let below = header
                .iter()
                .skip(h + 1)
                .any(|r| r.get(c).is_some_and(Option::is_some));
            if empty && below {
                let left = row.get(c - 1).cloned().flatten();
                if let Some(slot) = row.get_mut(c) {
                    *slot = left;
                }
            }
        }
    }
    let columns = (0..ndata)
        .map(|c| {
            let cells: Vec<TextRef> = filled
                .iter()
                .filter_map(|r| r.get(c).cloned().flatten())
                .collect();
            Column {
                label: cells.iter().map(|t| &*t.text).collect::<Vec<_>>().join("/"),
                header: cells,
            }
        })
        .collect();

    // Data rows, their label paths nested by numbering.
    let mut uncertain = false;
    let mut open: Vec<(u8, String)> = Vec::new();
    let mut out_rows = Vec::new();
    for (r, k) in rows.iter().zip(&kinds).skip(first_data) {
        let p = pad(r.cells.len());
        let mut labels = Vec::new();
        for c in 0..data_start {
            let Some(range) = c.checked_sub(p).and_then(|i| r.cells.get(i)) else {
                continue;
            };
            if range.is_empty() {
                continue;
            }
            let t = text_ref(folded, range.clone());
            let rank = label_rank(&t.text);
            while open.last().is_some_and(|(rk, _)| *rk >= rank) {
                open.pop();
            }
            open.push((rank, t.text.to_string()));
            labels.push(t);
        }
        if p > data_start {
            uncertain = true;
        }
        let cells = (data_start..width)
            .map(
                |c| match c.checked_sub(p).and_then(|i| r.cells.get(i).zip(k.get(i))) {
                    Some((range, &(kind, value, precision))) => Cell {
                        at: text_ref(folded, range.clone()),
                        kind,
                        value,
                        precision,
                    },
                    None => Cell {
                        // A missing cell stands at the start of its row.
                        at: text_ref(folded, r.line.start..r.line.start),
                        kind: CellKind::Blank,
                        value: None,
                        precision: 0.0,
                    },
                },
            )
            .collect();
        out_rows.push(Row {
            label: open
                .iter()
                .map(|(_, l)| l.as_str())
                .collect::<Vec<_>>()
                .join("/"),
            labels,
            cells,
            at: text_ref(folded, r.line.clone()),
        });
    }
    let start = block.first()?.line.start;
    let end = block.last()?.line.end;
    Some(Table {
        caption: caption.map(|c| text_ref(folded, c)),
        section: 0,
        columns,
        rows: out_rows,
        at: text_ref(folded, start..end),
        uncertain,
    })
}

impl Table {
    /// Index of the first row whose label path matches `pred`.
    pub fn row_index(&self, pred: impl Fn(&str) -> bool) -> Option<usize> {
        self.rows.iter().position(|r| pred(&r.label))
    }

    /// Index of the first column whose label matches `pred`.
    pub fn column_index(&self, pred: impl Fn(&str) -> bool) -> Option<usize> {
        self.columns.iter().position(|c| pred(&c.label))
    }

    /// The cell at row `r`, column `c`.
    pub fn cell(&self, r: usize, c: usize) -> Option<&Cell> {
        self.rows.get(r).and_then(|row| row.cells.get(c))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tables(src: &str) -> Vec<Table> {
        find(&Folded::new(src)).0
    }

    #[test]
    fn cells_are_classified() {
        assert_eq!(classify("1,062").1, Some(1062.0));
        assert_eq!(classify("96171.6").2, 0.05);
        assert_eq!(classify("251000元").1, Some(251000.0));
        assert_eq!(classify("-8").1, Some(-8.0));
        assert_eq!(classify("/").0, CellKind::Dash);
        assert_eq!(classify("").0, CellKind::Blank);
        assert_eq!(classify("规章").0, CellKind::Text);
        assert_eq!(classify("2.其他").0, CellKind::Text);
    }

    #[test]
    fn every_number_or_dash_cell_ends_like_one() {
        let atoms = [
            "1",
            "0",
            "9",
            ",",
            ".",
            "-",
            "+",
            "元",
            "万",
            "亿",
            "件",
            "条",
            "个",
            "项",
            "/",
            "—",
            "–",
            "无",
            "不适用",
            "\\",
            "年",
            "%",
            "a",
            " ",
            "。",
            "１",
        ];
        // Every string of up to three atoms: the prefilter must pass each one that
        // `classify` calls a number or a dash.
        let mut cells = vec![String::new()];
        for _ in 0..3 {
            let longer: Vec<String> = cells
                .iter()
                .flat_map(|c| atoms.iter().map(move |a| format!("{c}{a}")))
                .collect();
            cells.extend(longer);
        }
        for cell in &cells {
            if matches!(classify(cell).0, CellKind::Number | CellKind::Dash) {
                assert!(
                    cell.trim_end().ends_with(may_end_number_cell),
                    "{cell:?} is a number or dash cell"
                );
            }
        }
    }

    #[test]
    fn markdown_table_with_multilevel_header_and_nested_rows() {
        let src = "三、收到和处理政府信息公开申请情况\n\
| 说明 | | | 申请人情况 | | | | | | |\n\
|---|---|---|---|---|---|---|---|---|---|\n\
| | | | 自然人 | 法人或其他组织 | | | | | 总计 |\n\
| | | | | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | |\n\
| 一、本年新收政府信息公开申请数量 | | | 10 | 2 | 0 | 0 | 0 | 1 | 13 |\n\
| 三、本年度办理结果 | (三)不予公开 | 1.属于国家秘密 | 1 | / | - | | 0 | 0 | 1 |\n\
| | | 2.其他法律行政法规禁止公开 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n\
| | (七)总计 | | 9 | 2 | 0 | 0 | 0 | 1 | 12 |\n";
        let t = tables(src);
        assert_eq!(t.len(), 1);
        let t = &t[0];
        assert_eq!(
            &*t.caption.as_ref().unwrap().text,
            "三、收到和处理政府信息公开申请情况"
        );
        assert_eq!(t.columns.len(), 7);
        assert_eq!(t.columns[0].label, "申请人情况/自然人");
        assert_eq!(t.columns[2].label, "申请人情况/法人或其他组织/科研机构");
        assert_eq!(t.columns[6].label, "申请人情况/总计");
        assert_eq!(t.rows.len(), 4);
        assert_eq!(
            t.rows[2].label,
            "三、本年度办理结果/(三)不予公开/2.其他法律行政法规禁止公开"
        );
        assert_eq!(t.rows[3].label, "三、本年度办理结果/(七)总计");
        assert_eq!(t.rows[1].cells[1].kind, CellKind::Dash);
        assert_eq!(t.rows[1].cells[3].kind, CellKind::Blank);
        assert!(!t.uncertain);
        // The cell span covers the digits.
        let c = &t.rows[0].cells[6];
        assert_eq!(&src[c.at.span.start..c.at.span.end], "13");
    }

    #[test]
    fn flattened_rows_and_space_runs() {
        let src = "表格\n信息内容  本年制发件数  本年废止件数  现行有效件数\n规章  3  0  12\n行政规范性文件  5  1  40\n\n(三)不予公开 1.属于国家秘密 0 0 0 0 0 0 0\n2.其他法律行政法规禁止公开 1 0 0 0 0 0 1\n";
        let t = tables(src);
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].columns[1].label, "本年废止件数");
        assert_eq!(t[0].rows[1].cells[2].value, Some(40.0));
        assert_eq!(
            t[1].rows[1].label,
            "(三)不予公开/2.其他法律行政法规禁止公开"
        );
        assert_eq!(t[1].columns.len(), 7);
    }

    #[test]
    fn one_line_of_numbers_and_full_width_digits() {
        let t = tables(
            "四、行政复议\n| １ | 0 | 0 | 0 | 1 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n",
        );
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].rows.len(), 1);
        assert_eq!(t[0].rows[0].cells.len(), 15);
        assert_eq!(t[0].rows[0].cells[0].value, Some(1.0));
    }

    #[test]
    fn prose_is_not_a_table() {
        assert!(tables("2019年，共收到申请 12 件，办结 10 件。\n另有 2 件结转。\n").is_empty());
        assert!(tables("截至 2019 年 12 月 31 日\n").is_empty());
    }

    #[test]
    fn table_rows_are_not_headings() {
        let doc = crate::document::Document::parse(&Folded::new(
            "三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量  5  0  5\n二、上年结转政府信息公开申请数量  1  0  1\n四、行政复议\n",
        ));
        let titles: Vec<&str> = doc.headings().map(|(_, h)| h.title.text.as_ref()).collect();
        assert_eq!(titles, ["收到和处理政府信息公开申请情况", "行政复议"]);
        assert_eq!(doc.tables.len(), 1);
        assert_eq!(doc.tables[0].section, 1);
    }

    #[test]
    fn ragged_rows_are_uncertain() {
        let t = tables("| a | b | c |\n| x | 1 | 2 |\n| 3 |\n");
        assert!(t[0].uncertain);
    }
}
