//! Property tests for `kubelab::value` against `serde_json::Value`, the type it replaced: the
//! same JSON text in gives the same text out (compact and indented), the same lookups, and a map
//! edited by the same inserts and removals ends with the same entries in the same order.

use kubelab::value::{Map, Value};
use proptest::prelude::*;

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("a".to_string()), Just("b".to_string()), Just("metadata".to_string()), Just("".to_string()),
        Just("app.kubernetes.io/name".to_string()), Just("terminationMessagePolicy".to_string()),
        Just("이름".to_string()), Just("a~b/c".to_string()), "[a-z]{0,30}",
    ]
}

/// A JSON document as written: an object's entries in order, repeated keys kept.
#[derive(Clone, Debug)]
enum Doc {
    Leaf(serde_json::Value),
    Array(Vec<Doc>),
    Object(Vec<(String, Doc)>),
}

fn render(d: &Doc) -> String {
    match d {
        Doc::Leaf(v) => v.to_string(),
        Doc::Array(a) => format!("[{}]", a.iter().map(render).collect::<Vec<_>>().join(",")),
        Doc::Object(kv) => {
            let body: Vec<String> = kv.iter().map(|(k, v)| format!("{}:{}", serde_json::Value::from(k.as_str()), render(v))).collect();
            format!("{{{}}}", body.join(","))
        }
    }
}

/// JSON text of random shape: keys repeat, numbers of every kind, strings of any length.
fn json_text() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<u64>().prop_map(serde_json::Value::from),
        (-1e30f64..1e30).prop_map(serde_json::Value::from),
        ".{0,40}".prop_map(serde_json::Value::from),
    ];
    let tree = leaf.prop_map(Doc::Leaf).prop_recursive(4, 64, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..5).prop_map(Doc::Array),
            proptest::collection::vec((key(), inner), 0..6).prop_map(Doc::Object),
        ]
    });
    tree.prop_map(|d| render(&d))
}

/// Every path to a value in `v`, as JSON Pointers.
fn pointers(v: &serde_json::Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                pointers(x, format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")), out);
            }
        }
        serde_json::Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                pointers(x, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, .. ProptestConfig::default() })]

    #[test]
    fn reads_and_prints_json_as_serde_json_does(text in json_text()) {
        let theirs: serde_json::Value = serde_json::from_str(&text).unwrap();
        let ours: Value = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(ours.to_string(), theirs.to_string());
        prop_assert_eq!(format!("{ours:#}"), format!("{theirs:#}"));
        let mut paths = Vec::new();
        pointers(&theirs, String::new(), &mut paths);
        for p in paths {
            let (a, b) = (ours.pointer(&p).map(|v| v.to_string()), theirs.pointer(&p).map(|v| v.to_string()));
            prop_assert_eq!(a, b, "pointer {}", p);
        }
        prop_assert_eq!(ours.pointer("/no such key").is_some(), theirs.pointer("/no such key").is_some());
    }

    #[test]
    fn a_map_edited_alike_ends_alike(ops in proptest::collection::vec((key(), any::<i32>(), 0u8..4), 0..40)) {
        let mut ours = Map::new();
        let mut theirs = serde_json::Map::new();
        for (k, n, op) in ops {
            match op {
                0 => prop_assert_eq!(ours.remove(&k).map(|v| v.to_string()), theirs.remove(&k).map(|v| v.to_string())),
                1 => {
                    ours.entry(k.as_str()).or_insert(Value::from(n));
                    theirs.entry(k.as_str()).or_insert(serde_json::Value::from(n));
                }
                _ => prop_assert_eq!(
                    ours.insert(k.as_str().into(), Value::from(n)).map(|v| v.to_string()),
                    theirs.insert(k.clone(), serde_json::Value::from(n)).map(|v| v.to_string())
                ),
            }
            prop_assert_eq!(ours.len(), theirs.len());
            prop_assert_eq!(ours.contains_key(&k), theirs.contains_key(&k));
        }
        prop_assert_eq!(Value::Object(ours).to_string(), serde_json::Value::Object(theirs).to_string());
    }
}
