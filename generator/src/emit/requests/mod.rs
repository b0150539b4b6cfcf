//! The `requests` module: one type per operation, which the client's method
//! returns. It holds the arguments, has a setter per optional parameter,
//! and is sent when it is awaited (`IntoFuture`), so a parameter the API
//! adds later is one more setter and breaks no call. How each part of the
//! request goes on the wire (URL, query, headers, cookies, body) is in
//! `parts.rs`.

mod parts;

use super::{docs, ident, rust_type};
use parts::{cookies, headers, query, request_body, url_expr};

use crate::ir::{self, Docs, ParamLocation, TypeRef};
pub(super) use parts::inline_map_values;
use proc_macro2::TokenStream;
use quote::quote;

pub(super) fn requests_rs(api: &ir::Api, uses: super::Uses) -> super::FilePlan<'_> {
    let head: super::Part<'_> = Box::new(move || {
        let allow = uses.deprecated.then(|| quote! { #![allow(deprecated)] });
        quote! {
            //! The requests the [`Client`](crate::Client)'s methods return.
            //!
            //! A request holds the method's arguments. Its setters add the
            //! optional parameters; awaiting it sends it and gives the decoded
            //! body. Each request's `send_with_response` gives the response's
            //! status and headers as well.
            #allow
        }
    });
    super::FilePlan {
        path: "src/requests.rs",
        parts: std::iter::once(head)
            .chain(super::parts_of(&api.operations, request))
            .collect(),
        last_impl: None,
    }
}

/// How a method takes an argument of a type: strings by `&str`, lists by
/// slice, small `Copy` values by value, anything else by reference.
pub(super) enum Passed<'t> {
    /// `&str`.
    Str,
    /// `&[item]`.
    Slice(&'t TypeRef),
    /// The type itself.
    Value(&'t TypeRef),
    /// `&type`.
    Ref(&'t TypeRef),
}

impl Passed<'_> {
    pub(super) fn of(ty: &TypeRef) -> Passed<'_> {
        match ty {
            TypeRef::String => Passed::Str,
            TypeRef::Vec(item) => Passed::Slice(item),
            ty if ty.is_copy() => Passed::Value(ty),
            ty => Passed::Ref(ty),
        }
    }
}

/// What a method's required argument of this type is (see [`Passed`]).
pub(super) fn arg_type(ty: &TypeRef) -> TokenStream {
    let types = quote! { crate::types:: };
    match Passed::of(ty) {
        Passed::Str => quote! { &'a str },
        Passed::Slice(item) => {
            let item = rust_type(item, &types);
            quote! { &'a [#item] }
        }
        Passed::Value(ty) => rust_type(ty, &types),
        Passed::Ref(ty) => {
            let ty = rust_type(ty, &types);
            quote! { &'a #ty }
        }
    }
}

/// What an optional parameter is kept as: a string may be borrowed or
/// owned (a page token comes from a response), anything else as a
/// required argument is.
fn optional_type(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::String => quote! { ::std::borrow::Cow<'a, str> },
        ty => arg_type(ty),
    }
}

/// What a request body is kept as.
fn body_type(b: &ir::RequestBody) -> TokenStream {
    match &b.kind {
        ir::BodyKind::Json(ty) | ir::BodyKind::Form(ty) | ir::BodyKind::Multipart { ty, .. } => {
            let ty = rust_type(ty, &quote! { crate::types:: });
            quote! { &'a #ty }
        }
        ir::BodyKind::Text => quote! { &'a str },
        ir::BodyKind::Bytes => quote! { ::reqwest::Body },
        ir::BodyKind::MultipartForm => quote! { ::reqwest::multipart::Form },
    }
}

/// What a method (or setter) takes for the request body.
pub(super) fn body_arg_type(b: &ir::RequestBody) -> TokenStream {
    match &b.kind {
        ir::BodyKind::Bytes => quote! { impl ::std::convert::Into<::reqwest::Body> },
        _ => body_type(b),
    }
}

/// The error body type of an operation.
pub(super) fn error_type(op: &ir::Operation) -> TokenStream {
    match &op.error {
        ir::Response::Json(ty) => rust_type(ty, &quote! { crate::types:: }),
        _ => quote! { ::serde_json::Value },
    }
}

/// The fields of a new request, after `client`: the arguments, and `None`
/// for everything a setter sets.
pub(super) fn field_init(op: &ir::Operation) -> TokenStream {
    let params = op.params.iter().map(|p| {
        let name = ident(&p.rust_name);
        if p.required {
            quote! { #name, }
        } else {
            quote! { #name: ::std::option::Option::None, }
        }
    });
    let body = op.body.as_ref().map(|b| {
        let name = ident(&b.rust_name);
        match (&b.kind, b.required) {
            (_, false) => quote! { #name: ::std::option::Option::None, },
            (ir::BodyKind::Bytes, true) => quote! { #name: #name.into(), },
            (_, true) => quote! { #name, },
        }
    });
    let parts = part_setters(op).map(|(setter, _)| {
        let name = ident(setter);
        quote! { #name: ::std::option::Option::None, }
    });
    quote! { #( #params )* #body #( #parts )* }
}

/// The setters that replace a multipart body's part of bytes, with the
/// part's name.
fn part_setters(op: &ir::Operation) -> impl Iterator<Item = (&str, &str)> {
    let parts = match op.body.as_ref().map(|b| &b.kind) {
        Some(ir::BodyKind::Multipart { parts, .. }) => &parts[..],
        _ => &[],
    };
    parts
        .iter()
        .filter_map(|p| Some((p.part_setter.as_deref()?, p.wire_name.as_str())))
}

/// Whether the request can be cloned: it owns no body that is read as it is
/// sent (a stream, a form).
fn cloneable(op: &ir::Operation) -> bool {
    let owned_body = op
        .body
        .as_ref()
        .is_some_and(|b| matches!(b.kind, ir::BodyKind::Bytes | ir::BodyKind::MultipartForm));
    !owned_body && part_setters(op).next().is_none()
}

/// The stream of items of a paginated operation's request.
pub(super) fn item_stream_type(op: &ir::Operation, pagination: &ir::Pagination) -> TokenStream {
    let item = rust_type(&pagination.item, &quote! { crate::types:: });
    let error = error_type(op);
    quote! {
        impl ::futures_core::Stream<Item = ::std::result::Result<#item, crate::Error<#error>>> + ::std::marker::Send + 'a
    }
}

/// The request type of one operation.
fn request(op: &ir::Operation) -> TokenStream {
    let name = ident(&op.request_name);
    let method_name = crate::naming::unraw(&op.rust_name);
    let summary = format!("`{} {}`", op.method, op.path_template);
    let success = success_type(&op.success);
    let error = error_type(op);
    let what = match (&op.session, &op.success) {
        (Some(_), _) => "awaiting it (or its `connect`) opens the WebSocket session".to_owned(),
        (None, ir::Response::Empty) => "awaiting it sends it".to_owned(),
        (None, _) => "awaiting it sends it and gives the decoded body".to_owned(),
    };
    let has_setters = op.params.iter().any(|p| !p.required)
        || op.body.as_ref().is_some_and(|b| !b.required)
        || part_setters(op).next().is_some();
    let how = if has_setters {
        format!("Set its optional parameters with its setters; {what}.")
    } else {
        let mut what = what;
        what[..1].make_ascii_uppercase();
        format!("{what}.")
    };
    let doc = docs(&Docs::from_text(&format!(
        "A {summary} request, made by [`Client::{method_name}`](crate::Client::{method_name}).\n\n\
         {how}{}",
        if op.session.is_some() {
            " The session's `headers` are the handshake response's."
        } else {
            " [`Self::send_with_response`] gives the response's status and headers as well."
        }
    )));
    let mut fields = vec![quote! { pub(crate) client: &'a crate::Client, }];
    let mut setters = Vec::new();
    for p in &op.params {
        let field = ident(&p.rust_name);
        if p.required {
            let ty = arg_type(&p.ty);
            fields.push(quote! { pub(crate) #field: #ty, });
            continue;
        }
        let ty = optional_type(&p.ty);
        fields.push(quote! { pub(crate) #field: ::std::option::Option<#ty>, });
        let (arg, value) = match &p.ty {
            TypeRef::String => (
                quote! { impl ::std::convert::Into<::std::borrow::Cow<'a, str>> },
                quote! { value.into() },
            ),
            _ => (ty, quote! { value }),
        };
        let doc = docs(&p.docs);
        let deprecated = p.deprecated.then(|| quote! { #[deprecated] });
        setters.push(quote! {
            #doc
            #deprecated
            pub fn #field(mut self, value: #arg) -> Self {
                self.#field = ::std::option::Option::Some(#value);
                self
            }
        });
    }
    if let Some(b) = &op.body {
        let field = ident(&b.rust_name);
        let ty = body_type(b);
        if b.required {
            fields.push(quote! { pub(crate) #field: #ty, });
        } else {
            fields.push(quote! { pub(crate) #field: ::std::option::Option<#ty>, });
            let arg = body_arg_type(b);
            let value = match b.kind {
                ir::BodyKind::Bytes => quote! { value.into() },
                _ => quote! { value },
            };
            setters.push(quote! {
                /// The request body.
                pub fn #field(mut self, value: #arg) -> Self {
                    self.#field = ::std::option::Option::Some(#value);
                    self
                }
            });
        }
    }
    for (setter, wire) in part_setters(op) {
        let field = ident(setter);
        let doc = format!(
            " Sends `part` as the `{wire}` part instead of the body's bytes: a file \
             (`Part::file`) or a stream (`Part::stream`), which need not be in memory."
        );
        fields
            .push(quote! { pub(crate) #field: ::std::option::Option<::reqwest::multipart::Part>, });
        setters.push(quote! {
            #[doc = #doc]
            pub fn #field(mut self, part: ::reqwest::multipart::Part) -> Self {
                self.#field = ::std::option::Option::Some(part);
                self
            }
        });
    }
    let clone = cloneable(op).then(|| quote! { #[derive(Clone)] });
    let build = build(op);
    // A success of one kind and only `2XX` statuses is decoded by the
    // support module's function for that kind; one keyed by status, or
    // that some `3XX` answers too, by a method of the request's own.
    let plain = op.redirects.is_empty();
    let (decode_fn, decode) = match &op.success {
        ir::Response::Json(_) if plain => (None, quote!(crate::support::decode)),
        ir::Response::Text if plain => (None, quote!(crate::support::decode_text)),
        ir::Response::Bytes if plain => (None, quote!(crate::support::decode_bytes)),
        ir::Response::Empty if plain => (None, quote!(crate::support::decode_empty)),
        _ => {
            let by_status = decode(op);
            let decode_fn = quote! {
                /// Decodes the response by its status.
                // Its error is the one `send_with_response` returns, as
                // large as the API's error type: boxing it here would not
                // make that smaller.
                #[allow(clippy::result_large_err)]
                fn decode(response: crate::RawResponse) -> ::std::result::Result<crate::Response<#success>, crate::Error<#error>> {
                    #by_status
                }
            };
            (Some(decode_fn), quote!(Self::decode))
        }
    };
    let literal = |text: &str| syn::LitStr::new(text, proc_macro2::Span::call_site());
    let invocation = crate::macros::ImplRequest {
        name: name.clone(),
        success: success.clone(),
        error: error.clone(),
        operation: (
            literal(&op.operation_id),
            literal(&op.method),
            literal(&op.path_template),
            syn::LitBool::new(op.idempotent, proc_macro2::Span::call_site()),
        ),
        security: Some(super::auth::security(op)),
        decode,
        pages: op.pagination.as_ref().map(pages_of),
    }
    .to_tokens();
    let bytes_stream = (op.success == ir::Response::Bytes).then(|| {
        quote! {
            /// Sends the request, and gives the body as a stream of chunks,
            /// each read as it arrives rather than the whole body into memory.
            pub async fn bytes_stream(self) -> ::std::result::Result<crate::ByteStream, crate::Error<#error>> {
                let client = self.client;
                crate::support::byte_stream(client, &Self::OPERATION, self.build()?).await
            }
        }
    });
    let next_page = op.pagination.as_ref().map(|p| next_page(op, p));
    // A session's request opens the session instead of making a call, and
    // is there only with the feature that brings WebSockets.
    let (invocation, feature) = match &op.session {
        Some(session) => (
            super::sessions::request_impl(op, session),
            Some(quote! { #[cfg(feature = "websocket")] }),
        ),
        None => (invocation, None),
    };
    quote! {
        #doc
        #feature
        #clone
        #[must_use = "a request is sent only when it is awaited"]
        pub struct #name<'a> {
            #( #fields )*
        }

        #feature
        impl<'a> #name<'a> {
            #( #setters )*
            #bytes_stream
            #next_page
            #build
            #decode_fn
        }

        #invocation
    }
}

/// The private method that turns the request into reqwest's: the URL, the
/// query, the headers and cookies, and the body.
fn build(op: &ir::Operation) -> TokenStream {
    let mut names = vec![quote! { client }];
    names.extend(op.params.iter().map(|p| {
        let name = ident(&p.rust_name);
        quote! { #name }
    }));
    names.extend(op.body.iter().map(|b| {
        let name = ident(&b.rust_name);
        quote! { #name }
    }));
    names.extend(part_setters(op).map(|(setter, _)| {
        let name = ident(setter);
        quote! { #name }
    }));
    let (encode, url) = url_expr(op);
    let method = ident(&op.method);
    let query = query(op);
    let headers = headers(op);
    let cookies = cookies(op);
    let body = op.body.as_ref().map(request_body);
    // What the client can read, so that a server that offers several
    // media types answers in one it reads.
    let accept = op.accept.as_ref().map(|accept| {
        quote! { let request = request.header(::reqwest::header::ACCEPT, #accept); }
    });
    quote! {
        fn build(self) -> ::std::result::Result<::reqwest::RequestBuilder, crate::support::Invalid> {
            let Self { #( #names ),* } = self;
            #encode
            let request = client.request(::reqwest::Method::#method, #url, Self::SECURITY);
            #accept
            #query
            #headers
            #cookies
            #body
            ::std::result::Result::Ok(request)
        }
    }
}

/// What a paginated list's `impl_request!` needs for its `pages` and
/// `stream` methods.
fn pages_of(p: &ir::Pagination) -> crate::macros::Pages {
    crate::macros::Pages {
        item: rust_type(&p.item, &quote! { crate::types:: }),
        items: ident(&p.items_field),
        token: ident(&p.next_page_field),
    }
}

/// The request for the page after this one's, which `impl_request!`'s
/// `pages` asks for with the token the page gave.
fn next_page(op: &ir::Operation, p: &ir::Pagination) -> TokenStream {
    // The next page is asked for by its token (and the page size) alone:
    // the token stands for the rest of the query.
    let kept = op.params.iter().map(|param| {
        let name = ident(&param.rust_name);
        let dropped = !param.required
            && param.location == ParamLocation::Query
            && Some(&param.rust_name) != p.limit_param.as_ref();
        if param.rust_name == p.page_token_param {
            quote! { #name: ::std::option::Option::Some(::std::borrow::Cow::Owned(token)), }
        } else if dropped {
            quote! { #name: ::std::option::Option::None, }
        } else {
            quote! { #name: self.#name, }
        }
    });
    let body = op.body.as_ref().map(|b| {
        let name = ident(&b.rust_name);
        quote! { #name: self.#name, }
    });
    quote! {
        /// The request for the page after this one's.
        fn next_page(self, token: ::std::string::String) -> Self {
            Self {
                client: self.client,
                #( #kept )*
                #body
            }
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

/// Turns the `response` into the method's result.
fn decode(op: &ir::Operation) -> TokenStream {
    let response = &op.success;
    let one = |response: &ir::Response| match response {
        ir::Response::Json(_) => quote! { crate::support::decode(response) },
        ir::Response::Text => quote! { crate::support::decode_text(response) },
        ir::Response::Bytes => quote! { crate::support::decode_bytes(response) },
        ir::Response::Empty | ir::Response::ByStatus(_) => {
            quote! { crate::support::decode_empty(response) }
        }
    };
    let pattern = |status: ir::StatusMatch| match status {
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
    let ir::Response::ByStatus(responses) = response else {
        // One kind of success, some of it `3XX`: those statuses are read
        // as the success they are, the rest as usual.
        let redirects = op.redirects.iter().map(|s| pattern(*s));
        let answer = answer(response);
        let one = one(response);
        return quote! {
            match response.status().as_u16() {
                #( #redirects )|* => #answer,
                _ => #one,
            }
        };
    };
    let name = ident(&responses.rust_name);
    let arms = responses.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let pattern = pattern(v.status);
        let decode = if op.redirects.contains(&v.status) {
            answer(&v.body)
        } else {
            one(&v.body)
        };
        let map = match &v.body {
            ir::Response::Empty | ir::Response::ByStatus(_) => {
                quote! { .map(|response| response.map(|()| crate::types::#name::#variant)) }
            }
            _ => quote! { .map(|response| response.map(crate::types::#name::#variant)) },
        };
        quote! { #pattern => #decode #map, }
    });
    quote! {
        match response.status().as_u16() {
            #( #arms )*
            _ => crate::support::unexpected_status(response),
        }
    }
}

/// Reads a response as a success whatever its status: a `3XX` the
/// operation documents as its answer, which the support module's decoders
/// (for `2XX` successes) would take for an error.
fn answer(response: &ir::Response) -> TokenStream {
    match response {
        ir::Response::Json(_) => quote! {
            match crate::error::decode_json(response.body()) {
                ::std::result::Result::Ok(body) => ::std::result::Result::Ok(response.with_body(body)),
                ::std::result::Result::Err(source) => ::std::result::Result::Err(crate::Error::InvalidResponse { response, source }),
            }
        },
        ir::Response::Text => quote! {{
            let text = response.text().into_owned();
            ::std::result::Result::Ok(response.with_body(text))
        }},
        ir::Response::Bytes => quote! { ::std::result::Result::Ok(response.into_response()) },
        ir::Response::Empty | ir::Response::ByStatus(_) => {
            quote! { ::std::result::Result::Ok(response.with_body(())) }
        }
    }
}
