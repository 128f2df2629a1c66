//! Image analysis and comparison (OIIO's imagebufalgo_compare.cpp):
//! computePixelStats, compare, isConstantColor, isConstantChannel,
//! isMonochrome, color_count, color_range_check, nonzero_region,
//! computePixelHashSHA1, histogram.
//!
//! Reductions are split into the same pieces OIIO uses where the pieces
//! change the printed result (64-row chunks for the statistics' double
//! sums, 4096-pixel batches for compare's error sums), computed in
//! parallel and merged in a fixed order, so results are deterministic and
//! equal to the reference's single-threaded ones. Tests that compare raw
//! values (threshold 0) do so in the image's own pixel type, as OIIO does.

// Negated comparisons are how OIIO makes NaN count as "over the threshold"
// (or as "not below the minimum"); they are kept on purpose.
#![allow(clippy::neg_cmp_op_on_partial_ord)]

use crate::dispatch::{self, Scratch};
use rayon::prelude::*;
use vfx_core::convert::Pixel;
use vfx_core::{ImageBuf, Roi};

// ---------------------------------------------------------------------------
// Raw typed access

/// Pixel types as OIIO's typed iterators see them: raw values comparable
/// in their own type, and the arithmetic `float - T` that OIIO's threshold
/// tests perform against a raw value.
trait Raw: Pixel + PartialEq + Default {
    /// `|s - raw| > thresh` with C++'s usual arithmetic conversions.
    fn deviates(s: f32, raw: Self, thresh: f32) -> bool;
}

macro_rules! raw_via_f32 {
    ($($t:ty),*) => {$(
        impl Raw for $t {
            #[inline]
            fn deviates(s: f32, raw: Self, thresh: f32) -> bool {
                (s - raw as f32).abs() > thresh
            }
        }
    )*};
}
raw_via_f32!(u8, i8, u16, i16, u32, i32, u64, i64, f32);

impl Raw for half::f16 {
    #[inline]
    fn deviates(s: f32, raw: Self, thresh: f32) -> bool {
        (s - raw.to_f32()).abs() > thresh
    }
}

impl Raw for f64 {
    #[inline]
    fn deviates(s: f32, raw: Self, thresh: f32) -> bool {
        (s as f64 - raw).abs() > thresh as f64
    }
}

/// Dispatch `$body` with `$T` bound to the pixel type of `$buf` (which must
/// be initialized and local).
macro_rules! with_raw {
    ($buf:expr, $T:ident => $body:expr, _ => $other:expr) => {
        vfx_core::dispatch_pixel!($buf.spec().format.basetype, $T => $body, _ => $other)
    };
}

/// The typed pixel slice of `buf` (empty when it holds no local pixels).
fn typed<T: Pixel>(buf: &ImageBuf) -> &[T] {
    buf.pixels().map(bytemuck::cast_slice).unwrap_or(&[])
}

/// Visit every pixel of `roi` (all of `buf`'s channels per pixel; pixels
/// outside the data window are all zero) row by row, in parallel unless
/// `nthreads == 1`, stopping as soon as `hit` returns true. Returns whether
/// any pixel hit.
fn any_pixel<T: Raw>(buf: &ImageBuf, roi: &Roi, nthreads: i32, hit: impl Fn(&[T]) -> bool + Sync) -> bool {
    let s = buf.spec();
    let nch = s.nchannels.max(0) as usize;
    let (w, h, d) = (roi.width(), roi.height(), roi.depth());
    if w <= 0 || h <= 0 || d <= 0 || nch == 0 {
        return false;
    }
    let vals = typed::<T>(buf);
    let zero = vec![T::default(); nch];
    let row = |i: usize| -> bool {
        let (y, z) = (
            roi.ybegin + (i % h as usize) as i32,
            roi.zbegin + (i / h as usize) as i32,
        );
        let inside = !vals.is_empty() && y >= s.y && y < s.y + s.height && z >= s.z && z < s.z + s.depth.max(1);
        let (x0, x1) = (roi.xbegin.max(s.x), roi.xend.min(s.x + s.width));
        if !inside || x0 >= x1 {
            return hit(&zero);
        }
        if (x0 > roi.xbegin || x1 < roi.xend) && hit(&zero) {
            return true;
        }
        let first = buf.pixelindex(x0, y, z, false) as usize * nch;
        let line = &vals[first..first + (x1 - x0) as usize * nch];
        line.chunks_exact(nch).any(&hit)
    };
    let n = h as usize * d as usize;
    if nthreads == 1 {
        (0..n).any(row)
    } else {
        (0..n).into_par_iter().any(row)
    }
}

/// Pixel (x, y, z) of `buf` in its own type, zero outside the data window.
fn raw_pixel<T: Raw>(buf: &ImageBuf, x: i32, y: i32, z: i32) -> Vec<T> {
    let nch = buf.nchannels().max(0) as usize;
    let i = buf.pixelindex(x, y, z, true);
    if i < 0 {
        return vec![T::default(); nch];
    }
    let vals = typed::<T>(buf);
    let at = i as usize * nch;
    vals.get(at..at + nch)
        .map_or_else(|| vec![T::default(); nch], |p| p.to_vec())
}

fn unsupported(buf: &ImageBuf, name: &str) {
    buf.error(&format!(
        "{name}: Unsupported pixel data format '{}'",
        buf.spec().format
    ));
}

// ---------------------------------------------------------------------------
// computePixelStats

/// Per-channel statistics (OIIO's `PixelStats`), indexed by absolute
/// channel; channels outside the ROI (or without finite values) hold 0.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PixelStats {
    pub min: Vec<f32>,
    pub max: Vec<f32>,
    pub avg: Vec<f32>,
    pub stddev: Vec<f32>,
    pub nancount: Vec<u64>,
    pub infcount: Vec<u64>,
    pub finitecount: Vec<u64>,
    pub sum: Vec<f64>,
    pub sum2: Vec<f64>,
}

impl PixelStats {
    /// Empty accumulators for `n` channels.
    pub fn new(n: usize) -> PixelStats {
        PixelStats {
            min: vec![f32::INFINITY; n],
            max: vec![f32::NEG_INFINITY; n],
            avg: vec![0.0; n],
            stddev: vec![0.0; n],
            nancount: vec![0; n],
            infcount: vec![0; n],
            finitecount: vec![0; n],
            sum: vec![0.0; n],
            sum2: vec![0.0; n],
        }
    }

    #[inline]
    fn add(&mut self, c: usize, v: f32) {
        if v.is_nan() {
            self.nancount[c] += 1;
        } else if v.is_infinite() {
            self.infcount[c] += 1;
        } else {
            self.finitecount[c] += 1;
            self.sum[c] += v as f64;
            self.sum2[c] += v as f64 * v as f64;
            // std::min(v, cur) / std::max(v, cur): equal values keep `v`.
            if !(self.min[c] < v) {
                self.min[c] = v;
            }
            if !(v < self.max[c]) {
                self.max[c] = v;
            }
        }
    }

    fn merge(&mut self, p: &PixelStats) {
        for c in 0..self.min.len() {
            if p.min[c] < self.min[c] {
                self.min[c] = p.min[c];
            }
            if self.max[c] < p.max[c] {
                self.max[c] = p.max[c];
            }
            self.nancount[c] += p.nancount[c];
            self.infcount[c] += p.infcount[c];
            self.finitecount[c] += p.finitecount[c];
            self.sum[c] += p.sum[c];
            self.sum2[c] += p.sum2[c];
        }
    }

    fn finalize(&mut self) {
        for c in 0..self.min.len() {
            if self.finitecount[c] == 0 {
                self.min[c] = 0.0;
                self.max[c] = 0.0;
                self.avg[c] = 0.0;
                self.stddev[c] = 0.0;
            } else {
                let n = self.finitecount[c] as f64;
                let avg = self.sum[c] / n;
                self.avg[c] = avg as f32;
                let var = self.sum2[c] / n - avg * avg;
                self.stddev[c] = if var >= 0.0 { var.sqrt() as f32 } else { 0.0 };
            }
        }
    }
}

/// Rows per piece of the statistics (OIIO's chunk size).
const STATS_CHUNK: i32 = 64;

/// Statistics of `src`'s pixels in `roi` (pixels outside the data window
/// count as 0). Failures leave OIIO's message on `src` and give empty stats.
pub fn compute_pixel_stats(src: &ImageBuf, roi: Roi, nthreads: i32) -> PixelStats {
    let mut roi = roi;
    if !roi.defined() {
        roi = src.roi();
    } else {
        roi.chend = roi.chend.min(src.nchannels());
    }
    let nch = src.nchannels();
    if nch == 0 {
        src.error(&format!("{nch}-channel images not supported"));
        return PixelStats::default();
    }
    if !vfx_core::convert::is_pixel_type(src.spec().format.basetype) {
        unsupported(src, "computePixelStats");
        return PixelStats::default();
    }
    let n = nch as usize;
    let chunk = |y0: i32| -> PixelStats {
        let y1 = (y0 + STATS_CHUNK).min(roi.yend);
        let mut st = PixelStats::new(n);
        let mut scratch = Vec::new();
        let (c0, c1) = (roi.chbegin.max(0), roi.chend);
        if c0 >= c1 || roi.width() <= 0 {
            return st;
        }
        let sub = Roi { chbegin: c0, ..roi };
        for z in roi.zbegin..roi.zend {
            for y in y0..y1 {
                if src.spec().deep {
                    deep_stats_row(src, &sub, y, z, &mut st);
                    continue;
                }
                let vals = dispatch::row(src, &sub, y, z, &mut scratch);
                let c0 = c0 as usize;
                match (c1 as usize) - c0 {
                    1 => stats_row::<1>(vals, c0, &mut st),
                    2 => stats_row::<2>(vals, c0, &mut st),
                    3 => stats_row::<3>(vals, c0, &mut st),
                    4 => stats_row::<4>(vals, c0, &mut st),
                    k => {
                        for px in vals.chunks_exact(k) {
                            for (i, v) in px.iter().enumerate() {
                                st.add(c0 + i, *v);
                            }
                        }
                    }
                }
            }
        }
        st
    };
    let starts: Vec<i32> = (roi.ybegin..roi.yend).step_by(STATS_CHUNK as usize).collect();
    let parts: Vec<PixelStats> = if nthreads == 1 {
        starts.iter().map(|&y| chunk(y)).collect()
    } else {
        starts.par_iter().map(|&y| chunk(y)).collect()
    };
    let mut stats = PixelStats::new(n);
    for p in &parts {
        stats.merge(p);
    }
    stats.finalize();
    if src.has_error() {
        return PixelStats::default();
    }
    stats
}

/// Accumulate a row of `K`-channel pixels (channels `c0..c0 + K`) into
/// `st`, in the same order and arithmetic as [`PixelStats::add`], with the
/// common all-finite case kept in registers.
fn stats_row<const K: usize>(vals: &[f32], c0: usize, st: &mut PixelStats) {
    let mut sum: [f64; K] = std::array::from_fn(|i| st.sum[c0 + i]);
    let mut sum2: [f64; K] = std::array::from_fn(|i| st.sum2[c0 + i]);
    let mut min: [f32; K] = std::array::from_fn(|i| st.min[c0 + i]);
    let mut max: [f32; K] = std::array::from_fn(|i| st.max[c0 + i]);
    let (mut nan, mut inf) = ([0u64; K], [0u64; K]);
    if vals.iter().all(|v| v.is_finite()) {
        for px in vals.chunks_exact(K) {
            for c in 0..K {
                let v = px[c];
                sum[c] += v as f64;
                sum2[c] += v as f64 * v as f64;
                min[c] = if min[c] < v { min[c] } else { v };
                max[c] = if v < max[c] { max[c] } else { v };
            }
        }
    } else {
        for px in vals.chunks_exact(K) {
            for c in 0..K {
                let v = px[c];
                if v.is_finite() {
                    sum[c] += v as f64;
                    sum2[c] += v as f64 * v as f64;
                    min[c] = if min[c] < v { min[c] } else { v };
                    max[c] = if v < max[c] { max[c] } else { v };
                } else if v.is_nan() {
                    nan[c] += 1;
                } else {
                    inf[c] += 1;
                }
            }
        }
    }
    let npix = (vals.len() / K) as u64;
    st.sum[c0..c0 + K].copy_from_slice(&sum);
    st.sum2[c0..c0 + K].copy_from_slice(&sum2);
    st.min[c0..c0 + K].copy_from_slice(&min);
    st.max[c0..c0 + K].copy_from_slice(&max);
    for c in 0..K {
        st.nancount[c0 + c] += nan[c];
        st.infcount[c0 + c] += inf[c];
        st.finitecount[c0 + c] += npix - nan[c] - inf[c];
    }
}

fn deep_stats_row(src: &ImageBuf, roi: &Roi, y: i32, z: i32, st: &mut PixelStats) {
    for x in roi.xbegin..roi.xend {
        if src.pixelindex(x, y, z, true) < 0 {
            continue;
        }
        let ns = src.deep_samples(x, y, z) as usize;
        for c in roi.chbegin..roi.chend {
            for s in 0..ns {
                st.add(c as usize, src.deep_value(x, y, z, c as usize, s));
            }
        }
    }
}

// ---------------------------------------------------------------------------
// compare

/// OIIO's `CompareResults`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CompareResults {
    pub meanerror: f64,
    pub rms_error: f64,
    pub psnr: f64,
    pub maxerror: f64,
    pub maxx: i32,
    pub maxy: i32,
    pub maxz: i32,
    pub maxc: i32,
    pub nwarn: u64,
    pub nfail: u64,
    pub error: bool,
}

/// Thresholds of one comparison.
#[derive(Clone, Copy)]
struct Thresh {
    fail: f32,
    warn: f32,
    failrel: f32,
    warnrel: f32,
}

/// Pixels per error-sum batch (OIIO's).
const BATCH: u64 = 4096;
/// Batches per parallel piece.
const GROUP_BATCHES: u64 = 64;

/// The running state OIIO's sequential comparison carries.
struct CmpState {
    maxerror: f64,
    pos: [i32; 4],
    maxval: f32,
    nwarn: u64,
    nfail: u64,
}

/// One value pair compared as OIIO's `compare_value` does. Returns false
/// (and leaves everything untouched) when the pair needs the sequential
/// path: a non-finite value against a differently non-finite one.
#[inline]
#[allow(clippy::too_many_arguments)]
fn compare_value(
    st: &mut CmpState,
    a: f32,
    b: f32,
    pos: [i32; 4],
    sums: &mut (f64, f64),
    flags: &mut (bool, bool),
    t: Thresh,
    exact: bool,
) -> bool {
    if !a.is_finite() || !b.is_finite() {
        if a.is_nan() == b.is_nan() && a.is_infinite() == b.is_infinite() {
            return true;
        }
        if !exact {
            return false;
        }
        if st.maxerror.is_finite() {
            st.maxerror = f64::INFINITY;
            st.pos = pos;
            return true;
        }
    }
    let (aabs, babs) = (a.abs(), b.abs());
    let meanabs = (aabs as f64 * 0.5 + babs as f64 * 0.5) as f32;
    let maxabs = if aabs < babs { babs } else { aabs };
    if st.maxval < maxabs {
        st.maxval = maxabs;
    }
    let f = (a - b).abs() as f64;
    let rel = if meanabs > 0.0 { f / meanabs as f64 } else { 0.0 };
    sums.0 += f;
    sums.1 += f * f;
    if !(f <= st.maxerror) {
        st.maxerror = f;
        st.pos = pos;
    }
    if !flags.0 && !(f <= t.warn as f64) && !(rel <= t.warnrel as f64) {
        st.nwarn += 1;
        flags.0 = true;
    }
    if !flags.1 && !(f <= t.fail as f64) && !(rel <= t.failrel as f64) {
        st.nfail += 1;
        flags.1 = true;
    }
    true
}

/// What one run over a range of pixels produced.
struct Piece {
    st: CmpState,
    batches: Vec<(f64, f64)>,
}

/// Compare pixels `[p0, p1)` of `roi` (in OIIO's iteration order), starting
/// from `st`. `None` when the fast (order-independent) path cannot be used.
#[allow(clippy::too_many_arguments)]
fn compare_range(
    a: &ImageBuf,
    b: &ImageBuf,
    roi: &Roi,
    p0: u64,
    p1: u64,
    st: CmpState,
    t: Thresh,
    exact: bool,
) -> Option<Piece> {
    let w = roi.width() as u64;
    let h = roi.height() as u64;
    let nc = roi.nchannels().max(0) as usize;
    let mut st = st;
    let mut batches = Vec::with_capacity(((p1 - p0).div_ceil(BATCH)) as usize);
    let mut sums = (0.0f64, 0.0f64);
    let (mut sa, mut sb) = (Vec::new(), Vec::new());
    let roi_of = |img: &ImageBuf| Roi {
        chend: roi.chend.min(img.nchannels()),
        ..*roi
    };
    let (ra, rb) = (roi_of(a), roi_of(b));
    let (na, nb) = (ra.nchannels().max(0) as usize, rb.nchannels().max(0) as usize);
    let deep = a.spec().deep;
    let mut p = p0;
    while p < p1 {
        let r = p / w;
        let (y, z) = (roi.ybegin + (r % h) as i32, roi.zbegin + (r / h) as i32);
        let xs = (p % w) as usize;
        let xe = ((p1 - r * w).min(w)) as usize;
        if deep {
            for xi in xs..xe {
                let x = roi.xbegin + xi as i32;
                let mut flags = (false, false);
                let ns = a.deep_samples(x, y, z).max(b.deep_samples(x, y, z)) as usize;
                for c in roi.chbegin..roi.chend {
                    for s in 0..ns {
                        let av = deep_at(a, x, y, z, c, s);
                        let bv = deep_at(b, x, y, z, c, s);
                        compare_value(&mut st, av, bv, [x, y, z, c], &mut sums, &mut flags, t, true);
                    }
                }
                p += 1;
                if p % BATCH == 0 || p == p1 {
                    batches.push(sums);
                    sums = (0.0, 0.0);
                }
            }
            continue;
        }
        // Rows with every ROI channel (missing ones read as 0).
        let full = |img: &ImageBuf, r: &Roi, n: usize, scratch: &mut Vec<f32>| -> Vec<f32> {
            let mut out = vec![0.0f32; roi.width() as usize * nc];
            if n > 0 {
                let row = dispatch::row(img, r, y, z, scratch);
                for (o, i) in out.chunks_exact_mut(nc).zip(row.chunks_exact(n)) {
                    o[..n].copy_from_slice(i);
                }
            }
            out
        };
        let (ka, kb);
        let (rowa, rowb): (&[f32], &[f32]) = {
            ka = if na == nc {
                None
            } else {
                Some(full(a, &ra, na, &mut sa))
            };
            kb = if nb == nc {
                None
            } else {
                Some(full(b, &rb, nb, &mut sb))
            };
            (
                match &ka {
                    Some(v) => v,
                    None => dispatch::row(a, &ra, y, z, &mut sa),
                },
                match &kb {
                    Some(v) => v,
                    None => dispatch::row(b, &rb, y, z, &mut sb),
                },
            )
        };
        // Segments of the row that stay within one batch.
        let mut x = xs;
        while x < xe {
            let to_batch_end = (BATCH - p % BATCH) as usize;
            let seg_end = xe.min(x + to_batch_end);
            let (va, vb) = (&rowa[x * nc..seg_end * nc], &rowb[x * nc..seg_end * nc]);
            let origin = (roi.xbegin + x as i32, y, z, roi.chbegin);
            let ok = match nc {
                1 => segment(&mut st, va, vb, 1, origin, &mut sums, t, exact),
                2 => segment(&mut st, va, vb, 2, origin, &mut sums, t, exact),
                3 => segment(&mut st, va, vb, 3, origin, &mut sums, t, exact),
                4 => segment(&mut st, va, vb, 4, origin, &mut sums, t, exact),
                _ => segment(&mut st, va, vb, nc, origin, &mut sums, t, exact),
            };
            if !ok {
                return None;
            }
            p += (seg_end - x) as u64;
            x = seg_end;
            if p % BATCH == 0 || p == p1 {
                batches.push(sums);
                sums = (0.0, 0.0);
            }
        }
    }
    Some(Piece { st, batches })
}

/// Compare a run of pixels (`nc` values each) lying within one batch; the
/// first pixel is at `origin` (x, y, z, first channel).
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn segment(
    st: &mut CmpState,
    va: &[f32],
    vb: &[f32],
    nc: usize,
    origin: (i32, i32, i32, i32),
    sums: &mut (f64, f64),
    t: Thresh,
    exact: bool,
) -> bool {
    if nc == 0 {
        return true;
    }
    if !va.iter().chain(vb).all(|v| v.is_finite()) {
        for (i, (pa, pb)) in va.chunks_exact(nc).zip(vb.chunks_exact(nc)).enumerate() {
            let mut flags = (false, false);
            for c in 0..nc {
                let pos = [origin.0 + i as i32, origin.1, origin.2, origin.3 + c as i32];
                if !compare_value(st, pa[c], pb[c], pos, sums, &mut flags, t, exact) {
                    return false;
                }
            }
        }
        return true;
    }
    // All finite: the same arithmetic as `compare_value`, with the running
    // state in locals (the error sums are one long dependency chain).
    let (warn, fail) = (t.warn as f64, t.fail as f64);
    let (warnrel, failrel) = (t.warnrel as f64, t.failrel as f64);
    let (mut e, mut e2) = *sums;
    let (mut maxval, mut maxerror) = (st.maxval, st.maxerror);
    let (mut nwarn, mut nfail) = (0u64, 0u64);
    let mut at = None;
    for (i, (pa, pb)) in va.chunks_exact(nc).zip(vb.chunks_exact(nc)).enumerate() {
        let (mut warned, mut failed) = (false, false);
        for c in 0..nc {
            let (av, bv) = (pa[c], pb[c]);
            let (aabs, babs) = (av.abs(), bv.abs());
            let maxabs = if aabs < babs { babs } else { aabs };
            maxval = if maxval < maxabs { maxabs } else { maxval };
            let f = (av - bv).abs() as f64;
            e += f;
            e2 += f * f;
            if !(f <= maxerror) {
                maxerror = f;
                at = Some((i, c));
            }
            // Branch-free: whether a value crosses a threshold is often
            // unpredictable.
            let meanabs = (aabs as f64 * 0.5 + babs as f64 * 0.5) as f32;
            let q = f / meanabs as f64;
            let rel = if meanabs > 0.0 { q } else { 0.0 };
            let w = !warned & !(f <= warn) & !(rel <= warnrel);
            let x = !failed & !(f <= fail) & !(rel <= failrel);
            nwarn += w as u64;
            nfail += x as u64;
            warned |= w;
            failed |= x;
        }
    }
    *sums = (e, e2);
    st.maxval = maxval;
    st.nwarn += nwarn;
    st.nfail += nfail;
    if let Some((i, c)) = at {
        st.maxerror = maxerror;
        st.pos = [origin.0 + i as i32, origin.1, origin.2, origin.3 + c as i32];
    }
    true
}

fn deep_at(img: &ImageBuf, x: i32, y: i32, z: i32, c: i32, s: usize) -> f32 {
    if img.pixelindex(x, y, z, true) < 0 || c >= img.nchannels() || s >= img.deep_samples(x, y, z) as usize {
        return 0.0;
    }
    img.deep_value(x, y, z, c as usize, s)
}

/// Compare `a` and `b` over `roi` (default: the union of their data
/// windows; pixels and channels an image lacks read as 0). A value fails
/// (warns) when its absolute difference exceeds `failthresh` (`warnthresh`)
/// and its difference relative to the mean magnitude exceeds `failrelative`
/// (`warnrelative`). `error` is set when anything failed.
#[allow(clippy::too_many_arguments)]
pub fn compare(
    a: &ImageBuf,
    b: &ImageBuf,
    failthresh: f32,
    warnthresh: f32,
    failrelative: f32,
    warnrelative: f32,
    roi: Roi,
    nthreads: i32,
) -> CompareResults {
    let mut result = CompareResults {
        error: true,
        ..Default::default()
    };
    let mut roi = roi;
    if !roi.defined() {
        roi = a.roi().union(&b.roi());
    }
    roi.chend = roi.chend.min(a.nchannels().max(b.nchannels()));
    if a.spec().deep != b.spec().deep {
        a.error("deep and non-deep images cannot be compared");
        return result;
    }
    let t = Thresh {
        fail: failthresh,
        warn: warnthresh,
        failrel: failrelative,
        warnrel: warnrelative,
    };
    let npels = roi.npixels();
    let nvals = npels.wrapping_mul(roi.nchannels() as i64 as u64);
    let empty = roi.width() <= 0 || roi.height() <= 0 || roi.depth() <= 0;
    let total = if empty { 0 } else { npels };
    let init = || CmpState {
        maxerror: 0.0,
        pos: [0; 4],
        maxval: 1.0,
        nwarn: 0,
        nfail: 0,
    };
    let group = BATCH * GROUP_BATCHES;
    let starts: Vec<u64> = (0..total).step_by(group as usize).collect();
    let run = |p0: &u64| compare_range(a, b, &roi, *p0, (*p0 + group).min(total), init(), t, false);
    let pieces: Option<Vec<Piece>> = if a.spec().deep {
        None
    } else if nthreads == 1 {
        starts.iter().map(run).collect()
    } else {
        starts.par_iter().map(run).collect()
    };
    let (st, batches) = match pieces {
        Some(pieces) => {
            let mut st = init();
            let mut batches = Vec::new();
            for p in pieces {
                if p.st.maxerror > st.maxerror {
                    st.maxerror = p.st.maxerror;
                    st.pos = p.st.pos;
                }
                if st.maxval < p.st.maxval {
                    st.maxval = p.st.maxval;
                }
                st.nwarn += p.st.nwarn;
                st.nfail += p.st.nfail;
                batches.extend(p.batches);
            }
            (st, batches)
        }
        None => {
            let p = compare_range(a, b, &roi, 0, total, init(), t, true).expect("exact path always completes");
            (p.st, p.batches)
        }
    };
    let (mut err, mut sq) = (0.0f64, 0.0f64);
    for (e, s) in batches {
        err += e;
        sq += s;
    }
    result.meanerror = err / nvals as f64;
    result.rms_error = (sq / nvals as f64).sqrt();
    result.psnr = 20.0 * (st.maxval as f64 / result.rms_error).log10();
    result.maxerror = st.maxerror;
    [result.maxx, result.maxy, result.maxz, result.maxc] = st.pos;
    result.nwarn = st.nwarn;
    result.nfail = st.nfail;
    result.error = st.nfail != 0;
    result
}

// ---------------------------------------------------------------------------
// isConstantColor, isConstantChannel, isMonochrome

/// Whether every pixel of `roi` has the same value (within `threshold`),
/// and the first pixel's colour (`src.nchannels()` values, 0 outside the
/// ROI's channels). OIIO's quirks are kept: with a non-zero threshold the
/// second pixel must still match exactly, and the deviation is measured
/// against the first pixel's raw (unscaled) value.
pub fn is_constant_color(src: &ImageBuf, threshold: f32, roi: Roi, nthreads: i32) -> (bool, Vec<f32>) {
    let nch = src.nchannels().max(0) as usize;
    let mut color = vec![0.0f32; nch];
    let mut roi = roi;
    if !roi.defined() {
        roi = src.roi();
    }
    roi.chend = roi.chend.min(src.nchannels());
    if roi.nchannels() == 0 {
        return (true, color);
    }
    if roi.nchannels() < 0 || src.pixels().is_none() {
        unsupported(src, "isConstantColor");
        return (false, color);
    }
    let ok = with_raw!(src, T => constant_color::<T>(src, threshold, &roi, nthreads, &mut color), _ => {
        unsupported(src, "isConstantColor");
        false
    });
    (ok, color)
}

fn constant_color<T: Raw>(src: &ImageBuf, threshold: f32, roi: &Roi, nthreads: i32, color: &mut [f32]) -> bool {
    let (w, h, d) = (roi.width(), roi.height(), roi.depth());
    if w <= 0 || h <= 0 || d <= 0 {
        return false;
    }
    let npixels = w as u64 * h as u64 * d as u64;
    let (c0, c1) = (roi.chbegin as usize, roi.chend as usize);
    let first = raw_pixel::<T>(src, roi.xbegin, roi.ybegin, roi.zbegin);
    for c in c0..c1.min(color.len()) {
        color[c] = first[c].to_f32();
    }
    if npixels == 1 {
        return true;
    }
    if npixels > 2 {
        let (x, y, z) = if w > 1 {
            (roi.xbegin + 1, roi.ybegin, roi.zbegin)
        } else if h > 1 {
            (roi.xbegin, roi.ybegin + 1, roi.zbegin)
        } else {
            (roi.xbegin, roi.ybegin, roi.zbegin + 1)
        };
        let second = raw_pixel::<T>(src, x, y, z);
        if (c0..c1).any(|c| second[c] != first[c]) {
            return false;
        }
    }
    let differs = if threshold == 0.0 {
        any_pixel::<T>(src, roi, nthreads, |p| (c0..c1).any(|c| p[c] != first[c]))
    } else {
        any_pixel::<T>(src, roi, nthreads, |p| {
            (c0..c1).any(|c| T::deviates(p[c].to_f32(), first[c], threshold))
        })
    };
    !differs
}

/// Whether channel `channel` of every pixel in `roi` equals `val` (within
/// `threshold`; exactly in the pixel type when it is 0).
pub fn is_constant_channel(src: &ImageBuf, channel: i32, val: f32, threshold: f32, roi: Roi, nthreads: i32) -> bool {
    let roi = if roi.defined() { roi } else { src.roi() };
    if channel < 0 || channel >= src.nchannels() {
        return false;
    }
    let ch = channel as usize;
    with_raw!(src, T => {
        if threshold == 0.0 {
            let k = T::from_f32_scalar(val);
            !any_pixel::<T>(src, &roi, nthreads, |p| p[ch] != k)
        } else {
            !any_pixel::<T>(src, &roi, nthreads, |p| (p[ch].to_f32() - val).abs() > threshold)
        }
    }, _ => {
        unsupported(src, "isConstantChannel");
        false
    })
}

/// Whether every pixel of `roi` has equal values (within `threshold`) in
/// all of the ROI's channels.
pub fn is_monochrome(src: &ImageBuf, threshold: f32, roi: Roi, nthreads: i32) -> bool {
    let mut roi = if roi.defined() { roi } else { src.roi() };
    roi.chend = roi.chend.min(src.nchannels());
    if roi.nchannels() < 2 {
        return true;
    }
    let (c0, c1) = (roi.chbegin as usize, roi.chend as usize);
    with_raw!(src, T => {
        if threshold == 0.0 {
            !any_pixel::<T>(src, &roi, nthreads, |p| (c0 + 1..c1).any(|c| p[c] != p[c0]))
        } else {
            !any_pixel::<T>(src, &roi, nthreads, |p| {
                let k = p[c0].to_f32();
                (c0 + 1..c1).any(|c| (p[c].to_f32() - k).abs() > threshold)
            })
        }
    }, _ => {
        unsupported(src, "isMonochrome");
        false
    })
}

// ---------------------------------------------------------------------------
// color_count, color_range_check

/// Per-channel values padded to `n` as OIIO's `IBA_FIX_PERCHAN_LEN` does:
/// missing entries repeat the previous one (the first defaults to `zdef`).
fn fix_perchan(v: &[f32], n: usize, zdef: f32) -> Vec<f32> {
    let mut out = v.to_vec();
    while out.len() < n {
        let next = out.last().copied().unwrap_or(zdef);
        out.push(next);
    }
    out
}

/// Float rows of `roi` (channels clamped to the image), folded in parallel.
fn fold_pixels<R, F>(src: &ImageBuf, roi: &Roi, nthreads: i32, init: R, f: F, combine: impl Fn(R, R) -> R + Sync) -> R
where
    R: Clone + Send + Sync,
    F: Fn(&[f32], &mut R) + Sync,
{
    let nc = roi.nchannels().max(0) as usize;
    if nc == 0 || roi.width() <= 0 {
        return init;
    }
    dispatch::rows_fold(
        roi,
        nthreads,
        init,
        |y, z, acc, scratch: &mut Scratch| {
            let vals = dispatch::row(src, roi, y, z, &mut scratch[0]);
            for px in vals.chunks_exact(nc) {
                f(px, acc);
            }
        },
        combine,
    )
}

/// How many pixels of `roi` match each of `ncolors` colours (given as
/// `src.nchannels()` values each) within `eps` per channel.
pub fn color_count(
    src: &ImageBuf,
    ncolors: usize,
    color: &[f32],
    eps: &[f32],
    roi: Roi,
    nthreads: i32,
) -> crate::Result<Vec<u64>> {
    let mut roi = if roi.defined() { roi } else { src.roi() };
    roi.chend = roi.chend.min(src.nchannels());
    let nch = src.nchannels().max(0) as usize;
    if color.len() < ncolors * nch {
        let msg = "ImageBufAlgo::color_count: not enough room in 'color' array";
        src.error(msg);
        return Err(crate::IbaError::Op(msg.into()));
    }
    let eps = fix_perchan(eps, nch, 0.001);
    if !vfx_core::convert::is_pixel_type(src.spec().format.basetype) {
        unsupported(src, "color_count");
        return Err(crate::IbaError::Op(src.geterror(false)));
    }
    let c0 = roi.chbegin.max(0) as usize;
    let counts = fold_pixels(
        src,
        &roi,
        nthreads,
        vec![0u64; ncolors],
        |px, acc| {
            for (col, n) in acc.iter_mut().enumerate() {
                let base = col * nch;
                if px
                    .iter()
                    .enumerate()
                    .all(|(i, v)| !((v - color[base + c0 + i]).abs() > eps[c0 + i]))
                {
                    *n += 1;
                }
            }
        },
        |mut x, y| {
            x.iter_mut().zip(y).for_each(|(a, b)| *a += b);
            x
        },
    );
    Ok(counts)
}

/// Counts of pixels in `roi` with any channel below `low`, any above
/// `high`, and all within (missing bounds repeat the last one given, or are
/// unbounded).
pub fn color_range_check(
    src: &ImageBuf,
    low: &[f32],
    high: &[f32],
    roi: Roi,
    nthreads: i32,
) -> crate::Result<(u64, u64, u64)> {
    let mut roi = if roi.defined() { roi } else { src.roi() };
    roi.chend = roi.chend.min(src.nchannels());
    let nch = src.nchannels().max(0) as usize;
    let low = fix_perchan(low, nch, -f32::MAX);
    let high = fix_perchan(high, nch, f32::MAX);
    if src.pixels().is_none() || !vfx_core::convert::is_pixel_type(src.spec().format.basetype) {
        unsupported(src, "color_range_check");
        return Err(crate::IbaError::Op(src.geterror(false)));
    }
    let c0 = roi.chbegin.max(0) as usize;
    let r = fold_pixels(
        src,
        &roi,
        nthreads,
        (0u64, 0u64, 0u64),
        |px, acc| {
            let (mut lo, mut hi) = (false, false);
            for (i, &v) in px.iter().enumerate() {
                lo |= v < low[c0 + i];
                hi |= v > high[c0 + i];
            }
            acc.0 += lo as u64;
            acc.1 += hi as u64;
            acc.2 += (!lo && !hi) as u64;
        },
        |x, y| (x.0 + y.0, x.1 + y.1, x.2 + y.2),
    );
    Ok(r)
}

// ---------------------------------------------------------------------------
// nonzero_region

/// The smallest region within `roi` (and `src`'s data window) holding every
/// pixel that is not zero in the ROI's channels (for deep images: every
/// pixel with samples).
pub fn nonzero_region(src: &ImageBuf, roi: Roi, nthreads: i32) -> Roi {
    let mut roi = roi.intersection(&src.roi());
    if src.spec().deep {
        return deep_nonempty_region(src, &roi);
    }
    let zero = |test: Roi| {
        let (ok, color) = is_constant_color(src, 0.0, test, nthreads);
        ok && color.iter().all(|v| *v == 0.0)
    };
    while roi.ybegin < roi.yend
        && zero(Roi {
            ybegin: roi.yend - 1,
            ..roi
        })
    {
        roi.yend -= 1;
    }
    while roi.ybegin < roi.yend
        && zero(Roi {
            yend: roi.ybegin + 1,
            ..roi
        })
    {
        roi.ybegin += 1;
    }
    while roi.xbegin < roi.xend
        && zero(Roi {
            xbegin: roi.xend - 1,
            ..roi
        })
    {
        roi.xend -= 1;
    }
    while roi.xbegin < roi.xend
        && zero(Roi {
            xend: roi.xbegin + 1,
            ..roi
        })
    {
        roi.xbegin += 1;
    }
    if roi.depth() > 1 {
        while roi.zbegin < roi.zend
            && zero(Roi {
                zbegin: roi.zend - 1,
                ..roi
            })
        {
            roi.zend -= 1;
        }
        while roi.zbegin < roi.zend
            && zero(Roi {
                zend: roi.zbegin + 1,
                ..roi
            })
        {
            roi.zbegin += 1;
        }
    }
    roi
}

fn deep_nonempty_region(src: &ImageBuf, roi: &Roi) -> Roi {
    let mut r = Roi::ALL;
    for z in roi.zbegin..roi.zend {
        for y in roi.ybegin..roi.yend {
            for x in roi.xbegin..roi.xend {
                if src.pixelindex(x, y, z, true) < 0 || src.deep_samples(x, y, z) == 0 {
                    continue;
                }
                if !r.defined() {
                    r = Roi::new(x, x + 1, y, y + 1, z, z + 1, 0, src.nchannels());
                } else {
                    r.xbegin = r.xbegin.min(x);
                    r.xend = r.xend.max(x + 1);
                    r.ybegin = r.ybegin.min(y);
                    r.yend = r.yend.max(y + 1);
                    r.zbegin = r.zbegin.min(z);
                    r.zend = r.zend.max(z + 1);
                }
            }
        }
    }
    r
}

// ---------------------------------------------------------------------------
// computePixelHashSHA1

/// SHA-1 of the pixel bytes of `roi` followed by `extrainfo`, as OIIO
/// hashes them: per z slice, runs of `roi.width()` pixels' worth of bytes
/// (all channels) starting at each group of rows' first ROI pixel. With
/// `blocksize` > 0 the rows are hashed in blocks (in parallel) and the
/// final digest is taken over the blocks' hex digests and `extrainfo`.
pub fn compute_pixel_hash_sha1(src: &ImageBuf, extrainfo: &str, roi: Roi, blocksize: i32, nthreads: i32) -> String {
    let roi = if roi.defined() { roi } else { src.roi() };
    if blocksize <= 0 || blocksize >= roi.height() {
        return simple_hash(src, extrainfo.as_bytes(), &roi);
    }
    let nblocks = ((roi.height() + blocksize - 1) / blocksize) as usize;
    let starts: Vec<i32> = (roi.ybegin..roi.yend).step_by(blocksize as usize).collect();
    let block = |&y0: &i32| {
        let broi = Roi {
            ybegin: y0,
            yend: (y0 + blocksize).min(roi.yend),
            ..roi
        };
        ((y0 - src.spec().y) / blocksize, simple_hash(src, b"", &broi))
    };
    let digests: Vec<(i32, String)> = if nthreads == 1 {
        starts.iter().map(block).collect()
    } else {
        starts.par_iter().map(block).collect()
    };
    let mut results = vec![String::new(); nblocks];
    for (b, d) in digests {
        if b >= 0 && (b as usize) < nblocks {
            results[b as usize] = d;
        }
    }
    let mut sha = sha1::Sha1::new();
    for r in &results {
        sha.update(r.as_bytes());
    }
    sha.update(extrainfo.as_bytes());
    sha.hex_digest()
}

fn simple_hash(src: &ImageBuf, extrainfo: &[u8], roi: &Roi) -> String {
    let mut sha = sha1::Sha1::new();
    let pixel_bytes = src.spec().pixel_bytes(false) as i64;
    let scanline = roi.width() as i64 * pixel_bytes;
    if let (Some(px), true) = (src.pixels(), scanline > 0) {
        let chunk = (16 * 1024 * 1024 / scanline).max(1) as i32;
        for z in roi.zbegin..roi.zend {
            let mut y = roi.ybegin;
            while y < roi.yend {
                let y1 = (y + chunk).min(roi.yend);
                let start = src.pixelindex(roi.xbegin, y, z, false) * pixel_bytes;
                let end = start + scanline * (y1 - y) as i64;
                // Bytes outside the buffer are undefined in OIIO; skip them.
                let (s, e) = (start.clamp(0, px.len() as i64), end.clamp(0, px.len() as i64));
                sha.update(&px[s as usize..e as usize]);
                y = y1;
            }
        }
    }
    sha.update(extrainfo);
    sha.hex_digest()
}

/// A small SHA-1 (FIPS 180-4), enough for pixel hashes.
mod sha1 {
    pub struct Sha1 {
        h: [u32; 5],
        buf: [u8; 64],
        nbuf: usize,
        len: u64,
    }

    impl Sha1 {
        pub fn new() -> Sha1 {
            Sha1 {
                h: [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0],
                buf: [0; 64],
                nbuf: 0,
                len: 0,
            }
        }

        pub fn update(&mut self, mut data: &[u8]) {
            self.len = self.len.wrapping_add(data.len() as u64);
            if self.nbuf > 0 {
                let take = (64 - self.nbuf).min(data.len());
                self.buf[self.nbuf..self.nbuf + take].copy_from_slice(&data[..take]);
                self.nbuf += take;
                data = &data[take..];
                if self.nbuf < 64 {
                    return;
                }
                let block = self.buf;
                self.block(&block);
                self.nbuf = 0;
            }
            let mut blocks = data.chunks_exact(64);
            for b in &mut blocks {
                self.block(b.try_into().expect("64 bytes"));
            }
            let rest = blocks.remainder();
            self.buf[..rest.len()].copy_from_slice(rest);
            self.nbuf = rest.len();
        }

        fn block(&mut self, b: &[u8; 64]) {
            let mut w = [0u32; 80];
            for (i, c) in b.chunks_exact(4).enumerate() {
                w[i] = u32::from_be_bytes([c[0], c[1], c[2], c[3]]);
            }
            for i in 16..80 {
                w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
            }
            let [mut a, mut bb, mut c, mut d, mut e] = self.h;
            for (i, wi) in w.iter().enumerate() {
                let (f, k) = match i / 20 {
                    0 => ((bb & c) | (!bb & d), 0x5A827999),
                    1 => (bb ^ c ^ d, 0x6ED9EBA1),
                    2 => ((bb & c) | (bb & d) | (c & d), 0x8F1BBCDC),
                    _ => (bb ^ c ^ d, 0xCA62C1D6),
                };
                let t = a
                    .rotate_left(5)
                    .wrapping_add(f)
                    .wrapping_add(e)
                    .wrapping_add(k)
                    .wrapping_add(*wi);
                e = d;
                d = c;
                c = bb.rotate_left(30);
                bb = a;
                a = t;
            }
            for (h, v) in self.h.iter_mut().zip([a, bb, c, d, e]) {
                *h = h.wrapping_add(v);
            }
        }

        pub fn hex_digest(mut self) -> String {
            let bits = self.len.wrapping_mul(8);
            let mut pad = vec![0x80u8];
            let fill = (64 + 56 - (self.nbuf + 1) % 64) % 64;
            pad.extend(std::iter::repeat_n(0u8, fill));
            pad.extend_from_slice(&bits.to_be_bytes());
            let len = self.len;
            self.update(&pad);
            self.len = len;
            self.h.iter().map(|v| format!("{v:08X}")).collect()
        }
    }
}

// ---------------------------------------------------------------------------
// histogram

/// Histogram of channel `channel` over `roi`: `bins` equal bins spanning
/// [min, max] (values clamped into range; NaN counts as `min`); with
/// `ignore_empty`, pixels that are 0 in all the ROI's channels are skipped.
/// Errors are also left on `src`, as OIIO does.
#[allow(clippy::too_many_arguments)]
pub fn histogram(
    src: &ImageBuf,
    channel: i32,
    bins: i32,
    min: f32,
    max: f32,
    ignore_empty: bool,
    roi: Roi,
    nthreads: i32,
) -> crate::Result<Vec<u64>> {
    let fail = |msg: String| {
        src.error(&msg);
        Err(crate::IbaError::Op(msg))
    };
    let nch = src.nchannels();
    if nch == 0 {
        return fail("Input image must have at least 1 channel".into());
    }
    if channel < 0 || channel >= nch {
        return fail(format!(
            "Invalid channel {channel} for input image with channels 0 to {}",
            nch - 1
        ));
    }
    if bins < 1 {
        return fail("The number of bins must be at least 1".into());
    }
    if max <= min {
        return fail("Invalid range, min must be strictly smaller than max".into());
    }
    let roi = if roi.defined() { roi } else { src.roi() };
    let nb = bins as usize;
    if roi.width() <= 0 || roi.height() <= 0 || roi.depth() <= 0 {
        return Ok(vec![0; nb]);
    }
    let ratio = bins as f32 / (max - min);
    // Read whole pixels (float rows are then borrowed, not copied).
    let rroi = Roi {
        chbegin: 0,
        chend: nch,
        ..roi
    };
    let nc = nch as usize;
    let ch = channel as usize;
    let (e0, e1) = (roi.chbegin.max(0) as usize, roi.chend.min(nch).max(0) as usize);
    let h = dispatch::rows_fold(
        &rroi,
        nthreads,
        vec![0u64; nb],
        |y, z, acc, scratch: &mut Scratch| {
            let vals = dispatch::row(src, &rroi, y, z, &mut scratch[0]);
            for px in vals.chunks_exact(nc) {
                if ignore_empty && px[e0..e1.max(e0)].iter().all(|v| *v == 0.0) {
                    continue;
                }
                let mut v = px[ch];
                if !(min <= v) {
                    v = min;
                }
                if v > max {
                    v = max;
                }
                let i = (((v - min) * ratio) as i32).clamp(0, bins - 1);
                acc[i as usize] += 1;
            }
        },
        |mut x, y| {
            x.iter_mut().zip(y).for_each(|(a, b)| *a += b);
            x
        },
    );
    Ok(h)
}

#[cfg(test)]
mod tests {
    use super::*;
    use vfx_core::{ImageSpec, TypeDesc};

    fn image(w: i32, h: i32, nch: i32, vals: &[f32]) -> ImageBuf {
        let spec = ImageSpec::new(w, h, nch, TypeDesc::FLOAT);
        let mut b = ImageBuf::from_spec(&spec);
        b.set_pixels(&b.roi(), TypeDesc::FLOAT, bytemuck::cast_slice(vals))
            .unwrap();
        b
    }

    #[test]
    fn sha1_known_vectors() {
        let hex = |s: &[u8]| {
            let mut h = sha1::Sha1::new();
            h.update(s);
            h.hex_digest()
        };
        assert_eq!(hex(b""), "DA39A3EE5E6B4B0D3255BFEF95601890AFD80709");
        assert_eq!(hex(b"abc"), "A9993E364706816ABA3E25717850C26C9CD0D89D");
        let long = b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
        assert_eq!(hex(long), "84983E441C3BD26EBAAE4AA1F95129E5E54670F1");
        let mut h = sha1::Sha1::new();
        for chunk in long.chunks(7) {
            h.update(chunk);
        }
        assert_eq!(h.hex_digest(), "84983E441C3BD26EBAAE4AA1F95129E5E54670F1");
    }

    #[test]
    fn stats_count_nan_and_inf() {
        let b = image(2, 1, 2, &[1.0, f32::NAN, 3.0, f32::INFINITY]);
        let s = compute_pixel_stats(&b, Roi::ALL, 0);
        assert_eq!(s.min, vec![1.0, 0.0]);
        assert_eq!(s.max, vec![3.0, 0.0]);
        assert_eq!(s.avg, vec![2.0, 0.0]);
        assert_eq!(s.stddev, vec![1.0, 0.0]);
        assert_eq!(s.nancount, vec![0, 1]);
        assert_eq!(s.infcount, vec![0, 1]);
        assert_eq!(s.finitecount, vec![2, 0]);
        assert_eq!(s.sum, vec![4.0, 0.0]);
    }

    /// OIIO's loop written plainly: every value through `compare_value`,
    /// error sums per 4096-pixel batch.
    fn plain_compare(va: &[f32], vb: &[f32], w: usize, nc: usize, t: Thresh) -> (CmpState, f64, f64) {
        let mut st = CmpState {
            maxerror: 0.0,
            pos: [0; 4],
            maxval: 1.0,
            nwarn: 0,
            nfail: 0,
        };
        let (mut tot, mut tot2) = (0.0, 0.0);
        let npix = va.len() / nc;
        for batch in (0..npix).collect::<Vec<_>>().chunks(BATCH as usize) {
            let mut sums = (0.0, 0.0);
            for &p in batch {
                let mut flags = (false, false);
                for c in 0..nc {
                    let pos = [(p % w) as i32, (p / w) as i32, 0, c as i32];
                    compare_value(
                        &mut st,
                        va[p * nc + c],
                        vb[p * nc + c],
                        pos,
                        &mut sums,
                        &mut flags,
                        t,
                        true,
                    );
                }
            }
            tot += sums.0;
            tot2 += sums.1;
        }
        (st, tot, tot2)
    }

    #[test]
    fn compare_matches_plain_loop() {
        let (w, h, nc) = (300, 40, 3);
        let n = w * h * nc;
        let va: Vec<f32> = (0..n).map(|i| (i % 97) as f32 / 97.0).collect();
        let mut vb: Vec<f32> = (0..n).map(|i| ((i * 7) % 101) as f32 / 101.0).collect();
        let t = Thresh {
            fail: 0.5,
            warn: 0.25,
            failrel: 0.1,
            warnrel: 0.0,
        };
        for special in [false, true] {
            if special {
                vb[5000] = f32::NAN;
                vb[9000] = f32::INFINITY;
                vb[20000] = f32::NAN;
            }
            let (a, b) = (
                image(w as i32, h as i32, nc as i32, &va),
                image(w as i32, h as i32, nc as i32, &vb),
            );
            let (st, tot, tot2) = plain_compare(&va, &vb, w, nc, t);
            for nt in [0, 1] {
                let r = compare(&a, &b, 0.5, 0.25, 0.1, 0.0, Roi::ALL, nt);
                assert_eq!(r.nfail, st.nfail);
                assert_eq!(r.nwarn, st.nwarn);
                assert_eq!(r.maxerror.to_bits(), st.maxerror.to_bits());
                assert_eq!([r.maxx, r.maxy, r.maxz, r.maxc], st.pos);
                assert_eq!(r.meanerror.to_bits(), (tot / n as f64).to_bits());
                assert_eq!(r.rms_error.to_bits(), (tot2 / n as f64).sqrt().to_bits());
                assert_eq!(r.error, st.nfail > 0);
            }
        }
    }

    #[test]
    fn constant_and_monochrome() {
        let b = image(2, 2, 3, &[0.5; 12]);
        assert_eq!(is_constant_color(&b, 0.0, Roi::ALL, 0), (true, vec![0.5; 3]));
        assert!(is_constant_channel(&b, 1, 0.5, 0.0, Roi::ALL, 0));
        assert!(!is_constant_channel(&b, 3, 0.5, 0.0, Roi::ALL, 0));
        assert!(is_monochrome(&b, 0.0, Roi::ALL, 0));
        let mut c = b.clone();
        c.setpixel(1, 1, 0, &[0.5, 0.6, 0.5]);
        assert!(!is_constant_color(&c, 0.0, Roi::ALL, 0).0);
        assert!(!is_monochrome(&c, 0.0, Roi::ALL, 0));
        assert!(is_monochrome(&c, 0.2, Roi::ALL, 0));
        assert_eq!(nonzero_region(&c, Roi::ALL, 0), Roi::new(0, 2, 0, 2, 0, 1, 0, 3));
    }

    #[test]
    fn histogram_and_range_check() {
        let b = image(4, 1, 1, &[0.0, 0.3, 0.6, f32::NAN]);
        assert_eq!(histogram(&b, 0, 2, 0.0, 1.0, false, Roi::ALL, 0).unwrap(), vec![3, 1]);
        assert!(histogram(&b, 1, 2, 0.0, 1.0, false, Roi::ALL, 0).is_err());
        assert_eq!(color_range_check(&b, &[0.1], &[0.5], Roi::ALL, 0).unwrap(), (1, 1, 2));
    }
}

#[cfg(test)]
mod timing {
    use super::*;
    use vfx_core::{ImageSpec, TypeDesc};

    /// `cargo test --release -p vfx-iba compare::timing -- --ignored --nocapture`
    #[test]
    #[ignore]
    fn uhd_rgba_float() {
        let spec = ImageSpec::new(3840, 2160, 4, TypeDesc::FLOAT);
        let mut a = ImageBuf::from_spec(&spec);
        let n = 3840 * 2160 * 4;
        let va: Vec<f32> = (0..n).map(|i| ((i * 7919) % 10007) as f32 / 10007.0).collect();
        let vb: Vec<f32> = va.iter().map(|v| v + 0.001).collect();
        a.set_pixels(&a.roi(), TypeDesc::FLOAT, bytemuck::cast_slice(&va))
            .unwrap();
        let mut b = ImageBuf::from_spec(&spec);
        b.set_pixels(&b.roi(), TypeDesc::FLOAT, bytemuck::cast_slice(&vb))
            .unwrap();
        for nt in [1, 0] {
            let t = std::time::Instant::now();
            let s = compute_pixel_stats(&a, Roi::ALL, nt);
            eprintln!(
                "stats nthreads={nt}: {:?} {:?} {:?} {:?} {:?}",
                t.elapsed(),
                s.avg,
                s.min,
                s.max,
                s.finitecount
            );
            let t = std::time::Instant::now();
            let r = compare(&a, &b, 0.01, 0.001, 0.0, 0.0, Roi::ALL, nt);
            eprintln!("compare nthreads={nt}: {:?} {}", t.elapsed(), r.meanerror);
            let t = std::time::Instant::now();
            let h = histogram(&a, 1, 256, 0.0, 1.0, false, Roi::ALL, nt).unwrap();
            eprintln!("histogram nthreads={nt}: {:?} {}", t.elapsed(), h[0]);
        }
    }
}
