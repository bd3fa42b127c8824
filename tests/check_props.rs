//! Property test for lesson-check evaluation (issue 9): any goal, well-formed or not, parses to a
//! check or an error, and evaluating it on a running cluster never panics.

use kubelab::lesson::check;
use kubelab::model::Cluster;
use proptest::prelude::*;
use kubelab::value::{json, Value};

/// Goal-shaped JSON: the real keys and kinds mixed with junk, nested through all/any/not.
fn goal() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        Just("count"), Just("exists"), Just("absent"), Just("field"), Just("selects"), Just("bound"),
        Just("can_i"), Just("kind"), Just("name"), Just("labels"), Just("phase"), Just("min"), Just("max"),
        Just("equals"), Just("path"), Just("expect"), Just("verb"), Just("resource"), Just("as"), Just("ready"),
        Just("waiting"), Just("namespace"), Just("service"), Just("claim"), Just("contains"), Just("zz"),
    ];
    let leaf = prop_oneof![
        Just(json!(null)), any::<bool>().prop_map(Value::from), any::<i64>().prop_map(Value::from),
        prop_oneof![Just("Pod"), Just("Deployment"), Just("Running"), Just("web"), Just("status.readyReplicas"),
            Just("system:serviceaccount:dev:bot"), Just("list"), Just("pods"), Just(""), Just("???")].prop_map(Value::from),
    ];
    leaf.prop_recursive(5, 48, 6, move |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::btree_map(key.clone().prop_map(str::to_string), inner.clone(), 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
            proptest::collection::vec(inner, 0..3).prop_map(|v| json!({"all": v})),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, .. ProptestConfig::default() })]
    #[test]
    fn any_goal_parses_or_fails_and_evaluates_without_panic(g in goal()) {
        let cluster = Cluster::new();
        if let Ok(c) = check::parse(&g) {
            let _ = c.eval(&cluster);
        }
    }
}

#[test]
fn real_goals_still_parse() {
    let g = json!({"count": {"kind": "Pod", "labels": {"app": "web"}, "phase": "Running"}, "min": 3});
    assert!(check::parse(&g).is_ok());
    assert!(check::parse(&json!({"count": 5})).is_err());
}
