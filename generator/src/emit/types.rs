//! The `types` module: one item (and its impls) per named type.

use super::lints::{Variant, allow_variant_names};
use super::{docs, ident, rust_type};
use crate::ir::{self, Presence, TaggedPayload, TypeKind, TypeRef};
use proc_macro2::TokenStream;
use quote::quote;

pub(super) fn types_rs(api: &ir::Api, uses: super::Uses) -> super::FilePlan<'_> {
    let head: super::Part<'_> = Box::new(move || {
        // Deprecated items stay usable here; their users are warned.
        let allow = uses.deprecated.then(|| quote! { #![allow(deprecated)] });
        quote! {
            //! The request and response bodies of the API.
            #allow
        }
    });
    let tail: super::Part<'_> = Box::new(move || {
        let responses = api.operations.iter().filter_map(|op| match &op.success {
            ir::Response::ByStatus(responses) => Some(status_enum(responses)),
            _ => None,
        });
        let defaults = defaults_mod(api);
        quote! {
            #( #responses )*
            #defaults
        }
    });
    super::FilePlan {
        path: "src/types.rs",
        parts: std::iter::once(head)
            .chain(super::parts_of(&api.types, type_def))
            .chain(std::iter::once(tail))
            .collect(),
        last_impl: None,
    }
}

fn type_def(def: &ir::TypeDef) -> TokenStream {
    let name = ident(&def.rust_name);
    let mut docs = docs(&def.docs);
    if def.deprecated {
        docs.extend(quote! { #[deprecated] });
    }
    match &def.kind {
        TypeKind::Struct(s) => struct_def(&name, &docs, s),
        TypeKind::StringEnum(e) => string_enum(&name, &docs, e),
        TypeKind::TaggedUnion(u) => tagged_union(&name, &docs, u),
        TypeKind::UntaggedUnion(u) => untagged_union(&name, &docs, u),
        TypeKind::Alias(ty) => {
            let ty = rust_type(ty, &TokenStream::new());
            quote! {
                #docs
                pub type #name = #ty;
            }
        }
    }
}

fn struct_def(name: &proc_macro2::Ident, docs: &TokenStream, s: &ir::Struct) -> TokenStream {
    let fields = s.fields.iter().map(field);
    let additional = s.additional.as_ref().map(|a| {
        let field = ident(&a.rust_name);
        let value = rust_type(&a.value, &TokenStream::new());
        quote! {
            /// The properties the API does not name, by name.
            #[serde(flatten)]
            pub #field: ::std::collections::BTreeMap<::std::string::String, #value>,
        }
    });
    // A struct whose fields may all be left out can be built with
    // `..Default::default()`; with defaults of its own, by hand.
    let all_optional = s.fields.iter().all(|f| f.presence.is_optional());
    let has_defaults = s
        .fields
        .iter()
        .any(|f| matches!(f.presence, Presence::Defaulted(_)));
    let derive_default = (all_optional && !has_defaults).then(|| quote! { Default, });
    let default_impl = (all_optional && has_defaults).then(|| {
        let values = s.fields.iter().map(|f| {
            let field = ident(&f.rust_name);
            match &f.presence {
                Presence::Defaulted(d) => {
                    let function = ident(&d.function);
                    quote! { #field: defaults::#function(), }
                }
                _ => quote! { #field: ::std::option::Option::None, },
            }
        });
        let additional = s.additional.as_ref().map(|a| {
            let field = ident(&a.rust_name);
            quote! { #field: ::std::collections::BTreeMap::new(), }
        });
        quote! {
            impl ::std::default::Default for #name {
                fn default() -> Self {
                    Self {
                        #( #values )*
                        #additional
                    }
                }
            }
        }
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #derive_default ::serde::Serialize, ::serde::Deserialize)]
        pub struct #name {
            #( #fields )*
            #additional
        }

        #default_impl
    }
}

fn field(f: &ir::Field) -> TokenStream {
    let name = ident(&f.rust_name);
    let mut docs = docs(&f.docs);
    if f.deprecated {
        docs.extend(quote! { #[deprecated] });
    }
    let inner = rust_type(&f.ty, &TokenStream::new());
    let ty = match &f.presence {
        Presence::Defaulted(d) if d.nullable => quote! { ::std::option::Option<#inner> },
        Presence::Required | Presence::Defaulted(_) => inner,
        Presence::RequiredNullable | Presence::Optional => quote! { ::std::option::Option<#inner> },
        Presence::OptionalNullable => {
            quote! { ::std::option::Option<::std::option::Option<#inner>> }
        }
    };
    let mut args = Vec::new();
    if crate::naming::unraw(&f.rust_name) != f.wire_name {
        let wire = &f.wire_name;
        args.push(quote! { rename = #wire });
    }
    match &f.presence {
        Presence::Optional | Presence::OptionalNullable => {
            args.push(quote! { default });
            args.push(quote! { skip_serializing_if = "::std::option::Option::is_none" });
        }
        Presence::Defaulted(d) => {
            let function = format!("defaults::{}", d.function);
            args.push(quote! { default = #function });
        }
        Presence::Required | Presence::RequiredNullable => {}
    }
    // Decimals and bytes are read and written by the support module's
    // functions; integers only read (leniently: `12.0` is 12).
    let (module, read_only) = match &f.ty {
        TypeRef::Decimal => (Some("crate::support::decimal"), false),
        TypeRef::Bytes => (Some("crate::support::base64"), false),
        TypeRef::Integer(_) => (Some("crate::support::integer"), true),
        _ => (None, false),
    };
    if let Some(module) = module {
        let module = match &f.presence {
            Presence::Defaulted(d) if d.nullable => format!("{module}::option"),
            Presence::Required | Presence::Defaulted(_) => module.to_owned(),
            Presence::RequiredNullable | Presence::Optional => format!("{module}::option"),
            Presence::OptionalNullable => format!("{module}::nullable"),
        };
        if read_only {
            let function = format!("{module}::deserialize");
            args.push(quote! { deserialize_with = #function });
        } else {
            args.push(quote! { with = #module });
        }
        // serde reads a missing `Option` field as `None` only without a
        // function of ours; say so, to stay as lenient.
        if f.presence == Presence::RequiredNullable {
            args.push(quote! { default });
        }
    } else if f.presence == Presence::OptionalNullable {
        // `null` is `Some(None)`, not `None`: serde's own `Option` reading
        // would fold it into `None`.
        args.push(quote! { deserialize_with = "crate::support::nullable" });
    }
    let serde = (!args.is_empty()).then(|| quote! { #[serde( #(#args),* )] });
    quote! {
        #docs
        #serde
        pub #name: #ty,
    }
}

/// The functions `#[serde(default = "...")]` names, one per defaulted field.
fn defaults_mod(api: &ir::Api) -> Option<TokenStream> {
    let functions: Vec<TokenStream> = api
        .types
        .iter()
        .filter_map(|t| match &t.kind {
            TypeKind::Struct(s) => Some(&s.fields),
            _ => None,
        })
        .flatten()
        .filter_map(|f| match &f.presence {
            Presence::Defaulted(d) => {
                let function = ident(&d.function);
                let ty = rust_type(&f.ty, &quote! { super:: });
                let ty = if d.nullable {
                    quote! { ::std::option::Option<#ty> }
                } else {
                    ty
                };
                let value = literal(&d.value);
                Some(quote! {
                    pub(super) fn #function() -> #ty {
                        #value
                    }
                })
            }
            _ => None,
        })
        .collect();
    if functions.is_empty() {
        return None;
    }
    Some(quote! {
        /// The default values of fields, as the API description gives them.
        mod defaults {
            #( #functions )*
        }
    })
}

/// A float literal from the shortest digits that read back as the value
/// (Rust's `Display` and `LowerExp` both give them): as a decimal, or with
/// an exponent when the decimal would run past 20 characters
/// (`1.7976931348623157e308`, not 309 digits).
fn float(decimal: String, exponent: String) -> TokenStream {
    let text = if decimal.len() > 20 {
        exponent
    } else if decimal.contains('.') {
        decimal
    } else {
        format!("{decimal}.0")
    };
    let (negative, text) = match text.strip_prefix('-') {
        Some(rest) => (true, rest.to_owned()),
        None => (false, text),
    };
    let lit: proc_macro2::Literal = text.parse().expect("a float literal");
    if negative {
        quote! { -#lit }
    } else {
        quote! { #lit }
    }
}

fn literal(value: &ir::Literal) -> TokenStream {
    match value {
        ir::Literal::Bool(b) => quote! { #b },
        ir::Literal::Integer(i) => {
            let lit = proc_macro2::Literal::i128_unsuffixed(*i);
            quote! { #lit }
        }
        // Both print the shortest digits that read back as the same value
        // of their type, so no literal is more precise than its type.
        ir::Literal::Float(f) => float(format!("{f}"), format!("{f:e}")),
        ir::Literal::F32(f) => float(format!("{f}"), format!("{f:e}")),
        ir::Literal::Str(text) => quote! { ::std::convert::From::from(#text) },
        ir::Literal::EmptyVec => quote! { ::std::vec::Vec::new() },
        ir::Literal::Vec(items) => {
            let items = items.iter().map(literal);
            quote! { ::std::vec![#( #items ),*] }
        }
        ir::Literal::EmptyMap => quote! { ::std::collections::BTreeMap::new() },
        ir::Literal::TypeDefault => quote! { ::std::default::Default::default() },
        ir::Literal::Decimal { mantissa, scale } => {
            let scale = proc_macro2::Literal::u32_unsuffixed(*scale);
            match i64::try_from(*mantissa) {
                Ok(small) => {
                    let mantissa = proc_macro2::Literal::i64_unsuffixed(small);
                    quote! { ::rust_decimal::Decimal::new(#mantissa, #scale) }
                }
                // Up to 96 bits, which lowering checked.
                Err(_) => {
                    let mantissa = proc_macro2::Literal::i128_unsuffixed(*mantissa);
                    quote! { ::rust_decimal::Decimal::from_i128_with_scale(#mantissa, #scale) }
                }
            }
        }
        ir::Literal::Map(entries) => {
            let entries = entries.iter().map(|(key, value)| {
                let value = literal(value);
                quote! { (::std::convert::From::from(#key), #value) }
            });
            quote! { ::std::collections::BTreeMap::from([#( #entries ),*]) }
        }
        ir::Literal::None => quote! { ::std::option::Option::None },
        ir::Literal::Some(inner) => {
            let inner = literal(inner);
            quote! { ::std::option::Option::Some(#inner) }
        }
        ir::Literal::Boxed(inner) => {
            let inner = literal(inner);
            quote! { ::std::boxed::Box::new(#inner) }
        }
        ir::Literal::Struct { ty, fields } => {
            let ty = ident(ty);
            let fields = fields.iter().map(|(name, value)| {
                let name = ident(name);
                let value = literal(value);
                quote! { #name: #value }
            });
            quote! { super::#ty { #( #fields ),* } }
        }
        ir::Literal::Variant {
            ty,
            variant,
            payload,
        } => {
            let ty = ident(ty);
            let variant = ident(variant);
            match payload {
                Some(payload) => {
                    let payload = literal(payload);
                    quote! { super::#ty::#variant(#payload) }
                }
                None => quote! { super::#ty::#variant },
            }
        }
    }
}

/// The enum of an operation's successes, by status.
fn status_enum(responses: &ir::StatusResponses) -> TokenStream {
    let name = ident(&responses.rust_name);
    let doc = docs(&responses.docs);
    let variants = responses.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let doc = docs(&v.docs);
        let payload = match &v.body {
            ir::Response::Json(ty) => Some(rust_type(ty, &TokenStream::new())),
            ir::Response::Text => Some(quote! { ::std::string::String }),
            ir::Response::Bytes => Some(quote! { ::std::vec::Vec<u8> }),
            ir::Response::Empty | ir::Response::ByStatus(_) => None,
        };
        match payload {
            Some(ty) => quote! { #doc #variant(#ty), },
            None => quote! { #doc #variant, },
        }
    });
    let lint_view: Vec<Variant<'_>> = responses
        .variants
        .iter()
        .map(|v| Variant {
            name: &v.rust_name,
            payload: match &v.body {
                ir::Response::Json(ty) => last_segment(ty),
                ir::Response::Text => Some("String"),
                ir::Response::Bytes => Some("Vec"),
                ir::Response::Empty | ir::Response::ByStatus(_) => None,
            },
        })
        .collect();
    let allow = allow_variant_names(&responses.rust_name, &lint_view);
    quote! {
        #doc
        #allow
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #( #variants )*
        }
    }
}

/// The last segment of the path a type is written as (`Box` for
/// `::std::boxed::Box<T>`), or `None` for a type that is not a path.
fn last_segment(ty: &TypeRef) -> Option<&str> {
    Some(match ty {
        TypeRef::Named(name) => crate::naming::unraw(name),
        TypeRef::String => "String",
        TypeRef::Bool => "bool",
        TypeRef::Integer(_) | TypeRef::F32 | TypeRef::F64 | TypeRef::Tuple(_) => return None,
        TypeRef::Decimal => "Decimal",
        TypeRef::Uuid => "Uuid",
        TypeRef::DateTime => "DateTime",
        TypeRef::Date => "NaiveDate",
        TypeRef::Bytes | TypeRef::Vec(_) => "Vec",
        TypeRef::Json => "Value",
        TypeRef::Map(_) => "BTreeMap",
        TypeRef::Option(_) => "Option",
        TypeRef::Box(_) => "Box",
    })
}

fn string_enum(name: &proc_macro2::Ident, docs: &TokenStream, e: &ir::StringEnum) -> TokenStream {
    let variants: Vec<_> = e.variants.iter().map(|v| ident(&v.rust_name)).collect();
    let variant_docs = e.variants.iter().map(|v| super::docs(&v.docs));
    let wires: Vec<&str> = e.variants.iter().map(|v| v.wire_name.as_str()).collect();
    let unknown = ident(&e.unknown_variant);
    let keeps = format!(
        " Values this version of the crate does not know are kept in [`{name}::{unknown}`] and written back unchanged."
    );
    let lint_view: Vec<Variant<'_>> = e
        .variants
        .iter()
        .map(|v| Variant {
            name: &v.rust_name,
            payload: None,
        })
        .chain([Variant {
            name: &e.unknown_variant,
            payload: Some("String"),
        }])
        .collect();
    let allow = allow_variant_names(&name.to_string(), &lint_view);
    quote! {
        #docs
        ///
        #[doc = #keeps]
        #allow
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #( #variant_docs #variants, )*
            /// A value that was not known when this crate was generated, as it was sent.
            #unknown(::std::string::String),
        }

        impl #name {
            /// The value as it is written on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#variants => #wires, )*
                    Self::#unknown(value) => value.as_str(),
                }
            }
        }

        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #( #wires => Self::#variants, )*
                    other => Self::#unknown(::std::borrow::ToOwned::to_owned(other)),
                }
            }
        }

        crate::support::impl_string_enum!(#name);
    }
}

fn tagged_union(name: &proc_macro2::Ident, docs: &TokenStream, u: &ir::TaggedUnion) -> TokenStream {
    let tag = &u.tag;
    let unknown = ident(&u.unknown_variant);
    let none = TokenStream::new();

    let variants = u.variants.iter().map(|v| {
        let docs = super::docs(&v.docs);
        let variant = ident(&v.rust_name);
        match &v.payload {
            TaggedPayload::Unit => quote! { #docs #variant, },
            TaggedPayload::Fields(ty) | TaggedPayload::Whole(ty) => {
                let ty = rust_type(ty, &none);
                quote! { #docs #variant(#ty), }
            }
        }
    });

    // Serialization: the variants whose payload lacks the tag go through an
    // internally tagged mirror that borrows the payload and writes the tag.
    let mirrored: Vec<&ir::TaggedVariant> = u
        .variants
        .iter()
        .filter(|v| !matches!(v.payload, TaggedPayload::Whole(_)))
        .collect();
    let borrows = mirrored
        .iter()
        .any(|v| matches!(v.payload, TaggedPayload::Fields(_)));
    let lifetime = borrows.then(|| quote! { <'a> });
    let mirror_variants = mirrored.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let wire = &v.tag_value;
        match &v.payload {
            TaggedPayload::Fields(ty) => {
                let ty = rust_type(ty, &none);
                quote! { #[serde(rename = #wire)] #variant(&'a #ty), }
            }
            _ => quote! { #[serde(rename = #wire)] #variant, },
        }
    });
    let serialize_arms = u.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        match &v.payload {
            TaggedPayload::Unit => quote! { Self::#variant => ::serde::Serialize::serialize(&Tagged::#variant, serializer), },
            TaggedPayload::Fields(_) => quote! { Self::#variant(value) => ::serde::Serialize::serialize(&Tagged::#variant(value), serializer), },
            // The variant decides the tag, whatever the value's own tag
            // field holds.
            TaggedPayload::Whole(_) => {
                let wire = &v.tag_value;
                quote! {
                    Self::#variant(value) => {
                        let mut object = ::serde_json::to_value(value).map_err(<S::Error as ::serde::ser::Error>::custom)?;
                        if let ::std::option::Option::Some(map) = object.as_object_mut() {
                            map.insert(::std::borrow::ToOwned::to_owned(#tag), ::serde_json::Value::from(#wire));
                        }
                        ::serde::Serialize::serialize(&object, serializer)
                    }
                }
            }
        }
    });
    let mirror_view: Vec<Variant<'_>> = mirrored
        .iter()
        .map(|v| Variant {
            name: &v.rust_name,
            payload: None,
        })
        .collect();
    let mirror_allow = allow_variant_names("Tagged", &mirror_view);
    let mirror = (!mirrored.is_empty()).then(|| {
        quote! {
            #mirror_allow
            #[derive(::serde::Serialize)]
            #[serde(tag = #tag)]
            enum Tagged #lifetime {
                #( #mirror_variants )*
            }
        }
    });

    let deserialize_arms = u.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let wire = std::iter::once(&v.tag_value).chain(&v.aliases);
        let wire = quote! { #( #wire )|* };
        match &v.payload {
            TaggedPayload::Unit => quote! { ::std::option::Option::Some(#wire) => ::std::result::Result::Ok(Self::#variant), },
            TaggedPayload::Fields(_) | TaggedPayload::Whole(_) => quote! {
                ::std::option::Option::Some(#wire) => ::serde_json::from_value(value)
                    .map(Self::#variant)
                    .map_err(<D::Error as ::serde::de::Error>::custom),
            },
        }
    });

    let keeps = format!(
        " Tagged by `{tag}`. An object with a tag this version of the crate does not know is kept whole in [`{name}::{unknown}`] and written back unchanged."
    );
    let lint_view: Vec<Variant<'_>> = u
        .variants
        .iter()
        .map(|v| Variant {
            name: &v.rust_name,
            payload: match &v.payload {
                TaggedPayload::Unit => None,
                TaggedPayload::Fields(ty) | TaggedPayload::Whole(ty) => last_segment(ty),
            },
        })
        .chain([Variant {
            name: &u.unknown_variant,
            payload: Some("Value"),
        }])
        .collect();
    let allow = allow_variant_names(&name.to_string(), &lint_view);
    quote! {
        #docs
        ///
        #[doc = #keeps]
        #allow
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #( #variants )*
            /// An object whose tag was not known when this crate was generated, as it was sent.
            #unknown(::serde_json::Value),
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                #mirror
                match self {
                    #( #serialize_arms )*
                    Self::#unknown(value) => ::serde::Serialize::serialize(value, serializer),
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                match value.get(#tag).and_then(::serde_json::Value::as_str) {
                    #( #deserialize_arms )*
                    _ => ::std::result::Result::Ok(Self::#unknown(value)),
                }
            }
        }
    }
}

fn untagged_union(
    name: &proc_macro2::Ident,
    docs: &TokenStream,
    u: &ir::UntaggedUnion,
) -> TokenStream {
    let variants = u.variants.iter().map(|v| {
        let docs = super::docs(&v.docs);
        let variant = ident(&v.rust_name);
        let ty = rust_type(&v.ty, &TokenStream::new());
        quote! { #docs #variant(#ty), }
    });
    let lint_view: Vec<Variant<'_>> = u
        .variants
        .iter()
        .map(|v| Variant {
            name: &v.rust_name,
            payload: last_segment(&v.ty),
        })
        .collect();
    let allow = allow_variant_names(&name.to_string(), &lint_view);
    let readers = u.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let ty = rust_type(&v.ty, &TokenStream::new());
        quote! {
            |value| <#ty as ::serde::Deserialize>::deserialize(value).ok().map(Self::#variant),
        }
    });
    let no_match = format!("the value is none of the shapes of `{name}`");
    quote! {
        #docs
        #allow
        #[derive(Debug, Clone, PartialEq, ::serde::Serialize)]
        #[serde(untagged)]
        pub enum #name {
            #( #variants )*
        }

        /// Reads the first variant that keeps every key of the value (see
        /// `support::untagged::pick`).
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                crate::support::untagged::pick(&value, &[ #( #readers )* ])
                    .ok_or_else(|| <D::Error as ::serde::de::Error>::custom(#no_match))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::literal;
    use crate::ir::Literal;

    /// A fixed stream of pseudo-random bits (xorshift64*), so that every run
    /// tries the same values.
    fn bits(seed: u64) -> impl Iterator<Item = u64> {
        let mut state = seed;
        std::iter::from_fn(move || {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            Some(state.wrapping_mul(0x2545_f491_4f6c_dd1d))
        })
    }

    /// The significant digits of a literal's text.
    fn digits(text: &str) -> usize {
        let mantissa = text.split(['e', 'E']).next().unwrap_or(text);
        mantissa
            .chars()
            .filter(char::is_ascii_digit)
            .collect::<String>()
            .trim_start_matches('0')
            .trim_end_matches('0')
            .len()
    }

    #[test]
    fn float_literals_read_back_as_the_same_value_with_the_fewest_digits() {
        let special_f32 = [
            0.4000000059604645_f64 as f32,
            f32::MAX,
            f32::MIN_POSITIVE,
            1e-45,
            -0.0,
            0.1,
            1e20,
        ];
        let random_f32 = bits(7)
            .take(20_000)
            .map(|b| f32::from_bits(b as u32))
            .filter(|f| f.is_finite());
        for value in special_f32.into_iter().chain(random_f32) {
            let text = literal(&Literal::F32(value)).to_string().replace(' ', "");
            let read: f32 = text.parse().unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(read.to_bits(), value.to_bits(), "{text} is not {value:?}");
            // No more digits than the shortest text that reads back (what
            // clippy's `excessive_precision` asks).
            assert!(
                digits(&text) <= digits(&format!("{value:e}")),
                "{text} for {value:e}"
            );
        }
        let special_f64 = [
            // More digits than a double holds, as a document may write it.
            "0.1000000000000000055511151231257827".parse().unwrap(),
            f64::MAX,
            f64::MIN_POSITIVE,
            5e-324,
            1e300,
        ];
        let random_f64 = bits(11)
            .take(20_000)
            .map(f64::from_bits)
            .filter(|f| f.is_finite());
        for value in special_f64.into_iter().chain(random_f64) {
            let text = literal(&Literal::Float(value)).to_string().replace(' ', "");
            let read: f64 = text.parse().unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(read.to_bits(), value.to_bits(), "{text} is not {value:?}");
            assert!(
                digits(&text) <= digits(&format!("{value:e}")),
                "{text} for {value:e}"
            );
        }
    }

    #[test]
    fn integer_literals_read_back_as_the_same_value() {
        let edges = [
            i128::from(i64::MIN),
            i128::from(u64::MAX),
            0,
            -1,
            i128::from(i32::MAX),
        ];
        let random = bits(13).take(20_000).map(|b| i128::from(b as i64));
        for value in edges.into_iter().chain(random) {
            let text = literal(&Literal::Integer(value)).to_string();
            let read: i128 = text
                .replace(' ', "")
                .parse()
                .unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(read, value);
        }
    }
}
