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

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::parse::{ParseStream, Parser};

/// The macro's name.
pub const IMPL_REQUEST: &str = "impl_request";

/// One `impl_request!` invocation.
pub struct ImplRequest {
    /// The request type (`DiskViewById`), which has a lifetime `'a`.
    pub name: syn::Ident,
    /// What `send` gives.
    pub success: syn::Type,
    /// The error body's type.
    pub error: syn::Type,
    /// `Operation::new`'s arguments: operationId, method, path template,
    /// idempotent.
    pub operation: (syn::LitStr, syn::LitStr, syn::LitStr, syn::LitBool),
    /// The function that decodes the response (`crate::support::decode`).
    pub decode: syn::Path,
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
            print_type(&self.success),
            print_type(&self.error),
            literal(id),
            literal(method),
            literal(path),
            literal(idempotent),
            print_path(&self.decode),
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
    let success = input.parse()?;
    input.parse::<syn::Token![;]>()?;
    label(input, "error")?;
    let error = input.parse()?;
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
    let decode = input.parse()?;
    input.parse::<syn::Token![;]>()?;
    Ok(ImplRequest {
        name,
        success,
        error,
        operation: (id, method, path, idempotent),
        decode,
    })
}

/// A path as prettyplease prints it in code.
fn print_path(path: &syn::Path) -> String {
    print_type(&syn::parse_quote!(#path))
}

/// A type as prettyplease prints it in code, on one line.
fn print_type(ty: &syn::Type) -> String {
    let file: syn::File = syn::parse_quote! { type T = #ty; };
    let printed = prettyplease::unparse(&file);
    let printed = printed.trim();
    let printed = printed.strip_prefix("type T = ").unwrap_or(printed);
    let printed = printed.strip_suffix(';').unwrap_or(printed);
    // A type too long for one line is broken at its generic arguments;
    // this is one line, so join it again.
    if printed.contains('\n') {
        let joined = printed.split_whitespace().collect::<Vec<_>>().join(" ");
        joined
            .replace("< ", "<")
            .replace(", >", ">")
            .replace(",>", ">")
    } else {
        printed.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn invocation() -> ImplRequest {
        ImplRequest {
            name: syn::parse_quote!(ListDisks),
            success: syn::parse_quote!(::std::vec::Vec<crate::types::Disk>),
            error: syn::parse_quote!(crate::types::Error),
            operation: (
                syn::parse_quote!("list_disks"),
                syn::parse_quote!("GET"),
                syn::parse_quote!("/disks/{id}"),
                syn::parse_quote!(true),
            ),
            decode: syn::parse_quote!(crate::support::decode),
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
    fn an_invocation_reads_back_what_was_written() {
        let item: syn::Item = syn::parse2(invocation().to_tokens()).unwrap();
        let read = ImplRequest::of(&item).unwrap();
        assert_eq!(read.print(), invocation().print());
        let other: syn::Item = syn::parse_quote! { crate::support::other! { ListDisks; } };
        assert!(ImplRequest::of(&other).is_none());
    }
}
