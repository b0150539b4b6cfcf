//! The generator from outside this repository, as another team uses it: a
//! workspace of its own in a temporary folder, with its own xtask that
//! depends on the generator by path and calls the [`Builder`], generates a
//! crate from a corpus document, builds it, checks it, and sees the check
//! fail with the fixing command once the document changes. The command,
//! installed with `cargo install --path generator`, does the same.
//!
//! It runs cargo in that workspace (offline, its dependencies from this
//! workspace's lock) with its own target folder under `target/nested`, so
//! the second run builds nothing: the first takes a few minutes.
//!
//! [`Builder`]: openapi_codegen::Builder

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// This repository's root.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The document the other team has: the corpus's Keeper API.
const DOCUMENT: &str = "corpus/progenitor/keeper.json";

/// The other team's xtask: what the generator's front page shows.
const XTASK: &str = r#"use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let check = std::env::args().any(|a| a == "--check");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let builder = openapi_codegen::Builder::new(root.join("api/keeper.json"), root.join("keeper"))
        .spec_label("api/keeper.json")
        .crate_name("keeper")
        .fixing_command("cargo run -p xtask -- codegen");
    let result = if check { builder.check() } else { builder.write() };
    match result {
        Ok(plan) if check && !plan.is_up_to_date() => {
            print!("{}", plan.diff());
            eprintln!("{}", plan.stale_message());
            ExitCode::FAILURE
        }
        Ok(plan) => {
            eprintln!("{} files changed", plan.changes().len());
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("{error}");
            ExitCode::from(2)
        }
    }
}
"#;

fn run(command: &mut Command) -> Output {
    let output = command.output().expect("the command runs");
    eprintln!(
        "{:?}: {}\n{}{}",
        command,
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn cargo(dir: &Path, args: &[&str]) -> Output {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    run(Command::new(cargo)
        .args(args)
        .args(["--offline", "--color", "never"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", root().join("target/nested/target"))
        .env_remove("RUSTFLAGS"))
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A fresh workspace: the document, the xtask, the lock of this one.
fn workspace(name: &str, members: &[&str]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "openapi-codegen-outside-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("api")).unwrap();
    std::fs::copy(root().join(DOCUMENT), dir.join("api/keeper.json")).unwrap();
    std::fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    set_members(&dir, members);
    dir
}

fn set_members(dir: &Path, members: &[&str]) {
    let members: Vec<String> = members.iter().map(|m| format!("{m:?}")).collect();
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    )
    .unwrap();
}

/// The document with one more operation, as the API's next version has it.
fn change_document(dir: &Path) {
    let path = dir.join("api/keeper.json");
    let mut document: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    document["paths"]["/ping"] = serde_json::json!({
        "get": {
            "operationId": "ping",
            "responses": {"204": {"description": "alive"}}
        }
    });
    std::fs::write(&path, serde_json::to_string_pretty(&document).unwrap()).unwrap();
}

#[test]
fn another_workspace_generates_builds_and_checks_with_its_own_xtask() {
    let dir = workspace("xtask", &["xtask"]);
    std::fs::create_dir_all(dir.join("xtask/src")).unwrap();
    std::fs::write(
        dir.join("xtask/Cargo.toml"),
        format!(
            "[package]\nname = \"xtask\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\nopenapi-codegen = {{ path = {:?} }}\n",
            Path::new(env!("CARGO_MANIFEST_DIR")).display().to_string()
        ),
    )
    .unwrap();
    std::fs::write(dir.join("xtask/src/main.rs"), XTASK).unwrap();

    let generated = cargo(&dir, &["run", "-p", "xtask", "--", "codegen"]);
    assert!(generated.status.success(), "{}", stderr(&generated));
    let lib = std::fs::read_to_string(dir.join("keeper/src/lib.rs")).unwrap();
    assert!(
        lib.starts_with(&format!(
            "// @generated by openapi-codegen {} from api/keeper.json.",
            env!("CARGO_PKG_VERSION")
        )),
        "{}",
        &lib[..200]
    );

    // The crate joins the workspace and builds, with its client.
    set_members(&dir, &["xtask", "keeper"]);
    let built = cargo(&dir, &["build", "-p", "keeper"]);
    assert!(built.status.success(), "{}", stderr(&built));

    let checked = cargo(&dir, &["run", "-p", "xtask", "--", "codegen", "--check"]);
    assert!(checked.status.success(), "{}", stderr(&checked));

    change_document(&dir);
    let stale = cargo(&dir, &["run", "-p", "xtask", "--", "codegen", "--check"]);
    assert_eq!(stale.status.code(), Some(1), "{}", stderr(&stale));
    let message = stderr(&stale);
    assert!(
        message.contains("files stale; run `cargo run -p xtask -- codegen` to update"),
        "{message}"
    );
    assert!(
        String::from_utf8_lossy(&stale.stdout).contains("pub fn ping"),
        "the diff shows the new method"
    );

    let updated = cargo(&dir, &["run", "-p", "xtask", "--", "codegen"]);
    assert!(updated.status.success(), "{}", stderr(&updated));
    let checked = cargo(&dir, &["run", "-p", "xtask", "--", "codegen", "--check"]);
    assert!(checked.status.success(), "{}", stderr(&checked));
    let _ = std::fs::remove_dir_all(&dir);
}

/// `cargo install --path generator`, as the README says, into a folder of
/// the test's (a debug build, in the nested target folder, so that it shares
/// what the other test built).
fn install() -> PathBuf {
    let into = root().join("target/nested/install");
    let installed = cargo(
        &root(),
        &[
            "install",
            "--path",
            env!("CARGO_MANIFEST_DIR"),
            "--root",
            &into.display().to_string(),
            "--debug",
            "--locked",
            "--force",
        ],
    );
    assert!(installed.status.success(), "{}", stderr(&installed));
    into.join("bin/openapi-codegen")
}

#[test]
fn the_installed_command_generates_checks_and_names_the_fixing_command() {
    let command = install();
    let command = command.as_path();
    let dir = workspace("command", &[]);
    let generate = |extra: &[&str]| {
        run(Command::new(command)
            .args(["--spec", "api/keeper.json", "--out", "keeper"])
            .args(extra)
            .current_dir(&dir))
    };

    let version = run(Command::new(command).arg("--version"));
    assert_eq!(
        String::from_utf8_lossy(&version.stdout).trim(),
        format!("openapi-codegen {}", env!("CARGO_PKG_VERSION"))
    );
    let help = run(Command::new(command).arg("--help"));
    assert!(help.status.success());
    for option in [
        "--spec",
        "--out",
        "--name",
        "--check",
        "--strict",
        "--settings",
        "--report",
        "--bump",
    ] {
        assert!(
            String::from_utf8_lossy(&help.stdout).contains(option),
            "{option}"
        );
    }
    let wrong = run(Command::new(command).arg("--frobnicate"));
    assert_eq!(wrong.status.code(), Some(64));

    // Before anything is generated, a check fails: every file is missing.
    assert_eq!(generate(&["--check"]).status.code(), Some(1));
    let written = generate(&[]);
    assert!(written.status.success(), "{}", stderr(&written));
    let manifest = std::fs::read_to_string(dir.join("keeper/Cargo.toml")).unwrap();
    assert!(
        manifest.contains(&format!(
            "[package.metadata.openapi-codegen]\nversion = \"{}\"",
            env!("CARGO_PKG_VERSION")
        )),
        "{manifest}"
    );
    assert!(generate(&["--check"]).status.success());

    // Files another version of the generator made: the check says so.
    let lib = dir.join("keeper/src/lib.rs");
    let text = std::fs::read_to_string(&lib).unwrap();
    let older = text.replacen(
        &format!("openapi-codegen {} from", env!("CARGO_PKG_VERSION")),
        "openapi-codegen 0.0.1 from",
        1,
    );
    assert_ne!(older, text);
    std::fs::write(&lib, older).unwrap();
    let stale = generate(&["--check"]);
    assert_eq!(stale.status.code(), Some(1));
    let message = stderr(&stale);
    assert!(
        message.contains(
            "run `openapi-codegen --spec api/keeper.json --out keeper --name keeper` to update"
        ),
        "{message}"
    );
    assert!(
        message.contains("made by openapi-codegen 0.0.1"),
        "{message}"
    );

    // The document changes: stale, then written, then up to date.
    assert!(generate(&[]).status.success());
    change_document(&dir);
    let stale = generate(&["--check"]);
    assert_eq!(stale.status.code(), Some(1));
    assert!(!stderr(&stale).contains("made by"), "{}", stderr(&stale));

    // A broken document: exit 2, the place named, nothing written.
    std::fs::write(
        dir.join("api/keeper.json"),
        "{\"openapi\": \"3.0.3\", \"info\": 1}",
    )
    .unwrap();
    let before = std::fs::read_to_string(&lib).unwrap();
    let broken = generate(&[]);
    assert_eq!(broken.status.code(), Some(2), "{}", stderr(&broken));
    assert!(
        stderr(&broken).contains("api/keeper.json"),
        "{}",
        stderr(&broken)
    );
    assert_eq!(std::fs::read_to_string(&lib).unwrap(), before);
    let _ = std::fs::remove_dir_all(&dir);
}
