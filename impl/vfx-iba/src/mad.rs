//! mad and invert (OIIO's imagebufalgo_mad.cpp).

use crate::dispatch::{row, rows_into};
use crate::perpixel::basetype_merge;
use crate::{prep, IbaError, Operand, Prep, Result};
use vfx_core::{ImageBuf, Roi, TypeDesc};

/// `dst = A * B + C`. A or B must be an image (a constant A with an image B
/// is swapped); image operands are first brought to one merged pixel type,
/// which a new `dst` then has.
pub fn mad(dst: &mut ImageBuf, a: Operand, b: Operand, c: Operand, roi: Roi, nthreads: i32) -> Result {
    let (a, b) = match (a, b) {
        (Operand::Const(k), Operand::Image(i)) => (Operand::Image(i), Operand::Const(k)),
        other => other,
    };
    let Operand::Image(a) = a else {
        return Err(IbaError::Op(
            "ImageBufAlgo::mad(): at least one of the first two arguments must be an image".into(),
        ));
    };
    let (bi, ci) = (b.image(), c.image());
    if !a.initialized() || bi.is_some_and(|i| !i.initialized()) || ci.is_some_and(|i| !i.initialized()) {
        return Err(IbaError::UninitializedInput);
    }
    let merged = [bi, ci].iter().flatten().fold(a.spec().format.basetype, |t, i| {
        basetype_merge(t, i.spec().format.basetype)
    });
    let conv = |i: &ImageBuf| -> Option<ImageBuf> {
        (i.spec().format.basetype != merged)
            .then(|| i.copy_as(TypeDesc::scalar(merged)).ok())
            .flatten()
    };
    let (a2, b2, c2) = (conv(a), bi.and_then(conv), ci.and_then(conv));
    let a = a2.as_ref().unwrap_or(a);
    let bi = b2.as_ref().or(bi);
    let ci = c2.as_ref().or(ci);
    let mut srcs = vec![a];
    srcs.extend(bi.or(ci));
    srcs.extend(ci.filter(|_| bi.is_some()));
    let roi = prep(roi, dst, &srcs, None, Prep::DEFAULT)?;
    let n = dst.nchannels() as usize;
    let (bk, ck) = (konst(b, n), konst(c, n));
    let nc = roi.nchannels().max(0) as usize;
    let c0 = roi.chbegin as usize;
    rows_into(dst, &roi, nthreads, |y, z, out, s| {
        let [sa, sb, sc, _] = s;
        let ra = row(a, &roi, y, z, sa);
        let rb = bi.map(|i| row(i, &roi, y, z, sb));
        let rc = ci.map(|i| row(i, &roi, y, z, sc));
        for (i, o) in out.iter_mut().enumerate() {
            let ch = c0 + i % nc;
            let bv = rb.map_or_else(|| bk[ch], |r| r[i]);
            let cv = rc.map_or_else(|| ck[ch], |r| r[i]);
            *o = ra[i] * bv + cv;
        }
    });
    Ok(())
}

fn konst(o: Operand, n: usize) -> Vec<f32> {
    match o {
        Operand::Const(k) => crate::perchan(k, n),
        Operand::Image(_) => Vec::new(),
    }
}

/// `dst = 1 - A` (OIIO computes it as `A * -1 + 1`).
pub fn invert(dst: &mut ImageBuf, a: &ImageBuf, roi: Roi, nthreads: i32) -> Result {
    mad(
        dst,
        Operand::Image(a),
        Operand::Const(&[-1.0]),
        Operand::Const(&[1.0]),
        roi,
        nthreads,
    )
}
