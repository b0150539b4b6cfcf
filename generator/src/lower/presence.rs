//! Passes over the finished IR that settle how fields are present.

use crate::ir::{self, Presence, TypeKind, TypeRef};
use indexmap::IndexMap;

/// Three states (absent, `null`, a value) matter for what the client sends:
/// `null` clears, absent leaves alone. In what it only reads, both mean "no
/// value", and `Option<Option<T>>` would be a burden. So optional nullable
/// fields of types that no request body reaches are plain `Option<T>`.
pub(super) fn read_only_nullables(types: &mut [ir::TypeDef], operations: &[ir::Operation]) {
    let index: IndexMap<&str, usize> = types
        .iter()
        .enumerate()
        .map(|(i, t)| (t.rust_name.as_str(), i))
        .collect();
    let mut sent = vec![false; types.len()];
    let mut stack: Vec<&TypeRef> = operations
        .iter()
        .filter_map(|op| op.body.as_ref())
        .filter_map(|body| match &body.kind {
            ir::BodyKind::Json(ty)
            | ir::BodyKind::Form(ty)
            | ir::BodyKind::Multipart { ty, .. } => Some(ty),
            ir::BodyKind::MultipartForm | ir::BodyKind::Text | ir::BodyKind::Bytes => None,
        })
        .collect();
    while let Some(ty) = stack.pop() {
        match ty {
            TypeRef::Named(name) => {
                let Some(&i) = index.get(name.as_str()) else {
                    continue;
                };
                if std::mem::replace(&mut sent[i], true) {
                    continue;
                }
                match &types[i].kind {
                    TypeKind::Struct(s) => {
                        stack.extend(s.fields.iter().map(|f| &f.ty));
                        stack.extend(s.additional.iter().map(|a| &a.value));
                    }
                    TypeKind::TaggedUnion(u) => {
                        stack.extend(u.variants.iter().filter_map(|v| match &v.payload {
                            ir::TaggedPayload::Fields(ty) | ir::TaggedPayload::Whole(ty) => {
                                Some(ty)
                            }
                            ir::TaggedPayload::Unit => None,
                        }))
                    }
                    TypeKind::UntaggedUnion(u) => stack.extend(u.variants.iter().map(|v| &v.ty)),
                    TypeKind::Alias(ty) => stack.push(ty),
                    TypeKind::StringEnum(_) => {}
                }
            }
            TypeRef::Vec(inner)
            | TypeRef::Map(inner)
            | TypeRef::Option(inner)
            | TypeRef::Box(inner) => stack.push(inner),
            TypeRef::Tuple(members) => stack.extend(members),
            _ => {}
        }
    }
    for (t, sent) in types.iter_mut().zip(sent) {
        if let (TypeKind::Struct(s), false) = (&mut t.kind, sent) {
            for f in &mut s.fields {
                if f.presence == Presence::OptionalNullable {
                    f.presence = Presence::Optional;
                }
            }
        }
    }
}
