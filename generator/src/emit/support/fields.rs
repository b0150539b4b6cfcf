//! The support module's model side, emitted whatever the features: string
//! enums, untagged unions, three-state fields, and the serde forms of
//! integers, decimals and bytes.

use crate::emit::WithModes;
use proc_macro2::TokenStream;
use quote::quote;

pub(super) fn string_enum() -> TokenStream {
    quote! {
        /// What every string enum has beyond its variants, the same but for
        /// its name: `FromStr`, `Display`, and serde's `Serialize` and
        /// `Deserialize`, each through the enum's own `as_str` and
        /// `From<&str>` (which keeps a value it does not know). The types
        /// module invokes it once per string enum.
        macro_rules! impl_string_enum {
            ($name:ident) => {
                impl ::std::str::FromStr for $name {
                    type Err = ::std::convert::Infallible;

                    fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                        ::std::result::Result::Ok(Self::from(value))
                    }
                }

                impl ::std::fmt::Display for $name {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(self.as_str())
                    }
                }

                impl ::serde::Serialize for $name {
                    fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                        serializer.serialize_str(self.as_str())
                    }
                }

                impl<'de> ::serde::Deserialize<'de> for $name {
                    fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                        let value = <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)?;
                        ::std::result::Result::Ok(Self::from(value.as_str()))
                    }
                }
            };
        }
        pub(crate) use impl_string_enum;
    }
}

pub(super) fn untagged() -> TokenStream {
    quote! {
        /// Reading unions told apart by shape, without losing what the
        /// value says.
        pub(crate) mod untagged {
            use ::serde_json::Value;

            /// Reads `value` as the first variant that reads it and keeps
            /// every key it has; when none keeps them all, as the one that
            /// loses fewest (the first of those). `None` when no variant
            /// reads it.
            ///
            /// Variants are tried in the document's order. Serde's own
            /// untagged enums take the first variant that reads a value,
            /// and an object variant reads any object that has its required
            /// keys: an earlier variant with fewer properties would drop
            /// the keys a later one declares.
            pub(crate) fn pick<T: ::serde::Serialize>(
                value: &Value,
                readers: &[fn(&Value) -> ::std::option::Option<T>],
            ) -> ::std::option::Option<T> {
                let mut best: ::std::option::Option<(usize, T)> = ::std::option::Option::None;
                for read in readers {
                    let ::std::option::Option::Some(candidate) = read(value) else {
                        continue;
                    };
                    let lost = match ::serde_json::to_value(&candidate) {
                        ::std::result::Result::Ok(written) => lost(value, &written),
                        ::std::result::Result::Err(_) => usize::MAX,
                    };
                    if lost == 0 {
                        return ::std::option::Option::Some(candidate);
                    }
                    let better = match &best {
                        ::std::option::Option::Some((fewest, _)) => lost < *fewest,
                        ::std::option::Option::None => true,
                    };
                    if better {
                        best = ::std::option::Option::Some((lost, candidate));
                    }
                }
                best.map(|(_, candidate)| candidate)
            }

            /// How many keys, at any depth, `read` has with a value other
            /// than `null` that `written` does not.
            fn lost(read: &Value, written: &Value) -> usize {
                let mut lost = 0;
                let mut stack = vec![(read, written)];
                while let ::std::option::Option::Some((read, written)) = stack.pop() {
                    match (read, written) {
                        (Value::Object(read), Value::Object(written)) => {
                            for (key, value) in read {
                                match written.get(key) {
                                    ::std::option::Option::Some(kept) => stack.push((value, kept)),
                                    ::std::option::Option::None => lost += usize::from(!value.is_null()),
                                }
                            }
                        }
                        (Value::Array(read), Value::Array(written)) => {
                            lost += read.len().saturating_sub(written.len());
                            stack.extend(read.iter().zip(written));
                        }
                        _ => {}
                    }
                }
                lost
            }
        }
    }
}

pub(super) fn nullable() -> TokenStream {
    quote! {
        /// Reads a field that may be absent, `null` or a value: `null` is
        /// `Some(None)` (absent is `None`, through `#[serde(default)]`).
        pub(crate) fn nullable<'de, D, T>(deserializer: D) -> ::std::result::Result<::std::option::Option<::std::option::Option<T>>, D::Error>
        where
            D: ::serde::Deserializer<'de>,
            T: ::serde::Deserialize<'de>,
        {
            <::std::option::Option<T> as ::serde::Deserialize>::deserialize(deserializer).map(::std::option::Option::Some)
        }
    }
}

/// The `option` and `nullable` submodules of a `with` module whose
/// top-level `serialize` and `deserialize` handle `ty`, through a `Repr`
/// newtype that reads with the top-level `deserialize`.
fn with_forms(modes: &WithModes, ty: &TokenStream, what: &str) -> TokenStream {
    let repr = (modes.option || modes.nullable).then(|| {
        quote! {
            /// A value read with [`deserialize`], for the `Option` forms.
            struct Repr(#ty);

            impl<'de> ::serde::Deserialize<'de> for Repr {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                    deserialize(deserializer).map(Repr)
                }
            }
        }
    });
    let option_doc = format!(" The same for `Option<{what}>`, `None` being `null`.");
    let option = modes.option.then(|| {
        quote! {
            #[doc = #option_doc]
            pub(crate) mod option {
                use super::Repr;

                pub(crate) fn serialize<S: ::serde::Serializer>(
                    value: &::std::option::Option<#ty>,
                    serializer: S,
                ) -> ::std::result::Result<S::Ok, S::Error> {
                    match value {
                        ::std::option::Option::Some(value) => super::serialize(value, serializer),
                        ::std::option::Option::None => serializer.serialize_none(),
                    }
                }

                pub(crate) fn deserialize<'de, D: ::serde::Deserializer<'de>>(
                    deserializer: D,
                ) -> ::std::result::Result<::std::option::Option<#ty>, D::Error> {
                    let value = <::std::option::Option<Repr> as ::serde::Deserialize>::deserialize(deserializer)?;
                    ::std::result::Result::Ok(value.map(|Repr(value)| value))
                }
            }
        }
    });
    let nullable_doc = format!(
        " The same for `Option<Option<{what}>>`: absent is `None` (with `#[serde(default)]`), `null` is `Some(None)`."
    );
    let nullable = modes.nullable.then(|| {
        quote! {
            #[doc = #nullable_doc]
            pub(crate) mod nullable {
                use super::Repr;

                pub(crate) fn serialize<S: ::serde::Serializer>(
                    value: &::std::option::Option<::std::option::Option<#ty>>,
                    serializer: S,
                ) -> ::std::result::Result<S::Ok, S::Error> {
                    match value {
                        ::std::option::Option::Some(::std::option::Option::Some(value)) => super::serialize(value, serializer),
                        _ => serializer.serialize_none(),
                    }
                }

                pub(crate) fn deserialize<'de, D: ::serde::Deserializer<'de>>(
                    deserializer: D,
                ) -> ::std::result::Result<::std::option::Option<::std::option::Option<#ty>>, D::Error> {
                    let value = <::std::option::Option<Repr> as ::serde::Deserialize>::deserialize(deserializer)?;
                    ::std::result::Result::Ok(::std::option::Option::Some(value.map(|Repr(value)| value)))
                }
            }
        }
    });
    quote! {
        #repr
        #option
        #nullable
    }
}

/// Reading integer fields leniently: a number with no fractional part
/// (`12.0`) is an integer too. A server that moves a field from `integer` to
/// `number` (and writes its floats as `12.0`) does not break older crates.
/// Writing is serde's own.
pub(super) fn integer(modes: &WithModes) -> TokenStream {
    let repr = (modes.option || modes.nullable).then(|| {
        quote! {
            /// A value read with [`deserialize`], for the `Option` forms.
            struct Repr<T>(T);

            impl<'de, T: Integer> ::serde::Deserialize<'de> for Repr<T> {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                    deserialize(deserializer).map(Repr)
                }
            }
        }
    });
    let option = modes.option.then(|| {
        quote! {
            /// The same for `Option<T>`, `None` being `null`.
            pub(crate) mod option {
                use super::{Integer, Repr};

                pub(crate) fn deserialize<'de, D: ::serde::Deserializer<'de>, T: Integer>(
                    deserializer: D,
                ) -> ::std::result::Result<::std::option::Option<T>, D::Error> {
                    let value = <::std::option::Option<Repr<T>> as ::serde::Deserialize>::deserialize(deserializer)?;
                    ::std::result::Result::Ok(value.map(|Repr(value)| value))
                }
            }
        }
    });
    let nullable = modes.nullable.then(|| {
        quote! {
            /// The same for `Option<Option<T>>`: `null` is `Some(None)`
            /// (absent is `None`, through `#[serde(default)]`).
            pub(crate) mod nullable {
                use super::{Integer, Repr};

                pub(crate) fn deserialize<'de, D: ::serde::Deserializer<'de>, T: Integer>(
                    deserializer: D,
                ) -> ::std::result::Result<::std::option::Option<::std::option::Option<T>>, D::Error> {
                    let value = <::std::option::Option<Repr<T>> as ::serde::Deserialize>::deserialize(deserializer)?;
                    ::std::result::Result::Ok(::std::option::Option::Some(value.map(|Repr(value)| value)))
                }
            }
        }
    });
    quote! {
        /// Integers on the wire: read from JSON integers, and from numbers
        /// without a fractional part (`12.0`), so that a server that now
        /// sends a field as a `number` still works with this crate while its
        /// values are whole. Values out of the field's range are refused.
        pub(crate) mod integer {
            /// The integer types a field can have.
            pub(crate) trait Integer: ::std::convert::TryFrom<i64> + ::std::convert::TryFrom<u64> {}

            impl<T: ::std::convert::TryFrom<i64> + ::std::convert::TryFrom<u64>> Integer for T {}

            /// Reads an integer.
            pub(crate) fn deserialize<'de, D: ::serde::Deserializer<'de>, T: Integer>(
                deserializer: D,
            ) -> ::std::result::Result<T, D::Error> {
                deserializer.deserialize_any(IntegerVisitor(::std::marker::PhantomData))
            }

            #repr
            #option
            #nullable

            struct IntegerVisitor<T>(::std::marker::PhantomData<T>);

            impl<T: Integer> ::serde::de::Visitor<'_> for IntegerVisitor<T> {
                type Value = T;

                fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str("an integer in range")
                }

                fn visit_i64<E: ::serde::de::Error>(self, value: i64) -> ::std::result::Result<T, E> {
                    T::try_from(value).map_err(|_| E::invalid_value(::serde::de::Unexpected::Signed(value), &self))
                }

                fn visit_u64<E: ::serde::de::Error>(self, value: u64) -> ::std::result::Result<T, E> {
                    T::try_from(value).map_err(|_| E::invalid_value(::serde::de::Unexpected::Unsigned(value), &self))
                }

                fn visit_f64<E: ::serde::de::Error>(self, value: f64) -> ::std::result::Result<T, E> {
                    // -2^63 <= value < 2^64, and whole: the casts are exact.
                    let whole = value.fract() == 0.0;
                    if whole && (-9_223_372_036_854_775_808.0..0.0).contains(&value) {
                        self.visit_i64(value as i64)
                    } else if whole && (0.0..18_446_744_073_709_551_616.0).contains(&value) {
                        self.visit_u64(value as u64)
                    } else {
                        ::std::result::Result::Err(E::invalid_type(::serde::de::Unexpected::Float(value), &self))
                    }
                }
            }
        }
    }
}

pub(super) fn decimal(modes: &WithModes) -> TokenStream {
    let forms = with_forms(modes, &quote! { ::rust_decimal::Decimal }, "Decimal");
    quote! {
        /// Decimals (money) on the wire: written as strings, so `"2.40"` stays
        /// `"2.40"`; read from strings or numbers. These functions do not
        /// depend on `rust_decimal`'s serde features, which another crate in
        /// the build could change.
        pub(crate) mod decimal {
            use ::rust_decimal::Decimal;

            /// Writes a decimal as a string, keeping its scale.
            pub(crate) fn serialize<S: ::serde::Serializer>(value: &Decimal, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.collect_str(value)
            }

            /// Reads a decimal from a string or a number.
            pub(crate) fn deserialize<'de, D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Decimal, D::Error> {
                deserializer.deserialize_any(DecimalVisitor)
            }

            #forms

            struct DecimalVisitor;

            impl ::serde::de::Visitor<'_> for DecimalVisitor {
                type Value = Decimal;

                fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str("a decimal number, as a string or a number")
                }

                fn visit_str<E: ::serde::de::Error>(self, value: &str) -> ::std::result::Result<Decimal, E> {
                    value
                        .parse::<Decimal>()
                        .or_else(|_| Decimal::from_scientific(value))
                        .map_err(|_| E::invalid_value(::serde::de::Unexpected::Str(value), &self))
                }

                fn visit_i64<E: ::serde::de::Error>(self, value: i64) -> ::std::result::Result<Decimal, E> {
                    ::std::result::Result::Ok(Decimal::from(value))
                }

                fn visit_u64<E: ::serde::de::Error>(self, value: u64) -> ::std::result::Result<Decimal, E> {
                    ::std::result::Result::Ok(Decimal::from(value))
                }

                fn visit_f64<E: ::serde::de::Error>(self, value: f64) -> ::std::result::Result<Decimal, E> {
                    // The shortest text that reads back as the same f64 is
                    // what the JSON said (for up to 17 significant digits).
                    let text = value.to_string();
                    text.parse::<Decimal>()
                        .map_err(|_| E::invalid_value(::serde::de::Unexpected::Float(value), &self))
                }
            }
        }
    }
}

pub(super) fn base64(modes: &WithModes) -> TokenStream {
    let forms = with_forms(modes, &quote! { ::std::vec::Vec<u8> }, "Vec<u8>");
    quote! {
        /// Bytes on the wire (`format: byte`): written as standard base64;
        /// read from standard or URL-safe base64, padded or not.
        pub(crate) mod base64 {
            use ::base64::Engine as _;

            /// Writes bytes as standard, padded base64.
            pub(crate) fn serialize<S: ::serde::Serializer>(value: &[u8], serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(&::base64::engine::general_purpose::STANDARD.encode(value))
            }

            /// Reads base64, in either alphabet, with or without padding.
            pub(crate) fn deserialize<'de, D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<::std::vec::Vec<u8>, D::Error> {
                use ::base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
                let text = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(deserializer)?;
                let text = text.trim_end_matches('=');
                STANDARD_NO_PAD
                    .decode(text)
                    .or_else(|_| URL_SAFE_NO_PAD.decode(text))
                    .map_err(|_| <D::Error as ::serde::de::Error>::invalid_value(::serde::de::Unexpected::Str(text), &"base64"))
            }

            #forms
        }
    }
}
