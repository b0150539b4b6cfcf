//! The xtask's allocator: mimalloc, which can also count the bytes live on
//! the heap, for the bench's peak-memory child (`bench-run --peak-rss-of`).
//!
//! Counting is off unless [`count_from_now`] turns it on; off, each
//! allocation pays one relaxed load of a flag.
//!
//! mimalloc as it is keeps the memory a phase frees for the next, and asks
//! for huge pages: fastest, but a large document's generation then holds
//! at its peak about three times the memory it uses (GitHub's: 55 MB for
//! 20 MB live). [`Lean`] makes a large document's generation hand freed
//! memory back.

use openapi_codegen::Phase;
use std::alloc::{GlobalAlloc, Layout};
use std::sync::atomic::{AtomicBool, AtomicIsize, Ordering::Relaxed};

/// mimalloc, counting when asked.
pub struct Allocator;

static COUNTING: AtomicBool = AtomicBool::new(false);
/// Bytes allocated less bytes freed since counting began: a block
/// allocated before and freed after counts below zero, so the peak is, if
/// anything, understated by what was live when counting began.
static LIVE: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);

fn grew(bytes: usize) {
    let bytes = isize::try_from(bytes).unwrap_or(isize::MAX);
    let live = LIVE.fetch_add(bytes, Relaxed).saturating_add(bytes);
    PEAK.fetch_max(live, Relaxed);
}

fn shrank(bytes: usize) {
    LIVE.fetch_sub(isize::try_from(bytes).unwrap_or(isize::MAX), Relaxed);
}

// SAFETY: every call is forwarded to mimalloc with the caller's arguments;
// the counters only read the layouts.
unsafe impl GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract is mimalloc's.
        let block = unsafe { mimalloc::MiMalloc.alloc(layout) };
        if COUNTING.load(Relaxed) && !block.is_null() {
            grew(layout.size());
        }
        block
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as above.
        let block = unsafe { mimalloc::MiMalloc.alloc_zeroed(layout) };
        if COUNTING.load(Relaxed) && !block.is_null() {
            grew(layout.size());
        }
        block
    }

    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { mimalloc::MiMalloc.dealloc(block, layout) };
        if COUNTING.load(Relaxed) {
            shrank(layout.size());
        }
    }

    unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as above.
        let moved = unsafe { mimalloc::MiMalloc.realloc(block, layout, new_size) };
        if COUNTING.load(Relaxed) && !moved.is_null() {
            match new_size.checked_sub(layout.size()) {
                Some(more) => grew(more),
                None => shrank(layout.size() - new_size),
            }
        }
        moved
    }
}

/// Starts counting live bytes, from zero.
pub fn count_from_now() {
    LIVE.store(0, Relaxed);
    PEAK.store(0, Relaxed);
    COUNTING.store(true, Relaxed);
}

/// The most bytes live at once since [`count_from_now`].
pub fn peak_bytes() -> u64 {
    u64::try_from(PEAK.load(Relaxed)).unwrap_or(0)
}

/// From this size on, a document is generated [`Lean`]: in the corpus,
/// GitHub's (3.7 MB), Google Compute's and DRACOON's. Below it, the peak is
/// small however the allocator keeps memory (nexus's: 32 MB, 5 MB of it
/// live), and speed comes first.
pub const LEAN_FROM: usize = 2 << 20;

/// mimalloc's `purge_delay` option: how long freed memory is kept before it
/// is handed back, in milliseconds (10 by default). Not among
/// `libmimalloc-sys`'s constants: its index in mimalloc v2's `mi_option_t`.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// A generation that hands the memory each phase frees back to the system,
/// and maps no huge pages, at some cost in speed: GitHub's peak RSS goes
/// from 55 to 33 MB (under the 10× its size that the bench checks), its
/// time up by about a fifth. The settings are the process's from then on.
pub struct Lean {
    on: bool,
}

impl Lean {
    /// For a document of `bytes`: lean from [`LEAN_FROM`] on, and then no
    /// huge pages from now on. Call it before the generation starts.
    pub fn for_document(bytes: usize) -> Lean {
        let on = Lean::applies_to(bytes);
        if on {
            no_huge_pages();
        }
        Lean { on }
    }

    /// Whether a document of `bytes` is generated lean: from [`LEAN_FROM`] on.
    pub fn applies_to(bytes: usize) -> bool {
        bytes >= LEAN_FROM
    }

    /// Never lean, whatever the document's size: mimalloc as it is (the
    /// bench's comparison).
    pub fn off() -> Lean {
        Lean { on: false }
    }

    /// The observer for `openapi_codegen::generate_observed`: as each phase
    /// ends, what it freed goes back to the system; from lowering on, what
    /// is freed goes back at once. Rendering frees most (syntax trees and
    /// tokens, on every thread), and what is kept for reuse there would
    /// cost more memory than the time it saves (about 9 MB for GitHub).
    pub fn observe(&mut self, phase: Phase) {
        if !self.on {
            return;
        }
        // SAFETY: mimalloc's own calls, with valid arguments, on the
        // allocator this process uses: collecting frees only blocks already
        // freed, and the option is read on each purge.
        unsafe {
            libmimalloc_sys::mi_collect(true);
            if phase == Phase::Lowered {
                libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0);
            }
        }
    }
}

/// Maps no more huge pages for this process. mimalloc asks for them
/// (`madvise`) on all it maps, and a huge page is resident whole: at
/// GitHub's size, 6 MB of the peak. mimalloc reads its own option for this
/// only as it starts, so the kernel is told instead.
fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: `prctl` with an option and integer arguments; it touches no
    // memory of ours. If the kernel refuses, huge pages stay allowed: only
    // the memory saved is lost.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_block_counts_while_it_is_live() {
        super::count_from_now();
        let block = vec![1u8; 4 << 20];
        assert!(super::peak_bytes() >= 4 << 20, "{}", super::peak_bytes());
        drop(block);
    }
}
