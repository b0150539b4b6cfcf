//! The generated crate's `Cargo.toml`.

use super::Uses;
use crate::ir;
use std::fmt::Write;

/// The manifest text: the package, and only the dependencies the code uses.
/// `header` is a comment block put first.
pub fn manifest(api: &ir::Api, config: &crate::Config, header: &str) -> String {
    let (crate_name, version) = (config.crate_name.as_str(), config.crate_version.as_str());
    let uses = Uses::of(api);
    let mut text = String::new();
    for line in header.lines() {
        let _ = writeln!(text, "# {line}");
    }
    let description = format!(
        "A typed async client for the {} {}.",
        api.title, api.version
    );
    let _ = write!(
        text,
        "[package]\n\
         name = {}\n\
         version = {}\n\
         edition = \"2021\"\n\
         rust-version = {}\n\
         description = {}\n\
         publish = false\n\
         \n\
         # The generator that made this crate, and from what.\n\
         [package.metadata.openapi-codegen]\n\
         version = {}\n\
         spec = {}\n\
         \n\
         [dependencies]\n",
        toml_string(crate_name),
        toml_string(version),
        // tokio-tungstenite 0.30 needs 1.85.
        toml_string(if uses.sessions { "1.85" } else { "1.80" }),
        toml_string(&description),
        toml_string(crate::build::VERSION),
        toml_string(&config.spec_label),
    );
    if uses.bytes_fields.any() {
        text.push_str("base64 = \"0.23\"\n");
    }
    let streams = uses.pagination || uses.bytes_success;
    if uses.bytes_success {
        text.push_str("bytes = { version = \"1\", optional = true }\n");
    }
    if uses.chrono {
        text.push_str("chrono = { version = \"0.4.31\", default-features = false, features = [\"serde\", \"std\"] }\n");
    }
    if streams {
        text.push_str("futures-core = { version = \"0.3\", optional = true }\n");
    }
    if streams || uses.sessions {
        text.push_str(
            "futures-util = { version = \"0.3\", default-features = false, optional = true }\n",
        );
    }
    text.push_str("httpdate = { version = \"1.0.3\", optional = true }\n");
    if uses.path_params || uses.cookies {
        text.push_str("percent-encoding = { version = \"2.3\", optional = true }\n");
    }
    let reqwest_features = ["json"]
        .into_iter()
        .chain(uses.form.then_some("form"))
        .chain(uses.multipart.then_some("multipart"))
        .chain(uses.query.then_some("query"))
        .chain(uses.streamed_body.then_some("stream"))
        .chain(["rustls"])
        .map(|f| format!("\"{f}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let _ = writeln!(
        text,
        "reqwest = {{ version = \"0.13\", default-features = false, features = [{reqwest_features}], optional = true }}"
    );
    if uses.decimal {
        text.push_str("rust_decimal = { version = \"1.36\", default-features = false, features = [\"serde\", \"std\"] }\n");
    }
    text.push_str("serde = { version = \"1.0.200\", features = [\"derive\"] }\n");
    text.push_str("serde_json = \"1.0.100\"\n");
    text.push_str("thiserror = { version = \"2\", optional = true }\n");
    text.push_str("tokio = { version = \"1.38\", default-features = false, features = [\"time\"], optional = true }\n");
    if uses.sessions {
        // The WebSocket protocol over the connection reqwest upgrades: no
        // TLS or TCP of its own (reqwest's are used), only the handshake's
        // key and its proof.
        text.push_str("tokio-tungstenite = { version = \"0.30\", default-features = false, features = [\"handshake\"], optional = true }\n");
    }
    text.push_str("tracing = { version = \"0.1.40\", default-features = false, features = [\"std\"], optional = true }\n");
    if uses.uuid {
        text.push_str("uuid = { version = \"1.8\", default-features = false, features = [\"serde\", \"std\"] }\n");
    }
    // The client and all of HTTP are a feature: without it, the types and
    // their serde alone.
    let client_deps = ["reqwest", "thiserror", "httpdate", "tokio"]
        .into_iter()
        .chain(uses.bytes_success.then_some("bytes"))
        .chain(streams.then_some("futures-core"))
        .chain(streams.then_some("futures-util"))
        .chain((uses.path_params || uses.cookies).then_some("percent-encoding"))
        .map(|d| format!("\"dep:{d}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let _ = write!(
        text,
        "\n[features]\n\
         default = [\"client\"]\n\
         # The `Client` and its error type, and with them reqwest.\n\
         client = [{client_deps}]\n\
         # One `tracing` span per call: the operation, the method, the path\n\
         # template, the status, the attempts and the duration.\n\
         tracing = [\"client\", \"dep:tracing\"]\n"
    );
    if uses.sessions {
        text.push_str(
            "# The WebSocket operations' sessions (`session::Session`), and with\n\
             # them tokio-tungstenite.\n\
             websocket = [\"client\", \"dep:futures-util\", \"futures-util/alloc\", \"futures-util/sink\", \"dep:tokio-tungstenite\"]\n",
        );
    }
    if config.call_tests {
        // The call tests call through the client, on a runtime of their own.
        text.push_str(
            "\n[dev-dependencies]\n\
             tokio = { version = \"1.38\", default-features = false, features = [\"rt\"] }\n\
             \n\
             [[test]]\n\
             name = \"calls\"\n\
             path = \"tests/calls.rs\"\n\
             required-features = [\"client\"]\n",
        );
    }
    text
}

/// A TOML basic string.
fn toml_string(value: &str) -> String {
    let mut out = String::from("\"");
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
