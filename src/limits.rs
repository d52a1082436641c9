//! Limits: how much reportlint accepts before it refuses, so that hostile or broken
//! input (a 10 GB upload, a rule nested 10,000 levels deep, a 1 MB regex) gets a clear
//! error naming what was exceeded instead of exhausting memory, stack or time.
//!
//! A plain struct with [`Default`]: the CLI maps its flags onto it, and a config file
//! can map its `[limits]` keys onto it the same way.

/// The limits in force for a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest report file read, in bytes (larger files get a `too-large` error).
    pub max_file_size: u64,
    /// Deepest nesting of a rule expression (brackets, operators, `let`, `if`,
    /// quantifiers); deeper expressions are a rule load error.
    pub max_expr_depth: usize,
    /// Largest regex in a rule, in bytes: both the pattern as written and its
    /// compiled program must fit.
    pub max_regex_size: usize,
    /// Most findings kept per file; the rest are counted, not kept.
    pub max_findings: usize,
}

/// Default largest report file: 64 MiB (real reports are under 1 MiB).
pub const DEFAULT_MAX_FILE_SIZE: u64 = 64 * 1024 * 1024;
/// Default deepest expression nesting: about five times the built-in pack's deepest
/// rule, and shallow enough that parsing, checking and evaluating stay inside a 2 MiB
/// thread stack even in a debug build (100 nested calls did not).
pub const DEFAULT_MAX_EXPR_DEPTH: usize = 64;
/// Default largest regex: 1 MiB (the built-in rules' largest is under 1 KiB).
pub const DEFAULT_MAX_REGEX_SIZE: usize = 1024 * 1024;
/// Default most findings per file.
pub const DEFAULT_MAX_FINDINGS: usize = 1000;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            max_expr_depth: DEFAULT_MAX_EXPR_DEPTH,
            max_regex_size: DEFAULT_MAX_REGEX_SIZE,
            max_findings: DEFAULT_MAX_FINDINGS,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_match_the_documented_constants() {
        let l = Limits::default();
        assert_eq!(l.max_file_size, 64 * 1024 * 1024);
        assert_eq!(l.max_expr_depth, 64);
        assert_eq!(l.max_regex_size, 1024 * 1024);
        assert_eq!(l.max_findings, 1000);
        assert_eq!(crate::source::DEFAULT_MAX_BYTES, l.max_file_size);
    }
}
