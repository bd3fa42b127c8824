//! A JSON object as one vector of entries sorted by key: one allocation sized to the entries
//! (an API object's maps hold one to a dozen keys), found by binary search, iterated in key
//! order. Keys are `SmolStr`: text up to 23 bytes inline, literals shared, so copying an
//! object copies no key text.

use super::Value;
use std::fmt;

pub type MapKey = smol_str::SmolStr;

type Slot = (MapKey, Value);

#[derive(Clone, Default, PartialEq, Eq)]
pub struct Map {
    entries: Vec<Slot>,
}

impl Map {
    pub fn new() -> Map {
        Map { entries: Vec::new() }
    }
    /// From entries in any order; of equal keys the last one stays, as repeated inserts would.
    pub fn from_entries(mut entries: Vec<Slot>) -> Map {
        if !entries.is_sorted_by(|a, b| a.0 < b.0) {
            // Stable, so among equal keys the later entry stays after the earlier one.
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            let mut out: Vec<Slot> = Vec::with_capacity(entries.len());
            for e in entries {
                match out.last_mut() {
                    Some(last) if last.0 == e.0 => *last = e,
                    _ => out.push(e),
                }
            }
            entries = out;
        }
        Map { entries }
    }
    /// Where `key` is. A scan that compares lengths first beats a binary search on the small maps
    /// objects are made of (most keys differ in length, so few bytes are compared at all). An
    /// early stop at the first key past the wanted one's first byte measured slower (callgrind).
    fn position(&self, key: &str) -> Option<usize> {
        if self.entries.len() > 16 {
            return self.entries.binary_search_by(|(k, _)| k.as_str().cmp(key)).ok();
        }
        let want = key.as_bytes();
        self.entries.iter().position(|(k, _)| {
            let k = k.as_bytes();
            k.len() == want.len() && k == want
        })
    }
    /// Where `key` is, or where it would go.
    fn find(&self, key: &str) -> Result<usize, usize> {
        match self.position(key) {
            Some(i) => Ok(i),
            None => Err(self.entries.partition_point(|(k, _)| k.as_str() < key)),
        }
    }
    pub fn len(&self) -> usize {
        self.entries.len()
    }
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.position(key).map(|i| &self.entries[i].1)
    }
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        self.position(key).map(|i| &mut self.entries[i].1)
    }
    pub fn contains_key(&self, key: &str) -> bool {
        self.position(key).is_some()
    }
    /// The value the key had, if any.
    pub fn insert(&mut self, key: MapKey, value: Value) -> Option<Value> {
        match self.find(&key) {
            Ok(i) => Some(std::mem::replace(&mut self.entries[i].1, value)),
            Err(i) => {
                self.entries.insert(i, (key, value));
                None
            }
        }
    }
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        self.position(key).map(|i| self.entries.remove(i).1)
    }
    pub fn entry<S: Into<MapKey>>(&mut self, key: S) -> Entry<'_> {
        let key = key.into();
        match self.find(&key) {
            Ok(at) => Entry::Occupied(OccupiedEntry { entries: &mut self.entries, at }),
            Err(at) => Entry::Vacant(VacantEntry { entries: &mut self.entries, key, at }),
        }
    }
    pub fn retain<F: FnMut(&MapKey, &mut Value) -> bool>(&mut self, mut keep: F) {
        self.entries.retain_mut(|(k, v)| keep(k, v))
    }
    pub fn iter(&self) -> Iter<'_> {
        Iter(self.entries.iter())
    }
    pub fn iter_mut(&mut self) -> IterMut<'_> {
        IterMut(self.entries.iter_mut())
    }
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &MapKey> + ExactSizeIterator + Clone {
        self.entries.iter().map(|(k, _)| k)
    }
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &Value> + ExactSizeIterator + Clone {
        self.entries.iter().map(|(_, v)| v)
    }
    pub fn values_mut(&mut self) -> impl DoubleEndedIterator<Item = &mut Value> + ExactSizeIterator {
        self.entries.iter_mut().map(|(_, v)| v)
    }
}

#[derive(Clone)]
pub struct Iter<'a>(std::slice::Iter<'a, Slot>);

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a MapKey, &'a Value);
    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(k, v)| (k, v))
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back().map(|(k, v)| (k, v))
    }
}

impl ExactSizeIterator for Iter<'_> {}

pub struct IterMut<'a>(std::slice::IterMut<'a, Slot>);

impl<'a> Iterator for IterMut<'a> {
    type Item = (&'a MapKey, &'a mut Value);
    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(k, v)| (&*k, v))
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl DoubleEndedIterator for IterMut<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back().map(|(k, v)| (&*k, v))
    }
}

impl ExactSizeIterator for IterMut<'_> {}

impl<'a> IntoIterator for &'a Map {
    type Item = (&'a MapKey, &'a Value);
    type IntoIter = Iter<'a>;
    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl<'a> IntoIterator for &'a mut Map {
    type Item = (&'a MapKey, &'a mut Value);
    type IntoIter = IterMut<'a>;
    fn into_iter(self) -> IterMut<'a> {
        self.iter_mut()
    }
}

impl IntoIterator for Map {
    type Item = (MapKey, Value);
    type IntoIter = std::vec::IntoIter<Slot>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl<K: Into<MapKey>> Extend<(K, Value)> for Map {
    fn extend<I: IntoIterator<Item = (K, Value)>>(&mut self, iter: I) {
        let mut all = std::mem::take(&mut self.entries);
        all.extend(iter.into_iter().map(|(k, v)| (k.into(), v)));
        *self = Map::from_entries(all);
    }
}

impl<K: Into<MapKey>> FromIterator<(K, Value)> for Map {
    fn from_iter<I: IntoIterator<Item = (K, Value)>>(iter: I) -> Map {
        Map::from_entries(iter.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }
}

/// `map["key"]` panics where the key is missing, as `serde_json::Map` does.
impl std::ops::Index<&str> for Map {
    type Output = Value;
    fn index(&self, key: &str) -> &Value {
        self.get(key).expect("no entry found for key")
    }
}

impl std::ops::IndexMut<&str> for Map {
    fn index_mut(&mut self, key: &str) -> &mut Value {
        self.get_mut(key).expect("no entry found for key")
    }
}

impl fmt::Debug for Map {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

pub enum Entry<'a> {
    Vacant(VacantEntry<'a>),
    Occupied(OccupiedEntry<'a>),
}

pub struct VacantEntry<'a> {
    entries: &'a mut Vec<Slot>,
    key: MapKey,
    at: usize,
}

pub struct OccupiedEntry<'a> {
    entries: &'a mut Vec<Slot>,
    at: usize,
}

impl<'a> Entry<'a> {
    pub fn key(&self) -> &MapKey {
        match self {
            Entry::Vacant(e) => &e.key,
            Entry::Occupied(e) => e.key(),
        }
    }
    pub fn or_insert(self, default: Value) -> &'a mut Value {
        match self {
            Entry::Vacant(e) => e.insert(default),
            Entry::Occupied(e) => e.into_mut(),
        }
    }
    pub fn or_insert_with<F: FnOnce() -> Value>(self, default: F) -> &'a mut Value {
        match self {
            Entry::Vacant(e) => e.insert(default()),
            Entry::Occupied(e) => e.into_mut(),
        }
    }
}

impl<'a> VacantEntry<'a> {
    pub fn key(&self) -> &MapKey {
        &self.key
    }
    pub fn insert(self, value: Value) -> &'a mut Value {
        self.entries.insert(self.at, (self.key, value));
        &mut self.entries[self.at].1
    }
}

impl<'a> OccupiedEntry<'a> {
    pub fn key(&self) -> &MapKey {
        &self.entries[self.at].0
    }
    pub fn get_mut(&mut self) -> &mut Value {
        &mut self.entries[self.at].1
    }
    pub fn into_mut(self) -> &'a mut Value {
        &mut self.entries[self.at].1
    }
}
