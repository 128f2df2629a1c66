//! Bindings of the colour family (vfx-iba color): colormatrixtransform.
//! (colorconvert, ociodisplay and friends join with the OCIO engine.)

use super::{Forms, Op, Out};
use vfx_iba::{color, IbaError};

pub static OPS: &[Op] = &[Op {
    name: "colormatrixtransform",
    forms: Forms::Both,
    sigs: &["src: ImageBuf, M: object, unpremult: bool = True, roi: ROI = ROI.All, nthreads: int = 0"],
    body: |d, c| {
        let m: [f32; 16] = c.floats("M").try_into().map_err(|_| {
            IbaError::Op("colormatrixtransform did not receive 16 elements to make a 4x4 matrix".into())
        })?;
        let (src, in_place) = (c.image("src"), c.in_place("src"));
        color::colormatrixtransform(d, src, &m, c.bool("unpremult"), in_place, c.roi(), c.nthreads()).map(|_| Out::Done)
    },
}];
