//! The event recorder's spam filter (client-go tools/record/events_cache.go,
//! `EventSourceObjectSpamFilter`): a component may write 25 events about one object at once, then
//! one more every 5 minutes. Without it a ReplicaSet scaled to 1,000 rewrote its combined
//! `Created pod` event 990 times; with it the event stops at `(x16)`, as on a real cluster.
//!
//! The recorder keeps this state in memory, and so does the cluster: one token bucket per
//! (component, object UID), `flowcontrol.NewTokenBucketRateLimiter(1/300, 25)`, full at first.
//! What the recorder does with an occurrence it filters is kept too: its event logger has already
//! counted it (`eventObserve` runs before the filter), so the next occurrence that passes writes
//! the whole count. A crash-looping pod's `BackOff (x40 over 1h)` counts every back-off although
//! most were never written.
//!
//! Not modelled: the caches' 4,096-entry LRU bound (a bucket is forgotten here only once it is
//! full again, which changes nothing), and the logger's memory of a filtered *new* event (a later
//! occurrence creates it with count 1, where the recorder would create it with the count so far).

use std::collections::BTreeMap;

/// `defaultSpamBurst`: events a component may write about one object at once.
pub const BURST: u64 = 25;
/// `defaultSpamQPS` is 1/300: one token every 300 s.
const TOKEN_MS: u64 = 300_000;
/// More buckets than this and the full ones are forgotten (a full bucket is a missing one).
/// client-go's caches hold 4,096 entries.
const PRUNE_AT: usize = 4096;

/// One (component, object) bucket, in milliseconds of credit: a token is 300,000 ms, so
/// `x/time/rate`'s float arithmetic (tokens += elapsed × qps, at most burst) is exact here.
#[derive(Clone, Debug, PartialEq)]
struct Bucket {
    credit_ms: u64,
    at_ms: u64,
    /// Occurrences filtered out, by the name of the stored event they would have counted on
    /// (a few at most: a Vec, not one more map type in the wasm).
    skipped: Vec<(String, i64)>,
}

impl Bucket {
    fn credit_at(&self, now_ms: u64) -> u64 {
        (self.credit_ms + now_ms.saturating_sub(self.at_ms)).min(BURST * TOKEN_MS)
    }
}

/// The buckets by `<component>/<object UID>` (one map type, not a map of maps: each map type is
/// its own code in the wasm), and how many there may be before the full ones are forgotten: twice
/// as many as were left the last time, so that a scale-up to 10,000 pods, whose buckets all stay
/// drained for minutes, does not read them all again for each new pod.
#[derive(Clone, Debug, Default)]
pub struct SpamFilter {
    buckets: BTreeMap<String, Bucket>,
    prune_at: usize,
}

fn key(component: &str, uid: &str) -> String {
    let mut k = String::with_capacity(component.len() + 1 + uid.len());
    k.push_str(component);
    k.push('/');
    k.push_str(uid);
    k
}

impl SpamFilter {
    /// `TryAccept` of the bucket of (`component`, `uid`) at `now_ms`: whether the occurrence
    /// may be written.
    pub fn try_accept(&mut self, component: &str, uid: &str, now_ms: u64) -> bool {
        let k = key(component, uid);
        if !self.buckets.contains_key(&k) && self.buckets.len() >= self.prune_at.max(PRUNE_AT) {
            self.buckets.retain(|_, b| b.credit_at(now_ms) < BURST * TOKEN_MS || !b.skipped.is_empty());
            self.prune_at = 2 * self.buckets.len();
        }
        let b = self.buckets.entry(k).or_insert(Bucket { credit_ms: BURST * TOKEN_MS, at_ms: now_ms, skipped: Vec::new() });
        b.credit_ms = b.credit_at(now_ms);
        b.at_ms = now_ms;
        if b.credit_ms < TOKEN_MS {
            return false;
        }
        b.credit_ms -= TOKEN_MS;
        true
    }

    /// A filtered occurrence that would have counted on the stored event `event`.
    pub fn skip(&mut self, component: &str, uid: &str, event: &str) {
        if let Some(b) = self.buckets.get_mut(&key(component, uid)) {
            match b.skipped.iter_mut().find(|(e, _)| e == event) {
                Some((_, n)) => *n += 1,
                None => b.skipped.push((event.to_string(), 1)),
            }
        }
    }

    /// The occurrences of `event` filtered out since it was last written (now counted).
    pub fn take_skipped(&mut self, component: &str, uid: &str, event: &str) -> i64 {
        let Some(b) = self.buckets.get_mut(&key(component, uid)) else { return 0 };
        match b.skipped.iter().position(|(e, _)| e == event) {
            Some(i) => b.skipped.swap_remove(i).1,
            None => 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KUBELET: &str = "kubelet";
    const K: &str = KUBELET;

    #[test]
    fn twenty_five_at_once_then_one_every_five_minutes() {
        let mut f = SpamFilter::default();
        let accepted = (0..40).filter(|_| f.try_accept(K, "u1", 1_000)).count();
        assert_eq!(accepted, 25);
        // Another object, or another component about the same object, has its own bucket.
        assert!(f.try_accept(K, "u2", 1_000));
        assert!(f.try_accept("default-scheduler", "u1", 1_000));
        // 299.999 s later: no whole token yet; at 300 s one, and only one.
        assert!(!f.try_accept(K, "u1", 1_000 + TOKEN_MS - 1));
        assert!(f.try_accept(K, "u1", 1_000 + TOKEN_MS));
        assert!(!f.try_accept(K, "u1", 1_000 + TOKEN_MS));
        // Two hours later the bucket is full again, not fuller.
        let later = 1_000 + 25 * TOKEN_MS + 7_200_000;
        assert_eq!((0..40).filter(|_| f.try_accept(K, "u1", later)).count(), 25);
    }

    #[test]
    fn filtered_occurrences_are_counted_once_when_one_passes() {
        let mut f = SpamFilter::default();
        while f.try_accept(K, "u1", 0) {}
        f.skip(KUBELET, "u1", "web.1");
        f.skip(KUBELET, "u1", "web.1");
        f.skip(KUBELET, "u1", "web.2");
        assert_eq!(f.take_skipped(KUBELET, "u1", "web.1"), 2);
        assert_eq!(f.take_skipped(KUBELET, "u1", "web.1"), 0, "taken once");
        assert_eq!(f.take_skipped(KUBELET, "u2", "web.2"), 0, "another object's");
        assert_eq!(f.take_skipped(KUBELET, "u1", "web.2"), 1);
    }

    #[test]
    fn only_full_buckets_are_forgotten() {
        let mut f = SpamFilter::default();
        while f.try_accept(K, "busy", 0) {}
        f.skip(KUBELET, "busy", "busy.1");
        for i in 1..PRUNE_AT {
            f.try_accept(K, &format!("u{i}"), 0);
        }
        assert_eq!(f.buckets.len(), PRUNE_AT);
        // 300 s later the buckets that spent one token are full again and go; the drained one stays.
        f.try_accept(K, "new", TOKEN_MS);
        assert_eq!(f.buckets.len(), 2, "busy and new");
        assert!(f.try_accept(K, "busy", TOKEN_MS));
        assert!(!f.try_accept(K, "busy", TOKEN_MS));
        assert_eq!(f.take_skipped(KUBELET, "busy", "busy.1"), 1);
        // When nothing can go (all drained), the next pass waits until there are twice as many.
        for i in 0..PRUNE_AT {
            f.try_accept(K, &format!("d{i}"), TOKEN_MS);
        }
        assert_eq!(f.buckets.len(), PRUNE_AT + 2);
        assert_eq!(f.prune_at, 2 * PRUNE_AT);
    }
}
