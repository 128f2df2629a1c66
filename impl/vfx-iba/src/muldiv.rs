//! mul, div and scale (OIIO's imagebufalgo_muldiv.cpp).

use crate::dispatch::{row, rows_into};
use crate::perpixel::{binary, Chans};
use crate::{prep, IbaError, Operand, Prep, Result};
use vfx_core::{ImageBuf, Roi};

const MUTUAL: Prep = Prep {
    clamp_mutual_nchannels: true,
    ..Prep::DEFAULT
};

/// `dst = A * B` over the channels both operands have.
pub fn mul(dst: &mut ImageBuf, a: Operand, b: Operand, roi: Roi, nthreads: i32) -> Result {
    binary(
        "mul",
        dst,
        a,
        b,
        roi,
        nthreads,
        MUTUAL,
        Chans::Mutual,
        |x, y, _| x * y,
        |x, k| x * k,
        |k| k,
    )
}

/// `dst = A / B`, where dividing by zero gives 0 (constants: multiply by
/// the reciprocal, as OIIO does).
pub fn div(dst: &mut ImageBuf, a: Operand, b: Operand, roi: Roi, nthreads: i32) -> Result {
    binary(
        "div",
        dst,
        a,
        b,
        roi,
        nthreads,
        MUTUAL,
        Chans::Mutual,
        |x, y, _| if y == 0.0 { 0.0 } else { x / y },
        |x, k| x * k,
        |k| if k == 0.0 { 0.0 } else { 1.0 / k },
    )
}

/// `dst = A * B[0]`: every channel of one image times a one-channel image.
pub fn scale(dst: &mut ImageBuf, a: &ImageBuf, b: &ImageBuf, roi: Roi, nthreads: i32) -> Result {
    let (img, k) = if b.nchannels() == 1 {
        (a, b)
    } else if a.nchannels() == 1 {
        (b, a)
    } else {
        return Err(IbaError::Op(
            "ImageBufAlgo::scale(): one of the arguments must be a single channel image.".into(),
        ));
    };
    // Prepared with the operands in the caller's order (names come from A).
    let roi = prep(roi, dst, &[a, b], None, Prep::DEFAULT)?;
    let nc = roi.nchannels().max(0) as usize;
    let kroi = Roi {
        chbegin: 0,
        chend: 1,
        ..roi
    };
    rows_into(dst, &roi, nthreads, |y, z, out, s| {
        let [sa, sk, ..] = s;
        let (ra, rk) = (row(img, &roi, y, z, sa), row(k, &kroi, y, z, sk));
        for ((o, p), kv) in out.chunks_exact_mut(nc).zip(ra.chunks_exact(nc)).zip(rk) {
            for (o, v) in o.iter_mut().zip(p) {
                *o = v * kv;
            }
        }
    });
    Ok(())
}
