//! Bindings of the pattern and drawing family (vfx-iba draw): zero, fill,
//! checker, noise, bluenoise_image, render_point/line/box.

use super::{Ctx, Forms, Op, Out};
use vfx_core::ImageBuf;
use vfx_iba::{draw, IbaError};

type R = Result<Out, IbaError>;

fn done(r: vfx_iba::Result) -> R {
    r.map(|_| Out::Done)
}

/// fill's three shapes; colours are sized as the reference's binding does
/// (one colour: repeat the last value; gradients: pad with zeros).
fn fill_body(d: &mut ImageBuf, c: &Ctx) -> R {
    let (roi, n) = (c.roi(), c.nthreads());
    if c.has("values") {
        let v = c.values_for("values", d, true);
        return done(draw::fill(d, &v, roi, n));
    }
    if c.has("top") {
        let (t, b) = (c.values_for("top", d, false), c.values_for("bottom", d, false));
        return done(draw::fill_tb(d, &t, &b, roi, n));
    }
    let [tl, tr, bl, br] = ["topleft", "topright", "bottomleft", "bottomright"].map(|k| c.values_for(k, d, false));
    done(draw::fill_corners(d, &tl, &tr, &bl, &br, roi, n))
}

fn checker_body(d: &mut ImageBuf, c: &Ctx) -> R {
    let (c1, c2) = (c.values_for("color1", d, false), c.values_for("color2", d, false));
    let int = |k: &str| c.int(k) as i32;
    done(draw::checker(
        d,
        [int("width"), int("height"), int("depth")],
        &c1,
        &c2,
        [int("xoffset"), int("yoffset"), int("zoffset")],
        c.roi(),
        c.nthreads(),
    ))
}

/// noise; the returning form starts from `zero(roi)` as the reference's
/// does, so a failing call reports both steps' errors.
fn noise_body(d: &mut ImageBuf, c: &Ctx) -> R {
    let (roi, n) = (c.roi(), c.nthreads());
    if c.overload == 1 {
        if let Err(e) = draw::zero(d, roi, n) {
            d.error(&e.to_string());
        }
    }
    let (a, b) = (c.float("A"), c.float("B"));
    done(draw::noise(
        d,
        c.str("type"),
        a,
        b,
        c.bool("mono"),
        c.int("seed") as i32,
        roi,
        n,
    ))
}

/// A drawing colour as the reference's binding passes it: one value per
/// channel of `dst`, missing ones 1.0 (opaque white), extra ones dropped.
fn draw_color(d: &ImageBuf, c: &Ctx) -> Vec<f32> {
    let mut v = c.floats("color").to_vec();
    v.resize(d.nchannels().max(0) as usize, 1.0);
    v
}

pub static OPS: &[Op] = &[
    Op {
        name: "zero",
        forms: Forms::Custom,
        sigs: &[
            "dst: ImageBuf, roi: ROI = ROI.All, nthreads: int = 0 -> bool",
            "roi: ROI, nthreads: int = 0 -> ImageBuf",
        ],
        body: |d, c| done(draw::zero(d, c.roi(), c.nthreads())),
    },
    Op {
        name: "fill",
        forms: Forms::Both,
        sigs: &[
            "values: object, roi: ROI = ROI.All, nthreads: int = 0",
            "top: object, bottom: object, roi: ROI = ROI.All, nthreads: int = 0",
            "topleft: object, topright: object, bottomleft: object, bottomright: object, roi: ROI = ROI.All, nthreads: int = 0",
        ],
        body: fill_body,
    },
    Op {
        name: "checker",
        forms: Forms::Both,
        sigs: &["width: int, height: int, depth: int, color1: object, color2: object, xoffset: int = 0, yoffset: int = 0, zoffset: int = 0, roi: ROI = ROI.All, nthreads: int = 0"],
        body: checker_body,
    },
    Op {
        name: "noise",
        forms: Forms::Both,
        sigs: &["type: str = 'gaussian', A: float = 0.0, B: float = 0.10000000149011612, mono: bool = False, seed: int = 0, roi: ROI = ROI.All, nthreads: int = 0"],
        body: noise_body,
    },
    Op {
        name: "bluenoise_image",
        forms: Forms::RetOnly,
        sigs: &[""],
        body: |d, _| {
            *d = draw::bluenoise_image();
            Ok(Out::Done)
        },
    },
    Op {
        name: "render_point",
        forms: Forms::DstOnly,
        sigs: &["x: int, y: int, color: object | None = None"],
        body: |d, c| {
            let color = draw_color(d, c);
            let roi = vfx_core::Roi::ALL;
            done(draw::render_point(d, c.int("x") as i32, c.int("y") as i32, &color, roi, 0))
        },
    },
    Op {
        name: "render_line",
        forms: Forms::DstOnly,
        sigs: &["x1: int, y1: int, x2: int, y2: int, color: object | None = None, skip_first_point: bool = False"],
        body: |d, c| {
            let color = draw_color(d, c);
            let p = |k: &str| c.int(k) as i32;
            let skip = c.bool("skip_first_point");
            let roi = vfx_core::Roi::ALL;
            done(draw::render_line(d, p("x1"), p("y1"), p("x2"), p("y2"), &color, skip, roi, 0))
        },
    },
    Op {
        name: "render_box",
        forms: Forms::DstOnly,
        sigs: &["x1: int, y1: int, x2: int, y2: int, color: object | None = None, fill: bool = False"],
        body: |d, c| {
            let color = draw_color(d, c);
            let p = |k: &str| c.int(k) as i32;
            let roi = vfx_core::Roi::ALL;
            done(draw::render_box(d, p("x1"), p("y1"), p("x2"), p("y2"), &color, c.bool("fill"), roi, 0))
        },
    },
];
