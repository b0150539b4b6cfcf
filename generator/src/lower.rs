//! Phase 2: `openapiv3::OpenAPI` → [`ir::Api`].
//!
//! Every decision is made here: which schemas become which kind of Rust type,
//! what each thing is called, what is optional, where a recursive type needs a
//! `Box`. Types are lowered in two passes (typify's `TypeSpace`, prost's
//! message graph): first every component schema reserves its Rust name, so a
//! `$ref` resolves to a name whatever the order; then each schema is
//! converted, and inline schemas that need a name of their own (objects,
//! enums, unions) are hoisted to named types right after their parent.
//! Errors are collected, not returned at the first one.

use crate::diagnostics::{Diagnostic, Problem, child};
use crate::ir::{self, Docs, IntKind, Presence, TypeKind, TypeRef};
use crate::markdown;
use crate::naming::{self, Scope};
use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, OpenAPI, Parameter, ReferenceOr, Schema, SchemaKind, StatusCode, Type,
    VariantOrUnknownOrEmpty,
};
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

/// Methods of the generated `Client` that operations must not take.
const CLIENT_METHODS: &[&str] = &[
    "new",
    "with_base_url",
    "with_http_client",
    "base_url",
    "http_client",
    "send",
];

/// The names a generated method's body uses for itself; arguments do not
/// take them (a query parameter called `url` must not be shadowed by the
/// URL being built).
const METHOD_LOCALS: &[&str] = &["self", "url", "request", "query", "status", "bytes"];

/// Lowers a loaded document. `file` names the input in diagnostics.
pub fn lower(file: &str, api: &OpenAPI) -> Result<ir::Api, Vec<Diagnostic>> {
    let mut cx = Lowerer::new(file, api);
    cx.reserve_components();
    cx.lower_components();
    let operations = cx.lower_operations();
    let client = cx.lower_client();
    if !cx.errors.is_empty() {
        return Err(cx.errors);
    }
    let mut types: Vec<ir::TypeDef> = cx
        .types
        .into_iter()
        .map(|t| t.expect("every reserved slot is filled"))
        .collect();
    let cycles = crate::cycles::alias_cycles(&types);
    if !cycles.is_empty() {
        return Err(cycles
            .into_iter()
            .map(|c| alias_cycle_error(file, c))
            .collect());
    }
    read_only_nullables(&mut types, &operations);
    let mut skipped = cx.skipped;
    type_defaults(&mut types, &mut skipped);
    crate::cycles::box_recursive_types(&mut types);
    let mut operations = operations;
    crate::layout::box_large_variants(&mut types, &mut operations);
    let info = &api.info;
    let mut docs = spec_docs(info.description.as_deref().unwrap_or(""));
    if docs.is_empty() {
        docs = Docs::from_text(&format!("A client for {}.", info.title));
    }
    Ok(ir::Api {
        title: info.title.clone(),
        version: info.version.clone(),
        docs,
        types,
        client,
        operations,
        skipped,
    })
}

struct Lowerer<'a> {
    file: &'a str,
    api: &'a OpenAPI,
    /// Component schema key → Rust type name.
    names: IndexMap<&'a str, String>,
    /// The names in the `types` module.
    scope: Scope,
    /// Output types; a slot is reserved (`None`) before its type is lowered,
    /// so a hoisted type lands right after the type it was found in.
    types: Vec<Option<ir::TypeDef>>,
    errors: Vec<Diagnostic>,
    skipped: Vec<ir::Skipped>,
    /// Names of the functions that return default values.
    default_fns: Scope,
    /// Inline schemas already hoisted, by pointer.
    hoisted: std::collections::HashMap<String, TypeRef>,
}

/// A component (or an inline object) with the pointer it is defined at, and
/// its key when it is a component.
struct Located<'a, T> {
    item: &'a T,
    pointer: String,
    key: Option<&'a str>,
}

/// A schema with the pointer it was found at.
#[derive(Clone, Copy)]
struct At<'s> {
    schema: &'s Schema,
    pointer: &'s str,
}

impl<'a> Lowerer<'a> {
    fn new(file: &'a str, api: &'a OpenAPI) -> Self {
        Lowerer {
            file,
            api,
            names: IndexMap::new(),
            scope: Scope::new(),
            types: Vec::new(),
            errors: Vec::new(),
            skipped: Vec::new(),
            default_fns: Scope::new(),
            hoisted: std::collections::HashMap::new(),
        }
    }

    /// Records something the generated crate leaves out, with why.
    fn skip(&mut self, pointer: &str, message: impl Into<String>) {
        self.skipped.push(ir::Skipped {
            pointer: pointer.to_owned(),
            message: message.into(),
        });
    }

    fn error(&mut self, pointer: &str, problem: Problem) {
        self.errors.push(Diagnostic {
            file: self.file.to_owned(),
            pointer: pointer.to_owned(),
            line_col: None,
            problem,
        });
    }

    // ----- types -------------------------------------------------------------

    /// Names every component schema before any is lowered, so references
    /// resolve in any order. Two schemas whose names are the same in Rust
    /// (`foo-bar` and `FooBar`) are an error: a number appended to one would
    /// not tell a reader which is which. `x-rust-name` settles it.
    fn reserve_components(&mut self) {
        let mut taken_by: BTreeMap<String, &str> = BTreeMap::new();
        for (key, schema) in component_schemas(self.api) {
            let pointer = child("#/components/schemas", key);
            let wanted = match rust_name_extension(schema) {
                Some(name) => naming::type_name(name),
                None => naming::type_name(key),
            };
            if let Some(other) = taken_by.get(&wanted) {
                self.error(
                    &pointer,
                    Problem::Inconsistent(format!(
                        "the schemas `{other}` and `{key}` would both be the Rust type `{wanted}`, \
                         and nothing would tell them apart; rename one, or give one an `x-rust-name`"
                    )),
                );
            } else {
                taken_by.insert(wanted.clone(), key);
            }
            let name = self.scope.claim(wanted);
            self.names.insert(key.as_str(), name);
        }
    }

    fn lower_components(&mut self) {
        for (key, schema) in component_schemas(self.api) {
            let pointer = child("#/components/schemas", key);
            let name = self.names[key.as_str()].clone();
            match schema {
                ReferenceOr::Item(schema) => {
                    self.define(
                        name,
                        At {
                            schema,
                            pointer: &pointer,
                        },
                    );
                }
                ReferenceOr::Reference { reference } => {
                    // A component that is only a `$ref`: an alias.
                    let target = self.resolve_ref(reference, &pointer);
                    let slot = self.reserve_slot();
                    self.fill_slot(
                        slot,
                        ir::TypeDef {
                            rust_name: name.clone(),
                            origin: pointer.clone(),
                            docs: Docs::from_text(&format!(
                                "Another name for the `{key}` schema's target."
                            )),
                            deprecated: false,
                            kind: TypeKind::Alias(target),
                        },
                    );
                }
            }
        }
    }

    fn reserve_slot(&mut self) -> usize {
        self.types.push(None);
        self.types.len() - 1
    }

    fn fill_slot(&mut self, slot: usize, def: ir::TypeDef) {
        self.types[slot] = Some(def);
    }

    /// Lowers `at` into the named type `name`, whose name is already claimed.
    fn define(&mut self, name: String, at: At<'_>) {
        let slot = self.reserve_slot();
        let kind = self.type_kind(&name, at);
        let docs = schema_docs(at.schema, &name);
        self.fill_slot(
            slot,
            ir::TypeDef {
                rust_name: name,
                origin: at.pointer.to_owned(),
                docs,
                deprecated: at.schema.schema_data.deprecated,
                kind,
            },
        );
    }

    /// What kind of named type a schema is.
    fn type_kind(&mut self, name: &str, at: At<'_>) -> TypeKind {
        let schema = at.schema;
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) if !object.properties.is_empty() => {
                TypeKind::Struct(self.object(
                    name,
                    &object.properties,
                    &object.required,
                    object.additional_properties.as_ref(),
                    at.pointer,
                    None,
                ))
            }
            SchemaKind::Type(Type::String(s)) if !s.enumeration.is_empty() => {
                let values: Vec<(String, Docs)> = s
                    .enumeration
                    .iter()
                    .flatten()
                    .map(|v| (v.clone(), Docs::default()))
                    .collect();
                TypeKind::StringEnum(string_enum(values))
            }
            SchemaKind::OneOf { one_of } => self.union(name, one_of, schema, at.pointer, "oneOf"),
            SchemaKind::AnyOf { any_of } => self.union(name, any_of, schema, at.pointer, "anyOf"),
            SchemaKind::AllOf { all_of } => self.all_of(name, all_of, at.pointer),
            SchemaKind::Any(any) if !any.properties.is_empty() => TypeKind::Struct(self.object(
                name,
                &any.properties,
                &any.required,
                any.additional_properties.as_ref(),
                at.pointer,
                None,
            )),
            SchemaKind::Any(any) if is_string_values(&any.enumeration) => {
                let values = any
                    .enumeration
                    .iter()
                    .filter_map(|v| v.as_str())
                    .map(|v| (v.to_owned(), Docs::default()))
                    .collect();
                TypeKind::StringEnum(string_enum(values))
            }
            SchemaKind::Any(any) if !any.one_of.is_empty() => {
                self.union(name, &any.one_of, schema, at.pointer, "oneOf")
            }
            SchemaKind::Any(any) if !any.any_of.is_empty() => {
                self.union(name, &any.any_of, schema, at.pointer, "anyOf")
            }
            SchemaKind::Any(any) if !any.all_of.is_empty() => {
                self.all_of(name, &any.all_of, at.pointer)
            }
            _ => TypeKind::Alias(json_safe(self.type_of(name, at))),
        }
    }

    /// The type of a schema where it is used (a field, an item, a body).
    /// Schemas that need a name are hoisted with a name built from `hint`.
    fn type_ref<S: AsSchema>(
        &mut self,
        hint: &str,
        schema: &ReferenceOr<S>,
        pointer: &str,
    ) -> TypeRef {
        match schema {
            ReferenceOr::Reference { reference } => self.resolve_ref(reference, pointer),
            ReferenceOr::Item(s) => {
                let at = At {
                    schema: s.as_schema(),
                    pointer,
                };
                if needs_name(at.schema) {
                    // A schema shared through a component (a parameter, a
                    // body, a response) is hoisted once.
                    // Remembered before it is lowered: a schema that reaches
                    // itself (through an `allOf` that includes a schema whose
                    // `additionalProperties` is this one) refers to its name.
                    if let Some(ty) = self.hoisted.get(pointer) {
                        return ty.clone();
                    }
                    let name = self.scope.claim(naming::type_name(hint));
                    let ty = TypeRef::Named(name.clone());
                    self.hoisted.insert(pointer.to_owned(), ty.clone());
                    self.define(name, at);
                    ty
                } else {
                    json_safe(self.type_of(hint, at))
                }
            }
        }
    }

    /// Like [`Self::type_ref`], wrapped in `Option` when the schema is nullable
    /// (for values inside containers, where no field presence applies).
    fn item_type<S: AsSchema>(
        &mut self,
        hint: &str,
        schema: &ReferenceOr<S>,
        pointer: &str,
    ) -> TypeRef {
        let ty = self.type_ref(hint, schema, pointer);
        if self.is_nullable(schema) {
            TypeRef::Option(Box::new(ty))
        } else {
            ty
        }
    }

    /// The type of a schema that does not need a name of its own.
    fn type_of(&mut self, hint: &str, at: At<'_>) -> TypeRef {
        let pointer = at.pointer;
        match &at.schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => match &s.format {
                VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::DateTime) => {
                    TypeRef::DateTime
                }
                VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Date) => TypeRef::Date,
                VariantOrUnknownOrEmpty::Item(
                    openapiv3::StringFormat::Byte | openapiv3::StringFormat::Binary,
                ) => TypeRef::Bytes,
                VariantOrUnknownOrEmpty::Unknown(f) if f == "uuid" => TypeRef::Uuid,
                VariantOrUnknownOrEmpty::Unknown(f) if is_decimal_format(f) => TypeRef::Decimal,
                _ => TypeRef::String,
            },
            SchemaKind::Type(Type::Number(n)) => match &n.format {
                VariantOrUnknownOrEmpty::Item(openapiv3::NumberFormat::Float) => TypeRef::F32,
                VariantOrUnknownOrEmpty::Unknown(f) if is_decimal_format(f) => TypeRef::Decimal,
                _ => TypeRef::F64,
            },
            SchemaKind::Type(Type::Integer(i)) => TypeRef::Integer(match &i.format {
                VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => IntKind::I32,
                VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int64) => IntKind::I64,
                VariantOrUnknownOrEmpty::Unknown(f) => match f.as_str() {
                    "int8" => IntKind::I8,
                    "int16" => IntKind::I16,
                    "uint8" => IntKind::U8,
                    "uint16" => IntKind::U16,
                    "uint32" | "uint" => IntKind::U32,
                    "uint64" => IntKind::U64,
                    _ => IntKind::I64,
                },
                VariantOrUnknownOrEmpty::Empty => IntKind::I64,
            }),
            SchemaKind::Type(Type::Boolean(_)) => TypeRef::Bool,
            SchemaKind::Type(Type::Array(a)) => match &a.items {
                Some(items) => {
                    let item =
                        self.item_type(&format!("{hint}Item"), items, &format!("{pointer}/items"));
                    TypeRef::Vec(Box::new(item))
                }
                None => TypeRef::Vec(Box::new(TypeRef::Json)),
            },
            SchemaKind::Type(Type::Object(o)) => {
                self.map_of(hint, o.additional_properties.as_ref(), pointer)
            }
            SchemaKind::Any(any) => {
                if let Some(items) = &any.items {
                    let item =
                        self.item_type(&format!("{hint}Item"), items, &format!("{pointer}/items"));
                    TypeRef::Vec(Box::new(item))
                } else if any.additional_properties.is_some() {
                    self.map_of(hint, any.additional_properties.as_ref(), pointer)
                } else {
                    TypeRef::Json
                }
            }
            SchemaKind::AllOf { all_of } if all_of.len() == 1 => {
                self.type_ref(hint, &all_of[0], &format!("{pointer}/allOf/0"))
            }
            SchemaKind::Not { .. } => {
                self.skip(
                    pointer,
                    "`not` cannot be expressed as a Rust type; the value is any JSON value",
                );
                TypeRef::Json
            }
            // Everything else that reaches here either was hoisted (see
            // `needs_name`) or has no better Rust type than any JSON value.
            _ => TypeRef::Json,
        }
    }

    fn map_of(
        &mut self,
        hint: &str,
        additional: Option<&AdditionalProperties>,
        pointer: &str,
    ) -> TypeRef {
        match additional {
            Some(AdditionalProperties::Schema(s)) => {
                let value = self.item_type(
                    &format!("{hint}Value"),
                    s,
                    &format!("{pointer}/additionalProperties"),
                );
                TypeRef::Map(Box::new(value))
            }
            Some(AdditionalProperties::Any(true)) => TypeRef::Map(Box::new(TypeRef::Json)),
            _ => TypeRef::Json,
        }
    }

    fn resolve_ref(&mut self, reference: &str, pointer: &str) -> TypeRef {
        let pointer = child(pointer, "$ref");
        match reference.strip_prefix("#/components/schemas/") {
            Some(key) => match self.names.get(unescape_token(key).as_str()) {
                Some(name) => TypeRef::Named(name.clone()),
                None => {
                    self.error(&pointer, Problem::DanglingRef(reference.to_owned()));
                    TypeRef::Json
                }
            },
            None if reference.starts_with('#') => {
                self.error(&pointer, Problem::Unsupported(format!(
                    "`$ref: {reference}`: only references to `#/components/schemas/...` are supported here"
                )));
                TypeRef::Json
            }
            None => {
                self.error(&pointer, Problem::ExternalRef(reference.to_owned()));
                TypeRef::Json
            }
        }
    }

    /// The schema a `$ref` names, if it is a component schema.
    fn deref<'s, S: AsSchema>(&self, schema: &'s ReferenceOr<S>) -> Option<&'s Schema>
    where
        'a: 's,
    {
        let mut current: &ReferenceOr<Schema>;
        let reference = match schema {
            ReferenceOr::Item(s) => return Some(s.as_schema()),
            ReferenceOr::Reference { reference } => reference,
        };
        let mut reference: &str = reference;
        // Follow chains of component aliases, at most as many as there are.
        for _ in 0..=self.names.len() {
            let key = unescape_token(reference.strip_prefix("#/components/schemas/")?);
            current = self.api.components.as_ref()?.schemas.get(key.as_str())?;
            match current {
                ReferenceOr::Item(s) => return Some(s),
                ReferenceOr::Reference { reference: next } => reference = next,
            }
        }
        None
    }

    fn is_nullable<S: AsSchema>(&self, schema: &ReferenceOr<S>) -> bool {
        self.deref(schema).is_some_and(|s| s.schema_data.nullable)
    }

    fn object(
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
                (false, true) => {
                    if let Some(value) = default {
                        self.skip(&origin, format!(
                            "`default: {value}` is not applied to a nullable property; when absent it reads as `None`"
                        ));
                    }
                    Presence::OptionalNullable
                }
                (false, false) => match default {
                    None => Presence::Optional,
                    Some(value) => match self.default_literal(&ty, schema, value) {
                        Ok(value) => {
                            let function = self
                                .default_fns
                                .claim(naming::value_name(&format!("{type_name}_{wire_name}")));
                            Presence::Defaulted(ir::DefaultValue { function, value })
                        }
                        Err(why) => {
                            self.skip(&origin, format!(
                                "`default: {value}` is not applied ({why}); when absent the field reads as `None`"
                            ));
                            Presence::Optional
                        }
                    },
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

    /// The Rust value of a property's `default`, when it fits the field's
    /// type; otherwise why not.
    fn default_literal(
        &self,
        ty: &TypeRef,
        schema: &ReferenceOr<Box<Schema>>,
        value: &serde_json::Value,
    ) -> Result<ir::Literal, &'static str> {
        use serde_json::Value;
        match (ty, value) {
            (TypeRef::Bool, Value::Bool(b)) => Ok(ir::Literal::Bool(*b)),
            (TypeRef::Integer(kind), Value::Number(n)) => {
                let n = n
                    .as_i64()
                    .map(i128::from)
                    .or_else(|| n.as_u64().map(i128::from))
                    .ok_or("not an integer")?;
                if int_range(*kind).contains(&n) {
                    Ok(ir::Literal::Integer(n))
                } else {
                    Err("out of the integer type's range")
                }
            }
            (TypeRef::F32 | TypeRef::F64, Value::Number(n)) => n
                .as_f64()
                .filter(|f| f.is_finite())
                .map(ir::Literal::Float)
                .ok_or("not a finite number"),
            (TypeRef::String, Value::String(text)) => Ok(ir::Literal::Str(text.clone())),
            (TypeRef::Named(_), Value::String(text)) => {
                // Through `allOf: [$ref]` wrappers, to the schema itself.
                let mut target = self.deref(schema);
                for _ in 0..=self.names.len() {
                    match target.map(|s| &s.schema_kind) {
                        Some(SchemaKind::AllOf { all_of }) if all_of.len() == 1 => {
                            target = self.deref(&all_of[0]);
                        }
                        _ => break,
                    }
                }
                if target.is_some_and(is_string_enum) {
                    Ok(ir::Literal::Str(text.clone()))
                } else {
                    Err("only string-enum defaults are applied to named types")
                }
            }
            (TypeRef::Vec(_), Value::Array(items)) if items.is_empty() => Ok(ir::Literal::EmptyVec),
            (TypeRef::Bytes, Value::String(text)) if text.is_empty() => Ok(ir::Literal::EmptyVec),
            (TypeRef::Vec(item), Value::Array(items))
                if matches!(
                    **item,
                    TypeRef::Bool
                        | TypeRef::Integer(_)
                        | TypeRef::F32
                        | TypeRef::F64
                        | TypeRef::String
                ) =>
            {
                items
                    .iter()
                    .map(|value| self.default_literal(item, schema, value))
                    .collect::<Result<_, _>>()
                    .map(ir::Literal::Vec)
            }
            (TypeRef::Map(_), Value::Object(map)) if map.is_empty() => Ok(ir::Literal::EmptyMap),
            // Checked once every type is lowered: see `type_defaults`.
            (TypeRef::Named(_), Value::Object(map)) if map.is_empty() => {
                Ok(ir::Literal::TypeDefault)
            }
            (TypeRef::Vec(_) | TypeRef::Map(_), _) => Err(
                "only empty objects, and arrays of booleans, numbers and strings, are applied as defaults",
            ),
            _ => Err("the value does not match the property's type"),
        }
    }

    fn all_of(&mut self, name: &str, members: &[ReferenceOr<Schema>], pointer: &str) -> TypeKind {
        if let [only] = members {
            return TypeKind::Alias(self.type_ref(name, only, &format!("{pointer}/allOf/0")));
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
        let mut stack: Vec<(&ReferenceOr<Schema>, String, Chain)> = {
            let chain = Rc::new(vec![pointer.to_owned()]);
            members
                .iter()
                .enumerate()
                .rev()
                .map(|(i, m)| (m, format!("{pointer}/allOf/{i}"), chain.clone()))
                .collect()
        };
        while let Some((member, member_pointer, chain)) = stack.pop() {
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
                self.error(
                    &member_pointer,
                    Problem::Inconsistent(format!(
                        "`allOf` goes around in a circle ({}): the schema includes itself, so it has no finite shape",
                        circle.join(" → ")
                    )),
                );
                break;
            }
            let Some(schema) = self.deref(member) else {
                if let ReferenceOr::Reference { reference } = member {
                    self.resolve_ref(reference, &member_pointer);
                }
                continue;
            };
            // Where the member's pieces are defined: a piece lowered where it
            // is defined is lowered once, however many schemas include it.
            let own = match &schema.schema_kind {
                SchemaKind::Type(Type::Object(o)) => {
                    Some((&o.properties, &o.required, o.additional_properties.as_ref()))
                }
                SchemaKind::Any(a) if a.all_of.is_empty() => {
                    Some((&a.properties, &a.required, a.additional_properties.as_ref()))
                }
                _ => None,
            };
            if let Some((own, own_required, own_additional)) = own {
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
            match &schema.schema_kind {
                SchemaKind::AllOf { all_of } => {
                    let mut inner = (*chain).clone();
                    inner.push(base.clone());
                    let inner = Rc::new(inner);
                    for (i, m) in all_of.iter().enumerate().rev() {
                        stack.push((m, format!("{base}/allOf/{i}"), inner.clone()));
                    }
                }
                _ => self.error(
                    &member_pointer,
                    Problem::Unsupported(
                        "an `allOf` member that is not an object cannot be merged into a struct"
                            .into(),
                    ),
                ),
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

    fn union(
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

    #[allow(clippy::too_many_arguments)]
    fn tagged(
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
            let docs = match resolved[i].and_then(|s| s.schema_data.description.as_ref()) {
                Some(d) => spec_docs(d),
                None => Docs::from_text(&format!("`{tag}: {value}`.")),
            };
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

    // ----- operations ---------------------------------------------------------

    fn lower_operations(&mut self) -> Vec<ir::Operation> {
        let mut methods = Scope::with_reserved(CLIENT_METHODS);
        let mut operations = Vec::new();
        let mut found = Vec::new();
        for (path, item) in self.api.paths.paths.iter() {
            let path_pointer = child("#/paths", path);
            let item = match item {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { reference } => {
                    self.error(
                        &path_pointer,
                        Problem::Unsupported(format!("path item `$ref: {reference}`")),
                    );
                    continue;
                }
            };
            for (method, op) in item.iter() {
                found.push((
                    path,
                    method,
                    op,
                    &item.parameters[..],
                    child(&path_pointer, method),
                ));
            }
        }
        // The names the document gives come first, so a name made up for an
        // operation without an `operationId` never takes one of them.
        let mut given: BTreeMap<String, (&str, String)> = BTreeMap::new();
        let mut names = Vec::with_capacity(found.len());
        for (_, _, op, _, pointer) in &found {
            let id = match (op.extensions.get("x-rust-name"), op.operation_id.as_deref()) {
                (Some(serde_json::Value::String(name)), _) => Some((name.as_str(), "x-rust-name")),
                (_, Some(id)) => Some((id, "operationId")),
                (_, None) => None,
            };
            let Some((id, key)) = id else {
                names.push(None);
                continue;
            };
            let wanted = naming::value_name(id);
            let at = child(pointer, key);
            match given.get(&wanted) {
                Some((other, other_at)) if *other == id => self.error(
                    &at,
                    Problem::Inconsistent(format!(
                        "duplicate {key} `{id}`: {other_at} has it too; each operation needs its own"
                    )),
                ),
                Some((other, other_at)) => self.error(
                    &at,
                    Problem::Inconsistent(format!(
                        "`{id}` and `{other}` (at {other_at}) would both be the method `{wanted}`, \
                         and nothing would tell them apart; rename one, or give one an `x-rust-name`"
                    )),
                ),
                None => {
                    given.insert(wanted.clone(), (id, at));
                }
            }
            names.push(Some(methods.claim(wanted)));
        }
        for ((path, method, op, shared, pointer), name) in found.into_iter().zip(names) {
            if !op.callbacks.is_empty() {
                self.skip(
                    &child(&pointer, "callbacks"),
                    "callbacks are requests the server makes; the client does not receive them",
                );
            }
            let rust_name = name
                .unwrap_or_else(|| methods.claim(naming::value_name(&format!("{method}_{path}"))));
            if let Some(op) = self.operation(rust_name, path, method, op, shared, &pointer) {
                operations.push(op);
            }
        }
        operations
    }

    fn operation(
        &mut self,
        rust_name: String,
        path: &str,
        method: &str,
        op: &'a openapiv3::Operation,
        shared_params: &'a [ReferenceOr<Parameter>],
        pointer: &str,
    ) -> Option<ir::Operation> {
        let operation_id = op
            .operation_id
            .clone()
            .unwrap_or_else(|| format!("{method}_{path}"));
        let type_hint = naming::type_name(naming::unraw(&rust_name));

        // Parameters: those of the operation override those of the path item.
        let mut declared: IndexMap<(String, &'static str), (&Parameter, String, String)> =
            IndexMap::new();
        let item_pointer = pointer
            .rsplit_once('/')
            .map_or(pointer, |(parent, _)| parent);
        let lists = [
            (shared_params, child(item_pointer, "parameters")),
            (&op.parameters[..], child(pointer, "parameters")),
        ];
        for (list, list_pointer) in lists {
            for (i, p) in list.iter().enumerate() {
                let p_pointer = format!("{list_pointer}/{i}");
                let Some(Located {
                    item: param,
                    pointer: p_pointer,
                    key,
                }) = self.component(p, "parameters", |c| &c.parameters, &p_pointer)
                else {
                    continue;
                };
                let hint = match key {
                    Some(key) => key.to_owned(),
                    None => format!("{type_hint}_{}", param.parameter_data_ref().name),
                };
                let location = match param {
                    Parameter::Path { .. } => "path",
                    Parameter::Query { .. } => "query",
                    Parameter::Header { .. } => "header",
                    Parameter::Cookie { .. } => "cookie",
                };
                declared.insert(
                    (param.parameter_data_ref().name.clone(), location),
                    (param, p_pointer, hint),
                );
            }
        }

        let mut args = Scope::with_reserved(METHOD_LOCALS);
        let mut params = Vec::new();
        let mut parts = Vec::new();
        // Path parameters, in the order the template has them.
        let mut rest = path;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}').map(|c| open + c) else {
                self.error(
                    pointer,
                    Problem::Inconsistent(format!("path template `{path}` has an unclosed `{{`")),
                );
                return None;
            };
            if open > 0 {
                parts.push(ir::PathPart::Literal(rest[..open].to_owned()));
            }
            let name = &rest[open + 1..close];
            match declared.get(&(name.to_owned(), "path")) {
                Some((param, p_pointer, hint)) => {
                    let param =
                        self.param(&mut args, hint, param, ir::ParamLocation::Path, p_pointer);
                    parts.push(ir::PathPart::Param(param.rust_name.clone()));
                    params.push(param);
                }
                None => {
                    self.error(pointer, Problem::Inconsistent(format!(
                        "path template `{path}` uses `{{{name}}}`, but the operation declares no path parameter `{name}`"
                    )));
                    return None;
                }
            }
            rest = &rest[close + 1..];
        }
        if !rest.is_empty() {
            parts.push(ir::PathPart::Literal(rest.to_owned()));
        }
        for ((name, location), (param, p_pointer, hint)) in &declared {
            let location = match *location {
                "path" => {
                    if !path.contains(&format!("{{{name}}}")) {
                        self.error(p_pointer, Problem::Inconsistent(format!(
                            "path parameter `{name}` does not appear in the path template `{path}`"
                        )));
                    }
                    continue;
                }
                "query" => ir::ParamLocation::Query,
                "header" => ir::ParamLocation::Header,
                _ => {
                    self.error(
                        p_pointer,
                        Problem::Unsupported(format!("cookie parameter `{name}`")),
                    );
                    continue;
                }
            };
            params.push(self.param(&mut args, hint, param, location, p_pointer));
        }

        let body = match &op.request_body {
            None => None,
            Some(body) => {
                self.request_body(&mut args, &type_hint, body, &child(pointer, "requestBody"))
            }
        };
        let responses_pointer = child(pointer, "responses");
        let success = self.response(&type_hint, op, &responses_pointer, true);
        let error = self.response(&type_hint, op, &responses_pointer, false);

        let mut docs = Docs::default();
        if let Some(summary) = &op.summary {
            docs.push_paragraph(&markdown::rustdoc(summary));
        }
        if let Some(description) = &op.description {
            docs.push_paragraph(&markdown::rustdoc(description));
        }
        docs.push_paragraph(&format!("`{} {}`", method.to_uppercase(), path));
        let mut arg_docs = String::new();
        for p in &params {
            let text = p.docs.0.join(" ");
            arg_docs.push_str(&format!("- `{}`: {}\n", naming::unraw(&p.rust_name), text));
        }
        if let Some(b) = &body {
            arg_docs.push_str(&format!("- `{}`: the request body.\n", b.rust_name));
        }
        if !arg_docs.is_empty() {
            docs.push_paragraph(&format!("Arguments:\n{arg_docs}"));
        }
        Some(ir::Operation {
            rust_name,
            operation_id,
            origin: pointer.to_owned(),
            docs,
            deprecated: op.deprecated,
            method: method.to_uppercase(),
            path_template: path.to_owned(),
            path: parts,
            params,
            body,
            success,
            error,
        })
    }

    /// What a `$ref`-or-object stands for: the object itself, or the
    /// component it names in `section` (`parameters`, `requestBodies`, ...).
    /// A reference to nothing is reported, and gives `None`.
    ///
    /// A component is lowered where it is defined: the pointer returned is
    /// the component's own, and so is the name hint (its key), so that every
    /// operation that shares it shares the types hoisted from it.
    fn component<T>(
        &mut self,
        item: &'a ReferenceOr<T>,
        section: &str,
        pick: fn(&'a openapiv3::Components) -> &'a IndexMap<String, ReferenceOr<T>>,
        pointer: &str,
    ) -> Option<Located<'a, T>> {
        let reference = match item {
            ReferenceOr::Item(t) => {
                return Some(Located {
                    item: t,
                    pointer: pointer.to_owned(),
                    key: None,
                });
            }
            ReferenceOr::Reference { reference } => reference,
        };
        let found = reference
            .strip_prefix(&format!("#/components/{section}/"))
            .map(unescape_token)
            .and_then(|key| {
                let (key, item) =
                    pick(self.api.components.as_ref()?).get_key_value(key.as_str())?;
                Some(Located {
                    item: item.as_item()?,
                    pointer: child(&format!("#/components/{section}"), key),
                    key: Some(key.as_str()),
                })
            });
        if found.is_none() {
            self.error(
                &child(pointer, "$ref"),
                Problem::DanglingRef(reference.clone()),
            );
        }
        found
    }

    /// One parameter; `hint` names the types hoisted from its schema.
    fn param(
        &mut self,
        args: &mut Scope,
        hint: &str,
        param: &Parameter,
        location: ir::ParamLocation,
        pointer: &str,
    ) -> ir::Param {
        let data = param.parameter_data_ref();
        let rust_name = args.claim(naming::value_name(&data.name));
        let ty = match &data.format {
            openapiv3::ParameterSchemaOrContent::Schema(s) => {
                self.type_ref(hint, s, &child(pointer, "schema"))
            }
            openapiv3::ParameterSchemaOrContent::Content(_) => {
                self.skip(
                    pointer,
                    "a parameter described by `content` rather than `schema` is taken as a string, sent as it is",
                );
                TypeRef::String
            }
        };
        let mut docs = match &data.description {
            Some(d) => spec_docs(d),
            None => Docs::from_text(&format!("The `{}` parameter.", data.name)),
        };
        if data.deprecated == Some(true) {
            docs.0.insert(0, "(Deprecated.)".into());
        }
        let is_vec = matches!(ty, TypeRef::Vec(_));
        ir::Param {
            rust_name,
            wire_name: data.name.clone(),
            location,
            docs,
            ty,
            required: data.required || location == ir::ParamLocation::Path,
            deprecated: data.deprecated.unwrap_or(false),
            delimiter: match param {
                Parameter::Query { style, .. } if is_vec => match style {
                    openapiv3::QueryStyle::SpaceDelimited => Some(" ".to_owned()),
                    openapiv3::QueryStyle::PipeDelimited => Some("|".to_owned()),
                    _ if data.explode == Some(false) => Some(",".to_owned()),
                    _ => None,
                },
                _ => None,
            },
        }
    }

    fn request_body(
        &mut self,
        args: &mut Scope,
        type_hint: &str,
        body: &'a ReferenceOr<openapiv3::RequestBody>,
        pointer: &str,
    ) -> Option<ir::RequestBody> {
        let Located {
            item: body,
            pointer,
            key,
        } = self.component(body, "requestBodies", |c| &c.request_bodies, pointer)?;
        let pointer = pointer.as_str();
        // Of the media types offered, the one the client can build best.
        let Some((media_type, content)) = body
            .content
            .iter()
            .min_by_key(|(media_type, _)| MediaKind::of(media_type))
        else {
            self.skip(
                pointer,
                "the request body names no media type, so the method sends none",
            );
            return None;
        };
        let schema_pointer = format!("{}/schema", child(&child(pointer, "content"), media_type));
        let hint = match key {
            Some(key) => key.to_owned(),
            None => format!("{type_hint}Body"),
        };
        let body_type = |cx: &mut Self| match &content.schema {
            Some(s) => cx.type_ref(&hint, s, &schema_pointer),
            None => TypeRef::Json,
        };
        let (kind, sent_type) = match MediaKind::of(media_type) {
            MediaKind::Json => (ir::BodyKind::Json(body_type(self)), media_type.clone()),
            MediaKind::Form => (ir::BodyKind::Form(body_type(self)), media_type.clone()),
            MediaKind::Multipart => {
                let ty = body_type(self);
                let Some(parts) = self.multipart_parts(&ty) else {
                    self.error(
                        &schema_pointer,
                        Problem::Unsupported(
                            "a multipart body whose schema is not an object with properties (each property becomes a part)"
                                .into(),
                        ),
                    );
                    return None;
                };
                (ir::BodyKind::Multipart { ty, parts }, media_type.clone())
            }
            MediaKind::Text => (ir::BodyKind::Text, media_type.clone()),
            MediaKind::Bytes if media_type.contains('*') => {
                (ir::BodyKind::Bytes, "application/octet-stream".to_owned())
            }
            MediaKind::Bytes => (ir::BodyKind::Bytes, media_type.clone()),
        };
        Some(ir::RequestBody {
            rust_name: args.claim("body".into()),
            media_type: sent_type,
            kind,
            required: body.required,
        })
    }

    /// The parts of a multipart body: one per field of its struct.
    fn multipart_parts(&self, ty: &TypeRef) -> Option<Vec<ir::MultipartPart>> {
        let TypeRef::Named(name) = ty else {
            return None;
        };
        let def = self.types.iter().flatten().find(|t| &t.rust_name == name)?;
        let TypeKind::Struct(s) = &def.kind else {
            return None;
        };
        let parts = s
            .fields
            .iter()
            .map(|f| ir::MultipartPart {
                field: f.rust_name.clone(),
                wire_name: f.wire_name.clone(),
                ty: f.ty.clone(),
                encoding: match &f.ty {
                    TypeRef::Bytes => ir::PartEncoding::Bytes,
                    TypeRef::String
                    | TypeRef::Bool
                    | TypeRef::Integer(_)
                    | TypeRef::F32
                    | TypeRef::F64
                    | TypeRef::Decimal
                    | TypeRef::Uuid
                    | TypeRef::DateTime
                    | TypeRef::Date => ir::PartEncoding::Text,
                    TypeRef::Named(n)
                        if self.types.iter().flatten().any(|t| {
                            &t.rust_name == n && matches!(t.kind, TypeKind::StringEnum(_))
                        }) =>
                    {
                        ir::PartEncoding::Text
                    }
                    _ => ir::PartEncoding::Json,
                },
                presence: f.presence.clone(),
            })
            .collect();
        Some(parts)
    }

    /// What the success (or, with `success == false`, the error) responses
    /// of an operation decode into. Successes are the `2XX` responses, or
    /// `default` when there is none; errors are `4XX`, `5XX` and `default`.
    fn response(
        &mut self,
        type_hint: &str,
        op: &'a openapiv3::Operation,
        pointer: &str,
        success: bool,
    ) -> ir::Response {
        let mut candidates: Vec<(
            Option<ir::StatusMatch>,
            String,
            &ReferenceOr<openapiv3::Response>,
        )> = op
            .responses
            .responses
            .iter()
            .filter_map(|(code, r)| {
                let (class, status) = match code {
                    StatusCode::Code(c) => (c / 100, ir::StatusMatch::Code(*c)),
                    StatusCode::Range(r) => (*r, ir::StatusMatch::Range(*r)),
                };
                let wanted = if success {
                    class == 2
                } else {
                    class == 4 || class == 5
                };
                wanted.then(|| (Some(status), code.to_string(), r))
            })
            .collect();
        if let Some(default) = &op.responses.default {
            if !success || candidates.is_empty() {
                candidates.push((None, "default".into(), default));
            }
        }
        let suffix = if success { "Response" } else { "ErrorResponse" };
        let mut bodies: Vec<(Option<ir::StatusMatch>, ir::Response)> = Vec::new();
        for (status, code, response) in candidates {
            let r_pointer = child(pointer, &code);
            let Some(Located {
                item: response,
                pointer: r_pointer,
                key,
            }) = self.component(response, "responses", |c| &c.responses, &r_pointer)
            else {
                continue;
            };
            let hint = match key {
                Some(key) => key.to_owned(),
                None => format!("{type_hint}{suffix}"),
            };
            let chosen = response
                .content
                .iter()
                .min_by_key(|(media_type, _)| MediaKind::of(media_type));
            let body = match chosen {
                None => ir::Response::Empty,
                Some((media_type, content)) => match MediaKind::of(media_type) {
                    MediaKind::Json | MediaKind::Form | MediaKind::Multipart => {
                        ir::Response::Json(match &content.schema {
                            Some(s) => self.type_ref(
                                &hint,
                                s,
                                &format!(
                                    "{}/schema",
                                    child(&child(&r_pointer, "content"), media_type)
                                ),
                            ),
                            None => TypeRef::Json,
                        })
                    }
                    MediaKind::Text => ir::Response::Text,
                    MediaKind::Bytes => ir::Response::Bytes,
                },
            };
            bodies.push((status, body));
        }
        if !success {
            // Error bodies: one JSON type, or any JSON value.
            let mut types = bodies.into_iter().filter_map(|(_, b)| match b {
                ir::Response::Json(ty) => Some(ty),
                _ => None,
            });
            let first = types.next();
            return ir::Response::Json(match first {
                Some(ty) if types.all(|t| t == ty) => ty,
                _ => TypeRef::Json,
            });
        }
        let Some((_, first)) = bodies.first() else {
            return ir::Response::Empty;
        };
        if bodies.iter().all(|(_, b)| b == first) {
            return first.clone();
        }
        // Several kinds of success: an enum keyed by status.
        let rust_name = self
            .scope
            .claim(naming::type_name(&format!("{type_hint}Response")));
        let mut scope = Scope::new();
        let mut variants: Vec<ir::StatusVariant> = bodies
            .into_iter()
            .map(|(status, body)| {
                let status = status.unwrap_or(ir::StatusMatch::Range(2));
                let (name, doc) = status_name(status);
                ir::StatusVariant {
                    rust_name: scope.claim(name),
                    docs: Docs::from_text(&doc),
                    status,
                    body,
                }
            })
            .collect();
        // Exact codes are matched before ranges.
        variants.sort_by_key(|v| matches!(v.status, ir::StatusMatch::Range(_)));
        ir::Response::ByStatus(ir::StatusResponses {
            docs: Docs::from_text(&format!(
                "The successful responses of `{}`, by status.",
                op.operation_id.as_deref().unwrap_or(type_hint)
            )),
            rust_name,
            variants,
        })
    }

    fn lower_client(&mut self) -> ir::Client {
        let default_base_url = self.api.servers.first().and_then(|server| {
            let mut url = server.url.clone();
            for (name, var) in server.variables.iter().flatten() {
                url = url.replace(&format!("{{{name}}}"), &var.default);
            }
            (url.starts_with("http://") || url.starts_with("https://"))
                .then(|| url.trim_end_matches('/').to_owned())
        });
        let mut bearer = false;
        let schemes = self
            .api
            .components
            .iter()
            .flat_map(|c| c.security_schemes.iter());
        for (key, scheme) in schemes {
            use openapiv3::SecurityScheme;
            match scheme {
                ReferenceOr::Item(SecurityScheme::HTTP { scheme, .. })
                    if scheme.eq_ignore_ascii_case("bearer") =>
                {
                    bearer = true
                }
                ReferenceOr::Item(
                    SecurityScheme::OAuth2 { .. } | SecurityScheme::OpenIDConnect { .. },
                ) => bearer = true,
                _ => self.skipped.push(ir::Skipped {
                    pointer: child("#/components/securitySchemes", key),
                    message: "the client does not add this kind of credential itself; give `Client::with_http_client` a `reqwest::Client` with default headers".into(),
                }),
            }
        }
        ir::Client {
            default_base_url,
            auth: if bearer {
                ir::Auth::Bearer
            } else {
                ir::Auth::None
            },
        }
    }
}

/// `default: {}` on a property of a named type is that type's `Default`,
/// which a struct whose fields may all be left out has. Any other type
/// keeps the field an `Option`, and says so.
fn type_defaults(types: &mut [ir::TypeDef], skipped: &mut Vec<ir::Skipped>) {
    let has_default = |name: &str, types: &[ir::TypeDef]| {
        let mut name = name.to_owned();
        for _ in 0..=types.len() {
            match types.iter().find(|t| t.rust_name == name).map(|t| &t.kind) {
                Some(TypeKind::Alias(TypeRef::Named(next))) => name = next.clone(),
                Some(TypeKind::Struct(s)) => {
                    return s.fields.iter().all(|f| f.presence.is_optional());
                }
                _ => return false,
            }
        }
        false
    };
    let mut lacking = Vec::new();
    for (i, t) in types.iter().enumerate() {
        if let TypeKind::Struct(s) = &t.kind {
            for (j, f) in s.fields.iter().enumerate() {
                if let (Presence::Defaulted(d), TypeRef::Named(name)) = (&f.presence, &f.ty) {
                    if d.value == ir::Literal::TypeDefault && !has_default(name, types) {
                        lacking.push((i, j));
                    }
                }
            }
        }
    }
    for (i, j) in lacking {
        if let TypeKind::Struct(s) = &mut types[i].kind {
            let field = &mut s.fields[j];
            field.presence = Presence::Optional;
            skipped.push(ir::Skipped {
                pointer: field.origin.clone(),
                message: "`default: {}` is not applied (the type has required fields, so no default value); when absent the field reads as `None`".into(),
            });
        }
    }
}

/// Three states (absent, `null`, a value) matter for what the client sends:
/// `null` clears, absent leaves alone. In what it only reads, both mean "no
/// value", and `Option<Option<T>>` would be a burden. So optional nullable
/// fields of types that no request body reaches are plain `Option<T>`.
fn read_only_nullables(types: &mut [ir::TypeDef], operations: &[ir::Operation]) {
    let index: IndexMap<&str, usize> = types
        .iter()
        .enumerate()
        .map(|(i, t)| (t.rust_name.as_str(), i))
        .collect();
    let mut sent = vec![false; types.len()];
    let mut stack: Vec<&TypeRef> = operations
        .iter()
        .filter_map(|op| op.body.as_ref())
        .filter_map(|body| match &body.kind {
            ir::BodyKind::Json(ty)
            | ir::BodyKind::Form(ty)
            | ir::BodyKind::Multipart { ty, .. } => Some(ty),
            ir::BodyKind::Text | ir::BodyKind::Bytes => None,
        })
        .collect();
    while let Some(ty) = stack.pop() {
        match ty {
            TypeRef::Named(name) => {
                let Some(&i) = index.get(name.as_str()) else {
                    continue;
                };
                if std::mem::replace(&mut sent[i], true) {
                    continue;
                }
                match &types[i].kind {
                    TypeKind::Struct(s) => {
                        stack.extend(s.fields.iter().map(|f| &f.ty));
                        stack.extend(s.additional.iter().map(|a| &a.value));
                    }
                    TypeKind::TaggedUnion(u) => {
                        stack.extend(u.variants.iter().filter_map(|v| match &v.payload {
                            ir::TaggedPayload::Fields(ty) | ir::TaggedPayload::Whole(ty) => {
                                Some(ty)
                            }
                            ir::TaggedPayload::Unit => None,
                        }))
                    }
                    TypeKind::UntaggedUnion(u) => stack.extend(u.variants.iter().map(|v| &v.ty)),
                    TypeKind::Alias(ty) => stack.push(ty),
                    TypeKind::StringEnum(_) => {}
                }
            }
            TypeRef::Vec(inner)
            | TypeRef::Map(inner)
            | TypeRef::Option(inner)
            | TypeRef::Box(inner) => stack.push(inner),
            _ => {}
        }
    }
    for (t, sent) in types.iter_mut().zip(sent) {
        if let (TypeKind::Struct(s), false) = (&mut t.kind, sent) {
            for f in &mut s.fields {
                if f.presence == Presence::OptionalNullable {
                    f.presence = Presence::Optional;
                }
            }
        }
    }
}

/// The `properties` of an object schema.
type Properties = IndexMap<String, ReferenceOr<Box<Schema>>>;

/// Where the properties of a merged `allOf` were defined, when not in the
/// schema being lowered.
#[derive(Default)]
struct Origins {
    /// Property name → the pointer of its schema.
    properties: BTreeMap<String, String>,
    /// The pointer of the `additionalProperties` in effect.
    additional: Option<String>,
}

/// The error for schemas that are defined only as each other.
fn alias_cycle_error(file: &str, cycle: crate::cycles::AliasCycle) -> Diagnostic {
    let mut circle = cycle.names.join(" → ");
    circle.push_str(&format!(" → {}", cycle.names[0]));
    let what = if cycle.names.len() == 1 {
        format!(
            "this schema is defined only as itself ({circle}), through `$ref` or `allOf`, so it has no shape"
        )
    } else {
        format!(
            "these schemas are defined only as each other ({circle}), through `$ref` or `allOf`, so they have no shape"
        )
    };
    let problem = if cycle.through_container {
        Problem::Unsupported(format!(
            "a schema that is a list or map of itself and nothing more ({circle}): \
             a Rust type alias cannot contain itself; wrap it in an object"
        ))
    } else {
        Problem::Inconsistent(what)
    };
    Diagnostic {
        file: file.to_owned(),
        pointer: cycle.origins[0].clone(),
        line_col: None,
        problem,
    }
}

/// The name a component schema asks for in Rust (`x-rust-name`), if any.
fn rust_name_extension(schema: &ReferenceOr<Schema>) -> Option<&str> {
    match schema {
        ReferenceOr::Item(schema) => schema.schema_data.extensions.get("x-rust-name")?.as_str(),
        ReferenceOr::Reference { .. } => None,
    }
}

fn component_schemas(api: &OpenAPI) -> impl Iterator<Item = (&String, &ReferenceOr<Schema>)> {
    api.components.iter().flat_map(|c| c.schemas.iter())
}

/// `Schema` and `Box<Schema>` alike.
trait AsSchema {
    fn as_schema(&self) -> &Schema;
}

impl AsSchema for Schema {
    fn as_schema(&self) -> &Schema {
        self
    }
}

impl AsSchema for Box<Schema> {
    fn as_schema(&self) -> &Schema {
        self
    }
}

/// Whether an inline schema becomes a named type of its own.
fn needs_name(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => !o.properties.is_empty(),
        SchemaKind::Type(Type::String(_)) => is_string_enum(schema),
        SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => true,
        SchemaKind::AllOf { all_of } => all_of.len() > 1,
        SchemaKind::Any(a) => {
            !a.properties.is_empty()
                || !a.one_of.is_empty()
                || !a.any_of.is_empty()
                || a.all_of.len() > 1
                || is_string_values(&a.enumeration)
        }
        _ => false,
    }
}

/// Bytes become base64 text where no field says how to write them.
fn json_safe(ty: TypeRef) -> TypeRef {
    match ty {
        TypeRef::Bytes => TypeRef::String,
        ty => ty,
    }
}

/// `type: string` with `format: byte` or `binary`.
fn is_bytes(schema: &Schema) -> bool {
    matches!(
        &schema.schema_kind,
        SchemaKind::Type(Type::String(s)) if matches!(
            s.format,
            VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Byte | openapiv3::StringFormat::Binary)
        )
    )
}

/// Whether untyped `enum` values make a string enum: strings, and perhaps
/// `null` (`enum: [null]` alone is just `null`).
fn is_string_values(values: &[serde_json::Value]) -> bool {
    values.iter().any(serde_json::Value::is_string)
        && values.iter().all(|v| v.is_string() || v.is_null())
}

/// Whether a schema becomes a string enum.
fn is_string_enum(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => s.enumeration.iter().any(Option::is_some),
        SchemaKind::Any(a) => is_string_values(&a.enumeration),
        _ => false,
    }
}

/// The values an integer type holds.
fn int_range(kind: IntKind) -> std::ops::RangeInclusive<i128> {
    match kind {
        IntKind::I8 => i128::from(i8::MIN)..=i128::from(i8::MAX),
        IntKind::I16 => i128::from(i16::MIN)..=i128::from(i16::MAX),
        IntKind::I32 => i128::from(i32::MIN)..=i128::from(i32::MAX),
        IntKind::I64 => i128::from(i64::MIN)..=i128::from(i64::MAX),
        IntKind::U8 => 0..=i128::from(u8::MAX),
        IntKind::U16 => 0..=i128::from(u16::MAX),
        IntKind::U32 => 0..=i128::from(u32::MAX),
        IntKind::U64 => 0..=i128::from(u64::MAX),
    }
}

fn is_decimal_format(format: &str) -> bool {
    matches!(format, "decimal" | "money-usd" | "money")
}

/// How a media type is read and written, in order of preference when a
/// body offers several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum MediaKind {
    Json,
    Form,
    Multipart,
    Text,
    Bytes,
}

impl MediaKind {
    fn of(media_type: &str) -> MediaKind {
        let essence = media_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if essence == "application/json" || essence.ends_with("+json") {
            MediaKind::Json
        } else if essence == "application/x-www-form-urlencoded" {
            MediaKind::Form
        } else if essence == "multipart/form-data" {
            MediaKind::Multipart
        } else if (essence.starts_with("text/") && essence != "text/*")
            || essence == "application/xml"
            || essence.ends_with("+xml")
        {
            MediaKind::Text
        } else {
            MediaKind::Bytes
        }
    }
}

/// A variant name and doc line for a success status.
fn status_name(status: ir::StatusMatch) -> (String, String) {
    match status {
        ir::StatusMatch::Code(code) => {
            let reason = match code {
                200 => Some("Ok"),
                201 => Some("Created"),
                202 => Some("Accepted"),
                203 => Some("NonAuthoritativeInformation"),
                204 => Some("NoContent"),
                205 => Some("ResetContent"),
                206 => Some("PartialContent"),
                207 => Some("MultiStatus"),
                208 => Some("AlreadyReported"),
                226 => Some("ImUsed"),
                _ => None,
            };
            match reason {
                Some(r) => (r.to_owned(), format!("`{code}`.")),
                None => (format!("Status{code}"), format!("`{code}`.")),
            }
        }
        ir::StatusMatch::Range(class) => (
            format!("Other{class}xx"),
            format!("Another `{class}XX` status."),
        ),
    }
}

fn unescape_token(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Docs from the document's own text, made safe as rustdoc.
fn spec_docs(text: &str) -> Docs {
    Docs::from_text(&markdown::rustdoc(text))
}

fn schema_docs(schema: &Schema, name: &str) -> Docs {
    let data = &schema.schema_data;
    let mut docs = Docs::default();
    if let Some(title) = &data.title {
        docs.push_paragraph(&markdown::rustdoc(title));
    }
    if let Some(description) = &data.description {
        if data.title.as_deref().map(str::trim) != Some(description.trim()) {
            docs.push_paragraph(&markdown::rustdoc(description));
        }
    }
    if docs.is_empty() {
        docs = Docs::from_text(&format!("The `{name}` type."));
    }
    docs
}

fn field_docs(schema: &Schema, wire_name: &str) -> Docs {
    match &schema.schema_data.description {
        Some(d) if !d.trim().is_empty() => spec_docs(d),
        _ => Docs::from_text(&format!("The `{wire_name}` property.")),
    }
}

fn string_enum(values: Vec<(String, Docs)>) -> ir::StringEnum {
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
fn enum_members(members: &[Option<&Schema>]) -> Option<Vec<(String, Docs)>> {
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
        let docs = match (&member.schema_data.description, these.len()) {
            (Some(d), 1) => spec_docs(d),
            _ => Docs::default(),
        };
        values.extend(these.into_iter().map(|v| (v.clone(), docs.clone())));
    }
    Some(values)
}

/// The properties and required list of an object schema.
fn object_parts(schema: &Schema) -> Option<(&Properties, &[String])> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => Some((&o.properties, &o.required)),
        SchemaKind::Any(a) if !a.properties.is_empty() => Some((&a.properties, &a.required)),
        _ => None,
    }
}

/// The one value a property's schema allows, if it allows exactly one string.
fn single_value(schema: &ReferenceOr<Box<Schema>>) -> Option<String> {
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
type TagValues = Vec<(String, Vec<String>)>;

/// Finds the property that tags a union, and each member's tag values
/// (the first is the one written).
///
/// Without a `discriminator`, every member must be an object that pins some
/// property to one string (an `enum` of one value, or `const`), no two
/// members the same. With one, its `propertyName` is the tag; a member that
/// does not pin it takes its value from `mapping` (whose values name
/// schemas by `$ref` or by bare name), or else its schema's name, as the
/// OpenAPI specification says.
fn find_tag<'s>(
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
fn shape_name(schema: &Schema) -> Option<String> {
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
