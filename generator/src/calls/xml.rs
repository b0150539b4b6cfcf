//! An XML document of a call's body value, written as its schema's `xml`
//! objects say (OpenAPI 3.0.3, XML Object): an object is an element with a
//! child element per property (or an attribute, with `attribute: true`),
//! an array's items repeat under the property's name (inside a wrapping
//! element with `wrapped: true`), a scalar is text, and `name`, `prefix`
//! and `namespace` rename and qualify each element. So a call test sends
//! an XML body the way the document describes it, instead of no call.

use serde_json::{Map, Value};

/// How many `$ref`s in a row are followed.
const MAX_REFS: usize = 16;

/// How deep the writer goes: the instances it is given are finite, but a
/// schema cycle must not make it loop.
const MAX_DEPTH: usize = 64;

/// The XML document of `value`, the body whose schema is at `schema` in
/// `document`. The root element is named by the schema's `xml.name`, else
/// by the component it names (`#/components/schemas/Person`: `Person`),
/// else `body` (OpenAPI names a root no other way).
pub(crate) fn document(document: &Value, schema: &str, value: &Value) -> String {
    let at = document.pointer(schema.strip_prefix('#').unwrap_or(schema));
    let component = at
        .and_then(|s| s.get("$ref"))
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
        .map(decode_token);
    let schema = resolve(document, at.unwrap_or(&Value::Null));
    let name = xml_str(schema, "name")
        .map(str::to_owned)
        .or(component)
        .unwrap_or_else(|| "body".to_owned());
    let mut out = String::from(r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    let writer = Writer { document };
    match value {
        // A root that is a list: its items inside one element of the root's
        // name, each named as the items' schema says.
        Value::Array(items) => {
            let item_schema = resolve(document, schema.get("items").unwrap_or(&Value::Null));
            let item_name = xml_str(item_schema, "name").unwrap_or(&name).to_owned();
            out.push_str(&open_tag(schema, &name, ""));
            for item in items {
                writer.element(&mut out, &item_name, item_schema, item, 1);
            }
            out.push_str(&close_tag(schema, &name));
        }
        _ => writer.element(&mut out, &name, schema, value, 0),
    }
    out
}

struct Writer<'d> {
    document: &'d Value,
}

impl Writer<'_> {
    /// One element named `name` (before its `xml.prefix`) of `value`.
    fn element(&self, out: &mut String, name: &str, schema: &Value, value: &Value, depth: usize) {
        let name = xml_str(schema, "name").unwrap_or(name);
        match value {
            Value::Object(members) if depth < MAX_DEPTH => {
                let mut attributes = String::new();
                let mut children = String::new();
                for (key, member) in members {
                    let member_schema =
                        resolve(self.document, property(self.document, schema, key));
                    if xml_bool(member_schema, "attribute")
                        && !member.is_object()
                        && !member.is_array()
                    {
                        let attribute =
                            qualified(member_schema, xml_str(member_schema, "name").unwrap_or(key));
                        attributes.push_str(&format!(" {attribute}=\"{}\"", escape(&text(member))));
                    } else {
                        self.property(&mut children, key, member_schema, member, depth + 1);
                    }
                }
                out.push_str(&open_tag(schema, name, &attributes));
                out.push_str(&children);
                out.push_str(&close_tag(schema, name));
            }
            Value::Object(_) | Value::Array(_) => {
                out.push_str(&open_tag(schema, name, ""));
                out.push_str(&close_tag(schema, name));
            }
            Value::Null => out.push_str(&open_tag(schema, name, "").replacen('>', "/>", 1)),
            scalar => {
                out.push_str(&open_tag(schema, name, ""));
                out.push_str(&escape(&text(scalar)));
                out.push_str(&close_tag(schema, name));
            }
        }
    }

    /// The elements of the property `key` of an object: one, or one per
    /// item of a list (inside an element of the list's name when the
    /// list's `xml.wrapped`).
    fn property(&self, out: &mut String, key: &str, schema: &Value, value: &Value, depth: usize) {
        let Value::Array(items) = value else {
            self.element(out, key, schema, value, depth);
            return;
        };
        let item_schema = resolve(self.document, schema.get("items").unwrap_or(&Value::Null));
        let list_name = xml_str(schema, "name").unwrap_or(key);
        // Unwrapped, the items take the property's name unless their own
        // schema names them; the list's `name` names only a wrapper.
        let item_name = xml_str(item_schema, "name").unwrap_or(if xml_bool(schema, "wrapped") {
            list_name
        } else {
            key
        });
        let item_name = item_name.to_owned();
        if xml_bool(schema, "wrapped") {
            out.push_str(&open_tag(schema, list_name, ""));
            for item in items {
                self.element(out, &item_name, item_schema, item, depth + 1);
            }
            out.push_str(&close_tag(schema, list_name));
        } else {
            for item in items {
                self.element(out, &item_name, item_schema, item, depth + 1);
            }
        }
    }
}

/// The schema of the property `key` of an object schema: its own
/// `properties`, those of its `allOf` members, or its
/// `additionalProperties`.
fn property<'d>(document: &'d Value, schema: &'d Value, key: &str) -> &'d Value {
    if let Some(p) = schema.get("properties").and_then(|p| p.get(key)) {
        return p;
    }
    for member in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let member = resolve(document, member);
        let found = property(document, member, key);
        if !found.is_null() {
            return found;
        }
    }
    match schema.get("additionalProperties") {
        Some(additional @ Value::Object(_)) => additional,
        _ => &Value::Null,
    }
}

/// The schema `schema` is, `$ref`s followed (a reference that names
/// nothing is a schema that says nothing).
fn resolve<'d>(document: &'d Value, mut schema: &'d Value) -> &'d Value {
    for _ in 0..MAX_REFS {
        let Some(reference) = schema.get("$ref").and_then(Value::as_str) else {
            return schema;
        };
        let Some(pointer) = reference.strip_prefix('#') else {
            return &Value::Null;
        };
        // A reference is a URI fragment: its tokens may be percent-encoded.
        let pointer = percent_decode(pointer);
        match document.pointer(&pointer) {
            Some(next) => schema = next,
            None => return &Value::Null,
        }
    }
    &Value::Null
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(high), Some(low)) = (
                bytes.get(i + 1).and_then(|b| hex(*b)),
                bytes.get(i + 2).and_then(|b| hex(*b)),
            )
        {
            out.push((high * 16 + low) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn decode_token(token: &str) -> String {
    crate::wire::unescape(&percent_decode(token))
}

fn xml(schema: &Value) -> Option<&Map<String, Value>> {
    schema.get("xml").and_then(Value::as_object)
}

fn xml_str<'d>(schema: &'d Value, key: &str) -> Option<&'d str> {
    xml(schema)?.get(key)?.as_str().filter(|s| !s.is_empty())
}

fn xml_bool(schema: &Value, key: &str) -> bool {
    xml(schema)
        .and_then(|x| x.get(key))
        .and_then(Value::as_bool)
        .unwrap_or(false)
}

/// `name` with the schema's `xml.prefix`.
fn qualified(schema: &Value, name: &str) -> String {
    match xml_str(schema, "prefix") {
        Some(prefix) => format!("{prefix}:{name}"),
        None => name.to_owned(),
    }
}

/// The opening tag of an element, with the schema's namespace declared.
fn open_tag(schema: &Value, name: &str, attributes: &str) -> String {
    let namespace = match (xml_str(schema, "namespace"), xml_str(schema, "prefix")) {
        (Some(ns), Some(prefix)) => format!(" xmlns:{prefix}=\"{}\"", escape(ns)),
        (Some(ns), None) => format!(" xmlns=\"{}\"", escape(ns)),
        (None, _) => String::new(),
    };
    format!("<{}{namespace}{attributes}>", qualified(schema, name))
}

fn close_tag(schema: &Value, name: &str) -> String {
    format!("</{}>", qualified(schema, name))
}

/// A scalar's text: a string as it is, a number or a boolean as JSON
/// writes it.
fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Text escaped for an element's content or an attribute's value.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn an_object_is_written_as_its_xml_objects_say() {
        let document = json!({
            "paths": {"/p": {"post": {"requestBody": {"content": {"application/xml": {
                "schema": {"$ref": "#/components/schemas/Person"}
            }}}}}},
            "components": {"schemas": {
                "Person": {
                    "type": "object",
                    "xml": {"namespace": "https://example.com/ns", "prefix": "ex"},
                    "properties": {
                        "id": {"type": "integer", "xml": {"attribute": true}},
                        "name": {"type": "string", "xml": {"name": "full-name"}},
                        "tags": {"type": "array", "items": {"type": "string"}},
                        "pets": {
                            "type": "array",
                            "xml": {"wrapped": true, "name": "animals"},
                            "items": {"$ref": "#/components/schemas/Pet"}
                        }
                    }
                },
                "Pet": {"type": "object", "xml": {"name": "animal"}, "properties": {"kind": {"type": "string"}}}
            }}
        });
        let value =
            json!({"id": 7, "name": "Ann & <Bo>", "tags": ["a", "b"], "pets": [{"kind": "cat"}]});
        let xml = super::document(
            &document,
            "#/paths/~1p/post/requestBody/content/application~1xml/schema",
            &value,
        );
        assert_eq!(
            xml,
            concat!(
                r#"<?xml version="1.0" encoding="UTF-8"?>"#,
                r#"<ex:Person xmlns:ex="https://example.com/ns" id="7">"#,
                "<full-name>Ann &amp; &lt;Bo&gt;</full-name>",
                "<tags>a</tags><tags>b</tags>",
                "<animals><animal><kind>cat</kind></animal></animals>",
                "</ex:Person>"
            )
        );
    }

    #[test]
    fn a_root_is_named_by_its_xml_name_and_found_through_encoded_references() {
        let document = json!({
            "paths": {"/a/{id}": {
                "get": {"x": {"schema": {"type": "object", "xml": {"name": "thing"}, "properties": {"n": {"type": "number"}}}}},
                "put": {"x": {"schema": {"$ref": "#/paths/~1a~1%7Bid%7D/get/x/schema"}}}
            }}
        });
        let xml = super::document(
            &document,
            "#/paths/~1a~1{id}/put/x/schema",
            &json!({"n": 1.5}),
        );
        assert_eq!(
            xml,
            r#"<?xml version="1.0" encoding="UTF-8"?><thing><n>1.5</n></thing>"#
        );
    }
}
