//! Bindings of the deep family (vfx-iba deep): flatten, deepen, deep_merge,
//! deep_holdout.

use super::{Forms, Op, Out};
use vfx_iba::{deep, IbaError};

fn done(r: vfx_iba::Result) -> Result<Out, IbaError> {
    r.map(|_| Out::Done)
}

pub static OPS: &[Op] = &[
    Op {
        name: "deepen",
        forms: Forms::Both,
        sigs: &["src: ImageBuf, zvalue: float = 1.0, roi: ROI = ROI.All, nthreads: int = 0"],
        body: |d, c| {
            done(deep::deepen(
                d,
                c.image("src"),
                c.float("zvalue"),
                c.roi(),
                c.nthreads(),
            ))
        },
    },
    Op {
        name: "flatten",
        forms: Forms::Both,
        sigs: &["src: ImageBuf, roi: ROI = ROI.All, nthreads: int = 0"],
        body: |d, c| done(deep::flatten(d, c.image("src"), c.roi(), c.nthreads())),
    },
    Op {
        name: "deep_merge",
        forms: Forms::Both,
        sigs: &["A: ImageBuf, B: ImageBuf, occlusion_cull: bool = True, roi: ROI = ROI.All, nthreads: int = 0"],
        body: |d, c| {
            done(deep::deep_merge(
                d,
                c.image("A"),
                c.image("B"),
                c.bool("occlusion_cull"),
                c.roi(),
                c.nthreads(),
            ))
        },
    },
    Op {
        name: "deep_holdout",
        forms: Forms::Both,
        sigs: &["src: ImageBuf, holdout: ImageBuf, roi: ROI = ROI.All, nthreads: int = 0"],
        body: |d, c| {
            done(deep::deep_holdout(
                d,
                c.image("src"),
                c.image("holdout"),
                c.roi(),
                c.nthreads(),
            ))
        },
    },
];
