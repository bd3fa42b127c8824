//! Golden transcript tests (the kwok habit): every `tests/transcripts/**/NAME.script` runs against
//! a fresh simulated cluster and must print exactly `NAME.out`. Regenerate with
//! `UPDATE_GOLDEN=1 cargo test --no-default-features --test transcripts`, then read the diff.

use kubelab::model::Cluster;
use kubelab::script;
use std::path::{Path, PathBuf};

fn scripts(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<_> = rd.filter_map(Result::ok).map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            scripts(&p, out);
        } else if p.extension().is_some_and(|e| e == "script") {
            out.push(p);
        }
    }
}

/// A readable diff: the first differing line with context.
fn first_difference(want: &str, got: &str) -> String {
    let (w, g): (Vec<_>, Vec<_>) = (want.lines().collect(), got.lines().collect());
    for i in 0..w.len().max(g.len()) {
        if w.get(i) != g.get(i) {
            let from = i.saturating_sub(3);
            let mut s = format!("first difference at line {}:\n", i + 1);
            for j in from..i {
                s.push_str(&format!("   {}\n", w.get(j).unwrap_or(&"")));
            }
            s.push_str(&format!(" - {}\n + {}\n", w.get(i).unwrap_or(&"<end>"), g.get(i).unwrap_or(&"<end>")));
            return s;
        }
    }
    "outputs differ only in trailing newline".into()
}

#[test]
fn transcripts_match_golden_files() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/transcripts");
    let mut files = Vec::new();
    scripts(&root, &mut files);
    assert!(!files.is_empty(), "no transcript scripts found under {}", root.display());
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut failures = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let mut c = Cluster::new();
        let got = script::transcript(&script::run(&mut c, &text, f.parent()));
        let golden = f.with_extension("out");
        if update {
            std::fs::write(&golden, &got).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(&golden).unwrap_or_default();
        if want != got {
            failures.push(format!("{}: {}", f.strip_prefix(&root).unwrap().display(), first_difference(&want, &got)));
        }
    }
    assert!(failures.is_empty(), "{} of {} transcripts differ (UPDATE_GOLDEN=1 to regenerate):\n{}", failures.len(), files.len(), failures.join("\n"));
    println!("{} transcripts match", files.len());
}

/// Settle skips controller passes and pod syncs whose inputs did not change (`controllers::Watch`).
/// Debug builds run each skipped pass anyway and panic if it asks for something; this runs every
/// transcript the way the release build and the page do, skipping for real, and wants the same
/// output and the same objects, field for field, as the full passes.
#[test]
fn skipping_quiet_passes_changes_nothing() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/transcripts");
    let mut files = Vec::new();
    scripts(&root, &mut files);
    let mut failures = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let (mut full, mut skipping) = (Cluster::new(), Cluster::new());
        assert!(full.verify_skips, "tests build with debug assertions");
        skipping.verify_skips = false;
        let a = script::transcript(&script::run(&mut full, &text, f.parent()));
        let b = script::transcript(&script::run(&mut skipping, &text, f.parent()));
        let name = f.strip_prefix(&root).unwrap().display().to_string();
        if a != b {
            failures.push(format!("{name}: {}", first_difference(&a, &b)));
        }
        let (x, y): (Vec<_>, Vec<_>) = (full.store.all().collect(), skipping.store.all().collect());
        if x != y {
            failures.push(format!("{name}: the stores differ after the script"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
