//! CPU renderer of `MatrixOpData`: single-precision multiply-adds on RGBA
//! pixels in the order OCIO's renderers use (scale only, scale and offset,
//! matrix, matrix and offset), so results match to the bit.

use super::data::MatrixOpData;

pub fn apply(op: &MatrixOpData, rgba: &mut [f32]) {
    let m = op.m.map(|v| v as f32);
    let o = op.offset.map(|v| v as f32);
    let has_offset = op.offset.iter().any(|&v| v != 0.0);
    if !op.has_channel_crosstalk() {
        let d = [m[0], m[5], m[10], m[15]];
        if has_offset {
            lanes(rgba, |px, c| px[c] * d[c] + o[c]);
        } else {
            lanes(rgba, |px, c| px[c] * d[c]);
        }
        return;
    }
    // Column k holds what input channel k adds to each output channel; the
    // products are summed as (r + g) + (b + a), as the SSE renderer does.
    let col: [[f32; 4]; 4] = std::array::from_fn(|k| std::array::from_fn(|c| m[4 * c + k]));
    let sum =
        |px: &[f32; 4], c: usize| (px[0] * col[0][c] + px[1] * col[1][c]) + (px[2] * col[2][c] + px[3] * col[3][c]);
    if has_offset {
        lanes(rgba, |px, c| sum(px, c) + o[c]);
    } else {
        lanes(rgba, sum);
    }
}

/// Replaces every pixel by `f(pixel, channel)` for its four channels (one
/// monomorphic loop per variant, which the compiler vectorises).
#[inline]
fn lanes(rgba: &mut [f32], f: impl Fn(&[f32; 4], usize) -> f32) {
    for px in rgba.chunks_exact_mut(4) {
        let p = [px[0], px[1], px[2], px[3]];
        for (c, v) in px.iter_mut().enumerate() {
            *v = f(&p, c);
        }
    }
}
