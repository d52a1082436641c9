//! The rule language: grammar (`grammar/rule.pest`), typed AST, parser and static checker.

pub mod ast;
pub mod check;
pub mod parser;
pub mod pattern;
pub mod types;

pub use check::{base_globals, CheckError, Checker};
pub use parser::{nesting_bound, parse_expr, parse_expr_limited, SyntaxError};
pub use types::Type;
