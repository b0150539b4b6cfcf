//! What goes over the wire for a schema: JSON instances built from it
//! ([`instances`]), and which keys of a value it declares ([`declared`]).
//!
//! Both walk `openapiv3` schemas as they are, before lowering, so that what
//! they say about a document does not depend on what the generator made of
//! it. They share [`Resolver`], which follows `$ref`s, and [`Shape`], one
//! view of a schema's structure whatever kind `openapiv3` classified it as.

mod collect;
pub(crate) mod declared;
pub(crate) mod instances;
mod pattern;
mod validity;

pub(crate) use collect::{cases, examples_of, is_json, schema_at};
pub(crate) use validity::Validator;

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, OpenAPI, ReferenceOr, Schema, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};
use serde_json::{Number, Value};
use std::borrow::Borrow;

/// How many `$ref` aliases (`A: {$ref: B}`) are followed in a row before a
/// reference is taken to go nowhere: enough for any real chain, and a
/// cycle of aliases ends.
const MAX_ALIASES: usize = 64;

/// What judges values against one document: the document as JSON (for
/// pointers), a JSON Schema validator of it, and a resolver of its
/// references. Built once, for the wire cases and the call cases both.
pub(crate) struct Judge<'a> {
    /// The whole document, path items included, as JSON.
    pub(crate) document: Value,
    /// Whether a value breaks the schema at a pointer.
    pub(crate) validator: Validator,
    /// `$ref`s to component schemas, followed.
    pub(crate) resolver: Resolver<'a>,
}

impl<'a> Judge<'a> {
    /// The judge of `api`, whose path items must be there.
    pub(crate) fn new(api: &'a OpenAPI) -> Self {
        let document = serde_json::to_value(api).unwrap_or(Value::Null);
        Judge {
            validator: Validator::new(document.clone()),
            document,
            resolver: Resolver::new(api),
        }
    }
}

/// Follows `$ref`s to the component schemas of one document.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Resolver<'a> {
    /// The document whose `#/components/schemas` references name.
    api: &'a OpenAPI,
}

impl<'a> Resolver<'a> {
    /// A resolver for the references of `api`.
    pub(crate) fn new(api: &'a OpenAPI) -> Self {
        Resolver { api }
    }

    /// The schema `r` is, or names: chains of aliases are followed, a
    /// reference that names nothing (or only a cycle of aliases) is `None`.
    pub(crate) fn schema<'s>(&self, r: &'s ReferenceOr<Schema>) -> Option<&'s Schema>
    where
        'a: 's,
    {
        self.resolve(r)
    }

    /// [`Resolver::schema`] for a boxed schema (properties and items).
    pub(crate) fn boxed_schema<'s>(&self, r: &'s ReferenceOr<Box<Schema>>) -> Option<&'s Schema>
    where
        'a: 's,
    {
        self.resolve(r)
    }

    /// [`Resolver::schema`] for either form.
    pub(crate) fn resolve<'s, T: Borrow<Schema>>(&self, r: &'s ReferenceOr<T>) -> Option<&'s Schema>
    where
        'a: 's,
    {
        match r {
            ReferenceOr::Item(schema) => Some(schema.borrow()),
            ReferenceOr::Reference { reference } => self.named(reference),
        }
    }

    /// The schema a reference (`#/components/schemas/NAME`, the name
    /// escaped as a JSON pointer token) names, aliases followed.
    pub(crate) fn named(&self, reference: &str) -> Option<&'a Schema> {
        let schemas = &self.api.components.as_ref()?.schemas;
        let mut reference = reference;
        for _ in 0..MAX_ALIASES {
            let name = unescape(reference.strip_prefix("#/components/schemas/")?);
            match schemas.get(name.as_str())? {
                ReferenceOr::Item(schema) => return Some(schema),
                ReferenceOr::Reference { reference: next } => reference = next,
            }
        }
        None
    }
}

/// Undoes the escapes of one JSON pointer token: `~1` is `/`, `~0` is `~`
/// (in that order, so that `~01` is `~1`).
pub(crate) fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// The structure a schema gives a value, read the same way from every kind
/// `openapiv3` may have made of it (a typed schema, a composition, or
/// [`SchemaKind::Any`] for what it could not classify).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Shape<'s> {
    /// The JSON type: `type` when given, else what the keywords imply
    /// (`properties` ⇒ `object`, `items` ⇒ `array`, `maxLength` ⇒
    /// `string`, `minimum` ⇒ `number`); `None` for any type.
    pub typ: Option<&'s str>,
    /// Declared properties, in the document's order.
    pub properties: Option<&'s IndexMap<String, ReferenceOr<Box<Schema>>>>,
    /// Names of required properties.
    pub required: &'s [String],
    /// `additionalProperties`, when given.
    pub additional: Option<&'s AdditionalProperties>,
    /// `minProperties`.
    pub min_properties: Option<usize>,
    /// The schema of an array's items.
    pub items: Option<&'s ReferenceOr<Box<Schema>>>,
    /// `minItems`.
    pub min_items: Option<usize>,
    /// `maxItems`.
    pub max_items: Option<usize>,
    /// Members of `allOf`.
    pub all_of: &'s [ReferenceOr<Schema>],
    /// Members of `oneOf`.
    pub one_of: &'s [ReferenceOr<Schema>],
    /// Members of `anyOf`.
    pub any_of: &'s [ReferenceOr<Schema>],
    /// The schema of `not`.
    pub not: Option<&'s ReferenceOr<Schema>>,
    /// `format` (of a string).
    pub format: Option<&'s str>,
    /// `minLength`.
    pub min_length: Option<usize>,
    /// `maxLength`.
    pub max_length: Option<usize>,
    /// `pattern` (of a string).
    pub pattern: Option<&'s str>,
    /// `minimum`.
    pub minimum: Option<f64>,
    /// `maximum`.
    pub maximum: Option<f64>,
    /// `exclusiveMinimum` (the 3.0 boolean).
    pub exclusive_minimum: bool,
    /// `exclusiveMaximum` (the 3.0 boolean).
    pub exclusive_maximum: bool,
    /// `multipleOf`.
    pub multiple_of: Option<f64>,
}

/// The structure `schema` gives a value.
pub(crate) fn shape(schema: &Schema) -> Shape<'_> {
    let none = Shape::default();
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(t)) => Shape {
            typ: Some("string"),
            format: match &t.format {
                VariantOrUnknownOrEmpty::Item(f) => Some(match f {
                    StringFormat::Date => "date",
                    StringFormat::DateTime => "date-time",
                    StringFormat::Password => "password",
                    StringFormat::Byte => "byte",
                    StringFormat::Binary => "binary",
                }),
                VariantOrUnknownOrEmpty::Unknown(f) => Some(f),
                VariantOrUnknownOrEmpty::Empty => None,
            },
            min_length: t.min_length,
            max_length: t.max_length,
            pattern: t.pattern.as_deref(),
            ..none
        },
        SchemaKind::Type(Type::Number(t)) => Shape {
            typ: Some("number"),
            format: match &t.format {
                VariantOrUnknownOrEmpty::Unknown(f) => Some(f.as_str()),
                _ => None,
            },
            minimum: t.minimum,
            maximum: t.maximum,
            exclusive_minimum: t.exclusive_minimum,
            exclusive_maximum: t.exclusive_maximum,
            multiple_of: t.multiple_of,
            ..none
        },
        SchemaKind::Type(Type::Integer(t)) => Shape {
            typ: Some("integer"),
            minimum: t.minimum.map(|n| n as f64),
            maximum: t.maximum.map(|n| n as f64),
            exclusive_minimum: t.exclusive_minimum,
            exclusive_maximum: t.exclusive_maximum,
            multiple_of: t.multiple_of.map(|n| n as f64),
            ..none
        },
        SchemaKind::Type(Type::Boolean(_)) => Shape {
            typ: Some("boolean"),
            ..none
        },
        SchemaKind::Type(Type::Object(o)) => Shape {
            typ: Some("object"),
            properties: Some(&o.properties),
            required: &o.required,
            additional: o.additional_properties.as_ref(),
            min_properties: o.min_properties,
            ..none
        },
        SchemaKind::Type(Type::Array(a)) => Shape {
            typ: Some("array"),
            items: a.items.as_ref(),
            min_items: a.min_items,
            max_items: a.max_items,
            ..none
        },
        SchemaKind::OneOf { one_of } => Shape { one_of, ..none },
        SchemaKind::AllOf { all_of } => Shape { all_of, ..none },
        SchemaKind::AnyOf { any_of } => Shape { any_of, ..none },
        SchemaKind::Not { not } => Shape {
            not: Some(not),
            ..none
        },
        SchemaKind::Any(a) => {
            let object = !a.properties.is_empty()
                || !a.required.is_empty()
                || a.additional_properties.is_some()
                || a.min_properties.is_some()
                || a.max_properties.is_some();
            let array = a.items.is_some() || a.min_items.is_some() || a.max_items.is_some();
            let string = a.min_length.is_some() || a.max_length.is_some() || a.pattern.is_some();
            let number = a.minimum.is_some() || a.maximum.is_some() || a.multiple_of.is_some();
            let inferred = if object {
                Some("object")
            } else if array {
                Some("array")
            } else if string {
                Some("string")
            } else if number {
                Some("number")
            } else {
                None
            };
            Shape {
                typ: a.typ.as_deref().or(inferred),
                properties: (!a.properties.is_empty()).then_some(&a.properties),
                required: &a.required,
                additional: a.additional_properties.as_ref(),
                min_properties: a.min_properties,
                items: a.items.as_ref(),
                min_items: a.min_items,
                max_items: a.max_items,
                all_of: &a.all_of,
                one_of: &a.one_of,
                any_of: &a.any_of,
                not: a.not.as_deref(),
                format: a.format.as_deref(),
                min_length: a.min_length,
                max_length: a.max_length,
                pattern: a.pattern.as_deref(),
                minimum: a.minimum,
                maximum: a.maximum,
                exclusive_minimum: a.exclusive_minimum.unwrap_or(false),
                exclusive_maximum: a.exclusive_maximum.unwrap_or(false),
                multiple_of: a.multiple_of,
            }
        }
    }
}

/// The first `limit` non-null values of `schema`'s `enum`.
pub(crate) fn enum_values(schema: &Schema, limit: usize) -> Vec<Value> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(t)) => (t.enumeration.iter().flatten().take(limit))
            .map(|s| Value::String(s.clone()))
            .collect(),
        SchemaKind::Type(Type::Number(t)) => (t.enumeration.iter().flatten())
            .filter_map(|n| Number::from_f64(*n).map(Value::Number))
            .take(limit)
            .collect(),
        SchemaKind::Type(Type::Integer(t)) => (t.enumeration.iter().flatten().take(limit))
            .map(|n| Value::from(*n))
            .collect(),
        SchemaKind::Type(Type::Boolean(t)) => (t.enumeration.iter().flatten().take(limit))
            .map(|b| Value::Bool(*b))
            .collect(),
        SchemaKind::Any(a) => (a.enumeration.iter().filter(|v| !v.is_null()).take(limit))
            .cloned()
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A document whose components are the schemas of `yaml` (a mapping of
    /// names to schemas, indented as the top level).
    pub(crate) fn doc(schemas: &str) -> OpenAPI {
        let indented: String = schemas
            .lines()
            .map(|line| format!("    {line}\n"))
            .collect();
        let text = format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n{indented}"
        );
        serde_yaml::from_str(&text).expect("test document parses")
    }

    /// `#/components/schemas/NAME` of `api`, as a reference.
    pub(crate) fn named(name: &str) -> ReferenceOr<Schema> {
        ReferenceOr::ref_(&format!("#/components/schemas/{name}"))
    }

    #[test]
    fn follows_aliases_and_stops_on_cycles() {
        let api = doc("A: {$ref: '#/components/schemas/B'}\n\
             B: {type: string}\n\
             C: {$ref: '#/components/schemas/D'}\n\
             D: {$ref: '#/components/schemas/C'}\n\
             'a/b': {type: integer}");
        let r = Resolver::new(&api);
        let kind = |name: &str| {
            let reference = named(name);
            r.schema(&reference).map(|s| s.schema_kind.clone())
        };
        assert!(matches!(kind("A"), Some(SchemaKind::Type(Type::String(_)))));
        assert!(kind("C").is_none());
        assert!(kind("Missing").is_none());
        assert!(kind("a~01b").is_none(), "`~01` is `~1`, not `/`");
        assert!(matches!(
            kind("a~1b"),
            Some(SchemaKind::Type(Type::Integer(_)))
        ));
        assert!(r.named("#/paths/x").is_none());
        let inline = ReferenceOr::boxed_item(r.named("#/components/schemas/B").unwrap().clone());
        assert!(r.boxed_schema(&inline).is_some());
    }

    #[test]
    fn shapes_read_untyped_schemas() {
        let api = doc("O: {properties: {a: {type: string}}}\n\
             S: {type: string, additionalProperties: true}\n\
             E: {description: anything}");
        let r = Resolver::new(&api);
        let get = |name: &str| r.named(&format!("#/components/schemas/{name}")).unwrap();
        let o = shape(get("O"));
        assert_eq!(o.typ, Some("object"));
        assert!(o.properties.unwrap().contains_key("a"));
        assert_eq!(shape(get("S")).typ, Some("string"));
        assert!(shape(get("E")).typ.is_none());
    }
}
