//! Snapshots of what the generator emits: the code for each fixture spec,
//! and the IR of the payments spec. A change to the output shows up here as
//! a reviewable diff (`cargo insta review`).

use openapi_codegen::{Config, generate, lower_text};
use std::path::Path;

fn workspace_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ is in the workspace")
}

/// The generator's skip report, then every file of the crate generated from
/// `path`, one after another.
fn emitted(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("fixture is readable");
    let name = path.file_stem().unwrap().to_string_lossy();
    let mut config = Config::new(format!("{name}-fixture"));
    config.spec_label = format!(
        "tests/fixtures/specs/{}",
        path.file_name().unwrap().to_string_lossy()
    );
    let generated = generate(&config, &text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out = String::new();
    // What the generator reports it left out is part of what it emits.
    if !generated.api.skipped.is_empty() {
        out.push_str("==> skipped <==\n");
        for skipped in &generated.api.skipped {
            out.push_str(&format!("{skipped}\n"));
        }
        out.push('\n');
    }
    for (file, text) in &generated.files.0 {
        out.push_str(&format!("==> {file} <==\n{text}\n"));
    }
    out
}

#[test]
fn emitted_code_for_each_fixture() {
    insta::glob!("../fixtures/specs", "*.yaml", |path| {
        insta::assert_snapshot!(emitted(path));
    });
}

#[test]
fn ir_of_the_payments_spec() {
    let text = std::fs::read_to_string(workspace_root().join("spec/payments.yaml")).unwrap();
    let api = lower_text("spec/payments.yaml", &text).expect("the payments spec lowers");
    insta::assert_debug_snapshot!(api);
}

#[test]
fn generating_twice_gives_the_same_bytes() {
    let text = std::fs::read_to_string(workspace_root().join("spec/payments.yaml")).unwrap();
    let config = Config::new("zoo-payments");
    let first = generate(&config, &text).unwrap().files;
    let second = generate(&config, &text).unwrap().files;
    assert_eq!(first, second);
}
