//! Judges a server's answers against the document's schemas with the JSON
//! Schema validator the wire tests use (draft 4 after `nullable`, integer
//! formats as their Rust bounds, money as a number or a decimal's text,
//! `format: byte` as base64): for tools that read what a server answered,
//! such as the call tests' reports, and need to tell an answer the crate
//! fails to read from an answer that breaks its own schema.

use crate::diagnostics::{Diagnostic, child};
use crate::load::{self, Keep};
use crate::wire::Validator;
use serde_json::Value;

/// How many `$ref`s to a response are followed in a row.
const MAX_REFS: usize = 16;

/// The schemas of one document's responses.
pub struct Answers {
    /// The document, as JSON, for pointers.
    document: Value,
    validator: Validator,
}

impl std::fmt::Debug for Answers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Answers").finish_non_exhaustive()
    }
}

impl Answers {
    /// The answers of the document `text` (named `label` in diagnostics),
    /// loaded as generation loads it.
    ///
    /// # Errors
    ///
    /// The diagnostics of a document that does not load.
    pub fn load(label: &str, text: &str) -> Result<Answers, Vec<Diagnostic>> {
        let api = load::load_keeping(label, text, Keep::All)?;
        let document = serde_json::to_value(&api).unwrap_or(Value::Null);
        Ok(Answers {
            validator: Validator::new(document.clone()),
            document,
        })
    }

    /// Why `body`, the JSON answer of the operation at `operation` (a JSON
    /// pointer, `#/paths/~1pets/get`) with `status`, breaks the schema the
    /// document gives that answer (the status's own response, or its
    /// range's, `2XX`, or `default`); `None` when it does not, or when the
    /// document gives no JSON schema for it.
    pub fn violation(&mut self, operation: &str, status: u16, body: &Value) -> Option<String> {
        let responses = child(operation, "responses");
        let listed = self
            .document
            .pointer(responses.strip_prefix('#').unwrap_or(&responses))?
            .as_object()?;
        let code = status.to_string();
        let range = format!("{}XX", status / 100);
        let key = [code.as_str(), range.as_str(), "default"]
            .into_iter()
            .find(|k| listed.contains_key(*k) || listed.contains_key(&k.to_ascii_lowercase()))?;
        let key = if listed.contains_key(key) {
            key.to_owned()
        } else {
            key.to_ascii_lowercase()
        };
        let mut at = child(&responses, &key);
        for _ in 0..MAX_REFS {
            let response = self.document.pointer(at.strip_prefix('#').unwrap_or(&at))?;
            match response.get("$ref").and_then(Value::as_str) {
                Some(reference) => at = reference.to_owned(),
                None => break,
            }
        }
        let content = self
            .document
            .pointer(at.strip_prefix('#').unwrap_or(&at))?
            .get("content")?
            .as_object()?;
        let media = content.keys().find(|k| crate::wire::is_json(k))?;
        let schema = child(&child(&child(&at, "content"), media), "schema");
        self.validator.violation(&schema, body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOCUMENT: &str = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /things/{id}:
    get:
      operationId: get_thing
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        '200':
          description: A thing.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
        default: {$ref: '#/components/responses/Problem'}
components:
  responses:
    Problem:
      description: A problem.
      content: {application/problem+json: {schema: {type: object, required: [title]}}}
  schemas:
    Thing:
      type: object
      required: [name, price]
      properties:
        name: {type: string}
        price: {type: number, format: decimal}
        label: {type: string, pattern: '^(?!tmp)[a-z]+$'}
        count: {type: integer, format: uint16}
        subnet: {type: string, pattern: '^fd[0-9a-f]{2}:([0-9a-f]{1,4}:){1,6}:\/([1-9]|[1-9][0-9])$'}
"#;

    #[test]
    fn an_answer_is_judged_by_the_schema_of_its_status() {
        let mut answers = Answers::load("t.yaml", DOCUMENT).unwrap();
        let at = "#/paths/~1things~1{id}/get";
        let good = serde_json::json!({"name": "a", "price": "12.50"});
        assert_eq!(answers.violation(at, 200, &good), None);
        let missing = serde_json::json!({"price": 1});
        assert!(answers.violation(at, 200, &missing).is_some());
        // Money as text must be a decimal's text.
        let words = serde_json::json!({"name": "a", "price": "lorem ipsum"});
        let why = answers.violation(at, 200, &words).unwrap();
        assert!(why.contains("decimal"), "{why}");
        // Another status: the `default`, through its `$ref`.
        assert!(answers.violation(at, 404, &serde_json::json!({})).is_some());
        assert_eq!(
            answers.violation(at, 404, &serde_json::json!({"title": "x"})),
            None
        );
        assert_eq!(answers.violation("#/paths/~1nowhere/get", 200, &good), None);
        // A pattern, with an escaped `/` as ECMA-262 allows.
        let subnet = |s: &str| serde_json::json!({"name": "a", "price": 1, "subnet": s});
        assert_eq!(answers.violation(at, 200, &subnet("fd12:3456::/64")), None);
        assert!(answers.violation(at, 200, &subnet("text")).is_some());
        // A pattern the validator cannot read (a look-ahead) is left out,
        // and the rest of the schema still judged.
        let named = |n: u64| serde_json::json!({"name": "a", "price": 1, "label": "x", "count": n});
        assert_eq!(answers.violation(at, 200, &named(3)), None);
        assert!(
            answers.violation(at, 200, &named(70_000)).is_some(),
            "beyond uint16"
        );
    }
}
