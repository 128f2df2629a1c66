//! `FixedFunctionTransform`: a named function (ACES pieces, colour models,
//! PQ, camera curves...) with the parameters some of them take.

use std::fmt;

use super::common::{g, join_g, wrap_validation};
use super::exponent::check_bounds;
use super::TransformData;
use crate::enums::{FixedFunctionStyle as S, OcioEnum, TransformDirection, TransformType};
use crate::error::{OcioError, Result};
use crate::format_metadata::FormatMetadata;

#[derive(Debug, Clone, PartialEq)]
pub struct FixedFunctionTransform {
    pub style: S,
    pub params: Vec<f64>,
    pub direction: TransformDirection,
    pub metadata: FormatMetadata,
}

/// The two styles OCIO declares but never implemented.
pub fn check_implemented(style: S) -> Result<()> {
    if matches!(style, S::AcesGamutMap02 | S::AcesGamutMap07) {
        return Err(OcioError::msg(
            "Unimplemented fixed function types: FIXED_FUNCTION_ACES_GAMUTMAP_02, FIXED_FUNCTION_ACES_GAMUTMAP_07.",
        ));
    }
    Ok(())
}

/// How OCIO names a style with its direction in messages.
fn detailed_name(style: S, dir: TransformDirection) -> String {
    let d = match dir {
        TransformDirection::Forward => "Forward",
        TransformDirection::Inverse => "Inverse",
    };
    let directed = |base: &str| format!("{base} ({d})");
    match style {
        S::AcesRedMod03 | S::AcesRedMod10 | S::AcesGlow03 | S::AcesGlow10 | S::AcesDarkToDim10 => {
            directed(style.as_str())
        }
        S::Rec2100Surround | S::AcesGamutComp13 => directed(style.as_str()),
        S::AcesOutputTransform20 => directed("ACES_OutputTransform20"),
        S::AcesTonescaleCompress20 => directed("ACES_ToneScaleCompress20"),
        S::AcesGamutCompress20 => directed("ACES_GamutCompress20"),
        S::AcesRgbToJmh20 => "RGB_TO_JMh_20".into(),
        S::AcesRgbToHmj20 => "RGB_TO_HMJ_20".into(),
        _ => style.as_str().into(),
    }
}

fn in_range(name: &str, v: f64, lo: f64, hi: f64) -> Result<()> {
    if v < lo || v > hi {
        return Err(OcioError::msg(format!(
            "Parameter {} ({name}) is outside valid range [{},{}]",
            g(v),
            g(lo),
            g(hi)
        )));
    }
    Ok(())
}

fn whole(name: &str, v: f64) -> Result<()> {
    if v.floor() != v {
        return Err(OcioError::msg(format!(
            "Parameter {} ({name}) cannot include any fractional component",
            g(v)
        )));
    }
    Ok(())
}

fn peak_luminance(p: &[f64]) -> Result<()> {
    in_range("peak_luminance", p[0], 1.0, 10000.0)?;
    whole("peak_luminance", p[0])
}

impl FixedFunctionTransform {
    pub fn new(style: S, params: Vec<f64>) -> Result<Self> {
        check_implemented(style)?;
        Ok(FixedFunctionTransform {
            style,
            params,
            direction: TransformDirection::Forward,
            metadata: FormatMetadata::default(),
        })
    }

    pub fn set_style(&mut self, style: S) -> Result<()> {
        check_implemented(style)?;
        self.style = style;
        Ok(())
    }

    pub fn equals(&self, other: &Self) -> bool {
        self.direction == other.direction && self.style == other.style && self.params == other.params
    }

    /// The parameter rules of the style (without the class prefix).
    pub fn check_params(&self) -> Result<()> {
        let p = &self.params;
        let count = |n: usize, word: &str| -> Result<()> {
            if p.len() != n {
                return Err(OcioError::msg(format!(
                    "The style '{}' must have {word} but {} found.",
                    detailed_name(self.style, self.direction),
                    p.len()
                )));
            }
            Ok(())
        };
        match self.style {
            S::AcesGamutComp13 => {
                count(7, "seven parameters")?;
                for (i, name) in ["lim_cyan", "lim_magenta", "lim_yellow"].iter().enumerate() {
                    in_range(name, p[i], 1.001, 65504.0)?;
                }
                for (i, name) in ["thr_cyan", "thr_magenta", "thr_yellow"].iter().enumerate() {
                    in_range(name, p[3 + i], 0.0, 0.9995)?;
                }
                in_range("power", p[6], 1.0, 65504.0)
            }
            S::AcesOutputTransform20 | S::AcesGamutCompress20 => {
                count(9, "9 parameters")?;
                peak_luminance(p)
            }
            S::AcesRgbToJmh20 | S::AcesRgbToHmj20 => count(8, "8 parameters"),
            S::AcesTonescaleCompress20 => {
                count(1, "1 parameters")?;
                peak_luminance(p)
            }
            S::Rec2100Surround => {
                count(1, "one parameter")?;
                check_bounds(p[0], 0.01, 100.0)
            }
            S::LinToDoubleLog => {
                count(13, "13 parameters")?;
                if p[0] <= 0.0 {
                    return Err(OcioError::msg(format!(
                        "Log base {} is not greater than zero.",
                        g(p[0])
                    )));
                }
                if p[1] > p[2] {
                    return Err(OcioError::msg(format!(
                        "First break point {} is larger than the second break point {}.",
                        g(p[1]),
                        g(p[2])
                    )));
                }
                Ok(())
            }
            S::LinToGammaLog => {
                count(10, "10 parameters")?;
                if p[5] <= 0.0 {
                    return Err(OcioError::msg(format!(
                        "Log base {} is not greater than zero.",
                        g(p[5])
                    )));
                }
                if p[0] >= p[1] {
                    return Err(OcioError::msg(format!(
                        "Mirror point {} is not smaller than the break point {}.",
                        g(p[0]),
                        g(p[1])
                    )));
                }
                if p[2] == 0.0 {
                    return Err(OcioError::msg("Gamma power is zero."));
                }
                Ok(())
            }
            _ => count(0, "zero parameters"),
        }
    }
}

impl TransformData for FixedFunctionTransform {
    const KIND: TransformType = TransformType::FixedFunction;
    fn direction(&self) -> TransformDirection {
        self.direction
    }
    fn set_direction(&mut self, dir: TransformDirection) {
        self.direction = dir;
    }
    fn validate(&self) -> Result<()> {
        wrap_validation("FixedFunctionTransform", self.check_params())
    }
    fn format_metadata(&self) -> Option<&FormatMetadata> {
        Some(&self.metadata)
    }
    fn format_metadata_mut(&mut self) -> Option<&mut FormatMetadata> {
        Some(&mut self.metadata)
    }
}

impl fmt::Display for FixedFunctionTransform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "<FixedFunction direction={}, style={}",
            self.direction.as_str(),
            self.style.as_str()
        )?;
        if !self.params.is_empty() {
            write!(f, ", params=[{}]", join_g(&self.params))?;
        }
        write!(f, ">")
    }
}
