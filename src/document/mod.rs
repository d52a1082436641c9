//! Document: the generic report model — title, year, publication date, section tree,
//! paragraphs, numbers and dates — each with its span in the source.
//!
//! Nothing here knows about annual reports; that lives in the rule packs.
//! Every item keeps both its source `Span` (for diagnostics) and its folded byte range
//! (so a rule's regex can be run over just that item's folded text).

use std::ops::Range;

use crate::fold::Folded;
use crate::span::Span;

/// A piece of report text: its folded form and where it stands.
#[derive(Debug, Clone, PartialEq)]
pub struct TextRef {
    /// The folded text (what rules match against).
    pub text: String,
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

/// The numbering of a heading: its style and value (`（三）` → style Paren, value 3).
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
    /// The heading's title without its numbering, up to the first 。 (folded) and its position.
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
}

impl Document {
    /// Build the model of a folded report.
    pub fn parse(folded: &Folded) -> Document {
        let all = TextRef {
            text: folded.text.clone(),
            span: folded.source_span(0..folded.text.len()),
            folded: 0..folded.text.len(),
        };
        Document {
            title: None,
            year: None,
            published: None,
            sections: vec![Section {
                heading: None,
                level: 0,
                parent: None,
                children: vec![],
                at: all,
            }],
            paragraphs: vec![],
            numbers: vec![],
            dates: vec![],
            lines: vec![],
        }
    }
}
