//! `json!`: a `Value` written as JSON, with Rust expressions where values go, as with
//! `serde_json::json!`. String-literal keys become static `MapKey`s (no allocation); an object's
//! entries are collected and sorted once.
//!
//! ```
//! use kubelab::value::json;
//! let name = "web";
//! let v = json!({"kind": "Pod", "metadata": {"name": name, "labels": {}}, "spec": [1, null]});
//! assert_eq!(v["metadata"]["name"], "web");
//! ```

#[macro_export]
macro_rules! json {
    (null) => { $crate::value::Value::Null };
    ([]) => { $crate::value::Value::Array(::std::vec::Vec::new()) };
    ([ $($tt:tt)+ ]) => { $crate::value::Value::Array($crate::__json_array!([] $($tt)+)) };
    ({}) => { $crate::value::Value::Object($crate::value::Map::new()) };
    ({ $($tt:tt)+ }) => {
        $crate::value::Value::Object($crate::value::Map::from_entries($crate::__json_object!(@key [] $($tt)+)))
    };
    ($other:expr) => { $crate::value::to_value(&$other) };
}

/// Array elements, one at a time: `null`, `[…]` and `{…}` are JSON; anything else up to the
/// next comma is a Rust expression.
#[doc(hidden)]
#[macro_export]
macro_rules! __json_array {
    ([$($e:expr,)*]) => { ::std::vec![$($e,)*] };
    ([$($e:expr,)*] null $(, $($rest:tt)*)?) => {
        $crate::__json_array!([$($e,)* $crate::value::Value::Null,] $($($rest)*)?)
    };
    ([$($e:expr,)*] [$($a:tt)*] $(, $($rest:tt)*)?) => {
        $crate::__json_array!([$($e,)* $crate::json!([$($a)*]),] $($($rest)*)?)
    };
    ([$($e:expr,)*] {$($o:tt)*} $(, $($rest:tt)*)?) => {
        $crate::__json_array!([$($e,)* $crate::json!({$($o)*}),] $($($rest)*)?)
    };
    ([$($e:expr,)*] $v:expr, $($rest:tt)*) => {
        $crate::__json_array!([$($e,)* $crate::value::to_value(&$v),] $($rest)*)
    };
    ([$($e:expr,)*] $v:expr) => {
        $crate::__json_array!([$($e,)* $crate::value::to_value(&$v),])
    };
}

/// Object entries as a `Vec<(MapKey, Value)>`. A key is a string literal, an identifier naming
/// a variable, or a parenthesised expression.
#[doc(hidden)]
#[macro_export]
macro_rules! __json_object {
    (@key [$($p:expr,)*]) => { ::std::vec![$($p,)*] };
    (@key [$($p:expr,)*] $k:literal : $($rest:tt)+) => {
        $crate::__json_object!(@value [$($p,)*] ($crate::value::MapKey::new_static($k)) $($rest)+)
    };
    (@key [$($p:expr,)*] $k:ident : $($rest:tt)+) => {
        $crate::__json_object!(@value [$($p,)*] ($crate::value::MapKey::new(&$k)) $($rest)+)
    };
    (@key [$($p:expr,)*] ($k:expr) : $($rest:tt)+) => {
        $crate::__json_object!(@value [$($p,)*] ($crate::value::MapKey::new(&$k)) $($rest)+)
    };
    (@value [$($p:expr,)*] ($k:expr) null $(, $($rest:tt)*)?) => {
        $crate::__json_object!(@key [$($p,)* ($k, $crate::value::Value::Null),] $($($rest)*)?)
    };
    (@value [$($p:expr,)*] ($k:expr) [$($a:tt)*] $(, $($rest:tt)*)?) => {
        $crate::__json_object!(@key [$($p,)* ($k, $crate::json!([$($a)*])),] $($($rest)*)?)
    };
    (@value [$($p:expr,)*] ($k:expr) {$($o:tt)*} $(, $($rest:tt)*)?) => {
        $crate::__json_object!(@key [$($p,)* ($k, $crate::json!({$($o)*})),] $($($rest)*)?)
    };
    (@value [$($p:expr,)*] ($k:expr) $v:expr, $($rest:tt)*) => {
        $crate::__json_object!(@key [$($p,)* ($k, $crate::value::to_value(&$v)),] $($rest)*)
    };
    (@value [$($p:expr,)*] ($k:expr) $v:expr) => {
        $crate::__json_object!(@key [$($p,)* ($k, $crate::value::to_value(&$v)),])
    };
}
