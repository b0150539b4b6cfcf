//! Old clients survive new servers: the crate generated from one version of
//! the payments API (`tests/fixtures/history/payments-DATE`) against a
//! loopback server that answers as the next version does (and, at the end,
//! as the newest one does). Each call must succeed, keep what the old crate
//! knows, and keep unknown enum values and union tags as raw data that is
//! written back exactly as it came.

use codegen_tests::{Response, TestServer};
use serde::Serialize;
use serde_json::{Value, json};

const TOKEN: &str = "zoo-test-token-0123456789";

/// The balance `GET /users/{id}/payment/balance` answers with, as the API of
/// `version` (a history file's date) sends it: every change of the history
/// up to that date applied.
fn balance_sent_by(version: &str) -> Value {
    let mut balance = json!({
        "created_at": "2025-05-08T23:03:21.704Z",
        "id": "ac585dad-c443-433e-9e24-1ac0d8585a08",
        "map_id": "568d188b-4db2-4978-b6d4-199230d74b23",
        "modeling_app_enterprise_price": {"interval": "month", "price": "27.84", "type": "per_user"},
        "subscription_details": {
            "modeling_app": {
                "annual_discount": 8,
                "description": "Mx0kix5W279znAVLGdcHlu",
                "endpoints_included": ["file"],
                "features": [{"info": "pAFbCtvtLDujHLTBpQKWs84T7pjo4GmmjL0ckyvY8WdKh9"}],
                "monthly_pay_as_you_go_api_credits": 14,
                "monthly_pay_as_you_go_api_credits_monetary_value": "63.21",
                "name": "team",
                "pay_as_you_go_api_credit_price": "99.36",
                "price": {"interval": "day", "price": "17.07", "type": "per_user"},
                "share_links": ["password_protected"],
                "support_tier": "priority",
                "training_data_behavior": "default_on",
                "type": {"saml_sso": true, "type": "organization"},
                "zoo_tools_included": ["modeling_app"]
            }
        },
        "subscription_id": "Wh2SRWgjTPwmZKkGLLr8MyvZ",
        "total_due": "86.32",
        "updated_at": "2025-05-08T23:03:21.704Z"
    });
    let object = balance.as_object_mut().unwrap();
    if version < "2025-05" {
        object.insert("monthly_credits_remaining".into(), json!("3.48"));
        object.insert("pre_pay_cash_remaining".into(), json!("19.04"));
        object.insert("pre_pay_credits_remaining".into(), json!("23.39"));
    } else {
        object.insert("monthly_api_credits_remaining".into(), json!(5));
        object.insert(
            "monthly_api_credits_remaining_monetary_value".into(),
            json!("41.26"),
        );
        object.insert("stable_api_credits_remaining".into(), json!(6));
        object.insert(
            "stable_api_credits_remaining_monetary_value".into(),
            json!("63.35"),
        );
        balance["subscription_details"]["modeling_app"]["support_tier"] = json!("priority_email");
    }
    if version >= "2025-07" {
        // The server's number is a float now, written as one.
        balance["subscription_details"]["modeling_app"]["annual_discount"] = json!(12.0);
    }
    if version >= "2025-10" {
        let object = balance.as_object_mut().unwrap();
        object.remove("id");
        object.remove("map_id");
    }
    if version >= "2026-01" {
        balance["modeling_app_enterprise_price"]["interval"] = json!("unknown");
    }
    if version >= "2026-04" {
        balance["subscription_details"]["modeling_app"]["price"] = json!({"type": "contract"});
    }
    if version >= "2026-08" {
        balance.as_object_mut().unwrap().insert(
            "monthly_api_credits_refresh_at".into(),
            json!("2026-09-01T00:00:00Z"),
        );
    }
    balance
}

/// A server that answers every request with `body`.
async fn server(body: &Value) -> TestServer {
    TestServer::start(Response::json(200, body.to_string())).await
}

/// Asserts that `decoded`, written back as JSON, is `sent` without the
/// properties at `unknown` (JSON pointers of what the old crate has no field
/// for): everything it knows, unknown enum values and tags included, comes
/// back as it was sent.
fn written_back_unchanged(decoded: &impl Serialize, sent: &Value, unknown: &[&str]) {
    let mut expected = sent.clone();
    for pointer in unknown {
        let (parent, key) = pointer.rsplit_once('/').unwrap();
        let removed = expected
            .pointer_mut(parent)
            .and_then(Value::as_object_mut)
            .and_then(|o| o.remove(key));
        assert!(removed.is_some(), "{pointer} is in what the server sent");
    }
    let written = serde_json::to_value(decoded).unwrap();
    assert_eq!(written, expected, "written back: {written:#}");
}

#[tokio::test(flavor = "current_thread")]
async fn a_2025_04_client_survives_the_2025_05_balance_reshape() {
    use payments_2025_04::types::SupportTier;
    let sent = balance_sent_by("2025-05");
    let server = server(&sent).await;
    let client = payments_2025_04::Client::new(TOKEN).with_base_url(server.base_url());

    let balance = client
        .get_payment_balance_for_any_user("someone@example.com")
        .await
        .expect("the old client reads the reshaped balance");
    assert_eq!(balance.total_due, Some("86.32".parse().unwrap()));
    assert_eq!(
        balance.monthly_credits_remaining, None,
        "gone from the server"
    );
    let tier = balance
        .subscription_details
        .as_ref()
        .and_then(|d| d.modeling_app.as_ref())
        .and_then(|m| m.support_tier.clone());
    assert_eq!(tier, Some(SupportTier::Unknown("priority_email".into())));
    written_back_unchanged(
        &balance,
        &sent,
        &[
            "/monthly_api_credits_remaining",
            "/monthly_api_credits_remaining_monetary_value",
            "/stable_api_credits_remaining",
            "/stable_api_credits_remaining_monetary_value",
        ],
    );
    let request = server.single_request().await;
    assert_eq!(
        request.path(),
        "/users/someone%40example.com/payment/balance"
    );
}

/// The calls a user of the 2025-05 crate wrote, as one body of source that
/// is compiled against each crate named: the same code must compile, and
/// send the same requests, whichever crate it is built against.
macro_rules! calls_written_for_2025_05 {
    ($name:ident, $krate:ident) => {
        async fn $name(base_url: String) -> Vec<String> {
            let client = $krate::Client::new(TOKEN).with_base_url(base_url);
            let balance = client
                .get_payment_balance_for_any_user("someone@example.com")
                .await
                .expect("the balance decodes");
            let update = $krate::types::UpdatePaymentBalance {
                monthly_api_credits_remaining_monetary_value: Some("12.50".parse().unwrap()),
                ..Default::default()
            };
            let updated = client
                .update_payment_balance_for_any_user("someone@example.com", &update)
                .await
                .expect("the update is answered");
            vec![
                format!("{:?}", balance.total_due),
                format!("{:?}", updated.total_due),
            ]
        }
    };
}

calls_written_for_2025_05!(calls_against_2025_05, payments_2025_05);
calls_written_for_2025_05!(calls_against_2025_06, payments_2025_06);

#[tokio::test(flavor = "current_thread")]
async fn calls_written_for_2025_05_compile_and_behave_the_same_against_2025_06() {
    // 2025-06 adds the optional `include_total_due` to both operations: a
    // setter on the request, so no call above changed.
    let sent = balance_sent_by("2025-06");
    let old_server = server(&sent).await;
    let new_server = server(&sent).await;
    let old = calls_against_2025_05(old_server.base_url()).await;
    let new = calls_against_2025_06(new_server.base_url()).await;
    assert_eq!(old, new);
    let old_requests = old_server.requests().await;
    let new_requests = new_server.requests().await;
    assert_eq!(old_requests.len(), 2);
    for (old, new) in old_requests.iter().zip(&new_requests) {
        assert_eq!(
            old.target, new.target,
            "the parameter is sent only when set"
        );
        assert_eq!(old.body_text(), new.body_text());
    }

    // Those who want it set it.
    let client = payments_2025_06::Client::new(TOKEN).with_base_url(new_server.base_url());
    client
        .get_payment_balance_for_any_user("someone@example.com")
        .include_total_due(true)
        .await
        .expect("the balance decodes");
    let last = new_server.requests().await.pop().unwrap();
    assert_eq!(
        last.target,
        "/users/someone%40example.com/payment/balance?include_total_due=true"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn a_2025_05_client_survives_annual_discount_becoming_a_number() {
    let sent = balance_sent_by("2025-07");
    assert_eq!(
        sent["subscription_details"]["modeling_app"]["annual_discount"].to_string(),
        "12.0",
        "the server writes a float"
    );
    let server = server(&sent).await;
    let client = payments_2025_05::Client::new(TOKEN).with_base_url(server.base_url());

    let balance = client
        .get_payment_balance_for_any_user("someone@example.com")
        .await
        .expect("a whole number reads into the old integer field");
    let tier = balance.subscription_details.unwrap().modeling_app.unwrap();
    assert_eq!(tier.annual_discount, Some(12_i64));
}

#[tokio::test(flavor = "current_thread")]
async fn a_2025_05_client_names_a_fractional_annual_discount_it_cannot_hold() {
    // What the report calls breaking: an integer field cannot hold 12.5.
    // The error says so; nothing is silently rounded.
    let mut sent = balance_sent_by("2025-07");
    sent["subscription_details"]["modeling_app"]["annual_discount"] = json!(12.5);
    let server = server(&sent).await;
    let client = payments_2025_05::Client::new(TOKEN).with_base_url(server.base_url());

    let error = client
        .get_payment_balance_for_any_user("someone@example.com")
        .await
        .expect_err("12.5 is not an i64");
    match error {
        payments_2025_05::Error::InvalidResponse { response, source } => {
            assert_eq!(response.status(), 200);
            let message = source.to_string();
            assert!(
                message.contains("floating point `12.5`, expected an integer in range"),
                "{message}"
            );
        }
        other => panic!("expected InvalidResponse, got {other:?}"),
    }
}

#[tokio::test(flavor = "current_thread")]
async fn a_2025_07_client_survives_the_ids_being_dropped() {
    let sent = balance_sent_by("2025-10");
    let server = server(&sent).await;
    let client = payments_2025_07::Client::new(TOKEN).with_base_url(server.base_url());

    let balance = client
        .get_payment_balance_for_any_user("someone@example.com")
        .await
        .expect("absent ids are `None`");
    assert_eq!((balance.id, balance.map_id), (None, None));
    assert_eq!(
        balance.subscription_id.as_deref(),
        Some("Wh2SRWgjTPwmZKkGLLr8MyvZ")
    );
    written_back_unchanged(&balance, &sent, &[]);
}

#[tokio::test(flavor = "current_thread")]
async fn a_2025_10_client_survives_a_new_plan_interval() {
    use payments_2025_10::types::{PlanInterval, SubscriptionTierPrice};
    let sent = balance_sent_by("2026-01");
    let server = server(&sent).await;
    let client = payments_2025_10::Client::new(TOKEN).with_base_url(server.base_url());

    let balance = client
        .get_payment_balance_for_any_user("someone@example.com")
        .await
        .expect("a new enum value is kept");
    let Some(SubscriptionTierPrice::PerUser(price)) = &balance.modeling_app_enterprise_price else {
        panic!("a per-user price: {balance:?}")
    };
    assert_eq!(
        price.interval,
        Some(PlanInterval::Unknown("unknown".into()))
    );
    assert_eq!(price.price, Some("27.84".parse().unwrap()));
    written_back_unchanged(&balance, &sent, &[]);
}

#[tokio::test(flavor = "current_thread")]
async fn the_2026_01_client_reads_the_new_value_and_keeps_its_catch_all() {
    use payments_2026_01::types::PlanInterval;
    // Regenerating added a variant for `unknown`, and the catch-all kept
    // its name, so code that matched `Unknown(..)` still compiles.
    assert_eq!(PlanInterval::from("unknown"), PlanInterval::Unknown2);
    assert_eq!(
        PlanInterval::from("fortnight"),
        PlanInterval::Unknown("fortnight".into())
    );
    assert_eq!(PlanInterval::Unknown2.as_str(), "unknown");
}

#[tokio::test(flavor = "current_thread")]
async fn a_2026_01_client_survives_the_enterprise_price_becoming_contract() {
    use payments_2026_01::types::SubscriptionTierPrice;
    let sent = balance_sent_by("2026-04");
    let server = server(&sent).await;
    let client = payments_2026_01::Client::new(TOKEN).with_base_url(server.base_url());

    let balance = client
        .get_payment_balance_for_any_user("someone@example.com")
        .await
        .expect("a new union tag is kept");
    let price = balance
        .subscription_details
        .as_ref()
        .and_then(|d| d.modeling_app.as_ref())
        .and_then(|m| m.price.clone());
    assert_eq!(
        price,
        Some(SubscriptionTierPrice::Unknown(json!({"type": "contract"})))
    );
    written_back_unchanged(&balance, &sent, &[]);
}

#[tokio::test(flavor = "current_thread")]
async fn a_2026_04_client_survives_a_new_balance_field() {
    let sent = balance_sent_by("2026-08");
    let server = server(&sent).await;
    let client = payments_2026_04::Client::new(TOKEN).with_base_url(server.base_url());

    let balance = client
        .get_payment_balance_for_any_user("someone@example.com")
        .await
        .expect("a new field is ignored");
    assert_eq!(balance.monthly_api_credits_remaining, Some(5));
    written_back_unchanged(&balance, &sent, &["/monthly_api_credits_refresh_at"]);
}

#[tokio::test(flavor = "current_thread")]
async fn the_oldest_client_survives_the_newest_server() {
    use payments_2025_04::types::{PlanInterval, SubscriptionTierPrice, SupportTier};
    let sent = balance_sent_by("2026-08");
    let server = server(&sent).await;
    let client = payments_2025_04::Client::new(TOKEN).with_base_url(server.base_url());

    let balance = client
        .get_payment_balance_for_any_user("someone@example.com")
        .await
        .expect("eighteen months of changes at once");
    let tier = balance
        .subscription_details
        .clone()
        .unwrap()
        .modeling_app
        .unwrap();
    assert_eq!(tier.annual_discount, Some(12));
    assert_eq!(
        tier.support_tier,
        Some(SupportTier::Unknown("priority_email".into()))
    );
    assert_eq!(
        tier.price,
        Some(SubscriptionTierPrice::Unknown(json!({"type": "contract"})))
    );
    let Some(SubscriptionTierPrice::PerUser(price)) = &balance.modeling_app_enterprise_price else {
        panic!("a per-user price: {balance:?}")
    };
    assert_eq!(
        price.interval,
        Some(PlanInterval::Unknown("unknown".into()))
    );

    let mut expected = sent.clone();
    // The old integer field writes 12, not 12.0.
    expected["subscription_details"]["modeling_app"]["annual_discount"] = json!(12);
    written_back_unchanged(
        &balance,
        &expected,
        &[
            "/monthly_api_credits_refresh_at",
            "/monthly_api_credits_remaining",
            "/monthly_api_credits_remaining_monetary_value",
            "/stable_api_credits_remaining",
            "/stable_api_credits_remaining_monetary_value",
        ],
    );
}

#[tokio::test(flavor = "current_thread")]
async fn unknown_values_go_back_to_the_server_as_they_came() {
    use payments_2025_04::types::{
        ModelingAppOrganizationSubscriptionTierName, ZooProductSubscriptionsOrgRequest,
    };
    // The subscription answer of a newer server: a tier name, a support
    // tier and a price the old crate does not know. The old client reads
    // it, and sends the unknown tier name back in its next request.
    let answer = json!({
        "modeling_app": {
            "name": "studio",
            "price": {"type": "contract", "seats": 40},
            "support_tier": "standard_email"
        }
    });
    let server = TestServer::start(vec![
        Response::json(200, answer.to_string()),
        Response::json(200, answer.to_string()),
    ])
    .await;
    let client = payments_2025_04::Client::new(TOKEN).with_base_url(server.base_url());
    let first = client
        .update_org_subscription(&ZooProductSubscriptionsOrgRequest {
            modeling_app: Some(ModelingAppOrganizationSubscriptionTierName::Team),
        })
        .await
        .expect("unknown values in the answer are kept");
    written_back_unchanged(&first, &answer, &[]);

    let name = first.modeling_app.unwrap().name.unwrap();
    let again = ZooProductSubscriptionsOrgRequest {
        modeling_app: Some(ModelingAppOrganizationSubscriptionTierName::from(
            name.as_str(),
        )),
    };
    client.update_org_subscription(&again).await.unwrap();
    let requests = server.requests().await;
    assert_eq!(requests.len(), 2);
    let body: Value = serde_json::from_slice(&requests[1].body).unwrap();
    assert_eq!(body, json!({"modeling_app": "studio"}));
}
