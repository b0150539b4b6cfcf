//! The support module's client side, writing the request: parameters and
//! form parts as text, path segments and cookies percent-encoded.

use proc_macro2::TokenStream;
use quote::quote;

pub(super) fn to_text() -> TokenStream {
    quote! {
        /// The text of a parameter of a named type: the string it is written
        /// as in JSON, or its JSON text when it is not a string (a number,
        /// say, from a union of a number and a string).
        pub(crate) fn to_text<T: ::serde::Serialize>(value: &T) -> ::std::result::Result<::std::string::String, Invalid> {
            match ::serde_json::to_value(value).map_err(Invalid::Request)? {
                ::serde_json::Value::String(text) => ::std::result::Result::Ok(text),
                other => ::std::result::Result::Ok(other.to_string()),
            }
        }
    }
}

pub(super) fn object_pairs() -> TokenStream {
    quote! {
        /// The properties of a query parameter of object type, as
        /// `(name, text)` pairs in the order serde writes them: strings as
        /// they are, numbers and booleans as JSON writes them, arrays and
        /// objects as their JSON text. Properties without a value (`null`)
        /// are left out.
        pub(crate) fn object_pairs<T: ::serde::Serialize + ?::std::marker::Sized>(
            value: &T,
        ) -> ::std::result::Result<::std::vec::Vec<(::std::string::String, ::std::string::String)>, Invalid> {
            let object = match ::serde_json::to_value(value).map_err(Invalid::Request)? {
                ::serde_json::Value::Object(object) => object,
                _ => {
                    return ::std::result::Result::Err(Invalid::Request(
                        <::serde_json::Error as ::serde::ser::Error>::custom("a query parameter of object type is not written as an object"),
                    ));
                }
            };
            let pairs = object
                .into_iter()
                .filter_map(|(name, value)| match value {
                    ::serde_json::Value::Null => ::std::option::Option::None,
                    ::serde_json::Value::String(text) => ::std::option::Option::Some((name, text)),
                    other => ::std::option::Option::Some((name, other.to_string())),
                })
                .collect();
            ::std::result::Result::Ok(pairs)
        }
    }
}

pub(super) fn encode_path() -> TokenStream {
    quote! {
        /// Everything but the unreserved characters of RFC 3986 is
        /// percent-encoded, so a value is always exactly one path segment.
        const PATH_SEGMENT: &::percent_encoding::AsciiSet = &::percent_encoding::NON_ALPHANUMERIC
            .remove(b'-')
            .remove(b'.')
            .remove(b'_')
            .remove(b'~');

        /// Percent-encodes a path parameter as one segment: `a/b?c` becomes
        /// `a%2Fb%3Fc`. An empty value, `.` and `..` cannot be one segment
        /// (URL parsing removes dot segments, even percent-encoded ones, and
        /// an empty one is no segment at all), so they are refused rather
        /// than sent to another resource.
        pub(crate) fn encode_path<'a>(
            name: &'static str,
            value: &'a str,
        ) -> ::std::result::Result<::percent_encoding::PercentEncode<'a>, Invalid> {
            if matches!(value, "" | "." | "..") {
                return ::std::result::Result::Err(Invalid::PathParameter {
                    name,
                    value: ::std::borrow::ToOwned::to_owned(value),
                });
            }
            ::std::result::Result::Ok(::percent_encoding::utf8_percent_encode(value, PATH_SEGMENT))
        }
    }
}

pub(super) fn encode_cookie() -> TokenStream {
    quote! {
        /// What a cookie value cannot hold as it is (RFC 6265's
        /// `cookie-octet`), and `%` itself.
        const COOKIE_VALUE: &::percent_encoding::AsciiSet = &::percent_encoding::CONTROLS
            .add(b' ')
            .add(b'"')
            .add(b',')
            .add(b';')
            .add(b'\\')
            .add(b'%');

        /// Percent-encodes a cookie value.
        pub(crate) fn encode_cookie(value: &str) -> ::percent_encoding::PercentEncode<'_> {
            ::percent_encoding::utf8_percent_encode(value, COOKIE_VALUE)
        }
    }
}
