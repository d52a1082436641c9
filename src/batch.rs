//! A whole run, between the command line and the engine: find and merge the
//! configuration, load and select the rules, walk the paths, check the files in
//! parallel (with a progress bar on an interactive stderr), then apply per-file
//! ignores, waivers, the baseline and the per-file finding limit, and count it all.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use miette::Diagnostic;
use thiserror::Error;

use crate::baseline::{self, Baseline, BaselineError};
use crate::config::{self, Config, ConfigError, Effective, Flags, PerFileIgnores};
use crate::engine::{self, CheckOptions};
use crate::findings::{FileReport, Summary};
use crate::rules::{self, RuleIoError, RuleLoadErrors, RuleSet};
use crate::waivers::{self, Stale, WaiverError, Waivers};
use crate::walk::{self, WalkOptions};

/// Why a run could not be done (exit code 2).
#[derive(Debug, Error, Diagnostic)]
#[non_exhaustive]
pub enum BatchError {
    /// The configuration file.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Config(#[from] ConfigError),
    /// A rules folder could not be read.
    #[error(transparent)]
    #[diagnostic(transparent)]
    RuleIo(#[from] RuleIoError),
    /// The rules (or pack parameters) do not load.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Rules(#[from] RuleLoadErrors),
    /// The waiver file.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Waivers(#[from] WaiverError),
    /// The baseline file.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Baseline(#[from] BaselineError),
    /// A glob from the command line.
    #[error("{0}")]
    #[diagnostic(code(reportlint::batch::glob))]
    Glob(String),
    /// A `--config` file that does not exist.
    #[error("no configuration file at {0}")]
    #[diagnostic(code(reportlint::config::missing))]
    MissingConfig(PathBuf),
}

/// Which configuration file to use.
#[derive(Debug, Clone)]
pub enum ConfigChoice {
    /// Look for `reportlint.toml` from this folder upward.
    Discover(PathBuf),
    /// This file (`--config`).
    File(PathBuf),
    /// None (`--isolated`).
    Isolated,
}

/// Everything decided before any report is read.
#[derive(Debug)]
pub struct Setup {
    /// The parsed file (default when none).
    pub config: Config,
    /// The merged configuration.
    pub effective: Effective,
    /// The rules, selected and with severities overridden.
    pub rules: RuleSet,
    per_file: PerFileIgnores,
    waivers: Option<Waivers>,
    baseline: Option<Baseline>,
}

/// Find the configuration, merge the flags, load everything the run needs. Every
/// mistake in a file is reported with its span, before any report is read.
pub fn setup(choice: &ConfigChoice, flags: &Flags) -> Result<Setup, BatchError> {
    let config = match choice {
        ConfigChoice::Isolated => Config::default(),
        ConfigChoice::File(p) if !p.is_file() => return Err(BatchError::MissingConfig(p.clone())),
        ConfigChoice::File(p) => config::load(p)?,
        ConfigChoice::Discover(dir) => match config::discover(dir) {
            Some(p) => config::load(&p)?,
            None => Config::default(),
        },
    };
    let effective = Effective::merge(&config, flags);
    let mut sources = if effective.builtin {
        rules::builtin_sources()
    } else {
        Vec::new()
    };
    for dir in &effective.rules {
        sources.extend(rules::dir_sources(dir)?);
    }
    let mut rules = rules::load_deferred(&sources, &config.param_overrides(), &effective.limits())?;
    config.check_selectors(&rules)?;
    effective.apply(&mut rules);
    let per_file = PerFileIgnores::new(&config).map_err(BatchError::Glob)?;
    let waivers = match &effective.waivers {
        Some(p) => {
            let w = waivers::load(p)?;
            w.check_rules(&rules)?;
            Some(w)
        }
        None => None,
    };
    let baseline = match &effective.baseline {
        Some(p) => Some(baseline::load(p)?),
        None => None,
    };
    Ok(Setup {
        config,
        effective,
        rules,
        per_file,
        waivers,
        baseline,
    })
}

/// What a run produced.
#[derive(Debug)]
pub struct Run {
    /// One report per file, in walk order.
    pub reports: Vec<FileReport>,
    /// The counts (waived, baselined and stale waivers included).
    pub summary: Summary,
    /// Waivers that silenced nothing.
    pub stale: Vec<Stale>,
    /// Findings dropped by `max-findings-per-file`.
    pub truncated: usize,
    /// Wall-clock time.
    pub elapsed: Duration,
}

/// Whether to draw a progress bar: only on an interactive stderr outside CI.
pub fn progress_wanted() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("CI").is_none()
}

/// Files checked per batch: enough to keep every core busy, few enough that a batch's
/// reports (text, findings, rendered output) stay a few MB.
const BATCH: usize = 128;

/// Check `paths` with a prepared setup. `writing_baseline` names the baseline being
/// written (it is then neither applied nor checked as a report).
pub fn run(
    setup: &Setup,
    paths: &[PathBuf],
    progress: bool,
    writing_baseline: Option<&Path>,
) -> Result<Run, BatchError> {
    let mut reports = Vec::new();
    let mut run = run_each(
        setup,
        paths,
        progress,
        writing_baseline,
        &mut |mut batch| reports.append(&mut batch),
    )?;
    run.reports = reports;
    Ok(run)
}

/// Like [`run`], but hands each batch of finished reports (per-file ignores, waivers,
/// baseline and limits applied), in walk order, to `on_batch` instead of keeping them:
/// a caller that prints and drops them keeps memory flat however many files a run has.
/// The returned run has no reports; its summary and stale waivers cover the whole run.
pub fn run_each(
    setup: &Setup,
    paths: &[PathBuf],
    progress: bool,
    writing_baseline: Option<&Path>,
    on_batch: &mut dyn FnMut(Vec<FileReport>),
) -> Result<Run, BatchError> {
    let use_baseline = writing_baseline.is_none();
    let start = Instant::now();
    let walk_opts = WalkOptions {
        include: setup.effective.include.clone(),
        exclude: setup.effective.exclude.clone(),
    };
    let mut entries = walk::collect(paths, &walk_opts).map_err(BatchError::Glob)?;
    // The run's own files (configuration, waivers, baseline) often sit beside the
    // reports; they are not reports.
    let own: Vec<PathBuf> = [
        setup.config.path.as_deref(),
        setup.effective.waivers.as_deref(),
        setup.effective.baseline.as_deref(),
        writing_baseline,
    ]
    .into_iter()
    .flatten()
    .filter_map(|p| p.canonicalize().ok())
    .collect();
    if !own.is_empty() {
        entries.retain(|e| match e {
            Ok(p) => p.canonicalize().map_or(true, |c| !own.contains(&c)),
            Err(_) => true,
        });
    }
    let total = entries.len();
    let opts = CheckOptions {
        limits: setup.effective.limits(),
        split_rules: total < rayon::current_num_threads(),
        encoding: setup.effective.encoding,
    };
    let done = AtomicUsize::new(0);
    let finished = AtomicBool::new(false);
    let mut summary = Summary::default();
    let mut used = setup.waivers.as_ref().map(|w| w.unused());
    let today = waivers::today();
    let mut truncated = 0;
    std::thread::scope(|s| {
        if progress && total > 1 {
            s.spawn(|| draw_progress(&done, &finished, total));
        }
        let mut entries = entries.into_iter();
        loop {
            let batch: Vec<_> = entries.by_ref().take(BATCH).collect();
            if batch.is_empty() {
                break;
            }
            let mut reports = engine::check_entries(batch, &setup.rules, &opts, &|| {
                done.fetch_add(1, Ordering::Relaxed);
            });
            if !setup.per_file.is_empty() {
                for r in &mut reports {
                    let path = r.path.clone();
                    r.findings
                        .retain(|f| !setup.per_file.ignores(&path, &f.rule));
                }
            }
            if let (Some(w), Some(used)) = (&setup.waivers, used.as_mut()) {
                w.apply_counting(&mut reports, &setup.rules, today, used);
            }
            let baselined = match (&setup.baseline, use_baseline) {
                (Some(b), true) => b.apply(&mut reports),
                _ => 0,
            };
            // Each file kept at most `limits.max_findings` findings when it was checked.
            truncated += reports
                .iter()
                .filter_map(|r| r.truncated)
                .map(|t| t.total.saturating_sub(t.limit))
                .sum::<usize>();
            let mut part = Summary::of(&reports);
            part.baselined = baselined;
            summary.add(&part);
            on_batch(reports);
        }
        finished.store(true, Ordering::Relaxed);
    });
    let stale = match (&setup.waivers, &used) {
        (Some(w), Some(used)) => w.stale(used, today),
        _ => Vec::new(),
    };
    summary.stale_waivers = stale.len();
    Ok(Run {
        reports: Vec::new(),
        summary,
        stale,
        truncated,
        elapsed: start.elapsed(),
    })
}

/// A one-line bar redrawn in place; cleared when the run ends.
fn draw_progress(done: &AtomicUsize, finished: &AtomicBool, total: usize) {
    let mut err = std::io::stderr();
    while !finished.load(Ordering::Relaxed) {
        let n = done.load(Ordering::Relaxed).min(total);
        let width = 30;
        let filled = n * width / total.max(1);
        let _ = write!(
            err,
            "\r\x1b[2Kchecking [{}{}] {n}/{total}",
            "=".repeat(filled),
            " ".repeat(width - filled)
        );
        let _ = err.flush();
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = write!(err, "\r\x1b[2K");
    let _ = err.flush();
}

/// Write a baseline of `run`'s findings to `path`.
pub fn write_baseline(run: &Run, path: &Path) -> Result<(), BatchError> {
    // The folder must exist first: file paths in the baseline are relative to it.
    let parent = path.parent().filter(|p| !p.as_os_str().is_empty());
    parent
        .map_or(Ok(()), std::fs::create_dir_all)
        .and_then(|()| {
            let text = baseline::render(&run.reports, path);
            crate::render::output::write_atomic(path, text.as_bytes())
        })
        .map_err(|source| {
            BatchError::Baseline(BaselineError::Io {
                path: path.to_path_buf(),
                source,
            })
        })
}
