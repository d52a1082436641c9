//! The pipeline for one file and for a batch: source → fold → document → eval → findings.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::document::Document;
use crate::eval::Ctx;
use crate::findings::{FileError, FileReport};
use crate::fold::Folded;
use crate::rules::RuleSet;
use crate::source::{self, SourceError};

/// Options for a check run.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// Largest file to read, in bytes.
    pub max_file_size: u64,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            max_file_size: source::DEFAULT_MAX_BYTES,
        }
    }
}

/// Check already-decoded text (used for files and for rule tests).
pub fn check_text(
    path: PathBuf,
    text: &str,
    encoding: &'static str,
    rules: &RuleSet,
) -> FileReport {
    let folded = Folded::new(text);
    let doc = Document::parse(&folded);
    let ctx = Ctx::new(&doc, &folded, text);
    let outcomes = rules
        .rules
        .iter()
        .map(|r| (r, ctx.evaluate(r, &rules.packs[r.pack], r.pack)));
    let outcomes: Vec<_> = outcomes.collect();
    FileReport::from_outcomes(path, Arc::from(text), encoding, outcomes)
}

/// Read, decode and check one file. Never panics on bad input; a file that cannot be
/// read gets an entry with its error.
pub fn check_file(path: &Path, rules: &RuleSet, opts: &CheckOptions) -> FileReport {
    match source::read(path, opts.max_file_size) {
        Ok(src) => check_text(src.path, &src.text, src.encoding, rules),
        Err(e) => FileReport::failed(path.to_path_buf(), file_error(&e)),
    }
}

/// The entry for a file that could not be read.
pub fn file_error(e: &SourceError) -> FileError {
    let kind = match e {
        SourceError::Io { .. } => "io",
        SourceError::Empty { .. } => "empty",
        SourceError::Binary { .. } => "binary",
        SourceError::TooLarge { .. } => "too-large",
    };
    FileError {
        kind,
        message: e.to_string(),
    }
}

/// Expand paths: files as given, directories walked recursively (hidden entries
/// skipped), in sorted order so output is deterministic.
pub fn collect_files(paths: &[PathBuf]) -> Vec<Result<PathBuf, (PathBuf, FileError)>> {
    let mut out = Vec::new();
    for p in paths {
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => walk(p, &mut out, 0),
            Ok(_) => out.push(Ok(p.clone())),
            Err(e) => out.push(Err((
                p.clone(),
                FileError {
                    kind: "io",
                    message: format!("cannot read {}: {e}", p.display()),
                },
            ))),
        }
    }
    out
}

fn walk(dir: &Path, out: &mut Vec<Result<PathBuf, (PathBuf, FileError)>>, depth: usize) {
    // Symlink loops and absurd nesting end here instead of recursing forever.
    if depth > 64 {
        out.push(Err((
            dir.to_path_buf(),
            FileError {
                kind: "io",
                message: format!(
                    "{}: directory nesting deeper than 64 levels (a symlink loop?)",
                    dir.display()
                ),
            },
        )));
        return;
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            out.push(Err((
                dir.to_path_buf(),
                FileError {
                    kind: "io",
                    message: format!("cannot read directory {}: {e}", dir.display()),
                },
            )));
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for p in paths {
        let hidden = p
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'));
        if hidden {
            continue;
        }
        if p.is_dir() {
            walk(&p, out, depth + 1);
        } else {
            out.push(Ok(p));
        }
    }
}

/// Check every file under `paths`, in parallel, reports in input order.
pub fn check_paths(paths: &[PathBuf], rules: &RuleSet, opts: &CheckOptions) -> Vec<FileReport> {
    collect_files(paths)
        .par_iter()
        .map(|f| check_entry(f, rules, opts))
        .collect()
}

/// Check one entry of [`collect_files`] (a file, or a path that could not be read).
pub fn check_entry(
    entry: &Result<PathBuf, (PathBuf, FileError)>,
    rules: &RuleSet,
    opts: &CheckOptions,
) -> FileReport {
    match entry {
        Ok(p) => check_file(p, rules, opts),
        Err((p, e)) => FileReport::failed(p.clone(), e.clone()),
    }
}
