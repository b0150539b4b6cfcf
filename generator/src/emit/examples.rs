//! The example in the `Client`'s rustdoc: one call of each kind the API
//! has (a plain call, optional parameters, the status and headers, a list
//! walked page by page, a download and an upload as streams), written with
//! the API's own operations, compiled by `cargo test` as a doctest.

use super::requests::Passed;
use crate::ir::{self, IntKind, TypeRef};
use crate::naming::unraw;

/// The "Calling the API" section, or `None` for an API without operations.
pub(super) fn calling_section(
    api: &ir::Api,
    crate_uses: &super::Uses,
    crate_ident: &str,
) -> Option<String> {
    // Calls only: a session is opened, not sent, and only with a feature.
    let calls = || api.operations.iter().filter(|op| op.session.is_none());
    // A read reads best: the first `GET`, if there is one.
    let first = calls().find(|op| op.method == "GET").or(calls().next())?;
    let mut args = Args::new(crate_ident);
    let mut body = Vec::new();
    let mut prose = vec![
        "Each method takes the operation's path parameters, its required parameters \
         and its required body, and returns a request; awaiting the request sends it \
         and gives the decoded body, or an [`Error`](crate::Error)."
            .to_owned(),
    ];

    body.push("// A call.".to_owned());
    body.push(format!("let answer = client.{}.await?;", args.call(first)));

    let optional = calls().find_map(|op| {
        let p = op
            .params
            .iter()
            .filter(|p| !p.required)
            .min_by_key(|p| literal(&p.ty).is_none())?;
        Some((op, p))
    });
    if let Some((op, p)) = optional {
        prose.push(
            "Optional parameters are setters on the request, so a parameter the API \
             adds later breaks no call."
                .to_owned(),
        );
        let value = literal(&p.ty).unwrap_or_else(|| args.arg(&p.rust_name, &p.ty));
        body.push(String::new());
        body.push("// Optional parameters.".to_owned());
        body.push(format!(
            "let answer = client.{}.{}({value}).await?;",
            args.call(op),
            p.rust_name
        ));
    }

    prose.push(
        "`send_with_response` gives the status and headers of a success as well \
         (a rate limit, an ETag)."
            .to_owned(),
    );
    body.push(String::new());
    body.push("// The status and headers too.".to_owned());
    body.push(format!(
        "let response = client.{}.send_with_response().await?;",
        args.call(first)
    ));
    body.push("let (status, etag) = (response.status(), response.headers().get(\"etag\"));".into());

    let mut uses = Vec::new();
    if let Some(op) = calls().find(|op| op.pagination.is_some()) {
        prose.push(
            "A list the API splits into pages is a `Stream` of its items across \
             pages (`stream`), or of its pages (`pages`)."
                .to_owned(),
        );
        uses.push("TryStreamExt");
        body.push(String::new());
        body.push("// Every item of a list, page after page.".to_owned());
        body.push(format!(
            "let items: Vec<_> = client.{}.stream().try_collect().await?;",
            args.call(op)
        ));
    }
    if let Some(op) = api
        .operations
        .iter()
        .find(|op| op.success == ir::Response::Bytes)
    {
        prose.push(
            "A download can be read as a stream of chunks rather than whole (`bytes_stream`)."
                .to_owned(),
        );
        uses.push("StreamExt");
        body.push(String::new());
        body.push("// A download, chunk by chunk.".to_owned());
        body.push(format!(
            "let mut chunks = client.{}.bytes_stream().await?;",
            args.call(op)
        ));
        body.push("while let Some(chunk) = chunks.next().await {".to_owned());
        body.push("    let chunk = chunk?;".to_owned());
        body.push("}".to_owned());
    }
    if let Some(op) = calls().find(|op| {
        op.body
            .as_ref()
            .is_some_and(|b| b.required && b.kind == ir::BodyKind::Bytes)
    }) {
        prose.push(
            "A body of bytes can come from memory (a `Vec<u8>`), a file (a \
             `tokio::fs::File`) or a stream ([`Body::wrap_stream`](crate::Body::wrap_stream))."
                .to_owned(),
        );
        // The stream is made with `futures-util`, which the crate depends
        // on only when it streams responses; else the bytes come from memory.
        if crate_uses.pagination || crate_uses.bytes_success {
            body.push(String::new());
            body.push("// An upload from a stream of chunks.".to_owned());
            body.push(
                "let chunks = futures_util::stream::iter([Ok::<_, std::io::Error>(vec![0_u8; 1024])]);"
                    .to_owned(),
            );
            args.upload_stream = true;
        } else {
            body.push(String::new());
            body.push("// An upload of bytes in memory.".to_owned());
        }
        body.push(format!("client.{}.await?;", args.call(op)));
    }

    let mut text = String::from("# Calling the API\n\n");
    text.push_str(&prose.join(" "));
    text.push_str("\n\n```no_run\n");
    if !uses.is_empty() {
        text.push_str(&format!("use futures_util::{{{}}};\n", uses.join(", ")));
    }
    text.push_str(&format!(
        "# async fn example(client: &{crate_ident}::Client{}) -> Result<(), Box<dyn std::error::Error>> {{\n",
        args.params
            .iter()
            .map(|(name, ty)| format!(", {name}: {ty}"))
            .collect::<String>()
    ));
    for line in body {
        text.push_str(&line);
        text.push('\n');
    }
    text.push_str("# Ok(())\n# }\n```");
    Some(text)
}

/// The arguments the example takes, named after the parameters they stand
/// for.
struct Args<'a> {
    crate_ident: &'a str,
    params: Vec<(String, String)>,
    /// The upload's body is the local `chunks`, wrapped.
    upload_stream: bool,
}

impl<'a> Args<'a> {
    fn new(crate_ident: &'a str) -> Self {
        Args {
            crate_ident,
            params: Vec::new(),
            upload_stream: false,
        }
    }

    /// `method(arguments)` for an operation.
    fn call(&mut self, op: &ir::Operation) -> String {
        let mut values = Vec::new();
        for p in op.params.iter().filter(|p| p.required) {
            let value = self.arg(&p.rust_name, &p.ty);
            values.push(value);
        }
        if let Some(b) = op.body.as_ref().filter(|b| b.required) {
            let value = match &b.kind {
                ir::BodyKind::Bytes if self.upload_stream => {
                    format!("{}::Body::wrap_stream(chunks)", self.crate_ident)
                }
                ir::BodyKind::Bytes => self.named("body", "Vec<u8>".to_owned()),
                ir::BodyKind::MultipartForm => {
                    self.named("form", format!("{}::multipart::Form", self.crate_ident))
                }
                ir::BodyKind::Text => self.named("body", "&str".to_owned()),
                ir::BodyKind::Json(ty)
                | ir::BodyKind::Form(ty)
                | ir::BodyKind::Multipart { ty, .. } => {
                    let ty = format!("&{}", type_text(ty, self.crate_ident));
                    self.named("body", ty)
                }
            };
            values.push(value);
        }
        // Names as written in code: `r#match` stays raw.
        format!("{}({})", op.rust_name, values.join(", "))
    }

    /// An argument of the example for a parameter of this type, passed as
    /// the method takes it.
    fn arg(&mut self, name: &str, ty: &TypeRef) -> String {
        let ty = match Passed::of(ty) {
            Passed::Str => "&str".to_owned(),
            Passed::Slice(item) => format!("&[{}]", type_text(item, self.crate_ident)),
            Passed::Value(ty) => type_text(ty, self.crate_ident),
            Passed::Ref(ty) => format!("&{}", type_text(ty, self.crate_ident)),
        };
        self.named(name, ty)
    }

    /// The example's argument `name` of type `ty`, taken once.
    fn named(&mut self, name: &str, ty: String) -> String {
        match self.params.iter().find(|(n, _)| n == name) {
            Some((_, t)) if *t == ty => {}
            Some(_) => {
                let name = format!("{}_{}", unraw(name), self.params.len());
                self.params.push((name.clone(), ty));
                return name;
            }
            None => self.params.push((name.to_owned(), ty)),
        }
        name.to_owned()
    }
}

/// A literal value for a setter of this type, when one reads naturally.
fn literal(ty: &TypeRef) -> Option<String> {
    match ty {
        TypeRef::Bool => Some("true".into()),
        TypeRef::Integer(_) => Some("10".into()),
        TypeRef::String => Some("\"value\"".into()),
        _ => None,
    }
}

/// A type as written in the example (`zoo_payments::types::Invoice`).
fn type_text(ty: &TypeRef, crate_ident: &str) -> String {
    match ty {
        TypeRef::Named(name) => format!("{crate_ident}::types::{}", unraw(name)),
        TypeRef::String => "String".into(),
        TypeRef::Bool => "bool".into(),
        TypeRef::Integer(kind) => match kind {
            IntKind::I8 => "i8",
            IntKind::I16 => "i16",
            IntKind::I32 => "i32",
            IntKind::I64 => "i64",
            IntKind::U8 => "u8",
            IntKind::U16 => "u16",
            IntKind::U32 => "u32",
            IntKind::U64 => "u64",
        }
        .into(),
        TypeRef::F32 => "f32".into(),
        TypeRef::F64 => "f64".into(),
        TypeRef::Decimal => "rust_decimal::Decimal".into(),
        TypeRef::Uuid => "uuid::Uuid".into(),
        TypeRef::DateTime => "chrono::DateTime<chrono::Utc>".into(),
        TypeRef::Date => "chrono::NaiveDate".into(),
        TypeRef::Bytes => "Vec<u8>".into(),
        TypeRef::Json => "serde_json::Value".into(),
        TypeRef::Vec(inner) => format!("Vec<{}>", type_text(inner, crate_ident)),
        TypeRef::Tuple(members) => tuple_text(members, |m| type_text(m, crate_ident)),
        TypeRef::Map(inner) => format!(
            "std::collections::BTreeMap<String, {}>",
            type_text(inner, crate_ident)
        ),
        TypeRef::Option(inner) => format!("Option<{}>", type_text(inner, crate_ident)),
        TypeRef::Box(inner) => format!("Box<{}>", type_text(inner, crate_ident)),
    }
}

/// The `ClientBuilder`'s rustdoc: what it sets, with a compiled example
/// that sets each of it.
pub(super) fn builder_section(client: &ir::Client, crate_ident: &str) -> String {
    let mut args = Vec::new();
    if client.default_base_url.is_none() {
        args.push("\"https://api.example.com\"");
    }
    if client.auth.token_argument {
        args.push("std::env::var(\"API_TOKEN\")?");
    }
    let args = args.join(", ");
    // A credential, set as its scheme's setter takes it.
    let credential = client
        .auth
        .schemes
        .iter()
        .find(|s| s.declared && !client.auth.token_argument)
        .map_or(String::new(), |scheme| {
            let setter = crate::naming::unraw(&scheme.setter);
            let value = match scheme.credential {
                ir::Credential::Basic => {
                    "std::env::var(\"API_USERNAME\")?, std::env::var(\"API_PASSWORD\")?"
                }
                ir::Credential::Bearer => "std::env::var(\"API_TOKEN\")?",
                ir::Credential::ApiKey { .. } => "std::env::var(\"API_KEY\")?",
            };
            format!(
                "    // The credentials: one setter per security scheme, each sent only by\n    \
                 // the calls that ask for it.\n    .{setter}({value})\n"
            )
        });
    format!(
        "Builds a [`Client`] with other settings than [`Client::new`]'s: timeouts, retries \
         ([`Retry`](crate::Retry)), request hooks ([`Hook`](crate::Hook)), the response size \
         cap and the user agent.\n\n\
         ```no_run\n\
         # fn example() -> Result<(), Box<dyn std::error::Error>> {{\n\
         use std::time::Duration;\n\
         use {crate_ident}::{{Client, Retry}};\n\
         \n\
         let client = Client::builder({args})\n\
         {credential}    \
             .timeout(Duration::from_secs(30))\n    \
             .connect_timeout(Duration::from_secs(5))\n    \
             // GET, HEAD, PUT, DELETE and OPTIONS, and the POSTs and PATCHes marked idempotent,\n    \
             // after a 429, 502, 503 or 504 or a failure to connect.\n    \
             .retry(Retry::new().max_attempts(4).max_elapsed(Duration::from_secs(120)))\n    \
             .max_response_bytes(16 * 1024 * 1024)\n    \
             .build()?;\n\
         # Ok(())\n\
         # }}\n\
         ```"
    )
}

/// `(A, B)` from its members' text; a tuple of one is `(A,)`.
pub(super) fn tuple_text(members: &[TypeRef], text: impl Fn(&TypeRef) -> String) -> String {
    let members: Vec<String> = members.iter().map(text).collect();
    match members.as_slice() {
        [only] => format!("({only},)"),
        _ => format!("({})", members.join(", ")),
    }
}

/// The example in the `session` module's rustdoc: a session of one of the
/// API's WebSocket operations opened, a message sent, answers read until
/// one arrives, and the session closed.
pub(super) fn session_section(api: &ir::Api, crate_ident: &str) -> Option<String> {
    // A typed session with parameters shows the most: of the sessions,
    // the first typed one with the most parameters.
    let op = api
        .operations
        .iter()
        .filter(|op| op.session.is_some())
        .rev()
        .max_by_key(|op| {
            let typed = op.session.as_ref().is_some_and(|s| s.send.is_some());
            (typed, op.params.len())
        })?;
    let session = op.session.as_ref()?;
    let mut args = Args::new(crate_ident);
    let mut call = args.call(op);
    // An optional parameter, as a setter, when one takes a plain literal.
    if let Some((p, value)) = op
        .params
        .iter()
        .filter(|p| !p.required)
        .find_map(|p| Some((p, literal(&p.ty)?)))
    {
        call.push_str(&format!(".{}({value})", p.rust_name));
    }
    let message = match &session.send {
        Some(ty) => type_text(ty, crate_ident),
        None => "String".to_owned(),
    };
    let message = args.named("message", message);
    let params: String = args
        .params
        .iter()
        .map(|(name, ty)| format!(", {name}: {ty}"))
        .collect();
    let name = unraw(&op.rust_name);
    Some(format!(
        "# A session\n\n\
         `{name}`, opened, a message sent, the answers read until the first \
         message, and closed:\n\n\
         ```no_run\n\
         use {crate_ident}::session::Received;\n\n\
         # async fn example(client: &{crate_ident}::Client{params}) -> Result<(), Box<dyn std::error::Error>> {{\n\
         let mut session = client.{call}.await?;\n\
         session.send(&{message}).await?;\n\
         while let Some(received) = session.receive().await {{\n\
         \x20   match received? {{\n\
         \x20       Received::Message(answer) => {{\n\
         \x20           println!(\"{{answer:?}}\");\n\
         \x20           break;\n\
         \x20       }}\n\
         \x20       // What the document does not type: the caller reads it.\n\
         \x20       Received::Binary(bytes) => println!(\"{{}} bytes\", bytes.len()),\n\
         \x20       Received::Closed {{ code, reason }} => {{\n\
         \x20           println!(\"closed by the server: {{code}} {{reason}}\");\n\
         \x20           return Ok(());\n\
         \x20       }}\n\
         \x20       _ => {{}}\n\
         \x20   }}\n\
         }}\n\
         session.close(1000, \"done\").await?;\n\
         # Ok(())\n\
         # }}\n\
         ```"
    ))
}
