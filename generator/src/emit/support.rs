//! The crate's fixed parts: its error type and the private support module
//! (sending requests, decoding responses, percent-encoding, decimals).
//! Only the pieces the API uses are emitted, so none is dead code.

use super::Uses;
use proc_macro2::TokenStream;
use quote::quote;

pub(super) fn error_rs(uses: &Uses) -> TokenStream {
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
    // With no operation, nothing decodes a response.
    let unused = (!uses.operations).then(|| quote! { #[allow(dead_code)] });
    let has_response = uses
        .by_status
        .then(|| quote! { | Self::UnexpectedStatus { response } });
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
        }

        impl<E> ::std::convert::From<::reqwest::Error> for Error<E> {
            fn from(error: ::reqwest::Error) -> Self {
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
                    | Self::ResponseTooLarge { response, .. } #has_response => ::std::option::Option::Some(response),
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
            fn location(&self) -> ::std::string::String {
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

pub(super) fn support_rs(uses: &Uses) -> TokenStream {
    let requests = uses.operations.then(|| requests(uses));
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
    quote! {
        //! What the generated code shares: sending a request, decoding the
        //! answer and encoding path segments (with the `client` feature),
        //! and reading and writing decimals, bytes, integers, nullable fields
        //! and untagged unions (always).

        /// What only the client needs: HTTP.
        #[cfg(feature = "client")]
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

fn string_enum() -> TokenStream {
    quote! {
        /// What every string enum has beyond its variants, the same but for
        /// its name: `FromStr`, `Display`, and serde's `Serialize` and
        /// `Deserialize`, each through the enum's own `as_str` and
        /// `From<&str>` (which keeps a value it does not know). The types
        /// module invokes it once per string enum.
        macro_rules! impl_string_enum {
            ($name:ident) => {
                impl ::std::str::FromStr for $name {
                    type Err = ::std::convert::Infallible;

                    fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                        ::std::result::Result::Ok(Self::from(value))
                    }
                }

                impl ::std::fmt::Display for $name {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(self.as_str())
                    }
                }

                impl ::serde::Serialize for $name {
                    fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                        serializer.serialize_str(self.as_str())
                    }
                }

                impl<'de> ::serde::Deserialize<'de> for $name {
                    fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                        let value = <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)?;
                        ::std::result::Result::Ok(Self::from(value.as_str()))
                    }
                }
            };
        }
        pub(crate) use impl_string_enum;
    }
}

fn untagged() -> TokenStream {
    quote! {
        /// Reading unions told apart by shape, without losing what the
        /// value says.
        pub(crate) mod untagged {
            use ::serde_json::Value;

            /// Reads `value` as the first variant that reads it and keeps
            /// every key it has; when none keeps them all, as the one that
            /// loses fewest (the first of those). `None` when no variant
            /// reads it.
            ///
            /// Variants are tried in the document's order. Serde's own
            /// untagged enums take the first variant that reads a value,
            /// and an object variant reads any object that has its required
            /// keys: an earlier variant with fewer properties would drop
            /// the keys a later one declares.
            pub(crate) fn pick<T: ::serde::Serialize>(
                value: &Value,
                readers: &[fn(&Value) -> ::std::option::Option<T>],
            ) -> ::std::option::Option<T> {
                let mut best: ::std::option::Option<(usize, T)> = ::std::option::Option::None;
                for read in readers {
                    let ::std::option::Option::Some(candidate) = read(value) else {
                        continue;
                    };
                    let lost = match ::serde_json::to_value(&candidate) {
                        ::std::result::Result::Ok(written) => lost(value, &written),
                        ::std::result::Result::Err(_) => usize::MAX,
                    };
                    if lost == 0 {
                        return ::std::option::Option::Some(candidate);
                    }
                    let better = match &best {
                        ::std::option::Option::Some((fewest, _)) => lost < *fewest,
                        ::std::option::Option::None => true,
                    };
                    if better {
                        best = ::std::option::Option::Some((lost, candidate));
                    }
                }
                best.map(|(_, candidate)| candidate)
            }

            /// How many keys, at any depth, `read` has with a value other
            /// than `null` that `written` does not.
            fn lost(read: &Value, written: &Value) -> usize {
                let mut lost = 0;
                let mut stack = vec![(read, written)];
                while let ::std::option::Option::Some((read, written)) = stack.pop() {
                    match (read, written) {
                        (Value::Object(read), Value::Object(written)) => {
                            for (key, value) in read {
                                match written.get(key) {
                                    ::std::option::Option::Some(kept) => stack.push((value, kept)),
                                    ::std::option::Option::None => lost += usize::from(!value.is_null()),
                                }
                            }
                        }
                        (Value::Array(read), Value::Array(written)) => {
                            lost += read.len().saturating_sub(written.len());
                            stack.extend(read.iter().zip(written));
                        }
                        _ => {}
                    }
                }
                lost
            }
        }
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
                decode: $decode:path;
            ) => {
                impl<'a> $name<'a> {
                    /// What the request's [`Hook`](crate::Hook)s and `tracing`
                    /// span see of its operation.
                    pub const OPERATION: crate::Operation = crate::Operation::new($id, $method, $path, $idempotent);

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

fn decode() -> TokenStream {
    quote! {
        /// Decodes a JSON response: the success type for a success status,
        /// the error type otherwise.
        pub(crate) fn decode<T, E>(response: crate::RawResponse) -> ::std::result::Result<crate::Response<T>, Error<E>>
        where
            T: ::serde::de::DeserializeOwned,
            E: ::serde::de::DeserializeOwned,
        {
            if !response.status().is_success() {
                return ::std::result::Result::Err(error_body(response));
            }
            match crate::error::decode_json(response.body()) {
                ::std::result::Result::Ok(body) => ::std::result::Result::Ok(response.with_body(body)),
                ::std::result::Result::Err(source) => ::std::result::Result::Err(Error::InvalidResponse { response, source }),
            }
        }
    }
}

fn decode_empty() -> TokenStream {
    quote! {
        /// Decodes a response whose success carries no body.
        pub(crate) fn decode_empty<E>(response: crate::RawResponse) -> ::std::result::Result<crate::Response<()>, Error<E>>
        where
            E: ::serde::de::DeserializeOwned,
        {
            if response.status().is_success() {
                ::std::result::Result::Ok(response.with_body(()))
            } else {
                ::std::result::Result::Err(error_body(response))
            }
        }
    }
}

fn decode_text() -> TokenStream {
    quote! {
        /// Decodes a response whose success is text (invalid UTF-8 replaced).
        pub(crate) fn decode_text<E>(response: crate::RawResponse) -> ::std::result::Result<crate::Response<::std::string::String>, Error<E>>
        where
            E: ::serde::de::DeserializeOwned,
        {
            if response.status().is_success() {
                let text = response.text().into_owned();
                ::std::result::Result::Ok(response.with_body(text))
            } else {
                ::std::result::Result::Err(error_body(response))
            }
        }
    }
}

fn decode_bytes() -> TokenStream {
    quote! {
        /// Decodes a response whose success is bytes.
        pub(crate) fn decode_bytes<E>(response: crate::RawResponse) -> ::std::result::Result<crate::Response<::std::vec::Vec<u8>>, Error<E>>
        where
            E: ::serde::de::DeserializeOwned,
        {
            if response.status().is_success() {
                ::std::result::Result::Ok(response.into_response())
            } else {
                ::std::result::Result::Err(error_body(response))
            }
        }
    }
}

fn unexpected_status() -> TokenStream {
    quote! {
        /// The result for a status the operation does not document: its
        /// error if it is one, otherwise [`Error::UnexpectedStatus`].
        pub(crate) fn unexpected_status<T, E>(response: crate::RawResponse) -> ::std::result::Result<crate::Response<T>, Error<E>>
        where
            E: ::serde::de::DeserializeOwned,
        {
            if response.status().is_success() {
                ::std::result::Result::Err(Error::UnexpectedStatus { response })
            } else {
                ::std::result::Result::Err(error_body(response))
            }
        }
    }
}

fn to_text() -> TokenStream {
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

fn object_pairs() -> TokenStream {
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

fn nullable() -> TokenStream {
    quote! {
        /// Reads a field that may be absent, `null` or a value: `null` is
        /// `Some(None)` (absent is `None`, through `#[serde(default)]`).
        pub(crate) fn nullable<'de, D, T>(deserializer: D) -> ::std::result::Result<::std::option::Option<::std::option::Option<T>>, D::Error>
        where
            D: ::serde::Deserializer<'de>,
            T: ::serde::Deserialize<'de>,
        {
            <::std::option::Option<T> as ::serde::Deserialize>::deserialize(deserializer).map(::std::option::Option::Some)
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

/// The `option` and `nullable` submodules of a `with` module whose
/// top-level `serialize` and `deserialize` handle `ty`, through a `Repr`
/// newtype that reads with the top-level `deserialize`.
fn with_forms(modes: &super::WithModes, ty: &TokenStream, what: &str) -> TokenStream {
    let repr = (modes.option || modes.nullable).then(|| {
        quote! {
            /// A value read with [`deserialize`], for the `Option` forms.
            struct Repr(#ty);

            impl<'de> ::serde::Deserialize<'de> for Repr {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                    deserialize(deserializer).map(Repr)
                }
            }
        }
    });
    let option_doc = format!(" The same for `Option<{what}>`, `None` being `null`.");
    let option = modes.option.then(|| {
        quote! {
            #[doc = #option_doc]
            pub(crate) mod option {
                use super::Repr;

                pub(crate) fn serialize<S: ::serde::Serializer>(
                    value: &::std::option::Option<#ty>,
                    serializer: S,
                ) -> ::std::result::Result<S::Ok, S::Error> {
                    match value {
                        ::std::option::Option::Some(value) => super::serialize(value, serializer),
                        ::std::option::Option::None => serializer.serialize_none(),
                    }
                }

                pub(crate) fn deserialize<'de, D: ::serde::Deserializer<'de>>(
                    deserializer: D,
                ) -> ::std::result::Result<::std::option::Option<#ty>, D::Error> {
                    let value = <::std::option::Option<Repr> as ::serde::Deserialize>::deserialize(deserializer)?;
                    ::std::result::Result::Ok(value.map(|Repr(value)| value))
                }
            }
        }
    });
    let nullable_doc = format!(
        " The same for `Option<Option<{what}>>`: absent is `None` (with `#[serde(default)]`), `null` is `Some(None)`."
    );
    let nullable = modes.nullable.then(|| {
        quote! {
            #[doc = #nullable_doc]
            pub(crate) mod nullable {
                use super::Repr;

                pub(crate) fn serialize<S: ::serde::Serializer>(
                    value: &::std::option::Option<::std::option::Option<#ty>>,
                    serializer: S,
                ) -> ::std::result::Result<S::Ok, S::Error> {
                    match value {
                        ::std::option::Option::Some(::std::option::Option::Some(value)) => super::serialize(value, serializer),
                        _ => serializer.serialize_none(),
                    }
                }

                pub(crate) fn deserialize<'de, D: ::serde::Deserializer<'de>>(
                    deserializer: D,
                ) -> ::std::result::Result<::std::option::Option<::std::option::Option<#ty>>, D::Error> {
                    let value = <::std::option::Option<Repr> as ::serde::Deserialize>::deserialize(deserializer)?;
                    ::std::result::Result::Ok(::std::option::Option::Some(value.map(|Repr(value)| value)))
                }
            }
        }
    });
    quote! {
        #repr
        #option
        #nullable
    }
}

/// Reading integer fields leniently: a number with no fractional part
/// (`12.0`) is an integer too. A server that moves a field from `integer` to
/// `number` (and writes its floats as `12.0`) does not break older crates.
/// Writing is serde's own.
fn integer(modes: &super::WithModes) -> TokenStream {
    let repr = (modes.option || modes.nullable).then(|| {
        quote! {
            /// A value read with [`deserialize`], for the `Option` forms.
            struct Repr<T>(T);

            impl<'de, T: Integer> ::serde::Deserialize<'de> for Repr<T> {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                    deserialize(deserializer).map(Repr)
                }
            }
        }
    });
    let option = modes.option.then(|| {
        quote! {
            /// The same for `Option<T>`, `None` being `null`.
            pub(crate) mod option {
                use super::{Integer, Repr};

                pub(crate) fn deserialize<'de, D: ::serde::Deserializer<'de>, T: Integer>(
                    deserializer: D,
                ) -> ::std::result::Result<::std::option::Option<T>, D::Error> {
                    let value = <::std::option::Option<Repr<T>> as ::serde::Deserialize>::deserialize(deserializer)?;
                    ::std::result::Result::Ok(value.map(|Repr(value)| value))
                }
            }
        }
    });
    let nullable = modes.nullable.then(|| {
        quote! {
            /// The same for `Option<Option<T>>`: `null` is `Some(None)`
            /// (absent is `None`, through `#[serde(default)]`).
            pub(crate) mod nullable {
                use super::{Integer, Repr};

                pub(crate) fn deserialize<'de, D: ::serde::Deserializer<'de>, T: Integer>(
                    deserializer: D,
                ) -> ::std::result::Result<::std::option::Option<::std::option::Option<T>>, D::Error> {
                    let value = <::std::option::Option<Repr<T>> as ::serde::Deserialize>::deserialize(deserializer)?;
                    ::std::result::Result::Ok(::std::option::Option::Some(value.map(|Repr(value)| value)))
                }
            }
        }
    });
    quote! {
        /// Integers on the wire: read from JSON integers, and from numbers
        /// without a fractional part (`12.0`), so that a server that now
        /// sends a field as a `number` still works with this crate while its
        /// values are whole. Values out of the field's range are refused.
        pub(crate) mod integer {
            /// The integer types a field can have.
            pub(crate) trait Integer: ::std::convert::TryFrom<i64> + ::std::convert::TryFrom<u64> {}

            impl<T: ::std::convert::TryFrom<i64> + ::std::convert::TryFrom<u64>> Integer for T {}

            /// Reads an integer.
            pub(crate) fn deserialize<'de, D: ::serde::Deserializer<'de>, T: Integer>(
                deserializer: D,
            ) -> ::std::result::Result<T, D::Error> {
                deserializer.deserialize_any(IntegerVisitor(::std::marker::PhantomData))
            }

            #repr
            #option
            #nullable

            struct IntegerVisitor<T>(::std::marker::PhantomData<T>);

            impl<T: Integer> ::serde::de::Visitor<'_> for IntegerVisitor<T> {
                type Value = T;

                fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str("an integer in range")
                }

                fn visit_i64<E: ::serde::de::Error>(self, value: i64) -> ::std::result::Result<T, E> {
                    T::try_from(value).map_err(|_| E::invalid_value(::serde::de::Unexpected::Signed(value), &self))
                }

                fn visit_u64<E: ::serde::de::Error>(self, value: u64) -> ::std::result::Result<T, E> {
                    T::try_from(value).map_err(|_| E::invalid_value(::serde::de::Unexpected::Unsigned(value), &self))
                }

                fn visit_f64<E: ::serde::de::Error>(self, value: f64) -> ::std::result::Result<T, E> {
                    // -2^63 <= value < 2^64, and whole: the casts are exact.
                    let whole = value.fract() == 0.0;
                    if whole && (-9_223_372_036_854_775_808.0..0.0).contains(&value) {
                        self.visit_i64(value as i64)
                    } else if whole && (0.0..18_446_744_073_709_551_616.0).contains(&value) {
                        self.visit_u64(value as u64)
                    } else {
                        ::std::result::Result::Err(E::invalid_type(::serde::de::Unexpected::Float(value), &self))
                    }
                }
            }
        }
    }
}

fn decimal(modes: &super::WithModes) -> TokenStream {
    let forms = with_forms(modes, &quote! { ::rust_decimal::Decimal }, "Decimal");
    quote! {
        /// Decimals (money) on the wire: written as strings, so `"2.40"` stays
        /// `"2.40"`; read from strings or numbers. These functions do not
        /// depend on `rust_decimal`'s serde features, which another crate in
        /// the build could change.
        pub(crate) mod decimal {
            use ::rust_decimal::Decimal;

            /// Writes a decimal as a string, keeping its scale.
            pub(crate) fn serialize<S: ::serde::Serializer>(value: &Decimal, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.collect_str(value)
            }

            /// Reads a decimal from a string or a number.
            pub(crate) fn deserialize<'de, D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Decimal, D::Error> {
                deserializer.deserialize_any(DecimalVisitor)
            }

            #forms

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

fn base64(modes: &super::WithModes) -> TokenStream {
    let forms = with_forms(modes, &quote! { ::std::vec::Vec<u8> }, "Vec<u8>");
    quote! {
        /// Bytes on the wire (`format: byte`): written as standard base64;
        /// read from standard or URL-safe base64, padded or not.
        pub(crate) mod base64 {
            use ::base64::Engine as _;

            /// Writes bytes as standard, padded base64.
            pub(crate) fn serialize<S: ::serde::Serializer>(value: &[u8], serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(&::base64::engine::general_purpose::STANDARD.encode(value))
            }

            /// Reads base64, in either alphabet, with or without padding.
            pub(crate) fn deserialize<'de, D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<::std::vec::Vec<u8>, D::Error> {
                use ::base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
                let text = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(deserializer)?;
                let text = text.trim_end_matches('=');
                STANDARD_NO_PAD
                    .decode(text)
                    .or_else(|_| URL_SAFE_NO_PAD.decode(text))
                    .map_err(|_| <D::Error as ::serde::de::Error>::invalid_value(::serde::de::Unexpected::Str(text), &"base64"))
            }

            #forms
        }
    }
}

fn encode_cookie() -> TokenStream {
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

fn byte_stream() -> TokenStream {
    quote! {
        /// Sends a request whose success is a body of bytes, and gives the
        /// body as a stream; an error status is read whole (up to the
        /// client's cap), as the error.
        pub(crate) async fn byte_stream<E: ::serde::de::DeserializeOwned>(
            client: &crate::Client,
            operation: &crate::Operation,
            request: ::reqwest::RequestBuilder,
        ) -> ::std::result::Result<crate::ByteStream, Error<E>> {
            let response = client.open(operation, request).await?;
            if !response.status().is_success() {
                let response = client.read(response).await?;
                return ::std::result::Result::Err(error_body(response));
            }
            ::std::result::Result::Ok(crate::ByteStream::new(response))
        }
    }
}

/// `impl_request!`'s arm for a paginated list: the plain arm, then the
/// list's `pages` and `stream`.
fn pages_arm() -> TokenStream {
    quote! {
        (
            $name:ident;
            success: $success:ty;
            error: $error:ty;
            operation: ($id:literal, $method:literal, $path:literal, $idempotent:literal);
            decode: $decode:path;
            pages: ($item:ty, $items:ident, $token:ident);
        ) => {
            crate::support::impl_request! {
                $name;
                success: $success;
                error: $error;
                operation: ($id, $method, $path, $idempotent);
                decode: $decode;
            }

            impl<'a> $name<'a> {
                /// Every page of the list, one request each, from this request's
                /// page on. Later pages are asked for by the token the page before
                /// gave (and the page size); the stream ends after the page without
                /// a next one, after an error, or with
                /// [`Error::RepeatedPageToken`](crate::Error::RepeatedPageToken) when
                /// the server gives a token again.
                pub fn pages(self) -> impl ::futures_core::Stream<Item = ::std::result::Result<$success, crate::Error<$error>>> + ::std::marker::Send + 'a {
                    crate::support::pages(self, Self::send, |page| crate::support::PageToken::page_token(&page.$token), Self::next_page)
                }

                /// Every item of the list, page after page, as [`Self::pages`] walks
                /// them.
                pub fn stream(self) -> impl ::futures_core::Stream<Item = ::std::result::Result<$item, crate::Error<$error>>> + ::std::marker::Send + 'a {
                    crate::support::items(self.pages(), |page| page.$items)
                }
            }
        };
    }
}

fn pages() -> TokenStream {
    quote! {
        /// A page's next-page token, as its field holds it: absent, or
        /// (when the API says it may be `null`) absent or null.
        pub(crate) trait PageToken {
            /// The token, if there is a next page.
            fn page_token(&self) -> ::std::option::Option<&str>;
        }

        impl PageToken for ::std::option::Option<::std::string::String> {
            fn page_token(&self) -> ::std::option::Option<&str> {
                self.as_deref()
            }
        }

        impl PageToken for ::std::option::Option<::std::option::Option<::std::string::String>> {
            fn page_token(&self) -> ::std::option::Option<&str> {
                self.as_ref().and_then(|token| token.as_deref())
            }
        }

        /// Where a walk over pages is.
        struct Walk<R, F> {
            /// The request for the next page, until there is none.
            next: ::std::option::Option<R>,
            /// The tokens given so far.
            seen: ::std::collections::BTreeSet<::std::string::String>,
            /// A token given twice, to be reported.
            repeated: ::std::option::Option<::std::string::String>,
            /// Sends a request for a page.
            fetch: F,
        }

        /// The pages of a list, one request each: `fetch` sends `first`;
        /// while a page has a next token (`token_of`), the request for it
        /// (`next_page`) follows. An error ends the stream, and so does a
        /// token given twice, as [`Error::RepeatedPageToken`].
        pub(crate) fn pages<'a, R, P, E, F, Fut>(
            first: R,
            fetch: F,
            token_of: fn(&P) -> ::std::option::Option<&str>,
            next_page: fn(R, ::std::string::String) -> R,
        ) -> impl ::futures_core::Stream<Item = ::std::result::Result<P, Error<E>>> + ::std::marker::Send + 'a
        where
            R: ::std::clone::Clone + ::std::marker::Send + 'a,
            P: ::std::marker::Send + 'a,
            E: ::std::marker::Send + 'a,
            F: Fn(R) -> Fut + ::std::marker::Send + 'a,
            Fut: ::std::future::Future<Output = ::std::result::Result<P, Error<E>>> + ::std::marker::Send + 'a,
        {
            let walk = Walk {
                next: ::std::option::Option::Some(first),
                seen: ::std::collections::BTreeSet::new(),
                repeated: ::std::option::Option::None,
                fetch,
            };
            ::futures_util::stream::unfold(walk, move |mut walk| async move {
                if let ::std::option::Option::Some(token) = walk.repeated.take() {
                    return ::std::option::Option::Some((::std::result::Result::Err(Error::RepeatedPageToken { token }), walk));
                }
                let request = walk.next.take()?;
                match (walk.fetch)(::std::clone::Clone::clone(&request)).await {
                    ::std::result::Result::Err(error) => ::std::option::Option::Some((::std::result::Result::Err(error), walk)),
                    ::std::result::Result::Ok(page) => {
                        if let ::std::option::Option::Some(token) = token_of(&page) {
                            if walk.seen.insert(::std::borrow::ToOwned::to_owned(token)) {
                                walk.next = ::std::option::Option::Some(next_page(request, ::std::borrow::ToOwned::to_owned(token)));
                            } else {
                                walk.repeated = ::std::option::Option::Some(::std::borrow::ToOwned::to_owned(token));
                            }
                        }
                        ::std::option::Option::Some((::std::result::Result::Ok(page), walk))
                    }
                }
            })
        }

        /// The items of a stream of pages, in order; an error is passed on.
        pub(crate) fn items<'a, P, T, E>(
            pages: impl ::futures_core::Stream<Item = ::std::result::Result<P, Error<E>>> + ::std::marker::Send + 'a,
            items_of: fn(P) -> ::std::vec::Vec<T>,
        ) -> impl ::futures_core::Stream<Item = ::std::result::Result<T, Error<E>>> + ::std::marker::Send + 'a
        where
            P: ::std::marker::Send + 'a,
            T: ::std::marker::Send + 'a,
            E: ::std::marker::Send + 'a,
        {
            ::futures_util::TryStreamExt::try_flatten(::futures_util::TryStreamExt::map_ok(pages, move |page| {
                ::futures_util::stream::iter(items_of(page).into_iter().map(::std::result::Result::Ok))
            }))
        }
    }
}
