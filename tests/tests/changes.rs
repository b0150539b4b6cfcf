//! How the change report judges each kind of change, on a small spec
//! edited one way at a time: what is compatible (a pure addition) and what
//! is breaking (a removal, a type change, a new obligation), for users of
//! the generated crate.

use openapi_codegen::changes::{self, Bump, Report};
use openapi_codegen::{Config, generate};

const BASE: &str = r#"
openapi: 3.0.3
info: {title: Shop, version: '1'}
paths:
  /orders/{id}:
    get:
      operationId: get_order
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: The order.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Order'}
    put:
      operationId: update_order
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/OrderUpdate'}
      responses:
        '200':
          description: The order.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Order'}
components:
  schemas:
    Order:
      description: An order.
      type: object
      required: [id]
      properties:
        id: {type: string}
        quantity: {type: integer, format: int32}
        status: {$ref: '#/components/schemas/Status'}
    OrderUpdate:
      description: What to change in an order.
      type: object
      properties:
        quantity: {type: integer, format: int32}
        priority: {$ref: '#/components/schemas/Priority'}
    Status:
      type: string
      enum: [open, shipped]
    Priority:
      type: string
      enum: [low, high]
"#;

/// The report for regenerating the crate of `BASE` from `BASE` with
/// `from` replaced by `to`.
fn report(from: &str, to: &str) -> Report {
    assert!(BASE.contains(from), "the base spec contains {from:?}");
    let edited = BASE.replacen(from, to, 1);
    let files = |text: &str| {
        generate(&Config::new("shop"), text)
            .unwrap_or_else(|e| panic!("{e}\n{text}"))
            .files
    };
    changes::compare(&files(BASE), &files(&edited)).unwrap()
}

/// The report's change lines, without the summary.
fn lines(report: &Report) -> Vec<String> {
    report
        .to_text()
        .lines()
        .skip(1)
        .map(str::to_owned)
        .collect()
}

#[test]
fn a_new_optional_response_field_is_compatible() {
    let report = report(
        "        quantity: {type: integer, format: int32}\n        status:",
        "        quantity: {type: integer, format: int32}\n        note: {type: string}\n        status:",
    );
    assert_eq!(
        lines(&report),
        ["  compatible  field `types::Order::note` added: `Option<String>`"]
    );
    assert_eq!(report.bump(), Bump::Minor);
}

#[test]
fn in_a_response_a_new_required_field_is_compatible_an_existing_one_made_required_is_not() {
    // Users read responses; they do not build them.
    let report = report("required: [id]", "required: [id, quantity]");
    assert_eq!(
        lines(&report),
        ["  breaking    field `types::Order::quantity` became required: `Option<i32>` → `i32`"],
        "an existing field that becomes required changes type, which is breaking"
    );
    let report = self::report(
        "      required: [id]\n      properties:\n",
        "      required: [id, placed_at]\n      properties:\n        placed_at: {type: string, format: date-time}\n",
    );
    assert_eq!(
        lines(&report),
        ["  compatible  field `types::Order::placed_at` added: `DateTime<Utc>`"]
    );
}

#[test]
fn a_new_operation_is_compatible() {
    let report = report(
        "components:\n",
        "  /orders:\n    get:\n      operationId: list_orders\n      responses:\n        '200':\n          description: All orders.\n          content:\n            application/json:\n              schema: {type: array, items: {$ref: '#/components/schemas/Order'}}\ncomponents:\n",
    );
    assert_eq!(
        lines(&report),
        [
            "  compatible  method `Client::list_orders` added: `fn list_orders(&self) -> requests::ListOrders`",
            "  compatible  type `requests::ListOrders` added (a struct)",
        ]
    );
    assert_eq!(report.bump(), Bump::Minor);
}

#[test]
fn a_removed_operation_is_breaking() {
    let start = BASE.find("    put:\n").unwrap();
    let end = BASE.find("components:\n").unwrap();
    let report = report(&BASE[start..end], "");
    assert_eq!(
        lines(&report),
        [
            "  breaking    method `Client::update_order` removed (was `fn update_order(&self, id: &str, body: &types::OrderUpdate) -> requests::UpdateOrder`)",
            "  breaking    type `requests::UpdateOrder` removed (was a struct)",
        ],
        "component schemas stay, used or not"
    );
    assert_eq!(report.bump(), Bump::Major);
}

#[test]
fn a_new_required_request_field_is_breaking() {
    let report = report(
        "      description: What to change in an order.\n      type: object\n      properties:\n",
        "      description: What to change in an order.\n      type: object\n      required: [reason]\n      properties:\n        reason: {type: string}\n",
    );
    assert_eq!(
        lines(&report),
        [
            "  breaking    type `types::OrderUpdate` no longer implements `Default` (`..Default::default()` stops compiling)",
            "  breaking    field `types::OrderUpdate::reason` added: `String`, required (requests must now set it)",
        ]
    );
}

#[test]
fn a_new_optional_request_field_is_compatible() {
    let report = report(
        "        priority: {$ref: '#/components/schemas/Priority'}\n",
        "        priority: {$ref: '#/components/schemas/Priority'}\n        gift: {type: boolean}\n",
    );
    assert_eq!(
        lines(&report),
        ["  compatible  field `types::OrderUpdate::gift` added: `Option<bool>`"]
    );
}

#[test]
fn a_new_value_of_an_enum_the_client_only_sends_is_compatible() {
    let report = report("enum: [low, high]", "enum: [low, high, urgent]");
    assert_eq!(
        lines(&report),
        ["  compatible  variant `types::Priority::Urgent` added"]
    );
}

#[test]
fn a_new_value_of_an_enum_the_client_returns_is_breaking() {
    let report = report("enum: [open, shipped]", "enum: [open, shipped, returned]");
    assert_eq!(
        lines(&report),
        [
            "  breaking    variant `types::Status::Returned` added (a `match` without a wildcard arm must handle it)"
        ]
    );
}

#[test]
fn a_field_type_change_is_breaking() {
    let report = report(
        "        quantity: {type: integer, format: int32}\n        status:",
        "        quantity: {type: number}\n        status:",
    );
    assert_eq!(
        lines(&report),
        [
            "  breaking    field `types::Order::quantity` changed type: `Option<i32>` → `Option<f64>`"
        ]
    );
}

#[test]
fn a_new_optional_parameter_is_a_new_setter_and_compatible() {
    // Zoo added `include_total_due` to the balance operations this way.
    for location in ["query", "header", "cookie"] {
        let report = report(
            "      operationId: get_order\n      parameters:\n",
            &format!(
                "      operationId: get_order\n      parameters:\n        - {{name: expand, in: {location}, schema: {{type: boolean}}}}\n"
            ),
        );
        assert_eq!(
            lines(&report),
            [
                "  compatible  method `requests::GetOrder::expand` added: `fn expand(self, value: bool) -> requests::GetOrder`"
            ],
            "{location}"
        );
        assert_eq!(report.bump(), Bump::Minor, "{location}");
    }
}

#[test]
fn a_new_required_parameter_changes_the_method_and_is_breaking() {
    let report = report(
        "      operationId: get_order\n      parameters:\n",
        "      operationId: get_order\n      parameters:\n        - {name: expand, in: query, required: true, schema: {type: boolean}}\n",
    );
    assert_eq!(
        lines(&report),
        [
            "  breaking    method `Client::get_order` changed: `fn get_order(&self, id: &str) -> requests::GetOrder` → `fn get_order(&self, id: &str, expand: bool) -> requests::GetOrder`"
        ]
    );
    assert_eq!(report.bump(), Bump::Major);
}

#[test]
fn an_optional_parameter_that_becomes_required_is_breaking() {
    let report = report(
        "      operationId: get_order\n      parameters:\n",
        "      operationId: get_order\n      parameters:\n        - {name: expand, in: query, schema: {type: boolean}}\n",
    );
    assert_eq!(report.bump(), Bump::Minor);
    let optional = BASE.replacen(
        "      operationId: get_order\n      parameters:\n",
        "      operationId: get_order\n      parameters:\n        - {name: expand, in: query, schema: {type: boolean}}\n",
        1,
    );
    let required = optional.replacen(
        "{name: expand, in: query, schema",
        "{name: expand, in: query, required: true, schema",
        1,
    );
    let files = |text: &str| generate(&Config::new("shop"), text).unwrap().files;
    let report = changes::compare(&files(&optional), &files(&required)).unwrap();
    assert_eq!(
        lines(&report),
        [
            "  breaking    method `Client::get_order` changed: `fn get_order(&self, id: &str) -> requests::GetOrder` → `fn get_order(&self, id: &str, expand: bool) -> requests::GetOrder`",
            "  breaking    method `requests::GetOrder::expand` removed (was `fn expand(self, value: bool) -> requests::GetOrder`)",
        ]
    );
}

#[test]
fn a_description_change_is_a_patch() {
    let report = report(
        "description: An order.",
        "description: An order, as placed.",
    );
    assert!(report.changes.is_empty());
    assert_eq!(report.bump(), Bump::Patch);
    assert_eq!(
        report.to_text(),
        "API changes in shop: no change to the API (documentation or behaviour only); suggested version bump: patch (0.1.0 → 0.1.1)\n"
    );
}

#[test]
fn deprecation_is_reported_as_compatible() {
    let report = report(
        "      operationId: get_order\n",
        "      operationId: get_order\n      deprecated: true\n",
    );
    assert_eq!(
        lines(&report),
        ["  compatible  method `Client::get_order` is now deprecated"]
    );
}

/// A spec with two schemes, one operation asking for the first.
const SECURED: &str = r#"
openapi: 3.0.3
info: {title: Vault, version: '1'}
paths:
  /secrets:
    get:
      operationId: list_secrets
      security:
        - key: []
      responses:
        '204':
          description: Listed.
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key}
    token: {type: http, scheme: bearer}
"#;

fn secured_report(to: &str) -> Report {
    let edited = SECURED.replacen("        - key: []\n", to, 1);
    assert_ne!(edited, SECURED);
    let files = |text: &str| {
        generate(&Config::new("vault"), text)
            .unwrap_or_else(|e| panic!("{e}\n{text}"))
            .files
    };
    changes::compare(&files(SECURED), &files(&edited)).unwrap()
}

#[test]
fn a_new_required_scheme_on_an_operation_is_breaking() {
    let report = secured_report("        - key: []\n          token: []\n");
    assert_eq!(
        lines(&report),
        [
            "  breaking    security `requests::ListSecrets` changed: its credentials were `Key`, and are `Key` and `Token`"
        ]
    );
    assert_eq!(report.bump(), Bump::Major);
}

#[test]
fn a_new_alternative_is_compatible_and_so_is_needing_none() {
    let report = secured_report("        - key: []\n        - token: []\n");
    assert_eq!(
        lines(&report),
        [
            "  compatible  security `requests::ListSecrets` changed: its credentials were `Key`, and are `Key`, or `Token`"
        ]
    );
    let report = secured_report("        - token: []\n");
    assert_eq!(report.bump(), Bump::Major, "{}", report.to_text());
    let report = SECURED.replacen(
        "      security:\n        - key: []\n",
        "      security: []\n",
        1,
    );
    let files = |text: &str| generate(&Config::new("vault"), text).unwrap().files;
    let report = changes::compare(&files(SECURED), &files(&report)).unwrap();
    assert_eq!(report.bump(), Bump::Minor, "{}", report.to_text());
}

/// A WebSocket operation (`x-dropshot-websocket`) after the others: its
/// method, its request and its message types are judged like any other's.
const WEBSOCKET: &str = "  /ws/orders:\n    get:\n      operationId: watch_orders\n      parameters:\n        - {name: since, in: query, schema: {type: string}}\n      requestBody:\n        required: true\n        content:\n          application/json:\n            schema: {$ref: '#/components/schemas/OrderUpdate'}\n      responses:\n        default:\n          description: Orders as they change.\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Order'}\n      x-dropshot-websocket: {}\ncomponents:\n";

#[test]
fn a_websocket_session_is_judged_like_any_other_call() {
    let added = report("components:\n", WEBSOCKET);
    let lines_added = lines(&added);
    assert!(
        lines_added.iter().any(|l| l.starts_with(
            "  compatible  method `Client::watch_orders` added: `fn watch_orders(&self) -> requests::WatchOrders`"
        )),
        "{lines_added:#?}"
    );
    assert_eq!(added.bump(), Bump::Minor);

    // Its optional parameter taken away, from a base that has it.
    let files = |text: &str| {
        generate(&Config::new("shop"), text)
            .unwrap_or_else(|e| panic!("{e}\n{text}"))
            .files
    };
    let with = BASE.replacen("components:\n", WEBSOCKET, 1);
    let without = with.replacen(
        "      parameters:\n        - {name: since, in: query, schema: {type: string}}\n",
        "",
        1,
    );
    let removed = changes::compare(&files(&with), &files(&without)).unwrap();
    assert_eq!(
        lines(&removed),
        [
            "  breaking    method `requests::WatchOrders::since` removed (was `fn since(self, value: impl Into<Cow<str>>) -> requests::WatchOrders`)"
        ]
    );
}
