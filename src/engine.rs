//! The pipeline for one file and for a batch: source → fold → document → eval → findings.

use crate::span::SharedStr;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::document::Document;
use crate::eval::Ctx;
use crate::findings::{FileError, FileReport};
use crate::fold::Folded;
use crate::input::{self, Input, InputError};
use crate::limits::Limits;
use crate::rules::{Rule, RuleSet};
use crate::source::{InputEncoding, SourceError};
use crate::timings;

/// Options for a check run.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// What the run accepts (file size, findings per file, …).
    pub limits: Limits,
    /// Spread each file's rules over the worker threads. For runs with fewer files
    /// than threads (a pre-commit hook checks one): otherwise one file per thread
    /// already keeps every core busy.
    pub split_rules: bool,
    /// How text and HTML files without a BOM are decoded (`[input] encoding`).
    pub encoding: InputEncoding,
}

/// Check already-decoded text (used for files and for rule tests).
pub fn check_text(
    path: PathBuf,
    text: &str,
    encoding: &'static str,
    rules: &RuleSet,
) -> FileReport {
    check_text_limited(path, text, encoding, rules, &Limits::default())
}

/// [`check_text`], keeping at most `limits.max_findings` findings.
pub fn check_text_limited(
    path: PathBuf,
    text: &str,
    encoding: &'static str,
    rules: &RuleSet,
    limits: &Limits,
) -> FileReport {
    let folded = Folded::new(text);
    let text = SharedStr::from(text);
    check_folded(path, &text, &folded, encoding, &[], rules, limits, false)
}

/// Check a report read in any format: spans point into `input.source`.
pub fn check_input(input: &Input, rules: &RuleSet, opts: &CheckOptions) -> FileReport {
    let folded = input.fold();
    check_folded(
        input.path.clone(),
        &input.source,
        &folded,
        input.encoding,
        &input.heading_lines,
        rules,
        &opts.limits,
        opts.split_rules,
    )
}

#[allow(clippy::too_many_arguments)]
fn check_folded(
    path: PathBuf,
    text: &SharedStr,
    folded: &Folded,
    encoding: &'static str,
    heading_lines: &[usize],
    rules: &RuleSet,
    limits: &Limits,
    split_rules: bool,
) -> FileReport {
    let doc = Document::parse_with_headings(folded, heading_lines);
    let evaluate = |first: usize, part: &[Rule]| {
        // Each part has its own context: its caches are not shared across threads.
        let ctx = Ctx::new(&doc, folded, text.as_str());
        part.iter()
            .enumerate()
            .map(|(i, r)| {
                timings::time(first + i, || ctx.evaluate(r, &rules.packs[r.pack], r.pack))
            })
            .collect::<Vec<_>>()
    };
    let threads = rayon::current_num_threads();
    let outcomes = if split_rules && threads > 1 && rules.rules.len() > 1 {
        // Twice as many parts as threads: rule costs differ widely, so work stealing
        // needs more than one part per thread to balance them.
        let size = rules.rules.len().div_ceil(2 * threads);
        rules
            .rules
            .par_chunks(size)
            .enumerate()
            .map(|(k, part)| evaluate(k * size, part))
            .collect::<Vec<_>>()
            .concat()
    } else {
        evaluate(0, &rules.rules)
    };
    let outcomes: Vec<_> = rules.rules.iter().zip(outcomes).collect();
    let mut report = FileReport::from_outcomes(path, text.clone(), encoding, outcomes);
    report.truncate_findings(limits.max_findings);
    report
}

/// Read, decode and check one file (text, markdown, HTML or DOCX). Never panics on bad
/// input; a file that cannot be read gets an entry with its error.
pub fn check_file(path: &Path, rules: &RuleSet, opts: &CheckOptions) -> FileReport {
    match input::read_as(path, opts.limits.max_file_size, opts.encoding) {
        Ok(input) => check_input(&input, rules, opts),
        Err(InputError::Source(e)) => FileReport::failed(path.to_path_buf(), file_error(&e)),
        Err(e) => FileReport::failed(
            path.to_path_buf(),
            FileError {
                kind: "format",
                message: e.to_string(),
            },
        ),
    }
}

/// The entry for a file that could not be read.
pub fn file_error(e: &SourceError) -> FileError {
    let kind = match e {
        SourceError::Io { source, .. } => io_kind(source),
        SourceError::NotAFile { .. } => "not-a-file",
        SourceError::Empty { .. } => "empty",
        SourceError::Binary { .. } => "binary",
        SourceError::TooLarge { .. } => "too-large",
    };
    FileError {
        kind,
        message: e.to_string(),
    }
}

/// The stable kind of an I/O error: the two a batch run meets in practice (a file
/// deleted or made unreadable mid-run) get their own, everything else is `io`.
fn io_kind(e: &std::io::Error) -> &'static str {
    match e.kind() {
        std::io::ErrorKind::NotFound => "not-found",
        std::io::ErrorKind::PermissionDenied => "permission-denied",
        _ => "io",
    }
}

/// Expand paths: files as given, directories walked recursively (see [`crate::walk`]:
/// `.gitignore`, `.reportlintignore`, hidden entries skipped), in sorted order so
/// output is deterministic.
pub fn collect_files(paths: &[PathBuf]) -> Vec<Result<PathBuf, (PathBuf, FileError)>> {
    // No globs, so nothing can fail to parse.
    crate::walk::collect(paths, &crate::walk::WalkOptions::default()).unwrap_or_default()
}

/// Check walked entries in parallel, reports in entry order; `on_done` is called once
/// per file as it finishes (from worker threads), e.g. to drive a progress bar.
pub fn check_entries(
    entries: Vec<crate::walk::Entry>,
    rules: &RuleSet,
    opts: &CheckOptions,
    on_done: &(dyn Fn() + Sync),
) -> Vec<FileReport> {
    entries
        .into_par_iter()
        .map(|f| {
            let r = match f {
                Ok(p) => check_file(&p, rules, opts),
                Err((p, e)) => FileReport::failed(p, e),
            };
            on_done();
            r
        })
        .collect()
}

/// Check every file under `paths`, in parallel, reports in input order.
pub fn check_paths(paths: &[PathBuf], rules: &RuleSet, opts: &CheckOptions) -> Vec<FileReport> {
    check_entries(collect_files(paths), rules, opts, &|| {})
}
