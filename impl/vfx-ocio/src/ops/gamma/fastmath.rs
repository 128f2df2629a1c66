//! OCIO's fast single-precision log2/exp2/pow (the polynomial versions its
//! CPU renderers use by default, OPTIMIZATION_FAST_LOG_EXP_POW). Each step
//! rounds to f32 as the SSE code does, so results match the reference.

const LOG5: f32 = 4.487_361_286_440_374e-2_f64 as f32;
const LOG4: f32 = -4.165_637_071_209_677e-1_f64 as f32;
const LOG3: f32 = 1.631_148_826_119_436_3_f64 as f32;
const LOG2: f32 = -3.550_793_018_041_176_f64 as f32;
const LOG1: f32 = 5.091_710_879_305_474_f64 as f32;
const LOG0: f32 = -2.800_364_054_395_966_f64 as f32;

const EXP4: f32 = 1.353_416_792_833_547_5e-2_f64 as f32;
const EXP3: f32 = 5.201_146_058_412_685e-2_f64 as f32;
const EXP2: f32 = 2.414_427_569_091_865e-1_f64 as f32;
const EXP1: f32 = 6.930_038_344_665_415e-1_f64 as f32;
const EXP0: f32 = 1.000_002_593_370_603_2_f64 as f32;

const EXP_MASK: u32 = 0x7F80_0000;

/// log2 as exponent + polynomial of the mantissa in [1, 2).
#[inline]
pub fn log2(x: f32) -> f32 {
    let bits = x.to_bits();
    let m = f32::from_bits((bits & !EXP_MASK) | 1.0f32.to_bits());
    let poly = ((((LOG5 * m + LOG4) * m + LOG3) * m + LOG2) * m + LOG1) * m + LOG0;
    let exponent = ((bits & EXP_MASK) >> 23) as i32 - 127;
    poly + exponent as f32
}

/// exp2 as 2^floor(x) times a polynomial of the fraction; underflow to 0
/// below -126, overflow to +inf from 128.
#[inline]
pub fn exp2(x: f32) -> f32 {
    // Truncation toward zero, minus one for negatives (as the SSE code;
    // out-of-range and NaN inputs are settled by the checks below).
    let floor = (x as i32).wrapping_add(if 0.0 > x { -1 } else { 0 });
    let zf = f32::from_bits((floor.wrapping_add(127) as u32) << 23);
    let frac = x - floor as f32;
    let poly = (((EXP4 * frac + EXP3) * frac + EXP2) * frac + EXP1) * frac + EXP0;
    let r = zf * poly;
    if x < -126.0 {
        0.0
    } else if x >= 128.0 {
        f32::INFINITY
    } else {
        r
    }
}

/// x^e for x > 0; 0 for x <= 0 (and NaN input gives 0 as well, as the
/// reference's mask does).
#[inline]
pub fn pow(x: f32, e: f32) -> f32 {
    let v = exp2(e * log2(x));
    if x > 0.0 {
        v
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_to_exact_within_15_bits() {
        for &(x, e) in &[
            (0.5f32, 2.2f32),
            (2.0, 0.45),
            (1e-3, 2.4),
            (10.0, 3.0),
            (0.18, 1.0 / 2.4),
        ] {
            let (fast, exact) = (pow(x, e), x.powf(e));
            assert!(((fast - exact) / exact).abs() < 1e-4, "{x}^{e}: {fast} vs {exact}");
        }
        assert_eq!(pow(0.0, 2.0), 0.0);
        assert_eq!(pow(-1.0, 2.0), 0.0);
        assert_eq!(pow(f32::NAN, 2.0), 0.0);
        assert_eq!(exp2(200.0), f32::INFINITY);
        assert_eq!(exp2(-200.0), 0.0);
        assert!((log2(8.0) - 3.0).abs() < 1e-4);
    }
}
