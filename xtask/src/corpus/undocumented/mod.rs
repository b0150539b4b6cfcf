//! `cargo xtask corpus --undocumented`: each document with every
//! `description`, `summary` and `title` emptied ([`strip()`]), to show that
//! its crate passes clippy and rustdoc with warnings denied (`missing_docs`
//! among them) whatever the document lacks.

mod strip;

use strip::strip;

/// Writes each document's stripped copy (its settings beside it)
/// under `dir`, and points the document at it.
pub(super) fn write_copies(
    documents: &mut [super::Document],
    dir: &std::path::Path,
) -> Result<(), String> {
    for doc in documents {
        let text = std::fs::read_to_string(&doc.path)
            .map_err(|e| format!("cannot read {}: {e}", doc.path.display()))?;
        // As the generator reads it; a document it cannot read is copied
        // as it is, and fails to generate in the table like the original.
        let Ok(mut value) = openapi_codegen::load::read_value(&doc.relative, &text) else {
            continue;
        };
        strip(&mut value);
        // The same name and syntax: `param-overrides.json` and `.yaml` stay two.
        let copy = dir.join(&doc.relative);
        let folder = copy.parent().expect("a document is in a folder");
        std::fs::create_dir_all(folder)
            .map_err(|e| format!("cannot create {}: {e}", folder.display()))?;
        let text = if doc.file.ends_with(".json") {
            serde_json::to_string_pretty(&value).map_err(|e| e.to_string())?
        } else {
            serde_yaml::to_string(&value).map_err(|e| e.to_string())?
        };
        std::fs::write(&copy, text).map_err(|e| format!("cannot write {}: {e}", copy.display()))?;
        let settings = doc.path.with_extension("codegen.toml");
        if settings.exists() {
            let beside = copy.with_extension("codegen.toml");
            std::fs::copy(&settings, &beside)
                .map_err(|e| format!("cannot copy {}: {e}", settings.display()))?;
        }
        doc.path = copy;
    }
    Ok(())
}
