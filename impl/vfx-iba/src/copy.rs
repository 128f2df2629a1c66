//! copy, crop, cut, paste and circular_shift (OIIO's imagebufalgo_copy.cpp),
//! and the pixel mover the orient family shares.
//!
//! Every op here moves whole pixel values from one place to another. The
//! mover walks destination rows in parallel; for each row, the op says where
//! the source pixels lie (one or two runs of positions stepping along x or
//! y). Values of the same type are copied as bytes (bit-exact); other types
//! pass through `f32` with OIIO's conversion. Source pixels outside the
//! source's data window read as zero, as OIIO's black-wrap iterators do.

use crate::{prep, IbaError, Prep, Result};
use rayon::prelude::*;
use vfx_core::convert::{convert_bytes_with, Pixel};
use vfx_core::{BaseType, ImageBuf, ImageSpec, Roi, TypeDesc};

/// A run of destination pixels of one row: `n` pixels from dst x `x0`;
/// pixel `i` reads source pixel (sx + i*dx, sy + i*dy, sz).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Run {
    pub x0: i32,
    pub n: i32,
    pub sx: i32,
    pub sy: i32,
    pub sz: i32,
    pub dx: i32,
    pub dy: i32,
}

/// Up to two runs per row (a circular shift wraps once).
pub(crate) type Runs = [Option<Run>; 2];

/// One run covering the ROI row with source x following dst x.
pub(crate) fn straight(roi: &Roi, sx: i32, sy: i32, sz: i32, dx: i32, dy: i32) -> Runs {
    [
        Some(Run {
            x0: roi.xbegin,
            n: roi.width(),
            sx,
            sy,
            sz,
            dx,
            dy,
        }),
        None,
    ]
}

/// How channels map: dst channel `c` reads src channel `c + choff`; with
/// `zero_missing`, src channels past the source's count read zero (paste),
/// otherwise they read on into the next pixel's values, as OIIO's
/// unchecked channel index does (zero past the buffer's end).
#[derive(Clone, Copy)]
pub(crate) struct Chan {
    pub choff: i32,
    pub zero_missing: bool,
    /// Convert whole rows at once (OIIO's bulk conversion rounding) when
    /// rows are contiguous; otherwise value by value.
    pub grouped: bool,
}

impl Chan {
    pub const SAME: Chan = Chan {
        choff: 0,
        zero_missing: false,
        grouped: false,
    };
}

/// Geometry of a source image for lookups.
struct SrcGeom<'a> {
    bytes: &'a [u8],
    x: i32,
    y: i32,
    z: i32,
    w: i32,
    h: i32,
    d: i32,
    nch: usize,
    bs: usize,
    base: BaseType,
}

impl SrcGeom<'_> {
    /// First element index of pixel (x, y, z), if inside the data window.
    #[inline]
    fn elem(&self, x: i32, y: i32, z: i32) -> Option<usize> {
        let (dx, dy, dz) = (x.wrapping_sub(self.x), y.wrapping_sub(self.y), z.wrapping_sub(self.z));
        if dx < 0 || dy < 0 || dz < 0 || dx >= self.w || dy >= self.h || dz >= self.d {
            return None;
        }
        Some(((dz as usize * self.h as usize + dy as usize) * self.w as usize + dx as usize) * self.nch)
    }
    fn total(&self) -> usize {
        self.bytes.len() / self.bs
    }
}

/// Fill `roi` of `dst` (inside its data window; channels inside its own)
/// from `src` as `runs(y, z)` directs. Rows run in parallel unless
/// `nthreads == 1`.
pub(crate) fn remap<F>(dst: &mut ImageBuf, roi: &Roi, src: &ImageBuf, chan: Chan, nthreads: i32, runs: F)
where
    F: Fn(i32, i32) -> Runs + Sync,
{
    let ds = dst.spec().clone();
    // Clip to the data window and to dst's own channels.
    let roi = roi.intersection(&ds.roi());
    if roi.width() <= 0 || roi.height() <= 0 || roi.depth() <= 0 || roi.nchannels() <= 0 {
        return;
    }
    let ss = src.spec();
    let Some(sbytes) = src.pixels() else { return };
    let g = SrcGeom {
        bytes: sbytes,
        x: ss.x,
        y: ss.y,
        z: ss.z,
        w: ss.width,
        h: ss.height,
        d: ss.depth.max(1),
        nch: ss.nchannels.max(0) as usize,
        bs: ss.format.size(),
        base: ss.format.basetype,
    };
    let (dbase, dbs, dnch) = (ds.format.basetype, ds.format.size(), ds.nchannels as usize);
    let dpb = dbs * dnch;
    let line = ds.width as usize * dpb;
    let (dx0, dy0, dz0, dh) = (ds.x, ds.y, ds.z, ds.height.max(1) as usize);
    let Some(dbytes) = dst.pixels_mut() else { return };
    if line == 0 {
        return;
    }
    let (c0, c1) = (roi.chbegin as usize, roi.chend as usize);
    let same = g.base == dbase;
    let work = |(idx, row): (usize, &mut [u8]), scratch: &mut Vec<f32>| {
        let (y, z) = (dy0 + (idx % dh) as i32, dz0 + (idx / dh) as i32);
        if y < roi.ybegin || y >= roi.yend || z < roi.zbegin || z >= roi.zend {
            return;
        }
        for run in runs(y, z).into_iter().flatten() {
            // Clip the run to the ROI.
            let (a, b) = (run.x0.max(roi.xbegin), (run.x0 + run.n).min(roi.xend));
            if a >= b {
                continue;
            }
            let skip = a - run.x0;
            let run = Run {
                x0: a,
                n: b - a,
                sx: run.sx + skip * run.dx,
                sy: run.sy + skip * run.dy,
                ..run
            };
            let out = &mut row[(run.x0 - dx0) as usize * dpb..(run.x0 - dx0 + run.n) as usize * dpb];
            if same {
                copy_same(out, dnch, c0, c1, &g, &run, chan);
            } else {
                convert_run(out, dbase, dnch, c0, c1, &g, &run, chan, scratch);
            }
        }
    };
    if nthreads == 1 {
        let mut scratch = Vec::new();
        dbytes.chunks_mut(line).enumerate().for_each(|r| work(r, &mut scratch));
    } else {
        dbytes
            .par_chunks_mut(line)
            .enumerate()
            .for_each_init(Vec::new, |s, r| work(r, s));
    }
}

/// Source channel range of dst channels [c0, c1), and whether it lies
/// inside the source's own channels.
#[inline]
fn src_chans(c0: usize, c1: usize, chan: Chan, snch: usize) -> (i64, i64, bool) {
    let (a, b) = (c0 as i64 + chan.choff as i64, c1 as i64 + chan.choff as i64);
    (a, b, a >= 0 && b <= snch as i64)
}

/// Same pixel type: byte copies.
fn copy_same(out: &mut [u8], dnch: usize, c0: usize, c1: usize, g: &SrcGeom, run: &Run, chan: Chan) {
    let bs = g.bs;
    let dpb = dnch * bs;
    let (sa, sb, inside) = src_chans(c0, c1, chan, g.nch);
    let nbytes = (c1 - c0) * bs;
    // Whole contiguous pixels along x: one copy for the part inside src.
    if run.dx == 1 && run.dy == 0 && c0 == 0 && c1 == dnch && g.nch == dnch && sa == 0 {
        let n = run.n;
        let lo = (g.x - run.sx).clamp(0, n);
        let hi = (g.x + g.w - run.sx).clamp(lo, n);
        match g.elem(run.sx + lo, run.sy, run.sz) {
            Some(e) if hi > lo => {
                let (l, h) = (lo as usize * dpb, hi as usize * dpb);
                out[l..h].copy_from_slice(&g.bytes[e * bs..e * bs + (h - l)]);
                out[..l].fill(0);
                out[h..].fill(0);
            }
            _ => out.fill(0),
        }
        return;
    }
    let total = g.total();
    for i in 0..run.n as usize {
        let (x, y) = (run.sx + i as i32 * run.dx, run.sy + i as i32 * run.dy);
        let d = &mut out[i * dpb + c0 * bs..i * dpb + c0 * bs + nbytes];
        match g.elem(x, y, run.sz) {
            Some(e) if inside => {
                let s = (e + sa as usize) * bs;
                d.copy_from_slice(&g.bytes[s..s + nbytes]);
            }
            Some(e) => {
                for (k, sc) in (sa..sb).enumerate() {
                    let v = &mut d[k * bs..(k + 1) * bs];
                    let idx = e as i64 + sc;
                    if sc < 0 || (chan.zero_missing && sc >= g.nch as i64) || idx as usize >= total {
                        v.fill(0);
                    } else {
                        let s = idx as usize * bs;
                        v.copy_from_slice(&g.bytes[s..s + bs]);
                    }
                }
            }
            None => d.fill(0),
        }
    }
}

/// Different pixel types: source values to f32, then to the dst type.
#[allow(clippy::too_many_arguments)]
fn convert_run(
    out: &mut [u8],
    dbase: BaseType,
    dnch: usize,
    c0: usize,
    c1: usize,
    g: &SrcGeom,
    run: &Run,
    chan: Chan,
    scratch: &mut Vec<f32>,
) {
    let nc = c1 - c0;
    let n = run.n as usize;
    // Contiguous whole rows convert in one go, as OIIO's bulk path does.
    let (sa, _, inside) = src_chans(c0, c1, chan, g.nch);
    if run.dx == 1 && run.dy == 0 && c0 == 0 && c1 == dnch && g.nch == dnch && sa == 0 && inside {
        if let Some(e) = g
            .elem(run.sx, run.sy, run.sz)
            .filter(|_| g.elem(run.sx + run.n - 1, run.sy, run.sz).is_some())
        {
            let src = &g.bytes[e * g.bs..(e + n * nc) * g.bs];
            convert_bytes_with(src, g.base, out, dbase, chan.grouped);
            return;
        }
    }
    scratch.clear();
    scratch.resize(n * nc, 0.0);
    vfx_core::dispatch_pixel!(g.base, S => gather::<S>(scratch, g, run, c0, c1, chan), _ => {});
    vfx_core::dispatch_pixel!(dbase, D => {
        let o: &mut [D] = bytemuck::cast_slice_mut(out);
        for (p, v) in o.chunks_exact_mut(dnch).zip(scratch.chunks_exact(nc)) {
            for (d, s) in p[c0..c1].iter_mut().zip(v) {
                *d = D::from_f32_scalar(*s);
            }
        }
    }, _ => {});
}

fn gather<S: Pixel>(out: &mut [f32], g: &SrcGeom, run: &Run, c0: usize, c1: usize, chan: Chan) {
    let vals: &[S] = bytemuck::cast_slice(g.bytes);
    let nc = c1 - c0;
    let (sa, sb, inside) = src_chans(c0, c1, chan, g.nch);
    for (i, o) in out.chunks_exact_mut(nc).enumerate() {
        let (x, y) = (run.sx + i as i32 * run.dx, run.sy + i as i32 * run.dy);
        let Some(e) = g.elem(x, y, run.sz) else { continue };
        if inside {
            for (o, v) in o.iter_mut().zip(&vals[e + sa as usize..e + sb as usize]) {
                *o = v.to_f32();
            }
        } else {
            for (o, sc) in o.iter_mut().zip(sa..sb) {
                let idx = e as i64 + sc;
                if sc >= 0 && !(chan.zero_missing && sc >= g.nch as i64) && (idx as usize) < vals.len() {
                    *o = vals[idx as usize].to_f32();
                }
            }
        }
    }
}

/// OIIO's "common" pixel types, which its two-image dispatch handles
/// directly; others go through float copies.
pub(crate) fn is_common(t: TypeDesc) -> bool {
    matches!(
        t.basetype,
        BaseType::Float | BaseType::UInt8 | BaseType::Half | BaseType::UInt16
    )
}

/// A float copy of `b` (pixels converted in bulk), OIIO's temporary.
fn float_copy(b: &ImageBuf) -> ImageBuf {
    b.copy_as(TypeDesc::FLOAT).unwrap_or_default()
}

/// Run `f(dst, src)` under OIIO's two-image "common types" dispatch: an
/// uncommon source type is read from a float copy; an uncommon destination,
/// or one whose type differs from the source's and is not float, is worked
/// on as a float copy and converted back whole.
pub(crate) fn common2(dst: &mut ImageBuf, src: &ImageBuf, f: impl FnOnce(&mut ImageBuf, &ImageBuf)) {
    let tmp_src;
    let src = if is_common(src.spec().format) {
        src
    } else {
        tmp_src = float_copy(src);
        &tmp_src
    };
    let (dt, st) = (dst.spec().format, src.spec().format);
    if !is_common(dt) || (dt != st && dt != TypeDesc::FLOAT) {
        let mut tmp = float_copy(dst);
        f(&mut tmp, src);
        store_back(dst, &tmp);
    } else {
        f(dst, src);
    }
}

/// Convert the float pixels of `tmp` (same geometry) back into `dst`.
pub(crate) fn store_back(dst: &mut ImageBuf, tmp: &ImageBuf) {
    let db = dst.spec().format.basetype;
    let row = dst.spec().width.max(0) as usize * dst.nchannels().max(0) as usize;
    let (Some(t), Some(d)) = (tmp.pixels(), dst.pixels_mut()) else {
        return;
    };
    if row == 0 {
        return;
    }
    let ds = d.len() / (t.len() / 4).max(1);
    d.par_chunks_mut(row * ds)
        .zip(t.par_chunks(row * 4))
        .for_each(|(d, t)| {
            convert_bytes_with(t, BaseType::Float, d, db, true);
        });
}

/// `dst` = the pixels of `roi` of `src`, converted to `convert` when a new
/// `dst` is made (OIIO's `copy`). An initialized `dst` keeps its geometry
/// and type; only the ROI's pixels change.
pub fn copy(dst: &mut ImageBuf, src: &ImageBuf, convert: TypeDesc, roi: Roi, nthreads: i32) -> Result {
    let mut roi = roi;
    if roi.defined() {
        roi.chend = roi.chend.min(src.nchannels());
    }
    if !dst.initialized() {
        if !src.initialized() {
            // OIIO tries to allocate an empty image, then reports each step.
            dst.reset(&ImageSpec::default());
            return Err(IbaError::Op(format!(
                "{}\n{}\ncopy: Unsupported pixel data format 'unknown'",
                dst.geterror(true),
                IbaError::UninitializedInput
            )));
        }
        let mut spec = src.spec().clone();
        if !roi.defined() {
            roi = src.roi();
        }
        spec.set_roi(&roi);
        spec.nchannels = roi.chend;
        if !convert.is_unknown() {
            spec.set_format(convert);
        }
        dst.reset(&spec);
        if !dst.initialized() {
            return Err(IbaError::Alloc(dst.geterror(true)));
        }
    }
    // OIIO's copy does its own destination set-up and ignores the checks.
    roi = if roi.defined() {
        roi.intersection(&dst.roi())
    } else {
        dst.roi()
    };
    roi.chend = roi.chend.min(dst.nchannels().max(src.nchannels()));
    if dst.spec().deep {
        if !src.spec().deep {
            return Err(IbaError::MixedDeep);
        }
        copy_deep(dst, src, &roi);
        return Ok(());
    }
    if src.spec().deep {
        return Err(IbaError::MixedDeep);
    }
    let grouped = src.roi().contains_roi(&Roi {
        chend: 0,
        chbegin: 0,
        ..roi
    });
    let chan = Chan { grouped, ..Chan::SAME };
    remap(dst, &roi, src, chan, nthreads, |y, z| {
        straight(&roi, roi.xbegin, y, z, 1, 0)
    });
    Ok(())
}

/// Deep values of `roi` from `src` into `dst` (same pixel positions):
/// sample counts first, then values (uint channels stay integers).
fn copy_deep(dst: &mut ImageBuf, src: &ImageBuf, roi: &Roi) {
    let (Some(sd), true) = (src.deepdata(), dst.deepdata().is_some()) else {
        return;
    };
    let nch = dst.nchannels();
    let (c0, c1) = (roi.chbegin.max(0), roi.chend.min(nch).min(src.nchannels()));
    for z in roi.zbegin..roi.zend {
        for y in roi.ybegin..roi.yend {
            for x in roi.xbegin..roi.xend {
                let sp = src.pixelindex(x, y, z, true);
                let n = if sp >= 0 { sd.samples(sp as usize) } else { 0 };
                dst.with_deep_pixel(x, y, z, |dd, p| {
                    dd.set_samples(p, n);
                    if n == 0 || sp < 0 {
                        return;
                    }
                    let sp = sp as usize;
                    for c in c0 as usize..c1 as usize {
                        let uint = dd.channel_type(c) == TypeDesc::UINT && sd.channel_type(c) == TypeDesc::UINT;
                        for s in 0..n as usize {
                            if uint {
                                dd.set_deep_value_uint(p, c, s, sd.deep_value_uint(sp, c, s));
                            } else {
                                dd.set_deep_value(p, c, s, sd.deep_value(sp, c, s));
                            }
                        }
                    }
                });
            }
        }
    }
}

/// `dst` = a new image of just the `roi` region of `src` (same position;
/// display window and metadata from `src`). OIIO's `crop`.
pub fn crop(dst: &mut ImageBuf, src: &ImageBuf, roi: Roi, nthreads: i32) -> Result {
    dst.clear();
    let mut roi = roi;
    if roi.defined() {
        roi.chend = roi.chend.min(src.nchannels());
    }
    let roi = prep(
        roi,
        dst,
        &[src],
        None,
        Prep {
            support_deep: true,
            ..Prep::DEFAULT
        },
    )?;
    if dst.spec().deep {
        copy_deep(dst, src, &roi);
        return Ok(());
    }
    let grouped = src.roi().contains_roi(&Roi {
        chend: 0,
        chbegin: 0,
        ..roi
    });
    let chan = Chan { grouped, ..Chan::SAME };
    remap(dst, &roi, src, chan, nthreads, |y, z| {
        straight(&roi, roi.xbegin, y, z, 1, 0)
    });
    Ok(())
}

/// `crop`, then move the result to the origin with a display window equal
/// to its data window (OIIO's `cut`).
pub fn cut(dst: &mut ImageBuf, src: &ImageBuf, roi: Roi, nthreads: i32) -> Result {
    crop(dst, src, roi, nthreads)?;
    dst.set_origin(0, 0, 0);
    let r = dst.roi();
    dst.specmod().set_roi_full(&r);
    Ok(())
}

/// Put the `srcroi` region of `src` into `dst` with its corner at
/// (xbegin, ybegin, zbegin) and its first channel at `chbegin` (OIIO's
/// `paste`). An uninitialized `dst` becomes a float image of that region.
#[allow(clippy::too_many_arguments)]
pub fn paste(
    dst: &mut ImageBuf,
    xbegin: i32,
    ybegin: i32,
    zbegin: i32,
    chbegin: i32,
    src: &ImageBuf,
    srcroi: Roi,
    nthreads: i32,
) -> Result {
    let srcroi = if srcroi.defined() { srcroi } else { src.roi() };
    let dstroi = Roi::new(
        srcroi.xbegin + xbegin,
        srcroi.xbegin + xbegin + srcroi.width(),
        srcroi.ybegin + ybegin,
        srcroi.ybegin + ybegin + srcroi.height(),
        srcroi.zbegin + zbegin,
        srcroi.zbegin + zbegin + srcroi.depth(),
        srcroi.chbegin + chbegin,
        srcroi.chbegin + chbegin + srcroi.nchannels(),
    );
    if (dst.spec().deep || !dst.initialized()) && src.spec().deep {
        return paste_deep(dst, src, &dstroi, &srcroi);
    }
    prep(dstroi, dst, &[], None, Prep::DEFAULT)?;
    if src.spec().deep || dst.spec().deep {
        return Err(IbaError::Op("paste: deep images not supported".into()));
    }
    let (rx, ry, rz) = (
        dstroi.xbegin - srcroi.xbegin,
        dstroi.ybegin - srcroi.ybegin,
        dstroi.zbegin - srcroi.zbegin,
    );
    let chan = Chan {
        choff: -chbegin,
        zero_missing: true,
        grouped: false,
    };
    // Only the source ROI's channels that land inside dst are written.
    let work = Roi {
        chbegin: dstroi.chbegin.max(0),
        chend: dstroi.chend,
        ..dstroi
    };
    common2(dst, src, |d, s| {
        remap(d, &work, s, chan, nthreads, |y, z| {
            straight(&work, work.xbegin - rx, y - ry, z - rz, 1, 0)
        })
    });
    Ok(())
}

/// Deep paste: sample counts of the region first, then the pixels. As in
/// OIIO, positions become pixel indices without a range check, so a
/// pixel past a row's end lands at the start of the next row; only indices
/// outside the image are dropped.
fn paste_deep(dst: &mut ImageBuf, src: &ImageBuf, dstroi: &Roi, srcroi: &Roi) -> Result {
    if !dst.initialized() {
        dst.reset(src.spec());
    }
    let Some(sd) = src.deepdata() else { return Ok(()) };
    let (rx, ry, rz) = (
        dstroi.xbegin - srcroi.xbegin,
        dstroi.ybegin - srcroi.ybegin,
        dstroi.zbegin - srcroi.zbegin,
    );
    let index = |b: &ImageBuf, n: usize, x: i32, y: i32, z: i32| {
        usize::try_from(b.pixelindex(x, y, z, false)).ok().filter(|p| *p < n)
    };
    let sn = sd.npixels();
    let dn = dst.deepdata().map_or(0, |d| d.npixels());
    let mut moves = Vec::new();
    for z in srcroi.zbegin..srcroi.zend {
        for y in srcroi.ybegin..srcroi.yend {
            for x in srcroi.xbegin..srcroi.xend {
                if let Some(dp) = index(dst, dn, x + rx, y + ry, z + rz) {
                    moves.push((dp, index(src, sn, x, y, z)));
                }
            }
        }
    }
    let Some(dd) = dst.deepdata_mut() else { return Ok(()) };
    for &(dp, sp) in &moves {
        dd.set_samples(dp, sp.map_or(0, |p| sd.samples(p)));
    }
    for &(dp, sp) in &moves {
        match sp {
            Some(p) => {
                dd.copy_deep_pixel(dp, sd, p);
            }
            None => dd.set_samples(dp, 0),
        }
    }
    Ok(())
}

/// OIIO's `wrap_periodic`: `v` into [begin, begin + len).
fn wrap(v: i64, begin: i32, len: i32) -> i32 {
    if len <= 0 {
        return begin;
    }
    (begin as i64 + (v - begin as i64).rem_euclid(len as i64)) as i32
}

/// Shift the pixels of `roi` circularly by (xshift, yshift, zshift) within
/// the ROI (OIIO's `circular_shift`).
pub fn circular_shift(
    dst: &mut ImageBuf,
    src: &ImageBuf,
    xshift: i32,
    yshift: i32,
    zshift: i32,
    roi: Roi,
    nthreads: i32,
) -> Result {
    let roi = prep(roi, dst, &[src], None, Prep::DEFAULT)?;
    let (w, h, d) = (roi.width(), roi.height(), roi.depth());
    common2(dst, src, |dd, s| {
        remap(dd, &roi, s, Chan::SAME, nthreads, |y, z| {
            let sy = wrap(y as i64 - yshift as i64, roi.ybegin, h);
            let sz = wrap(z as i64 - zshift as i64, roi.zbegin, d);
            // dst x reads src x - xshift, wrapping once at the ROI's edge.
            let sx0 = wrap(roi.xbegin as i64 - xshift as i64, roi.xbegin, w);
            let first = roi.xend - sx0;
            [
                Some(Run {
                    x0: roi.xbegin,
                    n: first,
                    sx: sx0,
                    sy,
                    sz,
                    dx: 1,
                    dy: 0,
                }),
                (first < w).then_some(Run {
                    x0: roi.xbegin + first,
                    n: w - first,
                    sx: roi.xbegin,
                    sy,
                    sz,
                    dx: 1,
                    dy: 0,
                }),
            ]
        })
    });
    Ok(())
}

/// A spec for a new float-or-given-type image over `roi` with default
/// channel names (the spec OIIO's preparation makes without an input).
pub(crate) fn plain_spec(roi: &Roi, format: TypeDesc) -> ImageSpec {
    let mut s = ImageSpec::with_format(format);
    s.nchannels = roi.chend;
    s.default_channel_names();
    s
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::new_image;
    use vfx_core::Wrap;

    /// A w x h image of type `t` with value (x + 10 y + 100 c) / 1000.
    pub(crate) fn ramp(w: i32, h: i32, n: i32, t: TypeDesc, x0: i32, y0: i32) -> ImageBuf {
        let mut spec = ImageSpec::new(w, h, n, t);
        spec.x = x0;
        spec.y = y0;
        spec.full_x = x0;
        spec.full_y = y0;
        let mut b = ImageBuf::from_spec(&spec);
        for y in y0..y0 + h {
            for x in x0..x0 + w {
                let v: Vec<f32> = (0..n)
                    .map(|c| ((x - x0) + 10 * (y - y0) + 100 * c) as f32 / 1000.0)
                    .collect();
                b.setpixel(x, y, 0, &v);
            }
        }
        b
    }

    pub(crate) fn px(b: &ImageBuf, x: i32, y: i32) -> Vec<f32> {
        b.getpixel(x, y, 0, Wrap::Black)
    }

    #[test]
    fn crop_keeps_position_and_channels() {
        let a = ramp(6, 4, 3, TypeDesc::UINT16, 2, 1);
        let r = new_image("crop", |d| crop(d, &a, Roi::new(3, 5, 2, 4, 0, 1, 1, 2), 0));
        assert_eq!((r.spec().x, r.spec().y, r.spec().width, r.spec().height), (3, 2, 2, 2));
        assert_eq!(r.nchannels(), 3);
        assert_eq!(r.spec().full_width, 6);
        let p = px(&r, 4, 3);
        assert_eq!(p[0], 0.0);
        assert_eq!(p[1], px(&a, 4, 3)[1]);
        let c = new_image("cut", |d| cut(d, &a, Roi::new(3, 5, 2, 4, 0, 1, 0, 3), 0));
        assert_eq!((c.spec().x, c.spec().full_x, c.spec().full_width), (0, 0, 2));
        assert_eq!(px(&c, 0, 0), px(&a, 3, 2));
    }

    #[test]
    fn copy_converts_and_is_exact_for_same_type() {
        let mut a = ImageBuf::from_spec(&ImageSpec::new(3, 2, 1, TypeDesc::UINT));
        let vals: Vec<u32> = vec![1, 123456789, u32::MAX, 7, 0, 99];
        a.pixels_mut().unwrap().copy_from_slice(bytemuck::cast_slice(&vals));
        let r = new_image("copy", |d| copy(d, &a, TypeDesc::UNKNOWN, Roi::ALL, 0));
        assert_eq!(r.pixels().unwrap(), a.pixels().unwrap());
        let f = ramp(4, 4, 2, TypeDesc::FLOAT, 0, 0);
        let r = new_image("copy", |d| copy(d, &f, TypeDesc::UINT8, Roi::ALL, 1));
        assert_eq!(r.spec().format, TypeDesc::UINT8);
        assert_eq!(r.pixels().unwrap()[2 * 5], (0.011f32 * 255.0).round() as u8);
    }

    #[test]
    fn paste_with_offsets_and_channel_shift() {
        let a = ramp(2, 2, 2, TypeDesc::FLOAT, 0, 0);
        let mut d = ImageBuf::from_spec(&ImageSpec::new(4, 4, 3, TypeDesc::UINT8));
        paste(&mut d, 1, 2, 0, 1, &a, Roi::ALL, 0).unwrap();
        assert_eq!(px(&d, 2, 3)[1], (0.011f32 * 255.0).round() * (1.0 / 255.0));
        assert_eq!(px(&d, 2, 3)[0], 0.0);
        // Pasting past the edge only writes what overlaps.
        paste(&mut d, 3, 3, 0, 0, &a, Roi::ALL, 0).unwrap();
        assert!(px(&d, 3, 3)[0] == 0.0);
    }

    #[test]
    fn circular_shift_wraps_negative() {
        let a = ramp(5, 3, 1, TypeDesc::HALF, 0, 0);
        let r = new_image("cs", |d| circular_shift(d, &a, -2, 1, 0, Roi::ALL, 0));
        for y in 0..3 {
            for x in 0..5 {
                assert_eq!(px(&r, x, y), px(&a, (x + 2) % 5, (y + 2) % 3));
            }
        }
    }
}
