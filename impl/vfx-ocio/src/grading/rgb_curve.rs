//! `GradingRGBCurve`: red, green, blue and master B-spline curves.

use std::fmt;

use super::bspline::{GradingBSplineCurve, GradingControlPoint};
use crate::enums::{BSplineType, GradingStyle, RgbCurveType};
use crate::error::{OcioError, Result};

/// The four curves, indexed by `RgbCurveType` (red, green, blue, master).
#[derive(Debug, Clone, PartialEq)]
pub struct GradingRGBCurve {
    pub curves: [GradingBSplineCurve; 4],
}

const NAMES: [&str; 4] = ["red", "green", "blue", "master"];

impl GradingRGBCurve {
    /// The identity curve of a style, the same for the four channels:
    /// through (0,0) (0.5,0.5) (1,1), or (-7,-7) (0,0) (7,7) in linear.
    pub fn new(style: GradingStyle) -> Self {
        GradingRGBCurve {
            curves: std::array::from_fn(|_| Self::default_curve(style)),
        }
    }

    pub fn default_curve(style: GradingStyle) -> GradingBSplineCurve {
        let p = GradingControlPoint::new;
        let pts = if style == GradingStyle::Lin {
            [p(-7.0, -7.0), p(0.0, 0.0), p(7.0, 7.0)]
        } else {
            [p(0.0, 0.0), p(0.5, 0.5), p(1.0, 1.0)]
        };
        GradingBSplineCurve::from_points(&pts, BSplineType::BSpline)
    }

    pub fn from_curves(
        red: GradingBSplineCurve,
        green: GradingBSplineCurve,
        blue: GradingBSplineCurve,
        master: GradingBSplineCurve,
    ) -> Self {
        GradingRGBCurve {
            curves: [red, green, blue, master],
        }
    }

    fn index(c: RgbCurveType) -> Result<usize> {
        match c {
            RgbCurveType::NumCurves => Err(OcioError::msg("Invalid curve.")),
            c => Ok(c as usize),
        }
    }

    pub fn curve(&self, c: RgbCurveType) -> Result<&GradingBSplineCurve> {
        Ok(&self.curves[Self::index(c)?])
    }

    pub fn curve_mut(&mut self, c: RgbCurveType) -> Result<&mut GradingBSplineCurve> {
        Ok(&mut self.curves[Self::index(c)?])
    }

    /// Each curve must be valid and a plain `B_SPLINE`.
    pub fn validate(&self) -> Result<()> {
        for (curve, name) in self.curves.iter().zip(NAMES) {
            curve.validate().map_err(|e| {
                OcioError::msg(format!(
                    "GradingRGBCurve validation failed for '{name}' curve with: {e}"
                ))
            })?;
            if curve.spline_type != BSplineType::BSpline {
                return Err(OcioError::msg(format!(
                    "GradingRGBCurve validation failed: '{name}' curve is of the wrong BSplineType."
                )));
            }
        }
        Ok(())
    }

    pub fn is_identity(&self) -> bool {
        self.curves.iter().all(GradingBSplineCurve::is_identity)
    }
}

impl fmt::Display for GradingRGBCurve {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [r, g, b, m] = &self.curves;
        write!(f, "<red={r}, green={g}, blue={b}, master={m}>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_validate_and_print() {
        let c = GradingRGBCurve::new(GradingStyle::Lin);
        assert!(c.validate().is_ok());
        assert!(c.is_identity());
        assert_eq!(
            c.to_string(),
            "<red=<control_points=[<x=-7, y=-7><x=0, y=0><x=7, y=7>]>, \
             green=<control_points=[<x=-7, y=-7><x=0, y=0><x=7, y=7>]>, \
             blue=<control_points=[<x=-7, y=-7><x=0, y=0><x=7, y=7>]>, \
             master=<control_points=[<x=-7, y=-7><x=0, y=0><x=7, y=7>]>>"
        );
        assert_eq!(
            GradingRGBCurve::new(GradingStyle::Log),
            GradingRGBCurve::new(GradingStyle::Video)
        );
        assert_eq!(
            c.curve(RgbCurveType::NumCurves).unwrap_err().to_string(),
            "Invalid curve."
        );
    }

    #[test]
    fn validation_names_the_curve() {
        let mut c = GradingRGBCurve::new(GradingStyle::Log);
        c.curves[1]
            .set_control_point(2, GradingControlPoint::new(0.2, 1.0))
            .unwrap();
        assert!(c
            .validate()
            .unwrap_err()
            .to_string()
            .starts_with("GradingRGBCurve validation failed for 'green' curve with: Control point at index 2"));
        let mut c = GradingRGBCurve::new(GradingStyle::Log);
        c.curves[3].spline_type = BSplineType::Diagonal;
        assert_eq!(
            c.validate().unwrap_err().to_string(),
            "GradingRGBCurve validation failed: 'master' curve is of the wrong BSplineType."
        );
    }
}
