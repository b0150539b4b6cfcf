//! The generator as a step of someone else's build: one [`Builder`] from a
//! document to a crate folder, in the shape of prost-build's `Config`. An
//! xtask, a build script, a test or the `openapi-codegen` command make one,
//! and then [`generate`](Builder::generate) in memory,
//! [`check`](Builder::check) the folder (what would change, the API change
//! report and the diff) or [`write`](Builder::write) it, only the files
//! whose bytes change.
//!
//! The crate's front page has a consumer's `xtask codegen` built on it.

mod diff;

use crate::changes::{self, Bump, Report};
use crate::write::{self, Change, ChangeKind, WriteError};
use crate::{Config, Diagnostics, Files, Generated, Phase, Settings};
use std::borrow::Cow;
use std::path::{Path, PathBuf};

/// This generator's version: in the header of every file it writes and in
/// the metadata of every crate.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The version of a crate generated for the first time.
const FIRST_VERSION: &str = "0.1.0";

/// Why a build step failed. Each says where.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The document cannot be read.
    #[error("error: cannot read the spec\n  --> {label}: {source}")]
    ReadSpec {
        /// The document as the builder names it.
        label: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The settings file cannot be read or does not say something usable.
    #[error("error: invalid settings: {0}")]
    Settings(String),
    /// The document has errors; each says where (file, line and column,
    /// JSON pointer).
    #[error(transparent)]
    Spec(#[from] Diagnostics),
    /// No crate name was given and the output folder has none to lend.
    #[error("error: cannot take a crate name from {}; give one", .0.display())]
    CrateName(PathBuf),
    /// A file of the output folder cannot be read or written.
    #[error("error: {0}")]
    Io(#[from] WriteError),
    /// The crate's version cannot be bumped.
    #[error("error: {0}")]
    Version(String),
    /// The generator failed at something that is its own fault.
    #[error("error: {0}")]
    Internal(String),
}

impl BuildError {
    /// Whether the input (the document or its settings) is at fault, rather
    /// than the disk or the generator.
    pub fn is_input_error(&self) -> bool {
        matches!(
            self,
            BuildError::ReadSpec { .. } | BuildError::Settings(_) | BuildError::Spec(_)
        )
    }
}

impl From<crate::Error> for BuildError {
    fn from(error: crate::Error) -> BuildError {
        match error {
            crate::Error::Spec(diagnostics) => BuildError::Spec(diagnostics),
            internal => BuildError::Internal(internal.to_string()),
        }
    }
}

/// A document, a crate folder and how to make one from the other.
#[derive(Debug, Clone)]
pub struct Builder {
    spec: PathBuf,
    out: PathBuf,
    crate_name: Option<String>,
    spec_label: Option<String>,
    fixing_command: Option<String>,
    settings: Option<PathBuf>,
    defaults: Defaults,
    strict: Option<bool>,
    example_tests: Option<bool>,
    call_tests: Option<bool>,
    compare: bool,
    bump: bool,
}

/// What holds when neither the settings nor the builder's own setters say.
#[derive(Debug, Clone, Copy, Default)]
struct Defaults {
    strict: bool,
    example_tests: bool,
    call_tests: bool,
}

impl Builder {
    /// Generates the document at `spec` into the crate folder `out`. The
    /// settings are `SPEC.codegen.toml` beside the document when it exists;
    /// the crate is named after the folder.
    pub fn new(spec: impl Into<PathBuf>, out: impl Into<PathBuf>) -> Builder {
        Builder {
            spec: spec.into(),
            out: out.into(),
            crate_name: None,
            spec_label: None,
            fixing_command: None,
            settings: None,
            defaults: Defaults::default(),
            strict: None,
            example_tests: None,
            call_tests: None,
            compare: true,
            bump: false,
        }
    }

    /// The package name (`zoo-payments`); by default the output folder's name.
    pub fn crate_name(mut self, name: impl Into<String>) -> Builder {
        self.crate_name = Some(name.into());
        self
    }

    /// How the document is named in messages and in the header of every
    /// file (a path relative to the repository keeps the output the same
    /// wherever the checkout is); by default the path as given.
    pub fn spec_label(mut self, label: impl Into<String>) -> Builder {
        self.spec_label = Some(label.into());
        self
    }

    /// The command that brings the crate up to date, quoted in the header of
    /// every file and in a stale check's message; by default the
    /// `openapi-codegen` command line that does it.
    pub fn fixing_command(mut self, command: impl Into<String>) -> Builder {
        self.fixing_command = Some(command.into());
        self
    }

    /// The settings file, instead of `SPEC.codegen.toml` beside the document.
    pub fn settings(mut self, path: impl Into<PathBuf>) -> Builder {
        self.settings = Some(path.into());
        self
    }

    /// Whether every skip is an error (nothing is generated unless all of the
    /// document is), whatever the settings say.
    pub fn strict(mut self, strict: bool) -> Builder {
        self.strict = Some(strict);
        self
    }

    /// Whether the crate carries its wire tests (`tests/wire.rs`), whatever
    /// the settings say.
    pub fn example_tests(mut self, on: bool) -> Builder {
        self.example_tests = Some(on);
        self
    }

    /// Whether the crate carries its call tests (`tests/calls.rs`), whatever
    /// the settings say.
    pub fn call_tests(mut self, on: bool) -> Builder {
        self.call_tests = Some(on);
        self
    }

    /// What `strict`, `example-tests` and `call-tests` are when neither the
    /// settings nor the setters above say (all off unless set here).
    pub fn defaults(mut self, strict: bool, example_tests: bool, call_tests: bool) -> Builder {
        self.defaults = Defaults {
            strict,
            example_tests,
            call_tests,
        };
        self
    }

    /// Whether a check or a write compares the API with the crate on disk
    /// (the change report); on by default.
    pub fn compare(mut self, compare: bool) -> Builder {
        self.compare = compare;
        self
    }

    /// Whether a write puts the version the change report suggests into the
    /// crate's manifest (off by default: a regeneration keeps the version).
    pub fn bump(mut self, bump: bool) -> Builder {
        self.bump = bump;
        self
    }

    /// Whether a write bumps the version.
    pub fn bumps(&self) -> bool {
        self.bump
    }

    /// The document's path.
    pub fn spec_path(&self) -> &Path {
        &self.spec
    }

    /// The crate folder.
    pub fn out_dir(&self) -> &Path {
        &self.out
    }

    /// The document as messages and headers name it.
    pub fn label(&self) -> Cow<'_, str> {
        match &self.spec_label {
            Some(label) => Cow::Borrowed(label),
            None => self.spec.to_string_lossy(),
        }
    }

    /// The package name.
    pub fn name(&self) -> Result<String, BuildError> {
        match &self.crate_name {
            Some(name) => Ok(name.clone()),
            None => self
                .out
                .file_name()
                .and_then(|n| n.to_str())
                .map(str::to_owned)
                .ok_or_else(|| BuildError::CrateName(self.out.clone())),
        }
    }

    /// The command quoted in headers and stale messages.
    pub fn fixing(&self) -> Result<String, BuildError> {
        match &self.fixing_command {
            Some(command) => Ok(command.clone()),
            None => Ok(format!(
                "openapi-codegen --spec {} --out {} --name {}",
                self.label(),
                self.out.display(),
                self.name()?
            )),
        }
    }

    /// The settings file this builder reads, if any.
    pub fn settings_path(&self) -> Option<PathBuf> {
        match &self.settings {
            Some(path) => Some(path.clone()),
            None => Some(Settings::path_for(&self.spec)).filter(|p| p.is_file()),
        }
    }

    /// The version in the manifest of the crate on disk; `0.1.0` for a new
    /// crate. Only [`bump`](Builder::bump) changes it.
    pub fn current_version(&self) -> Result<String, BuildError> {
        let manifest = self.out.join("Cargo.toml");
        match std::fs::read_to_string(&manifest) {
            Ok(text) => Ok(changes::manifest_value(&text, "version")
                .unwrap_or_else(|| FIRST_VERSION.to_owned())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(FIRST_VERSION.to_owned()),
            Err(source) => Err(BuildError::Io(WriteError {
                path: manifest,
                source,
            })),
        }
    }

    /// The generator's configuration for the crate at `version`: the
    /// defaults, then the settings file, then the setters.
    pub fn config(&self, version: &str) -> Result<Config, BuildError> {
        let mut config = Config::new(self.name()?);
        config.crate_version = version.to_owned();
        config.spec_label = self.label().into_owned();
        config.regenerate_command = self.fixing()?;
        config.strict = self.defaults.strict;
        config.example_tests = self.defaults.example_tests;
        config.call_tests = self.defaults.call_tests;
        if let Some(path) = self.settings_path() {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| BuildError::Settings(format!("{}: {e}", path.display())))?;
            let settings = Settings::from_toml(&path.display().to_string(), &text)
                .map_err(|e| BuildError::Settings(e.to_string()))?;
            config.apply(settings);
        }
        if let Some(strict) = self.strict {
            config.strict = strict;
        }
        if let Some(on) = self.example_tests {
            config.example_tests = on;
        }
        if let Some(on) = self.call_tests {
            config.call_tests = on;
        }
        Ok(config)
    }

    /// Reads the document and generates the crate in memory.
    pub fn generate(&self) -> Result<Generated, BuildError> {
        self.generate_observed(&mut |_| {})
    }

    /// [`generate`](Builder::generate), telling `observe` as each phase
    /// ends (see [`Phase`]).
    pub fn generate_observed(
        &self,
        observe: &mut dyn FnMut(Phase),
    ) -> Result<Generated, BuildError> {
        let text = std::fs::read_to_string(&self.spec).map_err(|source| BuildError::ReadSpec {
            label: self.label().into_owned(),
            source,
        })?;
        let config = self.config(&self.current_version()?)?;
        Ok(crate::generate_observed(&config, &text, observe)?)
    }

    /// What writing `generated` would do to the crate folder: the files
    /// that change, the API change report, the version bump when
    /// [`bump`](Builder::bump) is on. Nothing is written, and the files are
    /// borrowed, not copied (GitHub's are 3.8 MB).
    pub fn plan<'a>(&self, generated: &'a Generated) -> Result<Plan<'a>, BuildError> {
        self.plan_files(Cow::Borrowed(&generated.files), &generated.api)
    }

    fn plan_files<'a>(
        &self,
        files: Cow<'a, Files>,
        api: &crate::ir::Api,
    ) -> Result<Plan<'a>, BuildError> {
        let mut files = files;
        let mut changes = write::plan(&self.out, &files)?;
        let report = self.report(&files, &changes);
        let mut bumped = None;
        if let Some(report) = report.as_ref().filter(|_| self.bump) {
            if let (Some(from), Bump::Patch | Bump::Minor | Bump::Major) =
                (&report.version, report.bump())
            {
                let to = report.bump().apply(from).map_err(BuildError::Version)?;
                files = Cow::Owned(crate::render(&self.config(&to)?, api)?);
                changes = write::plan(&self.out, &files)?;
                bumped = Some((from.clone(), to, report.bump()));
            }
        }
        let made_by = changes
            .iter()
            .find(|c| c.kind != ChangeKind::Added)
            .and_then(|c| made_by(&c.old));
        Ok(Plan {
            out: self.out.clone(),
            fixing_command: self.fixing()?,
            files,
            changes,
            report,
            bumped,
            made_by,
        })
    }

    /// Generates and compares with the crate folder, writing nothing.
    pub fn check(&self) -> Result<Plan<'static>, BuildError> {
        let Generated { api, files } = self.generate()?;
        self.plan_files(Cow::Owned(files), &api)
    }

    /// Generates and writes the crate folder, only the files whose bytes
    /// change (and removes the generated files no longer generated).
    pub fn write(&self) -> Result<Plan<'static>, BuildError> {
        let plan = self.check()?;
        plan.apply()?;
        Ok(plan)
    }

    /// What the changes do to the API of the crate on disk: `None` when
    /// nothing changes, there was no crate, or its source cannot be read
    /// (the report is advice; regenerating repairs such a crate).
    fn report(&self, files: &Files, changes: &[Change]) -> Option<Report> {
        if !self.compare
            || changes.is_empty()
            || changes.iter().all(|c| c.kind == ChangeKind::Added)
        {
            return None;
        }
        changes::compare(&write::previous(files, changes), files).ok()
    }
}

/// The generator version named in a generated file's first line, if any.
fn made_by(text: &str) -> Option<String> {
    let first = text.lines().next()?;
    let rest = &first[first.find(write::MARKER)? + write::MARKER.len()..];
    let word = rest.split_whitespace().next()?;
    word.starts_with(|c: char| c.is_ascii_digit())
        .then(|| word.to_owned())
}

/// What a generation would do to a crate folder, or did.
#[derive(Debug, Clone)]
pub struct Plan<'a> {
    out: PathBuf,
    fixing_command: String,
    files: Cow<'a, Files>,
    changes: Vec<Change>,
    report: Option<Report>,
    bumped: Option<(String, String, Bump)>,
    made_by: Option<String>,
}

impl Plan<'_> {
    /// Whether the folder already holds exactly these files.
    pub fn is_up_to_date(&self) -> bool {
        self.changes.is_empty()
    }

    /// The files that differ, with their old and new text.
    pub fn changes(&self) -> &[Change] {
        &self.changes
    }

    /// Every file of the crate, as generated.
    pub fn files(&self) -> &Files {
        &self.files
    }

    /// What the changes do to the crate's public API, when a crate was
    /// there before.
    pub fn report(&self) -> Option<&Report> {
        self.report.as_ref()
    }

    /// The version bump written into the manifest, `(from, to, bump)`.
    pub fn bumped(&self) -> Option<(&str, &str, Bump)> {
        self.bumped
            .as_ref()
            .map(|(from, to, bump)| (from.as_str(), to.as_str(), *bump))
    }

    /// The generator version that made the files on disk, when it is not
    /// this one.
    pub fn made_by_other_version(&self) -> Option<&str> {
        self.made_by.as_deref().filter(|v| *v != VERSION)
    }

    /// A unified diff of every change, each cut short when very long.
    pub fn diff(&self) -> String {
        self.changes
            .iter()
            .map(|change| diff::unified(&self.out, change))
            .collect()
    }

    /// What a stale check says: how many files, the command that fixes it,
    /// and the other generator version when that is why they differ.
    pub fn stale_message(&self) -> String {
        let mut message = format!(
            "{}: {} of {} files stale; run `{}` to update",
            self.out.display(),
            self.changes.len(),
            self.files.0.len(),
            self.fixing_command
        );
        if let Some(other) = self.made_by_other_version() {
            message.push_str(&format!(
                "\n  note: the files were made by openapi-codegen {other} and this is {VERSION}, \
                 which is why they differ even if the document did not change"
            ));
        }
        message
    }

    /// Carries the plan out: only the files whose bytes change are written,
    /// each through a temporary file and a rename.
    pub fn apply(&self) -> Result<(), WriteError> {
        write::apply(&self.out, &self.changes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_is_read_from_a_generated_first_line() {
        assert_eq!(
            made_by("// @generated by openapi-codegen 0.3.1 from api.yaml.\n//"),
            Some("0.3.1".to_owned())
        );
        assert_eq!(
            made_by("# @generated by openapi-codegen 1.0.0-rc.1 from a.json."),
            Some("1.0.0-rc.1".to_owned())
        );
        // Files from before versions were written name none.
        assert_eq!(
            made_by("// @generated by openapi-codegen from api.yaml."),
            None
        );
        assert_eq!(made_by("fn main() {}"), None);
    }
}
