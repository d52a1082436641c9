//! The pipeline for one file and for a batch: source → fold → document → eval → findings.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::document::Document;
use crate::eval::Ctx;
use crate::findings::{FileError, FileReport};
use crate::fold::Folded;
use crate::limits::Limits;
use crate::rules::RuleSet;
use crate::source::{self, SourceError};

/// Options for a check run.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// What the run accepts (file size, findings per file, …).
    pub limits: Limits,
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
    let doc = Document::parse(&folded);
    let ctx = Ctx::new(&doc, &folded, text);
    let outcomes = rules
        .rules
        .iter()
        .map(|r| (r, ctx.evaluate(r, &rules.packs[r.pack], r.pack)));
    let outcomes: Vec<_> = outcomes.collect();
    let mut report = FileReport::from_outcomes(path, Arc::from(text), encoding, outcomes);
    report.truncate_findings(limits.max_findings);
    report
}

/// Read, decode and check one file. Never panics on bad input; a file that cannot be
/// read gets an entry with its error.
pub fn check_file(path: &Path, rules: &RuleSet, opts: &CheckOptions) -> FileReport {
    match source::read(path, opts.limits.max_file_size) {
        Ok(src) => check_text_limited(src.path, &src.text, src.encoding, rules, &opts.limits),
        Err(e) => FileReport::failed(path.to_path_buf(), file_error(&e)),
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

/// Expand paths: files as given, directories walked recursively (hidden entries
/// skipped), in sorted order so output is deterministic.
pub fn collect_files(paths: &[PathBuf]) -> Vec<Result<PathBuf, (PathBuf, FileError)>> {
    let mut out = Vec::new();
    for p in paths {
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => walk(p, &mut out, &mut Vec::new()),
            Ok(_) => out.push(Ok(p.clone())),
            Err(e) => out.push(Err((
                p.clone(),
                FileError {
                    kind: io_kind(&e),
                    message: format!("cannot read {}: {e}", p.display()),
                },
            ))),
        }
    }
    out
}

/// Deepest directory nesting walked.
const MAX_WALK_DEPTH: usize = 64;

/// Walk `dir`; `ancestors` holds the canonical paths of the directories above it.
///
/// A directory symlink pointing back up the tree would otherwise be walked again at
/// every level (and, with two such links, exponentially often): it is reported once
/// as a `symlink-loop` and not entered.
fn walk(
    dir: &Path,
    out: &mut Vec<Result<PathBuf, (PathBuf, FileError)>>,
    ancestors: &mut Vec<PathBuf>,
) {
    let fail = |kind, message| Err((dir.to_path_buf(), FileError { kind, message }));
    let canonical = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    if ancestors.contains(&canonical) {
        out.push(fail(
            "symlink-loop",
            format!(
                "{} leads back to {}: a symlink loop, not walked again",
                dir.display(),
                canonical.display()
            ),
        ));
        return;
    }
    if ancestors.len() >= MAX_WALK_DEPTH {
        out.push(fail(
            "io",
            format!(
                "{}: directory nesting deeper than {MAX_WALK_DEPTH} levels",
                dir.display()
            ),
        ));
        return;
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            let message = format!("cannot read directory {}: {e}", dir.display());
            out.push(fail(io_kind(&e), message));
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    ancestors.push(canonical);
    for p in paths {
        let hidden = p
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'));
        if hidden {
            continue;
        }
        if p.is_dir() {
            walk(&p, out, ancestors);
        } else {
            out.push(Ok(p));
        }
    }
    ancestors.pop();
}

/// Check every file under `paths`, in parallel, reports in input order.
pub fn check_paths(paths: &[PathBuf], rules: &RuleSet, opts: &CheckOptions) -> Vec<FileReport> {
    let files = collect_files(paths);
    files
        .into_par_iter()
        .map(|f| match f {
            Ok(p) => check_file(&p, rules, opts),
            Err((p, e)) => FileReport::failed(p, e),
        })
        .collect()
}
