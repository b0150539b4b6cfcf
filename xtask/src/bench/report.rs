//! The bench's report: the table of phases, the targets it marks and the
//! share of each phase, as Markdown.

use super::{DocResult, LOWER_EMIT_SHARE};
use std::fmt::Write as _;
use std::time::Duration;

fn mb(kib: u64) -> f64 {
    kib as f64 * 1024.0 / 1e6
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

pub(super) fn mark(ok: bool) -> &'static str {
    if ok { "✓" } else { "✗" }
}

/// A target: `150 ms`, `1 s`.
fn limit(d: Duration) -> String {
    if d.subsec_nanos() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{} ms", d.as_millis())
    }
}

/// `1234567` → `1,234,567`.
pub(super) fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A size in bytes as KB or MB (10³, 10⁶).
fn size(bytes: usize) -> String {
    if bytes >= 1_000_000 {
        format!("{:.1} MB", bytes as f64 / 1e6)
    } else {
        format!("{:.0} KB", bytes as f64 / 1e3)
    }
}

impl DocResult {
    /// (lower + emit) over the time of every phase on one thread: the
    /// share of the generator's own work, as formatting is the floor.
    fn lower_emit_share(&self) -> f64 {
        let m = &self.median;
        let sequential = m.load + m.lower + m.emit + m.format + m.write;
        (m.lower + m.emit).as_secs_f64() / sequential.as_secs_f64().max(f64::MIN_POSITIVE)
    }

    fn total_ok(&self) -> Option<bool> {
        self.doc.total_target.map(|t| self.median.total < t)
    }

    /// The tighter of the document's two memory targets, in MB.
    fn peak_target_mb(&self) -> Option<f64> {
        let relative = self
            .doc
            .peak_per_input
            .map(|times| times * self.input_bytes as f64 / 1e6);
        match (self.doc.peak_target_mb, relative) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    fn peak_ok(&self) -> Option<bool> {
        match (self.peak_target_mb(), self.peak_kib) {
            (Some(target), Some(kib)) => Some(mb(kib) < target),
            _ => None,
        }
    }
}

/// The results as a Markdown table, with ✓/✗ where there is a target.
pub(super) fn table(results: &[DocResult]) -> String {
    let mut rows = vec![
        [
            "document",
            "input",
            "runs",
            "load",
            "lower",
            "emit (1 thread, apart)",
            "format (1 thread, apart)",
            "emit + format (all threads)",
            "write",
            "total",
            "total/load",
            "(lower+emit)/all, 1 thread",
            "lines out",
            "bytes out",
            "peak RSS",
            "live heap at the peak",
        ]
        .map(str::to_owned)
        .to_vec(),
    ];
    let with_mark = |text: String, ok: Option<bool>| match ok {
        Some(ok) => format!("{text} {}", mark(ok)),
        None => text,
    };
    for r in results {
        let m = &r.median;
        let share = r.lower_emit_share();
        rows.push(vec![
            r.doc.file().to_owned(),
            size(r.input_bytes),
            r.runs.to_string(),
            ms(m.load),
            ms(m.lower),
            ms(m.emit),
            ms(m.format),
            ms(m.render),
            ms(m.write),
            with_mark(ms(m.total), r.total_ok()),
            format!(
                "{:.1}×",
                m.total.as_secs_f64() / m.load.as_secs_f64().max(f64::MIN_POSITIVE)
            ),
            with_mark(
                format!("{:.0}%", share * 100.0),
                Some(share < LOWER_EMIT_SHARE),
            ),
            thousands(r.output.lines),
            thousands(r.output.bytes),
            with_mark(
                r.peak_kib
                    .map_or("n/a".into(), |kib| format!("{:.1} MB", mb(kib))),
                r.peak_ok(),
            ),
            r.heap_peak_bytes.map_or("n/a".into(), |bytes| {
                format!("{:.1} MB", bytes as f64 / 1e6)
            }),
        ]);
    }
    markdown_table(&rows)
}

/// Each target, whether it holds, and by how much.
pub(super) fn targets(results: &[DocResult]) -> String {
    let mut out = String::from("Targets (✓ met, ✗ missed; timing never changes the exit code):\n");
    for r in results {
        let file = r.doc.file();
        if let (Some(target), Some(ok)) = (r.doc.total_target, r.total_ok()) {
            let _ = writeln!(
                out,
                "- {} {file}: total {} < {}",
                mark(ok),
                ms(r.median.total),
                limit(target)
            );
        }
        let share = r.lower_emit_share();
        let _ = writeln!(
            out,
            "- {} {file}: (lower+emit) / every phase on one thread {:.0}% < 33%",
            mark(share < LOWER_EMIT_SHARE),
            share * 100.0
        );
        if let Some(target) = r.peak_target_mb() {
            let relative = r
                .doc
                .peak_per_input
                .map_or(String::new(), |times| format!(" ({times:.0}× the input)"));
            match (r.peak_kib, r.peak_ok()) {
                (Some(kib), Some(ok)) => {
                    let lean = r.kept_peak_kib.map_or(String::new(), |kept| {
                        format!(
                            ", generated lean (a document of 2 MiB or more); {:.1} MB with mimalloc keeping freed memory, as for a smaller document",
                            mb(kept)
                        )
                    });
                    let heap = r.heap_peak_bytes.map_or(String::new(), |bytes| {
                        format!(
                            "; the generation's own live heap at its peak {:.1} MB",
                            bytes as f64 / 1e6
                        )
                    });
                    let _ = writeln!(
                        out,
                        "- {} {file}: peak RSS {:.1} MB < {target:.0} MB{relative}{lean}{heap}",
                        mark(ok),
                        mb(kib)
                    );
                }
                _ => {
                    let _ = writeln!(
                        out,
                        "- ? {file}: peak RSS n/a (no /proc/self/status) < {target:.0} MB"
                    );
                }
            }
        }
    }
    out
}

/// Each phase's share of the total, largest first, per document.
pub(super) fn shares(results: &[DocResult]) -> String {
    let mut out = String::from(
        "Share of each phase in the total (each column is its own median, so the phases need not add up to the total):\n",
    );
    for r in results {
        let m = &r.median;
        let total = m.total.as_secs_f64().max(f64::MIN_POSITIVE);
        let mut phases = [
            ("load", m.load),
            ("lower", m.lower),
            ("emit + format", m.render),
            ("write", m.write),
        ];
        phases.sort_by_key(|p| std::cmp::Reverse(p.1));
        let parts: Vec<String> = phases
            .iter()
            .map(|(name, d)| format!("{name} {:.0}%", d.as_secs_f64() / total * 100.0))
            .collect();
        let _ = writeln!(out, "- {}: {}", r.doc.file(), parts.join(" · "));
    }
    out
}

/// A Markdown table with padded columns; the first row is the header.
pub(super) fn markdown_table(rows: &[Vec<String>]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0; columns];
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |row: &[String]| {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, width)| format!("{cell}{}", " ".repeat(width - cell.chars().count())))
            .collect();
        format!("| {} |\n", cells.join(" | "))
    };
    let mut out = String::new();
    if let Some((header, body)) = rows.split_first() {
        out.push_str(&line(header));
        let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
        let _ = writeln!(out, "| {} |", rule.join(" | "));
        for row in body {
            out.push_str(&line(row));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bench::{DOCUMENTS, Output, Phases};

    #[test]
    fn numbers_are_readable() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(size(436_683), "437 KB");
        assert_eq!(size(3_720_208), "3.7 MB");
        assert_eq!(ms(Duration::from_micros(12_345)), "12.3 ms");
        assert_eq!(limit(Duration::from_secs(1)), "1 s");
        assert_eq!(limit(Duration::from_millis(150)), "150 ms");
    }

    #[test]
    fn the_table_marks_targets() {
        let doc = DOCUMENTS[1];
        let result = DocResult {
            doc,
            input_bytes: 436_683,
            runs: 10,
            median: Phases {
                load: Duration::from_millis(20),
                lower: Duration::from_millis(10),
                emit: Duration::from_millis(10),
                format: Duration::from_millis(60),
                render: Duration::from_millis(50),
                write: Duration::from_millis(10),
                total: Duration::from_millis(100),
            },
            output: Output {
                files: 6,
                lines: 12345,
                bytes: 456789,
            },
            peak_kib: Some(200_000),
            kept_peak_kib: Some(100_000),
            heap_peak_bytes: Some(50_000_000),
        };
        let text = table(std::slice::from_ref(&result));
        let row = text.lines().nth(2).unwrap();
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        assert_eq!(
            cells[1..cells.len() - 1],
            [
                "nexus.json",
                "437 KB",
                "10",
                "20.0 ms",
                "10.0 ms",
                "10.0 ms",
                "60.0 ms",
                "50.0 ms",
                "10.0 ms",
                "100.0 ms ✓",
                "5.0×",
                "18% ✓",
                "12,345",
                "456,789",
                "204.8 MB ✗",
                "50.0 MB",
            ]
        );
        let targets = targets(std::slice::from_ref(&result));
        assert!(
            targets.contains("- ✓ nexus.json: total 100.0 ms < 150 ms"),
            "{targets}"
        );
        assert!(
            targets.contains("- ✗ nexus.json: peak RSS 204.8 MB < 100 MB"),
            "{targets}"
        );
        let shares = shares(&[result]);
        assert!(
            shares.contains("- nexus.json: emit + format 50% · load 20% · "),
            "{shares}"
        );
    }
}
