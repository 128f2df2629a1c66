//! Text formatting helpers that reproduce the C/fmt conventions OIIO prints with.

/// C `printf("%g")` with precision 6, as OIIO uses for float metadata.
pub fn fmt_g(v: f64) -> String {
    fmt_g_prec(v, 6)
}

/// C `printf("%.{prec}g")`.
pub fn fmt_g_prec(v: f64, prec: usize) -> String {
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
    let p = prec.max(1);
    // The exponent after rounding to p significant digits decides the style.
    let e_repr = format!("{:.*e}", p - 1, v);
    let (mant, exp) = e_repr.split_once('e').unwrap_or((&e_repr, "0"));
    let x: i32 = exp.parse().unwrap_or(0);
    if x < -4 || x >= p as i32 {
        let mant = strip_fraction_zeros(mant);
        let sign = if x < 0 { '-' } else { '+' };
        format!("{mant}e{sign}{:02}", x.abs())
    } else {
        let decimals = (p as i32 - 1 - x).max(0) as usize;
        strip_fraction_zeros(&format!("{:.*}", decimals, v)).to_string()
    }
}

fn strip_fraction_zeros(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

/// Escape control characters, quotes and backslashes the way OIIO's
/// `Strutil::escape_chars` does (C-style escapes).
pub fn escape_chars(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\x0b' => out.push_str("\\v"),
            '\x08' => out.push_str("\\b"),
            '\r' => out.push_str("\\r"),
            '\x0c' => out.push_str("\\f"),
            '\x07' => out.push_str("\\a"),
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            _ => out.push(c),
        }
    }
    out
}

/// ASCII case-insensitive "less than", as `Strutil::iless`.
pub fn iless(a: &str, b: &str) -> bool {
    a.bytes()
        .map(|c| c.to_ascii_lowercase())
        .lt(b.bytes().map(|c| c.to_ascii_lowercase()))
}

/// Parse a leading integer like C's `strtol` base 10 (0 when none).
pub fn stoi(s: &str) -> i64 {
    let t = s.trim_start();
    let end = t
        .char_indices()
        .take_while(|(i, c)| c.is_ascii_digit() || (*i == 0 && (*c == '-' || *c == '+')))
        .count();
    t[..end].parse().unwrap_or(0)
}

/// Parse a leading unsigned integer (0 when none).
pub fn stou(s: &str) -> u64 {
    let t = s.trim_start().trim_start_matches('+');
    let end = t.chars().take_while(|c| c.is_ascii_digit()).count();
    t[..end].parse().unwrap_or(0)
}

/// Parse a leading float like C's `strtod` (0 when none).
pub fn stof(s: &str) -> f64 {
    let t = s.trim_start();
    let lower = t.to_ascii_lowercase();
    for (word, val) in [("inf", f64::INFINITY), ("-inf", f64::NEG_INFINITY), ("nan", f64::NAN)] {
        if lower.starts_with(word) {
            return val;
        }
    }
    // Longest prefix that parses as a float.
    let mut end = 0;
    for (i, _) in t.char_indices().chain(std::iter::once((t.len(), ' '))) {
        if i > 0 && t[..i].parse::<f64>().is_ok() {
            end = i;
        }
    }
    if end == 0 {
        0.0
    } else {
        t[..end].parse().unwrap_or(0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn g_format() {
        assert_eq!(fmt_g(3.140000104904175), "3.14");
        assert_eq!(fmt_g(1.0), "1");
        assert_eq!(fmt_g(1.0 / 3.0), "0.333333");
        assert_eq!(fmt_g(1e20), "1e+20");
        assert_eq!(fmt_g(123456789.0), "1.23457e+08");
        assert_eq!(fmt_g(0.0001), "0.0001");
        assert_eq!(fmt_g(0.00001), "1e-05");
        assert_eq!(fmt_g(999999.5), "1e+06");
        assert_eq!(fmt_g(-2.5), "-2.5");
    }
    #[test]
    fn parse() {
        assert_eq!(stoi(" 42abc"), 42);
        assert_eq!(stoi("-7"), -7);
        assert_eq!(stof("2.5, 3"), 2.5);
        assert_eq!(stof("1e3x"), 1000.0);
    }
}
