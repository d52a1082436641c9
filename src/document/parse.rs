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
        text: folded.text.get(range.clone()).unwrap_or("").to_string(),
        span: folded.source_span(range.clone()),
        folded: range,
    }
}

/// Rank of a heading in the outline: lower is higher. Bare headings rank with 一、.
fn rank(style: Option<NumberingStyle>) -> NumberingStyle {
    style.unwrap_or(NumberingStyle::Chinese)
}

pub(crate) fn parse(folded: &Folded) -> Document {
    let text = folded.text.as_str();
    let mut lines: Vec<LineInfo> = Vec::new();
    let mut dates: Vec<Date> = Vec::new();
    let mut numbers: Vec<Number> = Vec::new();
    let mut candidates = PublishedCandidates::default();
    let mut buf = String::new();

    let mut line_start = 0;
    for raw in text.split('\n') {
        let start = line_start;
        line_start += raw.len() + 1;
        let after_lead = raw.trim_start_matches(is_trim);
        let line = after_lead.trim_end_matches(is_trim);
        if line.is_empty() {
            continue;
        }
        let abs = start + (raw.len() - after_lead.len());
        let heading = headings::numbered(line);
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
        });
    }

    let title = lines.first().map(|l| text_ref(folded, l.range.clone()));
    let year = title.as_ref().and_then(|t| title_year(folded, t));
    let published = published(&lines, &candidates).and_then(|i| dates.get(i).cloned());
    let (sections, paragraphs) = outline(folded, &lines, title.as_ref());
    Document {
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
        let mut i = from;
        // End of the last date or number, so a Chinese date found at its 年 (after
        // the fact) cannot overlap what came before.
        let mut last_end = from;
        // Stepping by bytes is safe: the patterns tested are lead bytes or ASCII, never
        // UTF-8 continuation bytes, so a match is always a character boundary.
        while let Some(&b) = bytes.get(i) {
            let digit = b.is_ascii_digit()
                || (b == 0xEF
                    && bytes.get(i + 1) == Some(&0xBC)
                    && bytes.get(i + 2).is_some_and(|b| (0x90..=0x99).contains(b)));
            if digit && numbers::starts_number(line, i) {
                if let Some(d) = dates::arabic_date_at(line, i) {
                    i = d.range.end;
                    last_end = i;
                    self.push_date(d);
                    continue;
                }
                match numbers::scan(line, i, self.buf) {
                    Scan::Number(n) => {
                        i = n.range.end.max(i + 1);
                        last_end = i;
                        self.push_number(n);
                    }
                    Scan::Skip(end) => i = end.max(i + 1),
                }
                continue;
            }
            // 年 is E5 B9 B4: a Chinese date is recognised at its 年 and reaches back
            // over the four numerals of the year.
            if b == 0xE5 && bytes.get(i + 1..i + 3) == Some(&[0xB9, 0xB4][..]) {
                if let Some(d) = dates::chinese_date_at(line, i) {
                    if d.range.start >= last_end {
                        i = d.range.end;
                        last_end = i;
                        self.push_date(d);
                        continue;
                    }
                }
            }
            i += 1;
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
    let mut paragraphs = Vec::new();
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
                text: String::new(),
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
        && headings::bare_shape(text)
        && line.date_only.is_none()
        // Scraped pages repeat the title; that is not a section.
        && title.is_none_or(|t| t.text != text)
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
