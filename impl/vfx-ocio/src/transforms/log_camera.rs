//! `LogCameraTransform`: an affine log curve with a linear segment below
//! `linSideBreak` (whose slope may be given or derived).

use std::fmt;

use super::common::{join_g, wrap_validation};
use super::log_affine::LogSides;
use super::TransformData;
use crate::enums::{OcioEnum, TransformDirection, TransformType};
use crate::error::Result;
use crate::format_metadata::FormatMetadata;

#[derive(Debug, Clone, PartialEq)]
pub struct LogCameraTransform {
    pub sides: LogSides,
    pub lin_side_break: [f64; 3],
    /// `None` until set: the slope is then derived so the curve is smooth.
    pub linear_slope: Option<[f64; 3]>,
    pub direction: TransformDirection,
    pub metadata: FormatMetadata,
}

impl LogCameraTransform {
    pub fn new(lin_side_break: [f64; 3]) -> Self {
        LogCameraTransform {
            sides: LogSides::default(),
            lin_side_break,
            linear_slope: None,
            direction: TransformDirection::Forward,
            metadata: FormatMetadata::default(),
        }
    }

    pub fn equals(&self, other: &Self) -> bool {
        self.direction == other.direction
            && self.sides == other.sides
            && self.lin_side_break == other.lin_side_break
            && self.linear_slope == other.linear_slope
    }
}

impl TransformData for LogCameraTransform {
    const KIND: TransformType = TransformType::LogCamera;
    fn direction(&self) -> TransformDirection {
        self.direction
    }
    fn set_direction(&mut self, dir: TransformDirection) {
        self.direction = dir;
    }
    fn validate(&self) -> Result<()> {
        wrap_validation("LogCameraTransform", self.sides.validate())
    }
    fn format_metadata(&self) -> Option<&FormatMetadata> {
        Some(&self.metadata)
    }
    fn format_metadata_mut(&mut self) -> Option<&mut FormatMetadata> {
        Some(&mut self.metadata)
    }
}

impl fmt::Display for LogCameraTransform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "<LogCameraTransform direction={}{}, linSideBreak=[{}]",
            self.direction.as_str(),
            self.sides.fmt_fields(),
            join_g(&self.lin_side_break)
        )?;
        if let Some(s) = &self.linear_slope {
            write!(f, ", linearSlope=[{}]", join_g(s))?;
        }
        write!(f, ">")
    }
}
