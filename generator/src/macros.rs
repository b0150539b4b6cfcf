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
//!     decode: crate::support::decode;
//! }
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
    /// The function that decodes the response (`crate::support::decode`):
    /// a path.
    pub decode: TokenStream,
}

impl ImplRequest {
    /// The invocation, as tokens.
    pub fn to_tokens(&self) -> TokenStream {
        let Self {
            name,
            success,
            error,
            operation: (id, method, path, idempotent),
            decode,
        } = self;
        quote! {
            crate::support::impl_request! {
                #name;
                success: #success;
                error: #error;
                operation: (#id, #method, #path, #idempotent);
                decode: #decode;
            }
        }
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
        format!(
            "crate::support::{IMPL_REQUEST}! {{\n    {};\n    success: {};\n    error: {};\n    \
             operation: ({}, {}, {}, {});\n    decode: {};\n}}\n",
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

/// `Name; success: T; error: E; operation: (..); decode: path;`.
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
    label(input, "decode")?;
    let decode = input.parse::<syn::Path>()?.into_token_stream();
    input.parse::<syn::Token![;]>()?;
    Ok(ImplRequest {
        name,
        success,
        error,
        operation: (id, method, path, idempotent),
        decode,
    })
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
            decode: quote!(crate::support::decode),
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
             decode: crate::support::decode;\n}\n"
        );
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
        let other: syn::Item = syn::parse_quote! { crate::support::other! { ListDisks; } };
        assert!(ImplRequest::of(&other).is_none());
    }
}
