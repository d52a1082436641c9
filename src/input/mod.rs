//! Input formats: plain text and markdown, HTML, DOCX — each turned into text the
//! document model reads, with spans that still point into what the user can open.
//!
//! Stage one of the pipeline, before `fold`. The format comes from the file extension
//! (`.html`/`.htm`/`.xhtml`, `.docx`), else from sniffing (a zip's `PK\x03\x04`, a page
//! starting with `<!DOCTYPE html` or `<html`), else text.
//!
//! - **text / markdown**: decoded by `source`; spans are byte offsets into it.
//! - **HTML**: decoded by `source`, then [`html::extract`]ed to text; an
//!   [`OriginMap`] takes every extracted offset back to the HTML, and `fold` composes
//!   it with its own map, so findings point into the HTML file itself.
//! - **DOCX**: a zip, not text. [`docx::extract`] reads `word/document.xml` (paragraphs
//!   as lines, tables as `| a | b |` rows). There is no text file to point into, so
//!   spans, lines and columns refer to the *extracted text*, which is what the
//!   renderers show; the encoding is reported as `DOCX (extracted text)`.

pub mod docx;
pub mod html;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use miette::Diagnostic;
use thiserror::Error;

use crate::fold::Folded;
use crate::source::{self, InputEncoding, SourceError};
use crate::span::SharedStr;

/// A report's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain text or markdown.
    Text,
    /// An HTML page.
    Html,
    /// A Word document (Office Open XML).
    Docx,
}

/// Text extracted from a markup format, and where each byte of it came from.
#[derive(Debug, Clone)]
pub struct Extracted {
    /// The extracted text.
    pub text: String,
    /// Extracted offsets → source offsets.
    pub map: OriginMap,
    /// Lines (0-based) of the extracted text that the markup marks as headings
    /// (`<h1>`…`<h6>` outside tables).
    pub heading_lines: Vec<usize>,
}

/// A map from offsets in extracted text to offsets in its source.
///
/// Points `(extracted, source, verbatim)` in increasing order: from a verbatim point on,
/// the two advance byte for byte (text copied as is); everything from a synthetic point
/// up to the next point (a decoded entity, a line break standing for a tag, a cell
/// separator) maps to that point's source offset — the start of the entity or tag, which
/// is also where the text before it ends.
#[derive(Debug, Clone, Default)]
pub struct OriginMap {
    points: Vec<(usize, usize, bool)>,
    source_len: usize,
}

impl OriginMap {
    /// An empty map for a source of `source_len` bytes.
    pub fn new(source_len: usize) -> OriginMap {
        OriginMap {
            points: Vec::new(),
            source_len,
        }
    }

    fn push(&mut self, point: (usize, usize, bool)) {
        if let Some(last) = self.points.last_mut() {
            if last.0 == point.0 {
                // A run that produced nothing.
                *last = point;
                return;
            }
            // A verbatim run continuing the previous one.
            if last.2 && point.2 && last.1 + (point.0 - last.0) == point.1 {
                return;
            }
        }
        self.points.push(point);
    }

    /// Extracted bytes from `extracted` on are source bytes from `source` on.
    pub fn verbatim(&mut self, extracted: usize, source: usize, _len: usize) {
        self.push((extracted, source, true));
    }

    /// Extracted bytes from `extracted` on stand for the source at `source`.
    pub fn synthetic(&mut self, extracted: usize, source: usize) {
        self.push((extracted, source, false));
    }

    /// The source offset of extracted offset `x`.
    pub fn source_offset(&self, x: usize) -> usize {
        let k = self.points.partition_point(|p| p.0 <= x);
        let o = match k.checked_sub(1).and_then(|k| self.points.get(k)) {
            Some(&(e, s, true)) => s + (x - e),
            Some(&(_, s, false)) => s,
            None => 0,
        };
        o.min(self.source_len)
    }
}

/// A report read from disk, ready to fold.
#[derive(Debug, Clone)]
pub struct Input {
    /// Where it was read from.
    pub path: PathBuf,
    /// What spans index and renderers show: the decoded file (text, HTML) or the
    /// extracted text (DOCX). Shared with the file's report, which keeps it for
    /// renderers.
    pub source: SharedStr,
    /// The encoding (or, for DOCX, `DOCX (extracted text)`).
    pub encoding: &'static str,
    /// Its format.
    pub format: Format,
    /// For HTML, the extracted text and its map into `source`.
    pub extracted: Option<Extracted>,
    /// Lines (0-based, of the text the document model reads) that the format marks as
    /// headings (DOCX heading styles, HTML `<h1>`…`<h6>`), whatever their shape.
    pub heading_lines: Vec<usize>,
}

impl Input {
    /// Fold the text the document model reads, with spans into `source`.
    pub fn fold(&self) -> Folded {
        match &self.extracted {
            Some(x) => Folded::new(&x.text).with_origin(Arc::new(x.map.clone())),
            None => Folded::new(&self.source),
        }
    }

    /// An input for text already in memory, in format `format` (DOCX is not text:
    /// it is read as plain text here).
    pub fn from_text(path: PathBuf, text: String, encoding: &'static str, format: Format) -> Input {
        let extracted = (format == Format::Html).then(|| html::extract(&text));
        let heading_lines = extracted
            .as_ref()
            .map(|x| x.heading_lines.clone())
            .unwrap_or_default();
        Input {
            path,
            source: SharedStr::from(text),
            encoding,
            format,
            extracted,
            heading_lines,
        }
    }
}

/// Why a file could not be read as a report.
#[derive(Debug, Error, Diagnostic)]
#[non_exhaustive]
pub enum InputError {
    /// Reading or decoding failed.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Source(#[from] SourceError),
    /// A `.docx` that could not be read.
    #[error("{path}: cannot read the Word document: {reason}")]
    #[diagnostic(
        code(reportlint::input::docx),
        help("save it again from Word, or export it to .txt or .html")
    )]
    Docx {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        #[source]
        reason: docx::DocxError,
    },
}

/// The format of `path` with contents `bytes`.
pub fn detect(path: &Path, bytes: &[u8]) -> Format {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" | "xhtml" | "shtml" => return Format::Html,
        "docx" => return Format::Docx,
        _ => {}
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return Format::Docx;
    }
    let head = bytes.get(..bytes.len().min(512)).unwrap_or(bytes);
    let head = String::from_utf8_lossy(head)
        .trim_start_matches('\u{feff}')
        .trim_start()
        .to_ascii_lowercase();
    if head.starts_with("<!doctype html") || head.starts_with("<html") {
        return Format::Html;
    }
    Format::Text
}

/// Read a report file of any supported format.
pub fn read(path: &Path, max_bytes: u64) -> Result<Input, InputError> {
    read_as(path, max_bytes, InputEncoding::Auto)
}

/// [`read`], decoding text and HTML without a BOM as `encoding` says (DOCX is always
/// UTF-8 XML, so the setting does not touch it).
pub fn read_as(path: &Path, max_bytes: u64, encoding: InputEncoding) -> Result<Input, InputError> {
    let io = |source| SourceError::Io {
        path: path.to_path_buf(),
        source,
    };
    let size = std::fs::metadata(path).map_err(io)?.len();
    if size > max_bytes {
        return Err(SourceError::TooLarge {
            path: path.to_path_buf(),
            size,
            limit: max_bytes,
        }
        .into());
    }
    let bytes = std::fs::read(path).map_err(io)?;
    match detect(path, &bytes) {
        Format::Docx => {
            let docx = docx::extract(&bytes, max_bytes).map_err(|reason| InputError::Docx {
                path: path.to_path_buf(),
                reason,
            })?;
            if docx.text.trim().is_empty() {
                return Err(SourceError::Empty {
                    path: path.to_path_buf(),
                }
                .into());
            }
            Ok(Input {
                path: path.to_path_buf(),
                source: SharedStr::from(docx.text),
                encoding: "DOCX (extracted text)",
                format: Format::Docx,
                extracted: None,
                heading_lines: docx.heading_lines,
            })
        }
        format => {
            let src = source::decode_owned(path, bytes, max_bytes, encoding)?;
            Ok(Input::from_text(src.path, src.text, src.encoding, format))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origin_map_verbatim_and_synthetic() {
        let mut m = OriginMap::new(100);
        m.verbatim(0, 10, 3);
        m.synthetic(3, 20);
        m.verbatim(4, 30, 2);
        assert_eq!(m.source_offset(0), 10);
        assert_eq!(m.source_offset(2), 12);
        assert_eq!(m.source_offset(3), 20);
        assert_eq!(m.source_offset(4), 30);
        assert_eq!(m.source_offset(6), 32);
    }

    #[test]
    fn formats_are_detected() {
        assert_eq!(detect(Path::new("a.HTM"), b""), Format::Html);
        assert_eq!(
            detect(Path::new("a.txt"), b"  <!DOCTYPE html><p>"),
            Format::Html
        );
        assert_eq!(detect(Path::new("a"), b"PK\x03\x04..."), Format::Docx);
        assert_eq!(detect(Path::new("a.md"), "| a |".as_bytes()), Format::Text);
    }
}
