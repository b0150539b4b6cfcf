//! Phase 4: tokens → source text.
//!
//! The tokens are parsed with `syn` first: that is the gate that keeps
//! invalid Rust from ever being written. `prettyplease` is the formatter of
//! record; each generated file carries `#![cfg_attr(rustfmt, rustfmt::skip)]`
//! so that `cargo fmt` leaves it alone and the bytes stay the generator's.

use proc_macro2::TokenStream;

/// Parses and pretty-prints one file, `header` (lines, without `//`) first.
pub fn format_file(tokens: TokenStream, header: &str) -> Result<String, syn::Error> {
    let file: syn::File = syn::parse2(tokens)?;
    let mut text = String::new();
    for line in header.lines() {
        text.push_str("// ");
        text.push_str(line);
        text.push('\n');
    }
    text.push_str(&space_items(&prettyplease::unparse(&file)));
    Ok(text)
}

/// prettyplease puts items right under each other; a blank line between
/// two items at the same depth (after a closing brace or a semicolon, before
/// docs, attributes or a new item) makes the file read like hand-written Rust.
fn space_items(text: &str) -> String {
    const ITEM_STARTS: &[&str] = &[
        "///", "#[", "pub ", "pub(", "impl", "fn ", "async fn", "enum ", "struct ", "const ",
        "type ", "mod ", "use ",
    ];
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut previous: Option<&str> = None;
    for line in text.lines() {
        if let Some(prev) = previous {
            let indent = |l: &str| l.len() - l.trim_start().len();
            let (p, l) = (prev.trim_start(), line.trim_start());
            let ends_item = (p == "}" || p == "};" || p.ends_with(';')) && !p.starts_with("//");
            let same_kind = (p.starts_with("mod ") && l.starts_with("mod "))
                || (p.starts_with("pub mod ") && l.starts_with("pub mod "))
                || (p.starts_with("use ") && l.starts_with("use "))
                || (p.starts_with("pub use ") && l.starts_with("pub use "));
            if ends_item
                && !same_kind
                && indent(prev) == indent(line)
                && ITEM_STARTS.iter().any(|s| l.starts_with(s))
            {
                out.push('\n');
            }
        }
        out.push_str(line);
        out.push('\n');
        previous = Some(line);
    }
    out
}
