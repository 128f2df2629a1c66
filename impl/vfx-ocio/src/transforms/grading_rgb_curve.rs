//! `GradingRgbCurveTransform`: per-channel and master B-spline curves.

use std::fmt;

use super::{validate_direction, TransformData};
use crate::enums::{GradingStyle, OcioEnum, RgbCurveType, TransformDirection, TransformType};
use crate::error::{OcioError, Result};
use crate::format_metadata::FormatMetadata;
use crate::grading::{GradingRGBCurve, Shared};

/// The curves are held as a shared value: the reference hands out its own
/// curve object from `getValue()`, so edits made through it are seen by the
/// transform until `setValue` (or a slope or style change) replaces it.
#[derive(Debug, Clone, PartialEq)]
pub struct GradingRgbCurveTransform {
    style: GradingStyle,
    value: Shared<GradingRGBCurve>,
    pub bypass_lin_to_log: bool,
    pub dynamic: bool,
    pub direction: TransformDirection,
    pub metadata: FormatMetadata,
}

impl Default for GradingRgbCurveTransform {
    fn default() -> Self {
        GradingRgbCurveTransform::new(GradingStyle::Log)
    }
}

impl GradingRgbCurveTransform {
    /// The identity curves of a style.
    pub fn new(style: GradingStyle) -> Self {
        GradingRgbCurveTransform {
            style,
            value: Shared::new(GradingRGBCurve::new(style)),
            bypass_lin_to_log: false,
            dynamic: false,
            direction: TransformDirection::Forward,
            metadata: FormatMetadata::default(),
        }
    }

    pub fn style(&self) -> GradingStyle {
        self.style
    }

    /// Changing the style resets the curves to that style's defaults.
    pub fn set_style(&mut self, style: GradingStyle) {
        if style != self.style {
            self.style = style;
            self.value = Shared::new(GradingRGBCurve::new(style));
        }
    }

    /// The transform's current curves (shared, see the type's notes).
    pub fn value(&self) -> &Shared<GradingRGBCurve> {
        &self.value
    }

    /// Replaces the curves by a validated copy of `value`.
    pub fn set_value(&mut self, value: &GradingRGBCurve) -> Result<()> {
        value.validate()?;
        self.value = Shared::new(value.clone());
        Ok(())
    }

    pub fn slope(&self, curve: RgbCurveType, index: usize) -> Result<f32> {
        self.value.lock().curve(curve)?.slope(index)
    }

    /// Sets one slope (on a copy of the curves that then replaces them).
    pub fn set_slope(&mut self, curve: RgbCurveType, index: usize, slope: f32) -> Result<()> {
        let mut v = self.value.get();
        v.curve_mut(curve)?.set_slope(index, slope)?;
        self.set_value(&v)
    }

    pub fn slopes_are_default(&self, curve: RgbCurveType) -> Result<bool> {
        Ok(self.value.lock().curve(curve)?.slopes_are_default())
    }
}

impl TransformData for GradingRgbCurveTransform {
    const KIND: TransformType = TransformType::GradingRgbCurve;
    fn direction(&self) -> TransformDirection {
        self.direction
    }
    fn set_direction(&mut self, dir: TransformDirection) {
        self.direction = dir;
    }
    fn validate(&self) -> Result<()> {
        validate_direction(self.direction)
            .and_then(|_| self.value.lock().validate())
            .map_err(|e| OcioError::msg(format!("GradingRGBCurveTransform validation failed: {e}")))
    }
    fn format_metadata(&self) -> Option<&FormatMetadata> {
        Some(&self.metadata)
    }
    fn format_metadata_mut(&mut self) -> Option<&mut FormatMetadata> {
        Some(&mut self.metadata)
    }
}

impl fmt::Display for GradingRgbCurveTransform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "<GradingRGBCurveTransform direction={}, style={}, values={}",
            self.direction.as_str(),
            self.style.as_str(),
            self.value
        )?;
        if self.bypass_lin_to_log {
            write!(f, ", bypass_lintolog")?;
        }
        if self.dynamic {
            write!(f, ", dynamic")?;
        }
        write!(f, ">")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grading::GradingControlPoint;

    #[test]
    fn slopes_replace_the_shared_value() {
        let mut t = GradingRgbCurveTransform::default();
        let handle = t.value().handle();
        assert!(t.slopes_are_default(RgbCurveType::Red).unwrap());
        t.set_slope(RgbCurveType::Red, 1, 0.5).unwrap();
        assert_eq!(t.slope(RgbCurveType::Red, 1).unwrap(), 0.5);
        assert!(!t.slopes_are_default(RgbCurveType::Red).unwrap());
        // The old handle no longer is the transform's value.
        assert!(handle.lock().unwrap().is_identity());
        assert_eq!(
            t.set_slope(RgbCurveType::Red, 3, 1.0).unwrap_err().to_string(),
            "There are '3' control points. '3' is out of bounds."
        );
        assert_eq!(
            t.slope(RgbCurveType::NumCurves, 0).unwrap_err().to_string(),
            "Invalid curve."
        );
        assert!(t.to_string().contains("<x=0.5, y=0.5, slp=0.5>"));
        assert!(t
            .to_string()
            .starts_with("<GradingRGBCurveTransform direction=forward, style=log, values=<red="));
    }

    #[test]
    fn edits_through_the_value_are_seen_and_validated() {
        let t = GradingRgbCurveTransform::default();
        t.value().lock().curves[0]
            .set_control_point(1, GradingControlPoint::new(1.5, 0.5))
            .unwrap();
        assert!(t
            .validate()
            .unwrap_err()
            .to_string()
            .starts_with("GradingRGBCurveTransform validation failed: GradingRGBCurve validation failed for 'red'"));
        let copy = t.clone();
        assert_eq!(copy, t);
        t.value().lock().curves[0].set_slope(0, 2.0).unwrap();
        assert_ne!(copy, t);
    }
}
