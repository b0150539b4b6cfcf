//! Settings a user gives without editing the document: Rust names for
//! schemas and operations, which operations to generate, and whether every
//! skip is an error.
//!
//! Users of a third-party API cannot edit its document, so these live in a
//! TOML file of their own beside it: `spec/payments.yaml` is read with
//! `spec/payments.codegen.toml` when that file exists (like `cbindgen.toml`
//! or `diesel.toml`, but one per document, since a folder may hold several).
//!
//! ```toml
//! # Every skip is an error: for teams who own their document.
//! strict = true
//! # The crate carries tests of its types against the document's examples
//! # and instances built from its schemas (`tests/wire.rs`).
//! example-tests = true
//! # The crate carries a test that calls every operation once against the
//! # server `CALLS_BASE_URL` names: a mock of the document, or staging
//! # (`tests/calls.rs`).
//! call-tests = true
//! # POST and PATCH operations that are safe to send twice, so that the
//! # client's opt-in retries may repeat them (GET, HEAD, PUT, DELETE and
//! # OPTIONS always are). `x-idempotent: true` on an operation says the same.
//! idempotent = ["createUpload", "POST /payments/{id}/capture"]
//!
//! [names.schemas]          # schema key → Rust type name
//! HTTPHealthCheck = "LegacyHttpHealthCheck"
//!
//! [names.operations]       # operationId (or "METHOD /path") → method name
//! "Users_Get" = "get_user"
//!
//! # Security schemes the document does not declare, written as OpenAPI
//! # writes them (a key the document has is replaced), and the requirement
//! # of every operation that states none of its own, which replaces the
//! # document's top-level `security`.
//! security = [{ bearerAuth = [] }]
//! [security-schemes.bearerAuth]
//! type = "http"
//! scheme = "bearer"
//!
//! [operations]             # which operations get a method
//! include-tags = ["payments"]       # only these tags' operations (and `include`)
//! include = ["getUser"]             # only these operations (and `include-tags`)
//! exclude-tags = ["internal"]       # then none of these tags' operations
//! exclude = ["DELETE /users/{id}"]  # nor these
//! ```

use serde::Deserialize;
use std::collections::BTreeMap;

/// The settings file, as written.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Settings {
    /// Whether every skip is an error; `None` leaves the caller's default.
    pub strict: Option<bool>,
    /// Whether the crate carries its wire tests; `None` leaves the caller's
    /// default.
    pub example_tests: Option<bool>,
    /// Whether the crate carries its call tests; `None` leaves the caller's
    /// default.
    pub call_tests: Option<bool>,
    /// POST and PATCH operations the client may retry, by `operationId` or
    /// `METHOD /path`.
    #[serde(default)]
    pub idempotent: Vec<String>,
    /// Rust names chosen by the user.
    #[serde(default)]
    pub names: Names,
    /// Which operations get a method.
    #[serde(default)]
    pub operations: Selection,
    /// Security schemes the document omits (or gets wrong), by key, as
    /// OpenAPI writes them: they join, or replace, the document's.
    #[serde(default)]
    pub security_schemes: BTreeMap<String, openapiv3::SecurityScheme>,
    /// The requirements of every operation without its own `security`: in
    /// place of the document's top-level `security`.
    pub security: Option<Vec<openapiv3::SecurityRequirement>>,
}

/// Rust names chosen by the user, by the names the document gives.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Names {
    /// Component schema key → Rust type name. Wins over `x-rust-name`.
    #[serde(default)]
    pub schemas: BTreeMap<String, String>,
    /// `operationId` (or `METHOD /path` for an operation without one) →
    /// method name.
    #[serde(default)]
    pub operations: BTreeMap<String, String>,
}

/// Which operations get a method. An operation is named by its
/// `operationId`, or by `METHOD /path` (`GET /users/{id}`, the method in any
/// case) whether or not it has one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Selection {
    /// When this or `include` names anything, only the operations they name
    /// are generated.
    #[serde(default)]
    pub include_tags: Vec<String>,
    /// Operations to generate (with those of `include-tags`).
    #[serde(default)]
    pub include: Vec<String>,
    /// Operations with any of these tags are left out.
    #[serde(default)]
    pub exclude_tags: Vec<String>,
    /// Operations left out.
    #[serde(default)]
    pub exclude: Vec<String>,
}

/// A settings file that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {message}")]
pub struct SettingsError {
    /// The settings file, as given.
    pub file: String,
    /// What is wrong, with the line and column where TOML gives them.
    pub message: String,
}

impl Settings {
    /// Reads a settings file's text; `file` names it in the error.
    pub fn from_toml(file: &str, text: &str) -> Result<Settings, SettingsError> {
        toml::from_str(text).map_err(|e| {
            let mut message = e.message().trim_end().to_owned();
            if let Some(span) = e.span() {
                let before = &text[..span.start.min(text.len())];
                let line = before.matches('\n').count() + 1;
                let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                message = format!("{line}:{column}: {message}");
            }
            SettingsError {
                file: file.to_owned(),
                message,
            }
        })
    }

    /// The settings file that goes with a document: the document's path
    /// with its extension replaced by `.codegen.toml`.
    pub fn path_for(spec: &std::path::Path) -> std::path::PathBuf {
        spec.with_extension("codegen.toml")
    }
}

impl Selection {
    /// Whether anything restricts the operations.
    pub fn is_empty(&self) -> bool {
        self.include_tags.is_empty()
            && self.include.is_empty()
            && self.exclude_tags.is_empty()
            && self.exclude.is_empty()
    }

    /// Whether an operation is generated, given its names (its
    /// `operationId`, if any, and `METHOD /path`) and its tags.
    pub fn selects(&self, names: &[String], tags: &[String]) -> bool {
        let named = |list: &[String]| {
            list.iter()
                .any(|wanted| names.iter().any(|n| same_operation(wanted, n)))
        };
        let tagged = |list: &[String]| list.iter().any(|t| tags.contains(t));
        let included = (self.include.is_empty() && self.include_tags.is_empty())
            || named(&self.include)
            || tagged(&self.include_tags);
        included && !named(&self.exclude) && !tagged(&self.exclude_tags)
    }
}

/// `GET /a` names the same operation as `get /a`; an `operationId` is
/// matched exactly.
pub(crate) fn same_operation(wanted: &str, name: &str) -> bool {
    match (wanted.split_once(' '), name.split_once(' ')) {
        (Some((m1, p1)), Some((m2, p2))) => m1.eq_ignore_ascii_case(m2) && p1 == p2,
        _ => wanted == name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_setting() {
        let text = r#"
strict = true
[names.schemas]
HTTPHealthCheck = "LegacyHttpHealthCheck"
[names.operations]
"GET /a" = "fetch_a"
[operations]
include-tags = ["payments"]
exclude = ["deleteUser"]
"#;
        let s = Settings::from_toml("x.codegen.toml", text).unwrap();
        assert_eq!(s.strict, Some(true));
        assert_eq!(s.names.schemas["HTTPHealthCheck"], "LegacyHttpHealthCheck");
        assert_eq!(s.names.operations["GET /a"], "fetch_a");
        assert_eq!(s.operations.include_tags, ["payments"]);
        assert_eq!(s.operations.exclude, ["deleteUser"]);
    }

    #[test]
    fn reads_security_schemes_as_openapi_writes_them() {
        let text = r#"
security = [{ bearerAuth = [] }, { key = [] }]
[security-schemes.bearerAuth]
type = "http"
scheme = "bearer"
[security-schemes.key]
type = "apiKey"
in = "query"
name = "api_key"
"#;
        let s = Settings::from_toml("x.codegen.toml", text).unwrap();
        assert!(matches!(
            &s.security_schemes["bearerAuth"],
            openapiv3::SecurityScheme::HTTP { scheme, .. } if scheme == "bearer"
        ));
        assert!(matches!(
            &s.security_schemes["key"],
            openapiv3::SecurityScheme::APIKey { location: openapiv3::APIKeyLocation::Query, name, .. } if name == "api_key"
        ));
        let security = s.security.unwrap();
        assert_eq!(security.len(), 2);
        assert!(security[0].contains_key("bearerAuth"));
        let e = Settings::from_toml("x.codegen.toml", "[security-schemes.a]\ntype = \"magic\"\n")
            .unwrap_err();
        assert!(e.message.contains("magic"), "{e}");
    }

    #[test]
    fn a_misspelt_key_is_an_error_that_says_where() {
        let e = Settings::from_toml("x.codegen.toml", "strict = true\n[names]\nschema = {}\n")
            .unwrap_err();
        assert!(e.message.starts_with("3:1: unknown field `schema`"), "{e}");
        assert!(e.to_string().starts_with("x.codegen.toml: 3:1:"), "{e}");
    }

    #[test]
    fn selection_includes_then_excludes() {
        let names = |id: &str| vec![id.to_owned(), "GET /a".to_owned()];
        let all = Selection::default();
        assert!(all.selects(&names("getA"), &[]));
        let by_tag = Selection {
            include_tags: vec!["payments".into()],
            exclude: vec!["get /a".into()],
            ..Selection::default()
        };
        assert!(!by_tag.selects(&names("getA"), &["payments".into()]));
        assert!(by_tag.selects(&["getB".into()], &["payments".into()]));
        assert!(!by_tag.selects(&["getC".into()], &["users".into()]));
        let excluded = Selection {
            exclude_tags: vec!["internal".into()],
            ..Selection::default()
        };
        assert!(!excluded.selects(&names("x"), &["internal".into()]));
        assert!(excluded.selects(&names("x"), &["public".into()]));
    }
}
