//! `Lut3DTransform`: a 3D LUT of RGB triples on a cube grid (blue index
//! varying fastest).

use std::fmt;

use super::lut1d::fmt_range;
use super::{validate_direction, TransformData};
use crate::enums::{BitDepth, Interpolation, OcioEnum, TransformDirection, TransformType};
use crate::error::{OcioError, Result};
use crate::format_metadata::FormatMetadata;

/// Largest grid size OCIO accepts.
pub const MAX_GRID_SIZE: u64 = 129;

#[derive(Debug, Clone, PartialEq)]
pub struct Lut3DTransform {
    grid_size: usize,
    /// Three values per grid point, red index slowest, blue fastest.
    values: Vec<f32>,
    pub interpolation: Interpolation,
    pub direction: TransformDirection,
    pub file_output_bit_depth: BitDepth,
    pub metadata: FormatMetadata,
}

impl Default for Lut3DTransform {
    /// A 2x2x2 identity LUT.
    fn default() -> Self {
        Lut3DTransform::new(2).expect("2 is a valid grid size")
    }
}

/// The identity cube of a grid size (sizes 0 and 1 are accepted, as by
/// OCIO: empty, and a single NaN point).
fn identity(grid_size: u64) -> Result<Vec<f32>> {
    if grid_size > MAX_GRID_SIZE {
        return Err(OcioError::msg(format!(
            "LUT 3D: Grid size '{grid_size}' must not be greater than '{MAX_GRID_SIZE}'."
        )));
    }
    let n = grid_size as usize;
    let step = 1.0f32 / (n as f32 - 1.0);
    let mut v = Vec::with_capacity(3 * n * n * n);
    for r in 0..n {
        for g in 0..n {
            for b in 0..n {
                v.extend_from_slice(&[r as f32 * step, g as f32 * step, b as f32 * step]);
            }
        }
    }
    Ok(v)
}

impl Lut3DTransform {
    /// An identity LUT of `grid_size` points per axis (at most 129).
    pub fn new(grid_size: u64) -> Result<Self> {
        Ok(Lut3DTransform {
            values: identity(grid_size)?,
            grid_size: grid_size as usize,
            interpolation: Interpolation::Default,
            direction: TransformDirection::Forward,
            file_output_bit_depth: BitDepth::Unknown,
            metadata: FormatMetadata::default(),
        })
    }

    pub fn grid_size(&self) -> usize {
        self.grid_size
    }

    /// Resizes the grid; its values become an identity again.
    pub fn set_grid_size(&mut self, grid_size: u64) -> Result<()> {
        self.values = identity(grid_size)?;
        self.grid_size = grid_size as usize;
        Ok(())
    }

    fn offset(&self, function: &str, index: [u64; 3]) -> Result<usize> {
        let n = self.grid_size as u64;
        for (i, name) in index.iter().zip(["Red", "Green", "Blue"]) {
            if *i >= n {
                return Err(OcioError::msg(format!(
                    "Lut3DTransform {function}: {name} index ({i}) should be less than the grid size ({n})."
                )));
            }
        }
        let [r, g, b] = index.map(|i| i as usize);
        Ok(3 * ((r * self.grid_size + g) * self.grid_size + b))
    }

    pub fn value(&self, index: [u64; 3]) -> Result<[f32; 3]> {
        let i = self.offset("getValue", index)?;
        Ok([self.values[i], self.values[i + 1], self.values[i + 2]])
    }

    pub fn set_value(&mut self, index: [u64; 3], rgb: [f32; 3]) -> Result<()> {
        let i = self.offset("setValue", index)?;
        self.values[i..i + 3].copy_from_slice(&rgb);
        Ok(())
    }

    /// All values, blue fastest.
    pub fn values(&self) -> &[f32] {
        &self.values
    }

    /// Replaces the LUT by a grid of `grid_size` points per axis read from
    /// `data` (blue fastest); `data` must hold them all.
    pub fn set_values(&mut self, grid_size: u64, data: &[f32]) -> Result<()> {
        self.set_grid_size(grid_size)?;
        let n = self.values.len();
        if data.len() < n {
            return Err(OcioError::msg(format!(
                "Lut3D length '{grid_size} * {grid_size} * {grid_size} * 3' does not match the vector size '{}'.",
                data.len()
            )));
        }
        self.values.copy_from_slice(&data[..n]);
        Ok(())
    }

    /// OCIO's `equals`: direction, interpolation and the values (exactly);
    /// file depth and metadata do not count.
    pub fn equals(&self, other: &Self) -> bool {
        self.direction == other.direction
            && self.interpolation == other.interpolation
            && self.grid_size == other.grid_size
            && self.values == other.values
    }
}

impl TransformData for Lut3DTransform {
    const KIND: TransformType = TransformType::Lut3D;
    fn direction(&self) -> TransformDirection {
        self.direction
    }
    fn set_direction(&mut self, dir: TransformDirection) {
        self.direction = dir;
    }
    fn validate(&self) -> Result<()> {
        let check = || -> Result<()> {
            validate_direction(self.direction)?;
            if !matches!(
                self.interpolation,
                Interpolation::Best
                    | Interpolation::Tetrahedral
                    | Interpolation::Default
                    | Interpolation::Linear
                    | Interpolation::Nearest
            ) {
                return Err(OcioError::msg(format!(
                    "Lut3D does not support interpolation algorithm: {}.",
                    self.interpolation.as_str()
                )));
            }
            if self.grid_size == 0 {
                return Err(OcioError::msg("Lut3D content array issue: Array content is empty."));
            }
            Ok(())
        };
        check().map_err(|e| OcioError::msg(format!("Lut3DTransform validation failed: {e}")))
    }
    fn format_metadata(&self) -> Option<&FormatMetadata> {
        Some(&self.metadata)
    }
    fn format_metadata_mut(&mut self) -> Option<&mut FormatMetadata> {
        Some(&mut self.metadata)
    }
}

impl fmt::Display for Lut3DTransform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "<Lut3DTransform direction={}, fileoutdepth={}, interpolation={}, gridSize={}, ",
            self.direction.as_str(),
            self.file_output_bit_depth.as_str(),
            self.interpolation.as_str(),
            self.grid_size
        )?;
        if self.grid_size > 0 {
            write!(f, "{}", fmt_range(&self.values))?;
        }
        write!(f, ">")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_blue_fastest() {
        let t = Lut3DTransform::new(3).unwrap();
        assert_eq!(&t.values()[..9], &[0.0, 0.0, 0.0, 0.0, 0.0, 0.5, 0.0, 0.0, 1.0]);
        assert_eq!(t.value([2, 1, 0]).unwrap(), [1.0, 0.5, 0.0]);
        assert_eq!(
            t.value([0, 3, 0]).unwrap_err().to_string(),
            "Lut3DTransform getValue: Green index (3) should be less than the grid size (3)."
        );
    }

    #[test]
    fn sizes_and_print() {
        assert_eq!(
            Lut3DTransform::new(130).unwrap_err().to_string(),
            "LUT 3D: Grid size '130' must not be greater than '129'."
        );
        let one = Lut3DTransform::new(1).unwrap();
        assert!(one.value([0, 0, 0]).unwrap()[0].is_nan());
        assert!(one.to_string().ends_with(
            "gridSize=1, minrgb=[3.40282e+38, 3.40282e+38, 3.40282e+38], \
             maxrgb=[-3.40282e+38, -3.40282e+38, -3.40282e+38]>"
        ));
        let zero = Lut3DTransform::new(0).unwrap();
        assert_eq!(
            zero.to_string(),
            "<Lut3DTransform direction=forward, fileoutdepth=unknown, interpolation=default, gridSize=0, >"
        );
        assert_eq!(
            zero.validate().unwrap_err().to_string(),
            "Lut3DTransform validation failed: Lut3D content array issue: Array content is empty."
        );
        assert_eq!(
            Lut3DTransform::default().to_string(),
            "<Lut3DTransform direction=forward, fileoutdepth=unknown, interpolation=default, gridSize=2, \
             minrgb=[0, 0, 0], maxrgb=[1, 1, 1]>"
        );
    }

    #[test]
    fn equality() {
        let a = Lut3DTransform::default();
        let mut b = Lut3DTransform {
            file_output_bit_depth: BitDepth::Uint10,
            ..Default::default()
        };
        assert!(a.equals(&b));
        b.interpolation = Interpolation::Linear;
        assert!(!a.equals(&b));
        let mut c = Lut3DTransform::default();
        c.set_value([0, 1, 1], [0.1, 0.2, 0.3]).unwrap();
        assert!(!a.equals(&c));
        c.interpolation = Interpolation::Cubic;
        assert!(c.validate().unwrap_err().to_string().ends_with("algorithm: cubic."));
    }
}
