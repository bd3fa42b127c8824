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

use std::collections::btree_map::Entry;
use std::collections::BTreeMap;
use std::hash::Hasher;
use std::sync::Arc;

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
/// its own code in the wasm), in shards shared with the cluster's copies until written: every
/// keystroke applies to a copy of the cluster, and a deep copy of thousands of buckets on each was
/// 3 ms of a 500-line key press. A write copies one shard.
///
/// Full buckets are forgotten (a full bucket is a missing one), a deleted object's too once it
/// has refilled, at most 125 simulated minutes later. (Telling deleted objects' buckets apart
/// sooner meant listing every object's UID, events included: 60,000 at 10,000 replicas, +13% on
/// that settle.) That pass runs when there are twice as many as it left the last time (at least
/// 4,096), so that a scale-up to 10,000 pods, whose buckets stay drained for minutes, does not
/// read them all again for each new pod.
#[derive(Clone, Debug, Default)]
pub struct SpamFilter {
    shards: Vec<Arc<BTreeMap<String, Bucket>>>,
    len: usize,
    prune_at: usize,
    /// Filtered occurrences not yet counted, in all buckets: while 0 (nearly always), an
    /// occurrence that passes looks up nothing more.
    skipped: usize,
}

const SHARDS: usize = 32;

fn key(component: &str, uid: &str) -> String {
    let mut k = String::with_capacity(component.len() + 1 + uid.len());
    k.push_str(component);
    k.push('/');
    k.push_str(uid);
    k
}

/// The shard of a key: the memos' FxHash of its bytes, its high bits (an FxHash's low bits follow
/// the key's last bytes only).
fn shard_of(k: &str) -> usize {
    let mut h = super::controllers::FxHasher::default();
    h.write(k.as_bytes());
    ((h.finish() as u128 * SHARDS as u128) >> 64) as usize
}

impl SpamFilter {
    /// `TryAccept` of the bucket of (`component`, `uid`) at `now_ms`: whether the occurrence
    /// may be written.
    pub fn try_accept(&mut self, component: &str, uid: &str, now_ms: u64) -> bool {
        if self.shards.is_empty() {
            self.shards = vec![Arc::default(); SHARDS];
        }
        let k = key(component, uid);
        let shard = shard_of(&k);
        if self.len >= self.prune_at.max(PRUNE_AT) && !self.shards[shard].contains_key(&k) {
            self.prune(now_ms);
        }
        let b = match Arc::make_mut(&mut self.shards[shard]).entry(k) {
            Entry::Occupied(o) => o.into_mut(),
            Entry::Vacant(v) => {
                self.len += 1;
                v.insert(Bucket { credit_ms: BURST * TOKEN_MS, at_ms: now_ms, skipped: Vec::new() })
            }
        };
        b.credit_ms = b.credit_at(now_ms);
        b.at_ms = now_ms;
        if b.credit_ms < TOKEN_MS {
            return false;
        }
        b.credit_ms -= TOKEN_MS;
        true
    }

    /// Forgets the buckets nothing can observe: full ones without skipped counts.
    fn prune(&mut self, now_ms: u64) {
        let keep = |b: &Bucket| b.credit_at(now_ms) < BURST * TOKEN_MS || !b.skipped.is_empty();
        for shard in &mut self.shards {
            if shard.values().any(|b| !keep(b)) {
                Arc::make_mut(shard).retain(|_, b| keep(b));
            }
        }
        self.len = self.shards.iter().map(|s| s.len()).sum();
        self.prune_at = 2 * self.len;
    }

    fn bucket(&mut self, component: &str, uid: &str) -> Option<&mut Bucket> {
        let k = key(component, uid);
        let shard = self.shards.get_mut(shard_of(&k))?;
        if !shard.contains_key(&k) {
            return None;
        }
        Arc::make_mut(shard).get_mut(&k)
    }

    /// A filtered occurrence that would have counted on the stored event `event`.
    pub fn skip(&mut self, component: &str, uid: &str, event: &str) {
        if let Some(b) = self.bucket(component, uid) {
            match b.skipped.iter_mut().find(|(e, _)| e == event) {
                Some((_, n)) => *n += 1,
                None => b.skipped.push((event.to_string(), 1)),
            }
            self.skipped += 1;
        }
    }

    /// The occurrences of `event` filtered out since it was last written (now counted).
    pub fn take_skipped(&mut self, component: &str, uid: &str, event: &str) -> i64 {
        if self.skipped == 0 {
            return 0;
        }
        let Some(b) = self.bucket(component, uid).filter(|b| !b.skipped.is_empty()) else { return 0 };
        let n = match b.skipped.iter().position(|(e, _)| e == event) {
            Some(i) => b.skipped.swap_remove(i).1,
            None => 0,
        };
        self.skipped -= n as usize;
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KUBELET: &str = "kubelet";

    #[test]
    fn twenty_five_at_once_then_one_every_five_minutes() {
        let mut f = SpamFilter::default();
        let accepted = (0..40).filter(|_| f.try_accept(KUBELET, "u1", 1_000)).count();
        assert_eq!(accepted, 25);
        // Another object, or another component about the same object, has its own bucket.
        assert!(f.try_accept(KUBELET, "u2", 1_000));
        assert!(f.try_accept("default-scheduler", "u1", 1_000));
        // 299.999 s later: no whole token yet; at 300 s one, and only one.
        assert!(!f.try_accept(KUBELET, "u1", 1_000 + TOKEN_MS - 1));
        assert!(f.try_accept(KUBELET, "u1", 1_000 + TOKEN_MS));
        assert!(!f.try_accept(KUBELET, "u1", 1_000 + TOKEN_MS));
        // Two hours later the bucket is full again, not fuller.
        let later = 1_000 + 25 * TOKEN_MS + 7_200_000;
        assert_eq!((0..40).filter(|_| f.try_accept(KUBELET, "u1", later)).count(), 25);
    }

    #[test]
    fn filtered_occurrences_are_counted_once_when_one_passes() {
        let mut f = SpamFilter::default();
        while f.try_accept(KUBELET, "u1", 0) {}
        f.skip(KUBELET, "u1", "web.1");
        f.skip(KUBELET, "u1", "web.1");
        f.skip(KUBELET, "u1", "web.2");
        assert_eq!(f.take_skipped(KUBELET, "u1", "web.1"), 2);
        assert_eq!(f.take_skipped(KUBELET, "u1", "web.1"), 0, "taken once");
        assert_eq!(f.take_skipped(KUBELET, "u2", "web.2"), 0, "another object's");
        assert_eq!(f.take_skipped(KUBELET, "u1", "web.2"), 1);
    }

    #[test]
    fn a_copy_shares_the_buckets_until_either_writes() {
        let mut f = SpamFilter::default();
        while f.try_accept(KUBELET, "u1", 0) {}
        let mut copy = f.clone();
        assert!(f.shards.iter().zip(&copy.shards).all(|(a, b)| Arc::ptr_eq(a, b)), "shared, not copied");
        copy.skip(KUBELET, "u1", "web.1");
        assert!(copy.try_accept(KUBELET, "u3", 0));
        let written = f.shards.iter().zip(&copy.shards).filter(|(a, b)| !Arc::ptr_eq(a, b)).count();
        assert!((1..=2).contains(&written), "one shard copied per key written, not all: {written}");
        assert_eq!(f.take_skipped(KUBELET, "u1", "web.1"), 0, "the original did not see the copy's write");
        assert_eq!(copy.take_skipped(KUBELET, "u1", "web.1"), 1);
        assert!(f.try_accept(KUBELET, "u3", 0), "u3's bucket is the copy's alone");
    }

    #[test]
    fn only_full_buckets_are_forgotten() {
        let mut f = SpamFilter::default();
        while f.try_accept(KUBELET, "busy", 0) {}
        f.skip(KUBELET, "busy", "busy.1");
        for i in 1..PRUNE_AT {
            f.try_accept(KUBELET, &format!("u{i}"), 0);
        }
        assert_eq!(f.len, PRUNE_AT);
        // 300 s later the buckets that spent one token are full again and go; the drained one stays.
        f.try_accept(KUBELET, "new", TOKEN_MS);
        assert_eq!(f.len, 2, "busy and new");
        assert!(f.try_accept(KUBELET, "busy", TOKEN_MS));
        assert!(!f.try_accept(KUBELET, "busy", TOKEN_MS));
        assert_eq!(f.take_skipped(KUBELET, "busy", "busy.1"), 1);
        // When nothing can go (all drained), the next pass waits until there are twice as many.
        for i in 0..PRUNE_AT {
            f.try_accept(KUBELET, &format!("u{i}"), TOKEN_MS);
        }
        assert_eq!(f.len, PRUNE_AT + 2);
        assert_eq!(f.prune_at, 2 * PRUNE_AT);
    }
}
