//! Two Go parsers whose exact errors learners see when the API server decodes a manifest:
//! `resource.ParseQuantity` (k8s.io/apimachinery/pkg/api/resource/quantity.go; the scan and the exact
//! value are `model::quantity`'s) and `base64.StdEncoding.Decode` (Go's encoding/base64, used by
//! encoding/json for `[]byte`).

use crate::model::quantity::{approximate, Invalid};

pub const ERR_FORMAT_WRONG: &str = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
pub const ERR_NUMERIC: &str = "unable to parse numeric part of quantity";
pub const ERR_SUFFIX: &str = "unable to parse quantity's suffix";

/// Checks a quantity string as `ParseQuantity` does; returns its value in base units
/// (approximate, f64) so callers can compare requests with capacity.
pub fn parse_quantity(s: &str) -> Result<f64, &'static str> {
    // A number without a digit (`Gi`, `.`, `-m`) is refused here, though Go reads most of these
    // as 0 (apimachinery#165) and `Ei` or `e-10` alone as ErrNumeric.
    let t = s.strip_prefix(['+', '-']).unwrap_or(s);
    if !t.strip_prefix('.').unwrap_or(t).starts_with(|c: char| c.is_ascii_digit()) {
        return Err(ERR_FORMAT_WRONG);
    }
    approximate(s).map_err(|e| match e {
        Invalid::Format => ERR_FORMAT_WRONG,
        Invalid::Numeric => ERR_NUMERIC,
        Invalid::Suffix => ERR_SUFFIX,
    })
}

/// Go's `base64.StdEncoding.DecodeString`, with its `illegal base64 data at input byte N` errors.
pub fn decode_base64(s: &str) -> Result<Vec<u8>, String> {
    let src = s.as_bytes();
    let val = |c: u8| -> Option<u8> {
        match c {
            b'A'..=b'Z' => Some(c - b'A'),
            b'a'..=b'z' => Some(c - b'a' + 26),
            b'0'..=b'9' => Some(c - b'0' + 52),
            b'+' => Some(62),
            b'/' => Some(63),
            _ => None,
        }
    };
    let corrupt = |at: usize| format!("illegal base64 data at input byte {at}");
    let mut out = Vec::with_capacity(src.len() / 4 * 3);
    let mut si = 0;
    loop {
        // decodeQuantum
        let mut dbuf = [0u8; 4];
        let mut dlen = 4;
        let mut j = 0;
        let mut done = false;
        while j < 4 {
            if si == src.len() {
                if j == 0 {
                    return Ok(out);
                }
                return Err(corrupt(si - j));
            }
            let c = src[si];
            si += 1;
            if let Some(v) = val(c) {
                dbuf[j] = v;
                j += 1;
                continue;
            }
            if c == b'\n' || c == b'\r' {
                continue;
            }
            if c != b'=' {
                return Err(corrupt(si - 1));
            }
            match j {
                0 | 1 => return Err(corrupt(si - 1)),
                2 => {
                    while si < src.len() && (src[si] == b'\n' || src[si] == b'\r') {
                        si += 1;
                    }
                    if si == src.len() {
                        return Err(corrupt(src.len()));
                    }
                    if src[si] != b'=' {
                        return Err(corrupt(si - 1));
                    }
                    si += 1;
                }
                _ => {}
            }
            while si < src.len() && (src[si] == b'\n' || src[si] == b'\r') {
                si += 1;
            }
            if si < src.len() {
                return Err(corrupt(si));
            }
            dlen = j;
            done = true;
            break;
        }
        let v = (u32::from(dbuf[0]) << 18) | (u32::from(dbuf[1]) << 12) | (u32::from(dbuf[2]) << 6) | u32::from(dbuf[3]);
        let bytes = [(v >> 16) as u8, (v >> 8) as u8, v as u8];
        out.extend_from_slice(&bytes[..dlen - 1]);
        if done {
            return Ok(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn quantities() {
        assert_eq!(parse_quantity("500Mi"), Ok(500.0 * 1024.0 * 1024.0));
        assert_eq!(parse_quantity("100m"), Ok(0.1));
        assert_eq!(parse_quantity("1e3"), Ok(1000.0));
        assert_eq!(parse_quantity("500MB"), Err(ERR_FORMAT_WRONG));
        assert_eq!(parse_quantity("3 Gi"), Err(ERR_FORMAT_WRONG));
        assert_eq!(parse_quantity("1mi"), Err(ERR_SUFFIX));
        assert_eq!(parse_quantity("Gi"), Err(ERR_FORMAT_WRONG));
    }
    /// Go's value, not the text's: rounded up to the nano, BinarySI capped at 2^63-1; and an
    /// exponent must fit an int32 scale that can be negated.
    #[test]
    fn quantities_like_go() {
        assert_eq!(parse_quantity("0.5n"), Ok(1e-9));
        assert_eq!(parse_quantity("-3.001n"), Ok(-4e-9));
        assert_eq!(parse_quantity("1e-400"), Ok(1e-9));
        assert_eq!(parse_quantity("9Ei"), Ok(i64::MAX as f64));
        assert_eq!(parse_quantity("0e400"), Ok(0.0));
        assert_eq!(parse_quantity("1e-2147483647"), Ok(1e-9));
        assert_eq!(parse_quantity("1e-2147483648"), Err(ERR_SUFFIX));
        // 41 digits, past the exact arithmetic: read from the text.
        assert_eq!(parse_quantity("1.0000000000000000000000000000000000000001k"), Ok(1000.0));
    }
    #[test]
    fn base64_like_go() {
        assert_eq!(decode_base64("YWRtaW4="), Ok(b"admin".to_vec()));
        assert_eq!(decode_base64("YWRtaW4"), Err("illegal base64 data at input byte 4".into()));
        assert_eq!(decode_base64("t0p-Secret"), Err("illegal base64 data at input byte 3".into()));
        assert_eq!(decode_base64("YQ=="), Ok(b"a".to_vec()));
        assert_eq!(decode_base64(""), Ok(vec![]));
    }
}
