//! Whether a value is valid against its own schema, judged by a JSON Schema
//! validator (`boon`), not by the generator's own reading of the schema.
//!
//! An example that breaks its own schema is the document's fault, and is
//! counted apart from the crate's failures. The generator's types are not
//! the judge of that: a validator that knows nothing of Rust is.
//!
//! OpenAPI 3.0 schemas are JSON Schema draft 4 with a few changes. The
//! document (as `openapiv3` reads it, so with the loader's rewrites) is
//! turned into draft 4 once: `nullable: true` becomes a `type` that allows
//! `null`, and an integer's `format` becomes the bounds of the Rust integer
//! it is read into (`int32` is `i32`): a value out of those bounds breaks
//! the format, not the crate. One leniency of the generator's is the
//! validator's too, because it is deliberate and documented: an amount of
//! money (`format: decimal`, `money`, `money-usd`) is read from a number or
//! a string, as APIs that keep money exact send it (Zoo's do).

use serde_json::{Map, Value};
use std::collections::HashMap;

/// How many schemas deep, at one place of a value, the validator is
/// trusted to go (it recurses).
const MAX_IN_PLACE: usize = 64;

/// Where the document is found by the validator.
const DOCUMENT: &str = "urn:openapi-codegen:document";

/// Validates values against schemas of one document, compiling each schema
/// once.
pub(crate) struct Validator {
    compiler: boon::Compiler,
    schemas: boon::Schemas,
    /// Schema pointer → its compiled index, or why it cannot be compiled.
    compiled: HashMap<String, Option<boon::SchemaIndex>>,
    /// The document as the validator reads it.
    document: Value,
    /// Schema pointer → how deep it goes at one place of a value (see
    /// [`Validator::depth`]).
    depths: HashMap<String, usize>,
}

/// A loader that loads nothing: a `$ref` out of the document is not
/// followed (it is reported by lowering, and the validator says nothing of
/// a value whose schema has one).
struct NoLoader;

impl boon::UrlLoader for NoLoader {
    fn load(&self, url: &str) -> Result<Value, Box<dyn std::error::Error>> {
        Err(format!("`{url}` is outside the document").into())
    }
}

impl Validator {
    /// A validator for the schemas of a document (`openapiv3::OpenAPI`, as
    /// JSON).
    pub(crate) fn new(mut document: Value) -> Validator {
        to_draft4(&mut document);
        let mut compiler = boon::Compiler::new();
        compiler.set_default_draft(boon::Draft::V4);
        compiler.enable_format_assertions();
        compiler.use_loader(Box::new(NoLoader));
        compiler.register_format(boon::Format {
            name: "byte",
            func: is_base64,
        });
        // Money is read as a decimal: as text, it must be one.
        for name in ["decimal", "money", "money-usd"] {
            compiler.register_format(boon::Format {
                name,
                func: is_decimal_text,
            });
        }
        // The URN is absolute and well formed: this cannot fail.
        let _ = compiler.add_resource(DOCUMENT, document.clone());
        Validator {
            compiler,
            schemas: boon::Schemas::new(),
            compiled: HashMap::new(),
            document,
            depths: HashMap::new(),
        }
    }

    /// How many schemas deep the schema at `pointer` goes without going
    /// into the value (through `$ref`, `allOf`, `anyOf`, `oneOf`, `not`);
    /// `usize::MAX` when it reaches itself that way (`A: {allOf: [$ref:
    /// A]}`), which has no finite meaning. A validator follows such chains
    /// by recursion, so a schema past [`MAX_IN_PLACE`] is not judged;
    /// lowering has reported what it made of it.
    fn depth(&mut self, pointer: &str) -> usize {
        if let Some(known) = self.depths.get(pointer) {
            return *known;
        }
        // Depth-first, without recursion. `on_path` holds the nodes being
        // walked; meeting one again is a loop.
        let mut on_path: HashMap<String, ()> = HashMap::new();
        let mut stack: Vec<(String, Vec<String>, usize)> = Vec::new();
        let start = pointer.to_owned();
        on_path.insert(start.clone(), ());
        let children = same_place(&self.document, &start);
        stack.push((start, children, 1));
        while let Some((node, children, deepest)) = stack.last_mut() {
            match children.pop() {
                Some(next) => {
                    if on_path.contains_key(&next) {
                        *deepest = usize::MAX;
                    } else if let Some(known) = self.depths.get(&next) {
                        *deepest = (*deepest).max(known.saturating_add(1));
                    } else {
                        on_path.insert(next.clone(), ());
                        let children = same_place(&self.document, &next);
                        stack.push((next, children, 1));
                    }
                }
                None => {
                    let (node, deepest) = (node.clone(), *deepest);
                    on_path.remove(&node);
                    stack.pop();
                    self.depths.insert(node, deepest);
                    if let Some((_, _, parent)) = stack.last_mut() {
                        *parent = (*parent).max(deepest.saturating_add(1));
                    }
                }
            }
        }
        self.depths.get(pointer).copied().unwrap_or(usize::MAX)
    }

    /// Why `value` breaks the schema at `schema_pointer` (a JSON pointer
    /// into the document, `#/components/schemas/Pet`), or `None` when it
    /// does not, or when the schema cannot be judged (a `$ref` out of the
    /// document).
    pub(crate) fn violation(&mut self, schema_pointer: &str, value: &Value) -> Option<String> {
        if self.depth(schema_pointer) > MAX_IN_PLACE {
            return None;
        }
        let index = match self.compiled.get(schema_pointer) {
            Some(index) => *index,
            None => {
                let location = format!("{DOCUMENT}#{}", fragment(schema_pointer));
                let index = self.compiler.compile(&location, &mut self.schemas).ok();
                self.compiled.insert(schema_pointer.to_owned(), index);
                index
            }
        }?;
        match self.schemas.validate(value, index) {
            Ok(()) => None,
            Err(error) => Some(summary(&error)),
        }
    }
}

/// The schemas that apply at the same place of a value as the schema at
/// `pointer`: its `$ref`'s target, its `allOf`, `anyOf` and `oneOf` members,
/// its `not`.
fn same_place(document: &Value, pointer: &str) -> Vec<String> {
    let Some(Value::Object(schema)) =
        document.pointer(pointer.strip_prefix('#').unwrap_or(pointer))
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if let Some(Value::String(target)) = schema.get("$ref")
        && target.starts_with('#')
    {
        out.push(target.clone());
    }
    for keyword in ["allOf", "anyOf", "oneOf"] {
        if let Some(Value::Array(members)) = schema.get(keyword) {
            out.extend((0..members.len()).map(|i| format!("{pointer}/{keyword}/{i}")));
        }
    }
    if schema.get("not").is_some_and(Value::is_object) {
        out.push(format!("{pointer}/not"));
    }
    out
}

/// A JSON pointer (`#/paths/~1pets/get`) as a URL fragment: percent-encoded
/// outside the characters a fragment may hold.
fn fragment(pointer: &str) -> String {
    let pointer = pointer.strip_prefix('#').unwrap_or(pointer);
    let mut out = String::with_capacity(pointer.len());
    for byte in pointer.bytes() {
        if byte.is_ascii_alphanumeric() || b"/~-._!$&'()*+,;=:@".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The leaf errors of a validation error, where they are in the value and
/// what is wrong, at most three.
fn summary(error: &boon::ValidationError<'_, '_>) -> String {
    let mut leaves = Vec::new();
    let mut stack = vec![error];
    while let Some(e) = stack.pop() {
        if e.causes.is_empty() {
            leaves.push(format!("at `{}`: {}", e.instance_location, e.kind));
        } else {
            stack.extend(e.causes.iter().rev());
        }
    }
    let more = leaves.len().saturating_sub(3);
    leaves.truncate(3);
    let mut text = leaves.join("; ");
    if more > 0 {
        text.push_str(&format!(" (and {more} more)"));
    }
    text
}

/// Whether a string is base64 (standard alphabet, padding optional), as
/// `format: byte` asks.
fn is_base64(value: &Value) -> Result<(), Box<dyn std::error::Error>> {
    let Value::String(s) = value else {
        return Ok(());
    };
    let body = s.trim_end_matches('=');
    let valid = s.len() - body.len() <= 2
        && body
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
        && body.len() % 4 != 1;
    if valid {
        Ok(())
    } else {
        Err("not base64".into())
    }
}

/// Whether a value of a money format is one the crate reads as a decimal:
/// a number, or a string that writes one (`12.50`, `-3`, `1e3`).
fn is_decimal_text(value: &Value) -> Result<(), Box<dyn std::error::Error>> {
    let Value::String(text) = value else {
        return Ok(());
    };
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (mantissa, exponent) = match digits.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e.strip_prefix(['-', '+']).unwrap_or(e))),
        None => (digits, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let valid = !(whole.is_empty() && fraction.is_empty())
        && all_digits(whole)
        && all_digits(fraction)
        && exponent.is_none_or(|e| !e.is_empty() && all_digits(e));
    if valid {
        Ok(())
    } else {
        Err(format!("`{text}` is not a decimal number").into())
    }
}

/// Rewrites an OpenAPI 3.0 document's schemas as JSON Schema draft 4, in
/// place, without recursion (documents nest deeply).
fn to_draft4(document: &mut Value) {
    let mut stack = vec![document];
    while let Some(value) = stack.pop() {
        match value {
            Value::Object(map) => {
                if map.get("nullable") == Some(&Value::Bool(true)) {
                    allow_null(map);
                }
                bound_integer(map);
                money_as_text(map);
                unreadable_pattern(map);
                stack.extend(map.values_mut());
            }
            Value::Array(items) => stack.extend(items.iter_mut()),
            _ => {}
        }
    }
}

/// A `pattern` the validator's regular expressions cannot read: a
/// look-around is left out of it (Nexus's `Name`, which nearly every type
/// holds, is "no UUID" by a look-ahead, then letters: the letters are
/// still judged, so a UUID that begins with a digit is not a `Name`), and a
/// pattern still unreadable (a back-reference) is left out whole;
/// otherwise the whole schema, and every one that refers to it, could not
/// be judged at all.
fn unreadable_pattern(schema: &mut Map<String, Value>) {
    let Some(Value::String(pattern)) = schema.get_mut("pattern") else {
        return;
    };
    if regex_syntax::parse(pattern).is_ok() {
        return;
    }
    let readable = super::pattern::without_look_arounds(pattern);
    if regex_syntax::parse(&readable).is_ok() {
        *pattern = readable;
    } else {
        schema.remove("pattern");
    }
}

/// `nullable: true`: `null` is allowed too.
fn allow_null(schema: &mut Map<String, Value>) {
    schema.remove("nullable");
    if let Some(Value::Array(values)) = schema.get_mut("enum")
        && !values.contains(&Value::Null)
    {
        values.push(Value::Null);
    }
    match schema.get_mut("type") {
        Some(Value::String(ty)) => {
            let ty = Value::String(std::mem::take(ty));
            schema.insert("type".into(), Value::Array(vec![ty, "null".into()]));
        }
        Some(_) => {}
        None => {
            // No type of its own (an `allOf`, a `oneOf`): either it, or null.
            let inner = std::mem::take(schema);
            let mut null = Map::new();
            null.insert("type".into(), "null".into());
            schema.insert(
                "anyOf".into(),
                Value::Array(vec![Value::Object(inner), Value::Object(null)]),
            );
        }
    }
}

/// An amount of money may be written as a number or as a string.
fn money_as_text(schema: &mut Map<String, Value>) {
    let money = matches!(
        schema.get("format").and_then(Value::as_str),
        Some("decimal" | "money" | "money-usd")
    );
    if !money {
        return;
    }
    let both = || Value::Array(vec!["number".into(), "string".into()]);
    match schema.get_mut("type") {
        Some(Value::String(t)) if t == "number" || t == "string" => {
            schema.insert("type".into(), both());
        }
        Some(Value::Array(types)) => {
            for t in ["number", "string"] {
                if !types.iter().any(|x| x == t) {
                    types.push(t.into());
                }
            }
        }
        _ => {}
    }
}

/// An integer's `format` as the bounds of the Rust integer it is read into.
fn bound_integer(schema: &mut Map<String, Value>) {
    let is_integer = match schema.get("type") {
        Some(Value::String(t)) => t == "integer",
        Some(Value::Array(ts)) => ts.iter().any(|t| t == "integer"),
        _ => false,
    };
    if !is_integer {
        return;
    }
    let (low, high): (i128, i128) = match schema.get("format").and_then(Value::as_str) {
        Some("int8") => (i8::MIN.into(), i8::MAX.into()),
        Some("int16") => (i16::MIN.into(), i16::MAX.into()),
        Some("int32") => (i32::MIN.into(), i32::MAX.into()),
        Some("uint8") => (0, u8::MAX.into()),
        Some("uint16") => (0, u16::MAX.into()),
        Some("uint32" | "uint") => (0, u32::MAX.into()),
        Some("uint64") => (0, u64::MAX.into()),
        _ => (i64::MIN.into(), i64::MAX.into()),
    };
    let number = |n: i128| -> Value {
        i64::try_from(n)
            .map(Value::from)
            .unwrap_or_else(|_| Value::from(u64::try_from(n).unwrap_or(u64::MAX)))
    };
    let tighter = |current: Option<&Value>, bound: i128, lower: bool| -> bool {
        let Some(current) = current.and_then(Value::as_f64) else {
            return true;
        };
        if lower {
            (bound as f64) > current
        } else {
            (bound as f64) < current
        }
    };
    if tighter(schema.get("minimum"), low, true) {
        schema.insert("minimum".into(), number(low));
        schema.remove("exclusiveMinimum");
    }
    if tighter(schema.get("maximum"), high, false) {
        schema.insert("maximum".into(), number(high));
        schema.remove("exclusiveMaximum");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn validator(yaml: &str) -> Validator {
        let api: openapiv3::OpenAPI = serde_yaml::from_str(yaml).unwrap();
        Validator::new(serde_json::to_value(&api).unwrap())
    }

    const DOC: &str = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Pet:
      type: object
      required: [name]
      properties:
        name: {type: string}
        age: {type: integer, format: int32, nullable: true}
        born: {type: string, format: date-time}
        tag: {$ref: '#/components/schemas/Tag'}
    Tag:
      type: string
      enum: [a, b]
      nullable: true
"#;

    #[test]
    fn valid_values_pass_and_faults_are_located() {
        let mut v = validator(DOC);
        let pet = "#/components/schemas/Pet";
        assert_eq!(
            v.violation(
                pet,
                &serde_json::json!({"name": "Rex", "age": null, "tag": null})
            ),
            None
        );
        let why = v
            .violation(pet, &serde_json::json!({"age": 3}))
            .expect("name is required");
        assert!(why.contains("name"), "{why}");
        let why = v
            .violation(pet, &serde_json::json!({"name": "x", "born": "yesterday"}))
            .expect("not a date-time");
        assert!(why.contains("/born"), "{why}");
        let why = v
            .violation(pet, &serde_json::json!({"name": "x", "tag": "c"}))
            .expect("not in the enum");
        assert!(why.contains("/tag"), "{why}");
    }

    #[test]
    fn integer_formats_are_the_rust_integers_bounds() {
        let mut v = validator(DOC);
        let pet = "#/components/schemas/Pet";
        assert!(
            v.violation(
                pet,
                &serde_json::json!({"name": "x", "age": 3_000_000_000u64})
            )
            .is_some()
        );
        assert!(
            v.violation(pet, &serde_json::json!({"name": "x", "age": 2_000_000_000}))
                .is_none()
        );
    }

    #[test]
    fn a_schema_that_reaches_itself_in_place_is_not_judged() {
        let mut v = validator(
            r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    A: {allOf: [{$ref: '#/components/schemas/B'}], nullable: true}
    B: {anyOf: [{$ref: '#/components/schemas/A'}, {type: string}]}
    Tree:
      type: object
      properties:
        children: {type: array, items: {$ref: '#/components/schemas/Tree'}}
"#,
        );
        assert_eq!(
            v.violation("#/components/schemas/A", &serde_json::json!(1)),
            None
        );
        assert_eq!(
            v.violation("#/components/schemas/B", &serde_json::json!(1)),
            None
        );
        let tree = "#/components/schemas/Tree";
        assert_eq!(v.depth(tree), 1, "going into the value is not deeper");
        assert_eq!(v.depth("#/components/schemas/A"), usize::MAX);
        assert!(
            v.violation(tree, &serde_json::json!({"children": [{"children": 1}]}))
                .is_some()
        );
    }

    #[test]
    fn a_long_chain_in_place_is_not_judged() {
        let mut schemas = serde_json::Map::new();
        for i in 0..200 {
            let next = format!("#/components/schemas/S{}", i + 1);
            schemas.insert(
                format!("S{i}"),
                serde_json::json!({"oneOf": [{"$ref": next}]}),
            );
        }
        schemas.insert("S200".into(), serde_json::json!({"type": "string"}));
        let document = serde_json::json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {},
            "components": {"schemas": schemas},
        });
        let mut v = Validator::new(document);
        // Each link is two schemas: the member, and the `$ref`'s target.
        assert_eq!(v.depth("#/components/schemas/S0"), 401);
        assert_eq!(
            v.violation("#/components/schemas/S0", &serde_json::json!(1)),
            None
        );
        assert!(
            v.violation("#/components/schemas/S190", &serde_json::json!(1))
                .is_some()
        );
    }

    #[test]
    fn pointers_with_any_characters_are_found() {
        let mut v = validator(
            r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /pets/{id}:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: integer}
"#,
        );
        let pointer = "#/paths/~1pets~1{id}/get/responses/200/content/application~1json/schema";
        assert!(v.violation(pointer, &serde_json::json!("x")).is_some());
        assert!(v.violation(pointer, &serde_json::json!(3)).is_none());
    }
}
