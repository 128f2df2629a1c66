//! Per-pixel maths (OIIO's imagebufalgo_pixelmath.cpp): abs, absdiff, pow,
//! clamp, min, max.

use crate::perpixel::{binary, unary, Chans};
use crate::{prep, Operand, Prep, Result};
use vfx_core::{ImageBuf, Roi};

const MUTUAL: Prep = Prep {
    clamp_mutual_nchannels: true,
    ..Prep::DEFAULT
};

/// `dst = |A - B|`.
pub fn absdiff(dst: &mut ImageBuf, a: Operand, b: Operand, roi: Roi, nthreads: i32) -> Result {
    binary(
        "absdiff",
        dst,
        a,
        b,
        roi,
        nthreads,
        MUTUAL,
        Chans::MutualCopyRest,
        |x, y, _| (x - y).abs(),
        |x, k| (x - k).abs(),
        |k| k,
    )
}

/// `dst = |A|`.
pub fn abs(dst: &mut ImageBuf, a: &ImageBuf, roi: Roi, nthreads: i32) -> Result {
    absdiff(dst, Operand::Image(a), Operand::Const(&[0.0]), roi, nthreads)
}

/// `dst = min(A, B)`.
pub fn min(dst: &mut ImageBuf, a: Operand, b: Operand, roi: Roi, nthreads: i32) -> Result {
    binary(
        "min",
        dst,
        a,
        b,
        roi,
        nthreads,
        Prep::DEFAULT,
        Chans::MutualCopyRest,
        |x, y, _| fmin(x, y),
        fmin,
        |k| k,
    )
}

/// `dst = max(A, B)`; two images are compared on all the bigger one's
/// channels, whatever the ROI says (as OIIO does).
pub fn max(dst: &mut ImageBuf, a: Operand, b: Operand, roi: Roi, nthreads: i32) -> Result {
    binary(
        "max",
        dst,
        a,
        b,
        roi,
        nthreads,
        Prep::DEFAULT,
        Chans::All,
        |x, y, _| fmax(x, y),
        fmax,
        |k| k,
    )
}

/// `std::min` semantics: returns `a` unless `b < a` (NaN handling as C++).
fn fmin(a: f32, b: f32) -> f32 {
    if b < a {
        b
    } else {
        a
    }
}

/// `std::max` semantics: returns `a` unless `a < b`.
fn fmax(a: f32, b: f32) -> f32 {
    if a < b {
        b
    } else {
        a
    }
}

/// `dst = pow(A, b)` with per-channel exponents.
pub fn pow(dst: &mut ImageBuf, a: &ImageBuf, b: &[f32], roi: Roi, nthreads: i32) -> Result {
    let roi = prep(roi, dst, &[a], None, MUTUAL)?;
    let b = crate::perchan(b, dst.nchannels() as usize);
    unary(dst, a, &roi, nthreads, |v, c| v.powf(b[c]));
    Ok(())
}

/// Clamp each channel to `[min[c], max[c]]` (missing bounds: the last one
/// given, or unbounded); optionally clamp the alpha channel to [0, 1].
pub fn clamp(
    dst: &mut ImageBuf,
    a: &ImageBuf,
    min: &[f32],
    max: &[f32],
    clampalpha01: bool,
    roi: Roi,
    nthreads: i32,
) -> Result {
    let roi = prep(roi, dst, &[a], None, Prep::DEFAULT)?;
    let n = dst.nchannels() as usize;
    let pad = |v: &[f32], dflt: f32| {
        let mut v = v.to_vec();
        v.resize(n.max(v.len()), v.last().copied().unwrap_or(dflt));
        v
    };
    let (lo, hi) = (pad(min, -f32::MAX), pad(max, f32::MAX));
    let alpha = a.spec().alpha_channel;
    let alpha = (clampalpha01 && alpha >= roi.chbegin && alpha < roi.chend).then_some(alpha as usize);
    unary(dst, a, &roi, nthreads, |v, c| {
        let v = clamp_like_oiio(v, lo[c], hi[c]);
        if alpha == Some(c) {
            clamp_like_oiio(v, 0.0, 1.0)
        } else {
            v
        }
    });
    Ok(())
}

/// OIIO's `clamp(a, lo, hi)`: `min(max(a, lo), hi)` with C++ comparisons, so
/// NaN stays NaN.
fn clamp_like_oiio(a: f32, lo: f32, hi: f32) -> f32 {
    fmin(fmax(a, lo), hi)
}
