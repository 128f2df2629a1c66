//! Bindings of the filtered-transformation family (vfx-iba xform): resize,
//! resample, fit, warp, rotate, st_warp. Options reach the engine as the
//! reference's binding passes them (names and widths, fill mode, wrap name).

use super::{Ctx, Forms, Op, Out};
use vfx_core::ImageBuf;
use vfx_iba::{xform, IbaError};

fn done(r: vfx_iba::Result) -> Result<Out, IbaError> {
    r.map(|_| Out::Done)
}

fn rotate(d: &mut ImageBuf, c: &Ctx) -> Result<Out, IbaError> {
    let center = c.has("center_x").then(|| (c.float("center_x"), c.float("center_y")));
    done(xform::rotate(
        d,
        c.image("src"),
        c.float("angle"),
        center,
        c.str("filtername"),
        c.float("filterwidth"),
        c.bool("recompute_roi"),
        c.roi(),
        c.nthreads(),
    ))
}

fn warp(d: &mut ImageBuf, c: &Ctx) -> Result<Out, IbaError> {
    let m = c.floats("M");
    if m.len() != 9 {
        // The reference's binding gives up before calling: False without a
        // message, or an empty image from the returning form.
        return if c.overload == 0 {
            Err(IbaError::Silent)
        } else {
            Ok(Out::Done)
        };
    }
    let m = [[m[0], m[1], m[2]], [m[3], m[4], m[5]], [m[6], m[7], m[8]]];
    done(xform::warp(
        d,
        c.image("src"),
        &m,
        c.str("filtername"),
        c.float("filterwidth"),
        c.bool("recompute_roi"),
        c.str("wrap"),
        c.roi(),
        c.nthreads(),
    ))
}

pub static OPS: &[Op] = &[
    Op {
        name: "resize",
        forms: Forms::Both,
        sigs: &["src: ImageBuf, filtername: str = '', filterwidth: float = 0.0, roi: ROI = ROI.All, nthreads: int = 0"],
        body: |d, c| {
            done(xform::resize(
                d,
                c.image("src"),
                c.str("filtername"),
                c.float("filterwidth"),
                c.roi(),
                c.nthreads(),
            ))
        },
    },
    Op {
        name: "resample",
        forms: Forms::Both,
        sigs: &["src: ImageBuf, interpolate: bool = True, roi: ROI = ROI.All, nthreads: int = 0"],
        body: |d, c| done(xform::resample(d, c.image("src"), c.bool("interpolate"), c.roi(), c.nthreads())),
    },
    Op {
        name: "fit",
        forms: Forms::Both,
        sigs: &["src: ImageBuf, filtername: str = '', filterwidth: float = 0.0, fillmode: str = 'letterbox', exact: bool = False, roi: ROI = ROI.All, nthreads: int = 0"],
        body: |d, c| {
            done(xform::fit(
                d,
                c.image("src"),
                c.str("filtername"),
                c.float("filterwidth"),
                c.str("fillmode"),
                c.bool("exact"),
                c.roi(),
                c.nthreads(),
            ))
        },
    },
    Op {
        name: "rotate",
        forms: Forms::Both,
        sigs: &[
            "src: ImageBuf, angle: float, filtername: str = '', filterwidth: float = 0.0, recompute_roi: bool = False, roi: ROI = ROI.All, nthreads: int = 0",
            "src: ImageBuf, angle: float, center_x: float, center_y: float, filtername: str = '', filterwidth: float = 0.0, recompute_roi: bool = False, roi: ROI = ROI.All, nthreads: int = 0",
        ],
        body: rotate,
    },
    Op {
        name: "warp",
        forms: Forms::Both,
        sigs: &["src: ImageBuf, M: object, filtername: str = '', filterwidth: float = 0.0, recompute_roi: bool = False, wrap: str = 'default', roi: ROI = ROI.All, nthreads: int = 0"],
        body: warp,
    },
    Op {
        name: "st_warp",
        forms: Forms::Both,
        sigs: &["src: ImageBuf, stbuf: ImageBuf, filtername: str = '', filterwidth: float = 0.0, chan_s: int = 0, chan_t: int = 1, flip_s: bool = False, flip_t: bool = False, roi: ROI = ROI.All, nthreads: int = 0"],
        body: |d, c| {
            done(xform::st_warp(
                d,
                c.image("src"),
                c.image("stbuf"),
                c.str("filtername"),
                c.float("filterwidth"),
                c.int("chan_s") as i32,
                c.int("chan_t") as i32,
                c.bool("flip_s"),
                c.bool("flip_t"),
                c.roi(),
                c.nthreads(),
            ))
        },
    },
];
