//! `GradingHueCurveTransform`: hue/saturation/luma curves applied in an
//! HSY space.

use std::fmt;

use super::{validate_direction, TransformData};
use crate::enums::{GradingStyle, HsyTransformStyle, HueCurveType, OcioEnum, TransformDirection, TransformType};
use crate::error::{OcioError, Result};
use crate::format_metadata::FormatMetadata;
use crate::grading::{GradingHueCurve, Shared};

/// The curves are held as a shared value, like `GradingRgbCurveTransform`'s.
#[derive(Debug, Clone, PartialEq)]
pub struct GradingHueCurveTransform {
    style: GradingStyle,
    value: Shared<GradingHueCurve>,
    pub rgb_to_hsy: HsyTransformStyle,
    pub dynamic: bool,
    pub direction: TransformDirection,
    pub metadata: FormatMetadata,
}

impl Default for GradingHueCurveTransform {
    fn default() -> Self {
        GradingHueCurveTransform::new(GradingStyle::Log)
    }
}

impl GradingHueCurveTransform {
    /// The identity curves of a style, with the RGB to HSY conversion on.
    pub fn new(style: GradingStyle) -> Self {
        GradingHueCurveTransform {
            style,
            value: Shared::new(GradingHueCurve::new(style)),
            rgb_to_hsy: HsyTransformStyle::Hsy1,
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
            self.value = Shared::new(GradingHueCurve::new(style));
        }
    }

    /// The transform's current curves (shared).
    pub fn value(&self) -> &Shared<GradingHueCurve> {
        &self.value
    }

    /// Replaces the curves by a validated copy of `value`.
    pub fn set_value(&mut self, value: &GradingHueCurve) -> Result<()> {
        value.validate()?;
        self.value = Shared::new(value.clone());
        Ok(())
    }

    pub fn slope(&self, curve: HueCurveType, index: usize) -> Result<f32> {
        self.value.lock().curve(curve).slope(index)
    }

    /// Sets one slope (on a copy of the curves that then replaces them).
    pub fn set_slope(&mut self, curve: HueCurveType, index: usize, slope: f32) -> Result<()> {
        let mut v = self.value.get();
        v.curve_mut(curve).set_slope(index, slope)?;
        self.set_value(&v)
    }

    pub fn slopes_are_default(&self, curve: HueCurveType) -> bool {
        self.value.lock().curve(curve).slopes_are_default()
    }
}

impl TransformData for GradingHueCurveTransform {
    const KIND: TransformType = TransformType::GradingHueCurve;
    fn direction(&self) -> TransformDirection {
        self.direction
    }
    fn set_direction(&mut self, dir: TransformDirection) {
        self.direction = dir;
    }
    fn validate(&self) -> Result<()> {
        validate_direction(self.direction)
            .and_then(|_| self.value.lock().validate())
            .map_err(|e| OcioError::msg(format!("GradingHueCurveTransform validation failed: {e}")))
    }
    fn format_metadata(&self) -> Option<&FormatMetadata> {
        Some(&self.metadata)
    }
    fn format_metadata_mut(&mut self) -> Option<&mut FormatMetadata> {
        Some(&mut self.metadata)
    }
}

impl fmt::Display for GradingHueCurveTransform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "<GradingHueCurveTransform direction={}, style={}, values={}",
            self.direction.as_str(),
            self.style.as_str(),
            self.value
        )?;
        if self.rgb_to_hsy == HsyTransformStyle::None {
            write!(f, ", hsy_transform=none")?;
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

    #[test]
    fn slopes_and_print() {
        let mut t = GradingHueCurveTransform::default();
        assert!(t.slopes_are_default(HueCurveType::HueHue));
        t.set_slope(HueCurveType::HueHue, 3, 1.1).unwrap();
        assert!(!t.slopes_are_default(HueCurveType::HueHue));
        assert!(t.slopes_are_default(HueCurveType::HueSat));
        assert!((t.slope(HueCurveType::HueHue, 3).unwrap() - 1.1).abs() < 1e-6);
        assert!(t.set_slope(HueCurveType::HueHue, 6, 1.1).is_err());
        t.rgb_to_hsy = HsyTransformStyle::None;
        t.dynamic = true;
        assert!(t.to_string().ends_with(">>, hsy_transform=none, dynamic>"));
        assert!(t.validate().is_ok());
    }
}
