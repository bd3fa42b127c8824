//! Injected time and randomness: a logical clock in milliseconds and a seeded generator for
//! names and UIDs, so every run of the simulator (and every test) is deterministic.

/// Simulated wall clock. `now` counts milliseconds since `EPOCH_SECS`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Clock {
    pub now_ms: u64,
}

/// 2026-01-05T09:00:00Z: the moment every simulated cluster starts.
pub const EPOCH_SECS: i64 = 1_767_603_600;

impl Clock {
    pub fn now_secs(&self) -> i64 {
        EPOCH_SECS + (self.now_ms / 1000) as i64
    }
    /// RFC 3339 timestamp as the API server writes them (`2026-01-05T09:00:00Z`).
    pub fn timestamp(&self) -> String {
        rfc3339(self.now_secs())
    }
}

/// Seconds since the Unix epoch → `YYYY-MM-DDTHH:MM:SSZ`.
pub fn rfc3339(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    // Written digit by digit: `format!` cost ten times as much, and every status write and
    // event stamps one (2% of a 1,000-pod settle under callgrind).
    if !(0..=9999).contains(&y) {
        return format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", rem / 3600, rem % 3600 / 60, rem % 60);
    }
    let mut b = *b"0000-00-00T00:00:00Z";
    let mut put = |at: usize, width: usize, mut v: i64| {
        for i in (at..at + width).rev() {
            b[i] = b'0' + (v % 10) as u8;
            v /= 10;
        }
    };
    put(0, 4, y);
    put(5, 2, m as i64);
    put(8, 2, d as i64);
    put(11, 2, rem / 3600);
    put(14, 2, rem % 3600 / 60);
    put(17, 2, rem % 60);
    String::from_utf8_lossy(&b).into_owned()
}

/// Parses `YYYY-MM-DDTHH:MM:SSZ` back to Unix seconds.
pub fn parse_rfc3339(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[10] != b'T' {
        return None;
    }
    // Plain digits (the clock's own form) are read directly; anything else as `parse` reads it
    // (which also takes a sign). Events' times are parsed each time one is recorded.
    let n = |r: std::ops::Range<usize>| match b[r.clone()].iter().try_fold(0i64, |n, &d| d.is_ascii_digit().then(|| n * 10 + i64::from(d - b'0'))) {
        Some(v) => Some(v),
        None => s.get(r)?.parse::<i64>().ok(),
    };
    let (y, mo, d, h, mi, se) = (n(0..4)?, n(5..7)?, n(8..10)?, n(11..13)?, n(14..16)?, n(17..19)?);
    Some(days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + se)
}

// Howard Hinnant's civil date algorithms.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// kubectl's AGE column: `duration.HumanDuration` from k8s.io/apimachinery/pkg/util/duration.
pub fn human_duration(secs: i64) -> String {
    let s = secs.max(0);
    if s < 60 * 2 {
        return format!("{s}s");
    }
    let m = s / 60;
    if m < 10 {
        let rs = s % 60;
        return if rs == 0 { format!("{m}m") } else { format!("{m}m{rs}s") };
    }
    if m < 60 * 3 {
        return format!("{m}m");
    }
    let h = s / 3600;
    if h < 8 {
        let rm = m % 60;
        return if rm == 0 { format!("{h}h") } else { format!("{h}h{rm}m") };
    }
    if h < 48 {
        return format!("{h}h");
    }
    if h < 24 * 8 {
        let rh = h % 24;
        return if rh == 0 { format!("{}d", h / 24) } else { format!("{}d{rh}h", h / 24) };
    }
    if h < 24 * 365 * 2 {
        return format!("{}d", h / 24);
    }
    if h < 24 * 365 * 8 {
        let dy = (h / 24) % 365;
        return if dy == 0 { format!("{}y", h / 24 / 365) } else { format!("{}y{dy}d", h / 24 / 365) };
    }
    format!("{}y", h / 24 / 365)
}

/// Parses `30s`, `5m`, `1h30m`, `2d`, `500ms` into milliseconds.
pub fn parse_duration_ms(s: &str) -> Option<u64> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    let mut total: u64 = 0;
    let mut num = String::new();
    let mut chars = s.chars().peekable();
    let mut any = false;
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            num.push(c);
            continue;
        }
        let n: u64 = num.parse().ok()?;
        num.clear();
        let unit = match c {
            'm' if chars.peek() == Some(&'s') => {
                chars.next();
                1
            }
            's' => 1000,
            'm' => 60_000,
            'h' => 3_600_000,
            'd' => 86_400_000,
            _ => return None,
        };
        total = total.checked_add(n.checked_mul(unit)?)?;
        any = true;
    }
    if !num.is_empty() {
        // A bare number means seconds.
        total = total.checked_add(num.parse::<u64>().ok()?.checked_mul(1000)?)?;
        any = true;
    }
    any.then_some(total)
}

/// Deterministic generator (SplitMix64) for names and UIDs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rng(u64);

/// `k8s.io/apimachinery/pkg/util/rand`: consonants and digits that cannot spell words.
pub const NAME_ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// `utilrand.String(n)`: the 5-character suffix of generated names.
    pub fn suffix(&mut self, n: usize) -> String {
        (0..n).map(|_| NAME_ALPHABET[(self.next_u64() % NAME_ALPHABET.len() as u64) as usize] as char).collect()
    }
    /// A version-4 UUID.
    pub fn uuid(&mut self) -> String {
        let a = self.next_u64();
        let b = self.next_u64();
        // The hex digits of `a` then `b`, written out directly (two `format!`s cost ~4,000
        // instructions per UID, and every event gets one): 8-4-4-4-12 with the version nibble
        // set to 4 and the variant nibble to 8..b.
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let nibble = |i: usize| {
            let (w, j) = if i < 16 { (a, i) } else { (b, i - 16) };
            HEX[((w >> (60 - 4 * j)) & 0xf) as usize] as char
        };
        let mut s = String::with_capacity(36);
        s.extend((0..8).map(nibble));
        s.push('-');
        s.extend((8..12).map(nibble));
        s.push_str("-4");
        s.extend((13..16).map(nibble));
        s.push('-');
        s.push(['8', '9', 'a', 'b'][(b >> 60) as usize % 4]);
        s.extend((17..20).map(nibble));
        s.push('-');
        s.extend((20..32).map(nibble));
        s
    }
}

/// `rand.SafeEncodeString`: maps each byte onto the name alphabet (used for pod-template-hash).
pub fn safe_encode(s: &str) -> String {
    s.bytes().map(|b| NAME_ALPHABET[b as usize % NAME_ALPHABET.len()] as char).collect()
}

/// 32-bit FNV-1a, the hash behind `pod-template-hash` and `controller-revision-hash`.
pub fn fnv32a(data: &[u8]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in data {
        h ^= *b as u32;
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_are_the_formatted_ones() {
        let mut r = Rng::new(7);
        let mut same = Rng::new(7);
        for _ in 0..200 {
            let (a, b) = (same.next_u64(), same.next_u64());
            let h = format!("{a:016x}{b:016x}");
            let want = format!("{}-{}-4{}-{}{}-{}", &h[0..8], &h[8..12], &h[13..16], ["8", "9", "a", "b"][(b >> 60) as usize % 4], &h[17..20], &h[20..32]);
            assert_eq!(r.uuid(), want);
        }
    }
    #[test]
    fn time_formats() {
        assert_eq!(rfc3339(EPOCH_SECS), "2026-01-05T09:00:00Z");
        assert_eq!(parse_rfc3339("2026-01-05T09:00:00Z"), Some(EPOCH_SECS));
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        // The digit writer agrees with `format!` across leap days, year ends and every time of day.
        for secs in (0..4 * 366 * 86_400).step_by(3_607).chain([EPOCH_SECS - 1, 253_402_300_799, 253_402_300_800]) {
            let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
            let (y, m, d) = civil_from_days(days);
            let want = format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", rem / 3600, rem % 3600 / 60, rem % 60);
            assert_eq!(rfc3339(secs), want);
            if y <= 9999 {
                assert_eq!(parse_rfc3339(&want), Some(secs));
            }
        }
        // Fields that are not plain digits are read as `str::parse` reads them.
        assert_eq!(parse_rfc3339("+026-01-05T09:00:00Z"), Some(days_from_civil(26, 1, 5) * 86_400 + 9 * 3600));
        assert_eq!(parse_rfc3339("2026-01-05T09:0x:00Z"), None);
        assert_eq!(parse_rfc3339("2026-01-05T09:00:00.5Z"), Some(EPOCH_SECS));
        assert_eq!(human_duration(5), "5s");
        assert_eq!(human_duration(150), "2m30s");
        assert_eq!(human_duration(3 * 3600 + 60), "3h1m");
        assert_eq!(human_duration(49 * 3600), "2d1h");
        assert_eq!(parse_duration_ms("1h30m"), Some(5_400_000));
        assert_eq!(parse_duration_ms("500ms"), Some(500));
        assert_eq!(parse_duration_ms("x"), None);
    }
    #[test]
    fn names_are_seeded_and_well_formed() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        let s = a.suffix(5);
        assert_eq!(s, b.suffix(5));
        assert!(s.bytes().all(|c| NAME_ALPHABET.contains(&c)));
        let u = a.uuid();
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
        // Digits of a decimal hash map onto 4-9 and b, c, d, f, as in real pod-template-hashes.
        assert_eq!(safe_encode("0123456789"), "456789bcdf");
    }
}
