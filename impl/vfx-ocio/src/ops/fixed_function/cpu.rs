//! CPU renderers of the fixed functions, in single precision with the
//! reference's constants and order of operations (alpha passes through).

// Constants are written as the reference writes them (the compiler rounds
// them to the same floats).
#![allow(clippy::excessive_precision)]

use super::data::FixedFunctionOpData;
use crate::enums::FixedFunctionStyle as S;

/// Replaces each pixel's RGB by `f(r, g, b)`.
#[inline]
fn per_pixel(rgba: &mut [f32], f: impl Fn(f32, f32, f32) -> [f32; 3]) {
    for px in rgba.chunks_exact_mut(4) {
        let out = f(px[0], px[1], px[2]);
        px[..3].copy_from_slice(&out);
    }
}

/// The red modifiers' parameters: 1 - scale, pivot, 1 / hue width.
struct RedMod {
    one_minus_scale: f32,
    pivot: f32,
    inv_width: f32,
}

const RED_MOD_03: RedMod = RedMod {
    one_minus_scale: 1.0 - 0.85,
    pivot: 0.03,
    inv_width: 1.9098593171027443_f64 as f32,
};
const RED_MOD_10: RedMod = RedMod {
    one_minus_scale: 1.0 - 0.82,
    pivot: 0.03,
    inv_width: 1.6976527263135504_f64 as f32,
};
const NOISE_LIMIT: f32 = 1e-2;

/// The cubic B-spline weight of a hue around red (0 outside the window).
fn hue_weight(r: f32, g: f32, b: f32, inv_width: f32) -> f32 {
    const M: [[f32; 4]; 4] = [
        [0.25, 0.00, 0.00, 0.00],
        [-0.75, 0.75, 0.75, 0.25],
        [0.75, -1.50, 0.00, 1.00],
        [-0.25, 0.75, -0.75, 0.25],
    ];
    let a = 2.0 * r - (g + b);
    let bb = (1.7320508075688772_f64 as f32) * (g - b);
    let knot = bb.atan2(a) * inv_width + 2.0;
    let j = knot as i32;
    if (0..4).contains(&j) {
        let t = knot - j as f32;
        let c = &M[j as usize];
        c[3] + t * (c[2] + t * (c[1] + t * c[0]))
    } else {
        0.0
    }
}

fn sat_weight(r: f32, g: f32, b: f32) -> f32 {
    let min = r.min(g.min(b));
    let max = r.max(g.max(b));
    (1e-10f32.max(max) - 1e-10f32.max(min)) / NOISE_LIMIT.max(max)
}

/// The red modifier (ACES 0.3 also adjusts the middle channel to keep the
/// hue; 1.0 changes red only).
fn red_mod(rgba: &mut [f32], p: &RedMod, forward: bool, keep_hue: bool) {
    per_pixel(rgba, |r, g, b| {
        let f_h = hue_weight(r, g, b, p.inv_width);
        if f_h <= 0.0 {
            return [r, g, b];
        }
        let new_r = if forward {
            let f_s = sat_weight(r, g, b);
            r + f_h * f_s * (p.pivot - r) * p.one_minus_scale
        } else {
            let min = if g < b { g } else { b };
            let qa = f_h * p.one_minus_scale - 1.0;
            let qb = r - f_h * (p.pivot + min) * p.one_minus_scale;
            let qc = f_h * p.pivot * min * p.one_minus_scale;
            (-qb - (qb * qb - 4.0 * qa * qc).sqrt()) / (2.0 * qa)
        };
        if !keep_hue {
            return [new_r, g, b];
        }
        if g >= b {
            let hue_fac = (g - b) / 1e-10f32.max(r - b);
            [new_r, hue_fac * (new_r - b) + b, b]
        } else {
            let hue_fac = (b - g) / 1e-10f32.max(r - g);
            [new_r, g, hue_fac * (new_r - g) + g]
        }
    });
}

fn clamp(x: f32, lo: f32, hi: f32) -> f32 {
    if x > lo {
        if x < hi {
            x
        } else {
            hi
        }
    } else {
        lo
    }
}

fn rgb_to_hsv(r: f32, g: f32, b: f32) -> [f32; 3] {
    let min = r.min(g).min(b);
    let max = r.max(g).max(b);
    let mut val = max;
    let (mut sat, mut hue) = (0.0f32, 0.0f32);
    if min != max {
        let delta = max - min;
        if max != 0.0 {
            sat = delta / max;
        }
        hue = if r == max {
            (g - b) / delta
        } else if g == max {
            2.0 + (b - r) / delta
        } else {
            4.0 + (r - g) / delta
        };
        if hue < 0.0 {
            hue += 6.0;
        }
        hue *= 0.16666666666666666_f64 as f32;
    }
    if min < 0.0 {
        val += min;
    }
    if -min > max {
        sat = (max - min) / -min;
    }
    [hue, sat, val]
}

fn hsv_to_rgb(h: f32, s: f32, v: f32) -> [f32; 3] {
    const MAX_SAT: f32 = 1.999;
    let hue = (h - h.floor()) * 6.0;
    let sat = clamp(s, 0.0, MAX_SAT);
    let red = clamp((hue - 3.0).abs() - 1.0, 0.0, 1.0);
    let grn = clamp(2.0 - (hue - 2.0).abs(), 0.0, 1.0);
    let blu = clamp(2.0 - (hue - 4.0).abs(), 0.0, 1.0);
    let mut max = v;
    let mut min = v * (1.0 - sat);
    if sat > 1.0 {
        min = v * (1.0 - sat) / (2.0 - sat);
        max = v - min;
    }
    if v < 0.0 {
        min = v / (2.0 - sat);
        max = v - min;
    }
    let delta = max - min;
    [red * delta + min, grn * delta + min, blu * delta + min]
}

fn recip_or_zero(d: f32) -> f32 {
    if d == 0.0 {
        0.0
    } else {
        1.0 / d
    }
}

fn xyz_to_xyy(x: f32, y: f32, z: f32) -> [f32; 3] {
    let d = recip_or_zero(x + y + z);
    [x * d, y * d, y]
}

fn xyy_to_xyz(x: f32, y: f32, luma: f32) -> [f32; 3] {
    let d = recip_or_zero(y);
    [luma * x * d, luma, luma * (1.0 - x - y) * d]
}

fn xyz_to_uvy(x: f32, y: f32, z: f32) -> [f32; 3] {
    let d = recip_or_zero(x + 15.0 * y + 3.0 * z);
    [4.0 * x * d, 9.0 * y * d, y]
}

fn uvy_to_xyz(u: f32, v: f32, y: f32) -> [f32; 3] {
    let d = recip_or_zero(v);
    [
        (9.0 / 4.0) * y * u * d,
        y,
        (3.0 / 4.0) * y * (4.0 - u - (6.666666666666667_f64 as f32) * v) * d,
    ]
}

/// u'v' of the D65 white.
const U_WHITE: f32 = 0.19783001;
const V_WHITE: f32 = 0.46831999;

fn xyz_to_luv(x: f32, y: f32, z: f32) -> [f32; 3] {
    let [u, v, _] = xyz_to_uvy(x, y, z);
    let l = if y <= 0.008856451679_f64 as f32 {
        (9.0329629629629608_f64 as f32) * y
    } else {
        1.16 * y.powf(0.333333333_f64 as f32) - 0.16
    };
    [l, 13.0 * l * (u - U_WHITE), 13.0 * l * (v - V_WHITE)]
}

fn luv_to_xyz(l: f32, us: f32, vs: f32) -> [f32; 3] {
    let d = if l == 0.0 {
        0.0
    } else {
        (0.076923076923076927_f64 as f32) / l
    };
    let u = us * d + U_WHITE;
    let v = vs * d + V_WHITE;
    let tmp = (l + 0.16) * (0.86206896551724144_f64 as f32);
    let y = if l <= 0.08 {
        (0.11070564598794539_f64 as f32) * l
    } else {
        tmp * tmp * tmp
    };
    let dd = if v == 0.0 { 0.0 } else { 0.25 / v };
    [9.0 * y * u * dd, y, y * (12.0 - 3.0 * u - 20.0 * v) * dd]
}

pub fn apply(op: &FixedFunctionOpData, rgba: &mut [f32]) {
    let fwd = op.forward;
    match op.style {
        S::AcesRedMod03 => red_mod(rgba, &RED_MOD_03, fwd, true),
        S::AcesRedMod10 => red_mod(rgba, &RED_MOD_10, fwd, false),
        S::RgbToHsv if fwd => per_pixel(rgba, rgb_to_hsv),
        S::RgbToHsv => per_pixel(rgba, hsv_to_rgb),
        S::XyzToXyy if fwd => per_pixel(rgba, xyz_to_xyy),
        S::XyzToXyy => per_pixel(rgba, xyy_to_xyz),
        S::XyzToUvy if fwd => per_pixel(rgba, xyz_to_uvy),
        S::XyzToUvy => per_pixel(rgba, uvy_to_xyz),
        S::XyzToLuv if fwd => per_pixel(rgba, xyz_to_luv),
        S::XyzToLuv => per_pixel(rgba, luv_to_xyz),
        // Refused when the op is made (FixedFunctionOpData::from_transform).
        _ => {}
    }
}
