//! `cargo xtask bench`: how long each phase of the generator takes, on the
//! payments spec and on three large real-world documents, in a release
//! build; then whole processes beside cargo-progenitor's ([`versus`]), and
//! with `--compile` what the generated crates cost to build ([`compile`]).
//!
//! The xtask itself is built in the dev profile, which says nothing about
//! the generator's speed, so `bench` re-runs itself as `cargo run --release
//! --package xtask -- bench-run ...` (a hidden task) and does the work there.
//!
//! Each document is generated `--iterations` times the way
//! [`openapi_codegen::generate`] and `codegen` do it (`lib.rs`'s `render`,
//! replicated here with a clock between the phases), each time into a fresh
//! directory under `target/bench/out`, so the write phase really writes.
//! The table has the median of each phase. Peak memory is measured in a
//! child process per document (`bench-run --peak-rss-of NAME`), which
//! generates it once and reports its own `VmHWM`, so one document's
//! allocations do not count against another.
//!
//! The targets are printed next to the numbers; timing never changes the
//! exit code, which is 1 only when a document does not generate (or, with
//! `--compile`, a generated crate does not build).
//!
//! Emission and formatting run together, part by part, on every core; the
//! table's `emit` column is emission alone on one thread, timed apart from
//! the total.
//!
//! `--compile` also generates each document into a workspace of its own,
//! `target/bench/compile` (its own target dir, the main workspace's
//! `Cargo.lock`), builds the dependencies, then times `cargo check` and
//! `cargo build` of each generated crate alone after `touch src/lib.rs`,
//! with `CARGO_INCREMENTAL=0`.

mod compile;
mod memory;
mod report;
mod versus;

use memory::{Allocator, peak_rss_child, peak_rss_of_child};
use report::{markdown_table, shares, table, targets, thousands};

use crate::{Failure, exit, usage, workspace_root};
use openapi_codegen::{Files, emit, format, load, lower, write};
use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

/// Where the bench writes, relative to the workspace root.
const BENCH_DIR: &str = "target/bench";

/// The largest acceptable (lower + emit) / total, for every document.
const LOWER_EMIT_SHARE: f64 = 1.0 / 3.0;

/// One benchmarked document.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Document {
    /// The short name `--only` takes (`github`); the generated crate is
    /// `NAME-bench`.
    name: &'static str,
    /// Relative to the workspace root, `/`-separated: it also labels the
    /// spec in file headers.
    path: &'static str,
    /// Iterations when `--iterations` is not given.
    iterations: usize,
    /// The target for the median total, if any.
    total_target: Option<Duration>,
    /// The target for peak memory, in MB (10⁶ bytes), if any.
    peak_target_mb: Option<f64>,
    /// The target for peak memory as a multiple of the input's size.
    peak_per_input: Option<f64>,
}

impl Document {
    /// The file name (`api.github.com.json`).
    fn file(&self) -> &'static str {
        self.path.rsplit('/').next().unwrap_or(self.path)
    }

    /// The file name without its extension (`api.github.com`).
    fn stem(&self) -> &'static str {
        let file = self.file();
        file.rsplit_once('.').map_or(file, |(stem, _)| stem)
    }

    fn is_named(&self, name: &str) -> bool {
        self.name == name || self.file() == name || self.stem() == name
    }

    fn crate_name(&self) -> String {
        format!("{}-bench", self.name)
    }
}

/// The documents, in the order of the table.
const DOCUMENTS: [Document; 4] = [
    Document {
        name: "payments",
        path: "spec/payments.yaml",
        iterations: 10,
        total_target: None,
        peak_target_mb: None,
        peak_per_input: None,
    },
    Document {
        name: "nexus",
        path: "corpus/progenitor/nexus.json",
        iterations: 10,
        total_target: Some(Duration::from_millis(150)),
        peak_target_mb: Some(100.0),
        peak_per_input: None,
    },
    Document {
        name: "github",
        path: "corpus/progenitor/api.github.com.json",
        iterations: 5,
        total_target: Some(Duration::from_secs(1)),
        peak_target_mb: Some(300.0),
        // The largest document of the corpus.
        peak_per_input: Some(10.0),
    },
    Document {
        name: "zoo",
        path: "corpus/zoo/zoo-openapi-2025-08-07.json",
        iterations: 5,
        total_target: None,
        peak_target_mb: None,
        peak_per_input: None,
    },
];

/// The command line of `bench` and `bench-run`.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct BenchArgs {
    /// `--only`: document names; empty means all.
    only: Vec<String>,
    /// `--iterations N`: overrides each document's default.
    iterations: Option<usize>,
    /// `--compile`: also time `cargo check` / `cargo build` of the crates.
    compile: bool,
    /// Hidden, `bench-run` only: generate this document once and print the
    /// process's peak memory.
    peak_rss_of: Option<String>,
    /// Hidden, with `--peak-rss-of`: `--kept`, generate as if the document
    /// were small (mimalloc keeping freed memory: see `alloc::Lean`).
    peak_kept: bool,
    /// `--progenitor PATH`: cargo-progenitor's binary, for the comparison.
    progenitor: Option<std::path::PathBuf>,
}

impl BenchArgs {
    fn parse(args: &[String]) -> Result<BenchArgs, String> {
        let mut parsed = BenchArgs::default();
        let mut iter = args.iter();
        while let Some(arg) = iter.next() {
            let mut value = |flag: &str| {
                iter.next()
                    .cloned()
                    .ok_or_else(|| format!("`{flag}` needs a value"))
            };
            match arg.as_str() {
                "--compile" => parsed.compile = true,
                "--kept" => parsed.peak_kept = true,
                "--only" => {
                    let names: Vec<String> = value("--only")?
                        .split(',')
                        .map(str::trim)
                        .filter(|n| !n.is_empty())
                        .map(str::to_owned)
                        .collect();
                    if names.is_empty() {
                        return Err("`--only` needs at least one document name".into());
                    }
                    parsed.only.extend(names);
                }
                "--iterations" => {
                    let text = value("--iterations")?;
                    match text.parse::<usize>() {
                        Ok(n) if n > 0 => parsed.iterations = Some(n),
                        _ => {
                            return Err(format!(
                                "`--iterations` needs a positive whole number, not `{text}`"
                            ));
                        }
                    }
                }
                "--peak-rss-of" => parsed.peak_rss_of = Some(value("--peak-rss-of")?),
                "--progenitor" => parsed.progenitor = Some(value("--progenitor")?.into()),
                other => return Err(format!("unexpected argument `{other}`")),
            }
        }
        let known = || {
            DOCUMENTS
                .iter()
                .map(|d| format!("{} ({})", d.name, d.file()))
                .collect::<Vec<_>>()
                .join(", ")
        };
        for name in parsed.only.iter().chain(&parsed.peak_rss_of) {
            if !DOCUMENTS.iter().any(|d| d.is_named(name)) {
                return Err(format!(
                    "no benchmark document named `{name}` (known: {})",
                    known()
                ));
            }
        }
        Ok(parsed)
    }

    /// The documents `--only` selects, in table order.
    fn documents(&self) -> Vec<Document> {
        DOCUMENTS
            .iter()
            .filter(|d| self.only.is_empty() || self.only.iter().any(|n| d.is_named(n)))
            .copied()
            .collect()
    }
}

/// `cargo xtask bench ...`: builds the xtask with `--release` and runs
/// `bench-run` there. Always through cargo: the dev profile turns debug
/// assertions off for the xtask and the generator (Cargo.toml), so they
/// cannot tell this build from the release one (fat LTO, one codegen
/// unit), the one to measure.
pub fn bench(args: &[String]) -> ExitCode {
    // Bad arguments are told before anything is built.
    if let Err(message) = BenchArgs::parse(args) {
        return usage(&message);
    }
    let root = workspace_root();
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));
    eprintln!(
        "bench: building the xtask with --release, so that the generator measured is optimized"
    );
    let status = Command::new(&cargo)
        .args(["run", "--release", "--package", "xtask", "--manifest-path"])
        .arg(root.join("Cargo.toml"))
        .args(["--", "bench-run"])
        .args(args)
        .status();
    match status {
        Ok(status) => match status.code() {
            Some(code) => ExitCode::from(u8::try_from(code).unwrap_or(exit::INTERNAL)),
            None => {
                eprintln!("error: `cargo run --release` was killed ({status})");
                ExitCode::from(exit::INTERNAL)
            }
        },
        Err(e) => {
            eprintln!(
                "error: cannot run `{} run --release`: {e}",
                Path::new(&cargo).display()
            );
            ExitCode::from(exit::INTERNAL)
        }
    }
}

/// Whether this executable is cargo's release build (`target/release/xtask`).
fn release_build() -> bool {
    std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.file_name()? == "release"))
        .unwrap_or(false)
}

/// `cargo xtask bench-run ...` (hidden): the benchmark itself, in this process.
pub fn bench_run(args: &[String]) -> ExitCode {
    match BenchArgs::parse(args) {
        Ok(parsed) => {
            if !release_build() && parsed.peak_rss_of.is_none() {
                eprintln!(
                    "warning: bench-run outside the release build: these numbers are not those of the optimized generator; use `cargo xtask bench`"
                );
            }
            run(&parsed)
        }
        Err(message) => usage(&message),
    }
}

fn run(args: &BenchArgs) -> ExitCode {
    let root = workspace_root();
    if let Some(name) = &args.peak_rss_of {
        let allocator = if args.peak_kept {
            Allocator::Kept
        } else {
            Allocator::AsUsers
        };
        return peak_rss_child(&root, name, allocator);
    }
    let mut out = String::new();
    let _ = writeln!(out, "{}\n", machine_line(&root));

    let mut results = Vec::new();
    let mut notes = Vec::new();
    let mut failed = false;
    for doc in args.documents() {
        let path = root.join(doc.path);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) => {
                let note = format!("skipped {}: cannot read {}: {e}", doc.file(), doc.path);
                eprintln!("bench: {note}");
                notes.push(note);
                continue;
            }
        };
        let iterations = args.iterations.unwrap_or(doc.iterations);
        eprintln!(
            "bench: {}: {iterations} runs, then one more in a child process for peak memory",
            doc.file()
        );
        match measure(&root, &doc, &text, iterations) {
            Ok(result) => results.push(result),
            Err(failure) => {
                failed = true;
                notes.push(format!(
                    "FAILED {}: the document did not generate (exit {}); see stderr",
                    doc.file(),
                    failure.code
                ));
            }
        }
    }

    if !results.is_empty() {
        out.push_str(&table(&results));
        out.push('\n');
        out.push_str(&targets(&results));
        out.push('\n');
        out.push_str(&shares(&results));
    }
    if !notes.is_empty() {
        out.push('\n');
        for note in &notes {
            let _ = writeln!(out, "{note}");
        }
    }
    print!("{out}");

    let progenitor = versus::find_progenitor(&root, args.progenitor.as_deref());
    if results.iter().any(|r| r.doc.name == "nexus") {
        match versus::versus(&root, progenitor.as_deref()) {
            Ok((report, all_ran)) => {
                print!("\n{report}");
                failed |= !all_ran;
            }
            Err(message) => {
                eprintln!("error: {message}");
                return ExitCode::from(exit::INTERNAL);
            }
        }
    }
    if args.compile {
        let docs: Vec<Document> = results.iter().map(|r| r.doc).collect();
        match compile::compile(&root, &docs, progenitor.as_deref()) {
            Ok((report, all_built)) => {
                print!("\n{report}");
                failed |= !all_built;
            }
            Err(message) => {
                eprintln!("error: {message}");
                return ExitCode::from(exit::INTERNAL);
            }
        }
    }
    if failed {
        ExitCode::from(exit::NOT_CLEAN)
    } else {
        ExitCode::SUCCESS
    }
}

/// `rustc 1.95.0 (...) · 2 CPUs (model) · linux · release build · ...`.
fn machine_line(root: &Path) -> String {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| OsString::from("rustc"));
    let rustc = Command::new(rustc)
        .arg("-V")
        .current_dir(root)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_else(|| "rustc: unknown version".into());
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find_map(|l| l.strip_prefix("model name")?.split_once(':'))
                .map(|(_, model)| format!(" ({})", model.trim()))
        })
        .unwrap_or_default();
    let profile = if release_build() {
        "release build"
    } else {
        "NOT the release build (not representative)"
    };
    format!(
        "{rustc} · {cpus} CPUs{model} · {} · {profile} · median of each phase over the runs · peak RSS of a separate process per document",
        std::env::consts::OS
    )
}

/// The time of each phase of one generation.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Phases {
    load: Duration,
    lower: Duration,
    emit: Duration,
    format: Duration,
    /// Emission and formatting together, on every core: what `render`
    /// takes.
    render: Duration,
    write: Duration,
    total: Duration,
}

/// What one generation produced.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Output {
    files: usize,
    lines: usize,
    bytes: usize,
}

/// The result of one document.
#[derive(Debug, Clone, PartialEq)]
struct DocResult {
    doc: Document,
    input_bytes: usize,
    runs: usize,
    /// The median of each phase (and of the total), separately.
    median: Phases,
    output: Output,
    /// Peak resident set size in KiB, `None` where it cannot be read.
    peak_kib: Option<u64>,
    /// For a document generated lean (`alloc::Lean`), the peak RSS had
    /// mimalloc kept freed memory, as for a small document.
    kept_peak_kib: Option<u64>,
    /// The most bytes live on the heap at once in that child: what the
    /// generation holds, without the executable or what the allocator keeps.
    heap_peak_bytes: Option<u64>,
}

/// Generates `doc` `iterations` times, then once more in a child process
/// for its peak memory.
fn measure(
    root: &Path,
    doc: &Document,
    text: &str,
    iterations: usize,
) -> Result<DocResult, Failure> {
    let out_root = root.join(BENCH_DIR).join("out").join(doc.name);
    let clear = || match std::fs::remove_dir_all(&out_root) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Failure::report(
            exit::INTERNAL,
            format!("error: cannot remove {}: {e}", out_root.display()),
        )),
    };
    clear()?;
    let mut samples = Vec::with_capacity(iterations);
    let mut output = Output::default();
    for i in 0..iterations {
        let (phases, out) = generate_once(doc, text, &out_root.join(i.to_string()))?;
        samples.push(phases);
        output = out;
    }
    clear()?;
    let (peak_kib, heap_peak_bytes) = peak_rss_of_child(doc, Allocator::AsUsers)?;
    let kept_peak_kib = if crate::alloc::Lean::applies_to(text.len()) {
        peak_rss_of_child(doc, Allocator::Kept)?.0
    } else {
        None
    };
    Ok(DocResult {
        doc: *doc,
        input_bytes: text.len(),
        runs: iterations,
        median: median(&samples),
        output,
        peak_kib,
        kept_peak_kib,
        heap_peak_bytes,
    })
}

/// One generation, as `openapi_codegen::generate` and `write::write` do it,
/// with the time of each phase. The parsed document is dropped at the end
/// of lowering, as in `lower_text`.
fn generate_once(doc: &Document, text: &str, out: &Path) -> Result<(Phases, Output), Failure> {
    let label = doc.path;
    let crate_name = doc.crate_name();
    let attempt = std::panic::catch_unwind(|| -> Result<(Phases, Files), Failure> {
        let invalid = || {
            // The phases' own errors lack positions; `lower_text` adds them.
            let message = match openapi_codegen::lower_text(label, text) {
                Err(diagnostics) => diagnostics.to_string(),
                Ok(_) => format!("error: {label} failed to load or lower, then succeeded"),
            };
            Failure::report(exit::INVALID_SPEC, message)
        };
        let mut config = openapi_codegen::Config::new(crate_name.clone());
        config.spec_label = label.to_owned();
        let started = Instant::now();
        let keep = load::Keep::for_config(&config);
        let document = load::load_for_lowering(label, text, keep).map_err(|_| invalid())?;
        let loaded = Instant::now();
        let api = lower::lower(&config, document);
        let lowered = Instant::now();

        // `render`, from here on.
        let header = format!(
            "{} from {label}.\nDo not edit by hand: change the spec and run `{}`.",
            write::MARKER,
            "cargo xtask bench"
        );
        let manifest = emit::manifest(&api, &config, &header);
        let mut files = BTreeMap::new();
        files.insert("Cargo.toml".to_owned(), manifest);
        let plans = emit::plan(&api, &crate_name);
        let formatted = format::format_plans(&plans, &header).map_err(|e| {
            Failure::report(
                exit::INTERNAL,
                format!("error: internal error: {e}; this is a bug in openapi-codegen"),
            )
        })?;
        for (path, text) in formatted {
            files.insert(path.to_owned(), text);
        }
        let files = Files(files);
        let formatted = Instant::now();

        write::write(out, &files)
            .map_err(|e| Failure::report(exit::INTERNAL, format!("error: {e}")))?;
        let written = Instant::now();
        // Emission and formatting run together, part by part, on every
        // core; each alone, on one thread, is timed apart from the total.
        let emit_started = Instant::now();
        let emitted = emit::emit(&api, &crate_name);
        let emit = emit_started.elapsed();
        let format_started = Instant::now();
        for (_, tokens) in emitted.files {
            drop(format::format_file(tokens, &header));
        }
        let phases = Phases {
            load: loaded - started,
            lower: lowered - loaded,
            emit,
            format: format_started.elapsed(),
            render: formatted - lowered,
            write: written - formatted,
            total: written - started,
        };
        Ok((phases, files))
    });
    let (phases, files) = match attempt {
        Ok(result) => result?,
        Err(_) => {
            return Err(Failure::report(
                exit::INTERNAL,
                format!(
                    "error: the generator panicked on {label}; this is a bug in openapi-codegen"
                ),
            ));
        }
    };
    let output = Output {
        files: files.0.len(),
        lines: files.0.values().map(|t| t.lines().count()).sum(),
        bytes: files.0.values().map(String::len).sum(),
    };
    Ok((phases, output))
}

/// The median of `values` (the mean of the middle two for an even count;
/// zero for none).
fn median_of(mut values: Vec<Duration>) -> Duration {
    values.sort();
    match values.len() {
        0 => Duration::ZERO,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2,
    }
}

/// The median of each field separately (the mean of the middle two for an
/// even count).
fn median(samples: &[Phases]) -> Phases {
    let of = |field: fn(&Phases) -> Duration| median_of(samples.iter().map(field).collect());
    Phases {
        load: of(|p| p.load),
        lower: of(|p| p.lower),
        emit: of(|p| p.emit),
        format: of(|p| p.format),
        render: of(|p| p.render),
        write: of(|p| p.write),
        total: of(|p| p.total),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn parse_reads_only_iterations_and_compile() {
        let parsed = BenchArgs::parse(&args(&[
            "--only",
            "nexus,api.github.com.json",
            "--iterations",
            "3",
            "--compile",
            "--progenitor",
            "/opt/cargo-progenitor",
        ]))
        .unwrap();
        assert_eq!(parsed.only, ["nexus", "api.github.com.json"]);
        assert_eq!(parsed.iterations, Some(3));
        assert!(parsed.compile);
        assert_eq!(
            parsed.progenitor.as_deref(),
            Some(Path::new("/opt/cargo-progenitor"))
        );
        let names: Vec<&str> = parsed.documents().iter().map(|d| d.name).collect();
        assert_eq!(names, ["nexus", "github"]);
        assert_eq!(BenchArgs::parse(&[]).unwrap().documents().len(), 4);
        assert!(
            BenchArgs::parse(&args(&["--only", "api.github.com"]))
                .unwrap()
                .documents()
                .iter()
                .all(|d| d.name == "github")
        );
        for bad in [
            &["--only"][..],
            &["--only", ","],
            &["--only", "petstore"],
            &["--iterations", "0"],
            &["--iterations", "x"],
            &["--json"],
            &["--progenitor"],
        ] {
            assert!(BenchArgs::parse(&args(bad)).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn medians_are_taken_per_phase() {
        let p = |ms: u64| Phases {
            load: Duration::from_millis(ms),
            total: Duration::from_millis(100 - ms),
            ..Phases::default()
        };
        let m = median(&[p(5), p(1), p(9)]);
        assert_eq!(m.load, Duration::from_millis(5));
        assert_eq!(m.total, Duration::from_millis(95));
        let m = median(&[p(1), p(2), p(4), p(9)]);
        assert_eq!(m.load, Duration::from_millis(3));
    }
}
