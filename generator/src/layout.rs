//! Boxing the enum variants that would make an enum large.
//!
//! An enum is as large as its largest variant, so one big struct among small
//! ones costs every value the big one's size (clippy's `large_enum_variant`).
//! Unions and status enums box each payload whose estimated size exceeds
//! [`LIMIT`], which keeps every variant within it. The estimate errs on the
//! large side (every scalar counts eight bytes, every `Option` adds eight):
//! boxing a little more than needed costs an allocation, too little a lint.

use crate::ir::{Operation, Presence, Response, TaggedPayload, TypeDef, TypeKind, TypeRef};
use std::collections::BTreeMap;

/// The size, in estimated bytes, above which an enum's payload is boxed.
pub const LIMIT: usize = 128;

/// Boxes the large payloads of unions (in `types`) and of the status enums
/// of `operations`.
pub fn box_large_variants(types: &mut [TypeDef], operations: &mut [Operation]) {
    let mut sizes = Sizes {
        defs: types
            .iter()
            .map(|t| (t.rust_name.clone(), t.kind.clone()))
            .collect(),
        memo: BTreeMap::new(),
    };
    for t in types.iter_mut() {
        match &mut t.kind {
            TypeKind::TaggedUnion(u) => {
                for v in &mut u.variants {
                    if let TaggedPayload::Fields(ty) | TaggedPayload::Whole(ty) = &mut v.payload {
                        sizes.box_if_large(ty);
                    }
                }
            }
            TypeKind::UntaggedUnion(u) => {
                for v in &mut u.variants {
                    sizes.box_if_large(&mut v.ty);
                }
            }
            _ => {}
        }
    }
    for op in operations {
        if let Response::ByStatus(responses) = &mut op.success {
            for v in &mut responses.variants {
                if let Response::Json(ty) = &mut v.body {
                    sizes.box_if_large(ty);
                }
            }
        }
    }
}

struct Sizes {
    defs: BTreeMap<String, TypeKind>,
    /// Estimated sizes of named types; `None` while one is being computed
    /// (a cycle, which `cycles` has already broken with a `Box`).
    memo: BTreeMap<String, Option<usize>>,
}

impl Sizes {
    fn box_if_large(&mut self, ty: &mut TypeRef) {
        if !matches!(ty, TypeRef::Box(_)) && self.of(ty) > LIMIT {
            let inner = std::mem::replace(ty, TypeRef::Json);
            *ty = TypeRef::Box(Box::new(inner));
        }
    }

    /// A payload's size once boxed if large.
    fn payload(&mut self, ty: &TypeRef) -> usize {
        match self.of(ty) {
            n if n > LIMIT => 8,
            n => n,
        }
    }

    fn of(&mut self, ty: &TypeRef) -> usize {
        match ty {
            TypeRef::Named(name) => self.named(name),
            TypeRef::Bool | TypeRef::Integer(_) | TypeRef::F32 | TypeRef::F64 | TypeRef::Date => 8,
            TypeRef::Decimal | TypeRef::Uuid | TypeRef::DateTime => 16,
            TypeRef::String | TypeRef::Bytes | TypeRef::Vec(_) | TypeRef::Map(_) => 24,
            TypeRef::Json => 32,
            TypeRef::Option(inner) => self.of(inner) + 8,
            TypeRef::Box(_) => 8,
            TypeRef::Tuple(members) => members.iter().map(|m| self.of(m)).sum(),
        }
    }

    fn named(&mut self, name: &str) -> usize {
        match self.memo.get(name) {
            Some(Some(size)) => return *size,
            Some(None) => return 8,
            None => {}
        }
        let Some(kind) = self.defs.get(name).cloned() else {
            return 8;
        };
        self.memo.insert(name.to_owned(), None);
        let size = match &kind {
            TypeKind::Struct(s) => {
                let fields: usize = s
                    .fields
                    .iter()
                    .map(|f| {
                        let size = self.of(&f.ty);
                        match f.presence {
                            Presence::Required | Presence::Defaulted(_) => size,
                            Presence::Optional | Presence::RequiredNullable => size + 8,
                            Presence::OptionalNullable => size + 16,
                        }
                    })
                    .sum();
                fields + if s.additional.is_some() { 24 } else { 0 }
            }
            TypeKind::StringEnum(_) => 32,
            TypeKind::TaggedUnion(u) => {
                let mut largest = 32;
                for v in &u.variants {
                    if let TaggedPayload::Fields(ty) | TaggedPayload::Whole(ty) = &v.payload {
                        largest = largest.max(self.payload(ty));
                    }
                }
                largest + 8
            }
            TypeKind::UntaggedUnion(u) => {
                let mut largest = 0;
                for v in &u.variants {
                    largest = largest.max(self.payload(&v.ty));
                }
                largest + 8
            }
            TypeKind::Alias(ty) => self.of(ty),
        };
        self.memo.insert(name.to_owned(), Some(size));
        size
    }
}
