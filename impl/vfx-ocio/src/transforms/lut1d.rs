//! `Lut1DTransform`: a per-channel 1D LUT (RGB triples, single precision),
//! optionally indexed by half-float bit patterns.

use std::fmt;

use half::f16;

use super::common::{join_g, wrap_validation};
use super::TransformData;
use crate::enums::{BitDepth, Interpolation, Lut1DHueAdjust, OcioEnum, TransformDirection, TransformType};
use crate::error::{OcioError, Result};
use crate::format_metadata::FormatMetadata;

/// Longest 1D LUT OCIO accepts.
pub const MAX_LENGTH: usize = 1024 * 1024;

#[derive(Debug, Clone, PartialEq)]
pub struct Lut1DTransform {
    /// `length * 3` values, RGB interleaved.
    pub values: Vec<f32>,
    pub input_half_domain: bool,
    pub output_raw_halfs: bool,
    pub hue_adjust: Lut1DHueAdjust,
    pub interpolation: Interpolation,
    pub file_out_depth: BitDepth,
    pub direction: TransformDirection,
    pub metadata: FormatMetadata,
}

impl Default for Lut1DTransform {
    fn default() -> Self {
        Lut1DTransform {
            values: identity(2, false),
            input_half_domain: false,
            output_raw_halfs: false,
            hue_adjust: Lut1DHueAdjust::None,
            interpolation: Interpolation::Default,
            file_out_depth: BitDepth::Unknown,
            direction: TransformDirection::Forward,
            metadata: FormatMetadata::default(),
        }
    }
}

/// The identity LUT of `length` entries: evenly spaced over [0, 1], or
/// each entry's half-float bit pattern as a value in the half domain.
pub fn identity(length: usize, half_domain: bool) -> Vec<f32> {
    let mut v = Vec::with_capacity(length * 3);
    for i in 0..length {
        let x = if half_domain {
            f16::from_bits(i as u16).to_f32()
        } else {
            i as f32 / (length - 1).max(1) as f32
        };
        v.extend([x, x, x]);
    }
    v
}

/// OCIO's limits on a 1D LUT length.
pub fn check_length(length: usize) -> Result<()> {
    if length < 2 {
        return Err(OcioError::msg("LUT 1D length needs to be at least 2."));
    }
    if length > MAX_LENGTH {
        return Err(OcioError::msg(format!(
            "LUT 1D: Length '{length}' must not be greater than 1024x1024 ({MAX_LENGTH})."
        )));
    }
    Ok(())
}

impl Lut1DTransform {
    pub fn with_length(length: usize, half_domain: bool) -> Result<Self> {
        check_length(length)?;
        Ok(Lut1DTransform {
            values: identity(length, half_domain),
            input_half_domain: half_domain,
            ..Default::default()
        })
    }

    pub fn length(&self) -> usize {
        self.values.len() / 3
    }

    /// Resizes to an identity LUT of the new length.
    pub fn set_length(&mut self, length: usize) -> Result<()> {
        check_length(length)?;
        self.values = identity(length, false);
        Ok(())
    }

    pub fn value(&self, index: usize) -> Result<[f32; 3]> {
        if index >= self.length() {
            return Err(OcioError::msg(format!(
                "Lut1DTransform getValue: index ({index}) should be less than the length ({}).",
                self.length()
            )));
        }
        Ok([
            self.values[3 * index],
            self.values[3 * index + 1],
            self.values[3 * index + 2],
        ])
    }

    pub fn set_value(&mut self, index: usize, rgb: [f32; 3]) -> Result<()> {
        if index >= self.length() {
            return Err(OcioError::msg(format!(
                "Lut1DTransform setValue: index ({index}) should be less than the length ({}).",
                self.length()
            )));
        }
        self.values[3 * index..3 * index + 3].copy_from_slice(&rgb);
        Ok(())
    }

    /// Only DW3 is implemented among the hue adjustments.
    pub fn set_hue_adjust(&mut self, h: Lut1DHueAdjust) -> Result<()> {
        if h == Lut1DHueAdjust::Wypn {
            return Err(OcioError::msg("1D LUT HUE_WYPN hue adjust style is not implemented."));
        }
        self.hue_adjust = h;
        Ok(())
    }

    /// Values, direction, domain and hue adjustment (not interpolation,
    /// bit depth or metadata), as OCIO compares them.
    pub fn equals(&self, o: &Self) -> bool {
        self.direction == o.direction
            && self.values == o.values
            && self.input_half_domain == o.input_half_domain
            && self.output_raw_halfs == o.output_raw_halfs
            && self.hue_adjust == o.hue_adjust
    }
}

/// Per-channel minimum and maximum of RGB triples (OCIO prints them).
pub fn min_max(values: &[f32]) -> ([f64; 3], [f64; 3]) {
    let mut lo = [f32::MAX as f64; 3];
    let mut hi = [-(f32::MAX as f64); 3];
    for px in values.chunks_exact(3) {
        for c in 0..3 {
            lo[c] = lo[c].min(px[c] as f64);
            hi[c] = hi[c].max(px[c] as f64);
        }
    }
    (lo, hi)
}

impl TransformData for Lut1DTransform {
    const KIND: TransformType = TransformType::Lut1D;
    fn direction(&self) -> TransformDirection {
        self.direction
    }
    fn set_direction(&mut self, dir: TransformDirection) {
        self.direction = dir;
    }
    fn validate(&self) -> Result<()> {
        let ok = matches!(
            self.interpolation,
            Interpolation::Nearest | Interpolation::Linear | Interpolation::Default | Interpolation::Best
        );
        let r = if ok {
            Ok(())
        } else {
            Err(OcioError::msg(format!(
                "1D LUT does not support interpolation algorithm: {}.",
                self.interpolation.as_str()
            )))
        };
        wrap_validation("Lut1DTransform", r)
    }
    fn format_metadata(&self) -> Option<&FormatMetadata> {
        Some(&self.metadata)
    }
    fn format_metadata_mut(&mut self) -> Option<&mut FormatMetadata> {
        Some(&mut self.metadata)
    }
}

impl fmt::Display for Lut1DTransform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (lo, hi) = min_max(&self.values);
        write!(
            f,
            "<Lut1DTransform direction={}, fileoutdepth={}, interpolation={}, inputhalf={}, outputrawhalf={}, \
             hueadjust={}, length={}, minrgb=[{}], maxrgb=[{}]>",
            self.direction.as_str(),
            self.file_out_depth.as_str(),
            self.interpolation.as_str(),
            self.input_half_domain as u8,
            self.output_raw_halfs as u8,
            self.hue_adjust.value(),
            self.length(),
            join_g(&lo),
            join_g(&hi)
        )
    }
}
