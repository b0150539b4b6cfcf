//! Authentication as the document asks for it (`auth-api`, from
//! `tests/fixtures/specs/auth.yaml`), against a loopback server: each
//! operation sends exactly the credentials of the first requirement the
//! client can meet, and nothing else; no credential shows in `Debug` or in
//! an error's text.

use std::collections::BTreeMap;

use auth_api::Client;
use codegen_tests::{RecordedRequest, Response, TestServer, unused_base_url};

const APP_SECRET: &str = "app-secret-5f0c";
const BEARER: &str = "bearer-token-71aa";
const HEADER_KEY: &str = "header-key-9d3e";
const OAUTH: &str = "oauth-token-c2b8";
const OIDC: &str = "oidc-token-04fe";
// A space, a slash and a semicolon, which the query and the cookie must
// encode.
const QUERY_KEY: &str = "query key/3a61";
const SESSION: &str = "session;8e42";
const USERNAME: &str = "ada";
const PASSWORD: &str = "pass word-77c1";

/// Every secret above, to look for where none may be.
const SECRETS: [&str; 9] = [
    APP_SECRET, BEARER, HEADER_KEY, OAUTH, OIDC, QUERY_KEY, "3a61", SESSION, PASSWORD,
];

/// A client given every credential the document declares.
fn everything(base_url: &str) -> Client {
    Client::builder()
        .base_url(base_url)
        .app_secret(APP_SECRET)
        .basic(USERNAME, PASSWORD)
        .bearer(BEARER)
        .header_key(HEADER_KEY)
        .oauth(OAUTH)
        .oidc(OIDC)
        .query_key(QUERY_KEY)
        .session(SESSION)
        .build()
        .expect("a client")
}

/// What a request carries that could be a credential: the headers that
/// carry them in this document, and the query.
fn carried(request: &RecordedRequest) -> BTreeMap<&'static str, String> {
    let mut out = BTreeMap::new();
    for name in ["authorization", "x-api-key", "x-app-secret", "cookie"] {
        let values = request.header_values(name);
        if !values.is_empty() {
            out.insert(name, values.join(" | "));
        }
    }
    if let Some(query) = request.query() {
        out.insert("query", query.to_owned());
    }
    out
}

fn expect(pairs: &[(&'static str, &str)]) -> BTreeMap<&'static str, String> {
    pairs.iter().map(|(k, v)| (*k, (*v).to_owned())).collect()
}

fn basic() -> String {
    // base64("ada:pass word-77c1"), worked out by hand.
    "Basic YWRhOnBhc3Mgd29yZC03N2Mx".to_owned()
}

async fn server() -> TestServer {
    TestServer::start(Response::empty(204)).await
}

#[tokio::test]
async fn an_operation_without_security_of_its_own_sends_the_documents_requirement() {
    let server = server().await;
    everything(&server.base_url()).get_default().await.unwrap();
    let request = server.single_request().await;
    assert_eq!(carried(&request), expect(&[("x-api-key", HEADER_KEY)]));
}

#[tokio::test]
async fn security_empty_sends_no_credential_at_all() {
    let server = server().await;
    everything(&server.base_url()).get_public().await.unwrap();
    let request = server.single_request().await;
    assert_eq!(carried(&request), expect(&[]));
}

#[tokio::test]
async fn optional_authentication_sends_a_credential_that_was_given_and_none_otherwise() {
    let server = server().await;
    everything(&server.base_url()).get_optional().await.unwrap();
    let bare = Client::new().with_base_url(server.base_url());
    bare.get_optional().await.unwrap();
    let requests = server.requests().await;
    assert_eq!(
        carried(&requests[0]),
        expect(&[("authorization", &format!("Bearer {BEARER}"))])
    );
    assert_eq!(carried(&requests[1]), expect(&[]));
}

#[tokio::test]
async fn of_alternatives_the_first_that_was_given_is_sent_and_only_it() {
    let server = server().await;
    let base_url = server.base_url();
    // oauth, then basic, then the query key: every one given, the first wins.
    everything(&base_url).get_alternatives().await.unwrap();
    // Without oauth, basic.
    let basic_and_query = Client::builder()
        .base_url(&base_url)
        .basic(USERNAME, PASSWORD)
        .query_key(QUERY_KEY)
        .header_key(HEADER_KEY)
        .build()
        .unwrap();
    basic_and_query.get_alternatives().await.unwrap();
    // Only the query key.
    let query_only = Client::builder()
        .base_url(&base_url)
        .query_key(QUERY_KEY)
        .build()
        .unwrap();
    query_only.get_alternatives().await.unwrap();
    let requests = server.requests().await;
    assert_eq!(
        carried(&requests[0]),
        expect(&[("authorization", &format!("Bearer {OAUTH}"))])
    );
    assert_eq!(
        carried(&requests[1]),
        expect(&[("authorization", &basic())])
    );
    assert_eq!(
        carried(&requests[2]),
        expect(&[("query", "api_key=query+key%2F3a61")])
    );
}

#[tokio::test]
async fn a_combination_sends_every_scheme_of_it_or_none_of_them() {
    let server = server().await;
    let base_url = server.base_url();
    everything(&base_url).get_combined().await.unwrap();
    // The key alone does not meet the requirement, so it is not sent.
    let key_only = Client::builder()
        .base_url(&base_url)
        .header_key(HEADER_KEY)
        .build()
        .unwrap();
    key_only.get_combined().await.unwrap();
    let requests = server.requests().await;
    assert_eq!(
        carried(&requests[0]),
        expect(&[("x-api-key", HEADER_KEY), ("x-app-secret", APP_SECRET)])
    );
    assert_eq!(carried(&requests[1]), expect(&[]));
}

#[tokio::test]
async fn a_cookie_key_shares_the_one_cookie_header_with_the_cookie_parameters() {
    let server = server().await;
    let client = everything(&server.base_url());
    client.get_cookies().theme("dark").await.unwrap();
    client.get_cookies().await.unwrap();
    let requests = server.requests().await;
    assert_eq!(
        requests[0].header_values("cookie").len(),
        1,
        "{requests:#?}"
    );
    assert_eq!(
        carried(&requests[0]),
        expect(&[("cookie", "session_id=session%3B8e42; theme=dark")])
    );
    assert_eq!(
        carried(&requests[1]),
        expect(&[("cookie", "session_id=session%3B8e42")])
    );
}

#[tokio::test]
async fn a_query_key_joins_the_query_parameters() {
    let server = server().await;
    everything(&server.base_url()).search("rust").await.unwrap();
    let request = server.single_request().await;
    assert_eq!(
        carried(&request),
        expect(&[("query", "api_key=query+key%2F3a61&q=rust")])
    );
}

#[tokio::test]
async fn a_key_that_is_also_the_operations_parameter_is_sent_once_as_the_parameter() {
    let server = server().await;
    everything(&server.base_url())
        .connect("app-7")
        .await
        .unwrap();
    let request = server.single_request().await;
    assert_eq!(carried(&request), expect(&[("query", "api_key=app-7")]));
}

#[tokio::test]
async fn a_requirement_the_client_cannot_meet_gives_way_to_the_next() {
    let server = server().await;
    let client = everything(&server.base_url());
    // `digest` cannot be sent; OpenID Connect's token can.
    client.get_digest().await.unwrap();
    // A requirement that names no declared scheme is never met.
    client.get_undeclared().await.unwrap();
    let requests = server.requests().await;
    assert_eq!(
        carried(&requests[0]),
        expect(&[("authorization", &format!("Bearer {OIDC}"))])
    );
    assert_eq!(carried(&requests[1]), expect(&[]));
}

#[tokio::test]
async fn a_call_whose_requirement_is_not_met_is_sent_without_credentials() {
    let server = TestServer::start(Response::json(401, r#"{"message": "who are you?"}"#)).await;
    let client = Client::builder()
        .base_url(server.base_url())
        .bearer(BEARER)
        .build()
        .unwrap();
    // `get_default` wants the header key, which this client was not given:
    // the server, not the client, says no.
    let error = client.get_default().await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(carried(&server.single_request().await), expect(&[]));
}

#[test]
fn no_credential_shows_in_debug() {
    let builder = Client::builder()
        .app_secret(APP_SECRET)
        .basic(USERNAME, PASSWORD)
        .bearer(BEARER)
        .header_key(HEADER_KEY)
        .oauth(OAUTH)
        .oidc(OIDC)
        .query_key(QUERY_KEY)
        .session(SESSION);
    let builder_debug = format!("{builder:?}");
    let client = builder.build().unwrap();
    let client_debug = format!("{client:?}");
    let request_debug = format!("{:?}", client.search("rust"));
    for text in [&builder_debug, &client_debug, &request_debug] {
        for secret in SECRETS {
            assert!(!text.contains(secret), "{secret:?} shows in {text}");
        }
    }
    // It does say which credentials were given.
    assert!(
        client_debug.contains("query_key: Some(<redacted>)"),
        "{client_debug}"
    );
}

#[tokio::test]
async fn a_transport_error_does_not_show_a_query_key() {
    let client = Client::builder()
        .base_url(unused_base_url())
        .query_key(QUERY_KEY)
        .build()
        .unwrap();
    let error = client.search("rust").await.unwrap_err();
    let mut texts = vec![format!("{error}"), format!("{error:?}")];
    let mut source: Option<&dyn std::error::Error> = std::error::Error::source(&error);
    while let Some(cause) = source {
        texts.push(cause.to_string());
        source = cause.source();
    }
    let all = texts.join("\n");
    // The URL is still there to read, the key's value is not.
    assert!(all.contains("q=rust"), "{all}");
    assert!(all.contains("api_key=%3Credacted%3E"), "{all}");
    for secret in SECRETS {
        assert!(!all.contains(secret), "{secret:?} shows in {all}");
    }
}

#[tokio::test]
async fn a_document_without_schemes_sends_an_optional_bearer_token_when_given() {
    // What the server answers does not matter here: what was sent does.
    let server = server().await;
    let with_token = echo_api::Client::builder()
        .base_url(server.base_url())
        .bearer_token(BEARER)
        .build()
        .unwrap();
    let _ = with_token.list_items(1).await;
    let _ = echo_api::Client::new()
        .with_base_url(server.base_url())
        .list_items(1)
        .await;
    let requests = server.requests().await;
    assert_eq!(
        requests[0].header("authorization"),
        Some(format!("Bearer {BEARER}").as_str())
    );
    assert_eq!(requests[1].header("authorization"), None);
}
