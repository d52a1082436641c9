//! DOCX → text: `word/document.xml` out of the zip, paragraphs as lines, tables as
//! `| a | b |` rows (a `gridSpan` cell followed by empty cells for the columns it
//! spans; a `vMerge` continuation cell is empty in the XML already), the cells'
//! paragraphs joined by a space. Tabs (`<w:tab/>`) become tabs, breaks new lines.
//!
//! The zip is read directly (end-of-central-directory record → central directory →
//! local header; stored or deflated entries, inflated with `miniz_oxide`): a report
//! needs one entry, and reading it takes a few dozen lines. Zip64 and encrypted
//! archives are refused with an error.

use miette::Diagnostic;
use thiserror::Error;

/// Why a `.docx` could not be read.
#[derive(Debug, Error, Diagnostic, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DocxError {
    /// Not a zip archive (no end-of-central-directory record).
    #[error("not a zip archive")]
    NotZip,
    /// The archive's directory points outside the file.
    #[error("the zip archive is damaged")]
    Damaged,
    /// No `word/document.xml` entry.
    #[error("no word/document.xml in the archive")]
    NoDocument,
    /// A compression method other than stored or deflate, or encryption.
    #[error("unsupported zip compression method {0}")]
    Unsupported(u16),
    /// The deflated data is corrupt or larger than the limit.
    #[error("cannot inflate word/document.xml (corrupt, or larger than {0} bytes)")]
    Inflate(u64),
    /// The XML is not UTF-8.
    #[error("word/document.xml is not UTF-8")]
    NotUtf8,
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// The bytes of entry `name` in the zip `zip`, inflated (at most `limit` bytes).
fn zip_entry(zip: &[u8], name: &str, limit: u64) -> Result<Vec<u8>, DocxError> {
    // The end-of-central-directory record: 22 bytes plus a comment of up to 64 KiB.
    let from = zip.len().saturating_sub(22 + 65_535);
    let eocd = (from..zip.len().saturating_sub(21))
        .rev()
        .find(|&i| zip.get(i..i + 4) == Some(b"PK\x05\x06"))
        .ok_or(DocxError::NotZip)?;
    let count = u16_at(zip, eocd + 10).ok_or(DocxError::Damaged)?;
    let mut at = u32_at(zip, eocd + 16).ok_or(DocxError::Damaged)? as usize;
    for _ in 0..count {
        if zip.get(at..at + 4) != Some(b"PK\x01\x02") {
            return Err(DocxError::Damaged);
        }
        let flags = u16_at(zip, at + 8).ok_or(DocxError::Damaged)?;
        let method = u16_at(zip, at + 10).ok_or(DocxError::Damaged)?;
        let size = u32_at(zip, at + 20).ok_or(DocxError::Damaged)? as usize;
        let name_len = u16_at(zip, at + 28).ok_or(DocxError::Damaged)? as usize;
        let extra_len = u16_at(zip, at + 30).ok_or(DocxError::Damaged)? as usize;
        let comment_len = u16_at(zip, at + 32).ok_or(DocxError::Damaged)? as usize;
        let local = u32_at(zip, at + 42).ok_or(DocxError::Damaged)? as usize;
        let entry = zip
            .get(at + 46..at + 46 + name_len)
            .ok_or(DocxError::Damaged)?;
        at += 46 + name_len + extra_len + comment_len;
        if entry != name.as_bytes() {
            continue;
        }
        if flags & 1 != 0 {
            return Err(DocxError::Unsupported(method));
        }
        if zip.get(local..local + 4) != Some(b"PK\x03\x04") {
            return Err(DocxError::Damaged);
        }
        let n = u16_at(zip, local + 26).ok_or(DocxError::Damaged)? as usize;
        let e = u16_at(zip, local + 28).ok_or(DocxError::Damaged)? as usize;
        let start = local + 30 + n + e;
        let data = zip.get(start..start + size).ok_or(DocxError::Damaged)?;
        return match method {
            0 => Ok(data.to_vec()),
            8 => {
                let cap = usize::try_from(limit).unwrap_or(usize::MAX);
                miniz_oxide::inflate::decompress_to_vec_with_limit(data, cap)
                    .map_err(|_| DocxError::Inflate(limit))
            }
            m => Err(DocxError::Unsupported(m)),
        };
    }
    Err(DocxError::NoDocument)
}

/// The text of a Word document and which of its lines are headings by style.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocxText {
    /// One line per paragraph; table rows as `| a | b |`.
    pub text: String,
    /// 0-based indices of the lines whose paragraph has a heading style (Heading n,
    /// 标题 n, Title; Chinese Word's built-in ids `1`…`9`), in order.
    pub heading_lines: Vec<usize>,
}

/// Extract the text of a `.docx` (its bytes), inflating at most `limit` bytes.
pub fn extract(bytes: &[u8], limit: u64) -> Result<DocxText, DocxError> {
    let xml = zip_entry(bytes, "word/document.xml", limit)?;
    let xml = String::from_utf8(xml).map_err(|_| DocxError::NotUtf8)?;
    Ok(document_text(&xml))
}

/// Whether a paragraph style id names a heading.
fn is_heading_style(id: &str) -> bool {
    let lower = id.to_ascii_lowercase();
    lower.starts_with("heading")
        || lower == "title"
        || id.starts_with("标题")
        || (id.len() == 1 && id.as_bytes()[0].is_ascii_digit() && id != "0")
}

/// The text of `word/document.xml`, with its heading-styled lines.
pub fn document_text(xml: &str) -> DocxText {
    let mut out = String::with_capacity(xml.len() / 4);
    // Byte offsets in `out` where a heading-styled paragraph starts.
    let mut heading_starts: Vec<usize> = Vec::new();
    let mut paragraph_start = 0usize;
    let mut styled = false;
    // Open tables: cells of the current row, and whether we are in a cell.
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut in_text = false;
    // Inside tracked deletions (`<w:del>`): their text is not in the document.
    let mut deleted = 0usize;
    // gridSpan of the open cell.
    let mut span = 1usize;
    let mut i = 0;
    while let Some(k) = xml.get(i..).and_then(|r| r.find('<')) {
        let lt = i + k;
        if in_text && deleted == 0 {
            let raw = xml.get(i..lt).unwrap_or("");
            push_text(&mut out, &mut rows, &decode(raw));
        }
        let Some(gt) = xml.get(lt..).and_then(|r| r.find('>')).map(|g| lt + g) else {
            break;
        };
        let tag = xml.get(lt + 1..gt).unwrap_or("");
        i = gt + 1;
        let closing = tag.starts_with('/');
        let self_closing = tag.ends_with('/');
        let name = tag
            .trim_start_matches('/')
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or("");
        match (name, closing) {
            ("w:del", false) if !self_closing => deleted += 1,
            ("w:del", true) => deleted = deleted.saturating_sub(1),
            ("w:t", false) => in_text = !self_closing,
            ("w:t", true) => in_text = false,
            ("w:tab", false) => push_text(&mut out, &mut rows, "\t"),
            ("w:br" | "w:cr", false) => push_text(&mut out, &mut rows, "\n"),
            ("w:p", false) if !self_closing && rows.is_empty() => {
                paragraph_start = out.len();
                styled = false;
            }
            ("w:pStyle", false) if rows.is_empty() => {
                styled = attr(tag, "w:val").is_some_and(is_heading_style);
            }
            ("w:p", true) => {
                if rows.is_empty() && styled && out.len() > paragraph_start {
                    heading_starts.push(paragraph_start);
                }
                styled = false;
                if let Some(cell) = rows.last_mut().and_then(|r| r.last_mut()) {
                    if !cell.is_empty() && !cell.ends_with(' ') {
                        cell.push(' ');
                    }
                } else {
                    out.push('\n');
                }
            }
            ("w:p", false) if self_closing && rows.is_empty() => out.push('\n'),
            ("w:tbl", false) => rows.push(Vec::new()),
            ("w:tbl", true) => {
                rows.pop();
            }
            ("w:tr", false) => {
                if let Some(r) = rows.last_mut() {
                    r.clear();
                }
            }
            ("w:tr", true) => {
                let line = rows.last_mut().map(|r| {
                    let cells: Vec<String> = r
                        .drain(..)
                        .map(|c| c.trim().replace('|', "｜").replace('\n', " "))
                        .collect();
                    format!("| {} |", cells.join(" | "))
                });
                if let Some(line) = line {
                    // A nested table's row goes into the outer cell; a top-level one out.
                    let depth = rows.len();
                    match depth.checked_sub(2).and_then(|d| rows.get_mut(d)) {
                        Some(outer) => {
                            if let Some(cell) = outer.last_mut() {
                                cell.push_str(&line);
                                cell.push(' ');
                            }
                        }
                        None => {
                            out.push_str(&line);
                            out.push('\n');
                        }
                    }
                }
            }
            ("w:tc", false) => {
                if let Some(r) = rows.last_mut() {
                    r.push(String::new());
                }
                span = 1;
            }
            ("w:tc", true) => {
                if let Some(r) = rows.last_mut() {
                    // Empty cells for the further grid columns the cell spans.
                    for _ in 1..span.min(1000) {
                        r.push(String::new());
                    }
                }
                span = 1;
            }
            ("w:gridSpan", false) => {
                span = attr(tag, "w:val")
                    .and_then(|v| v.parse::<usize>().ok())
                    .unwrap_or(1);
            }
            _ => {}
        }
    }
    // Offsets to line indices, in one pass (both are in order).
    let mut heading_lines = Vec::with_capacity(heading_starts.len());
    let mut line = 0usize;
    let mut from = 0usize;
    for at in heading_starts {
        line += out
            .get(from..at)
            .map_or(0, |s| s.bytes().filter(|&b| b == b'\n').count());
        from = at;
        heading_lines.push(line);
    }
    DocxText {
        text: out,
        heading_lines,
    }
}

/// Append text to the open cell, or to the output.
fn push_text(out: &mut String, rows: &mut [Vec<String>], s: &str) {
    match rows.last_mut().and_then(|r| r.last_mut()) {
        Some(cell) => cell.push_str(s),
        None => out.push_str(s),
    }
}

/// The value of attribute `name` in a tag's text.
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let k = tag.find(&format!("{name}=\""))?;
    let rest = tag.get(k + name.len() + 2..)?;
    rest.get(..rest.find('"')?)
}

/// Decode XML character references and the five predefined entities.
fn decode(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(k) = rest.find('&') {
        out.push_str(rest.get(..k).unwrap_or(""));
        let after = rest.get(k..).unwrap_or("");
        let semi = after.find(';').filter(|&n| n < 12);
        let decoded = semi.and_then(|n| {
            let body = after.get(1..n)?;
            let c = match body {
                "lt" => '<',
                "gt" => '>',
                "amp" => '&',
                "quot" => '"',
                "apos" => '\'',
                _ => {
                    let num = body.strip_prefix('#')?;
                    let v = match num.strip_prefix('x') {
                        Some(h) => u32::from_str_radix(h, 16).ok()?,
                        None => num.parse().ok()?,
                    };
                    char::from_u32(v)?
                }
            };
            Some((c, n + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = after.get(len..).unwrap_or("");
            }
            None => {
                out.push('&');
                rest = after.get(1..).unwrap_or("");
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_and_tables() {
        let xml = r#"<w:document><w:body>
<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>三、收到&amp;处理</w:t></w:r></w:p>
<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>a</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t xml:space="preserve">１</w:t></w:r></w:p></w:tc></w:tr>
<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc><w:tc><w:p><w:r><w:t>b</w:t></w:r></w:p></w:tc><w:tc><w:p/></w:tc></w:tr></w:tbl>
<w:p><w:r><w:t>完</w:t></w:r><w:del w:id="1"><w:r><w:delText>删</w:delText><w:t>删</w:t></w:r></w:del></w:p></w:body></w:document>"#;
        assert_eq!(
            document_text(xml),
            DocxText {
                text: "三、收到&处理\n| a |  | １ |\n|  | b |  |\n完\n".into(),
                heading_lines: vec![0],
            }
        );
    }

    #[test]
    fn heading_styles_mark_their_lines() {
        let p = |style: &str, text: &str| {
            format!(
                "<w:p><w:pPr><w:pStyle w:val=\"{style}\"/></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"
            )
        };
        let xml = format!(
            "<w:document><w:body>{}{}{}{}{}</w:body></w:document>",
            p("Title", "2021年度某区政府信息公开工作年度报告"),
            p("Normal", "正文。"),
            p(
                "2",
                "工作中存在的主要问题和今后努力的方向以及需要说明的其他事项"
            ),
            p("a3", "正文。"),
            p("Heading3", "附表")
        );
        let d = document_text(&xml);
        assert_eq!(d.heading_lines, [0, 2, 4], "{:?}", d.text);
        assert!(
            is_heading_style("标题 1") && !is_heading_style("Normal") && !is_heading_style("0")
        );
    }

    #[test]
    fn garbage_is_an_error() {
        assert_eq!(extract(b"not a zip", 1000), Err(DocxError::NotZip));
    }
}
