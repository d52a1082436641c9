//! Source: bytes → text, with encoding detection and refusal of what is not a report.
//!
//! Stage one of the pipeline. [`decode`] honours BOMs (UTF-8, UTF-16LE/BE), takes
//! valid UTF-8 as UTF-8, and otherwise detects the encoding with chardetng
//! (GB18030/GBK, Big5, …). It refuses files that are too large, empty or binary.
//! An office that knows what its agencies upload can declare the encoding instead
//! ([`InputEncoding`], `[input] encoding` / `--encoding`): files without a BOM are then
//! decoded with it and never sent to detection.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use chardetng::EncodingDetector;
use encoding_rs::{Encoding, BIG5, GB18030, GBK, UTF_16BE, UTF_16LE};
use miette::Diagnostic;
use thiserror::Error;

/// Largest file reportlint reads by default (64 MiB; see [`crate::limits`]).
pub const DEFAULT_MAX_BYTES: u64 = crate::limits::DEFAULT_MAX_FILE_SIZE;

/// A decoded report.
#[derive(Debug, Clone)]
pub struct Source {
    /// Where it was read from (as given on the command line or found in a walk).
    pub path: PathBuf,
    /// The decoded text (a leading BOM removed).
    pub text: String,
    /// Name of the encoding it was decoded from (e.g. "UTF-8", "GB18030", "Big5").
    pub encoding: &'static str,
}

/// Why a file could not be turned into text.
#[derive(Debug, Error, Diagnostic)]
pub enum SourceError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    #[diagnostic(code(reportlint::source::io))]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// The path is not a regular file (a FIFO, a device, a socket).
    #[error("{path} is not a regular file")]
    #[diagnostic(
        code(reportlint::source::not_a_file),
        help("reportlint reads regular files; a pipe or device could block or never end")
    )]
    NotAFile {
        /// The path.
        path: PathBuf,
    },
    /// The file is empty (or only whitespace).
    #[error("{path} is empty")]
    #[diagnostic(code(reportlint::source::empty))]
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// The file holds NUL bytes: it is binary, not a text report.
    #[error("{path} is a binary file (NUL byte at offset {offset})")]
    #[diagnostic(
        code(reportlint::source::binary),
        help("reportlint reads text reports (.txt, .md); convert binary formats to text first")
    )]
    Binary {
        /// The file.
        path: PathBuf,
        /// Offset of the first NUL byte.
        offset: usize,
    },
    /// The file is larger than the limit.
    #[error("{path} is {size} bytes, over the limit of {limit} bytes")]
    #[diagnostic(
        code(reportlint::source::too_large),
        help("raise the limit with --max-file-size if this really is one report")
    )]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size.
        size: u64,
        /// The limit in force.
        limit: u64,
    },
}

/// How files without a BOM are decoded: detected, or with a declared encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InputEncoding {
    /// Valid UTF-8 as UTF-8, otherwise chardetng's guess (the default).
    #[default]
    Auto,
    /// This encoding, whatever the bytes look like (a BOM still wins).
    Declared(&'static Encoding),
}

/// Labels offered when a label is not recognised (any WHATWG label is accepted; these
/// are the ones Chinese reports come in, and the nearest one is suggested).
pub const COMMON_LABELS: &[&str] = &[
    "auto",
    "utf-8",
    "gb18030",
    "gbk",
    "gb2312",
    "big5",
    "big5-hkscs",
    "utf-16le",
    "utf-16be",
    "windows-1252",
    "iso-8859-1",
    "shift_jis",
    "euc-jp",
    "euc-kr",
];

/// A label that names no encoding `encoding_rs` can decode with.
#[derive(Debug, Clone, Error, Diagnostic)]
#[error("unknown encoding `{label}`")]
#[diagnostic(code(reportlint::source::unknown_encoding), help("{}", self.help()))]
pub struct UnknownEncoding {
    /// The label as written.
    pub label: String,
    /// The nearest common label, if one is close.
    pub suggestion: Option<&'static str>,
}

impl UnknownEncoding {
    /// What to write instead: the nearest label, then the common ones.
    pub fn help(&self) -> String {
        let list = COMMON_LABELS.join(", ");
        match self.suggestion {
            Some(s) => {
                format!("did you mean `{s}`? Accepted: {list}, or any WHATWG encoding label")
            }
            None => format!("accepted: {list}, or any WHATWG encoding label"),
        }
    }
}

impl InputEncoding {
    /// Parse `auto` or a WHATWG label (case and surrounding whitespace ignored).
    ///
    /// Labels that WHATWG maps to the "replacement" encoding (`iso-2022-kr`, `hz-gb-2312`,
    /// …) are refused: decoding with it turns a whole report into one U+FFFD.
    pub fn parse(label: &str) -> Result<InputEncoding, UnknownEncoding> {
        let trimmed = label.trim();
        if trimmed.eq_ignore_ascii_case("auto") {
            return Ok(InputEncoding::Auto);
        }
        match Encoding::for_label_no_replacement(trimmed.as_bytes()) {
            Some(e) => Ok(InputEncoding::Declared(e)),
            None => {
                let lower = trimmed.to_ascii_lowercase();
                let suggestion = COMMON_LABELS
                    .iter()
                    .copied()
                    .map(|c| (crate::config::edit_distance(c, &lower), c))
                    .filter(|&(d, _)| d <= 2 && d < lower.chars().count())
                    .min()
                    .map(|(_, c)| c);
                Err(UnknownEncoding {
                    label: label.to_string(),
                    suggestion,
                })
            }
        }
    }

    /// The label `config show` prints: `auto`, or the encoding's name in lower case
    /// (which is itself a label, so the printed configuration reads back the same).
    pub fn label(&self) -> String {
        match self {
            InputEncoding::Auto => "auto".to_string(),
            InputEncoding::Declared(e) => e.name().to_ascii_lowercase(),
        }
    }
}

impl std::str::FromStr for InputEncoding {
    type Err = UnknownEncoding;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        InputEncoding::parse(s)
    }
}

/// Read and decode the file at `path`, refusing files over `max_bytes`.
///
/// The size is checked on the open handle and the read stops one byte past the
/// limit, so a file that grows after the check (or lies about its size, as files
/// under /proc do) still cannot make us read more than the limit.
pub fn read(path: &Path, max_bytes: u64) -> Result<Source, SourceError> {
    read_as(path, max_bytes, InputEncoding::Auto)
}

/// [`read`], decoding files without a BOM as `encoding` says.
pub fn read_as(
    path: &Path,
    max_bytes: u64,
    encoding: InputEncoding,
) -> Result<Source, SourceError> {
    use std::io::Read;
    let io = |source| SourceError::Io {
        path: path.to_path_buf(),
        source,
    };
    let not_a_file = || SourceError::NotAFile {
        path: path.to_path_buf(),
    };
    // Checked before opening too: opening a FIFO for reading blocks until a writer comes.
    if !std::fs::metadata(path).map_err(io)?.is_file() {
        return Err(not_a_file());
    }
    let file = std::fs::File::open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if !meta.is_file() {
        return Err(not_a_file());
    }
    let too_large = |size| SourceError::TooLarge {
        path: path.to_path_buf(),
        size,
        limit: max_bytes,
    };
    if meta.len() > max_bytes {
        return Err(too_large(meta.len()));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > max_bytes {
        return Err(too_large(bytes.len() as u64));
    }
    decode_owned(path, bytes, max_bytes, encoding)
}

/// UTF-8 if `bytes` is valid UTF-8, else the detected encoding. Valid owned bytes
/// become the text without a copy (std's own check would cost more than the copy
/// saves, so simdutf8's stands).
fn utf8_or_detected(bytes: Cow<'_, [u8]>) -> (String, &'static str) {
    match bytes {
        Cow::Borrowed(b) => match simdutf8::basic::from_utf8(b) {
            Ok(text) => (text.to_owned(), "UTF-8"),
            Err(_) => decode_detected(b),
        },
        Cow::Owned(v) => {
            if simdutf8::basic::from_utf8(&v).is_ok() {
                // SAFETY: simdutf8 has just validated exactly these bytes as UTF-8,
                // and nothing changes them in between.
                (unsafe { String::from_utf8_unchecked(v) }, "UTF-8")
            } else {
                decode_detected(&v)
            }
        }
    }
}

/// Decode `bytes` read from `path`, refusing input over `max_bytes`.
///
/// Order matters: a BOM is honoured before the binary check (UTF-16 text is full
/// of NUL bytes), and UTF-8 is tried before detection (detectors can mistake short
/// UTF-8 for a legacy encoding). Malformed sequences become U+FFFD rather than an
/// error, so rules can point at them.
pub fn decode(path: &Path, bytes: &[u8], max_bytes: u64) -> Result<Source, SourceError> {
    decode_as(path, bytes, max_bytes, InputEncoding::Auto)
}

/// [`decode`] with an encoding for files without a BOM: [`InputEncoding::Auto`] is
/// detection, a declared encoding replaces it (BOMs still win: they are what the
/// file says about itself). Bytes malformed in the declared encoding become U+FFFD,
/// as damage does in a detected one. A declared UTF-16 skips the binary check, since
/// UTF-16 text without a BOM is full of NUL bytes.
pub fn decode_as(
    path: &Path,
    bytes: &[u8],
    max_bytes: u64,
    declared: InputEncoding,
) -> Result<Source, SourceError> {
    decode_cow(path, Cow::Borrowed(bytes), max_bytes, declared)
}

/// [`decode_as`] taking the bytes: valid UTF-8 (nearly every report) becomes the text
/// without a copy.
pub fn decode_owned(
    path: &Path,
    bytes: Vec<u8>,
    max_bytes: u64,
    declared: InputEncoding,
) -> Result<Source, SourceError> {
    decode_cow(path, Cow::Owned(bytes), max_bytes, declared)
}

fn decode_cow(
    path: &Path,
    bytes: Cow<'_, [u8]>,
    max_bytes: u64,
    declared: InputEncoding,
) -> Result<Source, SourceError> {
    let size = bytes.len() as u64;
    if size > max_bytes {
        return Err(SourceError::TooLarge {
            path: path.to_path_buf(),
            size,
            limit: max_bytes,
        });
    }
    let (text, encoding) = if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        (decode_with(UTF_16LE, rest), "UTF-16LE")
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        (decode_with(UTF_16BE, rest), "UTF-16BE")
    } else {
        let utf16 =
            matches!(declared, InputEncoding::Declared(e) if e == UTF_16LE || e == UTF_16BE);
        if let Some(offset) = memchr_nul(&bytes).filter(|_| !utf16) {
            return Err(SourceError::Binary {
                path: path.to_path_buf(),
                offset,
            });
        }
        match bytes.strip_prefix(b"\xEF\xBB\xBF") {
            // A UTF-8 BOM settles the question even if the rest is damaged.
            Some(body) => (String::from_utf8_lossy(body).into_owned(), "UTF-8"),
            None => match declared {
                InputEncoding::Declared(e) => (decode_with(e, &bytes), e.name()),
                InputEncoding::Auto => utf8_or_detected(bytes),
            },
        }
    };
    if text.trim().is_empty() {
        return Err(SourceError::Empty {
            path: path.to_path_buf(),
        });
    }
    Ok(Source {
        path: path.to_path_buf(),
        text,
        encoding,
    })
}

impl Source {
    /// A source that was already text (tests, stdin, or text produced by a converter).
    pub fn from_text(path: impl Into<PathBuf>, text: impl Into<String>) -> Source {
        Source {
            path: path.into(),
            text: text.into(),
            encoding: "UTF-8",
        }
    }
}

/// Decode bytes that are not valid UTF-8.
///
/// Damaged files are common in a crawl of thousands of reports (a download cut
/// mid-character, one corrupt byte), and chardetng rules out any encoding in which
/// the bytes are malformed. Left alone, a GBK report with one bad byte would come
/// out as windows-1252 mojibake and every rule would miss; so near-valid UTF-8
/// stays UTF-8, and a non-Chinese guess gets a second look ([`rescue_cjk`]).
fn decode_detected(bytes: &[u8]) -> (String, &'static str) {
    if mostly_utf8(bytes) {
        return (String::from_utf8_lossy(bytes).into_owned(), "UTF-8");
    }
    let guess = detect(bytes);
    let encoding = if is_chinese(guess) {
        guess
    } else {
        rescue_cjk(bytes).unwrap_or(guess)
    };
    // GB18030 is a superset of GBK: decoding GBK-detected text as GB18030 loses
    // nothing and also accepts the four-byte sequences GBK lacks.
    let (encoding, name) = if encoding == GBK || encoding == GB18030 {
        (GB18030, "GB18030")
    } else {
        (encoding, encoding.name())
    };
    (decode_with(encoding, bytes), name)
}

/// chardetng's guess for `bytes`, UTF-8 excluded (the caller has ruled it out).
fn detect(bytes: &[u8]) -> &'static Encoding {
    let mut detector = EncodingDetector::new();
    detector.feed(bytes, true);
    detector.guess(None, false)
}

fn is_chinese(encoding: &'static Encoding) -> bool {
    encoding == GBK || encoding == GB18030 || encoding == BIG5
}

/// Whether invalid UTF-8 is really UTF-8 with a few damaged sequences.
///
/// GBK and Big5 text contains valid two-byte UTF-8 sequences only by accident
/// (roughly one in seven characters), so requiring 20 valid non-ASCII characters
/// per invalid sequence keeps legacy encodings out.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut valid, mut invalid) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        valid += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        invalid += usize::from(!chunk.invalid().is_empty());
    }
    valid > 0 && invalid.saturating_mul(20) <= valid
}

/// A Chinese encoding in which `bytes` has only a few malformed sequences and that
/// chardetng picks once those sequences are taken out.
///
/// The second detection matters: Big5 bytes decode as GB18030 with hardly any
/// errors, so "fewest errors" alone would pick the wrong one.
fn rescue_cjk(bytes: &[u8]) -> Option<&'static Encoding> {
    [GB18030, BIG5].into_iter().find(|&candidate| {
        let (text, _) = candidate.decode_without_bom_handling(bytes);
        let chars = text.chars().count();
        let damaged = text.chars().filter(|&c| c == '\u{FFFD}').count();
        if damaged == 0 || damaged.saturating_mul(100) > chars {
            return false;
        }
        let cleaned: String = text.chars().filter(|&c| c != '\u{FFFD}').collect();
        let (clean_bytes, _, _) = candidate.encode(&cleaned);
        let second = detect(&clean_bytes);
        second == candidate || (candidate == GB18030 && second == GBK)
    })
}

/// Decode `bytes` (BOM already removed) with `encoding`, replacing malformed sequences.
fn decode_with(encoding: &'static Encoding, bytes: &[u8]) -> String {
    let (text, _had_errors) = encoding.decode_without_bom_handling(bytes);
    text.into_owned()
}

fn memchr_nul(bytes: &[u8]) -> Option<usize> {
    memchr::memchr(0, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAX: u64 = DEFAULT_MAX_BYTES;

    const SIMPLIFIED: &str = "2019年高新区政府信息公开工作年度报告。根据《中华人民共和国政府信息公开条例》的规定，\
        现将本年度政务公开工作汇报如下：一、强化领导，健全政务公开的组织体系。\
        二、主动公开政府信息情况。本年度共主动公开政府信息四百九十七条，依申请公开办结率为百分之百。\
        三、收到和处理政府信息公开申请情况。四、政府信息公开行政复议、行政诉讼情况。";

    const TRADITIONAL: &str =
        "2016年高新區政府信息公開年度工作報告。現將本年度政務公開工作匯報如下：\
        一、強化領導，健全政務公開的組織體系。二、主動公開政府信息情況。\
        本年度共主動公開政府信息四百九十七條，依申請公開辦結率為百分之百。\
        三、收到和處理政府信息公開申請情況。四、政府信息公開行政復議、行政訴訟情況。";

    fn path() -> &'static Path {
        Path::new("report.txt")
    }

    /// Owned bytes are moved into the text, borrowed ones copied: the same result for
    /// every kind of input, good or bad.
    #[test]
    fn owned_and_borrowed_bytes_decode_alike() {
        let (gb, _, _) = GB18030.encode("二〇一七年政府信息公开工作年度报告");
        let inputs: Vec<Vec<u8>> = vec![
            "2017年度报告\n收到申请12件。".as_bytes().to_vec(),
            b"\xEF\xBB\xBF\xE6\x8A\xA5\xFF".to_vec(),
            b"\xFF\xFE1\x002\x00".to_vec(),
            gb.into_owned(),
            b"text\x00binary".to_vec(),
            b"  \n ".to_vec(),
            b"\xE6\x8A".to_vec(),
        ];
        for bytes in inputs {
            for declared in [InputEncoding::Auto, declared("gbk")] {
                let borrowed = decode_as(path(), &bytes, MAX, declared);
                let owned = decode_owned(path(), bytes.clone(), MAX, declared);
                match (borrowed, owned) {
                    (Ok(a), Ok(b)) => assert_eq!((a.text, a.encoding), (b.text, b.encoding)),
                    (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
                    (a, b) => panic!("{bytes:?}: {:?} vs {:?}", a.is_ok(), b.is_ok()),
                }
            }
        }
    }

    #[test]
    fn utf8_without_and_with_bom() {
        let src = decode(path(), SIMPLIFIED.as_bytes(), MAX).unwrap();
        assert_eq!(src.text, SIMPLIFIED);
        assert_eq!(src.encoding, "UTF-8");

        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend_from_slice(SIMPLIFIED.as_bytes());
        let src = decode(path(), &bytes, MAX).unwrap();
        assert_eq!(src.text, SIMPLIFIED);
        assert_eq!(src.encoding, "UTF-8");

        // With a BOM, damage does not send the text to detection.
        bytes.extend_from_slice(b"\xB1\xA8");
        let src = decode(path(), &bytes, MAX).unwrap();
        assert_eq!(src.encoding, "UTF-8");
        assert!(src.text.starts_with(SIMPLIFIED));
    }

    #[test]
    fn utf16_with_bom() {
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for unit in SIMPLIFIED.encode_utf16() {
            le.extend_from_slice(&unit.to_le_bytes());
            be.extend_from_slice(&unit.to_be_bytes());
        }
        let src = decode(path(), &le, MAX).unwrap();
        assert_eq!(src.text, SIMPLIFIED);
        assert_eq!(src.encoding, "UTF-16LE");
        let src = decode(path(), &be, MAX).unwrap();
        assert_eq!(src.text, SIMPLIFIED);
        assert_eq!(src.encoding, "UTF-16BE");
    }

    #[test]
    fn gb18030_round_trips() {
        let (bytes, _, unmappable) = GB18030.encode(SIMPLIFIED);
        assert!(!unmappable);
        let src = decode(path(), &bytes, MAX).unwrap();
        assert_eq!(src.encoding, "GB18030");
        assert_eq!(src.text, SIMPLIFIED);
    }

    #[test]
    fn big5_round_trips() {
        let (bytes, _, unmappable) = BIG5.encode(TRADITIONAL);
        assert!(!unmappable);
        let src = decode(path(), &bytes, MAX).unwrap();
        assert_eq!(src.encoding, "Big5");
        assert_eq!(src.text, TRADITIONAL);
    }

    /// Inserts `bad` at the middle char boundary of `text` encoded with `encoding`,
    /// and appends `tail`.
    fn damaged(encoding: &'static Encoding, text: &str, bad: &[u8], tail: &[u8]) -> Vec<u8> {
        let mid = text.char_indices().nth(text.chars().count() / 2).unwrap().0;
        let mut bytes = encoding.encode(&text[..mid]).0.into_owned();
        bytes.extend_from_slice(bad);
        bytes.extend_from_slice(&encoding.encode(&text[mid..]).0);
        bytes.extend_from_slice(tail);
        bytes
    }

    #[test]
    fn damaged_gb18030_is_still_gb18030() {
        // A lone lead byte at the end (a truncated download) and a stray byte mid-file.
        for bytes in [
            damaged(GB18030, SIMPLIFIED, b"", b"\x81"),
            damaged(GB18030, SIMPLIFIED, b"\xFF", b""),
        ] {
            let src = decode(path(), &bytes, MAX).unwrap();
            assert_eq!(src.encoding, "GB18030");
            assert!(src.text.starts_with("2019年高新区"), "{}", src.text);
            assert!(src.text.contains('\u{FFFD}'));
            assert!(src.text.contains("行政诉讼情况"));
        }
    }

    #[test]
    fn damaged_big5_is_still_big5() {
        let bytes = damaged(BIG5, TRADITIONAL, b"\xFF", b"");
        let src = decode(path(), &bytes, MAX).unwrap();
        assert_eq!(src.encoding, "Big5");
        assert!(src.text.starts_with("2016年高新區"), "{}", src.text);
        assert!(src.text.contains("行政訴訟情況"));
    }

    #[test]
    fn damaged_utf8_is_still_utf8() {
        let mut bytes = SIMPLIFIED.as_bytes().to_vec();
        bytes.extend_from_slice(&"报".as_bytes()[..2]); // cut mid-character
        let src = decode(path(), &bytes, MAX).unwrap();
        assert_eq!(src.encoding, "UTF-8");
        assert_eq!(src.text, format!("{SIMPLIFIED}\u{FFFD}"));
    }

    #[test]
    fn latin1_is_not_forced_into_chinese() {
        let text = "Le rapport annuel a été publié. Les données détaillées sont présentées \
            ci-dessous, année après année, à la demande générale du comité.";
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(text);
        let src = decode(path(), &bytes, MAX).unwrap();
        assert_eq!(src.encoding, "windows-1252");
        assert_eq!(src.text, text);
    }

    #[test]
    fn nul_is_binary_with_offset() {
        let err = decode(path(), b"abc\0def", MAX).unwrap_err();
        assert!(
            matches!(err, SourceError::Binary { offset: 3, .. }),
            "{err:?}"
        );
        // The offset counts from the start of the file, BOM included.
        let err = decode(path(), b"\xEF\xBB\xBFab\0", MAX).unwrap_err();
        assert!(
            matches!(err, SourceError::Binary { offset: 5, .. }),
            "{err:?}"
        );
    }

    fn declared(label: &str) -> InputEncoding {
        InputEncoding::parse(label).unwrap()
    }

    #[test]
    fn a_gbk_file_declared_big5_is_decoded_as_big5() {
        let (bytes, _, _) = GBK.encode(SIMPLIFIED);
        let src = decode_as(path(), &bytes, MAX, declared("big5")).unwrap();
        assert_eq!(src.encoding, "Big5");
        assert_eq!(src.text, BIG5.decode_without_bom_handling(&bytes).0);
        assert_ne!(src.text, SIMPLIFIED);
        // Undeclared, the same bytes are detected as Chinese GB text.
        let src = decode_as(path(), &bytes, MAX, InputEncoding::Auto).unwrap();
        assert_eq!(src.encoding, "GB18030");
        assert_eq!(src.text, SIMPLIFIED);
    }

    #[test]
    fn a_bom_wins_over_the_declaration() {
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend_from_slice(SIMPLIFIED.as_bytes());
        let src = decode_as(path(), &bytes, MAX, declared("gb18030")).unwrap();
        assert_eq!((src.encoding, src.text.as_str()), ("UTF-8", SIMPLIFIED));
        let mut le = vec![0xFF, 0xFE];
        for unit in SIMPLIFIED.encode_utf16() {
            le.extend_from_slice(&unit.to_le_bytes());
        }
        let src = decode_as(path(), &le, MAX, declared("big5")).unwrap();
        assert_eq!((src.encoding, src.text.as_str()), ("UTF-16LE", SIMPLIFIED));
    }

    #[test]
    fn auto_is_detection() {
        assert_eq!(declared("auto"), InputEncoding::Auto);
        assert_eq!(declared(" AUTO "), InputEncoding::default());
        for bytes in [
            SIMPLIFIED.as_bytes().to_vec(),
            GB18030.encode(SIMPLIFIED).0.into_owned(),
            BIG5.encode(TRADITIONAL).0.into_owned(),
        ] {
            let a = decode(path(), &bytes, MAX).unwrap();
            let b = decode_as(path(), &bytes, MAX, declared("auto")).unwrap();
            assert_eq!((a.encoding, a.text), (b.encoding, b.text));
        }
    }

    #[test]
    fn invalid_bytes_in_the_declared_encoding_become_replacement_characters() {
        // GBK bytes declared UTF-8: not sent to detection, damage shown, still text.
        let (bytes, _, _) = GBK.encode(SIMPLIFIED);
        let src = decode_as(path(), &bytes, MAX, declared("utf-8")).unwrap();
        assert_eq!(src.encoding, "UTF-8");
        assert!(src.text.starts_with("2019"), "{}", src.text);
        assert!(src.text.contains('\u{FFFD}'));
    }

    #[test]
    fn declared_utf16_without_bom_is_not_binary() {
        let be: Vec<u8> = SIMPLIFIED
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        let src = decode_as(path(), &be, MAX, declared("utf-16be")).unwrap();
        assert_eq!((src.encoding, src.text.as_str()), ("UTF-16BE", SIMPLIFIED));
        // Any other declaration keeps the binary check.
        let err = decode_as(path(), &be, MAX, declared("gbk")).unwrap_err();
        assert!(matches!(err, SourceError::Binary { .. }), "{err:?}");
    }

    #[test]
    fn labels_are_whatwg_and_unknown_ones_get_a_suggestion() {
        assert_eq!(declared("GBK"), InputEncoding::Declared(GBK));
        assert_eq!(declared("gb2312"), InputEncoding::Declared(GBK));
        assert_eq!(declared("x-gbk"), InputEncoding::Declared(GBK));
        assert_eq!(declared("big5-hkscs"), InputEncoding::Declared(BIG5));
        assert_eq!(
            declared("utf8"),
            InputEncoding::Declared(encoding_rs::UTF_8)
        );
        for e in [GBK, GB18030, BIG5, UTF_16LE, encoding_rs::SHIFT_JIS] {
            assert_eq!(
                declared(&InputEncoding::Declared(e).label()),
                InputEncoding::Declared(e)
            );
        }
        let err = InputEncoding::parse("big-5").unwrap_err();
        assert_eq!(err.to_string(), "unknown encoding `big-5`");
        assert_eq!(err.suggestion, Some("big5"));
        assert!(err.help().contains("utf-8, gb18030, gbk"), "{}", err.help());
        assert_eq!(
            InputEncoding::parse("klingon").unwrap_err().suggestion,
            None
        );
        // Labels of the "replacement" encoding would turn a report into one U+FFFD.
        assert!(InputEncoding::parse("hz-gb-2312").is_err());
    }

    #[test]
    fn empty_and_whitespace_only() {
        for bytes in [
            &b""[..],
            b"  \n\t\r\n",
            b"\xEF\xBB\xBF",
            b"\xFF\xFE",
            "\u{3000}\n".as_bytes(),
        ] {
            let err = decode(path(), bytes, MAX).unwrap_err();
            assert!(
                matches!(err, SourceError::Empty { .. }),
                "{bytes:?}: {err:?}"
            );
        }
    }

    #[test]
    fn oversized_is_too_large() {
        let err = decode(path(), b"0123456789", 9).unwrap_err();
        assert!(
            matches!(
                err,
                SourceError::TooLarge {
                    size: 10,
                    limit: 9,
                    ..
                }
            ),
            "{err:?}"
        );
        assert!(decode(path(), b"0123456789", 10).is_ok());
    }

    #[test]
    fn read_decodes_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("r.txt");
        let (bytes, _, _) = BIG5.encode(TRADITIONAL);
        std::fs::write(&file, &bytes).unwrap();
        let src = read(&file, MAX).unwrap();
        assert_eq!(src.text, TRADITIONAL);
        assert!(matches!(
            read(&file, 10).unwrap_err(),
            SourceError::TooLarge { .. }
        ));
        assert!(matches!(
            read(&dir.path().join("missing.txt"), MAX).unwrap_err(),
            SourceError::Io { .. }
        ));
    }
}
