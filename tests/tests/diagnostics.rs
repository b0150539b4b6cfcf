//! What a user sees for a broken spec: every file in `tests/fixtures/broken`
//! is refused, and the whole report (each error's message, file, line and
//! column, and JSON pointer) is pinned as a snapshot.

use openapi_codegen::{Config, Error, Problem, generate};
use std::path::Path;

/// The report for one broken spec, as `cargo xtask codegen` prints it.
fn report(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("fixture is readable");
    let mut config = Config::new("broken");
    config.spec_label = format!(
        "tests/fixtures/broken/{}",
        path.file_name().unwrap().to_string_lossy()
    );
    match generate(&config, &text) {
        Ok(_) => panic!("{} generated, but it is broken", path.display()),
        Err(Error::Spec(diagnostics)) => {
            // Only an empty file has no place to point at.
            for d in diagnostics.0.iter().filter(|d| d.problem != Problem::Empty) {
                assert!(
                    d.line_col.is_some(),
                    "{}: every error in a fixture has a line and column; this one has none:\n{d}",
                    path.display()
                );
            }
            diagnostics.to_string()
        }
        Err(other) => panic!("{}: not a spec error: {other}", path.display()),
    }
}

#[test]
fn each_broken_spec_is_reported_where_it_is_broken() {
    insta::glob!("../fixtures/broken", "*.{yaml,json}", |path| {
        insta::assert_snapshot!(report(path));
    });
}
