//! ICC profiles for JPEG XL colour encodings, built the way libjxl 0.12
//! builds them.
//!
//! A JPEG XL file usually describes its colours with a few enum fields
//! (white point, primaries, transfer curve) instead of an ICC profile, and
//! libjxl synthesises a profile from them when asked. OIIO's reader stores
//! that profile as `ICCProfile` (and decodes its header into
//! `ICCProfile:...` attributes), so we must produce the very same bytes:
//! same tags in the same order, the same fixed-point rounding of the same
//! single-precision arithmetic, the same description strings, the same MD5
//! profile ID. HDR encodings (PQ/HLG with standard primaries) get libjxl's
//! tone-mapping 3D LUT to CIELAB.

/// Colour space of an encoding (JXL's `ColourSpace` values).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Space {
    Rgb,
    Gray,
    Xyb,
    Unknown,
}

pub const WP_D65: u32 = 1;
pub const WP_CUSTOM: u32 = 2;
pub const WP_E: u32 = 10;
pub const WP_DCI: u32 = 11;

/// No primaries (grey or XYB encodings report 0).
pub const PR_NONE: u32 = 0;
pub const PR_SRGB: u32 = 1;
pub const PR_CUSTOM: u32 = 2;
pub const PR_2100: u32 = 9;
pub const PR_P3: u32 = 11;

pub const TF_709: u32 = 1;
pub const TF_UNKNOWN: u32 = 2;
pub const TF_LINEAR: u32 = 8;
pub const TF_SRGB: u32 = 13;
pub const TF_PQ: u32 = 16;
pub const TF_DCI: u32 = 17;
pub const TF_HLG: u32 = 18;
pub const TF_GAMMA: u32 = 65535;

/// A colour encoding as libjxl's public `JxlColorEncoding` reports it:
/// enum codes plus the chromaticities they stand for.
#[derive(Clone, Debug, PartialEq)]
pub struct ColorEncoding {
    pub space: Space,
    pub white_point: u32,
    pub white: [f64; 2],
    pub primaries: u32,
    /// Red, green, blue xy (zero when the space has no primaries).
    pub rgb: [[f64; 2]; 3],
    pub tf: u32,
    /// Encoded gamma (the exponent of the inverse curve, below 1), when
    /// `tf` is [`TF_GAMMA`].
    pub gamma: f64,
    /// ICC rendering intent: 0 perceptual, 1 relative, 2 saturation, 3 absolute.
    pub intent: u32,
}

impl ColorEncoding {
    /// sRGB primaries and D65 with the given transfer curve: the encoding
    /// libjxl gives files that do not say otherwise (and its output space
    /// for XYB images with an ICC profile, with a linear curve).
    pub fn srgb_like(gray: bool, tf: u32) -> ColorEncoding {
        let mut c = ColorEncoding {
            space: if gray { Space::Gray } else { Space::Rgb },
            white_point: WP_D65,
            white: white_xy(WP_D65),
            primaries: PR_NONE,
            rgb: [[0.0; 2]; 3],
            tf,
            gamma: 0.0,
            intent: 1,
        };
        if !gray {
            c.primaries = PR_SRGB;
            c.rgb = primaries_xy(PR_SRGB);
        }
        c
    }
}

/// The chromaticity libjxl uses for an enum white point.
pub fn white_xy(wp: u32) -> [f64; 2] {
    match wp {
        WP_DCI => [0.314, 0.351],
        WP_E => [1.0 / 3.0, 1.0 / 3.0],
        _ => [0.3127, 0.3290],
    }
}

/// The chromaticities libjxl uses for enum primaries.
pub fn primaries_xy(p: u32) -> [[f64; 2]; 3] {
    match p {
        PR_2100 => [[0.708, 0.292], [0.170, 0.797], [0.131, 0.046]],
        PR_P3 => [[0.680, 0.320], [0.265, 0.690], [0.150, 0.060]],
        _ => [
            [0.639998686, 0.330010138],
            [0.300003784, 0.600003357],
            [0.150002046, 0.059997204],
        ],
    }
}

// ---------------------------------------------------------------------------
// 3x3 algebra with libjxl's precision: single-precision storage, double
// accumulation.

type M3 = [[f32; 3]; 3];
type V3 = [f32; 3];

fn mul_mat(a: &M3, b: &M3) -> M3 {
    let mut c = [[0f32; 3]; 3];
    for x in 0..3 {
        let t = [f64::from(b[0][x]), f64::from(b[1][x]), f64::from(b[2][x])];
        for y in 0..3 {
            c[y][x] = (f64::from(a[y][0]) * t[0] + f64::from(a[y][1]) * t[1] + f64::from(a[y][2]) * t[2]) as f32;
        }
    }
    c
}

fn mul_vec(a: &M3, b: &V3) -> V3 {
    let mut c = [0f32; 3];
    for y in 0..3 {
        let mut e = 0f64;
        for x in 0..3 {
            e += f64::from(a[y][x]) * f64::from(b[x]);
        }
        c[y] = e as f32;
    }
    c
}

fn invert(m: &M3) -> Option<M3> {
    let d = |r: usize, c: usize| f64::from(m[r][c]);
    let t = [
        [
            d(1, 1) * d(2, 2) - d(1, 2) * d(2, 1),
            d(0, 2) * d(2, 1) - d(0, 1) * d(2, 2),
            d(0, 1) * d(1, 2) - d(0, 2) * d(1, 1),
        ],
        [
            d(1, 2) * d(2, 0) - d(1, 0) * d(2, 2),
            d(0, 0) * d(2, 2) - d(0, 2) * d(2, 0),
            d(0, 2) * d(1, 0) - d(0, 0) * d(1, 2),
        ],
        [
            d(1, 0) * d(2, 1) - d(1, 1) * d(2, 0),
            d(0, 1) * d(2, 0) - d(0, 0) * d(2, 1),
            d(0, 0) * d(1, 1) - d(0, 1) * d(1, 0),
        ],
    ];
    let det = d(0, 0) * t[0][0] + d(0, 1) * t[1][0] + d(0, 2) * t[2][0];
    if det.abs() < 1e-10 {
        return None;
    }
    let idet = 1.0 / det;
    Some(t.map(|row| row.map(|v| (v * idet) as f32)))
}

/// RGB → XYZ for primaries and white point (libjxl's `PrimariesToXYZ`).
fn primaries_to_xyz(p: [f32; 8]) -> Option<M3> {
    let [rx, ry, gx, gy, bx, by, wx, wy] = p;
    if !((0.0..=1.0).contains(&wx) && wy > 0.0 && wy <= 1.0) {
        return None;
    }
    let prim: M3 = [
        [rx, gx, bx],
        [ry, gy, by],
        [1.0 - rx - ry, 1.0 - gx - gy, 1.0 - bx - by],
    ];
    let inv = invert(&prim)?;
    let w = [wx / wy, 1.0, (1.0 - wx - wy) / wy];
    if !w[0].is_finite() || !w[2].is_finite() {
        return None;
    }
    let xyz = mul_vec(&inv, &w);
    let a = [[xyz[0], 0.0, 0.0], [0.0, xyz[1], 0.0], [0.0, 0.0, xyz[2]]];
    Some(mul_mat(&prim, &a))
}

const BRADFORD: M3 = [
    [0.8951, 0.2664, -0.1614],
    [-0.7502, 1.7135, 0.0367],
    [0.0389, -0.0685, 1.0296],
];
const BRADFORD_INV: M3 = [
    [0.9869929, -0.1470543, 0.1599627],
    [0.4323053, 0.5183603, 0.0492912],
    [-0.0085287, 0.0400428, 0.9684867],
];

/// Bradford adaptation of white point (wx, wy) to D50.
fn adapt_to_d50(wx: f32, wy: f32) -> Option<M3> {
    if !((0.0..=1.0).contains(&wx) && wy > 0.0 && wy <= 1.0) {
        return None;
    }
    let w = [wx / wy, 1.0, (1.0 - wx - wy) / wy];
    if !w[0].is_finite() || !w[2].is_finite() {
        return None;
    }
    let w50 = [0.96422f32, 1.0, 0.82521];
    let lms = mul_vec(&BRADFORD, &w);
    let lms50 = mul_vec(&BRADFORD, &w50);
    if lms.contains(&0.0) {
        return None;
    }
    let a = [
        [lms50[0] / lms[0], 0.0, 0.0],
        [0.0, lms50[1] / lms[1], 0.0],
        [0.0, 0.0, lms50[2] / lms[2]],
    ];
    if !(a[0][0].is_finite() && a[1][1].is_finite() && a[2][2].is_finite()) {
        return None;
    }
    let b = mul_mat(&a, &BRADFORD);
    Some(mul_mat(&BRADFORD_INV, &b))
}

fn xy8(c: &ColorEncoding) -> [f32; 8] {
    [
        c.rgb[0][0] as f32,
        c.rgb[0][1] as f32,
        c.rgb[1][0] as f32,
        c.rgb[1][1] as f32,
        c.rgb[2][0] as f32,
        c.rgb[2][1] as f32,
        c.white[0] as f32,
        c.white[1] as f32,
    ]
}

/// The matrix taking linear sRGB to linear RGB of `c`'s primaries and white
/// point (through D50 XYZ, Bradford-adapted, as libjxl renders XYB images).
pub fn linear_srgb_to(c: &ColorEncoding) -> Option<[[f32; 3]; 3]> {
    let to_d50 = |e: &ColorEncoding| -> Option<M3> {
        let xy = xy8(e);
        Some(mul_mat(&adapt_to_d50(xy[6], xy[7])?, &primaries_to_xyz(xy)?))
    };
    let srgb = to_d50(&ColorEncoding::srgb_like(false, TF_LINEAR))?;
    Some(mul_mat(&invert(&to_d50(c)?)?, &srgb))
}

/// Encode a linear value with `c`'s (SDR) transfer curve, sign preserved.
pub fn encode_tf(c: &ColorEncoding, v: f32) -> f32 {
    let a = v.abs();
    let e = match c.tf {
        TF_SRGB if a <= 0.003_130_8 => a * 12.92,
        TF_SRGB => 1.055 * a.powf(1.0 / 2.4) - 0.055,
        TF_709 if a < 0.018 => a * 4.5,
        TF_709 => 1.099 * a.powf(0.45) - 0.099,
        TF_DCI => a.powf(1.0 / 2.6),
        TF_GAMMA => a.powf(c.gamma as f32),
        _ => a,
    };
    e.copysign(v)
}

// ---------------------------------------------------------------------------
// Transfer curves and tone mapping (libjxl's HDR → SDR rendering intent).

fn copysign_f(v: f64, sign: f64) -> f32 {
    (v as f32).copysign(sign as f32)
}

const PQ_M1: f64 = 2610.0 / 16384.0;
const PQ_M2: f64 = (2523.0 / 4096.0) * 128.0;
const PQ_C1: f64 = 3424.0 / 4096.0;
const PQ_C2: f64 = (2413.0 / 4096.0) * 32.0;
const PQ_C3: f64 = (2392.0 / 4096.0) * 32.0;

/// PQ EOTF: encoded → display, 1.0 = `10000 / target` nits.
fn pq_display(target: f32, e: f64) -> f32 {
    if e == 0.0 {
        return 0.0;
    }
    let a = e.abs();
    let xp = a.powf(1.0 / PQ_M2);
    let num = (xp - PQ_C1).max(0.0);
    let den = PQ_C2 - PQ_C3 * xp;
    let d = (num / den).powf(1.0 / PQ_M1);
    copysign_f(d * f64::from(10000.0f32 / target), e)
}

/// PQ inverse EOTF.
fn pq_encoded(target: f32, d: f64) -> f32 {
    if d == 0.0 {
        return 0.0;
    }
    let a = d.abs();
    let xp = (a * f64::from(target * (1.0f32 / 10000.0))).powf(PQ_M1);
    let num = PQ_C1 + xp * PQ_C2;
    let den = 1.0 + xp * PQ_C3;
    copysign_f((num / den).powf(PQ_M2), d)
}

const HLG_A: f64 = 0.17883277;
const HLG_RA: f64 = 1.0 / HLG_A;
const HLG_B: f64 = 1.0 - 4.0 * HLG_A;
const HLG_C: f64 = 0.5599107295;

/// HLG inverse OETF (libjxl's HLG "display" curve, OOTF = identity).
fn hlg_display(e: f64) -> f32 {
    if e == 0.0 {
        return 0.0;
    }
    let a = e.abs();
    if a <= 0.5 {
        return copysign_f(a * a * (1.0 / 3.0), e);
    }
    let s = (((a - HLG_C) * HLG_RA).exp() + HLG_B) * (1.0 / 12.0);
    copysign_f(s, e)
}

/// Rec. 2408 tone mapper from [0, 10000] nits to [0, `target`] nits.
struct Rec2408 {
    source_max: f32,
    target_max: f32,
    lum: V3,
    pq_min: f32,
    pq_range: f32,
    inv_pq_range: f32,
    min_lum: f32,
    max_lum: f32,
    ks: f32,
    inv_one_minus_ks: f32,
    normalizer: f32,
    inv_target_peak: f32,
}

fn inv_eotf(l: f32) -> f32 {
    pq_encoded(1.0, f64::from(l))
}

impl Rec2408 {
    fn new(source: [f32; 2], target: [f32; 2], lum: V3) -> Rec2408 {
        let pq_min = inv_eotf(source[0]);
        let pq_max = inv_eotf(source[1]);
        let pq_range = pq_max - pq_min;
        let inv_pq_range = 1.0 / pq_range;
        let min_lum = (inv_eotf(target[0]) - pq_min) * inv_pq_range;
        let max_lum = (inv_eotf(target[1]) - pq_min) * inv_pq_range;
        let ks = 1.5 * max_lum - 0.5;
        Rec2408 {
            source_max: source[1],
            target_max: target[1],
            lum,
            pq_min,
            pq_range,
            inv_pq_range,
            min_lum,
            max_lum,
            ks,
            inv_one_minus_ks: 1.0 / 1e-6f32.max(1.0 - ks),
            normalizer: source[1] / target[1],
            inv_target_peak: 1.0 / target[1],
        }
    }

    fn p(&self, b: f32) -> f32 {
        let t = (b - self.ks) * self.inv_one_minus_ks;
        let t2 = t * t;
        let t3 = t2 * t;
        (2.0 * t3 - 3.0 * t2 + 1.0) * self.ks
            + (t3 - 2.0 * t2 + t) * (1.0 - self.ks)
            + (-2.0 * t3 + 3.0 * t2) * self.max_lum
    }

    fn tone_map(&self, rgb: &mut V3) {
        let l = self.source_max * (self.lum[0] * rgb[0] + self.lum[1] * rgb[1] + self.lum[2] * rgb[2]);
        let npq = 1f32.min((inv_eotf(l) - self.pq_min) * self.inv_pq_range);
        let e2 = if npq < self.ks { npq } else { self.p(npq) };
        let ome2 = 1.0 - e2;
        let ome2_2 = ome2 * ome2;
        let ome2_4 = ome2_2 * ome2_2;
        let e3 = self.min_lum * ome2_4 + e2;
        let e4 = e3 * self.pq_range + self.pq_min;
        let d4 = pq_display(1.0, f64::from(e4));
        let new_l = d4.clamp(0.0, self.target_max);
        let min_l = 1e-6f32;
        let use_cap = l <= min_l;
        let ratio = new_l / l.max(min_l);
        let cap = new_l * self.inv_target_peak;
        let mult = ratio * self.normalizer;
        for v in rgb.iter_mut() {
            *v = if use_cap { cap } else { *v * mult };
        }
    }
}

/// Desaturate out-of-gamut colours toward grey of the same luminance, then
/// scale so no component exceeds 1 (libjxl's `GamutMapScalar`).
fn gamut_map(rgb: &mut V3, lum: &V3, preserve_saturation: f32) {
    let l = lum[0] * rgb[0] + lum[1] * rgb[1] + lum[2] * rgb[2];
    let mut mix_sat = 0f32;
    let mut mix_lum = 0f32;
    for &v in rgb.iter() {
        let vmg = v - l;
        let inv = 1.0 / if vmg == 0.0 { 1.0 } else { vmg };
        let vov = v * inv;
        if vmg < 0.0 {
            mix_sat = mix_sat.max(vov);
        }
        mix_lum = mix_lum.max(if vmg <= 0.0 { mix_sat } else { vov - inv });
    }
    let mix = (preserve_saturation * (mix_sat - mix_lum) + mix_lum).clamp(0.0, 1.0);
    for v in rgb.iter_mut() {
        *v = mix * (l - *v) + *v;
    }
    let max_c = 1f32.max(rgb[0]).max(rgb[1]).max(rgb[2]);
    let n = 1.0 / max_c;
    for v in rgb.iter_mut() {
        *v *= n;
    }
}

/// One CLUT entry of the HDR profile: encoded RGB → tone-mapped CIELAB (8 bit).
fn tone_map_pixel(c: &ColorEncoding, input: V3) -> Option<[u8; 3]> {
    let xy = xy8(c);
    let prim_xyz = primaries_to_xyz(xy)?;
    let lum = prim_xyz[1];
    let mut lin: V3 = if c.tf == TF_PQ {
        input.map(|v| pq_display(10000.0, f64::from(v)))
    } else {
        input.map(|v| hlg_display(f64::from(v)))
    };
    if c.tf == TF_PQ {
        Rec2408::new([0.0, 10000.0], [0.0, 250.0], lum).tone_map(&mut lin);
    } else {
        let gamma = 1.111f32.powf((80.0f32 / 300.0).log2());
        let exponent = gamma - 1.0;
        if !(-0.01..=0.01).contains(&exponent) {
            let l = lum[0] * lin[0] + lum[1] * lin[1] + lum[2] * lin[2];
            let ratio = l.powf(exponent).min(1e9);
            for v in lin.iter_mut() {
                *v *= ratio;
            }
        }
    }
    gamut_map(&mut lin, &lum, 0.3);
    let chad = adapt_to_d50(xy[6], xy[7])?;
    let to_d50 = mul_mat(&chad, &prim_xyz);
    let mut xyz = [0f32; 3];
    for (o, row) in xyz.iter_mut().zip(&to_d50) {
        for k in 0..3 {
            *o += lin[k] * row[k];
        }
    }
    let delta = (6.0f64 / 29.0) as f32;
    let lab_f = |x: f32| {
        if x <= delta * delta * delta {
            x * (1.0 / (3.0 * delta * delta)) + 4.0 / 29.0
        } else {
            x.cbrt()
        }
    };
    let fx = lab_f(xyz[0] / 0.964212);
    let fy = lab_f(xyz[1]);
    let fz = lab_f(xyz[2] / 0.825188);
    let clamp = |v: f32, lo: f32, hi: f32| v.clamp(lo, hi);
    Some([
        (255.0 * clamp(1.16 * fy - 0.16, 0.0, 1.0)).round() as u8,
        (128.0 + clamp(500.0 * (fx - fy), -128.0, 127.0)).round() as u8,
        (128.0 + clamp(200.0 * (fy - fz), -128.0, 127.0)).round() as u8,
    ])
}

/// Whether libjxl describes this encoding with a tone-mapping 3D LUT.
fn can_tone_map(c: &ColorEncoding) -> bool {
    c.space == Space::Rgb
        && matches!(c.tf, TF_PQ | TF_HLG)
        && ((c.primaries == PR_P3 && matches!(c.white_point, WP_D65 | WP_DCI))
            || (c.primaries != PR_CUSTOM && c.white_point == WP_D65))
}

/// 64-entry tone curve for PQ/HLG encodings without a LUT.
fn table_curve(hlg: bool) -> Vec<u16> {
    const N: u32 = 64;
    (0..N)
        .map(|i| {
            let x = i as f32 / (N - 1) as f32;
            let y = if hlg {
                f64::from(hlg_display(f64::from(x)))
            } else {
                f64::from(pq_display(10000.0, f64::from(x)))
            };
            let y = y.clamp(0.0, 1.0);
            ((y * 65535.0) as f32).round() as u16
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Serialisation

fn put32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_be_bytes());
}

fn s15f16(out: &mut Vec<u8>, v: f32) -> Option<()> {
    if !(-32767.995..=32767.995).contains(&v) {
        return None;
    }
    put32(out, (v * 65536.0).round() as i32 as u32);
    Some(())
}

fn mluc(out: &mut Vec<u8>, text: &str) {
    out.extend_from_slice(b"mluc");
    put32(out, 0);
    put32(out, 1);
    put32(out, 12);
    out.extend_from_slice(b"enUS");
    put32(out, text.len() as u32 * 2);
    put32(out, 28);
    for b in text.bytes() {
        out.extend_from_slice(&[0, b]);
    }
}

fn xyz_tag(out: &mut Vec<u8>, v: V3) -> Option<()> {
    out.extend_from_slice(b"XYZ ");
    put32(out, 0);
    v.iter().try_for_each(|&x| s15f16(out, x))
}

fn para(out: &mut Vec<u8>, curve_type: u16, params: &[f32]) -> Option<()> {
    out.extend_from_slice(b"para");
    put32(out, 0);
    out.extend_from_slice(&curve_type.to_be_bytes());
    out.extend_from_slice(&[0, 0]);
    params.iter().try_for_each(|&p| s15f16(out, p))
}

/// C's `%g` (6 significant digits, trailing zeros dropped).
fn fmt_g(v: f64) -> String {
    if v == 0.0 {
        return "0".into();
    }
    let e = format!("{v:.5e}");
    let (mant, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if (-4..6).contains(&exp) {
        let decimals = (5 - exp).max(0) as usize;
        let s = format!("{v:.decimals$}");
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    } else {
        let m = if mant.contains('.') {
            mant.trim_end_matches('0').trim_end_matches('.')
        } else {
            mant
        };
        format!("{m}e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs())
    }
}

/// libjxl's short description of an encoding ("sRGB", "RGB_D65_SRG_Rel_Lin").
pub fn description(c: &ColorEncoding) -> String {
    let close = |a: f64, b: f64| (a - b).abs() < 3e-5;
    if c.space == Space::Rgb {
        if c.white_point == WP_D65 {
            if c.tf == TF_SRGB {
                if c.primaries == PR_SRGB {
                    return "sRGB".into();
                }
                if c.primaries == PR_P3 {
                    return "DisplayP3".into();
                }
            }
            if c.primaries == PR_2100 {
                if c.tf == TF_PQ {
                    return "Rec2100PQ".into();
                }
                if c.tf == TF_HLG {
                    return "Rec2100HLG".into();
                }
            }
            if c.primaries == PR_CUSTOM
                && close(c.rgb[0][0], 0.64)
                && close(c.rgb[0][1], 0.33)
                && close(c.rgb[1][0], 0.21)
                && close(c.rgb[1][1], 0.71)
                && close(c.rgb[2][0], 0.15)
                && close(c.rgb[2][1], 0.06)
                && c.tf == TF_GAMMA
                && close(c.gamma, 256.0 / 563.0)
            {
                return "Adobe98".into();
            }
        }
        if c.white_point == WP_CUSTOM
            && close(c.white[0], 0.345669)
            && close(c.white[1], 0.358496)
            && c.primaries == PR_CUSTOM
            && close(c.rgb[0][0], 0.734699)
            && close(c.rgb[0][1], 0.265301)
            && close(c.rgb[1][0], 0.159597)
            && close(c.rgb[1][1], 0.840403)
            && close(c.rgb[2][0], 0.036598)
            && close(c.rgb[2][1], 0.000105)
            && c.tf == TF_GAMMA
            && close(c.gamma, 1.0 / 1.8)
        {
            return "ProPhoto".into();
        }
    }
    let mut d = String::from(match c.space {
        Space::Rgb => "RGB",
        Space::Gray => "Gra",
        Space::Xyb => "XYB",
        Space::Unknown => "CS?",
    });
    let explicit = c.space != Space::Xyb;
    if explicit {
        d.push('_');
        d += &match c.white_point {
            WP_CUSTOM => format!("{};{}", fmt_g(c.white[0]), fmt_g(c.white[1])),
            WP_E => "EER".into(),
            WP_DCI => "DCI".into(),
            _ => "D65".into(),
        };
    }
    if c.space != Space::Gray && c.space != Space::Xyb {
        d.push('_');
        d += &match c.primaries {
            PR_CUSTOM => c.rgb.iter().flatten().map(|&v| fmt_g(v)).collect::<Vec<_>>().join(";"),
            PR_2100 => "202".into(),
            PR_P3 => "DCI".into(),
            _ => "SRG".into(),
        };
    }
    d.push('_');
    d += ["Per", "Rel", "Sat", "Abs"]
        .get(c.intent as usize)
        .copied()
        .unwrap_or("Invalid");
    if explicit {
        d.push('_');
        d += &match c.tf {
            TF_GAMMA => format!("g{}", fmt_g(c.gamma)),
            TF_SRGB => "SRG".into(),
            TF_LINEAR => "Lin".into(),
            TF_709 => "709".into(),
            TF_PQ => "PeQ".into(),
            TF_HLG => "HLG".into(),
            TF_DCI => "DCI".into(),
            _ => "TF?".into(),
        };
    }
    d
}

/// Tags are appended to one data block, each padded to 4 bytes; the table
/// records (signature, offset in the block, size).
struct Tags {
    data: Vec<u8>,
    table: Vec<([u8; 4], usize, usize)>,
}

impl Tags {
    /// Pad the tag just written and list it under each of `names`.
    fn finish(&mut self, start: usize, names: &[&[u8; 4]]) {
        while self.data.len() % 4 != 0 {
            self.data.push(0);
        }
        let size = self.data.len() - start;
        for n in names {
            self.table.push((**n, start, size));
        }
    }
}

/// The profile libjxl synthesises for `c`, or `None` where libjxl makes
/// none (unknown space or curve, XYB, invalid chromaticities).
pub fn create_profile(c: &ColorEncoding) -> Option<Vec<u8>> {
    if matches!(c.space, Space::Unknown | Space::Xyb) || c.tf == TF_UNKNOWN {
        return None;
    }
    let hdr_lut = can_tone_map(c);
    let mut header = Vec::with_capacity(128);
    put32(&mut header, 0);
    header.extend_from_slice(b"jxl ");
    put32(&mut header, 0x0440_0000);
    header.extend_from_slice(b"mntr");
    header.extend_from_slice(if c.space == Space::Gray { b"GRAY" } else { b"RGB " });
    header.extend_from_slice(if hdr_lut { b"Lab " } else { b"XYZ " });
    for v in [2019u16, 12, 1, 0, 0, 0] {
        header.extend_from_slice(&v.to_be_bytes());
    }
    header.extend_from_slice(b"acspAPPL");
    header.resize(64, 0);
    put32(&mut header, c.intent);
    for v in [0xf6d6u32, 0x1_0000, 0xd32d] {
        put32(&mut header, v);
    }
    header.extend_from_slice(b"jxl ");
    header.resize(128, 0);

    let mut t = Tags {
        data: Vec::new(),
        table: Vec::new(),
    };
    let s = t.data.len();
    mluc(&mut t.data, &description(c));
    t.finish(s, &[b"desc"]);
    let s = t.data.len();
    mluc(&mut t.data, "CC0");
    t.finish(s, &[b"cprt"]);

    let s = t.data.len();
    if c.space == Space::Gray {
        let (wx, wy) = (c.white[0], c.white[1]);
        if wy.abs() < 1e-12 {
            return None;
        }
        let factor = (1.0 / wy) as f32;
        let f = f64::from(factor);
        xyz_tag(&mut t.data, [(wx * f) as f32, 1.0, ((1.0 - wx - wy) * f) as f32])?;
    } else {
        xyz_tag(&mut t.data, [0.964203, 1.0, 0.824905])?;
    }
    t.finish(s, &[b"wtpt"]);

    if c.space != Space::Gray {
        if c.white[1] == 0.0 {
            return None;
        }
        let chad = adapt_to_d50(c.white[0] as f32, c.white[1] as f32)?;
        let s = t.data.len();
        t.data.extend_from_slice(b"sf32");
        put32(&mut t.data, 0);
        for row in &chad {
            for &v in row {
                s15f16(&mut t.data, v)?;
            }
        }
        t.finish(s, &[b"chad"]);
    }

    if c.space == Space::Rgb {
        let prim = if c.primaries == PR_P3 {
            match c.white_point {
                WP_D65 => Some(12u8),
                WP_DCI => Some(11),
                _ => None,
            }
        } else if c.primaries != PR_CUSTOM && c.white_point == WP_D65 {
            Some(c.primaries as u8)
        } else {
            None
        };
        if let (Some(p), false) = (prim, matches!(c.tf, TF_UNKNOWN | TF_GAMMA)) {
            let s = t.data.len();
            t.data.extend_from_slice(b"cicp");
            put32(&mut t.data, 0);
            t.data.extend_from_slice(&[p, c.tf as u8, 0, 1]);
            t.finish(s, &[b"cicp"]);
        }
        let to_xyz = primaries_to_xyz(xy8(c))?;
        let d50 = adapt_to_d50(c.white[0] as f32, c.white[1] as f32)?;
        let m = mul_mat(&d50, &to_xyz);
        for (k, name) in [b"rXYZ", b"gXYZ", b"bXYZ"].into_iter().enumerate() {
            let s = t.data.len();
            xyz_tag(&mut t.data, [m[0][k], m[1][k], m[2][k]])?;
            t.finish(s, &[name]);
        }
    }

    if hdr_lut {
        let s = t.data.len();
        hdr_a2b0(&mut t.data, c)?;
        t.finish(s, &[b"A2B0"]);
        let s = t.data.len();
        t.data.extend_from_slice(b"mBA ");
        put32(&mut t.data, 0);
        t.data.extend_from_slice(&[3, 3, 0, 0]);
        for v in [32u32, 0, 0, 0, 0] {
            put32(&mut t.data, v);
        }
        for _ in 0..3 {
            para(&mut t.data, 0, &[1.0])?;
        }
        t.finish(s, &[b"B2A0"]);
    } else {
        let s = t.data.len();
        let d = &mut t.data;
        match c.tf {
            TF_GAMMA => para(d, 0, &[(1.0 / c.gamma) as f32])?,
            TF_HLG | TF_PQ => {
                let curve = table_curve(c.tf == TF_HLG);
                d.extend_from_slice(b"curv");
                put32(d, 0);
                put32(d, curve.len() as u32);
                for v in curve {
                    d.extend_from_slice(&v.to_be_bytes());
                }
            }
            TF_SRGB => para(
                d,
                3,
                &[
                    2.4,
                    (1.0 / 1.055) as f32,
                    (0.055 / 1.055) as f32,
                    (1.0 / 12.92) as f32,
                    0.04045,
                ],
            )?,
            TF_709 => para(
                d,
                3,
                &[
                    (1.0 / 0.45) as f32,
                    (1.0 / 1.099) as f32,
                    (0.099 / 1.099) as f32,
                    (1.0 / 4.5) as f32,
                    0.081,
                ],
            )?,
            TF_LINEAR => para(d, 3, &[1.0, 1.0, 0.0, 1.0, 0.0])?,
            TF_DCI => para(d, 3, &[2.6, 1.0, 0.0, 1.0, 0.0])?,
            _ => return None,
        }
        if c.space == Space::Gray {
            t.finish(s, &[b"kTRC"]);
        } else {
            t.finish(s, &[b"rTRC", b"gTRC", b"bTRC"]);
        }
    }

    let table_len = 4 + 12 * t.table.len();
    let total = header.len() + table_len + t.data.len();
    header[..4].copy_from_slice(&(total as u32).to_be_bytes());
    let mut icc = header;
    put32(&mut icc, t.table.len() as u32);
    for (name, off, size) in &t.table {
        icc.extend_from_slice(name);
        put32(&mut icc, (off + 128 + table_len) as u32);
        put32(&mut icc, *size as u32);
    }
    icc.extend_from_slice(&t.data);
    // The profile ID: MD5 with the flags and rendering intent zeroed.
    let mut sum_input = icc.clone();
    sum_input[44..48].fill(0);
    sum_input[64..68].fill(0);
    let id = md5(&sum_input);
    icc[84..100].copy_from_slice(&id);
    Some(icc)
}

/// The 9x9x9 RGB → CIELAB tone-mapping LUT of HDR profiles ("mft1").
fn hdr_a2b0(out: &mut Vec<u8>, c: &ColorEncoding) -> Option<()> {
    const DIM: usize = 9;
    out.extend_from_slice(b"mft1");
    put32(out, 0);
    out.extend_from_slice(&[3, 3, DIM as u8, 0]);
    for i in 0..3 {
        for j in 0..3 {
            s15f16(out, if i == j { 1.0 } else { 0.0 })?;
        }
    }
    for _ in 0..3 {
        out.extend(0..=255u8);
    }
    let step = 1.0f32 / (DIM - 1) as f32;
    for ix in 0..DIM {
        for iy in 0..DIM {
            for ib in 0..DIM {
                let f = [ix as f32 * step, iy as f32 * step, ib as f32 * step];
                out.extend_from_slice(&tone_map_pixel(c, f)?);
            }
        }
    }
    for _ in 0..3 {
        out.extend(0..=255u8);
    }
    Some(())
}

/// MD5 digest (RFC 1321).
fn md5(data: &[u8]) -> [u8; 16] {
    const S: [u32; 64] = [
        7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14,
        20, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6,
        10, 15, 21,
    ];
    const K: [u32; 64] = [
        0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501, 0x698098d8,
        0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821, 0xf61e2562, 0xc040b340,
        0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8, 0x21e1cde6, 0xc33707d6, 0xf4d50d87,
        0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a, 0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c,
        0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70, 0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039,
        0xe6db99e5, 0x1fa27cf8, 0xc4ac5665, 0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92,
        0xffeff47d, 0x85845dd1, 0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb,
        0xeb86d391,
    ];
    let mut msg = data.to_vec();
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&((data.len() as u64).wrapping_mul(8)).to_le_bytes());
    let mut h = [0x6745_2301u32, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476];
    for block in msg.chunks_exact(64) {
        let w: Vec<u32> = block
            .chunks_exact(4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        let [mut a, mut b, mut c, mut d] = h;
        for i in 0..64 {
            let (f, g) = match i / 16 {
                0 => ((b & c) | (!b & d), i),
                1 => ((d & b) | (!d & c), (5 * i + 1) % 16),
                2 => (b ^ c ^ d, (3 * i + 5) % 16),
                _ => (c ^ (b | !d), (7 * i) % 16),
            };
            let f = f.wrapping_add(a).wrapping_add(K[i]).wrapping_add(w[g]);
            a = d;
            d = c;
            c = b;
            b = b.wrapping_add(f.rotate_left(S[i]));
        }
        h = [
            h[0].wrapping_add(a),
            h[1].wrapping_add(b),
            h[2].wrapping_add(c),
            h[3].wrapping_add(d),
        ];
    }
    let mut out = [0u8; 16];
    for (o, v) in out.chunks_exact_mut(4).zip(h) {
        o.copy_from_slice(&v.to_le_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn md5_known_answers() {
        let hex = |d: [u8; 16]| d.iter().map(|b| format!("{b:02x}")).collect::<String>();
        assert_eq!(hex(md5(b"")), "d41d8cd98f00b204e9800998ecf8427e");
        assert_eq!(
            hex(md5(b"The quick brown fox jumps over the lazy dog")),
            "9e107d9d372bb6826bd81d3542a419d6"
        );
    }

    #[test]
    fn g_format_matches_c() {
        assert_eq!(fmt_g(0.3127), "0.3127");
        assert_eq!(fmt_g(0.000105), "0.000105");
        assert_eq!(fmt_g(1.0 / 3.0), "0.333333");
        assert_eq!(fmt_g(0.00001), "1e-05");
        assert_eq!(fmt_g(0.454545), "0.454545");
    }

    #[test]
    fn descriptions() {
        let mut c = ColorEncoding::srgb_like(false, TF_SRGB);
        assert_eq!(description(&c), "sRGB");
        c.tf = TF_LINEAR;
        assert_eq!(description(&c), "RGB_D65_SRG_Rel_Lin");
        let g = ColorEncoding::srgb_like(true, TF_SRGB);
        assert_eq!(description(&g), "Gra_D65_Rel_SRG");
    }
}
