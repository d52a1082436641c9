//! Character helpers shared by the document scanners: digits in both widths, Chinese
//! numerals, in-line spaces, Han detection.
//!
//! The scanners work on byte offsets into folded text and must never split a character;
//! every helper here goes through `str::get`, so a bad offset yields `None`, not a panic.

/// The character starting at byte `i` of `s` and the byte just after it.
pub(crate) fn char_at(s: &str, i: usize) -> Option<(char, usize)> {
    let c = s.get(i..)?.chars().next()?;
    Some((c, i + c.len_utf8()))
}

/// The character ending at byte `i` of `s`.
pub(crate) fn char_before(s: &str, i: usize) -> Option<char> {
    s.get(..i)?.chars().next_back()
}

/// The value of an ASCII or full-width digit.
///
/// Full-width digits are accepted even though the fold turns them into ASCII, so the
/// scanners give the same answer on folded and unfolded text.
pub(crate) fn digit_value(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => None,
    }
}

/// Whether `c` is an ASCII or full-width digit.
pub(crate) fn is_digit(c: char) -> bool {
    digit_value(c).is_some()
}

/// Spaces that may stand inside a number or date written out by a PDF extractor
/// ("2014 年", "1062 件"); never a line break.
pub(crate) fn is_inline_space(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\u{3000}' | '\u{a0}' | '\u{2002}'..='\u{200a}'
    )
}

/// The first byte at or after `i` that is not an in-line space.
pub(crate) fn skip_spaces(s: &str, mut i: usize) -> usize {
    let bytes = s.as_bytes();
    loop {
        // Peek at the lead byte first: nearly always the next character is a Han
        // character or ASCII, and decoding it is wasted work.
        match bytes.get(i) {
            Some(b' ' | b'\t') => i += 1,
            Some(0xC2 | 0xE2 | 0xE3) => match char_at(s, i) {
                Some((c, next)) if is_inline_space(c) => i = next,
                _ => return i,
            },
            _ => return i,
        }
    }
}

/// A run of digits starting at `i`: the byte after it, how many digits and their value
/// (saturating, so a 400-digit run does not overflow).
pub(crate) fn digit_run(s: &str, mut i: usize) -> (usize, usize, u32) {
    let mut count = 0;
    let mut value: u32 = 0;
    while let Some((c, next)) = char_at(s, i) {
        let Some(d) = digit_value(c) else { break };
        value = value.saturating_mul(10).saturating_add(d);
        count += 1;
        i = next;
    }
    (i, count, value)
}

/// A digit of a Chinese numeral (〇 and ○ are both written for zero).
pub(crate) fn chinese_digit(c: char) -> Option<u32> {
    Some(match c {
        '〇' | '○' | '零' => 0,
        '一' => 1,
        '二' | '两' | '兩' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

/// A digit of a year written in Chinese numerals; typists also use a Latin or
/// full-width letter O for zero ("二O一六年").
pub(crate) fn chinese_year_digit(c: char) -> Option<u32> {
    match c {
        'O' | 'o' | 'Ｏ' | 'ｏ' => Some(0),
        _ => chinese_digit(c),
    }
}

/// Whether `c` can be part of a Chinese numeral (digits and 十 百 千).
pub(crate) fn is_chinese_numeral_char(c: char) -> bool {
    chinese_digit(c).is_some() || matches!(c, '十' | '拾' | '百' | '千')
}

/// The value of a Chinese numeral: positional (`十二` → 12, `二十九` → 29,
/// `一百零五` → 105) or digit by digit (`二〇一六` → 2016).
///
/// Returns `None` for anything that is not a well-formed numeral, for an empty string,
/// and for values beyond `u32`.
pub fn chinese_numeral_value(s: &str) -> Option<u32> {
    if s.is_empty() {
        return None;
    }
    let positional = s.chars().any(|c| matches!(c, '十' | '拾' | '百' | '千'));
    if !positional {
        // A digit-by-digit numeral, as years are written.
        let mut value: u32 = 0;
        for c in s.chars() {
            value = value.checked_mul(10)?.checked_add(chinese_digit(c)?)?;
        }
        return Some(value);
    }
    let mut total: u32 = 0;
    let mut pending: Option<u32> = None;
    let mut last_unit = u32::MAX;
    for c in s.chars() {
        let unit = match c {
            '十' | '拾' => 10,
            '百' => 100,
            '千' => 1000,
            '〇' | '○' | '零' => {
                // 零 only marks a skipped place (一百零五); it may not follow a digit.
                if pending.is_some() {
                    return None;
                }
                continue;
            }
            _ => {
                if pending.is_some() {
                    return None;
                }
                pending = Some(chinese_digit(c)?);
                continue;
            }
        };
        // Places must strictly decrease (no 十百); a bare 十 at the start means 一十.
        if unit >= last_unit {
            return None;
        }
        let n = match pending.take() {
            Some(n) => n,
            None if total == 0 && unit == 10 => 1,
            None => return None,
        };
        total = total.checked_add(n.checked_mul(unit)?)?;
        last_unit = unit;
    }
    total.checked_add(pending.unwrap_or(0))
}

/// Whether `c` is a Han character (CJK unified ideographs and their extensions).
pub(crate) fn is_han(c: char) -> bool {
    matches!(c,
        '\u{4e00}'..='\u{9fff}'
        | '\u{3400}'..='\u{4dbf}'
        | '\u{f900}'..='\u{faff}'
        | '\u{20000}'..='\u{3134f}'
        | '〇')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_numerals() {
        assert_eq!(chinese_numeral_value("一"), Some(1));
        assert_eq!(chinese_numeral_value("十"), Some(10));
        assert_eq!(chinese_numeral_value("十二"), Some(12));
        assert_eq!(chinese_numeral_value("二十"), Some(20));
        assert_eq!(chinese_numeral_value("二十九"), Some(29));
        assert_eq!(chinese_numeral_value("三十一"), Some(31));
        assert_eq!(chinese_numeral_value("一百零五"), Some(105));
        assert_eq!(chinese_numeral_value("二〇一六"), Some(2016));
        assert_eq!(chinese_numeral_value("二○一一"), Some(2011));
        assert_eq!(chinese_numeral_value(""), None);
        assert_eq!(chinese_numeral_value("十十"), None);
        assert_eq!(chinese_numeral_value("二三十"), None);
        assert_eq!(chinese_numeral_value("是"), None);
        assert_eq!(chinese_numeral_value(&"九".repeat(40)), None);
    }

    #[test]
    fn digits_both_widths() {
        assert_eq!(digit_value('7'), Some(7));
        assert_eq!(digit_value('７'), Some(7));
        assert_eq!(digit_value('a'), None);
        let s = "１２3x";
        assert_eq!(digit_run(s, 0), (7, 3, 123));
        assert_eq!(digit_run(&"9".repeat(400), 0).2, u32::MAX);
    }

    #[test]
    fn spaces() {
        let s = "a \u{3000}\t\u{a0}\u{2003}b";
        assert_eq!(skip_spaces(s, 1), s.len() - 1);
        assert_eq!(skip_spaces(s, 0), 0);
        assert_eq!(skip_spaces("，", 0), 0);
        assert_eq!(skip_spaces("x ", 1), 2);
    }

    #[test]
    fn offsets_inside_a_char_are_none() {
        assert_eq!(char_at("年", 1), None);
        assert_eq!(char_before("年", 2), None);
        assert_eq!(char_at("年", 0), Some(('年', 3)));
    }
}
