//! The `client` module: the `Client` struct, its constructors, and one
//! async method per operation.

use super::{docs, ident, rust_type};
use crate::ir::{self, Auth, Docs, ParamLocation, PathPart, TypeRef};
use proc_macro2::TokenStream;
use quote::quote;

pub(super) fn client_rs(api: &ir::Api, uses: &super::Uses) -> TokenStream {
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
    let mut doc = docs(&op.docs);
    if op.deprecated {
        doc.extend(quote! { #[deprecated] });
    }
    // One argument per parameter is the API's shape; clippy's limit of
    // seven (with `self`) is not a reason to hide some of them.
    if 1 + op.params.len() + usize::from(op.body.is_some()) > 7 {
        doc.extend(quote! { #[allow(clippy::too_many_arguments)] });
    }
    let types = quote! { crate::types:: };
    let args = op.params.iter().map(|p| {
        let arg = ident(&p.rust_name);
        let ty = param_type(&p.ty, p.required);
        quote! { #arg: #ty }
    });
    let body_arg = op.body.as_ref().map(|b| {
        let arg = ident(&b.rust_name);
        let (ty, by_ref) = match &b.kind {
            ir::BodyKind::Json(ty)
            | ir::BodyKind::Form(ty)
            | ir::BodyKind::Multipart { ty, .. } => (rust_type(ty, &types), true),
            ir::BodyKind::Text => (quote! { str }, true),
            ir::BodyKind::Bytes => (quote! { ::std::vec::Vec<u8> }, false),
            ir::BodyKind::MultipartForm => (quote! { ::reqwest::multipart::Form }, false),
        };
        let ty = if by_ref {
            quote! { &#ty }
        } else {
            ty
        };
        if b.required {
            quote! { #arg: #ty }
        } else {
            quote! { #arg: ::std::option::Option<#ty> }
        }
    });
    let args = args.chain(body_arg);
    let success = success_type(&op.success);
    let error = match &op.error {
        ir::Response::Json(ty) => rust_type(ty, &types),
        _ => quote! { ::serde_json::Value },
    };

    let url = url_expr(op);
    let method = ident(&op.method);
    let query = query(op);
    let headers = headers(op);
    let body = op.body.as_ref().map(request_body);
    let decode = decode(&op.success);
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

/// The type a method returns on success.
fn success_type(response: &ir::Response) -> TokenStream {
    match response {
        ir::Response::Json(ty) => rust_type(ty, &quote! { crate::types:: }),
        ir::Response::Text => quote! { ::std::string::String },
        ir::Response::Bytes => quote! { ::std::vec::Vec<u8> },
        ir::Response::Empty => quote! { () },
        ir::Response::ByStatus(s) => {
            let name = ident(&s.rust_name);
            quote! { crate::types::#name }
        }
    }
}

/// Turns `status` and `bytes` into the method's result.
fn decode(response: &ir::Response) -> TokenStream {
    let one = |response: &ir::Response| match response {
        ir::Response::Json(_) => quote! { crate::support::decode(status, &bytes) },
        ir::Response::Text => quote! { crate::support::decode_text(status, &bytes) },
        ir::Response::Bytes => quote! { crate::support::decode_bytes(status, bytes) },
        ir::Response::Empty | ir::Response::ByStatus(_) => {
            quote! { crate::support::decode_empty(status, &bytes) }
        }
    };
    let ir::Response::ByStatus(responses) = response else {
        return one(response);
    };
    let name = ident(&responses.rust_name);
    let arms = responses.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let pattern = match v.status {
            ir::StatusMatch::Code(code) => {
                let code = proc_macro2::Literal::u16_unsuffixed(code);
                quote! { #code }
            }
            ir::StatusMatch::Range(class) => {
                let low = proc_macro2::Literal::u16_unsuffixed(class * 100);
                let high = proc_macro2::Literal::u16_unsuffixed(class * 100 + 99);
                quote! { #low..=#high }
            }
        };
        let decode = one(&v.body);
        let map = match &v.body {
            ir::Response::Empty | ir::Response::ByStatus(_) => {
                quote! { .map(|()| crate::types::#name::#variant) }
            }
            _ => quote! { .map(crate::types::#name::#variant) },
        };
        quote! { #pattern => #decode #map, }
    });
    quote! {
        match status.as_u16() {
            #( #arms )*
            _ => crate::support::unexpected_status(status, &bytes),
        }
    }
}

/// Puts the request body on `request`.
fn request_body(b: &ir::RequestBody) -> TokenStream {
    let arg = ident(&b.rust_name);
    let media_type = &b.media_type;
    let content_type = quote! { .header(::reqwest::header::CONTENT_TYPE, #media_type) };
    let set = |body: &TokenStream| match &b.kind {
        // `.json()` sets `application/json` only when no type is set.
        ir::BodyKind::Json(_) if media_type == "application/json" => {
            quote! { request.json(#body) }
        }
        ir::BodyKind::Json(_) => quote! { request #content_type .json(#body) },
        ir::BodyKind::Form(_) => quote! { request.form(#body) },
        ir::BodyKind::Text => {
            quote! { request #content_type .body(::std::borrow::ToOwned::to_owned(#body)) }
        }
        ir::BodyKind::Bytes => quote! { request #content_type .body(#body) },
        // reqwest sets the type, with the boundary it chose.
        ir::BodyKind::MultipartForm => quote! { request.multipart(#body) },
        ir::BodyKind::Multipart { parts, .. } => {
            let parts = parts.iter().map(|part| multipart_part(part, body));
            quote! {{
                let mut form = ::reqwest::multipart::Form::new();
                #( #parts )*
                request.multipart(form)
            }}
        }
    };
    if b.required {
        let set = set(&quote! { #arg });
        quote! { let request = #set; }
    } else {
        let set = set(&quote! { body });
        quote! {
            let request = match #arg {
                ::std::option::Option::Some(body) => #set,
                ::std::option::Option::None => request,
            };
        }
    }
}

/// Adds one field of a multipart body's struct to `form`.
fn multipart_part(part: &ir::MultipartPart, body: &TokenStream) -> TokenStream {
    let field = ident(&part.field);
    let wire = &part.wire_name;
    // `value` is a reference to the field's value.
    let add = |value: TokenStream| match part.encoding {
        ir::PartEncoding::Text => {
            let text = text_of(&part.ty, &value);
            quote! { form = form.text(#wire, #text); }
        }
        ir::PartEncoding::Bytes => quote! {
            form = form.part(#wire, ::reqwest::multipart::Part::bytes(#value.clone()).file_name(#wire));
        },
        ir::PartEncoding::Json => quote! {
            form = form.text(#wire, ::serde_json::to_string(#value).map_err(crate::Error::InvalidRequest)?);
        },
    };
    let add = add(quote! { value });
    match part.presence.options() {
        0 => quote! {
            let value = &#body.#field;
            #add
        },
        1 => quote! {
            if let ::std::option::Option::Some(value) = &#body.#field {
                #add
            }
        },
        _ => quote! {
            if let ::std::option::Option::Some(::std::option::Option::Some(value)) = &#body.#field {
                #add
            }
        },
    }
}

/// The text of a scalar value in a query string, a header or a form part:
/// its `Display`, except that date-times are written as RFC 3339 (what
/// `format: date-time` means), which `chrono`'s `Display` is not.
fn text_of(ty: &TypeRef, value: &TokenStream) -> TokenStream {
    match ty {
        TypeRef::DateTime => {
            quote! { #value.to_rfc3339_opts(::chrono::SecondsFormat::AutoSi, true) }
        }
        TypeRef::Named(_) => quote! { crate::support::to_text(#value)? },
        _ => quote! { #value.to_string() },
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
                encode.push(match &param.ty {
                    TypeRef::String => quote! { let #arg = crate::support::encode_path(#wire, #arg)?; },
                    // `style: simple`, the only style of a path: the items,
                    // each encoded, joined by commas.
                    TypeRef::Vec(item) => {
                        let text = text_of(item, &quote! { item });
                        quote! {
                            let #arg = {
                                let mut items = ::std::vec::Vec::with_capacity(#arg.len());
                                for item in #arg {
                                    items.push(crate::support::encode_path(#wire, &#text)?.to_string());
                                }
                                items.join(",")
                            };
                        }
                    }
                    _ => {
                        let text = text_of(&param.ty, &quote! { #arg });
                        quote! { let #arg = #text; let #arg = crate::support::encode_path(#wire, &#arg)?; }
                    }
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
/// it, then a push for each optional, repeated or object one (a
/// `Vec::new()` followed at once by pushes is what clippy's
/// `vec_init_then_push` objects to). Names are borrowed wire names, unless
/// an object parameter makes names of its own (`filter[status]`).
fn query(op: &ir::Operation) -> Option<TokenStream> {
    let params: Vec<&ir::Param> = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Query)
        .collect();
    if params.is_empty() {
        return None;
    }
    let owned = params.iter().any(|p| p.object_style.is_some());
    let name = |wire: &str| {
        if owned {
            quote! { ::std::string::String::from(#wire) }
        } else {
            quote! { #wire }
        }
    };
    let is_initial = |p: &&&ir::Param| {
        p.required && !matches!(p.ty, TypeRef::Vec(_)) && p.object_style.is_none()
    };
    let initial = params.iter().filter(is_initial).map(|p| {
        let arg = ident(&p.rust_name);
        let name = name(&p.wire_name);
        let text = text_of(&p.ty, &quote! { #arg });
        quote! { (#name, #text) }
    });
    let pushes: Vec<TokenStream> = params
        .iter()
        .filter(|p| !is_initial(p))
        .map(|p| {
            let arg = ident(&p.rust_name);
            let name = name(&p.wire_name);
            let push = |value: TokenStream| match (&p.ty, &p.delimiter) {
                _ if p.object_style.is_some() => object_pairs(p, &value, &name),
                (TypeRef::Vec(item), None) => {
                    let text = text_of(item, &quote! { item });
                    quote! {
                        for item in #value {
                            query.push((#name, #text));
                        }
                    }
                }
                // `to_text` can fail, and `?` cannot leave a closure.
                (TypeRef::Vec(item), Some(delimiter)) if matches!(**item, TypeRef::Named(_)) => {
                    let text = text_of(item, &quote! { item });
                    quote! {
                        let mut items: ::std::vec::Vec<::std::string::String> = ::std::vec::Vec::with_capacity(#value.len());
                        for item in #value {
                            items.push(#text);
                        }
                        query.push((#name, items.join(#delimiter)));
                    }
                }
                (TypeRef::Vec(item), Some(delimiter)) => {
                    let text = text_of(item, &quote! { item });
                    quote! {
                        let items: ::std::vec::Vec<::std::string::String> = #value.iter().map(|item| #text).collect();
                        query.push((#name, items.join(#delimiter)));
                    }
                }
                _ => {
                    let text = text_of(&p.ty, &value);
                    quote! { query.push((#name, #text)); }
                }
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
    let key = if owned {
        quote! { ::std::string::String }
    } else {
        quote! { &str }
    };
    Some(quote! {
        let #mutable query: ::std::vec::Vec<(#key, ::std::string::String)> = ::std::vec![#( #initial ),*];
        #( #pushes )*
        let request = request.query(&query);
    })
}

/// Whether a map parameter's values are written inline, with [`text_of`]
/// (rather than through `support::object_pairs`, which goes through serde).
pub(super) fn inline_map_values(ty: &TypeRef) -> bool {
    ty.is_scalar()
}

/// The pushes of an object parameter: its properties as `(key, text)`
/// pairs, then laid out as its style says. `name` is the parameter's name,
/// as the query's key type.
fn object_pairs(p: &ir::Param, value: &TokenStream, name: &TokenStream) -> TokenStream {
    let pairs = match &p.ty {
        TypeRef::Map(inner) if inline_map_values(inner) => {
            let text = text_of(inner, &quote! { item });
            quote! {
                let pairs: ::std::vec::Vec<(::std::string::String, ::std::string::String)> = #value
                    .iter()
                    .map(|(key, item)| (::std::clone::Clone::clone(key), #text))
                    .collect();
            }
        }
        _ => quote! { let pairs = crate::support::object_pairs(#value)?; },
    };
    let lay_out = match p.object_style {
        Some(ir::ObjectStyle::DeepObject) => {
            let format = format!(
                "{}[{{key}}]",
                p.wire_name.replace('{', "{{").replace('}', "}}")
            );
            quote! {
                query.extend(pairs.into_iter().map(|(key, text)| (::std::format!(#format), text)));
            }
        }
        Some(ir::ObjectStyle::Joined) => {
            let delimiter = p.delimiter.as_deref().unwrap_or(",");
            // An empty object is not sent at all (RFC 6570: it is undefined).
            quote! {
                if !pairs.is_empty() {
                    let items: ::std::vec::Vec<::std::string::String> = pairs.into_iter().flat_map(|(key, text)| [key, text]).collect();
                    query.push((#name, items.join(#delimiter)));
                }
            }
        }
        Some(ir::ObjectStyle::Form) | None => quote! { query.extend(pairs); },
    };
    quote! {
        #pairs
        #lay_out
    }
}

fn headers(op: &ir::Operation) -> TokenStream {
    let sets = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Header)
        .map(|p| {
            let arg = ident(&p.rust_name);
            let wire = &p.wire_name;
            if p.required {
                let text = text_of(&p.ty, &quote! { #arg });
                quote! { let request = request.header(#wire, #text); }
            } else {
                let text = text_of(&p.ty, &quote! { value });
                quote! {
                    let request = match #arg {
                        ::std::option::Option::Some(value) => request.header(#wire, #text),
                        ::std::option::Option::None => request,
                    };
                }
            }
        });
    quote! { #( #sets )* }
}
