//! The `response` module: a decoded success with its status and headers
//! (`Response<T>`), a response as it came, for errors (`RawResponse`), a
//! body read as a stream of chunks (`ByteStream`), and the futures a
//! request's `send` and `send_with_response` give (`Pending`,
//! `PendingResponse`).

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
    let pending = uses.operations.then(pending);
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
        #pending
    }
}

/// The futures of a request on its way. Every request's `send` and
/// `send_with_response` give one of these two, the same but for the decoded
/// types, rather than an `async fn`'s future of their own: an `async fn`
/// per request is a state machine per request for the compiler to build,
/// check and prove `Send`, a third of the time `cargo check` took on a
/// large API. Here one generic future, written once, waits for the
/// client's (a single future type for all requests), then decodes.
fn pending() -> TokenStream {
    quote! {
        /// The client's answer to a request, before it is decoded: one type for
        /// every request.
        type Answer<'a> = ::std::pin::Pin<::std::boxed::Box<dyn ::std::future::Future<Output = ::std::result::Result<RawResponse, crate::transport::Failure>> + ::std::marker::Send + 'a>>;

        /// How a request decodes its answer.
        type Decode<T, E> = fn(RawResponse) -> ::std::result::Result<Response<T>, crate::Error<E>>;

        /// What a [`PendingResponse`] waits for: the answer, or the error that
        /// stopped the request before it was sent; nothing once it has given
        /// its output.
        enum State<'a, T, E> {
            Sent(Answer<'a>, Decode<T, E>),
            Failed(crate::Error<E>),
            Done,
        }

        /// A request on its way, as its `send_with_response` gives it: awaiting
        /// it sends the request and gives the decoded body with the response's
        /// status and headers. Nothing is sent until it is first polled; it is
        /// `Send`, so it may be spawned.
        #[must_use = "a request is sent only when it is awaited"]
        pub struct PendingResponse<'a, T, E> {
            state: State<'a, T, E>,
        }

        impl<'a, T, E> PendingResponse<'a, T, E> {
            /// The request `request` (or why it could not be built) for
            /// `operation`, sent by `client` once polled, its answer decoded by
            /// `decode`.
            pub(crate) fn new(
                client: &'a crate::Client,
                operation: &'static crate::Operation,
                request: ::std::result::Result<::reqwest::RequestBuilder, crate::support::Invalid>,
                decode: Decode<T, E>,
            ) -> Self {
                let state = match request {
                    ::std::result::Result::Ok(request) => State::Sent(::std::boxed::Box::pin(client.execute(operation, request)), decode),
                    ::std::result::Result::Err(invalid) => State::Failed(crate::Error::from(invalid)),
                };
                Self { state }
            }
        }

        /// Nothing in it needs pinning: the answer is pinned in its box.
        impl<T, E> ::std::marker::Unpin for PendingResponse<'_, T, E> {}

        impl<T, E> ::std::future::Future for PendingResponse<'_, T, E> {
            type Output = ::std::result::Result<Response<T>, crate::Error<E>>;

            /// # Panics
            ///
            /// When polled again after it has given its output, as an `async
            /// fn`'s future does.
            fn poll(mut self: ::std::pin::Pin<&mut Self>, cx: &mut ::std::task::Context<'_>) -> ::std::task::Poll<Self::Output> {
                let answer = match &mut self.state {
                    State::Sent(answer, _) => ::std::option::Option::Some(::std::task::ready!(answer.as_mut().poll(cx))),
                    State::Failed(_) => ::std::option::Option::None,
                    State::Done => ::std::panic!("a request's future was polled after it completed"),
                };
                ::std::task::Poll::Ready(match (::std::mem::replace(&mut self.state, State::Done), answer) {
                    (State::Sent(_, decode), ::std::option::Option::Some(answer)) => answer.map_err(crate::Error::from).and_then(decode),
                    (State::Failed(error), _) => ::std::result::Result::Err(error),
                    _ => ::std::unreachable!("the state was read above"),
                })
            }
        }

        impl<T, E> ::std::fmt::Debug for PendingResponse<'_, T, E> {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct("PendingResponse").finish_non_exhaustive()
            }
        }

        /// A request on its way, as its `send` gives it (and as awaiting the
        /// request itself sends it): awaiting it sends the request and gives
        /// the decoded body. A [`PendingResponse`] without the status and
        /// headers.
        #[must_use = "a request is sent only when it is awaited"]
        pub struct Pending<'a, T, E>(PendingResponse<'a, T, E>);

        impl<'a, T, E> Pending<'a, T, E> {
            pub(crate) fn new(response: PendingResponse<'a, T, E>) -> Self {
                Self(response)
            }
        }

        impl<T, E> ::std::future::Future for Pending<'_, T, E> {
            type Output = ::std::result::Result<T, crate::Error<E>>;

            /// # Panics
            ///
            /// When polled again after it has given its output.
            fn poll(mut self: ::std::pin::Pin<&mut Self>, cx: &mut ::std::task::Context<'_>) -> ::std::task::Poll<Self::Output> {
                ::std::pin::Pin::new(&mut self.0).poll(cx).map(|response| response.map(Response::into_body))
            }
        }

        impl<T, E> ::std::fmt::Debug for Pending<'_, T, E> {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct("Pending").finish_non_exhaustive()
            }
        }
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
                self.chunks
                    .as_mut()
                    .poll_next(cx)
                    .map(|chunk| chunk.map(|chunk| chunk.map_err(crate::transport::without_secrets)))
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
