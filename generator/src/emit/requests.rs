//! The `requests` module: one type per operation, which the client's method
//! returns. It holds the arguments, has a setter per optional parameter,
//! and is sent when it is awaited (`IntoFuture`), so a parameter the API
//! adds later is one more setter and breaks no call.

use super::{docs, ident, rust_type};
use crate::ir::{self, Docs, ParamLocation, PathPart, TypeRef};
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
    let what = match &op.success {
        ir::Response::Empty => "awaiting it sends it".to_owned(),
        _ => "awaiting it sends it and gives the decoded body".to_owned(),
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
         {how} [`Self::send_with_response`] gives the response's status and headers as well."
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
    // A success keyed by status is decoded by a method of the request's
    // own; every other kind by the support module's function for it.
    let (decode_fn, decode) = match &op.success {
        ir::Response::ByStatus(_) => {
            let by_status = decode(&op.success);
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
        ir::Response::Json(_) => (None, quote!(crate::support::decode)),
        ir::Response::Text => (None, quote!(crate::support::decode_text)),
        ir::Response::Bytes => (None, quote!(crate::support::decode_bytes)),
        ir::Response::Empty => (None, quote!(crate::support::decode_empty)),
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
    quote! {
        #doc
        #clone
        #[must_use = "a request is sent only when it is awaited"]
        pub struct #name<'a> {
            #( #fields )*
        }

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
    quote! {
        fn build(self) -> ::std::result::Result<::reqwest::RequestBuilder, crate::support::Invalid> {
            let Self { #( #names ),* } = self;
            #encode
            let request = client.request(::reqwest::Method::#method, #url);
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
fn decode(response: &ir::Response) -> TokenStream {
    let one = |response: &ir::Response| match response {
        ir::Response::Json(_) => quote! { crate::support::decode(response) },
        ir::Response::Text => quote! { crate::support::decode_text(response) },
        ir::Response::Bytes => quote! { crate::support::decode_bytes(response) },
        ir::Response::Empty | ir::Response::ByStatus(_) => {
            quote! { crate::support::decode_empty(response) }
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
            form = form.text(#wire, ::serde_json::to_string(#value).map_err(crate::support::Invalid::Request)?);
        },
    };
    let add = add(quote! { value });
    let from_body = match part.presence.options() {
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
    };
    match &part.part_setter {
        Some(setter) => {
            let setter = ident(setter);
            quote! {
                if let ::std::option::Option::Some(part) = #setter {
                    form = form.part(#wire, part);
                } else {
                    #from_body
                }
            }
        }
        None => from_body,
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

/// Binds each path parameter, percent-encoded, to a local of its own name,
/// and gives the statements and the path they make: a literal, or a
/// `format!` of plain identifiers (which reads better than expressions
/// inside a macro).
fn url_expr(op: &ir::Operation) -> (TokenStream, TokenStream) {
    let mut template = String::new();
    let mut literal = String::new();
    let mut encode = Vec::new();
    let mut values = Vec::new();
    for part in &op.path {
        match part {
            PathPart::Literal(text) => {
                template.push_str(&text.replace('{', "{{").replace('}', "}}"));
                literal.push_str(text);
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
    if values.is_empty() {
        return (quote! {}, quote! { #literal });
    }
    (
        quote! {
            #( #encode )*
            let url = format!(#template, #( #values ),*);
        },
        quote! { &url },
    )
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

/// The `Cookie` header: one `name=value` pair per cookie parameter that has
/// a value, joined by `; `. Values are percent-encoded where a cookie value
/// cannot hold a character as it is.
fn cookies(op: &ir::Operation) -> Option<TokenStream> {
    let params: Vec<&ir::Param> = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Cookie)
        .collect();
    if params.is_empty() {
        return None;
    }
    let pair = |p: &ir::Param, value: TokenStream| {
        let wire = &p.wire_name;
        // A required string is a `&str` already; an optional one a `Cow`.
        let text = match p.ty {
            TypeRef::String if p.required => value,
            TypeRef::String => quote! { &#value },
            _ => {
                let text = text_of(&p.ty, &value);
                quote! { &#text }
            }
        };
        quote! { ::std::format!("{}={}", #wire, crate::support::encode_cookie(#text)) }
    };
    let initial = params.iter().filter(|p| p.required).map(|p| {
        let arg = ident(&p.rust_name);
        pair(p, quote! { #arg })
    });
    let pushes: Vec<TokenStream> = params
        .iter()
        .filter(|p| !p.required)
        .map(|p| {
            let arg = ident(&p.rust_name);
            let pair = pair(p, quote! { value });
            quote! {
                if let ::std::option::Option::Some(value) = #arg {
                    cookies.push(#pair);
                }
            }
        })
        .collect();
    let mutable = (!pushes.is_empty()).then(|| quote! { mut });
    Some(quote! {
        let #mutable cookies: ::std::vec::Vec<::std::string::String> = ::std::vec![#( #initial ),*];
        #( #pushes )*
        let request = if cookies.is_empty() {
            request
        } else {
            request.header(::reqwest::header::COOKIE, cookies.join("; "))
        };
    })
}
