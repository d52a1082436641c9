//! The command line: `check`, `baseline`, `config show`, `rules list|check|explain`, `test`, `inspect`.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use rayon::prelude::*;

use crate::batch::{self, ConfigChoice};
use crate::config;
use crate::document::Document;
use crate::findings::FileReport;
use crate::render::{self, human, Format};
use crate::rules::{self, RuleSet, Severity};
use crate::source::{InputEncoding, UnknownEncoding};
use crate::span::LineIndex;

/// Exit code: nothing at or above the failing severity was found.
pub const EXIT_CLEAN: u8 = 0;
/// Exit code: findings (or files that could not be checked).
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code: the run itself could not be done.
pub const EXIT_FAILURE: u8 = 2;

/// reportlint: check reports against compliance rules.
#[derive(Parser, Debug)]
#[command(name = "reportlint", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check reports (files or directories) against the rules.
    Check(CheckArgs),
    /// Write the current findings to a baseline file, so later runs report only new ones.
    Baseline(BaselineArgs),
    /// Work with the configuration (`reportlint.toml`).
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Work with rule packs.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Run the tests written beside the rules (`[[rule.test]]`).
    Test {
        #[command(flatten)]
        rules: RuleArgs,
        /// Also fail when a rule has no failing or no passing example.
        #[arg(long)]
        coverage: bool,
        /// Only rules whose id starts with one of these (comma-separated).
        #[arg(long, value_delimiter = ',')]
        select: Vec<String>,
    },
    /// Show what the rules see in a report: title, year, sections, numbers, dates.
    Inspect {
        /// The report.
        file: PathBuf,
        /// Encoding of the report if it has no BOM: `auto` (detect) or a WHATWG label.
        #[arg(long, value_name = "LABEL", value_parser = parse_encoding, default_value = "auto")]
        encoding: InputEncoding,
        /// Output format.
        #[arg(long, value_enum, default_value_t = InspectFormat::Tree)]
        format: InspectFormat,
    },
}

#[derive(clap::Args, Debug)]
struct RuleArgs {
    /// Add the rule packs in this folder (repeatable).
    #[arg(long = "rules", value_name = "DIR")]
    rules: Vec<PathBuf>,
    /// Do not load the built-in packs.
    #[arg(long)]
    no_builtin: bool,
}

/// What every run shares: paths, configuration, rule selection, walk filters.
#[derive(clap::Args, Debug)]
struct RunArgs {
    /// Files or directories to check.
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
    #[command(flatten)]
    rules: RuleArgs,
    /// Use this configuration file instead of looking for `reportlint.toml`.
    #[arg(long, value_name = "FILE", conflicts_with = "isolated")]
    config: Option<PathBuf>,
    /// Ignore every configuration file.
    #[arg(long)]
    isolated: bool,
    /// Only these rules (comma-separated id prefixes, e.g. `ogi/fees-section,ogi/reply`).
    #[arg(long, value_delimiter = ',')]
    select: Vec<String>,
    /// Skip these rules (comma-separated id prefixes).
    #[arg(long, value_delimiter = ',')]
    ignore: Vec<String>,
    /// Lowest severity that makes the exit code 1 [default: info].
    #[arg(long, value_enum)]
    fail_on: Option<FailOn>,
    /// Only walk files matching these globs (comma-separated; e.g. `*.txt`).
    #[arg(long, value_delimiter = ',')]
    include: Vec<String>,
    /// Never walk files or folders matching these globs (comma-separated).
    #[arg(long, value_delimiter = ',')]
    exclude: Vec<String>,
    /// Apply the waivers in this file.
    #[arg(long, value_name = "FILE")]
    waivers: Option<PathBuf>,
    /// Largest file to read, in bytes (larger files get a `too-large` error) [default: 64 MiB].
    #[arg(long, value_name = "BYTES")]
    max_file_size: Option<u64>,
    /// Most findings kept per file (the rest are counted in the file's `truncated`)
    /// [default: 1000].
    #[arg(long, value_name = "N")]
    max_findings: Option<usize>,
    /// Deepest nesting of a rule expression [default: 64].
    #[arg(long, value_name = "LEVELS")]
    max_expr_depth: Option<usize>,
    /// Largest regex in a rule, in bytes (pattern or compiled form) [default: 1 MiB].
    #[arg(long, value_name = "BYTES")]
    max_regex_size: Option<usize>,
    /// Encoding of text and HTML reports without a BOM: `auto` (detect) or a WHATWG
    /// label such as gb18030, gbk, big5, utf-8 (over `[input] encoding`) [default: auto].
    #[arg(long, value_name = "LABEL", value_parser = parse_encoding)]
    encoding: Option<InputEncoding>,
    /// Worker threads (default: one per core). The output is the same for any number.
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
}

#[derive(clap::Args, Debug)]
struct CheckArgs {
    #[command(flatten)]
    run: RunArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Report only findings that are not in this baseline file.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// List waived findings too (after the output; in JSON, in each file's `waived`).
    #[arg(long)]
    show_waived: bool,
    /// Do not print the summary line.
    #[arg(long, short)]
    quiet: bool,
    /// Write the output to this file (atomically) instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// After the output, print per-rule and per-file counts (on stderr when the output
    /// is machine-readable or goes to a file).
    #[arg(long)]
    statistics: bool,
    /// After the output, print on stderr how long each rule's evaluation took in all,
    /// slowest first (for rule authors: which rules a pack spends its time in).
    #[arg(long)]
    timings: bool,
    /// Language of the HTML report's own labels (`--format html`).
    #[arg(long, value_enum, default_value_t = render::html::Lang::Zh)]
    lang: render::html::Lang,
}

#[derive(clap::Args, Debug)]
struct BaselineArgs {
    #[command(flatten)]
    run: RunArgs,
    /// The baseline file to write.
    #[arg(long, short, value_name = "FILE")]
    output: PathBuf,
}

#[derive(Subcommand, Debug)]
enum ConfigCommand {
    /// Print the effective configuration: the file found, merged with the flags.
    Show {
        #[command(flatten)]
        run: RunArgs,
        /// The baseline a check would use.
        #[arg(long, value_name = "FILE")]
        baseline: Option<PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FailOn {
    Error,
    Warning,
    Info,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum InspectFormat {
    Tree,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ListFormat {
    Text,
    Markdown,
    Json,
}

#[derive(Subcommand, Debug)]
enum RulesCommand {
    /// List the rules: id, severity, title, regime.
    List {
        #[command(flatten)]
        rules: RuleArgs,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Validate rule packs without reading any report.
    Check {
        /// Folders of packs to validate (the built-in packs when none is given).
        dirs: Vec<PathBuf>,
    },
    /// Show everything about one rule.
    Explain {
        /// The rule id (`ogi/fees-section`).
        id: String,
        #[command(flatten)]
        rules: RuleArgs,
    },
}

/// `--encoding` as clap shows it: the label, then what would have been accepted.
#[derive(Debug, thiserror::Error)]
#[error("{0}\n\n  help: {help}", help = .0.help())]
struct EncodingArgError(UnknownEncoding);

fn parse_encoding(label: &str) -> Result<InputEncoding, EncodingArgError> {
    InputEncoding::parse(label).map_err(EncodingArgError)
}

fn load_rules(args: &RuleArgs) -> Result<RuleSet, miette::Report> {
    load_rules_with(args, &crate::limits::Limits::default())
}

fn load_rules_with(
    args: &RuleArgs,
    limits: &crate::limits::Limits,
) -> Result<RuleSet, miette::Report> {
    let mut sources = if args.no_builtin {
        Vec::new()
    } else {
        rules::builtin_sources()
    };
    for dir in &args.rules {
        sources.extend(rules::dir_sources(dir)?);
    }
    Ok(rules::load_with(&sources, &[], limits)?)
}

fn matches_prefix(id: &str, prefixes: &[String]) -> bool {
    prefixes.iter().any(|p| {
        let p = p.trim();
        !p.is_empty() && (id == p || id.starts_with(p))
    })
}

/// Run the command line; returns the exit code.
pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                EXIT_FAILURE
            } else {
                EXIT_CLEAN
            });
        }
    };
    match execute(cli) {
        Ok(code) => ExitCode::from(code),
        Err(report) => {
            eprintln!("{report:?}");
            ExitCode::from(EXIT_FAILURE)
        }
    }
}

fn color_wanted() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

fn execute(cli: Cli) -> Result<u8, miette::Report> {
    match cli.command {
        Command::Check(args) => check(args),
        Command::Baseline(args) => {
            let setup = batch_setup(&args.run, None)?;
            let run = batch::run(
                &setup,
                &args.run.paths,
                batch::progress_wanted(),
                Some(&args.output),
            )?;
            batch::write_baseline(&run, &args.output)?;
            eprintln!(
                "wrote {} finding(s) from {} file(s) to {}",
                run.summary.findings(),
                run.summary.files,
                args.output.display()
            );
            Ok(EXIT_CLEAN)
        }
        Command::Config(ConfigCommand::Show { run, baseline }) => {
            let setup = batch_setup(&run, baseline)?;
            print!("{}", setup.effective.to_toml());
            Ok(EXIT_CLEAN)
        }
        Command::Rules(RulesCommand::List { rules, format }) => {
            let set = load_rules(&rules)?;
            print!("{}", list_rules(&set, format));
            Ok(EXIT_CLEAN)
        }
        Command::Rules(RulesCommand::Check { dirs }) => {
            let mut sources = Vec::new();
            if dirs.is_empty() {
                sources = rules::builtin_sources();
            }
            for d in &dirs {
                sources.extend(rules::dir_sources(d)?);
            }
            let set = rules::load(&sources)?;
            println!(
                "{} rule(s) in {} pack(s): no errors",
                set.rules.len(),
                set.packs.len()
            );
            Ok(EXIT_CLEAN)
        }
        Command::Rules(RulesCommand::Explain { id, rules }) => {
            let set = load_rules(&rules)?;
            match set.rules.iter().find(|r| r.id == id) {
                Some(r) => {
                    print!("{}", explain(r));
                    Ok(EXIT_CLEAN)
                }
                None => Err(miette::miette!(
                    help = "`reportlint rules list` shows every rule id",
                    "no rule `{id}`"
                )),
            }
        }
        Command::Test {
            rules,
            coverage,
            select,
        } => {
            let rules = with_config_rules(rules)?;
            let mut set = load_rules(&rules)?;
            if !select.is_empty() {
                set.rules.retain(|r| matches_prefix(&r.id, &select));
            }
            let results = crate::ruletest::run_tests(&set);
            let gaps = if coverage {
                crate::ruletest::coverage_gaps(&set)
            } else {
                Vec::new()
            };
            print!("{}", crate::ruletest::render(&results, &gaps, &[]));
            let failed = results.iter().any(|r| r.failure.is_some()) || !gaps.is_empty();
            Ok(if failed { EXIT_FINDINGS } else { EXIT_CLEAN })
        }
        Command::Inspect {
            file,
            format,
            encoding,
        } => {
            let src = crate::input::read_as(&file, crate::source::DEFAULT_MAX_BYTES, encoding)?;
            let folded = src.fold();
            let doc = Document::parse_with_headings(&folded, &src.heading_lines);
            print!("{}", inspect(&src.source, &doc, format));
            Ok(EXIT_CLEAN)
        }
    }
}

/// `test` in a rule repository: the packs named by `rules` in a discovered
/// `reportlint.toml` are tested too (pack parameters are not applied: the examples are
/// written against the pack as authored).
fn with_config_rules(mut args: RuleArgs) -> Result<RuleArgs, miette::Report> {
    let cwd = std::env::current_dir()
        .map_err(|e| miette::miette!("cannot read the working directory: {e}"))?;
    if let Some(path) = config::discover(&cwd) {
        let cfg = config::load(&path)?;
        let mut dirs: Vec<PathBuf> = cfg.rules.into_iter().map(|r| r.value).collect();
        dirs.append(&mut args.rules);
        args.rules = dirs;
        args.no_builtin |= cfg.builtin == Some(false);
    }
    Ok(args)
}

fn batch_setup(run: &RunArgs, baseline: Option<PathBuf>) -> Result<batch::Setup, miette::Report> {
    let choice = if run.isolated {
        ConfigChoice::Isolated
    } else if let Some(c) = &run.config {
        ConfigChoice::File(c.clone())
    } else {
        let cwd = std::env::current_dir()
            .map_err(|e| miette::miette!("cannot read the working directory: {e}"))?;
        ConfigChoice::Discover(cwd)
    };
    let flags = config::Flags {
        rules: run.rules.rules.clone(),
        no_builtin: run.rules.no_builtin,
        select: run.select.clone(),
        ignore: run.ignore.clone(),
        fail_on: run.fail_on.map(|f| match f {
            FailOn::Error => Severity::Error,
            FailOn::Warning => Severity::Warning,
            FailOn::Info => Severity::Info,
        }),
        include: run.include.clone(),
        exclude: run.exclude.clone(),
        waivers: run.waivers.clone(),
        baseline,
        max_file_size: run.max_file_size,
        max_findings: run.max_findings,
        max_expr_depth: run.max_expr_depth,
        max_regex_size: run.max_regex_size,
        encoding: run.encoding,
    };
    Ok(batch::setup(&choice, &flags)?)
}

fn check(args: CheckArgs) -> Result<u8, miette::Report> {
    if let Some(n) = args.run.threads {
        // Once per process, before any parallel work; the output does not depend on it.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global();
    }
    let setup = batch_setup(&args.run, args.baseline.clone())?;
    let set = &setup.rules;
    if args.timings {
        crate::timings::enable(set.rules.len());
    }
    let code = check_with(&args, &setup)?;
    if args.timings {
        let ids: Vec<String> = set.rules.iter().map(|r| r.id.clone()).collect();
        eprint!(
            "{}",
            crate::timings::render(&ids, &crate::timings::collected())
        );
    }
    Ok(code)
}

fn check_with(args: &CheckArgs, setup: &batch::Setup) -> Result<u8, miette::Report> {
    let set = &setup.rules;
    let progress = !args.quiet && batch::progress_wanted();
    if args.output.is_none()
        && !args.statistics
        && matches!(
            args.format,
            Format::Human | Format::Concise | Format::Json | Format::Csv | Format::Github
        )
    {
        return check_streaming(args, setup, progress);
    }
    let mut run = batch::run(setup, &args.run.paths, progress, None)?;
    if !args.show_waived {
        // Counted in the summary already; listed only on request.
        for r in &mut run.reports {
            r.waived.clear();
        }
    }
    let reports = &run.reports;
    let summary = &run.summary;
    let out = match args.format {
        Format::Json => render::json::render_timed(reports, summary, Some(run.elapsed)) + "\n",
        Format::Sarif => render::sarif::render(reports, &set.rules) + "\n",
        Format::Github => render::github::render(reports),
        Format::Csv => render::csv::render(reports),
        Format::Junit => render::junit::render(reports, &set.rules),
        Format::Html => render::html::render(reports, &set.rules, args.lang),
        Format::Concise => human::render_concise(reports) + &waived_list(reports),
        Format::Human => {
            let style = human::Style {
                color: args.output.is_none() && color_wanted(),
                width: 100,
            };
            // Files render independently; rayon's collect keeps their order.
            reports
                .par_iter()
                .map(|r| human::render_file(r, style))
                .collect::<Vec<String>>()
                .concat()
                + &waived_list(reports)
        }
    };
    let stats = args.statistics.then(|| render::statistics::render(reports));
    let stats_to_stdout = args.output.is_none() && !args.format.is_machine();
    match &args.output {
        Some(path) => render::output::write_atomic(path, out.as_bytes())
            .map_err(|e| miette::miette!("cannot write the output to {}: {e}", path.display()))?,
        None => {
            let mut stdout = std::io::stdout().lock();
            let _ = stdout.write_all(out.as_bytes());
            if let (Some(s), true) = (&stats, stats_to_stdout) {
                let _ = stdout.write_all(format!("\n{s}").as_bytes());
            }
            let _ = stdout.flush();
        }
    }
    if let (Some(s), false) = (&stats, stats_to_stdout) {
        eprint!("{s}");
    }
    run_epilogue(args, &run);
    let threshold = setup.effective.fail_on;
    let failing = reports.iter().any(|r| is_failing(r, threshold));
    Ok(if failing { EXIT_FINDINGS } else { EXIT_CLEAN })
}

/// Whether a file's report makes the exit code 1.
fn is_failing(r: &FileReport, threshold: Severity) -> bool {
    r.error.is_some() || r.findings.iter().any(|f| f.severity >= threshold)
}

/// What a run says on stderr after its output: stale waivers, findings left out by
/// limits, and the one-line summary.
fn run_epilogue(args: &CheckArgs, run: &batch::Run) {
    for s in &run.stale {
        eprintln!("warning: {s}");
    }
    if run.truncated > 0 {
        eprintln!(
            "warning: {} finding(s) left out by limits.max-findings-per-file",
            run.truncated
        );
    }
    if !args.quiet && args.format != Format::Json {
        eprintln!("{}", human::render_summary(&run.summary, run.elapsed));
    }
}

/// Human, concise, JSON, CSV and GitHub output to stdout, printed batch by batch as files are
/// checked: each file's text and findings are dropped once printed, so memory stays
/// flat however many files a run has, and output starts before the last file is read.
/// The bytes are those of rendering the whole run at once (`--output` does that;
/// tests/streaming.rs compares them).
fn check_streaming(
    args: &CheckArgs,
    setup: &batch::Setup,
    progress: bool,
) -> Result<u8, miette::Report> {
    let threshold = setup.effective.fail_on;
    let style = human::Style {
        color: color_wanted(),
        width: 100,
    };
    let mut stdout = std::io::stdout().lock();
    let mut json = render::json::Stream::default();
    let mut failing = false;
    let mut waived = String::new();
    match args.format {
        Format::Json => {
            let _ = stdout.write_all(render::json::Stream::start().as_bytes());
        }
        Format::Csv => {
            let _ = stdout.write_all(format!("{}\r\n", render::csv::HEADER).as_bytes());
        }
        _ => {}
    }
    let run = batch::run_each(
        setup,
        &args.run.paths,
        progress,
        None,
        &mut |mut reports| {
            if !args.show_waived {
                for r in &mut reports {
                    r.waived.clear();
                }
            }
            failing |= reports.iter().any(|r| is_failing(r, threshold));
            let out = match args.format {
                Format::Json => {
                    let entries: Vec<String> = reports
                        .par_iter()
                        .map(render::json::Stream::entry)
                        .collect();
                    entries
                        .into_iter()
                        .map(|e| format!("{}{e}", json.separator()))
                        .collect::<String>()
                }
                Format::Concise => human::render_concise(&reports),
                Format::Csv => render::csv::rows(&reports),
                Format::Github => render::github::render(&reports),
                _ => reports
                    .par_iter()
                    .map(|r| human::render_file(r, style))
                    .collect::<Vec<String>>()
                    .concat(),
            };
            // Only the formats for people list waived findings (as rendering at once does).
            if matches!(args.format, Format::Human | Format::Concise) {
                waived += &waived_list(&reports);
            }
            let _ = stdout.write_all(out.as_bytes());
        },
    )?;
    let tail = match args.format {
        Format::Json => json.finish(&run.summary, Some(run.elapsed)) + "\n",
        _ => waived,
    };
    let _ = stdout.write_all(tail.as_bytes());
    let _ = stdout.flush();
    drop(stdout);
    run_epilogue(args, &run);
    Ok(if failing { EXIT_FINDINGS } else { EXIT_CLEAN })
}

/// Waived findings, one line each, for people (empty when none are listed).
fn waived_list(reports: &[crate::findings::FileReport]) -> String {
    let mut out = String::new();
    for r in reports {
        for w in &r.waived {
            let (line, col) = w
                .finding
                .labels
                .first()
                .map(|l| (l.line, l.column))
                .unwrap_or((1, 1));
            out += &format!(
                "waived: {}:{line}:{col}: {} [{}] {} — {} ({})\n",
                r.path.display(),
                w.finding.rule,
                w.finding.severity,
                w.finding.message,
                w.reason,
                w.waiver
            );
        }
    }
    out
}

fn list_rules(set: &RuleSet, format: ListFormat) -> String {
    let mut out = String::new();
    match format {
        ListFormat::Text => {
            for r in &set.rules {
                out += &format!(
                    "{:<32} {:<8} {:<8} {}\n",
                    r.id,
                    r.severity,
                    r.regime.as_deref().unwrap_or("all"),
                    r.title
                );
            }
        }
        ListFormat::Markdown => {
            out += "| id | severity | regime | title | reference |\n|---|---|---|---|---|\n";
            for r in &set.rules {
                out += &format!(
                    "| `{}` | {} | {} | {} | {} |\n",
                    r.id,
                    r.severity,
                    r.regime.as_deref().unwrap_or("all"),
                    r.title,
                    r.reference.as_deref().unwrap_or("")
                );
            }
        }
        ListFormat::Json => {
            let rows: Vec<_> = set
                .rules
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "id": r.id, "severity": r.severity, "title": r.title,
                        "regime": r.regime, "reference": r.reference, "help": r.help,
                    })
                })
                .collect();
            out = serde_json::to_string_pretty(&rows).unwrap_or_default() + "\n";
        }
    }
    out
}

fn explain(r: &rules::Rule) -> String {
    let mut out = format!("{} [{}] — {}\n\n", r.id, r.severity, r.title);
    out += &format!("message:   {}\n", r.message_text);
    if let Some(x) = &r.regime {
        out += &format!("regime:    {x}\n");
    }
    if let Some(h) = &r.help {
        out += &format!("help:      {h}\n");
    }
    if let Some(x) = &r.reference {
        out += &format!("reference: {x}\n");
    }
    out += &format!("defined in {}\n", r.file.name);
    if let Some(w) = &r.when {
        out += &format!("\nwhen:\n    {}\n", w.text.trim().replace('\n', "\n    "));
    }
    out += &format!(
        "\ncheck:\n    {}\n",
        r.check.text.trim().replace('\n', "\n    ")
    );
    if !r.tests.is_empty() {
        out += &format!("\n{} test(s):\n", r.tests.len());
        for t in &r.tests {
            let first = t
                .report
                .lines()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("");
            out += &format!(
                "  - expect {}: {}\n",
                t.expect.as_str(),
                first.chars().take(60).collect::<String>()
            );
        }
    }
    out
}

fn inspect(text: &str, doc: &Document, format: InspectFormat) -> String {
    let lines = LineIndex::new(text);
    let at = |s: crate::span::Span| {
        let (l, c) = lines.line_col(text, s.start);
        format!("{l}:{c}")
    };
    match format {
        InspectFormat::Json => {
            let sections: Vec<_> = doc
                .sections
                .iter()
                .skip(1)
                .map(|s| {
                    let h = s.heading.as_ref();
                    serde_json::json!({
                        "title": h.map(|h| h.title.text.clone()),
                        "number": h.and_then(|h| h.numbering.as_ref()).map(|n| n.value),
                        "level": s.level,
                        "at": at(s.at.span),
                    })
                })
                .collect();
            let v = serde_json::json!({
                "title": doc.title.as_ref().map(|t| t.text.clone()),
                "year": doc.year.as_ref().map(|y| y.value),
                "published": doc.published.as_ref().map(|d| format!("{:04}-{:02}-{:02}", d.year, d.month, d.day)),
                "sections": sections,
                "numbers": doc.numbers.iter().map(|n| serde_json::json!({"value": n.value, "text": n.at.text, "at": at(n.at.span), "unit": n.unit})).collect::<Vec<_>>(),
                "dates": doc.dates.iter().map(|d| serde_json::json!({"date": format!("{:04}-{:02}-{:02}", d.year, d.month, d.day), "at": at(d.at.span)})).collect::<Vec<_>>(),
                "tables": doc.tables.iter().map(|t| serde_json::json!({
                    "caption": t.caption.as_ref().map(|c| c.text.clone()),
                    "at": at(t.at.span),
                    "uncertain": t.uncertain,
                    "columns": t.columns.iter().map(|c| c.label.clone()).collect::<Vec<_>>(),
                    "rows": t.rows.iter().map(|r| serde_json::json!({
                        "label": r.label,
                        "at": at(r.at.span),
                        "cells": r.cells.iter().map(|c| c.value).collect::<Vec<_>>(),
                    })).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            });
            serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
        }
        InspectFormat::Tree => {
            let mut out = String::new();
            out += &format!(
                "title:     {}\n",
                doc.title.as_ref().map(|t| &*t.text).unwrap_or("—")
            );
            out += &format!(
                "year:      {}\n",
                doc.year
                    .as_ref()
                    .map(|y| format!("{} ({})", y.value, at(y.at.span)))
                    .unwrap_or("—".into())
            );
            out += &format!(
                "published: {}\n",
                doc.published
                    .as_ref()
                    .map(|d| format!(
                        "{:04}-{:02}-{:02} ({})",
                        d.year,
                        d.month,
                        d.day,
                        at(d.at.span)
                    ))
                    .unwrap_or("—".into())
            );
            out += "sections:\n";
            fn tree(
                doc: &Document,
                i: usize,
                depth: usize,
                out: &mut String,
                at: &dyn Fn(crate::span::Span) -> String,
            ) {
                for &c in &doc.sections[i].children {
                    let s = &doc.sections[c];
                    if let Some(h) = &s.heading {
                        let num = h
                            .numbering
                            .as_ref()
                            .map(|n| format!("[{}] ", n.value))
                            .unwrap_or_default();
                        *out += &format!(
                            "{}{}{} ({})\n",
                            "  ".repeat(depth + 1),
                            num,
                            h.title.text,
                            at(s.at.span)
                        );
                    }
                    tree(doc, c, depth + 1, out, at);
                }
            }
            tree(doc, 0, 0, &mut out, &at);
            out += &format!("numbers:   {}\n", doc.numbers.len());
            for n in &doc.numbers {
                out += &format!("  {} {}\n", at(n.at.span), n.at.text);
            }
            out += &format!("dates:     {}\n", doc.dates.len());
            for d in &doc.dates {
                out += &format!("  {} {}\n", at(d.at.span), d.at.text);
            }
            out += &format!("tables:    {}\n", doc.tables.len());
            for t in &doc.tables {
                out += &format!(
                    "  {} {} ({} rows × {} columns{})\n",
                    at(t.at.span),
                    t.caption.as_ref().map_or("—", |c| &*c.text),
                    t.rows.len(),
                    t.columns.len(),
                    if t.uncertain { ", uncertain" } else { "" }
                );
                for c in &t.columns {
                    out += &format!(
                        "    column {}\n",
                        if c.label.is_empty() { "—" } else { &c.label }
                    );
                }
                for r in &t.rows {
                    let cells: Vec<String> = r
                        .cells
                        .iter()
                        .map(|c| {
                            if c.at.text.is_empty() {
                                "·".to_string()
                            } else {
                                c.at.text.to_string()
                            }
                        })
                        .collect();
                    out += &format!(
                        "    row {} {}: {}\n",
                        at(r.at.span),
                        if r.label.is_empty() { "—" } else { &r.label },
                        cells.join(" ")
                    );
                }
            }
            out
        }
    }
}
