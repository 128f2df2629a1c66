//! `LookTransform`: applies the config's looks between two colour spaces.

use std::fmt;

use super::TransformData;
use crate::enums::{OcioEnum, TransformDirection, TransformType};
use crate::error::{OcioError, Result};

#[derive(Debug, Clone, PartialEq, Default)]
pub struct LookTransform {
    pub src: String,
    pub dst: String,
    pub looks: String,
    pub skip_colorspace_conversion: bool,
    pub direction: TransformDirection,
}

impl TransformData for LookTransform {
    const KIND: TransformType = TransformType::Look;
    fn direction(&self) -> TransformDirection {
        self.direction
    }
    fn set_direction(&mut self, dir: TransformDirection) {
        self.direction = dir;
    }
    fn validate(&self) -> Result<()> {
        if self.src.is_empty() {
            return Err(OcioError::msg("LookTransform: empty source color space name."));
        }
        if self.dst.is_empty() {
            return Err(OcioError::msg("LookTransform: empty destination color space name."));
        }
        Ok(())
    }
}

impl fmt::Display for LookTransform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "<LookTransform direction={}, src={}, dst={}, looks={}",
            self.direction.as_str(),
            self.src,
            self.dst,
            self.looks
        )?;
        if self.skip_colorspace_conversion {
            write!(f, ", skipCSConversion")?;
        }
        write!(f, ">")
    }
}
