//! `reportlint.toml`: the project's configuration, found from the working directory
//! upward (or named with `--config`, or ignored with `--isolated`).
//!
//! The file is read into a [`Config`] whose fields keep the spans of what was written,
//! so every mistake — an unknown key, a bad severity, a glob that does not parse, a
//! selector that names no rule, a pack parameter that does not type-check — points at
//! the exact characters of the file. Command-line flags take precedence over the file;
//! the file over the defaults (see [`Effective`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use globset::{Glob, GlobSet, GlobSetBuilder};
use miette::{Diagnostic, NamedSource, SourceSpan};
use serde::Deserialize;
use thiserror::Error;
use toml::Spanned;

use crate::rules::{ParamOverride, RuleFile, RuleSet, Severity};
use crate::source::InputEncoding;
use crate::span::Span;

/// The file name looked for in the working directory and its ancestors.
pub const FILE_NAME: &str = "reportlint.toml";

/// A mistake in the configuration file, pointing at the exact characters.
#[derive(Debug, Error, Diagnostic)]
#[error("{message}")]
#[diagnostic(code(reportlint::config::invalid))]
pub struct ConfigSpanError {
    /// What is wrong.
    pub message: String,
    /// The configuration file.
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

/// Why the configuration could not be used.
#[derive(Debug, Error, Diagnostic)]
#[non_exhaustive]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read the configuration {path}: {source}")]
    #[diagnostic(code(reportlint::config::io))]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// Mistakes inside the file, all of them.
    #[error("{} error(s) in {}", errors.len(), path.display())]
    #[diagnostic(code(reportlint::config::errors))]
    Invalid {
        /// The file.
        path: PathBuf,
        /// Each mistake.
        #[related]
        errors: Vec<ConfigSpanError>,
    },
}

/// A value from the configuration file with where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct At<T> {
    /// The value.
    pub value: T,
    /// Its byte range in the configuration file.
    pub span: Span,
}

impl<T> At<T> {
    fn from_spanned(s: Spanned<T>) -> At<T> {
        let span = Span::new(s.span().start, s.span().end);
        At {
            value: s.into_inner(),
            span,
        }
    }
}

/// Pass-through limits (`[limits]`): plain numbers handed to the engine.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Limits {
    /// Largest report to read, in bytes (`--max-file-size` on the command line wins).
    pub max_file_size: Option<u64>,
    /// Keep at most this many findings per file (the rest are dropped and counted).
    pub max_findings_per_file: Option<usize>,
}

/// `[input]` as written: how reports are read.
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct InputToml {
    encoding: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ConfigToml {
    #[serde(default)]
    rules: Vec<Spanned<String>>,
    builtin: Option<bool>,
    #[serde(default)]
    select: Vec<Spanned<String>>,
    #[serde(default)]
    ignore: Vec<Spanned<String>>,
    fail_on: Option<Spanned<String>>,
    #[serde(default)]
    severity: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    per_file_ignores: BTreeMap<Spanned<String>, Vec<Spanned<String>>>,
    #[serde(default)]
    include: Vec<Spanned<String>>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    waivers: Option<Spanned<String>>,
    #[serde(default)]
    packs: BTreeMap<String, BTreeMap<Spanned<String>, Spanned<String>>>,
    #[serde(default)]
    limits: Limits,
    #[serde(default)]
    input: InputToml,
}

/// A parsed `reportlint.toml`.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The file it came from (`None`: no file, the defaults).
    pub path: Option<PathBuf>,
    /// The file's text, for diagnostics that point into it.
    pub file: Option<Arc<RuleFile>>,
    /// Extra rule folders (resolved against the file's folder).
    pub rules: Vec<At<PathBuf>>,
    /// Whether to load the built-in packs (default true).
    pub builtin: Option<bool>,
    /// Only these rule-id prefixes.
    pub select: Vec<At<String>>,
    /// Never these rule-id prefixes.
    pub ignore: Vec<At<String>>,
    /// Lowest severity that makes the exit code 1.
    pub fail_on: Option<Severity>,
    /// Severity overrides: rule-id prefix → severity.
    pub severity: Vec<(At<String>, Severity)>,
    /// Per-file ignores: glob → rule-id prefixes.
    pub per_file_ignores: Vec<(At<String>, Vec<At<String>>)>,
    /// Walk only files matching one of these globs (when any is given).
    pub include: Vec<At<String>>,
    /// Never walk into files or folders matching these globs.
    pub exclude: Vec<At<String>>,
    /// The waiver file (resolved against the file's folder).
    pub waivers: Option<PathBuf>,
    /// Pack parameters: pack → `[let]` name → expression.
    pub packs: Vec<(String, At<String>, At<String>)>,
    /// Pass-through limits.
    pub limits: Limits,
    /// `[input] encoding`: how files without a BOM are decoded (`None`: not set).
    pub encoding: Option<InputEncoding>,
}

/// Find `reportlint.toml` in `start` or the nearest ancestor that has one.
pub fn discover(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|d| d.join(FILE_NAME))
        .find(|p| p.is_file())
}

/// Read and parse the configuration file at `path`.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    parse(path, &text)
}

struct Errors {
    file: Arc<RuleFile>,
    errors: Vec<ConfigSpanError>,
}

impl Errors {
    fn push(&mut self, span: Span, message: String, label: &str, help: Option<String>) {
        self.errors.push(ConfigSpanError {
            message,
            src: NamedSource::new(self.file.name.clone(), self.file.text.clone()),
            span: span.into(),
            label: label.to_string(),
            help,
        });
    }
}

fn severity_at(s: &Spanned<String>, errs: &mut Errors) -> Option<Severity> {
    let sev = Severity::parse(s.get_ref());
    if sev.is_none() {
        errs.push(
            Span::new(s.span().start, s.span().end),
            format!("unknown severity `{}`", s.get_ref()),
            "here",
            Some("use \"error\", \"warning\" or \"info\"".into()),
        );
    }
    sev
}

fn check_glob(g: &At<String>, errs: &mut Errors) {
    if let Err(e) = Glob::new(&g.value) {
        errs.push(
            g.span,
            format!("invalid glob `{}`: {}", g.value, e.kind()),
            "here",
            None,
        );
    }
}

/// Parse configuration text; `path` is where it came from (relative paths inside
/// resolve against its folder).
pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
    let file = Arc::new(RuleFile {
        name: path.display().to_string(),
        text: Arc::from(text),
    });
    let mut errs = Errors {
        file: file.clone(),
        errors: Vec::new(),
    };
    let invalid = |errs: Errors| ConfigError::Invalid {
        path: path.to_path_buf(),
        errors: errs.errors,
    };
    let raw: ConfigToml = match toml::from_str(text) {
        Ok(r) => r,
        Err(e) => {
            let span = e.span().map(Span::from).unwrap_or_default();
            errs.push(
                span,
                format!("invalid configuration: {}", e.message()),
                "here",
                Some("see `reportlint config show` and README.md § Configuration".into()),
            );
            return Err(invalid(errs));
        }
    };
    let base = path.parent().unwrap_or(Path::new(""));
    let mut cfg = Config {
        path: Some(path.to_path_buf()),
        file: Some(file.clone()),
        builtin: raw.builtin,
        limits: raw.limits,
        ..Config::default()
    };
    cfg.rules = raw
        .rules
        .into_iter()
        .map(|r| {
            let a = At::from_spanned(r);
            At {
                value: base.join(&a.value),
                span: a.span,
            }
        })
        .collect();
    cfg.select = raw.select.into_iter().map(At::from_spanned).collect();
    cfg.ignore = raw.ignore.into_iter().map(At::from_spanned).collect();
    cfg.fail_on = raw.fail_on.as_ref().and_then(|s| severity_at(s, &mut errs));
    for (k, v) in raw.severity {
        if let Some(sev) = severity_at(&v, &mut errs) {
            cfg.severity.push((At::from_spanned(k), sev));
        }
    }
    for (k, v) in raw.per_file_ignores {
        let glob = At::from_spanned(k);
        check_glob(&glob, &mut errs);
        cfg.per_file_ignores
            .push((glob, v.into_iter().map(At::from_spanned).collect()));
    }
    cfg.include = raw.include.into_iter().map(At::from_spanned).collect();
    cfg.exclude = raw.exclude.into_iter().map(At::from_spanned).collect();
    for g in cfg.include.iter().chain(&cfg.exclude) {
        check_glob(g, &mut errs);
    }
    cfg.waivers = raw.waivers.map(|w| base.join(w.into_inner()));
    if let Some(label) = &raw.input.encoding {
        match InputEncoding::parse(label.get_ref()) {
            Ok(e) => cfg.encoding = Some(e),
            Err(e) => errs.push(
                Span::new(label.span().start, label.span().end),
                e.to_string(),
                "not an encoding label",
                Some(e.help()),
            ),
        }
    }
    for (pack, lets) in raw.packs {
        for (name, expr) in lets {
            cfg.packs
                .push((pack.clone(), At::from_spanned(name), At::from_spanned(expr)));
        }
    }
    if errs.errors.is_empty() {
        Ok(cfg)
    } else {
        Err(invalid(errs))
    }
}

impl Config {
    /// The pack parameters as overrides for the rule loader (checked like any rule
    /// expression, with spans into this file).
    pub fn param_overrides(&self) -> Vec<ParamOverride> {
        let Some(file) = &self.file else {
            return Vec::new();
        };
        self.packs
            .iter()
            .map(|(pack, name, expr)| ParamOverride {
                pack: pack.clone(),
                name: name.value.clone(),
                name_span: name.span,
                expr: expr.value.clone(),
                expr_span: expr.span,
                file: file.clone(),
            })
            .collect()
    }

    /// Check the file's rule selectors against the loaded rules: a prefix that names
    /// no rule is almost always a typo, so it is an error with its span.
    pub fn check_selectors(&self, set: &RuleSet) -> Result<(), ConfigError> {
        let Some(file) = &self.file else {
            return Ok(());
        };
        let mut errs = Errors {
            file: file.clone(),
            errors: Vec::new(),
        };
        let selectors = self
            .select
            .iter()
            .chain(&self.ignore)
            .chain(self.severity.iter().map(|(k, _)| k))
            .chain(self.per_file_ignores.iter().flat_map(|(_, v)| v));
        for s in selectors {
            if !set.rules.iter().any(|r| matches_prefix(&r.id, &s.value)) {
                let near = set
                    .rules
                    .iter()
                    .map(|r| r.id.as_str())
                    .min_by_key(|id| edit_distance(id, &s.value))
                    .filter(|id| edit_distance(id, &s.value) <= 3);
                errs.push(
                    s.span,
                    format!("`{}` names no rule", s.value),
                    "no rule id starts with this",
                    Some(match near {
                        Some(n) => format!("did you mean `{n}`?"),
                        None => "`reportlint rules list` shows every rule id".into(),
                    }),
                );
            }
        }
        if errs.errors.is_empty() {
            Ok(())
        } else {
            Err(ConfigError::Invalid {
                path: self.path.clone().unwrap_or_default(),
                errors: errs.errors,
            })
        }
    }
}

/// Whether rule `id` is selected by `prefix` (a whole id, a pack `ogi` or `ogi/`, or
/// any leading part of an id).
pub fn matches_prefix(id: &str, prefix: &str) -> bool {
    let p = prefix.trim();
    !p.is_empty() && id.starts_with(p)
}

/// Levenshtein distance in chars, for "did you mean" suggestions.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev.get(j).copied().unwrap_or(0) + usize::from(ca != *cb);
            let del = prev.get(j + 1).copied().unwrap_or(0) + 1;
            let ins = cur.get(j).copied().unwrap_or(0) + 1;
            cur.push(sub.min(del).min(ins));
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(0)
}

/// Build a glob set; globs were validated when the file was parsed, so a glob that
/// fails here (only possible from the command line) is returned as its message.
pub fn glob_set<'a>(globs: impl IntoIterator<Item = &'a str>) -> Result<GlobSet, String> {
    let mut b = GlobSetBuilder::new();
    for g in globs {
        b.add(Glob::new(g).map_err(|e| format!("invalid glob `{g}`: {}", e.kind()))?);
    }
    b.build().map_err(|e| e.to_string())
}

/// Per-file ignores, compiled: for a file, the rule prefixes to drop.
#[derive(Debug, Clone, Default)]
pub struct PerFileIgnores {
    entries: Vec<(GlobSet, Vec<String>)>,
    base: Option<PathBuf>,
}

impl PerFileIgnores {
    /// Compile the configuration's per-file ignores.
    pub fn new(cfg: &Config) -> Result<PerFileIgnores, String> {
        let mut entries = Vec::new();
        for (glob, rules) in &cfg.per_file_ignores {
            entries.push((
                glob_set([glob.value.as_str()])?,
                rules.iter().map(|r| r.value.clone()).collect(),
            ));
        }
        let base = cfg
            .path
            .as_ref()
            .and_then(|p| p.parent())
            .and_then(|d| d.canonicalize().ok());
        Ok(PerFileIgnores { entries, base })
    }

    /// Whether nothing is configured.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Whether findings of `rule` in `path` are ignored. Globs match the path as given,
    /// the path relative to the configuration's folder (when the file lies under it),
    /// or the file name.
    pub fn ignores(&self, path: &Path, rule: &str) -> bool {
        let rel = self.base.as_ref().and_then(|b| {
            path.canonicalize()
                .ok()
                .and_then(|p| p.strip_prefix(b).ok().map(Path::to_path_buf))
        });
        let given = path.strip_prefix(".").unwrap_or(path);
        self.entries.iter().any(|(g, rules)| {
            (g.is_match(given)
                || rel.as_ref().is_some_and(|r| g.is_match(r))
                || path.file_name().is_some_and(|n| g.is_match(n)))
                && rules.iter().any(|p| matches_prefix(rule, p))
        })
    }
}

/// The configuration in force after command-line flags are applied, as `config show`
/// prints it.
#[derive(Debug, Clone, PartialEq)]
pub struct Effective {
    /// The file it came from, if any.
    pub file: Option<PathBuf>,
    /// Rule folders added to the built-in packs.
    pub rules: Vec<PathBuf>,
    /// Whether the built-in packs are loaded.
    pub builtin: bool,
    /// Only these prefixes (empty: all rules).
    pub select: Vec<String>,
    /// Never these prefixes.
    pub ignore: Vec<String>,
    /// The failing severity.
    pub fail_on: Severity,
    /// Severity overrides.
    pub severity: Vec<(String, Severity)>,
    /// Per-file ignores.
    pub per_file_ignores: Vec<(String, Vec<String>)>,
    /// Walk filters.
    pub include: Vec<String>,
    /// Walk filters.
    pub exclude: Vec<String>,
    /// The waiver file.
    pub waivers: Option<PathBuf>,
    /// The baseline file.
    pub baseline: Option<PathBuf>,
    /// Pack parameters: (pack, name, expression).
    pub packs: Vec<(String, String, String)>,
    /// Largest file to read, in bytes.
    pub max_file_size: u64,
    /// Most findings kept per file (`None`: the default limit).
    pub max_findings_per_file: Option<usize>,
    /// Deepest rule expression (`None`: the default limit).
    pub max_expr_depth: Option<usize>,
    /// Largest rule regex (`None`: the default limit).
    pub max_regex_size: Option<usize>,
    /// How files without a BOM are decoded.
    pub encoding: InputEncoding,
}

impl Effective {
    /// The limits this run checks with.
    pub fn limits(&self) -> crate::limits::Limits {
        let d = crate::limits::Limits::default();
        crate::limits::Limits {
            max_file_size: self.max_file_size,
            max_expr_depth: self.max_expr_depth.unwrap_or(d.max_expr_depth),
            max_regex_size: self.max_regex_size.unwrap_or(d.max_regex_size),
            max_findings: self.max_findings_per_file.unwrap_or(d.max_findings),
        }
    }
}

/// Command-line values that override the file (`None`/empty: not given).
#[derive(Debug, Clone, Default)]
pub struct Flags {
    /// `--rules`.
    pub rules: Vec<PathBuf>,
    /// `--no-builtin`.
    pub no_builtin: bool,
    /// `--select` (replaces the file's).
    pub select: Vec<String>,
    /// `--ignore` (added to the file's).
    pub ignore: Vec<String>,
    /// `--fail-on`.
    pub fail_on: Option<Severity>,
    /// `--include` (replaces the file's).
    pub include: Vec<String>,
    /// `--exclude` (added to the file's).
    pub exclude: Vec<String>,
    /// `--waivers`.
    pub waivers: Option<PathBuf>,
    /// `--baseline`.
    pub baseline: Option<PathBuf>,
    /// `--max-file-size`.
    pub max_file_size: Option<u64>,
    /// `--max-findings` (over `[limits] max-findings-per-file`).
    pub max_findings: Option<usize>,
    /// `--max-expr-depth`.
    pub max_expr_depth: Option<usize>,
    /// `--max-regex-size`.
    pub max_regex_size: Option<usize>,
    /// `--encoding` (over `[input] encoding`).
    pub encoding: Option<InputEncoding>,
}

impl Effective {
    /// Merge: flags over the file over the defaults.
    pub fn merge(cfg: &Config, flags: &Flags) -> Effective {
        let strings = |v: &[At<String>]| v.iter().map(|a| a.value.clone()).collect::<Vec<_>>();
        let pick = |flag: &[String], file: &[At<String>]| {
            if flag.is_empty() {
                strings(file)
            } else {
                flag.to_vec()
            }
        };
        let add = |flag: &[String], file: &[At<String>]| {
            let mut v = strings(file);
            v.extend(flag.iter().cloned());
            v
        };
        let mut rules: Vec<PathBuf> = cfg.rules.iter().map(|r| r.value.clone()).collect();
        rules.extend(flags.rules.iter().cloned());
        Effective {
            file: cfg.path.clone(),
            rules,
            builtin: !flags.no_builtin && cfg.builtin.unwrap_or(true),
            select: pick(&flags.select, &cfg.select),
            ignore: add(&flags.ignore, &cfg.ignore),
            fail_on: flags.fail_on.or(cfg.fail_on).unwrap_or(Severity::Info),
            severity: cfg
                .severity
                .iter()
                .map(|(k, s)| (k.value.clone(), *s))
                .collect(),
            per_file_ignores: cfg
                .per_file_ignores
                .iter()
                .map(|(g, r)| (g.value.clone(), strings(r)))
                .collect(),
            include: pick(&flags.include, &cfg.include),
            exclude: add(&flags.exclude, &cfg.exclude),
            waivers: flags.waivers.clone().or_else(|| cfg.waivers.clone()),
            baseline: flags.baseline.clone(),
            packs: cfg
                .packs
                .iter()
                .map(|(p, n, e)| (p.clone(), n.value.clone(), e.value.clone()))
                .collect(),
            max_file_size: flags
                .max_file_size
                .or(cfg.limits.max_file_size)
                .unwrap_or(crate::source::DEFAULT_MAX_BYTES),
            max_findings_per_file: flags.max_findings.or(cfg.limits.max_findings_per_file),
            max_expr_depth: flags.max_expr_depth,
            max_regex_size: flags.max_regex_size,
            encoding: flags.encoding.or(cfg.encoding).unwrap_or_default(),
        }
    }

    /// Apply selection and severity overrides to a loaded rule set. The most specific
    /// (longest) matching severity prefix wins.
    pub fn apply(&self, set: &mut RuleSet) {
        if !self.select.is_empty() {
            set.rules
                .retain(|r| self.select.iter().any(|p| matches_prefix(&r.id, p)));
        }
        set.rules
            .retain(|r| !self.ignore.iter().any(|p| matches_prefix(&r.id, p)));
        for r in &mut set.rules {
            if let Some((_, sev)) = self
                .severity
                .iter()
                .filter(|(p, _)| matches_prefix(&r.id, p))
                .max_by_key(|(p, _)| p.len())
            {
                r.severity = *sev;
            }
        }
    }

    /// The effective configuration as TOML (the same keys the file takes).
    pub fn to_toml(&self) -> String {
        let mut t = toml::Table::new();
        let strs = |v: &[String]| toml::Value::Array(v.iter().map(|s| s.as_str().into()).collect());
        let path = |p: &Path| toml::Value::String(p.display().to_string());
        t.insert(
            "rules".into(),
            toml::Value::Array(self.rules.iter().map(|p| path(p)).collect()),
        );
        t.insert("builtin".into(), self.builtin.into());
        t.insert("select".into(), strs(&self.select));
        t.insert("ignore".into(), strs(&self.ignore));
        t.insert("fail-on".into(), self.fail_on.as_str().into());
        t.insert("include".into(), strs(&self.include));
        t.insert("exclude".into(), strs(&self.exclude));
        if let Some(w) = &self.waivers {
            t.insert("waivers".into(), path(w));
        }
        let mut sev = toml::Table::new();
        for (k, s) in &self.severity {
            sev.insert(k.clone(), s.as_str().into());
        }
        t.insert("severity".into(), sev.into());
        let mut pfi = toml::Table::new();
        for (g, r) in &self.per_file_ignores {
            pfi.insert(g.clone(), strs(r));
        }
        t.insert("per-file-ignores".into(), pfi.into());
        let mut packs = toml::Table::new();
        for (p, n, e) in &self.packs {
            if let toml::Value::Table(pt) = packs
                .entry(p.clone())
                .or_insert_with(|| toml::Table::new().into())
            {
                pt.insert(n.clone(), e.as_str().into());
            }
        }
        t.insert("packs".into(), packs.into());
        let mut limits = toml::Table::new();
        limits.insert(
            "max-file-size".into(),
            i64::try_from(self.max_file_size).unwrap_or(i64::MAX).into(),
        );
        if let Some(n) = self.max_findings_per_file {
            limits.insert(
                "max-findings-per-file".into(),
                i64::try_from(n).unwrap_or(i64::MAX).into(),
            );
        }
        t.insert("limits".into(), limits.into());
        let mut input = toml::Table::new();
        input.insert("encoding".into(), self.encoding.label().into());
        t.insert("input".into(), input.into());
        let head = match &self.file {
            Some(f) => format!("# configuration file: {}\n", f.display()),
            None => "# no configuration file: defaults and command-line flags\n".to_string(),
        };
        let baseline = self
            .baseline
            .as_ref()
            .map(|b| format!("# baseline (command line): {}\n", b.display()))
            .unwrap_or_default();
        head + &baseline + &toml::to_string(&t).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Result<Config, ConfigError> {
        parse(Path::new("/p/reportlint.toml"), text)
    }

    fn first_error(text: &str) -> (String, String) {
        match parse_str(text) {
            Err(ConfigError::Invalid { errors, .. }) => {
                let e = &errors[0];
                let covered = text
                    .get(e.span.offset()..e.span.offset() + e.span.len())
                    .unwrap_or("")
                    .to_string();
                (e.message.clone(), covered)
            }
            other => panic!("expected an invalid config, got {other:?}"),
        }
    }

    #[test]
    fn unknown_keys_are_errors_with_spans() {
        let (msg, at) = first_error("select = [\"ogi/\"]\nfail_on = \"error\"\n");
        assert!(msg.contains("unknown field `fail_on`"), "{msg}");
        assert_eq!(at, "fail_on");
        let (msg, at) = first_error("[limits]\nmax-size = 3\n");
        assert!(msg.contains("unknown field `max-size`"), "{msg}");
        assert_eq!(at, "max-size");
    }

    #[test]
    fn bad_values_point_at_the_value() {
        let (msg, at) = first_error("fail-on = \"fatal\"\n");
        assert_eq!(msg, "unknown severity `fatal`");
        assert_eq!(at, "\"fatal\"");
        let (msg, at) = first_error("[per-file-ignores]\n\"a/[b\" = [\"ogi/\"]\n");
        assert!(msg.starts_with("invalid glob `a/[b`"), "{msg}");
        assert_eq!(at, "\"a/[b\"");
    }

    #[test]
    fn input_encoding_is_parsed_and_flags_win() {
        let cfg = parse_str("[input]\nencoding = \"GB2312\"\n").unwrap();
        assert_eq!(
            cfg.encoding,
            Some(InputEncoding::Declared(encoding_rs::GBK))
        );
        let eff = Effective::merge(&cfg, &Flags::default());
        assert_eq!(eff.encoding.label(), "gbk");
        let flags = Flags {
            encoding: Some(InputEncoding::Auto),
            ..Flags::default()
        };
        assert_eq!(Effective::merge(&cfg, &flags).encoding, InputEncoding::Auto);
        assert_eq!(
            Effective::merge(&Config::default(), &Flags::default()).encoding,
            InputEncoding::Auto
        );
        assert_eq!(
            first_error("[input]\nencoding = \"gb-18030\"\n"),
            (
                "unknown encoding `gb-18030`".to_string(),
                "\"gb-18030\"".to_string()
            )
        );
    }

    #[test]
    fn paths_resolve_against_the_file() {
        let c = parse_str("rules = [\"my-rules\"]\nwaivers = \"w.toml\"\n").expect("valid");
        assert_eq!(c.rules[0].value, PathBuf::from("/p/my-rules"));
        assert_eq!(c.waivers, Some(PathBuf::from("/p/w.toml")));
    }

    #[test]
    fn flags_override_the_file() {
        let c = parse_str(
            "select = [\"ogi/a\"]\nignore = [\"ogi/b\"]\nfail-on = \"warning\"\n[limits]\nmax-file-size = 10\n",
        )
        .expect("valid");
        let e = Effective::merge(&c, &Flags::default());
        assert_eq!(e.select, vec!["ogi/a"]);
        assert_eq!(e.fail_on, Severity::Warning);
        assert_eq!(e.max_file_size, 10);
        let flags = Flags {
            select: vec!["ogi/c".into()],
            ignore: vec!["ogi/d".into()],
            fail_on: Some(Severity::Error),
            max_file_size: Some(20),
            ..Flags::default()
        };
        let e = Effective::merge(&c, &flags);
        assert_eq!(e.select, vec!["ogi/c"]);
        assert_eq!(e.ignore, vec!["ogi/b", "ogi/d"]);
        assert_eq!(e.fail_on, Severity::Error);
        assert_eq!(e.max_file_size, 20);
    }

    #[test]
    fn discovery_walks_upward() {
        let dir = tempfile::tempdir().expect("tempdir");
        let deep = dir.path().join("a/b/c");
        std::fs::create_dir_all(&deep).expect("mkdir");
        // An ancestor of the temporary folder may have one; none inside it yet.
        assert!(discover(&deep).is_none_or(|p| !p.starts_with(dir.path())));
        std::fs::write(dir.path().join("a").join(FILE_NAME), "").expect("write");
        assert_eq!(discover(&deep), Some(dir.path().join("a").join(FILE_NAME)));
        std::fs::write(deep.join(FILE_NAME), "").expect("write");
        assert_eq!(discover(&deep), Some(deep.join(FILE_NAME)));
    }

    #[test]
    fn longest_severity_prefix_wins() {
        let c = parse_str("[severity]\n\"ogi/\" = \"info\"\n\"ogi/fees-section\" = \"warning\"\n")
            .expect("valid");
        let mut set =
            crate::rules::load(&crate::rules::builtin_sources()).expect("built-in rules load");
        Effective::merge(&c, &Flags::default()).apply(&mut set);
        let sev = |id: &str| set.rules.iter().find(|r| r.id == id).map(|r| r.severity);
        assert_eq!(sev("ogi/fees-section"), Some(Severity::Warning));
        assert_eq!(sev("ogi/reply-rate"), Some(Severity::Info));
    }

    #[test]
    fn selectors_that_name_no_rule_are_errors() {
        let text = "ignore = [\"ogi/fees-sectoin\"]\n";
        let c = parse_str(text).expect("valid syntax");
        let set =
            crate::rules::load(&crate::rules::builtin_sources()).expect("built-in rules load");
        match c.check_selectors(&set) {
            Err(ConfigError::Invalid { errors, .. }) => {
                assert_eq!(
                    errors[0].help.as_deref(),
                    Some("did you mean `ogi/fees-section`?")
                );
                let s = errors[0].span;
                assert_eq!(
                    &text[s.offset()..s.offset() + s.len()],
                    "\"ogi/fees-sectoin\""
                );
            }
            other => panic!("{other:?}"),
        }
    }
}
