//! A string that a schema's `pattern` matches, built from the regular
//! expression's syntax tree: the first branch of each alternation, the
//! fewest repetitions each allows, and of each class a letter or a digit
//! where it has one. Deterministic and small; the caller judges the
//! result against the whole schema (lengths, formats), as for any value.
//! Patterns `regex-syntax` cannot read (look-arounds, back-references)
//! give nothing.

use regex_syntax::hir::{Class, Hir, HirKind};

/// How deep a pattern's syntax tree is walked.
const MAX_DEPTH: usize = 64;
/// The longest string built.
const MAX_LENGTH: usize = 10_000;

/// A string `pattern` matches, when one can be built.
pub(crate) fn matching(pattern: &str) -> Option<String> {
    let hir = regex_syntax::ParserBuilder::new()
        .build()
        .parse(pattern)
        .ok()?;
    let mut out = String::new();
    write(&hir, &mut out, 0)?;
    Some(out)
}

/// Appends to `out` what `hir` matches.
fn write(hir: &Hir, out: &mut String, depth: usize) -> Option<()> {
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
            for _ in 0..repetition.min {
                write(&repetition.sub, out, depth + 1)?;
            }
        }
        HirKind::Capture(capture) => write(&capture.sub, out, depth + 1)?,
        HirKind::Concat(parts) => {
            for part in parts {
                write(part, out, depth + 1)?;
            }
        }
        HirKind::Alternation(branches) => write(branches.first()?, out, depth + 1)?,
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
        ] {
            let text = matching(pattern).unwrap_or_else(|| panic!("{pattern}"));
            assert!(
                boon_like_match(pattern, &text),
                "{text:?} does not match {pattern}"
            );
        }
        assert_eq!(matching(r"^(?:top|bottom)$").as_deref(), Some("top"));
        assert_eq!(matching(r"^[0-9]{1,5}$").as_deref(), Some("0"));
        // A look-around is not read.
        assert_eq!(matching(r"^(?!a)b$"), None);
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
