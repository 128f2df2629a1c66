//! CPU renderer of `RangeOpData`: RGB scaled, offset and clamped in single
//! precision; alpha passes through.

use super::data::RangeOpData;

pub fn apply(op: &RangeOpData, rgba: &mut [f32]) {
    let (scale, offset) = op.scale_offset().unwrap_or((1.0, 0.0));
    let (scale, offset) = (scale as f32, offset as f32);
    let lo = op.min_out.map(|v| v as f32);
    let hi = op.max_out.map(|v| v as f32);
    // NaN becomes the lower bound, or the upper one when only it is set.
    let nan = lo.or(hi).unwrap_or(f32::NAN);
    for px in rgba.chunks_exact_mut(4) {
        for v in &mut px[..3] {
            let x = *v * scale + offset;
            *v = if x.is_nan() {
                nan
            } else {
                let x = lo.map_or(x, |l| x.max(l));
                hi.map_or(x, |h| x.min(h))
            };
        }
    }
}
