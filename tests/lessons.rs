//! Every lesson loads, has matching Korean and English prose, parses, and — played step by step
//! against the simulator — each step's reference solution reaches its goal, which did not hold at
//! the step's start. Lessons the simulator cannot finish yet are listed in `WAITING` with the
//! behaviour they need; they are asserted to still fail, so the list cannot rot silently.

use kubelab::lesson::{self, Lesson, LessonProse, EMBEDDED};
use kubelab::manifest;
use kubelab::script;

/// Lessons that fail today only because the simulator lacks a behaviour (lesson id, what is missing).
/// When one starts passing, this test fails and asks for its line to be removed.
const WAITING: &[(&str, &str)] = &[
];

/// The least number of lessons the course has (issue 6 asks for 21 or more).
const MIN_LESSONS: usize = 22;

fn lessons() -> Vec<Lesson> {
    let (ok, errs) = lesson::load_all();
    assert!(errs.is_empty(), "lessons failed to load:\n{}", errs.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n"));
    ok
}

/// A lesson's prose, as the build rendered it (embedded in native builds; the page fetches it).
fn prose(l: &Lesson) -> LessonProse {
    lesson::embedded_prose(l).expect("native builds embed the prose").expect("load_all checked it")
}

fn has_hangul(s: &str) -> bool {
    s.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c))
}

#[test]
fn every_lesson_loads_with_both_languages() {
    let all = lessons();
    assert_eq!(all.len(), EMBEDDED.len());
    assert!(all.len() >= MIN_LESSONS, "only {} lessons", all.len());
    let mut numbers: Vec<u32> = all.iter().map(|l| l.number).collect();
    numbers.dedup();
    assert_eq!(numbers.len(), all.len(), "two lessons share a number");
    for l in &all {
        assert!((3..=7).contains(&l.steps.len()), "{}: {} steps, a lesson has 3 to 7", l.id, l.steps.len());
        assert!(l.steps.iter().any(|s| s.breaks), "{}: no step breaks something on purpose", l.id);
        assert!(has_hangul(&l.title.ko) && has_hangul(&l.summary.ko), "{}: Korean title/summary", l.id);
        assert!(!l.title.en.is_empty() && !has_hangul(&l.title.en) && !has_hangul(&l.summary.en), "{}: English title/summary", l.id);
        for s in &l.steps {
            assert!(has_hangul(&s.title.ko) && has_hangul(&s.hint.ko), "{}/{}: Korean title/hint", l.id, s.id);
            assert!(!s.title.en.is_empty() && !s.hint.en.is_empty() && !has_hangul(&s.hint.en), "{}/{}: English title/hint", l.id, s.id);
            assert!(!s.solution.as_script().trim().is_empty(), "{}/{}: empty solution", l.id, s.id);
        }
        let both = prose(l);
        for (lang, p) in [("ko", &both.ko), ("en", &both.en)] {
            assert!(p.intro_html.len() > 100, "{}: {lang}.md has almost no intro", l.id);
            for sec in &p.sections {
                assert!(sec.html.len() > 40 && !sec.title.is_empty(), "{}: {lang}.md section {} is empty", l.id, sec.id);
                assert_eq!(has_hangul(&sec.html) || has_hangul(&sec.title), lang == "ko", "{}: {lang}.md section {} in the wrong language", l.id, sec.id);
            }
        }
    }
}

/// Heredoc bodies of a script (the manifests it applies).
fn heredocs(text: &str) -> Vec<String> {
    script::parse(text).into_iter().filter_map(|c| c.stdin).collect()
}

#[test]
fn every_manifest_parses() {
    for l in lessons() {
        let mut docs = vec![("start.yaml".to_string(), l.start.clone())];
        docs.extend(heredocs(&l.setup).into_iter().map(|d| ("setup".to_string(), d)));
        for s in &l.steps {
            docs.extend(heredocs(&s.solution.as_script()).into_iter().map(|d| (format!("step {}", s.id), d)));
        }
        for (what, text) in docs {
            match manifest::parse(&text) {
                Ok(d) => {
                    for doc in d {
                        let v = &doc.value;
                        assert!(v.get("apiVersion").is_some() && v.get("kind").is_some() && v.pointer("/metadata/name").is_some(),
                            "{}: {what}: a document without apiVersion/kind/metadata.name", l.id);
                    }
                }
                Err(e) => panic!("{}: {what}: {}", l.id, e.message),
            }
        }
    }
}

/// Plays one lesson; returns what went wrong (empty when every step works).
fn play(l: &Lesson) -> Vec<String> {
    let mut problems = Vec::new();
    let mut c = l.fresh_cluster();
    let mut progress = lesson::LessonProgress::default();
    for (i, s) in l.steps.iter().enumerate() {
        let on_this_step = progress.current(l) == Some(i);
        let before = s.check(&c);
        if before.passed {
            problems.push(format!("step {}: goal already holds at the step's start: {}", s.id, before.detail.en));
        }
        for st in script::run(&mut c, &s.solution.as_script(), None) {
            // `auth can-i` answers "no" with exit code 1: a question, not a failure.
            if st.exit_code != 0 && !s.breaks && !st.command.starts_with("kubectl auth can-i") {
                problems.push(format!("step {}: `{}` exited {}: {}", s.id, st.command, st.exit_code, st.stderr.trim()));
            }
        }
        let after = s.check(&c);
        if !after.passed {
            problems.push(format!("step {}: goal not reached by the solution: {}", s.id, after.detail.en));
        }
        // The page ticks steps with LessonProgress: this step, and only it, must tick now.
        let ticked = progress.update(l, &c);
        if on_this_step && after.passed && ticked != [s.id.clone()] {
            problems.push(format!("step {}: progress ticked {ticked:?}", s.id));
        }
    }
    problems
}

#[test]
fn reference_solutions_reach_every_goal() {
    let all = lessons();
    for (id, _) in WAITING {
        assert!(all.iter().any(|l| l.id == *id), "WAITING names {id}, which is not a lesson");
    }
    let mut failures = Vec::new();
    for l in &all {
        let problems = play(l);
        match WAITING.iter().find(|(id, _)| *id == l.id) {
            Some((_, needs)) if problems.is_empty() => failures.push(format!(
                "{} now passes every step: remove its line from WAITING in tests/lessons.rs (it waited for: {needs})",
                l.id
            )),
            Some((_, needs)) => println!("waiting: {} (needs {needs}):\n  {}", l.id, problems.join("\n  ")),
            None if !problems.is_empty() => failures.push(format!("{}:\n  {}", l.id, problems.join("\n  "))),
            None => {}
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Emphasis that CommonMark cannot close (`**순번(ordinal)**으로`: a closing `**` after punctuation
/// and before a letter) would show raw asterisks to the learner.
#[test]
fn prose_renders_without_stray_markup() {
    for l in lessons() {
        let both = prose(&l);
        for (lang, p) in [("ko", &both.ko), ("en", &both.en)] {
            let all = std::iter::once(&p.intro_html).chain(p.sections.iter().map(|s| &s.html));
            for html in all {
                let outside_code: String = html.split("<code>").enumerate().map(|(i, part)| if i == 0 { part } else { part.split_once("</code>").map_or("", |x| x.1) }).collect();
                assert!(!outside_code.contains("**") && !outside_code.contains("{#"), "{}: {lang}.md renders stray markup: {}", l.id,
                    outside_code.lines().find(|x| x.contains("**") || x.contains("{#")).unwrap_or(""));
            }
        }
    }
}

/// Ghosts (`ghost:` on a step) draw what the step asks the learner to build: each must be absent
/// when the step starts on the page (the start manifest applied, earlier steps done), drawn by
/// the view about its kind, and present once the step's solution ran.
#[test]
fn ghosts_show_what_the_step_builds() {
    use kubelab::diagram::{ghosts::tier_in, View};
    let mut problems = Vec::new();
    for l in &lessons() {
        let mut c = kubelab::workbench::Workbench::with_cluster(l.fresh_cluster(), &l.start).cluster;
        for s in &l.steps {
            for g in &s.ghost {
                let spec = g.spec().expect("lesson::load refuses unknown ghost kinds");
                let drawn = View::about(spec.kind).and_then(|v| tier_in(v, spec.kind));
                if drawn.is_none() {
                    problems.push(format!("{} step {}: no view draws a ghost {}", l.id, s.id, g.kind));
                }
                if c.store.get(&spec.key()).is_some() {
                    problems.push(format!("{} step {}: ghost {} {} already exists when the step starts", l.id, s.id, g.kind, g.name));
                }
            }
            script::run(&mut c, &s.solution.as_script(), None);
            for g in &s.ghost {
                if c.store.get(&g.spec().unwrap().key()).is_none() {
                    problems.push(format!("{} step {}: the solution never makes ghost {} {}", l.id, s.id, g.kind, g.name));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Each lesson opens its diagram on the view its concepts need (or the one `view:` names).
#[test]
fn lessons_open_on_the_view_they_are_about() {
    use kubelab::diagram::View;
    let view = |id: &str| lesson::find(id).unwrap_or_else(|| panic!("lesson {id}")).initial_view();
    for (id, want) in [
        ("01-cluster", View::Cluster),
        ("03-pod", View::Cluster),
        ("05-deployment", View::Ownership),
        ("06-service", View::Networking),
        ("08-configmap", View::Config),
        ("11-persistentvolumeclaim", View::Storage),
        ("16-serviceaccount", View::Cluster),
        ("18-rolebinding", View::Rbac),
        ("21-daemonset", View::Cluster),
    ] {
        assert_eq!(view(id), want, "{id}");
    }
}
