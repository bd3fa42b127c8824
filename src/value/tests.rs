//! The value type against `serde_json`'s: same text out, same reads, same macro.

use super::*;

fn roundtrip(text: &str) -> String {
    let v: Value = serde_json::from_str(text).unwrap();
    serde_json::to_string(&v).unwrap()
}

#[test]
fn prints_like_serde_json() {
    for text in [
        r#"{"b":1,"a":[true,null,-3,2.5,1e21,"x"],"c":{"z":{},"y":[]}}"#,
        r#"{"k":18446744073709551615,"n":-9223372036854775808,"f":1.0,"g":0.1}"#,
        r#"[{"b":2,"b":3,"a":1}]"#,
    ] {
        let theirs: serde_json::Value = serde_json::from_str(text).unwrap();
        assert_eq!(roundtrip(text), serde_json::to_string(&theirs).unwrap(), "{text}");
        let ours: Value = serde_json::from_str(text).unwrap();
        assert_eq!(format!("{ours:#}"), format!("{theirs:#}"));
    }
}

#[test]
fn later_duplicate_keys_win_and_keys_stay_sorted() {
    let v: Value = serde_json::from_str(r#"{"b":2,"a":1,"b":3}"#).unwrap();
    assert_eq!(v.to_string(), r#"{"a":1,"b":3}"#);
    let mut m = Map::new();
    for k in ["d", "b", "c", "a", "b"] {
        m.insert(k.into(), json!(k));
    }
    assert_eq!(m.keys().map(|k| k.as_str()).collect::<Vec<_>>(), ["a", "b", "c", "d"]);
    m.extend([("aa", json!(1)), ("a", json!(2))]);
    assert_eq!(Value::Object(m).to_string(), r#"{"a":2,"aa":1,"b":"b","c":"c","d":"d"}"#);
}

#[test]
fn macro_builds_what_serde_json_builds() {
    let name = String::from("web");
    let n = 3;
    let labels: std::collections::BTreeMap<String, String> = [("app".into(), "web".into())].into();
    let ours = json!({
        "kind": "Pod", "metadata": {"name": name, "labels": labels, "uid": null},
        "spec": {"replicas": n, "list": [1, -2, {"x": [null, true]}, [], {}], "ok": n > 2,},
        (format!("k{n}")): "computed", name: 1.5,
    });
    let theirs = serde_json::json!({
        "kind": "Pod", "metadata": {"name": name, "labels": labels, "uid": null},
        "spec": {"replicas": n, "list": [1, -2, {"x": [null, true]}, [], {}], "ok": n > 2,},
        (format!("k{n}")): "computed", (name.clone()): 1.5,
    });
    assert_eq!(ours.to_string(), theirs.to_string());
    assert_eq!(name, "web", "the macro reads variables, it does not move them");
}

#[test]
fn reads_and_writes_like_serde_json() {
    let mut v = json!({"a": {"b": [10, {"c/d": "e", "t~": 1}]}});
    assert_eq!(v["a"]["b"][0], 10);
    assert_eq!(v["nope"]["deeper"], Value::Null);
    assert_eq!(v.pointer("/a/b/1/c~1d"), Some(&json!("e")));
    assert_eq!(v.pointer("/a/b/1/t~0").and_then(Value::as_i64), Some(1));
    assert_eq!(v.pointer("/a/b/01"), None);
    v["a"]["new"]["deep"] = json!(true);
    assert_eq!(v.pointer("/a/new/deep"), Some(&json!(true)));
    *v.pointer_mut("/a/b/0").unwrap() = json!("x");
    assert_eq!(v["a"]["b"][0].as_str(), Some("x"));
    let m = v["a"].as_object_mut().unwrap();
    assert!(m.remove("b").is_some());
    assert_eq!(m.keys().map(|k| k.as_str()).collect::<Vec<_>>(), ["new"]);
    m.entry("z").or_insert(json!(1));
    *m.entry("z").or_insert(json!(2)) = json!(3);
    m.retain(|k, _| k != "new");
    assert_eq!(v.to_string(), r#"{"a":{"z":3}}"#);
    assert!(json!(1) != json!(1.0), "an integer is not a float, as in serde_json");
    assert_eq!(json!(u64::MAX).as_i64(), None);
    assert_eq!(json!(-1).as_u64(), None);
    assert_eq!(json!(f64::NAN), Value::Null);
}
