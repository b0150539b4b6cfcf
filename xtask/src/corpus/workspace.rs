//! The corpus workspace under `target/corpus`: each document generated into
//! it, its lock kept in step with the main workspace's, and cargo run on
//! each crate.

use super::calls::{self, Mode, Prism};
use super::{CORPUS_DIR, CorpusArgs, Document, Row, Step};
use crate::CodegenArgs;
use std::ffi::OsString;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The corpus workspace under `target/corpus`.
pub(super) struct Corpus {
    /// The workspace root.
    root: PathBuf,
    /// `target/corpus`.
    dir: PathBuf,
    /// The main workspace's `Cargo.lock`.
    root_lock: PathBuf,
}

impl Corpus {
    pub(super) fn new(root: &Path) -> Corpus {
        Corpus::at(root, root.join("target/corpus"))
    }

    /// A corpus workspace in `dir` (`--undocumented`'s, beside the other).
    pub(super) fn at(root: &Path, dir: PathBuf) -> Corpus {
        Corpus {
            root: root.to_owned(),
            dir,
            root_lock: root.join("Cargo.lock"),
        }
    }

    fn manifest(&self) -> PathBuf {
        self.dir.join("Cargo.toml")
    }

    /// Generates every document, writes the workspace, then checks each
    /// generated crate. An `Err` is a failure of the machinery, not of a
    /// document.
    pub(super) fn run(
        &self,
        documents: &[Document],
        args: &CorpusArgs,
        prism: Option<&Prism>,
    ) -> Result<Vec<Row>, String> {
        let wire = !args.skip_wire;
        let mut rows: Vec<Row> = documents
            .iter()
            .map(|doc| self.generate(doc, wire, prism.is_some()))
            .collect();
        let known = calls::known(&self.root);

        let members: Vec<&str> = rows
            .iter()
            .filter(|row| row.generated())
            .map(|row| row.document.crate_name.as_str())
            .collect();
        self.write_workspace(&members)?;
        if members.is_empty() {
            return Ok(rows);
        }
        self.prepare_lock()?;

        for row in rows.iter_mut().filter(|row| row.generated()) {
            let name = row.document.crate_name.clone();
            if args.wire_only {
                row.clippy = Step::Skipped;
                self.wire(row, &name)?;
                continue;
            }
            if args.skip_clippy {
                let (passed, elapsed, output) = self.cargo("check", &name)?;
                row.check = if passed {
                    Step::Passed(elapsed)
                } else {
                    row.cargo_output = Some(output);
                    Step::Failed(elapsed)
                };
                row.clippy = Step::Skipped;
                if wire && passed {
                    self.wire(row, &name)?;
                }
                if let Some(prism) = prism
                    && passed
                    && !matches!(row.wire, Step::Failed(_))
                {
                    self.calls(row, prism, &known)?;
                }
                continue;
            }
            // `cargo clippy` is `cargo check` and the lints, in one build
            // instead of two: a compiler error (`error[E…]`) is a failed
            // check, any other error a lint.
            let (passed, elapsed, output) = self.cargo("clippy", &name)?;
            (row.check, row.clippy) = if passed {
                (Step::InClippy, Step::Passed(elapsed))
            } else if output.lines().any(|l| l.starts_with("error[E")) {
                (Step::Failed(elapsed), Step::NotRun)
            } else {
                (Step::InClippy, Step::Failed(elapsed))
            };
            if !passed {
                row.cargo_output = Some(output);
                continue;
            }
            if args.undocumented {
                let (passed, more, output) = self.cargo("doc", &name)?;
                if !passed {
                    row.clippy = Step::Failed(elapsed + more);
                    row.cargo_output = Some(output);
                    continue;
                }
            }
            if self.has_sessions(&name) {
                let (passed, more, output) = self.cargo("session-example", &name)?;
                if !passed {
                    row.clippy = Step::Failed(elapsed + more);
                    row.cargo_output = Some(output);
                    continue;
                }
            }
            if wire {
                self.wire(row, &name)?;
            }
            if let Some(prism) = prism
                && !matches!(row.wire, Step::Failed(_))
            {
                self.calls(row, prism, &known)?;
            }
        }
        Ok(rows)
    }

    /// Whether the crate has WebSocket sessions (its `websocket` feature).
    fn has_sessions(&self, name: &str) -> bool {
        let manifest = self.dir.join("crates").join(name).join("Cargo.toml");
        std::fs::read_to_string(manifest).is_ok_and(|text| text.contains("\nwebsocket = ["))
    }

    /// Runs the crate's call tests (`tests/calls.rs`) against Prism serving
    /// its document, in each mode, and judges their reports.
    fn calls(
        &self,
        row: &mut Row,
        prism: &Prism,
        known: &[(String, String, String)],
    ) -> Result<(), String> {
        let name = row.document.crate_name.clone();
        // A document of webhooks alone (Prism will not serve one without
        // operations): nothing to call.
        if row.counts.is_some_and(|(_, operations)| operations == 0) {
            return Ok(());
        }
        let dir = self.dir.join("calls");
        std::fs::create_dir_all(&dir).map_err(|e| format!("cannot make {}: {e}", dir.display()))?;
        let mut answers = None;
        for mode in Mode::BOTH {
            eprintln!(
                "corpus: Prism ({}) serving {}",
                mode.name(),
                row.document.file
            );
            let mut run = calls::call(
                prism,
                &row.document.path,
                mode,
                &dir,
                &name,
                &mut answers,
                |base_url, report, only| {
                    let env = [
                        ("CALLS_BASE_URL", base_url.to_owned()),
                        ("CALLS_REPORT", report.display().to_string()),
                        ("CALLS_ONLY", only.join(",")),
                    ];
                    self.cargo_with("calls", &name, &env)
                        .map(|(_, _, output)| output)
                },
            )?;
            run.sort_known(known, &row.document.file, mode);
            row.calls.push((mode, run));
        }
        Ok(())
    }

    /// Runs the crate's wire tests (`tests/wire.rs`): its types against
    /// the document's examples and instances built from its schemas.
    fn wire(&self, row: &mut Row, name: &str) -> Result<(), String> {
        let (passed, elapsed, output) = self.cargo("wire", name)?;
        row.wire_summary = output
            .lines()
            .find_map(|l| l.strip_prefix("wire: "))
            .map(str::to_owned);
        row.document_faults = output
            .lines()
            .filter_map(|l| l.strip_prefix("DOCUMENT "))
            .map(str::to_owned)
            .collect();
        if row.check == Step::NotRun {
            row.check = if output.lines().any(|l| l.starts_with("error[E")) {
                Step::Failed(elapsed)
            } else {
                Step::InWire
            };
        }
        row.wire = if passed {
            Step::Passed(elapsed)
        } else {
            // Only what says why: the failures, or the compiler's errors.
            let failures: Vec<&str> = output.lines().filter(|l| l.starts_with("FAIL ")).collect();
            row.cargo_output = Some(if failures.is_empty() {
                output
            } else {
                failures.join("\n")
            });
            Step::Failed(elapsed)
        };
        if row.check == Step::Failed(elapsed) {
            row.wire = Step::NotRun;
        }
        Ok(())
    }

    /// `cargo xtask codegen --spec FILE --out DIR --name NAME` for one
    /// document; what it prints goes to stderr as it would there.
    fn generate(&self, doc: &Document, wire: bool, calls: bool) -> Row {
        let out_label = format!("target/corpus/crates/{}", doc.crate_name);
        let mut target = CodegenArgs::standalone(
            false,
            doc.path.clone(),
            format!("{CORPUS_DIR}/{}", doc.relative),
            self.dir.join("crates").join(&doc.crate_name),
            &out_label,
            doc.crate_name.clone(),
        );
        // Scratch crates: no change report.
        target.builder = target.builder.compare(false);
        if wire {
            target.builder = target.builder.example_tests(true);
        }
        if calls {
            target.builder = target.builder.call_tests(true);
        }
        eprintln!("corpus: generating {} into {out_label}", doc.file);
        let mut row = Row {
            document: doc.clone(),
            counts: None,
            generate: None,
            generate_failure: None,
            skipped: None,
            check: Step::NotRun,
            clippy: Step::NotRun,
            wire: Step::NotRun,
            wire_summary: None,
            document_faults: Vec::new(),
            cargo_output: None,
            calls: Vec::new(),
            left_out: 0,
        };
        match target.generate() {
            Ok(generation) => {
                let api = &generation.generated.api;
                row.counts = Some((api.types.len(), api.operations.len()));
                let left_out: std::collections::BTreeSet<&str> = api
                    .skipped
                    .iter()
                    .filter_map(|s| s.subject.as_deref())
                    .filter(|s| s.starts_with("operation "))
                    .collect();
                row.left_out = left_out.len();
                row.generate = Some(generation.elapsed);
                row.skipped = openapi_codegen::skips::report(&target.label(), &api.skipped, false);
                row.generate_failure = target.write(&generation.generated, &mut Vec::new()).err();
            }
            Err(failure) => row.generate_failure = Some(failure),
        }
        row
    }

    /// `target/corpus/Cargo.toml`: a workspace of `members` (crate names).
    fn write_workspace(&self, members: &[&str]) -> Result<(), String> {
        let mut text = String::from(
            "# Written by `cargo xtask corpus`: the crates it generated from\n\
             # the documents in corpus/ in its last run. Not part of the main workspace.\n\
             [workspace]\nresolver = \"3\"\nmembers = [\n",
        );
        for member in members {
            let _ = writeln!(text, "    \"crates/{member}\",");
        }
        text.push_str("]\n");
        let path = self.manifest();
        if std::fs::read_to_string(&path).is_ok_and(|old| old == text) {
            return Ok(());
        }
        std::fs::create_dir_all(&self.dir)
            .and_then(|()| std::fs::write(&path, text))
            .map_err(|e| format!("cannot write {}: {e}", path.display()))
    }

    /// Starts the corpus workspace from the main workspace's `Cargo.lock`
    /// when it has none: the same dependency versions, and no resolution
    /// from the network while the registry cache is warm. When it has one,
    /// tops it up from the main one (see [`top_up_lock`]): cargo drops from
    /// the lock file what the members of a run do not use, so a run with
    /// `--only` would otherwise make the next full run resolve those
    /// dependencies afresh, to other versions.
    fn prepare_lock(&self) -> Result<(), String> {
        let lock = self.dir.join("Cargo.lock");
        let cannot = |what: &str, path: &Path, e: std::io::Error| {
            format!("cannot {what} {}: {e}", path.display())
        };
        let root = std::fs::read_to_string(&self.root_lock)
            .map_err(|e| cannot("read", &self.root_lock, e))?;
        let text = match std::fs::read_to_string(&lock) {
            Ok(corpus) => match top_up_lock(&corpus, &root) {
                Some(text) => text,
                None => return Ok(()),
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => root,
            Err(e) => return Err(cannot("read", &lock, e)),
        };
        std::fs::write(&lock, text).map_err(|e| cannot("write", &lock, e))
    }

    /// Runs `cargo SUBCOMMAND -p NAME` in the corpus workspace (with `-D
    /// warnings` for clippy): whether it passed, how long it took, and what
    /// it printed.
    fn cargo(&self, subcommand: &str, name: &str) -> Result<(bool, Duration, String), String> {
        self.cargo_with(subcommand, name, &[])
    }

    /// [`Self::cargo`] with more environment; `calls` is `cargo test --test
    /// calls`, as `wire` is `cargo test --test wire`.
    fn cargo_with(
        &self,
        subcommand: &str,
        name: &str,
        env: &[(&str, String)],
    ) -> Result<(bool, Duration, String), String> {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));
        let mut command = Command::new(&cargo);
        command
            .arg(subcommand)
            .args(["-p", name, "--color", "never", "--manifest-path"])
            .arg(self.manifest())
            .env("CARGO_TARGET_DIR", self.dir.join("target"))
            .current_dir(&self.dir);
        if subcommand == "clippy" {
            // Every feature: the `tracing` spans and the WebSocket sessions
            // are code users build too.
            command.args(["--all-features", "--", "-D", "warnings"]);
        }
        if subcommand == "doc" {
            // rustdoc, warnings denied, with every feature's items.
            command
                .args(["--no-deps", "--all-features"])
                .env("RUSTDOCFLAGS", "-D warnings");
        }
        if subcommand == "session-example" {
            // The `session` module's example, which only the `websocket`
            // feature compiles.
            command = Command::new(&cargo);
            command
                .args([
                    "test",
                    "-p",
                    name,
                    "--doc",
                    "--features",
                    "websocket",
                    "--color",
                    "never",
                ])
                .arg("--manifest-path")
                .arg(self.manifest())
                .env("CARGO_TARGET_DIR", self.dir.join("target"))
                .current_dir(&self.dir)
                .args(["--", "session"]);
        }
        if subcommand == "wire" || subcommand == "calls" {
            // `cargo test --test wire`, its output shown even when it passes.
            command = Command::new(&cargo);
            command
                .args(["test", "-p", name, "--test", subcommand, "--color", "never"])
                .arg("--manifest-path")
                .arg(self.manifest())
                .env("CARGO_TARGET_DIR", self.dir.join("target"))
                .current_dir(&self.dir)
                .args(["--", "--nocapture"]);
        }
        command.envs(env.iter().map(|(k, v)| (k, v)));
        eprintln!("corpus: cargo {subcommand} -p {name}");
        let started = Instant::now();
        let output = command.output().map_err(|e| {
            format!(
                "cannot run `{} {subcommand}`: {e}",
                Path::new(&cargo).display()
            )
        })?;
        let elapsed = started.elapsed();
        let mut text = String::from_utf8_lossy(&output.stderr).into_owned();
        text.push_str(&String::from_utf8_lossy(&output.stdout));
        let passed = output.status.success();
        // A failure names its first error on the progress line itself: a CI
        // log that keeps only a part of the output (the table and the
        // details come last) still says why, a full disk included.
        let why = if passed {
            String::new()
        } else {
            first_error(&text)
                .map(|line| format!(": {line}"))
                .unwrap_or_default()
        };
        eprintln!(
            "corpus: cargo {subcommand} -p {name}: {} in {:.1} s{why}",
            if passed { "ok" } else { "failed" },
            elapsed.as_secs_f64()
        );
        Ok((passed, elapsed, text))
    }
}

/// The first line of cargo's output that says what went wrong: an error,
/// or a test that failed.
pub(super) fn first_error(text: &str) -> Option<&str> {
    text.lines().map(str::trim).find(|line| {
        line.starts_with("error")
            || line.starts_with("thread '")
            || line.contains("No space left on device")
            || line.ends_with("... FAILED")
    })
}

/// `corpus` (a `Cargo.lock`) with every registry package of `root` whose
/// name it lacks added, or `None` when it lacks none (or either is not a
/// lock file this understands). A bare dependency (`"foo"`) of an added
/// package that the addition makes ambiguous gets the version it has in
/// `root`, as cargo writes it. Cargo ignores, and drops on its next write,
/// the packages nothing uses.
pub(super) fn top_up_lock(corpus: &str, root: &str) -> Option<String> {
    const SEPARATOR: &str = "\n[[package]]\n";
    let field = |block: &str, key: &str| -> Option<String> {
        let prefix = format!("{key} = \"");
        block
            .lines()
            .find_map(|line| line.strip_prefix(prefix.as_str())?.strip_suffix('"'))
            .map(str::to_owned)
    };
    let parse = |text: &str| -> Option<(String, Vec<String>)> {
        let mut parts = text.split(SEPARATOR);
        let header = parts.next()?.to_owned();
        let known_format = header
            .lines()
            .any(|l| l == "version = 3" || l == "version = 4");
        let blocks: Vec<String> = parts.map(str::to_owned).collect();
        // Sections other than packages (the old `[metadata]`) are not understood.
        let only_packages = blocks
            .iter()
            .all(|b| !b.lines().any(|l| l.starts_with('[') && l.ends_with(']')));
        (known_format && only_packages).then_some((header, blocks))
    };
    let (header, mut blocks) = parse(corpus)?;
    let (_, root_blocks) = parse(root)?;

    let names: std::collections::BTreeSet<String> =
        blocks.iter().filter_map(|b| field(b, "name")).collect();
    let added: Vec<&String> = root_blocks
        .iter()
        .filter(|b| b.lines().any(|l| l.starts_with("source = ")))
        .filter(|b| field(b, "name").is_some_and(|n| !names.contains(&n)))
        .collect();
    if added.is_empty() {
        return None;
    }

    // name → versions, over the merged lock; name → version, in `root`.
    let mut versions: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for block in blocks.iter().chain(added.iter().copied()) {
        if let (Some(name), Some(version)) = (field(block, "name"), field(block, "version")) {
            versions.entry(name).or_default().push(version);
        }
    }
    let root_version = |name: &str| {
        root_blocks
            .iter()
            .find(|b| field(b, "name").as_deref() == Some(name))
            .and_then(|b| field(b, "version"))
    };
    for block in added {
        let mut text = String::new();
        for line in block.lines() {
            let bare = line
                .strip_prefix(" \"")
                .and_then(|l| l.strip_suffix("\","))
                .filter(|name| !name.contains(' '));
            match bare {
                Some(name) if versions.get(name).is_some_and(|v| v.len() > 1) => {
                    match root_version(name) {
                        Some(version) => {
                            let _ = writeln!(text, " \"{name} {version}\",");
                        }
                        None => {
                            let _ = writeln!(text, "{line}");
                        }
                    }
                }
                _ => {
                    text.push_str(line);
                    text.push('\n');
                }
            }
        }
        blocks.push(text);
    }
    let mut out = header;
    for block in &blocks {
        out.push_str(SEPARATOR);
        out.push_str(block);
    }
    Some(out)
}
