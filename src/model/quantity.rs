//! Resource quantities as the API server stores and prints them: decoding a request parses every
//! `resource.Quantity` field and the object is written back in canonical form, always a JSON string
//! (`cpu: 1` reads back `cpu: "1"`, `0.5` as `500m`, `1024Mi` as `1Gi`). The rules are those of
//! k8s.io/apimachinery/pkg/api/resource: `ParseQuantity` and `Quantity.MarshalJSON`/`CanonicalizeBytes`
//! (quantity.go), `AsCanonicalBytes`/`AsCanonicalBase1024Bytes` (amount.go) and the suffixes of suffix.go,
//! computed here with exact integer arithmetic (a u128 magnitude times a power of ten).

use super::kinds::Kind;
use crate::value::{Number, Value};
use std::fmt::Write as _;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Format {
    DecimalSI,
    BinarySI,
    DecimalExponent,
}

/// A parsed quantity: `-`(if `neg`) `mag` × 10^`exp`, exactly.
struct Parsed {
    neg: bool,
    mag: u128,
    exp: i32,
    format: Format,
    /// `ParseQuantity` keeps the text it was given (`q.s`) when its fast path finds it canonical-looking;
    /// `MarshalJSON` then writes that text back as is (which keeps a `+` sign or leading zeros: `+1`).
    /// Also set when the text is known to be canonical already, to skip writing it again.
    keep: bool,
}

const MAX_ALLOWED: u128 = i64::MAX as u128; // quantity.go's maxAllowed, the cap of BinarySI values

/// `quantitySuffixer.interpret` (suffix.go): base, exponent and format of a suffix.
fn interpret(suffix: &str) -> Option<(u32, i32, Format)> {
    let dec = |e| Some((10, e, Format::DecimalSI));
    let bin = |e| Some((2, e, Format::BinarySI));
    match suffix {
        "n" => dec(-9),
        "u" => dec(-6),
        "m" => dec(-3),
        "" => dec(0),
        "k" => dec(3),
        "M" => dec(6),
        "G" => dec(9),
        "T" => dec(12),
        "P" => dec(15),
        "E" => dec(18),
        "Ki" => bin(10),
        "Mi" => bin(20),
        "Gi" => bin(30),
        "Ti" => bin(40),
        "Pi" => bin(50),
        "Ei" => bin(60),
        _ => {
            let b = suffix.as_bytes();
            if b.len() > 1 && (b[0] == b'e' || b[0] == b'E') {
                // strconv.ParseInt(suffix[1:], 10, 64), bounded to the int32 scale.
                let e: i64 = suffix[1..].parse().ok()?;
                let e = i32::try_from(e).ok().filter(|e| *e != i32::MIN)?;
                return Some((10, e, Format::DecimalExponent));
            }
            None
        }
    }
}

fn pow10(n: u32) -> Option<u128> {
    10u128.checked_pow(n)
}

/// Why `ParseQuantity` refuses a text: quantity.go's `ErrFormatWrong`, `ErrNumeric` and `ErrSuffix`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Invalid {
    Format,
    Numeric,
    Suffix,
}

/// Why [`exact`] gives no value: Go's error, or a valid value the arithmetic here cannot hold
/// (39 digits or more, an exponent past i32).
enum Fail {
    Invalid(Invalid),
    Range,
}

/// A quantity's text taken apart: `parseQuantityString`, then `quantitySuffixer.interpret`.
struct Scan<'a> {
    neg: bool,
    /// Written without `+` and without leading zeros.
    plain: bool,
    /// The numerator without its leading zeros, and the fraction's digits.
    num: &'a str,
    denom: &'a str,
    /// The number as written, less its sign (quantity.go's `value`).
    number: &'a str,
    base: u32,
    exponent: i32,
    format: Format,
}

/// `parseQuantityString` (sign, leading zeros, numerator, denominator, suffix), then the suffix's meaning.
fn scan(s: &str) -> Result<Scan<'_>, Invalid> {
    let b = s.as_bytes();
    if b.is_empty() {
        return Err(Invalid::Format);
    }
    let neg = b[0] == b'-';
    let sign = usize::from(neg || b[0] == b'+');
    let mut pos = sign;
    while pos < b.len() && b[pos] == b'0' {
        pos += 1;
    }
    let num_start = pos;
    while pos < b.len() && b[pos].is_ascii_digit() {
        pos += 1;
    }
    let num = &s[num_start..pos];
    let mut denom = "";
    if pos < b.len() && b[pos] == b'.' {
        pos += 1;
        let d = pos;
        while pos < b.len() && b[pos].is_ascii_digit() {
            pos += 1;
        }
        denom = &s[d..pos];
    }
    let number = &s[sign..pos];
    let suffix_start = pos;
    while pos < b.len() && b"eEinumkKMGTP".contains(&b[pos]) {
        pos += 1;
    }
    if pos < b.len() && (b[pos] == b'-' || b[pos] == b'+') {
        pos += 1;
    }
    while pos < b.len() && b[pos].is_ascii_digit() {
        pos += 1;
    }
    if pos != b.len() {
        return Err(Invalid::Format);
    }
    let (base, exponent, format) = interpret(&s[suffix_start..]).ok_or(Invalid::Suffix)?;
    Ok(Scan { neg, plain: b[0] != b'+' && num_start == sign, num, denom, number, base, exponent, format })
}

/// `ParseQuantity` (quantity.go), on text already trimmed as `UnmarshalJSON` trims it.
/// None when Go would return an error, or when the value does not fit the exact arithmetic here.
fn parse(s: &str) -> Option<Parsed> {
    if s == "0" {
        return Some(Parsed { neg: false, mag: 0, exp: 0, format: Format::DecimalSI, keep: true });
    }
    exact(&scan(s).ok()?).ok()
}

/// The value `ParseQuantity` gives a scanned text.
fn exact(sc: &Scan) -> Result<Parsed, Fail> {
    let Scan { neg, num, denom, base, exponent, format, .. } = *sc;
    // The digits of num+denom ("shifted"); an empty numerator counts as "0".
    let num_len = num.len().max(1) as i64;
    let mut digits: u128 = 0;
    for c in num.bytes().chain(denom.bytes()) {
        digits = digits.checked_mul(10).and_then(|d| d.checked_add(u128::from(c - b'0'))).ok_or(Fail::Range)?;
    }
    let denom_len = denom.len() as i64;

    // The int64 fast path, and whether it keeps the text.
    let precision = match format {
        Format::DecimalSI | Format::DecimalExponent => 18 - (num_len + denom_len),
        Format::BinarySI if denom.is_empty() => 15 - num_len - i64::from(exponent) * 3 / 10 - 1,
        Format::BinarySI => -1,
    };
    let scale = if format == Format::BinarySI { 0 } else { i64::from(exponent) } - denom_len;
    if precision >= 0 && scale >= -9 {
        let mult: u128 = if format == Format::BinarySI { 1u128 << exponent } else { 1 };
        let result = digits * mult; // digits < 10^18 and mult <= 2^60
        if result <= i64::MAX as u128 {
            let keep = match format {
                // Go keeps the text when digits&7 != 0; a multiple of 8 that is not one of 1024,
                // written without `+` or leading zeros, is also its own canonical form (16Mi).
                Format::BinarySI => digits & 7 != 0 || (digits % 1024 != 0 && sc.plain),
                _ => {
                    let shifted_zero_lead = num.is_empty();
                    let ends_000 = ends_with_000(num, denom);
                    scale % 3 == 0 && !ends_000 && !shifted_zero_lead
                }
            };
            let (mag, exp) = if format == Format::BinarySI { (result, 0) } else { (digits, i32::try_from(scale).map_err(|_| Fail::Range)?) };
            return Ok(Parsed { neg, mag, exp, format, keep });
        }
    }

    // The inf.Dec path: `inf.Dec.SetString` wants a digit (`Ei` or `e-10` alone is ErrNumeric).
    if !sc.number.bytes().any(|c| c.is_ascii_digit()) {
        return Err(Fail::Invalid(Invalid::Numeric));
    }
    let (mut mag, mut exp) = if base == 10 {
        (digits, i32::try_from(i64::from(exponent) - denom_len).map_err(|_| Fail::Range)?)
    } else {
        (digits.checked_mul(1u128 << exponent).ok_or(Fail::Range)?, i32::try_from(-denom_len).map_err(|_| Fail::Range)?)
    };
    let mut format = format;
    if mag != 0 && exp < -9 {
        // Rounded up (away from zero) to the nearest nano.
        mag = match pow10((-9 - exp) as u32) {
            Some(d) => mag.div_ceil(d),
            None => 1,
        };
        exp = -9;
    }
    if format == Format::BinarySI && greater_than(mag, exp, MAX_ALLOWED) {
        mag = MAX_ALLOWED;
        exp = 0;
    }
    if format == Format::BinarySI && mag != 0 && less_than_one(mag, exp) {
        format = Format::DecimalSI;
    }
    Ok(Parsed { neg, mag, exp, format, keep: false })
}

/// The value of the quantity `s` as an f64, or why `ParseQuantity` refuses it: Go's exact value
/// (rounded up to the nano, BinarySI capped) rounded to an f64; one of 39 digits or more is read
/// from its text.
pub(crate) fn approximate(s: &str) -> Result<f64, Invalid> {
    let sc = scan(s)?;
    let v = match exact(&sc) {
        Ok(p) if p.mag == 0 => 0.0,
        // Divided by 10^-exp (exact, exp >= -9) rather than times 10^exp, so that 100m is 0.1.
        Ok(p) if p.exp < 0 => p.mag as f64 / 10f64.powi(-p.exp),
        Ok(p) => p.mag as f64 * 10f64.powi(p.exp),
        Err(Fail::Invalid(e)) => return Err(e),
        Err(Fail::Range) => {
            let v = sc.number.parse::<f64>().map_err(|_| Invalid::Numeric)? * f64::from(sc.base).powi(sc.exponent);
            if sc.format == Format::BinarySI { v.min(MAX_ALLOWED as f64) } else { v }
        }
    };
    Ok(if sc.neg { -v } else { v })
}

/// Whether the digits of `num` then `denom` end with "000" (`strings.HasSuffix(shifted, "000")`).
fn ends_with_000(num: &str, denom: &str) -> bool {
    let (n, d) = (num.as_bytes(), denom.as_bytes());
    let total = n.len().max(1) + d.len();
    if total < 3 {
        return false;
    }
    (1..=3).all(|k| {
        if k <= d.len() {
            d[d.len() - k] == b'0'
        } else {
            let i = k - d.len();
            // An empty numerator is "0".
            n.is_empty() || n[n.len() - i] == b'0'
        }
    })
}

/// mag × 10^exp > limit.
fn greater_than(mag: u128, exp: i32, limit: u128) -> bool {
    if exp >= 0 {
        match pow10(exp as u32).and_then(|p| mag.checked_mul(p)) {
            Some(v) => v > limit,
            None => true,
        }
    } else {
        match pow10((-exp) as u32).and_then(|p| limit.checked_mul(p)) {
            Some(l) => mag > l,
            None => false,
        }
    }
}

fn less_than_one(mag: u128, exp: i32) -> bool {
    exp < 0 && pow10((-exp) as u32).is_none_or(|p| mag < p)
}

/// A small stack buffer the canonical text is written into (no allocation).
struct Buf {
    b: [u8; 96],
    len: usize,
}

impl std::fmt::Write for Buf {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len + s.len();
        if end > self.b.len() {
            return Err(std::fmt::Error);
        }
        self.b[self.len..end].copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

impl Buf {
    fn new() -> Buf {
        Buf { b: [0; 96], len: 0 }
    }
    fn push(&mut self, s: &str) -> Option<()> {
        self.write_str(s).ok()
    }
    /// The decimal digits of `n`, without core::fmt (this runs for every quantity stored).
    fn push_uint(&mut self, n: u128) -> Option<()> {
        let mut tmp = [0u8; 40];
        let mut i = tmp.len();
        if let Ok(mut v) = u64::try_from(n) {
            loop {
                i -= 1;
                tmp[i] = b'0' + (v % 10) as u8;
                v /= 10;
                if v == 0 {
                    break;
                }
            }
        } else {
            let mut v = n;
            while v > 0 {
                i -= 1;
                tmp[i] = b'0' + (v % 10) as u8;
                v /= 10;
            }
        }
        self.push(std::str::from_utf8(&tmp[i..]).ok()?)
    }
    fn push_int(&mut self, e: i32) -> Option<()> {
        if e < 0 {
            self.push("-")?;
        }
        self.push_uint(u128::from(e.unsigned_abs()))
    }
    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.b[..self.len]).unwrap_or("")
    }
}

/// `CanonicalizeBytes` then the suffix (quantity.go, amount.go, suffix.go), into `out`.
fn write_canonical(p: &Parsed, out: &mut Buf) -> Option<()> {
    if p.mag == 0 {
        out.write_str("0").ok()?;
        return Some(());
    }
    let mut format = p.format;
    if format == Format::BinarySI {
        // Between -1024 and 1024 exclusive, or with a fraction: shown as DecimalSI.
        let integer = p.exp >= 0 || pow10((-p.exp) as u32).is_some_and(|d| p.mag % d == 0);
        if !greater_than(p.mag, p.exp, 1023) || !integer {
            format = Format::DecimalSI;
        }
    }
    let sign = if p.neg { "-" } else { "" };
    match format {
        Format::BinarySI => {
            // AsCanonicalBase1024Bytes: the integer value with its factors of 1024 taken out.
            let mut v = if p.exp >= 0 { p.mag.checked_mul(pow10(p.exp as u32)?)? } else { p.mag / pow10((-p.exp) as u32)? };
            let mut e = 0;
            while v >= 1024 && v % 1024 == 0 {
                v /= 1024;
                e += 1;
            }
            let suffix = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"].get(e)?;
            out.push(sign)?;
            out.push_uint(v)?;
            out.push(suffix)
        }
        Format::DecimalSI | Format::DecimalExponent => {
            // AsCanonicalBytes: factors of ten into the exponent, then the exponent down to a multiple of 3.
            let (mut m, mut e) = (p.mag, p.exp);
            if let Ok(mut small) = u64::try_from(m) {
                // u64 division is a few instructions; u128's is a call.
                while small % 10 == 0 {
                    small /= 10;
                    e += 1;
                }
                m = u128::from(small);
            } else {
                while m % 10 == 0 {
                    m /= 10;
                    e += 1;
                }
            }
            while e.rem_euclid(3) != 0 {
                m = m.checked_mul(10)?;
                e -= 1;
            }
            out.push(sign)?;
            out.push_uint(m)?;
            let suffix = match (format, e) {
                (Format::DecimalExponent, 0) => "",
                (Format::DecimalExponent, _) => "e",
                (_, -9) => "n",
                (_, -6) => "u",
                (_, -3) => "m",
                (_, 0) => "",
                (_, 3) => "k",
                (_, 6) => "M",
                (_, 9) => "G",
                (_, 12) => "T",
                (_, 15) => "P",
                (_, 18) => "E",
                // No decimal suffix that far: exponent notation (suffix.go's fallback).
                _ => "e",
            };
            out.push(suffix)?;
            if suffix == "e" {
                out.push_int(e)?;
            }
            Some(())
        }
    }
}

/// What the API server stores for a quantity given as `s`: its canonical text, or the trimmed text
/// itself when `ParseQuantity` keeps it. Borrowed from `s` or from `buf`; None for an invalid quantity.
fn canonical_in<'a>(s: &'a str, buf: &'a mut Buf) -> Option<&'a str> {
    // Quantity.UnmarshalJSON: strings.TrimSpace, then ParseQuantity.
    let t = s.trim();
    let p = parse(t)?;
    if p.keep {
        return Some(t);
    }
    write_canonical(&p, buf)?;
    Some(buf.as_str())
}

/// The canonical form of the quantity `s` as the API server prints it (`"1000m"` → `"1"`,
/// `"0.5"` → `"500m"`, `"1024Mi"` → `"1Gi"`); None when `s` is not a valid quantity.
pub fn canonical(s: &str) -> Option<String> {
    let mut buf = Buf::new();
    canonical_in(s, &mut buf).map(str::to_string)
}

/// The canonical form of a quantity given as a JSON number. The client sends what Go's
/// encoding/json writes for it (sigs.k8s.io/yaml turns `cpu: 0.5` into `0.5`): integers as digits,
/// floats as `strconv.FormatFloat(f, 'f', -1, 64)`, or `'e'` below 1e-6 and from 1e21 on.
pub fn canonical_number(n: &Number) -> Option<String> {
    if let Some(i) = n.as_i64() {
        let mut b = Buf::new();
        write!(b, "{i}").ok()?;
        return canonical(b.as_str());
    }
    if let Some(u) = n.as_u64() {
        let mut b = Buf::new();
        write!(b, "{u}").ok()?;
        return canonical(b.as_str());
    }
    let f = n.as_f64().filter(|f| f.is_finite())?;
    // The shortest digits that round-trip (what both Go and serde_json print), exactly.
    let text = n.to_string();
    let p = parse(&text)?;
    let a = f.abs();
    let mut b = Buf::new();
    if a == 0.0 || (1e-6..1e21).contains(&a) {
        // 'f': plain decimal text, which ParseQuantity keeps only when it is already canonical.
        write_canonical(&Parsed { format: Format::DecimalSI, keep: false, ..p }, &mut b)?;
        return Some(b.as_str().to_string());
    }
    // 'e': d[.ddd]e±dd, with encoding/json's "e-07" → "e-7"; parsed back as DecimalExponent.
    let (mut m, mut e) = (p.mag, p.exp);
    while m % 10 == 0 {
        m /= 10;
        e += 1;
    }
    let mut digits = Buf::new();
    write!(digits, "{m}").ok()?;
    let d = digits.as_str();
    let e = e + d.len() as i32 - 1;
    let sign = if p.neg { "-" } else { "" };
    let esign = if e < 0 { '-' } else { '+' };
    let ea = e.unsigned_abs();
    let pad = if ea < 10 && e >= 0 { "0" } else { "" };
    if d.len() > 1 {
        write!(b, "{sign}{}.{}e{esign}{pad}{ea}", &d[..1], &d[1..]).ok()?;
    } else {
        write!(b, "{sign}{d}e{esign}{pad}{ea}").ok()?;
    }
    canonical(b.as_str())
}

/// Rewrites one quantity value in place: a number becomes its canonical string, a string is
/// replaced only when its canonical text differs (no allocation otherwise); invalid ones are left.
fn value(v: &mut Value) {
    match v {
        Value::String(s) => {
            let mut buf = Buf::new();
            if let Some(c) = canonical_in(s, &mut buf) {
                if c.len() != s.len() || c != s.as_str() {
                    *s = c.into();
                }
            }
        }
        Value::Number(n) => {
            if let Some(c) = canonical_number(n) {
                *v = Value::String(c.into());
            }
        }
        _ => {}
    }
}

fn get<'v>(v: &'v mut Value, key: &str) -> Option<&'v mut Value> {
    v.as_object_mut()?.get_mut(key)
}

fn each<'v>(v: &'v mut Value, key: &str) -> impl Iterator<Item = &'v mut Value> {
    get(v, key).and_then(Value::as_array_mut).into_iter().flatten()
}

/// Every value of a `ResourceList` (`limits`, `requests`, `capacity`...).
fn list(v: Option<&mut Value>) {
    if let Some(Value::Object(m)) = v {
        for q in m.values_mut() {
            value(q);
        }
    }
}

/// `ResourceRequirements`: `limits` and `requests`.
fn requirements(r: Option<&mut Value>) {
    if let Some(r) = r {
        list(get(r, "limits"));
        list(get(r, "requests"));
    }
}

/// A PersistentVolumeClaimSpec.
fn claim_spec(spec: Option<&mut Value>) {
    if let Some(spec) = spec {
        requirements(get(spec, "resources"));
    }
}

/// A PodSpec: containers' resources, pod-level resources, overhead, emptyDir size limits and
/// generic ephemeral volumes' claims.
fn pod_spec(spec: Option<&mut Value>) {
    let Some(Value::Object(spec)) = spec else { return };
    // One pass over the spec's fields rather than a lookup per field.
    for (k, v) in spec.iter_mut() {
        match k.as_str() {
            "containers" | "initContainers" | "ephemeralContainers" => {
                for c in v.as_array_mut().into_iter().flatten() {
                    requirements(get(c, "resources"));
                }
            }
            "resources" => requirements(Some(v)),
            "overhead" => list(Some(v)),
            "volumes" => {
                for vol in v.as_array_mut().into_iter().flatten() {
                    let Value::Object(vol) = vol else { continue };
                    for (source, s) in vol.iter_mut() {
                        match source.as_str() {
                            "emptyDir" => {
                                if let Some(q) = get(s, "sizeLimit") {
                                    value(q);
                                }
                            }
                            "ephemeral" => {
                                if let Some(t) = get(s, "volumeClaimTemplate") {
                                    claim_spec(get(t, "spec"));
                                }
                            }
                            _ => {}
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

/// A PodTemplateSpec's `spec`.
fn template(spec: Option<&mut Value>) {
    pod_spec(spec.and_then(|s| get(s, "template")).and_then(|t| get(t, "spec")));
}

/// Rewrites, in place, every quantity field of an object of `kind` in canonical form, as the API
/// server's decoding does before defaulting and validation. Walks only the fields that hold
/// quantities; allocates only for a value whose text changes.
pub fn canonicalize(kind: Kind, obj: &mut Value) {
    match kind {
        Kind::Pod => pod_spec(get(obj, "spec")),
        Kind::ReplicaSet | Kind::Deployment | Kind::DaemonSet | Kind::Job => template(get(obj, "spec")),
        Kind::StatefulSet => {
            let Some(spec) = get(obj, "spec") else { return };
            template(Some(&mut *spec));
            for t in each(spec, "volumeClaimTemplates") {
                claim_spec(get(t, "spec"));
            }
        }
        Kind::CronJob => template(get(obj, "spec").and_then(|s| get(s, "jobTemplate")).and_then(|j| get(j, "spec"))),
        Kind::PersistentVolumeClaim => {
            claim_spec(get(obj, "spec"));
            if let Some(st) = get(obj, "status") {
                canonicalize_status(kind, st);
            }
        }
        Kind::PersistentVolume => list(get(obj, "spec").and_then(|s| get(s, "capacity"))),
        Kind::Node => {
            if let Some(st) = get(obj, "status") {
                canonicalize_status(kind, st);
            }
        }
        _ => {}
    }
}

/// [`canonicalize`] for a status written alone (`api::update_status`, the status subresource): a
/// Node's capacity and allocatable, a claim's capacity and allocated resources.
pub fn canonicalize_status(kind: Kind, status: &mut Value) {
    match kind {
        Kind::PersistentVolumeClaim => {
            list(get(status, "capacity"));
            list(get(status, "allocatedResources"));
        }
        Kind::Node => {
            list(get(status, "capacity"));
            list(get(status, "allocatable"));
        }
        _ => {}
    }
}

/// Whether every quantity of `obj` is already written as the API server writes it back (a number
/// or a non-canonical text is not). Copies the object: for `kubectl apply`, not for hot paths.
pub fn is_canonical(kind: Kind, obj: &Value) -> bool {
    let mut c = obj.clone();
    canonicalize(kind, &mut c);
    c == *obj
}

/// [`canonicalize`] for an object of any kind (read from its `kind`); other objects are left as they are.
pub fn canonicalize_object(obj: &mut Value) {
    let kind = obj.get("kind").and_then(Value::as_str).and_then(|k| super::kinds::KINDS.iter().find(|i| i.name == k)).map(|i| i.kind);
    if let Some(kind) = kind {
        canonicalize(kind, obj);
    }
}

#[cfg(test)]
#[path = "quantity_tests.rs"]
mod tests;
