//! The support module's client side, reading the answer: decoding each
//! kind of success body, and an unexpected status.

use proc_macro2::TokenStream;
use quote::quote;

pub(super) fn decode() -> TokenStream {
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

pub(super) fn decode_empty() -> TokenStream {
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

pub(super) fn decode_text() -> TokenStream {
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

pub(super) fn decode_bytes() -> TokenStream {
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

pub(super) fn unexpected_status() -> TokenStream {
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

pub(super) fn byte_stream() -> TokenStream {
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
