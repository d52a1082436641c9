//! reportlint: a compliance checker for reports.
//!
//! The pipeline, one module per stage, data flowing one way:
//! [`source`] (bytes → text) → [`fold`] (normalised copy + offset map) →
//! [`document`] (the report model) → [`dsl`] (rules, parsed and checked) →
//! [`eval`] (rules against a document) → [`findings`] → [`render`].

pub mod cli;
pub mod document;
pub mod dsl;
pub mod engine;
pub mod eval;
pub mod findings;
pub mod fold;
pub mod limits;
pub mod render;
pub mod rules;
pub mod ruletest;
pub mod source;
pub mod span;
