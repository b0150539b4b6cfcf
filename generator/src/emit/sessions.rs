//! WebSocket sessions: the crate's `src/session.rs` (the `websocket`
//! feature), and what a session operation's request has instead of a call.
//!
//! The method's request is built like any other (path, query, credentials,
//! user agent); awaiting it sends it as an HTTP/1.1 upgrade through the
//! client's transport (hooks, retries, the call's span), checks the
//! server's `Sec-WebSocket-Accept`, and hands the upgraded connection to
//! `tokio-tungstenite`. A session sends JSON text frames of the operation's
//! request body type and decodes text frames into its `default` response
//! type; binary frames reach the caller as bytes; an operation the document
//! does not type has a session of raw text.

use super::{ident, rust_type};
use crate::ir::{self, TypeRef};
use proc_macro2::TokenStream;
use quote::quote;

/// The Rust type of a message each way: the document's, or `String` for
/// raw text frames.
fn message_type(ty: Option<&TypeRef>) -> TokenStream {
    match ty {
        Some(ty) => rust_type(ty, &quote! { crate::types:: }),
        None => quote! { ::std::string::String },
    }
}

/// `session.rs`: `Session` and its halves, what they receive, their
/// error, the `Outgoing` and `Incoming` impls of the API's message types,
/// and `open`, which the requests call.
pub(super) fn session_rs(api: &ir::Api, crate_name: &str) -> TokenStream {
    let mut outgoing: Vec<String> = Vec::new();
    let mut incoming: Vec<String> = Vec::new();
    let mut impls = Vec::new();
    for session in api.operations.iter().filter_map(|op| op.session.as_ref()) {
        // `String` is raw text, and has its impls below; any other type is
        // a JSON message, implemented once however many sessions use it.
        if let Some(ty) = session.send.as_ref().filter(|t| **t != TypeRef::String) {
            let rust = message_type(Some(ty));
            let key = rust.to_string();
            if !outgoing.contains(&key) {
                outgoing.push(key);
                impls.push(quote! {
                    impl Outgoing for #rust {
                        fn to_text(&self) -> ::std::result::Result<::std::string::String, ::serde_json::Error> {
                            ::serde_json::to_string(self)
                        }
                    }
                });
            }
        }
        if let Some(ty) = session.receive.as_ref().filter(|t| **t != TypeRef::String) {
            let rust = message_type(Some(ty));
            let key = rust.to_string();
            if !incoming.contains(&key) {
                incoming.push(key);
                impls.push(quote! {
                    impl Incoming for #rust {
                        fn from_text(text: &str) -> ::std::result::Result<Self, crate::DecodeError> {
                            crate::error::decode_json(text.as_bytes())
                        }
                    }
                });
            }
        }
    }
    let fixed = fixed();
    let crate_ident = crate_name.replace('-', "_");
    let example = super::examples::session_section(api, &crate_ident).map(|text| {
        let lines = text.lines().map(|line| {
            if line.is_empty() {
                String::new()
            } else {
                format!(" {line}")
            }
        });
        quote! { #( #![doc = #lines] )* }
    });
    quote! {
        //! WebSocket sessions, which the API's WebSocket operations open
        //! (the `websocket` feature).
        //!
        //! A [`Session`] sends the operation's messages as JSON text frames
        //! and decodes the server's text frames into its answers. It is a
        //! `futures` [`Sink`] of messages and a [`Stream`] of what was
        //! [`Received`]; [`Session::split`] gives a [`Sender`] and a
        //! [`Receiver`] for a writer task and a reader task. Binary frames
        //! are never dropped: they arrive as bytes, for the caller to read.
        //! Pings are answered; a frame that does not decode is an error
        //! that keeps its text, and the session goes on.
        //!
        #example

        use ::futures_util::stream::{SplitSink, SplitStream};
        use ::futures_util::{Sink, SinkExt as _, Stream, StreamExt as _};
        use ::std::marker::PhantomData;
        use ::std::pin::Pin;
        use ::std::task::{Context, Poll};
        use ::tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
        use ::tokio_tungstenite::tungstenite::protocol::{CloseFrame, Role};
        use ::tokio_tungstenite::tungstenite::{self, Message};
        use ::tokio_tungstenite::WebSocketStream;

        #fixed

        #( #impls )*
    }
}

/// What every crate with sessions has, the same whatever its messages.
fn fixed() -> TokenStream {
    let types = fixed_types();
    let session = fixed_session();
    let halves = fixed_halves();
    let open = fixed_open();
    quote! {
        #types
        #session
        #halves
        #open
    }
}

fn fixed_types() -> TokenStream {
    quote! {
        /// The upgraded connection a session runs on.
        type Socket = WebSocketStream<::reqwest::Upgraded>;

        /// A message a session sends, as the text of one frame: the API's
        /// message types as JSON, a `String` as it is.
        pub trait Outgoing {
            /// The frame's text.
            fn to_text(&self) -> ::std::result::Result<::std::string::String, ::serde_json::Error>;
        }

        /// A message a session receives, from the text of one frame: the
        /// API's message types from JSON, a `String` as it is.
        pub trait Incoming: Sized {
            /// The message the frame's text holds.
            fn from_text(text: &str) -> ::std::result::Result<Self, crate::DecodeError>;
        }

        impl Outgoing for ::std::string::String {
            fn to_text(&self) -> ::std::result::Result<::std::string::String, ::serde_json::Error> {
                ::std::result::Result::Ok(self.clone())
            }
        }

        impl Incoming for ::std::string::String {
            fn from_text(text: &str) -> ::std::result::Result<Self, crate::DecodeError> {
                ::std::result::Result::Ok(text.to_owned())
            }
        }

        /// What the server sent.
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum Received<R> {
            /// A text frame, decoded.
            Message(R),
            /// A binary frame, as it came: the API does not say what it
            /// holds, so the caller decides how to read it.
            Binary(::std::vec::Vec<u8>),
            /// The server closed the session. Nothing follows.
            Closed {
                /// The close code (`1005` when the server gave none).
                code: u16,
                /// Why, in the server's words (often empty).
                reason: ::std::string::String,
            },
        }

        /// Why a session could not send or receive a message.
        #[derive(Debug, ::thiserror::Error)]
        #[non_exhaustive]
        pub enum SessionError {
            /// A text frame from the server is not the API's message; the
            /// session goes on.
            #[error("a message from the server does not decode, at {}", source.location())]
            Decode {
                /// The frame's text.
                text: ::std::string::String,
                /// Where decoding failed, and why.
                #[source]
                source: crate::DecodeError,
            },
            /// The message could not be written as JSON. Nothing was sent.
            #[error("the message could not be written as JSON")]
            Encode(#[source] ::serde_json::Error),
            /// The connection failed, or was already closed.
            #[error("the WebSocket connection failed")]
            Connection(#[source] tungstenite::Error),
        }

        /// The frame of a message.
        fn frame<S: Outgoing>(message: &S) -> ::std::result::Result<Message, SessionError> {
            message.to_text().map(Message::text).map_err(SessionError::Encode)
        }

        /// What a frame the socket read is to the caller: `None` for the
        /// frames the protocol itself answers (pings, pongs).
        fn received<R: Incoming>(message: Message) -> ::std::option::Option<::std::result::Result<Received<R>, SessionError>> {
            match message {
                Message::Text(text) => ::std::option::Option::Some(
                    R::from_text(text.as_str())
                        .map(Received::Message)
                        .map_err(|source| SessionError::Decode { text: text.as_str().to_owned(), source }),
                ),
                Message::Binary(bytes) => ::std::option::Option::Some(::std::result::Result::Ok(Received::Binary(bytes.to_vec()))),
                Message::Close(frame) => {
                    let (code, reason) = match frame {
                        ::std::option::Option::Some(frame) => (u16::from(frame.code), frame.reason.as_str().to_owned()),
                        ::std::option::Option::None => (u16::from(CloseCode::Status), ::std::string::String::new()),
                    };
                    #[cfg(feature = "tracing")]
                    ::tracing::debug!(code, "the server closed the session");
                    ::std::option::Option::Some(::std::result::Result::Ok(Received::Closed { code, reason }))
                }
                Message::Ping(_) | Message::Pong(_) | Message::Frame(_) => ::std::option::Option::None,
            }
        }

        /// The next thing received from `frames`; the end once the
        /// connection is closed.
        fn poll_received<R: Incoming>(
            frames: &mut (impl Stream<Item = ::std::result::Result<Message, tungstenite::Error>> + ::std::marker::Unpin),
            cx: &mut Context<'_>,
        ) -> Poll<::std::option::Option<::std::result::Result<Received<R>, SessionError>>> {
            loop {
                match ::std::task::ready!(frames.poll_next_unpin(cx)) {
                    ::std::option::Option::Some(::std::result::Result::Ok(message)) => {
                        if let ::std::option::Option::Some(item) = received(message) {
                            return Poll::Ready(::std::option::Option::Some(item));
                        }
                    }
                    ::std::option::Option::Some(::std::result::Result::Err(
                        tungstenite::Error::ConnectionClosed | tungstenite::Error::AlreadyClosed,
                    ))
                    | ::std::option::Option::None => return Poll::Ready(::std::option::Option::None),
                    ::std::option::Option::Some(::std::result::Result::Err(error)) => {
                        return Poll::Ready(::std::option::Option::Some(::std::result::Result::Err(SessionError::Connection(error))));
                    }
                }
            }
        }

        /// A close frame with `code` and `reason`.
        fn close_frame(code: u16, reason: &str) -> Message {
            Message::Close(::std::option::Option::Some(CloseFrame { code: CloseCode::from(code), reason: reason.into() }))
        }
    }
}

fn fixed_session() -> TokenStream {
    quote! {
        /// An open WebSocket session of an operation: sends `S`, receives
        /// `R` (see the module's docs).
        ///
        /// [`Self::send`] and [`Self::receive`] serve one task; as a
        /// [`Sink`] of `S` and a [`Stream`] of [`Received`] it takes the
        /// `futures` combinators, and [`Self::split`] gives halves for two
        /// tasks. It lasts until either side closes it: the client's
        /// per-request timeout does not apply to it.
        pub struct Session<S, R> {
            socket: Socket,
            headers: ::reqwest::header::HeaderMap,
            #[cfg(feature = "tracing")]
            span: ::tracing::Span,
            messages: PhantomData<fn(S) -> R>,
        }

        impl<S, R> ::std::fmt::Debug for Session<S, R> {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct("Session").finish_non_exhaustive()
            }
        }

        impl<S: Outgoing, R: Incoming> Session<S, R> {
            /// The headers of the server's answer to the upgrade (sensitive
            /// ones marked so).
            pub fn headers(&self) -> &::reqwest::header::HeaderMap {
                &self.headers
            }

            /// Sends a message, as one text frame.
            pub async fn send(&mut self, message: &S) -> ::std::result::Result<(), SessionError> {
                let frame = frame(message)?;
                self.socket.send(frame).await.map_err(SessionError::Connection)
            }

            /// Sends bytes, as one binary frame.
            pub async fn send_binary(&mut self, bytes: impl ::std::convert::Into<::std::vec::Vec<u8>>) -> ::std::result::Result<(), SessionError> {
                self.socket.send(Message::binary(bytes.into())).await.map_err(SessionError::Connection)
            }

            /// The next thing the server sent; `None` once the session is
            /// closed.
            pub async fn receive(&mut self) -> ::std::option::Option<::std::result::Result<Received<R>, SessionError>> {
                self.next().await
            }

            /// Closes the session with `code` (`1000` for a normal close)
            /// and `reason`, and waits for the server to close it too;
            /// what it sends meanwhile is dropped.
            pub async fn close(mut self, code: u16, reason: &str) -> ::std::result::Result<(), SessionError> {
                #[cfg(feature = "tracing")]
                let _entered = self.span.clone().entered();
                match self.socket.send(close_frame(code, reason)).await {
                    ::std::result::Result::Ok(()) | ::std::result::Result::Err(tungstenite::Error::ConnectionClosed) => {}
                    ::std::result::Result::Err(error) => return ::std::result::Result::Err(SessionError::Connection(error)),
                }
                while let ::std::option::Option::Some(frame) = self.socket.next().await {
                    if frame.is_err() {
                        break;
                    }
                }
                ::std::result::Result::Ok(())
            }

            /// A sender and a receiver of this session, for a writer task
            /// and a reader task.
            pub fn split(self) -> (Sender<S>, Receiver<R>) {
                let (sink, frames) = self.socket.split();
                (
                    Sender {
                        sink,
                        #[cfg(feature = "tracing")]
                        span: self.span.clone(),
                        messages: PhantomData,
                    },
                    Receiver {
                        frames,
                        #[cfg(feature = "tracing")]
                        span: self.span,
                        messages: PhantomData,
                    },
                )
            }
        }

        impl<S: Outgoing, R: Incoming> Stream for Session<S, R> {
            type Item = ::std::result::Result<Received<R>, SessionError>;

            fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<::std::option::Option<Self::Item>> {
                let this = self.get_mut();
                #[cfg(feature = "tracing")]
                let _entered = this.span.enter();
                poll_received(&mut this.socket, cx)
            }
        }

        impl<S: Outgoing, R> Sink<S> for Session<S, R> {
            type Error = SessionError;

            fn poll_ready(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<::std::result::Result<(), SessionError>> {
                self.get_mut().socket.poll_ready_unpin(cx).map_err(SessionError::Connection)
            }

            fn start_send(self: Pin<&mut Self>, message: S) -> ::std::result::Result<(), SessionError> {
                let frame = frame(&message)?;
                self.get_mut().socket.start_send_unpin(frame).map_err(SessionError::Connection)
            }

            fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<::std::result::Result<(), SessionError>> {
                self.get_mut().socket.poll_flush_unpin(cx).map_err(SessionError::Connection)
            }

            fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<::std::result::Result<(), SessionError>> {
                self.get_mut().socket.poll_close_unpin(cx).map_err(SessionError::Connection)
            }
        }
    }
}

fn fixed_halves() -> TokenStream {
    quote! {
        /// The sending half of a [`Session`] ([`Session::split`]).
        pub struct Sender<S> {
            sink: SplitSink<Socket, Message>,
            #[cfg(feature = "tracing")]
            span: ::tracing::Span,
            messages: PhantomData<fn(S)>,
        }

        impl<S> ::std::fmt::Debug for Sender<S> {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct("Sender").finish_non_exhaustive()
            }
        }

        impl<S: Outgoing> Sender<S> {
            /// Sends a message, as one text frame.
            pub async fn send(&mut self, message: &S) -> ::std::result::Result<(), SessionError> {
                let frame = frame(message)?;
                self.sink.send(frame).await.map_err(SessionError::Connection)
            }

            /// Sends bytes, as one binary frame.
            pub async fn send_binary(&mut self, bytes: impl ::std::convert::Into<::std::vec::Vec<u8>>) -> ::std::result::Result<(), SessionError> {
                self.sink.send(Message::binary(bytes.into())).await.map_err(SessionError::Connection)
            }

            /// Starts closing the session with `code` and `reason`; the
            /// [`Receiver`] sees the server's close, and then its end.
            pub async fn close(mut self, code: u16, reason: &str) -> ::std::result::Result<(), SessionError> {
                #[cfg(feature = "tracing")]
                let _entered = self.span.clone().entered();
                match self.sink.send(close_frame(code, reason)).await {
                    ::std::result::Result::Ok(()) | ::std::result::Result::Err(tungstenite::Error::ConnectionClosed) => ::std::result::Result::Ok(()),
                    ::std::result::Result::Err(error) => ::std::result::Result::Err(SessionError::Connection(error)),
                }
            }
        }

        impl<S: Outgoing> Sink<S> for Sender<S> {
            type Error = SessionError;

            fn poll_ready(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<::std::result::Result<(), SessionError>> {
                self.get_mut().sink.poll_ready_unpin(cx).map_err(SessionError::Connection)
            }

            fn start_send(self: Pin<&mut Self>, message: S) -> ::std::result::Result<(), SessionError> {
                let frame = frame(&message)?;
                self.get_mut().sink.start_send_unpin(frame).map_err(SessionError::Connection)
            }

            fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<::std::result::Result<(), SessionError>> {
                self.get_mut().sink.poll_flush_unpin(cx).map_err(SessionError::Connection)
            }

            fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<::std::result::Result<(), SessionError>> {
                self.get_mut().sink.poll_close_unpin(cx).map_err(SessionError::Connection)
            }
        }

        /// The receiving half of a [`Session`] ([`Session::split`]). It
        /// also answers the server's pings, so keep reading it.
        pub struct Receiver<R> {
            frames: SplitStream<Socket>,
            #[cfg(feature = "tracing")]
            span: ::tracing::Span,
            messages: PhantomData<fn() -> R>,
        }

        impl<R> ::std::fmt::Debug for Receiver<R> {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct("Receiver").finish_non_exhaustive()
            }
        }

        impl<R: Incoming> Receiver<R> {
            /// The next thing the server sent; `None` once the session is
            /// closed.
            pub async fn receive(&mut self) -> ::std::option::Option<::std::result::Result<Received<R>, SessionError>> {
                self.next().await
            }
        }

        impl<R: Incoming> Stream for Receiver<R> {
            type Item = ::std::result::Result<Received<R>, SessionError>;

            fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<::std::option::Option<Self::Item>> {
                let this = self.get_mut();
                #[cfg(feature = "tracing")]
                let _entered = this.span.enter();
                poll_received(&mut this.frames, cx)
            }
        }
    }
}

fn fixed_open() -> TokenStream {
    quote! {
        /// Opens the session of `operation` with `request` (built like a
        /// call's): the HTTP/1.1 upgrade, sent through the client's hooks
        /// and retries. An answer other than `101 Switching Protocols` with
        /// the key's proof is the operation's error.
        pub(crate) async fn open<S, R, E: ::serde::de::DeserializeOwned>(
            client: &crate::Client,
            operation: &crate::Operation,
            request: ::reqwest::RequestBuilder,
        ) -> ::std::result::Result<Session<S, R>, crate::Error<E>> {
            #[cfg(feature = "tracing")]
            let span = ::tracing::info_span!("session", operation = operation.id(), path = operation.path());
            let key = tungstenite::handshake::client::generate_key();
            let request = request
                .version(::reqwest::Version::HTTP_11)
                .header(::reqwest::header::CONNECTION, "Upgrade")
                .header(::reqwest::header::UPGRADE, "websocket")
                .header(::reqwest::header::SEC_WEBSOCKET_VERSION, "13")
                .header(::reqwest::header::SEC_WEBSOCKET_KEY, key.as_str());
            let opening = client.open(operation, request);
            #[cfg(feature = "tracing")]
            let opening = ::tracing::Instrument::instrument(opening, span.clone());
            let response = opening.await?;
            let proof = tungstenite::handshake::derive_accept_key(key.as_bytes());
            let upgraded = response.status() == ::reqwest::StatusCode::SWITCHING_PROTOCOLS
                && response
                    .headers()
                    .get(::reqwest::header::SEC_WEBSOCKET_ACCEPT)
                    .is_some_and(|accept| accept.as_bytes() == proof.as_bytes());
            if !upgraded {
                let status = response.status();
                let response = client.read(response).await?;
                return ::std::result::Result::Err(if status.is_client_error() || status.is_server_error() {
                    crate::support::error_body(response)
                } else {
                    crate::Error::NotUpgraded { response }
                });
            }
            let mut headers = response.headers().clone();
            crate::transport::mark_sensitive(&mut headers);
            let connection = response.upgrade().await?;
            let socket = WebSocketStream::from_raw_socket(connection, Role::Client, ::std::option::Option::None).await;
            ::std::result::Result::Ok(Session {
                socket,
                headers,
                #[cfg(feature = "tracing")]
                span,
                messages: PhantomData,
            })
        }
    }
}

/// What a session operation's request has instead of `impl_request!`: its
/// `OPERATION`, `connect` (and `IntoFuture`, so that awaiting it opens the
/// session) and a `Debug` that names the operation only.
pub(super) fn request_impl(op: &ir::Operation, session: &ir::Session) -> TokenStream {
    let name = ident(&op.request_name);
    let send = message_type(session.send.as_ref());
    let receive = message_type(session.receive.as_ref());
    let error = super::requests::error_type(op);
    let (id, method, path) = (&op.operation_id, &op.method, &op.path_template);
    let idempotent = op.idempotent;
    let security = super::auth::security(op);
    let operation = format!("{method} {path}");
    quote! {
        #[cfg(feature = "websocket")]
        impl<'a> #name<'a> {
            /// What the request's [`Hook`](crate::Hook)s and `tracing`
            /// span see of its operation.
            pub const OPERATION: crate::Operation = crate::Operation::new(#id, #method, #path, #idempotent);

            /// The operation's security requirements: the client sends the
            /// credentials of the first whose every scheme it was given.
            const SECURITY: &'static [&'static [crate::auth::Scheme]] = #security;

            /// Opens the session: the upgrade, with the request's path,
            /// query and credentials. A refused upgrade is an
            /// [`Error`](crate::Error) with the server's answer.
            pub async fn connect(self) -> ::std::result::Result<crate::session::Session<#send, #receive>, crate::Error<#error>> {
                let client = self.client;
                let request = self.build()?;
                crate::session::open(client, &Self::OPERATION, request).await
            }
        }

        #[cfg(feature = "websocket")]
        impl<'a> ::std::future::IntoFuture for #name<'a> {
            type Output = ::std::result::Result<crate::session::Session<#send, #receive>, crate::Error<#error>>;
            type IntoFuture = ::std::pin::Pin<::std::boxed::Box<dyn ::std::future::Future<Output = Self::Output> + ::std::marker::Send + 'a>>;

            fn into_future(self) -> Self::IntoFuture {
                ::std::boxed::Box::pin(self.connect())
            }
        }

        #[cfg(feature = "websocket")]
        impl ::std::fmt::Debug for #name<'_> {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(::std::stringify!(#name))
                    .field("operation", &#operation)
                    .finish_non_exhaustive()
            }
        }
    }
}
