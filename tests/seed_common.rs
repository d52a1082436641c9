// Shared by mission.rs and seeds.rs: not a test of its own.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The seed report in examples/reports/ whose name starts with `prefix` ("002").
pub fn seed(prefix: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/reports");
    std::fs::read_dir(&dir)
        .expect("examples/reports")
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(prefix))
        })
        .unwrap_or_else(|| panic!("no seed {prefix}"))
}

/// Its text (the seeds are UTF-8).
pub fn seed_text(prefix: &str) -> String {
    std::fs::read_to_string(seed(prefix)).expect("seed is UTF-8")
}
