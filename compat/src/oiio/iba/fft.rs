//! Bindings of the Fourier family (vfx-iba fft): fft, ifft,
//! complex_to_polar, polar_to_complex.

use super::{Ctx, Forms, Op, Out};
use vfx_core::{ImageBuf, Roi};
use vfx_iba::{fft, IbaError};

type EngineOp = fn(&mut ImageBuf, &ImageBuf, Roi, i32) -> vfx_iba::Result;

fn run(op: EngineOp, d: &mut ImageBuf, c: &Ctx) -> Result<Out, IbaError> {
    op(d, c.image("src"), c.roi(), c.nthreads()).map(|_| Out::Done)
}

const SIG: &[&str] = &["src: ImageBuf, roi: ROI = ROI.All, nthreads: int = 0"];

pub static OPS: &[Op] = &[
    Op {
        name: "fft",
        forms: Forms::Both,
        sigs: SIG,
        body: |d, c| run(fft::fft, d, c),
    },
    Op {
        name: "ifft",
        forms: Forms::Both,
        sigs: SIG,
        body: |d, c| run(fft::ifft, d, c),
    },
    Op {
        name: "polar_to_complex",
        forms: Forms::Both,
        sigs: SIG,
        body: |d, c| run(fft::polar_to_complex, d, c),
    },
    Op {
        name: "complex_to_polar",
        forms: Forms::Both,
        sigs: SIG,
        body: |d, c| run(fft::complex_to_polar, d, c),
    },
];
