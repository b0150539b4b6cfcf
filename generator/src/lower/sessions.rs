//! WebSocket operations → sessions. Dropshot marks the operations that
//! upgrade to a WebSocket with `x-dropshot-websocket`; their `requestBody`
//! is the message the client sends, their `default` response the message
//! it receives. The method opens the session with the operation's path and
//! query; neither message is a body of the upgrade request.

use super::bodies::MediaKind;
use super::{Located, Lowerer};
use crate::diagnostics::child;
use crate::ir::{self, TypeRef};
use openapiv3::ReferenceOr;

/// The extension Dropshot marks a WebSocket operation with.
pub(super) const EXTENSION: &str = "x-dropshot-websocket";

/// Whether the operation opens a WebSocket session.
pub(super) fn is_session(op: &openapiv3::Operation) -> bool {
    op.extensions.contains_key(EXTENSION)
}

impl Lowerer<'_> {
    /// The session of a WebSocket operation: the messages each way, typed
    /// where the document gives them a JSON schema, raw text and bytes
    /// where it does not (`*/*`, no schema, no request body).
    pub(super) fn session(
        &mut self,
        type_hint: &str,
        op: &openapiv3::Operation,
        pointer: &str,
    ) -> ir::Session {
        let send = op.request_body.as_ref().and_then(|body| {
            let Located { item, pointer, key } = self.component(
                body,
                "requestBodies",
                |c| &c.request_bodies,
                &child(pointer, "requestBody"),
            )?;
            let hint = key.map_or_else(|| format!("{type_hint}Message"), str::to_owned);
            self.message(&hint, &item.content, &pointer)
        });
        let receive = op.responses.default.as_ref().and_then(|response| {
            let Located { item, pointer, key } = self.component(
                response,
                "responses",
                |c| &c.responses,
                &child(&child(pointer, "responses"), "default"),
            )?;
            let hint = key.map_or_else(|| format!("{type_hint}Answer"), str::to_owned);
            self.message(&hint, &item.content, &pointer)
        });
        ir::Session { send, receive }
    }

    /// The error of a refused handshake: the operation's `4XX` and `5XX`
    /// responses, whose `default` is the session's message and no error;
    /// any JSON value when it documents none.
    pub(super) fn handshake_error(
        &mut self,
        type_hint: &str,
        op: &openapiv3::Operation,
        pointer: &str,
    ) -> ir::Response {
        let mut errors = op.clone();
        errors.responses.default = None;
        let documented = errors.responses.responses.keys().any(|code| {
            matches!(
                code,
                openapiv3::StatusCode::Code(400..=599) | openapiv3::StatusCode::Range(4 | 5)
            )
        });
        if !documented {
            return ir::Response::Json(TypeRef::Json);
        }
        self.response(type_hint, &errors, pointer, false).0
    }

    /// The type of a message of `content`: its JSON media type's schema;
    /// `None` (raw frames) when it has none.
    fn message(
        &mut self,
        hint: &str,
        content: &openapiv3::Content,
        pointer: &str,
    ) -> Option<TypeRef> {
        let (media_type, media) = content
            .iter()
            .find(|(media_type, _)| MediaKind::of(media_type) == MediaKind::Json)?;
        let schema: &ReferenceOr<openapiv3::Schema> = media.schema.as_ref()?;
        let at = format!("{}/schema", child(&child(pointer, "content"), media_type));
        Some(self.type_ref(hint, schema, &at))
    }
}

/// The paragraph a session's method adds to its rustdoc.
pub(super) fn docs(session: &ir::Session) -> String {
    let message = |ty: &Option<TypeRef>, raw: &str| match ty {
        Some(TypeRef::Named(name)) => format!("[`{name}`](crate::types::{name})"),
        Some(_) => "JSON values".to_owned(),
        None => raw.to_owned(),
    };
    format!(
        "A WebSocket session: awaiting the request upgrades the connection (with the \
         `websocket` feature) and gives a [`Session`](crate::session::Session) that sends \
         {} and receives {}, and binary frames as bytes.",
        message(&session.send, "text"),
        message(&session.receive, "text"),
    )
}
