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
    let mut out = Vec::new();
    let mut fence: Option<&str> = None;
    let mut indented_code = false;
    // Whether the last non-blank line belongs to a list (so indented lines
    // after a blank one continue it rather than start a code block).
    let mut in_list = false;
    let mut previous_blank = true;
    for line in text.lines() {
        let trimmed = line.trim_start();
        let indent = &line[..line.len() - trimmed.len()];
        if let Some(marker) = fence {
            if trimmed.starts_with(marker) {
                fence = None;
            }
            out.push(line.to_owned());
            continue;
        }
        if indented_code {
            if trimmed.is_empty() || indent.len() >= 4 {
                out.push(line.get(4..).unwrap_or("").to_owned());
                continue;
            }
            // Blank lines before the end belong after the closing fence.
            let mut blanks = 0;
            while out.last().is_some_and(|l: &String| l.trim().is_empty()) {
                out.pop();
                blanks += 1;
            }
            out.push("```".to_owned());
            out.extend(std::iter::repeat_n(String::new(), blanks));
            indented_code = false;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            let marker = &trimmed[..3];
            let info = trimmed.trim_start_matches(&marker[..1]).trim();
            let is_rust = info.is_empty()
                || info
                    .split([',', ' '])
                    .any(|word| RUST_INFO.contains(&word.trim()));
            fence = Some(marker);
            out.push(if is_rust {
                format!("{indent}{marker}text")
            } else {
                line.to_owned()
            });
            previous_blank = false;
            continue;
        }
        if trimmed.is_empty() {
            out.push(String::new());
            previous_blank = true;
            continue;
        }
        if indent.len() >= 4 && previous_blank && !in_list {
            out.push("```text".to_owned());
            out.push(line[4..].to_owned());
            indented_code = true;
            continue;
        }
        if crate::ir::list_marker_width(trimmed).is_some() {
            in_list = true;
        } else if indent.is_empty() {
            in_list = false;
        }
        previous_blank = false;
        out.push(inline(line));
    }
    if indented_code {
        out.push("```".to_owned());
    }
    out.join("\n")
}

/// Rewrites one line outside code: brackets that are not links, HTML-like
/// tags, and bare URLs.
fn inline(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len() + 8);
    let mut in_code = false;
    let mut close_at: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '`' => {
                in_code = !in_code;
                out.push(c);
            }
            _ if in_code => out.push(c),
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
                let end = chars[i..]
                    .iter()
                    .position(|c| c.is_whitespace())
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
                out.push('<');
                out.extend(&chars[i..url_end]);
                out.push('>');
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
