//! The `response` module: a decoded success with its status and headers
//! (`Response<T>`), a response as it came, for errors (`RawResponse`), and
//! a body read as a stream of chunks (`ByteStream`).

use super::Uses;
use proc_macro2::TokenStream;
use quote::quote;

pub(super) fn response_rs(uses: &Uses) -> TokenStream {
    let byte_stream = uses.bytes_success.then(byte_stream);
    let with_body =
        (uses.json_success || uses.empty_success || uses.text_success || uses.by_status).then(
            || {
                quote! {
                    /// A success with the status and headers of this one.
                    pub(crate) fn with_body<T>(self, body: T) -> Response<T> {
                        let RawParts { status, headers, .. } = *self.0;
                        Response::new(status, headers, body)
                    }
                }
            },
        );
    let into_response = uses.bytes_success.then(|| {
        quote! {
            /// A success whose body is these bytes.
            pub(crate) fn into_response(self) -> Response<::std::vec::Vec<u8>> {
                let RawParts { status, headers, body } = *self.0;
                Response::new(status, headers, body)
            }
        }
    });
    // With no operation that decodes a success, nothing makes one.
    let unused =
        (with_body.is_none() && into_response.is_none()).then(|| quote! { #[allow(dead_code)] });
    quote! {
        //! What a request gives besides its decoded body.

        /// A decoded success, with the response's status and headers: what a
        /// request's `send_with_response` gives, for the callers that need a
        /// rate limit or an ETag. Headers that carry credentials are marked
        /// sensitive, so `Debug` does not show them.
        #[derive(Debug, Clone)]
        pub struct Response<T> {
            status: ::reqwest::StatusCode,
            headers: ::reqwest::header::HeaderMap,
            body: T,
        }

        impl<T> Response<T> {
            #unused
            pub(crate) fn new(status: ::reqwest::StatusCode, headers: ::reqwest::header::HeaderMap, body: T) -> Self {
                Self { status, headers, body }
            }

            /// The response's status.
            pub fn status(&self) -> ::reqwest::StatusCode {
                self.status
            }

            /// The response's headers.
            pub fn headers(&self) -> &::reqwest::header::HeaderMap {
                &self.headers
            }

            /// The decoded body.
            pub fn body(&self) -> &T {
                &self.body
            }

            /// The decoded body, without the status and headers.
            pub fn into_body(self) -> T {
                self.body
            }

            /// The same response with its body changed by `f`.
            pub fn map<U>(self, f: impl ::std::ops::FnOnce(T) -> U) -> Response<U> {
                Response { status: self.status, headers: self.headers, body: f(self.body) }
            }
        }

        /// A response as it came: its status, its headers and its body's
        /// bytes. Every [`Error`](crate::Error) that comes after a response
        /// keeps it ([`Error::response`](crate::Error::response)).
        ///
        /// Its `Debug` shows the body's length, not its bytes, and hides
        /// the headers that carry credentials: a body that did not decode
        /// may still hold a secret, and errors end up in logs.
        #[derive(Clone)]
        pub struct RawResponse(::std::boxed::Box<RawParts>);

        /// A [`RawResponse`]'s parts, boxed so that an error stays small.
        #[derive(Clone)]
        struct RawParts {
            status: ::reqwest::StatusCode,
            headers: ::reqwest::header::HeaderMap,
            body: ::std::vec::Vec<u8>,
        }

        impl RawResponse {
            pub(crate) fn new(status: ::reqwest::StatusCode, headers: ::reqwest::header::HeaderMap, body: ::std::vec::Vec<u8>) -> Self {
                Self(::std::boxed::Box::new(RawParts { status, headers, body }))
            }

            /// The response's status.
            pub fn status(&self) -> ::reqwest::StatusCode {
                self.0.status
            }

            /// The response's headers.
            pub fn headers(&self) -> &::reqwest::header::HeaderMap {
                &self.0.headers
            }

            /// The body, as it came (empty when it was not read).
            pub fn body(&self) -> &[u8] {
                &self.0.body
            }

            /// The body as text, invalid UTF-8 replaced.
            pub fn text(&self) -> ::std::borrow::Cow<'_, str> {
                ::std::string::String::from_utf8_lossy(&self.0.body)
            }

            /// The body's bytes, without the status and headers.
            pub fn into_body(self) -> ::std::vec::Vec<u8> {
                self.0.body
            }

            #with_body
            #into_response
        }

        impl ::std::fmt::Debug for RawResponse {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct("RawResponse")
                    .field("status", &self.0.status)
                    .field("headers", &self.0.headers)
                    .field("body", &format_args!("<{} bytes>", self.0.body.len()))
                    .finish()
            }
        }

        #byte_stream
    }
}

fn byte_stream() -> TokenStream {
    quote! {
        /// A successful response's body, as a stream of chunks read as they
        /// arrive, so a large download need not be in memory at once. It is a
        /// `futures` [`Stream`](::futures_core::Stream) of `bytes::Bytes`.
        pub struct ByteStream {
            status: ::reqwest::StatusCode,
            headers: ::reqwest::header::HeaderMap,
            chunks: ::std::pin::Pin<::std::boxed::Box<dyn ::futures_core::Stream<Item = ::std::result::Result<::bytes::Bytes, ::reqwest::Error>> + ::std::marker::Send>>,
        }

        impl ByteStream {
            pub(crate) fn new(response: ::reqwest::Response) -> Self {
                let status = response.status();
                let mut headers = response.headers().clone();
                crate::transport::mark_sensitive(&mut headers);
                // After an error, the stream ends.
                let chunks = ::futures_util::stream::unfold(::std::option::Option::Some(response), |response| async move {
                    let mut response = response?;
                    match response.chunk().await {
                        ::std::result::Result::Ok(::std::option::Option::Some(chunk)) => {
                            ::std::option::Option::Some((::std::result::Result::Ok(chunk), ::std::option::Option::Some(response)))
                        }
                        ::std::result::Result::Ok(::std::option::Option::None) => ::std::option::Option::None,
                        ::std::result::Result::Err(error) => ::std::option::Option::Some((::std::result::Result::Err(error), ::std::option::Option::None)),
                    }
                });
                Self { status, headers, chunks: ::std::boxed::Box::pin(chunks) }
            }

            /// The response's status.
            pub fn status(&self) -> ::reqwest::StatusCode {
                self.status
            }

            /// The response's headers (`Content-Length`, `Content-Type`).
            pub fn headers(&self) -> &::reqwest::header::HeaderMap {
                &self.headers
            }
        }

        impl ::futures_core::Stream for ByteStream {
            type Item = ::std::result::Result<::bytes::Bytes, ::reqwest::Error>;

            fn poll_next(
                mut self: ::std::pin::Pin<&mut Self>,
                cx: &mut ::std::task::Context<'_>,
            ) -> ::std::task::Poll<::std::option::Option<Self::Item>> {
                self.chunks.as_mut().poll_next(cx)
            }
        }

        impl ::std::fmt::Debug for ByteStream {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct("ByteStream")
                    .field("status", &self.status)
                    .field("headers", &self.headers)
                    .finish_non_exhaustive()
            }
        }
    }
}
