//! The workspace's tasks. `cargo xtask help` lists them.

mod alloc;
mod bench;
mod calls;
mod corpus;
mod stamp;

#[global_allocator]
static GLOBAL: alloc::Allocator = alloc::Allocator;

use openapi_codegen::changes::Report;
pub(crate) use openapi_codegen::cli::Failure;
use openapi_codegen::cli::{self, Command, Options};
use openapi_codegen::{Builder, Files, Generated, Phase};
use stamp::Stamp;
use std::collections::BTreeMap;
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
    with the options of `openapi-codegen` (the same code), listed below
  cargo xtask corpus [--only NAME[,NAME...]] [--skip-clippy] [--skip-wire] [--skip-calls]
                     [--undocumented]
                                 generate a crate from each document of corpus/{progenitor,apis,zoo}
                                 into target/corpus/crates, run `cargo clippy -- -D warnings`
                                 on each (`cargo check` with --skip-clippy), then its wire tests
                                 (see conformance), then its call tests against Stoplight Prism
                                 serving the document (static, then dynamic with a fixed seed;
                                 Prism is installed with `npm ci` in xtask/prism when missing),
                                 and print a table. A call fault not listed in corpus/calls.known
                                 fails the document.
                                 --undocumented: each document with every description, summary
                                 and title emptied, through clippy and rustdoc with warnings
                                 denied (missing_docs among them), in target/corpus-undocumented;
                                 no wire tests, no calls
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

codegen ";

/// Exit codes, as documented in `HELP` and the README: the command's, and
/// the corpus's.
mod exit {
    pub use openapi_codegen::cli::exit::*;
    /// `corpus`: some document did not generate or is not clean.
    pub const NOT_CLEAN: u8 = 1;
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
        Some("codegen") => match CodegenRun::parse(&args[1..]) {
            Ok(Some(run)) => codegen(&run),
            Ok(None) => {
                print!("{HELP}{}", cli::OPTIONS);
                ExitCode::SUCCESS
            }
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
            print!("{HELP}{}", cli::OPTIONS);
            ExitCode::SUCCESS
        }
        Some(other) => usage(&format!("unknown task `{other}`")),
    }
}

/// `codegen` for every target, through the command's own code
/// ([`cli::run_targets`]); what the xtask adds is the stamps, which know
/// without generating that a crate is up to date, and the allocator's lean
/// mode during a large document's generation.
fn codegen(run: &CodegenRun) -> ExitCode {
    let builders: Vec<Builder> = run.targets.iter().map(|t| t.builder.clone()).collect();
    let mut hooks = XtaskHooks {
        root: workspace_root(),
        all_skips: run.all_skips,
        inputs: BTreeMap::new(),
        lean: None,
    };
    cli::run_targets(
        &builders,
        run.check,
        run.report.as_deref(),
        run.all_skips,
        &mut hooks,
    )
}

/// The stamps and the lean allocator, around the command's run.
struct XtaskHooks {
    root: PathBuf,
    all_skips: bool,
    /// Each generated target's stamp inputs, by output folder.
    inputs: BTreeMap<PathBuf, u64>,
    /// The allocator's lean mode for the generation under way.
    lean: Option<alloc::Lean>,
}

impl cli::Hooks for XtaskHooks {
    fn up_to_date(&mut self, target: &Builder) -> bool {
        let out = target.out_dir().to_owned();
        if let Some(inputs) = stamp_inputs(target, self.all_skips) {
            if let Some((files, warnings)) = Stamp::up_to_date(&self.root, &out, inputs) {
                eprint!("{warnings}");
                eprintln!("{}: up to date ({files} files)", out.display());
                return true;
            }
            self.inputs.insert(out, inputs);
        }
        let size = std::fs::metadata(target.spec_path()).map_or(0, |m| m.len());
        self.lean = Some(alloc::Lean::for_document(
            usize::try_from(size).unwrap_or(usize::MAX),
        ));
        false
    }

    fn observe(&mut self, phase: Phase) {
        if let Some(lean) = &mut self.lean {
            lean.observe(phase);
        }
    }

    fn done(&mut self, target: &Builder, files: &Files, warnings: &str) {
        // The output on disk is now what was generated.
        if let Some(inputs) = self.inputs.get(target.out_dir()) {
            Stamp::new(*inputs, files, warnings).save(&self.root, target.out_dir());
        }
    }
}

/// The hash of what a generation depends on, for its [`Stamp`]; `None`
/// (always generate) with `--bump`, whose manifest is not the generated
/// one, or when something cannot be read.
fn stamp_inputs(target: &Builder, all_skips: bool) -> Option<u64> {
    if target.bumps() {
        return None;
    }
    let config = target.config(&target.current_version().ok()?).ok()?;
    let settings = target.settings_path();
    let inputs = stamp::inputs(target.spec_path(), settings.as_deref(), &config)?;
    Some(inputs ^ u64::from(all_skips))
}

fn usage(message: &str) -> ExitCode {
    eprintln!("error: {message}\n\n{HELP}{}", cli::OPTIONS);
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
    check: bool,
    report: Option<PathBuf>,
    /// `--all-skips`: list every place of every skip.
    all_skips: bool,
}

/// Why a command line did not give a list of targets.
#[derive(Debug)]
enum ArgsError {
    /// The command line is wrong (exit 64).
    Usage(String),
    /// The command line is right, but the targets could not be listed (exit 3).
    Internal(String),
}

impl CodegenRun {
    /// `cargo xtask codegen`'s command line, read as `openapi-codegen`
    /// reads it; without `--spec`, the workspace's own crates. `None` for
    /// `--help`.
    fn parse(args: &[String]) -> Result<Option<CodegenRun>, ArgsError> {
        let options = match Options::parse(args).map_err(ArgsError::Usage)? {
            Command::Help | Command::Version => return Ok(None),
            Command::Run(options) => options,
        };
        let targets = match (&options.spec, &options.out) {
            (Some(spec), Some(out)) => {
                let name = match &options.name {
                    Some(name) => name.clone(),
                    None => Builder::new(spec, out)
                        .name()
                        .map_err(|e| ArgsError::Usage(format!("{e}: `--name`")))?,
                };
                let target = CodegenArgs::standalone(
                    options.check,
                    PathBuf::from(spec),
                    spec.clone(),
                    PathBuf::from(out),
                    out,
                    name,
                );
                vec![CodegenArgs {
                    builder: options.apply(target.builder),
                    check: options.check,
                }]
            }
            _ => {
                if options.settings.is_some() {
                    return Err(ArgsError::Usage(
                        "`--settings` goes with `--spec`; the workspace's own specs read theirs beside them".into(),
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
                    .map(|own| {
                        // Strict, and with their wire and call tests, but
                        // for the history's crates (no tests).
                        let tests = !own.out.starts_with(HISTORY_SPECS);
                        let builder = Builder::new(root.join(&own.spec), root.join(&own.out))
                            .spec_label(own.spec)
                            .crate_name(own.name)
                            .fixing_command("cargo xtask codegen")
                            .defaults(true, tests, tests);
                        CodegenArgs {
                            builder: options.apply(builder),
                            check: options.check,
                        }
                    })
                    .collect()
            }
        };
        Ok(Some(CodegenRun {
            targets,
            check: options.check,
            report: options.report,
            all_skips: options.all_skips,
        }))
    }
}

/// One crate to generate, for `codegen`, `corpus` and `bench`: the
/// generator's [`Builder`] and whether to check rather than write.
#[derive(Debug)]
struct CodegenArgs {
    builder: Builder,
    check: bool,
}

/// A generation that succeeded, and how long it took.
struct Generation {
    generated: Generated,
    elapsed: Duration,
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
        let fixing = format!("cargo xtask codegen --spec {label} --out {out_label} --name {name}");
        CodegenArgs {
            builder: Builder::new(spec, out)
                .spec_label(label)
                .crate_name(name)
                .fixing_command(fixing),
            check,
        }
    }

    /// How the spec is named in messages.
    fn label(&self) -> String {
        self.builder.label().into_owned()
    }

    /// Generates in memory, timed, with the allocator's lean mode: the
    /// step `corpus` and `bench` share with `codegen`. A failure has been
    /// reported on stderr.
    fn generate(&self) -> Result<Generation, Failure> {
        let size = std::fs::metadata(self.builder.spec_path()).map_or(0, |m| m.len());
        let mut lean = alloc::Lean::for_document(usize::try_from(size).unwrap_or(usize::MAX));
        let started = Instant::now();
        let generated = cli::generate(&self.builder, &mut |phase| lean.observe(phase))?;
        Ok(Generation {
            generated,
            elapsed: started.elapsed(),
        })
    }

    /// Writes (or checks) the generated files, as `codegen` does.
    fn write(&self, generated: &Generated, reports: &mut Vec<Report>) -> Result<(), Failure> {
        cli::write(&self.builder, self.check, generated, reports).map(|_| ())
    }
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
