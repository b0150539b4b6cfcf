//! Knowing, without generating, that a crate is up to date.
//!
//! A no-op `cargo xtask codegen` over the workspace regenerates some twenty
//! crates only to find every byte the same. After each generation that
//! leaves a crate up to date, a stamp in `target/codegen-stamps` records
//! what it was made from (this executable, the spec, the settings file and
//! the configuration) and what it made (every file the generator owns in
//! the output directory, with a hash of its bytes) and the warnings it
//! printed. When all of that is still so, the crate is up to date without
//! generating it, and the warnings are printed again.
//!
//! Anything else, a rebuilt generator, an edited spec or a file changed or
//! removed or added by hand in the output, means a generation as before.
//! A fresh clone (CI) has no stamps, so `--check` there always generates.

use openapi_codegen::{Config, Files, write};
use std::collections::BTreeMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

/// Where the stamps are, relative to the workspace root.
const DIR: &str = "target/codegen-stamps";

/// What one generation was made from and made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    /// The hash of everything the output depends on.
    inputs: u64,
    /// Every file the generator owns in the output, and its bytes' hash.
    files: BTreeMap<String, u64>,
    /// The warnings the generation printed.
    warnings: String,
}

fn hash(bytes: &[u8]) -> u64 {
    let mut hasher = DefaultHasher::new();
    bytes.hash(&mut hasher);
    hasher.finish()
}

/// The hash of what a generation of `spec` into `out` depends on: this
/// executable (its size and modification time), the spec's and the
/// settings' bytes, the configuration. `None` when one cannot be read: then
/// nothing is skipped.
pub fn inputs(spec: &Path, settings: Option<&Path>, config: &Config) -> Option<u64> {
    let exe = std::fs::metadata(std::env::current_exe().ok()?).ok()?;
    let mut hasher = DefaultHasher::new();
    exe.len().hash(&mut hasher);
    exe.modified().ok()?.hash(&mut hasher);
    std::fs::read(spec).ok()?.hash(&mut hasher);
    match settings {
        Some(path) => Some(std::fs::read(path).ok()?).hash(&mut hasher),
        None => None::<Vec<u8>>.hash(&mut hasher),
    }
    format!("{config:?}").hash(&mut hasher);
    Some(hasher.finish())
}

/// The stamp's file for the output directory `out`.
fn path_for(root: &Path, out: &Path) -> PathBuf {
    let name = format!("{:016x}", hash(out.as_os_str().as_encoded_bytes()));
    root.join(DIR).join(name)
}

impl Stamp {
    /// The stamp of a generation from `inputs` that made `files` and
    /// printed `warnings`.
    pub fn new(inputs: u64, files: &Files, warnings: &str) -> Stamp {
        Stamp {
            inputs,
            files: files
                .0
                .iter()
                .map(|(path, text)| (path.clone(), hash(text.as_bytes())))
                .collect(),
            warnings: warnings.to_owned(),
        }
    }

    /// Records the stamp for `out`. A stamp that cannot be written only
    /// costs the next run its shortcut.
    pub fn save(&self, root: &Path, out: &Path) {
        let mut text = format!("{:016x}\n", self.inputs);
        for (path, hash) in &self.files {
            text.push_str(&format!("{hash:016x} {path}\n"));
        }
        text.push('\n');
        text.push_str(&self.warnings);
        let path = path_for(root, out);
        let _ = std::fs::create_dir_all(root.join(DIR));
        let _ = std::fs::write(path, text);
    }

    /// The stamp for `out`, if there is one that reads.
    fn load(root: &Path, out: &Path) -> Option<Stamp> {
        let text = std::fs::read_to_string(path_for(root, out)).ok()?;
        let (head, warnings) = text.split_once("\n\n")?;
        let mut lines = head.lines();
        let inputs = u64::from_str_radix(lines.next()?, 16).ok()?;
        let mut files = BTreeMap::new();
        for line in lines {
            let (hash, path) = line.split_once(' ')?;
            files.insert(path.to_owned(), u64::from_str_radix(hash, 16).ok()?);
        }
        Some(Stamp {
            inputs,
            files,
            warnings: warnings.to_owned(),
        })
    }

    /// The warnings to print again when `out` is known to be up to date:
    /// its stamp has these `inputs`, and the files the generator owns in it
    /// are those it recorded, byte for byte.
    pub fn up_to_date(root: &Path, out: &Path, inputs: u64) -> Option<(usize, String)> {
        let stamp = Stamp::load(root, out)?;
        if stamp.inputs != inputs {
            return None;
        }
        let owned = write::owned_files(out).ok()?;
        // `Cargo.toml` and the files under `src` and `tests` that carry the
        // marker: every one of them, and no other, was made then.
        let generated: Vec<&String> = stamp.files.keys().collect();
        if owned.iter().collect::<Vec<_>>() != generated {
            return None;
        }
        for (path, expected) in &stamp.files {
            if hash(&std::fs::read(out.join(path)).ok()?) != *expected {
                return None;
            }
        }
        Some((stamp.files.len(), stamp.warnings))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stamp_reads_back_what_it_wrote() {
        let root = std::env::temp_dir().join(format!("stamp-test-{}", std::process::id()));
        let out = root.join("crate");
        std::fs::create_dir_all(out.join("src")).unwrap();
        let marker = write::MARKER;
        let files = Files(BTreeMap::from([
            ("Cargo.toml".to_owned(), format!("# {marker}\n[package]\n")),
            (
                "src/lib.rs".to_owned(),
                format!("// {marker}\npub fn f() {{}}\n"),
            ),
        ]));
        write::write(&out, &files).unwrap();
        let warnings = "warning: one thing\n  - at spec.yaml:1:1\n";
        Stamp::new(7, &files, warnings).save(&root, &out);

        assert_eq!(
            Stamp::up_to_date(&root, &out, 7),
            Some((2, warnings.to_owned()))
        );
        // Other inputs: generate.
        assert_eq!(Stamp::up_to_date(&root, &out, 8), None);
        // A file edited by hand: generate.
        std::fs::write(
            out.join("src/lib.rs"),
            format!("// {marker}\npub fn g() {{}}\n"),
        )
        .unwrap();
        assert_eq!(Stamp::up_to_date(&root, &out, 7), None);
        std::fs::write(out.join("src/lib.rs"), &files.0["src/lib.rs"]).unwrap();
        assert!(Stamp::up_to_date(&root, &out, 7).is_some());
        // A generated file the stamp does not know: generate (it would be removed).
        std::fs::write(out.join("src/old.rs"), format!("// {marker}\n")).unwrap();
        assert_eq!(Stamp::up_to_date(&root, &out, 7), None);
        std::fs::remove_file(out.join("src/old.rs")).unwrap();
        // A file removed: generate.
        std::fs::remove_file(out.join("src/lib.rs")).unwrap();
        assert_eq!(Stamp::up_to_date(&root, &out, 7), None);
        let _ = std::fs::remove_dir_all(&root);
    }
}
