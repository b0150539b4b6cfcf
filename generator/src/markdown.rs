//! Part of lowering: making the document's Markdown safe as rustdoc.
//!
//! Descriptions are written for web pages, not for rustdoc, which reads
//! them more strictly: `[Policy]` is an intra-doc link to a type that does
//! not exist, `<owner>` an unclosed HTML tag, `https://...` a bare URL, and
//! a code block without a language a Rust doctest that `cargo test` would
//! compile (a JavaScript example in GitHub's document, for one). Each of
//! these is rewritten so that it renders the same and rustdoc, with
//! warnings denied, and `cargo test` accept it.

/// The info strings that make rustdoc treat a code block as Rust.
const RUST_INFO: &[&str] = &[
    "rust",
    "ignore",
    "no_run",
    "should_panic",
    "compile_fail",
    "edition2015",
    "edition2018",
    "edition2021",
    "edition2024",
];

/// Rewrites `text` as described in the module docs.
pub fn rustdoc(text: &str) -> String {
    let text = expand_tabs(text);
    let mut out = Vec::new();
    // The open fence: its run of backticks or tildes, and its indentation.
    let mut fence: Option<(&str, usize)> = None;
    // The indentation an indented code block strips, while in one, and the
    // indentation its fence is written at.
    let mut indented_code: Option<(usize, usize)> = None;
    // The column a list item's text starts at, while in one (indented lines
    // after a blank one continue it rather than start a code block).
    let mut item: Option<usize> = None;
    // The quote markers of the previous line, when it was in a block quote.
    let mut quote: Option<String> = None;
    let mut previous_blank = true;
    for line in text.lines() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if let Some((marker, open_indent)) = fence {
            let fence_char = marker.chars().next().unwrap_or('`');
            if indent < open_indent + 4
                && trimmed.starts_with(marker)
                && trimmed.trim_start_matches(fence_char).trim().is_empty()
            {
                fence = None;
            }
            out.push(line.to_owned());
            continue;
        }
        if let Some((strip, at)) = indented_code {
            if trimmed.is_empty() || indent >= strip {
                let code = line.get(strip..).unwrap_or("");
                out.push(if code.is_empty() {
                    String::new()
                } else {
                    format!("{}{code}", " ".repeat(at))
                });
                continue;
            }
            // Blank lines before the end belong after the closing fence.
            let mut blanks = 0;
            while out.last().is_some_and(|l: &String| l.trim().is_empty()) {
                out.pop();
                blanks += 1;
            }
            out.push(format!("{}```", " ".repeat(at)));
            out.extend(std::iter::repeat_n(String::new(), blanks));
            indented_code = None;
        }
        if trimmed.is_empty() {
            out.push(String::new());
            previous_blank = true;
            quote = None;
            continue;
        }
        // Where the text of the block the line is in starts.
        let base = item.unwrap_or(0);
        if previous_blank && indent >= base + 4 {
            let at = item.unwrap_or(0);
            out.push(format!("{}```text", " ".repeat(at)));
            // (Leading white space other than spaces may be wider than a byte.)
            let code = line.get(base + 4..).unwrap_or(trimmed);
            out.push(format!("{}{code}", " ".repeat(at)));
            indented_code = Some((base + 4, at));
            continue;
        }
        let fence_run = ["```", "~~~"]
            .iter()
            .find(|m| trimmed.starts_with(**m))
            .map(|m| {
                let c = m.as_bytes()[0] as char;
                &trimmed[..trimmed.len() - trimmed.trim_start_matches(c).len()]
            });
        // A fence indented four or more (past a list item's text) is text;
        // so is a run of backticks with a backtick after it on the line
        // (```json {...} ``` is a code span).
        let fence_run = fence_run.filter(|run| {
            indent < base + 4 && !(run.starts_with('`') && trimmed[run.len()..].contains('`'))
        });
        if let Some(run) = fence_run {
            let info = trimmed[run.len()..].trim();
            let is_rust = info.is_empty()
                || info
                    .split([',', ' '])
                    .any(|word| RUST_INFO.contains(&word.trim()));
            fence = Some((run, indent));
            out.push(if is_rust {
                format!("{}{run}text", &line[..indent])
            } else {
                line.to_owned()
            });
            previous_blank = false;
            quote = None;
            continue;
        }
        let marker = crate::ir::list_marker_width(trimmed);
        let mut line = line.to_owned();
        if let Some(width) = marker {
            item = Some(indent + width);
        } else if previous_blank && item.is_some_and(|column| indent < column) {
            item = None;
        } else if let Some(column) = item.filter(|&c| !previous_blank && indent > c) {
            // A list item's text that goes on indented past where it starts
            // reads the same at its start (clippy: over-indented).
            line = format!("{}{trimmed}", " ".repeat(column));
        }
        // A paragraph that goes on after a quote's line without its `>` is
        // still in the quote ("lazy"): the markers are written out.
        let starts_block = marker.is_some()
            || trimmed.starts_with(['#', '<', '|'])
            || fence_run.is_some()
            || indent >= 4;
        match (&quote, trimmed.starts_with('>')) {
            (_, true) if indent < 4 => {
                let markers = trimmed.len() - trimmed.trim_start_matches(['>', ' ']).len();
                quote = Some(format!(
                    "{}{}",
                    &line[..indent],
                    trimmed[..markers].trim_end()
                ));
            }
            (Some(markers), false) if !starts_block => {
                line = format!("{markers} {trimmed}");
            }
            _ => quote = None,
        }
        previous_blank = false;
        out.push(inline(&line));
    }
    if let Some((_, at)) = indented_code {
        out.push(format!("{}```", " ".repeat(at)));
    }
    out.join("\n")
}

/// Replaces tabs with spaces, to the next multiple of four columns: clippy
/// objects to tabs in docs, and Markdown reads them as such stops.
fn expand_tabs(text: &str) -> String {
    if !text.contains('\t') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut column = 0;
    for c in text.chars() {
        match c {
            '\t' => {
                let spaces = 4 - column % 4;
                out.extend(std::iter::repeat_n(' ', spaces));
                column += spaces;
            }
            '\n' => {
                out.push(c);
                column = 0;
            }
            _ => {
                out.push(c);
                column += 1;
            }
        }
    }
    out
}

/// Rewrites one line outside code: brackets that are not links, HTML-like
/// tags, and bare URLs.
fn inline(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len() + 8);
    // The length of the backtick run that opened the code span the text
    // is in, if any.
    let mut code_run: Option<usize> = None;
    let mut close_at: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '`' => {
                // A run of backticks opens a code span only if a run of the
                // same length closes it; otherwise it is text. Inside a
                // span, runs of other lengths are code.
                let run = chars[i..].iter().take_while(|&&c| c == '`').count();
                match code_run {
                    Some(open) if open == run => code_run = None,
                    Some(_) => {}
                    None => {
                        let rest = &chars[i + run..];
                        let mut j = 0;
                        while j < rest.len() {
                            let n = rest[j..].iter().take_while(|&&c| c == '`').count();
                            if n == run {
                                code_run = Some(run);
                                break;
                            }
                            j += n.max(1);
                        }
                    }
                }
                out.extend(&chars[i..i + run]);
                i += run;
                continue;
            }
            _ if code_run.is_some() => out.push(c),
            '\\' => {
                out.push(c);
                if let Some(&next) = chars.get(i + 1) {
                    out.push(next);
                    i += 1;
                }
            }
            '[' => {
                let close = chars[i + 1..]
                    .iter()
                    .position(|&c| c == ']')
                    .map(|p| i + 1 + p);
                let is_link = close.is_some_and(|end| {
                    matches!(chars.get(end + 1), Some('(' | '['))
                        || (i == 0 && chars.get(end + 1) == Some(&':'))
                });
                // A link to a Rust path (`[Disk](omicron::Disk)`) is an
                // intra-doc link into a crate that is not here: keep its text.
                let target = close
                    .filter(|&end| chars.get(end + 1) == Some(&'('))
                    .and_then(|end| {
                        let len = chars[end + 2..].iter().position(|&c| c == ')')?;
                        Some((
                            end,
                            chars[end + 2..end + 2 + len].iter().collect::<String>(),
                            len,
                        ))
                    });
                if let Some((end, target, len)) = target.filter(|(_, t, _)| !is_url_like(t)) {
                    debug_assert!(!target.contains(')'));
                    out.push_str(&inline(&chars[i + 1..end].iter().collect::<String>()));
                    i = end + 2 + len + 1;
                    continue;
                }
                // Without a `]` on this line, it may be a link that goes on
                // to the next: left as it is.
                if is_link || close.is_none() {
                    out.push(c);
                } else {
                    out.push_str("\\[");
                    close_at.extend(close);
                }
            }
            ']' if close_at.contains(&i) => out.push_str("\\]"),
            '<' => {
                let rest: String = chars[i + 1..].iter().collect();
                let autolink = ["http://", "https://", "mailto:"]
                    .iter()
                    .any(|p| rest.starts_with(p))
                    && rest.contains('>');
                if autolink {
                    let end = rest.find('>').unwrap_or(0);
                    out.push('<');
                    out.push_str(&rest[..=end]);
                    i += rest[..=end].chars().count() + 1;
                    continue;
                }
                if chars
                    .get(i + 1)
                    .is_some_and(|n| n.is_ascii_alphabetic() || matches!(n, '/' | '!'))
                {
                    out.push_str("&lt;");
                } else {
                    out.push(c);
                }
            }
            'h' if starts_url(&chars[i..]) && !is_link_target(&chars, i) => {
                // A URL ends at white space, and at characters no URL
                // holds unescaped (`<span>` after `https://`, the quote
                // around an `href`).
                let quoted = i.checked_sub(1).map(|p| chars[p]);
                let end = chars[i..]
                    .iter()
                    .position(|&c| {
                        c.is_whitespace()
                            || matches!(c, '<' | '>' | '"' | '`')
                            || (c == '\'' && quoted == Some('\''))
                    })
                    .map_or(chars.len(), |p| i + p);
                let mut url_end = end;
                while url_end > i
                    && matches!(
                        chars[url_end - 1],
                        '.' | ',' | ';' | ':' | '!' | '?' | ')' | '\'' | '"'
                    )
                {
                    url_end -= 1;
                }
                // `https://` and nothing more is no link.
                let bare = chars[i..url_end].iter().collect::<String>();
                if bare.ends_with("//") {
                    out.push_str(&bare);
                } else {
                    out.push('<');
                    out.push_str(&bare);
                    out.push('>');
                }
                out.extend(&chars[url_end..end]);
                i = end;
                continue;
            }
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

/// Whether a link target is a URL or a path on the web (rather than a Rust
/// path, which rustdoc would try to resolve).
fn is_url_like(target: &str) -> bool {
    let target = target.trim();
    target.contains("://")
        || target.starts_with(['/', '#', '.'])
        || target.starts_with("mailto:")
        || target.is_empty()
}

fn starts_url(chars: &[char]) -> bool {
    let head: String = chars.iter().take(8).collect();
    head.starts_with("http://") || head.starts_with("https://")
}

/// Whether the URL at `i` is already a link's target (`](url)`) or inside
/// a word.
fn is_link_target(chars: &[char], i: usize) -> bool {
    match i.checked_sub(1).map(|p| chars[p]) {
        None => false,
        Some('(') => i >= 2 && chars[i - 2] == ']',
        Some(c) => !c.is_whitespace() && c != '"' && c != '\'',
    }
}

#[cfg(test)]
mod tests {
    use super::rustdoc;

    #[test]
    fn escapes_brackets_that_are_not_links() {
        assert_eq!(
            rustdoc("See [`Policy`] and [0]."),
            "See \\[`Policy`\\] and \\[0\\]."
        );
        assert_eq!(
            rustdoc("A [link](https://x.dev) stays."),
            "A [link](https://x.dev) stays."
        );
        assert_eq!(rustdoc("`[in code]` stays"), "`[in code]` stays");
        assert_eq!(
            rustdoc("a [`Disk`](omicron::api::Disk) here"),
            "a `Disk` here"
        );
        assert_eq!(rustdoc("[docs](/rest/x#y)"), "[docs](/rest/x#y)");
    }

    #[test]
    fn tags_and_bare_urls() {
        assert_eq!(rustdoc("GET /repos/<owner>"), "GET /repos/&lt;owner>");
        assert_eq!(rustdoc("a < b"), "a < b");
        assert_eq!(rustdoc("See https://x.dev/a."), "See <https://x.dev/a>.");
        assert_eq!(rustdoc("(https://x.dev)"), "(<https://x.dev>)");
        assert_eq!(rustdoc("<https://x.dev>"), "<https://x.dev>");
    }

    #[test]
    fn tabs_become_spaces() {
        assert_eq!(rustdoc("a\tb"), "a   b");
        assert_eq!(
            rustdoc("```json\n{\n\t\"a\": 1\n}\n```"),
            "```json\n{\n    \"a\": 1\n}\n```"
        );
        assert_eq!(rustdoc("| x\t|"), "| x |");
    }

    #[test]
    fn over_indented_list_text_is_aligned_with_its_item() {
        assert_eq!(
            rustdoc("* `link` -- a link. The\n    file is its target.\n* next"),
            "* `link` -- a link. The\n  file is its target.\n* next"
        );
        assert_eq!(rustdoc("1. one\n      two"), "1. one\n   two");
        // A nested item is an item, not over-indented text.
        assert_eq!(rustdoc("- a\n    - b"), "- a\n    - b");
    }

    #[test]
    fn lazy_quote_lines_get_their_markers() {
        assert_eq!(
            rustdoc("> `a:eq:b`\nGet all a.\n\nAfter."),
            "> `a:eq:b`\n> Get all a.\n\nAfter."
        );
        assert_eq!(rustdoc("> > deep\nmore"), "> > deep\n> > more");
        // A block that interrupts the quote is not pulled into it.
        assert_eq!(rustdoc("> q\n- item"), "> q\n- item");
    }

    #[test]
    fn urls_end_where_no_url_goes_on() {
        assert_eq!(
            rustdoc("<a href='http://x.org/c.htm'>more</a>"),
            "&lt;a href='<http://x.org/c.htm>'>more&lt;/a>"
        );
        assert_eq!(
            rustdoc("POST http://x.org/r/<owner>/<repo>/"),
            "POST <http://x.org/r/>&lt;owner>/&lt;repo>/"
        );
        assert_eq!(
            rustdoc("Example: https://<span style=\"c\">b</span>.s3"),
            "Example: https://&lt;span style=\"c\">b&lt;/span>.s3"
        );
        assert_eq!(
            rustdoc("\"next\": \"https://x.org/a?b=1&c=2\""),
            "\"next\": \"<https://x.org/a?b=1&c=2>\""
        );
    }

    #[test]
    fn an_unmatched_backtick_does_not_hide_the_rest_of_the_line() {
        assert_eq!(rustdoc("it`s [x] here"), "it`s \\[x\\] here");
        assert_eq!(rustdoc("``a`b`` [x]"), "``a`b`` \\[x\\]");
        assert_eq!(rustdoc("`[x]` and `y`"), "`[x]` and `y`");
        // Shorter runs inside a longer span are code, not its end.
        assert_eq!(
            rustdoc("```json {\"a\": \"`go` [x]\"} ``` </details>"),
            "```json {\"a\": \"`go` [x]\"} ``` &lt;/details>"
        );
    }

    #[test]
    fn fences_indented_past_a_paragraph_are_code_not_fences() {
        // A docstring's body indented under its first line: after a blank
        // line it is an indented code block, whose ``` lines are code.
        assert_eq!(
            rustdoc("Lists.\n        More.\n\n        ```\n        $ curl x\n        ```\n\nEnd."),
            "Lists.\n        More.\n\n```text\n    ```\n    $ curl x\n    ```\n```\n\nEnd."
        );
        // Code indented inside a list item stays inside it.
        assert_eq!(
            rustdoc("- item\n\n      let x;\n\n- next"),
            "- item\n\n  ```text\n  let x;\n  ```\n\n- next"
        );
        // A fence inside a list item is a fence.
        assert_eq!(
            rustdoc("- item\n\n  ```\n  let x;\n  ```"),
            "- item\n\n  ```text\n  let x;\n  ```"
        );
    }

    #[test]
    fn wide_white_space_does_not_split_a_character() {
        // U+3000 is white space three bytes wide.
        let text = "a\n\n\u{3000}\u{3000}x\n\n\u{3000}\u{3000}```\ny";
        assert!(rustdoc(text).contains('x'));
    }

    #[test]
    fn code_blocks_are_not_doctests() {
        assert_eq!(rustdoc("```\nlet x;\n```"), "```text\nlet x;\n```");
        assert_eq!(rustdoc("```json\n{}\n```"), "```json\n{}\n```");
        assert_eq!(
            rustdoc("Example:\n\n    const x = 1;\n    x;\n\nAfter."),
            "Example:\n\n```text\nconst x = 1;\nx;\n```\n\nAfter."
        );
        assert_eq!(
            rustdoc("- item\n\n    more of it"),
            "- item\n\n    more of it"
        );
    }
}
