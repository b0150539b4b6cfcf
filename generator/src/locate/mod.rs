//! Line and column of a value in the text of a document, by JSON pointer.
//!
//! The document is parsed into a `serde_json::Value` elsewhere, and those
//! parsers keep no positions; a problem found afterwards knows only its JSON
//! pointer. [`Locator`] reads the text once more, remembers where every value
//! starts, and answers `pointer → (line, column)` so a diagnostic can say
//! `file:line:col`.
//!
//! JSON (text whose first non-blank character is `{`) is read by a small
//! scanner (`json.rs`); YAML by the event parser of `saphyr-parser`, whose
//! events carry their spans (`yaml.rs`). Both build the same flat index: nodes in one vector,
//! the children of every container in one slice of another (mapping entries
//! sorted by key, for a binary search), keys in one string. Nothing recurses
//! on the Rust stack, whatever the nesting depth of the text.

mod json;
mod yaml;

use json::read_json;
use yaml::read_yaml_lenient;

/// Positions of values in the text of a document, found by JSON pointer.
#[derive(Debug, Clone, Default)]
pub struct Locator {
    /// Every value read; the root, when there is one, is the first.
    nodes: Vec<Node>,
    /// The children of the containers, each container's in one run: in
    /// order for a sequence, sorted by key (stably) for a mapping.
    entries: Vec<Entry>,
    /// The text of every mapping key, one after the other.
    keys: String,
}

/// One value: where it starts and, for a container, its children.
#[derive(Debug, Clone, Copy)]
struct Node {
    /// 1-based.
    line: u32,
    /// 1-based, in characters.
    col: u32,
    kind: Kind,
    /// Containers: the first of their entries. Aliases: the anchored node.
    first: u32,
    /// Containers: how many entries.
    len: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Scalar,
    Mapping,
    Sequence,
    /// A YAML alias (`*name`); `first` is the node it names.
    Alias,
}

/// A child of a container; the key is unused in a sequence.
#[derive(Debug, Clone, Copy)]
struct Entry {
    key_start: u32,
    key_len: u32,
    node: u32,
}

impl Locator {
    /// Reads `text` (YAML, or JSON, which is YAML too, or detect: text whose first non-space char is `{` is JSON). Never panics; text that cannot be read gives a Locator that finds nothing.
    ///
    /// Text that goes wrong part of the way keeps the positions read before
    /// the mistake.
    #[must_use]
    pub fn new(text: &str) -> Locator {
        let body = text.strip_prefix('\u{feff}').unwrap_or(text);
        let builder = if body.trim_start().starts_with('{') {
            read_json(text)
        } else {
            // saphyr-parser is fuzzed and meant not to panic; should it
            // anyway, a diagnostic loses its position, not the program.
            std::panic::catch_unwind(|| read_yaml_lenient(text)).unwrap_or_default()
        };
        builder.finish()
    }

    /// 1-based (line, column) of the value at `pointer`, in the form `#/components/schemas/Foo/properties/x` (leading `#`, tokens escaped `~0` = `~`, `~1` = `/`; `#` or "" is the root).
    /// When no value exists at `pointer`, the position of its nearest existing ancestor; None only when not even the root is known.
    #[must_use]
    pub fn find(&self, pointer: &str) -> Option<(usize, usize)> {
        let mut at = self.nodes.first()?;
        let pointer = pointer.strip_prefix('#').unwrap_or(pointer);
        if let Some(rest) = pointer.strip_prefix('/') {
            let mut token = String::new();
            for raw in rest.split('/') {
                unescape(raw, &mut token);
                match self.child(at, &token) {
                    Some(next) => at = next,
                    None => break,
                }
            }
        }
        Some((at.line as usize, at.col as usize))
    }

    /// The child of `node` named by one pointer token, through an alias.
    fn child(&self, node: &Node, token: &str) -> Option<&Node> {
        let node = self.resolve(node);
        let children = self
            .entries
            .get(node.first as usize..)?
            .get(..node.len as usize)?;
        let entry = match node.kind {
            Kind::Mapping => {
                let after = children.partition_point(|e| self.key(e) <= token.as_bytes());
                let last = children.get(after.checked_sub(1)?)?;
                (self.key(last) == token.as_bytes()).then_some(last)?
            }
            Kind::Sequence => children.get(index(token)?)?,
            Kind::Scalar | Kind::Alias => return None,
        };
        self.nodes.get(entry.node as usize)
    }

    /// The node an alias names (the node itself when not an alias).
    fn resolve<'a>(&'a self, mut node: &'a Node) -> &'a Node {
        // An alias names a node with an anchor, and an alias has none, so
        // one step is enough; the bound only keeps a bug from looping.
        for _ in 0..8 {
            if node.kind != Kind::Alias {
                break;
            }
            match self.nodes.get(node.first as usize) {
                Some(target) => node = target,
                None => break,
            }
        }
        node
    }

    fn key(&self, entry: &Entry) -> &[u8] {
        let start = entry.key_start as usize;
        self.keys
            .as_bytes()
            .get(start..start.saturating_add(entry.key_len as usize))
            .unwrap_or_default()
    }
}

/// Undoes the escapes of one pointer token into `out`: `~1` is `/`, `~0` is
/// `~` (a `~` before anything else stays as it is).
fn unescape(raw: &str, out: &mut String) {
    out.clear();
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek()) {
            ('~', Some('1')) => {
                chars.next();
                out.push('/');
            }
            ('~', Some('0')) => {
                chars.next();
                out.push('~');
            }
            _ => out.push(c),
        }
    }
}

/// An array index token: digits, no leading zero (RFC 6901).
fn index(token: &str) -> Option<usize> {
    let digits = !token.is_empty() && token.bytes().all(|b| b.is_ascii_digit());
    if !digits || (token.len() > 1 && token.starts_with('0')) {
        return None;
    }
    token.parse().ok()
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Builds the index from a depth-first walk of the values, opened and
/// closed in order, with an explicit stack.
#[derive(Default)]
struct Builder {
    nodes: Vec<Node>,
    entries: Vec<Entry>,
    keys: String,
    /// The containers open now, innermost last.
    stack: Vec<Frame>,
    /// Emptied child lists, for the next containers to fill.
    spare: Vec<Vec<Entry>>,
}

struct Frame {
    node: u32,
    mapping: bool,
    children: Vec<Entry>,
    key: KeyState,
}

#[derive(Clone, Copy)]
enum KeyState {
    /// A mapping's next node is a key.
    Awaiting,
    /// The key (a range of `keys`) of the mapping's next node.
    Read(u32, u32),
    /// The next node is the value of a key that cannot be named in a
    /// pointer (a mapping or a sequence used as a key): not recorded.
    Skip,
}

impl Builder {
    /// Whether the top container is a mapping waiting for a key.
    fn wants_key(&self) -> bool {
        matches!(
            self.stack.last(),
            Some(Frame {
                mapping: true,
                key: KeyState::Awaiting,
                ..
            })
        )
    }

    /// The next key of the top mapping.
    fn key(&mut self, text: &str) {
        let start = self.keys.len();
        let (Ok(key_start), Ok(key_len)) = (u32::try_from(start), u32::try_from(text.len())) else {
            return self.skip_key();
        };
        if let Some(frame @ Frame { mapping: true, .. }) = self.stack.last_mut() {
            self.keys.push_str(text);
            frame.key = KeyState::Read(key_start, key_len);
        }
    }

    fn skip_key(&mut self) {
        if let Some(frame @ Frame { mapping: true, .. }) = self.stack.last_mut() {
            frame.key = KeyState::Skip;
        }
    }

    /// A new node starting at (`line`, `col`); a mapping or a sequence stays
    /// open, collecting what follows, until [`Builder::end`]. `None` once
    /// the root is complete (only the first document counts).
    fn node(&mut self, line: usize, col: usize, kind: Kind, target: u32) -> Option<u32> {
        if self.stack.is_empty() && !self.nodes.is_empty() {
            return None;
        }
        let id = u32::try_from(self.nodes.len()).ok()?;
        self.nodes.push(Node {
            line: to_u32(line),
            col: to_u32(col),
            kind,
            first: target,
            len: 0,
        });
        if let Some(frame) = self.stack.last_mut() {
            if frame.mapping {
                frame.key = match frame.key {
                    // A node where a key goes: a complex key.
                    KeyState::Awaiting => KeyState::Skip,
                    KeyState::Read(key_start, key_len) => {
                        frame.children.push(Entry {
                            key_start,
                            key_len,
                            node: id,
                        });
                        KeyState::Awaiting
                    }
                    KeyState::Skip => KeyState::Awaiting,
                };
            } else {
                frame.children.push(Entry {
                    key_start: 0,
                    key_len: 0,
                    node: id,
                });
            }
        }
        if matches!(kind, Kind::Mapping | Kind::Sequence) {
            self.stack.push(Frame {
                node: id,
                mapping: kind == Kind::Mapping,
                children: self.spare.pop().unwrap_or_default(),
                key: KeyState::Awaiting,
            });
        }
        Some(id)
    }

    /// Closes the innermost open container.
    fn end(&mut self) {
        let Some(Frame {
            node,
            mapping,
            mut children,
            ..
        }) = self.stack.pop()
        else {
            return;
        };
        if mapping {
            let keys = self.keys.as_bytes();
            let key = |e: &Entry| {
                let start = e.key_start as usize;
                keys.get(start..start.saturating_add(e.key_len as usize))
                    .unwrap_or_default()
            };
            // Stable: of equal keys the last one read stays last, and wins,
            // as in serde_json.
            children.sort_by(|a, b| key(a).cmp(key(b)));
        }
        if let Some(n) = self.nodes.get_mut(node as usize) {
            n.first = to_u32(self.entries.len());
            n.len = to_u32(children.len());
        }
        self.entries.append(&mut children);
        self.spare.push(children);
    }

    fn finish(mut self) -> Locator {
        while !self.stack.is_empty() {
            self.end();
        }
        Locator {
            nodes: self.nodes,
            entries: self.entries,
            keys: self.keys,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::yaml::read_yaml;
    use super::*;

    /// (line, col) of the first occurrence of `needle` in `text`, by hand.
    fn pos_of(text: &str, needle: &str) -> (usize, usize) {
        let offset = text.find(needle).expect(needle);
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        (line, before[line_start..].chars().count() + 1)
    }

    fn at(text: &str, pointer: &str) -> Option<(usize, usize)> {
        Locator::new(text).find(pointer)
    }

    const YAML: &str = "\
openapi: 3.0.0
info:
  # a comment
  title: Zoo
  version: '1'
components:
  schemas:
    Pet:
      type: object
      required: [name, tag]
      properties:
        name:
          type: strin
        tags:
          type: array
          items:
            - first
            - second: 2
              third: 3
            -   - nested
";

    #[test]
    fn yaml_block() {
        let l = Locator::new(YAML);
        assert_eq!(l.find("#"), Some((1, 1)));
        assert_eq!(l.find(""), Some((1, 1)));
        assert_eq!(l.find("#/openapi"), Some((1, 10)));
        // A block mapping starts at its first key, past the comment.
        assert_eq!(l.find("#/info"), Some((4, 3)));
        assert_eq!(l.find("#/info/version"), Some((5, 12)));
        let base = "#/components/schemas/Pet/properties";
        assert_eq!(l.find(&format!("{base}/name/type")), Some((13, 17)));
        assert_eq!(l.find(&format!("{base}/tags/items")), Some((17, 13)));
        assert_eq!(l.find(&format!("{base}/tags/items/0")), Some((17, 15)));
        assert_eq!(l.find(&format!("{base}/tags/items/1")), Some((18, 15)));
        assert_eq!(
            l.find(&format!("{base}/tags/items/1/third")),
            Some((19, 22))
        );
        assert_eq!(l.find(&format!("{base}/tags/items/2")), Some((20, 17)));
        assert_eq!(l.find(&format!("{base}/tags/items/2/0")), Some((20, 19)));
        // Flow inside block.
        assert_eq!(
            l.find("#/components/schemas/Pet/required/1"),
            Some((10, 24))
        );
    }

    #[test]
    fn yaml_flow() {
        let text = "root: {a: [1, 22, {x: y}], \"b\": c, 'd': [ ]}\nnext: [\n  1,\n  {k: v}\n]\n";
        let l = Locator::new(text);
        assert_eq!(l.find("#/root"), Some((1, 7)));
        assert_eq!(l.find("#/root/a"), Some((1, 11)));
        assert_eq!(l.find("#/root/a/1"), Some((1, 15)));
        assert_eq!(l.find("#/root/a/2/x"), Some((1, 23)));
        assert_eq!(l.find("#/root/b"), Some((1, 33)));
        assert_eq!(l.find("#/root/d"), Some((1, 41)));
        assert_eq!(l.find("#/next/1/k"), Some((4, 7)));
    }

    #[test]
    fn yaml_quoted_and_escaped_keys() {
        let text = "\"a/b\": 1\n'a~b': 2\n\"say \\\"hi\\\"\": 3\n'it''s': 4\nplain key: 5\n";
        let l = Locator::new(text);
        assert_eq!(l.find("#/a~1b"), Some((1, 8)));
        assert_eq!(l.find("#/a~0b"), Some((2, 8)));
        assert_eq!(l.find("#/say \"hi\""), Some((3, 15)));
        assert_eq!(l.find("#/it's"), Some((4, 10)));
        assert_eq!(l.find("#/plain key"), Some((5, 12)));
        // Not unescaped twice: `~01` is `~1`, not `/`.
        let l = Locator::new("\"~1\": x\n\"/\": y\n");
        assert_eq!(l.find("#/~01"), Some((1, 7)));
        assert_eq!(l.find("#/~1"), Some((2, 6)));
    }

    #[test]
    fn yaml_non_string_keys() {
        let text = "responses:\n  200:\n    description: OK\n  true: yes\n  1.5: x\n  null: n\n";
        let l = Locator::new(text);
        assert_eq!(l.find("#/responses/200/description"), Some((3, 18)));
        assert_eq!(l.find("#/responses/true"), Some((4, 9)));
        assert_eq!(l.find("#/responses/1.5"), Some((5, 8)));
        assert_eq!(l.find("#/responses/null"), Some((6, 9)));
    }

    #[test]
    fn yaml_anchors_and_aliases() {
        let text = "\
base: &B
  type: object
  properties:
    id: {type: integer}
list: &L [a, b]
user: *B
again: *L
scalar: &S hello
copy: *S
";
        let l = Locator::new(text);
        // The anchored node starts at its anchor.
        assert_eq!(l.find("#/base"), Some((1, 7)));
        assert_eq!(l.find("#/base/type"), Some((2, 9)));
        // The alias itself is where `*B` is written...
        assert_eq!(l.find("#/user"), Some((6, 7)));
        // ...and a pointer through it goes on in the anchored node.
        assert_eq!(l.find("#/user/type"), Some((2, 9)));
        assert_eq!(l.find("#/user/properties/id/type"), Some((4, 16)));
        assert_eq!(l.find("#/again/1"), Some((5, 14)));
        assert_eq!(l.find("#/copy"), Some((9, 7)));
        // Not there: the alias is the nearest ancestor.
        assert_eq!(l.find("#/user/nope"), Some((6, 7)));
        assert_eq!(l.find("#/copy/x"), Some((9, 7)));
    }

    #[test]
    fn yaml_multi_line_scalars() {
        let text = "\
a: plain that
  goes on
b: \"double
  quoted\"
c: |
  literal
  text
d: >-   # folded, with a comment

  more
e:
  |+
  indicator on its own line
f: &x |
  anchored
g:
  - |
    in a sequence
after: 1
";
        let l = Locator::new(text);
        assert_eq!(l.find("#/a"), Some((1, 4)));
        assert_eq!(l.find("#/b"), Some((3, 4)));
        // A block scalar starts at its indicator, not its first line.
        assert_eq!(l.find("#/c"), Some((5, 4)));
        assert_eq!(l.find("#/d"), Some((8, 4)));
        assert_eq!(l.find("#/e"), Some((12, 3)));
        assert_eq!(l.find("#/f"), Some((14, 4)));
        assert_eq!(l.find("#/g/0"), Some((17, 5)));
        assert_eq!(l.find("#/after"), Some((19, 8)));
    }

    #[test]
    fn yaml_crlf_bom_tabs_and_document_start() {
        let lf = "--- # the document\ninfo:\n  title:\tZoo\n  tags: [a,\tb]\nx: |\n  text\ny: 1\n";
        let crlf = format!("\u{feff}{}", lf.replace('\n', "\r\n"));
        for text in [lf, crlf.as_str()] {
            let l = Locator::new(text);
            assert_eq!(l.find("#"), Some((2, 1)));
            assert_eq!(l.find("#/info/title"), Some((3, 10)));
            assert_eq!(l.find("#/info/tags/1"), Some((4, 13)));
            assert_eq!(l.find("#/x"), Some((5, 4)));
            assert_eq!(l.find("#/y"), Some((7, 4)));
        }
        // Only the first document counts.
        let l = Locator::new("a: 1\n---\nb: 2\n");
        assert_eq!(l.find("#/a"), Some((1, 4)));
        assert_eq!(l.find("#/b"), Some((1, 1)));
    }

    #[test]
    fn yaml_columns_count_characters() {
        let l = Locator::new("ключ: значение\n\"é😀\": [ü, x]\n");
        assert_eq!(l.find("#/ключ"), Some((1, 7)));
        assert_eq!(l.find("#/é😀/1"), Some((2, 11)));
    }

    #[test]
    fn yaml_complex_keys_are_skipped() {
        let text = "? [a, b]\n: skipped\n? {c: d}\n: skipped\nreal: 1\n";
        let l = Locator::new(text);
        assert_eq!(l.find("#/real"), Some((5, 7)));
        assert_eq!(l.find("#/skipped"), Some((1, 1)));
    }

    #[test]
    fn json_nested_and_escaped_keys() {
        let text = r#"{
  "paths": {
    "/pets/{id}": {"get": {"operationId": "getPet"}},
    "a~b": [1, 2.5e-3, true, null, "s"],
    "quote\"d": {},
    "\u00e9\ud83d\ude00\/\\": "x",
    "dup": 1, "dup": {"last": "wins"}
  }
}"#;
        let l = Locator::new(text);
        assert_eq!(l.find("#"), Some((1, 1)));
        assert_eq!(l.find("#/paths"), Some((2, 12)));
        assert_eq!(l.find("#/paths/~1pets~1{id}"), Some((3, 19)));
        assert_eq!(
            l.find("#/paths/~1pets~1{id}/get/operationId"),
            Some((3, 43))
        );
        assert_eq!(l.find("#/paths/a~0b"), Some((4, 12)));
        assert_eq!(l.find("#/paths/a~0b/1"), Some((4, 16)));
        assert_eq!(l.find("#/paths/a~0b/4"), Some((4, 36)));
        assert_eq!(l.find("#/paths/quote\"d"), Some((5, 17)));
        assert_eq!(l.find("#/paths/é😀~1\\"), Some((6, 31)));
        assert_eq!(l.find("#/paths/dup"), Some((7, 22)));
        assert_eq!(l.find("#/paths/dup/last"), Some((7, 31)));
    }

    #[test]
    fn json_minified_and_multibyte() {
        let text = "{\"ä\":\"ö\",\"b\":[{\"c\":\"😀\"},{\"d\":[[],{}]}],\"e\":-1}";
        let l = Locator::new(text);
        for (pointer, needle) in [
            ("#/ä", "\"ö\""),
            ("#/b", "[{"),
            ("#/b/0/c", "\"😀"),
            ("#/b/1", "{\"d\""),
            ("#/b/1/d/0", "[]"),
            ("#/b/1/d/1", "{}]"),
            ("#/e", "-1"),
        ] {
            assert_eq!(l.find(pointer), Some(pos_of(text, needle)), "{pointer}");
        }
    }

    #[test]
    fn json_crlf_and_bom() {
        let text = "\u{feff}{\r\n\t\"a\": {\r\n\t\t\"b\": [\r\n\r\n\t\t\t7]}}\r\n";
        let l = Locator::new(text);
        assert_eq!(l.find("#"), Some((1, 1)));
        assert_eq!(l.find("#/a/b"), Some((3, 8)));
        assert_eq!(l.find("#/a/b/0"), Some((5, 4)));
    }

    #[test]
    fn ancestor_fallback() {
        let json = "{\"a\": {\"b\": [10, 20]}, \"s\": \"x\"}";
        let yaml = "a:\n  b:\n    - 10\n    - 20\ns: x\n";
        for (text, a, b, b1, s) in [
            (json, (1, 7), (1, 13), (1, 18), (1, 29)),
            (yaml, (2, 3), (3, 5), (4, 7), (5, 4)),
        ] {
            let l = Locator::new(text);
            assert_eq!(l.find("#/a/b/1"), Some(b1));
            assert_eq!(l.find("#/a/missing"), Some(a));
            assert_eq!(l.find("#/a/missing/deeper"), Some(a));
            assert_eq!(l.find("#/a/b/2"), Some(b));
            assert_eq!(l.find("#/a/b/01"), Some(b));
            assert_eq!(l.find("#/a/b/-"), Some(b));
            assert_eq!(l.find("#/a/b/1/x"), Some(b1));
            assert_eq!(l.find("#/s/0"), Some(s));
            assert_eq!(l.find("#/nope"), Some((1, 1)));
            assert_eq!(l.find("no-slash"), Some((1, 1)));
        }
    }

    #[test]
    fn malformed_input() {
        for text in [
            "",
            "   \n",
            "\u{feff}",
            "{",
            "[",
            "]",
            "}",
            "{\"a\"",
            "{\"a\" 1}",
            "{1: 2}",
            "\"unterminated",
            "{\"a\": tru}",
        ] {
            let l = Locator::new(text);
            let _ = l.find("#/a/b");
        }
        assert_eq!(at("", "#"), None);
        assert_eq!(at("]", "#"), None);
        assert_eq!(at("key: [unclosed", "#/key"), Some((1, 6)));
        // Text that goes wrong part of the way keeps what came before.
        assert_eq!(at("{\"a\": {\"b\": 1, ", "#/a/b"), Some((1, 13)));
        assert_eq!(at("{\"a\": {\"b\": 1}, \"c\" 2}", "#/a/b"), Some((1, 13)));
        assert_eq!(at("a: 1\nb: [\n", "#/a"), Some((1, 4)));
        // A raw control character in a JSON string stops the scanner.
        assert_eq!(
            at("{\"a\": 1, \"b\": \"x\ny\", \"c\": 2}", "#/c"),
            Some((1, 1))
        );
    }

    #[test]
    fn truncated_and_mangled_input_never_panics() {
        let json =
            r#"{"a": [1, {"b\u00e9\ud83d": "c\"d"}, -2.5e+3], "é": {"f": [true, false, null]}}"#;
        let samples = [YAML, json, "a: &x [1, *x, {b: |\n  q\n}]\n? c\n: d\n"];
        let mut seed: u32 = 12345;
        for sample in samples {
            let boundaries = (0..=sample.len()).filter(|&i| sample.is_char_boundary(i));
            for end in boundaries {
                let l = Locator::new(&sample[..end]);
                let _ = l.find("#/a/1/b");
            }
            let chars: Vec<char> = sample.chars().collect();
            for _ in 0..300 {
                let mut mangled = chars.clone();
                for _ in 0..3 {
                    seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
                    let i = (seed >> 8) as usize % mangled.len();
                    let pick = b"{}[]:,\"'\\-?&*|>#\n\r\t ~u";
                    mangled[i] = pick[(seed >> 20) as usize % pick.len()] as char;
                }
                let text: String = mangled.into_iter().collect();
                let l = Locator::new(&text);
                let _ = l.find("#/a/1/b");
            }
        }
    }

    #[test]
    fn deep_json_does_not_overflow_the_stack() {
        let depth = 100_000;
        // (Only text that starts with `{` is read as JSON.)
        let text = format!("{{\"a\":{}7{}}}", "[".repeat(depth), "]".repeat(depth));
        let l = Locator::new(&text);
        let pointer = format!("#/a{}", "/0".repeat(depth));
        assert_eq!(l.find(&pointer), Some((1, depth + 6)));
        assert_eq!(l.find(&format!("{pointer}/0")), Some((1, depth + 6)));

        let text = format!("{}1{}", "{\"k\":".repeat(depth), "}".repeat(depth));
        let l = Locator::new(&text);
        let pointer = format!("#{}", "/k".repeat(depth));
        assert_eq!(l.find(&pointer), Some((1, 5 * depth + 1)));
        // Unclosed, too.
        let l = Locator::new(&"{\"k\":".repeat(depth));
        assert_eq!(
            l.find(&format!("#{}", "/k".repeat(depth - 1))),
            Some((1, 5 * depth - 4))
        );
    }

    #[test]
    fn deep_yaml_does_not_overflow_the_stack() {
        let depth = 100_000;
        // `- - - … x`: nested block sequences, each on the same line.
        let text = format!("{}x\n", "- ".repeat(depth));
        let l = Locator::new(&text);
        let pointer = format!("#{}", "/0".repeat(depth));
        assert_eq!(l.find(&pointer), Some((1, 2 * depth + 1)));
        // saphyr refuses flow nesting deeper than its limit: an error, not a
        // crash, and nothing found.
        let text = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        assert_eq!(Locator::new(&text).find(&pointer), None);
    }

    #[test]
    fn github_document() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../corpus/progenitor/api.github.com.json"
        );
        let text = std::fs::read_to_string(path).expect("the corpus is in the repository");
        let l = Locator::new(&text);
        let get = "#/paths/~1repos~1{owner}~1{repo}/get";
        assert_eq!(
            l.find("#/paths/~1repos~1{owner}~1{repo}"),
            Some((16932, 30))
        );
        assert_eq!(l.find(get), Some((16933, 14)));
        assert_eq!(l.find(&format!("{get}/tags/0")), Some((16937, 11)));
        assert_eq!(l.find(&format!("{get}/no-such-key")), Some((16933, 14)));
        assert_eq!(l.find("#/tags/0/name"), Some((19, 15)));
        assert_eq!(
            l.find("#/components/schemas/simple-user/type"),
            Some((52092, 17))
        );
        // JSON is YAML too: saphyr, reading the same text, puts every value
        // at the same place as the JSON scanner.
        assert_same_as_yaml(&text);
    }

    fn assert_same_as_yaml(text: &str) {
        let json = read_json(text).finish();
        let (yaml, complete) = read_yaml(text);
        assert!(complete);
        let yaml = yaml.finish();
        assert_eq!(json.nodes.len(), yaml.nodes.len());
        for (i, (j, y)) in json.nodes.iter().zip(&yaml.nodes).enumerate() {
            assert_eq!((j.line, j.col, j.kind), (y.line, y.col, y.kind), "node {i}");
        }
        assert_eq!(json.keys, yaml.keys);
    }

    #[test]
    fn json_scanner_agrees_with_yaml() {
        // (No surrogate pair: saphyr refuses `\ud83d\ude00`, which JSON allows.)
        assert_same_as_yaml(
            "{\"é\": [1, -2.5e3, {\"\\u00e9\\\"\\/\": \"ü\\\"x\"}],\r\n\t\"b\": {\"c\": [[], {}, null, true, false]},\n \"😀\": \"z\"}",
        );
    }

    /// `cargo test --release -p openapi-codegen --lib locate::tests::time_github -- --ignored --nocapture`
    #[test]
    #[ignore = "timing, run by hand in release"]
    fn time_github() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../corpus/progenitor/api.github.com.json"
        );
        let text = std::fs::read_to_string(path).expect("the corpus is in the repository");
        let start = std::time::Instant::now();
        let l = Locator::new(&text);
        let indexed = start.elapsed();
        let start = std::time::Instant::now();
        let mut found = 0;
        for _ in 0..10_000 {
            found += usize::from(
                l.find("#/components/schemas/simple-user/properties/email/type")
                    .is_some(),
            );
        }
        let lookups = start.elapsed();
        println!(
            "{} bytes: indexed in {indexed:?} ({} nodes, {} entries, {} key bytes); 10000 finds in {lookups:?} ({found})",
            text.len(),
            l.nodes.len(),
            l.entries.len(),
            l.keys.len()
        );
        let yaml_start = std::time::Instant::now();
        let y = read_yaml(&text).0.finish();
        println!(
            "the same text read as YAML: {:?} ({} nodes)",
            yaml_start.elapsed(),
            y.nodes.len()
        );
    }
}
