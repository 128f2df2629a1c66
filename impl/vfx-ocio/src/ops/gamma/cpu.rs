//! CPU renderers of `GammaOpData`, in single precision with OCIO's fast
//! power (all four channels, alpha included, as the reference).

use super::data::{GammaOpData, GammaStyle};
use super::fastmath::pow;

/// Monitor-curve parameters for one channel, as the renderer uses them.
#[derive(Clone, Copy)]
struct Moncurve {
    gamma: f32,
    offset: f32,
    brk: f32,
    slope: f32,
    scale: f32,
}

const EPS: f64 = 1e-6;

fn moncurve(g: f64, o: f64, forward: bool) -> Moncurve {
    let gamma = g.max(1.0 + EPS);
    let offset = o.max(EPS);
    if forward {
        let a = (gamma - 1.0) / offset;
        let b = offset * gamma / ((gamma - 1.0) * (1.0 + offset));
        Moncurve {
            gamma: gamma as f32,
            offset: (offset / (1.0 + offset)) as f32,
            brk: (offset / (gamma - 1.0)) as f32,
            slope: (a * b.powf(gamma)) as f32,
            scale: (1.0 / (1.0 + offset)) as f32,
        }
    } else {
        let a = (gamma - 1.0) / offset;
        let b = (1.0 + offset) / gamma;
        Moncurve {
            gamma: (1.0 / gamma) as f32,
            offset: offset as f32,
            brk: ((offset * gamma) / ((gamma - 1.0) * (1.0 + offset))).powf(gamma) as f32,
            slope: (a.powf(gamma - 1.0) * b.powf(gamma)) as f32,
            scale: (1.0 + offset) as f32,
        }
    }
}

/// `x` with the sign bit of `sign` (OCIO ORs the sign back in).
#[inline]
fn with_sign(x: f32, sign: f32) -> f32 {
    f32::from_bits(x.to_bits() | (sign.to_bits() & 0x8000_0000))
}

pub fn apply(op: &GammaOpData, rgba: &mut [f32]) {
    match op.style {
        GammaStyle::Basic | GammaStyle::BasicMirror | GammaStyle::BasicPassThru => {
            let g: [f32; 4] = std::array::from_fn(|i| {
                if op.forward {
                    op.gamma[i] as f32
                } else {
                    (1.0 / op.gamma[i]) as f32
                }
            });
            match op.style {
                GammaStyle::Basic => per_channel(rgba, &g, pow),
                GammaStyle::BasicMirror => per_channel(rgba, &g, |v, e| with_sign(pow(v.abs(), e), v)),
                _ => per_channel(rgba, &g, |v, e| if v > 0.0 { pow(v, e) } else { v }),
            }
        }
        GammaStyle::Moncurve | GammaStyle::MoncurveMirror => {
            let p: [Moncurve; 4] = std::array::from_fn(|i| moncurve(op.gamma[i], op.offset[i], op.forward));
            let mirror = op.style == GammaStyle::MoncurveMirror;
            for px in rgba.chunks_exact_mut(4) {
                for (v, c) in px.iter_mut().zip(&p) {
                    let x = if mirror { v.abs() } else { *v };
                    let curve = if op.forward {
                        pow(x * c.scale + c.offset, c.gamma)
                    } else {
                        pow(x, c.gamma) * c.scale - c.offset
                    };
                    let out = if x > c.brk { curve } else { x * c.slope };
                    *v = if mirror { with_sign(out, *v) } else { out };
                }
            }
        }
    }
}

/// `f(value, exponent)` on every channel (one monomorphic loop per style,
/// so the compiler can vectorise it).
#[inline]
fn per_channel(rgba: &mut [f32], g: &[f32; 4], f: impl Fn(f32, f32) -> f32) {
    for px in rgba.chunks_exact_mut(4) {
        px[0] = f(px[0], g[0]);
        px[1] = f(px[1], g[1]);
        px[2] = f(px[2], g[2]);
        px[3] = f(px[3], g[3]);
    }
}
