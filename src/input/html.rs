//! HTML → text with a map back to HTML byte offsets.
//!
//! A small tokenizer, not a DOM: reports are flat pages of paragraphs and tables, and
//! what matters is that every character of the extracted text knows where it stands in
//! the HTML. Block elements end lines; `<script>`, `<style>`, `<head>` and navigation
//! boilerplate (`<nav>`, `<header>`, `<footer>`, `<aside>`, and `div`/`ul`/`section`
//! containers whose class or id says nav, menu, crumb, footer, share …) are skipped; entities are
//! decoded; runs of whitespace collapse to one space. A table row becomes one line
//! `| a | b |`, colspans and rowspans written as empty cells so every row has its full
//! width (the table recogniser in `document` reads them like a markdown table).

use super::{Extracted, OriginMap};

/// Elements whose whole content is skipped.
const SKIPPED: &[&str] = &[
    "head", "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "title",
    "svg", "iframe", "select", "button",
];

/// Elements whose content is raw text (no tags inside): skipped to their end tag.
const RAW_TEXT: &[&str] = &["script", "style", "textarea", "title", "noscript"];

/// Elements that start and end a line.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "section",
    "article",
    "main",
    "blockquote",
    "pre",
    "hr",
    "br",
    "table",
    "tbody",
    "thead",
    "tfoot",
    "caption",
    "form",
    "center",
    "address",
    "figure",
    "figcaption",
    "body",
    "html",
];

/// One open table: rowspans still pending per column, the current column.
#[derive(Default)]
struct TableState {
    pending: Vec<usize>,
    col: usize,
    in_row: bool,
    /// colspan of the open cell, if a cell is open.
    cell: Option<usize>,
}

struct Out {
    text: String,
    map: OriginMap,
    /// Offsets in `text` where an `<h1>`…`<h6>` outside a table starts, and whether the
    /// last one is still open.
    heading_starts: Vec<usize>,
    heading_open: bool,
}

impl Out {
    fn verbatim(&mut self, at: usize, s: &str) {
        self.map.verbatim(self.text.len(), at, s.len());
        self.text.push_str(s);
    }

    fn synthetic(&mut self, at: usize, s: &str) {
        self.map.synthetic(self.text.len(), at);
        self.text.push_str(s);
    }

    /// End the current line (once).
    fn newline(&mut self, at: usize) {
        if !self.text.is_empty() && !self.text.ends_with('\n') {
            self.synthetic(at, "\n");
        }
    }

    fn at_line_start(&self) -> bool {
        self.text.is_empty() || self.text.ends_with('\n')
    }
}

/// Whether a tag closes itself (`<br/>`).
fn self_closing(tag: &Tag<'_>) -> bool {
    tag.attrs.trim_end().ends_with('/')
}

/// A container whose class or id names page furniture (`<div class="nav">`,
/// `breadcrumb`, `footer`, `share` …): skipped like `<nav>`.
fn boilerplate(tag: &Tag<'_>) -> bool {
    if tag.closing || !matches!(tag.name.as_str(), "div" | "ul" | "ol" | "section") {
        return false;
    }
    let attrs = tag.attrs.to_ascii_lowercase();
    ["class", "id"].iter().any(|a| {
        attr_value(&attrs, a).is_some_and(|v| {
            [
                "nav",
                "menu",
                "crumb",
                "footer",
                "sidebar",
                "banner",
                "toolbar",
                "share",
                "copyright",
            ]
            .iter()
            .any(|w| v.contains(w))
        })
    })
}

/// The value of attribute `name` in (lowercased) `attrs`.
fn attr_value<'a>(attrs: &'a str, name: &str) -> Option<&'a str> {
    let mut from = 0;
    while let Some(k) = attrs.get(from..).and_then(|r| r.find(name)) {
        let at = from + k;
        from = at + name.len();
        // A whole attribute name: preceded by a space.
        if !attrs
            .get(..at)
            .is_some_and(|b| b.ends_with(char::is_whitespace))
        {
            continue;
        }
        let rest = attrs.get(from..)?.trim_start();
        let Some(rest) = rest.strip_prefix('=') else {
            continue;
        };
        let rest = rest.trim_start();
        return match rest.chars().next() {
            Some(q @ ('"' | '\'')) => {
                let body = rest.get(1..)?;
                body.get(..body.find(q)?)
            }
            _ => rest.split(|c: char| c.is_whitespace() || c == '>').next(),
        };
    }
    None
}

/// A parsed tag.
struct Tag<'a> {
    name: String,
    closing: bool,
    attrs: &'a str,
    end: usize,
}

/// Extract the text of an HTML page.
pub fn extract(html: &str) -> Extracted {
    let bytes = html.as_bytes();
    let mut out = Out {
        text: String::with_capacity(html.len() / 2),
        map: OriginMap::new(html.len()),
        heading_starts: Vec::new(),
        heading_open: false,
    };
    // The outermost skipped element and how deep its own name nests inside it.
    let mut skip: Option<(String, usize)> = None;
    let mut tables: Vec<TableState> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes.get(i) == Some(&b'<') {
            if html.get(i..).is_some_and(|r| r.starts_with("<!--")) {
                i = html
                    .get(i + 4..)
                    .and_then(|r| r.find("-->"))
                    .map_or(bytes.len(), |k| i + 4 + k + 3);
                continue;
            }
            if let Some(tag) = tag_at(html, i) {
                let start = i;
                i = tag.end;
                let name = tag.name.as_str();
                if !tag.closing && RAW_TEXT.contains(&name) {
                    // Raw text runs to the matching end tag, whatever it holds.
                    i = find_end_tag(html, i, name).unwrap_or(bytes.len());
                    if SKIPPED.contains(&name) {
                        continue;
                    }
                }
                if let Some((skipped, depth)) = skip.as_mut() {
                    // Inside skipped content: only track the skipped element's nesting.
                    if skipped == name && !self_closing(&tag) {
                        if tag.closing {
                            *depth -= 1;
                        } else {
                            *depth += 1;
                        }
                        if *depth == 0 {
                            skip = None;
                        }
                    }
                    continue;
                }
                if SKIPPED.contains(&name) || boilerplate(&tag) {
                    if !tag.closing && !self_closing(&tag) {
                        skip = Some((tag.name.clone(), 1));
                    }
                    continue;
                }
                handle_tag(&mut out, &mut tables, &tag, start);
                continue;
            }
        }
        // Text up to the next tag (a '<' that starts no tag is text: step over it).
        let from = i + usize::from(bytes.get(i) == Some(&b'<'));
        let end = html
            .get(from..)
            .and_then(|r| r.find('<'))
            .map_or(bytes.len(), |k| from + k);
        if skip.is_none() {
            text(
                &mut out,
                html,
                i,
                end,
                tables.last().is_some_and(|t| t.cell.is_some()),
            );
        }
        i = end;
    }
    // Close what the page left open.
    while let Some(mut t) = tables.pop() {
        end_row(&mut out, &mut t, html.len());
    }
    let heading_lines = line_indices(&out.text, &out.heading_starts);
    Extracted {
        text: out.text,
        map: out.map,
        heading_lines,
    }
}

/// The 0-based line of each offset (offsets in increasing order).
fn line_indices(text: &str, offsets: &[usize]) -> Vec<usize> {
    let mut lines = Vec::with_capacity(offsets.len());
    let (mut line, mut from) = (0usize, 0usize);
    for &at in offsets {
        line += text
            .get(from..at)
            .map_or(0, |s| s.bytes().filter(|&b| b == b'\n').count());
        from = at;
        lines.push(line);
    }
    lines
}

fn handle_tag(out: &mut Out, tables: &mut Vec<TableState>, tag: &Tag<'_>, at: usize) {
    let name = tag.name.as_str();
    let in_cell = tables.last().is_some_and(|t| t.cell.is_some());
    match (name, tag.closing) {
        ("table", false) => {
            out.newline(at);
            tables.push(TableState::default());
        }
        ("table", true) => {
            if let Some(mut t) = tables.pop() {
                end_row(out, &mut t, at);
            }
            out.newline(at);
        }
        ("tr", false) => {
            if let Some(t) = tables.last_mut() {
                end_row(out, t, at);
                out.newline(at);
                out.synthetic(at, "|");
                t.in_row = true;
                t.col = 0;
            }
        }
        ("tr", true) => {
            if let Some(t) = tables.last_mut() {
                end_row(out, t, at);
            }
        }
        ("td" | "th", false) => {
            if let Some(t) = tables.last_mut() {
                if !t.in_row {
                    out.newline(at);
                    out.synthetic(at, "|");
                    t.in_row = true;
                    t.col = 0;
                }
                end_cell(out, t, at);
                fill_pending(out, t, at);
                let colspan = attr_number(tag.attrs, "colspan").clamp(1, 1000);
                let rowspan = attr_number(tag.attrs, "rowspan").clamp(1, 10_000);
                if t.pending.len() < t.col + colspan {
                    t.pending.resize(t.col + colspan, 0);
                }
                for p in t.pending.iter_mut().skip(t.col).take(colspan) {
                    *p = rowspan - 1;
                }
                out.synthetic(at, " ");
                t.cell = Some(colspan);
            }
        }
        ("td" | "th", true) => {
            if let Some(t) = tables.last_mut() {
                end_cell(out, t, at);
            }
        }
        ("h1" | "h2" | "h3" | "h4" | "h5" | "h6", closing) if !in_cell && tables.is_empty() => {
            out.newline(at);
            if !closing {
                out.heading_starts.push(out.text.len());
                out.heading_open = true;
            } else if out.heading_open {
                out.heading_open = false;
                // An empty heading marks nothing (the next block would start here).
                if out.heading_starts.last() == Some(&out.text.len()) {
                    out.heading_starts.pop();
                }
            }
        }
        _ if BLOCKS.contains(&name) => {
            if in_cell {
                if !out.text.ends_with(' ') {
                    out.synthetic(at, " ");
                }
            } else {
                out.newline(at);
            }
        }
        _ => {}
    }
}

/// Close the open cell: its separator, and empty cells for its colspan.
fn end_cell(out: &mut Out, t: &mut TableState, at: usize) {
    if let Some(span) = t.cell.take() {
        // Trailing space of the cell's text is already collapsed to one.
        let sep = if out.text.ends_with(' ') { "|" } else { " |" };
        out.synthetic(at, sep);
        for _ in 1..span {
            out.synthetic(at, "  |");
        }
        t.col += span;
    }
}

/// Empty cells for columns a rowspan from above still covers.
fn fill_pending(out: &mut Out, t: &mut TableState, at: usize) {
    while let Some(p) = t.pending.get_mut(t.col).filter(|p| **p > 0) {
        *p -= 1;
        out.synthetic(at, "  |");
        t.col += 1;
    }
}

fn end_row(out: &mut Out, t: &mut TableState, at: usize) {
    if !t.in_row {
        return;
    }
    end_cell(out, t, at);
    // Rowspans covering the row's last columns.
    while t.col < t.pending.len() {
        fill_pending(out, t, at);
        if t.pending.get(t.col).is_some_and(|p| *p == 0) {
            break;
        }
    }
    t.in_row = false;
    out.newline(at);
}

/// Emit the text `html[from..to]`: entities decoded, whitespace runs collapsed.
fn text(out: &mut Out, html: &str, from: usize, to: usize, in_cell: bool) {
    let Some(s) = html.get(from..to) else {
        return;
    };
    let mut run_start: Option<usize> = None; // start of a pending verbatim run (relative)
    let flush = |out: &mut Out, run: &mut Option<usize>, upto: usize| {
        if let Some(r) = run.take() {
            if let Some(piece) = s.get(r..upto) {
                out.verbatim(from + r, piece);
            }
        }
    };
    let mut iter = s.char_indices().peekable();
    while let Some((k, c)) = iter.next() {
        if c.is_ascii_whitespace() {
            flush(out, &mut run_start, k);
            let skip_space = out.at_line_start() || out.text.ends_with(' ');
            if !skip_space {
                out.synthetic(from + k, " ");
            }
            continue;
        }
        if c == '&' {
            if let Some((decoded, len)) = entity(s.get(k..).unwrap_or("")) {
                flush(out, &mut run_start, k);
                // The decoded character maps to the whole entity; what follows it
                // starts a new run at the byte after the entity.
                out.map.synthetic(out.text.len(), from + k);
                out.text.push(decoded);
                while iter.peek().is_some_and(|(j, _)| *j < k + len) {
                    iter.next();
                }
                continue;
            }
        }
        if c == '|' && in_cell {
            // A pipe inside a cell would split it.
            flush(out, &mut run_start, k);
            out.synthetic(from + k, "｜");
            continue;
        }
        if run_start.is_none() {
            run_start = Some(k);
        }
    }
    flush(out, &mut run_start, s.len());
}

/// The tag starting at `i` (`<name ...>` or `</name>`), if it is one.
fn tag_at(html: &str, i: usize) -> Option<Tag<'_>> {
    let rest = html.get(i + 1..)?;
    let (closing, body) = match rest.strip_prefix('/') {
        Some(b) => (true, b),
        None => (false, rest),
    };
    let first = body.chars().next()?;
    if !(first.is_ascii_alphabetic() || (!closing && matches!(first, '!' | '?'))) {
        return None;
    }
    // Find the closing '>' outside quotes.
    let mut quote: Option<u8> = None;
    let mut end = None;
    for (k, b) in body.bytes().enumerate() {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => {
                end = Some(k);
                break;
            }
            _ => {}
        }
    }
    let end = end?;
    let inner = body.get(..end)?;
    let name_len = inner
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == ':'))
        .unwrap_or(inner.len());
    let name = inner.get(..name_len)?.to_ascii_lowercase();
    let offset = i + 1 + usize::from(closing);
    Some(Tag {
        name,
        closing,
        attrs: inner.get(name_len..).unwrap_or(""),
        end: offset + end + 1,
    })
}

/// Offset just after `</name ...>` at or after `from` (case-insensitive).
fn find_end_tag(html: &str, from: usize, name: &str) -> Option<usize> {
    let bytes = html.as_bytes();
    let mut at = from;
    loop {
        let k = at + html.get(at..)?.find("</")?;
        let candidate = bytes.get(k + 2..k + 2 + name.len())?;
        if candidate.eq_ignore_ascii_case(name.as_bytes()) {
            let close = html.get(k..)?.find('>')?;
            return Some(k + close + 1);
        }
        at = k + 2;
    }
}

/// The value of a numeric attribute (`colspan="3"`), 1 when absent or malformed.
fn attr_number(attrs: &str, name: &str) -> usize {
    let lower = attrs.to_ascii_lowercase();
    attr_value(&lower, name)
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(1)
}

/// The character an entity at the start of `s` stands for, and the entity's length.
fn entity(s: &str) -> Option<(char, usize)> {
    let semi = s.find(';').filter(|&k| k <= 12)?;
    let body = s.get(1..semi)?;
    let c = if let Some(num) = body.strip_prefix('#') {
        let v = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        char::from_u32(v).filter(|&c| c != '\0')?
    } else {
        match body {
            "nbsp" => '\u{a0}',
            "lt" => '<',
            "gt" => '>',
            "amp" => '&',
            "quot" => '"',
            "apos" => '\'',
            "ldquo" => '“',
            "rdquo" => '”',
            "lsquo" => '‘',
            "rsquo" => '’',
            "mdash" => '—',
            "ndash" => '–',
            "hellip" => '…',
            "middot" => '·',
            "times" => '×',
            "divide" => '÷',
            "emsp" | "ensp" | "thinsp" => ' ',
            "copy" => '©',
            "reg" => '®',
            "yen" => '¥',
            "deg" => '°',
            "permil" => '‰',
            "bull" => '•',
            _ => return None,
        }
    };
    Some((c, semi + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin_of(x: &Extracted, needle: &str, html: &str) -> String {
        let k = x.text.find(needle).unwrap();
        let s = x.map.source_offset(k);
        let e = x.map.source_offset(k + needle.len());
        html[s..e].to_string()
    }

    #[test]
    fn paragraphs_entities_and_boilerplate() {
        let html = "<html><head><title>T</title><script>var a = '<p>x</p>';</script></head>\
<body><nav><a href=\"/\">首页</a></nav><h1>某局2019年报告</h1>\n<p>危及&ldquo;三安全一稳定&rdquo;\n   共&#26576;件</p>\
<!-- 注释 --><div class=\"foot\"><div id=\"footer-nav\"><div>版权</div><p>地址</p></div></div><footer>版权</footer></body></html>";
        let x = extract(html);
        assert_eq!(x.text, "某局2019年报告\n危及“三安全一稳定” 共某件\n");
        assert!(
            !extract("<div class=\"a share\"><div>x</div>y</div><p>z</p>")
                .text
                .contains('y')
        );
        assert_eq!(origin_of(&x, "“", html), "&ldquo;");
        assert_eq!(origin_of(&x, "三安全一稳定", html), "三安全一稳定");
        assert_eq!(origin_of(&x, "某件", html), "&#26576;件");
    }

    #[test]
    fn raw_text_ends_case_insensitively_and_stray_lt_is_text() {
        let x = extract("<SCRIPT>a</b></Script ><p>1 < 2 收到</p>");
        assert_eq!(x.text, "1 < 2 收到\n");
    }

    #[test]
    fn tables_expand_spans() {
        let html = "<table><tr><td rowspan=\"2\">a</td><td colspan=\"2\">b</td></tr>\
<tr><td>1</td><td>&nbsp;</td></tr></table>";
        let x = extract(html);
        assert_eq!(x.text, "| a | b |  |\n|  | 1 | \u{a0} |\n");
        assert_eq!(origin_of(&x, "1", html), "1");
    }
}
