//! Part of the `requests` module: how each part of a request goes on the
//! wire, in the code `send` runs: the URL with its path and query, headers,
//! cookies, and the body (JSON, form, multipart, text or bytes).

use crate::emit::ident;
use crate::ir::{self, ParamLocation, PathPart, TypeRef};
use proc_macro2::TokenStream;
use quote::quote;

/// Puts the request body on `request`.
pub(super) fn request_body(b: &ir::RequestBody) -> TokenStream {
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
            form = form.part(
                #wire,
                ::reqwest::multipart::Part::bytes(#value.clone())
                    .file_name(#wire)
                    .headers(crate::support::part_type("application/octet-stream")),
            );
        },
        ir::PartEncoding::Json => quote! {
            form = form.part(
                #wire,
                ::reqwest::multipart::Part::text(::serde_json::to_string(#value).map_err(crate::support::Invalid::Request)?)
                    .headers(crate::support::part_type("application/json")),
            );
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
pub(super) fn url_expr(op: &ir::Operation) -> (TokenStream, TokenStream) {
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
pub(super) fn query(op: &ir::Operation) -> Option<TokenStream> {
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
pub(in crate::emit) fn inline_map_values(ty: &TypeRef) -> bool {
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

pub(super) fn headers(op: &ir::Operation) -> TokenStream {
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
pub(super) fn cookies(op: &ir::Operation) -> Option<TokenStream> {
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
