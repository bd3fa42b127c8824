//! Lints over the source tree: every module says why it exists (a `//!` first line), and code
//! that ships sorts through `kubelab::sort` (each direct `sort_by` site is ~4 KB of wasm).

use std::path::Path;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

fn sources() -> Vec<(String, String)> {
    let mut files = Vec::new();
    rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
    files.sort();
    let root = env!("CARGO_MANIFEST_DIR").to_string() + "/";
    files.into_iter().map(|p| (p.to_string_lossy().replace(&root, ""), std::fs::read_to_string(&p).unwrap())).collect()
}

#[test]
fn every_module_opens_with_why_it_exists() {
    let missing: Vec<String> = sources().into_iter().filter(|(_, text)| !text.starts_with("//!")).map(|(p, _)| p).collect();
    assert!(missing.is_empty(), "modules without a `//!` first line: {missing:?}");
}

#[test]
fn shipped_code_sorts_through_the_shared_sort() {
    // Tests, the bench, the native command and the two sorts that must stay direct are exempt:
    // `sort.rs` is the shared instance, and `value::map` sorts every `json!` object's entries.
    let exempt = |p: &str| {
        p.ends_with("tests.rs") || p.starts_with("src/bench/") || p.starts_with("src/bin/") || p == "src/sort.rs" || p == "src/value/map.rs"
    };
    let mut found = Vec::new();
    for (path, text) in sources() {
        if exempt(&path) {
            continue;
        }
        // A file's own test module comes last; its sorts are not shipped.
        let shipped = text.split("#[cfg(test)]").next().unwrap_or("");
        for (i, line) in shipped.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            if [".sort()", ".sort_by(", ".sort_by_key(", ".sort_by_cached_key("].iter().any(|s| code.contains(s)) {
                found.push(format!("{path}:{}: {}", i + 1, line.trim()));
            }
        }
    }
    assert!(found.is_empty(), "use kubelab::sort::{{by, by_key, ord}} instead:\n{}", found.join("\n"));
}
