//! Peak memory: each document is generated once more in a child process
//! (this same executable, `bench-run --peak-rss-of NAME`), which reports its
//! own `VmHWM` and the most bytes its heap held at once, so that one
//! document's allocations do not count against another's.

use super::{BENCH_DIR, DOCUMENTS, Document};
use crate::{Failure, exit, usage};
use openapi_codegen::write;
use std::path::Path;
use std::process::{Command, ExitCode, Stdio};

/// The lines the peak-memory child prints on stdout.
const PEAK_PREFIX: &str = "peak_rss_kib ";
const HEAP_PREFIX: &str = "peak_heap_bytes ";

/// How the peak-memory child's allocator serves the generation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Allocator {
    /// As `cargo xtask codegen --spec` does for the document: lean when it
    /// is large ([`crate::alloc::Lean`]).
    AsUsers,
    /// mimalloc keeping freed memory for reuse, as for a small document,
    /// whatever the document's size: what lean saves.
    Kept,
}

/// Runs `bench-run --peak-rss-of NAME` in a child process (this same
/// executable) and reads the peak memory it reports: its peak RSS in KiB,
/// and the most bytes live on its heap at once.
pub(super) fn peak_rss_of_child(
    doc: &Document,
    allocator: Allocator,
) -> Result<(Option<u64>, Option<u64>), Failure> {
    let exe = std::env::current_exe().map_err(|e| {
        Failure::report(
            exit::INTERNAL,
            format!("error: cannot find the running executable: {e}"),
        )
    })?;
    let output = Command::new(&exe)
        .args(["bench-run", "--peak-rss-of", doc.name])
        .args((allocator == Allocator::Kept).then_some("--kept"))
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| {
            Failure::report(
                exit::INTERNAL,
                format!("error: cannot run {}: {e}", exe.display()),
            )
        })?;
    if !output.status.success() {
        let code = output
            .status
            .code()
            .and_then(|c| u8::try_from(c).ok())
            .unwrap_or(exit::INTERNAL);
        return Err(Failure::report(
            code,
            format!(
                "error: the peak-memory run of {} failed ({})",
                doc.file(),
                output.status
            ),
        ));
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let value = |prefix: &str| {
        stdout
            .lines()
            .find_map(|l| l.strip_prefix(prefix))
            .and_then(|v| v.trim().parse().ok())
    };
    Ok((value(PEAK_PREFIX), value(HEAP_PREFIX)))
}

/// The child's side: read and generate `name` once, then print the peak
/// resident set size (`n/a` where `/proc/self/status` has none).
pub(super) fn peak_rss_child(root: &Path, name: &str, allocator: Allocator) -> ExitCode {
    let Some(doc) = DOCUMENTS.iter().find(|d| d.is_named(name)) else {
        return usage(&format!("no benchmark document named `{name}`"));
    };
    // The text is part of what a generation holds.
    crate::alloc::count_from_now();
    let text = match std::fs::read_to_string(root.join(doc.path)) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", doc.path);
            return ExitCode::from(exit::INVALID_SPEC);
        }
    };
    let out = root.join(BENCH_DIR).join("peak").join(doc.name);
    let _ = std::fs::remove_dir_all(&out);
    // What a user's generation holds at its peak: `generate` and `write`,
    // as `cargo xtask codegen --spec` runs them, lean for a large document
    // (not the bench's timing of emission and formatting apart, which
    // holds every file's tokens at once).
    let mut config = openapi_codegen::Config::new(doc.crate_name());
    config.spec_label = doc.path.to_owned();
    let mut lean = match allocator {
        Allocator::AsUsers => crate::alloc::Lean::for_document(text.len()),
        Allocator::Kept => crate::alloc::Lean::off(),
    };
    let generated =
        openapi_codegen::generate_observed(&config, &text, &mut |phase| lean.observe(phase));
    let result = match generated {
        Ok(generated) => write::write(&out, &generated.files).map_err(|e| e.to_string()),
        Err(e) => Err(e.to_string()),
    };
    let _ = std::fs::remove_dir_all(&out);
    match result {
        Ok(_) => {
            match peak_rss_kib() {
                Some(kib) => println!("{PEAK_PREFIX}{kib}"),
                None => println!("{PEAK_PREFIX}n/a"),
            }
            println!("{HEAP_PREFIX}{}", crate::alloc::peak_bytes());
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("{message}");
            ExitCode::from(exit::INVALID_SPEC)
        }
    }
}

/// `VmHWM` of `/proc/self/status`, in KiB: Linux only.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    parse_vm_hwm(&status)
}

fn parse_vm_hwm(status: &str) -> Option<u64> {
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().strip_suffix("kB"))
        .and_then(|v| v.trim().parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vm_hwm_is_read_in_kib() {
        let status = "Name:\txtask\nVmPeak:\t  20000 kB\nVmHWM:\t   12345 kB\nVmRSS:\t 100 kB\n";
        assert_eq!(parse_vm_hwm(status), Some(12345));
        assert_eq!(parse_vm_hwm("Name:\tx\n"), None);
    }
}
