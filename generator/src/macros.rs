//! The invocations of the generated crate's own `macro_rules!`, which
//! emission writes, formatting prints and the API report reads.
//!
//! Every request type has the same `OPERATION`, `send`,
//! `send_with_response`, `IntoFuture` and `Debug` but for a few names and
//! types. Written out, that is some 45 lines per operation, most of a large
//! crate, and of its generation and compile time; the support module's
//! `impl_request!` writes them instead, from one invocation:
//!
//! ```text
//! crate::support::impl_request! {
//!     DiskViewById;
//!     success: crate::types::Disk;
//!     error: crate::types::Error;
//!     operation: ("disk_view_by_id", "GET", "/by-id/disks/{id}", true);
//!     security: &[&[crate::auth::Scheme::BearerToken], &[]];
//!     decode: crate::support::decode;
//! }
//! ```
//!
//! A paginated list's request adds one line, and the macro writes its
//! `pages` and `stream` methods too (some 30 lines more per list):
//!
//! ```text
//!     pages: (crate::types::Disk, items, next_page);
//! ```
//!
//! prettyplease prints a macro's body as loose tokens (`crate ::types`,
//! `Vec < T >`), so [`ImplRequest::print`] prints an invocation as above,
//! each type and path as prettyplease prints it in code.

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};
use quote::{ToTokens, quote};
use syn::parse::{ParseStream, Parser};

/// The macro's name.
pub const IMPL_REQUEST: &str = "impl_request";

/// One `impl_request!` invocation.
pub struct ImplRequest {
    /// The request type (`DiskViewById`), which has a lifetime `'a`.
    pub name: syn::Ident,
    /// What `send` gives: a type.
    pub success: TokenStream,
    /// The error body's type.
    pub error: TokenStream,
    /// `Operation::new`'s arguments: operationId, method, path template,
    /// idempotent.
    pub operation: (syn::LitStr, syn::LitStr, syn::LitStr, syn::LitBool),
    /// The operation's security requirements, as the `SECURITY` constant
    /// is written: `&[&[crate::auth::Scheme::ApiKey], &[]]`. Crates
    /// generated before authentication have none.
    pub security: Option<TokenStream>,
    /// The function that decodes the response (`crate::support::decode`):
    /// a path.
    pub decode: TokenStream,
    /// For a paginated list, the walk over its pages.
    pub pages: Option<Pages>,
}

/// What the `pages` and `stream` methods of a paginated list's request
/// need to know of its page type (its `success`).
pub struct Pages {
    /// The type of the list's items.
    pub item: TokenStream,
    /// The page's field that holds the items.
    pub items: syn::Ident,
    /// The page's field that holds the next page's token.
    pub token: syn::Ident,
}

impl ImplRequest {
    /// The invocation, as tokens.
    pub fn to_tokens(&self) -> TokenStream {
        let Self {
            name,
            success,
            error,
            operation: (id, method, path, idempotent),
            security,
            decode,
            pages,
        } = self;
        let pages = pages.as_ref().map(|Pages { item, items, token }| {
            quote! { pages: (#item, #items, #token); }
        });
        let security = security
            .as_ref()
            .map(|security| quote! { security: #security; });
        quote! {
            crate::support::impl_request! {
                #name;
                success: #success;
                error: #error;
                operation: (#id, #method, #path, #idempotent);
                #security
                decode: #decode;
                #pages
            }
        }
    }

    /// The security requirements, each the schemes it sends by their
    /// variant names (`[["ApiKey"], []]`); `None` for an invocation without
    /// them, or one not written as emission writes it.
    pub fn requirements(&self) -> Option<Vec<Vec<String>>> {
        fn array(expr: &syn::Expr) -> Option<&syn::ExprArray> {
            match expr {
                syn::Expr::Reference(r) => match &*r.expr {
                    syn::Expr::Array(a) => Some(a),
                    _ => None,
                },
                _ => None,
            }
        }
        let expr: syn::Expr = syn::parse2(self.security.clone()?).ok()?;
        array(&expr)?
            .elems
            .iter()
            .map(|requirement| {
                array(requirement)?
                    .elems
                    .iter()
                    .map(|scheme| match scheme {
                        syn::Expr::Path(p) => Some(p.path.segments.last()?.ident.to_string()),
                        _ => None,
                    })
                    .collect()
            })
            .collect()
    }

    /// The invocation `item` is, if it is one (by the macro's name).
    pub fn of(item: &syn::Item) -> Option<ImplRequest> {
        let syn::Item::Macro(m) = item else {
            return None;
        };
        if m.mac.path.segments.last()?.ident != IMPL_REQUEST {
            return None;
        }
        Parser::parse2(parse_body, m.mac.tokens.clone()).ok()
    }

    /// The invocation as source text, one argument a line, ending in a
    /// newline.
    pub fn print(&self) -> String {
        let (id, method, path, idempotent) = &self.operation;
        let literal = |l: &dyn ToTokens| l.to_token_stream().to_string();
        let security = self.security.as_ref().map_or(String::new(), |security| {
            format!("    security: {};\n", print_tokens(security))
        });
        let pages = self.pages.as_ref().map_or(String::new(), |pages| {
            format!(
                "    pages: ({}, {}, {});\n",
                print_tokens(&pages.item),
                pages.items,
                pages.token
            )
        });
        format!(
            "crate::support::{IMPL_REQUEST}! {{\n    {};\n    success: {};\n    error: {};\n    \
             operation: ({}, {}, {}, {});\n{security}    decode: {};\n{pages}}}\n",
            self.name,
            print_tokens(&self.success),
            print_tokens(&self.error),
            literal(id),
            literal(method),
            literal(path),
            literal(idempotent),
            print_tokens(&self.decode),
        )
    }
}

/// `Name; success: T; error: E; operation: (..); decode: path;`, and
/// `pages: (T, items, token);` for a paginated list.
fn parse_body(input: ParseStream<'_>) -> syn::Result<ImplRequest> {
    let label = |input: ParseStream<'_>, name: &str| -> syn::Result<()> {
        let ident: syn::Ident = input.parse()?;
        if ident != name {
            return Err(syn::Error::new(ident.span(), format!("expected `{name}`")));
        }
        input.parse::<syn::Token![:]>()?;
        Ok(())
    };
    let name = input.parse()?;
    input.parse::<syn::Token![;]>()?;
    label(input, "success")?;
    let success = input.parse::<syn::Type>()?.into_token_stream();
    input.parse::<syn::Token![;]>()?;
    label(input, "error")?;
    let error = input.parse::<syn::Type>()?.into_token_stream();
    input.parse::<syn::Token![;]>()?;
    label(input, "operation")?;
    let content;
    syn::parenthesized!(content in input);
    let id = content.parse()?;
    content.parse::<syn::Token![,]>()?;
    let method = content.parse()?;
    content.parse::<syn::Token![,]>()?;
    let path = content.parse()?;
    content.parse::<syn::Token![,]>()?;
    let idempotent = content.parse()?;
    input.parse::<syn::Token![;]>()?;
    let security = if input
        .fork()
        .parse::<syn::Ident>()
        .is_ok_and(|i| i == "security")
    {
        label(input, "security")?;
        let security = input.parse::<syn::Expr>()?.into_token_stream();
        input.parse::<syn::Token![;]>()?;
        Some(security)
    } else {
        None
    };
    label(input, "decode")?;
    let decode = input.parse::<syn::Path>()?.into_token_stream();
    input.parse::<syn::Token![;]>()?;
    let pages = if input.is_empty() {
        None
    } else {
        label(input, "pages")?;
        let content;
        syn::parenthesized!(content in input);
        let item = content.parse::<syn::Type>()?.into_token_stream();
        content.parse::<syn::Token![,]>()?;
        let items = content.parse()?;
        content.parse::<syn::Token![,]>()?;
        let token = content.parse()?;
        input.parse::<syn::Token![;]>()?;
        Some(Pages { item, items, token })
    };
    Ok(ImplRequest {
        name,
        success,
        error,
        operation: (id, method, path, idempotent),
        security,
        decode,
        pages,
    })
}

/// The `macro_rules!` definitions of a file, set aside to be printed as
/// code is written: prettyplease prints a definition's arms as loose
/// tokens (`impl < 'a > $name < 'a > { #[doc = r" ..."] pub fn ...`).
///
/// Each arm's matcher is printed one `;`-ended clause a line, and its body
/// as the items it expands to: each `$var` stands in for an identifier
/// while the body is parsed and printed, and an invocation of a macro
/// among them (`impl_request! { .. }`) is printed one clause a line.
/// While the file is printed, each definition is a unit struct with its
/// attributes, whose line is then replaced by the definition.
#[derive(Debug, Default)]
pub struct Definitions {
    printed: Vec<String>,
}

/// What stands for `$` in a macro body while it is parsed and printed: a
/// letter no body has, two bytes wide where `$` is one, so that lines
/// break almost where they would with `$`.
const DOLLAR: &str = "ж";

/// The name of the marker struct of a definition, before its number.
const MARKER: &str = "__MacroRules";

impl Definitions {
    /// Replaces each `macro_rules!` definition among `items` (and in their
    /// inline modules) that [`print_definition`] can print with its marker.
    pub fn set_aside(items: &mut [syn::Item]) -> Definitions {
        let mut definitions = Definitions::default();
        definitions.walk(items);
        definitions
    }

    fn walk(&mut self, items: &mut [syn::Item]) {
        for item in items {
            match item {
                syn::Item::Macro(m) if m.mac.path.is_ident("macro_rules") => {
                    let Some(printed) = print_definition(m) else {
                        continue;
                    };
                    let name = syn::Ident::new(
                        &format!("{MARKER}{}", self.printed.len()),
                        proc_macro2::Span::call_site(),
                    );
                    let attrs = &m.attrs;
                    *item = syn::parse_quote! { #(#attrs)* struct #name; };
                    self.printed.push(printed);
                }
                syn::Item::Mod(m) => {
                    if let Some((_, items)) = &mut m.content {
                        self.walk(items);
                    }
                }
                _ => {}
            }
        }
    }

    /// `text` with each marker's line replaced by its definition, at the
    /// marker's indentation.
    pub fn put_back(&self, text: String) -> String {
        if self.printed.is_empty() {
            return text;
        }
        let extra: usize = self.printed.iter().map(String::len).sum();
        let mut out = String::with_capacity(text.len() + extra * 2);
        for line in text.split_inclusive('\n') {
            let trimmed = line.trim_start();
            let indent = &line[..line.len() - trimmed.len()];
            let definition = trimmed
                .strip_prefix("struct ")
                .and_then(|rest| rest.strip_prefix(MARKER))
                .and_then(|rest| rest.trim_end().strip_suffix(';'))
                .and_then(|n| n.parse::<usize>().ok())
                .and_then(|n| self.printed.get(n));
            match definition {
                Some(definition) => {
                    for def_line in definition.lines() {
                        if !def_line.is_empty() {
                            out.push_str(indent);
                        }
                        out.push_str(def_line);
                        out.push('\n');
                    }
                }
                None => out.push_str(line),
            }
        }
        out
    }
}

/// A `macro_rules!` definition as code is written, or `None` when its
/// arms are not `(matcher) => { items };` (prettyplease prints it then).
fn print_definition(m: &syn::ItemMacro) -> Option<String> {
    let name = m.ident.as_ref()?;
    let mut out = format!("macro_rules! {name} {{\n");
    let mut tokens = m.mac.tokens.clone().into_iter().peekable();
    while let Some(matcher) = tokens.next() {
        let TokenTree::Group(matcher) = matcher else {
            return None;
        };
        let arrow = (tokens.next(), tokens.next());
        let (Some(TokenTree::Punct(eq)), Some(TokenTree::Punct(gt))) = arrow else {
            return None;
        };
        let Some(TokenTree::Group(body)) = tokens.next() else {
            return None;
        };
        if matcher.delimiter() != Delimiter::Parenthesis
            || body.delimiter() != Delimiter::Brace
            || (eq.as_char(), gt.as_char()) != ('=', '>')
        {
            return None;
        }
        if matches!(tokens.peek(), Some(TokenTree::Punct(p)) if p.as_char() == ';') {
            tokens.next();
        }
        let matcher = clauses(matcher.stream());
        if matcher.len() > 1 {
            out.push_str("    (\n");
            for clause in &matcher {
                out.push_str(&format!("        {};\n", print_clause(clause)));
            }
            out.push_str("    ) => {\n");
        } else {
            let matcher = matcher.first().map_or(String::new(), |c| print_clause(c));
            out.push_str(&format!("    ({matcher}) => {{\n"));
        }
        let body: syn::File = syn::parse2(with_placeholders(body.stream())).ok()?;
        for line in print_body(body).replace(DOLLAR, "$").lines() {
            if !line.is_empty() {
                out.push_str("        ");
            }
            out.push_str(line);
            out.push('\n');
        }
        out.push_str("    };\n");
    }
    out.push_str("}\n");
    Some(out)
}

/// `tokens` split at their top-level `;`s (a trailing one ends the last).
fn clauses(tokens: TokenStream) -> Vec<Vec<TokenTree>> {
    let mut clauses = vec![Vec::new()];
    for token in tokens {
        match &token {
            TokenTree::Punct(p) if p.as_char() == ';' => clauses.push(Vec::new()),
            _ => {
                if let Some(clause) = clauses.last_mut() {
                    clause.push(token);
                }
            }
        }
    }
    clauses.retain(|c| !c.is_empty());
    clauses
}

/// One clause: `label: value` with a space after the label's colon, or
/// the tokens as [`print_tokens`] prints them (`$name:ident`).
fn print_clause(clause: &[TokenTree]) -> String {
    match clause {
        [TokenTree::Ident(label), TokenTree::Punct(colon), rest @ ..]
            if colon.as_char() == ':' && colon.spacing() == Spacing::Alone =>
        {
            let rest: TokenStream = rest.iter().cloned().collect();
            format!("{label}: {}", print_tokens(&rest))
        }
        _ => print_tokens(&clause.iter().cloned().collect()),
    }
}

/// `tokens` with each `$name` as the identifier `DOLLAR` + `name`.
fn with_placeholders(tokens: TokenStream) -> TokenStream {
    let mut out = Vec::new();
    let mut tokens = tokens.into_iter().peekable();
    while let Some(token) = tokens.next() {
        match token {
            TokenTree::Punct(p) if p.as_char() == '$' => match tokens.peek() {
                Some(TokenTree::Ident(name)) => {
                    let name = proc_macro2::Ident::new(&format!("{DOLLAR}{name}"), name.span());
                    tokens.next();
                    out.push(TokenTree::Ident(name));
                }
                _ => out.push(TokenTree::Punct(p)),
            },
            TokenTree::Group(g) => {
                let mut group =
                    proc_macro2::Group::new(g.delimiter(), with_placeholders(g.stream()));
                group.set_span(g.span());
                out.push(TokenTree::Group(group));
            }
            other => out.push(other),
        }
    }
    out.into_iter().collect()
}

/// A macro body's items: invocations of macros one clause a line, the rest
/// by prettyplease.
fn print_body(mut file: syn::File) -> String {
    let items = std::mem::take(&mut file.items);
    let mut text = String::new();
    let mut run = file;
    for item in items {
        match item {
            syn::Item::Macro(m) if m.ident.is_none() && !m.mac.path.is_ident("macro_rules") => {
                if !run.items.is_empty() {
                    text.push_str(&prettyplease::unparse(&run));
                    run.items.clear();
                }
                text.push_str(&format!(
                    "{}! {{\n",
                    print_tokens(&m.mac.path.to_token_stream())
                ));
                for clause in clauses(m.mac.tokens) {
                    text.push_str(&format!("    {};\n", print_clause(&clause)));
                }
                text.push_str("}\n");
            }
            other => run.items.push(other),
        }
    }
    if !run.items.is_empty() {
        text.push_str(&prettyplease::unparse(&run));
    }
    text
}

/// A type or a path as code is written: no space around `::`, `<`, `>`,
/// `&` or `'`; one after a comma and between two words (`dyn Trait`,
/// `&'a str`).
fn print_tokens(tokens: &TokenStream) -> String {
    fn walk(tokens: TokenStream, out: &mut String, word_before: &mut bool) {
        for token in tokens {
            match token {
                TokenTree::Ident(ident) => {
                    if *word_before {
                        out.push(' ');
                    }
                    out.push_str(&ident.to_string());
                    *word_before = true;
                }
                TokenTree::Literal(literal) => {
                    if *word_before {
                        out.push(' ');
                    }
                    out.push_str(&literal.to_string());
                    *word_before = true;
                }
                TokenTree::Punct(punct) => {
                    let c = punct.as_char();
                    if c == '+' || c == '=' {
                        out.push(' ');
                    }
                    out.push(c);
                    let spaced = c == ',' || c == '+' || c == '=';
                    if spaced {
                        out.push(' ');
                    }
                    // A lifetime's name is part of it: `'a`, and no space.
                    *word_before = false;
                    if c == '\'' && punct.spacing() == Spacing::Joint {
                        continue;
                    }
                }
                TokenTree::Group(group) => {
                    let (open, close) = match group.delimiter() {
                        Delimiter::Parenthesis => ("(", ")"),
                        Delimiter::Bracket => ("[", "]"),
                        Delimiter::Brace => ("{", "}"),
                        Delimiter::None => ("", ""),
                    };
                    out.push_str(open);
                    *word_before = false;
                    walk(group.stream(), out, word_before);
                    if out.ends_with(", ") {
                        out.truncate(out.len() - 2);
                    }
                    out.push_str(close);
                    *word_before = true;
                }
            }
        }
    }
    let mut out = String::new();
    walk(tokens.clone(), &mut out, &mut false);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn invocation() -> ImplRequest {
        ImplRequest {
            name: syn::parse_quote!(ListDisks),
            success: quote!(::std::vec::Vec<crate::types::Disk>),
            error: quote!(crate::types::Error),
            operation: (
                syn::parse_quote!("list_disks"),
                syn::parse_quote!("GET"),
                syn::parse_quote!("/disks/{id}"),
                syn::parse_quote!(true),
            ),
            security: Some(quote!(&[&[crate::auth::Scheme::ApiKey], &[]])),
            decode: quote!(crate::support::decode),
            pages: None,
        }
    }

    fn paginated() -> ImplRequest {
        ImplRequest {
            success: quote!(crate::types::DiskResultsPage),
            pages: Some(Pages {
                item: quote!(crate::types::Disk),
                items: syn::parse_quote!(items),
                token: syn::parse_quote!(next_page),
            }),
            ..invocation()
        }
    }

    #[test]
    fn an_invocation_prints_one_argument_a_line_as_code_is_printed() {
        assert_eq!(
            invocation().print(),
            "crate::support::impl_request! {\n    ListDisks;\n    \
             success: ::std::vec::Vec<crate::types::Disk>;\n    \
             error: crate::types::Error;\n    \
             operation: (\"list_disks\", \"GET\", \"/disks/{id}\", true);\n    \
             security: &[&[crate::auth::Scheme::ApiKey], &[]];\n    \
             decode: crate::support::decode;\n}\n"
        );
    }

    #[test]
    fn a_paginated_list_adds_its_pages_line() {
        assert_eq!(
            paginated().print(),
            "crate::support::impl_request! {\n    ListDisks;\n    \
             success: crate::types::DiskResultsPage;\n    \
             error: crate::types::Error;\n    \
             operation: (\"list_disks\", \"GET\", \"/disks/{id}\", true);\n    \
             security: &[&[crate::auth::Scheme::ApiKey], &[]];\n    \
             decode: crate::support::decode;\n    \
             pages: (crate::types::Disk, items, next_page);\n}\n"
        );
    }

    #[test]
    fn a_definition_prints_as_code_is_written_in_place_of_its_marker() {
        let original = || -> syn::File {
            syn::parse_quote! {
            mod inner {
                /// Makes things.
                macro_rules! make {
                    ($name:ident; size: $size:ty;) => {
                        impl $name {
                            /// The size.
                            pub fn size(&self) -> $size { ::std::default::Default::default() }
                        }
                    };
                    ($name:ident) => {
                        crate::inner::make! { $name; size: u8; }
                    };
                }
            }
            }
        };
        let mut file = original();
        let definitions = Definitions::set_aside(&mut file.items);
        let text = definitions.put_back(prettyplease::unparse(&file));
        assert_eq!(
            text,
            "mod inner {\n    /// Makes things.\n    macro_rules! make {\n        (\n            \
             $name:ident;\n            size: $size:ty;\n        ) => {\n            \
             impl $name {\n                /// The size.\n                \
             pub fn size(&self) -> $size {\n                    \
             ::std::default::Default::default()\n                }\n            }\n        };\n        \
             ($name:ident) => {\n            crate::inner::make! {\n                $name;\n                \
             size: u8;\n            }\n        };\n    }\n}\n"
        );
        // What it prints is the definition it was, token for token (docs
        // read from `///` are plain strings, docs in tokens raw ones).
        let read: syn::File = syn::parse_str(&text).unwrap();
        let tokens = |file: syn::File| file.to_token_stream().to_string().replace("r\"", "\"");
        assert_eq!(tokens(read), tokens(original()));
    }

    #[test]
    fn a_definition_of_another_shape_is_left_to_prettyplease() {
        let mut file: syn::File = syn::parse_quote! {
            macro_rules! odd { [$x:expr] => { $x }; }
        };
        let definitions = Definitions::set_aside(&mut file.items);
        assert!(definitions.printed.is_empty());
        assert!(matches!(file.items[0], syn::Item::Macro(_)));
    }

    #[test]
    fn types_print_as_code_is_written() {
        for (tokens, text) in [
            (quote!(()), "()"),
            (
                quote!(::std::collections::BTreeMap<::std::string::String, (u8, i64)>),
                "::std::collections::BTreeMap<::std::string::String, (u8, i64)>",
            ),
            (quote!(&'a str), "&'a str"),
            (
                quote!(::std::vec::Vec<::std::vec::Vec<crate::types::A>>),
                "::std::vec::Vec<::std::vec::Vec<crate::types::A>>",
            ),
            (quote!(Self::decode), "Self::decode"),
        ] {
            assert_eq!(print_tokens(&tokens), text);
        }
    }

    #[test]
    fn an_invocation_reads_back_what_was_written() {
        let item: syn::Item = syn::parse2(invocation().to_tokens()).unwrap();
        let read = ImplRequest::of(&item).unwrap();
        assert_eq!(read.print(), invocation().print());
        let item: syn::Item = syn::parse2(paginated().to_tokens()).unwrap();
        let read = ImplRequest::of(&item).unwrap();
        assert_eq!(read.print(), paginated().print());
        let other: syn::Item = syn::parse_quote! { crate::support::other! { ListDisks; } };
        assert!(ImplRequest::of(&other).is_none());
    }
}
