//! Source: bytes → text, with encoding detection and refusal of what is not a report.

use std::path::{Path, PathBuf};

use miette::Diagnostic;
use thiserror::Error;

/// Largest file reportlint reads by default (64 MiB).
pub const DEFAULT_MAX_BYTES: u64 = 64 * 1024 * 1024;

/// A decoded report.
#[derive(Debug, Clone)]
pub struct Source {
    /// Where it was read from (as given on the command line or found in a walk).
    pub path: PathBuf,
    /// The decoded text (a leading BOM removed).
    pub text: String,
    /// Name of the encoding it was decoded from (e.g. "UTF-8", "GB18030", "Big5").
    pub encoding: &'static str,
}

/// Why a file could not be turned into text.
#[derive(Debug, Error, Diagnostic)]
pub enum SourceError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    #[diagnostic(code(reportlint::source::io))]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// The file is empty (or only whitespace).
    #[error("{path} is empty")]
    #[diagnostic(code(reportlint::source::empty))]
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// The file holds NUL bytes: it is binary, not a text report.
    #[error("{path} is a binary file (NUL byte at offset {offset})")]
    #[diagnostic(
        code(reportlint::source::binary),
        help("reportlint reads text reports (.txt, .md); convert binary formats to text first")
    )]
    Binary {
        /// The file.
        path: PathBuf,
        /// Offset of the first NUL byte.
        offset: usize,
    },
    /// The file is larger than the limit.
    #[error("{path} is {size} bytes, over the limit of {limit} bytes")]
    #[diagnostic(
        code(reportlint::source::too_large),
        help("raise the limit with --max-file-size if this really is one report")
    )]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size.
        size: u64,
        /// The limit in force.
        limit: u64,
    },
}

/// Read and decode the file at `path`, refusing files over `max_bytes`.
pub fn read(path: &Path, max_bytes: u64) -> Result<Source, SourceError> {
    let io = |source| SourceError::Io {
        path: path.to_path_buf(),
        source,
    };
    let size = std::fs::metadata(path).map_err(io)?.len();
    if size > max_bytes {
        return Err(SourceError::TooLarge {
            path: path.to_path_buf(),
            size,
            limit: max_bytes,
        });
    }
    let bytes = std::fs::read(path).map_err(io)?;
    decode(path, &bytes, max_bytes)
}

/// Decode `bytes` read from `path`. STUB: UTF-8 only.
pub fn decode(path: &Path, bytes: &[u8], max_bytes: u64) -> Result<Source, SourceError> {
    if bytes.len() as u64 > max_bytes {
        return Err(SourceError::TooLarge {
            path: path.to_path_buf(),
            size: bytes.len() as u64,
            limit: max_bytes,
        });
    }
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        return Err(SourceError::Binary {
            path: path.to_path_buf(),
            offset,
        });
    }
    let text = String::from_utf8_lossy(bytes).into_owned();
    if text.trim().is_empty() {
        return Err(SourceError::Empty {
            path: path.to_path_buf(),
        });
    }
    Ok(Source {
        path: path.to_path_buf(),
        text,
        encoding: "UTF-8",
    })
}
