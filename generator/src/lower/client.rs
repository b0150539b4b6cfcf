//! The client: its default base URL and how it authenticates.

use super::Lowerer;
use crate::diagnostics::child;
use crate::ir::{self};
use openapiv3::ReferenceOr;

impl<'a> Lowerer<'a> {
    pub(super) fn lower_client(&mut self) -> ir::Client {
        let default_base_url = self.api.servers.first().and_then(|server| {
            let mut url = server.url.clone();
            for (name, var) in server.variables.iter().flatten() {
                url = url.replace(&format!("{{{name}}}"), &var.default);
            }
            (url.starts_with("http://") || url.starts_with("https://"))
                .then(|| url.trim_end_matches('/').to_owned())
        });
        let mut bearer = false;
        let schemes = self
            .api
            .components
            .iter()
            .flat_map(|c| c.security_schemes.iter());
        for (key, scheme) in schemes {
            use openapiv3::SecurityScheme;
            match scheme {
                ReferenceOr::Item(SecurityScheme::HTTP { scheme, .. })
                    if scheme.eq_ignore_ascii_case("bearer") =>
                {
                    bearer = true
                }
                ReferenceOr::Item(
                    SecurityScheme::OAuth2 { .. } | SecurityScheme::OpenIDConnect { .. },
                ) => bearer = true,
                _ => self.skipped.push(ir::Skipped {
                    subject: None,
                    line_col: None,
                    pointer: child("#/components/securitySchemes", key),
                    message: "the client does not add this kind of credential itself; give `Client::with_http_client` a `reqwest::Client` with default headers".into(),
                }),
            }
        }
        ir::Client {
            default_base_url,
            auth: if bearer {
                ir::Auth::Bearer
            } else {
                ir::Auth::None
            },
        }
    }
}
