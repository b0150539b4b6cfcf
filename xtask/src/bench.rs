//! `cargo xtask bench`: how long each phase of the generator takes, on the
//! payments spec and on two large real-world documents, in a release build.
//!
//! The xtask itself is built in the dev profile, which says nothing about
//! the generator's speed, so `bench` re-runs itself as `cargo run --release
//! --package xtask -- bench-run ...` (a hidden task) and does the work there.
//! A release build of the xtask runs `bench-run` at once.
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
//! `--compile` also generates each document into a workspace of its own,
//! `target/bench/compile` (its own target dir, the main workspace's
//! `Cargo.lock`), builds the dependencies, then times `cargo check` and
//! `cargo build` of each generated crate alone after `touch src/lib.rs`,
//! with `CARGO_INCREMENTAL=0`.

use crate::{CodegenArgs, Failure, exit, usage, workspace_root};
use openapi_codegen::{Files, emit, format, load, lower, write};
use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant, SystemTime};

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
const DOCUMENTS: [Document; 3] = [
    Document {
        name: "payments",
        path: "spec/payments.yaml",
        iterations: 10,
        total_target: None,
        peak_target_mb: None,
    },
    Document {
        name: "nexus",
        path: "corpus/progenitor/nexus.json",
        iterations: 10,
        total_target: Some(Duration::from_millis(150)),
        peak_target_mb: Some(100.0),
    },
    Document {
        name: "github",
        path: "corpus/progenitor/api.github.com.json",
        iterations: 5,
        total_target: Some(Duration::from_secs(1)),
        peak_target_mb: Some(300.0),
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

/// `cargo xtask bench ...`: in a debug build, rebuilds the xtask with
/// `--release` and runs `bench-run` there; in a release build, runs it here.
pub fn bench(args: &[String]) -> ExitCode {
    let parsed = match BenchArgs::parse(args) {
        Ok(parsed) => parsed,
        Err(message) => return usage(&message),
    };
    if !cfg!(debug_assertions) {
        return run(&parsed);
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

/// `cargo xtask bench-run ...` (hidden): the benchmark itself, in this process.
pub fn bench_run(args: &[String]) -> ExitCode {
    match BenchArgs::parse(args) {
        Ok(parsed) => {
            if cfg!(debug_assertions) && parsed.peak_rss_of.is_none() {
                eprintln!(
                    "warning: bench-run in a debug build: these numbers are not those of the optimized generator; use `cargo xtask bench`"
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
        return peak_rss_child(&root, name);
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

    if args.compile {
        let docs: Vec<Document> = results.iter().map(|r| r.doc).collect();
        match compile(&root, &docs) {
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
    let profile = if cfg!(debug_assertions) {
        "DEBUG build (not representative)"
    } else {
        "release build"
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
    let peak_kib = peak_rss_of_child(doc)?;
    Ok(DocResult {
        doc: *doc,
        input_bytes: text.len(),
        runs: iterations,
        median: median(&samples),
        output,
        peak_kib,
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
        let openapi = load::load(label, text).map_err(|_| invalid())?;
        let loaded = Instant::now();
        let api = lower::lower(&config, &openapi);
        drop(openapi);
        let lowered = Instant::now();

        // `render`, from here on.
        let header = format!(
            "{} from {label}.\nDo not edit by hand: change the spec and run `{}`.",
            write::MARKER,
            "cargo xtask bench"
        );
        let manifest = emit::manifest(&api, &crate_name, "0.1.0", &header);
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
        let emitted_at = lowered;
        let files = Files(files);
        let formatted = Instant::now();

        write::write(out, &files)
            .map_err(|e| Failure::report(exit::INTERNAL, format!("error: {e}")))?;
        let written = Instant::now();
        let phases = Phases {
            load: loaded - started,
            lower: lowered - loaded,
            emit: emitted_at - lowered,
            format: formatted - emitted_at,
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

/// The median of each field separately (the mean of the middle two for an
/// even count).
fn median(samples: &[Phases]) -> Phases {
    let of = |field: fn(&Phases) -> Duration| {
        let mut values: Vec<Duration> = samples.iter().map(field).collect();
        values.sort();
        match values.len() {
            0 => Duration::ZERO,
            n if n % 2 == 1 => values[n / 2],
            n => (values[n / 2 - 1] + values[n / 2]) / 2,
        }
    };
    Phases {
        load: of(|p| p.load),
        lower: of(|p| p.lower),
        emit: of(|p| p.emit),
        format: of(|p| p.format),
        write: of(|p| p.write),
        total: of(|p| p.total),
    }
}

/// The line the peak-memory child prints on stdout.
const PEAK_PREFIX: &str = "peak_rss_kib ";

/// Runs `bench-run --peak-rss-of NAME` in a child process (this same
/// executable) and reads the peak memory it reports.
fn peak_rss_of_child(doc: &Document) -> Result<Option<u64>, Failure> {
    let exe = std::env::current_exe().map_err(|e| {
        Failure::report(
            exit::INTERNAL,
            format!("error: cannot find the running executable: {e}"),
        )
    })?;
    let output = Command::new(&exe)
        .args(["bench-run", "--peak-rss-of", doc.name])
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| {
            Failure::report(
                exit::INTERNAL,
                format!("error: cannot run {}: {e}", exe.display()),
            )
        })?;
    if !output.status.success() {
        let code = output
            .status
            .code()
            .and_then(|c| u8::try_from(c).ok())
            .unwrap_or(exit::INTERNAL);
        return Err(Failure::report(
            code,
            format!(
                "error: the peak-memory run of {} failed ({})",
                doc.file(),
                output.status
            ),
        ));
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    Ok(stdout
        .lines()
        .find_map(|l| l.strip_prefix(PEAK_PREFIX))
        .and_then(|v| v.trim().parse().ok()))
}

/// The child's side: read and generate `name` once, then print the peak
/// resident set size (`n/a` where `/proc/self/status` has none).
fn peak_rss_child(root: &Path, name: &str) -> ExitCode {
    let Some(doc) = DOCUMENTS.iter().find(|d| d.is_named(name)) else {
        return usage(&format!("no benchmark document named `{name}`"));
    };
    let text = match std::fs::read_to_string(root.join(doc.path)) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", doc.path);
            return ExitCode::from(exit::INVALID_SPEC);
        }
    };
    let out = root.join(BENCH_DIR).join("peak").join(doc.name);
    let _ = std::fs::remove_dir_all(&out);
    let result = generate_once(doc, &text, &out);
    let _ = std::fs::remove_dir_all(&out);
    match result {
        Ok(_) => {
            match peak_rss_kib() {
                Some(kib) => println!("{PEAK_PREFIX}{kib}"),
                None => println!("{PEAK_PREFIX}n/a"),
            }
            ExitCode::SUCCESS
        }
        Err(failure) => ExitCode::from(failure.code),
    }
}

/// `VmHWM` of `/proc/self/status`, in KiB: Linux only.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    parse_vm_hwm(&status)
}

fn parse_vm_hwm(status: &str) -> Option<u64> {
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().strip_suffix("kB"))
        .and_then(|v| v.trim().parse().ok())
}

fn mb(kib: u64) -> f64 {
    kib as f64 * 1024.0 / 1e6
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

fn mark(ok: bool) -> &'static str {
    if ok { "✓" } else { "✗" }
}

/// A target: `150 ms`, `1 s`.
fn limit(d: Duration) -> String {
    if d.subsec_nanos() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{} ms", d.as_millis())
    }
}

/// `1234567` → `1,234,567`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A size in bytes as KB or MB (10³, 10⁶).
fn size(bytes: usize) -> String {
    if bytes >= 1_000_000 {
        format!("{:.1} MB", bytes as f64 / 1e6)
    } else {
        format!("{:.0} KB", bytes as f64 / 1e3)
    }
}

impl DocResult {
    fn lower_emit_share(&self) -> f64 {
        (self.median.lower + self.median.emit).as_secs_f64()
            / self.median.total.as_secs_f64().max(f64::MIN_POSITIVE)
    }

    fn total_ok(&self) -> Option<bool> {
        self.doc.total_target.map(|t| self.median.total < t)
    }

    fn peak_ok(&self) -> Option<bool> {
        match (self.doc.peak_target_mb, self.peak_kib) {
            (Some(target), Some(kib)) => Some(mb(kib) < target),
            _ => None,
        }
    }
}

/// The results as a Markdown table, with ✓/✗ where there is a target.
fn table(results: &[DocResult]) -> String {
    let mut rows = vec![
        [
            "document",
            "input",
            "runs",
            "load",
            "lower",
            "emit",
            "format",
            "write",
            "total",
            "total/load",
            "(lower+emit)/total",
            "lines out",
            "bytes out",
            "peak RSS",
        ]
        .map(str::to_owned)
        .to_vec(),
    ];
    let with_mark = |text: String, ok: Option<bool>| match ok {
        Some(ok) => format!("{text} {}", mark(ok)),
        None => text,
    };
    for r in results {
        let m = &r.median;
        let share = r.lower_emit_share();
        rows.push(vec![
            r.doc.file().to_owned(),
            size(r.input_bytes),
            r.runs.to_string(),
            ms(m.load),
            ms(m.lower),
            ms(m.emit),
            ms(m.format),
            ms(m.write),
            with_mark(ms(m.total), r.total_ok()),
            format!(
                "{:.1}×",
                m.total.as_secs_f64() / m.load.as_secs_f64().max(f64::MIN_POSITIVE)
            ),
            with_mark(
                format!("{:.0}%", share * 100.0),
                Some(share < LOWER_EMIT_SHARE),
            ),
            thousands(r.output.lines),
            thousands(r.output.bytes),
            with_mark(
                r.peak_kib
                    .map_or("n/a".into(), |kib| format!("{:.1} MB", mb(kib))),
                r.peak_ok(),
            ),
        ]);
    }
    markdown_table(&rows)
}

/// Each target, whether it holds, and by how much.
fn targets(results: &[DocResult]) -> String {
    let mut out = String::from("Targets (✓ met, ✗ missed; timing never changes the exit code):\n");
    for r in results {
        let file = r.doc.file();
        if let (Some(target), Some(ok)) = (r.doc.total_target, r.total_ok()) {
            let _ = writeln!(
                out,
                "- {} {file}: total {} < {}",
                mark(ok),
                ms(r.median.total),
                limit(target)
            );
        }
        let share = r.lower_emit_share();
        let _ = writeln!(
            out,
            "- {} {file}: (lower+emit)/total {:.0}% < 33%",
            mark(share < LOWER_EMIT_SHARE),
            share * 100.0
        );
        if let Some(target) = r.doc.peak_target_mb {
            match (r.peak_kib, r.peak_ok()) {
                (Some(kib), Some(ok)) => {
                    let _ = writeln!(
                        out,
                        "- {} {file}: peak RSS {:.1} MB < {target:.0} MB",
                        mark(ok),
                        mb(kib)
                    );
                }
                _ => {
                    let _ = writeln!(
                        out,
                        "- ? {file}: peak RSS n/a (no /proc/self/status) < {target:.0} MB"
                    );
                }
            }
        }
    }
    out
}

/// Each phase's share of the total, largest first, per document.
fn shares(results: &[DocResult]) -> String {
    let mut out = String::from(
        "Share of each phase in the total (each column is its own median, so the phases need not add up to the total):\n",
    );
    for r in results {
        let m = &r.median;
        let total = m.total.as_secs_f64().max(f64::MIN_POSITIVE);
        let mut phases = [
            ("load", m.load),
            ("lower", m.lower),
            ("emit", m.emit),
            ("format", m.format),
            ("write", m.write),
        ];
        phases.sort_by_key(|p| std::cmp::Reverse(p.1));
        let parts: Vec<String> = phases
            .iter()
            .map(|(name, d)| format!("{name} {:.0}%", d.as_secs_f64() / total * 100.0))
            .collect();
        let _ = writeln!(out, "- {}: {}", r.doc.file(), parts.join(" · "));
    }
    out
}

/// A Markdown table with padded columns; the first row is the header.
fn markdown_table(rows: &[Vec<String>]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0; columns];
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |row: &[String]| {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, width)| format!("{cell}{}", " ".repeat(width - cell.chars().count())))
            .collect();
        format!("| {} |\n", cells.join(" | "))
    };
    let mut out = String::new();
    if let Some((header, body)) = rows.split_first() {
        out.push_str(&line(header));
        let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
        let _ = writeln!(out, "| {} |", rule.join(" | "));
        for row in body {
            out.push_str(&line(row));
        }
    }
    out
}

/// `--compile`: generates each document into `target/bench/compile`, builds
/// its dependencies, then times `cargo check` and `cargo build` of the
/// crate alone after touching its `src/lib.rs`. Returns the report and
/// whether every crate generated and built; an `Err` is a failure of the
/// machinery (a file that cannot be written, cargo that cannot be run).
fn compile(root: &Path, docs: &[Document]) -> Result<(String, bool), String> {
    let dir = root.join(BENCH_DIR).join("compile");
    let mut generated = Vec::new();
    let mut all_built = true;
    let mut rows = vec![
        [
            "crate",
            "lines",
            "cargo check (touch lib.rs)",
            "cargo build (touch lib.rs)",
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
        target.compare = false;
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
    // The main workspace's versions, and nothing to resolve from the network.
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
        for subcommand in ["check", "build"] {
            touch(name)?;
            eprintln!("bench: {name}: touch src/lib.rs; CARGO_INCREMENTAL=0 cargo {subcommand}");
            let (passed, elapsed, text) = cargo(subcommand, name, true)?;
            if passed {
                cells.push(format!("{:.1} s", elapsed.as_secs_f64()));
            } else {
                all_built = false;
                eprint!("{text}");
                cells.push(format!("failed after {:.1} s", elapsed.as_secs_f64()));
            }
        }
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
        ]))
        .unwrap();
        assert_eq!(parsed.only, ["nexus", "api.github.com.json"]);
        assert_eq!(parsed.iterations, Some(3));
        assert!(parsed.compile);
        let names: Vec<&str> = parsed.documents().iter().map(|d| d.name).collect();
        assert_eq!(names, ["nexus", "github"]);
        assert_eq!(BenchArgs::parse(&[]).unwrap().documents().len(), 3);
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

    #[test]
    fn vm_hwm_is_read_in_kib() {
        let status = "Name:\txtask\nVmPeak:\t  20000 kB\nVmHWM:\t   12345 kB\nVmRSS:\t 100 kB\n";
        assert_eq!(parse_vm_hwm(status), Some(12345));
        assert_eq!(parse_vm_hwm("Name:\tx\n"), None);
    }

    #[test]
    fn numbers_are_readable() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(size(436_683), "437 KB");
        assert_eq!(size(3_720_208), "3.7 MB");
        assert_eq!(ms(Duration::from_micros(12_345)), "12.3 ms");
        assert_eq!(limit(Duration::from_secs(1)), "1 s");
        assert_eq!(limit(Duration::from_millis(150)), "150 ms");
    }

    #[test]
    fn the_table_marks_targets() {
        let doc = DOCUMENTS[1];
        let result = DocResult {
            doc,
            input_bytes: 436_683,
            runs: 10,
            median: Phases {
                load: Duration::from_millis(20),
                lower: Duration::from_millis(10),
                emit: Duration::from_millis(10),
                format: Duration::from_millis(50),
                write: Duration::from_millis(10),
                total: Duration::from_millis(100),
            },
            output: Output {
                files: 6,
                lines: 12345,
                bytes: 456789,
            },
            peak_kib: Some(200_000),
        };
        let text = table(std::slice::from_ref(&result));
        let row = text.lines().nth(2).unwrap();
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        assert_eq!(
            cells[1..cells.len() - 1],
            [
                "nexus.json",
                "437 KB",
                "10",
                "20.0 ms",
                "10.0 ms",
                "10.0 ms",
                "50.0 ms",
                "10.0 ms",
                "100.0 ms ✓",
                "5.0×",
                "20% ✓",
                "12,345",
                "456,789",
                "204.8 MB ✗",
            ]
        );
        let targets = targets(std::slice::from_ref(&result));
        assert!(
            targets.contains("- ✓ nexus.json: total 100.0 ms < 150 ms"),
            "{targets}"
        );
        assert!(
            targets.contains("- ✗ nexus.json: peak RSS 204.8 MB < 100 MB"),
            "{targets}"
        );
        let shares = shares(&[result]);
        assert!(
            shares.contains("- nexus.json: format 50% · load 20% · "),
            "{shares}"
        );
    }
}
