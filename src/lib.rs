//! reportlint: a compliance checker for reports.
//!
//! The pipeline, one module per stage, data flowing one way:
//! [`source`] (bytes → text) and [`input`] (HTML and DOCX → text with a map back) → [`fold`] (normalised copy + offset map) →
//! [`document`] (the report model) → [`dsl`] (rules, parsed and checked) →
//! [`eval`] (rules against a document) → [`findings`] → [`render`].

pub mod baseline;
pub mod batch;
pub mod byteset;
pub mod cli;
pub mod config;
pub mod document;
pub mod dsl;
pub mod engine;
pub mod eval;
pub mod findings;
pub mod fold;
// build.rs turns the table into statics; the tests check them against it.
#[cfg(test)]
mod fold_table;
pub mod input;
pub mod limits;
pub mod render;
pub mod rules;
pub mod ruletest;
pub mod source;
pub mod span;
pub mod timings;
pub mod waivers;
pub mod walk;
