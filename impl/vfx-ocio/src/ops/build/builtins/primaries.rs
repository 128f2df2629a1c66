//! Colour primaries and the RGB-to-RGB matrices built from them (with von
//! Kries adaptation, Bradford or CAT02), computed in double precision in
//! the order OCIO computes them so the matrices match to the bit.

use crate::transforms::matrix::invert;

/// Red, green, blue and white chromaticities (CIE xy).
#[derive(Debug, Clone, Copy)]
pub struct Primaries {
    pub red: [f64; 2],
    pub green: [f64; 2],
    pub blue: [f64; 2],
    pub white: [f64; 2],
}

const fn prims(r: [f64; 2], g: [f64; 2], b: [f64; 2], w: [f64; 2]) -> Primaries {
    Primaries {
        red: r,
        green: g,
        blue: b,
        white: w,
    }
}

const D65: [f64; 2] = [0.3127, 0.3290];
const D60: [f64; 2] = [0.32168, 0.33767];

pub const XYZ_E: Primaries = prims([1.0, 0.0], [0.0, 1.0], [0.0, 0.0], [1.0 / 3.0, 1.0 / 3.0]);
pub const AP0: Primaries = prims([0.7347, 0.2653], [0.0, 1.0], [0.0001, -0.0770], D60);
pub const AP1: Primaries = prims([0.713, 0.293], [0.165, 0.830], [0.128, 0.044], D60);
pub const REC709: Primaries = prims([0.64, 0.33], [0.30, 0.60], [0.15, 0.06], D65);
pub const REC2020: Primaries = prims([0.708, 0.292], [0.170, 0.797], [0.131, 0.046], D65);
pub const P3_DCI: Primaries = prims([0.680, 0.320], [0.265, 0.690], [0.150, 0.060], [0.314, 0.351]);
pub const P3_D65: Primaries = prims([0.680, 0.320], [0.265, 0.690], [0.150, 0.060], D65);
pub const P3_D60: Primaries = prims([0.680, 0.320], [0.265, 0.690], [0.150, 0.060], D60);
pub const ARRI_AWG: Primaries = prims([0.68400, 0.31300], [0.22100, 0.84800], [0.08610, -0.10200], D65);
pub const ARRI_AWG4: Primaries = prims([0.73470, 0.26530], [0.14240, 0.85760], [0.09910, -0.03080], D65);
pub const SONY_SGAMUT3: Primaries = prims([0.730, 0.280], [0.140, 0.855], [0.100, -0.050], D65);
pub const SONY_SGAMUT3_CINE: Primaries = prims([0.766, 0.275], [0.225, 0.800], [0.089, -0.087], D65);
pub const PANASONIC_VGAMUT: Primaries = prims([0.730, 0.280], [0.165, 0.840], [0.100, -0.030], D65);
pub const RED_WIDE_GAMUT: Primaries = prims([0.780308, 0.304253], [0.121595, 1.493994], [0.095612, -0.084589], D65);

/// XYZ of the D65 white as OCIO tabulates it.
pub const D65_XYZ: [f64; 4] = [0.95045592705167, 1.0, 1.08905775075988, 0.0];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Adaptation {
    None,
    Bradford,
    Cat02,
}

pub type M44 = [f64; 16];

fn identity() -> M44 {
    let mut m = [0.0; 16];
    m[15] = 1.0;
    m
}

/// `a * b`, each element summed from 0 in index order.
pub fn mul(a: &M44, b: &M44) -> M44 {
    let mut out = [0.0; 16];
    for r in 0..4 {
        for c in 0..4 {
            let mut acc = 0.0;
            for i in 0..4 {
                acc += a[4 * r + i] * b[4 * i + c];
            }
            out[4 * r + c] = acc;
        }
    }
    out
}

/// `a * v` for a 4-vector.
pub fn mul_vec(a: &M44, v: &[f64; 4]) -> [f64; 4] {
    let mut out = [0.0; 4];
    for (r, o) in out.iter_mut().enumerate() {
        let mut acc = 0.0;
        for j in 0..4 {
            acc += a[4 * r + j] * v[j];
        }
        *o = acc;
    }
    out
}

fn inverse(m: &M44) -> M44 {
    // These matrices are built from valid primaries and cone responses:
    // they are invertible.
    invert(m).unwrap_or_else(|_| identity())
}

/// RGB to XYZ (Y of white = 1) from the chromaticities.
fn rgb_to_xyz(p: &Primaries) -> M44 {
    let mut m = identity();
    for (i, xy) in [p.red, p.green, p.blue].iter().enumerate() {
        m[i] = xy[0];
        m[4 + i] = xy[1];
        m[8 + i] = 1.0 - xy[0] - xy[1];
    }
    let inv = inverse(&m);
    let w = p.white;
    let white = [w[0] / w[1], 1.0, (1.0 - w[0] - w[1]) / w[1]];
    let mut out = identity();
    for i in 0..3 {
        let gain = white[0] * inv[4 * i] + white[1] * inv[4 * i + 1] + white[2] * inv[4 * i + 2];
        for j in 0..3 {
            out[4 * j + i] = gain * m[4 * j + i];
        }
    }
    out
}

fn von_kries(src: &[f64; 4], dst: &[f64; 4], method: Adaptation) -> M44 {
    const BRADFORD: M44 = [
        0.8951, 0.2664, -0.1614, 0.0, -0.7502, 1.7135, 0.0367, 0.0, 0.0389, -0.0685, 1.0296, 0.0, 0.0, 0.0, 0.0, 1.0,
    ];
    const CAT02: M44 = [
        0.7328, 0.4296, -0.1624, 0.0, -0.7036, 1.6975, 0.0061, 0.0, 0.0030, 0.0136, 0.9834, 0.0, 0.0, 0.0, 0.0, 1.0,
    ];
    let cone = if method == Adaptation::Cat02 { CAT02 } else { BRADFORD };
    let back = inverse(&cone);
    let (s, d) = (mul_vec(&cone, src), mul_vec(&cone, dst));
    let mut scale = [0.0; 16];
    scale[0] = d[0] / s[0];
    scale[5] = d[1] / s[1];
    scale[10] = d[2] / s[2];
    scale[15] = 1.0;
    mul(&back, &mul(&scale, &cone))
}

/// From `src` RGB to `dst` RGB; explicit white XYZ values (non-zero)
/// override the primaries' whites.
pub fn conversion_with_whites(
    src: &Primaries,
    dst: &Primaries,
    src_white: [f64; 4],
    dst_white: [f64; 4],
    method: Adaptation,
) -> M44 {
    let is_set = |w: &[f64; 4]| w.iter().any(|&v| v != 0.0);
    let src_m = rgb_to_xyz(src);
    let dst_m = rgb_to_xyz(dst);
    let dst_inv = inverse(&dst_m);
    let same_white = src.white == dst.white && !is_set(&src_white) && !is_set(&dst_white);
    if same_white || method == Adaptation::None {
        return mul(&dst_inv, &src_m);
    }
    let ones = [1.0, 1.0, 1.0, 0.0];
    let dw = if is_set(&dst_white) {
        dst_white
    } else {
        mul_vec(&dst_m, &ones)
    };
    let sw = if is_set(&src_white) {
        src_white
    } else {
        mul_vec(&src_m, &ones)
    };
    mul(&dst_inv, &mul(&von_kries(&sw, &dw, method), &src_m))
}

pub fn conversion(src: &Primaries, dst: &Primaries, method: Adaptation) -> M44 {
    conversion_with_whites(src, dst, [0.0; 4], [0.0; 4], method)
}

pub fn to_xyz_d65(src: &Primaries, method: Adaptation) -> M44 {
    conversion_with_whites(src, &XYZ_E, [0.0; 4], D65_XYZ, method)
}

pub fn from_xyz_d65(dst: &Primaries, method: Adaptation) -> M44 {
    conversion_with_whites(&XYZ_E, dst, D65_XYZ, [0.0; 4], method)
}
