//! `LogTransform`: `log_base(x)`.

use std::fmt;

use super::common::{g, wrap_validation};
use super::TransformData;
use crate::enums::{OcioEnum, TransformDirection, TransformType};
use crate::error::{OcioError, Result};
use crate::format_metadata::FormatMetadata;

#[derive(Debug, Clone, PartialEq)]
pub struct LogTransform {
    pub base: f64,
    pub direction: TransformDirection,
    pub metadata: FormatMetadata,
}

impl Default for LogTransform {
    fn default() -> Self {
        LogTransform {
            base: 2.0,
            direction: TransformDirection::Forward,
            metadata: FormatMetadata::default(),
        }
    }
}

/// A logarithm base must be positive and not 1.
pub(crate) fn check_base(base: f64) -> Result<()> {
    if base == 1.0 {
        Err(OcioError::msg(format!(
            "Log: Invalid base value '{}', base cannot be 1.",
            g(base)
        )))
    } else if base <= 0.0 {
        Err(OcioError::msg(format!(
            "Log: Invalid base value '{}', base must be greater than 0.",
            g(base)
        )))
    } else {
        Ok(())
    }
}

impl LogTransform {
    pub fn equals(&self, other: &Self) -> bool {
        self.direction == other.direction && self.base == other.base
    }
}

impl TransformData for LogTransform {
    const KIND: TransformType = TransformType::Log;
    fn direction(&self) -> TransformDirection {
        self.direction
    }
    fn set_direction(&mut self, dir: TransformDirection) {
        self.direction = dir;
    }
    fn validate(&self) -> Result<()> {
        wrap_validation("LogTransform", check_base(self.base))
    }
    fn format_metadata(&self) -> Option<&FormatMetadata> {
        Some(&self.metadata)
    }
    fn format_metadata_mut(&mut self) -> Option<&mut FormatMetadata> {
        Some(&mut self.metadata)
    }
}

impl fmt::Display for LogTransform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "<LogTransform direction={}, base={}>",
            self.direction.as_str(),
            g(self.base)
        )
    }
}
