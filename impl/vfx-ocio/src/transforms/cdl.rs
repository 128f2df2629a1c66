//! `CDLTransform`: ASC CDL slope/offset/power per channel and saturation.
//! Its id and SOP description live in the metadata tree (the `id`
//! attribute and `SOPDescription` children), as in OCIO.

use std::fmt;

use super::common::{g, join_g, wrap_validation};
use super::TransformData;
use crate::enums::{CdlStyle, OcioEnum, TransformDirection, TransformType};
use crate::error::{OcioError, Result};
use crate::format_metadata::FormatMetadata;

/// Rec.709 luma weights the CDL saturation uses.
pub const SAT_LUMA_COEFS: [f64; 3] = [0.2126, 0.7152, 0.0722];

#[derive(Debug, Clone, PartialEq)]
pub struct CdlTransform {
    pub slope: [f64; 3],
    pub offset: [f64; 3],
    pub power: [f64; 3],
    pub sat: f64,
    pub style: CdlStyle,
    pub direction: TransformDirection,
    pub metadata: FormatMetadata,
}

impl Default for CdlTransform {
    fn default() -> Self {
        CdlTransform {
            slope: [1.0; 3],
            offset: [0.0; 3],
            power: [1.0; 3],
            sat: 1.0,
            style: CdlStyle::NoClamp,
            direction: TransformDirection::Forward,
            metadata: FormatMetadata::default(),
        }
    }
}

fn at_least(name: &str, v: f64, prefix: &str, strict: bool) -> Result<()> {
    let ok = if strict { v > 0.0 } else { v >= 0.0 };
    if !ok {
        return Err(OcioError::msg(format!(
            "{prefix}: Invalid '{name}' {} should be greater than 0.",
            g(v)
        )));
    }
    Ok(())
}

impl CdlTransform {
    pub fn id(&self) -> &str {
        self.metadata.attribute("id")
    }

    pub fn set_id(&mut self, id: &str) {
        self.metadata.set_attribute("id", id);
    }

    /// The first `SOPDescription` child's text.
    pub fn first_sop_description(&self) -> &str {
        self.metadata
            .children
            .iter()
            .find(|c| c.element_name == "SOPDescription")
            .map(|c| c.value.as_str())
            .unwrap_or("")
    }

    /// Replaces the first `SOPDescription` (or adds one).
    pub fn set_first_sop_description(&mut self, text: &str) {
        match self
            .metadata
            .children
            .iter_mut()
            .find(|c| c.element_name == "SOPDescription")
        {
            Some(c) => c.value = text.to_string(),
            None => self.metadata.children.push(FormatMetadata::new("SOPDescription", text)),
        }
    }

    pub fn equals(&self, other: &Self) -> bool {
        self.direction == other.direction
            && self.slope == other.slope
            && self.offset == other.offset
            && self.power == other.power
            && self.sat == other.sat
            && self.style == other.style
    }

    /// ASC v1.2: slope >= 0, power > 0, saturation >= 0.
    fn check(&self) -> Result<()> {
        for v in self.slope {
            at_least("slope", v, "CDL", false)?;
        }
        for v in self.power {
            at_least("power", v, "CDLOpData", true)?;
        }
        at_least("saturation", self.sat, "CDL", false)
    }
}

impl TransformData for CdlTransform {
    const KIND: TransformType = TransformType::Cdl;
    fn direction(&self) -> TransformDirection {
        self.direction
    }
    fn set_direction(&mut self, dir: TransformDirection) {
        self.direction = dir;
    }
    fn validate(&self) -> Result<()> {
        wrap_validation("CDLTransform", self.check())
    }
    fn format_metadata(&self) -> Option<&FormatMetadata> {
        Some(&self.metadata)
    }
    fn format_metadata_mut(&mut self) -> Option<&mut FormatMetadata> {
        Some(&mut self.metadata)
    }
}

impl fmt::Display for CdlTransform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "<CDLTransform direction={}, slope=[{}], offset=[{}], power=[{}], sat={}, style={}>",
            self.direction.as_str(),
            join_g(&self.slope),
            join_g(&self.offset),
            join_g(&self.power),
            g(self.sat),
            self.style.as_str()
        )
    }
}
