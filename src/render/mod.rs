//! Renderers: findings for people (miette) and for machines (JSON).

pub mod human;
pub mod json;
pub mod output;

/// Output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Annotated snippets for people.
    Human,
    /// One line per finding: `path:line:col: rule [severity] message`.
    Concise,
    /// One JSON document (the output contract).
    Json,
}
