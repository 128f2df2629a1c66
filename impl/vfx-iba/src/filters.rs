//! OIIO's filter library (`Filter1D` / `Filter2D`): the named reconstruction
//! filters, their default widths, and how a width rescales each one.
//!
//! A 2-D filter of a separable kind is the product of its horizontal and
//! vertical 1-D functions (`xfilt`, `yfilt`), which is what lets the
//! resampling ops precompute weights per output column and row; the
//! radially symmetric kinds (`radial-lanczos3`, `disk`) are evaluated as a
//! whole.

use std::f32::consts::PI;

/// The shape of a filter, independent of its width.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    Box,
    Triangle,
    Gaussian,
    SharpGaussian,
    CatmullRom,
    BlackmanHarris,
    Sinc,
    Lanczos3,
    RadialLanczos3,
    Mitchell,
    BSpline,
    Disk,
    /// Cubic convolution with parameter `a` (cubic 0, keys -0.5, simon
    /// -0.75, rifman -1).
    Cubic(f32),
}

/// A row of OIIO's filter table: name, default width, separability.
#[derive(Clone, Copy, Debug)]
pub struct FilterDesc {
    pub name: &'static str,
    pub width: f32,
    pub separable: bool,
}

const fn d(name: &'static str, width: f32, separable: bool) -> FilterDesc {
    FilterDesc { name, width, separable }
}

/// The 2-D filters in OIIO's order (its `filter_list`).
pub const FILTERS_2D: &[FilterDesc] = &[
    d("box", 1.0, true),
    d("triangle", 2.0, true),
    d("gaussian", 3.0, true),
    d("sharp-gaussian", 2.0, true),
    d("catmull-rom", 4.0, true),
    d("blackman-harris", 3.0, true),
    d("sinc", 4.0, true),
    d("lanczos3", 6.0, true),
    d("radial-lanczos3", 6.0, false),
    d("nuke-lanczos6", 6.0, false),
    d("mitchell", 4.0, true),
    d("bspline", 4.0, true),
    d("disk", 1.0, false),
    d("cubic", 4.0, true),
    d("keys", 4.0, true),
    d("simon", 4.0, true),
    d("rifman", 4.0, true),
];

/// The 1-D filters in OIIO's order.
pub const FILTERS_1D: &[FilterDesc] = &[
    d("box", 1.0, true),
    d("triangle", 2.0, true),
    d("gaussian", 3.0, true),
    d("sharp-gaussian", 2.0, true),
    d("catmull-rom", 4.0, true),
    d("blackman-harris", 3.0, true),
    d("sinc", 4.0, true),
    d("lanczos3", 6.0, true),
    d("nuke-lanczos6", 6.0, true),
    d("mitchell", 4.0, true),
    d("bspline", 4.0, true),
    d("cubic", 4.0, true),
    d("keys", 4.0, true),
    d("simon", 4.0, true),
    d("rifman", 4.0, true),
];

/// OIIO's `filter_list` attribute text.
pub fn filter_list() -> String {
    FILTERS_2D.iter().map(|f| f.name).collect::<Vec<_>>().join(";")
}

/// Answer OIIO's `filter_list` query from this table (idempotent).
pub fn install() {
    vfx_core::globals::register_query("filter_list", filter_list);
}

/// The table entry named exactly `name` (no aliases), as the resampling ops
/// look filters up.
pub fn desc(name: &str) -> Option<&'static FilterDesc> {
    FILTERS_2D.iter().find(|f| f.name == name)
}

/// A filter kind from a name OIIO's `create` accepts (aliases included),
/// with its default width.
fn kind_of(name: &str, two_d: bool) -> Option<(Kind, f32)> {
    Some(match name {
        "box" => (Kind::Box, 1.0),
        "triangle" => (Kind::Triangle, 2.0),
        "gaussian" => (Kind::Gaussian, 3.0),
        "sharp-gaussian" => (Kind::SharpGaussian, 2.0),
        "catmull-rom" | "catrom" => (Kind::CatmullRom, 4.0),
        "blackman-harris" => (Kind::BlackmanHarris, 3.0),
        "sinc" => (Kind::Sinc, 4.0),
        "lanczos3" | "lanczos" | "nuke-lanczos6" => (Kind::Lanczos3, 6.0),
        "radial-lanczos3" | "radial-lanczos" if two_d => (Kind::RadialLanczos3, 6.0),
        "mitchell" => (Kind::Mitchell, 4.0),
        "b-spline" | "bspline" => (Kind::BSpline, 4.0),
        "disk" if two_d => (Kind::Disk, 1.0),
        "cubic" => (Kind::Cubic(0.0), 4.0),
        "keys" => (Kind::Cubic(-0.5), 4.0),
        "simon" => (Kind::Cubic(-0.75), 4.0),
        "rifman" => (Kind::Cubic(-1.0), 4.0),
        _ => return None,
    })
}

fn tri(x: f32) -> f32 {
    let x = x.abs();
    if x < 1.0 {
        1.0 - x
    } else {
        0.0
    }
}

/// OIIO's `fast_exp`: its polynomial `exp2` approximation (what its
/// gaussian filters evaluate, so kernel values match it to the bit).
fn fast_exp(x: f32) -> f32 {
    let x = x * std::f32::consts::LOG2_E;
    // (OIIO's clamp sends NaN to the low end.)
    let x = if x >= -126.0 { x.min(126.0) } else { -126.0 };
    let m = x as i32;
    let x = x - m as f32;
    let x = 1.0 - (1.0 - x);
    let mut r = 1.333_365e-3f32;
    for c in [9.810_353e-3f32, 5.551_834e-2, 0.240_179_33, 0.693_144_86, 1.0] {
        r = x * r + c;
    }
    f32::from_bits(r.to_bits().wrapping_add((m as u32) << 23))
}

fn gauss(x: f32, k: f32) -> f32 {
    let x = x.abs();
    if x < 1.0 {
        fast_exp(-k * (x * x))
    } else {
        0.0
    }
}

fn catrom(x: f32) -> f32 {
    let x = x.abs();
    let (x2, x3) = (x * x, x * x * x);
    if x >= 2.0 {
        0.0
    } else if x < 1.0 {
        3.0 * x3 - 5.0 * x2 + 2.0
    } else {
        -x3 + 5.0 * x2 - 8.0 * x + 4.0
    }
}

fn blackman_harris(x: f32) -> f32 {
    if !(-1.0..=1.0).contains(&x) {
        return 0.0;
    }
    let x = (x + 1.0) * 0.5;
    let c2 = (2.0 * PI * x).cos();
    let c4 = 2.0 * c2 * c2 - 1.0;
    let c6 = c2 * (2.0 * c4 - 1.0);
    0.35875 + -0.48829 * c2 + 0.14128 * c4 + -0.01168 * c6
}

fn sinc(x: f32, rad: f32) -> f32 {
    let x = x.abs();
    if x > rad {
        0.0
    } else if x < 0.0001 {
        1.0
    } else {
        (PI * x).sin() / (PI * x)
    }
}

fn lanczos3(x: f32) -> f32 {
    let x = x.abs();
    if x > 3.0 {
        return 0.0;
    }
    if x < 0.0001 {
        return 1.0;
    }
    let s1 = (x * (1.0 / 3.0) * PI).sin();
    let s3 = (-4.0 * s1 * s1 + 3.0) * s1;
    3.0 / (x * x * (PI * PI)) * s1 * s3
}

fn mitchell(x: f32) -> f32 {
    let x = x.abs();
    if x > 1.0 {
        return 0.0;
    }
    let x = x * 2.0;
    let x2 = x * x;
    const B: f32 = 1.0 / 3.0;
    const C: f32 = 1.0 / 3.0;
    const SIXTH: f32 = 1.0 / 6.0;
    if x >= 1.0 {
        ((-B - 6.0 * C) * x * x2 + (6.0 * B + 30.0 * C) * x2 + (-12.0 * B - 48.0 * C) * x + (8.0 * B + 24.0 * C))
            * SIXTH
    } else {
        ((12.0 - 9.0 * B - 6.0 * C) * x * x2 + (-18.0 + 12.0 * B + 6.0 * C) * x2 + (6.0 - 2.0 * B)) * SIXTH
    }
}

fn bspline(x: f32) -> f32 {
    let x = x.abs();
    if x <= 1.0 {
        let t = 1.0 - x;
        0.5 * t * (t * (1.0 - t) + 1.0) + 1.0 / 6.0
    } else if x < 2.0 {
        let t = 2.0 - x;
        t * t * t / 6.0
    } else {
        0.0
    }
}

fn cubic(x: f32, a: f32) -> f32 {
    let x = x.abs();
    if x > 1.0 {
        return 0.0;
    }
    let x = x * 2.0;
    if x >= 1.0 {
        a * (x * (x * (x - 5.0) + 8.0) - 4.0)
    } else {
        x * x * ((a + 2.0) * x - (a + 3.0)) + 1.0
    }
}

/// One axis of a filter: the kind and its scale for a given width.
#[derive(Clone, Copy, Debug)]
struct Axis {
    kind: Kind,
    /// Full width along this axis.
    w: f32,
    /// The kind's own scale factor for this width (`2/w`, `4/w`, `6/w`...).
    k: f32,
}

impl Axis {
    fn new(kind: Kind, w: f32) -> Axis {
        let k = match kind {
            Kind::Box | Kind::Disk | Kind::Sinc => 1.0,
            Kind::CatmullRom | Kind::BSpline => 4.0 / w,
            Kind::Lanczos3 | Kind::RadialLanczos3 => 6.0 / w,
            _ => 2.0 / w,
        };
        Axis { kind, w, k }
    }

    #[inline]
    fn eval(&self, x: f32) -> f32 {
        match self.kind {
            Kind::Box => {
                if x.abs() <= self.w * 0.5 {
                    1.0
                } else {
                    0.0
                }
            }
            Kind::Triangle => tri(x * self.k),
            Kind::Gaussian => gauss(x * self.k, 2.0),
            Kind::SharpGaussian => gauss(x * self.k, 4.0),
            Kind::CatmullRom => catrom(x * self.k),
            Kind::BlackmanHarris => blackman_harris(x * self.k),
            Kind::Sinc => sinc(x, self.w / 2.0),
            Kind::Lanczos3 | Kind::RadialLanczos3 => lanczos3(x * self.k),
            Kind::Mitchell => mitchell(x * self.k),
            Kind::BSpline => bspline(x * self.k),
            Kind::Cubic(a) => cubic(x * self.k, a),
            // The disk's 1-D slices (OIIO's default xfilt/yfilt).
            Kind::Disk => {
                let v = x / (self.w * 0.5);
                if v * v < 1.0 {
                    1.0
                } else {
                    0.0
                }
            }
        }
    }
}

/// A 1-D filter (OIIO's `Filter1D`).
#[derive(Clone, Copy, Debug)]
pub struct Filter1D {
    name: &'static str,
    axis: Axis,
}

impl Filter1D {
    /// OIIO's `Filter1D::create`: `None` for an unknown name; a width of 0
    /// or less means the filter's default.
    pub fn create(name: &str, width: f32) -> Option<Filter1D> {
        let (kind, def) = kind_of(name, false)?;
        let w = if width > 0.0 { width } else { def };
        let mut axis = Axis::new(kind, w);
        if kind == Kind::CatmullRom {
            // OIIO's 1-D Catmull-Rom always reports width 4; the width
            // asked for only scales its shape.
            axis.w = 4.0;
        }
        Some(Filter1D {
            name: canonical(kind, name),
            axis,
        })
    }
    pub fn width(&self) -> f32 {
        self.axis.w
    }
    pub fn name(&self) -> &'static str {
        self.name
    }
    #[inline]
    pub fn eval(&self, x: f32) -> f32 {
        self.axis.eval(x)
    }
}

/// The name a filter object reports (OIIO's `name()`).
fn canonical(kind: Kind, asked: &str) -> &'static str {
    match kind {
        Kind::Box => "box",
        Kind::Triangle => "triangle",
        // OIIO's sharp gaussian reports itself as "gaussian".
        Kind::Gaussian | Kind::SharpGaussian => "gaussian",
        Kind::CatmullRom => "catmull-rom",
        Kind::BlackmanHarris => "blackman-harris",
        Kind::Sinc => "sinc",
        Kind::Lanczos3 => "lanczos3",
        Kind::RadialLanczos3 => "radial-lanczos3",
        Kind::Mitchell => "mitchell",
        Kind::BSpline => "b-spline",
        Kind::Disk => "disk",
        Kind::Cubic(_) => match asked {
            "keys" => "keys",
            "simon" => "simon",
            "rifman" => "rifman",
            _ => "cubic",
        },
    }
}

/// A 2-D filter (OIIO's `Filter2D`).
#[derive(Clone, Copy, Debug)]
pub struct Filter2D {
    name: &'static str,
    x: Axis,
    y: Axis,
}

impl Filter2D {
    /// OIIO's `Filter2D::create`: `None` for an unknown name; a height of 0
    /// or less takes the width, a width of 0 or less the default.
    pub fn create(name: &str, width: f32, height: f32) -> Option<Filter2D> {
        let height = if height <= 0.0 { width } else { height };
        let (kind, def) = kind_of(name, true)?;
        let w = if width > 0.0 { width } else { def };
        let h = if height > 0.0 { height } else { def };
        Some(Filter2D {
            name: canonical(kind, name),
            x: Axis::new(kind, w),
            y: Axis::new(kind, h),
        })
    }
    pub fn width(&self) -> f32 {
        self.x.w
    }
    pub fn height(&self) -> f32 {
        self.y.w
    }
    pub fn name(&self) -> &'static str {
        self.name
    }
    /// Whether the 2-D value is the product of `xfilt` and `yfilt`.
    pub fn separable(&self) -> bool {
        !matches!(self.x.kind, Kind::RadialLanczos3 | Kind::Disk)
    }
    #[inline]
    pub fn xfilt(&self, x: f32) -> f32 {
        match self.x.kind {
            Kind::Disk => self.eval(x, 0.0),
            _ => self.x.eval(x),
        }
    }
    #[inline]
    pub fn yfilt(&self, y: f32) -> f32 {
        match self.y.kind {
            Kind::Disk => self.eval(0.0, y),
            _ => self.y.eval(y),
        }
    }
    /// The filter's value at offset (x, y).
    #[inline]
    pub fn eval(&self, x: f32, y: f32) -> f32 {
        match self.x.kind {
            Kind::RadialLanczos3 => {
                let (x, y) = (x * self.x.k, y * self.y.k);
                lanczos3((x * x + y * y).sqrt())
            }
            Kind::Disk => {
                let (x, y) = (x / (self.x.w * 0.5), y / (self.y.w * 0.5));
                if x * x + y * y < 1.0 {
                    1.0
                } else {
                    0.0
                }
            }
            Kind::Box => {
                if x.abs() <= self.x.w * 0.5 && y.abs() <= self.y.w * 0.5 {
                    1.0
                } else {
                    0.0
                }
            }
            _ => self.x.eval(x) * self.y.eval(y),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_and_defaults() {
        assert!(filter_list().starts_with("box;triangle;gaussian;sharp-gaussian;catmull-rom"));
        for fd in FILTERS_2D {
            let f = Filter2D::create(fd.name, 0.0, 0.0).unwrap();
            assert_eq!(f.width(), fd.width, "{}", fd.name);
            assert_eq!(f.height(), fd.width, "{}", fd.name);
            assert!(f.eval(0.0, 0.0) > 0.0, "{}", fd.name);
        }
        assert!(Filter2D::create("catrom", 0.0, 0.0).is_some());
        assert!(Filter2D::create("nope", 0.0, 0.0).is_none());
        assert!(Filter1D::create("disk", 0.0).is_none());
    }

    #[test]
    fn shapes() {
        let l = Filter2D::create("lanczos3", 6.0, 6.0).unwrap();
        assert_eq!(l.xfilt(0.0), 1.0);
        assert!(l.xfilt(1.0).abs() < 1e-6);
        assert_eq!(l.xfilt(3.5), 0.0);
        let m = Filter2D::create("mitchell", 4.0, 4.0).unwrap();
        assert!((m.xfilt(0.0) - 8.0 / 9.0).abs() < 1e-6);
        let t = Filter2D::create("triangle", 0.0, 0.0).unwrap();
        assert_eq!(t.eval(0.5, 0.5), 0.25);
        let b = Filter2D::create("box", 2.0, 0.0).unwrap();
        assert_eq!(b.eval(1.0, -1.0), 1.0);
        assert_eq!(b.eval(1.01, 0.0), 0.0);
        let d = Filter2D::create("disk", 2.0, 2.0).unwrap();
        assert!(!d.separable());
        assert_eq!(d.eval(0.7, 0.7), 1.0);
        assert_eq!(d.eval(0.8, 0.7), 0.0);
    }
}
