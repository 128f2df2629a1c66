//! `GradingControlPoint` and `GradingBSplineCurve`: the curves of the RGB-
//! and hue-curve grades (control points, optional slopes, spline type).

use std::collections::TryReserveError;
use std::fmt;

use super::fmt_g;
use crate::enums::{BSplineType, HueCurveType};
use crate::error::{OcioError, Result};

/// One control point (stored as single-precision floats, like OCIO).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct GradingControlPoint {
    pub x: f32,
    pub y: f32,
}

impl GradingControlPoint {
    pub const fn new(x: f32, y: f32) -> Self {
        GradingControlPoint { x, y }
    }
}

impl fmt::Display for GradingControlPoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<x={}, y={}>", fmt_g(self.x.into()), fmt_g(self.y.into()))
    }
}

/// A spline through control points. Slopes are optional: all zero means
/// "estimate them". Equality compares the spline type, the points and the
/// slopes (as the reference's `operator==`).
#[derive(Debug, Clone, PartialEq)]
pub struct GradingBSplineCurve {
    points: Vec<GradingControlPoint>,
    slopes: Vec<f32>,
    pub spline_type: BSplineType,
}

impl GradingBSplineCurve {
    /// `size` points at the origin, default slopes; `Err` when that much
    /// memory cannot be had.
    pub fn with_size(size: usize, spline_type: BSplineType) -> std::result::Result<Self, TryReserveError> {
        let mut c = GradingBSplineCurve {
            points: Vec::new(),
            slopes: Vec::new(),
            spline_type,
        };
        c.set_num_control_points(size)?;
        Ok(c)
    }

    /// A curve through the given points (default slopes).
    pub fn from_points(points: &[GradingControlPoint], spline_type: BSplineType) -> Self {
        GradingBSplineCurve {
            points: points.to_vec(),
            slopes: vec![0.0; points.len()],
            spline_type,
        }
    }

    /// The spline type OCIO uses for each hue curve.
    pub fn spline_type_for(curve: HueCurveType) -> BSplineType {
        match curve {
            HueCurveType::HueHue => BSplineType::HueHue,
            HueCurveType::HueSat | HueCurveType::HueLum => BSplineType::Periodic1,
            HueCurveType::LumSat | HueCurveType::SatLum => BSplineType::Horizontal1,
            HueCurveType::SatSat | HueCurveType::LumLum => BSplineType::Diagonal,
            HueCurveType::HueFx => BSplineType::Periodic0,
        }
    }

    pub fn num_control_points(&self) -> usize {
        self.points.len()
    }

    /// Resizes the curve: new points at the origin with default slopes,
    /// extra ones dropped.
    pub fn set_num_control_points(&mut self, size: usize) -> std::result::Result<(), TryReserveError> {
        if size > self.points.len() {
            self.points.try_reserve_exact(size - self.points.len())?;
            self.slopes.try_reserve_exact(size - self.slopes.len())?;
        }
        self.points.resize(size, GradingControlPoint::default());
        self.slopes.resize(size, 0.0);
        Ok(())
    }

    fn check_index(&self, index: usize) -> Result<()> {
        if index >= self.points.len() {
            return Err(OcioError::msg(format!(
                "There are '{}' control points. '{index}' is out of bounds.",
                self.points.len()
            )));
        }
        Ok(())
    }

    pub fn control_points(&self) -> &[GradingControlPoint] {
        &self.points
    }

    pub fn control_point(&self, index: usize) -> Result<GradingControlPoint> {
        self.check_index(index)?;
        Ok(self.points[index])
    }

    pub fn set_control_point(&mut self, index: usize, cp: GradingControlPoint) -> Result<()> {
        self.check_index(index)?;
        self.points[index] = cp;
        Ok(())
    }

    pub fn slopes(&self) -> &[f32] {
        &self.slopes
    }

    pub fn slope(&self, index: usize) -> Result<f32> {
        self.check_index(index)?;
        Ok(self.slopes[index])
    }

    pub fn set_slope(&mut self, index: usize, slope: f32) -> Result<()> {
        self.check_index(index)?;
        self.slopes[index] = slope;
        Ok(())
    }

    /// Sets all slopes; their number must match the control points.
    pub fn set_slopes(&mut self, slopes: &[f32]) -> Result<()> {
        if slopes.len() != self.points.len() {
            return Err(OcioError::msg(
                "Length of slopes vector must match number of control points.",
            ));
        }
        self.slopes.copy_from_slice(slopes);
        Ok(())
    }

    pub fn slopes_are_default(&self) -> bool {
        self.slopes.iter().all(|&s| s == 0.0)
    }

    /// OCIO's `validate()`: at least two points, x non-decreasing (and in
    /// [0, 1] for hue-hue), y non-decreasing for the diagonal types (hue-hue
    /// wrapping around), and two-point periodic curves not collapsing to
    /// one point.
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
                    fmt_g(p.x.into()),
                    fmt_g(last_x.into())
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
                        fmt_g(p.y.into()),
                        fmt_g(last_y.into())
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
        {
            let del_x = self.points[1].x - self.points[0].x;
            if f64::from((1.0 - del_x).abs()) < 1e-3 {
                return Err(OcioError::msg(
                    "The periodic spline x coordinates may not wrap to the same value.",
                ));
            }
        }
        Ok(())
    }

    /// Whether the curve leaves values unchanged: y = x for the diagonal
    /// types, y = 0 for periodic-0, y = 1 for the horizontal-1 types, and
    /// default slopes.
    pub fn is_identity(&self) -> bool {
        let flat = |v: f32| self.points.iter().all(|p| p.y == v);
        let shape = match self.spline_type {
            BSplineType::Diagonal | BSplineType::BSpline | BSplineType::HueHue => {
                self.points.iter().all(|p| p.x == p.y)
            }
            BSplineType::Periodic0 => flat(0.0),
            BSplineType::Horizontal1 | BSplineType::Periodic1 => flat(1.0),
        };
        shape && self.slopes_are_default()
    }
}

impl fmt::Display for GradingBSplineCurve {
    /// Slopes are printed with each point only when some are set.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<control_points=[")?;
        let with_slopes = !self.slopes_are_default();
        for (p, s) in self.points.iter().zip(&self.slopes) {
            if with_slopes {
                write!(
                    f,
                    "<x={}, y={}, slp={}>",
                    fmt_g(p.x.into()),
                    fmt_g(p.y.into()),
                    fmt_g((*s).into())
                )?;
            } else {
                write!(f, "{p}")?;
            }
        }
        write!(f, "]>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn curve(xy: &[(f32, f32)], t: BSplineType) -> GradingBSplineCurve {
        let pts: Vec<_> = xy.iter().map(|&(x, y)| GradingControlPoint::new(x, y)).collect();
        GradingBSplineCurve::from_points(&pts, t)
    }

    #[test]
    fn printed_like_the_reference() {
        let mut c = curve(&[(0.0, 0.0), (0.5, 0.7), (1.0, 1.0)], BSplineType::BSpline);
        assert_eq!(c.to_string(), "<control_points=[<x=0, y=0><x=0.5, y=0.7><x=1, y=1>]>");
        c.set_slope(1, 0.5).unwrap();
        assert_eq!(
            c.to_string(),
            "<control_points=[<x=0, y=0, slp=0><x=0.5, y=0.7, slp=0.5><x=1, y=1, slp=0>]>"
        );
        assert_eq!(
            c.slope(3).unwrap_err().to_string(),
            "There are '3' control points. '3' is out of bounds."
        );
    }

    #[test]
    fn validation_rules() {
        let c = curve(&[(0.0, 0.0), (0.5, 0.2), (0.2, 0.5), (1.0, 1.0)], BSplineType::BSpline);
        assert_eq!(
            c.validate().unwrap_err().to_string(),
            "Control point at index 2 has a x coordinate '0.2' that is less than previous control point x \
             coordinate '0.5'."
        );
        let c = curve(&[(0.0, 0.5), (1.0, 0.2)], BSplineType::Diagonal);
        assert!(c.validate().unwrap_err().to_string().contains("y coordinate '0.2'"));
        let c = curve(&[(0.0, 0.5), (1.0, 0.2)], BSplineType::Horizontal1);
        assert!(c.validate().is_ok());
        let c = curve(&[(0.0, 0.5), (1.0, 0.2)], BSplineType::Periodic1);
        assert_eq!(
            c.validate().unwrap_err().to_string(),
            "The periodic spline x coordinates may not wrap to the same value."
        );
        let c = curve(&[(-0.1, 0.0), (0.5, 0.5)], BSplineType::HueHue);
        assert!(c.validate().unwrap_err().to_string().contains("negative"));
        let c = GradingBSplineCurve::with_size(1, BSplineType::BSpline).unwrap();
        assert_eq!(
            c.validate().unwrap_err().to_string(),
            "There must be at least 2 control points."
        );
    }

    #[test]
    fn identity_and_slopes() {
        let mut c = curve(&[(0.0, 0.0), (1.0, 1.0)], BSplineType::BSpline);
        assert!(c.is_identity());
        c.set_slopes(&[1.0, 1.0]).unwrap();
        assert!(!c.is_identity());
        assert!(c.set_slopes(&[1.0]).is_err());
        let c = curve(&[(0.0, 1.0), (0.5, 1.0)], BSplineType::Periodic1);
        assert!(c.is_identity());
        let mut c = GradingBSplineCurve::with_size(2, BSplineType::BSpline).unwrap();
        c.set_num_control_points(4).unwrap();
        assert_eq!(c.slopes(), &[0.0; 4]);
        assert!(GradingBSplineCurve::with_size(usize::MAX / 2, BSplineType::BSpline).is_err());
    }
}
