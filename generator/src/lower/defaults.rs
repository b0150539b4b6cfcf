//! `default` values: which fit their field's type, and so are applied when
//! the field is absent, and which are reported as not applied.
//!
//! A default is checked against the field's Rust type once every type is
//! lowered (and boxed), so that a default of a named type can be built from
//! the type itself: a struct from an object (`{"x": 0.0, "y": 0.0}` is
//! `Point { x: 0.0, y: 0.0 }`), a string enum from a string, a tagged union
//! from an object with its tag, money from a number (`0.0` is
//! `Decimal::new(0, 1)`). What does not fit is reported and left `None`.

use crate::ir::{self, IntKind, Presence, TypeKind, TypeRef};
use indexmap::IndexMap;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// How deep a default may nest structs in structs: far more than any
/// document needs, and a bound for defaults whose types include themselves.
const MAX_DEPTH: usize = 32;

/// A field's `default`, as the document gives it, waiting for the types.
pub(super) struct PendingDefault {
    /// The struct's Rust name.
    pub type_name: String,
    /// The field's Rust name.
    pub field: String,
    /// The value.
    pub value: Value,
}

/// Gives each defaulted field the Rust value of its default, or, when the
/// default does not fit the field's type, makes the field a plain `Option`
/// and says why.
pub(super) fn apply(
    types: &mut [ir::TypeDef],
    pending: Vec<PendingDefault>,
    skipped: &mut Vec<ir::Skipped>,
) {
    let index: IndexMap<String, usize> = types
        .iter()
        .enumerate()
        .map(|(i, t)| (t.rust_name.clone(), i))
        .collect();
    let values: BTreeMap<(String, String), Value> = pending
        .iter()
        .map(|p| ((p.type_name.clone(), p.field.clone()), p.value.clone()))
        .collect();
    let mut outcomes = Vec::new();
    for p in pending {
        let Some(&i) = index.get(&p.type_name) else {
            continue;
        };
        let TypeKind::Struct(s) = &types[i].kind else {
            continue;
        };
        let Some(j) = s.fields.iter().position(|f| f.rust_name == p.field) else {
            continue;
        };
        let cx = Defaults {
            types,
            index: &index,
            pending: &values,
        };
        let outcome = cx.literal(&field_type(&s.fields[j]), &p.value, 0);
        outcomes.push((i, j, p.value, outcome));
    }
    for (i, j, value, outcome) in outcomes {
        let TypeKind::Struct(s) = &mut types[i].kind else {
            continue;
        };
        let field = &mut s.fields[j];
        match (outcome, &mut field.presence) {
            (Ok(literal), Presence::Defaulted(d)) => d.value = literal,
            (Ok(_), _) => {}
            (Err(why), presence) => {
                *presence = Presence::Optional;
                skipped.push(ir::Skipped {
                    subject: None,
                    pointer: field.origin.clone(),
                    line_col: None,
                    message: format!(
                        "`default: {value}` is not applied ({why}); when absent the field reads as `None`"
                    ),
                });
            }
        }
    }
}

/// The types, to build defaults of named types from.
struct Defaults<'t> {
    types: &'t [ir::TypeDef],
    index: &'t IndexMap<String, usize>,
    /// Every field's default as the document gives it, by struct and field.
    pending: &'t BTreeMap<(String, String), Value>,
}

impl Defaults<'_> {
    fn def(&self, name: &str) -> Option<&ir::TypeDef> {
        self.index.get(name).map(|&i| &self.types[i])
    }

    /// The Rust value of `value` as a `ty`, or why it is not one.
    fn literal(&self, ty: &TypeRef, value: &Value, depth: usize) -> Result<ir::Literal, String> {
        if depth > MAX_DEPTH {
            return Err("it nests deeper than a default is followed".into());
        }
        let mismatch = || Err("the value does not match the property's type".to_owned());
        match (ty, value) {
            (TypeRef::Bool, Value::Bool(b)) => Ok(ir::Literal::Bool(*b)),
            (TypeRef::Integer(kind), Value::Number(n)) => {
                let n = n
                    .as_i64()
                    .map(i128::from)
                    .or_else(|| n.as_u64().map(i128::from))
                    .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i128))
                    .ok_or("not an integer")?;
                if int_range(*kind).contains(&n) {
                    Ok(ir::Literal::Integer(n))
                } else {
                    Err("out of the integer type's range".into())
                }
            }
            (TypeRef::F64, Value::Number(n)) => n
                .as_f64()
                .filter(|f| f.is_finite())
                .map(ir::Literal::Float)
                .ok_or_else(|| "not a finite number".into()),
            // The value the field holds: the nearest `f32`, which is what
            // the literal must read back as.
            (TypeRef::F32, Value::Number(n)) => n
                .as_f64()
                .map(|f| f as f32)
                .filter(|f| f.is_finite())
                .map(ir::Literal::F32)
                .ok_or_else(|| "not a finite number an `f32` holds".into()),
            (TypeRef::Decimal, Value::Number(n)) => decimal(&n.to_string()),
            (TypeRef::Decimal, Value::String(text)) => decimal(text),
            (TypeRef::String, Value::String(text)) => Ok(ir::Literal::Str(text.clone())),
            (TypeRef::Bytes, Value::String(text)) if text.is_empty() => Ok(ir::Literal::EmptyVec),
            (TypeRef::Vec(_), Value::Array(items)) if items.is_empty() => Ok(ir::Literal::EmptyVec),
            (TypeRef::Vec(item), Value::Array(items)) => items
                .iter()
                .map(|value| self.literal(item, value, depth + 1))
                .collect::<Result<_, _>>()
                .map(ir::Literal::Vec),
            (TypeRef::Map(_), Value::Object(map)) if map.is_empty() => Ok(ir::Literal::EmptyMap),
            (TypeRef::Map(inner), Value::Object(map)) => map
                .iter()
                .map(|(k, v)| Ok((k.clone(), self.literal(inner, v, depth + 1)?)))
                .collect::<Result<_, String>>()
                .map(ir::Literal::Map),
            (TypeRef::Option(_), Value::Null) => Ok(ir::Literal::None),
            (TypeRef::Option(inner), value) => Ok(ir::Literal::Some(Box::new(self.literal(
                inner,
                value,
                depth + 1,
            )?))),
            (TypeRef::Box(inner), value) => Ok(ir::Literal::Boxed(Box::new(self.literal(
                inner,
                value,
                depth + 1,
            )?))),
            (TypeRef::Named(name), value) => self.named(name, value, depth),
            _ => mismatch(),
        }
    }

    /// A value of the named type `name`.
    fn named(&self, name: &str, value: &Value, depth: usize) -> Result<ir::Literal, String> {
        let def = self
            .def(name)
            .ok_or_else(|| format!("the type `{name}` is not generated"))?;
        match (&def.kind, value) {
            (TypeKind::Alias(ty), value) => self.literal(ty, value, depth + 1),
            (TypeKind::StringEnum(_), Value::String(text)) => Ok(ir::Literal::Str(text.clone())),
            (TypeKind::Struct(s), Value::Object(map)) => {
                if map.is_empty() && s.fields.iter().all(|f| f.presence.is_optional()) {
                    return Ok(ir::Literal::TypeDefault);
                }
                self.structure(name, s, map, depth)
            }
            (TypeKind::TaggedUnion(u), Value::Object(map)) => {
                let tag = map
                    .get(&u.tag)
                    .and_then(Value::as_str)
                    .ok_or_else(|| format!("it has no `{}` to say which variant it is", u.tag))?;
                let variant = u
                    .variants
                    .iter()
                    .find(|v| v.tag_value == tag || v.aliases.iter().any(|a| a == tag))
                    .ok_or_else(|| format!("`{tag}` is not a variant of `{name}`"))?;
                let payload = match &variant.payload {
                    ir::TaggedPayload::Unit => None,
                    ir::TaggedPayload::Fields(ty) | ir::TaggedPayload::Whole(ty) => {
                        let mut rest = map.clone();
                        if matches!(variant.payload, ir::TaggedPayload::Fields(_)) {
                            rest.remove(&u.tag);
                        }
                        Some(Box::new(self.literal(
                            ty,
                            &Value::Object(rest),
                            depth + 1,
                        )?))
                    }
                };
                Ok(ir::Literal::Variant {
                    ty: name.to_owned(),
                    variant: variant.rust_name.clone(),
                    payload,
                })
            }
            (TypeKind::UntaggedUnion(_), _) => {
                Err("a default of a union told apart by shape is not applied".into())
            }
            _ => Err("the value does not match the property's type".into()),
        }
    }

    /// A struct literal of `s` from an object: each field from its value,
    /// or, when the object leaves it out, `None` or its own default.
    fn structure(
        &self,
        name: &str,
        s: &ir::Struct,
        map: &serde_json::Map<String, Value>,
        depth: usize,
    ) -> Result<ir::Literal, String> {
        let mut fields = Vec::new();
        for f in &s.fields {
            let literal = match (map.get(&f.wire_name), &f.presence) {
                (Some(value), Presence::Required | Presence::Defaulted(_)) => {
                    self.literal(&field_type(f), value, depth + 1)?
                }
                (Some(Value::Null), Presence::RequiredNullable | Presence::OptionalNullable) => {
                    if f.presence == Presence::OptionalNullable {
                        ir::Literal::Some(Box::new(ir::Literal::None))
                    } else {
                        ir::Literal::None
                    }
                }
                (Some(value), Presence::RequiredNullable | Presence::Optional) => {
                    ir::Literal::Some(Box::new(self.literal(&f.ty, value, depth + 1)?))
                }
                (Some(value), Presence::OptionalNullable) => ir::Literal::Some(Box::new(
                    ir::Literal::Some(Box::new(self.literal(&f.ty, value, depth + 1)?)),
                )),
                (None, Presence::Optional | Presence::OptionalNullable) => ir::Literal::None,
                (None, Presence::Defaulted(_)) => {
                    let key = (name.to_owned(), f.rust_name.clone());
                    let value = self.pending.get(&key).ok_or("a default was lost")?;
                    self.literal(&field_type(f), value, depth + 1)
                        .map_err(|why| {
                            format!(
                                "`{}` is left out, and its own default is not applied: {why}",
                                f.wire_name
                            )
                        })?
                }
                (None, Presence::Required | Presence::RequiredNullable) => {
                    return Err(format!(
                        "it leaves out `{}`, which `{name}` requires",
                        f.wire_name
                    ));
                }
            };
            fields.push((f.rust_name.clone(), literal));
        }
        if let Some(additional) = &s.additional {
            let known: BTreeSet<&str> = s.fields.iter().map(|f| f.wire_name.as_str()).collect();
            let extra: serde_json::Map<String, Value> = map
                .iter()
                .filter(|(k, _)| !known.contains(k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            let map_type = TypeRef::Map(Box::new(additional.value.clone()));
            let literal = self.literal(&map_type, &Value::Object(extra), depth + 1)?;
            fields.push((additional.rust_name.clone(), literal));
        }
        Ok(ir::Literal::Struct {
            ty: name.to_owned(),
            fields,
        })
    }
}

/// The type of a defaulted field's value: its type, in an `Option` when
/// the property is nullable too.
fn field_type(field: &ir::Field) -> TypeRef {
    match &field.presence {
        Presence::Defaulted(d) if d.nullable => TypeRef::Option(Box::new(field.ty.clone())),
        _ => field.ty.clone(),
    }
}

/// A decimal from its text (`12.50`): its digits as an integer, and how
/// many of them are after the point, so that the scale is kept.
fn decimal(text: &str) -> Result<ir::Literal, String> {
    let not = || Err(format!("`{text}` is not a decimal number"));
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    // A JSON number may have an exponent (`-7.25e-3`): it moves the point.
    let (digits, exponent) = match digits.split_once(['e', 'E']) {
        Some((digits, exponent)) => match exponent.strip_prefix('+').unwrap_or(exponent).parse() {
            Ok(exponent) => (digits, exponent),
            Err(_) => return not(),
        },
        None => (digits, 0_i64),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    if whole.is_empty()
        || !whole
            .chars()
            .chain(fraction.chars())
            .all(|c| c.is_ascii_digit())
    {
        return not();
    }
    let too_many = || format!("`{text}` has more digits than a `Decimal` holds");
    let mut scale = i64::try_from(fraction.len()).map_err(|_| too_many())? - exponent;
    let mut mantissa: i128 = format!("{whole}{fraction}")
        .parse()
        .map_err(|_| too_many())?;
    while scale < 0 {
        mantissa = mantissa.checked_mul(10).ok_or_else(too_many)?;
        scale += 1;
    }
    // A `Decimal` is a 96-bit mantissa and a scale of at most 28.
    if scale > 28 {
        return Err(format!("`{text}` has more decimals than a `Decimal` holds"));
    }
    if mantissa >= 1 << 96 {
        return Err(too_many());
    }
    Ok(ir::Literal::Decimal {
        mantissa: if negative { -mantissa } else { mantissa },
        scale: scale as u32,
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_keep_their_scale() {
        assert_eq!(
            decimal("0.0"),
            Ok(ir::Literal::Decimal {
                mantissa: 0,
                scale: 1
            })
        );
        assert_eq!(
            decimal("-12.50"),
            Ok(ir::Literal::Decimal {
                mantissa: -1250,
                scale: 2
            })
        );
        assert_eq!(
            decimal("-7.25e-3"),
            Ok(ir::Literal::Decimal {
                mantissa: -725,
                scale: 5
            })
        );
        assert_eq!(
            decimal("1e5"),
            Ok(ir::Literal::Decimal {
                mantissa: 100_000,
                scale: 0
            })
        );
        // `Decimal::MAX` fits; one more does not.
        assert_eq!(
            decimal("79228162514264337593543950335"),
            Ok(ir::Literal::Decimal {
                mantissa: (1 << 96) - 1,
                scale: 0
            })
        );
        assert!(decimal("79228162514264337593543950336").is_err());
        assert!(decimal("1e-29").is_err());
        assert!(decimal("abc").is_err());
        assert!(decimal("1e").is_err());
    }
}
