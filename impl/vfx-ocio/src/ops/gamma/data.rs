//! `GammaOpData`: per-channel gamma (and, for monitor curves, offset)
//! parameters with a style saying how negatives are handled and the
//! direction.

use crate::enums::{NegativeStyle, TransformDirection};
use crate::format_metadata::FormatMetadata;
use crate::transforms::{ExponentTransform, ExponentWithLinearTransform, Transform};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GammaStyle {
    /// `pow(max(0, x), g)`.
    Basic,
    /// `sign(x) * pow(|x|, g)`.
    BasicMirror,
    /// Negatives unchanged.
    BasicPassThru,
    /// Power curve with a linear segment near zero.
    Moncurve,
    /// The monitor curve mirrored for negatives.
    MoncurveMirror,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GammaOpData {
    pub style: GammaStyle,
    /// False for the inverse curve.
    pub forward: bool,
    /// Per channel (RGBA): gamma, then offset for monitor curves.
    pub gamma: [f64; 4],
    pub offset: [f64; 4],
    pub metadata: FormatMetadata,
}

impl GammaOpData {
    pub fn from_exponent(t: &ExponentTransform) -> Self {
        let style = match t.negative_style {
            NegativeStyle::Mirror => GammaStyle::BasicMirror,
            NegativeStyle::PassThru => GammaStyle::BasicPassThru,
            _ => GammaStyle::Basic,
        };
        GammaOpData {
            style,
            forward: true,
            gamma: t.value,
            offset: [0.0; 4],
            metadata: t.metadata.clone(),
        }
    }

    pub fn from_exponent_with_linear(t: &ExponentWithLinearTransform) -> Self {
        let style = match t.negative_style {
            NegativeStyle::Mirror => GammaStyle::MoncurveMirror,
            _ => GammaStyle::Moncurve,
        };
        GammaOpData {
            style,
            forward: true,
            gamma: t.gamma,
            offset: t.offset,
            metadata: t.metadata.clone(),
        }
    }

    pub fn inverse(&self) -> Self {
        GammaOpData {
            forward: !self.forward,
            ..self.clone()
        }
    }

    fn is_basic(&self) -> bool {
        matches!(
            self.style,
            GammaStyle::Basic | GammaStyle::BasicMirror | GammaStyle::BasicPassThru
        )
    }

    /// A basic curve of exponent 1 that keeps negatives (mirror or
    /// pass-through) changes nothing.
    pub fn is_noop(&self) -> bool {
        self.is_basic() && self.style != GammaStyle::Basic && self.gamma == [1.0; 4]
    }

    /// The op as the transform it came from.
    pub fn to_transform(&self) -> Transform {
        let direction = if self.forward {
            TransformDirection::Forward
        } else {
            TransformDirection::Inverse
        };
        match self.style {
            GammaStyle::Basic | GammaStyle::BasicMirror | GammaStyle::BasicPassThru => ExponentTransform {
                value: self.gamma,
                negative_style: match self.style {
                    GammaStyle::BasicMirror => NegativeStyle::Mirror,
                    GammaStyle::BasicPassThru => NegativeStyle::PassThru,
                    _ => NegativeStyle::Clamp,
                },
                direction,
                metadata: self.metadata.clone(),
            }
            .into(),
            GammaStyle::Moncurve | GammaStyle::MoncurveMirror => ExponentWithLinearTransform {
                gamma: self.gamma,
                offset: self.offset,
                negative_style: if self.style == GammaStyle::MoncurveMirror {
                    NegativeStyle::Mirror
                } else {
                    NegativeStyle::Linear
                },
                direction,
                metadata: self.metadata.clone(),
            }
            .into(),
        }
    }

    pub fn cache_text(&self) -> String {
        let v: Vec<String> = self
            .gamma
            .iter()
            .chain(self.offset.iter())
            .map(|x| format!("{x:e}"))
            .collect();
        format!("<GammaOp {:?} {} {}>", self.style, self.forward, v.join(" "))
    }
}
