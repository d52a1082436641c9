//! Which files a run checks: paths given on the command line, directories walked
//! recursively with the `ignore` crate (ripgrep's walker), so `.gitignore` files (in a
//! git repository or not), a `.reportlintignore` in any folder and `--include` /
//! `--exclude` globs all apply. Hidden files and folders are skipped. The order is
//! sorted by path within each argument, so output is the same on every run.

use std::path::{Path, PathBuf};

use globset::GlobSet;

use crate::findings::FileError;

/// The ignore file read in every walked folder, with `.gitignore` syntax.
pub const IGNORE_FILE: &str = ".reportlintignore";

/// Filters for walked files. Files named explicitly are always checked.
#[derive(Debug, Clone, Default)]
pub struct WalkOptions {
    /// Only files matching one of these (all files when empty).
    pub include: Vec<String>,
    /// Never files or folders matching one of these.
    pub exclude: Vec<String>,
}

/// A file to check, or a path that could not be walked with why.
pub type Entry = Result<PathBuf, (PathBuf, FileError)>;

/// Expand `paths` into the files to check. A glob that does not parse is the only
/// error; unreadable folders become entries so the rest of the batch goes on.
pub fn collect(paths: &[PathBuf], opts: &WalkOptions) -> Result<Vec<Entry>, String> {
    let include = crate::config::glob_set(opts.include.iter().map(String::as_str))?;
    let exclude = crate::config::glob_set(opts.exclude.iter().map(String::as_str))?;
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for p in paths {
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => {
                for e in walk_dir(p, opts, &include, &exclude) {
                    let key = e.as_ref().map_or_else(|(p, _)| p.clone(), Clone::clone);
                    if seen.insert(key) {
                        out.push(e);
                    }
                }
            }
            Ok(_) => {
                if seen.insert(p.clone()) {
                    out.push(Ok(p.clone()));
                }
            }
            Err(e) => out.push(Err((
                p.clone(),
                FileError {
                    kind: io_kind(&e),
                    message: format!("cannot read {}: {e}", p.display()),
                },
            ))),
        }
    }
    Ok(out)
}

/// Whether a path relative to the walk root matches: the whole relative path or its
/// last component (so `drafts` and `*.bak` work at any depth).
fn matches(set: &GlobSet, rel: &Path) -> bool {
    set.is_match(rel) || rel.file_name().is_some_and(|n| set.is_match(n))
}

fn walk_dir(root: &Path, opts: &WalkOptions, include: &GlobSet, exclude: &GlobSet) -> Vec<Entry> {
    let root_owned = root.to_path_buf();
    let exclude_filter = exclude.clone();
    let has_exclude = !opts.exclude.is_empty();
    let walker = ignore::WalkBuilder::new(root)
        .hidden(true)
        .git_ignore(true)
        .git_exclude(true)
        .git_global(false)
        .ignore(false)
        .parents(true)
        // A submissions folder is rarely a git repository; its .gitignore still counts.
        .require_git(false)
        .add_custom_ignore_filename(IGNORE_FILE)
        // Followed, so a dangling link is reported as an unreadable entry rather than
        // silently skipped; the walker detects link loops.
        .follow_links(true)
        .sort_by_file_path(|a, b| a.cmp(b))
        .filter_entry(move |e| {
            !has_exclude
                || e.path().strip_prefix(&root_owned).map_or(true, |rel| {
                    rel.as_os_str().is_empty() || !matches(&exclude_filter, rel)
                })
        })
        .build();
    let mut out = Vec::new();
    for item in walker {
        match item {
            Ok(entry) => {
                let Some(t) = entry.file_type() else { continue };
                if t.is_dir() {
                    continue;
                }
                if !t.is_file() {
                    // A FIFO, socket or device: opening one could block the run forever.
                    let path = entry.into_path();
                    let message = format!("{} is not a regular file", path.display());
                    out.push(Err((
                        path,
                        FileError {
                            kind: "not-a-file",
                            message,
                        },
                    )));
                    continue;
                }
                let path = entry.into_path();
                let rel = path.strip_prefix(root).unwrap_or(&path);
                if opts.include.is_empty() || matches(include, rel) {
                    out.push(Ok(path));
                }
            }
            Err(e) => {
                let path = error_path(&e).unwrap_or_else(|| root.to_path_buf());
                out.push(Err((
                    path,
                    FileError {
                        kind: error_kind(&e),
                        message: format!("cannot walk: {e}"),
                    },
                )));
            }
        }
    }
    out
}

/// The stable kind of a walk error (see `FileError::kind`).
fn error_kind(e: &ignore::Error) -> &'static str {
    match e {
        ignore::Error::Loop { .. } => "symlink-loop",
        ignore::Error::Io(io) => io_kind(io),
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => error_kind(err),
        ignore::Error::Partial(errs) => errs.first().map_or("io", error_kind),
        _ => "io",
    }
}

/// The stable kind of an I/O error: a file deleted or made unreadable mid-run gets its
/// own, everything else is `io`.
fn io_kind(e: &std::io::Error) -> &'static str {
    match e.kind() {
        std::io::ErrorKind::NotFound => "not-found",
        std::io::ErrorKind::PermissionDenied => "permission-denied",
        _ => "io",
    }
}

fn error_path(e: &ignore::Error) -> Option<PathBuf> {
    match e {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Partial(errs) => errs.iter().find_map(error_path),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("tempdir");
        for (name, text) in files {
            let p = dir.path().join(name);
            if let Some(parent) = p.parent() {
                std::fs::create_dir_all(parent).expect("mkdir");
            }
            std::fs::write(p, text).expect("write");
        }
        dir
    }

    fn names(dir: &Path, opts: &WalkOptions) -> Vec<String> {
        collect(&[dir.to_path_buf()], opts)
            .expect("globs are valid")
            .into_iter()
            .filter_map(Result::ok)
            .map(|p| {
                p.strip_prefix(dir)
                    .unwrap_or(&p)
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect()
    }

    #[test]
    fn ignore_files_hidden_files_and_order() {
        let dir = tree(&[
            ("b.txt", "x"),
            ("a/z.txt", "x"),
            ("a/y.txt", "x"),
            (".hidden.txt", "x"),
            ("tmp/draft.txt", "x"),
            ("keep/old.bak", "x"),
            ("keep/new.txt", "x"),
            (".gitignore", "tmp/\n"),
            ("keep/.reportlintignore", "*.bak\n"),
        ]);
        assert_eq!(
            names(dir.path(), &WalkOptions::default()),
            ["a/y.txt", "a/z.txt", "b.txt", "keep/new.txt"]
        );
    }

    #[test]
    fn include_and_exclude_globs() {
        let dir = tree(&[("a/x.txt", "x"), ("a/x.md", "x"), ("drafts/y.txt", "x")]);
        let opts = WalkOptions {
            include: vec!["*.txt".into()],
            exclude: vec!["drafts".into()],
        };
        assert_eq!(names(dir.path(), &opts), ["a/x.txt"]);
        assert!(collect(
            &[dir.path().to_path_buf()],
            &WalkOptions {
                include: vec!["[".into()],
                exclude: vec![]
            }
        )
        .is_err());
    }
}
