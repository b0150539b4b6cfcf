//! Schemas → named types and type references: the two passes over component
//! schemas (reserve every name, then lower), inline schemas hoisted to named
//! types, `$ref`s resolved, and what each kind of schema becomes.

use super::docs::schema_docs;
use super::objects::single_typed_member;
use super::unions::string_enum;
use super::{At, Lowerer, unescape_token};
use crate::diagnostics::{Problem, child};
use crate::ir::{self, Docs, IntKind, TypeKind, TypeRef};
use crate::naming::{self};
use openapiv3::{
    AdditionalProperties, OpenAPI, ReferenceOr, Schema, SchemaKind, Type, VariantOrUnknownOrEmpty,
};
use std::collections::BTreeMap;

impl<'a> Lowerer<'a> {
    /// Names every component schema before any is lowered, so references
    /// resolve in any order. A name chosen in the settings comes first, then
    /// `x-rust-name`, then the key in Rust's case. Two schemas whose names
    /// are the same in Rust (`HttpHealthCheck`, `HTTPHealthCheck`) both get
    /// a type: the one whose key is already that name (else the first, in
    /// key order) keeps it, the other takes a number, and the report names
    /// both, so a reader can choose better names in the settings.
    pub(super) fn reserve_components(&mut self) {
        let config = self.config;
        let mut wanted: Vec<(&'a str, String)> = Vec::new();
        for (key, schema) in component_schemas(self.api) {
            let name = match config.names.schemas.get(key) {
                Some(name) => naming::type_name(name),
                None => match rust_name_extension(schema) {
                    Some(name) => naming::type_name(name),
                    None => naming::type_name(key),
                },
            };
            wanted.push((key.as_str(), name));
        }
        // Keys that already are their Rust name claim it first.
        let mut names: BTreeMap<&str, String> = BTreeMap::new();
        let mut taken_by: BTreeMap<String, &str> = BTreeMap::new();
        for exact in [true, false] {
            for (key, name) in wanted.iter().filter(|(k, n)| (k == n) == exact) {
                let claimed = self.scope.claim(name.clone());
                match taken_by.get(name) {
                    Some(other) => self.skip(
                        &child("#/components/schemas", key),
                        format!(
                            "the schemas `{other}` and `{key}` would both be the Rust type `{name}`; \
                             `{key}` is `{claimed}` (choose a name in the settings' `[names.schemas]`, \
                             or with `x-rust-name`)"
                        ),
                    ),
                    None => {
                        taken_by.insert(name.clone(), key);
                    }
                }
                names.insert(key, claimed);
            }
        }
        for (key, _) in &wanted {
            let name = names.remove(key).expect("every key was named");
            self.names.insert(key, name);
        }
        // A name for a schema the document does not have is a typo, or a
        // document that changed under its settings: say so.
        for key in config.names.schemas.keys() {
            if !self.names.contains_key(key.as_str()) {
                self.skip(
                    "#/components/schemas",
                    format!(
                        "the settings name a Rust type for the schema `{key}`, which the document does not have"
                    ),
                );
            }
        }
    }

    pub(super) fn lower_components(&mut self) {
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

    pub(super) fn reserve_slot(&mut self) -> usize {
        self.types.push(None);
        self.types.len() - 1
    }

    pub(super) fn fill_slot(&mut self, slot: usize, def: ir::TypeDef) {
        self.types[slot] = Some(def);
    }

    /// Lowers `at` into the named type `name`, whose name is already claimed.
    pub(super) fn define(&mut self, name: String, at: At<'_>) {
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
    pub(super) fn type_kind(&mut self, name: &str, at: At<'_>) -> TypeKind {
        if let Some(typed) = typed_part(at.schema) {
            return self.type_kind(
                name,
                At {
                    schema: &typed,
                    pointer: at.pointer,
                },
            );
        }
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
            SchemaKind::AllOf { all_of } => self.all_of(name, all_of, at.pointer, None),
            // Properties beside an `allOf` are merged with its members'.
            SchemaKind::Any(any) if !any.all_of.is_empty() => {
                let beside = !any.properties.is_empty()
                    || !any.required.is_empty()
                    || any.additional_properties.is_some();
                let own = beside.then_some((
                    &any.properties,
                    any.required.as_slice(),
                    any.additional_properties.as_ref(),
                ));
                self.all_of(name, &any.all_of, at.pointer, own)
            }
            SchemaKind::Any(any) if !any.properties.is_empty() => {
                TypeKind::Struct(self.object_with_alternatives(name, any, at.pointer))
            }
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
                self.all_of(name, &any.all_of, at.pointer, None)
            }
            _ => TypeKind::Alias(json_safe(self.type_of(name, at))),
        }
    }

    /// The type of a schema where it is used (a field, an item, a body).
    /// Schemas that need a name are hoisted with a name built from `hint`.
    pub(super) fn type_ref<S: AsSchema>(
        &mut self,
        hint: &str,
        schema: &ReferenceOr<S>,
        pointer: &str,
    ) -> TypeRef {
        let ty = self.untracked_type_ref(hint, schema, pointer);
        // Only the wire tests read it: for GitHub it held a sixth of the
        // memory lowering adds.
        if self.config.example_tests {
            self.typed.insert(pointer.to_owned(), ty.clone());
        }
        ty
    }

    fn untracked_type_ref<S: AsSchema>(
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
    pub(super) fn item_type<S: AsSchema>(
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
    pub(super) fn type_of(&mut self, hint: &str, at: At<'_>) -> TypeRef {
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
            SchemaKind::Type(Type::Array(a)) => {
                match (crate::load::prefix_items(at.schema), &a.items) {
                    (Some(members), _) => self.tuple(hint, &members, a, pointer),
                    (None, Some(items)) => {
                        let item = self.item_type(
                            &format!("{hint}Item"),
                            items,
                            &format!("{pointer}/items"),
                        );
                        TypeRef::Vec(Box::new(item))
                    }
                    (None, None) => TypeRef::Vec(Box::new(TypeRef::Json)),
                }
            }
            SchemaKind::Type(Type::Object(o)) => {
                self.map_of(hint, o.additional_properties.as_ref(), pointer)
            }
            SchemaKind::Any(_) if typed_part(at.schema).is_some() => {
                let typed = typed_part(at.schema).expect("checked by the guard");
                self.type_of(
                    hint,
                    At {
                        schema: &typed,
                        pointer,
                    },
                )
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
            SchemaKind::AllOf { all_of } if single_typed_member(all_of).is_some() => {
                let (i, member) = single_typed_member(all_of).expect("checked by the guard");
                self.type_ref(hint, member, &format!("{pointer}/allOf/{i}"))
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

    /// An array of `prefixItems` (3.1): a Rust tuple when its length is
    /// fixed (`minItems` and `maxItems` are the number of members), for a
    /// tuple would refuse a longer or shorter array; otherwise a list of
    /// the members' one type, or of any values when they differ.
    fn tuple(
        &mut self,
        hint: &str,
        members: &[ReferenceOr<Schema>],
        array: &openapiv3::ArrayType,
        pointer: &str,
    ) -> TypeRef {
        let types: Vec<TypeRef> = members
            .iter()
            .enumerate()
            .map(|(i, member)| {
                self.item_type(
                    &format!("{hint}Item{i}"),
                    member,
                    &format!("{pointer}/prefixItems/{i}"),
                )
            })
            .collect();
        let n = members.len();
        let fixed = array.min_items == Some(n) && array.max_items == Some(n);
        if fixed && n > 0 && n <= 12 {
            return TypeRef::Tuple(types);
        }
        let same = types.windows(2).all(|w| w[0] == w[1]);
        let more = match &array.items {
            Some(items) => {
                let item =
                    self.item_type(&format!("{hint}Item"), items, &format!("{pointer}/items"));
                Some(item)
            }
            None => None,
        };
        match (types.first(), more) {
            (Some(first), None) if same => TypeRef::Vec(Box::new(first.clone())),
            (Some(first), Some(more)) if same && *first == more => TypeRef::Vec(Box::new(more)),
            _ => TypeRef::Vec(Box::new(TypeRef::Json)),
        }
    }

    pub(super) fn map_of(
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

    /// The type a schema `$ref` names. A reference that cannot be followed
    /// costs only the value that has it: that value is any JSON value.
    pub(super) fn resolve_ref(&mut self, reference: &str, pointer: &str) -> TypeRef {
        let pointer = child(pointer, "$ref");
        let problem = match reference.strip_prefix("#/components/schemas/") {
            Some(key) => match self.names.get(unescape_token(key).as_str()) {
                Some(name) => return TypeRef::Named(name.clone()),
                None => Problem::DanglingRef(reference.to_owned()),
            },
            None if reference.starts_with('#') => {
                Problem::Unsupported(format!("`$ref: {reference}` does not name a schema"))
            }
            None => Problem::ExternalRef(reference.to_owned()),
        };
        self.skip(&pointer, format!("{problem}; the value is any JSON value"));
        TypeRef::Json
    }

    /// The schema a `$ref` names, if it is a component schema.
    pub(super) fn deref<'s, S: AsSchema>(&self, schema: &'s ReferenceOr<S>) -> Option<&'s Schema>
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

    pub(super) fn is_nullable<S: AsSchema>(&self, schema: &ReferenceOr<S>) -> bool {
        self.deref(schema).is_some_and(|s| s.schema_data.nullable)
    }
}

/// The name a component schema asks for in Rust (`x-rust-name`), if any.
pub(super) fn rust_name_extension(schema: &ReferenceOr<Schema>) -> Option<&str> {
    match schema {
        ReferenceOr::Item(schema) => schema.schema_data.extensions.get("x-rust-name")?.as_str(),
        ReferenceOr::Reference { .. } => None,
    }
}

pub(super) fn component_schemas(
    api: &OpenAPI,
) -> impl Iterator<Item = (&String, &ReferenceOr<Schema>)> {
    api.components.iter().flat_map(|c| c.schemas.iter())
}

/// `Schema` and `Box<Schema>` alike.
pub(super) trait AsSchema {
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
pub(super) fn needs_name(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => !o.properties.is_empty(),
        SchemaKind::Type(Type::String(_)) => is_string_enum(schema),
        SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => true,
        SchemaKind::AllOf { all_of } => single_typed_member(all_of).is_none(),
        SchemaKind::Any(a) => {
            !a.properties.is_empty()
                || !a.one_of.is_empty()
                || !a.any_of.is_empty()
                || (!a.all_of.is_empty() && single_typed_member(&a.all_of).is_none())
                || is_string_values(&a.enumeration)
        }
        _ => false,
    }
}

/// Bytes become base64 text where no field says how to write them.
pub(super) fn json_safe(ty: TypeRef) -> TypeRef {
    match ty {
        TypeRef::Bytes => TypeRef::String,
        ty => ty,
    }
}

/// `type: string` with `format: byte` or `binary`.
pub(super) fn is_bytes(schema: &Schema) -> bool {
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
pub(super) fn is_string_values(values: &[serde_json::Value]) -> bool {
    values.iter().any(serde_json::Value::is_string)
        && values.iter().all(|v| v.is_string() || v.is_null())
}

/// Whether a schema becomes a string enum.
pub(super) fn is_string_enum(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => s.enumeration.iter().any(Option::is_some),
        SchemaKind::Any(a) => is_string_values(&a.enumeration),
        _ => false,
    }
}

pub(super) fn is_decimal_format(format: &str) -> bool {
    matches!(format, "decimal" | "money-usd" | "money")
}

/// A schema whose `type` says one thing but which has keywords of another
/// (`additionalProperties: true` beside `type: string`, as in GitHub's
/// `hook-delivery`; `items` beside `type: object`, as in GoDaddy's and
/// Just Eat's): the schema its `type` says, without the keywords that do
/// not apply to that type. JSON Schema applies `items` only to arrays and
/// `properties` only to objects, so a valid value is what `type` says.
pub(super) fn typed_part(schema: &Schema) -> Option<Schema> {
    let SchemaKind::Any(any) = &schema.schema_kind else {
        return None;
    };
    const OBJECT: &[&str] = &[
        "properties",
        "additionalProperties",
        "required",
        "minProperties",
        "maxProperties",
    ];
    const ARRAY: &[&str] = &["items", "minItems", "maxItems", "uniqueItems"];
    const STRING: &[&str] = &["minLength", "maxLength", "pattern"];
    const NUMBER: &[&str] = &[
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
    ];
    let foreign: Vec<&[&str]> = match any.typ.as_deref() {
        Some("string") => vec![OBJECT, ARRAY, NUMBER],
        Some("integer" | "number") => vec![OBJECT, ARRAY, STRING],
        Some("boolean") => vec![OBJECT, ARRAY, STRING, NUMBER],
        Some("object") => vec![ARRAY, STRING, NUMBER],
        Some("array") => vec![OBJECT, STRING, NUMBER],
        _ => return None,
    };
    let mut value = serde_json::to_value(schema).ok()?;
    let object = value.as_object_mut()?;
    let mut removed = false;
    for key in foreign.into_iter().flatten() {
        removed |= object.remove(*key).is_some();
    }
    if !removed {
        return None;
    }
    let typed: Schema = serde_json::from_value(value).ok()?;
    matches!(typed.schema_kind, SchemaKind::Type(_)).then_some(typed)
}
