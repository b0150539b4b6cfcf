//! Clean by construction: every public item the generator writes carries a
//! doc comment, whatever the document lacks. Each corpus document and each
//! fixture spec is generated with every `description`, `summary` and
//! `title` emptied, and every public item of every file (types, fields,
//! variants, functions, modules, constants, traits, macros) must still have
//! a doc comment that says something: `#![warn(missing_docs)]` and
//! clippy's `empty_docs` would fail the crate otherwise.
//!
//! This reads the generated code rather than compiling it: rustc's
//! `missing_docs` asks for a doc on exactly these items, and reading 40
//! documents' crates takes seconds where compiling them takes most of an
//! hour. `cargo xtask corpus --undocumented` compiles them: clippy and
//! rustdoc with warnings denied on every stripped corpus document.

use openapi_codegen::settings::Settings;
use openapi_codegen::{Config, generate};
use std::path::{Path, PathBuf};

/// Every corpus document and fixture spec, with its settings file if any.
fn documents() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut out = Vec::new();
    for dir in [
        "corpus/apis",
        "corpus/openapi-3.1",
        "corpus/progenitor",
        "corpus/zoo",
        "tests/fixtures/specs",
        "spec",
    ] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let ext = path.extension().and_then(|e| e.to_str());
            if matches!(ext, Some("yaml" | "yml" | "json")) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The stripping `cargo xtask corpus --undocumented` does, shared.
#[path = "../../xtask/src/corpus/undocumented/strip.rs"]
mod undocumented;

/// Whether an item's attributes hold a doc that says something.
fn documented(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("doc")
            && match &a.meta {
                syn::Meta::NameValue(nv) => match &nv.value {
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(s),
                        ..
                    }) => !s.value().trim().is_empty(),
                    _ => true,
                },
                _ => false,
            }
    })
}

fn is_pub(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

/// The public items of `items` without docs, by path, into `missing`.
fn walk(items: &[syn::Item], at: &str, missing: &mut Vec<String>) {
    let mut nested = Vec::new();
    let mut need = |attrs: &[syn::Attribute], what: String| {
        if !documented(attrs) {
            missing.push(what);
        }
    };
    for item in items {
        match item {
            syn::Item::Struct(s) if is_pub(&s.vis) => {
                let name = format!("{at}::{}", s.ident);
                need(&s.attrs, name.clone());
                for (i, f) in s.fields.iter().enumerate() {
                    if is_pub(&f.vis) {
                        let field = f.ident.as_ref().map_or(i.to_string(), |i| i.to_string());
                        need(&f.attrs, format!("{name}.{field}"));
                    }
                }
            }
            syn::Item::Enum(e) if is_pub(&e.vis) => {
                let name = format!("{at}::{}", e.ident);
                need(&e.attrs, name.clone());
                for v in &e.variants {
                    need(&v.attrs, format!("{name}::{}", v.ident));
                    for (i, f) in v.fields.iter().enumerate() {
                        let field = f.ident.as_ref().map_or(i.to_string(), |i| i.to_string());
                        if f.ident.is_some() {
                            need(&f.attrs, format!("{name}::{}.{field}", v.ident));
                        }
                    }
                }
            }
            syn::Item::Type(t) if is_pub(&t.vis) => need(&t.attrs, format!("{at}::{}", t.ident)),
            syn::Item::Const(c) if is_pub(&c.vis) => need(&c.attrs, format!("{at}::{}", c.ident)),
            syn::Item::Static(s) if is_pub(&s.vis) => need(&s.attrs, format!("{at}::{}", s.ident)),
            syn::Item::Fn(f) if is_pub(&f.vis) => {
                need(&f.attrs, format!("{at}::{}()", f.sig.ident))
            }
            syn::Item::Trait(t) if is_pub(&t.vis) => {
                let name = format!("{at}::{}", t.ident);
                need(&t.attrs, name.clone());
                for item in &t.items {
                    if let syn::TraitItem::Fn(f) = item {
                        need(&f.attrs, format!("{name}::{}()", f.sig.ident));
                    }
                }
            }
            syn::Item::Mod(m) if is_pub(&m.vis) => {
                let name = format!("{at}::{}", m.ident);
                if let Some((_, items)) = &m.content {
                    need(&m.attrs, name.clone());
                    nested.push((items, name));
                }
            }
            // Inherent methods; a trait impl's are the trait's.
            syn::Item::Impl(i) if i.trait_.is_none() => {
                for item in &i.items {
                    match item {
                        syn::ImplItem::Fn(f) if is_pub(&f.vis) => {
                            need(&f.attrs, format!("{at}::impl::{}()", f.sig.ident));
                        }
                        syn::ImplItem::Const(c) if is_pub(&c.vis) => {
                            need(&c.attrs, format!("{at}::impl::{}", c.ident));
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    for (items, name) in nested {
        walk(items, &name, missing);
    }
}

#[test]
fn every_public_item_is_documented_whatever_the_document_lacks() {
    let documents = documents();
    assert!(documents.len() > 30, "the corpus is there: {documents:?}");
    let mut faults = Vec::new();
    let mut generated_count = 0;
    for path in &documents {
        let text = std::fs::read_to_string(path).unwrap();
        let label = path.display().to_string();
        let mut value = match openapi_codegen::load::read_value(&label, &text) {
            Ok(value) => value,
            // A fixture that is not a document on purpose (`broken` cases).
            Err(error) => {
                eprintln!("{label}: not read: {error}");
                continue;
            }
        };
        if value.get("openapi").is_none() {
            continue;
        }
        undocumented::strip(&mut value);
        let stripped = serde_json::to_string(&value).unwrap();
        let mut config = Config::new("undocumented");
        let settings = path.with_extension("codegen.toml");
        if let Ok(toml) = std::fs::read_to_string(&settings) {
            config.apply(Settings::from_toml(&settings.display().to_string(), &toml).unwrap());
        }
        config.strict = false;
        let generated = match generate(&config, &stripped) {
            Ok(generated) => generated,
            // A fixture that is meant to fail fails the same without docs.
            Err(error) => {
                eprintln!("{}: not generated: {error}", path.display());
                continue;
            }
        };
        generated_count += 1;
        for (file, code) in &generated.files.0 {
            if !file.ends_with(".rs") || file.starts_with("tests/") {
                continue;
            }
            let parsed = syn::parse_file(code).unwrap();
            let mut missing = Vec::new();
            walk(&parsed.items, file, &mut missing);
            if file == "src/lib.rs" && !documented(&parsed.attrs) {
                missing.push("the crate".to_owned());
            }
            for item in missing {
                faults.push(format!("{}: {item}", path.display()));
            }
        }
    }
    assert!(
        generated_count > 30,
        "only {generated_count} documents generated"
    );
    assert!(
        faults.is_empty(),
        "{} public items without docs:\n{}",
        faults.len(),
        faults
            .iter()
            .take(400)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
