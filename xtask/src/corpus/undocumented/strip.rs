//! What `--undocumented` takes out of a document. `tests/tests/undocumented.rs`
//! includes this file, so the test and the corpus strip the same things.

use serde_json::Value;

/// Empties every `description`, `summary` and `title` whose value is text
/// (a property of that name is a schema, and stays), keeping `info.title`:
/// it is required, and names the crate.
pub fn strip(document: &mut Value) {
    let title = document
        .get("info")
        .and_then(|info| info.get("title"))
        .cloned();
    strip_value(document);
    if let (Some(title), Some(info)) = (title, document.get_mut("info")) {
        info["title"] = title;
    }
}

fn strip_value(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                if matches!(key.as_str(), "description" | "summary" | "title") && v.is_string() {
                    // Emptied rather than taken out: a response must have a
                    // `description`, and an empty one must make no empty doc
                    // either.
                    *v = Value::String(String::new());
                } else {
                    strip_value(v);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(strip_value),
        _ => {}
    }
}
