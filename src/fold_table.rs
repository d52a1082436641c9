//! Reading OpenCC's traditional → simplified character table. Shared by `build.rs`,
//! which turns it into static arrays compiled into the binary (building it at run
//! time cost 4 M instructions at every start), and by the fold tests, which check the
//! generated table against it.

use std::collections::HashMap;

/// Parse OpenCC's `key<TAB>candidate candidate…` lines into one-char → one-char pairs.
///
/// Comments, multi-character keys or first candidates, and identity entries are
/// skipped. A first candidate that is itself a key is followed (薴 → 苧 → 苎) so
/// that folding is idempotent: rule text folded once matches report text folded once.
pub fn parse_table(data: &str) -> HashMap<char, char> {
    let mut first: HashMap<char, char> = HashMap::with_capacity(4096);
    for line in data.lines() {
        if line.starts_with('#') {
            continue;
        }
        let Some((key, candidates)) = line.split_once('\t') else {
            continue;
        };
        let (Some(key), Some(value)) = (single_char(key), candidates.split(' ').next()) else {
            continue;
        };
        if let Some(value) = single_char(value) {
            if value != key {
                first.insert(key, value);
            }
        }
    }
    let mut resolved = HashMap::with_capacity(first.len());
    for (&key, &value) in &first {
        let mut end = value;
        // Bounded so a cycle in the data cannot hang the build of the table.
        for _ in 0..8 {
            match first.get(&end) {
                Some(&next) if next != key => end = next,
                _ => break,
            }
        }
        resolved.insert(key, end);
    }
    resolved
}

fn single_char(s: &str) -> Option<char> {
    let mut chars = s.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => Some(c),
        _ => None,
    }
}
