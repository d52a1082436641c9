//! Heading recognition: numbering markers at the start of a line (第一部分, 一、, (一),
//! 1., (1), ①) and bare headings (short unnumbered lines).
//!
//! Works on one trimmed line, in byte offsets of that line.

use std::ops::Range;

use super::chars::{
    char_at, chinese_numeral_value, digit_run, is_chinese_numeral_char, is_digit, is_han,
    is_inline_space, skip_spaces,
};
use super::NumberingStyle;

/// Longest numbered-heading title, in characters; a longer "title" is a numbered
/// paragraph that has no 。 to end its first sentence.
const MAX_TITLE_CHARS: usize = 60;

/// Longest bare heading, in characters.
const MAX_BARE_CHARS: usize = 25;

/// A numbering marker at the start of a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Marker {
    pub style: NumberingStyle,
    pub value: u32,
    pub range: Range<usize>,
}

/// A numbered heading line split into its parts (offsets relative to the line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawHeading {
    pub marker: Marker,
    pub title: Range<usize>,
    /// The rest of the line after the title's closing 。/; (trimmed), if any.
    pub body: Option<Range<usize>>,
}

/// The numbered heading the (trimmed) `line` is, if it is one.
pub(crate) fn numbered(line: &str) -> Option<RawHeading> {
    let marker = marker(line)?;
    let title_start = skip_spaces(line, marker.range.end);
    let rest = line.get(title_start..)?;
    // Look for the title's end only as far as a title may reach: a numbered paragraph
    // can run to thousands of characters.
    let (mut title_len, mut body_start) = (rest.len(), rest.len());
    for (n, (k, c)) in rest.char_indices().enumerate() {
        if matches!(c, '。' | ';' | '；') {
            title_len = k;
            body_start = k + c.len_utf8();
            break;
        }
        if n >= MAX_TITLE_CHARS {
            return None;
        }
    }
    let title_text = rest.get(..title_len)?.trim_end();
    if title_text.is_empty() {
        return None;
    }
    let title = title_start..title_start + title_text.len();
    let body_text = rest.get(body_start..)?;
    let trimmed = body_text.trim_start();
    let body = if trimmed.trim_end().is_empty() {
        None
    } else {
        let start = title_start + body_start + (body_text.len() - trimmed.len());
        Some(start..title_start + rest.trim_end().len())
    };
    Some(RawHeading {
        marker,
        title,
        body,
    })
}

/// The numbering marker at the start of `line`.
fn marker(line: &str) -> Option<Marker> {
    let (first, after_first) = char_at(line, 0)?;
    let (style, value, end) = match first {
        '第' => part(line, after_first)?,
        '(' | '（' => paren(line, after_first)?,
        '①'..='⑳' => (
            NumberingStyle::Circled,
            first as u32 - '①' as u32 + 1,
            after_first,
        ),
        '㈠'..='㈩' => (
            NumberingStyle::ChineseParen,
            first as u32 - '㈠' as u32 + 1,
            after_first,
        ),
        c if is_digit(c) => arabic(line)?,
        c if is_chinese_numeral_char(c) => chinese(line)?,
        _ => return None,
    };
    // A comma-like mark after a closed marker ("(一)、", "①、") belongs to the marker.
    let end = match char_at(line, end) {
        Some(('、' | ',' | '，' | '.' | '．', next)) if style_is_closed(style) => next,
        _ => end,
    };
    (value > 0).then_some(Marker {
        style,
        value,
        range: 0..end,
    })
}

/// Whether the marker style closes itself (parentheses, circled) so a following 、 is
/// decoration rather than the marker's own separator.
fn style_is_closed(style: NumberingStyle) -> bool {
    matches!(
        style,
        NumberingStyle::ChineseParen | NumberingStyle::ArabicParen | NumberingStyle::Circled
    )
}

/// 第一部分 / 第一章 / 第一节 / 第1章, after the 第.
fn part(line: &str, start: usize) -> Option<(NumberingStyle, u32, usize)> {
    let (value, end) = numeral(line, start)?;
    let rest = line.get(end..)?;
    let suffix = ["部分", "章", "节", "節"]
        .into_iter()
        .find(|s| rest.starts_with(s))?;
    Some((NumberingStyle::Part, value, end + suffix.len()))
}

/// (一) / (1), after the opening parenthesis.
fn paren(line: &str, start: usize) -> Option<(NumberingStyle, u32, usize)> {
    let (first, _) = char_at(line, start)?;
    let style = if is_digit(first) {
        NumberingStyle::ArabicParen
    } else {
        NumberingStyle::ChineseParen
    };
    let (value, end) = numeral(line, start)?;
    let (close, after) = char_at(line, end)?;
    matches!(close, ')' | '）').then_some((style, value, after))
}

/// 一、 / 一． / 一. (a Chinese numeral and its separator).
fn chinese(line: &str) -> Option<(NumberingStyle, u32, usize)> {
    let (value, end) = numeral(line, 0)?;
    let after = separator(line, end)?;
    Some((NumberingStyle::Chinese, value, after))
}

/// 1. / 1、 / 1． (one to three digits and a separator; not a decimal or a date).
fn arabic(line: &str) -> Option<(NumberingStyle, u32, usize)> {
    let (end, count, value) = digit_run(line, 0);
    if !(1..=3).contains(&count) {
        return None;
    }
    let after = separator(line, end)?;
    Some((NumberingStyle::Arabic, value, after))
}

/// After a numeral at `i`: a list separator (、 . ．). A dot followed by a digit is a
/// decimal point or a date separator (`1.5亿`, `2018.1.2`), not a separator; 、 may be
/// followed by anything (`一、2014 年工作情况`). Returns the byte after it.
fn separator(line: &str, i: usize) -> Option<usize> {
    let (c, next) = char_at(line, i)?;
    match c {
        '、' => Some(next),
        '.' | '．' if !char_at(line, next).is_some_and(|(c, _)| is_digit(c)) => Some(next),
        _ => None,
    }
}

/// A short numeral at `i` (up to three digits or four Chinese numeral characters):
/// its value and the byte after it.
fn numeral(line: &str, i: usize) -> Option<(u32, usize)> {
    let (first, _) = char_at(line, i)?;
    if is_digit(first) {
        let (end, count, value) = digit_run(line, i);
        return (1..=3).contains(&count).then_some((value, end));
    }
    let mut end = i;
    for _ in 0..4 {
        match char_at(line, end) {
            Some((c, next)) if is_chinese_numeral_char(c) => end = next,
            _ => break,
        }
    }
    Some((chinese_numeral_value(line.get(i..end)?)?, end))
}

/// Whether a trimmed line has the shape of a bare (unnumbered) heading: short, starting
/// with a Han character, with no sentence punctuation inside or at its end.
///
/// The caller adds the conditions that depend on other lines (not the title, not a
/// date, not followed by a date).
pub(crate) fn bare_shape(line: &str) -> bool {
    let mut chars = line.chars();
    // A heading starts with a word: a leading digit is a year or count ("2017年…",
    // a subtitle repeating the title), a leading bullet or quote is a list item.
    if !chars.next().is_some_and(is_han) {
        return false;
    }
    if line.chars().nth(MAX_BARE_CHARS).is_some() {
        return false;
    }
    // Commas and full stops mean a sentence; a colon means a "label: value" line or an
    // announcement of what follows ("附件:").
    let sentence = |c: char| {
        matches!(
            c,
            '。' | ',' | '，' | ':' | '：' | ';' | '；' | '!' | '！' | '?' | '？'
        )
    };
    !line.chars().any(sentence) && !line.ends_with(is_inline_space)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn heading(line: &str) -> Option<(NumberingStyle, u32, &str, &str, Option<&str>)> {
        let h = numbered(line)?;
        Some((
            h.marker.style,
            h.marker.value,
            &line[h.marker.range],
            &line[h.title],
            h.body.map(|b| &line[b]),
        ))
    }

    #[test]
    fn numbering_styles() {
        use NumberingStyle::*;
        assert_eq!(
            heading("二、主要做法"),
            Some((Chinese, 2, "二、", "主要做法", None))
        );
        assert_eq!(
            heading("十二、其他"),
            Some((Chinese, 12, "十二、", "其他", None))
        );
        assert_eq!(
            heading("二十九、其他"),
            Some((Chinese, 29, "二十九、", "其他", None))
        );
        assert_eq!(
            heading("一. 指导思想"),
            Some((Chinese, 1, "一.", "指导思想", None))
        );
        assert_eq!(
            heading("（十）概述"),
            Some((ChineseParen, 10, "（十）", "概述", None))
        );
        assert_eq!(
            heading("(一)、对校内公开"),
            Some((ChineseParen, 1, "(一)、", "对校内公开", None))
        );
        assert_eq!(
            heading("1、专项资金公开情况"),
            Some((Arabic, 1, "1、", "专项资金公开情况", None))
        );
        assert_eq!(heading("12. 撤销"), Some((Arabic, 12, "12.", "撤销", None)));
        assert_eq!(
            heading("一、2014 年工作情况"),
            Some((Chinese, 1, "一、", "2014 年工作情况", None))
        );
        assert_eq!(heading("３．概述"), Some((Arabic, 3, "３．", "概述", None)));
        assert_eq!(
            heading("(3)概述"),
            Some((ArabicParen, 3, "(3)", "概述", None))
        );
        assert_eq!(
            heading("（3）概述"),
            Some((ArabicParen, 3, "（3）", "概述", None))
        );
        assert_eq!(heading("⑤概述"), Some((Circled, 5, "⑤", "概述", None)));
        assert_eq!(
            heading("第一部分 概述"),
            Some((Part, 1, "第一部分", "概述", None))
        );
        assert_eq!(
            heading("第十二章概述"),
            Some((Part, 12, "第十二章", "概述", None))
        );
    }

    #[test]
    fn not_headings() {
        assert_eq!(heading("1.5亿元用于建设"), None);
        assert_eq!(heading("2018.1.2发布"), None);
        assert_eq!(heading("2017年,全区"), None);
        assert_eq!(heading("2017、2018年"), None);
        assert_eq!(heading("一是加大信息公开力度。"), None);
        assert_eq!(heading("（以下简称条例）"), None);
        assert_eq!(heading("二、"), None);
        assert_eq!(heading("1.2万元"), None);
        assert_eq!(heading("(二)。正文"), None);
        let long = format!("一、{}", "很".repeat(61));
        assert_eq!(heading(&long), None);
    }

    #[test]
    fn body_after_title() {
        let line = "(一)推进了源头治腐。今年以来,我们大力实施。";
        let h = heading(line).expect("heading");
        assert_eq!(h.2, "(一)");
        assert_eq!(h.3, "推进了源头治腐");
        assert_eq!(h.4, Some("今年以来,我们大力实施。"));
        let h = heading("一、强化领导。").expect("heading");
        assert_eq!(h.4, None);
        let h = heading("1.机构得到更新;  人员充实").expect("heading");
        assert_eq!(h.4, Some("人员充实"));
    }

    #[test]
    fn bare_shapes() {
        assert!(bare_shape("主動公開政府信息的情況"));
        assert!(bare_shape("政府信息公開的收費及減免的情況"));
        assert!(bare_shape("工作中存在的主要問題"));
        assert!(!bare_shape("附件:"));
        assert!(!bare_shape("2017年江岸区政府信息公开年度报告"));
        assert!(!bare_shape("• 地點:清新區"));
        assert!(!bare_shape(
            "2012年沒有因政府信息公開申請行政複議、提起行政訴訟的情況"
        ));
        assert!(!bare_shape("我区,很好"));
        assert!(!bare_shape("臺階。"));
    }
}
