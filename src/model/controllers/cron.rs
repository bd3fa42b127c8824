//! Cron schedules as the CronJob API understands them: `robfig/cron/v3` `ParseStandard` (five
//! fields, names, ranges, steps, `?`, the @-descriptors) with its error texts, and the next run
//! after a time in a fixed-offset time zone. Hand-written to keep the wasm small (no chrono).

use std::fmt;

/// A parsed schedule: a bit set per field, or a constant delay (`@every 90s`).
#[derive(Clone, Debug, PartialEq)]
pub enum Schedule {
    Spec { minute: u64, hour: u64, dom: u64, month: u64, dow: u64, dom_star: bool, dow_star: bool },
    Every(i64),
}

struct Bounds {
    min: u32,
    max: u32,
    names: &'static [&'static str],
}

const MINUTE: Bounds = Bounds { min: 0, max: 59, names: &[] };
const HOUR: Bounds = Bounds { min: 0, max: 23, names: &[] };
const DOM: Bounds = Bounds { min: 1, max: 31, names: &[] };
const MONTH: Bounds = Bounds { min: 1, max: 12, names: &["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"] };
const DOW: Bounds = Bounds { min: 0, max: 6, names: &["sun", "mon", "tue", "wed", "thu", "fri", "sat"] };

/// Go's `%s` of a `[]string`: `[a b c]`.
struct GoSlice<'a>(&'a [&'a str]);
impl fmt::Display for GoSlice<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}]", self.0.join(" "))
    }
}

/// `cron.ParseStandard`, with robfig's error messages (what `spec.schedule: Invalid value` shows).
pub fn parse(spec: &str) -> Result<Schedule, String> {
    if spec.is_empty() {
        return Err("empty spec string".into());
    }
    if spec.len() > 1024 {
        return Err(format!("expected exactly 5 fields, found many: {}", &spec[..32.min(spec.len())]));
    }
    let spec = if spec.starts_with("TZ=") || spec.starts_with("CRON_TZ=") {
        // The time zone prefix is parsed by robfig; Kubernetes then refuses it (see `validate`).
        match spec.split_once(' ') {
            Some((_, rest)) => rest.trim_start(),
            None => return Err(format!("provided bad location {}: unknown time zone {}", &spec[spec.find('=').map_or(0, |i| i + 1)..], &spec[spec.find('=').map_or(0, |i| i + 1)..])),
        }
    } else {
        spec
    };
    if spec.starts_with('@') {
        let full = |s: &str| parse(s);
        return match spec {
            "@yearly" | "@annually" => full("0 0 1 1 *"),
            "@monthly" => full("0 0 1 * *"),
            "@weekly" => full("0 0 * * 0"),
            "@daily" | "@midnight" => full("0 0 * * *"),
            "@hourly" => full("0 * * * *"),
            _ => match spec.strip_prefix("@every ") {
                Some(d) => go_duration_secs(d.trim()).map(|s| Schedule::Every((s as i64).max(1))).map_err(|e| format!("failed to parse duration {spec}: {e}")),
                None => Err(format!("unrecognized descriptor: {spec}")),
            },
        };
    }
    let fields: Vec<&str> = spec.split_whitespace().collect();
    if fields.len() != 5 {
        return Err(format!("expected exactly 5 fields, found {}: {}", fields.len(), GoSlice(&fields)));
    }
    let (minute, _) = field(fields[0], &MINUTE)?;
    let (hour, _) = field(fields[1], &HOUR)?;
    let (dom, dom_star) = field(fields[2], &DOM)?;
    let (month, _) = field(fields[3], &MONTH)?;
    let (dow, dow_star) = field(fields[4], &DOW)?;
    Ok(Schedule::Spec { minute, hour, dom, month, dow, dom_star, dow_star })
}

/// Go's `time.ParseDuration` in whole seconds (fractions and ms/us/ns rounded down), with its
/// error texts: `time: unknown unit "x" in duration "5x"`, `time: missing unit in duration "5"`.
fn go_duration_secs(s: &str) -> Result<u64, String> {
    let bad = || format!("time: invalid duration {s:?}");
    if s.is_empty() {
        return Err(bad());
    }
    let mut total = 0f64;
    let mut rest = s;
    while !rest.is_empty() {
        let n = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        if n == 0 {
            return Err(bad());
        }
        let num: f64 = rest[..n].parse().map_err(|_| bad())?;
        rest = &rest[n..];
        let u = rest.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(rest.len());
        let mult = match &rest[..u] {
            "h" => 3600.0,
            "m" => 60.0,
            "s" => 1.0,
            "ms" => 1e-3,
            "us" | "µs" => 1e-6,
            "ns" => 1e-9,
            "" => return Err(format!("time: missing unit in duration {s:?}")),
            unit => return Err(format!("time: unknown unit {unit:?} in duration {s:?}")),
        };
        total += num * mult;
        rest = &rest[u..];
    }
    Ok(total.min(1e12) as u64)
}

/// Kubernetes' own checks on top of the parser (`validateScheduleFormat`): every message for
/// `spec.schedule: Invalid value`.
pub fn validate(spec: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if let Err(e) = parse(spec) {
        errs.push(e);
    }
    if spec.contains("TZ") {
        errs.push("cannot use TZ or CRON_TZ in schedule, use timeZone field instead".into());
    }
    errs
}

fn field(f: &str, b: &Bounds) -> Result<(u64, bool), String> {
    let mut bits = 0u64;
    let mut star = false;
    for expr in f.split(',') {
        let (v, s) = range(expr, b)?;
        bits |= v;
        star |= s;
    }
    Ok((bits, star))
}

/// `getRange`: `*`, `?`, `N`, `N-M`, each with an optional `/step`.
fn range(expr: &str, b: &Bounds) -> Result<(u64, bool), String> {
    let slash: Vec<&str> = expr.split('/').collect();
    let hyphen: Vec<&str> = slash[0].split('-').collect();
    let single = hyphen.len() == 1;
    let (start, mut end, mut star);
    if hyphen[0] == "*" || hyphen[0] == "?" {
        start = b.min;
        end = b.max;
        star = true;
    } else {
        star = false;
        start = parse_value(hyphen[0], b)?;
        end = match hyphen.len() {
            1 => start,
            2 => parse_value(hyphen[1], b)?,
            _ => return Err(format!("too many hyphens: {expr}")),
        };
    }
    let step = match slash.len() {
        1 => 1,
        2 => {
            let s = parse_int(slash[1])?;
            if single && !star {
                end = b.max;
            }
            if s > 1 {
                star = false;
            }
            s
        }
        _ => return Err(format!("too many slashes: {expr}")),
    };
    if start < b.min {
        return Err(format!("beginning of range ({start}) below minimum ({}): {expr}", b.min));
    }
    if end > b.max {
        return Err(format!("end of range ({end}) above maximum ({}): {expr}", b.max));
    }
    if start > end {
        return Err(format!("beginning of range ({start}) beyond end of range ({end}): {expr}"));
    }
    if step == 0 {
        return Err(format!("step of range should be a positive number: {expr}"));
    }
    let mut bits = 0u64;
    let mut i = start;
    while i <= end {
        bits |= 1 << i;
        i = i.saturating_add(step);
    }
    Ok((bits, star))
}

fn parse_value(s: &str, b: &Bounds) -> Result<u32, String> {
    let lower = s.to_ascii_lowercase();
    if let Some(i) = b.names.iter().position(|n| *n == lower) {
        return Ok(i as u32 + if b.max == 12 { 1 } else { 0 });
    }
    parse_int(s)
}

/// `mustParseInt`.
fn parse_int(s: &str) -> Result<u32, String> {
    match s.parse::<i64>() {
        Ok(n) if n < 0 => Err(format!("negative number ({n}) not allowed: {s}")),
        Ok(n) if n > u32::MAX as i64 => Err(format!("failed to parse int from {s}: strconv.Atoi: parsing {s:?}: value out of range")),
        Ok(n) => Ok(n as u32),
        Err(_) => Err(format!("failed to parse int from {s}: strconv.Atoi: parsing {s:?}: invalid syntax")),
    }
}

impl Schedule {
    /// The first activation strictly after `t` (Unix seconds), in a zone `offset` seconds east of
    /// UTC; `None` if there is none within five years (e.g. `0 0 30 2 *`).
    pub fn next(&self, t: i64, offset: i64) -> Option<i64> {
        let (minute, hour, dom, month, dow, dom_star, dow_star) = match self {
            Schedule::Every(d) => return Some(t - t.rem_euclid(1) + d),
            Schedule::Spec { minute, hour, dom, month, dow, dom_star, dow_star } => (*minute, *hour, *dom, *month, *dow, *dom_star, *dow_star),
        };
        // Local minutes, starting at the next whole minute.
        let mut m = (t + offset).div_euclid(60) + 1;
        let limit = m + 5 * 366 * 1440;
        while m < limit {
            let days = m.div_euclid(1440);
            let (_, mo, d) = civil(days);
            if month & (1 << mo) == 0 {
                // Jump to the first day of the next month.
                m = (days + (days_in_month(days) - d + 1)) * 1440;
                continue;
            }
            let wd = (days + 4).rem_euclid(7); // 1970-01-01 was a Thursday.
            let dom_ok = dom & (1 << d) != 0;
            let dow_ok = dow & (1 << wd) != 0;
            let day_ok = if dom_star || dow_star { dom_ok && dow_ok } else { dom_ok || dow_ok };
            if !day_ok {
                m = (days + 1) * 1440;
                continue;
            }
            let h = m.rem_euclid(1440) / 60;
            if hour & (1 << h) == 0 {
                m = days * 1440 + (h + 1) * 60;
                continue;
            }
            if minute & (1 << m.rem_euclid(60)) == 0 {
                m += 1;
                continue;
            }
            return Some(m * 60 - offset);
        }
        None
    }
}

fn civil(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + if m <= 2 { 1 } else { 0 }, m, d)
}

fn days_in_month(days: i64) -> i64 {
    let (y, m, _) = civil(days);
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Offsets (seconds east of UTC) of the IANA zones the simulation knows. Zones with daylight
/// saving are given their standard (winter) offset: the simulated clock starts in January.
pub fn zone_offset(name: &str) -> Option<i64> {
    const Z: &[(&str, i64)] = &[
        ("UTC", 0), ("Etc/UTC", 0), ("GMT", 0), ("Etc/GMT", 0), ("Local", 0),
        ("Asia/Seoul", 9 * 3600), ("Asia/Tokyo", 9 * 3600), ("Asia/Shanghai", 8 * 3600), ("Asia/Hong_Kong", 8 * 3600),
        ("Asia/Singapore", 8 * 3600), ("Asia/Taipei", 8 * 3600), ("Asia/Kolkata", 19_800), ("Asia/Dubai", 4 * 3600),
        ("Asia/Jakarta", 7 * 3600), ("Asia/Ho_Chi_Minh", 7 * 3600), ("Asia/Bangkok", 7 * 3600),
        ("Europe/London", 0), ("Europe/Dublin", 0), ("Europe/Lisbon", 0), ("Europe/Berlin", 3600), ("Europe/Paris", 3600),
        ("Europe/Amsterdam", 3600), ("Europe/Madrid", 3600), ("Europe/Rome", 3600), ("Europe/Stockholm", 3600),
        ("Europe/Warsaw", 3600), ("Europe/Kyiv", 7200), ("Europe/Helsinki", 7200), ("Europe/Istanbul", 3 * 3600),
        ("Europe/Moscow", 3 * 3600), ("America/New_York", -5 * 3600), ("America/Toronto", -5 * 3600),
        ("America/Chicago", -6 * 3600), ("America/Denver", -7 * 3600), ("America/Phoenix", -7 * 3600),
        ("America/Los_Angeles", -8 * 3600), ("America/Vancouver", -8 * 3600), ("America/Sao_Paulo", -3 * 3600),
        ("America/Mexico_City", -6 * 3600), ("Australia/Sydney", 11 * 3600), ("Australia/Melbourne", 11 * 3600),
        ("Australia/Perth", 8 * 3600), ("Pacific/Auckland", 13 * 3600), ("Pacific/Honolulu", -10 * 3600),
    ];
    if let Some(n) = name.strip_prefix("Etc/GMT") {
        // POSIX sign convention: Etc/GMT-9 is nine hours east.
        if let Ok(h) = n.parse::<i64>() {
            if (-14..=12).contains(&h) {
                return Some(-h * 3600);
            }
        }
    }
    Z.iter().find(|(n, _)| *n == name).map(|(_, o)| *o)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::clock::{parse_rfc3339, rfc3339};

    fn next(spec: &str, from: &str) -> String {
        rfc3339(parse(spec).unwrap().next(parse_rfc3339(from).unwrap(), 0).unwrap())
    }

    #[test]
    fn next_times_of_real_expressions() {
        assert_eq!(next("*/1 * * * *", "2026-01-05T09:00:00Z"), "2026-01-05T09:01:00Z");
        assert_eq!(next("*/15 * * * *", "2026-01-05T09:00:30Z"), "2026-01-05T09:15:00Z");
        assert_eq!(next("@hourly", "2026-01-05T09:00:00Z"), "2026-01-05T10:00:00Z");
        assert_eq!(next("@daily", "2026-01-05T09:00:00Z"), "2026-01-06T00:00:00Z");
        assert_eq!(next("@weekly", "2026-01-05T09:00:00Z"), "2026-01-11T00:00:00Z"); // a Sunday
        assert_eq!(next("@monthly", "2026-01-05T09:00:00Z"), "2026-02-01T00:00:00Z");
        assert_eq!(next("@yearly", "2026-01-05T09:00:00Z"), "2027-01-01T00:00:00Z");
        assert_eq!(next("30 2 * * 1-5", "2026-01-09T03:00:00Z"), "2026-01-12T02:30:00Z"); // Fri → Mon
        assert_eq!(next("0 0 29 2 *", "2026-01-05T09:00:00Z"), "2028-02-29T00:00:00Z");
        assert_eq!(next("0 9 * JAN,feb MON", "2026-01-05T09:00:00Z"), "2026-01-12T09:00:00Z");
        // Day-of-month OR day-of-week when neither is a star.
        assert_eq!(next("0 0 1 * 3", "2026-01-05T09:00:00Z"), "2026-01-07T00:00:00Z");
        assert_eq!(next("5/20 * * * *", "2026-01-05T09:06:00Z"), "2026-01-05T09:25:00Z");
        assert_eq!(rfc3339(parse("0 9 * * *").unwrap().next(parse_rfc3339("2026-01-05T09:00:00Z").unwrap(), 9 * 3600).unwrap()), "2026-01-06T00:00:00Z");
        assert_eq!(parse("0 0 30 2 *").unwrap().next(0, 0), None);
    }

    #[test]
    fn errors_read_like_robfig() {
        assert_eq!(parse("* * *").unwrap_err(), "expected exactly 5 fields, found 3: [* * *]");
        assert_eq!(parse("60 * * * *").unwrap_err(), "end of range (60) above maximum (59): 60");
        assert_eq!(parse("* * 0 * *").unwrap_err(), "beginning of range (0) below minimum (1): 0");
        assert_eq!(parse("5-2 * * * *").unwrap_err(), "beginning of range (5) beyond end of range (2): 5-2");
        assert_eq!(parse("*/0 * * * *").unwrap_err(), "step of range should be a positive number: */0");
        assert_eq!(parse("x * * * *").unwrap_err(), "failed to parse int from x: strconv.Atoi: parsing \"x\": invalid syntax");
        assert_eq!(parse("@fortnightly").unwrap_err(), "unrecognized descriptor: @fortnightly");
        assert_eq!(parse("* * * * 7").unwrap_err(), "end of range (7) above maximum (6): 7");
        assert_eq!(validate("TZ=UTC 0 * * * *"), vec!["cannot use TZ or CRON_TZ in schedule, use timeZone field instead".to_string()]);
        assert!(parse("@every 90s").is_ok());
        assert_eq!(zone_offset("Asia/Seoul"), Some(32_400));
        assert_eq!(zone_offset("Etc/GMT-9"), Some(32_400));
        assert_eq!(zone_offset("Mars/Olympus"), None);
        assert_eq!(parse("0 */5 * * * *").unwrap_err(), "expected exactly 5 fields, found 6: [0 */5 * * * *]");
        assert_eq!(parse("@every 1h30m"), Ok(Schedule::Every(5400)));
        assert_eq!(parse("@every 5").unwrap_err(), "failed to parse duration @every 5: time: missing unit in duration \"5\"");
        assert_eq!(parse("@every 5x").unwrap_err(), "failed to parse duration @every 5x: time: unknown unit \"x\" in duration \"5x\"");
        assert_eq!(parse("@every abc").unwrap_err(), "failed to parse duration @every abc: time: invalid duration \"abc\"");
    }

    #[test]
    fn fields_become_bit_sets() {
        let Ok(Schedule::Spec { minute, month, dow, .. }) = parse("*/15 9-17 * jan-mar mon-fri") else { panic!("parses") };
        assert_eq!(minute, 1 | 1 << 15 | 1 << 30 | 1 << 45);
        assert_eq!(month, 0b1110);
        assert_eq!(dow, 0b111110);
    }
}
