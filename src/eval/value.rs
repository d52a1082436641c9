//! Runtime values. Every value that came from the report carries the spans it came from.

use std::sync::Arc;

use crate::span::Span;

/// Where a value came from: a span of the report and the rule expression that read it.
#[derive(Debug, Clone, PartialEq)]
pub struct Origin {
    /// The report text.
    pub span: Span,
    /// The expression that fetched it (`m.received`).
    pub what: Arc<str>,
    /// The value as the report wrote it.
    pub written: Arc<str>,
}

/// A number with its provenance.
#[derive(Debug, Clone, PartialEq)]
pub struct Num {
    /// The value (a percent is a fraction).
    pub value: f64,
    /// Half the unit of the last stated digit; 0 for a computed (exact) number.
    pub precision: f64,
    /// Written or computed as a percentage (affects formatting only).
    pub percent: bool,
    /// A lower bound (余/多), not an exact value.
    pub approx: bool,
    /// Where it came from (several spans for a computed number).
    pub origins: Vec<Origin>,
    /// The span of its written form when it was read directly from the report.
    pub stated: Option<Span>,
}

impl Num {
    /// A computed or literal number with no provenance.
    pub fn exact(value: f64) -> Num {
        Num {
            value,
            precision: 0.0,
            percent: false,
            approx: false,
            origins: Vec::new(),
            stated: None,
        }
    }
}

/// Text with its provenance.
#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    /// The (folded) text.
    pub text: crate::span::SharedStr,
    /// Where it stands in the source, if it came from the report.
    pub span: Option<Span>,
    /// Folded byte range, if it came from the report (so it can be searched in place).
    pub folded: Option<std::ops::Range<usize>>,
}

/// A calendar date with its provenance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct DateVal {
    /// Year.
    pub year: i32,
    /// Month 1–12.
    pub month: u32,
    /// Day 1–31.
    pub day: u32,
}

impl DateVal {
    /// Days since 0000-03-01 (proleptic Gregorian): for differences and validity.
    pub fn day_number(self) -> i64 {
        let (y, m) = if self.month <= 2 {
            (self.year as i64 - 1, self.month as i64 + 9)
        } else {
            (self.year as i64, self.month as i64 - 3)
        };
        365 * y + y.div_euclid(4) - y.div_euclid(100)
            + y.div_euclid(400)
            + (153 * m + 2) / 5
            + self.day as i64
            - 1
    }

    /// The date `n` days after day number `n` (inverse of `day_number`).
    pub fn from_day_number(n: i64) -> DateVal {
        // Walk from an estimate; dates in reports are within a few thousand years.
        let mut y = (n as f64 / 365.2425) as i64;
        loop {
            let start = DateVal {
                year: y as i32,
                month: 3,
                day: 1,
            }
            .day_number();
            if start > n {
                y -= 1;
                continue;
            }
            let next = DateVal {
                year: y as i32 + 1,
                month: 3,
                day: 1,
            }
            .day_number();
            if next <= n {
                y += 1;
                continue;
            }
            let doy = n - start;
            let m = (5 * doy + 2) / 153;
            let day = doy - (153 * m + 2) / 5 + 1;
            let (year, month) = if m < 10 { (y, m + 3) } else { (y + 1, m - 9) };
            return DateVal {
                year: year as i32,
                month: month as u32,
                day: day as u32,
            };
        }
    }

    /// A valid date or None.
    pub fn new(year: i64, month: i64, day: i64) -> Option<DateVal> {
        if !(1..=12).contains(&month) || day < 1 || !(-9999..=9999).contains(&year) {
            return None;
        }
        let d = DateVal {
            year: year as i32,
            month: month as u32,
            day: day as u32,
        };
        (DateVal::from_day_number(d.day_number()) == d).then_some(d)
    }
}

/// A date value: the date and where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Date {
    /// The date.
    pub date: DateVal,
    /// Where it came from.
    pub origins: Vec<Origin>,
    /// Where the report states this very date (None when computed: `date(…)`, `d + n`),
    /// so it is shown as written only when it was written.
    pub stated: Option<Span>,
}

/// A regex match with its named groups.
#[derive(Debug, Clone)]
pub struct MatchVal {
    /// The whole match.
    pub text: Text,
    /// Named groups, each typed by what it matched (number, date or text); None if the
    /// group did not take part in the match.
    pub groups: Vec<(Arc<str>, Option<Value>)>,
}

/// A label that explains a result: a span of the report and what stands there.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    /// The report text.
    pub span: Span,
    /// What the label says (`m.received = 497`).
    pub label: String,
}

/// A truth value and what it rests on.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Truth {
    /// Whether it holds.
    pub holds: bool,
    /// The report spans it rests on, labelled.
    pub evidence: Vec<Evidence>,
    /// Explanations (`computed 90.5%`).
    pub notes: Vec<String>,
}

/// A runtime value.
#[derive(Debug, Clone)]
pub enum Value {
    /// Missing data: whatever depends on it cannot be assessed.
    None,
    /// A truth value.
    Bool(Truth),
    /// A number.
    Num(Num),
    /// Text.
    Text(Text),
    /// A date.
    Date(Date),
    /// A compiled regex.
    Regex(Arc<regex::Regex>),
    /// The report.
    Report,
    /// A section, by index into the document's sections.
    Section(usize),
    /// A paragraph, by index.
    Paragraph(usize),
    /// A table, by index into the document's tables.
    Table(usize),
    /// A data row: table index, row index.
    Row(usize, usize),
    /// A data column: table index, column index.
    Column(usize, usize),
    /// A regex match.
    Match(Arc<MatchVal>),
    /// A list.
    List(Arc<Vec<Value>>),
}

impl Value {
    /// A plain boolean with no evidence.
    pub fn bool(b: bool) -> Value {
        Value::Bool(Truth {
            holds: b,
            ..Truth::default()
        })
    }

    /// Whether this is `none` or an empty list.
    pub fn is_missing(&self) -> bool {
        match self {
            Value::None => true,
            Value::List(l) => l.is_empty(),
            _ => false,
        }
    }
}

/// Format a number for people: integers plainly, others with up to 2 decimals
/// (4 significant for small fractions), percentages with `%`.
pub fn format_number(value: f64, percent: bool) -> String {
    if !value.is_finite() {
        return value.to_string();
    }
    let v = if percent { value * 100.0 } else { value };
    let s = if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i128)
    } else {
        let decimals = if v.abs() < 1.0 { 4 } else { 2 };
        let s = format!("{v:.decimals$}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    };
    if percent {
        s + "%"
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip() {
        for (y, m, d) in [(2018, 1, 23), (2000, 2, 29), (2019, 12, 31), (1999, 3, 1)] {
            let v = DateVal::new(y, m, d).unwrap();
            assert_eq!(DateVal::from_day_number(v.day_number()), v);
        }
        assert!(DateVal::new(2019, 2, 29).is_none());
        assert!(DateVal::new(2017, 13, 45).is_none());
        let a = DateVal::new(2018, 1, 23).unwrap();
        let b = DateVal::new(2018, 3, 31).unwrap();
        assert_eq!(b.day_number() - a.day_number(), 67);
    }

    #[test]
    fn numbers_format() {
        assert_eq!(format_number(0.9054, true), "90.54%");
        assert_eq!(format_number(1.0, true), "100%");
        assert_eq!(format_number(497.0, false), "497");
        assert_eq!(format_number(12.345, false), "12.35");
    }
}
