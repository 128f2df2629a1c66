//! `LogOpData`: a base and per-channel log/lin slopes and offsets; camera
//! curves add a linear-side break (and optionally the linear slope).

use crate::enums::TransformDirection;
use crate::format_metadata::FormatMetadata;
use crate::transforms::log_affine::LogSides;
use crate::transforms::{LogAffineTransform, LogCameraTransform, LogTransform, Transform};

#[derive(Debug, Clone, PartialEq)]
pub struct LogOpData {
    pub sides: LogSides,
    /// Camera curves only.
    pub lin_side_break: Option<[f64; 3]>,
    pub linear_slope: Option<[f64; 3]>,
    /// Forward is lin to log.
    pub forward: bool,
    pub metadata: FormatMetadata,
}

fn identity_sides(base: f64) -> LogSides {
    LogSides {
        base,
        log_side_slope: [1.0; 3],
        log_side_offset: [0.0; 3],
        lin_side_slope: [1.0; 3],
        lin_side_offset: [0.0; 3],
    }
}

impl LogOpData {
    pub fn from_log(t: &LogTransform) -> Self {
        LogOpData {
            sides: identity_sides(t.base),
            lin_side_break: None,
            linear_slope: None,
            forward: true,
            metadata: t.metadata.clone(),
        }
    }

    pub fn from_affine(t: &LogAffineTransform) -> Self {
        LogOpData {
            sides: t.sides.clone(),
            lin_side_break: None,
            linear_slope: None,
            forward: true,
            metadata: t.metadata.clone(),
        }
    }

    pub fn from_camera(t: &LogCameraTransform) -> Self {
        LogOpData {
            sides: t.sides.clone(),
            lin_side_break: Some(t.lin_side_break),
            linear_slope: t.linear_slope,
            forward: true,
            metadata: t.metadata.clone(),
        }
    }

    pub fn inverse(&self) -> Self {
        LogOpData {
            forward: !self.forward,
            ..self.clone()
        }
    }

    /// Same parameters in every channel, all of them the identity's: a
    /// plain logarithm of the base.
    pub fn is_simple(&self) -> bool {
        self.lin_side_break.is_none() && self.sides == identity_sides(self.sides.base)
    }

    /// The op as a transform: camera, plain or affine, as OCIO chooses.
    pub fn to_transform(&self) -> Transform {
        let direction = if self.forward {
            TransformDirection::Forward
        } else {
            TransformDirection::Inverse
        };
        let metadata = self.metadata.clone();
        if let Some(lin_side_break) = self.lin_side_break {
            return LogCameraTransform {
                sides: self.sides.clone(),
                lin_side_break,
                linear_slope: self.linear_slope,
                direction,
                metadata,
            }
            .into();
        }
        if self.is_simple() {
            return LogTransform {
                base: self.sides.base,
                direction,
                metadata,
            }
            .into();
        }
        LogAffineTransform {
            sides: self.sides.clone(),
            direction,
            metadata,
        }
        .into()
    }

    pub fn cache_text(&self) -> String {
        format!(
            "<LogOp {:?} {:?} {:?} {}>",
            self.sides, self.lin_side_break, self.linear_slope, self.forward
        )
    }
}
