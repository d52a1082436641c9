//! The static checker: names, arity, types and regexes, before any report is read.
//! It also compiles every regex literal in place.

use std::collections::HashMap;
use std::sync::Arc;

use super::pattern::Pattern;

use super::ast::{BinOp, CmpOp, Expr, ExprKind, Ident, RegexLit, UnOp};
use super::types::{did_you_mean, function, members, Type, FUNCTIONS, LIST_FUNCTIONS};
use crate::span::Span;

/// Largest compiled regex accepted (bytes of the regex engine's program).
pub const DEFAULT_REGEX_SIZE_LIMIT: usize = 10 * 1024 * 1024;

/// An error found by the checker, at a span of the expression text.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckError {
    /// What is wrong.
    pub message: String,
    /// Where, in the expression text.
    pub span: Span,
    /// How to fix it, when known.
    pub help: Option<String>,
}

/// Checks expressions against the names in scope.
pub struct Checker<'g> {
    globals: &'g HashMap<String, Type>,
    locals: Vec<(String, Type)>,
    errors: Vec<CheckError>,
    regex_size_limit: usize,
    defer_regexes: bool,
}

impl<'g> Checker<'g> {
    /// A checker that knows `globals` (e.g. `report` and the pack's `[let]` names).
    pub fn new(globals: &'g HashMap<String, Type>) -> Self {
        Checker {
            globals,
            locals: Vec::new(),
            errors: Vec::new(),
            regex_size_limit: DEFAULT_REGEX_SIZE_LIMIT,
            defer_regexes: false,
        }
    }

    /// Compile regexes on first use instead of now. Only for patterns known to compile
    /// (see [`super::pattern::Pattern`]): a deferred compilation reports no error.
    pub fn defer_regexes(&mut self, defer: bool) {
        self.defer_regexes = defer;
    }

    /// Refuse regexes larger than `bytes` (pattern or compiled) from now on.
    pub fn set_regex_size_limit(&mut self, bytes: usize) {
        self.regex_size_limit = bytes;
    }

    /// Bind a local name for the expressions checked next (e.g. a quantifier's variable
    /// for message templates).
    pub fn bind(&mut self, name: &str, t: Type) {
        self.locals.push((name.to_string(), t));
    }

    /// Take the errors found so far.
    pub fn take_errors(&mut self) -> Vec<CheckError> {
        std::mem::take(&mut self.errors)
    }

    /// Check `e`, expecting `want` (None: any type). Returns its type.
    pub fn check_expecting(&mut self, e: &mut Expr, want: Option<&Type>) -> Type {
        let t = self.check(e);
        if let Some(w) = want {
            self.expect(&t, w, e.span);
        }
        t
    }

    fn error(&mut self, span: Span, message: impl Into<String>, help: Option<String>) {
        self.errors.push(CheckError {
            message: message.into(),
            span,
            help,
        });
    }

    fn expect(&mut self, got: &Type, want: &Type, span: Span) {
        if !got.fits(want) {
            self.error(span, format!("expected {want}, found {got}"), None);
        }
    }

    fn lookup(&self, name: &str) -> Option<Type> {
        self.locals
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t.clone())
            .or_else(|| self.globals.get(name).cloned())
    }

    fn with_local<T>(&mut self, name: &Ident, t: Type, f: impl FnOnce(&mut Self) -> T) -> T {
        self.locals.push((name.name.clone(), t));
        let r = f(self);
        self.locals.pop();
        r
    }

    /// Check `e` and return its type; errors are collected, never returned early.
    pub fn check(&mut self, e: &mut Expr) -> Type {
        let span = e.span;
        match &mut e.kind {
            ExprKind::Bool(_) => Type::Bool,
            ExprKind::None => Type::Any,
            ExprKind::Number { .. } | ExprKind::Percent { .. } => Type::Number,
            ExprKind::Text(_) => Type::Text,
            ExprKind::Regex(r) => {
                self.compile_regex(r);
                Type::Regex
            }
            ExprKind::Var(id) => match self.lookup(&id.name) {
                Some(t) => t,
                None => {
                    let names: Vec<String> = self
                        .locals
                        .iter()
                        .map(|(n, _)| n.clone())
                        .chain(self.globals.keys().cloned())
                        .collect();
                    let help = match did_you_mean(&id.name, names.iter().map(String::as_str)) {
                        Some(s) => Some(format!("did you mean `{s}`?")),
                        None if function(&id.name).is_some() => Some(format!(
                            "`{}` is a function: call it as `{}(…)`",
                            id.name, id.name
                        )),
                        None => Some(format!("names in scope here: {}", names.join(", "))),
                    };
                    self.error(id.span, format!("unknown name `{}`", id.name), help);
                    Type::Any
                }
            },
            ExprKind::List(items) => {
                let mut elem = Type::Any;
                for it in items.iter_mut() {
                    let t = self.check(it);
                    if elem == Type::Any {
                        elem = t;
                    } else if !t.fits(&elem) {
                        self.error(
                            it.span,
                            format!("list elements must share a type: expected {elem}, found {t}"),
                            None,
                        );
                    }
                }
                Type::list(elem)
            }
            ExprKind::Unary(op, inner) => {
                let want = match op {
                    UnOp::Neg => Type::Number,
                    UnOp::Not => Type::Bool,
                };
                self.check_expecting(inner, Some(&want));
                want
            }
            ExprKind::Binary(op, a, b) => {
                let (ta, tb) = (self.check(a), self.check(b));
                match op {
                    BinOp::And | BinOp::Or | BinOp::Implies => {
                        self.expect(&ta, &Type::Bool, a.span);
                        self.expect(&tb, &Type::Bool, b.span);
                        Type::Bool
                    }
                    BinOp::Sub if ta == Type::Date && tb == Type::Date => Type::Number,
                    BinOp::Add | BinOp::Sub if ta == Type::Date => {
                        self.expect(&tb, &Type::Number, b.span);
                        Type::Date
                    }
                    _ => {
                        self.expect(&ta, &Type::Number, a.span);
                        self.expect(&tb, &Type::Number, b.span);
                        if let (BinOp::Div, ExprKind::Number { value, .. }) = (op, &b.kind) {
                            if *value == 0.0 {
                                self.error(b.span, "division by zero", None);
                            }
                        }
                        Type::Number
                    }
                }
            }
            ExprKind::Compare {
                op,
                lhs,
                rhs,
                within,
            } => {
                let (ta, tb) = (self.check(lhs), self.check(rhs));
                match op {
                    CmpOp::Eq | CmpOp::Ne => {
                        if !ta.fits(&tb) {
                            self.error(span, format!("cannot compare {ta} with {tb}"), None);
                        }
                    }
                    CmpOp::Approx => {
                        self.expect(&ta, &Type::Number, lhs.span);
                        self.expect(&tb, &Type::Number, rhs.span);
                    }
                    _ => {
                        // Sections and paragraphs are ordered by their place in the report.
                        let ordered = |t: &Type| {
                            matches!(
                                t,
                                Type::Number
                                    | Type::Date
                                    | Type::Section
                                    | Type::Paragraph
                                    | Type::Any
                            )
                        };
                        if !ordered(&ta) || !ordered(&tb) || !ta.fits(&tb) {
                            self.error(
                                span,
                                format!("cannot order {ta} against {tb}"),
                                Some(
                                    "`<`, `<=`, `>`, `>=` compare two numbers, two dates, or two sections or paragraphs (document order)".into(),
                                ),
                            );
                        }
                    }
                }
                if let Some(w) = within {
                    self.check_expecting(w, Some(&Type::Number));
                }
                Type::Bool
            }
            ExprKind::Member(target, name) => {
                let t = self.check(target);
                self.member_type(&t, name)
            }
            ExprKind::Call { func, args } => self.check_call(func, args, span),
            ExprKind::Index(list, i) => {
                let t = self.check(list);
                self.check_expecting(i, Some(&Type::Number));
                match t.element() {
                    Some(el) => el,
                    None => {
                        self.error(
                            list.span,
                            format!("cannot index {t}: only lists have elements"),
                            None,
                        );
                        Type::Any
                    }
                }
            }
            ExprKind::Quant {
                var,
                list,
                filter,
                body,
                ..
            } => {
                let el = self.list_element(list);
                self.with_local(var, el, |c| {
                    if let Some(f) = filter {
                        c.check_expecting(f, Some(&Type::Bool));
                    }
                    c.check_expecting(body, Some(&Type::Bool));
                });
                Type::Bool
            }
            ExprKind::Comprehension {
                func,
                map,
                var,
                list,
                filter,
            } => {
                let el = self.list_element(list);
                let mapped = self.with_local(var, el, |c| {
                    if let Some(f) = filter {
                        c.check_expecting(f, Some(&Type::Bool));
                    }
                    map.as_mut().map(|m| c.check(m))
                });
                let el = mapped.unwrap_or_else(|| self.list_element_type(list));
                if !LIST_FUNCTIONS.contains(&func.name.as_str()) {
                    let help = did_you_mean(&func.name, LIST_FUNCTIONS.iter().copied())
                        .map(|s| format!("did you mean `{s}`?"))
                        .or_else(|| Some(format!("list functions: {}", LIST_FUNCTIONS.join(", "))));
                    self.error(
                        func.span,
                        format!("`{}` does not take a comprehension", func.name),
                        help,
                    );
                    return Type::Any;
                }
                list_function_result(&func.name, &el, |want| {
                    if !el.fits(want) {
                        self.error(
                            span,
                            format!("`{}` needs {want} elements, found {el}", func.name),
                            None,
                        );
                    }
                })
            }
            ExprKind::Let { name, value, body } => {
                let t = self.check(value);
                self.with_local(name, t, |c| c.check(body))
            }
            ExprKind::If {
                cond,
                then,
                otherwise,
            } => {
                self.check_expecting(cond, Some(&Type::Bool));
                let t = self.check(then);
                match otherwise {
                    Some(o) => {
                        let to = self.check(o);
                        if !to.fits(&t) {
                            self.error(o.span, format!("both branches must have one type: `then` gives {t}, `else` gives {to}"), None);
                        }
                        t
                    }
                    None => {
                        self.expect(&t, &Type::Bool, then.span);
                        Type::Bool
                    }
                }
            }
        }
    }

    fn list_element_type(&self, list: &Expr) -> Type {
        // Re-derive without re-reporting: only used after `list_element` checked it.
        let _ = list;
        Type::Any
    }

    fn list_element(&mut self, list: &mut Expr) -> Type {
        let t = self.check(list);
        match t.element() {
            Some(el) => el,
            None => {
                self.error(list.span, format!("expected a list, found {t}"), None);
                Type::Any
            }
        }
    }

    fn member_type(&mut self, t: &Type, name: &Ident) -> Type {
        if *t == Type::Any {
            return Type::Any;
        }
        if let Type::Match(groups) = t {
            match groups {
                None => return Type::Any,
                Some(g) if g.contains(&name.name) => return Type::Any,
                Some(g) => {
                    if let Some((_, mt)) = members(t).into_iter().find(|(m, _)| m.name == name.name)
                    {
                        return mt;
                    }
                    let help = match did_you_mean(&name.name, g.iter().map(String::as_str)) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None if g.is_empty() => {
                            "the regex has no named groups; name one with (?<name>…)".into()
                        }
                        None => format!("its groups: {}", g.join(", ")),
                    };
                    self.error(
                        name.span,
                        format!("the regex has no group named `{}`", name.name),
                        Some(help),
                    );
                    return Type::Any;
                }
            }
        }
        let ms = members(t);
        if let Some((_, mt)) = ms.iter().find(|(m, _)| m.name == name.name) {
            return mt.clone();
        }
        let help = match did_you_mean(&name.name, ms.iter().map(|(m, _)| m.name)) {
            Some(s) => Some(format!("did you mean `{s}`?")),
            None if ms.is_empty() => None,
            None => Some(format!(
                "{t} has: {}",
                ms.iter()
                    .map(|(m, _)| m.name)
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        };
        let what = if ms.is_empty() {
            format!("{t} has no members (tried `{}`)", name.name)
        } else {
            format!("{t} has no member `{}`", name.name)
        };
        self.error(name.span, what, help);
        Type::Any
    }

    fn check_call(&mut self, func: &Ident, args: &mut [Expr], span: Span) -> Type {
        let Some(doc) = function(&func.name) else {
            for a in args.iter_mut() {
                self.check(a);
            }
            let help = did_you_mean(&func.name, FUNCTIONS.iter().map(|f| f.name))
                .map(|s| format!("did you mean `{s}`?"));
            self.error(func.span, format!("unknown function `{}`", func.name), help);
            return Type::Any;
        };
        let types: Vec<Type> = args.iter_mut().map(|a| self.check(a)).collect();
        if types.len() < doc.min_args || types.len() > doc.max_args {
            let want = if doc.min_args == doc.max_args {
                format!("{}", doc.min_args)
            } else {
                format!("{} to {}", doc.min_args, doc.max_args)
            };
            self.error(
                span,
                format!(
                    "`{}` takes {want} argument(s), found {}",
                    func.name,
                    types.len()
                ),
                Some(format!("usage: {}", doc.signature)),
            );
            return Type::Any;
        }
        let name = func.name.as_str();
        match name {
            "exists" | "missing" => Type::Bool,
            "section" | "sections" | "matches" => {
                let (scope, re) = if types.len() == 2 {
                    if !types[0].is_scope() {
                        self.error(
                            args[0].span,
                            format!("cannot search in {}", types[0]),
                            Some("search a report, section, paragraph or text".into()),
                        );
                    }
                    (Some(&types[0]), 1)
                } else {
                    (None, 0)
                };
                let _ = scope;
                if name == "matches" || !types[re].fits(&Type::Text) {
                    self.expect(&types[re], &Type::Regex, args[re].span);
                }
                match name {
                    "section" => Type::Section,
                    "sections" => Type::list(Type::Section),
                    _ => {
                        let groups = match &args[re].kind {
                            ExprKind::Regex(RegexLit {
                                compiled: Some(r), ..
                            }) => Some(Arc::new(r.group_names().to_vec())),
                            _ => None,
                        };
                        Type::list(Type::Match(groups))
                    }
                }
            }
            "contains" | "starts_with" | "ends_with" => {
                if !types[0].is_scope() {
                    self.error(args[0].span, format!("cannot search in {}", types[0]), None);
                }
                if !(types[1].fits(&Type::Text) || types[1].fits(&Type::Regex)) {
                    self.error(
                        args[1].span,
                        format!("expected text or regex, found {}", types[1]),
                        None,
                    );
                }
                Type::Bool
            }
            "length" => {
                if !(types[0].fits(&Type::Text) || types[0].element().is_some()) {
                    self.error(
                        args[0].span,
                        format!("expected text or a list, found {}", types[0]),
                        None,
                    );
                }
                Type::Number
            }
            "date" => {
                for (a, t) in args.iter().zip(&types) {
                    self.expect(t, &Type::Number, a.span);
                }
                Type::Date
            }
            "days" => {
                for (a, t) in args.iter().zip(&types) {
                    self.expect(t, &Type::Date, a.span);
                }
                Type::Number
            }
            "abs" => {
                self.expect(&types[0], &Type::Number, args[0].span);
                Type::Number
            }
            "text" => Type::Text,
            "number" => Type::Number,
            "table" | "tables" => {
                if types.len() == 2 && !types[0].is_scope() {
                    self.error(args[0].span, format!("cannot search in {}", types[0]), None);
                }
                let re = types.len() - 1;
                self.expect(&types[re], &Type::Regex, args[re].span);
                if name == "table" {
                    Type::Table
                } else {
                    Type::list(Type::Table)
                }
            }
            "cell" | "row" | "rows" | "column" => {
                let target_ok = match name {
                    "cell" if types.len() == 2 => types[0].fits(&Type::Row),
                    _ => types[0].fits(&Type::Table),
                };
                if !target_ok {
                    let want = if name == "cell" && types.len() == 2 {
                        "row"
                    } else {
                        "table"
                    };
                    self.error(
                        args[0].span,
                        format!("`{name}` needs a {want}, found {}", types[0]),
                        Some("usage: table.cell(/row/, /column/), row.cell(/column/), table.row(/re/), table.column(/re/)".into()),
                    );
                }
                for (a, t) in args.iter().zip(&types).skip(1) {
                    let ok = [Type::Regex, Type::Number, Type::Row, Type::Column]
                        .iter()
                        .any(|w| t.fits(w));
                    if !ok || (name == "rows" && !t.fits(&Type::Regex)) {
                        self.error(
                            a.span,
                            format!("expected a regex, an index, a row or a column, found {t}"),
                            None,
                        );
                    }
                }
                match name {
                    "cell" => Type::Number,
                    "row" => Type::Row,
                    "rows" => Type::list(Type::Row),
                    _ => Type::Column,
                }
            }
            _ => {
                // List functions called on a list.
                let Some(el) = types[0].element() else {
                    self.error(
                        args[0].span,
                        format!("`{name}` needs a list, found {}", types[0]),
                        None,
                    );
                    return Type::Any;
                };
                let mut bad = None;
                let t = list_function_result(name, &el, |want| {
                    if !el.fits(want) {
                        bad = Some(format!(
                            "`{name}` needs a list of {want}, found list of {el}"
                        ));
                    }
                });
                if let Some(msg) = bad {
                    self.error(args[0].span, msg, None);
                }
                t
            }
        }
    }

    fn compile_regex(&mut self, r: &mut RegexLit) {
        // A huge pattern is refused before parsing it: parsing alone takes seconds.
        if r.pattern.len() > self.regex_size_limit {
            let msg = format!(
                "regex too large: the pattern is {} bytes, over the limit of {} bytes",
                r.pattern.len(),
                self.regex_size_limit
            );
            self.error(
                r.pattern_span,
                msg,
                Some("split it, or raise --max-regex-size".into()),
            );
            return;
        }
        let ast = match regex_syntax::ast::parse::Parser::new().parse(&r.pattern) {
            Ok(ast) => ast,
            Err(e) => {
                let at = e.span();
                let start = r.pattern_span.start + at.start.offset;
                let end = (r.pattern_span.start + at.end.offset).max(start);
                self.error(Span::new(start, end), format!("invalid regex: {}", e.kind()), Some("the regex syntax is Rust's `regex` crate: https://docs.rs/regex/latest/regex/#syntax".into()));
                return;
            }
        };
        let eager = !self.defer_regexes;
        match Pattern::new(&r.pattern, &ast, &r.flags, self.regex_size_limit, eager) {
            Ok(p) => r.compiled = Some(Arc::new(p)),
            Err(e) => {
                let msg = match e {
                    regex::Error::CompiledTooBig(limit) => {
                        format!(
                            "regex too large: its compiled form exceeds the limit of {limit} bytes"
                        )
                    }
                    other => format!("invalid regex: {other}"),
                };
                self.error(r.pattern_span, msg, None);
            }
        }
    }
}

/// The result type of list function `name` over elements of type `el`; calls `need`
/// with the element type the function requires.
fn list_function_result(name: &str, el: &Type, mut need: impl FnMut(&Type)) -> Type {
    match name {
        "count" | "length" => Type::Number,
        "sum" | "min" | "max" => {
            need(&Type::Number);
            Type::Number
        }
        "first" | "last" => el.clone(),
        "distinct" | "filter" => Type::list(el.clone()),
        "map" => Type::list(el.clone()),
        "exists" | "missing" => Type::Bool,
        _ => Type::Any,
    }
}

/// The names every expression can see: `report`.
pub fn base_globals() -> HashMap<String, Type> {
    HashMap::from([("report".to_string(), Type::Report)])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dsl::parse_expr;

    fn errors(src: &str) -> Vec<CheckError> {
        let g = base_globals();
        let mut c = Checker::new(&g);
        let mut e = parse_expr(src).expect("parses");
        c.check_expecting(&mut e, Some(&Type::Bool));
        c.take_errors()
    }

    #[test]
    fn accepts_the_mission_rules() {
        assert_eq!(errors("exists(section(/收费|减免/))"), vec![]);
        assert_eq!(errors("report.published.year == report.year + 1 and report.published <= date(report.year + 1, 3, 31)"), vec![]);
        assert_eq!(
            errors(
                r"all m in matches(/收到[^。]*?(?<received>\d+)件[^。]*?(?<handled>\d+)件[^。]*?率为?(?<rate>[\d.]+%)/): m.rate ≈ m.handled / m.received"
            ),
            vec![]
        );
    }

    #[test]
    fn misspelt_function_suggests() {
        let e = errors("exsits(section(/收费/))");
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].span, Span::new(0, 6));
        assert_eq!(e[0].help.as_deref(), Some("did you mean `exists`?"));
    }

    #[test]
    fn unknown_group_and_member() {
        let e = errors(r"all m in matches(/(?<rate>\d+%)/): m.rat > 1");
        assert_eq!(e[0].message, "the regex has no group named `rat`");
        assert_eq!(e[0].help.as_deref(), Some("did you mean `rate`?"));
        let e = errors("report.yaer > 2018");
        assert_eq!(e[0].message, "report has no member `yaer`");
        assert_eq!(e[0].help.as_deref(), Some("did you mean `year`?"));
    }

    #[test]
    fn type_errors() {
        let e = errors("report.title > 3");
        assert!(
            e[0].message.contains("cannot order text against number"),
            "{e:?}"
        );
        let e = errors("report.year + 1");
        assert_eq!(e[0].message, "expected bool, found number");
        // Sections are ordered by their place in the report.
        assert!(errors(
            "all s in report.sections: none t in s.siblings where t < s: t.number == s.number"
        )
        .is_empty());
        let e = errors("first(report.sections) < report.year");
        assert!(
            e[0].message.contains("cannot order section against number"),
            "{e:?}"
        );
        let e = errors("1 / 0 > 1");
        assert_eq!(e[0].message, "division by zero");
        let e = errors("exists(1, 2)");
        assert!(e[0].message.contains("takes 1 argument"));
        let e = errors("count(x in report.sections where x.level)");
        assert!(
            e[0].message.contains("expected bool, found number"),
            "{e:?}"
        );
    }

    #[test]
    fn regex_errors_point_into_the_pattern() {
        let src = "exists(section(/收费(减免/))";
        let e = errors(src);
        assert_eq!(e.len(), 1);
        assert!(e[0].message.starts_with("invalid regex"), "{e:?}");
        let at = &src[e[0].span.start..];
        assert!(at.starts_with('('), "points at the unclosed group: {at}");
    }

    #[test]
    fn collects_every_error() {
        let e = errors("exsits(x) and report.yaer > 1");
        assert_eq!(e.len(), 3, "{e:?}");
    }
}
