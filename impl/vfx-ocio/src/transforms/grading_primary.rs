//! `GradingPrimaryTransform`: a primary grade (brightness/contrast/gamma in
//! log, offset/exposure/contrast in linear, lift/gamma/gain in video).

use std::fmt;

use super::{validate_direction, TransformData};
use crate::enums::{GradingStyle, OcioEnum, TransformDirection, TransformType};
use crate::error::{OcioError, Result};
use crate::format_metadata::FormatMetadata;
use crate::grading::GradingPrimary;

#[derive(Debug, Clone, PartialEq)]
pub struct GradingPrimaryTransform {
    style: GradingStyle,
    value: GradingPrimary,
    pub dynamic: bool,
    pub direction: TransformDirection,
    pub metadata: FormatMetadata,
}

impl Default for GradingPrimaryTransform {
    fn default() -> Self {
        GradingPrimaryTransform::new(GradingStyle::Log)
    }
}

impl GradingPrimaryTransform {
    /// The identity grade of a style.
    pub fn new(style: GradingStyle) -> Self {
        GradingPrimaryTransform {
            style,
            value: GradingPrimary::new(style),
            dynamic: false,
            direction: TransformDirection::Forward,
            metadata: FormatMetadata::default(),
        }
    }

    pub fn style(&self) -> GradingStyle {
        self.style
    }

    /// Changing the style resets the values to that style's defaults.
    pub fn set_style(&mut self, style: GradingStyle) {
        if style != self.style {
            self.style = style;
            self.value = GradingPrimary::new(style);
        }
    }

    pub fn value(&self) -> &GradingPrimary {
        &self.value
    }

    /// New values, validated for the current style first.
    pub fn set_value(&mut self, value: GradingPrimary) -> Result<()> {
        value.validate(self.style)?;
        self.value = value;
        Ok(())
    }
}

impl TransformData for GradingPrimaryTransform {
    const KIND: TransformType = TransformType::GradingPrimary;
    fn direction(&self) -> TransformDirection {
        self.direction
    }
    fn set_direction(&mut self, dir: TransformDirection) {
        self.direction = dir;
    }
    fn validate(&self) -> Result<()> {
        validate_direction(self.direction)
            .and_then(|_| self.value.validate(self.style))
            .map_err(|e| OcioError::msg(format!("GradingPrimaryTransform validation failed: {e}")))
    }
    fn format_metadata(&self) -> Option<&FormatMetadata> {
        Some(&self.metadata)
    }
    fn format_metadata_mut(&mut self) -> Option<&mut FormatMetadata> {
        Some(&mut self.metadata)
    }
}

impl fmt::Display for GradingPrimaryTransform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "<GradingPrimaryTransform direction={}, style={}, values={}",
            self.direction.as_str(),
            self.style.as_str(),
            self.value
        )?;
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
    fn style_change_resets_values() {
        let mut t = GradingPrimaryTransform::new(GradingStyle::Log);
        let mut v = t.value().clone();
        v.saturation = 1.5;
        t.set_value(v).unwrap();
        t.set_style(GradingStyle::Log);
        assert_eq!(t.value().saturation, 1.5);
        t.set_style(GradingStyle::Lin);
        assert_eq!(t.value(), &GradingPrimary::new(GradingStyle::Lin));
    }

    #[test]
    fn printed_and_validated_like_the_reference() {
        let mut t = GradingPrimaryTransform::new(GradingStyle::Lin);
        t.dynamic = true;
        t.direction = TransformDirection::Inverse;
        let s = t.to_string();
        assert!(s.starts_with("<GradingPrimaryTransform direction=inverse, style=linear, values=<brightness="));
        assert!(s.ends_with("pivot=<contrast=0.18, black=0, white=1>>, dynamic>"));
        let mut bad = GradingPrimary::new(GradingStyle::Lin);
        bad.clamp_black = 0.9;
        bad.clamp_white = 0.1;
        assert!(t.set_value(bad.clone()).is_err());
        t.value = bad;
        assert_eq!(
            t.validate().unwrap_err().to_string(),
            "GradingPrimaryTransform validation failed: GradingPrimary black clamp should be smaller than white clamp."
        );
    }
}
