//! The workspace's tasks. `cargo xtask help` lists them.

use openapi_codegen::write::{self, Change, ChangeKind};
use openapi_codegen::{Config, Error};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const HELP: &str = "\
usage:
  cargo xtask codegen            regenerate generated/ from spec/payments.yaml (and the
                                 test fixture crate tests/fixtures/echo-api)
  cargo xtask codegen --check    fail (exit 1) with a diff when any of them is stale
  cargo xtask codegen --spec FILE --out DIR [--name CRATE] [--check]
                                 generate a standalone crate from any OpenAPI 3.0 document

exit codes:
  0   success (or up to date, with --check)
  1   --check: the output is stale
  2   the spec is invalid (the messages say where)
  3   internal failure: an I/O error, or a bug in the generator
  64  the command line is wrong
";

/// Exit codes, as documented in `HELP` and the README.
mod exit {
    pub const STALE: u8 = 1;
    pub const INVALID_SPEC: u8 = 2;
    pub const INTERNAL: u8 = 3;
    pub const USAGE: u8 = 64;
}

/// The crates this workspace generates and checks in, `(spec, output
/// directory, crate name)`, relative to the workspace root: the payments
/// crate, and the crate the client tests call a loopback server with.
const OWN_CRATES: &[(&str, &str, &str)] = &[
    ("spec/payments.yaml", "generated", "zoo-payments"),
    (
        "tests/fixtures/specs/echo.yaml",
        "tests/fixtures/echo-api",
        "echo-api",
    ),
];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("codegen") => match CodegenArgs::parse(&args[1..]) {
            // Every target runs, so one stale or broken crate does not hide
            // another; the first failure's exit code is the result.
            Ok(targets) => targets
                .iter()
                .map(CodegenArgs::run)
                .find(|code| *code != ExitCode::SUCCESS)
                .unwrap_or(ExitCode::SUCCESS),
            Err(message) => usage(&message),
        },
        Some("help" | "--help" | "-h") | None => {
            print!("{HELP}");
            ExitCode::SUCCESS
        }
        Some(other) => usage(&format!("unknown task `{other}`")),
    }
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

#[derive(Debug)]
struct CodegenArgs {
    check: bool,
    spec: PathBuf,
    out: PathBuf,
    /// How the spec is named in messages and file headers.
    label: String,
    name: String,
    /// Whether this is the workspace's own crate (for the fixing command).
    own: bool,
}

impl CodegenArgs {
    fn parse(args: &[String]) -> Result<Vec<CodegenArgs>, String> {
        let mut check = false;
        let mut spec = None;
        let mut out = None;
        let mut name = None;
        let mut iter = args.iter();
        while let Some(arg) = iter.next() {
            let mut value = |flag: &str| {
                iter.next()
                    .cloned()
                    .ok_or_else(|| format!("`{flag}` needs a value"))
            };
            match arg.as_str() {
                "--check" => check = true,
                "--spec" => spec = Some(value("--spec")?),
                "--out" => out = Some(value("--out")?),
                "--name" => name = Some(value("--name")?),
                other => return Err(format!("unexpected argument `{other}`")),
            }
        }
        match (spec, out) {
            (None, None) => {
                if name.is_some() {
                    return Err("`--name` goes with `--spec` and `--out`".into());
                }
                let root = workspace_root();
                Ok(OWN_CRATES
                    .iter()
                    .map(|(spec, out, name)| CodegenArgs {
                        check,
                        spec: root.join(spec),
                        out: root.join(out),
                        label: (*spec).into(),
                        name: (*name).into(),
                        own: true,
                    })
                    .collect())
            }
            (Some(spec), Some(out)) => {
                let out = PathBuf::from(out);
                let name = match name {
                    Some(name) => name,
                    None => default_crate_name(&out)?,
                };
                Ok(vec![CodegenArgs {
                    check,
                    label: spec.clone(),
                    spec: spec.into(),
                    out,
                    name,
                    own: false,
                }])
            }
            _ => Err("`--spec` and `--out` go together".into()),
        }
    }

    /// The command that brings the output up to date.
    fn fixing_command(&self) -> String {
        if self.own {
            "cargo xtask codegen".into()
        } else {
            format!(
                "cargo xtask codegen --spec {} --out {} --name {}",
                self.label,
                self.out.display(),
                self.name
            )
        }
    }

    fn run(&self) -> ExitCode {
        let text = match std::fs::read_to_string(&self.spec) {
            Ok(text) => text,
            Err(e) => {
                eprintln!("error: cannot read the spec\n  --> {}: {e}", self.label);
                return ExitCode::from(exit::INVALID_SPEC);
            }
        };
        let mut config = Config::new(&self.name);
        config.spec_label = self.label.clone();
        config.regenerate_command = self.fixing_command();

        // A panic is a bug in the generator; report it as such, with the
        // exit code of an internal failure, rather than abort.
        let generated = match std::panic::catch_unwind(|| openapi_codegen::generate(&config, &text))
        {
            Ok(Ok(generated)) => generated,
            Ok(Err(Error::Spec(diagnostics))) => {
                eprintln!("{diagnostics}");
                return ExitCode::from(exit::INVALID_SPEC);
            }
            Ok(Err(internal)) => {
                eprintln!("error: {internal}");
                return ExitCode::from(exit::INTERNAL);
            }
            Err(_) => {
                eprintln!(
                    "error: the generator panicked on {}; this is a bug in openapi-codegen",
                    self.label
                );
                return ExitCode::from(exit::INTERNAL);
            }
        };

        let changes = match write::plan(&self.out, &generated.files) {
            Ok(changes) => changes,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(exit::INTERNAL);
            }
        };
        let out = self.out.display();
        if self.check {
            if changes.is_empty() {
                eprintln!("{out}: up to date ({} files)", generated.files.0.len());
                return ExitCode::SUCCESS;
            }
            for change in &changes {
                print!("{}", diff(&self.out, change));
            }
            eprintln!(
                "{out}: {} of {} files stale; run `{}` to update",
                changes.len(),
                generated.files.0.len(),
                self.fixing_command()
            );
            return ExitCode::from(exit::STALE);
        }
        if let Err(e) = write::apply(&self.out, &changes) {
            eprintln!("error: {e}");
            return ExitCode::from(exit::INTERNAL);
        }
        for change in &changes {
            let verb = match change.kind {
                ChangeKind::Added => "added",
                ChangeKind::Modified => "updated",
                ChangeKind::Removed => "removed",
            };
            eprintln!("{verb:>8} {}/{}", out, change.path);
        }
        if changes.is_empty() {
            eprintln!("{out}: up to date ({} files)", generated.files.0.len());
        } else {
            eprintln!(
                "{out}: {} of {} files changed",
                changes.len(),
                generated.files.0.len()
            );
        }
        ExitCode::SUCCESS
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
