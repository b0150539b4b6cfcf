//! Which generated enums clippy's `enum_variant_names` would object to.
//!
//! Variant names come from the API's wire values, so they are not renamed;
//! the enums whose names the rule matches carry an `allow` instead, and no
//! other does. The rule, as clippy states it (default threshold: 3 variants):
//! an enum is linted when every variant's name shares a leading or trailing
//! camel-case word with the others, or when a variant's name starts or ends
//! with the enum's own name. Clippy skips exported enums unless
//! `avoid-breaking-exported-api` is turned off; the `allow` is written on
//! every enum whose names match, so the crate is clean either way.

use proc_macro2::TokenStream;
use quote::quote;

/// Clippy's default `enum-variant-name-threshold`.
const THRESHOLD: usize = 3;

/// A variant, as the rule sees it: its name, and for a tuple variant with
/// one field of a named type (`Foo(crate::Foo)`), that type's last path
/// segment (a variant named like its payload's type is not linted for
/// repeating the enum's name).
pub(super) struct Variant<'a> {
    pub name: &'a str,
    pub payload: Option<&'a str>,
}

/// `#[allow(clippy::enum_variant_names)]` when the rule matches these
/// variants of the enum `name`, nothing otherwise.
pub(super) fn allow_variant_names(name: &str, variants: &[Variant<'_>]) -> Option<TokenStream> {
    // The variant names are the API's own values (a `reason` needs Rust
    // 1.81, past the crate's `rust-version`).
    matches_rule(name, variants).then(|| quote! { #[allow(clippy::enum_variant_names)] })
}

fn matches_rule(name: &str, variants: &[Variant<'_>]) -> bool {
    if variants.len() < THRESHOLD {
        return false;
    }
    let repeats_name = variants.iter().any(|v| {
        let named_like_payload = v.payload == Some(v.name);
        !named_like_payload && (starts_with_name(name, v.name) || v.name.ends_with(name))
    });
    repeats_name || common_affix(variants)
}

/// Whether `variant` is `name` followed by a word that starts with a
/// capital (and is not a number: `Name1` is not `Name` and more).
fn starts_with_name(name: &str, variant: &str) -> bool {
    let Some(rest) = variant.strip_prefix(name) else {
        return false;
    };
    let mut rest = rest.chars();
    matches!(rest.next(), Some(c) if !c.is_lowercase())
        && matches!(rest.next(), Some(c) if !c.is_numeric())
}

/// Whether every variant has two or more camel-case words and they all
/// share the first or the last.
fn common_affix(variants: &[Variant<'_>]) -> bool {
    let words: Vec<Vec<&str>> = variants.iter().map(|v| camel_words(v.name)).collect();
    if words.iter().any(|w| w.len() == 1) {
        return false;
    }
    let first = &words[0];
    let shared_first = words.iter().all(|w| w.first() == first.first());
    let shared_last = words.iter().all(|w| w.last() == first.last());
    shared_first || shared_last
}

/// The camel-case words of an identifier, as clippy splits it: words are
/// found from the end, each a capital (or a run of them) and lower-case
/// letters; what precedes the last word that is not one (digits, a
/// trailing capital) stays with the word before. `AbcDef` is `Abc`, `Def`,
/// `ABcd` is `A`, `Bcd`;
/// `Status200Ok` is `Status200`, `Ok`; `AbcDD` is one word.
fn camel_words(name: &str) -> Vec<&str> {
    let mut starts = Vec::new();
    let mut from = 0;
    loop {
        let start = last_word_start(name, from);
        starts.push(start);
        if start >= name.len() {
            break;
        }
        from = start + 1;
    }
    if starts[0] != 0 {
        starts.insert(0, 0);
    }
    starts.windows(2).map(|w| &name[w[0]..w[1]]).collect()
}

/// Where the run of camel-case words that ends `name` starts, looking no
/// further back than byte `from`; `name.len()` when `name` does not end in
/// a lower-case letter.
fn last_word_start(name: &str, from: usize) -> usize {
    let mut chars = name.char_indices().rev();
    match chars.next() {
        Some((_, c)) if c.is_lowercase() => {}
        _ => return name.len(),
    }
    let mut in_lower = true;
    let mut start = name.len();
    for (at, c) in chars {
        if at < from {
            break;
        }
        if c.is_uppercase() {
            in_lower = false;
            start = at;
        } else if c.is_lowercase() {
            if !in_lower {
                in_lower = true;
            }
        } else {
            return start;
        }
    }
    start
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lints(name: &str, variants: &[&str]) -> bool {
        let variants: Vec<Variant<'_>> = variants
            .iter()
            .map(|name| Variant {
                name,
                payload: None,
            })
            .collect();
        matches_rule(name, &variants)
    }

    #[test]
    fn words_split_as_clippy_splits_them() {
        assert_eq!(camel_words("AbcDef"), ["Abc", "Def"]);
        assert_eq!(camel_words("Abc"), ["Abc"]);
        assert_eq!(camel_words("A"), ["A"]);
        assert_eq!(camel_words("AbcDD"), ["AbcDD"]);
        assert_eq!(camel_words("ABcd"), ["A", "Bcd"]);
        assert_eq!(camel_words("Status200Ok"), ["Status200", "Ok"]);
        assert_eq!(
            camel_words("TextToCadMultiFile"),
            ["Text", "To", "Cad", "Multi", "File"]
        );
    }

    #[test]
    fn the_rule_as_clippy_tests_it() {
        assert!(lints(
            "Tagged",
            &["TextToCad", "TextToCadIteration", "TextToCadMultiFile"]
        ));
        assert!(lints("Food", &["FoodGood", "FoodMiddle", "FoodBad"]));
        assert!(lints(
            "BadCallType",
            &["CallTypeCall", "CallTypeCreate", "CallTypeDestroy"]
        ));
        assert!(lints("Seallll", &["WithOutCake", "WithOutTea", "WithOut"]));
        assert!(lints("Something", &["CCall", "CCreate", "CCryogenize"]));
        // A common suffix.
        assert!(lints("Kind", &["RedFile", "BlueFile", "GreenFile"]));
        // A variant that ends with the enum's name.
        assert!(lints("Cad", &["TextToCad", "Other", "More"]));
        // Below the threshold.
        assert!(!lints("TwoCallType", &["CallTypeCall", "CallTypeCreate"]));
        // A one-word variant (`Unknown`, say) stops the common affix.
        assert!(!lints(
            "Output",
            &["TextToCad", "TextToCadIteration", "Unknown"]
        ));
        assert!(!lints("Seall", &["With", "WithOut", "Withbroken"]));
        assert!(!lints("Pat", &["Foo", "Bar", "Path"]));
        assert!(!lints("FakeCallType", &["CALL", "CREATE", "CREATELL"]));
        // `ModelA`: the word after the name is one capital and nothing more.
        assert!(!lints("Model", &["ModelA", "ModelB", "Other"]));
    }

    #[test]
    fn a_variant_named_like_its_payload_may_repeat_the_enum_name() {
        let variants = [
            Variant {
                name: "ThingCreated",
                payload: Some("ThingCreated"),
            },
            Variant {
                name: "Other",
                payload: None,
            },
            Variant {
                name: "More",
                payload: None,
            },
        ];
        assert!(!matches_rule("Thing", &variants));
        assert!(allow_variant_names("Thing", &variants).is_none());
    }
}
