//! Request bodies and responses: which media type is used, how a body is
//! encoded (JSON, form, multipart, text, bytes), and what each response
//! decodes into (one type, or an enum keyed by status).

use super::{Located, Lowerer};
use crate::diagnostics::child;
use crate::ir::{self, Docs, TypeKind, TypeRef};
use crate::naming::{self, Scope};
use openapiv3::{ReferenceOr, StatusCode};

impl<'a> Lowerer<'a> {
    pub(super) fn request_body(
        &mut self,
        args: &mut Scope,
        type_hint: &str,
        body: &ReferenceOr<openapiv3::RequestBody>,
        pointer: &str,
    ) -> Option<ir::RequestBody> {
        let Located {
            item: body,
            pointer,
            key,
        } = self.component(body, "requestBodies", |c| &c.request_bodies, pointer)?;
        let pointer = pointer.as_str();
        // Of the media types offered, the one the client can build best; of
        // those of that kind, a type rather than a range (`application/*+json`
        // says what the server takes, and is no `Content-Type`), and the
        // plain one (`application/json`) rather than a dialect.
        let Some((media_type, content)) = body
            .content
            .iter()
            .min_by_key(|(media_type, _)| MediaKind::preference(media_type))
        else {
            self.skip(
                pointer,
                "the request body names no media type, so the method sends none",
            );
            return None;
        };
        let schema_pointer = format!("{}/schema", child(&child(pointer, "content"), media_type));
        let hint = match key {
            Some(key) => key.to_owned(),
            None => format!("{type_hint}Body"),
        };
        let body_type = |cx: &mut Self| match &content.schema {
            Some(s) => cx.type_ref(&hint, s, &schema_pointer),
            None => TypeRef::Json,
        };
        let (kind, sent_type) = match MediaKind::of(media_type) {
            // Only a range of JSON types is offered: the plain one is in it.
            MediaKind::Json if media_type.contains('*') => (
                ir::BodyKind::Json(body_type(self)),
                "application/json".to_owned(),
            ),
            MediaKind::Json => (ir::BodyKind::Json(body_type(self)), media_type.clone()),
            MediaKind::Form => (ir::BodyKind::Form(body_type(self)), media_type.clone()),
            MediaKind::Multipart => {
                let ty = body_type(self);
                match self.multipart_parts(&ty) {
                    Some(parts) => (ir::BodyKind::Multipart { ty, parts }, media_type.clone()),
                    // Not an object whose properties are the parts: the
                    // caller says what the parts are.
                    None => (ir::BodyKind::MultipartForm, media_type.clone()),
                }
            }
            MediaKind::Text => (ir::BodyKind::Text, media_type.clone()),
            MediaKind::Bytes if media_type.contains('*') => {
                (ir::BodyKind::Bytes, "application/octet-stream".to_owned())
            }
            MediaKind::Bytes => (ir::BodyKind::Bytes, media_type.clone()),
        };
        let kind = match kind {
            ir::BodyKind::Multipart { ty, mut parts } => {
                for part in &mut parts {
                    if part.encoding == ir::PartEncoding::Bytes {
                        let setter = format!("{}_part", crate::naming::unraw(&part.field));
                        part.part_setter = Some(args.claim(setter));
                    }
                }
                ir::BodyKind::Multipart { ty, parts }
            }
            kind => kind,
        };
        Some(ir::RequestBody {
            rust_name: args.claim("body".into()),
            media_type: sent_type,
            kind,
            required: body.required,
        })
    }

    /// The parts of a multipart body: one per field of its struct.
    pub(super) fn multipart_parts(&self, ty: &TypeRef) -> Option<Vec<ir::MultipartPart>> {
        let TypeRef::Named(name) = ty else {
            return None;
        };
        let def = self.types.iter().flatten().find(|t| &t.rust_name == name)?;
        let TypeKind::Struct(s) = &def.kind else {
            return None;
        };
        // A part of a type that is another name for a scalar (`Uuid:
        // {type: string, format: uuid}`) is that scalar: text, not JSON.
        let unaliased = |ty: &TypeRef| {
            let mut ty = ty.clone();
            for _ in 0..16 {
                let TypeRef::Named(n) = &ty else { break };
                match self.types.iter().flatten().find(|t| &t.rust_name == n) {
                    Some(ir::TypeDef {
                        kind: TypeKind::Alias(target),
                        ..
                    }) if target.is_scalar() || matches!(target, TypeRef::Named(_)) => {
                        ty = target.clone();
                    }
                    _ => break,
                }
            }
            ty
        };
        let parts = s
            .fields
            .iter()
            .map(|f| (f, unaliased(&f.ty)))
            .map(|(f, ty)| ir::MultipartPart {
                field: f.rust_name.clone(),
                wire_name: f.wire_name.clone(),
                ty: ty.clone(),
                encoding: match &ty {
                    TypeRef::Bytes => ir::PartEncoding::Bytes,
                    ty if ty.is_scalar() => ir::PartEncoding::Text,
                    TypeRef::Named(n)
                        if self.types.iter().flatten().any(|t| {
                            &t.rust_name == n && matches!(t.kind, TypeKind::StringEnum(_))
                        }) =>
                    {
                        ir::PartEncoding::Text
                    }
                    _ => ir::PartEncoding::Json,
                },
                presence: f.presence.clone(),
                part_setter: None,
            })
            .collect();
        Some(parts)
    }

    /// What the success (or, with `success == false`, the error) responses
    /// of an operation decode into. Successes are the `2XX` responses, or
    /// the `3XX` ones when there is none (see [`redirects_answer`]), or
    /// `default` when there is neither; errors are `4XX`, `5XX` and `default`.
    ///
    /// With it, the media types of those bodies the client reads (JSON and
    /// text), for the request's `Accept`.
    pub(super) fn response(
        &mut self,
        type_hint: &str,
        op: &openapiv3::Operation,
        pointer: &str,
        success: bool,
    ) -> (ir::Response, Vec<String>) {
        let mut accepted: Vec<String> = Vec::new();
        let response = self.response_of(type_hint, op, pointer, success, &mut accepted);
        (response, accepted)
    }

    fn response_of(
        &mut self,
        type_hint: &str,
        op: &openapiv3::Operation,
        pointer: &str,
        success: bool,
        accepted: &mut Vec<String>,
    ) -> ir::Response {
        // An operation that documents no `2XX` answers with its `3XX`s (a
        // login endpoint's `302` to the provider, a download's to its file).
        let answer_class = if redirects_answer(op) { 3 } else { 2 };
        let mut candidates: Vec<(
            Option<ir::StatusMatch>,
            String,
            &ReferenceOr<openapiv3::Response>,
        )> = op
            .responses
            .responses
            .iter()
            .filter_map(|(code, r)| {
                let (class, status) = match code {
                    StatusCode::Code(c) => (c / 100, ir::StatusMatch::Code(*c)),
                    StatusCode::Range(r) => (*r, ir::StatusMatch::Range(*r)),
                };
                let wanted = if success {
                    class == answer_class
                } else {
                    class == 4 || class == 5
                };
                wanted.then(|| (Some(status), code.to_string(), r))
            })
            .collect();
        if let Some(default) = &op.responses.default {
            if !success || candidates.is_empty() {
                candidates.push((None, "default".into(), default));
            }
        }
        let suffix = if success { "Response" } else { "ErrorResponse" };
        let mut bodies: Vec<(Option<ir::StatusMatch>, ir::Response)> = Vec::new();
        for (status, code, response) in candidates {
            let r_pointer = child(pointer, &code);
            let Some(Located {
                item: response,
                pointer: r_pointer,
                key,
            }) = self.component(response, "responses", |c| &c.responses, &r_pointer)
            else {
                continue;
            };
            let hint = match key {
                Some(key) => key.to_owned(),
                None => format!("{type_hint}{suffix}"),
            };
            // An answer of these statuses has no content, whatever schema
            // the document gives it: a server that follows HTTP (and Prism
            // does) sends none, and the call must not fail reading one.
            if matches!(status, Some(ir::StatusMatch::Code(204 | 205 | 304)))
                && !response.content.is_empty()
            {
                self.skip(
                    &child(&r_pointer, "content"),
                    "an answer of status 204, 205 or 304 has no content (RFC 9110, sections 15.3.5, 15.3.6 and 15.4.5), so the content the document gives it is not read; the call gives no body for that status",
                );
                bodies.push((status, ir::Response::Empty));
                continue;
            }
            let chosen = response
                .content
                .iter()
                .min_by_key(|(media_type, _)| MediaKind::of(media_type));
            if let Some((media_type, _)) = chosen
                && matches!(MediaKind::of(media_type), MediaKind::Json | MediaKind::Text)
                && !accepted.contains(media_type)
            {
                accepted.push(media_type.clone());
            }
            let body = match chosen {
                None => ir::Response::Empty,
                Some((media_type, content)) => match MediaKind::of(media_type) {
                    MediaKind::Json | MediaKind::Form | MediaKind::Multipart => {
                        ir::Response::Json(match &content.schema {
                            Some(s) => self.type_ref(
                                &hint,
                                s,
                                &format!(
                                    "{}/schema",
                                    child(&child(&r_pointer, "content"), media_type)
                                ),
                            ),
                            None => TypeRef::Json,
                        })
                    }
                    MediaKind::Text => ir::Response::Text,
                    MediaKind::Bytes => ir::Response::Bytes,
                },
            };
            bodies.push((status, body));
        }
        if !success {
            // Error bodies: one JSON type, or any JSON value.
            let mut types = bodies.into_iter().filter_map(|(_, b)| match b {
                ir::Response::Json(ty) => Some(ty),
                _ => None,
            });
            let first = types.next();
            return ir::Response::Json(match first {
                Some(ty) if types.all(|t| t == ty) => ty,
                _ => TypeRef::Json,
            });
        }
        let Some((_, first)) = bodies.first() else {
            return ir::Response::Empty;
        };
        if bodies.iter().all(|(_, b)| b == first) {
            return first.clone();
        }
        // Several kinds of success: an enum keyed by status.
        let rust_name = self
            .scope
            .claim(naming::type_name(&format!("{type_hint}Response")));
        let mut scope = Scope::new();
        let mut variants: Vec<ir::StatusVariant> = bodies
            .into_iter()
            .map(|(status, body)| {
                let status = status.unwrap_or(ir::StatusMatch::Range(2));
                let (name, doc) = status_name(status);
                ir::StatusVariant {
                    rust_name: scope.claim(name),
                    docs: Docs::from_text(&doc),
                    status,
                    body,
                }
            })
            .collect();
        // Exact codes are matched before ranges.
        variants.sort_by_key(|v| matches!(v.status, ir::StatusMatch::Range(_)));
        ir::Response::ByStatus(ir::StatusResponses {
            docs: Docs::from_text(&format!(
                "The successful responses of `{}`, by status.",
                op.operation_id.as_deref().unwrap_or(type_hint)
            )),
            rust_name,
            variants,
        })
    }
}

/// Whether the operation's documented `3XX` responses are its answer:
/// it documents some and no `2XX`. A client that does not follow redirects
/// then reads them as a success, with their `Location`.
pub(super) fn redirects_answer(op: &openapiv3::Operation) -> bool {
    let class = |code: &StatusCode| match code {
        StatusCode::Code(c) => c / 100,
        StatusCode::Range(r) => *r,
    };
    let codes = || op.responses.responses.keys().map(class);
    !codes().any(|c| c == 2) && codes().any(|c| c == 3)
}

/// The statuses of the operation's `3XX` answers, when they are its answer
/// (see [`redirects_answer`]), in the document's order.
pub(super) fn redirect_answers(op: &openapiv3::Operation) -> Vec<ir::StatusMatch> {
    if !redirects_answer(op) {
        return Vec::new();
    }
    op.responses
        .responses
        .keys()
        .filter_map(|code| match code {
            StatusCode::Code(c) if c / 100 == 3 => Some(ir::StatusMatch::Code(*c)),
            StatusCode::Range(3) => Some(ir::StatusMatch::Range(3)),
            _ => None,
        })
        .collect()
}

/// How a media type is read and written, in order of preference when a
/// body offers several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum MediaKind {
    Json,
    Form,
    Multipart,
    Text,
    Bytes,
}

impl MediaKind {
    /// How much a request body of `media_type` is preferred, least first:
    /// by kind, then a type before a range, then the kind's plain type
    /// (`application/json`) before a dialect of it.
    fn preference(media_type: &str) -> (MediaKind, bool, bool) {
        let essence = media_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        let kind = MediaKind::of(media_type);
        let plain = match kind {
            MediaKind::Json => "application/json",
            MediaKind::Form => "application/x-www-form-urlencoded",
            MediaKind::Multipart => "multipart/form-data",
            MediaKind::Text => "text/plain",
            MediaKind::Bytes => "application/octet-stream",
        };
        (kind, essence.contains('*'), essence != plain)
    }

    pub(super) fn of(media_type: &str) -> MediaKind {
        let essence = media_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if essence == "application/json" || essence.ends_with("+json") {
            MediaKind::Json
        } else if essence == "application/x-www-form-urlencoded" {
            MediaKind::Form
        } else if essence == "multipart/form-data" {
            MediaKind::Multipart
        } else if (essence.starts_with("text/") && essence != "text/*")
            || essence == "application/xml"
            || essence.ends_with("+xml")
        {
            MediaKind::Text
        } else {
            MediaKind::Bytes
        }
    }
}

/// A variant name and doc line for a success status.
pub(super) fn status_name(status: ir::StatusMatch) -> (String, String) {
    match status {
        ir::StatusMatch::Code(code) => {
            let reason = match code {
                200 => Some("Ok"),
                201 => Some("Created"),
                202 => Some("Accepted"),
                203 => Some("NonAuthoritativeInformation"),
                204 => Some("NoContent"),
                205 => Some("ResetContent"),
                206 => Some("PartialContent"),
                207 => Some("MultiStatus"),
                208 => Some("AlreadyReported"),
                226 => Some("ImUsed"),
                300 => Some("MultipleChoices"),
                301 => Some("MovedPermanently"),
                302 => Some("Found"),
                303 => Some("SeeOther"),
                304 => Some("NotModified"),
                307 => Some("TemporaryRedirect"),
                308 => Some("PermanentRedirect"),
                _ => None,
            };
            match reason {
                Some(r) => (r.to_owned(), format!("`{code}`.")),
                None => (format!("Status{code}"), format!("`{code}`.")),
            }
        }
        ir::StatusMatch::Range(class) => (
            format!("Other{class}xx"),
            format!("Another `{class}XX` status."),
        ),
    }
}

#[cfg(test)]
mod tests {
    use crate::ir::{self, BodyKind, Response};

    #[test]
    fn a_body_goes_as_a_media_type_never_a_range_and_a_204_has_no_content() {
        let text = r#"
openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /votes/{id}:
    put:
      operationId: vote
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      requestBody:
        content:
          application/*+json: {schema: {$ref: '#/components/schemas/Vote'}}
          application/json: {schema: {$ref: '#/components/schemas/Vote'}}
          text/json: {schema: {$ref: '#/components/schemas/Vote'}}
      responses:
        '204':
          description: Voted.
          content: {application/json: {schema: {$ref: '#/components/schemas/Vote'}}}
  /ranges:
    post:
      operationId: post_range
      requestBody:
        content:
          application/*+json: {schema: {$ref: '#/components/schemas/Vote'}}
      responses: {'204': {description: Done.}}
components:
  schemas:
    Vote: {type: object, properties: {up: {type: boolean}}}
"#;
        let api = crate::lower_text("t.yaml", text).unwrap();
        let [range, vote] = &api.operations[..] else {
            panic!("{:?}", api.operations)
        };
        let body = |op: &ir::Operation| op.body.as_ref().unwrap().clone();
        assert_eq!(body(vote).media_type, "application/json");
        assert!(matches!(body(vote).kind, BodyKind::Json(_)));
        assert_eq!(
            body(range).media_type,
            "application/json",
            "a range alone: its plain type"
        );
        assert_eq!(vote.success, Response::Empty);
        assert_eq!(vote.accept, None, "a 204 is not read");
        assert!(
            api.skipped.iter().any(|s| s.pointer
                == "#/paths/~1votes~1{id}/put/responses/204/content"
                && s.message.contains("RFC 9110")),
            "{:?}",
            api.skipped
        );
    }

    #[test]
    fn a_request_accepts_what_its_successes_are_read_as_unless_the_caller_says() {
        let text = r#"
openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /report:
    get:
      operationId: get_report
      responses:
        '200':
          description: The report.
          content:
            application/json: {schema: {type: object}}
            application/sarif+json: {schema: {type: object}}
        '202':
          description: Not ready.
          content: {text/plain: {schema: {type: string}}}
  /negotiated:
    get:
      operationId: get_negotiated
      parameters: [{name: Accept, in: header, schema: {type: string}}]
      responses:
        '200':
          description: The report.
          content: {application/json: {schema: {type: object}}}
"#;
        let api = crate::lower_text("t.yaml", text).unwrap();
        let [negotiated, report] = &api.operations[..] else {
            panic!("{:?}", api.operations)
        };
        assert_eq!(
            report.accept.as_deref(),
            Some("application/json, text/plain")
        );
        assert_eq!(negotiated.accept, None, "the document makes it a parameter");
    }
}
