//! Conversions into a `Value` (`From`, and `ToValue` for the expressions inside `json!`) and
//! comparisons of a `Value` with plain Rust values, as `serde_json` offers them.

use super::{Map, MapKey, Number, Value};
use std::borrow::Cow;
use std::collections::BTreeMap;

macro_rules! from_int {
    ($via:ty: $($t:ty),*) => {$(
        impl From<$t> for Value {
            fn from(n: $t) -> Value {
                Value::Number(Number::from(n as $via))
            }
        }
        impl From<$t> for Number {
            fn from(n: $t) -> Number {
                Number::from(n as $via)
            }
        }
    )*};
}
from_int!(u64: u8, u16, u32, usize);
from_int!(i64: i8, i16, i32, isize);

impl From<u64> for Value {
    fn from(n: u64) -> Value {
        Value::Number(n.into())
    }
}

impl From<i64> for Value {
    fn from(n: i64) -> Value {
        Value::Number(n.into())
    }
}

/// A non-finite float is `null`, as `serde_json` makes it.
impl From<f64> for Value {
    fn from(f: f64) -> Value {
        Number::from_f64(f).map_or(Value::Null, Value::Number)
    }
}

/// `Value::from` a type that is one variant's content.
macro_rules! from_variant {
    ($($t:ty => $variant:ident),*) => {$(
        impl From<$t> for Value {
            fn from(x: $t) -> Value {
                Value::$variant(x.into())
            }
        }
    )*};
}
from_variant!(bool => Bool, Number => Number, Map => Object, MapKey => String, String => String, &str => String, &String => String, Cow<'_, str> => String);

impl<T: Into<Value>> From<Vec<T>> for Value {
    fn from(v: Vec<T>) -> Value {
        Value::Array(v.into_iter().map(Into::into).collect())
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(o: Option<T>) -> Value {
        o.map_or(Value::Null, Into::into)
    }
}

/// What an expression inside `json!` may be: it is read by reference (the macro never moves a
/// variable it names) and copied into the value.
pub trait ToValue {
    fn to_value(&self) -> Value;
}

/// `json!`'s conversion of an expression.
pub fn to_value<T: ToValue + ?Sized>(v: &T) -> Value {
    v.to_value()
}

impl ToValue for str {
    fn to_value(&self) -> Value {
        Value::String(self.into())
    }
}

/// Types with a `From` conversion: copied, then converted.
macro_rules! to_value_via_from {
    ($($t:ty),*) => {$(
        impl ToValue for $t {
            fn to_value(&self) -> Value {
                Value::from(self.clone())
            }
        }
    )*};
}
to_value_via_from!(Value, Map, Number, String, MapKey, bool, u8, u16, u32, u64, usize, i8, i16, i32, i64, isize, f64);

impl<T: ToValue + ?Sized> ToValue for &T {
    fn to_value(&self) -> Value {
        (**self).to_value()
    }
}

impl<T: ToValue> ToValue for Option<T> {
    fn to_value(&self) -> Value {
        self.as_ref().map_or(Value::Null, ToValue::to_value)
    }
}

impl<T: ToValue> ToValue for [T] {
    fn to_value(&self) -> Value {
        Value::Array(self.iter().map(ToValue::to_value).collect())
    }
}

impl<T: ToValue> ToValue for Vec<T> {
    fn to_value(&self) -> Value {
        self[..].to_value()
    }
}

impl<K: AsRef<str>, V: ToValue> ToValue for BTreeMap<K, V> {
    fn to_value(&self) -> Value {
        // Already sorted by key (as text, for the string keys this is used with).
        Value::Object(Map::from_entries(self.iter().map(|(k, v)| (MapKey::new(k.as_ref()), v.to_value())).collect()))
    }
}

macro_rules! eq_with {
    ($($t:ty => $read:ident),*) => {$(
        impl PartialEq<$t> for Value {
            fn eq(&self, other: &$t) -> bool {
                self.$read().is_some_and(|v| v == *other)
            }
        }
        impl PartialEq<Value> for $t {
            fn eq(&self, other: &Value) -> bool {
                other == self
            }
        }
    )*};
}
eq_with!(i64 => as_i64, u64 => as_u64, f64 => as_f64, bool => as_bool);

macro_rules! eq_with_int {
    ($($t:ty),*) => {$(
        impl PartialEq<$t> for Value {
            fn eq(&self, other: &$t) -> bool {
                self.as_i64().is_some_and(|v| v == *other as i64)
            }
        }
        impl PartialEq<Value> for $t {
            fn eq(&self, other: &Value) -> bool {
                other == self
            }
        }
    )*};
}
eq_with_int!(i32);

impl PartialEq<str> for Value {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == Some(other)
    }
}

impl PartialEq<&str> for Value {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == Some(*other)
    }
}

impl PartialEq<String> for Value {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == Some(other.as_str())
    }
}

