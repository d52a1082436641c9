//! Number scanning: digits with thousands separators and decimals, then percent, scale
//! (万/亿), approximation marks (余/多) and a one-character unit.
//!
//! Works on one line at a time, in byte offsets of that line. Values are correctly
//! rounded: the digits as one integer times an exact power of ten when both are exact in
//! an f64 (so `91.7%` is 917 / 1000 = 0.917), else `str::parse::<f64>` on an ASCII copy
//! with the scale as an exponent (so a 400-digit number is merely infinite).

use std::fmt::Write as _;
use std::ops::Range;

use super::chars::{char_at, char_before, digit_run, digit_value, is_digit, skip_spaces};

/// A number found in a line (offsets relative to the line).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RawNumber {
    /// Digits through scale and approximation mark.
    pub range: Range<usize>,
    pub value: f64,
    pub precision: f64,
    pub percent: bool,
    pub approx: bool,
    pub unit: Option<char>,
}

/// What the scanner made of a digit run.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Scan {
    /// A number.
    Number(RawNumber),
    /// Not a quantity (part of an identifier such as `GB18030`, `20XX`, a URL); resume
    /// scanning at this byte.
    Skip(usize),
}

/// Unit words counted after a number. Traditional forms are listed too so the model is
/// the same whether or not the fold has run.
fn is_unit(c: char) -> bool {
    matches!(
        c,
        '件' | '条'
            | '條'
            | '项'
            | '項'
            | '人'
            | '次'
            | '个'
            | '個'
            | '名'
            | '份'
            | '户'
            | '戶'
            | '元'
            | '年'
            | '月'
            | '日'
            | '天'
            | '篇'
            | '期'
            | '场'
            | '場'
            | '家'
            | '起'
            | '册'
            | '冊'
            | '页'
            | '頁'
            | '万'
            | '萬'
            | '亿'
            | '億'
            | '号'
            | '號'
            | '岁'
            | '歲'
            | '台'
            | '套'
            | '部'
            | '本'
            | '所'
            | '座'
            | '辆'
            | '輛'
            | '间'
            | '間'
            | '类'
            | '類'
            | '种'
            | '種'
            | '批'
            | '位'
            | '封'
            | '张'
            | '張'
            | '组'
            | '組'
            | '届'
            | '屆'
            | '栏'
            | '欄'
            | '处'
            | '處'
            | '吨'
            | '噸'
            | '亩'
            | '畝'
            | '米'
            | '斤'
            | '周'
            | '週'
            | '秒'
            | '分'
            | '时'
            | '時'
            | '票'
            | '宗'
            | '例'
            | '点'
            | '點'
            | '轮'
            | '輪'
            | '章'
            | '节'
            | '節'
            | '度'
    )
}

/// Characters that glue a digit run into an identifier or address rather than a count.
fn is_identifier_char(c: char) -> bool {
    c.is_ascii_alphabetic() || matches!(c, '_' | '/' | '\\' | '@' | '#' | '=' | '&' | '~')
}

/// The end of the ASCII identifier or address token around a digit run at `i`.
fn identifier_end(line: &str, mut i: usize) -> usize {
    while let Some((c, next)) = char_at(line, i) {
        if !(c.is_ascii_alphanumeric()
            || matches!(
                c,
                '_' | '/' | '\\' | '.' | '-' | ':' | '?' | '=' | '&' | '#' | '%' | '~'
            ))
        {
            break;
        }
        i = next;
    }
    i
}

/// Scan the number whose first digit is at byte `i` of `line` (the caller guarantees
/// `i` starts a digit run). `buf` is scratch space reused across calls.
pub(crate) fn scan(line: &str, i: usize, buf: &mut String) -> Scan {
    if char_before(line, i).is_some_and(is_identifier_char) {
        return Scan::Skip(identifier_end(line, i).max(i + 1));
    }
    let (mut pos, int_count, _) = digit_run(line, i);
    if int_count == 0 {
        return Scan::Skip(pos.max(i + 1));
    }
    let mut mantissa = Mantissa::default();
    mantissa.push(line, i, pos);
    if let Some((c, _)) = char_at(line, pos) {
        if c.is_ascii_alphabetic() {
            return Scan::Skip(identifier_end(line, pos));
        }
    }
    // Thousands groups: only after a first group of 1–3 digits, each group exactly three
    // digits, so "41,14" (a list) stays two numbers.
    if int_count <= 3 {
        while let Some((group_start, end)) = thousands_group(line, pos) {
            mantissa.push(line, group_start, end);
            pos = end;
        }
    }
    let mut decimals: i32 = 0;
    if let Some((c, after_point)) = char_at(line, pos) {
        if matches!(c, '.' | '．') {
            let (end, count, _) = digit_run(line, after_point);
            if count > 0 {
                mantissa.push(line, after_point, end);
                decimals = i32::try_from(count).unwrap_or(i32::MAX);
                pos = end;
            }
        }
    }
    let digits_end = pos;
    let mut exponent: i32 = 0;
    let mut percent = line.get(..i).is_some_and(|s| s.ends_with("百分之"));
    let mut approx = false;
    match char_at(line, pos) {
        Some(('%' | '％', next)) => {
            percent = true;
            pos = next;
        }
        _ => {
            let at = skip_spaces(line, pos);
            if let Some((c, next)) = char_at(line, at) {
                let scale = match c {
                    '万' | '萬' => 4,
                    '亿' | '億' => 8,
                    _ => 0,
                };
                if scale > 0 {
                    exponent = scale;
                    pos = next;
                    // 万亿 is 10¹².
                    if scale == 4 {
                        if let Some(('亿' | '億', next)) = char_at(line, pos) {
                            exponent = 12;
                            pos = next;
                        }
                    }
                }
            }
            let at = skip_spaces(line, pos);
            if let Some(('余' | '餘' | '多', next)) = char_at(line, at) {
                approx = true;
                pos = next;
            }
        }
    }
    if percent {
        exponent -= 2;
    }
    let unit = match char_at(line, skip_spaces(line, pos)) {
        Some((c, _)) if is_unit(c) => Some(c),
        _ => None,
    };
    // The stated digits are mantissa × 10^(exponent − decimals).
    let place = exponent.saturating_sub(decimals);
    let value = match mantissa.exact() {
        Some(m) => {
            times_pow10(m, place).unwrap_or_else(|| parse_slow(line, i..digits_end, exponent, buf))
        }
        None => parse_slow(line, i..digits_end, exponent, buf),
    };
    let precision = times_pow10(0.5, place).unwrap_or_else(|| {
        buf.clear();
        let _ = write!(buf, "5e{}", place.saturating_sub(1));
        buf.parse::<f64>().unwrap_or(0.5)
    });
    Scan::Number(RawNumber {
        range: i..pos,
        value,
        precision,
        percent,
        approx,
        unit,
    })
}

/// Powers of ten that are exact in an f64.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// `m × 10^e` when both factors are exact in an f64 (|e| ≤ 22): one correctly rounded
/// multiplication or division gives the same value `str::parse` would (the classic
/// fast path), without formatting a string.
fn times_pow10(m: f64, e: i32) -> Option<f64> {
    let p = *POW10.get(usize::try_from(e.unsigned_abs()).ok()?)?;
    Some(if e >= 0 { m * p } else { m / p })
}

/// The value of the digits in `line[digits]` times 10^`exponent`, through `str::parse`
/// (for mantissas too long to be exact).
fn parse_slow(line: &str, digits: Range<usize>, exponent: i32, buf: &mut String) -> f64 {
    buf.clear();
    for c in line.get(digits).unwrap_or("").chars() {
        match c {
            '.' | '．' => buf.push('.'),
            _ => {
                if let Some(d) = digit_value(c) {
                    buf.push(char::from_digit(d, 10).unwrap_or('0'));
                }
            }
        }
    }
    let _ = write!(buf, "e{exponent}");
    buf.parse::<f64>().unwrap_or(f64::INFINITY)
}

/// The digits of a number read as one integer, while it stays exact in an f64.
#[derive(Debug, Default)]
struct Mantissa {
    value: u64,
    overflow: bool,
}

impl Mantissa {
    /// Append the digits of `line[from..to]`.
    fn push(&mut self, line: &str, from: usize, to: usize) {
        for c in line.get(from..to).unwrap_or("").chars() {
            if let Some(d) = digit_value(c) {
                match self
                    .value
                    .checked_mul(10)
                    .and_then(|v| v.checked_add(u64::from(d)))
                {
                    Some(v) => self.value = v,
                    None => self.overflow = true,
                }
            }
        }
    }

    /// The mantissa as an f64, if it is exact (below 2⁵³).
    fn exact(&self) -> Option<f64> {
        (!self.overflow && self.value < 1 << 53).then_some(self.value as f64)
    }
}

/// If a thousands separator and a group of exactly three digits (not followed by a
/// further digit) start at `pos`, the group's byte range.
fn thousands_group(line: &str, pos: usize) -> Option<(usize, usize)> {
    let (c, after_sep) = char_at(line, pos)?;
    if !matches!(c, ',' | '，') {
        return None;
    }
    let (end, count, _) = digit_run(line, after_sep);
    (count == 3).then_some((after_sep, end))
}

/// Whether a number may start at byte `i`: a digit not preceded by another digit.
pub(crate) fn starts_number(line: &str, i: usize) -> bool {
    char_at(line, i).is_some_and(|(c, _)| is_digit(c))
        && !char_before(line, i).is_some_and(is_digit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn number(s: &str) -> RawNumber {
        let i = s.find(|c: char| is_digit(c)).expect("a digit");
        match scan(s, i, &mut String::new()) {
            Scan::Number(n) => n,
            Scan::Skip(_) => panic!("no number in {s:?}"),
        }
    }

    #[track_caller]
    fn close(a: f64, b: f64) {
        assert!((a - b).abs() <= b.abs() * 1e-12, "{a} != {b}");
    }

    #[test]
    fn integer_with_unit() {
        let n = number("回复处理497件");
        assert_eq!(n.value, 497.0);
        close(n.precision, 0.5);
        assert_eq!(n.unit, Some('件'));
        assert!(!n.percent && !n.approx);
    }

    #[test]
    fn thousands_separator() {
        let n = number("1,062件");
        assert_eq!(n.value, 1062.0);
        assert_eq!(n.range, 0..5);
        let n = number("申请资金66,319万元");
        assert_eq!(n.value, 663_190_000.0);
        // A second group of two digits is a list, not a separator.
        let n = number("41,14");
        assert_eq!(n.value, 41.0);
        // A four-digit "group" is not one either.
        assert_eq!(number("3,2590").value, 3.0);
    }

    #[test]
    fn scale_and_precision() {
        let n = number("总额为37417.1548万元,");
        assert_eq!(n.value, 374_171_548.0);
        close(n.precision, 0.5);
        assert_eq!(n.unit, Some('元'));
        let n = number("2397.79万元");
        assert_eq!(n.value, 23_977_900.0);
        close(n.precision, 50.0);
        let n = number("1.5亿元");
        assert_eq!(n.value, 150_000_000.0);
        let n = number("受理網上辦事10 萬件");
        assert_eq!(n.value, 100_000.0);
        assert_eq!(n.unit, Some('件'));
    }

    #[test]
    fn percent() {
        let n = number("91.7%");
        close(n.value, 0.917);
        close(n.precision, 0.0005);
        assert!(n.percent);
        let n = number("回复率为100%。");
        assert_eq!(n.value, 1.0);
        close(n.precision, 0.005);
        let n = number("１００％");
        assert_eq!(n.value, 1.0);
        assert!(n.percent);
        assert_eq!(n.range, 0..12);
        let n = number("百分之95");
        close(n.value, 0.95);
    }

    #[test]
    fn approximate() {
        let n = number("4470余条");
        assert!(n.approx);
        assert_eq!(n.value, 4470.0);
        assert_eq!(n.unit, Some('条'));
        let n = number("1600多份");
        assert!(n.approx);
        assert_eq!(n.unit, Some('份'));
        let n = number("200 多人");
        assert!(n.approx);
        assert_eq!(n.range, 0..7);
        let n = number("30万余元");
        assert!(n.approx);
        assert_eq!(n.value, 300_000.0);
        assert_eq!(n.unit, Some('元'));
    }

    #[test]
    fn spaced_unit() {
        let n = number("1062 件");
        assert_eq!(n.range, 0..4);
        assert_eq!(n.unit, Some('件'));
        let n = number("2014 年");
        assert_eq!(n.unit, Some('年'));
    }

    #[test]
    fn huge_number_does_not_panic() {
        let s = "9".repeat(400) + "件";
        let n = number(&s);
        assert!(n.value.is_infinite() || n.value > 1e300);
        let s = "1.".to_string() + &"9".repeat(400) + "%";
        let n = number(&s);
        assert!(n.value.is_finite());
    }

    #[test]
    fn identifiers_are_skipped() {
        assert!(matches!(
            scan("20XX年", 0, &mut String::new()),
            Scan::Skip(4)
        ));
        let s = "GB18030";
        assert!(matches!(scan(s, 2, &mut String::new()), Scan::Skip(7)));
    }
}
