//! The generated crate's `src/error.rs`: its one error type, with only the
//! variants the API can produce.

use crate::emit::Uses;
use proc_macro2::TokenStream;
use quote::quote;

pub(in crate::emit) fn error_rs(uses: &Uses) -> TokenStream {
    let encodes = uses.multipart || uses.to_text || uses.object_pairs;
    let invalid_request = encodes.then(|| {
        quote! {
            /// A parameter or the request body could not be encoded. Nothing
            /// was sent.
            #[error("the request could not be encoded")]
            InvalidRequest(#[source] ::serde_json::Error),
        }
    });
    let unexpected_status = uses.by_status.then(|| {
        quote! {
            /// The server answered with a success status that the API does not
            /// document for the operation, so the body's type is not known.
            #[error("the server answered {}, which the API does not document for this operation", response.status())]
            UnexpectedStatus {
                /// The response, with its raw body.
                response: crate::RawResponse,
            },
        }
    });
    let repeated_page_token = uses.pagination.then(|| {
        quote! {
            /// A paginated list gave a next-page token it had given before:
            /// walking on would ask for the same pages forever, so the walk
            /// stops here.
            #[error("the server gave the page token {token:?} a second time; the pages would repeat forever")]
            RepeatedPageToken {
                /// The token given twice.
                token: ::std::string::String,
            },
        }
    });
    let not_upgraded = uses.sessions.then(|| {
        quote! {
            /// The server answered a WebSocket operation's upgrade with a
            /// status that is not an error, but did not open the session
            /// (no `101 Switching Protocols`, or no proof of the key).
            #[error("the server answered {} and did not open the WebSocket session", response.status())]
            NotUpgraded {
                /// The response, with its raw body.
                response: crate::RawResponse,
            },
        }
    });
    // With no operation, nothing decodes a response.
    let unused = (!uses.operations).then(|| quote! { #[allow(dead_code)] });
    let has_response = uses
        .by_status
        .then(|| quote! { | Self::UnexpectedStatus { response } });
    let upgrade_response = uses
        .sessions
        .then(|| quote! { | Self::NotUpgraded { response } });
    quote! {
        //! The error every client method returns.

        /// Why a request did not return the expected response.
        ///
        /// `E` is the type of the error body the API documents for the
        /// operation. Every error that comes after a response keeps it
        /// whole: [`Self::response`] gives its status, its headers and its
        /// raw body. New kinds of failure may be added, so a `match` needs
        /// a `_` arm.
        #[derive(Debug, ::thiserror::Error)]
        #[non_exhaustive]
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
            /// A request [`Hook`](crate::Hook) refused to let the request
            /// go. Nothing more was sent.
            #[error("a request hook stopped the request")]
            Hook(#[source] crate::HookError),
            /// The request took longer than the client's timeout
            /// ([`ClientBuilder::timeout`](crate::ClientBuilder::timeout)),
            /// or could not connect within its connect timeout.
            #[error("the request timed out")]
            Timeout(#[source] ::reqwest::Error),
            /// The request could not be sent, or the response could not be read.
            #[error("the request could not be completed")]
            Transport(#[source] ::reqwest::Error),
            /// The response's body is larger than the client's cap
            /// ([`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes)),
            /// so it was not read.
            #[error("the server answered {} with a body larger than the client's cap of {limit} bytes (ClientBuilder::max_response_bytes)", response.status())]
            ResponseTooLarge {
                /// The response's status and headers; its body was not read.
                response: crate::RawResponse,
                /// The cap, in bytes.
                limit: u64,
            },
            /// The server answered with an error status and a body of the
            /// documented error type.
            #[error("the server answered {}: {body:?}", response.status())]
            Api {
                /// The decoded error body.
                body: E,
                /// The response, with its raw body.
                response: crate::RawResponse,
            },
            /// The server answered with an error status and a body that is not
            /// of the documented error type.
            #[error("the server answered {} with an undocumented body", response.status())]
            UnexpectedResponse {
                /// The response, with its raw body.
                response: crate::RawResponse,
            },
            /// The server answered with a success status, but the body could
            /// not be decoded into the documented type.
            #[error("the server answered {} with a body that does not decode, at {}", response.status(), source.location())]
            InvalidResponse {
                /// The response, with its raw body.
                response: crate::RawResponse,
                /// Where decoding failed, and why.
                #[source]
                source: crate::DecodeError,
            },
            #invalid_request
            #unexpected_status
            #repeated_page_token
            #not_upgraded
        }

        impl<E> ::std::convert::From<::reqwest::Error> for Error<E> {
            fn from(error: ::reqwest::Error) -> Self {
                let error = crate::transport::without_secrets(error);
                if error.is_timeout() {
                    Self::Timeout(error)
                } else {
                    Self::Transport(error)
                }
            }
        }

        impl<E> Error<E> {
            /// The response, when the error came after one: its status, its
            /// headers and its raw body (empty when it was too large to
            /// read).
            pub fn response(&self) -> ::std::option::Option<&crate::RawResponse> {
                match self {
                    Self::Api { response, .. }
                    | Self::UnexpectedResponse { response }
                    | Self::InvalidResponse { response, .. }
                    | Self::ResponseTooLarge { response, .. } #has_response #upgrade_response => ::std::option::Option::Some(response),
                    _ => ::std::option::Option::None,
                }
            }

            /// The response status, when there was a response.
            pub fn status(&self) -> ::std::option::Option<::reqwest::StatusCode> {
                match self {
                    Self::Transport(error) | Self::Timeout(error) => error.status(),
                    _ => self.response().map(crate::RawResponse::status),
                }
            }

            /// The response headers, when there was a response.
            pub fn headers(&self) -> ::std::option::Option<&::reqwest::header::HeaderMap> {
                self.response().map(crate::RawResponse::headers)
            }

            /// Whether the request timed out.
            pub fn is_timeout(&self) -> bool {
                matches!(self, Self::Timeout(_))
            }
        }

        /// Why a body does not decode into its type: where in the body, as
        /// a JSON pointer (`/items/3/price`), and what serde said, with the
        /// line and column.
        #[derive(Debug)]
        pub struct DecodeError {
            pointer: ::std::string::String,
            source: ::serde_json::Error,
        }

        impl DecodeError {
            /// The JSON pointer of the value that failed (`""` for the
            /// whole body).
            pub fn pointer(&self) -> &str {
                &self.pointer
            }

            /// What serde said.
            pub fn serde_error(&self) -> &::serde_json::Error {
                &self.source
            }

            /// "`/a/b`", or "the top level".
            pub(crate) fn location(&self) -> ::std::string::String {
                if self.pointer.is_empty() {
                    ::std::borrow::ToOwned::to_owned("the top level")
                } else {
                    format!("`{}`", self.pointer)
                }
            }
        }

        impl ::std::fmt::Display for DecodeError {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.source, f)
            }
        }

        impl ::std::error::Error for DecodeError {}

        /// Decodes JSON, and says where it failed.
        #unused
        pub(crate) fn decode_json<T: ::serde::de::DeserializeOwned>(bytes: &[u8]) -> ::std::result::Result<T, DecodeError> {
            ::serde_json::from_slice(bytes).map_err(|source| DecodeError {
                pointer: pointer_at(bytes, source.line(), source.column()),
                source,
            })
        }

        /// The JSON pointer of the value open at `line` and `column` of
        /// `bytes` (1-based, in bytes, as serde_json reports where it
        /// failed): the keys and indices that lead to it. A failure is
        /// reported at or just after the value it is about, so that value
        /// is the one named; a missing field is reported after its
        /// object's `}`, so the object is. It reads the text, not the
        /// types, so a crate has one copy of it, not one per type.
        #unused
        fn pointer_at(bytes: &[u8], line: usize, column: usize) -> ::std::string::String {
            /// A container open at the position.
            enum Open {
                /// An object, and the key whose value is being read.
                Object(::std::option::Option<::std::string::String>),
                /// An array, the index of its current item, and whether that
                /// item has begun.
                Array(usize, bool),
            }
            let mut start = 0;
            for _ in 1..line {
                match bytes[start..].iter().position(|&b| b == b'\n') {
                    ::std::option::Option::Some(at) => start += at + 1,
                    ::std::option::Option::None => break,
                }
            }
            let end = (start + column).min(bytes.len());
            let mut open: ::std::vec::Vec<Open> = ::std::vec::Vec::new();
            let mut at = 0;
            while at < end {
                let byte = bytes[at];
                if let ::std::option::Option::Some(Open::Array(_, begun @ false)) = open.last_mut() {
                    if !matches!(byte, b' ' | b'\t' | b'\r' | b'\n' | b']') {
                        *begun = true;
                    }
                }
                match byte {
                    b'{' => open.push(Open::Object(::std::option::Option::None)),
                    b'[' => open.push(Open::Array(0, false)),
                    b'}' | b']' => {
                        open.pop();
                    }
                    b',' => match open.last_mut() {
                        ::std::option::Option::Some(Open::Array(index, begun)) => {
                            *index += 1;
                            *begun = false;
                        }
                        ::std::option::Option::Some(Open::Object(key)) => *key = ::std::option::Option::None,
                        ::std::option::Option::None => {}
                    },
                    b'"' => {
                        let text = at + 1;
                        at = text;
                        while at < bytes.len() && bytes[at] != b'"' {
                            at += if bytes[at] == b'\\' { 2 } else { 1 };
                        }
                        if let ::std::option::Option::Some(Open::Object(key @ ::std::option::Option::None)) = open.last_mut() {
                            let raw = &bytes[text..at.min(bytes.len())];
                            *key = ::std::option::Option::Some(::serde_json::from_slice::<::std::string::String>(&[b"\"", raw, b"\""].concat())
                                .unwrap_or_else(|_| ::std::string::String::from_utf8_lossy(raw).into_owned()));
                        }
                    }
                    _ => {}
                }
                at += 1;
            }
            let mut pointer = ::std::string::String::new();
            for container in &open {
                match container {
                    Open::Object(::std::option::Option::Some(key)) => {
                        pointer.push('/');
                        pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
                    }
                    Open::Array(index, true) => {
                        pointer.push('/');
                        pointer.push_str(&index.to_string());
                    }
                    _ => {}
                }
            }
            pointer
        }
    }
}
