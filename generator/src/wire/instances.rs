//! Valid JSON instances built from a schema, to send through generated
//! types and compare with what comes back.
//!
//! Each instance is labelled with what it exercises: `minimal` (required
//! properties only), `full` (every property), `variant N` (member `N` of a
//! top-level `oneOf`/`anyOf`), `enum VALUE`, `null` (a nullable schema) and
//! `nulls` (every nullable property `null`). Examples are not used: they
//! are checked on their own and may be invalid. Nothing here guarantees
//! validity (a `pattern` is not honoured, conflicting constraints are not
//! reconciled); the caller validates and discards what fails.
//!
//! This runs on every schema of large real-world documents, so every walk
//! is bounded: `$ref` nesting per path, the same `$ref` repeated on a path,
//! plain depth, the steps one instance may take, and its serialized size.

use super::{Resolver, Shape, enum_values, shape, unescape};
use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind};
use serde_json::{Map, Number, Value};
use std::borrow::Borrow;

/// Instances per schema, at most.
const MAX_INSTANCES: usize = 60;
/// `enum VALUE` instances per schema, at most.
const MAX_ENUM: usize = 50;
/// `$ref`s followed, nested, on one path from the root.
const MAX_REFS: usize = 8;
/// How often one `$ref` may appear on one path: a recursive schema is shown
/// nested once, then its optional recursion is left out.
const MAX_REPEATS: usize = 2;
/// Nesting of schemas (inline or not) on one path.
const MAX_DEPTH: usize = 64;
/// Steps (schemas visited) after which an instance takes only what it
/// must: required properties, `minItems` items.
const SOFT_STEPS: usize = 2_000;
/// Steps after which an instance is given up.
const HARD_STEPS: usize = 20_000;
/// The largest instance kept, serialized.
const MAX_BYTES: usize = 200_000;
/// The largest `minLength` or `minItems` built.
const MAX_LENGTH: usize = 10_000;
/// The key an instance gives a value of `additionalProperties`.
const EXTRA_KEY: &str = "additionalProp1";

/// One JSON instance of a schema.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Instance {
    /// What the instance exercises: `minimal`, `full`, `variant N`,
    /// `enum VALUE`, `null` or `nulls`.
    pub label: String,
    /// The instance.
    pub value: Value,
}

/// The instances of `schema`, deduplicated (the first label of a value is
/// kept), in the order of the labels above; empty when none can be built
/// (a required property that only recurses, a `not`, a reference to
/// nothing). Deterministic: object keys come in the schema's order.
pub(crate) fn build(resolver: &Resolver, schema: &ReferenceOr<Schema>) -> Vec<Instance> {
    let mut out: Vec<Instance> = Vec::new();
    let Some(top) = resolver.schema(schema) else {
        return out;
    };
    let mut push = |label: String, value: Value| {
        let fits = serde_json::to_vec(&value).is_ok_and(|bytes| bytes.len() <= MAX_BYTES);
        if fits && out.len() < MAX_INSTANCES && out.iter().all(|i| i.value != value) {
            out.push(Instance { label, value });
        }
    };
    let run = |mode: Mode, pick: Option<usize>| {
        let mut builder = Builder::new(resolver, mode);
        let value = builder.of(schema, 0, pick);
        (value, builder.nulled)
    };
    for (label, mode) in [("minimal", Mode::Minimal), ("full", Mode::Full)] {
        if let (Some(value), _) = run(mode, None) {
            push(label.to_owned(), value);
        }
    }
    let sh = shape(top);
    let union = if sh.one_of.is_empty() {
        sh.any_of
    } else {
        sh.one_of
    };
    for i in 0..union.len().min(MAX_INSTANCES) {
        if let (Some(value), _) = run(Mode::Full, Some(i)) {
            push(format!("variant {i}"), value);
        }
    }
    for value in enum_values(top, MAX_ENUM) {
        let label = match &value {
            Value::String(s) => format!("enum {s}"),
            other => format!("enum {other}"),
        };
        push(label, value);
    }
    if top.schema_data.nullable {
        push("null".to_owned(), Value::Null);
    }
    if let (Some(value), true) = run(Mode::Nulls, None) {
        push("nulls".to_owned(), value);
    }
    out
}

/// The full instance of `schema` with each scalar's own `example` where
/// it has one (the call tests' first choice of a value to send: an
/// example meets a `pattern` the builder cannot); `None` when none can be
/// built. Whether it is valid is the caller's to judge.
pub(crate) fn sampled(resolver: &Resolver, schema: &ReferenceOr<Schema>) -> Option<Value> {
    let value = Builder::new(resolver, Mode::Sampled).of(schema, 0, None)?;
    serde_json::to_vec(&value)
        .is_ok_and(|bytes| bytes.len() <= MAX_BYTES)
        .then_some(value)
}

/// Which instance a [`Builder`] makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Required properties, `minItems` items.
    Minimal,
    /// Every property, at least one item, an additional property.
    Full,
    /// As `Full`, with every nullable property `null`.
    Nulls,
    /// As `Full`, with a scalar's own `example` where it has one of its
    /// type (a value a pattern accepts, a realistic identifier).
    Sampled,
}

/// Builds one instance, keeping count of what it has walked.
struct Builder<'r, 's> {
    /// Follows `$ref`s.
    resolver: &'r Resolver<'s>,
    /// The instance being made.
    mode: Mode,
    /// The `$ref`s followed on the current path.
    refs: Vec<&'s str>,
    /// Schemas visited so far.
    steps: usize,
    /// Whether a nullable property was made `null` (in [`Mode::Nulls`]).
    nulled: bool,
}

impl<'r, 's> Builder<'r, 's> {
    /// A builder of the `mode` instance.
    fn new(resolver: &'r Resolver<'s>, mode: Mode) -> Self {
        Builder {
            resolver,
            mode,
            refs: Vec::new(),
            steps: 0,
            nulled: false,
        }
    }

    /// Whether only what is required is built: in the minimal instance, or
    /// once an instance has grown large.
    fn lean(&self) -> bool {
        self.mode == Mode::Minimal || self.steps > SOFT_STEPS
    }

    /// A value of `r`, `$ref` followed within the bounds; `pick` chooses
    /// the member of a `oneOf`/`anyOf` of `r` itself.
    fn of<T: Borrow<Schema>>(
        &mut self,
        r: &'s ReferenceOr<T>,
        depth: usize,
        pick: Option<usize>,
    ) -> Option<Value> {
        self.steps += 1;
        if self.steps > HARD_STEPS || depth > MAX_DEPTH {
            return None;
        }
        match r {
            ReferenceOr::Item(schema) => self.value(schema.borrow(), depth, pick),
            ReferenceOr::Reference { reference } => {
                let repeats = self.refs.iter().filter(|r| **r == reference).count();
                if self.refs.len() >= MAX_REFS || repeats >= MAX_REPEATS {
                    return None;
                }
                let schema = self.resolver.named(reference)?;
                self.refs.push(reference);
                let value = self.value(schema, depth, pick);
                self.refs.pop();
                value
            }
        }
    }

    /// A value of `schema`: its default or first enum value when it has
    /// one, else one built from its type, merged with one of each `allOf`
    /// member and of one member of each union.
    fn value(&mut self, schema: &'s Schema, depth: usize, pick: Option<usize>) -> Option<Value> {
        if let SchemaKind::Not { .. } = schema.schema_kind {
            return None;
        }
        let sh = shape(schema);
        if self.mode == Mode::Sampled {
            if let Some(example) = own_example(schema, &sh) {
                return Some(example);
            }
            // A string its `pattern` matches, which `text` seldom is, nor
            // a format's sample (a UUID of another version than Immich's
            // pattern asks for); the caller judges it against the format.
            if let (Some("string"), Some(pattern)) = (sh.typ, sh.pattern) {
                let (min, max) = (
                    sh.min_length.unwrap_or(0),
                    sh.max_length.unwrap_or(usize::MAX),
                );
                if let Some(text) = super::pattern::matching_within(pattern, min, max) {
                    return Some(Value::String(text));
                }
            }
        }
        if let Some(preset) = preset(schema, &sh) {
            return Some(preset);
        }
        if sh.typ == Some("array") {
            if let Some(members) = crate::load::prefix_items(schema) {
                return self.tuple(&members, depth);
            }
        }
        let mut acc = match sh.typ {
            Some("object") => Some(self.object(&sh, depth)?),
            Some("array") => Some(self.array(&sh, depth)?),
            Some("null") => Some(Value::Null),
            Some(typ) => Some(scalar(&sh, typ)?),
            None => None,
        };
        for member in sh.all_of {
            if self.resolver.resolve(member).is_some_and(unconstrained) {
                continue;
            }
            let value = self.of(member, depth + 1, None)?;
            acc = Some(merge(acc, value));
        }
        let mut pick = pick;
        for union in [sh.one_of, sh.any_of] {
            if !union.is_empty() {
                let value = self.member(schema, union, pick.take(), depth)?;
                acc = Some(merge(acc, value));
            }
        }
        match acc {
            Some(value) => Some(value),
            None if sh.not.is_some() => None,
            None => Some(anything()),
        }
    }

    /// A value of member `pick` of `union` (a member of `parent`), or of
    /// its first member that has one; tagged as `parent`'s discriminator
    /// says when the member is a `$ref`.
    fn member(
        &mut self,
        parent: &Schema,
        union: &'s [ReferenceOr<Schema>],
        pick: Option<usize>,
        depth: usize,
    ) -> Option<Value> {
        let (index, mut value) = match pick {
            Some(i) => (i, self.of(union.get(i)?, depth + 1, None)?),
            None => union
                .iter()
                .enumerate()
                .find_map(|(i, m)| Some((i, self.of(m, depth + 1, None)?)))?,
        };
        if let (Some(d), Value::Object(map), ReferenceOr::Reference { reference }) =
            (&parent.schema_data.discriminator, &mut value, &union[index])
        {
            let name = unescape(reference.rsplit('/').next().unwrap_or(reference));
            let tag = d
                .mapping
                .iter()
                .find(|(_, target)| *target == reference || **target == name)
                .map_or(name.clone(), |(tag, _)| tag.clone());
            map.insert(d.property_name.clone(), Value::String(tag));
        }
        Some(value)
    }

    /// An object of `sh`'s properties, in their order: the required ones,
    /// the others unless lean, and an additional property when allowed.
    fn object(&mut self, sh: &Shape<'s>, depth: usize) -> Option<Value> {
        let mut map = Map::new();
        let properties = sh.properties.into_iter().flatten();
        let mut required_left = properties
            .clone()
            .filter(|(name, _)| sh.required.contains(name))
            .count();
        let min = sh.min_properties.unwrap_or(0);
        for (name, prop) in properties {
            let required = sh.required.contains(name);
            if required {
                required_left -= 1;
            } else if self.lean() && map.len() + required_left >= min {
                continue;
            }
            match self.property(prop, required, depth) {
                Some(value) => {
                    map.insert(name.clone(), value);
                }
                None if required => return None,
                None => {}
            }
        }
        // Required names that no property declares: additional properties.
        let declared = |name: &String| sh.properties.is_some_and(|p| p.contains_key(name));
        for name in sh.required.iter().filter(|name| !declared(name)) {
            if let Some(value) = self.additional(sh, depth) {
                map.insert(name.clone(), value);
            }
        }
        if !self.lean() && !map.contains_key(EXTRA_KEY) {
            if let Some(value) = self.additional(sh, depth) {
                map.insert(EXTRA_KEY.to_owned(), value);
            }
        }
        Some(Value::Object(map))
    }

    /// A value of an additional property of `sh`, when it allows them: a
    /// string for `true`, else one of the schema.
    fn additional(&mut self, sh: &Shape<'s>, depth: usize) -> Option<Value> {
        match sh.additional? {
            AdditionalProperties::Any(true) => Some(Value::String("text".to_owned())),
            AdditionalProperties::Any(false) => None,
            AdditionalProperties::Schema(extra) => self.of(&**extra, depth + 1, None),
        }
    }

    /// A value of a property: `null` when nullable in [`Mode::Nulls`], or
    /// when required and nothing else can be built (a recursion cut off).
    fn property(
        &mut self,
        prop: &'s ReferenceOr<Box<Schema>>,
        required: bool,
        depth: usize,
    ) -> Option<Value> {
        let nullable = self
            .resolver
            .resolve(prop)
            .is_some_and(|s| s.schema_data.nullable);
        if nullable && self.mode == Mode::Nulls {
            self.nulled = true;
            return Some(Value::Null);
        }
        let value = self.of(prop, depth + 1, None);
        value.or_else(|| (required && nullable).then_some(Value::Null))
    }

    /// A tuple (3.1's `prefixItems`): a value of each member, in order.
    fn tuple(&mut self, members: &[ReferenceOr<Schema>], depth: usize) -> Option<Value> {
        // The members are read from the schema, not borrowed from the
        // document: a builder of their lifetime makes them.
        let mut members_builder = Builder {
            resolver: self.resolver,
            mode: self.mode,
            refs: self.refs.clone(),
            steps: self.steps,
            nulled: self.nulled,
        };
        let items: Option<Vec<Value>> = members
            .iter()
            .map(|m| members_builder.of(m, depth + 1, None))
            .collect();
        self.steps = members_builder.steps;
        self.nulled = members_builder.nulled;
        items.map(Value::Array)
    }

    /// An array of `minItems` items, or, unless lean, of at least one.
    fn array(&mut self, sh: &Shape<'s>, depth: usize) -> Option<Value> {
        let min = sh.min_items.unwrap_or(0);
        if min > MAX_LENGTH {
            return None;
        }
        let count = if self.lean() {
            min
        } else {
            min.max(1).min(sh.max_items.unwrap_or(usize::MAX))
        };
        if count == 0 {
            return Some(Value::Array(Vec::new()));
        }
        let item = match sh.items {
            Some(items) => self.of(items, depth + 1, None).or_else(|| {
                let nullable = self.resolver.resolve(items);
                (min > 0 && nullable.is_some_and(|s| s.schema_data.nullable)).then_some(Value::Null)
            }),
            None => Some(anything()),
        };
        match item {
            None if min == 0 => Some(Value::Array(Vec::new())),
            None => None,
            Some(item) => {
                let size = serde_json::to_vec(&item).map_or(usize::MAX, |b| b.len());
                (size.saturating_mul(count) <= MAX_BYTES).then(|| Value::Array(vec![item; count]))
            }
        }
    }
}

/// The value of a schema that allows any: an empty object.
fn anything() -> Value {
    Value::Object(Map::new())
}

/// Whether `schema` constrains nothing a value is built from (a
/// description, `nullable: true` alone): an `allOf` member to pass over.
fn unconstrained(schema: &Schema) -> bool {
    let sh = shape(schema);
    sh.typ.is_none()
        && sh.all_of.is_empty()
        && sh.one_of.is_empty()
        && sh.any_of.is_empty()
        && sh.not.is_none()
        && enum_values(schema, 1).is_empty()
}

/// `value` merged into `acc`: objects key by key (recursively, `value`'s
/// scalars win); anything else keeps `acc`.
fn merge(acc: Option<Value>, value: Value) -> Value {
    match (acc, value) {
        (None, value) => value,
        (Some(Value::Object(mut acc)), Value::Object(value)) => {
            for (key, value) in value {
                match acc.get_mut(&key) {
                    Some(old) if old.is_object() && value.is_object() => {
                        let taken = std::mem::take(old);
                        *old = merge(Some(taken), value);
                    }
                    Some(old) => *old = value,
                    None => {
                        acc.insert(key, value);
                    }
                }
            }
            Value::Object(acc)
        }
        (Some(acc), _) => acc,
    }
}

/// A scalar schema's own `example`, when it is of the schema's type.
fn own_example(schema: &Schema, sh: &Shape) -> Option<Value> {
    let example = schema.schema_data.example.as_ref()?;
    let fits = match sh.typ {
        Some("string") => example.is_string(),
        Some("integer") => example.is_i64() || example.is_u64(),
        Some("number") => example.is_number(),
        Some("boolean") => example.is_boolean(),
        _ => false,
    };
    fits.then(|| example.clone())
}

/// The value a scalar schema names itself: its `default` when of its type,
/// else its first enum value (of any type).
fn preset(schema: &Schema, sh: &Shape) -> Option<Value> {
    let default = schema
        .schema_data
        .default
        .as_ref()
        .filter(|d| match sh.typ {
            Some("string") => d.is_string(),
            Some("integer") => d.is_i64() || d.is_u64(),
            Some("number") => d.is_number(),
            Some("boolean") => d.is_boolean(),
            None => !(d.is_null() || d.is_object() || d.is_array()),
            Some(_) => false,
        });
    default
        .cloned()
        .or_else(|| enum_values(schema, 1).into_iter().next())
}

/// A value of the scalar type `typ` within `b`'s constraints; `None`
/// for a type JSON does not have, or a string too long to build.
fn scalar(b: &Shape, typ: &str) -> Option<Value> {
    match typ {
        "string" => string(b).map(Value::String),
        "integer" => numeric(b, true),
        // `format: int32` on a `number` asks for a whole one too.
        "number" => numeric(
            b,
            matches!(
                b.format,
                Some(
                    "int8"
                        | "int16"
                        | "int32"
                        | "int64"
                        | "integer"
                        | "uint8"
                        | "uint16"
                        | "uint32"
                        | "uint64"
                )
            ),
        ),
        "boolean" => Some(Value::Bool(true)),
        _ => None,
    }
}

/// A string of the format, when its sample fits the length bounds, else
/// `text` padded or cut to them.
fn string(b: &Shape) -> Option<String> {
    let min = b.min_length.unwrap_or(0);
    if min > MAX_LENGTH {
        return None;
    }
    let max = b.max_length.unwrap_or(usize::MAX);
    if let Some(sample) = b.format.and_then(format_sample) {
        let n = sample.chars().count();
        if (min..=max).contains(&n) {
            return Some(sample.to_owned());
        }
    }
    Some("text".chars().cycle().take(4.max(min).min(max)).collect())
}

/// A string of a known `format`.
fn format_sample(format: &str) -> Option<&'static str> {
    Some(match format {
        "date-time" => "2024-01-02T03:04:05Z",
        "date" => "2024-01-02",
        "time" => "03:04:05Z",
        "uuid" => "6f1c8b2a-1d2e-4f3a-9b4c-5d6e7f8a9b0c",
        "byte" => "aGVsbG8=",
        "email" | "idn-email" => "user@example.com",
        "uri" | "url" | "uri-reference" | "iri" | "iri-reference" => "https://example.com/",
        "ipv4" => "192.0.2.1",
        "ipv6" => "2001:db8::1",
        "hostname" | "idn-hostname" => "example.com",
        "decimal" | "money" | "money-usd" | "double" | "float" | "number" => "12.50",
        "int32" | "int64" | "integer" => "12",
        _ => return None,
    })
}

/// 0 for an integer, 1.5 for a number, or else the first of a few
/// candidates (the bounds, their neighbours, multiples of `multipleOf`
/// near them) that fits: within the bounds, a multiple, a whole number for
/// an integer. When none does, the caller's validation decides.
fn numeric(b: &Shape, integer: bool) -> Option<Value> {
    let (lo, hi) = (b.minimum, b.maximum);
    let step = b.multiple_of.filter(|m| *m > 0.0);
    let fits = |v: f64| {
        let above = lo.is_none_or(|lo| v > lo || (v == lo && !b.exclusive_minimum));
        let below = hi.is_none_or(|hi| v < hi || (v == hi && !b.exclusive_maximum));
        let tolerance = 1e-9 * v.abs().max(1.0);
        let multiple = step.is_none_or(|m| ((v / m).round() * m - v).abs() <= tolerance);
        v.is_finite() && above && below && multiple && (!integer || v.fract() == 0.0)
    };
    let mut candidates = vec![if integer { 0.0 } else { 1.5 }];
    for bound in lo.into_iter().chain(hi) {
        candidates.extend([bound, bound.ceil(), bound.floor(), bound + 1.0, bound - 1.0]);
    }
    if let (Some(lo), Some(hi)) = (lo, hi) {
        candidates.extend([lo + (hi - lo) / 2.0, (lo + (hi - lo) / 2.0).floor()]);
    }
    if let Some(m) = step {
        candidates.push(m);
        for bound in lo.into_iter().chain(hi) {
            let n = (bound / m).floor();
            candidates.extend([(n + 1.0) * m, n * m, (n + 2.0) * m, (n - 1.0) * m]);
        }
    }
    candidates.push(0.0);
    let v = candidates
        .iter()
        .copied()
        .find(|v| fits(*v))
        .unwrap_or(candidates[0]);
    if integer {
        // `as` saturates, and is exact for the integers a document holds.
        Some(Value::from(v as i64))
    } else {
        Number::from_f64(v).map(Value::Number)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::tests::{doc, named};
    use serde_json::json;

    /// The instances of component `name` of `schemas`, as (label, value);
    /// built twice, to check they are the same.
    fn instances(schemas: &str, name: &str) -> Vec<(String, Value)> {
        let api = doc(schemas);
        let built = build(&Resolver::new(&api), &named(name));
        assert_eq!(built, build(&Resolver::new(&api), &named(name)));
        built.into_iter().map(|i| (i.label, i.value)).collect()
    }

    /// The labels of `all`.
    fn labels(all: &[(String, Value)]) -> Vec<&str> {
        all.iter().map(|(l, _)| l.as_str()).collect()
    }

    /// The instance of component `name` labelled `label`.
    fn one(schemas: &str, name: &str, label: &str) -> Value {
        let all = instances(schemas, name);
        let found = all.iter().find(|(l, _)| l == label).map(|(_, v)| v.clone());
        found.unwrap_or_else(|| panic!("no {label} in {all:?}"))
    }

    const PET: &str = "Pet:\n  type: object\n  required: [name, owner]\n  properties:\n    name: {type: string}\n    owner: {$ref: '#/components/schemas/Owner'}\n    id: {type: integer}\n    tags: {type: array, items: {type: string}}\n\
        Owner:\n  required: [login]\n  properties: {login: {type: string}, email: {type: string, format: email}}";

    #[test]
    fn minimal_and_full_of_nested_objects() {
        let all = instances(PET, "Pet");
        assert_eq!(labels(&all), ["minimal", "full"]);
        let minimal = json!({"name": "text", "owner": {"login": "text"}});
        assert_eq!(all[0].1, minimal);
        let owner = json!({"login": "text", "email": "user@example.com"});
        let full = json!({"name": "text", "owner": owner, "id": 0, "tags": ["text"]});
        assert_eq!(all[1].1, full);
        let keys: Vec<&String> = all[1].1.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["name", "owner", "id", "tags"], "the schema's order");
    }

    #[test]
    fn recursion_ends() {
        let looped = "L: {required: [next], properties: {next: {$ref: '#/components/schemas/L'}}}";
        assert!(instances(looped, "L").is_empty());
        let itself = "A: {allOf: [{$ref: '#/components/schemas/A'}]}";
        assert!(instances(itself, "A").is_empty());
        let either = "B: {oneOf: [{$ref: '#/components/schemas/B'}, {type: string}]}";
        assert_eq!(one(either, "B", "minimal"), json!("text"));
        let tree = "T:\n  required: [name]\n  properties:\n    name: {type: string}\n    children: {type: array, items: {$ref: '#/components/schemas/T'}}";
        let leaf = json!({"name": "text", "children": []});
        let full = json!({"name": "text", "children": [leaf]});
        assert_eq!(one(tree, "T", "full"), full);
        // Wide and recursive everywhere: bounded all the same.
        let mut wide = String::new();
        for i in 0..12 {
            wide.push_str(&format!("S{i}:\n  type: object\n  properties:\n"));
            for j in 0..12 {
                wide.push_str(&format!(
                    "    p{j}: {{$ref: '#/components/schemas/S{j}'}}\n"
                ));
            }
            wide.push_str("    q: {type: array, items: {$ref: '#/components/schemas/S0'}}\n");
        }
        assert!(one(&wide, "S0", "full").is_object());
    }

    #[test]
    fn enums_nulls_and_nullables() {
        let all = instances(
            "C: {type: string, enum: [red, green, null], nullable: true}",
            "C",
        );
        assert_eq!(labels(&all), ["minimal", "enum green", "null"]);
        assert_eq!(all[0].1, json!("red"));
        let t = "T:\n  nullable: true\n  type: object\n  required: [a]\n  properties:\n    a: {type: string, nullable: true}\n    b: {type: object, properties: {c: {type: integer, nullable: true}}}";
        assert_eq!(
            labels(&instances(t, "T")),
            ["minimal", "full", "null", "nulls"]
        );
        assert_eq!(one(t, "T", "nulls"), json!({"a": null, "b": {"c": null}}));
        let plain = instances("P: {properties: {a: {type: string}}}", "P");
        assert_eq!(labels(&plain), ["minimal", "full"]);
    }

    #[test]
    fn one_of_variants_and_all_of_merge() {
        let pets = "Pet:\n  oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]\n  discriminator: {propertyName: kind, mapping: {cat: '#/components/schemas/Cat'}}\n\
            Cat: {required: [kind], properties: {kind: {type: string}, meows: {type: boolean}}}\n\
            Dog: {required: [kind], properties: {kind: {type: string}, barks: {type: boolean}}}";
        // Variant 0 is the full instance, which keeps its first label.
        assert_eq!(
            labels(&instances(pets, "Pet")),
            ["minimal", "full", "variant 1"]
        );
        assert_eq!(one(pets, "Pet", "minimal"), json!({"kind": "cat"}));
        assert_eq!(
            one(pets, "Pet", "full"),
            json!({"kind": "cat", "meows": true})
        );
        assert_eq!(
            one(pets, "Pet", "variant 1"),
            json!({"kind": "Dog", "barks": true})
        );
        let all_of = "A:\n  allOf:\n    - $ref: '#/components/schemas/Base'\n    - {type: object, required: [b], properties: {b: {type: integer, minimum: 3}}}\n    - {description: nothing}\n\
            Base: {required: [a], properties: {a: {type: string}}}";
        assert_eq!(one(all_of, "A", "minimal"), json!({"a": "text", "b": 3}));
    }

    #[test]
    fn additional_properties() {
        let schemas = "M: {type: object, properties: {x: {type: string}}, additionalProperties: {type: integer}}\n\
            N: {type: object, additionalProperties: true}\n\
            F: {type: object, properties: {x: {type: string}}, additionalProperties: false}\n\
            S: {type: string, additionalProperties: true}";
        let extra = json!({"x": "text", "additionalProp1": 0});
        assert_eq!(one(schemas, "M", "full"), extra);
        assert_eq!(
            one(schemas, "N", "full"),
            json!({"additionalProp1": "text"})
        );
        assert_eq!(one(schemas, "F", "full"), json!({"x": "text"}));
        assert_eq!(one(schemas, "S", "minimal"), json!("text"));
    }

    #[test]
    fn formats_bounds_and_defaults() {
        let cases = r#"{type: string, format: date-time} | "2024-01-02T03:04:05Z"
            {type: string, format: uuid} | "6f1c8b2a-1d2e-4f3a-9b4c-5d6e7f8a9b0c"
            {type: string, format: byte} | "aGVsbG8="
            {type: string, format: decimal} | "12.50"
            {type: string, format: money-usd} | "12.50"
            {type: string, minLength: 10} | "texttextte"
            {type: string, format: date, maxLength: 3} | "tex"
            {type: string, default: d, enum: [a, d]} | "d"
            {type: integer, minimum: 5} | 5
            {type: integer, minimum: 5, exclusiveMinimum: true} | 6
            {type: integer, maximum: -3} | -3
            {type: integer, minimum: 10, multipleOf: 7} | 14
            {type: integer, default: 42} | 42
            {type: integer, default: x} | 0
            {type: number} | 1.5
            {type: number, minimum: 2, maximum: 2} | 2.0
            {type: number, maximum: 1.5, exclusiveMaximum: true} | 1.0
            {type: boolean} | true
            {type: array, minItems: 2, items: {type: integer}} | [0, 0]"#;
        for (schema, expected) in cases.lines().filter_map(|l| l.trim().split_once(" | ")) {
            let expected: Value = serde_json::from_str(expected).unwrap();
            assert_eq!(
                one(&format!("X: {schema}"), "X", "minimal"),
                expected,
                "{schema}"
            );
        }
    }

    #[test]
    fn nots_and_impossible_schemas_give_nothing() {
        assert!(instances("X: {not: {type: string}}", "X").is_empty());
        assert!(instances("X: {type: string, minLength: 1000000000}", "X").is_empty());
        assert!(instances("X: {$ref: '#/components/schemas/Y'}", "X").is_empty());
        let not = "X: {properties: {a: {not: {}}, b: {type: string}}}";
        assert_eq!(one(not, "X", "full"), json!({"b": "text"}));
    }
}
