//! `cargo xtask bench --compile`: what every user of a generated crate
//! pays on each clean build, `cargo check` and `cargo build` of the crate
//! alone, and the same for cargo-progenitor's crate from nexus when its
//! binary is there, per 1,000 generated lines.

use super::{BENCH_DIR, Document, markdown_table, thousands};
use crate::CodegenArgs;
use std::ffi::OsString;
use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

/// The crate cargo-progenitor generates from nexus, beside ours.
const PROGENITOR_CRATE: &str = "progenitor-nexus";

/// `--compile`: generates each document into `target/bench/compile`, builds
/// its dependencies, then times `cargo check` and `cargo build` of the
/// crate alone after touching its `src/lib.rs`. Returns the report and
/// whether every crate generated and built; an `Err` is a failure of the
/// machinery (a file that cannot be written, cargo that cannot be run).
pub(super) fn compile(
    root: &Path,
    docs: &[Document],
    progenitor: Option<&Path>,
) -> Result<(String, bool), String> {
    let dir = root.join(BENCH_DIR).join("compile");
    let mut generated = Vec::new();
    let mut all_built = true;
    let mut rows = vec![
        [
            "crate",
            "lines",
            "cargo check (touch lib.rs)",
            "cargo build (touch lib.rs)",
            "check per 1,000 lines",
        ]
        .map(str::to_owned)
        .to_vec(),
    ];
    for doc in docs {
        let name = doc.crate_name();
        let out_label = format!("{BENCH_DIR}/compile/crates/{name}");
        let mut target = CodegenArgs::standalone(
            false,
            root.join(doc.path),
            doc.path.to_owned(),
            dir.join("crates").join(&name),
            &out_label,
            name.clone(),
        );
        // Scratch crates: no change report.
        target.builder = target.builder.compare(false);
        eprintln!("bench: generating {} into {out_label}", doc.file());
        match target
            .generate()
            .and_then(|g| target.write(&g.generated, &mut Vec::new()).map(|()| g))
        {
            Ok(generation) => {
                let lines: usize = generation
                    .generated
                    .files
                    .0
                    .values()
                    .map(|t| t.lines().count())
                    .sum();
                generated.push((name, lines));
            }
            Err(_) => {
                all_built = false;
                rows.push(vec![name, "—".into(), "generate failed".into(), "—".into()]);
            }
        }
    }
    if let (Some(progenitor), true) = (progenitor, docs.iter().any(|d| d.name == "nexus")) {
        match progenitor_crate(root, progenitor, &dir.join("crates").join(PROGENITOR_CRATE)) {
            Ok(lines) => generated.push((PROGENITOR_CRATE.to_owned(), lines)),
            Err(message) => {
                eprintln!("bench: {message}");
                rows.push(vec![
                    PROGENITOR_CRATE.into(),
                    "—".into(),
                    "generate failed".into(),
                    "—".into(),
                ]);
            }
        }
    }
    if generated.is_empty() {
        return Ok((markdown_table(&rows), all_built));
    }

    let mut manifest = String::from(
        "# Written by `cargo xtask bench --compile`. Not part of the main workspace.\n\
         [workspace]\nresolver = \"3\"\nmembers = [\n",
    );
    for (name, _) in &generated {
        let _ = writeln!(manifest, "    \"crates/{name}\",");
    }
    manifest.push_str("]\n");
    let cannot = |what: &str, path: &Path, e: std::io::Error| {
        format!("cannot {what} {}: {e}", path.display())
    };
    let manifest_path = dir.join("Cargo.toml");
    std::fs::write(&manifest_path, manifest).map_err(|e| cannot("write", &manifest_path, e))?;
    // The main workspace's versions; cargo-progenitor's crate adds a few
    // of its own, resolved from the registry.
    let lock = dir.join("Cargo.lock");
    std::fs::copy(root.join("Cargo.lock"), &lock).map_err(|e| cannot("write", &lock, e))?;

    let cargo =
        |subcommand: &str, name: &str, capture: bool| -> Result<(bool, Duration, String), String> {
            let program = std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));
            let mut command = Command::new(&program);
            command
                .arg(subcommand)
                .args(["-p", name, "--color", "never", "--manifest-path"])
                .arg(&manifest_path)
                .env("CARGO_TARGET_DIR", dir.join("target"))
                .env("CARGO_INCREMENTAL", "0")
                .current_dir(&dir)
                .stdin(Stdio::null());
            if !capture {
                command.stdout(Stdio::null()).stderr(Stdio::inherit());
            }
            let started = Instant::now();
            let output = command.output().map_err(|e| {
                format!(
                    "cannot run `{} {subcommand}`: {e}",
                    Path::new(&program).display()
                )
            })?;
            let elapsed = started.elapsed();
            let mut text = String::from_utf8_lossy(&output.stderr).into_owned();
            text.push_str(&String::from_utf8_lossy(&output.stdout));
            Ok((output.status.success(), elapsed, text))
        };
    let touch = |name: &str| -> Result<(), String> {
        let lib = dir.join("crates").join(name).join("src/lib.rs");
        std::fs::File::options()
            .append(true)
            .open(&lib)
            .and_then(|f| f.set_modified(SystemTime::now()))
            .map_err(|e| cannot("touch", &lib, e))
    };

    for (name, lines) in &generated {
        eprintln!("bench: {name}: building its dependencies (cargo build, cargo check; not timed)");
        let warm = cargo("build", name, false)?.0 && cargo("check", name, false)?.0;
        if !warm {
            all_built = false;
            rows.push(vec![
                name.clone(),
                thousands(*lines),
                "failed (see stderr)".into(),
                "—".into(),
            ]);
            continue;
        }
        let mut cells = vec![name.clone(), thousands(*lines)];
        let mut checked = None;
        for subcommand in ["check", "build"] {
            touch(name)?;
            eprintln!("bench: {name}: touch src/lib.rs; CARGO_INCREMENTAL=0 cargo {subcommand}");
            let (passed, elapsed, text) = cargo(subcommand, name, true)?;
            if passed {
                cells.push(format!("{:.1} s", elapsed.as_secs_f64()));
                if subcommand == "check" {
                    checked = Some(elapsed);
                }
            } else {
                all_built = false;
                eprint!("{text}");
                cells.push(format!("failed after {:.1} s", elapsed.as_secs_f64()));
            }
        }
        cells.push(checked.map_or("—".into(), |d| {
            format!("{:.2} s", d.as_secs_f64() * 1000.0 / (*lines).max(1) as f64)
        }));
        rows.push(cells);
    }
    let mut report = markdown_table(&rows);
    let _ = writeln!(
        report,
        "\nCompile times: the crate alone, its dependencies already built, after `touch src/lib.rs`:\n\
         `CARGO_INCREMENTAL=0 CARGO_TARGET_DIR={BENCH_DIR}/compile/target cargo check|build --manifest-path {BENCH_DIR}/compile/Cargo.toml -p NAME` (dev profile, one run each)."
    );
    Ok((report, all_built))
}

/// Generates cargo-progenitor's crate from nexus into `out`; its lines.
fn progenitor_crate(root: &Path, progenitor: &Path, out: &Path) -> Result<usize, String> {
    let _ = std::fs::remove_dir_all(out);
    eprintln!("bench: generating nexus with {}", progenitor.display());
    let status = Command::new(progenitor)
        .arg("progenitor")
        .arg("-i")
        .arg(root.join("corpus/progenitor/nexus.json"))
        .arg("-o")
        .arg(out)
        .args(["-n", PROGENITOR_CRATE, "-v", "0.1.0"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .status()
        .map_err(|e| format!("cannot run {}: {e}", progenitor.display()))?;
    if !status.success() {
        return Err(format!("cargo-progenitor failed on nexus ({status})"));
    }
    let lib = out.join("src/lib.rs");
    let text =
        std::fs::read_to_string(&lib).map_err(|e| format!("cannot read {}: {e}", lib.display()))?;
    Ok(text.lines().count())
}
