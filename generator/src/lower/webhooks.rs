//! Webhooks (3.1's `webhooks`, Redocly's `x-webhooks` in 3.0): requests the
//! server sends, which a client does not receive. Each is reported as left
//! out, like a callback; its payload's type is generated all the same, for
//! the service that does receive it.

use super::Lowerer;
use crate::diagnostics::child;
use crate::ir::TypeRef;
use crate::naming;
use indexmap::IndexMap;
use openapiv3::{OpenAPI, PathItem, ReferenceOr};

/// The webhooks of a document: where they are, and their path items.
pub(super) type Webhooks = Vec<(&'static str, IndexMap<String, ReferenceOr<PathItem>>)>;

/// The webhooks load handed over as extensions, by the pointer they are at.
/// A list that is not webhooks is reported in lowering, not here.
pub(super) fn webhooks_of(api: &OpenAPI) -> (Webhooks, Vec<(String, String)>) {
    let mut found = Vec::new();
    let mut problems = Vec::new();
    for (key, pointer) in [
        (crate::load::WEBHOOKS, "#/webhooks"),
        ("x-webhooks", "#/x-webhooks"),
    ] {
        let Some(value) = api.extensions.get(key) else {
            continue;
        };
        match serde_json::from_value::<IndexMap<String, ReferenceOr<PathItem>>>(value.clone()) {
            Ok(items) => found.push((pointer, items)),
            Err(e) => problems.push((
                pointer.to_owned(),
                format!("the webhooks cannot be read ({e}); they are left out"),
            )),
        }
    }
    (found, problems)
}

impl<'a> Lowerer<'a> {
    /// Reports each webhook, and generates its payload's type.
    pub(super) fn lower_webhooks(&mut self, webhooks: &'a Webhooks) {
        for (base, items) in webhooks {
            for (name, item) in items {
                let at = child(base, name);
                let item = match item {
                    ReferenceOr::Item(item) => item,
                    ReferenceOr::Reference { reference } => {
                        self.skip(
                            &child(&at, "$ref"),
                            format!("the webhook's `$ref: {reference}` cannot be followed; it is left out"),
                        );
                        continue;
                    }
                };
                for (method, op) in item.iter() {
                    let pointer = child(&at, method);
                    let id = op.operation_id.as_deref().unwrap_or(name);
                    let hint = format!("{}Payload", naming::type_name(id));
                    let payload = op
                        .request_body
                        .as_ref()
                        .and_then(|body| self.payload(&hint, body, &pointer));
                    for (failed_at, why) in std::mem::take(&mut self.op_failures) {
                        self.skip(&failed_at, why);
                    }
                    let what = match payload {
                        Some(TypeRef::Named(name)) => format!("; its payload is `types::{name}`"),
                        _ => String::new(),
                    };
                    self.skip(
                        &pointer,
                        format!(
                            "a webhook is a request the server sends, not one the client makes, so it is not a method{what}"
                        ),
                    );
                }
            }
        }
    }

    /// The type of a webhook's JSON payload (or of its first media type).
    fn payload(
        &mut self,
        hint: &str,
        body: &'a ReferenceOr<openapiv3::RequestBody>,
        pointer: &str,
    ) -> Option<TypeRef> {
        let body = self.component(
            body,
            "requestBodies",
            |c| &c.request_bodies,
            &child(pointer, "requestBody"),
        )?;
        let (media_type, content) = body
            .item
            .content
            .iter()
            .find(|(media_type, _)| media_type.contains("json"))
            .or_else(|| body.item.content.first())?;
        let schema = content.schema.as_ref()?;
        let schema_pointer = format!(
            "{}/schema",
            child(&child(&body.pointer, "content"), media_type)
        );
        let hint = body
            .key
            .map_or_else(|| hint.to_owned(), |key| format!("{key}Payload"));
        Some(self.type_ref(&hint, schema, &schema_pointer))
    }
}
