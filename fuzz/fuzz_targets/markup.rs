//! The HTML and DOCX readers on arbitrary input, then fold and the document parser
//! (tables and styled headings included): nothing panics, and every span the model
//! hands out is a valid range of the text it points into (the HTML source itself).
#![no_main]

use std::path::PathBuf;

use libfuzzer_sys::fuzz_target;
use reportlint::document::Document;
use reportlint::input::{docx, Format, Input};

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let input = if which % 2 == 0 {
        let text = String::from_utf8_lossy(rest).into_owned();
        Input::from_text(PathBuf::from("fuzz.html"), text, "UTF-8", Format::Html)
    } else {
        // The zip reader on the raw bytes, and the XML reader on them as text.
        let _ = docx::extract(rest, 1 << 20);
        let d = docx::document_text(&String::from_utf8_lossy(rest));
        let mut input = Input::from_text(PathBuf::from("fuzz.txt"), d.text, "DOCX", Format::Text);
        input.heading_lines = d.heading_lines;
        input
    };
    let folded = input.fold();
    let doc = Document::parse_with_headings(&folded, &input.heading_lines);
    for n in &doc.numbers {
        assert!(input.source.get(n.at.span.start..n.at.span.end).is_some());
    }
    for d in &doc.dates {
        assert!(input.source.get(d.at.span.start..d.at.span.end).is_some());
    }
    for s in &doc.sections {
        assert!(input.source.get(s.at.span.start..s.at.span.end).is_some());
    }
});
