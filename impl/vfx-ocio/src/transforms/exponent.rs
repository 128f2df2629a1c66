//! `ExponentTransform`: a per-channel power with a negative-value style.

use std::fmt;

use super::common::{g, join_g, wrap_validation};
use super::TransformData;
use crate::enums::{NegativeStyle, OcioEnum, TransformDirection, TransformType};
use crate::error::{OcioError, Result};
use crate::format_metadata::FormatMetadata;

#[derive(Debug, Clone, PartialEq)]
pub struct ExponentTransform {
    pub value: [f64; 4],
    pub negative_style: NegativeStyle,
    pub direction: TransformDirection,
    pub metadata: FormatMetadata,
}

impl Default for ExponentTransform {
    fn default() -> Self {
        ExponentTransform {
            value: [1.0; 4],
            negative_style: NegativeStyle::Clamp,
            direction: TransformDirection::Forward,
            metadata: FormatMetadata::default(),
        }
    }
}

/// Checks one parameter against inclusive bounds, with OCIO's messages.
pub(crate) fn check_bounds(v: f64, low: f64, high: f64) -> Result<()> {
    if v < low {
        return Err(OcioError::msg(format!(
            "Parameter {} is less than lower bound {}",
            g(v),
            g(low)
        )));
    }
    if v > high {
        return Err(OcioError::msg(format!(
            "Parameter {} is greater than upper bound {}",
            g(v),
            g(high)
        )));
    }
    Ok(())
}

impl ExponentTransform {
    /// A basic exponent has no linear segment to extend below zero.
    pub fn set_negative_style(&mut self, style: NegativeStyle) -> Result<()> {
        if style == NegativeStyle::Linear {
            return Err(OcioError::msg(
                "Linear negative extrapolation is not valid for basic exponent style.",
            ));
        }
        self.negative_style = style;
        Ok(())
    }

    pub fn equals(&self, other: &Self) -> bool {
        self.direction == other.direction && self.value == other.value && self.negative_style == other.negative_style
    }
}

impl TransformData for ExponentTransform {
    const KIND: TransformType = TransformType::Exponent;
    fn direction(&self) -> TransformDirection {
        self.direction
    }
    fn set_direction(&mut self, dir: TransformDirection) {
        self.direction = dir;
    }
    fn validate(&self) -> Result<()> {
        wrap_validation(
            "ExponentTransform",
            self.value.iter().try_for_each(|v| check_bounds(*v, 0.01, 100.0)),
        )
    }
    fn format_metadata(&self) -> Option<&FormatMetadata> {
        Some(&self.metadata)
    }
    fn format_metadata_mut(&mut self) -> Option<&mut FormatMetadata> {
        Some(&mut self.metadata)
    }
}

impl fmt::Display for ExponentTransform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "<ExponentTransform direction={}, value=[{}], style={}>",
            self.direction.as_str(),
            join_g(&self.value),
            self.negative_style.as_str()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_and_styles() {
        let mut t = ExponentTransform::default();
        assert_eq!(
            t.to_string(),
            "<ExponentTransform direction=forward, value=[1, 1, 1, 1], style=clamp>"
        );
        assert!(t.set_negative_style(NegativeStyle::Linear).is_err());
        t.value[0] = 0.001;
        assert_eq!(
            t.validate().unwrap_err().to_string(),
            "ExponentTransform validation failed: Parameter 0.001 is less than lower bound 0.01"
        );
    }
}
