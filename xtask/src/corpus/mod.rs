//! `cargo xtask corpus`: generate a crate from every document of a corpus
//! of real-world OpenAPI documents, `cargo check` and `cargo clippy` each,
//! and print a table of the results.
//!
//! The corpus is `corpus/` in the workspace: one folder per source
//! (`progenitor/`, `apis/`, `zoo/`; `corpus/README.md` says where each
//! document came from). Each
//! document goes through the same code as `cargo xtask codegen --spec FILE
//! --out DIR --name NAME` ([`CodegenArgs::generate`](crate::CodegenArgs::generate)
//! and [`CodegenArgs::write`](crate::CodegenArgs::write)), into
//! `target/corpus/crates/NAME/`.
//! `target/corpus/Cargo.toml` is a workspace of its own whose members are the
//! crates generated in this run. Its `Cargo.lock` starts as a copy of the
//! workspace's and is topped up from it before every run, so dependency
//! versions match the main workspace and a warm registry cache needs no
//! network; all crates share one target directory, `target/corpus/target`.
//!
//! Here: the arguments, the documents and their crate names, and a row of
//! results; `workspace.rs` generates into the corpus workspace and runs
//! cargo there; `report.rs` prints the table and what went wrong.

pub(crate) mod calls;
mod report;
mod undocumented;
mod workspace;

use crate::{Failure, exit, usage, workspace_root};
use report::report;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;
use workspace::Corpus;

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
    /// `--skip-calls`: do not run the crates' call tests against Prism.
    skip_calls: bool,
    /// `cargo xtask conformance`: only the wire tests (their build checks
    /// the crate too), no clippy.
    wire_only: bool,
    /// `--undocumented`: each document with its descriptions, summaries and
    /// titles emptied, through clippy and rustdoc with warnings denied, in
    /// `target/corpus-undocumented` (no wire tests, no calls).
    pub(super) undocumented: bool,
}

impl CorpusArgs {
    pub fn parse(args: &[String]) -> Result<CorpusArgs, String> {
        let mut parsed = CorpusArgs::default();
        let mut iter = args.iter();
        while let Some(arg) = iter.next() {
            match arg.as_str() {
                "--skip-clippy" => parsed.skip_clippy = true,
                "--skip-wire" => parsed.skip_wire = true,
                "--skip-calls" => parsed.skip_calls = true,
                "--undocumented" => {
                    parsed.undocumented = true;
                    parsed.skip_wire = true;
                    parsed.skip_calls = true;
                }
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
        if parsed.skip_clippy || parsed.skip_wire || parsed.skip_calls || parsed.undocumented {
            return Err("conformance runs the wire tests only; it takes `--only`".into());
        }
        parsed.wire_only = true;
        parsed.skip_calls = true;
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
        let mut selected = match select(&documents, &self.only) {
            Ok(selected) => selected,
            Err(message) => return usage(&message),
        };
        if self.undocumented && self.skip_clippy {
            return usage("`--undocumented` runs clippy and rustdoc; it cannot skip clippy");
        }

        let corpus = if self.undocumented {
            let dir = root.join("target/corpus-undocumented");
            if let Err(message) = undocumented::write_copies(&mut selected, &dir.join("documents"))
            {
                eprintln!("error: {message}");
                return ExitCode::from(exit::INTERNAL);
            }
            Corpus::at(&root, dir)
        } else {
            Corpus::new(&root)
        };
        let prism = if self.skip_calls {
            None
        } else {
            match calls::Prism::install(&root) {
                Ok(prism) => Some(prism),
                Err(message) => {
                    eprintln!("error: {message}");
                    return ExitCode::from(exit::INTERNAL);
                }
            }
        };
        match corpus.run(&selected, self, prism.as_ref()) {
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
    CallsFailed,
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
            Outcome::CallsFailed => f.write_str("calls failed"),
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
    /// The call tests against Prism, in each mode that ran.
    calls: Vec<(calls::Mode, calls::CallRun)>,
    /// The document's operations the crate leaves out (the skip report
    /// says why): not called.
    left_out: usize,
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
        } else if self
            .calls
            .iter()
            .any(|(_, run)| run.failure.is_some() || !run.faults.is_empty())
        {
            Outcome::CallsFailed
        } else {
            Outcome::Clean
        }
    }

    fn generated(&self) -> bool {
        self.counts.is_some() && self.generate_failure.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::report::{error_kinds, excerpt};
    use super::workspace::{first_error, top_up_lock};
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
            calls: Vec::new(),
            left_out: 0,
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

        let mut clean = clean;
        let run = |decoded: usize| calls::CallRun {
            total: 2,
            called: 2,
            accepted: 2,
            decoded,
            ..calls::CallRun::default()
        };
        clean.calls = vec![
            (calls::Mode::Static, run(2)),
            (calls::Mode::Dynamic, run(2)),
        ];
        let mut rejected = row("e.json");
        let mut fault = run(1);
        fault.faults = vec![(
            "get_pet".into(),
            "rejected (422): request.query.tags: must be array".into(),
        )];
        fault.apart = vec![(
            "list_pets".into(),
            "Prism's answer breaks its own schema".into(),
        )];
        rejected.calls = vec![(calls::Mode::Static, run(2)), (calls::Mode::Dynamic, fault)];

        let args = CorpusArgs::default();
        let text = report(&[clean, invalid, lint, wire, rejected], &args);
        let expected = "\
| document | types | operations | generate | check     | clippy | wire                      | calls                                  | result                   |
| -------- | ----- | ---------- | -------- | --------- | ------ | ------------------------- | -------------------------------------- | ------------------------ |
| a.json   | 3     | 2          | 12 ms    | in clippy | 2.0 s  | 10/10 · ex 2/2 · 0 bad ex | static 2/2/2 of 2 · dynamic 2/2/2 of 2 | clean                    |
| b.yaml   | —     | —          | —        | —         | —      | —                         | —                                      | generate failed (exit 2) |
| c.json   | 3     | 2          | 12 ms    | in clippy | 0.9 s  | —                         | —                                      | clippy failed            |
| d.json   | 3     | 2          | 12 ms    | in clippy | 2.0 s  | 7/9 · ex 3/5 · 1 bad ex   | —                                      | wire failed              |
| e.json   | 3     | 2          | 12 ms    | in clippy | 2.0 s  | 10/10 · ex 2/2 · 0 bad ex | static 2/2/2 of 2 · dynamic 2/2/1 of 2 | calls failed             |

4/5 generated, 1/5 clean
wire: 27 of 29 cases pass; examples 7 passed of 9 paired; 1 examples break their own schema
calls (static): 4 operations (0 left out of the crates), 4 called, 4 accepted by Prism, 4 answers decoded; 0 faults of the crates' (0 known), 0 listed apart, 0 runs that could not be made
calls (dynamic): 4 operations (0 left out of the crates), 4 called, 4 accepted by Prism, 3 answers decoded; 1 faults of the crates' (0 known), 1 listed apart, 0 runs that could not be made

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

## e.json (calls failed)

calls (dynamic): 1 faults of the crate's, not in corpus/calls.known:
  get_pet: rejected (422): request.query.tags: must be array
calls (dynamic): 1 listed apart:
  list_pets: Prism's answer breaks its own schema
";
        assert_eq!(text, expected);
    }
}
