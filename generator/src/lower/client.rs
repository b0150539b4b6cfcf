//! The client: its default base URL and how it authenticates.

use super::Lowerer;
use crate::ir;

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
        let auth = std::mem::take(&mut self.schemes)
            .auth
            .expect("the schemes are lowered before the client");
        ir::Client {
            default_base_url,
            auth,
        }
    }
}
