//! Regenerating what is already up to date writes nothing: no file's bytes
//! or modification time change, so cargo rebuilds nothing.
//!
//! `cli.rs` (`standalone_crate_is_written_once_then_left_alone`) covers the
//! payments spec through `--spec/--out`; this covers every fixture spec the
//! same way, and the workspace's own `cargo xtask codegen` (no arguments).

mod common;

use common::{scratch, text, workspace_root, xtask};
use std::fs;
use std::path::PathBuf;
use std::time::SystemTime;

/// The stems of `tests/fixtures/specs/*.yaml`, sorted.
fn fixture_stems() -> Vec<String> {
    yaml_stems("tests/fixtures/specs")
}

/// The stems of the `.yaml` files in `dir` (relative to the workspace root).
fn yaml_stems(dir: &str) -> Vec<String> {
    let mut stems: Vec<String> = fs::read_dir(workspace_root().join(dir))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "yaml"))
        .map(|path| path.file_stem().unwrap().to_str().unwrap().to_owned())
        .collect();
    stems.sort();
    assert!(!stems.is_empty(), "there are fixture specs");
    stems
}

/// Path → (bytes, mtime) of the files the generator owns in each crate
/// directory: `Cargo.toml` and everything under `src/`.
fn snapshot(crates: &[PathBuf]) -> Vec<(PathBuf, Vec<u8>, SystemTime)> {
    let mut out = Vec::new();
    let mut record = |path: PathBuf| {
        let modified = fs::metadata(&path).unwrap().modified().unwrap();
        let bytes = fs::read(&path).unwrap();
        out.push((path, bytes, modified));
    };
    for dir in crates {
        record(dir.join("Cargo.toml"));
        let mut stack = vec![dir.join("src")];
        while let Some(d) = stack.pop() {
            for entry in fs::read_dir(&d).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    record(path);
                }
            }
        }
    }
    out.sort();
    out
}

#[test]
fn fixture_crates_are_written_once_then_left_alone() {
    let dir = scratch("noop-fixtures");
    let specs = workspace_root().join("tests/fixtures/specs");
    let stems = fixture_stems();
    let run = |stem: &str, extra: &[&str]| {
        let spec = specs.join(format!("{stem}.yaml"));
        let out = dir.join(format!("{stem}-api"));
        let name = format!("{stem}-api");
        let mut args = vec![
            "codegen",
            "--spec",
            spec.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--name",
            &name,
        ];
        args.extend_from_slice(extra);
        xtask(&args)
    };

    for stem in &stems {
        let first = run(stem, &[]);
        let stderr = text(&first.stderr);
        assert!(first.status.success(), "{stem}: {stderr}");
        assert!(stderr.contains(" files changed"), "{stem}: {stderr}");
    }
    let crates: Vec<PathBuf> = stems
        .iter()
        .map(|stem| dir.join(format!("{stem}-api")))
        .collect();
    let before = snapshot(&crates);
    assert!(before.len() >= 2 * stems.len(), "{} files", before.len());

    for stem in &stems {
        let second = run(stem, &[]);
        let stderr = text(&second.stderr);
        assert!(second.status.success(), "{stem}: {stderr}");
        assert!(stderr.contains(": up to date ("), "{stem}: {stderr}");
        for verb in ["added ", "updated ", "removed "] {
            assert!(!stderr.contains(verb), "{stem} rewrote a file: {stderr}");
        }
        let check = run(stem, &["--check"]);
        assert_eq!(
            check.status.code(),
            Some(0),
            "{stem}: {}",
            text(&check.stderr)
        );
    }
    // Not one file rewritten: the same bytes and the same modification times.
    assert_eq!(snapshot(&crates), before);
}

/// The workspace's own crates (`generated/`, `tests/fixtures/NAME-api` and
/// `tests/fixtures/history/payments-DATE`), as `cargo xtask codegen` with no
/// arguments generates them.
fn own_crates() -> Vec<PathBuf> {
    let root = workspace_root();
    let mut crates = vec![root.join("generated")];
    crates.extend(
        fixture_stems()
            .iter()
            .map(|stem| root.join(format!("tests/fixtures/{stem}-api"))),
    );
    crates.extend(
        yaml_stems("tests/fixtures/history")
            .iter()
            .map(|stem| root.join(format!("tests/fixtures/history/payments-{stem}"))),
    );
    crates
}

/// `cargo xtask codegen --check` on the checkout itself, which only reads:
/// every checked-in crate is up to date (CI runs the same command).
#[test]
fn the_checked_in_crates_are_up_to_date() {
    let check = xtask(&["codegen", "--check"]);
    let stderr = text(&check.stderr);
    assert_eq!(
        check.status.code(),
        Some(0),
        "run `cargo xtask codegen`:\n{stderr}{}",
        text(&check.stdout)
    );
    let up_to_date = stderr
        .lines()
        .filter(|l| l.contains(": up to date ("))
        .count();
    assert_eq!(up_to_date, own_crates().len(), "{stderr}");
}

/// `cargo xtask codegen` with no arguments, on the checkout itself, leaves
/// every file alone when `--check` says it is up to date.
///
/// Ignored by default, because it writes into the real workspace: it runs
/// only after `--check` passed, so it can only write if a spec changes
/// between the two commands, but a test cannot rule that out while someone
/// edits the checkout. Run it with
/// `cargo test -p xtask --test noop -- --ignored`.
#[test]
#[ignore = "runs `cargo xtask codegen` on the real workspace"]
fn workspace_codegen_rewrites_nothing_when_up_to_date() {
    let check = xtask(&["codegen", "--check"]);
    assert_eq!(
        check.status.code(),
        Some(0),
        "the checkout is stale, so `codegen` would write; not running it:\n{}",
        text(&check.stderr)
    );
    let crates = own_crates();
    let before = snapshot(&crates);

    let run = xtask(&["codegen"]);
    let stderr = text(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    for verb in ["added ", "updated ", "removed "] {
        assert!(!stderr.contains(verb), "a file was rewritten: {stderr}");
    }
    let up_to_date = stderr
        .lines()
        .filter(|l| l.contains(": up to date ("))
        .count();
    assert_eq!(up_to_date, crates.len(), "{stderr}");
    assert_eq!(snapshot(&crates), before, "no bytes or mtimes changed");
}
