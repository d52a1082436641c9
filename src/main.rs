//! The `reportlint` binary: a thin shell over the library.

fn main() -> std::process::ExitCode {
    reportlint::cli::run()
}
