//! The generated clients (`zoo-payments` from `spec/payments.yaml`, `echo-api`
//! from `tests/fixtures/specs/echo.yaml`) against a loopback server: what they
//! send on the wire, and what they make of what comes back.

use std::str::FromStr;

use codegen_tests::{Response, TestServer, USER_BALANCE, unused_base_url};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use uuid::Uuid;
use zoo_payments::types::{
    ModelingAppOrganizationSubscriptionTierName, ModelingAppSubscriptionTierName, PlanInterval,
    SubscriptionTierPrice, SubscriptionTierType, SubscriptionTrainingDataBehavior, SupportTier,
    UpdateOrgPaymentBalance, UpdatePaymentBalance, ZooProductSubscriptionsOrgRequest,
};

const TOKEN: &str = "zoo-test-token-0123456789";

/// The example response of `PUT /orgs/{id}/payment/balance` in
/// `spec/payments.yaml`.
const ORG_BALANCE: &str = r#"{
  "created_at": "2024-04-29T19:59:55.022Z",
  "id": "7e29ccf7-8b3c-47db-8a17-bb53528382f4",
  "map_id": "6075f6e9-c871-4f0f-930b-439bb777cd26",
  "modeling_app_enterprise_price": {"interval": "week", "price": "0.12", "type": "flat"},
  "monthly_credits_remaining": "18.60",
  "pre_pay_cash_remaining": "23.85",
  "pre_pay_credits_remaining": "21.32",
  "subscription_details": {
    "modeling_app": {
      "description": "IR",
      "features": [{"info": "u6VQcIj5M62B3TgU26aHfPiOeqWGU5MfIDLXo670NcOJZu92kUTE8xwdl0GjNgnMaFBDIZq"}],
      "name": "team",
      "pay_as_you_go_credits": "42.82",
      "price": {"type": "enterprise"},
      "support_tier": "premium",
      "training_data_behavior": "always",
      "type": {"type": "individual"},
      "zoo_tools_included": ["text_to_cad"]
    }
  },
  "subscription_id": "68pcvDwOmIcVzTBWydXSsm",
  "total_due": "23.99",
  "updated_at": "2024-04-29T19:59:55.022Z"
}"#;

/// The example response of `PUT /org/payment/subscriptions` in
/// `spec/payments.yaml`.
const ORG_SUBSCRIPTIONS: &str = r#"{
  "modeling_app": {
    "description": "WjH15i",
    "features": [{"info": "3C9JUT0YOh4vOv1NgrvSCRrGq4veLREF9zryNRkSwxGH08g9ciWGTwtyw2oXym"}],
    "name": "enterprise",
    "pay_as_you_go_credits": "40.65",
    "price": {"interval": "month", "price": "92.93", "type": "per_user"},
    "support_tier": "standard",
    "training_data_behavior": "default_on",
    "type": {"type": "individual"},
    "zoo_tools_included": ["text_to_cad"]
  }
}"#;

/// The documented error body (`components.schemas.Error`).
const API_ERROR: &str = r#"{"error_code":"bad_request","message":"nope","request_id":"r-1"}"#;

fn dec(text: &str) -> Decimal {
    Decimal::from_str(text).expect("a valid decimal literal")
}

fn payments(server: &TestServer) -> zoo_payments::Client {
    zoo_payments::Client::new(TOKEN).with_base_url(server.base_url())
}

fn echo(server: &TestServer) -> echo_api::Client {
    echo_api::Client::new().with_base_url(server.base_url())
}

fn body_json(body: &[u8]) -> Value {
    serde_json::from_slice(body).expect("the request body is JSON")
}

// ---------------------------------------------------------------------------
// zoo-payments: requests
// ---------------------------------------------------------------------------

#[tokio::test(flavor = "current_thread")]
async fn get_user_balance_sends_an_authorized_get_and_decodes_the_spec_example() {
    let server = TestServer::start(Response::json(200, USER_BALANCE)).await;

    let balance = payments(&server)
        .get_payment_balance_for_any_user("user-42")
        .await
        .expect("the example response decodes");

    let request = server.single_request().await;
    assert_eq!(request.method, "GET");
    assert_eq!(request.target, "/users/user-42/payment/balance");
    assert_eq!(request.query(), None);
    assert_eq!(
        request.header_values("authorization"),
        [format!("Bearer {TOKEN}")]
    );
    assert!(request.body.is_empty());

    assert_eq!(balance.total_due, Some(dec("86.32")));
    assert_eq!(
        balance.total_due.map(|total| total.to_string()).as_deref(),
        Some("86.32")
    );
    assert_eq!(
        balance.monthly_api_credits_remaining_monetary_value,
        Some(dec("41.26"))
    );
    assert_eq!(
        balance.stable_api_credits_remaining_monetary_value,
        Some(dec("63.35"))
    );
    assert_eq!(balance.monthly_api_credits_remaining, Some(5u64));
    assert_eq!(balance.stable_api_credits_remaining, Some(6u64));
    assert_eq!(
        balance.id,
        Some(Uuid::parse_str("ac585dad-c443-433e-9e24-1ac0d8585a08").unwrap())
    );
    assert_eq!(
        balance.map_id,
        Some(Uuid::parse_str("568d188b-4db2-4978-b6d4-199230d74b23").unwrap())
    );
    let created_at = balance.created_at.expect("created_at");
    assert_eq!(created_at.timestamp_millis(), 1_746_745_401_704);
    assert_eq!(balance.updated_at, Some(created_at));
    assert_eq!(
        balance.subscription_id.as_deref(),
        Some("Wh2SRWgjTPwmZKkGLLr8MyvZ")
    );

    let Some(SubscriptionTierPrice::PerUser(price)) = &balance.modeling_app_enterprise_price else {
        panic!(
            "expected a per_user price, got {:?}",
            balance.modeling_app_enterprise_price
        );
    };
    assert_eq!(price.interval, Some(PlanInterval::Month));
    assert_eq!(price.price, Some(dec("27.84")));

    let tier = balance
        .subscription_details
        .as_ref()
        .and_then(|details| details.modeling_app.as_ref())
        .expect("subscription_details.modeling_app");
    assert_eq!(tier.name, Some(ModelingAppSubscriptionTierName::Team));
    assert_eq!(tier.annual_discount, Some(8));
    assert_eq!(tier.monthly_pay_as_you_go_api_credits, Some(14));
    assert_eq!(tier.pay_as_you_go_api_credit_price, Some(dec("99.36")));
    assert_eq!(tier.support_tier, Some(SupportTier::Standard));
    assert_eq!(
        tier.training_data_behavior,
        Some(SubscriptionTrainingDataBehavior::DefaultOn)
    );
    let Some(SubscriptionTierType::Organization(organization)) = &tier.r#type else {
        panic!("expected an organization tier type, got {:?}", tier.r#type);
    };
    assert_eq!(organization.saml_sso, Some(true));
    let Some(SubscriptionTierPrice::PerUser(tier_price)) = &tier.price else {
        panic!("expected a per_user tier price, got {:?}", tier.price);
    };
    assert_eq!(tier_price.interval, Some(PlanInterval::Day));
    assert_eq!(tier_price.price, Some(dec("17.07")));
}

/// `send` and `send_with_response` give the crate's `Pending` and
/// `PendingResponse`: futures that send nothing until they are polled, and
/// that can be spawned onto another thread.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_is_sent_when_awaited_and_its_future_can_be_spawned() {
    let server = TestServer::start(Response::json(200, USER_BALANCE)).await;
    let client = payments(&server);

    let pending: zoo_payments::PendingResponse<'_, _, _> = client
        .get_payment_balance_for_any_user("user-1")
        .send_with_response();
    let body_only: zoo_payments::Pending<'_, _, _> =
        client.get_payment_balance_for_any_user("user-2").send();
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    assert!(
        server.requests().await.is_empty(),
        "nothing is sent before the future is polled"
    );
    drop(body_only);

    let response = pending.await.expect("the example response decodes");
    assert_eq!(response.status(), 200);
    assert_eq!(response.body().total_due, Some(dec("86.32")));
    assert_eq!(
        server.single_request().await.target,
        "/users/user-1/payment/balance"
    );

    // Spawned: the future is `Send`, and runs on another worker.
    let spawned = tokio::spawn(async move {
        client
            .get_payment_balance_for_any_user("user-3")
            .send()
            .await
    });
    let balance = spawned
        .await
        .expect("the task ends")
        .expect("the example response decodes");
    assert_eq!(balance.total_due, Some(dec("86.32")));
    let targets = server.targets().await;
    assert_eq!(
        targets,
        [
            "/users/user-1/payment/balance",
            "/users/user-3/payment/balance"
        ]
    );
}

#[tokio::test(flavor = "current_thread")]
async fn path_parameters_are_percent_encoded_as_a_single_segment() {
    let server = TestServer::start(Response::json(200, "{}")).await;
    let client = payments(&server);

    client
        .get_payment_balance_for_any_user("a/b?c#d%")
        .await
        .expect("first request");
    client
        .get_payment_balance_for_any_user("someone+x@example.com")
        .await
        .expect("second request");
    // The unreserved characters (RFC 3986: ALPHA / DIGIT / "-" / "." / "_" /
    // "~") are left alone; everything else, non-ASCII included, is encoded.
    client
        .get_payment_balance_for_any_user("Az09-._~ é")
        .await
        .expect("third request");

    let targets = server.targets().await;
    assert_eq!(
        targets,
        [
            "/users/a%2Fb%3Fc%23d%25/payment/balance",
            "/users/someone%2Bx%40example.com/payment/balance",
            "/users/Az09-._~%20%C3%A9/payment/balance",
        ]
    );
}

/// `.` and `..` would become dot segments, which URL parsing removes (even
/// percent-encoded: `%2e` counts as a dot), and an empty value is no segment
/// at all: each would send the request to another resource. They are refused
/// before anything is sent.
#[tokio::test(flavor = "current_thread")]
async fn dot_and_empty_path_parameters_are_refused_before_sending() {
    let server = TestServer::start(Response::json(200, "{}")).await;
    let client = payments(&server);

    for id in ["..", ".", ""] {
        match client.get_payment_balance_for_any_user(id).await {
            Err(zoo_payments::Error::InvalidPathParameter { name, value }) => {
                assert_eq!(name, "id");
                assert_eq!(value, id);
            }
            other => panic!("{id:?}: expected InvalidPathParameter, got {other:?}"),
        }
    }
    // `...` and `a.` are ordinary segments.
    client.get_payment_balance_for_any_user("...").await.ok();
    client.get_payment_balance_for_any_user("a.").await.ok();
    let targets = server.targets().await;
    assert_eq!(
        targets,
        ["/users/.../payment/balance", "/users/a./payment/balance"]
    );
}

#[tokio::test(flavor = "current_thread")]
async fn update_user_balance_puts_decimals_as_strings_keeping_their_scale() {
    let server = TestServer::start(Response::json(200, USER_BALANCE)).await;
    let body = UpdatePaymentBalance {
        monthly_api_credits_remaining_monetary_value: Some(dec("2.40")),
        stable_api_credits_remaining_monetary_value: Some(dec("63.87")),
    };

    let balance = payments(&server)
        .update_payment_balance_for_any_user("someone@example.com", &body)
        .await
        .expect("the update succeeds");
    assert_eq!(balance.total_due, Some(dec("86.32")));

    let request = server.single_request().await;
    assert_eq!(request.method, "PUT");
    assert_eq!(
        request.target,
        "/users/someone%40example.com/payment/balance"
    );
    assert_eq!(request.header("content-type"), Some("application/json"));
    // It says what it reads, so that a server offering several media types
    // (a JSON and a SARIF answer, say) answers in the one it decodes.
    assert_eq!(request.header("accept"), Some("application/json"));
    assert_eq!(
        request.header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert_eq!(
        request.header("content-length"),
        Some(request.body.len().to_string().as_str())
    );
    assert_eq!(
        body_json(&request.body),
        json!({
            "monthly_api_credits_remaining_monetary_value": "2.40",
            "stable_api_credits_remaining_monetary_value": "63.87",
        })
    );
    // Not 2.4 and not "2.4": the trailing zero of a money amount is kept.
    assert!(
        request.body_text().contains(r#""2.40""#),
        "{}",
        request.body_text()
    );
}

#[tokio::test(flavor = "current_thread")]
async fn update_user_balance_leaves_out_fields_that_are_none() {
    let server = TestServer::start(Response::json(200, "{}")).await;
    let client = payments(&server);

    let only_stable = UpdatePaymentBalance {
        monthly_api_credits_remaining_monetary_value: None,
        stable_api_credits_remaining_monetary_value: Some(dec("63.87")),
    };
    client
        .update_payment_balance_for_any_user("u", &only_stable)
        .await
        .expect("first update");
    client
        .update_payment_balance_for_any_user("u", &UpdatePaymentBalance::default())
        .await
        .expect("second update");

    let requests = server.requests().await;
    assert_eq!(requests.len(), 2);
    assert_eq!(
        body_json(&requests[0].body),
        json!({"stable_api_credits_remaining_monetary_value": "63.87"})
    );
    assert_eq!(requests[1].body_text(), "{}");
}

#[tokio::test(flavor = "current_thread")]
async fn org_balance_operations_use_the_uuid_as_the_path_segment() {
    let server = TestServer::start(Response::json(200, ORG_BALANCE)).await;
    let client = payments(&server);
    let org = Uuid::parse_str("0F8FAD5B-D9CB-469F-A165-70867728950E").unwrap();
    let body = UpdateOrgPaymentBalance {
        monthly_credits_remaining: Some(dec("93.39")),
        pre_pay_cash_remaining: None,
        pre_pay_credits_remaining: Some(dec("68.50")),
    };

    let updated = client
        .update_payment_balance_for_any_org(org, &body)
        .await
        .expect("the update succeeds");
    let fetched = client
        .get_payment_balance_for_any_org(org)
        .await
        .expect("the get succeeds");
    assert_eq!(updated, fetched);

    let requests = server.requests().await;
    assert_eq!(requests.len(), 2);
    let path = "/orgs/0f8fad5b-d9cb-469f-a165-70867728950e/payment/balance";
    assert_eq!(requests[0].method, "PUT");
    assert_eq!(requests[0].target, path);
    assert_eq!(requests[0].header("content-type"), Some("application/json"));
    assert_eq!(
        body_json(&requests[0].body),
        json!({"monthly_credits_remaining": "93.39", "pre_pay_credits_remaining": "68.50"})
    );
    assert_eq!(requests[1].method, "GET");
    assert_eq!(requests[1].target, path);
    for request in &requests {
        assert_eq!(
            request.header("authorization"),
            Some(format!("Bearer {TOKEN}").as_str())
        );
    }

    assert_eq!(updated.pre_pay_credits_remaining, Some(dec("21.32")));
    assert_eq!(
        updated
            .monthly_credits_remaining
            .map(|value| value.to_string())
            .as_deref(),
        Some("18.60")
    );
    let Some(SubscriptionTierPrice::Flat(price)) = &updated.modeling_app_enterprise_price else {
        panic!(
            "expected a flat price, got {:?}",
            updated.modeling_app_enterprise_price
        );
    };
    assert_eq!(price.interval, Some(PlanInterval::Week));
    assert_eq!(price.price, Some(dec("0.12")));
    let tier = updated
        .subscription_details
        .and_then(|details| details.modeling_app)
        .expect("subscription_details.modeling_app");
    assert_eq!(tier.price, Some(SubscriptionTierPrice::Enterprise));
    assert_eq!(tier.r#type, Some(SubscriptionTierType::Individual));
    assert_eq!(tier.support_tier, Some(SupportTier::Premium));
}

#[tokio::test(flavor = "current_thread")]
async fn update_org_subscription_puts_the_tier_name() {
    let server = TestServer::start(Response::json(200, ORG_SUBSCRIPTIONS)).await;
    let body = ZooProductSubscriptionsOrgRequest {
        modeling_app: Some(ModelingAppOrganizationSubscriptionTierName::Team),
    };

    let response = payments(&server)
        .update_org_subscription(&body)
        .await
        .expect("the update succeeds");

    let request = server.single_request().await;
    assert_eq!(request.method, "PUT");
    assert_eq!(request.target, "/org/payment/subscriptions");
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(body_json(&request.body), json!({"modeling_app": "team"}));

    let tier = response.modeling_app.expect("modeling_app");
    assert_eq!(tier.name, Some(ModelingAppSubscriptionTierName::Enterprise));
    assert_eq!(tier.pay_as_you_go_credits, Some(dec("40.65")));
    let Some(SubscriptionTierPrice::PerUser(price)) = &tier.price else {
        panic!("expected a per_user price, got {:?}", tier.price);
    };
    assert_eq!(price.interval, Some(PlanInterval::Month));
    assert_eq!(price.price, Some(dec("92.93")));
    assert_eq!(
        tier.zoo_tools_included,
        Some(vec!["text_to_cad".to_owned()])
    );
}

#[tokio::test(flavor = "current_thread")]
async fn a_trailing_slash_in_the_base_url_does_not_double_the_slash() {
    let server = TestServer::start(Response::json(200, "{}")).await;

    let client = zoo_payments::Client::new(TOKEN).with_base_url(format!("{}/", server.base_url()));
    assert_eq!(client.base_url(), server.base_url());
    client
        .get_payment_balance_for_any_user("u1")
        .await
        .expect("first request");
    // A base URL with a path prefix keeps it.
    let prefixed =
        zoo_payments::Client::new(TOKEN).with_base_url(format!("{}/api/v1//", server.base_url()));
    prefixed
        .get_payment_balance_for_any_user("u2")
        .await
        .expect("second request");

    let targets = server.targets().await;
    assert_eq!(
        targets,
        [
            "/users/u1/payment/balance",
            "/api/v1/users/u2/payment/balance"
        ]
    );
}

#[tokio::test(flavor = "current_thread")]
async fn the_token_is_not_in_the_debug_output() {
    let server = TestServer::start(Response::json(200, "{}")).await;
    let client = payments(&server);

    let debug = format!("{client:?}");
    let pretty = format!("{client:#?}");
    for output in [&debug, &pretty] {
        assert!(!output.contains(TOKEN), "{output}");
        // The base URL is still there to help debugging.
        assert!(output.contains(&server.base_url()), "{output}");
    }
}

// ---------------------------------------------------------------------------
// zoo-payments: responses and errors
// ---------------------------------------------------------------------------

#[tokio::test(flavor = "current_thread")]
async fn a_documented_error_body_gives_an_api_error() {
    let server = TestServer::start(Response::json(400, API_ERROR)).await;

    let error = payments(&server)
        .get_payment_balance_for_any_user("u")
        .await
        .expect_err("a 400 is an error");

    assert_eq!(error.status().map(|status| status.as_u16()), Some(400));
    let zoo_payments::Error::Api { body, response } = error else {
        panic!("expected Error::Api, got {error:?}");
    };
    assert_eq!(response.status().as_u16(), 400);
    assert_eq!(
        serde_json::from_slice::<Value>(response.body()).unwrap()["message"],
        "nope",
        "the raw body is kept beside the decoded one"
    );
    assert_eq!(body.message, "nope");
    assert_eq!(body.request_id, "r-1");
    assert_eq!(body.error_code.as_deref(), Some("bad_request"));
}

#[tokio::test(flavor = "current_thread")]
async fn an_undocumented_error_body_gives_an_unexpected_response_with_the_text() {
    let server = TestServer::start(Response::text(500, "upstream exploded")).await;

    let error = payments(&server)
        .get_payment_balance_for_any_user("u")
        .await
        .expect_err("a 500 is an error");

    assert_eq!(error.status().map(|status| status.as_u16()), Some(500));
    let zoo_payments::Error::UnexpectedResponse { response } = error else {
        panic!("expected Error::UnexpectedResponse, got {error:?}");
    };
    assert_eq!(response.status().as_u16(), 500);
    assert_eq!(response.text(), "upstream exploded");
    assert_eq!(
        response.headers()["content-type"],
        "text/plain; charset=utf-8"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn a_success_body_that_does_not_decode_gives_an_invalid_response() {
    let not_a_balance = r#"{"total_due": "lots"}"#;
    let server = TestServer::start(Response::json(200, not_a_balance)).await;

    let error = payments(&server)
        .get_payment_balance_for_any_user("u")
        .await
        .expect_err("the body is not a CustomerBalance");

    assert_eq!(error.status().map(|status| status.as_u16()), Some(200));
    let zoo_payments::Error::InvalidResponse { response, source } = error else {
        panic!("expected Error::InvalidResponse, got {error:?}");
    };
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.body(), not_a_balance.as_bytes());
    assert!(source.serde_error().is_data(), "{source}");
}

#[tokio::test(flavor = "current_thread")]
async fn a_refused_connection_gives_a_transport_error() {
    let client = zoo_payments::Client::new(TOKEN).with_base_url(unused_base_url());

    let error = client
        .get_payment_balance_for_any_user("u")
        .await
        .expect_err("nothing listens there");

    assert_eq!(error.status(), None);
    let zoo_payments::Error::Transport(source) = error else {
        panic!("expected Error::Transport, got {error:?}");
    };
    assert!(source.is_connect(), "{source:?}");
}

#[tokio::test(flavor = "current_thread")]
async fn unknown_enum_values_and_union_tags_are_kept_and_written_back_unchanged() {
    let mut sent: Value = serde_json::from_str(USER_BALANCE).unwrap();
    let contract = json!({"type": "contract", "amount": "1.00"});
    sent["subscription_details"]["modeling_app"]["support_tier"] = json!("platinum");
    sent["subscription_details"]["modeling_app"]["price"] = contract.clone();
    sent["modeling_app_enterprise_price"] = json!({"type": "seat_bundle", "seats": [1, 2]});
    let server = TestServer::start(Response::json(200, sent.to_string())).await;

    let balance = payments(&server)
        .get_payment_balance_for_any_user("u")
        .await
        .expect("unknown values still decode");

    let tier = balance
        .subscription_details
        .as_ref()
        .and_then(|details| details.modeling_app.as_ref())
        .expect("subscription_details.modeling_app");
    assert_eq!(
        tier.support_tier,
        Some(SupportTier::Unknown("platinum".to_owned()))
    );
    assert_eq!(
        tier.support_tier.as_ref().map(SupportTier::as_str),
        Some("platinum")
    );
    assert_eq!(tier.price, Some(SubscriptionTierPrice::Unknown(contract)));
    assert!(matches!(
        balance.modeling_app_enterprise_price,
        Some(SubscriptionTierPrice::Unknown(_))
    ));

    // Writing the balance back gives what the server sent, known and unknown
    // values alike (decimals keep their scale, timestamps their precision).
    assert_eq!(serde_json::to_value(&balance).unwrap(), sent);
}

// ---------------------------------------------------------------------------
// echo-api: query and header parameters, empty success, enum path parameter
// ---------------------------------------------------------------------------

#[tokio::test(flavor = "current_thread")]
async fn list_items_sends_the_query_and_the_header() {
    let page = r#"{"items":[{"name":"a","kind":"tool"}],"next_page_token":null}"#;
    let server = TestServer::start(Response::json(200, page)).await;
    let tags = ["a".to_owned(), "b&c".to_owned()];

    let items = echo(&server)
        .list_items(10)
        .page_token("abc def")
        .tag(&tags)
        .x_request_id("req-7")
        .await
        .expect("the page decodes");

    let request = server.single_request().await;
    assert_eq!(request.method, "GET");
    assert_eq!(request.path(), "/items");
    // application/x-www-form-urlencoded, as reqwest writes it: the space is
    // `+`, the `&` inside a value is `%26`, an array is the key repeated,
    // parameters in declaration order.
    assert_eq!(
        request.query(),
        Some("limit=10&page_token=abc+def&tag=a&tag=b%26c")
    );
    assert_eq!(request.header_values("x-request-id"), ["req-7"]);
    assert_eq!(request.header("authorization"), None);

    assert_eq!(items.next_page_token, None);
    assert_eq!(items.items.len(), 1);
    assert_eq!(items.items[0].name, "a");
    assert_eq!(items.items[0].kind, Some(echo_api::types::ItemKind::Tool));
}

#[tokio::test(flavor = "current_thread")]
async fn list_items_leaves_out_the_optional_parameters_that_are_none() {
    let page = r#"{"items":[],"next_page_token":"p2"}"#;
    let server = TestServer::start(Response::json(200, page)).await;

    let items = echo(&server)
        .list_items(10)
        .await
        .expect("the page decodes");

    let request = server.single_request().await;
    assert_eq!(request.target, "/items?limit=10");
    assert_eq!(request.header("x-request-id"), None);
    assert!(items.items.is_empty());
    assert_eq!(items.next_page_token.as_deref(), Some("p2"));
}

#[tokio::test(flavor = "current_thread")]
async fn delete_item_encodes_the_path_and_accepts_an_empty_204() {
    let server = TestServer::start(Response::empty(204)).await;

    echo(&server)
        .delete_items_kind_name(&echo_api::types::ItemKind::Tool, "x y")
        .await
        .expect("a 204 is a success");

    let request = server.single_request().await;
    assert_eq!(request.method, "DELETE");
    assert_eq!(request.target, "/items/tool/x%20y");
    assert!(request.body.is_empty());
}

#[tokio::test(flavor = "current_thread")]
async fn delete_item_error_gives_the_documented_problem() {
    let server = TestServer::start(Response::json(404, r#"{"detail":"missing"}"#)).await;

    let error = echo(&server)
        .delete_items_kind_name(
            &echo_api::types::ItemKind::Unknown("gadget".to_owned()),
            "x",
        )
        .await
        .expect_err("a 404 is an error");

    assert_eq!(server.single_request().await.target, "/items/gadget/x");
    assert_eq!(error.status().map(|status| status.as_u16()), Some(404));
    let echo_api::Error::Api { body, response } = error else {
        panic!("expected Error::Api, got {error:?}");
    };
    assert_eq!(response.status().as_u16(), 404);
    assert_eq!(body.detail, "missing");
}
