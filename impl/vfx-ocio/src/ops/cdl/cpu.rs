//! CPU renderer of `CdlOpData` in single precision as OCIO's SSE renderer
//! computes it (fast power, its luma sum order); alpha passes through.

use super::data::CdlOpData;
use crate::enums::CdlStyle;
use crate::ops::gamma::fastmath::pow;

const LUMA: [f32; 3] = [0.2126, 0.7152, 0.0722];
/// Reciprocals of parameters are taken of at least this.
const RCP_MIN: f32 = 1e-2;

fn rcp(x: f32) -> f32 {
    1.0 / x.max(RCP_MIN)
}

/// min(max(x, 0), 1) with NaN going to 0, as the SSE max/min order does.
#[inline]
fn clamp01(x: f32) -> f32 {
    let x = if x > 0.0 { x } else { 0.0 };
    if x < 1.0 {
        x
    } else {
        1.0
    }
}

#[inline]
fn power(x: f32, p: f32, clamp: bool) -> f32 {
    if clamp {
        pow(clamp01(x), p)
    } else if x < 0.0 {
        x
    } else {
        pow(x, p)
    }
}

/// Pairwise luma sum as the SSE shuffles add: (r + g) + (b + alpha*0).
#[inline]
fn saturate(px: &mut [f32], alpha: f32, sat: f32) {
    let luma = (px[0] * LUMA[0] + px[1] * LUMA[1]) + (px[2] * LUMA[2] + alpha * 0.0);
    for v in &mut px[..3] {
        *v = luma + sat * (*v - luma);
    }
}

pub fn apply(op: &CdlOpData, rgba: &mut [f32]) {
    let clamp = op.style == CdlStyle::Asc;
    let f = |v: [f64; 3]| v.map(|x| x as f32);
    let (slope, offset, pw, sat) = (f(op.slope), f(op.offset), f(op.power), op.sat as f32);
    if op.forward {
        for px in rgba.chunks_exact_mut(4) {
            // The alpha lane goes through the power step too (exponent 1)
            // before it meets its zero luma weight.
            let alpha = power(px[3], 1.0, clamp);
            for i in 0..3 {
                px[i] = power(px[i] * slope[i] + offset[i], pw[i], clamp);
            }
            saturate(px, alpha, sat);
            if clamp {
                px[..3].iter_mut().for_each(|v| *v = clamp01(*v));
            }
        }
    } else {
        let (slope, pw, sat) = (slope.map(rcp), pw.map(rcp), rcp(sat));
        for px in rgba.chunks_exact_mut(4) {
            let alpha = px[3];
            if clamp {
                px[..3].iter_mut().for_each(|v| *v = clamp01(*v));
            }
            saturate(px, if clamp { clamp01(alpha) } else { alpha }, sat);
            for i in 0..3 {
                let v = power(px[i], pw[i], clamp) + -offset[i];
                px[i] = v * slope[i];
                if clamp {
                    px[i] = clamp01(px[i]);
                }
            }
        }
    }
}
