//! Generates a typed Rust crate, models and an async `reqwest` client, from
//! an OpenAPI 3.0 or 3.1 document.
//!
//! Two ways in: the `openapi-codegen` command (`cargo install --path
//! generator`; [`cli`] is its code), and the [`Builder`], for a
//! repository's own `cargo xtask codegen` or a build script. A consumer's
//! xtask, with `--check` for its CI:
//!
//! ```no_run
//! // xtask/src/main.rs, beside api/openapi.yaml and the crate in client/.
//! use std::process::ExitCode;
//!
//! fn main() -> ExitCode {
//!     let check = std::env::args().any(|a| a == "--check");
//!     let builder = openapi_codegen::Builder::new("api/openapi.yaml", "client")
//!         .crate_name("my-api")
//!         .fixing_command("cargo xtask codegen");
//!     let result = if check { builder.check() } else { builder.write() };
//!     match result {
//!         Ok(plan) if check && !plan.is_up_to_date() => {
//!             print!("{}", plan.diff());
//!             eprintln!("{}", plan.stale_message());
//!             ExitCode::FAILURE
//!         }
//!         Ok(plan) => {
//!             if let Some(report) = plan.report() {
//!                 print!("{}", report.to_text());
//!             }
//!             ExitCode::SUCCESS
//!         }
//!         Err(error) => {
//!             eprintln!("{error}");
//!             ExitCode::from(2)
//!         }
//!     }
//! }
//! ```
//!
//! The phases, one module each (see `ARCHITECTURE.md`):
//! [`load`] (text → `openapiv3`) → [`lower`] (→ [`ir`], every decision made) →
//! [`emit`] (→ tokens) → [`format`](mod@format) (→ text) → [`write`](mod@write) (→ disk, only what
//! changed). [`generate`] runs the first four and touches no disk, for a
//! caller that decides itself what to do with the files:
//!
//! ```no_run
//! let config = openapi_codegen::Config::new("my-api");
//! let text = std::fs::read_to_string("api.yaml").unwrap();
//! let generated = openapi_codegen::generate(&config, &text).unwrap();
//! openapi_codegen::write::write("my-api".as_ref(), &generated.files).unwrap();
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod build;
mod calls;
pub mod changes;
pub mod cli;
mod cycles;
pub mod diagnostics;
pub mod emit;
pub mod format;
pub mod ir;
pub mod judge;
mod layout;
pub mod load;
pub mod locate;
pub mod lower;
mod macros;
mod markdown;
pub mod naming;
mod refs;
pub mod settings;
pub mod skips;
pub mod surface;
mod validate;
mod wire;
pub mod write;

pub use build::{BuildError, Builder, Plan};
pub use diagnostics::{Diagnostic, Diagnostics, Problem};
pub use settings::{Names, Selection, Settings, SettingsError};
use std::collections::BTreeMap;

/// What to generate, and how to label it.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// The generated package's name (`zoo-payments`).
    pub crate_name: String,
    /// The generated package's version.
    pub crate_version: String,
    /// How the input is named in diagnostics and in the header of every
    /// generated file: a path relative to the workspace, so that the output
    /// does not depend on where the checkout is.
    pub spec_label: String,
    /// The command that regenerates the output, quoted in file headers.
    pub regenerate_command: String,
    /// Whether every skip (an operation left out, a schema typed as any
    /// JSON value, a name changed, a default not applied) is an error, so
    /// that nothing is generated unless all of the document is. For teams
    /// who own their document; off by default, so that one construct the
    /// generator cannot carry out costs that part, not the whole crate.
    pub strict: bool,
    /// Rust names chosen without editing the document.
    pub names: Names,
    /// Which operations get a method.
    pub operations: Selection,
    /// Whether the crate carries tests of its types against the wire
    /// (`tests/wire.rs`): every example of the document, and instances built
    /// from its schemas, decoded from JSON text as the client decodes them,
    /// encoded and decoded again, with no key the schema declares dropped.
    /// A team that regenerates its client then sees wire regressions in its
    /// own CI.
    pub example_tests: bool,
    /// Whether the crate carries its call tests (`tests/calls.rs`): every
    /// operation called once, with arguments built from the document's
    /// schemas and credentials for every scheme, against the server that
    /// `CALLS_BASE_URL` names (a mock of the document, such as Prism, or a
    /// staging server), each call judged by what the server answers.
    pub call_tests: bool,
    /// POST and PATCH operations that are safe to send twice, by
    /// `operationId` or `METHOD /path`: the client's opt-in retries repeat
    /// them, as they do every GET, HEAD, PUT, DELETE and OPTIONS. An
    /// operation's `x-idempotent: true` says the same in the document.
    pub idempotent: Vec<String>,
    /// Security schemes the document does not declare (or declares
    /// wrongly), by key: they join the document's `securitySchemes`,
    /// replacing one of the same key.
    pub security_schemes: BTreeMap<String, openapiv3::SecurityScheme>,
    /// The requirements of the operations without `security` of their
    /// own, in place of the document's top-level `security`.
    pub security: Option<Vec<openapiv3::SecurityRequirement>>,
}

impl Config {
    /// A configuration with defaults for everything but the crate name.
    pub fn new(crate_name: impl Into<String>) -> Config {
        Config {
            crate_name: crate_name.into(),
            crate_version: "0.1.0".into(),
            spec_label: "openapi.yaml".into(),
            regenerate_command: "cargo xtask codegen".into(),
            strict: false,
            names: Names::default(),
            operations: Selection::default(),
            example_tests: false,
            call_tests: false,
            idempotent: Vec::new(),
            security_schemes: BTreeMap::new(),
            security: None,
        }
    }

    /// Takes what a settings file says: its names and selection, and its
    /// `strict` when it has one.
    pub fn apply(&mut self, settings: Settings) {
        if let Some(strict) = settings.strict {
            self.strict = strict;
        }
        if let Some(example_tests) = settings.example_tests {
            self.example_tests = example_tests;
        }
        if let Some(call_tests) = settings.call_tests {
            self.call_tests = call_tests;
        }
        self.names = settings.names;
        self.operations = settings.operations;
        self.idempotent = settings.idempotent;
        self.security_schemes = settings.security_schemes;
        self.security = settings.security;
    }
}

/// Generated files: path relative to the crate root (`/`-separated) → text,
/// in path order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Files(pub BTreeMap<String, String>);

/// The result of a generation.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The IR the files were emitted from.
    pub api: ir::Api,
    /// The crate's files.
    pub files: Files,
}

/// Why generation failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input has errors; each says where.
    #[error(transparent)]
    Spec(#[from] Diagnostics),
    /// The generator produced something that is not Rust: a bug here, not in
    /// the input.
    #[error(
        "internal error: the generated `{file}` does not parse as Rust ({message}); this is a bug in openapi-codegen"
    )]
    Internal {
        /// The file that did not parse.
        file: String,
        /// The parser's message.
        message: String,
    },
}

/// Loads and lowers a document: the IR, or every error found, each with its
/// line and column where the text has them, in the order of the text.
/// Nothing is strict: see [`lower_with`].
pub fn lower_text(spec_label: &str, text: &str) -> Result<ir::Api, Diagnostics> {
    let mut config = Config::new("api");
    config.spec_label = spec_label.to_owned();
    lower_with(&config, text)
}

/// Loads and lowers a document as `config` says. What the crate leaves out
/// is in [`ir::Api::skipped`], each item located; with [`Config::strict`],
/// each is an error instead.
pub fn lower_with(config: &Config, text: &str) -> Result<ir::Api, Diagnostics> {
    lower_observed(config, text, &mut |_| {})
}

/// A point in a generation at which [`generate_observed`] tells its caller
/// how far it has come: where the memory an earlier phase worked in has just
/// been freed, so a caller can hand it back to the system, time the phase or
/// report progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Phase {
    /// The document is read into the model: the JSON value the text was
    /// parsed into, the largest thing a generation holds, is freed.
    Loaded,
    /// The IR is built, every item located: the model is freed.
    Lowered,
    /// Every file is emitted and formatted: the tokens and syntax trees are
    /// freed.
    Rendered,
}

/// [`lower_with`], telling `observe` when the document is loaded and when
/// it is lowered (see [`Phase`]).
pub fn lower_observed(
    config: &Config,
    text: &str,
    observe: &mut dyn FnMut(Phase),
) -> Result<ir::Api, Diagnostics> {
    let file = config.spec_label.as_str();
    // Positions come from a second reading of the text, done only when
    // something must be located: most documents that generate have nothing
    // to locate, and the index is as large as the document.
    let lowered =
        load::load_for_lowering(file, text, load::Keep::for_config(config)).map(|loaded| {
            observe(Phase::Loaded);
            lower::lower(config, loaded)
        });
    let mut api = lowered.map_err(|errors| Diagnostics(located(text, errors)))?;
    if !api.skipped.is_empty() {
        locate_skipped(&locate::Locator::new(text), &mut api.skipped);
    }
    if config.strict && !api.skipped.is_empty() {
        let errors = api
            .skipped
            .iter()
            .map(|s| Diagnostic {
                file: file.to_owned(),
                pointer: s.pointer.clone(),
                line_col: s.line_col,
                problem: Problem::Strict(match &s.subject {
                    Some(subject) => format!("{} ({subject})", s.message),
                    None => s.message.clone(),
                }),
            })
            .collect();
        return Err(Diagnostics(errors));
    }
    observe(Phase::Lowered);
    Ok(api)
}

/// Gives each skipped item the position of its pointer, and puts them in
/// the order of the text (stable: items at one place keep their order).
fn locate_skipped(locator: &locate::Locator, skipped: &mut [ir::Skipped]) {
    for s in skipped.iter_mut() {
        s.line_col = locator.find(&s.pointer);
    }
    skipped.sort_by_key(|s| s.line_col.unwrap_or((usize::MAX, usize::MAX)));
}

/// Gives each diagnostic that has a pointer but no position the position of
/// its value in `text`, and sorts them as a compiler would: by position.
fn located(text: &str, mut errors: Vec<Diagnostic>) -> Vec<Diagnostic> {
    if errors
        .iter()
        .any(|d| d.line_col.is_none() && !d.pointer.is_empty())
    {
        let locator = locate::Locator::new(text);
        for d in errors.iter_mut() {
            if d.line_col.is_none() && !d.pointer.is_empty() {
                d.line_col = locator.find(&d.pointer);
            }
        }
    }
    // Stable: diagnostics at one place keep the order they were found in.
    errors.sort_by_key(|d| d.line_col.unwrap_or((usize::MAX, usize::MAX)));
    errors
}

/// Generates the crate for the document `text`, in memory.
pub fn generate(config: &Config, text: &str) -> Result<Generated, Error> {
    generate_observed(config, text, &mut |_| {})
}

/// [`generate`], telling `observe` as each phase ends (see [`Phase`]). The
/// files are the same.
pub fn generate_observed(
    config: &Config,
    text: &str,
    observe: &mut dyn FnMut(Phase),
) -> Result<Generated, Error> {
    let api = lower_observed(config, text, observe)?;
    let files = render(config, &api)?;
    observe(Phase::Rendered);
    Ok(Generated { api, files })
}

/// Emits and formats the crate for an IR.
pub fn render(config: &Config, api: &ir::Api) -> Result<Files, Error> {
    let header = format!(
        "{} {} from {}.\nDo not edit by hand: change the spec and run `{}`.",
        write::MARKER,
        build::VERSION,
        config.spec_label,
        config.regenerate_command
    );
    let mut files = BTreeMap::new();
    files.insert(
        "Cargo.toml".to_owned(),
        emit::manifest(api, config, &header),
    );
    let crate_ident = config.crate_name.replace('-', "_");
    let mut plans = emit::plan(api, &config.crate_name);
    if config.example_tests {
        plans.extend(emit::wire_tests(api, &crate_ident));
    }
    if config.call_tests {
        plans.extend(emit::call_tests(api, &crate_ident));
    }
    let formatted = format::format_plans(&plans, &header).map_err(|e| Error::Internal {
        file: e.path.to_owned(),
        message: e.message,
    })?;
    for (path, text) in formatted {
        files.insert(path.to_owned(), text);
    }
    Ok(Files(files))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn payments() -> String {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/payments.yaml");
        std::fs::read_to_string(path).expect("the payments spec is readable")
    }

    #[test]
    fn the_observer_hears_each_phase_end_once_in_order_and_the_files_are_the_same() {
        let text = payments();
        let config = Config::new("payments");
        let mut heard = Vec::new();
        let observed = generate_observed(&config, &text, &mut |phase| heard.push(phase))
            .expect("the payments spec generates");
        assert_eq!(heard, [Phase::Loaded, Phase::Lowered, Phase::Rendered]);
        let plain = generate(&config, &text).expect("the payments spec generates");
        assert_eq!(observed.files.0, plain.files.0);
    }

    #[test]
    fn a_phase_that_fails_is_not_heard_as_ended() {
        let mut heard = Vec::new();
        let result = generate_observed(&Config::new("x"), "swagger: '2.0'\n", &mut |phase| {
            heard.push(phase)
        });
        assert!(matches!(result, Err(Error::Spec(_))));
        assert_eq!(heard, []);

        // Loaded, but refused by `strict` for the operation it must skip.
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: a\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Missing'}\n";
        let mut config = Config::new("x");
        config.strict = true;
        let result = generate_observed(&config, text, &mut |phase| heard.push(phase));
        assert!(matches!(result, Err(Error::Spec(_))), "{result:?}");
        assert_eq!(heard, [Phase::Loaded]);
    }
}
