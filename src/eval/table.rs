//! Evaluating tables: `report.tables`, `table(/re/)`, `t.cell(row, column)`, rows and
//! columns. Cell values carry the cell's span and a `row·column` label, so a failing
//! identity labels every cell it used.

use std::sync::Arc;

use super::value::{Num, Text, Value};
use super::Ctx;
use crate::document::{CellKind, Table};
use crate::span::SharedStr;

/// The functions this module evaluates.
pub(super) const FUNCTIONS: &[&str] = &["table", "tables", "cell", "row", "rows", "column"];

/// The last component of a label path (`三、…/(七)总计` → `(七)总计`).
fn leaf(label: &str) -> &str {
    label.rsplit('/').next().unwrap_or(label)
}

impl Ctx<'_> {
    fn table_of(&self, t: usize) -> Option<&Table> {
        self.doc.tables.get(t)
    }

    /// Whether table `t`'s caption or the title of a section holding it matches `re`.
    fn table_matches(&self, t: &Table, re: &regex::Regex) -> bool {
        if t.caption.as_ref().is_some_and(|c| re.is_match(&c.text)) {
            return true;
        }
        let mut s = Some(t.section);
        while let Some(i) = s {
            let Some(sec) = self.doc.sections.get(i) else {
                break;
            };
            if sec.title().is_some_and(|h| re.is_match(&h.text)) {
                return true;
            }
            s = sec.parent;
        }
        false
    }

    /// A table's members.
    pub(super) fn table_member(&self, v: &Value, name: &str) -> Value {
        let list = |v: Vec<Value>| Value::List(Arc::new(v));
        match *v {
            Value::Table(ti) => {
                let Some(t) = self.table_of(ti) else {
                    return Value::None;
                };
                match name {
                    "caption" => t
                        .caption
                        .as_ref()
                        .map(|c| self.text_ref(c))
                        .unwrap_or(Value::None),
                    "section" => match t.section {
                        0 => Value::None,
                        s => Value::Section(s),
                    },
                    "rows" => list((0..t.rows.len()).map(|r| Value::Row(ti, r)).collect()),
                    "columns" => list((0..t.columns.len()).map(|c| Value::Column(ti, c)).collect()),
                    "width" => Value::Num(Num::exact(t.columns.len() as f64)),
                    "height" => Value::Num(Num::exact(t.rows.len() as f64)),
                    "uncertain" => Value::bool(t.uncertain),
                    "text" => self.text_ref(&t.at),
                    _ => Value::None,
                }
            }
            Value::Row(ti, ri) => {
                let Some(row) = self.table_of(ti).and_then(|t| t.rows.get(ri)) else {
                    return Value::None;
                };
                match name {
                    "label" => {
                        let span = row
                            .labels
                            .iter()
                            .map(|l| l.span)
                            .reduce(|a, b| a.cover(b))
                            .unwrap_or(row.at.span);
                        Value::Text(Text {
                            text: SharedStr::from(row.label.as_str()),
                            span: Some(span),
                            folded: None,
                        })
                    }
                    "cells" => list(
                        (0..row.cells.len())
                            .map(|c| self.cell_value(ti, ri, c))
                            .collect(),
                    ),
                    "index" => Value::Num(Num::exact(ri as f64)),
                    "table" => Value::Table(ti),
                    "text" => self.text_ref(&row.at),
                    _ => Value::None,
                }
            }
            Value::Column(ti, ci) => {
                let Some(t) = self.table_of(ti) else {
                    return Value::None;
                };
                let Some(col) = t.columns.get(ci) else {
                    return Value::None;
                };
                match name {
                    "label" => Value::Text(Text {
                        text: SharedStr::from(col.label.as_str()),
                        span: col.header.last().map(|h| h.span),
                        folded: None,
                    }),
                    "cells" => list(
                        (0..t.rows.len())
                            .map(|r| self.cell_value(ti, r, ci))
                            .collect(),
                    ),
                    "index" => Value::Num(Num::exact(ci as f64)),
                    "table" => Value::Table(ti),
                    _ => Value::None,
                }
            }
            _ => Value::None,
        }
    }

    /// The number in a cell, labelled `row·column`; blanks and dashes read as 0.
    fn cell_value(&self, ti: usize, ri: usize, ci: usize) -> Value {
        let Some(t) = self.table_of(ti) else {
            return Value::None;
        };
        let (Some(row), Some(col), Some(cell)) =
            (t.rows.get(ri), t.columns.get(ci), t.cell(ri, ci))
        else {
            return Value::None;
        };
        let what = || -> Arc<str> {
            let col_name = if col.label.is_empty() {
                format!("第{}列", ci + 1)
            } else {
                leaf(&col.label).to_string()
            };
            let row_name = if row.label.is_empty() {
                format!("第{}行", ri + 1)
            } else {
                leaf(&row.label).to_string()
            };
            Arc::from(format!("{row_name}·{col_name}").as_str())
        };
        let (value, precision, stated) = match cell.kind {
            CellKind::Number => (
                cell.value.unwrap_or(0.0),
                cell.precision,
                Some(cell.at.span),
            ),
            CellKind::Blank | CellKind::Dash => (0.0, 0.0, None),
            CellKind::Text => return Value::None,
        };
        let written = || -> Arc<str> {
            match cell.kind {
                CellKind::Blank => Arc::from("空(0)"),
                CellKind::Dash => Arc::from(format!("{}(0)", cell.at.text).as_str()),
                _ => self.written(cell.at.span),
            }
        };
        Value::Num(Num {
            value,
            precision,
            percent: false,
            approx: false,
            origins: self.origin_written(cell.at.span, what, written),
            stated,
        })
    }

    /// Resolve a row selector (regex over the label path, a row, or an index).
    fn pick_row(&self, ti: usize, sel: &Value) -> Option<usize> {
        let t = self.table_of(ti)?;
        match sel {
            Value::Regex(re) => t.row_index(|l| re.is_match(l)),
            Value::Row(tj, r) if *tj == ti => Some(*r),
            Value::Num(n) => index(n.value, t.rows.len()),
            _ => None,
        }
    }

    /// Resolve a column selector (regex over the label, a column, or an index).
    fn pick_column(&self, ti: usize, sel: &Value) -> Option<usize> {
        let t = self.table_of(ti)?;
        match sel {
            Value::Regex(re) => t.column_index(|l| re.is_match(l)),
            Value::Column(tj, c) if *tj == ti => Some(*c),
            Value::Num(n) => index(n.value, t.columns.len()),
            _ => None,
        }
    }

    /// The table functions (see `FUNCTIONS`).
    pub(super) fn table_call(&self, name: &str, args: &[Value]) -> Value {
        match (name, args) {
            ("table" | "tables", [re]) | ("table" | "tables", [_, re]) => {
                let Value::Regex(re) = re else {
                    return Value::None;
                };
                let range = match args {
                    [scope, _] => match self.scope_range(scope) {
                        Some(r) => Some(r),
                        None => return Value::None,
                    },
                    _ => None,
                };
                let found = self.doc.tables.iter().enumerate().filter(|(_, t)| {
                    range
                        .as_ref()
                        .is_none_or(|r| t.at.folded.start >= r.start && t.at.folded.end <= r.end)
                        && self.table_matches(t, re)
                });
                let mut found = found.map(|(i, _)| Value::Table(i));
                if name == "table" {
                    found.next().unwrap_or(Value::None)
                } else {
                    Value::List(Arc::new(found.collect()))
                }
            }
            ("cell", [Value::Table(ti), r, c]) => {
                match (self.pick_row(*ti, r), self.pick_column(*ti, c)) {
                    (Some(r), Some(c)) => self.cell_value(*ti, r, c),
                    _ => Value::None,
                }
            }
            ("cell", [Value::Row(ti, ri), c]) => match self.pick_column(*ti, c) {
                Some(c) => self.cell_value(*ti, *ri, c),
                None => Value::None,
            },
            ("row", [Value::Table(ti), sel]) => self
                .pick_row(*ti, sel)
                .map_or(Value::None, |r| Value::Row(*ti, r)),
            ("column", [Value::Table(ti), sel]) => self
                .pick_column(*ti, sel)
                .map_or(Value::None, |c| Value::Column(*ti, c)),
            ("rows", [Value::Table(ti), Value::Regex(re)]) => {
                let Some(t) = self.table_of(*ti) else {
                    return Value::None;
                };
                Value::List(Arc::new(
                    t.rows
                        .iter()
                        .enumerate()
                        .filter(|(_, r)| re.is_match(&r.label))
                        .map(|(i, _)| Value::Row(*ti, i))
                        .collect(),
                ))
            }
            _ => Value::None,
        }
    }

    /// How a table, row or column reads in a message.
    pub(super) fn table_display(&self, v: &Value) -> String {
        match *v {
            Value::Table(t) => self
                .table_of(t)
                .and_then(|t| t.caption.as_ref())
                .map(|c| c.text.to_string())
                .unwrap_or_else(|| "table".into()),
            Value::Row(t, r) => self
                .table_of(t)
                .and_then(|t| t.rows.get(r))
                .map(|r| leaf(&r.label).to_string())
                .unwrap_or_default(),
            Value::Column(t, c) => self
                .table_of(t)
                .and_then(|t| t.columns.get(c))
                .map(|c| leaf(&c.label).to_string())
                .unwrap_or_default(),
            _ => String::new(),
        }
    }
}

/// A 0-based index (negative counts from the end) into `len` items.
fn index(v: f64, len: usize) -> Option<usize> {
    if v.fract() != 0.0 || v.abs() > 1e9 {
        return None;
    }
    let i = v as i64;
    let i = if i < 0 { len as i64 + i } else { i };
    usize::try_from(i).ok().filter(|&i| i < len)
}
