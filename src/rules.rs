//! Rule packs: TOML files holding DSL expressions, loaded, parsed and checked before
//! any report is read. A pack is a folder of `*.toml` files; a rule's full id is
//! `pack/id`. The built-in packs under `rules/` are embedded in the binary.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use miette::{Diagnostic, NamedSource, SourceSpan};
use serde::{Deserialize, Serialize};
use thiserror::Error;
use toml::Spanned;

use crate::dsl::ast::{Expr, ExprKind, Quantifier};
use crate::dsl::{base_globals, nesting_bound, parse_expr_limited, Checker, Type};
use crate::limits::Limits;
use crate::span::Span;

include!(concat!(env!("OUT_DIR"), "/embedded_rules.rs"));

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing.
    Info,
    /// Probably wrong.
    Warning,
    /// Wrong.
    Error,
}

impl Severity {
    /// Parse "error" / "warning" / "info".
    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "error" => Some(Severity::Error),
            "warning" | "warn" => Some(Severity::Warning),
            "info" => Some(Severity::Info),
            _ => None,
        }
    }

    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A rule file's text, kept for diagnostics that point into it.
#[derive(Debug)]
pub struct RuleFile {
    /// Its name as shown to people (`rules/ogi/structure.toml` or `<built-in>/ogi/...`).
    pub name: String,
    /// Its contents.
    pub text: Arc<str>,
}

/// An expression from a rule file, parsed and checked.
#[derive(Debug, Clone)]
pub struct CompiledExpr {
    /// The typed AST (regexes compiled).
    pub expr: Expr,
    /// The expression text.
    pub text: Arc<str>,
    /// The static type.
    pub ty: Type,
}

/// A piece of a message template.
#[derive(Debug, Clone)]
pub enum TemplatePart {
    /// Literal text.
    Text(String),
    /// `{expr}`: a value, formatted as the report wrote it.
    Expr(CompiledExpr),
}

/// What a rule test expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Expectation {
    /// At least one finding.
    Fail,
    /// No finding and assessed.
    Pass,
    /// Not assessed.
    NotApplicable,
}

impl Expectation {
    /// The name as written in rule files: `fail`, `pass`, `not-applicable`.
    pub fn as_str(self) -> &'static str {
        match self {
            Expectation::Fail => "fail",
            Expectation::Pass => "pass",
            Expectation::NotApplicable => "not-applicable",
        }
    }
}

/// An example report beside a rule, with the outcome it must give.
#[derive(Debug, Clone)]
pub struct RuleTest {
    /// The report text.
    pub report: String,
    /// The expected outcome.
    pub expect: Expectation,
    /// Texts that some label of the findings must cover exactly.
    pub labels: Vec<String>,
    /// Where the test stands in its rule file.
    pub span: Span,
}

/// A loaded rule.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Full id: `pack/id`.
    pub id: String,
    /// Index of its pack in `RuleSet::packs`.
    pub pack: usize,
    /// Severity of its findings.
    pub severity: Severity,
    /// A short English title.
    pub title: String,
    /// The message, with `{…}` placeholders.
    pub message: Vec<TemplatePart>,
    /// The message as written.
    pub message_text: String,
    /// How to fix it.
    pub help: Option<String>,
    /// The article, format or standard it enforces.
    pub reference: Option<String>,
    /// The regime tag (e.g. `R2008`, `R2019+`), informational.
    pub regime: Option<String>,
    /// When the rule applies (absent: always).
    pub when: Option<CompiledExpr>,
    /// What must hold.
    pub check: CompiledExpr,
    /// Whether waivers may silence it.
    pub waivable: bool,
    /// Tests beside the rule.
    pub tests: Vec<RuleTest>,
    /// The file it came from.
    pub file: Arc<RuleFile>,
}

/// A pack-level definition (`[let]`).
#[derive(Debug, Clone)]
pub struct LetDef {
    /// Its name.
    pub name: String,
    /// Its expression.
    pub expr: CompiledExpr,
}

/// A pack: a named folder of rule files.
#[derive(Debug, Clone)]
pub struct Pack {
    /// The pack name (the folder name).
    pub name: String,
    /// Its `[let]` definitions in dependency order.
    pub lets: Vec<LetDef>,
}

/// Every loaded rule.
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    /// The packs.
    pub packs: Vec<Pack>,
    /// The rules, in load order (packs in order, files sorted, rules as written).
    pub rules: Vec<Rule>,
}

/// A mistake in a rule file, pointing at the exact characters.
#[derive(Debug, Error, Diagnostic)]
#[error("{message}")]
#[diagnostic(code(reportlint::rules::invalid))]
pub struct RuleError {
    /// What is wrong.
    pub message: String,
    /// The rule file.
    #[source_code]
    pub src: NamedSource<Arc<str>>,
    /// Where.
    #[label("{label}")]
    pub span: SourceSpan,
    /// What the label says.
    pub label: String,
    /// How to fix it.
    #[help]
    pub help: Option<String>,
}

/// Everything wrong with the rule files, all at once.
#[derive(Debug, Error, Diagnostic)]
#[error("{} error(s) in the rule files", errors.len())]
#[diagnostic(code(reportlint::rules::load))]
pub struct RuleLoadErrors {
    /// Each mistake.
    #[related]
    pub errors: Vec<RuleError>,
}

/// A folder of rules that could not be read at all.
#[derive(Debug, Error, Diagnostic)]
#[error("cannot read rules from {path}: {source}")]
#[diagnostic(code(reportlint::rules::io))]
pub struct RuleIoError {
    /// The folder or file.
    pub path: PathBuf,
    /// The OS error.
    #[source]
    pub source: std::io::Error,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileToml {
    #[serde(default, rename = "let")]
    lets: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    rule: Vec<RuleToml>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleToml {
    id: Spanned<String>,
    severity: Option<Spanned<String>>,
    title: Option<String>,
    message: Spanned<String>,
    help: Option<String>,
    reference: Option<String>,
    regime: Option<String>,
    when: Option<Spanned<String>>,
    check: Spanned<String>,
    waivable: Option<bool>,
    #[serde(default)]
    test: Vec<Spanned<TestToml>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TestToml {
    report: String,
    expect: Expectation,
    #[serde(default)]
    labels: Vec<String>,
}

/// Sources of rule files for one pack: (display name, contents).
pub type PackSource = (String, Vec<(String, Arc<str>)>);

/// How the names of the embedded rule files start.
const BUILTIN_PREFIX: &str = "<built-in>/";

/// The built-in packs, from the embedded files.
pub fn builtin_sources() -> Vec<PackSource> {
    let mut packs: BTreeMap<String, Vec<(String, Arc<str>)>> = BTreeMap::new();
    for (path, text) in EMBEDDED_RULES {
        let (pack, _) = path.split_once('/').unwrap_or(("builtin", path));
        packs
            .entry(pack.to_string())
            .or_default()
            .push((format!("{BUILTIN_PREFIX}{path}"), Arc::from(*text)));
    }
    packs.into_iter().collect()
}

/// The packs in a folder: the folder itself if it holds `*.toml` files, and each
/// sub-folder that does.
pub fn dir_sources(dir: &Path) -> Result<Vec<PackSource>, RuleIoError> {
    let io = |source| RuleIoError {
        path: dir.to_path_buf(),
        source,
    };
    let mut packs = Vec::new();
    let own = toml_files(dir).map_err(io)?;
    let name_of = |p: &Path| {
        p.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "rules".into())
    };
    if !own.is_empty() {
        let canon = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
        packs.push((name_of(&canon), read_all(&own)?));
    }
    let mut subdirs: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io)?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    subdirs.sort();
    for sub in subdirs {
        let files = toml_files(&sub).map_err(|source| RuleIoError {
            path: sub.clone(),
            source,
        })?;
        if !files.is_empty() {
            packs.push((name_of(&sub), read_all(&files)?));
        }
    }
    Ok(packs)
}

fn toml_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    Ok(files)
}

fn read_all(files: &[PathBuf]) -> Result<Vec<(String, Arc<str>)>, RuleIoError> {
    files
        .iter()
        .map(|f| {
            std::fs::read_to_string(f)
                .map(|t| (f.display().to_string(), Arc::from(t)))
                .map_err(|source| RuleIoError {
                    path: f.clone(),
                    source,
                })
        })
        .collect()
}

struct Loader {
    errors: Vec<RuleError>,
    limits: Limits,
    /// Compile the built-in pack's regexes on first use (see [`load_deferred`]).
    defer_builtin_regexes: bool,
}

impl Loader {
    fn error(
        &mut self,
        file: &Arc<RuleFile>,
        span: Span,
        message: String,
        label: &str,
        help: Option<String>,
    ) {
        self.errors.push(RuleError {
            message,
            src: NamedSource::new(file.name.clone(), file.text.clone()),
            span: span.into(),
            label: label.to_string(),
            help,
        });
    }
}

/// Where the contents of a TOML string value start in the file, if they map 1:1
/// (literal strings always do; basic strings only without escapes).
fn content_base(file: &str, value_span: Span, value: &str) -> Option<usize> {
    let raw = file.get(value_span.start..value_span.end)?;
    let mut start = value_span.start;
    for quote in ["'''", "\"\"\"", "'", "\""] {
        if let Some(rest) = raw.strip_prefix(quote) {
            start += quote.len();
            if quote.len() == 3 {
                if rest.starts_with("\r\n") {
                    start += 2;
                } else if rest.starts_with('\n') {
                    start += 1;
                }
            }
            break;
        }
    }
    (file.get(start..start + value.len()) == Some(value)).then_some(start)
}

/// A DSL string inside a rule file: its text and how to map its offsets into the file.
struct DslText<'a> {
    text: &'a str,
    value_span: Span,
    base: Option<usize>,
}

impl DslText<'_> {
    fn file_span(&self, s: Span) -> Span {
        match self.base {
            Some(b) => Span::new(b + s.start, b + s.end.max(s.start)),
            None => self.value_span,
        }
    }
}

fn spanned_text<'a>(file: &RuleFile, s: &'a Spanned<String>) -> DslText<'a> {
    let value_span = Span::new(s.span().start, s.span().end);
    DslText {
        text: s.get_ref(),
        value_span,
        base: content_base(&file.text, value_span, s.get_ref()),
    }
}

impl Loader {
    fn compile(
        &mut self,
        file: &Arc<RuleFile>,
        dsl: &DslText<'_>,
        checker: &mut Checker<'_>,
        want: Option<&Type>,
    ) -> Option<CompiledExpr> {
        let mut expr = match parse_expr_limited(dsl.text, self.limits.max_expr_depth) {
            Ok(e) => e,
            Err(e) => {
                self.error(
                    file,
                    dsl.file_span(e.span),
                    format!("syntax error: {}", e.message),
                    "here",
                    None,
                );
                return None;
            }
        };
        checker.set_regex_size_limit(self.limits.max_regex_size);
        // The built-in pack's patterns all compile under the default limits (its tests
        // and `rules check` compile them eagerly); a smaller limit is checked now.
        checker.defer_regexes(
            self.defer_builtin_regexes
                && file.name.starts_with(BUILTIN_PREFIX)
                && self.limits.max_regex_size >= crate::limits::DEFAULT_MAX_REGEX_SIZE,
        );
        let ty = checker.check_expecting(&mut expr, want);
        let errors = checker.take_errors();
        let ok = errors.is_empty();
        for e in errors {
            self.error(file, dsl.file_span(e.span), e.message, "here", e.help);
        }
        ok.then(|| CompiledExpr {
            expr,
            text: Arc::from(dsl.text),
            ty,
        })
    }

    fn template(
        &mut self,
        file: &Arc<RuleFile>,
        msg: &Spanned<String>,
        checker: &mut Checker<'_>,
    ) -> Option<Vec<TemplatePart>> {
        let dsl = spanned_text(file, msg);
        let text = dsl.text;
        let mut parts = Vec::new();
        let mut lit = String::new();
        let mut ok = true;
        let mut i = 0;
        while i < text.len() {
            let rest = &text[i..];
            if rest.starts_with("{{") || rest.starts_with("}}") {
                lit.push_str(&rest[..1]);
                i += 2;
            } else if rest.starts_with('{') {
                let Some(close) = placeholder_end(rest) else {
                    self.error(
                        file,
                        dsl.file_span(Span::new(i, i + 1)),
                        "unclosed `{` in message".into(),
                        "opened here",
                        Some("write `{{` for a literal brace".into()),
                    );
                    return None;
                };
                let inner = &rest[1..close];
                let sub = DslText {
                    text: inner,
                    value_span: dsl.value_span,
                    base: dsl.base.map(|b| b + i + 1),
                };
                if !lit.is_empty() {
                    parts.push(TemplatePart::Text(std::mem::take(&mut lit)));
                }
                match self.compile(file, &sub, checker, None) {
                    Some(c) => parts.push(TemplatePart::Expr(c)),
                    None => ok = false,
                }
                i += close + 1;
            } else {
                let c = rest.chars().next().unwrap_or(' ');
                lit.push(c);
                i += c.len_utf8();
            }
        }
        if !lit.is_empty() {
            parts.push(TemplatePart::Text(lit));
        }
        ok.then_some(parts)
    }
}

/// Names a message template can use: the check's top-level `let`s and the variable of
/// a top-level `all`/`none` quantifier (one finding is made per failing element).
/// The byte offset of the `}` closing the placeholder that opens `rest`. Braces nest, so
/// a regex quantifier inside a placeholder (`/\d{2}/`) does not close it; escaped
/// characters and string literals are skipped.
fn placeholder_end(rest: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut chars = rest.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '"' => {
                while let Some((_, c)) = chars.next() {
                    match c {
                        '\\' => {
                            chars.next();
                        }
                        '"' => break,
                        _ => {}
                    }
                }
            }
            '{' => depth += 1,
            '}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

fn template_bindings(check: &Expr, globals: &HashMap<String, Type>) -> Vec<(String, Type)> {
    let mut out: Vec<(String, Type)> = Vec::new();
    let mut e = check.clone();
    loop {
        let mut c = Checker::new(globals);
        // Only the types are wanted (the check was compiled already): compiling its
        // regexes again would be waste.
        c.defer_regexes(true);
        for (n, t) in &out {
            c.bind(n, t.clone());
        }
        match e.kind {
            ExprKind::Let {
                name,
                mut value,
                body,
            } => {
                let t = c.check(&mut value);
                out.push((name.name, t));
                e = *body;
            }
            ExprKind::Quant {
                kind: Quantifier::All | Quantifier::None,
                var,
                mut list,
                ..
            } => {
                let t = c.check(&mut list).element().unwrap_or(Type::Any);
                out.push((var.name, t));
                return out;
            }
            _ => return out,
        }
    }
}

/// A pack parameter set from outside the pack (`[packs.ogi] deadline = '…'` in
/// `reportlint.toml`): it replaces the pack's `[let]` of that name, is checked like
/// any rule expression, and must keep the original's type.
#[derive(Debug, Clone)]
pub struct ParamOverride {
    /// The pack (`ogi`).
    pub pack: String,
    /// The `[let]` name (`deadline`).
    pub name: String,
    /// Where the name is written.
    pub name_span: Span,
    /// The new expression.
    pub expr: String,
    /// Where the expression (with its quotes) is written.
    pub expr_span: Span,
    /// The file the override is written in.
    pub file: Arc<RuleFile>,
}

/// Load packs from their sources. Every error in every file is reported, not just the first.
pub fn load(sources: &[PackSource]) -> Result<RuleSet, RuleLoadErrors> {
    load_with(sources, &[], &Limits::default())
}

/// Load packs with some `[let]` definitions overridden, refusing expressions and
/// regexes over `limits`; an override naming an unknown pack or definition, or of
/// another type than the original, is an error with its span.
pub fn load_with(
    sources: &[PackSource],
    overrides: &[ParamOverride],
    limits: &Limits,
) -> Result<RuleSet, RuleLoadErrors> {
    load_impl(sources, overrides, limits, false)
}

/// [`load_with`] for a check run: the built-in pack's regexes are compiled when a
/// report first needs them, not now (they are known to compile; rule files of the
/// user's are checked in full as ever). A one-file run builds a fraction of them.
pub fn load_deferred(
    sources: &[PackSource],
    overrides: &[ParamOverride],
    limits: &Limits,
) -> Result<RuleSet, RuleLoadErrors> {
    load_impl(sources, overrides, limits, true)
}

fn load_impl(
    sources: &[PackSource],
    overrides: &[ParamOverride],
    limits: &Limits,
    defer_builtin_regexes: bool,
) -> Result<RuleSet, RuleLoadErrors> {
    let mut loader = Loader {
        errors: Vec::new(),
        limits: *limits,
        defer_builtin_regexes,
    };
    for o in overrides {
        if !sources.iter().any(|(p, _)| *p == o.pack) {
            let known: Vec<&str> = sources.iter().map(|(p, _)| p.as_str()).collect();
            loader.error(
                &o.file,
                o.name_span,
                format!("no rule pack `{}` is loaded", o.pack),
                "parameter of an unknown pack",
                Some(format!("loaded packs: {}", known.join(", "))),
            );
        }
    }
    let mut set = RuleSet::default();
    let mut seen_ids: HashMap<String, String> = HashMap::new();
    for (pack_name, files) in sources {
        let pack_index = set.packs.len();
        // Rule files parse independently: in parallel, errors kept in file order.
        let tomls: Vec<_> = files
            .par_iter()
            .map(|(name, text)| {
                let file = Arc::new(RuleFile {
                    name: name.clone(),
                    text: text.clone(),
                });
                let parsed = toml::from_str::<FileToml>(text);
                (file, parsed)
            })
            .collect();
        let mut parsed = Vec::new();
        for (file, t) in tomls {
            match t {
                Ok(t) => parsed.push((file, t)),
                Err(e) => {
                    let span = e.span().map(Span::from).unwrap_or_default();
                    let help = e.message().starts_with("missing field").then(|| {
                        "a [[rule]] needs `id`, `message` and `check`; a [[rule.test]] needs `report` and `expect`".to_string()
                    });
                    loader.error(
                        &file,
                        span,
                        format!("invalid rule file: {}", e.message()),
                        "here",
                        help,
                    );
                }
            }
        }
        // Pack-level definitions, checked in dependency order.
        let mut let_src: BTreeMap<String, (Arc<RuleFile>, Spanned<String>)> = BTreeMap::new();
        for (file, t) in &parsed {
            for (name, value) in &t.lets {
                if let Some((prev, _)) = let_src.get(name) {
                    let span = Span::new(value.span().start, value.span().end);
                    loader.error(
                        file,
                        span,
                        format!("`{name}` is defined twice in pack `{pack_name}`"),
                        "second definition",
                        Some(format!("the first is in {}", prev.name)),
                    );
                } else {
                    let_src.insert(name.clone(), (file.clone(), value.clone()));
                }
            }
        }
        let mine: Vec<&ParamOverride> = overrides.iter().filter(|o| o.pack == *pack_name).collect();
        let original_types = if mine.is_empty() {
            HashMap::new()
        } else {
            let_types(&let_src)
        };
        for o in &mine {
            if !let_src.contains_key(&o.name) {
                let known: Vec<&str> = let_src.keys().map(String::as_str).collect();
                loader.error(
                    &o.file,
                    o.name_span,
                    format!("pack `{}` has no parameter `{}`", o.pack, o.name),
                    "not a `[let]` of the pack",
                    Some(if known.is_empty() {
                        format!("pack `{}` defines no `[let]`", o.pack)
                    } else {
                        format!("its `[let]` definitions: {}", known.join(", "))
                    }),
                );
                continue;
            }
            let value = Spanned::new(o.expr_span.start..o.expr_span.end, o.expr.clone());
            let_src.insert(o.name.clone(), (o.file.clone(), value));
        }
        let mut globals = base_globals();
        let mut lets = Vec::new();
        for name in let_order(&let_src, &mut loader) {
            let (file, value) = &let_src[&name];
            let dsl = spanned_text(file, value);
            let mut checker = Checker::new(&globals);
            let want = original_types
                .get(&name)
                .filter(|_| mine.iter().any(|o| o.name == name));
            if let Some(c) = loader.compile(file, &dsl, &mut checker, want) {
                globals.insert(name.clone(), c.ty.clone());
                lets.push(LetDef { name, expr: c });
            } else {
                globals.insert(name.clone(), Type::Any);
            }
        }
        // A definition left out by a cycle is already reported: its uses should not
        // each add an "unknown name" error.
        for name in let_src.keys() {
            globals.entry(name.clone()).or_insert(Type::Any);
        }
        set.packs.push(Pack {
            name: pack_name.clone(),
            lets,
        });
        // Ids and severities first, in file order (duplicates are found in order)...
        let mut pending = Vec::new();
        for (file, t) in parsed {
            for r in t.rule {
                let id = format!("{pack_name}/{}", r.id.get_ref());
                let id_span = Span::new(r.id.span().start, r.id.span().end);
                if let Some(prev) = seen_ids.get(&id) {
                    loader.error(
                        &file,
                        id_span,
                        format!("duplicate rule id `{id}`"),
                        "defined again here",
                        Some(format!("it is already defined in {prev}")),
                    );
                    continue;
                }
                seen_ids.insert(id.clone(), file.name.clone());
                if !r
                    .id
                    .get_ref()
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                    || r.id.get_ref().is_empty()
                {
                    loader.error(
                        &file,
                        id_span,
                        format!("invalid rule id `{}`", r.id.get_ref()),
                        "here",
                        Some("use letters, digits, `-` and `_`".into()),
                    );
                }
                let severity = match &r.severity {
                    None => Severity::Error,
                    Some(s) => Severity::parse(s.get_ref()).unwrap_or_else(|| {
                        let span = Span::new(s.span().start, s.span().end);
                        loader.error(
                            &file,
                            span,
                            format!("unknown severity `{}`", s.get_ref()),
                            "here",
                            Some("use \"error\", \"warning\" or \"info\"".into()),
                        );
                        Severity::Error
                    }),
                };
                pending.push((file.clone(), r, id, severity));
            }
        }
        // ...then the expressions, in parallel: parsing them and compiling their regexes
        // is most of loading. Each rule's errors are kept in rule order.
        let limits = loader.limits;
        let compiled: Vec<(Option<Rule>, Vec<RuleError>)> = pending
            .into_par_iter()
            .map(|(file, r, id, severity)| {
                let mut local = Loader {
                    errors: Vec::new(),
                    limits,
                    defer_builtin_regexes,
                };
                let rule = compile_rule(&mut local, &globals, file, r, id, severity, pack_index);
                (rule, local.errors)
            })
            .collect();
        for (rule, errors) in compiled {
            loader.errors.extend(errors);
            set.rules.extend(rule);
        }
    }
    if loader.errors.is_empty() {
        Ok(set)
    } else {
        Err(RuleLoadErrors {
            errors: loader.errors,
        })
    }
}

/// Compile one rule's `when`, `check` and message; None (with errors in `loader`) when
/// any of them does not compile.
fn compile_rule(
    loader: &mut Loader,
    globals: &HashMap<String, Type>,
    file: Arc<RuleFile>,
    r: RuleToml,
    id: String,
    severity: Severity,
    pack_index: usize,
) -> Option<Rule> {
    let when = r.when.as_ref().and_then(|w| {
        let mut c = Checker::new(globals);
        loader.compile(&file, &spanned_text(&file, w), &mut c, Some(&Type::Bool))
    });
    let check = {
        let mut c = Checker::new(globals);
        loader.compile(
            &file,
            &spanned_text(&file, &r.check),
            &mut c,
            Some(&Type::Bool),
        )
    };
    let message = {
        let mut c = Checker::new(globals);
        if let Some(chk) = &check {
            for (n, t) in template_bindings(&chk.expr, globals) {
                c.bind(&n, t);
            }
        }
        loader.template(&file, &r.message, &mut c)
    };
    let tests = r
        .test
        .into_iter()
        .map(|t| {
            let span = Span::new(t.span().start, t.span().end);
            let t = t.into_inner();
            RuleTest {
                report: t.report,
                expect: t.expect,
                labels: t.labels,
                span,
            }
        })
        .collect();
    if r.when.is_some() && when.is_none() {
        return None;
    }
    let (Some(check), Some(message)) = (check, message) else {
        return None;
    };
    Some(Rule {
        id,
        pack: pack_index,
        severity,
        title: r.title.unwrap_or_else(|| r.id.get_ref().clone()),
        message,
        message_text: r.message.into_inner(),
        help: r.help,
        reference: r.reference,
        regime: r.regime,
        when,
        check,
        waivable: r.waivable.unwrap_or(true),
        tests,
        file,
    })
}

/// The types of a pack's own `[let]`s (errors ignored: they are reported when the
/// definitions are compiled for real).
fn let_types(lets: &BTreeMap<String, (Arc<RuleFile>, Spanned<String>)>) -> HashMap<String, Type> {
    let mut scratch = Loader {
        errors: Vec::new(),
        limits: Limits::default(),
        // Only the types are wanted: nothing of this compilation is kept.
        defer_builtin_regexes: true,
    };
    let mut globals = base_globals();
    let mut out = HashMap::new();
    for name in let_order(lets, &mut scratch) {
        let (file, value) = &lets[&name];
        let mut checker = Checker::new(&globals);
        let ty = scratch
            .compile(file, &spanned_text(file, value), &mut checker, None)
            .map(|c| c.ty)
            .unwrap_or(Type::Any);
        globals.insert(name.clone(), ty.clone());
        out.insert(name, ty);
    }
    out
}

/// Order pack `[let]`s so each comes after the ones it uses; a cycle is an error.
fn let_order(
    lets: &BTreeMap<String, (Arc<RuleFile>, Spanned<String>)>,
    loader: &mut Loader,
) -> Vec<String> {
    let deps: BTreeMap<&str, Vec<String>> = lets
        .iter()
        .map(|(name, (_, v))| {
            let mut used = Vec::new();
            if let Ok(e) = parse_expr_limited(v.get_ref(), loader.limits.max_expr_depth) {
                e.walk(&mut |x| {
                    if let ExprKind::Var(id) = &x.kind {
                        if lets.contains_key(&id.name) && !used.contains(&id.name) {
                            used.push(id.name.clone());
                        }
                    }
                });
            }
            (name.as_str(), used)
        })
        .collect();
    let mut order = Vec::new();
    let mut done: HashSet<String> = HashSet::new();
    let mut reported: HashSet<String> = HashSet::new();
    let max = loader.limits.max_expr_depth;
    fn visit(
        n: &str,
        deps: &BTreeMap<&str, Vec<String>>,
        path: &mut Vec<String>,
        done: &mut HashSet<String>,
        order: &mut Vec<String>,
        cycles: &mut Vec<Vec<String>>,
        max: usize,
    ) {
        if done.contains(n) {
            return;
        }
        if let Some(pos) = path.iter().position(|p| p == n) {
            cycles.push(path[pos..].to_vec());
            return;
        }
        // A chain longer than the depth limit is refused below anyway; stopping here
        // keeps this recursion (one frame per link) off the end of the stack.
        if path.len() > max {
            return;
        }
        path.push(n.to_string());
        for d in deps.get(n).into_iter().flatten() {
            visit(d, deps, path, done, order, cycles, max);
        }
        path.pop();
        if done.insert(n.to_string()) {
            order.push(n.to_string());
        }
    }
    let mut cycles = Vec::new();
    for name in lets.keys() {
        visit(
            name,
            &deps,
            &mut Vec::new(),
            &mut done,
            &mut order,
            &mut cycles,
            max,
        );
    }
    // Definitions are evaluated on demand, one nested evaluation per link of a chain:
    // the depth of a definition counts the definitions it uses (dependencies first in
    // `order`), and a chain too deep is an error like a too-deep expression.
    let mut depth: HashMap<&str, usize> = HashMap::new();
    let mut too_deep = HashSet::new();
    for name in &order {
        let Some((file, v)) = lets.get(name) else {
            continue;
        };
        let used = deps.get(name.as_str()).into_iter().flatten();
        let below = used
            .map(|d| depth.get(d.as_str()).copied().unwrap_or(max + 1))
            .max()
            .unwrap_or(0);
        let d = nesting_bound(v.get_ref()) + 1 + below;
        depth.insert(name.as_str(), d);
        if d > max && below <= max {
            too_deep.insert(name.clone());
            let span = Span::new(v.span().start, v.span().end);
            loader.error(
                file,
                span,
                format!(
                    "`{name}` nests more than {max} levels deep through the definitions it uses"
                ),
                "defined here",
                Some("use fewer chained definitions, or raise --max-expr-depth".into()),
            );
        } else if d > max {
            too_deep.insert(name.clone());
        }
    }
    order.retain(|n| !too_deep.contains(n));
    let mut in_cycle = HashSet::new();
    for cycle in cycles {
        let first = &cycle[0];
        in_cycle.extend(cycle.iter().cloned());
        if reported.insert(first.clone()) {
            let (file, v) = &lets[first];
            let span = Span::new(v.span().start, v.span().end);
            let mut chain = cycle.clone();
            chain.push(first.clone());
            loader.error(
                file,
                span,
                format!("`{first}` depends on itself: {}", chain.join(" → ")),
                "defined here",
                Some(
                    "break the cycle: a definition may only use definitions that do not use it"
                        .into(),
                ),
            );
        }
    }
    order.retain(|n| !in_cycle.contains(n));
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_one(text: &str) -> Result<RuleSet, RuleLoadErrors> {
        load(&[("t".into(), vec![("t.toml".into(), Arc::from(text))])])
    }

    #[test]
    fn placeholders_may_hold_regex_quantifiers_and_strings() {
        assert_eq!(placeholder_end("{a}b"), Some(2));
        assert_eq!(placeholder_end(r"{count(matches(/\d{2}/))} x"), Some(24));
        assert_eq!(placeholder_end(r#"{contains(s, "}")}"#), Some(17));
        assert_eq!(placeholder_end("{unclosed"), None);
        let text =
            "[[rule]]\nid = \"x\"\ncheck = 'true'\nmessage = '{count(matches(/\\d{4}年/))}处'\n";
        assert!(load_one(text).is_ok());
    }

    #[test]
    fn spans_point_into_the_file() {
        let text = "[[rule]]\nid = \"x\"\nmessage = \"m\"\ncheck = '''\nexsits(report.title)'''\n";
        let err = load_one(text).unwrap_err();
        assert_eq!(err.errors.len(), 1);
        let e = &err.errors[0];
        assert_eq!(
            &text[e.span.offset()..e.span.offset() + e.span.len()],
            "exsits"
        );
        assert_eq!(e.help.as_deref(), Some("did you mean `exists`?"));
    }

    #[test]
    fn every_error_and_unknown_keys() {
        let text = "[[rule]]\nid = \"a\"\nmessage = \"{m.nope}\"\ncheck = 'report.yaer > 1'\nsevrity = \"error\"\n";
        let err = load_one(text).unwrap_err();
        assert!(
            err.errors[0].message.contains("unknown field `sevrity`"),
            "{:?}",
            err.errors
        );
        let text = "[[rule]]\nid = \"a\"\nmessage = \"{nope}\"\ncheck = 'report.yaer > 1'\n";
        let err = load_one(text).unwrap_err();
        assert_eq!(err.errors.len(), 2, "{:?}", err.errors);
    }

    #[test]
    fn lets_cycles_and_duplicates() {
        let text = "[let]\na = 'b + 1'\nb = 'a + 1'\nc = 'report.year'\n[[rule]]\nid = \"x\"\nmessage = \"m\"\ncheck = 'c > 1'\n[[rule]]\nid = \"x\"\nmessage = \"m\"\ncheck = 'true'\n";
        let err = load_one(text).unwrap_err();
        let msgs: Vec<_> = err.errors.iter().map(|e| e.message.clone()).collect();
        assert!(
            msgs.iter().any(|m| m.contains("depends on itself")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter().any(|m| m.contains("duplicate rule id `t/x`")),
            "{msgs:?}"
        );
        let text = "[let]\na = 'b + 1'\nb = 'a + 1'\n[[rule]]\nid = \"x\"\nmessage = \"m\"\ncheck = 'a > 1'\n";
        let msgs: Vec<_> = load_one(text)
            .unwrap_err()
            .errors
            .into_iter()
            .map(|e| e.message)
            .collect();
        assert_eq!(msgs.len(), 1, "only the cycle, not its uses: {msgs:?}");
    }

    #[test]
    fn templates_see_the_quantifier_variable() {
        let text = "[[rule]]\nid = \"r\"\nmessage = \"{m.rate} vs {m.a}\"\ncheck = 'all m in matches(/(?<rate>\\d+%)(?<a>x)/): m.rate > 0'\n";
        let set = load_one(text).expect("loads");
        assert_eq!(set.rules[0].message.len(), 3);
    }

    #[test]
    fn builtin_regexes_are_compiled_on_first_use_in_check_runs_only() {
        let regex_of = |set: &RuleSet| {
            let rule = set
                .rules
                .iter()
                .find(|r| r.id == "ogi/damaged-text")
                .unwrap();
            match &rule.check.expr.kind {
                ExprKind::Let { value, .. } => match &value.kind {
                    ExprKind::Regex(lit) => lit.compiled.clone().unwrap(),
                    other => panic!("{other:?}"),
                },
                other => panic!("{other:?}"),
            }
        };
        let eager = load(&builtin_sources()).unwrap();
        assert!(regex_of(&eager).is_compiled());
        let limits = Limits::default();
        let deferred = load_deferred(&builtin_sources(), &[], &limits).unwrap();
        let p = regex_of(&deferred);
        assert!(!p.is_compiled());
        assert!(p.regex().is_some());
        assert!(p.is_compiled());
        // A smaller regex limit than the default is checked at load time.
        let small = Limits {
            max_regex_size: 1000,
            ..Limits::default()
        };
        assert!(load_deferred(&builtin_sources(), &[], &small).is_err());
        // The user's rule files are always checked in full.
        let user = vec![(
            "u".to_string(),
            vec![(
                "u/r.toml".to_string(),
                Arc::from("[[rule]]\nid = \"r\"\nmessage = \"m\"\ncheck = 'count(matches(/\\w{1000}\\w{1000}/)) == 0'\n"),
            )],
        )];
        let tight = Limits {
            max_regex_size: 100_000,
            ..Limits::default()
        };
        assert!(load_deferred(&user, &[], &tight).is_err());
    }

    #[test]
    fn builtin_rules_load() {
        let set = load(&builtin_sources()).unwrap_or_else(|e| panic!("{:?}", e.errors));
        assert!(set.rules.iter().any(|r| r.id == "ogi/fees-section"));
    }
}
