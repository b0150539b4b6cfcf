//! Turning names from the document into Rust identifiers.
//!
//! Every identifier the generator emits goes through here: case conversion
//! with `heck`, then anything that is not an identifier character is dropped,
//! a leading digit gets a prefix, an empty result gets a placeholder, and
//! keywords become raw identifiers (or get a suffix where raw identifiers are
//! not allowed). [`Scope`] then keeps names unique within one namespace.

use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::BTreeSet;

/// Keywords of every edition, strict and reserved.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Keywords that cannot be raw identifiers (`r#self` is not allowed).
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

/// A type name: `UpperCamelCase`.
pub fn type_name(raw: &str) -> String {
    finish(&sanitize(raw).to_upper_camel_case(), "Type")
}

/// A field, argument or method name: `snake_case`.
pub fn value_name(raw: &str) -> String {
    finish(&sanitize(raw).to_snake_case(), "value")
}

/// An enum variant name: `UpperCamelCase`.
pub fn variant_name(raw: &str) -> String {
    finish(&sanitize(raw).to_upper_camel_case(), "Value")
}

/// Keeps ASCII letters and digits; everything else becomes a word boundary,
/// so `a.b c-d` converts like `a_b_c_d`. Other letters are spelled in ASCII:
/// Latin letters with marks lose them (`größe` is `groesse`), and any other
/// letter or digit becomes its code point (`名前` is `u540d_u524d`), so names
/// keep their meaning and stay distinct.
fn sanitize(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if let Some(ascii) = fold_latin(c) {
            out.push_str(ascii);
        } else if c.is_alphanumeric() {
            out.push_str(&format!("_u{:x}_", c as u32));
        } else {
            out.push('_');
        }
    }
    out
}

/// The ASCII spelling of common Latin letters with diacritics.
fn fold_latin(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'å' | 'ā' | 'ą' => "a",
        'À' | 'Á' | 'Â' | 'Ã' | 'Å' | 'Ā' | 'Ą' => "A",
        'ä' | 'æ' => "ae",
        'Ä' | 'Æ' => "Ae",
        'ç' | 'ć' | 'č' => "c",
        'Ç' | 'Ć' | 'Č' => "C",
        'ď' | 'đ' => "d",
        'Ď' | 'Đ' => "D",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' => "e",
        'È' | 'É' | 'Ê' | 'Ë' | 'Ē' | 'Ę' | 'Ě' => "E",
        'ì' | 'í' | 'î' | 'ï' | 'ī' => "i",
        'Ì' | 'Í' | 'Î' | 'Ï' | 'Ī' => "I",
        'ł' => "l",
        'Ł' => "L",
        'ñ' | 'ń' | 'ň' => "n",
        'Ñ' | 'Ń' | 'Ň' => "N",
        'ò' | 'ó' | 'ô' | 'õ' | 'ø' | 'ō' => "o",
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ø' | 'Ō' => "O",
        'ö' | 'œ' => "oe",
        'Ö' | 'Œ' => "Oe",
        'ř' => "r",
        'Ř' => "R",
        'ś' | 'š' => "s",
        'Ś' | 'Š' => "S",
        'ß' => "ss",
        'ť' => "t",
        'Ť' => "T",
        'ù' | 'ú' | 'û' | 'ū' | 'ů' => "u",
        'Ù' | 'Ú' | 'Û' | 'Ū' | 'Ů' => "U",
        'ü' => "ue",
        'Ü' => "Ue",
        'ý' | 'ÿ' => "y",
        'Ý' => "Y",
        'ź' | 'ż' | 'ž' => "z",
        'Ź' | 'Ż' | 'Ž' => "Z",
        _ => return None,
    })
}

/// Makes a converted name a valid identifier: only identifier characters, not
/// empty, no leading digit, keywords escaped.
fn finish(converted: &str, empty: &str) -> String {
    // Non-ASCII letters are valid in identifiers only when they are XID
    // characters in NFC form; rather than check that, keep ASCII only.
    let name: String = converted
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    let trimmed = name.trim_matches('_');
    let mut name = if trimmed.is_empty() {
        empty.to_owned()
    } else {
        name
    };
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        let prefix = if empty.starts_with(char::is_uppercase) {
            "V"
        } else {
            "v"
        };
        name.insert_str(0, prefix);
    }
    escape_keyword(name)
}

fn escape_keyword(name: String) -> String {
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// The identifier without a raw prefix: `r#type` → `type`.
pub fn unraw(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

/// One namespace of names: the types of a module, the fields of a struct,
/// the variants of an enum, the arguments of a method.
#[derive(Debug, Default)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    /// An empty scope.
    pub fn new() -> Scope {
        Scope::default()
    }

    /// A scope where `names` are already taken.
    pub fn with_reserved(names: &[&str]) -> Scope {
        Scope {
            taken: names.iter().map(|n| (*n).to_owned()).collect(),
        }
    }

    /// Takes `name`, or `name2`, `name3`, … when it is taken already.
    pub fn claim(&mut self, name: String) -> String {
        if self.taken.insert(unraw(&name).to_owned()) {
            return name;
        }
        let base = unraw(&name).trim_end_matches('_').to_owned();
        let sep = if base.ends_with(|c: char| c.is_ascii_digit()) {
            "_"
        } else {
            ""
        };
        (2..)
            .map(|n| format!("{base}{sep}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .expect("an unbounded range always finds a free name")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_case() {
        assert_eq!(type_name("customer_balance"), "CustomerBalance");
        assert_eq!(type_name("Customer-Balance.v2"), "CustomerBalanceV2");
        assert_eq!(
            value_name("monthlyCreditsRemaining"),
            "monthly_credits_remaining"
        );
        assert_eq!(value_name("X-Request-Id"), "x_request_id");
        assert_eq!(variant_name("per_user"), "PerUser");
    }

    #[test]
    fn spells_other_letters_in_ascii() {
        assert_eq!(value_name("größe"), "groesse");
        assert_eq!(type_name("Café crème"), "CafeCreme");
        assert_eq!(value_name("名前"), "u540d_u524d");
        assert_ne!(value_name("名前"), value_name("名字"));
    }

    #[test]
    fn escapes_keywords() {
        assert_eq!(value_name("type"), "r#type");
        assert_eq!(value_name("self"), "self_");
        assert_eq!(value_name("async"), "r#async");
        assert_eq!(type_name("self"), "Self_");
        assert_eq!(variant_name("Self"), "Self_");
    }

    #[test]
    fn fixes_digits_and_empty_names() {
        assert_eq!(value_name("1st"), "v1st");
        assert_eq!(type_name("2fa"), "V2fa");
        assert_eq!(value_name(""), "value");
        assert_eq!(value_name("---"), "value");
        assert_eq!(variant_name("+1"), "V1");
        assert_eq!(type_name("héllo wörld"), "HelloWoerld");
    }

    #[test]
    fn scope_resolves_collisions() {
        let mut scope = Scope::new();
        assert_eq!(scope.claim(value_name("fooBar")), "foo_bar");
        assert_eq!(scope.claim(value_name("foo_bar")), "foo_bar2");
        assert_eq!(scope.claim(value_name("foo-bar")), "foo_bar3");
        let mut scope = Scope::new();
        assert_eq!(scope.claim("v1".into()), "v1");
        assert_eq!(scope.claim("v1".into()), "v1_2");
        let mut scope = Scope::new();
        assert_eq!(scope.claim("r#type".into()), "r#type");
        assert_eq!(scope.claim("r#type".into()), "type2");
    }
}
