//! Whole processes, timed from outside as a user waits for them, side by
//! side with cargo-progenitor's release binary on the same machine in the
//! same run:
//!
//! - **the engine**: our release binary (this executable,
//!   `xtask codegen --spec`) against `cargo-progenitor progenitor` on nexus;
//! - **the user's path**: `cargo xtask codegen --spec`, the dev xtask
//!   through cargo, on nexus (against progenitor) and on GitHub;
//! - **a no-op**: `cargo xtask codegen --check` over the workspace's own
//!   crates, all up to date. It does what a no-op `cargo xtask codegen`
//!   does (neither writes a byte) without ever touching the workspace.
//!
//! Each is run [`RUNS`] times into a fresh directory (removed before each
//! run, not timed); the median and the spread (fastest, slowest) are
//! reported, and the ratio is that of the medians. The three commands on
//! nexus (our engine, our user's path, cargo-progenitor) take turns, one
//! run of each per round, so that a machine that speeds up or slows down
//! during the bench does so for each side of a ratio alike.

use super::report::{mark, markdown_table};
use super::{BENCH_DIR, median_of};
use std::ffi::OsString;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Runs of each command.
pub(super) const RUNS: usize = 7;

/// The engine is at least this many times faster than cargo-progenitor.
const ENGINE_RATIO: f64 = 10.0;
/// `cargo xtask codegen --spec` is at least this many times faster.
const USER_RATIO: f64 = 3.0;
/// `cargo xtask codegen --spec` on GitHub.
const GITHUB_USER: Duration = Duration::from_secs(1);
/// A no-op `cargo xtask codegen` over the workspace.
const NO_OP: Duration = Duration::from_millis(300);

const NEXUS: &str = "corpus/progenitor/nexus.json";
const GITHUB: &str = "corpus/progenitor/api.github.com.json";

/// Where `cargo install` puts cargo-progenitor for the bench.
pub(super) const PROGENITOR_ROOT: &str = "target/progenitor";
/// The version compared against.
pub(super) const PROGENITOR_VERSION: &str = "0.15.1";

/// The runs of one command.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Runs {
    times: Vec<Duration>,
    /// The exit status of a run that failed, if any did.
    failed: Option<String>,
}

impl Runs {
    fn median(&self) -> Duration {
        median_of(self.times.clone())
    }

    fn cell(&self) -> String {
        if let Some(status) = &self.failed {
            return format!("fails ({status})");
        }
        let min = self.times.iter().min().copied().unwrap_or_default();
        let max = self.times.iter().max().copied().unwrap_or_default();
        format!("{} ({}–{})", ms(self.median()), ms(min), ms(max))
    }
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1e3)
}

/// cargo-progenitor: `--progenitor PATH`, or the one `cargo install` put in
/// `target/progenitor`.
pub(super) fn find_progenitor(root: &Path, given: Option<&Path>) -> Option<PathBuf> {
    match given {
        Some(path) => Some(path.to_owned()),
        None => {
            let installed = root.join(PROGENITOR_ROOT).join("bin/cargo-progenitor");
            installed.is_file().then_some(installed)
        }
    }
}

/// Times `command` (made afresh for each run) `runs` times, removing `out`
/// before each.
fn time(runs: usize, out: &Path, command: impl Fn() -> Command) -> Result<Runs, String> {
    let [runs] = time_in_turns(runs, [(out, &command)])?;
    Ok(runs)
}

/// Times each of `commands` (made afresh for each run) `runs` times, in
/// turns: one run of each, in order, then the next round. Each command's
/// directory is removed before each of its runs. A command whose run fails
/// is not run again; its [`Runs`] say how it failed.
fn time_in_turns<const N: usize>(
    runs: usize,
    commands: [(&Path, &dyn Fn() -> Command); N],
) -> Result<[Runs; N], String> {
    let mut results = std::array::from_fn(|_| Runs {
        times: Vec::with_capacity(runs),
        failed: None,
    });
    for _ in 0..runs {
        for ((out, command), result) in commands.iter().zip(&mut results) {
            if result.failed.is_some() {
                continue;
            }
            match run_once(out, command())? {
                Ok(elapsed) => result.times.push(elapsed),
                Err(status) => result.failed = Some(status),
            }
        }
    }
    for (out, _) in commands {
        let _ = std::fs::remove_dir_all(out);
    }
    Ok(results)
}

/// One run of `command` into a fresh `out`: how long it took, or, when it
/// ran and failed, its exit status.
fn run_once(out: &Path, mut command: Command) -> Result<Result<Duration, String>, String> {
    let _ = std::fs::remove_dir_all(out);
    command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let started = Instant::now();
    let status = command
        .status()
        .map_err(|e| format!("cannot run {:?}: {e}", command.get_program()))?;
    let elapsed = started.elapsed();
    Ok(if status.success() {
        Ok(elapsed)
    } else {
        Err(status.to_string())
    })
}

/// The table and the targets; `false` when something that should run did
/// not (timing alone never fails the bench).
pub(super) fn versus(root: &Path, progenitor: Option<&Path>) -> Result<(String, bool), String> {
    let dir = root.join(BENCH_DIR).join("versus");
    let exe = std::env::current_exe().map_err(|e| format!("cannot find this executable: {e}"))?;
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));
    let ours_out = dir.join("ours");
    let engine = |spec: &'static str| {
        let (exe, out) = (&exe, &ours_out);
        move || {
            let mut c = Command::new(exe);
            c.args(["codegen", "--spec", spec, "--name", "versus-bench", "--out"])
                .arg(out)
                .current_dir(root);
            c
        }
    };
    let through_cargo = |spec: &'static str| {
        let (cargo, out) = (&cargo, &ours_out);
        move || {
            let mut c = Command::new(cargo);
            c.args([
                "xtask",
                "codegen",
                "--spec",
                spec,
                "--name",
                "versus-bench",
                "--out",
            ])
            .arg(out)
            .current_dir(root);
            c
        }
    };
    let progenitor_out = dir.join("progenitor");
    let progenitor_on = |spec: &'static str| {
        let out = &progenitor_out;
        move || {
            let mut c = Command::new(progenitor.unwrap_or(Path::new("cargo-progenitor")));
            c.args([
                "progenitor",
                "-i",
                spec,
                "-n",
                "versus",
                "-v",
                "0.1.0",
                "-o",
            ])
            .arg(out)
            .current_dir(root);
            c
        }
    };

    // The dev xtask may need building first: not timed.
    eprintln!("bench: building the dev xtask, as `cargo xtask` does (not timed)");
    let warm = time(1, &ours_out, through_cargo(NEXUS))?;
    if let Some(status) = warm.failed {
        return Err(format!(
            "`cargo xtask codegen --spec {NEXUS}` failed ({status})"
        ));
    }

    eprintln!(
        "bench: whole processes, {RUNS} runs each (on nexus, ours and cargo-progenitor's in turns)"
    );
    let (engine_nexus, user_nexus, progenitor_nexus) =
        (engine(NEXUS), through_cargo(NEXUS), progenitor_on(NEXUS));
    let (ours_engine, ours_user, theirs_nexus) = match progenitor {
        Some(_) => {
            let [ours_engine, ours_user, theirs] = time_in_turns(
                RUNS,
                [
                    (&ours_out, &engine_nexus),
                    (&ours_out, &user_nexus),
                    (&progenitor_out, &progenitor_nexus),
                ],
            )?;
            (ours_engine, ours_user, Some(theirs))
        }
        None => {
            let [ours_engine, ours_user] =
                time_in_turns(RUNS, [(&ours_out, &engine_nexus), (&ours_out, &user_nexus)])?;
            (ours_engine, ours_user, None)
        }
    };
    let ours_github = time(RUNS, &ours_out, through_cargo(GITHUB))?;
    let no_op = time(RUNS, &ours_out, || {
        let mut c = Command::new(&cargo);
        c.args(["xtask", "codegen", "--check"]).current_dir(root);
        c
    })?;
    let theirs_github = match progenitor {
        Some(_) => Some(time(1, &progenitor_out, progenitor_on(GITHUB))?),
        None => None,
    };

    let mut rows = vec![
        [
            "what",
            "document",
            "ours: median (fastest–slowest)",
            "cargo-progenitor",
            "ratio",
        ]
        .map(str::to_owned)
        .to_vec(),
    ];
    let ratio = |ours: &Runs, theirs: Option<&Runs>| -> Option<f64> {
        let theirs = theirs.filter(|t| t.failed.is_none())?;
        (ours.failed.is_none())
            .then(|| theirs.median().as_secs_f64() / ours.median().as_secs_f64().max(1e-9))
    };
    let theirs_cell = |theirs: Option<&Runs>| {
        theirs.map_or_else(|| "not measured (no binary)".to_owned(), Runs::cell)
    };
    let ratio_cell = |r: Option<f64>| r.map_or("–".to_owned(), |r| format!("{r:.1}×"));
    let engine_ratio = ratio(&ours_engine, theirs_nexus.as_ref());
    let user_ratio = ratio(&ours_user, theirs_nexus.as_ref());
    rows.push(vec![
        "the engine (release binary)".into(),
        "nexus".into(),
        ours_engine.cell(),
        theirs_cell(theirs_nexus.as_ref()),
        ratio_cell(engine_ratio),
    ]);
    rows.push(vec![
        "`cargo xtask codegen --spec`".into(),
        "nexus".into(),
        ours_user.cell(),
        theirs_cell(theirs_nexus.as_ref()),
        ratio_cell(user_ratio),
    ]);
    rows.push(vec![
        "`cargo xtask codegen --spec`".into(),
        "GitHub".into(),
        ours_github.cell(),
        theirs_cell(theirs_github.as_ref()),
        "–".into(),
    ]);
    rows.push(vec![
        "no-op `cargo xtask codegen` (as `--check`)".into(),
        "the workspace's crates".into(),
        no_op.cell(),
        "–".into(),
        "–".into(),
    ]);

    let mut out = format!(
        "Whole processes, {RUNS} runs each, cargo-progenitor {}:\n\n{}\n",
        progenitor.map_or_else(
            || format!("not found (`cargo install cargo-progenitor --version {PROGENITOR_VERSION} --locked --root {PROGENITOR_ROOT}`, or `--progenitor PATH`)"),
            |p| p.display().to_string()
        ),
        markdown_table(&rows)
    );
    out.push_str("Targets (✓ met, ✗ missed):\n");
    let mut target = |ok: Option<bool>, text: String| {
        let mark = ok.map_or("?", mark);
        let _ = writeln!(out, "- {mark} {text}");
    };
    target(
        engine_ratio.map(|r| r >= ENGINE_RATIO),
        format!(
            "the engine on nexus: {} faster than cargo-progenitor, at least {ENGINE_RATIO:.0}×",
            ratio_cell(engine_ratio)
        ),
    );
    target(
        user_ratio.map(|r| r >= USER_RATIO),
        format!(
            "`cargo xtask codegen --spec` on nexus: {} faster, at least {USER_RATIO:.0}×",
            ratio_cell(user_ratio)
        ),
    );
    target(
        ours_github
            .failed
            .is_none()
            .then(|| ours_github.median() < GITHUB_USER),
        format!(
            "`cargo xtask codegen --spec` on GitHub: {} < 1 s",
            ms(ours_github.median())
        ),
    );
    target(
        no_op.failed.is_none().then(|| no_op.median() < NO_OP),
        format!(
            "no-op `cargo xtask codegen`: {} < 300 ms",
            ms(no_op.median())
        ),
    );
    let all_ran = [&ours_engine, &ours_user, &ours_github, &no_op]
        .iter()
        .all(|r| r.failed.is_none());
    Ok((out, all_ran))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_and_the_spread_of_runs() {
        let runs = Runs {
            times: [30, 10, 20, 50].map(Duration::from_millis).to_vec(),
            failed: None,
        };
        assert_eq!(runs.median(), Duration::from_millis(25));
        assert_eq!(runs.cell(), "25 ms (10 ms–50 ms)");
        let failed = Runs {
            times: vec![],
            failed: Some("exit status: 101".into()),
        };
        assert_eq!(failed.cell(), "fails (exit status: 101)");
    }

    #[test]
    fn commands_take_turns_and_a_failed_one_is_not_run_again() {
        let dir = std::env::temp_dir().join(format!("versus-turns-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let log = dir.join("log");
        let appends = |word: &'static str, code: u8| {
            let log = log.clone();
            move || {
                let mut c = Command::new("sh");
                c.arg("-c")
                    .arg(format!("echo {word} >> \"$0\"; exit {code}"))
                    .arg(&log);
                c
            }
        };
        let (a, b, c) = (appends("a", 0), appends("b", 0), appends("c", 3));
        let out = dir.join("out");
        let runs = time_in_turns(3, [(&out, &a), (&out, &c), (&out, &b)]).unwrap();
        let order = std::fs::read_to_string(&log).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(
            order.split_whitespace().collect::<Vec<_>>(),
            ["a", "c", "b", "a", "b", "a", "b"]
        );
        assert_eq!(runs[0].times.len(), 3);
        assert_eq!(runs[1].times.len(), 0);
        assert_eq!(runs[1].failed.as_deref(), Some("exit status: 3"));
        assert_eq!(runs[2].times.len(), 3);
    }
}
