//! Decoding (every encoding path) and the document parser on arbitrary bytes; every
//! span the model hands out must lie on character boundaries of the decoded text.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use reportlint::document::Document;
use reportlint::fold::Folded;
use reportlint::source;

fuzz_target!(|data: &[u8]| {
    let Ok(src) = source::decode(Path::new("fuzz.txt"), data, source::DEFAULT_MAX_BYTES) else {
        return;
    };
    let folded = Folded::new(&src.text);
    let doc = Document::parse(&folded);
    for n in &doc.numbers {
        assert!(src.text.get(n.at.span.start..n.at.span.end).is_some());
    }
    for d in &doc.dates {
        assert!(src.text.get(d.at.span.start..d.at.span.end).is_some());
    }
});
