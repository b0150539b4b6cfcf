//! Authentication in the generated crate: its `auth` module (the
//! credentials a client holds, and how a request's security requirements
//! choose among them), the builder's setter for each scheme, and each
//! request's `SECURITY`.

use super::{docs, ident};
use crate::ir::{self, Credential, KeyLocation};
use proc_macro2::TokenStream;
use quote::quote;

/// The crate's `src/auth.rs`.
pub(super) fn auth_rs(api: &ir::Api, uses: &super::Uses) -> TokenStream {
    let auth = &api.client.auth;
    // With no operation, nothing sends a request.
    let unused = (!uses.operations).then(|| quote! { #![allow(dead_code)] });
    let named: std::collections::BTreeSet<&str> = api
        .operations
        .iter()
        .flat_map(|op| &op.security)
        .flat_map(|r| &r.schemes)
        .map(String::as_str)
        .collect();
    // A scheme no operation names is one the client can be given and
    // never sends; its variant is never made.
    let never_named = (uses.operations
        && auth
            .schemes
            .iter()
            .any(|s| !named.contains(s.variant.as_str())))
    .then(|| quote! { #[allow(dead_code)] });
    let variants = auth.schemes.iter().map(|s| {
        let variant = ident(&s.variant);
        let doc = format!(" `{}`.", s.key.replace('`', ""));
        quote! {
            #[doc = #doc]
            #variant,
        }
    });
    let fields = auth.schemes.iter().map(|s| {
        let field = ident(&s.setter);
        let doc = format!(
            " The credential of `{}`, when given.",
            s.key.replace('`', "")
        );
        let ty = match s.credential {
            Credential::Basic => quote! { (Secret, Secret) },
            _ => quote! { Secret },
        };
        quote! {
            #[doc = #doc]
            pub(crate) #field: ::std::option::Option<#ty>,
        }
    });
    let given = auth.schemes.iter().map(|s| {
        let variant = ident(&s.variant);
        let field = ident(&s.setter);
        quote! { Scheme::#variant => self.#field.is_some(), }
    });
    let applied = auth.schemes.iter().map(apply_arm);
    let header = auth
        .any(|c| {
            matches!(
                c,
                Credential::ApiKey {
                    location: KeyLocation::Header | KeyLocation::Cookie,
                    ..
                }
            )
        })
        .then(|| {
            quote! {
                /// Adds a header that carries a credential, marked sensitive so
                /// that `Debug` does not show it. A value that cannot be a header
                /// is refused when the request is built, without being shown.
                fn header(request: ::reqwest::RequestBuilder, name: &'static str, value: &str) -> ::reqwest::RequestBuilder {
                    match ::reqwest::header::HeaderValue::from_str(value) {
                        ::std::result::Result::Ok(mut value) => {
                            value.set_sensitive(true);
                            request.header(name, value)
                        }
                        ::std::result::Result::Err(_) => request.header(name, value),
                    }
                }
            }
        });
    let query_names: Vec<&str> = auth
        .schemes
        .iter()
        .filter_map(|s| match &s.credential {
            Credential::ApiKey {
                location: KeyLocation::Query,
                name,
            } => Some(name.as_str()),
            _ => None,
        })
        .collect();
    quote! {
        //! How the client authenticates: the credentials it was given (one per
        //! security scheme of the API description, set on the
        //! [`ClientBuilder`](crate::ClientBuilder)), and which of them each
        //! request sends.
        #unused

        /// A credential's text, which `Debug` never shows.
        #[derive(Clone)]
        pub(crate) struct Secret(::std::string::String);

        impl Secret {
            pub(crate) fn new(value: impl ::std::convert::Into<::std::string::String>) -> Self {
                Self(value.into())
            }

            /// The text, to put on a request.
            fn expose(&self) -> &str {
                &self.0
            }
        }

        impl ::std::fmt::Debug for Secret {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str("<redacted>")
            }
        }

        /// The API description's security schemes, by key.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #never_named
        // The variants are the document's keys, which often share an end
        // (`basicAuth`, `tokenAuth`).
        #[allow(clippy::enum_variant_names)]
        pub(crate) enum Scheme {
            #( #variants )*
        }

        /// The query parameters that carry credentials: their values are
        /// taken out of the URL an error keeps.
        pub(crate) const QUERY_NAMES: &[&str] = &[#( #query_names ),*];

        /// The credentials a client was given, one per scheme.
        #[derive(Debug, Clone, Default)]
        pub(crate) struct Credentials {
            #( #fields )*
        }

        impl Credentials {
            /// Whether the credential of `scheme` was given.
            fn has(&self, scheme: Scheme) -> bool {
                match scheme {
                    #( #given )*
                }
            }

            /// Puts on `request` the credentials of the first of `security`
            /// whose every scheme was given, and no other. An empty
            /// requirement (authentication is optional) is taken only when no
            /// other is met, so a credential that was given is sent. When none
            /// is met, the request goes without credentials, for the server to
            /// answer.
            pub(crate) fn authorize(&self, request: ::reqwest::RequestBuilder, security: &[&[Scheme]]) -> ::reqwest::RequestBuilder {
                let met = security
                    .iter()
                    .find(|schemes| !schemes.is_empty() && schemes.iter().all(|scheme| self.has(*scheme)));
                let ::std::option::Option::Some(schemes) = met else {
                    return request;
                };
                schemes.iter().fold(request, |request, scheme| self.apply(request, *scheme))
            }

            /// Puts the credential of `scheme` on `request`.
            fn apply(&self, request: ::reqwest::RequestBuilder, scheme: Scheme) -> ::reqwest::RequestBuilder {
                match scheme {
                    #( #applied )*
                }
            }
        }

        #header
    }
}

/// How one scheme's credential goes on a request.
fn apply_arm(s: &ir::Scheme) -> TokenStream {
    let variant = ident(&s.variant);
    let field = ident(&s.setter);
    let put = match &s.credential {
        Credential::Bearer => quote! { request.bearer_auth(value.expose()) },
        Credential::Basic => quote! {
            request.basic_auth(value.0.expose(), ::std::option::Option::Some(value.1.expose()))
        },
        Credential::ApiKey {
            location: KeyLocation::Header,
            name,
        } => quote! { header(request, #name, value.expose()) },
        Credential::ApiKey {
            location: KeyLocation::Query,
            name,
        } => quote! { request.query(&[(#name, value.expose())]) },
        // Joined with the cookie parameters into one `Cookie` header when
        // the request is sent (`transport`).
        Credential::ApiKey {
            location: KeyLocation::Cookie,
            name,
        } => {
            let format = format!("{}={{}}", name.replace('{', "{{").replace('}', "}}"));
            quote! {
                header(request, "cookie", &::std::format!(#format, crate::support::encode_cookie(value.expose())))
            }
        }
    };
    quote! {
        Scheme::#variant => match &self.#field {
            ::std::option::Option::Some(value) => #put,
            ::std::option::Option::None => request,
        },
    }
}

/// The builder's setter of each scheme the constructors do not take.
pub(super) fn setters(auth: &ir::Auth) -> TokenStream {
    if auth.token_argument {
        return TokenStream::new();
    }
    let setters = auth.schemes.iter().map(|s| {
        let doc = docs(&s.docs);
        let setter = ident(&s.setter);
        let field = ident(&s.setter);
        match s.credential {
            Credential::Basic => quote! {
                #doc
                pub fn #setter(
                    mut self,
                    username: impl ::std::convert::Into<::std::string::String>,
                    password: impl ::std::convert::Into<::std::string::String>,
                ) -> Self {
                    self.credentials.#field = ::std::option::Option::Some((
                        crate::auth::Secret::new(username),
                        crate::auth::Secret::new(password),
                    ));
                    self
                }
            },
            Credential::Bearer => quote! {
                #doc
                pub fn #setter(mut self, token: impl ::std::convert::Into<::std::string::String>) -> Self {
                    self.credentials.#field = ::std::option::Option::Some(crate::auth::Secret::new(token));
                    self
                }
            },
            Credential::ApiKey { .. } => quote! {
                #doc
                pub fn #setter(mut self, key: impl ::std::convert::Into<::std::string::String>) -> Self {
                    self.credentials.#field = ::std::option::Option::Some(crate::auth::Secret::new(key));
                    self
                }
            },
        }
    });
    quote! { #( #setters )* }
}

/// A request's `security:` argument of `impl_request!`: its requirements,
/// each the schemes it sends.
pub(super) fn security(op: &ir::Operation) -> TokenStream {
    let requirements = op.security.iter().map(|r| {
        let schemes = r.schemes.iter().map(|v| {
            let v = ident(v);
            quote! { crate::auth::Scheme::#v }
        });
        quote! { &[#( #schemes ),*] }
    });
    quote! { &[#( #requirements ),*] }
}
