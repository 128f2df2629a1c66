//! OIIO's deep family (`imagebufalgo_deep.cpp`): `flatten`, `deepen`,
//! `deep_merge`, `deep_holdout`.
//!
//! The per-pixel compositing (split, sort, merge, cull, opaque depth) lives
//! in `vfx_core::DeepData`; these ops prepare the destination as OIIO does
//! and apply those operations pixel by pixel. Flattening runs rows in
//! parallel. `deep_merge` and `deep_holdout` into a fresh destination work
//! on per-row scratch stores in parallel and then move the rows into the
//! destination; into an existing deep image (whose pixels may already hold
//! samples) and for `deepen` they change one shared sample store in order.

use crate::dispatch::{load_row, rows_into};
use crate::prep::{prep, Prep};
use crate::{copy, IbaError, Result};
use rayon::prelude::*;
use vfx_core::{DeepData, ImageBuf, Roi, TypeDesc};

const DEEP: Prep = Prep {
    support_deep: true,
    ..Prep::DEFAULT
};

/// `prep` for an op whose new destination is deep: failing to allocate it
/// is OIIO's unguarded `std::bad_alloc`.
fn deep_prep(
    roi: Roi,
    dst: &mut ImageBuf,
    srcs: &[&ImageBuf],
    force: Option<&vfx_core::ImageSpec>,
    how: Prep,
) -> Result<Roi> {
    let fresh = !dst.initialized();
    match prep(roi, dst, srcs, force, how) {
        Err(IbaError::Alloc(_)) if fresh && force.is_none_or(|f| f.deep) => Err(IbaError::BadAlloc),
        r => r,
    }
}

/// Every (x, y, z) of `roi`, z slowest, x fastest.
fn pixels(roi: Roi) -> impl Iterator<Item = (i32, i32, i32)> {
    (roi.zbegin..roi.zend)
        .flat_map(move |z| (roi.ybegin..roi.yend).flat_map(move |y| (roi.xbegin..roi.xend).map(move |x| (x, y, z))))
}

/// A channel or pixel index as DeepData takes it (negative: nothing).
fn ix(i: i64) -> usize {
    usize::try_from(i).unwrap_or(usize::MAX)
}

/// OIIO's `ImageBuf::copy` used when an op is asked for what the image
/// already is (flatten a flat image, deepen a deep one).
fn copy_whole(dst: &mut ImageBuf, src: &ImageBuf) -> Result {
    if dst.copy_from(src, TypeDesc::UNKNOWN) {
        Ok(())
    } else {
        Err(IbaError::Silent)
    }
}

/// A new destination gets the first input's per-channel types, as OIIO's
/// preparation keeps them (unless the inputs' formats differ, which makes
/// it all float); `prep` drops them, which deep images would show.
fn keep_channel_types(dst: &mut ImageBuf, was_init: bool, srcs: &[&ImageBuf]) {
    let a = srcs[0].spec();
    if was_init
        || a.channelformats.len() != dst.nchannels().max(0) as usize
        || srcs.iter().any(|s| s.spec().format != a.format)
    {
        return;
    }
    let mut spec = dst.spec().clone();
    spec.channelformats = a.channelformats.clone();
    dst.reset(&spec);
}

/// Composite the samples of each pixel front to back into a flat image
/// (OIIO's `flatten`). As OIIO, assumes the samples are sorted and do not
/// overlap; the colour channels named R, G, B use AR, AG, AB.
pub fn flatten(dst: &mut ImageBuf, src: &ImageBuf, roi: Roi, nthreads: i32) -> Result {
    if !src.spec().deep {
        return copy_whole(dst, src);
    }
    let mut force = src.spec().clone();
    force.deep = false;
    force.channelformats.clear();
    let roi = prep(
        roi,
        dst,
        &[src],
        Some(&force),
        Prep {
            deep_mixed: true,
            ..DEEP
        },
    )?;
    if dst.spec().deep {
        return Err(IbaError::Op("Cannot flatten to a deep image".into()));
    }
    let Some(dd) = src.deepdata() else {
        return Err(IbaError::Silent);
    };
    let (ar, ag, ab) = (dd.ar_channel(), dd.ag_channel(), dd.ab_channel());
    if ar < 0 || ag < 0 || ab < 0 {
        return Err(IbaError::Op("No alpha channel could be identified".into()));
    }
    let spec = src.spec();
    let nc = spec.nchannels.max(0) as usize;
    let (zc, zbc) = (dd.z_channel(), dd.zback_channel());
    let (rc, gc, bc) = (spec.channelindex("R"), spec.channelindex("G"), spec.channelindex("B"));
    let (ar, ag, ab) = (ar as usize, ag as usize, ab as usize);
    // Which accumulated alpha weighs each channel: 0 = the average, 1-3 = AR/AG/AB.
    let weight: Vec<u8> = (0..nc as i32)
        .map(|c| match c {
            _ if c == rc => 1,
            _ if c == gc => 2,
            _ if c == bc => 3,
            _ => 0,
        })
        .collect();
    let is_z: Vec<bool> = (0..nc as i32).map(|c| c == zc || c == zbc).collect();
    let rnc = roi.nchannels().max(0) as usize;
    rows_into(dst, &roi, nthreads, |y, z, out, _| {
        let mut val = vec![0.0f32; nc];
        for (i, x) in (roi.xbegin..roi.xend).enumerate() {
            let p = src.pixelindex(x, y, z, true);
            let samps = if p >= 0 { dd.samples(p as usize) as usize } else { 0 };
            val.iter_mut().for_each(|v| *v = 0.0);
            if samps == 0 {
                for c in [zc, zbc] {
                    if c >= 0 {
                        val[c as usize] = 1.0e30;
                    }
                }
            }
            let p = ix(p);
            for s in 0..samps {
                let (a_r, a_g, a_b) = (val[ar], val[ag], val[ab]);
                let alpha = (a_r + a_g + a_b) / 3.0;
                if alpha >= 1.0 {
                    break;
                }
                for c in 0..nc {
                    let v = dd.deep_value(p, c, s);
                    if is_z[c] {
                        // Depths are not premultiplied.
                        val[c] *= alpha;
                    }
                    let a = match weight[c] {
                        1 => a_r,
                        2 => a_g,
                        3 => a_b,
                        _ => alpha,
                    };
                    val[c] += (1.0 - a) * v;
                }
            }
            let o = &mut out[i * rnc..(i + 1) * rnc];
            for (k, c) in (roi.chbegin..roi.chend).enumerate() {
                o[k] = val.get(c as usize).copied().unwrap_or(0.0);
            }
        }
    });
    Ok(())
}

/// Turn a flat image into a deep one with one sample per pixel that has a
/// non-zero value (OIIO's `deepen`); without a channel named "Z", one is
/// added holding `zvalue`.
pub fn deepen(dst: &mut ImageBuf, src: &ImageBuf, zvalue: f32, roi: Roi, _nthreads: i32) -> Result {
    if src.spec().deep {
        return copy_whole(dst, src);
    }
    let sspec = src.spec();
    let nc = sspec.nchannels.max(0);
    let mut force = sspec.clone();
    force.deep = true;
    force.set_format(TypeDesc::FLOAT);
    force.channelformats.clear();
    let mut zback = -1;
    for c in 0..nc {
        match sspec.channel_name(c) {
            "Z" => force.z_channel = c,
            "Zback" => zback = c,
            _ => {}
        }
    }
    let add_z = force.z_channel < 0;
    if add_z {
        force.z_channel = force.nchannels;
        force.nchannels += 1;
        force.channelnames.push("Z".into());
    }
    let zc = force.z_channel;
    let roi = deep_prep(
        roi,
        dst,
        &[src],
        Some(&force),
        Prep {
            deep_mixed: true,
            ..DEEP
        },
    )?;
    if !dst.spec().deep {
        return Err(IbaError::Op("Cannot deepen to a flat image".into()));
    }
    if roi.width() <= 0 || roi.height() <= 0 || roi.depth() <= 0 {
        return Ok(());
    }
    // Source rows with every channel (0 outside the data window).
    let row_roi = |y: i32, z: i32| Roi::new(roi.xbegin, roi.xend, y, y + 1, z, z + 1, 0, nc);
    let nc = nc as usize;
    let mut vals = Vec::new();
    // First which pixels get a sample, then the values (OIIO's order: a
    // pixel that already had samples keeps them and gets sample 0 set).
    for z in roi.zbegin..roi.zend {
        for y in roi.ybegin..roi.yend {
            load_row(src, &row_roi(y, z), y, z, &mut vals);
            for (i, x) in (roi.xbegin..roi.xend).enumerate() {
                let px = &vals[i * nc..(i + 1) * nc];
                let is_depth = |c: usize| c as i32 == zc || c as i32 == zback;
                let mut has = px.iter().enumerate().any(|(c, &v)| !is_depth(c) && v != 0.0);
                if !has && !add_z {
                    has = px.iter().enumerate().any(|(c, &v)| is_depth(c) && v != 0.0 && v < 1e30);
                }
                if has {
                    dst.with_deep_pixel(x, y, z, |dd, p| dd.set_samples(p, 1));
                }
            }
        }
    }
    for z in roi.zbegin..roi.zend {
        for y in roi.ybegin..roi.yend {
            load_row(src, &row_roi(y, z), y, z, &mut vals);
            for (i, x) in (roi.xbegin..roi.xend).enumerate() {
                let px = &vals[i * nc..(i + 1) * nc];
                dst.with_deep_pixel(x, y, z, |dd, p| {
                    if dd.samples(p) == 0 {
                        return;
                    }
                    for (c, &v) in px.iter().enumerate() {
                        dd.set_deep_value(p, c, 0, v);
                    }
                    if add_z {
                        dd.set_deep_value(p, nc, 0, zvalue);
                    }
                });
            }
        }
    }
    Ok(())
}

/// Rows of `roi` computed in parallel into a fresh `dst`: for each row a
/// scratch store with dst's channels gets every pixel's capacity from `cap`
/// (all reserved before any sample exists, as the sequential form does on
/// dst), then `f(store, index in row, x, y, z)`; the rows are then moved
/// into dst (capacities first, then the samples), giving exactly what
/// applying the same steps to dst in place gives.
fn rows_parallel(
    dst: &mut ImageBuf,
    roi: Roi,
    nthreads: i32,
    cap: impl Fn(i32, i32, i32) -> u32 + Sync,
    f: impl Fn(&mut DeepData, usize, i32, i32, i32) -> bool + Sync,
) -> Result {
    let Some(dd) = dst.deepdata() else {
        return Err(IbaError::Silent);
    };
    let (names, types) = (dd.channel_names().to_vec(), dd.channel_types().to_vec());
    let w = roi.width().max(0) as usize;
    let rows: Vec<(i32, i32)> = (roi.zbegin..roi.zend)
        .flat_map(|z| (roi.ybegin..roi.yend).map(move |y| (y, z)))
        .collect();
    let run = |&(y, z): &(i32, i32)| -> Option<DeepData> {
        let mut row = DeepData::new(w, names.clone(), types.clone());
        for (i, x) in (roi.xbegin..roi.xend).enumerate() {
            row.set_capacity(i, cap(x, y, z));
        }
        for (i, x) in (roi.xbegin..roi.xend).enumerate() {
            if !f(&mut row, i, x, y, z) {
                return None;
            }
        }
        Some(row)
    };
    let done: Option<Vec<DeepData>> = if nthreads == 1 {
        rows.iter().map(run).collect()
    } else {
        rows.par_iter().map(run).collect()
    };
    let done = done.ok_or(IbaError::Silent)?;
    if done.is_empty() {
        return Ok(());
    }
    let whole = Roi {
        chbegin: 0,
        chend: dst.nchannels(),
        ..roi
    };
    if whole == dst.roi() {
        // The rows are the whole store, in order: assemble it from them.
        let Some(store) = DeepData::concat(done) else {
            return Err(IbaError::Silent);
        };
        if let Some(dd) = dst.deepdata_mut() {
            if dd.npixels() == store.npixels() {
                *dd = store;
                return Ok(());
            }
        }
        return Err(IbaError::Silent);
    }
    for (row, &(y, z)) in done.iter().zip(&rows) {
        for (i, x) in (roi.xbegin..roi.xend).enumerate() {
            dst.with_deep_pixel(x, y, z, |dd, p| dd.set_capacity(p, row.capacity(i)));
        }
    }
    for (row, &(y, z)) in done.iter().zip(&rows) {
        for (i, x) in (roi.xbegin..roi.xend).enumerate() {
            if row.samples(i) > 0 {
                dst.with_deep_pixel(x, y, z, |dd, p| dd.copy_deep_pixel(p, row, i));
            }
        }
    }
    Ok(())
}

/// Copy channels `c0..c1` of `src`'s pixel `sp` (none if negative) into
/// pixel `p` of `dd`, as `copy` does for deep images.
fn copy_channels(dd: &mut DeepData, p: usize, src: &DeepData, sp: i64, c0: usize, c1: usize) {
    let n = if sp >= 0 { src.samples(sp as usize) } else { 0 };
    dd.set_samples(p, n);
    if n == 0 {
        return;
    }
    let sp = sp as usize;
    for c in c0..c1 {
        let uint = dd.channel_type(c) == TypeDesc::UINT && src.channel_type(c) == TypeDesc::UINT;
        for s in 0..n as usize {
            if uint {
                dd.set_deep_value_uint(p, c, s, src.deep_value_uint(sp, c, s));
            } else {
                dd.set_deep_value(p, c, s, src.deep_value(sp, c, s));
            }
        }
    }
}

/// How many splits merging pixel `ap` of `a` with pixel `bp` of `b` may
/// cause, counting each image's samples against the other's and its own
/// (OIIO reserves this much room before merging).
fn merge_room(a: &DeepData, ap: usize, b: &DeepData, bp: usize) -> u32 {
    let span = |d: &DeepData, p: usize, s: usize| {
        (
            d.deep_value(p, ix(d.z_channel() as i64), s),
            d.deep_value(p, ix(d.zback_channel() as i64), s),
        )
    };
    let inside = |v: f32, (lo, hi): (f32, f32)| v > lo && v < hi;
    let crossings = |(f1, b1): (f32, f32), (f2, b2): (f32, f32)| {
        inside(f1, (f2, b2)) as u32
            + inside(b1, (f2, b2)) as u32
            + inside(f2, (f1, b1)) as u32
            + inside(b2, (f1, b1)) as u32
    };
    let (na, nb) = (a.samples(ap) as usize, b.samples(bp) as usize);
    let mut n = (na + nb) as u32;
    for s in 0..na {
        let sa = span(a, ap, s);
        for d in 0..nb {
            n += crossings(sa, span(b, bp, d));
        }
        for s2 in s..na {
            n += crossings(span(a, ap, s2), sa);
        }
    }
    for d in 0..nb {
        let sb = span(b, bp, d);
        for d2 in d..nb {
            n += crossings(span(b, bp, d2), sb);
        }
    }
    n
}

/// Merge two deep images sample by sample (OIIO's `deep_merge`): samples
/// are split against each other, sorted and exact overlaps combined; with
/// `occlusion_cull`, samples behind the first opaque one are dropped.
pub fn deep_merge(
    dst: &mut ImageBuf,
    a: &ImageBuf,
    b: &ImageBuf,
    occlusion_cull: bool,
    roi: Roi,
    nthreads: i32,
) -> Result {
    if !a.spec().deep || !b.spec().deep {
        return Err(IbaError::Op("deep_merge can only be performed on deep images".into()));
    }
    let was_init = dst.initialized();
    let roi = deep_prep(
        roi,
        dst,
        &[a, b],
        None,
        Prep {
            require_matching_channels: true,
            ..DEEP
        },
    )?;
    if !dst.spec().deep {
        return Err(IbaError::Op("Cannot deep_merge to a flat image".into()));
    }
    keep_channel_types(dst, was_init, &[a, b]);
    let (Some(add), Some(bdd)) = (a.deepdata(), b.deepdata()) else {
        return Err(IbaError::Silent);
    };
    if !was_init {
        // A fresh destination: pixels are independent, rows run in parallel.
        let nch = dst.nchannels();
        let (c0, c1) = (
            roi.chbegin.max(0) as usize,
            roi.chend.min(nch).min(a.nchannels()).max(0) as usize,
        );
        return rows_parallel(
            dst,
            roi,
            nthreads,
            |x, y, z| {
                merge_room(
                    add,
                    ix(a.pixelindex(x, y, z, true)),
                    bdd,
                    ix(b.pixelindex(x, y, z, true)),
                )
            },
            |dd, p, x, y, z| {
                copy_channels(dd, p, add, a.pixelindex(x, y, z, true), c0, c1);
                let ok = dd.merge_deep_pixels(p, bdd, ix(b.pixelindex(x, y, z, true)));
                if ok && occlusion_cull {
                    dd.occlusion_cull(p);
                }
                ok
            },
        );
    }
    for (x, y, z) in pixels(roi) {
        let (ap, bp) = (ix(a.pixelindex(x, y, z, true)), ix(b.pixelindex(x, y, z, true)));
        let room = merge_room(add, ap, bdd, bp);
        dst.with_deep_pixel(x, y, z, |dd, p| dd.set_capacity(p, room));
    }
    let copied = copy::copy(dst, a, TypeDesc::UNKNOWN, roi, nthreads);
    for (x, y, z) in pixels(roi) {
        let bp = ix(b.pixelindex(x, y, z, true));
        let merged = dst.with_deep_pixel(x, y, z, |dd, p| {
            let ok = dd.merge_deep_pixels(p, bdd, bp);
            if ok && occlusion_cull {
                dd.occlusion_cull(p);
            }
            ok
        });
        if merged == Some(false) {
            return Err(IbaError::Silent);
        }
    }
    copied
}

/// Cut away what lies behind the depth at which `holdout` becomes opaque
/// (OIIO's `deep_holdout`), splitting samples that straddle that depth.
pub fn deep_holdout(dst: &mut ImageBuf, src: &ImageBuf, holdout: &ImageBuf, roi: Roi, nthreads: i32) -> Result {
    if !src.spec().deep || !holdout.spec().deep {
        return Err(IbaError::Op("deep_holdout can only be performed on deep images".into()));
    }
    let was_init = dst.initialized();
    let roi = deep_prep(roi, dst, &[src, holdout], None, DEEP)?;
    if !dst.spec().deep {
        return Err(IbaError::Op("Cannot deep_holdout into a flat image".into()));
    }
    keep_channel_types(dst, was_init, &[src, holdout]);
    let (Some(sdd), Some(hdd)) = (src.deepdata(), holdout.deepdata()) else {
        return Err(IbaError::Silent);
    };
    let Some(dd) = dst.deepdata() else {
        return Err(IbaError::Silent);
    };
    let (zc, zbc) = (ix(dd.z_channel() as i64), ix(dd.zback_channel() as i64));
    // One pixel: src's samples, cut behind the holdout's opaque depth.
    let hold = |dd: &mut DeepData, p: usize, sp: usize, hp: i64| {
        if !dd.copy_deep_pixel(p, sdd, sp) {
            return false;
        }
        if hp < 0 {
            return true;
        }
        let zthresh = hdd.opaque_z(hp as usize);
        let cut_behind = |dd: &mut DeepData, chan: usize| {
            let n = dd.samples(p) as usize;
            if let Some(s) = (0..n).find(|&s| dd.deep_value(p, chan, s) > zthresh) {
                dd.set_samples(p, s as u32);
            }
        };
        cut_behind(dd, zc);
        if dd.split(p, zthresh) {
            cut_behind(dd, zbc);
        }
        true
    };
    if !was_init {
        // A fresh destination: pixels are independent, rows run in parallel.
        return rows_parallel(
            dst,
            roi,
            nthreads,
            |x, y, z| {
                let sp = src.pixelindex(x, y, z, true);
                if sp >= 0 {
                    sdd.capacity(sp as usize)
                } else {
                    0
                }
            },
            |dd, p, x, y, z| {
                let sp = src.pixelindex(x, y, z, true);
                sp < 0 || hold(dd, p, sp as usize, holdout.pixelindex(x, y, z, true))
            },
        );
    }
    for (x, y, z) in pixels(roi) {
        let sp = src.pixelindex(x, y, z, true);
        if sp >= 0 {
            let cap = sdd.capacity(sp as usize);
            dst.with_deep_pixel(x, y, z, |dd, p| dd.set_capacity(p, cap));
        }
    }
    for (x, y, z) in pixels(roi) {
        let sp = src.pixelindex(x, y, z, true);
        if sp < 0 {
            continue;
        }
        let hp = holdout.pixelindex(x, y, z, true);
        let ok = dst.with_deep_pixel(x, y, z, |dd, p| hold(dd, p, sp as usize, hp));
        if ok == Some(false) {
            return Err(IbaError::Silent);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use vfx_core::ImageSpec;

    fn deep_image(w: i32, names: &[&str]) -> ImageBuf {
        let mut spec = ImageSpec::new(w, 1, names.len() as i32, TypeDesc::FLOAT);
        spec.channelnames = names.iter().map(|s| s.to_string()).collect();
        spec.deep = true;
        ImageBuf::from_spec(&spec)
    }

    fn add_sample(img: &mut ImageBuf, x: i32, vals: &[f32]) {
        img.with_deep_pixel(x, 0, 0, |dd, p| {
            let s = dd.samples(p) as usize;
            dd.set_samples(p, s as u32 + 1);
            for (c, v) in vals.iter().enumerate() {
                dd.set_deep_value(p, c, s, *v);
            }
        });
    }

    const RGBAZ: &[&str] = &["R", "G", "B", "A", "Z", "Zback"];

    #[test]
    fn flatten_composites_front_to_back() {
        let mut src = deep_image(2, RGBAZ);
        add_sample(&mut src, 0, &[0.5, 0.0, 0.0, 0.5, 1.0, 2.0]);
        add_sample(&mut src, 0, &[0.0, 0.4, 0.0, 0.4, 3.0, 4.0]);
        let mut flat = ImageBuf::new();
        flatten(&mut flat, &src, Roi::ALL, 0).unwrap();
        assert!(!flat.spec().deep);
        let p = flat.getpixel(0, 0, 0, vfx_core::Wrap::Black);
        assert_eq!(p[0], 0.5);
        assert!((p[1] - 0.2).abs() < 1e-6);
        assert!((p[3] - 0.7).abs() < 1e-6);
        // Empty pixel: colours 0, depths "infinitely" far.
        let e = flat.getpixel(1, 0, 0, vfx_core::Wrap::Black);
        assert_eq!((e[0], e[4], e[5]), (0.0, 1.0e30, 1.0e30));
        let noalpha = deep_image(1, &["R", "Z"]);
        assert_eq!(
            flatten(&mut ImageBuf::new(), &noalpha, Roi::ALL, 0)
                .unwrap_err()
                .to_string(),
            "No alpha channel could be identified"
        );
    }

    #[test]
    fn deepen_adds_z_and_skips_empty_pixels() {
        let mut flat = ImageBuf::from_spec(&ImageSpec::new(3, 1, 2, TypeDesc::FLOAT));
        flat.setpixel(0, 0, 0, &[0.5, 1.0]);
        flat.setpixel(2, 0, 0, &[0.0, 0.25]);
        let mut d = ImageBuf::new();
        deepen(&mut d, &flat, 7.0, Roi::ALL, 0).unwrap();
        assert!(d.spec().deep);
        assert_eq!(d.nchannels(), 3);
        assert_eq!(d.spec().channelnames[2], "Z");
        assert_eq!(
            (
                d.deep_samples(0, 0, 0),
                d.deep_samples(1, 0, 0),
                d.deep_samples(2, 0, 0)
            ),
            (1, 0, 1)
        );
        assert_eq!(d.deep_value(0, 0, 0, 2, 0), 7.0);
        assert_eq!(d.deep_value(2, 0, 0, 1, 0), 0.25);
    }

    #[test]
    fn merge_and_holdout() {
        let mut a = deep_image(2, RGBAZ);
        let mut b = deep_image(2, RGBAZ);
        add_sample(&mut a, 0, &[0.5, 0.0, 0.0, 0.5, 10.0, 12.0]);
        add_sample(&mut b, 0, &[0.0, 0.5, 0.0, 0.5, 11.0, 13.0]);
        add_sample(&mut b, 1, &[0.0, 0.0, 1.0, 1.0, 5.0, 6.0]);
        add_sample(&mut b, 1, &[0.0, 0.0, 1.0, 1.0, 7.0, 8.0]);
        let mut m = ImageBuf::new();
        deep_merge(&mut m, &a, &b, true, Roi::ALL, 0).unwrap();
        assert_eq!(m.deep_samples(0, 0, 0), 3);
        assert_eq!(m.deep_samples(1, 0, 0), 1);
        let mut keep = ImageBuf::new();
        deep_merge(&mut keep, &a, &b, false, Roi::ALL, 0).unwrap();
        assert_eq!(keep.deep_samples(1, 0, 0), 2);

        let mut hold = deep_image(2, RGBAZ);
        add_sample(&mut hold, 0, &[0.0, 0.0, 0.0, 1.0, 11.0, 11.0]);
        let mut h = ImageBuf::new();
        deep_holdout(&mut h, &a, &hold, Roi::ALL, 0).unwrap();
        assert_eq!(h.deep_samples(0, 0, 0), 1);
        assert_eq!(h.deep_value(0, 0, 0, 5, 0), 11.0);
        // The parallel (fresh dst) and in-place (existing dst) paths agree,
        // capacities included.
        for nthreads in [0, 1] {
            let mut fresh = ImageBuf::new();
            deep_merge(&mut fresh, &a, &b, false, Roi::ALL, nthreads).unwrap();
            let mut existing = deep_image(2, RGBAZ);
            deep_merge(&mut existing, &a, &b, false, Roi::ALL, nthreads).unwrap();
            let (mut hf, mut he) = (ImageBuf::new(), deep_image(2, RGBAZ));
            deep_holdout(&mut hf, &keep, &hold, Roi::ALL, nthreads).unwrap();
            deep_holdout(&mut he, &keep, &hold, Roi::ALL, nthreads).unwrap();
            for (f, e) in [(&fresh, &existing), (&hf, &he)] {
                let (fd, ed) = (f.deepdata().unwrap(), e.deepdata().unwrap());
                for p in 0..2 {
                    assert_eq!((fd.samples(p), fd.capacity(p)), (ed.samples(p), ed.capacity(p)));
                    for s in 0..fd.samples(p) as usize {
                        for c in 0..6 {
                            assert_eq!(fd.deep_value(p, c, s), ed.deep_value(p, c, s));
                        }
                    }
                }
            }
        }
        let flat = ImageBuf::from_spec(&ImageSpec::new(2, 1, 6, TypeDesc::FLOAT));
        assert_eq!(
            deep_merge(&mut ImageBuf::new(), &a, &flat, true, Roi::ALL, 0)
                .unwrap_err()
                .to_string(),
            "deep_merge can only be performed on deep images"
        );
    }
}
