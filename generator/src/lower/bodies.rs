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
        // Of the media types offered, the one the client can build best.
        let Some((media_type, content)) = body
            .content
            .iter()
            .min_by_key(|(media_type, _)| MediaKind::of(media_type))
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
        let parts = s
            .fields
            .iter()
            .map(|f| ir::MultipartPart {
                field: f.rust_name.clone(),
                wire_name: f.wire_name.clone(),
                ty: f.ty.clone(),
                encoding: match &f.ty {
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
    /// `default` when there is none; errors are `4XX`, `5XX` and `default`.
    pub(super) fn response(
        &mut self,
        type_hint: &str,
        op: &openapiv3::Operation,
        pointer: &str,
        success: bool,
    ) -> ir::Response {
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
                    class == 2
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
            let chosen = response
                .content
                .iter()
                .min_by_key(|(media_type, _)| MediaKind::of(media_type));
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
