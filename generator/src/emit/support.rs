//! The crate's fixed parts: its error type and the private support module
//! (sending requests, decoding responses, percent-encoding, decimals).
//! Only the pieces the API uses are emitted, so none is dead code.

use super::Uses;
use proc_macro2::TokenStream;
use quote::quote;

pub(super) fn error_rs() -> TokenStream {
    quote! {
        //! The error every client method returns.

        /// Why a request did not return the expected response.
        ///
        /// `E` is the type of the error body the API documents for the
        /// operation.
        #[derive(Debug, ::thiserror::Error)]
        pub enum Error<E> {
            /// A path parameter's value cannot be sent as one path segment: it
            /// is empty, `.` or `..`. Nothing was sent.
            #[error("path parameter `{name}` cannot be {value:?}: it must be one non-empty path segment other than `.` and `..`")]
            InvalidPathParameter {
                /// The parameter's name in the API description.
                name: &'static str,
                /// The value that was refused.
                value: ::std::string::String,
            },
            /// The request could not be sent, or the response could not be read.
            #[error("the request could not be completed")]
            Transport(#[from] ::reqwest::Error),
            /// The server answered with an error status and a body of the
            /// documented error type.
            #[error("the server answered {status}: {body:?}")]
            Api {
                /// The response status.
                status: ::reqwest::StatusCode,
                /// The decoded error body.
                body: E,
            },
            /// The server answered with an error status and a body that is not
            /// of the documented error type.
            #[error("the server answered {status} with an undocumented body")]
            UnexpectedResponse {
                /// The response status.
                status: ::reqwest::StatusCode,
                /// The raw body, as text (invalid UTF-8 replaced).
                body: ::std::string::String,
            },
            /// The server answered with a success status, but the body could
            /// not be decoded into the documented type.
            #[error("the server answered {status} with a body that does not decode")]
            InvalidResponse {
                /// The response status.
                status: ::reqwest::StatusCode,
                /// The raw body, as text (invalid UTF-8 replaced).
                body: ::std::string::String,
                /// Why decoding failed.
                #[source]
                source: ::serde_json::Error,
            },
        }

        impl<E> Error<E> {
            /// The response status, when there was a response.
            pub fn status(&self) -> ::std::option::Option<::reqwest::StatusCode> {
                match self {
                    Self::InvalidPathParameter { .. } => ::std::option::Option::None,
                    Self::Transport(error) => error.status(),
                    Self::Api { status, .. }
                    | Self::UnexpectedResponse { status, .. }
                    | Self::InvalidResponse { status, .. } => ::std::option::Option::Some(*status),
                }
            }
        }
    }
}

pub(super) fn support_rs(uses: &Uses) -> TokenStream {
    let encode_path = uses.path_params.then(encode_path);
    let decode = uses.json_success.then(decode);
    let decode_empty = uses.empty_success.then(decode_empty);
    let decimal = (uses.decimal_field || uses.optional_decimal_field).then(|| decimal(uses));
    quote! {
        //! What the generated code shares: sending a request, decoding the
        //! answer, encoding path segments, reading and writing decimals.

        use crate::Error;

        /// Removes the trailing slashes of a base URL, so paths join it cleanly.
        pub(crate) fn trim_base_url(mut base_url: ::std::string::String) -> ::std::string::String {
            while base_url.ends_with('/') {
                base_url.pop();
            }
            base_url
        }

        /// Sends a request and reads the whole response.
        pub(crate) async fn execute(
            request: ::reqwest::RequestBuilder,
        ) -> ::std::result::Result<(::reqwest::StatusCode, ::std::vec::Vec<u8>), ::reqwest::Error> {
            let response = request.send().await?;
            let status = response.status();
            let bytes = response.bytes().await?;
            ::std::result::Result::Ok((status, ::std::vec::Vec::from(bytes)))
        }

        /// The error for a response with an error status.
        fn error_body<E: ::serde::de::DeserializeOwned>(status: ::reqwest::StatusCode, bytes: &[u8]) -> Error<E> {
            match ::serde_json::from_slice(bytes) {
                ::std::result::Result::Ok(body) => Error::Api { status, body },
                ::std::result::Result::Err(_) => Error::UnexpectedResponse {
                    status,
                    body: ::std::string::String::from_utf8_lossy(bytes).into_owned(),
                },
            }
        }

        #decode
        #decode_empty
        #encode_path
        #decimal
    }
}

fn decode() -> TokenStream {
    quote! {
        /// Decodes a JSON response: the success type for a success status,
        /// the error type otherwise.
        pub(crate) fn decode<T, E>(status: ::reqwest::StatusCode, bytes: &[u8]) -> ::std::result::Result<T, Error<E>>
        where
            T: ::serde::de::DeserializeOwned,
            E: ::serde::de::DeserializeOwned,
        {
            if !status.is_success() {
                return ::std::result::Result::Err(error_body(status, bytes));
            }
            ::serde_json::from_slice(bytes).map_err(|source| Error::InvalidResponse {
                status,
                body: ::std::string::String::from_utf8_lossy(bytes).into_owned(),
                source,
            })
        }
    }
}

fn decode_empty() -> TokenStream {
    quote! {
        /// Decodes a response whose success carries no body.
        pub(crate) fn decode_empty<E>(status: ::reqwest::StatusCode, bytes: &[u8]) -> ::std::result::Result<(), Error<E>>
        where
            E: ::serde::de::DeserializeOwned,
        {
            if status.is_success() {
                ::std::result::Result::Ok(())
            } else {
                ::std::result::Result::Err(error_body(status, bytes))
            }
        }
    }
}

fn encode_path() -> TokenStream {
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
        pub(crate) fn encode_path<'a, E>(
            name: &'static str,
            value: &'a str,
        ) -> ::std::result::Result<::percent_encoding::PercentEncode<'a>, Error<E>> {
            if matches!(value, "" | "." | "..") {
                return ::std::result::Result::Err(Error::InvalidPathParameter {
                    name,
                    value: ::std::borrow::ToOwned::to_owned(value),
                });
            }
            ::std::result::Result::Ok(::percent_encoding::utf8_percent_encode(value, PATH_SEGMENT))
        }
    }
}

fn decimal(uses: &Uses) -> TokenStream {
    let plain = uses.decimal_field.then(|| {
        quote! {
            /// Writes a decimal as a string, keeping its scale.
            pub(crate) fn serialize<S: ::serde::Serializer>(value: &Decimal, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.collect_str(value)
            }

            /// Reads a decimal from a string or a number.
            pub(crate) fn deserialize<'de, D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Decimal, D::Error> {
                deserializer.deserialize_any(DecimalVisitor)
            }
        }
    });
    let option = uses.optional_decimal_field.then(|| {
        quote! {
            /// The same for `Option<Decimal>`, `None` being `null`.
            pub(crate) mod option {
                use super::{Decimal, DecimalVisitor};

                /// Writes a decimal as a string, keeping its scale, or `null`.
                pub(crate) fn serialize<S: ::serde::Serializer>(
                    value: &::std::option::Option<Decimal>,
                    serializer: S,
                ) -> ::std::result::Result<S::Ok, S::Error> {
                    match value {
                        ::std::option::Option::Some(value) => serializer.collect_str(value),
                        ::std::option::Option::None => serializer.serialize_none(),
                    }
                }

                /// Reads a decimal from a string, a number or `null`.
                pub(crate) fn deserialize<'de, D: ::serde::Deserializer<'de>>(
                    deserializer: D,
                ) -> ::std::result::Result<::std::option::Option<Decimal>, D::Error> {
                    deserializer.deserialize_option(OptionVisitor)
                }

                struct OptionVisitor;

                impl<'de> ::serde::de::Visitor<'de> for OptionVisitor {
                    type Value = ::std::option::Option<Decimal>;

                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str("a decimal number, as a string or a number, or null")
                    }

                    fn visit_none<E: ::serde::de::Error>(self) -> ::std::result::Result<Self::Value, E> {
                        ::std::result::Result::Ok(::std::option::Option::None)
                    }

                    fn visit_unit<E: ::serde::de::Error>(self) -> ::std::result::Result<Self::Value, E> {
                        ::std::result::Result::Ok(::std::option::Option::None)
                    }

                    fn visit_some<D: ::serde::Deserializer<'de>>(self, deserializer: D) -> ::std::result::Result<Self::Value, D::Error> {
                        deserializer.deserialize_any(DecimalVisitor).map(::std::option::Option::Some)
                    }
                }
            }
        }
    });
    quote! {
        /// Decimals (money) on the wire: written as strings, so `"2.40"` stays
        /// `"2.40"`; read from strings or numbers. These functions do not
        /// depend on `rust_decimal`'s serde features, which another crate in
        /// the build could change.
        pub(crate) mod decimal {
            use ::rust_decimal::Decimal;

            #plain
            #option

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
