//! Building a `Document` from folded text.
//!
//! Two passes over the lines: the first collects each line's numbered heading, dates
//! and numbers (a byte scan that only decodes at digits and 年); the second decides the
//! bare headings (they depend on the next line), builds the section tree and the
//! paragraphs. Every offset is a folded byte offset; spans come from
//! `Folded::source_span`, so nothing assumes the fold keeps byte lengths.

use std::ops::Range;

use super::dates::{self, Label};
use super::headings::{self, RawHeading};
use super::numbers::{self, Scan};
use super::{
    Date, Document, Heading, Number, Numbering, NumberingStyle, Paragraph, Section, TextRef,
};
use crate::byteset::{positions, ByteSet};
use crate::fold::Folded;
use crate::span::Span;

/// What the first pass learnt about one non-empty line.
struct LineInfo {
    /// The trimmed line, in folded bytes.
    range: Range<usize>,
    /// Its numbered heading (offsets relative to the line).
    heading: Option<RawHeading>,
    /// Index into the dates when the line is nothing but one date.
    date_only: Option<usize>,
    /// The line is a table row: never a heading.
    in_table: bool,
    /// The input format marks the line as a heading (a DOCX heading style).
    styled: bool,
}

/// Where a publication date might come from, in order of trust.
#[derive(Default)]
struct PublishedCandidates {
    /// First date after 成文日期 / 发文日期 / 印发日期.
    strong: Option<usize>,
    /// First date after 发布时间 / 发布日期.
    weak: Option<usize>,
}

/// Characters trimmed from both ends of a line: whitespace and the invisible marks
/// scraped pages carry.
fn is_trim(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{feff}' | '\u{200b}')
}

/// A `TextRef` for a folded byte range.
pub(crate) fn text_ref(folded: &Folded, range: Range<usize>) -> TextRef {
    TextRef {
        text: folded.text.sub(range.clone()),
        span: folded.source_span(range.clone()),
        folded: range,
    }
}

/// Index of the innermost section holding folded offset `at` (sections are in document
/// order, so the last one whose extent holds it is the innermost).
fn section_of(sections: &[Section], at: usize) -> usize {
    sections
        .iter()
        .rposition(|s| s.at.folded.start <= at && at < s.at.folded.end)
        .unwrap_or(0)
}

/// Rank of a heading in the outline: lower is higher. Bare headings rank with 一、.
fn rank(style: Option<NumberingStyle>) -> NumberingStyle {
    style.unwrap_or(NumberingStyle::Chinese)
}

pub(crate) fn parse(folded: &Folded, heading_lines: &[usize]) -> Document {
    let text = folded.text.as_str();
    // Sized up front: growing these vectors was a noticeable share of the parse time.
    // (Counting the lines first would cost more than growing; reports average a few
    // hundred bytes a line.)
    let mut lines: Vec<LineInfo> = Vec::with_capacity(text.len() / 256 + 8);
    let mut dates: Vec<Date> = Vec::new();
    let mut numbers: Vec<Number> = Vec::with_capacity(text.len() / 200 + 4);
    let mut candidates = PublishedCandidates::default();
    let mut buf = String::new();
    let (mut tables, table_lines) = super::table::find(folded);
    let mut table_line = table_lines.iter().peekable();

    let mut styled_lines = heading_lines.iter().copied().peekable();
    for (index, (start, raw)) in crate::span::lines(text).enumerate() {
        while styled_lines.next_if(|&l| l < index).is_some() {}
        let styled = styled_lines.peek() == Some(&index);
        let after_lead = raw.trim_start_matches(is_trim);
        let line = after_lead.trim_end_matches(is_trim);
        if line.is_empty() {
            continue;
        }
        let abs = start + (raw.len() - after_lead.len());
        while table_line.next_if(|r| r.end <= abs).is_some() {}
        let in_table = table_line.peek().is_some_and(|r| r.start <= abs);
        let heading = if in_table {
            None
        } else {
            headings::numbered(line)
        };
        // The marker's digits ("1、") are numbering, not a quantity.
        let scan_from = heading.as_ref().map_or(0, |h| h.marker.range.end);
        let first_date = dates.len();
        let mut scanner = LineScanner {
            folded,
            line,
            abs,
            dates: &mut dates,
            numbers: &mut numbers,
            candidates: &mut candidates,
            buf: &mut buf,
        };
        scanner.scan(scan_from);
        let range = abs..abs + line.len();
        let date_only = (dates.len() == first_date + 1
            && dates.get(first_date).is_some_and(|d| d.at.folded == range))
        .then_some(first_date);
        lines.push(LineInfo {
            range,
            heading,
            date_only,
            in_table,
            styled,
        });
    }

    let title = lines.first().map(|l| text_ref(folded, l.range.clone()));
    let year = title.as_ref().and_then(|t| title_year(folded, t));
    let published = published(&lines, &candidates).and_then(|i| dates.get(i).cloned());
    let (sections, paragraphs) = outline(folded, &lines, title.as_ref());
    Document {
        tables: {
            for t in &mut tables {
                t.section = section_of(&sections, t.at.folded.start);
            }
            tables
        },
        lines: lines
            .iter()
            .map(|l| text_ref(folded, l.range.clone()))
            .collect(),
        title,
        year,
        published,
        sections,
        paragraphs,
        numbers,
        dates,
    }
}

/// The report year stated in the title, as a number with its position.
fn title_year(folded: &Folded, title: &TextRef) -> Option<Number> {
    let (range, year) = dates::title_year(&title.text)?;
    let start = title.folded.start;
    Some(Number {
        value: f64::from(year),
        precision: 0.5,
        percent: false,
        approx: false,
        unit: Some("年".to_string()),
        at: text_ref(folded, start + range.start..start + range.end),
    })
}

/// Index of the publication date: a labelled 成文日期 beats a date standing alone on a
/// line in the last third of the text (the signature block), which beats 发布时间 (the
/// web page's date, kept only when nothing better exists).
fn published(lines: &[LineInfo], candidates: &PublishedCandidates) -> Option<usize> {
    let n = lines.len();
    let standalone = lines
        .iter()
        .enumerate()
        .rev()
        .take_while(|(k, _)| 3 * k >= 2 * n)
        .find_map(|(_, l)| l.date_only);
    candidates.strong.or(standalone).or(candidates.weak)
}

/// The dates and numbers of one line.
struct LineScanner<'a> {
    folded: &'a Folded,
    /// The trimmed line.
    line: &'a str,
    /// Folded offset of the line's first byte.
    abs: usize,
    dates: &'a mut Vec<Date>,
    numbers: &'a mut Vec<Number>,
    candidates: &'a mut PublishedCandidates,
    buf: &'a mut String,
}

impl LineScanner<'_> {
    /// Scan from byte `from` to the end of the line.
    fn scan(&mut self, from: usize) {
        let line = self.line;
        let bytes = line.as_bytes();
        // Next byte not yet consumed by a date or number.
        let mut i = from;
        // End of the last date or number, so a Chinese date found at its 年 (after
        // the fact) cannot overlap what came before.
        let mut last_end = from;
        for hit in hits(bytes, from) {
            if hit.at < i {
                continue;
            }
            match hit.kind {
                HitKind::Digit => {
                    if !numbers::starts_number(line, hit.at) {
                        continue;
                    }
                    if let Some(d) = dates::arabic_date_at(line, hit.at) {
                        i = d.range.end;
                        last_end = i;
                        self.push_date(d);
                        continue;
                    }
                    match numbers::scan(line, hit.at, self.buf) {
                        Scan::Number(n) => {
                            i = n.range.end.max(hit.at + 1);
                            last_end = i;
                            self.push_number(n);
                        }
                        Scan::Skip(end) => i = end.max(hit.at + 1),
                    }
                }
                // A Chinese date is recognised at its 年 and reaches back over the four
                // numerals of the year.
                HitKind::Nian => {
                    if let Some(d) = dates::chinese_date_at(line, hit.at) {
                        if d.range.start >= last_end {
                            i = d.range.end;
                            last_end = i;
                            self.push_date(d);
                        }
                    }
                }
            }
        }
    }

    fn at(&self, range: Range<usize>) -> TextRef {
        text_ref(self.folded, self.abs + range.start..self.abs + range.end)
    }

    fn push_date(&mut self, d: dates::RawDate) {
        let index = self.dates.len();
        match dates::label_before(self.line, d.range.start) {
            Some(Label::Strong) => {
                self.candidates.strong.get_or_insert(index);
            }
            Some(Label::Weak) => {
                self.candidates.weak.get_or_insert(index);
            }
            None => {}
        }
        let at = self.at(d.range);
        self.dates.push(Date {
            year: d.year,
            month: d.month,
            day: d.day,
            at,
        });
    }

    fn push_number(&mut self, n: numbers::RawNumber) {
        let at = self.at(n.range);
        self.numbers.push(Number {
            value: n.value,
            precision: n.precision,
            percent: n.percent,
            approx: n.approx,
            unit: n.unit.map(String::from),
            at,
        });
    }
}

/// The section tree and the paragraphs.
fn outline(
    folded: &Folded,
    lines: &[LineInfo],
    title: Option<&TextRef>,
) -> (Vec<Section>, Vec<Paragraph>) {
    let text_len = folded.text.len();
    let mut sections = vec![Section {
        heading: None,
        level: 0,
        parent: None,
        children: vec![],
        at: text_ref(folded, 0..text_len),
    }];
    // Extent of each section, filled in when it closes; the root's is the whole text.
    let mut extents: Vec<Range<usize>> = Vec::with_capacity(lines.len() / 4 + 1);
    extents.push(0..text_len);
    // Open sections, innermost last, with their rank.
    let mut open: Vec<(usize, NumberingStyle)> = Vec::new();
    let mut paragraphs = Vec::with_capacity(lines.len() + lines.len() / 4);
    let doc_end = lines.last().map_or(0, |l| l.range.end);

    for (k, line) in lines.iter().enumerate() {
        let Some((heading, body)) = heading_of(folded, lines, k, line, title) else {
            let section = open.last().map_or(0, |&(i, _)| i);
            paragraphs.push(Paragraph {
                section,
                at: text_ref(folded, line.range.clone()),
            });
            continue;
        };
        let rank = rank(heading.numbering.as_ref().map(|n| n.style));
        // A section ends where the last line before the heading that closes it ends.
        let close_at = k
            .checked_sub(1)
            .and_then(|p| lines.get(p))
            .map_or(line.range.start, |l| l.range.end);
        while let Some(&(idx, r)) = open.last() {
            if r < rank {
                break;
            }
            if let Some(e) = extents.get_mut(idx) {
                e.end = close_at;
            }
            open.pop();
        }
        let parent = open.last().map_or(0, |&(i, _)| i);
        let idx = sections.len();
        let level = sections.get(parent).map_or(0, |s| s.level) + 1;
        if let Some(p) = sections.get_mut(parent) {
            p.children.push(idx);
        }
        sections.push(Section {
            heading: Some(heading),
            level,
            parent: Some(parent),
            children: vec![],
            at: TextRef {
                text: folded.text.sub(0..0),
                span: Span::default(),
                folded: 0..0,
            },
        });
        extents.push(line.range.start..doc_end);
        open.push((idx, rank));
        if let Some(body) = body {
            paragraphs.push(Paragraph {
                section: idx,
                at: text_ref(folded, body),
            });
        }
    }
    for (section, extent) in sections.iter_mut().zip(extents).skip(1) {
        section.at = text_ref(folded, extent);
    }
    (sections, paragraphs)
}

/// The heading line `k` is, with the folded range of its body text, if it is one.
fn heading_of(
    folded: &Folded,
    lines: &[LineInfo],
    k: usize,
    line: &LineInfo,
    title: Option<&TextRef>,
) -> Option<(Heading, Option<Range<usize>>)> {
    if line.in_table {
        return None;
    }
    let abs = line.range.start;
    let shift = |r: &Range<usize>| abs + r.start..abs + r.end;
    if let Some(h) = &line.heading {
        let heading = Heading {
            numbering: Some(Numbering {
                style: h.marker.style,
                value: h.marker.value,
                at: text_ref(folded, shift(&h.marker.range)),
            }),
            title: text_ref(folded, shift(&h.title)),
            line: text_ref(folded, line.range.clone()),
        };
        return Some((heading, h.body.as_ref().map(shift)));
    }
    let text = folded.text.get(line.range.clone())?;
    let is_bare = k > 0
        && (line.styled || headings::bare_shape(text))
        && line.date_only.is_none()
        // Scraped pages repeat the title; that is not a section.
        && title.is_none_or(|t| *t.text != *text)
        // An issuing body's name followed by a date is a signature block.
        && lines.get(k + 1).is_none_or(|l| l.date_only.is_none());
    if !is_bare {
        return None;
    }
    let line_ref = text_ref(folded, line.range.clone());
    let heading = Heading {
        numbering: None,
        title: line_ref.clone(),
        line: line_ref,
    };
    Some((heading, None))
}

/// What can start a date or a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HitKind {
    /// An ASCII or full-width digit.
    Digit,
    /// 年, the anchor of a date in Chinese numerals.
    Nian,
}

/// A place where a date or number may start: a character boundary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Hit {
    at: usize,
    kind: HitKind,
}

/// The places in a line where a date or number may start, in order.
///
/// Only the bytes that can belong to a start are looked at, found sixteen at a time
/// (see [`crate::byteset`]): an ASCII digit, 0xBC (the middle byte of a full-width
/// digit, EF BC 90..99) or 0xB4 (the last byte of 年, E5 B9 B4). Each is then checked
/// exactly.
fn hits(bytes: &[u8], from: usize) -> impl Iterator<Item = Hit> + '_ {
    positions::<Starts>(bytes, from).filter_map(move |k| hit_at(bytes, k))
}

/// The bytes [`hits`] looks at.
struct Starts;

impl ByteSet for Starts {
    const BYTES: &'static [u8] = &[0xB4, 0xBC];
    const DIGITS: bool = true;
}

/// The hit the flagged byte at `k` stands for, if it really is one.
fn hit_at(bytes: &[u8], k: usize) -> Option<Hit> {
    let b = |j: usize| bytes.get(j).copied();
    match b(k)? {
        b'0'..=b'9' => Some(Hit {
            at: k,
            kind: HitKind::Digit,
        }),
        0xBC if b(k.checked_sub(1)?) == Some(0xEF)
            && b(k + 1).is_some_and(|c| (0x90..=0x99).contains(&c)) =>
        {
            Some(Hit {
                at: k - 1,
                kind: HitKind::Digit,
            })
        }
        0xB4 if b(k.checked_sub(1)?) == Some(0xB9) && b(k.checked_sub(2)?) == Some(0xE5) => {
            Some(Hit {
                at: k - 2,
                kind: HitKind::Nian,
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every digit and 年, found one character at a time.
    fn naive(s: &str, from: usize) -> Vec<Hit> {
        s.char_indices()
            .filter(|&(i, _)| i >= from)
            .filter_map(|(at, c)| match c {
                '0'..='9' | '０'..='９' => Some(Hit {
                    at,
                    kind: HitKind::Digit,
                }),
                '年' => Some(Hit {
                    at,
                    kind: HitKind::Nian,
                }),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn chunk_scan_finds_every_start() {
        let samples = [
            "",
            "7",
            "年",
            "二〇一八年一月二十三日",
            "共收到497件,其中1,062件已办,２０１７年、１００％,2018年1月23日。",
            "aé年年１x９ 0ｂ〇年",
            "收费及减免¼´¼˴ｼ",
        ];
        for s in samples {
            for from in (0..=s.len()).filter(|&i| s.is_char_boundary(i)) {
                let got: Vec<Hit> = hits(s.as_bytes(), from).collect();
                assert_eq!(got, naive(s, from), "{s:?} from {from}");
            }
        }
        // Every alignment of a full-width digit and of 年 against the 16-byte chunks.
        for pad in 0..=17 {
            let s = format!("{}５年{}", "a".repeat(pad), "中".repeat(pad));
            let got: Vec<Hit> = hits(s.as_bytes(), 0).collect();
            assert_eq!(got, naive(&s, 0), "{s:?}");
        }
    }
}
