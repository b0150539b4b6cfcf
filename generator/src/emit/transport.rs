//! The generated crate's `transport` module: how a request travels once it
//! is built. Timeouts, opt-in retries of what is safe to repeat, the request
//! hook, the response size cap and, with the `tracing` feature, one span per
//! call. It is the same in every crate; the operations only say what they
//! are (`Operation`) and hand their built request over.

use proc_macro2::TokenStream;
use quote::quote;

pub(super) fn transport_rs(uses: &super::Uses) -> TokenStream {
    // With no operation, nothing sends a request.
    let unused = (!uses.operations).then(|| quote! { #![allow(dead_code)] });
    let operation = operation();
    let retry = retry();
    let hook = hook();
    let settings = settings();
    let send = send();
    let read = read(uses.bytes_success, uses.sessions);
    let tracing = tracing();
    quote! {
        //! How a request travels once it is built: timeouts, retries of
        //! what is safe to repeat, the request [`Hook`], the response size
        //! cap and, with the `tracing` feature, one span per call.
        //!
        //! Everything here is set per client, with [`crate::ClientBuilder`].
        #unused

        use std::future::Future;
        use std::pin::Pin;
        use std::sync::Arc;
        use std::time::{Duration, Instant, SystemTime};

        use reqwest::header::{HeaderMap, HeaderValue};
        use reqwest::StatusCode;

        #operation
        #retry
        #hook
        #settings
        #send
        #read
        #tracing
    }
}

/// What a request says of itself, for the hook, the retries and the span.
fn operation() -> TokenStream {
    quote! {
        /// The operation a request belongs to, as the API description
        /// names it: what a [`Hook`] and the `tracing` span see of it.
        /// Each request type has its own as `OPERATION`
        /// (`requests::GetUser::OPERATION`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub struct Operation {
            id: &'static str,
            method: &'static str,
            path: &'static str,
            idempotent: bool,
        }

        impl Operation {
            pub(crate) const fn new(id: &'static str, method: &'static str, path: &'static str, idempotent: bool) -> Self {
                Self { id, method, path, idempotent }
            }

            /// The `operationId` (or, for an operation without one, its
            /// method and path).
            pub fn id(&self) -> &'static str {
                self.id
            }

            /// The HTTP method, upper case (`GET`).
            pub fn method(&self) -> &'static str {
                self.method
            }

            /// The path template, with its parameters as names, not values
            /// (`/users/{id}`): safe to log, unlike the URL.
            pub fn path(&self) -> &'static str {
                self.path
            }

            /// Whether sending the request twice has the effect of sending
            /// it once, so that [`Retry`] may repeat it: every GET, HEAD,
            /// PUT, DELETE, OPTIONS and TRACE, and a POST or PATCH the API
            /// description marks `x-idempotent: true` or the generator's
            /// settings name.
            pub fn is_idempotent(&self) -> bool {
                self.idempotent
            }
        }
    }
}

fn retry() -> TokenStream {
    quote! {
        /// When a request is sent again: retries are off unless a client is
        /// built with one ([`crate::ClientBuilder::retry`]).
        ///
        /// A request is retried only when all of these hold:
        /// - its operation [is idempotent](Operation::is_idempotent), so
        ///   that a POST that charges a card is never sent twice;
        /// - the attempt failed to connect, or was answered 429, 502, 503
        ///   or 504;
        /// - its body can be sent again (a body given as a stream cannot);
        /// - fewer than [`max_attempts`](Self::max_attempts) were made, and
        ///   the next would start within [`max_elapsed`](Self::max_elapsed)
        ///   of the first.
        ///
        /// The wait before the next attempt is the response's
        /// `Retry-After` (seconds or an HTTP date) when it has one. When
        /// that is longer than [`max_retry_after`](Self::max_retry_after),
        /// the response is returned at once, as the error, with its
        /// headers. Without it the wait grows exponentially from
        /// [`initial_backoff`](Self::initial_backoff) up to
        /// [`max_backoff`](Self::max_backoff), with jitter: a random half
        /// of each wait, so that many clients do not retry in step.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct Retry {
            max_attempts: u32,
            initial_backoff: Duration,
            max_backoff: Duration,
            max_retry_after: Duration,
            max_elapsed: Duration,
        }

        impl Default for Retry {
            /// 3 attempts, waits of 250 ms, 500 ms, ... up to 8 s, a
            /// `Retry-After` of up to 30 s, and 60 s in all.
            fn default() -> Self {
                Self {
                    max_attempts: 3,
                    initial_backoff: Duration::from_millis(250),
                    max_backoff: Duration::from_secs(8),
                    max_retry_after: Duration::from_secs(30),
                    max_elapsed: Duration::from_secs(60),
                }
            }
        }

        impl Retry {
            /// The default policy: 3 attempts, waits of 250 ms, 500 ms, ...
            /// up to 8 s, a `Retry-After` of up to 30 s, and 60 s in all.
            pub fn new() -> Self {
                Self::default()
            }

            /// How many times a request is sent at most, the first time
            /// included (at least 1).
            pub fn max_attempts(mut self, attempts: u32) -> Self {
                self.max_attempts = attempts.max(1);
                self
            }

            /// The wait after the first failed attempt; each further wait
            /// doubles it, before jitter.
            pub fn initial_backoff(mut self, wait: Duration) -> Self {
                self.initial_backoff = wait;
                self
            }

            /// The longest wait between attempts without `Retry-After`.
            pub fn max_backoff(mut self, wait: Duration) -> Self {
                self.max_backoff = wait;
                self
            }

            /// The longest `Retry-After` waited for; a response asking for
            /// more is returned, not retried.
            pub fn max_retry_after(mut self, wait: Duration) -> Self {
                self.max_retry_after = wait;
                self
            }

            /// The time from the first attempt after which no attempt is
            /// started.
            pub fn max_elapsed(mut self, limit: Duration) -> Self {
                self.max_elapsed = limit;
                self
            }

            /// The wait after failed attempt number `attempt` (from 1),
            /// without `Retry-After`: exponential, capped, half of it random.
            fn backoff(&self, attempt: u32) -> Duration {
                let factor = 1u32 << attempt.saturating_sub(1).min(20);
                let wait = self.initial_backoff.saturating_mul(factor).min(self.max_backoff);
                let half = wait / 2;
                half + half.mul_f64(random_fraction())
            }
        }

        /// A number in `[0, 1)`, random enough for jitter, from the standard
        /// library's randomly keyed hasher.
        fn random_fraction() -> f64 {
            use std::hash::{BuildHasher, Hasher};
            let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
            let now = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).unwrap_or_default();
            hasher.write_u128(now.as_nanos());
            (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
        }

        /// The wait a `Retry-After` header asks for: a number of seconds or
        /// an HTTP date (a date in the past asks for none).
        fn retry_after(headers: &HeaderMap) -> Option<Duration> {
            let value = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?.trim();
            if let Ok(seconds) = value.parse::<u64>() {
                return Some(Duration::from_secs(seconds));
            }
            let at = httpdate::parse_http_date(value).ok()?;
            Some(at.duration_since(SystemTime::now()).unwrap_or_default())
        }

        /// The statuses that say "try again later".
        fn retryable(status: StatusCode) -> bool {
            matches!(status.as_u16(), 429 | 502 | 503 | 504)
        }
    }
}

fn hook() -> TokenStream {
    quote! {
        /// What a [`Hook`] gives when a request must not be sent.
        pub type HookError = Box<dyn std::error::Error + Send + Sync>;

        /// What [`Hook::before_send`] returns: write it `Box::pin(async move { ... })`.
        pub type HookFuture<'a> = Pin<Box<dyn Future<Output = Result<(), HookError>> + Send + 'a>>;

        /// A seam in every call: it changes each request before it is sent
        /// (add a header, refresh a token, sign the request) and sees each
        /// response, without replacing the client. Give one to
        /// [`crate::ClientBuilder::hook`]; several run in the order given.
        ///
        /// Both methods run once per attempt, so a retried request is
        /// signed again. The request's headers that carry credentials
        /// (`Authorization`, `Cookie`, and any whose name has `auth`,
        /// `token`, `secret`, `key`, `password`, `session`, `signature` or
        /// `credential` in it) are marked sensitive before and after the
        /// hooks run, so `Debug` does not show them.
        ///
        /// ```
        #[doc = concat!(" use ", env!("CARGO_CRATE_NAME"), "::{Hook, HookFuture, Operation};")]
        /// use std::sync::atomic::{AtomicU64, Ordering};
        ///
        /// /// Numbers every request, and counts the answers that asked to slow down.
        /// #[derive(Default)]
        /// struct Tagging {
        ///     sent: AtomicU64,
        ///     throttled: AtomicU64,
        /// }
        ///
        /// impl Hook for Tagging {
        ///     fn before_send<'a>(
        ///         &'a self,
        ///         _operation: &'a Operation,
        ///         request: &'a mut reqwest::Request,
        ///     ) -> HookFuture<'a> {
        ///         Box::pin(async move {
        ///             let n = self.sent.fetch_add(1, Ordering::Relaxed);
        ///             request.headers_mut().insert("x-request-number", n.into());
        ///             Ok(())
        ///         })
        ///     }
        ///
        ///     fn after_response(&self, _operation: &Operation, response: &reqwest::Response) {
        ///         if response.status() == reqwest::StatusCode::TOO_MANY_REQUESTS {
        ///             self.throttled.fetch_add(1, Ordering::Relaxed);
        ///         }
        ///     }
        /// }
        /// ```
        pub trait Hook: Send + Sync {
            /// Runs before each attempt; it may change anything in the
            /// request. An error stops the call, as
            /// [`Error::Hook`](crate::Error::Hook), before anything is sent.
            fn before_send<'a>(&'a self, operation: &'a Operation, request: &'a mut reqwest::Request) -> HookFuture<'a> {
                let _ = (operation, request);
                Box::pin(std::future::ready(Ok(())))
            }

            /// Runs when an attempt is answered, before its body is read.
            fn after_response(&self, operation: &Operation, response: &reqwest::Response) {
                let _ = (operation, response);
            }
        }

        /// A shared hook is a hook: give the client an `Arc` clone, and keep
        /// one to read what the hook gathered.
        impl<H: Hook + ?Sized> Hook for Arc<H> {
            fn before_send<'a>(&'a self, operation: &'a Operation, request: &'a mut reqwest::Request) -> HookFuture<'a> {
                (**self).before_send(operation, request)
            }

            fn after_response(&self, operation: &Operation, response: &reqwest::Response) {
                (**self).after_response(operation, response);
            }
        }
    }
}

fn settings() -> TokenStream {
    quote! {
        /// How a client sends: what [`crate::ClientBuilder`] sets.
        #[derive(Clone)]
        pub(crate) struct Settings {
            pub(crate) timeout: Option<Duration>,
            pub(crate) retry: Option<Retry>,
            pub(crate) hooks: Vec<Arc<dyn Hook>>,
            pub(crate) max_response_bytes: u64,
            pub(crate) user_agent: HeaderValue,
        }

        impl std::fmt::Debug for Settings {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct("Settings")
                    .field("timeout", &self.timeout)
                    .field("retry", &self.retry)
                    .field("hooks", &self.hooks.len())
                    .field("max_response_bytes", &self.max_response_bytes)
                    .field("user_agent", &self.user_agent)
                    .finish()
            }
        }

        /// Why a call failed, before its response was decoded; the same for
        /// every operation, so this code is not repeated per error type.
        pub(crate) enum Failure {
            Hook(HookError),
            Timeout(reqwest::Error),
            Transport(reqwest::Error),
            TooLarge { response: crate::RawResponse, limit: u64 },
        }

        impl Failure {
            fn of(error: reqwest::Error) -> Self {
                let error = without_secrets(error);
                if error.is_timeout() {
                    Self::Timeout(error)
                } else {
                    Self::Transport(error)
                }
            }

            /// The short name the `tracing` span records.
            #[cfg(feature = "tracing")]
            fn kind(&self) -> &'static str {
                match self {
                    Self::Hook(_) => "hook",
                    Self::Timeout(_) => "timeout",
                    Self::Transport(_) => "transport",
                    Self::TooLarge { .. } => "too_large",
                }
            }
        }

        impl<E> std::convert::From<Failure> for crate::Error<E> {
            fn from(failure: Failure) -> Self {
                match failure {
                    Failure::Hook(source) => crate::Error::Hook(source),
                    Failure::Timeout(source) => crate::Error::Timeout(source),
                    Failure::Transport(source) => crate::Error::Transport(source),
                    Failure::TooLarge { response, limit } => crate::Error::ResponseTooLarge { response, limit },
                }
            }
        }

        /// `error` with the values of the query parameters that carry
        /// credentials (`crate::auth::QUERY_NAMES`) replaced in the URL it
        /// keeps, which its `Display` and `Debug` show.
        pub(crate) fn without_secrets(mut error: reqwest::Error) -> reqwest::Error {
            if let Some(url) = error.url_mut() {
                let names = crate::auth::QUERY_NAMES;
                if url.query_pairs().any(|(name, _)| names.contains(&&*name)) {
                    let pairs: Vec<(String, String)> = url
                        .query_pairs()
                        .map(|(name, value)| {
                            let value = if names.contains(&&*name) { "<redacted>".into() } else { value.into_owned() };
                            (name.into_owned(), value)
                        })
                        .collect();
                    url.query_pairs_mut().clear().extend_pairs(pairs);
                }
            }
            error
        }

        /// Joins a request's `Cookie` headers into one, as RFC 6265 asks: a
        /// cookie credential is added apart from the cookie parameters.
        fn join_cookies(headers: &mut HeaderMap) {
            let cookies = headers.get_all(reqwest::header::COOKIE);
            if cookies.iter().nth(1).is_none() {
                return;
            }
            let mut joined = Vec::new();
            for value in cookies {
                if !joined.is_empty() {
                    joined.extend_from_slice(b"; ");
                }
                joined.extend_from_slice(value.as_bytes());
            }
            if let Ok(joined) = HeaderValue::from_bytes(&joined) {
                headers.insert(reqwest::header::COOKIE, joined);
            }
        }

        /// Marks the headers that carry credentials as sensitive, so that
        /// `Debug` (reqwest's and this crate's) does not show their values.
        pub(crate) fn mark_sensitive(headers: &mut HeaderMap) {
            const CREDENTIALS: [&str; 9] = ["auth", "token", "secret", "key", "password", "cookie", "session", "signature", "credential"];
            for (name, value) in headers.iter_mut() {
                let name = name.as_str();
                if CREDENTIALS.iter().any(|part| name.contains(part)) {
                    value.set_sensitive(true);
                }
            }
        }
    }
}

fn send() -> TokenStream {
    quote! {
        /// Sends `request` until it is answered or may not be retried, and
        /// gives the last answer, its body not yet read.
        pub(crate) async fn send(
            http: &reqwest::Client,
            settings: &Settings,
            operation: &Operation,
            request: reqwest::RequestBuilder,
        ) -> Result<reqwest::Response, Failure> {
            let mut request = request.build().map_err(Failure::of)?;
            join_cookies(request.headers_mut());
            let retry = settings.retry.as_ref().filter(|_| operation.idempotent);
            let started = Instant::now();
            let mut attempt: u32 = 1;
            loop {
                // A copy for the next attempt, while there may be one; a
                // streamed body has none, so it is sent once.
                let spare = match retry {
                    Some(retry) if attempt < retry.max_attempts => request.try_clone(),
                    _ => None,
                };
                // Marked before the hooks, which may log the request, and
                // after, for the headers they add.
                mark_sensitive(request.headers_mut());
                for hook in &settings.hooks {
                    hook.before_send(operation, &mut request).await.map_err(Failure::Hook)?;
                }
                mark_sensitive(request.headers_mut());
                let outcome = http.execute(request).await;
                if let Ok(response) = &outcome {
                    for hook in &settings.hooks {
                        hook.after_response(operation, response);
                    }
                }
                let wait = match (&outcome, retry) {
                    (Ok(response), Some(retry)) if retryable(response.status()) => {
                        match retry_after(response.headers()) {
                            Some(wait) if wait > retry.max_retry_after => None,
                            Some(wait) => Some(wait),
                            None => Some(retry.backoff(attempt)),
                        }
                    }
                    (Err(error), Some(retry)) if error.is_connect() => {
                        Some(retry.backoff(attempt))
                    }
                    _ => None,
                };
                let again = match (spare, wait, retry) {
                    (Some(spare), Some(wait), Some(retry)) if started.elapsed() + wait < retry.max_elapsed => Some((spare, wait)),
                    _ => None,
                };
                let Some((spare, wait)) = again else {
                    #[cfg(feature = "tracing")]
                    tracing::Span::current().record("attempts", attempt);
                    return outcome.map_err(Failure::of);
                };
                #[cfg(feature = "tracing")]
                log_retry(attempt, &outcome, wait);
                drop(outcome);
                tokio::time::sleep(wait).await;
                request = spare;
                attempt += 1;
            }
        }
    }
}

fn read(streams: bool, sessions: bool) -> TokenStream {
    // Only sessions may use it, and only with their feature.
    let only_sessions = (!streams).then(|| quote! { #[cfg(feature = "websocket")] });
    let open = (streams || sessions).then(|| {
        quote! {
            /// Sends a request and gives its answer with the body unread, for a
            /// download read as a stream or a WebSocket upgrade, in the call's
            /// span.
            #only_sessions
            pub(crate) async fn open(
                http: &reqwest::Client,
                settings: &Settings,
                operation: &Operation,
                request: reqwest::RequestBuilder,
            ) -> Result<reqwest::Response, Failure> {
                let call = send(http, settings, operation, request);
                #[cfg(feature = "tracing")]
                let call = traced(operation, call, reqwest::Response::status);
                call.await
            }
        }
    });
    quote! {
        /// The failure of a body over the cap, which was not read.
        fn too_large(status: StatusCode, headers: HeaderMap, limit: u64) -> Failure {
            Failure::TooLarge { response: crate::RawResponse::new(status, headers, Vec::new()), limit }
        }

        /// Reads a response's body whole, up to `limit` bytes.
        pub(crate) async fn read(mut response: reqwest::Response, limit: u64) -> Result<crate::RawResponse, Failure> {
            let status = response.status();
            let mut headers = response.headers().clone();
            mark_sensitive(&mut headers);
            let declared = response.content_length().unwrap_or(0);
            if declared > limit {
                return Err(too_large(status, headers, limit));
            }
            // The declared length is a hint, not a promise: at most 1 MiB
            // is reserved up front.
            let mut body = Vec::with_capacity(declared.min(1 << 20) as usize);
            while let Some(chunk) = response.chunk().await.map_err(Failure::of)? {
                if (body.len() + chunk.len()) as u64 > limit {
                    return Err(too_large(status, headers, limit));
                }
                body.extend_from_slice(&chunk);
            }
            Ok(crate::RawResponse::new(status, headers, body))
        }

        /// Sends a request and reads its answer whole, in the call's span.
        pub(crate) async fn execute(
            http: &reqwest::Client,
            settings: &Settings,
            operation: &Operation,
            request: reqwest::RequestBuilder,
        ) -> Result<crate::RawResponse, Failure> {
            let call = async {
                let response = send(http, settings, operation, request).await?;
                read(response, settings.max_response_bytes).await
            };
            #[cfg(feature = "tracing")]
            let call = traced(operation, call, |raw| raw.status());
            call.await
        }

        #open
    }
}

fn tracing() -> TokenStream {
    quote! {
        /// Says that an attempt is retried, why, and after how long.
        #[cfg(feature = "tracing")]
        fn log_retry(attempt: u32, outcome: &Result<reqwest::Response, reqwest::Error>, wait: Duration) {
            let wait_ms = wait.as_millis() as u64;
            match outcome {
                Ok(response) => tracing::debug!(attempt, status = response.status().as_u16(), wait_ms, "retrying"),
                Err(_) => tracing::debug!(attempt, wait_ms, "retrying after a connection failure"),
            }
        }

        /// Runs `call` in a span that names the operation by its id,
        /// method and path template (never the URL, which may hold
        /// identifiers, nor any header), and records its status (or what
        /// failed), its attempts and its duration.
        #[cfg(feature = "tracing")]
        async fn traced<T>(
            operation: &Operation,
            call: impl Future<Output = Result<T, Failure>>,
            status: fn(&T) -> StatusCode,
        ) -> Result<T, Failure> {
            let span = tracing::info_span!(
                "request",
                operation = operation.id,
                method = operation.method,
                path = operation.path,
                status = tracing::field::Empty,
                error = tracing::field::Empty,
                attempts = tracing::field::Empty,
                duration_ms = tracing::field::Empty,
            );
            let started = Instant::now();
            let result = tracing::Instrument::instrument(call, span.clone()).await;
            match &result {
                Ok(value) => {
                    span.record("status", status(value).as_u16());
                }
                Err(failure) => {
                    if let Failure::TooLarge { response, .. } = failure {
                        span.record("status", response.status().as_u16());
                    }
                    span.record("error", failure.kind());
                }
            }
            span.record("duration_ms", started.elapsed().as_secs_f64() * 1000.0);
            result
        }
    }
}
