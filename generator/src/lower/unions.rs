//! `oneOf` and `anyOf` → enums: string enums written as unions of single
//! values, unions tagged by a property or a `discriminator`, and untagged
//! unions told apart by shape.

use super::docs::{described, schema_docs};
use super::objects::{Origins, Properties};
use super::{Lowerer, unescape_token};
use crate::diagnostics::child;
use crate::ir::{self, Docs, TypeKind, TypeRef};
use crate::naming::{self, Scope};
use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};
use std::collections::BTreeSet;

impl<'a> Lowerer<'a> {
    pub(super) fn union(
        &mut self,
        name: &str,
        members: &[ReferenceOr<Schema>],
        schema: &Schema,
        pointer: &str,
        keyword: &str,
    ) -> TypeKind {
        let resolved: Vec<Option<&Schema>> = members.iter().map(|m| self.deref(m)).collect();
        if let Some(values) = enum_members(&resolved) {
            return TypeKind::StringEnum(string_enum(values));
        }
        let refs: Vec<Option<&str>> = members
            .iter()
            .map(|m| match m {
                ReferenceOr::Reference { reference } => Some(reference.as_str()),
                ReferenceOr::Item(_) => None,
            })
            .collect();
        let discriminator = schema.schema_data.discriminator.as_ref();
        if let Some((tag, values)) = find_tag(&resolved, &refs, discriminator) {
            return TypeKind::TaggedUnion(
                self.tagged(name, members, &resolved, tag, values, pointer, keyword),
            );
        }
        if keyword == "anyOf"
            && let Some(fields) = self.any_of_objects(name, members, pointer)
        {
            return TypeKind::Struct(fields);
        }
        let mut scope = Scope::new();
        let variants = members
            .iter()
            .enumerate()
            .map(|(i, member)| {
                let member_pointer = format!("{pointer}/{keyword}/{i}");
                let base = match member {
                    ReferenceOr::Reference { reference } => {
                        reference.rsplit('/').next().map(unescape_token)
                    }
                    ReferenceOr::Item(s) => shape_name(s),
                };
                let rust_name = scope.claim(naming::variant_name(
                    &base.unwrap_or_else(|| format!("Variant{i}")),
                ));
                let ty = self.item_type(&format!("{name}{rust_name}"), member, &member_pointer);
                let docs = resolved[i].map_or_else(Docs::default, |s| schema_docs(s, &rust_name));
                ir::UntaggedVariant {
                    rust_name,
                    docs,
                    ty,
                }
            })
            .collect();
        TypeKind::UntaggedUnion(ir::UntaggedUnion { variants })
    }

    /// An `anyOf` of objects written out in place (no `$ref`) describes one
    /// object that has the properties of one or more of them (GitHub's
    /// `protection_rules`: a wait timer, reviewers, or both). Several
    /// members may match at once, and an enum would keep only one: it is
    /// one struct with every member's properties, required where every
    /// member requires them. `None` when a member is not such an object, or
    /// when two members give one property different schemas.
    fn any_of_objects(
        &mut self,
        name: &str,
        members: &[ReferenceOr<Schema>],
        pointer: &str,
    ) -> Option<ir::Struct> {
        if members.len() < 2 {
            return None;
        }
        let mut properties = Properties::new();
        let mut origins = Origins::default();
        let mut required: Option<BTreeSet<&String>> = None;
        for (i, member) in members.iter().enumerate() {
            let ReferenceOr::Item(schema) = member else {
                return None;
            };
            let (these, needed) = object_parts(schema)?;
            if object_additional(schema).is_some() {
                return None;
            }
            for (key, property) in these {
                match properties.get(key) {
                    Some(seen) if !same_schema(seen, property) => return None,
                    Some(_) => {}
                    None => {
                        properties.insert(key.clone(), property.clone());
                        origins.properties.insert(
                            key.clone(),
                            child(&child(&format!("{pointer}/anyOf/{i}"), "properties"), key),
                        );
                    }
                }
            }
            let needed: BTreeSet<&String> = needed.iter().collect();
            required = Some(match required {
                None => needed,
                Some(so_far) => so_far.intersection(&needed).copied().collect(),
            });
        }
        let required: Vec<String> = required.unwrap_or_default().into_iter().cloned().collect();
        Some(self.object(name, &properties, &required, None, pointer, Some(&origins)))
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn tagged(
        &mut self,
        name: &str,
        members: &[ReferenceOr<Schema>],
        resolved: &[Option<&Schema>],
        tag: &str,
        values: TagValues,
        pointer: &str,
        keyword: &str,
    ) -> ir::TaggedUnion {
        let mut scope = Scope::new();
        // The catch-all is named first, so that it keeps its name when a later
        // version of the spec adds a value spelled `unknown`: users' `Unknown(..)`
        // arms keep compiling, and the new value takes the suffix.
        let unknown_variant = scope.claim("Unknown".into());
        let mut variants = Vec::new();
        for (i, (member, (value, aliases))) in members.iter().zip(values).enumerate() {
            let member_pointer = format!("{pointer}/{keyword}/{i}");
            let rust_name = scope.claim(naming::variant_name(&value));
            let docs = described(resolved[i].and_then(|s| s.schema_data.description.as_deref()))
                .unwrap_or_else(|| Docs::from_text(&format!("`{tag}: {value}`.")));
            let payload = match member {
                ReferenceOr::Reference { reference } => {
                    ir::TaggedPayload::Whole(self.resolve_ref(reference, &member_pointer))
                }
                ReferenceOr::Item(s) => {
                    let (properties, required) =
                        object_parts(s).expect("find_tag only accepts objects");
                    let mut rest = properties.clone();
                    rest.shift_remove(tag);
                    if rest.is_empty() {
                        ir::TaggedPayload::Unit
                    } else {
                        let struct_name = self
                            .scope
                            .claim(naming::type_name(&format!("{name}_{value}")));
                        let slot = self.reserve_slot();
                        let fields =
                            self.object(&struct_name, &rest, required, None, &member_pointer, None);
                        self.fill_slot(
                            slot,
                            ir::TypeDef {
                                rust_name: struct_name.clone(),
                                origin: member_pointer.clone(),
                                docs: schema_docs(s, &struct_name),
                                deprecated: s.schema_data.deprecated,
                                kind: TypeKind::Struct(fields),
                            },
                        );
                        ir::TaggedPayload::Fields(TypeRef::Named(struct_name))
                    }
                }
            };
            variants.push(ir::TaggedVariant {
                rust_name,
                tag_value: value,
                aliases,
                docs,
                payload,
            });
        }
        ir::TaggedUnion {
            tag: tag.to_owned(),
            variants,
            unknown_variant,
        }
    }
}

pub(super) fn string_enum(values: Vec<(String, Docs)>) -> ir::StringEnum {
    let mut scope = Scope::new();
    // The catch-all is named first, so that it keeps its name when a later
    // version of the spec adds a value spelled `unknown`: users' `Unknown(..)`
    // arms keep compiling, and the new value takes the suffix.
    let unknown_variant = scope.claim("Unknown".into());
    let mut seen = BTreeSet::new();
    let mut variants = Vec::new();
    for (value, docs) in values {
        if !seen.insert(value.clone()) {
            continue;
        }
        let rust_name = scope.claim(naming::variant_name(&value));
        let docs = match (docs.is_empty(), value.is_empty()) {
            (false, _) => docs,
            (true, false) => Docs::from_text(&format!("`{value}`.")),
            (true, true) => Docs::from_text("The empty string."),
        };
        variants.push(ir::EnumVariant {
            rust_name,
            wire_name: value,
            docs,
        });
    }
    ir::StringEnum {
        variants,
        unknown_variant,
    }
}

/// A `oneOf` whose members are all string enums (the usual way to give each
/// value its own description): their values, with each member's description
/// for the values of single-value members.
pub(super) fn enum_members(members: &[Option<&Schema>]) -> Option<Vec<(String, Docs)>> {
    let mut values = Vec::new();
    for member in members {
        let member = (*member)?;
        let SchemaKind::Type(Type::String(s)) = &member.schema_kind else {
            return None;
        };
        let these: Vec<&String> = s.enumeration.iter().flatten().collect();
        if these.is_empty() {
            return None;
        }
        let docs = match these.len() {
            1 => described(member.schema_data.description.as_deref()).unwrap_or_default(),
            _ => Docs::default(),
        };
        values.extend(these.into_iter().map(|v| (v.clone(), docs.clone())));
    }
    Some(values)
}

/// The properties and required list of an object schema.
pub(super) fn object_parts(schema: &Schema) -> Option<(&Properties, &[String])> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => Some((&o.properties, &o.required)),
        SchemaKind::Any(a) if !a.properties.is_empty() => Some((&a.properties, &a.required)),
        _ => None,
    }
}

/// An object schema's `additionalProperties`, when it allows any.
fn object_additional(schema: &Schema) -> Option<&openapiv3::AdditionalProperties> {
    let additional = match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => o.additional_properties.as_ref(),
        SchemaKind::Any(a) => a.additional_properties.as_ref(),
        _ => None,
    };
    additional.filter(|a| !matches!(a, openapiv3::AdditionalProperties::Any(false)))
}

/// Whether two property schemas give the same type: what only describes
/// the value (its description, title, example) may differ.
fn same_schema(a: &ReferenceOr<Box<Schema>>, b: &ReferenceOr<Box<Schema>>) -> bool {
    fn typed_part(schema: &ReferenceOr<Box<Schema>>) -> ReferenceOr<Box<Schema>> {
        let mut schema = schema.clone();
        if let ReferenceOr::Item(s) = &mut schema {
            let data = &mut s.schema_data;
            data.description = None;
            data.title = None;
            data.example = None;
            data.external_docs = None;
            data.extensions.clear();
        }
        schema
    }
    typed_part(a) == typed_part(b)
}

/// The one value a property's schema allows, if it allows exactly one string.
pub(super) fn single_value(schema: &ReferenceOr<Box<Schema>>) -> Option<String> {
    let ReferenceOr::Item(s) = schema else {
        return None;
    };
    match &s.schema_kind {
        SchemaKind::Type(Type::String(st)) => match st.enumeration.as_slice() {
            [Some(v)] => Some(v.clone()),
            _ => None,
        },
        SchemaKind::Any(a) => match a.enumeration.as_slice() {
            [serde_json::Value::String(v)] => Some(v.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// Each member's tag values: the one written, then aliases read as it.
pub(super) type TagValues = Vec<(String, Vec<String>)>;

/// Finds the property that tags a union, and each member's tag values
/// (the first is the one written).
///
/// Without a `discriminator`, every member must be an object that pins some
/// property to one string (an `enum` of one value, or `const`), no two
/// members the same. With one, its `propertyName` is the tag; a member that
/// does not pin it takes its value from `mapping` (whose values name
/// schemas by `$ref` or by bare name), or else its schema's name, as the
/// OpenAPI specification says.
pub(super) fn find_tag<'s>(
    members: &[Option<&'s Schema>],
    refs: &[Option<&str>],
    discriminator: Option<&'s openapiv3::Discriminator>,
) -> Option<(&'s str, TagValues)> {
    if members.is_empty() {
        return None;
    }
    let pinned = |member: Option<&'s Schema>, tag: &str| {
        member
            .and_then(object_parts)
            .and_then(|(properties, _)| properties.get(tag))
            .and_then(single_value)
    };
    let distinct = |values: &[(String, Vec<String>)]| {
        let all: Vec<&String> = values
            .iter()
            .flat_map(|(v, a)| std::iter::once(v).chain(a))
            .collect();
        all.iter().collect::<BTreeSet<_>>().len() == all.len()
    };
    if let Some(discriminator) = discriminator {
        let tag = discriminator.property_name.as_str();
        let mut values = Vec::new();
        for (member, reference) in members.iter().zip(refs) {
            if let Some(value) = pinned(*member, tag) {
                values.push((value, Vec::new()));
                continue;
            }
            let reference = (*reference)?;
            let name = unescape_token(reference.rsplit('/').next().unwrap_or(reference));
            let mut keys: Vec<String> = discriminator
                .mapping
                .iter()
                .filter(|(_, target)| *target == reference || **target == name)
                .map(|(key, _)| key.clone())
                .collect();
            if keys.is_empty() {
                keys.push(name);
            }
            let first = keys.remove(0);
            values.push((first, keys));
        }
        return distinct(&values).then_some((tag, values));
    }
    let first = members[0].and_then(object_parts)?;
    'candidates: for tag in first.0.keys() {
        let mut values = Vec::new();
        for member in members {
            let Some(value) = pinned(*member, tag) else {
                continue 'candidates;
            };
            values.push((value, Vec::new()));
        }
        if distinct(&values) {
            return Some((tag.as_str(), values));
        }
    }
    None
}

/// A variant name for an untagged member, from its shape.
pub(super) fn shape_name(schema: &Schema) -> Option<String> {
    let name = match &schema.schema_kind {
        SchemaKind::Type(Type::String(_)) => "String",
        SchemaKind::Type(Type::Integer(_)) => "Integer",
        SchemaKind::Type(Type::Number(_)) => "Number",
        SchemaKind::Type(Type::Boolean(_)) => "Boolean",
        SchemaKind::Type(Type::Array(_)) => "Array",
        // An object is best known by its title, else by what it must have.
        SchemaKind::Type(Type::Object(o)) => {
            return schema
                .schema_data
                .title
                .clone()
                .or_else(|| o.required.first().cloned())
                .or_else(|| o.properties.keys().next().cloned())
                .or_else(|| Some("Object".to_owned()));
        }
        _ => return schema.schema_data.title.clone(),
    };
    Some(name.to_owned())
}
