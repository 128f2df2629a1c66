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

/// Where R, G, B and A sit in a packed pixel of `nchannels` samples
/// (OCIO's channel orderings; a missing alpha reads as 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PackedLayout {
    pub nchannels: usize,
    pub rgba: [Option<usize>; 4],
}

impl PackedLayout {
    pub const RGBA: PackedLayout = PackedLayout {
        nchannels: 4,
        rgba: [Some(0), Some(1), Some(2), Some(3)],
    };
    pub const BGRA: PackedLayout = PackedLayout {
        nchannels: 4,
        rgba: [Some(2), Some(1), Some(0), Some(3)],
    };
    pub const ABGR: PackedLayout = PackedLayout {
        nchannels: 4,
        rgba: [Some(3), Some(2), Some(1), Some(0)],
    };
    pub const RGB: PackedLayout = PackedLayout {
        nchannels: 3,
        rgba: [Some(0), Some(1), Some(2), None],
    };
    pub const BGR: PackedLayout = PackedLayout {
        nchannels: 3,
        rgba: [Some(2), Some(1), Some(0), None],
    };

    /// Pixels to RGBA float.
    fn gather<T: Sample>(&self, samples: &[T]) -> Vec<f32> {
        let mut rgba = vec![1f32; samples.len() / self.nchannels * 4];
        for (px, src) in rgba.chunks_exact_mut(4).zip(samples.chunks_exact(self.nchannels)) {
            for (c, pos) in self.rgba.iter().enumerate() {
                if let Some(p) = pos {
                    px[c] = src[*p].to_f32();
                }
            }
        }
        rgba
    }

    /// RGBA float back to pixels of this layout.
    fn scatter<T: Sample>(&self, rgba: &[f32], samples: &mut [T]) {
        for (px, dst) in rgba.chunks_exact(4).zip(samples.chunks_exact_mut(self.nchannels)) {
            for (c, pos) in self.rgba.iter().enumerate() {
                if let Some(p) = pos {
                    dst[*p] = T::from_f32(px[c]);
                }
            }
        }
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

    pub fn is_dynamic(&self) -> bool {
        crate::ops::any_dynamic(&self.ops)
    }

    /// The CPU processor's dynamic value of a property, if it has one.
    pub fn dynamic_value(
        &self,
        p: crate::ops::exposure_contrast::data::EcProperty,
    ) -> Option<crate::ops::exposure_contrast::DynamicValue> {
        crate::ops::dynamic_value(&self.ops, p)
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

    /// Processes interleaved RGB(A) pixels of `nchannels` (3 or 4) in
    /// place; the sample type must be the processor's input and output
    /// depth.
    pub fn apply_in_place<T: Sample>(&self, data: &mut [T], nchannels: usize) -> Result<()> {
        let layout = match nchannels {
            3 => PackedLayout::RGB,
            4 => PackedLayout::RGBA,
            _ => return Err(OcioError::msg("PackedImageDesc Error: Invalid number of channels.")),
        };
        self.apply_packed_in_place(data, &layout)
    }

    fn check_depths(&self, input: BitDepth, output: BitDepth) -> Result<()> {
        if input != self.in_depth || output != self.out_depth {
            return Err(OcioError::msg(
                "Bit-depth mismatch between the image buffer and the finalization setting.",
            ));
        }
        Ok(())
    }

    /// Processes a packed image in place, in its channel order.
    pub fn apply_packed_in_place<T: Sample>(&self, data: &mut [T], layout: &PackedLayout) -> Result<()> {
        self.check_depths(T::DEPTH, T::DEPTH)?;
        let n = layout.nchannels;
        if data.len() % n != 0 {
            return Err(OcioError::msg("PackedImageDesc Error: Invalid number of channels."));
        }
        if *layout == PackedLayout::RGBA {
            if let Some(rgba) = T::as_f32_mut(data) {
                // Float RGBA is already what the ops work on: no copies.
                rgba.par_chunks_mut(BLOCK * 4).for_each(|chunk| self.run(chunk));
                return Ok(());
            }
        }
        data.par_chunks_mut(BLOCK * n).for_each(|chunk| {
            let mut rgba = layout.gather(chunk);
            self.run(&mut rgba);
            layout.scatter(&rgba, chunk);
        });
        Ok(())
    }

    /// Processes a planar image in place: one slice per channel (alpha
    /// optional, read as 1 when missing), all the same length.
    pub fn apply_planar_in_place<T: Sample>(
        &self,
        r: &mut [T],
        g: &mut [T],
        b: &mut [T],
        a: Option<&mut [T]>,
    ) -> Result<()> {
        self.check_depths(T::DEPTH, T::DEPTH)?;
        let n = r.len();
        if g.len() != n || b.len() != n || a.as_ref().is_some_and(|a| a.len() != n) {
            return Err(OcioError::msg("PlanarImageDesc Error: the planes differ in size."));
        }
        let run_block = |planes: [&mut [T]; 3], alpha: Option<&mut [T]>| {
            let len = planes[0].len();
            let mut rgba = vec![1f32; len * 4];
            for (c, plane) in planes.iter().enumerate() {
                for (i, v) in plane.iter().enumerate() {
                    rgba[4 * i + c] = v.to_f32();
                }
            }
            if let Some(alpha) = &alpha {
                for (i, v) in alpha.iter().enumerate() {
                    rgba[4 * i + 3] = v.to_f32();
                }
            }
            self.run(&mut rgba);
            for (c, plane) in planes.into_iter().enumerate() {
                for (i, v) in plane.iter_mut().enumerate() {
                    *v = T::from_f32(rgba[4 * i + c]);
                }
            }
            if let Some(alpha) = alpha {
                for (i, v) in alpha.iter_mut().enumerate() {
                    *v = T::from_f32(rgba[4 * i + 3]);
                }
            }
        };
        let rgb = r
            .par_chunks_mut(BLOCK)
            .zip(g.par_chunks_mut(BLOCK))
            .zip(b.par_chunks_mut(BLOCK));
        match a {
            Some(a) => rgb
                .zip(a.par_chunks_mut(BLOCK))
                .for_each(|(((r, g), b), a)| run_block([r, g, b], Some(a))),
            None => rgb.for_each(|((r, g), b)| run_block([r, g, b], None)),
        }
        Ok(())
    }

    /// Processes `src` into `dst` (same pixel count; each in its own
    /// layout and sample type, which must be the processor's input and
    /// output depths). `src` is left unchanged.
    pub fn apply_packed<I: Sample, O: Sample>(
        &self,
        src: &[I],
        src_layout: &PackedLayout,
        dst: &mut [O],
        dst_layout: &PackedLayout,
    ) -> Result<()> {
        self.check_depths(I::DEPTH, O::DEPTH)?;
        let (ni, no) = (src_layout.nchannels, dst_layout.nchannels);
        if src.len() % ni != 0 || dst.len() % no != 0 || src.len() / ni != dst.len() / no {
            return Err(OcioError::msg(
                "PackedImageDesc Error: the source and destination images must have the same number of pixels.",
            ));
        }
        dst.par_chunks_mut(BLOCK * no)
            .zip(src.par_chunks(BLOCK * ni))
            .for_each(|(out, inp)| {
                let mut rgba = src_layout.gather(inp);
                self.run(&mut rgba);
                dst_layout.scatter(&rgba, out);
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
