//! `MatrixTransform`: a 4x4 matrix plus an offset, with OCIO's helper
//! constructors (Fit, Identity, Sat, Scale, View).

use std::fmt;

use super::{validate_direction, TransformData};
use crate::enums::{BitDepth, OcioEnum, TransformDirection, TransformType};
use crate::error::Result;
use crate::format_metadata::FormatMetadata;

/// Row-major 4x4 matrix and RGBA offset: `out = M * in + offset`.
#[derive(Debug, Clone, PartialEq)]
pub struct MatrixTransform {
    pub matrix: [f64; 16],
    pub offset: [f64; 4],
    pub direction: TransformDirection,
    pub file_in_depth: BitDepth,
    pub file_out_depth: BitDepth,
    pub metadata: FormatMetadata,
}

pub const IDENTITY: [f64; 16] = [1., 0., 0., 0., 0., 1., 0., 0., 0., 0., 1., 0., 0., 0., 0., 1.];

impl Default for MatrixTransform {
    fn default() -> Self {
        MatrixTransform {
            matrix: IDENTITY,
            offset: [0.0; 4],
            direction: TransformDirection::Forward,
            file_in_depth: BitDepth::Unknown,
            file_out_depth: BitDepth::Unknown,
            metadata: FormatMetadata::default(),
        }
    }
}

/// `(matrix, offset)` pair the helper constructors return.
pub type MatrixOffset = ([f64; 16], [f64; 4]);

impl MatrixTransform {
    pub fn new(matrix: [f64; 16], offset: [f64; 4], direction: TransformDirection) -> Self {
        MatrixTransform {
            matrix,
            offset,
            direction,
            ..Default::default()
        }
    }

    /// Maps `[old_min, old_max]` to `[new_min, new_max]` per channel. A
    /// channel whose old range is empty cannot be fitted: OCIO reports it.
    pub fn fit(old_min: [f64; 4], old_max: [f64; 4], new_min: [f64; 4], new_max: [f64; 4]) -> Result<MatrixOffset> {
        let mut m = [0.0; 16];
        let mut off = [0.0; 4];
        for i in 0..4 {
            let denom = old_max[i] - old_min[i];
            if denom.abs() < 1e-9 {
                return Err(crate::OcioError::msg(format!(
                    "Cannot create Fit operator. Max value equals min value '{}' in channel index {i}.",
                    crate::util::fmt_shortest(old_max[i])
                )));
            }
            m[5 * i] = (new_max[i] - new_min[i]) / denom;
            off[i] = (new_min[i] * old_max[i] - new_max[i] * old_min[i]) / denom;
        }
        Ok((m, off))
    }

    /// OCIO's `equals`: same direction, matrix and offset (exactly); file
    /// bit depths and metadata do not count.
    pub fn equals(&self, other: &Self) -> bool {
        self.direction == other.direction && self.matrix == other.matrix && self.offset == other.offset
    }

    pub fn identity() -> MatrixOffset {
        (IDENTITY, [0.0; 4])
    }

    /// Saturation around the given luma weights (alpha untouched).
    pub fn sat(sat: f64, luma: [f64; 3]) -> MatrixOffset {
        let mut m = IDENTITY;
        for r in 0..3 {
            for c in 0..3 {
                m[4 * r + c] = (1.0 - sat) * luma[c] + if r == c { sat } else { 0.0 };
            }
        }
        (m, [0.0; 4])
    }

    pub fn scale(scale: [f64; 4]) -> MatrixOffset {
        let mut m = [0.0; 16];
        for i in 0..4 {
            m[5 * i] = scale[i];
        }
        (m, [0.0; 4])
    }

    /// Channel view (OCIO's `View`): all four channels hot is the
    /// identity; a hot alpha shows alpha as grey; otherwise RGB become the
    /// luma weights of the hot RGB channels, normalised to sum to one (so a
    /// single hot channel is copied to all three). Alpha always passes.
    pub fn view(channel_hot: [i64; 4], luma: [f64; 3]) -> MatrixOffset {
        let hot = channel_hot.map(|c| c != 0);
        if hot.iter().all(|&h| h) {
            return (IDENTITY, [0.0; 4]);
        }
        let mut m = [0.0; 16];
        m[15] = 1.0;
        if hot[3] {
            for r in 0..3 {
                m[4 * r + 3] = 1.0;
            }
            return (m, [0.0; 4]);
        }
        let total: f64 = (0..3).filter(|&c| hot[c]).map(|c| luma[c]).sum();
        if total != 0.0 {
            for r in 0..3 {
                for c in (0..3).filter(|&c| hot[c]) {
                    m[4 * r + c] = luma[c] / total;
                }
            }
        }
        (m, [0.0; 4])
    }
}

/// Inverse of a row-major 4x4 matrix by Gauss-Jordan elimination: partial
/// pivoting on the first three columns, then back substitution. An
/// exactly zero pivot means singular (as in OCIO, nearly singular matrices
/// still invert).
pub fn invert(m: &[f64; 16]) -> Result<[f64; 16]> {
    let singular = || crate::OcioError::msg("Singular Matrix can't be inverted.");
    let mut a = *m;
    let mut inv = IDENTITY;
    let idx = |r: usize, c: usize| 4 * r + c;
    for i in 0..3 {
        let mut pivot = i;
        let mut size = a[idx(i, i)].abs();
        for j in i + 1..4 {
            if a[idx(j, i)].abs() > size {
                pivot = j;
                size = a[idx(j, i)].abs();
            }
        }
        if size == 0.0 {
            return Err(singular());
        }
        if pivot != i {
            for k in 0..4 {
                a.swap(idx(i, k), idx(pivot, k));
                inv.swap(idx(i, k), idx(pivot, k));
            }
        }
        for j in i + 1..4 {
            let f = a[idx(j, i)] / a[idx(i, i)];
            for k in 0..4 {
                a[idx(j, k)] -= f * a[idx(i, k)];
                inv[idx(j, k)] -= f * inv[idx(i, k)];
            }
        }
    }
    for i in (0..4).rev() {
        let f = a[idx(i, i)];
        if f == 0.0 {
            return Err(singular());
        }
        for k in 0..4 {
            a[idx(i, k)] /= f;
            inv[idx(i, k)] /= f;
        }
        for j in 0..i {
            let f = a[idx(j, i)];
            for k in 0..4 {
                a[idx(j, k)] -= f * a[idx(i, k)];
                inv[idx(j, k)] -= f * inv[idx(i, k)];
            }
        }
    }
    Ok(inv)
}

impl TransformData for MatrixTransform {
    const KIND: TransformType = TransformType::Matrix;
    fn direction(&self) -> TransformDirection {
        self.direction
    }
    fn set_direction(&mut self, dir: TransformDirection) {
        self.direction = dir;
    }
    /// An inverse matrix must be invertible.
    fn validate(&self) -> Result<()> {
        validate_direction(self.direction)?;
        if self.direction == TransformDirection::Inverse {
            invert(&self.matrix)
                .map_err(|e| crate::OcioError::msg(format!("MatrixTransform validation failed: {e}")))?;
        }
        Ok(())
    }
    fn format_metadata(&self) -> Option<&FormatMetadata> {
        Some(&self.metadata)
    }
    fn format_metadata_mut(&mut self) -> Option<&mut FormatMetadata> {
        Some(&mut self.metadata)
    }
}

/// OCIO prints matrices with 16 significant digits (`%.16g`).
fn join_g16(vals: &[f64]) -> String {
    vals.iter()
        .map(|v| vfx_core::strutil::fmt_g_prec(*v, 16))
        .collect::<Vec<_>>()
        .join(", ")
}

impl fmt::Display for MatrixTransform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "<MatrixTransform direction={}, fileindepth={}, fileoutdepth={}, matrix=[{}], offset=[{}]>",
            self.direction.as_str(),
            self.file_in_depth.as_str(),
            self.file_out_depth.as_str(),
            join_g16(&self.matrix),
            join_g16(&self.offset)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printed_like_the_reference() {
        let t = MatrixTransform::default();
        assert_eq!(
            t.to_string(),
            "<MatrixTransform direction=forward, fileindepth=unknown, fileoutdepth=unknown, \
             matrix=[1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1], offset=[0, 0, 0, 0]>"
        );
    }

    #[test]
    fn inverse_direction_needs_an_invertible_matrix() {
        let mut t = MatrixTransform::default();
        t.matrix[10] = 0.0;
        assert!(t.validate().is_ok());
        t.direction = TransformDirection::Inverse;
        assert_eq!(
            t.validate().unwrap_err().to_string(),
            "MatrixTransform validation failed: Singular Matrix can't be inverted."
        );
        let (m, _) = MatrixTransform::scale([2.0, 4.0, 0.5, 1.0]);
        assert_eq!(invert(&m).unwrap()[5], 0.25);
    }

    #[test]
    fn fit_maps_ranges() {
        let (m, o) = MatrixTransform::fit([0.0; 4], [2.0; 4], [0.0; 4], [1.0; 4]).unwrap();
        assert_eq!(m[0], 0.5);
        assert_eq!(o, [0.0; 4]);
        assert!(MatrixTransform::fit([1.0; 4], [1.0; 4], [0.0; 4], [1.0; 4]).is_err());
    }
}
