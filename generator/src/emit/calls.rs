//! The crate's call tests (`tests/calls.rs` and its cases): every operation
//! called once against the server `CALLS_BASE_URL` names, a mock of the
//! document (Prism) or a staging server, which judges each request.

use super::requests::Passed;
use super::{ident, rust_type};
use crate::ir::{self, BodyKind};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// What the call tests send as each kind of credential: made up, so that a
/// server that checks only that a credential is there accepts them.
const TOKEN: &str = "calls-test-token";
const USERNAME: &str = "calls-test-user";
const PASSWORD: &str = "calls-test-password";
const KEY: &str = "calls-test-key";

/// Whether any call sends a multipart body whose parts the caller builds.
fn sends_forms(api: &ir::Api) -> bool {
    api.operations.iter().any(|op| {
        op.body
            .as_ref()
            .is_some_and(|b| matches!(b.kind, BodyKind::MultipartForm))
    })
}

/// Whether any call decodes a value built for an argument (`arg`).
fn decodes_args(api: &ir::Api) -> bool {
    api.call_cases
        .iter()
        .any(|c| c.not_called.is_none() && !c.args.is_empty())
}

/// `tests/calls.rs`: the harness, for the crate `crate_ident`. It reads the
/// calls of `tests/calls/cases.rs`.
pub fn calls_rs(api: &ir::Api, crate_ident: &str) -> TokenStream {
    let krate = ident(crate_ident);
    let has_calls = api.call_cases.iter().any(|c| c.not_called.is_none());
    // Without a call to make, the helpers that make one are not used.
    let unused = (!has_calls).then(|| quote! { #[allow(dead_code)] });
    // Calls without arguments (a health check) decode none.
    let unused_arg =
        (!decodes_args(api) && !sends_forms(api)).then(|| quote! { #[allow(dead_code)] });
    let form = sends_forms(api).then(|| {
        quote! {
            /// A multipart body of the members of an object: a string as
            /// its text, anything else as JSON text.
            fn form(name: &str, json: &str) -> ::std::result::Result<::reqwest::multipart::Form, ::std::string::String> {
                let value: ::serde_json::Map<::std::string::String, ::serde_json::Value> = arg(name, json)?;
                let mut form = ::reqwest::multipart::Form::new();
                for (key, value) in value {
                    let text = match value {
                        ::serde_json::Value::String(text) => text,
                        other => other.to_string(),
                    };
                    form = form.text(key, text);
                }
                ::std::result::Result::Ok(form)
            }
        }
    });
    quote! {
        //! The crate's calls against a server of its API description.
        //!
        //! Every operation is called once, one after another, against the
        //! server that `CALLS_BASE_URL` names, with arguments built from
        //! the description's schemas (or its examples), every optional
        //! parameter that could be given a value, and a made-up credential
        //! for every security scheme:
        //!
        //! ```text
        //! CALLS_BASE_URL=http://127.0.0.1:4010 cargo test --test calls -- --nocapture
        //! ```
        //!
        //! A mock server that validates requests against the description,
        //! such as Stoplight Prism (`prism mock openapi.yaml`), judges
        //! whether each request is sent as the description says: its
        //! parameters where they go and in their style, its body in its
        //! media type and shape, its credentials. A call fails when the
        //! server rejects the request (Prism lists what is wrong in an
        //! `sl-violations` header), when no answer comes, when the answer
        //! does not decode into its type, or when a value built for an
        //! argument does not decode into the argument's type. An operation
        //! for whose required arguments no valid value could be built is
        //! not called, and says why.
        //!
        //! `CALLS_ONLY=list_pets,get_pet` calls only those methods;
        //! `CALLS_REPORT=calls.jsonl` writes one JSON line per operation.
        //! Without `CALLS_BASE_URL` nothing is called. The test needs the
        //! crate's `client` feature (`required-features` in `Cargo.toml`).

        #[path = "calls/cases.rs"]
        mod cases;

        use ::std::future::Future;
        use ::std::pin::Pin;
        use ::std::sync::{Arc, Mutex};
        use ::#krate::{Error, Hook, Operation, Response};

        /// The future of one call: how the server answered, or why the
        /// arguments could not be made.
        type Calling<'c> = Pin<::std::boxed::Box<dyn Future<Output = ::std::result::Result<Answer, ::std::string::String>> + 'c>>;

        /// One operation to call.
        struct Call {
            /// The client's method.
            operation: &'static str,
            /// The HTTP method.
            method: &'static str,
            /// The path template.
            path: &'static str,
            /// Where the operation is in the API description.
            origin: &'static str,
            /// Makes the call; `None` when it cannot be made.
            call: ::std::option::Option<for<'c> fn(&'c ::#krate::Client) -> Calling<'c>>,
            /// Why it cannot be made.
            not_called: &'static str,
        }

        /// How the server answered a call, as the client read it.
        enum Answer {
            /// A success, decoded into its type.
            Decoded,
            /// An error status; `documented` when its body decoded into the
            /// documented error type (or it has none to decode).
            Error { documented: bool, body: ::std::string::String },
            /// A success whose body does not decode into its type.
            Undecoded { pointer: ::std::string::String, message: ::std::string::String, body: ::std::string::String },
            /// No answer: the request could not be sent, or the response read.
            Failed(::std::string::String),
        }

        /// What the last call sent and was answered, as a hook saw it.
        #[derive(Default)]
        struct Heard(Mutex<Exchange>);

        /// One request and its answer.
        #[derive(Default, Clone)]
        struct Exchange {
            /// The request's method and URL, its query included.
            request: ::std::string::String,
            /// The request's body, when it was in memory.
            body: ::std::option::Option<::std::string::String>,
            /// The request's `Content-Type`.
            content_type: ::std::option::Option<::std::string::String>,
            /// The answer's status.
            status: u16,
            /// The answer's `sl-violations` header.
            violations: ::std::option::Option<::std::string::String>,
        }

        impl Heard {
            fn take(&self) -> Exchange {
                self.0.lock().map(|mut last| ::std::mem::take(&mut *last)).unwrap_or_default()
            }
        }

        impl Hook for Heard {
            fn before_send<'a>(&'a self, _: &'a Operation, request: &'a mut ::reqwest::Request) -> ::#krate::HookFuture<'a> {
                if let ::std::result::Result::Ok(mut last) = self.0.lock() {
                    last.request = format!("{} {}", request.method(), request.url());
                    last.content_type = request
                        .headers()
                        .get(::reqwest::header::CONTENT_TYPE)
                        .map(|v| ::std::string::String::from_utf8_lossy(v.as_bytes()).into_owned());
                    last.body = request
                        .body()
                        .and_then(::reqwest::Body::as_bytes)
                        .map(|bytes| ::std::string::String::from_utf8_lossy(bytes).into_owned());
                }
                ::std::boxed::Box::pin(::std::future::ready(::std::result::Result::Ok(())))
            }

            fn after_response(&self, _: &Operation, response: &::reqwest::Response) {
                if let ::std::result::Result::Ok(mut last) = self.0.lock() {
                    last.status = response.status().as_u16();
                    last.violations = response
                        .headers()
                        .get("sl-violations")
                        .map(|v| ::std::string::String::from_utf8_lossy(v.as_bytes()).into_owned());
                }
            }
        }

        /// The value built for an argument, decoded into its type.
        #unused_arg
        fn arg<T: ::serde::de::DeserializeOwned>(name: &str, json: &str) -> ::std::result::Result<T, ::std::string::String> {
            ::serde_json::from_str(json).map_err(|e| {
                format!("the value built for `{name}` does not decode into its type ({e}): {json}")
            })
        }

        #form

        /// How the client read the server's answer.
        #unused
        fn answer<T, E: ::std::fmt::Debug>(result: ::std::result::Result<Response<T>, Error<E>>) -> Answer {
            match result {
                ::std::result::Result::Ok(_) => Answer::Decoded,
                ::std::result::Result::Err(Error::Api { .. }) => Answer::Error {
                    documented: true,
                    body: ::std::string::String::new(),
                },
                ::std::result::Result::Err(Error::UnexpectedResponse { response, .. }) => Answer::Error {
                    documented: response.body().is_empty(),
                    body: ::std::string::String::from_utf8_lossy(response.body()).into_owned(),
                },
                ::std::result::Result::Err(Error::InvalidResponse { response, source, .. }) => Answer::Undecoded {
                    pointer: source.pointer().to_owned(),
                    message: source.serde_error().to_string(),
                    body: ::std::string::String::from_utf8_lossy(response.body()).into_owned(),
                },
                ::std::result::Result::Err(other) => {
                    let mut message = other.to_string();
                    let mut source = ::std::error::Error::source(&other);
                    while let ::std::option::Option::Some(cause) = source {
                        message.push_str(&format!(": {cause}"));
                        source = cause.source();
                    }
                    Answer::Failed(message)
                }
            }
        }

        /// What a call came to.
        enum Verdict {
            /// Not called: no valid value for a required argument.
            NotCalled(::std::string::String),
            /// Not called: a value built for an argument does not decode.
            Arguments(::std::string::String),
            /// Called; no answer came.
            Failed(::std::string::String),
            /// Called; the server says the request breaks the description.
            Rejected { status: u16, violations: ::std::string::String },
            /// Called and accepted; whether the answer decoded.
            Accepted { status: u16, decoded: bool, detail: ::std::string::String, body: ::std::option::Option<::std::string::String> },
            /// Called and accepted; the answer does not decode, and the
            /// server says it breaks the description.
            BrokenAnswer { status: u16, detail: ::std::string::String, body: ::std::string::String },
        }

        impl Verdict {
            fn name(&self) -> &'static str {
                match self {
                    Verdict::NotCalled(_) => "not-called",
                    Verdict::Arguments(_) => "arguments",
                    Verdict::Failed(_) => "failed",
                    Verdict::Rejected { .. } => "rejected",
                    Verdict::Accepted { decoded: true, .. } => "decoded",
                    Verdict::Accepted { decoded: false, .. } => "undecoded",
                    Verdict::BrokenAnswer { .. } => "broken-answer",
                }
            }

            /// Whether the call failed for a reason of the crate's.
            fn fails(&self) -> bool {
                !matches!(
                    self,
                    Verdict::NotCalled(_) | Verdict::Accepted { decoded: true, .. } | Verdict::BrokenAnswer { .. }
                )
            }
        }

        /// The violations of a `sl-violations` header (Prism's list of what
        /// breaks the description) of severity `Error` whose location starts
        /// with `place` (`request`, `response`), as JSON text; `None` when
        /// there are none.
        fn violations(header: &::std::option::Option<::std::string::String>, place: &str) -> ::std::option::Option<::std::string::String> {
            let list: ::std::vec::Vec<::serde_json::Value> = ::serde_json::from_str(header.as_deref()?).unwrap_or_default();
            let picked: ::std::vec::Vec<&::serde_json::Value> = list
                .iter()
                .filter(|v| v.get("severity").and_then(::serde_json::Value::as_str) != ::std::option::Option::Some("Warning"))
                .filter(|v| v.pointer("/location/0").and_then(::serde_json::Value::as_str) == ::std::option::Option::Some(place))
                .collect();
            (!picked.is_empty()).then(|| ::serde_json::Value::from(picked.into_iter().cloned().collect::<::std::vec::Vec<_>>()).to_string())
        }

        /// The violations of a problem Prism writes itself when the
        /// document has no `422` answer to give (`validation`), located as
        /// in `sl-violations` (`request` first), as JSON text.
        fn problem_violations(body: &str) -> ::std::option::Option<::std::string::String> {
            let problem: ::serde_json::Value = ::serde_json::from_str(body).ok()?;
            let kind = problem.get("type").and_then(::serde_json::Value::as_str)?;
            if !kind.starts_with("https://stoplight.io/prism/errors") {
                return ::std::option::Option::None;
            }
            let mut listed = problem.get("validation")?.as_array()?.clone();
            for violation in &mut listed {
                if let ::std::option::Option::Some(::serde_json::Value::Array(location)) = violation.get_mut("location") {
                    location.insert(0, ::serde_json::Value::from("request"));
                }
            }
            (!listed.is_empty()).then(|| ::serde_json::Value::from(listed).to_string())
        }

        /// Judges one call, with what was sent and answered.
        fn verdict(
            call: &Call,
            client: &::#krate::Client,
            heard: &Heard,
            runtime: &::tokio::runtime::Runtime,
        ) -> (Verdict, Exchange) {
            let ::std::option::Option::Some(make) = call.call else {
                return (Verdict::NotCalled(call.not_called.to_owned()), Exchange::default());
            };
            heard.take();
            let answer = runtime.block_on(make(client));
            let exchange = heard.take();
            let answer = match answer {
                ::std::result::Result::Ok(answer) => answer,
                ::std::result::Result::Err(message) => return (Verdict::Arguments(message), exchange),
            };
            let status = exchange.status;
            if let ::std::option::Option::Some(violations) = violations(&exchange.violations, "request") {
                return (Verdict::Rejected { status, violations }, exchange);
            }
            if let Answer::Error { documented: false, body } = &answer {
                if let ::std::option::Option::Some(violations) = problem_violations(body) {
                    return (Verdict::Rejected { status, violations }, exchange);
                }
            }
            // The server's own answer breaking its description (Prism checks
            // the answers it makes up too) is not the client's fault.
            let broken = violations(&exchange.violations, "response");
            let verdict = match answer {
                Answer::Failed(message) => Verdict::Failed(message),
                Answer::Decoded => Verdict::Accepted { status, decoded: true, detail: ::std::string::String::new(), body: ::std::option::Option::None },
                Answer::Error { documented: true, .. } => Verdict::Accepted { status, decoded: true, detail: ::std::string::String::new(), body: ::std::option::Option::None },
                Answer::Error { documented: false, body } => Verdict::Accepted {
                    status,
                    decoded: false,
                    detail: "an error status whose body is not the documented error type".to_owned(),
                    body: ::std::option::Option::Some(body),
                },
                Answer::Undecoded { pointer, message, body } => match broken {
                    ::std::option::Option::Some(broken) => Verdict::BrokenAnswer {
                        status,
                        detail: format!("does not decode at `{pointer}` ({message}); the server says its answer breaks the description: {broken}"),
                        body,
                    },
                    ::std::option::Option::None => Verdict::Accepted {
                        status,
                        decoded: false,
                        detail: format!("does not decode at `{pointer}`: {message}"),
                        body: ::std::option::Option::Some(body),
                    },
                },
            };
            (verdict, exchange)
        }

        /// What the calls came to: a line per operation, the summary, the
        /// report (a JSON line per operation), and the operations whose call
        /// failed for a reason of the crate's.
        pub(crate) struct Calls {
            pub(crate) lines: ::std::vec::Vec<::std::string::String>,
            pub(crate) summary: ::std::string::String,
            pub(crate) report: ::std::string::String,
            pub(crate) failures: ::std::vec::Vec<&'static str>,
        }

        /// Calls every operation (or those `only` names) against the server at
        /// `base_url`, one after another.
        pub(crate) fn run(base_url: &str, only: &[::std::string::String]) -> Calls {
            let heard = Arc::new(Heard::default());
            let client = cases::client(base_url, Arc::clone(&heard));
            let runtime = ::tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime to call on");
            let mut calls = Calls {
                lines: ::std::vec::Vec::new(),
                summary: ::std::string::String::new(),
                report: ::std::string::String::new(),
                failures: ::std::vec::Vec::new(),
            };
            let (mut total, mut called, mut accepted, mut decoded) = (0, 0, 0, 0);
            for call in cases::CALLS.iter().filter(|c| only.is_empty() || only.iter().any(|o| o == c.operation)) {
                total += 1;
                let (verdict, exchange) = verdict(call, &client, &heard, &runtime);
                let (status, text) = match &verdict {
                    Verdict::NotCalled(why) | Verdict::Arguments(why) | Verdict::Failed(why) => (::std::option::Option::None, why.clone()),
                    Verdict::Rejected { status, violations } => (::std::option::Option::Some(*status), violations.clone()),
                    Verdict::Accepted { status, detail, .. } | Verdict::BrokenAnswer { status, detail, .. } => {
                        (::std::option::Option::Some(*status), detail.clone())
                    }
                };
                called += usize::from(!matches!(verdict, Verdict::NotCalled(_) | Verdict::Arguments(_)));
                accepted += usize::from(matches!(verdict, Verdict::Accepted { .. } | Verdict::BrokenAnswer { .. }));
                decoded += usize::from(matches!(verdict, Verdict::Accepted { decoded: true, .. }));
                let shown = status.map_or_else(|| "---".to_owned(), |s| s.to_string());
                calls.lines.push(format!(
                    "{:<10} {} {} {} ({}){}",
                    verdict.name(),
                    shown,
                    call.method,
                    call.path,
                    call.operation,
                    if text.is_empty() { ::std::string::String::new() } else { format!(": {text}") },
                ));
                if verdict.fails() {
                    if !exchange.request.is_empty() {
                        calls.lines.push(format!(
                            "           sent {}{}",
                            exchange.request,
                            exchange.body.as_deref().map(|b| format!(" with {b}")).unwrap_or_default()
                        ));
                    }
                    calls.failures.push(call.operation);
                }
                let body = match &verdict {
                    Verdict::Accepted { body, .. } => body.clone(),
                    Verdict::BrokenAnswer { body, .. } => ::std::option::Option::Some(body.clone()),
                    _ => ::std::option::Option::None,
                };
                let line = ::serde_json::json!({
                    "operation": call.operation,
                    "method": call.method,
                    "path": call.path,
                    "origin": call.origin,
                    "verdict": verdict.name(),
                    "status": status,
                    "detail": text,
                    "body": body,
                    "sent": exchange.request,
                    "sent_body": exchange.body,
                    "sent_content_type": exchange.content_type,
                });
                calls.report.push_str(&line.to_string());
                calls.report.push('\n');
            }
            calls.summary = format!("calls: {total} operations, {called} called, {accepted} accepted by the server, {decoded} answers decoded");
            calls
        }

        #[test]
        fn every_operation_is_accepted_by_the_server() {
            let ::std::result::Result::Ok(base_url) = ::std::env::var("CALLS_BASE_URL") else {
                println!("calls: CALLS_BASE_URL is not set, so nothing is called; set it to a server of the API description (a mock such as `prism mock`, or staging)");
                return;
            };
            let only: ::std::vec::Vec<::std::string::String> = ::std::env::var("CALLS_ONLY")
                .map(|list| list.split(',').map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect())
                .unwrap_or_default();
            let calls = run(&base_url, &only);
            for line in &calls.lines {
                println!("{line}");
            }
            println!("{}", calls.summary);
            if let ::std::result::Result::Ok(path) = ::std::env::var("CALLS_REPORT") {
                ::std::fs::write(&path, &calls.report).expect("the report to be written");
            }
            assert!(
                calls.failures.is_empty(),
                "{} calls fail: {}",
                calls.failures.len(),
                calls.failures.join(", ")
            );
        }
    }
}

/// `tests/calls/cases.rs`: the client the calls go through, and one call
/// per operation.
pub fn cases_rs(api: &ir::Api, crate_ident: &str) -> TokenStream {
    let krate = ident(crate_ident);
    let types = quote! { ::#krate::types:: };
    let client = client_fn(api, &krate);
    let mut functions = Vec::new();
    let mut calls = Vec::new();
    for (op, case) in api.operations.iter().zip(&api.call_cases) {
        let operation = crate::naming::unraw(&op.rust_name);
        let (method, path, origin) = (&op.method, &op.path_template, &op.origin);
        let (call, not_called) = match &case.not_called {
            Some(why) => (quote! { ::std::option::Option::None }, why.clone()),
            None => {
                let name = format_ident!("call_{}", operation);
                functions.push(call_fn(op, case, &name, &types, &krate));
                (quote! { ::std::option::Option::Some(#name) }, String::new())
            }
        };
        calls.push(quote! {
            Call {
                operation: #operation,
                method: #method,
                path: #path,
                origin: #origin,
                call: #call,
                not_called: #not_called,
            },
        });
    }
    let imports = if functions.is_empty() {
        quote! { use super::Call; }
    } else if decodes_args(api) {
        quote! { use super::{answer, arg, Call, Calling}; }
    } else {
        quote! { use super::{answer, Call, Calling}; }
    };
    let form = sends_forms(api).then(|| quote! { use super::form; });
    quote! {
        //! The calls `tests/calls.rs` makes: one per operation, with the
        //! values built for its arguments.

        // Deprecated operations are called too.
        #![allow(deprecated)]

        #imports
        #form

        #client

        pub(super) static CALLS: &[Call] = &[
            #( #calls )*
        ];

        #( #functions )*
    }
}

/// The client the calls go through: to `base_url`, with `hook`, and a
/// made-up credential for every scheme.
fn client_fn(api: &ir::Api, krate: &proc_macro2::Ident) -> TokenStream {
    let auth = &api.client.auth;
    let base_url_arg = api
        .client
        .default_base_url
        .is_none()
        .then(|| quote! { base_url, });
    let token_arg = auth.token_argument.then(|| quote! { #TOKEN, });
    let setters = (!auth.token_argument).then(|| {
        let each = auth.schemes.iter().map(|s| {
            let setter = ident(&s.setter);
            match s.credential {
                ir::Credential::Basic => quote! { .#setter(#USERNAME, #PASSWORD) },
                ir::Credential::Bearer => quote! { .#setter(#TOKEN) },
                ir::Credential::ApiKey { .. } => quote! { .#setter(#KEY) },
            }
        });
        quote! { #( #each )* }
    });
    quote! {
        /// The client the calls go through: to `base_url`, with `hook`,
        /// and a made-up credential for every security scheme.
        pub(super) fn client(base_url: &str, hook: impl ::#krate::Hook + 'static) -> ::#krate::Client {
            // A redirect is an answer: where it leads (another host, often)
            // is not the API's to judge.
            let http = ::reqwest::Client::builder()
                .redirect(::reqwest::redirect::Policy::none())
                .build()
                .expect("a reqwest client");
            ::#krate::Client::builder(#base_url_arg #token_arg)
                .base_url(base_url)
                .http_client(http)
                #setters
                .hook(hook)
                .build()
                .expect("a client")
        }
    }
}

/// The function that makes one call: it decodes the value built for each
/// argument, calls the method with them, sets the optional ones, and
/// sends the request.
fn call_fn(
    op: &ir::Operation,
    case: &ir::CallCase,
    name: &proc_macro2::Ident,
    types: &TokenStream,
    krate: &proc_macro2::Ident,
) -> TokenStream {
    let value_of = |rust_name: &str| case.args.iter().find(|a| a.rust_name == rust_name);
    let mut locals = Vec::new();
    let mut positional = Vec::new();
    let mut setters = Vec::new();
    for p in &op.params {
        let Some(arg) = value_of(&p.rust_name) else {
            continue;
        };
        let local = format_ident!("arg_{}", crate::naming::unraw(&p.rust_name));
        let wire = &p.wire_name;
        let json = &arg.json;
        let (ty, pass) = match Passed::of(&p.ty) {
            Passed::Str => (quote! { ::std::string::String }, quote! { &#local }),
            Passed::Slice(item) => {
                let item = rust_type(item, types);
                (quote! { ::std::vec::Vec<#item> }, quote! { &#local })
            }
            Passed::Value(ty) => (rust_type(ty, types), quote! { #local }),
            Passed::Ref(ty) => (rust_type(ty, types), quote! { &#local }),
        };
        locals.push(quote! { let #local: #ty = arg(#wire, #json)?; });
        if p.required {
            positional.push(pass);
        } else {
            let setter = ident(&p.rust_name);
            setters.push(quote! { .#setter(#pass) });
        }
    }
    if let Some(body) = &op.body
        && let Some(arg) = value_of(&body.rust_name)
    {
        let local = format_ident!("arg_{}", crate::naming::unraw(&body.rust_name));
        let json = &arg.json;
        let (decode, pass) = match &body.kind {
            BodyKind::Json(ty) | BodyKind::Form(ty) | BodyKind::Multipart { ty, .. } => {
                let ty = rust_type(ty, types);
                (
                    quote! { let #local: #ty = arg("body", #json)?; },
                    quote! { &#local },
                )
            }
            BodyKind::Text => (
                quote! { let #local: ::std::string::String = arg("body", #json)?; },
                quote! { &#local },
            ),
            BodyKind::Bytes => (
                quote! { let #local: ::std::string::String = arg("body", #json)?; },
                quote! { #local.into_bytes() },
            ),
            BodyKind::MultipartForm => (
                quote! { let #local = form("body", #json)?; },
                quote! { #local },
            ),
        };
        locals.push(decode);
        if body.required {
            positional.push(pass);
        } else {
            let setter = ident(&body.rust_name);
            setters.push(quote! { .#setter(#pass) });
        }
    }
    let method = ident(&op.rust_name);
    quote! {
        fn #name(client: &::#krate::Client) -> Calling<'_> {
            ::std::boxed::Box::pin(async move {
                #( #locals )*
                let result = client.#method(#( #positional ),*) #( #setters )* .send_with_response().await;
                ::std::result::Result::Ok(answer(result))
            })
        }
    }
}
