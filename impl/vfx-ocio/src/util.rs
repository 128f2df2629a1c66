//! Number formatting as OCIO prints it.

/// Shortest text that reads back to `v`, chosen between fixed and
/// scientific notation like C++17 `std::to_chars(double)` (the shorter one,
/// fixed on a tie; exponents with a sign and at least two digits), which is
/// how OCIO prints transform parameters.
pub fn fmt_shortest(v: f64) -> String {
    if v.is_nan() {
        return if v.is_sign_negative() {
            "-nan".into()
        } else {
            "nan".into()
        };
    }
    if v.is_infinite() {
        return if v < 0.0 { "-inf".into() } else { "inf".into() };
    }
    if v == 0.0 {
        return if v.is_sign_negative() { "-0".into() } else { "0".into() };
    }
    // Rust's `{:e}` gives the shortest round-trip digits.
    let e = format!("{v:e}");
    let (mant, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let neg = mant.starts_with('-');
    let digits: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
    let sign = if neg { "-" } else { "" };
    let sci = {
        let (first, rest) = digits.split_at(1);
        let frac = if rest.is_empty() {
            String::new()
        } else {
            format!(".{rest}")
        };
        let esign = if exp < 0 { '-' } else { '+' };
        format!("{sign}{first}{frac}e{esign}{:02}", exp.abs())
    };
    let n = digits.len() as i32;
    let fixed = if exp >= n - 1 {
        format!("{sign}{digits}{}", "0".repeat((exp - (n - 1)) as usize))
    } else if exp >= 0 {
        let (a, b) = digits.split_at((exp + 1) as usize);
        format!("{sign}{a}.{b}")
    } else {
        format!("{sign}0.{}{digits}", "0".repeat((-exp - 1) as usize))
    };
    if sci.len() < fixed.len() {
        sci
    } else {
        fixed
    }
}

/// Values printed by `fmt_shortest`, joined with ", ".
pub fn join_shortest(vals: &[f64]) -> String {
    vals.iter().map(|v| fmt_shortest(*v)).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortest_like_to_chars() {
        assert_eq!(fmt_shortest(1.0), "1");
        assert_eq!(fmt_shortest(1e-7), "1e-07");
        assert_eq!(fmt_shortest(1e20), "1e+20");
        assert_eq!(fmt_shortest(123456789012.0), "123456789012");
        assert_eq!(fmt_shortest(1.0 / 3.0), "0.3333333333333333");
        assert_eq!(fmt_shortest(0.1), "0.1");
        assert_eq!(fmt_shortest(-1.5), "-1.5");
        assert_eq!(fmt_shortest(1e-12), "1e-12");
        assert_eq!(fmt_shortest(0.001), "0.001");
        assert_eq!(fmt_shortest(100.0), "100");
    }
}
