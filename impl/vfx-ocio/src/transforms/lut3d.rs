//! `Lut3DTransform`: a 3D LUT of RGB triples on a cubic grid, blue index
//! changing fastest (OCIO's order).

use std::fmt;

use super::common::{join_g, wrap_validation};
use super::lut1d::min_max;
use super::TransformData;
use crate::enums::{BitDepth, Interpolation, OcioEnum, TransformDirection, TransformType};
use crate::error::{OcioError, Result};
use crate::format_metadata::FormatMetadata;

/// Largest grid OCIO accepts.
pub const MAX_GRID: usize = 129;

#[derive(Debug, Clone, PartialEq)]
pub struct Lut3DTransform {
    pub grid_size: usize,
    /// `grid^3 * 3` values.
    pub values: Vec<f32>,
    pub interpolation: Interpolation,
    pub file_out_depth: BitDepth,
    pub direction: TransformDirection,
    pub metadata: FormatMetadata,
}

impl Default for Lut3DTransform {
    fn default() -> Self {
        Lut3DTransform {
            grid_size: 2,
            values: identity(2),
            interpolation: Interpolation::Default,
            file_out_depth: BitDepth::Unknown,
            direction: TransformDirection::Forward,
            metadata: FormatMetadata::default(),
        }
    }
}

/// The identity grid.
pub fn identity(n: usize) -> Vec<f32> {
    let scale = (n.max(2) - 1) as f32;
    let mut v = Vec::with_capacity(n * n * n * 3);
    for r in 0..n {
        for g in 0..n {
            for b in 0..n {
                v.extend([r as f32 / scale, g as f32 / scale, b as f32 / scale]);
            }
        }
    }
    v
}

pub fn check_grid(n: usize) -> Result<()> {
    if n > MAX_GRID {
        return Err(OcioError::msg(format!(
            "LUT 3D: Grid size '{n}' must not be greater than '{MAX_GRID}'."
        )));
    }
    Ok(())
}

impl Lut3DTransform {
    pub fn with_grid(n: usize) -> Result<Self> {
        check_grid(n)?;
        Ok(Lut3DTransform {
            grid_size: n,
            values: identity(n),
            ..Default::default()
        })
    }

    /// Resizes to an identity grid.
    pub fn set_grid_size(&mut self, n: usize) -> Result<()> {
        check_grid(n)?;
        self.grid_size = n;
        self.values = identity(n);
        Ok(())
    }

    fn index(&self, what: &str, r: usize, g: usize, b: usize) -> Result<usize> {
        let n = self.grid_size;
        for (label, i) in [("Red", r), ("Green", g), ("Blue", b)] {
            if i >= n {
                return Err(OcioError::msg(format!(
                    "Lut3DTransform {what}: {label} index ({i}) should be less than the grid size ({n})."
                )));
            }
        }
        Ok(((r * n + g) * n + b) * 3)
    }

    pub fn value(&self, r: usize, g: usize, b: usize) -> Result<[f32; 3]> {
        let i = self.index("getValue", r, g, b)?;
        Ok([self.values[i], self.values[i + 1], self.values[i + 2]])
    }

    pub fn set_value(&mut self, r: usize, g: usize, b: usize, rgb: [f32; 3]) -> Result<()> {
        let i = self.index("setValue", r, g, b)?;
        self.values[i..i + 3].copy_from_slice(&rgb);
        Ok(())
    }

    pub fn equals(&self, o: &Self) -> bool {
        self.direction == o.direction && self.grid_size == o.grid_size && self.values == o.values
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
        let ok = matches!(
            self.interpolation,
            Interpolation::Nearest
                | Interpolation::Linear
                | Interpolation::Tetrahedral
                | Interpolation::Default
                | Interpolation::Best
        );
        let r = if ok {
            Ok(())
        } else {
            Err(OcioError::msg(format!(
                "Lut3D does not support interpolation algorithm: {}.",
                self.interpolation.as_str()
            )))
        };
        wrap_validation("Lut3DTransform", r)
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
        let (lo, hi) = min_max(&self.values);
        write!(
            f,
            "<Lut3DTransform direction={}, fileoutdepth={}, interpolation={}, gridSize={}, minrgb=[{}], maxrgb=[{}]>",
            self.direction.as_str(),
            self.file_out_depth.as_str(),
            self.interpolation.as_str(),
            self.grid_size,
            join_g(&lo),
            join_g(&hi)
        )
    }
}
