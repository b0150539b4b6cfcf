//! The crate's fixed parts: its error type (`error.rs`) and the private
//! support module (sending requests here; decoding responses, encoding
//! requests, the models' serde forms and paginated lists in the files
//! beside). Only the pieces the API uses are emitted, so none is dead code.

mod decode;
mod encode;
mod error;
mod fields;
mod pages;

use super::Uses;
use decode::{byte_stream, decode, decode_bytes, decode_empty, decode_text, unexpected_status};
use encode::{encode_cookie, encode_path, object_pairs, to_text};
use fields::{base64, decimal, integer, nullable, string_enum, untagged};
use pages::{pages, pages_arm};
use proc_macro2::TokenStream;
use quote::quote;

pub(super) use error::error_rs;

/// The headers that label a multipart part with its media type.
fn part_type() -> TokenStream {
    quote! {
        /// The headers of a multipart part of `media_type`: a file part is
        /// `application/octet-stream` unless known better (RFC 7578,
        /// section 4.4), a part of an object or an array `application/json`
        /// (OpenAPI's default `contentType` of an encoding). A server that
        /// reads parts by their type needs it.
        pub(crate) fn part_type(media_type: &'static str) -> ::reqwest::header::HeaderMap {
            let mut headers = ::reqwest::header::HeaderMap::new();
            headers.insert(
                ::reqwest::header::CONTENT_TYPE,
                ::reqwest::header::HeaderValue::from_static(media_type),
            );
            headers
        }
    }
}

pub(super) fn support_rs(uses: &Uses) -> TokenStream {
    let requests = uses.operations.then(|| requests(uses));
    // Some of it may serve only the WebSocket sessions' requests (a path
    // parameter only a session has), which are there only with their
    // feature; with it, everything is used, and clippy checks that.
    let sessions_only = uses.sessions.then(|| {
        quote! { #[cfg_attr(not(feature = "websocket"), allow(dead_code))] }
    });
    let encode_path = uses.path_params.then(encode_path);
    let decode = uses.json_success.then(decode);
    let decode_empty = uses.empty_success.then(decode_empty);
    let decode_text = uses.text_success.then(decode_text);
    let decode_bytes = uses.bytes_success.then(decode_bytes);
    let unexpected_status = uses.by_status.then(unexpected_status);
    let nullable = uses.nullable_field.then(nullable);
    let to_text = uses.to_text.then(to_text);
    let object_pairs = uses.object_pairs.then(object_pairs);
    let decimal = uses
        .decimal_fields
        .any()
        .then(|| decimal(&uses.decimal_fields));
    let base64 = uses.bytes_fields.any().then(|| base64(&uses.bytes_fields));
    let integer = uses
        .integer_fields
        .any()
        .then(|| integer(&uses.integer_fields));
    let untagged = uses.untagged.then(untagged);
    let uses_error = uses.operations.then(|| quote! { use crate::Error; });
    let encode_cookie = uses.cookies.then(encode_cookie);
    let byte_stream = uses.bytes_success.then(byte_stream);
    let pages = uses.pagination.then(pages);
    let string_enum = uses.string_enum.then(string_enum);
    let part_type = uses.typed_part.then(part_type);
    quote! {
        //! What the generated code shares: sending a request, decoding the
        //! answer and encoding path segments (with the `client` feature),
        //! and reading and writing decimals, bytes, integers, nullable fields
        //! and untagged unions (always).

        /// What only the client needs: HTTP.
        #[cfg(feature = "client")]
        #sessions_only
        mod http {
            #uses_error

            /// Removes the trailing slashes of a base URL, so paths join it cleanly.
            pub(crate) fn trim_base_url(mut base_url: ::std::string::String) -> ::std::string::String {
                while base_url.ends_with('/') {
                    base_url.pop();
                }
                base_url
            }

            #requests
            #decode
            #decode_empty
            #decode_text
            #decode_bytes
            #unexpected_status
            #encode_path
            #encode_cookie
            #to_text
            #object_pairs
            #byte_stream
            #pages
            #part_type
        }
        #[cfg(feature = "client")]
        pub(crate) use http::*;

        #string_enum
        #nullable
        #decimal
        #base64
        #integer
        #untagged
    }
}

fn requests(uses: &Uses) -> TokenStream {
    let encodes = uses.json_part || uses.to_text || uses.object_pairs;
    let pages_arm = uses.pagination.then(pages_arm);
    let path_variant = uses.path_params.then(|| {
        quote! {
            /// A path parameter that cannot be one path segment.
            PathParameter {
                name: &'static str,
                value: ::std::string::String,
            },
        }
    });
    let path_arm = uses.path_params.then(|| {
        quote! { Invalid::PathParameter { name, value } => Error::InvalidPathParameter { name, value }, }
    });
    let request_variant = encodes.then(|| {
        quote! {
            /// A parameter or body that could not be encoded.
            Request(::serde_json::Error),
        }
    });
    let request_arm =
        encodes.then(|| quote! { Invalid::Request(source) => Error::InvalidRequest(source), });
    let invalid = quote! {
        /// Why a request could not be built, before anything was sent: small,
        /// so that building a request does not return the whole [`Error`].
        pub(crate) enum Invalid {
            #path_variant
            #request_variant
        }

        impl<E> ::std::convert::From<Invalid> for Error<E> {
            fn from(invalid: Invalid) -> Self {
                match invalid {
                    #path_arm
                    #request_arm
                }
            }
        }
    };
    quote! {
        #invalid

        /// The error for a response with an error status.
        pub(crate) fn error_body<E: ::serde::de::DeserializeOwned>(response: crate::RawResponse) -> Error<E> {
            match crate::error::decode_json(response.body()) {
                ::std::result::Result::Ok(body) => Error::Api { body, response },
                ::std::result::Result::Err(_) => Error::UnexpectedResponse { response },
            }
        }

        /// What every request type has, the same but for its types: its
        /// `OPERATION`, `send` and `send_with_response` (which give the
        /// crate's `Pending` and `PendingResponse`, futures written once for
        /// every request), `IntoFuture` (so that awaiting it sends it) and a
        /// `Debug` that names the operation and nothing the caller passed. `requests.rs` invokes it once per
        /// operation, beside the request's own setters and `build`. A
        /// paginated list's invocation ends in `pages: (Item, items,
        /// token);` (the page's fields of its items and of the next page's
        /// token), and gets `pages` and `stream` methods too.
        macro_rules! impl_request {
            (
                $name:ident;
                success: $success:ty;
                error: $error:ty;
                operation: ($id:literal, $method:literal, $path:literal, $idempotent:literal);
                security: $security:expr;
                decode: $decode:path;
            ) => {
                impl<'a> $name<'a> {
                    /// What the request's [`Hook`](crate::Hook)s and `tracing`
                    /// span see of its operation.
                    pub const OPERATION: crate::Operation = crate::Operation::new($id, $method, $path, $idempotent);

                    /// The operation's security requirements: the client sends the
                    /// credentials of the first whose every scheme it was given.
                    const SECURITY: &'static [&'static [crate::auth::Scheme]] = $security;

                    /// Sends the request, and gives the decoded body.
                    pub fn send(self) -> crate::Pending<'a, $success, $error> {
                        crate::Pending::new(self.send_with_response())
                    }

                    /// Sends the request, and gives the decoded body with the
                    /// response's status and headers.
                    pub fn send_with_response(self) -> crate::PendingResponse<'a, $success, $error> {
                        let client = self.client;
                        crate::PendingResponse::new(client, &Self::OPERATION, self.build(), $decode)
                    }
                }

                impl<'a> ::std::future::IntoFuture for $name<'a> {
                    type Output = ::std::result::Result<$success, crate::Error<$error>>;
                    type IntoFuture = crate::Pending<'a, $success, $error>;

                    fn into_future(self) -> Self::IntoFuture {
                        self.send()
                    }
                }

                impl ::std::fmt::Debug for $name<'_> {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.debug_struct(::std::stringify!($name))
                            .field("operation", &::std::concat!($method, " ", $path))
                            .finish_non_exhaustive()
                    }
                }
            };
            #pages_arm
        }
        pub(crate) use impl_request;
    }
}
