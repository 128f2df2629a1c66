//! `Processor`: the ops of a transform (unoptimized, as built), from which
//! CPU processors are made for given bit depths and optimization levels.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::config::Config;
use crate::cpu_processor::CpuProcessor;
use crate::enums::{BitDepth, TransformDirection};
use crate::error::Result;
use crate::ops::exposure_contrast::data::EcProperty;
use crate::ops::exposure_contrast::DynamicValue;
use crate::ops::{build::BuildContext, optimize::optimize, Op};
use crate::transforms::Transform;

#[derive(Debug, Clone)]
pub struct Processor {
    ops: Vec<Op>,
    /// The metadata of the transform the processor was made from, when it
    /// is a group (OCIO's Processor::getFormatMetadata).
    metadata: crate::format_metadata::FormatMetadata,
    /// CPU processors already made, by (input, output, optimized): asking
    /// again gives the same one (sharing its dynamic values), as OCIO's
    /// processor cache does.
    cpu_cache: Arc<Mutex<HashMap<CpuKey, CpuProcessor>>>,
}

/// Input depth, output depth, optimized.
type CpuKey = (BitDepth, BitDepth, bool);

impl Processor {
    /// The processor of `t` applied in `dir`, resolving names through
    /// `cx`'s config and context.
    pub fn build(cx: &BuildContext<'_>, t: &Transform, dir: TransformDirection) -> Result<Self> {
        let mut ops = Vec::new();
        cx.build(t, dir, &mut ops)?;
        crate::ops::detach_and_unify(&mut ops);
        let mut p = Processor::from_ops(ops);
        if let Transform::Group(g) = t {
            p.metadata = g.metadata.clone();
        }
        Ok(p)
    }

    /// The metadata of the group the processor was made from (an empty
    /// root otherwise).
    pub fn format_metadata(&self) -> &crate::format_metadata::FormatMetadata {
        &self.metadata
    }

    /// The metadata of each op's transform, in op order.
    pub fn transform_metadata(&self) -> Vec<crate::format_metadata::FormatMetadata> {
        self.ops.iter().map(|op| op.metadata().clone()).collect()
    }

    fn from_ops(ops: Vec<Op>) -> Self {
        Processor {
            ops,
            metadata: Default::default(),
            cpu_cache: Arc::default(),
        }
    }

    /// The processor with its ops optimized (OCIO's getOptimizedProcessor;
    /// `optimize_ops = false` keeps them as built).
    pub fn optimized(&self, optimize_ops: bool) -> Processor {
        let mut ops = if optimize_ops {
            optimize(&self.ops)
        } else {
            self.ops.clone()
        };
        crate::ops::detach_and_unify(&mut ops);
        Processor {
            metadata: self.metadata.clone(),
            ..Processor::from_ops(ops)
        }
    }

    /// True if a value of the processor can change after it is made.
    pub fn is_dynamic(&self) -> bool {
        crate::ops::any_dynamic(&self.ops)
    }

    /// The processor's own dynamic value of a property, if it has one.
    pub fn dynamic_value(&self, p: EcProperty) -> Option<DynamicValue> {
        crate::ops::dynamic_value(&self.ops, p)
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
        let mut cache = self.cpu_cache.lock().unwrap_or_else(|e| e.into_inner());
        cache
            .entry((in_depth, out_depth, optimize_ops))
            .or_insert_with(|| {
                let mut ops = if optimize_ops {
                    optimize(&self.ops)
                } else {
                    self.ops.clone()
                };
                // A CPU processor's dynamic values are its own.
                crate::ops::detach_and_unify(&mut ops);
                CpuProcessor::new(ops, in_depth, out_depth)
            })
            .clone()
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
