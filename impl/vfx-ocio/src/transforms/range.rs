//! `RangeTransform`: maps [minIn, maxIn] to [minOut, maxOut], clamping or
//! not; each limit may be unset (NaN in OCIO's API).

use std::fmt;

use super::common::{floats_differ, g, wrap_validation};
use super::TransformData;
use crate::enums::{BitDepth, OcioEnum, RangeStyle, TransformDirection, TransformType};
use crate::error::{OcioError, Result};
use crate::format_metadata::FormatMetadata;

#[derive(Debug, Clone, PartialEq)]
pub struct RangeTransform {
    pub min_in: Option<f64>,
    pub max_in: Option<f64>,
    pub min_out: Option<f64>,
    pub max_out: Option<f64>,
    pub style: RangeStyle,
    pub direction: TransformDirection,
    pub file_in_depth: BitDepth,
    pub file_out_depth: BitDepth,
    pub metadata: FormatMetadata,
}

impl Default for RangeTransform {
    fn default() -> Self {
        RangeTransform {
            min_in: None,
            max_in: None,
            min_out: None,
            max_out: None,
            style: RangeStyle::Clamp,
            direction: TransformDirection::Forward,
            file_in_depth: BitDepth::Unknown,
            file_out_depth: BitDepth::Unknown,
            metadata: FormatMetadata::default(),
        }
    }
}

/// OCIO keeps unset limits as NaN: a NaN given by the user unsets it.
pub fn limit(v: f64) -> Option<f64> {
    (!(v as f32).is_nan()).then_some(v)
}

impl RangeTransform {
    pub fn equals(&self, other: &Self) -> bool {
        self.direction == other.direction
            && self.style == other.style
            && self.min_in == other.min_in
            && self.max_in == other.max_in
            && self.min_out == other.min_out
            && self.max_out == other.max_out
    }

    fn check(&self) -> Result<()> {
        let err = |m: &str| Err(OcioError::msg(m));
        if self.min_in.is_some() != self.min_out.is_some() {
            return err("In and out minimum limits must be both set or both missing in Range.");
        }
        if self.max_in.is_none() {
            if self.max_out.is_some() {
                return err("In and out maximum limits must be both set or both missing in Range.");
            }
            if self.min_in.is_none() {
                return err("At least minimum or maximum limits must be set in Range.");
            }
        } else if self.max_out.is_none() {
            return err("In and out maximum limits must be both set or both missing in Range.");
        }
        if let (Some(lo), Some(hi)) = (self.min_in, self.max_in) {
            if lo > hi {
                return err("Range maximum input value is less than minimum input value");
            }
            if self.min_out > self.max_out {
                return err("Range maximum output value is less than minimum output value");
            }
        }
        if let (None, Some(i), Some(o)) = (self.max_in, self.min_in, self.min_out) {
            if floats_differ(o, i) {
                return err("In and out minimum limits must be equal if maximum values are missing in Range.");
            }
        }
        if let (None, Some(i), Some(o)) = (self.min_in, self.max_in, self.max_out) {
            if floats_differ(o, i) {
                return err("In and out maximum limits must be equal if minimum values are missing in Range.");
            }
        }
        if let (Some(lo), Some(hi)) = (self.min_in, self.max_in) {
            if (hi - lo).abs() < 1e-6 {
                return err("Range maxInValue is too close to minInValue");
            }
        }
        if self.style == RangeStyle::NoClamp && (self.min_in.is_none() || self.max_in.is_none()) {
            return err("RangeTransform validation failed: non clamping range must have min and max values defined.");
        }
        Ok(())
    }
}

impl TransformData for RangeTransform {
    const KIND: TransformType = TransformType::Range;
    fn direction(&self) -> TransformDirection {
        self.direction
    }
    fn set_direction(&mut self, dir: TransformDirection) {
        self.direction = dir;
    }
    fn validate(&self) -> Result<()> {
        wrap_validation("RangeTransform", self.check())
    }
    fn format_metadata(&self) -> Option<&FormatMetadata> {
        Some(&self.metadata)
    }
    fn format_metadata_mut(&mut self) -> Option<&mut FormatMetadata> {
        Some(&mut self.metadata)
    }
}

impl fmt::Display for RangeTransform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "<RangeTransform direction={}, fileindepth={}, fileoutdepth={}",
            self.direction.as_str(),
            self.file_in_depth.as_str(),
            self.file_out_depth.as_str()
        )?;
        if self.style != RangeStyle::Clamp {
            write!(f, ", style={}", self.style.as_str())?;
        }
        for (name, v) in [
            ("minInValue", self.min_in),
            ("maxInValue", self.max_in),
            ("minOutValue", self.min_out),
            ("maxOutValue", self.max_out),
        ] {
            if let Some(v) = v {
                write!(f, ", {name}={}", g(v))?;
            }
        }
        write!(f, ">")
    }
}
