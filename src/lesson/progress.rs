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
    pub fn from_json(text: &str, lessons: &[Lesson]) -> Result<Progress, String> {
        if text.len() > MAX_IMPORT_BYTES {
            return Err(format!("progress file too large ({} bytes, at most {MAX_IMPORT_BYTES})", text.len()));
        }
        let raw: Progress = serde_json::from_str(text).map_err(|e| format!("not a kubelab progress file: {e}"))?;
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
        let _ = crate::model::api::create(&mut c, serde_json::json!({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"dev"}}), crate::model::api::Caller::admin());
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
        let p = Progress::from_json(text, std::slice::from_ref(&l)).unwrap();
        assert_eq!(p.lesson("02-ns").done, vec!["ns", "gone"]);
        assert_eq!(p.lesson("02-ns").manifest.as_deref(), Some("kind: Pod"));
        assert!(!p.lessons.contains_key("99-x"));
        assert!(Progress::from_json("nonsense", &[]).is_err());
        assert!(Progress::from_json(r#"{"lessons": 5}"#, &[]).is_err());
        assert!(Progress::from_json(&" ".repeat(MAX_IMPORT_BYTES + 1), &[]).is_err());
        let round = Progress::from_json(&p.to_json(), std::slice::from_ref(&l)).unwrap();
        assert_eq!(round, p);
        let mut q = p.clone();
        q.reset("02-ns");
        assert!(q.lessons.is_empty());
    }
}
