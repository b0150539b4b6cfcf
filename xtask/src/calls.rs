//! `cargo xtask calls`: the call tests of the workspace's own crates (the
//! payments crate and every fixture crate; the history crates have none),
//! each run against Stoplight Prism serving the crate's spec, statically
//! and dynamically, and judged as `cargo xtask corpus` judges the corpus's
//! (see `corpus/calls.rs`). Every call must be accepted and decode, but for
//! what is listed apart with its reason; there is no list of known faults.

use crate::corpus::calls::{CallRun, Mode, Prism, call};
use crate::{HISTORY_SPECS, exit, own_crates, usage, workspace_root};
use std::ffi::OsString;
use std::process::{Command, ExitCode};

/// Runs the command line `args` (after `calls`).
pub fn calls(args: &[String]) -> ExitCode {
    let mut only: Vec<String> = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--only" => match iter.next() {
                Some(names) => only.extend(names.split(',').map(|n| n.trim().to_owned())),
                None => return usage("`--only` needs a value"),
            },
            other => return usage(&format!("unexpected argument `{other}`")),
        }
    }
    let root = workspace_root();
    let crates = match own_crates(&root) {
        Ok(crates) => crates,
        Err(e) => {
            eprintln!("error: cannot list the workspace's crates: {e}");
            return ExitCode::from(exit::INTERNAL);
        }
    };
    let crates: Vec<_> = crates
        .into_iter()
        .filter(|c| !c.out.starts_with(HISTORY_SPECS))
        .filter(|c| only.is_empty() || only.contains(&c.name))
        .collect();
    if crates.is_empty() {
        return usage(&format!("`--only`: no crate named {}", only.join(", ")));
    }
    let prism = match Prism::install(&root) {
        Ok(prism) => prism,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(exit::INTERNAL);
        }
    };
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));
    // One build of every call test first, then each run is only a run.
    let mut build = Command::new(&cargo);
    build.args(["test", "--locked", "--no-run", "--test", "calls"]);
    for c in &crates {
        build.args(["-p", &c.name]);
    }
    match build.current_dir(&root).status() {
        Ok(status) if status.success() => {}
        Ok(status) => {
            eprintln!("error: the call tests did not build ({status})");
            return ExitCode::from(exit::NOT_CLEAN);
        }
        Err(e) => {
            eprintln!("error: cannot run cargo: {e}");
            return ExitCode::from(exit::INTERNAL);
        }
    }
    let logs = root.join("target/calls");
    if let Err(e) = std::fs::create_dir_all(&logs) {
        eprintln!("error: cannot make {}: {e}", logs.display());
        return ExitCode::from(exit::INTERNAL);
    }
    let mut clean = true;
    for c in &crates {
        let mut answers = None;
        for mode in Mode::BOTH {
            let run = call(
                &prism,
                &root.join(&c.spec),
                mode,
                &logs,
                &c.name,
                &mut answers,
                |base_url, report, only| {
                    let output = Command::new(&cargo)
                        .args(["test", "--locked", "-q", "-p", &c.name, "--test", "calls"])
                        .args(["--color", "never", "--", "--nocapture"])
                        .env("CALLS_BASE_URL", base_url)
                        .env("CALLS_REPORT", report)
                        .env("CALLS_ONLY", only.join(","))
                        .current_dir(&root)
                        .output()
                        .map_err(|e| format!("cannot run cargo: {e}"))?;
                    let mut text = String::from_utf8_lossy(&output.stderr).into_owned();
                    text.push_str(&String::from_utf8_lossy(&output.stdout));
                    Ok(text)
                },
            );
            let run = match run {
                Ok(run) => run,
                Err(why) => CallRun::failed(why),
            };
            clean &= print_run(&c.name, mode, &run);
        }
    }
    if clean {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(exit::NOT_CLEAN)
    }
}

/// Prints one run's line and what it found; whether it is clean.
fn print_run(name: &str, mode: Mode, run: &CallRun) -> bool {
    let mode = mode.name();
    for what in &run.copy {
        println!("{name} ({mode}): Prism's copy of the document leaves out {what}");
    }
    if let Some(why) = &run.failure {
        println!("{name} ({mode}): could not be made: {why}");
        if run.total == 0 {
            return false;
        }
    }
    println!(
        "{name} ({mode}): {} operations, {} called, {} accepted by Prism, {} answers decoded",
        run.total, run.called, run.accepted, run.decoded
    );
    for (operation, why) in &run.apart {
        println!("  apart {operation}: {why}");
    }
    for (operation, what) in &run.faults {
        println!("  FAULT {operation}: {what}");
    }
    run.faults.is_empty() && run.failure.is_none()
}
