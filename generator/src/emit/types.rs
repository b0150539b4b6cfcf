//! The `types` module: one item (and its impls) per named type.

use super::{docs, ident, rust_type};
use crate::ir::{self, Presence, TaggedPayload, TypeKind, TypeRef};
use proc_macro2::TokenStream;
use quote::quote;

pub(super) fn types_rs(api: &ir::Api) -> TokenStream {
    let items = api.types.iter().map(type_def);
    quote! {
        //! The request and response bodies of the API.
        #( #items )*
    }
}

fn type_def(def: &ir::TypeDef) -> TokenStream {
    let name = ident(&def.rust_name);
    let docs = docs(&def.docs);
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
    // A struct whose fields may all be left out can be built with
    // `..Default::default()`.
    let default = s
        .fields
        .iter()
        .all(|f| f.presence == Presence::Optional)
        .then(|| quote! { Default, });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #default ::serde::Serialize, ::serde::Deserialize)]
        pub struct #name {
            #( #fields )*
        }
    }
}

fn field(f: &ir::Field) -> TokenStream {
    let name = ident(&f.rust_name);
    let docs = docs(&f.docs);
    let inner = rust_type(&f.ty, &TokenStream::new());
    let ty = match f.presence {
        Presence::Required => inner,
        Presence::RequiredNullable | Presence::Optional => quote! { ::std::option::Option<#inner> },
    };
    let mut args = Vec::new();
    if crate::naming::unraw(&f.rust_name) != f.wire_name {
        let wire = &f.wire_name;
        args.push(quote! { rename = #wire });
    }
    if f.presence == Presence::Optional {
        args.push(quote! { default });
        args.push(quote! { skip_serializing_if = "::std::option::Option::is_none" });
    }
    if f.ty == TypeRef::Decimal {
        let with = match f.presence {
            Presence::Required => "crate::support::decimal",
            Presence::RequiredNullable | Presence::Optional => "crate::support::decimal::option",
        };
        args.push(quote! { with = #with });
    }
    let serde = (!args.is_empty()).then(|| quote! { #[serde( #(#args),* )] });
    quote! {
        #docs
        #serde
        pub #name: #ty,
    }
}

fn string_enum(name: &proc_macro2::Ident, docs: &TokenStream, e: &ir::StringEnum) -> TokenStream {
    let variants: Vec<_> = e.variants.iter().map(|v| ident(&v.rust_name)).collect();
    let variant_docs = e.variants.iter().map(|v| super::docs(&v.docs));
    let wires: Vec<&str> = e.variants.iter().map(|v| v.wire_name.as_str()).collect();
    let unknown = ident(&e.unknown_variant);
    let keeps = format!(
        " Values this version of the crate does not know are kept in [`{name}::{unknown}`] and written back unchanged."
    );
    quote! {
        #docs
        ///
        #[doc = #keeps]
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

        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(Self::from(value))
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)?;
                ::std::result::Result::Ok(Self::from(value.as_str()))
            }
        }
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
            TaggedPayload::Whole(_) => quote! { Self::#variant(value) => ::serde::Serialize::serialize(value, serializer), },
        }
    });
    let mirror = (!mirrored.is_empty()).then(|| {
        quote! {
            #[derive(::serde::Serialize)]
            #[serde(tag = #tag)]
            enum Tagged #lifetime {
                #( #mirror_variants )*
            }
        }
    });

    let deserialize_arms = u.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let wire = &v.tag_value;
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
    quote! {
        #docs
        ///
        #[doc = #keeps]
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
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(untagged)]
        pub enum #name {
            #( #variants )*
        }
    }
}
