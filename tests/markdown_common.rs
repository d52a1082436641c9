// Shared by docs.rs and tutorial.rs: not a test of its own.
#![allow(dead_code)]

/// A fenced code block of a Markdown file: its info string, its text and the line
/// it starts on.
pub struct Block {
    pub info: String,
    pub text: String,
    pub line: usize,
}

/// Every fenced code block of `md`, in order.
pub fn blocks(md: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut open: Option<Block> = None;
    for (i, line) in md.lines().enumerate() {
        match (&mut open, line.strip_prefix("```")) {
            (None, Some(info)) => {
                open = Some(Block {
                    info: info.trim().to_string(),
                    text: String::new(),
                    line: i + 1,
                })
            }
            (Some(_), Some("")) => out.extend(open.take()),
            (Some(b), _) => {
                b.text.push_str(line);
                b.text.push('\n');
            }
            (None, None) => {}
        }
    }
    assert!(open.is_none(), "unclosed code block");
    out
}
