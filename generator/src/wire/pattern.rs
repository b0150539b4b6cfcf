//! A string that a schema's `pattern` matches, built from the regular
//! expression's syntax tree: the first branch of each alternation, the
//! fewest repetitions each allows, and of each class a letter or a digit
//! where it has one. Deterministic and small; the caller judges the
//! result against the whole schema (lengths, formats), as for any value.
//! A look-around (`(?!…)`, `(?=…)`, `(?<=…)`, `(?<!…)`), which
//! `regex-syntax` cannot read, is left out of the tree the string is built
//! from: what it asks of the string is judged by the validator, which reads
//! the whole pattern. Patterns it still cannot read (back-references)
//! give nothing.

use regex_syntax::hir::{Class, Hir, HirKind};

/// How deep a pattern's syntax tree is walked.
const MAX_DEPTH: usize = 64;
/// The longest string built.
const MAX_LENGTH: usize = 10_000;
/// The most repetitions added to each beyond its fewest, to reach a
/// `minLength`.
const MAX_EXTRA: usize = 1_000;

/// A string `pattern` matches, when one can be built.
#[cfg(test)]
pub(crate) fn matching(pattern: &str) -> Option<String> {
    matching_within(pattern, 0, usize::MAX)
}

/// A string `pattern` matches of `min` to `max` characters (a schema's
/// `minLength` and `maxLength`), when one can be built: each repetition
/// taken as few times as it allows, then, while the string is too short,
/// as many more times as it takes (GitHub's `commit_sha`, `[0-9a-f]+` of
/// 40 characters).
pub(crate) fn matching_within(pattern: &str, min: usize, max: usize) -> Option<String> {
    let hir = regex_syntax::ParserBuilder::new()
        .build()
        .parse(&without_look_arounds(pattern))
        .ok()?;
    let mut shortest = None;
    for extra in 0..=min.min(MAX_EXTRA) {
        let mut out = String::new();
        write(&hir, &mut out, 0, extra)?;
        let length = out.chars().count();
        if (min..=max).contains(&length) {
            return Some(out);
        }
        if length > max {
            break;
        }
        shortest.get_or_insert(out);
    }
    // The caller judges it against the lengths, and tries another value.
    shortest
}

/// `pattern` with its look-around groups taken out, escapes and character
/// classes read so that a `(` in them is not taken for a group.
pub(crate) fn without_look_arounds(pattern: &str) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len());
    let mut i = 0;
    while i < chars.len() {
        let rest = &chars[i..];
        let look = [
            &['(', '?', '='][..],
            &['(', '?', '!'],
            &['(', '?', '<', '='],
            &['(', '?', '<', '!'],
        ]
        .iter()
        .any(|opening| rest.starts_with(opening));
        if look {
            i = after_group(&chars, i);
            continue;
        }
        match chars[i] {
            '\\' => {
                out.extend(&chars[i..(i + 2).min(chars.len())]);
                i += 2;
            }
            '[' => {
                let end = after_class(&chars, i);
                out.extend(&chars[i..end]);
                i = end;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// The index just after the group that opens at `start`.
fn after_group(chars: &[char], start: usize) -> usize {
    let mut depth = 0usize;
    let mut i = start;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 1,
            '[' => {
                i = after_class(chars, i);
                continue;
            }
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    chars.len()
}

/// The index just after the character class that opens at `start`
/// (`[]a]` and `[^]a]` hold a `]`).
fn after_class(chars: &[char], start: usize) -> usize {
    let mut i = start + 1;
    if chars.get(i) == Some(&'^') {
        i += 1;
    }
    if chars.get(i) == Some(&']') {
        i += 1;
    }
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 1,
            ']' => return i + 1,
            _ => {}
        }
        i += 1;
    }
    chars.len()
}

/// Appends to `out` what `hir` matches, each repetition taken `extra`
/// more times than its fewest where it allows.
fn write(hir: &Hir, out: &mut String, depth: usize, extra: usize) -> Option<()> {
    if depth > MAX_DEPTH || out.len() > MAX_LENGTH {
        return None;
    }
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(literal) => out.push_str(std::str::from_utf8(&literal.0).ok()?),
        HirKind::Class(Class::Unicode(class)) => {
            let ranges: Vec<(char, char)> = class
                .ranges()
                .iter()
                .map(|r| (r.start(), r.end()))
                .collect();
            out.push(pick(&ranges)?);
        }
        HirKind::Class(Class::Bytes(class)) => {
            let ranges: Vec<(char, char)> = class
                .ranges()
                .iter()
                .filter(|r| r.start().is_ascii())
                .map(|r| (char::from(r.start()), char::from(r.end().min(0x7f))))
                .collect();
            out.push(pick(&ranges)?);
        }
        HirKind::Repetition(repetition) => {
            let fewest = repetition.min as usize;
            let most = repetition.max.map_or(usize::MAX, |m| m as usize);
            for _ in 0..fewest.saturating_add(extra).min(most) {
                write(&repetition.sub, out, depth + 1, extra)?;
            }
        }
        HirKind::Capture(capture) => write(&capture.sub, out, depth + 1, extra)?,
        HirKind::Concat(parts) => {
            for part in parts {
                write(part, out, depth + 1, extra)?;
            }
        }
        HirKind::Alternation(branches) => write(branches.first()?, out, depth + 1, extra)?,
    }
    Some(())
}

/// A character of the ranges: `a`, `0` or `A` when one is in them, else
/// the first that is not a control character.
fn pick(ranges: &[(char, char)]) -> Option<char> {
    let within = |c: char| ranges.iter().any(|(lo, hi)| (*lo..=*hi).contains(&c));
    ['a', '0', 'A', '-', '_']
        .into_iter()
        .find(|c| within(*c))
        .or_else(|| {
            ranges
                .iter()
                .flat_map(|(lo, hi)| (*lo..=*hi).take(256))
                .find(|c| !c.is_control() && !c.is_whitespace())
        })
}

#[cfg(test)]
mod tests {
    use super::matching;

    #[test]
    fn a_string_the_pattern_matches_is_built() {
        for pattern in [
            r"^(?:top|bottom|after:\d+)$",
            r"arn:aws(-[a-z]+(-[a-z]+)?)?:health:[^:]*:[^:]*:event(?:/[\w-]+){3}",
            r"^([fF][dD])[0-9a-fA-F]{2}:(([0-9a-fA-F]{1,4}:){6}[0-9a-fA-F]{1,4}|([0-9a-fA-F]{1,4}:){1,6}:)\/([1-9]|[1-9][0-9]|1[0-1][0-9]|12[0-8])$",
            r"^[0-9]{1,5}(-[0-9]{1,5})?$",
            r"^\S+@\S+$",
            // Nexus's `Name`: no UUID, by a look-ahead.
            r"^(?![0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$)^[a-z][a-z0-9-]*[a-zA-Z0-9]$",
            r"^(?<!x)[(](?=[)])[)]$",
            r"^[\](?!]+(?:a|b)$",
        ] {
            let text = matching(pattern).unwrap_or_else(|| panic!("{pattern}"));
            assert!(
                boon_like_match(pattern, &text),
                "{text:?} does not match {pattern}"
            );
        }
        assert_eq!(matching(r"^(?:top|bottom)$").as_deref(), Some("top"));
        assert_eq!(matching(r"^[0-9]{1,5}$").as_deref(), Some("0"));
        // Lengths: repetitions grow to reach `minLength`, within their own
        // bounds.
        let sha = super::matching_within(r"^[0-9a-f]+$", 40, 40).unwrap();
        assert_eq!(sha.len(), 40, "{sha}");
        assert_eq!(
            super::matching_within(r"^x[0-9]{1,5}$", 3, 10).as_deref(),
            Some("x00")
        );
        assert_eq!(
            super::matching_within(r"^x[0-9]{1,2}$", 5, 10).as_deref(),
            Some("x0"),
            "the longest it allows is too short: the caller judges"
        );
        // A look-around is left to the validator; a back-reference is not
        // read.
        assert_eq!(matching(r"^(?!a)b$").as_deref(), Some("b"));
        assert_eq!(matching(r"(a)\1"), None);
    }

    /// Whether `text` matches `pattern`, as the validator would judge it.
    fn boon_like_match(pattern: &str, text: &str) -> bool {
        let document = serde_json::json!({"components": {"schemas": {"S": {"type": "string", "pattern": pattern}}}});
        let mut validator = crate::wire::Validator::new(document);
        validator
            .violation(
                "#/components/schemas/S",
                &serde_json::Value::String(text.into()),
            )
            .is_none()
    }
}
