//! Typing a regex group by what it matched: a number (with %, 万/亿, 余/多), a date,
//! or text.

use super::value::DateVal;

/// A number read from captured text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CapturedNumber {
    /// Scaled value; a percent is a fraction.
    pub value: f64,
    /// Half the unit of the last stated digit, scaled.
    pub precision: f64,
    /// Written with %.
    pub percent: bool,
    /// Marked 余/多.
    pub approx: bool,
}

/// Read `s` as a number if all of it is one: `497`, `1,062`, `91.7%`, `37417.1548万`,
/// `4470余`, `2014 `. Full-width forms are expected to be folded already.
pub fn parse_number(s: &str) -> Option<CapturedNumber> {
    let s = s.trim();
    let (s, approx) = match s.strip_suffix('余').or_else(|| s.strip_suffix('多')) {
        Some(rest) => (rest.trim_end(), true),
        None => (s, false),
    };
    let (s, percent) = match s.strip_suffix('%') {
        Some(rest) => (rest.trim_end(), true),
        None => (s, false),
    };
    let (s, scale) = if let Some(rest) = s.strip_suffix('万') {
        (rest.trim_end(), 1e4)
    } else if let Some(rest) = s.strip_suffix('亿') {
        (rest.trim_end(), 1e8)
    } else {
        (s, 1.0)
    };
    let (s, approx) = match s.strip_suffix('余').or_else(|| s.strip_suffix('多')) {
        Some(rest) => (rest.trim_end(), true),
        None => (s, approx),
    };
    let (sign, digits) = match s.strip_prefix('-') {
        Some(rest) => (-1.0, rest),
        None => (1.0, s),
    };
    if digits.is_empty() || !digits.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let (int, frac) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    let int_ok = int.chars().all(|c| c.is_ascii_digit())
        || (int.contains(',')
            && int.split(',').enumerate().all(|(i, g)| {
                g.chars().all(|c| c.is_ascii_digit())
                    && if i == 0 {
                        (1..=3).contains(&g.len())
                    } else {
                        g.len() == 3
                    }
            }));
    if !int_ok || frac.is_some_and(|f| f.is_empty() || !f.chars().all(|c| c.is_ascii_digit())) {
        return None;
    }
    let plain: String = digits.chars().filter(|&c| c != ',').collect();
    let value: f64 = plain.parse().ok()?;
    let unit = match frac {
        Some(f) => 10f64.powi(-(f.len().min(300) as i32)),
        None => 1.0,
    };
    let pct = if percent { 0.01 } else { 1.0 };
    Some(CapturedNumber {
        value: sign * value * scale * pct,
        precision: 0.5 * unit * scale * pct,
        percent,
        approx,
    })
}

/// Read `s` as a date if all of it is one: `2018年1月23日`, `2018 年 1 月 23 日`,
/// `2020-09-14`, `2020/9/14`, `2020.9.14`, `二〇一八年一月二十三日`. The document stage's
/// scanners do the reading, so a captured group and `report.dates` agree.
pub fn parse_date(s: &str) -> Option<DateVal> {
    use crate::document::dates::{arabic_date_at, chinese_date_at};
    let s = s.trim();
    let whole = |d: crate::document::dates::RawDate| {
        (d.range == (0..s.len()))
            .then(|| DateVal::new(d.year.into(), d.month.into(), d.day.into()))
            .flatten()
    };
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        return arabic_date_at(s, 0).and_then(whole);
    }
    let nian = s.find('年')?;
    chinese_date_at(s, nian).and_then(whole)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        let n = parse_number("91.7%").unwrap();
        assert!(
            (n.value - 0.917).abs() < 1e-12 && (n.precision - 0.0005).abs() < 1e-12 && n.percent
        );
        let n = parse_number("37417.1548万").unwrap();
        assert!((n.value - 374171548.0).abs() < 1e-3);
        assert_eq!(parse_number("1,062").unwrap().value, 1062.0);
        assert!(parse_number("4470余").unwrap().approx);
        assert_eq!(parse_number("497").unwrap().precision, 0.5);
        assert_eq!(parse_number("12,34"), None);
        assert_eq!(parse_number("件"), None);
        assert_eq!(parse_number(""), None);
        let long = "9".repeat(400);
        assert!(parse_number(&long).is_some());
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date("2018年1月23日"), DateVal::new(2018, 1, 23));
        assert_eq!(parse_date("2018 年 1 月 23 日"), DateVal::new(2018, 1, 23));
        assert_eq!(parse_date("2020-09-14"), DateVal::new(2020, 9, 14));
        assert_eq!(parse_date("2017年13月45日"), None);
        assert_eq!(parse_date("2017"), None);
        assert_eq!(
            parse_date("二〇一八年一月二十三日"),
            DateVal::new(2018, 1, 23)
        );
        assert_eq!(parse_date("二○一一年十二月二日"), DateVal::new(2011, 12, 2));
        assert_eq!(
            parse_date("2018年1月23日起"),
            None,
            "all of it, not a prefix"
        );
    }
}
