//! The `client` module: the `Client` struct, its constructors, and one
//! async method per operation.

use super::requests::{arg_type, body_arg_type, field_init, item_stream_type};
use super::{docs, ident};
use crate::ir::{self, Docs};
use proc_macro2::TokenStream;
use quote::quote;

pub(super) fn client_rs<'a>(
    api: &'a ir::Api,
    uses: super::Uses,
    crate_name: &'a str,
) -> super::FilePlan<'a> {
    let head: super::Part<'a> = Box::new(move || {
        let client = client_struct(api, &uses, &crate_name.replace('-', "_"));
        // `Client::new()` without arguments: also `Default`.
        let default = (!api.client.auth.token_argument && api.client.default_base_url.is_some())
            .then(|| {
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
        }
    });
    let constructors: super::Part<'a> = Box::new(move || constructors(&api.client, &uses));
    // The methods, one per operation, are most of the file: they are
    // emitted and formatted in parts, as the requests are.
    super::FilePlan {
        path: "src/client.rs",
        parts: vec![head],
        last_impl: Some(super::ImplPlan {
            self_ty: "Client",
            members: std::iter::once(constructors)
                .chain(super::parts_of(&api.operations, method))
                .collect(),
        }),
    }
}

fn client_struct(api: &ir::Api, uses: &super::Uses, crate_ident: &str) -> TokenStream {
    let mut doc = Docs::from_text(&format!(
        "A client for the {}.\n\nCloning a client is cheap: clones share one connection pool \
         and one set of settings. [`Client::builder`] sets the timeouts, retries, request \
         hooks and the response size cap; [`Client::new`] takes the defaults.",
        api.title
    ));
    if !api.client.auth.docs.is_empty() {
        doc.push_paragraph(&api.client.auth.docs.0.join("\n"));
    }
    if let Some(section) = super::examples::calling_section(api, uses, crate_ident) {
        doc.push_paragraph(&section);
    }
    let doc = docs(&doc);
    let credential_setters = super::auth::setters(&api.client.auth);
    let builder_doc = docs(&Docs::from_text(&super::examples::builder_section(
        &api.client,
        crate_ident,
    )));
    quote! {
        #doc
        #[derive(Clone)]
        pub struct Client {
            http: ::reqwest::Client,
            base_url: ::std::string::String,
            credentials: crate::auth::Credentials,
            settings: crate::transport::Settings,
        }

        impl ::std::fmt::Debug for Client {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct("Client")
                    .field("base_url", &self.base_url)
                    .field("credentials", &self.credentials)
                    .field("settings", &self.settings)
                    .finish_non_exhaustive()
            }
        }

        #builder_doc
        #[must_use = "a builder does nothing until `build` is called"]
        pub struct ClientBuilder {
            http: ::std::option::Option<::reqwest::Client>,
            base_url: ::std::string::String,
            credentials: crate::auth::Credentials,
            connect_timeout: ::std::option::Option<::std::time::Duration>,
            settings: crate::transport::Settings,
        }

        impl ::std::fmt::Debug for ClientBuilder {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct("ClientBuilder")
                    .field("base_url", &self.base_url)
                    .field("credentials", &self.credentials)
                    .field("connect_timeout", &self.connect_timeout)
                    .field("settings", &self.settings)
                    .finish_non_exhaustive()
            }
        }

        impl ClientBuilder {
            /// Sends requests to `base_url` (for example a staging server or
            /// a local mock).
            pub fn base_url(mut self, base_url: impl ::std::convert::Into<::std::string::String>) -> Self {
                self.base_url = crate::support::trim_base_url(base_url.into());
                self
            }

            #credential_setters

            /// The longest a request may take, from sending it to reading
            /// the end of its body, per attempt; `None` for no limit. The
            /// default is [`Client::DEFAULT_TIMEOUT`]. A request that takes
            /// longer fails with [`Error::Timeout`](crate::Error::Timeout).
            /// It applies to a download read as a stream too, so a large
            /// one may need more.
            pub fn timeout(mut self, timeout: impl ::std::convert::Into<::std::option::Option<::std::time::Duration>>) -> Self {
                self.settings.timeout = timeout.into();
                self
            }

            /// The longest connecting may take; `None` for no limit. The
            /// default is [`Client::DEFAULT_CONNECT_TIMEOUT`]. It is a
            /// setting of the `reqwest::Client` this builder makes, so it
            /// does not apply to one given with [`Self::http_client`].
            pub fn connect_timeout(mut self, timeout: impl ::std::convert::Into<::std::option::Option<::std::time::Duration>>) -> Self {
                self.connect_timeout = timeout.into();
                self
            }

            /// Retries what is safe to retry, as `retry` says
            /// ([`Retry`](crate::Retry)); without this, every request is
            /// sent once.
            pub fn retry(mut self, retry: crate::Retry) -> Self {
                self.settings.retry = ::std::option::Option::Some(retry);
                self
            }

            /// Adds a [`Hook`](crate::Hook), which changes every request
            /// before it is sent and sees every response. Hooks run in the
            /// order they are added.
            pub fn hook(mut self, hook: impl crate::Hook + 'static) -> Self {
                self.settings.hooks.push(::std::sync::Arc::new(hook));
                self
            }

            /// The largest response body read into memory, in bytes; a
            /// larger one fails with
            /// [`Error::ResponseTooLarge`](crate::Error::ResponseTooLarge)
            /// and is not read. The default is
            /// [`Client::DEFAULT_MAX_RESPONSE_BYTES`]. A download read as a
            /// stream is not capped.
            pub fn max_response_bytes(mut self, limit: u64) -> Self {
                self.settings.max_response_bytes = limit;
                self
            }

            /// The `User-Agent` header of every request. The default is this
            /// crate's name and version.
            pub fn user_agent(mut self, user_agent: ::reqwest::header::HeaderValue) -> Self {
                self.settings.user_agent = user_agent;
                self
            }

            /// Sends with `http` (and its proxies, TLS settings and
            /// connection pool) instead of a `reqwest::Client` of the
            /// builder's own.
            pub fn http_client(mut self, http: ::reqwest::Client) -> Self {
                self.http = ::std::option::Option::Some(http);
                self
            }

            /// The client.
            ///
            /// # Errors
            ///
            /// When the `reqwest::Client` cannot be made: the TLS backend
            /// cannot be initialized.
            pub fn build(self) -> ::std::result::Result<Client, ::reqwest::Error> {
                let http = match self.http {
                    ::std::option::Option::Some(http) => http,
                    ::std::option::Option::None => {
                        let mut http = ::reqwest::Client::builder();
                        if let ::std::option::Option::Some(timeout) = self.connect_timeout {
                            http = http.connect_timeout(timeout);
                        }
                        http.build()?
                    }
                };
                ::std::result::Result::Ok(Client {
                    http,
                    base_url: self.base_url,
                    credentials: self.credentials,
                    settings: self.settings,
                })
            }
        }
    }
}

fn constructors(client: &ir::Client, uses: &super::Uses) -> TokenStream {
    let bearer = client.auth.token_argument;
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
    let credentials_value = match client.auth.schemes.first().filter(|_| bearer) {
        Some(scheme) => {
            let field = ident(&scheme.setter);
            quote! {
                crate::auth::Credentials {
                    #field: ::std::option::Option::Some(crate::auth::Secret::new(token)),
                }
            }
        }
        None => quote! { crate::auth::Credentials::default() },
    };
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
    let target = match &client.default_base_url {
        Some(_) => "[`Self::DEFAULT_BASE_URL`]",
        None => "`base_url`",
    };
    let declared = client.auth.schemes.iter().any(|s| s.declared);
    let who = if bearer {
        format!(
            "A client that sends requests to {target}, authenticated with `token` (sent as `Authorization: Bearer <token>`)."
        )
    } else if declared {
        format!(
            "A client that sends requests to {target} without credentials: [`Self::builder`] takes them, one setter per security scheme."
        )
    } else {
        format!("A client that sends requests to {target}.")
    };
    let new_doc = format!(
        " {who} It has the defaults: a timeout of [`Self::DEFAULT_TIMEOUT`] per request, \
         [`Self::DEFAULT_CONNECT_TIMEOUT`] to connect, no retries, no hooks, and responses \
         of up to [`Self::DEFAULT_MAX_RESPONSE_BYTES`]."
    );
    let builder_doc = if bearer || !declared {
        " A builder for a client with other settings than [`Self::new`]'s: timeouts, retries, request hooks, the response size cap, the user agent, the base URL."
    } else {
        " A builder for a client with credentials, or other settings than [`Self::new`]'s: timeouts, retries, request hooks, the response size cap, the user agent, the base URL."
    };
    let with_http_doc = " Like [`Self::new`], with an existing `reqwest::Client` (and its proxies, TLS settings and connection pool). Requests still time out after [`Self::DEFAULT_TIMEOUT`], which overrides the `reqwest::Client`'s own timeout; [`Self::builder`] with [`ClientBuilder::http_client`] sets another.";
    // With no operation, nothing sends a request.
    let unused = (!uses.operations).then(|| quote! { #[allow(dead_code)] });
    let auth_header = quote! {
        /// A request to `path` under the base URL, with the client's user
        /// agent and timeout, and the credentials of the first of
        /// `security` the client was given.
        #unused
        pub(crate) fn request(&self, method: ::reqwest::Method, path: &str, security: &[&[crate::auth::Scheme]]) -> ::reqwest::RequestBuilder {
            let request = self.http.request(method, format!("{}{}", self.base_url, path))
                .header(::reqwest::header::USER_AGENT, self.settings.user_agent.clone());
            let request = self.credentials.authorize(request, security);
            match self.settings.timeout {
                ::std::option::Option::Some(timeout) => request.timeout(timeout),
                ::std::option::Option::None => request,
            }
        }

        /// Sends a request, with the client's retries and hooks, and reads
        /// its answer whole.
        #unused
        pub(crate) async fn execute(
            &self,
            operation: &crate::Operation,
            request: ::reqwest::RequestBuilder,
        ) -> ::std::result::Result<crate::RawResponse, crate::transport::Failure> {
            crate::transport::execute(&self.http, &self.settings, operation, request).await
        }
    };
    // Only sessions may use these, and only with their feature.
    let only_sessions = (!uses.bytes_success).then(|| quote! { #[cfg(feature = "websocket")] });
    let streams = (uses.bytes_success || uses.sessions).then(|| {
        quote! {
            /// Sends a request, with the client's retries and hooks, and
            /// gives its answer with the body unread.
            #only_sessions
            pub(crate) async fn open(
                &self,
                operation: &crate::Operation,
                request: ::reqwest::RequestBuilder,
            ) -> ::std::result::Result<::reqwest::Response, crate::transport::Failure> {
                crate::transport::open(&self.http, &self.settings, operation, request).await
            }

            /// Reads an answer's body whole, up to the client's cap.
            #only_sessions
            pub(crate) async fn read(&self, response: ::reqwest::Response) -> ::std::result::Result<crate::RawResponse, crate::transport::Failure> {
                crate::transport::read(response, self.settings.max_response_bytes).await
            }
        }
    });
    quote! {
        #default_const

        /// The default timeout of a request, from sending it to reading the
        /// end of its body, per attempt: 60 seconds.
        pub const DEFAULT_TIMEOUT: ::std::time::Duration = ::std::time::Duration::from_secs(60);

        /// The default timeout of connecting: 10 seconds.
        pub const DEFAULT_CONNECT_TIMEOUT: ::std::time::Duration = ::std::time::Duration::from_secs(10);

        /// The default cap on a response body read into memory: 64 MiB.
        pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 64 * 1024 * 1024;

        #[doc = #new_doc]
        ///
        /// # Panics
        ///
        /// When the TLS backend cannot be initialized; use [`Self::builder`] to handle that.
        pub fn new(#base_url_arg #token_arg) -> Self {
            match Self::builder(#( #forwarded ),*).build() {
                ::std::result::Result::Ok(client) => client,
                ::std::result::Result::Err(error) => panic!("the HTTP client could not be made: {error}"),
            }
        }

        #[doc = #builder_doc]
        pub fn builder(#base_url_arg #token_arg) -> ClientBuilder {
            ClientBuilder {
                http: ::std::option::Option::None,
                base_url: #base_url_value,
                credentials: #credentials_value,
                connect_timeout: ::std::option::Option::Some(Self::DEFAULT_CONNECT_TIMEOUT),
                settings: crate::transport::Settings {
                    timeout: ::std::option::Option::Some(Self::DEFAULT_TIMEOUT),
                    retry: ::std::option::Option::None,
                    hooks: ::std::vec::Vec::new(),
                    max_response_bytes: Self::DEFAULT_MAX_RESPONSE_BYTES,
                    user_agent: ::reqwest::header::HeaderValue::from_static(concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"))),
                },
            }
        }

        #[doc = #with_http_doc]
        pub fn with_http_client(http: ::reqwest::Client, #base_url_arg #token_arg) -> Self {
            let builder = Self::builder(#( #forwarded ),*);
            Client {
                http,
                base_url: builder.base_url,
                credentials: builder.credentials,
                settings: builder.settings,
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
        #streams
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
    let feature = op
        .session
        .is_some()
        .then(|| quote! { #[cfg(feature = "websocket")] });
    quote! {
        #doc
        #feature
        pub fn #name<'a>(&'a self, #( #args ),*) -> crate::requests::#request<'a> {
            crate::requests::#request {
                client: self,
                #fields
            }
        }
        #stream
    }
}
