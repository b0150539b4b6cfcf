//! Part of load: an OpenAPI 3.1 document, rewritten in place into the 3.0
//! model that every later phase reads.
//!
//! 3.1 schemas are JSON Schema 2020-12; most of what real documents write
//! with it has a 3.0 spelling, and this pass writes that spelling:
//!
//! | 3.1                                   | 3.0                                        |
//! | ------------------------------------- | ------------------------------------------ |
//! | `type: [T, "null"]`                   | `type: T`, `nullable: true`                |
//! | `type: [A, B]`                        | `anyOf` of one schema per type             |
//! | `type: "null"`                        | `enum: [null]`, `nullable: true`           |
//! | `anyOf`/`oneOf` with a `null` member  | the other members, `nullable: true`        |
//! | `$ref` with sibling keywords          | `allOf: [{$ref}]` beside the siblings      |
//! | `exclusiveMinimum: 5`                 | `minimum: 5`, `exclusiveMinimum: true`     |
//! | `examples: [a, b]` in a schema        | kept for the wire tests as `x-codegen-examples` |
//! | `contentEncoding: base64`             | `format: byte`                             |
//! | `contentMediaType` (no encoding)      | `format: binary`                           |
//! | `unevaluatedProperties`               | `additionalProperties`                     |
//! | `prefixItems` (a tuple)               | kept for lowering as `x-codegen-prefix-items` |
//! | no `paths`                            | `paths: {}`                                |
//! | a `mutualTLS` security scheme         | `type: http`, `scheme: x-codegen-mutual-tls` ([`MUTUAL_TLS`]) |
//!
//! `const` is rewritten for both versions (see `const_to_enum`), and
//! references into `components/pathItems` and `$defs` are followed by
//! `refs`. `webhooks` are rewritten here like paths, and handed to lowering
//! beside the typed model (see [`WEBHOOKS`]). What has no 3.0 spelling (`if`/`then`/`else`,
//! `dependentSchemas`, `patternProperties`, `$dynamicRef`) is left for the
//! typed model to drop, as it drops any keyword it does not know. Nothing
//! moves: a rewritten schema stays at its pointer, so diagnostics keep
//! their place in the text.

use crate::diagnostics::child;
use serde_json::{Map, Value};
use std::collections::BTreeSet;

/// The key the wire tests read a 3.1 schema's `examples` (a list of
/// values) from.
pub(crate) const EXAMPLES: &str = "x-codegen-examples";

/// The key lowering reads a tuple's member schemas from.
pub(crate) const PREFIX_ITEMS: &str = "x-codegen-prefix-items";

/// The member schemas of a 3.1 tuple (`prefixItems`, which load keeps in
/// an extension of the 3.0 model), if the schema is one.
pub(crate) fn prefix_items(
    schema: &openapiv3::Schema,
) -> Option<Vec<openapiv3::ReferenceOr<openapiv3::Schema>>> {
    let members = schema.schema_data.extensions.get(PREFIX_ITEMS)?;
    serde_json::from_value(members.clone()).ok()
}

/// The extension of the typed model that holds a 3.1 document's
/// `webhooks`, which `openapiv3` has no field for; lowering reads it (and
/// Redocly's 3.0 spelling, `x-webhooks`).
pub(crate) const WEBHOOKS: &str = "x-codegen-webhooks";

/// The `http` scheme a 3.1 `mutualTLS` security scheme is read as: 3.0,
/// and `openapiv3`, have no such type, and lowering reads this one as a
/// requirement that the TLS connection meets, not a credential.
pub(crate) const MUTUAL_TLS: &str = "x-codegen-mutual-tls";

/// Rewrites a 3.1 document into the 3.0 model, in place.
pub(super) fn down_level(document: &mut Value) {
    let Some(root) = document.as_object_mut() else {
        return;
    };
    // Component schemas that are only `null`: a `$ref` to one in a union
    // is a `null` member.
    let nulls: BTreeSet<String> = root
        .get("components")
        .and_then(|c| c.get("schemas"))
        .and_then(Value::as_object)
        .map(|schemas| {
            schemas
                .iter()
                .filter(|(_, s)| is_null_only(s, &BTreeSet::new()))
                .map(|(k, _)| child("#/components/schemas", k))
                .collect()
        })
        .unwrap_or_default();
    let walk = Walk { nulls };
    // A 3.1 document may have only webhooks or components.
    root.entry("paths")
        .or_insert_with(|| Value::Object(Map::new()));
    for key in ["paths", "webhooks"] {
        if let Some(Value::Object(items)) = root.get_mut(key) {
            for item in items.values_mut() {
                walk.path_item(item);
            }
        }
    }
    if let Some(Value::Object(components)) = root.get_mut("components") {
        if let Some(Value::Object(schemes)) = components.get_mut("securitySchemes") {
            for scheme in schemes.values_mut().filter_map(Value::as_object_mut) {
                if scheme.get("type").and_then(Value::as_str) == Some("mutualTLS") {
                    scheme.insert("type".into(), Value::from("http"));
                    scheme.insert("scheme".into(), Value::from(MUTUAL_TLS));
                }
            }
        }
        for (section, entries) in components.iter_mut() {
            let Value::Object(entries) = entries else {
                continue;
            };
            for entry in entries.values_mut() {
                match section.as_str() {
                    "schemas" => walk.schema(entry),
                    "parameters" | "headers" => walk.parameter(entry),
                    "responses" => walk.response(entry),
                    "requestBodies" => walk.content_of(entry),
                    "pathItems" => walk.path_item(entry),
                    "callbacks" => walk.callback(entry),
                    _ => {}
                }
            }
        }
    }
}

/// Where the schemas are, and what a `null` member looks like.
struct Walk {
    nulls: BTreeSet<String>,
}

impl Walk {
    fn path_item(&self, item: &mut Value) {
        let Some(item) = item.as_object_mut() else {
            return;
        };
        if let Some(Value::Array(parameters)) = item.get_mut("parameters") {
            parameters.iter_mut().for_each(|p| self.parameter(p));
        }
        for method in crate::validate::METHODS {
            if let Some(op) = item.get_mut(*method) {
                self.operation(op);
            }
        }
    }

    fn operation(&self, op: &mut Value) {
        let Some(op) = op.as_object_mut() else {
            return;
        };
        if let Some(Value::Array(parameters)) = op.get_mut("parameters") {
            parameters.iter_mut().for_each(|p| self.parameter(p));
        }
        if let Some(body) = op.get_mut("requestBody") {
            self.content_of(body);
        }
        if let Some(Value::Object(responses)) = op.get_mut("responses") {
            responses.values_mut().for_each(|r| self.response(r));
        }
        if let Some(Value::Object(callbacks)) = op.get_mut("callbacks") {
            callbacks.values_mut().for_each(|c| self.callback(c));
        }
    }

    fn callback(&self, callback: &mut Value) {
        if let Some(callback) = callback.as_object_mut() {
            callback.values_mut().for_each(|item| self.path_item(item));
        }
    }

    /// A parameter or a header: a schema, or content.
    fn parameter(&self, parameter: &mut Value) {
        if let Some(schema) = parameter.get_mut("schema") {
            self.schema(schema);
        }
        self.content_of(parameter);
    }

    fn response(&self, response: &mut Value) {
        if let Some(Value::Object(headers)) = response.get_mut("headers") {
            headers.values_mut().for_each(|h| self.parameter(h));
        }
        self.content_of(response);
    }

    /// The media types of a request body, a response or a parameter.
    fn content_of(&self, holder: &mut Value) {
        let Some(Value::Object(content)) = holder.get_mut("content") else {
            return;
        };
        for media in content.values_mut() {
            if let Some(schema) = media.get_mut("schema") {
                self.schema(schema);
            }
            if let Some(Value::Object(encodings)) = media.get_mut("encoding") {
                for encoding in encodings.values_mut() {
                    if let Some(Value::Object(headers)) = encoding.get_mut("headers") {
                        headers.values_mut().for_each(|h| self.parameter(h));
                    }
                }
            }
        }
    }

    /// Rewrites one schema, then the schemas in it.
    fn schema(&self, schema: &mut Value) {
        let Value::Object(map) = schema else {
            return;
        };
        self.rewrite(map);
        for key in [
            "properties",
            "patternProperties",
            "$defs",
            "definitions",
            "dependentSchemas",
        ] {
            if let Some(Value::Object(entries)) = map.get_mut(key) {
                entries.values_mut().for_each(|s| self.schema(s));
            }
        }
        for key in [
            "items",
            "additionalProperties",
            "not",
            "if",
            "then",
            "else",
            "contains",
            "propertyNames",
            "unevaluatedItems",
        ] {
            if let Some(s) = map.get_mut(key) {
                self.schema(s);
            }
        }
        for key in ["allOf", "anyOf", "oneOf", PREFIX_ITEMS] {
            if let Some(Value::Array(members)) = map.get_mut(key) {
                members.iter_mut().for_each(|s| self.schema(s));
            }
        }
    }

    /// The 3.0 spelling of one schema's own keywords (see the module's table).
    fn rewrite(&self, map: &mut Map<String, Value>) {
        ref_siblings(map);
        type_list(map);
        self.null_members(map);
        for (key, bound) in [
            ("exclusiveMinimum", "minimum"),
            ("exclusiveMaximum", "maximum"),
        ] {
            if let Some(Value::Number(n)) = map.get(key) {
                let n = n.clone();
                map.insert(bound.to_owned(), Value::Number(n));
                map.insert(key.to_owned(), Value::Bool(true));
            }
        }
        // Every one of them is a wire case (`wire/collect.rs`); 3.0's
        // `examples` is something else, and the model would drop them.
        if let Some(Value::Array(examples)) = map.remove("examples") {
            if !examples.is_empty() {
                map.insert(EXAMPLES.to_owned(), Value::Array(examples));
            }
        }
        content_format(map);
        if let Some(unevaluated) = map.remove("unevaluatedProperties") {
            map.entry("additionalProperties").or_insert(unevaluated);
        }
        if let Some(prefix) = map.remove("prefixItems") {
            map.insert(PREFIX_ITEMS.to_owned(), prefix);
            // `items: false` closes a tuple; 3.0 has no such `items`.
            if map.get("items").is_some_and(Value::is_boolean) {
                map.remove("items");
            }
        }
    }

    /// `anyOf`/`oneOf` with members that are only `null`: the others, and
    /// `nullable: true`; one member left is the schema itself.
    fn null_members(&self, map: &mut Map<String, Value>) {
        for key in ["anyOf", "oneOf"] {
            let Some(Value::Array(members)) = map.get_mut(key) else {
                continue;
            };
            let before = members.len();
            members.retain(|m| !is_null_only(m, &self.nulls));
            if members.len() == before {
                continue;
            }
            map.insert("nullable".to_owned(), Value::Bool(true));
            let Some(Value::Array(members)) = map.get_mut(key) else {
                continue;
            };
            match members.len() {
                0 => {
                    map.remove(key);
                    map.insert("enum".to_owned(), Value::Array(vec![Value::Null]));
                }
                1 => {
                    let only = members.pop().expect("one member");
                    map.remove(key);
                    absorb(map, only);
                }
                _ => {}
            }
        }
    }
}

/// Keywords that describe a value rather than constrain it: where a schema
/// and the one member it absorbs both have one, the schema's own wins.
const ANNOTATIONS: &[&str] = &[
    "title",
    "description",
    "default",
    "example",
    "deprecated",
    "readOnly",
    "writeOnly",
    "nullable",
];

/// Puts the one member left of a union into the schema: its keywords when
/// they do not clash, else (or for a `$ref`) `allOf: [member]`.
fn absorb(map: &mut Map<String, Value>, member: Value) {
    let Value::Object(member) = member else {
        return;
    };
    let clashes = member
        .keys()
        .any(|k| k == "$ref" || (map.contains_key(k) && !ANNOTATIONS.contains(&k.as_str())));
    if clashes {
        map.insert(
            "allOf".to_owned(),
            Value::Array(vec![Value::Object(member)]),
        );
        return;
    }
    for (key, value) in member {
        map.entry(key).or_insert(value);
    }
    // The member's own spelling may be 3.1's too.
    type_list(map);
}

/// A `$ref` with keywords beside it (3.1 keeps them; 3.0 ignores them):
/// `allOf: [{$ref}]` and the keywords, which lowering reads as the
/// referenced type with this schema's words.
fn ref_siblings(map: &mut Map<String, Value>) {
    if map.len() < 2 || !map.get("$ref").is_some_and(Value::is_string) {
        return;
    }
    let reference = map.remove("$ref").expect("checked");
    let target: Map<String, Value> = [("$ref".to_owned(), reference)].into_iter().collect();
    match map.get_mut("allOf") {
        Some(Value::Array(members)) => members.insert(0, Value::Object(target)),
        _ => {
            map.insert(
                "allOf".to_owned(),
                Value::Array(vec![Value::Object(target)]),
            );
        }
    }
}

/// Which keywords belong to which type, for splitting `type: [A, B]`.
fn keyword_type(key: &str) -> Option<&'static str> {
    Some(match key {
        "format" | "minLength" | "maxLength" | "pattern" | "contentEncoding"
        | "contentMediaType" => "string",
        "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" | "multipleOf" => "number",
        "items" | "minItems" | "maxItems" | "uniqueItems" | "prefixItems" | PREFIX_ITEMS => "array",
        "properties"
        | "required"
        | "additionalProperties"
        | "minProperties"
        | "maxProperties"
        | "unevaluatedProperties"
        | "patternProperties" => "object",
        _ => return None,
    })
}

/// `type` as a list, or `type: "null"`.
fn type_list(map: &mut Map<String, Value>) {
    let types: Vec<String> = match map.get("type") {
        Some(Value::Array(types)) => types
            .iter()
            .filter_map(|t| t.as_str().map(str::to_owned))
            .collect(),
        Some(Value::String(t)) if t == "null" => vec![t.clone()],
        _ => return,
    };
    let mut types: Vec<String> = types.into_iter().fold(Vec::new(), |mut seen, t| {
        if !seen.contains(&t) {
            seen.push(t);
        }
        seen
    });
    let nullable = types.iter().any(|t| t == "null");
    types.retain(|t| t != "null");
    // Every integer is a number.
    if types.iter().any(|t| t == "number") {
        types.retain(|t| t != "integer");
    }
    map.remove("type");
    if nullable {
        map.insert("nullable".to_owned(), Value::Bool(true));
    }
    match types.as_slice() {
        [] if nullable => {
            // Only `null`; an `enum` of it says so in 3.0.
            map.entry("enum")
                .or_insert_with(|| Value::Array(vec![Value::Null]));
        }
        [] => {}
        [only] => {
            map.insert("type".to_owned(), Value::String(only.clone()));
        }
        several => {
            // One schema per type, each with the keywords of its type; the
            // words about the value stay on the union.
            let members = several
                .iter()
                .map(|t| {
                    let mut member = Map::new();
                    member.insert("type".to_owned(), Value::String(t.clone()));
                    for (key, value) in map.iter() {
                        let own = keyword_type(key)
                            .is_some_and(|k| k == t || (k == "number" && t == "integer"));
                        if own {
                            member.insert(key.clone(), value.clone());
                        }
                    }
                    if let Some(Value::Array(values)) = map.get("enum") {
                        let fits: Vec<Value> = values
                            .iter()
                            .filter(|v| is_of_type(v, t))
                            .cloned()
                            .collect();
                        if !fits.is_empty() {
                            member.insert("enum".to_owned(), Value::Array(fits));
                        }
                    }
                    Value::Object(member)
                })
                .collect();
            map.retain(|key, _| keyword_type(key).is_none() && key != "enum");
            map.insert("anyOf".to_owned(), Value::Array(members));
        }
    }
}

fn is_of_type(value: &Value, t: &str) -> bool {
    match t {
        "string" => value.is_string(),
        "number" => value.is_number(),
        "integer" => value.is_i64() || value.is_u64(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => false,
    }
}

/// A schema that admits only `null`: `type: "null"`, `enum: [null]`,
/// `const: null`, or a `$ref` to a component that is one of those.
fn is_null_only(schema: &Value, nulls: &BTreeSet<String>) -> bool {
    let Some(map) = schema.as_object() else {
        return false;
    };
    if let Some(Value::String(reference)) = map.get("$ref") {
        return nulls.contains(reference);
    }
    let null_type = match map.get("type") {
        Some(Value::String(t)) => t == "null",
        Some(Value::Array(types)) => types.iter().all(|t| t == "null") && !types.is_empty(),
        _ => false,
    };
    let null_enum = match map.get("enum") {
        Some(Value::Array(values)) => !values.is_empty() && values.iter().all(Value::is_null),
        _ => false,
    };
    let null_const = map.get("const").is_some_and(Value::is_null);
    null_type || null_enum || null_const
}

/// `contentEncoding` and `contentMediaType`, 3.1's words for bytes in a
/// string, as the 3.0 formats.
fn content_format(map: &mut Map<String, Value>) {
    if map.contains_key("format") || map.get("type").is_some_and(|t| t != "string") {
        return;
    }
    let format = match map.get("contentEncoding").and_then(Value::as_str) {
        Some(encoding) if encoding.eq_ignore_ascii_case("base64") || encoding == "base64url" => {
            "byte"
        }
        Some(_) => return,
        None if map.contains_key("contentMediaType") => "binary",
        None => return,
    };
    map.insert("type".to_owned(), Value::String("string".to_owned()));
    map.insert("format".to_owned(), Value::String(format.to_owned()));
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schema(value: Value) -> Value {
        let mut document = json!({
            "openapi": "3.1.0",
            "components": {"schemas": {"Null": {"type": "null"}, "S": value}},
        });
        down_level(&mut document);
        document["components"]["schemas"]["S"].take()
    }

    #[test]
    fn a_type_list_with_null_is_nullable() {
        assert_eq!(
            schema(json!({"type": ["string", "null"], "maxLength": 3})),
            json!({"type": "string", "nullable": true, "maxLength": 3})
        );
        assert_eq!(
            schema(json!({"type": "null"})),
            json!({"enum": [null], "nullable": true})
        );
    }

    #[test]
    fn a_type_list_of_several_types_is_a_union_of_them() {
        assert_eq!(
            schema(json!({
                "type": ["string", "integer", "null"],
                "description": "an id",
                "maxLength": 8,
                "minimum": 1,
            })),
            json!({
                "description": "an id",
                "nullable": true,
                "anyOf": [
                    {"type": "string", "maxLength": 8},
                    {"type": "integer", "minimum": 1},
                ],
            })
        );
        assert_eq!(
            schema(json!({"type": ["integer", "number"]})),
            json!({"type": "number"})
        );
    }

    #[test]
    fn a_union_with_null_is_its_other_members_nullable() {
        assert_eq!(
            schema(
                json!({"anyOf": [{"type": "string", "format": "date"}, {"type": "null"}], "title": "T"})
            ),
            json!({"title": "T", "nullable": true, "type": "string", "format": "date"})
        );
        assert_eq!(
            schema(
                json!({"oneOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/Null"}], "description": "d"})
            ),
            json!({"description": "d", "nullable": true, "allOf": [{"$ref": "#/components/schemas/A"}]})
        );
        assert_eq!(
            schema(
                json!({"oneOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}, {"enum": [null]}]})
            ),
            json!({"nullable": true, "oneOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}]})
        );
    }

    #[test]
    fn a_ref_keeps_its_siblings() {
        assert_eq!(
            schema(json!({"$ref": "#/components/schemas/A", "description": "d", "default": "x"})),
            json!({"description": "d", "default": "x", "allOf": [{"$ref": "#/components/schemas/A"}]})
        );
        assert_eq!(
            schema(json!({"$ref": "#/components/schemas/A"})),
            json!({"$ref": "#/components/schemas/A"})
        );
    }

    #[test]
    fn numeric_exclusive_bounds_examples_and_content_keywords() {
        assert_eq!(
            schema(json!({"type": "number", "exclusiveMinimum": 0, "examples": [1.5, 2]})),
            json!({"type": "number", "minimum": 0, "exclusiveMinimum": true, EXAMPLES: [1.5, 2]})
        );
        assert_eq!(
            schema(json!({"type": "string", "contentEncoding": "base64"}))["format"],
            "byte"
        );
        assert_eq!(
            schema(json!({"type": "string", "contentMediaType": "image/png"}))["format"],
            "binary"
        );
        assert_eq!(
            schema(json!({"type": "object", "unevaluatedProperties": false})),
            json!({"type": "object", "additionalProperties": false})
        );
    }

    #[test]
    fn nested_schemas_and_webhooks_are_rewritten_too() {
        let mut document = json!({
            "openapi": "3.1.0",
            "webhooks": {"hook": {"post": {"requestBody": {"content": {"application/json": {
                "schema": {"type": "object", "properties": {"a": {"type": ["integer", "null"]}}}
            }}}}}},
        });
        down_level(&mut document);
        assert_eq!(document["paths"], json!({}));
        assert_eq!(
            document["webhooks"]["hook"]["post"]["requestBody"]["content"]["application/json"]["schema"]
                ["properties"]["a"],
            json!({"type": "integer", "nullable": true})
        );
    }
}
