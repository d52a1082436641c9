//! The rule-file loader (TOML, then every DSL expression and message template in it)
//! on arbitrary text, as one file of a pack loaded beside the built-in packs, so
//! duplicate ids and `[let]` interplay are exercised too.
#![no_main]

use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use reportlint::rules;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mine = ("fz".to_string(), vec![("fz.toml".to_string(), Arc::from(text))]);
    // Alone, and (for one input in eight, chosen by length so a replay does the
    // same) as a second file of the built-in pack `ogi`: loading the whole pack costs
    // ~100× a small file, and every input paying it kept the run at 3 execs/s.
    let _ = rules::load(std::slice::from_ref(&mine));
    if data.len() % 8 != 0 {
        return;
    }
    let mut builtin = rules::builtin_sources();
    if let Some((_, files)) = builtin.first_mut() {
        files.push(("extra.toml".to_string(), Arc::from(text)));
    }
    let _ = rules::load(&builtin);
});
