//! The `client` module: the `Client` struct, its constructors, and one
//! async method per operation.

use super::{docs, ident, rust_type};
use crate::ir::{self, Auth, Docs, ParamLocation, PathPart, TypeRef};
use proc_macro2::TokenStream;
use quote::quote;

pub(super) fn client_rs(api: &ir::Api) -> TokenStream {
    let client = client_struct(api);
    let constructors = constructors(&api.client);
    let methods = api.operations.iter().map(|op| operation(op, &api.client));
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
    quote! {
        //! The API client.
        #client
        #default

        impl Client {
            #constructors
            #( #methods )*
        }
    }
}

fn client_struct(api: &ir::Api) -> TokenStream {
    let bearer = api.client.auth == Auth::Bearer;
    let doc = Docs::from_text(&format!(
        "A client for the {}.\n\nCloning a client is cheap: clones share one connection pool.",
        api.title
    ));
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
    let auth_header = bearer.then(|| {
        quote! {
            /// Adds the `Authorization` header.
            fn authorize(&self, request: ::reqwest::RequestBuilder) -> ::reqwest::RequestBuilder {
                request.bearer_auth(&self.token)
            }
        }
    });
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

fn operation(op: &ir::Operation, client: &ir::Client) -> TokenStream {
    let name = ident(&op.rust_name);
    let doc = docs(&op.docs);
    let types = quote! { crate::types:: };
    let args = op.params.iter().map(|p| {
        let arg = ident(&p.rust_name);
        let ty = param_type(&p.ty, p.required);
        quote! { #arg: #ty }
    });
    let body_arg = op.body.as_ref().map(|b| {
        let arg = ident(&b.rust_name);
        let ty = rust_type(&b.ty, &types);
        if b.required {
            quote! { #arg: &#ty }
        } else {
            quote! { #arg: ::std::option::Option<&#ty> }
        }
    });
    let args = args.chain(body_arg);
    let success = match &op.success {
        ir::Response::Json(ty) => rust_type(ty, &types),
        ir::Response::Empty => quote! { () },
    };
    let error = match &op.error {
        ir::Response::Json(ty) => rust_type(ty, &types),
        ir::Response::Empty => quote! { ::serde_json::Value },
    };

    let url = url_expr(op);
    let method = ident(&op.method);
    let query = query(op);
    let headers = headers(op);
    let body = op.body.as_ref().map(|b| {
        let arg = ident(&b.rust_name);
        if b.required {
            quote! { let request = request.json(#arg); }
        } else {
            quote! {
                let request = match #arg {
                    ::std::option::Option::Some(body) => request.json(body),
                    ::std::option::Option::None => request,
                };
            }
        }
    });
    let decode = match &op.success {
        ir::Response::Json(_) => quote! { crate::support::decode(status, &bytes) },
        ir::Response::Empty => quote! { crate::support::decode_empty(status, &bytes) },
    };
    let request = match client.auth {
        Auth::Bearer => quote! { self.authorize(request) },
        Auth::None => quote! { request },
    };
    quote! {
        #doc
        pub async fn #name(&self, #( #args ),*) -> ::std::result::Result<#success, crate::Error<#error>> {
            #url
            let request = self.http.request(::reqwest::Method::#method, url);
            #query
            #headers
            #body
            let (status, bytes) = crate::support::execute(#request).await?;
            #decode
        }
    }
}

/// The argument type of a parameter: strings by `&str`, small `Copy` values
/// by value, anything else by reference.
fn param_type(ty: &TypeRef, required: bool) -> TokenStream {
    let inner = match ty {
        TypeRef::String => quote! { &str },
        TypeRef::Vec(item) => {
            let item = rust_type(item, &quote! { crate::types:: });
            quote! { &[#item] }
        }
        ty if ty.is_copy() => rust_type(ty, &quote! { crate::types:: }),
        ty => {
            let ty = rust_type(ty, &quote! { crate::types:: });
            quote! { &#ty }
        }
    };
    if required {
        inner
    } else {
        quote! { ::std::option::Option<#inner> }
    }
}

/// Binds each path parameter, percent-encoded, to a local of its own name,
/// then `format!`s the URL from plain identifiers (which reads better than
/// expressions inside a macro).
fn url_expr(op: &ir::Operation) -> TokenStream {
    let mut template = String::from("{}");
    let mut encode = Vec::new();
    let mut values = vec![quote! { self.base_url }];
    for part in &op.path {
        match part {
            PathPart::Literal(text) => {
                template.push_str(&text.replace('{', "{{").replace('}', "}}"))
            }
            PathPart::Param(name) => {
                template.push_str("{}");
                let param = op
                    .params
                    .iter()
                    .find(|p| &p.rust_name == name)
                    .expect("lowering pairs path parts with params");
                let arg = ident(name);
                let wire = &param.wire_name;
                encode.push(match param.ty {
                    TypeRef::String => quote! { let #arg = crate::support::encode_path(#wire, #arg)?; },
                    _ => quote! { let #arg = #arg.to_string(); let #arg = crate::support::encode_path(#wire, &#arg)?; },
                });
                values.push(quote! { #arg });
            }
        }
    }
    quote! {
        #( #encode )*
        let url = format!(#template, #( #values ),*);
    }
}

/// The query string: required scalar parameters in the `vec!` that starts
/// it, then a push for each optional or repeated one (a `Vec::new()` followed
/// at once by pushes is what clippy's `vec_init_then_push` objects to).
fn query(op: &ir::Operation) -> Option<TokenStream> {
    let params: Vec<&ir::Param> = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Query)
        .collect();
    if params.is_empty() {
        return None;
    }
    let is_initial = |p: &&&ir::Param| p.required && !matches!(p.ty, TypeRef::Vec(_));
    let initial = params.iter().filter(is_initial).map(|p| {
        let arg = ident(&p.rust_name);
        let wire = &p.wire_name;
        quote! { (#wire, #arg.to_string()) }
    });
    let pushes: Vec<TokenStream> = params
        .iter()
        .filter(|p| !is_initial(p))
        .map(|p| {
            let arg = ident(&p.rust_name);
            let wire = &p.wire_name;
            let push = |value: TokenStream| match &p.ty {
                TypeRef::Vec(_) => quote! {
                    for item in #value {
                        query.push((#wire, item.to_string()));
                    }
                },
                _ => quote! { query.push((#wire, #value.to_string())); },
            };
            if p.required {
                push(quote! { #arg })
            } else {
                let push = push(quote! { value });
                quote! {
                    if let ::std::option::Option::Some(value) = #arg {
                        #push
                    }
                }
            }
        })
        .collect();
    let mutable = (!pushes.is_empty()).then(|| quote! { mut });
    Some(quote! {
        let #mutable query: ::std::vec::Vec<(&str, ::std::string::String)> = ::std::vec![#( #initial ),*];
        #( #pushes )*
        let request = request.query(&query);
    })
}

fn headers(op: &ir::Operation) -> TokenStream {
    let sets = op.params.iter().filter(|p| p.location == ParamLocation::Header).map(|p| {
        let arg = ident(&p.rust_name);
        let wire = &p.wire_name;
        if p.required {
            quote! { let request = request.header(#wire, #arg.to_string()); }
        } else {
            quote! {
                let request = match #arg {
                    ::std::option::Option::Some(value) => request.header(#wire, value.to_string()),
                    ::std::option::Option::None => request,
                };
            }
        }
    });
    quote! { #( #sets )* }
}
