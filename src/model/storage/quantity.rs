//! Resource quantities (`10Gi`, `500M`, `1.5Gi`) as numbers, for capacity comparisons
//! (k8s.io/apimachinery/pkg/api/resource).

/// Parses a quantity into its value (bytes for storage); None when malformed.
pub fn parse(s: &str) -> Option<f64> {
    let s = s.trim();
    let split = s.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '+' || c == '-')).unwrap_or(s.len());
    let (num, suffix) = s.split_at(split);
    let n: f64 = num.parse().ok()?;
    let mult = match suffix {
        "" => 1.0,
        "Ki" => 1024f64,
        "Mi" => 1024f64.powi(2),
        "Gi" => 1024f64.powi(3),
        "Ti" => 1024f64.powi(4),
        "Pi" => 1024f64.powi(5),
        "Ei" => 1024f64.powi(6),
        "m" => 1e-3,
        "k" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        "P" => 1e15,
        "E" => 1e18,
        _ => {
            let e = suffix.strip_prefix(['e', 'E'])?;
            10f64.powi(e.parse().ok()?)
        }
    };
    Some(n * mult)
}

#[cfg(test)]
mod tests {
    #[test]
    fn quantities() {
        assert_eq!(super::parse("1Gi"), Some(1073741824.0));
        assert_eq!(super::parse("500M"), Some(5e8));
        assert!(super::parse("10GB").is_none());
        assert!(super::parse("3Gi").unwrap() > super::parse("3G").unwrap());
    }
}
