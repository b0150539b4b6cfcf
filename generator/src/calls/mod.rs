//! The call cases of a document (part of lowering, with
//! [`Config::call_tests`](crate::Config::call_tests)): for every operation
//! the crate has a method for, a value for each argument, so that the
//! crate's `tests/calls.rs` can call it once against a server of the
//! document and let that server judge the request.
//!
//! Each value is the first of these that its schema accepts (judged by the
//! JSON Schema validator the wire cases use) and that can go where the
//! parameter goes: the parameter's own `example` and `examples`, its
//! schema's examples, then instances built from the schema: the full one
//! with every scalar's own example (a value a `pattern` accepts), the full
//! one (every property and an item in every list, so that how each is
//! written is judged too), then the minimal one (required members only). A path value must stay one segment
//! (no `/`, `?`, `#` or `%`) and a header or cookie value one line. Every
//! required argument must have one, or the operation is not called, with
//! why; an optional parameter is sent whenever it has one, so that its
//! serialization is judged too.

use crate::diagnostics::child;
use crate::ir::{self, CallArg, CallCase, ParamLocation, TypeRef};
use crate::wire::{Judge, examples_of, instances, schema_at};
use serde_json::Value;

mod xml;

/// How many `$ref`s to a parameter, request body or example are followed
/// in a row.
const MAX_REFS: usize = 16;

/// The call case of every operation, in the operations' order.
pub(crate) fn cases(judge: &mut Judge<'_>, operations: &[ir::Operation]) -> Vec<CallCase> {
    operations.iter().map(|op| case(judge, op)).collect()
}

/// The call case of one operation.
fn case(judge: &mut Judge<'_>, op: &ir::Operation) -> CallCase {
    // Prism serves HTTP, and answers an upgrade with an example body.
    if op.session.is_some() {
        return CallCase {
            operation: op.rust_name.clone(),
            args: Vec::new(),
            not_called: Some(
                "a WebSocket session, which Prism does not serve (the loopback tests open one)"
                    .to_owned(),
            ),
        };
    }
    let mut args = Vec::new();
    let mut missing = Vec::new();
    for p in &op.params {
        let value = parameter_pointer(&judge.document, &op.origin, p)
            .ok_or_else(|| "its parameter object was not found".to_owned())
            .and_then(|at| parameter_value(judge, &at, p));
        match value {
            Ok((json, source)) => args.push(CallArg {
                rust_name: p.rust_name.clone(),
                json,
                source,
            }),
            Err(why) if p.required => missing.push(format!(
                "no value valid by its schema could be built for the {} parameter `{}` ({why})",
                location_name(p.location),
                p.wire_name
            )),
            Err(_) => {}
        }
    }
    if let Some(body) = &op.body {
        match body_value(judge, &op.origin, body) {
            Ok((json, source)) => args.push(CallArg {
                rust_name: body.rust_name.clone(),
                json,
                source,
            }),
            Err(why) if body.required => missing.push(why),
            Err(_) => {}
        }
    }
    let not_called = (!missing.is_empty()).then(|| missing.join("; "));
    CallCase {
        operation: op.rust_name.clone(),
        args,
        not_called,
    }
}

/// How OpenAPI's `in` names a location.
fn location_name(location: ParamLocation) -> &'static str {
    match location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}

/// The value at a pointer (`#/paths/...`), `$ref`s followed, with the
/// pointer it was found at.
fn follow(document: &Value, pointer: &str) -> Option<(String, Value)> {
    let mut pointer = pointer.to_owned();
    for _ in 0..MAX_REFS {
        let value = document.pointer(pointer.strip_prefix('#').unwrap_or(&pointer))?;
        match value.get("$ref").and_then(Value::as_str) {
            Some(reference) if reference.starts_with("#/") => pointer = reference.to_owned(),
            Some(_) => return None,
            None => return Some((pointer, value.clone())),
        }
    }
    None
}

/// The pointer of the parameter object `p` was lowered from: the
/// operation's own of that name and location, or else the path item's.
fn parameter_pointer(document: &Value, operation: &str, p: &ir::Param) -> Option<String> {
    let path_item = operation.rsplit_once('/').map(|(item, _)| item)?;
    let location = location_name(p.location);
    for owner in [operation, path_item] {
        let list = child(owner, "parameters");
        let count = document
            .pointer(list.strip_prefix('#').unwrap_or(&list))
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        for i in 0..count {
            let Some((at, parameter)) = follow(document, &format!("{list}/{i}")) else {
                continue;
            };
            let name = parameter.get("name").and_then(Value::as_str).unwrap_or("");
            let same_name = match p.location {
                ParamLocation::Header => name.eq_ignore_ascii_case(&p.wire_name),
                _ => name == p.wire_name,
            };
            if same_name && parameter.get("in").and_then(Value::as_str) == Some(location) {
                return Some(at);
            }
        }
    }
    None
}

/// A value for the parameter at `at`, as JSON text, with where it comes
/// from.
fn parameter_value(
    judge: &mut Judge<'_>,
    at: &str,
    p: &ir::Param,
) -> Result<(String, String), String> {
    let unread = || "its parameter object could not be read".to_owned();
    let parameter = follow(&judge.document, at).ok_or_else(unread)?.1;
    let schema = if parameter.get("schema").is_some() {
        child(at, "schema")
    } else {
        // A parameter with `content`: its one media type's schema.
        let media = parameter
            .get("content")
            .and_then(Value::as_object)
            .and_then(|content| content.keys().next())
            .ok_or_else(unread)?
            .clone();
        child(&child(&child(at, "content"), &media), "schema")
    };
    let mut candidates = own_examples(&judge.document, at, &parameter);
    candidates.extend(examples_of(&judge.document, &schema));
    let place = |value: &Value| fits_place(p.location, value) && fits_type(&p.ty, value);
    choose(judge, &schema, candidates, place)
}

/// A request body's value, as JSON text, with where it comes from: for a
/// text body a string, for a body of bytes the bytes' text. Why there is
/// none, when there is none.
fn body_value(
    judge: &mut Judge<'_>,
    operation: &str,
    body: &ir::RequestBody,
) -> Result<(String, String), String> {
    let none = || {
        format!(
            "no value valid by its schema could be built for the `{}` body",
            body.media_type
        )
    };
    let (at, request_body) =
        follow(&judge.document, &child(operation, "requestBody")).ok_or_else(none)?;
    let content = request_body
        .get("content")
        .and_then(Value::as_object)
        .ok_or_else(none)?;
    // The media type sent is the document's key, or what stands for a
    // range (`*/*`, `image/*`) or for several (`application/json;
    // charset=utf-8`) where the document's key is not one.
    let key = content
        .keys()
        .find(|k| **k == body.media_type)
        .or_else(|| {
            let essence = |t: &str| {
                t.split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase()
            };
            content
                .keys()
                .find(|k| essence(k) == essence(&body.media_type))
        })
        .or_else(|| content.keys().find(|k| k.contains('*')))
        .or_else(|| content.keys().next())
        .ok_or_else(none)?
        .clone();
    let media_at = child(&child(&at, "content"), &key);
    let media = content.get(&key).ok_or_else(none)?.clone();
    let schema = child(&media_at, "schema");
    let mut candidates = own_examples(&judge.document, &media_at, &media);
    for example in examples_of(&judge.document, &schema) {
        if !candidates.contains(&example) {
            candidates.push(example);
        }
    }
    let (json, source) = match &body.kind {
        ir::BodyKind::Json(ty) | ir::BodyKind::Form(ty) | ir::BodyKind::Multipart { ty, .. } => {
            let ty = ty.clone();
            choose(judge, &schema, candidates, move |v: &Value| {
                fits_type(&ty, v)
            })
            .map_err(|why| format!("{} ({why})", none()))?
        }
        ir::BodyKind::MultipartForm => {
            choose(judge, &schema, candidates, |v: &Value| {
                v.as_object().is_some_and(|o| !o.is_empty())
            })
            // A schema that names no parts (a bare `format: binary`, files):
            // a form of one file's text, which the server judges.
            .unwrap_or_else(|_| {
                (
                    r#"{"file":"text"}"#.to_owned(),
                    "a form of one part (the schema names none)".to_owned(),
                )
            })
        }
        ir::BodyKind::Text | ir::BodyKind::Bytes => {
            let (json, source) = if media.get("schema").is_some() {
                choose(judge, &schema, candidates, |_: &Value| true)
                    .map_err(|why| format!("{} ({why})", none()))?
            } else {
                ("\"text\"".to_owned(), "a text of its own".to_owned())
            };
            // Sent as text: a string as it is, an XML media type's value as
            // the XML document its schema describes, anything else as JSON.
            let value: Value = serde_json::from_str(&json).map_err(|_| none())?;
            match value {
                Value::String(text) => (Value::String(text).to_string(), source),
                value if body.media_type.contains("xml") => {
                    let text = xml::document(&judge.document, &schema, &value);
                    (
                        Value::String(text).to_string(),
                        format!("{source}, written as XML"),
                    )
                }
                other => (Value::String(other.to_string()).to_string(), source),
            }
        }
    };
    Ok((json, source))
}

/// An object's own `example` and `examples` (a parameter's, a media
/// type's), `$ref`s into `components/examples` followed.
fn own_examples(document: &Value, at: &str, object: &Value) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    if let Some(example) = object.get("example") {
        out.push((child(at, "example"), example.clone()));
    }
    if let Some(Value::Object(examples)) = object.get("examples") {
        for name in examples.keys() {
            let pointer = child(&child(at, "examples"), name);
            // An `externalValue` is not read: the document does not hold it.
            if let Some((_, example)) = follow(document, &pointer)
                && let Some(value) = example.get("value")
            {
                out.push((pointer, value.clone()));
            }
        }
    }
    out
}

/// The first candidate, then the first instance built from the schema at
/// `schema`, that the schema accepts and `fits`, as JSON text with where
/// it comes from; or why the first one tried was refused, the evidence
/// that no value could be built.
fn choose(
    judge: &mut Judge<'_>,
    schema: &str,
    examples: Vec<(String, Value)>,
    fits: impl Fn(&Value) -> bool,
) -> Result<(String, String), String> {
    let examples = examples
        .into_iter()
        .map(|(pointer, value)| (format!("example at {pointer}"), value));
    // The full instance with the schemas' own examples first (a value a
    // `pattern` accepts), then the full one (every property, items in
    // every list), so that how each is written is judged too; then the
    // minimal one.
    let parsed = schema_at(&judge.document, schema);
    let sampled = parsed
        .as_ref()
        .and_then(|s| instances::sampled(&judge.resolver, s))
        .map(|value| ("instance (full, with examples)".to_owned(), value));
    let mut built = parsed
        .map(|s| instances::build(&judge.resolver, &s))
        .unwrap_or_default();
    built.sort_by_key(|instance| instance.label != "full");
    let built = sampled.into_iter().chain(
        built
            .into_iter()
            .map(|instance| (format!("instance ({})", instance.label), instance.value)),
    );
    // Why the first example and the first instance were refused.
    let (mut example_refused, mut instance_refused) = (None, None);
    for (source, value) in examples.chain(built) {
        let refusal = if fits(&value) {
            match judge.validator.violation(schema, &value) {
                None => return Ok((value.to_string(), source)),
                Some(violation) => format!("{source} breaks its schema: {violation}"),
            }
        } else {
            format!("{source} cannot be sent as the crate's type takes it, or where it goes")
        };
        let first = if source.starts_with("example") {
            &mut example_refused
        } else {
            &mut instance_refused
        };
        first.get_or_insert(refusal);
    }
    let why: Vec<String> = instance_refused
        .into_iter()
        .chain(example_refused)
        .collect();
    if why.is_empty() {
        Err("the schema gives no instance to try".to_owned())
    } else {
        Err(why.join("; "))
    }
}

/// Whether a value can be sent where the parameter goes: a path value as
/// one segment that no server reads as something else, a header or cookie
/// value on one line.
fn fits_place(location: ParamLocation, value: &Value) -> bool {
    let texts = match value {
        Value::Array(items) => items.iter().map(text_of).collect(),
        Value::Object(members) => members
            .iter()
            .flat_map(|(k, v)| [k.clone(), text_of(v)])
            .collect(),
        scalar => vec![text_of(scalar)],
    };
    texts.iter().all(|text| match location {
        ParamLocation::Path => {
            !text.is_empty()
                && text != "."
                && text != ".."
                && !text.contains(['/', '?', '#', '%', '\\'])
        }
        ParamLocation::Header | ParamLocation::Cookie => {
            !text.chars().any(char::is_control) && !text.contains([';', ','])
        }
        ParamLocation::Query => true,
    })
}

/// A scalar's text, as a parameter sends it.
fn text_of(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// Whether a value can decode into the type, as far as its JSON kind
/// tells: a value of the wrong kind would fail the call before it is sent.
fn fits_type(ty: &TypeRef, value: &Value) -> bool {
    match ty {
        TypeRef::String | TypeRef::Uuid | TypeRef::Date | TypeRef::DateTime | TypeRef::Bytes => {
            value.is_string()
        }
        TypeRef::Bool => value.is_boolean(),
        TypeRef::Integer(_) => value.is_i64() || value.is_u64(),
        TypeRef::F32 | TypeRef::F64 => value.is_number(),
        TypeRef::Decimal => value.is_number() || value.is_string(),
        TypeRef::Vec(item) => value
            .as_array()
            .is_some_and(|items| items.iter().all(|v| fits_type(item, v))),
        TypeRef::Tuple(_) => value.is_array(),
        TypeRef::Map(item) => value
            .as_object()
            .is_some_and(|members| members.values().all(|v| fits_type(item, v))),
        TypeRef::Option(inner) => value.is_null() || fits_type(inner, value),
        TypeRef::Box(inner) => fits_type(inner, value),
        TypeRef::Named(_) | TypeRef::Json => true,
    }
}

#[cfg(test)]
mod tests {
    use crate::ir::CallCase;

    fn cases(text: &str) -> Vec<CallCase> {
        let mut config = crate::Config::new("t");
        config.call_tests = true;
        crate::generate(&config, text).unwrap().api.call_cases
    }

    fn arg<'a>(case: &'a CallCase, name: &str) -> Option<&'a str> {
        case.args
            .iter()
            .find(|a| a.rust_name == name)
            .map(|a| a.json.as_str())
    }

    #[test]
    fn each_argument_is_a_valid_value_that_can_go_where_it_goes() {
        let text = r#"
openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /files/{path}:
    parameters:
      - name: path
        in: path
        required: true
        example: a/b
        schema: {type: string, minLength: 3}
    put:
      operationId: put_file
      parameters:
        - name: tags
          in: query
          schema: {type: array, items: {type: string, enum: [red, blue]}}
        - name: X-Trace
          in: header
          examples:
            bad: {value: "two\nlines"}
            good: {value: abc-123}
          schema: {type: string}
        - name: size
          in: query
          example: 99
          schema: {type: integer, maximum: 10}
      requestBody:
        required: true
        content:
          '*/*':
            schema: {type: string, format: binary}
      responses: {'204': {description: Done.}}
"#;
        let [case] = &cases(text)[..] else { panic!() };
        assert_eq!(case.not_called, None);
        // The path's example has a `/`: a value built from the schema
        // instead, as long as its `minLength` asks.
        assert_eq!(arg(case, "path"), Some(r#""text""#));
        // A list has an item, of the enum.
        assert_eq!(arg(case, "tags"), Some(r#"["red"]"#));
        // The example that fits a header is taken, the one that does not is not.
        assert_eq!(arg(case, "x_trace"), Some(r#""abc-123""#));
        // An example its own schema refuses is not sent.
        assert_eq!(arg(case, "size"), Some("0"));
        // A body of any media type (`*/*`) is its bytes' text.
        assert!(arg(case, "body").is_some(), "{case:?}");
    }

    #[test]
    fn an_operation_whose_required_argument_has_no_valid_value_is_not_called() {
        let text = r#"
openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /things/{id}:
    get:
      operationId: get_thing
      parameters:
        - {name: id, in: path, required: true, schema: {type: string, pattern: '^[a-z]+/[a-z]+$', example: 'a/b'}}
        - {name: q, in: query, schema: {type: string, not: {}}}
      responses: {'204': {description: Done.}}
"#;
        let [case] = &cases(text)[..] else { panic!() };
        let why = case.not_called.as_deref().unwrap();
        assert!(why.contains("the path parameter `id`"), "{why}");
        assert!(why.contains("cannot be sent"), "the evidence: {why}");
        // An optional parameter without a value is left out, and says nothing.
        assert!(!why.contains("`q`"), "{why}");
    }

    #[test]
    fn a_body_no_value_can_meet_says_what_the_validator_found() {
        // Microsoft Graph's `UserCreateParameters`: its `allOf` member lets
        // no property but its own be anything but an object.
        let text = r#"
openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /users:
    post:
      operationId: create_user
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              allOf: [{$ref: '#/components/schemas/Base'}]
              required: [enabled]
              properties: {enabled: {type: boolean}}
      responses: {'204': {description: Done.}}
components:
  schemas:
    Base:
      type: object
      properties: {name: {type: string}}
      additionalProperties: {type: object}
"#;
        let [case] = &cases(text)[..] else { panic!() };
        let why = case.not_called.as_deref().unwrap();
        assert!(
            why.contains("breaks its schema") && why.contains("/enabled"),
            "{why}"
        );
    }

    #[test]
    fn a_pattern_with_a_look_ahead_and_a_format_gets_a_value() {
        let text = r#"
openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /names/{name}/reports/{id}:
    get:
      operationId: get_report
      parameters:
        - name: name
          in: path
          required: true
          schema: {type: string, pattern: '^(?![0-9]+$)^[a-z]{2}-[0-9]$', maxLength: 63}
        - name: id
          in: path
          required: true
          schema: {type: string, format: uuid, pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$'}
      responses: {'204': {description: Done.}}
"#;
        let [case] = &cases(text)[..] else { panic!() };
        assert_eq!(case.not_called, None);
        assert_eq!(case.args.len(), 2, "{:?}", case.args);
    }
}
