//! `ColorSpaceTransform`: from one of the config's colour spaces to another.

use std::fmt;

use super::TransformData;
use crate::enums::{OcioEnum, TransformDirection, TransformType};
use crate::error::{OcioError, Result};

#[derive(Debug, Clone, PartialEq)]
pub struct ColorSpaceTransform {
    pub src: String,
    pub dst: String,
    pub data_bypass: bool,
    pub direction: TransformDirection,
}

impl Default for ColorSpaceTransform {
    fn default() -> Self {
        ColorSpaceTransform {
            src: String::new(),
            dst: String::new(),
            data_bypass: true,
            direction: TransformDirection::Forward,
        }
    }
}

impl TransformData for ColorSpaceTransform {
    const KIND: TransformType = TransformType::ColorSpace;
    fn direction(&self) -> TransformDirection {
        self.direction
    }
    fn set_direction(&mut self, dir: TransformDirection) {
        self.direction = dir;
    }
    fn validate(&self) -> Result<()> {
        if self.src.is_empty() {
            return Err(OcioError::msg("ColorSpaceTransform: empty source color space name."));
        }
        if self.dst.is_empty() {
            return Err(OcioError::msg(
                "ColorSpaceTransform: empty destination color space name.",
            ));
        }
        Ok(())
    }
}

impl fmt::Display for ColorSpaceTransform {
    /// (The reference prints `dataBypass=0` without a separator.)
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "<ColorSpaceTransform direction={}, src={}, dst={}",
            self.direction.as_str(),
            self.src,
            self.dst
        )?;
        if !self.data_bypass {
            write!(f, "dataBypass=0")?;
        }
        write!(f, ">")
    }
}
