//! The DSL parser and static checker on arbitrary text: never a panic, never a
//! stack overflow, whatever a half-written rule holds.
#![no_main]

use libfuzzer_sys::fuzz_target;
use reportlint::dsl::{base_globals, parse_expr, Checker};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(mut expr) = parse_expr(text) {
        let globals = base_globals();
        let mut checker = Checker::new(&globals);
        let _ = checker.check(&mut expr);
        let _ = checker.take_errors();
    }
});
