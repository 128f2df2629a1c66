//! CPU renderers of `LogOpData` on RGB (alpha passes through), in single
//! precision with OCIO's fast log2/exp2, constants computed as the
//! reference's renderers compute them.

use super::data::LogOpData;
use crate::ops::gamma::fastmath::{exp2, log2};

const LOG2_10: f32 = std::f64::consts::LOG2_10 as f32;
const LOG10_2: f32 = std::f64::consts::LOG10_2 as f32;

/// log2 of a float computed in double, as C's `log2` on a float argument.
fn log2_of_float(x: f32) -> f64 {
    (x as f64).log2()
}

/// The per-channel constants one renderer needs.
struct Channel {
    lin_slope: f32,
    lin_offset: f32,
    log_offset: f32,
    /// Camera curves: the break on either side and the linear segment.
    lin_break: f32,
    log_break: f32,
    linear_slope: f32,
    linear_offset: f32,
}

fn channel(op: &LogOpData, i: usize) -> Channel {
    let s = &op.sides;
    let (m, b, k, kb) = (
        s.lin_side_slope[i],
        s.lin_side_offset[i],
        s.log_side_slope[i],
        s.log_side_offset[i],
    );
    let base = s.base as f32;
    let mut c = Channel {
        lin_slope: m as f32,
        lin_offset: b as f32,
        log_offset: kb as f32,
        lin_break: 0.0,
        log_break: 0.0,
        linear_slope: 0.0,
        linear_offset: 0.0,
    };
    if let Some(brk) = op.lin_side_break {
        let lb = brk[i];
        c.lin_break = lb as f32;
        c.linear_slope = match op.linear_slope {
            Some(ls) => ls[i] as f32,
            None => (k * m / ((m * lb + b) * (base as f64).ln())) as f32,
        };
        // OCIO calls the double log2 on float arguments here: each step is
        // computed in double and rounded back to float.
        let mut log_break = (((m * lb + b) as f32) as f64).log2() as f32;
        log_break = (log_break as f64 * ((k as f32) as f64 / log2_of_float(base))) as f32;
        log_break += kb as f32;
        c.log_break = log_break;
        c.linear_offset = log_break - c.linear_slope * lb as f32;
    }
    c
}

pub fn apply(op: &LogOpData, rgba: &mut [f32]) {
    let base = op.sides.base;
    if op.is_simple() && (base == 2.0 || base == 10.0) {
        let scale = if base == 2.0 {
            1.0
        } else if op.forward {
            LOG10_2
        } else {
            LOG2_10
        };
        for px in rgba.chunks_exact_mut(4) {
            for v in &mut px[..3] {
                *v = if op.forward {
                    log2(v.max(f32::MIN_POSITIVE)) * scale
                } else {
                    exp2(*v * scale)
                };
            }
        }
        return;
    }
    let ch: [Channel; 3] = std::array::from_fn(|i| channel(op, i));
    let camera = op.lin_side_break.is_some();
    let base32 = base as f32;
    if op.forward {
        // The log-side scale: double precision for affine curves, single
        // for camera curves (as the two renderers compute it).
        let klog: [f32; 3] = std::array::from_fn(|i| {
            if camera {
                (op.sides.log_side_slope[i] / log2_of_float(base32) as f32 as f64) as f32
            } else {
                (op.sides.log_side_slope[i] / (base32 as f64).log2()) as f32
            }
        });
        for px in rgba.chunks_exact_mut(4) {
            for ((v, c), k) in px[..3].iter_mut().zip(&ch).zip(klog) {
                let x = *v;
                let log = log2((x * c.lin_slope + c.lin_offset).max(f32::MIN_POSITIVE)) * k + c.log_offset;
                // NaN is not past the break: it takes the linear segment.
                let on_curve = x > c.lin_break;
                *v = if !camera || on_curve {
                    log
                } else {
                    x * c.linear_slope + c.linear_offset
                };
            }
        }
    } else {
        // Camera curves take log2 of the base in double (rounded to float),
        // affine curves in float.
        let l2b = if camera {
            log2_of_float(base32) as f32
        } else {
            base32.log2()
        };
        let kinv: [f32; 3] = std::array::from_fn(|i| l2b / op.sides.log_side_slope[i] as f32);
        for px in rgba.chunks_exact_mut(4) {
            for ((v, c), k) in px[..3].iter_mut().zip(&ch).zip(kinv) {
                let x = *v;
                let lin = (exp2((x + -c.log_offset) * k) + -c.lin_offset) * (1.0 / c.lin_slope);
                let on_curve = x > c.log_break;
                *v = if !camera || on_curve {
                    lin
                } else {
                    (x + -c.linear_offset) * (1.0 / c.linear_slope)
                };
            }
        }
    }
}
