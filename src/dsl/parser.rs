//! Parsing rule expressions: pest pairs in, typed AST out. Pest types never leave
//! this module.

use std::sync::OnceLock;

use pest::iterators::Pair;
use pest::pratt_parser::{Assoc, Op, PrattParser};
use pest::Parser as _;

use super::ast::{BinOp, CmpOp, Expr, ExprKind, Ident, Quantifier, RegexLit, UnOp};
use crate::span::Span;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/rule.pest"]
struct RuleParser;

/// A syntax error in an expression, with where it was found.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    /// What was expected or what went wrong.
    pub message: String,
    /// Where, in the expression text.
    pub span: Span,
}

fn pratt() -> &'static PrattParser<Rule> {
    static PRATT: OnceLock<PrattParser<Rule>> = OnceLock::new();
    PRATT.get_or_init(|| {
        PrattParser::new()
            .op(Op::infix(Rule::implies, Assoc::Right))
            .op(Op::infix(Rule::or, Assoc::Left))
            .op(Op::infix(Rule::and, Assoc::Left))
            .op(Op::prefix(Rule::not))
            .op(Op::infix(Rule::within, Assoc::Left))
            .op(Op::infix(Rule::eq, Assoc::Left)
                | Op::infix(Rule::ne, Assoc::Left)
                | Op::infix(Rule::lt, Assoc::Left)
                | Op::infix(Rule::le, Assoc::Left)
                | Op::infix(Rule::gt, Assoc::Left)
                | Op::infix(Rule::ge, Assoc::Left)
                | Op::infix(Rule::approx, Assoc::Left))
            .op(Op::infix(Rule::add, Assoc::Left) | Op::infix(Rule::sub, Assoc::Left))
            .op(Op::infix(Rule::mul, Assoc::Left) | Op::infix(Rule::div, Assoc::Left))
            .op(Op::prefix(Rule::neg))
            .op(Op::postfix(Rule::member) | Op::postfix(Rule::index) | Op::postfix(Rule::call_args))
    })
}

/// Most grammar rule calls one parse may make (pest's process-wide budget): a backstop.
/// The grammar does not backtrack across nesting levels (calls and comprehensions are
/// one rule), so parsing is linear and real rules stay far below it.
const PEST_CALL_LIMIT: usize = 4_000_000;

/// Parse one expression, refusing nesting deeper than the default limit
/// ([`crate::limits::DEFAULT_MAX_EXPR_DEPTH`]).
pub fn parse_expr(text: &str) -> Result<Expr, SyntaxError> {
    parse_expr_limited(text, crate::limits::DEFAULT_MAX_EXPR_DEPTH)
}

/// Parse one expression, refusing nesting deeper than `max_depth`.
pub fn parse_expr_limited(text: &str, max_depth: usize) -> Result<Expr, SyntaxError> {
    // pest, the AST builder, the checker, the evaluator and even `Drop` all recurse
    // once per nesting level: refuse absurd nesting before any of them can blow the
    // stack. The scan runs on the text, so it costs nothing for ordinary rules.
    if let Some(span) = too_deep(text, max_depth) {
        return Err(SyntaxError {
            message: format!("expression nested more than {max_depth} levels deep"),
            span,
        });
    }
    static CALL_LIMIT: std::sync::Once = std::sync::Once::new();
    CALL_LIMIT.call_once(|| pest::set_call_limit(std::num::NonZeroUsize::new(PEST_CALL_LIMIT)));
    let mut pairs = RuleParser::parse(Rule::program, text)
        .map_err(|e| missing_token(text, &e).unwrap_or_else(|| syntax_error(e)))?;
    let program = pairs.next().ok_or_else(|| SyntaxError {
        message: "empty expression".into(),
        span: Span::new(0, text.len()),
    })?;
    let expr = program
        .into_inner()
        .find(|p| p.as_rule() == Rule::expr)
        .ok_or_else(|| SyntaxError {
            message: "empty expression".into(),
            span: Span::new(0, text.len()),
        })?;
    build_expr(expr)
}

/// pest lists the grammar rules it expected, never a bare token such as `)` or `:`,
/// and a string or regex left open shows up as "expected an expression". Name the
/// token when one small repair makes the expression parse.
fn missing_token(text: &str, e: &pest::error::Error<Rule>) -> Option<SyntaxError> {
    // Out of parser budget or stack: a repair would only hit the limit again. Otherwise
    // each try is one more linear parse (the grammar does not backtrack across nesting
    // levels), five at most.
    if e.variant.message().contains("limit reached") {
        return None;
    }
    let parses = |t: &str| RuleParser::parse(Rule::program, t).is_ok();
    let end = text.trim_end().len();
    let at = |message: String, p: usize| SyntaxError {
        message,
        span: Span::new(p, p),
    };
    if let Some(c) = [")", "]"]
        .into_iter()
        .find(|c| parses(&format!("{text}{c}")))
    {
        return Some(at(format!("a bracket is left open: expected `{c}`"), end));
    }
    let pest::error::InputLocation::Pos(p) = e.location else {
        return None;
    };
    let (before, after) = (text.get(..p)?, text.get(p..)?);
    // A string or regex left open: point at where it opens.
    let opener = |message: &str| SyntaxError {
        message: message.into(),
        span: Span::new(p, p + 1),
    };
    if after.starts_with('"') && !after[1..].contains('"') {
        return Some(opener("a string is left open: expected a closing `\"`"));
    }
    if after.starts_with('/') && !after[1..].contains('/') {
        return Some(opener(
            "a regex is left open: expected a closing `/` (write `\\/` for a slash inside it)",
        ));
    }
    if after.starts_with('=') && !after.starts_with("==") && !after.starts_with("=>") {
        return Some(SyntaxError {
            message: "`=` is not an operator: write `==` to compare".into(),
            span: Span::new(p, p + 1),
        });
    }
    [":", ";", "then"]
        .into_iter()
        .find(|t| parses(&format!("{before}{t} {after}")))
        .map(|t| at(format!("expected `{t}`"), before.trim_end().len()))
}

/// The nesting bound of `text` as [`parse_expr_limited`] measures it: the smallest
/// `max_depth` it passes.
pub fn nesting_bound(text: &str) -> usize {
    // Each level takes at least one byte, so `text.len()` always passes.
    let (mut lo, mut hi) = (0, text.len());
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if too_deep(text, mid).is_none() {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    lo
}

/// Where `text` first nests deeper than `max` levels, by a conservative lexical bound.
///
/// Within each bracket level, every operator, postfix `.`/`[` and nesting keyword
/// (`let`, `if`, quantifiers, `not`, `and`, `or`, `within`) may add one level to the
/// AST (left-deep operator chains do); a bracket adds one and starts a new level; a
/// `,` starts a new sibling. The bound is never below the real depth, and for real
/// rules (a few operators per level) it stays far under the limit.
fn too_deep(text: &str, max: usize) -> Option<Span> {
    const NESTING_WORDS: [&str; 9] = [
        "let", "if", "all", "any", "none", "not", "and", "or", "within",
    ];
    // Per open bracket level: how many levels it may add so far.
    let mut levels: Vec<usize> = vec![0];
    let mut depth = 0usize; // the sum over `levels`, plus one per bracket
    let mut operand = false; // last token was an operand: `/` divides, `[` indexes
    let bytes = text.as_bytes();
    let mut i = 0;
    let add = |depth: &mut usize, levels: &mut Vec<usize>, at: usize| {
        if let Some(l) = levels.last_mut() {
            *l += 1;
        }
        *depth += 1;
        (*depth > max).then(|| Span::new(at, at + 1))
    };
    while let Some(&b) = bytes.get(i) {
        let start = i;
        i += 1;
        match b {
            b'#' => {
                while bytes.get(i).is_some_and(|&c| c != b'\n') {
                    i += 1;
                }
            }
            b'"' => {
                while let Some(&c) = bytes.get(i) {
                    i += 1 + usize::from(c == b'\\');
                    if c == b'"' || c == b'\n' {
                        break;
                    }
                }
                operand = true;
            }
            b'/' if !operand => {
                // A regex literal: its brackets are not expression nesting.
                while let Some(&c) = bytes.get(i) {
                    i += 1 + usize::from(c == b'\\');
                    if c == b'/' || c == b'\n' {
                        break;
                    }
                }
                operand = true;
            }
            b'(' | b'[' => {
                if b == b'[' && operand {
                    if let Some(s) = add(&mut depth, &mut levels, start) {
                        return Some(s);
                    }
                }
                levels.push(0);
                depth += 1;
                if depth > max {
                    return Some(Span::new(start, i));
                }
                operand = false;
            }
            b')' | b']' => {
                if levels.len() > 1 {
                    depth = depth.saturating_sub(levels.pop().unwrap_or(0) + 1);
                }
                operand = true;
            }
            b',' => {
                if let Some(l) = levels.last_mut() {
                    depth = depth.saturating_sub(*l);
                    *l = 0;
                }
                operand = false;
            }
            b'.' if operand && !bytes.get(i).is_some_and(u8::is_ascii_digit) => {
                if let Some(s) = add(&mut depth, &mut levels, start) {
                    return Some(s);
                }
                operand = false;
            }
            b'+' | b'-' | b'*' | b'/' | b'<' | b'>' | b'=' | b'!' | b'~' => {
                // `==`, `<=`, `=>`, `~=`, `!=` are one operator; a lone `=` (in `let`)
                // adds nothing, its `let` was counted.
                let two = matches!(bytes.get(i), Some(b'=') | Some(b'>')) && b != b'-';
                if two {
                    i += 1;
                }
                if b != b'=' || two {
                    if let Some(s) = add(&mut depth, &mut levels, start) {
                        return Some(s);
                    }
                }
                operand = false;
            }
            b if b.is_ascii_alphabetic() || b == b'_' => {
                while bytes
                    .get(i)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
                {
                    i += 1;
                }
                let word = text.get(start..i).unwrap_or("");
                if NESTING_WORDS.contains(&word) {
                    if let Some(s) = add(&mut depth, &mut levels, start) {
                        return Some(s);
                    }
                    operand = false;
                } else {
                    operand = !matches!(word, "in" | "where" | "for" | "then" | "else");
                }
            }
            b if b.is_ascii_digit() => {
                while bytes
                    .get(i)
                    .is_some_and(|c| c.is_ascii_digit() || *c == b'.' || *c == b'%')
                {
                    i += 1;
                }
                operand = true;
            }
            b if b.is_ascii_whitespace() => {}
            b':' | b';' => operand = false,
            _ if text.get(start..).is_some_and(|r| r.starts_with('≈')) => {
                i = start + '≈'.len_utf8();
                if let Some(s) = add(&mut depth, &mut levels, start) {
                    return Some(s);
                }
                operand = false;
            }
            _ => {}
        }
    }
    None
}

fn syntax_error(e: pest::error::Error<Rule>) -> SyntaxError {
    let span = match e.location {
        pest::error::InputLocation::Pos(p) => Span::new(p, p),
        pest::error::InputLocation::Span((a, b)) => Span::new(a, b),
    };
    let mut message = match &e.variant {
        pest::error::ErrorVariant::ParsingError { positives, .. } if !positives.is_empty() => {
            let positives = after_operand(positives);
            // Several grammar rules share a description (`.member`, `-`): say each once.
            let mut seen: Vec<&str> = Vec::new();
            for d in positives
                .iter()
                .filter(|r| !matches!(r, Rule::call_args | Rule::method_args))
                .map(|r| describe(*r))
            {
                if !seen.contains(&d) {
                    seen.push(d);
                }
            }
            // `-` and `not` only begin an expression: "expected an expression" says it.
            if seen.contains(&"an expression") {
                seen.retain(|d| *d != "`-`" && *d != "`not`");
            }
            if seen.is_empty() {
                seen.push("`(`");
            }
            match seen.split_last() {
                Some((last, rest)) if !rest.is_empty() => {
                    format!("expected {}, or {last}", rest.join(", "))
                }
                _ => format!("expected {}", seen.join("")),
            }
        }
        _ => e
            .renamed_rules(|r| describe(*r).to_string())
            .variant
            .message()
            .into_owned(),
    };
    if message.ends_with("limit reached") {
        // pest's own words ("call limit reached") mean nothing to a rule author.
        message = format!("expression too complex to parse ({message})");
    }
    SyntaxError { message, span }
}

/// Every rule that may begin an operand (and the keywords that do).
const OPERAND_START: [Rule; 13] = [
    Rule::quant_kind,
    Rule::kw_let,
    Rule::kw_if,
    Rule::ident,
    Rule::string,
    Rule::number,
    Rule::regex,
    Rule::list,
    Rule::quantifier,
    Rule::let_expr,
    Rule::if_expr,
    Rule::boolean,
    Rule::none_lit,
];

/// Every rule that may follow an operand: an operator or a postfix.
const AFTER_OPERAND: [Rule; 16] = [
    Rule::implies,
    Rule::or,
    Rule::and,
    Rule::within,
    Rule::eq,
    Rule::ne,
    Rule::le,
    Rule::ge,
    Rule::lt,
    Rule::gt,
    Rule::approx,
    Rule::add,
    Rule::sub,
    Rule::mul,
    Rule::div,
    Rule::member,
];

/// The grammar tries operators and postfixes only where a lookahead sees one of their
/// first characters (cheaper) and otherwise fails `operand_end` in their place. Where
/// any of them was expected, all of them were, as before the lookaheads: name them all.
fn after_operand(positives: &[Rule]) -> Vec<Rule> {
    // Where an operand may start, pest lists each kind of operand it tried (a number
    // is only ever tried there): "an expression" says it.
    let operand_start = positives.contains(&Rule::number);
    let mut all: Vec<Rule> = positives
        .iter()
        .copied()
        .filter(|r| *r != Rule::operand_end)
        .filter(|r| !(operand_start && OPERAND_START.contains(r)))
        .collect();
    if operand_start {
        all.push(Rule::expr);
    }
    let operand_done =
        |r: &Rule| AFTER_OPERAND.contains(r) || matches!(r, Rule::index | Rule::operand_end);
    if positives.iter().any(operand_done) {
        all.extend(AFTER_OPERAND);
        all.push(Rule::index);
        // pest lists rules in grammar order; keep that order.
        all.sort();
        all.dedup();
    }
    all
}

fn describe(rule: Rule) -> &'static str {
    match rule {
        Rule::EOI => "end of expression",
        Rule::operand_end => "an operator",
        Rule::expr => "an expression",
        Rule::infix => "an operator",
        Rule::implies => "`=>`",
        Rule::or => "`or`",
        Rule::and => "`and`",
        Rule::within => "`within`",
        Rule::eq => "`==`",
        Rule::ne => "`!=`",
        Rule::le => "`<=`",
        Rule::ge => "`>=`",
        Rule::lt => "`<`",
        Rule::gt => "`>`",
        Rule::approx => "`≈`",
        Rule::add => "`+`",
        Rule::sub => "`-`",
        Rule::mul => "`*`",
        Rule::div => "`/`",
        Rule::neg => "`-`",
        Rule::not => "`not`",
        Rule::member => "`.member`",
        // Never named in a message (see `syntax_error`): pest did not list a bare `(`
        // after a name before calls and names shared one rule, and `(` is no clearer.
        Rule::call_args | Rule::method_args => "`(`",
        Rule::index => "`[index]`",
        Rule::args => "arguments",
        Rule::quantifier | Rule::quant_kind => "a quantifier",
        Rule::where_clause | Rule::kw_where => "`where`",
        Rule::let_expr | Rule::kw_let => "`let`",
        Rule::if_expr | Rule::kw_if => "`if`",
        Rule::kw_then => "`then`",
        Rule::kw_else => "`else`",
        Rule::kw_in => "`in`",
        Rule::kw_for => "`for`",
        Rule::list => "a list",
        Rule::number => "a number",
        Rule::string => "a string",
        Rule::regex | Rule::regex_body => "a regex /…/",
        Rule::regex_flags => "regex flags",
        Rule::boolean => "`true` or `false`",
        Rule::none_lit => "`none`",
        Rule::ident => "a name",
        _ => "something else",
    }
}

fn span_of(p: &Pair<'_, Rule>) -> Span {
    let s = p.as_span();
    Span::new(s.start(), s.end())
}

fn unexpected(p: &Pair<'_, Rule>) -> SyntaxError {
    SyntaxError {
        message: format!("unexpected {}", describe(p.as_rule())),
        span: span_of(p),
    }
}

fn next<'i>(
    it: &mut impl Iterator<Item = Pair<'i, Rule>>,
    at: Span,
) -> Result<Pair<'i, Rule>, SyntaxError> {
    it.next().ok_or_else(|| SyntaxError {
        message: "incomplete expression".into(),
        span: at,
    })
}

fn ident(p: Pair<'_, Rule>) -> Ident {
    Ident {
        name: p.as_str().to_string(),
        span: span_of(&p),
    }
}

fn build_expr(pair: Pair<'_, Rule>) -> Result<Expr, SyntaxError> {
    pratt()
        .map_primary(build_primary)
        .map_postfix(|lhs, op| build_postfix(lhs?, op))
        .map_prefix(|op, rhs| {
            let rhs = rhs?;
            let span = span_of(&op).cover(rhs.span);
            let op = match op.as_rule() {
                Rule::neg => UnOp::Neg,
                _ => UnOp::Not,
            };
            Ok(Expr {
                kind: ExprKind::Unary(op, Box::new(rhs)),
                span,
            })
        })
        .map_infix(|lhs, op, rhs| {
            let (lhs, rhs) = (lhs?, rhs?);
            let span = lhs.span.cover(rhs.span);
            // Operands are moved, never cloned: cloning the left operand at every
            // step made a long `a + b + c + …` chain quadratic.
            let bin = |b, lhs, rhs| ExprKind::Binary(b, Box::new(lhs), Box::new(rhs));
            let cmp = |c, lhs, rhs| ExprKind::Compare {
                op: c,
                lhs: Box::new(lhs),
                rhs: Box::new(rhs),
                within: None,
            };
            let kind = match op.as_rule() {
                Rule::implies => bin(BinOp::Implies, lhs, rhs),
                Rule::or => bin(BinOp::Or, lhs, rhs),
                Rule::and => bin(BinOp::And, lhs, rhs),
                Rule::add => bin(BinOp::Add, lhs, rhs),
                Rule::sub => bin(BinOp::Sub, lhs, rhs),
                Rule::mul => bin(BinOp::Mul, lhs, rhs),
                Rule::div => bin(BinOp::Div, lhs, rhs),
                Rule::eq => cmp(CmpOp::Eq, lhs, rhs),
                Rule::ne => cmp(CmpOp::Ne, lhs, rhs),
                Rule::lt => cmp(CmpOp::Lt, lhs, rhs),
                Rule::le => cmp(CmpOp::Le, lhs, rhs),
                Rule::gt => cmp(CmpOp::Gt, lhs, rhs),
                Rule::ge => cmp(CmpOp::Ge, lhs, rhs),
                Rule::approx => cmp(CmpOp::Approx, lhs, rhs),
                Rule::within => match lhs.kind {
                    ExprKind::Compare {
                        op: c,
                        lhs: a,
                        rhs: b,
                        within: None,
                    } => ExprKind::Compare {
                        op: c,
                        lhs: a,
                        rhs: b,
                        within: Some(Box::new(rhs)),
                    },
                    _ => {
                        return Err(SyntaxError {
                            message:
                                "`within` needs a comparison before it, as in `a ≈ b within 1%`"
                                    .into(),
                            span: span_of(&op),
                        })
                    }
                },
                _ => return Err(unexpected(&op)),
            };
            Ok(Expr { kind, span })
        })
        .parse(pair.into_inner())
}

/// `.member`, `.method(…)`, `[index]` or, right after a name, `(…)`: the grammar
/// lists them after their operand, as the Pratt parser's postfix operators.
fn build_postfix(expr: Expr, post: Pair<'_, Rule>) -> Result<Expr, SyntaxError> {
    let pspan = span_of(&post);
    Ok(match post.as_rule() {
        Rule::call_args => match expr.kind {
            ExprKind::Var(func) => build_call(func, post)?,
            _ => return Err(unexpected(&post)),
        },
        Rule::member => {
            let mut it = post.into_inner();
            let name = ident(next(&mut it, pspan)?);
            match it.next() {
                Some(method_args) => {
                    let whole = expr.span.cover(pspan);
                    let mut args = vec![expr];
                    if let Some(a) = method_args.into_inner().next() {
                        args.extend(build_args(a)?);
                    }
                    Expr {
                        kind: ExprKind::Call { func: name, args },
                        span: whole,
                    }
                }
                None => {
                    // Up to the name: the pair may take in blanks that follow it.
                    let whole = expr.span.cover(name.span);
                    Expr {
                        kind: ExprKind::Member(Box::new(expr), name),
                        span: whole,
                    }
                }
            }
        }
        Rule::index => {
            let whole = expr.span.cover(pspan);
            let i = build_expr(next(&mut post.into_inner(), pspan)?)?;
            Expr {
                kind: ExprKind::Index(Box::new(expr), Box::new(i)),
                span: whole,
            }
        }
        _ => return Err(unexpected(&post)),
    })
}

/// `name(…)`: a call, or a comprehension when `for` or `in` follows the first expression.
fn build_call(func: Ident, call_args: Pair<'_, Rule>) -> Result<Expr, SyntaxError> {
    let span = func.span.cover(span_of(&call_args));
    let mut it = call_args.into_inner().peekable();
    let Some(first) = it.next() else {
        return Ok(Expr {
            kind: ExprKind::Call { func, args: vec![] },
            span,
        });
    };
    let kind = match it.peek().map(|p| p.as_rule()) {
        Some(Rule::kw_for) => {
            it.next();
            let map = build_expr(first)?;
            let var = ident(next(&mut it, span)?);
            comprehension(func, Some(map), var, it, span)?
        }
        Some(Rule::kw_in) => {
            let var = bare_name(first)?;
            comprehension(func, None, var, it, span)?
        }
        _ => {
            let mut args = vec![build_expr(first)?];
            for p in it {
                args.push(build_expr(p)?);
            }
            ExprKind::Call { func, args }
        }
    };
    Ok(Expr { kind, span })
}

/// The rest of a comprehension after its variable: `in LIST` and an optional `where`.
fn comprehension<'i>(
    func: Ident,
    map: Option<Expr>,
    var: Ident,
    rest: impl Iterator<Item = Pair<'i, Rule>>,
    span: Span,
) -> Result<ExprKind, SyntaxError> {
    let mut list = None;
    let mut filter = None;
    for p in rest {
        match p.as_rule() {
            Rule::kw_in => {}
            Rule::expr if list.is_none() => list = Some(Box::new(build_expr(p)?)),
            Rule::where_clause => filter = Some(Box::new(build_where(p)?)),
            _ => return Err(unexpected(&p)),
        }
    }
    Ok(ExprKind::Comprehension {
        func,
        map: map.map(Box::new),
        var,
        list: list.ok_or_else(|| incomplete(span))?,
        filter,
    })
}

/// The variable of `f(x in …)`: the grammar reads it as an expression (a call's first
/// argument starts the same way), so anything but a bare name is refused here.
fn bare_name(e: Pair<'_, Rule>) -> Result<Ident, SyntaxError> {
    let span = span_of(&e);
    let not_a_name = || SyntaxError {
        message: "expected a name before `in`, as in `count(x in list)` \
                  (or `for` after an expression, as in `sum(x.value for x in list)`)"
            .into(),
        span: Span::new(span.start, span.start + e.as_str().trim_end().len()),
    };
    // A bare name is an expression of one pair, an `ident` (no operator, no postfix).
    let mut parts = e.clone().into_inner();
    match (parts.next(), parts.next()) {
        (Some(name), None) if name.as_rule() == Rule::ident => Ok(ident(name)),
        _ => Err(not_a_name()),
    }
}

fn build_args(pair: Pair<'_, Rule>) -> Result<Vec<Expr>, SyntaxError> {
    pair.into_inner().map(build_expr).collect()
}

/// Half the unit of the last digit of a decimal literal ("91.7" → 0.05, "100" → 0.5).
pub fn literal_precision(digits: &str) -> f64 {
    match digits.split_once('.') {
        Some((_, frac)) => 0.5 * 10f64.powi(-(frac.len() as i32)),
        None => 0.5,
    }
}

fn build_primary(pair: Pair<'_, Rule>) -> Result<Expr, SyntaxError> {
    let span = span_of(&pair);
    let kind = match pair.as_rule() {
        Rule::expr => return build_expr(pair),
        Rule::number => match pair.as_str().strip_suffix('%') {
            Some(s) => ExprKind::Percent {
                value: s.parse::<f64>().unwrap_or(f64::NAN) / 100.0,
                precision: literal_precision(s) / 100.0,
            },
            None => {
                let s = pair.as_str();
                ExprKind::Number {
                    value: s.parse().unwrap_or(f64::NAN),
                    precision: literal_precision(s),
                }
            }
        },
        Rule::string => ExprKind::Text(unescape(pair.as_str())),
        Rule::boolean => ExprKind::Bool(pair.as_str() == "true"),
        Rule::none_lit => ExprKind::None,
        Rule::regex => {
            let mut it = pair.into_inner();
            let body = next(&mut it, span)?;
            let flags = it
                .next()
                .map(|f| f.as_str().to_string())
                .unwrap_or_default();
            ExprKind::Regex(RegexLit {
                pattern: body.as_str().to_string(),
                flags,
                pattern_span: span_of(&body),
                compiled: None,
            })
        }
        Rule::ident => ExprKind::Var(ident(pair)),
        Rule::list => {
            let items = match pair.into_inner().next() {
                Some(a) => build_args(a)?,
                None => vec![],
            };
            ExprKind::List(items)
        }
        Rule::quantifier => {
            let mut it = pair.into_inner();
            let kind = match next(&mut it, span)?.as_str().trim() {
                "all" => Quantifier::All,
                "any" => Quantifier::Any,
                _ => Quantifier::None,
            };
            let var = ident(next(&mut it, span)?);
            let mut list = None;
            let mut filter = None;
            let mut body = None;
            for p in it {
                match p.as_rule() {
                    Rule::kw_in => {}
                    Rule::where_clause => filter = Some(Box::new(build_where(p)?)),
                    Rule::expr if list.is_none() => list = Some(Box::new(build_expr(p)?)),
                    Rule::expr => body = Some(Box::new(build_expr(p)?)),
                    _ => return Err(unexpected(&p)),
                }
            }
            ExprKind::Quant {
                kind,
                var,
                list: list.ok_or_else(|| incomplete(span))?,
                filter,
                body: body.ok_or_else(|| incomplete(span))?,
            }
        }
        Rule::let_expr => {
            let mut it = pair.into_inner().filter(|p| p.as_rule() != Rule::kw_let);
            let name = ident(it.next().ok_or_else(|| incomplete(span))?);
            let value = build_expr(it.next().ok_or_else(|| incomplete(span))?)?;
            let body = build_expr(it.next().ok_or_else(|| incomplete(span))?)?;
            ExprKind::Let {
                name,
                value: Box::new(value),
                body: Box::new(body),
            }
        }
        Rule::if_expr => {
            let mut parts = pair.into_inner().filter(|p| p.as_rule() == Rule::expr);
            let cond = build_expr(parts.next().ok_or_else(|| incomplete(span))?)?;
            let then = build_expr(parts.next().ok_or_else(|| incomplete(span))?)?;
            let otherwise = parts.next().map(build_expr).transpose()?;
            ExprKind::If {
                cond: Box::new(cond),
                then: Box::new(then),
                otherwise: otherwise.map(Box::new),
            }
        }
        _ => return Err(unexpected(&pair)),
    };
    Ok(Expr { kind, span })
}

fn build_where(p: Pair<'_, Rule>) -> Result<Expr, SyntaxError> {
    let span = span_of(&p);
    let e = p
        .into_inner()
        .find(|p| p.as_rule() == Rule::expr)
        .ok_or_else(|| incomplete(span))?;
    build_expr(e)
}

fn incomplete(span: Span) -> SyntaxError {
    SyntaxError {
        message: "incomplete expression".into(),
        span,
    }
}

fn unescape(quoted: &str) -> String {
    let inner = &quoted[1..quoted.len().saturating_sub(1).max(1)];
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(e: &Expr) -> String {
        match &e.kind {
            ExprKind::Bool(b) => b.to_string(),
            ExprKind::None => "none".into(),
            ExprKind::Number { value, .. } => value.to_string(),
            ExprKind::Percent { value, .. } => format!("{}%", value * 100.0),
            ExprKind::Text(s) => format!("{s:?}"),
            ExprKind::Regex(r) => format!("/{}/", r.pattern),
            ExprKind::Var(i) => i.name.clone(),
            ExprKind::List(items) => {
                format!(
                    "[{}]",
                    items.iter().map(show).collect::<Vec<_>>().join(", ")
                )
            }
            ExprKind::Unary(op, e) => format!("({op:?} {})", show(e)),
            ExprKind::Binary(op, a, b) => format!("({op:?} {} {})", show(a), show(b)),
            ExprKind::Compare {
                op,
                lhs,
                rhs,
                within,
            } => match within {
                Some(w) => format!(
                    "({} {} {} within {})",
                    show(lhs),
                    op.symbol(),
                    show(rhs),
                    show(w)
                ),
                None => format!("({} {} {})", show(lhs), op.symbol(), show(rhs)),
            },
            ExprKind::Member(e, m) => format!("{}.{}", show(e), m.name),
            ExprKind::Call { func, args } => format!(
                "{}({})",
                func.name,
                args.iter().map(show).collect::<Vec<_>>().join(", ")
            ),
            ExprKind::Index(a, i) => format!("{}[{}]", show(a), show(i)),
            ExprKind::Quant {
                kind,
                var,
                list,
                filter,
                body,
            } => format!(
                "({kind:?} {} in {}{}: {})",
                var.name,
                show(list),
                filter
                    .as_ref()
                    .map(|f| format!(" where {}", show(f)))
                    .unwrap_or_default(),
                show(body)
            ),
            ExprKind::Comprehension {
                func,
                map,
                var,
                list,
                filter,
            } => format!(
                "{}({}{} in {}{})",
                func.name,
                map.as_ref()
                    .map(|m| format!("{} for ", show(m)))
                    .unwrap_or_default(),
                var.name,
                show(list),
                filter
                    .as_ref()
                    .map(|f| format!(" where {}", show(f)))
                    .unwrap_or_default()
            ),
            ExprKind::Let { name, value, body } => {
                format!("(let {} = {}; {})", name.name, show(value), show(body))
            }
            ExprKind::If {
                cond,
                then,
                otherwise,
            } => format!(
                "(if {} then {}{})",
                show(cond),
                show(then),
                otherwise
                    .as_ref()
                    .map(|o| format!(" else {}", show(o)))
                    .unwrap_or_default()
            ),
        }
    }

    fn p(s: &str) -> String {
        show(&parse_expr(s).unwrap_or_else(|e| panic!("{s}: {e:?}")))
    }

    #[test]
    fn precedence() {
        assert_eq!(p("1 + 2 * 3"), "(Add 1 (Mul 2 3))");
        assert_eq!(p("a and b or c"), "(Or (And a b) c)");
        assert_eq!(p("not a == b"), "(Not (a == b))");
        assert_eq!(p("a => b => c"), "(Implies a (Implies b c))");
        assert_eq!(p("-x * 2"), "(Mul (Neg x) 2)");
        assert_eq!(p("a ≈ b within 1%"), "(a ≈ b within 1%)");
        assert_eq!(p("a ~= b / c"), "(a ≈ (Div b c))");
    }

    #[test]
    fn regex_versus_division() {
        assert_eq!(p("m.handled / m.received"), "(Div m.handled m.received)");
        assert_eq!(
            p("exists(section(/收费|减免/))"),
            "exists(section(/收费|减免/))"
        );
        assert_eq!(p(r"matches(/a\/b/)"), r"matches(/a\/b/)");
    }

    #[test]
    fn quantifiers_and_friends() {
        assert_eq!(
            p("all m in matches(/x/) where m.a > 1: m.b == 2 and true"),
            "(All m in matches(/x/) where (m.a > 1): (And (m.b == 2) true))"
        );
        assert_eq!(p("none x in xs: x"), "(None x in xs: x)");
        assert_eq!(p("none"), "none");
        assert_eq!(
            p("count(s in report.sections where s.level == 1)"),
            "count(s in report.sections where (s.level == 1))"
        );
        assert_eq!(p("sum(n.value for n in ns)"), "sum(n.value for n in ns)");
        assert_eq!(p("count(xs)"), "count(xs)");
        assert_eq!(p("let r = a / b; r > 1"), "(let r = (Div a b); (r > 1))");
        assert_eq!(p("if a then b else c"), "(if a then b else c)");
        assert_eq!(p("xs.first().value"), "first(xs).value");
        assert_eq!(p("[1, 2][0]"), "[1, 2][0]");
        assert_eq!(
            p("report.year <= 2018 # a comment"),
            "(report.year <= 2018)"
        );
    }

    #[test]
    fn literals() {
        let e = parse_expr("91.7%").unwrap();
        match e.kind {
            ExprKind::Percent { value, precision } => {
                assert!((value - 0.917).abs() < 1e-12);
                assert!((precision - 0.0005).abs() < 1e-12);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(p(r#""a\"b""#), r#""a\"b""#);
    }

    #[test]
    fn errors_have_spans() {
        let e = parse_expr("a + ").unwrap_err();
        assert_eq!(e.span.start, 4);
        let e = parse_expr("exists(section(/x/)").unwrap_err();
        assert!(e.span.start >= 18, "{e:?}");
        let e = parse_expr("1 within 2").unwrap_err();
        assert!(e.message.contains("within"));
        let deep = "(".repeat(10_000) + "1" + &")".repeat(10_000);
        assert!(parse_expr(&deep).unwrap_err().message.contains("nested"));
    }

    /// Nesting without brackets recurses just as deep: each form is refused with the
    /// limit in the message, and shallow forms of the same shape still parse.
    #[test]
    fn depth_limit_covers_every_nesting_form() {
        let deep = [
            "not ".repeat(10_000) + "true",
            "-".repeat(10_000) + "1",
            "1".to_string() + &" + 1".repeat(10_000),
            "let a = 1; ".repeat(10_000) + "a",
            "if true then ".repeat(10_000) + "1",
            "all x in [1]: ".repeat(10_000) + "true",
            "a".to_string() + &".b".repeat(10_000),
            "a".to_string() + &"[0]".repeat(10_000),
        ];
        for text in &deep {
            let e = parse_expr_limited(text, 100).unwrap_err();
            assert_eq!(e.message, "expression nested more than 100 levels deep");
            let shallow: String = text.chars().take(60).collect();
            assert!(
                parse_expr_limited(&shallow, 100)
                    .map_or_else(|e| !e.message.contains("nested"), |_| true),
                "{shallow}"
            );
        }
        // Nested calls and comprehensions parse up to the nesting bound (see
        // `unclosed_calls_are_plain_syntax_errors` for why they once could not).
        let calls = "f(".repeat(60) + "1" + &")".repeat(60);
        assert!(parse_expr_limited(&calls, 128).is_ok());
        let comps = "sum(".repeat(20) + "x" + &" for x in xs)".repeat(20);
        let r = parse_expr_limited(&comps, 128);
        assert!(r.is_ok(), "{r:?}");
        // Brackets inside regexes and strings are not nesting.
        let re = format!("matches(/{}x{}/)", "(".repeat(300), ")".repeat(300));
        assert!(parse_expr_limited(&re, 100).is_ok());
        let s = format!("\"{}\" == x", "(".repeat(300));
        assert!(parse_expr_limited(&s, 100).is_ok());
        assert_eq!(nesting_bound("1"), 0);
        assert_eq!(nesting_bound("(1 + 2)"), 2);
        assert_eq!(nesting_bound(&("(".repeat(50) + "1" + &")".repeat(50))), 50);
        // Siblings in a list do not add up.
        let list = format!("[{}]", vec!["1 + 1 + 1"; 1000].join(", "));
        assert!(parse_expr_limited(&list, 10).is_ok());
    }

    #[test]
    fn errors_name_a_missing_bracket_and_say_each_expectation_once() {
        let e = parse_expr("exists(section(/x/) ").unwrap_err();
        assert_eq!(e.message, "a bracket is left open: expected `)`");
        assert_eq!(e.span, Span::new(19, 19));
        let e = parse_expr("[1, 2").unwrap_err();
        assert!(e.message.ends_with("expected `]`"), "{e:?}");
        let e = parse_expr("report.year = 2018").unwrap_err();
        assert_eq!(e.message, "`=` is not an operator: write `==` to compare");
        assert_eq!(e.span, Span::new(12, 13));
        let e = parse_expr("all s in xs s.level == 1").unwrap_err();
        assert_eq!(
            (e.message.as_str(), e.span),
            ("expected `:`", Span::new(11, 11))
        );
        let e = parse_expr("let x = 1 x > 0").unwrap_err();
        assert_eq!(e.message, "expected `;`");
        let e = parse_expr("if a b").unwrap_err();
        assert_eq!(e.message, "expected `then`");
        let e = parse_expr(r#"report.title == "年度"#).unwrap_err();
        assert!(e.message.starts_with("a string is left open"), "{e:?}");
        let e = parse_expr("exists(section(/收费))").unwrap_err();
        assert!(e.message.starts_with("a regex is left open"), "{e:?}");
        assert_eq!(e.span, Span::new(15, 16), "points at the opening slash");
        let e = parse_expr("report.year >= 2019 and").unwrap_err();
        assert_eq!(e.message, "expected an expression");
        let e = parse_expr("report.year 2018").unwrap_err();
        assert_eq!(e.message.matches("`.member`").count(), 1, "{e:?}");
        assert_eq!(e.message.matches("`-`").count(), 1, "{e:?}");
    }

    /// The grammar once tried a call and then a comprehension on every `name(`, so each
    /// failing level of unclosed nested calls was parsed again per enclosing level:
    /// exponential, cut off only by pest's call budget ("too complex"). With one rule for
    /// both, each shape up to the nesting bound is an ordinary syntax error at its end,
    /// and the same shapes closed parse.
    #[test]
    fn unclosed_calls_are_plain_syntax_errors() {
        let n = crate::limits::DEFAULT_MAX_EXPR_DEPTH - 2;
        let shapes = [
            "r(".repeat(n),
            "count(x in ".to_string() + &"r(".repeat(n - 1),
            "map(a for a in ".to_string() + &"f(".repeat(n - 1),
            "sum(".repeat(n) + "x",
            "exists(r(r(".to_string() + &"reporsts(".repeat(n - 3) + "x",
        ];
        for text in &shapes {
            let e = parse_expr(text).unwrap_err();
            assert!(e.message.starts_with("expected "), "{text}: {e:?}");
            assert_eq!(e.span, Span::new(text.len(), text.len()), "{text}");
        }
        // One bracket short at full depth: the repair (once skipped past 10 nested
        // brackets, as each try cost as much again) names it.
        let text = "r(".repeat(n) + "1" + &")".repeat(n - 1);
        let e = parse_expr(&text).unwrap_err();
        assert_eq!(e.message, "a bracket is left open: expected `)`");
        let closed = [
            "r(".repeat(n) + "1" + &")".repeat(n),
            "count(x in ".to_string() + &"r(".repeat(n - 1) + &")".repeat(n),
            "map(a for a in ".to_string() + &"f(".repeat(n - 1) + "1" + &")".repeat(n),
            "sum(".repeat(n) + "x" + &" for x in xs)".repeat(n),
        ];
        for text in &closed {
            let r = parse_expr(text);
            assert!(r.is_ok(), "{text}: {r:?}");
        }
        // Far past the bound: refused by the nesting check, never by pest's budget.
        for text in ["r(".repeat(2_000), "count(x in ".repeat(2_000)] {
            let e = parse_expr(&text).unwrap_err();
            assert!(e.message.contains("nested more than"), "{e:?}");
        }
    }

    /// Calls, methods and comprehensions share their first tokens; each still builds the
    /// same tree, and a comprehension whose variable is not a bare name says so.
    #[test]
    fn calls_and_comprehensions_share_a_prefix() {
        assert_eq!(p("f()"), "f()");
        assert_eq!(p("f(a, b,)"), "f(a, b)");
        assert_eq!(p("f (a) .g (b)"), "g(f(a), b)");
        assert_eq!(p("xs.first"), "xs.first");
        assert_eq!(p("count(x in xs)"), "count(x in xs)");
        assert_eq!(
            p("sum(x.v * 2 for x in f(y in ys) where x.v > 0)"),
            "sum((Mul x.v 2) for x in f(y in ys) where (x.v > 0))"
        );
        assert_eq!(p("f(in_x)"), "f(in_x)");
        assert_eq!(p("5% + 1.50%"), "(Add 5% 1.5%)");
        let e = parse_expr("count(x.y in xs)").unwrap_err();
        assert!(
            e.message.starts_with("expected a name before `in`"),
            "{e:?}"
        );
        assert_eq!(e.span, Span::new(6, 9));
        for bad in ["count((x) in xs)", "count(-x in xs)", "count(x + 1 in xs)"] {
            let e = parse_expr(bad).unwrap_err();
            assert!(
                e.message.starts_with("expected a name before `in`"),
                "{e:?}"
            );
        }
        assert!(parse_expr("xs.count(x in xs)").is_err());
        assert!(parse_expr("count(x in)").is_err());
        assert!(parse_expr("count(a, x in xs)").is_err());
        assert!(parse_expr("f(all x in xs: x in ys)").is_err());
        let e = parse_expr("xs.first a").unwrap_err();
        assert!(!e.message.contains("`(`"), "{e:?}");
    }

    /// `ident` skips the keyword check for names whose first letter begins no keyword:
    /// names that start like a keyword are still names, keywords still are not.
    #[test]
    fn names_and_keywords() {
        for name in [
            "android",
            "iffy",
            "lettuce",
            "nothing",
            "orange",
            "trueish",
            "wherever",
            "within_x",
            "inx",
            "elsewhere",
            "fortune",
            "thence",
            "allx",
            "anyone",
            "nonesuch",
            "falsey",
            "Report",
            "_x",
            "a",
            "e",
            "z9",
        ] {
            assert_eq!(p(name), name);
            assert_eq!(p(&format!("r.{name}")), format!("r.{name}"));
        }
        assert_eq!(p("true"), "true");
        assert_eq!(p("none"), "none");
        for bad in [
            "r.in",
            "r.where",
            "f(then)",
            "let if = 1; 2",
            "all for in xs: 1",
        ] {
            assert!(parse_expr(bad).is_err(), "{bad}");
        }
    }

    /// A quantifier or `let` nested at the end of another and ending in `.name` ends
    /// there, not after the newline that follows, as before `.name` and `.name(…)`
    /// shared a rule (the built-in pack has both shapes; the outermost one's span runs
    /// to the end of the text either way).
    #[test]
    fn nested_spans_end_at_a_trailing_member() {
        let inner = |text: &str| match parse_expr(text).map(|e| e.kind) {
            Ok(ExprKind::Quant { body, .. }) | Ok(ExprKind::Let { body, .. }) => body.span,
            other => panic!("{text}: {other:?}"),
        };
        for text in [
            "all s in xs: none t in ys: t.a == s.b\n",
            "let a = 1; let b = 2; a == b and not t.u\n",
        ] {
            assert_eq!(inner(text).end, text.trim_end().len(), "{text:?}");
        }
        assert_eq!(p("a . f # c\n (x)"), "f(a, x)");
        assert_eq!(p("a. # c\n b"), "a.b");
    }
}
