//! `CdlOpData`: the CDL parameters, the style (clamping or not) and the
//! direction.

use crate::enums::{CdlStyle, TransformDirection};
use crate::format_metadata::FormatMetadata;
use crate::transforms::{CdlTransform, Transform};

#[derive(Debug, Clone, PartialEq)]
pub struct CdlOpData {
    pub slope: [f64; 3],
    pub offset: [f64; 3],
    pub power: [f64; 3],
    pub sat: f64,
    /// ASC v1.2 clamps to [0, 1]; NoClamp keeps the range.
    pub style: CdlStyle,
    pub forward: bool,
    pub metadata: FormatMetadata,
}

impl CdlOpData {
    pub fn from_transform(t: &CdlTransform) -> Self {
        CdlOpData {
            slope: t.slope,
            offset: t.offset,
            power: t.power,
            sat: t.sat,
            style: t.style,
            forward: true,
            metadata: t.metadata.clone(),
        }
    }

    pub fn inverse(&self) -> Self {
        CdlOpData {
            forward: !self.forward,
            ..self.clone()
        }
    }

    fn is_identity(&self) -> bool {
        self.slope == [1.0; 3] && self.offset == [0.0; 3] && self.power == [1.0; 3] && self.sat == 1.0
    }

    /// An identity that does not clamp changes nothing.
    pub fn is_noop(&self) -> bool {
        self.is_identity() && self.style == CdlStyle::NoClamp
    }

    /// Saturation mixes channels.
    pub fn has_channel_crosstalk(&self) -> bool {
        self.sat != 1.0
    }

    pub fn to_transform(&self) -> Transform {
        CdlTransform {
            slope: self.slope,
            offset: self.offset,
            power: self.power,
            sat: self.sat,
            style: self.style,
            direction: if self.forward {
                TransformDirection::Forward
            } else {
                TransformDirection::Inverse
            },
            metadata: self.metadata.clone(),
        }
        .into()
    }

    pub fn cache_text(&self) -> String {
        format!(
            "<CDLOp {:?} {:?} {:?} {:e} {:?} {}>",
            self.slope, self.offset, self.power, self.sat, self.style, self.forward
        )
    }
}
