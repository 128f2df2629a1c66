//! Bindings of the per-pixel arithmetic family (vfx-iba addsub, muldiv, mad,
//! pixelmath, minmaxchan, fillholes).

use super::{Ctx, Forms, Op, Out};
use vfx_core::ImageBuf;
use vfx_iba::{addsub, fillholes, mad, minmaxchan, muldiv, pixelmath, IbaError, Operand};

const BINARY: &[&str] = &[
    "A: ImageBuf, B: ImageBuf, roi: ROI = ROI.All, nthreads: int = 0",
    "A: ImageBuf, B: object, roi: ROI = ROI.All, nthreads: int = 0",
];
const UNARY: &[&str] = &["A: ImageBuf, roi: ROI = ROI.All, nthreads: int = 0"];
const SRC: &[&str] = &["src: ImageBuf, roi: ROI = ROI.All, nthreads: int = 0"];

fn done(r: vfx_iba::Result) -> Result<Out, IbaError> {
    r.map(|_| Out::Done)
}

/// An op of one source image and the ROI.
type SrcFn = fn(&mut ImageBuf, &ImageBuf, vfx_core::Roi, i32) -> vfx_iba::Result;

fn src_op(d: &mut ImageBuf, c: &Ctx, f: SrcFn) -> Result<Out, IbaError> {
    done(f(d, c.image("src"), c.roi(), c.nthreads()))
}

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
                return Err(IbaError::Silent);
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
    Op { name: "maxchan", forms: Forms::Both, sigs: SRC, body: |d, c| src_op(d, c, minmaxchan::maxchan) },
    Op { name: "minchan", forms: Forms::Both, sigs: SRC, body: |d, c| src_op(d, c, minmaxchan::minchan) },
    Op {
        name: "channel_sum",
        forms: Forms::Both,
        sigs: &[
            "src: ImageBuf, roi: ROI = ROI.All, nthreads: int = 0",
            "src: ImageBuf, weight: object, roi: ROI = ROI.All, nthreads: int = 0",
        ],
        body: |d, c| {
            let src = c.image("src");
            if c.has("weight") && !src.initialized() {
                return Err(IbaError::Op("Uninitialized source image for channel_sum".into()));
            }
            let w = if c.has("weight") { c.floats("weight").to_vec() } else { Vec::new() };
            done(pixelmath::channel_sum(d, src, &w, c.roi(), c.nthreads()))
        },
    },
    Op { name: "premult", forms: Forms::Both, sigs: SRC, body: |d, c| src_op(d, c, pixelmath::premult) },
    Op { name: "unpremult", forms: Forms::Both, sigs: SRC, body: |d, c| src_op(d, c, pixelmath::unpremult) },
    Op { name: "repremult", forms: Forms::Both, sigs: SRC, body: |d, c| src_op(d, c, pixelmath::repremult) },
    Op {
        name: "over",
        forms: Forms::Both,
        sigs: &["A: ImageBuf, B: ImageBuf, roi: ROI = ROI.All, nthreads: int = 0"],
        body: |d, c| done(pixelmath::over(d, c.image("A"), c.image("B"), c.roi(), c.nthreads())),
    },
    Op {
        name: "zover",
        forms: Forms::Both,
        sigs: &["A: ImageBuf, B: ImageBuf, z_zeroisinf: bool = False, roi: ROI = ROI.All, nthreads: int = 0"],
        body: |d, c| done(pixelmath::zover(d, c.image("A"), c.image("B"), c.bool("z_zeroisinf"), c.roi(), c.nthreads())),
    },
    Op {
        name: "contrast_remap",
        forms: Forms::Both,
        sigs: &["src: ImageBuf, black: object = 0.0, white: object = 1.0, min: object = 0.0, max: object = 1.0, scontrast: object = 1.0, sthresh: object = 0.5, roi: ROI = ROI.All, nthreads: int = 0"],
        body: |d, c| {
            let src = c.image("src");
            if !src.initialized() {
                return Err(IbaError::Silent);
            }
            let f = |n: &str| c.floats(n).to_vec();
            done(pixelmath::contrast_remap(
                d,
                src,
                &f("black"),
                &f("white"),
                &f("min"),
                &f("max"),
                &f("scontrast"),
                &f("sthresh"),
                c.roi(),
                c.nthreads(),
            ))
        },
    },
    Op {
        name: "saturate",
        forms: Forms::Both,
        sigs: &["src: ImageBuf, scale: float = 0.0, firstchannel: int = 0, roi: ROI = ROI.All, nthreads: int = 0"],
        body: |d, c| {
            let (scale, first) = (c.float("scale"), c.int("firstchannel") as i32);
            done(pixelmath::saturate(d, c.image("src"), scale, first, c.roi(), c.nthreads()))
        },
    },
    Op {
        name: "color_map",
        forms: Forms::Both,
        sigs: &[
            "src: ImageBuf, srcchannel: int, mapname: str, roi: ROI = ROI.All, nthreads: int = 0",
            "src: ImageBuf, srcchannel: int, nknots: int, channels: int, knots: object, roi: ROI = ROI.All, nthreads: int = 0",
        ],
        body: |d, c| {
            let src = c.image("src");
            if !src.initialized() {
                return Err(IbaError::Op("Uninitialized source image for color_map".into()));
            }
            let ch = c.int("srcchannel") as i32;
            if c.has("mapname") {
                return done(pixelmath::color_map_named(d, src, ch, c.str("mapname"), c.roi(), c.nthreads()));
            }
            let knots = c.floats("knots");
            if knots.is_empty() {
                return Err(IbaError::Op("No knot values supplied".into()));
            }
            let (nk, nc) = (c.int("nknots") as i32, c.int("channels") as i32);
            done(pixelmath::color_map(d, src, ch, nk, nc, knots, c.roi(), c.nthreads()))
        },
    },
    Op {
        name: "rangecompress",
        forms: Forms::Both,
        sigs: &["src: ImageBuf, useluma: bool = False, roi: ROI = ROI.All, nthreads: int = 0"],
        body: |d, c| done(pixelmath::rangecompress(d, c.image("src"), c.bool("useluma"), c.roi(), c.nthreads())),
    },
    Op {
        name: "rangeexpand",
        forms: Forms::Both,
        sigs: &["src: ImageBuf, useluma: bool = False, roi: ROI = ROI.All, nthreads: int = 0"],
        body: |d, c| done(pixelmath::rangeexpand(d, c.image("src"), c.bool("useluma"), c.roi(), c.nthreads())),
    },
    Op {
        name: "fixNonFinite",
        forms: Forms::Both,
        sigs: &["src: ImageBuf, mode: NonFiniteFixMode = NonFiniteFixMode.NONFINITE_BOX3, roi: ROI = ROI.All, nthreads: int = 0"],
        body: |d, c| {
            let Some(mode) = pixelmath::NonFiniteFix::from_int(c.int("mode")) else {
                return Err(IbaError::Op("fixNonFinite: unknown repair mode".into()));
            };
            done(pixelmath::fix_non_finite(d, c.image("src"), mode, c.roi(), c.nthreads()).map(|_| ()))
        },
    },
    Op { name: "fillholes_pushpull", forms: Forms::Both, sigs: SRC, body: |d, c| src_op(d, c, fillholes::fillholes_pushpull) },
    Op {
        name: "normalize",
        forms: Forms::Both,
        sigs: &["src: ImageBuf, inCenter: float = 0.0, outCenter: float = 0.0, scale: float = 1.0, roi: ROI = ROI.All, nthreads: int = 0"],
        body: |d, c| {
            let (i, o, s) = (c.float("inCenter"), c.float("outCenter"), c.float("scale"));
            done(pixelmath::normalize(d, c.image("src"), i, o, s, c.roi(), c.nthreads()))
        },
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
