//! A learner's progress: which steps of which lessons are done, and the learner's own manifest per
//! lesson. Steps tick in order and stay ticked (a later step may undo an earlier goal on purpose).
//! Plain data with serde, so the page can keep it in localStorage and export/import it as a file;
//! imports are bounded and cleaned, never trusted.

use super::Lesson;
use crate::model::Cluster;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Largest progress file accepted on import.
pub const MAX_IMPORT_BYTES: usize = 1 << 20;
/// Largest manifest kept per lesson.
pub const MAX_MANIFEST_BYTES: usize = 256 * 1024;

/// Progress in one lesson.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LessonProgress {
    /// Ids of the steps done, in lesson order.
    pub done: Vec<String>,
    /// The learner's manifest (the editor's text), if they changed it.
    pub manifest: Option<String>,
}

impl LessonProgress {
    /// Index of the step the learner is on (`None` when every step is done).
    pub fn current(&self, l: &Lesson) -> Option<usize> {
        l.steps.iter().position(|s| !self.done.contains(&s.id))
    }

    /// Ticks the current step if the cluster satisfies its goal, then the next, and so on; returns
    /// the ids ticked now. Only the current step is ever checked, so steps tick one at a time in order.
    pub fn update(&mut self, l: &Lesson, c: &Cluster) -> Vec<String> {
        let mut ticked = Vec::new();
        while let Some(i) = self.current(l) {
            let step = &l.steps[i];
            if !step.check(c).passed {
                break;
            }
            self.done.push(step.id.clone());
            ticked.push(step.id.clone());
        }
        ticked
    }

    pub fn is_complete(&self, l: &Lesson) -> bool {
        self.current(l).is_none()
    }

    /// (steps done, steps in the lesson).
    pub fn fraction(&self, l: &Lesson) -> (usize, usize) {
        (l.steps.iter().filter(|s| self.done.contains(&s.id)).count(), l.steps.len())
    }
}

/// Why a progress file was not loaded. `Display` is English; the page translates by variant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportError {
    /// More than `MAX_IMPORT_BYTES` (the size is given).
    TooLarge(usize),
    /// Not JSON of the exported shape (serde's message).
    NotProgress(String),
    /// A well-formed file that holds nothing for the lessons this site has.
    Empty,
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ImportError::TooLarge(n) => write!(f, "progress file too large ({n} bytes, at most {MAX_IMPORT_BYTES})"),
            ImportError::NotProgress(e) => write!(f, "not a kubelab progress file: {e}"),
            ImportError::Empty => write!(f, "the progress file holds nothing for these lessons"),
        }
    }
}

/// Progress in every lesson, by lesson id.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Progress {
    /// Format version, for future migrations.
    pub version: u32,
    pub lessons: BTreeMap<String, LessonProgress>,
}

impl Progress {
    pub fn new() -> Progress {
        Progress { version: 1, lessons: BTreeMap::new() }
    }

    pub fn lesson(&self, id: &str) -> LessonProgress {
        self.lessons.get(id).cloned().unwrap_or_default()
    }

    pub fn lesson_mut(&mut self, id: &str) -> &mut LessonProgress {
        self.lessons.entry(id.to_string()).or_default()
    }

    /// Forgets one lesson (its steps and manifest).
    pub fn reset(&mut self, id: &str) {
        self.lessons.remove(id);
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".into())
    }

    /// Reads an exported file. Unknown lessons and steps are dropped, duplicates removed, steps put
    /// in lesson order, oversized manifests cut off — so a hand-edited file cannot confuse the page.
    pub fn from_json(text: &str, lessons: &[&Lesson]) -> Result<Progress, ImportError> {
        if text.len() > MAX_IMPORT_BYTES {
            return Err(ImportError::TooLarge(text.len()));
        }
        let raw: Progress = serde_json::from_str(text).map_err(|e| ImportError::NotProgress(e.to_string()))?;
        let mut clean = Progress::new();
        for l in lessons {
            let Some(p) = raw.lessons.get(&l.id) else { continue };
            let done: Vec<String> = l.steps.iter().filter(|s| p.done.contains(&s.id)).map(|s| s.id.clone()).collect();
            let manifest = p.manifest.as_ref().filter(|m| m.len() <= MAX_MANIFEST_BYTES).cloned();
            if !done.is_empty() || manifest.is_some() {
                clean.lessons.insert(l.id.clone(), LessonProgress { done, manifest });
            }
        }
        Ok(clean)
    }

    /// What the export file holds: this progress with each lesson's manifest as `saved` gives it
    /// (the editor's text kept by the page), when the learner changed it from the lesson's start.
    pub fn for_export(&self, lessons: &[&Lesson], saved: impl Fn(&Lesson) -> Option<String>) -> Progress {
        let mut out = self.clone();
        for l in lessons {
            match saved(l).filter(|t| *t != l.start && t.len() <= MAX_MANIFEST_BYTES) {
                Some(t) => out.lesson_mut(&l.id).manifest = Some(t),
                None => {
                    if let Some(p) = out.lessons.get_mut(&l.id) {
                        p.manifest = None;
                    }
                }
            }
        }
        out.lessons.retain(|_, p| !p.done.is_empty() || p.manifest.is_some());
        out
    }

    /// An imported file's progress and manifests added to this one: steps done in either stay
    /// done (in lesson order); a manifest in the file replaces the one here. Returns the ids of
    /// the lessons the file held.
    pub fn merge(&mut self, other: &Progress, lessons: &[&Lesson]) -> Vec<String> {
        let mut touched = Vec::new();
        for l in lessons {
            let Some(theirs) = other.lessons.get(&l.id) else { continue };
            let mine = self.lesson_mut(&l.id);
            mine.done = l.steps.iter().filter(|s| mine.done.contains(&s.id) || theirs.done.contains(&s.id)).map(|s| s.id.clone()).collect();
            if theirs.manifest.is_some() {
                mine.manifest = theirs.manifest.clone();
            }
            touched.push(l.id.clone());
        }
        touched
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::testing;

    const YAML: &str = "title: {ko: 파드, en: Pods}\nsummary: {ko: 요약, en: Summary}\nsteps:\n  - id: ns\n    title: {ko: 만들기, en: Make}\n    goal: {exists: {kind: Namespace, name: dev}}\n    hint: {ko: 힌트, en: Hint}\n    solution: {script: \"\"}\n  - id: gone\n    title: {ko: 지우기, en: Delete}\n    goal: {absent: {kind: Namespace, name: dev, deleting: true}}\n    hint: {ko: 힌트, en: Hint}\n    solution: {script: \"\"}\n";

    #[test]
    fn steps_tick_in_order_and_stay_ticked() {
        let l = testing::lesson("02-ns", YAML).unwrap();
        let mut c = l.fresh_cluster();
        let mut p = LessonProgress::default();
        // Step 2's goal (dev absent) holds now, but step 1 comes first.
        assert!(p.update(&l, &c).is_empty());
        assert_eq!(p.current(&l), Some(0));
        let _ = crate::model::api::create(&mut c, crate::json!({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"dev"}}), crate::model::api::Caller::admin());
        assert_eq!(p.update(&l, &c), vec!["ns"]);
        assert_eq!(p.fraction(&l), (1, 2));
        c.store.remove(&crate::model::Key::new(crate::model::Kind::Namespace, "", "dev"));
        assert_eq!(p.update(&l, &c), vec!["gone"]);
        assert!(p.is_complete(&l));
    }

    #[test]
    fn imports_are_cleaned() {
        let l = testing::lesson("02-ns", YAML).unwrap();
        let text = r#"{"version":1,"lessons":{"02-ns":{"done":["gone","nope","ns","ns"],"manifest":"kind: Pod"},"99-x":{"done":["a"]}}}"#;
        let p = Progress::from_json(text, &[&l]).unwrap();
        assert_eq!(p.lesson("02-ns").done, vec!["ns", "gone"]);
        assert_eq!(p.lesson("02-ns").manifest.as_deref(), Some("kind: Pod"));
        assert!(!p.lessons.contains_key("99-x"));
        assert!(matches!(Progress::from_json("nonsense", &[]), Err(ImportError::NotProgress(_))));
        assert!(matches!(Progress::from_json(r#"{"lessons": 5}"#, &[]), Err(ImportError::NotProgress(_))));
        assert_eq!(Progress::from_json(&" ".repeat(MAX_IMPORT_BYTES + 1), &[]), Err(ImportError::TooLarge(MAX_IMPORT_BYTES + 1)));
        let round = Progress::from_json(&p.to_json(), &[&l]).unwrap();
        assert_eq!(round, p);
        let mut q = p.clone();
        q.reset("02-ns");
        assert!(q.lessons.is_empty());
    }

    #[test]
    fn merging_a_file_keeps_steps_done_on_either_side() {
        let l = testing::lesson("02-ns", YAML).unwrap();
        let lessons = &[&l];
        let mut here = Progress::new();
        here.lesson_mut("02-ns").done = vec!["gone".into()];
        here.lesson_mut("02-ns").manifest = Some("mine".into());
        let file = Progress::from_json(r#"{"version":1,"lessons":{"02-ns":{"done":["ns"],"manifest":"theirs"},"99-x":{"done":["a"]}}}"#, lessons).unwrap();
        assert_eq!(here.merge(&file, lessons), vec!["02-ns"]);
        assert_eq!(here.lesson("02-ns").done, vec!["ns", "gone"], "in lesson order");
        assert_eq!(here.lesson("02-ns").manifest.as_deref(), Some("theirs"));
        let none = Progress::from_json(r#"{"version":1,"lessons":{}}"#, lessons).unwrap();
        assert!(here.merge(&none, lessons).is_empty());
        // Export: the saved text goes in when it differs from the lesson's start, and comes back.
        let out = Progress::new().for_export(lessons, |_| Some("kind: Pod\n".into()));
        assert_eq!(out.lesson("02-ns").manifest.as_deref(), Some("kind: Pod\n"));
        assert!(Progress::new().for_export(lessons, |l| Some(l.start.clone())).lessons.is_empty(), "an unchanged start is not exported");
        let back = Progress::from_json(&out.to_json(), lessons).unwrap();
        assert_eq!(back, out);
    }
}
