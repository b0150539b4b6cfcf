//! Which keys of a JSON value its schema declares: the keys a generated
//! type may be expected to keep when the value goes through it, as opposed
//! to extra keys that an open object merely allows.

use super::{Resolver, shape};
use crate::diagnostics::escape_token;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema};
use serde_json::Value;

/// How deep into a value keys are looked for.
const MAX_DEPTH: usize = 64;

/// How many schemas may apply at one place (a schema and the members of
/// its compositions, transitively); the rest are not looked at.
const MAX_SCHEMAS: usize = 256;

/// The JSON pointers (RFC 6901, tokens escaped: `/reviewers/0/type`) of the
/// object keys in `value` that `schema` declares where they are: a name in
/// `properties` of the schema at that place or of any member of its
/// `allOf`/`oneOf`/`anyOf` (transitively, `$ref`s followed), or any key of
/// an object whose schema there describes other keys with an
/// `additionalProperties` schema. Keys whose value is `null` count; keys an
/// open object merely allows (`additionalProperties: true`, or nothing
/// said) do not. Values are walked with every schema that declares them,
/// so the union of what union members declare is listed, each pointer once,
/// in the order of the value.
pub(crate) fn declared_keys(
    resolver: &Resolver,
    schema: &ReferenceOr<Schema>,
    value: &Value,
) -> Vec<String> {
    let mut out = Vec::new();
    let Some(root) = resolver.schema(schema) else {
        return out;
    };
    let schemas = applicable(resolver, vec![root]);
    walk(resolver, value, &schemas, &mut String::new(), 0, &mut out);
    out
}

/// Lists the declared keys of `value` (at `pointer`) and of what it holds,
/// given every schema that applies to it.
fn walk(
    resolver: &Resolver,
    value: &Value,
    schemas: &[&Schema],
    pointer: &mut String,
    depth: usize,
    out: &mut Vec<String>,
) {
    if depth >= MAX_DEPTH || schemas.is_empty() {
        return;
    }
    let len = pointer.len();
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let mut declared = false;
                let mut inner = Vec::new();
                for sh in schemas.iter().map(|s| shape(s)) {
                    if let Some(prop) = sh.properties.and_then(|p| p.get(key)) {
                        declared = true;
                        inner.extend(resolver.boxed_schema(prop));
                        continue;
                    }
                    // `additionalProperties: true` only allows other keys,
                    // as an object without it does (JSON Schema's
                    // default): it names none. A schema describes them.
                    if let Some(AdditionalProperties::Schema(extra)) = sh.additional {
                        declared = true;
                        inner.extend(resolver.schema(extra));
                    }
                }
                if !declared {
                    continue;
                }
                pointer.push('/');
                pointer.push_str(&escape_token(key));
                out.push(pointer.clone());
                let inner = applicable(resolver, inner);
                walk(resolver, child, &inner, pointer, depth + 1, out);
                pointer.truncate(len);
            }
        }
        Value::Array(items) => {
            let item_schemas: Vec<&Schema> = schemas
                .iter()
                .filter_map(|s| shape(s).items)
                .filter_map(|items| resolver.boxed_schema(items))
                .collect();
            let item_schemas = applicable(resolver, item_schemas);
            if item_schemas.is_empty() {
                return;
            }
            for (i, item) in items.iter().enumerate() {
                pointer.push('/');
                pointer.push_str(&i.to_string());
                walk(resolver, item, &item_schemas, pointer, depth + 1, out);
                pointer.truncate(len);
            }
        }
        _ => {}
    }
}

/// `schemas` and the members of their `allOf`, `oneOf` and `anyOf`,
/// transitively, `$ref`s followed, each once (a composition that includes
/// itself ends), at most [`MAX_SCHEMAS`].
fn applicable<'s>(resolver: &Resolver<'s>, schemas: Vec<&'s Schema>) -> Vec<&'s Schema> {
    let mut out: Vec<&Schema> = Vec::new();
    let mut stack = schemas;
    stack.reverse();
    while let Some(schema) = stack.pop() {
        if out.len() >= MAX_SCHEMAS {
            break;
        }
        if out.iter().any(|s| std::ptr::eq(*s, schema)) {
            continue;
        }
        out.push(schema);
        let sh = shape(schema);
        let members = sh.all_of.iter().chain(sh.one_of).chain(sh.any_of);
        let members: Vec<&Schema> = members.filter_map(|m| resolver.schema(m)).collect();
        stack.extend(members.into_iter().rev());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::tests::{doc, named};
    use serde_json::json;

    /// The declared keys of `value` under component `name` of `schemas`.
    fn keys(schemas: &str, name: &str, value: Value) -> Vec<String> {
        let api = doc(schemas);
        declared_keys(&Resolver::new(&api), &named(name), &value)
    }

    #[test]
    fn nested_objects_and_arrays() {
        let schemas = "PR:\n  type: object\n  properties:\n    title: {type: string}\n    reviewers:\n      type: array\n      items: {$ref: '#/components/schemas/User'}\n\
                       User:\n  properties:\n    type: {type: string, nullable: true}\n    login: {type: string}";
        let value = json!({
            "title": "t",
            "extra": 1,
            "reviewers": [{"type": null, "other": 2}, {"login": "a"}],
        });
        assert_eq!(
            keys(schemas, "PR", value),
            [
                "/title",
                "/reviewers",
                "/reviewers/0/type",
                "/reviewers/1/login"
            ]
        );
    }

    #[test]
    fn all_of_members_declare() {
        let schemas = "Base: {properties: {id: {type: integer}}}\n\
                       Child:\n  allOf:\n    - $ref: '#/components/schemas/Base'\n    - properties: {name: {type: string}}";
        let value = json!({"name": "n", "id": 1, "undeclared": true});
        assert_eq!(keys(schemas, "Child", value), ["/name", "/id"]);
    }

    #[test]
    fn any_of_members_declare_their_union() {
        let schemas = "U:\n  anyOf:\n    - properties: {a: {properties: {x: {type: string}}}}\n    - properties: {a: {properties: {y: {type: string}}}, b: {type: string}}";
        let value = json!({"a": {"x": "1", "y": "2", "z": "3"}, "b": "b", "c": "c"});
        assert_eq!(keys(schemas, "U", value), ["/a", "/a/x", "/a/y", "/b"]);
    }

    #[test]
    fn an_additional_properties_schema_declares_every_key() {
        let schemas = "M:\n  type: object\n  properties: {fixed: {type: string}}\n  additionalProperties:\n    properties: {inner: {type: string}}\n\
                       Open: {type: object, additionalProperties: true}\n\
                       Closed: {type: object, properties: {a: {type: string}}, additionalProperties: false}";
        let value = json!({"fixed": "f", "a/b": {"inner": "i", "no": 1}});
        assert_eq!(
            keys(schemas, "M", value),
            ["/fixed", "/a~1b", "/a~1b/inner"]
        );
        let value = json!({"k": {"deep": 1}});
        assert!(
            keys(schemas, "Open", value).is_empty(),
            "`true` only allows"
        );
        assert_eq!(keys(schemas, "Closed", json!({"a": "", "b": ""})), ["/a"]);
    }

    #[test]
    fn cycles_and_depth_end() {
        let schemas = "Node:\n  allOf:\n    - $ref: '#/components/schemas/Node'\n    - properties: {next: {$ref: '#/components/schemas/Node'}}";
        let mut value = json!({});
        for _ in 0..200 {
            value = json!({ "next": value });
        }
        let found = keys(schemas, "Node", value);
        assert_eq!(found.len(), MAX_DEPTH);
        assert_eq!(found[1], "/next/next");
        assert!(keys(schemas, "Missing", json!({"a": 1})).is_empty());
    }
}
