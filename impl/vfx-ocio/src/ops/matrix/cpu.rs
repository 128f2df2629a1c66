//! CPU renderer of `MatrixOpData`: single-precision multiply-adds on RGBA
//! pixels, as OCIO's renderer computes them.

use super::data::MatrixOpData;

pub fn apply(op: &MatrixOpData, rgba: &mut [f32]) {
    let m = op.m.map(|v| v as f32);
    let o = op.offset.map(|v| v as f32);
    let diagonal = !op.has_channel_crosstalk();
    for px in rgba.chunks_exact_mut(4) {
        let (r, g, b, a) = (px[0], px[1], px[2], px[3]);
        if diagonal {
            px[0] = r * m[0] + o[0];
            px[1] = g * m[5] + o[1];
            px[2] = b * m[10] + o[2];
            px[3] = a * m[15] + o[3];
        } else {
            px[0] = r * m[0] + g * m[1] + b * m[2] + a * m[3] + o[0];
            px[1] = r * m[4] + g * m[5] + b * m[6] + a * m[7] + o[1];
            px[2] = r * m[8] + g * m[9] + b * m[10] + a * m[11] + o[2];
            px[3] = r * m[12] + g * m[13] + b * m[14] + a * m[15] + o[3];
        }
    }
}
