//! Per-rule evaluation time, for `check --timings`: which rules a pack spends its time
//! in. Off by default; when on, each rule's evaluation is timed on the worker thread
//! that ran it and summed across files.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Nanoseconds and evaluations per rule (by index in the rule set), when enabled.
static TABLE: OnceLock<Vec<(AtomicU64, AtomicU64)>> = OnceLock::new();

/// Start collecting timings for a rule set of `rules` rules. Only the first call in a
/// process takes effect.
pub fn enable(rules: usize) {
    let _ = TABLE.set((0..rules).map(|_| Default::default()).collect());
}

/// Run `f` as the evaluation of rule `index`, timing it when timings are on.
#[inline]
pub fn time<T>(index: usize, f: impl FnOnce() -> T) -> T {
    let Some(table) = TABLE.get() else {
        return f();
    };
    let start = Instant::now();
    let out = f();
    if let Some((ns, n)) = table.get(index) {
        ns.fetch_add(start.elapsed().as_nanos() as u64, Ordering::Relaxed);
        n.fetch_add(1, Ordering::Relaxed);
    }
    out
}

/// Each rule's total evaluation time and number of evaluations, by rule index; empty
/// when timings are off.
pub fn collected() -> Vec<(Duration, u64)> {
    TABLE.get().map_or_else(Vec::new, |t| {
        t.iter()
            .map(|(ns, n)| {
                (
                    Duration::from_nanos(ns.load(Ordering::Relaxed)),
                    n.load(Ordering::Relaxed),
                )
            })
            .collect()
    })
}

/// The table printed after a run: rules by time spent, slowest first, with their share.
pub fn render(ids: &[String], times: &[(Duration, u64)]) -> String {
    let total: Duration = times.iter().map(|t| t.0).sum();
    let mut rows: Vec<(usize, &(Duration, u64))> = times.iter().enumerate().collect();
    rows.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(&b.0)));
    let width = ids.iter().map(|s| s.len()).max().unwrap_or(4).max(4);
    let mut out = format!(
        "{:<width$}  {:>10}  {:>7}  {:>11}\n",
        "rule", "total ms", "share", "µs per file"
    );
    for (i, (d, n)) in rows {
        let ms = d.as_secs_f64() * 1e3;
        let share = if total.is_zero() {
            0.0
        } else {
            100.0 * d.as_secs_f64() / total.as_secs_f64()
        };
        let per = if *n == 0 {
            0.0
        } else {
            d.as_secs_f64() * 1e6 / *n as f64
        };
        let id = ids.get(i).map_or("?", String::as_str);
        out += &format!("{id:<width$}  {ms:>10.1}  {share:>6.1}%  {per:>11.1}\n");
    }
    out += &format!("{:<width$}  {:>10.1}\n", "total", total.as_secs_f64() * 1e3);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_sorts_slowest_first_with_shares() {
        let ids = vec!["a/fast".to_string(), "a/slow".to_string()];
        let times = vec![(Duration::from_millis(1), 2), (Duration::from_millis(3), 2)];
        let t = render(&ids, &times);
        let lines: Vec<&str> = t.lines().collect();
        assert!(lines[1].starts_with("a/slow"), "{t}");
        assert!(lines[1].contains("75.0%"), "{t}");
        assert!(lines[1].contains("1500.0"), "{t}");
        assert!(lines[2].starts_with("a/fast"), "{t}");
        assert!(lines[3].starts_with("total"), "{t}");
    }
}
