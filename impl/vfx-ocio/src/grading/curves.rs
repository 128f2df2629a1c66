//! Grading curves: B-splines of control points (with optional slopes),
//! the four RGB curves of `GradingRGBCurve` and the eight hue curves of
//! `GradingHueCurve`, with per-style defaults and OCIO's validation.

use std::fmt;

use crate::enums::{BSplineType, GradingStyle, HueCurveType};
use crate::error::{OcioError, Result};
use crate::transforms::common::g;

#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ControlPoint {
    pub x: f32,
    pub y: f32,
}

impl fmt::Display for ControlPoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<x={}, y={}>", g(self.x as f64), g(self.y as f64))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct BSplineCurve {
    pub points: Vec<ControlPoint>,
    /// One slope per point; all zero means "computed".
    pub slopes: Vec<f32>,
    pub spline_type: BSplineType,
}

/// The spline kind each hue curve uses.
pub fn spline_type_for(hue: HueCurveType) -> BSplineType {
    match hue {
        HueCurveType::HueHue => BSplineType::HueHue,
        HueCurveType::HueSat | HueCurveType::HueLum => BSplineType::Periodic1,
        HueCurveType::LumSat | HueCurveType::SatLum => BSplineType::Horizontal1,
        HueCurveType::SatSat | HueCurveType::LumLum => BSplineType::Diagonal,
        HueCurveType::HueFx => BSplineType::Periodic0,
    }
}

impl BSplineCurve {
    /// `n` points at the origin.
    pub fn with_size(n: usize, spline_type: BSplineType) -> Self {
        BSplineCurve {
            points: vec![ControlPoint::default(); n],
            slopes: vec![0.0; n],
            spline_type,
        }
    }

    /// Points from `[x0, y0, x1, y1, ...]` (at least two points).
    pub fn from_values(values: &[f32], spline_type: BSplineType) -> Result<Self> {
        if values.len() < 4 {
            return Err(OcioError::msg("GradingBSpline needs at least 4 values."));
        }
        if values.len() % 2 != 0 {
            return Err(OcioError::msg("GradingBSpline needs an even number of values."));
        }
        let points: Vec<ControlPoint> = values
            .chunks_exact(2)
            .map(|p| ControlPoint { x: p[0], y: p[1] })
            .collect();
        let n = points.len();
        Ok(BSplineCurve {
            points,
            slopes: vec![0.0; n],
            spline_type,
        })
    }

    fn from_points(points: &[(f32, f32)], spline_type: BSplineType) -> Self {
        let points: Vec<ControlPoint> = points.iter().map(|&(x, y)| ControlPoint { x, y }).collect();
        let n = points.len();
        BSplineCurve {
            points,
            slopes: vec![0.0; n],
            spline_type,
        }
    }

    /// Resizes (new points at the origin, slopes resized with zeros).
    pub fn set_num_points(&mut self, n: usize) {
        self.points.resize(n, ControlPoint::default());
        self.slopes.resize(n, 0.0);
    }

    pub fn set_slopes(&mut self, slopes: Vec<f32>) -> Result<()> {
        if slopes.len() != self.points.len() {
            return Err(OcioError::msg(
                "Length of slopes vector must match number of control points.",
            ));
        }
        self.slopes = slopes;
        Ok(())
    }

    pub fn slopes_are_default(&self) -> bool {
        self.slopes.iter().all(|s| *s == 0.0)
    }

    pub fn validate(&self) -> Result<()> {
        let n = self.points.len();
        if n < 2 {
            return Err(OcioError::msg("There must be at least 2 control points."));
        }
        if n != self.slopes.len() {
            return Err(OcioError::msg(
                "The slopes array must be the same length as the control points.",
            ));
        }
        let mut last_x = -f32::MAX;
        for (i, p) in self.points.iter().enumerate() {
            if p.x < last_x {
                return Err(OcioError::msg(format!(
                    "Control point at index {i} has a x coordinate '{}' that is less than previous control point \
                     x coordinate '{}'.",
                    g(p.x as f64),
                    g(last_x as f64)
                )));
            }
            last_x = p.x;
        }
        if self.spline_type == BSplineType::HueHue {
            if self.points[0].x < 0.0 {
                return Err(OcioError::msg(
                    "The HUE-HUE spline may not have negative x coordinates.",
                ));
            }
            if self.points[n - 1].x > 1.0 {
                return Err(OcioError::msg(
                    "The HUE-HUE spline may not have x coordinates greater than one.",
                ));
            }
        }
        if matches!(
            self.spline_type,
            BSplineType::BSpline | BSplineType::Diagonal | BSplineType::HueHue
        ) {
            let mut last_y = if self.spline_type == BSplineType::HueHue {
                self.points[n - 1].y - 1.0
            } else {
                -f32::MAX
            };
            for (i, p) in self.points.iter().enumerate() {
                if p.y < last_y {
                    return Err(OcioError::msg(format!(
                        "Control point at index {i} has a y coordinate '{}' that is less than previous control \
                         point y coordinate '{}'.",
                        g(p.y as f64),
                        g(last_y as f64)
                    )));
                }
                last_y = p.y;
            }
        }
        if n == 2
            && matches!(
                self.spline_type,
                BSplineType::Periodic1 | BSplineType::Periodic0 | BSplineType::HueHue
            )
            && (1.0 - (self.points[1].x - self.points[0].x)).abs() < 1e-3
        {
            return Err(OcioError::msg(
                "The periodic spline x coordinates may not wrap to the same value.",
            ));
        }
        Ok(())
    }

    /// Whether the curve changes nothing, by its kind.
    pub fn is_identity(&self) -> bool {
        match self.spline_type {
            BSplineType::Diagonal | BSplineType::BSpline | BSplineType::HueHue => {
                self.points.iter().all(|p| p.x == p.y)
            }
            BSplineType::Periodic0 => self.points.iter().all(|p| p.y == 0.0),
            BSplineType::Periodic1 | BSplineType::Horizontal1 => self.points.iter().all(|p| p.y == 1.0),
        }
    }
}

impl fmt::Display for BSplineCurve {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<control_points=[")?;
        let with_slopes = !self.slopes_are_default();
        for (i, p) in self.points.iter().enumerate() {
            if with_slopes {
                let s = self.slopes.get(i).copied().unwrap_or(0.0);
                write!(f, "<x={}, y={}, slp={}>", g(p.x as f64), g(p.y as f64), g(s as f64))?;
            } else {
                write!(f, "{p}")?;
            }
        }
        write!(f, "]>")
    }
}

/// The four curves of an RGB curve grade.
#[derive(Debug, Clone, PartialEq)]
pub struct RgbCurve {
    pub red: BSplineCurve,
    pub green: BSplineCurve,
    pub blue: BSplineCurve,
    pub master: BSplineCurve,
}

impl RgbCurve {
    /// Identity curves over the style's range (0..1, or -7..7 in linear).
    pub fn new(style: GradingStyle) -> Self {
        let c = if style == GradingStyle::Lin {
            BSplineCurve::from_points(&[(-7.0, -7.0), (0.0, 0.0), (7.0, 7.0)], BSplineType::BSpline)
        } else {
            BSplineCurve::from_points(&[(0.0, 0.0), (0.5, 0.5), (1.0, 1.0)], BSplineType::BSpline)
        };
        RgbCurve {
            red: c.clone(),
            green: c.clone(),
            blue: c.clone(),
            master: c,
        }
    }

    pub fn curves(&self) -> [&BSplineCurve; 4] {
        [&self.red, &self.green, &self.blue, &self.master]
    }

    pub fn validate(&self) -> Result<()> {
        self.curves().iter().try_for_each(|c| c.validate())
    }

    pub fn is_identity(&self) -> bool {
        self.curves().iter().all(|c| c.is_identity())
    }
}

impl fmt::Display for RgbCurve {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "<red={}, green={}, blue={}, master={}>",
            self.red, self.green, self.blue, self.master
        )
    }
}

/// The eight curves of a hue curve grade.
#[derive(Debug, Clone, PartialEq)]
pub struct HueCurve {
    pub curves: [BSplineCurve; 8],
    pub draw_curve_only: bool,
}

pub const HUE_CURVE_NAMES: [&str; 8] = [
    "hue_hue", "hue_sat", "hue_lum", "lum_sat", "sat_sat", "lum_lum", "sat_lum", "hue_fx",
];

impl HueCurve {
    /// Identity curves; luminance curves span -7..7 in linear style.
    pub fn new(style: GradingStyle) -> Self {
        let sixths: Vec<f32> = (0..6).map(|i| i as f32 / 6.0).collect();
        let hue = |y: Option<f32>| -> Vec<(f32, f32)> { sixths.iter().map(|&x| (x, y.unwrap_or(x))).collect() };
        let lin = style == GradingStyle::Lin;
        let lum_xs: [f32; 3] = if lin { [-7.0, 0.0, 7.0] } else { [0.0, 0.5, 1.0] };
        let mk = |t: HueCurveType, pts: Vec<(f32, f32)>| BSplineCurve::from_points(&pts, spline_type_for(t));
        HueCurve {
            curves: [
                mk(HueCurveType::HueHue, hue(None)),
                mk(HueCurveType::HueSat, hue(Some(1.0))),
                mk(HueCurveType::HueLum, hue(Some(1.0))),
                mk(HueCurveType::LumSat, lum_xs.iter().map(|&x| (x, 1.0)).collect()),
                mk(HueCurveType::SatSat, vec![(0.0, 0.0), (0.5, 0.5), (1.0, 1.0)]),
                mk(HueCurveType::LumLum, lum_xs.iter().map(|&x| (x, x)).collect()),
                mk(HueCurveType::SatLum, vec![(0.0, 1.0), (0.5, 1.0), (1.0, 1.0)]),
                mk(HueCurveType::HueFx, hue(Some(0.0))),
            ],
            draw_curve_only: false,
        }
    }

    pub fn validate(&self) -> Result<()> {
        self.curves.iter().try_for_each(BSplineCurve::validate)
    }

    pub fn is_identity(&self) -> bool {
        self.curves.iter().all(BSplineCurve::is_identity)
    }
}

impl fmt::Display for HueCurve {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = HUE_CURVE_NAMES
            .iter()
            .zip(&self.curves)
            .map(|(n, c)| format!("{n}={c}"))
            .collect();
        write!(f, "<{}>", parts.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_validate() {
        for s in [GradingStyle::Log, GradingStyle::Lin, GradingStyle::Video] {
            RgbCurve::new(s).validate().unwrap();
            HueCurve::new(s).validate().unwrap();
            assert!(HueCurve::new(s).is_identity());
        }
        let mut b = BSplineCurve::with_size(3, BSplineType::BSpline);
        b.points[1] = ControlPoint { x: 0.5, y: 0.5 };
        b.points[2] = ControlPoint { x: 0.2, y: 1.0 };
        assert!(b.validate().is_err());
    }
}
