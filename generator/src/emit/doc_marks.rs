//! Doc comments written after formatting.
//!
//! The spec's descriptions are a large share of the generated text (a
//! third of the client's lines for nexus). As `#[doc = " line"]`
//! attributes, each line is escaped into a literal, lexed again and parsed
//! by syn, and printed back by prettyplease as `/// line`: a fifth of the
//! time spent formatting. So while [`deferring`] runs, `emit::docs` emits
//! one short mark per block of lines instead (`#[doc = "\u{1}7"]`, printed
//! `///\u{1}7`), and [`Marks::splice`] replaces each printed mark with its
//! lines, at the mark's indentation, as prettyplease prints a doc
//! attribute: `///`, the line after one space, trailing spaces trimmed.
//!
//! Each mark is a whole line of the output, whatever its lines' length:
//! prettyplease breaks the line after any doc attribute. The result is the
//! file formatted with its docs in place, byte for byte. Should a mark be
//! printed anywhere else (inside a macro's tokens, say), [`Marks::splice`]
//! says so and the part is emitted and formatted again, without marks.

use crate::ir::Docs;
use proc_macro2::TokenStream;
use quote::quote;
use std::cell::RefCell;

/// The byte that starts a mark. Docs that hold it are emitted as they are,
/// so in a part's output it stands only for marks.
const MARK: char = '\u{1}';

/// [`MARK`] as prettyplease prints it in a string literal.
const ESCAPED: &str = "\\u{1}";

/// The blocks of doc lines a part's marks stand for, by the mark's number.
#[derive(Debug, Default)]
pub struct Marks {
    blocks: Vec<Block>,
}

#[derive(Debug)]
struct Block {
    /// `///` or `//!`.
    style: &'static str,
    lines: Vec<String>,
}

thread_local! {
    /// `Some` while [`deferring`] runs on this thread.
    static OPEN: RefCell<Option<Marks>> = const { RefCell::new(None) };
}

/// Runs `emit` with docs emitted as marks; gives its tokens and the marks.
pub fn deferring<T>(emit: impl FnOnce() -> T) -> (T, Marks) {
    let outer = OPEN.with(|open| open.replace(Some(Marks::default())));
    let tokens = emit();
    let marks = OPEN.with(|open| open.replace(outer)).unwrap_or_default();
    (tokens, marks)
}

/// A mark for `docs`, when marks are on and prettyplease would print each
/// of its lines as a line comment (none holds a line break).
pub(super) fn mark(docs: &Docs, inner: bool) -> Option<TokenStream> {
    if docs.0.iter().any(|l| l.contains('\n') || l.contains(MARK)) {
        return None;
    }
    OPEN.with(|open| {
        let mut open = open.borrow_mut();
        let marks = open.as_mut()?;
        let text = format!("{MARK}{}", marks.blocks.len());
        marks.blocks.push(Block {
            style: if inner { "//!" } else { "///" },
            lines: docs.0.clone(),
        });
        Some(if inner {
            quote! { #![doc = #text] }
        } else {
            quote! { #[doc = #text] }
        })
    })
}

impl Marks {
    /// `text` with each mark replaced by its lines; `None` when a mark is
    /// not printed as a doc line of its own (in a macro's tokens, say).
    /// A mark may be printed more than once (its tokens were used twice),
    /// or not at all (they were not used).
    pub fn splice(&self, text: String) -> Option<String> {
        if self.blocks.is_empty() {
            return Some(text);
        }
        // A mark among a macro's tokens is printed as an escaped literal.
        if text.contains(ESCAPED) {
            return None;
        }
        let extra: usize = self
            .blocks
            .iter()
            .map(|b| b.lines.iter().map(|l| l.len() + 64).sum::<usize>())
            .sum();
        let mut out = String::with_capacity(text.len() + extra);
        let mut rest = text.as_str();
        while let Some(at) = rest.find(MARK) {
            let line_start = rest[..at].rfind('\n').map_or(0, |n| n + 1);
            let prefix = &rest[line_start..at];
            let line_end = rest[at..].find('\n').map_or(rest.len(), |n| at + n);
            let number: usize = rest[at + MARK.len_utf8()..line_end].parse().ok()?;
            let block = self.blocks.get(number)?;
            let indent = prefix
                .strip_suffix(block.style)
                .filter(|indent| indent.bytes().all(|b| b == b' '))?;
            out.push_str(&rest[..line_start]);
            for (i, line) in block.lines.iter().enumerate() {
                if i > 0 {
                    out.push('\n');
                }
                out.push_str(indent);
                out.push_str(block.style);
                if !line.is_empty() {
                    out.push(' ');
                    out.push_str(line.trim_end_matches(' '));
                }
            }
            rest = &rest[line_end..];
        }
        out.push_str(rest);
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docs(lines: &[&str]) -> Docs {
        Docs(lines.iter().map(|l| (*l).to_owned()).collect())
    }

    /// The tokens of `emit` formatted as the generator does, with marks
    /// and without.
    fn both(emit: impl Fn() -> TokenStream) -> (String, String) {
        let plain = prettyplease::unparse(&syn::parse2(emit()).unwrap());
        let (tokens, marks) = deferring(&emit);
        let marked = prettyplease::unparse(&syn::parse2(tokens).unwrap());
        (plain, marks.splice(marked).expect("every mark is spliced"))
    }

    #[test]
    fn spliced_docs_are_the_docs_prettyplease_prints() {
        let emit = || {
            let module = super::super::inner_docs(&docs(&["The module.", "", "More."]));
            let item = super::super::docs(&docs(&["A `Thing`.", "", "  indented ", "* star"]));
            let field = super::super::docs(&docs(&[
                "The field, a very long line that goes well beyond the width of a line of code so that nothing could fit beside it.",
            ]));
            let variant = super::super::docs(&docs(&["/ slash first", "*/ odd"]));
            quote! {
                #module
                #item
                pub struct Thing {
                    #field
                    pub a: u8,
                }
                pub enum E {
                    #variant
                    A,
                }
                impl Thing {
                    #item
                    pub fn f(&self) {}
                }
            }
        };
        let (plain, spliced) = both(emit);
        assert!(plain.contains("    /// The field, a very long line"));
        assert_eq!(spliced, plain);
    }

    #[test]
    fn a_mark_out_of_place_is_refused() {
        let marks = Marks {
            blocks: vec![Block {
                style: "///",
                lines: vec!["x".into()],
            }],
        };
        assert_eq!(
            marks.splice("///\u{1}0\nfn f() {}\n".into()).as_deref(),
            Some("/// x\nfn f() {}\n")
        );
        // Twice (its tokens used twice), or not at all.
        assert_eq!(
            marks.splice("///\u{1}0\n    ///\u{1}0\n".into()).as_deref(),
            Some("/// x\n    /// x\n")
        );
        assert_eq!(
            marks.splice("fn f() {}\n".into()).as_deref(),
            Some("fn f() {}\n")
        );
        // In a macro's tokens, or after something else: not a doc line.
        assert_eq!(marks.splice("m! { #[doc = \"\\u{1}0\"] }\n".into()), None);
        assert_eq!(marks.splice("let s = \"\u{1}0\";\n".into()), None);
        assert_eq!(marks.splice("//!\u{1}0\n".into()), None);
        // Marks off: docs are attributes.
        assert!(mark(&docs(&["x"]), false).is_none());
    }
}
