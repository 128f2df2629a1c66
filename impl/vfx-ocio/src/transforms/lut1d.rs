//! `Lut1DTransform`: a 1D LUT of RGB triples, on a [0, 1] domain or on the
//! half-float domain (one entry per 16-bit half code).

use std::fmt;

use super::{validate_direction, TransformData};
use crate::enums::{BitDepth, Interpolation, Lut1DHueAdjust, OcioEnum, TransformDirection, TransformType};
use crate::error::{OcioError, Result};
use crate::format_metadata::FormatMetadata;
use crate::grading::fmt_g;

/// Largest LUT length OCIO accepts.
pub const MAX_LENGTH: u64 = 1024 * 1024;
/// Entries a half-domain LUT must have (one per half code).
pub const HALF_DOMAIN_LENGTH: usize = 65536;

#[derive(Debug, Clone, PartialEq)]
pub struct Lut1DTransform {
    /// Three values (r, g, b) per entry.
    values: Vec<f32>,
    pub input_half_domain: bool,
    pub output_raw_halfs: bool,
    hue_adjust: Lut1DHueAdjust,
    pub interpolation: Interpolation,
    pub direction: TransformDirection,
    pub file_output_bit_depth: BitDepth,
    pub metadata: FormatMetadata,
}

impl Default for Lut1DTransform {
    /// A two-entry identity LUT.
    fn default() -> Self {
        Lut1DTransform::new(2, false).expect("2 is a valid length")
    }
}

/// The float value of a half-float bit pattern.
pub fn half_to_f32(bits: u16) -> f32 {
    let sign = u32::from(bits >> 15) << 31;
    let exp = u32::from((bits >> 10) & 0x1f);
    let mant = u32::from(bits & 0x3ff);
    let magnitude = match (exp, mant) {
        (0, 0) => 0,
        // Subnormal: mant * 2^-24, exact in f32.
        (0, m) => (m as f32 * f32::powi(2.0, -24)).to_bits(),
        (0x1f, 0) => 0x7f80_0000,
        (0x1f, m) => 0x7f80_0000 | (m << 13),
        (e, m) => ((e + 127 - 15) << 23) | (m << 13),
    };
    f32::from_bits(sign | magnitude)
}

/// OCIO's length checks, then the identity values: `i / (length - 1)`, or
/// the value of half code `i` on the half domain.
fn identity(length: u64, half_domain: bool) -> Result<Vec<f32>> {
    if length < 2 {
        return Err(OcioError::msg("LUT 1D length needs to be at least 2."));
    }
    if length > MAX_LENGTH {
        return Err(OcioError::msg(format!(
            "LUT 1D: Length '{length}' must not be greater than 1024x1024 ({MAX_LENGTH})."
        )));
    }
    let n = length as usize;
    let step = 1.0f32 / (n as f32 - 1.0);
    let mut v = Vec::with_capacity(3 * n);
    for i in 0..n {
        let x = if half_domain {
            half_to_f32(i as u16)
        } else {
            i as f32 * step
        };
        v.extend_from_slice(&[x, x, x]);
    }
    Ok(v)
}

/// `std::min` / `std::max` as OCIO uses them (a NaN argument never wins).
fn cmin(a: f32, b: f32) -> f32 {
    if b < a {
        b
    } else {
        a
    }
}
fn cmax(a: f32, b: f32) -> f32 {
    if a < b {
        b
    } else {
        a
    }
}

/// `minrgb=[..], maxrgb=[..]` over RGB triples, as the LUT transforms print them.
pub(crate) fn fmt_range(values: &[f32]) -> String {
    let mut lo = [f32::MAX; 3];
    let mut hi = [-f32::MAX; 3];
    for rgb in values.chunks_exact(3) {
        for c in 0..3 {
            lo[c] = cmin(lo[c], rgb[c]);
            hi[c] = cmax(hi[c], rgb[c]);
        }
    }
    let p = |v: [f32; 3]| v.map(|x| fmt_g(x.into())).join(", ");
    format!("minrgb=[{}], maxrgb=[{}]", p(lo), p(hi))
}

impl Lut1DTransform {
    /// An identity LUT of `length` entries (at least 2, at most 1024x1024).
    pub fn new(length: u64, input_half_domain: bool) -> Result<Self> {
        Ok(Lut1DTransform {
            values: identity(length, input_half_domain)?,
            input_half_domain,
            output_raw_halfs: false,
            hue_adjust: Lut1DHueAdjust::None,
            interpolation: Interpolation::Default,
            direction: TransformDirection::Forward,
            file_output_bit_depth: BitDepth::Unknown,
            metadata: FormatMetadata::default(),
        })
    }

    pub fn length(&self) -> usize {
        self.values.len() / 3
    }

    /// Resizes the LUT; its values become an identity again (for the
    /// current domain).
    pub fn set_length(&mut self, length: u64) -> Result<()> {
        self.values = identity(length, self.input_half_domain)?;
        Ok(())
    }

    fn check_index(&self, function: &str, index: u64) -> Result<usize> {
        let n = self.length() as u64;
        if index >= n {
            return Err(OcioError::msg(format!(
                "Lut1DTransform {function}: index ({index}) should be less than the length ({n})."
            )));
        }
        Ok(index as usize)
    }

    pub fn value(&self, index: u64) -> Result<[f32; 3]> {
        let i = 3 * self.check_index("getValue", index)?;
        Ok([self.values[i], self.values[i + 1], self.values[i + 2]])
    }

    pub fn set_value(&mut self, index: u64, rgb: [f32; 3]) -> Result<()> {
        let i = 3 * self.check_index("setValue", index)?;
        self.values[i..i + 3].copy_from_slice(&rgb);
        Ok(())
    }

    /// All values, three per entry.
    pub fn values(&self) -> &[f32] {
        &self.values
    }

    /// Replaces the LUT by `data` (three values per entry; a trailing
    /// partial entry is ignored).
    pub fn set_values(&mut self, data: &[f32]) -> Result<()> {
        self.set_length((data.len() / 3) as u64)?;
        let n = self.values.len();
        self.values.copy_from_slice(&data[..n]);
        Ok(())
    }

    pub fn hue_adjust(&self) -> Lut1DHueAdjust {
        self.hue_adjust
    }

    /// `HUE_WYPN` is declared by OCIO but not implemented: refused.
    pub fn set_hue_adjust(&mut self, algo: Lut1DHueAdjust) -> Result<()> {
        if algo == Lut1DHueAdjust::Wypn {
            return Err(OcioError::msg("1D LUT HUE_WYPN hue adjust style is not implemented."));
        }
        self.hue_adjust = algo;
        Ok(())
    }

    /// OCIO's `equals`: direction, domain flags, hue adjust and the values
    /// (exactly); interpolation (always linear in practice), file depth and
    /// metadata do not count.
    pub fn equals(&self, other: &Self) -> bool {
        self.direction == other.direction
            && self.input_half_domain == other.input_half_domain
            && self.output_raw_halfs == other.output_raw_halfs
            && self.hue_adjust == other.hue_adjust
            && self.values == other.values
    }
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
        let check = || -> Result<()> {
            validate_direction(self.direction)?;
            if self.hue_adjust == Lut1DHueAdjust::Wypn {
                return Err(OcioError::msg("1D LUT HUE_WYPN hue adjust style is not implemented."));
            }
            if !matches!(
                self.interpolation,
                Interpolation::Best | Interpolation::Default | Interpolation::Linear | Interpolation::Nearest
            ) {
                return Err(OcioError::msg(format!(
                    "1D LUT does not support interpolation algorithm: {}.",
                    self.interpolation.as_str()
                )));
            }
            if self.input_half_domain && self.length() != HALF_DOMAIN_LENGTH {
                return Err(OcioError::msg(format!(
                    "1D LUT: {} entries found, {HALF_DOMAIN_LENGTH} required for halfDomain 1D LUT.",
                    self.length()
                )));
            }
            Ok(())
        };
        check().map_err(|e| OcioError::msg(format!("Lut1DTransform validation failed: {e}")))
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
        write!(
            f,
            "<Lut1DTransform direction={}, fileoutdepth={}, interpolation={}, inputhalf={}, outputrawhalf={}, \
             hueadjust={}, length={}, ",
            self.direction.as_str(),
            self.file_output_bit_depth.as_str(),
            self.interpolation.as_str(),
            u8::from(self.input_half_domain),
            u8::from(self.output_raw_halfs),
            self.hue_adjust.value(),
            self.length()
        )?;
        if self.length() > 0 {
            write!(f, "{}", fmt_range(&self.values))?;
        }
        write!(f, ">")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn halves_decode() {
        assert_eq!(half_to_f32(0x3c00), 1.0);
        assert_eq!(half_to_f32(0xc000), -2.0);
        assert_eq!(half_to_f32(0x7c00), f32::INFINITY);
        assert!(half_to_f32(0x7c01).is_nan());
        assert_eq!(half_to_f32(1), f32::powi(2.0, -24));
        assert_eq!(half_to_f32(0x8000).to_bits(), (-0.0f32).to_bits());
        assert_eq!(half_to_f32(0x7bff), 65504.0);
    }

    #[test]
    fn identity_and_limits() {
        let t = Lut1DTransform::new(3, false).unwrap();
        assert_eq!(t.value(1).unwrap(), [0.5; 3]);
        assert_eq!(
            t.value(3).unwrap_err().to_string(),
            "Lut1DTransform getValue: index (3) should be less than the length (3)."
        );
        assert_eq!(
            Lut1DTransform::new(1, false).unwrap_err().to_string(),
            "LUT 1D length needs to be at least 2."
        );
        assert_eq!(
            Lut1DTransform::new(1048577, false).unwrap_err().to_string(),
            "LUT 1D: Length '1048577' must not be greater than 1024x1024 (1048576)."
        );
        let h = Lut1DTransform::new(5, true).unwrap();
        assert_eq!(
            h.to_string(),
            "<Lut1DTransform direction=forward, fileoutdepth=unknown, interpolation=default, inputhalf=1, \
             outputrawhalf=0, hueadjust=0, length=5, minrgb=[0, 0, 0], maxrgb=[2.38419e-07, 2.38419e-07, 2.38419e-07]>"
        );
        assert_eq!(
            h.validate().unwrap_err().to_string(),
            "Lut1DTransform validation failed: 1D LUT: 5 entries found, 65536 required for halfDomain 1D LUT."
        );
        let full = Lut1DTransform::new(65536, true).unwrap();
        assert!(full.validate().is_ok());
        assert!(full
            .to_string()
            .ends_with("minrgb=[-inf, -inf, -inf], maxrgb=[inf, inf, inf]>"));
    }

    #[test]
    fn equality_and_validation() {
        let mut a = Lut1DTransform::default();
        let mut b = Lut1DTransform {
            interpolation: Interpolation::Nearest,
            file_output_bit_depth: BitDepth::Uint8,
            ..Default::default()
        };
        assert!(a.equals(&b));
        b.set_value(0, [f32::NAN, 0.0, 0.0]).unwrap();
        assert!(!a.equals(&b));
        assert!(b.to_string().ends_with("minrgb=[1, 0, 0], maxrgb=[1, 1, 1]>"));
        assert!(a.set_hue_adjust(Lut1DHueAdjust::Wypn).is_err());
        a.interpolation = Interpolation::Cubic;
        assert_eq!(
            a.validate().unwrap_err().to_string(),
            "Lut1DTransform validation failed: 1D LUT does not support interpolation algorithm: cubic."
        );
        a.set_values(&[0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]).unwrap();
        assert_eq!(a.length(), 3);
        assert_eq!(a.value(2).unwrap(), [6.0, 7.0, 8.0]);
        assert!(a.set_values(&[]).is_err());
    }
}
