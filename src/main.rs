//! The `reportlint` binary: a thin shell over the library.

// See Cargo.toml: allocation-heavy evaluation, measured faster than glibc's allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Keep mimalloc's peak memory near glibc's. With its defaults a corpus run peaked at
/// ~70 MB instead of ~21 MB: it asked for transparent huge pages (the `no_thp` feature
/// in Cargo.toml stops that: 29–37 MB) and committed arenas eagerly, and it returns
/// freed memory only after a delay. With both options off, 25 MB, flat from 100 to
/// 2,000 reports, and no slower.
fn tune_allocator() {
    // Option numbers from the vendored mimalloc.h (v3, pinned by Cargo.lock); the crate
    // does not name these two.
    const ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    for (option, value) in [(ARENA_EAGER_COMMIT, 0), (PURGE_DELAY, 0)] {
        // SAFETY: mi_option_set only stores an integer; an out-of-range option is ignored.
        unsafe { libmimalloc_sys::mi_option_set(option, value) };
    }
}

fn main() -> std::process::ExitCode {
    tune_allocator();
    reportlint::cli::run()
}
