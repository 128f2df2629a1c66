//! Shared drivers for per-pixel ops: one function of the operands' channel
//! values, run over the ROI in parallel. The op modules supply only the
//! arithmetic and OIIO's preparation rules.

use crate::dispatch::{row, rows_into};
use crate::{prep, IbaError, Operand, Prep, Result};
use vfx_core::{BaseType, ImageBuf, Roi, TypeDesc};

/// `dst = f(a, b)` per channel value for two images, over `roi` (already
/// prepared). `f` also receives the absolute channel index.
pub fn image_image(
    dst: &mut ImageBuf,
    a: &ImageBuf,
    b: &ImageBuf,
    roi: &Roi,
    nthreads: i32,
    f: impl Fn(f32, f32, usize) -> f32 + Sync,
) {
    let nc = roi.nchannels().max(0) as usize;
    let c0 = roi.chbegin as usize;
    rows_into(dst, roi, nthreads, |y, z, out, s| {
        let [sa, sb, ..] = s;
        let (ra, rb) = (row(a, roi, y, z, sa), row(b, roi, y, z, sb));
        for (i, o) in out.iter_mut().enumerate() {
            *o = f(ra[i], rb[i], c0 + i % nc);
        }
    });
}

/// `dst = f(a, k[c])` per channel value for an image and per-channel constants.
pub fn image_const(
    dst: &mut ImageBuf,
    a: &ImageBuf,
    k: &[f32],
    roi: &Roi,
    nthreads: i32,
    f: impl Fn(f32, f32) -> f32 + Sync,
) {
    let nc = roi.nchannels().max(0) as usize;
    let kk = &k[roi.chbegin as usize..roi.chbegin as usize + nc];
    rows_into(dst, roi, nthreads, |y, z, out, s| {
        let ra = row(a, roi, y, z, &mut s[0]);
        for (o, p) in out.chunks_exact_mut(nc).zip(ra.chunks_exact(nc)) {
            for ((o, v), k) in o.iter_mut().zip(p).zip(kk) {
                *o = f(*v, *k);
            }
        }
    });
}

/// `dst = f(a)` per channel value (`f` gets the absolute channel index).
pub fn unary(dst: &mut ImageBuf, a: &ImageBuf, roi: &Roi, nthreads: i32, f: impl Fn(f32, usize) -> f32 + Sync) {
    let nc = roi.nchannels().max(0) as usize;
    let c0 = roi.chbegin as usize;
    rows_into(dst, roi, nthreads, |y, z, out, s| {
        let ra = row(a, roi, y, z, &mut s[0]);
        for (i, (o, v)) in out.iter_mut().zip(ra).enumerate() {
            *o = f(*v, c0 + i % nc);
        }
    });
}

/// Which channels a two-image op computes (OIIO differs per op).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Chans {
    /// Those both images have; the bigger image's others are copied.
    MutualCopyRest,
    /// Those both images have (the prep flags already limit the ROI).
    Mutual,
    /// All of the bigger image's, even beyond the ROI (OIIO's `max`).
    All,
}

/// The operand rules shared by add/sub/mul/div/absdiff/min/max-like
/// binary ops (OIIO's `Image_or_Const` handling):
/// * two images: prepare with `both` flags; compute the channels `chans` says;
/// * image and constant (either order: a constant first is swapped, as
///   OIIO does): prepare with `clamp_mutual_nchannels`, pad the constant;
/// * two constants: OIIO's "at least one argument must be an image".
#[allow(clippy::too_many_arguments)]
pub fn binary(
    name: &str,
    dst: &mut ImageBuf,
    a: Operand,
    b: Operand,
    roi: Roi,
    nthreads: i32,
    both: Prep,
    chans: Chans,
    ii: impl Fn(f32, f32, usize) -> f32 + Sync,
    ic: impl Fn(f32, f32) -> f32 + Sync,
    map_const: impl Fn(f32) -> f32,
) -> Result {
    let (a, b) = match (a, b) {
        (Operand::Const(k), Operand::Image(i)) => (Operand::Image(i), Operand::Const(k)),
        other => other,
    };
    match (a, b) {
        (Operand::Image(a), Operand::Image(b)) => {
            let roi = prep(roi, dst, &[a, b], None, both)?;
            let mut work = roi;
            work.chend = if chans == Chans::All {
                // OIIO's max widens the range to the bigger image's channels.
                work.chend.max(a.nchannels().max(b.nchannels())).min(dst.nchannels())
            } else {
                work.chend.min(a.nchannels().min(b.nchannels()))
            };
            image_image(dst, a, b, &work, nthreads, ii);
            if chans == Chans::MutualCopyRest && work.chend < roi.chend && a.nchannels() != b.nchannels() {
                let bigger = if a.nchannels() > b.nchannels() { a } else { b };
                let mut rest = roi;
                rest.chbegin = work.chend;
                unary(dst, bigger, &rest, nthreads, |v, _| v);
            }
            Ok(())
        }
        (Operand::Image(a), Operand::Const(k)) => {
            let roi = prep(
                roi,
                dst,
                &[a],
                None,
                Prep {
                    clamp_mutual_nchannels: true,
                    ..Prep::DEFAULT
                },
            )?;
            let k: Vec<f32> = crate::perchan(k, dst.nchannels().max(a.nchannels()) as usize)
                .into_iter()
                .map(map_const)
                .collect();
            image_const(dst, a, &k, &roi, nthreads, ic);
            Ok(())
        }
        _ => Err(IbaError::Op(format!(
            "ImageBufAlgo::{name}(): at least one argument must be an image"
        ))),
    }
}

/// OIIO's `TypeDesc::basetype_merge`: the type that holds both without
/// losing much (float when in doubt).
pub fn basetype_merge(a: BaseType, b: BaseType) -> BaseType {
    use BaseType::*;
    if a == b || b == Unknown {
        return a;
    }
    if a == Unknown {
        return b;
    }
    let (a, b) = if TypeDesc::scalar(a).size() < TypeDesc::scalar(b).size() {
        (b, a)
    } else {
        (a, b)
    };
    match (a, b) {
        (Double | Float, _) => a,
        (UInt32, UInt16 | UInt8) => a,
        (Int32, Int16 | UInt16 | Int8 | UInt8) => a,
        (UInt16 | Half, UInt8) => a,
        (Int16 | Half, Int8 | UInt8) => a,
        _ => Float,
    }
}

/// The ROI widened to all of `buf`'s channels (and the ROI's), for kernels
/// that read channels outside the ROI (alpha, z, luma sources).
pub fn all_channels(roi: &Roi, buf: &ImageBuf) -> Roi {
    Roi {
        chbegin: 0,
        chend: roi.chend.max(buf.nchannels()),
        ..*roi
    }
}

/// `f(out, a, b)` per pixel: `out` holds the ROI's channels of the result,
/// `a` and `b` every channel of the inputs' pixels (`b` empty without B).
pub fn pixels(
    dst: &mut ImageBuf,
    a: &ImageBuf,
    b: Option<&ImageBuf>,
    roi: &Roi,
    nthreads: i32,
    f: impl Fn(&mut [f32], &[f32], &[f32]) + Sync,
) {
    let nc = roi.nchannels().max(0) as usize;
    let ra_roi = all_channels(roi, a);
    let rb_roi = b.map(|b| all_channels(roi, b));
    let (na, nb) = (ra_roi.chend as usize, rb_roi.map_or(0, |r| r.chend as usize));
    rows_into(dst, roi, nthreads, |y, z, out, s| {
        let [sa, sb, ..] = s;
        let ra = row(a, &ra_roi, y, z, sa);
        let rb: &[f32] = match (b, &rb_roi) {
            (Some(b), Some(r)) => row(b, r, y, z, sb),
            _ => &[],
        };
        if nc == 4 && na == 4 && nb == 4 {
            // RGBA: constant chunk sizes let the compiler unroll the kernel.
            for ((o, pa), pb) in out.chunks_exact_mut(4).zip(ra.chunks_exact(4)).zip(rb.chunks_exact(4)) {
                f(o, pa, pb);
            }
        } else if nb == 0 {
            for (o, pa) in out.chunks_exact_mut(nc).zip(ra.chunks_exact(na)) {
                f(o, pa, &[]);
            }
        } else {
            for ((o, pa), pb) in out
                .chunks_exact_mut(nc)
                .zip(ra.chunks_exact(na))
                .zip(rb.chunks_exact(nb))
            {
                f(o, pa, pb);
            }
        }
    });
}
