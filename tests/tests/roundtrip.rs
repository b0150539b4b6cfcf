//! Every JSON example in the seed pages (and in the spec written from them)
//! reads into its generated type and writes back as the same JSON: money
//! strings keep their scale, timestamps their precision, unions their tags.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::path::{Path, PathBuf};
use zoo_payments::types::{
    CustomerBalance, OrgBalance, UpdateOrgPaymentBalance, UpdatePaymentBalance,
    ZooProductSubscriptionsOrgRequest, ZooProductSubscriptionsOrgResponse,
};

fn workspace_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ is in the workspace")
}

/// The seed pages the payments spec was written from, in `spec/seeds/`.
fn seeds_dir() -> PathBuf {
    let dir = workspace_root().join("spec/seeds");
    assert!(
        dir.is_dir(),
        "the seed pages are expected at {}",
        dir.display()
    );
    dir
}

/// Reads `json` as `T`, writes it back, and asserts nothing changed.
fn assert_round_trip<T: DeserializeOwned + Serialize>(what: &str, json: &Value) {
    let typed: T = serde_json::from_value(json.clone()).unwrap_or_else(|e| {
        panic!(
            "{what}: does not read as {}: {e}",
            std::any::type_name::<T>()
        )
    });
    let back = serde_json::to_value(&typed).unwrap();
    assert_eq!(
        &back,
        json,
        "{what}: changed in the round trip through {}",
        std::any::type_name::<T>()
    );
}

/// The first JSON value in `text` at or after `from`.
fn json_after(text: &str, from: usize) -> Value {
    let start = from + text[from..].find('{').expect("a JSON object follows");
    serde_json::Deserializer::from_str(&text[start..])
        .into_iter::<Value>()
        .next()
        .expect("a value")
        .expect("valid JSON")
}

/// The request example (`--data '...'`) and the response example of a seed page.
fn seed_examples(file: &str) -> (Option<Value>, Value) {
    let text = std::fs::read_to_string(seeds_dir().join(file)).unwrap();
    let request = text.find("--data '").map(|at| json_after(&text, at));
    let response_at = text.rfind("Response").expect("a response example");
    (request, json_after(&text, response_at))
}

#[test]
fn user_balance_seeds() {
    let (request, response) = seed_examples("get-user-payment-balance.txt");
    assert!(request.is_none());
    assert_round_trip::<CustomerBalance>("GET user balance, response", &response);

    let (request, response) = seed_examples("put-user-payment-balance.txt");
    let request = request.expect("the PUT page has a request body");
    assert_round_trip::<UpdatePaymentBalance>("PUT user balance, request", &request);
    assert_round_trip::<CustomerBalance>("PUT user balance, response", &response);
    // The scale survives: "2.40" is written back as "2.40", not 2.4.
    let body: UpdatePaymentBalance = serde_json::from_value(request).unwrap();
    assert!(serde_json::to_string(&body).unwrap().contains(r#""2.40""#));
}

#[test]
fn org_balance_seeds() {
    let (_, response) = seed_examples("get-org-payment-balance.txt");
    assert_round_trip::<OrgBalance>("GET org balance, response", &response);

    let (request, response) = seed_examples("put-org-payment-balance.txt");
    assert_round_trip::<UpdateOrgPaymentBalance>("PUT org balance, request", &request.unwrap());
    assert_round_trip::<OrgBalance>("PUT org balance, response", &response);
}

#[test]
fn org_subscription_seeds() {
    let (request, response) = seed_examples("put-org-payment-subscriptions.txt");
    assert_round_trip::<ZooProductSubscriptionsOrgRequest>(
        "PUT org subscription, request",
        &request.unwrap(),
    );
    assert_round_trip::<ZooProductSubscriptionsOrgResponse>(
        "PUT org subscription, response",
        &response,
    );
}

/// The examples in the spec are the seeds' examples; each reads into the
/// type its operation declares.
#[test]
fn spec_examples() {
    let text = std::fs::read_to_string(workspace_root().join("spec/payments.yaml")).unwrap();
    let spec: Value = serde_yaml::from_str(&text).unwrap();
    let mut seen = 0;
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let id = op["operationId"].as_str().unwrap();
            let what = format!("{method} {path}");
            if let Some(example) = op.pointer("/requestBody/content/application~1json/example") {
                seen += 1;
                match id {
                    "update_payment_balance_for_any_user" => {
                        assert_round_trip::<UpdatePaymentBalance>(&what, example)
                    }
                    "update_payment_balance_for_any_org" => {
                        assert_round_trip::<UpdateOrgPaymentBalance>(&what, example)
                    }
                    "update_org_subscription" => {
                        assert_round_trip::<ZooProductSubscriptionsOrgRequest>(&what, example)
                    }
                    other => panic!("{what}: no request type known for {other}"),
                }
            }
            let example = op
                .pointer("/responses/200/content/application~1json/example")
                .unwrap_or_else(|| panic!("{what}: the 200 response has an example"));
            seen += 1;
            match id {
                "get_payment_balance_for_any_user" | "update_payment_balance_for_any_user" => {
                    assert_round_trip::<CustomerBalance>(&what, example)
                }
                "get_payment_balance_for_any_org" | "update_payment_balance_for_any_org" => {
                    assert_round_trip::<OrgBalance>(&what, example)
                }
                "update_org_subscription" => {
                    assert_round_trip::<ZooProductSubscriptionsOrgResponse>(&what, example)
                }
                other => panic!("{what}: no response type known for {other}"),
            }
        }
    }
    assert_eq!(seen, 8, "five responses and three request bodies");
}

/// A server newer than the crate: an unknown support tier, training
/// behaviour and price tag read into the catch-all variants and are written
/// back exactly as they came.
#[test]
fn unknown_enum_values_and_union_tags_survive() {
    let json: Value = serde_json::json!({
        "modeling_app_enterprise_price": {"type": "contract", "amount": "1200.00", "seats": 12},
        "total_due": "10.00",
        "subscription_details": {
            "modeling_app": {
                "support_tier": "platinum_phone",
                "training_data_behavior": "ask_every_time",
                "name": "team",
                "type": {"type": "consortium", "members": 3},
                "price": {"type": "flat", "interval": "fortnight", "price": "5.00"}
            }
        }
    });
    assert_round_trip::<CustomerBalance>("newer server", &json);
    let balance: CustomerBalance = serde_json::from_value(json).unwrap();
    use zoo_payments::types::{PlanInterval, SubscriptionTierPrice, SupportTier};
    assert!(matches!(
        balance.modeling_app_enterprise_price,
        Some(SubscriptionTierPrice::Unknown(ref raw)) if raw["seats"] == 12
    ));
    let tier = balance.subscription_details.unwrap().modeling_app.unwrap();
    assert_eq!(
        tier.support_tier,
        Some(SupportTier::Unknown("platinum_phone".into()))
    );
    match tier.price {
        Some(SubscriptionTierPrice::Flat(flat)) => {
            assert_eq!(
                flat.interval,
                Some(PlanInterval::Unknown("fortnight".into()))
            );
            assert_eq!(flat.price.unwrap().to_string(), "5.00");
        }
        other => panic!("expected a flat price, got {other:?}"),
    }
}

/// Money reads from a JSON number too, and is written as a string.
#[test]
fn money_reads_numbers_and_writes_strings() {
    let body: UpdateOrgPaymentBalance = serde_json::from_str(
        r#"{"monthly_credits_remaining": 93.39, "pre_pay_cash_remaining": 80}"#,
    )
    .unwrap();
    assert_eq!(
        serde_json::to_value(&body).unwrap(),
        serde_json::json!({"monthly_credits_remaining": "93.39", "pre_pay_cash_remaining": "80"})
    );
    let bad =
        serde_json::from_str::<UpdateOrgPaymentBalance>(r#"{"monthly_credits_remaining": "lots"}"#);
    assert!(bad.is_err(), "a string that is not a number is an error");
}
