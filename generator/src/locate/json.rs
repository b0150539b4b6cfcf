//! Part of the locator: JSON, read by a small scanner that keeps the line
//! and column of each value.

use super::{Builder, Frame, Kind};

/// The JSON scanner: where it is, and the line it is on.
struct Json<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
    line: usize,
    /// Byte offset of the current line's first character.
    line_start: usize,
    /// A byte offset on the current line and its 0-based column, so that
    /// counting the characters of a long line is done only once.
    known: (usize, usize),
}

pub(super) fn read_json(text: &str) -> Builder {
    #[derive(Clone, Copy)]
    enum Want {
        Value,
        /// A key, or with `true` the `}` of an empty mapping too.
        Key(bool),
        /// `,` or the end of the open container.
        Next,
    }
    let mut builder = Builder::default();
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut json = Json {
        text,
        bytes: text.as_bytes(),
        at: bom,
        line: 1,
        line_start: bom,
        known: (bom, 0),
    };
    let mut key = String::new();
    let mut want = Want::Value;
    loop {
        json.blank();
        let (line, col) = (json.line, json.col());
        want = match (want, json.peek()) {
            (Want::Value, b'{') => {
                json.at += 1;
                builder.node(line, col, Kind::Mapping, 0);
                Want::Key(true)
            }
            (Want::Value, b'[') => {
                json.at += 1;
                builder.node(line, col, Kind::Sequence, 0);
                json.blank();
                if json.peek() == b']' {
                    json.at += 1;
                    builder.end();
                    Want::Next
                } else {
                    Want::Value
                }
            }
            (Want::Value, b'"') => {
                if json.string(None).is_none() {
                    break;
                }
                builder.node(line, col, Kind::Scalar, 0);
                Want::Next
            }
            (Want::Value, b'-' | b'0'..=b'9') => {
                while matches!(json.peek(), b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E') {
                    json.at += 1;
                }
                builder.node(line, col, Kind::Scalar, 0);
                Want::Next
            }
            (Want::Value, b't' | b'f' | b'n') => {
                let rest = json.bytes.get(json.at..).unwrap_or_default();
                let Some(word) = [&b"true"[..], b"false", b"null"]
                    .into_iter()
                    .find(|word| rest.starts_with(word))
                else {
                    break;
                };
                json.at += word.len();
                builder.node(line, col, Kind::Scalar, 0);
                Want::Next
            }
            (Want::Key(true), b'}') => {
                json.at += 1;
                builder.end();
                Want::Next
            }
            (Want::Key(_), b'"') => {
                if json.string(Some(&mut key)).is_none() {
                    break;
                }
                json.blank();
                if json.peek() != b':' {
                    break;
                }
                json.at += 1;
                builder.key(&key);
                Want::Value
            }
            (Want::Next, _) if builder.stack.is_empty() => break,
            (Want::Next, b',') => {
                json.at += 1;
                match builder.stack.last() {
                    Some(Frame { mapping: true, .. }) => Want::Key(false),
                    _ => Want::Value,
                }
            }
            (Want::Next, b'}' | b']') => {
                let mapping = json.peek() == b'}';
                if !matches!(builder.stack.last(), Some(f) if f.mapping == mapping) {
                    break;
                }
                json.at += 1;
                builder.end();
                Want::Next
            }
            _ => break,
        };
    }
    builder
}

impl Json<'_> {
    /// The byte at the cursor; 0 at the end (a 0 byte is an error anywhere
    /// in JSON).
    fn peek(&self) -> u8 {
        self.bytes.get(self.at).copied().unwrap_or(0)
    }

    /// Skips blanks, counting lines: `\r\n`, `\n` and a lone `\r` each end
    /// one.
    fn blank(&mut self) {
        loop {
            match self.peek() {
                b' ' | b'\t' => self.at += 1,
                b'\n' => self.new_line(1),
                b'\r' if self.bytes.get(self.at + 1) == Some(&b'\n') => self.new_line(2),
                b'\r' => self.new_line(1),
                _ => return,
            }
        }
    }

    fn new_line(&mut self, width: usize) {
        self.at += width;
        self.line += 1;
        self.line_start = self.at;
        self.known = (self.at, 0);
    }

    /// 1-based column of the cursor, in characters.
    fn col(&mut self) -> usize {
        let (mut offset, mut col) = self.known;
        if offset < self.line_start || offset > self.at {
            (offset, col) = (self.line_start, 0);
        }
        let between = self.bytes.get(offset..self.at).unwrap_or_default();
        // Characters are counted by their first bytes (not 0b10xx_xxxx).
        col += between.iter().filter(|&&b| b & 0xC0 != 0x80).count();
        self.known = (self.at, col);
        col + 1
    }

    /// Skips the string at the cursor, decoding it into `out` if given.
    /// `None` when it does not end, or has a raw control character.
    fn string(&mut self, out: Option<&mut String>) -> Option<()> {
        let start = self.at + 1;
        let mut at = start;
        let mut escaped = false;
        loop {
            match *self.bytes.get(at)? {
                b'"' => break,
                b'\\' => {
                    escaped = true;
                    at += 2;
                }
                0..=0x1F => return None,
                _ => at += 1,
            }
        }
        self.at = at + 1;
        if let Some(out) = out {
            out.clear();
            let raw = self.text.get(start..at)?;
            if escaped {
                unescape_json(raw, out);
            } else {
                out.push_str(raw);
            }
        }
        Some(())
    }
}

/// Decodes the escapes of a JSON string's contents; `\uXXXX` pairs of
/// surrogates make one character, a lone surrogate or a bad escape becomes
/// U+FFFD (`serde_json` rejects both, so nothing will look for them).
fn unescape_json(raw: &str, out: &mut String) {
    fn hex4(chars: &mut std::str::Chars<'_>) -> Option<u32> {
        let mut n = 0;
        for _ in 0..4 {
            n = n * 16 + chars.next()?.to_digit(16)?;
        }
        Some(n)
    }
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let decoded = match chars.next() {
            Some('"') => Some('"'),
            Some('\\') => Some('\\'),
            Some('/') => Some('/'),
            Some('b') => Some('\u{8}'),
            Some('f') => Some('\u{c}'),
            Some('n') => Some('\n'),
            Some('r') => Some('\r'),
            Some('t') => Some('\t'),
            Some('u') => match hex4(&mut chars) {
                Some(high @ 0xD800..=0xDBFF) => {
                    let mut ahead = chars.clone();
                    let low = match (ahead.next(), ahead.next()) {
                        (Some('\\'), Some('u')) => hex4(&mut ahead),
                        _ => None,
                    };
                    match low {
                        Some(low @ 0xDC00..=0xDFFF) => {
                            chars = ahead;
                            char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
                        }
                        _ => None,
                    }
                }
                Some(n) => char::from_u32(n),
                None => None,
            },
            _ => None,
        };
        out.push(decoded.unwrap_or('\u{fffd}'));
    }
}
