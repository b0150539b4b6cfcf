//! `openapi-codegen --spec FILE --out DIR`: a typed Rust crate from an
//! OpenAPI document. `--help` says the rest; [`openapi_codegen::cli`] is
//! the code, which `cargo xtask codegen` of the generator's own repository
//! shares.

#![forbid(unsafe_code)]

fn main() -> std::process::ExitCode {
    openapi_codegen::cli::main()
}
