//! Compiling the DSL's regex literals: `\d` means the ASCII digits, each distinct
//! pattern is compiled once per process, and the built-in rules' patterns only when a
//! report first needs them.
//!
//! Why `\d` is `[0-9]`: rules run on folded text, where full-width digits are already
//! ASCII, and the regex crate's Unicode `\d` (some 70 ranges) makes every bounded
//! repetition of a class holding it (`[^。;\d]{0,30}`) compile to a large automaton —
//! one such pattern took 15 ms to build, more than checking a report.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use regex_syntax::ast::{self, Ast, ClassPerlKind, ClassSetItem, GroupKind};

/// A regex literal of a rule, checked, and compiled now or on first use.
///
/// Compiling is most of what loading the built-in pack costs (70 patterns, half of a
/// one-file run), and a report seldom needs them all: a rule that does not apply, or
/// passes, never builds the regexes of its message. Only patterns already known to
/// compile are deferred — the built-in pack's, under limits no smaller than the
/// defaults, which `reportlint rules check` and the test suite compile eagerly — so a
/// deferred compilation cannot fail.
#[derive(Debug)]
pub struct Pattern {
    written: String,
    source: String,
    flags: String,
    size_limit: usize,
    group_names: Vec<String>,
    has_assertions: bool,
    compiled: OnceLock<Option<Arc<regex::Regex>>>,
}

impl Pattern {
    /// Check `pattern` (parsed as `ast`); compile it now when `eager`.
    pub fn new(
        pattern: &str,
        ast: &Ast,
        flags: &str,
        size_limit: usize,
        eager: bool,
    ) -> Result<Pattern, regex::Error> {
        let (source, found) = rewrite(pattern, ast);
        let p = Pattern {
            written: pattern.to_string(),
            source: source.into_owned(),
            flags: flags.to_string(),
            size_limit,
            group_names: found.names,
            has_assertions: found.assertions,
            compiled: OnceLock::new(),
        };
        if eager {
            let re = compile_source(&p.source, &p.flags, p.size_limit)?;
            let _ = p.compiled.set(Some(re));
        }
        Ok(p)
    }

    /// The compiled regex (compiling it on first use); None only if a deferred
    /// compilation failed, which the rule pack's tests rule out.
    pub fn regex(&self) -> Option<&Arc<regex::Regex>> {
        self.compiled
            .get_or_init(|| compile_source(&self.source, &self.flags, self.size_limit).ok())
            .as_ref()
    }

    /// Whether the regex has been compiled yet.
    pub fn is_compiled(&self) -> bool {
        self.compiled.get().is_some()
    }

    /// Whether the pattern holds an assertion (`^ $ \b \B \A \z` and the like): only
    /// then can whether it matches a piece of text depend on what surrounds the piece.
    pub fn has_assertions(&self) -> bool {
        self.has_assertions
    }

    /// The named groups, in order.
    pub fn group_names(&self) -> &[String] {
        &self.group_names
    }

    /// The pattern as the rule wrote it.
    pub fn as_written(&self) -> &str {
        &self.written
    }
}

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
    compile_source(&ascii_digits(pattern, ast), flags, size_limit)
}

/// Compile an already rewritten pattern, through the cache.
fn compile_source(
    source: &str,
    flags: &str,
    size_limit: usize,
) -> Result<Arc<regex::Regex>, regex::Error> {
    let key = (source.to_string(), flags.to_string(), size_limit);
    let cache = CACHE.get_or_init(Default::default);
    if let Some(re) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return Ok(re);
    }
    let mut b = regex::RegexBuilder::new(source);
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
    rewrite(pattern, ast).0
}

/// What a pattern's syntax tree shows: its `\d`s, its named groups, its assertions.
#[derive(Default)]
struct Found {
    digits: Vec<(ast::Span, bool)>,
    names: Vec<String>,
    assertions: bool,
}

impl ast::Visitor for Found {
    type Output = Found;
    type Err = ();
    fn finish(self) -> Result<Found, ()> {
        Ok(self)
    }
    fn visit_pre(&mut self, ast: &Ast) -> Result<(), ()> {
        match ast {
            Ast::ClassPerl(p) if p.kind == ClassPerlKind::Digit => {
                self.digits.push((p.span, p.negated));
            }
            // Groups are visited in the order they open: capture index order.
            Ast::Group(g) => {
                if let GroupKind::CaptureName { name, .. } = &g.kind {
                    self.names.push(name.name.clone());
                }
            }
            Ast::Assertion(_) => self.assertions = true,
            _ => {}
        }
        Ok(())
    }
    fn visit_class_set_item_pre(&mut self, item: &ClassSetItem) -> Result<(), ()> {
        if let ClassSetItem::Perl(p) = item {
            if p.kind == ClassPerlKind::Digit {
                self.digits.push((p.span, p.negated));
            }
        }
        Ok(())
    }
}

/// [`ascii_digits`], and what else the syntax tree shows.
fn rewrite<'p>(pattern: &'p str, ast: &Ast) -> (Cow<'p, str>, Found) {
    // The visitor keeps its own stack: no recursion on deeply nested patterns.
    // A visit that cannot finish (it always does) says "assertions": the safe answer.
    let mut info = ast::visit(ast, Found::default()).unwrap_or(Found {
        assertions: true,
        ..Found::default()
    });
    let mut found = std::mem::take(&mut info.digits);
    if found.is_empty() {
        return (Cow::Borrowed(pattern), info);
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
    (Cow::Owned(out), info)
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
    fn deferred_patterns_compile_on_first_use_and_know_their_groups() {
        let p = r"(?<a>\d+)(?:x)(?<b>y)?";
        let ast = ast::parse::Parser::new().parse(p).unwrap();
        let lazy = Pattern::new(p, &ast, "", 1 << 20, false).unwrap();
        assert!(lazy.compiled.get().is_none());
        assert_eq!(lazy.group_names(), ["a", "b"]);
        let re = lazy.regex().unwrap();
        let names: Vec<_> = re.capture_names().flatten().collect();
        assert_eq!(names, ["a", "b"]);
        assert_eq!(lazy.as_written(), p);
        assert!(!lazy.has_assertions());
        for (p, look) in [
            (r"^a", true),
            (r"a\b", true),
            (r"[^。]{0,12}费", false),
            (r"(?m)x$", true),
        ] {
            let ast = ast::parse::Parser::new().parse(p).unwrap();
            assert_eq!(
                Pattern::new(p, &ast, "", 1 << 20, false)
                    .unwrap()
                    .has_assertions(),
                look,
                "{p}"
            );
        }
        let eager = Pattern::new(p, &ast, "", 1 << 20, true).unwrap();
        assert!(eager.compiled.get().is_some());
        // Too big for its limit: an eager pattern says so at once.
        let big = r"\w{1000}";
        let ast = ast::parse::Parser::new().parse(big).unwrap();
        assert!(Pattern::new(big, &ast, "", 1000, true).is_err());
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
