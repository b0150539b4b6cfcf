//! The client in production, against a loopback server: which requests are
//! retried and when, timeouts, the request hook, tracing that never shows a
//! secret, errors that keep the whole response, the response size cap, and
//! hostile responses. The crate is `production-api`, from
//! `tests/fixtures/specs/production.yaml` (with `production.codegen.toml`),
//! built with its `tracing` feature.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use codegen_tests::{Response, TestServer, USER_BALANCE, unused_base_url};
use production_api::types::{Currency, NewCharge};
use production_api::{Client, Error, Hook, HookFuture, Operation, Retry};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const TOKEN: &str = "prod-secret-token-9f8e7d";
const API_KEY: &str = "second-secret-key-5c4b3a";

/// A charge, as `GET /charges/{id}` gives it.
const CHARGE: &str = r#"{"id": "ch_1", "amount": "12.50", "currency": "usd", "status": "captured",
  "card": {"last4": "4242", "expiry": {"month": 4, "year": 2030}}}"#;

fn error_body(message: &str) -> String {
    serde_json::json!({"message": message, "request_id": "req-7"}).to_string()
}

fn unavailable() -> Response {
    Response::json(503, error_body("try later"))
}

/// A client of `server` that retries with short waits.
fn retrying(base_url: &str) -> Client {
    Client::builder(TOKEN)
        .base_url(base_url)
        .retry(Retry::new().initial_backoff(Duration::from_millis(5)))
        .build()
        .unwrap()
}

fn new_charge() -> NewCharge {
    NewCharge {
        amount: "12.50".parse().unwrap(),
        currency: Currency::Usd,
        description: None,
    }
}

/// A hook that counts the attempts it sees.
#[derive(Default)]
struct Counting(AtomicUsize);

impl Hook for Counting {
    fn before_send<'a>(
        &'a self,
        _operation: &'a Operation,
        _request: &'a mut reqwest::Request,
    ) -> HookFuture<'a> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Box::pin(async { Ok(()) })
    }
}

mod retries {
    use super::*;

    #[tokio::test(flavor = "current_thread")]
    async fn a_put_is_retried_after_a_503_with_retry_after_1() {
        let server = TestServer::start(vec![
            unavailable().with_header("Retry-After", "1"),
            Response::json(200, CHARGE),
        ])
        .await;
        let metadata = [("order".to_owned(), "o-9".to_owned())].into();
        let started = Instant::now();
        let charge = retrying(&server.base_url())
            .replace_charge_metadata("ch_1", &metadata)
            .await
            .expect("the second attempt succeeds");
        assert_eq!(charge.id, "ch_1");
        assert!(
            started.elapsed() >= Duration::from_secs(1),
            "Retry-After: 1 was waited for"
        );
        let requests = server.requests().await;
        assert_eq!(requests.len(), 2);
        for request in &requests {
            assert_eq!(request.method, "PUT");
            assert_eq!(request.target, "/charges/ch_1");
            assert_eq!(
                request.body_text(),
                r#"{"order":"o-9"}"#,
                "the body is sent again"
            );
        }
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_post_is_never_retried() {
        let server = TestServer::start(vec![unavailable(), Response::json(201, CHARGE)]).await;
        let error = retrying(&server.base_url())
            .create_charge(&new_charge())
            .await
            .expect_err("the 503 is the answer");
        assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
        assert_eq!(
            server.requests().await.len(),
            1,
            "a charge is never sent twice"
        );
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_post_marked_idempotent_in_the_document_is_retried() {
        let server = TestServer::start(vec![unavailable(), Response::json(200, CHARGE)]).await;
        assert!(production_api::requests::CaptureCharge::OPERATION.is_idempotent());
        retrying(&server.base_url())
            .capture_charge("ch_1")
            .await
            .expect("the second attempt succeeds");
        assert_eq!(server.requests().await.len(), 2);
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_post_named_idempotent_in_the_settings_is_retried() {
        let server = TestServer::start(vec![
            Response::json(502, error_body("bad gateway")),
            Response::json(504, error_body("gateway timeout")),
            Response::json(200, CHARGE),
        ])
        .await;
        retrying(&server.base_url())
            .refund_charge("ch_1")
            .await
            .expect("the third attempt succeeds");
        assert_eq!(server.requests().await.len(), 3);
    }

    #[test]
    fn what_is_idempotent_is_decided_from_the_method_the_mark_and_the_settings() {
        use production_api::requests as r;
        let marks: Vec<_> = [
            r::CreateCharge::OPERATION,
            r::GetCharge::OPERATION,
            r::ReplaceChargeMetadata::OPERATION,
            r::CaptureCharge::OPERATION,
            r::RefundCharge::OPERATION,
            r::UploadReceipt::OPERATION,
        ]
        .iter()
        .map(|op| (op.method(), op.path(), op.is_idempotent()))
        .collect();
        assert_eq!(
            marks,
            [
                ("POST", "/charges", false),
                ("GET", "/charges/{id}", true),
                ("PUT", "/charges/{id}", true),
                ("POST", "/charges/{id}/capture", true),
                ("POST", "/charges/{id}/refund", true),
                ("PUT", "/receipts/{name}", true),
            ]
        );
        // `x-idempotent: "yes"` is neither true nor false: it is reported,
        // and the POST stays one that is never retried.
        assert!(!degrade_api::requests::Subscribe::OPERATION.is_idempotent());
    }

    #[tokio::test(flavor = "current_thread")]
    async fn attempts_stop_at_the_limit_and_the_last_answer_is_the_error() {
        let server = TestServer::start(unavailable()).await;
        let client = Client::builder(TOKEN)
            .base_url(server.base_url())
            .retry(
                Retry::new()
                    .max_attempts(4)
                    .initial_backoff(Duration::from_millis(1)),
            )
            .build()
            .unwrap();
        let error = client.get_charge("ch_1").await.unwrap_err();
        let Error::Api { body, response } = &error else {
            panic!("expected the documented error, got {error:?}");
        };
        assert_eq!(response.status(), 503);
        assert_eq!(body.message, "try later");
        assert_eq!(server.requests().await.len(), 4);
    }

    #[tokio::test(flavor = "current_thread")]
    async fn without_a_retry_policy_nothing_is_retried() {
        let server = TestServer::start(vec![unavailable(), Response::json(200, CHARGE)]).await;
        let client = Client::new(TOKEN).with_base_url(server.base_url());
        assert!(client.get_charge("ch_1").await.is_err());
        assert_eq!(server.requests().await.len(), 1);
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_429_is_honoured_in_seconds_and_as_an_http_date() {
        let in_three_seconds = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(3));
        let server = TestServer::start(vec![
            Response::json(429, error_body("slow down")).with_header("Retry-After", "1"),
            Response::json(429, error_body("slow down"))
                .with_header("Retry-After", &in_three_seconds),
            Response::json(200, CHARGE),
        ])
        .await;
        let started = Instant::now();
        retrying(&server.base_url())
            .get_charge("ch_1")
            .await
            .expect("the third attempt succeeds");
        // One second, then what is left of the three (an HTTP date has
        // whole seconds, so at least one more).
        assert!(
            started.elapsed() >= Duration::from_secs(2),
            "{:?}",
            started.elapsed()
        );
        assert_eq!(server.requests().await.len(), 3);
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_retry_after_longer_than_the_cap_is_the_answer_at_once() {
        let server = TestServer::start(vec![
            Response::json(429, error_body("come back in an hour"))
                .with_header("Retry-After", "3600"),
            Response::json(200, CHARGE),
        ])
        .await;
        let error = retrying(&server.base_url())
            .get_charge("ch_1")
            .await
            .expect_err("an hour is longer than the cap");
        assert_eq!(error.status().map(|s| s.as_u16()), Some(429));
        assert_eq!(
            error.headers().unwrap()["retry-after"],
            "3600",
            "the caller sees when to come back"
        );
        assert_eq!(server.requests().await.len(), 1);
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_failure_to_connect_is_retried() {
        let attempts = Arc::new(Counting::default());
        let client = Client::builder(TOKEN)
            .base_url(unused_base_url())
            .retry(Retry::new().initial_backoff(Duration::from_millis(1)))
            .hook(Arc::clone(&attempts))
            .build()
            .unwrap();
        let error = client.get_charge("ch_1").await.unwrap_err();
        let Error::Transport(source) = &error else {
            panic!("expected a transport error, got {error:?}");
        };
        assert!(source.is_connect(), "{source:?}");
        assert_eq!(attempts.0.load(Ordering::SeqCst), 3);
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_streamed_body_is_sent_once_and_bytes_in_memory_again() {
        for (streamed, expected) in [(true, 1), (false, 3)] {
            let attempts = Arc::new(Counting::default());
            let client = Client::builder(TOKEN)
                .base_url(unused_base_url())
                .retry(Retry::new().initial_backoff(Duration::from_millis(1)))
                .hook(Arc::clone(&attempts))
                .build()
                .unwrap();
            let pdf = b"%PDF-1.7 receipt".to_vec();
            let body = if streamed {
                let chunks = futures_util::stream::iter([Ok::<_, std::io::Error>(pdf)]);
                production_api::Body::wrap_stream(chunks)
            } else {
                production_api::Body::from(pdf)
            };
            assert!(client.upload_receipt("r1", body).await.is_err());
            assert_eq!(
                attempts.0.load(Ordering::SeqCst),
                expected,
                "streamed: {streamed}"
            );
        }
    }

    #[tokio::test(flavor = "current_thread")]
    async fn the_total_time_limit_stops_the_retries() {
        let server = TestServer::start(unavailable().with_header("Retry-After", "1")).await;
        let client = Client::builder(TOKEN)
            .base_url(server.base_url())
            .retry(
                Retry::new()
                    .max_attempts(10)
                    .max_elapsed(Duration::from_millis(1500)),
            )
            .build()
            .unwrap();
        assert!(client.get_charge("ch_1").await.is_err());
        // The first wait ends within the limit, the second would not.
        assert_eq!(server.requests().await.len(), 2);
    }
}

mod timeouts {
    use super::*;

    #[tokio::test(flavor = "current_thread")]
    async fn a_slow_server_is_a_timeout_error() {
        let server =
            TestServer::start(Response::json(200, CHARGE).after(Duration::from_secs(3))).await;
        let client = Client::builder(TOKEN)
            .base_url(server.base_url())
            .timeout(Duration::from_millis(200))
            .build()
            .unwrap();
        let error = client.get_charge("ch_1").await.unwrap_err();
        assert!(error.is_timeout(), "{error:?}");
        assert!(matches!(error, Error::Timeout(_)));
        assert_eq!(error.to_string(), "the request timed out");
    }

    #[test]
    fn the_defaults_are_documented_constants() {
        assert_eq!(Client::DEFAULT_TIMEOUT, Duration::from_secs(60));
        assert_eq!(Client::DEFAULT_CONNECT_TIMEOUT, Duration::from_secs(10));
        assert_eq!(Client::DEFAULT_MAX_RESPONSE_BYTES, 64 * 1024 * 1024);
        let debug = format!("{:?}", Client::new(TOKEN));
        assert!(debug.contains("timeout: Some(60s)"), "{debug}");
        assert!(debug.contains("retry: None"), "{debug}");
    }
}

mod hooks {
    use super::*;

    /// Refreshes the token for every attempt, signs the request, and
    /// records what it saw.
    #[derive(Default)]
    struct Refreshing {
        issued: AtomicU64,
        seen: Mutex<Vec<String>>,
    }

    impl Hook for Refreshing {
        fn before_send<'a>(
            &'a self,
            operation: &'a Operation,
            request: &'a mut reqwest::Request,
        ) -> HookFuture<'a> {
            Box::pin(async move {
                // Where a real hook would await a token endpoint.
                tokio::task::yield_now().await;
                let n = self.issued.fetch_add(1, Ordering::SeqCst) + 1;
                let token = format!("Bearer fresh-{n}").parse().unwrap();
                request.headers_mut().insert("authorization", token);
                request.headers_mut().insert(
                    "x-signature",
                    format!("sig-{}", operation.id()).parse().unwrap(),
                );
                self.seen.lock().unwrap().push(format!("{request:?}"));
                Ok(())
            })
        }

        fn after_response(&self, operation: &Operation, response: &reqwest::Response) {
            self.seen.lock().unwrap().push(format!(
                "{} {} -> {}",
                operation.method(),
                operation.path(),
                response.status()
            ));
        }
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_hook_changes_every_attempt_and_sees_every_response() {
        let server = TestServer::start(vec![unavailable(), Response::json(200, CHARGE)]).await;
        let hook = Arc::new(Refreshing::default());
        let client = Client::builder(TOKEN)
            .base_url(server.base_url())
            .retry(Retry::new().initial_backoff(Duration::from_millis(1)))
            .hook(Arc::clone(&hook))
            .build()
            .unwrap();
        client.get_charge("ch_1").x_api_key(API_KEY).await.unwrap();

        let requests = server.requests().await;
        let tokens: Vec<_> = requests.iter().map(|r| r.header("authorization")).collect();
        assert_eq!(tokens, [Some("Bearer fresh-1"), Some("Bearer fresh-2")]);
        assert!(
            requests
                .iter()
                .all(|r| r.header("x-signature") == Some("sig-get_charge"))
        );

        let seen = hook.seen.lock().unwrap().clone();
        assert_eq!(seen.len(), 4, "{seen:#?}");
        assert_eq!(seen[1], "GET /charges/{id} -> 503 Service Unavailable");
        assert_eq!(seen[3], "GET /charges/{id} -> 200 OK");
        // What the hook printed of the request hides the credentials.
        for line in &seen {
            assert!(!line.contains(TOKEN) && !line.contains(API_KEY), "{line}");
        }
        assert!(seen[0].contains("Sensitive"), "{}", seen[0]);
    }

    struct Refusing;

    impl Hook for Refusing {
        fn before_send<'a>(
            &'a self,
            _operation: &'a Operation,
            _request: &'a mut reqwest::Request,
        ) -> HookFuture<'a> {
            Box::pin(async { Err("the token could not be refreshed".into()) })
        }
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_hook_that_fails_stops_the_request_before_it_is_sent() {
        let server = TestServer::start(Response::json(200, CHARGE)).await;
        let client = Client::builder(TOKEN)
            .base_url(server.base_url())
            .hook(Refusing)
            .build()
            .unwrap();
        let error = client.get_charge("ch_1").await.unwrap_err();
        let Error::Hook(source) = &error else {
            panic!("expected the hook's error, got {error:?}");
        };
        assert_eq!(source.to_string(), "the token could not be refreshed");
        assert!(server.requests().await.is_empty());
    }
}

mod tracing_spans {
    use super::*;
    use tracing::field::{Field, Visit};
    use tracing::span::{Attributes, Id, Record};
    use tracing::{Event, Metadata, Subscriber};

    /// A subscriber that writes down every span, every recorded field and
    /// every event, of every target and level.
    #[derive(Clone, Default)]
    struct Capture {
        text: Arc<Mutex<String>>,
        /// Each span's metadata, by id less one.
        spans: Arc<Mutex<Vec<&'static Metadata<'static>>>>,
        /// The spans entered, innermost last.
        entered: Arc<Mutex<Vec<Id>>>,
    }

    struct Fields<'a>(&'a mut String);

    impl Visit for Fields<'_> {
        fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
            let _ = write!(self.0, " {}={value:?}", field.name());
        }
    }

    impl Subscriber for Capture {
        fn enabled(&self, _: &Metadata<'_>) -> bool {
            true
        }

        fn new_span(&self, span: &Attributes<'_>) -> Id {
            let mut text = self.text.lock().unwrap();
            let _ = write!(
                text,
                "\nspan {} {}:",
                span.metadata().target(),
                span.metadata().name()
            );
            span.record(&mut Fields(&mut text));
            let mut spans = self.spans.lock().unwrap();
            spans.push(span.metadata());
            Id::from_u64(spans.len() as u64)
        }

        fn record(&self, _: &Id, values: &Record<'_>) {
            let mut text = self.text.lock().unwrap();
            text.push_str("\nrecord:");
            values.record(&mut Fields(&mut text));
        }

        fn record_follows_from(&self, _: &Id, _: &Id) {}

        fn event(&self, event: &Event<'_>) {
            let mut text = self.text.lock().unwrap();
            let _ = write!(text, "\nevent {}:", event.metadata().target());
            event.record(&mut Fields(&mut text));
        }

        fn enter(&self, span: &Id) {
            self.entered.lock().unwrap().push(span.clone());
        }

        fn exit(&self, span: &Id) {
            let mut entered = self.entered.lock().unwrap();
            if let Some(at) = entered.iter().rposition(|id| id == span) {
                entered.remove(at);
            }
        }

        fn current_span(&self) -> tracing_core::span::Current {
            match self.entered.lock().unwrap().last() {
                Some(id) => {
                    let metadata = self.spans.lock().unwrap()[id.into_u64() as usize - 1];
                    tracing_core::span::Current::new(id.clone(), metadata)
                }
                None => tracing_core::span::Current::none(),
            }
        }
    }

    /// Everything enabled, nothing kept: the process-wide default.
    struct Quiet;

    impl Subscriber for Quiet {
        fn enabled(&self, _: &Metadata<'_>) -> bool {
            true
        }
        fn new_span(&self, _: &Attributes<'_>) -> Id {
            Id::from_u64(1)
        }
        fn record(&self, _: &Id, _: &Record<'_>) {}
        fn record_follows_from(&self, _: &Id, _: &Id) {}
        fn event(&self, _: &Event<'_>) {}
        fn enter(&self, _: &Id) {}
        fn exit(&self, _: &Id) {}
    }

    impl Capture {
        /// Captures what this thread traces until the guard drops.
        ///
        /// `tracing` decides once per callsite, process-wide, whether it is
        /// of interest, when the callsite is first reached. Tests run on
        /// several threads, and one without a subscriber would have the
        /// callsite decided as never of interest, for this thread too. With
        /// `Quiet` as the global default, every thread has a subscriber that
        /// wants everything, and the decision is always "yes".
        fn install(&self) -> tracing::subscriber::DefaultGuard {
            static QUIET: std::sync::Once = std::sync::Once::new();
            QUIET.call_once(|| {
                tracing::subscriber::set_global_default(Quiet)
                    .expect("no other global subscriber in this test binary");
            });
            tracing::subscriber::set_default(self.clone())
        }
    }

    #[tokio::test(flavor = "current_thread")]
    async fn one_span_per_call_with_the_template_status_and_duration_and_no_secret() {
        let capture = Capture::default();
        let _default = capture.install();
        let server = TestServer::start(vec![
            unavailable().with_header("Set-Cookie", "session=cookie-secret-1a2b"),
            Response::json(200, CHARGE),
        ])
        .await;
        let client = retrying(&server.base_url());
        client
            .get_charge("ch_customer_42")
            .x_api_key(API_KEY)
            .await
            .unwrap();

        let text = capture.text.lock().unwrap().clone();
        let spans: Vec<_> = text.lines().filter(|l| l.starts_with("span ")).collect();
        assert_eq!(
            spans,
            [
                r#"span production_api::transport request: operation="get_charge" method="GET" path="/charges/{id}""#
            ],
            "{text}"
        );
        assert!(text.contains(" status=200"), "{text}");
        assert!(text.contains(" attempts=2"), "{text}");
        assert!(text.contains(" duration_ms="), "{text}");
        assert!(
            text.contains(r#"message=retrying attempt=1 status=503"#),
            "{text}"
        );
        for secret in [TOKEN, API_KEY, "ch_customer_42", "cookie-secret-1a2b"] {
            assert!(!text.contains(secret), "{secret} in the trace:\n{text}");
        }
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_failed_call_records_what_failed() {
        let capture = Capture::default();
        let _default = capture.install();
        let client = Client::new(TOKEN).with_base_url(unused_base_url());
        assert!(client.get_charge("ch_1").await.is_err());
        let text = capture.text.lock().unwrap().clone();
        assert!(text.contains(r#"error="transport""#), "{text}");
        // The span and what is recorded in it; hyper's own events name the
        // host it connects to.
        let ours: Vec<_> = text
            .lines()
            .filter(|l| !l.starts_with("event hyper"))
            .collect();
        assert!(
            ours.iter().all(|l| !l.contains("127.0.0.1")),
            "the URL stays out of the span: {ours:#?}"
        );
    }

    #[tokio::test(flavor = "current_thread")]
    async fn no_credential_of_any_kind_is_traced_even_when_the_call_fails() {
        // Every kind of credential (`auth-api`): bearer, basic, API keys in
        // a header, the query and a cookie; answered, then failing to
        // connect with a key in the query.
        const SECRETS: [&str; 6] = [
            "trace-bearer-1f",
            "trace-user-2e",
            "trace-password-3d",
            "trace-header-4c",
            "trace-query-5b",
            "trace-session-6a",
        ];
        let capture = Capture::default();
        let _default = capture.install();
        let server = TestServer::start(Response::empty(204)).await;
        let with_every_credential = |base_url: String| {
            auth_api::Client::builder()
                .base_url(base_url)
                .bearer(SECRETS[0])
                .basic(SECRETS[1], SECRETS[2])
                .header_key(SECRETS[3])
                .query_key(SECRETS[4])
                .session(SECRETS[5])
                .build()
                .unwrap()
        };
        let client = with_every_credential(server.base_url());
        client.get_default().await.unwrap();
        client.get_optional().await.unwrap();
        client.get_cookies().theme("dark").await.unwrap();
        client.search("rust").await.unwrap();
        let failing = with_every_credential(unused_base_url());
        let error = failing.search("rust").await.unwrap_err();
        let text = capture.text.lock().unwrap().clone();
        assert_eq!(
            text.lines().filter(|l| l.starts_with("span ")).count(),
            5,
            "{text}"
        );
        assert!(text.contains(r#"error="transport""#), "{text}");
        let shown = format!("{text}\n{error}\n{error:?}\n{failing:?}");
        for secret in SECRETS {
            assert!(!shown.contains(secret), "{secret} shown:\n{shown}");
        }
    }

    #[tokio::test(flavor = "current_thread")]
    async fn debug_output_never_shows_a_credential() {
        let server = TestServer::start(
            Response::json(401, error_body("who are you"))
                .with_header("Set-Cookie", "session=cookie-secret-1a2b")
                .with_header("WWW-Authenticate", "Bearer realm=\"secret-realm-77\"")
                .with_header("X-Session-Token", "header-secret-3c4d"),
        )
        .await;
        let client = Client::new(TOKEN).with_base_url(server.base_url());
        let request = client.get_charge("ch_1").x_api_key(API_KEY);
        let error = request.clone().await.unwrap_err();
        let shown = format!(
            "{client:?}\n{request:?}\n{error:?}\n{error}\n{:?}",
            Client::builder(TOKEN)
        );
        for secret in [
            TOKEN,
            API_KEY,
            "cookie-secret-1a2b",
            "secret-realm-77",
            "header-secret-3c4d",
        ] {
            assert!(!shown.contains(secret), "{secret} shown:\n{shown}");
        }
        assert!(
            shown.contains("<redacted>") && shown.contains("Sensitive"),
            "{shown}"
        );
    }
}

mod errors {
    use super::*;

    #[tokio::test(flavor = "current_thread")]
    async fn an_api_error_keeps_the_status_headers_raw_body_and_decoded_body() {
        let body = error_body("card declined");
        let server = TestServer::start(
            Response::json(402, body.clone()).with_header("X-Request-Id", "req-7"),
        )
        .await;
        let client = Client::new(TOKEN).with_base_url(server.base_url());
        let error = client.create_charge(&new_charge()).await.unwrap_err();
        assert_eq!(error.status().map(|s| s.as_u16()), Some(402));
        assert_eq!(error.headers().unwrap()["x-request-id"], "req-7");
        let Error::Api {
            body: decoded,
            response,
        } = &error
        else {
            panic!("expected the documented error, got {error:?}");
        };
        assert_eq!(decoded.message, "card declined");
        assert_eq!(decoded.request_id.as_deref(), Some("req-7"));
        assert_eq!(response.body(), body.as_bytes());
        assert!(
            format!("{error:?}").contains(&format!("<{} bytes>", body.len())),
            "Debug gives the raw body's length, not its bytes"
        );
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_decode_failure_names_the_json_pointer() {
        let wrong = CHARGE.replace(r#""month": 4"#, r#""month": "April""#);
        let server = TestServer::start(Response::json(200, wrong.clone())).await;
        let client = Client::new(TOKEN).with_base_url(server.base_url());
        let error = client.get_charge("ch_1").await.unwrap_err();
        let Error::InvalidResponse { response, source } = &error else {
            panic!("expected an invalid response, got {error:?}");
        };
        assert_eq!(source.pointer(), "/card/expiry/month");
        assert_eq!(response.text(), wrong);
        assert_eq!(
            error.to_string(),
            "the server answered 200 OK with a body that does not decode, at `/card/expiry/month`"
        );
        assert!(source.to_string().contains("line 2 column"), "{source}");
    }

    /// The pointer `body` fails to decode at, as a `zoo-payments` user
    /// balance.
    async fn balance_pointer(body: String) -> String {
        let server = TestServer::start(Response::json(200, body)).await;
        let error = zoo_payments::Client::new(TOKEN)
            .with_base_url(server.base_url())
            .get_payment_balance_for_any_user("u")
            .await
            .unwrap_err();
        match &error {
            zoo_payments::Error::InvalidResponse { source, .. } => source.pointer().to_owned(),
            other => panic!("expected an invalid response, got {other:?}"),
        }
    }

    #[tokio::test(flavor = "current_thread")]
    async fn the_pointer_names_array_items_union_tags_and_objects_missing_a_field() {
        let balance: serde_json::Value = serde_json::from_str(USER_BALANCE).unwrap();
        let with = |pointer: &str, value: serde_json::Value| {
            let mut balance = balance.clone();
            *balance.pointer_mut(pointer).unwrap() = value;
            balance.to_string()
        };
        let app = "/subscription_details/modeling_app";
        assert_eq!(
            balance_pointer(with(&format!("{app}/features/0/info"), 5.into())).await,
            format!("{app}/features/0/info")
        );
        assert_eq!(
            balance_pointer(with(&format!("{app}/price/price"), "lots".into())).await,
            format!("{app}/price"),
            "a tagged union is read whole, so the union is named"
        );
        // A required field missing: the object that lacks it.
        let server = TestServer::start(Response::json(
            200,
            CHARGE.replace(r#""last4": "4242", "#, ""),
        ))
        .await;
        let error = Client::new(TOKEN)
            .with_base_url(server.base_url())
            .get_charge("ch_1")
            .await
            .unwrap_err();
        let Error::InvalidResponse { source, .. } = &error else {
            panic!("{error:?}");
        };
        assert_eq!(source.pointer(), "/card", "{source}");
        assert!(
            source.to_string().contains("missing field `last4`"),
            "{source}"
        );
        assert_eq!(
            balance_pointer(with("/map_id", serde_json::json!({"a/b~c": [1]}))).await,
            "/map_id"
        );
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_body_over_the_cap_is_not_read() {
        let big = format!(r#"{{"id": "{}"}}"#, "x".repeat(4096));
        let server = TestServer::start(Response::json(200, big)).await;
        let client = Client::builder(TOKEN)
            .base_url(server.base_url())
            .max_response_bytes(1024)
            .build()
            .unwrap();
        let error = client.get_charge("ch_1").await.unwrap_err();
        let Error::ResponseTooLarge { response, limit } = &error else {
            panic!("expected the cap, got {error:?}");
        };
        assert_eq!(*limit, 1024);
        assert_eq!(response.status(), 200);
        assert!(response.body().is_empty());
        assert!(
            error
                .to_string()
                .contains("larger than the client's cap of 1024 bytes"),
            "{error}"
        );
    }

    #[tokio::test(flavor = "current_thread")]
    async fn the_user_agent_is_the_crate_and_its_version_unless_set() {
        let server = TestServer::start(Response::json(200, CHARGE)).await;
        Client::new(TOKEN)
            .with_base_url(server.base_url())
            .get_charge("ch_1")
            .await
            .unwrap();
        Client::builder(TOKEN)
            .base_url(server.base_url())
            .user_agent(reqwest::header::HeaderValue::from_static(
                "billing-worker/2.1",
            ))
            .build()
            .unwrap()
            .get_charge("ch_1")
            .await
            .unwrap();
        let agents: Vec<_> = server
            .requests()
            .await
            .iter()
            .map(|r| r.header("user-agent").unwrap_or_default().to_owned())
            .collect();
        assert_eq!(agents, ["production-api/0.1.0", "billing-worker/2.1"]);
    }
}

mod hostile {
    //! Responses no honest server sends, from a raw TCP socket: each ends in
    //! an error, never a panic.
    use super::*;

    /// A server that answers every connection with `reply`, as is, after
    /// reading the request head.
    async fn raw_server(reply: Vec<u8>) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let reply = reply.clone();
                tokio::spawn(async move {
                    let mut head = Vec::new();
                    let mut buf = [0u8; 4096];
                    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                        match stream.read(&mut buf).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => head.extend_from_slice(&buf[..n]),
                        }
                    }
                    let _ = stream.write_all(&reply).await;
                    let _ = stream.shutdown().await;
                });
            }
        });
        format!("http://{addr}")
    }

    async fn get(reply: &[u8]) -> Error<production_api::types::Error> {
        let base_url = raw_server(reply.to_vec()).await;
        let client = Client::builder(TOKEN)
            .base_url(base_url)
            .max_response_bytes(1 << 20)
            .build()
            .unwrap();
        client.get_charge("ch_1").await.unwrap_err()
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_truncated_body_is_a_transport_error() {
        let error = get(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"id\": \"ch").await;
        assert!(matches!(error, Error::Transport(_)), "{error:?}");
    }

    #[tokio::test(flavor = "current_thread")]
    async fn invalid_utf8_is_an_invalid_response() {
        let error =
            get(b"HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\n{\"id\": \"\xff\xfe\"}").await;
        let Error::InvalidResponse { response, .. } = &error else {
            panic!("{error:?}");
        };
        assert_eq!(response.body().len(), 12);
    }

    #[tokio::test(flavor = "current_thread")]
    async fn html_where_json_was_promised_is_an_invalid_response() {
        let error = get(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 15\r\n\r\n<html>hi</html>",
        )
        .await;
        let Error::InvalidResponse { source, response } = &error else {
            panic!("{error:?}");
        };
        assert_eq!(source.pointer(), "");
        assert_eq!(response.headers()["content-type"], "text/html");
        assert!(error.to_string().ends_with("at the top level"), "{error}");
    }

    #[tokio::test(flavor = "current_thread")]
    async fn an_absurd_content_length_is_refused_unread() {
        let error = get(b"HTTP/1.1 200 OK\r\nContent-Length: 1000000000000000\r\n\r\n{}").await;
        assert!(
            matches!(error, Error::ResponseTooLarge { limit: 1048576, .. }),
            "{error:?}"
        );
    }

    #[tokio::test(flavor = "current_thread")]
    async fn an_endless_chunked_body_stops_at_the_cap() {
        let mut reply = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
        for _ in 0..300 {
            reply.extend_from_slice(b"1000\r\n");
            reply.extend_from_slice(&[b' '; 0x1000]);
            reply.extend_from_slice(b"\r\n");
        }
        let error = get(&reply).await;
        assert!(matches!(error, Error::ResponseTooLarge { .. }), "{error:?}");
    }

    #[tokio::test(flavor = "current_thread")]
    async fn an_error_body_of_invalid_utf8_keeps_its_bytes() {
        let error = get(b"HTTP/1.1 500 Oops\r\nContent-Length: 4\r\n\r\n\xff\xfe\xfd\xfc").await;
        let Error::UnexpectedResponse { response } = &error else {
            panic!("{error:?}");
        };
        assert_eq!(response.body(), b"\xff\xfe\xfd\xfc");
        assert_eq!(response.text(), "\u{fffd}\u{fffd}\u{fffd}\u{fffd}");
    }

    #[tokio::test(flavor = "current_thread")]
    async fn garbage_instead_of_http_is_a_transport_error() {
        let error = get(b"\x00\x01 not http at all \xff\r\n\r\n").await;
        assert!(matches!(error, Error::Transport(_)), "{error:?}");
    }
}
