//! `default` values: which fit their field's type, and so are applied when
//! the field is absent, and which are reported as not applied.

use super::*;

impl<'a> Lowerer<'a> {
    /// The Rust value of a property's `default`, when it fits the field's
    /// type; otherwise why not.
    pub(super) fn default_literal(
        &self,
        ty: &TypeRef,
        schema: &ReferenceOr<Box<Schema>>,
        value: &serde_json::Value,
    ) -> Result<ir::Literal, &'static str> {
        use serde_json::Value;
        match (ty, value) {
            (TypeRef::Bool, Value::Bool(b)) => Ok(ir::Literal::Bool(*b)),
            (TypeRef::Integer(kind), Value::Number(n)) => {
                let n = n
                    .as_i64()
                    .map(i128::from)
                    .or_else(|| n.as_u64().map(i128::from))
                    .ok_or("not an integer")?;
                if int_range(*kind).contains(&n) {
                    Ok(ir::Literal::Integer(n))
                } else {
                    Err("out of the integer type's range")
                }
            }
            (TypeRef::F32 | TypeRef::F64, Value::Number(n)) => n
                .as_f64()
                .filter(|f| f.is_finite())
                .map(ir::Literal::Float)
                .ok_or("not a finite number"),
            (TypeRef::String, Value::String(text)) => Ok(ir::Literal::Str(text.clone())),
            (TypeRef::Named(_), Value::String(text)) => {
                // Through `allOf: [$ref]` wrappers, to the schema itself.
                let mut target = self.deref(schema);
                for _ in 0..=self.names.len() {
                    match target.map(|s| &s.schema_kind) {
                        Some(SchemaKind::AllOf { all_of }) if all_of.len() == 1 => {
                            target = self.deref(&all_of[0]);
                        }
                        _ => break,
                    }
                }
                if target.is_some_and(is_string_enum) {
                    Ok(ir::Literal::Str(text.clone()))
                } else {
                    Err("only string-enum defaults are applied to named types")
                }
            }
            (TypeRef::Vec(_), Value::Array(items)) if items.is_empty() => Ok(ir::Literal::EmptyVec),
            (TypeRef::Bytes, Value::String(text)) if text.is_empty() => Ok(ir::Literal::EmptyVec),
            (TypeRef::Vec(item), Value::Array(items))
                if matches!(
                    **item,
                    TypeRef::Bool
                        | TypeRef::Integer(_)
                        | TypeRef::F32
                        | TypeRef::F64
                        | TypeRef::String
                ) =>
            {
                items
                    .iter()
                    .map(|value| self.default_literal(item, schema, value))
                    .collect::<Result<_, _>>()
                    .map(ir::Literal::Vec)
            }
            (TypeRef::Map(_), Value::Object(map)) if map.is_empty() => Ok(ir::Literal::EmptyMap),
            // Checked once every type is lowered: see `type_defaults`.
            (TypeRef::Named(_), Value::Object(map)) if map.is_empty() => {
                Ok(ir::Literal::TypeDefault)
            }
            (TypeRef::Vec(_) | TypeRef::Map(_), _) => Err(
                "only empty objects, and arrays of booleans, numbers and strings, are applied as defaults",
            ),
            _ => Err("the value does not match the property's type"),
        }
    }
}

/// `default: {}` on a property of a named type is that type's `Default`,
/// which a struct whose fields may all be left out has. Any other type
/// keeps the field an `Option`, and says so.
pub(super) fn type_defaults(types: &mut [ir::TypeDef], skipped: &mut Vec<ir::Skipped>) {
    let has_default = |name: &str, types: &[ir::TypeDef]| {
        let mut name = name.to_owned();
        for _ in 0..=types.len() {
            match types.iter().find(|t| t.rust_name == name).map(|t| &t.kind) {
                Some(TypeKind::Alias(TypeRef::Named(next))) => name = next.clone(),
                Some(TypeKind::Struct(s)) => {
                    return s.fields.iter().all(|f| f.presence.is_optional());
                }
                _ => return false,
            }
        }
        false
    };
    let mut lacking = Vec::new();
    for (i, t) in types.iter().enumerate() {
        if let TypeKind::Struct(s) = &t.kind {
            for (j, f) in s.fields.iter().enumerate() {
                if let (Presence::Defaulted(d), TypeRef::Named(name)) = (&f.presence, &f.ty) {
                    if d.value == ir::Literal::TypeDefault && !has_default(name, types) {
                        lacking.push((i, j));
                    }
                }
            }
        }
    }
    for (i, j) in lacking {
        if let TypeKind::Struct(s) = &mut types[i].kind {
            let field = &mut s.fields[j];
            field.presence = Presence::Optional;
            skipped.push(ir::Skipped {
                pointer: field.origin.clone(),
                message: "`default: {}` is not applied (the type has required fields, so no default value); when absent the field reads as `None`".into(),
            });
        }
    }
}

/// The values an integer type holds.
pub(super) fn int_range(kind: IntKind) -> std::ops::RangeInclusive<i128> {
    match kind {
        IntKind::I8 => i128::from(i8::MIN)..=i128::from(i8::MAX),
        IntKind::I16 => i128::from(i16::MIN)..=i128::from(i16::MAX),
        IntKind::I32 => i128::from(i32::MIN)..=i128::from(i32::MAX),
        IntKind::I64 => i128::from(i64::MIN)..=i128::from(i64::MAX),
        IntKind::U8 => 0..=i128::from(u8::MAX),
        IntKind::U16 => 0..=i128::from(u16::MAX),
        IntKind::U32 => 0..=i128::from(u32::MAX),
        IntKind::U64 => 0..=i128::from(u64::MAX),
    }
}
