//! `ExponentWithLinearTransform`: a power curve with a linear segment near
//! zero (OCIO's "moncurve"), parameterised by gamma and offset.

use std::fmt;

use super::common::{join_g, wrap_validation};
use super::exponent::check_bounds;
use super::TransformData;
use crate::enums::{NegativeStyle, OcioEnum, TransformDirection, TransformType};
use crate::error::{OcioError, Result};
use crate::format_metadata::FormatMetadata;

#[derive(Debug, Clone, PartialEq)]
pub struct ExponentWithLinearTransform {
    pub gamma: [f64; 4],
    pub offset: [f64; 4],
    pub negative_style: NegativeStyle,
    pub direction: TransformDirection,
    pub metadata: FormatMetadata,
}

impl Default for ExponentWithLinearTransform {
    fn default() -> Self {
        ExponentWithLinearTransform {
            gamma: [1.0; 4],
            offset: [0.0; 4],
            negative_style: NegativeStyle::Linear,
            direction: TransformDirection::Forward,
            metadata: FormatMetadata::default(),
        }
    }
}

impl ExponentWithLinearTransform {
    /// Only the linear and mirror extensions exist for this curve.
    pub fn set_negative_style(&mut self, style: NegativeStyle) -> Result<()> {
        match style {
            NegativeStyle::Clamp => Err(OcioError::msg(
                "Clamp negative extrapolation is not valid for MonCurve exponent style.",
            )),
            NegativeStyle::PassThru => Err(OcioError::msg(
                "Pass thru negative extrapolation is not valid for MonCurve exponent style.",
            )),
            _ => {
                self.negative_style = style;
                Ok(())
            }
        }
    }

    pub fn equals(&self, other: &Self) -> bool {
        self.direction == other.direction
            && self.gamma == other.gamma
            && self.offset == other.offset
            && self.negative_style == other.negative_style
    }
}

impl TransformData for ExponentWithLinearTransform {
    const KIND: TransformType = TransformType::ExponentWithLinear;
    fn direction(&self) -> TransformDirection {
        self.direction
    }
    fn set_direction(&mut self, dir: TransformDirection) {
        self.direction = dir;
    }
    /// Per channel: gamma in [1, 10], offset in [0, 0.9].
    fn validate(&self) -> Result<()> {
        wrap_validation(
            "ExponentWithLinearTransform",
            (0..4).try_for_each(|c| {
                check_bounds(self.gamma[c], 1.0, 10.0)?;
                check_bounds(self.offset[c], 0.0, 0.9)
            }),
        )
    }
    fn format_metadata(&self) -> Option<&FormatMetadata> {
        Some(&self.metadata)
    }
    fn format_metadata_mut(&mut self) -> Option<&mut FormatMetadata> {
        Some(&mut self.metadata)
    }
}

impl fmt::Display for ExponentWithLinearTransform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "<ExponentWithLinearTransform direction={}, gamma=[{}], offset=[{}], style={}>",
            self.direction.as_str(),
            join_g(&self.gamma),
            join_g(&self.offset),
            self.negative_style.as_str()
        )
    }
}
