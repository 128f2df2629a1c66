//! Filtered transformations (OIIO's `imagebufalgo_xform.cpp`): resize,
//! resample, fit, warp, rotate and st_warp.
//!
//! Coordinates follow OIIO: pixel centres at +0.5, the source's display
//! window maps onto the destination's, and source lookups outside the data
//! window wrap within the display window (reading black unless the wrapped
//! pixel is in the data window). Separable filters get their weights
//! computed once per output column and row; resize then runs as a
//! horizontal pass over the source rows it needs followed by a vertical
//! pass, both parallel over rows.

use crate::dispatch::{load_row, row_len, rows_into};
use crate::filters::{desc, Filter2D};
use crate::{prep, IbaError, Prep, Result};
use rayon::prelude::*;
use std::borrow::Cow;
use vfx_core::imagebuf::Wrap;
use vfx_core::{ImageBuf, ImageSpec, Roi, TypeDesc};

/// The source's pixels as floats (borrowed when they already are).
fn src_floats(buf: &ImageBuf) -> Cow<'_, [f32]> {
    let s = buf.spec();
    if let (true, Some(px)) = (s.format == TypeDesc::FLOAT, buf.pixels()) {
        return Cow::Borrowed(bytemuck::cast_slice(px));
    }
    let roi = buf.roi();
    let n = row_len(&roi);
    let h = s.height.max(0) as usize;
    let mut v = vec![0f32; n * h];
    if n > 0 {
        v.par_chunks_mut(n)
            .enumerate()
            .for_each_init(Vec::new, |tmp, (i, out)| {
                load_row(buf, &roi, s.y + i as i32, s.z, tmp);
                out.copy_from_slice(tmp);
            });
    }
    Cow::Owned(v)
}

/// One axis of a source lookup: the data window `[d0, d1)` and the display
/// window `[f0, f1)` coordinates wrap within.
#[derive(Clone, Copy)]
struct AxisW {
    d0: i64,
    d1: i64,
    f0: i64,
    f1: i64,
    wrap: Wrap,
}

impl AxisW {
    #[inline]
    fn inside(&self, c: i64) -> bool {
        c >= self.d0 && c < self.d1
    }
    /// Where coordinate `c` lands after wrapping, if in the data window.
    #[inline]
    fn wrapped(&self, c: i64) -> Option<i64> {
        if self.wrap == Wrap::Black {
            return None;
        }
        self.wrap.apply(c, self.f0, self.f1).filter(|w| self.inside(*w))
    }
    /// Whether wrapping leaves data-window coordinates alone, so that a 2-D
    /// lookup factors into one mapping per axis.
    fn nested(&self) -> bool {
        self.wrap == Wrap::Black || (self.d0 >= self.f0 && self.d1 <= self.f1)
    }
    /// The per-axis mapping (valid when [`nested`](Self::nested)).
    #[inline]
    fn map(&self, c: i64) -> Option<i64> {
        if self.inside(c) {
            Some(c)
        } else {
            self.wrapped(c)
        }
    }
}

/// Source pixels as floats plus OIIO's lookup rules.
struct Src<'a> {
    px: Cow<'a, [f32]>,
    nch: usize,
    width: usize,
    ax: AxisW,
    ay: AxisW,
}

impl<'a> Src<'a> {
    fn new(buf: &'a ImageBuf, wrap: Wrap) -> Src<'a> {
        let s = buf.spec();
        let axis = |d0: i32, dn: i32, f0: i32, fnn: i32| AxisW {
            d0: d0 as i64,
            d1: d0 as i64 + dn as i64,
            f0: f0 as i64,
            f1: f0 as i64 + fnn as i64,
            wrap,
        };
        Src {
            px: src_floats(buf),
            nch: s.nchannels as usize,
            width: s.width.max(0) as usize,
            ax: axis(s.x, s.width, s.full_x, s.full_width),
            ay: axis(s.y, s.height, s.full_y, s.full_height),
        }
    }
    /// Offset of pixel (x, y)'s first value, or `None` for black.
    #[inline]
    fn offset(&self, x: i64, y: i64) -> Option<usize> {
        let (x, y) = if self.ax.inside(x) && self.ay.inside(y) {
            (x, y)
        } else {
            (self.ax.wrapped(x)?, self.ay.wrapped(y)?)
        };
        Some(((y - self.ay.d0) as usize * self.width + (x - self.ax.d0) as usize) * self.nch)
    }
    #[inline]
    fn pixel(&self, x: i64, y: i64) -> Option<&[f32]> {
        self.offset(x, y).map(|o| &self.px[o..o + self.nch])
    }
}

/// `x` split into its floor and the fraction above it (OIIO's floorfrac).
#[inline]
fn floorfrac(x: f32) -> (i32, f32) {
    let i = x.floor();
    (i as i32, x - i)
}

fn not_recognized(name: &str) -> IbaError {
    IbaError::Op(format!("Filter \"{name}\" not recognized"))
}

/// The filter resize and fit pick: the named one (or blackman-harris when
/// enlarging, lanczos3 otherwise), its default width widened by the
/// enlargement ratio unless a width is given.
pub fn resize_filter(name: &str, width: f32, wratio: f32, hratio: f32) -> Result<Filter2D> {
    let name = match name {
        "" if wratio > 1.0 || hratio > 1.0 => "blackman-harris",
        "" => "lanczos3",
        n => n,
    };
    let fd = desc(name).ok_or_else(|| not_recognized(name))?;
    let (w, h) = if width > 0.0 {
        (width, width)
    } else {
        (fd.width * wratio.max(1.0), fd.width * hratio.max(1.0))
    };
    Filter2D::create(name, w, h).ok_or_else(|| not_recognized(name))
}

/// The filter warp, rotate and st_warp use: the named one (lanczos3 when
/// unnamed) at the given width or its default.
pub fn warp_filter(name: &str, width: f32) -> Result<Filter2D> {
    let name = if name.is_empty() { "lanczos3" } else { name };
    let fd = desc(name).ok_or_else(|| not_recognized(name))?;
    let w = if width > 0.0 { width } else { fd.width };
    Filter2D::create(name, w, w).ok_or_else(|| not_recognized(name))
}

const XFORM_PREP: Prep = Prep {
    no_support_volume: true,
    no_copy_roi_full: true,
    ..Prep::DEFAULT
};

// ---------------------------------------------------------------- resize

/// `ImageBufAlgo::resize`: filter the source's display window onto the
/// destination's.
pub fn resize(
    dst: &mut ImageBuf,
    src: &ImageBuf,
    filtername: &str,
    filterwidth: f32,
    roi: Roi,
    nthreads: i32,
) -> Result {
    let roi = prep(roi, dst, &[src], None, XFORM_PREP)?;
    let (d, s) = (dst.spec(), src.spec());
    let wratio = d.full_width as f32 / s.full_width as f32;
    let hratio = d.full_height as f32 / s.full_height as f32;
    let filter = resize_filter(filtername, filterwidth, wratio, hratio)?;
    resize_with(dst, src, &filter, roi, nthreads);
    Ok(())
}

/// Taps of one output column or row: the source coordinate of the first
/// tap, the (normalised) weights, and whether they summed to zero.
struct Taps {
    first: Vec<i64>,
    weights: Vec<f32>,
    zero: Vec<bool>,
    n: usize,
}

/// Weights along one axis for output coordinates `[b, e)`, as OIIO's
/// separable resize computes them.
#[allow(clippy::too_many_arguments)]
fn resize_taps(
    b: i32,
    e: i32,
    dfx: f32,
    dfw: f32,
    sfx: f32,
    sfw: f32,
    ratio: f32,
    rad: i32,
    f: impl Fn(f32) -> f32,
) -> Taps {
    let n = (2 * rad + 1) as usize;
    let cnt = (e - b).max(0) as usize;
    let mut t = Taps {
        first: Vec::with_capacity(cnt),
        weights: vec![0.0; cnt * n],
        zero: Vec::with_capacity(cnt),
        n,
    };
    let pw = 1.0 / dfw;
    for (k, x) in (b..e).enumerate() {
        let s = (x as f32 - dfx + 0.5) * pw;
        let (sx, frac) = floorfrac(sfx + s * sfw);
        let w = &mut t.weights[k * n..(k + 1) * n];
        let mut total = 0.0f32;
        for (i, wi) in w.iter_mut().enumerate() {
            *wi = f(ratio * ((i as i32 - rad) as f32 - (frac - 0.5)));
            total += *wi;
        }
        if total != 0.0 {
            w.iter_mut().for_each(|v| *v /= total);
        }
        t.first.push(sx as i64 - rad as i64);
        t.zero.push(total == 0.0);
    }
    t
}

/// `resize` with a given filter into a prepared destination.
pub fn resize_with(dst: &mut ImageBuf, src: &ImageBuf, filter: &Filter2D, roi: Roi, nthreads: i32) {
    let (d, s) = (dst.spec().clone(), src.spec().clone());
    let xratio = d.full_width as f32 / s.full_width as f32;
    let yratio = d.full_height as f32 / s.full_height as f32;
    let rad = filter.width() / 2.0;
    let radi = (rad / xratio).ceil() as i32;
    let radj = (rad / yratio).ceil() as i32;
    // OIIO writes every channel of the destination for the ROI's pixels.
    let nc = d.nchannels as usize;
    let out_roi = Roi {
        chbegin: 0,
        chend: d.nchannels,
        ..roi
    };
    let sp = Src::new(src, Wrap::Clamp);
    let (dfx, dfy, dfw, dfh) = (
        d.full_x as f32,
        d.full_y as f32,
        d.full_width as f32,
        d.full_height as f32,
    );
    let (sfx, sfy, sfw, sfh) = (
        s.full_x as f32,
        s.full_y as f32,
        s.full_width as f32,
        s.full_height as f32,
    );
    let sep = filter.separable();
    if sep && sp.ax.nested() && sp.ay.nested() {
        let xt = resize_taps(roi.xbegin, roi.xend, dfx, dfw, sfx, sfw, xratio, radi, |v| {
            filter.xfilt(v)
        });
        let yt = resize_taps(roi.ybegin, roi.yend, dfy, dfh, sfy, sfh, yratio, radj, |v| {
            filter.yfilt(v)
        });
        separable_resize(dst, &sp, &xt, &yt, &out_roi, nc, nthreads);
        return;
    }
    // General case (non-separable filters, or data windows reaching past
    // the display window): OIIO's per-pixel loops.
    let snc = sp.nch.min(nc);
    let (dpw, dph) = (1.0 / dfw, 1.0 / dfh);
    rows_into(dst, &out_roi, nthreads, |y, _z, out, _| {
        let t = (y as f32 - dfy + 0.5) * dph;
        let (sy, yfrac) = floorfrac(sfy + t * sfh);
        let mut yw = vec![0f32; (2 * radj + 1) as usize];
        let mut ytot = 0.0f32;
        if sep {
            for (j, w) in yw.iter_mut().enumerate() {
                *w = filter.yfilt(yratio * ((j as i32 - radj) as f32 - (yfrac - 0.5)));
                ytot += *w;
            }
            if ytot != 0.0 {
                yw.iter_mut().for_each(|v| *v /= ytot);
            }
        }
        let mut xw = vec![0f32; (2 * radi + 1) as usize];
        let mut pel = vec![0f32; nc];
        for (k, o) in out.chunks_exact_mut(nc).enumerate() {
            let x = roi.xbegin + k as i32;
            let sv = (x as f32 - dfx + 0.5) * dpw;
            let (sx, xfrac) = floorfrac(sfx + sv * sfw);
            pel.iter_mut().for_each(|v| *v = 0.0);
            if sep {
                let mut xtot = 0.0f32;
                for (i, w) in xw.iter_mut().enumerate() {
                    *w = filter.xfilt(xratio * ((i as i32 - radi) as f32 - (xfrac - 0.5)));
                    xtot += *w;
                }
                if xtot != 0.0 {
                    xw.iter_mut().for_each(|v| *v /= xtot);
                    for (j, &wy) in yw.iter().enumerate() {
                        if wy == 0.0 {
                            continue;
                        }
                        let yy = sy as i64 - radj as i64 + j as i64;
                        for (i, &wx) in xw.iter().enumerate() {
                            let w = wy * wx;
                            if w != 0.0 {
                                if let Some(p) = sp.pixel(sx as i64 - radi as i64 + i as i64, yy) {
                                    for c in 0..snc {
                                        pel[c] += w * p[c];
                                    }
                                }
                            }
                        }
                    }
                }
                if ytot == 0.0 {
                    pel.iter_mut().for_each(|v| *v = 0.0);
                }
                o.copy_from_slice(&pel);
            } else {
                // OIIO walks a (2*radi+1)-square block of source pixels
                // while counting rows with radj.
                let mut total = 0.0f32;
                let mut idx = 0i64;
                let side = 2 * radi as i64 + 1;
                for j in -radj..=radj {
                    for i in -radi..=radi {
                        let (px, py) = (idx % side, idx / side);
                        idx += 1;
                        let w = filter.eval(xratio * (i as f32 - (xfrac - 0.5)), yratio * (j as f32 - (yfrac - 0.5)));
                        if w != 0.0 {
                            total += w;
                            if let Some(p) = sp.pixel(sx as i64 - radi as i64 + px, sy as i64 - radi as i64 + py) {
                                for c in 0..snc {
                                    pel[c] += w * p[c];
                                }
                            }
                        }
                    }
                }
                for (d, p) in o.iter_mut().zip(&pel) {
                    *d = if total == 0.0 { 0.0 } else { p / total };
                }
            }
        }
    });
}

/// Two-pass separable resize: each needed source row is filtered
/// horizontally once, then output rows combine those vertically.
fn separable_resize(dst: &mut ImageBuf, sp: &Src, xt: &Taps, yt: &Taps, roi: &Roi, nc: usize, nthreads: i32) {
    let w = roi.width().max(0) as usize;
    let snc = sp.nch.min(nc);
    // Source columns per tap (-1: black) and rows per tap.
    let xcol: Vec<i64> = (0..w * xt.n)
        .map(|k| {
            sp.ax
                .map(xt.first[k / xt.n] + (k % xt.n) as i64)
                .map_or(-1, |c| c - sp.ax.d0)
        })
        .collect();
    let h = roi.height().max(0) as usize;
    let yrow: Vec<i64> = (0..h * yt.n)
        .map(|k| {
            if yt.weights[k] == 0.0 {
                return -1;
            }
            sp.ay
                .map(yt.first[k / yt.n] + (k % yt.n) as i64)
                .map_or(-1, |r| r - sp.ay.d0)
        })
        .collect();
    let used: Vec<i64> = yrow.iter().copied().filter(|r| *r >= 0).collect();
    let (rmin, rmax) = match (used.iter().min(), used.iter().max()) {
        (Some(a), Some(b)) => (*a as usize, *b as usize),
        _ => (1, 0),
    };
    let nrows = (rmax + 1).saturating_sub(rmin);
    let mut need = vec![false; nrows];
    for r in &used {
        need[*r as usize - rmin] = true;
    }
    // Horizontal pass.
    let hl = w * nc;
    let mut hbuf = vec![0f32; nrows * hl];
    let srow = sp.width * sp.nch;
    let hpass = |(r, line): (usize, &mut [f32])| {
        if !need[r] {
            return;
        }
        let row = &sp.px[(rmin + r) * srow..(rmin + r + 1) * srow];
        for (k, o) in line.chunks_exact_mut(nc).enumerate() {
            if xt.zero[k] {
                continue;
            }
            let ws = &xt.weights[k * xt.n..(k + 1) * xt.n];
            let cols = &xcol[k * xt.n..(k + 1) * xt.n];
            if snc == 4 && nc == 4 {
                let mut acc = [0f32; 4];
                for (&wx, &c) in ws.iter().zip(cols) {
                    if wx != 0.0 && c >= 0 {
                        let p = &row[c as usize * 4..c as usize * 4 + 4];
                        for ch in 0..4 {
                            acc[ch] += wx * p[ch];
                        }
                    }
                }
                o.copy_from_slice(&acc);
            } else {
                for (&wx, &c) in ws.iter().zip(cols) {
                    if wx != 0.0 && c >= 0 {
                        let p = &row[c as usize * sp.nch..];
                        for ch in 0..snc {
                            o[ch] += wx * p[ch];
                        }
                    }
                }
            }
        }
    };
    if hl > 0 {
        if nthreads == 1 {
            hbuf.chunks_mut(hl).enumerate().for_each(hpass);
        } else {
            hbuf.par_chunks_mut(hl).enumerate().for_each(hpass);
        }
    }
    // Vertical pass.
    rows_into(dst, roi, nthreads, |y, _z, out, _| {
        let k = (y - roi.ybegin) as usize;
        out.iter_mut().for_each(|v| *v = 0.0);
        if yt.zero[k] {
            return;
        }
        let ws = &yt.weights[k * yt.n..(k + 1) * yt.n];
        let rows = &yrow[k * yt.n..(k + 1) * yt.n];
        for (&wy, &r) in ws.iter().zip(rows) {
            if r < 0 {
                continue;
            }
            let line = &hbuf[(r as usize - rmin) * hl..(r as usize - rmin + 1) * hl];
            for (o, v) in out.iter_mut().zip(line) {
                *o += wy * v;
            }
        }
    });
}

// ---------------------------------------------------------------- resample

/// `ImageBufAlgo::resample`: nearest pixel or bilinear interpolation of the
/// source's display window onto the destination's, no filtering.
pub fn resample(dst: &mut ImageBuf, src: &ImageBuf, interpolate: bool, roi: Roi, nthreads: i32) -> Result {
    if src.spec().deep {
        return Err(IbaError::Op("resample: deep images are not supported yet".into()));
    }
    let roi = prep(roi, dst, &[src], None, XFORM_PREP)?;
    let (d, s) = (dst.spec().clone(), src.spec().clone());
    let (dfx, dfy, dpw, dph) = (
        d.full_x as f32,
        d.full_y as f32,
        1.0 / d.full_width as f32,
        1.0 / d.full_height as f32,
    );
    let (sfx, sfy, sfw, sfh) = (
        s.full_x as f32,
        s.full_y as f32,
        s.full_width as f32,
        s.full_height as f32,
    );
    let sp = Src::new(src, if interpolate { Wrap::Clamp } else { Wrap::Black });
    let (c0, c1) = (roi.chbegin as usize, roi.chend as usize);
    let snc = sp.nch;
    // Source positions per output column and row.
    let xs: Vec<f32> = (roi.xbegin..roi.xend)
        .map(|x| sfx + ((x as f32 - dfx + 0.5) * dpw) * sfw)
        .collect();
    let ys: Vec<f32> = (roi.ybegin..roi.yend)
        .map(|y| sfy + ((y as f32 - dfy + 0.5) * dph) * sfh)
        .collect();
    let rnc = c1 - c0;
    if sp.ax.nested() && sp.ay.nested() && c1 <= snc {
        // Lookups factor per axis: tabulate source columns (value offsets
        // within a row, -1 for black) and rows once.
        let col = |c: i64| sp.ax.map(c).map_or(-1, |v| (v - sp.ax.d0) * snc as i64);
        let rowi = |r: i64| sp.ay.map(r).map_or(-1, |v| v - sp.ay.d0);
        let rowlen = sp.width * snc;
        let px: &[f32] = &sp.px;
        let line = |r: i64| (r >= 0).then(|| &px[r as usize * rowlen..(r as usize + 1) * rowlen]);
        if !interpolate {
            let cols: Vec<i64> = xs.iter().map(|&v| col(v.floor() as i64)).collect();
            rows_into(dst, &roi, nthreads, |y, _z, out, _| {
                let Some(row) = line(rowi(ys[(y - roi.ybegin) as usize].floor() as i64)) else {
                    out.iter_mut().for_each(|v| *v = 0.0);
                    return;
                };
                for (o, &cx) in out.chunks_exact_mut(rnc).zip(&cols) {
                    if cx < 0 {
                        o.iter_mut().for_each(|v| *v = 0.0);
                    } else {
                        let at = cx as usize + c0;
                        o.copy_from_slice(&row[at..at + rnc]);
                    }
                }
            });
            return Ok(());
        }
        let xt: Vec<(i64, i64, f32)> = xs
            .iter()
            .map(|&v| {
                let (i, f) = floorfrac(v - 0.5);
                (col(i as i64), col(i as i64 + 1), f)
            })
            .collect();
        let zero = vec![0f32; rowlen.max(snc)];
        rows_into(dst, &roi, nthreads, |y, _z, out, _| {
            let (yi, t) = floorfrac(ys[(y - roi.ybegin) as usize] - 0.5);
            let t1 = 1.0 - t;
            let top = line(rowi(yi as i64)).unwrap_or(&zero);
            let bot = line(rowi(yi as i64 + 1)).unwrap_or(&zero);
            let px = |r: &'_ [f32], c: i64, ch: usize| if c < 0 { 0.0 } else { r[c as usize + ch] };
            for (o, &(a, b, sfr)) in out.chunks_exact_mut(rnc).zip(&xt) {
                let s1 = 1.0 - sfr;
                if a >= 0 && b >= 0 && rnc == 4 && c0 == 0 {
                    let (a, b) = (a as usize, b as usize);
                    let (p0, p1) = (&top[a..a + 4], &top[b..b + 4]);
                    let (p2, p3) = (&bot[a..a + 4], &bot[b..b + 4]);
                    for c in 0..4 {
                        o[c] = t1 * (p0[c] * s1 + p1[c] * sfr) + t * (p2[c] * s1 + p3[c] * sfr);
                    }
                    continue;
                }
                for (k, v) in o.iter_mut().enumerate() {
                    let c = c0 + k;
                    *v = t1 * (px(top, a, c) * s1 + px(top, b, c) * sfr)
                        + t * (px(bot, a, c) * s1 + px(bot, b, c) * sfr);
                }
            }
        });
        return Ok(());
    }
    rows_into(dst, &roi, nthreads, |y, _z, out, _| {
        let syf = ys[(y - roi.ybegin) as usize];
        if !interpolate {
            let sy = syf.floor() as i64;
            for (o, &sxf) in out.chunks_exact_mut(rnc).zip(&xs) {
                match sp.pixel(sxf.floor() as i64, sy) {
                    Some(p) => {
                        for (c, v) in o.iter_mut().enumerate() {
                            *v = p.get(c0 + c).copied().unwrap_or(0.0);
                        }
                    }
                    None => o.iter_mut().for_each(|v| *v = 0.0),
                }
            }
            return;
        }
        let (yt, t) = floorfrac(syf - 0.5);
        let t1 = 1.0 - t;
        let zero = vec![0f32; snc];
        for (o, &sxf) in out.chunks_exact_mut(rnc).zip(&xs) {
            let (xt, sfr) = floorfrac(sxf - 0.5);
            let s1 = 1.0 - sfr;
            let (xt, yt) = (xt as i64, yt as i64);
            let p0 = sp.pixel(xt, yt).unwrap_or(&zero);
            let p1 = sp.pixel(xt + 1, yt).unwrap_or(&zero);
            let p2 = sp.pixel(xt, yt + 1).unwrap_or(&zero);
            let p3 = sp.pixel(xt + 1, yt + 1).unwrap_or(&zero);
            for (c, v) in o.iter_mut().enumerate() {
                let c = c0 + c;
                *v = if c < snc {
                    t1 * (p0[c] * s1 + p1[c] * sfr) + t * (p2[c] * s1 + p3[c] * sfr)
                } else {
                    0.0
                };
            }
        }
    });
    Ok(())
}

// ---------------------------------------------------------------- warp

/// A 3x3 matrix in Imath's layout (row vectors: `p' = p * M`).
pub type M33 = [[f32; 3]; 3];

fn mat_mul(a: &M33, b: &M33) -> M33 {
    let mut r = [[0f32; 3]; 3];
    for i in 0..3 {
        for j in 0..3 {
            r[i][j] = a[i][0] * b[0][j] + a[i][1] * b[1][j] + a[i][2] * b[2][j];
        }
    }
    r
}

/// Imath's `Matrix33::inverse()` (affine shortcut, identity when singular).
pub fn inverse(x: &M33) -> M33 {
    const IDENT: M33 = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]];
    let tiny = f32::MIN_POSITIVE;
    if x[0][2] != 0.0 || x[1][2] != 0.0 || x[2][2] != 1.0 {
        let mut s = [
            [
                x[1][1] * x[2][2] - x[2][1] * x[1][2],
                x[2][1] * x[0][2] - x[0][1] * x[2][2],
                x[0][1] * x[1][2] - x[1][1] * x[0][2],
            ],
            [
                x[2][0] * x[1][2] - x[1][0] * x[2][2],
                x[0][0] * x[2][2] - x[2][0] * x[0][2],
                x[1][0] * x[0][2] - x[0][0] * x[1][2],
            ],
            [
                x[1][0] * x[2][1] - x[2][0] * x[1][1],
                x[2][0] * x[0][1] - x[0][0] * x[2][1],
                x[0][0] * x[1][1] - x[1][0] * x[0][1],
            ],
        ];
        let r = x[0][0] * s[0][0] + x[0][1] * s[1][0] + x[0][2] * s[2][0];
        if r.abs() >= 1.0 {
            s.iter_mut().flatten().for_each(|v| *v /= r);
        } else {
            let mr = r.abs() / tiny;
            for v in s.iter_mut().flatten() {
                if mr > v.abs() {
                    *v /= r;
                } else {
                    return IDENT;
                }
            }
        }
        s
    } else {
        let mut s = [[x[1][1], -x[0][1], 0.0], [-x[1][0], x[0][0], 0.0], [0.0, 0.0, 1.0]];
        let r = x[0][0] * x[1][1] - x[1][0] * x[0][1];
        if r.abs() >= 1.0 {
            for row in s.iter_mut().take(2) {
                row[0] /= r;
                row[1] /= r;
            }
        } else {
            let mr = r.abs() / tiny;
            for row in s.iter_mut().take(2) {
                for v in row.iter_mut().take(2) {
                    if mr > v.abs() {
                        *v /= r;
                    } else {
                        return IDENT;
                    }
                }
            }
        }
        s[2][0] = -x[2][0] * s[0][0] - x[2][1] * s[1][0];
        s[2][1] = -x[2][0] * s[0][1] - x[2][1] * s[1][1];
        s
    }
}

/// Imath's `multVecMatrix` for a 2-D point.
fn mult_vec(m: &M33, x: f32, y: f32) -> (f32, f32) {
    let a = x * m[0][0] + y * m[1][0] + m[2][0];
    let b = x * m[0][1] + y * m[1][1] + m[2][1];
    let w = x * m[0][2] + y * m[1][2] + m[2][2];
    (a / w, b / w)
}

/// The pixel bounds of `roi`'s pixel centres transformed by `m`.
fn transform_roi(m: &M33, roi: &Roi) -> Roi {
    let (x0, x1) = (roi.xbegin as f32 + 0.5, roi.xend as f32 - 0.5);
    let (y0, y1) = (roi.ybegin as f32 + 0.5, roi.yend as f32 - 0.5);
    let pts = [
        mult_vec(m, x0, y0),
        mult_vec(m, x1, y0),
        mult_vec(m, x0, y1),
        mult_vec(m, x1, y1),
    ];
    let (mut xmin, mut ymin, mut xmax, mut ymax) = (pts[0].0, pts[0].1, pts[0].0, pts[0].1);
    for p in &pts[1..] {
        xmin = xmin.min(p.0);
        xmax = xmax.max(p.0);
        ymin = ymin.min(p.1);
        ymax = ymax.max(p.1);
    }
    Roi::new(
        xmin.floor() as i32,
        xmax.floor() as i32 + 1,
        ymin.floor() as i32,
        ymax.floor() as i32 + 1,
        roi.zbegin,
        roi.zend,
        roi.chbegin,
        roi.chend,
    )
}

/// A value with derivatives along output x and y (OIIO's Dual2).
#[derive(Clone, Copy)]
struct Dual {
    v: f32,
    dx: f32,
    dy: f32,
}

impl Dual {
    fn scale(self, k: f32) -> Dual {
        Dual {
            v: self.v * k,
            dx: self.dx * k,
            dy: self.dy * k,
        }
    }
    fn add(self, o: Dual) -> Dual {
        Dual {
            v: self.v + o.v,
            dx: self.dx + o.dx,
            dy: self.dy + o.dy,
        }
    }
    fn addf(self, k: f32) -> Dual {
        Dual { v: self.v + k, ..self }
    }
    fn div(self, b: Dual) -> Dual {
        let inv = 1.0 / b.v;
        let q = self.v * inv;
        Dual {
            v: q,
            dx: inv * (self.dx - q * b.dx),
            dy: inv * (self.dy - q * b.dy),
        }
    }
}

/// Source position and derivatives for output pixel centre (x, y) through
/// the inverse matrix `mi` (zero when the projection degenerates).
#[inline]
fn warp_point(mi: &M33, x: f32, y: f32) -> (Dual, Dual) {
    let dx = Dual { v: x, dx: 1.0, dy: 0.0 };
    let dy = Dual { v: y, dx: 0.0, dy: 1.0 };
    let a = dx.scale(mi[0][0]).add(dy.scale(mi[1][0])).addf(mi[2][0]);
    let b = dx.scale(mi[0][1]).add(dy.scale(mi[1][1])).addf(mi[2][1]);
    let w = dx.scale(mi[0][2]).add(dy.scale(mi[1][2])).addf(mi[2][2]);
    if w.v != 0.0 {
        (a.div(w), b.div(w))
    } else {
        let z = Dual {
            v: 0.0,
            dx: 0.0,
            dy: 0.0,
        };
        (z, z)
    }
}

/// Scratch for one filtered sample.
#[derive(Default)]
struct SampleBufs {
    wx: Vec<f32>,
    wy: Vec<f32>,
    sum: Vec<f32>,
}

/// OIIO's filtered_sample: an isotropic footprint sized by the derivatives.
#[allow(clippy::too_many_arguments)]
fn filtered_sample(
    sp: &Src,
    filter: &Filter2D,
    s: f32,
    t: f32,
    dsdx: f32,
    dtdx: f32,
    dsdy: f32,
    dtdy: f32,
    edgeclamp: bool,
    bufs: &mut SampleBufs,
) {
    let nc = sp.nch;
    bufs.sum.clear();
    bufs.sum.resize(nc, 0.0);
    let ds = 1f32.max(dsdx.abs().max(dsdy.abs()));
    let dt = 1f32.max(dtdx.abs().max(dtdy.abs()));
    let (ds_inv, dt_inv) = (1.0 / ds, 1.0 / dt);
    let rs = 0.5 * ds * filter.width();
    let rt = 0.5 * dt * filter.width();
    let mut smin = (s - rs).floor() as i64;
    let mut smax = (s + rs).ceil() as i64;
    let mut tmin = (t - rt).floor() as i64;
    let mut tmax = (t + rt).ceil() as i64;
    if edgeclamp {
        let (xb, xe, yb, ye) = (sp.ax.d0, sp.ax.d1, sp.ay.d0, sp.ay.d1);
        smin = smin.clamp(xb, xe);
        smax = smax.clamp(xb, xe);
        tmin = tmin.clamp(yb, ye);
        tmax = tmax.clamp(yb, ye);
        if s < (xb - 1) as f32 || s >= xe as f32 || t < (yb - 1) as f32 || t >= ye as f32 {
            return;
        }
    }
    if smax <= smin || tmax <= tmin {
        return;
    }
    let mut total = 0.0f32;
    let sum = &mut bufs.sum;
    if filter.separable() {
        bufs.wx.clear();
        bufs.wx
            .extend((smin..smax).map(|x| filter.xfilt(ds_inv * (x as f32 + 0.5 - s))));
        bufs.wy.clear();
        bufs.wy
            .extend((tmin..tmax).map(|y| filter.yfilt(dt_inv * (y as f32 + 0.5 - t))));
        // Zero-weight taps at either end contribute nothing.
        let (mut i0, mut i1) = (0usize, bufs.wx.len());
        while i0 < i1 && bufs.wx[i0] == 0.0 {
            i0 += 1;
        }
        while i1 > i0 && bufs.wx[i1 - 1] == 0.0 {
            i1 -= 1;
        }
        let (x0, x1) = (smin + i0 as i64, smin + i1 as i64);
        let wx = &bufs.wx[i0..i1];
        let rowlen = sp.width * nc;
        // Whole footprint row inside the data window: read the row directly.
        let direct_x = x0 >= sp.ax.d0 && x1 <= sp.ax.d1;
        for (j, &wy) in bufs.wy.iter().enumerate() {
            if wy == 0.0 || wx.is_empty() {
                continue;
            }
            let y = tmin + j as i64;
            if direct_x && sp.ay.inside(y) {
                let r0 = (y - sp.ay.d0) as usize * rowlen + (x0 - sp.ax.d0) as usize * nc;
                let row = &sp.px[r0..r0 + wx.len() * nc];
                if nc == 4 {
                    let mut acc = [0f32; 4];
                    for (&wxi, p) in wx.iter().zip(row.chunks_exact(4)) {
                        let w = wxi * wy;
                        total += w;
                        acc[0] += w * p[0];
                        acc[1] += w * p[1];
                        acc[2] += w * p[2];
                        acc[3] += w * p[3];
                    }
                    for (a, v) in sum.iter_mut().zip(acc) {
                        *a += v;
                    }
                } else {
                    for (&wxi, p) in wx.iter().zip(row.chunks_exact(nc)) {
                        let w = wxi * wy;
                        total += w;
                        for (a, v) in sum.iter_mut().zip(p) {
                            *a += w * v;
                        }
                    }
                }
                continue;
            }
            for (i, &wxi) in wx.iter().enumerate() {
                let w = wxi * wy;
                total += w;
                if w == 0.0 {
                    continue;
                }
                if let Some(p) = sp.pixel(x0 + i as i64, y) {
                    for (a, v) in sum.iter_mut().zip(p) {
                        *a += w * v;
                    }
                }
            }
        }
    } else {
        for y in tmin..tmax {
            for x in smin..smax {
                let w = filter.eval(ds_inv * (x as f32 + 0.5 - s), dt_inv * (y as f32 + 0.5 - t));
                total += w;
                if w == 0.0 {
                    continue;
                }
                if let Some(p) = sp.pixel(x, y) {
                    for (a, v) in sum.iter_mut().zip(p) {
                        *a += w * v;
                    }
                }
            }
        }
    }
    if total > 0.0 {
        sum.iter_mut().for_each(|v| *v /= total);
    } else {
        sum.iter_mut().for_each(|v| *v = 0.0);
    }
}

/// `ImageBufAlgo::warp` with a wrap mode name ("default", "black", "clamp",
/// "periodic", "mirror"; others mean black).
#[allow(clippy::too_many_arguments)]
pub fn warp(
    dst: &mut ImageBuf,
    src: &ImageBuf,
    m: &M33,
    filtername: &str,
    filterwidth: f32,
    recompute_roi: bool,
    wrap: &str,
    roi: Roi,
    nthreads: i32,
) -> Result {
    let filter = warp_filter(filtername, filterwidth)?;
    warp_impl(
        dst,
        src,
        m,
        &filter,
        recompute_roi,
        Wrap::from_name(wrap),
        false,
        roi,
        nthreads,
    )
}

#[allow(clippy::too_many_arguments)]
fn warp_impl(
    dst: &mut ImageBuf,
    src: &ImageBuf,
    m: &M33,
    filter: &Filter2D,
    recompute_roi: bool,
    wrap: Wrap,
    edgeclamp: bool,
    roi: Roi,
    nthreads: i32,
) -> Result {
    if !src.initialized() {
        return Err(IbaError::UninitializedInput);
    }
    let mut droi = if dst.initialized() {
        if roi.defined() {
            roi
        } else {
            dst.roi()
        }
    } else if roi.defined() {
        roi
    } else if recompute_roi {
        transform_roi(m, &src.roi())
    } else {
        src.roi()
    };
    droi.chend = droi.chend.min(src.nchannels());
    let droi = prep(
        droi,
        dst,
        &[src],
        None,
        Prep {
            no_support_volume: true,
            ..Prep::DEFAULT
        },
    )?;
    let mi = inverse(m);
    let sp = Src::new(src, wrap);
    let (c0, c1) = (droi.chbegin as usize, droi.chend as usize);
    rows_into(dst, &droi, nthreads, |y, _z, out, scratch| {
        let _ = scratch;
        let mut bufs = SampleBufs::default();
        let rnc = c1 - c0;
        for (k, o) in out.chunks_exact_mut(rnc).enumerate() {
            let x = droi.xbegin + k as i32;
            let (px, py) = warp_point(&mi, x as f32 + 0.5, y as f32 + 0.5);
            filtered_sample(
                &sp, filter, px.v, py.v, px.dx, py.dx, px.dy, py.dy, edgeclamp, &mut bufs,
            );
            for (c, v) in o.iter_mut().enumerate() {
                *v = bufs.sum.get(c0 + c).copied().unwrap_or(0.0);
            }
        }
    });
    Ok(())
}

/// The rotation by `angle` radians about (cx, cy), as OIIO builds it.
pub fn rotation_matrix(angle: f32, cx: f32, cy: f32) -> M33 {
    let t = |x: f32, y: f32| -> M33 { [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [x, y, 1.0]] };
    let (sn, cs) = (angle.sin(), angle.cos());
    let r: M33 = [[cs, sn, 0.0], [-sn, cs, 0.0], [0.0, 0.0, 1.0]];
    mat_mul(&mat_mul(&t(-cx, -cy), &r), &t(cx, cy))
}

/// `ImageBufAlgo::rotate` about (cx, cy), or the display window's centre.
#[allow(clippy::too_many_arguments)]
pub fn rotate(
    dst: &mut ImageBuf,
    src: &ImageBuf,
    angle: f32,
    center: Option<(f32, f32)>,
    filtername: &str,
    filterwidth: f32,
    recompute_roi: bool,
    roi: Roi,
    nthreads: i32,
) -> Result {
    let (cx, cy) = center.unwrap_or_else(|| {
        let f = src.roi_full();
        (0.5 * (f.xbegin + f.xend) as f32, 0.5 * (f.ybegin + f.yend) as f32)
    });
    let m = rotation_matrix(angle, cx, cy);
    warp(
        dst,
        src,
        &m,
        filtername,
        filterwidth,
        recompute_roi,
        "black",
        roi,
        nthreads,
    )
}

// ---------------------------------------------------------------- fit

/// `ImageBufAlgo::fit`: resize to fit the ROI keeping the aspect ratio
/// ("letterbox", "width" or "height"), whole-pixel or `exact`.
#[allow(clippy::too_many_arguments)]
pub fn fit(
    dst: &mut ImageBuf,
    src: &ImageBuf,
    filtername: &str,
    filterwidth: f32,
    fillmode: &str,
    exact: bool,
    roi: Roi,
    nthreads: i32,
) -> Result {
    let roi = prep(roi, dst, &[src], None, XFORM_PREP)?;
    let s = src.spec().clone();
    let (fw, fh, fx, fy) = (roi.width(), roi.height(), roi.xbegin, roi.ybegin);
    let oldaspect = s.full_width as f32 / s.full_height as f32;
    let newaspect = fw as f32 / fh as f32;
    let (mut rw, mut rh) = (fw, fh);
    let (mut xoffset, mut yoffset) = (0, 0);
    let (mut xoff, mut yoff) = (0f32, 0f32);
    let scale;
    let mut mode = match fillmode {
        "height" | "width" => fillmode,
        _ => "letterbox",
    };
    if mode == "letterbox" {
        mode = if newaspect >= oldaspect { "height" } else { "width" };
    }
    if mode == "height" {
        rw = (rh as f32 * oldaspect + 0.5) as i32;
        xoffset = (fw - rw) / 2;
        scale = fh as f32 / s.full_height as f32;
        xoff = (fw as f32 - scale * s.full_width as f32) / 2.0;
    } else {
        rh = (rw as f32 / oldaspect + 0.5) as i32;
        yoffset = (fh - rh) / 2;
        scale = fw as f32 / s.full_width as f32;
        yoff = (fh as f32 - scale * s.full_height as f32) / 2.0;
    }
    let newroi = Roi::new(fx, fx + fw, fy, fy + fh, 0, 1, 0, s.nchannels);
    let wratio = rw as f32 / s.full_width as f32;
    let hratio = rh as f32 / s.full_height as f32;
    let filter = resize_filter(filtername, filterwidth, wratio, hratio)?;
    if exact {
        let m: M33 = [[scale, 0.0, 0.0], [0.0, scale, 0.0], [xoff, yoff, 1.0]];
        let mut spec = s.clone();
        spec.set_roi(&newroi);
        spec.set_roi_full(&newroi);
        reset(dst, &spec)?;
        return warp_impl(dst, src, &m, &filter, false, Wrap::Black, true, Roi::ALL, nthreads);
    }
    if rw != s.full_width || rh != s.full_height || fx != s.full_x || fy != s.full_y {
        let rroi = Roi::new(fx, fx + rw, fy, fy + rh, 0, 1, 0, s.nchannels);
        let mut spec = s.clone();
        spec.set_roi(&rroi);
        spec.set_roi_full(&rroi);
        reset(dst, &spec)?;
        let rroi = prep(rroi, dst, &[src], None, XFORM_PREP)?;
        resize_with(dst, src, &filter, rroi, nthreads);
    } else if !dst.copy_from(src, TypeDesc::UNKNOWN) {
        return Err(IbaError::Op(dst.geterror(true)));
    }
    let sm = dst.specmod();
    sm.full_width = fw;
    sm.full_height = fh;
    sm.full_x = fx;
    sm.full_y = fy;
    sm.x = xoffset;
    sm.y = yoffset;
    Ok(())
}

fn reset(dst: &mut ImageBuf, spec: &ImageSpec) -> Result {
    dst.reset(spec);
    if dst.initialized() {
        Ok(())
    } else {
        Err(IbaError::Alloc(dst.geterror(true)))
    }
}

// ---------------------------------------------------------------- st_warp

/// `ImageBufAlgo::st_warp`: each output pixel samples the source at the
/// normalised coordinates held in two channels of `stbuf`.
#[allow(clippy::too_many_arguments)]
pub fn st_warp(
    dst: &mut ImageBuf,
    src: &ImageBuf,
    stbuf: &ImageBuf,
    filtername: &str,
    filterwidth: f32,
    chan_s: i32,
    chan_t: i32,
    flip_s: bool,
    flip_t: bool,
    roi: Roi,
    nthreads: i32,
) -> Result {
    let filter = warp_filter(filtername, filterwidth)?;
    if !stbuf.initialized() {
        return Err(IbaError::Op("ImageBufAlgo::st_warp : Uninitialized ST buffer".into()));
    }
    let stn = stbuf.nchannels();
    if chan_s >= stn {
        return Err(IbaError::Op(format!(
            "ImageBufAlgo::st_warp : Out-of-range S channel index: {chan_s}"
        )));
    }
    if chan_t >= stn {
        return Err(IbaError::Op(format!(
            "ImageBufAlgo::st_warp : Out-of-range T channel index: {chan_t}"
        )));
    }
    if chan_s < 0 || chan_t < 0 {
        return Err(IbaError::Op("ImageBufAlgo::st_warp : negative channel index".into()));
    }
    let proi = prep(roi, dst, &[src], None, XFORM_PREP)?;
    let mut roi = proi.intersection(&stbuf.roi());
    // OIIO's pixel count multiplies signed extents, so a ROI inverted in
    // two directions passes (and then has nothing to do).
    if roi.width() as i64 * roi.height() as i64 * roi.depth() as i64 <= 0 {
        return Err(IbaError::Op(
            "ImageBufAlgo::st_warp : Output ROI does not intersect ST buffer.".into(),
        ));
    }
    roi.chbegin = proi.chbegin;
    roi.chend = proi.chend;
    let (d, s) = (dst.spec().clone(), src.spec().clone());
    let (sw, sh) = (s.full_width, s.full_height);
    let xscale = d.full_width as f32 / sw as f32;
    let yscale = d.full_height as f32 / sh as f32;
    let rx = (filter.width() / 2.0 / xscale).ceil() as i32;
    let ry = (filter.height() / 2.0 / yscale).ceil() as i32;
    let sp = Src::new(src, Wrap::Black);
    let (xb, xe, yb, ye) = (sp.ax.d0, sp.ax.d1, sp.ay.d0, sp.ay.d1);
    let st_roi = Roi {
        chbegin: 0,
        chend: stn,
        ..roi
    };
    let (c0, c1) = (roi.chbegin as usize, roi.chend as usize);
    let sep = filter.separable();
    rows_into(dst, &roi, nthreads, |y, z, out, scratch| {
        let st = crate::dispatch::row(stbuf, &st_roi, y, z, &mut scratch[0]);
        let stn = stn as usize;
        let rnc = c1 - c0;
        let mut acc = vec![0f32; rnc];
        let (mut wx, mut wy) = (Vec::new(), Vec::new());
        for (k, o) in out.chunks_exact_mut(rnc).enumerate() {
            let mut ss = st[k * stn + chan_s as usize];
            let mut tt = st[k * stn + chan_t as usize];
            if flip_s {
                ss = 1.0 - ss;
            }
            if flip_t {
                tt = 1.0 - tt;
            }
            let sx = ss * sw as f32;
            let sy = tt * sh as f32;
            let xmin = ((sx - rx as f32).floor() as i64).clamp(xb, xe);
            let xmax = ((sx + rx as f32).ceil() as i64).clamp(xb, xe);
            let ymin = ((sy - ry as f32).floor() as i64).clamp(yb, ye);
            let ymax = ((sy + ry as f32).ceil() as i64).clamp(yb, ye);
            acc.iter_mut().for_each(|v| *v = 0.0);
            let mut total = 0.0f32;
            if sep {
                wx.clear();
                wx.extend((xmin..=xmax).map(|x| filter.xfilt(x as f32 - sx + 0.5)));
                wy.clear();
                wy.extend((ymin..=ymax).map(|y| filter.yfilt(y as f32 - sy + 0.5)));
            }
            for yy in ymin..=ymax {
                for xx in xmin..=xmax {
                    let w = if sep {
                        wx[(xx - xmin) as usize] * wy[(yy - ymin) as usize]
                    } else {
                        filter.eval(xx as f32 - sx + 0.5, yy as f32 - sy + 0.5)
                    };
                    total += w;
                    if let Some(p) = sp.pixel(xx, yy) {
                        for (c, a) in acc.iter_mut().enumerate() {
                            *a += p.get(c0 + c).copied().unwrap_or(0.0) * w;
                        }
                    }
                }
            }
            for (v, a) in o.iter_mut().zip(&acc) {
                *v = if total > 0.0 { a / total } else { 0.0 };
            }
        }
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn img(w: i32, h: i32, nch: i32, f: impl Fn(i32, i32, i32) -> f32) -> ImageBuf {
        let spec = ImageSpec::new(w, h, nch, TypeDesc::FLOAT);
        let mut b = ImageBuf::from_spec(&spec);
        for y in 0..h {
            for x in 0..w {
                let v: Vec<f32> = (0..nch).map(|c| f(x, y, c)).collect();
                b.setpixel(x, y, 0, &v);
            }
        }
        b
    }

    #[test]
    fn resize_constant_stays_constant() {
        let src = img(17, 9, 3, |_, _, c| 0.25 * (c + 1) as f32);
        for name in ["lanczos3", "mitchell", "box", "disk", "radial-lanczos3", "gaussian"] {
            let mut dst = ImageBuf::new();
            resize(&mut dst, &src, name, 0.0, Roi::new2d(0, 7, 0, 5), 0).unwrap();
            for v in dst.getpixel(3, 2, 0, Wrap::Black) {
                assert!(v > 0.0);
            }
            let p = dst.getpixel(6, 4, 0, Wrap::Black);
            assert!((p[0] - 0.25).abs() < 1e-5 && (p[2] - 0.75).abs() < 1e-5, "{name} {p:?}");
        }
        let mut dst = ImageBuf::new();
        let e = resize(&mut dst, &src, "nope", 0.0, Roi::new2d(0, 7, 0, 5), 0).unwrap_err();
        assert_eq!(e.to_string(), "Filter \"nope\" not recognized");
    }

    #[test]
    fn resample_nearest_and_identity_warp() {
        let src = img(8, 8, 1, |x, y, _| (x + 10 * y) as f32);
        let mut dst = ImageBuf::new();
        resample(&mut dst, &src, false, Roi::new2d(0, 4, 0, 4), 0).unwrap();
        assert_eq!(dst.getpixel(1, 2, 0, Wrap::Black)[0], 53.0);
        let ident: M33 = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]];
        let mut w = ImageBuf::new();
        warp(&mut w, &src, &ident, "box", 0.0, false, "default", Roi::ALL, 0).unwrap();
        assert_eq!(w.getpixel(5, 3, 0, Wrap::Black)[0], 35.0);
    }

    #[test]
    fn inverse_and_rotation() {
        let m = rotation_matrix(0.5, 10.0, 20.0);
        let mi = inverse(&m);
        let (x, y) = mult_vec(&m, 3.0, 4.0);
        let (bx, by) = mult_vec(&mi, x, y);
        assert!((bx - 3.0).abs() < 1e-4 && (by - 4.0).abs() < 1e-4);
        let (cx, cy) = mult_vec(&m, 10.0, 20.0);
        assert!((cx - 10.0).abs() < 1e-4 && (cy - 20.0).abs() < 1e-4);
    }
}
