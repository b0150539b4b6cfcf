//! How requests authenticate: the credentials a client can be given (one per
//! security scheme the document declares) and which of them each operation
//! sends.

use super::Docs;

/// The client's credentials: one per scheme it can send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Auth {
    /// Every scheme the client can send, in the document's order (its keys
    /// sorted), the settings' among them. A document that declares none has
    /// one made up: an optional bearer token (see [`Scheme::declared`]).
    pub schemes: Vec<Scheme>,
    /// Whether the client's constructors take the token of the one scheme
    /// as an argument (`Client::new(token)`): the document declares exactly
    /// one scheme, and it is a bearer token. Otherwise every credential is
    /// a setter of the builder.
    pub token_argument: bool,
    /// The requirements of an operation that states none of its own: the
    /// document's `security` (or the settings').
    pub default: Vec<Requirement>,
    /// How calls authenticate unless their docs say otherwise, for the
    /// client's rustdoc; empty when they send nothing.
    pub docs: Docs,
}

/// One security scheme the client can send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scheme {
    /// Its key in `components/securitySchemes` (`api_key`, `Basic`).
    pub key: String,
    /// The builder's setter, and the credentials' field (`api_key`).
    pub setter: String,
    /// Its variant of the crate's `auth::Scheme` (`ApiKey`).
    pub variant: String,
    /// What it puts on a request.
    pub credential: Credential,
    /// The setter's rustdoc: where the value goes, the scheme's own
    /// description, an OAuth flow's URLs and scopes.
    pub docs: Docs,
    /// The JSON pointer of the scheme; empty for the made-up bearer token.
    pub origin: String,
    /// Whether the document (or the settings) declares it; the optional
    /// bearer token of a document that declares no scheme is not.
    pub declared: bool,
}

/// What a scheme puts on a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    /// `Authorization: Bearer <token>`: `http` `bearer`, `oauth2` and
    /// `openIdConnect` (an access token).
    Bearer,
    /// `Authorization: Basic <base64 of user:password>`.
    Basic,
    /// An API key in a header, a query parameter or a cookie of this name.
    ApiKey {
        /// Where it goes.
        location: KeyLocation,
        /// The header, parameter or cookie name (`X-API-Key`).
        name: String,
    },
}

/// Where an API key goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyLocation {
    /// A request header.
    Header,
    /// A query parameter.
    Query,
    /// A cookie, in the one `Cookie` header with the cookie parameters.
    Cookie,
}

/// One security requirement object: the schemes sent together, by
/// [`Scheme::variant`]. Empty: authentication is optional (`{}`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    /// The schemes, by variant, in the document's order.
    pub schemes: Vec<String>,
}

impl Auth {
    /// The scheme of a variant.
    pub fn scheme(&self, variant: &str) -> Option<&Scheme> {
        self.schemes.iter().find(|s| s.variant == variant)
    }

    /// Whether any scheme is of this kind.
    pub fn any(&self, kind: impl Fn(&Credential) -> bool) -> bool {
        self.schemes.iter().any(|s| kind(&s.credential))
    }
}
