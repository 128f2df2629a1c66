//! `ExposureContrastTransform`: exposure, contrast and gamma around a
//! pivot, in linear, video or log style; each of the three may be dynamic
//! (changeable on a processor after it is built).

use std::fmt;

use super::common::g;
use super::TransformData;
use crate::enums::{ExposureContrastStyle, OcioEnum, TransformDirection, TransformType};
use crate::error::Result;
use crate::format_metadata::FormatMetadata;

#[derive(Debug, Clone, PartialEq)]
pub struct ExposureContrastTransform {
    pub style: ExposureContrastStyle,
    pub exposure: f64,
    pub contrast: f64,
    pub gamma: f64,
    pub pivot: f64,
    pub log_exposure_step: f64,
    pub log_mid_gray: f64,
    pub exposure_dynamic: bool,
    pub contrast_dynamic: bool,
    pub gamma_dynamic: bool,
    pub direction: TransformDirection,
    pub metadata: FormatMetadata,
}

impl Default for ExposureContrastTransform {
    fn default() -> Self {
        ExposureContrastTransform {
            style: ExposureContrastStyle::Linear,
            exposure: 0.0,
            contrast: 1.0,
            gamma: 1.0,
            pivot: 0.18,
            log_exposure_step: 0.088,
            log_mid_gray: 0.435,
            exposure_dynamic: false,
            contrast_dynamic: false,
            gamma_dynamic: false,
            direction: TransformDirection::Forward,
            metadata: FormatMetadata::default(),
        }
    }
}

impl ExposureContrastTransform {
    pub fn equals(&self, other: &Self) -> bool {
        let mut a = self.clone();
        a.metadata = other.metadata.clone();
        a == *other
    }
}

impl TransformData for ExposureContrastTransform {
    const KIND: TransformType = TransformType::ExposureContrast;
    fn direction(&self) -> TransformDirection {
        self.direction
    }
    fn set_direction(&mut self, dir: TransformDirection) {
        self.direction = dir;
    }
    /// Every parameter value is accepted.
    fn validate(&self) -> Result<()> {
        Ok(())
    }
    fn format_metadata(&self) -> Option<&FormatMetadata> {
        Some(&self.metadata)
    }
    fn format_metadata_mut(&mut self) -> Option<&mut FormatMetadata> {
        Some(&mut self.metadata)
    }
}

impl fmt::Display for ExposureContrastTransform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "<ExposureContrast direction={}, style={}, exposure={}, contrast={}, gamma={}, pivot={}, \
             logExposureStep={}, logMidGray={}",
            self.direction.as_str(),
            self.style.as_str(),
            g(self.exposure),
            g(self.contrast),
            g(self.gamma),
            g(self.pivot),
            g(self.log_exposure_step),
            g(self.log_mid_gray)
        )?;
        for (on, name) in [
            (self.exposure_dynamic, "exposureDynamic"),
            (self.contrast_dynamic, "contrastDynamic"),
            (self.gamma_dynamic, "gammaDynamic"),
        ] {
            if on {
                write!(f, ", {name}")?;
            }
        }
        write!(f, ">")
    }
}
