//! Date scanning (`2018年1月23日`, `2018 年 1 月 23 日`, `2020-09-14`, `2020/9/14`,
//! `2020.09.14`, `二〇一八年一月二十三日`), the report year in a title, and the labels
//! that mark a publication date.
//!
//! Offsets are bytes of one line. Only valid calendar dates are returned.

use std::ops::Range;

use super::chars::{
    char_at, chinese_numeral_value, chinese_year_digit, digit_run, is_chinese_numeral_char,
    is_digit, is_inline_space, skip_spaces,
};

/// A date found in a line (offsets relative to the line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawDate {
    pub range: Range<usize>,
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

/// Whether `year-month-day` is a real calendar day.
pub(crate) fn is_valid(year: i32, month: u32, day: u32) -> bool {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

fn date(range: Range<usize>, year: u32, month: u32, day: u32) -> Option<RawDate> {
    let year = i32::try_from(year).ok()?;
    is_valid(year, month, day).then_some(RawDate {
        range,
        year,
        month,
        day,
    })
}

/// The date written in Arabic digits whose year starts at byte `i` (a digit run start).
pub(crate) fn arabic_date_at(line: &str, i: usize) -> Option<RawDate> {
    let (pos, count, year) = digit_run(line, i);
    if count != 4 {
        return None;
    }
    let after_year = skip_spaces(line, pos);
    let (c, next) = char_at(line, after_year)?;
    if c == '年' {
        let (after_month, month) = small_number(line, skip_spaces(line, next))?;
        let next = expect(line, skip_spaces(line, after_month), &['月'])?;
        let (after_day, day) = small_number(line, skip_spaces(line, next))?;
        let end = expect(line, skip_spaces(line, after_day), &['日', '号', '號'])?;
        return date(i..end, year, month, day);
    }
    // Separated forms are written without spaces; the same separator twice.
    if after_year != pos || !matches!(c, '-' | '/' | '.' | '．' | '－' | '／') {
        return None;
    }
    let (after_month, month) = small_number(line, next)?;
    let next = expect(line, after_month, &[c])?;
    let (end, day) = small_number(line, next)?;
    if char_at(line, end).is_some_and(|(c, _)| is_digit(c)) {
        return None;
    }
    date(i..end, year, month, day)
}

/// One or two digits at `i`: the byte after them and their value.
fn small_number(line: &str, i: usize) -> Option<(usize, u32)> {
    let (end, count, value) = digit_run(line, i);
    (1..=2).contains(&count).then_some((end, value))
}

/// If one of `chars` stands at `i`, the byte after it.
fn expect(line: &str, i: usize, chars: &[char]) -> Option<usize> {
    let (c, next) = char_at(line, i)?;
    chars.contains(&c).then_some(next)
}

/// The four Chinese-numeral digits of a year ending just before byte `nian` (where 年
/// stands): their start and value.
fn chinese_year_before(line: &str, nian: usize) -> Option<(usize, u32)> {
    let before = line.get(..nian)?;
    let mut chars = before.char_indices().rev();
    let mut start = nian;
    let mut value = 0;
    let mut place = 1;
    for _ in 0..4 {
        let (idx, c) = chars.next()?;
        value += chinese_year_digit(c)? * place;
        place *= 10;
        start = idx;
    }
    // A fifth numeral digit means this is not a four-digit year.
    if chars
        .next()
        .is_some_and(|(_, c)| super::chars::chinese_digit(c).is_some())
    {
        return None;
    }
    Some((start, value))
}

/// The date in Chinese numerals whose 年 stands at byte `nian`.
pub(crate) fn chinese_date_at(line: &str, nian: usize) -> Option<RawDate> {
    let (start, year) = chinese_year_before(line, nian)?;
    let (_, after_nian) = char_at(line, nian)?;
    let (after_month, month) = chinese_part(line, skip_spaces(line, after_nian), &['月'])?;
    let (end, day) = chinese_part(line, skip_spaces(line, after_month), &['日', '号', '號'])?;
    date(start..end, year, month, day)
}

/// A Chinese numeral of at most three characters at `i`, closed by one of `closers`:
/// the byte after the closer and the numeral's value.
fn chinese_part(line: &str, i: usize, closers: &[char]) -> Option<(usize, u32)> {
    let mut pos = i;
    for _ in 0..3 {
        let (c, next) = char_at(line, pos)?;
        if !is_chinese_numeral_char(c) {
            break;
        }
        pos = next;
    }
    let value = chinese_numeral_value(line.get(i..pos)?)?;
    let end = expect(line, skip_spaces(line, pos), closers)?;
    Some((end, value))
}

/// The report year stated in a title: four digits (or four Chinese numerals) followed,
/// perhaps after spaces, by 年; only years 1949–2100. Returns the digits' byte range.
pub(crate) fn title_year(title: &str) -> Option<(Range<usize>, i32)> {
    let mut prev_digit = false;
    for (i, c) in title.char_indices() {
        let digit = is_digit(c);
        if digit && !prev_digit {
            let (end, count, value) = digit_run(title, i);
            let is_year = count == 4 && expect(title, skip_spaces(title, end), &['年']).is_some();
            if is_year && (1949..=2100).contains(&value) {
                return Some((i..end, i32::try_from(value).ok()?));
            }
        } else if c == '年' {
            if let Some((start, value)) = chinese_year_before(title, i) {
                if (1949..=2100).contains(&value) {
                    return Some((start..i, i32::try_from(value).ok()?));
                }
            }
        }
        prev_digit = digit;
    }
    None
}

/// How strongly a label says "this is the document's date".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Label {
    /// 发布时间 / 发布日期: usually the date of the web page, not the document.
    Weak,
    /// 成文日期 / 发文日期 / 印发日期: the document's own date.
    Strong,
}

/// Publication-date labels. Traditional forms are listed so the answer does not depend
/// on whether the fold has run.
const LABELS: &[(&str, Label)] = &[
    ("成文日期", Label::Strong),
    ("发文日期", Label::Strong),
    ("發文日期", Label::Strong),
    ("印发日期", Label::Strong),
    ("印發日期", Label::Strong),
    ("发布时间", Label::Weak),
    ("發布時間", Label::Weak),
    ("发布日期", Label::Weak),
    ("發布日期", Label::Weak),
];

/// The label, if any, that the text before byte `start` of `line` ends with (after
/// optional spaces and a colon).
pub(crate) fn label_before(line: &str, start: usize) -> Option<Label> {
    let prefix = line.get(..start)?.trim_end_matches(is_inline_space);
    let prefix = prefix
        .strip_suffix([':', '：'])
        .unwrap_or(prefix)
        .trim_end_matches(is_inline_space);
    LABELS
        .iter()
        .find(|(label, _)| ends_with_label(prefix, label))
        .map(|&(_, kind)| kind)
}

/// Whether `text` ends with `label`, allowing a pinyin gloss after any of its characters:
/// scraped pages insert readings such as "發(fā)布時間".
fn ends_with_label(text: &str, label: &str) -> bool {
    let mut rest = text;
    for lc in label.chars().rev() {
        rest = strip_gloss(rest);
        match rest.strip_suffix(lc) {
            Some(r) => rest = r,
            None => return false,
        }
    }
    true
}

/// `s` without a trailing parenthesised pinyin gloss ("(fā)", "(shí jiān)").
fn strip_gloss(s: &str) -> &str {
    let Some(body) = s.strip_suffix([')', '）']) else {
        return s;
    };
    let Some(open) = body.rfind(['(', '（']) else {
        return s;
    };
    let Some((_, inner_start)) = char_at(body, open) else {
        return s;
    };
    let inner = body.get(inner_start..).unwrap_or("");
    let is_pinyin =
        |c: char| c.is_ascii_lowercase() || c == ' ' || ('\u{c0}'..='\u{24f}').contains(&c);
    if inner.is_empty() || inner.len() > 24 || !inner.chars().all(is_pinyin) {
        return s;
    }
    body.get(..open).unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn first_date(line: &str) -> Option<(i32, u32, u32, &str)> {
        for (i, c) in line.char_indices() {
            let d = if c == '年' {
                chinese_date_at(line, i)
            } else if is_digit(c) {
                arabic_date_at(line, i)
            } else {
                None
            };
            if let Some(d) = d {
                return Some((d.year, d.month, d.day, &line[d.range]));
            }
        }
        None
    }

    #[test]
    fn arabic_forms() {
        assert_eq!(
            first_date("于2018年1月23日发布"),
            Some((2018, 1, 23, "2018年1月23日"))
        );
        assert_eq!(
            first_date("截至 2018 年 1 月 23 日 00 時"),
            Some((2018, 1, 23, "2018 年 1 月 23 日"))
        );
        assert_eq!(
            first_date("2020-09-14 来源"),
            Some((2020, 9, 14, "2020-09-14"))
        );
        assert_eq!(first_date("2020/9/14"), Some((2020, 9, 14, "2020/9/14")));
        assert_eq!(first_date("2020.09.14"), Some((2020, 9, 14, "2020.09.14")));
        assert_eq!(
            first_date("２０２０年９月１４日"),
            Some((2020, 9, 14, "２０２０年９月１４日"))
        );
        assert_eq!(first_date("5月15日"), None);
        assert_eq!(first_date("2020-09/14"), None);
        assert_eq!(first_date("2014 年 12 月,全縣"), None);
    }

    #[test]
    fn chinese_forms() {
        assert_eq!(
            first_date("二〇一八年一月二十三日"),
            Some((2018, 1, 23, "二〇一八年一月二十三日"))
        );
        assert_eq!(
            first_date("于二○一一年十二月二日印发"),
            Some((2011, 12, 2, "二○一一年十二月二日"))
        );
        assert_eq!(
            first_date("二零一六年三月十日"),
            Some((2016, 3, 10, "二零一六年三月十日"))
        );
        assert_eq!(first_date("二〇一八年"), None);
    }

    #[test]
    fn invalid_dates_are_rejected() {
        assert_eq!(first_date("2017年13月45日"), None);
        assert_eq!(first_date("2017年2月30日"), None);
        assert_eq!(first_date("2016年2月29日").map(|d| d.2), Some(29));
        assert_eq!(first_date("2017年2月29日"), None);
        assert_eq!(first_date("2017-00-10"), None);
        assert_eq!(first_date("二〇一七年十三月一日"), None);
    }

    #[test]
    fn title_years() {
        let y = |t: &str| title_year(t).map(|(r, y)| (y, t[r].to_string()));
        assert_eq!(
            y("2017年度江岸区政府信息公开年度报告"),
            Some((2017, "2017".into()))
        );
        assert_eq!(y("清新區2014 年報告"), Some((2014, "2014".into())));
        assert_eq!(y("二〇一六年报告"), Some((2016, "二〇一六".into())));
        assert_eq!(y("二○一六年报告"), Some((2016, "二○一六".into())));
        assert_eq!(y("高陵縣政府工作報告(2)"), None);
        assert_eq!(y("1800年报告"), None);
        assert_eq!(y("12017年"), None);
    }

    #[test]
    fn labels() {
        assert_eq!(label_before("成文日期:2018", 13), Some(Label::Strong));
        assert_eq!(label_before("发布时间 2018", 13), Some(Label::Weak));
        let line = "發(fā)布時間:2020-09-14";
        let at = line.find('2').expect("date");
        assert_eq!(label_before(line, at), Some(Label::Weak));
        assert_eq!(label_before("时间:2018", 7), None);
    }
}
