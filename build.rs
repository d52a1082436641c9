//! Embeds the built-in rule packs (`rules/**/*.toml`) in the binary, so
//! `reportlint check FILE` needs no setup.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|x| x == "toml") {
            out.push(p);
        }
    }
}

#[path = "src/fold_table.rs"]
mod fold_table;

/// The fold table as Rust statics (the bounds must match `src/fold.rs`).
fn ts_table(root: &Path) -> String {
    const TABLE_START: u32 = 0x3400;
    const DENSE_END: u32 = 0xA000;
    let data = root.join("data/opencc/TSCharacters.txt");
    println!("cargo:rerun-if-changed={}", data.display());
    let text = fs::read_to_string(&data).expect("read data/opencc/TSCharacters.txt");
    let pairs = fold_table::parse_table(&text);
    let mut dense = vec!['\0'; (DENSE_END - TABLE_START) as usize];
    let mut sparse = Vec::new();
    for (&key, &value) in &pairs {
        let cp = key as u32;
        if (TABLE_START..DENSE_END).contains(&cp) {
            dense[(cp - TABLE_START) as usize] = value;
        } else {
            sparse.push((key, value));
        }
    }
    sparse.sort_unstable();
    let mut code = format!("static TS_DENSE: [char; {}] = [", dense.len());
    for c in &dense {
        let _ = write!(code, "'\\u{{{:x}}}',", *c as u32);
    }
    code.push_str("];\n");
    // One bit per dense code point: set where folding changes it. A const, so
    // fold.rs can lay it into its table of run stops at compile time.
    let mut changes = vec![0u64; dense.len().div_ceil(64)];
    for (i, &c) in dense.iter().enumerate() {
        if c != '\0' && c as u32 != TABLE_START + i as u32 {
            changes[i / 64] |= 1 << (i % 64);
        }
    }
    let _ = write!(code, "const TS_CHANGES: [u64; {}] = [", changes.len());
    for w in &changes {
        let _ = write!(code, "{w:#x},");
    }
    code.push_str("];\n");
    let _ = write!(
        code,
        "static TS_SPARSE: [(char, char); {}] = [",
        sparse.len()
    );
    for (k, v) in &sparse {
        let _ = write!(
            code,
            "('\\u{{{:x}}}', '\\u{{{:x}}}'),",
            *k as u32, *v as u32
        );
    }
    code.push_str("];\n");
    code
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let rules = root.join("rules");
    println!("cargo:rerun-if-changed=rules");
    let mut files = Vec::new();
    collect(&rules, &mut files);
    files.sort();
    let mut code = String::from("/// Built-in rule files: (path under rules/, contents).\npub static EMBEDDED_RULES: &[(&str, &str)] = &[\n");
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let rel = f
            .strip_prefix(&rules)
            .expect("under rules/")
            .to_string_lossy()
            .replace('\\', "/");
        code.push_str(&format!(
            "    ({rel:?}, include_str!({:?})),\n",
            f.display().to_string()
        ));
    }
    code.push_str("];\n");
    let out =
        PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets it")).join("embedded_rules.rs");
    fs::write(out, code).expect("write embedded_rules.rs");
    let ts = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets it")).join("ts_table.rs");
    fs::write(ts, ts_table(&root)).expect("write ts_table.rs");
}
