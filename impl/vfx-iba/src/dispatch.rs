//! Pixel-type dispatch and parallel row iteration for every op.
//!
//! Kernels see rows of `f32` values (the ROI's width x its channels), as
//! OIIO's iterators present pixels as floats whatever the storage type.
//! Loading a row converts from the source's type (pixels outside its data
//! window or channels it lacks read as 0); storing converts to the
//! destination's type with OIIO's per-value rounding and clamping. Float
//! rows are borrowed in place, so float images are processed without copies.

use rayon::prelude::*;
use vfx_core::convert::Pixel;
use vfx_core::{ImageBuf, Roi};

/// Per-thread buffers kernels load source rows into.
pub type Scratch = [Vec<f32>; 4];

/// Values per row of `roi`.
pub fn row_len(roi: &Roi) -> usize {
    roi.width().max(0) as usize * roi.nchannels().max(0) as usize
}

/// Row (y, z) of `roi` in `buf` as floats: borrowed from `buf` when it is
/// float, holds exactly the ROI's channels and covers the row; otherwise
/// converted into `scratch`.
pub fn row<'a>(buf: &'a ImageBuf, roi: &Roi, y: i32, z: i32, scratch: &'a mut Vec<f32>) -> &'a [f32] {
    let s = buf.spec();
    let nch = s.nchannels;
    let inside_y = y >= s.y && y < s.y + s.height && z >= s.z && z < s.z + s.depth.max(1);
    if inside_y
        && s.format == vfx_core::TypeDesc::FLOAT
        && roi.chbegin == 0
        && roi.chend == nch
        && roi.xbegin >= s.x
        && roi.xend <= s.x + s.width
    {
        if let Some(px) = buf.pixels() {
            let all: &[f32] = bytemuck::cast_slice(px);
            let start = buf.pixelindex(roi.xbegin, y, z, false) as usize * nch as usize;
            return &all[start..start + row_len(roi)];
        }
    }
    load_row(buf, roi, y, z, scratch);
    scratch
}

/// Convert row (y, z) of `roi` in `buf` into `out` (resized to the row).
pub fn load_row(buf: &ImageBuf, roi: &Roi, y: i32, z: i32, out: &mut Vec<f32>) {
    out.clear();
    out.resize(row_len(roi), 0.0);
    let s = buf.spec();
    let (Some(px), true) = (
        buf.pixels(),
        y >= s.y && y < s.y + s.height && z >= s.z && z < s.z + s.depth.max(1),
    ) else {
        return;
    };
    let (x0, x1) = (roi.xbegin.max(s.x), roi.xend.min(s.x + s.width));
    let (c0, c1) = (roi.chbegin.max(0), roi.chend.min(s.nchannels));
    if x0 >= x1 {
        return;
    }
    if roi.chend > s.nchannels {
        overread(buf, roi, y, z, x0, x1, out);
    }
    if c0 >= c1 {
        return;
    }
    let nch = s.nchannels as usize;
    let rnc = roi.nchannels() as usize;
    let first = buf.pixelindex(x0, y, z, false) as usize;
    let npix = (x1 - x0) as usize;
    let out_off = (x0 - roi.xbegin) as usize * rnc;
    let skip = (c0 - roi.chbegin) as usize;
    vfx_core::dispatch_pixel!(s.format.basetype, T => {
        let vals: &[T] = bytemuck::cast_slice(px);
        let src = &vals[first * nch..(first + npix) * nch];
        gather::<T>(src, nch, c0 as usize, c1 as usize, &mut out[out_off..], rnc, skip);
    }, _ => {})
}

/// Channels past the image's own: OIIO's iterators do not check the channel
/// index, so channel `c` of a pixel reads the value `c` places after the
/// pixel's first, i.e. the following pixel's channels. Results that depend
/// on this (ops mixing images of different channel counts) match the
/// reference; past the end of the buffer, where OIIO reads whatever memory
/// follows, we read 0.
#[allow(clippy::too_many_arguments)]
fn overread(buf: &ImageBuf, roi: &Roi, y: i32, z: i32, x0: i32, x1: i32, out: &mut [f32]) {
    let s = buf.spec();
    let Some(px) = buf.pixels() else { return };
    let nch = s.nchannels as usize;
    let rnc = roi.nchannels() as usize;
    let total = px.len() / s.format.size();
    let cfrom = roi.chbegin.max(s.nchannels) as usize;
    vfx_core::dispatch_pixel!(s.format.basetype, T => {
        let vals: &[T] = bytemuck::cast_slice(px);
        for x in x0..x1 {
            let base = buf.pixelindex(x, y, z, false) as usize * nch;
            let o = (x - roi.xbegin) as usize * rnc;
            for c in cfrom..roi.chend as usize {
                if let Some(v) = vals.get(base + c).filter(|_| base + c < total) {
                    out[o + c - roi.chbegin as usize] = v.to_f32();
                }
            }
        }
    }, _ => {})
}

fn gather<T: Pixel>(src: &[T], nch: usize, c0: usize, c1: usize, out: &mut [f32], rnc: usize, skip: usize) {
    if c0 == 0 && c1 == nch && rnc == nch {
        for (o, v) in out.iter_mut().zip(src) {
            *o = v.to_f32();
        }
        return;
    }
    for (p, o) in src.chunks_exact(nch).zip(out.chunks_mut(rnc)) {
        for (c, v) in p[c0..c1].iter().enumerate() {
            o[skip + c] = v.to_f32();
        }
    }
}

/// Store `vals` (a row of `roi`: width x channels) into one scanline of a
/// buffer of type `T` with `nch` channels whose data window starts at `x`.
fn scatter<T: Pixel>(line: &mut [T], nch: usize, x: i32, roi: &Roi, vals: &[f32]) {
    let rnc = roi.nchannels() as usize;
    let start = (roi.xbegin - x) as usize * nch;
    let line = &mut line[start..start + roi.width() as usize * nch];
    if roi.chbegin == 0 && rnc == nch {
        for (d, v) in line.iter_mut().zip(vals) {
            *d = T::from_f32_scalar(*v);
        }
        return;
    }
    let c0 = roi.chbegin as usize;
    for (p, v) in line.chunks_exact_mut(nch).zip(vals.chunks_exact(rnc)) {
        for (d, s) in p[c0..c0 + rnc].iter_mut().zip(v) {
            *d = T::from_f32_scalar(*s);
        }
    }
}

/// Run `kernel(y, z, out, scratch)` for every row of `roi` (which must lie
/// inside `dst`'s data window and channels), then store `out` into `dst`.
/// Rows run in parallel unless `nthreads == 1`. Float destinations covering
/// all channels get `out` pointing straight at their pixels.
pub fn rows_into<F>(dst: &mut ImageBuf, roi: &Roi, nthreads: i32, kernel: F)
where
    F: Fn(i32, i32, &mut [f32], &mut Scratch) + Sync,
{
    if roi.width() <= 0 || roi.height() <= 0 || roi.depth() <= 0 || roi.nchannels() <= 0 {
        return;
    }
    let spec = dst.spec().clone();
    let nch = spec.nchannels as usize;
    let (sx, sy, sz, h) = (spec.x, spec.y, spec.z, spec.height.max(1) as usize);
    let Some(px) = dst.pixels_mut() else { return };
    vfx_core::dispatch_pixel!(spec.format.basetype, T => {
        let vals: &mut [T] = bytemuck::cast_slice_mut(px);
        let line_len = spec.width as usize * nch;
        let direct = T::BASE == vfx_core::BaseType::Float && roi.chbegin == 0 && roi.chend as usize == nch;
        let work = |(idx, line): (usize, &mut [T]), scratch: &mut (Scratch, Vec<f32>)| {
            let (y, z) = (sy + (idx % h) as i32, sz + (idx / h) as i32);
            if y < roi.ybegin || y >= roi.yend || z < roi.zbegin || z >= roi.zend {
                return;
            }
            if direct {
                let start = (roi.xbegin - sx) as usize * nch;
                let out: &mut [f32] = bytemuck::cast_slice_mut(&mut line[start..start + row_len(roi)]);
                kernel(y, z, out, &mut scratch.0);
            } else {
                let (bufs, out) = scratch;
                out.clear();
                out.resize(row_len(roi), 0.0);
                kernel(y, z, out, bufs);
                scatter::<T>(line, nch, sx, roi, out);
            }
        };
        if nthreads == 1 {
            let mut scratch = Default::default();
            vals.chunks_mut(line_len).enumerate().for_each(|item| work(item, &mut scratch));
        } else {
            vals.par_chunks_mut(line_len).enumerate().for_each_init(Default::default, |s, item| work(item, s));
        }
    }, _ => {})
}

/// Run `f(y, z)` for every row of `roi`, in parallel unless `nthreads == 1`,
/// folding per-row results with `combine` (for statistics and comparisons).
pub fn rows_fold<R, F, C>(roi: &Roi, nthreads: i32, init: R, f: F, combine: C) -> R
where
    R: Clone + Send + Sync,
    F: Fn(i32, i32, &mut R, &mut Scratch) + Sync,
    C: Fn(R, R) -> R + Sync,
{
    let h = roi.height().max(0) as usize;
    let n = h * roi.depth().max(0) as usize;
    let yz = |i: usize| (roi.ybegin + (i % h) as i32, roi.zbegin + (i / h) as i32);
    if nthreads == 1 {
        let mut acc = init;
        let mut scratch = Scratch::default();
        for i in 0..n {
            let (y, z) = yz(i);
            f(y, z, &mut acc, &mut scratch);
        }
        return acc;
    }
    (0..n)
        .into_par_iter()
        .fold(
            || (init.clone(), Scratch::default()),
            |(mut acc, mut scratch), i| {
                let (y, z) = yz(i);
                f(y, z, &mut acc, &mut scratch);
                (acc, scratch)
            },
        )
        .map(|(acc, _)| acc)
        .reduce(|| init.clone(), &combine)
}
