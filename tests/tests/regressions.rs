//! Each spec in `tests/fixtures/regressions/` once made the generator panic,
//! overflow its stack or emit something that is not Rust (the fuzz test
//! found most of them). Each must now generate a crate that parses, on a
//! thread with a main thread's stack, and give the same bytes twice.

use openapi_codegen::{Config, generate};
use std::path::Path;

fn generates_cleanly(path: &Path) {
    let text = std::fs::read_to_string(path).expect("fixture is readable");
    let label = path.display().to_string();
    let result = std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(move || {
            let config = Config::new("regression");
            let first = generate(&config, &text).map(|g| g.files);
            let second = generate(&config, &text).map(|g| g.files);
            (first, second)
        })
        .unwrap()
        .join();
    let (first, second) = result.unwrap_or_else(|_| panic!("{label}: the generator panicked"));
    let files = first.unwrap_or_else(|e| panic!("{label}: {e}"));
    for (name, text) in files.0.iter().filter(|(name, _)| name.ends_with(".rs")) {
        if let Err(e) = syn::parse_file(text) {
            panic!("{label}: {name} does not parse: {e}");
        }
    }
    assert_eq!(
        Some(&files),
        second.as_ref().ok(),
        "{label}: a second run differs"
    );
}

#[test]
fn every_regression_spec_generates() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/regressions");
    let mut specs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"))
        .collect();
    specs.sort();
    assert!(!specs.is_empty());
    for spec in specs {
        generates_cleanly(&spec);
    }
}
