//! `Processor`: the ops of a transform (unoptimized, as built), from which
//! CPU processors are made for given bit depths and optimization levels.

use crate::config::Config;
use crate::cpu_processor::CpuProcessor;
use crate::enums::{BitDepth, TransformDirection};
use crate::error::Result;
use crate::ops::{build::BuildContext, optimize::optimize, Op};
use crate::transforms::Transform;

#[derive(Debug, Clone)]
pub struct Processor {
    ops: Vec<Op>,
}

impl Processor {
    /// The processor of `t` applied in `dir`, resolving names through
    /// `cx`'s config and context.
    pub fn build(cx: &BuildContext<'_>, t: &Transform, dir: TransformDirection) -> Result<Self> {
        let mut ops = Vec::new();
        cx.build(t, dir, &mut ops)?;
        Ok(Processor { ops })
    }

    /// The processor of a transform that names nothing (an empty config).
    pub fn from_transform(t: &Transform, dir: TransformDirection) -> Result<Self> {
        let config = Config::raw();
        let context = config.current_context();
        Processor::build(
            &BuildContext {
                config: &config,
                context: &context,
            },
            t,
            dir,
        )
    }

    pub fn ops(&self) -> &[Op] {
        &self.ops
    }

    /// The ops as a group of transforms (OCIO's `createGroupTransform`).
    pub fn group_transform(&self) -> crate::transforms::GroupTransform {
        crate::transforms::GroupTransform {
            children: self.ops.iter().map(Op::to_transform).collect(),
            ..Default::default()
        }
    }

    pub fn is_noop(&self) -> bool {
        self.ops.iter().all(Op::is_noop)
    }

    pub fn has_channel_crosstalk(&self) -> bool {
        self.ops.iter().any(Op::has_channel_crosstalk)
    }

    /// Identifies what the processor computes: equal IDs, equal results.
    pub fn cache_id(&self) -> String {
        cache_id_of(&self.ops)
    }

    /// A CPU processor for float RGBA in and out, default optimization.
    pub fn default_cpu(&self) -> CpuProcessor {
        self.optimized_cpu(BitDepth::F32, BitDepth::F32)
    }

    pub fn optimized_cpu(&self, in_depth: BitDepth, out_depth: BitDepth) -> CpuProcessor {
        self.cpu_with(in_depth, out_depth, true)
    }

    /// A CPU processor; `optimize = false` keeps the ops as built (OCIO's
    /// OPTIMIZATION_NONE).
    pub fn cpu_with(&self, in_depth: BitDepth, out_depth: BitDepth, optimize_ops: bool) -> CpuProcessor {
        let ops = if optimize_ops {
            optimize(&self.ops)
        } else {
            self.ops.clone()
        };
        CpuProcessor::new(ops, in_depth, out_depth)
    }
}

/// A short stable hash of the ops' parameters (FNV-1a, 64 bits, as hex).
pub fn cache_id_of(ops: &[Op]) -> String {
    if ops.is_empty() {
        return "<NOOP>".to_string();
    }
    let text: String = ops.iter().map(Op::cache_text).collect();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("$${h:016x}")
}
