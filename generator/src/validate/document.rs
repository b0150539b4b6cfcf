//! Part of validation: the objects of the document, from its root to the
//! path items, operations, parameters, bodies, responses and components.

use super::{Check, METHODS, Validator, describe};
use crate::diagnostics::child;
use serde_json::{Map, Value};

impl<'d> Validator<'d> {
    pub(super) fn root(&mut self, document: &Value) {
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
    pub(super) fn paths(&mut self, root: &Map<String, Value>) {
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
    pub(super) fn after_paths(&mut self, root: &Map<String, Value>) {
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

    pub(super) fn info(&mut self, info: &Value, pointer: &str) {
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

    pub(super) fn external_docs(&mut self, docs: &Value, pointer: &str) {
        if let Some(docs) = self.object(docs, pointer, "`externalDocs`") {
            self.required(docs, pointer, "url", "`externalDocs`");
            self.strings(docs, pointer, &["url", "description"]);
        }
    }

    pub(super) fn server(&mut self, server: &Value, pointer: &str) {
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

    pub(super) fn security_requirement(&mut self, requirement: &Value, pointer: &str) {
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

    pub(super) fn components(&mut self, components: &Value, pointer: &str) {
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

    pub(super) fn path_item(&mut self, item: &Map<String, Value>, pointer: &str) {
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

    pub(super) fn operation(&mut self, op: &Map<String, Value>, pointer: &str) {
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

    pub(super) fn callback(&mut self, callback: &Map<String, Value>, pointer: &str) {
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

    pub(super) fn parameter(&mut self, param: &Map<String, Value>, pointer: &str) {
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

    pub(super) fn header(&mut self, header: &Map<String, Value>, pointer: &str) {
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
    pub(super) fn schema_or_content(
        &mut self,
        map: &Map<String, Value>,
        pointer: &str,
        what: &str,
    ) {
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

    pub(super) fn content(&mut self, map: &Map<String, Value>, pointer: &str) {
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

    pub(super) fn request_body(&mut self, body: &Map<String, Value>, pointer: &str) {
        self.strings(body, pointer, &["description"]);
        self.booleans(body, pointer, &["required"]);
        self.required(body, pointer, "content", "a request body");
        self.content(body, pointer);
    }

    pub(super) fn response(&mut self, response: &Map<String, Value>, pointer: &str) {
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

    pub(super) fn security_scheme(&mut self, scheme: &Map<String, Value>, pointer: &str) {
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
}
