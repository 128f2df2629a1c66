//! fillholes_pushpull (from OIIO's imagebufalgo.cpp): fill the transparent
//! parts of an image from its opaque parts by a push-pull pyramid: halve
//! repeatedly (triangle filter), renormalising by alpha to spread defined
//! colour; then composite each level over the enlarged next-smaller one.

use crate::dispatch::rows_into;
use crate::filters::Filter2D;
use crate::{copy, pixelmath, prep, xform, Prep, Result};
use vfx_core::{ImageBuf, ImageSpec, Roi, TypeDesc};

/// Fill holes (alpha < 1) of `src` into `dst`.
pub fn fillholes_pushpull(dst: &mut ImageBuf, src: &ImageBuf, roi: Roi, nthreads: i32) -> Result {
    let flags = Prep {
        require_same_nchannels: true,
        require_alpha: true,
        no_support_volume: true,
        ..Prep::DEFAULT
    };
    let roi = prep(roi, dst, &[src], None, flags)?;
    let s = src.spec();
    // Top level: a float copy of the source moved to the origin, with its
    // display window equal to its data window, so that resizing maps the
    // whole data extent between levels.
    let mut topspec = s.clone();
    topspec.set_format(TypeDesc::FLOAT);
    topspec.channelformats.clear();
    topspec.x = 0;
    topspec.y = 0;
    topspec.z = 0;
    topspec.full_x = 0;
    topspec.full_y = 0;
    topspec.full_width = topspec.width;
    topspec.full_height = topspec.height;
    let mut top = ImageBuf::from_spec(&topspec);
    copy::paste(&mut top, -s.x, -s.y, -s.z, 0, src, Roi::ALL, nthreads)?;
    let alpha = topspec.alpha_channel;
    let triangle = |d: &ImageBuf, srcb: &ImageBuf| -> Result<Filter2D> {
        let (wr, hr) = (
            d.spec().full_width as f32 / srcb.spec().full_width as f32,
            d.spec().full_height as f32 / srcb.spec().full_height as f32,
        );
        xform::resize_filter("triangle", 0.0, wr, hr)
    };
    let mut pyramid = vec![top];
    let (mut w, mut h) = (s.width, s.height);
    while w > 1 || h > 1 {
        w = (w / 2).max(1);
        h = (h / 2).max(1);
        let mut smallspec = ImageSpec::new(w, h, s.nchannels, TypeDesc::FLOAT);
        smallspec.alpha_channel = alpha;
        let mut small = ImageBuf::from_spec(&smallspec);
        let prev = pyramid.last().expect("the top level is there");
        let f = triangle(&small, prev)?;
        let r = small.roi();
        xform::resize_with(&mut small, prev, &f, r, nthreads);
        divide_by_alpha(&mut small, nthreads);
        pyramid.push(small);
    }
    for i in (0..pyramid.len() - 1).rev() {
        let (head, tail) = pyramid.split_at_mut(i + 1);
        let (big, small) = (&mut head[i], &tail[0]);
        let mut blowup = ImageBuf::from_spec(big.spec());
        let f = triangle(&blowup, small)?;
        let r = blowup.roi();
        xform::resize_with(&mut blowup, small, &f, r, nthreads);
        let base = big.clone();
        pixelmath::over(big, &base, &blowup, Roi::ALL, nthreads)?;
    }
    let _ = roi;
    copy::paste(dst, s.x, s.y, s.z, 0, &pyramid[0], Roi::ALL, nthreads)
}

/// Divide every channel of pixels with non-zero alpha by that alpha (`buf`
/// is float with all channels in the row, so rows are edited in place).
fn divide_by_alpha(buf: &mut ImageBuf, nthreads: i32) {
    let n = buf.nchannels() as usize;
    let a = buf.spec().alpha_channel as usize;
    let roi = buf.roi();
    rows_into(
        buf,
        &Roi {
            chbegin: 0,
            chend: n as i32,
            ..roi
        },
        nthreads,
        |_, _, out, _| {
            for p in out.chunks_exact_mut(n) {
                let al = p[a];
                if al != 0.0 {
                    for v in p.iter_mut() {
                        *v /= al;
                    }
                }
            }
        },
    );
}
