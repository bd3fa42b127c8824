//! CronJob schedules as github.com/robfig/cron/v3 `ParseStandard` reads them (5 fields or a
//! `@macro`), with its error messages, which the API server returns verbatim.

/// Allowed values of each field, as bit sets (bit n = value n).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Schedule {
    pub minute: u64,
    pub hour: u64,
    pub dom: u64,
    pub month: u64,
    pub dow: u64,
    /// `@every <duration>` in seconds, when used.
    pub every_seconds: Option<u64>,
}

struct Bounds {
    min: u32,
    max: u32,
    names: &'static [(&'static str, u32)],
}

const MONTHS: &[(&str, u32)] = &[("jan", 1), ("feb", 2), ("mar", 3), ("apr", 4), ("may", 5), ("jun", 6), ("jul", 7), ("aug", 8), ("sep", 9), ("oct", 10), ("nov", 11), ("dec", 12)];
const DAYS: &[(&str, u32)] = &[("sun", 0), ("mon", 1), ("tue", 2), ("wed", 3), ("thu", 4), ("fri", 5), ("sat", 6)];
const FIELDS: [Bounds; 5] = [
    Bounds { min: 0, max: 59, names: &[] },
    Bounds { min: 0, max: 23, names: &[] },
    Bounds { min: 1, max: 31, names: &[] },
    Bounds { min: 1, max: 12, names: MONTHS },
    Bounds { min: 0, max: 6, names: DAYS },
];

/// Parses a standard cron spec; errors are robfig/cron's messages.
pub fn parse(spec: &str) -> Result<Schedule, String> {
    if spec.is_empty() {
        return Err("empty spec string".into());
    }
    let spec = spec.trim();
    if let Some(rest) = spec.strip_prefix('@') {
        return descriptor(rest, spec);
    }
    let fields: Vec<&str> = spec.split_whitespace().collect();
    if fields.len() != 5 {
        return Err(format!("expected exactly 5 fields, found {}: [{}]", fields.len(), fields.join(" ")));
    }
    let mut bits = [0u64; 5];
    for (i, f) in fields.iter().enumerate() {
        for part in f.split(',') {
            bits[i] |= range(part, &FIELDS[i])?;
        }
    }
    Ok(Schedule { minute: bits[0], hour: bits[1], dom: bits[2], month: bits[3], dow: bits[4], every_seconds: None })
}

fn all(b: &Bounds) -> u64 {
    (b.min..=b.max).fold(0, |acc, n| acc | 1 << n)
}

fn descriptor(name: &str, spec: &str) -> Result<Schedule, String> {
    let one = |n: u32| 1u64 << n;
    let every = |m, h, dom, mon, dow| Schedule { minute: m, hour: h, dom, month: mon, dow, every_seconds: None };
    let [mi, ho, dm, mo, dw] = &FIELDS;
    Ok(match name {
        "yearly" | "annually" => every(one(0), one(0), one(1), one(1), all(dw)),
        "monthly" => every(one(0), one(0), one(1), all(mo), all(dw)),
        "weekly" => every(one(0), one(0), all(dm), all(mo), one(0)),
        "daily" | "midnight" => every(one(0), one(0), all(dm), all(mo), all(dw)),
        "hourly" => every(one(0), all(ho), all(dm), all(mo), all(dw)),
        _ => {
            if let Some(d) = name.strip_prefix("every ") {
                let secs = go_duration(d.trim()).map_err(|e| format!("failed to parse duration {spec}: {e}"))?;
                let mut s = every(all(mi), all(ho), all(dm), all(mo), all(dw));
                s.every_seconds = Some(secs.max(1));
                return Ok(s);
            }
            return Err(format!("unrecognized descriptor: {spec}"));
        }
    })
}

/// time.ParseDuration for whole units h, m, s (fractions and ms/us/ns rounded to seconds).
fn go_duration(s: &str) -> Result<u64, String> {
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

fn int(expr: &str) -> Result<u32, String> {
    let n: i64 = expr.parse().map_err(|_| format!("failed to parse int from {expr}: strconv.Atoi: parsing {expr:?}: invalid syntax"))?;
    if n < 0 {
        return Err(format!("negative number ({n}) not allowed: {expr}"));
    }
    Ok(n.min(u32::MAX as i64) as u32)
}

fn int_or_name(expr: &str, b: &Bounds) -> Result<u32, String> {
    let lower = expr.to_ascii_lowercase();
    if let Some((_, n)) = b.names.iter().find(|(name, _)| *name == lower) {
        return Ok(*n);
    }
    int(expr)
}

/// robfig's getRange: `*`, `?`, `N`, `N-M`, with an optional `/step`.
fn range(expr: &str, b: &Bounds) -> Result<u64, String> {
    let range_and_step: Vec<&str> = expr.split('/').collect();
    let low_high: Vec<&str> = range_and_step[0].split('-').collect();
    let single = low_high.len() == 1;
    let (start, mut end) = if low_high[0] == "*" || low_high[0] == "?" {
        (b.min, b.max)
    } else {
        let start = int_or_name(low_high[0], b)?;
        let end = match low_high.len() {
            1 => start,
            2 => int_or_name(low_high[1], b)?,
            _ => return Err(format!("too many hyphens: {expr}")),
        };
        (start, end)
    };
    let step = match range_and_step.len() {
        1 => 1,
        2 => {
            let s = int(range_and_step[1])?;
            if single {
                end = b.max;
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
    Ok((start..=end).step_by(step as usize).fold(0, |acc, n| acc | 1 << n))
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn robfig_messages() {
        assert_eq!(parse("0 */5 * * * *").unwrap_err(), "expected exactly 5 fields, found 6: [0 */5 * * * *]");
        assert_eq!(parse("61 * * * *").unwrap_err(), "end of range (61) above maximum (59): 61");
        assert_eq!(parse("* * 0 * *").unwrap_err(), "beginning of range (0) below minimum (1): 0");
        assert_eq!(parse("x * * * *").unwrap_err(), "failed to parse int from x: strconv.Atoi: parsing \"x\": invalid syntax");
        assert_eq!(parse("@fortnightly").unwrap_err(), "unrecognized descriptor: @fortnightly");
        let s = parse("*/15 9-17 * jan-mar mon-fri").unwrap();
        assert_eq!(s.minute, 1 | 1 << 15 | 1 << 30 | 1 << 45);
        assert_eq!(s.month, 0b1110);
        assert_eq!(s.dow, 0b111110);
        assert_eq!(parse("@every 1h30m").unwrap().every_seconds, Some(5400));
        assert!(parse("@hourly").is_ok());
    }
}
