//! Convolution (the first part of OIIO's `imagebufalgo.cpp`): make_kernel,
//! convolve, unsharp_mask and laplacian.
//!
//! `convolve` reads source pixels outside the data window as OIIO's
//! "clamp" wrap does: the coordinates are clamped to the display window,
//! and the pixel there is used if it lies in the data window (else black).
//! When the data window lies within the display window (the usual case)
//! that rule works per axis, so each source row is expanded once into a
//! padded row holding the kernel's reach on both sides, and every kernel
//! row becomes a run of multiply-adds over contiguous floats. Kernels that
//! are the outer product of a row and a column (every separable filter
//! from `make_kernel`) run as a horizontal pass into a float buffer and a
//! vertical pass from it; other kernels accumulate their taps in OIIO's
//! order (kernel raster order), so their results are OIIO's exactly.

use crate::dispatch::{rows_into, Scratch};
use crate::morphology::median_filter;
use crate::{orient, prep, IbaError, Prep, Result};
use rayon::prelude::*;
use std::borrow::Cow;
use vfx_core::{ImageBuf, ImageSpec, Roi, TypeDesc};

/// C's float-to-int conversion as the reference's x86 build does it:
/// truncation, and `INT_MIN` for NaN and values out of range.
pub(crate) fn c_int(v: f32) -> i32 {
    if !(-2_147_483_648.0..2_147_483_648.0).contains(&v) {
        i32::MIN
    } else {
        v as i32
    }
}

/// A float as the `{fmt}` library prints it with `{}` (shortest digits,
/// exponent form outside 1e-4..1e16).
fn fmt_float(v: f32) -> String {
    let a = v.abs();
    if v == 0.0 || !v.is_finite() || (1e-4..1e16).contains(&a) {
        return format!("{v}");
    }
    let s = format!("{v:e}");
    match s.split_once('e') {
        Some((m, e)) => {
            let (sign, digits) = e.strip_prefix('-').map_or(("+", e), |d| ("-", d));
            format!("{m}e{sign}{digits:0>2}")
        }
        None => s,
    }
}

/// Kernels larger than this many values are refused (OIIO would try to
/// allocate them).
const MAX_KERNEL_VALUES: i64 = 1 << 28;

/// `n` choose `k` computed as OIIO's binomial kernel does (float steps).
fn binomial(n: i32, k: i32) -> f32 {
    let mut p = 1.0f32;
    for i in 1..=k {
        p *= (n - (k - i)) as f32 / i as f32;
    }
    p
}

/// One axis of binomial weights: entry `i` for every `i < width` (as OIIO
/// fills them), `len` entries in all (missing ones 0).
fn binomial_axis(width: f32, len: usize) -> Vec<f32> {
    let n = c_int(width - 1.0);
    (0..len)
        .map(|i| if (i as f32) < width { binomial(n, i as i32) } else { 0.0 })
        .collect()
}

/// OIIO's `make_kernel`: a 1-channel float image of odd size centred on
/// the origin holding a named filter (see `filter_list`), a "binomial"
/// kernel, or the 3x3 "laplacian"; an unknown name gives a box kernel
/// carrying an error. A width or height of 0 means the filter's own.
pub fn make_kernel(name: &str, width: f32, height: f32, depth: f32, normalize: bool) -> ImageBuf {
    let filter = crate::filters::Filter2D::create(name, width, height);
    let (mut width, mut height) = (width, height);
    let (dw, dh) = filter.map_or((4.0, 4.0), |f| (f.width(), f.height()));
    if width == 0.0 {
        width = dw;
    }
    if height == 0.0 {
        height = dh;
    }
    let size = |v: f32| c_int(v.ceil()).max(1) | 1;
    let (w, h, d) = (size(width), size(height), size(depth));
    let mut kernel = ImageBuf::new();
    if w as i64 * h as i64 * d as i64 > MAX_KERNEL_VALUES {
        kernel.error(&format!("make_kernel: a {w}x{h}x{d} kernel is too large"));
        return kernel;
    }
    let mut spec = ImageSpec::new(w, h, 1, TypeDesc::FLOAT);
    spec.depth = d;
    spec.x = -w / 2;
    spec.y = -h / 2;
    spec.z = -d / 2;
    spec.full_x = spec.x;
    spec.full_y = spec.y;
    spec.full_z = spec.z;
    spec.full_width = w;
    spec.full_height = h;
    spec.full_depth = d;
    let (wu, hu, du) = (w as usize, h as usize, d as usize);
    let mut vals = vec![0f32; wu * hu * du];
    let mut normalize = normalize;
    let mut error = None;
    if let Some(f) = filter {
        for (i, v) in vals.iter_mut().enumerate() {
            let (x, y) = ((i % wu) as i32 + spec.x, ((i / wu) % hu) as i32 + spec.y);
            *v = f.eval(x as f32, y as f32);
        }
    } else if name == "binomial" {
        let wf = binomial_axis(width, wu);
        let hf = if height == width {
            wf.clone()
        } else {
            binomial_axis(height, hu)
        };
        let df = if depth == 1.0 {
            vec![1.0]
        } else {
            binomial_axis(depth, du)
        };
        let at = |v: &[f32], i: usize| v.get(i).copied().unwrap_or(0.0);
        for (i, v) in vals.iter_mut().enumerate() {
            *v = at(&wf, i % wu) * at(&hf, (i / wu) % hu) * at(&df, i / (wu * hu));
        }
    } else if name.eq_ignore_ascii_case("laplacian") && (w, h, d) == (3, 3, 1) {
        vals.copy_from_slice(&[0.0, 1.0, 0.0, 1.0, -4.0, 1.0, 0.0, 1.0, 0.0]);
        normalize = false;
    } else {
        let v = if normalize { 1.0 / (w * h * d) as f32 } else { 1.0 };
        vals.fill(v);
        normalize = false;
        error = Some(format!(
            "Unknown kernel \"{name}\" {}x{}",
            fmt_float(width),
            fmt_float(height)
        ));
    }
    if normalize {
        let sum: f32 = vals.iter().fold(0.0, |a, v| a + v);
        if sum != 0.0 {
            for v in &mut vals {
                *v /= sum;
            }
        }
    }
    kernel.reset(&spec);
    if let Some(px) = kernel.pixels_mut() {
        bytemuck::cast_slice_mut::<u8, f32>(px).copy_from_slice(&vals);
    }
    if let Some(e) = error {
        kernel.error(&e);
    }
    kernel
}

/// A kernel's first channel as floats, in raster order, with its origin.
pub(crate) struct Kernel {
    pub w: usize,
    pub h: usize,
    pub d: usize,
    pub x0: i64,
    pub y0: i64,
    pub z0: i64,
    pub vals: Vec<f32>,
}

impl Kernel {
    fn from_image(k: &ImageBuf) -> Kernel {
        let s = k.spec();
        let (w, h, d) = (
            s.width.max(0) as usize,
            s.height.max(0) as usize,
            s.depth.max(1) as usize,
        );
        let plane = Plane::new(k);
        let nch = plane.nch;
        let vals = (0..w * h * d)
            .map(|i| plane.px.get(i * nch).copied().unwrap_or(0.0))
            .collect();
        Kernel {
            w,
            h,
            d,
            x0: s.x as i64,
            y0: s.y as i64,
            z0: s.z as i64,
            vals,
        }
    }

    /// `(row, column)` whose outer product is the kernel (within float
    /// rounding), for 2-D kernels at least 2 wide and tall.
    fn factor(&self) -> Option<(Vec<f32>, Vec<f32>)> {
        let (w, h) = (self.w, self.h);
        if self.d != 1 || w < 2 || h < 2 || self.vals.iter().any(|v| !v.is_finite()) {
            return None;
        }
        let (pivot, big) =
            self.vals.iter().enumerate().fold(
                (0, 0.0f32),
                |(bi, bv), (i, v)| if v.abs() > bv { (i, v.abs()) } else { (bi, bv) },
            );
        if big == 0.0 {
            return None;
        }
        let (px, py) = (pivot % w, pivot / w);
        let row = self.vals[py * w..py * w + w].to_vec();
        let p = self.vals[pivot];
        let col: Vec<f32> = (0..h).map(|y| self.vals[y * w + px] / p).collect();
        let tol = big * 1e-6;
        let exact = (0..h).all(|y| (0..w).all(|x| (self.vals[y * w + x] - col[y] * row[x]).abs() <= tol));
        exact.then_some((row, col))
    }
}

/// One axis of a source image: its data window `[d0, d1)` and display
/// window `[f0, f1)`, for OIIO's clamp lookups.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Axis {
    pub d0: i64,
    pub d1: i64,
    f0: i64,
    f1: i64,
}

impl Axis {
    fn new(d0: i32, dn: i32, f0: i32, fnn: i32) -> Axis {
        Axis {
            d0: d0 as i64,
            d1: d0 as i64 + dn.max(0) as i64,
            f0: f0 as i64,
            f1: f0 as i64 + fnn as i64,
        }
    }
    #[inline]
    pub fn inside(&self, c: i64) -> bool {
        c >= self.d0 && c < self.d1
    }
    /// OIIO's `clamp(c, f0, f1 - 1)`.
    #[inline]
    fn clamp(&self, c: i64) -> i64 {
        let v = if c < self.f0 { self.f0 } else { c };
        v.min(self.f1 - 1)
    }
    /// Whether clamping leaves data-window coordinates alone, so that a
    /// lookup factors into one [`map`](Self::map) per axis.
    fn nested(&self) -> bool {
        self.d0 >= self.f0 && self.d1 <= self.f1
    }
    /// Where coordinate `c` reads from (when [`nested`](Self::nested)).
    #[inline]
    fn map(&self, c: i64) -> Option<i64> {
        if self.inside(c) {
            Some(c)
        } else {
            Some(self.clamp(c)).filter(|v| self.inside(*v))
        }
    }
}

/// An image's pixels as floats (borrowed when they already are), all
/// channels, over its data window.
pub(crate) struct Plane<'a> {
    pub px: Cow<'a, [f32]>,
    pub nch: usize,
    pub ax: Axis,
    pub ay: Axis,
    pub az: Axis,
}

impl<'a> Plane<'a> {
    pub fn new(buf: &'a ImageBuf) -> Plane<'a> {
        let s = buf.spec();
        let nch = s.nchannels.max(0) as usize;
        let ax = Axis::new(s.x, s.width, s.full_x, s.full_width);
        let ay = Axis::new(s.y, s.height, s.full_y, s.full_height);
        let az = Axis::new(s.z, s.depth.max(1), s.full_z, s.full_depth);
        let px = match (s.format == TypeDesc::FLOAT, buf.pixels()) {
            (true, Some(px)) => Cow::Borrowed(bytemuck::cast_slice(px)),
            _ => {
                let roi = buf.roi();
                let n = crate::dispatch::row_len(&roi);
                let h = s.height.max(0) as usize;
                let mut v = vec![0f32; n * h * s.depth.max(1) as usize];
                if n > 0 {
                    v.par_chunks_mut(n)
                        .enumerate()
                        .for_each_init(Vec::new, |tmp, (i, out)| {
                            let (y, z) = (s.y + (i % h) as i32, s.z + (i / h) as i32);
                            crate::dispatch::load_row(buf, &roi, y, z, tmp);
                            out.copy_from_slice(tmp);
                        });
                }
                Cow::Owned(v)
            }
        };
        Plane { px, nch, ax, ay, az }
    }

    fn width(&self) -> usize {
        (self.ax.d1 - self.ax.d0) as usize
    }

    /// Row (y, z) of the data window (both inside it).
    #[inline]
    pub fn row(&self, y: i64, z: i64) -> &[f32] {
        let h = (self.ay.d1 - self.ay.d0) as usize;
        let n = self.width() * self.nch;
        let i = (z - self.az.d0) as usize * h + (y - self.ay.d0) as usize;
        &self.px[i * n..(i + 1) * n]
    }

    /// Pixel (x, y, z) as OIIO's clamp-wrap iterator sees it.
    fn clamped(&self, x: i64, y: i64, z: i64) -> Option<&[f32]> {
        let inside = |x, y, z| self.ax.inside(x) && self.ay.inside(y) && self.az.inside(z);
        let (x, y, z) = if inside(x, y, z) {
            (x, y, z)
        } else {
            let c = (self.ax.clamp(x), self.ay.clamp(y), self.az.clamp(z));
            if !inside(c.0, c.1, c.2) {
                return None;
            }
            c
        };
        let r = self.row(y, z);
        let o = (x - self.ax.d0) as usize * self.nch;
        Some(&r[o..o + self.nch])
    }

    /// Whether every clamp lookup factors into per-axis mappings.
    fn nested(&self) -> bool {
        self.ax.nested() && self.ay.nested() && self.az.nested()
    }
}

/// Copy runs that expand a source row into a padded row: for each
/// position `i` of the padded row (x = `start + i`), the source column it
/// reads (per [`Axis::map`]), grouped into runs of consecutive columns.
struct Pad {
    /// (padded position, source column, length) in pixels.
    runs: Vec<(usize, usize, usize)>,
    len: usize,
}

impl Pad {
    fn new(ax: &Axis, start: i64, len: usize) -> Pad {
        let mut runs: Vec<(usize, usize, usize)> = Vec::new();
        for i in 0..len {
            let Some(m) = ax.map(start + i as i64) else { continue };
            let sx = (m - ax.d0) as usize;
            match runs.last_mut() {
                Some((p, s, n)) if *p + *n == i && *s + *n == sx => *n += 1,
                _ => runs.push((i, sx, 1)),
            }
        }
        Pad { runs, len }
    }

    /// Expand `src` (a source row, `nch` values per pixel) into `out`,
    /// keeping channels `c0..c0 + nc`; positions reading black are 0.
    fn fill(&self, src: &[f32], nch: usize, c0: usize, nc: usize, out: &mut Vec<f32>) {
        out.clear();
        out.resize(self.len * nc, 0.0);
        for &(p, s, n) in &self.runs {
            if c0 == 0 && nc == nch {
                out[p * nc..(p + n) * nc].copy_from_slice(&src[s * nch..(s + n) * nch]);
            } else {
                for k in 0..n {
                    let o = (p + k) * nc;
                    let i = (s + k) * nch + c0;
                    out[o..o + nc].copy_from_slice(&src[i..i + nc]);
                }
            }
        }
    }
}

/// `out += w * src`, element by element.
#[inline]
fn axpy(out: &mut [f32], w: f32, src: &[f32]) {
    for (o, s) in out.iter_mut().zip(src) {
        *o += w * s;
    }
}

/// Run `f(index, chunk, scratch)` over `chunk`-sized pieces of `data`, in
/// parallel unless `nthreads == 1`.
pub(crate) fn par_chunks<F>(data: &mut [f32], chunk: usize, nthreads: i32, f: F)
where
    F: Fn(usize, &mut [f32], &mut Scratch) + Sync,
{
    if chunk == 0 {
        return;
    }
    if nthreads == 1 {
        let mut s = Scratch::default();
        data.chunks_mut(chunk).enumerate().for_each(|(i, c)| f(i, c, &mut s));
    } else {
        data.par_chunks_mut(chunk)
            .enumerate()
            .for_each_init(Scratch::default, |s, (i, c)| f(i, c, s));
    }
}

/// OIIO's `convolve`: each pixel of `dst` in the ROI is the sum of the
/// source pixels under the kernel (centred at the kernel's origin) weighted
/// by the kernel's first channel, divided by the kernel's sum when
/// `normalize`.
pub fn convolve(
    dst: &mut ImageBuf,
    src: &ImageBuf,
    kernel: &ImageBuf,
    normalize: bool,
    roi: Roi,
    nthreads: i32,
) -> Result {
    let flags = Prep {
        require_same_nchannels: true,
        ..Prep::DEFAULT
    };
    let roi = prep(roi, dst, &[src], None, flags)?;
    if !kernel.initialized() || kernel.spec().deep {
        // (OIIO crashes on an empty kernel.)
        return Err(IbaError::UninitializedInput);
    }
    let k = Kernel::from_image(kernel);
    convolve_with(dst, src, &k, normalize, roi, nthreads);
    Ok(())
}

fn convolve_with(dst: &mut ImageBuf, src: &ImageBuf, k: &Kernel, normalize: bool, roi: Roi, nthreads: i32) {
    if roi.width() <= 0 || roi.height() <= 0 || roi.depth() <= 0 || roi.nchannels() <= 0 {
        return;
    }
    let scale = if normalize {
        1.0 / k.vals.iter().fold(0.0f32, |a, v| a + v)
    } else {
        1.0
    };
    let plane = Plane::new(src);
    if !plane.nested() {
        return convolve_pixels(dst, &plane, k, scale, roi, nthreads);
    }
    let (c0, nc) = (roi.chbegin as usize, roi.nchannels() as usize);
    let wn = roi.width() as usize * nc;
    let pad = Pad::new(&plane.ax, roi.xbegin as i64 + k.x0, roi.width() as usize + k.w - 1);
    let flat = plane.az.d1 - plane.az.d0 == 1 && k.d == 1 && roi.zbegin == plane.az.d0 as i32 && roi.depth() == 1;
    if let (true, Some((krow, kcol))) = (flat, k.factor()) {
        // Horizontal pass over every source row the vertical pass reads.
        let z = plane.az.d0;
        let (y0, y1) = (roi.ybegin as i64 + k.y0, roi.yend as i64 - 1 + k.y0 + k.h as i64 - 1);
        let mapped = (y0..=y1).filter_map(|y| plane.ay.map(y));
        let (lo, hi) = mapped.fold((i64::MAX, i64::MIN), |(a, b), m| (a.min(m), b.max(m)));
        if lo > hi {
            return rows_into(dst, &roi, nthreads, |_, _, out, _| out.fill(0.0));
        }
        let mut tmp = vec![0f32; (hi - lo + 1) as usize * wn];
        par_chunks(&mut tmp, wn, nthreads, |i, out, s| {
            pad.fill(plane.row(lo + i as i64, z), plane.nch, c0, nc, &mut s[0]);
            for (kx, w) in krow.iter().enumerate() {
                axpy(out, *w, &s[0][kx * nc..kx * nc + wn]);
            }
        });
        rows_into(dst, &roi, nthreads, |y, _, out, _| {
            out.fill(0.0);
            for (ky, w) in kcol.iter().enumerate() {
                if let Some(sy) = plane.ay.map(y as i64 + k.y0 + ky as i64) {
                    let i = (sy - lo) as usize * wn;
                    axpy(out, *w, &tmp[i..i + wn]);
                }
            }
            for v in out.iter_mut() {
                *v *= scale;
            }
        });
        return;
    }
    rows_into(dst, &roi, nthreads, |y, z, out, s| {
        out.fill(0.0);
        for kz in 0..k.d {
            let Some(sz) = plane.az.map(z as i64 + k.z0 + kz as i64) else {
                continue;
            };
            for ky in 0..k.h {
                let Some(sy) = plane.ay.map(y as i64 + k.y0 + ky as i64) else {
                    continue;
                };
                pad.fill(plane.row(sy, sz), plane.nch, c0, nc, &mut s[0]);
                let taps = &k.vals[(kz * k.h + ky) * k.w..][..k.w];
                for (kx, w) in taps.iter().enumerate() {
                    axpy(out, *w, &s[0][kx * nc..kx * nc + wn]);
                }
            }
        }
        for v in out.iter_mut() {
            *v *= scale;
        }
    });
}

/// The general case (a data window reaching outside the display window):
/// every tap looked up on its own.
fn convolve_pixels(dst: &mut ImageBuf, plane: &Plane, k: &Kernel, scale: f32, roi: Roi, nthreads: i32) {
    let (c0, nc) = (roi.chbegin as usize, roi.nchannels() as usize);
    rows_into(dst, &roi, nthreads, |y, z, out, _| {
        for (i, px) in out.chunks_exact_mut(nc).enumerate() {
            let x = roi.xbegin as i64 + i as i64;
            px.fill(0.0);
            let mut t = 0;
            for kz in 0..k.d as i64 {
                for ky in 0..k.h as i64 {
                    for kx in 0..k.w as i64 {
                        let w = k.vals[t];
                        t += 1;
                        if let Some(p) = plane.clamped(x + k.x0 + kx, y as i64 + k.y0 + ky, z as i64 + k.z0 + kz) {
                            for (o, v) in px.iter_mut().zip(&p[c0..c0 + nc]) {
                                *o += w * v;
                            }
                        }
                    }
                }
            }
            for v in px.iter_mut() {
                *v *= scale;
            }
        }
    });
}

/// OIIO's `unsharp_mask`: blur `src` with the named kernel (a median
/// filter for "median"; kernels wider than 3 as two 1-D passes), then add
/// `contrast` times the difference from the blur wherever it exceeds
/// `threshold`.
#[allow(clippy::too_many_arguments)]
pub fn unsharp_mask(
    dst: &mut ImageBuf,
    src: &ImageBuf,
    kernel: &str,
    width: f32,
    contrast: f32,
    threshold: f32,
    roi: Roi,
    nthreads: i32,
) -> Result {
    let flags = Prep {
        require_same_nchannels: true,
        no_support_volume: true,
        ..Prep::DEFAULT
    };
    let roi = prep(roi, dst, &[src], None, flags)?;
    let mut spec = src.spec().clone();
    spec.set_format(TypeDesc::FLOAT);
    let mut blurry = ImageBuf::from_spec(&spec);
    if kernel == "median" {
        // (OIIO ignores a failure here.)
        let _ = median_filter(&mut blurry, src, c_int(width.ceil()), 0, roi, nthreads);
    } else if width > 3.0 {
        let k = make_kernel(kernel, 1.0, width, 1.0, true);
        if k.has_error() {
            return Err(IbaError::Op(k.geterror(false)));
        }
        let mut kt = ImageBuf::new();
        orient::transpose(&mut kt, &k, Roi::ALL, 1)?;
        let mut first = ImageBuf::from_spec(&spec);
        convolve(&mut first, src, &k, true, roi, nthreads)?;
        convolve(&mut blurry, &first, &kt, true, roi, nthreads)?;
    } else {
        let k = make_kernel(kernel, width, width, 1.0, true);
        if k.has_error() {
            return Err(IbaError::Op(k.geterror(false)));
        }
        convolve(&mut blurry, src, &k, true, roi, nthreads)?;
    }
    let (sp, bp) = (Plane::new(src), Plane::new(&blurry));
    let nc = roi.nchannels().max(0) as usize;
    let c0 = roi.chbegin.max(0) as usize;
    // Both images share the source's data window; pixels outside it read 0.
    let (ax, ay, az) = (sp.ax, sp.ay, sp.az);
    rows_into(dst, &roi, nthreads, |y, z, out, _| {
        if !ay.inside(y as i64) || !az.inside(z as i64) {
            out.fill(0.0);
            return;
        }
        let (srow, brow) = (sp.row(y as i64, z as i64), bp.row(y as i64, z as i64));
        for (i, px) in out.chunks_exact_mut(nc).enumerate() {
            let x = roi.xbegin as i64 + i as i64;
            if !ax.inside(x) {
                px.fill(0.0);
                continue;
            }
            let o = (x - ax.d0) as usize * sp.nch + c0;
            for ((d, s), b) in px.iter_mut().zip(&srow[o..o + nc]).zip(&brow[o..o + nc]) {
                let diff = s - b;
                *d = if diff.abs() > threshold {
                    s + contrast * diff
                } else {
                    *s
                };
            }
        }
    });
    Ok(())
}

/// OIIO's `laplacian`: convolution with the 3x3 laplacian kernel (not
/// normalized).
pub fn laplacian(dst: &mut ImageBuf, src: &ImageBuf, roi: Roi, nthreads: i32) -> Result {
    let flags = Prep {
        require_same_nchannels: true,
        no_support_volume: true,
        ..Prep::DEFAULT
    };
    let roi = prep(roi, dst, &[src], None, flags)?;
    let k = make_kernel("laplacian", 3.0, 3.0, 1.0, true);
    convolve(dst, src, &k, false, roi, nthreads)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn img(w: i32, h: i32, nch: i32, f: impl Fn(i32, i32, i32) -> f32) -> ImageBuf {
        let mut b = ImageBuf::from_spec(&ImageSpec::new(w, h, nch, TypeDesc::FLOAT));
        let px: &mut [f32] = bytemuck::cast_slice_mut(b.pixels_mut().unwrap());
        for (i, v) in px.iter_mut().enumerate() {
            let c = (i % nch as usize) as i32;
            let p = (i / nch as usize) as i32;
            *v = f(p % w, p / w, c);
        }
        b
    }

    fn floats(b: &ImageBuf) -> &[f32] {
        bytemuck::cast_slice(b.pixels().unwrap())
    }

    /// Straightforward per-pixel convolution with clamped lookups.
    fn brute(src: &ImageBuf, k: &ImageBuf) -> Vec<f32> {
        let kk = Kernel::from_image(k);
        let p = Plane::new(src);
        let s = src.spec();
        let sum: f32 = kk.vals.iter().sum();
        let mut out = vec![];
        for y in 0..s.height as i64 {
            for x in 0..s.width as i64 {
                for c in 0..s.nchannels as usize {
                    let mut acc = 0.0;
                    for ky in 0..kk.h as i64 {
                        for kx in 0..kk.w as i64 {
                            let w = kk.vals[(ky * kk.w as i64 + kx) as usize];
                            acc += w * p.clamped(x + kk.x0 + kx, y + kk.y0 + ky, 0).map_or(0.0, |v| v[c]);
                        }
                    }
                    out.push(acc / sum);
                }
            }
        }
        out
    }

    #[test]
    fn kernels() {
        let k = make_kernel("binomial", 3.0, 3.0, 1.0, true);
        assert_eq!(
            floats(&k),
            &[0.0625, 0.125, 0.0625, 0.125, 0.25, 0.125, 0.0625, 0.125, 0.0625]
        );
        assert_eq!(k.roi(), Roi::new(-1, 2, -1, 2, 0, 1, 0, 1));
        let l = make_kernel("Laplacian", 3.0, 3.0, 1.0, true);
        assert_eq!(floats(&l)[4], -4.0);
        let u = make_kernel("nope", 0.0, 2.5, 1.0, true);
        assert_eq!(u.geterror(false), "Unknown kernel \"nope\" 4x2.5");
        assert_eq!(u.roi(), Roi::new(-2, 3, -1, 2, 0, 1, 0, 1));
        let g = make_kernel("gaussian", 0.0, 0.0, 1.0, true);
        assert_eq!(g.roi().width(), 3);
        assert!((floats(&g).iter().sum::<f32>() - 1.0).abs() < 1e-6);
        assert!(make_kernel("box", 1e9, 1e9, 1.0, true).has_error());
        assert_eq!(fmt_float(1e20), "1e+20");
        assert_eq!(fmt_float(2.5), "2.5");
    }

    #[test]
    fn separable_and_general_paths_agree_with_brute_force() {
        let src = img(13, 9, 3, |x, y, c| ((x * 7 + y * 13 + c * 5) % 11) as f32 / 10.0);
        for (name, w, h) in [
            ("gaussian", 5.0, 3.0),
            ("disk", 5.0, 5.0),
            ("box", 1.0, 7.0),
            ("triangle", 4.0, 0.0),
        ] {
            let k = make_kernel(name, w, h, 1.0, true);
            let mut dst = ImageBuf::new();
            convolve(&mut dst, &src, &k, true, Roi::ALL, 0).unwrap();
            for (a, b) in floats(&dst).iter().zip(brute(&src, &k)) {
                assert!((a - b).abs() < 1e-5, "{name}: {a} vs {b}");
            }
        }
        // A data window wider than the display window takes the per-pixel path.
        let mut wide = src.clone();
        wide.set_full(2, 9, 1, 7, 0, 1);
        let k = make_kernel("gaussian", 3.0, 3.0, 1.0, true);
        let mut dst = ImageBuf::new();
        convolve(&mut dst, &wide, &k, true, Roi::ALL, 1).unwrap();
        for (a, b) in floats(&dst).iter().zip(brute(&wide, &k)) {
            assert!((a - b).abs() < 1e-5);
        }
    }

    #[test]
    fn unsharp_flat_image_is_unchanged() {
        let src = img(8, 6, 2, |_, _, c| 0.25 + c as f32);
        for (kern, w) in [("gaussian", 3.0), ("gaussian", 7.0), ("median", 3.0)] {
            let mut dst = ImageBuf::new();
            unsharp_mask(&mut dst, &src, kern, w, 2.0, 0.0, Roi::ALL, 0).unwrap();
            for (a, b) in floats(&dst).iter().zip(floats(&src)) {
                assert!((a - b).abs() < 1e-6, "{kern}");
            }
        }
        let mut dst = ImageBuf::new();
        let e = unsharp_mask(&mut dst, &src, "nope", 3.0, 1.0, 0.0, Roi::ALL, 0).unwrap_err();
        assert_eq!(e.to_string(), "Unknown kernel \"nope\" 3x3");
    }
}
