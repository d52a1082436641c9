//! The typed AST of the rule language. Spans are byte ranges into the expression text
//! (the loader shifts them into the rule file).

use std::sync::Arc;

use crate::span::Span;

/// A name as written, with where it stands.
#[derive(Debug, Clone, PartialEq)]
pub struct Ident {
    /// The name.
    pub name: String,
    /// Where it stands in the expression.
    pub span: Span,
}

/// An expression and where it stands.
#[derive(Debug, Clone)]
pub struct Expr {
    /// What it is.
    pub kind: ExprKind,
    /// Where it stands in the expression text.
    pub span: Span,
}

/// A regex literal: `/pattern/flags`.
#[derive(Debug, Clone)]
pub struct RegexLit {
    /// The pattern as written (escapes kept: `\/` means `/` to the regex engine too).
    pub pattern: String,
    /// Flags after the closing slash (`i`, `s`, `x`, `m`).
    pub flags: String,
    /// Where the pattern (without slashes) stands in the expression text.
    pub pattern_span: Span,
    /// The checked pattern (compiled now or on first use), filled in by the checker.
    pub compiled: Option<Arc<super::pattern::Pattern>>,
}

/// Unary operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnOp {
    /// `-x`
    Neg,
    /// `not x`
    Not,
}

/// Binary operators other than comparisons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `and`
    And,
    /// `or`
    Or,
    /// `=>`
    Implies,
}

/// Comparison operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `≈` or `~=`: equal within the stated number's precision (or `within T`).
    Approx,
}

impl CmpOp {
    /// The operator as written in the DSL.
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
            CmpOp::Approx => "≈",
        }
    }

    /// The operator that fails exactly when this one holds (for messages).
    pub fn negated_symbol(self) -> &'static str {
        match self {
            CmpOp::Eq => "≠",
            CmpOp::Ne => "==",
            CmpOp::Lt => "≥",
            CmpOp::Le => ">",
            CmpOp::Gt => "≤",
            CmpOp::Ge => "<",
            CmpOp::Approx => "≉",
        }
    }
}

/// Quantifier kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quantifier {
    /// `all x in L: P` — P holds for every element.
    All,
    /// `any x in L: P` — P holds for some element.
    Any,
    /// `none x in L: P` — P holds for no element.
    None,
}

/// The forms of expressions.
#[derive(Debug, Clone)]
pub enum ExprKind {
    /// `true` / `false`
    Bool(bool),
    /// `none`: no value.
    None,
    /// A number literal with its precision (half the unit of its last digit).
    Number {
        /// The value.
        value: f64,
        /// Half the unit of the last digit written.
        precision: f64,
    },
    /// A percent literal, as a fraction (`5%` → 0.05).
    Percent {
        /// The fraction.
        value: f64,
        /// Half the unit of the last digit written, as a fraction.
        precision: f64,
    },
    /// A string literal (escapes resolved).
    Text(String),
    /// A regex literal.
    Regex(RegexLit),
    /// A variable or a pack-level definition.
    Var(Ident),
    /// `[a, b, c]`
    List(Vec<Expr>),
    /// `-x`, `not x`
    Unary(UnOp, Box<Expr>),
    /// Arithmetic and logic.
    Binary(BinOp, Box<Expr>, Box<Expr>),
    /// A comparison, with an optional explicit tolerance (`a ≈ b within 1%`).
    Compare {
        /// The operator.
        op: CmpOp,
        /// Left operand.
        lhs: Box<Expr>,
        /// Right operand.
        rhs: Box<Expr>,
        /// `within T`.
        within: Option<Box<Expr>>,
    },
    /// `x.name`
    Member(Box<Expr>, Ident),
    /// `f(a, b)` or `a.f(b)` (then `a` is the first argument).
    Call {
        /// The function.
        func: Ident,
        /// Its arguments.
        args: Vec<Expr>,
    },
    /// `x[i]`
    Index(Box<Expr>, Box<Expr>),
    /// `all x in L where C: P`
    Quant {
        /// all / any / none.
        kind: Quantifier,
        /// The bound variable.
        var: Ident,
        /// The list.
        list: Box<Expr>,
        /// `where C`.
        filter: Option<Box<Expr>>,
        /// The predicate.
        body: Box<Expr>,
    },
    /// `f(map for x in L where C)` or `f(x in L where C)`.
    Comprehension {
        /// The list function applied to the result (count, sum, first, ...).
        func: Ident,
        /// The mapped expression (the element itself when absent).
        map: Option<Box<Expr>>,
        /// The bound variable.
        var: Ident,
        /// The list.
        list: Box<Expr>,
        /// `where C`.
        filter: Option<Box<Expr>>,
    },
    /// `let x = v; body`
    Let {
        /// The name bound.
        name: Ident,
        /// Its value.
        value: Box<Expr>,
        /// Where it is visible.
        body: Box<Expr>,
    },
    /// `if c then a else b` (without `else`, an implication).
    If {
        /// Condition.
        cond: Box<Expr>,
        /// Value when it holds.
        then: Box<Expr>,
        /// Value when it does not.
        otherwise: Option<Box<Expr>>,
    },
}

impl Expr {
    /// Visit this expression and every sub-expression, parents first.
    pub fn walk<'a>(&'a self, f: &mut dyn FnMut(&'a Expr)) {
        f(self);
        match &self.kind {
            ExprKind::Bool(_)
            | ExprKind::None
            | ExprKind::Number { .. }
            | ExprKind::Percent { .. }
            | ExprKind::Text(_)
            | ExprKind::Regex(_)
            | ExprKind::Var(_) => {}
            ExprKind::List(items) => items.iter().for_each(|e| e.walk(f)),
            ExprKind::Unary(_, e) | ExprKind::Member(e, _) => e.walk(f),
            ExprKind::Binary(_, a, b) | ExprKind::Index(a, b) => {
                a.walk(f);
                b.walk(f);
            }
            ExprKind::Compare {
                lhs, rhs, within, ..
            } => {
                lhs.walk(f);
                rhs.walk(f);
                if let Some(w) = within {
                    w.walk(f);
                }
            }
            ExprKind::Call { args, .. } => args.iter().for_each(|e| e.walk(f)),
            ExprKind::Quant {
                list, filter, body, ..
            } => {
                list.walk(f);
                if let Some(c) = filter {
                    c.walk(f);
                }
                body.walk(f);
            }
            ExprKind::Comprehension {
                map, list, filter, ..
            } => {
                if let Some(m) = map {
                    m.walk(f);
                }
                list.walk(f);
                if let Some(c) = filter {
                    c.walk(f);
                }
            }
            ExprKind::Let { value, body, .. } => {
                value.walk(f);
                body.walk(f);
            }
            ExprKind::If {
                cond,
                then,
                otherwise,
            } => {
                cond.walk(f);
                then.walk(f);
                if let Some(o) = otherwise {
                    o.walk(f);
                }
            }
        }
    }
}
