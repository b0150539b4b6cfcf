//! The wire cases of a document: each example paired with the type it
//! decodes into, and instances built from each named type's schema.

use super::declared::declared_keys;
use super::instances;
use super::{Judge, Resolver};
use crate::diagnostics::child;
use crate::ir::{self, TypeKind, TypeRef, WireCase, WireSource};
use openapiv3::{ReferenceOr, Schema};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Every example of the document that belongs to a typed schema, and
/// instances built from every named type's schema, in that order.
///
/// `typed` holds the type each lowered schema became, by the schema's
/// pointer; the named types add their own.
pub(crate) fn cases(
    judge: &mut Judge<'_>,
    typed: &BTreeMap<String, TypeRef>,
    types: &[ir::TypeDef],
) -> Vec<WireCase> {
    let Judge {
        document,
        validator,
        resolver,
    } = judge;
    let (document, resolver) = (&*document, *resolver);
    let payloads = payload_structs(types);
    let mut at: BTreeMap<&str, TypeRef> = typed
        .iter()
        .map(|(pointer, ty)| (pointer.as_str(), ty.clone()))
        .collect();
    for def in types
        .iter()
        .filter(|d| !payloads.contains(d.rust_name.as_str()))
    {
        at.insert(&def.origin, TypeRef::Named(def.rust_name.clone()));
    }
    let mut out = Cases::default();
    for (pointer, ty) in &at {
        if payloads
            .iter()
            .any(|p| matches!(ty, TypeRef::Named(n) if n == p))
        {
            continue;
        }
        let Some(schema) = schema_at(document, pointer) else {
            continue;
        };
        let ty = nullable_as_option(&resolver, &schema, ty);
        if ty == TypeRef::Bytes {
            // Bytes are base64 text only as a field, with the field's helper.
            continue;
        }
        for (origin, value) in examples_of(document, pointer) {
            let declared = declared_keys(&resolver, &schema, &value);
            let invalid = validator.violation(pointer, &value);
            out.push(WireCase {
                ty: ty.clone(),
                origin,
                source: WireSource::Example,
                json: value.to_string(),
                declared,
                invalid,
            });
        }
    }
    for def in types {
        if payloads.contains(def.rust_name.as_str()) {
            continue;
        }
        let Some(schema) = schema_at(document, &def.origin) else {
            continue;
        };
        let ty = nullable_as_option(&resolver, &schema, &TypeRef::Named(def.rust_name.clone()));
        for instance in instances::build(&resolver, &schema) {
            // An instance the builder could not make valid (a `pattern`, a
            // `not`, members of a `oneOf` that overlap) says nothing.
            if validator.violation(&def.origin, &instance.value).is_some() {
                continue;
            }
            let declared = declared_keys(&resolver, &schema, &instance.value);
            out.push(WireCase {
                ty: ty.clone(),
                origin: def.origin.clone(),
                source: WireSource::Instance(instance.label),
                json: instance.value.to_string(),
                declared,
                invalid: None,
            });
        }
    }
    out.cases
}

/// Cases without repeats: one value checked once per type.
#[derive(Default)]
struct Cases {
    cases: Vec<WireCase>,
    seen: BTreeSet<(String, String)>,
}

impl Cases {
    fn push(&mut self, case: WireCase) {
        if self
            .seen
            .insert((format!("{:?}", case.ty), case.json.clone()))
        {
            self.cases.push(case);
        }
    }
}

/// The structs that carry a tagged variant's other properties: read only as
/// part of their union, never alone.
fn payload_structs(types: &[ir::TypeDef]) -> BTreeSet<&str> {
    types
        .iter()
        .filter_map(|d| match &d.kind {
            TypeKind::TaggedUnion(u) => Some(u.variants.iter()),
            _ => None,
        })
        .flatten()
        .filter_map(|v| match &v.payload {
            ir::TaggedPayload::Fields(ty) => named(ty),
            _ => None,
        })
        .collect()
}

/// The type a value of a schema is read into where the schema is used:
/// `Option` of its type when it is `nullable` (a field, a body), as
/// lowering gives fields and items.
fn nullable_as_option(resolver: &Resolver, schema: &ReferenceOr<Schema>, ty: &TypeRef) -> TypeRef {
    let nullable = resolver
        .schema(schema)
        .is_some_and(|s| s.schema_data.nullable);
    match ty {
        TypeRef::Option(_) => ty.clone(),
        _ if nullable => TypeRef::Option(Box::new(ty.clone())),
        _ => ty.clone(),
    }
}

/// The named type a type is, through any `Box`.
fn named(ty: &TypeRef) -> Option<&str> {
    match ty {
        TypeRef::Named(name) => Some(name),
        TypeRef::Box(inner) => named(inner),
        _ => None,
    }
}

/// The schema at a pointer of the document.
pub(crate) fn schema_at(document: &Value, pointer: &str) -> Option<ReferenceOr<Schema>> {
    let value = document.pointer(pointer.strip_prefix('#')?)?;
    serde_json::from_value(value.clone()).ok()
}

/// The examples given for the schema at `pointer`: its own `example` (or
/// 3.1's `examples`), and,
/// when it is a JSON media type's schema, the media type's `example` and
/// `examples` (following `$ref`s into `components/examples`). Each with
/// the pointer it is written at.
pub(crate) fn examples_of(document: &Value, pointer: &str) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    let at = |p: &str| document.pointer(p.strip_prefix('#').unwrap_or(p));
    if let Some(example) = at(pointer).and_then(|s| s.get("example")) {
        out.push((child(pointer, "example"), example.clone()));
    }
    // A 3.1 schema's `examples`, every one, at its place in the document.
    if let Some(Value::Array(examples)) = at(pointer).and_then(|s| s.get(crate::load::EXAMPLES)) {
        for (i, example) in examples.iter().enumerate() {
            out.push((
                format!("{}/{i}", child(pointer, "examples")),
                example.clone(),
            ));
        }
    }
    let Some(media) = pointer.strip_suffix("/schema") else {
        return out;
    };
    let Some((content, media_type)) = media.rsplit_once('/') else {
        return out;
    };
    if !content.ends_with("/content") || !is_json(&super::unescape(media_type)) {
        return out;
    }
    let Some(media_object) = at(media) else {
        return out;
    };
    if let Some(example) = media_object.get("example") {
        out.push((child(media, "example"), example.clone()));
    }
    if let Some(Value::Object(examples)) = media_object.get("examples") {
        for (name, example) in examples {
            let example = match example.get("$ref").and_then(Value::as_str) {
                Some(reference) => match at(reference) {
                    Some(target) => target,
                    None => continue,
                },
                None => example,
            };
            // An `externalValue` is not read: the document does not hold it.
            if let Some(value) = example.get("value") {
                out.push((child(&child(media, "examples"), name), value.clone()));
            }
        }
    }
    out
}

/// Whether a media type is JSON (`application/json`, `application/problem+json`,
/// `application/json; charset=utf-8`).
pub(crate) fn is_json(media_type: &str) -> bool {
    let essence = media_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json")
}
