//! Phase 1: text → `openapiv3::OpenAPI`.
//!
//! The text is first read as a generic JSON value (YAML is read into the same
//! model), so the version can be checked before the typed deserialization: a
//! Swagger 2.0 or OpenAPI 3.1 file gets a clear message rather than a serde
//! error about a missing field. Then the value's keys are sorted (the output
//! must not depend on their order), the references the typed model cannot
//! hold are followed (`refs`), integer bounds beyond 64 bits are brought
//! into range, and its shape is checked by `validate`,
//! which reports every fault at its JSON pointer (a `$ref` to nothing is not
//! one here: lowering reports it where it costs something). Only a document
//! without faults is deserialized into `openapiv3`'s types. Syntax errors carry the
//! parser's line and column; every other diagnostic gets its position from
//! its pointer, in [`crate::lower_text`].

use crate::diagnostics::{Diagnostic, Problem, escape_token};
use openapiv3::OpenAPI;

mod unread;
mod v31;
mod yaml;

pub(crate) use v31::{EXAMPLES, MUTUAL_TLS, PREFIX_ITEMS, WEBHOOKS, prefix_items};

/// The versions of OpenAPI read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Version {
    V3_0,
    /// Read into the 3.0 model by [`v31::down_level`].
    V3_1,
}

/// Which syntax the text is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Syntax {
    Json,
    Yaml,
}

/// Parses an OpenAPI 3.0 document from YAML or JSON text. `file` only names
/// the input in diagnostics. A syntax error stops at once; otherwise every
/// problem with the document's shape is reported (without positions: see
/// [`crate::lower_text`], which adds them).
pub fn load(file: &str, text: &str) -> Result<OpenAPI, Vec<Diagnostic>> {
    load_keeping(file, text, Keep::All)
}

/// How much of a document [`load_keeping`] reads into the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// All of it, as `openapiv3` reads it.
    All,
    /// What lowering reads when the crate has no wire tests: no examples,
    /// and of the extensions only those lowering reads. The model is the
    /// smaller for it (GitHub's by a fifth), and the crate the same.
    Lowered,
}

impl Keep {
    /// What generating with `config` needs.
    pub fn for_config(config: &crate::Config) -> Keep {
        // The call tests prefer a parameter's own example to a made-up value.
        if config.example_tests || config.call_tests {
            Keep::All
        } else {
            Keep::Lowered
        }
    }
}

/// [`load`], keeping what `keep` says. The diagnostics are the same: the
/// document is validated whole before anything is left out.
pub fn load_keeping(file: &str, text: &str, keep: Keep) -> Result<OpenAPI, Vec<Diagnostic>> {
    let value = validated(file, text, keep)?;
    typed(file, text, value).map_err(|d| vec![d])
}

/// A document read for lowering: the model of all of it but its path
/// items, and the path items as read, for lowering to read into the model
/// one at a time.
///
/// A path item's operations are most of a document (GitHub's are 16 of
/// the 25 MB its model takes), and lowering needs one path item at a time:
/// typed all at once, they would all be alive while the IR is built.
#[derive(Debug)]
pub struct Loaded {
    /// The document, with no path items.
    pub api: OpenAPI,
    /// Each path item (`paths` entries whose key starts with `/`), by its
    /// path, in the order of the document, validated but not yet typed.
    pub paths: Vec<(String, serde_json::Value)>,
}

/// [`load_keeping`], with the path items left as read: see [`Loaded`]. The
/// diagnostics are the same.
pub fn load_for_lowering(file: &str, text: &str, keep: Keep) -> Result<Loaded, Vec<Diagnostic>> {
    let mut value = validated(file, text, keep)?;
    let paths = match value.get_mut("paths") {
        Some(serde_json::Value::Object(paths)) => {
            // The model's own rule: only keys that start with `/` are paths;
            // the rest (extensions) stay for the typed read.
            let mut items = Vec::with_capacity(paths.len());
            for (key, item) in std::mem::take(paths) {
                if key.starts_with('/') {
                    items.push((key, item));
                } else {
                    paths.insert(key, item);
                }
            }
            items
        }
        _ => Vec::new(),
    };
    let api = typed(file, text, value).map_err(|d| vec![d])?;
    Ok(Loaded { api, paths })
}

/// The document as a JSON value, with everything done that load does
/// before the typed read, and what `keep` leaves out gone; or every fault
/// of its shape.
fn validated(file: &str, text: &str, keep: Keep) -> Result<serde_json::Value, Vec<Diagnostic>> {
    let mut value = load_one(file, text).map_err(|d| vec![d])?;
    drop_empty_operation_ids(&mut value);
    // A reference that cannot be followed costs what needs it: lowering
    // reports it there, and generates the rest.
    let problems: Vec<_> = crate::validate::validate(&value)
        .into_iter()
        .filter(|(_, problem)| {
            !matches!(problem, Problem::DanglingRef(_) | Problem::ExternalRef(_))
        })
        .collect();
    // Only a valid document is read into the model: `openapiv3` reads
    // nested schemas through serde's buffering of untagged and flattened
    // enums, whose cost grows with the depth that validation bounds.
    if problems.is_empty() {
        if keep == Keep::Lowered {
            unread::drop_unread(&mut value);
        }
        Ok(value)
    } else {
        Err(problems
            .into_iter()
            .map(|(pointer, problem)| Diagnostic {
                file: file.to_owned(),
                pointer,
                line_col: None,
                problem,
            })
            .collect())
    }
}

/// Takes out every `operationId` that is empty (or only spaces): an empty
/// id is no id, and the operation is named from its method and path like
/// any operation without one (an empty id named a method `value`).
fn drop_empty_operation_ids(value: &mut serde_json::Value) {
    const METHODS: [&str; 8] = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    for section in ["paths", "webhooks", "x-webhooks"] {
        let Some(serde_json::Value::Object(items)) = value.get_mut(section) else {
            continue;
        };
        for item in items.values_mut() {
            for method in METHODS {
                if let Some(serde_json::Value::Object(op)) = item.get_mut(method)
                    && op
                        .get("operationId")
                        .and_then(serde_json::Value::as_str)
                        .is_some_and(|id| id.trim().is_empty())
                {
                    op.remove("operationId");
                }
            }
        }
    }
}

/// A document's text (JSON or YAML, a byte-order mark allowed) as a JSON
/// value, as the generator reads it: a YAML integer beyond 64 bits is the
/// nearest number rather than an error. Nothing is checked but the syntax;
/// an error says where (line and column).
pub fn read_value(file: &str, text: &str) -> Result<serde_json::Value, Diagnostic> {
    // A byte-order mark says nothing about the document; neither parser
    // wants it, and it would hide the `{` that marks JSON.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let error = |problem, pointer: String, line_col| Diagnostic {
        file: file.to_owned(),
        pointer,
        line_col,
        problem,
    };
    let syntax = if text.trim_start().starts_with('{') {
        Syntax::Json
    } else {
        Syntax::Yaml
    };
    if text.trim().is_empty() {
        return Err(error(Problem::Empty, String::new(), None));
    }
    let value: serde_json::Value = match syntax {
        Syntax::Json => serde_json::from_str(text).map_err(|e| {
            // At the end of the text serde_json says column 0; columns count from 1.
            let line_col = Some((e.line(), e.column().max(1)));
            error(
                Problem::Syntax(strip_location(&e.to_string())),
                String::new(),
                line_col,
            )
        })?,
        Syntax::Yaml => serde_yaml::from_str(text)
            .map(|v: yaml::YamlValue| v.0)
            .map_err(|e| {
                let line_col = e.location().map(|l| (l.line(), l.column()));
                error(
                    Problem::Syntax(strip_location(&e.to_string())),
                    String::new(),
                    line_col,
                )
            })?,
    };
    if value.is_null() {
        return Err(error(Problem::Empty, String::new(), None));
    }
    Ok(value)
}

/// The text as a JSON value, checked to be OpenAPI 3.0, with its keys sorted
/// and `const` rewritten.
fn load_one(file: &str, text: &str) -> Result<serde_json::Value, Diagnostic> {
    let value = read_value(file, text)?;
    let error = |problem, pointer: String, line_col| Diagnostic {
        file: file.to_owned(),
        pointer,
        line_col,
        problem,
    };
    let version =
        check_version(&value).map_err(|(problem, pointer)| error(problem, pointer, None))?;
    let mut value = value;
    if version == Version::V3_1 {
        v31::down_level(&mut value);
    }
    const_to_enum(&mut value, "");
    sort_keys(&mut value);
    crate::refs::follow(&mut value);
    clamp_integer_bounds(&mut value);
    Ok(value)
}

/// The typed pass, over a document the validator found no fault in; should it
/// fail all the same, its error is reported as `openapiv3` gives it.
///
/// The value is consumed as it is read: its strings move into the model
/// rather than being copied, and each object's entries are freed as they
/// are read, so the document is never held twice (for the largest
/// documents, tens of megabytes).
fn typed(file: &str, text: &str, mut value: serde_json::Value) -> Result<OpenAPI, Diagnostic> {
    // The model has no field for 3.1's webhooks: lowering reads them from
    // an extension.
    let webhooks = value
        .as_object_mut()
        .and_then(|map| map.shift_remove("webhooks"));
    match <OpenAPI as serde::Deserialize>::deserialize(value) {
        Ok(mut api) => {
            if let Some(webhooks) = webhooks {
                api.extensions.insert(v31::WEBHOOKS.to_owned(), webhooks);
            }
            Ok(api)
        }
        // Reading with the path tracked costs a third more, and needs the
        // value the first reading consumed: it is read again, only to say
        // where a document that does not read goes wrong.
        Err(plain) => {
            let value = load_one(file, text)?;
            let (pointer, message) = match serde_path_to_error::deserialize::<_, OpenAPI>(&value) {
                Err(e) => refine(&value, pointer_of(e.path()), e.inner().to_string()),
                // Cannot happen (the same value, read the same way), but if
                // it did, the first reading's message is still the truth.
                Ok(_) => (String::new(), plain.to_string()),
            };
            Err(Diagnostic {
                file: file.to_owned(),
                pointer,
                line_col: None,
                problem: Problem::Invalid(strip_location(&message)),
            })
        }
    }
}

/// Rewrites `const: v` as `enum: [v]`. OpenAPI 3.0 has no `const`, but
/// real documents use it (it is JSON Schema's, and 3.1's) to pin a tag, and
/// `openapiv3` would drop it without a word. Only schemas are touched: maps
/// of names to schemas (`properties`, `schemas`) and example values are not.
fn const_to_enum(value: &mut serde_json::Value, key: &str) {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            let is_schema = !matches!(key, "properties" | "schemas" | "mapping");
            if is_schema && !map.contains_key("enum") {
                if let Some(constant) = map.get("const").filter(|c| !c.is_object() && !c.is_array())
                {
                    let constant = constant.clone();
                    map.insert("enum".to_owned(), Value::Array(vec![constant]));
                }
            }
            for (k, v) in map.iter_mut() {
                if !matches!(
                    k.as_str(),
                    "example" | "examples" | "default" | "enum" | EXAMPLES
                ) {
                    const_to_enum(v, if is_schema { k } else { "" });
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| const_to_enum(v, "")),
        _ => {}
    }
}

/// Brings the bounds of integer schemas (`minimum`, `maximum`,
/// `multipleOf`) that lie beyond a 64-bit integer, which `openapiv3` cannot
/// hold (a `maximum` of 2^64 for an unsigned 64-bit value is common), to the
/// nearest one it can; a `multipleOf` it cannot hold is dropped. The
/// generator enforces none of them, so nothing is lost.
fn clamp_integer_bounds(value: &mut serde_json::Value) {
    use serde_json::Value;
    let mut stack = vec![value];
    while let Some(value) = stack.pop() {
        match value {
            Value::Object(map) => {
                if map.get("type").and_then(Value::as_str) == Some("integer") {
                    for key in ["minimum", "maximum", "multipleOf"] {
                        let Some(Value::Number(n)) = map.get(key) else {
                            continue;
                        };
                        if n.as_i64().is_some() {
                            continue;
                        }
                        let clamped = match n.as_f64() {
                            _ if key == "multipleOf" => None,
                            Some(f) if f.is_finite() && f.fract() == 0.0 => {
                                Some(if f < 0.0 { i64::MIN } else { i64::MAX })
                            }
                            _ if n.as_u64().is_some() => Some(i64::MAX),
                            _ => None,
                        };
                        match clamped {
                            Some(bound) => {
                                map.insert(key.to_owned(), Value::from(bound));
                            }
                            None => {
                                map.remove(key);
                            }
                        }
                    }
                }
                stack.extend(
                    map.iter_mut()
                        .filter(|(k, _)| !is_data_key(k))
                        .map(|(_, v)| v),
                );
            }
            Value::Array(items) => stack.extend(items.iter_mut()),
            _ => {}
        }
    }
}

/// Keys whose values are data, not document.
fn is_data_key(key: &str) -> bool {
    matches!(key, "example" | "examples" | "default" | "enum") || key.starts_with("x-")
}

/// Puts the keys of every object in the document in sorted order. The order
/// of keys in a JSON object carries no meaning, so the output must not depend
/// on it: with the keys sorted here, everything downstream (the order of
/// types, fields, operations, and which of two colliding names is suffixed)
/// is the same for the same document however its keys are arranged.
fn sort_keys(value: &mut serde_json::Value) {
    let mut stack = vec![value];
    while let Some(value) = stack.pop() {
        match value {
            serde_json::Value::Object(map) => {
                map.sort_keys();
                stack.extend(map.values_mut());
            }
            serde_json::Value::Array(items) => stack.extend(items.iter_mut()),
            _ => {}
        }
    }
}

/// Accepts `openapi: 3.0.x` and `3.1.x`; explains anything else.
fn check_version(value: &serde_json::Value) -> Result<Version, (Problem, String)> {
    let Some(object) = value.as_object() else {
        return Err((
            Problem::Invalid(
                "the document must be a mapping with an `openapi` key, such as `openapi: 3.0.3`"
                    .into(),
            ),
            "#".into(),
        ));
    };
    if let Some(swagger) = object.get("swagger") {
        let found = swagger
            .as_str()
            .map_or_else(|| swagger.to_string(), str::to_owned);
        return Err((
            Problem::UnsupportedVersion(format!(
                "Swagger {found} documents are not supported; convert the document to OpenAPI 3.0 \
                 (for example with swagger2openapi)"
            )),
            "#/swagger".into(),
        ));
    }
    match object.get("openapi") {
        None => Err((
            Problem::Invalid("missing `openapi` key: expected `openapi: 3.0.x` or `3.1.x`".into()),
            "#".into(),
        )),
        Some(serde_json::Value::String(v)) if v.starts_with("3.0.") || v == "3.0" => {
            Ok(Version::V3_0)
        }
        Some(serde_json::Value::String(v)) if v.starts_with("3.1.") || v == "3.1" => {
            Ok(Version::V3_1)
        }
        Some(serde_json::Value::String(v)) if v.starts_with("3.2.") || v == "3.2" => Err((
            Problem::UnsupportedVersion(format!(
                "OpenAPI {v} is not supported yet; this generator reads OpenAPI 3.0.x and 3.1.x. \
                 A 3.2 document that uses nothing new (no `query` method, `additionalOperations`, \
                 `itemSchema` or `$self`) reads as 3.1: write `openapi: 3.1.1`"
            )),
            "#/openapi".into(),
        )),
        Some(serde_json::Value::String(v)) => Err((
            Problem::UnsupportedVersion(format!(
                "OpenAPI {v} is not supported; this generator reads OpenAPI 3.0.x and 3.1.x"
            )),
            "#/openapi".into(),
        )),
        Some(other) => Err((
            Problem::Invalid(format!(
                "`openapi` must be a string such as \"3.0.3\" or \"3.1.0\", found {other}"
            )),
            "#/openapi".into(),
        )),
    }
}

/// `openapiv3` reads `$ref`-or-object values through untagged enums, which
/// buffer their input, so serde's path stops at the map that holds them
/// (`#/paths`). Reading each entry of such a map as the object it must be
/// finds the entry, and the place inside it, that is wrong.
fn refine(document: &serde_json::Value, pointer: String, message: String) -> (String, String) {
    fn first_error<T: serde::de::DeserializeOwned>(
        map: &serde_json::Value,
        base: &str,
    ) -> Option<(String, String)> {
        for (key, entry) in map.as_object()? {
            if entry.get("$ref").is_some() {
                continue;
            }
            if let Err(e) = serde_path_to_error::deserialize::<_, T>(entry) {
                let inner = pointer_of(e.path());
                let inner = inner.trim_start_matches('#');
                return Some((
                    format!("{base}/{}{inner}", escape_token(key)),
                    e.inner().to_string(),
                ));
            }
        }
        None
    }
    let Some(map) = document.pointer(pointer.trim_start_matches('#')) else {
        return (pointer, message);
    };
    let found = match pointer.as_str() {
        "#/paths" => first_error::<openapiv3::PathItem>(map, &pointer),
        "#/components/schemas" => first_error::<openapiv3::Schema>(map, &pointer),
        "#/components/responses" => first_error::<openapiv3::Response>(map, &pointer),
        "#/components/parameters" => first_error::<openapiv3::Parameter>(map, &pointer),
        "#/components/requestBodies" => first_error::<openapiv3::RequestBody>(map, &pointer),
        "#/components/securitySchemes" => first_error::<openapiv3::SecurityScheme>(map, &pointer),
        _ => None,
    };
    found.unwrap_or((pointer, message))
}

fn pointer_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::from("#");
    for segment in path.iter() {
        pointer.push('/');
        match segment {
            Segment::Seq { index } => pointer.push_str(&index.to_string()),
            Segment::Map { key } => pointer.push_str(&escape_token(key)),
            Segment::Enum { variant } => pointer.push_str(&escape_token(variant)),
            Segment::Unknown => pointer.push('?'),
        }
    }
    pointer
}

/// serde's messages end in "at line X column Y"; the diagnostic says that
/// itself, so drop it from the message. The parsers' word for a document
/// nested too deep is made plain.
fn strip_location(message: &str) -> String {
    // " at line 9 column 6", wherever it is in the message.
    let mut message = message.to_owned();
    if let Some(start) = message.find(" at line ") {
        let rest = &message[start + " at line ".len()..];
        let number = |s: &str| s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
        let mut end = start + " at line ".len() + number(rest);
        if let Some(column) = message[end..].strip_prefix(" column ") {
            end += " column ".len() + number(column);
        }
        message.replace_range(start..end, "");
    }
    let message = message.as_str();
    if message.starts_with("recursion limit exceeded") {
        return "the document nests deeper than 128 levels here; no OpenAPI document needs \
                that, and reading it further could exhaust the stack"
            .to_owned();
    }
    message.to_owned()
}
