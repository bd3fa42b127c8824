//! Lessons are content: loaded from `lessons/<NN-slug>/` (compiled at build time by `build.rs`),
//! with steps whose goals are checked against the simulated cluster. Pure: no web dependency.
//!
//! A lesson directory holds `lesson.yaml` (titles, steps with goal checks, hints and reference
//! solutions), `start.yaml` (the editor's starting manifest), and `ko.md` / `en.md` (prose with an
//! intro, a `## Title {#step-id}` section per step and a `## … {#recap}` section). The prose is not
//! part of a `Lesson`: the browser fetches it when a lesson opens (`Lesson::prose_file`), native
//! builds embed it (`embedded_prose`).

pub mod check;
pub mod progress;
pub mod prose;
#[cfg(test)]
pub mod render;

pub use check::{Check, Outcome};
pub use progress::{ImportError, LessonProgress, Progress};
pub use prose::{LessonProse, Prose, Section};

use crate::diagram::{GhostSpec, View};
use crate::model::{Cluster, Kind};
use serde::Deserialize;
use std::sync::OnceLock;

/// One lesson directory, as compiled by `build.rs`.
#[derive(Debug)]
pub struct EmbeddedLesson {
    pub dir: &'static str,
    /// `lesson.yaml` as JSON (without reference solutions in the wasm build), or why it is not YAML.
    pub lesson_json: Result<&'static str, &'static str>,
    pub start_yaml: &'static str,
    /// The prose file's path relative to the site root: `prose/<dir>.<content hash>.json`.
    pub prose_file: &'static str,
    /// That file's content (a `LessonProse` as JSON); `None` in the wasm build, which fetches it.
    pub prose_json: Option<&'static str>,
}

include!(concat!(env!("OUT_DIR"), "/lessons_index.rs"));

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    Ko,
    En,
}

/// A string in both languages.
#[derive(Clone, Debug, PartialEq, Eq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    pub ko: String,
    pub en: String,
}

impl Text {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ko => &self.ko,
            Lang::En => &self.en,
        }
    }
}

/// An object the diagram may draw faintly as the step's goal ("ghost").
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ghost {
    pub kind: String,
    pub name: String,
    #[serde(default)]
    pub namespace: Option<String>,
}

impl Ghost {
    /// What the diagram draws (None if the kind is unknown; `load` refuses those).
    pub fn spec(&self) -> Option<GhostSpec> {
        Some(GhostSpec::new(Kind::from_kind_name(&self.kind)?, self.namespace.as_deref(), &self.name))
    }
}

/// The reference solution of a step, in the `kubelab run` script format: commands to run first
/// (`before`, e.g. deleting a pod whose spec cannot change), the editor's manifest after the step
/// (applied with `kubectl apply -f -`), then commands (`script`).
#[derive(Clone, Debug, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Solution {
    #[serde(default)]
    pub before: String,
    #[serde(default)]
    pub manifest: Option<String>,
    #[serde(default)]
    pub script: String,
}

impl Solution {
    /// The whole solution as one script (what the test plays and "show solution" may run).
    pub fn as_script(&self) -> String {
        let mut s = self.before.clone();
        if !s.is_empty() && !s.ends_with('\n') {
            s.push('\n');
        }
        if let Some(m) = &self.manifest {
            s.push_str("kubectl apply -f - <<'MANIFEST'\n");
            s.push_str(m);
            if !m.ends_with('\n') {
                s.push('\n');
            }
            s.push_str("MANIFEST\n");
        }
        s.push_str(&self.script);
        s
    }
}

/// One step of a lesson.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub id: String,
    pub title: Text,
    pub goal: Goal,
    pub hint: Text,
    pub solution: Solution,
    pub ghost: Vec<Ghost>,
    /// This step breaks something on purpose so the learner can see it and fix it.
    pub breaks: bool,
}

impl Step {
    pub fn check(&self, c: &Cluster) -> Outcome {
        self.goal.check().eval(c)
    }
}

/// A step's goal, kept as its JSON text and parsed when first checked. Native builds (the
/// tests, the CLI) parse every goal as the lesson loads, so a typo is a load error there; the
/// page leaves it to the simulator, whose module is then the only one holding the goal parser.
#[derive(Clone, Debug)]
pub struct Goal {
    text: Box<serde_json::value::RawValue>,
    parsed: OnceLock<Check>,
}

impl PartialEq for Goal {
    fn eq(&self, other: &Goal) -> bool {
        self.text.get() == other.text.get()
    }
}

impl Goal {
    fn new(text: Box<serde_json::value::RawValue>) -> Result<Goal, String> {
        let goal = Goal { text, parsed: OnceLock::new() };
        #[cfg(not(target_arch = "wasm32"))]
        let _ = goal.parsed.set(goal.parse()?);
        Ok(goal)
    }

    fn parse(&self) -> Result<Check, String> {
        let v: crate::value::Value = serde_json::from_str(self.text.get()).map_err(|e| e.to_string())?;
        check::parse(&v)
    }

    /// The parsed check. A goal that does not parse (which the native tests rule out for every
    /// lesson) never passes: `any` of nothing.
    pub fn check(&self) -> &Check {
        self.parsed.get_or_init(|| self.parse().unwrap_or(Check::Any(Vec::new())))
    }
}

/// A loaded lesson.
#[derive(Clone, Debug, PartialEq)]
pub struct Lesson {
    /// The directory name, e.g. `03-pod`; stable, used for progress keys and URLs.
    pub id: String,
    pub number: u32,
    pub title: Text,
    pub summary: Text,
    /// Kinds the lesson teaches, most important first (the diagram opens on the first one's view).
    pub concepts: Vec<Kind>,
    /// The diagram view the page opens on, when `concepts` would not pick the right one.
    pub view: Option<View>,
    /// Commands run on a fresh cluster before step 1 (not shown to the learner).
    pub setup: String,
    /// The editor's starting manifest.
    pub start: String,
    pub steps: Vec<Step>,
    /// Where the site serves this lesson's prose (`LessonProse` as JSON), relative to its root.
    pub prose_file: String,
}

impl LessonProse {
    pub fn get(&self, lang: Lang) -> &Prose {
        match lang {
            Lang::Ko => &self.ko,
            Lang::En => &self.en,
        }
    }
}

impl Lesson {
    /// The cluster a learner starts this lesson on: a fresh cluster with `setup` played.
    pub fn fresh_cluster(&self) -> Cluster {
        let mut c = Cluster::new();
        crate::script::run(&mut c, &self.setup, None);
        c
    }
    /// Every step's goal, evaluated now.
    pub fn evaluate(&self, c: &Cluster) -> Vec<Outcome> {
        self.steps.iter().map(|s| s.check(c)).collect()
    }
    pub fn step(&self, id: &str) -> Option<&Step> {
        self.steps.iter().find(|s| s.id == id)
    }
    /// The diagram view the lesson page opens on: `view:` if given, else the concepts' view.
    pub fn initial_view(&self) -> View {
        self.view.unwrap_or_else(|| View::for_concepts(&self.concepts))
    }
}

/// Why a lesson did not load.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadError {
    pub lesson: String,
    pub message: String,
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "lessons/{}: {}", self.lesson, self.message)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLesson {
    title: Text,
    summary: Text,
    #[serde(default)]
    concepts: Vec<String>,
    #[serde(default)]
    view: Option<String>,
    #[serde(default)]
    setup: String,
    steps: Vec<RawStep>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStep {
    id: String,
    title: Text,
    goal: Box<serde_json::value::RawValue>,
    hint: Text,
    // Required by the tests (every step has one); the wasm build leaves it out (build.rs), and
    // so does its reader.
    #[cfg_attr(target_arch = "wasm32", serde(skip))]
    #[serde(default)]
    solution: Solution,
    #[serde(default)]
    ghost: Vec<Ghost>,
    #[serde(default)]
    breaks: bool,
}

/// Loads one lesson from its compiled `lesson.yaml` (JSON, see `build.rs`) and `start.yaml`.
pub fn load(dir: &str, lesson_json: &str, start_yaml: &str, prose_file: &str) -> Result<Lesson, LoadError> {
    let fail = |m: String| LoadError { lesson: dir.to_string(), message: m };
    let number = dir.split('-').next().and_then(|n| n.parse::<u32>().ok()).ok_or_else(|| fail("directory name must start with a number: NN-slug".into()))?;
    let raw: RawLesson = serde_json::from_str(lesson_json).map_err(|e| fail(format!("lesson.yaml: {e}")))?;
    if !(1..=12).contains(&raw.steps.len()) {
        return Err(fail(format!("lesson.yaml: {} steps; a lesson has 1 to 12", raw.steps.len())));
    }
    let concepts = raw
        .concepts
        .iter()
        .map(|k| Kind::from_kind_name(k).ok_or_else(|| fail(format!("lesson.yaml: concepts: unknown kind {k:?}"))))
        .collect::<Result<Vec<_>, _>>()?;
    let view = match raw.view.as_deref() {
        None => None,
        Some(v) => Some(View::from_id(v).ok_or_else(|| {
            let ids: Vec<&str> = View::ALL.iter().map(|v| v.id()).collect();
            fail(format!("lesson.yaml: view: unknown view {v:?} (one of {})", ids.join(", ")))
        })?),
    };
    let mut steps = Vec::new();
    for (i, s) in raw.steps.into_iter().enumerate() {
        if s.id.is_empty() || s.id == "recap" || !s.id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return Err(fail(format!("lesson.yaml: steps[{i}]: id {:?} must be letters, digits and '-' (and not \"recap\")", s.id)));
        }
        if steps.iter().any(|p: &Step| p.id == s.id) {
            return Err(fail(format!("lesson.yaml: duplicate step id {:?}", s.id)));
        }
        let goal = Goal::new(s.goal).map_err(|e| fail(format!("lesson.yaml: step {:?}: {e}", s.id)))?;
        for g in &s.ghost {
            if Kind::from_kind_name(&g.kind).is_none() {
                return Err(fail(format!("lesson.yaml: step {:?}: ghost: unknown kind {:?}", s.id, g.kind)));
            }
        }
        steps.push(Step { id: s.id, title: s.title, goal, hint: s.hint, solution: s.solution, ghost: s.ghost, breaks: s.breaks });
    }
    Ok(Lesson {
        id: dir.to_string(),
        number,
        title: raw.title,
        summary: raw.summary,
        concepts,
        view,
        setup: raw.setup,
        start: start_yaml.to_string(),
        steps,
        prose_file: prose_file.to_string(),
    })
}

/// Reads a lesson's prose file and checks it has a section per step, in order, then the recap, in
/// both languages. The page calls this on what it fetched; native builds on the embedded copy.
pub fn parse_prose(l: &Lesson, json: &str) -> Result<LessonProse, LoadError> {
    let fail = |m: String| LoadError { lesson: l.id.clone(), message: m };
    let p: LessonProse = serde_json::from_str(json).map_err(|e| fail(format!("{}: {e}", l.prose_file)))?;
    let want: Vec<&str> = l.steps.iter().map(|s| s.id.as_str()).chain(["recap"]).collect();
    for (name, p) in [("ko.md", &p.ko), ("en.md", &p.en)] {
        if p.ids() != want {
            return Err(fail(format!("{name}: sections {:?}, expected {:?} (a `## Title {{#id}}` heading per step, then {{#recap}})", p.ids(), want)));
        }
    }
    Ok(p)
}

/// A lesson's prose as embedded in a native build (`None` in the browser, which fetches `prose_file`).
pub fn embedded_prose(l: &Lesson) -> Option<Result<LessonProse, LoadError>> {
    let e = EMBEDDED.iter().find(|e| e.dir == l.id)?;
    e.prose_json.map(|json| parse_prose(l, json))
}

/// One embedded lesson, loaded; where the prose is embedded (native builds), a lesson whose
/// prose does not match its steps fails too.
fn load_embedded(e: &EmbeddedLesson) -> Result<Lesson, LoadError> {
    e.lesson_json
        .map_err(|yaml| LoadError { lesson: e.dir.to_string(), message: format!("lesson.yaml: {yaml}") })
        .and_then(|json| load(e.dir, json, e.start_yaml, e.prose_file))
        .and_then(|l| match e.prose_json {
            Some(p) => parse_prose(&l, p).map(|_| l),
            None => Ok(l),
        })
}

/// Loads every embedded lesson, in directory order, with the errors of those that failed.
pub fn load_all() -> (Vec<Lesson>, Vec<LoadError>) {
    let mut ok = Vec::new();
    let mut errs = Vec::new();
    for e in EMBEDDED {
        match load_embedded(e) {
            Ok(l) => ok.push(l),
            Err(er) => errs.push(er),
        }
    }
    (ok, errs)
}

/// Embedded lesson `i`, parsed once and only when asked for: a lesson page needs its own lesson
/// and the next one's title, and parsing all 22 (steps, goal checks) was a tenth of the page's
/// start-up in the browser.
fn loaded(i: usize) -> Option<&'static Lesson> {
    static LOADED: OnceLock<Vec<OnceLock<Option<Lesson>>>> = OnceLock::new();
    let cells = LOADED.get_or_init(|| EMBEDDED.iter().map(|_| OnceLock::new()).collect());
    cells.get(i)?.get_or_init(|| load_embedded(&EMBEDDED[i]).ok()).as_ref()
}

/// Every lesson that loads, in directory order (the test suite guarantees all of them load).
pub fn catalog() -> &'static [&'static Lesson] {
    static CATALOG: OnceLock<Vec<&'static Lesson>> = OnceLock::new();
    CATALOG.get_or_init(|| (0..EMBEDDED.len()).filter_map(loaded).collect())
}

/// A lesson by id (`03-pod`).
pub fn find(id: &str) -> Option<&'static Lesson> {
    loaded(EMBEDDED.iter().position(|e| e.dir == id)?)
}

/// The lesson after this one, for the "next lesson" link.
pub fn next(id: &str) -> Option<&'static Lesson> {
    let i = EMBEDDED.iter().position(|e| e.dir == id)?;
    loaded(i)?;
    (i + 1..EMBEDDED.len()).find_map(loaded)
}

/// Lessons written inline in the unit tests, compiled the way `build.rs` compiles a directory.
#[cfg(test)]
pub(crate) mod testing {
    use super::*;

    pub fn json(yaml: &str) -> String {
        serde_json::to_string(&serde_yaml::from_str::<crate::value::Value>(yaml).expect("test YAML")).expect("JSON")
    }
    pub fn prose(ko_md: &str, en_md: &str) -> String {
        serde_json::to_string(&LessonProse { ko: render::parse(ko_md), en: render::parse(en_md) }).expect("JSON")
    }
    pub fn lesson(dir: &str, yaml: &str) -> Result<Lesson, LoadError> {
        load(dir, &json(yaml), "", "prose/test.json")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const YAML: &str = "title: {ko: 파드, en: Pods}\nsummary: {ko: 요약, en: Summary}\nconcepts: [Pod]\nsteps:\n  - id: run\n    title: {ko: 실행, en: Run}\n    goal: {exists: {kind: Pod, name: web}}\n    hint: {ko: 힌트, en: Hint}\n    solution: {manifest: \"kind: Pod\\n\", script: \"advance 5s\\n\"}\n";

    #[test]
    fn loads_a_lesson_and_checks_prose_sections() {
        let ko = "# 파드\n소개\n## 실행하기 {#run}\n본문\n## 정리 {#recap}\n끝\n";
        let en = "# Pods\nIntro\n## Run it {#run}\nBody\n## Recap {#recap}\nEnd\n";
        let l = testing::lesson("03-pod", YAML).unwrap();
        let p = parse_prose(&l, &testing::prose(ko, en)).unwrap();
        assert_eq!((l.number, l.steps.len(), l.concepts.clone()), (3, 1, vec![Kind::Pod]));
        assert_eq!(p.get(Lang::Ko).section("run").unwrap().title, "실행하기");
        assert_eq!(l.steps[0].solution.as_script(), "kubectl apply -f - <<'MANIFEST'\nkind: Pod\nMANIFEST\nadvance 5s\n");
        assert!(!l.steps[0].check(&l.fresh_cluster()).passed);
        let missing = parse_prose(&l, &testing::prose(ko, "# Pods\n## Recap {#recap}\n")).unwrap_err();
        assert!(missing.message.starts_with("en.md: sections"), "{missing}");
        assert!(parse_prose(&l, "<!DOCTYPE html>").unwrap_err().message.starts_with("prose/test.json: "));
        assert!(testing::lesson("pod", YAML).is_err());
        assert!(testing::lesson("03-pod", &YAML.replace("exists:", "exist:")).unwrap_err().message.contains("step \"run\""));
        assert!(testing::lesson("03-pod", &YAML.replace("hint:", "hints:")).is_err());
        // The diagram opens on the concepts' view unless `view:` names one.
        assert_eq!((l.view, l.initial_view()), (None, View::Cluster));
        let rbac = testing::lesson("03-pod", &YAML.replace("concepts: [Pod]", "concepts: [Pod]\nview: rbac")).unwrap();
        assert_eq!(rbac.initial_view(), View::Rbac);
        let bad = testing::lesson("03-pod", &YAML.replace("concepts: [Pod]", "concepts: [Pod]\nview: pods")).unwrap_err();
        assert!(bad.message.contains("unknown view \"pods\" (one of cluster, ownership"), "{bad}");
        let mut concepts = testing::lesson("03-pod", &YAML.replace("[Pod]", "[Namespace, ServiceAccount, RoleBinding, Pod]")).unwrap();
        assert_eq!(concepts.initial_view(), View::Rbac, "kinds no view is about are skipped");
        concepts.concepts.clear();
        assert_eq!(concepts.initial_view(), View::Cluster);
    }

    #[test]
    fn embedded_catalog_is_ordered() {
        let ids: Vec<&str> = catalog().iter().map(|l| l.id.as_str()).collect();
        let mut sorted = ids.clone();
        crate::sort::ord(&mut sorted);
        assert_eq!(ids, sorted);
        assert_eq!(next("01-cluster").map(|l| l.id.as_str()), ids.get(1).copied());
    }

    #[test]
    fn native_builds_embed_each_lessons_prose_under_a_content_hashed_name() {
        for l in catalog() {
            assert!(embedded_prose(l).is_some_and(|p| p.is_ok()), "{}", l.id);
            let hash = l.prose_file.strip_prefix(&format!("prose/{}.", l.id)).and_then(|r| r.strip_suffix(".json"));
            assert!(hash.is_some_and(|h| h.len() == 16 && h.chars().all(|c| c.is_ascii_hexdigit())), "{}", l.prose_file);
        }
    }
}
