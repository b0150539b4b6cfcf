//! Authentication: the document's security schemes (and the settings'), as
//! the credentials a client can be given, and each operation's `security`
//! as the requirements it can meet with them.
//!
//! What the client cannot send (an `http` scheme other than `bearer` and
//! `basic`, a requirement that names no declared scheme) is reported once,
//! where it is written; a requirement that needs it is one the client can
//! never meet, so it is left out of the operation's list.

use super::Lowerer;
use super::docs::spec_docs;
use crate::diagnostics::child;
use crate::ir::{self, Credential, Docs, KeyLocation, Requirement};
use crate::load::MUTUAL_TLS;
use crate::naming::{self, Scope};
use openapiv3::{ReferenceOr, SecurityRequirement, SecurityScheme};
use std::collections::BTreeMap;

/// The builder's own methods, which a scheme's setter must not take.
const BUILDER_METHODS: &[&str] = &[
    "base_url",
    "timeout",
    "connect_timeout",
    "retry",
    "hook",
    "max_response_bytes",
    "user_agent",
    "http_client",
    "build",
    "credentials",
];

/// What a requirement that names a scheme asks of the client.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Meets {
    /// The credential of this variant.
    Credential(String),
    /// Nothing on the request: the TLS connection meets it (3.1's
    /// `mutualTLS`, with the `reqwest::Client`'s identity).
    Connection,
    /// What the client cannot send (reported at the scheme): a requirement
    /// naming it is never met.
    Never,
}

/// The schemes, lowered once before the operations that name them.
#[derive(Debug, Default)]
pub(super) struct Schemes {
    /// What the client is given.
    pub(super) auth: Option<ir::Auth>,
    /// Every declared key → what a requirement naming it asks of the client.
    by_key: BTreeMap<String, Meets>,
    /// Whether nothing is declared, so that every operation sends the
    /// made-up bearer token when it is given.
    undeclared: bool,
}

impl<'a> Lowerer<'a> {
    /// The document's schemes with the settings' over them, in key order,
    /// and the requirement of the operations without their own.
    pub(super) fn lower_schemes(&mut self) -> Schemes {
        let mut declared: BTreeMap<String, (SecurityScheme, String)> = BTreeMap::new();
        let section = "#/components/securitySchemes";
        let in_document = self
            .api
            .components
            .iter()
            .flat_map(|c| c.security_schemes.iter());
        for (key, scheme) in in_document {
            let pointer = child(section, key);
            let scheme = match scheme {
                ReferenceOr::Item(scheme) => scheme,
                ReferenceOr::Reference { reference } => {
                    let target = reference
                        .strip_prefix("#/components/securitySchemes/")
                        .and_then(|name| self.api.components.as_ref()?.security_schemes.get(name));
                    match target {
                        Some(ReferenceOr::Item(scheme)) => scheme,
                        _ => {
                            self.skip(
                                &pointer,
                                format!(
                                    "this security scheme refers to `{reference}`, which is not a security scheme of this document; the client cannot send it"
                                ),
                            );
                            continue;
                        }
                    }
                }
            };
            declared.insert(key.clone(), (scheme.clone(), pointer));
        }
        for (key, scheme) in &self.config.security_schemes {
            declared.insert(key.clone(), (scheme.clone(), child(section, key)));
        }

        let mut setters = Scope::with_reserved(BUILDER_METHODS);
        let mut variants = Scope::new();
        let mut schemes = Vec::new();
        let mut by_key = BTreeMap::new();
        for (key, (scheme, pointer)) in &declared {
            if matches!(scheme, SecurityScheme::HTTP { scheme, .. } if scheme == MUTUAL_TLS) {
                self.skip(
                    pointer,
                    "a `mutualTLS` scheme is met by the TLS connection, not by anything on the request: give `ClientBuilder::http_client` a `reqwest::Client` built with the client's certificate (`reqwest::Identity`); requirements naming it are taken as met",
                );
                by_key.insert(key.clone(), Meets::Connection);
                continue;
            }
            let Some((credential, docs)) = self.credential(key, scheme, pointer) else {
                by_key.insert(key.clone(), Meets::Never);
                continue;
            };
            let variant = variants.claim(naming::type_name(key));
            by_key.insert(key.clone(), Meets::Credential(variant.clone()));
            schemes.push(ir::Scheme {
                key: key.clone(),
                setter: setters.claim(naming::value_name(key)),
                variant,
                credential,
                docs,
                origin: pointer.clone(),
                declared: true,
            });
        }
        let undeclared = declared.is_empty();
        if undeclared {
            schemes.push(ir::Scheme {
                key: "bearer".into(),
                setter: "bearer_token".into(),
                variant: "BearerToken".into(),
                credential: Credential::Bearer,
                docs: Docs::from_text(
                    "A bearer token, sent as `Authorization: Bearer <token>` with every \
                     request but those the API description says need no credentials.\n\n\
                     The API description declares no security scheme, so the client sends \
                     nothing unless this is set: set it for an API that wants a token anyway.",
                ),
                origin: String::new(),
                declared: false,
            });
        }
        let token_argument = declared.len() == 1
            && schemes.len() == 1
            && schemes[0].credential == Credential::Bearer;
        let mut table = Schemes {
            auth: None,
            by_key,
            undeclared,
        };
        let default = if undeclared {
            fallback()
        } else {
            let (written, pointer) = match &self.config.security {
                Some(security) => (security.clone(), "#/security".to_owned()),
                None => (
                    self.api.security.clone().unwrap_or_default(),
                    "#/security".to_owned(),
                ),
            };
            self.requirements(&table, &written, &pointer)
        };
        let mut auth = ir::Auth {
            schemes,
            token_argument,
            default,
            docs: Docs::default(),
        };
        if !undeclared && !auth.default.is_empty() {
            let text = security_docs(&auth, &auth.default).replacen(
                "Authenticates with",
                "Unless a method's docs say otherwise, calls authenticate with",
                1,
            );
            auth.docs = Docs::from_text(&text);
        }
        table.auth = Some(auth);
        table
    }

    /// What a scheme puts on a request, and its setter's docs; `None`, and
    /// a report, for a scheme the client cannot send.
    fn credential(
        &mut self,
        key: &str,
        scheme: &SecurityScheme,
        pointer: &str,
    ) -> Option<(Credential, Docs)> {
        let (credential, summary, description) = match scheme {
            SecurityScheme::APIKey {
                location,
                name,
                description,
                ..
            } => {
                let (location, place) = match location {
                    openapiv3::APIKeyLocation::Header => (KeyLocation::Header, "header"),
                    openapiv3::APIKeyLocation::Query => (KeyLocation::Query, "query parameter"),
                    openapiv3::APIKeyLocation::Cookie => (KeyLocation::Cookie, "cookie"),
                };
                let credential = Credential::ApiKey {
                    location,
                    name: name.clone(),
                };
                let name = name.replace('`', "");
                let summary = format!("The API key `{key}`, sent as the `{name}` {place}.");
                (credential, summary, description)
            }
            SecurityScheme::HTTP {
                scheme: http,
                bearer_format,
                description,
                ..
            } if http.eq_ignore_ascii_case("bearer") => {
                let mut summary =
                    format!("The bearer token `{key}`, sent as `Authorization: Bearer <token>`.");
                if let Some(format) = bearer_format.as_deref().filter(|f| !f.trim().is_empty()) {
                    summary.push_str(&format!(" Its format: `{}`.", format.replace('`', "")));
                }
                (Credential::Bearer, summary, description)
            }
            SecurityScheme::HTTP {
                scheme: http,
                description,
                ..
            } if http.eq_ignore_ascii_case("basic") => (
                Credential::Basic,
                format!(
                    "HTTP basic authentication (`{key}`): `username` and `password`, sent as \
                     `Authorization: Basic <base64 of username:password>`. An empty password \
                     sends `username:`."
                ),
                description,
            ),
            SecurityScheme::HTTP { scheme: http, .. } => {
                self.skip(
                    pointer,
                    format!(
                        "the client cannot send `http` `{}` credentials (only `bearer` and `basic`), so a requirement naming this scheme is one it cannot meet; a `Hook` can add them",
                        http.replace('`', "")
                    ),
                );
                return None;
            }
            SecurityScheme::OAuth2 {
                flows, description, ..
            } => (
                Credential::Bearer,
                format!(
                    "An OAuth 2.0 access token (`{key}`), sent as `Authorization: Bearer <token>`. \
                     The client does not run the flow: get the token first, then give it here.\n\n{}",
                    oauth_flows(flows)
                ),
                description,
            ),
            SecurityScheme::OpenIDConnect {
                open_id_connect_url,
                description,
                ..
            } => (
                Credential::Bearer,
                format!(
                    "An OpenID Connect access token (`{key}`), sent as `Authorization: Bearer \
                     <token>`. The provider is described at {}.",
                    url_text(open_id_connect_url)
                ),
                description,
            ),
        };
        let mut docs = Docs::from_text(&summary);
        if let Some(description) = description.as_deref().filter(|d| !d.trim().is_empty()) {
            docs.push_paragraph(&spec_docs(description).0.join("\n"));
        }
        Some((credential, docs))
    }

    /// An operation's requirements: its own `security`, or the document's.
    /// Its docs say which credentials it sends when those differ from the
    /// document's.
    pub(super) fn operation_security(
        &mut self,
        written: Option<&[SecurityRequirement]>,
        params: &[ir::Param],
        pointer: &str,
        docs: &mut Docs,
    ) -> Vec<Requirement> {
        let table = std::mem::take(&mut self.schemes);
        let auth = table.auth.as_ref().expect("schemes are lowered first");
        let security = match written {
            None => auth.default.clone(),
            Some([]) => Vec::new(),
            Some(_) if table.undeclared => {
                // Nothing is declared, so nothing written here can be met:
                // the optional token stands in, and the report says why.
                let pointer = child(pointer, "security");
                self.skip(
                    &pointer,
                    "this operation's security names schemes the document does not declare; it sends the client's bearer token when one is given",
                );
                fallback()
            }
            Some(written) => self.requirements(&table, written, &child(pointer, "security")),
        };
        self.schemes = table;
        let (security, met) = self.met_by_parameters(security, params, pointer);
        let table = std::mem::take(&mut self.schemes);
        let auth = table.auth.as_ref().expect("schemes are lowered first");
        let only_parameters = !met.is_empty() && security.iter().all(|r| r.schemes.is_empty());
        if security != auth.default && !only_parameters {
            docs.push_paragraph(&security_docs(auth, &security));
        }
        for (key, name, place) in met {
            docs.push_paragraph(&format!(
                "The `{name}` {place} parameter is also the `{key}` API key: it is sent as the parameter, and the client's key is not sent with this call."
            ));
        }
        self.schemes = table;
        security
    }

    /// `security` with the API keys that one of the operation's own
    /// parameters is (the same name in the same place: SoundCloud's
    /// `/connect` has `client_id` both as its `ClientId` key and as a query
    /// parameter) taken as met by that parameter, which the caller gives
    /// with the call: otherwise the name would be sent twice, and a server
    /// reads two values where it wants one.
    fn met_by_parameters(
        &mut self,
        security: Vec<Requirement>,
        params: &[ir::Param],
        pointer: &str,
    ) -> (Vec<Requirement>, Vec<(String, String, &'static str)>) {
        let auth = self
            .schemes
            .auth
            .as_ref()
            .expect("schemes are lowered first");
        let mut met: Vec<(String, String, &'static str)> = Vec::new();
        let is_parameter = |scheme: &ir::Scheme| {
            let Credential::ApiKey { location, name } = &scheme.credential else {
                return None;
            };
            let (place, in_name) = match location {
                KeyLocation::Header => (ir::ParamLocation::Header, "header"),
                KeyLocation::Query => (ir::ParamLocation::Query, "query"),
                KeyLocation::Cookie => (ir::ParamLocation::Cookie, "cookie"),
            };
            params
                .iter()
                .any(|p| {
                    p.location == place
                        && match place {
                            ir::ParamLocation::Header => p.wire_name.eq_ignore_ascii_case(name),
                            _ => p.wire_name == *name,
                        }
                })
                .then(|| (scheme.key.clone(), name.clone(), in_name))
        };
        let mut out: Vec<Requirement> = Vec::new();
        for requirement in security {
            let schemes = requirement
                .schemes
                .into_iter()
                .filter(|variant| {
                    let Some(found) = auth.scheme(variant).and_then(is_parameter) else {
                        return true;
                    };
                    if !met.contains(&found) {
                        met.push(found);
                    }
                    false
                })
                .collect();
            let requirement = Requirement { schemes };
            if !out.contains(&requirement) {
                out.push(requirement);
            }
        }
        out.sort_by_key(|requirement| requirement.schemes.is_empty());
        for (key, name, place) in &met {
            self.skip(
                &child(pointer, "parameters"),
                format!(
                    "the {place} parameter `{name}` is also the `{key}` API key: the parameter, given with the call, is sent in its place, not both"
                ),
            );
        }
        (out, met)
    }

    /// Requirement objects as the schemes they send; one that names a
    /// scheme the client cannot send is left out, and one that names no
    /// declared scheme is reported.
    fn requirements(
        &mut self,
        table: &Schemes,
        written: &[SecurityRequirement],
        pointer: &str,
    ) -> Vec<Requirement> {
        let mut out: Vec<Requirement> = Vec::new();
        'requirements: for (i, requirement) in written.iter().enumerate() {
            let mut schemes = Vec::new();
            for key in requirement.keys() {
                match table.by_key.get(key) {
                    Some(Meets::Credential(variant)) => schemes.push(variant.clone()),
                    Some(Meets::Connection) => {}
                    Some(Meets::Never) => continue 'requirements,
                    None => {
                        let at = child(&format!("{pointer}/{i}"), key);
                        self.skip(
                            &at,
                            "this security requirement names a scheme that `components/securitySchemes` does not declare, so the client cannot meet it",
                        );
                        continue 'requirements;
                    }
                }
            }
            let requirement = Requirement { schemes };
            if !out.contains(&requirement) {
                out.push(requirement);
            }
        }
        // `{}` is met only when nothing else is, wherever it is written:
        // a credential that was given is sent. Last, it reads so.
        out.sort_by_key(|requirement| requirement.schemes.is_empty());
        out
    }
}

/// The requirements of every operation of a document that declares no
/// scheme: the made-up bearer token when it is given, nothing otherwise.
fn fallback() -> Vec<Requirement> {
    vec![
        Requirement {
            schemes: vec!["BearerToken".into()],
        },
        Requirement {
            schemes: Vec::new(),
        },
    ]
}

/// What an operation sends, for its docs, when it is not what the others
/// send.
fn security_docs(auth: &ir::Auth, security: &[Requirement]) -> String {
    if security.is_empty() {
        return "Sends no credentials: the API description says this call needs none.".into();
    }
    let name = |variant: &String| match auth.scheme(variant) {
        Some(scheme) if auth.token_argument => {
            format!("the client's token (`{}`)", scheme.key.replace('`', ""))
        }
        Some(scheme) => format!(
            "[`{}`](crate::ClientBuilder::{})",
            scheme.key.replace('`', ""),
            naming::unraw(&scheme.setter)
        ),
        None => format!("`{variant}`"),
    };
    let alternatives: Vec<String> = security
        .iter()
        .map(|requirement| match &requirement.schemes[..] {
            [] => "nothing: authentication is optional".to_owned(),
            [one] => name(one),
            many => {
                let names: Vec<String> = many.iter().map(name).collect();
                format!("{} together", names.join(" and "))
            }
        })
        .collect();
    match &alternatives[..] {
        [one] => format!("Authenticates with {one}."),
        many => {
            let mut text =
                "Authenticates with the first of these the client was given:\n".to_owned();
            for alternative in many {
                text.push_str(&format!("- {alternative}\n"));
            }
            text
        }
    }
}

/// An OAuth scheme's flows, with their URLs and scopes, as Markdown.
fn oauth_flows(flows: &openapiv3::OAuth2Flows) -> String {
    // Each flow: its name, its URLs (what each is for) and its scopes.
    type Urls<'f> = Vec<(&'static str, Option<&'f String>)>;
    let mut each: Vec<(&str, Urls<'_>, &indexmap::IndexMap<String, String>)> = Vec::new();
    if let Some(f) = &flows.authorization_code {
        let urls = vec![
            ("authorize at", Some(&f.authorization_url)),
            ("token from", Some(&f.token_url)),
            ("refresh at", f.refresh_url.as_ref()),
        ];
        each.push(("authorization code", urls, &f.scopes));
    }
    if let Some(f) = &flows.client_credentials {
        let urls = vec![
            ("token from", Some(&f.token_url)),
            ("refresh at", f.refresh_url.as_ref()),
        ];
        each.push(("client credentials", urls, &f.scopes));
    }
    if let Some(f) = &flows.implicit {
        let urls = vec![
            ("authorize at", Some(&f.authorization_url)),
            ("refresh at", f.refresh_url.as_ref()),
        ];
        each.push(("implicit", urls, &f.scopes));
    }
    if let Some(f) = &flows.password {
        let urls = vec![
            ("token from", Some(&f.token_url)),
            ("refresh at", f.refresh_url.as_ref()),
        ];
        each.push(("password", urls, &f.scopes));
    }
    let mut out = String::new();
    let mut scopes: BTreeMap<&str, &str> = BTreeMap::new();
    for (name, urls, flow_scopes) in each {
        if out.is_empty() {
            out.push_str("Its flows:\n");
        }
        let urls: Vec<String> = urls
            .iter()
            .filter_map(|(what, url)| Some(format!("{what} {}", url_text(url.as_ref()?))))
            .collect();
        out.push_str(&format!("- {name}: {}.\n", urls.join(", ")));
        scopes.extend(flow_scopes.iter().map(|(s, d)| (s.as_str(), d.as_str())));
    }
    if !scopes.is_empty() {
        out.push_str("\nIts scopes:\n");
        for (scope, description) in scopes {
            let scope = scope.replace('`', "");
            let description = crate::markdown::rustdoc(description.trim());
            let description = description.lines().collect::<Vec<_>>().join(" ");
            if description.is_empty() {
                out.push_str(&format!("- `{scope}`\n"));
            } else {
                out.push_str(&format!("- `{scope}`: {description}\n"));
            }
        }
    }
    out
}

/// A URL as rustdoc shows it: a link when it is one, code otherwise
/// (rustdoc warns of a bare URL).
fn url_text(url: &str) -> String {
    let link = (url.starts_with("https://") || url.starts_with("http://"))
        && !url.contains(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '`'));
    if link {
        format!("<{url}>")
    } else {
        format!("`{}`", url.replace('`', ""))
    }
}

#[cfg(test)]
mod tests {
    use crate::ir::Requirement;

    fn requirement(schemes: &[&str]) -> Requirement {
        Requirement {
            schemes: schemes.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    #[test]
    fn a_mutual_tls_requirement_is_met_by_the_connection_and_reported() {
        let text = r#"
openapi: 3.1.0
info: {title: T, version: '1'}
security:
  - {mtls: [], key: []}
paths:
  /a:
    get:
      operationId: get_a
      responses: {'204': {description: Done.}}
  /b:
    get:
      operationId: get_b
      security:
        - mtls: []
      responses: {'204': {description: Done.}}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key}
    mtls: {type: mutualTLS}
"#;
        let api = crate::lower_text("t.yaml", text).unwrap();
        let [a, b] = &api.operations[..] else {
            panic!("{:?}", api.operations)
        };
        // The key still goes with the connection's certificate; a call that
        // asks for the certificate alone sends nothing.
        assert_eq!(a.security, [requirement(&["Key"])]);
        assert_eq!(b.security, [requirement(&[])]);
        let schemes: Vec<&str> = api
            .client
            .auth
            .schemes
            .iter()
            .map(|s| s.key.as_str())
            .collect();
        assert_eq!(schemes, ["key"]);
        assert!(
            api.skipped
                .iter()
                .any(|s| s.pointer == "#/components/securitySchemes/mtls"
                    && s.message.contains("ClientBuilder::http_client")),
            "{:?}",
            api.skipped
        );
    }

    #[test]
    fn an_api_key_that_is_also_a_parameter_of_the_operation_is_sent_once() {
        // SoundCloud's `/connect`: `client_id` is its `ClientId` key and a
        // query parameter; `X-Token` a header key and, in another case, a
        // header parameter.
        let text = r#"
openapi: 3.0.3
info: {title: T, version: '1'}
security:
  - {auth: [], client: []}
paths:
  /connect:
    get:
      operationId: connect
      parameters:
        - {name: client_id, in: query, required: true, schema: {type: string}}
        - {name: x-token, in: header, schema: {type: string}}
      responses: {'204': {description: Done.}}
  /other:
    get:
      operationId: other
      parameters:
        - {name: client, in: query, schema: {type: string}}
      responses: {'204': {description: Done.}}
components:
  securitySchemes:
    auth: {type: apiKey, in: header, name: X-Token}
    client: {type: apiKey, in: query, name: client_id}
"#;
        let api = crate::lower_text("t.yaml", text).unwrap();
        let [connect, other] = &api.operations[..] else {
            panic!("{:?}", api.operations)
        };
        assert_eq!(
            connect.security,
            [requirement(&[])],
            "both keys are its parameters"
        );
        assert_eq!(other.security, [requirement(&["Auth", "Client"])]);
        let said: Vec<&str> = api
            .skipped
            .iter()
            .filter(|s| s.pointer == "#/paths/~1connect/get/parameters")
            .map(|s| s.message.as_str())
            .collect();
        assert_eq!(said.len(), 2, "{said:?}");
        assert!(
            said.iter()
                .any(|m| m.contains("query parameter `client_id`") && m.contains("`client`")),
            "{said:?}"
        );
    }

    #[test]
    fn a_document_without_schemes_sends_an_optional_token_and_security_empty_none() {
        let text = r#"
openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /a:
    get:
      operationId: get_a
      responses: {'204': {description: Done.}}
  /b:
    get:
      operationId: get_b
      security: []
      responses: {'204': {description: Done.}}
"#;
        let api = crate::lower_text("t.yaml", text).unwrap();
        assert_eq!(
            api.operations[0].security,
            [requirement(&["BearerToken"]), requirement(&[])]
        );
        assert!(api.operations[1].security.is_empty());
        assert!(!api.client.auth.token_argument);
        assert!(!api.client.auth.schemes[0].declared);
    }
}
