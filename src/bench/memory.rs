//! What a settled cluster holds in memory, for `kubelab bench`: the native binary installs
//! `Counting` as its allocator, and `measure` counts the heap around one run: what the objects of
//! a settled cluster cost (a pod has some thirty maps; its labels, `ownerReferences[0]`, each
//! condition, each volume source), which `crate::value` keeps one block each, sized to them.
//!
//! Counting is off except inside `measure` (outside, each call through the allocator costs one
//! relaxed load); the timed runs of the bench are never counted.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering::Relaxed};

/// The system allocator, counting while `measure` runs.
pub struct Counting;

static ON: AtomicBool = AtomicBool::new(false);
static LIVE_BYTES: AtomicI64 = AtomicI64::new(0);
static LIVE_BLOCKS: AtomicI64 = AtomicI64::new(0);
static ALLOCATED_BYTES: AtomicI64 = AtomicI64::new(0);
static ALLOCATED_BLOCKS: AtomicI64 = AtomicI64::new(0);

fn note(size: usize, sign: i64) {
    let bytes = sign * size as i64;
    LIVE_BYTES.fetch_add(bytes, Relaxed);
    LIVE_BLOCKS.fetch_add(sign, Relaxed);
    if sign > 0 {
        ALLOCATED_BYTES.fetch_add(bytes, Relaxed);
        ALLOCATED_BLOCKS.fetch_add(1, Relaxed);
    }
}

// SAFETY: every call is passed to `System` unchanged; the counters only observe.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if ON.load(Relaxed) && !p.is_null() {
            note(layout.size(), 1);
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if ON.load(Relaxed) && !p.is_null() {
            note(layout.size(), 1);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        if ON.load(Relaxed) {
            note(layout.size(), -1);
        }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if ON.load(Relaxed) && !p.is_null() {
            note(layout.size(), -1);
            note(new_size, 1);
        }
        p
    }
}

/// The heap over one run: what it holds afterwards more than before, and what it allocated in all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Usage {
    pub held_bytes: i64,
    pub held_blocks: i64,
    pub allocated_bytes: i64,
    pub allocated_blocks: i64,
}

fn reset() {
    for c in [&LIVE_BYTES, &LIVE_BLOCKS, &ALLOCATED_BYTES, &ALLOCATED_BLOCKS] {
        c.store(0, Relaxed);
    }
}

/// Whether `Counting` is the program's allocator: a counted allocation moves the counter.
fn installed() -> bool {
    reset();
    ON.store(true, Relaxed);
    drop(std::hint::black_box(Box::new(0u64)));
    ON.store(false, Relaxed);
    ALLOCATED_BLOCKS.load(Relaxed) > 0
}

/// Runs `f`, counting the heap meanwhile; `None` for the usage when `Counting` is not the
/// program's allocator (the tests of the library, the page). Not reentrant: one at a time.
pub fn measure<T>(f: impl FnOnce() -> T) -> (T, Option<Usage>) {
    if !installed() {
        return (f(), None);
    }
    reset();
    ON.store(true, Relaxed);
    let out = f();
    ON.store(false, Relaxed);
    let usage = Usage {
        held_bytes: LIVE_BYTES.load(Relaxed),
        held_blocks: LIVE_BLOCKS.load(Relaxed),
        allocated_bytes: ALLOCATED_BYTES.load(Relaxed),
        allocated_blocks: ALLOCATED_BLOCKS.load(Relaxed),
    };
    (out, Some(usage))
}

/// `14.08 MB in 169,235 blocks (14.1 KB a replica); 23.04 MB allocated in 227,769 blocks`.
pub fn describe(u: &Usage, per: usize, what: &str) -> String {
    let mb = |b: i64| b as f64 / 1e6;
    format!(
        "{:.2} MB in {} blocks ({:.1} KB a {what}); {:.2} MB allocated in {} blocks",
        mb(u.held_bytes),
        thousands(u.held_blocks),
        u.held_bytes as f64 / 1e3 / per.max(1) as f64,
        mb(u.allocated_bytes),
        thousands(u.allocated_blocks)
    )
}

fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    if n < 0 {
        out.insert(0, '-');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_the_allocator_installed_nothing_is_counted() {
        // The library's tests run on the system allocator.
        let (v, usage) = measure(|| vec![0u8; 4096]);
        assert_eq!(v.len(), 4096);
        assert_eq!(usage, None);
    }

    #[test]
    fn usage_reads_as_a_line() {
        let u = Usage { held_bytes: 14_080_363, held_blocks: 169_235, allocated_bytes: 23_041_295, allocated_blocks: 227_769 };
        assert_eq!(
            describe(&u, 1000, "replica"),
            "14.08 MB in 169,235 blocks (14.1 KB a replica); 23.04 MB allocated in 227,769 blocks"
        );
        assert_eq!(thousands(-1234), "-1,234");
        assert_eq!(thousands(999), "999");
    }
}
