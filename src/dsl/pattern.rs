//! Compiling the DSL's regex literals: `\d` means the ASCII digits, and each distinct
//! pattern is compiled once per process.
//!
//! Why `\d` is `[0-9]`: rules run on folded text, where full-width digits are already
//! ASCII, and the regex crate's Unicode `\d` (some 70 ranges) makes every bounded
//! repetition of a class holding it (`[^。;\d]{0,30}`) compile to a large automaton —
//! one such pattern took 15 ms to build, more than checking a report.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use regex_syntax::ast::{self, Ast, ClassPerlKind, ClassSetItem};

/// Compiled patterns by (pattern, flags, size limit). Bounded so a fuzzer or a long
/// session that loads endless rule files does not grow it without end.
type Cache = HashMap<(String, String, usize), Arc<regex::Regex>>;
static CACHE: OnceLock<Mutex<Cache>> = OnceLock::new();
const CACHE_CAP: usize = 4096;

/// Compile `pattern` (already parsed as `ast`) with the literal's `flags` and the
/// size limit, reusing an earlier compilation of the same literal.
pub fn compile(
    pattern: &str,
    ast: &Ast,
    flags: &str,
    size_limit: usize,
) -> Result<Arc<regex::Regex>, regex::Error> {
    let key = (pattern.to_string(), flags.to_string(), size_limit);
    let cache = CACHE.get_or_init(Default::default);
    if let Some(re) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return Ok(re);
    }
    let source = ascii_digits(pattern, ast);
    let mut b = regex::RegexBuilder::new(&source);
    b.size_limit(size_limit).dfa_size_limit(size_limit);
    for f in flags.chars() {
        match f {
            'i' => b.case_insensitive(true),
            's' => b.dot_matches_new_line(true),
            'x' => b.ignore_whitespace(true),
            'm' => b.multi_line(true),
            _ => &mut b,
        };
    }
    let re = Arc::new(b.build()?);
    if let Ok(mut c) = cache.lock() {
        if c.len() < CACHE_CAP {
            c.insert(key, re.clone());
        }
    }
    Ok(re)
}

/// `pattern` with every `\d` written `[0-9]` and every `\D` `[^0-9]` (both also valid
/// inside a bracketed class, as nested classes).
pub fn ascii_digits<'p>(pattern: &'p str, ast: &Ast) -> Cow<'p, str> {
    struct Digits(Vec<(ast::Span, bool)>);
    impl ast::Visitor for Digits {
        type Output = Vec<(ast::Span, bool)>;
        type Err = ();
        fn finish(self) -> Result<Self::Output, ()> {
            Ok(self.0)
        }
        fn visit_pre(&mut self, ast: &Ast) -> Result<(), ()> {
            if let Ast::ClassPerl(p) = ast {
                if p.kind == ClassPerlKind::Digit {
                    self.0.push((p.span, p.negated));
                }
            }
            Ok(())
        }
        fn visit_class_set_item_pre(&mut self, item: &ClassSetItem) -> Result<(), ()> {
            if let ClassSetItem::Perl(p) = item {
                if p.kind == ClassPerlKind::Digit {
                    self.0.push((p.span, p.negated));
                }
            }
            Ok(())
        }
    }
    // The visitor keeps its own stack: no recursion on deeply nested patterns.
    let mut found = ast::visit(ast, Digits(Vec::new())).unwrap_or_default();
    if found.is_empty() {
        return Cow::Borrowed(pattern);
    }
    found.sort_by_key(|(s, _)| s.start.offset);
    let mut out = String::with_capacity(pattern.len() + 4 * found.len());
    let mut at = 0;
    for (span, negated) in found {
        let (start, end) = (span.start.offset, span.end.offset);
        if start < at || end > pattern.len() {
            continue;
        }
        out.push_str(&pattern[at..start]);
        out.push_str(if negated { "[^0-9]" } else { "[0-9]" });
        at = end;
    }
    out.push_str(&pattern[at..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewrite(p: &str) -> String {
        let ast = ast::parse::Parser::new().parse(p).unwrap();
        ascii_digits(p, &ast).into_owned()
    }

    #[test]
    fn digits_become_ascii_everywhere() {
        assert_eq!(rewrite(r"\d+"), "[0-9]+");
        assert_eq!(rewrite(r"[^。;,\d]{0,30}"), "[^。;,[0-9]]{0,30}");
        assert_eq!(rewrite(r"\D|[\D]"), "[^0-9]|[[^0-9]]");
        assert_eq!(rewrite(r"\\d\w\s"), r"\\d\w\s");
        assert_eq!(
            rewrite(r"(?<n>\d{1,3}(?:,\d{3})*)"),
            "(?<n>[0-9]{1,3}(?:,[0-9]{3})*)"
        );
    }

    #[test]
    fn rewritten_patterns_match_as_before_on_folded_text() {
        let ast_of = |p: &str| ast::parse::Parser::new().parse(p).unwrap();
        for p in [r"\d+", r"[^。;\d]{0,6}?(?<n>\d+)\s*件", r"\D+", r"[\d.]+%"] {
            let re = compile(p, &ast_of(p), "", 1 << 20).unwrap();
            let plain = regex::Regex::new(p).unwrap();
            for hay in ["收到申请497件", "共1,062条。", "abc 12.5%", "", "。。"] {
                let a: Vec<_> = re.find_iter(hay).map(|m| m.range()).collect();
                let b: Vec<_> = plain.find_iter(hay).map(|m| m.range()).collect();
                assert_eq!(a, b, "{p} on {hay}");
            }
        }
        // Only ASCII digits: the fold stage has turned full-width ones into ASCII.
        let re = compile(r"\d", &ast_of(r"\d"), "", 1 << 20).unwrap();
        assert!(!re.is_match("٣"));
    }

    #[test]
    fn the_same_literal_is_compiled_once() {
        let p = r"缓存测试\d+";
        let ast = ast::parse::Parser::new().parse(p).unwrap();
        let a = compile(p, &ast, "", 1 << 20).unwrap();
        let b = compile(p, &ast, "", 1 << 20).unwrap();
        assert!(Arc::ptr_eq(&a, &b));
        let c = compile(p, &ast, "i", 1 << 20).unwrap();
        assert!(!Arc::ptr_eq(&a, &c));
    }
}
