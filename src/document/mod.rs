//! Document: the generic report model — title, year, publication date, section tree,
//! paragraphs, numbers and dates — each with its span in the source.
//!
//! Nothing here knows about annual reports; that lives in the rule packs.
//! Every item keeps both its source `Span` (for diagnostics) and its folded byte range
//! (so a rule's regex can be run over just that item's folded text).
//!
//! Stage: `fold` → **document** → `eval`. [`Document::parse`] never fails and never
//! panics; a text with no structure is a root section holding its lines as paragraphs.
//! It reads the folded text but also accepts the full-width forms the fold removes
//! (（一）, １００％, ：), so it gives the same model before and after folding.
//!
//! How the parts are found:
//! - headings: a numbering marker at the start of a line (第一部分, 一、, (一), 1.,
//!   (1), ①) with a title of at most 60 characters up to the first 。/;, the rest of
//!   the line being a paragraph; or a *bare* heading, a short (≤ 25 characters) line
//!   starting with a Han character and holding no sentence punctuation, that is not the
//!   title, not a repeat of the title and not a signature (a line followed by a date
//!   standing alone);
//! - the tree: ranks Part < Chinese (and bare) < ChineseParen < Arabic < ArabicParen <
//!   Circled; a heading closes every open section of its rank or lower;
//! - numbers: digits with 3-digit thousands groups, decimals, %, 万/亿, 余/多 and a
//!   one-character unit; digits glued to ASCII letters (`20XX`, `GB18030`) are not
//!   numbers, nor are the digits of a heading's marker or of a date;
//! - tables: see [`table`] (rows of cells split by `|`, tabs or space runs);
//! - the publication date: after 成文日期/发文日期/印发日期, else a date alone on a line
//!   in the last third of the lines (the last such), else after 发布时间/发布日期.

mod chars;
pub(crate) mod dates;
mod headings;
mod numbers;
mod parse;
mod table;

use std::ops::Range;

use crate::fold::Folded;
use crate::span::Span;

pub use chars::chinese_numeral_value;
pub use table::{Cell, CellKind, Column, Row, Table};

/// A piece of report text: its folded form and where it stands.
#[derive(Debug, Clone, PartialEq)]
pub struct TextRef {
    /// The folded text (what rules match against). Shared: a range of the report's
    /// one folded text, handed to every rule that reads it (`s.text`,
    /// `report.lines`) without copying.
    pub text: crate::span::SharedStr,
    /// Where it stands in the source.
    pub span: Span,
    /// Where it stands in the folded text.
    pub folded: Range<usize>,
}

/// A number as the report wrote it.
#[derive(Debug, Clone, PartialEq)]
pub struct Number {
    /// The value, scaled (万 → ×10⁴, 亿 → ×10⁸) and for a percent the fraction
    /// (`91.7%` → 0.917).
    pub value: f64,
    /// Half the unit of the last stated digit, in the same scale as `value`
    /// (`91.7%` → 0.0005; `100%` → 0.005; `37417.1548万` → 0.5).
    /// Used by `≈`: the stated number covers `value ± precision`.
    pub precision: f64,
    /// Written with `%` (or ％ / 百分之).
    pub percent: bool,
    /// Followed by 余 or 多 ("4470余条"): a lower bound, not an exact value.
    pub approx: bool,
    /// The unit word after it, if any (件, 条, 万元 → "元" with scale folded in, 年, 人 ...).
    pub unit: Option<String>,
    /// The number's text (folded) and position: digits, separators, %, 万/亿, 余/多.
    pub at: TextRef,
}

/// A calendar date as the report wrote it.
#[derive(Debug, Clone, PartialEq)]
pub struct Date {
    /// Year (e.g. 2018).
    pub year: i32,
    /// Month 1–12.
    pub month: u32,
    /// Day 1–31 (valid for the month).
    pub day: u32,
    /// The date's text and position.
    pub at: TextRef,
}

/// The numbering of a heading: its style and value (`（三）` → style ChineseParen, value 3).
#[derive(Debug, Clone, PartialEq)]
pub struct Numbering {
    /// Which numbering system.
    pub style: NumberingStyle,
    /// Its value (一 → 1, 十二 → 12, ③ → 3).
    pub value: u32,
    /// The numbering marker's text and position (`二、`, `（一）`).
    pub at: TextRef,
}

/// Numbering systems, in their usual outline rank (lower = higher level).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NumberingStyle {
    /// 第一部分 / 第一章 / 第一节.
    Part,
    /// 一、
    Chinese,
    /// （一） or (一)
    ChineseParen,
    /// 1. or 1、 or 1．
    Arabic,
    /// （1） or (1)
    ArabicParen,
    /// ① ②
    Circled,
}

/// A heading line.
#[derive(Debug, Clone, PartialEq)]
pub struct Heading {
    /// The numbering, if the heading is numbered.
    pub numbering: Option<Numbering>,
    /// The heading's title without its numbering, up to the first 。, `;` or ； (for a
    /// bare heading, the whole line), and its position.
    pub title: TextRef,
    /// The whole heading line.
    pub line: TextRef,
}

/// A section: a heading and everything up to the next heading of the same or higher rank.
/// Index 0 of `Document::sections` is the root: the whole document, with no heading.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// The heading (None only for the root).
    pub heading: Option<Heading>,
    /// Depth in the tree: root 0, top-level parts 1, ...
    pub level: u32,
    /// Parent section index (None for the root).
    pub parent: Option<usize>,
    /// Child section indices, in document order.
    pub children: Vec<usize>,
    /// The section's extent (heading included) in the source and folded text.
    pub at: TextRef,
}

/// A paragraph: a non-empty line (or the body part of a heading line after its title).
#[derive(Debug, Clone, PartialEq)]
pub struct Paragraph {
    /// Index of the innermost section holding it.
    pub section: usize,
    /// Its text and position.
    pub at: TextRef,
}

/// The parsed model of one report.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// The title: the first non-empty line.
    pub title: Option<TextRef>,
    /// The report year as stated in the title (`2016年`, `二〇一六年`, `2014 年`).
    pub year: Option<Number>,
    /// The publication date: after 发布时间/发文日期/成文日期, or a date standing alone
    /// on a line near the end.
    pub published: Option<Date>,
    /// All sections; index 0 is the root.
    pub sections: Vec<Section>,
    /// All paragraphs in document order.
    pub paragraphs: Vec<Paragraph>,
    /// Every number in document order (not those inside dates).
    pub numbers: Vec<Number>,
    /// Every date in document order.
    pub dates: Vec<Date>,
    /// Every non-empty line in document order.
    pub lines: Vec<TextRef>,
    /// Every table in document order (their lines are also lines and paragraphs, never
    /// headings).
    pub tables: Vec<Table>,
}

impl Document {
    /// Build the model of a folded report.
    ///
    /// Never fails: text with no recognisable structure gives a document with only the
    /// root section, its lines as paragraphs, and whatever numbers and dates it holds.
    pub fn parse(folded: &Folded) -> Document {
        parse::parse(folded, &[])
    }

    /// Like [`Document::parse`], where the input format marks some lines (0-based) as
    /// headings by style (DOCX heading styles): those are headings whatever their shape,
    /// unless they are table rows, a date, or the title.
    pub fn parse_with_headings(folded: &Folded, heading_lines: &[usize]) -> Document {
        parse::parse(folded, heading_lines)
    }

    /// The section at index `idx`, if there is one.
    pub fn section(&self, idx: usize) -> Option<&Section> {
        self.sections.get(idx)
    }

    /// Indices of the child sections of section `idx` (empty for an unknown index).
    pub fn section_children(&self, idx: usize) -> &[usize] {
        self.sections
            .get(idx)
            .map_or(&[], |s| s.children.as_slice())
    }

    /// Indices of the top-level sections (the root's children).
    pub fn top_sections(&self) -> &[usize] {
        self.section_children(0)
    }

    /// Indices of every section below `idx` (children, grandchildren, ...).
    ///
    /// Sections are stored in document order (a pre-order walk of the tree), so a
    /// section's descendants are the indices right after it, up to the next section
    /// that is not deeper.
    pub fn descendants(&self, idx: usize) -> Range<usize> {
        let Some(level) = self.sections.get(idx).map(|s| s.level) else {
            return 0..0;
        };
        let start = idx + 1;
        let len = self.sections.get(start..).map_or(0, |rest| {
            rest.iter().take_while(|s| s.level > level).count()
        });
        start..start + len
    }

    /// Every heading with the index of the section it opens, in document order.
    pub fn headings(&self) -> impl Iterator<Item = (usize, &Heading)> + '_ {
        self.sections
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.heading.as_ref().map(|h| (i, h)))
    }

    /// Index of the innermost section whose extent holds folded offset `offset`
    /// (0, the root, when no heading's section does).
    pub fn section_at(&self, offset: usize) -> usize {
        let mut current = 0;
        loop {
            let children = self.section_children(current);
            // Children are in document order with disjoint extents.
            let k = children.partition_point(|&c| {
                self.sections
                    .get(c)
                    .is_some_and(|s| s.at.folded.start <= offset)
            });
            let next = k
                .checked_sub(1)
                .and_then(|k| children.get(k))
                .copied()
                .filter(|&c| {
                    self.sections
                        .get(c)
                        .is_some_and(|s| offset < s.at.folded.end)
                });
            match next {
                Some(c) => current = c,
                None => return current,
            }
        }
    }

    /// The numbers lying wholly inside the folded range `range`.
    pub fn numbers_in(&self, range: Range<usize>) -> &[Number] {
        items_in(&self.numbers, range, |n| &n.at.folded)
    }

    /// The dates lying wholly inside the folded range `range`.
    pub fn dates_in(&self, range: Range<usize>) -> &[Date] {
        items_in(&self.dates, range, |d| &d.at.folded)
    }

    /// The lines lying wholly inside the folded range `range`.
    pub fn lines_in(&self, range: Range<usize>) -> &[TextRef] {
        items_in(&self.lines, range, |l| &l.folded)
    }

    /// The paragraphs lying wholly inside the folded range `range`.
    pub fn paragraphs_in_range(&self, range: Range<usize>) -> &[Paragraph] {
        items_in(&self.paragraphs, range, |p| &p.at.folded)
    }

    /// The paragraphs of section `idx` and of all its subsections (empty for an unknown
    /// index).
    pub fn paragraphs_in(&self, idx: usize) -> &[Paragraph] {
        match self.sections.get(idx) {
            Some(s) => self.paragraphs_in_range(s.at.folded.clone()),
            None => &[],
        }
    }

    /// The paragraphs directly in section `idx`, not in its subsections.
    pub fn own_paragraphs(&self, idx: usize) -> impl Iterator<Item = &Paragraph> + '_ {
        self.paragraphs_in(idx)
            .iter()
            .filter(move |p| p.section == idx)
    }

    /// The numbers in section `idx` and its subsections, heading included.
    pub fn numbers_in_section(&self, idx: usize) -> &[Number] {
        match self.sections.get(idx) {
            Some(s) => self.numbers_in(s.at.folded.clone()),
            None => &[],
        }
    }
}

impl Section {
    /// The heading's title (None for the root).
    pub fn title(&self) -> Option<&TextRef> {
        self.heading.as_ref().map(|h| &h.title)
    }

    /// The heading's numbering (None for the root and for bare headings).
    pub fn numbering(&self) -> Option<&Numbering> {
        self.heading.as_ref().and_then(|h| h.numbering.as_ref())
    }
}

impl NumberingStyle {
    /// Every style, highest outline rank first.
    pub const ALL: [NumberingStyle; 6] = [
        NumberingStyle::Part,
        NumberingStyle::Chinese,
        NumberingStyle::ChineseParen,
        NumberingStyle::Arabic,
        NumberingStyle::ArabicParen,
        NumberingStyle::Circled,
    ];
}

/// The items of `items` (sorted, non-overlapping, so their ends are sorted too) whose
/// range `key` lies wholly inside `range`.
fn items_in<T>(items: &[T], range: Range<usize>, key: impl Fn(&T) -> &Range<usize>) -> &[T] {
    let lo = items.partition_point(|x| key(x).start < range.start);
    let hi = items.partition_point(|x| key(x).end <= range.end);
    items.get(lo..hi.max(lo)).unwrap_or(&[])
}

#[cfg(test)]
mod tests;
