//! The command line: `check`, `rules list|check|explain`, `inspect`.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};

use crate::document::Document;
use crate::engine::{self, CheckOptions};
use crate::findings::Summary;
use crate::fold::Folded;
use crate::limits::Limits;
use crate::render::{self, human, Format};
use crate::rules::{self, RuleSet, Severity};
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

#[derive(clap::Args, Debug)]
struct CheckArgs {
    /// Files or directories to check.
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
    #[command(flatten)]
    rules: RuleArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Only these rules (comma-separated id prefixes, e.g. `ogi/fees-section,ogi/reply`).
    #[arg(long, value_delimiter = ',')]
    select: Vec<String>,
    /// Skip these rules (comma-separated id prefixes).
    #[arg(long, value_delimiter = ',')]
    ignore: Vec<String>,
    /// Lowest severity that makes the exit code 1.
    #[arg(long, value_enum, default_value_t = FailOn::Info)]
    fail_on: FailOn,
    /// Largest file to read, in bytes (larger files get a `too-large` error).
    #[arg(long, value_name = "BYTES", default_value_t = crate::limits::DEFAULT_MAX_FILE_SIZE)]
    max_file_size: u64,
    /// Most findings kept per file (the rest are counted in the file's `truncated`).
    #[arg(long, value_name = "N", default_value_t = crate::limits::DEFAULT_MAX_FINDINGS)]
    max_findings: usize,
    /// Deepest nesting of a rule expression.
    #[arg(long, value_name = "LEVELS", default_value_t = crate::limits::DEFAULT_MAX_EXPR_DEPTH)]
    max_expr_depth: usize,
    /// Largest regex in a rule, in bytes (pattern or compiled form).
    #[arg(long, value_name = "BYTES", default_value_t = crate::limits::DEFAULT_MAX_REGEX_SIZE)]
    max_regex_size: usize,
    /// Worker threads (default: one per core). The output is the same for any number.
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
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

fn load_rules(args: &RuleArgs) -> Result<RuleSet, miette::Report> {
    load_rules_with(args, &Limits::default())
}

fn load_rules_with(args: &RuleArgs, limits: &Limits) -> Result<RuleSet, miette::Report> {
    let mut sources = if args.no_builtin {
        Vec::new()
    } else {
        rules::builtin_sources()
    };
    for dir in &args.rules {
        sources.extend(rules::dir_sources(dir)?);
    }
    Ok(rules::load_with(&sources, limits)?)
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
        Command::Inspect { file, format } => {
            let src = crate::source::read(&file, crate::source::DEFAULT_MAX_BYTES)?;
            let folded = Folded::new(&src.text);
            let doc = Document::parse(&folded);
            print!("{}", inspect(&src.text, &doc, format));
            Ok(EXIT_CLEAN)
        }
    }
}

fn check(args: CheckArgs) -> Result<u8, miette::Report> {
    let start = Instant::now();
    let limits = Limits {
        max_file_size: args.max_file_size,
        max_expr_depth: args.max_expr_depth,
        max_regex_size: args.max_regex_size,
        max_findings: args.max_findings,
    };
    let mut set = load_rules_with(&args.rules, &limits)?;
    if !args.select.is_empty() {
        set.rules.retain(|r| matches_prefix(&r.id, &args.select));
    }
    if !args.ignore.is_empty() {
        set.rules.retain(|r| !matches_prefix(&r.id, &args.ignore));
    }
    let opts = CheckOptions { limits };
    let reports = match args.threads {
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .map_err(|e| miette::miette!("cannot start {n} worker thread(s): {e}"))?
            .install(|| engine::check_paths(&args.paths, &set, &opts)),
        None => engine::check_paths(&args.paths, &set, &opts),
    };
    let summary = Summary::of(&reports);
    let out = match args.format {
        Format::Json => {
            render::json::render_timed(&reports, &summary, Some(start.elapsed())) + "\n"
        }
        Format::Sarif => render::sarif::render(&reports, &set.rules) + "\n",
        Format::Github => render::github::render(&reports),
        Format::Csv => render::csv::render(&reports),
        Format::Junit => render::junit::render(&reports, &set.rules),
        Format::Concise => human::render_concise(&reports),
        Format::Human => {
            let style = human::Style {
                color: args.output.is_none() && color_wanted(),
                width: 100,
            };
            reports
                .iter()
                .map(|r| human::render_file(r, style))
                .collect::<String>()
        }
    };
    let stats = args
        .statistics
        .then(|| render::statistics::render(&reports));
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
    if !args.quiet && args.format != Format::Json {
        eprintln!("{}", human::render_summary(&summary, start.elapsed()));
    }
    let threshold = match args.fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
        FailOn::Info => Severity::Info,
    };
    let failing = reports
        .iter()
        .any(|r| r.error.is_some() || r.findings.iter().any(|f| f.severity >= threshold));
    Ok(if failing { EXIT_FINDINGS } else { EXIT_CLEAN })
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
                "  - expect {:?}: {}\n",
                t.expect,
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
            });
            serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
        }
        InspectFormat::Tree => {
            let mut out = String::new();
            out += &format!(
                "title:     {}\n",
                doc.title.as_ref().map(|t| t.text.as_str()).unwrap_or("—")
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
            out
        }
    }
}
