//! `MatrixOpData`: `out = M * in + offset` on RGBA.

use crate::error::Result;
use crate::format_metadata::FormatMetadata;
use crate::transforms::matrix::{invert, IDENTITY};

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

    /// `other` applied after `self`, as one op.
    pub fn then(&self, other: &Self) -> Self {
        let mut m = [0.0; 16];
        let mut off = [0.0; 4];
        for r in 0..4 {
            for c in 0..4 {
                m[4 * r + c] = (0..4).map(|k| other.m[4 * r + k] * self.m[4 * k + c]).sum();
            }
            off[r] = (0..4).map(|k| other.m[4 * r + k] * self.offset[k]).sum::<f64>() + other.offset[r];
        }
        MatrixOpData {
            m,
            offset: off,
            metadata: self.metadata.clone(),
        }
    }

    pub fn is_noop(&self) -> bool {
        self.m == IDENTITY && self.offset == [0.0; 4]
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

#[cfg(test)]
mod tests {
    use super::*;

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
