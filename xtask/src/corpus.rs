//! `cargo xtask corpus`: generate a crate from every document of a corpus
//! of real-world OpenAPI documents, `cargo check` and `cargo clippy` each,
//! and print a table of the results.
//!
//! The corpus is `corpus/` in the workspace: one folder per source
//! (`progenitor/`, `apis/`, `zoo/`; `corpus/README.md` says where each
//! document came from). Each
//! document goes through the same code as `cargo xtask codegen --spec FILE
//! --out DIR --name NAME` ([`CodegenArgs::generate`] and
//! [`CodegenArgs::write`]), into `target/corpus/crates/NAME/`.
//! `target/corpus/Cargo.toml` is a workspace of its own whose members are the
//! crates generated in this run. Its `Cargo.lock` starts as a copy of the
//! workspace's and is topped up from it before every run, so dependency
//! versions match the main workspace and a warm registry cache needs no
//! network; all crates share one target directory, `target/corpus/target`.

use crate::{CodegenArgs, Failure, exit, usage, workspace_root};
use std::ffi::OsString;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

/// The corpus, relative to the workspace root.
pub const CORPUS_DIR: &str = "corpus";

/// The folders of the corpus that `cargo xtask corpus` runs, in order.
pub const CORPUS_FOLDERS: &[&str] = &["progenitor", "apis", "zoo", "openapi-3.1"];

/// How many lines of a failure's output are printed after the table.
const EXCERPT_LINES: usize = 40;

/// The command line of `cargo xtask corpus`.
#[derive(Debug, Default)]
pub struct CorpusArgs {
    /// `--only`: file names or stems; empty means every document.
    only: Vec<String>,
    /// `--skip-clippy`: run `cargo check` only.
    skip_clippy: bool,
    /// `--skip-wire`: do not run the crates' wire tests.
    skip_wire: bool,
    /// `cargo xtask conformance`: only the wire tests (their build checks
    /// the crate too), no clippy.
    wire_only: bool,
}

impl CorpusArgs {
    pub fn parse(args: &[String]) -> Result<CorpusArgs, String> {
        let mut parsed = CorpusArgs::default();
        let mut iter = args.iter();
        while let Some(arg) = iter.next() {
            match arg.as_str() {
                "--skip-clippy" => parsed.skip_clippy = true,
                "--skip-wire" => parsed.skip_wire = true,
                "--only" => {
                    let value = iter
                        .next()
                        .ok_or_else(|| "`--only` needs a value".to_owned())?;
                    let names: Vec<String> = value
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
                other => return Err(format!("unexpected argument `{other}`")),
            }
        }
        Ok(parsed)
    }

    /// `cargo xtask conformance`: the corpus's wire tests alone.
    pub fn parse_conformance(args: &[String]) -> Result<CorpusArgs, String> {
        let mut parsed = CorpusArgs::parse(args)?;
        if parsed.skip_clippy || parsed.skip_wire {
            return Err("conformance runs the wire tests only; it takes `--only`".into());
        }
        parsed.wire_only = true;
        Ok(parsed)
    }

    pub fn run(&self) -> ExitCode {
        let root = workspace_root();
        let corpus_dir = root.join(CORPUS_DIR);
        let documents = match list_documents(&corpus_dir) {
            Ok(documents) if documents.is_empty() => {
                eprintln!(
                    "error: the corpus directory {} holds no *.json or *.yaml documents",
                    corpus_dir.display()
                );
                return ExitCode::from(exit::INTERNAL);
            }
            Ok(documents) => documents,
            Err(e) => {
                eprintln!(
                    "error: cannot read the corpus directory {}: {e}",
                    corpus_dir.display()
                );
                return ExitCode::from(exit::INTERNAL);
            }
        };
        let selected = match select(&documents, &self.only) {
            Ok(selected) => selected,
            Err(message) => return usage(&message),
        };

        let corpus = Corpus::new(&root);
        match corpus.run(&selected, self) {
            Ok(rows) => {
                print!("{}", report(&rows, self));
                if rows.iter().all(|row| row.outcome() == Outcome::Clean) {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::from(exit::NOT_CLEAN)
                }
            }
            Err(message) => {
                eprintln!("error: {message}");
                ExitCode::from(exit::INTERNAL)
            }
        }
    }
}

/// One document of the corpus.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Document {
    /// The file name (`api.github.com.json`).
    file: String,
    /// The file's path relative to the corpus (`progenitor/api.github.com.json`).
    relative: String,
    /// Where it is.
    path: PathBuf,
    /// The generated package's name (`corpus-api-github-com`).
    crate_name: String,
}

impl Document {
    fn stem(&self) -> &str {
        self.file
            .rsplit_once('.')
            .map_or(self.file.as_str(), |(stem, _)| stem)
    }
}

/// Every `*.json` and `*.yaml` document in the [`CORPUS_FOLDERS`] of
/// `dir`, folder by folder, in file name order within each, each with its
/// crate name.
fn list_documents(dir: &Path) -> std::io::Result<Vec<Document>> {
    let mut files: Vec<(&str, String)> = Vec::new();
    for folder in CORPUS_FOLDERS {
        let mut found = Vec::new();
        for entry in std::fs::read_dir(dir.join(folder))? {
            let path = entry?.path();
            let Some(file) = path.file_name().and_then(|f| f.to_str()) else {
                continue;
            };
            if (file.ends_with(".json") || file.ends_with(".yaml")) && path.is_file() {
                found.push((*folder, file.to_owned()));
            }
        }
        found.sort();
        files.extend(found);
    }
    let names: Vec<String> = files.iter().map(|(_, file)| file.clone()).collect();
    let names = crate_names(&names);
    Ok(files
        .into_iter()
        .zip(names)
        .map(|((folder, file), crate_name)| Document {
            path: dir.join(folder).join(&file),
            relative: format!("{folder}/{file}"),
            file,
            crate_name,
        })
        .collect())
}

/// The package name for each file name, in the same order: `corpus-` and
/// the stem made a valid package name (`api.github.com.json` →
/// `corpus-api-github-com`), with `-yaml` after the stem of a YAML
/// document (`param-overrides.yaml` → `corpus-param-overrides-yaml`), so
/// the JSON and YAML versions of one document do not collide. Any collision
/// left gets a counter. The names depend on the whole list, never on
/// `--only`, so a document always gets the same crate.
fn crate_names(files: &[String]) -> Vec<String> {
    let mut taken = std::collections::BTreeSet::new();
    files
        .iter()
        .map(|file| {
            let (stem, extension) = file.rsplit_once('.').unwrap_or((file, ""));
            let mut base = format!("corpus-{}", sanitize(stem));
            if extension != "json" && !extension.is_empty() {
                base.push('-');
                base.push_str(&sanitize(extension));
            }
            let mut name = base.clone();
            let mut n = 2;
            while !taken.insert(name.clone()) {
                name = format!("{base}-{n}");
                n += 1;
            }
            name
        })
        .collect()
}

/// Lower case ASCII letters and digits, every other run of characters one
/// `-`, none at either end; `doc` when nothing is left.
fn sanitize(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        out.push_str("doc");
    }
    out
}

/// The documents `--only` names (all when it names none), in corpus order;
/// a name is a file name or a stem and may match several documents
/// (`param-overrides` is both the JSON and the YAML one).
fn select(documents: &[Document], only: &[String]) -> Result<Vec<Document>, String> {
    if only.is_empty() {
        return Ok(documents.to_vec());
    }
    let matches = |doc: &Document, name: &str| doc.file == name || doc.stem() == name;
    let unknown: Vec<&str> = only
        .iter()
        .map(String::as_str)
        .filter(|name| !documents.iter().any(|doc| matches(doc, name)))
        .collect();
    if !unknown.is_empty() {
        let known: Vec<&str> = documents.iter().map(|d| d.file.as_str()).collect();
        return Err(format!(
            "`--only`: no document named {} in the corpus (it has: {})",
            unknown
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", "),
            known.join(", ")
        ));
    }
    Ok(documents
        .iter()
        .filter(|doc| only.iter().any(|name| matches(doc, name)))
        .cloned()
        .collect())
}

/// How one step of `cargo` went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    /// Not run: an earlier step failed.
    NotRun,
    /// Not run: `--skip-clippy`.
    Skipped,
    /// Passed as part of `cargo clippy`, which runs every check of `cargo
    /// check` too.
    InClippy,
    /// Passed as part of the wire tests' build.
    InWire,
    Passed(Duration),
    Failed(Duration),
}

impl Step {
    fn cell(self) -> String {
        match self {
            Step::NotRun => "—".into(),
            Step::Skipped => "skipped".into(),
            Step::InClippy => "in clippy".into(),
            Step::InWire => "in wire".into(),
            Step::Passed(t) | Step::Failed(t) => format!("{:.1} s", t.as_secs_f64()),
        }
    }
}

/// The result of one document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Clean,
    GenerateFailed(u8),
    WriteFailed(u8),
    CheckFailed,
    ClippyFailed,
    WireFailed,
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Outcome::Clean => f.write_str("clean"),
            Outcome::GenerateFailed(code) => write!(f, "generate failed (exit {code})"),
            Outcome::WriteFailed(code) => write!(f, "write failed (exit {code})"),
            Outcome::CheckFailed => f.write_str("check failed"),
            Outcome::ClippyFailed => f.write_str("clippy failed"),
            Outcome::WireFailed => f.write_str("wire failed"),
        }
    }
}

/// One row of the table, and what is printed after it.
#[derive(Debug)]
struct Row {
    document: Document,
    /// `(types, operations)` of the IR, when generation succeeded.
    counts: Option<(usize, usize)>,
    /// The wall clock time of `openapi_codegen::generate`.
    generate: Option<Duration>,
    /// The generator's failure, when it failed.
    generate_failure: Option<Failure>,
    /// The list of what the crate does not carry out, if anything.
    skipped: Option<String>,
    check: Step,
    clippy: Step,
    wire: Step,
    /// The wire tests' summary (`1480 of 1482 cases pass; examples ...`).
    wire_summary: Option<String>,
    /// The examples that break their own schema and fail: the document's
    /// faults, not the crate's.
    document_faults: Vec<String>,
    /// The compiler's output of the step that failed.
    cargo_output: Option<String>,
}

impl Row {
    fn outcome(&self) -> Outcome {
        if let Some(failure) = &self.generate_failure {
            return if self.counts.is_none() {
                Outcome::GenerateFailed(failure.code)
            } else {
                Outcome::WriteFailed(failure.code)
            };
        }
        if matches!(self.check, Step::Failed(_)) {
            Outcome::CheckFailed
        } else if matches!(self.clippy, Step::Failed(_)) {
            Outcome::ClippyFailed
        } else if matches!(self.wire, Step::Failed(_)) {
            Outcome::WireFailed
        } else {
            Outcome::Clean
        }
    }

    fn generated(&self) -> bool {
        self.counts.is_some() && self.generate_failure.is_none()
    }
}

/// The corpus workspace under `target/corpus`.
struct Corpus {
    /// `target/corpus`.
    dir: PathBuf,
    /// The main workspace's `Cargo.lock`.
    root_lock: PathBuf,
}

impl Corpus {
    fn new(root: &Path) -> Corpus {
        Corpus {
            dir: root.join("target/corpus"),
            root_lock: root.join("Cargo.lock"),
        }
    }

    fn manifest(&self) -> PathBuf {
        self.dir.join("Cargo.toml")
    }

    /// Generates every document, writes the workspace, then checks each
    /// generated crate. An `Err` is a failure of the machinery, not of a
    /// document.
    fn run(&self, documents: &[Document], args: &CorpusArgs) -> Result<Vec<Row>, String> {
        let wire = !args.skip_wire;
        let mut rows: Vec<Row> = documents
            .iter()
            .map(|doc| self.generate(doc, wire))
            .collect();

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
            } else if wire {
                self.wire(row, &name)?;
            }
        }
        Ok(rows)
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
    fn generate(&self, doc: &Document, wire: bool) -> Row {
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
        target.compare = false;
        target.force_example_tests = wire;
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
        };
        match target.generate() {
            Ok(generation) => {
                let api = &generation.generated.api;
                row.counts = Some((api.types.len(), api.operations.len()));
                row.generate = Some(generation.elapsed);
                row.skipped = openapi_codegen::skips::report(&target.label, &api.skipped, false);
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
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));
        let mut command = Command::new(&cargo);
        command
            .arg(subcommand)
            .args(["-p", name, "--color", "never", "--manifest-path"])
            .arg(self.manifest())
            .env("CARGO_TARGET_DIR", self.dir.join("target"))
            .current_dir(&self.dir);
        if subcommand == "clippy" {
            command.args(["--", "-D", "warnings"]);
        }
        if subcommand == "wire" {
            // `cargo test --test wire`, its output shown even when it passes.
            command = Command::new(&cargo);
            command
                .args(["test", "-p", name, "--test", "wire", "--color", "never"])
                .arg("--manifest-path")
                .arg(self.manifest())
                .env("CARGO_TARGET_DIR", self.dir.join("target"))
                .current_dir(&self.dir)
                .args(["--", "--nocapture"]);
        }
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
fn first_error(text: &str) -> Option<&str> {
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
fn top_up_lock(corpus: &str, root: &str) -> Option<String> {
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

/// The table, the summary line, and for each document what the generator
/// left out and why it failed.
fn report(rows: &[Row], args: &CorpusArgs) -> String {
    let mut table = vec![
        [
            "document",
            "types",
            "operations",
            "generate",
            "check",
            "clippy",
            "wire",
            "result",
        ]
        .map(str::to_owned),
    ];
    for row in rows {
        let (types, operations) = match row.counts {
            Some((types, operations)) => (types.to_string(), operations.to_string()),
            None => ("—".into(), "—".into()),
        };
        table.push([
            row.document.file.clone(),
            types,
            operations,
            row.generate
                .map_or("—".into(), |t| format!("{} ms", t.as_millis())),
            row.check.cell(),
            row.clippy.cell(),
            wire_cell(row),
            row.outcome().to_string(),
        ]);
    }
    let mut out = markdown_table(&table);

    let generated = rows.iter().filter(|row| row.generated()).count();
    let clean = rows
        .iter()
        .filter(|row| row.outcome() == Outcome::Clean)
        .count();
    let total = rows.len();
    let skipped: Vec<&str> = [
        (args.skip_clippy || args.wire_only, "clippy"),
        (args.skip_wire, "wire tests"),
    ]
    .into_iter()
    .filter_map(|(skipped, what)| skipped.then_some(what))
    .collect();
    let _ = writeln!(
        out,
        "\n{generated}/{total} generated, {clean}/{total} clean{}",
        if skipped.is_empty() {
            String::new()
        } else {
            format!(" ({} skipped)", skipped.join(", "))
        }
    );
    if !args.skip_wire {
        out.push_str(&wire_totals(rows));
    }

    for row in rows {
        let failure = match (&row.generate_failure, &row.cargo_output) {
            (Some(failure), _) => Some(&failure.message),
            (None, Some(output)) => Some(output),
            (None, None) => None,
        };
        if row.skipped.is_none() && failure.is_none() && row.document_faults.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n## {} ({})\n", row.document.file, row.outcome());
        if let Some(skipped) = &row.skipped {
            out.push_str(skipped);
        }
        if !row.document_faults.is_empty() {
            let _ = writeln!(
                out,
                "{} examples break their own schema, and fail (the document's fault):",
                row.document_faults.len()
            );
            for fault in row.document_faults.iter().take(EXCERPT_LINES) {
                let _ = writeln!(out, "  {fault}");
            }
            if row.document_faults.len() > EXCERPT_LINES {
                let _ = writeln!(
                    out,
                    "  ... and {} more",
                    row.document_faults.len() - EXCERPT_LINES
                );
            }
        }
        if let Some(text) = failure {
            if row.skipped.is_some() {
                out.push('\n');
            }
            if let Some(kinds) = row.cargo_output.as_deref().and_then(error_kinds) {
                let _ = writeln!(out, "errors by kind: {kinds}\n");
            }
            out.push_str(&excerpt(text, EXCERPT_LINES));
        }
    }
    out
}

/// The wire column: cases passed of all, the examples among them, and how
/// many examples break their own schema.
fn wire_cell(row: &Row) -> String {
    let Some(summary) = &row.wire_summary else {
        return row.wire.cell();
    };
    let numbers = WireNumbers::read(summary);
    format!(
        "{}/{} · ex {}/{} · {} bad ex",
        numbers.passed, numbers.total, numbers.examples_passed, numbers.examples, numbers.invalid
    )
}

/// The numbers of a wire tests' summary line.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct WireNumbers {
    passed: usize,
    total: usize,
    examples_passed: usize,
    examples: usize,
    invalid: usize,
}

impl WireNumbers {
    /// Reads `P of T cases pass; examples EP passed of E paired; I examples
    /// break their own schema, ...`: the numbers in that order.
    fn read(summary: &str) -> WireNumbers {
        let numbers: Vec<usize> = summary
            .split(|c: char| !c.is_ascii_digit())
            .filter_map(|n| n.parse().ok())
            .collect();
        let at = |i: usize| numbers.get(i).copied().unwrap_or(0);
        WireNumbers {
            passed: at(0),
            total: at(1),
            examples_passed: at(2),
            examples: at(3),
            invalid: at(4),
        }
    }
}

/// The corpus's wire totals, one line.
fn wire_totals(rows: &[Row]) -> String {
    let mut sum = WireNumbers::default();
    for numbers in rows
        .iter()
        .filter_map(|r| r.wire_summary.as_deref())
        .map(WireNumbers::read)
    {
        sum.passed += numbers.passed;
        sum.total += numbers.total;
        sum.examples_passed += numbers.examples_passed;
        sum.examples += numbers.examples;
        sum.invalid += numbers.invalid;
    }
    format!(
        "wire: {} of {} cases pass; examples {} passed of {} paired; {} examples break their own schema\n",
        sum.passed, sum.total, sum.examples_passed, sum.examples, sum.invalid
    )
}

/// A Markdown table with padded columns; the first row is the header.
fn markdown_table<const N: usize>(rows: &[[String; N]]) -> String {
    let mut widths = [0; N];
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |row: &[String; N]| {
        let cells: Vec<String> = row
            .iter()
            .zip(widths)
            .map(|(cell, width)| format!("{cell}{}", " ".repeat(width - cell.chars().count())))
            .collect();
        format!("| {} |\n", cells.join(" | "))
    };
    let mut out = line(&rows[0]);
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    let _ = writeln!(out, "| {} |", rule.join(" | "));
    for row in &rows[1..] {
        out.push_str(&line(row));
    }
    out
}

/// How many errors of each kind the compiler reported (`E0599 ×5,
/// clippy::too_many_arguments ×30`), most frequent first, or `None` when
/// none has a code: the excerpt shows only the first few.
fn error_kinds(text: &str) -> Option<String> {
    let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
    for line in text.lines() {
        let code = line
            .strip_prefix("error[")
            .and_then(|rest| rest.split_once(']'))
            .map(|(code, _)| code.to_owned())
            .or_else(|| {
                let (_, lint) = line
                    .trim_start()
                    .strip_prefix("= help: for further information visit https://rust-lang.github.io/rust-clippy/")?
                    .rsplit_once('#')?;
                Some(format!("clippy::{lint}"))
            });
        if let Some(code) = code {
            *counts.entry(code).or_default() += 1;
        }
    }
    if counts.is_empty() {
        return None;
    }
    let mut counts: Vec<(String, usize)> = counts.into_iter().collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let kinds: Vec<String> = counts
        .iter()
        .map(|(code, n)| format!("{code} ×{n}"))
        .collect();
    Some(kinds.join(", "))
}

/// Whether a line is one of cargo's progress lines (`   Compiling x v1`),
/// which say nothing about a failure.
fn is_cargo_status(line: &str) -> bool {
    let trimmed = line.trim_start();
    trimmed.len() < line.len()
        && matches!(
            trimmed.split(' ').next(),
            Some(
                "Compiling"
                    | "Checking"
                    | "Blocking"
                    | "Locking"
                    | "Updating"
                    | "Adding"
                    | "Removing"
                    | "Downgrading"
                    | "Downloading"
                    | "Downloaded"
                    | "Finished"
                    | "Fresh"
                    | "Unpacking"
            )
        )
}

/// The first `max` lines of `text` without cargo's progress lines; when
/// more are left out, a count and the last line (cargo's "could not
/// compile ... due to N previous errors").
fn excerpt(text: &str, max: usize) -> String {
    let lines: Vec<&str> = text.lines().filter(|l| !is_cargo_status(l)).collect();
    let mut out = String::new();
    for line in lines.iter().take(max) {
        out.push_str(line);
        out.push('\n');
    }
    if lines.len() > max {
        let last = lines[lines.len() - 1];
        let _ = writeln!(out, "... {} more lines ...", lines.len() - max - 1);
        out.push_str(last);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(files: &[&str]) -> Vec<String> {
        crate_names(&files.iter().map(|f| f.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn a_failed_step_names_its_first_error() {
        let disk = "   Compiling foo v0.1.0\nerror: failed to write /t/libfoo.rlib: No space left on device (os error 28)\nerror: could not compile `foo`\n";
        assert_eq!(
            first_error(disk),
            Some("error: failed to write /t/libfoo.rlib: No space left on device (os error 28)")
        );
        let test = "running 2 tests\ntest a ... ok\ntest b ... FAILED\n";
        assert_eq!(first_error(test), Some("test b ... FAILED"));
        assert_eq!(first_error("   Compiling foo\n    Finished\n"), None);
    }

    #[test]
    fn crate_names_are_valid_unique_and_deterministic() {
        assert_eq!(
            names(&[
                "api.github.com.json",
                "cli-gen.json",
                "param-overrides.json",
                "param-overrides.yaml",
                "Weird__Name!.json",
                "weird-name.json",
            ]),
            [
                "corpus-api-github-com",
                "corpus-cli-gen",
                "corpus-param-overrides",
                "corpus-param-overrides-yaml",
                "corpus-weird-name",
                "corpus-weird-name-2",
            ]
        );
        assert_eq!(names(&["...json"]), ["corpus-doc"]);
    }

    fn doc(file: &str) -> Document {
        Document {
            file: file.into(),
            relative: format!("progenitor/{file}"),
            path: PathBuf::from(file),
            crate_name: String::new(),
        }
    }

    #[test]
    fn only_matches_file_names_and_stems() {
        let docs = [
            doc("cli-gen.json"),
            doc("param-overrides.json"),
            doc("param-overrides.yaml"),
        ];
        let files = |only: &[&str]| {
            let only: Vec<String> = only.iter().map(|s| s.to_string()).collect();
            select(&docs, &only).map(|d| d.into_iter().map(|d| d.file).collect::<Vec<_>>())
        };
        assert_eq!(files(&[]).unwrap().len(), 3);
        assert_eq!(files(&["cli-gen"]).unwrap(), ["cli-gen.json"]);
        assert_eq!(
            files(&["param-overrides"]).unwrap(),
            ["param-overrides.json", "param-overrides.yaml"]
        );
        assert_eq!(
            files(&["param-overrides.yaml", "cli-gen.json"]).unwrap(),
            ["cli-gen.json", "param-overrides.yaml"]
        );
        let error = files(&["cli-gen", "nope"]).unwrap_err();
        assert!(error.contains("`nope`"), "{error}");
    }

    #[test]
    fn excerpts_drop_progress_lines_and_keep_the_summary() {
        let mut text = String::from("   Compiling serde v1.0.0\n    Checking x v0.1.0\n");
        for i in 0..50 {
            text.push_str(&format!("error line {i}\n"));
        }
        text.push_str("error: could not compile `x` (lib) due to 3 previous errors\n");
        let short = excerpt(&text, 40);
        assert!(short.starts_with("error line 0\n"), "{short}");
        assert!(short.contains("error line 39\n... 10 more lines ...\nerror: could not compile"));
        assert!(!short.contains("Compiling"));
        assert_eq!(excerpt("a\nb\n", 40), "a\nb\n");
    }

    #[test]
    fn parse_reads_only_and_skip_clippy() {
        let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let parsed = CorpusArgs::parse(&args(&[
            "--only",
            "a,b.json",
            "--skip-clippy",
            "--only",
            "c",
        ]))
        .unwrap();
        assert_eq!(parsed.only, ["a", "b.json", "c"]);
        assert!(parsed.skip_clippy);
        assert!(CorpusArgs::parse(&args(&["--only"])).is_err());
        assert!(CorpusArgs::parse(&args(&["--only", ","])).is_err());
        assert!(CorpusArgs::parse(&args(&["--check"])).is_err());
    }

    #[test]
    fn the_lock_is_topped_up_from_the_root_one() {
        let header = "# This file is automatically @generated by Cargo.\n# It is not intended for manual editing.\nversion = 4\n";
        let package = |name: &str, version: &str, source: bool, deps: &[&str]| {
            let mut text = format!("\n[[package]]\nname = \"{name}\"\nversion = \"{version}\"\n");
            if source {
                text.push_str(
                    "source = \"registry+https://github.com/rust-lang/crates.io-index\"\n",
                );
            }
            if !deps.is_empty() {
                text.push_str("dependencies = [\n");
                for dep in deps {
                    text.push_str(&format!(" \"{dep}\",\n"));
                }
                text.push_str("]\n");
            }
            text
        };
        let root = [
            header.to_owned(),
            package("base64", "0.23.1", true, &[]),
            package("serde", "1.0.1", true, &[]),
            package("uuid", "1.26.1", true, &["base64", "serde"]),
            package("xtask", "0.0.0", false, &[]),
        ]
        .concat();
        let corpus = [
            header.to_owned(),
            package("base64", "0.22.1", true, &[]),
            package("base64", "0.23.1", true, &[]),
            package("corpus-a", "0.1.0", false, &["base64 0.22.1", "serde"]),
            package("serde", "1.0.2", true, &[]),
        ]
        .concat();
        let topped = top_up_lock(&corpus, &root).unwrap();
        // uuid comes back, with its now ambiguous `base64` pinned; serde
        // keeps the corpus version; the root's own packages stay out.
        assert_eq!(
            topped,
            [
                corpus.clone(),
                package("uuid", "1.26.1", true, &["base64 0.23.1", "serde"])
            ]
            .concat()
        );
        assert_eq!(top_up_lock(&topped, &root), None, "nothing left to add");
        assert_eq!(top_up_lock("[[package]]\n", &root), None, "not a lock file");
    }

    #[test]
    fn errors_are_counted_by_code_and_lint() {
        let text = "error[E0599]: no method\n  --> a.rs:1:1\nerror: too many\n     = help: for further information visit https://rust-lang.github.io/rust-clippy/rust-1.95.0/index.html#too_many_arguments\nerror[E0599]: again\nerror: could not compile\n";
        assert_eq!(
            error_kinds(text).unwrap(),
            "E0599 ×2, clippy::too_many_arguments ×1"
        );
        assert_eq!(error_kinds("error: could not compile\n"), None);
    }

    #[test]
    fn the_report_has_a_row_per_document_then_what_went_wrong() {
        let row = |file: &str| {
            Row {
            document: doc(file),
            counts: Some((3, 2)),
            generate: Some(Duration::from_millis(12)),
            generate_failure: None,
            skipped: None,
            check: Step::InClippy,
            clippy: Step::Passed(Duration::from_millis(2000)),
            wire: Step::Passed(Duration::from_millis(3000)),
            wire_summary: Some(
                "10 of 10 cases pass; examples 2 passed of 2 paired; 0 examples break their own schema, 0 of them fail".into(),
            ),
            document_faults: Vec::new(),
            cargo_output: None,
        }
        };
        let clean = row("a.json");
        let mut invalid = row("b.yaml");
        invalid.counts = None;
        invalid.generate = None;
        invalid.check = Step::NotRun;
        invalid.clippy = Step::NotRun;
        invalid.wire = Step::NotRun;
        invalid.wire_summary = None;
        invalid.generate_failure = Some(Failure {
            code: 2,
            message: "error: bad\n  --> b.yaml".into(),
        });
        let mut lint = row("c.json");
        lint.skipped = Some("warning: c.json: 1 thing in the spec is not carried out by the generated crate:\n  - #/x: y\n".into());
        lint.clippy = Step::Failed(Duration::from_millis(900));
        lint.wire = Step::NotRun;
        lint.wire_summary = None;
        lint.cargo_output = Some("    Checking c v0.1.0\nerror: lint\n".into());
        let mut wire = row("d.json");
        wire.wire = Step::Failed(Duration::from_millis(4000));
        wire.wire_summary = Some(
            "7 of 9 cases pass; examples 3 passed of 5 paired; 1 examples break their own schema, 1 of them fail".into(),
        );
        wire.document_faults = vec![
            "Pet at #/x/example (example): does not decode; the value breaks its schema".into(),
        ];
        wire.cargo_output = Some(
            "FAIL Pet at #/components/schemas/Pet (instance (full)): encoding drops /tag".into(),
        );

        let args = CorpusArgs::default();
        let text = report(&[clean, invalid, lint, wire], &args);
        let expected = "\
| document | types | operations | generate | check     | clippy | wire                      | result                   |
| -------- | ----- | ---------- | -------- | --------- | ------ | ------------------------- | ------------------------ |
| a.json   | 3     | 2          | 12 ms    | in clippy | 2.0 s  | 10/10 · ex 2/2 · 0 bad ex | clean                    |
| b.yaml   | —     | —          | —        | —         | —      | —                         | generate failed (exit 2) |
| c.json   | 3     | 2          | 12 ms    | in clippy | 0.9 s  | —                         | clippy failed            |
| d.json   | 3     | 2          | 12 ms    | in clippy | 2.0 s  | 7/9 · ex 3/5 · 1 bad ex   | wire failed              |

3/4 generated, 1/4 clean
wire: 17 of 19 cases pass; examples 5 passed of 7 paired; 1 examples break their own schema

## b.yaml (generate failed (exit 2))

error: bad
  --> b.yaml

## c.json (clippy failed)

warning: c.json: 1 thing in the spec is not carried out by the generated crate:
  - #/x: y

error: lint

## d.json (wire failed)

1 examples break their own schema, and fail (the document's fault):
  Pet at #/x/example (example): does not decode; the value breaks its schema
FAIL Pet at #/components/schemas/Pet (instance (full)): encoding drops /tag
";
        assert_eq!(text, expected);
    }
}
