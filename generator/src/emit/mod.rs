//! Phase 3: [`ir::Api`] → Rust tokens, one `TokenStream` per file.
//!
//! Emission reads only the IR: every name, type and doc line was decided in
//! lowering. It is made of small functions that each return a `TokenStream`,
//! composed with `#(...)*`. Generated code names everything by absolute path
//! (`::std::option::Option`, `::serde::Serialize`), so a schema called
//! `Option`, `Result` or `String` cannot change what the code means.

mod auth;
mod calls;
mod client;
pub(crate) mod doc_marks;
mod examples;
mod lints;
mod manifest;
mod requests;
mod response;
mod sessions;
mod support;
mod transport;
mod types;
mod wire;

use crate::ir::{self, Docs, IntKind, Presence, TypeKind, TypeRef};
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

pub use manifest::manifest;

/// The Rust files of the generated crate, as tokens, by path under `src/`.
pub struct EmittedFiles {
    /// `(file name, tokens)`, in a fixed order.
    pub files: Vec<(&'static str, TokenStream)>,
}

/// Emits some of a file's items. A file is emitted in parts so that its
/// parts can be emitted and formatted on several threads (tokens cannot
/// cross threads; the IR can): the file is its parts' items, in order.
pub type Part<'a> = Box<dyn Fn() -> TokenStream + Send + Sync + 'a>;

/// One file of the generated crate, as the parts that emit it.
pub struct FilePlan<'a> {
    /// The path under the crate's root (`src/types.rs`, `tests/wire.rs`).
    pub path: &'static str,
    /// The first part has the file's inner attributes and docs; the others
    /// only items.
    pub parts: Vec<Part<'a>>,
    /// The `impl` block that ends the file, when its members are many (the
    /// client's methods, one per operation): emitted in parts of their own.
    pub last_impl: Option<ImplPlan<'a>>,
}

/// An `impl` block whose members are emitted in parts.
pub struct ImplPlan<'a> {
    /// The type the block is for (`Client`).
    pub self_ty: &'static str,
    /// Each emits some of the block's members, in order.
    pub members: Vec<Part<'a>>,
}

impl ImplPlan<'_> {
    /// The block around some of its members.
    pub fn wrap(&self, members: TokenStream) -> TokenStream {
        let self_ty = ident(self.self_ty);
        quote! { impl #self_ty { #members } }
    }
}

/// How many operations, or types, one part of a file emits: small enough
/// to balance two to eight threads on a large document, large enough that
/// a part's fixed cost (a parse, a printer) does not matter.
const PER_PART: usize = 24;

/// Splits `items` into parts of [`PER_PART`], each emitting its items with
/// `emit_one`.
fn parts_of<'a, T: Sync>(
    items: &'a [T],
    emit_one: fn(&T) -> TokenStream,
) -> impl Iterator<Item = Part<'a>> {
    items.chunks(PER_PART).map(move |chunk| -> Part<'a> {
        Box::new(move || {
            let items = chunk.iter().map(emit_one);
            quote! { #( #items )* }
        })
    })
}

/// A file that is one part.
fn whole<'a>(
    path: &'static str,
    emit: impl Fn() -> TokenStream + Send + Sync + 'a,
) -> FilePlan<'a> {
    FilePlan {
        path,
        parts: vec![Box::new(emit)],
        last_impl: None,
    }
}

/// Every Rust file of the crate, whose package is `crate_name`, as parts.
/// Each file starts with `#![cfg_attr(rustfmt, rustfmt::skip)]`:
/// prettyplease is the formatter of record, and `cargo fmt` must leave the
/// files alone, or `--check` would fail after it.
pub fn plan<'a>(api: &'a ir::Api, crate_name: &'a str) -> Vec<FilePlan<'a>> {
    let uses = Uses::of(api);
    let files = vec![
        whole("src/lib.rs", move || lib_rs(api, &uses, crate_name)),
        types::types_rs(api, uses),
        client::client_rs(api, uses, crate_name),
        whole("src/auth.rs", move || auth::auth_rs(api, &uses)),
        requests::requests_rs(api, uses),
        whole("src/response.rs", move || response::response_rs(&uses)),
        whole("src/transport.rs", move || transport::transport_rs(&uses)),
        whole("src/error.rs", move || support::error_rs(&uses)),
        whole("src/support.rs", move || support::support_rs(&uses)),
    ];
    let sessions = uses.sessions.then(|| {
        whole("src/session.rs", move || {
            sessions::session_rs(api, crate_name)
        })
    });
    let files = files.into_iter().chain(sessions);
    files.into_iter().map(skip_rustfmt).collect()
}

/// Puts `#![cfg_attr(rustfmt, rustfmt::skip)]` first in the file.
fn skip_rustfmt(mut file: FilePlan<'_>) -> FilePlan<'_> {
    if let Some(first) = file.parts.first_mut() {
        let head = std::mem::replace(first, Box::new(TokenStream::new));
        *first = Box::new(move || {
            let tokens = head();
            quote! { #![cfg_attr(rustfmt, rustfmt::skip)] #tokens }
        });
    }
    file
}

/// Emits every Rust file of the crate, whose package is `crate_name`, on
/// this thread: [`plan`]'s parts, put together.
pub fn emit(api: &ir::Api, crate_name: &str) -> EmittedFiles {
    let files = plan(api, crate_name)
        .into_iter()
        .map(|file| {
            let name = file.path.strip_prefix("src/").unwrap_or(file.path);
            let mut tokens = TokenStream::new();
            for part in &file.parts {
                tokens.extend(part());
            }
            if let Some(last) = &file.last_impl {
                let mut members = TokenStream::new();
                for part in &last.members {
                    members.extend(part());
                }
                tokens.extend(last.wrap(members));
            }
            (name, tokens)
        })
        .collect();
    EmittedFiles { files }
}

/// The crate's wire tests (`tests/wire.rs` and `tests/wire/cases.rs`), as
/// parts, for a crate whose library is called `crate_ident`
/// (`zoo_payments`).
pub fn wire_tests<'a>(api: &'a ir::Api, crate_ident: &str) -> Vec<FilePlan<'a>> {
    let crate_ident = crate_ident.to_owned();
    vec![
        whole("tests/wire.rs", move || {
            wire::wire_rs(!api.wire_cases.is_empty())
        }),
        whole("tests/wire/cases.rs", move || {
            wire::cases_rs(api, &crate_ident)
        }),
    ]
    .into_iter()
    .map(skip_rustfmt)
    .collect()
}

/// The crate's call tests (`tests/calls.rs` and `tests/calls/cases.rs`),
/// as parts, for a crate whose library is called `crate_ident`.
pub fn call_tests<'a>(api: &'a ir::Api, crate_ident: &str) -> Vec<FilePlan<'a>> {
    let (harness_ident, cases_ident) = (crate_ident.to_owned(), crate_ident.to_owned());
    vec![
        whole("tests/calls.rs", move || {
            calls::calls_rs(api, &harness_ident)
        }),
        whole("tests/calls/cases.rs", move || {
            calls::cases_rs(api, &cases_ident)
        }),
    ]
    .into_iter()
    .map(skip_rustfmt)
    .collect()
}

/// What the crate needs from its support code and dependencies; derived
/// from the IR so that nothing unused is emitted (unused code would warn).
#[derive(Debug, Default, Clone, Copy)]
pub struct Uses {
    /// `rust_decimal::Decimal` anywhere.
    pub decimal: bool,
    /// How decimal fields are written (the support module's `decimal`).
    pub decimal_fields: WithModes,
    /// How byte fields are written (the support module's `base64`).
    pub bytes_fields: WithModes,
    /// How integer fields are read (the support module's `integer`).
    pub integer_fields: WithModes,
    /// A three-state field of a plain type (`support::nullable`).
    pub nullable_field: bool,
    /// `uuid::Uuid` anywhere.
    pub uuid: bool,
    /// `chrono` types anywhere.
    pub chrono: bool,
    /// Any operation at all (sending requests, reading errors).
    pub operations: bool,
    /// Path parameters (percent-encoding).
    pub path_params: bool,
    /// Query parameters.
    pub query: bool,
    /// A form-urlencoded request body.
    pub form: bool,
    /// A multipart request body.
    pub multipart: bool,
    /// A multipart body whose parts the caller builds (`multipart::Form`,
    /// re-exported).
    pub multipart_form: bool,
    /// A success without a body.
    pub empty_success: bool,
    /// A success with a JSON body.
    pub json_success: bool,
    /// A success with a text body.
    pub text_success: bool,
    /// A success with a body of bytes.
    pub bytes_success: bool,
    /// A success enum keyed by status.
    pub by_status: bool,
    /// A parameter or form part of a named type (`support::to_text`).
    pub to_text: bool,
    /// A query parameter of object type written through serde
    /// (`support::object_pairs`).
    pub object_pairs: bool,
    /// Anything `deprecated`.
    pub deprecated: bool,
    /// An untagged union (`support::untagged`).
    pub untagged: bool,
    /// A cookie parameter.
    pub cookies: bool,
    /// A multipart part written as JSON text (which may fail to encode).
    pub json_part: bool,
    /// A multipart part of bytes or of JSON, labelled with its media type
    /// (`support::part_type`).
    pub typed_part: bool,
    /// A list the client walks page by page.
    pub pagination: bool,
    /// A string enum (`support::impl_string_enum`).
    pub string_enum: bool,
    /// A body the caller may give as a stream: bytes, or a multipart part
    /// of bytes (reqwest's `stream` feature).
    pub streamed_body: bool,
    /// A WebSocket session (`session.rs`, the `websocket` feature).
    pub sessions: bool,
}

/// Which of a `with` module's three forms fields use.
#[derive(Debug, Default, Clone, Copy)]
pub struct WithModes {
    /// `T` (required, or defaulted).
    pub plain: bool,
    /// `Option<T>` (optional, or required and nullable).
    pub option: bool,
    /// `Option<Option<T>>` (optional and nullable).
    pub nullable: bool,
}

impl WithModes {
    /// Whether any field uses the module.
    pub fn any(&self) -> bool {
        self.plain || self.option || self.nullable
    }

    fn add(&mut self, presence: &Presence) {
        match presence {
            Presence::Defaulted(d) if d.nullable => self.option = true,
            Presence::Required | Presence::Defaulted(_) => self.plain = true,
            Presence::RequiredNullable | Presence::Optional => self.option = true,
            Presence::OptionalNullable => self.nullable = true,
        }
    }
}

impl Uses {
    /// Scans the IR.
    pub fn of(api: &ir::Api) -> Uses {
        let mut uses = Uses {
            operations: !api.operations.is_empty(),
            ..Uses::default()
        };
        let visit = |ty: &TypeRef, uses: &mut Uses| {
            walk(ty, &mut |t| match t {
                TypeRef::Uuid => uses.uuid = true,
                TypeRef::DateTime | TypeRef::Date => uses.chrono = true,
                TypeRef::Decimal => uses.decimal = true,
                _ => {}
            })
        };
        for t in &api.types {
            uses.deprecated |= t.deprecated;
            match &t.kind {
                TypeKind::Struct(s) => {
                    for f in &s.fields {
                        visit(&f.ty, &mut uses);
                        uses.deprecated |= f.deprecated;
                        match &f.ty {
                            TypeRef::Decimal => uses.decimal_fields.add(&f.presence),
                            TypeRef::Bytes => uses.bytes_fields.add(&f.presence),
                            TypeRef::Integer(_) => uses.integer_fields.add(&f.presence),
                            _ if f.presence == Presence::OptionalNullable => {
                                uses.nullable_field = true
                            }
                            _ => {}
                        }
                    }
                    if let Some(additional) = &s.additional {
                        visit(&additional.value, &mut uses);
                    }
                }
                TypeKind::UntaggedUnion(u) => {
                    uses.untagged = true;
                    u.variants.iter().for_each(|v| visit(&v.ty, &mut uses))
                }
                TypeKind::Alias(ty) => visit(ty, &mut uses),
                TypeKind::StringEnum(_) => uses.string_enum = true,
                TypeKind::TaggedUnion(_) => {}
            }
        }
        for scheme in &api.client.auth.schemes {
            match scheme.credential {
                ir::Credential::ApiKey {
                    location: ir::KeyLocation::Query,
                    ..
                } => uses.query = true,
                ir::Credential::ApiKey {
                    location: ir::KeyLocation::Cookie,
                    ..
                } => uses.cookies = true,
                _ => {}
            }
        }
        for op in &api.operations {
            uses.deprecated |= op.deprecated;
            if let Some(session) = &op.session {
                uses.sessions = true;
                for ty in session.send.iter().chain(&session.receive) {
                    visit(ty, &mut uses);
                }
            }
            if let Some(pagination) = &op.pagination {
                uses.pagination = true;
                visit(&pagination.item, &mut uses);
            }
            for p in &op.params {
                visit(&p.ty, &mut uses);
                match &p.ty {
                    _ if p.object_style.is_none() => walk(&p.ty, &mut |t| {
                        uses.to_text |= matches!(t, TypeRef::Named(_))
                    }),
                    TypeRef::Map(inner) if requests::inline_map_values(inner) => {}
                    _ => uses.object_pairs = true,
                }
                match p.location {
                    ir::ParamLocation::Path => uses.path_params = true,
                    ir::ParamLocation::Query => uses.query = true,
                    ir::ParamLocation::Header => {}
                    ir::ParamLocation::Cookie => uses.cookies = true,
                }
            }
            if let Some(body) = &op.body {
                match &body.kind {
                    ir::BodyKind::Json(ty) => visit(ty, &mut uses),
                    ir::BodyKind::Form(ty) => {
                        uses.form = true;
                        visit(ty, &mut uses);
                    }
                    ir::BodyKind::Multipart { ty, parts } => {
                        uses.multipart = true;
                        uses.streamed_body |= parts.iter().any(|p| p.part_setter.is_some());
                        uses.json_part |=
                            parts.iter().any(|p| p.encoding == ir::PartEncoding::Json);
                        uses.typed_part |=
                            parts.iter().any(|p| p.encoding != ir::PartEncoding::Text);
                        visit(ty, &mut uses);
                        uses.to_text |= parts.iter().any(|p| {
                            p.encoding == ir::PartEncoding::Text
                                && matches!(p.ty, TypeRef::Named(_))
                        });
                    }
                    ir::BodyKind::MultipartForm => {
                        uses.multipart = true;
                        uses.multipart_form = true;
                    }
                    ir::BodyKind::Bytes => uses.streamed_body = true,
                    ir::BodyKind::Text => {}
                }
            }
            let response = |r: &ir::Response, uses: &mut Uses| match r {
                ir::Response::Empty => uses.empty_success = true,
                ir::Response::Text => uses.text_success = true,
                ir::Response::Bytes => uses.bytes_success = true,
                ir::Response::Json(ty) => {
                    uses.json_success = true;
                    visit(ty, uses);
                }
                ir::Response::ByStatus(_) => {}
            };
            match &op.success {
                // A session decodes no response of its own.
                _ if op.session.is_some() => {}
                ir::Response::ByStatus(s) => {
                    uses.by_status = true;
                    for v in &s.variants {
                        response(&v.body, &mut uses);
                    }
                }
                other => response(other, &mut uses),
            }
            if let ir::Response::Json(ty) = &op.error {
                visit(ty, &mut uses);
            }
        }
        uses
    }
}

fn walk(ty: &TypeRef, f: &mut impl FnMut(&TypeRef)) {
    f(ty);
    match ty {
        TypeRef::Tuple(members) => members.iter().for_each(|m| walk(m, f)),
        TypeRef::Vec(inner)
        | TypeRef::Map(inner)
        | TypeRef::Option(inner)
        | TypeRef::Box(inner) => walk(inner, f),
        _ => {}
    }
}

fn lib_rs(api: &ir::Api, uses: &Uses, crate_name: &str) -> TokenStream {
    let mut docs = Docs::from_text(&format!("# {} {}", api.title, api.version));
    docs.push_paragraph(&api.docs.0.join("\n"));
    docs.push_paragraph(
        "The [`Client`] has one method per operation, which returns the operation's \
         request ([`requests`]): its optional parameters are setters, and awaiting it \
         sends it. The request and response bodies are in [`types`]. A request gives \
         [`Error`] when it fails or the server answers with an error.",
    );
    docs.push_paragraph(
        "## In production\n\n\
         [`Client::builder`] sets a timeout per request and one to connect, retries \
         ([`Retry`]: opt in, and only of what is safe to repeat), request hooks \
         ([`Hook`]: change every request before it is sent, see every response), the \
         response size cap and the user agent. Every [`Error`] after a response keeps it \
         whole ([`Error::response`]), and a body that does not decode names the JSON \
         pointer where it failed. The `tracing` feature opens one span per call, with the \
         operation, the method, the path template, the status and the duration, and never \
         a header or the URL.",
    );
    docs.push_paragraph(&models_only_docs(crate_name));
    let docs = inner_docs(&docs);
    // Methods whose multipart parts the caller builds take reqwest's form;
    // re-exported, so that callers need not depend on the same reqwest.
    let multipart = (uses.multipart_form || uses.streamed_body && uses.multipart).then(|| {
        quote! {
            /// The multipart form builder of `reqwest`, for the methods whose
            /// parts you build or stream ([`multipart::Form`], [`multipart::Part`]).
            #[cfg(feature = "client")]
            pub use ::reqwest::multipart;
        }
    });
    let body = uses.streamed_body.then(|| {
        quote! {
            /// A request body of bytes, from memory (`Vec<u8>`, `String`,
            /// `bytes::Bytes`), a file (`tokio::fs::File`) or a stream
            /// ([`Body::wrap_stream`]): `reqwest`'s.
            #[cfg(feature = "client")]
            pub use ::reqwest::Body;
        }
    });
    let byte_stream = uses.bytes_success.then(|| quote! { ByteStream, });
    let pending = uses
        .operations
        .then(|| quote! { Pending, PendingResponse, });
    let requests = quote! {
        #[cfg(feature = "client")]
        pub mod requests;
    };
    let session = uses.sessions.then(|| {
        quote! {
            #[cfg(feature = "websocket")]
            pub mod session;
        }
    });
    quote! {
        #docs
        #![forbid(unsafe_code)]
        #![warn(missing_docs)]

        #[cfg(feature = "client")]
        mod auth;
        #[cfg(feature = "client")]
        mod client;
        #[cfg(feature = "client")]
        mod error;
        #requests
        #[cfg(feature = "client")]
        mod response;
        #session
        mod support;
        #[cfg(feature = "client")]
        mod transport;
        pub mod types;

        #[cfg(feature = "client")]
        pub use client::{Client, ClientBuilder};
        #[cfg(feature = "client")]
        pub use error::{DecodeError, Error};
        #[cfg(feature = "client")]
        pub use response::{#byte_stream #pending RawResponse, Response};
        #[cfg(feature = "client")]
        pub use transport::{Hook, HookError, HookFuture, Operation, Retry};
        #multipart
        #body
    }
}

/// The crate docs' section on the `client` feature.
fn models_only_docs(crate_name: &str) -> String {
    format!(
        "## The `client` feature\n\n\
         The client, and with it `reqwest` and everything HTTP, is the `client` \
         feature, on by default. A service that only reads or writes the bodies \
         (a server, a worker reading a queue) turns it off and keeps the types \
         and their serde alone:\n\n\
         ```toml\n\
         [dependencies]\n\
         # the types and the client\n\
         {crate_name} = {{ path = \"path/to/{crate_name}\" }}\n\
         # the types, the client and a `tracing` span per call\n\
         {crate_name} = {{ path = \"path/to/{crate_name}\", features = [\"tracing\"] }}\n\
         # the types alone\n\
         {crate_name} = {{ path = \"path/to/{crate_name}\", default-features = false }}\n\
         ```"
    )
}

/// An identifier from a name the naming module made (`r#type` becomes a raw
/// identifier).
pub(crate) fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// One `#[doc = " line"]` per line.
pub(crate) fn docs(docs: &Docs) -> TokenStream {
    if docs.0.is_empty() {
        return TokenStream::new();
    }
    if let Some(mark) = doc_marks::mark(docs, false) {
        return mark;
    }
    let lines = docs.0.iter().map(|l| {
        if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        }
    });
    quote! { #( #[doc = #lines] )* }
}

/// One `#![doc = " line"]` per line.
pub(crate) fn inner_docs(docs: &Docs) -> TokenStream {
    if docs.0.is_empty() {
        return TokenStream::new();
    }
    if let Some(mark) = doc_marks::mark(docs, true) {
        return mark;
    }
    let lines = docs.0.iter().map(|l| {
        if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        }
    });
    quote! { #( #![doc = #lines] )* }
}

/// The Rust type of a type reference. `types` is the path prefix of named
/// types: empty inside the `types` module, `crate::types::` outside it.
pub(crate) fn rust_type(ty: &TypeRef, types: &TokenStream) -> TokenStream {
    match ty {
        TypeRef::Named(name) => {
            let name = ident(name);
            quote! { #types #name }
        }
        TypeRef::String => quote! { ::std::string::String },
        TypeRef::Bool => quote! { bool },
        TypeRef::Integer(kind) => int_type(*kind),
        TypeRef::F32 => quote! { f32 },
        TypeRef::F64 => quote! { f64 },
        TypeRef::Decimal => quote! { ::rust_decimal::Decimal },
        TypeRef::Uuid => quote! { ::uuid::Uuid },
        TypeRef::DateTime => quote! { ::chrono::DateTime<::chrono::Utc> },
        TypeRef::Date => quote! { ::chrono::NaiveDate },
        TypeRef::Bytes => quote! { ::std::vec::Vec<u8> },
        TypeRef::Json => quote! { ::serde_json::Value },
        TypeRef::Vec(inner) => {
            let inner = rust_type(inner, types);
            quote! { ::std::vec::Vec<#inner> }
        }
        TypeRef::Map(inner) => {
            let inner = rust_type(inner, types);
            quote! { ::std::collections::BTreeMap<::std::string::String, #inner> }
        }
        TypeRef::Tuple(members) => {
            let members = members.iter().map(|m| rust_type(m, types));
            quote! { ( #( #members, )* ) }
        }
        TypeRef::Option(inner) => {
            let inner = rust_type(inner, types);
            quote! { ::std::option::Option<#inner> }
        }
        TypeRef::Box(inner) => {
            let inner = rust_type(inner, types);
            quote! { ::std::boxed::Box<#inner> }
        }
    }
}

fn int_type(kind: IntKind) -> TokenStream {
    match kind {
        IntKind::I8 => quote! { i8 },
        IntKind::I16 => quote! { i16 },
        IntKind::I32 => quote! { i32 },
        IntKind::I64 => quote! { i64 },
        IntKind::U8 => quote! { u8 },
        IntKind::U16 => quote! { u16 },
        IntKind::U32 => quote! { u32 },
        IntKind::U64 => quote! { u64 },
    }
}
