//! `GradingHueCurve`: the eight hue/saturation/luma curves.

use std::fmt;

use super::bspline::{GradingBSplineCurve, GradingControlPoint};
use crate::enums::{GradingStyle, HueCurveType};
use crate::error::{OcioError, Result};

/// The curves indexed by `HueCurveType`, plus the "draw curve only" mode
/// (evaluate the hue-sat curve alone, for drawing it in a UI).
#[derive(Debug, Clone, PartialEq)]
pub struct GradingHueCurve {
    pub curves: [GradingBSplineCurve; 8],
    pub draw_curve_only: bool,
}

/// The curve types in index order.
const ALL_CURVES: [HueCurveType; 8] = [
    HueCurveType::HueHue,
    HueCurveType::HueSat,
    HueCurveType::HueLum,
    HueCurveType::LumSat,
    HueCurveType::SatSat,
    HueCurveType::LumLum,
    HueCurveType::SatLum,
    HueCurveType::HueFx,
];

const NAMES: [&str; 8] = [
    "hue_hue", "hue_sat", "hue_lum", "lum_sat", "sat_sat", "lum_lum", "sat_lum", "hue_fx",
];

impl GradingHueCurve {
    /// The identity curves of a style (linear differs for the luma-input
    /// curves, which span -7..7).
    pub fn new(style: GradingStyle) -> Self {
        GradingHueCurve {
            curves: ALL_CURVES.map(|c| Self::default_curve(c, style)),
            draw_curve_only: false,
        }
    }

    /// The identity curve of one type: six hue points for the hue-input
    /// curves, three points otherwise.
    pub fn default_curve(curve: HueCurveType, style: GradingStyle) -> GradingBSplineCurve {
        let p = GradingControlPoint::new;
        let hues = [0.0, 1.0 / 6.0, 2.0 / 6.0, 0.5, 4.0 / 6.0, 5.0 / 6.0];
        let lin = style == GradingStyle::Lin;
        let pts: Vec<GradingControlPoint> = match curve {
            HueCurveType::HueHue => hues.iter().map(|&h| p(h, h)).collect(),
            HueCurveType::HueSat | HueCurveType::HueLum => hues.iter().map(|&h| p(h, 1.0)).collect(),
            HueCurveType::HueFx => hues.iter().map(|&h| p(h, 0.0)).collect(),
            HueCurveType::LumSat if lin => vec![p(-7.0, 1.0), p(0.0, 1.0), p(7.0, 1.0)],
            HueCurveType::LumSat | HueCurveType::SatLum => vec![p(0.0, 1.0), p(0.5, 1.0), p(1.0, 1.0)],
            HueCurveType::LumLum if lin => vec![p(-7.0, -7.0), p(0.0, 0.0), p(7.0, 7.0)],
            HueCurveType::LumLum | HueCurveType::SatSat => vec![p(0.0, 0.0), p(0.5, 0.5), p(1.0, 1.0)],
        };
        GradingBSplineCurve::from_points(&pts, GradingBSplineCurve::spline_type_for(curve))
    }

    pub fn curve(&self, c: HueCurveType) -> &GradingBSplineCurve {
        &self.curves[c as usize]
    }

    pub fn curve_mut(&mut self, c: HueCurveType) -> &mut GradingBSplineCurve {
        &mut self.curves[c as usize]
    }

    /// Each curve must be valid and, unless only drawing, of its type's
    /// spline type.
    pub fn validate(&self) -> Result<()> {
        for ((curve, name), kind) in self.curves.iter().zip(NAMES).zip(ALL_CURVES) {
            curve.validate().map_err(|e| {
                OcioError::msg(format!(
                    "GradingHueCurve validation failed for '{name}' curve with: {e}"
                ))
            })?;
            if !self.draw_curve_only && curve.spline_type != GradingBSplineCurve::spline_type_for(kind) {
                return Err(OcioError::msg(format!(
                    "GradingHueCurve validation failed: '{name}' curve is of the wrong BSplineType."
                )));
            }
        }
        Ok(())
    }

    pub fn is_identity(&self) -> bool {
        self.curves.iter().all(GradingBSplineCurve::is_identity)
    }
}

impl fmt::Display for GradingHueCurve {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<")?;
        for (i, (curve, name)) in self.curves.iter().zip(NAMES).enumerate() {
            let sep = if i == 0 { "" } else { ", " };
            write!(f, "{sep}{name}={curve}")?;
        }
        write!(f, ">")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enums::BSplineType;

    #[test]
    fn defaults_validate_and_print() {
        for s in [GradingStyle::Log, GradingStyle::Lin, GradingStyle::Video] {
            let c = GradingHueCurve::new(s);
            assert!(c.validate().is_ok());
            assert!(c.is_identity());
        }
        let c = GradingHueCurve::new(GradingStyle::Lin);
        let text = c.to_string();
        assert!(
            text.starts_with("<hue_hue=<control_points=[<x=0, y=0><x=0.166667, y=0.166667><x=0.333333, y=0.333333>")
        );
        assert!(text.contains(", lum_sat=<control_points=[<x=-7, y=1><x=0, y=1><x=7, y=1>]>, "));
        assert_eq!(c.curve(HueCurveType::HueFx).spline_type, BSplineType::Periodic0);
    }

    #[test]
    fn spline_type_checked_unless_drawing() {
        let mut c = GradingHueCurve::new(GradingStyle::Log);
        c.curve_mut(HueCurveType::HueSat).spline_type = BSplineType::Horizontal1;
        assert_eq!(
            c.validate().unwrap_err().to_string(),
            "GradingHueCurve validation failed: 'hue_sat' curve is of the wrong BSplineType."
        );
        c.draw_curve_only = true;
        assert!(c.validate().is_ok());
        assert_ne!(c, GradingHueCurve::new(GradingStyle::Log));
    }
}
