//! Documentation: the document's own text made rustdoc, or a sentence
//! that says what an item is when the document says nothing.

use crate::ir::Docs;
use crate::markdown;
use openapiv3::Schema;

/// Docs from the document's own text, made safe as rustdoc.
pub(super) fn spec_docs(text: &str) -> Docs {
    Docs::from_text(&markdown::rustdoc(text))
}

pub(super) fn schema_docs(schema: &Schema, name: &str) -> Docs {
    let data = &schema.schema_data;
    let mut docs = Docs::default();
    if let Some(title) = &data.title {
        docs.push_paragraph(&markdown::rustdoc(title));
    }
    if let Some(description) = &data.description {
        if data.title.as_deref().map(str::trim) != Some(description.trim()) {
            docs.push_paragraph(&markdown::rustdoc(description));
        }
    }
    if docs.is_empty() {
        docs = Docs::from_text(&format!("The `{name}` type."));
    }
    docs
}

/// The docs of a description, when it says something: an empty one (or
/// one that is only markup rustdoc drops) is none.
pub(super) fn described(description: Option<&str>) -> Option<Docs> {
    description.map(spec_docs).filter(|d| !d.is_empty())
}

pub(super) fn field_docs(schema: &Schema, wire_name: &str) -> Docs {
    described(schema.schema_data.description.as_deref())
        .unwrap_or_else(|| Docs::from_text(&format!("The `{wire_name}` property.")))
}
