//! Per-stage costs of `reportlint check`: read, decode, fold, document model,
//! evaluation, findings and human rendering, each timed on its own over a corpus, on one
//! thread, so a regression shows which stage it comes from.
//!
//! `cargo bench --bench stages -- DIR [MAX_FILES]` (benches/bench.sh runs it). It prints
//! one table for the three mission rules and one for the whole built-in pack. Timings
//! are printed, never asserted; for stable numbers on a shared machine, count
//! instructions instead: `valgrind --tool=callgrind target/release/deps/stages-* DIR`.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use reportlint::document::Document;
use reportlint::engine::collect_files;
use reportlint::eval::Ctx;
use reportlint::findings::FileReport;
use reportlint::fold::Folded;
use reportlint::render::human;
use reportlint::rules::{self, RuleSet};
use reportlint::source;

/// The rules the peers implement (fees section, reply rate, publication year).
const MISSION: [&str; 3] = ["ogi/fees-section", "ogi/reply-rate", "ogi/publication-year"];

const STAGES: [&str; 7] = [
    "read", "decode", "fold", "document", "evaluate", "findings", "render",
];

fn main() {
    // `cargo bench` passes `--bench`; everything starting with `-` is cargo's.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let Some(dir) = args.first() else {
        eprintln!("usage: cargo bench --bench stages -- DIR [MAX_FILES]");
        return;
    };
    let max: usize = args
        .get(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(usize::MAX);
    let files: Vec<PathBuf> = collect_files(&[PathBuf::from(dir)])
        .into_iter()
        .filter_map(Result::ok)
        .take(max)
        .collect();

    let t = Instant::now();
    let all = match rules::load(&rules::builtin_sources()) {
        Ok(set) => set,
        Err(e) => {
            eprintln!("the built-in rules do not load: {e}");
            return;
        }
    };
    println!(
        "load the built-in pack ({} rules): {:.2} ms",
        all.rules.len(),
        ms(t.elapsed())
    );
    // The traditional → simplified table is generated at build time (it took 4 M
    // instructions at every start when it was built on first use); a first fold shows
    // that nothing is left to build.
    let t = Instant::now();
    std::hint::black_box(Folded::new("繁體"));
    println!("first fold (table compiled in): {:.2} ms", ms(t.elapsed()));
    let mut mission = all.clone();
    mission.rules.retain(|r| MISSION.contains(&r.id.as_str()));

    for (name, set) in [
        ("mission rules (3)", &mission),
        ("whole built-in pack", &all),
    ] {
        let (totals, bytes) = run(&files, set);
        report(name, &totals, files.len(), bytes);
    }
}

/// Time each stage over every file; returns per-stage totals and bytes read.
fn run(files: &[PathBuf], set: &RuleSet) -> ([Duration; 7], usize) {
    let mut totals = [Duration::ZERO; 7];
    let mut bytes_total = 0;
    let style = human::Style {
        color: false,
        width: 100,
    };
    for path in files {
        let mut lap = Lap::new();
        let Ok(bytes) = std::fs::read(path) else {
            continue;
        };
        bytes_total += bytes.len();
        lap.mark(&mut totals, 0);
        let Ok(src) = source::decode(path, &bytes, source::DEFAULT_MAX_BYTES) else {
            continue;
        };
        lap.mark(&mut totals, 1);
        let folded = Folded::new(&src.text);
        lap.mark(&mut totals, 2);
        let doc = Document::parse(&folded);
        lap.mark(&mut totals, 3);
        let ctx = Ctx::new(&doc, &folded, &src.text);
        let outcomes: Vec<_> = set
            .rules
            .iter()
            .map(|r| (r, ctx.evaluate(r, &set.packs[r.pack], r.pack)))
            .collect();
        lap.mark(&mut totals, 4);
        let report = findings(path, &src.text, src.encoding, outcomes);
        lap.mark(&mut totals, 5);
        std::hint::black_box(human::render_file(&report, style));
        lap.mark(&mut totals, 6);
    }
    (totals, bytes_total)
}

fn findings(
    path: &Path,
    text: &str,
    encoding: &'static str,
    outcomes: Vec<(&rules::Rule, reportlint::eval::Outcome)>,
) -> FileReport {
    FileReport::from_outcomes(path.to_path_buf(), Arc::from(text), encoding, outcomes)
}

/// A stopwatch that charges the time since its last mark to a stage.
struct Lap(Instant);

impl Lap {
    fn new() -> Self {
        Lap(Instant::now())
    }

    fn mark(&mut self, totals: &mut [Duration; 7], stage: usize) {
        let now = Instant::now();
        if let Some(t) = totals.get_mut(stage) {
            *t += now - self.0;
        }
        self.0 = now;
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn report(name: &str, totals: &[Duration; 7], files: usize, bytes: usize) {
    let sum: Duration = totals.iter().sum();
    println!(
        "\n{name}: {files} files, {:.1} MB, one thread: {:.1} ms ({:.1} MB/s)",
        bytes as f64 / 1e6,
        ms(sum),
        bytes as f64 / 1e6 / sum.as_secs_f64().max(1e-9)
    );
    println!(
        "  {:<10} {:>10} {:>12} {:>7}",
        "stage", "total ms", "µs per file", "share"
    );
    for (stage, t) in STAGES.iter().zip(totals) {
        println!(
            "  {:<10} {:>10.1} {:>12.1} {:>6.1}%",
            stage,
            ms(*t),
            t.as_secs_f64() * 1e6 / files.max(1) as f64,
            100.0 * t.as_secs_f64() / sum.as_secs_f64().max(1e-9)
        );
    }
}
