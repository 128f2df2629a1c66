//! Helpers shared by the transform parameter objects: OCIO's default
//! number printing and its "validation failed" wrapping.

use crate::error::{OcioError, Result};

/// C++ `ostream << double` with the default precision (`%g`, 6 digits),
/// which is how most transforms print their parameters.
pub fn g(v: f64) -> String {
    vfx_core::strutil::fmt_g(v)
}

/// Values printed with `g`, joined with ", ".
pub fn join_g(vals: &[f64]) -> String {
    vals.iter().map(|v| g(*v)).collect::<Vec<_>>().join(", ")
}

/// Prefixes a validation error with "<Class> validation failed: ".
pub fn wrap_validation(class: &str, r: Result<()>) -> Result<()> {
    r.map_err(|e| OcioError::msg(format!("{class} validation failed: {e}")))
}

/// OCIO's `IsScalarEqualToZero`: as a float, within two ULPs of zero.
pub fn is_zero(v: f64) -> bool {
    ((v as f32).to_bits() & 0x7fff_ffff) <= 2
}

/// OCIO's `FloatsDiffer(a, b, 2 ulps)` on values cast to float.
pub fn floats_differ(a: f64, b: f64) -> bool {
    fn ordered(x: f32) -> i64 {
        let bits = x.to_bits() as i32;
        (if bits < 0 { i32::MIN.wrapping_sub(bits) } else { bits }) as i64
    }
    let (a, b) = (a as f32, b as f32);
    if a.is_nan() || b.is_nan() {
        return true;
    }
    (ordered(a) - ordered(b)).abs() > 2
}
