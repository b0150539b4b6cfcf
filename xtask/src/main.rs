//! The workspace's tasks. `cargo xtask help` lists them.

mod alloc;
mod bench;
mod calls;
mod corpus;
mod stamp;

#[global_allocator]
static GLOBAL: alloc::Allocator = alloc::Allocator;

use openapi_codegen::changes::{self, Bump, Report};
use openapi_codegen::write::{self, Change, ChangeKind};
use openapi_codegen::{Config, Error, Files, Generated, Settings};
use stamp::Stamp;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

const HELP: &str = "\
usage:
  cargo xtask codegen            regenerate generated/ from spec/payments.yaml,
                                 tests/fixtures/NAME-api from each tests/fixtures/specs/NAME.yaml, and
                                 tests/fixtures/history/payments-DATE from each tests/fixtures/history/DATE.yaml
  cargo xtask codegen --check    fail (exit 1) with a diff when any of them is stale
  cargo xtask codegen --spec FILE --out DIR [--name CRATE] [--check]
                                 generate a standalone crate from any OpenAPI 3.0 document
    codegen options:
      --report FILE              also write the API change report as Markdown to FILE
      --strict                   every skip is an error: exit 2, nothing written (the default for
                                 the workspace's own crates; the settings file's `strict` too)
      --all-skips                list every place of every skip, not the first few of each reason
      --with-example-tests       the crate carries tests/wire.rs: every example of the document and
                                 instances built from its schemas, decoded, encoded and decoded
                                 again with no declared key lost (the default for the workspace's
                                 own crates but the history; the settings file's `example-tests` too)
      --with-call-tests          the crate carries tests/calls.rs: every operation called once against
                                 the server CALLS_BASE_URL names (a mock such as Prism, or staging),
                                 which judges each request (the default for the workspace's own
                                 crates but the history; the settings file's `call-tests` too)
      --settings FILE            read settings from FILE instead of SPEC.codegen.toml beside the spec
      --bump                     apply the suggested version bump to each changed crate's
                                 Cargo.toml (not with --check)

  codegen compares the public API it is about to write with the crate on disk and
  prints what changed (types, fields, variants, methods), each change breaking or
  compatible, and the version bump that follows (major, minor, patch). The crate's
  version is kept from its Cargo.toml until --bump changes it.

  cargo xtask corpus [--only NAME[,NAME...]] [--skip-clippy] [--skip-wire] [--skip-calls]
                                 generate a crate from each document of corpus/{progenitor,apis,zoo}
                                 into target/corpus/crates, run `cargo clippy -- -D warnings`
                                 on each (`cargo check` with --skip-clippy), then its wire tests
                                 (see conformance), then its call tests against Stoplight Prism
                                 serving the document (static, then dynamic with a fixed seed;
                                 Prism is installed with `npm ci` in xtask/prism when missing),
                                 and print a table. A call fault not listed in corpus/calls.known
                                 fails the document.
                                 NAME is a file name or stem (cli-gen.json, cli-gen)
  cargo xtask conformance [--only NAME[,NAME...]]
                                 the corpus's wire tests alone: each document's examples (media-type
                                 example/examples, components/examples, schema examples) and instances
                                 built from its schemas, decoded into the generated types, encoded and
                                 decoded again; examples that break their own schema (judged by a JSON
                                 Schema validator) are counted apart and do not fail it
  cargo xtask calls [--only CRATE[,CRATE...]]
                                 the call tests (tests/calls.rs) of generated/ and every fixture crate,
                                 each against Stoplight Prism serving its spec, statically and then
                                 dynamically with a fixed seed: every call must be accepted and its
                                 answer decode, but for what is listed apart with its reason (exit 1)
  cargo xtask bench [--only NAME[,NAME...]] [--iterations N] [--compile] [--progenitor PATH]
                                 time each phase (load, lower, emit, format, write) of the generator
                                 built with --release (it re-runs itself with `cargo run --release`) on
                                 spec/payments.yaml, corpus/progenitor/{nexus,api.github.com}.json and
                                 Zoo; then whole processes against cargo-progenitor (by --progenitor, or
                                 installed in target/progenitor): the engine and `cargo xtask codegen
                                 --spec` on nexus and GitHub, and a no-op `cargo xtask codegen`. Prints
                                 Markdown tables of medians, spreads, output size and peak memory
                                 against the targets (exit 1 only when something does not generate or
                                 run, never for timing). NAME: payments, nexus, github, zoo. --compile
                                 also times `cargo check` and `cargo build` of each generated crate and
                                 of cargo-progenitor's nexus crate (target/bench/compile)

  What the generated crate cannot carry out costs only that part: an operation is left
  out, a schema becomes serde_json::Value where it is used, a clashing name takes a
  number. Each is listed on stderr, grouped by reason, at its file:line:col and JSON
  pointer; without --strict they do not change the exit code.

  Settings that do not edit the document (Rust names for schemas and operations,
  operations to include or exclude by tag or operationId, strict) are read from
  SPEC.codegen.toml beside the spec (spec/payments.codegen.toml for spec/payments.yaml);
  see the README.

exit codes:
  0   success (or up to date, with --check)
  1   --check: the output is stale; corpus: a document did not generate or is not clean
  2   the spec is invalid (the messages say where)
  3   internal failure: an I/O error, or a bug in the generator
  64  the command line is wrong
";

/// Exit codes, as documented in `HELP` and the README.
mod exit {
    pub const STALE: u8 = 1;
    /// `corpus`: some document did not generate or is not clean.
    pub const NOT_CLEAN: u8 = 1;
    pub const INVALID_SPEC: u8 = 2;
    pub const INTERNAL: u8 = 3;
    pub const USAGE: u8 = 64;
}

/// The payments crate: `(spec, output directory, crate name)`, relative to
/// the workspace root.
const PAYMENTS: (&str, &str, &str) = ("spec/payments.yaml", "generated", "zoo-payments");

/// Where the test fixture specs live, relative to the workspace root; each
/// `NAME.yaml` there is generated into `tests/fixtures/NAME-api`.
const FIXTURE_SPECS: &str = "tests/fixtures/specs";

/// The payments API as it was at each date; each `DATE.yaml` there is
/// generated into `tests/fixtures/history/payments-DATE`.
const HISTORY_SPECS: &str = "tests/fixtures/history";

/// The version of a crate generated for the first time.
const DEFAULT_VERSION: &str = "0.1.0";

/// One crate this workspace generates and checks in; paths relative to the
/// workspace root, `/`-separated (the spec path appears in file headers).
#[derive(Debug, Clone, PartialEq, Eq)]
struct OwnCrate {
    spec: String,
    out: String,
    name: String,
}

/// The crates this workspace generates and checks in: the payments crate,
/// then one per fixture spec (`tests/fixtures/specs/NAME.yaml` →
/// `tests/fixtures/NAME-api`, crate `NAME-api`), then one per version of the
/// payments history (`tests/fixtures/history/DATE.yaml` →
/// `tests/fixtures/history/payments-DATE`), each group in file name order.
fn own_crates(root: &Path) -> std::io::Result<Vec<OwnCrate>> {
    let (spec, out, name) = PAYMENTS;
    let mut crates = vec![OwnCrate {
        spec: spec.into(),
        out: out.into(),
        name: name.into(),
    }];
    crates.extend(
        yaml_stems(&root.join(FIXTURE_SPECS))?
            .into_iter()
            .map(|stem| OwnCrate {
                spec: format!("{FIXTURE_SPECS}/{stem}.yaml"),
                out: format!("tests/fixtures/{stem}-api"),
                name: format!("{stem}-api"),
            }),
    );
    let history = root.join(HISTORY_SPECS);
    if history.is_dir() {
        crates.extend(yaml_stems(&history)?.into_iter().map(|stem| OwnCrate {
            spec: format!("{HISTORY_SPECS}/{stem}.yaml"),
            out: format!("{HISTORY_SPECS}/payments-{stem}"),
            name: format!("payments-{stem}"),
        }));
    }
    Ok(crates)
}

/// The stems of the `.yaml` files in `dir`, sorted.
fn yaml_stems(dir: &Path) -> std::io::Result<Vec<String>> {
    let mut stems = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "yaml") && path.is_file() {
            if let Some(stem) = path.file_stem().and_then(|s| s.to_str()) {
                stems.push(stem.to_owned());
            }
        }
    }
    stems.sort();
    Ok(stems)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("codegen") => match CodegenArgs::parse(&args[1..]) {
            Ok(run) => codegen(&run),
            Err(ArgsError::Usage(message)) => usage(&message),
            Err(ArgsError::Internal(message)) => {
                eprintln!("error: {message}");
                ExitCode::from(exit::INTERNAL)
            }
        },
        Some("corpus") => match corpus::CorpusArgs::parse(&args[1..]) {
            Ok(corpus) => corpus.run(),
            Err(message) => usage(&message),
        },
        Some("conformance") => match corpus::CorpusArgs::parse_conformance(&args[1..]) {
            Ok(corpus) => corpus.run(),
            Err(message) => usage(&message),
        },
        Some("calls") => calls::calls(&args[1..]),
        Some("bench") => bench::bench(&args[1..]),
        Some("bench-run") => bench::bench_run(&args[1..]),
        Some("help" | "--help" | "-h") | None => {
            print!("{HELP}");
            ExitCode::SUCCESS
        }
        Some(other) => usage(&format!("unknown task `{other}`")),
    }
}

/// `codegen` for every target. All of them are generated in memory first,
/// and only when every one succeeded is anything written: a broken spec
/// leaves every output directory as it was. Every target is tried, so one
/// broken or stale crate does not hide another; the first failure's exit
/// code is the result.
fn codegen(run: &CodegenRun) -> ExitCode {
    let targets = &run.targets;
    let root = workspace_root();
    let mut generated = Vec::new();
    let mut failed = None;
    for target in targets {
        // A crate whose stamp says it is up to date is not generated again.
        let inputs = target.stamp_inputs(run.all_skips);
        if let Some((files, warnings)) =
            inputs.and_then(|inputs| Stamp::up_to_date(&root, &target.out, inputs))
        {
            eprint!("{warnings}");
            eprintln!("{}: up to date ({files} files)", target.out.display());
            continue;
        }
        match target.generate() {
            Ok(generation) => {
                let warnings = openapi_codegen::skips::report(
                    &target.label,
                    &generation.generated.api.skipped,
                    run.all_skips,
                )
                .unwrap_or_default();
                eprint!("{warnings}");
                generated.push((target, generation, inputs, warnings));
            }
            Err(failure) => {
                failed.get_or_insert(failure.code);
            }
        }
    }
    let writing = targets.first().is_some_and(|t| !t.check);
    if let (Some(code), true) = (failed, writing) {
        if targets.len() > 1 {
            eprintln!("no crate was written, because a spec has errors");
        }
        return ExitCode::from(code);
    }
    let mut reports = Vec::new();
    for (target, generation, inputs, warnings) in &generated {
        match target.write(&generation.generated, &mut reports) {
            // The output on disk is now what was generated.
            Ok(()) => {
                if let Some(inputs) = inputs {
                    Stamp::new(*inputs, &generation.generated.files, warnings)
                        .save(&root, &target.out);
                }
            }
            Err(failure) => {
                failed.get_or_insert(failure.code);
            }
        }
    }
    let markdown: Vec<String> = reports.iter().map(Report::to_markdown).collect();
    if let Some(path) = &run.report {
        let text = if markdown.is_empty() {
            "## API changes\n\nNo generated crate changes.\n".to_owned()
        } else {
            markdown.join("\n")
        };
        if let Err(e) = std::fs::write(path, text) {
            eprintln!("error: cannot write the report to {}: {e}", path.display());
            failed.get_or_insert(exit::INTERNAL);
        }
    }
    failed.map_or(ExitCode::SUCCESS, ExitCode::from)
}

fn usage(message: &str) -> ExitCode {
    eprintln!("error: {message}\n\n{HELP}");
    ExitCode::from(exit::USAGE)
}

/// The workspace root, wherever the command is run from.
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_owned()
}

/// A `codegen` command line: the targets, and where the Markdown report goes.
#[derive(Debug)]
struct CodegenRun {
    targets: Vec<CodegenArgs>,
    report: Option<PathBuf>,
    /// `--all-skips`: list every place of every skip.
    all_skips: bool,
}

#[derive(Debug)]
struct CodegenArgs {
    check: bool,
    /// Apply the suggested version bump to the crate's manifest.
    bump: bool,
    /// Compare the API with the crate on disk and print what changes
    /// (`corpus` and `bench`, which regenerate scratch crates, do not).
    compare: bool,
    spec: PathBuf,
    out: PathBuf,
    /// How the spec is named in messages and file headers.
    label: String,
    name: String,
    /// The command that brings the output up to date, quoted in file headers
    /// and in the message of a stale `--check`.
    fixing_command: String,
    /// Whether skips are errors when neither `--strict` nor the settings
    /// say: yes for the workspace's own crates, no for `--spec`.
    strict: bool,
    /// `--strict`: skips are errors, whatever the settings say.
    force_strict: bool,
    /// `--settings FILE`; otherwise `SPEC.codegen.toml`, if it exists.
    settings: Option<PathBuf>,
    /// Whether the crate carries its wire tests when the settings do not
    /// say: yes for the payments crate and the fixtures, no for the
    /// history crates and `--spec`.
    example_tests: bool,
    /// `--with-example-tests`: the crate carries them, whatever the
    /// settings say.
    force_example_tests: bool,
    /// Whether the crate carries its call tests when the settings do not
    /// say: as for the wire tests.
    call_tests: bool,
    /// `--with-call-tests`: the crate carries them, whatever the settings
    /// say.
    force_call_tests: bool,
}

/// Why a command line did not give a list of targets.
#[derive(Debug)]
enum ArgsError {
    /// The command line is wrong (exit 64).
    Usage(String),
    /// The command line is right, but the targets could not be listed (exit 3).
    Internal(String),
}

impl From<String> for ArgsError {
    fn from(message: String) -> ArgsError {
        ArgsError::Usage(message)
    }
}

/// A generation that succeeded, and how long `openapi_codegen::generate` took.
struct Generation {
    generated: Generated,
    elapsed: Duration,
}

/// Why a target failed: its exit code, and the report (already printed to
/// stderr by the function that returns it).
#[derive(Debug)]
struct Failure {
    code: u8,
    message: String,
}

impl Failure {
    /// Prints `message` to stderr and returns it as a failure with `code`.
    fn report(code: u8, message: String) -> Failure {
        eprintln!("{message}");
        Failure { code, message }
    }
}

impl CodegenArgs {
    /// A target outside the workspace's own crates, as `--spec/--out/--name`
    /// describe it: `label` is the spec as given (it appears in file
    /// headers), `out_label` the output directory as given (it appears in
    /// the fixing command); `spec` and `out` are where to read and write.
    fn standalone(
        check: bool,
        spec: PathBuf,
        label: String,
        out: PathBuf,
        out_label: &str,
        name: String,
    ) -> CodegenArgs {
        let fixing_command =
            format!("cargo xtask codegen --spec {label} --out {out_label} --name {name}");
        CodegenArgs {
            check,
            bump: false,
            compare: true,
            spec,
            out,
            label,
            name,
            fixing_command,
            strict: false,
            force_strict: false,
            settings: None,
            example_tests: false,
            force_example_tests: false,
            call_tests: false,
            force_call_tests: false,
        }
    }

    fn parse(args: &[String]) -> Result<CodegenRun, ArgsError> {
        let mut check = false;
        let mut bump = false;
        let mut report = None;
        let mut spec = None;
        let mut out = None;
        let mut name = None;
        let mut force_strict = false;
        let mut all_skips = false;
        let mut settings = None;
        let mut force_example_tests = false;
        let mut force_call_tests = false;
        let mut iter = args.iter();
        while let Some(arg) = iter.next() {
            let mut value = |flag: &str| {
                iter.next()
                    .cloned()
                    .ok_or_else(|| format!("`{flag}` needs a value"))
            };
            match arg.as_str() {
                "--check" => check = true,
                "--bump" => bump = true,
                "--strict" => force_strict = true,
                "--all-skips" => all_skips = true,
                "--with-example-tests" => force_example_tests = true,
                "--with-call-tests" => force_call_tests = true,
                "--settings" => settings = Some(PathBuf::from(value("--settings")?)),
                "--report" => report = Some(PathBuf::from(value("--report")?)),
                "--spec" => spec = Some(value("--spec")?),
                "--out" => out = Some(value("--out")?),
                "--name" => name = Some(value("--name")?),
                other => return Err(ArgsError::Usage(format!("unexpected argument `{other}`"))),
            }
        }
        if check && bump {
            return Err(ArgsError::Usage(
                "`--bump` changes the crate; it does not go with `--check`".into(),
            ));
        }
        let mut targets = match (spec, out) {
            (None, None) => {
                if name.is_some() {
                    return Err(ArgsError::Usage(
                        "`--name` goes with `--spec` and `--out`".into(),
                    ));
                }
                let root = workspace_root();
                let crates = own_crates(&root).map_err(|e| {
                    ArgsError::Internal(format!(
                        "cannot list the fixture specs in {}: {e}",
                        root.join(FIXTURE_SPECS).display()
                    ))
                })?;
                crates
                    .into_iter()
                    .map(|own| CodegenArgs {
                        example_tests: !own.out.starts_with(HISTORY_SPECS),
                        force_example_tests: false,
                        call_tests: !own.out.starts_with(HISTORY_SPECS),
                        force_call_tests: false,
                        check,
                        bump,
                        compare: true,
                        spec: root.join(&own.spec),
                        out: root.join(&own.out),
                        label: own.spec,
                        name: own.name,
                        fixing_command: "cargo xtask codegen".into(),
                        strict: true,
                        force_strict: false,
                        settings: None,
                    })
                    .collect()
            }
            (Some(spec), Some(out)) => {
                let out_path = PathBuf::from(&out);
                let name = match name {
                    Some(name) => name,
                    None => default_crate_name(&out_path)?,
                };
                vec![CodegenArgs::standalone(
                    check,
                    PathBuf::from(&spec),
                    spec,
                    out_path,
                    &out,
                    name,
                )]
            }
            _ => return Err(ArgsError::Usage("`--spec` and `--out` go together".into())),
        };
        if settings.is_some() && targets.len() > 1 {
            return Err(ArgsError::Usage(
                "`--settings` goes with `--spec`; the workspace's own specs read theirs beside them"
                    .into(),
            ));
        }
        for target in &mut targets {
            target.bump = bump;
            target.force_strict = force_strict;
            target.force_example_tests = force_example_tests;
            target.force_call_tests = force_call_tests;
            target.settings = settings.clone().or(target.settings.take());
        }
        Ok(CodegenRun {
            targets,
            report,
            all_skips,
        })
    }

    /// The generator's configuration, for the crate at `version`, with
    /// what the settings file says. A settings file that cannot be read or
    /// used has been reported on stderr.
    /// The hash of what this generation depends on, for its [`Stamp`];
    /// `None` (always generate) with `--bump`, whose manifest is not the
    /// generated one, or when something cannot be read.
    fn stamp_inputs(&self, all_skips: bool) -> Option<u64> {
        if self.bump {
            return None;
        }
        let config = self.config(&self.current_version().ok()?).ok()?;
        let inputs = stamp::inputs(&self.spec, self.settings_path().as_deref(), &config)?;
        Some(inputs ^ u64::from(all_skips))
    }

    /// `--settings FILE`, or `SPEC.codegen.toml` when it exists.
    fn settings_path(&self) -> Option<PathBuf> {
        match &self.settings {
            Some(path) => Some(path.clone()),
            None => Some(Settings::path_for(&self.spec)).filter(|p| p.is_file()),
        }
    }

    fn config(&self, version: &str) -> Result<Config, Failure> {
        let mut config = Config::new(&self.name);
        config.crate_version = version.to_owned();
        config.spec_label = self.label.clone();
        config.regenerate_command = self.fixing_command.clone();
        config.strict = self.strict;
        config.example_tests = self.example_tests;
        config.call_tests = self.call_tests;
        if let Some(path) = self.settings_path() {
            let invalid = |message: String| {
                Failure::report(
                    exit::INVALID_SPEC,
                    format!("error: invalid settings: {message}"),
                )
            };
            let text = std::fs::read_to_string(&path)
                .map_err(|e| invalid(format!("{}: {e}", path.display())))?;
            let settings = Settings::from_toml(&path.display().to_string(), &text)
                .map_err(|e| invalid(e.to_string()))?;
            config.apply(settings);
        }
        if self.force_strict {
            config.strict = true;
        }
        if self.force_example_tests {
            config.example_tests = true;
        }
        if self.force_call_tests {
            config.call_tests = true;
        }
        Ok(config)
    }

    /// The version in the manifest of the crate on disk; `0.1.0` for a new
    /// crate. Versions are changed only by `--bump`, never by a
    /// regeneration.
    fn current_version(&self) -> Result<String, Failure> {
        let manifest = self.out.join("Cargo.toml");
        match std::fs::read_to_string(&manifest) {
            Ok(text) => Ok(changes::manifest_value(&text, "version")
                .unwrap_or_else(|| DEFAULT_VERSION.to_owned())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(DEFAULT_VERSION.to_owned()),
            Err(e) => Err(Failure::report(
                exit::INTERNAL,
                format!("error: {}: {e}", manifest.display()),
            )),
        }
    }

    /// Reads the spec and runs the generator, in memory: the step `codegen`
    /// and `corpus` share. A failure has been reported on stderr.
    fn generate(&self) -> Result<Generation, Failure> {
        let text = std::fs::read_to_string(&self.spec).map_err(|e| {
            Failure::report(
                exit::INVALID_SPEC,
                format!("error: cannot read the spec\n  --> {}: {e}", self.label),
            )
        })?;
        let config = self.config(&self.current_version()?)?;

        // A panic is a bug in the generator; report it as such, with the
        // exit code of an internal failure, rather than abort.
        let started = Instant::now();
        // Lean holds no state a panic could leave half-changed.
        let mut lean = alloc::Lean::for_document(text.len());
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            openapi_codegen::generate_observed(&config, &text, &mut |phase| lean.observe(phase))
        }));
        let elapsed = started.elapsed();
        match result {
            Ok(Ok(generated)) => Ok(Generation { generated, elapsed }),
            Ok(Err(Error::Spec(diagnostics))) => {
                Err(Failure::report(exit::INVALID_SPEC, diagnostics.to_string()))
            }
            Ok(Err(internal)) => Err(Failure::report(
                exit::INTERNAL,
                format!("error: {internal}"),
            )),
            Err(_) => Err(Failure::report(
                exit::INTERNAL,
                format!(
                    "error: the generator panicked on {}; this is a bug in openapi-codegen",
                    self.label
                ),
            )),
        }
    }

    /// Writes the generated files to the output directory, only those whose
    /// bytes change; with `--check`, prints a diff instead and fails when
    /// anything would change. Either way, when a crate was there before and
    /// something changes, the API change report is printed first (and
    /// pushed to `reports`, for `--report`); with `--bump`, the suggested
    /// version is written into the manifest. A failure has been reported on
    /// stderr.
    fn write(&self, generated: &Generated, reports: &mut Vec<Report>) -> Result<(), Failure> {
        let internal =
            |e: &dyn std::fmt::Display| Failure::report(exit::INTERNAL, format!("error: {e}"));
        // The generated files, unless a version bump renders them again:
        // borrowed, not copied (GitHub's are 3.8 MB).
        let mut files = std::borrow::Cow::Borrowed(&generated.files);
        let mut changes = write::plan(&self.out, &files).map_err(|e| internal(&e))?;
        let report = self.report(&files, &changes);
        if let Some(report) = &report {
            print!("{}", report.to_text());
        }
        if let Some(report) = report.as_ref().filter(|_| self.bump) {
            if let (Some(from), Bump::Patch | Bump::Minor | Bump::Major) =
                (&report.version, report.bump())
            {
                let to = report.bump().apply(from).map_err(|e| internal(&e))?;
                files = std::borrow::Cow::Owned(
                    openapi_codegen::render(&self.config(&to)?, &generated.api)
                        .map_err(|e| internal(&e))?,
                );
                changes = write::plan(&self.out, &files).map_err(|e| internal(&e))?;
                eprintln!(
                    "{}: version {from} → {to} ({} bump)",
                    self.name,
                    report.bump().name()
                );
            }
        }
        reports.extend(report);
        let out = self.out.display();
        if self.check {
            if changes.is_empty() {
                eprintln!("{out}: up to date ({} files)", files.0.len());
                return Ok(());
            }
            for change in &changes {
                print!("{}", diff(&self.out, change));
            }
            return Err(Failure::report(
                exit::STALE,
                format!(
                    "{out}: {} of {} files stale; run `{}` to update",
                    changes.len(),
                    files.0.len(),
                    self.fixing_command
                ),
            ));
        }
        write::apply(&self.out, &changes).map_err(|e| internal(&e))?;
        for change in &changes {
            let verb = match change.kind {
                ChangeKind::Added => "added",
                ChangeKind::Modified => "updated",
                ChangeKind::Removed => "removed",
            };
            eprintln!("{verb:>8} {}/{}", out, change.path);
        }
        if changes.is_empty() {
            eprintln!("{out}: up to date ({} files)", files.0.len());
        } else {
            eprintln!(
                "{out}: {} of {} files changed",
                changes.len(),
                files.0.len()
            );
        }
        Ok(())
    }

    /// What `changes` do to the API of the crate on disk: `None` when
    /// nothing changes or there was no crate. A crate on disk whose source
    /// cannot be read (edited by hand) gets a warning instead: the report
    /// is advice, and regenerating is what repairs such a crate.
    fn report(&self, files: &Files, changes: &[Change]) -> Option<Report> {
        if !self.compare
            || changes.is_empty()
            || changes.iter().all(|c| c.kind == ChangeKind::Added)
        {
            return None;
        }
        let old = write::previous(files, changes);
        match openapi_codegen::changes::compare(&old, files) {
            Ok(report) => Some(report),
            Err(e) => {
                eprintln!("warning: {}: no API change report: {e}", self.out.display());
                None
            }
        }
    }
}

/// The crate name for `--out DIR` when `--name` is not given: the directory's name.
fn default_crate_name(out: &Path) -> Result<String, String> {
    let name = out
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| "cannot take a crate name from `--out`; give `--name`".to_owned())?;
    Ok(name.to_owned())
}

/// A unified diff of one change, cut short when very long.
fn diff(out: &Path, change: &Change) -> String {
    const MAX_LINES: usize = 200;
    let path = format!("{}/{}", out.display(), change.path);
    let (old_name, new_name) = match change.kind {
        ChangeKind::Added => ("/dev/null".to_owned(), path.clone()),
        ChangeKind::Removed => (path.clone(), "/dev/null".to_owned()),
        ChangeKind::Modified => (path.clone(), path.clone()),
    };
    let diff = similar::TextDiff::from_lines(&change.old, &change.new);
    let text = diff
        .unified_diff()
        .context_radius(3)
        .header(&old_name, &new_name)
        .to_string();
    let lines: Vec<&str> = text.lines().collect();
    if lines.len() <= MAX_LINES {
        return text;
    }
    let mut short = lines[..MAX_LINES].join("\n");
    short.push_str(&format!(
        "\n... {} more lines of diff for {path}\n",
        lines.len() - MAX_LINES
    ));
    short
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_crates_are_payments_then_every_fixture_spec_by_name() {
        let root = std::env::temp_dir().join(format!("xtask-own-crates-{}", std::process::id()));
        let specs = root.join(FIXTURE_SPECS);
        std::fs::create_dir_all(&specs).unwrap();
        for file in [
            "unions.yaml",
            "echo.yaml",
            "naming.yaml",
            "notes.md",
            "old.json",
        ] {
            std::fs::write(specs.join(file), "").unwrap();
        }
        let crates = own_crates(&root);
        std::fs::remove_dir_all(&root).unwrap();
        let crates: Vec<(String, String, String)> = crates
            .unwrap()
            .into_iter()
            .map(|c| (c.spec, c.out, c.name))
            .collect();
        let expected = [
            ("spec/payments.yaml", "generated", "zoo-payments"),
            (
                "tests/fixtures/specs/echo.yaml",
                "tests/fixtures/echo-api",
                "echo-api",
            ),
            (
                "tests/fixtures/specs/naming.yaml",
                "tests/fixtures/naming-api",
                "naming-api",
            ),
            (
                "tests/fixtures/specs/unions.yaml",
                "tests/fixtures/unions-api",
                "unions-api",
            ),
        ]
        .map(|(s, o, n)| (s.to_owned(), o.to_owned(), n.to_owned()));
        assert_eq!(crates, expected);
    }
}
