//! Per-pixel maths (OIIO's imagebufalgo_pixelmath.cpp): abs, absdiff, pow,
//! clamp, min, max, premult/unpremult/repremult, over/zover,
//! contrast_remap, saturate, rangecompress/rangeexpand, normalize,
//! fixNonFinite.

use crate::dispatch::row;
use crate::perpixel::{binary, pixels, unary, Chans};
use crate::{prep, IbaError, Operand, Prep, Result};
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

/// Copy `src` into `dst` over `roi` unchanged (OIIO pastes in place of an
/// op that has nothing to do, e.g. premult without alpha).
fn copy_through(dst: &mut ImageBuf, src: &ImageBuf, roi: &Roi, nthreads: i32) {
    unary(dst, src, roi, nthreads, |v, _| v);
}

/// premult, repremult and unpremult: each colour channel (not alpha or z)
/// becomes `apply(value, alpha)`, except in pixels where `skip(alpha)`.
/// Without an alpha channel the source is copied and `Ok(false)` returned.
fn alpha_op(
    dst: &mut ImageBuf,
    src: &ImageBuf,
    roi: Roi,
    nthreads: i32,
    skip: impl Fn(f32) -> bool + Sync,
    apply: impl Fn(f32, f32) -> f32 + Sync,
) -> Result<bool> {
    let roi = prep(roi, dst, &[src], None, MUTUAL)?;
    let (alpha, zc) = (src.spec().alpha_channel, src.spec().z_channel);
    if alpha < 0 {
        copy_through(dst, src, &roi, nthreads);
        return Ok(false);
    }
    let c0 = roi.chbegin;
    pixels(dst, src, None, &roi, nthreads, |o, a, _| {
        let al = a[alpha as usize];
        let skip = skip(al);
        for (i, out) in o.iter_mut().enumerate() {
            let c = c0 + i as i32;
            let v = a[c as usize];
            *out = if skip || c == alpha || c == zc { v } else { apply(v, al) };
        }
    });
    Ok(true)
}

/// Multiply colour channels by alpha.
pub fn premult(dst: &mut ImageBuf, src: &ImageBuf, roi: Roi, nthreads: i32) -> Result {
    if alpha_op(dst, src, roi, nthreads, |al| al == 1.0, |v, al| v * al)? {
        dst.specmod()
            .erase_attribute("oiio:UnassociatedAlpha", vfx_core::TypeDesc::UNKNOWN, false);
    }
    Ok(())
}

/// premult that leaves pixels with alpha 0 alone (undoing unpremult).
pub fn repremult(dst: &mut ImageBuf, src: &ImageBuf, roi: Roi, nthreads: i32) -> Result {
    if alpha_op(dst, src, roi, nthreads, |al| al == 1.0 || al == 0.0, |v, al| v * al)? {
        dst.specmod()
            .erase_attribute("oiio:UnassociatedAlpha", vfx_core::TypeDesc::UNKNOWN, false);
    }
    Ok(())
}

/// Divide colour channels by alpha (pixels with alpha 0 or 1 unchanged);
/// marks the result `oiio:UnassociatedAlpha`.
pub fn unpremult(dst: &mut ImageBuf, src: &ImageBuf, roi: Roi, nthreads: i32) -> Result {
    if alpha_op(dst, src, roi, nthreads, |al| al == 0.0 || al == 1.0, |v, al| v / al)? {
        dst.specmod().attribute_int("oiio:UnassociatedAlpha", 1);
    }
    Ok(())
}

/// Which channels `over` treats as alpha and z (OIIO's
/// `decode_over_channels`: a 4-channel image without a designated alpha
/// uses its last non-z channel).
fn over_channels(spec: &vfx_core::ImageSpec) -> (i32, i32) {
    let (mut alpha, z) = (spec.alpha_channel, spec.z_channel);
    let colors = spec.nchannels - (alpha >= 0) as i32 - (z >= 0) as i32;
    if alpha < 0 && colors == 4 {
        alpha = spec.nchannels - 1;
        if alpha == z {
            alpha -= 1;
        }
    }
    (alpha, z)
}

/// Composite A over B (premultiplied colours; alpha clamped to [0, 1]).
pub fn over(dst: &mut ImageBuf, a: &ImageBuf, b: &ImageBuf, roi: Roi, nthreads: i32) -> Result {
    let f = Prep {
        require_alpha: true,
        require_same_nchannels: true,
        ..Prep::DEFAULT
    };
    let roi = prep(roi, dst, &[a, b], None, f)?;
    over_impl(dst, a, b, None, roi, nthreads);
    Ok(())
}

/// Depth composite: per pixel, whichever of A and B is nearer goes over the
/// other (`z_zeroisinf`: z of 0 means infinitely far).
pub fn zover(dst: &mut ImageBuf, a: &ImageBuf, b: &ImageBuf, z_zeroisinf: bool, roi: Roi, nthreads: i32) -> Result {
    let f = Prep {
        require_alpha: true,
        require_z: true,
        require_same_nchannels: true,
        ..Prep::DEFAULT
    };
    let roi = prep(roi, dst, &[a, b], None, f)?;
    over_impl(dst, a, b, Some(z_zeroisinf), roi, nthreads);
    Ok(())
}

fn over_impl(dst: &mut ImageBuf, a: &ImageBuf, b: &ImageBuf, zcomp: Option<bool>, roi: Roi, nthreads: i32) {
    let (alpha, zc) = over_channels(dst.spec());
    let (ai, c0) = (alpha.max(0) as usize, roi.chbegin);
    let zrel = zc - c0;
    let z_in_roi = zc >= 0 && zc >= c0 && zc < roi.chend;
    if zc < 0 && c0 == 0 {
        // Plain over on channels from 0 (the common RGBA case): A + (1-a) B.
        pixels(dst, a, Some(b), &roi, nthreads, |o, pa, pb| {
            let k = 1.0 - fmin(fmax(pa[ai], 0.0), 1.0);
            for ((out, x), y) in o.iter_mut().zip(pa).zip(pb) {
                *out = x + k * y;
            }
        });
        return;
    }
    pixels(dst, a, Some(b), &roi, nthreads, |o, pa, pb| {
        let mut a_first = true;
        if let (Some(zeroisinf), true) = (zcomp, zc >= 0) {
            let fix = |z: f32| if zeroisinf && z == 0.0 { f32::MAX } else { z };
            a_first = fix(pa[zc as usize]) <= fix(pb[zc as usize]);
        }
        let (front, back) = if a_first { (pa, pb) } else { (pb, pa) };
        let al = fmin(fmax(front[ai], 0.0), 1.0);
        let k = 1.0 - al;
        for (i, out) in o.iter_mut().enumerate() {
            let c = c0 as usize + i;
            *out = front[c] + k * back[c];
        }
        if z_in_roi {
            let zi = zc as usize;
            o[zrel as usize] = if al != 0.0 { front[zi] } else { back[zi] };
        }
    });
}

/// Linear remap of [black, white] to [min, max], optionally through a
/// sigmoid (contrast `scontrast` around `sthresh`); black == white gives a
/// threshold.
#[allow(clippy::too_many_arguments)]
pub fn contrast_remap(
    dst: &mut ImageBuf,
    src: &ImageBuf,
    black: &[f32],
    white: &[f32],
    min: &[f32],
    max: &[f32],
    scontrast: &[f32],
    sthresh: &[f32],
    roi: Roi,
    nthreads: i32,
) -> Result {
    let roi = prep(roi, dst, &[src], None, Prep::DEFAULT)?;
    let n = dst.nchannels().max(roi.chend) as usize;
    let fix = |v: &[f32], dflt: f32| {
        let mut v = v.to_vec();
        if v.len() < n {
            let fill = v.last().copied().unwrap_or(dflt);
            v.resize(n, fill);
        }
        v
    };
    let (black, white) = (fix(black, 0.0), fix(white, 1.0));
    let (min, max) = (fix(min, 0.0), fix(max, 1.0));
    let (scontrast, sthresh) = (fix(scontrast, 1.0), fix(sthresh, 0.5));
    let same = black == white;
    let all = |v: &[f32], x: f32| !v.is_empty() && v.iter().all(|e| *e == x);
    let use_sigmoid = !all(&scontrast, 1.0);
    let do_minmax = !(all(&min, 0.0) && all(&max, 1.0));
    unary(dst, src, &roi, nthreads, |v, c| {
        if same {
            return if v < black[c] { min[c] } else { max[c] };
        }
        let mut r = (v - black[c]) * (1.0 / (white[c] - black[c]));
        if use_sigmoid {
            let (k, t) = (scontrast[c], sthresh[c]);
            let y = 1.0 / (1.0 + (k * t).exp());
            let denom = 1.0 / (1.0 + (k * (t - 1.0)).exp()) - y;
            let x = 1.0 / (1.0 + (k * (t - r)).exp());
            r = (x - y) / denom;
        }
        if do_minmax {
            r = lerp(min[c], max[c], r);
        }
        r
    });
    Ok(())
}

/// OIIO's `lerp(a, b, t)`: `(1 - t) * a + t * b`.
fn lerp(a: f32, b: f32, t: f32) -> f32 {
    (1.0 - t) * a + t * b
}

/// Scale saturation of the three channels from `firstchannel` about their
/// Rec.709 luma (0 = grey, 1 = unchanged).
pub fn saturate(dst: &mut ImageBuf, src: &ImageBuf, scale: f32, firstchannel: i32, roi: Roi, nthreads: i32) -> Result {
    let roi = prep(roi, dst, &[src], None, MUTUAL)?;
    let (alpha, zc) = (src.spec().alpha_channel, src.spec().z_channel);
    let fc = firstchannel;
    if roi.chend - fc < 3 {
        return Err(IbaError::Op(format!(
            "ImageBufAlgo::saturate can only work on 3 channels at a time. You specified starting at channel {fc} of a {}-channel ROI, that's not enough.",
            roi.nchannels()
        )));
    }
    if alpha >= fc && alpha < fc + 3 {
        return Err(IbaError::Op(format!(
            "ImageBufAlgo::saturate cannot operate alpha channels and you asked saturate to operate on channels {fc}-{}. Alpha is channel {alpha}.",
            fc + 2
        )));
    }
    if zc >= fc && zc < fc + 3 {
        return Err(IbaError::Op(format!(
            "ImageBufAlgo::saturate cannot operate z channels and you asked saturate to operate on channels {fc}-{}. Z is channel {zc}.",
            fc + 2
        )));
    }
    let (c0, f) = (roi.chbegin, fc.max(0) as usize);
    pixels(dst, src, None, &roi, nthreads, |o, a, _| {
        let (r, g, b) = (a[f], a[f + 1], a[f + 2]);
        let luma = r * 0.2126 + g * 0.7152 + b * 0.0722;
        for (i, out) in o.iter_mut().enumerate() {
            let c = c0 as usize + i;
            *out = if (f..f + 3).contains(&c) {
                lerp(luma, a[c], scale)
            } else {
                a[c]
            };
        }
    });
    Ok(())
}

// Sony Pictures Imageworks' range-compression curve coefficients.
const X1: f32 = 0.18;
const A: f32 = -0.545_768_86;
const B: f32 = 0.183_516_7;
const C: f32 = 284.357_8;

/// Sony Pictures Imageworks' log-like range compression (identity below 0.18).
fn rangecompress_value(x: f32) -> f32 {
    let ax = x.abs();
    if ax <= X1 {
        return x;
    }
    (A + B * (C * ax + 1.0).abs().ln()).copysign(x)
}

/// The inverse of [`rangecompress_value`].
fn rangeexpand_value(y: f32) -> f32 {
    let ay = y.abs();
    if ay <= X1 {
        return y;
    }
    let xi = ((ay - A) / B).exp();
    let mut x = (xi - 1.0) / C;
    if x < X1 {
        x = (-xi - 1.0) / C;
    }
    x.copysign(y)
}

fn range_map(dst: &mut ImageBuf, src: &ImageBuf, useluma: bool, roi: Roi, nthreads: i32, f: fn(f32) -> f32) -> Result {
    let roi = prep(roi, dst, &[src], None, MUTUAL)?;
    let (alpha, zc) = (src.spec().alpha_channel, src.spec().z_channel);
    let cb = roi.chbegin;
    let in_first3 = |ch: i32| ch >= cb && ch < cb + 3;
    let useluma = useluma && roi.nchannels() >= 3 && !in_first3(alpha) && !in_first3(zc);
    pixels(dst, src, None, &roi, nthreads, |o, a, _| {
        let base = cb as usize;
        let scale = if useluma {
            let luma = 0.21264 * a[base] + 0.71517 * a[base + 1] + 0.07219 * a[base + 2];
            if luma > 0.0 {
                f(luma) / luma
            } else {
                0.0
            }
        } else {
            0.0
        };
        for (i, out) in o.iter_mut().enumerate() {
            let c = cb + i as i32;
            let v = a[c as usize];
            *out = if c == alpha || c == zc {
                v
            } else if useluma {
                v * scale
            } else {
                f(v)
            };
        }
    });
    Ok(())
}

/// Compress high values with a log-like curve (per channel, or by luma).
pub fn rangecompress(dst: &mut ImageBuf, src: &ImageBuf, useluma: bool, roi: Roi, nthreads: i32) -> Result {
    range_map(dst, src, useluma, roi, nthreads, rangecompress_value)
}

/// Undo [`rangecompress`].
pub fn rangeexpand(dst: &mut ImageBuf, src: &ImageBuf, useluma: bool, roi: Roi, nthreads: i32) -> Result {
    range_map(dst, src, useluma, roi, nthreads, rangeexpand_value)
}

/// Rescale the RGB vector around `in_center` to length `scale` around
/// `out_center` (normal maps); alpha of 4-channel images is copied.
pub fn normalize(
    dst: &mut ImageBuf,
    src: &ImageBuf,
    in_center: f32,
    out_center: f32,
    scale: f32,
    roi: Roi,
    nthreads: i32,
) -> Result {
    let roi = prep(roi, dst, &[src], None, Prep::DEFAULT)?;
    if src.nchannels() != 3 && src.nchannels() != 4 {
        src.error("normalize can only handle 3- or 4-channel images");
        return Err(IbaError::Silent);
    }
    if src.nchannels() < dst.nchannels() {
        return Err(IbaError::Op(
            "destination buffer can`t have more channels than the source".into(),
        ));
    }
    let four = dst.nchannels() == 4;
    // OIIO writes channels 0-2 (and 3) whatever the ROI's channel range.
    let roi = Roi {
        chbegin: 0,
        chend: dst.nchannels(),
        ..roi
    };
    pixels(dst, src, None, &roi, nthreads, |o, a, _| {
        let (x, y, z) = (a[0] - in_center, a[1] - in_center, a[2] - in_center);
        let len = (x * x + y * y + z * z).sqrt();
        let s = if len > 0.0 { scale / len } else { 0.0 };
        o[0] = x * s + out_center;
        o[1] = y * s + out_center;
        o[2] = z * s + out_center;
        if four {
            o[3] = a[3];
        }
    });
    Ok(())
}

/// What fixNonFinite does with NaN and infinite values.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum NonFiniteFix {
    /// Only count them.
    None,
    /// Replace with 0.
    Black,
    /// Replace with the mean of the finite values in the 3x3(x3) box.
    Box3,
    /// Count them and fail if there are any.
    Error,
}

impl NonFiniteFix {
    /// OIIO's `NonFiniteFixMode` values.
    pub fn from_int(v: i64) -> Option<NonFiniteFix> {
        Some(match v {
            0 => NonFiniteFix::None,
            1 => NonFiniteFix::Black,
            2 => NonFiniteFix::Box3,
            100 => NonFiniteFix::Error,
            _ => return Option::None,
        })
    }
}

/// Copy `src` to `dst` repairing non-finite values as `mode` says; returns
/// the number of pixels that had any. Only float, half and double images
/// can hold such values; others are copied unchanged.
pub fn fix_non_finite(dst: &mut ImageBuf, src: &ImageBuf, mode: NonFiniteFix, roi: Roi, nthreads: i32) -> Result<u64> {
    let roi = prep(roi, dst, &[src], None, Prep::DEFAULT)?;
    copy_through(dst, src, &roi, nthreads);
    use vfx_core::BaseType::{Double, Float, Half};
    if !matches!(src.spec().format.basetype, Float | Half | Double) {
        return Ok(0);
    }
    // Find the pixels holding non-finite values (in parallel), then repair
    // them in raster order, each repair seeing the earlier ones as OIIO's
    // in-place loop does.
    let nc = roi.nchannels().max(0) as usize;
    let mut bad = crate::dispatch::rows_fold(
        &roi,
        nthreads,
        Vec::new(),
        |y, z, acc: &mut Vec<(i32, i32, i32)>, s| {
            let r = row(dst, &roi, y, z, &mut s[0]);
            for (i, p) in r.chunks_exact(nc).enumerate() {
                if p.iter().any(|v| !v.is_finite()) {
                    acc.push((z, y, roi.xbegin + i as i32));
                }
            }
        },
        |mut a, b| {
            a.extend(b);
            a
        },
    );
    bad.sort_unstable();
    if matches!(mode, NonFiniteFix::Black | NonFiniteFix::Box3) {
        let window = dst.roi();
        let half = src.spec().format.basetype == Half;
        for &(z, y, x) in &bad {
            let mut p = dst.getpixel(x, y, z, vfx_core::Wrap::Black);
            for c in roi.chbegin..roi.chend.min(p.len() as i32) {
                if !p[c as usize].is_finite() {
                    p[c as usize] = match mode {
                        NonFiniteFix::Box3 => box3_mean(dst, &window, (x, y, z), c, half),
                        _ => 0.0,
                    };
                    dst.setpixel(x, y, z, &p);
                }
            }
        }
    }
    let fixed = bad.len() as u64;
    if mode == NonFiniteFix::Error && fixed > 0 {
        return Err(IbaError::Op("Nonfinite pixel values found".into()));
    }
    Ok(fixed)
}

/// Mean of the finite values of channel `c` in the 3x3x3 box around
/// (x, y, z), clipped to `window` (0 when there are none). Half images
/// accumulate in half precision, as OIIO's typed sum does.
fn box3_mean(buf: &ImageBuf, window: &Roi, (x, y, z): (i32, i32, i32), c: i32, half: bool) -> f32 {
    let (mut sum, mut n) = (0.0f32, 0);
    let round = |v: f32| if half { half::f16::from_f32(v).to_f32() } else { v };
    for zz in (z - 1).max(window.zbegin)..(z + 2).min(window.zend) {
        for yy in (y - 1).max(window.ybegin)..(y + 2).min(window.yend) {
            for xx in (x - 1).max(window.xbegin)..(x + 2).min(window.xend) {
                let v = buf.getpixel(xx, yy, zz, vfx_core::Wrap::Black)[c as usize];
                if v.is_finite() {
                    sum = round(sum + v);
                    n += 1;
                }
            }
        }
    }
    if n > 0 {
        sum / n as f32
    } else {
        0.0
    }
}

/// Per pixel, the weighted sum of the ROI's channels into a one-channel
/// image. Missing weights are 1 when none are given, else 0 (the rule the
/// reference's binding states; its engine asserts without weights).
pub fn channel_sum(dst: &mut ImageBuf, src: &ImageBuf, weights: &[f32], roi: Roi, nthreads: i32) -> Result {
    let n = src.nchannels().max(0) as usize;
    let mut w = weights.to_vec();
    w.resize(n.max(w.len()), if weights.is_empty() { 1.0 } else { 0.0 });
    let c0 = if roi.defined() { roi.chbegin.max(0) as usize } else { 0 };
    crate::minmaxchan::reduce_channels(dst, src, roi, nthreads, |p| {
        p.iter().zip(&w[c0..]).fold(0.0, |s, (v, k)| s + v * k)
    })
}

/// Map one channel (or Rec.709 luma when `srcchannel < 0`) through a
/// piecewise-linear colour ramp of `nknots` knots of `channels` values.
#[allow(clippy::too_many_arguments)]
pub fn color_map(
    dst: &mut ImageBuf,
    src: &ImageBuf,
    srcchannel: i32,
    nknots: i32,
    channels: i32,
    knots: &[f32],
    roi: Roi,
    nthreads: i32,
) -> Result {
    if srcchannel >= src.nchannels() {
        return Err(IbaError::Op("invalid source channel selected".into()));
    }
    if nknots < 2 || channels < 1 || (knots.len() as i64) < nknots as i64 * channels as i64 {
        return Err(IbaError::Op("not enough knot values supplied".into()));
    }
    let mut roi = if roi.defined() { roi } else { src.roi() };
    roi.chend = roi.chend.min(src.nchannels());
    let dstroi = prep(
        Roi {
            chbegin: 0,
            chend: channels,
            ..roi
        },
        dst,
        &[],
        None,
        Prep::DEFAULT,
    )?;
    let dstroi = Roi {
        chend: channels.min(dst.nchannels()),
        ..dstroi
    };
    let srcchannel = if srcchannel < 0 && src.nchannels() < 3 {
        0
    } else {
        srcchannel
    };
    let all = Roi {
        chbegin: 0,
        chend: src.nchannels(),
        ..dstroi
    };
    let (ns, nd, nk, nch) = (
        src.nchannels() as usize,
        dstroi.nchannels().max(0) as usize,
        nknots as usize,
        channels as usize,
    );
    let c0 = dstroi.chbegin as usize;
    crate::dispatch::rows_into(dst, &dstroi, nthreads, |y, z, out, s| {
        let r = row(src, &all, y, z, &mut s[0]);
        for (o, p) in out.chunks_exact_mut(nd).zip(r.chunks_exact(ns)) {
            let x = if srcchannel < 0 {
                0.2126 * p[0] + 0.7152 * p[1] + 0.0722 * p[2]
            } else {
                p[srcchannel as usize]
            };
            for (i, v) in o.iter_mut().enumerate() {
                *v = interpolate_linear(x, |k| knots[k * nch + c0 + i], nk);
            }
        }
    });
    Ok(())
}

/// OIIO's `interpolate_linear`: knots evenly spaced over [0, 1], clamped.
fn interpolate_linear(x: f32, knot: impl Fn(usize) -> f32, n: usize) -> f32 {
    let x = if x >= 0.0 { x.min(1.0) } else { 0.0 };
    let nsegs = (n - 1) as f32;
    let s = x * nsegs;
    let seg = (s as usize).min(n - 2);
    let f = s - seg as f32;
    let (a, b) = (knot(seg), knot(seg + 1));
    (1.0 - f) * a + f * b
}

/// color_map with one of OIIO's named maps ("magma", "inferno", "plasma",
/// "viridis", "turbo", "blue-red" (and its aliases), "spectrum", "heat").
pub fn color_map_named(
    dst: &mut ImageBuf,
    src: &ImageBuf,
    srcchannel: i32,
    mapname: &str,
    roi: Roi,
    nthreads: i32,
) -> Result {
    if srcchannel >= src.nchannels() {
        return Err(IbaError::Op("invalid source channel selected".into()));
    }
    let key = match mapname {
        "red-blue" | "bluered" | "redblue" => "blue-red",
        other => other,
    };
    let Some((_, knots)) = crate::colormaps::MAPS.iter().find(|(n, _)| *n == key) else {
        return Err(IbaError::Op(format!("Unknown map name \"{mapname}\"")));
    };
    color_map(dst, src, srcchannel, (knots.len() / 3) as i32, 3, knots, roi, nthreads)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::new_image;
    use vfx_core::{ImageSpec, TypeDesc, Wrap};

    fn image(n: i32, px: &[&[f32]]) -> ImageBuf {
        let mut b = ImageBuf::from_spec(&ImageSpec::new(px.len() as i32, 1, n, TypeDesc::FLOAT));
        for (x, p) in px.iter().enumerate() {
            b.setpixel(x as i32, 0, 0, p);
        }
        b
    }

    #[test]
    fn premult_and_unpremult_skip_alpha_0_and_1() {
        let mut a = image(2, &[&[0.5, 0.5], &[0.8, 0.0], &[0.3, 1.0]]);
        a.specmod().alpha_channel = 1;
        let p = new_image("premult", |d| premult(d, &a, Roi::ALL, 0));
        assert_eq!(p.getpixel(0, 0, 0, Wrap::Black), vec![0.25, 0.5]);
        assert_eq!(p.getpixel(1, 0, 0, Wrap::Black), vec![0.0, 0.0]);
        let r = new_image("repremult", |d| repremult(d, &a, Roi::ALL, 0));
        assert_eq!(r.getpixel(1, 0, 0, Wrap::Black), vec![0.8, 0.0]);
        let u = new_image("unpremult", |d| unpremult(d, &p, Roi::ALL, 0));
        assert_eq!(u.getpixel(0, 0, 0, Wrap::Black), vec![0.5, 0.5]);
        assert_eq!(u.spec().get_int_attribute("oiio:UnassociatedAlpha", 0), 1);
    }

    #[test]
    fn over_composites_and_requires_alpha() {
        let mut a = image(2, &[&[0.25, 0.5]]);
        let mut b = image(2, &[&[1.0, 1.0]]);
        a.specmod().alpha_channel = 1;
        b.specmod().alpha_channel = 1;
        let o = new_image("over", |d| over(d, &a, &b, Roi::ALL, 0));
        assert_eq!(o.getpixel(0, 0, 0, Wrap::Black), vec![0.75, 1.0]);
        let no = image(3, &[&[0.0, 0.0, 0.0]]);
        let e = new_image("over", |d| over(d, &no, &no, Roi::ALL, 0));
        assert_eq!(e.geterror(false), "images must have alpha channels");
    }

    #[test]
    fn color_map_interpolates_knots() {
        let a = image(1, &[&[0.0], &[0.25], &[1.0], &[2.0]]);
        let m = new_image("color_map", |d| {
            color_map(d, &a, 0, 3, 1, &[0.0, 1.0, 0.0], Roi::ALL, 0)
        });
        let v: Vec<f32> = (0..4).map(|x| m.getpixel(x, 0, 0, Wrap::Black)[0]).collect();
        assert_eq!(v, vec![0.0, 0.5, 0.0, 0.0]);
        let bad = new_image("color_map", |d| color_map_named(d, &a, 0, "nope", Roi::ALL, 0));
        assert_eq!(bad.geterror(false), "Unknown map name \"nope\"");
    }

    #[test]
    fn fix_non_finite_modes() {
        let a = image(1, &[&[1.0], &[f32::NAN], &[3.0], &[f32::INFINITY]]);
        let mut d = ImageBuf::new();
        assert_eq!(fix_non_finite(&mut d, &a, NonFiniteFix::Box3, Roi::ALL, 0), Ok(2));
        let v: Vec<f32> = (0..4).map(|x| d.getpixel(x, 0, 0, Wrap::Black)[0]).collect();
        assert_eq!(v, vec![1.0, 2.0, 3.0, 3.0]);
        let mut e = ImageBuf::new();
        assert!(fix_non_finite(&mut e, &a, NonFiniteFix::Error, Roi::ALL, 1).is_err());
    }

    #[test]
    fn channel_sum_weights_default_to_one() {
        let a = image(3, &[&[0.5, 0.25, 0.125]]);
        let s = new_image("channel_sum", |d| channel_sum(d, &a, &[], Roi::ALL, 0));
        assert_eq!(s.nchannels(), 1);
        assert_eq!(s.getpixel(0, 0, 0, Wrap::Black), vec![0.875]);
        let s = new_image("channel_sum", |d| channel_sum(d, &a, &[2.0], Roi::ALL, 0));
        assert_eq!(s.getpixel(0, 0, 0, Wrap::Black), vec![1.0]);
    }
}
