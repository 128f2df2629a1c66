//! flip, flop, transpose, rotate90/180/270 and reorient (OIIO's
//! imagebufalgo_orient.cpp). Mirrors and rotations are taken about the
//! display (full) window; the moved pixels keep bit-exact values.

use crate::copy::{common2, plain_spec, remap, straight, Chan};
use crate::{prep, IbaError, Prep, Result};
use vfx_core::{ImageBuf, Roi};

/// The source ROI: the given one, or src's data window.
fn src_roi(src: &ImageBuf, roi: Roi) -> Roi {
    if roi.defined() {
        roi
    } else {
        src.roi()
    }
}

/// Prepare `dst` over `dst_roi` like `src`, optionally giving a new `dst`
/// the display window `full`, then move pixels: `runs(dst_full, x, y)`
/// gives the source (x, y) of dst pixel (x, y) and the source step per dst
/// x step.
fn reorder<F>(dst: &mut ImageBuf, src: &ImageBuf, dst_roi: Roi, full: Option<Roi>, nthreads: i32, runs: F) -> Result
where
    F: Fn(&Roi, i32, i32) -> (i32, i32, i32, i32) + Sync,
{
    let was_init = dst.initialized();
    let roi = prep(dst_roi, dst, &[src], None, Prep::DEFAULT)?;
    if let (false, Some(f)) = (was_init, full) {
        dst.specmod().set_roi_full(&f);
    }
    let dfull = dst.roi_full();
    common2(dst, src, |d, s| {
        remap(d, &roi, s, Chan::SAME, nthreads, |y, z| {
            let (sx, sy, dx, dy) = runs(&dfull, roi.xbegin, y);
            straight(&roi, sx, sy, z, dx, dy)
        })
    });
    Ok(())
}

/// Upside-down: row y of the display window swaps with its mirror.
pub fn flip(dst: &mut ImageBuf, src: &ImageBuf, roi: Roi, nthreads: i32) -> Result {
    let sr = src_roi(src, roi);
    let sf = src.roi_full();
    let start = sf.yend - (sr.ybegin - sf.ybegin) - sr.height();
    let dst_roi = Roi {
        ybegin: start,
        yend: start + sr.height(),
        ..sr
    };
    reorder(dst, src, dst_roi, None, nthreads, |df, x, y| {
        (x, sf.yend - 1 - (y - df.ybegin), 1, 0)
    })
}

/// Left-right mirror about the display window.
pub fn flop(dst: &mut ImageBuf, src: &ImageBuf, roi: Roi, nthreads: i32) -> Result {
    let sr = src_roi(src, roi);
    let sf = src.roi_full();
    let start = sf.xend - (sr.xbegin - sf.xbegin) - sr.width();
    let dst_roi = Roi {
        xbegin: start,
        xend: start + sr.width(),
        ..sr
    };
    reorder(dst, src, dst_roi, None, nthreads, |df, x, y| {
        (sf.xend - 1 - (x - df.xbegin), y, -1, 0)
    })
}

/// A quarter turn clockwise (OIIO's `rotate90`).
pub fn rotate90(dst: &mut ImageBuf, src: &ImageBuf, roi: Roi, nthreads: i32) -> Result {
    let sr = src_roi(src, roi);
    let sf = src.roi_full();
    let dfull = Roi {
        xend: sf.xbegin + sf.height(),
        yend: sf.ybegin + sf.width(),
        ..sf
    };
    let dst_roi = Roi::new(
        sf.yend - sr.yend,
        sf.yend - sr.ybegin,
        sr.xbegin,
        sr.xend,
        sr.zbegin,
        sr.zend,
        sr.chbegin,
        sr.chend,
    );
    reorder(dst, src, dst_roi, Some(dfull), nthreads, |df, x, y| {
        (y, df.xend - 1 - x, 0, -1)
    })
}

/// A half turn about the display window.
pub fn rotate180(dst: &mut ImageBuf, src: &ImageBuf, roi: Roi, nthreads: i32) -> Result {
    let sr = src_roi(src, roi);
    let sf = src.roi_full();
    let xs = sf.xend - (sr.xbegin - sf.xbegin) - sr.width();
    let ys = sf.yend - (sr.ybegin - sf.ybegin) - sr.height();
    let dst_roi = Roi {
        xbegin: xs,
        xend: xs + sr.width(),
        ybegin: ys,
        yend: ys + sr.height(),
        ..sr
    };
    reorder(dst, src, dst_roi, None, nthreads, |df, x, y| {
        (sf.xend - 1 - (x - df.xbegin), sf.yend - 1 - (y - df.ybegin), -1, 0)
    })
}

/// A quarter turn counter-clockwise (OIIO's `rotate270`).
pub fn rotate270(dst: &mut ImageBuf, src: &ImageBuf, roi: Roi, nthreads: i32) -> Result {
    let sr = src_roi(src, roi);
    let sf = src.roi_full();
    let dfull = Roi {
        xend: sf.xbegin + sf.height(),
        yend: sf.ybegin + sf.width(),
        ..sf
    };
    let dst_roi = Roi::new(
        sr.ybegin,
        sr.yend,
        sf.xend - sr.xend,
        sf.xend - sr.xbegin,
        sr.zbegin,
        sr.zend,
        sr.chbegin,
        sr.chend,
    );
    reorder(dst, src, dst_roi, Some(dfull), nthreads, |df, x, y| {
        (df.yend - 1 - y, x, 0, 1)
    })
}

/// Swap x and y (OIIO's `transpose`): a new `dst` has src's pixel type,
/// default channel names and the transposed display window.
pub fn transpose(dst: &mut ImageBuf, src: &ImageBuf, roi: Roi, nthreads: i32) -> Result {
    if !src.initialized() {
        // OIIO goes on with an empty region and fails at each later step.
        dst.reset(&vfx_core::ImageSpec::default());
        return Err(IbaError::Op(format!(
            "{}\ntranspose: Unsupported pixel data format 'unknown'",
            dst.geterror(true)
        )));
    }
    let mut roi = if roi.defined() { roi } else { src.roi() };
    roi.chend = roi.chend.min(src.nchannels());
    let dst_roi = Roi::new(
        roi.ybegin,
        roi.yend,
        roi.xbegin,
        roi.xend,
        roi.zbegin,
        roi.zend,
        roi.chbegin,
        roi.chend,
    );
    let was_init = dst.initialized();
    let spec = plain_spec(&dst_roi, src.spec().format);
    let mut work = prep(dst_roi, dst, &[], Some(&spec), Prep::DEFAULT)?;
    // OIIO's kernel copies the source ROI's channels, whatever the preparation says.
    work.chbegin = roi.chbegin;
    work.chend = roi.chend.min(dst.nchannels());
    if !was_init {
        let r = src.roi_full();
        let full = Roi::new(r.ybegin, r.yend, r.xbegin, r.xend, r.zbegin, r.zend, 0, 0);
        dst.specmod().set_roi_full(&full);
    }
    let runs = |y: i32, z: i32| straight(&work, y, work.xbegin, z, 0, 1);
    if dst.spec().format == src.spec().format {
        remap(dst, &work, src, Chan::SAME, nthreads, runs);
    } else {
        common2(dst, src, |d, s| remap(d, &work, s, Chan::SAME, nthreads, runs));
    }
    Ok(())
}

/// Undo the "Orientation" metadata (1-8): the result is displayed upright
/// and has Orientation 1.
pub fn reorient(dst: &mut ImageBuf, src: &ImageBuf, nthreads: i32) -> Result {
    let all = Roi::ALL;
    let res = match src.orientation() {
        1 => {
            crate::channels::copy_image(dst, src);
            Ok(())
        }
        2 => flop(dst, src, all, nthreads),
        3 => rotate180(dst, src, all, nthreads),
        4 => flip(dst, src, all, nthreads),
        5 => {
            let mut tmp = ImageBuf::new();
            rotate90(&mut tmp, src, all, nthreads).and_then(|_| flop(dst, &tmp, all, nthreads))
        }
        6 => rotate90(dst, src, all, nthreads),
        7 => {
            let mut tmp = ImageBuf::new();
            flop(&mut tmp, src, all, nthreads).and_then(|_| rotate90(dst, &tmp, all, nthreads))
        }
        8 => rotate270(dst, src, all, nthreads),
        _ => Err(IbaError::Op(String::new())),
    };
    dst.specmod().attribute_int("Orientation", 1);
    res
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::copy::tests::{px, ramp};
    use crate::new_image;
    use vfx_core::TypeDesc;

    #[test]
    fn flips_and_rotations_follow_the_display_window() {
        let a = ramp(4, 3, 2, TypeDesc::FLOAT, 0, 0);
        let f = new_image("flip", |d| flip(d, &a, Roi::ALL, 0));
        let o = new_image("flop", |d| flop(d, &a, Roi::ALL, 0));
        let r180 = new_image("r180", |d| rotate180(d, &a, Roi::ALL, 0));
        let r90 = new_image("r90", |d| rotate90(d, &a, Roi::ALL, 0));
        let r270 = new_image("r270", |d| rotate270(d, &a, Roi::ALL, 0));
        let t = new_image("t", |d| transpose(d, &a, Roi::ALL, 0));
        assert_eq!((r90.spec().width, r90.spec().height), (3, 4));
        for y in 0..3 {
            for x in 0..4 {
                assert_eq!(px(&f, x, 2 - y), px(&a, x, y));
                assert_eq!(px(&o, 3 - x, y), px(&a, x, y));
                assert_eq!(px(&r180, 3 - x, 2 - y), px(&a, x, y));
                assert_eq!(px(&r90, 2 - y, x), px(&a, x, y));
                assert_eq!(px(&r270, y, 3 - x), px(&a, x, y));
                assert_eq!(px(&t, y, x), px(&a, x, y));
            }
        }
    }

    #[test]
    fn reorient_undoes_every_orientation() {
        let a = ramp(4, 3, 1, TypeDesc::UINT8, 0, 0);
        for o in 1..=8 {
            let mut b = a.clone();
            b.specmod().attribute_int("Orientation", o);
            let r = new_image("reorient", |d| reorient(d, &b, 0));
            assert_eq!(r.orientation(), 1);
            let (w, h) = (r.spec().width, r.spec().height);
            assert_eq!((w, h), if o > 4 { (3, 4) } else { (4, 3) });
        }
    }
}
