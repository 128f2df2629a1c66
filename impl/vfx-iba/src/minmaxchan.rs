//! maxchan and minchan (OIIO's imagebufalgo_minmaxchan.cpp): one-channel
//! images of the per-pixel extreme over the ROI's channels.

use crate::dispatch::{row, rows_into};
use crate::{prep, Prep, Result};
use vfx_core::{ImageBuf, Roi};

/// The ROI of `src` to reduce over and the one-channel destination ROI,
/// with `dst` prepared (a new dst is float, as OIIO allocates it).
pub(crate) fn reduce_prep(dst: &mut ImageBuf, src: &ImageBuf, roi: Roi) -> Result<(Roi, Roi)> {
    if !src.initialized() {
        return Err(crate::IbaError::UninitializedInput);
    }
    let mut roi = if roi.defined() { roi } else { src.roi() };
    roi.chend = roi.chend.min(src.nchannels());
    let dstroi = Roi {
        chbegin: 0,
        chend: 1,
        ..roi
    };
    let dstroi = prep(dstroi, dst, &[], None, Prep::DEFAULT)?;
    Ok((
        roi,
        Roi {
            chbegin: 0,
            chend: 1,
            ..dstroi
        },
    ))
}

/// `dst[0] = fold(src channels)` per pixel over `roi`'s channels.
pub(crate) fn reduce_channels(
    dst: &mut ImageBuf,
    src: &ImageBuf,
    roi: Roi,
    nthreads: i32,
    f: impl Fn(&[f32]) -> f32 + Sync,
) -> Result {
    let (roi, dstroi) = reduce_prep(dst, src, roi)?;
    let nc = roi.nchannels().max(0) as usize;
    if nc == 0 {
        return Ok(());
    }
    let srcroi = Roi {
        xbegin: dstroi.xbegin,
        xend: dstroi.xend,
        ybegin: dstroi.ybegin,
        yend: dstroi.yend,
        zbegin: dstroi.zbegin,
        zend: dstroi.zend,
        ..roi
    };
    rows_into(dst, &dstroi, nthreads, |y, z, out, s| {
        let r = row(src, &srcroi, y, z, &mut s[0]);
        for (o, p) in out.iter_mut().zip(r.chunks_exact(nc)) {
            *o = f(p);
        }
    });
    Ok(())
}

/// Per pixel, the largest value among the ROI's channels.
pub fn maxchan(dst: &mut ImageBuf, src: &ImageBuf, roi: Roi, nthreads: i32) -> Result {
    reduce_channels(dst, src, roi, nthreads, |p| {
        p[1..].iter().fold(p[0], |m, v| if m < *v { *v } else { m })
    })
}

/// Per pixel, the smallest value among the ROI's channels.
pub fn minchan(dst: &mut ImageBuf, src: &ImageBuf, roi: Roi, nthreads: i32) -> Result {
    reduce_channels(dst, src, roi, nthreads, |p| {
        p[1..].iter().fold(p[0], |m, v| if *v < m { *v } else { m })
    })
}
