//! `FileTransform`: a LUT or transform file, found on the config's search
//! path when the processor is built.

use std::fmt;

use super::TransformData;
use crate::enums::{CdlStyle, Interpolation, OcioEnum, TransformDirection, TransformType};
use crate::error::{OcioError, Result};

#[derive(Debug, Clone, PartialEq)]
pub struct FileTransform {
    pub src: String,
    pub ccc_id: String,
    pub interpolation: Interpolation,
    pub cdl_style: CdlStyle,
    pub direction: TransformDirection,
}

impl Default for FileTransform {
    fn default() -> Self {
        FileTransform {
            src: String::new(),
            ccc_id: String::new(),
            interpolation: Interpolation::Default,
            cdl_style: CdlStyle::NoClamp,
            direction: TransformDirection::Forward,
        }
    }
}

impl TransformData for FileTransform {
    const KIND: TransformType = TransformType::File;
    fn direction(&self) -> TransformDirection {
        self.direction
    }
    fn set_direction(&mut self, dir: TransformDirection) {
        self.direction = dir;
    }
    fn validate(&self) -> Result<()> {
        if self.src.is_empty() {
            return Err(OcioError::msg("FileTransform: empty file path"));
        }
        Ok(())
    }
}

impl fmt::Display for FileTransform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "<FileTransform direction={}, interpolation={}, src={}",
            self.direction.as_str(),
            self.interpolation.as_str(),
            self.src
        )?;
        if !self.ccc_id.is_empty() {
            write!(f, ", cccid={}", self.ccc_id)?;
        }
        if self.cdl_style != CdlStyle::NoClamp {
            write!(f, ", cdl_style={}", self.cdl_style.as_str())?;
        }
        write!(f, ">")
    }
}
