//! The crate's wire tests (`tests/wire.rs` and its cases): the document's
//! examples and instances built from its schemas, each decoded from JSON
//! text, encoded, and decoded again.

use super::rust_type;
use crate::ir::{self, TypeRef};
use proc_macro2::TokenStream;
use quote::quote;

/// `tests/wire.rs`: the harness. It reads the cases of `tests/wire/cases.rs`.
pub fn wire_rs(has_cases: bool) -> TokenStream {
    // Without a case (a document with no typed value), nothing checks a
    // value: the harness is still there, for the command that runs it.
    let unused = (!has_cases).then(|| quote! { #[allow(dead_code)] });
    quote! {
        //! The crate's types against the wire.
        //!
        //! Every example the API description gives, and values built from
        //! its schemas, are decoded from JSON text as the client decodes a
        //! response, encoded again, and decoded once more. A case fails when
        //! the value does not decode, when the second decoding differs from
        //! the first, or when encoding drops a key that the schema declares
        //! and the value has. An example that breaks its own schema (judged
        //! by a JSON Schema validator when the crate was generated) is the
        //! description's fault: it is reported, and does not fail the test.

        #[path = "wire/cases.rs"]
        mod cases;

        use ::serde_json::Value;

        /// One value to check.
        struct Case {
            /// The Rust type it decodes into.
            ty: &'static str,
            /// Where it comes from in the API description (a JSON pointer).
            origin: &'static str,
            /// `example`, or which instance built from the schema.
            source: &'static str,
            /// The value, as JSON text.
            json: &'static str,
            /// The keys its schema declares, as JSON pointers into the value.
            declared: &'static [&'static str],
            /// Why the value breaks its own schema, when it does.
            invalid: ::std::option::Option<&'static str>,
            /// Decodes, encodes and decodes again: the encoded value.
            check: fn(&str) -> ::std::result::Result<Value, ::std::string::String>,
        }

        /// Decodes `json` as a `T`, as the client decodes a response,
        /// encodes it, and decodes that again: the encoded value, when both
        /// decodings agree.
        #unused
        fn round_trip<T>(json: &str) -> ::std::result::Result<Value, ::std::string::String>
        where
            T: ::serde::Serialize + ::serde::de::DeserializeOwned + ::std::cmp::PartialEq + ::std::fmt::Debug,
        {
            let first: T = ::serde_json::from_slice(json.as_bytes())
                .map_err(|e| format!("does not decode: {e}"))?;
            let encoded = ::serde_json::to_vec(&first).map_err(|e| format!("does not encode: {e}"))?;
            let second: T = ::serde_json::from_slice(&encoded)
                .map_err(|e| format!("does not decode once encoded: {e}"))?;
            if first != second {
                return ::std::result::Result::Err(shorten(format!(
                    "decodes differently once encoded: {first:?}, then {second:?}"
                )));
            }
            ::serde_json::from_slice(&encoded).map_err(|e| format!("encodes as invalid JSON: {e}"))
        }

        /// The declared keys the value has, with a value other than `null`,
        /// that its encoding lost.
        fn dropped(case: &Case, input: &Value, encoded: &Value) -> ::std::vec::Vec<&'static str> {
            case.declared
                .iter()
                .copied()
                .filter(|key| input.pointer(key).is_some_and(|v| !v.is_null()))
                .filter(|key| encoded.pointer(key).is_none())
                .collect()
        }

        /// A message cut to a length a report can show.
        #unused
        fn shorten(mut message: ::std::string::String) -> ::std::string::String {
            if message.len() > 400 {
                let mut end = 400;
                while !message.is_char_boundary(end) {
                    end -= 1;
                }
                message.truncate(end);
                message.push_str("...");
            }
            message
        }

        #[test]
        fn examples_and_instances_survive_the_wire() {
            let mut failures = ::std::vec::Vec::new();
            let mut document_faults = ::std::vec::Vec::new();
            let (mut examples, mut examples_passed, mut invalid) = (0, 0, 0);
            for case in cases::CASES {
                let outcome = (case.check)(case.json).and_then(|encoded| {
                    let input: Value = ::serde_json::from_str(case.json)
                        .map_err(|e| format!("the case is not JSON: {e}"))?;
                    let lost = dropped(case, &input, &encoded);
                    if lost.is_empty() {
                        ::std::result::Result::Ok(())
                    } else {
                        ::std::result::Result::Err(format!("encoding drops {}", lost.join(", ")))
                    }
                });
                let example = case.source == "example";
                examples += usize::from(example);
                invalid += usize::from(case.invalid.is_some());
                match (outcome, case.invalid) {
                    (::std::result::Result::Ok(()), _) => examples_passed += usize::from(example),
                    (::std::result::Result::Err(message), ::std::option::Option::Some(why)) => {
                        document_faults.push(format!(
                            "{} at {} ({}): {message}; the value breaks its schema: {why}",
                            case.ty, case.origin, case.source
                        ));
                    }
                    (::std::result::Result::Err(message), ::std::option::Option::None) => {
                        failures.push(format!("{} at {} ({}): {message}", case.ty, case.origin, case.source));
                    }
                }
            }
            let total = cases::CASES.len();
            println!(
                "wire: {} of {total} cases pass; examples {examples_passed} passed of {examples} paired; {invalid} examples break their own schema, {} of them fail",
                total - failures.len() - document_faults.len(),
                document_faults.len(),
            );
            for fault in &document_faults {
                println!("DOCUMENT {fault}");
            }
            for failure in &failures {
                println!("FAIL {failure}");
            }
            assert!(
                failures.is_empty(),
                "{} of {total} cases fail: see the lines that start with FAIL",
                failures.len()
            );
        }
    }
}

/// `tests/wire/cases.rs`: one `Case` per wire case, checked as the crate
/// `crate_ident` reads it.
pub fn cases_rs(api: &ir::Api, crate_ident: &str) -> TokenStream {
    let imports = if api.wire_cases.is_empty() {
        quote! { use super::Case; }
    } else {
        quote! { use super::{round_trip, Case}; }
    };
    let krate = super::ident(crate_ident);
    let types = quote! { ::#krate::types:: };
    let cases = api.wire_cases.iter().map(|case| {
        let ty_tokens = rust_type(&case.ty, &types);
        let ty = display(&case.ty);
        let origin = &case.origin;
        let source = case.source.to_string();
        let json = &case.json;
        let declared = &case.declared;
        let invalid = match &case.invalid {
            Some(why) => quote! { ::std::option::Option::Some(#why) },
            None => quote! { ::std::option::Option::None },
        };
        quote! {
            Case {
                ty: #ty,
                origin: #origin,
                source: #source,
                json: #json,
                declared: &[#( #declared ),*],
                invalid: #invalid,
                check: round_trip::<#ty_tokens>,
            },
        }
    });
    quote! {
        //! The values `tests/wire.rs` checks: the API description's examples
        //! paired with the type each decodes into, and instances built from
        //! every type's schema.

        // Deprecated types are checked too.
        #![allow(deprecated)]

        #imports

        pub(super) static CASES: &[Case] = &[
            #( #cases )*
        ];
    }
}

/// A type as a reader writes it (`Vec<Pet>`).
fn display(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(name) => name.clone(),
        TypeRef::String => "String".into(),
        TypeRef::Bool => "bool".into(),
        TypeRef::Integer(_) | TypeRef::F32 | TypeRef::F64 => {
            rust_type(ty, &TokenStream::new()).to_string()
        }
        TypeRef::Decimal => "Decimal".into(),
        TypeRef::Uuid => "Uuid".into(),
        TypeRef::DateTime => "DateTime<Utc>".into(),
        TypeRef::Date => "NaiveDate".into(),
        TypeRef::Bytes => "Vec<u8>".into(),
        TypeRef::Json => "Value".into(),
        TypeRef::Vec(inner) => format!("Vec<{}>", display(inner)),
        TypeRef::Tuple(members) => super::examples::tuple_text(members, display),
        TypeRef::Map(inner) => format!("BTreeMap<String, {}>", display(inner)),
        TypeRef::Option(inner) => format!("Option<{}>", display(inner)),
        TypeRef::Box(inner) => format!("Box<{}>", display(inner)),
    }
}
