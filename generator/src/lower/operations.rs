//! Paths → operations: one method per operation, its name, its parameters
//! (path, query, header) and the components they come from.

use super::{Located, Lowerer, METHOD_LOCALS, unescape_token};
use crate::diagnostics::{Problem, child};
use crate::ir::{self, Docs, TypeKind, TypeRef};
use crate::markdown;
use crate::naming::{self, Scope};
use indexmap::IndexMap;
use openapiv3::{Parameter, ReferenceOr};

impl<'a> Lowerer<'a> {
    /// Records why the operation being lowered cannot be generated; it is
    /// left out, and each reason reported where it was found.
    pub(super) fn fail_operation(&mut self, pointer: &str, why: impl Into<String>) {
        self.op_failures.push((pointer.to_owned(), why.into()));
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn operation(
        &mut self,
        rust_name: String,
        request_name: &str,
        path: &str,
        method: &str,
        op: &openapiv3::Operation,
        shared_params: &[ReferenceOr<Parameter>],
        pointer: &str,
    ) -> Option<ir::Operation> {
        let operation_id = op
            .operation_id
            .clone()
            .unwrap_or_else(|| format!("{method}_{path}"));
        let type_hint = naming::type_name(naming::unraw(&rust_name));

        // Parameters: those of the operation override those of the path item.
        let mut declared: IndexMap<(String, &'static str), (&Parameter, String, String)> =
            IndexMap::new();
        let item_pointer = pointer
            .rsplit_once('/')
            .map_or(pointer, |(parent, _)| parent);
        let lists = [
            (shared_params, child(item_pointer, "parameters")),
            (&op.parameters[..], child(pointer, "parameters")),
        ];
        for (list, list_pointer) in lists {
            for (i, p) in list.iter().enumerate() {
                let p_pointer = format!("{list_pointer}/{i}");
                let Some(Located {
                    item: param,
                    pointer: p_pointer,
                    key,
                }) = self.component(p, "parameters", |c| &c.parameters, &p_pointer)
                else {
                    continue;
                };
                let hint = match key {
                    Some(key) => key.to_owned(),
                    None => format!("{type_hint}_{}", param.parameter_data_ref().name),
                };
                let location = match param {
                    Parameter::Path { .. } => "path",
                    Parameter::Query { .. } => "query",
                    Parameter::Header { .. } => "header",
                    Parameter::Cookie { .. } => "cookie",
                };
                declared.insert(
                    (param.parameter_data_ref().name.clone(), location),
                    (param, p_pointer, hint),
                );
            }
        }

        let mut args = Scope::with_reserved(METHOD_LOCALS);
        let mut params = Vec::new();
        let mut parts = Vec::new();
        // Path parameters, in the order the template has them.
        let mut rest = path;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}').map(|c| open + c) else {
                self.fail_operation(
                    pointer,
                    format!("the path template `{path}` has an unclosed `{{`"),
                );
                return None;
            };
            if open > 0 {
                parts.push(ir::PathPart::Literal(rest[..open].to_owned()));
            }
            let name = &rest[open + 1..close];
            match declared.get(&(name.to_owned(), "path")) {
                Some((param, p_pointer, hint)) => {
                    let param =
                        self.param(&mut args, hint, param, ir::ParamLocation::Path, p_pointer);
                    parts.push(ir::PathPart::Param(param.rust_name.clone()));
                    params.push(param);
                }
                None => {
                    self.fail_operation(pointer, format!(
                        "the path template `{path}` uses `{{{name}}}`, but the operation declares no path parameter `{name}`"
                    ));
                    return None;
                }
            }
            rest = &rest[close + 1..];
        }
        if !rest.is_empty() {
            parts.push(ir::PathPart::Literal(rest.to_owned()));
        }
        for ((name, location), (param, p_pointer, hint)) in &declared {
            let location = match *location {
                "path" => {
                    if !path.contains(&format!("{{{name}}}")) {
                        self.skip(p_pointer, format!(
                            "the path parameter `{name}` does not appear in the path template `{path}`; the method does not take it"
                        ));
                    }
                    continue;
                }
                "query" => ir::ParamLocation::Query,
                "header" => ir::ParamLocation::Header,
                _ => ir::ParamLocation::Cookie,
            };
            let param = self.param(&mut args, hint, param, location, p_pointer);
            // A cookie is one `name=value` pair; a list or an object has no
            // one way to be written as one.
            if location == ir::ParamLocation::Cookie && !param.ty.is_scalar() {
                let why = format!("the cookie parameter `{name}` is not a single value");
                if param.required {
                    self.fail_operation(p_pointer, format!("{why}, and cannot be sent"));
                } else {
                    self.skip(
                        p_pointer,
                        format!("{why}; it is not sent, and the request has no setter for it"),
                    );
                }
                continue;
            }
            params.push(param);
        }

        let responses_pointer = child(pointer, "responses");
        let session =
            super::sessions::is_session(op).then(|| self.session(&type_hint, op, pointer));
        let (body, success, error, accepted, redirects) = if session.is_some() {
            // A session's body and `default` response are its messages; the
            // upgrade itself has neither.
            let error = self.handshake_error(&type_hint, op, &responses_pointer);
            (None, ir::Response::Empty, error, Vec::new(), Vec::new())
        } else {
            let body = match &op.request_body {
                None => None,
                Some(body) => {
                    self.request_body(&mut args, &type_hint, body, &child(pointer, "requestBody"))
                }
            };
            let (success, accepted) = self.response(&type_hint, op, &responses_pointer, true);
            let (error, _) = self.response(&type_hint, op, &responses_pointer, false);
            let redirects = super::bodies::redirect_answers(op);
            (body, success, error, accepted, redirects)
        };
        let accept = (!accepted.is_empty()).then(|| accepted.join(", "));

        let mut docs = Docs::default();
        if let Some(summary) = &op.summary {
            docs.push_paragraph(&markdown::rustdoc(summary));
        }
        if let Some(description) = &op.description {
            docs.push_paragraph(&markdown::rustdoc(description));
        }
        docs.push_paragraph(&format!("`{} {}`", method.to_uppercase(), path));
        if let Some(session) = &session {
            docs.push_paragraph(&super::sessions::docs(session));
        }
        let mut arg_docs = String::new();
        for p in params.iter().filter(|p| p.required) {
            let text = p.docs.0.join(" ");
            arg_docs.push_str(&format!("- `{}`: {}\n", naming::unraw(&p.rust_name), text));
        }
        if let Some(b) = body.as_ref().filter(|b| b.required) {
            arg_docs.push_str(&format!("- `{}`: the request body.\n", b.rust_name));
        }
        if !arg_docs.is_empty() {
            docs.push_paragraph(&format!("Arguments:\n{arg_docs}"));
        }
        let request_name = request_name.to_owned();
        let mut setter_docs = String::new();
        for p in params.iter().filter(|p| !p.required) {
            let text = p.docs.0.join(" ");
            let setter = naming::unraw(&p.rust_name);
            setter_docs.push_str(&format!(
                "- [`{setter}`](crate::requests::{request_name}::{setter}): {text}\n"
            ));
        }
        if let Some(b) = body.as_ref().filter(|b| !b.required) {
            let setter = naming::unraw(&b.rust_name);
            setter_docs.push_str(&format!(
                "- [`{setter}`](crate::requests::{request_name}::{setter}): the request body.\n"
            ));
        }
        if !setter_docs.is_empty() {
            docs.push_paragraph(&format!(
                "Optional, set on the request this returns before you `.await` it:\n{setter_docs}"
            ));
        }
        if let Some(b) = body
            .as_ref()
            .filter(|b| b.kind == ir::BodyKind::MultipartForm)
        {
            docs.push_paragraph(&multipart_form_docs(&rust_name, &b.rust_name));
        }
        if !redirects.is_empty() {
            let statuses: Vec<String> = redirects
                .iter()
                .map(|s| match s {
                    ir::StatusMatch::Code(code) => format!("`{code}`"),
                    ir::StatusMatch::Range(class) => format!("`{class}XX`"),
                })
                .collect();
            docs.push_paragraph(&format!(
                "Its answer is a redirect ({}), read as a success with its `Location` in the response's headers (`send_with_response`) when the HTTP client does not follow redirects; a client that follows them (reqwest's default) gives what the redirect's target answers.",
                statuses.join(", ")
            ));
        }
        let pagination = op.extensions.get("x-dropshot-pagination").and_then(|_| {
            self.pagination(&success, &params, &child(pointer, "x-dropshot-pagination"))
        });
        let idempotent = self.idempotent(op, method, path, pointer);
        let security = self.operation_security(op.security.as_deref(), &params, pointer, &mut docs);
        // An `Accept` the document makes a parameter is the caller's.
        let accept = accept.filter(|_| {
            !params.iter().any(|p| {
                p.location == ir::ParamLocation::Header
                    && p.wire_name.eq_ignore_ascii_case("accept")
            })
        });
        Some(ir::Operation {
            security,
            request_name,
            pagination,
            idempotent,
            rust_name,
            operation_id,
            origin: pointer.to_owned(),
            docs,
            deprecated: op.deprecated,
            method: method.to_uppercase(),
            path_template: path.to_owned(),
            path: parts,
            params,
            body,
            success,
            redirects,
            error,
            accept,
            session,
        })
    }

    /// What a `$ref`-or-object stands for: the object itself, or the
    /// component it names in `section` (`parameters`, `requestBodies`, ...).
    /// A reference to nothing is reported, and gives `None`.
    ///
    /// A component is lowered where it is defined: the pointer returned is
    /// the component's own, and so is the name hint (its key), so that every
    /// operation that shares it shares the types hoisted from it.
    pub(super) fn component<'s, T>(
        &mut self,
        item: &'s ReferenceOr<T>,
        section: &str,
        pick: fn(&'a openapiv3::Components) -> &'a IndexMap<String, ReferenceOr<T>>,
        pointer: &str,
    ) -> Option<Located<'s, T>>
    where
        'a: 's,
    {
        let reference = match item {
            ReferenceOr::Item(t) => {
                return Some(Located {
                    item: t,
                    pointer: pointer.to_owned(),
                    key: None,
                });
            }
            ReferenceOr::Reference { reference } => reference,
        };
        let found = reference
            .strip_prefix(&format!("#/components/{section}/"))
            .map(unescape_token)
            .and_then(|key| {
                let (key, item) =
                    pick(self.api.components.as_ref()?).get_key_value(key.as_str())?;
                Some(Located {
                    item: item.as_item()?,
                    pointer: child(&format!("#/components/{section}"), key),
                    key: Some(key.as_str()),
                })
            });
        if found.is_none() {
            self.fail_operation(
                &child(pointer, "$ref"),
                Problem::DanglingRef(reference.clone()).to_string(),
            );
        }
        found
    }

    /// One parameter; `hint` names the types hoisted from its schema.
    pub(super) fn param(
        &mut self,
        args: &mut Scope,
        hint: &str,
        param: &Parameter,
        location: ir::ParamLocation,
        pointer: &str,
    ) -> ir::Param {
        let data = param.parameter_data_ref();
        let rust_name = args.claim(naming::value_name(&data.name));
        let ty = match &data.format {
            openapiv3::ParameterSchemaOrContent::Schema(s) => {
                self.type_ref(hint, s, &child(pointer, "schema"))
            }
            openapiv3::ParameterSchemaOrContent::Content(_) => {
                self.skip(
                    pointer,
                    "a parameter described by `content` rather than `schema` is taken as a string, sent as it is",
                );
                TypeRef::String
            }
        };
        // A parameter is written as text, item by item: a tuple is sent as
        // the list of its items.
        let ty = match ty {
            TypeRef::Tuple(members) if members.windows(2).all(|w| w[0] == w[1]) => TypeRef::Vec(
                Box::new(members.into_iter().next().unwrap_or(TypeRef::String)),
            ),
            TypeRef::Tuple(_) => TypeRef::Vec(Box::new(TypeRef::Json)),
            ty => ty,
        };
        // An empty description is none: the setter still needs a doc.
        let mut docs = super::docs::described(data.description.as_deref())
            .unwrap_or_else(|| Docs::from_text(&format!("The `{}` parameter.", data.name)));
        if data.deprecated == Some(true) {
            docs.0.insert(0, "(Deprecated.)".into());
        }
        let is_vec = matches!(ty, TypeRef::Vec(_));
        // Whether the value is an object (a map, a struct, a tagged union,
        // or a name for one), whose properties the query spreads out.
        let is_object = {
            let mut at = &ty;
            // Aliases of aliases end: `cycles` refuses a circle of them, and
            // the bound keeps this loop finite whatever it is given.
            let mut hops = 0;
            loop {
                let def = match at {
                    TypeRef::Map(_) => break true,
                    TypeRef::Named(name) if hops < 64 => {
                        self.types.iter().flatten().find(|t| &t.rust_name == name)
                    }
                    _ => break false,
                };
                match def.map(|d| &d.kind) {
                    Some(TypeKind::Struct(_) | TypeKind::TaggedUnion(_)) => break true,
                    Some(TypeKind::Alias(inner)) => {
                        at = inner;
                        hops += 1;
                    }
                    _ => break false,
                }
            }
        };
        let object_style = match param {
            Parameter::Query { style, .. } if is_object => Some(match style {
                openapiv3::QueryStyle::DeepObject => ir::ObjectStyle::DeepObject,
                openapiv3::QueryStyle::SpaceDelimited | openapiv3::QueryStyle::PipeDelimited => {
                    ir::ObjectStyle::Joined
                }
                openapiv3::QueryStyle::Form if data.explode == Some(false) => {
                    ir::ObjectStyle::Joined
                }
                openapiv3::QueryStyle::Form => ir::ObjectStyle::Form,
            }),
            _ => None,
        };
        ir::Param {
            rust_name,
            wire_name: data.name.clone(),
            location,
            docs,
            ty,
            required: data.required || location == ir::ParamLocation::Path,
            deprecated: data.deprecated.unwrap_or(false),
            delimiter: match param {
                Parameter::Query { style, .. } if is_vec || is_object => match style {
                    openapiv3::QueryStyle::SpaceDelimited => Some(" ".to_owned()),
                    openapiv3::QueryStyle::PipeDelimited => Some("|".to_owned()),
                    _ if data.explode == Some(false) => Some(",".to_owned()),
                    _ => None,
                },
                _ => None,
            },
            object_style,
        }
    }
}

impl Lowerer<'_> {
    /// The pagination of an operation marked `x-dropshot-pagination`: its
    /// success is a page with `items` and `next_page`, and it takes
    /// `page_token` (and `limit`) in the query. Anything else is reported,
    /// and the method is generated without a way to walk the pages.
    fn pagination(
        &mut self,
        success: &ir::Response,
        params: &[ir::Param],
        pointer: &str,
    ) -> Option<ir::Pagination> {
        let found = self.page_shape(success, params);
        match found {
            Ok(pagination) => Some(pagination),
            Err(why) => {
                self.skip(
                    pointer,
                    format!(
                        "{why}; the method is generated, but the client does not walk its pages"
                    ),
                );
                None
            }
        }
    }

    fn page_shape(
        &self,
        success: &ir::Response,
        params: &[ir::Param],
    ) -> Result<ir::Pagination, String> {
        let ir::Response::Json(TypeRef::Named(page)) = success else {
            return Err(
                "the operation is marked as paginated, but its success is not a JSON object".into(),
            );
        };
        let def = self.types.iter().flatten().find(|t| &t.rust_name == page);
        let Some(TypeKind::Struct(page_struct)) = def.map(|d| &d.kind) else {
            return Err(format!(
                "the operation is marked as paginated, but its success `{page}` is not an object"
            ));
        };
        let field = |wire: &str| page_struct.fields.iter().find(|f| f.wire_name == wire);
        let items = field("items");
        let Some((items, TypeRef::Vec(item))) = items.map(|f| (f, &f.ty)) else {
            return Err(format!(
                "the operation is marked as paginated, but its page `{page}` has no `items` array"
            ));
        };
        if items.presence.options() != 0 {
            return Err(format!(
                "the operation is marked as paginated, but the `items` of its page `{page}` may be absent"
            ));
        }
        let next_page = field("next_page")
            .filter(|f| f.ty == TypeRef::String && matches!(f.presence.options(), 1 | 2));
        let Some(next_page) = next_page else {
            return Err(format!(
                "the operation is marked as paginated, but its page `{page}` has no optional string `next_page`"
            ));
        };
        let param = |wire: &str| {
            params
                .iter()
                .find(|p| p.wire_name == wire && p.location == ir::ParamLocation::Query)
        };
        let Some(page_token) =
            param("page_token").filter(|p| !p.required && p.ty == TypeRef::String)
        else {
            return Err(
                "the operation is marked as paginated, but has no optional string query parameter `page_token`".into(),
            );
        };
        let limit = param("limit").filter(|p| !p.required);
        Ok(ir::Pagination {
            item: (**item).clone(),
            items_field: items.rust_name.clone(),
            next_page_field: next_page.rust_name.clone(),
            page_token_param: page_token.rust_name.clone(),
            limit_param: limit.map(|p| p.rust_name.clone()),
            stream_method: None,
        })
    }
}

/// Reads again how many `Option`s wrap each page's next token: whether a
/// nullable field is one `Option` or two is settled after the operations
/// are lowered, once it is known which types requests send.
pub(super) fn settle_pagination(types: &[ir::TypeDef], operations: &mut [ir::Operation]) {
    for op in operations {
        let ir::Response::Json(TypeRef::Named(page)) = &op.success else {
            continue;
        };
        let Some(pagination) = &mut op.pagination else {
            continue;
        };
        let field = types
            .iter()
            .find(|t| &t.rust_name == page)
            .and_then(|t| match &t.kind {
                TypeKind::Struct(s) => s
                    .fields
                    .iter()
                    .find(|f| f.rust_name == pagination.next_page_field),
                _ => None,
            });
        // One or two `Option`s round the token (the support module's
        // `PageToken` reads either); a default makes it never absent, and
        // there is no last page to find.
        if !matches!(field.map(|f| f.presence.options()), Some(1 | 2)) {
            op.pagination = None;
        }
    }
}

/// The names an operation answers to in the settings: its `operationId`,
/// if any, and `METHOD /path`.
pub(super) fn operation_names(operation_id: Option<&str>, method: &str, path: &str) -> Vec<String> {
    let mut names: Vec<String> = operation_id.into_iter().map(str::to_owned).collect();
    names.push(format!("{} {path}", method.to_uppercase()));
    names
}

impl Lowerer<'_> {
    /// Whether the client may send the operation twice: `x-idempotent` when
    /// the operation says, else whether the settings name it, else whether
    /// its method is idempotent (RFC 9110, 9.2.2).
    fn idempotent(
        &mut self,
        op: &openapiv3::Operation,
        method: &str,
        path: &str,
        pointer: &str,
    ) -> bool {
        match op.extensions.get("x-idempotent") {
            Some(serde_json::Value::Bool(marked)) => return *marked,
            Some(_) => self.skip(
                &child(pointer, "x-idempotent"),
                "`x-idempotent` is `true` or `false`; this one is ignored",
            ),
            None => {}
        }
        let names = operation_names(op.operation_id.as_deref(), method, path);
        let named = self.config.idempotent.iter().any(|wanted| {
            names
                .iter()
                .any(|n| crate::settings::same_operation(wanted, n))
        });
        named
            || matches!(
                method.to_ascii_uppercase().as_str(),
                "GET" | "HEAD" | "PUT" | "DELETE" | "OPTIONS" | "TRACE"
            )
    }
}

/// How to call a method whose multipart body the caller builds.
fn multipart_form_docs(method: &str, arg: &str) -> String {
    let method = naming::unraw(method);
    format!(
        "The document does not say what the parts of the `multipart/form-data` body are, \
         so `{arg}` is a [`multipart::Form`](crate::multipart::Form) you build \
         (`reqwest`'s, re-exported as this crate's `multipart`), for example:\n\n\
         ```ignore\n\
         let file = multipart::Part::bytes(std::fs::read(\"model.obj\")?).file_name(\"model.obj\");\n\
         let {arg} = multipart::Form::new().part(\"file\", file);\n\
         let answer = client.{method}(/* other arguments, */ {arg}).await?;\n\
         ```"
    )
}
