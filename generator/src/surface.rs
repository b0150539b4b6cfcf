//! The public API of a generated crate, read back from its Rust source:
//! what users of the crate write code against.
//!
//! This reads Rust, not the spec: the surface of the crate already on disk
//! is known only from its files, and reading the new files the same way
//! makes the two comparable by construction. [`crate::changes`] compares two
//! surfaces.
//!
//! What counts: the public types (`types::CustomerBalance`, and what the
//! crate root re-exports: `Client`, `Error`), their public fields and
//! variants, and the public methods of their inherent `impl` blocks. Types
//! are written as users read them: external paths by their last segment
//! (`Option<Decimal>`), the crate's own types by their public path
//! (`types::SubscriptionTierPrice`).

use crate::Files;
use quote::ToTokens;
use std::collections::{BTreeMap, BTreeSet};

/// The public API of one crate.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Surface {
    /// Public types, by public path (`types::CustomerBalance`, `Client`).
    pub types: BTreeMap<String, TypeSurface>,
}

/// One public type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeSurface {
    /// What it is.
    pub shape: Shape,
    /// Whether it is `#[deprecated]`.
    pub deprecated: bool,
    /// Public methods of its inherent `impl` blocks, by name.
    pub methods: BTreeMap<String, Method>,
    /// A request's security requirements (from its `impl_request!`): the
    /// alternatives, each the schemes sent together, by variant name.
    /// `None` for other types, and for requests of crates generated before
    /// requests said.
    pub security: Option<Vec<Vec<String>>>,
}

/// The shape of a public type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shape {
    /// A struct: its public fields, by name.
    Struct {
        /// Public fields.
        fields: BTreeMap<String, Field>,
        /// Whether it derives `Default` (so struct literals can end in
        /// `..Default::default()`).
        default: bool,
    },
    /// An enum: its variants, by name.
    Enum {
        /// Variants.
        variants: BTreeMap<String, Variant>,
        /// Whether it is `#[non_exhaustive]`.
        non_exhaustive: bool,
    },
    /// `pub type Name = Target;`.
    Alias(Ty),
}

impl Shape {
    /// What kind of type this is, in words.
    pub fn kind(&self) -> &'static str {
        match self {
            Shape::Struct { .. } => "a struct",
            Shape::Enum { .. } => "an enum",
            Shape::Alias(_) => "a type alias",
        }
    }
}

/// A public field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// Its type.
    pub ty: Ty,
    /// Whether it is `#[deprecated]`.
    pub deprecated: bool,
}

/// An enum variant: what it carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    /// Its payload as written after the name: empty for a unit variant,
    /// `(T)` or `{ a: T }` otherwise.
    pub payload: Ty,
}

/// A public method.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Method {
    /// Whether it is `async`.
    pub is_async: bool,
    /// Its receiver (`&self`), if it has one.
    pub receiver: Option<String>,
    /// Its other parameters, in order: name and type.
    pub params: Vec<(String, Ty)>,
    /// What it returns (`()` when nothing).
    pub returns: Ty,
    /// Whether it is `#[deprecated]`.
    pub deprecated: bool,
}

impl Method {
    /// The signature as users read it (`async fn(&self, id: &str) -> T`),
    /// given the method's name.
    pub fn signature(&self, name: &str) -> String {
        let mut params: Vec<String> = self.receiver.iter().cloned().collect();
        params.extend(self.params.iter().map(|(n, t)| format!("{n}: {}", t.text)));
        let asyncness = if self.is_async { "async " } else { "" };
        let returns = if self.returns.text == "()" {
            String::new()
        } else {
            format!(" -> {}", self.returns.text)
        };
        format!("{asyncness}fn {name}({}){returns}", params.join(", "))
    }

    /// What callers depend on: everything but the parameters' names.
    pub fn calling_convention(&self) -> (bool, Option<&str>, Vec<&str>, &str) {
        (
            self.is_async,
            self.receiver.as_deref(),
            self.params.iter().map(|(_, t)| t.text.as_str()).collect(),
            &self.returns.text,
        )
    }
}

/// A type as written in the API, and the crate's own types it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ty {
    /// As users read it: `Option<types::SubscriptionTierPrice>`.
    pub text: String,
    /// The public paths of the crate's types it names.
    pub refs: BTreeSet<String>,
}

impl Ty {
    /// Whether the type is `Option<..>`: a value that may be absent.
    pub fn is_option(&self) -> bool {
        self.text.starts_with("Option<")
    }

    /// `T` for `Option<T>`.
    pub fn option_inner(&self) -> Option<&str> {
        self.text.strip_prefix("Option<")?.strip_suffix('>')
    }
}

/// Why a crate's source could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot read the API of `{file}`: {message}")]
pub struct SurfaceError {
    /// The file, relative to the crate root.
    pub file: String,
    /// What was wrong.
    pub message: String,
}

/// Reads the public API of a crate from its files (`src/lib.rs` and the
/// modules it declares).
pub fn read(files: &Files) -> Result<Surface, SurfaceError> {
    let lib = parse(files, "src/lib.rs")?;
    // Which modules are public, and what the root re-exports from the
    // private ones.
    let mut public_modules = BTreeSet::new();
    let mut modules = Vec::new();
    let mut reexports: BTreeMap<(String, String), String> = BTreeMap::new();
    for item in &lib.items {
        match item {
            syn::Item::Mod(m) if m.content.is_none() => {
                let name = m.ident.to_string();
                if is_pub(&m.vis) {
                    public_modules.insert(name.clone());
                }
                modules.push(name);
            }
            syn::Item::Use(u) if is_pub(&u.vis) => {
                if let syn::UseTree::Path(p) = &u.tree {
                    collect_reexports(&p.ident.to_string(), &p.tree, &mut reexports);
                }
            }
            _ => {}
        }
    }

    // First pass: every public item's path, so that types can be resolved.
    let mut parsed = Vec::new();
    let mut paths: BTreeMap<String, String> = BTreeMap::new();
    for module in &modules {
        let file_name = format!("src/{module}.rs");
        let mut security = BTreeMap::new();
        let Some(file) = parse_optional(files, &file_name, &mut security)? else {
            continue;
        };
        let mut local = BTreeMap::new();
        for item in &file.items {
            let Some((ident, vis)) = named_type(item) else {
                continue;
            };
            let name = ident.to_string();
            let public = if public_modules.contains(module) && is_pub(vis) {
                Some(format!("{module}::{name}"))
            } else {
                reexports.get(&(module.clone(), name.clone())).cloned()
            };
            if let Some(public) = public {
                paths.insert(format!("{module}::{name}"), public.clone());
                local.insert(name, public);
            }
        }
        parsed.push((module.clone(), file_name, file, local, security));
    }
    // `crate::Error` names the root re-export.
    for public in paths.clone().into_values() {
        if !public.contains("::") {
            paths.insert(public.clone(), public);
        }
    }

    let mut surface = Surface::default();
    for (_, file_name, file, local, security) in &parsed {
        let names = Names {
            local,
            crate_paths: &paths,
            self_path: None,
        };
        for item in &file.items {
            let Some(path) = named_type(item).and_then(|(i, _)| local.get(&i.to_string())) else {
                continue;
            };
            if let Some((shape, deprecated)) = shape(item, &names) {
                surface.types.insert(
                    path.clone(),
                    TypeSurface {
                        shape,
                        deprecated,
                        methods: BTreeMap::new(),
                        security: named_type(item)
                            .and_then(|(i, _)| security.get(&i.to_string()))
                            .cloned(),
                    },
                );
            }
        }
        for item in &file.items {
            let syn::Item::Impl(imp) = item else { continue };
            if let Some((trait_path, _)) = &imp.trait_ {
                // `impl Default for X` by hand (a struct with defaults of its
                // own) serves `..Default::default()` as a derive does.
                let is_default = trait_path
                    .segments
                    .last()
                    .is_some_and(|s| s.ident == "Default");
                let target = self_type_name(&imp.self_ty).and_then(|n| local.get(&n));
                if let (true, Some(path)) = (is_default, target) {
                    if let Some(TypeSurface {
                        shape: Shape::Struct { default, .. },
                        ..
                    }) = surface.types.get_mut(path)
                    {
                        *default = true;
                    }
                }
                continue;
            }
            let Some(path) = self_type_name(&imp.self_ty).and_then(|n| local.get(&n)) else {
                continue;
            };
            let names = Names {
                self_path: Some(path),
                ..names
            };
            let methods: Vec<(String, Method)> = imp
                .items
                .iter()
                .filter_map(|i| match i {
                    syn::ImplItem::Fn(f) if is_pub(&f.vis) => {
                        Some((f.sig.ident.to_string(), method(f, &names)))
                    }
                    _ => None,
                })
                .collect();
            match surface.types.get_mut(path) {
                Some(t) => t.methods.extend(methods),
                None => {
                    return Err(SurfaceError {
                        file: file_name.clone(),
                        message: format!("an `impl` of `{path}`, which is not defined there"),
                    });
                }
            }
        }
    }
    Ok(surface)
}

fn parse(files: &Files, name: &str) -> Result<syn::File, SurfaceError> {
    parse_optional(files, name, &mut BTreeMap::new())?.ok_or_else(|| SurfaceError {
        file: name.to_owned(),
        message: "the file is missing".into(),
    })
}

/// A file of the crate, its `impl_request!` invocations expanded, with the
/// security requirements each gave its request type, by type name.
fn parse_optional(
    files: &Files,
    name: &str,
    security: &mut BTreeMap<String, Vec<Vec<String>>>,
) -> Result<Option<syn::File>, SurfaceError> {
    let Some(text) = files.0.get(name) else {
        return Ok(None);
    };
    let mut file: syn::File = syn::parse_str(text).map_err(|e| SurfaceError {
        file: name.to_owned(),
        message: format!("it does not parse as Rust ({e})"),
    })?;
    for item in &mut file.items {
        if let Some(invocation) = crate::macros::ImplRequest::of(item) {
            if let Some(requirements) = invocation.requirements() {
                security.insert(invocation.name.to_string(), requirements);
            }
        }
        if let Some(expanded) = expand_impl_request(item) {
            *item = expanded;
        }
    }
    Ok(Some(file))
}

/// The public methods an `impl_request!` invocation (the support module's
/// macro, one per request type) gives its type, as the `impl` it stands
/// for: `send` and `send_with_response`, whose types are its arguments,
/// and a paginated list's `pages` and `stream`.
fn expand_impl_request(item: &syn::Item) -> Option<syn::Item> {
    let crate::macros::ImplRequest {
        name,
        success,
        error,
        pages,
        ..
    } = crate::macros::ImplRequest::of(item)?;
    let pages = pages.map(|crate::macros::Pages { item, .. }| {
        quote::quote! {
            pub fn pages(self) -> impl ::futures_core::Stream<Item = ::std::result::Result<#success, crate::Error<#error>>> + ::std::marker::Send + 'a {}
            pub fn stream(self) -> impl ::futures_core::Stream<Item = ::std::result::Result<#item, crate::Error<#error>>> + ::std::marker::Send + 'a {}
        }
    });
    Some(syn::parse_quote! {
        impl<'a> #name<'a> {
            pub fn send(self) -> crate::Pending<'a, #success, #error> {}
            pub fn send_with_response(self) -> crate::PendingResponse<'a, #success, #error> {}
            #pages
        }
    })
}

fn is_pub(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

/// `pub use module::{A, B as C};` → `(module, A) → A`, `(module, B) → C`.
fn collect_reexports(
    module: &str,
    tree: &syn::UseTree,
    out: &mut BTreeMap<(String, String), String>,
) {
    match tree {
        syn::UseTree::Name(n) => {
            out.insert(
                (module.to_owned(), n.ident.to_string()),
                n.ident.to_string(),
            );
        }
        syn::UseTree::Rename(r) => {
            out.insert(
                (module.to_owned(), r.ident.to_string()),
                r.rename.to_string(),
            );
        }
        syn::UseTree::Group(g) => {
            for tree in &g.items {
                collect_reexports(module, tree, out);
            }
        }
        // Deeper paths and globs are not what the generator writes.
        syn::UseTree::Path(_) | syn::UseTree::Glob(_) => {}
    }
}

fn named_type(item: &syn::Item) -> Option<(&syn::Ident, &syn::Visibility)> {
    match item {
        syn::Item::Struct(s) => Some((&s.ident, &s.vis)),
        syn::Item::Enum(e) => Some((&e.ident, &e.vis)),
        syn::Item::Type(t) => Some((&t.ident, &t.vis)),
        _ => None,
    }
}

fn self_type_name(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) if p.qself.is_none() => {
            p.path.segments.last().map(|s| s.ident.to_string())
        }
        _ => None,
    }
}

fn has_attr(attrs: &[syn::Attribute], name: &str) -> bool {
    attrs.iter().any(|a| a.path().is_ident(name))
}

fn derives(attrs: &[syn::Attribute], name: &str) -> bool {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("derive"))
        .any(|a| {
            let mut found = false;
            // A derive list that does not parse derives nothing we know of.
            let _ = a.parse_nested_meta(|meta| {
                found |= meta.path.segments.last().is_some_and(|s| s.ident == name);
                Ok(())
            });
            found
        })
}

/// The shape of a struct, enum or alias, and whether it is deprecated;
/// `None` for other items.
fn shape(item: &syn::Item, names: &Names) -> Option<(Shape, bool)> {
    match item {
        syn::Item::Struct(s) => {
            let fields = s
                .fields
                .iter()
                .filter(|f| is_pub(&f.vis))
                .filter_map(|f| {
                    let name = f.ident.as_ref()?.to_string();
                    Some((
                        name,
                        Field {
                            ty: names.ty(&f.ty),
                            deprecated: has_attr(&f.attrs, "deprecated"),
                        },
                    ))
                })
                .collect();
            let shape = Shape::Struct {
                fields,
                default: derives(&s.attrs, "Default"),
            };
            Some((shape, has_attr(&s.attrs, "deprecated")))
        }
        syn::Item::Enum(e) => {
            let variants = e
                .variants
                .iter()
                .map(|v| {
                    let payload = names.fields(&v.fields);
                    (v.ident.to_string(), Variant { payload })
                })
                .collect();
            let shape = Shape::Enum {
                variants,
                non_exhaustive: has_attr(&e.attrs, "non_exhaustive"),
            };
            Some((shape, has_attr(&e.attrs, "deprecated")))
        }
        syn::Item::Type(t) => Some((
            Shape::Alias(names.ty(&t.ty)),
            has_attr(&t.attrs, "deprecated"),
        )),
        _ => None,
    }
}

fn method(f: &syn::ImplItemFn, names: &Names) -> Method {
    let mut receiver = None;
    let mut params = Vec::new();
    for input in &f.sig.inputs {
        match input {
            // As callers see it: `&self`, `&mut self` or `self`, without
            // lifetimes, and without a by-value `mut` (the method's own
            // business).
            syn::FnArg::Receiver(r) => {
                receiver = Some(match &r.kind {
                    syn::ReceiverKind::Reference(_, _, Some(_)) => "&mut self".to_owned(),
                    syn::ReceiverKind::Reference(_, _, None) => "&self".to_owned(),
                    syn::ReceiverKind::Value => "self".to_owned(),
                    _ => squeeze(&r.to_token_stream().to_string()),
                })
            }
            syn::FnArg::Typed(t) => {
                let name = match &*t.pat {
                    syn::Pat::Ident(i) => i.ident.to_string(),
                    other => squeeze(&other.to_token_stream().to_string()),
                };
                params.push((name, names.ty(&t.ty)));
            }
        }
    }
    let returns = match &f.sig.output {
        syn::ReturnType::Default => Ty {
            text: "()".into(),
            refs: BTreeSet::new(),
        },
        syn::ReturnType::Type(_, ty) => names.ty(ty),
    };
    Method {
        is_async: f.sig.asyncness.is_some(),
        receiver,
        params,
        returns,
        deprecated: has_attr(&f.attrs, "deprecated"),
    }
}

/// How a module's paths resolve to public ones.
#[derive(Clone, Copy)]
struct Names<'a> {
    /// Names defined in this module → public path.
    local: &'a BTreeMap<String, String>,
    /// `module::Name` (as after `crate::`) → public path.
    crate_paths: &'a BTreeMap<String, String>,
    /// What `Self` is.
    self_path: Option<&'a String>,
}

impl Names<'_> {
    fn ty(&self, ty: &syn::Type) -> Ty {
        let mut refs = BTreeSet::new();
        let text = self.write(ty, &mut refs);
        Ty { text, refs }
    }

    /// A variant's fields, as written after its name.
    fn fields(&self, fields: &syn::Fields) -> Ty {
        let mut refs = BTreeSet::new();
        let text = match fields {
            syn::Fields::Unit => String::new(),
            syn::Fields::Unnamed(u) => {
                let items: Vec<String> = u
                    .unnamed
                    .iter()
                    .map(|f| self.write(&f.ty, &mut refs))
                    .collect();
                format!("({})", items.join(", "))
            }
            syn::Fields::Named(n) => {
                let items: Vec<String> = n
                    .named
                    .iter()
                    .map(|f| {
                        let name = f
                            .ident
                            .as_ref()
                            .map(ToString::to_string)
                            .unwrap_or_default();
                        format!("{name}: {}", self.write(&f.ty, &mut refs))
                    })
                    .collect();
                format!(" {{ {} }}", items.join(", "))
            }
        };
        Ty { text, refs }
    }

    fn write(&self, ty: &syn::Type, refs: &mut BTreeSet<String>) -> String {
        match ty {
            syn::Type::Path(p) if p.qself.is_none() => self.path(&p.path, refs),
            syn::Type::Reference(r) => {
                let mutability = if r.mutability.is_some() { "mut " } else { "" };
                format!("&{mutability}{}", self.write(&r.elem, refs))
            }
            syn::Type::Slice(s) => format!("[{}]", self.write(&s.elem, refs)),
            syn::Type::Paren(p) => self.write(&p.elem, refs),
            syn::Type::Group(g) => self.write(&g.elem, refs),
            syn::Type::Tuple(t) => {
                let items: Vec<String> = t.elems.iter().map(|e| self.write(e, refs)).collect();
                format!("({})", items.join(", "))
            }
            syn::Type::ImplTrait(i) => {
                let bounds: Vec<String> = i
                    .bounds
                    .iter()
                    .map(|b| match b {
                        syn::TypeParamBound::Trait(t) => self.path(&t.path, refs),
                        other => squeeze(&other.to_token_stream().to_string()),
                    })
                    .collect();
                format!("impl {}", bounds.join(" + "))
            }
            other => squeeze(&other.to_token_stream().to_string()),
        }
    }

    /// A path: the crate's own types by public path, others by their last
    /// segment; generic arguments after.
    fn path(&self, path: &syn::Path, refs: &mut BTreeSet<String>) -> String {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        let resolved = if path.leading_colon.is_none() && segments.len() == 1 {
            let name = &segments[0];
            if name == "Self" {
                self.self_path.cloned()
            } else {
                self.local.get(name).cloned()
            }
        } else if path.leading_colon.is_none() && segments.first().is_some_and(|s| s == "crate") {
            self.crate_paths.get(&segments[1..].join("::")).cloned()
        } else {
            None
        };
        let name = match resolved {
            Some(public) => {
                refs.insert(public.clone());
                public
            }
            None => segments.last().cloned().unwrap_or_default(),
        };
        let args = match path.segments.last().map(|s| &s.arguments) {
            Some(syn::PathArguments::AngleBracketed(a)) => {
                // Lifetimes say nothing about what callers may write.
                let items: Vec<String> = a
                    .args
                    .iter()
                    .filter(|arg| !matches!(arg, syn::GenericArgument::Lifetime(_)))
                    .map(|arg| match arg {
                        syn::GenericArgument::Type(t) => self.write(t, refs),
                        other => squeeze(&other.to_token_stream().to_string()),
                    })
                    .collect();
                if items.is_empty() {
                    String::new()
                } else {
                    format!("<{}>", items.join(", "))
                }
            }
            _ => String::new(),
        };
        format!("{name}{args}")
    }
}

/// Token text without the spaces `proc_macro2` puts between every token.
fn squeeze(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        if *c == ' ' {
            let before = i.checked_sub(1).map(|j| chars[j]);
            let after = chars.get(i + 1).copied();
            let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
            // Keep a space only between two words (`mut self`) and after a comma.
            if (word(before) && word(after)) || before == Some(',') {
                out.push(' ');
            }
            continue;
        }
        out.push(*c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(pairs: &[(&str, &str)]) -> Files {
        Files(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        )
    }

    #[test]
    fn reads_public_types_fields_variants_and_methods() {
        let surface = read(&files(&[
            (
                "src/lib.rs",
                "mod client; mod error; mod support; pub mod types; pub use client::Client; pub use error::Error;",
            ),
            (
                "src/types.rs",
                "#[derive(Debug, Default)] pub struct Balance { pub total: ::std::option::Option<::rust_decimal::Decimal>, pub tier: Tier, hidden: u8 }
                 pub enum Tier { Free, Unknown(::std::string::String) }
                 pub type Id = ::uuid::Uuid;
                 impl Tier { pub fn as_str(&self) -> &str { \"\" } fn private(&self) {} }
                 impl ::std::fmt::Display for Tier { fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result { Ok(()) } }
                 mod defaults { pub fn x() {} }",
            ),
            (
                "src/client.rs",
                "pub struct Client { http: u8 }
                 impl Client {
                     pub async fn get_balance(&self, id: &str, tier: ::std::option::Option<crate::types::Tier>) -> ::std::result::Result<crate::types::Balance, crate::Error<crate::types::Id>> { todo!() }
                     fn authorize(&self) {}
                 }",
            ),
            (
                "src/error.rs",
                "#[non_exhaustive] pub enum Error<E> { Api { status: u16, body: E }, Other(::std::string::String) }",
            ),
            ("src/support.rs", "pub struct NotPublic;"),
        ]))
        .unwrap();
        let paths: Vec<&str> = surface.types.keys().map(String::as_str).collect();
        assert_eq!(
            paths,
            [
                "Client",
                "Error",
                "types::Balance",
                "types::Id",
                "types::Tier"
            ]
        );
        let Shape::Struct { fields, default } = &surface.types["types::Balance"].shape else {
            panic!("a struct")
        };
        assert!(*default);
        assert_eq!(fields.len(), 2, "private fields are not part of the API");
        assert_eq!(fields["total"].ty.text, "Option<Decimal>");
        assert!(fields["total"].ty.is_option());
        assert_eq!(fields["tier"].ty.text, "types::Tier");
        assert_eq!(
            fields["tier"].ty.refs,
            BTreeSet::from(["types::Tier".to_owned()])
        );
        let Shape::Enum {
            variants,
            non_exhaustive,
        } = &surface.types["Error"].shape
        else {
            panic!("an enum")
        };
        assert!(*non_exhaustive);
        assert_eq!(variants["Api"].payload.text, " { status: u16, body: E }");
        assert_eq!(variants["Other"].payload.text, "(String)");
        assert_eq!(
            surface.types["types::Id"].shape,
            Shape::Alias(Ty {
                text: "Uuid".into(),
                refs: BTreeSet::new()
            })
        );
        let tier_methods: Vec<&String> = surface.types["types::Tier"].methods.keys().collect();
        assert_eq!(tier_methods, ["as_str"], "only public inherent methods");
        let get = &surface.types["Client"].methods["get_balance"];
        assert_eq!(
            get.signature("get_balance"),
            "async fn get_balance(&self, id: &str, tier: Option<types::Tier>) -> Result<types::Balance, Error<types::Id>>"
        );
        assert_eq!(
            get.returns.refs,
            BTreeSet::from(["Error".into(), "types::Balance".into(), "types::Id".into()])
        );
    }

    #[test]
    fn a_file_that_is_not_rust_is_an_error_naming_it() {
        let error = read(&files(&[
            ("src/lib.rs", "pub mod types;"),
            ("src/types.rs", "pub struct {"),
        ]))
        .unwrap_err();
        assert_eq!(error.file, "src/types.rs");
        assert!(error.message.contains("does not parse"), "{error}");
        let missing = read(&files(&[])).unwrap_err();
        assert_eq!(
            missing.to_string(),
            "cannot read the API of `src/lib.rs`: the file is missing"
        );
    }

    #[test]
    fn squeezes_token_text() {
        assert_eq!(squeeze("& 'a mut self"), "&'a mut self");
        assert_eq!(squeeze("Vec < u8 >"), "Vec<u8>");
        assert_eq!(squeeze("[u8 ; 4]"), "[u8;4]");
    }
}
