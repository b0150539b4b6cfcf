//! Objects → structs: properties become fields with their presence
//! (required, nullable, three-state, defaulted), and `allOf` members are
//! merged into one struct.

use super::Lowerer;
use super::defaults::PendingDefault;
use super::docs::field_docs;
use super::schemas::is_bytes;
use crate::diagnostics::child;
use crate::ir::{self, Docs, Presence, TypeKind, TypeRef};
use crate::naming::{self, Scope};
use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type};
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

impl<'a> Lowerer<'a> {
    pub(super) fn object(
        &mut self,
        type_name: &str,
        properties: &Properties,
        required: &[String],
        additional: Option<&AdditionalProperties>,
        pointer: &str,
        origins: Option<&Origins>,
    ) -> ir::Struct {
        let mut scope = Scope::new();
        let mut fields = Vec::new();
        for (wire_name, schema) in properties {
            let origin = origins
                .and_then(|o| o.properties.get(wire_name).cloned())
                .unwrap_or_else(|| child(&child(pointer, "properties"), wire_name));
            let rust_name = scope.claim(naming::value_name(wire_name));
            let hint = format!("{type_name}_{wire_name}");
            // A property's own `byte`/`binary` schema is `Vec<u8>`, with the
            // field saying how it is written; elsewhere bytes stay base64 text.
            let ty = match schema {
                ReferenceOr::Item(s) if is_bytes(s) => TypeRef::Bytes,
                _ => self.type_ref(&hint, schema, &origin),
            };
            let resolved = self.deref(schema);
            let nullable = resolved.is_some_and(|s| s.schema_data.nullable);
            // A bare `$ref` has no description of its own: say what the
            // referenced schema says.
            let mut docs = match resolved {
                Some(s) => field_docs(s, wire_name),
                None => Docs::from_text(&format!("The `{wire_name}` property.")),
            };
            let data = resolved.map(|s| &s.schema_data);
            if data.is_some_and(|d| d.read_only) {
                docs.push_paragraph("Read-only: the server sets it and ignores it in requests.");
            }
            if data.is_some_and(|d| d.write_only) {
                docs.push_paragraph("Write-only: sent in requests, never returned.");
            }
            let default = data.and_then(|d| d.default.as_ref());
            if let Some(value) = default {
                docs.push_paragraph(&format!("Defaults to `{value}`."));
            }
            let presence = match (required.iter().any(|r| r == wire_name), nullable) {
                (true, false) => Presence::Required,
                (true, true) => Presence::RequiredNullable,
                (false, nullable) => match default {
                    None if nullable => Presence::OptionalNullable,
                    None => Presence::Optional,
                    Some(value) => {
                        // Checked against the field's type once every type
                        // is lowered: see `defaults::apply`.
                        self.pending_defaults.push(PendingDefault {
                            type_name: type_name.to_owned(),
                            field: rust_name.clone(),
                            value: value.clone(),
                        });
                        let function = self
                            .default_fns
                            .claim(naming::value_name(&format!("{type_name}_{wire_name}")));
                        Presence::Defaulted(ir::DefaultValue {
                            function,
                            value: ir::Literal::TypeDefault,
                            nullable,
                        })
                    }
                },
            };
            fields.push(ir::Field {
                rust_name,
                wire_name: wire_name.clone(),
                origin,
                docs,
                ty,
                presence,
                deprecated: data.is_some_and(|d| d.deprecated),
            });
        }
        let additional_pointer = origins
            .and_then(|o| o.additional.clone())
            .unwrap_or_else(|| child(pointer, "additionalProperties"));
        let value = match additional {
            Some(AdditionalProperties::Any(true)) => Some(TypeRef::Json),
            Some(AdditionalProperties::Schema(s)) => {
                Some(self.item_type(&format!("{type_name}Value"), s, &additional_pointer))
            }
            Some(AdditionalProperties::Any(false)) | None => None,
        };
        let additional = value.map(|value| ir::AdditionalFields {
            rust_name: scope.claim("additional_properties".into()),
            value,
        });
        ir::Struct { fields, additional }
    }

    /// An object with `properties` and, beside them, a `oneOf` or `anyOf`
    /// of the properties that come with one case or another (Snyk's
    /// `project` or `projects`): one struct with its own properties, then
    /// each alternative's that it does not have, optional (a value has
    /// those of one case, not of all). Alternatives that only narrow a
    /// property the object has (`status: {enum: [completed]}`) add nothing.
    pub(super) fn object_with_alternatives(
        &mut self,
        name: &str,
        any: &openapiv3::AnySchema,
        pointer: &str,
    ) -> ir::Struct {
        let mut properties = any.properties.clone();
        let mut origins = Origins::default();
        for (keyword, members) in [("oneOf", &any.one_of), ("anyOf", &any.any_of)] {
            for (i, member) in members.iter().enumerate() {
                let Some((theirs, _)) = self.deref(member).and_then(super::unions::object_parts)
                else {
                    continue;
                };
                let base = match member {
                    ReferenceOr::Reference { reference } => reference.clone(),
                    ReferenceOr::Item(_) => format!("{pointer}/{keyword}/{i}"),
                };
                for (key, schema) in theirs {
                    if !properties.contains_key(key) {
                        properties.insert(key.clone(), schema.clone());
                        origins
                            .properties
                            .insert(key.clone(), child(&child(&base, "properties"), key));
                    }
                }
            }
        }
        self.object(
            name,
            &properties,
            &any.required,
            any.additional_properties.as_ref(),
            pointer,
            Some(&origins),
        )
    }

    /// An `allOf`, merged into one struct. `own` is what the schema says
    /// beside its `allOf` (`properties`, `required`, `additionalProperties`:
    /// Azure's documents put a type's own properties there), merged last.
    pub(super) fn all_of(
        &mut self,
        name: &str,
        members: &[ReferenceOr<Schema>],
        pointer: &str,
        own: Option<ObjectParts<'_>>,
    ) -> TypeKind {
        // One member that says what the value is, and perhaps others that
        // only describe it: the type of that member, whatever it is.
        if let (Some((i, only)), None) = (single_typed_member(members), own) {
            return TypeKind::Alias(self.type_ref(name, only, &format!("{pointer}/allOf/{i}")));
        }
        // Merge the members' properties: later members add to (or refine)
        // earlier ones; required lists are united.
        let mut properties = Properties::new();
        let mut required: BTreeSet<String> = BTreeSet::new();
        let mut additional: Option<&AdditionalProperties> = None;
        let mut origins = Origins::default();
        // Each member with its pointer, and the schemas the walk went
        // through to reach it (a member that is one of them closes a circle).
        type Chain = Rc<Vec<String>>;
        enum Piece<'p> {
            Member(&'p ReferenceOr<Schema>, String, Chain),
            /// What a schema says beside its `allOf`, and where it is.
            Own(ObjectParts<'p>, String),
        }
        let mut stack: Vec<Piece<'_>> =
            {
                let chain = Rc::new(vec![pointer.to_owned()]);
                own.map(|own| Piece::Own(own, pointer.to_owned()))
                    .into_iter()
                    .chain(members.iter().enumerate().rev().map(|(i, m)| {
                        Piece::Member(m, format!("{pointer}/allOf/{i}"), chain.clone())
                    }))
                    .collect()
            };
        while let Some(piece) = stack.pop() {
            let (member, member_pointer, chain) = match piece {
                Piece::Member(member, member_pointer, chain) => (member, member_pointer, chain),
                Piece::Own((own, own_required, own_additional), base) => {
                    for (k, v) in own {
                        properties.insert(k.clone(), v.clone());
                        origins
                            .properties
                            .insert(k.clone(), child(&child(&base, "properties"), k));
                    }
                    required.extend(own_required.iter().cloned());
                    if additional.is_none() && own_additional.is_some() {
                        additional = own_additional;
                        origins.additional = Some(child(&base, "additionalProperties"));
                    }
                    continue;
                }
            };
            // Where the member's own schema is: behind its `$ref`, if it has one.
            let base = match member {
                ReferenceOr::Reference { reference } => reference.clone(),
                ReferenceOr::Item(_) => member_pointer.clone(),
            };
            if chain.contains(&base) {
                let mut circle: Vec<&str> = chain
                    .iter()
                    .skip_while(|p| **p != base)
                    .map(|p| p.rsplit('/').next().unwrap_or(p))
                    .collect();
                circle.push(base.rsplit('/').next().unwrap_or(&base));
                self.skip(
                    &member_pointer,
                    format!(
                        "`allOf` goes around in a circle ({}): the schema includes itself, so it has no finite shape; the type is any JSON value",
                        circle.join(" → ")
                    ),
                );
                return TypeKind::Alias(TypeRef::Json);
            }
            let Some(schema) = self.deref(member) else {
                if let ReferenceOr::Reference { reference } = member {
                    self.resolve_ref(reference, &member_pointer);
                }
                continue;
            };
            // Where the member's pieces are defined: a piece lowered where it
            // is defined is lowered once, however many schemas include it.
            let own: Option<ObjectParts<'_>> = match &schema.schema_kind {
                SchemaKind::Type(Type::Object(o)) => Some((
                    &o.properties,
                    o.required.as_slice(),
                    o.additional_properties.as_ref(),
                )),
                SchemaKind::Any(a) if a.all_of.is_empty() => Some((
                    &a.properties,
                    a.required.as_slice(),
                    a.additional_properties.as_ref(),
                )),
                _ => None,
            };
            if let Some(parts) = own {
                // Merged next, as what a schema says beside its `allOf` is.
                stack.push(Piece::Own(parts, base));
                continue;
            }
            let (all_of, beside) = match &schema.schema_kind {
                SchemaKind::AllOf { all_of } => (Some(all_of), None),
                SchemaKind::Any(a) if !a.all_of.is_empty() => (
                    Some(&a.all_of),
                    Some((
                        &a.properties,
                        a.required.as_slice(),
                        a.additional_properties.as_ref(),
                    )),
                ),
                _ => (None, None),
            };
            match all_of {
                Some(all_of) => {
                    let mut inner = (*chain).clone();
                    inner.push(base.clone());
                    let inner = Rc::new(inner);
                    if let Some(beside) = beside {
                        stack.push(Piece::Own(beside, base.clone()));
                    }
                    for (i, m) in all_of.iter().enumerate().rev() {
                        stack.push(Piece::Member(m, format!("{base}/allOf/{i}"), inner.clone()));
                    }
                }
                None => {
                    self.skip(
                        &member_pointer,
                        "an `allOf` member that is not an object cannot be merged with the others into one struct; the type is any JSON value",
                    );
                    return TypeKind::Alias(TypeRef::Json);
                }
            }
        }
        let required: Vec<String> = required.into_iter().collect();
        TypeKind::Struct(self.object(
            name,
            &properties,
            &required,
            additional,
            pointer,
            Some(&origins),
        ))
    }
}

/// The `properties` of an object schema.
pub(super) type Properties = IndexMap<String, ReferenceOr<Box<Schema>>>;

/// What an object schema says of its properties: `properties`, `required`
/// and `additionalProperties`.
pub(super) type ObjectParts<'s> = (
    &'s Properties,
    &'s [String],
    Option<&'s AdditionalProperties>,
);

/// Where the properties of a merged `allOf` were defined, when not in the
/// schema being lowered.
#[derive(Default)]
pub(super) struct Origins {
    /// Property name → the pointer of its schema.
    pub(super) properties: BTreeMap<String, String>,
    /// The pointer of the `additionalProperties` in effect.
    pub(super) additional: Option<String>,
}

/// The one member of an `allOf` that says what the value is, when every
/// other member only describes it (a `description`, `nullable` or `default`
/// and no type, properties or composition of its own), with its index.
pub(super) fn single_typed_member(
    members: &[ReferenceOr<Schema>],
) -> Option<(usize, &ReferenceOr<Schema>)> {
    let mut typed = members
        .iter()
        .enumerate()
        .filter(|(_, m)| !is_annotation(m));
    let only = typed.next()?;
    typed.next().is_none().then_some(only)
}

/// A schema that constrains nothing: no `type`, properties, items,
/// composition or `enum`, only words about the value.
fn is_annotation(member: &ReferenceOr<Schema>) -> bool {
    match member {
        ReferenceOr::Reference { .. } => false,
        ReferenceOr::Item(s) => match &s.schema_kind {
            SchemaKind::Any(a) => {
                a.typ.is_none()
                    && a.properties.is_empty()
                    && a.items.is_none()
                    && a.additional_properties.is_none()
                    && a.one_of.is_empty()
                    && a.any_of.is_empty()
                    && a.all_of.is_empty()
                    && a.not.is_none()
                    && a.enumeration.is_empty()
                    && a.required.is_empty()
            }
            _ => false,
        },
    }
}
