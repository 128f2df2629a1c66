//! Bindings of the convolution and rank-filter family (vfx-iba convolve and
//! morphology): make_kernel, convolve, unsharp_mask, median_filter, dilate,
//! erode, laplacian.

use super::{Ctx, Forms, Op, Out};
use vfx_core::ImageBuf;
use vfx_iba::{convolve, morphology, IbaError};

fn done(r: vfx_iba::Result) -> Result<Out, IbaError> {
    r.map(|_| Out::Done)
}

/// The reference's binding assigns the new kernel to `dst` and reports
/// whether it carries an error (an unknown name gives a box with one).
fn make_kernel(d: &mut ImageBuf, c: &Ctx) -> Result<Out, IbaError> {
    *d = convolve::make_kernel(
        c.str("name"),
        c.float("width"),
        c.float("height"),
        c.float("depth"),
        c.bool("normalize"),
    );
    if d.has_error() {
        Err(IbaError::Silent)
    } else {
        Ok(Out::Done)
    }
}

type Rank = fn(&mut ImageBuf, &ImageBuf, i32, i32, vfx_core::Roi, i32) -> vfx_iba::Result;

fn rank(f: Rank, d: &mut ImageBuf, c: &Ctx) -> Result<Out, IbaError> {
    done(f(
        d,
        c.image("src"),
        c.int("width") as i32,
        c.int("height") as i32,
        c.roi(),
        c.nthreads(),
    ))
}

const RANK_SIG: &str = "src: ImageBuf, width: int = 3, height: int = -1, roi: ROI = ROI.All, nthreads: int = 0";

pub static OPS: &[Op] = &[
    Op {
        name: "make_kernel",
        forms: Forms::Both,
        sigs: &["name: str, width: float, height: float, depth: float = 1.0, normalize: bool = True"],
        body: make_kernel,
    },
    Op {
        name: "convolve",
        forms: Forms::Both,
        // (sic: the reference's keyword is "normalze")
        sigs: &["src: ImageBuf, kernel: ImageBuf, normalze: bool = True, roi: ROI = ROI.All, nthreads: int = 0"],
        body: |d, c| {
            done(convolve::convolve(
                d,
                c.image("src"),
                c.image("kernel"),
                c.bool("normalze"),
                c.roi(),
                c.nthreads(),
            ))
        },
    },
    Op {
        name: "unsharp_mask",
        forms: Forms::Both,
        sigs: &["src: ImageBuf, kernel: str = 'gaussian', width: float = 3.0, contrast: float = 1.0, threshold: float = 0.0, roi: ROI = ROI.All, nthreads: int = 0"],
        body: |d, c| {
            done(convolve::unsharp_mask(
                d,
                c.image("src"),
                c.str("kernel"),
                c.float("width"),
                c.float("contrast"),
                c.float("threshold"),
                c.roi(),
                c.nthreads(),
            ))
        },
    },
    Op {
        name: "median_filter",
        forms: Forms::Both,
        sigs: &[RANK_SIG],
        body: |d, c| rank(morphology::median_filter, d, c),
    },
    Op {
        name: "dilate",
        forms: Forms::Both,
        sigs: &[RANK_SIG],
        body: |d, c| rank(morphology::dilate, d, c),
    },
    Op {
        name: "erode",
        forms: Forms::Both,
        sigs: &[RANK_SIG],
        body: |d, c| rank(morphology::erode, d, c),
    },
    Op {
        name: "laplacian",
        forms: Forms::Both,
        sigs: &["src: ImageBuf, roi: ROI = ROI.All, nthreads: int = 0"],
        body: |d, c| done(convolve::laplacian(d, c.image("src"), c.roi(), c.nthreads())),
    },
];
