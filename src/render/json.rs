//! JSON output: the contract machines depend on (see DESIGN.md).

use serde::Serialize;

use crate::findings::{FileReport, Summary};

/// Version of the JSON output shape; bumped on incompatible changes.
pub const JSON_VERSION: u32 = 1;

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    files: &'a [FileReport],
    summary: &'a Summary,
}

/// The whole run as one JSON document.
pub fn render(reports: &[FileReport], summary: &Summary) -> String {
    let out = Output {
        version: JSON_VERSION,
        files: reports,
        summary,
    };
    serde_json::to_string_pretty(&out).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}
