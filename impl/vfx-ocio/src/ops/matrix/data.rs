//! `MatrixOpData`: `out = M * in + offset` on RGBA.

use crate::error::Result;
use crate::format_metadata::FormatMetadata;
use crate::transforms::matrix::invert;

#[derive(Debug, Clone, PartialEq)]
pub struct MatrixOpData {
    pub m: [f64; 16],
    pub offset: [f64; 4],
    /// The metadata of the transform the op came from.
    pub metadata: FormatMetadata,
}

impl MatrixOpData {
    pub fn new(m: [f64; 16], offset: [f64; 4]) -> Self {
        MatrixOpData {
            m,
            offset,
            metadata: FormatMetadata::default(),
        }
    }

    /// `in = M^-1 * (out - offset)`, as one matrix and offset.
    pub fn inverse(&self) -> Result<Self> {
        let mi = invert(&self.m)?;
        // Without offsets the inverse has none (not -0, as OCIO keeps it).
        let mut off = [0.0; 4];
        if self.offset.iter().any(|&v| v != 0.0) {
            for (r, o) in off.iter_mut().enumerate() {
                *o = -(0..4).map(|c| mi[4 * r + c] * self.offset[c]).sum::<f64>();
            }
        }
        Ok(MatrixOpData {
            m: mi,
            offset: off,
            metadata: self.metadata.clone(),
        })
    }

    /// `other` applied after `self`, as one op (OCIO's compose: products
    /// summed in index order, then values within a small tolerance of an
    /// integer snapped to it, so inverse pairs compose to an exact identity).
    pub fn then(&self, other: &Self) -> Self {
        let mut m = [0.0; 16];
        let mut off = [0.0; 4];
        let mut offset_scale: f64 = 0.0;
        for r in 0..4 {
            for c in 0..4 {
                let mut acc = 0.0;
                for k in 0..4 {
                    acc += other.m[4 * r + k] * self.m[4 * k + c];
                }
                m[4 * r + c] = acc;
            }
            let mut acc = 0.0;
            for k in 0..4 {
                acc += other.m[4 * r + k] * self.offset[k];
            }
            offset_scale = offset_scale.max(acc.abs()).max(other.offset[r].abs());
            off[r] = acc + other.offset[r];
        }
        let matrix_scale = m.iter().fold(0.0f64, |a, v| a.max(v.abs()));
        snap_to_integers(&mut m, matrix_scale);
        snap_to_integers(&mut off, offset_scale);
        MatrixOpData {
            m,
            offset: off,
            metadata: self.metadata.clone(),
        }
    }

    /// OCIO's identity test: diagonal (off-diagonal exactly zero), no
    /// offsets, diagonal within 1e-6 of one.
    pub fn is_noop(&self) -> bool {
        let diagonal = (0..16).all(|i| i % 5 == 0 || self.m[i] == 0.0);
        diagonal && self.offset == [0.0; 4] && (0..4).all(|i| (self.m[5 * i] - 1.0).abs() <= 1e-6)
    }

    /// True when the matrix is not diagonal.
    pub fn has_channel_crosstalk(&self) -> bool {
        (0..16).any(|i| i % 5 != 0 && self.m[i] != 0.0)
    }

    pub fn cache_text(&self) -> String {
        let v: Vec<String> = self
            .m
            .iter()
            .chain(self.offset.iter())
            .map(|x| format!("{x:e}"))
            .collect();
        format!("<MatrixOffsetOp {}>", v.join(" "))
    }
}

/// Values closer than `scale * 1e-7` (scale at least 1e-4) to an integer
/// become that integer.
fn snap_to_integers(vals: &mut [f64], scale: f64) {
    let tol = scale.max(1e-4) * 1e-7;
    for v in vals.iter_mut() {
        let r = v.round();
        if (*v - r).abs() < tol {
            *v = r;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transforms::matrix::IDENTITY;

    #[test]
    fn inverse_and_compose() {
        let mut m = IDENTITY;
        m[0] = 2.0;
        m[1] = 0.5;
        let a = MatrixOpData::new(m, [0.1, 0.2, 0.3, 0.0]);
        let id = a.then(&a.inverse().unwrap());
        for (v, want) in id.m.iter().zip(IDENTITY) {
            assert!((v - want).abs() < 1e-12);
        }
        assert!(id.offset.iter().all(|v| v.abs() < 1e-12));
        assert!(a.has_channel_crosstalk());
    }
}
