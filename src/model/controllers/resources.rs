//! Resource arithmetic the scheduler and kubelet share: Kubernetes quantities (`100m`, `128Mi`,
//! `1.5`, `2e3`), a pod's effective requests (`max(sum(containers), max(initContainers))`, as
//! `k8s.io/component-helpers/resource.PodRequests`) and its QoS class (`pkg/apis/core/helper/qos`).

use crate::model::object::{field_arr, ObjExt, Object};
use crate::value::Value;

/// A quantity in thousandths of its unit (milli-CPU for `cpu`, milli-bytes for memory would
/// overflow, so memory uses [`parse_bytes`]). Returns None for malformed input.
pub fn parse_milli(q: &str) -> Option<i64> {
    let (num, mult_num, mult_den) = split_suffix(q.trim())?;
    let v = parse_decimal(num)?;
    // v is in 1e-6 units (micro); result = v * mult * 1000 / 1e6.
    let milli = (v as i128) * (mult_num as i128) * 1000 / (mult_den as i128) / 1_000_000;
    i64::try_from(milli).ok()
}

/// A quantity in whole units, rounded up (bytes for memory and storage, count for pods).
pub fn parse_bytes(q: &str) -> Option<i64> {
    let (num, mult_num, mult_den) = split_suffix(q.trim())?;
    let v = parse_decimal(num)? as i128 * mult_num as i128;
    let den = mult_den as i128 * 1_000_000;
    let r = (v + den - 1).div_euclid(den);
    i64::try_from(r).ok()
}

/// Reads a JSON quantity that may be a string or a number.
pub fn value_milli(v: &Value) -> Option<i64> {
    match v {
        Value::String(s) => parse_milli(s),
        Value::Number(n) => n.as_f64().filter(|f| f.is_finite() && f.abs() < 1e15).map(|f| (f * 1000.0).ceil() as i64),
        _ => None,
    }
}
pub fn value_bytes(v: &Value) -> Option<i64> {
    match v {
        Value::String(s) => parse_bytes(s),
        Value::Number(n) => n.as_f64().filter(|f| f.is_finite() && f.abs() < 1e18).map(|f| f.ceil() as i64),
        _ => None,
    }
}

/// Splits `128Mi` into ("128", 2^20, 1). Decimal exponents (`2e3`) fold into the multiplier.
fn split_suffix(q: &str) -> Option<(&str, i64, i64)> {
    const SUFFIXES: &[(&str, i64, i64)] = &[
        ("Ki", 1 << 10, 1),
        ("Mi", 1 << 20, 1),
        ("Gi", 1 << 30, 1),
        ("Ti", 1 << 40, 1),
        ("Pi", 1 << 50, 1),
        ("Ei", 1 << 60, 1),
        ("m", 1, 1000),
        ("k", 1_000, 1),
        ("M", 1_000_000, 1),
        ("G", 1_000_000_000, 1),
        ("T", 1_000_000_000_000, 1),
        ("P", 1_000_000_000_000_000, 1),
        ("E", 1_000_000_000_000_000_000, 1),
    ];
    if q.is_empty() || q.len() > 40 {
        return None;
    }
    for (s, n, d) in SUFFIXES {
        if let Some(num) = q.strip_suffix(s) {
            if !num.is_empty() && !num.ends_with(['e', 'E']) {
                return Some((num, *n, *d));
            }
        }
    }
    if let Some(pos) = q.find(['e', 'E']) {
        let exp: i32 = q[pos + 1..].parse().ok()?;
        if !(0..=18).contains(&exp) {
            return None;
        }
        return Some((&q[..pos], 10i64.pow(exp as u32), 1));
    }
    Some((q, 1, 1))
}

/// `1.5` → 1_500_000 (micro units). Up to six decimals; sign allowed.
fn parse_decimal(s: &str) -> Option<i64> {
    let (neg, s) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    if int.is_empty() && frac.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if int.len() > 12 {
        return None;
    }
    let i: i64 = if int.is_empty() { 0 } else { int.parse().ok()? };
    // The first six decimals, padded with zeros (digits, checked above): no string built.
    let f = (0..6).fold(0i64, |f, k| f * 10 + frac.as_bytes().get(k).map_or(0, |d| i64::from(d - b'0')));
    let v = i * 1_000_000 + f;
    Some(if neg { -v } else { v })
}

/// What a pod asks for, as the scheduler counts it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Requests {
    pub cpu_milli: i64,
    pub memory: i64,
    pub ephemeral: i64,
}

impl Requests {
    fn max(self, o: Requests) -> Requests {
        Requests { cpu_milli: self.cpu_milli.max(o.cpu_milli), memory: self.memory.max(o.memory), ephemeral: self.ephemeral.max(o.ephemeral) }
    }
    fn add(self, o: Requests) -> Requests {
        Requests {
            cpu_milli: self.cpu_milli.saturating_add(o.cpu_milli),
            memory: self.memory.saturating_add(o.memory),
            ephemeral: self.ephemeral.saturating_add(o.ephemeral),
        }
    }
}

/// One container's requests; a resource with only a limit is requested at its limit (API defaulting).
fn container_requests(c: &Value) -> Requests {
    // `resources.requests.<res>`, else `resources.limits.<res>`: the two maps are found once
    // (no path string formatted per resource).
    let res_map = |f: &str| c.get("resources").and_then(|r| r.get(f));
    let (requests, limits) = (res_map("requests"), res_map("limits"));
    let get = |res: &str, bytes: bool| -> i64 {
        let v = requests.and_then(|m| m.get(res)).or_else(|| limits.and_then(|m| m.get(res)));
        v.and_then(|v| if bytes { value_bytes(v) } else { value_milli(v) }).unwrap_or(0).max(0)
    };
    Requests { cpu_milli: get("cpu", false), memory: get("memory", true), ephemeral: get("ephemeral-storage", true) }
}

/// `spec.<field>` of a pod as an array (`arr_at`, with the two maps looked up directly).
fn spec_array<'p>(pod: &'p Object, field: &str) -> &'p [Value] {
    pod.get("spec").map_or(&[], |s| field_arr(s, field))
}

/// `resource.PodRequests`: sum of app containers (and restartable init containers, the sidecars),
/// at least the largest init container, plus overhead.
pub fn pod_requests(pod: &Object) -> Requests {
    let mut sum = Requests::default();
    for c in spec_array(pod, "containers") {
        sum = sum.add(container_requests(c));
    }
    let mut init_max = Requests::default();
    let mut sidecars = Requests::default();
    for c in spec_array(pod, "initContainers") {
        let r = container_requests(c);
        if c.str_at("restartPolicy") == Some("Always") {
            sidecars = sidecars.add(r);
            sum = sum.add(r);
        } else {
            init_max = init_max.max(sidecars.add(r));
        }
    }
    sum.max(init_max)
}

/// `qos.GetPodQOS`: Guaranteed when every container has equal cpu and memory requests and limits,
/// BestEffort when none has any, else Burstable.
pub fn qos_class(pod: &Object) -> &'static str {
    let mut any = false;
    let mut guaranteed = true;
    for c in spec_array(pod, "containers").iter().chain(spec_array(pod, "initContainers")) {
        // `resources.requests.<res>` and `resources.limits.<res>`, each quantity parsed once
        // (no path string formatted per container and resource: the kubelet asks on every sync).
        let resources = c.get("resources");
        let res_map = |f: &str| resources.and_then(|r| r.get(f));
        let (requests, limits) = (res_map("requests"), res_map("limits"));
        for res in ["cpu", "memory"] {
            let req = requests.and_then(|m| m.get(res)).and_then(value_milli);
            let lim = limits.and_then(|m| m.get(res)).and_then(value_milli);
            if req.is_some_and(|x| x != 0) || lim.is_some_and(|x| x != 0) {
                any = true;
            }
            match lim {
                Some(l) if l != 0 => {
                    if let Some(r) = req {
                        if r != l {
                            guaranteed = false;
                        }
                    }
                }
                _ => guaranteed = false,
            }
            // Burstable is final once a quantity is set and one falls short of Guaranteed: the
            // rest are not parsed (the scheduler and every kubelet sync ask).
            if any && !guaranteed {
                return "Burstable";
            }
        }
    }
    if !any {
        "BestEffort"
    } else if guaranteed {
        "Guaranteed"
    } else {
        "Burstable"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::json;
    #[test]
    fn quantities() {
        assert_eq!(parse_milli("100m"), Some(100));
        assert_eq!(parse_milli("1.5"), Some(1500));
        assert_eq!(parse_milli("0.1239999"), Some(123));
        assert_eq!(parse_bytes(".5Ki"), Some(512));
        assert_eq!(parse_milli("-2.25"), Some(-2250));
        assert_eq!(parse_milli("2"), Some(2000));
        assert_eq!(parse_bytes("128Mi"), Some(128 << 20));
        assert_eq!(parse_bytes("1G"), Some(1_000_000_000));
        assert_eq!(parse_bytes("2e3"), Some(2000));
        assert_eq!(parse_bytes("1.5Ki"), Some(1536));
        assert_eq!(parse_milli("abc"), None);
        assert_eq!(parse_milli(""), None);
        assert_eq!(parse_milli("1e400"), None);
        assert_eq!(parse_bytes("99999999999999999999999"), None);
        assert_eq!(value_milli(&json!(0.25)), Some(250));
    }
    #[test]
    fn requests_and_qos() {
        let p = json!({"spec":{"containers":[
            {"resources":{"requests":{"cpu":"250m","memory":"64Mi"},"limits":{"cpu":"500m","memory":"128Mi"}}},
            {"resources":{"limits":{"cpu":"1"}}}],
            "initContainers":[{"resources":{"requests":{"cpu":"2"}}}]}});
        let r = pod_requests(&p);
        assert_eq!(r.cpu_milli, 2000);
        assert_eq!(r.memory, 64 << 20);
        assert_eq!(qos_class(&p), "Burstable");
        assert_eq!(qos_class(&json!({"spec":{"containers":[{"image":"nginx"}]}})), "BestEffort");
        assert_eq!(qos_class(&json!({"spec":{"containers":[{"resources":{"limits":{"cpu":"1","memory":"1Gi"}}}]}})), "Guaranteed");
    }
}
