//! `GradingRGBCurveTransform` and `GradingHueCurveTransform`: curve grades
//! in a style, possibly dynamic, with per-point slopes.

use std::fmt;

use super::common::wrap_validation;
use super::TransformData;
use crate::enums::{GradingStyle, HsyTransformStyle, OcioEnum, TransformDirection, TransformType};
use crate::error::{OcioError, Result};
use crate::format_metadata::FormatMetadata;
use crate::grading::{BSplineCurve, HueCurve, RgbCurve};

/// A curve's slope at a point, with OCIO's bounds message.
pub fn slope_of(c: &BSplineCurve, index: usize) -> Result<f32> {
    c.slopes.get(index).copied().ok_or_else(|| out_of_bounds(c, index))
}

pub fn set_slope(c: &mut BSplineCurve, index: usize, slope: f32) -> Result<()> {
    let e = out_of_bounds(c, index);
    *c.slopes.get_mut(index).ok_or(e)? = slope;
    Ok(())
}

fn out_of_bounds(c: &BSplineCurve, index: usize) -> OcioError {
    OcioError::msg(format!(
        "There are '{}' control points. '{index}' is out of bounds.",
        c.points.len()
    ))
}

#[derive(Debug, Clone, PartialEq)]
pub struct GradingRgbCurveTransform {
    pub style: GradingStyle,
    pub values: RgbCurve,
    pub dynamic: bool,
    pub bypass_lin_to_log: bool,
    pub direction: TransformDirection,
    pub metadata: FormatMetadata,
}

impl GradingRgbCurveTransform {
    pub fn new(style: GradingStyle) -> Self {
        GradingRgbCurveTransform {
            style,
            values: RgbCurve::new(style),
            dynamic: false,
            bypass_lin_to_log: false,
            direction: TransformDirection::Forward,
            metadata: FormatMetadata::default(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct GradingHueCurveTransform {
    pub style: GradingStyle,
    pub values: HueCurve,
    pub dynamic: bool,
    pub rgb_to_hsy: HsyTransformStyle,
    pub direction: TransformDirection,
    pub metadata: FormatMetadata,
}

impl GradingHueCurveTransform {
    pub fn new(style: GradingStyle) -> Self {
        GradingHueCurveTransform {
            style,
            values: HueCurve::new(style),
            dynamic: false,
            rgb_to_hsy: HsyTransformStyle::Hsy1,
            direction: TransformDirection::Forward,
            metadata: FormatMetadata::default(),
        }
    }
}

macro_rules! curve_transform_data {
    ($ty:ty, $kind:ident, $class:literal) => {
        impl TransformData for $ty {
            const KIND: TransformType = TransformType::$kind;
            fn direction(&self) -> TransformDirection {
                self.direction
            }
            fn set_direction(&mut self, dir: TransformDirection) {
                self.direction = dir;
            }
            fn validate(&self) -> Result<()> {
                wrap_validation($class, self.values.validate())
            }
            fn format_metadata(&self) -> Option<&FormatMetadata> {
                Some(&self.metadata)
            }
            fn format_metadata_mut(&mut self) -> Option<&mut FormatMetadata> {
                Some(&mut self.metadata)
            }
        }
    };
}

curve_transform_data!(GradingRgbCurveTransform, GradingRgbCurve, "GradingRGBCurveTransform");
curve_transform_data!(GradingHueCurveTransform, GradingHueCurve, "GradingHueCurveTransform");

impl fmt::Display for GradingRgbCurveTransform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "<GradingRGBCurveTransform direction={}, style={}, values={}",
            self.direction.as_str(),
            self.style.as_str(),
            self.values
        )?;
        if self.bypass_lin_to_log {
            write!(f, ", bypass_lintolog")?;
        }
        if self.dynamic {
            write!(f, ", dynamic")?;
        }
        write!(f, ">")
    }
}

impl fmt::Display for GradingHueCurveTransform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "<GradingHueCurveTransform direction={}, style={}, values={}",
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
