//! What lowering never reads, left out of the model.
//!
//! The typed model holds a document at several times its size (GitHub's
//! 3.7 MB become 25 MB of `openapiv3` structs): the components' model is
//! alive while the IR is built, and each path item's while its operations
//! are lowered. Examples are a
//! third of many real documents (GitHub: 0.9 of its 2.5 MB, minified), and
//! lowering reads them only for the wire tests; most extensions
//! (`x-github`, `x-stainless-*`, ...) it never reads at all. [`drop_unread`]
//! removes both from the validated JSON value, before the typed read.
//!
//! The walk knows the shape of an OpenAPI document only as far as it must
//! not mistake a *name* for a keyword: a property, a schema, a response
//! header or a security scheme may be called `example` or `x-api-key`.
//! Objects whose keys are names are walked into but never pruned, and data
//! (`default`, `enum`, the extensions kept) is not walked at all.

use serde_json::Value;

/// Every extension lowering reads (`x-rust-name` on schemas and
/// operations, dropshot's, Redocly's webhooks and load's own for 3.1). An
/// extension read anywhere in lowering must be here, or load leaves it
/// out of the model: `extensions_read_in_lowering_are_kept` checks it.
pub(crate) const READ_EXTENSIONS: [&str; 6] = [
    "x-rust-name",
    "x-dropshot-pagination",
    "x-dropshot-websocket",
    "x-idempotent",
    "x-webhooks",
    super::PREFIX_ITEMS,
];

/// What a key's value is, for the walk.
enum Kind {
    /// An object of the document's own (a schema, an operation, a media
    /// type): its examples and unread extensions go.
    Document,
    /// An object whose keys are names (`properties`, `content`,
    /// `components/schemas`): every key stays, each value is a
    /// [`Kind::Document`]. An array under such a key (an operation's
    /// `parameters`) holds documents too.
    Names,
    /// Values and everything lowering does not look into: kept whole.
    Data,
}

fn kind(key: &str) -> Kind {
    match key {
        "properties" | "patternProperties" | "dependentSchemas" | "$defs" | "definitions"
        | "schemas" | "responses" | "parameters" | "requestBodies" | "headers"
        | "securitySchemes" | "content" | "encoding" | "paths" => Kind::Names,
        // Values (load's own list), maps of names to strings, and what is
        // only counted (`callbacks`) or not read (`links`, `servers`).
        key if super::is_data_key(key) => Kind::Data,
        "const" | "required" | "mapping" | "security" | "scopes" | "variables" | "callbacks"
        | "links" | "servers" => Kind::Data,
        _ => Kind::Document,
    }
}

/// Whether a key of a document object is left out.
fn unread(key: &str) -> bool {
    matches!(key, "example" | "examples")
        || (key.starts_with("x-") && !READ_EXTENSIONS.contains(&key))
}

/// Removes from the document (the whole value, an OpenAPI object) its
/// examples and the extensions lowering does not read. Not for a crate
/// with wire tests: they read every example.
pub(crate) fn drop_unread(document: &mut Value) {
    let mut stack: Vec<(&mut Value, bool)> = vec![(document, false)];
    // `names`: the value is a map of names, each to a document object.
    while let Some((value, names)) = stack.pop() {
        match value {
            Value::Object(map) => {
                if names {
                    stack.extend(map.values_mut().map(|v| (v, false)));
                    continue;
                }
                map.retain(|key, _| !unread(key));
                for (key, v) in map.iter_mut() {
                    match kind(key) {
                        Kind::Document => stack.push((v, false)),
                        Kind::Names => stack.push((v, true)),
                        Kind::Data => {}
                    }
                }
            }
            Value::Array(items) => stack.extend(items.iter_mut().map(|v| (v, false))),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn examples_and_unread_extensions_go_names_and_values_stay() {
        let mut doc = json!({
            "openapi": "3.0.3",
            "x-logo": {"url": "a.png"},
            "x-webhooks": {"ping": {}},
            "security": [{"x-api-key": []}],
            "paths": {
                "/a": {
                    "x-internal": true,
                    "get": {
                        "x-github": {"category": "repos"},
                        "x-rust-name": "get_a",
                        "parameters": [{"name": "q", "in": "query", "example": "s",
                                        "schema": {"type": "string", "x-go-type": "S"}}],
                        "responses": {"200": {"description": "ok", "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/example"},
                                "examples": {"one": {"$ref": "#/components/examples/one"}}
                            }
                        }}}
                    }
                }
            },
            "components": {
                "examples": {"one": {"value": {"a": 1}}},
                "securitySchemes": {"x-api-key": {"type": "apiKey", "name": "X-Key", "in": "header"}},
                "schemas": {
                    "example": {
                        "type": "object",
                        "example": {"example": 1, "x-data": 2},
                        "default": {"example": 1, "x-data": 2},
                        "enum": [{"x-y": 1}],
                        "x-rust-name": "Sample",
                        "properties": {
                            "example": {"type": "string", "example": "e"},
                            "x-key": {"type": "string", "x-nullable": true},
                            "examples": {"type": "array", "items": {"type": "string", "example": "i"}}
                        }
                    }
                }
            }
        });
        drop_unread(&mut doc);
        assert_eq!(
            doc,
            json!({
                "openapi": "3.0.3",
                "x-webhooks": {"ping": {}},
                "security": [{"x-api-key": []}],
                "paths": {
                    "/a": {
                        "get": {
                            "x-rust-name": "get_a",
                            "parameters": [{"name": "q", "in": "query",
                                            "schema": {"type": "string"}}],
                            "responses": {"200": {"description": "ok", "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/example"}
                                }
                            }}}
                        }
                    }
                },
                "components": {
                    "securitySchemes": {"x-api-key": {"type": "apiKey", "name": "X-Key", "in": "header"}},
                    "schemas": {
                        "example": {
                            "type": "object",
                            "default": {"example": 1, "x-data": 2},
                            "enum": [{"x-y": 1}],
                            "x-rust-name": "Sample",
                            "properties": {
                                "example": {"type": "string"},
                                "x-key": {"type": "string"},
                                "examples": {"type": "array", "items": {"type": "string"}}
                            }
                        }
                    }
                }
            })
        );
    }

    /// Every `"x-…"` literal in lowering's sources is an extension it may
    /// read: each must be kept.
    #[test]
    fn extensions_read_in_lowering_are_kept() {
        let sources = [
            include_str!("../lower/mod.rs"),
            include_str!("../lower/operations.rs"),
            include_str!("../lower/schemas.rs"),
            include_str!("../lower/objects.rs"),
            include_str!("../lower/unions.rs"),
            include_str!("../lower/bodies.rs"),
            include_str!("../lower/client.rs"),
            include_str!("../lower/defaults.rs"),
            include_str!("../lower/docs.rs"),
            include_str!("../lower/presence.rs"),
            include_str!("../lower/webhooks.rs"),
        ];
        let mut found = Vec::new();
        for source in sources {
            for (i, _) in source.match_indices("\"x-") {
                let literal = &source[i + 1..];
                let end = literal.find('"').expect("a closed literal");
                found.push(&literal[..end]);
            }
        }
        assert!(found.contains(&"x-rust-name"), "the scan finds literals");
        for extension in found {
            assert!(
                READ_EXTENSIONS.contains(&extension),
                "lowering names `{extension}`, which load leaves out: add it to READ_EXTENSIONS"
            );
        }
    }
}
