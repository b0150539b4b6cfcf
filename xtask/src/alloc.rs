//! The xtask's allocator: mimalloc, which can also count the bytes live on
//! the heap, for the bench's peak-memory child (`bench-run --peak-rss-of`).
//!
//! Counting is off unless [`count_from_now`] turns it on; off, each
//! allocation pays one relaxed load of a flag.

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
