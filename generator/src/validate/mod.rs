//! Part of phase 1: the shape of the document, checked before `openapiv3`
//! reads it.
//!
//! `openapiv3` stops at the first value of the wrong type, and where it reads
//! through untagged enums (every `$ref`-or-object, every schema) its error
//! says only that nothing matched, at the map that holds the entry. Worse, it
//! accepts some mistakes without a word: `type: strin` reads as a schema of
//! any type. This pass walks the document as the OpenAPI 3.0 specification
//! lays it out, and reports every value of the wrong type, every missing
//! required key, every unknown `type` or parameter location, and every `$ref`
//! that points outside the document or to nothing, each at its own pointer.
//! Keys it does not know are left alone (extensions, and JSON Schema keywords
//! 3.0 does not have, are common in real documents).
//!
//! It only reads the `serde_json::Value`; positions in the text are added
//! later, from the pointers. Here: the checks every object shares (a value's
//! kind, required keys, keywords, references); the objects of the document
//! in `document.rs`, schemas in `schema.rs`.

use crate::diagnostics::{Problem, child};
use serde_json::{Map, Value};

mod document;
mod schema;

/// Every problem with the shape of `document`, in document order.
pub(crate) fn validate(document: &Value) -> Vec<(String, Problem)> {
    let mut v = Validator {
        document,
        problems: Vec::new(),
    };
    v.root(document);
    v.problems
}

/// A check of one kind of object, given as a mapping at a pointer.
type Check<'d> = fn(&mut Validator<'d>, &Map<String, Value>, &str);

struct Validator<'d> {
    document: &'d Value,
    problems: Vec<(String, Problem)>,
}

/// The HTTP methods a path item has operations under.
pub(crate) const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The values `type` may have in an OpenAPI 3.0 schema.
const TYPES: &[&str] = &["string", "number", "integer", "boolean", "array", "object"];

/// How a value is named in a message: its kind, and the value when short.
fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("`{b}`"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) if s.chars().count() <= 40 => format!("the string {s:?}"),
        Value::String(_) => "a string".into(),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "a mapping".into(),
    }
}

/// The allowed value closest to `found`, when it is close enough to be a
/// likely misspelling.
fn suggestion<'s>(found: &str, allowed: &[&'s str]) -> Option<&'s str> {
    let found = found.to_ascii_lowercase();
    allowed
        .iter()
        .map(|a| (edit_distance(&found, a), *a))
        .filter(|(d, a)| *d <= 2.max(a.len() / 3))
        .min()
        .map(|(_, a)| a)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (diagonal + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            diagonal = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

/// `a`, `b` or `c`, each in backticks.
fn one_of_list(allowed: &[&str]) -> String {
    let quoted: Vec<String> = allowed.iter().map(|a| format!("`{a}`")).collect();
    match quoted.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

impl<'d> Validator<'d> {
    fn invalid(&mut self, pointer: &str, message: impl Into<String>) {
        self.problems
            .push((pointer.to_owned(), Problem::Invalid(message.into())));
    }

    /// `value` as a mapping, or a problem saying it must be `what`.
    fn object<'v>(
        &mut self,
        value: &'v Value,
        pointer: &str,
        what: &str,
    ) -> Option<&'v Map<String, Value>> {
        match value {
            Value::Object(map) => Some(map),
            other => {
                self.invalid(
                    pointer,
                    format!("expected {what} (a mapping), found {}", describe(other)),
                );
                None
            }
        }
    }

    /// A problem when `key` is absent from `map`.
    fn required(&mut self, map: &Map<String, Value>, pointer: &str, key: &str, what: &str) {
        if !map.contains_key(key) {
            self.invalid(pointer, format!("missing `{key}`: {what} must have one"));
        }
    }

    /// Checks that `map[key]`, when present, is of the kind `is` accepts.
    fn kind(
        &mut self,
        map: &Map<String, Value>,
        pointer: &str,
        key: &str,
        expected: &str,
        is: fn(&Value) -> bool,
    ) {
        if let Some(value) = map.get(key) {
            if !is(value) {
                self.invalid(
                    &child(pointer, key),
                    format!("`{key}` must be {expected}, found {}", describe(value)),
                );
            }
        }
    }

    fn strings(&mut self, map: &Map<String, Value>, pointer: &str, keys: &[&str]) {
        for key in keys {
            match map.get(*key) {
                // YAML reads `version: 1.0` as a number: say how to write it.
                Some(value @ (Value::Number(_) | Value::Bool(_))) => self.invalid(
                    &child(pointer, key),
                    format!(
                        "`{key}` must be a string, found {}; in YAML, quote it: `{key}: \"{value}\"`",
                        describe(value)
                    ),
                ),
                _ => self.kind(map, pointer, key, "a string", Value::is_string),
            }
        }
    }

    fn booleans(&mut self, map: &Map<String, Value>, pointer: &str, keys: &[&str]) {
        for key in keys {
            self.kind(map, pointer, key, "`true` or `false`", Value::is_boolean);
        }
    }

    fn numbers(&mut self, map: &Map<String, Value>, pointer: &str, keys: &[&str]) {
        for key in keys {
            self.kind(map, pointer, key, "a number", Value::is_number);
        }
    }

    fn counts(&mut self, map: &Map<String, Value>, pointer: &str, keys: &[&str]) {
        for key in keys {
            self.kind(
                map,
                pointer,
                key,
                "a whole number, 0 or more",
                Value::is_u64,
            );
        }
    }

    /// `map[key]`, when present, must be one of `allowed`.
    fn keyword(&mut self, map: &Map<String, Value>, pointer: &str, key: &str, allowed: &[&str]) {
        let Some(value) = map.get(key) else { return };
        let at = child(pointer, key);
        match value.as_str() {
            Some(found) if allowed.contains(&found) => {}
            Some(found) => {
                let hint = suggestion(found, allowed)
                    .map(|s| format!("; did you mean `{s}`?"))
                    .unwrap_or_default();
                self.invalid(
                    &at,
                    format!(
                        "`{key}` must be {}, found `{found}`{hint}",
                        one_of_list(allowed)
                    ),
                );
            }
            None => self.invalid(
                &at,
                format!(
                    "`{key}` must be {}, found {}",
                    one_of_list(allowed),
                    describe(value)
                ),
            ),
        }
    }

    /// Each entry of the mapping `map[key]`, when present.
    fn each_entry(
        &mut self,
        map: &Map<String, Value>,
        pointer: &str,
        key: &str,
        what: &str,
        mut check: impl FnMut(&mut Self, &str, &Value, &str),
    ) {
        let Some(value) = map.get(key) else { return };
        let at = child(pointer, key);
        if let Some(entries) = self.object(value, &at, what) {
            for (name, entry) in entries {
                check(self, name, entry, &child(&at, name));
            }
        }
    }

    /// Each element of the list `map[key]`, when present.
    fn each_element(
        &mut self,
        map: &Map<String, Value>,
        pointer: &str,
        key: &str,
        mut check: impl FnMut(&mut Self, &Value, &str),
    ) {
        let Some(value) = map.get(key) else { return };
        let at = child(pointer, key);
        match value {
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    check(self, item, &format!("{at}/{i}"));
                }
            }
            other => self.invalid(
                &at,
                format!("`{key}` must be a list, found {}", describe(other)),
            ),
        }
    }

    /// A `$ref`-or-object: checks the reference, or the object with `check`.
    fn ref_or(&mut self, value: &Value, pointer: &str, what: &str, check: Check<'d>) {
        let Some(map) = self.object(value, pointer, what) else {
            return;
        };
        match map.get("$ref") {
            Some(reference) => self.reference(reference, &child(pointer, "$ref")),
            None => check(self, map, pointer),
        }
    }

    /// A `$ref` must be a string that names something in this document.
    fn reference(&mut self, reference: &Value, pointer: &str) {
        let Some(reference) = reference.as_str() else {
            self.invalid(
                pointer,
                format!(
                    "`$ref` must be a string such as \"#/components/schemas/Name\", found {}",
                    describe(reference)
                ),
            );
            return;
        };
        match reference.strip_prefix('#') {
            Some(fragment) => {
                let target = crate::refs::decode(fragment);
                if !(target.is_empty() || target.starts_with('/'))
                    || self.document.pointer(&target).is_none()
                {
                    self.problems.push((
                        pointer.to_owned(),
                        Problem::DanglingRef(reference.to_owned()),
                    ));
                }
            }
            None => self.problems.push((
                pointer.to_owned(),
                Problem::ExternalRef(reference.to_owned()),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(yaml: &str) -> Vec<String> {
        let value: Value = serde_yaml::from_str(yaml).unwrap();
        validate(&value)
            .into_iter()
            .map(|(pointer, problem)| format!("{pointer}: {problem}"))
            .collect()
    }

    const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";

    #[test]
    fn a_valid_document_has_no_problems() {
        let doc = format!(
            "{HEAD}paths:\n  /a/{{id}}:\n    get:\n      parameters: [{{name: id, in: path, required: true, schema: {{type: string}}}}]\n      responses: {{'200': {{description: ok, content: {{application/json: {{schema: {{$ref: '#/components/schemas/A'}}}}}}}}}}\ncomponents:\n  schemas:\n    A: {{type: object, properties: {{x: {{type: array, items: {{type: integer}}}}}}}}\n"
        );
        assert_eq!(problems(&doc), Vec::<String>::new());
    }

    #[test]
    fn every_problem_is_reported_at_its_own_pointer() {
        let doc = format!(
            "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A: {{type: strin, nullable: 3}}\n    B: {{type: object, required: name, properties: {{n: {{type: integer, minimum: low}}}}}}\n"
        );
        assert_eq!(
            problems(&doc),
            [
                "#/components/schemas/A/type: invalid OpenAPI document: `type` must be `string`, `number`, `integer`, `boolean`, `array` or `object`, found `strin`; did you mean `string`?",
                "#/components/schemas/A/nullable: invalid OpenAPI document: `nullable` must be `true` or `false`, found the number 3",
                "#/components/schemas/B/required: invalid OpenAPI document: `required` must be a list, found the string \"name\"",
                "#/components/schemas/B/properties/n/minimum: invalid OpenAPI document: `minimum` must be a number, found the string \"low\"",
            ]
        );
    }

    #[test]
    fn references_must_stay_in_the_document_and_resolve() {
        let doc = format!(
            "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A: {{$ref: '#/components/schemas/Nope'}}\n    B: {{$ref: 'other.yaml#/B'}}\n    C: {{$ref: '#/components/schemas/A%20'}}\n    D: {{$ref: '#/components/schemas/A'}}\n"
        );
        assert_eq!(
            problems(&doc),
            [
                "#/components/schemas/A/$ref: `$ref` points to nothing: `#/components/schemas/Nope` does not exist in this document",
                "#/components/schemas/B/$ref: `$ref` to another document is not supported: `other.yaml#/B`",
                "#/components/schemas/C/$ref: `$ref` points to nothing: `#/components/schemas/A%20` does not exist in this document",
            ]
        );
    }

    #[test]
    fn misspelt_words_get_a_suggestion() {
        assert_eq!(suggestion("strnig", TYPES), Some("string"));
        assert_eq!(suggestion("Integer", TYPES), Some("integer"));
        assert_eq!(suggestion("uuid", TYPES), None);
    }
}
