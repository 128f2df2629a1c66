//! Neighbourhood rank filters (from OIIO's `imagebufalgo.cpp`):
//! median_filter, dilate and erode.
//!
//! As in OIIO, the window of a pixel spans `width` columns starting
//! `max(1, width / 2)` to its left (likewise vertically), only pixels inside
//! the source's data window take part, a window without any gives 0
//! (median) or -/+FLT_MAX (dilate/erode), and every channel of the
//! destination is written whatever the ROI's channel range. Dilate and
//! erode are separable (a horizontal max/min pass, then a vertical one);
//! the 3x3 median of a full window uses sorted columns (the median of the
//! columns' largest minimum, median of medians and smallest maximum).

use crate::convolve::{par_chunks, Plane};
use crate::dispatch::rows_into;
use crate::{prep, Prep, Result};
use vfx_core::{ImageBuf, Roi};

const FLAGS: Prep = Prep {
    require_same_nchannels: true,
    no_support_volume: true,
    ..Prep::DEFAULT
};

/// A window size as OIIO settles it: (width, height, reach left, reach up).
fn window(width: i32, height: i32) -> (i64, i64, i64, i64) {
    let w = width.max(1);
    let h = if height < 1 { w } else { height };
    (w as i64, h as i64, (w / 2).max(1) as i64, (h / 2).max(1) as i64)
}

/// The ROI with every channel of `dst`.
fn all_channels(roi: Roi, dst: &ImageBuf) -> Roi {
    Roi {
        chbegin: 0,
        chend: dst.nchannels(),
        ..roi
    }
}

/// The part `[lo, hi)` of `[a, a + n)` inside `[d0, d1)`.
#[inline]
fn span(a: i64, n: i64, d0: i64, d1: i64) -> (i64, i64) {
    (a.max(d0), (a + n).min(d1))
}

#[inline]
fn med3(a: f32, b: f32, c: f32) -> f32 {
    a.min(b).max(a.max(b).min(c))
}

/// OIIO's `median_filter` (height < 1 means `height = width`).
pub fn median_filter(dst: &mut ImageBuf, src: &ImageBuf, width: i32, height: i32, roi: Roi, nthreads: i32) -> Result {
    let roi = prep(roi, dst, &[src], None, FLAGS)?;
    let roi = all_channels(roi, dst);
    if roi.width() <= 0 || roi.height() <= 0 || roi.nchannels() <= 0 {
        return Ok(());
    }
    let (w, h, w2, h2) = window(width, height);
    let p = Plane::new(src);
    let nch = p.nch;
    rows_into(dst, &roi, nthreads, |y, z, out, s| {
        let (z, y) = (z as i64, y as i64);
        if !p.az.inside(z) {
            out.fill(0.0);
            return;
        }
        let (ylo, yhi) = span(y - h2, h, p.ay.d0, p.ay.d1);
        let rows: Vec<&[f32]> = (ylo..yhi).map(|r| p.row(r, z)).collect();
        let x0 = roi.xbegin as i64;
        // Output columns whose 3x3 window lies wholly in the data window.
        let fast = if w == 3 && h == 3 && rows.len() == 3 {
            let a = (p.ax.d0 + 1).max(x0);
            let b = (p.ax.d1 - 1).min(roi.xend as i64);
            (a < b).then_some((a, b))
        } else {
            None
        };
        if let Some((a, b)) = fast {
            median3x3(
                &rows,
                nch,
                (a - 1 - p.ax.d0) as usize,
                (b - a) as usize,
                s,
                &mut out[(a - x0) as usize * nch..(b - x0) as usize * nch],
            );
        }
        let vals = &mut s[3];
        for (i, px) in out.chunks_exact_mut(nch).enumerate() {
            let x = x0 + i as i64;
            if fast.is_some_and(|(a, b)| x >= a && x < b) {
                continue;
            }
            let (xlo, xhi) = span(x - w2, w, p.ax.d0, p.ax.d1);
            if xlo >= xhi || rows.is_empty() {
                px.fill(0.0);
                continue;
            }
            let (o0, o1) = ((xlo - p.ax.d0) as usize * nch, (xhi - p.ax.d0) as usize * nch);
            for (c, v) in px.iter_mut().enumerate() {
                vals.clear();
                for r in &rows {
                    vals.extend(r[o0 + c..o1].iter().step_by(nch));
                }
                let mid = vals.len() / 2;
                *v = *vals.select_nth_unstable_by(mid, f32::total_cmp).1;
            }
        }
    });
    Ok(())
}

/// Medians of full 3x3 windows: `n` output pixels whose windows start at
/// source column `first` of `rows` (3 rows of `nch` channels).
fn median3x3(rows: &[&[f32]], nch: usize, first: usize, n: usize, s: &mut crate::dispatch::Scratch, out: &mut [f32]) {
    let len = (n + 2) * nch;
    let (r0, r1, r2) = (
        &rows[0][first * nch..][..len],
        &rows[1][first * nch..][..len],
        &rows[2][first * nch..][..len],
    );
    let [lo, md, hi, _] = s;
    lo.clear();
    md.clear();
    hi.clear();
    // Sort each column of three.
    for ((a, b), c) in r0.iter().zip(r1).zip(r2) {
        let (l, h) = (a.min(*b), a.max(*b));
        lo.push(l.min(*c));
        hi.push(h.max(*c));
        md.push(l.max(h.min(*c)));
    }
    let m = n * nch;
    let (l0, l1, l2) = (&lo[..m], &lo[nch..nch + m], &lo[2 * nch..2 * nch + m]);
    let (m0, m1, m2) = (&md[..m], &md[nch..nch + m], &md[2 * nch..2 * nch + m]);
    let (h0, h1, h2) = (&hi[..m], &hi[nch..nch + m], &hi[2 * nch..2 * nch + m]);
    for i in 0..m {
        let a = l0[i].max(l1[i]).max(l2[i]);
        let b = med3(m0[i], m1[i], m2[i]);
        let c = h0[i].min(h1[i]).min(h2[i]);
        out[i] = med3(a, b, c);
    }
}

/// Max (dilate) or min (erode) over each pixel's window.
fn morph(dst: &mut ImageBuf, src: &ImageBuf, width: i32, height: i32, dilate: bool, roi: Roi, nthreads: i32) -> Result {
    let roi = prep(roi, dst, &[src], None, FLAGS)?;
    let roi = all_channels(roi, dst);
    if roi.width() <= 0 || roi.height() <= 0 || roi.nchannels() <= 0 {
        return Ok(());
    }
    let (w, h, w2, h2) = window(width, height);
    let p = Plane::new(src);
    let nch = p.nch;
    let init = if dilate { -f32::MAX } else { f32::MAX };
    let pick = |a: f32, b: f32| if dilate { a.max(b) } else { a.min(b) };
    let wn = roi.width() as usize * nch;
    let (x0, x1) = (roi.xbegin as i64, roi.xend as i64);
    // Horizontal pass over the source rows the windows reach.
    let (lo, hi) = span(roi.ybegin as i64 - h2, roi.height() as i64 - 1 + h, p.ay.d0, p.ay.d1);
    let nrows = (hi - lo).max(0) as usize;
    let z0 = roi.zbegin as i64;
    let flat = p.az.inside(z0);
    let mut tmp = vec![init; if flat { nrows * wn } else { 0 }];
    par_chunks(&mut tmp, wn, nthreads, |i, out, _| {
        let row = p.row(lo + i as i64, z0);
        // Only taps that can land in the data window matter (w may be huge).
        let (dx0, dx1) = ((p.ax.d0 + w2 - x1 + 1).max(0), (p.ax.d1 + w2 - x0).min(w));
        for dx in dx0..dx1 {
            // Output columns x whose tap x - w2 + dx is in the data window.
            let a = x0.max(p.ax.d0 + w2 - dx);
            let b = x1.min(p.ax.d1 + w2 - dx);
            if a >= b {
                continue;
            }
            let so = (a - w2 + dx - p.ax.d0) as usize * nch;
            let n = (b - a) as usize * nch;
            let o = &mut out[(a - x0) as usize * nch..][..n];
            for (d, v) in o.iter_mut().zip(&row[so..so + n]) {
                *d = pick(*d, *v);
            }
        }
    });
    rows_into(dst, &roi, nthreads, |y, _, out, _| {
        out.fill(init);
        if !flat {
            return;
        }
        let (ylo, yhi) = span(y as i64 - h2, h, p.ay.d0, p.ay.d1);
        for r in ylo..yhi {
            let t = &tmp[(r - lo) as usize * wn..][..wn];
            for (d, v) in out.iter_mut().zip(t) {
                *d = pick(*d, *v);
            }
        }
    });
    Ok(())
}

/// OIIO's `dilate`: the maximum over each pixel's window.
pub fn dilate(dst: &mut ImageBuf, src: &ImageBuf, width: i32, height: i32, roi: Roi, nthreads: i32) -> Result {
    morph(dst, src, width, height, true, roi, nthreads)
}

/// OIIO's `erode`: the minimum over each pixel's window.
pub fn erode(dst: &mut ImageBuf, src: &ImageBuf, width: i32, height: i32, roi: Roi, nthreads: i32) -> Result {
    morph(dst, src, width, height, false, roi, nthreads)
}

#[cfg(test)]
mod tests {
    use super::*;
    use vfx_core::{ImageSpec, TypeDesc};

    fn img(w: i32, h: i32, nch: i32, seed: u32) -> ImageBuf {
        let mut b = ImageBuf::from_spec(&ImageSpec::new(w, h, nch, TypeDesc::FLOAT));
        let px: &mut [f32] = bytemuck::cast_slice_mut(b.pixels_mut().unwrap());
        let mut s = seed;
        for v in px.iter_mut() {
            s = s.wrapping_mul(1_103_515_245).wrapping_add(12345);
            *v = ((s >> 16) % 1000) as f32 / 1000.0;
        }
        b
    }

    fn floats(b: &ImageBuf) -> Vec<f32> {
        bytemuck::cast_slice(b.pixels().unwrap()).to_vec()
    }

    /// OIIO's definition, pixel by pixel.
    fn brute(src: &ImageBuf, width: i32, height: i32, f: impl Fn(&mut Vec<f32>) -> f32) -> Vec<f32> {
        let (w, h, w2, h2) = window(width, height);
        let s = src.spec();
        let px = floats(src);
        let n = s.nchannels as usize;
        let mut out = vec![];
        for y in 0..s.height as i64 {
            for x in 0..s.width as i64 {
                for c in 0..n {
                    let mut v = vec![];
                    for yy in y - h2..y - h2 + h {
                        for xx in x - w2..x - w2 + w {
                            if xx >= 0 && yy >= 0 && xx < s.width as i64 && yy < s.height as i64 {
                                v.push(px[(yy as usize * s.width as usize + xx as usize) * n + c]);
                            }
                        }
                    }
                    out.push(f(&mut v));
                }
            }
        }
        out
    }

    #[test]
    fn median_matches_sorting() {
        let src = img(11, 7, 3, 7);
        for (w, h) in [(3, 3), (3, -1), (1, 1), (2, 4), (5, 3), (4, 0)] {
            let mut dst = ImageBuf::new();
            median_filter(&mut dst, &src, w, h, Roi::ALL, 0).unwrap();
            let want = brute(&src, w, h, |v| {
                if v.is_empty() {
                    return 0.0;
                }
                v.sort_by(f32::total_cmp);
                v[v.len() / 2]
            });
            assert_eq!(floats(&dst), want, "{w}x{h}");
        }
    }

    #[test]
    fn morph_matches_brute_force() {
        let src = img(9, 8, 2, 3);
        for (w, h) in [(3, 3), (1, 1), (2, 5), (4, -1)] {
            let mut d = ImageBuf::new();
            dilate(&mut d, &src, w, h, Roi::ALL, 0).unwrap();
            let want = brute(&src, w, h, |v| v.iter().fold(-f32::MAX, |a, b| a.max(*b)));
            assert_eq!(floats(&d), want);
            let mut e = ImageBuf::new();
            erode(&mut e, &src, w, h, Roi::ALL, 1).unwrap();
            let want = brute(&src, w, h, |v| v.iter().fold(f32::MAX, |a, b| a.min(*b)));
            assert_eq!(floats(&e), want);
        }
    }
}
