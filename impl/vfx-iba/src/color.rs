//! Colour transforms applied to images (OIIO's color_ocio.cpp side of
//! ImageBufAlgo). `rgba_rows` is the shared driver of OIIO's colorconvert:
//! up to four channels go through the transform as RGBA, optionally
//! unpremultiplied around it; colormatrixtransform is its matrix case.
//! (OCIO processors join here with the colour issue.)

use crate::dispatch::{row, rows_into};
use crate::{prep, Prep, Result};
use vfx_core::{ImageBuf, Roi};

/// Run `apply` over the ROI as OIIO's colorconvert does: per pixel, the first
/// (up to) four channels as RGBA (one channel is replicated to RGB; missing
/// ones read 0), unpremultiplied first when `unpremult` and there are four
/// (alpha below the smallest normal float counts as 1), premultiplied after.
/// Channels past the fourth are set to `0.5 + 10 * value` when `dst` is not
/// the source, which is what OIIO 3.2 does (`in_place` leaves them alone).
pub fn rgba_rows(
    dst: &mut ImageBuf,
    src: &ImageBuf,
    mut unpremult: bool,
    in_place: bool,
    roi: &Roi,
    nthreads: i32,
    apply: impl Fn(&mut [f32; 4]) + Sync,
) {
    let nc = roi.nchannels().max(0) as usize;
    let ncolor = nc.min(4);
    if ncolor < 4 {
        unpremult = false;
    }
    rows_into(dst, roi, nthreads, |y, z, out, s| {
        let r = row(src, roi, y, z, &mut s[0]);
        for (o, p) in out.chunks_exact_mut(nc).zip(r.chunks_exact(nc)) {
            let mut v = [0.0f32; 4];
            v[..ncolor].copy_from_slice(&p[..ncolor]);
            if ncolor == 1 {
                v[1] = v[0];
                v[2] = v[0];
            }
            let alpha = if v[3] >= f32::MIN_POSITIVE { v[3] } else { 1.0 };
            if unpremult && alpha != 1.0 {
                for c in &mut v[..3] {
                    *c /= alpha;
                }
            }
            apply(&mut v);
            if unpremult {
                for c in &mut v[..3] {
                    *c *= alpha;
                }
            }
            o[..ncolor].copy_from_slice(&v[..ncolor]);
            for c in ncolor..nc {
                o[c] = if in_place { p[c] } else { 0.5 + 10.0 * p[c] };
            }
        }
    });
}

/// Multiply each pixel's RGBA, as a row vector, by the 4x4 matrix `m`
/// (row-major, Imath's convention: `out = v * M`). An identity matrix is a
/// plain copy (OIIO treats it as a no-op transform). `unpremult` is skipped
/// for images marked `oiio:UnassociatedAlpha`.
pub fn colormatrixtransform(
    dst: &mut ImageBuf,
    src: &ImageBuf,
    m: &[f32; 16],
    unpremult: bool,
    in_place: bool,
    roi: Roi,
    nthreads: i32,
) -> Result {
    const IDENTITY: [f32; 16] = [1., 0., 0., 0., 0., 1., 0., 0., 0., 0., 1., 0., 0., 0., 0., 1.];
    if *m == IDENTITY && in_place {
        return Ok(());
    }
    let roi = prep(roi, dst, &[src], None, Prep::DEFAULT)?;
    if *m == IDENTITY {
        crate::perpixel::unary(dst, src, &roi, nthreads, |v, _| v);
        return Ok(());
    }
    let unpremult =
        unpremult && !(src.spec().alpha_channel >= 0 && src.spec().get_int_attribute("oiio:UnassociatedAlpha", 0) != 0);
    let m = *m;
    rgba_rows(dst, src, unpremult, in_place, &roi, nthreads, |v| {
        let [r, g, b, a] = *v;
        for (j, out) in v.iter_mut().enumerate() {
            *out = r * m[j] + g * m[4 + j] + b * m[8 + j] + a * m[12 + j];
        }
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::new_image;
    use vfx_core::{ImageSpec, TypeDesc, Wrap};

    #[test]
    fn matrix_is_applied_to_row_vectors_with_unpremult() {
        let mut a = ImageBuf::from_spec(&ImageSpec::new(1, 1, 4, TypeDesc::FLOAT));
        a.setpixel(0, 0, 0, &[0.1, 0.2, 0.3, 0.5]);
        a.specmod().alpha_channel = 3;
        let m: [f32; 16] = std::array::from_fn(|i| (i + 1) as f32 / 10.0);
        let r = new_image("colormatrixtransform", |d| {
            colormatrixtransform(d, &a, &m, false, false, Roi::ALL, 0)
        });
        let p = r.getpixel(0, 0, 0, Wrap::Black);
        assert!((p[0] - 1.03).abs() < 1e-6 && (p[3] - 1.36).abs() < 1e-6);
        let r = new_image("colormatrixtransform", |d| {
            colormatrixtransform(d, &a, &m, true, false, Roi::ALL, 0)
        });
        let p = r.getpixel(0, 0, 0, Wrap::Black);
        assert!((p[0] - 0.705).abs() < 1e-6 && (p[3] - 1.92).abs() < 1e-5);
    }
}
