//! `DisplayViewTransform`: from a colour space through a display's view.

use std::fmt;

use super::TransformData;
use crate::enums::{OcioEnum, TransformDirection, TransformType};
use crate::error::{OcioError, Result};

#[derive(Debug, Clone, PartialEq)]
pub struct DisplayViewTransform {
    pub src: String,
    pub display: String,
    pub view: String,
    pub looks_bypass: bool,
    pub data_bypass: bool,
    pub direction: TransformDirection,
}

impl Default for DisplayViewTransform {
    fn default() -> Self {
        DisplayViewTransform {
            src: String::new(),
            display: String::new(),
            view: String::new(),
            looks_bypass: false,
            data_bypass: true,
            direction: TransformDirection::Forward,
        }
    }
}

impl TransformData for DisplayViewTransform {
    const KIND: TransformType = TransformType::DisplayView;
    fn direction(&self) -> TransformDirection {
        self.direction
    }
    fn set_direction(&mut self, dir: TransformDirection) {
        self.direction = dir;
    }
    fn validate(&self) -> Result<()> {
        if self.src.is_empty() {
            return Err(OcioError::msg("DisplayViewTransform: empty source color space name."));
        }
        if self.display.is_empty() {
            return Err(OcioError::msg("DisplayViewTransform: empty display name."));
        }
        if self.view.is_empty() {
            return Err(OcioError::msg("DisplayViewTransform: empty view name."));
        }
        Ok(())
    }
}

impl fmt::Display for DisplayViewTransform {
    /// (The reference prints an empty field before the optional flags.)
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "<DisplayViewTransform direction={}, src={}, display={}, view={}, ",
            self.direction.as_str(),
            self.src,
            self.display,
            self.view
        )?;
        if self.looks_bypass {
            write!(f, ", looksBypass=1")?;
        }
        if !self.data_bypass {
            write!(f, ", dataBypass=0")?;
        }
        write!(f, ">")
    }
}
