//! Goal checks: declarative predicates over the simulated cluster that ignore generated names
//! (`{count: {kind: Pod, labels: {app: web}, phase: Running}, min: 3}`), parsed strictly from a
//! lesson's YAML so a typo is a load error, and evaluated to pass/fail with a short ko/en reason.

use super::Text;
use crate::model::object::{labels_to_string, Labels};
use crate::model::rbac::{self, Request};
use crate::model::{Cluster, Kind, ObjExt, Object};
use crate::value::{Map, Value};

/// Which objects a check looks at.
#[derive(Clone, Debug, PartialEq)]
pub struct Selector {
    pub kind: Kind,
    /// `None`: every namespace (`namespace: "*"`); cluster-scoped kinds ignore it.
    pub namespace: Option<String>,
    pub name: Option<String>,
    /// Every pair must be among the object's labels.
    pub labels: Labels,
    /// `status.phase` (Pod, PVC, PV, Namespace).
    pub phase: Option<String>,
    /// Pods: the `Ready` condition is True (or not).
    pub ready: Option<bool>,
    /// Pods: some container waits with this reason (`ImagePullBackOff`, `CreateContainerConfigError`).
    pub waiting: Option<String>,
    /// Objects being deleted are skipped unless this is set.
    pub include_deleting: bool,
}

/// How a `field` check compares the value at its path.
#[derive(Clone, Debug, PartialEq)]
pub enum Compare {
    Equals(Value),
    /// Numeric, at least.
    Min(i64),
    /// The path exists (any value).
    Present,
    /// The value (or an element of the list there) includes this partial value: every key given
    /// matches, lists match element-wise by inclusion (`{type: Ready, status: "True"}`).
    Contains(Value),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Check {
    Count { sel: Selector, min: u64, max: Option<u64> },
    Exists(Selector),
    Absent(Selector),
    Field { sel: Selector, path: String, cmp: Compare },
    /// Ready endpoints of a Service (EndpointSlices, or the legacy Endpoints object).
    Selects { service: String, namespace: String, min: u64 },
    Bound { claim: String, namespace: String },
    CanI { req: Request, expect: bool },
    All(Vec<Check>),
    Any(Vec<Check>),
    Not(Box<Check>),
}

/// The result of evaluating a check.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    pub passed: bool,
    /// What the goal asks and, when it fails, what is there instead.
    pub detail: Text,
}

const MAX_DEPTH: usize = 8;

// ---------- parsing ----------

fn err<T>(msg: impl Into<String>) -> Result<T, String> {
    Err(msg.into())
}

fn as_map<'a>(v: &'a Value, what: &str) -> Result<&'a Map, String> {
    v.as_object().ok_or_else(|| format!("{what}: expected a mapping, got {v}"))
}

fn only_keys(m: &Map, allowed: &[&str], what: &str) -> Result<(), String> {
    for k in m.keys() {
        if !allowed.contains(&k.as_str()) {
            return err(format!("{what}: unknown key {k:?} (expected one of {})", allowed.join(", ")));
        }
    }
    Ok(())
}

fn string(m: &Map, key: &str, what: &str) -> Result<Option<String>, String> {
    match m.get(key) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.to_string())),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(Value::Bool(b)) => Ok(Some(b.to_string())),
        Some(v) => err(format!("{what}.{key}: expected a string, got {v}")),
    }
}

fn req_string(m: &Map, key: &str, what: &str) -> Result<String, String> {
    string(m, key, what)?.ok_or_else(|| format!("{what}: missing {key:?}"))
}

fn uint(m: &Map, key: &str, what: &str) -> Result<Option<u64>, String> {
    match m.get(key) {
        None => Ok(None),
        Some(v) => v.as_u64().map(Some).ok_or_else(|| format!("{what}.{key}: expected a non-negative number, got {v}")),
    }
}

fn kind_of(m: &Map, what: &str) -> Result<Kind, String> {
    let k = req_string(m, "kind", what)?;
    Kind::from_kind_name(&k).ok_or_else(|| format!("{what}: unknown kind {k:?}"))
}

fn selector(v: &Value, what: &str) -> Result<Selector, String> {
    let m = as_map(v, what)?;
    only_keys(m, &["kind", "namespace", "name", "labels", "phase", "ready", "waiting", "deleting"], what)?;
    let kind = kind_of(m, what)?;
    let namespace = match string(m, "namespace", what)? {
        Some(ns) if ns == "*" => None,
        Some(ns) => Some(ns),
        None => Some("default".to_string()),
    };
    let mut labels = Labels::new();
    if let Some(l) = m.get("labels") {
        for (k, v) in as_map(l, &format!("{what}.labels"))? {
            let v = match v {
                Value::String(s) => s.to_string(),
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                other => return err(format!("{what}.labels.{k}: expected a string, got {other}")),
            };
            labels.insert(k.to_string(), v);
        }
    }
    let ready = match m.get("ready") {
        None => None,
        Some(Value::Bool(b)) => Some(*b),
        Some(v) => return err(format!("{what}.ready: expected true or false, got {v}")),
    };
    if (ready.is_some() || m.contains_key("waiting")) && kind != Kind::Pod {
        return err(format!("{what}: ready/waiting apply to Pods only"));
    }
    Ok(Selector {
        kind,
        namespace,
        name: string(m, "name", what)?,
        labels,
        phase: string(m, "phase", what)?,
        ready,
        waiting: string(m, "waiting", what)?,
        include_deleting: m.get("deleting").and_then(Value::as_bool).unwrap_or(false),
    })
}

/// Parses one check from its YAML (as JSON) form.
pub fn parse(v: &Value) -> Result<Check, String> {
    parse_at(v, "goal", 0)
}

fn parse_at(v: &Value, what: &str, depth: usize) -> Result<Check, String> {
    if depth > MAX_DEPTH {
        return err(format!("{what}: checks nest too deep"));
    }
    let m = as_map(v, what)?;
    let head = ["count", "exists", "absent", "field", "selects", "bound", "can_i", "all", "any", "not"];
    let heads: Vec<&str> = m.keys().map(|k| k.as_str()).filter(|k| head.contains(k)).collect();
    let [h] = heads.as_slice() else {
        return err(format!("{what}: expected exactly one of {}, got {:?}", head.join(", "), m.keys().collect::<Vec<_>>()));
    };
    let sub = &m[*h];
    let at = format!("{what}.{h}");
    match *h {
        "count" => {
            only_keys(m, &["count", "min", "max"], what)?;
            Ok(Check::Count { sel: selector(sub, &at)?, min: uint(m, "min", what)?.unwrap_or(1), max: uint(m, "max", what)? })
        }
        "exists" => {
            only_keys(m, &["exists"], what)?;
            Ok(Check::Exists(selector(sub, &at)?))
        }
        "absent" => {
            only_keys(m, &["absent"], what)?;
            Ok(Check::Absent(selector(sub, &at)?))
        }
        "field" => {
            only_keys(m, &["field", "equals", "min", "present", "contains"], what)?;
            let fm = as_map(sub, &at)?;
            let path = req_string(fm, "path", &at)?;
            let mut sel_map = fm.clone();
            sel_map.remove("path");
            let sel = selector(&Value::Object(sel_map), &at)?;
            let cmp = match (m.get("equals"), m.get("min"), m.get("present"), m.get("contains")) {
                (Some(v), None, None, None) => Compare::Equals(v.clone()),
                (None, Some(_), None, None) => Compare::Min(m["min"].as_i64().ok_or_else(|| format!("{what}.min: expected a number"))?),
                (None, None, Some(Value::Bool(true)), None) => Compare::Present,
                (None, None, None, Some(v)) => Compare::Contains(v.clone()),
                _ => return err(format!("{what}: a field check needs exactly one of equals, min, present: true, contains")),
            };
            Ok(Check::Field { sel, path, cmp })
        }
        "selects" => {
            only_keys(m, &["selects", "min"], what)?;
            let sm = as_map(sub, &at)?;
            only_keys(sm, &["service", "namespace"], &at)?;
            Ok(Check::Selects {
                service: req_string(sm, "service", &at)?,
                namespace: string(sm, "namespace", &at)?.unwrap_or_else(|| "default".into()),
                min: uint(m, "min", what)?.unwrap_or(1),
            })
        }
        "bound" => {
            only_keys(m, &["bound"], what)?;
            let bm = as_map(sub, &at)?;
            only_keys(bm, &["claim", "namespace"], &at)?;
            Ok(Check::Bound { claim: req_string(bm, "claim", &at)?, namespace: string(bm, "namespace", &at)?.unwrap_or_else(|| "default".into()) })
        }
        "can_i" => {
            only_keys(m, &["can_i", "expect"], what)?;
            let cm = as_map(sub, &at)?;
            only_keys(cm, &["as", "groups", "verb", "resource", "subresource", "namespace", "name"], &at)?;
            let expect = match m.get("expect") {
                Some(Value::Bool(b)) => *b,
                _ => return err(format!("{what}: can_i needs expect: true or false")),
            };
            Ok(Check::CanI { req: can_i_request(cm, &at)?, expect })
        }
        "all" | "any" => {
            only_keys(m, &[h], what)?;
            let list = sub.as_array().ok_or_else(|| format!("{at}: expected a list of checks"))?;
            if list.is_empty() {
                return err(format!("{at}: empty list"));
            }
            let checks = list.iter().enumerate().map(|(i, c)| parse_at(c, &format!("{at}[{i}]"), depth + 1)).collect::<Result<Vec<_>, _>>()?;
            Ok(if *h == "all" { Check::All(checks) } else { Check::Any(checks) })
        }
        _ => {
            only_keys(m, &["not"], what)?;
            Ok(Check::Not(Box::new(parse_at(sub, &at, depth + 1)?)))
        }
    }
}

/// `as: system:serviceaccount:dev:bot` → the user and groups the API server would authenticate.
fn can_i_request(m: &Map, what: &str) -> Result<Request, String> {
    let user = req_string(m, "as", what)?;
    let mut groups: Vec<String> = match m.get("groups") {
        None => vec![],
        Some(Value::Array(a)) => a.iter().map(|g| g.as_str().map(str::to_string).ok_or_else(|| format!("{what}.groups: expected strings"))).collect::<Result<_, _>>()?,
        Some(v) => return err(format!("{what}.groups: expected a list, got {v}")),
    };
    if let Some(rest) = user.strip_prefix("system:serviceaccount:") {
        let Some((ns, name)) = rest.split_once(':') else { return err(format!("{what}.as: expected system:serviceaccount:NAMESPACE:NAME")) };
        if ns.is_empty() || name.is_empty() {
            return err(format!("{what}.as: expected system:serviceaccount:NAMESPACE:NAME"));
        }
        groups.push("system:serviceaccounts".into());
        groups.push(format!("system:serviceaccounts:{ns}"));
    }
    groups.push("system:authenticated".into());
    let resource = req_string(m, "resource", what)?;
    // `deployments.apps` names its group; a bare name takes the group of the kind it names.
    let (res, group) = match resource.split_once('.') {
        Some((r, g)) => (r.to_string(), g.to_string()),
        None => {
            let k = Kind::from_resource_arg(&resource).ok_or_else(|| format!("{what}.resource: unknown resource {resource:?}"))?;
            (k.info().plural.to_string(), k.info().group.to_string())
        }
    };
    Ok(Request {
        user,
        groups,
        verb: req_string(m, "verb", what)?,
        api_group: group,
        resource: res,
        subresource: string(m, "subresource", what)?.unwrap_or_default(),
        namespace: string(m, "namespace", what)?.unwrap_or_default(),
        name: string(m, "name", what)?.unwrap_or_default(),
        non_resource_url: String::new(),
    })
}

// ---------- evaluation ----------

fn pod_ready(p: &Object) -> bool {
    p.arr_at("status.conditions").iter().any(|c| c.str_at("type") == Some("Ready") && c.str_at("status") == Some("True"))
}

fn pod_waiting(p: &Object, reason: &str) -> bool {
    ["status.containerStatuses", "status.initContainerStatuses"]
        .iter()
        .flat_map(|f| p.arr_at(f))
        .any(|s| s.str_at("state.waiting.reason") == Some(reason))
}

impl Selector {
    fn matches(&self, o: &Object) -> bool {
        if o.is_deleting() && !self.include_deleting {
            return false;
        }
        if self.name.as_deref().is_some_and(|n| n != o.name()) {
            return false;
        }
        let labels = o.labels();
        if !self.labels.iter().all(|(k, v)| labels.get(k) == Some(v)) {
            return false;
        }
        if self.phase.as_deref().is_some_and(|ph| o.str_at("status.phase") != Some(ph)) {
            return false;
        }
        if self.ready.is_some_and(|r| pod_ready(o) != r) {
            return false;
        }
        if self.waiting.as_deref().is_some_and(|w| !pod_waiting(o, w)) {
            return false;
        }
        true
    }

    /// The objects this selector picks, in store order.
    pub fn select<'a>(&'a self, c: &'a Cluster) -> Vec<&'a Object> {
        let all: Box<dyn Iterator<Item = &Object>> = match (&self.namespace, self.kind.namespaced()) {
            (Some(ns), true) => Box::new(c.store.list_ns(self.kind, ns)),
            _ => Box::new(c.store.list(self.kind)),
        };
        all.filter(|o| self.matches(o)).collect()
    }

    /// "Pods (labelled app=web, Running) in namespace default" /
    /// "default 네임스페이스의 파드 (레이블 app=web, Running)".
    pub fn describe(&self) -> Text {
        // Qualifiers go in parentheses in both languages: "파드 web (Running, Ready)" reads
        // naturally in Korean, where a chain of adnominal clauses would not.
        let mut en = match &self.name {
            Some(n) => format!("{} {n:?}", self.kind.name()),
            None => format!("{}s", self.kind.name()),
        };
        let mut ko = match &self.name {
            Some(n) => format!("{} {n}", kind_ko(self.kind)),
            None => kind_ko(self.kind).to_string(),
        };
        let (mut q_en, mut q_ko) = (Vec::new(), Vec::new());
        if !self.labels.is_empty() {
            let l = labels_to_string(&self.labels);
            q_en.push(format!("labelled {l}"));
            q_ko.push(format!("레이블 {l}"));
        }
        if let Some(p) = &self.phase {
            q_en.push(p.clone());
            q_ko.push(p.clone());
        }
        match self.ready {
            Some(true) => {
                q_en.push("Ready".into());
                q_ko.push("Ready".into());
            }
            Some(false) => {
                q_en.push("not Ready".into());
                q_ko.push("Ready 아님".into());
            }
            None => {}
        }
        if let Some(w) = &self.waiting {
            q_en.push(format!("waiting with {w}"));
            q_ko.push(format!("{w} 대기 중"));
        }
        if !q_en.is_empty() {
            en.push_str(&format!(" ({})", q_en.join(", ")));
            ko.push_str(&format!(" ({})", q_ko.join(", ")));
        }
        if self.kind.namespaced() {
            match &self.namespace {
                Some(ns) => {
                    en.push_str(&format!(" in namespace {ns}"));
                    ko = format!("{ns} 네임스페이스의 {ko}");
                }
                None => {
                    en.push_str(" in any namespace");
                    ko = format!("모든 네임스페이스의 {ko}");
                }
            }
        }
        Text { ko, en }
    }
}

/// The term the Korean Kubernetes docs use for each kind.
pub fn kind_ko(k: Kind) -> &'static str {
    match k {
        Kind::Namespace => "네임스페이스",
        Kind::Node => "노드",
        Kind::Pod => "파드",
        Kind::Service => "서비스",
        Kind::Endpoints => "엔드포인트",
        Kind::ConfigMap => "컨피그맵",
        Kind::Secret => "시크릿",
        Kind::ServiceAccount => "서비스 어카운트",
        Kind::PersistentVolume => "퍼시스턴트볼륨",
        Kind::PersistentVolumeClaim => "퍼시스턴트볼륨클레임",
        Kind::Event => "이벤트",
        Kind::ReplicaSet => "레플리카셋",
        Kind::Deployment => "디플로이먼트",
        Kind::StatefulSet => "스테이트풀셋",
        Kind::DaemonSet => "데몬셋",
        Kind::Job => "잡",
        Kind::CronJob => "크론잡",
        Kind::Ingress => "인그레스",
        Kind::IngressClass => "인그레스클래스",
        Kind::StorageClass => "스토리지클래스",
        Kind::Role => "롤",
        Kind::RoleBinding => "롤바인딩",
        Kind::ClusterRole => "클러스터롤",
        Kind::ClusterRoleBinding => "클러스터롤바인딩",
        Kind::EndpointSlice => "엔드포인트슬라이스",
        Kind::Lease => "리스",
    }
}

fn render(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => "(unset)".into(),
        Some(Value::String(s)) => s.to_string(),
        Some(v) => v.to_string(),
    }
}

/// YAML `3` equals JSON `3`, `"3"` equals `3`, `true` equals `"true"`: lesson authors write values
/// as they would in a manifest.
fn loosely_equal(a: &Value, b: &Value) -> bool {
    a == b
        || match (a, b) {
            (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
            (Value::String(s), other) | (other, Value::String(s)) if !other.is_string() && !other.is_null() => *s == render(Some(other)),
            _ => false,
        }
}

/// `got` includes `want`: objects key by key, lists element by element (each wanted element is
/// included in some element of `got`), scalars loosely equal.
fn includes(got: &Value, want: &Value, depth: usize) -> bool {
    if depth > MAX_DEPTH * 4 {
        return false;
    }
    match (got, want) {
        (Value::Object(g), Value::Object(w)) => w.iter().all(|(k, wv)| g.get(k).is_some_and(|gv| includes(gv, wv, depth + 1))),
        (Value::Array(g), Value::Array(w)) => w.iter().all(|wv| g.iter().any(|gv| includes(gv, wv, depth + 1))),
        (g, w) => loosely_equal(g, w),
    }
}

fn ready_endpoints(c: &Cluster, ns: &str, svc: &str) -> Option<u64> {
    let slices: Vec<&Object> = c
        .store
        .list_ns(Kind::EndpointSlice, ns)
        .filter(|s| s.labels().get("kubernetes.io/service-name").map(String::as_str) == Some(svc))
        .collect();
    if !slices.is_empty() {
        let n = slices
            .iter()
            .flat_map(|s| s.arr_at("endpoints"))
            .filter(|e| e.bool_at("conditions.ready") != Some(false))
            .count();
        return Some(n as u64);
    }
    let ep = c.store.get_by(Kind::Endpoints, ns, svc)?;
    Some(ep.arr_at("subsets").iter().map(|s| s.arr_at("addresses").len() as u64).sum())
}

impl Check {
    /// Evaluates the check against the cluster as it is now.
    pub fn eval(&self, c: &Cluster) -> Outcome {
        self.eval_at(c, 0)
    }

    fn eval_at(&self, c: &Cluster, depth: usize) -> Outcome {
        let out = |passed: bool, ko: String, en: String| Outcome { passed, detail: Text { ko, en } };
        match self {
            Check::Count { sel, min, max } => {
                let n = sel.select(c).len() as u64;
                let d = sel.describe();
                let ok = n >= *min && max.is_none_or(|m| n <= m);
                let (want_en, want_ko) = match max {
                    Some(m) if m == min => (format!("exactly {m}"), format!("정확히 {m}개")),
                    Some(m) => (format!("{min} to {m}"), format!("{min}~{m}개")),
                    None => (format!("at least {min}"), format!("{min}개 이상")),
                };
                out(ok, format!("{}: {want_ko} 필요 (현재 {n}개)", d.ko), format!("{}: need {want_en}, found {n}", d.en))
            }
            Check::Exists(sel) => {
                let n = sel.select(c).len();
                let d = sel.describe();
                out(n > 0, format!("{}: 있어야 함 (현재 {n}개)", d.ko), format!("{}: should exist, found {n}", d.en))
            }
            Check::Absent(sel) => {
                let n = sel.select(c).len();
                let d = sel.describe();
                out(n == 0, format!("{}: 없어야 함 (현재 {n}개)", d.ko), format!("{}: should be gone, found {n}", d.en))
            }
            Check::Field { sel, path, cmp } => {
                let objs = sel.select(c);
                let d = sel.describe();
                let test = |o: &&Object| match cmp {
                    Compare::Equals(v) => o.path(path).is_some_and(|got| loosely_equal(got, v)),
                    Compare::Min(m) => o.path(path).and_then(Value::as_i64).is_some_and(|got| got >= *m),
                    Compare::Present => o.path(path).is_some_and(|v| !v.is_null()),
                    // A list of wanted items is matched item by item; a single wanted value
                    // against a list must be included in one of its elements.
                    Compare::Contains(want) => o.path(path).is_some_and(|got| match (got, want) {
                        (Value::Array(items), w) if !w.is_array() => items.iter().any(|i| includes(i, w, 0)),
                        (other, w) => includes(other, w, 0),
                    }),
                };
                let ok = objs.iter().any(test);
                let want = match cmp {
                    Compare::Equals(v) => format!("= {}", render(Some(v))),
                    Compare::Min(m) => format!(">= {m}"),
                    Compare::Present => "set".into(),
                    Compare::Contains(v) => format!("includes {}", render(Some(v))),
                };
                let now = match objs.first() {
                    None => (String::from("대상이 없음"), String::from("none found")),
                    Some(o) => {
                        let v = render(o.path(path));
                        (format!("현재 {v}"), format!("now {v}"))
                    }
                };
                out(ok, format!("{}의 {path} {want} ({})", d.ko, now.0), format!("{}: {path} {want} ({})", d.en, now.1))
            }
            Check::Selects { service, namespace, min } => {
                let svc = c.store.get_by(Kind::Service, namespace, service);
                let n = ready_endpoints(c, namespace, service).unwrap_or(0);
                let ok = svc.is_some() && n >= *min;
                let (ko, en) = if svc.is_none() {
                    (format!("{namespace} 네임스페이스에 서비스 {service}가 아직 없음"), format!("Service {service:?} in namespace {namespace} does not exist yet"))
                } else {
                    (
                        format!("서비스 {service}의 준비된 엔드포인트(파드) {min}개 이상 필요 (현재 {n}개)"),
                        format!("Service {service:?} should route to at least {min} ready pod(s), it has {n}"),
                    )
                };
                out(ok, ko, en)
            }
            Check::Bound { claim, namespace } => {
                let pvc = c.store.get_by(Kind::PersistentVolumeClaim, namespace, claim);
                let phase = pvc.and_then(|p| p.str_at("status.phase")).unwrap_or(if pvc.is_some() { "(none)" } else { "missing" });
                let ok = phase == "Bound";
                out(
                    ok,
                    format!("{namespace} 네임스페이스의 퍼시스턴트볼륨클레임 {claim}: Bound여야 함 (현재 {phase})"),
                    format!("PersistentVolumeClaim {claim:?} in namespace {namespace} should be Bound (now {phase})"),
                )
            }
            Check::CanI { req, expect } => {
                let d = rbac::authorize(&c.store, req);
                let yn = |b: bool| if b { "yes" } else { "no" };
                let ns_en = if req.namespace.is_empty() { String::new() } else { format!(" in {}", req.namespace) };
                let ns_ko = if req.namespace.is_empty() { String::new() } else { format!(" ({} 네임스페이스)", req.namespace) };
                let res = if req.api_group.is_empty() { req.resource.clone() } else { format!("{}.{}", req.resource, req.api_group) };
                out(
                    d.allowed == *expect,
                    format!("{} 권한으로 {res} {}{ns_ko}: {} 이어야 함 (현재 {})", req.user, req.verb, yn(*expect), yn(d.allowed)),
                    format!("can-i {} {res}{ns_en} as {}: want {}, got {}", req.verb, req.user, yn(*expect), yn(d.allowed)),
                )
            }
            Check::All(list) | Check::Any(list) => {
                let all = matches!(self, Check::All(_));
                let results: Vec<Outcome> = list.iter().map(|ch| ch.eval_at(c, depth + 1)).collect();
                let ok = if all { results.iter().all(|r| r.passed) } else { results.iter().any(|r| r.passed) };
                // Explain what is missing: the failing parts of `all`, every alternative of `any`.
                let shown: Vec<&Outcome> = if ok || !all { results.iter().collect() } else { results.iter().filter(|r| !r.passed).collect() };
                let sep = if all { "; " } else { " / " };
                let ko = shown.iter().map(|r| r.detail.ko.as_str()).collect::<Vec<_>>().join(sep);
                let en = shown.iter().map(|r| r.detail.en.as_str()).collect::<Vec<_>>().join(sep);
                if all {
                    out(ok, ko, en)
                } else {
                    out(ok, format!("다음 중 하나: {ko}"), format!("one of: {en}"))
                }
            }
            Check::Not(inner) => {
                let r = inner.eval_at(c, depth + 1);
                out(!r.passed, format!("다음이 성립하지 않아야 함: {}", r.detail.ko), format!("must not hold: {}", r.detail.en))
            }
        }
    }
}

#[cfg(test)]
#[path = "check_tests.rs"]
mod tests;
