//! A unified diff of one file's change, for a stale check.

use crate::write::{Change, ChangeKind};
use std::path::Path;

/// The most lines of diff shown for one file.
const MAX_LINES: usize = 200;

/// A unified diff of `change` in the crate folder `out`, cut short when
/// very long.
pub(super) fn unified(out: &Path, change: &Change) -> String {
    let path = format!("{}/{}", out.display(), change.path);
    let (old_name, new_name) = match change.kind {
        ChangeKind::Added => ("/dev/null".to_owned(), path.clone()),
        ChangeKind::Removed => (path.clone(), "/dev/null".to_owned()),
        ChangeKind::Modified => (path.clone(), path.clone()),
    };
    let diff = similar::TextDiff::from_lines(&change.old, &change.new);
    let text = diff
        .unified_diff()
        .context_radius(3)
        .header(&old_name, &new_name)
        .to_string();
    let lines: Vec<&str> = text.lines().collect();
    if lines.len() <= MAX_LINES {
        return text;
    }
    let mut short = lines[..MAX_LINES].join("\n");
    short.push_str(&format!(
        "\n... {} more lines of diff for {path}\n",
        lines.len() - MAX_LINES
    ));
    short
}
