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
//! later, from the pointers.

use crate::diagnostics::{Problem, child};
use serde_json::{Map, Value};

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

    // ----- the document -------------------------------------------------------

    fn root(&mut self, document: &Value) {
        let Some(root) = self.object(document, "#", "an OpenAPI document") else {
            return;
        };
        self.required(root, "#", "info", "an OpenAPI document");
        if let Some(info) = root.get("info") {
            self.info(info, "#/info");
        }
        self.each_element(root, "#", "servers", Self::server);
        self.required(root, "#", "paths", "an OpenAPI 3.0 document");
        // The path items are most of a document: a second thread checks
        // them while this one checks the rest, and their problems go in
        // their place in document order.
        let document = self.document;
        let paths = |problems| {
            let mut v = Validator { document, problems };
            v.paths(root);
            v.problems
        };
        std::thread::scope(|scope| {
            // A second thread, when the machine has one to give.
            let spawned = (crate::format::threads() > 1)
                .then(|| {
                    std::thread::Builder::new()
                        .stack_size(crate::format::THREAD_STACK)
                        .spawn_scoped(scope, || paths(Vec::new()))
                        .ok()
                })
                .flatten();
            let Some(checking) = spawned else {
                let problems = std::mem::take(&mut self.problems);
                self.problems = paths(problems);
                self.after_paths(root);
                return;
            };
            let before = self.problems.len();
            self.after_paths(root);
            let after = self.problems.split_off(before);
            match checking.join() {
                Ok(problems) => self.problems.extend(problems),
                Err(panic) => std::panic::resume_unwind(panic),
            }
            self.problems.extend(after);
        });
    }

    /// The path items of `paths`.
    fn paths(&mut self, root: &Map<String, Value>) {
        self.each_entry(root, "#", "paths", "the paths", |v, path, item, at| {
            if path.starts_with("x-") {
                return;
            }
            if !path.starts_with('/') {
                v.invalid(at, format!("the path `{path}` must begin with `/`"));
            }
            v.ref_or(item, at, "a path item", Self::path_item);
        });
    }

    /// What comes after the paths: webhooks, components, security, tags.
    fn after_paths(&mut self, root: &Map<String, Value>) {
        // 3.1's webhooks: path items keyed by name, not by path.
        self.each_entry(root, "#", "webhooks", "the webhooks", |v, _, item, at| {
            v.ref_or(item, at, "a path item", Self::path_item);
        });
        if let Some(components) = root.get("components") {
            self.components(components, "#/components");
        }
        self.each_element(root, "#", "security", Self::security_requirement);
        self.each_element(root, "#", "tags", |v, tag, at| {
            if let Some(tag) = v.object(tag, at, "a tag") {
                v.required(tag, at, "name", "a tag");
                v.strings(tag, at, &["name", "description"]);
            }
        });
        if let Some(docs) = root.get("externalDocs") {
            self.external_docs(docs, "#/externalDocs");
        }
    }

    fn info(&mut self, info: &Value, pointer: &str) {
        let Some(info) = self.object(info, pointer, "the `info` object") else {
            return;
        };
        self.required(info, pointer, "title", "the `info` object");
        self.required(info, pointer, "version", "the `info` object");
        self.strings(
            info,
            pointer,
            &["title", "version", "description", "termsOfService"],
        );
        if let Some(license) = info.get("license") {
            let at = child(pointer, "license");
            if let Some(license) = self.object(license, &at, "a license") {
                self.required(license, &at, "name", "a license");
                self.strings(license, &at, &["name", "url"]);
            }
        }
        if let Some(contact) = info.get("contact") {
            let at = child(pointer, "contact");
            if let Some(contact) = self.object(contact, &at, "a contact") {
                self.strings(contact, &at, &["name", "url", "email"]);
            }
        }
    }

    fn external_docs(&mut self, docs: &Value, pointer: &str) {
        if let Some(docs) = self.object(docs, pointer, "`externalDocs`") {
            self.required(docs, pointer, "url", "`externalDocs`");
            self.strings(docs, pointer, &["url", "description"]);
        }
    }

    fn server(&mut self, server: &Value, pointer: &str) {
        let Some(server) = self.object(server, pointer, "a server") else {
            return;
        };
        self.required(server, pointer, "url", "a server");
        self.strings(server, pointer, &["url", "description"]);
        self.each_entry(
            server,
            pointer,
            "variables",
            "the server variables",
            |v, _, var, at| {
                if let Some(var) = v.object(var, at, "a server variable") {
                    v.required(var, at, "default", "a server variable");
                    v.strings(var, at, &["default", "description"]);
                    v.each_element(var, at, "enum", |v, value, at| {
                        if !value.is_string() {
                            v.invalid(
                                at,
                                format!(
                                    "a server variable's values must be strings, found {}",
                                    describe(value)
                                ),
                            );
                        }
                    });
                }
            },
        );
    }

    fn security_requirement(&mut self, requirement: &Value, pointer: &str) {
        let Some(requirement) = self.object(requirement, pointer, "a security requirement") else {
            return;
        };
        for (name, scopes) in requirement {
            let at = child(pointer, name);
            let is_strings = scopes
                .as_array()
                .is_some_and(|s| s.iter().all(Value::is_string));
            if !is_strings {
                self.invalid(
                    &at,
                    format!(
                        "the scopes of `{name}` must be a list of strings, found {}",
                        describe(scopes)
                    ),
                );
            }
        }
    }

    fn components(&mut self, components: &Value, pointer: &str) {
        let Some(components) = self.object(components, pointer, "`components`") else {
            return;
        };
        let kinds: [(&str, &str, Check<'d>); 7] = [
            ("schemas", "a schema", Self::schema),
            ("responses", "a response", Self::response),
            ("parameters", "a parameter", Self::parameter),
            ("requestBodies", "a request body", Self::request_body),
            ("headers", "a header", Self::header),
            (
                "securitySchemes",
                "a security scheme",
                Self::security_scheme,
            ),
            ("examples", "an example", |_, _, _| {}),
        ];
        for (key, what, check) in kinds {
            self.each_entry(components, pointer, key, key, |v, _, entry, at| {
                v.ref_or(entry, at, what, check);
            });
        }
        self.each_entry(
            components,
            pointer,
            "pathItems",
            "the path items",
            |v, _, entry, at| {
                v.ref_or(entry, at, "a path item", Self::path_item);
            },
        );
        self.each_entry(
            components,
            pointer,
            "callbacks",
            "callbacks",
            |v, _, entry, at| {
                v.ref_or(entry, at, "a callback", Self::callback);
            },
        );
    }

    fn path_item(&mut self, item: &Map<String, Value>, pointer: &str) {
        self.strings(item, pointer, &["summary", "description"]);
        self.each_element(item, pointer, "servers", Self::server);
        self.each_element(item, pointer, "parameters", |v, p, at| {
            v.ref_or(p, at, "a parameter", Self::parameter);
        });
        for method in METHODS {
            if let Some(operation) = item.get(*method) {
                let at = child(pointer, method);
                if let Some(operation) = self.object(operation, &at, "an operation") {
                    self.operation(operation, &at);
                }
            }
        }
    }

    fn operation(&mut self, op: &Map<String, Value>, pointer: &str) {
        self.strings(op, pointer, &["summary", "description", "operationId"]);
        self.rust_name(op, pointer);
        self.booleans(op, pointer, &["deprecated"]);
        self.each_element(op, pointer, "tags", |v, tag, at| {
            if !tag.is_string() {
                v.invalid(
                    at,
                    format!("a tag must be a string, found {}", describe(tag)),
                );
            }
        });
        self.each_element(op, pointer, "parameters", |v, p, at| {
            v.ref_or(p, at, "a parameter", Self::parameter);
        });
        if let Some(body) = op.get("requestBody") {
            self.ref_or(
                body,
                &child(pointer, "requestBody"),
                "a request body",
                Self::request_body,
            );
        }
        self.required(op, pointer, "responses", "an operation");
        self.each_entry(op, pointer, "responses", "the responses", |v, status, response, at| {
            if status.starts_with("x-") {
                return;
            }
            let valid = status == "default"
                || (status.len() == 3
                    && matches!(status.as_bytes()[0], b'1'..=b'5')
                    && (status[1..].bytes().all(|b| b.is_ascii_digit())
                        || status[1..].eq_ignore_ascii_case("XX")));
            if !valid {
                v.invalid(at, format!(
                    "`{status}` is not a response status: expected `default`, a code such as `200`, or a range such as `2XX`"
                ));
            }
            v.ref_or(response, at, "a response", Self::response);
        });
        self.each_entry(
            op,
            pointer,
            "callbacks",
            "callbacks",
            |v, _, callback, at| {
                v.ref_or(callback, at, "a callback", Self::callback);
            },
        );
        self.each_element(op, pointer, "security", Self::security_requirement);
        self.each_element(op, pointer, "servers", Self::server);
        if let Some(docs) = op.get("externalDocs") {
            self.external_docs(docs, &child(pointer, "externalDocs"));
        }
    }

    fn callback(&mut self, callback: &Map<String, Value>, pointer: &str) {
        for (expression, item) in callback {
            if !expression.starts_with("x-") {
                self.ref_or(
                    item,
                    &child(pointer, expression),
                    "a path item",
                    Self::path_item,
                );
            }
        }
    }

    fn parameter(&mut self, param: &Map<String, Value>, pointer: &str) {
        self.required(param, pointer, "name", "a parameter");
        self.required(param, pointer, "in", "a parameter");
        self.strings(param, pointer, &["name", "description"]);
        self.keyword(param, pointer, "in", &["query", "header", "path", "cookie"]);
        let styles: &[&str] = match param.get("in").and_then(Value::as_str) {
            Some("query") => &["form", "spaceDelimited", "pipeDelimited", "deepObject"],
            Some("path") => &["matrix", "label", "simple"],
            Some("header") => &["simple"],
            Some("cookie") => &["form"],
            _ => &[],
        };
        if !styles.is_empty() {
            self.keyword(param, pointer, "style", styles);
        }
        self.booleans(
            param,
            pointer,
            &[
                "required",
                "deprecated",
                "allowEmptyValue",
                "explode",
                "allowReserved",
            ],
        );
        self.schema_or_content(param, pointer, "a parameter");
    }

    fn header(&mut self, header: &Map<String, Value>, pointer: &str) {
        self.strings(header, pointer, &["description"]);
        self.keyword(header, pointer, "style", &["simple"]);
        self.booleans(
            header,
            pointer,
            &["required", "deprecated", "allowEmptyValue", "explode"],
        );
        self.schema_or_content(header, pointer, "a header");
    }

    /// A parameter or header has a `schema` or a `content`, not both.
    fn schema_or_content(&mut self, map: &Map<String, Value>, pointer: &str, what: &str) {
        match (map.get("schema"), map.get("content")) {
            (Some(_), Some(_)) => self.invalid(
                pointer,
                format!("{what} has both `schema` and `content`; it must have one of them"),
            ),
            (None, None) => self.invalid(
                pointer,
                format!("{what} must have a `schema` (or a `content`)"),
            ),
            (Some(schema), None) => self.schema_at(schema, &child(pointer, "schema")),
            (None, Some(_)) => self.content(map, pointer),
        }
    }

    fn content(&mut self, map: &Map<String, Value>, pointer: &str) {
        self.each_entry(map, pointer, "content", "the content", |v, _, media, at| {
            let Some(media) = v.object(media, at, "a media type") else {
                return;
            };
            if let Some(schema) = media.get("schema") {
                v.schema_at(schema, &child(at, "schema"));
            }
            v.each_entry(
                media,
                at,
                "encoding",
                "the encodings",
                |v, _, encoding, at| {
                    if let Some(encoding) = v.object(encoding, at, "an encoding") {
                        v.strings(encoding, at, &["contentType", "style"]);
                        v.booleans(encoding, at, &["explode", "allowReserved"]);
                        v.each_entry(encoding, at, "headers", "the headers", |v, _, h, at| {
                            v.ref_or(h, at, "a header", Self::header);
                        });
                    }
                },
            );
        });
    }

    fn request_body(&mut self, body: &Map<String, Value>, pointer: &str) {
        self.strings(body, pointer, &["description"]);
        self.booleans(body, pointer, &["required"]);
        self.required(body, pointer, "content", "a request body");
        self.content(body, pointer);
    }

    fn response(&mut self, response: &Map<String, Value>, pointer: &str) {
        self.required(response, pointer, "description", "a response");
        self.strings(response, pointer, &["description"]);
        self.each_entry(
            response,
            pointer,
            "headers",
            "the headers",
            |v, _, h, at| {
                v.ref_or(h, at, "a header", Self::header);
            },
        );
        self.content(response, pointer);
    }

    fn security_scheme(&mut self, scheme: &Map<String, Value>, pointer: &str) {
        self.required(scheme, pointer, "type", "a security scheme");
        self.keyword(
            scheme,
            pointer,
            "type",
            &["apiKey", "http", "oauth2", "openIdConnect"],
        );
        self.strings(scheme, pointer, &["description"]);
        match scheme.get("type").and_then(Value::as_str) {
            Some("apiKey") => {
                self.required(scheme, pointer, "name", "an `apiKey` security scheme");
                self.required(scheme, pointer, "in", "an `apiKey` security scheme");
                self.strings(scheme, pointer, &["name"]);
                self.keyword(scheme, pointer, "in", &["query", "header", "cookie"]);
            }
            Some("http") => {
                self.required(scheme, pointer, "scheme", "an `http` security scheme");
                self.strings(scheme, pointer, &["scheme", "bearerFormat"]);
            }
            Some("oauth2") => {
                self.required(scheme, pointer, "flows", "an `oauth2` security scheme");
                if let Some(flows) = scheme.get("flows") {
                    self.object(flows, &child(pointer, "flows"), "the OAuth flows");
                }
            }
            Some("openIdConnect") => {
                self.required(
                    scheme,
                    pointer,
                    "openIdConnectUrl",
                    "an `openIdConnect` security scheme",
                );
                self.strings(scheme, pointer, &["openIdConnectUrl"]);
            }
            _ => {}
        }
    }

    // ----- schemas --------------------------------------------------------------

    fn schema_at(&mut self, schema: &Value, pointer: &str) {
        self.ref_or(schema, pointer, "a schema", Self::schema);
    }

    /// `x-rust-name`, our extension, must be a name.
    fn rust_name(&mut self, map: &Map<String, Value>, pointer: &str) {
        let Some(name) = map.get("x-rust-name") else {
            return;
        };
        let is_name = name.as_str().is_some_and(|n| {
            n.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        });
        if !is_name {
            self.invalid(
                &child(pointer, "x-rust-name"),
                format!(
                    "`x-rust-name` must be a name of ASCII letters, digits and `_`, beginning with a letter; found {}",
                    describe(name)
                ),
            );
        }
    }

    fn schema(&mut self, schema: &Map<String, Value>, pointer: &str) {
        self.rust_name(schema, pointer);
        match schema.get("type") {
            Some(Value::Array(_)) => self.invalid(
                &child(pointer, "type"),
                "`type` must be a single type name in OpenAPI 3.0 (a list of types is OpenAPI 3.1); \
                 for a value that may be null, write `nullable: true`",
            ),
            _ => self.keyword(schema, pointer, "type", TYPES),
        }
        self.strings(
            schema,
            pointer,
            &["title", "description", "format", "pattern"],
        );
        self.booleans(
            schema,
            pointer,
            &[
                "nullable",
                "readOnly",
                "writeOnly",
                "deprecated",
                "uniqueItems",
            ],
        );
        for key in ["exclusiveMinimum", "exclusiveMaximum"] {
            match schema.get(key) {
                Some(Value::Bool(_)) | None => {}
                Some(Value::Number(_)) => self.invalid(
                    &child(pointer, key),
                    format!(
                        "`{key}` must be `true` or `false` in OpenAPI 3.0 (a number is OpenAPI 3.1's form); \
                         write the bound in `{}` and set `{key}: true`",
                        if key == "exclusiveMinimum" { "minimum" } else { "maximum" }
                    ),
                ),
                Some(other) => self.invalid(
                    &child(pointer, key),
                    format!("`{key}` must be `true` or `false`, found {}", describe(other)),
                ),
            }
        }
        self.numbers(schema, pointer, &["minimum", "maximum", "multipleOf"]);
        self.counts(
            schema,
            pointer,
            &[
                "minLength",
                "maxLength",
                "minItems",
                "maxItems",
                "minProperties",
                "maxProperties",
            ],
        );
        match schema.get("enum") {
            Some(Value::Array(values)) if values.is_empty() => self.invalid(
                &child(pointer, "enum"),
                "`enum` must list at least one value",
            ),
            Some(Value::Array(_)) | None => {}
            Some(other) => self.invalid(
                &child(pointer, "enum"),
                format!("`enum` must be a list of values, found {}", describe(other)),
            ),
        }
        self.each_element(schema, pointer, "required", |v, name, at| {
            if !name.is_string() {
                v.invalid(
                    at,
                    format!(
                        "`required` lists property names, which are strings; found {}",
                        describe(name)
                    ),
                );
            }
        });
        self.each_entry(
            schema,
            pointer,
            "properties",
            "the properties",
            |v, _, property, at| {
                v.schema_at(property, at);
            },
        );
        match schema.get("items") {
            Some(Value::Array(_)) => self.invalid(
                &child(pointer, "items"),
                "`items` must be one schema; a list of schemas (a tuple) is not OpenAPI 3.0",
            ),
            Some(items) => self.schema_at(items, &child(pointer, "items")),
            None => {}
        }
        // A 3.1 tuple's members, which load keeps under another key; they
        // are reported where the document has them.
        if let Some(Value::Array(members)) = schema.get(crate::load::PREFIX_ITEMS) {
            for (i, member) in members.iter().enumerate() {
                self.schema_at(member, &format!("{}/{i}", child(pointer, "prefixItems")));
            }
        }
        // `type: array` without `items` breaks the letter of OpenAPI 3.0, but
        // real documents (GitHub's) have it; it reads as a list of any values.
        match schema.get("additionalProperties") {
            Some(Value::Bool(_)) | None => {}
            Some(additional) => self.schema_at(additional, &child(pointer, "additionalProperties")),
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            if let Some(Value::Array(members)) = schema.get(key) {
                if members.is_empty() {
                    self.invalid(
                        &child(pointer, key),
                        format!("`{key}` must list at least one schema"),
                    );
                }
            }
            self.each_element(schema, pointer, key, |v, member, at| {
                v.schema_at(member, at)
            });
        }
        if let Some(not) = schema.get("not") {
            self.schema_at(not, &child(pointer, "not"));
        }
        if let Some(discriminator) = schema.get("discriminator") {
            let at = child(pointer, "discriminator");
            if let Some(discriminator) = self.object(discriminator, &at, "a discriminator") {
                self.required(discriminator, &at, "propertyName", "a discriminator");
                self.strings(discriminator, &at, &["propertyName"]);
                self.each_entry(
                    discriminator,
                    &at,
                    "mapping",
                    "the mapping",
                    |v, _, target, at| match target.as_str() {
                        Some(target) if target.starts_with('#') => {
                            v.reference(&Value::String(target.to_owned()), at)
                        }
                        Some(_) => {}
                        None => v.invalid(
                            at,
                            format!(
                                "a discriminator mapping names a schema, as a string; found {}",
                                describe(target)
                            ),
                        ),
                    },
                );
            }
        }
        if let Some(docs) = schema.get("externalDocs") {
            self.external_docs(docs, &child(pointer, "externalDocs"));
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
