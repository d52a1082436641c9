//! Folding: a normalised copy of the source text for matching, with a map back.
//!
//! STUB: identity fold. To be replaced by the real fold (traditional → simplified,
//! full-width ASCII → ASCII, odd spaces → space).

use crate::span::Span;

/// The folded copy of a source text and the map from folded offsets to source offsets.
#[derive(Debug, Clone)]
pub struct Folded {
    /// The folded text; rules match against this.
    pub text: String,
}

impl Folded {
    /// Fold `source`.
    pub fn new(source: &str) -> Folded {
        Folded {
            text: source.to_string(),
        }
    }

    /// The source byte offset of folded byte offset `folded` (a char boundary or the end).
    pub fn source_offset(&self, folded: usize) -> usize {
        folded
    }

    /// The source span of the folded byte range `range`.
    pub fn source_span(&self, range: std::ops::Range<usize>) -> Span {
        Span::new(
            self.source_offset(range.start),
            self.source_offset(range.end),
        )
    }
}

/// Fold one character (what `Folded::new` does to each character).
pub fn fold_char(c: char) -> char {
    c
}

/// Fold a whole string without keeping a map (for rule text such as regex literals).
pub fn fold_str(s: &str) -> String {
    s.chars().map(fold_char).collect()
}
