//! Byte ranges into an original source text, and line/column lookup.

use serde::Serialize;

/// A byte range `start..end` into the original (decoded) source text.
///
/// Every value that came from a report carries one, so a finding can point at the
/// exact characters the report wrote — even when matching happened on folded text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize)]
pub struct Span {
    /// First byte of the range.
    pub start: usize,
    /// One past the last byte of the range.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end` (swapped if given in the wrong order).
    pub fn new(start: usize, end: usize) -> Self {
        if start <= end {
            Span { start, end }
        } else {
            Span {
                start: end,
                end: start,
            }
        }
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// Whether the span covers no bytes.
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

impl From<std::ops::Range<usize>> for Span {
    fn from(r: std::ops::Range<usize>) -> Self {
        Span::new(r.start, r.end)
    }
}

impl From<Span> for miette::SourceSpan {
    fn from(s: Span) -> Self {
        (s.start, s.len()).into()
    }
}

/// Where byte offsets stand (line, column, code points before them), for offsets
/// looked up mostly in increasing order, as a finding's labels are.
///
/// A column is counted from the previous lookup when that was earlier on the same
/// line, else from the line's start; code points before an offset are the count
/// before its line (one pass over the text, made at the first [`LineCursor::locate`])
/// plus its column. A damaged report can carry hundreds of labels on one long line,
/// and counting each from the line's or the text's start made the lookups
/// quadratic. Gives exactly what [`LineIndex::line_col`] and a count from the text's
/// start give, whatever the order.
pub struct LineCursor<'a> {
    index: LineIndex,
    text: &'a str,
    /// The last offset looked up (a char boundary), its 0-based line and column.
    at: usize,
    line: usize,
    col: usize,
    /// Code points before each line, once needed.
    before_line: Option<Vec<usize>>,
}

/// A located offset: 1-based line and column (code points), and the code points
/// before it in the whole text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in code points.
    pub column: usize,
    /// Code points before the offset.
    pub char_offset: usize,
}

impl<'a> LineCursor<'a> {
    /// A cursor at the start of `text`.
    pub fn new(text: &'a str) -> Self {
        LineCursor {
            index: LineIndex::new(text),
            text,
            at: 0,
            line: 0,
            col: 0,
            before_line: None,
        }
    }

    /// 1-based (line, column) of `offset`, as [`LineIndex::line_col`]: clamped to the
    /// text's length, and counting bytes for an offset inside a character.
    pub fn line_col(&mut self, offset: usize) -> (usize, usize) {
        let text = self.text;
        let offset = offset.min(text.len());
        let line = self.index.line_of(offset);
        let start = self.index.starts.get(line).copied().unwrap_or(0);
        let count = |a: usize, b: usize| text.get(a..b).map(|s| s.chars().count());
        if !text.is_char_boundary(offset) {
            return (line + 1, count(start, offset).unwrap_or(offset - start) + 1);
        }
        let col = if line == self.line && (start..=offset).contains(&self.at) {
            self.col + count(self.at, offset).unwrap_or(offset - self.at)
        } else {
            count(start, offset).unwrap_or(offset - start)
        };
        (self.at, self.line, self.col) = (offset, line, col);
        (line + 1, col + 1)
    }

    /// Where `offset` stands: [`LineCursor::line_col`] and the code points before it
    /// (bytes, for an offset inside a character).
    pub fn locate(&mut self, offset: usize) -> Location {
        let (line, column) = self.line_col(offset);
        let offset = offset.min(self.text.len());
        let char_offset = if self.text.is_char_boundary(offset) {
            self.chars_before_line(line - 1) + column - 1
        } else {
            offset
        };
        Location {
            line,
            column,
            char_offset,
        }
    }

    /// Code points before 0-based line `line`.
    fn chars_before_line(&mut self, line: usize) -> usize {
        let (text, starts) = (self.text, &self.index.starts);
        let before = self.before_line.get_or_insert_with(|| {
            let mut total = 0;
            let mut before = Vec::with_capacity(starts.len());
            for (i, &s) in starts.iter().enumerate() {
                before.push(total);
                let end = starts.get(i + 1).copied().unwrap_or(text.len());
                total += text.get(s..end).map_or(end - s, |l| l.chars().count());
            }
            before
        });
        before.get(line).copied().unwrap_or(0)
    }
}

/// A piece of a shared text: one reference-counted `String` and a byte range of it.
///
/// The document model cuts thousands of pieces (lines, paragraphs, cells, sections)
/// out of one folded report and evaluation hands them to every rule that reads them;
/// sharing the report's one allocation costs a reference count per piece where an
/// `Arc<str>` of its own cost an allocation and a copy. (An `Arc<String>`, not an
/// `Arc<str>`: the folded text is built as a `String`, and wrapping it moves it where
/// `Arc<str>` would copy it.) Compares, hashes and prints as the `str` it holds.
#[derive(Clone)]
pub struct SharedStr {
    whole: std::sync::Arc<String>,
    // INVARIANT: `start..end` lies on char boundaries of `whole` (checked in `sub`).
    start: usize,
    end: usize,
}

impl SharedStr {
    /// The text.
    pub fn as_str(&self) -> &str {
        self.whole.get(self.start..self.end).unwrap_or_default()
    }

    /// The bytes `range` of this text (offsets relative to it), sharing its storage;
    /// empty when `range` is out of bounds or does not fall on char boundaries.
    pub fn sub(&self, range: std::ops::Range<usize>) -> SharedStr {
        let (start, end) = match self.as_str().get(range.clone()) {
            Some(_) => (self.start + range.start, self.start + range.end),
            None => (self.start, self.start),
        };
        SharedStr {
            whole: std::sync::Arc::clone(&self.whole),
            start,
            end,
        }
    }
}

impl Default for SharedStr {
    fn default() -> Self {
        SharedStr::from("")
    }
}

impl std::ops::Deref for SharedStr {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for SharedStr {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl std::borrow::Borrow<str> for SharedStr {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl From<String> for SharedStr {
    fn from(s: String) -> Self {
        let end = s.len();
        SharedStr {
            whole: std::sync::Arc::new(s),
            start: 0,
            end,
        }
    }
}

impl From<std::sync::Arc<str>> for SharedStr {
    fn from(s: std::sync::Arc<str>) -> Self {
        SharedStr::from(s.to_string())
    }
}

impl From<&str> for SharedStr {
    fn from(s: &str) -> Self {
        SharedStr::from(s.to_owned())
    }
}

impl PartialEq for SharedStr {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for SharedStr {}

impl PartialEq<str> for SharedStr {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for SharedStr {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for SharedStr {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl std::hash::Hash for SharedStr {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state)
    }
}

impl PartialOrd for SharedStr {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for SharedStr {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl std::fmt::Debug for SharedStr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl std::fmt::Display for SharedStr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for SharedStr {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// Maps byte offsets to 1-based line and column numbers (columns count characters).
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Index the line starts of `text`.
    pub fn new(text: &str) -> Self {
        LineIndex {
            starts: line_starts(text),
        }
    }

    /// 1-based (line, column) of a byte offset; the column counts characters.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let line = self.line_of(offset);
        let start = self.starts.get(line).copied().unwrap_or(0);
        let col = text
            .get(start..offset)
            .map(|s| s.chars().count())
            .unwrap_or(offset - start);
        (line + 1, col + 1)
    }

    /// 0-based line holding byte `offset`.
    fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    /// Byte range of 1-based line `line` (without its newline), if it exists.
    pub fn line_span(&self, text: &str, line: usize) -> Option<Span> {
        let start = *self.starts.get(line.checked_sub(1)?)?;
        let end = self.starts.get(line).map(|&n| n - 1).unwrap_or(text.len());
        Some(Span::new(start, end))
    }

    /// Number of lines.
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    /// Whether there are no lines (never true: an empty text has one empty line).
    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }
}

/// Offsets just past every `\n`, found by the memchr crate's vectorised search (the
/// standard library's `char` search tests a word at a time: on report lines of a few
/// hundred bytes it was a noticeable share of a run).
fn memchr_newlines(text: &str) -> impl Iterator<Item = usize> + '_ {
    memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1)
}

/// Offset of every line start of `text`: 0, then just past every `\n`.
pub fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0).chain(memchr_newlines(text)).collect()
}

/// The pieces of `text` between newlines, as `text.split('\n')` gives them (the last
/// one after the final newline, even when empty), each with its start offset.
pub fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> + '_ {
    let ends = memchr::memchr_iter(b'\n', text.as_bytes()).chain(std::iter::once(text.len()));
    let mut start = 0;
    ends.map(move |end| {
        let from = start;
        start = end + 1;
        // `\n` is ASCII, so both ends are character boundaries.
        (from, text.get(from..end).unwrap_or(""))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_split_like_str_split() {
        for text in ["", "\n", "a", "a\n", "一\n\n二三\n四", "\n\nx\n\n"] {
            let ours: Vec<(usize, &str)> = lines(text).collect();
            let mut at = 0;
            let std: Vec<(usize, &str)> = text
                .split('\n')
                .map(|l| {
                    let here = at;
                    at += l.len() + 1;
                    (here, l)
                })
                .collect();
            assert_eq!(ours, std, "{text:?}");
        }
    }

    #[test]
    fn shared_str_pieces_are_the_str_they_cut() {
        let whole = SharedStr::from("一二\n三四五");
        // Every range: on char boundaries a piece is that slice (and pieces of pieces
        // compose); off them, or out of bounds, it is empty, never a panic.
        for a in 0..=whole.len() + 1 {
            for b in 0..=whole.len() + 1 {
                let piece = whole.sub(a..b);
                assert_eq!(piece.as_str(), whole.get(a..b).unwrap_or(""), "{a}..{b}");
                if let Some(s) = whole.get(a..b) {
                    for c in 0..=s.len() {
                        assert_eq!(piece.sub(c..s.len()), s.get(c..).unwrap_or(""));
                    }
                }
            }
        }
        // Compared, hashed and ordered as the text, wherever it was cut from.
        let other = SharedStr::from("三四五,另一个");
        assert_eq!(whole.sub(7..16), other.sub(0..9));
        let hash = |s: &SharedStr| {
            use std::hash::{BuildHasher, BuildHasherDefault};
            BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default().hash_one(s)
        };
        assert_eq!(hash(&whole.sub(7..16)), hash(&other.sub(0..9)));
        assert!(whole.sub(0..3) < whole.sub(3..6));
        assert_eq!(format!("{:?}", whole.sub(0..3)), "\"一\"");
        assert_eq!(SharedStr::default(), "");
    }

    #[test]
    fn cursor_locates_as_counting_from_the_start() {
        let texts = [
            "",
            "a",
            "一二\n三四五\n",
            "\n\n一a二\n\nb三\n四",
            "长行长行长行长行\n短",
        ];
        for text in texts {
            let index = LineIndex::new(text);
            let offsets: Vec<usize> = (0..=text.len() + 2).collect();
            let expect = |o: usize| {
                let (line, column) = index.line_col(text, o);
                let o = o.min(text.len());
                let char_offset = text.get(..o).map_or(o, |s| s.chars().count());
                Location {
                    line,
                    column,
                    char_offset,
                }
            };
            // In order, in reverse, and jumping about (every other, then back).
            let mut orders = vec![offsets.clone(), offsets.iter().rev().copied().collect()];
            let mut jumps: Vec<usize> = offsets.iter().step_by(2).copied().collect();
            jumps.extend(offsets.iter().skip(1).step_by(3));
            orders.push(jumps);
            for order in orders {
                let mut cursor = LineCursor::new(text);
                for &o in &order {
                    assert_eq!(cursor.locate(o), expect(o), "{text:?} at {o}");
                }
            }
        }
    }

    #[test]
    fn line_col_counts_characters() {
        let text = "一二\n三四五\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 0), (1, 1));
        assert_eq!(idx.line_col(text, 3), (1, 2));
        let off = text.find('五').unwrap();
        assert_eq!(idx.line_col(text, off), (2, 3));
        assert_eq!(idx.line_span(text, 2), Some(Span::new(7, 16)));
    }
}
