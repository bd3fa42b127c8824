//! Stable sorting through one shared instance of the standard library's sort. Each `sort_by`
//! call site with its own element type and closure compiles its own copy of the sort (~4 KB of
//! wasm each, 120 KB over thirty sites); here every site sorts a list of indices with the same
//! comparator type, then moves its elements into place.

use std::cmp::Ordering;

/// `v.sort_by(cmp)`: stable, the same order.
pub fn by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let mut order: Vec<u32> = (0..v.len() as u32).collect();
    sort_indices(&mut order, &mut |a, b| cmp(&v[a as usize], &v[b as usize]));
    permute(v, &mut order);
}

/// `v.sort()`.
pub fn ord<T: Ord>(v: &mut [T]) {
    by(v, T::cmp)
}

/// `v.sort_by_key(key)`.
pub fn by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    by(v, |a, b| key(a).cmp(&key(b)))
}

/// The one instance of the sort. Indices compare by their elements, so equal elements keep
/// their order, as in a stable sort of the elements.
fn sort_indices(order: &mut [u32], cmp: &mut dyn FnMut(u32, u32) -> Ordering) {
    order.sort_by(|&a, &b| cmp(a, b));
}

/// Puts `v[order[i]]` at `i` for every `i`, following each cycle of the permutation with swaps;
/// `order` is used up (each visited slot is marked as its own index).
///
/// Worked example: `v = [a, b, c]`, `order = [2, 0, 1]` (wanted `[c, a, b]`). From 0: swap 0 and
/// 2 → `[c, b, a]`; at 2, `order[2] = 1`: swap 2 and 1 → `[c, a, b]`; at 1, `order[1] = 0`, the
/// start: the cycle is closed.
fn permute<T>(v: &mut [T], order: &mut [u32]) {
    for start in 0..v.len() {
        let mut at = start;
        loop {
            let from = order[at] as usize;
            order[at] = at as u32;
            if from == start {
                break;
            }
            v.swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_like_the_standard_library_and_keeps_equal_elements_in_order() {
        // Pairs sorted by their first half only: a stable sort keeps the second halves in order.
        let mut seed = 7u64;
        for len in [0, 1, 2, 3, 10, 33, 200] {
            let v: Vec<(u8, u32)> = (0..len)
                .map(|i| {
                    seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    ((seed >> 60) as u8, i)
                })
                .collect();
            let (mut ours, mut std) = (v.clone(), v.clone());
            by(&mut ours, |a, b| a.0.cmp(&b.0));
            std.sort_by_key(|a| a.0);
            assert_eq!(ours, std, "len {len}");
            let (mut ours, mut std) = (v.clone(), v);
            by_key(&mut ours, |p| std::cmp::Reverse(p.0));
            std.sort_by_key(|p| std::cmp::Reverse(p.0));
            assert_eq!(ours, std, "len {len}, by key");
        }
        let mut words = vec!["pod", "node", "deployment", "pod", "configmap"];
        ord(&mut words);
        assert_eq!(words, ["configmap", "deployment", "node", "pod", "pod"]);
    }
}
