//! `GradingToneTransform`: a tonal grade (blacks, shadows, midtones,
//! highlights, whites, s-contrast).

use std::fmt;

use super::{validate_direction, TransformData};
use crate::enums::{GradingStyle, OcioEnum, TransformDirection, TransformType};
use crate::error::{OcioError, Result};
use crate::format_metadata::FormatMetadata;
use crate::grading::GradingTone;

#[derive(Debug, Clone, PartialEq)]
pub struct GradingToneTransform {
    style: GradingStyle,
    value: GradingTone,
    pub dynamic: bool,
    pub direction: TransformDirection,
    pub metadata: FormatMetadata,
}

impl Default for GradingToneTransform {
    fn default() -> Self {
        GradingToneTransform::new(GradingStyle::Log)
    }
}

impl GradingToneTransform {
    /// The identity grade of a style.
    pub fn new(style: GradingStyle) -> Self {
        GradingToneTransform {
            style,
            value: GradingTone::new(style),
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
            self.value = GradingTone::new(style);
        }
    }

    pub fn value(&self) -> &GradingTone {
        &self.value
    }

    /// New values, validated first.
    pub fn set_value(&mut self, value: GradingTone) -> Result<()> {
        value.validate()?;
        self.value = value;
        Ok(())
    }
}

impl TransformData for GradingToneTransform {
    const KIND: TransformType = TransformType::GradingTone;
    fn direction(&self) -> TransformDirection {
        self.direction
    }
    fn set_direction(&mut self, dir: TransformDirection) {
        self.direction = dir;
    }
    fn validate(&self) -> Result<()> {
        validate_direction(self.direction)
            .and_then(|_| self.value.validate())
            .map_err(|e| OcioError::msg(format!("GradingToneTransform validation failed: {e}")))
    }
    fn format_metadata(&self) -> Option<&FormatMetadata> {
        Some(&self.metadata)
    }
    fn format_metadata_mut(&mut self) -> Option<&mut FormatMetadata> {
        Some(&mut self.metadata)
    }
}

impl fmt::Display for GradingToneTransform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "<GradingToneTransform direction={}, style={}, values={}",
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
    fn style_values_and_print() {
        let mut t = GradingToneTransform::default();
        assert!(t.validate().is_ok());
        assert!(t
            .to_string()
            .starts_with("<GradingToneTransform direction=forward, style=log, values=<blacks="));
        t.set_style(GradingStyle::Video);
        assert_eq!(t.value(), &GradingTone::new(GradingStyle::Video));
        let mut v = t.value().clone();
        v.midtones.blue = 0.0001;
        assert!(t
            .set_value(v)
            .unwrap_err()
            .to_string()
            .starts_with("GradingTone midtones"));
    }
}
