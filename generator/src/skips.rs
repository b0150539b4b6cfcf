//! The skip report: what the generated crate leaves out, weakens or renames,
//! as a user reads it. Items with the same reason are grouped, with a count
//! and the first few places, so that a report of hundreds of items stays
//! readable; the full report lists every place.

use crate::ir::Skipped;
use std::fmt::Write as _;

/// How many places a group shows when the report is not full.
const PLACES_SHOWN: usize = 3;

/// The report for `skipped` items of the document `label`, or `None` when
/// there is nothing to say. `full` lists every place of every group.
pub fn report(label: &str, skipped: &[Skipped], full: bool) -> Option<String> {
    if skipped.is_empty() {
        return None;
    }
    // Groups in the order their first item appears in the document.
    let mut groups: Vec<(&str, Vec<&Skipped>)> = Vec::new();
    for item in skipped {
        match groups.iter_mut().find(|(m, _)| *m == item.message) {
            Some((_, items)) => items.push(item),
            None => groups.push((&item.message, vec![item])),
        }
    }
    let n = skipped.len();
    let mut out = format!(
        "warning: {label}: {n} {} in the document {} not carried out as written by the generated crate",
        if n == 1 { "thing" } else { "things" },
        if n == 1 { "is" } else { "are" },
    );
    let folded = !full && groups.iter().any(|(_, items)| items.len() > PLACES_SHOWN);
    if groups.len() < n {
        let reasons = groups.len();
        let _ = write!(
            out,
            " ({reasons} {}",
            if reasons == 1 { "reason" } else { "reasons" }
        );
        out.push_str(if folded {
            "; `--all-skips` lists every place)"
        } else {
            ")"
        });
    }
    out.push_str(":\n");
    for (message, items) in &groups {
        match items.len() {
            1 => {
                let _ = writeln!(out, "  - {message}");
            }
            count => {
                let _ = writeln!(out, "  - {count} × {message}");
            }
        }
        let shown = if full { items.len() } else { PLACES_SHOWN };
        for item in items.iter().take(shown) {
            let _ = writeln!(out, "      at {}", place(label, item));
        }
        if items.len() > shown {
            let _ = writeln!(out, "      ... and {} more", items.len() - shown);
        }
    }
    Some(out)
}

/// `file:line:col (pointer)`, or `file (pointer)` without a position, and
/// what was left out when the pointer does not say it.
fn place(label: &str, item: &Skipped) -> String {
    let mut place = match item.line_col {
        Some((line, col)) => format!("{label}:{line}:{col} ({})", item.pointer),
        None => format!("{label} ({})", item.pointer),
    };
    if let Some(subject) = &item.subject {
        let _ = write!(place, ": {subject}");
    }
    place
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(pointer: &str, line: usize, message: &str) -> Skipped {
        Skipped {
            subject: None,
            pointer: pointer.into(),
            line_col: Some((line, 3)),
            message: message.into(),
        }
    }

    #[test]
    fn nothing_to_say_is_no_report() {
        assert_eq!(report("x.yaml", &[], false), None);
    }

    #[test]
    fn one_item_is_one_line_and_its_place() {
        assert_eq!(
            report("x.yaml", &[item("#/a", 4, "left out")], false).unwrap(),
            "warning: x.yaml: 1 thing in the document is not carried out as written by the generated crate:\n  - left out\n      at x.yaml:4:3 (#/a)\n"
        );
    }

    #[test]
    fn identical_reasons_are_grouped_and_counted() {
        let items: Vec<Skipped> = (1..=5)
            .map(|i| item(&format!("#/d{i}"), i, "default not applied"))
            .chain([item("#/op", 9, "operation left out")])
            .collect();
        let grouped = report("x.yaml", &items, false).unwrap();
        assert_eq!(
            grouped,
            "warning: x.yaml: 6 things in the document are not carried out as written by the generated crate (2 reasons; `--all-skips` lists every place):\n  \
             - 5 × default not applied\n      at x.yaml:1:3 (#/d1)\n      at x.yaml:2:3 (#/d2)\n      at x.yaml:3:3 (#/d3)\n      ... and 2 more\n  \
             - operation left out\n      at x.yaml:9:3 (#/op)\n"
        );
        let full = report("x.yaml", &items, true).unwrap();
        assert!(full.contains("at x.yaml:5:3 (#/d5)"), "{full}");
        assert!(!full.contains("more"), "{full}");
    }
}
