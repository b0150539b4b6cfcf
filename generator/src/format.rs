//! Phase 4: tokens → source text.
//!
//! The tokens are parsed with `syn` first: that is the gate that keeps
//! invalid Rust from ever being written. `prettyplease` is the formatter of
//! record; each generated file carries `#![cfg_attr(rustfmt, rustfmt::skip)]`
//! so that `cargo fmt` leaves it alone and the bytes stay the generator's.
//!
//! Parsing and printing are most of the generator's time, so [`format_plans`]
//! emits and formats the parts of every file ([`FilePlan`]) on all the
//! machine's cores, then puts each file together in order. prettyplease
//! prints each top-level item on its own, and each member of an `impl`
//! block at one indentation, so a file printed in parts (the client's
//! methods in parts of their block) is the file printed whole, byte for
//! byte.

use crate::emit::{FilePlan, doc_marks};
use crate::macros::ImplRequest;
use proc_macro2::TokenStream;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Parses and pretty-prints one file, `header` (lines, without `//`) first.
pub fn format_file(tokens: TokenStream, header: &str) -> Result<String, syn::Error> {
    let text = format_items(tokens)?;
    Ok(assemble(header, std::slice::from_ref(&text)))
}

/// A part of a generated file that is not valid Rust: a bug in emission.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the generated `{path}` does not parse as Rust ({message})")]
pub struct FormatError {
    /// The file's path under the crate's root.
    pub path: &'static str,
    /// syn's message.
    pub message: String,
}

/// Emits and formats every file of `files`, `header` first in each, on up
/// to [`threads`] threads. The files come back in the plan's order; the
/// error, if any, is that of the first broken part in that order.
pub fn format_plans(
    files: &[FilePlan<'_>],
    header: &str,
) -> Result<Vec<(&'static str, String)>, FormatError> {
    // A job is one part of a file: its items, or some members of the
    // `impl` block that ends it.
    let count = |file: &FilePlan<'_>| {
        file.parts.len() + file.last_impl.as_ref().map_or(0, |last| last.members.len())
    };
    // Files of one part first: the largest of them would otherwise be the
    // last job and leave the other threads idle.
    let mut jobs: Vec<(usize, usize)> = files
        .iter()
        .enumerate()
        .flat_map(|(f, file)| (0..count(file)).map(move |p| (f, p)))
        .collect();
    jobs.sort_by_key(|&(f, p)| (count(&files[f]) > 1, f, p));
    let done: Vec<OnceLock<Result<String, String>>> =
        jobs.iter().map(|_| OnceLock::new()).collect();
    let next = AtomicUsize::new(0);
    let work = || loop {
        let job = next.fetch_add(1, Ordering::Relaxed);
        let Some(&(f, p)) = jobs.get(job) else { break };
        let file = &files[f];
        let member = p.checked_sub(file.parts.len()).zip(file.last_impl.as_ref());
        let emit = || match member {
            Some((m, last)) => last.wrap((last.members[m])()),
            None => (file.parts[p])(),
        };
        // Docs as marks, spliced in after printing; a part whose marks
        // cannot all be spliced is formatted again with its docs in place.
        let (tokens, marks) = doc_marks::deferring(emit);
        let text = format_items(tokens).and_then(|text| match marks.splice(text) {
            Some(text) => Ok(text),
            None => format_items(emit()),
        });
        let text = match member {
            Some(_) => text.map(|text| members_of(&text)),
            None => text,
        };
        let _ = done[job].set(text.map_err(|e| e.to_string()));
    };
    let threads = threads().min(jobs.len());
    if threads > 1 {
        // A panic on a worker is the scope's panic, here, once all have ended.
        std::thread::scope(|scope| {
            for _ in 1..threads {
                let spawned = std::thread::Builder::new()
                    .stack_size(THREAD_STACK)
                    .spawn_scoped(scope, work);
                // Fewer threads than cores (a process limit) only means
                // those there are take more parts.
                if spawned.is_err() {
                    break;
                }
            }
            work();
        });
    } else {
        work();
    }

    let mut texts: Vec<Vec<String>> = files
        .iter()
        .map(|f| vec![String::new(); count(f)])
        .collect();
    for (&(f, p), slot) in jobs.iter().zip(done) {
        match slot.into_inner() {
            Some(Ok(text)) => texts[f][p] = text,
            Some(Err(message)) => {
                return Err(FormatError {
                    path: files[f].path,
                    message,
                });
            }
            None => unreachable!("every job is done once the threads have ended"),
        }
    }
    Ok(files
        .iter()
        .zip(texts)
        .map(|(file, mut parts)| {
            if let Some(last) = &file.last_impl {
                // The block is printed as prettyplease prints one: its
                // first line, its members indented, its closing brace.
                let members = parts.split_off(file.parts.len());
                parts.push(format!("impl {} {{\n", last.self_ty));
                parts.extend(members);
                parts.push("}\n".to_owned());
            }
            (file.path, assemble(header, &parts))
        })
        .collect())
}

/// The members of a printed `impl` block, without its first and last line.
fn members_of(block: &str) -> String {
    let body = block.split_once('\n').map_or("", |(_, rest)| rest);
    body.strip_suffix("}\n").unwrap_or(body).to_owned()
}

/// The stack of each thread the generator starts: a main thread's. A
/// deeply nested document makes deeply nested types and tokens, and syn and
/// prettyplease recurse over them; the generator must need no more stack on
/// its own threads than on the caller's.
pub const THREAD_STACK: usize = 8 << 20;

/// How many threads [`format_plans`] uses: the machine's cores, up to 8.
/// Load and lowering ask too; the answer is read once (on Linux it is read
/// from the cgroup's files).
pub fn threads() -> usize {
    static THREADS: OnceLock<usize> = OnceLock::new();
    *THREADS.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get().min(8)))
}

/// Parses and pretty-prints some items (and inner attributes).
/// `impl_request!` invocations are printed by [`ImplRequest::print`],
/// `macro_rules!` definitions by [`crate::macros::Definitions`], the rest
/// by prettyplease, a run of items at a time.
fn format_items(tokens: TokenStream) -> Result<String, syn::Error> {
    let mut file: syn::File = syn::parse2(tokens)?;
    let definitions = crate::macros::Definitions::set_aside(&mut file.items);
    Ok(definitions.put_back(print_items(file)))
}

/// Prints `file`: its `impl_request!` invocations by
/// [`ImplRequest::print`], the rest by prettyplease.
fn print_items(mut file: syn::File) -> String {
    let items = std::mem::take(&mut file.items);
    let invocations: Vec<Option<ImplRequest>> = items.iter().map(ImplRequest::of).collect();
    if invocations.iter().all(Option::is_none) {
        file.items = items;
        return prettyplease::unparse(&file);
    }
    let mut text = String::new();
    // `file` prints the inner attributes and the items before the first
    // invocation, then each run of items between invocations.
    let mut run = file;
    for (item, invocation) in items.into_iter().zip(invocations) {
        match invocation {
            Some(invocation) => {
                if !run.items.is_empty() || !run.attrs.is_empty() {
                    text.push_str(&prettyplease::unparse(&run));
                    run.items.clear();
                    run.attrs.clear();
                }
                text.push_str(&invocation.print());
            }
            None => run.items.push(item),
        }
    }
    if !run.items.is_empty() || !run.attrs.is_empty() {
        text.push_str(&prettyplease::unparse(&run));
    }
    text
}

/// The file: `header` as `//` lines, then the printed parts, one after
/// the other, spaced. The parts are read where they are: for GitHub's
/// largest file, joining them first and then spacing were two more copies
/// of 1.6 MB each.
fn assemble(header: &str, parts: &[String]) -> String {
    let printed: usize = parts.iter().map(String::len).sum();
    let mut text = String::with_capacity(header.len() * 2 + printed + printed / 16);
    for line in header.lines() {
        text.push_str("// ");
        text.push_str(line);
        text.push('\n');
    }
    // Parts whose lines are all whole are read a part at a time.
    if parts
        .iter()
        .all(|part| part.is_empty() || part.ends_with('\n'))
    {
        space_items(parts.iter().flat_map(|part| part.lines()), &mut text);
    } else {
        space_items(parts.concat().lines(), &mut text);
    }
    text
}

/// prettyplease puts items right under each other; a blank line between
/// two items at the same depth (after a closing brace or a semicolon, before
/// docs, attributes or a new item) makes the file read like hand-written Rust.
fn space_items<'a>(lines: impl Iterator<Item = &'a str>, out: &mut String) {
    const ITEM_STARTS: &[&str] = &[
        "///",
        "#[",
        "pub ",
        "pub(",
        "impl",
        "fn ",
        "async fn",
        "enum ",
        "struct ",
        "const ",
        "type ",
        "mod ",
        "use ",
        "crate::support::impl_",
    ];
    let mut previous: Option<&str> = None;
    for line in lines {
        if let Some(prev) = previous {
            let indent = |l: &str| l.len() - l.trim_start().len();
            let (p, l) = (prev.trim_start(), line.trim_start());
            let ends_item = (p == "}" || p == "};" || p.ends_with(';') || p.ends_with(" {}"))
                && !p.starts_with("//");
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
}
