//! The corpus's report: the table of documents, the summary, the wire
//! tests' totals, and for each failure what went wrong.

use super::{CorpusArgs, EXCERPT_LINES, Outcome, Row};
use std::fmt::Write as _;

/// The table, the summary line, and for each document what the generator
/// left out and why it failed.
pub(super) fn report(rows: &[Row], args: &CorpusArgs) -> String {
    let mut table = vec![
        [
            "document",
            "types",
            "operations",
            "generate",
            "check",
            "clippy",
            "wire",
            "calls",
            "result",
        ]
        .map(str::to_owned),
    ];
    for row in rows {
        let (types, operations) = match row.counts {
            Some((types, operations)) => (types.to_string(), operations.to_string()),
            None => ("—".into(), "—".into()),
        };
        table.push([
            row.document.file.clone(),
            types,
            operations,
            row.generate
                .map_or("—".into(), |t| format!("{} ms", t.as_millis())),
            row.check.cell(),
            row.clippy.cell(),
            wire_cell(row),
            calls_cell(row),
            row.outcome().to_string(),
        ]);
    }
    let mut out = markdown_table(&table);

    let generated = rows.iter().filter(|row| row.generated()).count();
    let clean = rows
        .iter()
        .filter(|row| row.outcome() == Outcome::Clean)
        .count();
    let total = rows.len();
    let skipped: Vec<&str> = [
        (args.skip_clippy || args.wire_only, "clippy"),
        (args.skip_wire, "wire tests"),
        (args.skip_calls && !args.wire_only, "calls"),
    ]
    .into_iter()
    .filter_map(|(skipped, what)| skipped.then_some(what))
    .collect();
    let _ = writeln!(
        out,
        "\n{generated}/{total} generated, {clean}/{total} clean{}",
        if skipped.is_empty() {
            String::new()
        } else {
            format!(" ({} skipped)", skipped.join(", "))
        }
    );
    if !args.skip_wire {
        out.push_str(&wire_totals(rows));
    }
    if !args.skip_calls {
        out.push_str(&calls_totals(rows));
    }

    for row in rows {
        let failure = match (&row.generate_failure, &row.cargo_output) {
            (Some(failure), _) => Some(&failure.message),
            (None, Some(output)) => Some(output),
            (None, None) => None,
        };
        let calls = calls_details(row);
        if row.skipped.is_none()
            && failure.is_none()
            && row.document_faults.is_empty()
            && calls.is_empty()
        {
            continue;
        }
        let _ = writeln!(out, "\n## {} ({})\n", row.document.file, row.outcome());
        if let Some(skipped) = &row.skipped {
            out.push_str(skipped);
        }
        if !row.document_faults.is_empty() {
            let _ = writeln!(
                out,
                "{} examples break their own schema, and fail (the document's fault):",
                row.document_faults.len()
            );
            for fault in row.document_faults.iter().take(EXCERPT_LINES) {
                let _ = writeln!(out, "  {fault}");
            }
            if row.document_faults.len() > EXCERPT_LINES {
                let _ = writeln!(
                    out,
                    "  ... and {} more",
                    row.document_faults.len() - EXCERPT_LINES
                );
            }
        }
        if let Some(text) = failure {
            if row.skipped.is_some() {
                out.push('\n');
            }
            if let Some(kinds) = row.cargo_output.as_deref().and_then(error_kinds) {
                let _ = writeln!(out, "errors by kind: {kinds}\n");
            }
            out.push_str(&excerpt(text, EXCERPT_LINES));
        }
        if !calls.is_empty() {
            if row.skipped.is_some() || failure.is_some() || !row.document_faults.is_empty() {
                out.push('\n');
            }
            out.push_str(&calls);
        }
    }
    out
}

/// The calls column: for each mode, operations called / accepted by Prism
/// / answers decoded, of the crate's operations.
fn calls_cell(row: &Row) -> String {
    if row.calls.is_empty() {
        return "—".into();
    }
    let cells: Vec<String> = row
        .calls
        .iter()
        .map(|(mode, run)| match &run.failure {
            Some(_) => format!("{} ✗", mode.name()),
            None => format!(
                "{} {}/{}/{} of {}",
                mode.name(),
                run.called,
                run.accepted,
                run.decoded,
                run.total + row.left_out
            ),
        })
        .collect();
    cells.join(" · ")
}

/// The corpus's call totals, one line per mode.
fn calls_totals(rows: &[Row]) -> String {
    let mut out = String::new();
    for mode in super::calls::Mode::BOTH {
        let runs: Vec<&super::calls::CallRun> = rows
            .iter()
            .flat_map(|r| &r.calls)
            .filter(|(m, _)| *m == mode)
            .map(|(_, run)| run)
            .collect();
        if runs.is_empty() {
            continue;
        }
        let sum = |f: fn(&super::calls::CallRun) -> usize| runs.iter().map(|r| f(r)).sum::<usize>();
        let left_out: usize = rows
            .iter()
            .filter(|r| r.calls.iter().any(|(m, _)| *m == mode))
            .map(|r| r.left_out)
            .sum();
        let _ = writeln!(
            out,
            "calls ({}): {} operations ({left_out} left out of the crates), {} called, {} accepted by Prism, {} answers decoded; {} faults of the crates' ({} known), {} listed apart, {} runs that could not be made",
            mode.name(),
            sum(|r| r.total) + left_out,
            sum(|r| r.called),
            sum(|r| r.accepted),
            sum(|r| r.decoded),
            sum(|r| r.faults.len() + r.known.len()),
            sum(|r| r.known.len()),
            sum(|r| r.apart.len()),
            runs.iter().filter(|r| r.failure.is_some()).count(),
        );
    }
    out
}

/// What the calls found for a document: runs that could not be made, new
/// faults, listed-apart violations, known faults now fixed.
fn calls_details(row: &Row) -> String {
    let mut out = String::new();
    if row.left_out > 0 && !row.calls.is_empty() {
        let _ = writeln!(
            out,
            "calls: {} operations of the document are left out of the crate (the skip report says why), so not called",
            row.left_out
        );
    }
    for (mode, run) in &row.calls {
        let mode = mode.name();
        if !run.copy.is_empty() {
            let _ = writeln!(
                out,
                "calls ({mode}): Prism cannot read the document; its copy leaves out {}",
                run.copy.join(", ")
            );
        }
        if let Some(why) = &run.failure {
            let _ = writeln!(out, "calls ({mode}): could not be made: {why}");
        }
        if !run.faults.is_empty() {
            let _ = writeln!(
                out,
                "calls ({mode}): {} faults of the crate's, not in {}:",
                run.faults.len(),
                super::calls::KNOWN
            );
            for (operation, what) in run.faults.iter().take(EXCERPT_LINES) {
                let _ = writeln!(out, "  {operation}: {}", shorten(what, 600));
            }
            if run.faults.len() > EXCERPT_LINES {
                let _ = writeln!(out, "  ... and {} more", run.faults.len() - EXCERPT_LINES);
            }
        }
        if !run.known.is_empty() {
            let _ = writeln!(
                out,
                "calls ({mode}): {} known faults ({}): {}",
                run.known.len(),
                super::calls::KNOWN,
                run.known
                    .iter()
                    .map(|(o, _)| o.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        if !run.apart.is_empty() {
            let _ = writeln!(out, "calls ({mode}): {} listed apart:", run.apart.len());
            for (operation, why) in run.apart.iter().take(EXCERPT_LINES / 4) {
                let _ = writeln!(out, "  {operation}: {}", shorten(why, 300));
            }
            if run.apart.len() > EXCERPT_LINES / 4 {
                let _ = writeln!(
                    out,
                    "  ... and {} more",
                    run.apart.len() - EXCERPT_LINES / 4
                );
            }
        }
        if !run.fixed.is_empty() {
            let _ = writeln!(
                out,
                "calls ({mode}): listed in {} but no longer failing (take them out): {}",
                super::calls::KNOWN,
                run.fixed.join(", ")
            );
        }
    }
    out
}

/// `text` cut to about `max` bytes, on a character boundary.
fn shorten(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_owned();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}...", &text[..end])
}

/// The wire column: cases passed of all, the examples among them, and how
/// many examples break their own schema.
fn wire_cell(row: &Row) -> String {
    let Some(summary) = &row.wire_summary else {
        return row.wire.cell();
    };
    let numbers = WireNumbers::read(summary);
    format!(
        "{}/{} · ex {}/{} · {} bad ex",
        numbers.passed, numbers.total, numbers.examples_passed, numbers.examples, numbers.invalid
    )
}

/// The numbers of a wire tests' summary line.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct WireNumbers {
    passed: usize,
    total: usize,
    examples_passed: usize,
    examples: usize,
    invalid: usize,
}

impl WireNumbers {
    /// Reads `P of T cases pass; examples EP passed of E paired; I examples
    /// break their own schema, ...`: the numbers in that order.
    fn read(summary: &str) -> WireNumbers {
        let numbers: Vec<usize> = summary
            .split(|c: char| !c.is_ascii_digit())
            .filter_map(|n| n.parse().ok())
            .collect();
        let at = |i: usize| numbers.get(i).copied().unwrap_or(0);
        WireNumbers {
            passed: at(0),
            total: at(1),
            examples_passed: at(2),
            examples: at(3),
            invalid: at(4),
        }
    }
}

/// The corpus's wire totals, one line.
fn wire_totals(rows: &[Row]) -> String {
    let mut sum = WireNumbers::default();
    for numbers in rows
        .iter()
        .filter_map(|r| r.wire_summary.as_deref())
        .map(WireNumbers::read)
    {
        sum.passed += numbers.passed;
        sum.total += numbers.total;
        sum.examples_passed += numbers.examples_passed;
        sum.examples += numbers.examples;
        sum.invalid += numbers.invalid;
    }
    format!(
        "wire: {} of {} cases pass; examples {} passed of {} paired; {} examples break their own schema\n",
        sum.passed, sum.total, sum.examples_passed, sum.examples, sum.invalid
    )
}

/// A Markdown table with padded columns; the first row is the header.
fn markdown_table<const N: usize>(rows: &[[String; N]]) -> String {
    let mut widths = [0; N];
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |row: &[String; N]| {
        let cells: Vec<String> = row
            .iter()
            .zip(widths)
            .map(|(cell, width)| format!("{cell}{}", " ".repeat(width - cell.chars().count())))
            .collect();
        format!("| {} |\n", cells.join(" | "))
    };
    let mut out = line(&rows[0]);
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    let _ = writeln!(out, "| {} |", rule.join(" | "));
    for row in &rows[1..] {
        out.push_str(&line(row));
    }
    out
}

/// How many errors of each kind the compiler reported (`E0599 ×5,
/// clippy::too_many_arguments ×30`), most frequent first, or `None` when
/// none has a code: the excerpt shows only the first few.
pub(super) fn error_kinds(text: &str) -> Option<String> {
    let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
    for line in text.lines() {
        let code = line
            .strip_prefix("error[")
            .and_then(|rest| rest.split_once(']'))
            .map(|(code, _)| code.to_owned())
            .or_else(|| {
                let (_, lint) = line
                    .trim_start()
                    .strip_prefix("= help: for further information visit https://rust-lang.github.io/rust-clippy/")?
                    .rsplit_once('#')?;
                Some(format!("clippy::{lint}"))
            });
        if let Some(code) = code {
            *counts.entry(code).or_default() += 1;
        }
    }
    if counts.is_empty() {
        return None;
    }
    let mut counts: Vec<(String, usize)> = counts.into_iter().collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let kinds: Vec<String> = counts
        .iter()
        .map(|(code, n)| format!("{code} ×{n}"))
        .collect();
    Some(kinds.join(", "))
}

/// Whether a line is one of cargo's progress lines (`   Compiling x v1`),
/// which say nothing about a failure.
fn is_cargo_status(line: &str) -> bool {
    let trimmed = line.trim_start();
    trimmed.len() < line.len()
        && matches!(
            trimmed.split(' ').next(),
            Some(
                "Compiling"
                    | "Checking"
                    | "Blocking"
                    | "Locking"
                    | "Updating"
                    | "Adding"
                    | "Removing"
                    | "Downgrading"
                    | "Downloading"
                    | "Downloaded"
                    | "Finished"
                    | "Fresh"
                    | "Unpacking"
            )
        )
}

/// The first `max` lines of `text` without cargo's progress lines; when
/// more are left out, a count and the last line (cargo's "could not
/// compile ... due to N previous errors").
pub(super) fn excerpt(text: &str, max: usize) -> String {
    let lines: Vec<&str> = text.lines().filter(|l| !is_cargo_status(l)).collect();
    let mut out = String::new();
    for line in lines.iter().take(max) {
        out.push_str(line);
        out.push('\n');
    }
    if lines.len() > max {
        let last = lines[lines.len() - 1];
        let _ = writeln!(out, "... {} more lines ...", lines.len() - max - 1);
        out.push_str(last);
        out.push('\n');
    }
    out
}
