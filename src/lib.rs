//! reportlint: a compliance checker for reports.
//!
//! The pipeline, one module per stage, data flowing one way:
//! [`source`] (bytes → text) → [`fold`] (normalised copy + offset map) →
//! [`document`] (the report model) → [`dsl`] (rules, parsed and checked) →
//! [`eval`] (rules against a document) → [`findings`] → [`render`].

pub mod document;
pub mod dsl;
pub mod fold;
pub mod rules;
pub mod source;
pub mod span;
