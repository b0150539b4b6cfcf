//! What a user sees for a broken spec. With `strict`, every file in
//! `tests/fixtures/broken` is refused, and the whole report (each error's
//! message, file, line and column, and JSON pointer) is pinned as a
//! snapshot. Without it, a spec whose faults each cost only a part (a
//! dangling `$ref`, a name clash, a path template that does not match) still
//! generates, and the skip report says where each part went.

use openapi_codegen::{Config, Error, Problem, generate};
use std::path::Path;

fn config(path: &Path, strict: bool) -> Config {
    let mut config = Config::new("broken");
    config.spec_label = format!(
        "tests/fixtures/broken/{}",
        path.file_name().unwrap().to_string_lossy()
    );
    config.strict = strict;
    config
}

/// The report for one broken spec, as `cargo xtask codegen --strict` prints it.
fn report(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("fixture is readable");
    let config = config(path, true);
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

/// The skip report of a spec generated without `strict`, or the errors of
/// one that cannot be read at all.
fn degraded(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("fixture is readable");
    let config = config(path, false);
    match generate(&config, &text) {
        Ok(generated) => {
            let skipped = &generated.api.skipped;
            assert!(
                !skipped.is_empty(),
                "{}: a broken spec generated without a word",
                path.display()
            );
            for s in skipped {
                assert!(
                    s.line_col.is_some(),
                    "{}: {s} has no position",
                    path.display()
                );
            }
            let operations: Vec<&str> = generated
                .api
                .operations
                .iter()
                .map(|op| op.rust_name.as_str())
                .collect();
            format!(
                "generated; operations: {operations:?}\n{}",
                openapi_codegen::skips::report(&config.spec_label, skipped, true).unwrap()
            )
        }
        Err(Error::Spec(diagnostics)) => format!("refused\n{diagnostics}"),
        Err(other) => panic!("{}: not a spec error: {other}", path.display()),
    }
}

#[test]
fn without_strict_a_broken_part_costs_that_part() {
    insta::glob!("../fixtures/broken", "*.{yaml,json}", |path| {
        insta::assert_snapshot!(degraded(path));
    });
}
