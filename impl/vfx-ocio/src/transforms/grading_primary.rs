//! `GradingPrimaryTransform`: primary grading values in a style, possibly
//! dynamic (changeable on a built processor).

use std::fmt;

use super::common::wrap_validation;
use super::TransformData;
use crate::enums::{GradingStyle, OcioEnum, TransformDirection, TransformType};
use crate::error::Result;
use crate::format_metadata::FormatMetadata;
use crate::grading::GradingPrimary;

#[derive(Debug, Clone, PartialEq)]
pub struct GradingPrimaryTransform {
    pub style: GradingStyle,
    pub values: GradingPrimary,
    pub dynamic: bool,
    pub direction: TransformDirection,
    pub metadata: FormatMetadata,
}

impl GradingPrimaryTransform {
    pub fn new(style: GradingStyle) -> Self {
        GradingPrimaryTransform {
            style,
            values: GradingPrimary::new(style),
            dynamic: false,
            direction: TransformDirection::Forward,
            metadata: FormatMetadata::default(),
        }
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
        wrap_validation("GradingPrimaryTransform", self.values.validate(self.style))
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
            self.values
        )?;
        if self.dynamic {
            write!(f, ", dynamic")?;
        }
        write!(f, ">")
    }
}
