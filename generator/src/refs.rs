//! Part of load: `$ref`s that `openapiv3`'s model cannot hold, followed in
//! the JSON value before it is deserialized.
//!
//! The model resolves nothing itself, and lowering follows references only
//! to components (`#/components/schemas/Name`, `#/components/parameters/Name`,
//! ...). Real documents also point deeper: into `#/paths/...` (a parameter or
//! response shared between operations by pointing at the first use), into a
//! schema's properties, or with the fragment percent-encoded
//! (`#/paths/~1build~1%7Bproject%7D`); and they give callbacks as `$ref`s,
//! which the model cannot read at all. Here each such reference is replaced
//! by a copy of what it points to, and a percent-encoded reference to a
//! component is decoded, so that the rest of the generator sees only the
//! references it handles. What cannot be followed is left as it is, for
//! lowering to report where it costs something.

use serde_json::Value;

/// How many rounds of copying are made: a copy may hold references of its
/// own, and a reference into itself would otherwise copy forever.
const ROUNDS: usize = 8;

/// How deep a copy may leave the document: below the 128 levels the
/// parsers accept, which no phase recurses deeper than.
const MAX_DEPTH: usize = 120;

/// The component sections whose entries, and the places inside them, a
/// reference may point to.
const SECTIONS: &[&str] = &[
    "schemas",
    "responses",
    "parameters",
    "requestBodies",
    "headers",
    "callbacks",
    "securitySchemes",
    "links",
    "examples",
    "pathItems",
];

/// Follows, in place, every reference the typed model cannot hold.
pub(crate) fn follow(document: &mut Value) {
    // Copies may copy references that copy more: the document may grow to
    // a few times its size, no more.
    let mut budget = 4 * size(document).0 + 10_000;
    for _ in 0..ROUNDS {
        let mut found = Vec::new();
        collect(document, &mut Vec::new(), &mut found);
        if found.is_empty() {
            return;
        }
        let mut changed = false;
        for (at, action) in found {
            if budget == 0 {
                return;
            }
            let or_empty = matches!(action, Action::CopyOrEmpty(_));
            let replacement = match action {
                Action::Decode(reference) => Some(Value::Object(
                    [("$ref".to_owned(), Value::String(reference))]
                        .into_iter()
                        .collect(),
                )),
                Action::Copy(target) | Action::CopyOrEmpty(target) => {
                    // A copy that would nest the document deeper than the
                    // parsers allow, or grow it past its budget, is not
                    // made; lowering reports the reference.
                    let copy = document.pointer(&target).and_then(|value| {
                        let (nodes, depth) = size(value);
                        let fits = depth + at.matches('/').count() <= MAX_DEPTH && nodes <= budget;
                        fits.then(|| {
                            budget -= nodes;
                            value.clone()
                        })
                    });
                    copy.or_else(|| or_empty.then(|| Value::Object(Default::default())))
                }
            };
            if let (Some(slot), Some(value)) = (document.pointer_mut(&at), replacement) {
                *slot = value;
                changed = true;
            }
        }
        if !changed {
            return;
        }
    }
}

/// What to do with one `$ref` object.
enum Action {
    /// Rewrite it with its fragment percent-decoded.
    Decode(String),
    /// Replace it with a copy of the value at this pointer.
    Copy(String),
    /// The same, or with an empty object when there is nothing to copy: an
    /// operation's callbacks, which the model reads only as objects (an
    /// empty one is reported like any other).
    CopyOrEmpty(String),
}

/// Finds the `$ref` objects to act on, with their pointers, in document
/// order. `path` holds the keys from the root to `value`.
fn collect(value: &Value, path: &mut Vec<String>, found: &mut Vec<(String, Action)>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get("$ref") {
                if let Some(action) = action(reference, path) {
                    found.push((pointer(path), action));
                }
                return;
            }
            for (key, child) in map {
                // Values that are data, not document: examples, defaults,
                // enum values and extensions may hold a `$ref` key that is
                // not a reference.
                let is_data = matches!(key.as_str(), "example" | "default" | "enum" | "const")
                    || key.starts_with("x-")
                    || (key == "examples" && !is_media_or_parameter(path));
                if is_data {
                    continue;
                }
                path.push(key.clone());
                collect(child, path, found);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(i.to_string());
                collect(item, path, found);
                path.pop();
            }
        }
        _ => {}
    }
}

/// Whether `examples` under `path` is a map of Example objects (in a media
/// type or a parameter) rather than a list of values.
fn is_media_or_parameter(path: &[String]) -> bool {
    // `path` is that of the object holding `examples`: a media type sits
    // under `content`, a parameter under `parameters`.
    let n = path.len();
    n >= 2 && (path[n - 2] == "content" || path[n - 2] == "parameters")
}

/// What a reference at `path` needs, if anything.
fn action(reference: &str, path: &[String]) -> Option<Action> {
    let fragment = reference.strip_prefix('#')?;
    let target = decode(fragment);
    // An operation's callbacks are read without references.
    let in_callbacks =
        path.len() == 5 && (path[0] == "paths" || path[0] == "webhooks") && path[3] == "callbacks";
    let tokens: Vec<&str> = target.split('/').skip(1).collect();
    let is_component = tokens.len() == 3 && tokens[0] == "components";
    let copyable = match tokens.as_slice() {
        ["paths", _, ..] => true,
        // A 3.1 document's shared path items: the model reads a path item
        // only as itself.
        ["components", "pathItems", _, ..] => true,
        ["components", section, _, _, ..] => SECTIONS.contains(section),
        _ => false,
    };
    if in_callbacks {
        return Some(Action::CopyOrEmpty(target));
    }
    if copyable {
        Some(Action::Copy(target))
    } else if is_component && target != fragment {
        Some(Action::Decode(format!("#{target}")))
    } else {
        None
    }
}

/// How many values a value holds (itself included), and how many levels of
/// objects and arrays it nests.
fn size(value: &Value) -> (usize, usize) {
    let (mut nodes, mut deepest) = (0, 0);
    let mut stack = vec![(value, 1)];
    while let Some((value, level)) = stack.pop() {
        nodes += 1;
        match value {
            Value::Object(map) => stack.extend(map.values().map(|c| (c, level + 1))),
            Value::Array(items) => stack.extend(items.iter().map(|c| (c, level + 1))),
            _ => continue,
        }
        deepest = deepest.max(level);
    }
    (nodes, deepest)
}

/// Decodes the `%XX` escapes of a URI fragment.
pub(crate) fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(byte) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The JSON pointer (without `#`) of a path of keys.
fn pointer(path: &[String]) -> String {
    path.iter()
        .map(|key| format!("/{}", crate::diagnostics::escape_token(key)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn references_into_paths_and_properties_are_copied() {
        let mut doc = json!({
            "paths": {
                "/a/{id}": {"get": {"parameters": [{"name": "id", "in": "path"}]}},
                "/b/{id}": {"get": {"parameters": [{"$ref": "#/paths/~1a~1%7Bid%7D/get/parameters/0"}]}}
            },
            "components": {"schemas": {
                "A": {"properties": {"x": {"type": "string"}}},
                "B": {"properties": {"y": {"$ref": "#/components/schemas/A/properties/x"}}},
                "C": {"$ref": "#/components/schemas/A%20B"}
            }}
        });
        follow(&mut doc);
        assert_eq!(
            doc.pointer("/paths/~1b~1{id}/get/parameters/0"),
            Some(&json!({"name": "id", "in": "path"}))
        );
        assert_eq!(
            doc.pointer("/components/schemas/B/properties/y"),
            Some(&json!({"type": "string"}))
        );
        assert_eq!(
            doc.pointer("/components/schemas/C"),
            Some(&json!({"$ref": "#/components/schemas/A B"}))
        );
    }

    #[test]
    fn callbacks_given_as_references_are_read() {
        let mut doc = json!({
            "paths": {"/a": {"post": {"callbacks": {
                "found": {"$ref": "#/components/callbacks/Hook"},
                "lost": {"$ref": "#/components/callbacks/Nope"}
            }}}},
            "components": {"callbacks": {"Hook": {"{$request.body#/url}": {"post": {}}}}}
        });
        follow(&mut doc);
        assert_eq!(
            doc.pointer("/paths/~1a/post/callbacks/found"),
            Some(&json!({"{$request.body#/url}": {"post": {}}}))
        );
        assert_eq!(
            doc.pointer("/paths/~1a/post/callbacks/lost"),
            Some(&json!({}))
        );
    }

    #[test]
    fn data_and_references_into_themselves_are_left_alone() {
        let mut doc = json!({
            "components": {"schemas": {
                "A": {"example": {"$ref": "https://example.com/x"}, "x-topics": {"$ref": "./a.md"}},
                "L": {"properties": {"next": {"$ref": "#/components/schemas/L/properties/next"}}}
            }}
        });
        let before = doc.clone();
        follow(&mut doc);
        assert_eq!(
            doc.pointer("/components/schemas/A"),
            before.pointer("/components/schemas/A")
        );
        // A reference to itself copies itself: nothing changes, and it ends.
        assert_eq!(doc, before);
    }
}
