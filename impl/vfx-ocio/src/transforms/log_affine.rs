//! `LogAffineTransform`: `logSlope * log_base(linSlope * x + linOffset) +
//! logOffset`, per RGB channel. The side parameters are shared with
//! `LogCameraTransform`.

use std::fmt;

use super::common::{g, is_zero, join_g, wrap_validation};
use super::log::check_base;
use super::TransformData;
use crate::enums::{OcioEnum, TransformDirection, TransformType};
use crate::error::{OcioError, Result};
use crate::format_metadata::FormatMetadata;

/// The per-channel parameters of the affine log curves.
#[derive(Debug, Clone, PartialEq)]
pub struct LogSides {
    pub base: f64,
    pub log_side_slope: [f64; 3],
    pub log_side_offset: [f64; 3],
    pub lin_side_slope: [f64; 3],
    pub lin_side_offset: [f64; 3],
}

impl Default for LogSides {
    fn default() -> Self {
        LogSides {
            base: 2.0,
            log_side_slope: [1.0; 3],
            log_side_offset: [0.0; 3],
            lin_side_slope: [1.0; 3],
            lin_side_offset: [0.0; 3],
        }
    }
}

impl LogSides {
    /// Per channel: slopes must not be 0 (linear side first); then the base.
    pub fn validate(&self) -> Result<()> {
        for c in 0..3 {
            if is_zero(self.lin_side_slope[c]) {
                return Err(OcioError::msg(format!(
                    "Log: Invalid linear side slope value '{}', linear side slope cannot be 0.",
                    g(self.lin_side_slope[c])
                )));
            }
            if is_zero(self.log_side_slope[c]) {
                return Err(OcioError::msg(format!(
                    "Log: Invalid log side slope value '{}', log side slope cannot be 0.",
                    g(self.log_side_slope[c])
                )));
            }
        }
        check_base(self.base)
    }

    /// `, base=2, logSideSlope=[..], logSideOffset=[..], linSideSlope=[..], linSideOffset=[..]`
    pub fn fmt_fields(&self) -> String {
        format!(
            ", base={}, logSideSlope=[{}], logSideOffset=[{}], linSideSlope=[{}], linSideOffset=[{}]",
            g(self.base),
            join_g(&self.log_side_slope),
            join_g(&self.log_side_offset),
            join_g(&self.lin_side_slope),
            join_g(&self.lin_side_offset)
        )
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct LogAffineTransform {
    pub sides: LogSides,
    pub direction: TransformDirection,
    pub metadata: FormatMetadata,
}

impl LogAffineTransform {
    pub fn equals(&self, other: &Self) -> bool {
        self.direction == other.direction && self.sides == other.sides
    }
}

impl TransformData for LogAffineTransform {
    const KIND: TransformType = TransformType::LogAffine;
    fn direction(&self) -> TransformDirection {
        self.direction
    }
    fn set_direction(&mut self, dir: TransformDirection) {
        self.direction = dir;
    }
    fn validate(&self) -> Result<()> {
        wrap_validation("LogAffineTransform", self.sides.validate())
    }
    fn format_metadata(&self) -> Option<&FormatMetadata> {
        Some(&self.metadata)
    }
    fn format_metadata_mut(&mut self) -> Option<&mut FormatMetadata> {
        Some(&mut self.metadata)
    }
}

impl fmt::Display for LogAffineTransform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "<LogAffineTransform direction={}{}>",
            self.direction.as_str(),
            self.sides.fmt_fields()
        )
    }
}
