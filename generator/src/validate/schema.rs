//! Part of validation: schemas, checked as OpenAPI 3.0 lays them out.

use super::{TYPES, Validator, describe};
use crate::diagnostics::child;
use serde_json::{Map, Value};

impl<'d> Validator<'d> {
    pub(super) fn schema_at(&mut self, schema: &Value, pointer: &str) {
        self.ref_or(schema, pointer, "a schema", Self::schema);
    }

    /// `x-rust-name`, our extension, must be a name.
    pub(super) fn rust_name(&mut self, map: &Map<String, Value>, pointer: &str) {
        let Some(name) = map.get("x-rust-name") else {
            return;
        };
        let is_name = name.as_str().is_some_and(|n| {
            n.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        });
        if !is_name {
            self.invalid(
                &child(pointer, "x-rust-name"),
                format!(
                    "`x-rust-name` must be a name of ASCII letters, digits and `_`, beginning with a letter; found {}",
                    describe(name)
                ),
            );
        }
    }

    pub(super) fn schema(&mut self, schema: &Map<String, Value>, pointer: &str) {
        self.rust_name(schema, pointer);
        match schema.get("type") {
            Some(Value::Array(_)) => self.invalid(
                &child(pointer, "type"),
                "`type` must be a single type name in OpenAPI 3.0 (a list of types is OpenAPI 3.1); \
                 for a value that may be null, write `nullable: true`",
            ),
            _ => self.keyword(schema, pointer, "type", TYPES),
        }
        self.strings(
            schema,
            pointer,
            &["title", "description", "format", "pattern"],
        );
        self.booleans(
            schema,
            pointer,
            &[
                "nullable",
                "readOnly",
                "writeOnly",
                "deprecated",
                "uniqueItems",
            ],
        );
        for key in ["exclusiveMinimum", "exclusiveMaximum"] {
            match schema.get(key) {
                Some(Value::Bool(_)) | None => {}
                Some(Value::Number(_)) => self.invalid(
                    &child(pointer, key),
                    format!(
                        "`{key}` must be `true` or `false` in OpenAPI 3.0 (a number is OpenAPI 3.1's form); \
                         write the bound in `{}` and set `{key}: true`",
                        if key == "exclusiveMinimum" { "minimum" } else { "maximum" }
                    ),
                ),
                Some(other) => self.invalid(
                    &child(pointer, key),
                    format!("`{key}` must be `true` or `false`, found {}", describe(other)),
                ),
            }
        }
        self.numbers(schema, pointer, &["minimum", "maximum", "multipleOf"]);
        self.counts(
            schema,
            pointer,
            &[
                "minLength",
                "maxLength",
                "minItems",
                "maxItems",
                "minProperties",
                "maxProperties",
            ],
        );
        match schema.get("enum") {
            Some(Value::Array(values)) if values.is_empty() => self.invalid(
                &child(pointer, "enum"),
                "`enum` must list at least one value",
            ),
            Some(Value::Array(_)) | None => {}
            Some(other) => self.invalid(
                &child(pointer, "enum"),
                format!("`enum` must be a list of values, found {}", describe(other)),
            ),
        }
        self.each_element(schema, pointer, "required", |v, name, at| {
            if !name.is_string() {
                v.invalid(
                    at,
                    format!(
                        "`required` lists property names, which are strings; found {}",
                        describe(name)
                    ),
                );
            }
        });
        self.each_entry(
            schema,
            pointer,
            "properties",
            "the properties",
            |v, _, property, at| {
                v.schema_at(property, at);
            },
        );
        match schema.get("items") {
            Some(Value::Array(_)) => self.invalid(
                &child(pointer, "items"),
                "`items` must be one schema; a list of schemas (a tuple) is not OpenAPI 3.0",
            ),
            Some(items) => self.schema_at(items, &child(pointer, "items")),
            None => {}
        }
        // A 3.1 tuple's members, which load keeps under another key; they
        // are reported where the document has them.
        if let Some(Value::Array(members)) = schema.get(crate::load::PREFIX_ITEMS) {
            for (i, member) in members.iter().enumerate() {
                self.schema_at(member, &format!("{}/{i}", child(pointer, "prefixItems")));
            }
        }
        // `type: array` without `items` breaks the letter of OpenAPI 3.0, but
        // real documents (GitHub's) have it; it reads as a list of any values.
        match schema.get("additionalProperties") {
            Some(Value::Bool(_)) | None => {}
            Some(additional) => self.schema_at(additional, &child(pointer, "additionalProperties")),
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            if let Some(Value::Array(members)) = schema.get(key) {
                if members.is_empty() {
                    self.invalid(
                        &child(pointer, key),
                        format!("`{key}` must list at least one schema"),
                    );
                }
            }
            self.each_element(schema, pointer, key, |v, member, at| {
                v.schema_at(member, at)
            });
        }
        if let Some(not) = schema.get("not") {
            self.schema_at(not, &child(pointer, "not"));
        }
        if let Some(discriminator) = schema.get("discriminator") {
            let at = child(pointer, "discriminator");
            if let Some(discriminator) = self.object(discriminator, &at, "a discriminator") {
                self.required(discriminator, &at, "propertyName", "a discriminator");
                self.strings(discriminator, &at, &["propertyName"]);
                self.each_entry(
                    discriminator,
                    &at,
                    "mapping",
                    "the mapping",
                    |v, _, target, at| match target.as_str() {
                        Some(target) if target.starts_with('#') => {
                            v.reference(&Value::String(target.to_owned()), at)
                        }
                        Some(_) => {}
                        None => v.invalid(
                            at,
                            format!(
                                "a discriminator mapping names a schema, as a string; found {}",
                                describe(target)
                            ),
                        ),
                    },
                );
            }
        }
        if let Some(docs) = schema.get("externalDocs") {
            self.external_docs(docs, &child(pointer, "externalDocs"));
        }
    }
}
