//! `BuiltinTransform`: one of OCIO's named builtin transforms (ACES, camera
//! logs, displays...). The registry of styles and descriptions is data
//! dumped from the reference (data/builtin-transforms.tsv); the ops each
//! style stands for are built with the ops.

use std::fmt;

use super::TransformData;
use crate::enums::{OcioEnum, TransformDirection, TransformType};
use crate::error::{OcioError, Result};

static REGISTRY: &str = include_str!("../../data/builtin-transforms.tsv");

/// `(style, description)` for every builtin transform, in registry order.
pub fn registry() -> impl Iterator<Item = (&'static str, &'static str)> {
    REGISTRY.lines().filter_map(|l| l.split_once('\t'))
}

/// The registry's entry for a style (matched without regard to case).
pub fn lookup(style: &str) -> Option<(&'static str, &'static str)> {
    registry().find(|(s, _)| s.eq_ignore_ascii_case(style))
}

/// The first config version that may use a style, for styles added after
/// 2.0 (OCIO refuses them in older configs).
pub fn min_config_version(style: &str) -> Option<(u32, u32)> {
    let is = |s: &str| style.eq_ignore_ascii_case(s);
    let upper = style.to_ascii_uppercase();
    let aces2_output = upper.starts_with("ACES-OUTPUT - ACES2065-1_TO_CIE-XYZ-D65 - ") && upper.ends_with("_2.0");
    if is("ACES-LMT - ACES 1.3 Reference Gamut Compression") {
        Some((2, 1))
    } else if [
        "ARRI_LOGC4_to_ACES2065-1",
        "CURVE - CANON_CLOG2_to_LINEAR",
        "CURVE - CANON_CLOG3_to_LINEAR",
    ]
    .iter()
    .any(|s| is(s))
    {
        Some((2, 2))
    } else if is("DISPLAY - CIE-XYZ-D65_to_DisplayP3") {
        Some((2, 3))
    } else if aces2_output
        || [
            "APPLE_LOG_to_ACES2065-1",
            "CURVE - APPLE_LOG_to_LINEAR",
            "CURVE - HLG-OETF",
            "CURVE - HLG-OETF-INVERSE",
            "DISPLAY - CIE-XYZ-D65_to_DCDM-D65",
            "DISPLAY - CIE-XYZ-D65_to_ST2084-DCDM-D65",
            "DISPLAY - CIE-XYZ-D65_to_DisplayP3-HDR",
        ]
        .iter()
        .any(|s| is(s))
    {
        Some((2, 4))
    } else if upper.ends_with(" - MIRROR NEGS") {
        Some((2, 5))
    } else if is("APPLE_LOG-APPLEWG_to_ACES2065-1") {
        Some((2, 6))
    } else {
        None
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct BuiltinTransform {
    /// The canonical style name.
    pub style: &'static str,
    pub direction: TransformDirection,
}

impl Default for BuiltinTransform {
    fn default() -> Self {
        BuiltinTransform {
            style: "IDENTITY",
            direction: TransformDirection::Forward,
        }
    }
}

impl BuiltinTransform {
    pub fn set_style(&mut self, style: &str) -> Result<()> {
        let (s, _) = lookup(style)
            .ok_or_else(|| OcioError::msg(format!("BuiltinTransform: invalid built-in transform style '{style}'.")))?;
        self.style = s;
        Ok(())
    }

    pub fn description(&self) -> &'static str {
        lookup(self.style).map(|(_, d)| d).unwrap_or("")
    }
}

impl TransformData for BuiltinTransform {
    const KIND: TransformType = TransformType::Builtin;
    fn direction(&self) -> TransformDirection {
        self.direction
    }
    fn set_direction(&mut self, dir: TransformDirection) {
        self.direction = dir;
    }
    /// The style is checked when it is set.
    fn validate(&self) -> Result<()> {
        Ok(())
    }
}

impl fmt::Display for BuiltinTransform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "<BuiltinTransform direction = {}, style = {}>",
            self.direction.as_str(),
            self.style
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_lookup() {
        assert_eq!(registry().count(), 99);
        let mut b = BuiltinTransform::default();
        b.set_style("identity").unwrap();
        assert_eq!(b.style, "IDENTITY");
        assert!(b.set_style("nope").is_err());
    }
}
