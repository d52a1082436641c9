//! Folding: a normalised copy of the source text for matching, with a map back.
//!
//! Stage two of the pipeline. [`Folded::new`] replaces every source character by
//! exactly one folded character:
//!
//! - traditional → simplified, character by character, from OpenCC's
//!   `TSCharacters.txt` (see `data/opencc/README.md`);
//! - full-width ASCII U+FF01..=U+FF5E → ASCII (`（一）` → `(一)`, `１００％` → `100%`);
//! - odd spaces (U+3000, U+00A0, U+2000..=U+200A, U+202F, U+205F) and zero-width
//!   characters (U+200B, U+FEFF) → `' '`.
//!
//! Tabs, newlines and all other characters (〇, ○, 、, 《》, 〔〕, “”, …) are kept.
//!
//! Guarantee: the folded text has exactly as many characters as the source, and
//! the n-th folded character comes from the n-th source character, so any folded
//! char boundary maps back to a source char boundary with [`Folded::source_offset`].

use crate::span::{SharedStr, Span};

/// OpenCC's traditional → simplified character table (Apache-2.0, see `data/opencc/`).
#[cfg(test)]
const TS_CHARACTERS: &str = include_str!("../data/opencc/TSCharacters.txt");

/// Smallest code point that can be a key in the table (start of CJK Extension A).
///
/// Everything below it (ASCII, Latin, punctuation, kana, 〇, 、…) skips the lookup.
/// A unit test checks that the table has no key below this.
const TABLE_START: u32 = 0x3400;

/// End (exclusive) of the code points looked up in a dense array: CJK Extension A
/// and the Unified Ideographs block, where nearly all keys and nearly all report
/// text live. Keys above it (Extension B and later) are few and binary-searched.
const DENSE_END: u32 = 0xA000;

/// The normalised copy of a source text and the map from folded offsets to source offsets.
#[derive(Debug, Clone)]
pub struct Folded {
    /// The folded text; rules match against this. Shared with the document model,
    /// whose pieces are ranges of it.
    pub text: SharedStr,
    /// Where folded offsets and source offsets drift apart.
    map: OffsetMap,
    /// When the folded text's source was itself extracted (from HTML), the map from
    /// that extracted text to the original file, applied after `map`.
    origin: Option<std::sync::Arc<crate::input::OriginMap>>,
}

impl Folded {
    /// Fold `source`.
    pub fn new(source: &str) -> Folded {
        let mut text = String::with_capacity(source.len());
        let mut map = OffsetMap::new(source.len());
        // Source bytes before `copied` are already in `text`; unchanged stretches
        // are copied in one go, so text that needs no folding costs one memcpy.
        let mut copied = 0;
        // Fetched at the first ideograph, so ASCII-only text never builds the table.
        let mut ts: Option<&TsTable> = None;
        let bytes = source.as_bytes();
        let mut at = 0;
        // Bytes, not chars: decoding every char through `str::chars` was most of the
        // cost. ASCII is skipped a byte at a time; 2- and 3-byte characters are decoded
        // by hand, and an ideograph of the dense range that folding leaves alone
        // (nearly every character of a report) is dismissed with one bit of
        // `STOPS`. Only 4-byte characters go through `char`s.
        loop {
            // The run of characters folding leaves alone from `at` (ASCII, Latin such
            // as pinyin, CJK punctuation, unchanged ideographs), in a loop of its own:
            // slice patterns keep it free of bounds checks.
            let mut rest = bytes.get(at..).unwrap_or_default();
            loop {
                match rest {
                    [b, tail @ ..] if *b < 0x80 => rest = tail,
                    [b0 @ 0xE2..=0xE9, b1, b2, tail @ ..] if keeps_3byte(*b0, *b1, *b2) => {
                        rest = tail
                    }
                    // U+0080..=U+07FF: only the no-break space U+00A0 (C2 A0) folds.
                    [b0 @ 0xC2..=0xDF, b1, tail @ ..] if (*b0, *b1) != (0xC2, 0xA0) => rest = tail,
                    _ => break,
                }
            }
            at = bytes.len() - rest.len();
            let Some(&b) = rest.first() else {
                break;
            };
            let (folded, len) = match traditional(rest) {
                // What ends a run in a traditional report, nearly always.
                Some(folded) => (folded, 3),
                None => {
                    let cont = |i: usize| bytes.get(at + i).map(|&x| x as u32 & 0x3F);
                    let decoded = match b {
                        0xC2..=0xDF => cont(1).map(|b1| (((b as u32 & 0x1F) << 6) | b1, 2)),
                        0xE0..=0xEF => match (cont(1), cont(2)) {
                            (Some(b1), Some(b2)) => {
                                Some((((b as u32 & 0x0F) << 12) | (b1 << 6) | b2, 3))
                            }
                            _ => None,
                        },
                        _ => None,
                    };
                    let (c, len) = match decoded {
                        Some((cp, len)) => match char::from_u32(cp) {
                            Some(c) => (c, len),
                            None => break,
                        },
                        None => match source.get(at..).and_then(|t| t.chars().next()) {
                            Some(c) => (c, c.len_utf8()),
                            None => break,
                        },
                    };
                    let folded = if (TABLE_START..DENSE_END).contains(&(c as u32)) {
                        ts.get_or_insert_with(table).get(c)
                    } else {
                        fold_char(c)
                    };
                    if folded == c {
                        at += len;
                        continue;
                    }
                    (folded, len)
                }
            };
            text.push_str(source.get(copied..at).unwrap_or_default());
            text.push(folded);
            copied = at + len;
            at = copied;
            if folded.len_utf8() != len {
                map.checkpoint(text.len(), copied);
            }
        }
        text.push_str(source.get(copied..).unwrap_or_default());
        Folded {
            text: SharedStr::from(text),
            map,
            origin: None,
        }
    }

    /// The same folded text, its source offsets taken one step further through
    /// `origin` (extracted text → the original file).
    pub fn with_origin(mut self, origin: std::sync::Arc<crate::input::OriginMap>) -> Folded {
        self.origin = Some(origin);
        self
    }

    /// The source byte offset of folded byte offset `folded` (a char boundary or the end).
    ///
    /// `text.len()` maps to the source length. Offsets inside a folded character
    /// map to some offset inside or next to the corresponding source character;
    /// offsets past the end map to the source length.
    pub fn source_offset(&self, folded: usize) -> usize {
        let o = self.map.source_offset(folded);
        match &self.origin {
            Some(origin) => origin.source_offset(o),
            None => o,
        }
    }

    /// The source span of the folded byte range `range`.
    pub fn source_span(&self, range: std::ops::Range<usize>) -> Span {
        Span::new(
            self.source_offset(range.start),
            self.source_offset(range.end),
        )
    }

    /// Whether folding changed the byte length of any character.
    ///
    /// When it did not, folded offsets equal source offsets.
    pub fn offsets_unchanged(&self) -> bool {
        self.origin.is_none() && self.map.is_identity()
    }
}

/// Checkpoints `(folded, source)`: from each checkpoint on, folded and source
/// offsets advance together byte for byte until the next one.
///
/// One checkpoint is recorded after each character whose folded form has a
/// different UTF-8 length (a full-width `，` is 3 bytes, its folded `,` is 1).
/// Text that needs no length change (e.g. plain simplified UTF-8) stores nothing.
#[derive(Debug, Clone)]
struct OffsetMap {
    points: Checkpoints,
    source_len: usize,
}

/// The checkpoint list, in 32-bit offsets when the text is small enough.
///
/// Reports are at most 64 MiB by default, but full-width punctuation is common in
/// Chinese reports (one checkpoint per `，`), so halving the entry size matters.
// INVARIANT: entries are strictly increasing in both offsets.
#[derive(Debug, Clone)]
enum Checkpoints {
    Narrow(Vec<(u32, u32)>),
    Wide(Vec<(usize, usize)>),
}

impl OffsetMap {
    fn new(source_len: usize) -> Self {
        // A folded character is at most 4/3 the length of its source character
        // (a 3-byte BMP ideograph folding to a 4-byte one), so half the u32 range
        // for the source keeps every folded offset in range too.
        let points = if source_len <= (u32::MAX / 2) as usize {
            Checkpoints::Narrow(Vec::new())
        } else {
            Checkpoints::Wide(Vec::new())
        };
        OffsetMap { points, source_len }
    }

    fn checkpoint(&mut self, folded: usize, source: usize) {
        match &mut self.points {
            Checkpoints::Narrow(v) => match (u32::try_from(folded), u32::try_from(source)) {
                (Ok(f), Ok(s)) => v.push((f, s)),
                // Unreachable given the bound in `new`; widen rather than lose a point.
                _ => {
                    let mut wide: Vec<(usize, usize)> =
                        v.iter().map(|&(f, s)| (f as usize, s as usize)).collect();
                    wide.push((folded, source));
                    self.points = Checkpoints::Wide(wide);
                }
            },
            Checkpoints::Wide(v) => v.push((folded, source)),
        }
    }

    fn is_identity(&self) -> bool {
        match &self.points {
            Checkpoints::Narrow(v) => v.is_empty(),
            Checkpoints::Wide(v) => v.is_empty(),
        }
    }

    fn source_offset(&self, folded: usize) -> usize {
        let (f0, s0) = match &self.points {
            Checkpoints::Narrow(v) => {
                let i = v.partition_point(|&(f, _)| f as usize <= folded);
                i.checked_sub(1)
                    .and_then(|j| v.get(j))
                    .map_or((0, 0), |&(f, s)| (f as usize, s as usize))
            }
            Checkpoints::Wide(v) => {
                let i = v.partition_point(|&(f, _)| f <= folded);
                i.checked_sub(1)
                    .and_then(|j| v.get(j))
                    .map_or((0, 0), |&p| p)
            }
        };
        s0.saturating_add(folded - f0).min(self.source_len)
    }
}

/// Fold one character (what `Folded::new` does to each character).
pub fn fold_char(c: char) -> char {
    match c {
        // Fast path: ASCII (tabs and newlines included) never changes.
        '\0'..='\x7f' => c,
        // Full-width ASCII sits at a fixed distance from ASCII.
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        // Zero-width characters become a space rather than vanish: one char in,
        // one char out keeps the offset map trivial.
        '\u{00A0}'
        | '\u{2000}'..='\u{200B}'
        | '\u{202F}'
        | '\u{205F}'
        | '\u{3000}'
        | '\u{FEFF}' => ' ',
        _ if (c as u32) < TABLE_START => c,
        _ => table().get(c),
    }
}

/// Fold a whole string without keeping a map (for rule text such as regex literals).
pub fn fold_str(s: &str) -> String {
    s.chars().map(fold_char).collect()
}

// Generated by build.rs from data/opencc/TSCharacters.txt (see `fold_table`):
// `TS_DENSE`, the folded form of each code point in `TABLE_START..DENSE_END` ('\0' =
// unchanged), and `TS_SPARSE`, the keys above it with their folded forms, sorted.
include!(concat!(env!("OUT_DIR"), "/ts_table.rs"));

/// The traditional → simplified lookup.
#[derive(Debug)]
struct TsTable {
    /// Folded form of each code point in `TABLE_START..DENSE_END`; `'\0'` = unchanged.
    dense: &'static [char],
    /// Keys outside the dense range, sorted by key.
    sparse: &'static [(char, char)],
}

impl TsTable {
    fn get(&self, c: char) -> char {
        let cp = c as u32;
        if (TABLE_START..DENSE_END).contains(&cp) {
            match self.dense.get((cp - TABLE_START) as usize) {
                Some(&'\0') | None => c,
                Some(&folded) => folded,
            }
        } else {
            match self.sparse.binary_search_by_key(&c, |&(k, _)| k) {
                Ok(i) => self.sparse.get(i).map_or(c, |&(_, v)| v),
                Err(_) => c,
            }
        }
    }
}

/// Whether the 3-byte UTF-8 sequence `b0 b1 b2` is a character that folding
/// leaves alone, by one bit of `STOPS`: the lead byte's low bits and `b1` pick the
/// word, `b2` the bit, so no code point needs assembling and the index cannot leave
/// the table.
fn keeps_3byte(b0: u8, b1: u8, b2: u8) -> bool {
    let word = (((b0 as usize) & 0x0F) << 6) | ((b1 as usize) & 0x3F);
    STOPS
        .get(word)
        .is_some_and(|bits| bits & (1 << (b2 & 0x3F)) == 0)
}

/// One bit per code point U+0000..=U+FFFF, in the order `keeps_3byte` indexes them:
/// set where the run of unchanged characters must stop. From `LOW_START` to
/// `DENSE_END` these are the characters folding changes (`LOW_CHANGES`, then
/// `TS_CHANGES`); everywhere else every bit is set, leaving them to the general path.
static STOPS: [u64; 1024] = {
    let mut stops = [!0u64; 1024];
    let low = (LOW_START / 64) as usize;
    let mut i = 0;
    while i < LOW_CHANGES.len() {
        stops[low + i] = LOW_CHANGES[i];
        i += 1;
    }
    let dense = (TABLE_START / 64) as usize;
    let mut i = 0;
    while i < TS_CHANGES.len() {
        stops[dense + i] = TS_CHANGES[i];
        i += 1;
    }
    stops
};

/// The simplified form of the traditional ideograph `rest` starts with, if it starts
/// with one from U+4000 on (lead bytes 0xE4..=0xE9) that the table changes.
fn traditional(rest: &[u8]) -> Option<char> {
    let [b0 @ 0xE4..=0xE9, b1, b2, ..] = rest else {
        return None;
    };
    let cp = ((*b0 as u32 & 0x0F) << 12) | ((*b1 as u32 & 0x3F) << 6) | (*b2 as u32 & 0x3F);
    TS_DENSE
        .get(cp.checked_sub(TABLE_START)? as usize)
        .copied()
        .filter(|&f| f != '\0')
}

/// Start of `LOW_CHANGES`: General Punctuation, where the lead byte 0xE2 begins.
const LOW_START: u32 = 0x2000;

/// The code points of `LOW_START..TABLE_START` that `fold_char` changes (the odd
/// spaces and zero-width characters), one bit each. The every-BMP-character test
/// checks it against `fold_char`.
const LOW_CHANGES: [u64; ((TABLE_START - LOW_START) / 64) as usize] = {
    let mut bits = [0u64; ((TABLE_START - LOW_START) / 64) as usize];
    let changed = [
        0x2000..0x200C,
        0x202F..0x2030,
        0x205F..0x2060,
        0x3000..0x3001,
    ];
    let mut r = 0;
    while r < changed.len() {
        let mut cp = changed[r].start;
        while cp < changed[r].end {
            let i = (cp - LOW_START) as usize;
            bits[i / 64] |= 1 << (i % 64);
            cp += 1;
        }
        r += 1;
    }
    bits
};

fn table() -> &'static TsTable {
    static TABLE: TsTable = TsTable {
        dense: &TS_DENSE,
        sparse: &TS_SPARSE,
    };
    &TABLE
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Asserts the 1:1 char correspondence and that every folded boundary maps to
    /// the matching source boundary.
    #[track_caller]
    fn assert_round_trip(source: &str) {
        let folded = Folded::new(source);
        assert_eq!(folded.text, fold_str(source));
        let src: Vec<(usize, char)> = source.char_indices().collect();
        let fol: Vec<(usize, char)> = folded.text.char_indices().collect();
        assert_eq!(src.len(), fol.len(), "char count differs for {source:?}");
        let mut last = 0;
        for (&(s, sc), &(f, fc)) in src.iter().zip(&fol) {
            assert_eq!(fold_char(sc), fc);
            let mapped = folded.source_offset(f);
            assert_eq!(mapped, s, "folded {f} in {source:?}");
            assert!(source.is_char_boundary(mapped));
            assert!(mapped >= last);
            last = mapped;
        }
        assert_eq!(folded.source_offset(folded.text.len()), source.len());
        assert_eq!(folded.source_offset(folded.text.len() + 10), source.len());
    }

    #[test]
    fn traditional_match_maps_back_to_source() {
        let source = "政府信息公開的收費及減免的情況";
        let folded = Folded::new(source);
        assert_eq!(folded.text, "政府信息公开的收费及减免的情况");
        let re = regex::Regex::new("收费及减免").unwrap();
        let m = re.find(&folded.text).unwrap();
        let span = folded.source_span(m.range());
        assert_eq!(&source[span.start..span.end], "收費及減免");
    }

    #[test]
    fn full_width_numbers_map_back() {
        let source = "共計４９７件，回復率為１００％。";
        let folded = Folded::new(source);
        assert!(
            folded.text.contains("497件,回复率为100%"),
            "{}",
            folded.text
        );
        assert!(!folded.offsets_unchanged());
        let at = folded.text.find("100%").unwrap();
        let span = folded.source_span(at..at + "100%".len());
        assert_eq!(&source[span.start..span.end], "１００％");
        assert_round_trip(source);
    }

    #[test]
    fn ideographic_space_folds_and_maps_back() {
        let source = "2014　年";
        let folded = Folded::new(source);
        assert_eq!(folded.text, "2014 年");
        let at = folded.text.find('年').unwrap();
        let span = folded.source_span(at..folded.text.len());
        assert_eq!(&source[span.start..span.end], "年");
        assert_eq!(folded.source_offset(folded.text.len()), source.len());
    }

    #[test]
    fn punctuation_and_spaces() {
        assert_eq!(fold_str("（一）２０１７，：％"), "(一)2017,:%");
        assert_eq!(
            fold_str("a\u{a0}b\u{2003}c\u{200b}d\u{feff}e\u{202f}f\u{205f}g"),
            "a b c d e f g"
        );
        assert_eq!(fold_str("\t一\n二\r\n"), "\t一\n二\r\n");
        let kept = "〇○、《》〔〕“”。【】";
        assert_eq!(fold_str(kept), kept);
    }

    #[test]
    fn unchanged_text_is_identity() {
        let source = "2019年政府信息公开工作年度报告\n一、总体情况\tabc";
        let folded = Folded::new(source);
        assert_eq!(folded.text, source);
        assert!(folded.offsets_unchanged());
        assert_round_trip(source);
        assert_round_trip("");
    }

    #[test]
    fn round_trips_on_every_boundary() {
        for s in [
            "2016年高新區政府信息公開年度工作報告。現將本年度政務公開工作匯報如下：",
            "ａｂｃ１２３！mixed ASCII and 全角，（二）主動公開情況\t表１",
            "，，，，abc　　def\u{feff}",
            "㗲 㜢x㠣 ８ 薴",
            "plain ascii only",
            "表格\t受理\t１２\t１５％\n合计\t２７\t",
        ] {
            assert_round_trip(s);
        }
    }

    #[test]
    fn length_changing_table_entries_map_back() {
        // 㗲 (3 bytes) folds to 𠵾 (4 bytes): the map must handle growth too.
        let source = "甲㗲乙，丙";
        let folded = Folded::new(source);
        assert_eq!(folded.text, "甲𠵾乙,丙");
        assert_round_trip(source);
    }

    #[test]
    fn table_is_sane() {
        let pairs = crate::fold_table::parse_table(TS_CHARACTERS);
        assert!(pairs.len() > 3000, "only {} entries", pairs.len());
        for (&k, &v) in &pairs {
            assert!(k as u32 >= TABLE_START, "key {k} below the fast path");
            assert_ne!(k, v);
            assert_eq!(fold_char(k), v, "lookup of {k}");
            assert_eq!(fold_char(v), v, "{k} → {v} is not idempotent");
        }
        for (t, s) in [
            ('開', '开'),
            ('費', '费'),
            ('於', '于'),
            ('餘', '余'),
            ('薴', '苎'),
        ] {
            assert_eq!(fold_char(t), s);
        }
        // Simplified characters and non-CJK pass through.
        for c in ['开', '后', '干', '台', 'é', 'ア', '〇'] {
            assert_eq!(fold_char(c), c);
        }
    }

    #[test]
    fn source_offset_is_monotonic_inside_chars() {
        let source = "ａ開１b";
        let folded = Folded::new(source);
        let mut last = 0;
        for f in 0..=folded.text.len() + 2 {
            let s = folded.source_offset(f);
            assert!(s >= last && s <= source.len());
            last = s;
        }
    }

    /// `Folded::new` takes a shortcut for the dense table range; it must still fold
    /// every character exactly as `fold_char` does, around every range boundary.
    #[test]
    fn whole_text_fold_equals_fold_char_on_every_range_edge() {
        let edges = [
            0x7f,
            0x80,
            0xa0,
            0x2000,
            0x200b,
            0x202f,
            0x205f,
            0x3000,
            0x3001,
            0x33ff,
            TABLE_START,
            TABLE_START + 1,
            0x570b,
            0x9f99,
            DENSE_END - 1,
            DENSE_END,
            0xfeff,
            0xff01,
            0xff5e,
            0xff5f,
            0x20000,
            0x2a6d6,
        ];
        let text: String = edges
            .iter()
            .flat_map(|&e| [e.saturating_sub(1), e, e + 1])
            .filter_map(char::from_u32)
            .flat_map(|c| [c, 'a'])
            .collect();
        assert_eq!(Folded::new(&text).text, fold_str(&text));
    }

    /// The byte-level loop decodes 3-byte characters by hand and consults the
    /// `TS_CHANGES` bitmap: every code point from U+0080 to U+FFFF, and some above,
    /// must still fold as `fold_char` does, with offsets mapping back.
    #[test]
    fn byte_loop_folds_every_bmp_character_as_fold_char() {
        let text: String = (0x80..0x1_0000u32)
            .chain(0x2_0000..0x2_0100)
            .filter_map(char::from_u32)
            .collect();
        let f = Folded::new(&text);
        assert_eq!(f.text, fold_str(&text));
        let (mut s, mut t) = (0, 0);
        for c in text.chars() {
            assert_eq!(f.source_offset(t), s, "{c:?}");
            s += c.len_utf8();
            t += fold_char(c).len_utf8();
        }
    }
}
