//! Pattern generation and drawing (OIIO's imagebufalgo_draw.cpp): zero,
//! fill (constant, vertical and four-corner gradients), checker, noise
//! (uniform, gaussian, blue, salt), the blue-noise table, and points, lines
//! and boxes composited "over" the image.
//!
//! These ops write into `dst` itself (no source image): [`prep`] allocates a
//! float image from the ROI when `dst` is uninitialized. Kernels see each
//! ROI row as floats holding the current values, so ops that add to or
//! composite over the image read what is there. The random numbers are
//! hashes of (x, y, z, channel, seed), so every pixel's value is fixed
//! whatever the thread split, and equals the reference's.

use crate::{prep, IbaError, Prep, Result};
use bytemuck::Zeroable;
use rayon::prelude::*;
use std::sync::OnceLock;
use vfx_core::convert::Pixel;
use vfx_core::{BaseType, ImageBuf, ImageSpec, Roi, TypeDesc};

const NO_INPUTS: Prep = Prep::DEFAULT;

// ---------------------------------------------------------------------------
// Row drivers

/// Run `kernel(y, z, vals)` over every row of `roi` (inside `dst`'s data
/// window and channels), `vals` being the row's ROI channels as floats. With
/// `load`, `vals` holds the current values (else zeros, for kernels that
/// overwrite everything); whatever the kernel leaves is stored back with
/// OIIO's per-value conversion. Float rows covering all channels are worked
/// on in place.
fn rows_rw<F>(dst: &mut ImageBuf, roi: &Roi, nthreads: i32, load: bool, kernel: F)
where
    F: Fn(i32, i32, &mut [f32]) + Sync,
{
    if roi.width() <= 0 || roi.height() <= 0 || roi.depth() <= 0 || roi.nchannels() <= 0 {
        return;
    }
    let spec = dst.spec().clone();
    let nch = spec.nchannels as usize;
    let (sx, sy, sz, h) = (spec.x, spec.y, spec.z, spec.height.max(1) as usize);
    let rnc = roi.nchannels() as usize;
    let c0 = roi.chbegin as usize;
    let x0 = (roi.xbegin - sx) as usize;
    let w = roi.width() as usize;
    let Some(px) = dst.pixels_mut() else { return };
    vfx_core::dispatch_pixel!(spec.format.basetype, T => {
        let vals: &mut [T] = bytemuck::cast_slice_mut(px);
        let line_len = spec.width as usize * nch;
        let direct = T::BASE == BaseType::Float && c0 == 0 && rnc == nch;
        let work = |(idx, line): (usize, &mut [T]), scratch: &mut Vec<f32>| {
            let (y, z) = (sy + (idx % h) as i32, sz + (idx / h) as i32);
            if y < roi.ybegin || y >= roi.yend || z < roi.zbegin || z >= roi.zend {
                return;
            }
            let line = &mut line[x0 * nch..(x0 + w) * nch];
            if direct {
                kernel(y, z, bytemuck::cast_slice_mut(line));
                return;
            }
            scratch.clear();
            scratch.resize(w * rnc, 0.0);
            if load {
                for (p, o) in line.chunks_exact(nch).zip(scratch.chunks_exact_mut(rnc)) {
                    for (o, v) in o.iter_mut().zip(&p[c0..c0 + rnc]) {
                        *o = v.to_f32();
                    }
                }
            }
            kernel(y, z, scratch);
            for (p, o) in line.chunks_exact_mut(nch).zip(scratch.chunks_exact(rnc)) {
                for (d, v) in p[c0..c0 + rnc].iter_mut().zip(o) {
                    *d = T::from_f32_scalar(*v);
                }
            }
        };
        if nthreads == 1 {
            let mut scratch = Vec::new();
            vals.chunks_mut(line_len).enumerate().for_each(|item| work(item, &mut scratch));
        } else {
            vals.par_chunks_mut(line_len).enumerate().for_each_init(Vec::new, |s, item| work(item, s));
        }
    }, _ => {})
}

/// OIIO runs most drawing ops only for float, uint8, half and uint16
/// buffers; any other type is converted to float, worked on, and converted
/// back, so every value of the image makes that round trip (lossy for
/// 32-bit integers and doubles).
fn punt_round_trip(dst: &mut ImageBuf) {
    let base = dst.spec().format.basetype;
    if matches!(
        base,
        BaseType::Float | BaseType::UInt8 | BaseType::Half | BaseType::UInt16
    ) {
        return;
    }
    let Some(px) = dst.pixels_mut() else { return };
    vfx_core::dispatch_pixel!(base, T => {
        let vals: &mut [T] = bytemuck::cast_slice_mut(px);
        vals.par_iter_mut().for_each(|v| *v = T::from_f32(v.to_f32()));
    }, _ => {})
}

/// Run `f(y, z, pixels)` for every row of `roi` (inside `dst`'s data
/// window), `pixels` being the row's ROI pixels (all `nch` channels of
/// each) in `dst`'s own type: for ops that store precomputed values.
fn typed_rows<T: Pixel>(dst: &mut ImageBuf, roi: &Roi, nthreads: i32, f: impl Fn(i32, i32, &mut [T]) + Sync) {
    if roi.width() <= 0 || roi.height() <= 0 || roi.depth() <= 0 || roi.nchannels() <= 0 {
        return;
    }
    let spec = dst.spec();
    let nch = spec.nchannels as usize;
    let (sx, sy, sz, h) = (spec.x, spec.y, spec.z, spec.height.max(1) as usize);
    let line_len = spec.width as usize * nch;
    let x0 = (roi.xbegin - sx) as usize * nch;
    let x1 = x0 + roi.width() as usize * nch;
    let Some(px) = dst.pixels_mut() else { return };
    let vals: &mut [T] = bytemuck::cast_slice_mut(px);
    let work = |(idx, line): (usize, &mut [T])| {
        let (y, z) = (sy + (idx % h) as i32, sz + (idx / h) as i32);
        if y >= roi.ybegin && y < roi.yend && z >= roi.zbegin && z < roi.zend {
            f(y, z, &mut line[x0..x1]);
        }
    };
    if nthreads == 1 {
        vals.chunks_mut(line_len).enumerate().for_each(work);
    } else {
        vals.par_chunks_mut(line_len).enumerate().for_each(work);
    }
}

/// Channel values converted to `T` as OIIO stores a float.
fn to_typed<T: Pixel>(v: &[f32]) -> Vec<T> {
    v.iter().map(|&v| T::from_f32_scalar(v)).collect()
}

/// Set channels `c0..` of every pixel (`nch` values each) to `pixel`.
fn put_pixel<T: Copy>(px: &mut [T], nch: usize, c0: usize, pixel: &[T]) {
    if pixel.len() == nch && !px.is_empty() {
        // Whole pixels: one copy, then doubling copies of what is done.
        px[..nch].copy_from_slice(pixel);
        let mut done = nch;
        while done < px.len() {
            let n = done.min(px.len() - done);
            px.copy_within(0..n, done);
            done += n;
        }
    } else {
        for p in px.chunks_exact_mut(nch) {
            p[c0..c0 + pixel.len()].copy_from_slice(pixel);
        }
    }
}

/// Set channels `c0..` of the pixels to a row of ROI channel values.
fn put_row<T: Copy>(px: &mut [T], nch: usize, c0: usize, rnc: usize, row: &[T]) {
    if rnc == nch {
        px.copy_from_slice(row);
    } else {
        for (p, v) in px.chunks_exact_mut(nch).zip(row.chunks_exact(rnc)) {
            p[c0..c0 + rnc].copy_from_slice(v);
        }
    }
}

/// Set the ROI (its channels) of `dst` to one colour (by ROI channel).
fn fill_pixel(dst: &mut ImageBuf, roi: &Roi, nthreads: i32, pixel: &[f32]) {
    let nch = dst.nchannels() as usize;
    let c0 = roi.chbegin.max(0) as usize;
    vfx_core::dispatch_pixel!(dst.spec().format.basetype, T => {
        let pix = to_typed::<T>(pixel);
        if pixel.len() == nch && pixel.iter().all(|v| v.to_bits() == 0) {
            // Black: every byte 0 (OIIO's zero() memsets too).
            typed_rows::<T>(dst, roi, nthreads, |_, _, px| px.fill(T::zeroed()));
        } else {
            typed_rows::<T>(dst, roi, nthreads, |_, _, px| put_pixel(px, nch, c0, &pix));
        }
    }, _ => {})
}

/// OIIO's `lerp`: `a*(1-t) + b*t`.
#[inline]
fn lerp(a: f32, b: f32, t: f32) -> f32 {
    a * (1.0 - t) + b * t
}

/// OIIO's `bilerp` of four corner values at (s, t).
#[inline]
fn bilerp(v0: f32, v1: f32, v2: f32, v3: f32, s: f32, t: f32) -> f32 {
    let s1 = 1.0 - s;
    (1.0 - t) * (v0 * s1 + v1 * s) + t * (v2 * s1 + v3 * s)
}

// ---------------------------------------------------------------------------
// zero and fill

/// Set the ROI of `dst` to 0 (allocating a float image from the ROI when
/// `dst` is uninitialized).
pub fn zero(dst: &mut ImageBuf, roi: Roi, nthreads: i32) -> Result {
    let roi = prep(roi, dst, &[], None, NO_INPUTS)?;
    fill_pixel(dst, &roi, nthreads, &vec![0.0; roi.nchannels().max(0) as usize]);
    Ok(())
}

/// Fill the ROI with one colour (`values` by absolute channel; missing
/// channels repeat the last value).
pub fn fill(dst: &mut ImageBuf, values: &[f32], roi: Roi, nthreads: i32) -> Result {
    let roi = prep(roi, dst, &[], None, NO_INPUTS)?;
    let v = crate::perchan(values, dst.nchannels() as usize);
    let rnc = roi.nchannels() as usize;
    fill_pixel(
        dst,
        &roi,
        nthreads,
        &v[roi.chbegin as usize..roi.chbegin as usize + rnc],
    );
    Ok(())
}

/// Fill the ROI with a vertical gradient from `top` (first row) to `bottom`
/// (last row).
pub fn fill_tb(dst: &mut ImageBuf, top: &[f32], bottom: &[f32], roi: Roi, nthreads: i32) -> Result {
    let roi = prep(roi, dst, &[], None, NO_INPUTS)?;
    let n = dst.nchannels() as usize;
    let (top, bottom) = (crate::perchan(top, n), crate::perchan(bottom, n));
    let h = (roi.height() - 1).max(1) as f32;
    let (c0, rnc) = (roi.chbegin as usize, roi.nchannels() as usize);
    let nch = dst.nchannels() as usize;
    vfx_core::dispatch_pixel!(dst.spec().format.basetype, T => {
        typed_rows::<T>(dst, &roi, nthreads, |y, _, px| {
            let v = y.wrapping_sub(roi.ybegin) as f32 / h;
            let pix: Vec<T> = (c0..c0 + rnc).map(|c| T::from_f32_scalar(lerp(top[c], bottom[c], v))).collect();
            put_pixel(px, nch, c0, &pix);
        });
    }, _ => {});
    Ok(())
}

/// Fill the ROI with a bilinear gradient between four corner colours.
pub fn fill_corners(
    dst: &mut ImageBuf,
    topleft: &[f32],
    topright: &[f32],
    bottomleft: &[f32],
    bottomright: &[f32],
    roi: Roi,
    nthreads: i32,
) -> Result {
    let roi = prep(roi, dst, &[], None, NO_INPUTS)?;
    let n = dst.nchannels() as usize;
    let [tl, tr, bl, br] = [topleft, topright, bottomleft, bottomright].map(|v| crate::perchan(v, n));
    let w = (roi.width() - 1).max(1) as f32;
    let h = (roi.height() - 1).max(1) as f32;
    let (c0, rnc) = (roi.chbegin as usize, roi.nchannels() as usize);
    let us: Vec<f32> = (0..roi.width()).map(|i| i as f32 / w).collect();
    let corners: Vec<[f32; 4]> = (c0..c0 + rnc).map(|c| [tl[c], tr[c], bl[c], br[c]]).collect();
    rows_rw(dst, &roi, nthreads, false, |y, _, out| {
        let v = y.wrapping_sub(roi.ybegin) as f32 / h;
        for (p, &u) in out.chunks_exact_mut(rnc).zip(&us) {
            for (o, k) in p.iter_mut().zip(&corners) {
                *o = bilerp(k[0], k[1], k[2], k[3], u, v);
            }
        }
    });
    Ok(())
}

// ---------------------------------------------------------------------------
// checker

/// A checkerboard of `size` (x, y, z) cells alternating `color1` (the cell
/// at `offset`) and `color2`.
pub fn checker(
    dst: &mut ImageBuf,
    size: [i32; 3],
    color1: &[f32],
    color2: &[f32],
    offset: [i32; 3],
    roi: Roi,
    nthreads: i32,
) -> Result {
    let roi = prep(roi, dst, &[], None, NO_INPUTS)?;
    if size.contains(&0) {
        // OIIO divides by the cell size unchecked (a crash); refuse instead.
        return Err(IbaError::Op(
            "ImageBufAlgo::checker(): checker width, height and depth must not be 0".into(),
        ));
    }
    let n = dst.nchannels() as usize;
    let (c1, c2) = (crate::perchan(color1, n), crate::perchan(color2, n));
    let (c0, rnc) = (roi.chbegin as usize, roi.nchannels() as usize);
    let (c1, c2) = (&c1[c0..c0 + rnc], &c2[c0..c0 + rnc]);
    // Cell index along one axis: C's truncating division, then one more
    // for coordinates before the offset.
    let tile = |p: i32, axis: usize| -> i32 {
        let d = p.wrapping_sub(offset[axis]);
        d.wrapping_div(size[axis]).wrapping_add((p < offset[axis]) as i32)
    };
    punt_round_trip(dst);
    let nch = dst.nchannels() as usize;
    vfx_core::dispatch_pixel!(dst.spec().format.basetype, T => {
        // A row only depends on the parity of its y and z cells: build the
        // two possible rows once.
        let (t1, t2) = (to_typed::<T>(c1), to_typed::<T>(c2));
        let rows: [Vec<T>; 2] = [0, 1].map(|yz: i32| {
            (roi.xbegin..roi.xend)
                .flat_map(|x| if tile(x, 0).wrapping_add(yz) & 1 != 0 { &t2 } else { &t1 }.iter().copied())
                .collect()
        });
        typed_rows::<T>(dst, &roi, nthreads, |y, z, px| {
            let yz = tile(y, 1).wrapping_add(tile(z, 2)) & 1;
            put_row(px, nch, c0, rnc, &rows[yz as usize]);
        });
    }, _ => {});
    Ok(())
}

// ---------------------------------------------------------------------------
// noise

/// Bob Jenkins' final mix of three 32-bit values (OIIO's `bjhash::bjfinal`).
#[inline]
pub fn bjfinal(mut a: u32, mut b: u32, mut c: u32) -> u32 {
    c ^= b;
    c = c.wrapping_sub(b.rotate_left(14));
    a ^= c;
    a = a.wrapping_sub(c.rotate_left(11));
    b ^= a;
    b = b.wrapping_sub(a.rotate_left(25));
    c ^= b;
    c = c.wrapping_sub(b.rotate_left(16));
    a ^= c;
    a = a.wrapping_sub(c.rotate_left(4));
    b ^= a;
    b = b.wrapping_sub(a.rotate_left(14));
    c ^= b;
    c = c.wrapping_sub(b.rotate_left(24));
    c
}

/// The reference's per-value random number, uniform on [0, 1) in steps of
/// 2^-20: a hash of position, channel and seed.
#[inline]
pub fn hashrand(x: i32, y: i32, z: i32, c: i32, seed: i32) -> f32 {
    const MASK: u32 = 0xfffff;
    let h = bjfinal(bjfinal(x as u32, y as u32, z as u32), c as u32, seed as u32) & MASK;
    h as f32 * (1.0 / (MASK + 1) as f32)
}

/// A normally distributed value from [`hashrand`] pairs (Marsaglia's polar
/// method; rejected pairs move on to the next seed), with the reference's
/// mix of float and double arithmetic (bit-exact with glibc's `logf`).
#[inline]
pub fn hashnormal(x: i32, y: i32, z: i32, c: i32, seed: i32) -> f32 {
    let mut s = seed.wrapping_sub(1);
    let (xr, r2) = loop {
        s = s.wrapping_add(1);
        let xr = (2.0 * hashrand(x, y, z, c, s) as f64 - 1.0) as f32;
        let yr = (2.0 * hashrand(x, y, z, c, s.wrapping_add(139)) as f64 - 1.0) as f32;
        let r2 = xr * xr + yr * yr;
        if !(r2 as f64 > 1.0 || r2 == 0.0) {
            break (xr, r2);
        }
    };
    // The log is taken in float (C++ picks `log(float)`), the rest in double.
    let m = (-2.0 * r2.ln() as f64 / r2 as f64).sqrt() as f32;
    xr * m
}

/// Side of the blue-noise table.
pub const BLUENOISE_RES: usize = 256;

/// OIIO's blue-noise table: `BLUENOISE_RES`^2 pixels of 4 values, rows of x.
pub fn bluenoise_table() -> &'static [[f32; 4]] {
    static TABLE: OnceLock<Vec<[f32; 4]>> = OnceLock::new();
    TABLE.get_or_init(|| {
        // Layout: see tools/gen_bluenoise.py (distinct values, then indices).
        static DATA: &[u8] = include_bytes!("../data/bluenoise.bin");
        let (vals, idx) = DATA.split_at(65536 * 4);
        let vals: Vec<f32> = vals
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        idx.chunks_exact(8)
            .map(|p| {
                let mut px = [0.0; 4];
                for (c, v) in px.iter_mut().enumerate() {
                    *v = vals[u16::from_le_bytes([p[2 * c], p[2 * c + 1]]) as usize];
                }
                px
            })
            .collect()
    })
}

/// The table's 4 values for (x, y, z), channel group `ch` and `seed`: the
/// table repeats every 256 pixels, shifted by a hash for other slices,
/// channel groups and seeds.
#[inline]
fn bluenoise_4chan(table: &[[f32; 4]], mut x: i32, mut y: i32, z: i32, ch: i32, seed: i32) -> &[f32; 4] {
    if (z | (ch & !3) | seed) != 0 {
        x = x.wrapping_add(bjfinal(z as u32, ch as u32, seed as u32) as i32);
        y = y.wrapping_add(bjfinal(z as u32, ch as u32, seed.wrapping_add(83533) as u32) as i32);
    }
    let m = BLUENOISE_RES as i32 - 1;
    &table[(y & m) as usize * BLUENOISE_RES + (x & m) as usize]
}

/// The blue-noise table as a 256x256 image of 4 float channels named X, Y,
/// Z, W (data, not a colour image: no alpha).
pub fn bluenoise_image() -> ImageBuf {
    let res = BLUENOISE_RES as i32;
    let mut spec = ImageSpec::new(res, res, 4, TypeDesc::FLOAT);
    spec.channelnames = ["X", "Y", "Z", "W"].map(String::from).to_vec();
    spec.alpha_channel = -1;
    let mut img = ImageBuf::from_spec(&spec);
    if let Some(px) = img.pixels_mut() {
        let vals: &mut [f32] = bytemuck::cast_slice_mut(px);
        vals.copy_from_slice(bytemuck::cast_slice(bluenoise_table()));
    }
    img
}

/// The kinds of [`noise`].
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum NoiseType {
    /// Uniform on [A, B).
    Uniform,
    /// Normal with mean A and standard deviation B.
    Gaussian,
    /// Blue noise mapped to [A, B).
    Blue,
    /// Values set to A with probability B.
    Salt,
}

impl NoiseType {
    /// The reference's names ("white" and "normal" are synonyms).
    pub fn from_name(name: &str) -> Option<NoiseType> {
        Some(match name {
            "gaussian" | "normal" => NoiseType::Gaussian,
            "white" | "uniform" => NoiseType::Uniform,
            "blue" => NoiseType::Blue,
            "salt" => NoiseType::Salt,
            _ => return None,
        })
    }
}

/// Add noise to the ROI of `dst` (salt replaces values instead). With
/// `mono`, the ROI's first channel's value is used for all channels.
#[allow(clippy::too_many_arguments)]
pub fn noise(
    dst: &mut ImageBuf,
    noisetype: &str,
    a: f32,
    b: f32,
    mono: bool,
    seed: i32,
    roi: Roi,
    nthreads: i32,
) -> Result {
    let roi = prep(roi, dst, &[], None, NO_INPUTS)?;
    let Some(kind) = NoiseType::from_name(noisetype) else {
        return Err(IbaError::Op(format!("unknown noise type \"{noisetype}\"")));
    };
    let (cb, ce) = (roi.chbegin, roi.chend);
    let rnc = roi.nchannels() as usize;
    punt_round_trip(dst);
    let table = if kind == NoiseType::Blue {
        bluenoise_table()
    } else {
        &[]
    };
    rows_rw(dst, &roi, nthreads, true, |y, z, vals| {
        for (i, p) in vals.chunks_exact_mut(rnc).enumerate() {
            let x = roi.xbegin + i as i32;
            let mut n = 0.0f32;
            match kind {
                NoiseType::Uniform => {
                    for (c, v) in (cb..ce).zip(p.iter_mut()) {
                        if c == cb || !mono {
                            n = lerp(a, b, hashrand(x, y, z, c, seed));
                        }
                        *v += n;
                    }
                }
                NoiseType::Gaussian => {
                    for (c, v) in (cb..ce).zip(p.iter_mut()) {
                        if c == cb || !mono {
                            n = a + b * hashnormal(x, y, z, c, seed);
                        }
                        *v += n;
                    }
                }
                NoiseType::Salt => {
                    for (c, v) in (cb..ce).zip(p.iter_mut()) {
                        if c == cb || !mono {
                            n = hashrand(x, y, z, c, seed);
                        }
                        if n < b {
                            *v = a;
                        }
                    }
                }
                NoiseType::Blue => {
                    // The reference looks the table up for the ROI's first
                    // channel group only, and reuses it for every group.
                    let mut bn: Option<&[f32; 4]> = None;
                    for (c, v) in (cb..ce).zip(p.iter_mut()) {
                        if c == cb || !mono {
                            if bn.is_none() || c & 3 == 0 {
                                bn = Some(bluenoise_4chan(table, x, y, z, cb & !3, seed));
                            }
                            n = lerp(a, b, bn.expect("looked up")[(c & 3) as usize]);
                        }
                        *v += n;
                    }
                }
            }
        }
    });
    Ok(())
}

// ---------------------------------------------------------------------------
// points, lines, boxes

/// The opacity a drawing colour carries (the reference's guess): the value
/// for `dst`'s alpha channel if the colour has one, else the value just past
/// the ROI's channels if the colour has exactly one more, else opaque.
fn draw_alpha(dst: &ImageBuf, color: &[f32], roi: &Roi) -> f32 {
    let a = dst.spec().alpha_channel;
    if a >= 0 && (a as usize) < color.len() {
        color[a as usize]
    } else if color.len() as i64 == roi.chend as i64 + 1 {
        color[roi.chend as usize]
    } else {
        1.0
    }
}

/// Composite `color` over the listed pixels of `dst` (channels of `roi`):
/// `color + value * (1 - alpha)`.
fn over_points(dst: &mut ImageBuf, pts: &[(i32, i32, i32)], color: &[f32], alpha: f32, roi: &Roi) {
    let spec = dst.spec().clone();
    let nch = spec.nchannels as usize;
    let idx: Vec<usize> = pts
        .iter()
        .map(|&(x, y, z)| dst.pixelindex(x, y, z, false) as usize * nch)
        .collect();
    let Some(px) = dst.pixels_mut() else { return };
    vfx_core::dispatch_pixel!(spec.format.basetype, T => {
        let vals: &mut [T] = bytemuck::cast_slice_mut(px);
        for base in idx {
            for c in roi.chbegin.max(0) as usize..(roi.chend.max(0) as usize).min(nch) {
                let v = vals[base + c].to_f32();
                vals[base + c] = T::from_f32_scalar(color[c] + v * (1.0 - alpha));
            }
        }
    }, _ => {})
}

/// Composite one point of `color` at (x, y).
pub fn render_point(dst: &mut ImageBuf, x: i32, y: i32, color: &[f32], roi: Roi, nthreads: i32) -> Result {
    let _ = nthreads;
    let roi = prep(roi, dst, &[], None, NO_INPUTS)?;
    let color = crate::perchan(color, dst.nchannels() as usize);
    if x < roi.xbegin || x >= roi.xend || y < roi.ybegin || y >= roi.yend {
        return Ok(());
    }
    let s = dst.spec();
    if 0 < s.z || 0 >= s.z + s.depth.max(1) {
        return Ok(());
    }
    let alpha = draw_alpha(dst, &color, &roi);
    over_points(dst, &[(x, y, 0)], &color, alpha, &roi);
    Ok(())
}

/// The pixels of the line from (x1, y1) to (x2, y2) in Bresenham's order,
/// optionally without the first.
pub fn bresenham(mut x1: i32, mut y1: i32, x2: i32, y2: i32, skip_first: bool) -> Vec<(i32, i32)> {
    let mut pts = Vec::new();
    let dx = (x2 as i64 - x1 as i64).abs();
    let dy = (y2 as i64 - y1 as i64).abs();
    let xinc = if x1 > x2 { -1 } else { 1 };
    let yinc = if y1 > y2 { -1 } else { 1 };
    let mut skip = skip_first;
    // Steps along the major axis; the minor one advances when the error
    // term says so.
    let (major, minor, swap) = if dx >= dy { (dx, dy, false) } else { (dy, dx, true) };
    let dpr = minor << 1;
    let dpru = dpr - (major << 1);
    let mut delta = dpr - major;
    for _ in 0..=major {
        if skip {
            skip = false;
        } else {
            pts.push((x1, y1));
        }
        if swap {
            y1 = y1.wrapping_add(yinc);
        } else {
            x1 = x1.wrapping_add(xinc);
        }
        if delta > 0 {
            if swap {
                x1 = x1.wrapping_add(xinc);
            } else {
                y1 = y1.wrapping_add(yinc);
            }
            delta += dpru;
        } else {
            delta += dpr;
        }
    }
    pts
}

/// Composite a one-pixel line from (x1, y1) to (x2, y2); pixels outside the
/// ROI are skipped.
#[allow(clippy::too_many_arguments)]
pub fn render_line(
    dst: &mut ImageBuf,
    x1: i32,
    y1: i32,
    x2: i32,
    y2: i32,
    color: &[f32],
    skip_first_point: bool,
    roi: Roi,
    nthreads: i32,
) -> Result {
    let _ = nthreads;
    let roi = prep(roi, dst, &[], None, NO_INPUTS)?;
    let color = crate::perchan(color, dst.nchannels() as usize);
    let alpha = draw_alpha(dst, &color, &roi);
    punt_round_trip(dst);
    if roi.zbegin > 0 || roi.zend <= 0 {
        return Ok(());
    }
    let pts: Vec<(i32, i32, i32)> = bresenham(x1, y1, x2, y2, skip_first_point)
        .into_iter()
        .filter(|&(x, y)| x >= roi.xbegin && x < roi.xend && y >= roi.ybegin && y < roi.yend)
        .map(|(x, y)| (x, y, 0))
        .collect();
    over_points(dst, &pts, &color, alpha, &roi);
    Ok(())
}

/// A rectangle with corners (x1, y1) and (x2, y2), inclusive: its outline,
/// or filled (then only when x1 <= x2 and y1 <= y2, as the reference).
#[allow(clippy::too_many_arguments)]
pub fn render_box(
    dst: &mut ImageBuf,
    x1: i32,
    y1: i32,
    x2: i32,
    y2: i32,
    color: &[f32],
    fill: bool,
    roi: Roi,
    nthreads: i32,
) -> Result {
    let roi = prep(roi, dst, &[], None, NO_INPUTS)?;
    let color = crate::perchan(color, dst.nchannels() as usize);
    if x1 == x2 && y1 == y2 {
        return render_point(dst, x1, y1, &color, roi, nthreads);
    }
    if fill {
        let boxroi = Roi::new(x1, x2.wrapping_add(1), y1, y2.wrapping_add(1), 0, 1, 0, roi.chend);
        let roi = roi.intersection(&boxroi);
        let alpha = draw_alpha(dst, &color, &roi);
        punt_round_trip(dst);
        let (c0, rnc) = (roi.chbegin.max(0) as usize, roi.nchannels().max(0) as usize);
        let col = &color[c0..c0 + rnc];
        if alpha == 1.0 {
            fill_pixel(dst, &roi, nthreads, col);
        } else {
            rows_rw(dst, &roi, nthreads, true, |_, _, vals| {
                for p in vals.chunks_exact_mut(rnc) {
                    for (v, k) in p.iter_mut().zip(col) {
                        *v = k + *v * (1.0 - alpha);
                    }
                }
            });
        }
        return Ok(());
    }
    for (a, b, c, d) in [(x1, y1, x2, y1), (x2, y1, x2, y2), (x2, y2, x1, y2), (x1, y2, x1, y1)] {
        render_line(dst, a, b, c, d, &color, true, roi, nthreads)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rgba(w: i32, h: i32, fmt: TypeDesc) -> ImageBuf {
        ImageBuf::from_spec(&ImageSpec::new(w, h, 4, fmt))
    }

    #[test]
    fn bjfinal_mixes_like_lookup3() {
        // lookup3's final() of (0, 0, 0) and of the default third argument.
        assert_eq!(bjfinal(0, 0, 0), 0);
        assert_ne!(bjfinal(1, 2, 3), bjfinal(1, 2, 4));
        let r = hashrand(3, 5, 0, 1, 7);
        assert!((0.0..1.0).contains(&r));
        assert_eq!(r * 1048576.0, (r * 1048576.0).floor());
    }

    #[test]
    fn bluenoise_table_loads() {
        let t = bluenoise_table();
        assert_eq!(t.len(), BLUENOISE_RES * BLUENOISE_RES);
        assert!(t.iter().flatten().all(|v| (0.0..=1.0).contains(v)));
        let img = bluenoise_image();
        assert_eq!(img.spec().channelnames, vec!["X", "Y", "Z", "W"]);
    }

    #[test]
    fn bresenham_covers_endpoints() {
        assert_eq!(bresenham(0, 0, 3, 1, false), vec![(0, 0), (1, 0), (2, 1), (3, 1)]);
        assert_eq!(bresenham(2, 2, 2, 0, true), vec![(2, 1), (2, 0)]);
    }

    #[test]
    fn fill_checker_and_box() {
        let mut img = rgba(4, 4, TypeDesc::UINT8);
        fill(&mut img, &[1.0, 0.5], Roi::ALL, 0).unwrap();
        assert_eq!(
            img.getpixel(3, 3, 0, vfx_core::imagebuf::Wrap::Black),
            vec![1.0, 128.0 / 255.0, 128.0 / 255.0, 128.0 / 255.0]
        );
        checker(&mut img, [2, 2, 1], &[0.0], &[1.0], [0, 0, 0], Roi::ALL, 1).unwrap();
        assert_eq!(img.getpixel(0, 0, 0, vfx_core::imagebuf::Wrap::Black)[0], 0.0);
        assert_eq!(img.getpixel(2, 0, 0, vfx_core::imagebuf::Wrap::Black)[0], 1.0);
        assert!(checker(&mut img, [0, 2, 1], &[0.0], &[1.0], [0, 0, 0], Roi::ALL, 1).is_err());
        render_box(&mut img, 1, 1, 2, 2, &[0.2, 0.2, 0.2, 1.0], true, Roi::ALL, 0).unwrap();
        assert_eq!(
            (img.getpixel(1, 2, 0, vfx_core::imagebuf::Wrap::Black)[0] * 255.0).round(),
            51.0
        );
        let mut none = ImageBuf::new();
        assert_eq!(zero(&mut none, Roi::ALL, 0), Err(IbaError::NoRoi));
    }

    #[test]
    fn noise_is_deterministic_and_checks_type() {
        let mut a = rgba(8, 3, TypeDesc::FLOAT);
        let mut b = rgba(8, 3, TypeDesc::FLOAT);
        noise(&mut a, "gaussian", 0.5, 0.1, false, 3, Roi::ALL, 1).unwrap();
        noise(&mut b, "gaussian", 0.5, 0.1, false, 3, Roi::ALL, 0).unwrap();
        assert_eq!(a.pixels(), b.pixels());
        let err = noise(&mut a, "pink", 0.0, 1.0, false, 0, Roi::ALL, 0).unwrap_err();
        assert_eq!(err.to_string(), "unknown noise type \"pink\"");
    }
}
