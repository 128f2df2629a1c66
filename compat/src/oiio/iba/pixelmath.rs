//! Bindings of the per-pixel arithmetic family (vfx-iba addsub, muldiv, mad,
//! pixelmath).

use super::{Ctx, Forms, Op, Out};
use vfx_iba::{addsub, mad, muldiv, pixelmath, IbaError, Operand};

const BINARY: &[&str] = &[
    "A: ImageBuf, B: ImageBuf, roi: ROI = ROI.All, nthreads: int = 0",
    "A: ImageBuf, B: object, roi: ROI = ROI.All, nthreads: int = 0",
];
const UNARY: &[&str] = &["A: ImageBuf, roi: ROI = ROI.All, nthreads: int = 0"];

type BinaryFn = fn(&mut vfx_core::ImageBuf, Operand, Operand, vfx_core::Roi, i32) -> vfx_iba::Result;

/// A binary op with the binding's constant sizing (relative to A, or to dst
/// for `sub`, as the reference's binding does).
fn binary(d: &mut vfx_core::ImageBuf, c: &Ctx, f: BinaryFn, size_by_dst: bool) -> Result<Out, IbaError> {
    let a = c.image("A");
    let b = match c.operand("B") {
        Operand::Image(i) => Operand::Image(i),
        Operand::Const(_) => {
            let v = c.values_for("B", if size_by_dst { &*d } else { a }, true);
            return f(d, Operand::Image(a), Operand::Const(&v), c.roi(), c.nthreads()).map(|_| Out::Done);
        }
    };
    f(d, Operand::Image(a), b, c.roi(), c.nthreads()).map(|_| Out::Done)
}

pub static OPS: &[Op] = &[
    Op { name: "add", forms: Forms::Both, sigs: BINARY, body: |d, c| binary(d, c, addsub::add, false) },
    Op { name: "sub", forms: Forms::Both, sigs: BINARY, body: |d, c| binary(d, c, addsub::sub, true) },
    Op { name: "absdiff", forms: Forms::Both, sigs: BINARY, body: |d, c| binary(d, c, pixelmath::absdiff, false) },
    Op {
        name: "abs",
        forms: Forms::Both,
        sigs: UNARY,
        body: |d, c| pixelmath::abs(d, c.image("A"), c.roi(), c.nthreads()).map(|_| Out::Done),
    },
    Op { name: "mul", forms: Forms::Both, sigs: BINARY, body: |d, c| binary(d, c, muldiv::mul, false) },
    Op { name: "div", forms: Forms::Both, sigs: BINARY, body: |d, c| binary(d, c, muldiv::div, false) },
    Op {
        name: "mad",
        forms: Forms::Both,
        sigs: &[
            "A: ImageBuf, B: ImageBuf, C: ImageBuf, roi: ROI = ROI.All, nthreads: int = 0",
            "A: ImageBuf, B: object, C: ImageBuf, roi: ROI = ROI.All, nthreads: int = 0",
            "A: object, B: ImageBuf, C: ImageBuf, roi: ROI = ROI.All, nthreads: int = 0",
            "A: ImageBuf, B: object, C: object, roi: ROI = ROI.All, nthreads: int = 0",
        ],
        body: mad_body,
    },
    Op {
        name: "invert",
        forms: Forms::Both,
        sigs: UNARY,
        body: |d, c| mad::invert(d, c.image("A"), c.roi(), c.nthreads()).map(|_| Out::Done),
    },
    Op {
        name: "pow",
        forms: Forms::Both,
        sigs: &["A: ImageBuf, B: object, roi: ROI = ROI.All, nthreads: int = 0"],
        body: |d, c| {
            let a = c.image("A");
            let b = c.values_for("B", a, true);
            pixelmath::pow(d, a, &b, c.roi(), c.nthreads()).map(|_| Out::Done)
        },
    },
    Op {
        name: "clamp",
        forms: Forms::Both,
        sigs: &["src: ImageBuf, min: object, max: object, clampalpha01: bool = False, roi: ROI = ROI.All, nthreads: int = 0"],
        body: |d, c| {
            let src = c.image("src");
            if !src.initialized() {
                return Err(IbaError::Op(String::new()));
            }
            let (lo, hi) = (c.floats("min").to_vec(), c.floats("max").to_vec());
            pixelmath::clamp(d, src, &lo, &hi, c.bool("clampalpha01"), c.roi(), c.nthreads()).map(|_| Out::Done)
        },
    },
    Op { name: "max", forms: Forms::Both, sigs: BINARY, body: |d, c| binary(d, c, pixelmath::max, false) },
    Op { name: "min", forms: Forms::Both, sigs: BINARY, body: |d, c| binary(d, c, pixelmath::min, false) },
    Op {
        name: "scale",
        forms: Forms::Both,
        sigs: &["A: ImageBuf, B: ImageBuf, roi: ROI = ROI.All, nthreads: int = 0"],
        body: |d, c| muldiv::scale(d, c.image("A"), c.image("B"), c.roi(), c.nthreads()).map(|_| Out::Done),
    },
];

/// mad's four shapes; constants are sized against the image operand A (or
/// B when A is the constant), as the reference's binding does.
fn mad_body(d: &mut vfx_core::ImageBuf, c: &Ctx) -> Result<Out, IbaError> {
    let (roi, n) = (c.roi(), c.nthreads());
    let sized = |name: &str, by: &vfx_core::ImageBuf| c.values_for(name, by, true);
    match (c.operand("A"), c.operand("B"), c.operand("C")) {
        (Operand::Image(a), Operand::Image(b), Operand::Image(cc)) => {
            mad::mad(d, Operand::Image(a), Operand::Image(b), Operand::Image(cc), roi, n)
        }
        (Operand::Image(a), Operand::Const(_), Operand::Image(cc)) => {
            let b = sized("B", a);
            mad::mad(d, Operand::Image(a), Operand::Const(&b), Operand::Image(cc), roi, n)
        }
        (Operand::Const(_), Operand::Image(b), Operand::Image(cc)) => {
            let a = sized("A", b);
            mad::mad(d, Operand::Image(b), Operand::Const(&a), Operand::Image(cc), roi, n)
        }
        (Operand::Image(a), Operand::Const(_), Operand::Const(_)) => {
            let (b, k) = (sized("B", a), sized("C", a));
            mad::mad(d, Operand::Image(a), Operand::Const(&b), Operand::Const(&k), roi, n)
        }
        _ => Err(IbaError::Op(
            "ImageBufAlgo::mad(): at least one of the first two arguments must be an image".into(),
        )),
    }
    .map(|_| Out::Done)
}
