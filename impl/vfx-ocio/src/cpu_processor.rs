//! `CPUProcessor`: runs optimized ops over pixel buffers in parallel.
//! Pixels of any OCIO bit depth are read into RGBA float blocks (integers
//! normalised to 0..1, RGB given alpha 1), processed, and written back
//! with OCIO's rounding and clamping.

use half::f16;
use rayon::prelude::*;

use crate::enums::BitDepth;
use crate::error::{OcioError, Result};
use crate::ops::Op;
use crate::processor::cache_id_of;

/// Pixels per block: large enough to amortize, small enough for the cache.
const BLOCK: usize = 2048;

#[derive(Debug, Clone)]
pub struct CpuProcessor {
    ops: Vec<Op>,
    in_depth: BitDepth,
    out_depth: BitDepth,
}

/// A sample type with its OCIO bit depth.
pub trait Sample: Copy + Send + Sync {
    const DEPTH: BitDepth;
    fn to_f32(self) -> f32;
    fn from_f32(v: f32) -> Self;
    /// The samples as f32, when they are f32 already (processed in place).
    fn as_f32_mut(_s: &mut [Self]) -> Option<&mut [f32]> {
        None
    }
}

macro_rules! int_sample {
    ($t:ty, $depth:expr, $max:expr) => {
        impl Sample for $t {
            const DEPTH: BitDepth = $depth;
            fn to_f32(self) -> f32 {
                self as f32 / $max
            }
            /// OCIO's cast: add 0.5, clamp to the range, truncate (NaN is 0).
            fn from_f32(v: f32) -> Self {
                let v = v * $max + 0.5;
                if v.is_nan() {
                    0
                } else {
                    v.clamp(0.0, $max) as $t
                }
            }
        }
    };
}
int_sample!(u8, BitDepth::Uint8, 255.0);
int_sample!(u16, BitDepth::Uint16, 65535.0);

impl Sample for f16 {
    const DEPTH: BitDepth = BitDepth::F16;
    fn to_f32(self) -> f32 {
        self.to_f32()
    }
    fn from_f32(v: f32) -> Self {
        f16::from_f32(v)
    }
}

impl Sample for f32 {
    const DEPTH: BitDepth = BitDepth::F32;
    fn to_f32(self) -> f32 {
        self
    }
    fn from_f32(v: f32) -> Self {
        v
    }
    fn as_f32_mut(s: &mut [Self]) -> Option<&mut [f32]> {
        Some(s)
    }
}

impl CpuProcessor {
    pub fn new(ops: Vec<Op>, in_depth: BitDepth, out_depth: BitDepth) -> Self {
        CpuProcessor {
            ops,
            in_depth,
            out_depth,
        }
    }

    pub fn input_bit_depth(&self) -> BitDepth {
        self.in_depth
    }

    pub fn output_bit_depth(&self) -> BitDepth {
        self.out_depth
    }

    pub fn is_noop(&self) -> bool {
        self.ops.is_empty() && self.in_depth == self.out_depth
    }

    pub fn is_identity(&self) -> bool {
        self.ops.iter().all(Op::is_identity)
    }

    pub fn has_channel_crosstalk(&self) -> bool {
        self.ops.iter().any(Op::has_channel_crosstalk)
    }

    pub fn cache_id(&self) -> String {
        format!(
            "{} {}->{}",
            cache_id_of(&self.ops),
            self.in_depth as i64,
            self.out_depth as i64
        )
    }

    /// Processes one RGBA float block in place.
    fn run(&self, rgba: &mut [f32]) {
        for op in &self.ops {
            op.apply(rgba);
        }
    }

    /// Processes interleaved pixels of `nchannels` (3 or 4) in place; the
    /// sample type must be the processor's input and output depth.
    pub fn apply_in_place<T: Sample>(&self, data: &mut [T], nchannels: usize) -> Result<()> {
        if T::DEPTH != self.in_depth || T::DEPTH != self.out_depth {
            return Err(OcioError::msg(
                "Bit-depth mismatch between the image buffer and the finalization setting.",
            ));
        }
        if !(nchannels == 3 || nchannels == 4) || data.len() % nchannels != 0 {
            return Err(OcioError::msg("PackedImageDesc Error: Invalid number of channels."));
        }
        if nchannels == 4 {
            if let Some(rgba) = T::as_f32_mut(data) {
                // Float RGBA is already what the ops work on: no copies.
                rgba.par_chunks_mut(BLOCK * 4).for_each(|chunk| self.run(chunk));
                return Ok(());
            }
        }
        data.par_chunks_mut(BLOCK * nchannels).for_each(|chunk| {
            let n = chunk.len() / nchannels;
            let mut rgba = vec![0f32; n * 4];
            for (px, src) in rgba.chunks_exact_mut(4).zip(chunk.chunks_exact(nchannels)) {
                px[0] = src[0].to_f32();
                px[1] = src[1].to_f32();
                px[2] = src[2].to_f32();
                px[3] = if nchannels == 4 { src[3].to_f32() } else { 1.0 };
            }
            self.run(&mut rgba);
            for (px, dst) in rgba.chunks_exact(4).zip(chunk.chunks_exact_mut(nchannels)) {
                for c in 0..nchannels {
                    dst[c] = T::from_f32(px[c]);
                }
            }
        });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enums::TransformDirection;
    use crate::processor::Processor;
    use crate::transforms::{MatrixTransform, Transform};

    fn halve() -> Processor {
        let (m, o) = MatrixTransform::scale([0.5, 0.5, 0.5, 1.0]);
        let t = Transform::Matrix(MatrixTransform::new(m, o, TransformDirection::Forward));
        Processor::from_transform(&t, TransformDirection::Forward).unwrap()
    }

    #[test]
    fn float_rgb_and_uint8_rgba() {
        let p = halve();
        let mut f = vec![0.5f32, 1.0, 2.0];
        p.default_cpu().apply_in_place(&mut f, 3).unwrap();
        assert_eq!(f, [0.25, 0.5, 1.0]);
        let mut u = vec![1u8, 3, 255, 7];
        p.optimized_cpu(BitDepth::Uint8, BitDepth::Uint8)
            .apply_in_place(&mut u, 4)
            .unwrap();
        assert_eq!(u, [1, 2, 128, 7]);
        assert!(p.default_cpu().apply_in_place(&mut u, 4).is_err());
    }

    #[test]
    fn inverse_direction_and_noop() {
        let p = halve();
        let (m, o) = MatrixTransform::scale([0.5, 0.5, 0.5, 1.0]);
        let t = Transform::Matrix(MatrixTransform::new(m, o, TransformDirection::Forward));
        let inv = Processor::from_transform(&t, TransformDirection::Inverse).unwrap();
        let mut f = vec![1.0f32, 2.0, 3.0, 1.0];
        inv.default_cpu().apply_in_place(&mut f, 4).unwrap();
        assert_eq!(f, [2.0, 4.0, 6.0, 1.0]);
        assert_ne!(p.cache_id(), inv.cache_id());
        let id = Transform::Matrix(MatrixTransform::default());
        let idp = Processor::from_transform(&id, TransformDirection::Forward).unwrap();
        assert!(idp.default_cpu().is_noop());
    }
}
