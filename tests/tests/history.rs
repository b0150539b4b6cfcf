//! The change report for each step of the payments API's real history
//! (`tests/fixtures/history/`): the crate generated from one version is
//! compared with the crate generated from the next, as `cargo xtask
//! codegen` compares what it is about to write with what is on disk.

use openapi_codegen::changes::{self, Bump, Report};
use openapi_codegen::{Config, Files, generate};
use std::path::Path;

/// The versions, oldest first.
const VERSIONS: [&str; 8] = [
    "2025-04", "2025-05", "2025-06", "2025-07", "2025-10", "2026-01", "2026-04", "2026-08",
];

fn crate_for(version: &str) -> Files {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("fixtures/history/{version}.yaml"));
    let text = std::fs::read_to_string(&path).expect("history spec is readable");
    let mut config = Config::new("zoo-payments");
    config.crate_version = "0.4.2".into();
    config.spec_label = "spec/payments.yaml".into();
    generate(&config, &text)
        .unwrap_or_else(|e| panic!("{version}: {e}"))
        .files
}

/// The report for regenerating the crate of `from` with the spec of `to`.
fn report(from: &str, to: &str) -> Report {
    changes::compare(&crate_for(from), &crate_for(to)).expect("both crates are readable")
}

fn check(from: &str, to: &str, bump: Bump) -> Report {
    let report = report(from, to);
    insta::assert_snapshot!(format!("{from}_to_{to}"), report.to_text());
    assert_eq!(report.bump(), bump, "{}", report.to_text());
    report
}

#[test]
fn the_2025_05_balance_reshape_is_breaking() {
    check("2025-04", "2025-05", Bump::Major);
}

#[test]
fn the_2025_06_new_optional_query_parameter_is_compatible() {
    let report = check("2025-05", "2025-06", Bump::Minor);
    let items: Vec<&str> = report.changes.iter().map(|c| c.item.as_str()).collect();
    assert_eq!(
        items,
        [
            "requests::GetPaymentBalanceForAnyUser::include_total_due",
            "requests::UpdatePaymentBalanceForAnyUser::include_total_due",
        ]
    );
    assert!(
        report
            .changes
            .iter()
            .all(|c| c.severity == changes::Severity::Compatible)
    );
}

#[test]
fn the_2025_07_integer_to_number_change_is_breaking() {
    check("2025-06", "2025-07", Bump::Major);
}

#[test]
fn the_2025_10_dropped_ids_are_breaking() {
    check("2025-07", "2025-10", Bump::Major);
}

#[test]
fn the_2026_01_new_interval_value_is_breaking_for_exhaustive_matches() {
    check("2025-10", "2026-01", Bump::Major);
}

#[test]
fn the_2026_04_renamed_price_variant_is_breaking() {
    check("2026-01", "2026-04", Bump::Major);
}

#[test]
fn the_2026_08_new_response_field_is_compatible() {
    let report = check("2026-04", "2026-08", Bump::Minor);
    assert!(
        report
            .changes
            .iter()
            .all(|c| c.severity == changes::Severity::Compatible)
    );
}

#[test]
fn the_whole_history_at_once_as_markdown() {
    let report = report(VERSIONS[0], VERSIONS[VERSIONS.len() - 1]);
    insta::assert_snapshot!("2025-04_to_2026-08_markdown", report.to_markdown());
}

#[test]
fn regenerating_the_same_spec_reports_nothing() {
    for version in VERSIONS {
        let report = report(version, version);
        assert_eq!(report.bump(), Bump::None);
        assert!(report.changes.is_empty());
    }
}
