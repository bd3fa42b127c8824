//! What a settled cluster holds in memory, for `kubelab bench`: the native binary installs
//! `Counting` as its allocator, and `measure` counts the heap around one run. It also counts the
//! objects' map nodes apart: a `serde_json` map is a B-tree whose every node has room for eleven
//! entries, so a map of two entries takes the same 632 bytes as one of eleven, and most of an
//! object's maps are that small (a pod has 32 maps; its labels, `ownerReferences[0]`, each
//! condition, each volume source). The count is what a compact representation would save.
//!
//! Counting is off except inside `measure` (outside, each call through the allocator costs one
//! relaxed load); the timed runs of the bench are never counted.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicUsize, Ordering::Relaxed};

/// The system allocator, counting while `measure` runs.
pub struct Counting;

static ON: AtomicBool = AtomicBool::new(false);
static LIVE_BYTES: AtomicI64 = AtomicI64::new(0);
static LIVE_BLOCKS: AtomicI64 = AtomicI64::new(0);
static ALLOCATED_BYTES: AtomicI64 = AtomicI64::new(0);
static ALLOCATED_BLOCKS: AtomicI64 = AtomicI64::new(0);
/// Bytes held in blocks of a map node's sizes (a leaf, an internal node), once known.
static MAP_BYTES: AtomicI64 = AtomicI64::new(0);
static LEAF: AtomicUsize = AtomicUsize::new(usize::MAX);
static INTERNAL: AtomicUsize = AtomicUsize::new(usize::MAX);
/// The largest block allocated while counting (the probe for the node sizes reads it).
static LARGEST: AtomicUsize = AtomicUsize::new(0);

fn note(size: usize, sign: i64) {
    let bytes = sign * size as i64;
    LIVE_BYTES.fetch_add(bytes, Relaxed);
    LIVE_BLOCKS.fetch_add(sign, Relaxed);
    if sign > 0 {
        ALLOCATED_BYTES.fetch_add(bytes, Relaxed);
        ALLOCATED_BLOCKS.fetch_add(1, Relaxed);
        LARGEST.fetch_max(size, Relaxed);
    }
    if size == LEAF.load(Relaxed) || size == INTERNAL.load(Relaxed) {
        MAP_BYTES.fetch_add(bytes, Relaxed);
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
    /// Of `held_bytes`, the blocks of a `serde_json` map node's size.
    pub held_map_bytes: i64,
    pub allocated_bytes: i64,
    pub allocated_blocks: i64,
}

fn reset() {
    for c in [&LIVE_BYTES, &LIVE_BLOCKS, &ALLOCATED_BYTES, &ALLOCATED_BLOCKS, &MAP_BYTES] {
        c.store(0, Relaxed);
    }
    LARGEST.store(0, Relaxed);
}

/// The size of the largest block `f` allocates, when `Counting` is the allocator.
fn largest_block(f: impl FnOnce()) -> Option<usize> {
    reset();
    ON.store(true, Relaxed);
    f();
    ON.store(false, Relaxed);
    Some(LARGEST.load(Relaxed)).filter(|&n| n > 0)
}

/// Learns the two sizes of a map node once: a map of one entry allocates a leaf, a map of twelve
/// (one more than a node holds) splits it under an internal node, the largest block.
fn probe_map_nodes() -> bool {
    use serde_json::{Map, Value};
    if LEAF.load(Relaxed) != usize::MAX {
        return true;
    }
    let Some(leaf) = largest_block(|| drop(Map::from_iter([(String::new(), Value::Null)]))) else { return false };
    let keys: Vec<String> = (0..12).map(|i| format!("k{i:02}")).collect();
    let Some(internal) = largest_block(|| drop(keys.into_iter().map(|k| (k, Value::Null)).collect::<Map<String, Value>>())) else { return false };
    LEAF.store(leaf, Relaxed);
    INTERNAL.store(internal, Relaxed);
    true
}

/// Runs `f`, counting the heap meanwhile; `None` for the usage when `Counting` is not the
/// program's allocator (the tests of the library, the page). Not reentrant: one at a time.
pub fn measure<T>(f: impl FnOnce() -> T) -> (T, Option<Usage>) {
    if !probe_map_nodes() {
        return (f(), None);
    }
    reset();
    ON.store(true, Relaxed);
    let out = f();
    ON.store(false, Relaxed);
    let usage = Usage {
        held_bytes: LIVE_BYTES.load(Relaxed),
        held_blocks: LIVE_BLOCKS.load(Relaxed),
        held_map_bytes: MAP_BYTES.load(Relaxed),
        allocated_bytes: ALLOCATED_BYTES.load(Relaxed),
        allocated_blocks: ALLOCATED_BLOCKS.load(Relaxed),
    };
    (out, Some(usage))
}

/// `39.12 MB in 397,856 blocks (39.1 KB a replica), 80% of it map nodes; 51.95 MB allocated in 502,271 blocks`.
pub fn describe(u: &Usage, per: usize, what: &str) -> String {
    let mb = |b: i64| b as f64 / 1e6;
    let pct = if u.held_bytes > 0 { 100.0 * u.held_map_bytes as f64 / u.held_bytes as f64 } else { 0.0 };
    format!(
        "{:.2} MB in {} blocks ({:.1} KB a {what}), {pct:.0}% of it map nodes; {:.2} MB allocated in {} blocks",
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
        let u = Usage { held_bytes: 39_120_363, held_blocks: 397_856, held_map_bytes: 31_431_888, allocated_bytes: 51_951_295, allocated_blocks: 502_271 };
        assert_eq!(
            describe(&u, 1000, "replica"),
            "39.12 MB in 397,856 blocks (39.1 KB a replica), 80% of it map nodes; 51.95 MB allocated in 502,271 blocks"
        );
        assert_eq!(thousands(-1234), "-1,234");
        assert_eq!(thousands(999), "999");
    }
}
