//! `RangeOpData`: maps `[min_in, max_in]` to `[min_out, max_out]` and clamps
//! to the output bounds; a missing bound neither scales nor clamps.

use crate::error::{OcioError, Result};
use crate::format_metadata::FormatMetadata;
use crate::ops::matrix::MatrixOpData;
use crate::transforms::matrix::IDENTITY;

#[derive(Debug, Clone, PartialEq)]
pub struct RangeOpData {
    pub min_in: Option<f64>,
    pub max_in: Option<f64>,
    pub min_out: Option<f64>,
    pub max_out: Option<f64>,
    pub metadata: FormatMetadata,
}

impl RangeOpData {
    /// The op going back: input and output bounds swapped.
    pub fn inverse(&self) -> Self {
        RangeOpData {
            min_in: self.min_out,
            max_in: self.max_out,
            min_out: self.min_in,
            max_out: self.max_in,
            metadata: self.metadata.clone(),
        }
    }

    /// `out = in * scale + offset` before clamping (OCIO's fillScaleOffset:
    /// with a bound missing, the other end must map to itself).
    pub fn scale_offset(&self) -> Result<(f64, f64)> {
        match (self.min_in, self.max_in, self.min_out, self.max_out) {
            (Some(lo), Some(hi), Some(olo), Some(ohi)) => {
                let denom = hi - lo;
                if denom.abs() < 1e-6 {
                    return Err(OcioError::msg("Range maxInValue is too close to minInValue"));
                }
                let scale = (ohi - olo) / denom;
                Ok((scale, olo - scale * lo))
            }
            _ => Ok((1.0, 0.0)),
        }
    }

    /// The unclamped range as a matrix (the `noClamp` style).
    pub fn to_matrix(&self) -> Result<MatrixOpData> {
        if self.min_in.is_none() || self.max_in.is_none() {
            return Err(OcioError::msg("Non-clamping Range min & max values have to be set."));
        }
        let (scale, offset) = self.scale_offset()?;
        let mut m = IDENTITY;
        for i in 0..3 {
            m[5 * i] = scale;
        }
        let mut op = MatrixOpData::new(m, [offset, offset, offset, 0.0]);
        op.metadata = self.metadata.clone();
        Ok(op)
    }

    /// No bound at all: nothing changes.
    pub fn is_noop(&self) -> bool {
        self.min_in.is_none() && self.max_in.is_none() && self.min_out.is_none() && self.max_out.is_none()
    }

    pub fn cache_text(&self) -> String {
        let f = |v: Option<f64>| v.map(|x| format!("{x:e}")).unwrap_or_else(|| "-".into());
        format!(
            "<RangeOp {} {} {} {}>",
            f(self.min_in),
            f(self.max_in),
            f(self.min_out),
            f(self.max_out)
        )
    }
}
