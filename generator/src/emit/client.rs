//! The `client` module: the `Client` struct, its constructors, and one
//! async method per operation.

use super::requests::{arg_type, body_arg_type, field_init, item_stream_type};
use super::{docs, ident};
use crate::ir::{self, Auth, Docs};
use proc_macro2::TokenStream;
use quote::quote;

pub(super) fn client_rs(api: &ir::Api, uses: &super::Uses, crate_name: &str) -> TokenStream {
    let client = client_struct(api, &crate_name.replace('-', "_"));
    let constructors = constructors(&api.client);
    let methods = api.operations.iter().map(method);
    // `Client::new()` without arguments: also `Default`.
    let default =
        (api.client.auth == Auth::None && api.client.default_base_url.is_some()).then(|| {
            quote! {
                impl ::std::default::Default for Client {
                    fn default() -> Self {
                        Self::new()
                    }
                }
            }
        });
    // Deprecated types and methods stay usable here; their users are warned.
    let allow = uses.deprecated.then(|| quote! { #![allow(deprecated)] });
    quote! {
        //! The API client.
        #allow
        #client
        #default

        impl Client {
            #constructors
            #( #methods )*
        }
    }
}

fn client_struct(api: &ir::Api, crate_ident: &str) -> TokenStream {
    let bearer = api.client.auth == Auth::Bearer;
    let mut doc = Docs::from_text(&format!(
        "A client for the {}.\n\nCloning a client is cheap: clones share one connection pool.",
        api.title
    ));
    if let Some(section) = super::examples::calling_section(api, crate_ident) {
        doc.push_paragraph(&section);
    }
    let doc = docs(&doc);
    let token_field = bearer.then(|| quote! { token: ::std::string::String, });
    let token_debug = bearer.then(|| quote! { .field("token", &"<redacted>") });
    quote! {
        #doc
        #[derive(Clone)]
        pub struct Client {
            http: ::reqwest::Client,
            base_url: ::std::string::String,
            #token_field
        }

        impl ::std::fmt::Debug for Client {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct("Client")
                    .field("base_url", &self.base_url)
                    #token_debug
                    .finish_non_exhaustive()
            }
        }
    }
}

fn constructors(client: &ir::Client) -> TokenStream {
    let bearer = client.auth == Auth::Bearer;
    // The arguments every constructor takes: the base URL when the document
    // names none, the token when the API uses one.
    let base_url_arg = client
        .default_base_url
        .is_none()
        .then(|| quote! { base_url: impl ::std::convert::Into<::std::string::String>, });
    let token_arg =
        bearer.then(|| quote! { token: impl ::std::convert::Into<::std::string::String>, });
    let base_url_value = match &client.default_base_url {
        Some(_) => quote! { ::std::borrow::ToOwned::to_owned(Self::DEFAULT_BASE_URL) },
        None => quote! { crate::support::trim_base_url(base_url.into()) },
    };
    let token_value = bearer.then(|| quote! { token: token.into(), });
    let forwarded: Vec<TokenStream> = [
        client
            .default_base_url
            .is_none()
            .then(|| quote! { base_url }),
        bearer.then(|| quote! { token }),
    ]
    .into_iter()
    .flatten()
    .collect();
    let default_const = client.default_base_url.as_ref().map(|url| {
        let doc = format!(" The base URL requests go to unless another is set: `{url}`.");
        quote! {
            #[doc = #doc]
            pub const DEFAULT_BASE_URL: &'static str = #url;
        }
    });
    let who = match (&client.default_base_url, bearer) {
        (Some(_), true) => {
            "A client that sends requests to [`Self::DEFAULT_BASE_URL`], authenticated with `token` (sent as `Authorization: Bearer <token>`)."
        }
        (Some(_), false) => "A client that sends requests to [`Self::DEFAULT_BASE_URL`].",
        (None, true) => {
            "A client that sends requests to `base_url`, authenticated with `token` (sent as `Authorization: Bearer <token>`)."
        }
        (None, false) => "A client that sends requests to `base_url`.",
    };
    let new_doc = format!(" {who}");
    let with_http_doc = " Like [`Self::new`], with an existing `reqwest::Client` (and its timeouts, proxies and TLS settings).";
    let authorize = if bearer {
        quote! { .bearer_auth(&self.token) }
    } else {
        quote! {}
    };
    let auth_header = quote! {
        /// A request to `path` under the base URL, with the client's credentials.
        pub(crate) fn request(&self, method: ::reqwest::Method, path: &str) -> ::reqwest::RequestBuilder {
            self.http.request(method, format!("{}{}", self.base_url, path)) #authorize
        }
    };
    quote! {
        #default_const

        #[doc = #new_doc]
        ///
        /// # Panics
        ///
        /// When the TLS backend cannot be initialized; use [`Self::with_http_client`] to handle that.
        pub fn new(#base_url_arg #token_arg) -> Self {
            Self::with_http_client(::reqwest::Client::new(), #( #forwarded ),*)
        }

        #[doc = #with_http_doc]
        pub fn with_http_client(http: ::reqwest::Client, #base_url_arg #token_arg) -> Self {
            Self {
                http,
                base_url: #base_url_value,
                #token_value
            }
        }

        /// Sends requests to `base_url` instead (for example a staging server or a local mock).
        pub fn with_base_url(mut self, base_url: impl ::std::convert::Into<::std::string::String>) -> Self {
            self.base_url = crate::support::trim_base_url(base_url.into());
            self
        }

        /// The base URL requests go to.
        pub fn base_url(&self) -> &str {
            &self.base_url
        }

        /// The underlying `reqwest::Client`.
        pub fn http_client(&self) -> &::reqwest::Client {
            &self.http
        }

        #auth_header
    }
}

/// The method of one operation: it takes the path parameters, the required
/// parameters and a required body, and returns the request, whose setters
/// take the rest.
fn method(op: &ir::Operation) -> TokenStream {
    let name = ident(&op.rust_name);
    let request = ident(&op.request_name);
    let mut doc = docs(&op.docs);
    if op.deprecated {
        doc.extend(quote! { #[deprecated] });
    }
    let positional: Vec<(&str, TokenStream)> = op
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| (p.rust_name.as_str(), arg_type(&p.ty)))
        .chain(
            op.body
                .as_ref()
                .filter(|b| b.required)
                .map(|b| (b.rust_name.as_str(), body_arg_type(b))),
        )
        .collect();
    // One argument per required parameter is the API's shape; clippy's
    // limit of seven (with `self`) is not a reason to hide some of them.
    if 1 + positional.len() > 7 {
        doc.extend(quote! { #[allow(clippy::too_many_arguments)] });
    }
    let args = positional.iter().map(|(arg, ty)| {
        let arg = ident(arg);
        quote! { #arg: #ty }
    });
    let fields = field_init(op);
    let stream = op.pagination.as_ref().and_then(|pagination| {
        let stream_name = ident(pagination.stream_method.as_ref()?);
        let item = item_stream_type(op, pagination);
        let args = positional.iter().map(|(arg, ty)| {
            let arg = ident(arg);
            quote! { #arg: #ty }
        });
        let forwarded = positional.iter().map(|(arg, _)| ident(arg));
        let method = crate::naming::unraw(&op.rust_name);
        let doc = format!(
            " Every item of [`Self::{method}`], page after page: `self.{method}(..).stream()`. \
             To set its optional parameters (a page size), call that instead."
        );
        let allow =
            (1 + positional.len() > 7).then(|| quote! { #[allow(clippy::too_many_arguments)] });
        let deprecated = op.deprecated.then(|| quote! { #[deprecated] });
        Some(quote! {
            #[doc = #doc]
            #deprecated
            #allow
            pub fn #stream_name<'a>(&'a self, #( #args ),*) -> #item {
                self.#name(#( #forwarded ),*).stream()
            }
        })
    });
    quote! {
        #doc
        pub fn #name<'a>(&'a self, #( #args ),*) -> crate::requests::#request<'a> {
            crate::requests::#request {
                client: self,
                #fields
            }
        }
        #stream
    }
}
