//! The `openapi-codegen` command: its command line, what it prints and its
//! exit codes. `cargo xtask codegen` of this repository runs the same code
//! ([`run_targets()`], [`generate()`], [`write()`]) for its own crates, so the two
//! never drift apart. Everything here is the edge where a [`BuildError`]
//! becomes a message on stderr and an exit code.

use crate::build::{BuildError, Builder, Plan, VERSION};
use crate::changes::Report;
use crate::write::ChangeKind;
use crate::{Files, Generated, Phase};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The exit codes, as `--help` and the README document them.
pub mod exit {
    /// `--check`: the output is stale.
    pub const STALE: u8 = 1;
    /// The document (or its settings) is invalid; the messages say where.
    pub const INVALID_SPEC: u8 = 2;
    /// An I/O error, or a bug in the generator.
    pub const INTERNAL: u8 = 3;
    /// The command line is wrong.
    pub const USAGE: u8 = 64;
}

/// The options of a generation, as `openapi-codegen` and `cargo xtask
/// codegen --spec` read them.
pub const OPTIONS: &str = "\
options:
  --spec FILE                the OpenAPI 3.0 or 3.1 document (JSON or YAML)
  --out DIR                  the crate folder to generate into
  --name CRATE               the package name (default: the folder's name)
  --check                    write nothing; fail (exit 1) with a diff when the crate is stale
  --settings FILE            read settings from FILE instead of SPEC.codegen.toml beside the spec
  --report FILE              also write the API change report as Markdown to FILE
  --bump                     write the version the change report suggests into the manifest
  --strict                   every skip is an error: exit 2, nothing written (the settings
                             file's `strict` too)
  --all-skips                list every place of every skip, not the first few of each reason
  --with-example-tests       the crate carries tests/wire.rs: every example of the document and
                             instances built from its schemas, decoded, encoded and decoded again
                             (the settings file's `example-tests` too)
  --with-call-tests          the crate carries tests/calls.rs: every operation called once against
                             the server CALLS_BASE_URL names (a mock such as Prism, or staging)
                             (the settings file's `call-tests` too)

  Only files whose bytes change are written; generated files no longer generated are
  removed, and files the generator did not write are never touched. A document with
  errors leaves the folder as it was.

exit codes:
  0   success (or up to date, with --check)
  1   --check: the output is stale
  2   the spec or its settings are invalid (the messages say where)
  3   internal failure: an I/O error, or a bug in the generator
  64  the command line is wrong
";

/// `openapi-codegen --help`.
pub fn help() -> String {
    format!(
        "openapi-codegen {VERSION}: a typed Rust crate (models and an async reqwest client) \
         from an OpenAPI document\n\n\
         usage:\n  openapi-codegen --spec FILE --out DIR [--name CRATE] [--check] [options]\n  \
         openapi-codegen --help | --version\n\n{OPTIONS}"
    )
}

/// One generation's command line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// `--spec`.
    pub spec: Option<String>,
    /// `--out`.
    pub out: Option<String>,
    /// `--name`.
    pub name: Option<String>,
    /// `--check`.
    pub check: bool,
    /// `--bump`.
    pub bump: bool,
    /// `--report`.
    pub report: Option<PathBuf>,
    /// `--settings`.
    pub settings: Option<PathBuf>,
    /// `--strict`.
    pub strict: bool,
    /// `--all-skips`.
    pub all_skips: bool,
    /// `--with-example-tests`.
    pub example_tests: bool,
    /// `--with-call-tests`.
    pub call_tests: bool,
}

/// What a command line asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `--help`.
    Help,
    /// `--version`.
    Version,
    /// A generation.
    Run(Options),
}

impl Options {
    /// Reads a command line (without the program's name). `--spec` and
    /// `--out` may be missing: `cargo xtask codegen` alone means the
    /// repository's own crates.
    pub fn parse(args: &[String]) -> Result<Command, String> {
        let mut options = Options::default();
        let mut iter = args.iter();
        while let Some(arg) = iter.next() {
            let mut value = |flag: &str| {
                iter.next()
                    .cloned()
                    .ok_or_else(|| format!("`{flag}` needs a value"))
            };
            match arg.as_str() {
                "--help" | "-h" => return Ok(Command::Help),
                "--version" | "-V" => return Ok(Command::Version),
                "--check" => options.check = true,
                "--bump" => options.bump = true,
                "--strict" => options.strict = true,
                "--all-skips" => options.all_skips = true,
                "--with-example-tests" => options.example_tests = true,
                "--with-call-tests" => options.call_tests = true,
                "--settings" => options.settings = Some(PathBuf::from(value("--settings")?)),
                "--report" => options.report = Some(PathBuf::from(value("--report")?)),
                "--spec" => options.spec = Some(value("--spec")?),
                "--out" => options.out = Some(value("--out")?),
                "--name" => options.name = Some(value("--name")?),
                other => return Err(format!("unexpected argument `{other}`")),
            }
        }
        if options.check && options.bump {
            return Err("`--bump` changes the crate; it does not go with `--check`".into());
        }
        if options.spec.is_some() != options.out.is_some() {
            return Err("`--spec` and `--out` go together".into());
        }
        if options.name.is_some() && options.spec.is_none() {
            return Err("`--name` goes with `--spec` and `--out`".into());
        }
        Ok(Command::Run(options))
    }

    /// The builder for `--spec`/`--out`, with the command line's settings;
    /// `fixing` is the command quoted in headers (`None`: the command line
    /// of `openapi-codegen` that regenerates the crate).
    pub fn builder(&self, fixing: Option<String>) -> Option<Builder> {
        let (spec, out) = (self.spec.as_ref()?, self.out.as_ref()?);
        let mut builder = Builder::new(spec, out);
        if let Some(name) = &self.name {
            builder = builder.crate_name(name);
        }
        if let Some(fixing) = fixing {
            builder = builder.fixing_command(fixing);
        }
        Some(self.apply(builder))
    }

    /// The command line's settings on `builder`: what the flags force.
    pub fn apply(&self, mut builder: Builder) -> Builder {
        builder = builder.bump(self.bump);
        if let Some(settings) = &self.settings {
            builder = builder.settings(settings);
        }
        if self.strict {
            builder = builder.strict(true);
        }
        if self.example_tests {
            builder = builder.example_tests(true);
        }
        if self.call_tests {
            builder = builder.call_tests(true);
        }
        builder
    }
}

/// The `openapi-codegen` command, on this process's arguments.
pub fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    run(&args)
}

/// The `openapi-codegen` command on `args` (without the program's name).
pub fn run(args: &[String]) -> ExitCode {
    let options = match Options::parse(args) {
        Ok(Command::Help) => {
            print!("{}", help());
            return ExitCode::SUCCESS;
        }
        Ok(Command::Version) => {
            println!("openapi-codegen {VERSION}");
            return ExitCode::SUCCESS;
        }
        Ok(Command::Run(options)) => options,
        Err(message) => return usage(&message),
    };
    let Some(builder) = options.builder(None) else {
        return usage("`--spec` and `--out` are needed");
    };
    run_targets(
        &[builder],
        options.check,
        options.report.as_deref(),
        options.all_skips,
        &mut NoHooks,
    )
}

/// A wrong command line: the message and the help, exit 64.
pub fn usage(message: &str) -> ExitCode {
    eprintln!("error: {message}\n\n{}", help());
    ExitCode::from(exit::USAGE)
}

/// Why a target failed: its exit code, and the message (already printed to
/// stderr by the function that returns it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The exit code.
    pub code: u8,
    /// What was printed.
    pub message: String,
}

impl Failure {
    /// Prints `message` to stderr and returns it as a failure with `code`.
    pub fn report(code: u8, message: String) -> Failure {
        eprintln!("{message}");
        Failure { code, message }
    }

    /// The failure of a build step, printed.
    pub fn of(error: &BuildError) -> Failure {
        let code = if error.is_input_error() {
            exit::INVALID_SPEC
        } else {
            exit::INTERNAL
        };
        Failure::report(code, error.to_string())
    }
}

/// What a run of several targets lets its caller add: `cargo xtask codegen`
/// knows, from a stamp, that a crate is up to date without generating it.
pub trait Hooks {
    /// Whether `target` is known to be up to date, so that it is not
    /// generated (the hook prints what it has to say).
    fn up_to_date(&mut self, _target: &Builder) -> bool {
        false
    }
    /// Each phase of a generation as it ends.
    fn observe(&mut self, _phase: Phase) {}
    /// `target` is now as generated, with these files and warnings.
    fn done(&mut self, _target: &Builder, _files: &Files, _warnings: &str) {}
}

/// No hooks.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoHooks;

impl Hooks for NoHooks {}

/// Generates every target, and only when every one succeeded writes (or,
/// with `check`, checks) them: a broken document leaves every folder as it
/// was. Every target is tried, so one broken or stale crate does not hide
/// another; the first failure's exit code is the result. The change reports
/// go to `report` as Markdown.
pub fn run_targets(
    targets: &[Builder],
    check: bool,
    report: Option<&Path>,
    all_skips: bool,
    hooks: &mut dyn Hooks,
) -> ExitCode {
    let mut generated = Vec::new();
    let mut failed = None;
    for target in targets {
        if hooks.up_to_date(target) {
            continue;
        }
        match generate(target, &mut |phase| hooks.observe(phase)) {
            Ok(result) => {
                let warnings =
                    crate::skips::report(&target.label(), &result.api.skipped, all_skips)
                        .unwrap_or_default();
                eprint!("{warnings}");
                generated.push((target, result, warnings));
            }
            Err(failure) => {
                failed.get_or_insert(failure.code);
            }
        }
    }
    if let (Some(code), false) = (failed, check) {
        if targets.len() > 1 {
            eprintln!("no crate was written, because a spec has errors");
        }
        return ExitCode::from(code);
    }
    let mut reports = Vec::new();
    for (target, result, warnings) in &generated {
        match write(target, check, result, &mut reports) {
            Ok(plan) => hooks.done(target, plan.files(), warnings),
            Err(failure) => {
                failed.get_or_insert(failure.code);
            }
        }
    }
    if let Some(path) = report {
        let markdown: Vec<String> = reports.iter().map(Report::to_markdown).collect();
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

/// Generates `target` in memory, printing what fails. A panic is a bug in
/// the generator: it is reported as one, with the exit code of an internal
/// failure, rather than abort.
pub fn generate(target: &Builder, observe: &mut dyn FnMut(Phase)) -> Result<Generated, Failure> {
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        target.generate_observed(observe)
    }));
    match result {
        Ok(Ok(generated)) => Ok(generated),
        Ok(Err(error)) => Err(Failure::of(&error)),
        Err(_) => Err(Failure::report(
            exit::INTERNAL,
            format!(
                "error: the generator panicked on {}; this is a bug in openapi-codegen",
                target.label()
            ),
        )),
    }
}

/// Writes `generated` to the target's folder, only the files whose bytes
/// change; with `check`, prints a diff instead and fails when anything would
/// change. Either way, when a crate was there before and something changes,
/// the API change report is printed first (and pushed to `reports`); with
/// the builder's `bump`, the suggested version is written into the manifest.
/// Returns the plan, whose files are now on disk.
pub fn write<'a>(
    target: &Builder,
    check: bool,
    generated: &'a Generated,
    reports: &mut Vec<Report>,
) -> Result<Plan<'a>, Failure> {
    let plan = target.plan(generated).map_err(|e| Failure::of(&e))?;
    if let Some(report) = plan.report() {
        print!("{}", report.to_text());
    }
    if let Some((from, to, bump)) = plan.bumped() {
        eprintln!(
            "{}: version {from} → {to} ({} bump)",
            target.name().unwrap_or_default(),
            bump.name()
        );
    }
    reports.extend(plan.report().cloned());
    let out = target.out_dir().display();
    let count = plan.files().0.len();
    if check {
        if plan.is_up_to_date() {
            eprintln!("{out}: up to date ({count} files)");
            return Ok(plan);
        }
        print!("{}", plan.diff());
        return Err(Failure::report(exit::STALE, plan.stale_message()));
    }
    plan.apply()
        .map_err(|e| Failure::report(exit::INTERNAL, format!("error: {e}")))?;
    for change in plan.changes() {
        let verb = match change.kind {
            ChangeKind::Added => "added",
            ChangeKind::Modified => "updated",
            ChangeKind::Removed => "removed",
        };
        eprintln!("{verb:>8} {out}/{}", change.path);
    }
    if plan.is_up_to_date() {
        eprintln!("{out}: up to date ({count} files)");
    } else {
        eprintln!("{out}: {} of {count} files changed", plan.changes().len());
    }
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_command_line_reads_every_option() {
        let parsed = Options::parse(&args(&[
            "--spec",
            "api.yaml",
            "--out",
            "client",
            "--name",
            "my-api",
            "--strict",
            "--with-call-tests",
            "--report",
            "changes.md",
        ]))
        .unwrap();
        let Command::Run(options) = parsed else {
            panic!("{parsed:?}")
        };
        assert_eq!(options.spec.as_deref(), Some("api.yaml"));
        assert_eq!(options.name.as_deref(), Some("my-api"));
        assert!(options.strict && options.call_tests && !options.check);
        assert_eq!(options.report, Some(PathBuf::from("changes.md")));
        let builder = options.builder(None).unwrap();
        assert_eq!(
            builder.fixing().unwrap(),
            "openapi-codegen --spec api.yaml --out client --name my-api"
        );
        assert!(builder.config("0.1.0").unwrap().strict);

        assert_eq!(Options::parse(&args(&["--version"])), Ok(Command::Version));
        assert_eq!(Options::parse(&args(&["-h"])), Ok(Command::Help));
        for wrong in [
            &["--spec", "a.yaml"][..],
            &["--check", "--bump", "--spec", "a", "--out", "b"],
            &["--name", "x"],
            &["--out"],
            &["--frobnicate"],
        ] {
            assert!(Options::parse(&args(wrong)).is_err(), "{wrong:?}");
        }
    }
}
