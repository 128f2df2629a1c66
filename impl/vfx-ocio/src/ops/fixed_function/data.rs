//! `FixedFunctionOpData`: a style, its parameters and the direction.

use crate::enums::{FixedFunctionStyle, TransformDirection};
use crate::error::{OcioError, Result};
use crate::format_metadata::FormatMetadata;
use crate::transforms::{FixedFunctionTransform, Transform};

#[derive(Debug, Clone, PartialEq)]
pub struct FixedFunctionOpData {
    pub style: FixedFunctionStyle,
    pub params: Vec<f64>,
    pub forward: bool,
    pub metadata: FormatMetadata,
}

/// The styles this engine can render.
pub fn is_rendered(style: FixedFunctionStyle) -> bool {
    use FixedFunctionStyle as S;
    matches!(
        style,
        S::AcesRedMod03 | S::AcesRedMod10 | S::RgbToHsv | S::XyzToXyy | S::XyzToUvy | S::XyzToLuv
    )
}

impl FixedFunctionOpData {
    pub fn from_transform(t: &FixedFunctionTransform) -> Result<Self> {
        if !is_rendered(t.style) {
            return Err(OcioError::NotImplemented(format!(
                "The fixed function '{}' is not implemented yet.",
                crate::enums::OcioEnum::as_str(t.style)
            )));
        }
        Ok(FixedFunctionOpData {
            style: t.style,
            params: t.params.clone(),
            forward: true,
            metadata: t.metadata.clone(),
        })
    }

    pub fn inverse(&self) -> Self {
        FixedFunctionOpData {
            forward: !self.forward,
            ..self.clone()
        }
    }

    /// HSV and the CIE conversions mix channels; the red modifiers too.
    pub fn has_channel_crosstalk(&self) -> bool {
        true
    }

    pub fn to_transform(&self) -> Transform {
        FixedFunctionTransform {
            style: self.style,
            params: self.params.clone(),
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
        format!("<FixedFunctionOp {:?} {:?} {}>", self.style, self.params, self.forward)
    }
}
