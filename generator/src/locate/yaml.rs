//! Part of the locator: YAML, read by `saphyr-parser`'s events, whose
//! spans give each value's position.

use super::{Builder, Kind};
use saphyr_parser::{Event, Marker, Parser, ScalarStyle};
use std::collections::HashMap;

/// Reads YAML; and when saphyr stops at an error in text with tabs, once
/// more with every tab a space, keeping the reading that got further.
/// saphyr refuses some tabs that libyaml (`serde_yaml`) takes, such as one
/// right after `key:`; a space has the same width, so no position moves,
/// and only a key with a raw tab in it reads differently.
pub(super) fn read_yaml_lenient(text: &str) -> Builder {
    let (builder, complete) = read_yaml(text);
    if complete || !text.contains('\t') {
        return builder;
    }
    let (spaced, _) = read_yaml(&text.replace('\t', " "));
    if spaced.nodes.len() > builder.nodes.len() {
        spaced
    } else {
        builder
    }
}

/// Reads YAML; `true` with it when saphyr found no error.
pub(super) fn read_yaml(text: &str) -> (Builder, bool) {
    let mut builder = Builder::default();
    // saphyr's anchor ids → our nodes.
    let mut anchors: HashMap<usize, u32> = HashMap::new();
    let mut previous_end: Option<Marker> = None;
    let mut cursor = CharCursor::default();
    for item in Parser::new_from_str(text) {
        let Ok((event, span)) = item else {
            return (builder, false);
        };
        let (line, col) = (span.start.line(), span.start.col() + 1);
        let (made, anchor) = match event {
            Event::Scalar(value, style, anchor, _) => {
                if builder.wants_key() {
                    builder.key(&value);
                    (None, 0)
                } else {
                    let (line, col) = match (style, previous_end) {
                        (ScalarStyle::Literal | ScalarStyle::Folded, Some(after)) => {
                            block_indicator(text, &mut cursor, after, span.start)
                                .unwrap_or((line, col))
                        }
                        _ => (line, col),
                    };
                    (builder.node(line, col, Kind::Scalar, 0), anchor)
                }
            }
            Event::MappingStart(anchor, _) => (builder.node(line, col, Kind::Mapping, 0), anchor),
            Event::SequenceStart(anchor, _) => (builder.node(line, col, Kind::Sequence, 0), anchor),
            Event::MappingEnd | Event::SequenceEnd => {
                builder.end();
                (None, 0)
            }
            Event::Alias(id) => {
                match anchors.get(&id) {
                    Some(&target) => builder.node(line, col, Kind::Alias, target),
                    None => builder.node(line, col, Kind::Scalar, 0),
                };
                (None, 0)
            }
            Event::DocumentEnd if !builder.nodes.is_empty() => break,
            Event::StreamEnd => break,
            Event::Nothing | Event::StreamStart | Event::DocumentStart(_) | Event::DocumentEnd => {
                (None, 0)
            }
        };
        if let (Some(node), true) = (made, anchor != 0) {
            anchors.insert(anchor, node);
        }
        previous_end = Some(span.end);
    }
    (builder, true)
}

/// The position of the `|` or `>` of a block scalar: saphyr's span starts at
/// the content, on a later line, but the value starts at its indicator.
/// Walks the text from the end of the previous event to the content, over
/// nothing but blanks, line breaks, comments and `:`, `-`, `?`; anything
/// else (an anchor or tag, which the span already starts at) gives `None`.
fn block_indicator(
    text: &str,
    cursor: &mut CharCursor,
    from: Marker,
    content: Marker,
) -> Option<(usize, usize)> {
    let mut index = from.index();
    let (mut line, mut col) = (from.line(), from.col());
    let start = cursor.seek(text, index);
    let mut chars = text.get(start..)?.chars().peekable();
    let mut comment = false;
    while index < content.index() {
        let c = chars.next()?;
        index += 1;
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                (line, col) = (line + 1, 0);
                comment = false;
            }
            _ if comment => col += 1,
            '#' => {
                comment = true;
                col += 1;
            }
            '|' | '>' => return Some((line, col + 1)),
            ' ' | '\t' | ':' | '-' | '?' => col += 1,
            '\u{feff}' => {}
            _ => return None,
        }
    }
    None
}

/// Turns saphyr's character indices into byte offsets, walking from the
/// last one asked (they mostly grow).
#[derive(Default)]
struct CharCursor {
    chars: usize,
    bytes: usize,
}

impl CharCursor {
    fn seek(&mut self, text: &str, target: usize) -> usize {
        while self.chars > target && self.bytes > 0 {
            self.bytes -= 1;
            while self.bytes > 0 && !text.is_char_boundary(self.bytes) {
                self.bytes -= 1;
            }
            self.chars -= 1;
        }
        if self.chars < target {
            let rest = text.get(self.bytes..).unwrap_or_default();
            for c in rest.chars().take(target - self.chars) {
                self.bytes += c.len_utf8();
                self.chars += 1;
            }
        }
        self.bytes
    }
}
