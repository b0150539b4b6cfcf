//! The call tests a generated crate carries (`tests/calls.rs`), run against
//! loopback servers that answer as Prism does: they call every operation
//! with the values built for its arguments and a credential for every
//! scheme, and tell a request the server rejects (its `sl-violations`
//! header) from an answer that does not decode and from one the server
//! itself says breaks the document.
//!
//! The harnesses are the fixture crates' own files, compiled here again so
//! that their `run` can be pointed at a server of the test's.

use codegen_tests::{Response, TestServer};

#[path = "../fixtures/auth-api/tests/calls.rs"]
mod auth_calls;

#[path = "../fixtures/query-api/tests/calls.rs"]
mod query_calls;

#[path = "../fixtures/echo-api/tests/calls.rs"]
mod echo_calls;

/// A runtime for the test's server; the harness runs its calls on its own.
fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn every_operation_is_called_with_a_credential_for_its_scheme() {
    let rt = runtime();
    let server = rt.block_on(TestServer::start(Response::empty(204)));
    let calls = auth_calls::run(&server.base_url(), &[]);
    assert!(calls.failures.is_empty(), "{:#?}", calls.lines);
    assert_eq!(
        calls.summary,
        "calls: 10 operations, 10 called, 10 accepted by the server, 10 answers decoded"
    );
    let requests = rt.block_on(server.requests());
    assert_eq!(requests.len(), 10);
    let to = |path: &str| {
        requests
            .iter()
            .find(|r| r.path() == path)
            .unwrap_or_else(|| panic!("no request to {path}"))
    };
    // Each operation sends the credential of its own requirement, made up.
    assert_eq!(to("/default").header("x-api-key"), Some("calls-test-key"));
    assert_eq!(to("/public").header("x-api-key"), None);
    assert_eq!(
        to("/search").query(),
        Some("api_key=calls-test-key&q=text"),
        "a query key beside the required parameter"
    );
    assert_eq!(
        to("/connect").query(),
        Some("api_key=text"),
        "a key that is the operation's own parameter goes once"
    );
    assert_eq!(
        to("/cookies").header("cookie"),
        Some("session_id=calls-test-key; theme=text")
    );
    // The report has a line per operation, with what was sent.
    let lines: Vec<serde_json::Value> = calls
        .report
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 10);
    assert!(
        lines.iter().all(|l| l["verdict"] == "decoded"),
        "{lines:#?}"
    );
    let search = lines.iter().find(|l| l["operation"] == "search").unwrap();
    assert_eq!(search["origin"], "#/paths/~1search/get");
    assert!(
        search["sent"]
            .as_str()
            .unwrap()
            .ends_with("/search?api_key=calls-test-key&q=text"),
        "{search}"
    );
}

#[test]
fn optional_parameters_are_sent_in_their_style_for_the_server_to_judge() {
    let rt = runtime();
    let server = rt.block_on(TestServer::start(Response::empty(204)));
    let calls = query_calls::run(&server.base_url(), &["search".to_owned()]);
    assert!(calls.failures.is_empty(), "{:#?}", calls.lines);
    let request = rt.block_on(server.single_request());
    // Every optional parameter has a value: a list with an item, a map with
    // a key, an object with every property, each in its style.
    let query = request.query().unwrap();
    for pair in [
        "statuses=open",
        "additionalProp1=text",
        "filter%5Bsince%5D=2024-01-02T03%3A04%3A05Z",
        "point=x%2C1.5%2Cy%2C1.5",
        "order%5BadditionalProp1%5D=open",
    ] {
        assert!(query.contains(pair), "{pair} is not in {query}");
    }
}

#[test]
fn a_rejected_request_fails_the_call_and_says_what_the_server_found() {
    let rt = runtime();
    let violations = r#"[{"location":["request","query","q"],"severity":"Error","code":"type","message":"Request query parameter q must be integer"},{"location":["request","header"],"severity":"Warning","code":"x","message":"only a warning"}]"#;
    let server = rt.block_on(TestServer::start(
        Response::json(422, "{}").with_header("sl-violations", violations),
    ));
    let calls = auth_calls::run(&server.base_url(), &["search".to_owned()]);
    assert_eq!(calls.failures, ["search"]);
    assert!(
        calls.lines[0].starts_with("rejected   422 GET /search (search): "),
        "{:?}",
        calls.lines
    );
    assert!(
        calls.lines[0].contains("must be integer"),
        "{:?}",
        calls.lines
    );
    assert!(
        !calls.lines[0].contains("only a warning"),
        "warnings do not reject"
    );
    // What was sent is shown with a failure.
    assert!(
        calls.lines[1].contains("sent GET http://127.0.0.1:"),
        "{:?}",
        calls.lines
    );
}

#[test]
fn an_answer_that_does_not_decode_fails_the_call_unless_the_server_says_it_is_broken() {
    let rt = runtime();
    // `list_items` answers an `ItemPage`; `[1]` is not one.
    let broken = r#"[{"location":["response","body"],"severity":"Error","code":"type","message":"Response body must be object"}]"#;
    let server = rt.block_on(TestServer::start(vec![
        Response::json(200, "[1]"),
        Response::json(200, "[1]").with_header("sl-violations", broken),
    ]));
    let only = ["list_items".to_owned()];
    let undecoded = echo_calls::run(&server.base_url(), &only);
    assert_eq!(undecoded.failures, ["list_items"], "{:?}", undecoded.lines);
    assert!(
        undecoded.lines[0]
            .starts_with("undecoded  200 GET /items (list_items): does not decode at `"),
        "{:?}",
        undecoded.lines
    );
    // The same answer, with the server's word that it breaks the document:
    // the document's (or the mock's) fault, not the crate's.
    let excused = echo_calls::run(&server.base_url(), &only);
    assert!(excused.failures.is_empty(), "{:?}", excused.lines);
    assert!(
        excused.lines[0].starts_with("broken-answer 200"),
        "{:?}",
        excused.lines
    );
    assert!(
        excused.lines[0].contains("must be object"),
        "{:?}",
        excused.lines
    );
}

#[test]
fn without_a_server_nothing_is_called() {
    // The test as `cargo test` runs it in every generated crate: without
    // `CALLS_BASE_URL` it calls nothing and passes, and says so.
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "auth_calls::every_operation_is_accepted_by_the_server",
            "--exact",
            "--nocapture",
        ])
        .env_remove("CALLS_BASE_URL")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{text}");
    assert!(text.contains("calls: CALLS_BASE_URL is not set"), "{text}");
}
