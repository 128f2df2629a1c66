//! OIIO's Fourier family: `fft`, `ifft`, `complex_to_polar`,
//! `polar_to_complex`.
//!
//! Conventions kept from OIIO: `fft` transforms one channel (the ROI's
//! first) of the ROI, read as floats (0 outside the data window) where the
//! ROI overlaps the result's window, into a 2-channel float image "real",
//! "imag" of the ROI's size at the origin; the
//! metadata and alpha/z designations of the source spec are kept. Both
//! passes (rows, then columns) are unitary (each scaled by 1/sqrt(n)), so
//! `ifft` of `fft` gives the input back. `ifft` takes a 2-channel float
//! image and keeps only the real part, in a 1-channel float image "R".
//!
//! The transforms run with `rustfft`, rows in parallel; the columns are
//! transformed as rows of a transposed copy.

use crate::dispatch::{row, rows_into};
use crate::prep::{prep, Prep};
use crate::{IbaError, Result};
use num_complex::Complex32;
use rayon::prelude::*;
use rustfft::{Fft, FftDirection, FftPlanner};
use std::sync::Arc;
use vfx_core::{ImageBuf, ImageSpec, Roi, TypeDesc};

/// Largest transform (complex values) we agree to compute; bigger requests
/// fail instead of trying to allocate.
const MAX_VALUES: u64 = 1 << 31;

/// Rows per parallel task in the row passes and transposes.
const BLOCK: usize = 16;

/// The spec of a transform result: `src`'s spec (metadata, designations)
/// reshaped to the ROI's size at the origin, float, with `names`.
fn result_spec(src: &ImageSpec, roi: &Roi, names: &[&str]) -> ImageSpec {
    let mut spec = src.clone();
    spec.width = roi.width();
    spec.full_width = spec.width;
    spec.height = roi.height();
    spec.full_height = spec.height;
    spec.depth = 1;
    spec.full_depth = 1;
    spec.x = 0;
    spec.y = 0;
    spec.z = 0;
    spec.full_x = 0;
    spec.full_y = 0;
    spec.full_z = 0;
    spec.set_format(TypeDesc::FLOAT);
    spec.channelformats.clear();
    spec.nchannels = names.len() as i32;
    spec.channelnames = names.iter().map(|s| s.to_string()).collect();
    spec
}

/// The default region of the transforms: data and display windows together.
fn default_roi(src: &ImageBuf, roi: Roi) -> Roi {
    if roi.defined() {
        roi
    } else {
        src.roi().union(&src.roi_full())
    }
}

/// A zeroed work buffer of `n` complex values, or OIIO-style allocation error.
fn buffer(n: usize) -> Result<Vec<Complex32>> {
    let mut v = Vec::new();
    v.try_reserve_exact(n)
        .map_err(|_| IbaError::Alloc(format!("unable to allocate {} bytes", n as u64 * 8)))?;
    v.resize(n, Complex32::new(0.0, 0.0));
    Ok(v)
}

/// Size check of a `w` x `h` transform.
fn check_size(w: i32, h: i32) -> Result<(usize, usize)> {
    if w < 1 || h < 1 {
        return Err(IbaError::Alloc(
            "Could not initialize ImageBuf: the provided ImageSpec needs a valid width, height, depth, nchannels, format."
                .into(),
        ));
    }
    if w as u64 * h as u64 > MAX_VALUES {
        return Err(IbaError::Alloc(format!(
            "unable to allocate {} bytes",
            w as u64 * h as u64 * 8
        )));
    }
    Ok((w as usize, h as usize))
}

/// Run `f(block index, block)` over consecutive blocks of `data`, in
/// parallel unless `nthreads == 1`.
fn for_blocks<T: Send>(data: &mut [T], block: usize, nthreads: i32, f: impl Fn(usize, &mut [T]) + Sync + Send) {
    let block = block.max(1);
    if nthreads == 1 {
        data.chunks_mut(block).enumerate().for_each(|(i, b)| f(i, b));
    } else {
        data.par_chunks_mut(block).enumerate().for_each(|(i, b)| f(i, b));
    }
}

/// Transform every row (of length `n`) of `data` in place and scale it by
/// 1/sqrt(n), as OIIO's unitary row pass does.
fn rows_pass(data: &mut [Complex32], n: usize, plan: &Arc<dyn Fft<f32>>, nthreads: i32) {
    let scale = (1.0f32 / n as f32).sqrt();
    let rows = BLOCK.max(4096 / n.max(1));
    for_blocks(data, n * rows, nthreads, |_, chunk| {
        let mut scratch = vec![Complex32::new(0.0, 0.0); plan.get_inplace_scratch_len()];
        plan.process_with_scratch(chunk, &mut scratch);
        for v in chunk.iter_mut() {
            *v *= scale;
        }
    });
}

/// `out[c][r] = store(src[r][c])` for a `rows` x `cols` matrix `src` (out
/// is `cols` x `rows`), in blocks of output rows so both sides stay in cache.
fn transpose<T: Send>(
    src: &[Complex32],
    rows: usize,
    cols: usize,
    out: &mut [T],
    nthreads: i32,
    store: impl Fn(Complex32) -> T + Sync + Send,
) {
    for_blocks(out, rows * BLOCK, nthreads, |b, block| {
        let c0 = b * BLOCK;
        let nb = block.len() / rows;
        for r in 0..rows {
            let line = &src[r * cols + c0..r * cols + c0 + nb];
            for (k, v) in line.iter().enumerate() {
                block[k * rows + r] = store(*v);
            }
        }
    });
}

/// The two unitary passes over a `w` x `h` row-major matrix `a`; the result
/// ends up transposed (`h`-long rows, one per column) in `t`.
fn passes(a: &mut [Complex32], t: &mut [Complex32], w: usize, h: usize, dir: FftDirection, nthreads: i32) {
    let mut planner = FftPlanner::<f32>::new();
    let row_plan = planner.plan_fft(w, dir);
    let col_plan = planner.plan_fft(h, dir);
    rows_pass(a, w, &row_plan, nthreads);
    transpose(a, h, w, t, nthreads, |v| v);
    rows_pass(t, h, &col_plan, nthreads);
}

/// The forward transform of one channel of `src` (OIIO's `fft`).
pub fn fft(dst: &mut ImageBuf, src: &ImageBuf, roi: Roi, nthreads: i32) -> Result {
    if !src.initialized() {
        return Err(IbaError::UninitializedInput);
    }
    if src.spec().depth > 1 {
        return Err(IbaError::Op("ImageBufAlgo::fft does not support volume images".into()));
    }
    let mut roi = default_roi(src, roi);
    roi.chend = roi.chbegin + 1;
    let (w, h) = check_size(roi.width(), roi.height())?;
    dst.reset(&result_spec(src.spec(), &roi, &["real", "imag"]));
    if !dst.initialized() {
        return Err(IbaError::Alloc(dst.geterror(true)));
    }
    // OIIO pastes the ROI into a zeroed complex buffer without moving it:
    // pixels and channels keep their own coordinates, so only the part of
    // the ROI inside [0, w) x [0, h) lands, and the chosen channel fills
    // the real part (channel 0), the imaginary part (1), or nothing.
    let mut work = ImageBuf::new();
    work.reset(dst.spec());
    if !work.initialized() {
        return Err(IbaError::Alloc(work.geterror(true)));
    }
    crate::copy::paste(&mut work, 0, 0, 0, 0, src, roi, nthreads)?;
    let mut t = buffer(w * h)?;
    let Some(px) = work.pixels_mut() else {
        return Err(IbaError::Silent);
    };
    let a: &mut [Complex32] = bytemuck::cast_slice_mut(px);
    passes(a, &mut t, w, h, FftDirection::Forward, nthreads);
    let Some(px) = dst.pixels_mut() else {
        return Err(IbaError::Silent);
    };
    let out: &mut [Complex32] = bytemuck::cast_slice_mut(px);
    transpose(&t, w, h, out, nthreads, |v| v);
    Ok(())
}

/// The inverse transform of a 2-channel float image (OIIO's `ifft`): the
/// real part of the result, one channel.
pub fn ifft(dst: &mut ImageBuf, src: &ImageBuf, roi: Roi, nthreads: i32) -> Result {
    if src.nchannels() != 2 || src.spec().format != TypeDesc::FLOAT {
        return Err(IbaError::Op("ifft can only be done on 2-channel float images".into()));
    }
    if src.spec().depth > 1 {
        return Err(IbaError::Op("ImageBufAlgo::ifft does not support volume images".into()));
    }
    let roi = default_roi(src, roi);
    let (w, h) = check_size(roi.width(), roi.height())?;
    let spec = result_spec(src.spec(), &roi, &["R"]);
    let mut a = buffer(w * h)?;
    let mut t = buffer(w * h)?;
    // OIIO reads the source at the result's coordinates (from the origin,
    // whatever the ROI's position); pixels it does not have read as 0.
    if let Some(px) = src.pixels().filter(|_| !src.spec().deep) {
        let all: &[Complex32] = bytemuck::cast_slice(px);
        let s = src.spec();
        let (sw, sx, sy) = (s.width as i64, s.x as i64, s.y as i64);
        let inside_z = s.z <= 0 && 0 < s.z + s.depth.max(1);
        let x0 = sx.max(0);
        let x1 = (sx + sw).min(w as i64);
        for_blocks(&mut a, w * BLOCK, nthreads, |b, block| {
            for (j, line) in block.chunks_mut(w).enumerate() {
                let y = (b * BLOCK + j) as i64;
                if !inside_z || y < sy || y >= sy + s.height as i64 || x0 >= x1 {
                    continue;
                }
                let start = ((y - sy) * sw + (x0 - sx)) as usize;
                let n = (x1 - x0) as usize;
                line[x0 as usize..x0 as usize + n].copy_from_slice(&all[start..start + n]);
            }
        });
    }
    passes(&mut a, &mut t, w, h, FftDirection::Inverse, nthreads);
    dst.reset(&spec);
    if !dst.initialized() {
        return Err(IbaError::Alloc(dst.geterror(true)));
    }
    let Some(px) = dst.pixels_mut() else {
        return Err(IbaError::Silent);
    };
    let out: &mut [f32] = bytemuck::cast_slice_mut(px);
    transpose(&t, w, h, out, nthreads, |v| v.re);
    Ok(())
}

/// A per-pixel map of the first two channels (the ROI's channels are
/// ignored, as in OIIO), with OIIO's 2-channel checks.
fn two_channel_map(
    name: &str,
    dst: &mut ImageBuf,
    src: &ImageBuf,
    roi: Roi,
    nthreads: i32,
    f: impl Fn(f32, f32) -> (f32, f32) + Sync,
) -> Result {
    let err = || IbaError::Op(format!("{name} can only be done on 2-channel"));
    if src.nchannels() != 2 {
        return Err(err());
    }
    let roi = prep(roi, dst, &[src], None, Prep::DEFAULT)?;
    if dst.nchannels() != 2 {
        return Err(err());
    }
    let r = Roi {
        chbegin: 0,
        chend: 2,
        ..roi
    };
    rows_into(dst, &r, nthreads, |y, z, out, scratch| {
        let a = row(src, &r, y, z, &mut scratch[0]);
        for (o, i) in out.chunks_exact_mut(2).zip(a.chunks_exact(2)) {
            let (p, q) = f(i[0], i[1]);
            o[0] = p;
            o[1] = q;
        }
    });
    Ok(())
}

/// (real, imag) to (amplitude, phase in [0, 2pi)).
pub fn complex_to_polar(dst: &mut ImageBuf, src: &ImageBuf, roi: Roi, nthreads: i32) -> Result {
    two_channel_map("complex_to_polar", dst, src, roi, nthreads, |re, im| {
        let mut phase = im.atan2(re);
        if phase < 0.0 {
            phase += std::f32::consts::TAU;
        }
        // hypotf as glibc computes it: in double, no overflow, one rounding.
        let (r, i) = (re as f64, im as f64);
        ((r * r + i * i).sqrt() as f32, phase)
    })
}

/// (amplitude, phase) to (real, imag).
pub fn polar_to_complex(dst: &mut ImageBuf, src: &ImageBuf, roi: Roi, nthreads: i32) -> Result {
    two_channel_map("polar_to_complex", dst, src, roi, nthreads, |amp, phase| {
        let (s, c) = phase.sin_cos();
        (amp * c, amp * s)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(w: i32, h: i32, nch: i32, f: impl Fn(i32, i32, i32) -> f32) -> ImageBuf {
        let mut b = ImageBuf::from_spec(&ImageSpec::new(w, h, nch, TypeDesc::FLOAT));
        for y in 0..h {
            for x in 0..w {
                let v: Vec<f32> = (0..nch).map(|c| f(x, y, c)).collect();
                b.setpixel(x, y, 0, &v);
            }
        }
        b
    }

    /// A direct O(n^2) unitary DFT for comparison.
    fn dft(vals: &[f32], w: usize, h: usize) -> Vec<(f64, f64)> {
        let mut out = vec![(0.0, 0.0); w * h];
        let norm = 1.0 / ((w * h) as f64).sqrt();
        for v in 0..h {
            for u in 0..w {
                let (mut re, mut im) = (0.0, 0.0);
                for y in 0..h {
                    for x in 0..w {
                        let ang = -2.0 * std::f64::consts::PI * ((u * x) as f64 / w as f64 + (v * y) as f64 / h as f64);
                        re += vals[y * w + x] as f64 * ang.cos();
                        im += vals[y * w + x] as f64 * ang.sin();
                    }
                }
                out[v * w + u] = (re * norm, im * norm);
            }
        }
        out
    }

    #[test]
    fn fft_matches_direct_dft_and_round_trips() {
        let (w, h) = (7, 5);
        let src = image(w, h, 3, |x, y, c| ((x * 3 + y * 5 + c) % 11) as f32 / 11.0);
        let mut f = ImageBuf::new();
        fft(&mut f, &src, Roi::ALL, 0).unwrap();
        assert_eq!(f.nchannels(), 2);
        assert_eq!(f.spec().channelnames, ["real", "imag"]);
        let vals: Vec<f32> = (0..h)
            .flat_map(|y| (0..w).map(move |x| (x, y)))
            .map(|(x, y)| src.getpixel(x, y, 0, vfx_core::Wrap::Black)[0])
            .collect();
        let want = dft(&vals, w as usize, h as usize);
        for y in 0..h {
            for x in 0..w {
                let p = f.getpixel(x, y, 0, vfx_core::Wrap::Black);
                let (re, im) = want[(y * w + x) as usize];
                assert!((p[0] as f64 - re).abs() < 1e-5 && (p[1] as f64 - im).abs() < 1e-5);
            }
        }
        for nthreads in [0, 1] {
            let mut back = ImageBuf::new();
            ifft(&mut back, &f, Roi::ALL, nthreads).unwrap();
            assert_eq!(back.nchannels(), 1);
            for y in 0..h {
                for x in 0..w {
                    let v = back.getpixel(x, y, 0, vfx_core::Wrap::Black)[0];
                    assert!((v - vals[(y * w + x) as usize]).abs() < 1e-5);
                }
            }
        }
    }

    #[test]
    fn fft_pads_with_the_display_window_and_picks_a_channel() {
        let mut src = image(3, 2, 2, |x, _, c| if c == 1 { 1.0 + x as f32 } else { 0.0 });
        src.set_origin(1, 1, 0);
        src.set_full(0, 4, 0, 4, 0, 1);
        let mut f = ImageBuf::new();
        fft(&mut f, &src, Roi::new(0, 4, 0, 4, 0, 1, 1, 2), 0).unwrap();
        assert_eq!(f.roi(), Roi::new(0, 4, 0, 4, 0, 1, 0, 2));
        // Channel 1 stays channel 1: it is the imaginary part. DC term: sum
        // (2 rows of 1+2+3) / sqrt(4 * 4).
        let dc = f.getpixel(0, 0, 0, vfx_core::Wrap::Black);
        assert!(dc[0].abs() < 1e-6 && (dc[1] - 12.0 / 4.0).abs() < 1e-5);
        // A region away from the origin only keeps what overlaps [0, w) x [0, h).
        fft(&mut f, &src, Roi::new(1, 3, 1, 3, 0, 1, 1, 2), 0).unwrap();
        assert_eq!(f.roi(), Roi::new(0, 2, 0, 2, 0, 1, 0, 2));
        // Only src (1, 1) (value 1.0) lands, at (1, 1); DC = 1 / sqrt(2 * 2).
        assert!((f.getpixel(0, 0, 0, vfx_core::Wrap::Black)[1] - 0.5).abs() < 1e-5);
        // A region that misses [0, w) x [0, h) entirely transforms zeros.
        fft(&mut f, &src, Roi::new(2, 4, 1, 3, 0, 1, 1, 2), 0).unwrap();
        assert_eq!(f.getpixel(0, 0, 0, vfx_core::Wrap::Black), [0.0, 0.0]);
    }

    #[test]
    fn errors_and_polar_round_trip() {
        let three = image(2, 2, 3, |_, _, _| 0.5);
        let mut d = ImageBuf::new();
        assert_eq!(
            ifft(&mut d, &three, Roi::ALL, 0).unwrap_err().to_string(),
            "ifft can only be done on 2-channel float images"
        );
        assert_eq!(
            complex_to_polar(&mut d, &three, Roi::ALL, 0).unwrap_err().to_string(),
            "complex_to_polar can only be done on 2-channel"
        );
        assert!(check_size(1 << 20, 1 << 20).is_err());
        let c = image(3, 2, 2, |x, y, ch| (x + y * 3 + ch) as f32 * 0.25 - 0.6);
        let (mut p, mut back) = (ImageBuf::new(), ImageBuf::new());
        complex_to_polar(&mut p, &c, Roi::ALL, 0).unwrap();
        polar_to_complex(&mut back, &p, Roi::ALL, 1).unwrap();
        for y in 0..2 {
            for x in 0..3 {
                let (a, b) = (
                    c.getpixel(x, y, 0, vfx_core::Wrap::Black),
                    back.getpixel(x, y, 0, vfx_core::Wrap::Black),
                );
                let ph = p.getpixel(x, y, 0, vfx_core::Wrap::Black)[1];
                assert!((0.0..std::f32::consts::TAU).contains(&ph));
                assert!((a[0] - b[0]).abs() < 1e-5 && (a[1] - b[1]).abs() < 1e-5);
            }
        }
    }
}
